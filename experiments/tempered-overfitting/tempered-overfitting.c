// tempered-overfitting: benign, tempered or catastrophic overfitting in ridgeless kernel regression.
//
// Paper: Neil Mallinar*, James B. Simon*, Amirhesam Abedsoltan, Parthe Pandit, Mikhail Belkin,
// Preetum Nakkiran, "Benign, Tempered, or Catastrophic: A Taxonomy of Overfitting" (NeurIPS
// 2022), arXiv 2207.06569.  The kernel half: the trichotomy from the eigenspectrum,
// Laplace vs Gaussian kernels (Fig. 4 analogue), classification noise profiles (Fig. 3/10
// analogues, KRR and 1-NN only).
//
// Claim: interpolating noisy labels, kernel regression's excess test risk tends to (E0 - 1)
// sigma^2, and the noise amplification E0 is set by the kernel's eigenvalue decay: a power law
// lambda_i ~ i^-alpha gives E0 -> alpha (TEMPERED), faster decay gives E0 -> infinity
// (CATASTROPHIC), slower decay or any fixed ridge gives E0 -> 1 (BENIGN).
//
// Algorithm.
//   1. Theory (T1): solve the eigenframework (kappa, E0) for power-law, exponential and
//      slower-than-power spectra, ridgeless and with ridge, n = 16 ... 65536.
//   2. Gaussian design (T1): features x_j = sqrt(lam_j) g_j, K = X X^T, labels pure noise;
//      the excess risk sum_j lam_j beta_j^2 is computed exactly.  Also sigma^2-linearity.
//   3. Sphere S^4 (T2): Laplace and Gaussian kernels by Cholesky KRR on pure noise, excess on
//      fresh test points; theory from the Funk-Hecke spectrum.
//   4. Torus T^4 and circle (T3): kernels BUILT from a prescribed spectrum by FFTW;
//      exact held-out excess on the whole grid by one convolution; theory from all N modes.
//   5. Noise profiles (T4): flip a fraction p of binary labels (S^4: sign(x_1); MNIST even vs
//      odd); clean test error of ridgeless KRR, ridge KRR and 1-NN.
//   6. Claims tmp.C1-C7, each printed as a CLAIM line with its number.
//
// Writes (to --out, default figures/data/tempered-overfitting/): theory-*.tsv (E0(n) curves),
// excess-*.tsv (one row per n: n, E0, excess_theory, excess_mean, excess_se, excess_median, ...),
// linearity.tsv, spectrum-*.tsv and kernel-circle.tsv (FFTW checks), noise-*.tsv (profiles).
//
// Run:  build/tempered-overfitting                      (default: all parts, about a minute)
//       build/tempered-overfitting --quick              (tests: under 2 s)
//       build/tempered-overfitting --domain torus --spectrum heat --heat-t 1 --n-list 64,256
//       build/tempered-overfitting --kernel gaussian --ridge 1e-3 --out my-run/
// Runtime: default about 50 s of CPU on one core (T1 13 s, T2 3 s, T3 12 s, T4 22 s, of which
// MNIST at n = 4000 with 8 trials is most); --quick 0.4 s.
// Given any part flag, the program runs ONE series with the user's parameters (see main).
#include <fftw3.h>  // before lapacke.h, so that fftw_complex is the C99 type (not needed here, kept as the rule)
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_sf_zeta.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fit.h"
#include "blasinfo.h"
#include "circulant.h"
#include "claim.h"
#include "cli.h"
#include "eigenframework.h"
#include "mnist.h"
#include "kernel.h"
#include "krr.h"
#include "linalg.h"
#include "progress.h"
#include "rng.h"
#include "spectra.h"
#include "tsv.h"
#include "util.h"

#ifndef SLUG
#define SLUG "tempered-overfitting"
#endif

// ---- parameters ----
//
// Symbols (the paper's): $n$ training points; $\lambda_i$ kernel eigenvalues
// (w.r.t. the input measure); $\kappa$ the effective ridge; $L_i=\lambda_i/(\lambda_i+\kappa)$
// the learnabilities; $E_0=n/(n-\sum_i L_i^2)$ the overfitting coefficient; $\sigma^2$ the
// label-noise variance (`--noise`); $\delta$ the absolute ridge (`--ridge`).
//
// Protocol throughout: the target is $f\equiv0$ and training labels are pure noise
// $y_i=\eta_i\sim N(0,\sigma^2)$, so the clean-label excess risk is $E_x[\hat f(x)^2]$, and the
// eigenframework predicts it to be $(E_0-1)\sigma^2$.  The Bayes risk is $\sigma^2$.
//
// The flags below run ONE series of the user's choosing.  Without part flags the program runs
// the default experiment (T1-T4), whose sizes are fixed in `struct config` further down.

static struct params {
    const char *domain;    // design | sphere | torus | circle | mnist
    const char *spectrum;  // design: power | exp | benign; torus/circle: sobolev | heat
    double alpha;          // power-law exponent, lambda_i = i^-alpha (design)
    double beta_exp;       // exponential rate, lambda_i = e^{-beta i} (design)
    double s;              // Sobolev order, lambda(m) ∝ (1 + |m|^2/ell^2)^-s (torus 4, circle 1)
    double length;         // Sobolev length ell
    double heat_t;         // heat time t, lambda(m) ∝ exp(-|m|^2/(2t))
    int torus_dim;         // D of the torus Z_G^D
    int grid;              // G points per side (torus 32, circle 65536)
    const char *kernel;    // laplace | gaussian | ntk1b (sphere, mnist)
    double bandwidth;      // kernel length ell (laplace 1, gaussian 1/sqrt 2, mnist 28)
    int dim;               // d: the sphere S^{d-1} in R^d
    double ridge;          // absolute ridge delta
    double noise;          // label-noise variance sigma^2
    cli_ilist n_list;      // training-set sizes
    int trials;            // independent draws per n
    int ntest;             // fresh test points (sphere, mnist)
    cli_dlist flip_list;   // label-flip probabilities p (classification)
} prm = {
    .domain = "design", .spectrum = "power", .alpha = 2, .beta_exp = 0.1, .s = 4, .length = 1,
    .heat_t = 2, .torus_dim = 4, .grid = 32, .kernel = "laplace", .bandwidth = 1, .dim = 5,
    .ridge = 0, .noise = 1, .n_list = {3, {64, 256, 1024}}, .trials = 3, .ntest = 2000,
    .flip_list = {5, {0, 0.1, 0.2, 0.3, 0.4}},
};

static cli_opt opts[] = {
    {"domain", CLI_CHOICE, &prm.domain, 0, 0, "series domain: Gaussian design, sphere S^{d-1}, torus Z_G^D, circle Z_G, MNIST", "design|sphere|torus|circle|mnist", 0},
    {"spectrum", CLI_CHOICE, &prm.spectrum, 0, 0, "design: power|exp|benign; torus/circle: sobolev|heat", "power|exp|benign|sobolev|heat", 0},
    {"alpha", CLI_DOUBLE, &prm.alpha, 1, 20, "power-law exponent alpha > 1 (lambda_i = i^-alpha)", 0, 0},
    {"beta-exp", CLI_DOUBLE, &prm.beta_exp, 1e-3, 10, "exponential spectrum rate beta (lambda_i = e^{-beta i})", 0, 0},
    {"s", CLI_DOUBLE, &prm.s, 0.1, 20, "Sobolev order s (alpha = 2s/D; default 4 on the torus, 1 on the circle)", 0, 0},
    {"length", CLI_DOUBLE, &prm.length, 1e-3, 1e3, "Sobolev length ell", 0, 0},
    {"heat-t", CLI_DOUBLE, &prm.heat_t, 1e-3, 1e6, "heat-kernel time t", 0, 0},
    {"torus-dim", CLI_INT, &prm.torus_dim, 1, 8, "torus dimension D", 0, 0},
    {"grid", CLI_INT, &prm.grid, 2, 1 << 24, "points per side G (default 32 torus, 65536 circle); G^D <= 2^24", 0, 0},
    {"kernel", CLI_CHOICE, &prm.kernel, 0, 0, "kernel on the sphere / MNIST", "laplace|gaussian|ntk1b", 0},
    {"bandwidth", CLI_DOUBLE, &prm.bandwidth, 1e-3, 1e4, "kernel length ell (default 1 laplace, 1/sqrt2 gaussian, 28 on MNIST)", 0, 0},
    {"dim", CLI_INT, &prm.dim, 2, 50, "sphere S^{d-1} in R^d", 0, 0},
    {"ridge", CLI_DOUBLE, &prm.ridge, 0, 1e6, "absolute ridge delta", 0, 0},
    {"noise", CLI_DOUBLE, &prm.noise, 0, 1e6, "label-noise variance sigma^2", 0, 0},
    {"n-list", CLI_ILIST, &prm.n_list, 2, 60000, "training-set sizes, e.g. 64,256,1024", 0, 0},
    {"trials", CLI_INT, &prm.trials, 1, 1000, "independent draws per n", 0, 0},
    {"ntest", CLI_INT, &prm.ntest, 10, 10000, "test points (sphere, MNIST)", 0, 0},
    {"flip-list", CLI_DLIST, &prm.flip_list, 0, 0.5, "label-flip probabilities p (classification series)", 0, 0},
    {0},
};

// Sizes of the default experiment and of --quick.  Named here, once.
typedef struct {
    int quick;
    size_t M_power;       // explicit power-law modes before the incomplete-beta tail
    size_t M_benign;      // explicit modes of the benign spectrum before its tail-as-ridge
    int n_theory_pts;     // log-spaced n for the theory curves of T1
    double n_theory_max;  // ... up to this n
    // T1 simulations
    int design_n[3], design_n_exp[3], n_design, design_trials, design_trials_exp, P_factor, P_exp_extra;
    int lin_n, lin_P, lin_trials;
    // T2 sphere S^{d-1}
    int sph_d, sph_ntest, sph_lap_n[6], n_sph_lap, sph_lap_trials;
    int sph_gau_n[5], n_sph_gau, sph_gau_trials, sph_gr_n[3], n_sph_gr, sph_gr_trials;
    int sph_kmax, sph_nodes;  // Funk-Hecke truncation (Laplace) and Gauss-Legendre nodes
    // T3 torus / circle
    int tor_D, tor_G, tor_s, tor_n[6], n_tor, tor_trials, tor_trials_small, circ_G, circ_n[6], n_circ;
    // T4 noise profiles
    int cls_n[2], n_cls, cls_trials, mn_n[2], mn_trials[2], n_mn;
} config;

static const config DEFAULT_CONFIG = {
    .quick = 0, .M_power = 1000000, .M_benign = 1000000, .n_theory_pts = 40, .n_theory_max = 65536,
    .design_n = {64, 256, 1024}, .design_n_exp = {64, 128, 256}, .n_design = 3, .design_trials = 3,
    .design_trials_exp = 20,
    .P_factor = 16, .P_exp_extra = 400, .lin_n = 512, .lin_P = 8192, .lin_trials = 3,
    .sph_d = 5, .sph_ntest = 2000, .sph_lap_n = {64, 128, 256, 512, 1024, 2048}, .n_sph_lap = 6,
    .sph_lap_trials = 5, .sph_gau_n = {32, 64, 128, 256, 512}, .n_sph_gau = 5, .sph_gau_trials = 15,
    .sph_gr_n = {64, 256, 1024}, .n_sph_gr = 3, .sph_gr_trials = 10, .sph_kmax = 400, .sph_nodes = 2000,
    .tor_D = 4, .tor_G = 32, .tor_s = 4, .tor_n = {64, 128, 256, 512, 1024, 2048}, .n_tor = 6,
    .tor_trials = 10, .tor_trials_small = 40, .circ_G = 65536, .circ_n = {64, 128, 256, 512, 1024, 2048}, .n_circ = 6,
    .cls_n = {500, 2000}, .n_cls = 2, .cls_trials = 5, .mn_n = {1000, 4000}, .mn_trials = {8, 8}, .n_mn = 2,
};
static const config QUICK_CONFIG = {
    .quick = 1, .M_power = 100000, .M_benign = 1000000, .n_theory_pts = 3, .n_theory_max = 4096,
    .design_n = {128}, .n_design = 1, .design_trials = 3, .P_factor = 16, .P_exp_extra = 400,
    .sph_d = 5, .sph_ntest = 500, .sph_lap_n = {256}, .n_sph_lap = 1, .sph_lap_trials = 5,
    .sph_kmax = 400, .sph_nodes = 2000, .tor_D = 3, .tor_G = 16, .tor_s = 3, .tor_n = {64, 256}, .n_tor = 2,
    .tor_trials = 5, .tor_trials_small = 5, .circ_G = 4096, .circ_n = {256}, .n_circ = 1,
};

// Stream ids: one mt19937 stream per (part, series, n, trial[, block]), so adding a
// trial or a part never shifts another's numbers.
enum { PART_DESIGN = 1, PART_LINEAR, PART_SPHERE, PART_TORUS, PART_CLASS, PART_MNIST };
static uint64_t stream_id(int part, int series, int n, int trial, int block) {
    return ((uint64_t)part << 56) | ((uint64_t)series << 48) | ((uint64_t)n << 28) | ((uint64_t)trial << 16) |
           (uint64_t)block;
}

static cli C;  // the parsed command line (seed, out, quick, ...)

// ---- theory: the eigenframework on the spectra of the trichotomy ----
//
// $\kappa>0$ solves $\sum_i m_i\lambda_i/(\lambda_i+\kappa)+\delta/\kappa=n$, and
// $$E_0=\frac{n}{n-\sum_i m_i L_i^2},\qquad \text{clean excess}=E_0\sum_i(1-L_i)^2v_i^2+(E_0-1)\sigma^2 .$$
// The solver (common/eigenframework) works in $\log\kappa$, so the exponential spectrum, whose
// $\kappa\approx e^{-\beta n}$ reaches $10^{-178}$, is as easy as the others.
//
// Why the three regimes (checked by tmp.C1-C2):
// - power law $\lambda_i=i^{-\alpha}$: $\sum_i L_i\approx\kappa^{-1/\alpha}\frac{\pi/\alpha}{\sin(\pi/\alpha)}$
//   and $\sum_i L_i^2\approx(1-1/\alpha)$ times that, so $n-\sum L^2\to n/\alpha$ and
//   $E_0\to\alpha$; at finite $n$, $E_0\approx\alpha\,n/(n+\frac12)$;
// - exponential $\lambda_i=e^{-\beta i}$: $n-\sum L^2=\sum L(1-L)\to1/\beta$, so $E_0\approx\beta n$;
// - $\lambda_i=1/((i+1)\ln^2(i+1))$, slower than every power: $E_0\to1$ like $1+1.2/\ln n$;
// - fixed ridge: $\kappa\to\delta/n$, all $L_i\to0$ relative to $n$, $E_0\to1$.
//
// Infinite spectra are an explicit head plus a tail: the power law's tail enters through the
// incomplete-beta sums (spectra_powerlaw_tail_fn), the benign spectrum's through its
// mass $\int_{M+3/2}^\infty dx/(x\ln^2x)=1/\ln(M+\frac32)$ treated as ridge.

typedef struct {
    char name[32];
    double *lam, *mult;  // explicit modes or levels
    ef_spectrum s;
    spectra_powerlaw_tail tail;
} theory_spec;

static void theory_power(theory_spec *t, double alpha, size_t M) {
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "power%g", alpha);
    t->lam = XNEW(double, M);
    for (size_t i = 0; i < M; i++) t->lam[i] = pow((double)(i + 1), -alpha);
    t->tail = (spectra_powerlaw_tail){.alpha = alpha, .M = (double)M, .scale = 1};
    t->s = (ef_spectrum){.M = M, .lam = t->lam, .tail = spectra_powerlaw_tail_fn, .tail_par = &t->tail,
                         .tail_mass = spectra_powerlaw_tail_mass(alpha, (double)M)};
}
static void theory_exp(theory_spec *t, double beta, size_t M) {
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "exp");
    t->lam = XNEW(double, M);
    for (size_t i = 0; i < M; i++) t->lam[i] = exp(-beta * (double)(i + 1));
    t->s = (ef_spectrum){.M = M, .lam = t->lam};
}
static double benign_lam(double i) { return 1.0 / ((i + 1) * log(i + 1) * log(i + 1)); }
static void theory_benign(theory_spec *t, size_t M) {
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "benign");
    t->lam = XNEW(double, M);
    for (size_t i = 0; i < M; i++) t->lam[i] = benign_lam((double)(i + 1));
    t->s = (ef_spectrum){.M = M, .lam = t->lam, .extra_ridge = 1.0 / log((double)M + 1.5)};
}
static void theory_free(theory_spec *t) {
    free(t->lam);
    free(t->mult);
}

// kappa and E0 at (n, delta); DIE with the solver's reason if it fails.
static ef_fit theory_fit(const theory_spec *t, double n, double delta) {
    ef_fit f;
    int st = ef_solve(&t->s, n, delta, &f);
    if (st) DIE("eigenframework failed for spectrum %s at n = %g, delta = %g: %s", t->name, n, delta, ef_strerror(st));
    return f;
}

// Output (defined in the output section below): the TSV tables and their stdout summaries.
static void write_theory_curve(const theory_spec *t, const char *name, double delta, double n0, double n1, int pts,
                               const char *claims);

// ---- experiment: the excess-risk table shared by every series ----
//
// Every simulated series ends in the same table: one row per n with the theory, the mean,
// standard error and median of the per-trial excess risk, and its quartiles (the ridgeless
// Gaussian kernel is heavy-tailed, so the figure shows medians and quartiles there).

typedef struct {
    int n;
    double E0, theory;                      // eigenframework E0 and (E0 - 1) sigma^2 (or general excess)
    double mean, se, median, q25, q75;      // over the trials that succeeded
    int trials;                             // trials that succeeded
    double train_max;                       // max train MSE / sigma^2 (interpolation check)
    int failed;                             // 1 if Cholesky failed at this n (series stopped)
    double delta;                           // the series' ridge (train_max is checked only at 0)
} excess_row;

// The interpolation check: ridgeless, the fit must reproduce its training labels,
// train MSE <= 1e-6 sigma^2.  A Gram matrix that is numerically singular can pass Cholesky and
// still return a wrong alpha; then every number of the series is wrong, so the run stops (exit 1)
// naming the series and n.  "Ridgeless" means no ridge beyond the kernel's own: on the design the
// modes beyond P enter as a ridge that is part of the kernel, and the check uses it.
// Why 1e-6: the broken solves this guards against miss their labels by 1e-3 (Gaussian kernel,
// l = 3, n = 512 on S^4) to 0.07 (tests/test_baddata.c), while a sound backward-stable solve of
// the exponential-spectrum design (condition number e^{0.1 n} ~ 1e11 at n = 256) leaves 4.8e-9
// (seed 1) and 1.1e-8 (seed 3, Haswell kernels): the old bound 1e-8 sat inside round-off.  A
// residual of 1e-6 sigma^2 moves the measured excess, O(sigma^2) there, by at most ~1e-6.
#define TRAIN_TOL 1e-6
static void train_check(const char *series, int n, double ratio) {
    if (!(ratio <= TRAIN_TOL))
        DIE("%s n = %d: ridgeless train MSE / sigma^2 = %.3g > %g: the Gram matrix is numerically singular "
            "and the solve does not interpolate; try --ridge > 0, a different --bandwidth (or spectrum), or a smaller n",
            series, n, ratio, TRAIN_TOL);
}

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static double quantile(const double *x, int n, double q) {  // linear interpolation, type 7
    double *c = XNEW(double, n);
    memcpy(c, x, (size_t)n * sizeof *c);
    qsort(c, (size_t)n, sizeof *c, cmp_dbl);
    double h = (n - 1) * q;
    int lo = (int)floor(h);
    double v = lo + 1 < n ? c[lo] + (h - lo) * (c[lo + 1] - c[lo]) : c[lo];
    free(c);
    return v;
}
static void summarise(excess_row *r, const double *ex, int k) {
    r->trials = k;
    if (k == 0) {
        r->mean = r->se = r->median = r->q25 = r->q75 = NAN;
        return;
    }
    r->mean = fit_mean(ex, k);
    r->se = fit_stderr(ex, k);
    r->median = fit_median(ex, k);
    r->q25 = quantile(ex, k, 0.25);
    r->q75 = quantile(ex, k, 0.75);
}

static void write_excess(const char *name, const char *claims, const char *what, const excess_row *r, int nr);

// ---- experiment T1: Gaussian design, the model the theory describes ----
//
// Features $x_j=\sqrt{\lambda_j}\,g_j$, $g\sim N(0,I_P)$, $j\le P$; the kernel is the linear one,
// $K=XX^\top$, whose population eigenvalues are exactly $\lambda_j$.  Modes beyond $P$ enter as
// the ridge they act as: for $\lambda_j=j^{-2}$ the mass $\sum_{j>P}j^{-2}$.  The fitted
// function is $\hat f(g)=\sum_j c_jg_j$ with $c_j=\lambda_j(Z^\top\alpha)_j$, $\alpha=(K+\delta I)^{-1}y$,
// so its clean error against a target $\sum_jv_jg_j$ is exactly $\sum_j(c_j-v_j)^2$: no test set.
//
// $Z$ (n, P) is never stored: it is generated in column blocks of B from per-block streams,
// once to accumulate $K$ (DSYRK) and once more, identically, for $Z^\top\alpha$ (GEMM).

#define DESIGN_BLOCK 512

// One trial.  lam (P), v (P) or NULL (pure noise), ridge delta, the tail modes beyond P as
// ridge `tail`, noise std's sig[0..nrhs-1] (the same noise draw scaled, for the sigma^2-linearity
// check); mse[k] gets the clean error; train_max the ridgeless train MSE / sigma^2 of the kernel
// K + tail I.  Returns 0, or the Cholesky info > 0 (series must stop).
static int design_trial(int n, int P, const double *lam, const double *v, double delta, double tail, int nrhs,
                        const double *sig, int part, int series, int trial, double *mse, double *train_max) {
    int nb = (P + DESIGN_BLOCK - 1) / DESIGN_BLOCK;
    double *K = XNEW(double, (size_t)n * n), *Kc = XNEW(double, (size_t)n * n);
    double *Z = XNEW(double, (size_t)n * DESIGN_BLOCK), *Xs = XNEW(double, (size_t)n * DESIGN_BLOCK);
    double *f = XNEW(double, n), *Y = XNEW(double, (size_t)n * nrhs), *U = XNEW(double, (size_t)DESIGN_BLOCK * nrhs);
    // Phase 1: K = sum_blocks (Z_b sqrt(lam_b)) (Z_b sqrt(lam_b))^T and the clean labels f = Z v.
    for (int b = 0; b < nb; b++) {
        int j0 = b * DESIGN_BLOCK, B = (P - j0 < DESIGN_BLOCK) ? P - j0 : DESIGN_BLOCK;
        gsl_rng *r = rng_alloc(C.seed, stream_id(part, series, n, trial, b + 1));
        rng_normal_vec(r, (size_t)n * B, Z);  // Z_b (n, B)
        rng_free(r);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < B; j++) Xs[(size_t)i * B + j] = Z[(size_t)i * B + j] * sqrt(lam[j0 + j]);
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, B, 1.0, Xs, B, 1.0, K, n);
        if (v) cblas_dgemv(CblasRowMajor, CblasNoTrans, n, B, 1.0, Z, B, v + j0, 1, 1.0, f, 1);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) K[(size_t)j * n + i] = K[(size_t)i * n + j];
    memcpy(Kc, K, (size_t)n * n * sizeof *K);
    // Labels y = f + sigma_k eta, one noise draw shared by the nrhs noise levels.
    gsl_rng *r = rng_alloc(C.seed, stream_id(part, series, n, trial, 0));
    for (int i = 0; i < n; i++) {
        double eta = rng_normal(r);
        for (int k = 0; k < nrhs; k++) Y[(size_t)i * nrhs + k] = f[i] + sig[k] * eta;
    }
    rng_free(r);
    double *Y0 = XNEW(double, (size_t)n * nrhs);
    memcpy(Y0, Y, (size_t)n * nrhs * sizeof *Y);
    int info = krr_solve(n, Kc, delta + tail, nrhs, Y, 0, NULL, NULL);  // Y <- alpha
    if (info == 0) {
        // Interpolation check (ridgeless only): train residual y - (K + tail I) alpha, relative to sigma^2.
        *train_max = 0;
        if (delta == 0) {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, nrhs, n, -1.0, K, n, Y, nrhs, 1.0, Y0, nrhs);
            cblas_daxpy(n * nrhs, -tail, Y, 1, Y0, 1);
            for (int k = 0; k < nrhs; k++) {
                if (sig[k] == 0) continue;
                double s = 0;
                for (int i = 0; i < n; i++) s += Y0[(size_t)i * nrhs + k] * Y0[(size_t)i * nrhs + k];
                *train_max = fmax(*train_max, s / n / (sig[k] * sig[k]));
            }
        }
        // Phase 2: c_j = lam_j (Z^T alpha)_j, block by block, from the same streams.
        for (int k = 0; k < nrhs; k++) mse[k] = 0;
        for (int b = 0; b < nb; b++) {
            int j0 = b * DESIGN_BLOCK, B = (P - j0 < DESIGN_BLOCK) ? P - j0 : DESIGN_BLOCK;
            gsl_rng *rb = rng_alloc(C.seed, stream_id(part, series, n, trial, b + 1));
            rng_normal_vec(rb, (size_t)n * B, Z);
            rng_free(rb);
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, B, nrhs, n, 1.0, Z, B, Y, nrhs, 0.0, U, nrhs);
            for (int j = 0; j < B; j++)
                for (int k = 0; k < nrhs; k++) {
                    double c = lam[j0 + j] * U[(size_t)j * nrhs + k] - (v ? v[j0 + j] : 0);
                    mse[k] += c * c;
                }
        }
    }
    free(K), free(Kc), free(Z), free(Xs), free(f), free(Y), free(Y0), free(U);
    return info;
}

// A pure-noise series on the Gaussian design: lam_of(j) for j = 1..P(n), extra ridge.
typedef enum { DES_POWER, DES_EXP, DES_BENIGN } design_kind;
static void design_series(design_kind kind, double alpha, double beta, const theory_spec *th, double delta,
                          const int *ns, int nn, int trials, int P_factor, int P_extra, int series, excess_row *rows) {
    for (int q = 0; q < nn; q++) {
        int n = ns[q];
        int P = kind == DES_EXP ? n + P_extra : P_factor * n;
        double *lam = XNEW(double, P), extra;
        for (int j = 0; j < P; j++)
            lam[j] = kind == DES_POWER ? pow(j + 1.0, -alpha) : kind == DES_EXP ? exp(-beta * (j + 1.0)) : benign_lam(j + 1.0);
        // The modes beyond P as ridge: zeta(alpha, P+1); 1/ln(P + 3/2); e^{-beta(P+1)}/(1 - e^{-beta}).
        extra = kind == DES_POWER ? gsl_sf_hzeta(alpha, P + 1.0)
                : kind == DES_BENIGN ? 1.0 / log(P + 1.5)
                                     : 0.0;  // no extra ridge for the exponential (tail e^{-0.1 (n+401)})
        ef_fit fit = theory_fit(th, n, delta);
        excess_row *r = &rows[q];
        memset(r, 0, sizeof *r);
        r->n = n, r->E0 = fit.E0, r->theory = (fit.E0 - 1) * prm.noise, r->delta = delta;
        double *ex = XNEW(double, trials), sig = sqrt(prm.noise);
        int k = 0;
        for (int t = 0; t < trials; t++) {
            double mse, trm = 0;
            int info = design_trial(n, P, lam, NULL, delta, extra, 1, &sig, PART_DESIGN, series, t, &mse, &trm);
            if (info) {
                r->failed = 1;
                fprintf(stderr, "design %s n = %d: Cholesky failed (leading minor %d)\n", th->name, n, info);
                break;
            }
            ex[k++] = mse;
            r->train_max = fmax(r->train_max, trm);
            if (delta == 0) train_check(th->name, n, trm);
            progress("T1 design %s n=%d trial %d/%d", th->name, n, t + 1, trials);
        }
        summarise(r, ex, k);
        free(ex);
        free(lam);
    }
}

// ---- experiment T2: kernels on the sphere S^{d-1} ----
//
// Laplace $e^{-\|x-x'\|/\ell}$ has level eigenvalues $\lambda_k\propto k^{-d}$ with multiplicity
// $N(d,k)\propto k^{d-2}$: per mode $\lambda_i\propto i^{-d/(d-1)}$, so $E_0\to d/(d-1)$ and the
// excess tends to $\sigma^2/(d-1)$, tempered (0.25 on $S^4$).  The Gaussian $e^{-\|x-x'\|^2/(2\ell^2)}$
// decays super-exponentially: catastrophic when ridgeless, benign with a fixed ridge.
//
// Theory spectrum: Funk-Hecke levels for $k\le k_{max}$ plus the missing mass
// $E K(x,x)-\sum_k N(d,k)\lambda_k$ as ridge; the Gaussian by its Bessel closed form,
// levels until $\lambda_k<10^{-300}$.

typedef struct { const kernel_spec *k; } prof_par;
static double sphere_prof(double t, void *par) {
    const prof_par *p = par;
    return kernel_sphere_profile(p->k, t, 1.0, prm.dim);
}

static void theory_sphere(theory_spec *t, const kernel_spec *k, int d, int kmax, int nodes) {
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "sphere-%s", kernel_name(k));
    t->lam = XNEW(double, kmax + 1);
    t->mult = XNEW(double, kmax + 1);
    int L = kmax + 1;
    if (k->type == KERNEL_GAUSSIAN) {
        double b = 1.0 / (k->bandwidth * k->bandwidth);  // exp(-|x-x'|^2/(2 l^2)) = exp(-(1-t) b)
        for (L = 0; L <= kmax; L++) {
            t->lam[L] = spectra_sphere_gaussian(d, L, b);
            if (!(t->lam[L] >= 1e-300)) break;
        }
    } else {
        spectra_sphere *w = spectra_sphere_alloc(d, kmax, nodes);
        if (!w) DIE("spectra_sphere_alloc(d = %d, kmax = %d, nodes = %d) failed", d, kmax, nodes);
        prof_par pp = {k};
        spectra_sphere_eigenvalues(w, sphere_prof, &pp, t->lam);
        spectra_sphere_free(w);
    }
    double mass = 0;
    for (int j = 0; j < L; j++) {
        t->mult[j] = spectra_sphere_multiplicity(d, j);
        if (t->lam[j] < 0) t->lam[j] = 0;  // quadrature noise on the last levels of a smooth kernel
        mass += t->mult[j] * t->lam[j];
    }
    double EK = kernel_sphere_profile(k, 1.0, 1.0, d);  // E K(x,x) = K(t = 1) on the unit sphere
    t->s = (ef_spectrum){.M = (size_t)L, .lam = t->lam, .mult = t->mult, .extra_ridge = fmax(0, EK - mass)};
}

// One trial on the sphere: n training and nt test points, pure-noise labels; excess on test.
static int sphere_trial(const kernel_spec *k, int d, int n, int nt, double delta, int series, int trial,
                        double *excess, double *train) {
    gsl_rng *r = rng_alloc(C.seed, stream_id(PART_SPHERE, series, n, trial, 0));
    double *X = XNEW(double, (size_t)n * d), *T = XNEW(double, (size_t)nt * d);
    double *K = XNEW(double, (size_t)n * n), *K0 = XNEW(double, (size_t)n * n), *Ktd = XNEW(double, (size_t)nt * n);
    double *y = XNEW(double, n), *a = XNEW(double, n), *pred = XNEW(double, nt);
    for (int i = 0; i < n; i++) rng_sphere(r, d, X + (size_t)i * d);
    for (int i = 0; i < nt; i++) rng_sphere(r, d, T + (size_t)i * d);
    for (int i = 0; i < n; i++) y[i] = sqrt(prm.noise) * rng_normal(r);
    rng_free(r);
    kernel_gram_sym(k, n, d, X, K);
    kernel_gram(k, nt, n, d, T, X, Ktd);
    memcpy(K0, K, (size_t)n * n * sizeof *K);
    memcpy(a, y, (size_t)n * sizeof *a);
    int info = krr_solve(n, K, delta, 1, a, nt, Ktd, pred);
    if (info == 0) {
        double s = 0;
        for (int i = 0; i < nt; i++) s += pred[i] * pred[i];
        *excess = s / nt;
        // train residual y - (K0 + delta I) alpha + delta alpha = y - K0 alpha
        cblas_dsymv(CblasRowMajor, CblasLower, n, -1.0, K0, n, a, 1, 1.0, y, 1);
        *train = prm.noise > 0 ? cblas_ddot(n, y, 1, y, 1) / n / prm.noise : 0;
    }
    free(X), free(T), free(K), free(K0), free(Ktd), free(y), free(a), free(pred);
    return info;
}

static void sphere_series(const kernel_spec *k, const theory_spec *th, int d, double delta, const int *ns, int nn,
                          int trials, int nt, int series, excess_row *rows) {
    int stopped = 0;
    for (int q = 0; q < nn; q++) {
        excess_row *r = &rows[q];
        memset(r, 0, sizeof *r);
        r->n = ns[q], r->delta = delta;
        ef_fit fit = theory_fit(th, ns[q], delta);
        r->E0 = fit.E0, r->theory = (fit.E0 - 1) * prm.noise;
        double *ex = XNEW(double, trials);
        int m = 0;
        for (int t = 0; t < trials && !stopped; t++) {
            double e, tr = 0;
            int info = sphere_trial(k, d, ns[q], nt, delta, series, t, &e, &tr);
            if (info) {
                fprintf(stderr, "sphere %s n = %d: Cholesky failed at leading minor %d: series stopped\n",
                        th->name, ns[q], info);
                r->failed = stopped = 1;
                break;
            }
            ex[m++] = e;
            r->train_max = fmax(r->train_max, tr);
            if (delta == 0) train_check(th->name, ns[q], tr);
            progress("T2 %s delta=%g n=%d trial %d/%d", th->name, delta, ns[q], t + 1, trials);
        }
        if (stopped && m == 0) r->failed = 1;
        summarise(r, ex, m);
        free(ex);
    }
}

// ---- experiment T3: kernels built from a prescribed spectrum on the torus and circle (FFTW) ----
//
// On the discrete torus $\mathbb Z_G^D$ (uniform measure on $N=G^D$ points) a kernel of $x-x'$
// alone is diagonalised by the characters $e^{2\pi i m\cdot x/G}$.  We run this in reverse
// (common/circulant): prescribe $\lambda(m)$, normalise $\sum_m\lambda(m)=1$, and one
// rank-$D$ c2r transform gives the table $k(x)=\sum_m\lambda(m)e^{2\pi i m\cdot x/G}$, so that
// $K_{ij}=k(x_i-x_j)$ and $K(x,x)=1$.  The theory then sums over all $N$ modes: no truncation.
//
// - Sobolev $\lambda(m)\propto(1+|\tilde m|^2/\ell^2)^{-s}$: by Weyl's law the sorted spectrum decays as
//   $i^{-2s/D}$, so $\alpha=2s/D$ (= 2 for $s=4$, $D=4$ and for $s=1$, $D=1$).
// - heat $\lambda(m)\propto e^{-|\tilde m|^2/(2t)}$: faster than any power, catastrophic.
//
// The held-out excess is exact: $\hat f=\mathrm{c2r}(\lambda\circ\mathrm{r2c}(\sum_i\alpha_i\delta_{x_i}))$
// on all $N$ points, and excess $=(\sum_x\hat f(x)^2-\sum_i\hat f(x_i)^2)/(N-n)$.
//
// On the circle ($D=1$, $s=1$) the theory says excess $\approx\sigma^2$ but the truth is
// $\frac23\sigma^2$: the min-norm interpolant of this kernel ($\cosh$-shaped between knots) is
// nearly piecewise linear, and linear interpolation of i.i.d. noise at a uniform position $u$
// in a gap has variance $\sigma^2((1-u)^2+u^2)$, whose average over $u$ is $\frac23\sigma^2$.
// Gaussian-design universality fails in one dimension; tmp.C6d asserts the deviation.

typedef struct {
    circulant_torus *t;
    circulant_radial par;
    int sobolev;
    double scale;  // normalisation factor applied to the prescribed spectrum
} torus_model;

static void torus_model_init(torus_model *m, int D, int G, int sobolev, double s, double ell, double heat_t) {
    m->t = circulant_torus_alloc(D, G);
    if (!m->t) DIE("circulant_torus_alloc(D = %d, G = %d) failed", D, G);
    m->sobolev = sobolev;
    m->par = (circulant_radial){.s = s, .ell = ell, .t = heat_t};
    if (circulant_torus_set_spectrum(m->t, sobolev ? circulant_sobolev : circulant_heat, &m->par, 1, &m->scale))
        DIE("circulant_torus_set_spectrum failed (D = %d, G = %d)", D, G);
}

static void theory_torus(theory_spec *th, const torus_model *m, const char *name) {
    memset(th, 0, sizeof *th);
    snprintf(th->name, sizeof th->name, "%s", name);
    th->lam = XNEW(double, m->t->N);
    th->mult = XNEW(double, m->t->N);
    size_t L = circulant_torus_levels(m->t, th->lam, th->mult);
    th->s = (ef_spectrum){.M = L, .lam = th->lam, .mult = th->mult};
}

// One trial: n grid points without replacement, pure-noise labels, exact held-out excess.
static int torus_trial(torus_model *m, int n, double delta, int series, int trial, double *excess, double *train) {
    circulant_torus *t = m->t;
    gsl_rng *r = rng_alloc(C.seed, stream_id(PART_TORUS, series, n, trial, 0));
    size_t *idx = XNEW(size_t, n);
    double *K = XNEW(double, (size_t)n * n), *a = XNEW(double, n), *y = XNEW(double, n);
    double *fhat = XNEW(double, t->N);
    rng_subset(r, t->N, (size_t)n, idx);
    for (int i = 0; i < n; i++) y[i] = a[i] = sqrt(prm.noise) * rng_normal(r);
    rng_free(r);
    circulant_torus_gram(t, (size_t)n, idx, K);
    int info = krr_solve(n, K, delta, 1, a, 0, NULL, NULL);
    if (info == 0) {
        circulant_torus_predict(t, (size_t)n, idx, a, fhat);
        double all = 0, tr = 0, res = 0;
        for (size_t x = 0; x < t->N; x++) all += fhat[x] * fhat[x];
        for (int i = 0; i < n; i++) {
            tr += fhat[idx[i]] * fhat[idx[i]];
            res += (y[i] - fhat[idx[i]]) * (y[i] - fhat[idx[i]]);
        }
        *excess = (all - tr) / (double)(t->N - (size_t)n);
        *train = prm.noise > 0 ? res / n / prm.noise : 0;
    }
    free(idx), free(K), free(a), free(y), free(fhat);
    return info;
}

// trials_small applies at n <= 256, where one trial is cheap and the per-trial spread is
// largest (sd ~ 22% of the mean at n = 64 on T^4).
static void torus_series(torus_model *m, const theory_spec *th, double delta, const int *ns, int nn, int trials_big,
                         int trials_small, int series, excess_row *rows) {
    int stopped = 0;
    for (int q = 0; q < nn; q++) {
        excess_row *r = &rows[q];
        memset(r, 0, sizeof *r);
        r->n = ns[q], r->delta = delta;
        ef_fit fit = theory_fit(th, ns[q], delta);
        r->E0 = fit.E0, r->theory = (fit.E0 - 1) * prm.noise;
        // The theory averages over the whole grid, where the n training points carry the
        // interpolated labels, (n/N) sigma^2; we measure the held-out excess.  The two agree to
        // that share (0.2% of the theory at most in the default runs), but when a kernel is
        // nearly a delta on the grid that share IS the theory, and the held-out excess is ~0.
        double share = (double)ns[q] / (double)m->t->N * prm.noise;
        if (delta == 0 && share > 0.5 * r->theory)
            DIE("%s n = %d: the theory's excess %.3g is mostly the (n/N) sigma^2 = %.3g that the training points "
                "contribute to its whole-grid average (the kernel is nearly a delta on the grid), while the measured "
                "excess is held-out: the two are not comparable; try a smaller --heat-t or larger --s, --length, or --grid",
                th->name, ns[q], r->theory, share);
        int trials = ns[q] <= 256 ? trials_small : trials_big;
        double *ex = XNEW(double, trials);
        int k = 0;
        for (int t = 0; t < trials && !stopped; t++) {
            double e, tr = 0;
            int info = torus_trial(m, ns[q], delta, series, t, &e, &tr);
            if (info) {
                fprintf(stderr, "%s n = %d: Cholesky failed at leading minor %d: series stopped\n", th->name, ns[q], info);
                r->failed = stopped = 1;
                break;
            }
            ex[k++] = e;
            r->train_max = fmax(r->train_max, tr);
            if (delta == 0) train_check(th->name, ns[q], tr);  // f_hat(x_i) from the FFTW predictor
            progress("T3 %s n=%d trial %d/%d", th->name, ns[q], t + 1, trials);
        }
        summarise(r, ex, k);
        free(ex);
    }
}

// The FFTW checks written for the figure: for each distinct |m|^2 (one representative
// frequency), the prescribed lambda and the one recovered by the forward transform of the
// table, r2c(k)/N.
static double torus_write_spectrum(torus_model *m, const char *name) {
    circulant_torus *t = m->t;
    double err = circulant_torus_roundtrip_error(t);  // leaves r2c(k) in t->cbuf
    char fn[64];
    snprintf(fn, sizeof fn, "spectrum-%s.tsv", name);
    tsv *f = tsv_open(&C, fn, "tmp.C6a");
    tsv_note(f, "prescribed lambda(m) (normalised, sum = 1) and recovered r2c(k)(m)/N; D = %d, G = %d; max round-trip error %.3g",
             t->D, t->G, err);
    tsv_columns(f, "m_abs\tmult\tlam_prescribed\tlam_recovered");
    // Representative of |m|^2 = r2: the frequency (m_1, 0, ..., 0) ... is not enough for D > 1
    // (r2 = 2 needs two axes), so scan the half spectrum once and keep the first hit per r2.
    int maxr2 = t->D * (t->G / 2) * (t->G / 2);
    char *seen = XNEW(char, maxr2 + 1);
    double *mult = XNEW(double, maxr2 + 1), *lp = XNEW(double, maxr2 + 1), *lr = XNEW(double, maxr2 + 1);
    int x[8], hl = t->G / 2 + 1;
    for (size_t mi = 0; mi < t->N; mi++) {
        circulant_torus_signed_freq(t, mi, x);
        int r2 = 0;
        for (int a = 0; a < t->D; a++) r2 += x[a] * x[a];
        mult[r2] += 1;
        int xc[8];
        circulant_torus_coords(t, mi, xc);
        if (seen[r2] || xc[t->D - 1] >= hl) continue;
        size_t h = 0;
        for (int a = 0; a < t->D - 1; a++) h = h * (size_t)t->G + (size_t)xc[a];
        h = h * (size_t)hl + (size_t)xc[t->D - 1];
        seen[r2] = 1;
        lp[r2] = t->lam[mi];
        lr[r2] = t->cbuf[h][0] / (double)t->N;
    }
    // All levels for D > 1 (at most D G^2/4 of them); on the circle, every |m| up to 64 and
    // about 32 per octave beyond, to keep the table small.
    for (int r2 = 0; r2 <= maxr2; r2++) {
        if (!seen[r2]) continue;
        int mabs = (int)lround(sqrt((double)r2)), step = mabs / 32 > 1 ? mabs / 32 : 1;
        if (t->D == 1 && mabs > 64 && mabs % step) continue;
        tsv_row(f, "%.10g\t%.0f\t%.17g\t%.17g", sqrt((double)r2), mult[r2], lp[r2], lr[r2]);
    }
    tsv_close(f);
    free(seen), free(mult), free(lp), free(lr);
    return err;
}

// Circle Sobolev s = 1: lambda_m ∝ (1 + m^2/ell^2)^-1 ∝ 1/(a^2 + m^2) with a = ell.  The
// infinite sum, normalised to k(0) = 1, is cosh(a(pi - |theta|))/cosh(a pi), from
// sum_Z e^{im theta}/(a^2+m^2) = (pi/a) cosh(a(pi-|theta|))/sinh(a pi).  Truncation bound: the
// omitted frequencies carry tau = sum_{m outside (-G/2, G/2]} 1/(a^2+m^2) <= 4/(G-2); with F the
// full sum, S = sum_Z 1/(a^2+m^2) and T the omitted part,
// |(F-T)/(S-tau) - F/S| = |F tau - T S|/(S(S-tau)) <= 2 tau/(S - tau), as |F| <= S, |T| <= tau.
static void circle_closed_form(torus_model *m, double *maxerr, double *bound, int write) {
    circulant_torus *t = m->t;
    double a = m->par.ell;
    double S = M_PI / a / tanh(a * M_PI), tau = 4.0 / (t->G - 2);
    *bound = 2 * tau / (S - tau) + 1e-13;  // + rounding of the 2^16-point transform
    *maxerr = 0;
    tsv *f = write ? tsv_open(&C, "kernel-circle.tsv", "tmp.C6a") : NULL;
    if (f) {
        tsv_note(f, "circle G = %d, Sobolev s = 1, ell = %g: FFTW table k(theta) vs closed form cosh(a(pi-|theta|))/cosh(a pi), a = 1/ell", t->G, m->par.ell);
        tsv_columns(f, "theta\tk_table\tk_closed");
    }
    int stride = t->G / 512 > 0 ? t->G / 512 : 1;
    for (int j = 0; j < t->G; j++) {
        double th = 2 * M_PI * (j <= t->G / 2 ? j : j - t->G) / t->G;
        double kc = cosh(a * (M_PI - fabs(th))) / cosh(a * M_PI);
        *maxerr = fmax(*maxerr, fabs(t->k[j] - kc));
        if (f && j % stride == 0 && j <= t->G / 2) tsv_row(f, "%.10g\t%.17g\t%.17g", th, t->k[j], kc);
    }
    if (f) tsv_close(f);
}

// ---- experiment T4: noise profiles for classification ----
//
// Binary labels $\pm1$, each training label flipped with probability $p$ (one uniform $u_i$ per
// point, flipped iff $u_i<p$, so the flip sets are nested across $p$); clean test error of
// ridgeless KRR (sign of the regression), ridge KRR and 1-NN.  Benign would be a flat profile,
// catastrophic one that blows up; 1-NN is the textbook tempered method, with error
// $e_0+p(1-2e_0)$ where $e_0$ is its $p=0$ error.  KRR's profile sits in between.

#define MAXFLIP 16
typedef struct { double err[3][MAXFLIP], train; } cls_result;  // [method: ridgeless, ridge, 1-NN][p]; ridgeless train MSE / mean y^2

// Xtr (n,d), ytr (n) clean +-1; Xte (nt,d), yte (nt).  ridge = the second method's delta.
static int classify_trial(const kernel_spec *k, int d, int n, const double *Xtr, const double *ytr, int nt,
                          const double *Xte, const double *yte, double ridge, const cli_dlist *flips, gsl_rng *r,
                          cls_result *res) {
    int nf = flips->n;
    double *u = XNEW(double, n), *Y = XNEW(double, (size_t)n * nf), *A = XNEW(double, (size_t)n * nf);
    double *K = XNEW(double, (size_t)n * n), *Kc = XNEW(double, (size_t)n * n), *Ktd = XNEW(double, (size_t)nt * n);
    double *pred = XNEW(double, (size_t)nt * nf), *G = XNEW(double, (size_t)nt * n), *nrm = XNEW(double, n);
    for (int i = 0; i < n; i++) u[i] = gsl_rng_uniform(r);
    for (int i = 0; i < n; i++)
        for (int f = 0; f < nf; f++) Y[(size_t)i * nf + f] = u[i] < flips->v[f] ? -ytr[i] : ytr[i];
    kernel_gram_sym(k, n, d, Xtr, K);
    kernel_gram(k, nt, n, d, Xte, Xtr, Ktd);
    int status = 0;
    for (int meth = 0; meth < 2; meth++) {
        memcpy(Kc, K, (size_t)n * n * sizeof *K);
        memcpy(A, Y, (size_t)n * nf * sizeof *Y);
        int info = krr_solve(n, Kc, meth == 0 ? 0.0 : ridge, nf, A, nt, Ktd, pred);
        if (info) {
            fprintf(stderr, "classification n = %d (delta = %g): Cholesky failed at minor %d\n", n, meth ? ridge : 0.0, info);
            status = info;
            for (int f = 0; f < nf; f++) res->err[meth][f] = NAN;
            continue;
        }
        if (meth == 0) {  // interpolation check: Y - K alpha, labels +-1 (mean y^2 = 1)
            double *R = XNEW(double, (size_t)n * nf);
            memcpy(R, Y, (size_t)n * nf * sizeof *Y);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, nf, n, -1.0, K, n, A, nf, 1.0, R, nf);
            res->train = cblas_ddot(n * nf, R, 1, R, 1) / ((double)n * nf);
            free(R);
            char where[64];
            snprintf(where, sizeof where, "classification (d = %d)", d);
            train_check(where, n, res->train);
        }
        for (int f = 0; f < nf; f++) {
            int wrong = 0;
            for (int i = 0; i < nt; i++) wrong += ((pred[(size_t)i * nf + f] >= 0) ? 1.0 : -1.0) != yte[i];
            res->err[meth][f] = (double)wrong / nt;
        }
    }
    // 1-NN by Euclidean distance: argmin_j |x_j|^2 - 2 <x_j, t>, inner products by one GEMM.
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nt, n, d, 1.0, Xte, d, Xtr, d, 0.0, G, n);
    for (int j = 0; j < n; j++) nrm[j] = cblas_ddot(d, Xtr + (size_t)j * d, 1, Xtr + (size_t)j * d, 1);
    for (int f = 0; f < nf; f++) res->err[2][f] = 0;
    for (int i = 0; i < nt; i++) {
        int best = 0;
        double bd = INFINITY;
        for (int j = 0; j < n; j++) {
            double dist = nrm[j] - 2 * G[(size_t)i * n + j];
            if (dist < bd) bd = dist, best = j;
        }
        for (int f = 0; f < nf; f++) res->err[2][f] += (Y[(size_t)best * nf + f] != yte[i]) / (double)nt;
    }
    free(u), free(Y), free(A), free(K), free(Kc), free(Ktd), free(pred), free(G), free(nrm);
    return status;
}

// The profile table: one row per (method, n, p) with mean and standard error over trials, and
// the 1-NN formula e0 + p(1 - 2 e0) from that method's own p = 0 error.
typedef struct {
    int n, trials;
    double mean[3][MAXFLIP], se[3][MAXFLIP], train_max;
    double dse[3][MAXFLIP];  // standard error of the paired excess err(p) - err(0) over trials
} cls_profile;
static const char *METHOD_NAME[3] = {"krr_ridgeless", "krr_ridge", "nn1"};

static void write_profile(const char *name, const char *what, double ridge, const cls_profile *pr, int npr,
                          const cli_dlist *flips);

static void profile_summarise(cls_profile *pr, cls_result *res, int trials, int nf) {
    pr->trials = trials;
    pr->train_max = 0;
    for (int t = 0; t < trials; t++) pr->train_max = fmax(pr->train_max, res[t].train);
    double *v = XNEW(double, trials);
    for (int m = 0; m < 3; m++)
        for (int f = 0; f < nf; f++) {
            for (int t = 0; t < trials; t++) v[t] = res[t].err[m][f];
            pr->mean[m][f] = fit_mean(v, trials);
            pr->se[m][f] = fit_stderr(v, trials);
            for (int t = 0; t < trials; t++) v[t] = res[t].err[m][f] - res[t].err[m][0];
            pr->dse[m][f] = fit_stderr(v, trials);
        }
    free(v);
}

// S^{d-1}, target sign(x_1).
static void sphere_profile(const kernel_spec *k, int d, const int *ns, int nn, int trials, int nt, double ridge,
                           const cli_dlist *flips, cls_profile *pr) {
    for (int q = 0; q < nn; q++) {
        int n = ns[q];
        cls_result *res = XNEW(cls_result, trials);
        for (int t = 0; t < trials; t++) {
            gsl_rng *r = rng_alloc(C.seed, stream_id(PART_CLASS, 0, n, t, 0));
            double *X = XNEW(double, (size_t)n * d), *T = XNEW(double, (size_t)nt * d), *y = XNEW(double, n),
                   *yt = XNEW(double, nt);
            for (int i = 0; i < n; i++) rng_sphere(r, d, X + (size_t)i * d), y[i] = X[(size_t)i * d] >= 0 ? 1 : -1;
            for (int i = 0; i < nt; i++) rng_sphere(r, d, T + (size_t)i * d), yt[i] = T[(size_t)i * d] >= 0 ? 1 : -1;
            classify_trial(k, d, n, X, y, nt, T, yt, ridge, flips, r, &res[t]);
            rng_free(r);
            free(X), free(T), free(y), free(yt);
            progress("T4 sphere n=%d trial %d/%d", n, t + 1, trials);
        }
        pr[q].n = n;
        profile_summarise(&pr[q], res, trials, flips->n);
        free(res);
    }
}

// MNIST even (+1) vs odd (-1), images standardised by the global pixel mean and sd of the
// 60000 training images (as in krr-curves).  Returns 0, or -1 if the data are absent.
static int mnist_profile(const kernel_spec *k, const int *ns, const int *trials, int nn, int nt, double ridge,
                         const cli_dlist *flips, cls_profile *pr) {
    if (!mnist_available(C.mnist_dir)) return -1;
    mnist_set tr, te;
    char merr[1024];
    if (mnist_load(C.mnist_dir, 1, &tr, merr, sizeof merr) || mnist_load(C.mnist_dir, 0, &te, merr, sizeof merr))
        DIE("%s", merr);
    int d = tr.d;
    size_t Ntr = (size_t)tr.n * d;
    double mu = fit_mean(tr.x, (int)Ntr), var = 0;
    for (size_t i = 0; i < Ntr; i++) var += (tr.x[i] - mu) * (tr.x[i] - mu);
    double sd = sqrt(var / Ntr);
    for (size_t i = 0; i < Ntr; i++) tr.x[i] = (tr.x[i] - mu) / sd;
    for (size_t i = 0; i < (size_t)te.n * d; i++) te.x[i] = (te.x[i] - mu) / sd;
    for (int q = 0; q < nn; q++) {
        int n = ns[q];
        cls_result *res = XNEW(cls_result, trials[q]);
        for (int t = 0; t < trials[q]; t++) {
            gsl_rng *r = rng_alloc(C.seed, stream_id(PART_MNIST, 0, n, t, 0));
            size_t *it = XNEW(size_t, n), *is = XNEW(size_t, nt);
            rng_subset(r, (size_t)tr.n, (size_t)n, it);
            rng_subset(r, (size_t)te.n, (size_t)nt, is);
            double *X = XNEW(double, (size_t)n * d), *T = XNEW(double, (size_t)nt * d), *y = XNEW(double, n),
                   *yt = XNEW(double, nt);
            for (int i = 0; i < n; i++) {
                memcpy(X + (size_t)i * d, tr.x + it[i] * d, (size_t)d * sizeof *X);
                y[i] = tr.y[it[i]] % 2 == 0 ? 1 : -1;
            }
            for (int i = 0; i < nt; i++) {
                memcpy(T + (size_t)i * d, te.x + is[i] * d, (size_t)d * sizeof *T);
                yt[i] = te.y[is[i]] % 2 == 0 ? 1 : -1;
            }
            classify_trial(k, d, n, X, y, nt, T, yt, ridge, flips, r, &res[t]);
            rng_free(r);
            free(it), free(is), free(X), free(T), free(y), free(yt);
            progress("T4 MNIST n=%d trial %d/%d", n, t + 1, trials[q]);
        }
        pr[q].n = n;
        profile_summarise(&pr[q], res, trials[q], flips->n);
        free(res);
    }
    fprintf(stderr, "MNIST standardisation: pixel mean %.4f, sd %.4f\n", mu, sd);
    mnist_free(&tr);
    mnist_free(&te);
    return 0;
}

// ---- measurement: the claims of the default experiment ----
//
// Each part runs its series, writes its tables, and checks its claims.  Each tolerance says
// why it is what it is; at --quick smaller sizes and wider bounds are used, and the tolerance
// printed says which.

static int in(double x, double lo, double hi) { return x >= lo && x <= hi; }

// T1: the trichotomy from spectra (theory, exact) and the Gaussian-design simulations.
static void run_T1(const config *cf) {
    // tmp.C1: E0(n) = alpha n/(n + 1/2) to 2e-3 alpha, infinite power-law spectra.
    const double alphas[4] = {1.25, 1.5, 2, 3}, nC[3] = {256, 1024, 4096};
    double worst = 0;
    for (int a = 0; a < 4; a++) {
        theory_spec t;
        theory_power(&t, alphas[a], cf->M_power);
        for (int j = 0; j < 3; j++) {
            ef_fit f = theory_fit(&t, nC[j], 0);
            worst = fmax(worst, fabs(f.E0 - alphas[a] * nC[j] / (nC[j] + 0.5)) / alphas[a]);
        }
        theory_free(&t);
    }
    claim_check("tmp.C1", CLAIM_IDENTITY, worst < 2e-3, "max_{alpha,n} |E0 - alpha n/(n+1/2)|/alpha, alpha 1.25-3, n 256-4096", worst, "2e-3");

    // tmp.C2a: exponential lambda_i = e^{-0.05 i}: E0 ~ 0.05 n (catastrophic).
    {
        theory_spec t;
        theory_exp(&t, 0.05, 2 * 4096 + 1000);  // lambda_M/kappa ~ e^{-0.05 (M - n)}: negligible
        double lo = INFINITY, hi = -INFINITY;
        for (int j = 0; j < 3; j++) {
            double r = theory_fit(&t, nC[j], 0).E0 / (0.05 * nC[j]);
            lo = fmin(lo, r), hi = fmax(hi, r);
        }
        char what[128];
        snprintf(what, sizeof what, "exponential beta 0.05: E0/(beta n) at n 256, 1024, 4096 in [%.4f, %.4f]; worst", lo, hi);
        claim_check("tmp.C2a", CLAIM_IDENTITY, lo >= 0.99 && hi <= 1.01, what, fabs(lo - 1) > fabs(hi - 1) ? lo : hi, "[0.99, 1.01]");
        theory_free(&t);
    }
    // The theory curves of the figure (and tmp.C2b, C2c on them).
    theory_spec pw[3], ex, bn;
    const double pa[3] = {1.5, 2, 3};
    for (int a = 0; a < 3; a++) theory_power(&pw[a], pa[a], cf->M_power);
    theory_exp(&ex, 0.1, 5000);
    theory_benign(&bn, cf->M_benign);
    double n0 = cf->quick ? 256 : 16;
    const char *claims = "tmp.C1 tmp.C2a tmp.C2b tmp.C2c";
    for (int a = 0; a < 3; a++) write_theory_curve(&pw[a], pw[a].name, 0, n0, cf->n_theory_max, cf->n_theory_pts, claims);
    write_theory_curve(&pw[1], "power2-ridge0.1", 0.1, n0, cf->n_theory_max, cf->n_theory_pts, claims);
    write_theory_curve(&ex, "exp", 0, n0, 4096, cf->quick ? 3 : 30, claims);
    write_theory_curve(&bn, "benign", 0, n0, cf->n_theory_max, cf->n_theory_pts, claims);
    progress_done("T1 theory curves written");

    // tmp.C2b: the benign spectrum, E0 strictly decreasing towards 1.
    {
        int ok = 1, nn = 0;
        double prev = INFINITY, e4096 = NAN;
        for (double n = cf->quick ? 256 : 64; n <= cf->n_theory_max; n *= 4, nn++) {
            double e = theory_fit(&bn, n, 0).E0;
            ok &= e < prev;
            prev = e;
            if (n == 4096) e4096 = e;
        }
        char what[160];
        snprintf(what, sizeof what, "benign lambda_i = 1/((i+1) ln^2(i+1)): E0 strictly decreasing on %d sizes: %s; E0(4096)", nn,
                 ok ? "yes" : "NO");
        claim_check("tmp.C2b", CLAIM_IDENTITY, ok && in(e4096, 1.14, 1.15), what, e4096, "decreasing and [1.14, 1.15]");
    }
    // tmp.C2c: fixed ridge is benign.
    {
        double e = theory_fit(&pw[1], 4096, 0.1).E0;
        claim_check("tmp.C2c", CLAIM_IDENTITY, in(e, 1.035, 1.042), "alpha 2 with delta 0.1: E0(4096)", e, "[1.035, 1.042]");
    }

    // tmp.C3: Gaussian-design simulations.
    int nd = cf->n_design;
    excess_row rp[3], rb[3], re[3];
    design_series(DES_POWER, 2, 0, &pw[1], 0, cf->design_n, nd, cf->design_trials, cf->P_factor, 0, 1, rp);
    write_excess("design-power2", "tmp.C3a", "Gaussian design, lambda_j = j^-2, P = 16 n features, modes beyond P as ridge zeta(2, P+1)", rp, nd);
    if (cf->quick) {
        claim_check("tmp.C3a", CLAIM_EXPERIMENT, in(rp[0].mean, 0.75, 1.25), "Gaussian design alpha 2, n 128, P 16n, 3 seeds: mean excess", rp[0].mean,
                    "[0.75, 1.25] (quick; theory 0.992)");
    } else {
        double lo = fmin(rp[1].mean, rp[2].mean), hi = fmax(rp[1].mean, rp[2].mean);
        char what[160];
        snprintf(what, sizeof what, "Gaussian design alpha 2: mean excess at n 256: %.3f, n 1024: %.3f (theory %.3f, %.3f); worst",
                 rp[1].mean, rp[2].mean, rp[1].theory, rp[2].theory);
        claim_check("tmp.C3a", CLAIM_EXPERIMENT, lo >= 0.85 && hi <= 1.15, what, fabs(lo - 1) > fabs(hi - 1) ? lo : hi, "[0.85, 1.15]");

        design_series(DES_BENIGN, 0, 0, &bn, 0, cf->design_n, nd, cf->design_trials, cf->P_factor, 0, 2, rb);
        write_excess("design-benign", "tmp.C3b", "Gaussian design, lambda_j = 1/((j+1) ln^2(j+1)), P = 16 n, tail 1/ln(P+1.5) as ridge", rb, nd);
        double wr = 0;
        for (int j = 0; j < nd; j++) wr = fmax(wr, fabs(rb[j].mean / rb[j].theory - 1));
        char w2[320];
        snprintf(w2, sizeof w2, "benign design: excess %.3f, %.3f, %.3f vs theory %.3f, %.3f, %.3f; decreasing %s; max |ratio - 1|",
                 rb[0].mean, rb[1].mean, rb[2].mean, rb[0].theory, rb[1].theory, rb[2].theory,
                 rb[nd - 1].mean < rb[0].mean ? "yes" : "NO");
        claim_check("tmp.C3b", CLAIM_EXPERIMENT, wr <= 0.25 && rb[nd - 1].mean < rb[0].mean, w2, wr, "0.25 and excess(1024) < excess(64)");

        // The catastrophic design is heavy-tailed (3 trials gave se 28% of the mean at n = 64, and
        // seed 3 missed the 30% band at 1.36 there), so it runs 20 trials (n <= 256 and
        // P = n + 400: cheap) and each n passes within 30% or 3 standard errors, if larger.
        design_series(DES_EXP, 0, 0.1, &ex, 0, cf->design_n_exp, nd, cf->design_trials_exp, 0, cf->P_exp_extra, 3, re);
        write_excess("design-exp", "tmp.C3c", "Gaussian design, lambda_j = e^{-0.1 j}, P = n + 400 features, no extra ridge", re, nd);
        wr = 0;
        int failed = 0, okc = 1;
        double wz = 0;
        for (int j = 0; j < nd; j++) {
            double e = fabs(re[j].mean / re[j].theory - 1), tol = fmax(0.30, 3 * re[j].se / re[j].theory);
            wr = fmax(wr, e), wz = fmax(wz, e / tol), failed |= re[j].failed;
            if (e > tol) okc = 0;
        }
        snprintf(w2, sizeof w2, "exponential design (%d trials): excess %.2f, %.2f, %.2f vs theory %.2f, %.2f, %.2f; worst as a fraction of its tolerance %.2f; max |ratio - 1|",
                 re[0].trials, re[0].mean, re[1].mean, re[2].mean, re[0].theory, re[1].theory, re[2].theory, wz);
        claim_check("tmp.C3c", CLAIM_EXPERIMENT, !failed && okc, w2, wr, "0.30, or 3 se where larger");

        // tmp.C3d: sigma^2-linearity, alpha 1.5, target v_i = 1/i.  The excess is
        // E0 sum (1-L)^2 v^2 + (E0 - 1) sigma^2: linear in sigma^2 with slope E0 - 1.
        const double s2[3] = {0, 0.5, 2};
        double sig[3], mse[3][8], mean[3], se[3], th[3], lin_train = 0;
        theory_spec t15;
        theory_power(&t15, 1.5, cf->M_power);
        int Pl = cf->lin_P, nl = cf->lin_n;
        double *lam = XNEW(double, Pl), *v = XNEW(double, Pl), *v2 = XNEW(double, cf->M_power);
        for (int j = 0; j < Pl; j++) lam[j] = pow(j + 1.0, -1.5), v[j] = 1.0 / (j + 1.0), v2[j] = v[j] * v[j];
        for (int k = 0; k < 3; k++) sig[k] = sqrt(s2[k]);
        ef_fit fit = theory_fit(&t15, nl, 0);
        for (int k = 0; k < 3; k++) {
            ef_pred pr;
            if (ef_predict(&t15.s, &fit, v2, 0, s2[k], &pr)) DIE("ef_predict failed (alpha 1.5, n %d)", nl);
            th[k] = pr.mse;
        }
        for (int t = 0; t < cf->lin_trials; t++) {
            double m3[3], trm;
            if (design_trial(nl, Pl, lam, v, 0, gsl_sf_hzeta(1.5, Pl + 1.0), 3, sig, PART_LINEAR, 0, t, m3, &trm))
                DIE("Cholesky failed in the sigma^2-linearity design (n %d, P %d)", nl, Pl);
            train_check("linearity", nl, trm);
            lin_train = fmax(lin_train, trm);
            for (int k = 0; k < 3; k++) mse[k][t] = m3[k];
            progress("T1 linearity trial %d/%d", t + 1, cf->lin_trials);
        }
        tsv *f = tsv_open(&C, "linearity.tsv", "tmp.C3d");
        tsv_note(f, "Gaussian design alpha 1.5, target v_i = 1/i (i <= P), n = %d, P = %d, tail as ridge; E0 = %.6f", nl, Pl, fit.E0);
        tsv_columns(f, "noise\tmse_mean\tmse_se\tmse_theory");
        double wr3 = 0;
        for (int k = 0; k < 3; k++) {
            mean[k] = fit_mean(mse[k], cf->lin_trials);
            se[k] = fit_stderr(mse[k], cf->lin_trials);
            wr3 = fmax(wr3, fabs(mean[k] / th[k] - 1));
            tsv_row(f, "%.3g\t%.10g\t%.10g\t%.10g", s2[k], mean[k], se[k], th[k]);
        }
        tsv_close(f);
        printf("# linearity: worst ridgeless train MSE / sigma^2 = %.3g (bound %g)\n", lin_train, TRAIN_TOL);
        // least-squares slope of mean MSE on sigma^2
        double xm = (s2[0] + s2[1] + s2[2]) / 3, ym = (mean[0] + mean[1] + mean[2]) / 3, sxy = 0, sxx = 0;
        for (int k = 0; k < 3; k++) sxy += (s2[k] - xm) * (mean[k] - ym), sxx += (s2[k] - xm) * (s2[k] - xm);
        double slope = sxy / sxx;
        snprintf(w2, sizeof w2, "sigma^2 in {0, 0.5, 2}: clean MSE %.4f, %.4f, %.4f vs theory %.4f, %.4f, %.4f (max dev %.3f); slope vs E0-1 %.4f: slope",
                 mean[0], mean[1], mean[2], th[0], th[1], th[2], wr3, fit.E0 - 1);
        claim_check("tmp.C3d", CLAIM_EXPERIMENT, wr3 <= 0.10 && fabs(slope - (fit.E0 - 1)) <= 0.05, w2, slope, "10% per point, |slope - (E0-1)| <= 0.05");
        free(lam), free(v), free(v2);
        theory_free(&t15);
    }
    for (int a = 0; a < 3; a++) theory_free(&pw[a]);
    theory_free(&ex);
    theory_free(&bn);
}

static kernel_spec make_kernel(const char *name, double bandwidth) {
    kernel_spec k;
    char err[256];
    if (kernel_spec_parse(&k, name, bandwidth, 1, 1, 0, err, sizeof err)) DIE("kernel %s: %s", name, err);
    return k;
}

// Theory curve of a level spectrum on a log grid of n (no simulation).
static void sphere_theory_curve(const theory_spec *t, const char *name, double delta, double n1, const char *claims) {
    write_theory_curve(t, name, delta, 16, n1, 30, claims);
}

// T2: Laplace vs Gaussian kernels on S^4.
static void run_T2(const config *cf) {
    int d = cf->sph_d;
    prm.dim = d;
    kernel_spec kl = make_kernel("laplace", 1), kg = make_kernel("gaussian", 1 / sqrt(2.0));
    theory_spec tl, tg;
    theory_sphere(&tl, &kl, d, cf->sph_kmax, cf->sph_nodes);
    theory_sphere(&tg, &kg, d, cf->sph_kmax, cf->sph_nodes);
    excess_row rl[6], rg[5], rr[3];
    sphere_series(&kl, &tl, d, 0, cf->sph_lap_n, cf->n_sph_lap, cf->sph_lap_trials, cf->sph_ntest, 1, rl);
    write_excess("sphere-laplace", "tmp.C4", "S^4, laplace ell = 1, ridgeless; fresh test points", rl, cf->n_sph_lap);
    if (!cf->quick) {
        sphere_theory_curve(&tl, "sphere-laplace", 0, 4096, "tmp.C4");
        sphere_theory_curve(&tg, "sphere-gaussian", 0, 1024, "tmp.C5a");
        sphere_theory_curve(&tg, "sphere-gaussian-ridge0.1", 0.1, 4096, "tmp.C5b");
    }
    if (cf->quick) {
        claim_check("tmp.C4", CLAIM_EXPERIMENT, in(rl[0].mean, 0.17, 0.33), "S^4 laplace ridgeless n 256, 5 trials, 500 test points: mean excess", rl[0].mean,
                    "[0.17, 0.33] (quick; theory 0.255)");
    } else {
        // n = 256, 1024, 2048 are entries 2, 4, 5 of the default list
        double e256 = rl[2].mean, e1024 = rl[4].mean, e2048 = rl[5].mean;
        double lo = fmin(e256, fmin(e1024, e2048)), hi = fmax(e256, fmax(e1024, e2048)), ratio = e2048 / e256;
        char what[200];
        snprintf(what, sizeof what, "S^4 laplace: mean excess %.3f, %.3f, %.3f at n 256, 1024, 2048 (theory %.4f, %.4f, %.4f), all in [0.19, 0.30]: %s; excess(2048)/excess(256)",
                 e256, e1024, e2048, rl[2].theory, rl[4].theory, rl[5].theory, lo >= 0.19 && hi <= 0.30 ? "yes" : "NO");
        claim_check("tmp.C4", CLAIM_EXPERIMENT, lo >= 0.19 && hi <= 0.30 && in(ratio, 0.75, 1.25), what, ratio, "[0.75, 1.25]");
        // The band above is wide; inside it the experiment sits below the theory at almost every n.
        // Report that deficit: the inverse-variance weighted mean of excess/theory over all sizes,
        // its standard error, and how many sizes lie below.
        {
            double sw = 0, swr = 0;
            int below = 0;
            for (int j = 0; j < cf->n_sph_lap; j++) {
                double r = rl[j].mean / rl[j].theory, se = rl[j].se / rl[j].theory, w = 1 / (se * se);
                sw += w, swr += w * r, below += r < 1;
            }
            snprintf(what, sizeof what, "S^4 laplace: %d of %d sizes below theory; weighted mean excess/theory = %.3f +- %.3f (se)", below,
                     cf->n_sph_lap, swr / sw, 1 / sqrt(sw));
            claim_report("tmp.C4b", CLAIM_EXPERIMENT, what, swr / sw);
        }

        sphere_series(&kg, &tg, d, 0, cf->sph_gau_n, cf->n_sph_gau, cf->sph_gau_trials, cf->sph_ntest, 2, rg);
        write_excess("sphere-gaussian", "tmp.C5a", "S^4, gaussian ell = 1/sqrt2, ridgeless (heavy-tailed: medians)", rg, cf->n_sph_gau);
        int mono = 1, failed = 0;
        for (int j = 0; j < cf->n_sph_gau; j++) {
            failed |= rg[j].failed && rg[j].trials == 0;
            if (j) mono &= rg[j].median > rg[j - 1].median;
        }
        double g512 = rg[4].median, grow = g512 / rg[1].median, lap512 = rl[3].mean;
        snprintf(what, sizeof what, "S^4 gaussian ridgeless: medians %.2f %.2f %.2f %.2f %.2f (n 32-512), increasing %s, median(512)/laplace(512) %.1f; median(512)/median(64)",
                 rg[0].median, rg[1].median, rg[2].median, rg[3].median, rg[4].median, mono ? "yes" : "NO", g512 / lap512);
        claim_check("tmp.C5a", CLAIM_EXPERIMENT, !failed && mono && grow >= 2.5 && g512 >= 10 * lap512, what, grow, ">= 2.5, increasing, >= 10x laplace");
        // tmp.C5c (deviation): in this catastrophic regime the experiment outgrows the theory.
        // The ratio median/theory (medians: the ridgeless Gaussian's excess is heavy-tailed) is
        // near 1 at n = 32 and well above 1 at n = 256 and 512.  It is not round-off: ridge 0,
        // 1e-12 and 1e-9 give the same excess to 3 digits.  It is the kernel's eigenfunctions:
        // a Gaussian design with this very spectrum (features sqrt(lambda_j) g_j) follows the
        // theory (median/theory 1.00, 1.01, 1.01 at n = 128, 256, 512, 15 trials), so the
        // eigenframework's Gaussian-universality ansatz is what fails here, not its algebra.
        {
            double r32 = rg[0].median / rg[0].theory, r256 = rg[3].median / rg[3].theory, r512 = rg[4].median / rg[4].theory;
            snprintf(what, sizeof what, "S^4 gaussian ridgeless, median excess/theory: n 32 %.2f, 64 %.2f, 128 %.2f, 256 %.2f, 512 %.2f (mean/theory at 512: %.2f); min at n 256, 512",
                     r32, rg[1].median / rg[1].theory, rg[2].median / rg[2].theory, r256, r512, rg[4].mean / rg[4].theory);
            claim_check("tmp.C5c", CLAIM_DEVIATION, !failed && in(r32, 0.8, 1.25) && fmin(r256, r512) >= 1.3, what, fmin(r256, r512),
                        ">= 1.3 (and n 32 within [0.8, 1.25]): theory too low by 30% or more");
        }

        sphere_series(&kg, &tg, d, 0.1, cf->sph_gr_n, cf->n_sph_gr, cf->sph_gr_trials, cf->sph_ntest, 3, rr);
        write_excess("sphere-gaussian-ridge", "tmp.C5b", "S^4, gaussian ell = 1/sqrt2, ridge delta = 0.1", rr, cf->n_sph_gr);
        double wr = 0;
        for (int j = 0; j < cf->n_sph_gr; j++) wr = fmax(wr, fabs(rr[j].mean / rr[j].theory - 1));
        snprintf(what, sizeof what, "S^4 gaussian delta 0.1: excess %.3f, %.3f, %.3f (theory %.3f, %.3f, %.3f), excess(1024)/excess(64) %.3f; max |ratio - 1|",
                 rr[0].mean, rr[1].mean, rr[2].mean, rr[0].theory, rr[1].theory, rr[2].theory, rr[2].mean / rr[0].mean);
        claim_check("tmp.C5b", CLAIM_EXPERIMENT, wr <= 0.20 && rr[2].mean <= 0.5 * rr[0].mean, what, wr, "0.20 and excess(1024) <= excess(64)/2");
    }
    theory_free(&tl);
    theory_free(&tg);
}

// Dense check of the D = 1, G = 256 construction: dsyevd of the full Gram matrix / G equals
// the sorted prescribed spectrum.  Returns the max deviation / max lambda.
static double torus_dense_check(void) {
    torus_model m;
    torus_model_init(&m, 1, 256, 1, 1, 1, 0);
    size_t N = m.t->N, *idx = XNEW(size_t, N);
    for (size_t i = 0; i < N; i++) idx[i] = i;
    double *K = XNEW(double, N * N), *w = XNEW(double, N), *lam = XNEW(double, N), dev = 0, lmax = 0;
    circulant_torus_gram(m.t, N, idx, K);
    if (la_eigh((int)N, K, w, 0)) DIE("dsyevd failed on the 256-point circle Gram matrix");
    memcpy(lam, m.t->lam, N * sizeof *lam);
    qsort(lam, N, sizeof *lam, cmp_dbl);
    for (size_t i = 0; i < N; i++) dev = fmax(dev, fabs(w[i] / N - lam[i])), lmax = fmax(lmax, lam[i]);
    free(idx), free(K), free(w), free(lam);
    circulant_torus_free(m.t);
    return dev / lmax;
}

// T3: prescribed spectra on the torus and the circle.
static void run_T3(const config *cf) {
    int D = cf->tor_D, G = cf->tor_G;
    torus_model ms, mh, mc;
    torus_model_init(&ms, D, G, 1, cf->tor_s, 1, 0);
    if (!cf->quick) torus_model_init(&mh, D, G, 0, 0, 0, 2);
    torus_model_init(&mc, 1, cf->circ_G, 1, 1, 1, 0);

    // tmp.C6a: the FFTW construction, exact checks.
    double lmax_s = 0, lmax_h = 0, lmax_c = 0;
    for (size_t i = 0; i < ms.t->N; i++) lmax_s = fmax(lmax_s, ms.t->lam[i]);
    for (size_t i = 0; i < mc.t->N; i++) lmax_c = fmax(lmax_c, mc.t->lam[i]);
    double rt = torus_write_spectrum(&ms, "torus-sobolev") / lmax_s;
    rt = fmax(rt, torus_write_spectrum(&mc, "circle-sobolev") / lmax_c);
    double k0dev = fabs(ms.t->k[0] - 1);
    if (!cf->quick) {
        for (size_t i = 0; i < mh.t->N; i++) lmax_h = fmax(lmax_h, mh.t->lam[i]);
        rt = fmax(rt, torus_write_spectrum(&mh, "torus-heat") / lmax_h);
        k0dev = fmax(k0dev, fabs(mh.t->k[0] - 1));
    }
    double cerr, cbound;
    circle_closed_form(&mc, &cerr, &cbound, 1);
    double dense = torus_dense_check();
    char what[320];
    snprintf(what, sizeof what, "FFTW: round trip %.2g max lam (<= 1e-14); circle vs cosh closed form %.2g (bound %.2g); dense dsyevd G 256 %.2g max lam (<= 1e-13); |k(0) - 1| %.1g; max lam sobolev %.4g heat %.4g circle %.5g: worst ratio to tolerance",
             rt, cerr, cbound, dense, k0dev, lmax_s, lmax_h, lmax_c);
    double worst = fmax(fmax(rt / 1e-14, cerr / cbound), fmax(dense / 1e-13, k0dev / 1e-13));
    claim_check("tmp.C6a", CLAIM_IDENTITY, worst <= 1, what, worst, "1");

    // Theory from all N modes, grouped into levels.
    theory_spec ts, th, tc;
    theory_torus(&ts, &ms, "torus-sobolev");
    theory_torus(&tc, &mc, "circle-sobolev");
    excess_row rs[6], rh[6], rc[6];
    torus_series(&ms, &ts, 0, cf->tor_n, cf->n_tor, cf->tor_trials, cf->tor_trials_small, 1, rs);
    char desc[160];
    snprintf(desc, sizeof desc, "torus Z_%d^%d, Sobolev s = %d, ell = 1 (alpha = 2s/D = %g), exact held-out excess on the whole grid", G, D,
             cf->tor_s, 2.0 * cf->tor_s / D);
    write_excess("torus-sobolev", "tmp.C6b", desc, rs, cf->n_tor);
    if (!cf->quick) write_theory_curve(&ts, "torus-sobolev", 0, 32, 4096, 30, "tmp.C6b");
    double wr = 0, rlo = INFINITY, rhi = -INFINITY;
    for (int j = 0; j < cf->n_tor; j++) {
        double r = rs[j].mean / rs[j].theory;
        wr = fmax(wr, fabs(r - 1)), rlo = fmin(rlo, r), rhi = fmax(rhi, r);
    }
    if (cf->quick) {
        snprintf(what, sizeof what, "T^3 G 16 sobolev s 3 (alpha 2): excess/theory in [%.3f, %.3f] at n 64, 256; worst", rlo, rhi);
        claim_check("tmp.C6b", CLAIM_EXPERIMENT, rlo >= 0.70 && rhi <= 1.15, what, fabs(rlo - 1) > fabs(rhi - 1) ? rlo : rhi, "[0.70, 1.15] (quick: coarse grid biases ~10% low)");
    } else {
        snprintf(what, sizeof what, "T^4 sobolev (alpha 2): excess/theory in [%.3f, %.3f] over n 64-2048; max |ratio - 1|", rlo, rhi);
        claim_check("tmp.C6b", CLAIM_EXPERIMENT, wr <= 0.12, what, wr, "0.12");

        theory_torus(&th, &mh, "torus-heat");
        torus_series(&mh, &th, 0, cf->tor_n, cf->n_tor, cf->tor_trials, cf->tor_trials_small, 2, rh);
        write_excess("torus-heat", "tmp.C6c", "torus Z_32^4, heat t = 2 (faster than any power: catastrophic), exact held-out excess", rh, cf->n_tor);
        write_theory_curve(&th, "torus-heat", 0, 32, 4096, 30, "tmp.C6c");
        double hlo = INFINITY, hhi = -INFINITY;
        for (int j = 0; j < cf->n_tor; j++)
            if (rh[j].n <= 512) hlo = fmin(hlo, rh[j].mean / rh[j].theory), hhi = fmax(hhi, rh[j].mean / rh[j].theory);
        double grow = rh[5].mean / rh[2].mean;
        snprintf(what, sizeof what, "T^4 heat: excess/theory in [%.3f, %.3f] for n <= 512 (tolerance [0.9, 1.15]); excess(2048)/excess(256) (theory %.2f)", hlo, hhi,
                 rh[5].theory / rh[2].theory);
        claim_check("tmp.C6c", CLAIM_EXPERIMENT, hlo >= 0.9 && hhi <= 1.15 && grow >= 4, what, grow, ">= 4");
        // tmp.C6e (deviation): beyond n = 512 the measured excess outgrows the theory (catastrophic
        // regime, as on S^4 with the Gaussian kernel; a Gaussian design with the same spectrum
        // gives 0.984 +- 0.011 of the theory at n = 1024, where the torus gives 1.18).  Asserted with its standard error: the
        // ratio at n = 2048 exceeds 1.15 by more than 3 se, and grows from n = 1024 to 2048.
        {
            double r4 = rh[4].mean / rh[4].theory, r5 = rh[5].mean / rh[5].theory, s5 = rh[5].se / rh[5].theory;
            snprintf(what, sizeof what, "T^4 heat beyond the gate: excess/theory at n 1024: %.3f +- %.3f; at n 2048 (+- %.3f)", r4,
                     rh[4].se / rh[4].theory, s5);
            claim_check("tmp.C6e", CLAIM_DEVIATION, r5 - 3 * s5 > 1.15 && r5 > r4, what, r5, "> 1.15 + 3 se, and above n = 1024's");
        }
        theory_free(&th);
        circulant_torus_free(mh.t);
    }

    // tmp.C6d: the circle, where the theory is quantitatively wrong: excess -> (2/3) sigma^2.
    torus_series(&mc, &tc, 0, cf->circ_n, cf->n_circ, cf->tor_trials, cf->tor_trials_small, 3, rc);
    snprintf(desc, sizeof desc, "circle Z_%d, Sobolev s = 1, ell = 1 (alpha = 2); 1-D: excess -> (2/3) sigma^2, not the theory's sigma^2", cf->circ_G);
    write_excess("circle-sobolev", "tmp.C6d", desc, rc, cf->n_circ);
    if (!cf->quick) write_theory_curve(&tc, "circle-sobolev", 0, 32, 4096, 30, "tmp.C6d");
    double elo = INFINITY, ehi = -INFINITY, tlo = INFINITY, thi = -INFINITY;
    for (int j = 0; j < cf->n_circ; j++) {
        if (rc[j].n < 256) continue;
        double e = rc[j].mean / prm.noise, t = rc[j].theory / prm.noise;
        elo = fmin(elo, e), ehi = fmax(ehi, e), tlo = fmin(tlo, t), thi = fmax(thi, t);
    }
    if (cf->quick) {
        snprintf(what, sizeof what, "circle G 4096, n 256: excess/sigma^2 (theory E0-1 = %.3f)", tlo);
        claim_check("tmp.C6d", CLAIM_DEVIATION, in(elo, 0.55, 0.78), what, elo, "[0.55, 0.78] (quick; 1-D deviation from theory, as predicted)");
    } else {
        snprintf(what, sizeof what, "circle n 256-2048: excess/sigma^2 in [%.3f, %.3f] while theory E0-1 in [%.3f, %.3f] (tolerance [0.99, 1.03]); excess/sigma^2 farthest from 2/3", elo, ehi, tlo, thi);
        int ok = elo >= 0.60 && ehi <= 0.74 && tlo >= 0.99 && thi <= 1.03;
        claim_check("tmp.C6d", CLAIM_DEVIATION, ok, what, fabs(elo - 2.0 / 3) > fabs(ehi - 2.0 / 3) ? elo : ehi,
                    "[0.60, 0.74]; 1-D deviation from theory, as predicted");
    }
    theory_free(&ts);
    theory_free(&tc);
    circulant_torus_free(ms.t);
    circulant_torus_free(mc.t);
}

// T4: classification noise profiles on S^4 and MNIST.
static void run_T4(const config *cf) {
    static const cli_dlist flips = {5, {0, 0.1, 0.2, 0.3, 0.4}};
    int j0 = 0, j2 = 2;
    kernel_spec kl = make_kernel("laplace", 1);
    prm.dim = 5;
    cls_profile sp[2];
    sphere_profile(&kl, 5, cf->cls_n, cf->n_cls, cf->cls_trials, cf->sph_ntest, 30, &flips, sp);
    write_profile("sphere", "S^4, target sign(x_1), laplace ell = 1 ridgeless, the same with delta = 30, and 1-NN", 30, sp, cf->n_cls, &flips);
    {
        const cls_profile *a = &sp[1], *b = &sp[0];  // n = 2000, n = 500
        double e2 = a->mean[0][j2], d2000 = a->mean[0][j2] - a->mean[0][j0], d500 = b->mean[0][j2] - b->mean[0][j0];
        double change = fabs(d2000 / d500 - 1), ridge = a->mean[1][j2], nndev = 0, e0 = a->mean[2][j0];
        for (int j = 0; j < flips.n; j++) nndev = fmax(nndev, fabs(a->mean[2][j] - (e0 + flips.v[j] * (1 - 2 * e0))));
        char what[320];
        snprintf(what, sizeof what, "S^4 n 2000: KRR err(0.2) %.3f (p=0: %.3f) in [0.10, 0.17]; excess change n 500->2000 %.0f%% (< 30%%); ridge-30 err(0.2) %.3f (<= 0.05); 1-NN max |err - formula| %.3f (< 0.03); KRR err(0.2)",
                 e2, a->mean[0][j0], 100 * change, ridge, nndev);
        claim_check("tmp.C7a", CLAIM_EXPERIMENT, in(e2, 0.10, 0.17) && change < 0.30 && ridge <= 0.05 && nndev < 0.03, what, e2,
                    "[0.10, 0.17]; the other three conditions as stated");
    }
    cls_profile mp[2];
    kernel_spec km = make_kernel("laplace", 28);
    if (mnist_profile(&km, cf->mn_n, cf->mn_trials, cf->n_mn, 2000, 3, &flips, mp) != 0) {
        claim_skip("tmp.C7b", CLAIM_EXPERIMENT, "MNIST absent: run make data");
        claim_skip("tmp.C7c", CLAIM_EXPERIMENT, "MNIST absent: run make data");
        return;
    }
    write_profile("mnist", "MNIST even (+1) vs odd (-1), standardised; laplace ell = 28 ridgeless, delta = 3, and 1-NN; 2000 test images", 3, mp,
                  cf->n_mn, &flips);
    // tmp.C7b: tempered on MNIST.  The excess error d = err(0.2) - err(0) of ridgeless KRR must be
    // (i) significantly positive, d > 3 se (not benign), and (ii) significantly below the
    // 1-NN-like level p(1 - 2 e0) that a method which copies the flipped label would reach,
    // d < p(1 - 2 e0) - 3 se (not as bad as 1-NN); se is the standard error of the paired
    // difference over the trials (>= 8).  Also: err(p) increasing in p; 1-NN on its formula.
    int inc = 1;
    double nndev = 0, worst_z = INFINITY, dz[2] = {0, 0}, dd[2] = {0, 0}, ds[2] = {0, 0};
    for (int q = 0; q < cf->n_mn; q++) {
        double e0 = mp[q].mean[2][j0], k0 = mp[q].mean[0][j0];
        for (int j = 1; j < flips.n; j++) inc &= mp[q].mean[0][j] > mp[q].mean[0][j - 1];
        for (int j = 0; j < flips.n; j++) nndev = fmax(nndev, fabs(mp[q].mean[2][j] - (e0 + flips.v[j] * (1 - 2 * e0))));
        double d = mp[q].mean[0][j2] - k0, se = mp[q].dse[0][j2], top = flips.v[j2] * (1 - 2 * k0);
        double z = fmin(d / se, (top - d) / se);  // distance to the nearer end, in standard errors
        dd[q] = d, ds[q] = se, dz[q] = z;
        worst_z = fmin(worst_z, z);
    }
    char what[320];
    snprintf(what, sizeof what, "MNIST ridgeless KRR err(p) increasing %s; err(0.2)-err(0) %.4f +- %.4f (n 1000, %d trials), %.4f +- %.4f (n 4000, %d trials), between 0 and p(1-2e0); 1-NN max |err - formula| %.3f (< 0.03); min distance to either end in se",
             inc ? "yes" : "NO", dd[0], ds[0], mp[0].trials, dd[1], ds[1], mp[1].trials, nndev);
    claim_check("tmp.C7b", CLAIM_EXPERIMENT, inc && worst_z > 3 && nndev < 0.03, what, worst_z, "> 3 se from 0 and from p(1-2e0)");
    (void)dz;
    claim_report("tmp.C7c", CLAIM_EXPERIMENT, "MNIST ridgeless excess err(0.2)-err(0), ratio n 4000 / n 1000 (tempered would be 1, benign -> 0)",
                 (mp[1].mean[0][j2] - mp[1].mean[0][j0]) / (mp[0].mean[0][j2] - mp[0].mean[0][j0]));
}

// ---- output ----
//
// Every table goes through tsv.h (atomic, with the provenance header) into --out; each excess
// table is also summarised on stdout, one line per n, next to the CLAIM lines.

// The theory curve E0(n) - 1 on log-spaced n, as a TSV theory-<name>.tsv.
static void write_theory_curve(const theory_spec *t, const char *name, double delta, double n0, double n1, int pts,
                               const char *claims) {
    char fn[64];
    snprintf(fn, sizeof fn, "theory-%s.tsv", name);
    tsv *f = tsv_open(&C, fn, claims);
    tsv_note(f, "eigenframework E0(n) for spectrum %s, delta = %g; excess_theory = (E0-1) sigma^2 with sigma^2 = 1", t->name, delta);
    tsv_columns(f, "n\tkappa\tE0\texcess_theory");
    for (int j = 0; j < pts; j++) {
        double n = pts > 1 ? round(n0 * pow(n1 / n0, (double)j / (pts - 1))) : n0;
        ef_fit fit = theory_fit(t, n, delta);
        tsv_row(f, "%.0f\t%.10g\t%.10g\t%.10g", n, fit.kappa, fit.E0, fit.E0 - 1);
    }
    tsv_close(f);
}

static void print_rows(const char *series, const excess_row *r, int nr) {
    for (int j = 0; j < nr; j++) {
        if (r[j].failed && r[j].trials == 0) {
            printf("  %-22s n = %5d  Cholesky failed: series stopped\n", series, r[j].n);
            continue;
        }
        printf("  %-22s n = %5d  excess %.4g ± %.2g (median %.4g)  theory %.4g  E0 %.5g  ratio %.3f\n", series, r[j].n,
               r[j].mean, r[j].se, r[j].median, r[j].theory, r[j].E0, r[j].mean / r[j].theory);
    }
}

static void write_excess(const char *name, const char *claims, const char *what, const excess_row *r, int nr) {
    char fn[96];
    snprintf(fn, sizeof fn, "excess-%s.tsv", name);
    tsv *f = tsv_open(&C, fn, claims);
    tsv_allow_nonfinite(f, 1);  // a series stopped by a failed Cholesky writes nan for that n
    tsv_note(f, "%s", what);
    tsv_note(f, "excess = clean-label excess risk E_x[f_hat^2] (pure-noise labels), per trial; theory = eigenframework (E0 - 1) sigma^2");
    tsv_note(f, "train_mse_max = largest train MSE / sigma^2 over trials (ridgeless: must be < 1e-6); failed = Cholesky failed");
    tsv_columns(f, "n\tE0\texcess_theory\texcess_mean\texcess_se\texcess_median\texcess_q25\texcess_q75\tratio\ttrials\ttrain_mse_max\tfailed");
    for (int j = 0; j < nr; j++)
        tsv_row(f, "%d\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%d\t%.4g\t%d", r[j].n, r[j].E0, r[j].theory,
                r[j].mean, r[j].se, r[j].median, r[j].q25, r[j].q75, r[j].mean / r[j].theory, r[j].trials, r[j].train_max,
                r[j].failed);
    tsv_close(f);
    print_rows(name, r, nr);
    double tw = 0;
    for (int j = 0; j < nr; j++) tw = fmax(tw, r[j].train_max);
    if (nr > 0 && r[0].delta == 0) printf("# %s: worst ridgeless train MSE / sigma^2 = %.3g (bound %g)\n", name, tw, TRAIN_TOL);
}

static void write_profile(const char *name, const char *what, double ridge, const cls_profile *pr, int npr,
                          const cli_dlist *flips) {
    char fn[64];
    snprintf(fn, sizeof fn, "noise-%s.tsv", name);
    tsv *f = tsv_open(&C, fn, "tmp.C7a tmp.C7b tmp.C7c");
    tsv_allow_nonfinite(f, 1);
    tsv_note(f, "%s; ridge method delta = %g; clean test error (fraction misclassified)", what, ridge);
    tsv_note(f, "nn_formula = e0 + p (1 - 2 e0) with e0 the method's own p = 0 error (the 1-NN noise profile)");
    tsv_columns(f, "method\tn\tp\terr_mean\terr_se\ttrials\tnn_formula");
    for (int m = 0; m < 3; m++)
        for (int q = 0; q < npr; q++)
            for (int j = 0; j < flips->n; j++) {
                double e0 = pr[q].mean[m][0], p = flips->v[j];
                tsv_row(f, "%s\t%d\t%.3g\t%.10g\t%.10g\t%d\t%.10g", METHOD_NAME[m], pr[q].n, p, pr[q].mean[m][j],
                        pr[q].se[m][j], pr[q].trials, e0 + p * (1 - 2 * e0));
            }
    tsv_close(f);
    for (int q = 0; q < npr; q++)
        for (int m = 0; m < 3; m++) {
            printf("  noise-%-8s %-14s n = %5d  err(p) =", name, METHOD_NAME[m], pr[q].n);
            for (int j = 0; j < flips->n; j++) printf(" %.3f", pr[q].mean[m][j]);
            printf("\n");
        }
    double tw = 0;
    for (int q = 0; q < npr; q++) tw = fmax(tw, pr[q].train_max);
    printf("# noise-%s: worst ridgeless train MSE / mean y^2 = %.3g (bound %g)\n", name, tw, TRAIN_TOL);
}

// ---- user series: one series with the user's parameters ----
//
// Any part flag selects this mode.  The domain is --domain, or else inferred from the flags
// typed (kernel flags: sphere; torus flags: torus; --flip-list: sphere classification).

static const char *user_domain(void) {
    if (cli_given(&C, "domain")) return prm.domain;
    if (cli_given(&C, "torus-dim") || cli_given(&C, "grid") || cli_given(&C, "s") || cli_given(&C, "length") ||
        cli_given(&C, "heat-t"))
        return "torus";
    if (cli_given(&C, "kernel") || cli_given(&C, "bandwidth") || cli_given(&C, "dim") || cli_given(&C, "flip-list") ||
        cli_given(&C, "ntest"))
        return "sphere";
    if (cli_given(&C, "spectrum") && (!strcmp(prm.spectrum, "sobolev") || !strcmp(prm.spectrum, "heat"))) return "torus";
    return "design";
}

// Every check of the user's flags happens here, before anything is computed or written.
static const char *validate_user(void) {
    const char *dom = user_domain();
    int design = !strcmp(dom, "design"), torus = !strcmp(dom, "torus") || !strcmp(dom, "circle");
    int given_spec = cli_given(&C, "spectrum");
    if (design) {
        if (!given_spec) prm.spectrum = "power";
        if (strcmp(prm.spectrum, "power") && strcmp(prm.spectrum, "exp") && strcmp(prm.spectrum, "benign"))
            cli_usage_error(&C, "--spectrum %s is a torus/circle spectrum; the design domain takes power|exp|benign", prm.spectrum);
        if (!(prm.alpha > 1)) cli_usage_error(&C, "--alpha must be > 1 (a summable power law), got %g", prm.alpha);
        if (!cli_given(&C, "n-list") && !strcmp(prm.spectrum, "exp")) prm.n_list = (cli_ilist){3, {64, 128, 256}};
        for (int j = 0; j < prm.n_list.n; j++)
            if (prm.n_list.v[j] > 4096)
                cli_usage_error(&C, "--n-list: the Gaussian design is limited to n <= 4096 (P = 16 n features), got %ld", prm.n_list.v[j]);
    } else if (torus) {
        int circle = !strcmp(dom, "circle");
        if (!given_spec) prm.spectrum = "sobolev";
        if (strcmp(prm.spectrum, "sobolev") && strcmp(prm.spectrum, "heat"))
            cli_usage_error(&C, "--spectrum %s is a design spectrum; the %s takes sobolev|heat", prm.spectrum, dom);
        if (circle) prm.torus_dim = 1;
        if (!cli_given(&C, "grid")) prm.grid = circle ? 65536 : 32;
        if (!cli_given(&C, "s")) prm.s = circle ? 1 : 4;
        double N = pow(prm.grid, prm.torus_dim);
        if (N > (double)(1 << 24)) cli_usage_error(&C, "--grid %d with D = %d gives G^D = %.0f points; at most 2^24", prm.grid, prm.torus_dim, N);
        for (int j = 0; j < prm.n_list.n; j++)
            if ((double)prm.n_list.v[j] > N / 2)
                cli_usage_error(&C, "--n-list: n = %ld is larger than half the grid (G^D = %.0f points)", prm.n_list.v[j], N);
    } else {  // sphere or mnist
        if (given_spec) cli_usage_error(&C, "--spectrum applies to the design, torus and circle domains, not %s", dom);
        if (!cli_given(&C, "bandwidth")) prm.bandwidth = !strcmp(dom, "mnist") ? 28 : !strcmp(prm.kernel, "gaussian") ? 1 / sqrt(2.0) : 1;
        if (prm.flip_list.n > MAXFLIP) cli_usage_error(&C, "--flip-list: at most %d entries", MAXFLIP);
        if (!strcmp(dom, "mnist") && prm.flip_list.v[0] != 0)
            cli_usage_error(&C, "--flip-list must start with 0 (the profile is read against the clean p = 0 error)");
        if (cli_given(&C, "flip-list") && prm.flip_list.v[0] != 0)
            cli_usage_error(&C, "--flip-list must start with 0 (the profile is read against the clean p = 0 error)");
        for (int j = 0; j < prm.n_list.n; j++)
            if (prm.n_list.v[j] > 8000)
                cli_usage_error(&C, "--n-list: n = %ld exceeds 8000 (dense Cholesky on this machine)", prm.n_list.v[j]);
    }
    return dom;
}

static void run_user(const char *dom) {
    int nn = prm.n_list.n, ns[CLI_LIST_MAX];
    for (int j = 0; j < nn; j++) ns[j] = (int)prm.n_list.v[j];
    excess_row *rows = XNEW(excess_row, nn);
    char name[96], what[256];
    if (!strcmp(dom, "design")) {
        theory_spec t;
        design_kind kind = !strcmp(prm.spectrum, "power") ? DES_POWER : !strcmp(prm.spectrum, "exp") ? DES_EXP : DES_BENIGN;
        if (kind == DES_POWER) theory_power(&t, prm.alpha, 1000000);
        else if (kind == DES_EXP) theory_exp(&t, prm.beta_exp, (size_t)(4 * ns[nn - 1] + 40 / prm.beta_exp + 1000));
        else theory_benign(&t, 1000000);
        design_series(kind, prm.alpha, prm.beta_exp, &t, prm.ridge, ns, nn, prm.trials, 16, 400, 9, rows);
        snprintf(name, sizeof name, "design-%s", t.name);
        snprintf(what, sizeof what, "user series: Gaussian design, spectrum %s (alpha %g, beta %g), ridge %g, noise %g", t.name, prm.alpha,
                 prm.beta_exp, prm.ridge, prm.noise);
        write_excess(name, "", what, rows, nn);
        write_theory_curve(&t, name, prm.ridge, 16, kind == DES_EXP ? 4096 : 65536, 40, "");
        theory_free(&t);
    } else if (!strcmp(dom, "torus") || !strcmp(dom, "circle")) {
        torus_model m;
        int sob = !strcmp(prm.spectrum, "sobolev");
        torus_model_init(&m, prm.torus_dim, prm.grid, sob, prm.s, prm.length, prm.heat_t);
        double lmax = 0;
        for (size_t i = 0; i < m.t->N; i++) lmax = fmax(lmax, m.t->lam[i]);
        snprintf(name, sizeof name, "%s-%s", dom, prm.spectrum);
        double rt = torus_write_spectrum(&m, name);
        fprintf(stderr, "FFTW round trip: %.3g max lambda; k(0) = %.15g\n", rt / lmax, m.t->k[0]);
        theory_spec t;
        theory_torus(&t, &m, name);
        torus_series(&m, &t, prm.ridge, ns, nn, prm.trials, prm.trials, 9, rows);
        snprintf(what, sizeof what, "user series: Z_%d^%d, spectrum %s (s %g, ell %g, t %g), ridge %g, noise %g; exact held-out excess", prm.grid,
                 prm.torus_dim, prm.spectrum, prm.s, prm.length, prm.heat_t, prm.ridge, prm.noise);
        write_excess(name, "", what, rows, nn);
        write_theory_curve(&t, name, prm.ridge, 16, fmin(65536, m.t->N / 2.0), 30, "");
        theory_free(&t);
        circulant_torus_free(m.t);
    } else if (cli_given(&C, "flip-list") || !strcmp(dom, "mnist")) {
        kernel_spec k = make_kernel(prm.kernel, prm.bandwidth);
        double ridge = cli_given(&C, "ridge") ? prm.ridge : !strcmp(dom, "mnist") ? 3 : 30;
        cls_profile *pr = XNEW(cls_profile, nn);
        int tr[CLI_LIST_MAX];
        for (int j = 0; j < nn; j++) tr[j] = prm.trials;
        snprintf(what, sizeof what, "user series: %s, kernel %s ell %g; ridgeless, delta = %g, and 1-NN", dom, prm.kernel, prm.bandwidth, ridge);
        if (!strcmp(dom, "mnist")) {
            if (mnist_profile(&k, ns, tr, nn, prm.ntest, ridge, &prm.flip_list, pr)) {
                // the user asked for MNIST (--domain mnist): its absence is a runtime failure
                fprintf(stderr, "%s: MNIST not found in '%s' (asked for by --domain mnist): run make data, or point "
                                "--mnist-dir at the IDX files\n", SLUG, C.mnist_dir);
                free(pr), free(rows);
                exit(EXIT_RUNTIME);
            }
        } else {
            sphere_profile(&k, prm.dim, ns, nn, prm.trials, prm.ntest, ridge, &prm.flip_list, pr);
        }
        write_profile(dom, what, ridge, pr, nn, &prm.flip_list);
        free(pr);
    } else {
        kernel_spec k = make_kernel(prm.kernel, prm.bandwidth);
        theory_spec t;
        theory_sphere(&t, &k, prm.dim, 400, 2000);
        sphere_series(&k, &t, prm.dim, prm.ridge, ns, nn, prm.trials, prm.ntest, 9, rows);
        snprintf(name, sizeof name, "sphere-%s", prm.kernel);
        snprintf(what, sizeof what, "user series: S^%d, kernel %s ell %g, ridge %g, noise %g", prm.dim - 1, prm.kernel, prm.bandwidth, prm.ridge, prm.noise);
        write_excess(name, "", what, rows, nn);
        write_theory_curve(&t, name, prm.ridge, 16, 4096, 30, "");
        theory_free(&t);
    }
    // a failed Cholesky stops the series and is marked in the table (failed = 1); the
    // run as a whole failed, so say where and what to try, and exit 1.
    for (int j = 0; j < nn; j++)
        if (rows[j].failed) {
            fprintf(stderr, "%s: the series stopped at n = %d: Cholesky of K + %g I failed (numerically singular); the "
                    "table marks it failed = 1; try --ridge > 0, a smaller --bandwidth or a smaller n\n",
                    SLUG, rows[j].n, prm.ridge);
            free(rows);
            exit(EXIT_RUNTIME);
        }
    free(rows);
}

// ---- main ----

int main(int argc, char **argv) {
    C = (cli){.slug = SLUG,
              .summary = "Benign, tempered or catastrophic overfitting in ridgeless kernel regression (Mallinar, Simon et al., "
                         "arXiv 2207.06569): E0 -> alpha for power-law spectra. Without part flags: the default "
                         "experiment T1-T4; with any part flag: one series with your parameters.",
              .claims = "tmp.C1-C7",
              .opts = opts};
    cli_parse(&C, argc, argv);
    const char *dom = cli_any_given(&C) ? validate_user() : NULL;  // usage errors before any work
    blas_set_threads(C.threads);
    double t0 = util_now();
    if (dom) {
        run_user(dom);
    } else {
        const config *cf = C.quick ? &QUICK_CONFIG : &DEFAULT_CONFIG;
        run_T1(cf);
        fprintf(stderr, "T1 done (%.1f s wall, %.1f s CPU)\n", util_now() - t0, (double)clock() / CLOCKS_PER_SEC);
        run_T2(cf);
        fprintf(stderr, "T2 done (%.1f s wall, %.1f s CPU)\n", util_now() - t0, (double)clock() / CLOCKS_PER_SEC);
        run_T3(cf);
        fprintf(stderr, "T3 done (%.1f s wall, %.1f s CPU)\n", util_now() - t0, (double)clock() / CLOCKS_PER_SEC);
        if (cf->quick) {
            claim_skip("tmp.C5a", CLAIM_EXPERIMENT, "not run at --quick");
            claim_skip("tmp.C5b", CLAIM_EXPERIMENT, "not run at --quick");
            claim_skip("tmp.C5c", CLAIM_DEVIATION, "not run at --quick");
            claim_skip("tmp.C6c", CLAIM_EXPERIMENT, "not run at --quick");
            claim_skip("tmp.C6e", CLAIM_DEVIATION, "not run at --quick");
            claim_skip("tmp.C7a", CLAIM_EXPERIMENT, "not run at --quick");
            claim_skip("tmp.C7b", CLAIM_EXPERIMENT, "not run at --quick");
        } else {
            run_T4(cf);
        }
    }
    fprintf(stderr, "total %.1f s wall, %.1f s CPU\n", util_now() - t0, (double)clock() / CLOCKS_PER_SEC);
    claim_summary(SLUG);
    return 0;
}
