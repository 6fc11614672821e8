// test_experiments: the program contract and the claims, for every experiment at once.
//
// For each experiments/<slug>/ (discovered at run time, so a new experiment is tested the
// moment it exists) this runs build/<slug>:
//   * --quick twice with the same seed: exit 0; every claim id listed in
//     experiments/<slug>/quick-claims prints `reproduced`; the two runs' TSV bodies (lines not
//     starting with '#') are identical byte for byte (OPENBLAS_NUM_THREADS=1);
//   * bad input: an unknown flag, a non-numeric --seed, a NaN typed into --seed: exit 2, one
//     line on stderr, and nothing written to --out; a named MNIST directory that does not
//     exist: exit 1 with a message naming `make data`;
//   * --help: exit 0 with a usage line on stdout.
#define _GNU_SOURCE
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"

#define MAXS 64
static char slugs[MAXS][128];
static const char *bdir = "build";  // $SIM_BUILD: the build directory of this BLAS
static int nslugs;

static void discover(void) {
    DIR *d = opendir("experiments");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) && nslugs < MAXS) {
        if (e->d_name[0] == '.' || strlen(e->d_name) > 100) continue;
        char p[1024];
        snprintf(p, sizeof p, "experiments/%s/%s.c", e->d_name, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0) memcpy(slugs[nslugs++], e->d_name, strlen(e->d_name) + 1);
    }
    closedir(d);
    // sort for a stable order
    for (int i = 0; i < nslugs; i++)
        for (int j = i + 1; j < nslugs; j++)
            if (strcmp(slugs[i], slugs[j]) > 0) {
                char t[128];
                strcpy(t, slugs[i]);
                strcpy(slugs[i], slugs[j]);
                strcpy(slugs[j], t);
            }
}

// Run a shell command; capture stdout and stderr into malloc'd strings; return exit status.
static int run(const char *cmd, char **out, char **err) {
    char tmpl_o[] = "/tmp/simtest-oXXXXXX", tmpl_e[] = "/tmp/simtest-eXXXXXX";
    int fo = mkstemp(tmpl_o), fe = mkstemp(tmpl_e);
    close(fo);
    close(fe);
    char full[8192];
    snprintf(full, sizeof full, "OPENBLAS_NUM_THREADS=1 %s >%s 2>%s", cmd, tmpl_o, tmpl_e);
    int st = system(full);
    FILE *f;
    char **dst[2] = {out, err};
    const char *src[2] = {tmpl_o, tmpl_e};
    for (int k = 0; k < 2; k++) {
        f = fopen(src[k], "r");
        size_t cap = 1 << 16, len = 0;
        char *b = malloc(cap);
        size_t got;
        while (f && (got = fread(b + len, 1, cap - len - 1, f)) > 0) {
            len += got;
            if (cap - len < 4096) b = realloc(b, cap *= 2);
        }
        b[len] = 0;
        if (f) fclose(f);
        unlink(src[k]);
        if (dst[k]) *dst[k] = b;
        else free(b);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int dir_is_empty_or_missing(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 1;
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n == 0;
}

// A whole file, or NULL if it cannot be read.
static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 4096, len = 0, k;
    char *b = malloc(cap);
    while (b && (k = fread(b + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len < 2) b = realloc(b, cap *= 2);
    }
    fclose(f);
    if (b) b[len] = 0;
    return b;
}

// Body of a TSV: the lines that do not start with '#'.
static char *body(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap), line[1 << 16];
    b[0] = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        size_t l = strlen(line);
        while (len + l + 1 > cap) b = realloc(b, cap *= 2);
        memcpy(b + len, line, l + 1);
        len += l;
    }
    fclose(f);
    return b;
}

START_TEST(test_quick_claims_and_determinism) {
    const char *s = slugs[_i];
    char dir1[] = "/tmp/simtest-d1XXXXXX", dir2[] = "/tmp/simtest-d2XXXXXX";
    ck_assert(mkdtemp(dir1) && mkdtemp(dir2));
    char cmd[2048], *out, *err;
    snprintf(cmd, sizeof cmd, "%s/%s --quick --seed 7 --out %s", bdir, s, dir1);
    int rc = run(cmd, &out, &err);
    ck_assert_msg(rc == 0, "%s --quick exited %d; stderr:\n%s", s, rc, err);
    fputs(out, stderr);

    // every listed claim must print as reproduced
    char path[512];
    snprintf(path, sizeof path, "experiments/%s/quick-claims", s);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s has no %s listing the claims its --quick run must reproduce", s, path);
    // A quick check never claims what the default size refutes: every listed claim must also be
    // reproduced in the committed default runs (figures/data/<slug>/claims.txt, seed 1, and the
    // scoreboard's other seeds, claims-seed<S>.txt), where they exist.
    char *dflt[4] = {0};
    const char *dname[4] = {"claims.txt", "claims-seed2.txt", "claims-seed3.txt", 0};
    for (int k = 0; dname[k]; k++) {
        char p[512];
        snprintf(p, sizeof p, "figures/data/%s/%s", s, dname[k]);
        dflt[k] = slurp(p);
    }
    char id[256];
    int nlisted = 0;
    while (fscanf(f, "%255s", id) == 1) {
        if (id[0] == '#') {  // comment to end of line
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n') {}
            continue;
        }
        nlisted++;
        char want[300];
        snprintf(want, sizeof want, "CLAIM %s  reproduced", id);
        ck_assert_msg(strstr(out, want) != NULL, "%s: claim %s did not print as reproduced at --quick:\n%s", s, id, out);
        for (int k = 0; dname[k]; k++)
            ck_assert_msg(!dflt[k] || strstr(dflt[k], want) != NULL,
                          "%s: quick claim %s is not reproduced in the default run figures/data/%s/%s: a quick "
                          "check must not claim what the default size refutes", s, id, s, dname[k]);
    }
    for (int k = 0; dname[k]; k++) free(dflt[k]);
    fclose(f);
    ck_assert_msg(nlisted > 0, "%s lists no claims", s);

    // same seed, second run: identical TSV bodies
    snprintf(cmd, sizeof cmd, "%s/%s --quick --seed 7 --out %s", bdir, s, dir2);
    char *out2;
    rc = run(cmd, &out2, NULL);
    ck_assert_int_eq(rc, 0);
    DIR *d = opendir(dir1);
    struct dirent *e;
    int ntables = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".tsv")) continue;
        ck_assert_msg(!strstr(e->d_name, ".tmp"), "%s left a temporary file %s", s, e->d_name);
        char p1[1024], p2[1024];
        snprintf(p1, sizeof p1, "%s/%s", dir1, e->d_name);
        snprintf(p2, sizeof p2, "%s/%s", dir2, e->d_name);
        char *b1 = body(p1), *b2 = body(p2);
        ck_assert_msg(b2 != NULL, "%s: second run did not write %s", s, e->d_name);
        ck_assert_msg(strcmp(b1, b2) == 0, "%s: %s differs between two runs with the same seed", s, e->d_name);
        free(b1);
        free(b2);
        ntables++;
    }
    closedir(d);
    ck_assert_msg(ntables > 0, "%s --quick wrote no TSV", s);
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir1, dir2);
    ck_assert_int_eq(system(cmd), 0);
    free(out);
    free(out2);
    free(err);
}
END_TEST

START_TEST(test_bad_input) {
    const char *s = slugs[_i];
    const char *bad[] = {"--no-such-flag", "--seed abc", "--seed nan", "--seed -3", "--threads 0", "--out", "stray-arg"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char dir[] = "/tmp/simtest-bXXXXXX";
        ck_assert(mkdtemp(dir));
        char cmd[2048], *out, *err;
        // --out before the bad flag, so a program that ignored the error would write there
        snprintf(cmd, sizeof cmd, "%s/%s --quick --out %s/o %s", bdir, s, dir, bad[k]);
        int rc = run(cmd, &out, &err);
        ck_assert_msg(rc == 2, "%s %s: exit %d, expected 2 (stderr: %s)", s, bad[k], rc, err);
        int lines = 0;
        for (char *p = err; *p; p++) lines += *p == '\n';
        ck_assert_msg(lines == 1, "%s %s: expected one line on stderr, got %d:\n%s", s, bad[k], lines, err);
        char o[600];
        snprintf(o, sizeof o, "%s/o", dir);
        ck_assert_msg(dir_is_empty_or_missing(o), "%s %s wrote files before failing", s, bad[k]);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        ck_assert_int_eq(system(cmd), 0);
        free(out);
        free(err);
    }
    // a data directory that is named but missing: exit 1, a message naming `make data`
    {
        char dir[] = "/tmp/simtest-mXXXXXX";
        ck_assert(mkdtemp(dir));
        char cmd[2048], *out, *err;
        snprintf(cmd, sizeof cmd, "%s/%s --quick --out %s/o --mnist-dir /nonexistent-mnist", bdir, s, dir);
        int rc = run(cmd, &out, &err);
        ck_assert_msg(rc == 1, "%s --mnist-dir /nonexistent-mnist: exit %d, expected 1", s, rc);
        ck_assert_msg(strstr(err, "make data") != NULL, "%s: the message does not name `make data`: %s", s, err);
        char o[600];
        snprintf(o, sizeof o, "%s/o", dir);
        ck_assert_msg(dir_is_empty_or_missing(o), "%s wrote files before failing", s);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        ck_assert_int_eq(system(cmd), 0);
        free(out);
        free(err);
    }
    char cmd[512], *out;
    snprintf(cmd, sizeof cmd, "%s/%s --help", bdir, s);
    ck_assert_int_eq(run(cmd, &out, NULL), 0);
    ck_assert_msg(strstr(out, "usage:") != NULL, "%s --help printed no usage", s);
    free(out);
}
END_TEST

Suite *make_suite(void) {
    if (getenv("SIM_BUILD") && *getenv("SIM_BUILD")) bdir = getenv("SIM_BUILD");
    discover();
    Suite *su = suite_create("experiments");
    TCase *tc = tcase_create("quick claims and determinism");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_quick_claims_and_determinism, 0, nslugs);
    suite_add_tcase(su, tc);
    TCase *tb = tcase_create("bad input");
    tcase_set_timeout(tb, 120);
    tcase_add_loop_test(tb, test_bad_input, 0, nslugs);
    suite_add_tcase(su, tb);
    return su;
}

TEST_MAIN()
