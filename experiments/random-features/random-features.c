// random-features: "More is better": random-feature theory, monotone improvement, obligatory
// overfitting.
//
// Paper: James B. Simon, Dhruva Karkada, Nikhil Ghosh, Mikhail Belkin, "More is Better in
// Modern Machine Learning: when Infinite Overparameterization is Optimal and Overfitting is
// Obligatory", arXiv 2311.14646 (ICLR 2024).  Reproduces Fig. 1 (test/train MSE of random-feature
// ridge regression vs width, theory over experiment; here on linear-Gaussian data and on MNIST
// with ReLU features instead of CIFAR-10) and Fig. 2 (optimal fitting ratio).
//
// Claim in one sentence: a closed-form eigenframework predicts the train and test error of
// random-feature regression; at the optimal ridge, more features and more data never hurt; and
// for power-law tasks the optimal train/test ratio is R* = (max(0, alpha - beta)/(beta(alpha-1)))^2,
// zero (interpolation is optimal) when beta >= alpha.
//
// Algorithm (one chapter file per part, included below in the order of the paper):
//   01 rf.C1  solver limits of the RF eigenframework (common/rfeig).
//   02 rf.C2  more is better in theory: min over delta of E_te never rises with k or n.
//   03 R1     linear-Gaussian data z = sqrt(lambda) g in M = 2000 latent dimensions; ONE Gaussian
//             projection W (M x 10^4) per trial, the first k columns are the k features (the
//             paper's subsampling); population test MSE in closed form; 31 ridges in
//             [1e-3, 1e2], five shown, the envelope from all 31.          rf.C3, rf.C5
//   04 R2     the same model vs n at k = 256 (fresh features per n, test points).   rf.C4
//   05 R3     MNIST even/odd, ReLU features relu(w.x)/sqrt(k), w ~ N(0, 2/784 I), nested from
//             one 10^4-feature draw per trial; theory from the NNGP spectrum of a pool of M
//             images (lambda = eig/M, v = U^T y/sqrt M; tridiagonal route).          rf.C6
//   06 R4a/b  optimal fitting ratio R* against the closed form; the noise threshold.  rf.C7, C8
//   07 R4c    MNIST, Laplace KRR: fitting ratio under label noise; the task exponents (alpha,
//             beta) measured by the paper's two proxies (1/Tr K_n^-1 ~ n^-alpha, ridgeless
//             test MSE ~ n^(1-beta)) and the continuum curve shape-matched.       rf.C9, rf.C10
//
// Writes (figures/data/random-features/): c2_more_is_better.tsv, r1_*.tsv, r2_*.tsv, r3_*.tsv,
// r4a_rstar.tsv, r4b_threshold.tsv, r4c_fit.tsv, r4c_exponents.tsv, r4c_shape.tsv.
// Figures: random-features-width, -data, -fitting-ratio.
//
// Run: build/random-features [--quick] [--part c1|c2|r1|r2|r3|r4a|r4b|r4c] [--data gaussian|mnist] ...
// Runtime: default ~80 s of CPU, single thread, reference BLAS kernels (MNIST present); --quick ~1 s.
// Paper scale (measured in the note): the widths (k to 1e4) and ridges are the paper's already;
// --M 10000 (its latent dimension: 12 s and 860 MB per R1 trial), --trials 45, --pool 10000
// (1.6 GB), --ntest 2000.
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_sf_zeta.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "cli.h"
#include "fit.h"
#include "kernel.h"
#include "krr.h"
#include "linalg.h"
#include "mnist.h"
#include "progress.h"
#include "rfeig.h"
#include "ridgeopt.h"
#include "rng.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
// Legend: n samples, k random features, delta absolute ridge, lambda_i kernel eigenvalues,
// v_i^2 target power, eps2 label-noise variance, gamma/kappa the RF effective ridges,
// E0 overfitting coefficient, E_te/E_tr predicted test/train MSE, R = E_tr/E_te fitting ratio.
struct params {
    double alpha, beta;   // lambda_l = l^-alpha, v_l^2 = l^-beta (R1, R2; R4a single pair)
    double noise;         // eps^2 (R1, R2)
    long M;               // latent dimension of the linear-Gaussian data
    long n;               // R1 and R3 sample size
    cli_ilist n_list;     // R2 sample sizes
    cli_ilist k_list;     // R1 widths (nested: the first k of one draw of max(k_list) features)
    cli_ilist k3_list;    // R3 widths (nested likewise)
    cli_dlist ridges;     // R1/R3 ridges shown (R2: the first three are its ridges)
    int trials;           // R1 and R3 trials (R2 uses 8, R4c 3)
    long ntest;           // test points (R2, R3)
    const char *data;     // gaussian | mnist | both
    const char *task;     // MNIST task: evenodd
    long pool;            // R3 pool size M for the NNGP spectrum
    double bandwidth;     // R4c laplace length l
    cli_dlist noise_rel;  // R4c sigma_rel values
    const char *part;
};
// The paper's ridge grid (rf-gaussian.py): 31 ridges 10^(-3 + j/6), j = 0..30, in [1e-3, 1e2];
// it plots j = 4, 8, 12, 20, 26 (4.6e-3, 2.2e-2, 0.1, 2.15, 21.5) and the envelope over all 31.
#define RIDGE_GRID 31
static double ridge_grid(int j) { return pow(10.0, -3.0 + j / 6.0); }
static struct params P = {
    .alpha = 1.5,
    .beta = 1.5,
    .noise = 0.5,
    .M = 2000,
    .n = 256,
    .n_list = {7, {64, 128, 200, 256, 320, 512, 1024}},
    .k_list = {15, {16, 32, 64, 128, 192, 224, 256, 288, 320, 384, 512, 1024, 2048, 4096, 10000}},
    .k3_list = {10, {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 10000}},
    .ridges = {5, {4.641588833612782e-3, 2.154434690031882e-2, 0.1, 2.154434690031882, 21.54434690031882}},
    .trials = 10,
    .ntest = 1000,
    .data = "both",
    .task = "evenodd",
    .pool = 6000,
    .bandwidth = 28,
    .noise_rel = {4, {0, 1, 5, 50}},
    .part = "all"};

// clang-format off
static cli_opt opts[] = {
    {.name = "alpha", .type = CLI_DOUBLE, .dest = &P.alpha, .min = 1.01, .max = 10,
     .help = "spectrum exponent lambda_l = l^-alpha"},
    {.name = "beta", .type = CLI_DOUBLE, .dest = &P.beta, .min = 0.5, .max = 20,
     .help = "target exponent v_l^2 = l^-beta"},
    {.name = "noise", .type = CLI_DOUBLE, .dest = &P.noise, .min = 0, .max = 1e3,
     .help = "label-noise variance eps^2 (R1, R2)"},
    {.name = "M", .type = CLI_LONG, .dest = &P.M, .min = 10, .max = 100000,
     .help = "latent dimension of the Gaussian data (paper: 10000)"},
    {.name = "n", .type = CLI_LONG, .dest = &P.n, .min = 2, .max = 100000, .help = "sample size (R1, R3)"},
    {.name = "n-list", .type = CLI_ILIST, .dest = &P.n_list, .min = 2, .max = 100000, .help = "R2 sample sizes"},
    {.name = "k-list", .type = CLI_ILIST, .dest = &P.k_list, .min = 1, .max = 100000,
     .help = "R1 numbers of features (nested subsets of one draw)"},
    {.name = "k3-list", .type = CLI_ILIST, .dest = &P.k3_list, .min = 1, .max = 100000,
     .help = "R3 numbers of features (nested subsets of one draw)"},
    {.name = "ridges", .type = CLI_DLIST, .dest = &P.ridges, .min = 1e-12, .max = 1e6,
     .help = "ridges shown (R1, R3; the envelope also uses the 31-ridge grid 10^(-3+j/6)); "
             "R2 runs the first three"},
    {.name = "trials", .type = CLI_INT, .dest = &P.trials, .min = 1, .max = 1000, .help = "R1, R3 trials (paper: 45)"},
    {.name = "ntest", .type = CLI_LONG, .dest = &P.ntest, .min = 10, .max = 10000, .help = "test points (R2, R3)"},
    {.name = "data", .type = CLI_CHOICE, .dest = &P.data,
     .help = "which data (gaussian: R1 R2; mnist: R3 R4c)", .choices = "gaussian|mnist|both"},
    {.name = "task", .type = CLI_CHOICE, .dest = &P.task, .help = "MNIST task", .choices = "evenodd"},
    {.name = "pool", .type = CLI_LONG, .dest = &P.pool, .min = 100, .max = 20000,
     .help = "R3 pool size for the NNGP spectrum (10000: ~2.5 GB and ~3x the time of 6000)"},
    {.name = "bandwidth", .type = CLI_DOUBLE, .dest = &P.bandwidth, .min = 1e-3, .max = 1e6,
     .help = "R4c laplace length l (standardised pixels)"},
    {.name = "noise-rel", .type = CLI_DLIST, .dest = &P.noise_rel, .min = 0, .max = 1e4,
     .help = "R4c label noise in units of the noiseless test MSE"},
    {.name = "part", .type = CLI_CHOICE, .dest = &P.part,
     .help = "run one part", .choices = "all|c1|c2|r1|r2|r3|r4a|r4b|r4c"},
    {0}};
// clang-format on
static cli C = {.slug = "random-features",
                .summary =
                    "Random-feature ridge regression vs the RF eigenframework; more is better; obligatory "
                    "overfitting (Simon, Karkada, Ghosh, Belkin, arXiv 2311.14646).",
                .claims = "rf.C1-C10",
                .opts = opts};

// Named RNG streams (stream + trial index, trials < 100).  R2 keeps the numbers of the
// earlier program, so its tables are unchanged.
enum {
    STREAM_R1_DATA = 1000,
    STREAM_R1_NOISE = 1100,
    STREAM_R1_FEAT = 1200,
    STREAM_R2_DATA = 2000,
    STREAM_R2_NOISE = 2100,
    STREAM_R2_FEAT = 2200,
    STREAM_R3_POOL = 3000,
    STREAM_R3_DATA = 3100,
    STREAM_R3_FEAT = 3200,
    STREAM_R4C = 4000
};

// ---- theory: the RF eigenframework and its optimal ridge ----
// The paper's RF eigenframework (solved by common/rfeig):
//   $n = z(\gamma) + \delta/\kappa$, $\kappa = \gamma(1 - z/k)$, $z = \sum L_i$, $q = \sum L_i^2$,
//   $E_0 = n/(n - q - (z-q)^2/(k-q))$,
//   $E_{te} = E_0[\sum_i (1-L_i)(1 - L_i (k-z)/(k-q)) v_i^2 + \epsilon^2]$,
//   $E_{tr} = (\delta/(n\kappa))^2 E_{te}$.
// The optimal ridge: minimise $E_{te}$ over an 81-point log grid in [1e-6, 1e2], refine by Brent's
// method (golden section with parabolic steps) in $\log\delta$ to 1e-10, compare with
// $\delta\to\infty$ (predictor 0: $E_{te} = \sum v^2 + \epsilon^2$).

static rfeig_result rf(const rfeig_task *t, double n, double k, double delta) {
    rfeig_result r;
    if (rfeig_solve(t, n, k, delta, &r)) DIE("rfeig failed at n = %g, k = %g, delta = %g", n, k, delta);
    return r;
}

typedef struct {
    const rfeig_task *t;
    double n, k;
} opt_par;
static double ete_u(double u, void *vp) {
    const opt_par *q = vp;
    return rf(q->t, q->n, q->k, exp(u)).Ete;
}

typedef struct {
    double Ete, Etr, dstar;
} optimum;

// min over delta of E_te on [dlo, dhi] (G log points), Brent-refined (common/ridgeopt), and
// delta -> inf.
// common/ridgeopt's search (the same grid, the same Brent bracket and steps), which in addition
// stops once Brent has stalled: GSL's Brent does not shrink its bracket below its own resolution
// (about 1e-8 |u|), so a tolerance of 1e-10 spun through all 200 iterations (~9 of rf.C2's 10 s
// and most of R4a's).  Stopping there returns the same minimum: the tables of rf.C2, R4a and R4b
// are bit-identical to those of ridgeopt_min.
#define STALL_ITERS 10
static void ridge_search(double (*f)(double, void *), void *ctx, double lo, double hi, int grid, double tol,
                         ridgeopt_result *out) {
    double best = INFINITY, ub = log(lo), du = log(hi / lo) / (grid - 1);
    int jb = 0;
    for (int j = 0; j < grid; j++) {
        double u = log(lo) + j * du, e = f(u, ctx);
        if (!isfinite(e)) DIE("optimal ridge: non-finite test error at delta = %g", exp(u));
        if (e < best) best = e, ub = u, jb = j;
    }
    out->u = ub, out->f = best, out->interior = 0;
    if (jb == 0 || jb == grid - 1) return;
    out->interior = 1;
    double fa = f(ub - du, ctx), fb = f(ub + du, ctx);
    if (!(best < fa && best < fb)) return;  // a flat triple (round-off): the grid point stands
    gsl_function F = {f, ctx};
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    gsl_min_fminimizer_set_with_values(m, &F, ub, best, ub - du, fa, ub + du, fb);
    double wprev = INFINITY;
    int stall = 0;
    for (int it = 0; it < 200; it++) {
        if (gsl_min_fminimizer_iterate(m)) break;
        double w = gsl_min_fminimizer_x_upper(m) - gsl_min_fminimizer_x_lower(m);
        if (w < tol) break;
        stall = w < wprev ? 0 : stall + 1;
        if (stall >= STALL_ITERS) break;
        wprev = w;
    }
    double fm = gsl_min_fminimizer_f_minimum(m);
    if (fm < best) out->f = fm, out->u = gsl_min_fminimizer_x_minimum(m);
    gsl_min_fminimizer_free(m);
    gsl_set_error_handler(old);
}

static optimum optimal_ridge(const rfeig_task *t, double n, double k, double dlo, double dhi, int G, double tol) {
    opt_par q = {t, n, k};
    ridgeopt_result ro;
    ridge_search(ete_u, &q, dlo, dhi, G, tol, &ro);  // rf() dies on a solver failure: E_te is finite
    double best = ro.f, ub = ro.u;
    double vs = t->noise;
    if (t->v2)
        for (size_t i = 0; i < t->M; i++) vs += t->v2[i];
    optimum o;
    if (vs < best) {
        o.Ete = vs, o.Etr = vs, o.dstar = INFINITY;  // delta -> inf: f_hat = 0, train MSE = label power
        return o;
    }
    rfeig_result r = rf(t, n, k, exp(ub));
    o.Ete = r.Ete, o.Etr = r.Etr, o.dstar = exp(ub);
    return o;
}

static double *powerlaw(long M, double a) {
    double *x = XNEW(double, M);
    for (long i = 0; i < M; i++) x[i] = pow((double)(i + 1), -a);
    return x;
}

#include "01-solver-limits.c"
#include "02-more-is-better.c"

// ---- experiment: data shared by the parts ----
// Linear-Gaussian data (R2): Z = G diag(sqrt lambda) (rows), clean target f = G v.
static void gaussian_data(gsl_rng *r, int n, long M, const double *sl, const double *v, double *Z, double *f) {
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (long l = 0; l < M; l++) {
            double g = rng_normal(r);
            Z[(size_t)i * M + l] = sl[l] * g;
            s += v[l] * g;
        }
        f[i] = s;
    }
}

#include "03-gaussian-width.c"
#include "04-gaussian-data.c"

// ---- MNIST data (R3, R4c) ----
// Pixels /255, globally standardised with the mean and standard deviation of all 60000*784
// training pixels (as in krr-curves).  Even/odd labels: even digit +1, odd -1.
static mnist_set tr_set, te_set;
static int mnist_loaded;
static void mnist_prepare(void) {
    if (mnist_loaded) return;
    char merr[1024];
    if (mnist_load(C.mnist_dir, 1, &tr_set, merr, sizeof merr) ||
        mnist_load(C.mnist_dir, 0, &te_set, merr, sizeof merr))
        DIE("%s", merr);
    size_t N = (size_t)tr_set.n * tr_set.d;
    long double s = 0, s2 = 0;
    for (size_t i = 0; i < N; i++) s += tr_set.x[i], s2 += (long double)tr_set.x[i] * tr_set.x[i];
    double m = (double)(s / N), sd = sqrt((double)(s2 / N) - m * m);
    fprintf(stderr, "MNIST: pixel mean %.4f, sd %.4f\n", m, sd);
    for (size_t i = 0; i < N; i++) tr_set.x[i] = (tr_set.x[i] - m) / sd;
    for (size_t i = 0; i < (size_t)te_set.n * te_set.d; i++) te_set.x[i] = (te_set.x[i] - m) / sd;
    mnist_loaded = 1;
}
static double evenodd(unsigned char d) { return d % 2 == 0 ? 1.0 : -1.0; }
static void gather(const mnist_set *s, const size_t *idx, int n, double *X, double *y) {
    for (int i = 0; i < n; i++) {
        memcpy(X + (size_t)i * s->d, s->x + idx[i] * s->d, sizeof(double) * s->d);
        y[i] = evenodd(s->y[idx[i]]);
    }
}

#include "05-mnist-relu.c"
#include "06-optimal-fitting-ratio.c"
#include "07-mnist-fitting-ratio.c"

// ---- main: the parts, in the order of the paper ----
int main(int argc, char **argv) {
    cli_parse(&C, argc, argv);
    int quick = C.quick;
    double t0 = util_now();
    // Part selection: --part runs one part; with --part all, --data gaussian|mnist runs only that
    // data set's series (R1, R2 or R3, R4c), and --alpha/--beta alone run only R4(a).
    int all = !strcmp(P.part, "all");
    int gauss = strcmp(P.data, "mnist") != 0, mn = strcmp(P.data, "gaussian") != 0;
    int data_only = all && cli_given(&C, "data"), pair_only = all && !cli_given(&C, "data") &&
                                                              (cli_given(&C, "alpha") || cli_given(&C, "beta")) &&
                                                              !cli_given(&C, "k-list") && !cli_given(&C, "n-list");
#define PART(x) (!strcmp(P.part, x) || (all && !data_only && !pair_only))
    int do_c1 = PART("c1"), do_c2 = PART("c2"), do_r4a = PART("r4a") || pair_only, do_r4b = PART("r4b");
    int do_r1 = PART("r1") || (data_only && gauss), do_r2 = PART("r2") || (data_only && gauss);
    int do_r3 = PART("r3") || (data_only && mn), do_r4c = PART("r4c") || (data_only && mn);
    int have_mnist = mnist_available(C.mnist_dir);
    // MNIST that the user asked for (--part r3|r4c, --data mnist, or --mnist-dir) and that is
    // missing is a runtime failure, reported before anything is computed; only the default run
    // may skip it.
    int asked_mnist =
        !strcmp(P.part, "r3") || !strcmp(P.part, "r4c") || (cli_given(&C, "data") && mn) || cli_given(&C, "mnist-dir");
    if (!quick && asked_mnist && (do_r3 || do_r4c) && !have_mnist) {
        fprintf(stderr,
                "random-features: MNIST not found in '%s' (asked for by --part, --data or --mnist-dir): run make data, "
                "or point --mnist-dir at the IDX files\n",
                C.mnist_dir);
        return EXIT_RUNTIME;
    }
    if (do_c1) part_c1();                     // rf.C1  solver limits
    if (do_c2) part_c2(quick);                // rf.C2  more is better (theory)
    if (do_r1) part_r1(quick);                // rf.C3, C5  Fig. 1, Gaussian column: width sweep
    if (do_r2) part_r2(quick);                // rf.C4  the n-traces
    if (do_r3) part_r3(quick, have_mnist);    // rf.C6  Fig. 1, real-data column: ReLU RF on MNIST
    if (do_r4a) part_r4a(quick);              // rf.C7  optimal fitting ratio, closed form
    if (do_r4b) part_r4b(quick);              // rf.C8  the noise threshold
    if (do_r4c) part_r4c(quick, have_mnist);  // rf.C9, C10  Fig. 2: fitting ratio on MNIST, exponents
    progress_done("random-features: %.1f s", util_now() - t0);
    claim_summary(C.slug);
    if (mnist_loaded) mnist_free(&tr_set), mnist_free(&te_set);
    return 0;
}
