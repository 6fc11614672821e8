// test_eigenframework: the kappa solver and the predictions (conventions.md, Eigenframework).
#include <string.h>
#include "eigenframework.h"
#include "spectra.h"
#include "testlib.h"
#include "util.h"

// Two modes, ridgeless: a/(a+k) + b/(b+k) = n is the quadratic n k^2 + (n-1)(a+b) k + (n-2) ab = 0
// (n in (0,2)).  Root-finding to |du| < 1e-13: 1e-12 relative.
START_TEST(two_modes_quadratic) {
    double lam[2] = {0.7385, 0.0213}, n = 1.37;
    ef_spectrum s = {.M = 2, .lam = lam};
    ef_fit f;
    ck_assert_int_eq(ef_solve(&s, n, 0.0, &f), 0);
    double A = n, B = (n - 1) * (lam[0] + lam[1]), C = (n - 2) * lam[0] * lam[1];
    double k = (-B + sqrt(B * B - 4 * A * C)) / (2 * A);
    ck_assert_rel(f.kappa, k, 1e-12);
    double L0 = lam[0] / (lam[0] + k), L1 = lam[1] / (lam[1] + k);
    ck_assert_rel(f.E0, n / (n - L0 * L0 - L1 * L1), 1e-11);
    // the same two modes as one level of multiplicity 2 (equal eigenvalues): 2 lam/(lam+k) = n
    double lv = 0.3, m = 2;
    ef_spectrum s2 = {.M = 1, .lam = &lv, .mult = &m};
    ck_assert_int_eq(ef_solve(&s2, n, 0.0, &f), 0);
    ck_assert_rel(f.kappa, lv * (2 - n) / n, 1e-12);
}
END_TEST

// Bracket logic: ridgeless with N+ <= n has no root (exact interpolation); zero eigenvalues do
// not count; a ridge always gives a root; kappa reaches 1e-15 (alpha = 3, n = 1e5; expected
// 1.8e-15) through the analytic tail.
START_TEST(bracket_logic) {
    double lam[5] = {1, 0.5, 0.25, 0, 0};
    ef_spectrum s = {.M = 5, .lam = lam};
    ef_fit f;
    ck_assert_int_eq(ef_solve(&s, 3.0, 0.0, &f), EF_ENOROOT);
    ck_assert_int_eq(ef_solve(&s, 2.5, 0.0, &f), 0);
    ck_assert_int_eq(ef_solve(&s, 30.0, 1e-3, &f), 0);
    ck_assert_rel(f.sumL + 1e-3 / f.kappa, 30.0, 1e-12);
    ck_assert_int_eq(ef_solve(&s, -1.0, 0.0, &f), EF_EINVAL);
    // alpha = 3: explicit 1e5 modes + tail, n = 1e5 > M: only the tail makes a root possible
    const size_t M = 100000;
    double *l = xmalloc(M, sizeof *l);
    for (size_t i = 0; i < M; i++) l[i] = pow(i + 1.0, -3);
    spectra_powerlaw_tail tp = {3.0, (double)M, 1.0};
    ef_spectrum p = {.M = M,
                     .lam = l,
                     .tail = spectra_powerlaw_tail_fn,
                     .tail_par = &tp,
                     .tail_mass = spectra_powerlaw_tail_mass(3.0, M)};
    ck_assert_int_eq(ef_solve(&p, 1e5, 0.0, &f), 0);
    ck_assert_msg(f.kappa > 1.6e-15 && f.kappa < 2.0e-15, "kappa = %g", f.kappa);
    ck_assert_rel(f.kappa, ef_powerlaw_kappa(3.0, 1e5 + 0.5), 2e-3);  // continuum, n + 1/2
    free(l);
}
END_TEST

// Power-law ridgeless E0 with the infinite spectrum (1e5 explicit modes + analytic tail):
// E0(n) = alpha n/(n + 1/2) to 2e-3 alpha (measured 4-digit agreement).
START_TEST(powerlaw_E0) {
    const size_t M = 100000;
    double *l = xmalloc(M, sizeof *l);
    double alphas[] = {1.25, 1.5, 2, 3}, ns[] = {256, 1024, 4096};
    for (int a = 0; a < 4; a++) {
        double al = alphas[a];
        for (size_t i = 0; i < M; i++) l[i] = pow(i + 1.0, -al);
        spectra_powerlaw_tail tp = {al, (double)M, 1.0};
        ef_spectrum p = {.M = M,
                         .lam = l,
                         .tail = spectra_powerlaw_tail_fn,
                         .tail_par = &tp,
                         .tail_mass = spectra_powerlaw_tail_mass(al, M)};
        for (int q = 0; q < 3; q++) {
            ef_fit f;
            ck_assert_int_eq(ef_solve(&p, ns[q], 0.0, &f), 0);
            ck_assert_abs(f.E0, al * ns[q] / (ns[q] + 0.5), 2e-3 * al);
            ck_assert_rel(f.E0, ns[q] / (ns[q] - f.sumL2), 1e-9);  // the two E0 forms agree
        }
    }
    free(l);
}
END_TEST

// Exponential spectrum lambda_i = e^{-0.05 i}: kappa ~ e^{-0.05 n} underflows in linear space
// (1e-89 at n = 4096); E0/(0.05 n) in [0.99, 1.01].
START_TEST(exponential_spectrum) {
    const size_t M = 40000;
    double *l = xmalloc(M, sizeof *l);
    for (size_t i = 0; i < M; i++) l[i] = exp(-0.05 * i);
    ef_spectrum s = {.M = M, .lam = l};
    double ns[] = {256, 1024, 4096};
    for (int q = 0; q < 3; q++) {
        ef_fit f;
        ck_assert_int_eq(ef_solve(&s, ns[q], 0.0, &f), 0);
        double r = f.E0 / (0.05 * ns[q]);
        ck_assert_msg(r >= 0.99 && r <= 1.01, "n = %g: E0/(0.05 n) = %g (kappa %g)", ns[q], r, f.kappa);
    }
    free(l);
}
END_TEST

// Ridge limit: delta > 0, n -> inf gives kappa -> delta/n and E0 -> 1.  At n = 1e7,
// alpha = 2: sum L ~ kappa^{-1/2} ~ 1e4 = 1e-3 n, so both within 1e-2, and closer than at n = 1e5.
START_TEST(ridge_limit) {
    const size_t M = 20000;
    double *l = xmalloc(M, sizeof *l);
    for (size_t i = 0; i < M; i++) l[i] = pow(i + 1.0, -2);
    ef_spectrum s = {.M = M, .lam = l};
    ef_fit a, b;
    double delta = 0.1;
    ck_assert_int_eq(ef_solve(&s, 1e5, delta, &a), 0);
    ck_assert_int_eq(ef_solve(&s, 1e7, delta, &b), 0);
    ck_assert_abs(b.kappa * 1e7 / delta, 1.0, 1e-2);
    ck_assert_abs(b.E0, 1.0, 1e-2);
    ck_assert(fabs(b.E0 - 1) < fabs(a.E0 - 1));
    ck_assert(fabs(b.kappa * 1e7 / delta - 1) < fabs(a.kappa * 1e5 / delta - 1));
    free(l);
}
END_TEST

// With ridge, the continuum (conventions.md, Eigenframework): E0 = alpha/(1 + (alpha-1) s),
// E_tr/E_te = s^2, s = delta/(n kappa).  alpha = 2, n = 1000, 1e6 modes + tail; the continuum is
// exact only as n -> inf (relative corrections ~1/n): 1e-2.  Also V = (E0 - 1) B and mse = te -
// eps2 exactly.
START_TEST(ridge_continuum_and_predictions) {
    const size_t M = 1000000;
    double *l = xmalloc(M, sizeof *l), *v2 = xmalloc(M, sizeof *v2);
    for (size_t i = 0; i < M; i++) l[i] = pow(i + 1.0, -2), v2[i] = l[i] / (M_PI * M_PI / 6);
    spectra_powerlaw_tail tp = {2.0, (double)M, 1.0};
    ef_spectrum s = {.M = M,
                     .lam = l,
                     .tail = spectra_powerlaw_tail_fn,
                     .tail_par = &tp,
                     .tail_mass = spectra_powerlaw_tail_mass(2.0, M)};
    ef_fit f;
    double n = 1000, delta = 2.385e-3;
    ck_assert_int_eq(ef_solve(&s, n, delta, &f), 0);
    double sr = delta / (n * f.kappa);
    ck_assert_msg(sr > 0.2 && sr < 0.9, "s = %g", sr);
    ck_assert_rel(f.E0, ef_powerlaw_E0(2.0, sr), 1e-2);
    ck_assert_rel(f.sumL, n * (1 - sr), 1e-2);
    ef_pred p;
    double eps2 = 0.3;
    ck_assert_int_eq(ef_predict(&s, &f, v2, 0.0, eps2, &p), 0);
    ck_assert_rel(p.tr / p.te, sr * sr, 1e-12);
    ck_assert_rel(p.variance, (f.E0 - 1) * p.bias, 1e-12);
    ck_assert_rel(p.mse, p.te - eps2, 1e-12);
    ck_assert(p.L > 0 && p.L < 1);
    free(l), free(v2);
}
END_TEST

// Truncated spectrum with the tail mass as extra ridge vs the full spectrum:
// alpha = 2, n = 100: lambda_M / kappa ~ 1e-3 at M = 2000, so kappa and E0 agree to ~1e-3.
START_TEST(truncation_as_ridge) {
    const size_t M = 1000000, Mt = 2000;
    double *l = xmalloc(M, sizeof *l);
    for (size_t i = 0; i < M; i++) l[i] = pow(i + 1.0, -2);
    ef_spectrum full = {.M = M, .lam = l};
    double T = 0;
    for (size_t i = M; i-- > Mt;) T += l[i];
    ef_spectrum tr = {.M = Mt, .lam = l, .extra_ridge = T};
    ef_fit a, b;
    ck_assert_int_eq(ef_solve(&full, 100, 0.0, &a), 0);
    ck_assert_int_eq(ef_solve(&tr, 100, 0.0, &b), 0);
    ck_assert_rel(b.kappa, a.kappa, 2e-3);
    ck_assert_rel(b.E0, a.E0, 2e-3);
    ef_spectrum bare = {.M = Mt, .lam = l};  // without the tail ridge it is visibly worse
    ck_assert_int_eq(ef_solve(&bare, 100, 0.0, &b), 0);
    ck_assert(fabs(b.kappa / a.kappa - 1) > 5e-3);
    free(l);
}
END_TEST

// C7-sized: 1e7 modes solve fast (Newton) and give the continuum kappa within 1%.
START_TEST(ten_million_modes) {
    const size_t M = 10000000;
    double *l = xmalloc(M, sizeof *l);
    for (size_t i = 0; i < M; i++) l[i] = 1.0 / ((i + 1.0) * (i + 1.0));
    ef_spectrum s = {.M = M, .lam = l};
    ef_fit f;
    double t0 = util_now();
    ck_assert_int_eq(ef_solve(&s, 1000, 0.0, &f), 0);
    double dt = util_now() - t0;
    ck_assert_rel(f.kappa, ef_powerlaw_kappa(2.0, 1000), 1e-2);
    ck_assert_rel(f.E0, 2.0, 1e-2);
    ck_assert_msg(f.iterations < 60, "%d iterations (%.2f s)", f.iterations, dt);
    free(l);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("eigenframework");
    TCase *t = tcase_create("eigenframework");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, two_modes_quadratic);
    tcase_add_test(t, bracket_logic);
    tcase_add_test(t, powerlaw_E0);
    tcase_add_test(t, exponential_spectrum);
    tcase_add_test(t, ridge_limit);
    tcase_add_test(t, ridge_continuum_and_predictions);
    tcase_add_test(t, truncation_as_ridge);
    tcase_add_test(t, ten_million_modes);
    suite_add_tcase(s, t);
    return s;
}
TEST_MAIN()
