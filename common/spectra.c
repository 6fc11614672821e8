#include "spectra.h"
#include "status.h"
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_zeta.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

// ---- sphere ----
double spectra_sphere_multiplicity(int d, int k) {
    if (k == 0) return 1.0;
    if (d == 2) return 2.0;  // cos k th and sin k th
    // (2k+d-2)/k * C(k+d-3, k-1), with C(a,b) = exp(lgamma(a+1) - lgamma(b+1) - lgamma(a-b+1))
    double lc = lgamma(k + d - 2.0) - lgamma((double)k) - lgamma(d - 1.0);
    return round((2.0 * k + d - 2.0) / k * exp(lc));
}

void spectra_gegenbauer(int d, int kmax, double t, double *P) {
    P[0] = 1.0;
    if (kmax >= 1) P[1] = t;
    for (int k = 1; k < kmax; k++) P[k + 1] = ((2.0 * k + d - 2.0) * t * P[k] - k * P[k - 1]) / (k + d - 2.0);
}

// Node i and weight of the n-point Gauss-Legendre rule on [a, b], by Newton on the Legendre
// recurrence [Numerical Recipes, gauleg].  Not GSL's glfixed: measured here, its nodes are
// exact only at its tabulated orders (e.g. 100, 128, 256); at 200, 1000 or 3000 nodes its
// weights sum to pi with an error of 2.6e-10 to 6.7e-10, which spoils Funk-Hecke at 1e-10.
// gsl_integration_fixed (Golub-Welsch) is accurate but took ~1.5 s at 8000 nodes.  This
// costs O(n) per node and agrees with it to 1e-14.
static void gauss_legendre_point(int n, int i, double a, double b, double *x, double *w) {
    int j = i < n / 2 ? i : n - 1 - i;  // compute the node in (0,1] and mirror
    double z = cos(M_PI * (j + 0.75) / (n + 0.5)), dp = 1;
    for (int it = 0; it < 100; it++) {
        double p1 = 1, p2 = 0;
        for (int k = 1; k <= n; k++) {
            double p3 = p2;
            p2 = p1;
            p1 = ((2.0 * k - 1) * z * p2 - (k - 1.0) * p3) / k;
        }
        dp = n * (z * p1 - p2) / (z * z - 1);
        double dz = p1 / dp;
        z -= dz;
        if (fabs(dz) < 1e-16) break;
    }
    // recompute the derivative at the converged node for the weight
    double p1 = 1, p2 = 0;
    for (int k = 1; k <= n; k++) {
        double p3 = p2;
        p2 = p1;
        p1 = ((2.0 * k - 1) * z * p2 - (k - 1.0) * p3) / k;
    }
    dp = n * (z * p1 - p2) / (z * z - 1);
    double xs = i < n / 2 ? z : -z;  // node i ascending in -x order is irrelevant for a sum
    *x = 0.5 * (b - a) * xs + 0.5 * (b + a);
    *w = (b - a) / ((1 - z * z) * dp * dp);
}

struct spectra_sphere {
    int d, kmax, nodes;
    double *t;  // (nodes) cos theta_i
    double *w;  // (nodes) c_d * GL weight * sin^{d-2} theta_i
    double *P;  // (kmax+1) scratch for the recurrence at one node
};

spectra_sphere *spectra_sphere_alloc(int d, int kmax, int nodes) {
    if (d < 2 || kmax < 0 || nodes < 2) {
        sim_fail(-1, "spectra_sphere_alloc: need d >= 2, kmax >= 0, nodes >= 2 (got %d, %d, %d)", d, kmax, nodes);
        return NULL;
    }
    spectra_sphere *s = sim_calloc(1, sizeof *s);
    if (!s) return NULL;
    s->d = d, s->kmax = kmax, s->nodes = nodes;
    s->t = sim_alloc((size_t)nodes, sizeof(double));
    s->w = sim_alloc((size_t)nodes, sizeof(double));
    s->P = sim_alloc((size_t)kmax + 1, sizeof(double));
    if (!s->t || !s->w || !s->P) {
        spectra_sphere_free(s);
        return NULL;
    }
    // c_d = Gamma(d/2) / (sqrt(pi) Gamma((d-1)/2)): the density of t = cos theta is
    // c_d (1-t^2)^{(d-3)/2}, i.e. c_d sin^{d-2} theta dtheta in theta.
    double cd = exp(lgamma(d / 2.0) - lgamma((d - 1) / 2.0)) / sqrt(M_PI);
    for (int i = 0; i < nodes; i++) {
        double th, wi;
        gauss_legendre_point(nodes, i, 0.0, M_PI, &th, &wi);
        s->t[i] = cos(th);
        s->w[i] = cd * wi * pow(sin(th), d - 2);
    }
    return s;
}

void spectra_sphere_free(spectra_sphere *s) {
    if (!s) return;
    free(s->t), free(s->w), free(s->P), free(s);
}

int spectra_sphere_eigenvalues(spectra_sphere *s, double (*K)(double t, void *par), void *par, double *lam) {
    for (int k = 0; k <= s->kmax; k++) lam[k] = 0;
    // The recurrence is recomputed per node (nodes x kmax flops, milliseconds) rather than
    // stored, so kmax = 3000 with 8000 nodes needs no 190 MB table.
    for (int i = 0; i < s->nodes; i++) {
        double wK = s->w[i] * K(s->t[i], par);
        spectra_gegenbauer(s->d, s->kmax, s->t[i], s->P);
        for (int k = 0; k <= s->kmax; k++) lam[k] += wK * s->P[k];
    }
    return 0;
}

typedef struct {
    const kernel_spec *k;
    double r2;
    int d;
} sphere_par;
static double sphere_profile(double t, void *p) {
    sphere_par *q = p;
    return kernel_sphere_profile(q->k, t, q->r2, q->d);
}
int spectra_sphere_kernel(spectra_sphere *s, const kernel_spec *k, double r2, double *lam) {
    sphere_par q = {k, r2, s->d};
    return spectra_sphere_eigenvalues(s, sphere_profile, &q, lam);
}

// [DLMF 10.25, Funk-Hecke with the Gegenbauer expansion of e^{bt}]: e^{-b} e^{bt} has
// lambda_k = Gamma(d/2) (2/b)^{d/2-1} e^{-b} I_{k+d/2-1}(b).
double spectra_sphere_gaussian(int d, int k, double b) {
    double nu = d / 2.0 - 1.0;
    return exp(lgamma(d / 2.0) + nu * log(2.0 / b)) * gsl_sf_bessel_Inu_scaled(k + nu, b);
}

// ---- hypercube ----
double spectra_krawtchouk(int d, int k, int h) {
    double s = 0;
    for (int j = 0; j <= k && j <= h; j++) {
        if (k - j > d - h) continue;
        double term = gsl_sf_choose(h, j) * gsl_sf_choose(d - h, k - j);
        s += (j & 1) ? -term : term;
    }
    return s;
}

int spectra_cube_levels(int d, const double *g, double *lam) {
    if (d < 1 || d > 60) {
        sim_fail(-1, "spectra_cube_levels: d = %d must be in [1, 60]", d);
        return -1;
    }
    double p = ldexp(1.0, -d);
    for (int k = 0; k <= d; k++) {
        double s = 0;
        for (int h = 0; h <= d; h++) s += gsl_sf_choose(d, h) * g[h] * spectra_krawtchouk(d, k, h);
        lam[k] = p * s / gsl_sf_choose(d, k);
    }
    return 0;
}

void spectra_cube_profile(const kernel_spec *k, int d, double *g) {
    for (int h = 0; h <= d; h++) g[h] = kernel_scalar(k, d, d, d - 2.0 * h, d);
}

// ---- power laws ----
double spectra_powerlaw_tail_mass(double alpha, double M) { return gsl_sf_hzeta(alpha, M + 1.0); }

// sum_{i>M} f(i) ~ int_{M+1/2}^inf f(i) di; with t = 1/(1 + kappa i^a) the integrals become
// kappa^{-1/a} (1/a) B(t0; .) in the beta-function variable, B(1-1/a, 1/a) = pi/sin(pi/a).
void spectra_powerlaw_tail_sums(double a, double kappa, double M, double *S1, double *S2) {
    double t0 = 1.0 / (1.0 + kappa * pow(M + 0.5, a));
    double c = pow(kappa, -1.0 / a) * M_PI / (a * sin(M_PI / a));
    *S1 = c * gsl_sf_beta_inc(1.0 - 1.0 / a, 1.0 / a, t0);
    *S2 = c * (1.0 - 1.0 / a) * gsl_sf_beta_inc(2.0 - 1.0 / a, 1.0 / a, t0);
}

void spectra_powerlaw_tail_fn(double kappa, void *par, double *S1, double *S2) {
    const spectra_powerlaw_tail *p = par;
    // lambda = s i^-a: L = 1/(1 + (kappa/s) i^a)
    spectra_powerlaw_tail_sums(p->alpha, kappa / p->scale, p->M, S1, S2);
}
