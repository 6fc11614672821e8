// test_training: the loss, optimizer and detector modules of common/ (conventions.md, Losses,
// Optimisers, Step detection): gradients, closed forms, determinism and the detectors.
//
// Gradients are checked against central finite differences (conventions.md, Gradient checks): h =
// 1e-6 max(1, |theta|), 50 random coordinates per block (all when fewer), |g_fd - g| / max(|g|,
// 1e-8) <= 1e-6.  The bound: truncation error h^2 |f'''|/6 ~ 1e-12 plus rounding eps |L| / h ~
// 1e-10 |L|, both far below 1e-6 for the O(1) losses and gradients drawn here; a wrong factor of 2
// or a transposed product gives O(1) errors.  Sizes are high-entropy (N = 7, widths 5, 6, 3), not
// squares.
#include <gsl/gsl_cblas.h>
#include <string.h>
#include "linalg.h"
#include "loss.h"
#include "opt.h"
#include "rng.h"
#include "steps.h"
#include "testlib.h"
#include "util.h"

// ---- finite-difference helper ----
// f(ctx, theta) is the loss; g (p) the analytic gradient at theta.
typedef double (*fd_fn)(void *ctx, const double *theta);

static void fd_check(const char *what, fd_fn f, void *ctx, double *theta, size_t p, const double *g, gsl_rng *r) {
    size_t ncoord = p < 50 ? p : 50;
    for (size_t c = 0; c < ncoord; c++) {
        size_t i = p < 50 ? c : gsl_rng_uniform_int(r, p);
        double t0 = theta[i], h = 1e-6 * (fabs(t0) > 1 ? fabs(t0) : 1);
        theta[i] = t0 + h;
        double lp = f(ctx, theta);
        theta[i] = t0 - h;
        double lm = f(ctx, theta);
        theta[i] = t0;
        double gfd = (lp - lm) / (2 * h);
        double den = fabs(g[i]) > 1e-8 ? fabs(g[i]) : 1e-8;
        ck_assert_msg(fabs(gfd - g[i]) / den <= 1e-6, "%s: coordinate %zu: fd %.12g vs analytic %.12g", what, i, gfd,
                      g[i]);
    }
}

static double *randn(gsl_rng *r, size_t n, double scale) {
    double *x = XNEW(double, n);
    for (size_t i = 0; i < n; i++) x[i] = scale * rng_normal(r);
    return x;
}

// ---- losses: finite differences ----
typedef struct {
    int N, k;
    const double *Y;
    double c;
} mse_ctx;
static double mse_f(void *v, const double *F) {
    mse_ctx *m = v;
    return loss_mse(m->N, m->k, F, m->Y, m->c, NULL);
}

START_TEST(fd_mse) {
    gsl_rng *r = rng_alloc(2385, 0);
    const int N = 7, k = 3;
    double *F = randn(r, N * k, 1.3), *Y = randn(r, N * k, 0.7), g[21];
    double cs[2] = {1.0 / (2 * N), 1.0 / (N * k)};  // deep-ReLU/AGF and PyTorch MSELoss
    for (int ic = 0; ic < 2; ic++) {
        mse_ctx m = {N, k, Y, cs[ic]};
        double L = loss_mse(N, k, F, Y, cs[ic], g);
        double direct = 0;
        for (int i = 0; i < N * k; i++) direct += (F[i] - Y[i]) * (F[i] - Y[i]);
        ck_assert_rel(L, cs[ic] * direct, 1e-14);  // same sum, same order: rounding only
        fd_check("mse", mse_f, &m, F, N * k, g, r);
    }
    free(F), free(Y), rng_free(r);
}
END_TEST

// Barlow Twins theory form: parameters are Za and Zb stacked, (2, n, d).
typedef struct {
    loss_bt_ws *w;
    double lambda_off;
    int original;
} bt_ctx;
static double bt_f(void *v, const double *Z) {
    bt_ctx *b = v;
    size_t nd = (size_t)b->w->n * b->w->d;
    return b->original ? loss_bt_original(b->w, Z, Z + nd, b->lambda_off, NULL, NULL)
                       : loss_bt_theory(b->w, Z, Z + nd, b->lambda_off, NULL, NULL);
}

START_TEST(fd_bt_theory) {
    gsl_rng *r = rng_alloc(2385, 1);
    const int n = 7, d = 3;
    loss_bt_ws *w = loss_bt_alloc(n, d);
    double *Z = randn(r, 2 * n * d, 0.9), g[2 * 7 * 3];
    double lams[2] = {1.0, 0.3};
    for (int il = 0; il < 2; il++) {
        bt_ctx b = {w, lams[il], 0};
        double L = loss_bt_theory(w, Z, Z + n * d, lams[il], g, g + n * d);
        // Independent value: C from explicit sums.
        double Lref = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double c = 0;
                for (int s = 0; s < n; s++)
                    c += Z[s * d + i] * Z[n * d + s * d + j] + Z[n * d + s * d + i] * Z[s * d + j];
                c /= 2.0 * n;
                Lref += (i == j ? 1 : lams[il]) * (c - (i == j)) * (c - (i == j));
            }
        ck_assert_rel(L, Lref, 1e-12);  // different summation order: a few ulps times d^2 n
        fd_check(il ? "bt theory lambda_off 0.3" : "bt theory lambda_off 1", bt_f, &b, Z, 2 * n * d, g, r);
    }
    loss_bt_free(w), free(Z), rng_free(r);
}
END_TEST

// Linear BT through Gamma agrees with the embedding form and with finite differences in W.
typedef struct {
    int d, m;
    const double *Gam;
    double lambda_off;
    double *C, *WG;
} btlin_ctx;
static double btlin_f(void *v, const double *W) {
    btlin_ctx *b = v;
    return loss_bt_linear(b->d, b->m, W, b->Gam, b->lambda_off, b->C, b->WG, NULL);
}

START_TEST(fd_bt_linear) {
    gsl_rng *r = rng_alloc(2385, 2);
    const int n = 7, m = 5, d = 3;
    double *Xa = randn(r, n * m, 1), *Xb = randn(r, n * m, 1), *W = randn(r, d * m, 0.6);
    double Gam[25], Za[21], Zb[21], C[9], WG[15], dW[15];
    // Gamma = (Xa^T Xb + Xb^T Xa)/(2n).
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += Xa[k * m + i] * Xb[k * m + j] + Xb[k * m + i] * Xa[k * m + j];
            Gam[i * m + j] = s / (2.0 * n);
        }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, d, m, 1, Xa, m, W, m, 0, Za, d);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, d, m, 1, Xb, m, W, m, 0, Zb, d);
    loss_bt_ws *w = loss_bt_alloc(n, d);
    double lams[2] = {1.0, 0.3};
    for (int il = 0; il < 2; il++) {
        double L1 = loss_bt_theory(w, Za, Zb, lams[il], NULL, NULL);
        double L2 = loss_bt_linear(d, m, W, Gam, lams[il], C, WG, dW);
        ck_assert_rel(L2, L1, 1e-12);  // same C by two product orders
        btlin_ctx b = {d, m, Gam, lams[il], C, WG};
        fd_check("bt linear", btlin_f, &b, W, d * m, dW, r);
    }
    loss_bt_free(w), free(Xa), free(Xb), free(W), rng_free(r);
}
END_TEST

START_TEST(fd_bt_original) {
    gsl_rng *r = rng_alloc(2385, 3);
    const int n = 7, d = 3;
    loss_bt_ws *w = loss_bt_alloc(n, d);
    double *Z = randn(r, 2 * n * d, 1.1), g[2 * 7 * 3];
    // lambda = 5e-3 (the paper's) and 0.37 (so the off-diagonal term is not negligible).
    double lams[2] = {LOSS_BT_LAMBDA, 0.37};
    for (int il = 0; il < 2; il++) {
        bt_ctx b = {w, lams[il], 1};
        loss_bt_original(w, Z, Z + n * d, lams[il], g, g + n * d);
        fd_check("bt original", bt_f, &b, Z, 2 * n * d, g, r);
    }
    loss_bt_free(w), free(Z), rng_free(r);
}
END_TEST

// QWEM symmetric factorisation: the value against W W^T formed explicitly, the gradient against
// finite differences of that explicit value.
typedef struct {
    int V, d;
    const double *M;
} sf_ctx;
static double sf_direct(void *v, const double *W) {
    sf_ctx *s = v;
    double L = 0;
    for (int i = 0; i < s->V; i++)
        for (int j = 0; j < s->V; j++) {
            double e = -s->M[i * s->V + j];
            for (int k = 0; k < s->d; k++) e += W[i * s->d + k] * W[j * s->d + k];
            L += e * e;
        }
    return 0.25 * L;
}

START_TEST(fd_symfact) {
    gsl_rng *r = rng_alloc(2385, 4);
    const int V = 7, d = 3;
    double *A = randn(r, V * V, 1), *W = randn(r, V * d, 0.8), M[49], dW[21];
    for (int i = 0; i < V; i++)
        for (int j = 0; j < V; j++) M[i * V + j] = 0.5 * (A[i * V + j] + A[j * V + i]);
    loss_symfact_ws *w = loss_symfact_alloc(V, d);
    sf_ctx s = {V, d, M};
    double L = loss_symfact(w, M, -1, W, dW);
    // value by the trace identity vs explicit W W^T: rounding ~ eps ||M||^2.
    ck_assert_rel(L, sf_direct(&s, W), 1e-12);
    double L2 = loss_symfact(w, M, la_frob2(V * V, M), W, NULL);
    ck_assert_rel(L2, L, 1e-15);
    fd_check("symfact", sf_direct, &s, W, V * d, dW, r);
    loss_symfact_free(w), free(A), free(W), rng_free(r);
}
END_TEST

// Per-pair terms, tied embeddings.  The update with eta = 1 is minus the gradient of
// l(w_i . w_j) with respect to the whole embedding matrix E (V, d); i == j gives s = |w_i|^2.
typedef struct {
    int d, i, j, qwem;
    double label;
} pair_ctx;
static double pair_f(void *v, const double *E) {
    pair_ctx *p = v;
    double s = cblas_ddot(p->d, E + p->i * p->d, 1, E + p->j * p->d, 1);
    return p->qwem ? loss_qwem_pair(s, p->label, NULL) : loss_sgns_pair(s, p->label, NULL);
}

START_TEST(fd_pairs_tied) {
    gsl_rng *r = rng_alloc(2385, 5);
    const int V = 4, d = 5;
    double *E = randn(r, V * d, 0.7), E1[20], g[20];
    int pairs[3][2] = {{1, 3}, {2, 2}, {0, 1}};
    for (int q = 0; q < 2; q++)
        for (int pi = 0; pi < 3; pi++)
            for (int sl = 0; sl < 2; sl++) {
                pair_ctx p = {d, pairs[pi][0], pairs[pi][1], q, sl ? -1.0 : 1.0};
                double s = cblas_ddot(d, E + p.i * d, 1, E + p.j * d, 1), dl;
                if (q) loss_qwem_pair(s, p.label, &dl);
                else loss_sgns_pair(s, p.label, &dl);
                memcpy(E1, E, sizeof E1);
                loss_pair_update_tied(d, E1 + p.i * d, E1 + p.j * d, 1.0, dl);
                for (int k = 0; k < V * d; k++) g[k] = E[k] - E1[k];  // = gradient (eta = 1)
                fd_check(q ? "qwem pair" : "sgns pair", pair_f, &p, E, V * d, g, r);
            }
    free(E), rng_free(r);
}
END_TEST

// The stable SGNS form: no overflow at |s| = 800, and the right asymptotes.
START_TEST(sgns_stable) {
    double dl;
    ck_assert_rel(loss_sgns_pair(800, -1, &dl), 800, 1e-15);  // log(1+e^800) = 800 + e^-800
    ck_assert_rel(dl, 1, 1e-15);
    ck_assert_abs(loss_sgns_pair(800, 1, &dl), 0, 1e-300);
    ck_assert_rel(loss_sgns_pair(0.0, 1, &dl), log(2), 1e-15);
    ck_assert_rel(dl, -0.5, 1e-15);
    // QWEM is twice the Taylor expansion of SGNS at 0 up to the constant: 2(l(s) - log 2).
    double s = 1e-3, lq = loss_qwem_pair(s, 1, NULL), ls = loss_sgns_pair(s, 1, NULL);
    ck_assert_rel(lq, 2 * (ls - log(2)), 1e-5);  // O(s^3)/O(s) remainder: s^2/12 ~ 1e-7
}
END_TEST

START_TEST(weight_decay) {
    double W[5] = {0.3, -1.2, 2.385, 0.0, -0.7}, g[5] = {1, 1, 1, 1, 1};
    double L = loss_weight_decay(5, W, 0.1, g), n2 = 0;
    for (int i = 0; i < 5; i++) n2 += W[i] * W[i];
    ck_assert_rel(L, 0.05 * n2, 1e-15);
    for (int i = 0; i < 5; i++) ck_assert_rel(g[i], 1 + 0.1 * W[i], 1e-15);
}
END_TEST

// ---- closed forms ----
// Aligned symmetric factorisation, one mode: M = lam u u^T, W = a u e^T, sigma = a^2 obeys
// dsigma/dt = 2 sigma (lam - sigma): sigma(t) = lam / (1 + (lam/sigma0 - 1) e^{-2 lam t}).
// GD with h = 1e-3/lam; the comparison is at the GD-corrected time (Optimisers: a = sqrt(sigma)
// grows by (1 + h lam) per step, so GD runs slower by opt_discrete_time_factor(h, lam) = 1.0005),
// to 1e-3 relative (measured 5.5e-4).  Without the correction the error is 3.4e-3 (the time shift
// 5e-4 t times the growth rate 2 lam at t ~ ln(lam/sigma0)/(2 lam)), so the factor is what this
// test checks.
START_TEST(closed_symfact_logistic) {
    const int V = 6, d = 3;
    const double lam = 2.385, sigma0 = 1e-4, h = 1e-3 / lam;
    double u[6], e[3] = {0.6, 0.0, 0.8}, M[36], W[18], dW[18];
    gsl_rng *r = rng_alloc(2385, 6);
    rng_sphere(r, V, u);
    for (int i = 0; i < V; i++)
        for (int j = 0; j < V; j++) M[i * V + j] = lam * u[i] * u[j];
    for (int i = 0; i < V; i++)
        for (int k = 0; k < d; k++) W[i * d + k] = sqrt(sigma0) * u[i] * e[k];
    loss_symfact_ws *w = loss_symfact_alloc(V, d);
    double f = opt_discrete_time_factor(h, lam), maxrel = 0;
    for (int step = 1; step <= 6000; step++) {
        loss_symfact(w, M, -1, W, dW);
        opt_gd_step(V * d, W, dW, h);
        double sigma = la_frob2(V * d, W), t = step * h / f;
        double th = lam / (1 + (lam / sigma0 - 1) * exp(-2 * lam * t));
        if (fabs(sigma / th - 1) > maxrel) maxrel = fabs(sigma / th - 1);
    }
    ck_assert_msg(maxrel < 1e-3, "aligned symmetric factorisation: max rel err %.3g", maxrel);
    loss_symfact_free(w), rng_free(r);
}
END_TEST

// Aligned linear BT, one mode: W = s v^T with Gamma v = gamma v, c = gamma s^2 obeys
// dc/dt = 8 gamma c (1 - c): c(t) = 1/(1 + (1/c0 - 1) e^{-8 gamma t}).
// GD with eta = 1e-3/(4 gamma) so that eta times the linear rate 4 gamma of s is 1e-3, compared
// at the corrected time as above (measured 5.5e-4; 3.0e-3 without the correction).
START_TEST(closed_bt_logistic) {
    const int m = 5, d = 1;
    const double gamma = 0.7385, c0 = 1e-4, eta = 1e-3 / (4 * gamma);
    double v[5], Gam[25], W[5], C[1], WG[5], dW[5];
    gsl_rng *r = rng_alloc(2385, 7);
    rng_sphere(r, m, v);
    // Gamma = gamma v v^T + 0.3 (I - v v^T) : v is the top eigenvector.
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) Gam[i * m + j] = (gamma - 0.3) * v[i] * v[j] + 0.3 * (i == j);
    for (int i = 0; i < m; i++) W[i] = sqrt(c0 / gamma) * v[i];
    double f = opt_discrete_time_factor(eta, 4 * gamma), maxrel = 0;
    for (int step = 1; step <= 8000; step++) {
        loss_bt_linear(d, m, W, Gam, 1.0, C, WG, dW);
        opt_gd_step(m, W, dW, eta);
        loss_bt_linear(d, m, W, Gam, 1.0, C, WG, NULL);
        double t = step * eta / f, th = 1 / (1 + (1 / c0 - 1) * exp(-8 * gamma * t));
        if (fabs(C[0] / th - 1) > maxrel) maxrel = fabs(C[0] / th - 1);
    }
    ck_assert_msg(maxrel < 1e-3, "aligned linear BT: max rel err %.3g", maxrel);
    rng_free(r);
}
END_TEST

// ---- optimizers ----
// opt_discrete_time_factor(eta, r) = 1 + eta r/2 + O(eta^2 r^2): the remainder is
// -(eta r)^2/12 + ..., so |f - 1 - x/2| <= x^2/10 for x <= 0.1.
START_TEST(discrete_time_factor) {
    double xs[4] = {0.1, 0.02385, 1e-4, 1e-10};
    for (int i = 0; i < 4; i++) {
        double x = xs[i], f = opt_discrete_time_factor(x / 3.0, 3.0);
        ck_assert_abs(f, 1 + x / 2, x * x / 10 + 1e-15);
        ck_assert_msg(fabs(f - 1 - x / 2) >= x * x / 14 || x < 1e-6, "remainder too small: x^2/12 expected");
    }
    ck_assert_rel(opt_discrete_time_factor(0.5, 1.0), 0.5 / log(1.5), 1e-15);
    ck_assert(opt_discrete_time_factor(0.0, 5.0) == 1.0);
}
END_TEST

// Least squares on (N = 23, p = 5) with minibatches of 4: a model SGD problem.
typedef struct {
    int N, p;
    const double *X, *y;
} ls_ctx;
static double ls_grad(void *v, const size_t *idx, int B, gsl_rng *data_rng, const double *theta, double *grad) {
    ls_ctx *c = v;
    double L = 0, xs[5], ys;
    memset(grad, 0, c->p * sizeof *grad);
    for (int b = 0; b < B; b++) {
        const double *x;
        if (idx) {
            x = c->X + idx[b] * c->p, ys = c->y[idx[b]];
        } else {  // online: a fresh sample from the data stream
            for (int k = 0; k < c->p; k++) xs[k] = rng_normal(data_rng);
            x = xs, ys = xs[0];
        }
        double e = cblas_ddot(c->p, x, 1, theta, 1) - ys;
        L += 0.5 * e * e;
        for (int k = 0; k < c->p; k++) grad[k] += e * x[k] / B;
    }
    return L / B;
}

static void run_sgd(unsigned long seed, opt_sgd_order order, double *theta) {
    gsl_rng *d = rng_alloc(1, 0), *s = rng_alloc(seed, 2);
    const int N = 23, p = 5;
    double *X = randn(d, N * p, 1), *y = randn(d, N, 1);
    ls_ctx c = {N, p, X, y};
    opt_sgd *o = opt_sgd_alloc(N, 4, p, order, s);
    for (int k = 0; k < p; k++) theta[k] = 0.1 * k;
    for (int step = 0; step < 100; step++) opt_sgd_step(o, theta, 0.05, ls_grad, &c);
    ck_assert_int_eq(o->epoch, 100 / 6);  // ceil(23/4) = 6 batches per epoch
    opt_sgd_free(o), free(X), free(y), rng_free(d), rng_free(s);
}

// Determinism: same seed -> bit-identical parameters; seed + 1 -> different.
START_TEST(sgd_determinism) {
    double a[5], b[5], c[5];
    run_sgd(7, OPT_SGD_SHUFFLE, a);
    run_sgd(7, OPT_SGD_SHUFFLE, b);
    run_sgd(8, OPT_SGD_SHUFFLE, c);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    ck_assert(memcmp(a, c, sizeof a) != 0);
    // In order ignores the seed entirely; online draws from its stream.
    run_sgd(7, OPT_SGD_IN_ORDER, a);
    run_sgd(8, OPT_SGD_IN_ORDER, b);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    run_sgd(7, OPT_SGD_ONLINE, a);
    run_sgd(8, OPT_SGD_ONLINE, b);
    ck_assert(memcmp(a, b, sizeof a) != 0);
}
END_TEST

// Full-batch SGD (B = N, in order) is plain GD: same iterates to rounding.
START_TEST(sgd_fullbatch_is_gd) {
    gsl_rng *d = rng_alloc(3, 0);
    const int N = 23, p = 5;
    double *X = randn(d, N * p, 1), *y = randn(d, N, 1), th1[5] = {0}, th2[5] = {0}, g[5];
    size_t all[23];
    for (int i = 0; i < N; i++) all[i] = i;
    ls_ctx c = {N, p, X, y};
    opt_sgd *o = opt_sgd_alloc(N, N, p, OPT_SGD_IN_ORDER, NULL);
    for (int step = 0; step < 50; step++) {
        opt_sgd_step(o, th1, 0.1, ls_grad, &c);
        ls_grad(&c, all, N, NULL, th2, g);
        opt_gd_step(p, th2, g, 0.1);
    }
    for (int k = 0; k < p; k++) ck_assert(th1[k] == th2[k]);  // identical arithmetic
    opt_sgd_free(o), free(X), free(y), rng_free(d);
}
END_TEST

// Per-neuron scaled GD on a two-layer net: neuron i's block is row i of W1 and column i of W2.
START_TEST(neuron_scaled) {
    const size_t h = 3, nin = 2, nout = 2, P = nin + nout, p = h * nin + nout * h;
    size_t map[12];
    opt_neuron_map_2layer(h, nin, nout, 0, h * nin, map);
    double th[12], g[12], ref[12];
    for (size_t i = 0; i < p; i++) th[i] = 0.3 + 0.1 * i, g[i] = 1.0 - 0.05 * i;
    memcpy(ref, th, sizeof th);
    const double eta = 0.01, kappa = 3;
    for (size_t i = 0; i < h; i++) {
        double r2 = 0;
        for (size_t k = 0; k < nin; k++) r2 += th[i * nin + k] * th[i * nin + k];
        for (size_t k = 0; k < nout; k++) r2 += th[h * nin + k * h + i] * th[h * nin + k * h + i];
        double sc = pow(sqrt(r2), 2 - kappa);
        for (size_t k = 0; k < nin; k++) ref[i * nin + k] -= eta * sc * g[i * nin + k];
        for (size_t k = 0; k < nout; k++) ref[h * nin + k * h + i] -= eta * sc * g[h * nin + k * h + i];
    }
    opt_neuron_scaled_step(h, P, map, th, g, eta, kappa);
    for (size_t i = 0; i < p; i++) ck_assert_rel(th[i], ref[i], 1e-14);
}
END_TEST

// Power iteration against dsyevd on a symmetric matrix with a clear gap.
typedef struct {
    int n;
    const double *A;
} mv_ctx;
static void mv(void *v, const double *x, double *y) {
    mv_ctx *c = v;
    cblas_dsymv(CblasRowMajor, CblasUpper, c->n, 1, c->A, c->n, x, 1, 0, y, 1);
}

START_TEST(power_iteration) {
    gsl_rng *r = rng_alloc(2385, 8);
    const int n = 40;
    double *B = randn(r, n * n, 1), *A = XNEW(double, n *n), *E = XNEW(double, n *n), w[40];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) A[i * n + j] = 0.5 * (B[i * n + j] + B[j * n + i]);
    memcpy(E, A, n * n * sizeof *A);
    ck_assert_int_eq(la_eigh(n, E, w, 0), 0);
    mv_ctx c = {n, A};
    double lam;
    // The largest |lambda| (shift 0), then the largest algebraic one (shift to the bottom).
    ck_assert_int_eq(opt_power_top(n, mv, &c, 0, NULL, 20000, 1e-14, &lam, NULL), 0);
    double big = fabs(w[0]) > fabs(w[n - 1]) ? w[0] : w[n - 1];
    ck_assert_rel(lam, big, 1e-8);  // Rayleigh quotient error is the square of the vector's
    ck_assert_int_eq(opt_power_top(n, mv, &c, w[0], NULL, 20000, 1e-14, &lam, NULL), 0);
    ck_assert_rel(lam, w[n - 1], 1e-8);
    free(A), free(B), free(E), rng_free(r);
}
END_TEST

// ---- detectors (conventions.md, Step detection): a synthetic logistic staircase ----
// Known times and levels: L(t) = d - sum_k sigma(a (t - T_k)), c_k(t) = sigma(a (t - T_k));
// recorded every 1e-3.
#define ST_D 4
static const double ST_T[ST_D] = {1.7, 3.9, 6.2, 8.85}, ST_A = 12.0;
static double st_c(int k, double t) { return 1 / (1 + exp(-ST_A * (t - ST_T[k]))); }
static double st_L(double t) {
    double L = ST_D;
    for (int k = 0; k < ST_D; k++) L -= st_c(k, t);
    return L;
}

START_TEST(detector_staircase) {
    const size_t n = 12001;
    double *t = XNEW(double, n), *L = XNEW(double, n), *c = XNEW(double, n);
    for (size_t i = 0; i < n; i++) t[i] = 1e-3 * i, L[i] = st_L(t[i]);
    // Half-rise times of each mode: exact 1e-6 relative (interpolation error at an inflection is
    // third order in the spacing: a^3 dt^3 ~ 2e-6 absolute at most, divided by |c'| = a/4).
    for (int k = 0; k < ST_D; k++) {
        for (size_t i = 0; i < n; i++) c[i] = st_c(k, t[i]);
        ck_assert_rel(steps_crossing(t, c, n, 0, 0.5, STEPS_UP), ST_T[k], 1e-6);
    }
    // Drop times: the crossing of sqrt(L_hi L_lo), against bisection on the continuous L(t).
    for (int k = 0; k < ST_D; k++) {
        double hi = ST_D - k, lo = ST_D - k - 1, lev = lo > 0 ? sqrt(hi * lo) : 1e-3 * hi;
        double a = ST_T[k] - 1, b = ST_T[k] + 1.5;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (a + b);
            (st_L(mid) > lev ? (a = mid) : (b = mid));
        }
        ck_assert_rel(steps_drop_time(t, L, n, hi, lo), 0.5 * (a + b), 1e-6);
    }
    // A series that starts on the far side has no crossing; one that never crosses neither.
    ck_assert(isnan(steps_crossing(t, L, n, 0, 5.0, STEPS_DOWN)));
    ck_assert(isnan(steps_crossing(t, L, n, 0, -1.0, STEPS_DOWN)));
    free(t), free(L), free(c);
}
END_TEST

// With steps of steepness a = 40 and gaps >= 2.2, tails mid-way are e^{-44} ~ 1e-19: the
// plateau value is the integer to 1e-8, and dwells sit at the integers.
static double st2_L(double t) {
    double L = ST_D;
    for (int k = 0; k < ST_D; k++) L -= 1 / (1 + exp(-40 * (t - ST_T[k])));
    return L;
}

START_TEST(detector_plateau_dwell) {
    const size_t n = 12001;
    double *t = XNEW(double, n), *L = XNEW(double, n);
    for (size_t i = 0; i < n; i++) t[i] = 1e-3 * i, L[i] = st2_L(t[i]);
    for (int k = 0; k + 1 < ST_D; k++) {
        double ta = steps_drop_time(t, L, n, ST_D - k, ST_D - k - 1);
        double tb = steps_drop_time(t, L, n, ST_D - k - 1, ST_D - k - 2 > 0 ? ST_D - k - 2 : 0);
        ck_assert_abs(steps_plateau(t, L, n, ta, tb, NULL), ST_D - k - 1, 1e-8);
    }
    // Dwells at the predicted integer levels: found, median = the level, inside the gaps.
    steps_dwell dw;
    for (int k = 0; k < ST_D; k++) {
        double lev = ST_D - k - 1;
        if (lev == 0) continue;
        ck_assert_int_eq(steps_dwell_at(t, L, n, lev, STEPS_DWELL_BAND, STEPS_DWELL_RATIO, &dw), 1);
        ck_assert_abs(dw.median, lev, 1e-8);
        ck_assert(dw.ta > ST_T[k] && dw.tb < (k + 1 < ST_D ? ST_T[k + 1] : 1e9));
    }
    // No dwell at a level the curve only passes through.
    ck_assert_int_eq(steps_dwell_at(t, L, n, 2.5, STEPS_DWELL_BAND, STEPS_DWELL_RATIO, &dw), 0);
    // Unpredicted dwells: with every integer predicted there are none; drop the level 2 from the
    // prediction and exactly that plateau is reported.
    double all[5] = {4, 3, 2, 1, 0}, some[4] = {4, 3, 1, 0};
    steps_dwell u[4];
    ck_assert_int_eq(steps_unpredicted(t, L, n, all, 5, STEPS_FLAT_TOL, STEPS_FLAT_RATIO, STEPS_DWELL_BAND, u, 4), 0);
    ck_assert_int_eq(steps_unpredicted(t, L, n, some, 4, STEPS_FLAT_TOL, STEPS_FLAT_RATIO, STEPS_DWELL_BAND, u, 4), 1);
    ck_assert_abs(u[0].median, 2.0, 1e-8);
    ck_assert(u[0].ta > ST_T[1] && u[0].tb < ST_T[2]);
    free(t), free(L);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("training");
    TCase *tl = tcase_create("loss");
    tcase_add_test(tl, fd_mse);
    tcase_add_test(tl, fd_bt_theory);
    tcase_add_test(tl, fd_bt_linear);
    tcase_add_test(tl, fd_bt_original);
    tcase_add_test(tl, fd_symfact);
    tcase_add_test(tl, fd_pairs_tied);
    tcase_add_test(tl, sgns_stable);
    tcase_add_test(tl, weight_decay);
    suite_add_tcase(s, tl);
    TCase *tc = tcase_create("closed_forms");
    tcase_add_test(tc, closed_symfact_logistic);
    tcase_add_test(tc, closed_bt_logistic);
    suite_add_tcase(s, tc);
    TCase *to = tcase_create("opt");
    tcase_add_test(to, discrete_time_factor);
    tcase_add_test(to, sgd_determinism);
    tcase_add_test(to, sgd_fullbatch_is_gd);
    tcase_add_test(to, neuron_scaled);
    tcase_add_test(to, power_iteration);
    suite_add_tcase(s, to);
    TCase *td = tcase_create("steps");
    tcase_add_test(td, detector_staircase);
    tcase_add_test(td, detector_plateau_dwell);
    suite_add_tcase(s, td);
    return s;
}

TEST_MAIN()
