// phinet: one-hidden-layer networks with a parametrised activation, from two common/nn layers,
// and their infinite-width kernels (see phinet.h).
#include "phinet.h"
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "opt.h"
#include "rng.h"
#include "status.h"

// ---- the activations ----
double phi_eval(const phi_act *a, double z) {
    const double *p = a->p;
    switch (a->kind) {
    case PHI_SIN: return p[0] * sin(p[1] * z);
    case PHI_RELUCOS: return p[0] * fmax(z - p[1], 0) + p[2] * z + p[3] + p[4] * cos(p[5] * z + p[6]);
    case PHI_RELU: return fmax(z, 0);
    }
    return NAN;
}

double phi_deriv(const phi_act *a, double z) {
    const double *p = a->p;
    switch (a->kind) {
    case PHI_SIN: return p[0] * p[1] * cos(p[1] * z);
    case PHI_RELUCOS: return p[0] * (z > p[1]) + p[2] - p[4] * p[5] * sin(p[5] * z + p[6]);
    case PHI_RELU: return z > 0;
    }
    return NAN;
}

// ---- conditional expectations E[. | u] for v ~ N(m, s^2) ----
// Gaussian integrals: E[relu(v - b)] = (m - b) Phi(t) + s phi(t), E[1(v > b)] = Phi(t) with
// t = (m - b)/s; E[cos(f v + g)] = cos(f m + g) exp(-f^2 s^2/2), the same for sin.
static double Phi(double t) { return 0.5 * erfc(-t / M_SQRT2); }
static double npdf(double t) { return exp(-0.5 * t * t) / sqrt(2 * M_PI); }

static double cond_phi(const phi_act *a, double m, double s) {
    if (s <= 0) return phi_eval(a, m);
    const double *p = a->p;
    switch (a->kind) {
    case PHI_SIN: return p[0] * sin(p[1] * m) * exp(-0.5 * p[1] * p[1] * s * s);
    case PHI_RELUCOS: {
        double t = (m - p[1]) / s;
        return p[0] * ((m - p[1]) * Phi(t) + s * npdf(t)) + p[2] * m + p[3] +
               p[4] * cos(p[5] * m + p[6]) * exp(-0.5 * p[5] * p[5] * s * s);
    }
    case PHI_RELU: return m * Phi(m / s) + s * npdf(m / s);
    }
    return NAN;
}

static double cond_dphi(const phi_act *a, double m, double s) {
    if (s <= 0) return phi_deriv(a, m);
    const double *p = a->p;
    switch (a->kind) {
    case PHI_SIN: return p[0] * p[1] * cos(p[1] * m) * exp(-0.5 * p[1] * p[1] * s * s);
    case PHI_RELUCOS:
        return p[0] * Phi((m - p[1]) / s) + p[2] - p[4] * p[5] * sin(p[5] * m + p[6]) * exp(-0.5 * p[5] * p[5] * s * s);
    case PHI_RELU: return Phi(m / s);
    }
    return NAN;
}

// ---- the outer integral over u ~ N(0, 1) ----
// Composite 16-point Gauss-Legendre on panels of width <= 0.05 over [-12, 12], with the kink of
// phi (u = b) and the near-kink of the inner expectation (u = b/xi, width s/xi) as panel edges.
#define UMAX 12.0
#define PANEL 0.05
#define GLN 16

static double gl_x[GLN], gl_w[GLN];
static int gl_ready = 0;

static int gl_init(void) {
    if (gl_ready) return 0;
    gsl_integration_glfixed_table *t = gsl_integration_glfixed_table_alloc(GLN);
    if (!t) return sim_fail(-1, "phinet: gsl_integration_glfixed_table_alloc(%d) failed", GLN);
    for (int i = 0; i < GLN; i++) gsl_integration_glfixed_point(-1, 1, (size_t)i, &gl_x[i], &gl_w[i], t);
    gsl_integration_glfixed_table_free(t);
    gl_ready = 1;
    return 0;
}

static double kink_of(const phi_act *a) { return a->kind == PHI_RELUCOS ? a->p[1] : a->kind == PHI_RELU ? 0 : NAN; }

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

// E_u[ f(u) g(u) ] where f = phi or phi' and g = the matching conditional expectation.
static double outer(const phi_act *a, double xi, int deriv) {
    if (!(fabs(xi) <= 1)) {
        sim_fail(-1, "phinet kernel: xi = %g outside [-1, 1]", xi);
        return NAN;
    }
    if (gl_init()) return NAN;
    const double s = sqrt(fmax(0, 1 - xi * xi));
    double edges[4] = {-UMAX, UMAX, NAN, NAN};
    int ne = 2;
    double b = kink_of(a);
    if (isfinite(b) && fabs(b) < UMAX) edges[ne++] = b;
    if (isfinite(b) && fabs(xi) > 0 && fabs(b / xi) < UMAX) edges[ne++] = b / xi;
    qsort(edges, (size_t)ne, sizeof *edges, cmp_double);
    double sum = 0;
    for (int e = 0; e + 1 < ne; e++) {
        double lo = edges[e], hi = edges[e + 1];
        if (hi <= lo) continue;
        int np = (int)ceil((hi - lo) / PANEL);
        double w = (hi - lo) / np;
        for (int k = 0; k < np; k++) {
            double c = lo + (k + 0.5) * w;
            for (int i = 0; i < GLN; i++) {
                double u = c + 0.5 * w * gl_x[i], m = xi * u;
                double f = deriv ? phi_deriv(a, u) * cond_dphi(a, m, s) : phi_eval(a, u) * cond_phi(a, m, s);
                sum += 0.5 * w * gl_w[i] * f * npdf(u);
            }
        }
    }
    return sum;
}

double phi_nngp(const phi_act *a, double xi) { return outer(a, xi, 0); }
double phi_dotdot(const phi_act *a, double xi) { return outer(a, xi, 1); }

// ---- the network ----
phinet *phinet_alloc(int d, int h, int k, const phi_act *act, double w_std, int max_batch) {
    if (d < 1 || h < 1 || k < 1 || max_batch < 1 || !act || !(w_std > 0)) {
        sim_fail(-1, "phinet_alloc: bad arguments (d %d, h %d, k %d, max_batch %d, w_std %g)", d, h, k, max_batch,
                 w_std);
        return NULL;
    }
    phinet *net = sim_calloc(1, sizeof *net);
    if (!net) return NULL;
    net->d = d, net->h = h, net->k = k, net->act = *act, net->N = 0;
    int n1[2] = {d, h}, n2[2] = {h, k};
    net->l1 = nn_alloc(1, n1, NN_IDENTITY, 0, max_batch);
    net->l2 = nn_alloc(1, n2, NN_IDENTITY, 0, max_batch);
    net->Z = sim_alloc((size_t)max_batch * h, sizeof(double));
    net->H = sim_alloc((size_t)max_batch * h, sizeof(double));
    net->dH = sim_alloc((size_t)max_batch * h, sizeof(double));
    if (!net->l1 || !net->l2 || !net->Z || !net->H || !net->dH || nn_set_mult(net->l1, 1, w_std / sqrt((double)d)) ||
        nn_set_mult(net->l2, 1, 1 / sqrt((double)h))) {
        phinet_free(net);
        return NULL;
    }
    return net;
}

void phinet_free(phinet *net) {
    if (!net) return;
    if (net->l1) nn_free(net->l1);
    if (net->l2) nn_free(net->l2);
    free(net->Z), free(net->H), free(net->dH), free(net);
}

int phinet_init_normal(phinet *net, gsl_rng *r) {
    for (size_t i = 0; i < net->l1->nparams; i++) net->l1->theta[i] = rng_normal(r);
    for (size_t i = 0; i < net->l2->nparams; i++) net->l2->theta[i] = rng_normal(r);
    return 0;
}

const double *phinet_forward(phinet *net, int N, const double *X) {
    const double *Z = nn_forward(net->l1, N, X);  // (N, h)
    if (!Z) return NULL;
    const size_t m = (size_t)N * net->h;
    memcpy(net->Z, Z, m * sizeof *Z);
    for (size_t i = 0; i < m; i++) net->H[i] = phi_eval(&net->act, Z[i]);
    net->N = N;
    return nn_forward(net->l2, N, net->H);
}

int phinet_backward(phinet *net, const double *dF) {
    nn_backward(net->l2, dF, net->dH, 0);  // dL/da and dL/dH (N, h)
    const size_t m = (size_t)net->N * net->h;
    for (size_t i = 0; i < m; i++) net->dH[i] *= phi_deriv(&net->act, net->Z[i]);  // dL/dZ
    nn_backward(net->l1, net->dH, NULL, 0);
    return 0;
}

int phinet_predict(phinet *net, int N, const double *X, double *out) {
    const int mb = net->l1->max_batch;
    for (int s = 0; s < N; s += mb) {
        int m = N - s < mb ? N - s : mb;
        const double *F = phinet_forward(net, m, X + (size_t)s * net->d);
        if (!F) return -1;
        memcpy(out + (size_t)s * net->k, F, (size_t)m * net->k * sizeof *out);
    }
    return 0;
}

void phinet_gd_step(phinet *net, double eta) {
    opt_gd_step(net->l1->nparams, net->l1->theta, net->l1->grad, eta);
    opt_gd_step(net->l2->nparams, net->l2->theta, net->l2->grad, eta);
}
