// agf: Alternating Gradient Flows, simulated exactly, against gradient descent from small init.
//
// Paper: Daniel Kunin, Giovanni Luca Marchetti, Feng Chen, Dhruva Karkada, James B. Simon,
// Michael R. DeWeese, Surya Ganguli, Nina Miolane, "Alternating Gradient Flows: A Theory of
// Feature Learning in Two-layer Neural Networks", arXiv 2506.06489 (NeurIPS 2025).  The authors'
// code (github danielkunin/alternating-gradient-flows, MIT) fixes the modular-addition settings
// we follow; we reimplement, copying nothing.
//
// Claim in one sentence: two-layer networks trained from small initialisation learn in a
// staircase, and AGF (utility maximisation of dormant neurons alternating with cost minimisation
// over active ones) predicts the order of the features, the levels of the plateaus and the times
// of the drops.
//
// Algorithm:
//   1. (A) Diagonal linear network beta = u .* v on an AR(1) design.  AGF in its alpha -> 0 form:
//      the accumulated gradient S(t~) moves linearly until a coordinate reaches |S_i| = 1; then a
//      sign-constrained least-squares fit (NNLS, common/nnls) over the coordinates on the
//      boundary gives the next plateau.  Against GD on (u, v) from u = sqrt(2) alpha, v = 0 for
//      alpha = 1e-2 ... 1e-16, in rescaled time t~ = t/ln(1/alpha) (agf.C2); on a whitened design
//      against the closed form t~_i = 1/|beta^_i| (agf.C3).
//   2. (B) Two-layer linear network from N(0, alpha^2) init on the population loss
//      (1/2)|B - AW|_F^2: step times against the Gram-Schmidt-aware logistic predictor tau_k^G,
//      plateaus against (1/2) sum_{j>k} s_j^2 (agf.C4a-c); and the commuting case of the paper's
//      Conjecture 4.1, inputs with covariance sharing B's right singular vectors (variances
//      lambda_k): modes learned in decreasing lambda_k s_k, plateaus (1/2) sum lambda_j s_j^2 (agf.C4d-f).
//   3. (C) Quadratic network w (u.x1 + v.x2)^2 on modular addition of a template, as the paper
//      runs it: p = 20, |x^_k| = 10, 5, 2.5 at k = 1, 3, 5, H = 18, init 1e-2, full-batch GD with
//      eta = 0.01 and momentum 0.9, one seed per run (--seed): dwells at the predicted levels
//      L_k = (1/p) sum_{j>k} P_(j), the order in which frequencies appear (agf.C1), and the
//      analytic "not before" bound tau_k ~ |x^_k|^{-3} (agf.C5c).
//   4. (D) The AGF rounds on (C), from the same initial weights, as in the paper's code: Euler
//      steps of 0.1 time units on the accumulated utility with the threshold 1/|theta_i(0)| - 1,
//      activation of every neuron that crosses in a step, a cost phase of 1e4 momentum steps on
//      the active neurons; levels and order against the formula (agf.C5), drop times against
//      GD's (agf.C6).
//   5. (E) Ablation: per-neuron-scaled GD (the optimiser of a follow-up repository) on the
//      template p = 11, H = 200 grows neurons in cohorts, which one-neuron rounds cannot
//      represent (agf.C7, a deviation).
//
// Chapters (each one part followed by its claims, included at file scope below): 01-diagonal.c (A, A'),
// 02-linear.c (B), 03-modadd-gd.c (C), 04-modadd-agf.c (D), 05-modadd-compare.c (C and D against
// the formulas and each other), 06-cohort.c (E).
//
// Writes (figures/data/agf/): diag_gd_a{alpha}.tsv, diag_agf.tsv, diag_drops.tsv,
// diag_limit.tsv, diag_white.tsv, linear.tsv, linear_steps.tsv, linear_unw.tsv, linear_unw_steps.tsv,
// modadd_s{seed}.tsv,
// modadd_levels.tsv, modadd_dwells.tsv, modadd_bound.tsv, modadd_agf.tsv, modadd_agf_curve.tsv,
// modadd_drops.tsv, cohort.tsv.
//
// Run:  build/agf                       (all cases, one seed: ~1 min of CPU on one core: GD on
//                                        modular addition ~20 s (3e5 epochs), AGF ~40 s; 30 MB)
//       build/agf --quick               (~3 s of CPU)
//       build/agf --case modadd-agf --epochs 1000000        (the paper's length: ~2 min of CPU)
//       build/agf --case modadd --modp 13 --mags 0,9,7,5,3,1,0.5 --seeds 4,5
//       build/agf --case diag --whiten 1 --beta 1,-0.5,0.25 --alphas 1e-8
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "cli.h"
#include "init.h"
#include "loss.h"
#include "nn.h"
#include "nnls.h"
#include "opt.h"
#include "progress.h"
#include "rng.h"
#include "steps.h"
#include "track.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// Legend.  (A) n samples, p coordinates, X (n, p) the design, beta* the teacher, alpha the init
// scale, t~ = t/ln(1/alpha) the rescaled time, S the accumulated negative gradient.  (B) s_k the
// singular values of the target B = sum_k s_k u_k v_k^T, m_k = u_k^T A W v_k the mode strengths,
// tau_k^G the predicted step times.  (C, D) p the modulus, x the template, m_k its Fourier
// magnitudes, P_k its power spectrum, L_k the predicted plateaus, H the hidden width, kappa = 3
// the homogeneity of a quadratic neuron, U-bar its normalised utility.
// Time is the gradient-flow time: t = eta * step, and t = epoch * eta/(1 - beta) for momentum GD.
#define KAPPA 3.0             // homogeneity of w (u.x1 + v.x2)^2 in theta = (u, v, w)
#define REC_EVERY 20          // modular addition: output readouts recorded every 20 epochs
#define AGF_EULER 0.1         // default of --agf-euler: the paper's Euler step, in gradient-flow time
#define AGF_COST_ITERS 10000  // default of --cost-iters: the paper's 1e4 momentum steps per cost phase
#define AGF_DONE 1e-4         // AGF stops once its loss is below 1e-4 (the paper's code)
#define AGF_MAX_ROUNDS 400    // cap on AGF rounds (modular addition)
#define AGF_MAX_NEURONS 4096  // per-neuron records kept for neurons 0..4095
#define AGF_FIRST_TOL 0.05    // agf.C6a: the first drop, AGF/GD within 5 %
#define AGF_LATER_LO 0.7      // agf.C6b: later drops, AGF/GD in [0.7, 1.4] (see the measurement note at case_modadd)
#define AGF_LATER_HI 1.4
#define AGF_LEVEL_TOL 0.003  // agf.C5a: AGF plateaus against L_k, the band of GD's dwells (agf.C1a)
#define COH_RATIO 3.0        // agf.C7: scaled GD grows at least 3x as many large neurons as momentum GD
#define STR_(x) #x
#define STR(x) STR_(x)
// DIAG_TAIL: diagonal GD runs to t~_last + max(5, 40/ln(1/alpha)).  At 0.5 seed 3's design ended GD
// before its last drop (t_GD/t_AGF = inf at every alpha); with 5 the drop is seen: 1.89 of AGF's time
// at alpha = 1e-16, 2.81 at 1e-8, 4.77 at 1e-4, so it converges with alpha but slowly (agf.C2, the
// note).  Seeds 1 and 2 are unchanged (their drops come well inside 0.5).
#define DIAG_TAIL 5.0
#define LIN_TAIL 1.5  // linear GD runs to 1.5 tau_r
#define MAXROW 1200   // rows written per GD curve (the detectors use every step)

struct params {
    const char *cas;  // all | diag | linear | modadd | modadd-agf
    // (A) diagonal network
    int n, p;
    double rho;        // AR(1) correlation of the design
    int whiten;        // 1: X^T X / n = I (the closed-form case)
    cli_dlist beta;    // nonzero values of beta*, on coordinates from a seeded permutation
    cli_dlist alphas;  // GD init scales
    double noise;      // label-noise variance eps^2
    // (B) linear network
    int din, dout;
    cli_dlist svals;    // singular values s_k of the target
    cli_dlist lambdas;  // input covariance eigenvalues along v_k for the unwhitened case (empty: skip it)
    double alpha;       // init scale: entries N(0, alpha^2)
    int hidden;         // 0: the case's default (20 linear, 18 modular addition)
    // (C, D) modular addition
    int modp;
    const char *mags;  // Fourier magnitudes m_0, m_1, ... or "onehot"
    double init;       // init scale (U, V ~ N(0, init^2/2p), W ~ N(0, init^2/p))
    long epochs;
    double momentum;       // heavy-ball momentum beta of the modular-addition GD (the paper: 0.9)
    int scaled;            // 1: per-neuron-scaled GD (the ablation; no momentum)
    const char *agf_flow;  // plain (the paper) | scaled dormant dynamics
    double agf_euler;      // AGF Euler step, gradient-flow time
    int cost_iters;        // momentum steps per cost-minimisation phase
    // common
    double lr;        // GD step eta for every case
    cli_ilist seeds;  // modular-addition seeds (empty: --seed)
};
static struct params P = {
    .cas = "all",
    .n = 100,
    .p = 30,
    .rho = 0.5,
    .whiten = 0,
    .beta = {4, {1.0, -0.7, 0.5, 0.3}},
    .alphas = {7, {1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-12, 1e-16}},
    .noise = 0,
    .din = 8,
    .dout = 6,
    .svals = {4, {3, 2, 1.2, 0.6}},
    .lambdas = {4, {0.15, 0.5, 1.5, 5}},
    .alpha = 1e-8,
    .hidden = 0,
    .modp = 20,
    .mags = "0,10,0,5,0,2.5",
    .init = 1e-2,
    .epochs = 300000,
    .momentum = 0.9,
    .scaled = 0,
    .agf_flow = "plain",
    .agf_euler = AGF_EULER,
    .cost_iters = AGF_COST_ITERS,
    .lr = 0.01,
    .seeds = {0, {0}},
};

static cli_opt opts[] = {
    {"case", CLI_CHOICE, &P.cas, 0, 0,
     "which setting to run (modadd: GD only; modadd-agf: GD and AGF; cohort: the scaled-GD ablation)",
     "all|diag|linear|modadd|modadd-agf|cohort", 0},
    {"n", CLI_INT, &P.n, 2, 100000, "diagonal: number of samples", 0, 0},
    {"p", CLI_INT, &P.p, 1, 2000, "diagonal: number of coordinates", 0, 0},
    {"rho", CLI_DOUBLE, &P.rho, -0.99, 0.99, "diagonal: AR(1) correlation of the design", 0, 0},
    {"whiten", CLI_INT, &P.whiten, 0, 1, "diagonal: 1 = whitened design X^T X/n = I", 0, 0},
    {"beta", CLI_DLIST, &P.beta, -100, 100, "diagonal: nonzero entries of beta*", 0, 0},
    {"alphas", CLI_DLIST, &P.alphas, 1e-300, 0.5, "diagonal: GD init scales alpha", 0, 0},
    {"noise", CLI_DOUBLE, &P.noise, 0, 100, "diagonal: label-noise variance", 0, 0},
    {"din", CLI_INT, &P.din, 1, 1000, "linear: input dimension", 0, 0},
    {"dout", CLI_INT, &P.dout, 1, 1000, "linear: output dimension", 0, 0},
    {"svals", CLI_DLIST, &P.svals, 1e-3, 100, "linear: singular values of the target, decreasing", 0, 0},
    {"lambdas", CLI_DLIST, &P.lambdas, 1e-3, 100,
     "linear, unwhitened case: input variances along v_k, one per --svals (the default applies to the default --svals)",
     0, 0},
    {"alpha", CLI_DOUBLE, &P.alpha, 1e-300, 1, "linear: init entries N(0, alpha^2)", 0, 0},
    {"hidden", CLI_INT, &P.hidden, 0, 10000, "hidden width (0: 20 linear, 18 modular addition)", 0, 0},
    {"modp", CLI_INT, &P.modp, 3, 101, "modular addition: modulus p", 0, 0},
    {"mags", CLI_STRING, &P.mags, 0, 0, "modular addition: Fourier magnitudes m_0,m_1,... or onehot", 0, 0},
    {"init", CLI_DOUBLE, &P.init, 1e-12, 1, "modular addition: init scale", 0, 0},
    {"epochs", CLI_LONG, &P.epochs, 1, 10000000, "modular addition: full-batch epochs", 0, 0},
    {"momentum", CLI_DOUBLE, &P.momentum, 0, 0.999,
     "modular addition: heavy-ball momentum of GD and of AGF's cost phase", 0, 0},
    {"scaled", CLI_INT, &P.scaled, 0, 1,
     "modular addition: 1 = per-neuron-scaled GD without momentum (ablation), 0 = momentum GD", 0, 0},
    {"agf-flow", CLI_CHOICE, &P.agf_flow, 0, 0, "AGF dormant dynamics (plain: the paper's; scaled: matches --scaled 1)",
     "plain|scaled", 0},
    {"agf-euler", CLI_DOUBLE, &P.agf_euler, 1e-4, 10, "AGF Euler step in gradient-flow time", 0, 0},
    {"cost-iters", CLI_INT, &P.cost_iters, 1, 10000000, "AGF: momentum steps per cost-minimisation phase", 0, 0},
    {"lr", CLI_DOUBLE, &P.lr, 1e-6, 1, "GD step size eta", 0, 0},
    {"seeds", CLI_ILIST, &P.seeds, 0, 4e9, "modular addition: seeds (default: --seed)", 0, 0},
    {0}};

static cli C = {.slug = "agf",
                .summary =
                    "Alternating Gradient Flows against GD from small init: diagonal and linear networks, "
                    "quadratic networks on modular addition (Kunin, Marchetti, Chen, Karkada, Simon, DeWeese, "
                    "Ganguli, Miolane, arXiv 2506.06489).",
                .claims = "agf.C1-C7",
                .opts = opts};

// ---- small helpers ----

// x at time tq by linear interpolation of (t, x), t increasing; NAN outside.
static double interp(const double *t, const double *x, size_t n, double tq) {
    if (n == 0 || tq < t[0] || tq > t[n - 1]) return NAN;
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (t[mid] <= tq) lo = mid;
        else hi = mid;
    }
    if (t[hi] == t[lo]) return x[lo];
    double f = (tq - t[lo]) / (t[hi] - t[lo]);
    return x[lo] + f * (x[hi] - x[lo]);
}

// Orthonormalise the r columns of Q (m, r) in place by modified Gram-Schmidt.
static void orthonormalise_columns(int m, int r, double *Q) {
    for (int k = 0; k < r; k++) {
        for (int j = 0; j < k; j++) {
            double d = 0;
            for (int i = 0; i < m; i++) d += Q[i * r + j] * Q[i * r + k];
            for (int i = 0; i < m; i++) Q[i * r + k] -= d * Q[i * r + j];
        }
        double nn2 = 0;
        for (int i = 0; i < m; i++) nn2 += Q[i * r + k] * Q[i * r + k];
        if (!(nn2 > 1e-20)) DIE("orthonormalise_columns: column %d is degenerate; change --seed", k);
        for (int i = 0; i < m; i++) Q[i * r + k] /= sqrt(nn2);
    }
}

// Row stride for writing about MAXROW rows of an n-sample curve.
static long thin(long n) { return n / MAXROW > 1 ? n / MAXROW : 1; }

#include "01-diagonal.c"
#include "02-linear.c"
#include "03-modadd-gd.c"
#include "04-modadd-agf.c"
#include "05-modadd-compare.c"
#include "06-cohort.c"

// ---- main ----
int main(int argc, char **argv) {
    cli_parse(&C, argc, argv);
    if (C.quick) {  // for every size flag the user did not type
        if (!cli_given(&C, "n")) P.n = 50;
        if (!cli_given(&C, "p")) P.p = 15;
        if (!cli_given(&C, "beta")) P.beta = (cli_dlist){3, {1.0, -0.5, 0.25}};
        if (!cli_given(&C, "alphas")) P.alphas = (cli_dlist){3, {1e-4, 1e-8, 1e-16}};
        if (!cli_given(&C, "din")) P.din = 4;
        if (!cli_given(&C, "dout")) P.dout = 4;
        if (!cli_given(&C, "svals")) P.svals = (cli_dlist){2, {2, 1}};
        if (!cli_given(&C, "lambdas")) P.lambdas = (cli_dlist){2, {0.3, 1.5}};
        if (!cli_given(&C, "modp")) P.modp = 10;
        if (!cli_given(&C, "mags")) P.mags = "0,5,0,2.5";
        if (!cli_given(&C, "epochs")) P.epochs = 40000;
        if (!cli_given(&C, "hidden")) P.hidden = 12;
    }
    // Every usage error before anything is computed or written.
    if (P.beta.n > P.p) cli_usage_error(&C, "--beta has %d entries but --p is %d", P.beta.n, P.p);
    if (P.n < P.p)
        cli_usage_error(&C, "--n must be >= --p (the whitened design needs it; got n = %d, p = %d)", P.n, P.p);
    if (P.svals.n > P.din || P.svals.n > P.dout)
        cli_usage_error(&C, "--svals has %d values; the rank is at most min(din, dout) = %d", P.svals.n,
                        P.din < P.dout ? P.din : P.dout);
    for (int k = 1; k < P.svals.n; k++)
        if (!(P.svals.v[k] < P.svals.v[k - 1])) cli_usage_error(&C, "--svals must be strictly decreasing");
    if (!cli_given(&C, "lambdas") && P.lambdas.n != P.svals.n)
        P.lambdas.n = 0;  // the default fits the default --svals only
    if (P.lambdas.n && P.lambdas.n != P.svals.n)
        cli_usage_error(&C, "--lambdas has %d values but --svals has %d (one input variance per mode)", P.lambdas.n,
                        P.svals.n);
    {
        double m[128] = {0};
        parse_mags(P.mags, P.modp / 2, m);
    }
    if (!strcmp(P.cas, "cohort")) {  // the ablation's template is fixed: say so instead of ignoring the flag
        const char *mod[] = {"modp",   "mags",     "hidden",    "init",      "epochs",
                             "scaled", "agf-flow", "agf-euler", "cost-iters"};
        for (size_t k = 0; k < sizeof mod / sizeof *mod; k++)
            if (cli_given(&C, mod[k]))
                cli_usage_error(&C,
                                "--%s does not apply to --case cohort (the fixed ablation p = 11, H = 200, init 1e-2); "
                                "use --case modadd or modadd-agf",
                                mod[k]);
    }
    if (P.scaled && cli_given(&C, "momentum"))
        cli_usage_error(&C,
                        "--scaled 1 is the per-neuron-scaled step without momentum; drop --momentum or use --scaled 0");
    const char *cs = P.cas;
    const int all = !strcmp(cs, "all");
    double t0 = util_now();
    if (all || !strcmp(cs, "diag")) {
        case_diag();
        if (!P.whiten) case_white();
    }
    if (all || !strcmp(cs, "linear")) {
        int h = P.hidden;
        if (!cli_given(&C, "hidden")) P.hidden = C.quick ? 8 : 20;
        case_linear(NULL);
        if (P.lambdas.n) case_linear(P.lambdas.v);
        P.hidden = h;
    }
    if (all || !strcmp(cs, "modadd") || !strcmp(cs, "modadd-agf")) {
        int h = P.hidden;
        if (!cli_given(&C, "hidden") && !C.quick) P.hidden = 18;
        case_modadd(1, all || !strcmp(cs, "modadd-agf"));  // (D) is compared with the GD runs
        P.hidden = h;
    }
    if ((all && !C.quick) || !strcmp(cs, "cohort")) case_cohort();
    progress_done("done in %.1f s", util_now() - t0);
    claim_summary(C.slug);
    return 0;
}
