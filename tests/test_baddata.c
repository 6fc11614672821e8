// test_baddata: the reliability cases that are particular to one experiment, each a bug that
// was found and fixed (tests/test_experiments.c checks the generic ones for every program).
//
//   * cross-flag usage errors: exit 2, one line on stderr naming the flag, nothing written;
//   * bad data (corrupt MNIST IDX, a corpus with no token, a malformed analogy file): exit 1
//     with a message naming the file, never a crash and never a silent skip;
//   * agf: the AGF rounds are the same with three OpenBLAS kernels (OPENBLAS_CORETYPE);
//   * numerical failure (a Cholesky that fails at ridge 0, a ridgeless fit that does not
//     interpolate its training labels, a held-out excess not comparable with its theory): exit 1
//     with a hint.
// Every case fails before any long computation, so the whole file runs in seconds.
#define _GNU_SOURCE
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"

static const char *bdir = "build";  // $SIM_BUILD: the build directory of this BLAS
static char tmpdir[] = "/tmp/simbad-XXXXXX";

// Run `build/<cmd>` with --out <tmp>/o; return the exit status, stderr in *err (malloc'd).
static int run(const char *cmd, char **err) {
    char full[8192], epath[600];
    snprintf(epath, sizeof epath, "%s/stderr", tmpdir);
    snprintf(full, sizeof full, "rm -rf %s/o; OPENBLAS_NUM_THREADS=1 %s/%s --out %s/o >/dev/null 2>%s", tmpdir, bdir,
             cmd, tmpdir, epath);
    int st = system(full);
    FILE *f = fopen(epath, "r");
    size_t cap = 1 << 16;
    char *b = calloc(cap, 1);
    if (f) {
        size_t got = fread(b, 1, cap - 1, f);
        b[got] = 0;
        fclose(f);
    }
    *err = b;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static int out_is_empty(void) {
    char o[600];
    snprintf(o, sizeof o, "%s/o", tmpdir);
    DIR *d = opendir(o);
    if (!d) return 1;
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n == 0;
}

// ---- cross-flag usage errors ----
static const char *usage_cases[][2] = {
    {"deep-relu-first-step --quick --depths 3 --alphas 0.1,,0.2", "--alphas"},
    {"deep-relu-first-step --quick --depths 3 --alphas '0.1;'", "--alphas"},
    {"krr-curves --quick --n-list 8,,16", "--n-list"},
    {"krr-curves --quick --domain mnist --pool 400 --n-list 500", "--n-list"},
    {"krr-curves --domain bootstrap --trials 65", "--trials"},
    {"hea --quick --targets ';;'", "--targets"},
    {"reverse-ntk --quick --panels A,", "--panels"},
    {"reverse-ntk --quick --splits 40", "--splits"},
    {"fact --quick --steps 5 --logs 10", "--logs"},
    {"sgd-local-maxima --quick --batches 1,", "--batches"},
    {"stepwise-ssl --quick --first-image 59999 --n 5000", "--first-image"},
    {"stepwise-ssl --quick --part linear --data diag --m 10 --d 16", "--d"},
    {"stepwise-ssl --quick --part kernel --n 2", "--n"},
    {"word2vec-steps --quick --eps 0.5,0.7", "--eps"},
    {"word2vec-steps --quick --eps 0.5", "--eps"},
    {"word2vec-steps --part qwem --vocab 10", "--vocab"},
    {"tempered-overfitting --quick --domain design --spectrum heat", "--spectrum"},
    {"cost-of-overfitting --quick --n 5000", "--n"},
    {"agf --quick --scaled 1 --momentum 0.5", "--momentum"},
    {"agf --quick --case cohort --modp 13", "--modp"},
};

START_TEST(test_usage) {
    char *err;
    int rc = run(usage_cases[_i][0], &err);
    ck_assert_msg(rc == 2, "%s: exit %d, expected 2 (stderr: %s)", usage_cases[_i][0], rc, err);
    int lines = 0;
    for (char *p = err; *p; p++) lines += *p == '\n';
    ck_assert_msg(lines == 1, "%s: %d lines on stderr, expected 1:\n%s", usage_cases[_i][0], lines, err);
    ck_assert_msg(strstr(err, usage_cases[_i][1]) != NULL, "%s: the message does not name %s: %s", usage_cases[_i][0],
                  usage_cases[_i][1], err);
    ck_assert_msg(out_is_empty(), "%s wrote files before failing", usage_cases[_i][0]);
    free(err);
}
END_TEST

// ---- bad data ----
// A corrupt copy of MNIST: the given file replaced by `bytes` bytes of the real one, or by the
// real one with every 7th label set to 200; the other three files linked.
static int make_mnist_dir(const char *name, const char *bad, long bytes, int bad_labels) {
    const char *files[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                            "t10k-labels-idx1-ubyte"};
    char real[4096];
    if (!realpath("data/mnist", real)) return -1;
    char d[700], cmd[9000];
    snprintf(d, sizeof d, "%s/%s", tmpdir, name);
    mkdir(d, 0777);
    for (int k = 0; k < 4; k++) {
        if (strcmp(files[k], bad) == 0) {
            if (bad_labels)
                snprintf(
                    cmd, sizeof cmd,
                    "python3 -c \"import sys; b=bytearray(open('%s/%s','rb').read()); b[8::7]=bytes([200])*len(b[8::7]); "
                    "open('%s/%s','wb').write(b)\"",
                    real, bad, d, bad);
            else snprintf(cmd, sizeof cmd, "head -c %ld %s/%s > %s/%s", bytes, real, bad, d, bad);
        } else snprintf(cmd, sizeof cmd, "ln -sf %s/%s %s/%s", real, files[k], d, files[k]);
        if (system(cmd)) return -1;
    }
    return 0;
}

START_TEST(test_corrupt_mnist) {
    struct stat st;
    if (stat("data/mnist/train-images-idx3-ubyte", &st)) return;  // no data: nothing to corrupt
    ck_assert_int_eq(make_mnist_dir("trunc", "train-images-idx3-ubyte", 1000000, 0), 0);
    ck_assert_int_eq(make_mnist_dir("labels", "train-labels-idx1-ubyte", 0, 1), 0);
    ck_assert_int_eq(make_mnist_dir("empty", "t10k-labels-idx1-ubyte", 0, 0), 0);
    const char *progs[] = {"krr-curves --quick", "reverse-ntk --quick --ntrain 50 --ntest 50"};
    const char *dirs[] = {"trunc", "labels", "empty"};
    for (int p = 0; p < 2; p++)
        for (int k = 0; k < 3; k++) {
            char cmd[2048], *err;
            snprintf(cmd, sizeof cmd, "%s --mnist-dir %s/%s", progs[p], tmpdir, dirs[k]);
            int rc = run(cmd, &err);
            ck_assert_msg(rc == 1, "%s: exit %d, expected 1 (stderr: %s)", cmd, rc, err);
            ck_assert_msg(strstr(err, "idx") || strstr(err, "IDX"), "%s: the message does not name the file: %s", cmd,
                          err);
            free(err);
        }
}
END_TEST

START_TEST(test_bad_text) {
    char corpus[700], good[700], an[700], cmd[4096], *err;
    snprintf(corpus, sizeof corpus, "%s/notokens.txt", tmpdir);
    snprintf(good, sizeof good, "%s/good.txt", tmpdir);
    snprintf(an, sizeof an, "%s/analogies.txt", tmpdir);
    FILE *f = fopen(corpus, "w");
    fputs("!!! 123 ??? 456 ...\n", f);
    fclose(f);
    f = fopen(good, "w");
    for (int i = 0; i < 3000; i++) fprintf(f, "w%c%c ", 'a' + i % 17, 'a' + i % 13);
    fclose(f);
    f = fopen(an, "w");
    fputs("he she man woman\n", f);  // a question before any ': family' header
    fclose(f);
    snprintf(cmd, sizeof cmd, "word2vec-steps --part qwem --vocab 30 --dim 5 --corpus %s", corpus);
    int rc = run(cmd, &err);
    ck_assert_msg(rc == 1 && strstr(err, "--corpus"), "%s: exit %d (stderr: %s)", cmd, rc, err);
    free(err);
    snprintf(cmd, sizeof cmd, "word2vec-steps --part qwem --vocab 30 --dim 5 --corpus %s --analogies %s", good, an);
    rc = run(cmd, &err);
    ck_assert_msg(rc == 1 && strstr(err, "line 1"), "%s: exit %d (stderr: %s)", cmd, rc, err);
    free(err);
}
END_TEST

// ---- numerical failure ----
START_TEST(test_numerical) {
    char *err;
    // Gaussian kernel, ell = 10, ridgeless, n = 256 on S^4: K is numerically singular.
    int rc =
        run("tempered-overfitting --domain sphere --kernel gaussian --bandwidth 10 --n-list 256 --trials 1 --ntest 100",
            &err);
    ck_assert_msg(rc == 1 && strstr(err, "--ridge"), "ridgeless Gaussian: exit %d, no hint (stderr: %s)", rc, err);
    free(err);
    // The ridgeless interpolation check: Cholesky succeeds on these numerically singular
    // Gram matrices, but the fit misses its training labels by train MSE / y^2 ~ 1e-3 (TO, l = 3,
    // n = 512 on S^4) and ~0.07 (krr-curves, l = 30, n = 256 on S^7), orders of magnitude over the 1e-6 bound.
    rc = run("tempered-overfitting --domain sphere --kernel gaussian --bandwidth 3 --n-list 512 --trials 1 --ntest 100",
             &err);
    ck_assert_msg(rc == 1 && strstr(err, "train MSE") && strstr(err, "n = 512") && strstr(err, "--ridge"),
                  "TO ridgeless train check: exit %d (stderr: %s)", rc, err);
    free(err);
    rc = run("krr-curves --domain sphere --kernel gaussian --bandwidth 30 --n-list 256 --trials 1 --ntest 100", &err);
    ck_assert_msg(rc == 1 && strstr(err, "train MSE") && strstr(err, "sphere n = 256") && strstr(err, "--ridge"),
                  "krr-curves ridgeless train check: exit %d (stderr: %s)", rc, err);
    free(err);
    // A heat kernel that is nearly a delta on the grid: the held-out excess (~1e-13) cannot be
    // compared with the theory's whole-grid excess (n/N sigma^2, 6e-5 at n = 64): exit 1, not a ratio 0.
    rc = run("tempered-overfitting --domain torus --spectrum heat --heat-t 1e6 --n-list 64 --trials 1", &err);
    ck_assert_msg(rc == 1 && strstr(err, "torus-heat n = 64") && strstr(err, "--heat-t"),
                  "TO torus heat t = 1e6: exit %d (stderr: %s)", rc, err);
    free(err);
    // d = V on the synthetic corpus: lambda_d is not positive (this read past an array before).
    rc = run("word2vec-steps --quick --part synthetic --dim 64", &err);
    ck_assert_msg(rc == 1 && strstr(err, "--dim"), "w2v --dim 64: exit %d (stderr: %s)", rc, err);
    free(err);
    // deep-relu: every start with all ReLU units dead (width 1) used to stop in the TSV writer
    // with "try a larger ridge" (there is no ridge); now the message names --width.
    rc = run("deep-relu-first-step --quick --part optimal --width 1", &err);
    ck_assert_msg(rc == 1 && strstr(err, "--width"), "deep-relu --width 1: exit %d (stderr: %s)", rc, err);
    free(err);
    // deep-relu --part optimal with another depth needs no --alphas
    rc = run("deep-relu-first-step --quick --part optimal --depths 5", &err);
    ck_assert_msg(rc == 0, "deep-relu --part optimal --depths 5: exit %d (stderr: %s)", rc, err);
    free(err);
}
END_TEST

// ---- agf: AGF's discrete decisions do not depend on the BLAS kernel ----
// The modular-addition AGF decides crossings S_i > c_i and otherwise runs fixed-length loops; a
// kernel that changes the last bits of U-bar must leave the rounds (which neurons, in which Euler
// step) unchanged and the losses equal to 1e-6.  Run --quick with OpenBLAS's native kernel and with
// OPENBLAS_CORETYPE=Haswell and =Prescott (on a build without dynamic dispatch the variable is
// ignored and the comparison is trivially equal).
static int read_agf_rounds(const char *path, long rows[][4], double vals[][2], int max) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[8192];
    int n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        if (line[0] == '#' || !strncmp(line, "seed", 4)) continue;
        // seed round t epoch neuron n_new freq n_active loss ...
        double t, ep, L;
        long seed, round, neuron, nnew, freq, nact;
        if (sscanf(line, "%ld %ld %lf %lf %ld %ld %ld %ld %lf", &seed, &round, &t, &ep, &neuron, &nnew, &freq, &nact,
                   &L) != 9)
            continue;
        rows[n][0] = round, rows[n][1] = neuron, rows[n][2] = nnew, rows[n][3] = nact, vals[n][0] = ep, vals[n][1] = L;
        n++;
    }
    fclose(f);
    return n;
}

START_TEST(test_agf_kernels) {
    const char *core[3] = {"", "Haswell", "Prescott"};
    long rows[3][64][4];
    double vals[3][64][2];
    int n[3];
    for (int c = 0; c < 3; c++) {
        char cmd[2048], path[700];
        snprintf(
            cmd, sizeof cmd,
            "rm -rf %s/k%d; %s%s OPENBLAS_NUM_THREADS=1 %s/agf --quick --case modadd-agf --out %s/k%d >/dev/null 2>&1",
            tmpdir, c, *core[c] ? "OPENBLAS_CORETYPE=" : "", core[c], bdir, tmpdir, c);
        ck_assert_msg(system(cmd) == 0, "agf --quick --case modadd-agf failed with OPENBLAS_CORETYPE=%s", core[c]);
        snprintf(path, sizeof path, "%s/k%d/modadd_agf.tsv", tmpdir, c);
        n[c] = read_agf_rounds(path, rows[c], vals[c], 64);
        ck_assert_msg(n[c] > 0, "no AGF rounds in %s", path);
    }
    for (int c = 1; c < 3; c++) {
        ck_assert_msg(n[c] == n[0], "AGF rounds: %d (native) vs %d (OPENBLAS_CORETYPE=%s)", n[0], n[c], core[c]);
        for (int r = 0; r < n[0]; r++) {
            for (int k = 0; k < 4; k++)
                ck_assert_msg(rows[c][r][k] == rows[0][r][k], "AGF round %d differs with OPENBLAS_CORETYPE=%s", r + 1,
                              core[c]);
            for (int k = 0; k < 2; k++)
                ck_assert_msg(fabs(vals[c][r][k] - vals[0][r][k]) <= 1e-6 * fabs(vals[0][r][k]),
                              "AGF round %d: %.12g vs %.12g with OPENBLAS_CORETYPE=%s", r + 1, vals[0][r][k],
                              vals[c][r][k], core[c]);
        }
    }
}
END_TEST

static pid_t parent;
static void cleanup(void) {  // Check forks a child per test: only the parent removes the directory
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (getpid() == parent && system(cmd)) fprintf(stderr, "could not remove %s\n", tmpdir);
}

Suite *make_suite(void) {
    parent = getpid();
    atexit(cleanup);
    if (getenv("SIM_BUILD") && *getenv("SIM_BUILD")) bdir = getenv("SIM_BUILD");
    if (!mkdtemp(tmpdir)) perror("mkdtemp");
    Suite *su = suite_create("baddata");
    TCase *tc = tcase_create("bad inputs");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_usage, 0, sizeof usage_cases / sizeof *usage_cases);
    tcase_add_test(tc, test_corrupt_mnist);
    tcase_add_test(tc, test_bad_text);
    tcase_add_test(tc, test_numerical);
    tcase_add_test(tc, test_agf_kernels);
    suite_add_tcase(su, tc);
    return su;
}

TEST_MAIN()
