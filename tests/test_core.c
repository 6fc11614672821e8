// test_core: the plumbing modules of common/: rng, cli, tsv, idx, linalg, util.
#define _GNU_SOURCE
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fit.h"
#include "blasinfo.h"
#include "cli.h"
#include "idx.h"
#include "mnist.h"
#include "linalg.h"
#include "rng.h"
#include "testlib.h"
#include "tsv.h"
#include "util.h"

// ---- rng ----
START_TEST(rng_same_seed_same_stream) {
    gsl_rng *a = rng_alloc(1, 0), *b = rng_alloc(1, 0), *c = rng_alloc(2, 0), *d = rng_alloc(1, 1);
    int same_ab = 1, same_ac = 1, same_ad = 1;
    for (int i = 0; i < 1000; i++) {
        double x = rng_normal(a), y = rng_normal(b), z = rng_normal(c), w = rng_normal(d);
        same_ab &= x == y;
        same_ac &= x == z;
        same_ad &= x == w;
    }
    ck_assert(same_ab);
    ck_assert(!same_ac);
    ck_assert(!same_ad);
    rng_free(a), rng_free(b), rng_free(c), rng_free(d);
}
END_TEST

// Sphere sampler: on S^4 (d = 5), E x1^2 = 1/d and E x1^4 = 3/(d(d+2)); 1e5 samples, 5 standard
// errors.
START_TEST(rng_sphere_moments) {
    const int d = 5, N = 100000;
    gsl_rng *r = rng_alloc(2385, 3);
    double x[5], *m2 = xmalloc(N, sizeof *m2), *m4 = xmalloc(N, sizeof *m4);
    for (int i = 0; i < N; i++) {
        rng_sphere(r, d, x);
        m2[i] = x[0] * x[0];
        m4[i] = m2[i] * m2[i];
    }
    ck_assert_abs(fit_mean(m2, N), 1.0 / d, 5 * fit_stderr(m2, N));
    ck_assert_abs(fit_mean(m4, N), 3.0 / (d * (d + 2.0)), 5 * fit_stderr(m4, N));
    free(m2), free(m4), rng_free(r);
}
END_TEST

START_TEST(rng_subset_distinct) {
    gsl_rng *r = rng_alloc(5, 0);
    size_t idx[300];
    for (int big = 0; big < 2; big++) {
        size_t N = big ? 1000000 : 400;
        rng_subset(r, N, 300, idx);
        for (int i = 0; i < 300; i++) {
            ck_assert(idx[i] < N);
            for (int j = 0; j < i; j++) ck_assert(idx[i] != idx[j]);
        }
    }
    rng_free(r);
}
END_TEST

// ---- cli: errors exit 2 (exit tests run in a forked child) ----
static double t_ridge = 0.1;
static const char *t_kernel = "laplace";
static cli_dlist t_list = {2, {1, 2}};
static cli_opt t_opts[] = {{"ridge", CLI_DOUBLE, &t_ridge, 0, INFINITY, "ridge", 0, 0},
                           {"kernel", CLI_CHOICE, &t_kernel, 0, 0, "kernel", "laplace|gaussian", 0},
                           {"n-list", CLI_DLIST, &t_list, 1, 1e6, "sizes", 0, 0},
                           {0}};
static void parse(int argc, char **argv) {
    static cli c;
    memset(&c, 0, sizeof c);
    c.slug = "t";
    c.opts = t_opts;
    cli_parse(&c, argc, argv);
}
START_TEST(cli_ok) {
    char *argv[] = {"t", "--ridge", "2.5", "--kernel", "gaussian", "--n-list", "8,16,1e3", "--seed", "9", NULL};
    parse(9, argv);
    ck_assert(t_ridge == 2.5 && strcmp(t_kernel, "gaussian") == 0 && t_list.n == 3 && t_list.v[2] == 1000);
}
END_TEST
START_TEST(cli_negative_ridge) {
    char *a[] = {"t", "--ridge", "-1", NULL};
    parse(3, a);
}
END_TEST
START_TEST(cli_nan) {
    char *a[] = {"t", "--ridge", "nan", NULL};
    parse(3, a);
}
END_TEST
START_TEST(cli_trailing) {
    char *a[] = {"t", "--ridge", "0.1x", NULL};
    parse(3, a);
}
END_TEST
START_TEST(cli_unknown) {
    char *a[] = {"t", "--rigde", "0.1", NULL};
    parse(3, a);
}
END_TEST
START_TEST(cli_choice) {
    char *a[] = {"t", "--kernel", "cosine", NULL};
    parse(3, a);
}
END_TEST
START_TEST(cli_missing) {
    char *a[] = {"t", "--ridge", NULL};
    parse(2, a);
}
END_TEST
START_TEST(cli_list) {
    char *a[] = {"t", "--n-list", "8,,x", NULL};
    parse(3, a);
}
END_TEST

// ---- tsv: atomic write, non-finite guard ----
static cli tsv_cli(const char *dir) {
    static char *argv[] = {"prog", NULL};
    cli c = {.slug = "t", .opts = NULL, .out = dir, .argc = 1, .argv = argv};
    return c;
}
START_TEST(tsv_atomic) {
    char dir[] = "/tmp/simtsv-XXXXXX";
    ck_assert(mkdtemp(dir));
    cli c = tsv_cli(dir);
    tsv *t = tsv_open(&c, "a.tsv", "x.C1");
    tsv_columns(t, "n\tvalue");
    tsv_row(t, "%d\t%.10g", 3, 2.5);
    char p[256];
    snprintf(p, sizeof p, "%s/a.tsv", dir);
    struct stat st;
    ck_assert_msg(stat(p, &st) != 0, "the table exists before tsv_close");
    tsv_close(t);
    ck_assert(stat(p, &st) == 0);
    FILE *f = fopen(p, "r");
    char line[512], last[512] = "";
    while (fgets(line, sizeof line, f)) strcpy(last, line);
    fclose(f);
    ck_assert_str_eq(last, "3\t2.5\n");
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST
START_TEST(tsv_nan_dies) {
    char dir[] = "/tmp/simtsv-XXXXXX";
    ck_assert(mkdtemp(dir));
    cli c = tsv_cli(dir);
    tsv *t = tsv_open(&c, "b.tsv", "x.C1");
    tsv_columns(t, "n\tvalue");
    tsv_row(t, "%d\t%.10g", 3, NAN);  // exits 1 and removes the temporary
}
END_TEST

// ---- idx ----
START_TEST(idx_rejects_corrupt) {
    unsigned char ok[4 + 4 * 3 + 2 * 2 * 2] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2};
    unsigned dims[3];
    const unsigned char *data;
    char err[256];
    ck_assert_int_eq(idx_parse(ok, sizeof ok, 0x803, dims, &data, err, sizeof err), 0);
    ck_assert(dims[0] == 2 && dims[1] == 2 && dims[2] == 2 && data == ok + 16);
    ck_assert_int_eq(idx_parse(ok, sizeof ok - 1, 0x803, dims, &data, err, sizeof err), -1);  // truncated
    ck_assert(strstr(err, "truncated"));
    ck_assert_int_eq(idx_parse(ok, 0, 0x803, dims, &data, err, sizeof err), -1);          // empty
    ck_assert_int_eq(idx_parse(ok, sizeof ok, 0x801, dims, &data, err, sizeof err), -1);  // wrong magic
    ck_assert(strstr(err, "magic"));
    unsigned char huge[16] = {0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 9};
    ck_assert_int_eq(idx_parse(huge, sizeof huge, 0x803, dims, &data, err, sizeof err), -1);
    mnist_set s;
    ck_assert_int_eq(mnist_load("/nonexistent", 1, &s, err, sizeof err), -1);
    ck_assert(strstr(err, "make data"));
}
END_TEST

START_TEST(idx_reads_mnist) {
    const char *dir = getenv("MNIST_DIR") ? getenv("MNIST_DIR") : "data/mnist";
    if (!mnist_available(dir)) return;  // data tests are in the claim tests; `make test` fetches it
    mnist_set s;
    char err[1024];
    ck_assert_int_eq(mnist_load(dir, 0, &s, err, sizeof err), 0);
    ck_assert_int_eq(s.n, 10000);
    int counts[10] = {0};
    for (int i = 0; i < s.n; i++) counts[s.y[i]]++;
    ck_assert_int_eq(counts[3], 1010);  // known class counts of the MNIST test split
    ck_assert_int_eq(counts[8], 974);
    double m = fit_mean(s.x, s.n * s.d);
    ck_assert_abs(m, 0.1325, 0.002);  // the test split's pixel mean (train: 0.1307)
    // mnist_load_rows converts exactly the listed rows, in order, identical to the full load
    size_t rows[4] = {9999, 0, 1234, 1234};
    mnist_set r;
    ck_assert_int_eq(mnist_load_rows(dir, 0, rows, 4, &r, err, sizeof err), 0);
    ck_assert_int_eq(r.n, 4);
    for (int k = 0; k < 4; k++) {
        ck_assert_int_eq(r.y[k], s.y[rows[k]]);
        ck_assert(memcmp(r.x + (size_t)k * 784, s.x + rows[k] * 784, 784 * sizeof(double)) == 0);
    }
    mnist_free(&r);
    mnist_free(&s);
}
END_TEST

// ---- linalg ----
START_TEST(linalg_chol_and_eigh) {
    const int n = 40, k = 5;
    gsl_rng *r = rng_alloc(3, 0);
    double *X = xmalloc(n * n, 8), *A = xmalloc(n * n, 8), *A2 = xmalloc(n * n, 8), *b = xmalloc(n, 8),
           *x = xmalloc(n, 8);
    rng_normal_vec(r, n * n, X);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0, X, n, X, n, 0.0, A, n);
    for (int i = 0; i < n; i++) A[i * n + i] += 0.5;
    rng_normal_vec(r, n, b);
    memcpy(A2, A, n * n * 8);
    memcpy(x, b, n * 8);
    ck_assert_int_eq(la_chol_solve(n, A2, 1, x), 0);
    for (int i = 0; i < n; i++) {  // residual A x - b, relative to cond ~ 1e4: 1e-9
        double s = 0;
        for (int j = 0; j < n; j++) s += A[i * n + j] * x[j];
        ck_assert_abs(s, b[i], 1e-9 * (1 + fabs(b[i])));
    }
    // three right-hand sides at once (row-major B (n,3)) agree with the residual bound too
    double *B3 = xmalloc(n * 3, 8), *X3 = xmalloc(n * 3, 8);
    rng_normal_vec(r, n * 3, B3);
    memcpy(X3, B3, n * 3 * 8);
    memcpy(A2, A, n * n * 8);
    ck_assert_int_eq(la_chol_solve(n, A2, 3, X3), 0);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += A[i * n + j] * X3[j * 3 + c];
            ck_assert_abs(s, B3[i * 3 + c], 1e-9 * (1 + fabs(B3[i * 3 + c])));
        }
    free(B3), free(X3);
    double *w = xmalloc(n, 8), *wt = xmalloc(k, 8), *Z = xmalloc(n * k, 8);
    memcpy(A2, A, n * n * 8);
    ck_assert_int_eq(la_eigh(n, A2, w, 1), 0);
    memcpy(A2, A, n * n * 8);
    ck_assert_int_eq(la_eigh_top(n, A2, k, wt, Z), 0);
    // full eigenvectors from la_eigh: A v = w v for the top one (column n-1)
    double *V = xmalloc(n * n, 8);
    memcpy(V, A, n * n * 8);
    ck_assert_int_eq(la_eigh(n, V, w, 1), 0);
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int l = 0; l < n; l++) s += A[i * n + l] * V[l * n + (n - 1)];
        ck_assert_abs(s, w[n - 1] * V[i * n + (n - 1)], 1e-9 * w[n - 1]);
    }
    free(V);
    for (int j = 0; j < k; j++) {
        ck_assert_rel(wt[j], w[n - 1 - j], 1e-10);
        // A z = w z for the subset eigenvector
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int l = 0; l < n; l++) s += A[i * n + l] * Z[l * k + j];
            ck_assert_abs(s, wt[j] * Z[i * k + j], 1e-9 * wt[0]);
        }
    }
    // only the row-major lower triangle is read: garbage above the diagonal changes nothing
    double *G = xmalloc(n * n, 8), *wg = xmalloc(n, 8), *wr = xmalloc(n, 8);
    memcpy(G, A, n * n * 8);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) G[i * n + j] = 1e3 * (i - j);
    memcpy(A2, A, n * n * 8);
    ck_assert_int_eq(la_eigh(n, A2, wr, 0), 0);
    ck_assert_int_eq(la_eigh(n, G, wg, 0), 0);
    for (int i = 0; i < n; i++) ck_assert_rel(wg[i], wr[i], 1e-12);
    memcpy(G, A, n * n * 8);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) G[i * n + j] = 1e3 * (i - j);
    ck_assert_int_eq(la_eigh_top(n, G, k, wg, NULL), 0);
    for (int j = 0; j < k; j++) ck_assert_rel(wg[j], wr[n - 1 - j], 1e-12);
    memcpy(G, A, n * n * 8);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) G[i * n + j] = 1e3 * (i - j);
    memcpy(x, b, n * 8);
    ck_assert_int_eq(la_chol_solve(n, G, 1, x), 0);
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) s += A[i * n + j] * x[j];
        ck_assert_abs(s, b[i], 1e-9 * (1 + fabs(b[i])));
    }
    free(G), free(wg), free(wr);
    // not positive definite -> info > 0
    for (int i = 0; i < n * n; i++) A2[i] = 0;
    A2[0] = -1;
    ck_assert_int_gt(la_chol_solve(n, A2, 1, x), 0);
    free(X), free(A), free(A2), free(b), free(x), free(w), free(wt), free(Z), rng_free(r);
}
END_TEST

// Singular values spanning 10 decades are recovered to 1e-6 relative.
START_TEST(linalg_svd_wide_range) {
    const int m = 30, n = 11;
    gsl_rng *r = rng_alloc(4, 0);
    double U[30 * 11], V[11 * 11], A[30 * 11], s[11], tmp[30 * 11];
    // orthonormal U (m,n) and V (n,n) from QR-free Gram-Schmidt of Gaussian columns
    double G[30 * 11], H[11 * 11];
    rng_normal_vec(r, m * n, G);
    rng_normal_vec(r, n * n, H);
    for (int pass = 0; pass < 2; pass++) {
        double *M = pass ? H : G;
        int rows = pass ? n : m;
        for (int j = 0; j < n; j++) {
            for (int q = 0; q < 2; q++)  // twice is enough (Kahan)
                for (int l = 0; l < j; l++) {
                    double d = 0;
                    for (int i = 0; i < rows; i++) d += M[i * n + j] * M[i * n + l];
                    for (int i = 0; i < rows; i++) M[i * n + j] -= d * M[i * n + l];
                }
            double nn = 0;
            for (int i = 0; i < rows; i++) nn += M[i * n + j] * M[i * n + j];
            for (int i = 0; i < rows; i++) M[i * n + j] /= sqrt(nn);
        }
    }
    memcpy(U, G, sizeof U);
    memcpy(V, H, sizeof V);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) tmp[i * n + j] = U[i * n + j] * pow(10.0, -j);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, n, 1.0, tmp, n, V, n, 0.0, A, n);
    ck_assert_int_eq(la_svd(m, n, A, s, NULL, NULL), 0);
    for (int j = 0; j < n; j++) ck_assert_rel(s[j], pow(10.0, -j), 1e-6);
    rng_free(r);
}
END_TEST

// The build links GSL's cblas_* against the BLAS named by `make BLAS=...` (OpenBLAS by
// default); the dynamic linker must agree, or every dense figure runs ~20x slower.
// fit_spearman against hand-computed values: one swap in each half of 1..5 leaves
// sum d^2 = 4, rho = 1 - 6*4/(5*24) = 0.8; ties share their mean rank, so x = (1, 2, 2, 3)
// ranks as (1, 2.5, 2.5, 4) against y's (1, 2, 3, 4): rho = 4.5/sqrt(4.5 * 5).
START_TEST(fit_spearman_ranks) {
    const double x[] = {1, 2, 3, 4, 5}, y[] = {20, 10, 40, 30, 50}, xt[] = {1, 2, 2, 3}, yt[] = {-3, 0, 1, 9};
    ck_assert_double_eq_tol(fit_spearman(x, y, 5), 0.8, 1e-15);
    ck_assert_double_eq_tol(fit_spearman(xt, yt, 4), 4.5 / sqrt(22.5), 1e-15);
    ck_assert(isnan(fit_spearman(x, y, 1)));
}
END_TEST

START_TEST(blas_binding) {
    const char *want = getenv("BLAS_EXPECT");
    const char *got = blas_library();
    if (!want || !*want) return;  // run outside make: nothing to compare against
    if (strstr(want, "openblas")) ck_assert_msg(strstr(got, "openblas") != NULL, "cblas_dgemm bound to %s", got);
    if (strstr(want, "gslcblas")) ck_assert_msg(strstr(got, "gslcblas") != NULL, "cblas_dgemm bound to %s", got);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("core");
    TCase *t = tcase_create("rng");
    tcase_add_test(t, rng_same_seed_same_stream);
    tcase_add_test(t, rng_sphere_moments);
    tcase_add_test(t, rng_subset_distinct);
    suite_add_tcase(s, t);
    t = tcase_create("cli");
    tcase_add_test(t, cli_ok);
    tcase_add_exit_test(t, cli_negative_ridge, 2);
    tcase_add_exit_test(t, cli_nan, 2);
    tcase_add_exit_test(t, cli_trailing, 2);
    tcase_add_exit_test(t, cli_unknown, 2);
    tcase_add_exit_test(t, cli_choice, 2);
    tcase_add_exit_test(t, cli_missing, 2);
    tcase_add_exit_test(t, cli_list, 2);
    suite_add_tcase(s, t);
    t = tcase_create("tsv");
    tcase_add_test(t, tsv_atomic);
    tcase_add_exit_test(t, tsv_nan_dies, 1);
    suite_add_tcase(s, t);
    t = tcase_create("idx");
    tcase_add_test(t, idx_rejects_corrupt);
    tcase_add_test(t, idx_reads_mnist);
    suite_add_tcase(s, t);
    t = tcase_create("linalg");
    tcase_add_test(t, linalg_chol_and_eigh);
    tcase_add_test(t, linalg_svd_wide_range);
    tcase_add_test(t, fit_spearman_ranks);
    tcase_add_test(t, blas_binding);
    suite_add_tcase(s, t);
    return s;
}

TEST_MAIN()
