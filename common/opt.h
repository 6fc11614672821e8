// opt: the optimizers of the stepwise-learning thread (conventions.md, Optimisers), on flat
// parameter vectors.
//
// What this module owns: the update rules, the minibatch order (per-epoch permutations drawn
// from the caller's SGD stream), the per-neuron scaled step of AGF, a power iteration for the
// step-size rules, and the finite-step time correction.  It does not know about models: a
// gradient is whatever the caller's callback writes.
//
// Time convention: for GD with step eta the effective time is t = eta * step.
//
//   opt_gd_step              theta -= eta grad
//   opt_gd_step_layers       W_l -= eta_l grad_l (per-layer learning rates; spectral-condition)
//   opt_sgd_alloc/_step      minibatch SGD: shuffled epochs, in order, or online batches
//   opt_neuron_scaled_step   theta_i -= eta |theta_i|^(2 - kappa) grad_i per hidden neuron (AGF)
//   opt_power_top            top eigenvalue of a symmetric operator given as a matvec
//   opt_discrete_time_factor eta r / ln(1 + eta r), GD's time stretch of a linear-phase growth
#ifndef SIM_OPT_H
#define SIM_OPT_H
#include <gsl/gsl_rng.h>
#include <stddef.h>

// ---- full-batch gradient descent ----
// theta (n) -= eta * grad (n).
void opt_gd_step(size_t n, double *theta, const double *grad, double eta);
// Per-layer rates: for l < L, W[l] (size[l]) -= eta[l] * grad[l].
void opt_gd_step_layers(int L, double *const *W, const double *const *grad, const size_t *size, const double *eta);

// ---- minibatch SGD ----
// The caller's gradient: given the batch (idx, B sample indices; idx is NULL in the online
// variant, where the callback draws its B fresh samples itself from `data_rng`), write the
// BATCH-MEAN gradient of the per-sample loss at theta into grad (p) and return the batch-mean
// loss.
typedef double (*opt_batch_grad_fn)(void *ctx, const size_t *idx, int B, gsl_rng *data_rng, const double *theta,
                                    double *grad);

typedef enum {
    OPT_SGD_SHUFFLE,   // a fresh permutation of 0..N-1 per epoch, from the SGD stream
    OPT_SGD_IN_ORDER,  // 0..N-1 in order every epoch (spectral-condition: one pass, B = 1)
    OPT_SGD_ONLINE     // each batch drawn fresh by the callback from the data stream
} opt_sgd_order;

typedef struct {
    size_t N;  // samples per epoch (ONLINE: batches of B count N/B per "epoch")
    int B;     // batch size; the last partial batch of an epoch is kept
    opt_sgd_order order;
    gsl_rng *rng;      // SGD stream (SHUFFLE) or data stream (ONLINE); not owned
    size_t p;          // parameter count
    size_t *perm;      // (N) current epoch's order
    size_t pos;        // next position in perm
    long epoch, step;  // completed epochs, steps taken
    double *grad;      // (p) workspace
} opt_sgd;

opt_sgd *opt_sgd_alloc(size_t N, int B, size_t p, opt_sgd_order order, gsl_rng *rng);
void opt_sgd_free(opt_sgd *s);
// One step: take the next batch (starting a new epoch, and for SHUFFLE drawing its
// permutation, when the previous one is used up), call fn, theta -= eta * grad.  Returns the
// batch loss.  DIEs naming the step if the loss or gradient is not finite.
double opt_sgd_step(opt_sgd *s, double *theta, double eta, opt_batch_grad_fn fn, void *ctx);

// ---- per-neuron scaled GD (AGF, kappa-homogeneous neurons) ----
// H neurons with P parameters each; neuron i's parameters are theta[map[i*P + k]], k < P
// (its incoming row, outgoing column, ...).  For each neuron:
//   theta_i -= eta |theta_i|^(2 - kappa) grad_i.
// Not a reparametrisation of GD: plateau levels agree with GD, times do not.
void opt_neuron_scaled_step(size_t H, size_t P, const size_t *map, double *theta, const double *grad, double eta,
                            double kappa);
// The map of a two-layer net: W1 (h, n_in) at offset o1 and W2 (n_out, h) at offset o2 of the
// flat vector; neuron i owns row i of W1 and column i of W2, so P = n_in + n_out.
void opt_neuron_map_2layer(size_t h, size_t n_in, size_t n_out, size_t o1, size_t o2, size_t *map);

// ---- power iteration ----
// y = A x for a symmetric operator A (n, n).
typedef void (*opt_matvec_fn)(void *ctx, const double *x, double *y);
// The eigenvalue of A - shift I of largest modulus, plus shift (so shift = 0 gives the
// eigenvalue of largest |lambda|; a shift of about -|lambda_max| gives the largest algebraic
// one).  Starts from v0 if non-NULL, else from a fixed deterministic vector.  Iterates until
// the Rayleigh quotient changes by < tol relative, at most maxit times.  Writes the unit
// eigenvector into v (n) if non-NULL.  Returns 0 on convergence, 1 if maxit was reached
// (*lambda then holds the last estimate).
int opt_power_top(size_t n, opt_matvec_fn A, void *ctx, double shift, const double *v0, int maxit, double tol,
                  double *lambda, double *v);

// ---- finite-step correction ----
// For dx/dt = r x integrated by GD with step eta, one step multiplies x by (1 + eta r) instead
// of e^{eta r}, so a flow time T becomes T * eta r / ln(1 + eta r).  Returns that factor
// (1 + eta r/2 + O(eta^2 r^2); exactly 1 at eta r = 0).  Requires eta r > -1.
double opt_discrete_time_factor(double eta, double r);
#endif
