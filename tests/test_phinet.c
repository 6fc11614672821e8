// test_phinet: common/phinet, the one-hidden-layer network with a parametrised activation and
// its infinite-width kernels.
//
// Kernels are checked against closed forms (sin: e^{-f^2} sinh(f^2 xi); relu: Cho & Saul; cos:
// (1/2)[e^{-f^2(1-xi)} + cos 2g e^{-f^2(1+xi)}]); gradients against central differences; the
// empirical kernel of a wide random network against the infinite-width one (statistical).
#include <math.h>
#include <string.h>
#include "phinet.h"
#include "rng.h"
#include "testlib.h"
#include "util.h"

START_TEST(test_kernels_closed_forms) {
    // Tolerance 1e-10: the composite Gauss-Legendre rule is converged to ~1e-13 for these smooth
    // (or kink-split) integrands; 1e-10 leaves room for the near-kink at xi -> 1.
    phi_act s = {PHI_SIN, {0.5, 2.385}};
    phi_act r = {PHI_RELU, {0}};
    phi_act c = {PHI_RELUCOS, {0, 0, 0, 0, 1.0, 3.7, 0.41}};
    const double xs[] = {-1, -0.731, -0.2, 0, 0.385, 0.9, 0.999, 1};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double xi = xs[i], f = 2.385, f2 = f * f;
        ck_assert_abs(phi_nngp(&s, xi), 0.25 * exp(-f2) * sinh(f2 * xi), 1e-10);
        ck_assert_abs(phi_dotdot(&s, xi), 0.25 * f2 * exp(-f2) * cosh(f2 * xi), 1e-10);
        double th = acos(fmax(-1, fmin(1, xi)));
        ck_assert_abs(phi_nngp(&r, xi), (sin(th) + (M_PI - th) * xi) / (2 * M_PI), 1e-10);
        ck_assert_abs(phi_dotdot(&r, xi), (M_PI - th) / (2 * M_PI), 1e-10);
        double g = 3.7 * 3.7;
        ck_assert_abs(phi_nngp(&c, xi), 0.5 * (exp(-g * (1 - xi)) + cos(2 * 0.41) * exp(-g * (1 + xi))), 1e-10);
    }
    ck_assert(isnan(phi_nngp(&s, 1.5)));
}
END_TEST

// The mimic family with every term on: the kernel at xi = 1 is E[phi^2] by a fine 1D rule, and
// the NTK is the NNGP plus xi times E[phi' phi'].
START_TEST(test_relucos_diagonal) {
    phi_act m = {PHI_RELUCOS, {3.8, 1.06, 0.0968, 0.901, -0.0794, 11.81, 0.934}};
    double s = 0, sd = 0;
    const double edge[3] = {-12, 1.06, 12};  // the kink is a cell edge: phi'^2 jumps there
    for (int part = 0; part < 2; part++) {
        const int n = 1000000;
        const double lo = edge[part], hw = (edge[part + 1] - lo) / n;
        for (int i = 0; i < n; i++) {  // midpoint rule, steps ~1e-5: error ~1e-10 relative
            double u = lo + (i + 0.5) * hw, w = hw * exp(-0.5 * u * u) / sqrt(2 * M_PI);
            s += w * pow(phi_eval(&m, u), 2);
            sd += w * pow(phi_deriv(&m, u), 2);
        }
    }
    ck_assert_rel(phi_nngp(&m, 1), s, 1e-7);
    ck_assert_rel(phi_dotdot(&m, 1), sd, 1e-7);
    ck_assert_rel(phi_ntk(&m, 0.3), phi_nngp(&m, 0.3) + 0.3 * phi_dotdot(&m, 0.3), 1e-15);
}
END_TEST

// L = (1/2) sum (F - Y)^2; central differences with step 1e-6 have error ~1e-9 relative to the
// gradient's scale; 1e-6 is the tolerance.
START_TEST(test_gradient) {
    phi_act m = {PHI_RELUCOS, {3.8, 1.06, 0.0968, 0.901, -0.0794, 2.3, 0.934}};
    const int d = 5, h = 6, k = 3, N = 7;
    phinet *net = phinet_alloc(d, h, k, &m, 1.3, N);
    ck_assert_ptr_nonnull(net);
    gsl_rng *r = rng_alloc(11, 3);
    phinet_init_normal(net, r);
    double X[7 * 5], Y[7 * 3], dF[7 * 3];
    rng_normal_vec(r, (size_t)N * d, X);
    rng_normal_vec(r, (size_t)N * k, Y);
    const double *F = phinet_forward(net, N, X);
    for (int i = 0; i < N * k; i++) dF[i] = F[i] - Y[i];
    phinet_backward(net, dF);
    nn *layers[2] = {net->l1, net->l2};
    for (int l = 0; l < 2; l++) {
        nn *L = layers[l];
        for (size_t j = 0; j < L->nparams; j += 3) {
            double save = L->theta[j], lp = 0, lm = 0, e = 1e-6;
            L->theta[j] = save + e;
            F = phinet_forward(net, N, X);
            for (int i = 0; i < N * k; i++) lp += 0.5 * (F[i] - Y[i]) * (F[i] - Y[i]);
            L->theta[j] = save - e;
            F = phinet_forward(net, N, X);
            for (int i = 0; i < N * k; i++) lm += 0.5 * (F[i] - Y[i]) * (F[i] - Y[i]);
            L->theta[j] = save;
            ck_assert_abs(L->grad[j], (lp - lm) / (2 * e), 1e-6 * (1 + fabs(L->grad[j])));
        }
    }
    ck_assert_ptr_null(phinet_alloc(0, h, k, &m, 1, N));
    rng_free(r);
    phinet_free(net);
}
END_TEST

// A width-h network's empirical NNGP (1/h) sum_i phi(z_i(x)) phi(z_i(x')) at two inputs with
// cosine xi agrees with phi_nngp within 5 standard errors (the SE estimated from the same draw).
START_TEST(test_wide_network) {
    phi_act s = {PHI_SIN, {0.5, 1.7}};
    const int d = 9, h = 20000;
    phinet *net = phinet_alloc(d, h, 1, &s, 1.0, 2);
    gsl_rng *r = rng_alloc(5, 1);
    phinet_init_normal(net, r);
    double X[2 * 9] = {0}, xi = 0.385;
    X[0] = sqrt(d);
    X[9] = xi * sqrt(d), X[10] = sqrt(1 - xi * xi) * sqrt(d);
    phinet_forward(net, 2, X);
    double m = 0, m2 = 0;
    for (int i = 0; i < h; i++) {
        double y = net->H[i] * net->H[h + i];
        m += y / h, m2 += y * y / h;
    }
    double se = sqrt((m2 - m * m) / h);
    ck_assert_abs(m, phi_nngp(&s, xi), 5 * se);
    rng_free(r);
    phinet_free(net);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("phinet");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_kernels_closed_forms);
    tcase_add_test(tc, test_relucos_diagonal);
    tcase_add_test(tc, test_gradient);
    tcase_add_test(tc, test_wide_network);
    suite_add_tcase(s, tc);
    return s;
}

TEST_MAIN()
