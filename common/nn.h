// nn: dense multilayer perceptrons with a BLAS forward and backward pass
// (conventions.md, Networks and activations).
//
// The network.  L weight matrices (L counts weight matrices, not hidden layers), widths
// n[0] = input, ..., n[L] = output.  For l = 1..L
//
//     Z_l = c_l H_{l-1} W_l^T (+ 1 b_l^T),   H_l = sigma(Z_l) for l < L,   H_L = Z_L,
//
// with H_0 = X.  Samples are ROWS: H_l is (N, n_l); W_l is (n_l, n_{l-1}), row-major, so row i of
// W_l is the incoming weight vector of neuron i of layer l and column i of W_{l+1} its outgoing
// weights.  c_l is a fixed scalar multiplier per layer (default 1): it gives the
// parametrisations of the scaling papers (1/sqrt(d), 1/sqrt(N), 1/(N gamma)) on N(0,1) weights
// without touching the weights.  Biases are optional and OFF by default (the homogeneity
// arguments of deep-ReLU and AGF need bias-free nets); the bias is not multiplied by c_l.
//
// Indexing follows the paper: layers are numbered 1..L everywhere in this API (index 0 of the
// per-layer arrays W, b, dW, db, Z, c is unused; H[0] is the input of the last forward pass).
//
// Parameters.  All parameters live in ONE flat vector `theta` (nparams doubles), layer by layer:
// [W_1, b_1, W_2, b_2, ..., W_L, b_L] (b_l only with biases).  W[l] and b[l] point into it;
// block l occupies theta[off[l] .. off[l] + len[l]).  The gradient `grad` has the same layout
// (dW[l], db[l] point into it).  An optimizer can therefore treat (theta, grad) as two flat
// vectors (plain GD, ||theta||, flat dot products) or per layer (per-layer learning rates).
//
// What the module owns: the parameters, the gradient, and every workspace (Z_l, H_l, deltas,
// the output gradient buffer), allocated once in nn_alloc for a maximum batch size.  Nothing
// allocates after nn_alloc.  Every product of two matrices is one cblas_dgemm.
//
// Activations: identity, relu, tanh, square (z^2).  The ReLU derivative at 0 is taken as 0
// (the subgradient convention sigma'(z) = [z > 0]); finite-difference checks therefore keep
// every pre-activation away from 0.
//
// Typical use (full-batch GD on MSE, loss gradient computed by the caller):
//
//     nn *net = nn_alloc(L, widths, NN_RELU, 0, N);
//     init_net_normal_scaled(net, seed, 1, alpha, 1.0, &info);
//     for (step ...) {
//         const double *F = nn_forward(net, N, X);              // F is (N, n_L)
//         for (k ...) net->dout[k] = (F[k] - Y[k]) / N;          // dL/dF for L = (1/2N)|F-Y|^2
//         nn_backward(net, net->dout, NULL, 0);                  // grad = dL/dtheta
//         for (i ...) net->theta[i] -= eta * net->grad[i];
//     }
//
// Two views through the same network (Barlow Twins): stack them as one batch [Xa; Xb] of 2n
// rows, pass [dL/dZa; dL/dZb] to nn_backward; or call nn_backward twice with accumulate = 1
// after separate forward passes (each backward uses the caches of the latest forward).
#ifndef SIM_NN_H
#define SIM_NN_H
#include <stddef.h>

typedef enum { NN_IDENTITY = 0, NN_RELU, NN_TANH, NN_SQUARE } nn_act;

typedef struct {
    int L;              // number of weight matrices
    int *n;             // widths n[0..L]
    nn_act act;         // hidden activation (the read-out is linear)
    int bias;           // 1 if layers have biases
    int max_batch;      // the largest N accepted by nn_forward
    double *c;          // multipliers c[1..L] (default 1)
    size_t nparams;     // length of theta and grad
    double *theta;      // all parameters, flat (see the header)
    double *grad;       // dL/dtheta, same layout
    double **W, **b;    // W[l] (n_l, n_{l-1}), b[l] (n_l) or NULL; pointers into theta
    double **dW, **db;  // the same blocks of grad
    size_t *off, *len;  // block l of theta: off[l], len[l] (W_l and b_l together)
    // Forward caches, valid after nn_forward with N rows:
    int N;                     // batch size of the latest forward
    double **Z;                // Z[l] (max_batch, n_l), pre-activations; Z[L] is the output
    double **H;                // H[l] (max_batch, n_l) for 1 <= l < L; H[0] = the input X (not owned),
                               // H[L] = Z[L]
    double *dout;              // (max_batch, n_L): a buffer the caller may use for dL/dF
    double *D, *G;             // (max_batch, max_l n_l) backward workspaces
    struct nn_helper *helper;  // the backward pass's second thread (nn.c), or NULL
} nn;

// Allocate a network with L >= 1 layers of widths n[0..L] for batches of up to max_batch rows.
// Parameters start at 0; multipliers at 1.  Returns NULL (after a message on stderr) on bad
// arguments.
nn *nn_alloc(int L, const int *n, nn_act act, int bias, int max_batch);
void nn_free(nn *net);

// Threads.  A program that runs BLAS on threads > 1 says so here, with the function that sets
// BLAS's thread count (blasinfo's blas_set_threads): nn then runs each product too small for
// BLAS's threads to pay on one thread, and dL/dW_l beside dL/dH_{l-1} on a helper thread of the
// network (nn.c, one GEMM).  Until then nn leaves BLAS's threads alone.  The setting is global,
// like BLAS's own: nets used from several threads at once need threads = 1.
void nn_set_threads(int threads, void (*set_blas_threads)(int));

// Parse / name an activation ("identity" (also "linear"), "relu", "tanh", "square").
// nn_act_parse returns -1 for an unknown name.
int nn_act_parse(const char *name);
const char *nn_act_name(nn_act act);
// Elementwise h = sigma(z) and d = sigma'(z) over n entries (relu'(0) = 0).
void nn_act_apply(nn_act act, size_t n, const double *z, double *h);
void nn_act_deriv(nn_act act, size_t n, const double *z, double *d);

// Set the multiplier c_l (1 <= l <= L).  Returns 0, or -1 on a bad layer index.
int nn_set_mult(nn *net, int l, double c);

// Forward pass on X (N, n_0), 1 <= N <= max_batch; keeps every Z_l, H_l (X itself is
// referenced as H_0, not copied: keep it alive until nn_backward).  Returns the output
// F = Z_L (N, n_L), owned by net.  DIEs on N out of range (a programming error).
const double *nn_forward(nn *net, int N, const double *X);

// Backward pass for the latest forward, given D_L = dL/dF (N, n_L):
//   dL/dW_l = c_l D_l^T H_{l-1},  dL/db_l = D_l^T 1,  dL/dH_{l-1} = c_l D_l W_l,
//   D_{l-1} = dL/dH_{l-1} .* sigma'(Z_{l-1}).
// Writes grad (accumulate = 0) or adds to it (accumulate = 1).  If dX is not NULL it receives
// dL/dX (N, n_0) (overwritten, never accumulated).  DL may be net->dout.  Returns 0.
int nn_backward(nn *net, const double *DL, double *dX, int accumulate);

// Forward in chunks of max_batch rows for any N: F (N, n_L) is written to out.  Overwrites the
// forward caches.
void nn_predict(nn *net, int N, const double *X, double *out);

// Neural correlation N(theta) = (1/N) sum_n y_n . f_theta(x_n), Y (N, n_L).  If want_grad, also
// grad = dN/dtheta (the backward pass with D_L = Y/N).
double nn_neural_corr(nn *net, int N, const double *X, const double *Y, int want_grad);

// Squared norms: ||theta||^2, and ||W_l||_F^2 (+ ||b_l||^2) of layer l.
double nn_norm2(const nn *net);
double nn_layer_norm2(const nn *net, int l);

// Per-neuron norms of hidden layer l (1 <= l < L), n_l entries each: in2[i] = ||row i of W_l||^2
// (+ b_l[i]^2), out2[i] = ||column i of W_{l+1}||^2.  For a bias-free homogeneous activation
// (relu, identity) in2 - out2 is conserved by gradient flow, whatever the multipliers.
int nn_neuron_norms(const nn *net, int l, double *in2, double *out2);

// Weight decay (fact): adds lam W_l to dW_l for every layer (not to biases) and returns the
// penalty (lam/2) sum_l ||W_l||_F^2, layer by layer through loss_weight_decay (loss.h).
// NAN (status.h) when lam < 0.
double nn_weight_decay(nn *net, double lam);
#endif
