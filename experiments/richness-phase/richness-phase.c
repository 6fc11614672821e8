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
//
// Writes (figures/data/richness-phase/): toy.tsv, toy_theory.tsv, grid.tsv, etastar.tsv,
// curves.tsv, collapse.tsv, depths.tsv.
//
// Run:  build/richness-phase                         (all four parts; ~45 s CPU on one core)
//       build/richness-phase --quick                 (~0.4 s CPU)
//       build/richness-phase --parts toy --toy-depths 2,5 --init-noise 0.05
//       build/richness-phase --parts depths --cmp-depths 2,3,5 --cmp-steps 8000
#include <gsl/gsl_fit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
// Legend: L depth (number of weight matrices, for the chain the number of scalar factors), N
// width, d input dimension, B batch, T steps, gamma richness, eta the paper's learning rate (the
// raw SGD rate is N eta), L0 the initial test loss, t_esc the escape time (steps), eta_max the
// toy's largest stable step, eta* the loss-optimal eta, eta_edge the stability edge of the grid.
#define MAXL 16
#define TOY_CONV_TOL 1e-6     // |r| below this ...
#define TOY_CONV_RUN 100      // ... for this many consecutive steps = converged
#define TOY_DIV 1e6           // |r| above this (or non-finite) = diverged
#define MLP_DIV 1e8           // a batch residual above this (or non-finite) = diverged
#define EDGE_FRAC 0.999       // eta_edge: final loss below EDGE_FRAC L0 (dead nets sit at L0 exactly)
#define ESC_FRAC 0.5          // escape: test loss below ESC_FRAC L0
#define SHIFT_LO (-300.0)     // collapse window of shifts Delta (steps), richness.C6
#define SHIFT_HI 1500.0
#define STREAM_DATA 0         // training samples
#define STREAM_INIT 1         // initial weights
#define STREAM_TOYNOISE 5     // the toy's perturbed initialisation
#define STREAM_TEST 4         // the fixed test set (its own stream)

struct params {
    const char *parts;        // comma list of toy, grid, curves
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
    {"parts", CLI_STRING, &P.parts, 0, 0, "comma list of toy, grid, curves, depths", 0, 0},
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
                .summary = "Richness-learning-rate phase diagram of online SGD on a centred muP MLP, the "
                           "eta* ~ gamma^2 (lazy) and gamma^(2/L) (ultra-rich) laws with the scalar deep-chain toy, "
                           "and ultra-rich plateaus collapsing under a time shift (Atanasov, Meterez, Simon, "
                           "Pehlevan, arXiv 2410.04642).",
                .claims = "richness.C1-C7",
                .opts = opts};

static int run_toy, run_grid, run_curves, run_depths;

static void parse_parts(void) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", P.parts);
    char *save, *tok = strtok_r(buf, ",", &save);
    for (; tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "toy")) run_toy = 1;
        else if (!strcmp(tok, "grid")) run_grid = 1;
        else if (!strcmp(tok, "curves")) run_curves = 1;
        else if (!strcmp(tok, "depths")) run_depths = 1;
        else cli_usage_error(&C, "--parts: unknown part '%s' (expected toy, grid, curves, depths)", tok);
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
static double eta_max_T1(int L, double gamma) {
    return 2 * gamma * gamma / (L * pow(1 + gamma, 2.0 * (L - 1) / L));
}

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
    S.X = XNEW(double, m * d), S.Y = XNEW(double, m), S.f0 = XNEW(double, m);
    S.Xte = XNEW(double, (size_t)n_test * d), S.Yte = XNEW(double, n_test), S.f0te = XNEW(double, n_test);
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
// Least-squares slope of log10 y against log10 x over the points with x in [lo, hi] (1e-9
// relative slack at the ends); NAN if fewer than 2 points.
static double slope_in(int n, const double *x, const double *y, double lo, double hi, int *npts) {
    double lx[CLI_LIST_MAX], ly[CLI_LIST_MAX];
    int m = 0;
    for (int i = 0; i < n; i++)
        if (x[i] >= lo * (1 - 1e-9) && x[i] <= hi * (1 + 1e-9) && isfinite(y[i]) && y[i] > 0)
            lx[m] = log10(x[i]), ly[m] = log10(y[i]), m++;
    if (npts) *npts = m;
    if (m < 2) return NAN;
    double c0, c1, c00, c01, c11, ss;
    gsl_fit_linear(lx, 1, ly, 1, (size_t)m, &c0, &c1, &c00, &c01, &c11, &ss);
    return c1;
}

// The same fit with its standard error (GSL's cov11 from the residual scatter), in log10 units.
static double slope_se_in(int n, const double *x, const double *y, double lo, double hi, double *se) {
    double lx[CLI_LIST_MAX], ly[CLI_LIST_MAX];
    int m = 0;
    for (int i = 0; i < n; i++)
        if (x[i] >= lo * (1 - 1e-9) && x[i] <= hi * (1 + 1e-9) && isfinite(y[i]) && y[i] > 0)
            lx[m] = log10(x[i]), ly[m] = log10(y[i]), m++;
    *se = NAN;
    if (m < 3) return NAN;
    double c0, c1, c00, c01, c11, ss;
    gsl_fit_linear(lx, 1, ly, 1, (size_t)m, &c0, &c1, &c00, &c01, &c11, &ss);
    *se = sqrt(c11);
    return c1;
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

// First time the series falls below level (interpolated); NAN if never.
static double crossing(const double *y, int n, double every, double level) {
    for (int i = 1; i < n; i++)
        if (y[i] < level && y[i - 1] >= level) return every * ((i - 1) + (y[i - 1] - level) / (y[i - 1] - y[i]));
    return NAN;
}

// ---- output and claims, part by part ----

static void part_toy(void) {
    const int nL = P.toy_depths.n, ng = P.toy_gammas.n;
    double w0[MAXL];
    gsl_rng *rn = rng_alloc(C.seed, STREAM_TOYNOISE);
    tsv *t = tsv_open(&C, "toy.tsv", "richness.C1 richness.C2");
    tsv_note(t, "scalar chain, GD to target 1; converged: |r| < %g for %d consecutive steps within T = %ld; "
                "diverged: |r| > %g; grid %d per decade, %d bisection steps in log eta",
             TOY_CONV_TOL, TOY_CONV_RUN, P.toy_steps, TOY_DIV, P.toy_ppd, P.toy_bisect);
    tsv_note(t, "init: w_l(0) = 1 + eps xi_l, eps = %g (0: balanced)", P.init_noise);
    tsv_note(t, "eta_flow: 2 / sharpness at the gradient-flow minimum from w(0) (conserved w_l^2 - w_k^2); = (T1) "
                "when balanced");
    tsv_columns(t, "L\tgamma\teta_max\teta_grid\teta_T1\tratio\teta_flow\tratio_flow");
    double worst = 0;
    int c2_ok = 1, c2_any = 0;
    double c2_worst = 0;
    printf("# toy: L, gamma, eta_max (refined), (T1), ratio\n");
    for (int i = 0; i < nL; i++) {
        const int L = (int)P.toy_depths.v[i];
        double em[CLI_LIST_MAX], th[CLI_LIST_MAX];
        for (int j = 0; j < ng; j++) {
            const double gamma = P.toy_gammas.v[j];
            for (int l = 0; l < L; l++) w0[l] = 1 + P.init_noise * rng_normal(rn);
            progress("toy L = %d, gamma = %g", L, gamma);
            double grid;
            em[j] = toy_eta_max(L, gamma, w0, &grid);
            th[j] = eta_max_T1(L, gamma);
            double ratio = em[j] / th[j];
            worst = isfinite(ratio) ? fmax(worst, fabs(ratio - 1)) : INFINITY;
            double ef = eta_max_flow(L, gamma, w0);
            tsv_row(t, "%d\t%.6g\t%.10g\t%.10g\t%.10g\t%.8f\t%.10g\t%.8f", L, gamma, em[j], grid, th[j], ratio, ef,
                    em[j] / ef);
            printf("#   %d  %-10.4g  %.6e  %.6e  %.6f\n", L, gamma, em[j], th[j], ratio);
        }
        // richness.C2: asymptotic slopes, or (quick) slopes of (T1) over the same gammas
        double r_lo[2], r_hi[2], target[2];
        if (!C.quick) {
            r_lo[0] = 1e-3, r_hi[0] = 1e-2, target[0] = 2;
            r_lo[1] = 1e2, r_hi[1] = 1e3, target[1] = 2.0 / L;
        } else {
            r_lo[0] = 1e-2, r_hi[0] = 1e-1;
            r_lo[1] = 10, r_hi[1] = 100;
        }
        for (int s = 0; s < 2; s++) {
            int m;
            double sl = slope_in(ng, P.toy_gammas.v, em, r_lo[s], r_hi[s], &m);
            if (m < 2) continue;
            if (C.quick) target[s] = slope_in(ng, P.toy_gammas.v, th, r_lo[s], r_hi[s], NULL);
            double dev = fabs(sl - target[s]);
            printf("#   L = %d: slope over gamma in [%g, %g] = %.4f (target %.4f)\n", L, r_lo[s], r_hi[s], sl, target[s]);
            c2_any = 1, c2_worst = fmax(c2_worst, dev);
            if (!(dev <= (C.quick ? 0.005 : 0.01))) c2_ok = 0;
        }
    }
    tsv_close(t);
    rng_free(rn);
    // (T1) and its two asymptotes on a fine grid, for the figure
    t = tsv_open(&C, "toy_theory.tsv", "richness.C1 richness.C2");
    tsv_note(t, "(T1) eta_max = 2 gamma^2 / (L (1+gamma)^(2(L-1)/L)); asymptotes 2 gamma^2/L and 2 gamma^(2/L)/L");
    tsv_columns(t, "L\tgamma\teta_T1\tlazy_asymptote\tultrarich_asymptote");
    double glo = P.toy_gammas.v[0], ghi = P.toy_gammas.v[0];
    for (int j = 0; j < ng; j++) glo = fmin(glo, P.toy_gammas.v[j]), ghi = fmax(ghi, P.toy_gammas.v[j]);
    glo /= 2, ghi *= 2;
    for (int i = 0; i < nL; i++) {
        const int L = (int)P.toy_depths.v[i];
        for (int k = 0; k <= 120; k++) {
            double g = glo * pow(ghi / glo, k / 120.0);
            tsv_row(t, "%d\t%.6g\t%.8g\t%.8g\t%.8g", L, g, eta_max_T1(L, g), 2 * g * g / L, 2 * pow(g, 2.0 / L) / L);
        }
    }
    tsv_close(t);
    const double tol1 = C.quick ? 2e-3 : 1e-3;
    char tol[32];
    snprintf(tol, sizeof tol, "%g", tol1);
    claim_check("richness.C1", CLAIM_IDENTITY, worst <= tol1, "max over (L, gamma) of |eta_max/(T1) - 1|", worst, tol);
    if (c2_any)
        claim_check("richness.C2", CLAIM_IDENTITY, c2_ok,
                    C.quick ? "max |slope - slope of (T1)| on gamma in [1e-2,1e-1] and [10,100]"
                            : "max |slope - {2, 2/L}| on gamma in [1e-3,1e-2] and [1e2,1e3]",
                    c2_worst, C.quick ? "0.005" : "0.01");
    else
        claim_skip("richness.C2", CLAIM_IDENTITY, "--toy-gammas has no two points in the fitted ranges");
}

// Phase diagram results, needed by the curves part's claims too.
static double edge_of[CLI_LIST_MAX];

static void part_grid(void) {
    const int ng = P.gammas.n, ne = P.etas.n, S = P.seeds, L = P.depth, N = P.width;
    for (int k = 1; k < ne; k++)
        if (!(P.etas.v[k] > P.etas.v[k - 1])) cli_usage_error(&C, "--etas must be strictly ascending");
    double *loss = XNEW(double, (size_t)S * ng * ne);  // [seed][gamma][eta], NAN = diverged
    double *L0 = XNEW(double, S);
    double t0 = util_now();
    for (int s = 0; s < S; s++) {
        mlp_setup M = mlp_alloc(C.seed + (unsigned long)s, L, N, P.din, P.batch, P.steps, P.n_test);
        L0[s] = M.L0;
        for (int j = 0; j < ng; j++) {
            mlp_set_gamma(&M, P.gammas.v[j]);
            for (int k = 0; k < ne; k++) {
                progress("grid: seed %d, gamma %g, eta %g (%.0f s)", s + 1, P.gammas.v[j], P.etas.v[k],
                         util_now() - t0);
                long ds;
                loss[((size_t)s * ng + j) * ne + k] = mlp_train(&M, N * P.etas.v[k], P.steps, 0, NULL, &ds);
            }
        }
        mlp_free(&M);
    }
    tsv *t = tsv_open(&C, "grid.tsv", "richness.C3 richness.C4 richness.C7");
    tsv_allow_nonfinite(t, 1);  // a diverged cell's loss is nan
    tsv_note(t, "centred muP MLP: L = %d, N = %d, d = %d, B = %d, T = %ld online SGD steps at raw rate N eta; "
                "test set %d points; diverged: a batch residual non-finite or > %g",
             L, N, P.din, P.batch, P.steps, P.n_test, MLP_DIV);
    for (int s = 0; s < S; s++) tsv_note(t, "seed %lu: L0 = %.6f", C.seed + s, L0[s]);
    tsv_columns(t, "gamma\teta\tlog10_gamma\tlog10_eta\tseed\tdiverged\tloss\tloss_over_L0\tlog10_loss_over_L0");
    for (int s = 0; s < S; s++)
        for (int j = 0; j < ng; j++)
            for (int k = 0; k < ne; k++) {
                double l = loss[((size_t)s * ng + j) * ne + k];
                tsv_row(t, "%.6g\t%.6g\t%.4f\t%.4f\t%lu\t%d\t%.8g\t%.8g\t%.6g", P.gammas.v[j], P.etas.v[k],
                        log10(P.gammas.v[j]), log10(P.etas.v[k]), C.seed + s, isnan(l), l, l / L0[s],
                        log10(l / L0[s]));
            }
    tsv_close(t);
    // eta*(gamma) from the seed-averaged log-loss, and the stability edge
    double es[CLI_LIST_MAX], lm[CLI_LIST_MAX];
    t = tsv_open(&C, "etastar.tsv", "richness.C3 richness.C4 richness.C7");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t, "eta_star: argmin of the seed-averaged log10 loss over the eta grid, refined by a parabola; "
                "eta_edge: largest grid eta whose final loss is finite and < %g L0 in every seed", EDGE_FRAC);
    tsv_columns(t, "gamma\teta_star\tlog10_gamma\tlog10_eta_star\teta_argmin\tmin_loss_over_L0\teta_edge\tlog10_eta_edge");
    printf("# grid: gamma, eta* (log10), min loss/L0, eta_edge (log10)\n");
    for (int j = 0; j < ng; j++) {
        double ll[CLI_LIST_MAX];
        edge_of[j] = NAN;
        for (int k = 0; k < ne; k++) {
            double a = 0;
            int ok = 1, below = 1;
            for (int s = 0; s < S; s++) {
                double l = loss[((size_t)s * ng + j) * ne + k];
                if (!isfinite(l)) ok = 0;
                else a += log10(l / L0[s]);
                if (!(l < EDGE_FRAC * L0[s])) below = 0;
            }
            ll[k] = ok ? a / S : NAN;
            if (below) edge_of[j] = P.etas.v[k];
        }
        int am;
        es[j] = eta_star(ne, P.etas.v, ll, &am, &lm[j]);
        tsv_row(t, "%.6g\t%.8g\t%.4f\t%.6f\t%.6g\t%.6g\t%.6g\t%.4f", P.gammas.v[j], es[j], log10(P.gammas.v[j]),
                log10(es[j]), am >= 0 ? P.etas.v[am] : NAN, lm[j], edge_of[j], log10(edge_of[j]));
        printf("#   %-8.4g  %+.3f  %.4f  %+.2f\n", P.gammas.v[j], log10(es[j]), lm[j], log10(edge_of[j]));
    }
    tsv_close(t);
    // richness.C3, C4: slopes of log10 eta* (default grid only: quick has no gamma in (1e-2, 1e-1))
    int m3, m4;
    double s3 = slope_in(ng, P.gammas.v, es, 1e-2, 1e-1, &m3), s4 = slope_in(ng, P.gammas.v, es, 1, 100, &m4);
    printf("#   slopes of log10 eta*: %.3f on gamma in [1e-2, 1e-1] (theory 2), %.3f on [1, 100] (theory 2/L = %.3f)\n",
           s3, s4, 2.0 / L);
    if (C.quick || m3 < 3) claim_skip("richness.C3", CLAIM_EXPERIMENT, "default only: needs >= 3 gammas in [1e-2, 1e-1]");
    else claim_check("richness.C3", CLAIM_EXPERIMENT, s3 >= 1.4 && s3 <= 2.4, "slope of log10 eta* on gamma in [1e-2, 1e-1] (theory 2)", s3, "[1.4, 2.4]");
    // richness.C4a: the ultra-rich slope against (T1)'s slope over the same gammas (the asymptote
    // 2/L is approached only as gamma -> inf: over [1, 100] (T1) itself has slope 0.853 at L = 3)
    if (C.quick || m4 < 3) {
        claim_skip("richness.C4a", CLAIM_EXPERIMENT, "default only: needs >= 3 gammas in [1, 100]");
    } else {
        double se4, s4b = slope_se_in(ng, P.gammas.v, es, UR_LO, UR_HI, &se4), th = t1_slope(L, ng, P.gammas.v, UR_LO, UR_HI);
        char what[200], tol[40];
        snprintf(what, sizeof what, "L = %d: slope of log10 eta* on gamma in [1, 100] = %.3f +- %.3f, (T1) over the same "
                 "gammas %.3f (asymptote 2/L = %.3f); |difference|", L, s4b, se4, th, 2.0 / L);
        snprintf(tol, sizeof tol, "%g", UR_SLOPE_TOL);
        claim_check("richness.C4a", CLAIM_EXPERIMENT, fabs(s4b - th) <= UR_SLOPE_TOL, what, fabs(s4b - th), tol);
    }
    free(loss), free(L0);
}

// ---- part D: eta* against depth on the ultra-rich side ----
//
// With thousands of steps the valley of good learning rates is flat over about a decade (final
// losses within 10 % of each other), and its argmin wanders by noise: at T = 4000, L = 4,
// gamma = 1 it sits at 10^-1.08 with seed 1 and 10^-1.63 with seed 2, and the argmin slopes over
// gamma = 1..100 were 0.669, 0.976, 0.713 at seeds 1-3.  The valley itself does not wander:
// eta* here is its centre, the geometric mean of the grid etas whose final loss is within
// VALLEY_FACTOR of the smallest (slopes 0.700, 0.750, 0.700 at seeds 1-3, same runs).  The
// argmin and the stability edge (the largest eta that ends below L0/2) are printed beside it.
// T = 8000: at T = 4000 the run half a decade below the centre was still on the plateau at
// L = 2, gamma = 100, seed 3 (0.59 L0); at 8000 it ends at 0.09 L0.
#define VALLEY_FACTOR 1.5
static double valley_centre(int ne, const double *eta, const double *loss) {
    double m = INFINITY, acc = 0;
    int n = 0;
    for (int k = 0; k < ne; k++)
        if (isfinite(loss[k])) m = fmin(m, loss[k]);
    for (int k = 0; k < ne; k++)
        if (isfinite(loss[k]) && loss[k] <= VALLEY_FACTOR * m) acc += log10(eta[k]), n++;
    return n ? pow(10.0, acc / n) : NAN;
}
//
// The phase diagram at one depth cannot test the exponent 2/L: its band of slopes would contain
// the value of a neighbouring depth.  Here the ultra-rich side (gamma in [1, 100], half-decade
// steps) is swept at two depths with the same width, data and test set, for T = --cmp-steps
// steps, long enough that the runs half a decade below eta* have left the plateau (richness.C4c:
// otherwise eta* would mark the end of the plateau, not the optimum).  eta* is the centre of
// the valley of good learning rates (below).  richness.C4b: the two
// slopes differ by more than twice their combined standard error, and each lies within
// UR_SLOPE_TOL of (T1)'s slope over the same gammas.
static void part_depths(void) {
    const int nd = P.cmp_depths.n, N = P.width;
    const long T = P.cmp_steps;
    double gam[5], etas[CLI_LIST_MAX];
    const int ng = 5;
    for (int j = 0; j < ng; j++) gam[j] = pow(10.0, j / 2.0);
    int ne = 0;
    for (int k = -10; k <= 10; k++) etas[ne++] = pow(10.0, k / 4.0);  // 10^-2.5 .. 10^2.5
    if (C.quick) {
        claim_skip("richness.C4b", CLAIM_EXPERIMENT, "default only (two full ultra-rich sweeps)");
        claim_skip("richness.C4c", CLAIM_EXPERIMENT, "default only (two full ultra-rich sweeps)");
        return;
    }
    tsv *t = tsv_open(&C, "depths.tsv", "richness.C4b richness.C4c");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t, "ultra-rich eta* against depth: centred muP MLP, N = %d, d = %d, B = %d, T = %ld online SGD steps, "
                "eta grid 10^(k/4), k = -10..10; eta_star: centre (geometric mean) of the grid etas with final loss "
                "<= %g x the minimum; eta_argmin: the parabola-refined argmin; eta_edge: largest eta ending below L0/2; "
                "loss_below: final loss at the grid eta nearest eta*/10^0.5",
             N, P.din, P.batch, T, VALLEY_FACTOR);
    tsv_columns(t, "L\tgamma\teta_star\tlog10_eta_star\teta_T1\tmin_loss_over_L0\tloss_below_over_L0\tslope\tslope_se"
                   "\tslope_T1\teta_argmin\teta_edge");
    tsv *tg = tsv_open(&C, "depths_grid.tsv", "richness.C4b richness.C4c");
    tsv_allow_nonfinite(tg, 1);  // a diverged cell's loss is nan
    tsv_note(tg, "final test loss of every cell of the depth comparison (T = %ld)", T);
    tsv_columns(tg, "L\tgamma\teta\tloss_over_L0");
    double sl[MAXL], se[MAXL], th[MAXL], worst_below = 0;
    double t0 = util_now();
    for (int i = 0; i < nd; i++) {
        const int L = (int)P.cmp_depths.v[i];
        mlp_setup M = mlp_alloc(C.seed, L, N, P.din, P.batch, T, P.n_test);
        double es[5], lm[5], below[5], ea[5], ee[5];
        for (int j = 0; j < ng; j++) {
            mlp_set_gamma(&M, gam[j]);
            double ll[CLI_LIST_MAX], raw[CLI_LIST_MAX];
            for (int k = 0; k < ne; k++) {
                progress("depths: L = %d, gamma %g, eta %g (%.0f s)", L, gam[j], etas[k], util_now() - t0);
                long ds;
                raw[k] = mlp_train(&M, N * etas[k], T, 0, NULL, &ds) / M.L0;
                ll[k] = isfinite(raw[k]) ? log10(raw[k]) : NAN;
                tsv_row(tg, "%d\t%.6g\t%.6g\t%.8g", L, gam[j], etas[k], raw[k]);
            }
            int am;
            ea[j] = eta_star(ne, etas, ll, &am, &lm[j]);
            es[j] = valley_centre(ne, etas, raw);
            ee[j] = NAN;
            for (int k = 0; k < ne; k++)
                if (raw[k] < ESC_FRAC) ee[j] = etas[k];
            int kb = 0;  // the grid eta nearest eta*/10^0.5
            for (int k = 1; k < ne; k++)
                if (fabs(log10(etas[k]) - log10(es[j]) + 0.5) < fabs(log10(etas[kb]) - log10(es[j]) + 0.5)) kb = k;
            below[j] = raw[kb];
            worst_below = isfinite(below[j]) ? fmax(worst_below, below[j]) : INFINITY;
        }
        sl[i] = slope_se_in(ng, gam, es, UR_LO, UR_HI, &se[i]);
        th[i] = t1_slope(L, ng, gam, UR_LO, UR_HI);
        double sea, see, sla = slope_se_in(ng, gam, ea, UR_LO, UR_HI, &sea), sle = slope_se_in(ng, gam, ee, UR_LO, UR_HI, &see);
        printf("# depths: L = %d, T = %ld: log10 eta* (valley centre) =", L, T);
        for (int j = 0; j < ng; j++) printf(" %+.3f", log10(es[j]));
        printf("; slope %.3f +- %.3f, (T1) over the same gammas %.3f, asymptote 2/L = %.3f\n", sl[i], se[i], th[i], 2.0 / L);
        printf("#   (argmin eta*: slope %.3f +- %.3f; stability edge: slope %.3f +- %.3f)\n", sla, sea, sle, see);
        for (int j = 0; j < ng; j++)
            tsv_row(t, "%d\t%.6g\t%.8g\t%.6f\t%.8g\t%.6g\t%.6g\t%.6g\t%.4g\t%.6g\t%.8g\t%.6g", L, gam[j], es[j],
                    log10(es[j]), eta_max_T1(L, gam[j]), lm[j], below[j], sl[i], se[i], th[i], ea[j], ee[j]);
        mlp_free(&M);
    }
    tsv_close(t);
    tsv_close(tg);
    // richness.C4b: the shallowest and the deepest depth of the list
    int a = 0, b = 0;
    for (int i = 1; i < nd; i++) {
        if (P.cmp_depths.v[i] < P.cmp_depths.v[a]) a = i;
        if (P.cmp_depths.v[i] > P.cmp_depths.v[b]) b = i;
    }
    if (a == b) {
        claim_skip("richness.C4b", CLAIM_EXPERIMENT, "--cmp-depths needs two different depths");
    } else {
        double gap = sl[a] - sl[b], err = sqrt(se[a] * se[a] + se[b] * se[b]);
        int each = 1;
        double worst = 0;
        for (int i = 0; i < nd; i++) {
            worst = isfinite(sl[i]) ? fmax(worst, fabs(sl[i] - th[i])) : INFINITY;
            if (!(fabs(sl[i] - th[i]) <= UR_SLOPE_TOL)) each = 0;
        }
        char what[240], tol[80];
        snprintf(what, sizeof what, "slope(L=%ld) - slope(L=%ld) = %.3f - %.3f, in combined standard errors (%.3f; (T1): "
                 "%.3f - %.3f; max |slope - (T1)| = %.3f)", P.cmp_depths.v[a], P.cmp_depths.v[b], sl[a], sl[b], err,
                 th[a], th[b], worst);
        snprintf(tol, sizeof tol, ">= 2; each |slope - (T1)| <= %g", UR_SLOPE_TOL);
        claim_check("richness.C4b", CLAIM_EXPERIMENT, gap / err >= 2 && each, what, gap / err, tol);
    }
    claim_check("richness.C4c", CLAIM_EXPERIMENT, worst_below < ESC_FRAC,
                "max over (L, gamma) of the final loss/L0 half a decade below eta* (left the plateau)", worst_below,
                "< 0.5");
}

// The stability-edge half of richness.C7: log10 eta_edge(100) - log10 eta_edge(1) >= 0.5 and
// log10 eta_edge(1) - log10 eta_edge(0.01) >= 1.5.
static int edge_index(double g) {
    for (int j = 0; j < P.gammas.n; j++)
        if (fabs(P.gammas.v[j] / g - 1) < 1e-9) return j;
    return -1;
}

static void part_curves(int grid_ran) {
    const int ng = P.ur_gammas.n, L = P.depth, N = P.ur_width, every = P.ur_log_every;
    const long T = P.ur_steps;
    const int nlog = (int)(T / every) + 1;
    double *lg = XNEW(double, (size_t)ng * nlog), tesc[CLI_LIST_MAX], fin[CLI_LIST_MAX], l400[CLI_LIST_MAX];
    mlp_setup M = mlp_alloc(C.seed, L, N, P.din, P.batch, T, P.n_test);
    int diverged = 0;
    for (int j = 0; j < ng; j++) {
        const double gamma = P.ur_gammas.v[j], lr = N * P.ur_eta0 * pow(gamma, 2.0 / L);
        progress("ultra-rich curve gamma = %g", gamma);
        mlp_set_gamma(&M, gamma);
        long ds;
        double *y = lg + (size_t)j * nlog;
        for (int i = 0; i < nlog; i++) y[i] = NAN;
        double f = mlp_train(&M, lr, T, every, y, &ds);
        if (isnan(f)) diverged = 1;
        for (int i = 0; i < nlog; i++) y[i] /= M.L0;
        tesc[j] = crossing(y, nlog, every, ESC_FRAC);
        fin[j] = f / M.L0;
        l400[j] = interp(y, nlog, every, 400);
    }
    tsv *t = tsv_open(&C, "curves.tsv", "richness.C5 richness.C6 richness.C7");
    tsv_allow_nonfinite(t, 1);  // t_esc is nan for a curve that never escapes
    tsv_note(t, "online SGD at lr = N eta0 gamma^(2/L), N = %d, eta0 = %g, L = %d, B = %d; test loss every %d steps; "
                "L0 = %.6f; t_esc: first step with loss < %g L0 (interpolated)",
             N, P.ur_eta0, L, P.batch, every, M.L0, ESC_FRAC);
    tsv_columns(t, "gamma\tstep\ttest_loss\tloss_over_L0\tt_esc\tt_minus_t_esc\tt_over_t_esc");
    printf("# ultra-rich curves: gamma, loss(400)/L0, t_esc, final loss/L0\n");
    for (int j = 0; j < ng; j++) {
        for (int i = 0; i < nlog; i++) {
            double st = (double)i * every, y = lg[(size_t)j * nlog + i];
            tsv_row(t, "%.6g\t%.0f\t%.8g\t%.8g\t%.6g\t%.6g\t%.6g", P.ur_gammas.v[j], st, y * M.L0, y, tesc[j],
                    st - tesc[j], st / tesc[j]);
        }
        printf("#   %-6g  %.3f  %.0f  %.3f\n", P.ur_gammas.v[j], l400[j], tesc[j], fin[j]);
    }
    tsv_close(t);
    // richness.C6: collapse of neighbouring gammas under t -> t - t_esc, and (reported) under t/t_esc
    t = tsv_open(&C, "collapse.tsv", "richness.C6");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t, "max over shifts Delta in [%g, %g] (clipped to the run) of |loss_a(t_esc_a + Delta) - "
                "loss_b(t_esc_b + Delta)|/L0, and the same over rescaled times s t_esc with s spanning the same "
                "window in units of t_esc_b", SHIFT_LO, SHIFT_HI);
    tsv_columns(t, "gamma_a\tgamma_b\tshift_metric\trescale_metric\tdelta_lo\tdelta_hi");
    double c6_shift = NAN, c6_rescale = NAN;
    for (int j = 0; j + 1 < ng; j++) {
        const double *ya = lg + (size_t)j * nlog, *yb = lg + (size_t)(j + 1) * nlog;
        double ta = tesc[j], tb = tesc[j + 1], dlo = NAN, dhi = NAN, ms = NAN, mr = NAN;
        if (isfinite(ta) && isfinite(tb)) {
            dlo = fmax(SHIFT_LO, -fmin(ta, tb));
            dhi = fmin(SHIFT_HI, (double)T - fmax(ta, tb));
            ms = 0, mr = 0;
            for (double D = dlo; D <= dhi + 1e-9; D += 1) ms = fmax(ms, fabs(interp(ya, nlog, every, ta + D) - interp(yb, nlog, every, tb + D)));
            double slo = 1 + dlo / tb, shi = 1 + dhi / tb;
            shi = fmin(shi, (double)T / fmax(ta, tb));
            for (int k = 0; k <= 2000; k++) {
                double s = slo + (shi - slo) * k / 2000.0;
                mr = fmax(mr, fabs(interp(ya, nlog, every, s * ta) - interp(yb, nlog, every, s * tb)));
            }
        }
        tsv_row(t, "%g\t%g\t%.6g\t%.6g\t%.6g\t%.6g", P.ur_gammas.v[j], P.ur_gammas.v[j + 1], ms, mr, dlo, dhi);
        printf("#   collapse gamma %g vs %g: shift %.3f, rescale %.3f (Delta in [%.0f, %.0f])\n", P.ur_gammas.v[j],
               P.ur_gammas.v[j + 1], ms, mr, dlo, dhi);
        if (fabs(P.ur_gammas.v[j] - 10) < 1e-9 && fabs(P.ur_gammas.v[j + 1] - 100) < 1e-9) c6_shift = ms, c6_rescale = mr;
    }
    tsv_close(t);

    // richness.C5: plateau at large gamma, escape at gamma = 1, ordering of t_esc
    int j1 = -1, j10 = -1, j100 = -1;
    for (int j = 0; j < ng; j++) {
        double g = P.ur_gammas.v[j];
        if (fabs(g - 1) < 1e-9) j1 = j;
        if (fabs(g - 10) < 1e-9) j10 = j;
        if (fabs(g - 100) < 1e-9) j100 = j;
    }
    if (j1 >= 0 && j10 >= 0 && j100 >= 0 && T >= 400) {
        const double b1 = C.quick ? 0.5 : 0.3;
        double r1 = tesc[j10] / tesc[j1], r2 = tesc[j100] / tesc[j10];
        int ok = l400[j100] >= 0.95 && l400[j1] <= b1 && r1 >= 1.5 && r2 >= 1.5;
        char what[200], tol[120];
        snprintf(what, sizeof what, "loss(400)/L0 at gamma = 100 (gamma = 1: %.3f; t_esc = %.0f, %.0f, %.0f, ratios %.2f, %.2f)",
                 l400[j1], tesc[j1], tesc[j10], tesc[j100], r1, r2);
        snprintf(tol, sizeof tol, ">= 0.95; gamma = 1: <= %g; ratios >= 1.5", b1);
        claim_check("richness.C5", CLAIM_EXPERIMENT, ok, what, l400[j100], tol);
    } else {
        claim_skip("richness.C5", CLAIM_EXPERIMENT, "needs --ur-gammas 1,10,100 and --ur-steps >= 400");
    }
    if (isfinite(c6_shift) && !C.quick) {
        char what[160];
        snprintf(what, sizeof what, "max_Delta |loss_10(t_esc+Delta) - loss_100(t_esc+Delta)|/L0 (rescale t/t_esc: %.3f)", c6_rescale);
        claim_check("richness.C6", CLAIM_EXPERIMENT, c6_shift <= 0.15, what, c6_shift, "0.15");
    } else if (isfinite(c6_shift)) {
        claim_report("richness.C6", CLAIM_EXPERIMENT, "quick (window clipped to the run): shift metric gamma 10 vs 100", c6_shift);
    } else {
        claim_skip("richness.C6", CLAIM_EXPERIMENT, "needs escaped curves at gamma = 10 and 100");
    }
    // richness.C7: final losses (default) and the stability edge (default and quick)
    double fmax_ = 0;
    for (int j = 0; j < ng; j++) fmax_ = isfinite(fin[j]) ? fmax(fmax_, fin[j]) : INFINITY;
    int e001 = edge_index(0.01), e1 = edge_index(1), e100 = edge_index(100);
    int edge_ok = -1;
    double d_hi = NAN, d_lo = NAN;
    if (grid_ran && e001 >= 0 && e1 >= 0 && e100 >= 0) {
        d_hi = log10(edge_of[e100]) - log10(edge_of[e1]);
        d_lo = log10(edge_of[e1]) - log10(edge_of[e001]);
        edge_ok = d_hi >= 0.5 && d_lo >= 1.5;
    }
    char what[240];
    if (edge_ok < 0) {
        claim_skip("richness.C7", CLAIM_EXPERIMENT, "needs the phase diagram with gammas 0.01, 1, 100");
    } else if (C.quick) {
        snprintf(what, sizeof what, "log10 eta_edge(1) - log10 eta_edge(0.01) (>= 1.5; and eta_edge(100) vs (1): %.2f >= 0.5)",
                 d_hi);
        claim_check("richness.C7", CLAIM_EXPERIMENT, edge_ok, what, d_lo, ">= 1.5");
    } else {
        snprintf(what, sizeof what, "max final loss/L0 over the curves (edge differences %.2f >= 0.5, %.2f >= 1.5)%s", d_hi,
                 d_lo, diverged ? " (a curve diverged)" : "");
        claim_check("richness.C7", CLAIM_EXPERIMENT, fmax_ <= 0.15 && edge_ok && !diverged, what, fmax_, "<= 0.15");
    }
    mlp_free(&M);
    free(lg);
}

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
        if (!run_toy && !run_grid && !run_curves && !run_depths) run_toy = run_grid = run_curves = run_depths = 1;
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
    progress_done("done in %.1f s", util_now() - t0);
    claim_summary(C.slug);
    return 0;
}
