#include "kernel.h"
#include "linalg.h"
#include "status.h"
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    kernel_type type;
} kernel_names[] = {
    {"laplace", KERNEL_LAPLACE},     {"laplace-hea", KERNEL_LAPLACE_HEA}, {"gaussian", KERNEL_GAUSSIAN},
    {"ntk", KERNEL_RELU_NTK},        {"nngp", KERNEL_RELU_NNGP},          {"relu-ntk", KERNEL_RELU_NTK},
    {"relu-nngp", KERNEL_RELU_NNGP}, {"erf-ntk", KERNEL_ERF_NTK},         {"erf-nngp", KERNEL_ERF_NNGP},
    {"ntk1b", KERNEL_NTK1B},
};
#define NNAMES ((int)(sizeof kernel_names / sizeof kernel_names[0]))

int kernel_spec_parse(kernel_spec *k, const char *name, double bandwidth, int depth, double wstd, double bstd,
                      char *err, int errlen) {
    int found = -1;
    for (int i = 0; i < NNAMES && name; i++)
        if (strcmp(name, kernel_names[i].name) == 0) found = i;
    if (found < 0) {
        snprintf(err, errlen,
                 "unknown kernel '%s' (laplace, laplace-hea, gaussian, ntk, nngp, relu-ntk, "
                 "relu-nngp, erf-ntk, erf-nngp, ntk1b)",
                 name ? name : "(null)");
        return -1;
    }
    k->type = kernel_names[found].type;
    k->bandwidth = bandwidth;
    k->depth = depth;
    k->wstd = wstd;
    k->bstd = bstd;
    if (kernel_is_radial(k) && !(bandwidth > 0 && isfinite(bandwidth))) {
        snprintf(err, errlen, "kernel %s needs a bandwidth > 0 (got %g)", name, bandwidth);
        return -1;
    }
    if (k->type != KERNEL_NTK1B && !kernel_is_radial(k)) {
        if (depth < 1) {
            snprintf(err, errlen, "kernel %s needs --depth >= 1 hidden layers (got %d)", name, depth);
            return -1;
        }
        if (!(wstd >= 0 && bstd >= 0 && isfinite(wstd) && isfinite(bstd))) {
            snprintf(err, errlen, "kernel %s needs wstd, bstd >= 0 (got %g, %g)", name, wstd, bstd);
            return -1;
        }
    }
    return 0;
}

const char *kernel_name(const kernel_spec *k) {
    switch (k->type) {
    case KERNEL_LAPLACE: return "laplace";
    case KERNEL_LAPLACE_HEA: return "laplace-hea";
    case KERNEL_GAUSSIAN: return "gaussian";
    case KERNEL_RELU_NTK: return "ntk";
    case KERNEL_RELU_NNGP: return "nngp";
    case KERNEL_ERF_NTK: return "erf-ntk";
    case KERNEL_ERF_NNGP: return "erf-nngp";
    case KERNEL_NTK1B: return "ntk1b";
    }
    return "?";
}

void kernel_describe(const kernel_spec *k, char *buf, int len) {
    if (kernel_is_radial(k)) snprintf(buf, len, "%s bandwidth=%.10g", kernel_name(k), k->bandwidth);
    else if (k->type == KERNEL_NTK1B) snprintf(buf, len, "ntk1b");
    else snprintf(buf, len, "%s L=%d wstd=%.10g bstd=%.10g", kernel_name(k), k->depth, k->wstd, k->bstd);
}

int kernel_is_radial(const kernel_spec *k) {
    return k->type == KERNEL_LAPLACE || k->type == KERNEL_LAPLACE_HEA || k->type == KERNEL_GAUSSIAN;
}

// ---- the network kernels: one recursion, two activations ----
// (qx, qy, c) are the pre-activation variances and covariance of the current layer.  For the
// activation phi, E[phi(u)phi(v)] and E[phi'(u)phi'(v)] under (u,v) ~ N(0, [[qx,c],[c,qy]]):
//   ReLU [Cho & Saul 2009]: sqrt(qx qy) (sin th + (pi-th) cos th)/(2 pi),  (pi - th)/(2 pi),
//        with cos th = c/sqrt(qx qy);
//   erf  [Williams 1997]: (2/pi) asin(2c/sqrt((1+2qx)(1+2qy))),
//        (4/pi)/sqrt((1+2qx)(1+2qy) - 4c^2).
static void relu_moments(double qx, double qy, double c, double *Ephi, double *Edot) {
    if (qx == qy && c == qx) {  // theta = 0 exactly (sqrt(q*q) may round 1 ulp off q)
        *Ephi = qx / 2, *Edot = 0.5;
        return;
    }
    double s = sqrt(qx * qy);
    double rho = s > 0 ? c / s : 0.0;
    if (rho > 1) rho = 1;
    if (rho < -1) rho = -1;
    double th = acos(rho);
    *Ephi = s * (sqrt(1 - rho * rho) + (M_PI - th) * rho) / (2 * M_PI);  // sin th = sqrt(1-rho^2)
    *Edot = (M_PI - th) / (2 * M_PI);
}
static void erf_moments(double qx, double qy, double c, double *Ephi, double *Edot) {
    double A = (1 + 2 * qx) * (1 + 2 * qy);
    double r = 2 * c / sqrt(A);
    if (r > 1) r = 1;
    if (r < -1) r = -1;
    *Ephi = (2 / M_PI) * asin(r);
    double den = A - 4 * c * c;
    *Edot = den > 0 ? (4 / M_PI) / sqrt(den) : INFINITY;
}

// conventions.md, Kernels, and the reverse-NTK paper's recursion.
// Layer 1: Sigma = w2 <x,x'>/d + b2, Theta = Sigma.  For h < L: Sigma' = w2 E[phi phi] + b2,
// Theta' = Sigma' + w2 E[phi' phi'] Theta.  Readout (W_std = 1, b = 0): NNGP = E[phi phi],
// NTK = E[phi phi] + E[phi' phi'] Theta.
static double network_kernel(const kernel_spec *k, double xx, double yy, double xy, int d_in, int erf, int ntk) {
    double w2 = k->wstd * k->wstd, b2 = k->bstd * k->bstd;
    double qx = w2 * xx / d_in + b2, qy = w2 * yy / d_in + b2, c = w2 * xy / d_in + b2;
    double Theta = c, Ephi, Edot;
    // A point with itself (the diagonal) stays exactly on the diagonal, c = q, at every layer.
    // Left to rounding, c/q drifts 1 ulp below 1 and acos turns that into theta ~ 1.5e-8, a
    // 1e-8 relative error in E_step and the NTK diagonal.
    int same = (xx == yy && xy == xx);
    for (int h = 1; h <= k->depth; h++) {
        if (same) c = qx;
        if (erf) erf_moments(qx, qy, c, &Ephi, &Edot);
        else relu_moments(qx, qy, c, &Ephi, &Edot);
        if (h == k->depth) return ntk ? Ephi + Edot * Theta : Ephi;
        double ex, ey, dummy;  // diagonal updates: the same moments at c = q
        if (erf) {
            erf_moments(qx, qx, qx, &ex, &dummy);
            erf_moments(qy, qy, qy, &ey, &dummy);
        } else {
            ex = qx / 2, ey = qy / 2;  // E[relu(u)^2] = q/2 exactly
        }
        c = w2 * Ephi + b2;
        Theta = c + w2 * Edot * Theta;
        qx = w2 * ex + b2;
        qy = w2 * ey + b2;
    }
    return NAN;  // unreachable: depth >= 1
}

// conventions.md, Kernels (ntk1b), written for general inputs through the cosine of the augmented
// inputs (x, 1): v = (<x,x'> + 1)/sqrt((|x|^2+1)(|x'|^2+1)), which is (1 + x.x')/2 on the unit
// sphere.
static double ntk1b(double xx, double yy, double xy) {
    double v = (xy + 1) / sqrt((xx + 1) * (yy + 1));
    if (v > 1) v = 1;
    if (v < -1) v = -1;
    double a = M_PI - acos(v);
    double k0 = a / M_PI, k1 = (v * a + sqrt(1 - v * v)) / M_PI;
    return 0.5 * (v * k0 + k1);
}

double kernel_scalar(const kernel_spec *k, double xx, double yy, double xy, int d_in) {
    double r2;
    switch (k->type) {
    case KERNEL_LAPLACE:
    case KERNEL_LAPLACE_HEA:
        r2 = xx + yy - 2 * xy;
        if (r2 < 0) r2 = 0;  // rounding gives -1e-13; clamp before the square root
        return exp(-sqrt(r2) / (k->type == KERNEL_LAPLACE ? k->bandwidth : M_SQRT2 * k->bandwidth));
    case KERNEL_GAUSSIAN:
        r2 = xx + yy - 2 * xy;
        if (r2 < 0) r2 = 0;
        return exp(-r2 / (2 * k->bandwidth * k->bandwidth));
    case KERNEL_RELU_NTK: return network_kernel(k, xx, yy, xy, d_in, 0, 1);
    case KERNEL_RELU_NNGP: return network_kernel(k, xx, yy, xy, d_in, 0, 0);
    case KERNEL_ERF_NTK: return network_kernel(k, xx, yy, xy, d_in, 1, 1);
    case KERNEL_ERF_NNGP: return network_kernel(k, xx, yy, xy, d_in, 1, 0);
    case KERNEL_NTK1B: return ntk1b(xx, yy, xy);
    }
    return NAN;
}

double kernel_eval(const kernel_spec *k, const double *x, const double *y, int d) {
    double xx = 0, yy = 0, xy = 0;
    for (int a = 0; a < d; a++) xx += x[a] * x[a], yy += y[a] * y[a], xy += x[a] * y[a];
    return kernel_scalar(k, xx, yy, xy, d);
}

double kernel_sphere_profile(const kernel_spec *k, double t, double r2, int d_in) {
    return kernel_scalar(k, r2, r2, r2 * t, d_in);
}

int kernel_gram(const kernel_spec *k, int n, int m, int d, const double *X, const double *Y, double *K) {
    if (n < 1 || m < 1 || d < 1 || !X || !Y || !K) {
        sim_fail(-1, "kernel_gram: bad arguments n=%d m=%d d=%d", n, m, d);
        return -1;
    }
    double *nx = sim_alloc((size_t)n + m, sizeof *nx);
    if (!nx) return -1;
    double *ny = nx + n;
    for (int i = 0; i < n; i++) nx[i] = cblas_ddot(d, X + (size_t)i * d, 1, X + (size_t)i * d, 1);
    for (int j = 0; j < m; j++) ny[j] = cblas_ddot(d, Y + (size_t)j * d, 1, Y + (size_t)j * d, 1);
    // K = X Y^T: the inner products in one GEMM
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m, d, 1.0, X, d, Y, d, 0.0, K, m);
    for (int i = 0; i < n; i++) {
        double *row = K + (size_t)i * m;
        for (int j = 0; j < m; j++) row[j] = kernel_scalar(k, nx[i], ny[j], row[j], d);
    }
    free(nx);
    return 0;
}

// The elementwise pass of kernel_gram_sym, rows [r0, r1) of the lower triangle.  Every entry
// is computed by the same expression whatever the split, so the result does not depend on the
// number of threads.
typedef struct {
    const kernel_spec *k;
    int n, d, r0, r1;
    const double *nx;
    double *K;
} gram_rows_job;

static void *gram_rows(void *arg) {
    const gram_rows_job *g = arg;
    for (int i = g->r0; i < g->r1; i++) {
        double *Ki = g->K + (size_t)i * g->n;
        for (int j = 0; j < i; j++) Ki[j] = kernel_scalar(g->k, g->nx[i], g->nx[j], Ki[j], g->d);
        // exact diagonal: the same number for xx, yy and xy, so the distance is exactly 0
        Ki[i] = kernel_scalar(g->k, g->nx[i], g->nx[i], g->nx[i], g->d);
    }
    return NULL;
}

static int gram_threads = 1;  // see kernel_set_threads

void kernel_set_threads(int n) { gram_threads = n < 1 ? 1 : n; }

int kernel_gram_sym(const kernel_spec *k, int n, int d, const double *X, double *K) {
    if (n < 1 || d < 1 || !X || !K) {
        sim_fail(-1, "kernel_gram_sym: bad arguments n=%d d=%d", n, d);
        return -1;
    }
    // lower triangle of X X^T in one SYRK
    cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, d, 1.0, X, d, 0.0, K, n);
    double *nx = sim_alloc((size_t)n, sizeof *nx);
    if (!nx) return -1;
    for (int i = 0; i < n; i++) nx[i] = K[(size_t)i * n + i];
    // The elementwise pass (an exp and a sqrt per entry) costs as much as the SYRK at d = 784
    // (measured n = 8000: 1.3 s vs 1.25 s), so it uses kernel_set_threads' count (the programs
    // give it BLAS's).  Row i holds i entries: thread t of T takes rows [n sqrt(t/T),
    // n sqrt((t+1)/T)), equal work.
    enum { MAX_T = 16 };
    int T = gram_threads;
    if (T > MAX_T) T = MAX_T;
    if (T < 1 || n < 512) T = 1;
    gram_rows_job job[MAX_T];
    pthread_t tid[MAX_T];
    for (int t = 0; t < T; t++) {
        job[t] = (gram_rows_job){k, n, d, (int)(n * sqrt((double)t / T)), (int)(n * sqrt((double)(t + 1) / T)), nx, K};
        if (t == T - 1) job[t].r1 = n;
    }
    int started = 1;
    for (int t = 1; t < T; t++) {
        if (pthread_create(&tid[t], NULL, gram_rows, &job[t])) break;  // fall back: do it here
        started++;
    }
    gram_rows(&job[0]);
    for (int t = 1; t < started; t++) pthread_join(tid[t], NULL);
    for (int t = started; t < T; t++) gram_rows(&job[t]);
    la_mirror_lower(n, K);
    free(nx);
    return 0;
}
