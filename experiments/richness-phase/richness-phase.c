// richness-phase: the richness-learning-rate phase diagram of online SGD.
//
// Paper: Alexander Atanasov, Alexandru Meterez, James B. Simon, Cengiz Pehlevan, "The Optimization
// Landscape of SGD Across the Feature Learning Strength", arXiv 2410.04642 (ICLR 2025).  Official
// code: Pehlevan-Group/Richness_Sweep (PyTorch).  Reproduced at laptop scale: the gamma-eta phase
// portrait, the eta* scaling laws, and the ultra-rich loss curves.
//
// Claim in one sentence: dividing a muP network's output by a richness gamma, the optimal
// learning rate scales as eta* ~ gamma^2 in the lazy regime (gamma << 1) and as
// eta* ~ gamma^(2/L) in the ultra-rich regime (gamma >> 1), which a scalar deep-linear chain
// gives exactly; ultra-rich networks plateau, then drop, along one trajectory up to a shift of
// time, and end no worse.
//
// Algorithm:
//   1. Toy: the scalar chain f = (prod w_l - prod w_l(0))/gamma fitted to 1 by GD;
//      its largest stable step eta_max by a downward grid scan and bisection in log eta, against
//      the closed form (T1) eta_max = 2 gamma^2 / (L (1+gamma)^(2(L-1)/L)) (richness.C1) and its
//      asymptotic slopes 2 and 2/L (richness.C2).
//   2. Phase diagram: a centred muP ReLU MLP, readout 1/(N gamma), trained by
//      online SGD at raw rate N eta, for every (gamma, eta) of a grid from the same initial
//      weights and the same sample stream; final test loss or "diverged".  eta*(gamma) = the
//      argmin refined by a parabola; slopes on the lazy side (richness.C3) and on the ultra-rich
//      side against (T1)'s slope over the same gammas (richness.C4a); stability edge
//      eta_edge(gamma) (richness.C7).
//   3. Ultra-rich curves: SGD at lr = N eta_0 gamma^(2/L) for gamma = 1, 10, 100; the
//      escape time t_esc (test loss < L0/2); plateau and ordering (richness.C5); collapse of the
//      curves under the shift t - t_esc (richness.C6); final losses (richness.C7).
//   4. Depths: the ultra-rich side (gamma = 1..100) at two more depths (default L = 2, 4) with
//      T = 8000 steps: the eta* slopes differ by more than their errors and follow (T1)
//      (richness.C4b), and runs half a decade below eta* have left the plateau (richness.C4c).
//   5. Sharpness: in the phase-diagram run, the top Hessian eigenvalue of the test loss at init
//      and at the end of the best cell of every gamma; its slopes against gamma: -2 on the lazy
//      side, (T1)'s on the ultra-rich side (richness.C8).
//
// Writes (figures/data/richness-phase/): toy.tsv, toy_theory.tsv, grid.tsv, etastar.tsv,
// curves.tsv, collapse.tsv, depths.tsv, depths_grid.tsv, sharpness.tsv (and a second figure,
// richness-phase-sharpness.png).
//
// Run:  build/richness-phase                         (all four parts; ~45 s CPU on one core)
//       build/richness-phase --quick                 (~0.4 s CPU)
//       build/richness-phase --parts toy --toy-depths 2,5 --init-noise 0.05
//       build/richness-phase --parts depths --cmp-depths 2,3,5 --cmp-steps 8000
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "cli.h"
#include "fit.h"
#include "nn.h"
#include "opt.h"
#include "progress.h"
#include "rng.h"
#include "steps.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// Legend: L depth (number of weight matrices, for the chain the number of scalar factors), N
// width, d input dimension, B batch, T steps, gamma richness, eta the paper's learning rate (the
// raw SGD rate is N eta), L0 the initial test loss, t_esc the escape time (steps), eta_max the
// toy's largest stable step, eta* the loss-optimal eta, eta_edge the stability edge of the grid.
#define MAXL 16
#define TOY_CONV_TOL 1e-6  // |r| below this ...
#define TOY_CONV_RUN 100   // ... for this many consecutive steps = converged
#define TOY_DIV 1e6        // |r| above this (or non-finite) = diverged
#define MLP_DIV 1e8        // a batch residual above this (or non-finite) = diverged
#define EDGE_FRAC 0.999    // eta_edge: final loss below EDGE_FRAC L0 (dead nets sit at L0 exactly)
#define ESC_FRAC 0.5       // escape: test loss below ESC_FRAC L0
#define SHIFT_LO (-300.0)  // collapse window of shifts Delta (steps), richness.C6
#define SHIFT_HI 1500.0
#define STREAM_DATA 0      // training samples
#define STREAM_INIT 1      // initial weights
#define STREAM_TOYNOISE 5  // the toy's perturbed initialisation
#define STREAM_TEST 4      // the fixed test set (its own stream)

struct params {
    const char *parts;  // comma list of toy, grid, curves
    // (A) toy
    cli_ilist toy_depths;
    cli_dlist toy_gammas;
    int toy_ppd;
    long toy_steps;
    int toy_bisect;
    double init_noise;
    // (B) MLP grid
    int depth, width, batch, din, n_test;
    long steps;
    cli_dlist gammas, etas;
    int seeds;
    // (C) ultra-rich curves
    cli_dlist ur_gammas;
    int ur_width;
    long ur_steps;
    double ur_eta0;
    int ur_log_every;
    // (D) eta* against depth on the ultra-rich side
    cli_ilist cmp_depths;
    long cmp_steps;
};
// Defaults (gamma and eta grids filled in main: 10^(j/2) and 10^(k/4)).
static struct params P = {
    .parts = "toy,grid,curves,depths",
    .toy_depths = {3, {2, 3, 4}},
    .toy_ppd = 20,
    .toy_steps = 100000,
    .toy_bisect = 20,
    .init_noise = 0,
    .depth = 3,
    .width = 64,
    .batch = 16,
    .din = 16,
    .n_test = 1000,
    .steps = 1000,
    .seeds = 1,
    .ur_gammas = {3, {1, 10, 100}},
    .ur_width = 128,
    .ur_steps = 4000,
    .ur_eta0 = 0.05,
    .ur_log_every = 50,
    .cmp_depths = {2, {2, 4}},
    .cmp_steps = 8000,
};

static cli_opt opts[] = {
    {"parts", CLI_STRING, &P.parts, 0, 0,
     "comma list of toy, grid, curves, depths, sharpness (sharpness runs inside grid)", 0, 0},
    {"toy-depths", CLI_ILIST, &P.toy_depths, 2, MAXL, "toy: chain depths L", 0, 0},
    {"toy-gammas", CLI_DLIST, &P.toy_gammas, 1e-6, 1e6, "toy: gamma values", 0, 0},
    {"toy-ppd", CLI_INT, &P.toy_ppd, 1, 1000, "toy: eta grid points per decade", 0, 0},
    {"toy-steps", CLI_LONG, &P.toy_steps, 100, 1e9, "toy: max GD steps T per run", 0, 0},
    {"toy-bisect", CLI_INT, &P.toy_bisect, 0, 60, "toy: bisection steps in log eta", 0, 0},
    {"init-noise", CLI_DOUBLE, &P.init_noise, 0, 0.5, "toy: w_l(0) = 1 + eps xi_l (0 = balanced)", 0, 0},
    {"depth", CLI_INT, &P.depth, 2, MAXL, "MLP depth L (weight matrices)", 0, 0},
    {"width", CLI_INT, &P.width, 1, 4096, "MLP width N (phase diagram)", 0, 0},
    {"batch", CLI_INT, &P.batch, 1, 4096, "online SGD batch B", 0, 0},
    {"din", CLI_INT, &P.din, 2, 4096, "input dimension d", 0, 0},
    {"n-test", CLI_INT, &P.n_test, 10, 1000000, "test-set size", 0, 0},
    {"steps", CLI_LONG, &P.steps, 1, 1e8, "SGD steps T per phase-diagram cell", 0, 0},
    {"gammas", CLI_DLIST, &P.gammas, 1e-6, 1e6, "phase diagram: gamma grid", 0, 0},
    {"etas", CLI_DLIST, &P.etas, 1e-12, 1e6, "phase diagram: eta grid (ascending)", 0, 0},
    {"seeds", CLI_INT, &P.seeds, 1, 100, "phase diagram: seeds (--seed .. --seed + S - 1)", 0, 0},
    {"ur-gammas", CLI_DLIST, &P.ur_gammas, 1e-6, 1e6, "ultra-rich curves: gammas", 0, 0},
    {"ur-width", CLI_INT, &P.ur_width, 1, 4096, "ultra-rich curves: width N", 0, 0},
    {"ur-steps", CLI_LONG, &P.ur_steps, 1, 1e8, "ultra-rich curves: SGD steps T", 0, 0},
    {"ur-eta0", CLI_DOUBLE, &P.ur_eta0, 1e-8, 100, "ultra-rich curves: lr = N eta0 gamma^(2/L)", 0, 0},
    {"ur-log-every", CLI_INT, &P.ur_log_every, 1, 1000000, "ultra-rich curves: test-loss interval (steps)", 0, 0},
    {"cmp-depths", CLI_ILIST, &P.cmp_depths, 2, MAXL, "depth comparison: depths L (ultra-rich eta*)", 0, 0},
    {"cmp-steps", CLI_LONG, &P.cmp_steps, 1, 1e8, "depth comparison: SGD steps T per cell", 0, 0},
    {0}};

static cli C = {.slug = "richness-phase",
                .summary =
                    "Richness-learning-rate phase diagram of online SGD on a centred muP MLP, the "
                    "eta* ~ gamma^2 (lazy) and gamma^(2/L) (ultra-rich) laws with the scalar deep-chain toy, "
                    "and ultra-rich plateaus collapsing under a time shift (Atanasov, Meterez, Simon, "
                    "Pehlevan, arXiv 2410.04642).",
                .claims = "richness.C1-C8",
                .opts = opts};

static int run_toy, run_grid, run_curves, run_depths, run_sharp;

static void parse_parts(void) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", P.parts);
    char *save, *tok = strtok_r(buf, ",", &save);
    for (; tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "toy")) run_toy = 1;
        else if (!strcmp(tok, "grid")) run_grid = 1;
        else if (!strcmp(tok, "curves")) run_curves = 1;
        else if (!strcmp(tok, "depths")) run_depths = 1;
        else if (!strcmp(tok, "sharpness")) run_sharp = run_grid = 1;  // measured inside the grid part
        else cli_usage_error(&C, "--parts: unknown part '%s' (expected toy, grid, curves, depths, sharpness)", tok);
    }
    if (!run_toy && !run_grid && !run_curves && !run_depths) cli_usage_error(&C, "--parts names no part");
}

// ---- theory ----
//
// **Toy: the scalar deep-linear chain** (our reconstruction).  Scalars $w_1..w_L$,
// $P(w)=\prod_l w_l$, output $f=(P(w)-P(w(0)))/\gamma$, target 1, loss $\frac12(f-1)^2$,
// residual $r=f-1$; GD $w_l \leftarrow w_l - \eta\, r\,(P/w_l)/\gamma$.  From the balanced start
// $w_l(0)=1$ the dynamics stays balanced and ends at $w_*^L = 1+\gamma$.  There the Hessian is
// $JJ^T$ with $J_l=(P/w_l)/\gamma$, rank one, of sharpness
// $S_* = L(1+\gamma)^{2(L-1)/L}/\gamma^2$, and GD is linearly stable iff $\eta S_* < 2$:
// $$\eta_{max}(\gamma) = \frac{2\gamma^2}{L\,(1+\gamma)^{2(L-1)/L}} \qquad (T1)$$
// Lazy limit $\gamma\ll1$: $2\gamma^2/L$ (slope 2); ultra-rich $\gamma\gg1$: $2\gamma^{2/L}/L$
// (slope $2/L$): to output order one through $1/\gamma$ each factor grows to $\gamma^{1/L}$.
static double eta_max_T1(int L, double gamma) { return 2 * gamma * gamma / (L * pow(1 + gamma, 2.0 * (L - 1) / L)); }

// **Unbalanced starts** (`--init-noise`).  Gradient flow conserves $w_l^2 - w_k^2$, so from any
// positive start it ends at $w_l^2 = w_l(0)^2 + c$ with $c$ fixed by
// $\prod_l w_l = P(w(0)) + \gamma$; the sharpness there gives the flow-minimum bound
// $\eta_{flow} = 2/S(w_*)$, equal to (T1) for the balanced start.  (Our addition: it is the
// right reference when the start is not balanced; GD near the edge may still
// end elsewhere than the flow.)
static double eta_max_flow(int L, double gamma, const double *w0) {
    double P0 = 1, m = INFINITY;
    for (int l = 0; l < L; l++) P0 *= w0[l], m = fmin(m, w0[l] * w0[l]);
    double lo = -m, hi = 1;
    for (;;) {  // bracket: prod sqrt(w0^2 + c) is increasing in c
        double p = 1;
        for (int l = 0; l < L; l++) p *= sqrt(w0[l] * w0[l] + hi);
        if (p > P0 + gamma) break;
        hi *= 2;
    }
    for (int it = 0; it < 200; it++) {
        double c = 0.5 * (lo + hi), p = 1;
        for (int l = 0; l < L; l++) p *= sqrt(w0[l] * w0[l] + c);
        if (p > P0 + gamma) hi = c;
        else lo = c;
    }
    double c = 0.5 * (lo + hi), w[MAXL], Sh = 0;
    for (int l = 0; l < L; l++) w[l] = sqrt(w0[l] * w0[l] + c);
    for (int l = 0; l < L; l++) {
        double others = 1;
        for (int k = 0; k < L; k++)
            if (k != l) others *= w[k];
        Sh += others * others / (gamma * gamma);
    }
    return 2 / Sh;
}

// ---- experiment: the toy chain ----
//
// One GD run at step eta: converged when |r| < 1e-6 for 100 consecutive steps within T (a one-step
// test is fooled by the chaotic map above eta_max), diverged when |r| > 1e6 or r is not
// finite.  The gradient of factor l uses the product of the OTHER factors (no division by w_l).
enum { TOY_UNDECIDED = 0, TOY_CONVERGED, TOY_DIVERGED };

static int toy_run(int L, double gamma, double eta, const double *w0, long T) {
    double w[MAXL], g[MAXL], P0 = 1;
    for (int l = 0; l < L; l++) w[l] = w0[l], P0 *= w0[l];
    int run = 0;
    for (long t = 0; t < T; t++) {
        double Pw = 1;
        for (int l = 0; l < L; l++) Pw *= w[l];
        double r = (Pw - P0) / gamma - 1;
        if (!isfinite(r) || fabs(r) > TOY_DIV) return TOY_DIVERGED;
        if (fabs(r) < TOY_CONV_TOL) {
            if (++run >= TOY_CONV_RUN) return TOY_CONVERGED;
        } else {
            run = 0;
        }
        for (int l = 0; l < L; l++) {
            double others = 1;
            for (int k = 0; k < L; k++)
                if (k != l) others *= w[k];
            g[l] = r * others / gamma;
        }
        for (int l = 0; l < L; l++) w[l] -= eta * g[l];
    }
    return TOY_UNDECIDED;
}

// eta_max by the downward grid scan (from one decade above (T1), rounded up to the grid) and
// bisection in log eta.  Returns the largest step known to converge; *grid gets the
// first convergent grid point.
static double toy_eta_max(int L, double gamma, const double *w0, double *grid) {
    const double ppd = P.toy_ppd;
    long k = (long)ceil(ppd * log10(10 * eta_max_T1(L, gamma)));
    double lo = NAN, hi = NAN;
    for (long j = 0; j < 100 * P.toy_ppd; j++, k--) {  // at most 100 decades below the start
        double eta = pow(10.0, k / ppd);
        if (toy_run(L, gamma, eta, w0, P.toy_steps) == TOY_CONVERGED) {
            lo = eta, hi = pow(10.0, (k + 1) / ppd);
            break;
        }
    }
    *grid = lo;
    if (isnan(lo)) return NAN;
    for (int b = 0; b < P.toy_bisect; b++) {
        double mid = sqrt(lo * hi);
        if (toy_run(L, gamma, mid, w0, P.toy_steps) == TOY_CONVERGED) lo = mid;
        else hi = mid;
    }
    return lo;
}

// ---- experiment: the centred muP MLP ----
//
// every weight entry N(0,1); $h_1=\mathrm{relu}(W_1x/\sqrt d)$,
// $h_l=\mathrm{relu}(W_lh_{l-1}/\sqrt N)$, $f_{raw}=a\cdot h_{L-1}/(N\gamma)$: common/nn's layer
// multipliers $c_1=1/\sqrt d$, $c_l=1/\sqrt N$, $c_L=1/(N\gamma)$ on N(0,1) weights.  The output is
// centred, $f=f_{raw}(\theta)-f_{raw}(\theta_0)$, so it is exactly 0 at init for every gamma.
// Loss on a batch $L_B=\frac1B\sum_i\frac12(f(x_i)-y_i)^2$; SGD with raw rate $N\eta$ (muP's
// learning-rate scaling; eta is the paper's rate).
//
// Data: $x\sim N(0,I_d)$, teacher $y = x_1 + (x_2^2-1)/\sqrt2$, $E[y^2]=2$, so the
// population initial loss is 1.  Online: fresh samples every step.  Common random numbers: the
// sample stream and the initial weights are the same in every cell of the phase diagram, so the
// B T samples and $f_{raw}(\theta_0)$ on them are computed once per (seed, gamma) and reused.
static void teacher(gsl_rng *r, int n, int d, double *X, double *Y) {
    for (int i = 0; i < n; i++) {
        double *x = X + (size_t)i * d;
        rng_normal_vec(r, (size_t)d, x);
        Y[i] = x[0] + (x[1] * x[1] - 1) / sqrt(2.0);
    }
}

typedef struct {
    int L, N, d, B, n_test;
    long T;
    double *X, *Y;      // (B T, d), (B T): the training stream, batch t = rows [t B, (t+1) B)
    double *Xte, *Yte;  // (n_test, d), (n_test)
    double *theta0;     // (nparams) initial weights
    double *f0, *f0te;  // f_raw(theta_0) on the stream and on the test set (current gamma)
    double L0;          // initial test loss = mean y^2 / 2 (f = 0 at init)
    nn *net;            // max_batch = max(B, n_test)
} mlp_setup;

static void mlp_set_gamma(mlp_setup *S, double gamma) {
    nn *net = S->net;
    nn_set_mult(net, 1, 1 / sqrt((double)S->d));
    for (int l = 2; l < S->L; l++) nn_set_mult(net, l, 1 / sqrt((double)S->N));
    nn_set_mult(net, S->L, 1 / (S->N * gamma));
    memcpy(net->theta, S->theta0, net->nparams * sizeof *net->theta);
    nn_predict(net, (int)(S->B * S->T), S->X, S->f0);
    nn_predict(net, S->n_test, S->Xte, S->f0te);
}

static mlp_setup mlp_alloc(unsigned long seed, int L, int N, int d, int B, long T, int n_test) {
    mlp_setup S = {.L = L, .N = N, .d = d, .B = B, .T = T, .n_test = n_test};
    int n[MAXL + 1];
    n[0] = d;
    for (int l = 1; l < L; l++) n[l] = N;
    n[L] = 1;
    S.net = nn_alloc(L, n, NN_RELU, 0, B > n_test ? B : n_test);
    if (!S.net) DIE("could not allocate the depth-%d, width-%d MLP", L, N);
    const size_t m = (size_t)B * T;
    S.X = XNEW(double, m *d), S.Y = XNEW(double, m), S.f0 = XNEW(double, m);
    S.Xte = XNEW(double, (size_t)n_test *d), S.Yte = XNEW(double, n_test), S.f0te = XNEW(double, n_test);
    S.theta0 = XNEW(double, S.net->nparams);
    gsl_rng *r = rng_alloc(seed, STREAM_DATA);
    teacher(r, (int)m, d, S.X, S.Y);
    rng_free(r);
    r = rng_alloc(seed, STREAM_TEST);
    teacher(r, n_test, d, S.Xte, S.Yte);
    rng_free(r);
    r = rng_alloc(seed, STREAM_INIT);
    rng_normal_vec(r, S.net->nparams, S.theta0);
    rng_free(r);
    double s = 0;
    for (int i = 0; i < n_test; i++) s += S.Yte[i] * S.Yte[i];
    S.L0 = s / (2.0 * n_test);
    return S;
}

static void mlp_free(mlp_setup *S) {
    nn_free(S->net);
    free(S->X), free(S->Y), free(S->f0), free(S->Xte), free(S->Yte), free(S->f0te), free(S->theta0);
}

// Test loss of the current weights: mean over the test set of (f_raw - f_raw(theta_0) - y)^2 / 2.
static double test_loss(mlp_setup *S) {
    const double *F = nn_forward(S->net, S->n_test, S->Xte);
    double s = 0;
    for (int i = 0; i < S->n_test; i++) {
        double e = F[i] - S->f0te[i] - S->Yte[i];
        s += e * e;
    }
    return s / (2.0 * S->n_test);
}

// Online SGD from theta_0 at raw rate lr for T steps (gamma already set).  Every log_every steps
// (if log is non-NULL) the test loss goes to log[t / log_every].  Returns the final test loss, or
// NAN if a batch residual went non-finite or above 1e8; *div_step gets that step.
static double mlp_train(mlp_setup *S, double lr, long T, int log_every, double *log, long *div_step) {
    nn *net = S->net;
    const int B = S->B;
    memcpy(net->theta, S->theta0, net->nparams * sizeof *net->theta);
    *div_step = -1;
    for (long t = 0; t <= T; t++) {
        if (log && t % log_every == 0) log[t / log_every] = test_loss(S);
        if (t == T) break;
        const double *X = S->X + (size_t)t * B * S->d, *Y = S->Y + (size_t)t * B, *f0 = S->f0 + (size_t)t * B;
        const double *F = nn_forward(net, B, X);
        for (int i = 0; i < B; i++) {
            double r = F[i] - f0[i] - Y[i];  // residual of the centred output
            if (!(fabs(r) <= MLP_DIV)) {
                *div_step = t;
                return NAN;
            }
            net->dout[i] = r / B;  // dL_B/df for L_B = (1/B) sum (f - y)^2 / 2
        }
        nn_backward(net, net->dout, NULL, 0);
        opt_gd_step(net->nparams, net->theta, net->grad, lr);
    }
    double Lte = test_loss(S);
    if (!isfinite(Lte)) *div_step = T;
    return isfinite(Lte) ? Lte : NAN;
}

// ---- measurement ----
//
// Least-squares slope of log y against log x over the points with x in [lo, hi] (common/fit's
// fit_loglog: 1e-9 relative slack at the ends, finite positive values only); NAN if fewer than
// 2 points.  The slope of a power law is the same in any logarithm base.
static double slope_in(int n, const double *x, const double *y, double lo, double hi, int *npts) {
    fit_line_t f;
    int rc = fit_loglog(x, y, n, lo, hi, &f);
    if (npts) *npts = rc == 0 ? f.npts : 0;
    return rc == 0 ? f.slope : NAN;
}

// The same fit with its standard error (GSL's cov11 from the residual scatter); NAN with fewer
// than 3 points.
static double slope_se_in(int n, const double *x, const double *y, double lo, double hi, double *se) {
    fit_line_t f;
    *se = NAN;
    if (fit_loglog(x, y, n, lo, hi, &f) != 0 || f.npts < 3) return NAN;
    *se = f.slope_se;
    return f.slope;
}

// The (T1) law's own slope over the same gammas: the ultra-rich exponent 2/L is reached only
// as gamma -> inf; fitted over gamma = 10^(j/2), j = 0..4, (T1) gives 1.140, 0.853, 0.710 for
// L = 2, 3, 4.
static double t1_slope(int L, int n, const double *gammas, double lo, double hi) {
    double e[CLI_LIST_MAX];
    for (int i = 0; i < n; i++) e[i] = eta_max_T1(L, gammas[i]);
    return slope_in(n, gammas, e, lo, hi, NULL);
}

// Tolerance of the ultra-rich slope against (T1)'s slope over [1, 100]: eta* scatters about
// +-0.1 decade around a line (half the quarter-decade grid step, after the parabola), so a slope
// fitted to five half-decade gammas has a standard error near 0.1/sqrt(2.5) = 0.06; 0.15 is
// 2.5 of those.
#define UR_SLOPE_TOL 0.15
#define UR_LO 1.0
#define UR_HI 100.0

// eta*: the argmin over the eta grid of the (seed-averaged) log10 loss, refined by the vertex of
// the parabola through the argmin and its two neighbours in (log10 eta, log10 loss); the grid
// point is kept when the argmin is at an edge, a neighbour diverged, or the curvature is not
// positive.
static double eta_star(int ne, const double *eta, const double *logloss, int *argmin, double *minloss) {
    int a = -1;
    for (int k = 0; k < ne; k++)
        if (isfinite(logloss[k]) && (a < 0 || logloss[k] < logloss[a])) a = k;
    *argmin = a;
    if (a < 0) return *minloss = NAN, NAN;
    *minloss = pow(10.0, logloss[a]);
    if (a == 0 || a == ne - 1 || !isfinite(logloss[a - 1]) || !isfinite(logloss[a + 1])) return eta[a];
    double x0 = log10(eta[a - 1]), x1 = log10(eta[a]), x2 = log10(eta[a + 1]);
    double y0 = logloss[a - 1], y1 = logloss[a], y2 = logloss[a + 1];
    // parabola through three points: vertex from the divided differences
    double d01 = (y1 - y0) / (x1 - x0), d12 = (y2 - y1) / (x2 - x1), c2 = (d12 - d01) / (x2 - x0);
    if (!(c2 > 0)) return eta[a];
    double xv = 0.5 * (x0 + x1) - d01 / (2 * c2);
    return pow(10.0, xv);
}

// Linear interpolation of a series logged every `every` steps (n points from step 0) at time t.
static double interp(const double *y, int n, double every, double t) {
    double u = t / every;
    if (!(u >= 0) || u > n - 1) return NAN;
    int i = (int)floor(u);
    if (i >= n - 1) return y[n - 1];
    return y[i] + (u - i) * (y[i + 1] - y[i]);
}

// **Sharpness** (the paper's mechanism: the Hessian scale moves from $\gamma^{-2}$ in the lazy
// regime to $\gamma^{-2/L}$ in the ultra-rich one).  The top eigenvalue $\lambda_{max}$ of the
// Hessian of the test loss $\frac1{2n}\sum_i (f(x_i)-y_i)^2$ over the first HESS_N test points, by
// power iteration (common/opt's opt_power_top) on Hessian-vector products from central
// differences of gradients, $Hv \approx (\nabla L(\theta+\epsilon v) - \nabla L(\theta-\epsilon v))/(2\epsilon)$
// with $\epsilon = $ HESS_EPS $|\theta|$ (|v| = 1): the truncation error is $O(\epsilon^2)$ relative,
// the rounding error $O(10^{-16}/10^{-6})$ relative: both far below the tolerances.  We report it in
// the units of the paper's rate, $S = N\lambda_{max}$ (the raw SGD rate is $N\eta$, so GD on the
// test loss is stable iff $\eta S < 2$); the toy's counterpart is $S_* = 2/\eta_{max}$ of (T1):
// $L(1+\gamma)^{2(L-1)/L}/\gamma^2$.
#define HESS_N 256
#define HESS_EPS 1e-6
#define HESS_ITERS 200
#define HESS_TOL 1e-6

typedef struct {
    mlp_setup *S;
    double *theta, *gp, *gm, eps;  // theta: the point; gp, gm: gradient workspaces (nparams)
} hess_ctx;

// The gradient of the test loss on the first HESS_N test points at the net's current weights.
static void test_grad(mlp_setup *S, double *g) {
    nn *net = S->net;
    const int n = S->n_test < HESS_N ? S->n_test : HESS_N;
    const double *F = nn_forward(net, n, S->Xte);
    for (int i = 0; i < n; i++) net->dout[i] = (F[i] - S->f0te[i] - S->Yte[i]) / n;
    nn_backward(net, net->dout, NULL, 0);
    memcpy(g, net->grad, net->nparams * sizeof *g);
}

static void hess_matvec(void *ctx, const double *v, double *y) {
    hess_ctx *h = ctx;
    nn *net = h->S->net;
    const size_t np = net->nparams;
    for (size_t i = 0; i < np; i++) net->theta[i] = h->theta[i] + h->eps * v[i];
    test_grad(h->S, h->gp);
    for (size_t i = 0; i < np; i++) net->theta[i] = h->theta[i] - h->eps * v[i];
    test_grad(h->S, h->gm);
    for (size_t i = 0; i < np; i++) y[i] = (h->gp[i] - h->gm[i]) / (2 * h->eps);
    memcpy(net->theta, h->theta, np * sizeof *net->theta);
}

// The largest (algebraic) Hessian eigenvalue at the net's current weights: the eigenvalue of
// largest modulus, and if that is negative, a second iteration shifted by it.
static double top_hessian_eig(mlp_setup *S) {
    nn *net = S->net;
    const size_t np = net->nparams;
    hess_ctx h = {S, XNEW(double, np), XNEW(double, np), XNEW(double, np), 0};
    memcpy(h.theta, net->theta, np * sizeof *h.theta);
    h.eps = HESS_EPS * cblas_dnrm2((int)np, h.theta, 1);
    double lam;
    opt_power_top(np, hess_matvec, &h, 0.0, NULL, HESS_ITERS, HESS_TOL, &lam, NULL);
    if (lam < 0) opt_power_top(np, hess_matvec, &h, lam, NULL, HESS_ITERS, HESS_TOL, &lam, NULL);
    free(h.theta), free(h.gp), free(h.gm);
    return lam;
}

// ---- output and claims, part by part ----
// The parts, one chapter each, in the order main runs them.
#include "01-toy.c"
#include "02-grid.c"
#include "03-curves.c"
#include "04-depths.c"
#include "05-sharpness.c"

// ---- main ----
int main(int argc, char **argv) {
    cli_parse(&C, argc, argv);
    // default grids: toy gamma = 10^(j/2), j = -6..6; MLP gamma = 10^(j/2), j = -4..4;
    // eta = 10^(k/4), k = -20..8
    if (!cli_given(&C, "toy-gammas")) {
        P.toy_gammas.n = 13;
        for (int j = -6; j <= 6; j++) P.toy_gammas.v[j + 6] = pow(10.0, j / 2.0);
    }
    if (!cli_given(&C, "gammas")) {
        P.gammas.n = 9;
        for (int j = -4; j <= 4; j++) P.gammas.v[j + 4] = pow(10.0, j / 2.0);
    }
    if (!cli_given(&C, "etas")) {
        P.etas.n = 29;
        for (int k = -20; k <= 8; k++) P.etas.v[k + 20] = pow(10.0, k / 4.0);
    }
    if (C.quick) {  // , for every flag the user did not type
        if (!cli_given(&C, "toy-depths")) P.toy_depths = (cli_ilist){2, {2, 3}};
        if (!cli_given(&C, "toy-gammas")) {
            const double g[6] = {1e-2, pow(10, -1.5), 1e-1, 10, pow(10, 1.5), 1e2};
            P.toy_gammas.n = 6;
            memcpy(P.toy_gammas.v, g, sizeof g);
        }
        if (!cli_given(&C, "toy-ppd")) P.toy_ppd = 10;
        if (!cli_given(&C, "toy-steps")) P.toy_steps = 20000;
        if (!cli_given(&C, "toy-bisect")) P.toy_bisect = 10;
        if (!cli_given(&C, "gammas")) P.gammas = (cli_dlist){3, {0.01, 1, 100}};
        if (!cli_given(&C, "etas")) {
            P.etas.n = 17;
            for (int k = -10; k <= 6; k++) P.etas.v[k + 10] = pow(10.0, k / 2.0);
        }
        if (!cli_given(&C, "width")) P.width = 16;
        if (!cli_given(&C, "steps")) P.steps = 200;
        if (!cli_given(&C, "ur-width")) P.ur_width = 32;
        if (!cli_given(&C, "ur-steps")) P.ur_steps = 1600;
        if (!cli_given(&C, "ur-log-every")) P.ur_log_every = 100;
    }
    if (cli_given(&C, "parts")) {
        parse_parts();
    } else {  // part flags select their parts; otherwise all three
        const char *toyf[] = {"toy-depths", "toy-gammas", "toy-ppd", "toy-steps", "toy-bisect", "init-noise"};
        const char *gridf[] = {"width", "steps", "gammas", "etas", "seeds"};
        const char *urf[] = {"ur-gammas", "ur-width", "ur-steps", "ur-eta0", "ur-log-every"};
        const char *cmpf[] = {"cmp-depths", "cmp-steps"};
        for (size_t i = 0; i < sizeof cmpf / sizeof *cmpf; i++) run_depths |= cli_given(&C, cmpf[i]);
        for (size_t i = 0; i < sizeof toyf / sizeof *toyf; i++) run_toy |= cli_given(&C, toyf[i]);
        for (size_t i = 0; i < sizeof gridf / sizeof *gridf; i++) run_grid |= cli_given(&C, gridf[i]);
        for (size_t i = 0; i < sizeof urf / sizeof *urf; i++) run_curves |= cli_given(&C, urf[i]);
        if (!run_toy && !run_grid && !run_curves && !run_depths)
            run_toy = run_grid = run_curves = run_depths = run_sharp = 1;
    }
    for (int i = 0; i < P.toy_depths.n; i++)
        if (P.toy_depths.v[i] > MAXL) cli_usage_error(&C, "--toy-depths: at most %d", MAXL);
    if (P.ur_steps % P.ur_log_every) cli_usage_error(&C, "--ur-steps must be a multiple of --ur-log-every");
    double t0 = util_now();
    if (run_toy) {
        part_toy();
    } else {
        claim_skip("richness.C1", CLAIM_IDENTITY, "the toy part did not run");
        claim_skip("richness.C2", CLAIM_IDENTITY, "the toy part did not run");
    }
    if (run_grid) {
        part_grid();
    } else {
        claim_skip("richness.C3", CLAIM_EXPERIMENT, "the grid part did not run");
        claim_skip("richness.C4a", CLAIM_EXPERIMENT, "the grid part did not run");
    }
    if (run_curves) {
        part_curves(run_grid);
    } else {
        claim_skip("richness.C5", CLAIM_EXPERIMENT, "the curves part did not run");
        claim_skip("richness.C6", CLAIM_EXPERIMENT, "the curves part did not run");
        claim_skip("richness.C7", CLAIM_EXPERIMENT, "the curves part did not run");
    }
    if (run_depths) {
        part_depths();
    } else {
        claim_skip("richness.C4b", CLAIM_EXPERIMENT, "the depths part did not run");
        claim_skip("richness.C4c", CLAIM_EXPERIMENT, "the depths part did not run");
    }
    if (run_sharp) part_sharpness();
    else claim_skip("richness.C8", CLAIM_EXPERIMENT, "the sharpness part did not run");
    progress_done("done in %.1f s", util_now() - t0);
    claim_summary(C.slug);
    return 0;
}
