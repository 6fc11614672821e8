// fact: the Features At Convergence Theorem against the Neural Feature Ansatz, along training.
//
// Paper: Enric Boix-Adsera*, Neil Mallinar*, James B. Simon, Mikhail Belkin, "The Features at
// Convergence Theorem: a first-principles alternative to the Neural Feature Ansatz for how
// networks learn representations", arXiv 2507.05644 (2025; v1 titled "FACT: the Features At
// Convergence Theorem for neural networks").  No official code; the network, data and training
// below are ours (paper-notes/fact.md says why), not the paper's experiments.
//
// Claim in one sentence: at a stationary point of a loss with weight decay lambda, every weight
// matrix satisfies W^T W = -(1/(n lambda)) sum_i grad_h l_i h_i^T exactly (FACT), and a trained
// two-layer network matches this better than it matches the Neural Feature Ansatz
// W^T W ~ AGOP^alpha.
//
// Algorithm:
//   1. Data: n Gaussian inputs x_i ~ N(0, I_d), target y = x_1 x_2 (or x_1 + (x_2^2 - 1)/sqrt 2);
//      a held-out test set of the same law.
//   2. Network: f(x) = (1/sqrt N) sum_j a_j phi(w_j . x + b_j) + b_0, through common/nn (two
//      layers, readout multiplier 1/sqrt N); W_jk ~ N(0, 1/d), a_j ~ N(0, 1), biases 0.
//   3. Full-batch GD on L = (1/n) sum_i (1/2)(f(x_i) - y_i)^2 + (lambda/2)(|W|^2 + |a|^2)
//      (common/loss, common/nn weight decay, common/opt; biases are not decayed), T steps.
//   4. At t = 0 and every T/logs steps, from the same parameters: the input gradients
//      grad_x f(x_i) by their own code path, the FACT matrix F (Eq. FACT below), the AGOP
//      and its square root, the identity (E1) residual, cos / rho / asymmetry / Pearson
//      metrics, the test loss, the share of W^T W on the target's 2 x 2 block, and F_sym against
//      AGOP^(1/2) directly; at t = 0 and T also a central finite-difference check of grad_x l_i.
//      Claims fact.C1-C6 (01-trace.c).
//   5. A weight-decay sweep (for the note): the same metrics at the end of training for several
//      lambda, each run for a fixed number of weight-decay times (02-sweep.c).
//   6. FACT-RFM against RFM on a sparse parity on {0,1}^50: kernel ridge regression with a
//      Mahalanobis Laplace kernel, M updated to the FACT matrix (or the AGOP); claims fact.C7-C8
//      (03-rfm.c).
//   7. A three-layer network on the data of step 1: FACT at every layer; claims fact.C9a-b (04-deep.c).
//
// Writes (to --out, default figures/data/fact/): trace.tsv (the log of step 4), matrices.tsv (final
// W^T W, F_sym, AGOP^(1/2), AGOP, each of unit Frobenius norm, long format), sweep.tsv (step 5),
// rfm.tsv and rfm_diag.tsv (step 6), deep.tsv (step 7).
//
// Run:  build/fact                      (default: ~52 s CPU on one core, 48 MB; trace 11 s, sweep 23 s,
//                                        FACT-RFM 2 s, three-layer net 9 s)
//       build/fact --quick              (~3 s)
//       build/fact --part trace         (~11 s)
//       build/fact --act relu --lambda 1e-2 --lr 0.5        (one trace with these parameters)
//       build/fact --bias off --samples 256                  (the memorising first version)
//       build/fact --lambdas 5e-4,1e-3,2e-3,3e-3,5e-3,1e-2   (the sweep with lambda = 5e-4: +20 s)
//       build/fact --rfm-support 7,15,25,29 --rfm-n 1000,2000 --rfm-iters 15
//                                       (the paper's 4-sparse parity: ~32 s, ~120 MB; not learned)
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "cli.h"
#include "init.h"
#include "linalg.h"
#include "loss.h"
#include "nn.h"
#include "opt.h"
#include "progress.h"
#include "rng.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// Legend (the paper's letters): $n$ samples, $d$ input dimension, $N$ width, $W$ ($N\times d$)
// the first-layer weights (rows $w_j$), $a$ the readout, $\phi$ the activation, $\lambda$ the
// weight decay, $\eta$ the learning rate (`lr`), $T$ the number of GD steps, $r_i = f(x_i) - y_i$
// the residual, $F$ the FACT matrix, $F_{sym} = (F + F^T)/2$.  Time is the GD step $t$
// (our unit); the effective time $\eta t$ is written next to it.
//
// The defaults: $n = 512$ and $\lambda = 10^{-3}$ with biases, where the network learns the
// feature (test loss $0.07 L_{null}$, $0.999$ of $\|W^TW\|_F^2$ on the $2\times2$ block); at the
// first version's $n = 256$ without biases it memorised (paper-notes/fact.md).  The sweep's
// $\lambda$ list brackets the default: below it the stationary point is slow to reach, above it
// the network stops learning the feature (test loss above $0.25 L_{null}$ from $\lambda = 5\times10^{-3}$).

enum {                     // rng streams (conventions.md, Random numbers: 0 data, 1 init)
    STREAM_DATA = 0,       // the trace's and sweep's training inputs
    STREAM_INIT = 1,       // the two-layer network's initial weights
    STREAM_TEST = 2,       // the held-out test inputs (independent of the training data)
    STREAM_RFM_TRAIN = 3,  // FACT-RFM: the sparse-parity training points
    STREAM_RFM_TEST = 4,   // FACT-RFM: its test points
    STREAM_DEEP_INIT = 5,  // the three-layer network's initial weights
};
#define FD_POINTS 5   // training points of the finite-difference check (fact.C1)
#define FD_STEP 1e-5  // central-difference step, times (1 + |x_k|)
#define MAX_LOGS 1000

struct params {
    int width;           // N
    int samples;         // n
    int ntest;           // held-out test points (test loss, fact.C4)
    int din;             // d
    const char *target;  // x1x2 | x1+x2sq
    const char *act;     // tanh | relu
    const char *bias;    // on | off: hidden and readout biases (not weight-decayed)
    double lambda;       // weight decay
    double lr;           // GD learning rate eta
    long steps;          // T
    int logs;            // log points after t = 0
    const char *part;    // all | trace | sweep | rfm | deep
    cli_dlist lambdas;   // the sweep's weight decays
    double decay_times;  // sweep: T_lambda = decay_times / (lr lambda) steps, clamped to
    long sweep_min;      //   [sweep_min, sweep_max]
    long sweep_max;
    cli_ilist rfm_ns;       // FACT-RFM: training-set sizes
    int rfm_d;              //   input dimension (the paper's 50)
    int rfm_iters;          //   feature-matrix updates
    int rfm_ntest;          //   test points
    double rfm_bw;          //   Laplace bandwidth L
    double rfm_reg;         //   ridge delta
    cli_ilist rfm_support;  // the parity's coordinates (1-based)
    int deep_width;         // the three-layer network: hidden widths N_d
    long deep_steps;        //   GD steps
    double deep_lr;         //   learning rate: 0.3, as the trace's 0.5 is unstable for this net at seed 2
                            //   (the loss jumps at t ~ 4500 and GD oscillates from there on, rho ~ 10)
    int deep_logs;          //   log points after t = 0
};
static struct params P = {
    .width = 128,
    .samples = 512,
    .ntest = 4000,
    .din = 10,
    .target = "x1x2",
    .act = "tanh",
    .bias = "on",
    .lambda = 1e-3,
    .lr = 0.5,
    .steps = 10000,
    .logs = 10,
    .part = "all",
    .lambdas = {5, {1e-3, 2e-3, 3e-3, 5e-3, 1e-2}},
    .decay_times = 5,
    .sweep_min = 5000,
    .sweep_max = 40000,
    .rfm_ns = {3, {250, 500, 1000}},
    .rfm_d = 50,
    .rfm_iters = 6,
    .rfm_ntest = 1000,
    .rfm_bw = 10,
    .rfm_reg = 1e-3,
    .rfm_support = {3, {7, 15, 25}},
    .deep_width = 32,
    .deep_steps = 12000,
    .deep_lr = 0.3,
    .deep_logs = 12,
};

static cli_opt opts[] = {
    {"width", CLI_INT, &P.width, 1, 1 << 16, .help = "hidden width N"},
    {"samples", CLI_INT, &P.samples, 2, 1 << 20, .help = "training samples n"},
    {"ntest", CLI_INT, &P.ntest, 1, 1 << 20, .help = "held-out test points (test loss)"},
    {"din", CLI_INT, &P.din, 2, 4096, .help = "input dimension d (the targets use x_1, x_2)"},
    {"target", CLI_CHOICE, &P.target, .choices = "x1x2|x1+x2sq",
     .help = "y = x_1 x_2, or y = x_1 + (x_2^2 - 1)/sqrt 2"},
    {"act", CLI_CHOICE, &P.act, .choices = "tanh|relu", .help = "hidden activation phi"},
    {"bias", CLI_CHOICE, &P.bias, .choices = "on|off",
     .help = "biases b_j and readout bias (off: a tanh net is odd in x and cannot fit y = x_1 x_2)"},
    {"lambda", CLI_DOUBLE, &P.lambda, 1e-12, 1e3, .help = "weight decay lambda of (lambda/2)|W|^2 (> 0)"},
    {"lr", CLI_DOUBLE, &P.lr, 1e-9, 100, .help = "GD learning rate eta"},
    {"steps", CLI_LONG, &P.steps, 1, 1e9, .help = "GD steps T"},
    {"logs", CLI_INT, &P.logs, 1, MAX_LOGS, .help = "log points after t = 0 (every T/logs steps)"},
    {"part", CLI_CHOICE, &P.part, .choices = "all|trace|sweep|rfm|deep",
     .help = "one part: the trace, the weight-decay sweep, FACT-RFM on sparse parity, the three-layer net"},
    {"lambdas", CLI_DLIST, &P.lambdas, 1e-12, 1e3, .help = "weight decays of the sweep"},
    {"decay-times", CLI_DOUBLE, &P.decay_times, 1e-3, 1e3,
     .help = "sweep: train each lambda for decay-times/(lr lambda) steps"},
    {"sweep-min", CLI_LONG, &P.sweep_min, 1, 1e9, .help = "sweep: at least this many steps per lambda"},
    {"sweep-max", CLI_LONG, &P.sweep_max, 1, 1e9, .help = "sweep: at most this many steps per lambda"},
    {"rfm-n", CLI_ILIST, &P.rfm_ns, 8, 20000, .help = "FACT-RFM: training-set sizes (increasing)"},
    {"rfm-d", CLI_INT, &P.rfm_d, 29, 4096, .help = "FACT-RFM: input dimension (x in {0,1}^d)"},
    {"rfm-iters", CLI_INT, &P.rfm_iters, 1, 100, .help = "FACT-RFM: feature-matrix updates"},
    {"rfm-ntest", CLI_INT, &P.rfm_ntest, 10, 100000, .help = "FACT-RFM: test points"},
    {"rfm-bw", CLI_DOUBLE, &P.rfm_bw, 1e-3, 1e6, .help = "FACT-RFM: Laplace bandwidth L"},
    {"rfm-support", CLI_ILIST, &P.rfm_support, 1, 4096, .help = "FACT-RFM: the parity's coordinates (1-based)"},
    {"deep-width", CLI_INT, &P.deep_width, 1, 4096, .help = "three-layer net: hidden widths"},
    {"deep-steps", CLI_LONG, &P.deep_steps, 1, 1e9, .help = "three-layer net: GD steps"},
    {"deep-lr", CLI_DOUBLE, &P.deep_lr, 1e-9, 100, .help = "three-layer net: learning rate"},
    {"deep-logs", CLI_INT, &P.deep_logs, 1, MAX_LOGS, .help = "three-layer net: log points after t = 0"},
    {"rfm-reg", CLI_DOUBLE, &P.rfm_reg, 1e-12, 1e6, .help = "FACT-RFM: ridge delta"},
    {0}};

static cli C = {.slug = "fact",
                .summary =
                    "The Features At Convergence Theorem (W^T W = -(1/(n lambda)) sum_i grad_x l_i x_i^T at a "
                    "stationary point) against the Neural Feature Ansatz (W^T W ~ AGOP^alpha), along the "
                    "training of a two-layer network with weight decay that learns the feature y = x_1 x_2, and at the "
                    "end of training across "
                    "weight decays.",
                .claims = "fact.C1-C5",
                .opts = opts};

// ---- theory ----
//
// **The identity.**  A layer computes $z = W h$.  With $g_i = \partial \ell_i/\partial z$ at
// example $i$ and the objective $\mathcal L = \frac1n\sum_i \ell_i + \frac\lambda2\sum \|W\|_F^2$
// (the factor $\frac12$ is our convention),
// $$\nabla_W \mathcal L = \frac1n \sum_i g_i h_i^T + \lambda W, \qquad
//   \nabla_h \ell_i = W^T g_i .$$
// Multiplying the first by $W^T$ on the left gives, at **every** point of training,
// $$\lambda W^T W + \frac1n \sum_i (\nabla_h \ell_i)\, h_i^T = W^T \nabla_W \mathcal L \tag{E1}$$
// and at a stationary point ($\nabla_W\mathcal L = 0$) the theorem:
// $$W^T W = F, \qquad F := -\frac{1}{n\lambda} \sum_i (\nabla_h \ell_i)\, h_i^T. \tag{FACT}$$
// Off stationarity (E1) says exactly how far FACT is from holding:
// $F - W^T W = -\frac1\lambda W^T \nabla_W \mathcal L$, so
// $$\rho_{raw} = \frac{\|W^TW - F\|_F}{\|W^TW\|_F} = \frac{\|W^T\nabla_W\mathcal L\|_F}{\lambda \|W^TW\|_F},$$
// computed from the *weight* gradient, is the theory line of panel (b).  We compare the
// symmetric part $F_{sym}$; symmetrising is a contraction, so the measured
// $\rho = \|W^TW - F_{sym}\|_F/\|W^TW\|_F \le \rho_{raw}$.
//
// **The ansatz**.  The NFA says $W^TW \propto \mathrm{AGOP}^\alpha$ with
// $\mathrm{AGOP} = \frac1n\sum_i \nabla_h f(x_i)\nabla_h f(x_i)^T$ (gradient of the output, not of
// the loss); we report $\alpha = \frac12$ and $\alpha = 1$.  It has no derivation; FACT does.
//
// For the first layer $h = x$, and with $S_{ij} = \frac{1}{\sqrt N} a_j \phi'(w_j\cdot x_i)$:
// $$\nabla_x f(x_i) = W^T S_{i\cdot}^T, \qquad \nabla_x \ell_i = r_i \nabla_x f(x_i).$$

// Cosine similarity <A,B>_F / (|A|_F |B|_F) of two m-vectors (d x d matrices).
static double mat_cos(int m, const double *A, const double *B) {
    double ab = cblas_ddot(m, A, 1, B, 1), aa = cblas_ddot(m, A, 1, A, 1), bb = cblas_ddot(m, B, 1, B, 1);
    return ab / sqrt(aa * bb);
}

// Pearson correlation of the m entries (centred cosine).
static double mat_pearson(int m, const double *A, const double *B) {
    double ma = 0, mb = 0;
    for (int k = 0; k < m; k++) ma += A[k], mb += B[k];
    ma /= m, mb /= m;
    double ab = 0, aa = 0, bb = 0;
    for (int k = 0; k < m; k++) {
        double u = A[k] - ma, v = B[k] - mb;
        ab += u * v, aa += u * u, bb += v * v;
    }
    return ab / sqrt(aa * bb);
}

static double frob(int m, const double *A) { return sqrt(cblas_ddot(m, A, 1, A, 1)); }

// The symmetric PSD square root of a symmetric (d, d) matrix A into R: eigenvalues
// from dsyevd, those below 0 (rounding; the AGOP is PSD) clipped to 0.  V, w are workspaces
// (d, d) and (d).
static void psd_sqrt(int d, const double *A, double *R, double *V, double *w) {
    memcpy(V, A, (size_t)d * d * sizeof *V);
    int info = la_eigh(d, V, w, 1);
    if (info) DIE("dsyevd of the AGOP failed (info %d); the AGOP has non-finite entries?", info);
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += V[i * d + k] * sqrt(w[k] > 0 ? w[k] : 0) * V[j * d + k];
            R[i * d + j] = s;
        }
}

// ---- experiment ----
//
// **Data**: $x_i \sim \mathcal N(0, I_d)$ from stream 0; $y = x_1 x_2$ (a
// two-dimensional feature with $\mathbb E y^2 = 1$), or $y = x_1 + (x_2^2-1)/\sqrt2$.
// $L_{null} = \frac1{2n}\sum_i y_i^2$ is the loss of the zero predictor (fact.C4).

typedef struct {
    int n, d;
    double *X;     // X is (n, d)
    double *y;     // y is (n)
    double Lnull;  // (1/2n) sum y_i^2
} dataset;

static dataset make_data(int n, int d, unsigned stream) {
    dataset D = {.n = n, .d = d, .X = XNEW(double, (size_t)n *d), .y = XNEW(double, n)};
    gsl_rng *r = rng_alloc(C.seed, stream);
    rng_normal_vec(r, (size_t)n * d, D.X);
    rng_free(r);
    const int prod = !strcmp(P.target, "x1x2");
    for (int i = 0; i < n; i++) {
        const double x1 = D.X[i * d], x2 = D.X[i * d + 1];
        D.y[i] = prod ? x1 * x2 : x1 + (x2 * x2 - 1) / sqrt(2.0);
        D.Lnull += 0.5 * D.y[i] * D.y[i] / n;
    }
    return D;
}

// **Network** (common/nn): two layers of widths $(d, N, 1)$, bias-free, readout multiplier
// $c_2 = 1/\sqrt N$ (conventions.md, Networks and activations), so `W[1]` is $W$ and `W[2]` is
// $a^T$.  Initialisation from stream 1: $W_{jk} \sim \mathcal N(0, 1/d)$ (LeCun,
// `init_normal_scaled`), then $a_j \sim \mathcal N(0,1)$ (`init_normal_abs`).
static nn *make_net(const dataset *D, int N, init_info *info) {
    int widths[3] = {D->d, N, 1};
    nn *net = nn_alloc(2, widths, (nn_act)nn_act_parse(P.act), !strcmp(P.bias, "on"), D->n);
    if (!net) DIE("nn_alloc failed for widths (%d, %d, 1)", D->d, N);
    nn_set_mult(net, 2, 1.0 / sqrt((double)N));
    gsl_rng *r = rng_alloc(C.seed, STREAM_INIT);
    double w2, a2;
    init_normal_scaled(r, N, D->d, 1.0, 1.0, net->W[1], &w2);
    init_normal_abs(r, (size_t)N, 1.0, net->W[2], &a2);
    rng_free(r);
    *info = (init_info){.scheme = "normal_scaled+normal_abs",
                        .seed = C.seed,
                        .stream = STREAM_INIT,
                        .alpha = 1,
                        .gain = 1,
                        .s0 = 1,
                        .norm = sqrt(w2 + a2)};
    return net;
}

// One gradient evaluation through the training module: forward, $\partial\mathcal L/\partial f
// = r/n$ for $\frac1{2n}\sum r_i^2$ (`loss_mse` with $c = 1/(2n)$), backward, then weight decay
// adds $\lambda W$ to both layers' gradients.  Returns the data loss; *pen gets the penalty.
static double loss_and_grad(nn *net, const dataset *D, double lam, double *pen) {
    const double *f = nn_forward(net, D->n, D->X);
    double L = loss_mse(D->n, 1, f, D->y, 1.0 / (2.0 * D->n), net->dout);
    nn_backward(net, net->dout, NULL, 0);
    *pen = nn_weight_decay(net, lam);
    return L;
}

// **The FACT workspace.**  Everything below is computed from the parameters and the weight
// gradient of ONE state, and the input gradients by their own path: a fresh
// $Z = X W^T$, $S = \phi'(Z)\odot a^T/\sqrt N$, $G_x = S W$ (rows $\nabla_x f(x_i)$).  Were they
// taken as $W^T g_i$ from the backward pass, (E1) would be a tautology; the finite-difference
// check of fact.C1 makes sure this path is right on its own.
typedef struct {
    int n, d, N;
    double *Z, *Phi, *S;                                     // (n, N): pre-activations, phi(Z), a phi'(Z)/sqrt N
    double *f;                                               // (n) outputs from this path
    double *Gx, *Gl;                                         // (n, d): grad_x f(x_i), grad_x l_i = r_i grad_x f(x_i)
    double *WtW, *M, *F, *Fs, *AG, *AGh, *WtG, *E1, *V, *w;  // (d, d), w (d)
} fact_ws;

static fact_ws *fact_alloc(int n, int d, int N) {
    fact_ws *w = XNEW(fact_ws, 1);
    *w = (fact_ws){.n = n, .d = d, .N = N};
    const size_t nN = (size_t)n * N, nd = (size_t)n * d, dd = (size_t)d * d;
    w->Z = XNEW(double, nN), w->Phi = XNEW(double, nN), w->S = XNEW(double, nN);
    w->f = XNEW(double, n), w->Gx = XNEW(double, nd), w->Gl = XNEW(double, nd);
    double **m[] = {&w->WtW, &w->M, &w->F, &w->Fs, &w->AG, &w->AGh, &w->WtG, &w->E1, &w->V};
    for (size_t k = 0; k < sizeof m / sizeof *m; k++) *m[k] = XNEW(double, dd);
    w->w = XNEW(double, d);
    return w;
}

static void fact_free(fact_ws *w) {
    double *m[] = {w->Z, w->Phi, w->S,  w->f,   w->Gx,  w->Gl, w->WtW, w->M,
                   w->F, w->Fs,  w->AG, w->AGh, w->WtG, w->E1, w->V,   w->w};
    for (size_t k = 0; k < sizeof m / sizeof *m; k++) free(m[k]);
    free(w);
}

// One logged record (the columns of trace.tsv).
typedef struct {
    long t;
    double loss, penalty, grad_norm, test_loss;
    double share_wtw, share_fs, share_agh;  // share of |M|_F^2 in the target's 2 x 2 block
    double cos_fact, rho, rho_raw, asym, cos_nfa_half, cos_agop, e1;
    double pearson_fact, pearson_nfa_half, pearson_agop;
    double cos_fs_agh, cos_fs_agop;  // FACT against the NFA directly: cos(F_sym, AGOP^1/2), cos(F_sym, AGOP)
} record;

// The input-gradient path: grad_x f(x_i) into w->Gx and grad_x l_i into w->Gl, outputs into
// w->f.  Returns the data loss (1/2n) sum r_i^2 of this path.
static double input_gradients(fact_ws *w, const nn *net, const dataset *D) {
    const int n = w->n, d = w->d, N = w->N;
    const double *W = net->W[1], *a = net->W[2], c2 = net->c[2];
    // Z = X W^T: (n, d) x (d, N)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, N, d, 1.0, D->X, d, W, d, 0.0, w->Z, N);
    if (net->bias)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < N; j++) w->Z[(size_t)i * N + j] += net->b[1][j];
    nn_act_apply(net->act, (size_t)n * N, w->Z, w->Phi);
    nn_act_deriv(net->act, (size_t)n * N, w->Z, w->S);
    double L = 0;
    for (int i = 0; i < n; i++) {
        double fi = 0;
        for (int j = 0; j < N; j++) {
            fi += a[j] * w->Phi[(size_t)i * N + j];
            w->S[(size_t)i * N + j] *= c2 * a[j];
        }
        w->f[i] = c2 * fi + (net->bias ? net->b[2][0] : 0);
        L += 0.5 * (w->f[i] - D->y[i]) * (w->f[i] - D->y[i]) / n;
    }
    // Gx = S W: (n, N) x (N, d); row i is grad_x f(x_i)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, N, 1.0, w->S, N, W, d, 0.0, w->Gx, d);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < d; k++) w->Gl[i * d + k] = (w->f[i] - D->y[i]) * w->Gx[i * d + k];
    return L;
}

// **Test loss**: $\frac1{2n_t}\sum_i (f(x_i) - y_i)^2$ on the held-out inputs, by the scalar route
// of `loss_at` below (no shared workspace); its ratio to $L_{null}$ of the test set says whether
// the network generalises (learned the feature) or memorised the training set.
static double loss_at(const nn *net, const double *x, double y, double *z);
static double test_loss(const nn *net, const dataset *Dt, double *z) {
    double L = 0;
    for (int i = 0; i < Dt->n; i++) L += loss_at(net, Dt->X + (size_t)i * Dt->d, Dt->y[i], z) / Dt->n;
    return L;
}

// The share of $\|M\|_F^2$ in the top-left $2\times2$ block, the target's coordinates
// $x_1, x_2$.  An isotropic $M \propto I_d$ gives $2/d$; a matrix living on the feature gives 1.
static double block_share(int d, const double *M) {
    double blk = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) blk += M[i * d + j] * M[i * d + j];
    return blk / cblas_ddot(d * d, M, 1, M, 1);
}

// All the matrices and metrics of one state.  Requires net->grad = grad L at the current
// parameters (loss_and_grad just called).
static void measure(fact_ws *w, const nn *net, const dataset *D, const dataset *Dt, double lam, double penalty,
                    record *R) {
    const int n = w->n, d = w->d, N = w->N, dd = d * d;
    const double *W = net->W[1], *dW = net->dW[1];
    R->loss = input_gradients(w, net, D);
    R->penalty = penalty;
    R->grad_norm = frob((int)net->nparams, net->grad);
    // M = (1/n) sum_i grad_x l_i x_i^T = (1/n) Gl^T X: (d, n) x (n, d);  F = -M / lambda (FACT)
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, w->Gl, d, D->X, d, 0.0, w->M, d);
    for (int k = 0; k < dd; k++) w->F[k] = -w->M[k] / lam;
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) w->Fs[i * d + j] = 0.5 * (w->F[i * d + j] + w->F[j * d + i]);
    // AGOP = (1/n) Gx^T Gx and its square root
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, w->Gx, d, w->Gx, d, 0.0, w->AG, d);
    psd_sqrt(d, w->AG, w->AGh, w->V, w->w);
    // W^T W and W^T grad_W L: (d, N) x (N, d)
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, N, 1.0, W, d, W, d, 0.0, w->WtW, d);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, N, 1.0, W, d, dW, d, 0.0, w->WtG, d);
    // (E1): lambda W^T W + M - W^T grad_W L = 0, at every step
    for (int k = 0; k < dd; k++) w->E1[k] = lam * w->WtW[k] + w->M[k] - w->WtG[k];
    const double nW = frob(dd, w->WtW);
    R->e1 = frob(dd, w->E1) / (lam * nW);
    R->rho_raw = frob(dd, w->WtG) / (lam * nW);
    double diff2 = 0, anti2 = 0;
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) {
            double u = w->WtW[i * d + j] - w->Fs[i * d + j], v = w->F[i * d + j] - w->F[j * d + i];
            diff2 += u * u, anti2 += v * v;
        }
    R->rho = sqrt(diff2) / nW;
    R->asym = sqrt(anti2) / (2 * frob(dd, w->F));
    R->cos_fact = mat_cos(dd, w->WtW, w->Fs);
    R->cos_nfa_half = mat_cos(dd, w->WtW, w->AGh);
    R->cos_agop = mat_cos(dd, w->WtW, w->AG);
    R->cos_fs_agh = mat_cos(dd, w->Fs, w->AGh);
    R->cos_fs_agop = mat_cos(dd, w->Fs, w->AG);
    R->pearson_fact = mat_pearson(dd, w->WtW, w->Fs);
    R->pearson_nfa_half = mat_pearson(dd, w->WtW, w->AGh);
    R->pearson_agop = mat_pearson(dd, w->WtW, w->AG);
    R->share_wtw = block_share(d, w->WtW), R->share_fs = block_share(d, w->Fs), R->share_agh = block_share(d, w->AGh);
    R->test_loss = test_loss(net, Dt, w->Z);  // Z (n, N) is free again; loss_at needs N doubles
    double v[] = {R->loss, R->grad_norm, R->cos_fact, R->rho, R->asym, R->cos_nfa_half, R->e1};
    for (size_t k = 0; k < sizeof v / sizeof *v; k++)
        REQUIRE_FINITE(v[k], "a FACT/AGOP metric", "the network output diverged or W = 0; lower --lr or --lambda");
}

// **Finite differences** (fact.C1): for the first FD_POINTS training points and every input
// coordinate, the central difference of $\ell_i(x) = \frac12(f(x) - y_i)^2$ with step
// $h = 10^{-5}(1 + |x_k|)$ against $\nabla_x \ell_i$ from the input-gradient path.  The loss is
// evaluated by a third, scalar route (a loop over neurons).  The error of example $i$ is
// measured relative to its gradient, $\max_k |g^{fd}_k - g_k| / \max_k |g_k|$: central
// differences carry an absolute error $\sim h^2 \ell''' + \epsilon\,\ell/h \approx 10^{-10}$, which
// a per-coordinate ratio would blow up on coordinates where the gradient happens to be small.
static double loss_at(const nn *net, const double *x, double y, double *z) {
    const int d = net->n[0], N = net->n[1];
    const double *W = net->W[1], *a = net->W[2];
    double f = 0;
    for (int j = 0; j < N; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) s += W[(size_t)j * d + k] * x[k];
        z[j] = s + (net->bias ? net->b[1][j] : 0);
    }
    nn_act_apply(net->act, (size_t)N, z, z);
    for (int j = 0; j < N; j++) f += a[j] * z[j];
    f = f * net->c[2] + (net->bias ? net->b[2][0] : 0);
    return 0.5 * (f - y) * (f - y);
}

static double fd_check(fact_ws *w, const nn *net, const dataset *D) {
    const int d = D->d, m = D->n < FD_POINTS ? D->n : FD_POINTS;
    double *x = XNEW(double, d), *z = XNEW(double, net->n[1]), worst = 0;
    input_gradients(w, net, D);
    for (int i = 0; i < m; i++) {
        double err = 0, gmax = 0;
        for (int k = 0; k < d; k++) {
            memcpy(x, D->X + (size_t)i * d, (size_t)d * sizeof *x);
            const double x0 = x[k], h = FD_STEP * (1 + fabs(x0));
            x[k] = x0 + h;
            double lp = loss_at(net, x, D->y[i], z);
            x[k] = x0 - h;
            double lm = loss_at(net, x, D->y[i], z);
            double g = w->Gl[i * d + k], gfd = (lp - lm) / (2 * h);
            err = fmax(err, fabs(gfd - g));
            gmax = fmax(gmax, fabs(g));
        }
        worst = fmax(worst, err / fmax(gmax, 1e-300));
    }
    free(x), free(z);
    return worst;
}

// **Training**: full-batch GD, $\theta \leftarrow \theta - \eta\nabla\mathcal L$ (common/opt),
// from step 0 to T.  The gradient of step t is computed once and serves both the log of step t
// (so every logged quantity belongs to one state) and the update to step t+1.  `logs` records
// are taken at t = round(k T / logs), k = 0..logs; R (logs+1) receives them.  *fd0, *fdT (may be
// NULL) get the finite-difference errors at t = 0 and t = T.
static void train(nn *net, const dataset *D, const dataset *Dt, double lam, long T, int logs, record *R, double *fd0,
                  double *fdT, fact_ws *w, const char *label) {
    int k = 0;
    for (long t = 0; t <= T; t++) {
        double pen, L = loss_and_grad(net, D, lam, &pen);
        if (!(L - L == 0))
            DIE("%s: the training loss is not finite at step %ld; lower --lr (0.5 is stable at the defaults)", label,
                t);
        if (k <= logs && t == (long)llround((double)k * T / logs)) {
            R[k].t = t;
            measure(w, net, D, Dt, lam, pen, &R[k]);
            if (t == 0 && fd0) *fd0 = fd_check(w, net, D);
            if (t == T && fdT) *fdT = fd_check(w, net, D);
            // fd_check reuses the workspace; recompute so the final matrices are the state's
            if (t == T && fdT) measure(w, net, D, Dt, lam, pen, &R[k]);
            k++;
        }
        if (t < T) opt_gd_step(net->nparams, net->theta, net->grad, P.lr);
        if ((t & 1023) == 0) progress("%s: step %ld / %ld, loss %.4g", label, t, T, L);
    }
}

#include "01-trace.c"
#include "02-sweep.c"
#include "03-rfm.c"
#include "04-deep.c"

// ---- main ----

// Which parts run: --part, or else the parts whose own flags were typed; a typed model or data
// flag (--width, --act, ...) runs the trace; no flag runs them all.
static int PARTS[4];  // trace, sweep, rfm, deep
static const char *PART_NAMES[4] = {"trace", "sweep", "rfm", "deep"};
static int part_on(const char *name) {
    for (int k = 0; k < 4; k++)
        if (!strcmp(name, PART_NAMES[k])) return PARTS[k];
    return 0;
}
static int any_given(const char *const *flags) {
    for (int k = 0; flags[k]; k++)
        if (cli_given(&C, flags[k])) return 1;
    return 0;
}
static void select_parts(void) {
    if (cli_given(&C, "part")) {
        for (int k = 0; k < 4; k++) PARTS[k] = !strcmp(P.part, "all") || !strcmp(P.part, PART_NAMES[k]);
        return;
    }
    static const char *const fl[4][9] = {
        {"lambda", "steps", "logs", 0},
        {"lambdas", "decay-times", "sweep-min", "sweep-max", 0},
        {"rfm-n", "rfm-d", "rfm-iters", "rfm-ntest", "rfm-bw", "rfm-reg", "rfm-support", 0},
        {"deep-width", "deep-steps", "deep-lr", "deep-logs", 0}};
    int any = 0;
    for (int k = 0; k < 4; k++) any |= PARTS[k] = any_given(fl[k]);
    if (!any)
        for (int k = 0; k < 4; k++) PARTS[k] = !cli_any_given(&C) || k == 0;
}

int main(int argc, char **argv) {
    cli_parse(&C, argc, argv);
    if (C.quick) {  // small sizes, for every flag the user did not type
        if (!cli_given(&C, "width")) P.width = 64;
        if (!cli_given(&C, "samples")) P.samples = 128;
        if (!cli_given(&C, "ntest")) P.ntest = 1000;
        if (!cli_given(&C, "din")) P.din = 6;
        if (!cli_given(&C, "steps")) P.steps = 6000;
        if (!cli_given(&C, "logs")) P.logs = 3;
        if (!cli_given(&C, "lambdas")) P.lambdas = (cli_dlist){2, {3e-3, 1e-2}};
        if (!cli_given(&C, "sweep-min")) P.sweep_min = 1000;
        if (!cli_given(&C, "sweep-max")) P.sweep_max = 1000;
        if (!cli_given(&C, "rfm-n")) P.rfm_ns = (cli_ilist){2, {250, 1000}};
        if (!cli_given(&C, "rfm-ntest")) P.rfm_ntest = 500;
        if (!cli_given(&C, "deep-width")) P.deep_width = 16;
        if (!cli_given(&C, "deep-steps")) P.deep_steps = 3000;
        if (!cli_given(&C, "deep-logs")) P.deep_logs = 3;
    }
    if (P.logs > P.steps)
        cli_usage_error(&C, "--logs %d exceeds --steps %ld: at most one log point per step", P.logs, P.steps);
    if (P.deep_logs > P.deep_steps)
        cli_usage_error(&C, "--deep-logs %d exceeds --deep-steps %ld", P.deep_logs, P.deep_steps);
    for (int k = 1; k < P.rfm_ns.n; k++)
        if (P.rfm_ns.v[k] <= P.rfm_ns.v[k - 1]) cli_usage_error(&C, "--rfm-n must be increasing");
    select_parts();
    const double t0 = util_now();
    dataset D = make_data(P.samples, P.din, STREAM_DATA), Dt = make_data(P.ntest, P.din, STREAM_TEST);
    record first, last;
    if (part_on("trace")) part_trace(&D, &Dt, &first, &last);  // FACT, the NFA and their link
    if (part_on("sweep")) part_sweep(&D, &Dt, part_on("trace") ? &first : NULL, part_on("trace") ? &last : NULL);
    if (part_on("rfm")) part_rfm();           // FACT-RFM on a sparse parity
    if (part_on("deep")) part_deep(&D, &Dt);  // FACT at every layer
    free(D.X), free(D.y), free(Dt.X), free(Dt.y);
    progress_done("done in %.1f s", util_now() - t0);
    claim_summary(C.slug);
    return 0;
}
