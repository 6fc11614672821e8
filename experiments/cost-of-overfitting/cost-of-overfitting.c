// cost-of-overfitting: the agnostic cost of overfitting in (kernel) ridge regression.
//
// Paper: Lijia Zhou, James B. Simon, Gal Vardi, Nathan Srebro, "An Agnostic View on the Cost of
// Overfitting in (Kernel) Ridge Regression", arXiv 2306.13185 (ICLR 2024).  The paper has no
// figures of its own; this program draws three of our design (cost vs noise with the Theorem 1
// bound; overfitting regimes through effective ranks; the paper's inner-product application and
// the bound on real domains, where Gaussian universality fails).
//
// Claim in one sentence: the test risk of the ridgeless interpolator divided by the risk of the
// optimally tuned ridge, C = R(0)/inf_delta R(delta), is at most the ridgeless noise
// amplification E0 = n/(n - sum_i L_i^2) for EVERY target and noise level, with equality for
// pure-noise labels; and E0(n) ~ 1 + n/r_n classifies benign / tempered / catastrophic
// overfitting through the effective rank r_n.
//
// Algorithm (one chapter file per part, included below):
//   01 Z1 (theory): lambda_i = i^-1.5 (M = 2e5 modes, no tail), n = 1000.  Solve the effective
//      ridge kappa(delta) once on 400 log-spaced ridges (common/eigenframework), store E0(delta)
//      and the bias B(delta) = sum (1-L)^2 v^2 of each target; for each noise sigma^2 minimise
//      R = E0 (B + sigma^2) on the grid, refine by Brent in log delta, compare with delta = 0 and
//      with delta -> inf (R = sum v^2 + sigma^2).  C = R(0)/min.           cost.C3, C4 (C1)
//   02 Z2 (theory): ridgeless E0(n), 1 + n/r_n and R_n/n for power-law, exponential and benign
//      spectra (paper's Theorem 6 classification; the heuristic 1 + n/r_n is ours).   cost.C6
//   03 Z3 (simulation): Gaussian design with P = 16 n explicit features x_j = sqrt(lambda_j) g_j
//      and the tail as a ridge; one dsyevd per trial serves 50 ridges; exact population risk.
//      Empirical cost from trial-averaged risk curves, 68% bootstrap interval.  Default: seven
//      built-in instances; with --beta, --noise or --n the simulation runs the user's instance
//      (that target and pure noise of that sigma^2, at that n) instead.               cost.C5
//   04 Z4 (property test of Theorem 1): 200 random spectra, targets, noise levels and n.  cost.C1
//   05 Z5 (theory, the paper's application): inner-product kernel on S^{d-1}, exact level
//      eigenvalues and multiplicities at d = 100, 200, 500; E0 and C for n from d to d^3.  cost.C7
//   06 Z6 (simulation): the bound where Gaussian universality fails -- KRR on S^4 (Gaussian
//      kernel), T^4 (heat kernel) and the circle (Sobolev), measured cost against E0.   cost.C8
//
// Writes (figures/data/cost-of-overfitting/): z1_cost.tsv, z1_curves.tsv, z2_regimes.tsv,
// z3_sim.tsv, z4_instances.tsv, z5_inner.tsv, z6_universality.tsv.
// Figures: cost-of-overfitting-bound, -regimes, -beyond.
//
// Run: build/cost-of-overfitting [--quick] [--part z1|z2|z3|z4|z5|z6] [--n N] [--noise s2] ...
// Runtime: default ~40 s of CPU, single thread, reference BLAS kernels; --quick ~1.3 s.
#include <fftw3.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_zeta.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circulant.h"
#include "claim.h"
#include "cli.h"
#include "eigenframework.h"
#include "fit.h"
#include "kernel.h"
#include "krr.h"
#include "linalg.h"
#include "progress.h"
#include "rng.h"
#include "spectra.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
// Legend: n samples, lambda_i eigenvalues (descending), v_i^2 target power per mode, sigma2 the
// label-noise variance, delta the absolute ridge on the unnormalised Gram matrix, kappa the effective ridge,
// E0 the overfitting coefficient, C the cost of overfitting, r_k and R_k the effective ranks.
struct params {
    double alpha;          // power-law exponent of the spectrum (Z1, Z3)
    double beta;           // target exponent for a single custom series (with --part and --beta)
    double noise;          // sigma^2 of a single custom series
    long n;                // Z1 sample size
    long M;                // Z1 number of modes (no tail: the truncation is part of the instance)
    int P_factor;          // Z3: P = P_factor * n explicit features
    int trials;            // Z3 trials at n = 256
    int grid;              // number of log-spaced ridges in [1e-8, 1e4] (Z1, Z4)
    int instances;         // Z4 random instances
    const char *part;      // all | z1 | z2 | z3 | z4
    const char *spectrum;  // Z2 series when given alone: power | exp | benign
};
static struct params P = {.alpha = 1.5,
                          .beta = 1.25,
                          .noise = 1.0,
                          .n = 1000,
                          .M = 200000,
                          .P_factor = 16,
                          .trials = 10,
                          .grid = 400,
                          .instances = 200,
                          .part = "all",
                          .spectrum = "power"};

// clang-format off
static cli_opt opts[] = {
    {.name = "alpha", .type = CLI_DOUBLE, .dest = &P.alpha, .min = 1.01, .max = 10,
     .help = "spectrum exponent lambda_i = i^-alpha (Z1, Z3)"},
    {.name = "beta", .type = CLI_DOUBLE, .dest = &P.beta, .min = 1.001, .max = 20,
     .help = "target exponent v_i^2 ~ i^-beta of one extra Z1 series"},
    {.name = "noise", .type = CLI_DOUBLE, .dest = &P.noise, .min = 0, .max = 1e6,
     .help = "label-noise variance sigma^2 of that series"},
    {.name = "n", .type = CLI_LONG, .dest = &P.n, .min = 2, .max = 1e6, .help = "Z1 sample size"},
    {.name = "M", .type = CLI_LONG, .dest = &P.M, .min = 10, .max = 1e7, .help = "Z1 number of modes (no tail)"},
    {.name = "P-factor", .type = CLI_INT, .dest = &P.P_factor, .min = 2, .max = 64,
     .help = "Z3 explicit features P = factor * n"},
    {.name = "trials", .type = CLI_INT, .dest = &P.trials, .min = 2, .max = 1000, .help = "Z3 trials"},
    {.name = "ridge-grid", .type = CLI_INT, .dest = &P.grid, .min = 20, .max = 5000,
     .help = "number of log-spaced ridges in [1e-8, 1e4]"},
    {.name = "instances", .type = CLI_INT, .dest = &P.instances, .min = 1, .max = 100000,
     .help = "Z4 random instances"},
    {.name = "part", .type = CLI_CHOICE, .dest = &P.part,
     .help = "which part to run", .choices = "all|z1|z2|z3|z4|z5|z6"},
    {.name = "spectrum", .type = CLI_CHOICE, .dest = &P.spectrum,
     .help = "Z2 spectrum when run alone", .choices = "power|exp|benign"},
    {0}};
// clang-format on
static cli C = {.slug = "cost-of-overfitting",
                .summary =
                    "Cost of overfitting C = R(ridgeless)/min_delta R(delta) against its bound E0 "
                    "(Zhou, Simon, Vardi, Srebro, arXiv 2306.13185).",
                .claims = "cost.C1-C8",
                .opts = opts};

// Named RNG streams.  Z3 and Z4 keep the numbers of the earlier program, so their tables are
// unchanged: Z3 group g draws from STREAM_Z3 + g and bootstraps from STREAM_Z3 + g + 100.
enum { STREAM_Z3 = 10, STREAM_Z4 = 20, STREAM_Z6 = 200 };

#define DLO 1e-8  // ridge grid [DLO, DHI]: covers the optima of every Z1 target (1e-2 .. 20)
#define DHI 1e4

// ---- theory: the cost of overfitting ----
// Predicted risk (paper eqs. (8)-(10)), noisy test labels:
//   $\tilde R(\delta) = E_0(\delta)\,(\sum_i (1-L_{i,\delta})^2 v_i^2 + \sigma^2)$,
//   $\tilde R(\infty) = \sum_i v_i^2 + \sigma^2$ (the zero predictor).
// Definition 1: $\tilde C = \tilde R(0)/\inf_{\delta>0}\tilde R(\delta)$.  The infimum includes both
// ends: $\delta\to 0^+$ (which is $\tilde R(0)$ itself, by continuity) and $\delta\to\infty$.
// Theorem 1: $\tilde C \le E_0$; equality when $v \equiv 0$.  Proof: $\kappa_\delta > \kappa_0$ so
// every $(1-L)^2$ grows with $\delta$, and $E_0(\delta)\ge 1$, hence
// $\tilde R(\delta) \ge \sum (1-L_{i,0})^2 v_i^2 + \sigma^2 = \tilde R(0)/E_0$.

typedef struct {
    const ef_spectrum *s;
    double n;
    const double *v2;  // (M) target, or NULL for pure noise
    double v2sum;
} task;

// R(delta) and E0(delta) at one ridge (delta > 0 or 0).
static double risk(const task *t, double delta, double sigma2, double *E0) {
    ef_fit f;
    int st = ef_solve(t->s, t->n, delta, &f);
    if (st) DIE("eigenframework failed at n = %g, delta = %g: %s", t->n, delta, ef_strerror(st));
    double B = 0;
    if (t->v2) {
        ef_pred pr;
        ef_predict(t->s, &f, t->v2, 0.0, 0.0, &pr);
        B = pr.bias;
    }
    if (E0) *E0 = f.E0;
    return f.E0 * (B + sigma2);
}

// A precomputed ridge grid: kappa(delta) does not depend on the target or
// the noise, so one solve per ridge serves every target: E0_j and B_tj at delta_j.
// The refinement starts from three grid neighbours, which recur from one noise level to the
// next: their solves are kept (memo), at the ridge exp(log(delta_j)) the refinement asks for,
// so the numbers are those of a fresh solve.
typedef struct {
    int G, nt;
    double *delta, *E0, *B;  // B (nt, G)
    int *mhave;              // (G) memo: solved at exp(log(delta_j))
    ef_fit *mfit;            // (G)
    double *mB;              // (nt, G) memo biases, NAN until computed
} rgrid;

static void grid_fill_many(const ef_spectrum *s, double n, int nt, double *const *v2, int G, rgrid *g) {
    g->G = G, g->nt = nt;
    g->delta = XNEW(double, G), g->E0 = XNEW(double, G), g->B = XNEW(double, (size_t)G *nt);
    g->mhave = XNEW(int, G), g->mfit = XNEW(ef_fit, G), g->mB = XNEW(double, (size_t)G *nt);
    for (size_t i = 0; i < (size_t)G * nt; i++) g->mB[i] = NAN;
    for (int j = 0; j < G; j++) {
        g->delta[j] = DLO * pow(DHI / DLO, (double)j / (G - 1));
        ef_fit f;
        int st = ef_solve(s, n, g->delta[j], &f);
        if (st) DIE("eigenframework failed at n = %g, delta = %g: %s", n, g->delta[j], ef_strerror(st));
        g->E0[j] = f.E0;
        for (int t = 0; t < nt; t++) {
            ef_pred pr;
            if (v2[t]) ef_predict(s, &f, v2[t], 0.0, 0.0, &pr);
            g->B[(size_t)t * G + j] = v2[t] ? pr.bias : 0.0;
        }
    }
}
static void grid_fill(const task *t, int G, rgrid *g) {
    double *v2 = (double *)t->v2;
    grid_fill_many(t->s, t->n, 1, &v2, G, g);
}
static void grid_free(rgrid *g) { free(g->delta), free(g->E0), free(g->B), free(g->mhave), free(g->mfit), free(g->mB); }

// risk(t, exp(log(delta_j)), sigma2) through the memo (t must be target tg of the grid).
static double grid_risk(rgrid *g, int tg, int j, const task *t, double sigma2) {
    if (!g->mhave[j]) {
        double delta = exp(log(g->delta[j]));
        int st = ef_solve(t->s, t->n, delta, &g->mfit[j]);
        if (st) DIE("eigenframework failed at n = %g, delta = %g: %s", t->n, delta, ef_strerror(st));
        g->mhave[j] = 1;
    }
    double *B = &g->mB[(size_t)tg * g->G + j];
    if (isnan(*B)) {
        *B = 0;
        if (t->v2) {
            ef_pred pr;
            ef_predict(t->s, &g->mfit[j], t->v2, 0.0, 0.0, &pr);
            *B = pr.bias;
        }
    }
    return g->mfit[j].E0 * (*B + sigma2);
}

typedef struct {
    double E0, R0, Rmin, dstar, C;  // dstar: 0 (limit delta -> 0), inf, or the optimum
} cost_th;

// Minimise R in u = log delta on [ua, ub] around the grid minimum um (R(um) below both ends),
// by Brent's method (golden section + parabolic steps; gsl_min_fminimizer_brent) to
// |ub - ua| < tol (Brent is golden section with parabolic acceleration, ~10 evaluations
// instead of ~45 at tol = 1e-10).
#define STALL_ITERS 10  // iterations without a narrower bracket that end the refinement
typedef struct {
    const task *t;
    double sigma2;
} rpar;
static double risk_u(double u, void *par) {
    const rpar *q = par;
    return risk(q->t, exp(u), q->sigma2, NULL);
}
static double refine(const task *t, double sigma2, double ua, double um, double ub, double fa, double fm, double fb,
                     double tol, double *Rbest) {
    rpar q = {t, sigma2};
    gsl_function F = {risk_u, &q};
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!(fm < fa && fm < fb)) {  // no interior bracket (flat or at an edge): keep the best point
        gsl_min_fminimizer_free(m);
        double u = fa <= fm ? (fa <= fb ? ua : ub) : (fm <= fb ? um : ub);
        *Rbest = fmin(fa, fmin(fm, fb));
        return u;
    }
    gsl_min_fminimizer_set_with_values(m, &F, um, fm, ua, fa, ub, fb);
    // Stop at the tolerance, or when Brent has stalled: GSL's Brent does not shrink its bracket
    // below its own resolution (about 1e-8 |u|), so a tolerance of 1e-10 used to spin through all
    // 200 iterations (2800 of Z1's 3500 solves) without moving x_minimum.
    double wprev = INFINITY;
    int stall = 0;
    for (int it = 0; it < 200; it++) {
        gsl_min_fminimizer_iterate(m);
        double w = gsl_min_fminimizer_x_upper(m) - gsl_min_fminimizer_x_lower(m);
        if (w < tol) break;
        stall = w < wprev ? 0 : stall + 1;
        if (stall >= STALL_ITERS) break;
        wprev = w;
    }
    double u = gsl_min_fminimizer_x_minimum(m);
    *Rbest = gsl_min_fminimizer_f_minimum(m);
    gsl_min_fminimizer_free(m);
    return u;
}

// C for one (task, sigma^2) from its grid, refined.  R(0) and E0 come from a ridgeless solve.
static void cost_theory(const task *t, rgrid *g, int tg, double E0_0, double B0, double sigma2, double tol,
                        cost_th *o) {
    o->E0 = E0_0;
    o->R0 = E0_0 * (B0 + sigma2);
    int jm = 0;
    double Rm = INFINITY;
    for (int j = 0; j < g->G; j++) {
        double R = g->E0[j] * (g->B[(size_t)tg * g->G + j] + sigma2);
        if (R < Rm) Rm = R, jm = j;
    }
    // refine between the neighbours of the grid minimum (pure noise needs no refinement:
    // R = E0(delta) sigma^2 decreases monotonically towards its delta -> inf limit)
    int ja = jm > 0 ? jm - 1 : 0, jb = jm < g->G - 1 ? jm + 1 : g->G - 1;
    double Rg = INFINITY, ug = 0;
    if (t->v2)
        ug = refine(t, sigma2, log(g->delta[ja]), log(g->delta[jm]), log(g->delta[jb]), grid_risk(g, tg, ja, t, sigma2),
                    grid_risk(g, tg, jm, t, sigma2), grid_risk(g, tg, jb, t, sigma2), tol, &Rg);
    double Rmin = Rm, dstar = g->delta[jm];
    if (Rg < Rmin) Rmin = Rg, dstar = exp(ug);
    double Rinf = t->v2sum + sigma2;  // delta -> inf
    if (Rinf < Rmin) Rmin = Rinf, dstar = INFINITY;
    if (o->R0 <= Rmin) Rmin = o->R0, dstar = 0;  // delta -> 0+ is the best
    o->Rmin = Rmin;
    o->dstar = dstar;
    o->C = o->R0 / Rmin;
}

// Ridgeless E0 and B(0) of a task.
static void ridgeless(const task *t, double *E0, double *B0) {
    double R = risk(t, 0.0, 1.0, E0);  // sigma^2 = 1 only to read E0 (B + 1)
    *B0 = R / *E0 - 1.0;
}

#include "01-cost-vs-noise.c"
#include "02-regimes.c"
#include "03-gaussian-design.c"
#include "04-property-test.c"
#include "05-inner-product.c"
#include "06-universality.c"

// ---- main: the parts ----
int main(int argc, char **argv) {
    C.seed = 1;
    cli_parse(&C, argc, argv);
    int quick = C.quick;
    // --quick: M = 2e4 modes (the C3 reference table belongs to M = 2e5 and is skipped)
    if (quick && !cli_given(&C, "M")) P.M = 20000;
    // Part flags: without --part, a flag that belongs to one part runs just that part
    // (--M --ridge-grid: Z1; --spectrum: Z2; --P-factor --trials: Z3; --instances: Z4;
    // --alpha, --beta, --noise, --n: Z1 and Z3, the theory and the simulation of that instance).
    int all = strcmp(P.part, "all") == 0;
    int z1 = all || !strcmp(P.part, "z1"), z2 = all || !strcmp(P.part, "z2"), z3 = all || !strcmp(P.part, "z3"),
        z4 = all || !strcmp(P.part, "z4"), z5 = all || !strcmp(P.part, "z5"), z6 = all || !strcmp(P.part, "z6");
    if (all && cli_any_given(&C)) {
        z1 = cli_given(&C, "beta") || cli_given(&C, "noise") || cli_given(&C, "n") || cli_given(&C, "M") ||
             cli_given(&C, "ridge-grid") || cli_given(&C, "alpha");
        z2 = cli_given(&C, "spectrum");
        z3 = cli_given(&C, "P-factor") || cli_given(&C, "trials") || cli_given(&C, "alpha") || z3_custom();
        z4 = cli_given(&C, "instances");
        z5 = z6 = 0;
        all = 0;
    }
    // The simulation holds three (n, 16 n) matrices: cap its n before anything is computed.
    if (z3 && z3_custom() && cli_given(&C, "n") && P.n > 1024)
        cli_usage_error(&C,
                        "--n %ld: the Z3 simulation is limited to n <= 1024 (it stores 3 x %d n^2 doubles); "
                        "use --part z1 for the theory alone at this n",
                        P.n, P.P_factor);
    double t0 = util_now();
    if (z1) part_z1(quick, z4);  // cost.C3, C4: cost vs noise, Theorem 1 and its tightness
    if (z4) part_z4(quick);      // cost.C1: Theorem 1 on random instances (and the Z1 points)
    if (z2) part_z2(quick);      // cost.C6: regimes through effective ranks (Theorem 6)
    if (z3) part_z3(quick);      // cost.C5: Gaussian-design simulation
    if (z5) part_z5(quick);      // cost.C7: inner-product kernels, n ~ d^l (the paper's application)
    if (z6) part_z6(quick);      // cost.C8: the bound where Gaussian universality fails
    progress_done("cost-of-overfitting: %.1f s", util_now() - t0);
    claim_summary(C.slug);
    return 0;
}
