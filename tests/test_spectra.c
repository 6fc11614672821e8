// test_spectra: common/spectra against closed forms, GSL and dense eigendecompositions
// (conventions.md, Sphere and hypercube spectra; Power-law spectra and tails).
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_gegenbauer.h>
#include <gsl/gsl_sf_zeta.h>
#include <string.h>
#include "kernel.h"
#include "linalg.h"
#include "rng.h"
#include "spectra.h"
#include "testlib.h"
#include "util.h"

static double prof_t(double t, void *p) {
    (void)p;
    return t;
}
static double prof_t2(double t, void *p) {
    (void)p;
    return t * t;
}
static double prof_gauss(double t, void *p) { return exp(-(1 - t) * *(double *)p); }

START_TEST(sphere_multiplicities) {
    for (int k = 0; k < 40; k++) ck_assert(spectra_sphere_multiplicity(3, k) == 2 * k + 1);
    double N8[] = {1, 8, 35, 112, 294};
    for (int k = 0; k < 5; k++) ck_assert(spectra_sphere_multiplicity(8, k) == N8[k]);
    ck_assert(spectra_sphere_multiplicity(2, 7) == 2);
    // N(4,k) = (k+1)^2
    for (int k = 0; k < 100; k++) ck_assert(spectra_sphere_multiplicity(4, k) == (k + 1.0) * (k + 1.0));
}
END_TEST

// Recurrence vs GSL for d >= 3: C_k^{(d/2-1)}(t)/C_k^{(d/2-1)}(1) = P_k^{(d)}(t) to 1e-12.
// (GSL is wrong at d = 2, lambda = 0, a known pitfall; d = 2 is checked against cos(k th).)
START_TEST(gegenbauer_vs_gsl) {
    double P[31];
    int ds[] = {3, 4, 5, 8, 13};
    for (int q = 0; q < 5; q++)
        for (double t = -0.97; t < 1; t += 0.1385) {
            int d = ds[q];
            spectra_gegenbauer(d, 30, t, P);
            for (int k = 0; k <= 30; k++) {
                double ref = gsl_sf_gegenpoly_n(k, d / 2.0 - 1, t) / gsl_sf_gegenpoly_n(k, d / 2.0 - 1, 1.0);
                ck_assert_abs(P[k], ref, 1e-12);
            }
        }
    for (double th = 0.1; th < 3.1; th += 0.37) {
        spectra_gegenbauer(2, 30, cos(th), P);
        for (int k = 0; k <= 30; k++) ck_assert_abs(P[k], cos(k * th), 1e-12);
    }
}
END_TEST

// Funk-Hecke vs closed forms: K = t gives lambda_1 = 1/d; K = t^2 gives lambda_0 = 1/d,
// lambda_2 = 2/(d(d+2)); others 0.  Gauss-Legendre is exact for these polynomials: 1e-14.
START_TEST(funk_hecke_polynomials) {
    for (int d = 2; d <= 9; d += 1) {
        spectra_sphere *w = spectra_sphere_alloc(d, 6, 200);
        double lam[7];
        spectra_sphere_eigenvalues(w, prof_t, NULL, lam);
        for (int k = 0; k <= 6; k++) ck_assert_abs(lam[k], k == 1 ? 1.0 / d : 0.0, 1e-14);
        spectra_sphere_eigenvalues(w, prof_t2, NULL, lam);
        for (int k = 0; k <= 6; k++)
            ck_assert_abs(lam[k], k == 0 ? 1.0 / d : k == 2 ? 2.0 / (d * (d + 2.0)) : 0.0, 1e-14);
        ck_assert_abs(lam[0] + spectra_sphere_multiplicity(d, 2) * lam[2], 1.0, 1e-14);
        spectra_sphere_free(w);
    }
}
END_TEST

// Gaussian Bessel closed form vs 2000-node Funk-Hecke: d = 5, l = 1, 1e-10 relative for
// k <= 4, and measured reference values to their 11 digits.
START_TEST(funk_hecke_gaussian_bessel) {
    double ref[] = {4.0600584971e-01, 7.8979526016e-02, 1.1108219632e-02, 1.2219885915e-03, 1.1032230818e-04};
    spectra_sphere *w = spectra_sphere_alloc(5, 4, 2000);
    double lam[5], b = 1.0;
    spectra_sphere_eigenvalues(w, prof_gauss, &b, lam);
    for (int k = 0; k <= 4; k++) {
        ck_assert_rel(lam[k], spectra_sphere_gaussian(5, k, b), 1e-10);
        ck_assert_rel(spectra_sphere_gaussian(5, k, b), ref[k], 1e-10);
    }
    spectra_sphere_free(w);
    // and another (d, b) pair, through the kernel_spec route: gaussian l = 0.8 on S^7
    kernel_spec g;
    char err[100];
    kernel_spec_parse(&g, "gaussian", 0.8, 0, 0, 0, err, sizeof err);
    w = spectra_sphere_alloc(8, 4, 1500);
    spectra_sphere_kernel(w, &g, 1.0, lam);
    for (int k = 0; k <= 4; k++) ck_assert_rel(lam[k], spectra_sphere_gaussian(8, k, 1 / 0.64), 1e-10);
    spectra_sphere_free(w);
}
END_TEST

// Laplace l = 1 on S^7: measured reference values (6 digits: 1e-5), sum N lambda = 0.994951 at
// kmax = 400 (3000 nodes), and K(1) = 1 within 1e-3 at kmax = 3000 (the rest is tail mass).
START_TEST(funk_hecke_laplace_s7) {
    double ref[] = {2.58454e-1, 2.47892e-2, 3.47480e-3, 6.89943e-4, 1.79502e-4};
    kernel_spec k;
    char err[100];
    kernel_spec_parse(&k, "laplace", 1.0, 0, 0, 0, err, sizeof err);
    spectra_sphere *w = spectra_sphere_alloc(8, 400, 3000);
    double *lam = xmalloc(3001, sizeof *lam);
    spectra_sphere_kernel(w, &k, 1.0, lam);
    for (int j = 0; j < 5; j++) ck_assert_rel(lam[j], ref[j], 1e-5);
    double S = 0;
    for (int j = 0; j <= 400; j++) S += spectra_sphere_multiplicity(8, j) * lam[j];
    ck_assert_abs(S, 0.994951, 1e-6);
    spectra_sphere_free(w);
    w = spectra_sphere_alloc(8, 3000, 8000);
    spectra_sphere_kernel(w, &k, 1.0, lam);
    S = 0;
    for (int j = 0; j <= 3000; j++) S += spectra_sphere_multiplicity(8, j) * lam[j];
    ck_assert_msg(S < 1.0 + 1e-9 && S > 1.0 - 1e-3, "sum N lambda = %.10g", S);
    spectra_sphere_free(w);
    free(lam);
}
END_TEST

// Krawtchouk vs the dense 2^d x 2^d Gram matrix / 2^d (dsyevd), d = 8 Laplace l = 2 (the
// krr-curves kernel): every eigenvalue with its multiplicity, to 1e-12 (dsyevd's backward error
// eps * |K| * 2^d ~ 1e-13).  Also sum C(d,k) lambda_k = g(0) and reference values.
START_TEST(cube_krawtchouk_vs_dense) {
    const int d = 8, N = 256;
    kernel_spec k;
    char err[100];
    kernel_spec_parse(&k, "laplace", 2.0, 0, 0, 0, err, sizeof err);
    double g[9], lam[9];
    spectra_cube_profile(&k, d, g);
    spectra_cube_levels(d, g, lam);
    double *X = xmalloc((size_t)N * d, sizeof *X), *K = xmalloc((size_t)N * N, sizeof *K), w[256];
    for (int v = 0; v < N; v++) rng_cube_vertex(v, d, X + (size_t)v * d);
    kernel_gram_sym(&k, N, d, X, K);
    ck_assert_int_eq(la_eigh(N, K, w, 0), 0);
    // expected multiset, sorted ascending
    double e[256];
    int c = 0;
    for (int q = 0; q <= d; q++)
        for (int j = 0; j < (int)gsl_sf_choose(d, q); j++) e[c++] = lam[q];
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            if (e[j] < e[i]) {
                double t = e[i];
                e[i] = e[j], e[j] = t;
            }
    for (int i = 0; i < N; i++) ck_assert_abs(w[i] / N, e[i], 1e-12);
    double S = 0;
    for (int q = 0; q <= d; q++) S += gsl_sf_choose(d, q) * lam[q];
    ck_assert_rel(S, g[0], 1e-13);
    double ref[] = {1.530e-1, 2.304e-2, 6.421e-3, 3.129e-3, 2.161e-3, 1.772e-3, 1.576e-3, 1.460e-3, 1.382e-3};
    for (int q = 0; q <= d; q++) ck_assert_rel(lam[q], ref[q], 1e-3);  // 4 printed digits
    free(X), free(K);
}
END_TEST

// Product kernel g(h) = rho^h: lambda_k = ((1-rho)/2)^k ((1+rho)/2)^{d-k} (d = 6, rho = 0.3; and the
// Gaussian on the cube, rho = exp(-2/l^2)).  Exact algebra up to binomial sums: 1e-13 relative.
START_TEST(cube_product_closed_form) {
    double g[13], lam[13];
    for (int h = 0; h <= 6; h++) g[h] = pow(0.3, h);
    spectra_cube_levels(6, g, lam);
    for (int k = 0; k <= 6; k++) ck_assert_rel(lam[k], pow(0.35, k) * pow(0.65, 6 - k), 1e-13);
    kernel_spec gs;
    char err[100];
    kernel_spec_parse(&gs, "gaussian", 1.7, 0, 0, 0, err, sizeof err);
    spectra_cube_profile(&gs, 12, g);
    spectra_cube_levels(12, g, lam);
    double rho = exp(-2 / (1.7 * 1.7));
    for (int k = 0; k <= 12; k++) ck_assert_rel(lam[k], pow((1 - rho) / 2, k) * pow((1 + rho) / 2, 12 - k), 1e-11);
}
END_TEST

// Power-law tails vs brute force: alpha = 1.5, kappa = 1e-4, M = 1000 (measured errors
// 1.9e-8 and 1.5e-7: the midpoint-continuum approximation); assert 1e-6.  Brute force sums to
// N = 1e7, then adds the remainder kappa^-1 zeta(a, N+1) - kappa^-2 zeta(2a, N+1) (+ O(1e-13)).
START_TEST(powerlaw_tail_sums) {
    double a = 1.5, kappa = 1e-4, M = 1000, S1, S2;
    spectra_powerlaw_tail_sums(a, kappa, M, &S1, &S2);
    double b1 = 0, b2 = 0;
    const long N = 10000000;
    for (long i = N; i > M; i--) {  // small terms first
        double L = 1 / (1 + kappa * pow((double)i, a));
        b1 += L, b2 += L * L;
    }
    b1 += gsl_sf_hzeta(a, N + 1.0) / kappa - gsl_sf_hzeta(2 * a, N + 1.0) / (kappa * kappa);
    b2 += gsl_sf_hzeta(2 * a, N + 1.0) / (kappa * kappa);
    ck_assert_rel(S1, b1, 1e-6);
    ck_assert_rel(S2, b2, 1e-6);
    ck_assert_rel(spectra_powerlaw_tail_mass(2.0, 0), M_PI * M_PI / 6, 1e-14);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("spectra");
    TCase *t = tcase_create("spectra");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, sphere_multiplicities);
    tcase_add_test(t, gegenbauer_vs_gsl);
    tcase_add_test(t, funk_hecke_polynomials);
    tcase_add_test(t, funk_hecke_gaussian_bessel);
    tcase_add_test(t, funk_hecke_laplace_s7);
    tcase_add_test(t, cube_krawtchouk_vs_dense);
    tcase_add_test(t, cube_product_closed_form);
    tcase_add_test(t, powerlaw_tail_sums);
    suite_add_tcase(s, t);
    return s;
}
TEST_MAIN()
