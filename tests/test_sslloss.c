// Unit tests of common/sslloss: NT-Xent and VICReg gradients against central finite
// differences, and their values at Z = 0 against the closed forms in sslloss.h.
#include <string.h>
#include "rng.h"
#include "sslloss.h"
#include "testlib.h"

// Random embeddings with column scales 0.3 .. 2.2 (so that VICReg's hinge sees std both below and
// above g = 1, each at least 0.1 away from it for these sizes), and a shared component so that
// the two views are correlated like a positive pair.
static void views(int n, int d, unsigned long seed, double *Za, double *Zb) {
    gsl_rng *r = rng_alloc(seed, 0);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++) {
            double sc = 0.3 + 1.9 * j / (d > 1 ? d - 1 : 1), x = rng_normal(r);
            Za[i * d + j] = sc * (x + 0.37 * rng_normal(r));
            Zb[i * d + j] = sc * (x + 0.37 * rng_normal(r));
        }
    rng_free(r);
}

// Central differences of f over every entry of Za and Zb, against the analytic dZa, dZb.
// Step h = 1e-5: truncation ~ h^2 |f'''| ~ 1e-10 and rounding ~ eps |f| / h ~ 1e-11 for these
// O(1)-O(100) losses, so 1e-6 relative (floor 1e-7 absolute) has a 100x margin.
typedef double (*lossfn)(void *ctx, const double *Za, const double *Zb, double *dZa, double *dZb);
static void fd_check(lossfn f, void *ctx, int n, int d, double *Za, double *Zb) {
    size_t N = (size_t)n * d;
    double *ga = malloc(N * sizeof *ga), *gb = malloc(N * sizeof *gb), h = 1e-5;
    f(ctx, Za, Zb, ga, gb);
    for (int v = 0; v < 2; v++)
        for (size_t k = 0; k < N; k++) {
            double *Z = v ? Zb : Za, z0 = Z[k];
            Z[k] = z0 + h;
            double lp = f(ctx, Za, Zb, NULL, NULL);
            Z[k] = z0 - h;
            double lm = f(ctx, Za, Zb, NULL, NULL);
            Z[k] = z0;
            double fd = (lp - lm) / (2 * h), an = v ? gb[k] : ga[k];
            ck_assert_msg(fabs(fd - an) <= 1e-6 * fabs(fd) + 1e-7, "view %d entry %zu: analytic %.12g, fd %.12g", v, k,
                          an, fd);
        }
    free(ga), free(gb);
}

static double nt_call(void *ctx, const double *Za, const double *Zb, double *dZa, double *dZb) {
    sslloss_ntxent_ws *w = ctx;
    return sslloss_ntxent(w, Za, Zb, 0.37, dZa, dZb);
}
static double vic_call(void *ctx, const double *Za, const double *Zb, double *dZa, double *dZb) {
    static const sslloss_vicreg_par p = SSLLOSS_VICREG_DEFAULTS;
    return sslloss_vicreg(ctx, Za, Zb, &p, dZa, dZb);
}

START_TEST(ntxent_gradient) {
    int n = 7, d = 3;
    double Za[21], Zb[21];
    views(n, d, 11, Za, Zb);
    sslloss_ntxent_ws *w = sslloss_ntxent_alloc(n, d);
    ck_assert_ptr_nonnull(w);
    fd_check(nt_call, w, n, d, Za, Zb);
    sslloss_ntxent_free(w);
}
END_TEST

START_TEST(vicreg_gradient) {
    int n = 9, d = 4;
    double Za[36], Zb[36];
    views(n, d, 12, Za, Zb);
    sslloss_vicreg_ws *w = sslloss_vicreg_alloc(n, d);
    ck_assert_ptr_nonnull(w);
    // The kink: every column's std must sit away from g = 1 (else the check is meaningless).
    vic_call(w, Za, Zb, NULL, NULL);
    for (int j = 0; j < d; j++) ck_assert_msg(fabs(w->sd[j] - 1) > 0.05, "column %d std %.3f at the kink", j, w->sd[j]);
    fd_check(vic_call, w, n, d, Za, Zb);
    sslloss_vicreg_free(w);
}
END_TEST

// At Z = 0: NT-Xent is log(2n - 1) (all 2n - 1 logits equal), VICReg 2 mu (g - sqrt eps)
// (no invariance, no covariance, every std at sqrt eps), both with zero gradient.
START_TEST(values_at_zero) {
    int n = 5, d = 3;
    double Z[15] = {0}, ga[15], gb[15];
    sslloss_ntxent_ws *nw = sslloss_ntxent_alloc(n, d);
    ck_assert_rel(sslloss_ntxent(nw, Z, Z, 0.5, ga, gb), log(2.0 * n - 1), 1e-14);
    for (int k = 0; k < n * d; k++) {
        ck_assert_abs(ga[k], 0, 1e-15);
        ck_assert_abs(gb[k], 0, 1e-15);
    }
    sslloss_ntxent_free(nw);
    sslloss_vicreg_ws *vw = sslloss_vicreg_alloc(n, d);
    sslloss_vicreg_par p = SSLLOSS_VICREG_DEFAULTS;
    ck_assert_rel(sslloss_vicreg(vw, Z, Z, &p, ga, gb), 2 * p.mu * (p.g - sqrt(p.eps)), 1e-14);
    for (int k = 0; k < n * d; k++) {
        ck_assert_abs(ga[k], 0, 1e-15);
        ck_assert_abs(gb[k], 0, 1e-15);
    }
    sslloss_vicreg_free(vw);
    ck_assert_ptr_null(sslloss_ntxent_alloc(1, 3));
    ck_assert_ptr_null(sslloss_vicreg_alloc(4, 0));
}
END_TEST

// Invariances: NT-Xent is unchanged by a rotation of the embedding space (it sees only dot
// products); VICReg's invariance term by a common shift of both views.
START_TEST(invariances) {
    int n = 6, d = 2;
    double Za[12], Zb[12], Ra[12], Rb[12], c = cos(0.83), s = sin(0.83);
    views(n, d, 13, Za, Zb);
    for (int i = 0; i < n; i++) {
        Ra[2 * i] = c * Za[2 * i] - s * Za[2 * i + 1], Ra[2 * i + 1] = s * Za[2 * i] + c * Za[2 * i + 1];
        Rb[2 * i] = c * Zb[2 * i] - s * Zb[2 * i + 1], Rb[2 * i + 1] = s * Zb[2 * i] + c * Zb[2 * i + 1];
    }
    sslloss_ntxent_ws *nw = sslloss_ntxent_alloc(n, d);
    double l1 = sslloss_ntxent(nw, Za, Zb, 0.61, NULL, NULL), l2 = sslloss_ntxent(nw, Ra, Rb, 0.61, NULL, NULL);
    ck_assert_rel(l2, l1, 1e-13);
    sslloss_ntxent_free(nw);
    sslloss_vicreg_ws *vw = sslloss_vicreg_alloc(n, d);
    sslloss_vicreg_par p = SSLLOSS_VICREG_DEFAULTS;
    double v1 = sslloss_vicreg(vw, Za, Zb, &p, NULL, NULL);
    for (int k = 0; k < 12; k++) Ra[k] = Za[k] + 2.31, Rb[k] = Zb[k] + 2.31;
    double v2 = sslloss_vicreg(vw, Ra, Rb, &p, NULL, NULL);
    ck_assert_rel(v2, v1, 1e-12);
    sslloss_vicreg_free(vw);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("sslloss");
    TCase *t = tcase_create("core");
    tcase_add_test(t, ntxent_gradient);
    tcase_add_test(t, vicreg_gradient);
    tcase_add_test(t, values_at_zero);
    tcase_add_test(t, invariances);
    suite_add_tcase(s, t);
    return s;
}
TEST_MAIN()
