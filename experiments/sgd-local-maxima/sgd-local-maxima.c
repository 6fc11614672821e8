// sgd-local-maxima: SGD with a constant large learning rate can converge to a local maximum.
//
// Paper: Liu Ziyin, Botao Li, James B. Simon, Masahito Ueda, "SGD with a Constant Large
// Learning Rate Can Converge to Local Maxima", arXiv 2107.11774 (ICLR 2022).  No official code;
// the landscapes below are our constructions (see paper-notes/sgd-local-maxima.md).
//
// Claim: near a stationary point where the per-sample gradients all vanish, the fate of SGD is
// set by the Lyapunov exponent Lambda_B(eta) = E log|1 - eta xbar| of the random linearised
// map, not by the mean curvature.  Where Lambda_B < 0, SGD converges almost surely to w = 0,
// a local MAXIMUM of the expected loss; full-batch gradient descent always escapes it.  The
// window of learning rates where this happens shrinks as the batch grows (noise is essential).
//
// Algorithm:
//   1. Landscape: l(w; x) = x w^2/2 + w^4/4, x = a w.p. p, x = -b otherwise;
//      L(w) = mu w^2/2 + w^4/4 with mu = p a - (1-p) b < 0, so w = 0 is a maximum.
//   2. Theory: Lambda_B(eta) = sum_k Binom(k; B, p) log|1 - eta xbar_k| and its exact
//      variance s_B^2; the windows {Lambda_B < 0} by Brent's method, for B = 1, 2, 4, 8;
//      the B = 1 window in closed form, (eta_1, eta_2).
//   3. Experiment: for each eta on the grid and each simulated B, R runs of T SGD steps
//      from w_0 ~ U(-w0, w0); classify each final w_T as at max (< 1e-12), escaped (> 1e-3) or
//      diverged (non-finite or > 1e6); accumulate the Lyapunov estimate on the same samples.
//      Gradient descent from 50 starts per eta.
//   4. Claims sgdmax.C1-C5 (01-maximum.c).
//   5. The abstract's second claim, slow escape from saddles, on the neural-network-like loss
//      l(u, w; y) = (uw - y)^2/2 (a width-one two-layer linear net): escape times against
//      (log(r1/r0) + log 2)/Lambda_+, GD's against its rate; claims sgdmax.C6-C8 (02-saddle.c).
//   6. Its third claim, a preference for sharp minima: a one-parameter loss with a flat
//      minimum carrying multiplicative noise and a noise-free sharp one; where SGD ends against
//      the signs of the two minima's Lyapunov exponents; claims sgdmax.C9-C10 (03-sharp.c).
//
// Writes (to --out, default figures/data/sgd-local-maxima/): theory.tsv (Lambda_B on 2000
// eta values, B = 1, 2, 4, 8), fractions.tsv (per B and eta), gd.tsv, windows.tsv,
// hist.tsv (final w_T histograms), paths.tsv (example trajectories of log10|w_t|); saddle.tsv,
// saddle_theory.tsv (step 5); sharp.tsv, sharp_theory.tsv (step 6).
//
// Run: build/sgd-local-maxima            (default: ~10.5 s on one core: parts 8.5, 1.0, 0.9 s)
//      build/sgd-local-maxima --quick    (R = 200/100, T = 10000; 100 and 50 runs: ~1 s)
//      build/sgd-local-maxima --batches 4 --runs 500 --eta-min 0.9 --eta-step 0.02 --eta-max 1.1
//      build/sgd-local-maxima --part saddle --sad-runs 4000     (the escape times to 1.4 %: ~10 s)
//      build/sgd-local-maxima --sharp-A 3 --sharp-etas 0.3,0.4,0.5,0.6
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "cli.h"
#include "fit.h"
#include "progress.h"
#include "rng.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// Legend: $p$ the probability of the sample $x = a$ (else $x = -b$); $\eta$ (eta) the learning
// rate; $B$ the batch size; $R$ runs per $\eta$; $T$ steps per run; $w_0$ the start scale.
// The defaults: $p = 1/2$, $a = 1$, $b = 3/2$ give
// $\mu = pa - (1-p)b = -1/4$, a maximum at $w = 0$ and minima at $\pm 1/2$.

#define MAX_B 64           // largest simulated batch size (the binomial table is B+1 long)
#define AT_MAX 1e-12       // |w_T| below this: converged to the maximum (six decades below w0)
#define ESCAPED 1e-3       // |w_T| above this: escaped the linear regime
#define DIVERGED 1e6       // |w| above this (or non-finite): diverged, run stopped
#define LOG_REGIME 1e-100  // below this |w| is tracked as (sign, log|w|): w^3 is < 1e-200 w
#define GD_RUNS 50         // gradient-descent starts per eta
#define THEORY_POINTS 2000
#define PATH_STEPS 3000  // length of the example trajectories
#define PATH_EVERY 5
#define PATH_RUNS 3
#define HIST_BINS 100

struct params {
    double p, a, b;                     // the two-point sample law
    double eta_min, eta_step, eta_max;  // the learning-rate grid
    cli_ilist batches;                  // simulated batch sizes
    cli_ilist runs;                     // R per batch size (one value: all)
    long steps;                         // T
    double w0;                          // start scale: w_0 ~ U(-w0, w0)
    const char *part;                   // all | maximum | saddle | sharp
    double sad_a, sad_b;                // the saddle: labels y = sad_a or -sad_b
    cli_dlist sad_etas;                 //   its learning rates
    int sad_runs;                       //   runs per learning rate
    long sad_cap_steps;                 //   run length where Lambda_+ <= 0
    double sh_A, sh_m;                  // sharp vs flat: noise amplitude, position of the maximum
    cli_dlist sh_etas;                  //   its learning rates
    int sh_runs;                        //   runs per learning rate
    long sh_steps;                      //   steps per run
    double sh_w0;                       //   start scale around the flat minimum
};

static struct params P = {
    .p = 0.5,
    .a = 1.0,
    .b = 1.5,
    .eta_min = 0.05,
    .eta_step = 0.1,
    .eta_max = 1.95,
    .batches = {2, {1, 2}},
    .runs = {2, {2000, 500}},
    .steps = 20000,
    .w0 = 1e-6,
    .part = "all",
    .sad_a = 1.5,
    .sad_b = 1.0,
    .sad_etas = {11, {0.05, 0.1, 0.15, 0.2, 0.25, 0.28, 0.3, 0.31, 0.32, 0.36, 0.4}},
    .sad_runs = 400,
    .sad_cap_steps = 200000,
    .sh_A = 4,
    .sh_m = -0.5,
    .sh_etas = {13, {0.025, 0.075, 0.125, 0.175, 0.225, 0.275, 0.325, 0.375, 0.425, 0.475, 0.525, 0.575, 0.625}},
    .sh_runs = 200,
    .sh_steps = 20000,
    .sh_w0 = 1e-6,
};

static cli_opt opts[] = {
    {"p", CLI_DOUBLE, &P.p, 1e-6, 1 - 1e-6, .help = "probability of the sample x = a"},
    {"a", CLI_DOUBLE, &P.a, 1e-6, 100, .help = "positive sample value a"},
    {"b", CLI_DOUBLE, &P.b, 1e-6, 100, .help = "negative sample value -b"},
    {"eta-min", CLI_DOUBLE, &P.eta_min, 1e-6, 100, .help = "first learning rate of the grid"},
    {"eta-step", CLI_DOUBLE, &P.eta_step, 1e-6, 100, .help = "grid spacing"},
    {"eta-max", CLI_DOUBLE, &P.eta_max, 1e-6, 100, .help = "last learning rate of the grid (inclusive)"},
    {"batches", CLI_ILIST, &P.batches, 1, MAX_B, .help = "simulated batch sizes"},
    {"runs", CLI_ILIST, &P.runs, 1, 1e6, .help = "runs per eta, one per batch size (or one for all)"},
    {"steps", CLI_LONG, &P.steps, 1, 1e8, .help = "SGD steps per run, T"},
    {"w0", CLI_DOUBLE, &P.w0, 1e-300, 1, .help = "start scale: w_0 ~ U(-w0, w0)"},
    {"part", CLI_CHOICE, &P.part, .choices = "all|maximum|saddle|sharp",
     .help = "one part: convergence to the maximum, slow escape from a saddle, sharp over flat minima"},
    {"sad-a", CLI_DOUBLE, &P.sad_a, 1e-6, 100, .help = "saddle: label y = sad-a w.p. 1/2 (> sad-b)"},
    {"sad-b", CLI_DOUBLE, &P.sad_b, 1e-6, 100, .help = "saddle: label y = -sad-b w.p. 1/2"},
    {"sad-etas", CLI_DLIST, &P.sad_etas, 1e-6, 100, .help = "saddle: learning rates (below 1/sad-a)"},
    {"sad-runs", CLI_INT, &P.sad_runs, 2, 1e7, .help = "saddle: runs per learning rate"},
    {"sad-cap", CLI_LONG, &P.sad_cap_steps, 1, 1e10, .help = "saddle: steps per run where Lambda_+ <= 0"},
    {"sharp-A", CLI_DOUBLE, &P.sh_A, 0, 100, .help = "sharp: noise amplitude A (x = +-A)"},
    {"sharp-m", CLI_DOUBLE, &P.sh_m, -0.99, 0.99, .help = "sharp: the maximum between the minima -1, +1"},
    {"sharp-etas", CLI_DLIST, &P.sh_etas, 1e-6, 100, .help = "sharp: learning rates"},
    {"sharp-runs", CLI_INT, &P.sh_runs, 1, 1e7, .help = "sharp: runs per learning rate"},
    {"sharp-steps", CLI_LONG, &P.sh_steps, 1, 1e10, .help = "sharp: steps per run"},
    {"sharp-w0", CLI_DOUBLE, &P.sh_w0, 1e-300, 0.5, .help = "sharp: start scale around the flat minimum"},
    {0}};

static cli C = {.slug = "sgd-local-maxima",
                .summary =
                    "SGD on l(w;x) = x w^2/2 + w^4/4 (x = a w.p. p, else -b) converges to the local maximum "
                    "w = 0 exactly where the Lyapunov exponent E log|1 - eta xbar| is negative; GD never does. "
                    "It escapes a saddle of l = (uw - y)^2/2 arbitrarily slowly, and it leaves a flat minimum "
                    "for a sharp one, each as the Lyapunov exponents predict.",
                .claims = "sgdmax.C1-C10",
                .opts = opts};

enum {                        // rng streams, each its own generator (common/rng)
    STREAM_PATHS = 900,       // + e: the example trajectories at the figure's three learning rates
    STREAM_GD = 999,          // gradient descent's starts
    STREAM_GRID = 1000,       // the SGD runs at batch size B, grid point j: stream_grid(B, j) below
    STREAM_SADDLE = 1 << 24,  // + j: the saddle part's runs at its grid point j
    STREAM_SHARP = 2 << 24,   // + j: the sharp-minimum part's runs at its grid point j
};
// The stream of the SGD runs at batch size B and grid point j (j < 1000 for B up to MAX_B, so
// below STREAM_SADDLE).
static unsigned stream_grid(int B, int j) { return STREAM_GRID * (unsigned)B + (unsigned)j; }

// ---- theory ----
//
// A minibatch of $B$ samples contains $k \sim \mathrm{Binomial}(B, p)$ copies of $a$, so its
// mean is $\bar x_k = (k a - (B-k) b)/B$.  Linearised at $w = 0$ the SGD step is
// $w_{t+1} = (1 - \eta \bar x_t) w_t$, hence
// $$\frac1T \log\left|\frac{w_T}{w_0}\right| \to \Lambda_B(\eta) =
//   \sum_{k=0}^{B} \binom{B}{k} p^k (1-p)^{B-k} \log|1 - \eta \bar x_k| \quad\text{a.s.}$$
// and SGD started close enough to 0 converges to the maximum iff $\Lambda_B < 0$.  The per-step
// variance $s_B^2 = \mathrm{Var}\log|1-\eta\bar x|$ is exact too; it sets the standard error of
// the Monte Carlo estimate (claim C1) and the drift-to-noise ratio
// $\kappa_B = 2|\Lambda_B|/s_B^2$ of the random walk of $\log|w_t|$ (claim C2).

typedef struct {
    int B;
    double prob[MAX_B + 1];  // Binom(k; B, p)
    double xbar[MAX_B + 1];  // batch mean with k copies of a
} batch_law;

static batch_law law_make(int B) {
    batch_law L = {.B = B};
    for (int k = 0; k <= B; k++) {
        L.prob[k] = gsl_ran_binomial_pdf((unsigned)k, P.p, (unsigned)B);
        L.xbar[k] = (k * P.a - (B - k) * P.b) / B;
    }
    return L;
}

// Lambda_B(eta) and s_B^2(eta).  -inf at eta = 1/xbar_k (a batch that lands exactly on 0).
static double lyapunov(const batch_law *L, double eta, double *s2) {
    double m = 0, m2 = 0;
    for (int k = 0; k <= L->B; k++) {
        double g = log(fabs(1 - eta * L->xbar[k]));
        m += L->prob[k] * g;
        m2 += L->prob[k] * g * g;
    }
    if (s2) *s2 = m2 - m * m;
    return m;
}

static double lyap_gsl(double eta, void *law) { return lyapunov(law, eta, NULL); }

// Brent's method on Lambda_B in [lo, hi] (a sign change).
static double lyap_root(batch_law *L, double lo, double hi) {
    gsl_function F = {lyap_gsl, L};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_root_fsolver_set(s, &F, lo, hi);
    double r = 0.5 * (lo + hi);
    for (int it = 0; it < 200; it++) {
        gsl_root_fsolver_iterate(s);
        r = gsl_root_fsolver_root(s);
        double x0 = gsl_root_fsolver_x_lower(s), x1 = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(x0, x1, 0, 1e-15) == GSL_SUCCESS) break;
    }
    gsl_root_fsolver_free(s);
    return r;
}

// The windows {eta in (0, hi) : Lambda_B(eta) < 0}: scan a grid that avoids the singular points
// eta = 1/xbar_k (offset by half a step), refine each sign change by Brent.  edges[] receives
// the window ends in pairs (lo, hi); returns the number of windows.
#define MAX_WIN 16
static int lyap_windows(int B, double hi, double edges[2 * MAX_WIN]) {
    batch_law L = law_make(B);
    const int n = 200000;  // scan step hi/n = 1e-5 at hi = 2: the B = 8 sliver is 1.8e-3 wide
    double h = hi / n;
    int nw = 0, inside = lyapunov(&L, 0.5 * h, NULL) < 0;
    if (inside) edges[0] = 0;
    double prev = 0.5 * h;
    for (int i = 1; i < n && nw < MAX_WIN; i++) {
        double e = (i + 0.5) * h;
        int neg = lyapunov(&L, e, NULL) < 0;
        if (neg != inside) {
            double r = lyap_root(&L, prev, e);
            if (neg) edges[2 * nw] = r;
            else edges[2 * nw++ + 1] = r;
            inside = neg;
        }
        prev = e;
    }
    if (inside && nw < MAX_WIN) edges[2 * nw++ + 1] = hi;
    return nw;
}

// For p = 1/2, B = 1 and b > a the window is closed-form: |1 - eta a|(1 + eta b) < 1
// gives eta in (eta_1, eta_2).
static void window_closed_form(double *eta1, double *eta2) {
    double a = P.a, b = P.b;
    *eta1 = (b - a) / (a * b);
    *eta2 = ((b - a) + sqrt((b - a) * (b - a) + 8 * a * b)) / (2 * a * b);
}

#include "01-maximum.c"
#include "02-saddle.c"
#include "03-sharp.c"

// ---- main ----

// Which parts run: --part, or else every part whose own flags were typed (the first part's: the
// sample law, grid and run flags); no flag runs them all.
static int on(const char *part) {
    if (cli_given(&C, "part")) return !strcmp(P.part, "all") || !strcmp(P.part, part);
    static const char *const fl[3][14] = {
        {"maximum", "p", "a", "b", "eta-min", "eta-step", "eta-max", "batches", "runs", "steps", "w0", 0},
        {"saddle", "sad-a", "sad-b", "sad-etas", "sad-runs", "sad-cap", 0},
        {"sharp", "sharp-A", "sharp-m", "sharp-etas", "sharp-runs", "sharp-steps", "sharp-w0", 0}};
    int any = 0, mine = 0;
    for (int k = 0; k < 3; k++)
        for (int i = 1; fl[k][i]; i++)
            if (cli_given(&C, fl[k][i])) any = 1, mine |= !strcmp(fl[k][0], part);
    return !any || mine;
}

int main(int argc, char **argv) {
    cli_parse(&C, argc, argv);
    if (C.quick) {  // --quick: the grid unchanged, R = 200 / 100, T = 10000
        if (!cli_given(&C, "runs")) P.runs = (cli_ilist){2, {200, 100}};
        if (!cli_given(&C, "steps")) P.steps = 10000;
        if (!cli_given(&C, "sad-runs")) P.sad_runs = 100;
        if (!cli_given(&C, "sharp-runs")) P.sh_runs = 50;
    }
    if (P.eta_max < P.eta_min) cli_usage_error(&C, "--eta-max (%g) must be >= --eta-min (%g)", P.eta_max, P.eta_min);
    int ne = (int)floor((P.eta_max - P.eta_min) / P.eta_step + 1e-9) + 1;
    if (ne > 10000) cli_usage_error(&C, "the eta grid has %d points; at most 10000", ne);
    if (P.runs.n != 1 && P.runs.n != P.batches.n)
        cli_usage_error(&C, "--runs has %d entries; give one, or one per --batches entry (%d)", P.runs.n, P.batches.n);
    double *etas = XNEW(double, ne);
    for (int j = 0; j < ne; j++) etas[j] = P.eta_min + j * P.eta_step;
    // A grid point on a singular point 1/xbar_k makes Lambda = -inf: refuse it up front.
    for (int ib = 0; ib < P.batches.n; ib++) {
        batch_law L = law_make((int)P.batches.v[ib]);
        for (int j = 0; j < ne; j++)
            for (int k = 0; k <= L.B; k++)
                if (fabs(1 - etas[j] * L.xbar[k]) < 1e-9)
                    cli_usage_error(&C, "eta = %g is the singular point 1/xbar (B = %d, k = %d); shift the grid",
                                    etas[j], L.B, k);
    }
    if (!(P.sad_a > P.sad_b))
        cli_usage_error(&C, "--sad-a (%g) must exceed --sad-b (%g): the origin is then a saddle", P.sad_a, P.sad_b);
    for (int j = 0; j < P.sad_etas.n; j++)
        if (!(P.sad_etas.v[j] < 1 / P.sad_a))
            cli_usage_error(&C, "--sad-etas: %g is not below 1/sad-a = %g (there Lambda_- >= 0 or singular)",
                            P.sad_etas.v[j], 1 / P.sad_a);
    const double t0 = util_now();
    gsl_set_error_handler_off();
    if (on("maximum")) part_maximum(etas, ne);  // SGD converges to a local maximum (claims C1-C5)
    if (on("saddle")) part_saddle();            // it escapes a saddle arbitrarily slowly (C6-C8)
    if (on("sharp")) part_sharp();              // it prefers a sharp minimum to a flat one (C9, C10)
    free(etas);
    claim_summary(C.slug);
    fprintf(stderr, "sgd-local-maxima: %.1f s\n", util_now() - t0);
    return 0;
}
