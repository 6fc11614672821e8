// cost-of-overfitting: the agnostic cost of overfitting in (kernel) ridge regression.
//
// Paper: Lijia Zhou, James B. Simon, Gal Vardi, Nathan Srebro, "An Agnostic View on the Cost of
// Overfitting in (Kernel) Ridge Regression", arXiv 2306.13185 (ICLR 2024).  The paper has no
// figures of its own; this program draws two figures of our design (cost vs noise with the
// Theorem 1 bound; overfitting regimes through effective ranks).
//
// Claim in one sentence: the test risk of the ridgeless interpolator divided by the risk of the
// optimally tuned ridge, C = R(0)/inf_delta R(delta), is at most the ridgeless noise
// amplification E0 = n/(n - sum_i L_i^2) for EVERY target and noise level, with equality for
// pure-noise labels; and E0(n) ~ 1 + n/r_n classifies benign / tempered / catastrophic
// overfitting through the effective rank r_n.
//
// Algorithm:
//   1. Z1 (theory): lambda_i = i^-1.5 (M = 2e5 modes, no tail), n = 1000.  Solve the effective
//      ridge kappa(delta) once on 400 log-spaced ridges (common/eigenframework), store E0(delta)
//      and the bias B(delta) = sum (1-L)^2 v^2 of each target; for each noise sigma^2 minimise
//      R = E0 (B + sigma^2) on the grid, refine by golden section in log delta, compare with
//      delta = 0 and with delta -> inf (R = sum v^2 + sigma^2).  C = R(0)/min.
//   2. Z2 (theory): ridgeless E0(n), 1 + n/r_n and R_n/n for power-law, exponential and benign
//      spectra (paper's Theorem 6 classification; the heuristic 1 + n/r_n is ours).
//   3. Z3 (simulation): Gaussian design with P = 16 n explicit features x_j = sqrt(lambda_j) g_j
//      and the tail as a ridge; one dsyevd per trial serves 50 ridges; exact population risk.
//      Empirical cost from trial-averaged risk curves, 68% bootstrap interval.  Default: seven
//      built-in instances; with --beta, --noise or --n the simulation runs the user's instance
//      (that target and pure noise of that sigma^2, at that n) instead.
//   4. Z4 (property test of Theorem 1): 200 random spectra, targets, noise levels and n.
//
// Writes (figures/data/cost-of-overfitting/): z1_cost.tsv, z1_curves.tsv, z2_regimes.tsv,
// z3_sim.tsv, z4_instances.tsv.  Figures: cost-of-overfitting-bound, -regimes.
//
// Run: build/cost-of-overfitting [--quick] [--part z1|z2|z3|z4] [--n N] [--noise s2] ...
// Runtime: default ~60 s of CPU, single thread (Z1 32 s, Z3 13 s, Z2 10 s, Z4 6 s); --quick ~0.8 s.
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_zeta.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "cli.h"
#include "eigenframework.h"
#include "kernel.h"
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
    double alpha;      // power-law exponent of the spectrum (Z1, Z3)
    double beta;       // target exponent for a single custom series (with --part and --beta)
    double noise;      // sigma^2 of a single custom series
    long n;            // Z1 sample size
    long M;            // Z1 number of modes (no tail: the truncation is part of the instance)
    int P_factor;      // Z3: P = P_factor * n explicit features
    int trials;        // Z3 trials at n = 256
    int grid;          // number of log-spaced ridges in [1e-8, 1e4] (Z1, Z4)
    int instances;     // Z4 random instances
    const char *part;  // all | z1 | z2 | z3 | z4
    const char *spectrum;  // Z2 series when given alone: power | exp | benign
};
static struct params p = {
    .alpha = 1.5, .beta = 1.25, .noise = 1.0, .n = 1000, .M = 200000, .P_factor = 16, .trials = 10,
    .grid = 400, .instances = 200, .part = "all", .spectrum = "power"};

static cli_opt opts[] = {
    {"alpha", CLI_DOUBLE, &p.alpha, 1.01, 10, "spectrum exponent lambda_i = i^-alpha (Z1, Z3)", NULL, 0},
    {"beta", CLI_DOUBLE, &p.beta, 1.001, 20, "target exponent v_i^2 ~ i^-beta of one extra Z1 series", NULL, 0},
    {"noise", CLI_DOUBLE, &p.noise, 0, 1e6, "label-noise variance sigma^2 of that series", NULL, 0},
    {"n", CLI_LONG, &p.n, 2, 1e6, "Z1 sample size", NULL, 0},
    {"M", CLI_LONG, &p.M, 10, 1e7, "Z1 number of modes (no tail)", NULL, 0},
    {"P-factor", CLI_INT, &p.P_factor, 2, 64, "Z3 explicit features P = factor * n", NULL, 0},
    {"trials", CLI_INT, &p.trials, 2, 1000, "Z3 trials", NULL, 0},
    {"ridge-grid", CLI_INT, &p.grid, 20, 5000, "number of log-spaced ridges in [1e-8, 1e4]", NULL, 0},
    {"instances", CLI_INT, &p.instances, 1, 100000, "Z4 random instances", NULL, 0},
    {"part", CLI_CHOICE, &p.part, 0, 0, "which part to run", "all|z1|z2|z3|z4", 0},
    {"spectrum", CLI_CHOICE, &p.spectrum, 0, 0, "Z2 spectrum when run alone", "power|exp|benign", 0},
    {0}};
static cli c = {.slug = "cost-of-overfitting",
                .summary = "Cost of overfitting C = R(ridgeless)/min_delta R(delta) against its bound E0 "
                           "(Zhou, Simon, Vardi, Srebro, arXiv 2306.13185).",
                .claims = "cost.C1-C6",
                .opts = opts};

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
typedef struct {
    int G, nt;
    double *delta, *E0, *B;  // B (nt, G)
} rgrid;

static void grid_fill_many(const ef_spectrum *s, double n, int nt, double *const *v2, int G, rgrid *g) {
    g->G = G, g->nt = nt;
    g->delta = XNEW(double, G), g->E0 = XNEW(double, G), g->B = XNEW(double, (size_t)G * nt);
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
static void grid_free(rgrid *g) { free(g->delta), free(g->E0), free(g->B); }

typedef struct {
    double E0, R0, Rmin, dstar, C;  // dstar: 0 (limit delta -> 0), inf, or the optimum
} cost_th;

// Minimise R in u = log delta on [ua, ub] around the grid minimum um (R(um) below both ends),
// by Brent's method (golden section + parabolic steps; gsl_min_fminimizer_brent) to
// |ub - ua| < tol (Brent is golden section with parabolic acceleration, ~10 evaluations
// instead of ~45 at tol = 1e-10).
typedef struct { const task *t; double sigma2; } rpar;
static double risk_u(double u, void *par) {
    const rpar *q = par;
    return risk(q->t, exp(u), q->sigma2, NULL);
}
static double refine(const task *t, double sigma2, double ua, double um, double ub, double tol, double *Rbest) {
    rpar q = {t, sigma2};
    gsl_function F = {risk_u, &q};
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    double fa = risk_u(ua, &q), fm = risk_u(um, &q), fb = risk_u(ub, &q);
    if (!(fm < fa && fm < fb)) {  // no interior bracket (flat or at an edge): keep the best point
        gsl_min_fminimizer_free(m);
        double u = fa <= fm ? (fa <= fb ? ua : ub) : (fm <= fb ? um : ub);
        *Rbest = fmin(fa, fmin(fm, fb));
        return u;
    }
    gsl_min_fminimizer_set_with_values(m, &F, um, fm, ua, fa, ub, fb);
    for (int it = 0; it < 200; it++) {
        gsl_min_fminimizer_iterate(m);
        if (gsl_min_fminimizer_x_upper(m) - gsl_min_fminimizer_x_lower(m) < tol) break;
    }
    double u = gsl_min_fminimizer_x_minimum(m);
    *Rbest = gsl_min_fminimizer_f_minimum(m);
    gsl_min_fminimizer_free(m);
    return u;
}

// C for one (task, sigma^2) from its grid, refined.  R(0) and E0 come from a ridgeless solve.
static void cost_theory(const task *t, const rgrid *g, int tg, double E0_0, double B0, double sigma2, double tol,
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
    if (t->v2) ug = refine(t, sigma2, log(g->delta[ja]), log(g->delta[jm]), log(g->delta[jb]), tol, &Rg);
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

// ---- Z1: cost vs noise for power-law targets (theory) ----
// $\lambda_i = i^{-1.5}$, $M = 2\cdot10^5$ modes WITHOUT a tail (this exact instance has
// E0 = 1.52975 at n = 1000; the infinite spectrum would give 1.4993), targets
// $v_i^2 = i^{-\beta}/\sum_{j\le M} j^{-\beta}$ and pure noise.

#define NBETA 4
static const double z1_betas[NBETA] = {1.25, 1.5, 2.0, 2.5};
// cost.C3 reference values (beta, sigma^2) -> C at alpha = 1.5, M = 2e5, n = 1000, from an
// earlier, separately written implementation of the same eigenframework (a regression check,
// hence an identity: it applies to that parameter set only)
static const double z1_sig_tab[4] = {0, 0.01, 0.1, 1};
static const double z1_tab[NBETA][4] = {{1.03145, 1.03999, 1.10789, 1.32710},
                                        {1.00000, 1.01283, 1.16128, 1.39093},
                                        {1.00000, 1.14867, 1.36525, 1.47257},
                                        {1.00000, 1.34901, 1.45369, 1.49935}};

static double *powerlaw(long M, double a, int normalise) {
    double *x = XNEW(double, M), s = 0;
    for (long i = 0; i < M; i++) s += x[i] = pow((double)(i + 1), -a);
    if (normalise)
        for (long i = 0; i < M; i++) x[i] /= s;
    return x;
}

typedef struct {
    int ok_bound, ok_table, ok_mono, ok_one;
    double worst_bound, worst_table, worst_one;
    int tab_found;
} z1_result;

static void run_z1(int quick, z1_result *res) {
    long M = p.M;
    int G = quick ? 120 : p.grid;
    double n = (double)p.n;
    double *lam = powerlaw(M, p.alpha, 0);
    ef_spectrum s = {.M = (size_t)M, .lam = lam};
    // noise levels: sigma^2 = 0 plus 25 log-spaced in [1e-3, 10] plus the tabulated ones
    double sig[40];
    int ns = 0;
    if (quick) {
        sig[ns++] = 0, sig[ns++] = 0.1, sig[ns++] = 1;
    } else {
        sig[ns++] = 0;
        for (int j = 0; j < 25; j++) {
            double x = 1e-3 * pow(1e4, j / 24.0);
            for (int q = 1; q < 4; q++)  // snap the tabulated 0.01, 0.1, 1 (grid points j = 6, 12, 18)
                if (fabs(x / z1_sig_tab[q] - 1) < 1e-9) x = z1_sig_tab[q];
            sig[ns++] = x;
        }
    }
    int betas_idx[NBETA + 1], nb = 0;
    if (quick) betas_idx[nb++] = 0, betas_idx[nb++] = 3;
    else
        for (int b = 0; b < NBETA; b++) betas_idx[nb++] = b;
    int custom = cli_given(&c, "beta") || cli_given(&c, "noise");
    int ref_applies = p.M == 200000 && p.n == 1000 && p.alpha == 1.5;  // the reference table's instance

    tsv *T = tsv_open(&c, "z1_cost.tsv", "cost.C1 cost.C2 cost.C3 cost.C4");
    tsv_note(T, "Z1: lambda_i = i^-%g, i = 1..%ld (no tail), n = %g, %d log ridges in [%g, %g] + golden refinement", p.alpha,
             M, n, G, DLO, DHI);
    tsv_note(T, "target: beta > 0 power law normalised over the M modes; beta = 0 means pure noise (v = 0)");
    tsv_note(T, "delta_star: 0 = the limit delta -> 0 is optimal; inf = delta -> inf (zero predictor) is optimal");
    tsv_allow_nonfinite(T, 1);
    tsv_columns(T, "beta\tsigma2\tE0\tR0\tRmin\tdelta_star\tC\tC_over_E0");
    tsv *Tc = tsv_open(&c, "z1_curves.tsv", "cost.C3");
    tsv_note(Tc, "Z1 beta = 1.25: E0(delta), bias B(delta) and R(delta) = E0 (B + sigma^2) for sigma^2 = 0 and 1");
    tsv_columns(Tc, "delta\tE0\tB\tR_s0\tR_s1");

    res->ok_bound = res->ok_table = res->ok_mono = res->ok_one = 1;
    res->worst_bound = res->worst_table = res->worst_one = 0;
    res->tab_found = 0;
    // targets: the betas, then pure noise (k = nb), then the custom series
    int ntarg = nb + 1 + custom;
    double *v2s[NBETA + 2], betas[NBETA + 2];
    for (int k = 0; k < ntarg; k++) {
        betas[k] = k < nb ? z1_betas[betas_idx[k]] : (k == nb ? 0 : p.beta);
        v2s[k] = betas[k] > 0 ? powerlaw(M, betas[k], 1) : NULL;
    }
    rgrid g;
    grid_fill_many(&s, n, ntarg, v2s, G, &g);
    for (int k = 0; k < ntarg; k++) {
        double beta = betas[k], *v2 = v2s[k];
        task t = {.s = &s, .n = n, .v2 = v2, .v2sum = v2 ? 1.0 : 0.0};
        double E0, B0;
        ridgeless(&t, &E0, &B0);
        if (!v2) B0 = 0;
        double Cprev = 0;
        int nsig = k == nb + 1 ? 1 : ns;
        for (int j = 0; j < nsig; j++) {
            double s2 = k == nb + 1 ? p.noise : sig[j];
            if (k == nb && s2 == 0) continue;  // pure noise needs sigma^2 > 0
            if (k == nb && quick && s2 != 1) continue;
            cost_th o;
            // refinement to 1e-10 in log delta at the tabulated points, 1e-4 elsewhere (the
            // fine curve of the figure; R is flat at its minimum, so 1e-4 in log delta is a
            // relative error ~1e-9 in R) -- this keeps Z1 at ~10 s
            int tabulated = s2 == 0 || s2 == 0.01 || s2 == 0.1 || s2 == 1;
            cost_theory(&t, &g, k, E0, B0, s2, quick ? 1e-6 : tabulated ? 1e-10 : 1e-4, &o);
            tsv_row(T, "%g\t%.10g\t%.10g\t%.10g\t%.10g\t%.6g\t%.10g\t%.10g", beta, s2, o.E0, o.R0, o.Rmin, o.dstar, o.C,
                    o.C / o.E0);
            // cost.C1: C <= E0 (1 + 1e-9)
            double viol = o.C / o.E0 - 1;
            if (viol > res->worst_bound) res->worst_bound = viol;
            if (viol > 1e-9) res->ok_bound = 0;
            // cost.C3: the table (beta in the table, sigma^2 in {0, .01, .1, 1})
            if (k < nb)
                for (int q = 0; q < 4; q++)
                    if (s2 == z1_sig_tab[q]) {
                        if (ref_applies) {
                            double e = fabs(o.C / z1_tab[betas_idx[k]][q] - 1);
                            res->tab_found++;
                            if (e > res->worst_table) res->worst_table = e;
                            if (e > 2e-3) res->ok_table = 0;
                            fprintf(stderr, "Z1 beta=%g sigma2=%g: C = %.5f (reference %.5f), delta* = %.3g, E0 = %.5f\n", beta,
                                    s2, o.C, z1_tab[betas_idx[k]][q], o.dstar, o.E0);
                        } else
                            fprintf(stderr, "Z1 beta=%g sigma2=%g: C = %.5f, delta* = %.3g, E0 = %.5f\n", beta, s2, o.C, o.dstar,
                                    o.E0);
                        // cost.C4: non-decreasing over the four table points (they are visited in order)
                        if (o.C < Cprev * (1 - 1e-9)) res->ok_mono = 0;
                        Cprev = o.C;
                        // cost.C4: beta >= alpha and sigma^2 = 0 gives C = 1
                        if (s2 == 0 && beta >= p.alpha) {
                            double e1 = fabs(o.C - 1);
                            if (e1 > res->worst_one) res->worst_one = e1;
                            if (e1 > 1e-6) res->ok_one = 0;
                        }
                    }
        }
        if (k < nb && betas_idx[k] == 0) {
            for (int j = 0; j < G; j++)
                tsv_row(Tc, "%.6g\t%.10g\t%.10g\t%.10g\t%.10g", g.delta[j], g.E0[j], g.B[j], g.E0[j] * g.B[j],
                        g.E0[j] * (g.B[j] + 1));
        }
        progress("Z1: target %d/%d", k + 1, ntarg);
        free(v2);
    }
    grid_free(&g);
    tsv_close(T);
    tsv_close(Tc);
    free(lam);
}

// ---- Z2: regimes through effective ranks (theory) ----
// Effective ranks (Bartlett et al. 2020), eigenvalues descending:
//   $r_k = \sum_{i>k}\lambda_i/\lambda_{k+1}$,  $R_k = (\sum_{i>k}\lambda_i)^2/\sum_{i>k}\lambda_i^2$.
// Heuristic for the figure (ours, not the paper's): $E_0(n) \approx 1 + n/r_n$.  Power laws:
// $n/r_n \to \alpha-1$ (tempered); exponentials: $n/r_n \approx \beta n$ (catastrophic);
// $1/(i\ln^2 i)$: $n/r_n \approx 1/\ln n$ (benign).

typedef struct {
    const char *name;
    int kind;      // 0 power, 1 exp, 2 benign
    double a;      // alpha, or exp rate
    long M;
    double nmin, nmax;
} z2_spec;

// Fill lam (M) and the tail masses beyond M of lambda and lambda^2.
static double *z2_spectrum(const z2_spec *z, double *tail1, double *tail2) {
    double *lam = XNEW(double, z->M);
    for (long i = 0; i < z->M; i++) {
        double k = (double)(i + 1);
        lam[i] = z->kind == 0 ? pow(k, -z->a) : z->kind == 1 ? exp(-z->a * k) : 1.0 / ((k + 1) * log(k + 1) * log(k + 1));
    }
    double Mf = (double)z->M;
    if (z->kind == 0) {
        *tail1 = gsl_sf_hzeta(z->a, Mf + 1);  // the eigenvalue mass beyond M, as extra ridge
        *tail2 = gsl_sf_hzeta(2 * z->a, Mf + 1);
    } else if (z->kind == 1) {
        *tail1 = *tail2 = 0;  // e^{-a M} is below rounding
    } else {
        // sum_{i>M} 1/((i+1) ln^2(i+1)) ~ int_{M+1/2}^inf dx/((x+1) ln^2(x+1)) = 1/ln(M + 1.5)
        *tail1 = 1.0 / log(Mf + 1.5);
        *tail2 = 1.0 / ((Mf + 1.5) * pow(log(Mf + 1.5), 4));  // leading order; negligible
    }
    return lam;
}

typedef struct {
    int ok_pow, ok_exp, ok_benign, ok_heur, ok_Rn;
    double worst_pow, exp_ratio, benign_1000, worst_heur, worst_Rn;
} z2_result;

static void run_z2(int quick, int only, z2_result *res) {
    // The benign spectrum uses M = 1e6 up to n = 1e5 and M = 1e7 for n = 1e6 only (the
    // tail-as-ridge needs n << M; one solve at 1e7 modes costs about a second).
    z2_spec specs[] = {{"power1.5", 0, 1.5, quick ? 100000 : 1000000, 0, 1e5},
                       {"power2", 0, 2.0, quick ? 100000 : 1000000, 0, 1e5},
                       {"power3", 0, 3.0, quick ? 100000 : 1000000, 0, 1e5},
                       {"exp0.1", 1, 0.1, 2000, 0, 300},
                       {"exp0.2", 1, 0.2, 2000, 0, 80},
                       {"benign", 2, 0, quick ? 100000 : 1000000, 0, 1e5},
                       {"benign", 2, 0, 10000000, 1e6, 1e6}};
    int nsp = quick ? 6 : 7;
    double ns_full[] = {5, 10, 20, 30, 40, 80, 100, 300, 1000, 3000, 10000, 30000, 100000, 1000000};
    double ns_quick[] = {100, 1000};
    double *ns = quick ? ns_quick : ns_full;
    int nn = quick ? 2 : 14;
    tsv *T = tsv_open(&c, "z2_regimes.tsv", "cost.C6");
    tsv_note(T, "Z2: ridgeless E0(n) by the eigenframework; power laws and benign use M explicit modes + tail mass as ridge");
    tsv_note(T, "heur = 1 + n/r_n (our heuristic for Theorem 6); Rn_over_n = R_n/n");
    tsv_columns(T, "spectrum\tM\tn\tE0\theur\tr_n\tR_n\tRn_over_n");
    res->ok_pow = res->ok_exp = res->ok_benign = res->ok_heur = res->ok_Rn = 1;
    res->worst_pow = res->worst_heur = res->worst_Rn = 0;
    res->exp_ratio = NAN, res->benign_1000 = NAN;
    double E0prev = INFINITY, Rprev = NAN;
    for (int q = 0; q < nsp; q++) {
        const z2_spec *z = &specs[q];
        if (only >= 0 && z->kind != only) continue;
        double t1, t2;
        double *lam = z2_spectrum(z, &t1, &t2);
        // suffix sums for the effective ranks (from the end, in long double for 1e7 terms)
        long M = z->M;
        ef_spectrum s = {.M = (size_t)M, .lam = lam, .extra_ridge = t1};
        double E40 = NAN, E80 = NAN;
        if (z->kind != 2 || z->nmin == 0) Rprev = NAN;  // the second benign block continues the first
        for (int j = 0; j < nn; j++) {
            double n = ns[j];
            if (n < z->nmin || n > z->nmax || n >= M / 2) continue;
            ef_fit f;
            int st = ef_solve(&s, n, 0.0, &f);
            if (st) DIE("Z2 %s n = %g: %s", z->name, n, ef_strerror(st));
            long k = (long)n;
            long double S1 = t1, S2 = t2;
            for (long i = M - 1; i >= k; i--) S1 += lam[i], S2 += (long double)lam[i] * lam[i];
            double r_n = (double)(S1 / lam[k]), R_n = (double)(S1 * S1 / S2);
            double heur = 1 + n / r_n;
            tsv_row(T, "%s\t%ld\t%g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", z->name, M, n, f.E0, heur, r_n, R_n, R_n / n);
            fprintf(stderr, "Z2 %-8s n=%-7g E0 = %.4f  1+n/r_n = %.4f  R_n/n = %.3f\n", z->name, n, f.E0, heur, R_n / n);
            if (n >= 100) {
                double e = fabs(f.E0 - heur) / f.E0;
                if (e > res->worst_heur) res->worst_heur = e;
                if (e > 0.06) res->ok_heur = 0;
            }
            if (z->kind == 0 && n == 1000) {
                double e = fabs(f.E0 - z->a) / z->a;
                if (e > res->worst_pow) res->worst_pow = e;
                if (e >= 0.02) res->ok_pow = 0;
            }
            if (z->kind == 0 && n >= 1000) {
                double want = (2 * z->a - 1) / ((z->a - 1) * (z->a - 1)), e = fabs(R_n / n / want - 1);
                if (e > res->worst_Rn) res->worst_Rn = e;
                if (e > 0.01) res->ok_Rn = 0;
            }
            if (z->kind == 1 && z->a == 0.2) {
                if (n == 40) E40 = f.E0;
                if (n == 80) E80 = f.E0;
                if (!isnan(Rprev) && R_n / n >= Rprev) res->ok_Rn = 0;  // decreasing
                Rprev = R_n / n;
            }
            if (z->kind == 2) {
                if (n >= 10 && (n == 10 || n == 100 || n == 1000 || n == 10000 || n == 100000 || n == 1000000)) {
                    if (f.E0 >= E0prev) res->ok_benign = 0;
                    E0prev = f.E0;
                }
                if (n == 1000) res->benign_1000 = f.E0;
                if (!isnan(Rprev) && R_n / n <= Rprev) res->ok_Rn = 0;  // increasing
                Rprev = R_n / n;
            }
            progress("Z2 %s n = %g", z->name, n);
        }
        if (z->kind == 1 && z->a == 0.2) {
            res->exp_ratio = E80 / E40;
            if (!(res->exp_ratio >= 1.9 && res->exp_ratio <= 2.1)) res->ok_exp = 0;
        }
        if (z->kind == 2 && z->nmin == 0 && !(res->benign_1000 < 1.2)) res->ok_benign = 0;
        free(lam);
    }
    tsv_close(T);
}

// ---- Z3: simulation with a Gaussian design ----
// $x_j = \sqrt{\lambda_j} g_j$, $j \le P = 16n$; target $f = \sum_j v_j g_j$ (normalised over the
// P modes); kernel $K = XX^\top + T I$ with the tail mass $T = \zeta(\alpha, P+1)$ as ridge
// (its eigenvalues are too small to resolve, they act as a ridge).  One dsyevd $K = U\,\mathrm{diag}(s)\,U^\top$ per trial; for every ridge the
// coefficients are $w = X^\top U\,\mathrm{diag}(1/(s+\delta))\,U^\top y$ and the population risk is
// exact: $R = \sum_j (\sqrt{\lambda_j} w_j - v_j)^2 + \sigma^2$.

typedef struct {
    char name[32];        // an id for the table; the figure labels instances by beta, sigma^2, n
    double beta, sigma2;  // beta = 0: pure noise
    int n, trials;
} z3_inst;

#define Z3_NR 50  // ridges in [1e-6, 10], plus delta = 0 and delta -> inf

typedef struct {
    double C_th, C_emp, lo, hi, E0;
    double R0_th, Rmin_th, R0_emp, Rmin_emp, R0_se;  // the two sides of C, theory and experiment
} z3_out;

// Runs every instance of one n together (they share the design and the noise draw).
static void run_z3_group(const z3_inst *in, int ni, z3_out *out, int stream) {
    int n = in[0].n, trials = in[0].trials, P = p.P_factor * n;
    double T = gsl_sf_hzeta(p.alpha, P + 1.0);
    double *lam = powerlaw(P, p.alpha, 0), *sl = XNEW(double, P);
    for (int j = 0; j < P; j++) sl[j] = sqrt(lam[j]);
    double **v = XNEW(double *, ni), *v2sum = XNEW(double, ni);
    for (int q = 0; q < ni; q++) {
        v[q] = XNEW(double, P);
        if (in[q].beta > 0) {
            double *w2 = powerlaw(P, in[q].beta, 1);
            for (int j = 0; j < P; j++) v[q][j] = sqrt(w2[j]);
            free(w2);
            v2sum[q] = 1;
        }
    }
    int NR = Z3_NR + 2;  // index 0: delta = 0, 1..50 the grid, 51: delta -> inf
    double *deltas = XNEW(double, NR);
    deltas[0] = 0;
    for (int r = 0; r < Z3_NR; r++) deltas[1 + r] = 1e-6 * pow(1e7, r / (Z3_NR - 1.0));
    deltas[NR - 1] = INFINITY;
    double *Rt = XNEW(double, (size_t)ni * trials * NR);  // risk[q][trial][r]
    double *G = XNEW(double, (size_t)n * P), *X = XNEW(double, (size_t)n * P), *K = XNEW(double, (size_t)n * n);
    double *s = XNEW(double, n), *A = XNEW(double, (size_t)P * n), *xi = XNEW(double, n);
    double *y = XNEW(double, n), *cy = XNEW(double, n), *a = XNEW(double, n), *w = XNEW(double, P);
    gsl_rng *rg = rng_alloc(c.seed, stream);
    for (int tr = 0; tr < trials; tr++) {
        rng_normal_vec(rg, (size_t)n * P, G);  // G (n,P)
        rng_normal_vec(rg, n, xi);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < P; j++) X[(size_t)i * P + j] = sl[j] * G[(size_t)i * P + j];
        // K = X X^T + T I  (n,n)
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, P, 1.0, X, P, 0.0, K, n);
        for (int i = 0; i < n; i++) {
            K[(size_t)i * n + i] += T;
            for (int j = i + 1; j < n; j++) K[(size_t)i * n + j] = K[(size_t)j * n + i];
        }
        int info = la_eigh(n, K, s, 1);  // K <- U (n,n), s ascending
        if (info) DIE("Z3: dsyevd failed (info %d) at n = %d", info, n);
        // A = X^T U  (P,n)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, P, n, n, 1.0, X, P, K, n, 0.0, A, n);
        for (int q = 0; q < ni; q++) {
            // labels y = G v + sigma xi
            cblas_dgemv(CblasRowMajor, CblasNoTrans, n, P, 1.0, G, P, v[q], 1, 0.0, y, 1);
            for (int i = 0; i < n; i++) y[i] += sqrt(in[q].sigma2) * xi[i];
            cblas_dgemv(CblasRowMajor, CblasTrans, n, n, 1.0, K, n, y, 1, 0.0, cy, 1);  // U^T y
            for (int r = 0; r < NR; r++) {
                double R;
                if (isinf(deltas[r])) R = v2sum[q] + in[q].sigma2;
                else {
                    for (int i = 0; i < n; i++) a[i] = cy[i] / (s[i] + deltas[r]);
                    cblas_dgemv(CblasRowMajor, CblasNoTrans, P, n, 1.0, A, n, a, 1, 0.0, w, 1);
                    R = in[q].sigma2;
                    for (int j = 0; j < P; j++) {
                        double e = sl[j] * w[j] - v[q][j];
                        R += e * e;
                    }
                }
                Rt[((size_t)q * trials + tr) * NR + r] = R;
            }
        }
        progress("Z3 n = %d: trial %d/%d", n, tr + 1, trials);
    }
    // theory on the same P-mode spectrum + tail ridge
    ef_spectrum sp = {.M = (size_t)P, .lam = lam, .extra_ridge = T};
    gsl_rng *rb = rng_alloc(c.seed, stream + 100);
    double *mean = XNEW(double, NR), *boot = XNEW(double, 200);
    size_t *pick = XNEW(size_t, trials);
    for (int q = 0; q < ni; q++) {
        double *v2 = XNEW(double, P);
        for (int j = 0; j < P; j++) v2[j] = v[q][j] * v[q][j];
        task t = {.s = &sp, .n = n, .v2 = in[q].beta > 0 ? v2 : NULL, .v2sum = v2sum[q]};
        rgrid g;
        grid_fill(&t, 200, &g);
        double E0, B0;
        ridgeless(&t, &E0, &B0);
        if (!t.v2) B0 = 0;
        cost_th o;
        cost_theory(&t, &g, 0, E0, B0, in[q].sigma2, 1e-8, &o);
        grid_free(&g);
        // empirical cost from trial-AVERAGED risk curves (per-trial minima are biased low)
        for (int b = -1; b < 200; b++) {
            for (int tr = 0; tr < trials; tr++) pick[tr] = b < 0 ? (size_t)tr : gsl_rng_uniform_int(rb, trials);
            for (int r = 0; r < NR; r++) {
                mean[r] = 0;
                for (int tr = 0; tr < trials; tr++) mean[r] += Rt[((size_t)q * trials + pick[tr]) * NR + r] / trials;
            }
            double mn = INFINITY;
            for (int r = 1; r < NR; r++) mn = fmin(mn, mean[r]);
            double Ce = mean[0] / fmin(mn, mean[0]);
            if (b < 0) out[q].C_emp = Ce, out[q].R0_emp = mean[0], out[q].Rmin_emp = fmin(mn, mean[0]);
            else boot[b] = Ce;
        }
        // 68% interval: the 16th and 84th percentiles of the bootstrap
        for (int i = 1; i < 200; i++)
            for (int j = i; j > 0 && boot[j] < boot[j - 1]; j--) {
                double tmp = boot[j];
                boot[j] = boot[j - 1], boot[j - 1] = tmp;
            }
        out[q].lo = boot[32], out[q].hi = boot[168];
        out[q].C_th = o.C, out[q].E0 = E0, out[q].R0_th = o.R0, out[q].Rmin_th = o.Rmin;
        {
            double s1 = 0, s2 = 0;
            for (int tr = 0; tr < trials; tr++) {
                double R = Rt[((size_t)q * trials + tr) * NR];
                s1 += R, s2 += R * R;
            }
            double m = s1 / trials;
            out[q].R0_se = trials > 1 ? sqrt(fmax(0, s2 / trials - m * m) / (trials - 1)) : NAN;
        }
        free(v2);
    }
    rng_free(rg), rng_free(rb);
    for (int q = 0; q < ni; q++) free(v[q]);
    free(v), free(v2sum), free(deltas), free(Rt), free(G), free(X), free(K), free(s), free(A), free(xi), free(y),
        free(cy), free(a), free(w), free(lam), free(sl), free(mean), free(boot), free(pick);
}

typedef struct {
    int ok;
    double worst_rel, worst_bound, worst_z, max_tol;
} z3_result;

// The instances: by default pure noise, four (beta, sigma^2) targets at n = 256 and two at
// n = 1024.  A user who gives --beta, --noise or --n gets their own: the target (beta, sigma^2)
// and pure noise of the same sigma^2 (when > 0), at n (default 256), with --trials trials.
static int z3_custom(void) { return cli_given(&c, "beta") || cli_given(&c, "noise") || cli_given(&c, "n"); }

static void z3_set(z3_inst *z, double beta, double sigma2, int n, int trials) {
    z->beta = beta, z->sigma2 = sigma2, z->n = n, z->trials = trials;
    if (beta > 0) snprintf(z->name, sizeof z->name, "b%g_s%g_n%d", beta, sigma2, n);
    else snprintf(z->name, sizeof z->name, "noise_s%g_n%d", sigma2, n);
}

static void run_z3(int quick, z3_result *res) {
    z3_inst g1[5], g2[2];
    int n1 = 0, n2 = 0;
    if (z3_custom()) {
        int n = cli_given(&c, "n") ? (int)p.n : 256;
        double beta = cli_given(&c, "beta") ? p.beta : 1.25, s2 = p.noise;
        if (s2 > 0) z3_set(&g1[n1++], 0, s2, n, p.trials);
        z3_set(&g1[n1++], beta, s2, n, p.trials);
    } else if (quick) {
        z3_set(&g1[n1++], 0, 1.0, 128, 3);
    } else {
        z3_set(&g1[n1++], 0, 1.0, 256, p.trials);
        z3_set(&g1[n1++], 1.25, 0.1, 256, p.trials);
        z3_set(&g1[n1++], 1.25, 1.0, 256, p.trials);
        z3_set(&g1[n1++], 2.0, 0.1, 256, p.trials);
        z3_set(&g1[n1++], 1.5, 0.0, 256, p.trials);
        z3_set(&g2[n2++], 0, 1.0, 1024, 4);
        z3_set(&g2[n2++], 1.25, 1.0, 1024, 4);
    }
    z3_out o1[5], o2[2];
    tsv *T = tsv_open(&c, "z3_sim.tsv", "cost.C5");
    tsv_note(T, "Z3: Gaussian design, lambda_j = j^-%g, P = %d n features + tail as ridge; %d ridges in [1e-6, 10] plus 0 and inf",
             p.alpha, p.P_factor, Z3_NR);
    tsv_note(T, "C_emp from trial-averaged risk curves; lo68, hi68: 16th/84th percentiles of 200 bootstrap resamples of trials");
    tsv_note(T, "R0, Rmin: ridgeless and optimal-ridge risk (th: eigenframework; emp: trial mean); R0_se its standard error");
    tsv_columns(T, "x\tinstance\tn\ttrials\tbeta\tsigma2\tE0\tC_th\tC_emp\tlo68\thi68\tR0_th\tR0_emp\tR0_se\tRmin_th\tRmin_emp");
    res->ok = 1, res->worst_rel = 0, res->worst_bound = 0, res->worst_z = 0, res->max_tol = 0;
    struct { z3_inst *in; z3_out *o; int ni; } groups[2] = {{g1, o1, n1}, {g2, o2, n2}};
    int x = 0;
    for (int gi = 0; gi < 2; gi++) {
        if (groups[gi].ni == 0) continue;
        run_z3_group(groups[gi].in, groups[gi].ni, groups[gi].o, 10 + gi);
        for (int q = 0; q < groups[gi].ni; q++) {
            const z3_inst *in = &groups[gi].in[q];
            const z3_out *o = &groups[gi].o[q];
            tsv_row(T, "%d\t%s\t%d\t%d\t%g\t%g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.4g\t%.10g\t%.10g", ++x, in->name,
                    in->n, in->trials, in->beta, in->sigma2, o->E0, o->C_th, o->C_emp, o->lo, o->hi, o->R0_th, o->R0_emp, o->R0_se,
                    o->Rmin_th, o->Rmin_emp);
            double rel = fabs(o->C_emp / o->C_th - 1), bnd = o->C_emp / o->E0;
            fprintf(stderr, "Z3 n=%d %-16s C_th = %.4f  C_emp = %.4f [%.4f, %.4f]  E0 = %.4f | R0 emp/th %.4f (se %.4f) Rmin emp/th %.4f\n",
                    in->n, in->name, o->C_th, o->C_emp, o->lo, o->hi, o->E0, o->R0_emp / o->R0_th, o->R0_se / o->R0_th,
                    o->Rmin_emp / o->Rmin_th);
            // Tolerance per instance: 5% (10% at --quick), or 3 standard errors of C_emp when the
            // trials are too few for that (se = half the 68% bootstrap interval).  The ridgeless
            // risk of a fast-decaying spectrum spreads widely from trial to trial: at alpha = 3,
            // beta = 1.5, sigma^2 = 0, n = 256 and 10 trials, R(0) has a standard error of 2.4%, and
            // C_emp/C_th = 1.054 there is a 2-se excursion (40 trials: 0.994 at seed 1, 1.027 at
            // seed 2; n = 1024: 0.988).
            double se = 0.5 * (o->hi - o->lo) / o->C_th, tol = fmax(quick ? 0.10 : 0.05, 3 * se);
            if (rel > res->worst_rel) res->worst_rel = rel;
            if (bnd > res->worst_bound) res->worst_bound = bnd;
            res->worst_z = fmax(res->worst_z, rel / tol), res->max_tol = fmax(res->max_tol, tol);
            if (rel > tol || bnd > 1.05) res->ok = 0;
        }
    }
    tsv_close(T);
}

// ---- Z4: property test of Theorem 1 on random instances ----
// Spectra: power law, exponential, spiked + isotropic, Laplace on S^{d-1} (levels with
// multiplicities), Laplace on the 8-cube.  Targets: power law or random Gaussian coefficients.
// $\sigma^2 \sim U[0,2]$ (exactly 0 for 20%), n log-uniform in [10, 10^4], capped at half the
// number of modes.  Exponential spectra are also capped at $n \le 300/\beta$, so that
// $\kappa \approx e^{-\beta n}$ stays above the underflow threshold (our cap).

typedef struct {
    int ok;
    double worst, min_gap;
    int count;
} z4_result;

static void run_z4(int quick, z4_result *res) {
    int NI = quick ? 20 : p.instances, Mm = 10000;
    const char *kinds[] = {"power", "exp", "spiked", "sphere", "cube"};
    gsl_rng *r = rng_alloc(c.seed, 20);
    double *lam = XNEW(double, Mm), *mult = XNEW(double, Mm), *v2 = XNEW(double, Mm);
    tsv *T = tsv_open(&c, "z4_instances.tsv", "cost.C1");
    tsv_note(T, "Z4: random instances of Theorem 1 (C <= E0); spectra with up to %d modes", Mm);
    tsv_allow_nonfinite(T, 1);
    tsv_columns(T, "id\tspectrum\tparam\tlevels\tmodes\tn\ttarget_beta\tsigma2\tE0\tC\tC_over_E0\tdelta_star");
    res->ok = 1, res->worst = -INFINITY, res->count = 0;
    spectra_sphere *sw[3] = {0};
    for (int id = 0; id < NI; id++) {
        double t_inst = util_now();
        int kind = (int)gsl_rng_uniform_int(r, 5);
        size_t L = 0;
        double param = 0, modes = 0;
        int has_mult = 0;
        if (kind == 0) {
            param = 1.1 + 2.9 * gsl_rng_uniform(r);
            L = Mm;
            for (size_t i = 0; i < L; i++) lam[i] = pow(i + 1.0, -param);
        } else if (kind == 1) {
            param = 0.01 + 0.49 * gsl_rng_uniform(r);
            L = Mm;
            for (size_t i = 0; i < L; i++) lam[i] = exp(-param * (i + 1.0));
        } else if (kind == 2) {
            L = Mm;
            for (int i = 0; i < 5; i++) lam[i] = 0.1 + 0.9 * gsl_rng_uniform(r);
            for (size_t i = 5; i < L; i++) lam[i] = 1.0 / (Mm - 5);
            // sort the spikes descending (targets follow the eigenvalue order)
            for (int i = 0; i < 5; i++)
                for (int j = i + 1; j < 5; j++)
                    if (lam[j] > lam[i]) {
                        double t = lam[i];
                        lam[i] = lam[j], lam[j] = t;
                    }
        } else if (kind == 3) {
            int dchoice[3] = {3, 5, 8}, di = (int)gsl_rng_uniform_int(r, 3), d = dchoice[di];
            param = d;
            // levels up to a cumulative multiplicity of about Mm
            int kmax = 0;
            double cum = 0;
            while (cum < Mm && kmax < 400) cum += spectra_sphere_multiplicity(d, kmax++);
            kmax--;
            if (!sw[di]) sw[di] = spectra_sphere_alloc(d, 400, 1200);
            kernel_spec ks;
            char err[200];
            if (kernel_spec_parse(&ks, "laplace", 1.0, 1, 1, 0, err, sizeof err)) DIE("%s", err);
            double *all = XNEW(double, 401);
            spectra_sphere_kernel(sw[di], &ks, 1.0, all);
            L = (size_t)kmax + 1;
            for (size_t i = 0; i < L; i++) lam[i] = fmax(all[i], 0), mult[i] = spectra_sphere_multiplicity(d, (int)i);
            free(all);
            has_mult = 1;
        } else {
            int d = 8;
            param = d;
            kernel_spec ks;
            char err[200];
            if (kernel_spec_parse(&ks, "laplace", 1.0, 1, 1, 0, err, sizeof err)) DIE("%s", err);
            double g[9];
            spectra_cube_profile(&ks, d, g);
            spectra_cube_levels(d, g, lam);
            L = 9;
            for (int k = 0; k <= d; k++) mult[k] = gsl_sf_choose(d, k), lam[k] = fmax(lam[k], 0);
            has_mult = 1;
        }
        modes = 0;
        for (size_t i = 0; i < L; i++) modes += has_mult ? mult[i] : 1;
        // target
        double tb = 0;
        int power_target = gsl_rng_uniform(r) < 0.5;
        double vs = 0;
        if (power_target) tb = 1.05 + 2.95 * gsl_rng_uniform(r);
        for (size_t i = 0; i < L; i++) {
            double m = has_mult ? mult[i] : 1;
            v2[i] = power_target ? m * pow(i + 1.0, -tb) : gsl_ran_chisq(r, m);
            vs += v2[i];
        }
        for (size_t i = 0; i < L; i++) v2[i] /= vs;
        double s2 = gsl_rng_uniform(r) < 0.2 ? 0.0 : 2.0 * gsl_rng_uniform(r);
        double n = floor(exp(log(10.0) + log(1000.0) * gsl_rng_uniform(r)));
        if (n > modes / 2) n = floor(modes / 2);
        if (kind == 1 && n > 300 / param) n = floor(300 / param);
        if (n < 2) n = 2;
        ef_spectrum s = {.M = L, .lam = lam, .mult = has_mult ? mult : NULL};
        task t = {.s = &s, .n = n, .v2 = v2, .v2sum = 1.0};
        rgrid g;
        grid_fill(&t, quick ? 40 : 80, &g);
        double E0, B0;
        ridgeless(&t, &E0, &B0);
        cost_th o;
        cost_theory(&t, &g, 0, E0, B0, s2, quick ? 1e-5 : 1e-6, &o);
        grid_free(&g);
        tsv_row(T, "%d\t%s\t%g\t%zu\t%g\t%g\t%g\t%.6g\t%.10g\t%.10g\t%.12g\t%.6g", id, kinds[kind], param, L, modes, n, tb, s2, E0,
                o.C, o.C / E0, o.dstar);
        if (o.C / E0 - 1 > res->worst) res->worst = o.C / E0 - 1;
        if (o.C > E0 * (1 + 1e-9)) res->ok = 0;
        res->count++;
        progress("Z4: instance %d/%d", id + 1, NI);
        if (getenv("Z4DEBUG")) fprintf(stderr, "Z4 %d %s n=%g %.3f s\n", id, kinds[kind], n, util_now() - t_inst);
    }
    for (int i = 0; i < 3; i++)
        if (sw[i]) spectra_sphere_free(sw[i]);
    tsv_close(T);
    rng_free(r);
    free(lam), free(mult), free(v2);
}

// ---- measurement (claims) and main ----
int main(int argc, char **argv) {
    c.seed = 1;
    cli_parse(&c, argc, argv);
    int quick = c.quick;
    // --quick: M = 2e4 modes (the C3 reference table belongs to M = 2e5 and is skipped)
    if (quick && !cli_given(&c, "M")) p.M = 20000;
    // Part flags: without --part, a flag that belongs to one part runs just that part
    // (--M --ridge-grid: Z1; --spectrum: Z2; --P-factor --trials: Z3; --instances: Z4;
    // --alpha, --beta, --noise, --n: Z1 and Z3, the theory and the simulation of that instance).
    int all = strcmp(p.part, "all") == 0;
    int z1 = all || !strcmp(p.part, "z1"), z2 = all || !strcmp(p.part, "z2"), z3 = all || !strcmp(p.part, "z3"),
        z4 = all || !strcmp(p.part, "z4");
    if (all && cli_any_given(&c)) {
        z1 = cli_given(&c, "beta") || cli_given(&c, "noise") || cli_given(&c, "n") || cli_given(&c, "M") ||
             cli_given(&c, "ridge-grid") || cli_given(&c, "alpha");
        z2 = cli_given(&c, "spectrum");
        z3 = cli_given(&c, "P-factor") || cli_given(&c, "trials") || cli_given(&c, "alpha") || z3_custom();
        z4 = cli_given(&c, "instances");
        all = 0;
    }
    // The simulation holds three (n, 16 n) matrices: cap its n before anything is computed.
    if (z3 && z3_custom() && cli_given(&c, "n") && p.n > 1024)
        cli_usage_error(&c, "--n %ld: the Z3 simulation is limited to n <= 1024 (it stores 3 x %d n^2 doubles); "
                            "use --part z1 for the theory alone at this n", p.n, p.P_factor);
    double t0 = util_now();
    z1_result r1 = {0};
    z4_result r4 = {0};
    if (z1) run_z1(quick, &r1);
    if (z4) run_z4(quick, &r4);
    if (z1 || z4) {
        // cost.C1: Theorem 1 over every Z1 point and every Z4 instance
        double worst = fmax(z1 ? r1.worst_bound : -INFINITY, z4 ? r4.worst : -INFINITY);
        char what[160];
        snprintf(what, sizeof what, "max (C/E0 - 1) over %s%s", z1 ? "Z1 points" : "", z4 ? (z1 ? " and Z4 instances" : "Z4 instances") : "");
        claim_check("cost.C1", CLAIM_IDENTITY, (!z1 || r1.ok_bound) && (!z4 || r4.ok), what, worst, "<= 1e-9");
    }
    if (z1) {
        // The equality case of Theorem 1 (pure noise: C = E0 at delta* = inf) holds by construction in
        // the theory (E0(delta) sigma^2 >= sigma^2 for every delta), so it is no claim of its own; the
        // simulation measures it (the pure-noise instances of cost.C5).
        if (p.M == 200000 && p.n == 1000 && p.alpha == 1.5 && r1.tab_found > 0)
            claim_check("cost.C3", CLAIM_IDENTITY, r1.ok_table, "max |C/C_ref - 1| over the reference (beta, sigma^2) values", r1.worst_table, "2e-3");
        else claim_skip("cost.C3", CLAIM_IDENTITY, "the table belongs to alpha = 1.5, M = 2e5, n = 1000");
        claim_check("cost.C4a", CLAIM_IDENTITY, r1.ok_mono, "C non-decreasing in sigma^2 over {0, .01, .1, 1} (1 = yes)", r1.ok_mono, "yes");
        claim_check("cost.C4b", CLAIM_IDENTITY, r1.ok_one, "beta >= alpha, sigma^2 = 0: max |C - 1|", r1.worst_one, "1e-6");
    }
    if (z2) {
        z2_result r2;
        int only = -1;
        if (cli_given(&c, "spectrum"))
            only = !strcmp(p.spectrum, "power") ? 0 : !strcmp(p.spectrum, "exp") ? 1 : 2;
        run_z2(quick, only, &r2);
        if (only < 0 || only == 0) {
            claim_check("cost.C6a", CLAIM_IDENTITY, r2.ok_pow, "power laws: max |E0(1000) - alpha|/alpha", r2.worst_pow, "< 0.02");
            if (!quick) claim_check("cost.C6e", CLAIM_IDENTITY, r2.ok_Rn, "power laws n >= 1000: max |R_n/n / ((2a-1)/(a-1)^2) - 1|", r2.worst_Rn, "0.01");
        }
        if (!quick && (only < 0 || only == 1)) claim_check("cost.C6b", CLAIM_IDENTITY, r2.ok_exp, "e^{-i/5}: E0(80)/E0(40)", r2.exp_ratio, "[1.9, 2.1]");
        if (!quick && (only < 0 || only == 2))
            claim_check("cost.C6c", CLAIM_IDENTITY, r2.ok_benign, "benign: E0 decreasing over n = 10..1e6; E0(1000)", r2.benign_1000, "< 1.2");
        claim_check("cost.C6d", CLAIM_IDENTITY, r2.ok_heur, "max |E0 - (1 + n/r_n)|/E0 at n >= 100", r2.worst_heur, "0.06");
    }
    if (z3) {
        z3_result r3;
        run_z3(quick, &r3);
        char tol[160], what[160];
        snprintf(tol, sizeof tol, "per instance max(%s, 3 bootstrap se) (largest applied %.3f), and C_emp <= 1.05 E0", quick ? "0.10" : "0.05",
                 r3.max_tol);
        snprintf(what, sizeof what, "max |C_emp/C_th - 1| (worst as a fraction of its tolerance %.2f; max C_emp/E0 %.3f)", r3.worst_z,
                 r3.worst_bound);
        claim_check("cost.C5", CLAIM_EXPERIMENT, r3.ok, what, r3.worst_rel, tol);
    }
    progress_done("cost-of-overfitting: %.1f s", util_now() - t0);
    claim_summary(c.slug);
    return 0;
}
