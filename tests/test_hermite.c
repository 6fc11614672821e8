// test_hermite: common/hermite against GSL, quadrature, closed-form profiles and brute force.
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_hermite.h>
#include <gsl/gsl_sf_gamma.h>
#include <stdlib.h>
#include <string.h>
#include "hermite.h"
#include "testlib.h"

// He_n by our recurrence vs gsl_sf_hermite_prob, n <= 20, |z| <= 6.  Relative 1e-12,
// with an absolute floor of 1e-12 * sum_k |coefficient_k| |z|^k bound, taken as
// 1e-12 * He_n(|z|+ .. ) ~ 1e-12 * sqrt(n!) (1+|z|)^n: near a root the value cancels and only
// an error relative to the size of the terms is meaningful.
START_TEST(he_vs_gsl) {
    for (int n = 0; n <= 20; n++)
        for (double z = -6.0; z <= 6.0001; z += 0.2385) {
            double a = hermite_he(n, z), b = gsl_sf_hermite_prob(n, z);
            double scale = sqrt(gsl_sf_fact((unsigned)n)) * pow(1.0 + fabs(z), n);
            ck_assert_msg(fabs(a - b) <= 1e-12 * fmax(fabs(b), scale), "He_%d(%g): %.17g vs GSL %.17g", n, z, a, b);
            // normalised form agrees with He_n / sqrt(n!)
            double h = hermite_h(n, z);
            ck_assert_msg(fabs(h - a / sqrt(gsl_sf_fact((unsigned)n))) <= 1e-12 * fmax(fabs(h), pow(1.0 + fabs(z), n)),
                          "h_%d(%g) = %.17g", n, z, h);
        }
}
END_TEST

// E_{z~N(0,1)}[h_m h_n] = delta_mn for m, n <= 10, by 30-node Gauss-Hermite quadrature
// (exact for polynomials of degree <= 59; weight e^{-x^2}, so z = sqrt(2) x and divide by
// sqrt(pi)).  Tolerance 1e-12: rounding of 30 terms of size up to ~1.
START_TEST(h_orthonormal) {
    const int nq = 30;
    gsl_integration_fixed_workspace *w =
        gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, nq, 0.0, 1.0, 0.0, 0.0);
    const double *x = gsl_integration_fixed_nodes(w), *wt = gsl_integration_fixed_weights(w);
    double h[11];
    double G[11][11] = {{0}};
    for (int i = 0; i < nq; i++) {
        hermite_h_array(10, sqrt(2.0) * x[i], h);
        for (int m = 0; m <= 10; m++)
            for (int n = 0; n <= 10; n++) G[m][n] += wt[i] * h[m] * h[n] / sqrt(M_PI);
    }
    for (int m = 0; m <= 10; m++)
        for (int n = 0; n <= 10; n++) ck_assert_abs(G[m][n], m == n ? 1.0 : 0.0, 1e-12);
    // a bivariate monomial h_(0,0,1) = h_2(z0) h_1(z1) has unit norm and is orthogonal to h_(0,1)
    int a[3] = {0, 0, 1}, b[2] = {0, 1};
    double nrm = 0, ov = 0;
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nq; j++) {
            double z[2] = {sqrt(2.0) * x[i], sqrt(2.0) * x[j]};
            double wij = wt[i] * wt[j] / M_PI;
            double ha = hermite_mono_eval(3, a, z);
            nrm += wij * ha * ha;
            ov += wij * ha * hermite_mono_eval(2, b, z);
        }
    ck_assert_abs(nrm, 1.0, 1e-12);
    ck_assert_abs(ov, 0.0, 1e-12);
    gsl_integration_fixed_free(w);
}
END_TEST

START_TEST(mono_table_parse_name) {
    int idx[HERMITE_LMAX];
    ck_assert_int_eq(hermite_mono_parse("3:1,0:2", idx), 3);
    ck_assert_int_eq(idx[0], 0);
    ck_assert_int_eq(idx[1], 0);
    ck_assert_int_eq(idx[2], 3);
    ck_assert_int_eq(hermite_mono_parse("", idx), 0);
    ck_assert_int_eq(hermite_mono_parse("1", idx), 0);
    ck_assert_int_eq(hermite_mono_parse("x:1", idx), -1);
    ck_assert_int_eq(hermite_mono_parse("2:0", idx), -1);
    ck_assert_int_eq(hermite_mono_parse("2:1;", idx), -1);
    char buf[64];
    hermite_mono_parse("0:2,3:1", idx);
    hermite_mono_name(3, idx, buf, sizeof buf);
    ck_assert_str_eq(buf, "z0^2 z3");
    // table evaluation equals direct evaluation
    double z[4] = {0.37, -1.2385, 2.1, 0.5}, tab[4 * 6];
    for (int a = 0; a < 4; a++) hermite_h_array(5, z[a], tab + a * 6);
    ck_assert_rel(hermite_mono_eval_table(3, idx, tab, 6), hermite_mono_eval(3, idx, z), 1e-15);
    ck_assert_rel(hermite_mono_eval(3, idx, z), hermite_h(2, z[0]) * hermite_h(1, z[3]), 1e-15);
}
END_TEST

// Bessel polynomials: y_3(x) = 1 + 6x + 15x^2 + 15x^3 [DLMF 18.34.2 table].
START_TEST(bessel_poly) {
    double x = 0.7385;
    ck_assert_rel(hermite_bessel_poly(3, x), 1 + 6 * x + 15 * x * x + 15 * x * x * x, 1e-15);
    ck_assert_rel(hermite_bessel_poly(1, x), 1 + x, 1e-15);
    ck_assert_rel(hermite_bessel_poly(-1, x), 1.0, 0);
    // explicit sum for n = 7
    double s = 0;
    for (int j = 0; j <= 7; j++) s += gsl_sf_fact(7 + j) / (gsl_sf_fact(7 - j) * gsl_sf_fact(j)) * pow(x / 2, j);
    ck_assert_rel(hermite_bessel_poly(7, x), s, 1e-14);
}
END_TEST

static double series(const double *c, int L, double u) {
    double s = 0, t = 1;
    for (int l = 0; l < L; l++) {
        s += c[l] * t;
        t *= u / (l + 1);
    }
    return s;
}

// hea.C1: 20-term series sum c_l u^l/l! vs the on-sphere profile.  Gaussian: 1e-12 on
// [-1,1] for w >= 2 (measured 2e-16).  Laplace: 1e-7 on [-0.5,0.5] for s in {1,4,8} (measured
// <= 1.2e-8; truncation of a series with radius 1).  Not asserted near u = 1 (branch point).
START_TEST(level_coeffs_vs_profile) {
    double c[20];
    const double wg[] = {2, 4, 6}, wl[] = {1, 4, 8};
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(hermite_level_coeffs("gaussian", wg[k], 19, c), 0);
        for (double u = -1; u <= 1.0001; u += 0.05)
            ck_assert_rel(series(c, 20, u), exp(-(1 - u) / (wg[k] * wg[k])), 1e-12);
        ck_assert_int_eq(hermite_level_coeffs("laplace-hea", wl[k], 19, c), 0);
        for (double u = -0.5; u <= 0.5001; u += 0.025) ck_assert_rel(series(c, 20, u), exp(-sqrt(1 - u) / wl[k]), 1e-7);
        // the Laplace series does NOT converge fast at u = 0.9 (measured 3e-4..3.5e-3):
        // a test that asserts 1e-7 there would have to fail.
        double e9 = fabs(series(c, 20, 0.9) / exp(-sqrt(0.1) / wl[k]) - 1);
        ck_assert_msg(e9 > 1e-6, "laplace series at u = 0.9 unexpectedly accurate: %g", e9);
    }
    ck_assert_int_eq(hermite_level_coeffs("nope", 1, 3, c), -1);
    ck_assert_int_eq(hermite_level_coeffs("gaussian", -1, 3, c), -1);
}
END_TEST

// The priority queue against exhaustive enumeration plus sort, d = 12, l <= 3.
typedef struct {
    double lam;
    int deg, idx[3];
} mono;
static int cmp_mono(const void *a, const void *b) {
    double x = ((const mono *)a)->lam, y = ((const mono *)b)->lam;
    return (x < y) - (x > y);
}
START_TEST(queue_vs_exhaustive) {
    const int d = 12, L = 3;
    double gamma[12], c[4];
    double s = 0;
    for (int a = 0; a < d; a++) s += gamma[a] = pow(a + 1.385, -1.7);
    for (int a = 0; a < d; a++) gamma[a] /= s;
    ck_assert_int_eq(hermite_level_coeffs("gaussian", 0.61, L, c), 0);  // narrow: levels overlap
    mono *all = malloc(1000 * sizeof *all);
    int n = 0;
    all[n++] = (mono){c[0], 0, {-1, -1, -1}};
    for (int i = 0; i < d; i++) {
        all[n++] = (mono){c[1] * gamma[i], 1, {i, -1, -1}};
        for (int j = i; j < d; j++) {
            all[n++] = (mono){c[2] * gamma[i] * gamma[j], 2, {i, j, -1}};
            for (int k = j; k < d; k++) all[n++] = (mono){c[3] * gamma[i] * gamma[j] * gamma[k], 3, {i, j, k}};
        }
    }
    ck_assert_int_eq(n, 1 + 12 + 78 + 364);
    qsort(all, (size_t)n, sizeof *all, cmp_mono);
    hermite_modes m;
    hermite_modes_enumerate(d, gamma, L, c, 2000, &m);
    ck_assert_int_eq((int)m.P, n);  // every monomial, once (dedup)
    for (int r = 0; r < n; r++) {
        ck_assert_rel(m.lambda[r], all[r].lam, 1e-14);
        if (r) ck_assert(m.lambda[r] <= m.lambda[r - 1]);
        // the mode at rank r has the eigenvalue its tuple says
        double lp = c[m.deg[r]];
        for (int j = 0; j < m.deg[r]; j++) lp *= gamma[m.idx[r * L + j]];
        ck_assert_rel(lp, m.lambda[r], 1e-15);
    }
    // and no tuple appears twice
    for (int r = 0; r < n; r++)
        for (int q = r + 1; q < n; q++)
            ck_assert(!(m.deg[r] == m.deg[q] && memcmp(m.idx + r * L, m.idx + q * L, sizeof(int) * L) == 0));
    hermite_modes_free(&m);
    // a top-P cut equals the head of the full list
    hermite_modes_enumerate(d, gamma, L, c, 50, &m);
    ck_assert_int_eq((int)m.P, 50);
    for (int r = 0; r < 50; r++) ck_assert_rel(m.lambda[r], all[r].lam, 1e-14);
    hermite_modes_free(&m);
    free(all);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("hermite");
    TCase *t = tcase_create("hermite");
    tcase_add_test(t, he_vs_gsl);
    tcase_add_test(t, h_orthonormal);
    tcase_add_test(t, mono_table_parse_name);
    tcase_add_test(t, bessel_poly);
    tcase_add_test(t, level_coeffs_vs_profile);
    tcase_add_test(t, queue_vs_exhaustive);
    suite_add_tcase(s, t);
    return s;
}
TEST_MAIN()
