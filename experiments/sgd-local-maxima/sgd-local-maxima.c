// sgd-local-maxima: SGD with a constant large learning rate can converge to a local maximum.
//
// Paper: Liu Ziyin, Botao Li, James B. Simon, Masahito Ueda, "SGD with a Constant Large
// Learning Rate Can Converge to Local Maxima", arXiv 2107.11774 (ICLR 2022).  No official code;
// the landscape below is our reconstruction (see paper-notes/sgd-local-maxima.md).
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
//   4. Claims sgdmax.C1-C5.
//
// Writes (to --out, default figures/data/sgd-local-maxima/): theory.tsv (Lambda_B on 2000
// eta values, B = 1, 2, 4, 8), fractions.tsv (per B and eta), gd.tsv, windows.tsv,
// hist.tsv (final w_T histograms), paths.tsv (example trajectories of log10|w_t|).
//
// Run: build/sgd-local-maxima            (default: ~10 s on one core)
//      build/sgd-local-maxima --quick    (R = 200/100, T = 10000: ~0.5 s)
//      build/sgd-local-maxima --batches 4 --runs 500 --eta-min 0.9 --eta-step 0.02 --eta-max 1.1
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "cli.h"
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

#define MAX_B 64          // largest simulated batch size (the binomial table is B+1 long)
#define AT_MAX 1e-12      // |w_T| below this: converged to the maximum (six decades below w0)
#define ESCAPED 1e-3      // |w_T| above this: escaped the linear regime
#define DIVERGED 1e6      // |w| above this (or non-finite): diverged, run stopped
#define LOG_REGIME 1e-100 // below this |w| is tracked as (sign, log|w|): w^3 is < 1e-200 w
#define GD_RUNS 50        // gradient-descent starts per eta
#define THEORY_POINTS 2000
#define PATH_STEPS 3000   // length of the example trajectories
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
};

static struct params P = {
    .p = 0.5, .a = 1.0, .b = 1.5,
    .eta_min = 0.05, .eta_step = 0.1, .eta_max = 1.95,
    .batches = {2, {1, 2}},
    .runs = {2, {2000, 500}},
    .steps = 20000,
    .w0 = 1e-6,
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
    {0}};

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

// ---- experiment ----
//
// One SGD run at learning rate $\eta$ with batch size $B$:
// $$w_{t+1} = w_t - \eta(\bar x_t w_t + w_t^3).$$
// Every run at the maximum shrinks like $e^{\Lambda t}$ and would underflow into denormals
// (slow) and then to exactly 0 (which loses the walk).  Below $|w| = 10^{-100}$ the cubic term
// is $10^{-200}$ of the linear one, far below rounding, so there we carry $(\mathrm{sign}\,w,
// \log|w|)$ and apply the linear map exactly: $\log|w| \mathrel{+}= \log|1-\eta\bar x_k|$.
//
// The samples of a run come from one stream per (B, eta index): one uniform per sample
// ($x = a$ iff $u < p$), so $k$ = the number of $a$'s in the batch.  The Lyapunov estimate of
// claim C1 counts how often each $k$ was drawn; $\hat\Lambda = \sum_k n_k g_k / \sum_k n_k$.

typedef struct {
    double w_final;  // w_T (0 when it is below the smallest double), or the value at divergence
    int diverged;
} run_result;

// Precomputed per (B, eta): factor 1 - eta xbar_k and its log and sign.
typedef struct {
    int B;
    double eta, fac[MAX_B + 1], logfac[MAX_B + 1];
    int sgn[MAX_B + 1];
} step_table;

static step_table table_make(const batch_law *L, double eta) {
    step_table S = {.B = L->B, .eta = eta};
    for (int k = 0; k <= L->B; k++) {
        S.fac[k] = 1 - eta * L->xbar[k];
        S.logfac[k] = log(fabs(S.fac[k]));
        S.sgn[k] = S.fac[k] < 0 ? -1 : 1;
    }
    return S;
}

static inline int draw_k(gsl_rng *r, int B) {
    int k = 0;
    for (int i = 0; i < B; i++) k += gsl_rng_uniform(r) < P.p;
    return k;
}

// One run of T steps.  counts[k] += number of batches with k a's (C1).  If path != NULL,
// log10|w_t| is stored every PATH_EVERY steps (NAN after divergence).
static run_result sgd_run(gsl_rng *r, const step_table *S, long T, long *counts, double *path) {
    double w = P.w0 * (2 * gsl_rng_uniform(r) - 1);
    int in_log = 0, sgn = w < 0 ? -1 : 1;
    double lw = 0;  // log|w| when in_log
    run_result res = {0, 0};
    if (fabs(w) < LOG_REGIME) { in_log = 1; lw = log(fabs(w)); }
    for (long t = 0; t < T; t++) {
        if (path && t % PATH_EVERY == 0) path[t / PATH_EVERY] = in_log ? lw / M_LN10 : log10(fabs(w));
        int k = draw_k(r, S->B);
        counts[k]++;
        if (in_log) {
            lw += S->logfac[k];
            sgn *= S->sgn[k];
            if (lw > log(LOG_REGIME)) { in_log = 0; w = sgn * exp(lw); }
        } else {
            w = w * S->fac[k] - S->eta * w * w * w;  // w - eta (xbar w + w^3)
            if (!(fabs(w) <= DIVERGED)) {
                res.w_final = w;
                res.diverged = 1;
                if (path)
                    for (long u = t + 1; u < T; u++)
                        if (u % PATH_EVERY == 0) path[u / PATH_EVERY] = NAN;
                return res;
            }
            if (fabs(w) < LOG_REGIME) { in_log = 1; sgn = w < 0 ? -1 : 1; lw = log(fabs(w)); }
        }
    }
    res.w_final = in_log ? sgn * exp(lw) : w;  // exp underflows to 0 for the deep runs: |w_T| < 1e-12
    return res;
}

// Full-batch gradient descent on L(w): w <- w - eta (mu w + w^3).
static double gd_run(double w, double eta, double mu, long T) {
    for (long t = 0; t < T && fabs(w) <= DIVERGED; t++) w = w - eta * (mu * w + w * w * w);
    return w;
}

// Per (B, eta) results.
typedef struct {
    double eta, Lambda, s2, kappa, Lhat, se, z;
    int R;
    double f_max, f_esc, f_div;
    long nsamp;
} cell;

typedef struct {
    double eta;
    int at_max;
    double max_dev;  // max over runs of ||w_T| - sqrt(-mu)|
} gd_cell;

// ---- measurement (claims) ----
//
// The claims.  Let $W_{th}$ be the grid points with $\Lambda_B < 0$ and $W_{emp}$
// those where at least half the runs end at the maximum.
//
// * **C1** $|\hat\Lambda - \Lambda_B| \le 4 s_B/\sqrt{n}$ at every grid point ($n$ samples),
//   and Brent's roots of $\Lambda_1$ equal the closed form $(\eta_1, \eta_2)$ to $10^{-10}$.
// * **C2** fraction at max $\ge 0.9$ wherever $\Lambda_B < 0$ and $\kappa_B \ge 0.2$.
// * **C3** fraction at max $\le 0.1$ wherever $\Lambda_B \ge 0.02$.
// * **C4** $W_{emp} = W_{th}$ up to one grid point at each predicted edge, the nearest one.
// * **C5** GD never ends at the maximum and always ends within $10^{-6}$ of $\pm\sqrt{-\mu}$.

// C4 for one batch size: number of grid points where the sets differ; *ok = 1 when every such
// point is the grid point nearest a predicted edge, at most one per edge.
static int window_mismatch(const cell *cells, int ne, const double *edges, int nw, int *ok) {
    int nd = 0;
    *ok = 1;
    int used[2 * MAX_WIN] = {0};
    for (int j = 0; j < ne; j++) {
        int th = cells[j].Lambda < 0, emp = cells[j].f_max >= 0.5;
        if (th == emp) continue;
        nd++;
        // nearest predicted edge to this grid point; it must have this point as its nearest
        int best = -1;
        double bd = INFINITY;
        for (int e = 0; e < 2 * nw; e++) {
            double d = fabs(edges[e] - cells[j].eta);
            if (d < bd) { bd = d; best = e; }
        }
        int nearest_of_edge = best >= 0;
        for (int i = 0; best >= 0 && i < ne; i++)
            if (fabs(edges[best] - cells[i].eta) < bd) nearest_of_edge = 0;
        if (!nearest_of_edge || used[best]++) *ok = 0;
    }
    return nd;
}

// ---- output and main ----

int main(int argc, char **argv) {
    cli c = {.slug = "sgd-local-maxima",
             .summary = "SGD on l(w;x) = x w^2/2 + w^4/4 (x = a w.p. p, else -b) converges to the local maximum "
                        "w = 0 exactly where the Lyapunov exponent E log|1 - eta xbar| is negative; GD never does.",
             .claims = "sgdmax.C1-C5",
             .opts = opts};
    cli_parse(&c, argc, argv);
    if (c.quick) {  // --quick: the grid unchanged, R = 200 / 100, T = 10000
        if (!cli_given(&c, "runs")) P.runs = (cli_ilist){2, {200, 100}};
        if (!cli_given(&c, "steps")) P.steps = 10000;
    }
    if (P.eta_max < P.eta_min) cli_usage_error(&c, "--eta-max (%g) must be >= --eta-min (%g)", P.eta_max, P.eta_min);
    int ne = (int)floor((P.eta_max - P.eta_min) / P.eta_step + 1e-9) + 1;
    if (ne > 10000) cli_usage_error(&c, "the eta grid has %d points; at most 10000", ne);
    if (P.runs.n != 1 && P.runs.n != P.batches.n)
        cli_usage_error(&c, "--runs has %d entries; give one, or one per --batches entry (%d)", P.runs.n, P.batches.n);
    double *etas = XNEW(double, ne);
    for (int j = 0; j < ne; j++) etas[j] = P.eta_min + j * P.eta_step;
    // A grid point on a singular point 1/xbar_k makes Lambda = -inf: refuse it up front.
    for (int ib = 0; ib < P.batches.n; ib++) {
        batch_law L = law_make((int)P.batches.v[ib]);
        for (int j = 0; j < ne; j++)
            for (int k = 0; k <= L.B; k++)
                if (fabs(1 - etas[j] * L.xbar[k]) < 1e-9)
                    cli_usage_error(&c, "eta = %g is the singular point 1/xbar (B = %d, k = %d); shift the grid",
                                    etas[j], L.B, k);
    }
    double mu = P.p * P.a - (1 - P.p) * P.b;
    double t0 = util_now();
    gsl_set_error_handler_off();

    // Theory: Lambda_B on a fine grid and the windows, B = 1, 2, 4, 8 (drawn), plus simulated B.
    const int BTH[4] = {1, 2, 4, 8};
    double eta_hi = fmax(2.0, P.eta_max + P.eta_step);
    tsv *tt = tsv_open(&c, "theory.tsv", "sgdmax.C1 sgdmax.C4");
    tsv_allow_nonfinite(tt, 1);  // Lambda = -inf exactly at a singular point, should one be hit
    tsv_note(tt, "Lambda_B(eta) = E log|1 - eta xbar|, xbar the mean of B samples (x = a w.p. p, else -b)");
    tsv_note(tt, "mu = p a - (1-p) b = %.10g", mu);
    tsv_columns(tt, "eta\tLambda_1\tLambda_2\tLambda_4\tLambda_8");
    batch_law LT[4];
    for (int i = 0; i < 4; i++) LT[i] = law_make(BTH[i]);
    for (int i = 0; i < THEORY_POINTS; i++) {
        double e = eta_hi * (i + 0.5) / THEORY_POINTS;
        double v[4];
        for (int q = 0; q < 4; q++) v[q] = lyapunov(&LT[q], e, NULL);
        tsv_row(tt, "%.10g\t%.10g\t%.10g\t%.10g\t%.10g", e, v[0], v[1], v[2], v[3]);
    }
    tsv_close(tt);

    tsv *tw = tsv_open(&c, "windows.tsv", "sgdmax.C4");
    tsv_note(tw, "windows of Lambda_B < 0 within 0 < eta < %g, roots by Brent's method", eta_hi);
    tsv_columns(tw, "B\twindow\teta_lo\teta_hi");
    printf("predicted windows {eta : Lambda_B(eta) < 0} in (0, %g):\n", eta_hi);
    int allB[MAX_B + 1] = {0};
    for (int i = 0; i < 4; i++) allB[BTH[i]] = 1;
    for (int i = 0; i < P.batches.n; i++) allB[P.batches.v[i]] = 1;
    double edges[MAX_B + 1][2 * MAX_WIN];
    int nwin[MAX_B + 1] = {0};
    for (int B = 1; B <= MAX_B; B++) {
        if (!allB[B]) continue;
        nwin[B] = lyap_windows(B, eta_hi, edges[B]);
        printf("  B = %-2d", B);
        if (!nwin[B]) printf("  none");
        for (int w = 0; w < nwin[B]; w++) {
            printf("  (%.6f, %.6f)", edges[B][2 * w], edges[B][2 * w + 1]);
            tsv_row(tw, "%d\t%d\t%.12g\t%.12g", B, w, edges[B][2 * w], edges[B][2 * w + 1]);
        }
        printf("\n");
    }
    printf("  B = inf (GD): none, the factor 1 - eta mu = 1 + %.4g eta > 1\n", -mu);
    tsv_close(tw);

    // Experiment: the grid, per simulated batch size.
    int nb = P.batches.n;
    cell *cells = XNEW(cell, (size_t)nb * ne);
    int jh[2] = {-1, -1};  // grid points nearest 0.65 and 0.25 for the histograms (B = first)
    const double eta_hist[2] = {0.65, 0.25};
    for (int h = 0; h < 2; h++) {
        double bd = INFINITY;
        for (int j = 0; j < ne; j++)
            if (fabs(etas[j] - eta_hist[h]) < bd) { bd = fabs(etas[j] - eta_hist[h]); jh[h] = j; }
    }
    int hist_sgd[2][HIST_BINS] = {{0}}, hist_gd[HIST_BINS] = {0};
    int hist_out_sgd[2] = {0};
    for (int ib = 0; ib < nb; ib++) {
        int B = (int)P.batches.v[ib];
        int R = (int)(P.runs.n == 1 ? P.runs.v[0] : P.runs.v[ib]);
        batch_law L = law_make(B);
        for (int j = 0; j < ne; j++) {
            cell *cl = &cells[(size_t)ib * ne + j];
            step_table S = table_make(&L, etas[j]);
            gsl_rng *r = rng_alloc(c.seed, 1000u * (unsigned)B + (unsigned)j);  // one stream per (B, eta)
            long counts[MAX_B + 1] = {0};
            int nmax = 0, nesc = 0, ndiv = 0;
            for (int run = 0; run < R; run++) {
                run_result res = sgd_run(r, &S, P.steps, counts, NULL);
                double aw = fabs(res.w_final);
                if (res.diverged) ndiv++;
                else if (aw < AT_MAX) nmax++;
                else if (aw > ESCAPED) nesc++;
                for (int h = 0; h < 2; h++)
                    if (ib == 0 && j == jh[h]) {
                        int bin = (int)floor((res.w_final + 1) / 2 * HIST_BINS);
                        if (!res.diverged && bin >= 0 && bin < HIST_BINS) hist_sgd[h][bin]++;
                        else hist_out_sgd[h]++;
                    }
            }
            rng_free(r);
            cl->eta = etas[j];
            cl->R = R;
            cl->Lambda = lyapunov(&L, etas[j], &cl->s2);
            cl->kappa = 2 * fabs(cl->Lambda) / cl->s2;
            long n = 0;
            double sum = 0;
            for (int k = 0; k <= B; k++) { n += counts[k]; sum += counts[k] * S.logfac[k]; }
            cl->nsamp = n;
            cl->Lhat = sum / n;
            cl->se = sqrt(cl->s2 / n);
            cl->z = (cl->Lhat - cl->Lambda) / cl->se;
            cl->f_max = (double)nmax / R;
            cl->f_esc = (double)nesc / R;
            cl->f_div = (double)ndiv / R;
            progress("B = %d: eta = %.3g done (%d/%d), %.1f s", B, etas[j], j + 1, ne, util_now() - t0);
        }
    }

    // Gradient descent from GD_RUNS starts per eta, its own stream.
    gd_cell *gd = XNEW(gd_cell, ne);
    double wmin = mu < 0 ? sqrt(-mu) : 0;
    {
        gsl_rng *r = rng_alloc(c.seed, 999);
        for (int j = 0; j < ne; j++) {
            gd[j].eta = etas[j];
            for (int run = 0; run < GD_RUNS; run++) {
                double w = gd_run(P.w0 * (2 * gsl_rng_uniform(r) - 1), etas[j], mu, P.steps);
                if (fabs(w) < AT_MAX) gd[j].at_max++;
                double dev = isfinite(w) ? fabs(fabs(w) - wmin) : INFINITY;
                if (!(dev <= gd[j].max_dev)) gd[j].max_dev = dev;
                if (j == jh[0]) {
                    int bin = (int)floor((w + 1) / 2 * HIST_BINS);
                    if (bin >= 0 && bin < HIST_BINS) hist_gd[bin]++;
                }
            }
        }
        rng_free(r);
    }

    // Example trajectories for the figure: PATH_RUNS runs at eta = 0.65 (converge), 0.25
    // (escape to the cloud around the minima) and 1.45 (escape, then diverge), B = 1.
    const double eta_path[3] = {0.65, 0.25, 1.45};
    int np = PATH_STEPS / PATH_EVERY;
    double *paths = XNEW(double, 3 * PATH_RUNS * np);
    {
        batch_law L1 = law_make(1);
        for (int e = 0; e < 3; e++) {
            step_table S = table_make(&L1, eta_path[e]);
            gsl_rng *r = rng_alloc(c.seed, 900 + (unsigned)e);
            long counts[2] = {0};
            for (int run = 0; run < PATH_RUNS; run++)
                sgd_run(r, &S, PATH_STEPS, counts, paths + (size_t)(e * PATH_RUNS + run) * np);
            rng_free(r);
        }
    }
    progress_done("simulations done in %.1f s", util_now() - t0);

    // Stdout tables.
    for (int ib = 0; ib < nb; ib++) {
        printf("\nB = %ld (R = %d runs of T = %ld steps, |w0| <= %g)\n", P.batches.v[ib], cells[ib * ne].R, P.steps, P.w0);
        printf("%6s %10s %10s %7s %7s %8s %8s %8s %8s\n", "eta", "Lambda", "Lhat", "z", "kappa", "f_max", "f_esc",
               "f_div", "GD_max");
        for (int j = 0; j < ne; j++) {
            cell *cl = &cells[(size_t)ib * ne + j];
            printf("%6.3f %+10.5f %+10.5f %+7.2f %7.3f %8.4f %8.4f %8.4f %8.4f\n", cl->eta, cl->Lambda, cl->Lhat, cl->z,
                   cl->kappa, cl->f_max, cl->f_esc, cl->f_div, (double)gd[j].at_max / GD_RUNS);
        }
    }
    printf("\n");

    // Output: TSVs.
    tsv *tf = tsv_open(&c, "fractions.tsv", "sgdmax.C1 sgdmax.C2 sgdmax.C3 sgdmax.C4");
    tsv_note(tf, "Lambda exact (binomial sum); Lhat over all n_samples batches the runs used; se = s/sqrt(n)");
    tsv_note(tf, "at max: |w_T| < %g; escaped: |w_T| > %g; diverged: |w| > %g or non-finite (run stopped)", AT_MAX,
             ESCAPED, DIVERGED);
    tsv_note(tf, "f_max_se = sqrt(f (1-f) / R), binomial");
    tsv_columns(tf, "B\teta\tLambda\ts\tkappa\tLambda_hat\tse\tz\tR\tf_max\tf_max_se\tf_escaped\tf_diverged\tn_samples");
    for (int ib = 0; ib < nb; ib++)
        for (int j = 0; j < ne; j++) {
            cell *cl = &cells[(size_t)ib * ne + j];
            tsv_row(tf, "%ld\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.6g\t%.6g\t%d\t%.6g\t%.6g\t%.6g\t%.6g\t%ld",
                    P.batches.v[ib], cl->eta, cl->Lambda, sqrt(cl->s2), cl->kappa, cl->Lhat, cl->se, cl->z, cl->R,
                    cl->f_max, sqrt(cl->f_max * (1 - cl->f_max) / cl->R), cl->f_esc, cl->f_div, cl->nsamp);
        }
    tsv_close(tf);

    tsv *tg = tsv_open(&c, "gd.tsv", "sgdmax.C5");
    tsv_note(tg, "full-batch GD w <- w - eta (mu w + w^3) from %d starts U(-w0, w0) per eta; minima at +-%.10g", GD_RUNS,
             wmin);
    tsv_allow_nonfinite(tg, 1);  // max_dev = inf if a GD run diverged (eta beyond 2/L''(min))
    tsv_columns(tg, "eta\truns\tf_max\tmax_dev_from_min");
    for (int j = 0; j < ne; j++)
        tsv_row(tg, "%.10g\t%d\t%.6g\t%.6g", gd[j].eta, GD_RUNS, (double)gd[j].at_max / GD_RUNS, gd[j].max_dev);
    tsv_close(tg);

    tsv *th = tsv_open(&c, "hist.tsv", "sgdmax.C5");
    tsv_note(th, "histograms of the final w_T on [-1, 1] (%d bins): SGD B = %ld at eta = %.4g and %.4g, GD at eta = %.4g",
             HIST_BINS, P.batches.v[0], etas[jh[0]], etas[jh[1]], etas[jh[0]]);
    tsv_note(th, "runs outside [-1, 1] or diverged: %d (eta = %.4g) and %d (eta = %.4g)", hist_out_sgd[0], etas[jh[0]],
             hist_out_sgd[1], etas[jh[1]]);
    tsv_note(th, "columns are fractions of runs per bin (SGD: R = %d runs; GD: %d runs)", cells[0].R, GD_RUNS);
    tsv_columns(th, "w\tsgd_a\tsgd_b\tgd_a");
    for (int i = 0; i < HIST_BINS; i++)
        tsv_row(th, "%.6g\t%.6g\t%.6g\t%.6g", -1 + (i + 0.5) * 2.0 / HIST_BINS, (double)hist_sgd[0][i] / cells[0].R,
                (double)hist_sgd[1][i] / cells[0].R, (double)hist_gd[i] / GD_RUNS);
    tsv_close(th);

    tsv *tp = tsv_open(&c, "paths.tsv", "sgdmax.C1");
    tsv_allow_nonfinite(tp, 1);  // nan after a run diverged
    tsv_note(tp, "log10|w_t| of %d SGD runs (B = 1) per eta, every %d steps; nan after divergence", PATH_RUNS,
             PATH_EVERY);
    {
        batch_law L1 = law_make(1);
        tsv_note(tp, "Lambda_1 at eta = 0.65, 0.25, 1.45: %.10g %.10g %.10g", lyapunov(&L1, 0.65, NULL),
                 lyapunov(&L1, 0.25, NULL), lyapunov(&L1, 1.45, NULL));
    }
    tsv_columns(tp, "t\teta\trun\tlog10_abs_w");
    for (int e = 0; e < 3; e++)
        for (int run = 0; run < PATH_RUNS; run++)
            for (int i = 0; i < np; i++)
                tsv_row(tp, "%d\t%.4g\t%d\t%.8g", i * PATH_EVERY, eta_path[e], run,
                        paths[(size_t)(e * PATH_RUNS + run) * np + i]);
    tsv_close(tp);

    // Claims.
    char what[256];
    {  // C1
        double zmax = 0;
        for (int i = 0; i < nb * ne; i++) zmax = fmax(zmax, fabs(cells[i].z));
        double rerr = NAN;
        if (P.p == 0.5 && P.b > P.a && allB[1] && nwin[1] >= 1) {
            double e1, e2;
            window_closed_form(&e1, &e2);
            rerr = fmax(fabs(edges[1][0] - e1), fabs(edges[1][1] - e2));
        }
        snprintf(what, sizeof what, "max |Lambda_hat - Lambda_B|/se over %d grid tests (B=1 root error vs closed form %.2g)",
                 nb * ne, rerr);
        int rootok = isnan(rerr) || rerr <= 1e-10;
        claim_check("sgdmax.C1", CLAIM_IDENTITY, zmax <= 4 && rootok, what, zmax, "4; roots 1e-10");
    }
    {  // C2
        double fmn = INFINITY;
        int nel = 0;
        for (int i = 0; i < nb * ne; i++)
            if (cells[i].Lambda < 0 && cells[i].kappa >= 0.2) { nel++; fmn = fmin(fmn, cells[i].f_max); }
        if (!nel) claim_skip("sgdmax.C2", CLAIM_EXPERIMENT, "no grid point with Lambda_B < 0 and kappa_B >= 0.2");
        else {
            snprintf(what, sizeof what, "min fraction at max over %d grid points with Lambda_B < 0, kappa_B >= 0.2", nel);
            claim_check("sgdmax.C2", CLAIM_EXPERIMENT, fmn >= 0.9, what, fmn, ">= 0.9");
        }
    }
    {  // C3
        double fmx = -1;
        int nel = 0;
        for (int i = 0; i < nb * ne; i++)
            if (cells[i].Lambda >= 0.02) { nel++; fmx = fmax(fmx, cells[i].f_max); }
        if (!nel) claim_skip("sgdmax.C3", CLAIM_EXPERIMENT, "no grid point with Lambda_B >= 0.02");
        else {
            snprintf(what, sizeof what, "max fraction at max over %d grid points with Lambda_B >= 0.02", nel);
            claim_check("sgdmax.C3", CLAIM_EXPERIMENT, fmx <= 0.1, what, fmx, "<= 0.1");
        }
    }
    {  // C4
        int nd = 0, allok = 1;
        for (int ib = 0; ib < nb; ib++) {
            int B = (int)P.batches.v[ib], ok;
            int d = window_mismatch(cells + (size_t)ib * ne, ne, edges[B], nwin[B], &ok);
            nd += d;
            allok &= ok;
            printf("window B = %d: W_th = {", B);
            for (int j = 0; j < ne; j++)
                if (cells[ib * ne + j].Lambda < 0) printf(" %.3g", etas[j]);
            printf(" }  W_emp = {");
            for (int j = 0; j < ne; j++)
                if (cells[ib * ne + j].f_max >= 0.5) printf(" %.3g", etas[j]);
            printf(" }\n");
        }
        claim_check("sgdmax.C4", CLAIM_EXPERIMENT, allok, "grid points where W_emp != W_th (allowed: the one nearest each edge)", nd,
                    "only edge-adjacent points");
    }
    if (mu >= 0) claim_skip("sgdmax.C5", CLAIM_EXPERIMENT, "mu >= 0: w = 0 is a minimum of L, not a maximum");
    else {  // C5
        int nat = 0;
        double dev = 0;
        for (int j = 0; j < ne; j++) { nat += gd[j].at_max; dev = fmax(dev, gd[j].max_dev); }
        snprintf(what, sizeof what, "GD runs at max %d of %d; max ||w_T| - sqrt(-mu)|", nat, GD_RUNS * ne);
        claim_check("sgdmax.C5", CLAIM_EXPERIMENT, nat == 0 && dev <= 1e-6, what, dev, "0 at max; 1e-6");
    }
    claim_summary(c.slug);
    fprintf(stderr, "sgd-local-maxima: %.1f s\n", util_now() - t0);
    free(etas);
    free(cells);
    free(gd);
    free(paths);
    return 0;
}
