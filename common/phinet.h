// phinet: one-hidden-layer networks with an activation that common/nn does not have, and the
// infinite-width kernels of such a network (conventions.md, Networks and activations).
//
// Activations (a family and its parameters p[0..6]):
//
//     PHI_SIN      phi(z) = p0 sin(p1 z)                                   (reverse-ntk's parity net)
//     PHI_RELUCOS  phi(z) = p0 relu(z - p1) + p2 z + p3 + p4 cos(p5 z + p6) (the trainable mimic)
//     PHI_RELU     phi(z) = relu(z)
//
// The network, in NTK parametrisation (neural-tangents' stax.Dense with W_std, b_std = 0):
//
//     Z = (w_std / sqrt(d)) X W^T   (N, h),   H = phi(Z),   F = (1/sqrt(h)) H a   (N, k),
//
// with W (h, d) and a (k, h) iid N(0, 1).  It is built from two common/nn layers with identity
// activations (layer 1: d -> h with multiplier w_std/sqrt(d); layer 2: h -> k with 1/sqrt(h)),
// and phi applied in between, so the parameters, gradients and BLAS products are common/nn's:
// net->l1->theta holds W, net->l2->theta holds a; a GD step is opt_gd_step on each.
//
// Backward: dL/dH = nn_backward(l2, dL/dF) (its dX), dL/dZ = dL/dH .* phi'(Z), nn_backward(l1, ...).
//
// Kernels at infinite width, for (u, v) a standard bivariate normal pair with correlation xi
// (the pre-activations of two inputs with x.x'/d = xi, w_std = 1):
//
//     NNGP  K(xi)     = E[phi(u) phi(v)]
//     NTK   Theta(xi) = E[phi(u) phi(v)] + xi E[phi'(u) phi'(v)]
//
// computed as E_u[ phi(u) E[phi(v) | u] ] with v | u ~ N(xi u, 1 - xi^2): the inner expectation is
// closed form for every family (Gaussian integrals of relu, z, 1, cos, sin, step), the outer one a
// composite Gauss-Legendre rule on [-12, 12] split at the kinks (relative accuracy ~1e-12 for
// |p5| <= 20, checked in tests/test_phinet.c against Mehler series and Monte Carlo).
//
// Ownership: phinet owns its two nn layers and the (max_batch, h) buffers of Z copies and dL/dH.
// Status (common/status.h): phinet_alloc returns NULL on bad arguments or no memory, the kernels
// NAN for |xi| > 1, phinet_forward NULL for a bad batch size, phinet_predict non-zero; the reason
// is in sim_last_error().
#ifndef SIM_PHINET_H
#define SIM_PHINET_H
#include <gsl/gsl_rng.h>
#include "nn.h"

typedef enum { PHI_SIN = 0, PHI_RELUCOS, PHI_RELU } phi_kind;

typedef struct {
    phi_kind kind;
    double p[7];  // parameters as in the header (unused ones 0)
} phi_act;

// phi(z) and phi'(z) (relu'(0) = 0, as common/nn).
double phi_eval(const phi_act *a, double z);
double phi_deriv(const phi_act *a, double z);

// Infinite-width 1HL kernels (w_std = 1, b_std = 0, readout W_std = 1): E[phi phi] and
// E[phi' phi'] at correlation xi in [-1, 1].
double phi_nngp(const phi_act *a, double xi);
double phi_dotdot(const phi_act *a, double xi);
static inline double phi_ntk(const phi_act *a, double xi) { return phi_nngp(a, xi) + xi * phi_dotdot(a, xi); }

typedef struct {
    int d, h, k;  // input, hidden, output widths
    phi_act act;
    nn *l1, *l2;    // d -> h (multiplier w_std/sqrt(d)), h -> k (multiplier 1/sqrt(h))
    double *Z, *H;  // (max_batch, h): pre-activations (copy) and phi(Z) of the latest forward
    double *dH;     // (max_batch, h) backward workspace
    int N;          // rows of the latest forward
} phinet;

// A network for batches of up to max_batch rows; parameters start at 0 (see phinet_init_normal).
phinet *phinet_alloc(int d, int h, int k, const phi_act *act, double w_std, int max_batch);
void phinet_free(phinet *net);
// W and a iid N(0, 1), W first, from r.  Returns 0.
int phinet_init_normal(phinet *net, gsl_rng *r);
// F (N, k), owned by net (it is net->l2's output buffer); NULL for N outside [1, max_batch].
const double *phinet_forward(phinet *net, int N, const double *X);
// Gradients of the latest forward given dL/dF (N, k) into net->l1->grad, net->l2->grad.  Returns 0.
int phinet_backward(phinet *net, const double *dF);
// Forward in chunks for any N; out (N, k).  Returns 0.
int phinet_predict(phinet *net, int N, const double *X, double *out);
// theta -= eta grad on both layers.
void phinet_gd_step(phinet *net, double eta);
#endif
