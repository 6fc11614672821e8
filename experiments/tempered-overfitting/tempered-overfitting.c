// tempered-overfitting: benign, tempered or catastrophic overfitting in ridgeless kernel regression
// and in networks trained to interpolation.
//
// Paper: Neil Mallinar*, James B. Simon*, Amirhesam Abedsoltan, Parthe Pandit, Mikhail Belkin,
// Preetum Nakkiran, "Benign, Tempered, or Catastrophic: A Taxonomy of Overfitting" (NeurIPS
// 2022), arXiv 2207.06569.  The kernel half: the trichotomy from the eigenspectrum, Laplace,
// ReLU NTK and Gaussian kernels on spheres (Fig. 4 analogue), classification noise profiles
// (Fig. 3/10 analogues).  The network half as CPU-scale analogues (Fig. 3 and Fig. 8).
//
// Claim: interpolating noisy labels, kernel regression's excess test risk tends to (E0 - 1)
// sigma^2, and the noise amplification E0 is set by the kernel's eigenvalue decay: a power law
// lambda_i ~ i^-alpha gives E0 -> alpha (TEMPERED), faster decay gives E0 -> infinity
// (CATASTROPHIC), slower decay or any fixed ridge gives E0 -> 1 (BENIGN).  Networks trained to
// interpolation are tempered; stopped early they are benign.
//
// The parts (one chapter file each, its claims after its experiment; main runs them in order):
//   01-regimes.c         T1: the eigenframework (kappa, E0) on power-law, exponential and
//                        slower-than-power spectra; the Gaussian design (features sqrt(lam_j) g_j,
//                        excess computed exactly); sigma^2-linearity; the Gaussian-design control
//                        of a real domain's spectrum.  Claims tmp.C1-C3.
//   02-sphere.c          T2: Laplace, ReLU NTK and Gaussian kernels on S^4 and S^9 by Cholesky KRR
//                        on pure noise, Funk-Hecke theory; the S^4 Gaussian kernel against its
//                        Gaussian-design twin (the universality gap).  Claims tmp.C4, C5.
//   03-torus.c           T3: kernels BUILT from a prescribed spectrum by FFTW on T^4 and the
//                        circle, exact held-out excess; the heat kernel's Gaussian-design twin.
//                        Claims tmp.C6.
//   04-noise-profiles.c  T4: flip a fraction p of binary labels (S^4: sign(x_1); MNIST even vs
//                        odd); clean test error of ridgeless KRR (Laplace; Gaussian on MNIST),
//                        ridge KRR and 1-NN.  Claims tmp.C7.
//   05-networks.c        T5: a ReLU MLP trained to interpolate flipped binary-MNIST labels, and a
//                        ReLU MLP on S^3 whose test MSE is followed from early stopping to
//                        interpolation.  Claims tmp.C8.
//
// Writes (to --out, default figures/data/tempered-overfitting/): theory-*.tsv (E0(n) curves),
// excess-*.tsv (one row per n: n, E0, excess_theory, excess_mean, excess_se, excess_median, ...),
// linearity.tsv, spectrum-*.tsv and kernel-circle.tsv (FFTW checks), noise-*.tsv (profiles),
// mlp-mnist.tsv and mlp-sphere-curves.tsv (networks).
//
// Run:  build/tempered-overfitting                      (default: all parts)
//       build/tempered-overfitting --quick              (tests: about 2 s)
//       build/tempered-overfitting --part networks      (one part, default sizes)
//       build/tempered-overfitting --domain torus --spectrum heat --heat-t 1 --n-list 64,256
//       build/tempered-overfitting --kernel gaussian --ridge 1e-3 --out my-run/
// Runtime (1 thread, OPENBLAS_CORETYPE=Haswell, measured on the shared 2-core machine under load):
// default 80 s of CPU (T1 15 s, T2 6 s, T3 14 s, T4 28 s, T5 17 s); --quick 2 s.  Paper-scale
// network flags and their costs: paper-notes/tempered-overfitting.md.
// Given any part flag other than --part, --mlp-* and --es-*, the program runs ONE series with the
// user's parameters (see run_user).
#include <fftw3.h>  // before lapacke.h, so that fftw_complex is the C99 type (not needed here, kept as the rule)
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_sf_zeta.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blasinfo.h"
#include "circulant.h"
#include "claim.h"
#include "cli.h"
#include "eigenframework.h"
#include "fit.h"
#include "init.h"
#include "kernel.h"
#include "krr.h"
#include "linalg.h"
#include "loss.h"
#include "mnist.h"
#include "nn.h"
#include "opt.h"
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
    const char *part;      // run one part of the default experiment (all: every part)
    // T5 networks: (a) the MNIST MLP, (b) the S^3 MLP (early stopping vs interpolation)
    cli_ilist mlp_n;  // training images (nested: the smaller n are the first rows)
    int mlp_width, mlp_steps, mlp_pool, mlp_ntest, mlp_trials;
    double mlp_lr;       // Adam step
    double mlp_readout;  // read-out weights start at this multiple of their He draw (small: f_0 ~ 0)
    cli_ilist es_n;      // S^3 training sizes
    int es_width, es_steps, es_every, es_ntest, es_adam;
    double es_lr;  // step of the S^3 net (Adam, or GD with es_adam = 0)
} P = {
    .domain = "design",
    .spectrum = "power",
    .alpha = 2,
    .beta_exp = 0.1,
    .s = 4,
    .length = 1,
    .heat_t = 2,
    .torus_dim = 4,
    .grid = 32,
    .kernel = "laplace",
    .bandwidth = 1,
    .dim = 5,
    .ridge = 0,
    .noise = 1,
    .n_list = {3, {64, 256, 1024}},
    .trials = 3,
    .ntest = 2000,
    .flip_list = {5, {0, 0.1, 0.2, 0.3, 0.4}},
    .part = "all",
    .mlp_n = {2, {500, 1000}},
    .mlp_width = 256,
    .mlp_steps = 2000,
    .mlp_pool = 2,
    .mlp_ntest = 1000,
    .mlp_trials = 1,
    .mlp_lr = 3e-3,
    .mlp_readout = 0.01,
    .es_n = {2, {100, 200}},
    .es_width = 256,
    .es_steps = 2500,
    .es_every = 25,
    .es_ntest = 2000,
    .es_lr = 3e-3,
    .es_adam = 1,
};

static cli_opt opts[] = {
    {"domain", CLI_CHOICE, &P.domain, 0, 0,
     "series domain: Gaussian design, sphere S^{d-1}, torus Z_G^D, circle Z_G, MNIST",
     "design|sphere|torus|circle|mnist", 0},
    {"spectrum", CLI_CHOICE, &P.spectrum, 0, 0, "design: power|exp|benign; torus/circle: sobolev|heat",
     "power|exp|benign|sobolev|heat", 0},
    {"alpha", CLI_DOUBLE, &P.alpha, 1, 20, "power-law exponent alpha > 1 (lambda_i = i^-alpha)", 0, 0},
    {"beta-exp", CLI_DOUBLE, &P.beta_exp, 1e-3, 10, "exponential spectrum rate beta (lambda_i = e^{-beta i})", 0, 0},
    {"s", CLI_DOUBLE, &P.s, 0.1, 20, "Sobolev order s (alpha = 2s/D; default 4 on the torus, 1 on the circle)", 0, 0},
    {"length", CLI_DOUBLE, &P.length, 1e-3, 1e3, "Sobolev length ell", 0, 0},
    {"heat-t", CLI_DOUBLE, &P.heat_t, 1e-3, 1e6, "heat-kernel time t", 0, 0},
    {"torus-dim", CLI_INT, &P.torus_dim, 1, 8, "torus dimension D", 0, 0},
    {"grid", CLI_INT, &P.grid, 2, 1 << 24, "points per side G (default 32 torus, 65536 circle); G^D <= 2^24", 0, 0},
    {"kernel", CLI_CHOICE, &P.kernel, 0, 0, "kernel on the sphere / MNIST", "laplace|gaussian|ntk1b", 0},
    {"bandwidth", CLI_DOUBLE, &P.bandwidth, 1e-3, 1e4,
     "kernel length ell (default 1 laplace, 1/sqrt2 gaussian, 28 on MNIST)", 0, 0},
    {"dim", CLI_INT, &P.dim, 2, 50, "sphere S^{d-1} in R^d", 0, 0},
    {"ridge", CLI_DOUBLE, &P.ridge, 0, 1e6, "absolute ridge delta", 0, 0},
    {"noise", CLI_DOUBLE, &P.noise, 0, 1e6, "label-noise variance sigma^2", 0, 0},
    {"n-list", CLI_ILIST, &P.n_list, 2, 60000, "training-set sizes, e.g. 64,256,1024", 0, 0},
    {"trials", CLI_INT, &P.trials, 1, 1000, "independent draws per n", 0, 0},
    {"ntest", CLI_INT, &P.ntest, 10, 10000, "test points (sphere, MNIST)", 0, 0},
    {"flip-list", CLI_DLIST, &P.flip_list, 0, 0.5, "label-flip probabilities p (classification series)", 0, 0},
    {"mlp-n", CLI_ILIST, &P.mlp_n, 10, 60000,
     "T5 MNIST MLP: training images (each n trains 5 nets, one per flip rate; the kernel beside it keeps n <= ~8000 in "
     "memory)",
     0, 0},
    {"mlp-width", CLI_INT, &P.mlp_width, 1, 8192, "T5 MNIST MLP: hidden width h (inputs -> h -> 1)", 0, 0},
    {"mlp-steps", CLI_INT, &P.mlp_steps, 1, 1000000, "T5 MNIST MLP: at most this many full-batch Adam steps", 0, 0},
    {"mlp-lr", CLI_DOUBLE, &P.mlp_lr, 1e-6, 1, "T5 MNIST MLP: Adam step size", 0, 0},
    {"mlp-readout", CLI_DOUBLE, &P.mlp_readout, 0, 10, "T5 MNIST MLP: read-out init scale (1 = He)", 0, 0},
    {"mlp-pool", CLI_INT, &P.mlp_pool, 1, 2, "T5 MNIST MLP: 2 = 2x2-average-pooled 14x14 inputs, 1 = full 28x28", 0, 0},
    {"mlp-ntest", CLI_INT, &P.mlp_ntest, 100, 10000, "T5 MNIST MLP: test images", 0, 0},
    {"mlp-trials", CLI_INT, &P.mlp_trials, 1, 8, "T5 MNIST MLP: independent draws of images, flips and init", 0, 0},
    {"es-n", CLI_ILIST, &P.es_n, 10, 100000, "T5 S^3 MLP (early stopping vs interpolation): training sizes", 0, 0},
    {"es-width", CLI_INT, &P.es_width, 1, 16384, "T5 S^3 MLP: hidden width", 0, 0},
    {"es-steps", CLI_INT, &P.es_steps, 1, 10000000,
     "T5 S^3 MLP: at most this many full-batch steps (Adam, or GD with --es-adam 0); stops at train MSE < 0.01", 0, 0},
    {"es-lr", CLI_DOUBLE, &P.es_lr, 1e-6, 10, "T5 S^3 MLP: step size (Adam 3e-3; GD needs about 0.05)", 0, 0},
    {"es-every", CLI_INT, &P.es_every, 1, 1000000, "T5 S^3 MLP: test MSE every this many steps", 0, 0},
    {"es-adam", CLI_INT, &P.es_adam, 0, 1, "T5 S^3 MLP: 1 = full-batch Adam, 0 = full-batch GD (the paper's)", 0, 0},
    {"es-ntest", CLI_INT, &P.es_ntest, 100, 100000, "T5 S^3 MLP: test points", 0, 0},
    {"part", CLI_CHOICE, &P.part, 0, 0, "run one part of the default experiment (with its default sizes, or --quick's)",
     "all|regimes|sphere|torus|profiles|networks", 0},
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
    int sph_kmax, sph_nodes;          // Funk-Hecke truncation (Laplace) and Gauss-Legendre nodes
    int ntk_n[3], n_ntk, ntk_trials;  // ReLU NTK (ntk1b) on S^4
    int d10_n[3], n_d10, d10_trials;  // S^9: laplace and gaussian
    int ctl_trials, ctl_P_factor;     // Gaussian-design controls: trials, P = factor n explicit modes
    int ctl_tor_n[3], n_ctl_tor, ctl_tor_trials, ctl_tor_P_factor;  // the torus heat kernel's control
    // T3 torus / circle
    int tor_D, tor_G, tor_s, tor_n[6], n_tor, tor_trials, tor_trials_small, circ_G, circ_n[6], n_circ;
    // T4 noise profiles
    int cls_n[2], n_cls, cls_trials, mn_n[2], mn_trials[2], n_mn, mn_gauss_trials;
} config;

static const config DEFAULT_CONFIG = {
    .quick = 0,
    .M_power = 1000000,
    .M_benign = 1000000,
    .n_theory_pts = 40,
    .n_theory_max = 65536,
    .design_n = {64, 256, 1024},
    .design_n_exp = {64, 128, 256},
    .n_design = 3,
    .design_trials = 3,
    .design_trials_exp = 20,
    .P_factor = 16,
    .P_exp_extra = 400,
    .lin_n = 512,
    .lin_P = 8192,
    .lin_trials = 3,
    .sph_d = 5,
    .sph_ntest = 2000,
    .sph_lap_n = {64, 128, 256, 512, 1024, 2048},
    .n_sph_lap = 6,
    .sph_lap_trials = 5,
    .sph_gau_n = {32, 64, 128, 256, 512},
    .n_sph_gau = 5,
    .sph_gau_trials = 15,
    .sph_gr_n = {64, 256, 1024},
    .n_sph_gr = 3,
    .sph_gr_trials = 10,
    .sph_kmax = 400,
    .sph_nodes = 2000,
    .ntk_n = {64, 256, 1024},
    .n_ntk = 3,
    .ntk_trials = 5,
    .d10_n = {64, 256, 1024},
    .n_d10 = 3,
    .d10_trials = 6,
    .ctl_trials = 25,
    .ctl_P_factor = 8,
    .ctl_tor_n = {256, 512, 1024},
    .n_ctl_tor = 3,
    .ctl_tor_trials = 10,
    .ctl_tor_P_factor = 4,
    .tor_D = 4,
    .tor_G = 32,
    .tor_s = 4,
    .tor_n = {64, 128, 256, 512, 1024, 2048},
    .n_tor = 6,
    .tor_trials = 10,
    .tor_trials_small = 40,
    .circ_G = 65536,
    .circ_n = {64, 128, 256, 512, 1024, 2048},
    .n_circ = 6,
    .cls_n = {500, 2000},
    .n_cls = 2,
    .cls_trials = 5,
    .mn_n = {1000, 4000},
    .mn_trials = {8, 8},
    .n_mn = 2,
    .mn_gauss_trials = 4,
};
static const config QUICK_CONFIG = {
    .quick = 1,
    .M_power = 100000,
    .M_benign = 1000000,
    .n_theory_pts = 3,
    .n_theory_max = 4096,
    .design_n = {128},
    .n_design = 1,
    .design_trials = 3,
    .P_factor = 16,
    .P_exp_extra = 400,
    .sph_d = 5,
    .sph_ntest = 500,
    .sph_lap_n = {256},
    .n_sph_lap = 1,
    .sph_lap_trials = 5,
    .sph_kmax = 400,
    .sph_nodes = 2000,
    .ctl_trials = 10,
    .ctl_P_factor = 8,
    .tor_D = 3,
    .tor_G = 16,
    .tor_s = 3,
    .tor_n = {64, 256},
    .n_tor = 2,
    .tor_trials = 5,
    .tor_trials_small = 5,
    .circ_G = 4096,
    .circ_n = {256},
    .n_circ = 1,
};

// Stream ids: one mt19937 stream per (part, series, n, trial[, block]), so adding a
// trial or a part never shifts another's numbers.
enum {
    PART_DESIGN = 1,
    PART_LINEAR,
    PART_SPHERE,
    PART_TORUS,
    PART_CLASS,
    PART_MNIST,
    PART_CONTROL,
    PART_MLP_MNIST,
    PART_MLP_SPHERE
};
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
    t->s = (ef_spectrum){.M = M,
                         .lam = t->lam,
                         .tail = spectra_powerlaw_tail_fn,
                         .tail_par = &t->tail,
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
    double E0, theory;                  // eigenframework E0 and (E0 - 1) sigma^2 (or general excess)
    double mean, se, median, q25, q75;  // over the trials that succeeded
    int trials;                         // trials that succeeded
    double train_max;                   // max train MSE / sigma^2 (interpolation check)
    int failed;                         // 1 if Cholesky failed at this n (series stopped)
    double delta;                       // the series' ridge (train_max is checked only at 0)
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
            "and the solve does not interpolate; try --ridge > 0, a different --bandwidth (or spectrum), or a smaller "
            "n",
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
    tsv_note(f, "eigenframework E0(n) for spectrum %s, delta = %g; excess_theory = (E0-1) sigma^2 with sigma^2 = 1",
             t->name, delta);
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
    tsv_note(f,
             "excess = clean-label excess risk E_x[f_hat^2] (pure-noise labels), per trial; theory = eigenframework "
             "(E0 - 1) sigma^2");
    tsv_note(f,
             "train_mse_max = largest train MSE / sigma^2 over trials (ridgeless: must be < 1e-6); failed = Cholesky "
             "failed");
    tsv_columns(f,
                "n\tE0\texcess_theory\texcess_mean\texcess_se\texcess_median\texcess_q25\texcess_"
                "q75\tratio\ttrials\ttrain_mse_max\tfailed");
    for (int j = 0; j < nr; j++)
        tsv_row(f, "%d\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%d\t%.4g\t%d", r[j].n, r[j].E0,
                r[j].theory, r[j].mean, r[j].se, r[j].median, r[j].q25, r[j].q75, r[j].mean / r[j].theory, r[j].trials,
                r[j].train_max, r[j].failed);
    tsv_close(f);
    print_rows(name, r, nr);
    double tw = 0;
    for (int j = 0; j < nr; j++) tw = fmax(tw, r[j].train_max);
    if (nr > 0 && r[0].delta == 0)
        printf("# %s: worst ridgeless train MSE / sigma^2 = %.3g (bound %g)\n", name, tw, TRAIN_TOL);
}

// ---- claims: conventions shared by every part ----
//
// Each part runs its series, writes its tables, and checks its claims.  Each tolerance says
// why it is what it is; at --quick smaller sizes and wider bounds are used, and the tolerance
// printed says which.

static int in(double x, double lo, double hi) { return x >= lo && x <= hi; }

static kernel_spec make_kernel(const char *name, double bandwidth) {
    kernel_spec k;
    char err[256];
    if (kernel_spec_parse(&k, name, bandwidth, 1, 1, 0, err, sizeof err)) DIE("kernel %s: %s", name, err);
    return k;
}

#include "01-regimes.c"
#include "02-sphere.c"
#include "03-torus.c"
#include "04-noise-profiles.c"
#include "05-networks.c"

// ---- user series: one series with the user's parameters ----
//
// Any part flag selects this mode.  The domain is --domain, or else inferred from the flags
// typed (kernel flags: sphere; torus flags: torus; --flip-list: sphere classification).

static const char *user_domain(void) {
    if (cli_given(&C, "domain")) return P.domain;
    if (cli_given(&C, "torus-dim") || cli_given(&C, "grid") || cli_given(&C, "s") || cli_given(&C, "length") ||
        cli_given(&C, "heat-t"))
        return "torus";
    if (cli_given(&C, "kernel") || cli_given(&C, "bandwidth") || cli_given(&C, "dim") || cli_given(&C, "flip-list") ||
        cli_given(&C, "ntest"))
        return "sphere";
    if (cli_given(&C, "spectrum") && (!strcmp(P.spectrum, "sobolev") || !strcmp(P.spectrum, "heat"))) return "torus";
    return "design";
}

// Every check of the user's flags happens here, before anything is computed or written.
static const char *validate_user(void) {
    const char *dom = user_domain();
    int design = !strcmp(dom, "design"), torus = !strcmp(dom, "torus") || !strcmp(dom, "circle");
    int given_spec = cli_given(&C, "spectrum");
    if (design) {
        if (!given_spec) P.spectrum = "power";
        if (strcmp(P.spectrum, "power") && strcmp(P.spectrum, "exp") && strcmp(P.spectrum, "benign"))
            cli_usage_error(&C, "--spectrum %s is a torus/circle spectrum; the design domain takes power|exp|benign",
                            P.spectrum);
        if (!(P.alpha > 1)) cli_usage_error(&C, "--alpha must be > 1 (a summable power law), got %g", P.alpha);
        if (!cli_given(&C, "n-list") && !strcmp(P.spectrum, "exp")) P.n_list = (cli_ilist){3, {64, 128, 256}};
        for (int j = 0; j < P.n_list.n; j++)
            if (P.n_list.v[j] > 4096)
                cli_usage_error(&C,
                                "--n-list: the Gaussian design is limited to n <= 4096 (P = 16 n features), got %ld",
                                P.n_list.v[j]);
    } else if (torus) {
        int circle = !strcmp(dom, "circle");
        if (!given_spec) P.spectrum = "sobolev";
        if (strcmp(P.spectrum, "sobolev") && strcmp(P.spectrum, "heat"))
            cli_usage_error(&C, "--spectrum %s is a design spectrum; the %s takes sobolev|heat", P.spectrum, dom);
        if (circle) P.torus_dim = 1;
        if (!cli_given(&C, "grid")) P.grid = circle ? 65536 : 32;
        if (!cli_given(&C, "s")) P.s = circle ? 1 : 4;
        double N = pow(P.grid, P.torus_dim);
        if (N > (double)(1 << 24))
            cli_usage_error(&C, "--grid %d with D = %d gives G^D = %.0f points; at most 2^24", P.grid, P.torus_dim, N);
        for (int j = 0; j < P.n_list.n; j++)
            if ((double)P.n_list.v[j] > N / 2)
                cli_usage_error(&C, "--n-list: n = %ld is larger than half the grid (G^D = %.0f points)", P.n_list.v[j],
                                N);
    } else {  // sphere or mnist
        if (given_spec) cli_usage_error(&C, "--spectrum applies to the design, torus and circle domains, not %s", dom);
        if (!cli_given(&C, "bandwidth"))
            P.bandwidth = !strcmp(dom, "mnist") ? 28 : !strcmp(P.kernel, "gaussian") ? 1 / sqrt(2.0) : 1;
        if (P.flip_list.n > MAXFLIP) cli_usage_error(&C, "--flip-list: at most %d entries", MAXFLIP);
        if (!strcmp(dom, "mnist") && P.flip_list.v[0] != 0)
            cli_usage_error(&C, "--flip-list must start with 0 (the profile is read against the clean p = 0 error)");
        if (cli_given(&C, "flip-list") && P.flip_list.v[0] != 0)
            cli_usage_error(&C, "--flip-list must start with 0 (the profile is read against the clean p = 0 error)");
        for (int j = 0; j < P.n_list.n; j++)
            if (P.n_list.v[j] > 8000)
                cli_usage_error(&C, "--n-list: n = %ld exceeds 8000 (dense Cholesky on this machine)", P.n_list.v[j]);
    }
    return dom;
}

static void run_user(const char *dom) {
    int nns = P.n_list.n, ns[CLI_LIST_MAX];
    for (int j = 0; j < nns; j++) ns[j] = (int)P.n_list.v[j];
    excess_row *rows = XNEW(excess_row, nns);
    char name[96], what[256];
    if (!strcmp(dom, "design")) {
        theory_spec t;
        design_kind kind = !strcmp(P.spectrum, "power") ? DES_POWER : !strcmp(P.spectrum, "exp") ? DES_EXP : DES_BENIGN;
        if (kind == DES_POWER) theory_power(&t, P.alpha, 1000000);
        else if (kind == DES_EXP) theory_exp(&t, P.beta_exp, (size_t)(4 * ns[nns - 1] + 40 / P.beta_exp + 1000));
        else theory_benign(&t, 1000000);
        design_series(kind, P.alpha, P.beta_exp, &t, P.ridge, ns, nns, P.trials, 16, 400, 9, rows);
        snprintf(name, sizeof name, "design-%s", t.name);
        snprintf(what, sizeof what, "user series: Gaussian design, spectrum %s (alpha %g, beta %g), ridge %g, noise %g",
                 t.name, P.alpha, P.beta_exp, P.ridge, P.noise);
        write_excess(name, "", what, rows, nns);
        write_theory_curve(&t, name, P.ridge, 16, kind == DES_EXP ? 4096 : 65536, 40, "");
        theory_free(&t);
    } else if (!strcmp(dom, "torus") || !strcmp(dom, "circle")) {
        torus_model m;
        int sob = !strcmp(P.spectrum, "sobolev");
        torus_model_init(&m, P.torus_dim, P.grid, sob, P.s, P.length, P.heat_t);
        double lmax = 0;
        for (size_t i = 0; i < m.t->N; i++) lmax = fmax(lmax, m.t->lam[i]);
        snprintf(name, sizeof name, "%s-%s", dom, P.spectrum);
        double rt = torus_write_spectrum(&m, name);
        fprintf(stderr, "FFTW round trip: %.3g max lambda; k(0) = %.15g\n", rt / lmax, m.t->k[0]);
        theory_spec t;
        theory_torus(&t, &m, name);
        torus_series(&m, &t, P.ridge, ns, nns, P.trials, P.trials, 9, rows);
        snprintf(what, sizeof what,
                 "user series: Z_%d^%d, spectrum %s (s %g, ell %g, t %g), ridge %g, noise %g; exact held-out excess",
                 P.grid, P.torus_dim, P.spectrum, P.s, P.length, P.heat_t, P.ridge, P.noise);
        write_excess(name, "", what, rows, nns);
        write_theory_curve(&t, name, P.ridge, 16, fmin(65536, m.t->N / 2.0), 30, "");
        theory_free(&t);
        circulant_torus_free(m.t);
    } else if (cli_given(&C, "flip-list") || !strcmp(dom, "mnist")) {
        kernel_spec k = make_kernel(P.kernel, P.bandwidth);
        double ridge = cli_given(&C, "ridge") ? P.ridge : !strcmp(dom, "mnist") ? 3 : 30;
        cls_profile *pr = XNEW(cls_profile, nns);
        int tr[CLI_LIST_MAX];
        for (int j = 0; j < nns; j++) tr[j] = P.trials;
        snprintf(what, sizeof what, "user series: %s, kernel %s ell %g; ridgeless, delta = %g, and 1-NN", dom, P.kernel,
                 P.bandwidth, ridge);
        if (!strcmp(dom, "mnist")) {
            if (mnist_profile(&k, ns, tr, nns, P.ntest, ridge, &P.flip_list, pr)) {
                // the user asked for MNIST (--domain mnist): its absence is a runtime failure
                fprintf(stderr,
                        "%s: MNIST not found in '%s' (asked for by --domain mnist): run make data, or point "
                        "--mnist-dir at the IDX files\n",
                        SLUG, C.mnist_dir);
                free(pr), free(rows);
                exit(EXIT_RUNTIME);
            }
        } else {
            sphere_profile(&k, P.dim, ns, nns, P.trials, P.ntest, ridge, &P.flip_list, pr);
        }
        write_profile(dom, "", what, ridge, pr, nns, &P.flip_list);
        free(pr);
    } else {
        kernel_spec k = make_kernel(P.kernel, P.bandwidth);
        theory_spec t;
        theory_sphere(&t, &k, P.dim, 400, 2000);
        sphere_series(&k, &t, P.dim, P.ridge, ns, nns, P.trials, P.ntest, 9, rows);
        snprintf(name, sizeof name, "sphere-%s", P.kernel);
        snprintf(what, sizeof what, "user series: S^%d, kernel %s ell %g, ridge %g, noise %g", P.dim - 1, P.kernel,
                 P.bandwidth, P.ridge, P.noise);
        write_excess(name, "", what, rows, nns);
        write_theory_curve(&t, name, P.ridge, 16, 4096, 30, "");
        theory_free(&t);
    }
    // a failed Cholesky stops the series and is marked in the table (failed = 1); the
    // run as a whole failed, so say where and what to try, and exit 1.
    for (int j = 0; j < nns; j++)
        if (rows[j].failed) {
            fprintf(stderr,
                    "%s: the series stopped at n = %d: Cholesky of K + %g I failed (numerically singular); the "
                    "table marks it failed = 1; try --ridge > 0, a smaller --bandwidth or a smaller n\n",
                    SLUG, rows[j].n, P.ridge);
            free(rows);
            exit(EXIT_RUNTIME);
        }
    free(rows);
}

// ---- main ----

// The parts of the default experiment, in the paper's order: the trichotomy from spectra, the
// sphere (Fig. 4), the torus and circle (ours), the noise profiles of kernels and 1-NN
// (Fig. 3/10), and the networks (Fig. 3 and 8 analogues).
static const struct {
    const char *name;
    void (*run)(const config *);
} PARTS[] = {
    {"regimes", run_T1}, {"sphere", run_T2}, {"torus", run_T3}, {"profiles", run_T4}, {"networks", run_T5},
};

// Flags that set a part's parameters rather than ask for a user series.
static int user_series_asked(void) {
    for (const cli_opt *o = opts; o->name; o++)
        if (o->given && strcmp(o->name, "part") && strncmp(o->name, "mlp-", 4) && strncmp(o->name, "es-", 3)) return 1;
    return 0;
}

int main(int argc, char **argv) {
    C = (cli){.slug = SLUG,
              .summary =
                  "Benign, tempered or catastrophic overfitting in ridgeless kernel regression and in trained "
                  "networks (Mallinar, Simon et al., arXiv 2207.06569): E0 -> alpha for power-law spectra. "
                  "Without part flags: the default experiment (every part, or the one named by --part); with "
                  "any other part flag: one series with your parameters.",
              .claims = "tmp.C1-C8",
              .opts = opts};
    cli_parse(&C, argc, argv);
    const char *dom = user_series_asked() ? validate_user() : NULL;  // usage errors before any work
    blas_set_threads(C.threads);
    double t0 = util_now();
    if (dom) {
        run_user(dom);
    } else {
        const config *cf = C.quick ? &QUICK_CONFIG : &DEFAULT_CONFIG;
        for (size_t i = 0; i < sizeof PARTS / sizeof PARTS[0]; i++) {
            if (strcmp(P.part, "all") && strcmp(P.part, PARTS[i].name)) continue;
            PARTS[i].run(cf);
            fprintf(stderr, "%s done (%.1f s wall, %.1f s CPU)\n", PARTS[i].name, util_now() - t0,
                    (double)clock() / CLOCKS_PER_SEC);
        }
    }
    fprintf(stderr, "total %.1f s wall, %.1f s CPU\n", util_now() - t0, (double)clock() / CLOCKS_PER_SEC);
    claim_summary(SLUG);
    return 0;
}
