// spectral-condition: feature learning at every width needs the spectral scaling condition.
//
// Paper: Greg Yang, James B. Simon, Jeremy Bernstein (equal contribution), "A Spectral Condition
// for Feature Learning", arXiv 2310.17813 (2023).  No official code.  There is no figure of the
// paper we could read; this program draws the coord-check figure a reader of the paper (and of
// the muP package) expects: feature change against width for six parametrisations.
//
// Claim in one sentence: hidden features change by a width-independent relative amount exactly
// when every weight matrix and every update has spectral norm of order sqrt(fan-out / fan-in);
// the spectral recipe (muP) achieves this, standard parametrisation with a learning rate 1/width
// freezes the features (n^{-1/2}), and so does the neural tangent parametrisation (the paper's
// foil), standard parametrisation with a fixed rate blows up; one batch-1 step is an exactly
// rank-one update aligned with the input that produced it.  The same hidden update that is
// Theta(1) in spectral norm vanishes like n^{-1/2} relative to the Frobenius norm (the paper's
// point against Frobenius-norm heuristics).  With Adam the condition asks for rates 1/fan-in.
//
// Algorithm:
//   1. Replicate r (seed (--seed - 1) S + 1 + r): K Gaussian points x_k in R^d with y_k = x_k1, one probe x_p.
//   2. For each width n and parametrisation (SGD: spectral, SP-lazy, SP, NTP; Adam: the recipe,
//      SP-Adam): a bias-free ReLU MLP d -> n -> n -> 1 with the init scales sigma_l and per-layer
//      rates eta_l of the theory section, all drawn from the SAME standard normals (common random
//      numbers).
//   3. K steps of batch-1 SGD (or Adam) in order on l = (f - y)^2 / 2, W_l <- W_l - eta_l dl/dW_l.
//      After the first SGD step, the rank-one identities (spectral.C1).
//   4. After K steps, on the probe: |Delta h_2| / sqrt(n), |Delta f|; per layer
//      |Delta W_l|_* / sqrt(n_l/n_{l-1}) by power iteration; |Delta W_2|_F / |Delta W_2|_*; and
//      |W_l(0)|_* against Bai-Yin.
//   5. Least-squares slopes of log(median |Delta h_2|/sqrt n) against log n over the widths
//      whose median is finite, at least three (spectral.C2, C3); SP's median blow-up (C4); the
//      condition per layer (C5); Bai-Yin for W_2 (C6); low stable rank after K steps (C7);
//      |Delta W_2|_F/|W_2(0)|_F ~ n^{-1/2} while |Delta W_2|_*/|W_2(0)|_* stays flat (C8); NTP's
//      n^{-1/2} (C9); Adam with the recipe flat, SP-Adam's |Delta W_2|_* ~ n (C10).
//   6. A longer run: 200 minibatch steps (batch 8) under the recipe and SP-lazy at widths <= 512;
//      per-layer |Delta W_l|_* stays width-independent and srank(Delta W_2) small (C11).
//
// Writes (figures/data/spectral-condition/): widths.tsv (one row per parametrisation and width),
// runs.tsv (one row per run), onestep.tsv (first-step identities), fits.tsv (slopes),
// frobenius.tsv (the two yardsticks of W_2's change), theory.tsv (Bai-Yin curves), long.tsv (the
// longer run; its own figure spectral-condition-long.png).
//
// Run:  build/spectral-condition                    (widths 64..2048, 8 replicates; ~15-20 s CPU)
//       build/spectral-condition --quick            (widths 64..512; ~1 s CPU)
//       build/spectral-condition --long-steps 2000 --long-batch 32 --long-max-width 2048  (a longer
//                                                     run at every width; minutes of CPU)
//       build/spectral-condition --long-steps 0     (without the longer run)
//       build/spectral-condition --param spectral --widths 64,256,1024 --steps 10
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "claim.h"
#include "cli.h"
#include "nn.h"
#include "opt.h"
#include "progress.h"
#include "rng.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// Legend: d input dimension, n hidden width (n_1 = n_2 = n), n_0 = d, n_3 = 1; W_l is
// (n_l, n_{l-1}); h_l the hidden features, z_l the pre-activations, g_l = dl/dz_l; K steps of
// batch-1 SGD; sigma_l the init standard deviation and eta_l the learning rate of layer l;
// |A|_* the spectral norm, |A|_F the Frobenius norm, srank(A) = |A|_F^2 / |A|_*^2.
#define L 3              // weight matrices
#define DIVERGE_DH 1e3   // a run has diverged if |Delta h_2|/sqrt n exceeds this
#define POWER_TOL 1e-12  // power iteration stops at this relative change of s^2
// The Adam updates are sums of K sign matrices whose top singular values crowd more than a
// low-rank SGD update's, and 1e-12 costs the full cap at n = 2048 (power iteration on a
// 32 MB matrix is memory-bound); 1e-8 on s^2 leaves s correct to far more digits than the
// tables print (4) and the claims use (the medians of |dh2|, which need no power iteration).
#define POWER_TOL_ADAM 1e-8
#define STREAM_DATA 0       // rng stream of a replicate's data
#define STREAM_INIT 100000  // + n: the init stream of width n (adding a width shifts nothing)
#define NPAR 6
#define ADAM_BETA1 0.9  // Adam's moment decays and epsilon: the defaults of Kingma & Ba (2015)
#define ADAM_BETA2 0.999
#define ADAM_EPS 1e-8

struct params {
    int din;              // d
    cli_ilist widths;     // the width sweep
    int steps;            // K (batch 1, one pass in order)
    double eta_sp;        // SP base rate (SP-lazy: eta_sp n_min / n)
    double eta_spectral;  // spectral base rate
    double eta_ntp;       // NTP rate on the N(0,1) parameters (eta_l = eta_ntp / n_{l-1} on W)
    double eta_adam;      // Adam base rate (recipe: eta_adam / n_{l-1}; SP-Adam: eta_adam / n_min)
    int seeds;            // replicates S
    int power_iters;      // cap on power iterations per spectral norm
    const char *param;    // all | spectral | sp-lazy | sp
    int long_steps, long_batch, long_seeds, long_max_width;  // the longer minibatch run (0 steps: off)
};
static struct params P = {
    .din = 32,
    .widths = {6, {64, 128, 256, 512, 1024, 2048}},
    .steps = 5,
    .eta_sp = 0.05,
    .eta_spectral = 0.5,
    .eta_ntp = 1.0,
    .eta_adam = 0.2,
    .seeds = 8,
    .power_iters = 100,
    .param = "all",
    .long_steps = 200,
    .long_batch = 8,
    .long_seeds = 3,
    .long_max_width = 512,
};

static cli_opt opts[] = {
    {"din", CLI_INT, &P.din, 1, 4096, "input dimension d", 0, 0},
    {"widths", CLI_ILIST, &P.widths, 2, 8192, "hidden widths n of the sweep (ascending)", 0, 0},
    {"steps", CLI_INT, &P.steps, 1, 10000, "K: batch-1 SGD steps, one pass in order", 0, 0},
    {"eta-sp", CLI_DOUBLE, &P.eta_sp, 1e-8, 100, "SP learning rate (SP-lazy uses eta_sp n_min/n)", 0, 0},
    {"eta-spectral", CLI_DOUBLE, &P.eta_spectral, 1e-8, 100, "spectral base rate: eta_l = eta n_l/n_{l-1}", 0, 0},
    {"eta-ntp", CLI_DOUBLE, &P.eta_ntp, 1e-8, 100, "NTP rate (O(1); effective eta_l = eta_ntp / n_{l-1})", 0, 0},
    {"eta-adam", CLI_DOUBLE, &P.eta_adam, 1e-8, 100,
     "Adam base rate: recipe eta_l = eta_adam/n_{l-1}; SP-Adam eta_adam/n_min in every layer", 0, 0},
    {"seeds", CLI_INT, &P.seeds, 1, 1000, "replicates S (seeds (--seed - 1) S + 1 .. --seed S)", 0, 0},
    {"power-iters", CLI_INT, &P.power_iters, 1, 100000, "cap on power iterations per spectral norm", 0, 0},
    {"param", CLI_CHOICE, &P.param, 0, 0, "which parametrisations to run",
     "all|spectral|sp-lazy|sp|ntp|adam-spectral|adam-sp", 0},
    {"long-steps", CLI_INT, &P.long_steps, 0, 1000000, "longer minibatch run: SGD steps (0: skip the part)", 0, 0},
    {"long-batch", CLI_INT, &P.long_batch, 1, 4096, "longer minibatch run: batch size", 0, 0},
    {"long-seeds", CLI_INT, &P.long_seeds, 1, 64, "longer minibatch run: replicates", 0, 0},
    {"long-max-width", CLI_INT, &P.long_max_width, 2, 8192, "longer minibatch run: widths of the sweep up to this", 0,
     0},
    {0}};

static cli C = {.slug = "spectral-condition",
                .summary =
                    "Width sweep of feature change under the spectral recipe (muP), standard "
                    "parametrisation with a 1/width rate, and with a fixed rate; rank-one identities of "
                    "one SGD step (Yang, Simon, Bernstein, arXiv 2310.17813).",
                .claims = "spectral.C1-C11",
                .opts = opts};

// The first three are SGD parametrisations of the original sweep; NTP is the paper's own lazy
// foil; the last two train with Adam.  New ones are appended, so the rows of the first three in
// every table do not move.
typedef enum { PAR_SPECTRAL = 0, PAR_SPLAZY, PAR_SP, PAR_NTP, PAR_ADAM_SPECTRAL, PAR_ADAM_SP } par;
static const char *par_name[NPAR] = {"spectral", "sp-lazy", "sp", "ntp", "adam-spectral", "adam-sp"};
static int is_adam(par p) { return p == PAR_ADAM_SPECTRAL || p == PAR_ADAM_SP; }

// ---- theory ----
//
// **Spectral scaling condition**: for every layer,
// $\|W_l\|_* = \Theta(\sqrt{n_l/n_{l-1}})$ and $\|\Delta W_l\|_* = \Theta(\sqrt{n_l/n_{l-1}})$.
// It gives the desideratum $\|h_l\| = \Theta(\sqrt{n_l})$, $\|\Delta h_l\| = \Theta(\sqrt{n_l})$
// because $\|W h\| \le \|W\|_* \|h\|$ is tight for updates: one batch-1 step is
// $\Delta W_l = -\eta_l\, g_l h_{l-1}^T$, rank one, so
// $$\|\Delta W_l\|_* = \|\Delta W_l\|_F = \eta_l \|g_l\|\,\|h_{l-1}\|, \qquad
//   \|\Delta W_l h_{l-1}\| = \|\Delta W_l\|_*\,\|h_{l-1}\|$$
// exactly.  These three identities are spectral.C1.
//
// **The spectral recipe for SGD** (constants set to 1):
// $\sigma_l = n_{l-1}^{-1/2} \min(1, \sqrt{n_l/n_{l-1}})$ and $\eta_l = \eta\, n_l/n_{l-1}$.
// **SP**: $\sigma_l = n_{l-1}^{-1/2}$ and one rate for all layers, constant in width;
// **SP-lazy**: the same init with rate $\eta_{SP}\, n_{min}/n$.
//
// **NTP** (the neural tangent parametrisation the paper's introduction names as the naive
// scaling): parameters $V_\ell$ with N(0, 1) entries, the layer computes
// $W_\ell h = V_\ell h/\sqrt{n_{\ell-1}}$, and SGD runs on $V$ at an O(1) rate $\eta_{NTP}$.  In
// terms of $W$ the init is LeCun's and the step is $\Delta W_\ell = -(\eta_{NTP}/n_{\ell-1})\,
// \partial\ell/\partial W_\ell$ (the chain rule brings one $1/\sqrt{n_{\ell-1}}$, the map back to
// $W$ another), so we train $W$ with $\eta_\ell = \eta_{NTP}/n_{\ell-1}$: $\eta_{NTP}/d$ in the input
// layer (constant in width, unlike SP-lazy) and $\eta_{NTP}/n$ above.  Then $\|\Delta W_1\|_* =
// O(1)$ against the required $\sqrt{n/d}$ and $\|\Delta W_2\|_* = O(n^{-1/2})$ against 1: both
// hidden layers miss the condition by $n^{-1/2}$, and so does $\|\Delta h_2\|/\sqrt n$.
//
// **Adam.**  Adam's step is close to $-\eta\,\mathrm{sign}(\partial\ell/\partial W)$ (exactly so at
// the first step, up to $\epsilon$), a matrix of $\pm\eta$ entries whose spectral norm for a
// rank-one gradient $g h^T$ is $\eta\sqrt{\mathrm{nnz}(g)\,\mathrm{nnz}(h)} = \Theta(\eta\sqrt{n_\ell
// n_{\ell-1}})$.  The condition $\Theta(\sqrt{n_\ell/n_{\ell-1}})$ then asks for
// $\eta_\ell = \eta_{Adam}/n_{\ell-1}$ (the muP rule for Adam: $1/\text{fan-in}$), with the recipe's
// init.  **SP-Adam**: LeCun init and one rate $\eta_{Adam}/n_{min}$ in every layer, tuned at the
// smallest width and held fixed: $\|\Delta W_2\|_* \sim n$ where 1 is asked for, so
// $\|\Delta h_2\|/\sqrt n$ grows like $n$ until it saturates or diverges.
static double sigma_of(par p, int nin, int nout) {
    double lecun = 1.0 / sqrt((double)nin);
    return p == PAR_SPECTRAL || p == PAR_ADAM_SPECTRAL ? lecun * fmin(1.0, sqrt((double)nout / nin)) : lecun;
}
static double eta_of(par p, int nin, int nout, int n, int nmin) {
    switch (p) {
    case PAR_SPECTRAL: return P.eta_spectral * (double)nout / nin;
    case PAR_SPLAZY: return P.eta_sp * (double)nmin / n;
    case PAR_NTP: return P.eta_ntp / nin;
    case PAR_ADAM_SPECTRAL: return P.eta_adam / nin;
    case PAR_ADAM_SP: return P.eta_adam / nmin;
    default: return P.eta_sp;
    }
}
// The scale the condition asks for: sqrt(fan-out / fan-in).
static double spec_scale(int nin, int nout) { return sqrt((double)nout / nin); }
// **Bai-Yin edge**: a Gaussian (n_l, n_{l-1}) matrix of entry sd sigma has
// $\|W\|_* \approx \sigma(\sqrt{n_l} + \sqrt{n_{l-1}})$; under the recipe,
// $\|W_l(0)\|_* / \sqrt{n_l/n_{l-1}} \approx 1 + \sqrt{\min(n_l,n_{l-1})/\max(n_l,n_{l-1})}$:
// $1 + \sqrt{d/n}$, $2$ and $1 + 1/\sqrt n$ for the three layers.
// That edge is the limit of both dimensions -> inf.  A 1 x n readout is a single Gaussian
// vector: $\|W_3\|_* = \sigma\chi_n$, with
// $E\chi_n = \sqrt2\,\Gamma((n+1)/2)/\Gamma(n/2) = \sqrt n\,(1 - 1/(4n) + \dots)$, so the
// ratio is $E\chi_n/\sqrt{\max}$: 0.996 at n = 64 (measured 0.98 +- 0.04), not $1 + 1/\sqrt n$
// (1.125 at n = 64), which the edge formula would give.
static double baiyin(int nin, int nout) {
    double a = fmin(nin, nout), b = fmax(nin, nout);
    if (a == 1) return exp(0.5 * log(2.0) + lgamma((b + 1) / 2) - lgamma(b / 2)) / sqrt(b);
    return 1 + sqrt(a / b);
}
// **Predicted width exponents** of $\|\Delta h_2\|/\sqrt n$: 0 under the recipe; under
// SP-lazy $\|\Delta W_2\|_* \sim (1/n)\cdot\Theta(1)\cdot\sqrt n$, hence $n^{-1/2}$; SP with a
// fixed rate grows and diverges.  Per layer under SP-lazy (readout $\|W_3\|_* = \Theta(1)$, so
// $\|g_2\|, \|g_1\| = \Theta(1)$, and $\eta_l \propto 1/n$): $\|\Delta W_1\|_* \sim n^{-1}\sqrt d$, i.e.
// $n^{-3/2}$ after dividing by $\sqrt{n/d}$; $\|\Delta W_2\|_* \sim n^{-1}\sqrt n = n^{-1/2}$; and
// $\|\Delta W_3\|_* \sim n^{-1}\sqrt n$, i.e. $n^0$ after dividing by $\sqrt{1/n}$ (the readout still
// learns).  Panel (b) draws these three exponents.
static const double SLOPE_TH[NPAR] = {0.0, -0.5, NAN, -0.5, 0.0, NAN};

// ---- experiment ----
//
// Spectral norms by power iteration on the smaller Gram matrix ($A^TA$ or $AA^T$), from
// opt_power_top's fixed start vector; a low-rank $\Delta W$ converges in a few iterations, a
// random $W(0)$ slowly (its top singular values crowd at the Bai-Yin edge), so the cap
// --power-iters leaves $\|W(0)\|_*$ about 1% low.
typedef struct {
    int m, n, gram_small;  // A is (m, n); gram_small: iterate on A A^T (m < n)
    const double *A;
    double *tmp;  // max(m, n)
} gram_ctx;

static void gram_matvec(void *ctx, const double *x, double *y) {
    gram_ctx *g = ctx;
    if (g->gram_small) {  // y = A (A^T x): x, y (m)
        cblas_dgemv(CblasRowMajor, CblasTrans, g->m, g->n, 1.0, g->A, g->n, x, 1, 0.0, g->tmp, 1);
        cblas_dgemv(CblasRowMajor, CblasNoTrans, g->m, g->n, 1.0, g->A, g->n, g->tmp, 1, 0.0, y, 1);
    } else {  // y = A^T (A x): x, y (n)
        cblas_dgemv(CblasRowMajor, CblasNoTrans, g->m, g->n, 1.0, g->A, g->n, x, 1, 0.0, g->tmp, 1);
        cblas_dgemv(CblasRowMajor, CblasTrans, g->m, g->n, 1.0, g->A, g->n, g->tmp, 1, 0.0, y, 1);
    }
}

// |A|_* of A (m, n); tmp has room for max(m, n).
static double spectral_norm_tol(int m, int n, const double *A, double *tmp, double tol) {
    gram_ctx g = {m, n, m < n, A, tmp};
    double lam;
    opt_power_top((size_t)(m < n ? m : n), gram_matvec, &g, 0.0, NULL, P.power_iters, tol, &lam, NULL);
    return sqrt(fmax(lam, 0.0));
}
static double spectral_norm(int m, int n, const double *A, double *tmp) {
    return spectral_norm_tol(m, n, A, tmp, POWER_TOL);
}

// One replicate's data: X (K, d) rows x_k, Y (K) with y_k = x_k1, probe xp (d).
typedef struct {
    double *X, *Y, *xp;
} data;

static data make_data(unsigned long seed, int K, int d) {
    data D = {XNEW(double, (size_t)K *d), XNEW(double, K), XNEW(double, d)};
    gsl_rng *r = rng_alloc(seed, STREAM_DATA);
    rng_normal_vec(r, (size_t)K * d, D.X);
    rng_normal_vec(r, (size_t)d, D.xp);
    for (int k = 0; k < K; k++) D.Y[k] = D.X[(size_t)k * d];
    rng_free(r);
    return D;
}

// What one run (parametrisation, width, replicate) measures.  Norms of W and Delta W are
// divided by sqrt(n_l/n_{l-1}); index 1..3 is the layer.
typedef struct {
    int diverged;
    double h0;         // |h_2(x_p)| / sqrt n at init
    double dh;         // |Delta h_2(x_p)| / sqrt n after K steps
    double df;         // |Delta f(x_p)|
    double dW[L + 1];  // |Delta W_l|_* / sqrt(n_l/n_{l-1})
    double fro2;       // |Delta W_2|_F / |Delta W_2|_*
    double W0[L + 1];  // |W_l(0)|_* / sqrt(n_l/n_{l-1})
    double fro_rel2;   // |Delta W_2|_F / |W_2(0)|_F  (the Frobenius yardstick: -> 0 like n^{-1/2})
    double spec_rel2;  // |Delta W_2|_* / |W_2(0)|_*  (the spectral one: Theta(1) under the recipe)
    // after the first step (spectral.C1): deviations from 1 of
    double one_fro[L + 1];    //   |Delta W_l|_F / |Delta W_l|_*
    double one_align[L + 1];  //   |Delta W_l h_{l-1}| / (|Delta W_l|_* |h_{l-1}|)
    double one_pred[L + 1];   //   |Delta W_l|_* / (eta_l |g_l| |h_{l-1}|)
} run_result;

// Workspaces of one width, allocated once and shared by every run at that width.
typedef struct {
    int n, d, K;
    nn *net;                        // d -> n -> n -> 1, ReLU, no biases, multipliers 1
    double *G;                      // (nparams) the standard normals every parametrisation scales
    double Gnorm[L + 1];            // |G_l|_* (so |W_l(0)|_* = sigma_l |G_l|_*)
    double GnormF[L + 1];           // |G_l|_F
    double *am, *av;                // (nparams) Adam's first and second moments
    double *h20;                    // (n) h_2(x_p) at init
    double *hin[L + 1], *g[L + 1];  // first step: h_{l-1}(x_1) and g_l = dl/dz_l
    double *tmp;                    // (n) power iteration and dgemv scratch
} width_ws;

static width_ws ws_alloc(int n, int d, int K) {
    width_ws w = {.n = n, .d = d, .K = K};
    int widths[L + 1] = {d, n, n, 1};
    w.net = nn_alloc(L, widths, NN_RELU, 0, 1);
    if (!w.net) DIE("could not allocate the width-%d network", n);
    w.G = XNEW(double, w.net->nparams);
    w.am = XNEW(double, w.net->nparams), w.av = XNEW(double, w.net->nparams);
    w.h20 = XNEW(double, n);
    for (int l = 1; l <= L; l++) w.hin[l] = XNEW(double, widths[l - 1]), w.g[l] = XNEW(double, widths[l]);
    w.tmp = XNEW(double, n > d ? n : d);
    return w;
}
static void ws_free(width_ws *w) {
    nn_free(w->net);
    free(w->G), free(w->am), free(w->av), free(w->h20), free(w->tmp);
    for (int l = 1; l <= L; l++) free(w->hin[l]), free(w->g[l]);
}

// Draw the standard normals of width n for replicate `seed` and their spectral norms.
static void ws_draw(width_ws *w, unsigned long seed) {
    gsl_rng *r = rng_alloc(seed, STREAM_INIT + (uint64_t)w->n);
    rng_normal_vec(r, w->net->nparams, w->G);
    rng_free(r);
    nn *net = w->net;
    for (int l = 1; l <= L; l++) {
        w->Gnorm[l] = spectral_norm(net->n[l], net->n[l - 1], w->G + net->off[l], w->tmp);
        w->GnormF[l] = cblas_dnrm2((int)net->len[l], w->G + net->off[l], 1);
    }
}

// One Adam step (Kingma & Ba 2015, with bias correction) at step t = 1, 2, ..., per-layer rates:
// $m \leftarrow \beta_1 m + (1-\beta_1) g$, $v \leftarrow \beta_2 v + (1-\beta_2) g^2$,
// $W_\ell \leftarrow W_\ell - \eta_\ell\, \hat m / (\sqrt{\hat v} + \epsilon)$ with
// $\hat m = m/(1-\beta_1^t)$, $\hat v = v/(1-\beta_2^t)$.
static void adam_step(width_ws *w, const double *eta, int t) {
    nn *net = w->net;
    const double c1 = 1 - pow(ADAM_BETA1, t), c2 = 1 - pow(ADAM_BETA2, t);
    for (int l = 1; l <= L; l++) {
        double *W = net->W[l], *m = w->am + net->off[l], *v = w->av + net->off[l];
        const double *g = net->dW[l];
        for (size_t i = 0; i < net->len[l]; i++) {
            m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * g[i];
            v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * g[i] * g[i];
            W[i] -= eta[l] * (m[i] / c1) / (sqrt(v[i] / c2) + ADAM_EPS);
        }
    }
}

static double norm2(int n, const double *x) { return cblas_dnrm2(n, x, 1); }

// The backward vectors of the latest batch-1 forward pass, computed here from the forward
// caches independently of nn_backward (so spectral.C1 checks the library's backward pass):
// g_3 = f - y, g_l = (W_{l+1}^T g_{l+1}) .* relu'(z_l).
static void backward_vectors(width_ws *w, double y) {
    nn *net = w->net;
    w->g[L][0] = net->Z[L][0] - y;
    for (int l = L - 1; l >= 1; l--) {
        cblas_dgemv(CblasRowMajor, CblasTrans, net->n[l + 1], net->n[l], 1.0, net->W[l + 1], net->n[l], w->g[l + 1], 1,
                    0.0, w->g[l], 1);
        for (int i = 0; i < net->n[l]; i++)
            if (!(net->Z[l][i] > 0)) w->g[l][i] = 0;
    }
}

// Delta W_l = W_l - sigma_l G_l into the gradient block dW[l] (free after the update).
static void delta_W(width_ws *w, int l, double sigma) {
    nn *net = w->net;
    const double *Gl = w->G + net->off[l];
    for (size_t i = 0; i < net->len[l]; i++) net->dW[l][i] = net->W[l][i] - sigma * Gl[i];
}

// One run: init, K steps, measurements.  n_min is the smallest width of the sweep (SP-lazy).
static void run_one(width_ws *w, par p, const data *D, int nmin, run_result *R) {
    nn *net = w->net;
    const int n = w->n, d = w->d, K = w->K;
    double sigma[L + 1], eta[L + 1], scale[L + 1];
    memset(R, 0, sizeof *R);
    if (is_adam(p)) memset(w->am, 0, net->nparams * sizeof *w->am), memset(w->av, 0, net->nparams * sizeof *w->av);
    for (int l = 1; l <= L; l++) {
        sigma[l] = sigma_of(p, net->n[l - 1], net->n[l]);
        eta[l] = eta_of(p, net->n[l - 1], net->n[l], n, nmin);
        scale[l] = spec_scale(net->n[l - 1], net->n[l]);
        const double *Gl = w->G + net->off[l];
        for (size_t i = 0; i < net->len[l]; i++) net->W[l][i] = sigma[l] * Gl[i];
        R->W0[l] = sigma[l] * w->Gnorm[l] / scale[l];
    }
    // the probe at init
    const double f0 = nn_forward(net, 1, D->xp)[0];
    memcpy(w->h20, net->H[2], (size_t)n * sizeof *w->h20);
    R->h0 = norm2(n, w->h20) / sqrt((double)n);
    // K steps of batch-1 SGD, in order: W_l <- W_l - eta_l g_l h_{l-1}^T
    for (int k = 0; k < K && !R->diverged; k++) {
        const double *x = D->X + (size_t)k * d;
        const double f = nn_forward(net, 1, x)[0];
        if (!isfinite(f)) {
            R->diverged = 1;
            break;
        }
        net->dout[0] = f - D->Y[k];  // dl/df for l = (f - y)^2 / 2
        if (k == 0) {
            backward_vectors(w, D->Y[k]);
            for (int l = 1; l <= L; l++) memcpy(w->hin[l], net->H[l - 1], (size_t)net->n[l - 1] * sizeof(double));
        }
        nn_backward(net, net->dout, NULL, 0);
        if (is_adam(p)) adam_step(w, eta, k + 1);
        else opt_gd_step_layers(L, &net->W[1], (const double *const *)&net->dW[1], &net->len[1], &eta[1]);
        if (k == 0 && is_adam(p))  // Adam's first step is sign-like, not the rank-one SGD step
            for (int l = 1; l <= L; l++) R->one_fro[l] = R->one_align[l] = R->one_pred[l] = NAN;
        else if (k == 0)
            for (int l = 1; l <= L; l++) {  // the rank-one identities of one step (spectral.C1)
                const int m = net->n[l], q = net->n[l - 1];
                delta_W(w, l, sigma[l]);
                double s1 = spectral_norm(m, q, net->dW[l], w->tmp);
                double fro = norm2((int)net->len[l], net->dW[l]), hn = norm2(q, w->hin[l]);
                cblas_dgemv(CblasRowMajor, CblasNoTrans, m, q, 1.0, net->dW[l], q, w->hin[l], 1, 0.0, w->tmp, 1);
                R->one_fro[l] = fro / s1 - 1;
                R->one_align[l] = norm2(m, w->tmp) / (s1 * hn) - 1;
                R->one_pred[l] = s1 / (eta[l] * norm2(m, w->g[l]) * hn) - 1;
            }
    }
    // the probe after K steps; diverged if anything is non-finite or |Delta h_2|/sqrt n > 1e3
    const double f1 = nn_forward(net, 1, D->xp)[0];
    for (int i = 0; i < n; i++) w->tmp[i] = net->H[2][i] - w->h20[i];
    R->dh = norm2(n, w->tmp) / sqrt((double)n);
    R->df = fabs(f1 - f0);
    if (R->diverged || !isfinite(f1) || !(R->dh <= DIVERGE_DH) || !util_all_finite(net->theta, net->nparams)) {
        R->diverged = 1;
        return;
    }
    for (int l = 1; l <= L; l++) {
        delta_W(w, l, sigma[l]);
        double s1 =
            spectral_norm_tol(net->n[l], net->n[l - 1], net->dW[l], w->tmp, is_adam(p) ? POWER_TOL_ADAM : POWER_TOL);
        R->dW[l] = s1 / scale[l];
        if (l == 2) {
            const double fro = norm2((int)net->len[l], net->dW[l]);
            R->fro2 = fro / s1;
            R->fro_rel2 = fro / (sigma[l] * w->GnormF[l]);
            R->spec_rel2 = s1 / (sigma[l] * w->Gnorm[l]);
        }
    }
}

// ---- measurement ----
//
// Summaries over replicates: means and standard errors over the runs that did not diverge
// (a diverged run is never averaged), and the median of |Delta h_2|/sqrt n with a
// diverged run counted as +infinity (spectral.C4).
typedef struct {
    int ok, div;
    double h0[2], dh[2], df[2], dW[L + 1][2], fro2[2], W0[L + 1][2], fro_rel2[2], spec_rel2[2];  // {mean, se}
    double dh_median, fro2_max, srank_max;
} summary;

static void mean_se(const double *x, int n, double out[2]) {
    out[0] = n ? fit_mean(x, n) : NAN;
    out[1] = n ? fit_stderr(x, n) : NAN;
}

static summary summarise(const run_result *R, int S) {
    summary s = {0};
    double *v = XNEW(double, S), *all = XNEW(double, S);
    int k;
#define SUMM(field, dst)                                                                                               \
    do {                                                                                                               \
        k = 0;                                                                                                         \
        for (int i = 0; i < S; i++)                                                                                    \
            if (!R[i].diverged) v[k++] = R[i].field;                                                                   \
        mean_se(v, k, dst);                                                                                            \
    } while (0)
    SUMM(h0, s.h0);
    SUMM(dh, s.dh);
    SUMM(df, s.df);
    SUMM(fro2, s.fro2);
    SUMM(fro_rel2, s.fro_rel2);
    SUMM(spec_rel2, s.spec_rel2);
    for (int l = 1; l <= L; l++) {
        SUMM(dW[l], s.dW[l]);
        SUMM(W0[l], s.W0[l]);
    }
#undef SUMM
    s.fro2_max = 0;
    for (int i = 0; i < S; i++) {
        all[i] = R[i].diverged ? INFINITY : R[i].dh;
        if (R[i].diverged) s.div++;
        else s.ok++, s.fro2_max = fmax(s.fro2_max, R[i].fro2);
    }
    s.srank_max = s.fro2_max * s.fro2_max;
    s.dh_median = fit_median(all, S);
    free(v), free(all);
    return s;
}

// Least-squares slope of log(median) against log n over every width whose median is finite
// (fewer than half of its replicates diverged), and only with at least MIN_FIT_WIDTHS of them.
// Medians, not means: a mean over 8 replicates is carried by one outlier (SP at n = 256: mean
// 4.28, median 0.36), and a two-point fit of such means gave SP a meaningless "slope +5.00".
#define MIN_FIT_WIDTHS 3
static double fit_slope(const summary *row, int nw, double *intercept, int *npts) {
    double x[CLI_LIST_MAX], y[CLI_LIST_MAX];
    for (int w = 0; w < nw; w++) x[w] = (double)P.widths.v[w], y[w] = row[w].dh_median;
    fit_line_t f;
    // fit_loglog keeps the finite, positive medians (a diverged median is +inf)
    if (fit_loglog(x, y, nw, 0, INFINITY, &f) != 0) f.npts = 0;
    *npts = f.npts;
    if (f.npts < MIN_FIT_WIDTHS) return *intercept = NAN, NAN;
    *intercept = f.intercept;
    return f.slope;
}

// The width exponent of a per-width quantity y[w] (the yardsticks of spectral.C8).
static double slope_over_widths(const double *y, int nw) {
    double x[CLI_LIST_MAX];
    for (int w = 0; w < nw; w++) x[w] = (double)P.widths.v[w];
    fit_line_t f;
    return fit_loglog(x, y, nw, 0, INFINITY, &f) == 0 && f.npts >= MIN_FIT_WIDTHS ? f.slope : NAN;
}

// ---- output ----
static void write_tables(int ran[NPAR], summary sum[NPAR][CLI_LIST_MAX], run_result *runs, int nw, int S,
                         double slope[NPAR], double icpt[NPAR], int npts[NPAR]) {
    const int d = P.din;
    tsv *t = tsv_open(&C, "widths.tsv", "spectral.C2 spectral.C3 spectral.C4 spectral.C5 spectral.C6 spectral.C7");
    tsv_allow_nonfinite(t, 1);  // means are nan where every replicate diverged; the median is inf there
    tsv_note(t,
             "means and standard errors over the replicates that did not diverge (diverged: non-finite or "
             "|dh2|/sqrt n > %g); dh2_median counts a diverged replicate as inf",
             DIVERGE_DH);
    tsv_note(t,
             "W and dW norms are spectral norms divided by sqrt(n_l/n_{l-1}); baiyin_l = 1 + sqrt(min/max) "
             "of the layer's dimensions (Bai-Yin edge), and E chi_n / sqrt n for the 1 x n readout");
    tsv_columns(t,
                "param\tn\tn_ok\tn_diverged\th2_init\th2_init_se\tdh2\tdh2_se\tdh2_median\tdW1\tdW1_se\tdW2\tdW2_se"
                "\tdW3\tdW3_se\tfro_over_spec2\tfro_over_spec2_se\tfro_over_spec2_max\tsrank2_max\tW01\tW01_se\tW02"
                "\tW02_se\tW03\tW03_se\tdf\tdf_se\tbaiyin1\tbaiyin2\tbaiyin3");
    for (int p = 0; p < NPAR; p++) {
        if (!ran[p]) continue;
        for (int w = 0; w < nw; w++) {
            const summary *s = &sum[p][w];
            int n = (int)P.widths.v[w];
            tsv_row(t,
                    "%s\t%d\t%d\t%d\t%.8g\t%.4g\t%.8g\t%.4g\t%.8g\t%.8g\t%.4g\t%.8g\t%.4g\t%.8g\t%.4g\t%.8g\t%.4g\t%.8g"
                    "\t%.8g\t%.8g\t%.4g\t%.8g\t%.4g\t%.8g\t%.4g\t%.8g\t%.4g\t%.8g\t%.8g\t%.8g",
                    par_name[p], n, s->ok, s->div, s->h0[0], s->h0[1], s->dh[0], s->dh[1], s->dh_median, s->dW[1][0],
                    s->dW[1][1], s->dW[2][0], s->dW[2][1], s->dW[3][0], s->dW[3][1], s->fro2[0], s->fro2[1],
                    s->ok ? s->fro2_max : NAN, s->ok ? s->srank_max : NAN, s->W0[1][0], s->W0[1][1], s->W0[2][0],
                    s->W0[2][1], s->W0[3][0], s->W0[3][1], s->df[0], s->df[1], baiyin(d, n), baiyin(n, n),
                    baiyin(n, 1));
        }
    }
    tsv_close(t);

    t = tsv_open(&C, "runs.tsv", "spectral.C2 spectral.C3 spectral.C4");
    tsv_allow_nonfinite(t, 1);
    tsv_note(
        t,
        "one row per run; replicate r uses seed (--seed - 1) S + 1 + r; dh2 of a diverged run is what was measured "
        "(possibly inf or nan), never averaged");
    tsv_columns(t, "param\tn\treplicate\tdiverged\tdh2\tdW1\tdW2\tdW3\tfro_over_spec2\tdf");
    for (int p = 0; p < NPAR; p++) {
        if (!ran[p]) continue;
        for (int w = 0; w < nw; w++)
            for (int r = 0; r < S; r++) {
                const run_result *R = &runs[((size_t)p * nw + w) * S + r];
                tsv_row(t, "%s\t%d\t%d\t%d\t%.8g\t%.8g\t%.8g\t%.8g\t%.8g\t%.8g", par_name[p], (int)P.widths.v[w], r + 1,
                        R->diverged, R->dh, R->diverged ? NAN : R->dW[1], R->diverged ? NAN : R->dW[2],
                        R->diverged ? NAN : R->dW[3], R->diverged ? NAN : R->fro2, R->df);
            }
    }
    tsv_close(t);

    t = tsv_open(&C, "onestep.tsv", "spectral.C1");
    tsv_note(t,
             "replicate 1 after its first batch-1 step: deviations from 1 of |dW|_F/|dW|_*, of the alignment "
             "|dW h_{l-1}|/(|dW|_* |h_{l-1}|), and of |dW|_*/(eta_l |g_l| |h_{l-1}|) (g_l from the forward caches, "
             "independently of the library's backward pass)");
    tsv_columns(t, "param\tn\tlayer\tfro_over_spec_minus_1\talign_minus_1\tpred_minus_1");
    for (int p = 0; p < NPAR; p++) {
        if (!ran[p] || is_adam((par)p)) continue;
        for (int w = 0; w < nw; w++) {
            const run_result *R = &runs[((size_t)p * nw + w) * S];
            for (int l = 1; l <= L; l++)
                tsv_row(t, "%s\t%d\t%d\t%.6g\t%.6g\t%.6g", par_name[p], (int)P.widths.v[w], l, R->one_fro[l],
                        R->one_align[l], R->one_pred[l]);
        }
    }
    tsv_close(t);

    t = tsv_open(&C, "fits.tsv", "spectral.C2 spectral.C3");
    tsv_allow_nonfinite(t, 1);  // SP has no theory slope (it diverges)
    tsv_note(t,
             "least-squares fit log(median dh2) = intercept + slope log n over the widths whose median is finite "
             "(fewer than half of the replicates diverged); no fit (nan) with fewer than %d such widths",
             MIN_FIT_WIDTHS);
    tsv_columns(t, "param\tslope\tintercept\tn_points\tslope_theory");
    for (int p = 0; p < NPAR; p++)
        if (ran[p]) tsv_row(t, "%s\t%.6g\t%.6g\t%d\t%g", par_name[p], slope[p], icpt[p], npts[p], SLOPE_TH[p]);
    tsv_close(t);

    t = tsv_open(&C, "frobenius.tsv", "spectral.C8");
    tsv_allow_nonfinite(t, 1);  // nan where every replicate diverged
    tsv_note(t,
             "the relative change of the hidden matrix W_2 (n x n) after K steps in two yardsticks: "
             "|dW2|_F/|W2(0)|_F and |dW2|_*/|W2(0)|_*, means and standard errors over the replicates that did "
             "not diverge; theory under the recipe: n^{-1/2} and n^0");
    tsv_columns(t, "param\tn\tfro_rel2\tfro_rel2_se\tspec_rel2\tspec_rel2_se");
    for (int p = 0; p < NPAR; p++)
        if (ran[p])
            for (int w = 0; w < nw; w++) {
                const summary *s = &sum[p][w];
                tsv_row(t, "%s\t%d\t%.8g\t%.4g\t%.8g\t%.4g", par_name[p], (int)P.widths.v[w], s->fro_rel2[0],
                        s->fro_rel2[1], s->spec_rel2[0], s->spec_rel2[1]);
            }
    tsv_close(t);

    t = tsv_open(&C, "theory.tsv", "spectral.C6");
    tsv_note(t,
             "Bai-Yin edge under the spectral recipe: |W_l(0)|_*/sqrt(n_l/n_{l-1}) = 1 + sqrt(min/max), d = %d; "
             "the 1 x n readout (baiyin3): E chi_n / sqrt n = sqrt2 Gamma((n+1)/2) / (Gamma(n/2) sqrt n)",
             d);
    tsv_columns(t, "n\tbaiyin1\tbaiyin2\tbaiyin3");
    double lo = 0.8 * (double)P.widths.v[0], hi = 1.25 * (double)P.widths.v[nw - 1];
    for (int i = 0; i <= 60; i++) {
        double n = lo * pow(hi / lo, i / 60.0);
        double chi = exp(0.5 * log(2.0) + lgamma((n + 1) / 2) - lgamma(n / 2)) / sqrt(n);  // E chi_n / sqrt n, n real
        tsv_row(t, "%.6g\t%.8g\t%.8g\t%.8g", n, 1 + sqrt(fmin(d, n) / fmax(d, n)), 2.0, chi);
    }
    tsv_close(t);
}

#include "01-long-run.c"

// ---- main ----
int main(int argc, char **argv) {
    cli_parse(&C, argc, argv);
    if (C.quick) {  // --quick sizes, for every flag the user did not type
        if (!cli_given(&C, "widths")) P.widths = (cli_ilist){4, {64, 128, 256, 512}};
        if (!cli_given(&C, "power-iters")) P.power_iters = 60;
        if (!cli_given(&C, "long-steps")) P.long_steps = 60;
        if (!cli_given(&C, "long-seeds")) P.long_seeds = 2;
        if (!cli_given(&C, "long-max-width")) P.long_max_width = 256;
    }
    const int nw = P.widths.n, S = P.seeds, K = P.steps, d = P.din;
    for (int w = 1; w < nw; w++)
        if (P.widths.v[w] <= P.widths.v[w - 1]) cli_usage_error(&C, "--widths must be strictly ascending");
    const int nmin = (int)P.widths.v[0];
    int ran[NPAR];
    for (int p = 0; p < NPAR; p++) ran[p] = !strcmp(P.param, "all") || !strcmp(P.param, par_name[p]);
    double t0 = util_now();

    data *D = XNEW(data, S);
    // Replicate r of run seed s draws from seed (s - 1) S + 1 + r: seed 1 uses 1..S, seed 2 the next
    // S, and so on, so runs at different --seed share no replicate (with --seed + r, seeds 1 and 2
    // shared 7 of their 8 replicates and a three-seed check was nearly one check).
    const unsigned long rep0 = C.seed >= 1 ? (C.seed - 1) * (unsigned long)S + 1 : 0;
    for (int r = 0; r < S; r++) D[r] = make_data(rep0 + (unsigned long)r, K, d);
    run_result *runs = XNEW(run_result, (size_t)NPAR * nw * S);
    static summary sum[NPAR][CLI_LIST_MAX];
    for (int w = 0; w < nw; w++) {
        const int n = (int)P.widths.v[w];
        width_ws ws = ws_alloc(n, d, K);
        for (int r = 0; r < S; r++) {
            progress("width %d, replicate %d/%d", n, r + 1, S);
            ws_draw(&ws, rep0 + (unsigned long)r);
            for (int p = 0; p < NPAR; p++)
                if (ran[p]) run_one(&ws, (par)p, &D[r], nmin, &runs[((size_t)p * nw + w) * S + r]);
        }
        for (int p = 0; p < NPAR; p++)
            if (ran[p]) sum[p][w] = summarise(&runs[((size_t)p * nw + w) * S], S);
        ws_free(&ws);
    }

    // the per-parametrisation tables on stdout
    double slope[NPAR], icpt[NPAR];
    int npts[NPAR];
    for (int p = 0; p < NPAR; p++) {
        slope[p] = icpt[p] = NAN, npts[p] = 0;
        if (!ran[p]) continue;
        slope[p] = fit_slope(sum[p], nw, &icpt[p], &npts[p]);
        printf("# %s: n, |dh2|/sqrt(n) median, mean +- se, |dW2|_*/sqrt(n2/n1), |dW2|_F/|dW2|_*\n", par_name[p]);
        for (int w = 0; w < nw; w++) {
            const summary *s = &sum[p][w];
            if (s->div)
                printf("#   %5ld  diverged in %d of %d replicates (median %.4g)\n", P.widths.v[w], s->div, S,
                       s->dh_median);
            if (s->ok && !s->div)
                printf("#   %5ld  %.4f  %.4f +- %.4f   %.4f   %.4f\n", P.widths.v[w], s->dh_median, s->dh[0], s->dh[1],
                       s->dW[2][0], s->fro2[0]);
        }
        printf("#   slope of the medians over %d widths: %+.3f (theory %s)\n", npts[p], slope[p],
               isfinite(SLOPE_TH[p]) ? (SLOPE_TH[p] == 0 ? "0" : "-1/2") : "grows, diverges");
    }

    // spectral.C1: the one-step identities, every run that did not diverge before step 1 ends
    {
        double worst = 0;
        int any = 0;
        for (int p = 0; p < NPAR; p++)
            if (ran[p])
                for (int w = 0; w < nw; w++)
                    for (int r = 0; r < S && !is_adam((par)p); r++) {
                        const run_result *R = &runs[((size_t)p * nw + w) * S + r];
                        for (int l = 1; l <= L; l++) {
                            double e = fmax(fabs(R->one_fro[l]), fmax(fabs(R->one_align[l]), fabs(R->one_pred[l])));
                            if (!isfinite(e)) e = INFINITY;
                            worst = fmax(worst, e), any = 1;
                        }
                    }
        if (any)
            claim_check("spectral.C1", CLAIM_IDENTITY, worst <= 1e-9,
                        "max over runs, layers of |F/* - 1|, |alignment - 1|, |norm/(eta |g| |h|) - 1| after one step",
                        worst, "1e-9");
        else claim_skip("spectral.C1", CLAIM_IDENTITY, "no run");
    }
    // spectral.C2: the recipe keeps feature change width-independent
    const double c2lo = C.quick ? -0.2 : -0.2, c2hi = C.quick ? 0.3 : 0.2;
    if (ran[PAR_SPECTRAL] && npts[PAR_SPECTRAL] >= MIN_FIT_WIDTHS) {
        char tol[64];
        snprintf(tol, sizeof tol, "[%g, %g]", c2lo, c2hi);
        claim_check("spectral.C2", CLAIM_EXPERIMENT, slope[PAR_SPECTRAL] >= c2lo && slope[PAR_SPECTRAL] <= c2hi,
                    "slope of log median |dh2|/sqrt(n) vs log n, spectral", slope[PAR_SPECTRAL], tol);
    } else claim_skip("spectral.C2", CLAIM_EXPERIMENT, "needs the spectral run at >= 3 widths");
    // spectral.C3: SP-lazy loses feature learning; and the contrast with spectral
    if (ran[PAR_SPLAZY] && ran[PAR_SPECTRAL] && npts[PAR_SPLAZY] >= MIN_FIT_WIDTHS &&
        npts[PAR_SPECTRAL] >= MIN_FIT_WIDTHS) {
        const double lo = -0.75, hi = C.quick ? -0.20 : -0.30;
        double contrast = slope[PAR_SPECTRAL] - slope[PAR_SPLAZY];
        char what[160], tol[64];
        snprintf(what, sizeof what,
                 "slope of the medians, SP-lazy (contrast slope_spectral - slope_SP-lazy = %.3f >= 0.3)", contrast);
        snprintf(tol, sizeof tol, "[%g, %g]", lo, hi);
        claim_check("spectral.C3", CLAIM_EXPERIMENT,
                    slope[PAR_SPLAZY] >= lo && slope[PAR_SPLAZY] <= hi && contrast >= 0.3, what, slope[PAR_SPLAZY],
                    tol);
    } else claim_skip("spectral.C3", CLAIM_EXPERIMENT, "needs the SP-lazy and spectral runs");
    // spectral.C4: SP with a fixed rate blows up (median, diverged = +inf)
    if (ran[PAR_SP] && nw >= 2) {
        double ratio = sum[PAR_SP][nw - 1].dh_median / sum[PAR_SP][0].dh_median;
        char what[160];
        snprintf(what, sizeof what, "SP median |dh2|/sqrt(n) at n = %ld over n = %ld (diverged: %d of %d at n_max)",
                 P.widths.v[nw - 1], P.widths.v[0], sum[PAR_SP][nw - 1].div, S);
        claim_check("spectral.C4", CLAIM_EXPERIMENT, ratio >= 10, what, ratio, ">= 10");
    } else claim_skip("spectral.C4", CLAIM_EXPERIMENT, "needs the SP run at >= 2 widths");
    // spectral.C5: the condition in every layer (spectral flat; SP-lazy hidden layer decays)
    if (ran[PAR_SPECTRAL] && ran[PAR_SPLAZY]) {
        double worst = 0;
        for (int l = 1; l <= L; l++) {
            double mx = 0, mn = INFINITY;
            for (int w = 0; w < nw; w++)
                mx = fmax(mx, sum[PAR_SPECTRAL][w].dW[l][0]), mn = fmin(mn, sum[PAR_SPECTRAL][w].dW[l][0]);
            worst = fmax(worst, mx / mn);
        }
        int w2 = -1;
        for (int w = 0; w < nw; w++)
            if (P.widths.v[w] >= 2 * nmin) {
                w2 = w;
                break;
            }
        // The SP-lazy bound is twice the theory ratio (n_max / 2 n_min)^{-1/2}: 0.5 at the default
        // widths (64..2048, theory 0.25); at --quick (64..512) the
        // theory ratio is itself 0.5, so a fixed 0.5 would sit on the prediction and the
        // same rule asks only for a decay (< 1).
        double th = w2 >= 0 ? pow((double)P.widths.v[nw - 1] / P.widths.v[w2], -0.5) : NAN;
        double lazy = w2 >= 0 ? sum[PAR_SPLAZY][nw - 1].dW[2][0] / sum[PAR_SPLAZY][w2].dW[2][0] : NAN;
        char what[240], tol[80];
        snprintf(what, sizeof what,
                 "spectral: max_l max_n/min_n of |dW_l|_*/sqrt(n_l/n_{l-1}) (SP-lazy |dW2|_* at n_max / at 2 n_min = "
                 "%.3f, theory %.3f)",
                 lazy, th);
        snprintf(tol, sizeof tol, "<= 1.5; SP-lazy ratio < 2 x theory = %.3g", 2 * th);
        claim_check("spectral.C5", CLAIM_EXPERIMENT, worst <= 1.5 && lazy < 2 * th, what, worst, tol);
    } else claim_skip("spectral.C5", CLAIM_EXPERIMENT, "needs the spectral and SP-lazy runs");
    // spectral.C6: Bai-Yin at initialisation, W_2 (sigma_2 = 1/sqrt n, so the ratio is |W_2(0)|_* / 2)
    {
        int p = ran[PAR_SPECTRAL] ? PAR_SPECTRAL : ran[PAR_SPLAZY] ? PAR_SPLAZY : PAR_SP;  // W_2 is the same in all
        double lo = INFINITY, hi = -INFINITY;
        int m = 0;
        for (int w = 0; w < nw; w++)
            if (P.widths.v[w] >= 256) {
                // mean over ALL replicates: W(0) does not depend on training
                double acc = 0;
                for (int r = 0; r < S; r++) acc += runs[((size_t)p * nw + w) * S + r].W0[2];
                double v = acc / S / 2.0;
                lo = fmin(lo, v), hi = fmax(hi, v), m++;
            }
        if (m) {
            char what[160];
            snprintf(what, sizeof what, "min over n >= 256 of mean |W2(0)|_*/(2 sigma_2 sqrt n) (max %.4f)", hi);
            claim_check("spectral.C6", CLAIM_EXPERIMENT, lo >= 0.95 && hi <= 1.02, what, lo, "[0.95, 1.02]");
        } else claim_skip("spectral.C6", CLAIM_EXPERIMENT, "no width n >= 256");
    }
    // The 1 x n readout under the recipe against E chi_n / sqrt n (printed; the figure's panel d)
    if (ran[PAR_SPECTRAL]) {
        printf("# readout |W3(0)|_*/sqrt(1/n), spectral recipe: n, mean +- se over replicates, E chi_n/sqrt n\n");
        for (int w = 0; w < nw; w++)
            printf("#   %5ld  %.4f +- %.4f  %.4f\n", P.widths.v[w], sum[PAR_SPECTRAL][w].W0[3][0],
                   sum[PAR_SPECTRAL][w].W0[3][1], baiyin((int)P.widths.v[w], 1));
    }
    // spectral.C7: updates stay nearly rank one after K steps, under the recipe
    if (ran[PAR_SPECTRAL]) {
        double worst = 0, srank = 0;
        for (int w = 0; w < nw; w++) {
            worst = fmax(worst, sum[PAR_SPECTRAL][w].fro2[0]);
            srank = fmax(srank, sum[PAR_SPECTRAL][w].srank_max);
        }
        char what[160];
        snprintf(what, sizeof what,
                 "max_n mean |dW2|_F/|dW2|_* after K = %d steps (bound sqrt K = %.3f; max srank %.3f <= K)", K,
                 sqrt((double)K), srank);
        claim_check("spectral.C7", CLAIM_EXPERIMENT, worst <= 1.5 && srank <= K, what, worst, "<= 1.5");
    } else claim_skip("spectral.C7", CLAIM_EXPERIMENT, "needs the spectral run");

    // spectral.C8: the Frobenius-versus-spectral point.  Under the recipe the hidden matrix moves
    // by Theta(1) in spectral norm relative to its init, while relative to the Frobenius norm the
    // same update vanishes like n^{-1/2}: |dW_2|_F ~ |dW_2|_* = Theta(1) (low rank), but
    // |W_2(0)|_F = sigma_2 n = sqrt n while |W_2(0)|_* = 2.  A Frobenius (or entry-size) rule
    // would call this "no feature learning" at large width; the features do move (spectral.C2).
    if (ran[PAR_SPECTRAL]) {
        double yf[CLI_LIST_MAX], ys[CLI_LIST_MAX];
        for (int w = 0; w < nw; w++)
            yf[w] = sum[PAR_SPECTRAL][w].fro_rel2[0], ys[w] = sum[PAR_SPECTRAL][w].spec_rel2[0];
        double sf = slope_over_widths(yf, nw), ss = slope_over_widths(ys, nw);
        printf("# spectral recipe, W_2: n, |dW2|_F/|W2(0)|_F, |dW2|_*/|W2(0)|_*\n");
        for (int w = 0; w < nw; w++) printf("#   %5ld  %.5f  %.5f\n", P.widths.v[w], yf[w], ys[w]);
        // Tolerance: the spectral slope carries the drift of |dh2| itself (C2's band +-0.2) and the
        // Frobenius slope the same drift around -1/2; +-0.15 is C2's band less the 1 % Bai-Yin
        // approach of |W_2(0)|_* (C6), which enters only the spectral yardstick.
        char what[200];
        snprintf(what, sizeof what,
                 "spectral recipe: slope of |dW2|_F/|W2(0)|_F vs n (theory -1/2; spectral yardstick "
                 "slope %+.3f, theory 0, band +-0.15)",
                 ss);
        claim_check("spectral.C8", CLAIM_EXPERIMENT, sf >= -0.65 && sf <= -0.35 && fabs(ss) <= 0.15, what, sf,
                    "[-0.65, -0.35]");
    } else claim_skip("spectral.C8", CLAIM_EXPERIMENT, "needs the spectral run");
    // spectral.C9: NTP, the paper's lazy foil, loses feature learning like n^{-1/2}
    if (ran[PAR_NTP] && npts[PAR_NTP] >= MIN_FIT_WIDTHS) {
        const double lo = -0.75, hi = C.quick ? -0.20 : -0.30;  // C3's band: the same exponent
        char tol[64];
        snprintf(tol, sizeof tol, "[%g, %g]", lo, hi);
        claim_check("spectral.C9", CLAIM_EXPERIMENT, slope[PAR_NTP] >= lo && slope[PAR_NTP] <= hi,
                    "slope of log median |dh2|/sqrt(n) vs log n, NTP (theory -1/2)", slope[PAR_NTP], tol);
    } else claim_skip("spectral.C9", CLAIM_EXPERIMENT, "needs the NTP run at >= 3 widths");
    // spectral.C10: Adam.  The recipe with Adam's 1/fan-in rates keeps feature change flat; SP
    // with an Adam rate tuned at n_min and held fixed blows it up.
    // SP-Adam's hidden update has |dW_2|_* ~ eta n (a dense sign matrix), slope 1 against the
    // recipe's 0; its feature change grows more slowly than n (the ReLU features saturate as the
    // fit completes), so the claim asks of it only a clear growth, slope >= 0.4.  The band
    // [0.8, 1.2] on the |dW_2|_* slope is C2's +-0.2 around the predicted 1.
    if (ran[PAR_ADAM_SPECTRAL] && ran[PAR_ADAM_SP] && npts[PAR_ADAM_SPECTRAL] >= MIN_FIT_WIDTHS &&
        npts[PAR_ADAM_SP] >= MIN_FIT_WIDTHS) {
        double y[CLI_LIST_MAX];
        for (int w = 0; w < nw; w++) y[w] = sum[PAR_ADAM_SP][w].dW[2][0];
        const double sw = slope_over_widths(y, nw);
        char what[240], tol[100];
        snprintf(what, sizeof what,
                 "slope of the medians, Adam with the recipe (SP-Adam: |dh2| slope %+.3f, "
                 "|dW2|_* slope %+.3f, theory +1; diverged %d of %d at n_max)",
                 slope[PAR_ADAM_SP], sw, sum[PAR_ADAM_SP][nw - 1].div, S);
        snprintf(tol, sizeof tol, "[%g, %g]; SP-Adam |dW2|_* slope in [0.8, 1.2], |dh2| slope >= 0.4", c2lo, c2hi);
        claim_check("spectral.C10", CLAIM_EXPERIMENT,
                    slope[PAR_ADAM_SPECTRAL] >= c2lo && slope[PAR_ADAM_SPECTRAL] <= c2hi && sw >= 0.8 && sw <= 1.2 &&
                        slope[PAR_ADAM_SP] >= 0.4,
                    what, slope[PAR_ADAM_SPECTRAL], tol);
    } else claim_skip("spectral.C10", CLAIM_EXPERIMENT, "needs both Adam runs");

    write_tables(ran, sum, runs, nw, S, slope, icpt, npts);
    if (P.long_steps > 0 && !strcmp(P.param, "all")) part_long_run();
    else claim_skip("spectral.C11", CLAIM_EXPERIMENT, "the longer run is off (--long-steps 0) or --param is not all");
    for (int r = 0; r < S; r++) free(D[r].X), free(D[r].Y), free(D[r].xp);
    free(D), free(runs);
    progress_done("done in %.1f s", util_now() - t0);
    claim_summary(C.slug);
    return 0;
}
