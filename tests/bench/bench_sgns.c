// bench_sgns: word2vec skip-gram with negative sampling (SGNS), the suite's trainer in
// word2vec-compatible mode, against Mikolov's word2vec.c (conventions.md, Tokens and corpora).
// For scripts/bench (workload 6): training throughput in words/s/thread, and the analogy
// accuracy of the vectors, so that speed is never bought with quality.
//
//   bench_sgns train -train FILE [-size 100] [-window 5] [-negative 5] [-sample 0]
//                    [-min-count 5] [-iter 1] [-alpha 0.025] [-threads 1] [-seed 1]
//                    [-questions F1,F2,...] [-top 30000] [-output VEC.txt] [-report FILE]
//   bench_sgns eval  -vectors VEC.txt [-questions F1,F2,...] [-top 30000] [-report FILE]
//
// The flags are word2vec's own (single dash, same names and defaults as the benchmark uses), so
// scripts/bench/extra.py hands one argument list to both programs; scripts/bench/word2vec-ref
// runs word2vec.c with it and scores word2vec's text vectors (-binary 0) with `eval`, i.e. with
// exactly the same code that scores ours.
//
// Prints "key value" lines (stdout), as the other bench programs:
//   seconds               wall seconds per 10^6 training words per thread (time-like, so that
//                         run.py's pair() ratio ours/reference reads "> 1: we are slower");
//                         words/s/thread = 1e6 / seconds
//   words_per_sec_thread  (in-vocabulary tokens x iter) / (training wall time x threads)
//   train_seconds         wall time from the first thread start to the last thread join
//   setup_seconds         reading the corpus, vocabulary, noise table, init (not in the metric)
//   cpu_seconds           CPU seconds (all threads) of the training phase per 10^6 words: the
//                         same ratio measured in CPU time, a cross-check on a shared machine
//   words vocab           in-vocabulary training tokens per epoch; vocabulary size
//   scored_vocab          the words analogies are scored on (the -top most frequent)
//   acc_<set> tieacc_<set> coverage_<set> scored_<set>   per questions file (3CosAdd)
// and appends the same lines to -report FILE when given.
//
// What this is not: word2vec's CBOW, hierarchical softmax, phrases or binary output.
#define _GNU_SOURCE
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analogy.h"
#include "corpus.h"
#include "rng.h"
#include "util.h"

// ---- parameters ----
//
// The benchmark protocol: -cbow 0 -hs 0 -negative 5 -window 5 -sample 0 -min-count 5
// -iter 1 -alpha 0.025, -size in {20, 100}, -threads in {1, 2}.  Defaults below are word2vec's
// except -sample (word2vec: 1e-3; the benchmark: 0) and -threads (word2vec: 12).
#define MAX_SENTENCE 1000  // word2vec's MAX_SENTENCE_LENGTH: windows never cross a "sentence"
#define MAX_EXP 6.0f       // word2vec's MAX_EXP: sigma is clipped to 0 or 1 beyond |f| > 6
#define ALPHA_EVERY 10000  // word2vec updates its learning rate every 10k words per thread
#define MAX_QSETS 8

struct params {
    const char *mode, *train, *vectors, *output, *report, *questions;
    int size, window, negative, min_count, iter, threads, top;
    double sample, alpha;
    long seed;
};
static struct params P = {.size = 100,
                          .window = 5,
                          .negative = 5,
                          .min_count = 5,
                          .iter = 1,
                          .threads = 1,
                          .top = 30000,
                          .sample = 0,
                          .alpha = 0.025,
                          .seed = 1};

typedef struct {
    const char *name;
    char type;  // 's' string, 'i' int, 'l' long, 'd' double
    void *ptr;
    double lo, hi;
} flag;
static const flag flags[] = {
    {"-train", 's', &P.train, 0, 0},           {"-vectors", 's', &P.vectors, 0, 0},
    {"-output", 's', &P.output, 0, 0},         {"-report", 's', &P.report, 0, 0},
    {"-questions", 's', &P.questions, 0, 0},   {"-size", 'i', &P.size, 1, 4096},
    {"-window", 'i', &P.window, 1, 100},       {"-negative", 'i', &P.negative, 1, 100},
    {"-min-count", 'i', &P.min_count, 1, 1e9}, {"-iter", 'i', &P.iter, 1, 1000},
    {"-threads", 'i', &P.threads, 1, 256},     {"-top", 'i', &P.top, 1, INT_MAX},
    {"-sample", 'd', &P.sample, 0, 1},         {"-alpha", 'd', &P.alpha, 1e-9, 10},
    {"-seed", 'l', &P.seed, 0, 1e18},
};

static void usage(const char *msg, const char *arg) {
    fprintf(stderr,
            "bench_sgns: %s%s%s; usage: bench_sgns train -train FILE [-size D -window W -negative K "
            "-sample T -min-count M -iter I -alpha A -threads N -seed S -questions F,.. -top N "
            "-output VEC -report FILE] | eval -vectors VEC [-questions F,.. -top N -report FILE]\n",
            msg, arg ? " " : "", arg ? arg : "");
    exit(EXIT_USAGE);
}

static void parse_flags(int argc, char **argv) {
    if (argc < 2 || (strcmp(argv[1], "train") && strcmp(argv[1], "eval")))
        usage("first argument must be", "train|eval");
    P.mode = argv[1];
    for (int a = 2; a < argc; a += 2) {
        const flag *f = NULL;
        for (size_t k = 0; k < sizeof flags / sizeof *flags; k++)
            if (!strcmp(argv[a], flags[k].name)) f = &flags[k];
        if (!f) usage("unknown flag", argv[a]);
        if (a + 1 >= argc) usage("missing value for", argv[a]);
        const char *v = argv[a + 1];
        if (f->type == 's') {
            *(const char **)f->ptr = v;
            continue;
        }
        char *end;
        double x = strtod(v, &end);
        if (end == v || *end || x < f->lo || x > f->hi || (f->type != 'd' && x != floor(x)))
            usage("bad value for", argv[a]);
        if (f->type == 'i') *(int *)f->ptr = (int)x;
        else if (f->type == 'l') *(long *)f->ptr = (long)x;
        else *(double *)f->ptr = x;
    }
    if (!strcmp(P.mode, "train") && !P.train) usage("train needs", "-train FILE");
    if (!strcmp(P.mode, "eval") && !P.vectors) usage("eval needs", "-vectors FILE");
}

// ---- experiment: the trainer ----
//
// Word2vec's skip-gram with negative sampling, in its own loop order (word2vec.c,
// TrainModelThread, `cbow = 0`, `hs = 0`).  Legend: V words, d = -size, syn0 (V, d) the input
// ("word") vectors, uniform in [-0.5, 0.5)/d; syn1neg (V, d) the output ("context") vectors,
// zero; k = -negative; w = -window; alpha the learning rate.
//
// For each centre position p of a sentence (MAX_SENTENCE consecutive kept tokens), draw
// b uniform in {0..w-1}; for every other position c with |c - p| <= w - b, the INPUT row is
// the word at c (l1 = syn0[sen[c]]), and the targets are the centre word (label 1) and k
// negatives n ~ q(n) ∝ count(n)^{3/4} (label 0; a negative equal to the centre is skipped, as
// word2vec does).  Per target t, with f = l1 . syn1neg[t]:
// $g = \alpha\,(\text{label} - \sigma(f))$, neu1e += g syn1neg[t], syn1neg[t] += g l1;
// after the k + 1 targets, l1 += neu1e.  The output rows are updated at once, the input row
// after its k + 1 targets: word2vec's order, gradient of
// $\log\sigma(f_+) + \sum_n \log\sigma(-f_n)$.
//
// Choices, each against word2vec.c:
// - sigma is EXACT, $1/(1 + e^{-f})$ in float (expf), clipped to 0 / 1 for |f| > 6 as word2vec
//   does; not word2vec's 1000-entry table (which, by an integer division, also reads its table
//   at 0.996 f - 0.024).  One expf per pair is small next to the two d-vectors it touches.
// - The noise distribution is word2vec's, count^{3/4} over the vocabulary, but drawn with
//   Walker's alias method (gsl_ran_discrete: one uniform, two reads of V-sized arrays that stay
//   in cache) instead of word2vec's table of 10^8 ints (400 MB, one cache and TLB miss per
//   negative, and quantised to 1e-8).  Measured on the 2-core VM (4 KB pages: transparent huge
//   pages are madvise-only): this program with word2vec's table in place of the alias sampler
//   spends 6.7x (d = 20) and 7.6x (d = 100) the training CPU time; that table, not the
//   arithmetic, is most of word2vec.c's time here.
// - Random numbers come from common/rng: one GSL mt19937 stream per thread (streams 100 + t),
//   not word2vec's 48-bit LCG.  That costs little: an mt19937 draw is a few ns (a 624-word state
//   refilled once per 624 draws, one tempering), about 31 draws per centre word (the window
//   and k per context), while the same word touches ~36 pairs of d-float rows scattered over
//   V x d memory; the streams are independent and need no locking.  Measured (perf, d = 100,
//   one thread): of the training time, mt19937 itself is about 9 %, the alias lookup 15 %,
//   expf 10 %; the dot products and updates are the rest.
// - Learning rate: word2vec's linear decay, $\alpha = \alpha_0 \max(10^{-4}, 1 -
//   \text{done}/(\text{iter}\cdot n + 1))$, with `done` the words trained by all threads (an
//   atomic counter, updated every ALPHA_EVERY words per thread; word2vec's is a racy global).
// - Hogwild: thread t trains on tokens [n t/T, n (t+1)/T) of the stream (word2vec: the same
//   share of the file, from a byte offset); all threads update syn0 and syn1neg unlocked.
// - Subsampling (-sample s > 0): keep a word of frequency f with probability
//   $(\sqrt{f/s} + 1)\,s/f$ (word2vec's formula), drawn while filling the sentence.
// - No allocation inside the loop: each thread owns its sentence buffer and neu1e.
typedef struct {
    int V, d, w, k, iter, T;
    long n;              // in-vocabulary tokens per epoch
    const int *ids;      // ids[0..n): the stream, ids < V
    const double *keep;  // keep[i]: subsampling keep probability (1 = always)
    gsl_ran_discrete_t *noise;
    float *syn0, *syn1neg;  // (V, d) each
    double alpha0;
    atomic_long done;  // words trained so far, all threads
} model;

typedef struct {
    model *m;
    int t;
    gsl_rng *r;
} worker;

// x . y over d floats with 8 independent partial sums (a fixed, documented summation order;
// the compiler may not reorder a single running sum by itself, and one sum is a chain of d
// dependent additions).
static inline float dot(const float *restrict x, const float *restrict y, int d) {
    float s[8] = {0};
    int c = 0;
    for (; c + 8 <= d; c += 8)
        for (int j = 0; j < 8; j++) s[j] += x[c + j] * y[c + j];
    float tail = 0;
    for (; c < d; c++) tail += x[c] * y[c];
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7])) + tail;
}

// y += a x, in blocks of 8 so that the compiler's cheapest vectoriser takes it (the result is
// the same as the plain loop's: each y[c] gets one multiply-add).
static inline void axpy(int d, float a, const float *restrict x, float *restrict y) {
    int c = 0;
    for (; c + 8 <= d; c += 8)
        for (int j = 0; j < 8; j++) y[c + j] += a * x[c + j];
    for (; c < d; c++) y[c] += a * x[c];
}

static inline float sigmoid_clipped(float f) {
    if (f > MAX_EXP) return 1;
    if (f < -MAX_EXP) return 0;
    return 1 / (1 + expf(-f));
}

static void *train_thread(void *arg) {
    worker *wk = arg;
    model *m = wk->m;
    gsl_rng *r = wk->r;
    const int d = m->d, w = m->w, k = m->k;
    long lo = m->n * wk->t / m->T, hi = m->n * (wk->t + 1) / m->T;
    int *sen = XNEW(int, MAX_SENTENCE);
    float *neu1e = XNEW(float, d);
    double total = (double)m->iter * m->n + 1;
    float alpha = (float)m->alpha0;
    long since = 0;  // words read since the last learning-rate update
    for (int it = 0; it < m->iter; it++) {
        long p = lo;
        while (p < hi) {
            // read a sentence (subsampling on the fly)
            int len = 0;
            long p0 = p;
            while (p < hi && len < MAX_SENTENCE) {
                int id = m->ids[p++];
                if (m->keep[id] < 1 && gsl_rng_uniform(r) >= m->keep[id]) continue;
                sen[len++] = id;
            }
            since += p - p0;
            if (since >= ALPHA_EVERY) {  // learning-rate decay from the shared word count
                long done = atomic_fetch_add_explicit(&m->done, since, memory_order_relaxed) + since;
                since = 0;
                alpha = (float)(m->alpha0 * fmax(1e-4, 1 - done / total));
            }
            // train on it
            for (int s = 0; s < len; s++) {
                int word = sen[s];
                int b = (int)gsl_rng_uniform_int(r, (unsigned long)w);
                for (int c = s - (w - b); c <= s + (w - b); c++) {
                    if (c == s || c < 0 || c >= len) continue;
                    float *l1 = m->syn0 + (size_t)sen[c] * d;
                    memset(neu1e, 0, sizeof *neu1e * d);
                    for (int q = 0; q <= k; q++) {
                        int target = word;
                        float label = 1;
                        if (q > 0) {
                            target = (int)gsl_ran_discrete(r, m->noise);
                            if (target == word) continue;
                            label = 0;
                        }
                        float *l2 = m->syn1neg + (size_t)target * d;
                        float g = (label - sigmoid_clipped(dot(l1, l2, d))) * alpha;
                        axpy(d, g, l2, neu1e);
                        axpy(d, g, l1, l2);
                    }
                    axpy(d, 1, neu1e, l1);
                }
            }
        }
    }
    atomic_fetch_add_explicit(&m->done, since, memory_order_relaxed);
    free(sen), free(neu1e);
    return NULL;
}

// ---- measurement: analogy accuracy, the same code for both trainers ----
//
// 3CosAdd through common/analogy (conventions.md, Analogies) on the `top` most frequent words
// (word2vec's compute-accuracy uses 30000), float vectors converted to double, rows normalised
// there.  Words are looked up in a sorted copy of the word list, so a word2vec vector file (sorted
// by count, with its "</s>" row dropped) and our own vocabulary are resolved the same way.
typedef struct {
    const char *const *word;
    int *order;  // indices into word, sorted by word
    int V;
} lexicon;

static const lexicon *sort_ctx;
static int cmp_word_index(const void *a, const void *b) {
    return strcmp(sort_ctx->word[*(const int *)a], sort_ctx->word[*(const int *)b]);
}

static int lexicon_lookup(const char *word, void *ctx) {
    const lexicon *lx = ctx;
    int lo = 0, hi = lx->V - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(word, lx->word[lx->order[mid]]);
        if (!c) return lx->order[mid];
        if (c < 0) hi = mid - 1;
        else lo = mid + 1;
    }
    return -1;
}

static void say(FILE *rep, const char *key, double v) {
    printf("%s %.9g\n", key, v);
    if (rep) fprintf(rep, "%s %.9g\n", key, v);
}

// Score the first V rows of vec (V, d) with words word[0..V) on every file of the comma list.
static void evaluate(const char *const *word, const float *vec, int V, int d, const char *questions, FILE *rep) {
    if (!questions || !*questions) return;
    say(rep, "scored_vocab", V);
    lexicon lx = {.word = word, .order = XNEW(int, V), .V = V};
    for (int i = 0; i < V; i++) lx.order[i] = i;
    sort_ctx = &lx;
    qsort(lx.order, (size_t)V, sizeof *lx.order, cmp_word_index);
    double *W = xmalloc((size_t)V * d, sizeof *W);  // (V, d) in double for the dgemm
    for (size_t t = 0; t < (size_t)V * d; t++) W[t] = vec[t];
    char *list = strdup(questions), *save = NULL;
    for (char *path = strtok_r(list, ",", &save); path; path = strtok_r(NULL, ",", &save)) {
        analogy_set *s;
        char err[512], name[128], key[160];
        if (analogy_read_file(path, &s, err, sizeof err)) DIE("%s", err);
        analogy_resolve(s, lexicon_lookup, &lx);
        analogy_result *res = analogy_result_alloc(s->n_fam);
        if (analogy_eval(s, W, V, d, res)) DIE("analogy_eval failed on %s", path);
        // the key: the file's base name without its extension
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        snprintf(name, sizeof name, "%.*s", (int)strcspn(base, "."), base);
        const char *stat[4] = {"acc", "tieacc", "coverage", "scored"};
        double val[4] = {analogy_acc(res, s->n_fam), analogy_tie_acc(res, s->n_fam), analogy_coverage(res, s->n_fam),
                         res->n_scored[s->n_fam]};
        for (int j = 0; j < 4; j++) snprintf(key, sizeof key, "%s_%s", stat[j], name), say(rep, key, val[j]);
        analogy_result_free(res), analogy_free(s);
    }
    free(list), free(W), free(lx.order);
}

// word2vec's text format (-binary 0): "V d" then one "word x_1 ... x_d" line per word, sorted by
// count; its first row is the sentence marker "</s>", which is not a word and is skipped.
static float *read_vectors(const char *path, int top, char ***word_out, int *V_out, int *d_out) {
    FILE *f = xfopen(path, "r", "give a word2vec text vector file (-binary 0)");
    long Vf;
    int d;
    if (fscanf(f, "%ld %d", &Vf, &d) != 2 || Vf < 1 || d < 1) DIE("%s: no \"V d\" header", path);
    int cap = Vf < top ? (int)Vf : top, V = 0;
    char **word = XNEW(char *, cap), buf[CORPUS_MAX_WORD * 4];
    float *vec = xmalloc((size_t)cap * d, sizeof *vec);
    for (long i = 0; i < Vf && V < cap; i++) {
        if (fscanf(f, "%255s", buf) != 1) DIE("%s: row %ld: no word", path, i);
        for (int j = 0; j < d; j++)
            if (fscanf(f, "%f", &vec[(size_t)V * d + j]) != 1) DIE("%s: row %ld: fewer than %d numbers", path, i, d);
        if (!strcmp(buf, "</s>")) continue;
        word[V++] = strdup(buf);
    }
    fclose(f);
    *word_out = word, *V_out = V, *d_out = d;
    return vec;
}

// Process CPU time (all threads): a cross-check of the wall-clock metric on a shared machine.
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

// ---- main ----
int main(int argc, char **argv) {
    parse_flags(argc, argv);
    FILE *rep = P.report ? xfopen(P.report, "a", "check the -report path") : NULL;
    if (!strcmp(P.mode, "eval")) {
        char **word;
        int V, d;
        float *vec = read_vectors(P.vectors, P.top, &word, &V, &d);
        evaluate((const char *const *)word, vec, V, d, P.questions, rep);
        for (int i = 0; i < V; i++) free(word[i]);
        free(word), free(vec);
        if (rep) fclose(rep);
        return 0;
    }
    double t_start = util_now();

    // Vocabulary (-min-count): every type, ranked by count (ties alphabetical), then the words
    // with count >= min_count are ranks 0..V-1 and the stream keeps exactly the ids < V (the
    // same set of words as word2vec's; only the order of equal counts may differ).
    corpus *cp;
    char err[512];
    if (corpus_from_file(P.train, INT_MAX, &cp, err, sizeof err)) DIE("%s", err);
    int V = 0;
    while (V < cp->V && cp->count[V] >= P.min_count) V++;
    if (V < 2) DIE("%s: fewer than 2 words occur %d times or more; lower -min-count", P.train, P.min_count);
    long n = 0;
    for (long p = 0; p < cp->n_ids; p++)
        if (cp->ids[p] < V) cp->ids[n++] = cp->ids[p];

    // Noise distribution, subsampling, init (stream 1), one RNG stream per thread
    model m = {.V = V,
               .d = P.size,
               .w = P.window,
               .k = P.negative,
               .iter = P.iter,
               .T = P.threads,
               .n = n,
               .ids = cp->ids,
               .alpha0 = P.alpha};
    double *q = XNEW(double, V), *keep = XNEW(double, V);
    for (int i = 0; i < V; i++) {
        q[i] = pow((double)cp->count[i], 0.75);
        double f = (double)cp->count[i] / n;
        keep[i] = P.sample > 0 ? fmin(1, (sqrt(f / P.sample) + 1) * P.sample / f) : 1;
    }
    m.noise = gsl_ran_discrete_preproc((size_t)V, q);
    m.keep = keep;
    size_t nV = (size_t)V * P.size;
    if (posix_memalign((void **)&m.syn0, 64, nV * sizeof(float)) ||
        posix_memalign((void **)&m.syn1neg, 64, nV * sizeof(float)))
        DIE("out of memory for 2 x %zu floats", nV);
    gsl_rng *ri = rng_alloc((uint64_t)P.seed, 1);
    for (size_t t = 0; t < nV; t++) m.syn0[t] = (float)((gsl_rng_uniform(ri) - 0.5) / P.size);
    memset(m.syn1neg, 0, nV * sizeof(float));
    atomic_init(&m.done, 0);
    worker *wk = XNEW(worker, P.threads);
    pthread_t *th = XNEW(pthread_t, P.threads);
    for (int t = 0; t < P.threads; t++) wk[t] = (worker){.m = &m, .t = t, .r = rng_alloc((uint64_t)P.seed, 100 + t)};

    // Train: the timed phase is thread start to thread join, as for word2vec.c (scripts/bench/
    // word2vec-ref times its pthread_create .. pthread_join the same way).
    double t0 = util_now(), c0 = cpu_now();
    for (int t = 0; t < P.threads; t++)
        if (pthread_create(&th[t], NULL, train_thread, &wk[t])) DIE("pthread_create failed");
    for (int t = 0; t < P.threads; t++) pthread_join(th[t], NULL);
    double t1 = util_now(), secs = t1 - t0, cpu = cpu_now() - c0;
    double words = (double)n * P.iter, rate = words / (secs * P.threads);
    for (size_t t = 0; t < nV; t++) REQUIRE_FINITE(m.syn0[t], "a trained vector entry", "lower -alpha");
    say(rep, "seconds", 1e6 / rate);
    say(rep, "words_per_sec_thread", rate);
    say(rep, "train_seconds", secs);
    say(rep, "setup_seconds", t0 - t_start);
    say(rep, "cpu_seconds", 1e6 * cpu / words);
    say(rep, "words", (double)n);
    say(rep, "vocab", V);

    if (P.output) {  // word2vec's text format, for cross-checks with `eval`
        FILE *f = xfopen(P.output, "w", "check the -output path");
        fprintf(f, "%d %d\n", V, P.size);
        for (int i = 0; i < V; i++) {
            fprintf(f, "%s ", cp->word[i]);
            for (int j = 0; j < P.size; j++) fprintf(f, "%f ", m.syn0[(size_t)i * P.size + j]);
            fprintf(f, "\n");
        }
        if (fclose(f)) DIE("cannot write %s", P.output);
    }
    evaluate((const char *const *)cp->word, m.syn0, V < P.top ? V : P.top, P.size, P.questions, rep);

    for (int t = 0; t < P.threads; t++) rng_free(wk[t].r);
    rng_free(ri), gsl_ran_discrete_free(m.noise);
    free(wk), free(th), free(q), free(keep), free(m.syn0), free(m.syn1neg);
    corpus_free(cp);
    if (rep) fclose(rep);
    return 0;
}
