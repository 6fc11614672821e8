// sslloss: the two joint-embedding losses that common/loss.h does not have -- SimCLR's NT-Xent
// and VICReg -- each returning its value and its gradient with respect to the two views'
// embeddings (Barlow Twins is loss_bt_theory / loss_bt_original in common/loss.h).
//
// What this module owns: the formulas and their workspaces, nothing else.  Parameter gradients
// come from common/nn.h by back-propagating [dL/dZa; dL/dZb] through the stacked batch [Xa; Xb].
//
// Conventions (conventions.md, Networks and activations): double precision, row-major, samples
// as rows.  Za, Zb (n, d) are the embeddings of the two views of n examples; row i of Za and row
// i of Zb are a positive pair.  dZa, dZb (n, d) receive dL/dZa, dL/dZb and may be NULL (value
// only; both or neither).  Workspaces are allocated once (_alloc) and reused, never inside a step
// loop.  Every product of two matrices is one BLAS call.
//
// Status (common/status.h): _alloc returns NULL for bad sizes or out of memory, the losses return
// NAN for a bad argument; the reason is in sim_last_error().  Nothing here prints or exits.
//
// ---- NT-Xent (SimCLR; Chen et al. 2020, eq. 1) ----
// Stack U = [Za; Zb] (2n, d).  Similarities are raw dot products over a temperature,
//
//     S = U U^T / tau  (2n, 2n),   l_i = -S_{i,p(i)} + log sum_{k != i} exp(S_ik),   L = (1/2n) sum_i l_i,
//
// with p(i) = i + n (mod 2n) the other view of the same example; every other row of the batch,
// of either view, is a negative.  SimCLR itself uses cosine similarities z.z'/(|z||z'|); that
// loss is scale invariant, so an "initialisation scale" has no meaning for it, and this module
// keeps the dot product (the form whose small-init linearisation is the cross-correlation of
// the views; see the stepwise-ssl note).  At U = 0 the loss is log(2n - 1) exactly.
// Gradient: with P the row softmax of S over k != i (P_ii = 0) and G = (P - Pos)/(2n), Pos the
// permutation matrix of p,  dL/dU = (G + G^T) U / tau.  Cost: one dsyrk (4n^2 d), 4n^2 exp, one
// dsymm-sized dgemm (8n^2 d).
//
// ---- VICReg (Bardes, Ponce, LeCun 2022, eqs. 1-6) ----
// Per view, with column means mu, centred Zc and Cov = Zc^T Zc / (n - 1):
//   variance    v(Z) = (1/d) sum_j max(0, g - sqrt(Cov_jj + eps))
//   covariance  c(Z) = (1/d) sum_{j != k} Cov_jk^2
//   invariance  s(Za, Zb) = (1/n) sum_i |za_i - zb_i|^2
//   L = lam s + mu (v(Za) + v(Zb)) + nu (c(Za) + c(Zb));  the paper's weights lam = mu = 25,
//   nu = 1, g = 1, eps = 1e-4 (SSLLOSS_VICREG_DEFAULTS).  At Z = 0 the loss is 2 mu (g - sqrt eps).
// Gradient (Zc has zero column means, so the centring's projection is the identity on these):
//   ds/dZa = 2 (Za - Zb)/n = -ds/dZb,
//   dv/dZ_ij = -[sqrt(Cov_jj + eps) < g] Zc_ij / (d (n - 1) sqrt(Cov_jj + eps)),
//   dc/dZ = 4 Zc Coff / (d (n - 1)),  Coff = Cov with its diagonal set to 0.
// The hinge's derivative at sqrt(Cov_jj + eps) = g is taken as 0 (the subgradient of max at 0).
#ifndef SIM_SSLLOSS_H
#define SIM_SSLLOSS_H

// ---- NT-Xent ----
typedef struct {
    int n, d;
    double *U;   // (2n, d) stacked embeddings of the last call
    double *S;   // (2n, 2n) similarities, then the softmax gradient G + G^T
    double *dU;  // (2n, d)
} sslloss_ntxent_ws;
sslloss_ntxent_ws *sslloss_ntxent_alloc(int n, int d);  // n >= 2, d >= 1; NULL otherwise
void sslloss_ntxent_free(sslloss_ntxent_ws *w);
// L as above (tau > 0); returns NAN if tau <= 0 or the workspace is NULL.
double sslloss_ntxent(sslloss_ntxent_ws *w, const double *Za, const double *Zb, double tau, double *dZa, double *dZb);

// ---- VICReg ----
typedef struct {
    double lam, mu, nu;  // weights of invariance, variance, covariance
    double g, eps;       // the variance hinge's target std and its regulariser
} sslloss_vicreg_par;
#define SSLLOSS_VICREG_DEFAULTS                                                                                        \
    { .lam = 25, .mu = 25, .nu = 1, .g = 1, .eps = 1e-4 }
typedef struct {
    int n, d;
    double inv, var, cov;  // the three terms of the last call, unweighted: s, v(Za)+v(Zb), c(Za)+c(Zb)
    double *Zc;            // (n, d) centred view
    double *Cov;           // (d, d)
    double *sd;            // (d) sqrt(Cov_jj + eps)
} sslloss_vicreg_ws;
sslloss_vicreg_ws *sslloss_vicreg_alloc(int n, int d);  // n >= 2, d >= 1; NULL otherwise
void sslloss_vicreg_free(sslloss_vicreg_ws *w);
// L as above; returns NAN if the workspace or p is NULL.
double sslloss_vicreg(sslloss_vicreg_ws *w, const double *Za, const double *Zb, const sslloss_vicreg_par *p,
                      double *dZa, double *dZb);
#endif
