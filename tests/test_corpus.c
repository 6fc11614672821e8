// test_corpus: common/corpus (tokenizer, vocabulary, co-occurrence) and common/analogy
// (questions-words parser, 3CosAdd scoring), against hand-computed answers and malformed input.
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
#include "analogy.h"
#include "corpus.h"
#include "testlib.h"
#include "util.h"

static corpus *read_ok(const char *text, size_t n, int V) {
    char err[256] = "";
    corpus *c = NULL;
    int st = corpus_from_buffer(text, n, V, &c, err, sizeof err);
    ck_assert_msg(st == 0 && c, "corpus_from_buffer failed: %s", err);
    return c;
}

// Letters are tokens (lower-cased); everything else separates, including invalid UTF-8.
START_TEST(corpus_tokens_counts_ranks) {
    const char text[] = "The cat, the CAT;dog!\n\n\xff\xfe cat\r\n";
    corpus *c = read_ok(text, sizeof text - 1, 10);
    ck_assert_int_eq(c->n_tokens, 6);
    ck_assert_int_eq(c->n_types, 3);
    ck_assert_int_eq(c->V, 3);  // fewer types than requested
    ck_assert_str_eq(c->word[0], "cat");
    ck_assert_str_eq(c->word[1], "the");
    ck_assert_str_eq(c->word[2], "dog");
    ck_assert_int_eq(c->count[0], 3);
    ck_assert_int_eq(c->count[1], 2);
    ck_assert_int_eq(c->count[2], 1);
    ck_assert_int_eq(corpus_lookup(c, "DoG"), 2);
    ck_assert_int_eq(corpus_lookup(c, "bird"), -1);
    ck_assert_int_eq(corpus_lookup(c, ""), -1);
    corpus_free(c);
}
END_TEST

// Ties in count are broken alphabetically; OOV tokens are deleted from the stream.
START_TEST(corpus_ties_and_oov_deleted) {
    const char text[] = "b a c b a zz";
    corpus *c = read_ok(text, sizeof text - 1, 2);  // counts a 2, b 2, c 1, zz 1
    ck_assert_str_eq(c->word[0], "a");
    ck_assert_str_eq(c->word[1], "b");
    ck_assert_int_eq(c->n_ids, 4);
    int want[4] = {1, 0, 1, 0};  // b a (c deleted) b a (zz deleted)
    for (int i = 0; i < 4; i++) ck_assert_int_eq(c->ids[i], want[i]);
    corpus_free(c);
}
END_TEST

// A run of letters longer than CORPUS_MAX_WORD is cut into pieces, never overruns.
START_TEST(corpus_long_word_cut) {
    size_t n = 3 * CORPUS_MAX_WORD + 5;
    char *text = xmalloc(n, 1);  // NOT NUL-terminated: the reader must respect n
    memset(text, 'q', n);
    corpus *c = read_ok(text, n, 5);
    ck_assert_int_eq(c->n_tokens, 4);
    ck_assert_int_eq(c->n_types, 2);
    ck_assert_int_eq((int)strlen(c->word[0]), CORPUS_MAX_WORD);
    ck_assert_int_eq(c->count[0], 3);
    corpus_free(c);
    free(text);
}
END_TEST

START_TEST(corpus_rejects_no_token) {
    char err[256] = "";
    corpus *c = (corpus *)1;
    ck_assert_int_ne(corpus_from_buffer("", 0, 10, &c, err, sizeof err), 0);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(err, "empty"), "message: %s", err);
    const char junk[] = "123 !!! \xc3\xa9\xc3\xa9 \0\0 42\n\n";
    ck_assert_int_ne(corpus_from_buffer(junk, sizeof junk - 1, 10, &c, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "no token"), "message: %s", err);
    ck_assert_int_ne(corpus_from_buffer("abc", 3, 0, &c, err, sizeof err), 0);  // V = 0
    ck_assert_int_ne(corpus_from_file("/nonexistent/corpus.txt", 10, &c, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "/nonexistent/corpus.txt"), "message names the file: %s", err);
}
END_TEST

// The .xz path: a compressed file reads like the plain one.
START_TEST(corpus_reads_xz) {
    char path[] = "/tmp/test-corpus-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    char cmd[256], xzpath[300];
    snprintf(cmd, sizeof cmd, "printf 'one two two three three three' | xz -c > %s.xz", path);
    if (system(cmd) != 0) {
        unlink(path);
        return;
    }  // no xz: nothing to test here
    snprintf(xzpath, sizeof xzpath, "%s.xz", path);
    char err[256] = "";
    corpus *c = NULL;
    ck_assert_msg(corpus_from_file(xzpath, 2, &c, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(c->word[0], "three");
    ck_assert_int_eq(c->n_ids, 5);
    corpus_free(c);
    unlink(xzpath), unlink(path);
}
END_TEST

// Hand-computed: stream 0 1 0, L = 2.  o = 1: pairs (0,1), (1,0) weight 2, each added both ways
// -> C01 = C10 = 4; o = 2: pair (0,0) weight 1 added twice -> C00 = 2.  Total 2(2+2+1) = 10.
START_TEST(corpus_cooc_hand) {
    int ids[3] = {0, 1, 0};
    double C[4] = {0};
    ck_assert_double_eq(corpus_cooc_add(ids, 3, 2, 2, C), 10.0);
    ck_assert_double_eq(C[0], 2.0);
    ck_assert_double_eq(C[1], 4.0);
    ck_assert_double_eq(C[2], 4.0);
    ck_assert_double_eq(C[3], 0.0);
    int bad[2] = {0, 5};
    ck_assert_double_eq(corpus_cooc_add(bad, 2, 2, 2, C), -1.0);
    ck_assert_double_eq(C[1], 4.0);  // unchanged on error
}
END_TEST

// The linear weight (L+1-o) is L times word2vec's keep probability: with b uniform in
// {0..L-1}, offset o is kept iff o <= L - b, probability (L+1-o)/L.  An independent
// computation by enumerating b, on a random stream.
START_TEST(corpus_cooc_matches_dynamic_window) {
    enum { n = 200, V = 7, L = 5 };
    int ids[n];
    unsigned x = 2385;
    for (int i = 0; i < n; i++) x = x * 1103515245u + 12345u, ids[i] = (int)((x >> 16) % V);
    double C[V * V] = {0}, D[V * V] = {0};
    corpus_cooc_add(ids, n, V, L, C);
    for (int p = 0; p < n; p++)
        for (int b = 0; b < L; b++)
            for (int o = 1; o <= L - b && p + o < n; o++) {
                D[ids[p] * V + ids[p + o]] += 1;
                D[ids[p + o] * V + ids[p]] += 1;
            }
    for (int i = 0; i < V * V; i++) ck_assert_double_eq(C[i], D[i]);  // integers: exact
}
END_TEST

// ---- analogy ----
static const char good_set[] =
    ": male-female\n"
    "he she King Queen\n"
    "\n"
    "  man   woman\the\tshe  \r\n"
    ": capital\n"
    "france paris italy rome";

START_TEST(analogy_parse_good) {
    analogy_set *s = NULL;
    char err[256] = "";
    ck_assert_msg(analogy_parse_buffer(good_set, sizeof good_set - 1, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(s->n_fam, 2);
    ck_assert_int_eq(s->n_q, 3);
    ck_assert_str_eq(s->family[1], "capital");
    ck_assert_str_eq(s->w[2], "king");
    ck_assert_str_eq(s->w[4 + 2], "he");
    ck_assert_int_eq(s->fam[2], 1);
    analogy_free(s);
}
END_TEST

static void expect_error(const char *text, size_t n, const char *needle) {
    analogy_set *s = (analogy_set *)1;
    char err[256] = "";
    ck_assert_int_ne(analogy_parse_buffer(text, n, &s, err, sizeof err), 0);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err, needle), "expected '%s' in: %s", needle, err);
}

START_TEST(analogy_parse_malformed) {
    const char three[] = ": f\na b c d\na b c\n";
    expect_error(three, sizeof three - 1, "line 3: expected 4 words");
    const char five[] = ": f\n\n\na b c d e";
    expect_error(five, sizeof five - 1, "line 4: expected 4 words 'a b c d', found 5");
    const char nohead[] = "a b c d\n";
    expect_error(nohead, sizeof nohead - 1, "line 1: a question before");
    const char empty_fam[] = ": f\na b c d\n:   \n";
    expect_error(empty_fam, sizeof empty_fam - 1, "line 3: empty family");
    const char nul[] = ": f\na b\0 c d\n";
    expect_error(nul, sizeof nul - 1, "line 2: NUL byte");
    expect_error("", 0, "no question");
    const char only_head[] = ": f\n: g\n";
    expect_error(only_head, sizeof only_head - 1, "no question");
    char longw[ANALOGY_MAX_WORD + 40];
    memcpy(longw, ": f\n", 4);
    memset(longw + 4, 'x', sizeof longw - 4);  // one long word, no newline, not NUL-terminated
    expect_error(longw, sizeof longw, "line 2: a word of");
}
END_TEST

static int lookup_tab(const char *w, void *ctx) {
    const char **tab = ctx;
    for (int i = 0; tab[i]; i++)
        if (!strcmp(tab[i], w)) return i;
    return -1;
}

// 3CosAdd on the hypercube embedding of K = 3 attributes (word i has row s(i), s_a = 1-2 bit_a):
// every analogy along an attribute is exact.  With only attribute 1 kept (rows s_1(i)), the
// question (0, 1, 2, 3) has query -1: the best words are those with s_1 = -1, i.e. {1,3,5,7}
// minus b = 1: a 3-way tie containing d = 3, so tie credit 1/3; top-1 picks 3 (first max).
START_TEST(analogy_eval_cube) {
    static const char *tab[] = {"w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", NULL};
    const char q[] = ": bit0\nw0 w1 w2 w3\nw4 w5 w6 w7\n: bit2\nw0 w4 w3 w7\nw1 w5 oov w7\n";
    analogy_set *s = NULL;
    char err[256];
    ck_assert(analogy_parse_buffer(q, sizeof q - 1, &s, err, sizeof err) == 0);
    ck_assert_int_eq(analogy_resolve(s, lookup_tab, tab), 3);
    double W[8 * 3], W1[8];
    for (int i = 0; i < 8; i++) {
        for (int a = 0; a < 3; a++) W[i * 3 + a] = 1 - 2 * ((i >> a) & 1);
        W1[i] = 2.385 * W[i * 3];
    }
    analogy_result *r = analogy_result_alloc(s->n_fam);
    ck_assert_int_eq(analogy_eval(s, W, 8, 3, r), 0);
    ck_assert_int_eq(r->n_total[2], 4);
    ck_assert_int_eq(r->n_scored[2], 3);
    ck_assert_int_eq(r->n_correct[2], 3);
    ck_assert_double_eq_tol(analogy_tie_acc(r, 2), 1.0, 1e-15);
    ck_assert_double_eq_tol(analogy_coverage(r, 1), 0.5, 1e-15);
    ck_assert_int_eq(analogy_eval(s, W1, 8, 1, r), 0);
    ck_assert_double_eq_tol(r->tie_credit[0], 2.0 / 3.0, 1e-15);  // both bit0 questions: 1/3 each
    // (w4 w5 w6 w7: best {1,3,5,7} minus b = 5 = {1,3,7}; top-1 picks 1, wrong.)
    ck_assert_int_eq(r->n_correct[0], 1);
    // bit2 question w0 w4 w3 w7 with only s_1: query s1(3)+s1(4)-s1(0) = -1+1-1 = -1 -> best
    // {1,3,5,7} minus c = 3: {1,5,7}, 3-way tie containing d = 7; top-1 picks 1 (wrong).
    ck_assert_int_eq(r->n_correct[1], 0);
    ck_assert_double_eq_tol(r->tie_credit[1], 1.0 / 3.0, 1e-15);
    analogy_result_free(r);
    s->id[0] = 8;  // out of range for V = 8
    analogy_result *r2 = analogy_result_alloc(s->n_fam);
    ck_assert_int_ne(analogy_eval(s, W, 8, 3, r2), 0);
    analogy_result_free(r2);
    analogy_free(s);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("corpus");
    TCase *t = tcase_create("corpus");
    tcase_add_test(t, corpus_tokens_counts_ranks);
    tcase_add_test(t, corpus_ties_and_oov_deleted);
    tcase_add_test(t, corpus_long_word_cut);
    tcase_add_test(t, corpus_rejects_no_token);
    tcase_add_test(t, corpus_reads_xz);
    tcase_add_test(t, corpus_cooc_hand);
    tcase_add_test(t, corpus_cooc_matches_dynamic_window);
    suite_add_tcase(s, t);
    TCase *a = tcase_create("analogy");
    tcase_add_test(a, analogy_parse_good);
    tcase_add_test(a, analogy_parse_malformed);
    tcase_add_test(a, analogy_eval_cube);
    suite_add_tcase(s, a);
    return s;
}

TEST_MAIN()
