// test_nnls: the Lawson-Hanson NNLS of common/nnls against an independent computation.
//
// The independent computation is enumeration: the NNLS minimiser is the unconstrained
// least-squares solution on its own support, and every subset S whose least-squares solution
// is non-negative gives a feasible point.  So the optimum is the best objective over all
// 2^p subsets with a non-negative LS solution.  The subset solves use GSL's Householder QR
// (gsl_linalg_QR_decomp / QR_lssolve), not LAPACK, so they share no code with nnls.c.
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>
#include <string.h>
#include "nnls.h"
#include "rng.h"
#include "testlib.h"

// Best feasible subset: returns the objective; copies its solution into cbest (p).
// Subsets whose columns are numerically dependent (|S| > m, or a tiny R diagonal) are skipped:
// an optimal support with independent columns always exists (Caratheodory).
static double enumerate_best(int m, int p, const double *A, const double *b, double *cbest) {
    double best = INFINITY;
    for (unsigned mask = 0; mask < (1u << p); mask++) {
        int s = __builtin_popcount(mask);
        double *z = calloc((size_t)p, sizeof *z);
        if (s > 0) {
            if (s > m) {
                free(z);
                continue;
            }
            gsl_matrix *As = gsl_matrix_alloc((size_t)m, (size_t)s);
            gsl_vector *tau = gsl_vector_alloc((size_t)s), *x = gsl_vector_alloc((size_t)s),
                       *res = gsl_vector_alloc((size_t)m);
            gsl_vector_const_view bv = gsl_vector_const_view_array(b, (size_t)m);
            int col = 0, cols[32];
            for (int j = 0; j < p; j++)
                if (mask >> j & 1) {
                    for (int i = 0; i < m; i++) gsl_matrix_set(As, (size_t)i, (size_t)col, A[i * p + j]);
                    cols[col++] = j;
                }
            gsl_linalg_QR_decomp(As, tau);
            int ok = 1;
            double dmax = 0;
            for (int q = 0; q < s; q++) dmax = fmax(dmax, fabs(gsl_matrix_get(As, (size_t)q, (size_t)q)));
            for (int q = 0; q < s; q++)
                if (fabs(gsl_matrix_get(As, (size_t)q, (size_t)q)) < 1e-10 * dmax) ok = 0;
            if (ok) gsl_linalg_QR_lssolve(As, tau, &bv.vector, x, res);
            for (int q = 0; ok && q < s; q++) {
                z[cols[q]] = gsl_vector_get(x, (size_t)q);
                if (z[cols[q]] < 0) ok = 0;
            }
            gsl_matrix_free(As);
            gsl_vector_free(tau);
            gsl_vector_free(x);
            gsl_vector_free(res);
            if (!ok) {
                free(z);
                continue;
            }
        }
        double obj = 0;
        for (int i = 0; i < m; i++) {
            double r = b[i];
            for (int j = 0; j < p; j++) r -= A[i * p + j] * z[j];
            obj += r * r;
        }
        if (obj < best) {
            best = obj;
            memcpy(cbest, z, (size_t)p * sizeof *z);
        }
        free(z);
    }
    return best;
}

// KKT at c: c >= 0; g = A^T (b - A c) <= tol everywhere; |g_j| <= tol where c_j > 0.
static void check_kkt(int m, int p, const double *A, const double *b, const double *c, double tol) {
    for (int j = 0; j < p; j++) {
        double g = 0;
        for (int i = 0; i < m; i++) {
            double r = b[i];
            for (int l = 0; l < p; l++) r -= A[i * p + l] * c[l];
            g += A[i * p + j] * r;
        }
        ck_assert_msg(c[j] >= 0, "c[%d] = %g < 0", j, c[j]);
        ck_assert_msg(g <= tol, "gradient g[%d] = %g > tol %g (c[%d] = %g)", j, g, tol, j, c[j]);
        if (c[j] > 0) ck_assert_msg(fabs(g) <= tol, "c[%d] = %g > 0 but |g| = %g > tol %g", j, c[j], fabs(g), tol);
    }
}

static double norm2(int n, const double *x) {
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i] * x[i];
    return sqrt(s);
}

// Random problems of every shape from 1 x 1 to 12 x 7 (and underdetermined ones), with b drawn
// so that typically some but not all constraints are active.
START_TEST(test_enumeration) {
    gsl_rng *r = rng_alloc(2024, 7);
    int trials = 0, nactive_seen = 0, nfree_seen = 0;
    for (int p = 1; p <= 7; p++)
        for (int shape = 0; shape < 3; shape++) {
            int m = shape == 0 ? p : shape == 1 ? p + 5 : (p > 2 ? p - 2 : p);  // square, tall, wide
            for (int t = 0; t < 25; t++) {
                double A[12 * 7], b[12], c[7], cb[7];
                for (int i = 0; i < m * p; i++) A[i] = rng_normal(r);
                for (int i = 0; i < m; i++) b[i] = 1.7 * rng_normal(r);
                nnls_workspace *w = nnls_alloc(m, p);
                double rn2;
                int st = nnls_solve(w, A, b, c, &rn2);
                ck_assert_msg(st == GSL_SUCCESS, "status %d at m = %d, p = %d", st, m, p);
                double best = enumerate_best(m, p, A, b, cb);
                // Objective: both are minima of the same convex problem; the difference is
                // rounding, a few eps times ||b||^2 for these O(1)-conditioned problems.
                ck_assert_msg(fabs(rn2 - best) <= 1e-10 * (1 + norm2(m, b) * norm2(m, b)),
                              "m = %d p = %d: nnls objective %.17g vs enumeration %.17g", m, p, rn2, best);
                // Solution: unique when A has full column rank (m >= p); 1e-8 allows for the
                // condition number of random Gaussian matrices (up to ~1e3 here).
                if (m >= p)
                    for (int j = 0; j < p; j++) ck_assert_abs(c[j], cb[j], 1e-8 * (1 + fabs(cb[j])));
                for (int j = 0; j < p; j++) {
                    nactive_seen += c[j] == 0;
                    nfree_seen += c[j] > 0;
                }
                // KKT with a tolerance at the rounding level (1e-10 ||A|| ||b||).
                check_kkt(m, p, A, b, c, 1e-10 * (1 + norm2(m * p, A) * norm2(m, b)));
                nnls_free(w);
                trials++;
            }
        }
    // The test must exercise both kinds of coordinates, or it proves nothing.
    ck_assert_int_gt(nactive_seen, 100);
    ck_assert_int_gt(nfree_seen, 100);
    ck_assert_int_eq(trials, 7 * 3 * 25);
    rng_free(r);
}
END_TEST

// A planted solution with zeros: b = A c_true exactly (up to rounding) is recovered.
START_TEST(test_planted) {
    gsl_rng *r = rng_alloc(77, 1);
    const int m = 40, p = 9;
    double A[40 * 9], b[40], c[9], ct[9] = {2.385, 0, 0.731, 0, 0, 1.5e-3, 4.2, 0, 0.0917};
    for (int i = 0; i < m * p; i++) A[i] = rng_normal(r);
    for (int i = 0; i < m; i++) {
        b[i] = 0;
        for (int j = 0; j < p; j++) b[i] += A[i * p + j] * ct[j];
    }
    nnls_workspace *w = nnls_alloc(m, p);
    double rn2;
    ck_assert_int_eq(nnls_solve(w, A, b, c, &rn2), GSL_SUCCESS);
    // Rounding: cond(A) ~ 5 for a 40 x 9 Gaussian matrix, so 1e-12 absolute is ample.
    for (int j = 0; j < p; j++) ck_assert_abs(c[j], ct[j], 1e-12);
    ck_assert(rn2 < 1e-24);
    // The same workspace solves a second problem (no state leaks between solves).
    for (int i = 0; i < m; i++) b[i] = -b[i];  // -A c_true: every gradient A^T b < 0 at c = 0 ...
    ck_assert_int_eq(nnls_solve(w, A, b, c, &rn2), GSL_SUCCESS);
    check_kkt(m, p, A, b, c, 1e-10 * norm2(m * p, A) * norm2(m, b));
    nnls_free(w);
    rng_free(r);
}
END_TEST

// The shape reverse-ntk uses: a polynomial design matrix (columns xi^k, k = 0..7, on [-1, 1])
// fitted to a kernel with non-negative Taylor coefficients (exp), and to one with mixed signs
// (cos), where the constraint must bite.  Compared with enumeration.
START_TEST(test_polynomial_fit) {
    const int m = 201, p = 8;
    double *A = malloc(sizeof(double) * m * p), b1[201], b2[201], c[8], cb[8];
    for (int i = 0; i < m; i++) {
        double xi = -1 + 2.0 * i / (m - 1), t = 1;
        for (int k = 0; k < p; k++, t *= xi) A[i * p + k] = t;
        b1[i] = exp(xi);
        b2[i] = cos(2.3 * xi) + 0.4 * xi;
    }
    nnls_workspace *w = nnls_alloc(m, p);
    double rn2;
    for (int which = 0; which < 2; which++) {
        const double *b = which ? b2 : b1;
        ck_assert_int_eq(nnls_solve(w, A, b, c, &rn2), GSL_SUCCESS);
        double best = enumerate_best(m, p, A, b, cb);
        // cond(A) ~ 1e3 for monomials up to degree 7 on [-1, 1]: 1e-10 relative is generous.
        ck_assert_rel(rn2, best, 1e-9);
        for (int j = 0; j < p; j++) ck_assert_abs(c[j], cb[j], 1e-7);
        check_kkt(m, p, A, b, c, 1e-9 * norm2(m * p, A) * norm2(m, b));
        int nzero = 0;
        for (int j = 0; j < p; j++) nzero += c[j] == 0;
        if (which) ck_assert_int_gt(nzero, 0);  // cos: the constraint is active somewhere
        else {
            // exp: unconstrained fit is already non-negative; c_1 ~ 1, c_2 ~ 1/2 (Taylor).
            ck_assert_abs(c[1], 1.0, 1e-3);
            ck_assert_abs(c[2], 0.5, 1e-2);
        }
    }
    nnls_free(w);
    free(A);
}
END_TEST

START_TEST(test_bad_input) {
    ck_assert_ptr_null(nnls_alloc(0, 3));
    ck_assert_ptr_null(nnls_alloc(3, 0));
    nnls_workspace *w = nnls_alloc(3, 2);
    double A[6] = {1, 2, 3, 4, 5, NAN}, b[3] = {1, 2, 3}, c[2];
    ck_assert_int_eq(nnls_solve(w, A, b, c, NULL), GSL_EINVAL);
    ck_assert_int_eq(nnls_solve(w, NULL, b, c, NULL), GSL_EINVAL);
    // b = 0: c = 0 exactly.
    A[5] = 6;
    double z[3] = {0, 0, 0};
    ck_assert_int_eq(nnls_solve(w, A, z, c, NULL), GSL_SUCCESS);
    ck_assert(c[0] == 0 && c[1] == 0);
    nnls_free(w);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("nnls");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_enumeration);
    tcase_add_test(tc, test_planted);
    tcase_add_test(tc, test_polynomial_fit);
    tcase_add_test(tc, test_bad_input);
    suite_add_tcase(s, tc);
    return s;
}

TEST_MAIN()
