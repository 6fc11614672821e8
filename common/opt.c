// opt: see opt.h (conventions.md, Optimisers).
#include "opt.h"
#include "status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rng.h"

// ---- full-batch gradient descent ----
void opt_gd_step(size_t n, double *theta, const double *grad, double eta) {
    for (size_t i = 0; i < n; i++) theta[i] -= eta * grad[i];
}

void opt_gd_step_layers(int L, double *const *W, const double *const *grad, const size_t *size, const double *eta) {
    if (L < 1) {
        sim_fail(-1, "opt_gd_step_layers: L = %d layers must be >= 1", L);
        return;
    }
    for (int l = 0; l < L; l++) opt_gd_step(size[l], W[l], grad[l], eta[l]);
}

static int all_finite(const double *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

// ---- minibatch SGD ----
opt_sgd *opt_sgd_alloc(size_t N, int B, size_t p, opt_sgd_order order, gsl_rng *rng) {
    if (N < 1 || B < 1 || p < 1)
        return sim_fail(-1, "opt_sgd_alloc: N = %zu, B = %d, p = %zu must be >= 1", N, B, p), NULL;
    if ((size_t)B > N) return sim_fail(-1, "opt_sgd_alloc: batch B = %d exceeds the N = %zu samples", B, N), NULL;
    if (order != OPT_SGD_IN_ORDER && !rng)
        return sim_fail(-1, "opt_sgd_alloc: the shuffled and online variants need an RNG stream"), NULL;
    opt_sgd *s = sim_calloc(1, sizeof *s);
    if (!s) return NULL;
    s->N = N, s->B = B, s->p = p, s->order = order, s->rng = rng;
    s->perm = sim_calloc(N, sizeof(size_t));
    s->grad = sim_calloc(p, sizeof(double));
    if (!s->perm || !s->grad) {
        opt_sgd_free(s);
        return NULL;
    }
    s->pos = N;  // forces a new epoch on the first step
    return s;
}

void opt_sgd_free(opt_sgd *s) {
    if (!s) return;
    free(s->perm), free(s->grad), free(s);
}

double opt_sgd_step(opt_sgd *s, double *theta, double eta, opt_batch_grad_fn fn, void *ctx) {
    if (s->pos >= s->N) {  // new epoch
        if (s->step > 0) s->epoch++;
        if (s->order == OPT_SGD_SHUFFLE) rng_permutation(s->rng, s->N, s->perm);
        else
            for (size_t i = 0; i < s->N; i++) s->perm[i] = i;
        s->pos = 0;
    }
    // Consecutive slices of the epoch's order; the last partial batch is kept.
    int B = s->N - s->pos < (size_t)s->B ? (int)(s->N - s->pos) : s->B;
    const size_t *idx = s->order == OPT_SGD_ONLINE ? NULL : s->perm + s->pos;
    double L = fn(ctx, idx, B, s->order == OPT_SGD_ONLINE ? s->rng : NULL, theta, s->grad);
    s->pos += B;
    if (!isfinite(L) || !all_finite(s->grad, s->p))
        return sim_fail(-1,
                        "opt_sgd_step: non-finite %s at step %ld (eta = %g); lower the step size below the "
                        "stability bound of the experiment",
                        isfinite(L) ? "gradient" : "loss", s->step, eta),
               NAN;
    opt_gd_step(s->p, theta, s->grad, eta);
    s->step++;
    return L;
}

// ---- per-neuron scaled GD ----
void opt_neuron_scaled_step(size_t H, size_t P, const size_t *map, double *theta, const double *grad, double eta,
                            double kappa) {
    if (P < 1) {
        sim_fail(-1, "opt_neuron_scaled_step: P = %zu parameters per neuron must be >= 1", P);
        return;
    }
    for (size_t i = 0; i < H; i++) {
        const size_t *m = map + i * P;
        double r2 = 0;
        for (size_t k = 0; k < P; k++) r2 += theta[m[k]] * theta[m[k]];
        // |theta_i|^(2 - kappa), from the pre-update block.  A neuron with theta_i = 0 has zero
        // gradient when kappa > 1, so its scale is irrelevant; 1 at kappa = 2, else 0 (never inf).
        double scale = r2 > 0 ? pow(r2, 0.5 * (2 - kappa)) : (kappa == 2);
        for (size_t k = 0; k < P; k++) theta[m[k]] -= eta * scale * grad[m[k]];
    }
}

void opt_neuron_map_2layer(size_t h, size_t n_in, size_t n_out, size_t o1, size_t o2, size_t *map) {
    size_t P = n_in + n_out;
    for (size_t i = 0; i < h; i++) {
        for (size_t k = 0; k < n_in; k++) map[i * P + k] = o1 + i * n_in + k;       // W1[i][k]
        for (size_t k = 0; k < n_out; k++) map[i * P + n_in + k] = o2 + k * h + i;  // W2[k][i]
    }
}

// ---- power iteration ----
int opt_power_top(size_t n, opt_matvec_fn A, void *ctx, double shift, const double *v0, int maxit, double tol,
                  double *lambda, double *v) {
    if (n < 1 || maxit < 1 || !(tol > 0))
        return sim_fail(-1, "opt_power_top: n = %zu and maxit = %d must be >= 1, tol = %g > 0", n, maxit, tol);
    double *x = sim_calloc(n, sizeof(double)), *y = sim_calloc(n, sizeof(double));
    if (!x || !y) {
        free(x), free(y);
        return -1;
    }
    // A fixed start with entries of both signs and no special structure.
    for (size_t i = 0; i < n; i++) x[i] = v0 ? v0[i] : 1.0 + 0.5 * sin(2.385 * (double)i + 0.7);
    double nx = 0;
    for (size_t i = 0; i < n; i++) nx += x[i] * x[i];
    if (!(nx > 0)) {
        free(x), free(y);
        return sim_fail(-1, "opt_power_top: the start vector is zero");
    }
    for (size_t i = 0; i < n; i++) x[i] /= sqrt(nx);
    double rq = NAN;
    int status = 1;
    for (int it = 0; it < maxit; it++) {
        A(ctx, x, y);
        double q = 0, ny = 0;
        for (size_t i = 0; i < n; i++) {
            y[i] -= shift * x[i];
            q += x[i] * y[i];
        }
        for (size_t i = 0; i < n; i++) ny += y[i] * y[i];
        if (!isfinite(ny)) {
            free(x), free(y);
            return sim_fail(-1, "opt_power_top: |A x| = %g is not finite; the matvec returned non-finite values", ny);
        }
        if (ny == 0) {  // x is in the null space of A - shift I
            rq = 0, status = 0;
            break;
        }
        for (size_t i = 0; i < n; i++) x[i] = y[i] / sqrt(ny);
        if (it > 0 && fabs(q - rq) <= tol * fabs(q)) {
            rq = q, status = 0;
            break;
        }
        rq = q;
    }
    *lambda = rq + shift;
    if (v) memcpy(v, x, n * sizeof *v);
    free(x), free(y);
    return status;
}

// ---- finite-step correction ----
double opt_discrete_time_factor(double eta, double r) {
    double x = eta * r;
    if (!(x > -1)) return sim_fail(-1, "opt_discrete_time_factor: eta r = %g must be > -1", x), NAN;
    if (fabs(x) < 1e-8) return 1 + 0.5 * x;  // series; avoids 0/0
    return x / log1p(x);
}
