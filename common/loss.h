// loss: the training losses of the stepwise-learning thread, each returning its value and its
// gradient with respect to the model output (conventions.md, Losses).
//
// What this module owns: the formulas, nothing else.  Parameter gradients come from the layer
// module (common/nn.h) by back-propagating dL/dF; the linear-model shortcut of Barlow Twins
// (dL/dW = 2 G W Gamma) is here because it never forms the embeddings at all.
//
// Conventions (conventions.md, Networks and activations): double precision, row-major, samples as
// rows.  An output F is (N, k); a weight W is (rows, cols) as documented per function.  Gradient
// pointers may be NULL when only the value is wanted.  Workspaces are allocated once (_alloc) and
// reused, never inside a step loop.  Arguments are checked first: a bad size DIEs with the
// function's name.
//
//   loss_mse              c * sum (F - Y)^2, c explicit: 1/(2N) or 1/(N k), never hard-coded
//   loss_bt_theory        Barlow Twins as the theory writes it: ||w .* (C - I)||^2, C symmetrised
//   loss_bt_linear        the same for Z = X W^T, through Gamma = (Xa^T Xb + Xb^T Xa)/(2n)
//   loss_bt_original      Barlow Twins with per-column standardisation (the original paper)
//   loss_weight_decay     (lambda/2) ||W||_F^2, adding lambda W to a gradient
//   loss_symfact          (1/4) ||W W^T - M||_F^2 and (W W^T - M) W without forming W W^T (QWEM)
//   loss_sgns_pair        log(1 + exp(-label s)) in the stable form, and dl/ds
//   loss_qwem_pair        -label s + s^2/4, and dl/ds
//   loss_pair_update_tied the tied-embedding update of one pair (both rows; i == j handled)
#ifndef SIM_LOSS_H
#define SIM_LOSS_H
#include <stddef.h>

// ---- mean squared error ----
// L = c sum_{n,k} (F_nk - Y_nk)^2 over F, Y (N, k); dF (N, k) = 2c (F - Y) if non-NULL.
double loss_mse(int N, int k, const double *F, const double *Y, double c, double *dF);

// ---- Barlow Twins ----
// Workspace for embeddings of n samples and d dimensions.  After a call, C holds the
// embedding cross-correlation of that call (theory form: symmetrised; original form: of the
// standardised embeddings, not symmetrised), for eigenvalue tracking by the caller.
typedef struct {
    int n, d;
    double *C;          // (d, d)
    double *G;          // (d, d) dL/dC-like weight matrix of the last call
    double *Zta, *Ztb;  // (n, d) standardised embeddings (original form)
    double *sa, *sb;    // (d) column standard deviations (original form)
    double *ga, *gb;    // (n, d) upstream gradients before the standardisation (original form)
} loss_bt_ws;
loss_bt_ws *loss_bt_alloc(int n, int d);
void loss_bt_free(loss_bt_ws *w);

// Theory form (the stepwise-SSL paper's loss).  Za, Zb (n, d) are the two views' embeddings.
//   C = (Za^T Zb + Zb^T Za)/(2n),  L = sum_ij w_ij (C_ij - delta_ij)^2,
//   w_ii = 1, w_ij = lambda_off (i != j).  With G = 2 w .* (C - I):
//   dL/dZa = Zb G / n,  dL/dZb = Za G / n   (dZa, dZb (n, d), may be NULL).
double loss_bt_theory(loss_bt_ws *w, const double *Za, const double *Zb, double lambda_off, double *dZa, double *dZb);

// Linear model Z = X W^T with W (d, m), given Gamma (m, m) = (Xa^T Xb + Xb^T Xa)/(2n):
//   C = W Gamma W^T (d, d) into C, L as above, dW (d, m) = 2 G W Gamma (= 4 (C - I) W Gamma
//   when lambda_off = 1).  WG is a caller workspace (d, m) that receives W Gamma.  C and dW
//   may not alias W.  dW may be NULL.
double loss_bt_linear(int d, int m, const double *W, const double *Gamma, double lambda_off, double *C, double *WG,
                      double *dW);

// Original form (Zbontar et al. 2021): per column zt = (z - mean)/s, s = sqrt(var_b + 1e-5)
// (biased variance), C = Zta^T Ztb / n, L = sum_i (1 - C_ii)^2 + lambda sum_{i!=j} C_ij^2.
// The paper's lambda is 5e-3 (LOSS_BT_LAMBDA).  Backward through the standardisation per
// column with upstream g: dL/dz = (g - mean(g) - zt mean(g .* zt)) / s.
#define LOSS_BT_LAMBDA 5e-3
#define LOSS_BT_EPS 1e-5
double loss_bt_original(loss_bt_ws *w, const double *Za, const double *Zb, double lambda, double *dZa, double *dZb);

// ---- weight decay ----
// Returns (lambda/2) ||W||_F^2 over n entries; if dW is non-NULL adds lambda W to it.
double loss_weight_decay(size_t n, const double *W, double lambda, double *dW);

// ---- symmetric factorisation (QWEM, word2vec-steps) ----
// L(W) = (1/4) ||W W^T - M||_F^2 for symmetric M (V, V) and W (V, d), evaluated as
// (1/4)(||W^T W||^2 - 2 <W, M W> + ||M||^2), so W W^T (V x V) is never formed.  The value
// therefore carries an absolute rounding error ~ eps ||M||_F^2 (fine for loss curves; do not
// expect relative accuracy once L << eps ||M||^2).  normM2 = ||M||_F^2 if known, or < 0 to
// have it computed (V^2 work).  dW (V, d) = W (W^T W) - M W: one dsymm (V^2 d) and two dgemm
// (V d^2), using the workspace.
typedef struct {
    int V, d;
    double *WtW;  // (d, d)
    double *MW;   // (V, d)
} loss_symfact_ws;
loss_symfact_ws *loss_symfact_alloc(int V, int d);
void loss_symfact_free(loss_symfact_ws *w);
double loss_symfact(loss_symfact_ws *w, const double *M, double normM2, const double *W, double *dW);

// ---- per-pair terms of SGNS and QWEM (scalar score s = w_i . w_j; label +1 or -1) ----
// SGNS: l(s) = log(1 + exp(-label s)) = log1p(exp(-|x|)) + max(-x, 0) with x = label s;
//       dl/ds = -label sigmoid(-label s).
double loss_sgns_pair(double s, double label, double *dl_ds);
// QWEM: l_q(s) = -label s + s^2/4 (twice the second-order Taylor expansion of SGNS at 0,
//       up to a constant); dl_q/ds = -label + s/2.
double loss_qwem_pair(double s, double label, double *dl_ds);
// Tied embeddings, one SGD step on one pair of rows wi, wj (length d) with the derivative
// dl_ds evaluated at the pre-update score: both increments use the PRE-update rows,
//   wi -= eta dl_ds wj,  wj -= eta dl_ds wi.
// If wi == wj (the pair (i, i)), s = |w_i|^2 and the increment is the sum of the two,
//   wi -= 2 eta dl_ds wi.
void loss_pair_update_tied(int d, double *wi, double *wj, double eta, double dl_ds);
#endif
