// init: the initialisation schemes of the training code (conventions.md, Initialisations).
//
//   init_normal_scaled   entries iid N(0, (alpha gain)^2 / fan_in); gain 1 = LeCun, sqrt 2 = He;
//                        alpha is the init scale (alpha << 1: small init)
//   init_normal_abs      entries iid N(0, s0^2)                  (linear BT, QWEM)
//   init_aligned         theta = r0 theta_bar for a unit-norm direction theta_bar
//   init_balanced_rank1  a two-layer linear net A = sqrt(m0) u e^T, W = sqrt(m0) e v^T
//   init_net_normal_scaled  every layer of an nn with init_normal_scaled, from its own stream
//
// Every scheme can record what it did in an init_info (scheme, seed and stream of the RNG,
// parameters, the realised ||theta||), which init_describe turns into one line the program
// writes into its table header (tsv_note(t, "%s", line)), so a table says exactly which weights it started from.  Random numbers come from rng.h streams.
#ifndef SIM_INIT_H
#define SIM_INIT_H
#include <gsl/gsl_rng.h>
#include <stddef.h>
#include "nn.h"

typedef struct {
    char scheme[32];                 // "normal_scaled", "normal_abs", "aligned", "balanced_rank1"
    unsigned long seed, stream;      // RNG stream (rng_alloc(seed, stream)); 0, 0 when deterministic
    double alpha, gain, s0, r0, m0;  // the scheme's parameters (unused ones are 0)
    double norm;                     // realised ||theta|| (Euclidean norm of everything initialised)
} init_info;

// W (n_out, n_in): iid N(0, (alpha*gain)^2 / n_in).  *norm2 (may be NULL) gets ||W||_F^2.
int init_normal_scaled(gsl_rng *r, int n_out, int n_in, double alpha, double gain, double *W, double *norm2);
// W (n): iid N(0, s0^2).  *norm2 (may be NULL) gets ||W||^2.
int init_normal_abs(gsl_rng *r, size_t n, double s0, double *W, double *norm2);
// theta (n) = r0 * theta_bar.  Returns -1 (message on stderr) unless |‖theta_bar‖ - 1| < 1e-10.
int init_aligned(size_t n, const double *theta_bar, double r0, double *theta, init_info *info);
// Two-layer linear net F = X W^T A^T: A (n_out, h) = sqrt(m0) u e^T, W (h, n_in) = sqrt(m0) e v^T,
// with unit vectors u (n_out), e (h), v (n_in).  Returns -1 unless each is unit-norm to 1e-10.
int init_balanced_rank1(int n_out, int h, int n_in, const double *u, const double *e, const double *v, double m0,
                        double *A, double *W, init_info *info);
// Every W_l of net with init_normal_scaled (fan_in = n_{l-1}), drawn in layer order from
// rng_alloc(seed, stream); biases set to 0.  Fills info (may be NULL).
int init_net_normal_scaled(nn *net, unsigned long seed, unsigned long stream, double alpha, double gain,
                           init_info *info);
// "init: scheme=... seed=... stream=... alpha=... norm=..." into buf (a table header line).
void init_describe(const init_info *info, char *buf, size_t len);
#endif
