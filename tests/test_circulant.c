// test_circulant: circulant spectra on the circle and kernels built from spectra on the torus
// (conventions.md, Circle and torus), against dense eigendecompositions, direct sums and the 1-D
// closed forms within their derived truncation bounds.
#include <fftw3.h>  // before lapacke.h (conventions.md, Circle and torus)
#include <lapacke.h>
#include <stdlib.h>
#include <string.h>
#include "circulant.h"
#include "rng.h"
#include "testlib.h"
#include "util.h"

static int cmp_asc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// Sorted eigenvalues of the symmetric matrix K (n,n), divided by n (dsyevd; K destroyed).
static void dense_spectrum(int n, double *K, double *w) {
    int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'N', 'L', n, K, n, w);
    ck_assert_int_eq(info, 0);
    for (int i = 0; i < n; i++) w[i] /= n;
}

// ---- circle: kernel -> spectrum ----

// The Laplace kernel on the unit circle, exp(-chord/ell), chord = 2 sin(theta/2), is a
// symmetric circulant on M equispaced angles.  dsyevd is backward stable: each eigenvalue of
// K/M moves by at most c * eps * ||K||_2 / M = c * eps * max lam (c a modest multiple of M
// in the worst case); 1e-13 * max lam allows c ~ 450 at M = 256.
START_TEST(circle_spectrum_vs_dense) {
    const int Ms[2] = {10, 256};
    for (int q = 0; q < 2; q++) {
        int M = Ms[q];
        double *r = XNEW(double, M), *lam = XNEW(double, M), *K = XNEW(double, (size_t)M *M), *w = XNEW(double, M);
        for (int j = 0; j < M; j++) r[j] = exp(-2 * sin(M_PI * j / M) / 0.7385);
        for (int j = 1; j <= M / 2; j++) r[M - j] = r[j];  // exact symmetry despite sin rounding
        ck_assert_int_eq(circulant_spectrum((size_t)M, r, lam), 0);
        for (int a = 0; a < M; a++)
            for (int b = 0; b < M; b++) K[a * M + b] = r[((b - a) % M + M) % M];
        dense_spectrum(M, K, w);
        double lmax = 0;
        for (int m = 0; m < M; m++) {
            lmax = fmax(lmax, fabs(lam[m]));
            ck_assert_abs(lam[m], lam[(M - m) % M], 0.0);  // lam_m = lam_{M-m} exactly by construction
        }
        qsort(lam, (size_t)M, sizeof *lam, cmp_asc);
        for (int m = 0; m < M; m++) ck_assert_abs(lam[m], w[m], 1e-13 * lmax);
        free(r), free(lam), free(K), free(w);
    }
}
END_TEST

START_TEST(circle_spectrum_rejects_asymmetric_row) {
    double r[6] = {1, 0.5, 0.2, 0.1, 0.2, 0.4}, lam[6];
    ck_assert_int_eq(circulant_spectrum(6, r, lam), -1);
    ck_assert_int_eq(circulant_spectrum(1, r, lam), -1);
}
END_TEST

// ---- torus: spectrum -> kernel ----

// Round trip: r2c(c2r(lam))/N = lam.  Each transform has relative error O(eps log N) of the
// l2 norm; required: 1e-14 * max lam (measured 1e-17 to 6e-17).
START_TEST(torus_roundtrip) {
    struct {
        int D, G;
        circulant_spectrum_fn fn;
        circulant_radial p;
    } cases[] = {
        {1, 65536, circulant_sobolev, {1, 1, 0}},
        {4, 32, circulant_sobolev, {4, 1, 0}},
        {4, 32, circulant_heat, {0, 0, 2}},
        {3, 12, circulant_sobolev, {2.385, 1.7, 0}},  // G not a power of two
    };
    for (size_t q = 0; q < sizeof cases / sizeof cases[0]; q++) {
        circulant_torus *t = circulant_torus_alloc(cases[q].D, cases[q].G);
        ck_assert_ptr_nonnull(t);
        ck_assert_int_eq(circulant_torus_set_spectrum(t, cases[q].fn, &cases[q].p, 1, NULL), 0);
        double lmax = 0;
        for (size_t m = 0; m < t->N; m++) lmax = fmax(lmax, t->lam[m]);
        ck_assert_abs(t->k[0], 1.0, 1e-13);  // normalised: K(x,x) = sum lam = 1
        double err = circulant_torus_roundtrip_error(t);
        ck_assert_msg(err <= 1e-14 * lmax, "D=%d G=%d: round trip error %.3g > 1e-14 * %.3g", cases[q].D, cases[q].G,
                      err, lmax);
        circulant_torus_free(t);
    }
}
END_TEST

// The Gram matrix of all N grid points, by table look-up, has eigenvalues N * lam(m): dense
// dsyevd of K/N must equal the sorted prescribed spectrum (tolerance as circle_spectrum_vs_dense).
START_TEST(torus_gram_spectrum_vs_dense) {
    struct {
        int D, G;
        circulant_spectrum_fn fn;
        circulant_radial p;
    } cases[] = {
        {1, 256, circulant_sobolev, {1, 1, 0}},
        {2, 16, circulant_heat, {0, 0, 2.385}},
        {3, 6, circulant_sobolev, {1.5, 0.8, 0}},
    };
    for (size_t q = 0; q < sizeof cases / sizeof cases[0]; q++) {
        circulant_torus *t = circulant_torus_alloc(cases[q].D, cases[q].G);
        ck_assert_int_eq(circulant_torus_set_spectrum(t, cases[q].fn, &cases[q].p, 1, NULL), 0);
        size_t N = t->N, *idx = XNEW(size_t, N);
        for (size_t i = 0; i < N; i++) idx[i] = i;
        double *K = XNEW(double, N *N), *w = XNEW(double, N), *lam = XNEW(double, N);
        circulant_torus_gram(t, N, idx, K);
        dense_spectrum((int)N, K, w);
        memcpy(lam, t->lam, N * sizeof *lam);
        qsort(lam, N, sizeof *lam, cmp_asc);
        for (size_t i = 0; i < N; i++) ck_assert_abs(w[i], lam[i], 1e-13 * lam[N - 1]);
        circulant_torus_free(t);
        free(idx), free(K), free(w), free(lam);
    }
}
END_TEST

// 1-D spectra for the closed forms (unnormalised).
static double sob_a;  // lam_m = 1/(a^2 + m^2)
static double f_sob(int D, const int *mt, void *par) {
    (void)D, (void)par;
    return 1.0 / (sob_a * sob_a + (double)mt[0] * mt[0]);
}
static double poi_r;  // lam_m = r^|m|
static double f_poi(int D, const int *mt, void *par) {
    (void)D, (void)par;
    return pow(poi_r, abs(mt[0]));
}
static double gau_s;  // lam_m = exp(-s^2 m^2 / 2)
static double f_gau(int D, const int *mt, void *par) {
    (void)D, (void)par;
    return exp(-gau_s * gau_s * (double)mt[0] * mt[0] / 2);
}

// theta_j in (-pi, pi] for grid point j of G.
static double theta_of(int j, int G) { return 2 * M_PI * (j <= G / 2 ? j : j - G) / G; }

// The table of a 1-D spectrum must equal the direct O(G) sum over the signed frequencies
// (-G/2, G/2] (rounding: sum |lam| * 1e-14), and the infinite-sum closed form within the
// truncation bound sum_{m outside (-G/2, G/2]} |lam_m|, derived per spectrum below.
static void check_1d(int G, circulant_spectrum_fn fn, double (*closed)(double), double bound) {
    circulant_torus *t = circulant_torus_alloc(1, G);
    ck_assert_int_eq(circulant_torus_set_spectrum(t, fn, NULL, 0, NULL), 0);
    double l1 = 0;
    for (int m = 0; m < G; m++) l1 += t->lam[m];
    double worst = 0;
    for (int j = 0; j < G; j++) {
        double th = theta_of(j, G), direct = 0;
        for (int m = -G / 2 + 1; m <= G / 2; m++) {
            int mt = m;
            direct += fn(1, &mt, NULL) * cos(m * th);
        }
        ck_assert_abs(t->k[j], direct, 1e-14 * l1 * log2(G));
        worst = fmax(worst, fabs(t->k[j] - closed(th)));
        ck_assert_msg(fabs(t->k[j] - closed(th)) <= bound + 1e-13 * l1,
                      "G=%d j=%d: table %.15g vs closed form %.15g, bound %.3g", G, j, t->k[j], closed(th), bound);
    }
    // The bound is not vacuous: the observed gap is a fair fraction of it (>= 1e-3 of it when
    // the bound is above rounding), so a wrong normalisation of order the bound would show.
    if (bound > 1e-10) ck_assert_msg(worst > 1e-3 * bound, "bound %.3g vs observed %.3g", bound, worst);
    circulant_torus_free(t);
}

// Sum_{m in Z} e^{i m th}/(a^2 + m^2) = (pi/a) cosh(a (pi - |th|)) / sinh(a pi).
static double closed_sob(double th) { return M_PI / sob_a * cosh(sob_a * (M_PI - fabs(th))) / sinh(sob_a * M_PI); }
// Sum_m r^|m| e^{i m th} = (1 - r^2) / (1 - 2 r cos th + r^2).
static double closed_poi(double th) { return (1 - poi_r * poi_r) / (1 - 2 * poi_r * cos(th) + poi_r * poi_r); }
// Sum_m e^{-s^2 m^2/2} e^{i m th} = (sqrt(2 pi)/s) sum_p exp(-(th + 2 pi p)^2 / (2 s^2)).
static double closed_gau(double th) {
    double s = 0;
    for (int p = -6; p <= 6; p++) s += exp(-(th + 2 * M_PI * p) * (th + 2 * M_PI * p) / (2 * gau_s * gau_s));
    return sqrt(2 * M_PI) / gau_s * s;
}

START_TEST(torus_1d_closed_forms) {
    // Sobolev, a = 1.3, G = 512.  Omitted frequencies m <= -G/2 and m >= G/2 + 1:
    // sum <= 2 sum_{m >= G/2} 1/m^2 <= 2/(G/2 - 1) = 4/(G - 2).
    sob_a = 1.3;
    check_1d(512, f_sob, closed_sob, 4.0 / (512 - 2));
    // Poisson, r = 0.62, G = 48: omitted sum = r^{G/2}(1 + r)/(1 - r) exactly.
    poi_r = 0.62;
    check_1d(48, f_poi, closed_poi, pow(poi_r, 24) * (1 + poi_r) / (1 - poi_r));
    // Periodised Gaussian, s = 0.37, G = 32: with K = G/2 the ratio of consecutive omitted
    // terms is at most e^{-s^2 K}, so the omitted sum <= 2 e^{-s^2 K^2/2} / (1 - e^{-s^2 K}).
    gau_s = 0.37;
    double K = 16;
    check_1d(32, f_gau, closed_gau, 2 * exp(-gau_s * gau_s * K * K / 2) / (1 - exp(-gau_s * gau_s * K)));
}
END_TEST

// A product spectrum lam(m) = prod_a lam1(m_a) gives the product kernel k(x) = prod_a k1(x_a):
// the rank-3 plan against three uses of the rank-1 plan.  Rounding: 1e-13 of k(0).
static double f_prod(int D, const int *mt, void *par) {
    (void)par;
    double v = 1;
    for (int a = 0; a < D; a++) v *= 1.0 / (sob_a * sob_a + (double)mt[a] * mt[a]);
    return v;
}
START_TEST(torus_product_spectrum) {
    sob_a = 0.8125;
    const int G = 16;
    circulant_torus *t3 = circulant_torus_alloc(3, G), *t1 = circulant_torus_alloc(1, G);
    ck_assert_int_eq(circulant_torus_set_spectrum(t3, f_prod, NULL, 0, NULL), 0);
    ck_assert_int_eq(circulant_torus_set_spectrum(t1, f_prod, NULL, 0, NULL), 0);
    int x[3];
    for (size_t i = 0; i < t3->N; i++) {
        circulant_torus_coords(t3, i, x);
        ck_assert_abs(t3->k[i], t1->k[x[0]] * t1->k[x[1]] * t1->k[x[2]], 1e-13 * t3->k[0]);
    }
    circulant_torus_free(t3);
    circulant_torus_free(t1);
}
END_TEST

// Predictions on the whole grid by one convolution equal the direct sum
// sum_i alpha_i k(x - x_i), for random points (with a repeat) and coefficients.  Rounding:
// 1e-13 * sum |alpha_i| * k(0).
START_TEST(torus_predict_vs_direct) {
    struct {
        int D, G;
    } cases[] = {{2, 24}, {3, 8}, {1, 100}};
    gsl_rng *r = rng_alloc(2385, 11);
    circulant_radial hp = {0, 0, 3.1}, sp = {1.25, 1.0, 0};
    for (size_t q = 0; q < 3; q++) {
        circulant_torus *t = circulant_torus_alloc(cases[q].D, cases[q].G);
        ck_assert_int_eq(circulant_torus_set_spectrum(t, q == 1 ? circulant_sobolev : circulant_heat,
                                                      q == 1 ? (void *)&sp : (void *)&hp, 1, NULL),
                         0);
        const size_t n = 40;
        size_t idx[40];
        double alpha[40], l1 = 0;
        rng_subset(r, t->N, n - 1, idx);
        idx[n - 1] = idx[3];  // a repeated point: the spikes add
        for (size_t i = 0; i < n; i++) l1 += fabs(alpha[i] = rng_normal(r));
        double *f = XNEW(double, t->N);
        circulant_torus_predict(t, n, idx, alpha, f);
        for (size_t x = 0; x < t->N; x++) {
            double d = 0;
            for (size_t i = 0; i < n; i++) d += alpha[i] * t->k[circulant_torus_diff(t, x, idx[i])];
            ck_assert_abs(f[x], d, 1e-13 * l1 * t->k[0]);
        }
        // and the Gram matrix is the same table, K_ij = k(x_i - x_j).  The c2r table is even
        // only to rounding (k(-x) - k(x) ~ 1e-17), and the Gram is made exactly symmetric
        // from its lower triangle, hence 1e-15 above the diagonal and exact below.
        double K[9];
        circulant_torus_gram(t, 3, idx, K);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                ck_assert_abs(K[i * 3 + j], t->k[circulant_torus_diff(t, idx[i], idx[j])], j <= i ? 0.0 : 1e-15);
        free(f);
        circulant_torus_free(t);
    }
    rng_free(r);
}
END_TEST

// Levels: descending, multiplicities sum to N, and sum mult * level = sum lam = 1.  For the
// D = 2 heat kernel the top levels are |m|^2 = 0, 1, 2, 4 with multiplicities 1, 4, 4, 4.
START_TEST(torus_levels) {
    circulant_torus *t = circulant_torus_alloc(2, 16);
    circulant_radial hp = {0, 0, 2.385};
    ck_assert_int_eq(circulant_torus_set_spectrum(t, circulant_heat, &hp, 1, NULL), 0);
    double *lev = XNEW(double, t->N), *mult = XNEW(double, t->N), sm = 0, sl = 0;
    size_t L = circulant_torus_levels(t, lev, mult);
    for (size_t l = 0; l < L; l++) {
        sm += mult[l];
        sl += mult[l] * lev[l];
        if (l) ck_assert(lev[l] < lev[l - 1]);
    }
    ck_assert_abs(sm, (double)t->N, 0.0);
    ck_assert_abs(sl, 1.0, 1e-14);
    ck_assert_abs(mult[0], 1, 0);
    for (int l = 1; l <= 3; l++) ck_assert_abs(mult[l], 4, 0);
    ck_assert_rel(lev[1] / lev[0], exp(-1 / (2 * 2.385)), 1e-14);
    free(lev), free(mult);
    circulant_torus_free(t);
}
END_TEST

static double f_bad_neg(int D, const int *mt, void *par) {
    (void)D, (void)par;
    return mt[0] == 2 ? -1.0 : 1.0;
}
static double f_bad_odd(int D, const int *mt, void *par) {
    (void)D, (void)par;
    return mt[0] > 0 ? 2.0 : 1.0;
}
START_TEST(torus_bad_input) {
    ck_assert_ptr_null(circulant_torus_alloc(0, 8));
    ck_assert_ptr_null(circulant_torus_alloc(2, 1));
    ck_assert_ptr_null(circulant_torus_alloc(4, 1 << 10));  // 2^40 points
    circulant_torus *t = circulant_torus_alloc(1, 8);
    ck_assert_int_eq(circulant_torus_set_spectrum(t, f_bad_neg, NULL, 1, NULL), -1);
    ck_assert_int_eq(circulant_torus_set_spectrum(t, f_bad_odd, NULL, 1, NULL), -1);  // lam(m) != lam(-m)
    circulant_torus_free(t);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("circulant");
    TCase *tc = tcase_create("circulant");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, circle_spectrum_vs_dense);
    tcase_add_test(tc, circle_spectrum_rejects_asymmetric_row);
    tcase_add_test(tc, torus_roundtrip);
    tcase_add_test(tc, torus_gram_spectrum_vs_dense);
    tcase_add_test(tc, torus_1d_closed_forms);
    tcase_add_test(tc, torus_product_spectrum);
    tcase_add_test(tc, torus_predict_vs_direct);
    tcase_add_test(tc, torus_levels);
    tcase_add_test(tc, torus_bad_input);
    suite_add_tcase(s, tc);
    return s;
}

TEST_MAIN()
