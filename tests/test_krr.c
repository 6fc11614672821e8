// test_krr: kernel ridge regression by Cholesky and by one eigendecomposition, and the pool
// spectrum (conventions.md, Kernel ridge regression; Empirical (pool) spectra).
#include <gsl/gsl_cblas.h>
#include <string.h>
#include "kernel.h"
#include "krr.h"
#include "rng.h"
#include "testlib.h"
#include "util.h"

static double maxabs(size_t n, const double *a) {
    double m = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(a[i]) > m) m = fabs(a[i]);
    return m;
}
static double maxdiff(size_t n, const double *a, const double *b) {
    double m = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(a[i] - b[i]) > m) m = fabs(a[i] - b[i]);
    return m;
}

// Data: n points on S^4, Laplace l = 1.3 (well conditioned), 3 targets.
static void setup(int n, int nt, double *X, double *T, double *Y) {
    gsl_rng *r = rng_alloc(2385, 7);
    for (int i = 0; i < n; i++) rng_sphere(r, 5, X + (size_t)i * 5);
    for (int i = 0; i < nt; i++) rng_sphere(r, 5, T + (size_t)i * 5);
    for (int i = 0; i < n; i++) {
        const double *x = X + (size_t)i * 5;
        Y[i * 3 + 0] = x[0];
        Y[i * 3 + 1] = x[1] * x[2] + 0.3 * rng_normal(r);
        Y[i * 3 + 2] = sin(3 * x[3]);
    }
    rng_free(r);
}

// The ridge sweep by one dsyevd equals the Cholesky solve to 1e-10 relative (both are
// backward stable; the condition number of K + delta I at delta >= 1e-3 is below 1e4 here).
START_TEST(sweep_vs_cholesky) {
    const int n = 250, nt = 90;
    double *X = xmalloc((size_t)n * 5, sizeof *X), *T = xmalloc((size_t)nt * 5, sizeof *T);
    double *Y = xmalloc((size_t)n * 3, sizeof *Y), *K = xmalloc((size_t)n * n, sizeof *K);
    double *Kc = xmalloc((size_t)n * n, sizeof *Kc), *Kt = xmalloc((size_t)nt * n, sizeof *Kt);
    double *A = xmalloc((size_t)n * 3, sizeof *A), *P = xmalloc((size_t)nt * 3, sizeof *P);
    double *A2 = xmalloc((size_t)n * 3, sizeof *A2), *P2 = xmalloc((size_t)nt * 3, sizeof *P2);
    double *R = xmalloc((size_t)n * 3, sizeof *R), *F = xmalloc((size_t)n * 3, sizeof *F);
    setup(n, nt, X, T, Y);
    kernel_spec k;
    char err[100];
    kernel_spec_parse(&k, "laplace", 1.3, 0, 0, 0, err, sizeof err);
    kernel_gram_sym(&k, n, 5, X, K);
    kernel_gram(&k, nt, n, 5, T, X, Kt);
    krr_sweep *s = krr_sweep_alloc(n, nt, 3);
    ck_assert_int_eq(krr_sweep_prepare(s, K, Y, Kt), 0);
    double deltas[] = {1e-3, 0.1, 2.385};
    for (int q = 0; q < 3; q++) {
        memcpy(Kc, K, (size_t)n * n * sizeof *K);
        memcpy(A, Y, (size_t)n * 3 * sizeof *Y);
        ck_assert_int_eq(krr_solve(n, Kc, deltas[q], 3, A, nt, Kt, P), 0);
        ck_assert_int_eq(krr_sweep_eval(s, deltas[q], A2, R, P2), 0);
        ck_assert_msg(maxdiff(n * 3, A, A2) <= 1e-10 * maxabs(n * 3, A), "alpha at delta %g", deltas[q]);
        ck_assert_msg(maxdiff(nt * 3, P, P2) <= 1e-10 * maxabs(nt * 3, P), "pred at delta %g", deltas[q]);
        // residual y - K alpha, with K alpha by GEMM
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, 3, n, 1.0, K, n, A, 3, 0.0, F, 3);
        for (int i = 0; i < n * 3; i++) F[i] = Y[i] - F[i];
        ck_assert_msg(maxdiff(n * 3, F, R) <= 1e-10 * maxabs(n * 3, Y), "resid at delta %g", deltas[q]);
    }
    krr_sweep_free(s);
    free(X), free(T), free(Y), free(K), free(Kc), free(Kt), free(A), free(P), free(A2), free(P2), free(R), free(F);
}
END_TEST

// Ridgeless Laplace interpolates: train MSE < 1e-8 x label variance.
START_TEST(ridgeless_interpolates) {
    const int n = 400;
    double *X = xmalloc((size_t)n * 5, sizeof *X), *Y = xmalloc((size_t)n * 3, sizeof *Y);
    double *K = xmalloc((size_t)n * n, sizeof *K), *Kc = xmalloc((size_t)n * n, sizeof *Kc);
    double *A = xmalloc((size_t)n * 3, sizeof *A), *F = xmalloc((size_t)n * 3, sizeof *F);
    setup(n, 0, X, NULL, Y);
    kernel_spec k;
    char err[100];
    kernel_spec_parse(&k, "laplace", 1.0, 0, 0, 0, err, sizeof err);
    kernel_gram_sym(&k, n, 5, X, K);
    memcpy(Kc, K, (size_t)n * n * sizeof *K);
    memcpy(A, Y, (size_t)n * 3 * sizeof *Y);
    ck_assert_int_eq(krr_solve(n, Kc, 0.0, 3, A, 0, NULL, NULL), 0);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, 3, n, 1.0, K, n, A, 3, 0.0, F, 3);
    for (int j = 0; j < 3; j++) {
        double mse = 0, var = 0, mean = 0;
        for (int i = 0; i < n; i++) mean += Y[i * 3 + j] / n;
        for (int i = 0; i < n; i++) {
            mse += (F[i * 3 + j] - Y[i * 3 + j]) * (F[i * 3 + j] - Y[i * 3 + j]) / n;
            var += (Y[i * 3 + j] - mean) * (Y[i * 3 + j] - mean) / n;
        }
        ck_assert_msg(mse < 1e-8 * var, "target %d: train mse %g, var %g", j, mse, var);
    }
    free(X), free(Y), free(K), free(Kc), free(A), free(F);
}
END_TEST

// A matrix that is not positive definite: krr_solve returns LAPACK's info > 0 (no jitter).
START_TEST(not_positive_definite_reported) {
    double K[9] = {1, 2, 0, 2, 1, 0, 0, 0, 1}, y[3] = {1, 2, 3};
    ck_assert_int_eq(krr_solve(3, K, 0.0, 1, y, 0, NULL, NULL), 2);
    double K2[4] = {1, 1, 1, 1}, y2[2] = {1, 2};  // a repeated point, ridgeless: singular
    ck_assert_int_gt(krr_solve(2, K2, 0.0, 1, y2, 0, NULL, NULL), 0);
    double K3[4] = {1, 1, 1, 1}, y3[2] = {1, 2};  // with a ridge it solves: alpha = (K + I)^{-1} y
    ck_assert_int_eq(krr_solve(2, K3, 1.0, 1, y3, 0, NULL, NULL), 0);
    ck_assert_abs(y3[0], 0.0, 1e-15);  // [[2,1],[1,2]]^{-1} (1,2) = (0, 1)
    ck_assert_rel(y3[1], 1.0, 1e-14);
}
END_TEST

// Pool spectrum: sum lambda = mean K(x,x) = 1 (Laplace), descending, U orthonormal,
// sum_i v_i^2 = |y|^2 / M (Parseval), and K = M sum_i lambda_i u_i u_i^T, all to 1e-12.
// Also Tr (K + delta I)^{-1} by Cholesky equals sum 1/(M lambda_i + delta).
START_TEST(pool_spectrum) {
    const int M = 220;
    double *X = xmalloc((size_t)M * 5, sizeof *X), *Y = xmalloc((size_t)M * 3, sizeof *Y);
    double *K = xmalloc((size_t)M * M, sizeof *K), *U = xmalloc((size_t)M * M, sizeof *U);
    double *lam = xmalloc(M, sizeof *lam), *v = xmalloc((size_t)M * 3, sizeof *v);
    setup(M, 0, X, NULL, Y);
    kernel_spec k;
    char err[100];
    kernel_spec_parse(&k, "laplace", 0.9, 0, 0, 0, err, sizeof err);
    kernel_gram_sym(&k, M, 5, X, K);
    memcpy(U, K, (size_t)M * M * sizeof *K);
    ck_assert_int_eq(krr_pool_spectrum(M, U, 3, Y, lam, v), 0);
    double S = 0;
    for (int i = 0; i < M; i++) {
        S += lam[i];
        if (i) ck_assert(lam[i] <= lam[i - 1]);
    }
    ck_assert_rel(S, 1.0, 1e-12);
    for (int j = 0; j < 3; j++) {
        double a = 0, b = 0;
        for (int i = 0; i < M; i++) a += v[i * 3 + j] * v[i * 3 + j], b += Y[i * 3 + j] * Y[i * 3 + j] / M;
        ck_assert_rel(a, b, 1e-12);
    }
    double worst = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            double r = 0;
            for (int q = 0; q < M; q++) r += M * lam[q] * U[(size_t)i * M + q] * U[(size_t)j * M + q];
            if (fabs(r - K[(size_t)i * M + j]) > worst) worst = fabs(r - K[(size_t)i * M + j]);
        }
    ck_assert_msg(worst < 1e-12, "reconstruction error %g", worst);
    double tr, ref = 0, delta = 0.0385;
    for (int i = 0; i < M; i++) ref += 1 / (M * lam[i] + delta);
    ck_assert_int_eq(krr_trace_inverse(M, K, delta, &tr), 0);
    ck_assert_rel(tr, ref, 1e-10);
    free(X), free(Y), free(K), free(U), free(lam), free(v);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("krr");
    TCase *t = tcase_create("krr");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, sweep_vs_cholesky);
    tcase_add_test(t, ridgeless_interpolates);
    tcase_add_test(t, not_positive_definite_reported);
    tcase_add_test(t, pool_spectrum);
    suite_add_tcase(s, t);
    return s;
}
TEST_MAIN()
