// init: initialisation schemes (see init.h and conventions.md, Initialisations).
#include "init.h"
#include "status.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "rng.h"

int init_normal_scaled(gsl_rng *r, int n_out, int n_in, double alpha, double gain, double *W, double *norm2) {
    if (n_out < 1 || n_in < 1) {
        sim_fail(-1, "init_normal_scaled: shape (%d, %d) must be positive", n_out, n_in);
        return -1;
    }
    const double sd = alpha * gain / sqrt((double)n_in);
    double s = 0;
    for (size_t k = 0; k < (size_t)n_out * n_in; k++) {
        W[k] = sd * rng_normal(r);
        s += W[k] * W[k];
    }
    if (norm2) *norm2 = s;
    return 0;
}

int init_normal_abs(gsl_rng *r, size_t n, double s0, double *W, double *norm2) {
    double s = 0;
    for (size_t k = 0; k < n; k++) {
        W[k] = s0 * rng_normal(r);
        s += W[k] * W[k];
    }
    if (norm2) *norm2 = s;
    return 0;
}

static double norm_of(size_t n, const double *x) {
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i] * x[i];
    return sqrt(s);
}

int init_aligned(size_t n, const double *theta_bar, double r0, double *theta, init_info *info) {
    double nb = norm_of(n, theta_bar);
    if (!(fabs(nb - 1.0) < 1e-10)) {
        sim_fail(-1, "init_aligned: direction has norm %.17g, not 1", nb);
        return -1;
    }
    for (size_t i = 0; i < n; i++) theta[i] = r0 * theta_bar[i];
    if (info) {
        memset(info, 0, sizeof *info);
        snprintf(info->scheme, sizeof info->scheme, "aligned");
        info->r0 = r0;
        info->norm = norm_of(n, theta);
    }
    return 0;
}

int init_balanced_rank1(int n_out, int h, int n_in, const double *u, const double *e, const double *v, double m0,
                        double *A, double *W, init_info *info) {
    double nu = norm_of((size_t)n_out, u), ne = norm_of((size_t)h, e), nv = norm_of((size_t)n_in, v);
    if (!(fabs(nu - 1) < 1e-10 && fabs(ne - 1) < 1e-10 && fabs(nv - 1) < 1e-10)) {
        sim_fail(-1, "init_balanced_rank1: |u| = %.17g, |e| = %.17g, |v| = %.17g must all be 1", nu, ne, nv);
        return -1;
    }
    if (!(m0 >= 0)) {
        sim_fail(-1, "init_balanced_rank1: m0 = %g must be >= 0", m0);
        return -1;
    }
    const double s = sqrt(m0);
    for (int i = 0; i < n_out; i++)
        for (int j = 0; j < h; j++) A[(size_t)i * h + j] = s * u[i] * e[j];
    for (int i = 0; i < h; i++)
        for (int j = 0; j < n_in; j++) W[(size_t)i * n_in + j] = s * e[i] * v[j];
    if (info) {
        memset(info, 0, sizeof *info);
        snprintf(info->scheme, sizeof info->scheme, "balanced_rank1");
        info->m0 = m0;
        double a = norm_of((size_t)n_out * h, A), w = norm_of((size_t)h * n_in, W);
        info->norm = sqrt(a * a + w * w);
    }
    return 0;
}

int init_net_normal_scaled(nn *net, unsigned long seed, unsigned long stream, double alpha, double gain,
                           init_info *info) {
    gsl_rng *r = rng_alloc(seed, stream);
    double tot = 0;
    memset(net->theta, 0, net->nparams * sizeof *net->theta);
    for (int l = 1; l <= net->L; l++) {
        double s2;
        if (init_normal_scaled(r, net->n[l], net->n[l - 1], alpha, gain, net->W[l], &s2)) {
            rng_free(r);
            return -1;
        }
        tot += s2;
    }
    rng_free(r);
    if (info) {
        memset(info, 0, sizeof *info);
        snprintf(info->scheme, sizeof info->scheme, "normal_scaled");
        info->seed = seed;
        info->stream = stream;
        info->alpha = alpha;
        info->gain = gain;
        info->norm = sqrt(tot);
    }
    return 0;
}

void init_describe(const init_info *info, char *buf, size_t len) {
    snprintf(buf, len,
             "init: scheme=%s seed=%lu stream=%lu alpha=%.10g gain=%.10g s0=%.10g r0=%.10g m0=%.10g norm=%.17g",
             info->scheme, info->seed, info->stream, info->alpha, info->gain, info->s0, info->r0, info->m0, info->norm);
}
