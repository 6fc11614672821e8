// krr-curves: kernel ridge regression learning curves from the eigenframework, and the
// conservation law of learnability.
//
// Paper: James B. Simon, Madeline Dickens, Dhruva Karkada, Michael R. DeWeese, "The Eigenlearning
// Framework: A Conservation Law Perspective on Kernel Regression and Wide Neural Networks",
// arXiv 2110.03922 (TMLR 2023).  Figures reproduced: Fig. 1 (kernel bars), Fig. 2 (cube, sphere,
// MNIST panels), Fig. 3 (deep bootstrap, KRR version).
//
// Claim in one sentence: from the kernel's eigenvalues and the target's eigencoefficients alone,
// a few closed-form equations predict the learnability and test MSE of KRR at every n, and the
// learnabilities of any complete orthonormal basis sum to exactly n (ridgeless).
//
// The paper's equations used here (arXiv 2110.03922; the note gives them in full): kappa from
//   sum_i lambda_i/(lambda_i + kappa) + delta/kappa = n,  L_i = lambda_i/(lambda_i + kappa),
//   E0 = n/(n - sum_i L_i^2),  test MSE = E0 (sum_i (1 - L_i)^2 v_i^2 + eps^2)  (the eigenlearning
//   equations), and the conservation law sum_j L^(D)(g_j) = n for any complete orthonormal basis,
//   ridgeless (Sec. 3, Fig. 1).  Learning curves: Sec. 5, Fig. 2; deep bootstrap: Sec. 6.1, Fig. 3.
//   We cite sections and figures only: the paper's equation numbers could not be checked against
//   its text (we worked from its abstract and the authors' notebooks, which name the sections).
//
// The parts, in the order main runs them (chapter files of this folder, each followed by its claims):
//   01-eigenframework.c  the theory and the tables shared by every learning curve
//   02-conservation.c    E1 on the circle Z_10: every kernel's D-learnabilities of the 10 Fourier
//                        modes sum to n (Fig. 1, kernel bars) [krr.C1]; the 256-point circle's
//                        learning curves with the ReLU NTK (Fig. 2, circle panel) [krr.C15]
//   03-networks.c        the Fig. 1 bars for ReLU nets of widths 125 and 500 trained by GD in the NTK
//                        parametrisation, beside the NTK's; the empirical NTK at init against the
//                        analytic one                                              [krr.C10-C13]
//   04-cube.c            E1/E2 on the 8-cube with the ReLU NTK: conservation (ridgeless and
//                        delta = 0.5), level learnabilities against the Krawtchouk spectrum, the
//                        parity bound, trained nets as markers          [krr.C1, C2, C3a, C3b, C14]
//   05-sphere.c          E3 on S^7: Funk-Hecke spectrum and eigenframework against KRR; kappa
//                        without a spectrum (Fig. 2, sphere panel)                [krr.C4, C6]
//   06-mnist.c           E4 MNIST 0 vs 1 and 3 vs 8, ReLU NTK, pool spectrum (Fig. 2, image
//                        panels)                                                 [krr.C5, C5b]
//   07-powerlaw.c        the solver on power-law spectra of 10^7 modes                   [krr.C7]
//   08-bootstrap.c       E5 the deep bootstrap: MSE against tau = n/delta, theory and a
//                        Gaussian-design simulation (Fig. 3, KRR version)           [krr.C8, C9]
//
// Writes (to --out, default figures/data/krr-curves/): conservation.tsv, conservation_net.tsv,
// ntk_check.tsv, conservation_cube.tsv, learning_<panel>.tsv and theory_<panel>.tsv for panels
// circle, cube, sphere, mnist_0v1, mnist_3v8, learning_cube_net.tsv, spectra.tsv, kappa.tsv,
// powerlaw.tsv, bootstrap_theory.tsv, bootstrap_sim.tsv.
//
// Run: build/krr-curves (default: about 125 s of CPU on one BLAS thread, measured on the shared
// machine at load 9, where the program before the networks took 96 s),
// build/krr-curves --quick (about 2.4 s), or one learning curve: build/krr-curves --domain sphere
// --dim 5 --kernel gaussian --bandwidth 0.7 --n-list 16,64,256 --trials 10.  Paper-scale settings:
// --net-inits 10 (about 4.5 s of CPU per initialisation), --cube-net-width 500, the sphere on the
// paper's NTK: --domain sphere --kernel ntk (35 s).  Figures: scripts/make-figure krr-curves.
#define _GNU_SOURCE
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "circulant.h"
#include "claim.h"
#include "cli.h"
#include "eigenframework.h"
#include "fit.h"
#include "idx.h"
#include "init.h"
#include "kernel.h"
#include "krr.h"
#include "mnist.h"
#include "nn.h"
#include "opt.h"
#include "progress.h"
#include "rng.h"
#include "spectra.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// Symbols (the paper's): $n$ training points, $\delta$ the absolute ridge (added to the
// unnormalised Gram matrix), $\epsilon^2$ the label-noise variance, $\lambda_k$ and $m_k$ the
// kernel eigenvalues and multiplicities w.r.t. the data measure, $v_k^2$ the target's squared
// eigencoefficients, $\kappa$ the effective ridge, $\mathcal{L}_k$ the learnabilities, $E_0$ the
// overfitting coefficient.
//
// Without panel flags the program runs the whole default experiment.  Any of the flags
// below makes it run ONE learning curve (or one conservation/bootstrap series) on --domain with
// those parameters; unset flags keep that domain's defaults.
struct params {
    const char *domain;      // circle|cube|sphere|mnist|bootstrap (panel mode)
    int dim;                 // cube: d <= 12 (default 8); sphere: S^{d-1} (default 8)
    const char *kernel;      // laplace|gaussian|ntk (domain default if not given)
    double bandwidth;        // l
    int depth;               // L hidden layers (ntk)
    double wstd, bstd;       // sigma_w, sigma_b (ntk)
    double ridge;            // delta (absolute)
    double noise;            // eps^2 (variance)
    int trials;              // independent training sets per n
    int ntest;               // sphere: fresh test points per trial
    cli_ilist n_list;        // training-set sizes
    cli_ilist degrees;       // sphere: zonal target degrees
    const char *task;        // MNIST task "3v8", "0v1" or "A-B"
    int pool;                // MNIST: M images for the theory spectrum
    const char *design;      // sphere: "sphere" (real points) or "gaussian" (Gaussian-design control)
    cli_ilist net_widths;    // networks: hidden widths (two or more for the finite-width trend)
    double net_lr, net_tol;  // GD step and the train-MSE stopping point (the paper: 0.5, 1e-5)
    int net_steps;           // at most this many GD steps per network
    int ntk_inits;           // initialisations for the empirical-NTK check
    int net_inits;           // initialisations per (width, n) of the trained nets
    cli_ilist cube_net_n;    // cube nets: training-set sizes (the markers on the cube's learning curves)
    int cube_net_width, cube_net_draws;
};
static struct params P = {.domain = "sphere",
                          .dim = 8,
                          .kernel = "laplace",
                          .bandwidth = 1.0,
                          .depth = 4,
                          .wstd = 1.41421356237309505,
                          .bstd = 0.1,
                          .ridge = 0.0,
                          .noise = 0.0,
                          .trials = 20,
                          .ntest = 2000,
                          .n_list = {9, {8, 16, 32, 64, 128, 256, 512, 1024, 2048}},
                          .degrees = {4, {1, 2, 3, 4}},
                          .task = "3v8",
                          .pool = 4096,
                          .design = "sphere",
                          .net_widths = {2, {125, 500}},
                          .net_lr = 0.5,
                          .net_tol = 1e-5,
                          .net_steps = 20000,
                          .ntk_inits = 6,
                          .net_inits = 3,
                          .cube_net_n = {2, {16, 64}},
                          .cube_net_width = 256,
                          .cube_net_draws = 2};
// The MNIST theory pool.  The pool theory is asserted for n <= M/8; M = 4096 puts n = 512 (the
// largest asserted n of the paper-scale figure at our size) exactly on that bound.
#define MNIST_POOL 4096

static cli_opt opts[] = {
    {"domain", CLI_CHOICE, &P.domain, 0, 0, "panel mode: circle|cube|sphere|mnist|bootstrap",
     "circle|cube|sphere|mnist|bootstrap", 0},
    {"dim", CLI_INT, &P.dim, 2, 64, "cube dimension d (<= 12) or sphere S^{d-1} ambient dimension d", 0, 0},
    {"kernel", CLI_CHOICE, &P.kernel, 0, 0, "kernel", "laplace|gaussian|ntk", 0},
    {"bandwidth", CLI_DOUBLE, &P.bandwidth, 1e-3, 1e3, "kernel length l", 0, 0},
    {"depth", CLI_INT, &P.depth, 1, 20, "NTK hidden layers L", 0, 0},
    {"wstd", CLI_DOUBLE, &P.wstd, 1e-3, 10, "NTK weight std sigma_w", 0, 0},
    {"bstd", CLI_DOUBLE, &P.bstd, 0, 10, "NTK bias std sigma_b", 0, 0},
    {"ridge", CLI_DOUBLE, &P.ridge, 0, 1e6, "absolute ridge delta", 0, 0},
    {"noise", CLI_DOUBLE, &P.noise, 0, 100, "label-noise variance eps^2", 0, 0},
    {"trials", CLI_INT, &P.trials, 1, 1000, "training sets per n", 0, 0},
    {"ntest", CLI_INT, &P.ntest, 10, 100000, "sphere test points per trial", 0, 0},
    {"n-list", CLI_ILIST, &P.n_list, 1, 20000, "training-set sizes, e.g. 8,32,128", 0, 0},
    {"degrees", CLI_ILIST, &P.degrees, 0, 60, "sphere target degrees k, e.g. 1,2,3", 0, 0},
    {"task", CLI_STRING, &P.task, 0, 0, "MNIST task: 3v8, 0v1 or A-B (digits)", 0, 0},
    {"pool", CLI_INT, &P.pool, 20, 12000, "MNIST pool size M for the theory spectrum", 0, 0},
    {"design", CLI_CHOICE, &P.design, 0, 0,
     "sphere panel: real points on the sphere, or a Gaussian-design control with "
     "the same spectrum (multiplicities included)",
     "sphere|gaussian", 0},
    {"net-widths", CLI_ILIST, &P.net_widths, 8, 4096, "circle nets: hidden widths, smallest first (paper: 500)", 0, 0},
    {"net-lr", CLI_DOUBLE, &P.net_lr, 1e-4, 10, "nets: GD step (paper: 0.5)", 0, 0},
    {"net-tol", CLI_DOUBLE, &P.net_tol, 1e-14, 1, "nets: stop at this train MSE (paper: 1e-5)", 0, 0},
    {"net-steps", CLI_INT, &P.net_steps, 1, 10000000, "nets: at most this many GD steps", 0, 0},
    {"cube-net-n", CLI_ILIST, &P.cube_net_n, 1, 255, "cube nets: training-set sizes", 0, 0},
    {"cube-net-width", CLI_INT, &P.cube_net_width, 8, 4096, "cube nets: hidden width (paper: 500)", 0, 0},
    {"cube-net-draws", CLI_INT, &P.cube_net_draws, 0, 20, "cube nets: training sets per n (0: no cube nets)", 0, 0},
    {"net-inits", CLI_INT, &P.net_inits, 1, 10, "circle nets: initialisations per (width, n)", 0, 0},
    {"ntk-inits", CLI_INT, &P.ntk_inits, 1, 1000, "initialisations for the empirical-NTK check", 0, 0},
    {0}};

static cli C;
static kernel_spec kspec(const char *name, double bw) {
    kernel_spec k;
    char err[256];
    if (kernel_spec_parse(&k, name, bw, P.depth, P.wstd, P.bstd, err, sizeof err)) cli_usage_error(&C, "%s", err);
    return k;
}
// In panel mode a flag the user did not give keeps the domain's default.
static int given(const char *f) { return cli_given(&C, f); }

// ---- random streams ----
//
// Every random number comes from rng_alloc(seed, stream) with stream = base + stride * i + j: one
// named family per use, indexed by what varies inside it.  (The numbers are those of the earlier
// single-file program, so the tables of unchanged parts are unchanged.)
typedef enum {
    RNG_CIRCLE,       // i = kernel (0 laplace, 1 gaussian, 2 ntk), j = index of n: the training set
    RNG_CUBE,         // i = n, j = draw: the training set
    RNG_SPHERE,       // i = n, j = trial: training and test points, label noise
    RNG_GDESIGN,      // i = n, j = trial: the Gaussian-design control's features
    RNG_KAPPA,        // i = n, j = draw: points of the spectrum-free kappa estimate
    RNG_MNIST_SPLIT,  // i = first digit, j = second: the pool / training-set split
    RNG_MNIST_TRIAL,  // i = 10 a + b, j = trial: the training subset, label noise
    RNG_BOOT,         // i = n, j = trial: Gaussian design of the bootstrap simulation
    RNG_NET_INIT,     // i = width, j = 10 (index of n) + init (inits < 10): the circle nets
    RNG_NTK_CHECK,    // i = width, j = init: the empirical-NTK check's initialisations
    RNG_CUBE_NET,     // i = n, j = draw: the cube nets' initialisation
    RNG_CIRCLE_LC     // i = n, j = trial: the 256-point circle's training set
} rng_family;
static const struct {
    uint64_t base, stride;
} rng_families[] = {
    [RNG_CIRCLE] = {100, 10},           [RNG_CUBE] = {200000, 1000},       [RNG_SPHERE] = {300000, 1000},
    [RNG_GDESIGN] = {350000, 1000},     [RNG_KAPPA] = {400000, 1000},      [RNG_MNIST_SPLIT] = {500000, 10},
    [RNG_MNIST_TRIAL] = {600000, 1000}, [RNG_BOOT] = {700000, 1000},       [RNG_NET_INIT] = {10000000, 1000},
    [RNG_NTK_CHECK] = {20000000, 1000}, [RNG_CUBE_NET] = {30000000, 1000}, [RNG_CIRCLE_LC] = {40000000, 1000},
};
static uint64_t rng_stream_id(rng_family f, uint64_t i, uint64_t j) {
    return rng_families[f].base + rng_families[f].stride * i + j;
}
static gsl_rng *stream(rng_family f, uint64_t i, uint64_t j) { return rng_alloc(C.seed, rng_stream_id(f, i, j)); }

static tsv *spectra_out;  // spectra.tsv: every panel's spectrum (NULL in panel mode)

#include "01-eigenframework.c"
#include "02-conservation.c"
#include "03-networks.c"
#include "04-cube.c"
#include "05-sphere.c"
#include "06-mnist.c"
#include "07-powerlaw.c"
#include "08-bootstrap.c"

// ---- the default experiment and its --quick version ----
typedef struct {
    int circle_n[2];                     // E1 circle (kernels and nets)
    int circle_lc_nn, circle_lc_trials;  // the 256-point circle's learning curves
    int circle_lc_n[10];
    cli_ilist net_widths;  // the nets' widths unless --net-widths is given
    int net_inits;         // their initialisations per (width, n) unless --net-inits
    cli_ilist cube_net_n;  // cube nets (unless --cube-net-n, -width, -draws)
    int cube_net_width, cube_net_draws;
    int cube_d, cube_nn, cube_draws;  // E1/E2 cube
    int cube_n[6];
    int sph_nn, sph_ndeg, sph_trials, sph_ntest, sph_kmax, sph_nodes, sph_nkn, sph_kdraws;  // E3
    int sph_n[9], sph_kn[3];
    int mnist_ntasks, mnist_pool, mnist_nn;  // E4
    const char *mnist_tasks[2];
    int mnist_n[11], mnist_trials[11];
    size_t pl_modes;                                   // C7
    int boot_nn, boot_ntau, boot_sim_nn, boot_trials;  // E5
} experiment;
static const experiment DEFAULT_CONFIG = {.circle_n = {3, 6},
                                          .circle_lc_nn = 8,
                                          .circle_lc_trials = 20,
                                          .circle_lc_n = {2, 4, 8, 16, 32, 64, 128, 224},
                                          .net_widths = {2, {125, 500}},
                                          .net_inits = 3,
                                          .cube_net_n = {2, {16, 64}},
                                          .cube_net_width = 256,
                                          .cube_net_draws = 2,
                                          .cube_d = 8,
                                          .cube_nn = 6,
                                          .cube_draws = 20,
                                          .cube_n = {8, 16, 32, 64, 128, 200},
                                          .sph_nn = 9,
                                          .sph_ndeg = 4,
                                          .sph_trials = 20,
                                          .sph_ntest = 2000,
                                          .sph_kmax = 400,
                                          .sph_nodes = 3000,
                                          .sph_nkn = 3,
                                          .sph_kdraws = 5,
                                          .sph_n = {8, 16, 32, 64, 128, 256, 512, 1024, 2048},
                                          .sph_kn = {64, 256, 1024},
                                          .mnist_ntasks = 2,
                                          .mnist_pool = MNIST_POOL,
                                          .mnist_nn = 11,
                                          .mnist_tasks = {"0v1", "3v8"},
                                          .mnist_n = {2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048},
                                          .mnist_trials = {20, 20, 20, 20, 20, 20, 20, 20, 10, 5, 5},
                                          .pl_modes = 10000000,
                                          .boot_nn = 4,
                                          .boot_ntau = 60,
                                          .boot_sim_nn = 3,
                                          .boot_trials = 6};
static const experiment QUICK_CONFIG = {.circle_n = {3, 6},
                                        .circle_lc_nn = 2,
                                        .circle_lc_trials = 5,
                                        .circle_lc_n = {8, 32},
                                        .net_widths = {2, {64, 256}},
                                        .net_inits = 1,
                                        .cube_net_n = {1, {16}},
                                        .cube_net_width = 64,
                                        .cube_net_draws = 1,
                                        .cube_d = 6,
                                        .cube_nn = 2,
                                        .cube_draws = 5,
                                        .cube_n = {8, 16},
                                        .sph_nn = 2,
                                        .sph_ndeg = 2,
                                        .sph_trials = 5,
                                        .sph_ntest = 500,
                                        .sph_kmax = 200,
                                        .sph_nodes = 1000,
                                        .sph_nkn = 2,
                                        .sph_kdraws = 3,
                                        .sph_n = {32, 128},
                                        .sph_kn = {64, 256},
                                        .mnist_ntasks = 1,
                                        .mnist_pool = 400,
                                        .mnist_nn = 2,
                                        .mnist_tasks = {"3v8"},
                                        .mnist_n = {8, 32},
                                        .mnist_trials = {4, 4},
                                        .pl_modes = 1000000,
                                        .boot_nn = 2,
                                        .boot_ntau = 12,
                                        .boot_sim_nn = 1,
                                        .boot_trials = 3};

// The network flags tune the default experiment's network part; they do not select a panel.
static int only_net_flags(void) {
    static const char *const net[] = {"net-widths", "net-lr",     "net-tol",        "net-steps",     "ntk-inits",
                                      "net-inits",  "cube-net-n", "cube-net-width", "cube-net-draws"};
    int any = 0;
    for (int i = 0; opts[i].name; i++) {
        int is_net = 0;
        for (size_t j = 0; j < sizeof net / sizeof *net; j++) is_net |= strcmp(opts[i].name, net[j]) == 0;
        if (cli_given(&C, opts[i].name) && !is_net) return 0;
        any |= cli_given(&C, opts[i].name);
    }
    return any;
}

// ---- the parts ----
// CPU seconds (user + sys) of each part, on stderr: the budget is in CPU time.
static void cpu_mark(const char *part) {
    static double last;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double t = ru.ru_utime.tv_sec + 1e-6 * ru.ru_utime.tv_usec + ru.ru_stime.tv_sec + 1e-6 * ru.ru_stime.tv_usec;
    fprintf(stderr, "%s: %.1f s of CPU\n", part, t - last);
    last = t;
}

static void part_circle(const experiment *E) {
    tsv *t = tsv_open(&C, "conservation.tsv", "krr.C1");
    tsv_note(t, "circle Z_10, ridgeless; L_D: D-learnability of each real Fourier mode (freq = its frequency)");
    tsv_columns(t, "kernel\tn\tmode\tfreq\tL_D");
    double tw = 0;
    e1_circle(t, E->circle_n, 2, 0.0, &st_circle, &tw);
    train_report("circle", tw);
    tsv_close(t);
    progress("circle done");
}

static void part_circle_curves(const experiment *E) {
    circle_lc_cfg g = {.ns = E->circle_lc_n, .nsz = E->circle_lc_nn, .trials = E->circle_lc_trials};
    e2_circle_curves(&g);
    claims_circle_curves();
}

static void part_networks(const experiment *E) {
    tsv *t = tsv_open(&C, "conservation_net.tsv", "krr.C11 krr.C12 krr.C13");
    tsv_note(
        t,
        "circle Z_10: ReLU nets (NTK parametrisation, %d hidden layers, wstd %g, bstd %g) trained by full-batch GD "
        "(step %g, stop at train MSE %g or %d steps) from one init per (width, n) on each Fourier mode, on the NTK "
        "bars' training set; L_net = <g, f_T - f_0> on the 10 points; L_ntk = the analytic NTK's D-learnability",
        P.depth, P.wstd, P.bstd, P.net_lr, P.net_tol, P.net_steps);
    tsv_columns(t, "width\tn\tinit\tmode\tfreq\tL_ntk\tL_net\tsteps\ttrain_mse");
    tsv *tk = tsv_open(&C, "ntk_check.tsv", "krr.C10");
    tsv_note(tk,
             "empirical NTK at init on the 10 circle points against the analytic ReLU NTK: diagonal and "
             "antipodal ratios, relative Frobenius deviation, per initialisation");
    tsv_columns(tk, "width\tinit\tratio_00\tratio_05\trel_fro");
    e1_circle_nets(E->circle_n, 2, cli_given(&C, "net-widths") ? &P.net_widths : &E->net_widths,
                   cli_given(&C, "net-inits") ? P.net_inits : E->net_inits, t, tk);
    tsv_close(t);
    tsv_close(tk);
    claims_networks();
}

static void part_cube(const experiment *E) {
    tsv *tc = tsv_open(&C, "conservation_cube.tsv", "krr.C1 krr.C2");
    tsv_note(tc, "sum over all 2^d Walsh functions of the D-learnability, and Tr[K(K+delta I)^-1] (= n ridgeless)");
    tsv_columns(tc, "n\tridge\tdraw\tsum_L\ttrace_ref");
    const cli_ilist *cn = cli_given(&C, "cube-net-n") ? &P.cube_net_n : &E->cube_net_n;
    int net_n[CLI_LIST_MAX];
    for (int i = 0; i < cn->n; i++) net_n[i] = (int)cn->v[i];
    cube_cfg g = {.d = E->cube_d,
                  .ns = E->cube_n,
                  .nsz = E->cube_nn,
                  .draws = E->cube_draws,
                  .delta = 0.0,
                  .delta2 = 0.5,
                  .tc = tc,
                  .tspec = spectra_out,
                  .net_n = net_n,
                  .net_nn = cn->n,
                  .net_width = cli_given(&C, "cube-net-width") ? P.cube_net_width : E->cube_net_width,
                  .net_draws = cli_given(&C, "cube-net-draws") ? P.cube_net_draws : E->cube_net_draws};
    if (g.net_draws == 0) g.net_nn = 0;
    run_cube(&g);
    tsv_close(tc);
    claims_conservation();
    claims_cube();
}

static void part_sphere(const experiment *E) {
    static const int deg[4] = {1, 2, 3, 4};
    tsv *tk = tsv_open(&C, "kappa.tsv", "krr.C6");
    tsv_note(tk, "kappa without a spectrum: 1/mean Tr[(K+delta I)^-1] over draws, vs the eigenframework");
    tsv_columns(tk, "n\tdelta\tkappa_theory\tkappa_est\tratio");
    sphere_cfg g = {.d = 8,
                    .ns = E->sph_n,
                    .nsz = E->sph_nn,
                    .deg = deg,
                    .ndeg = E->sph_ndeg,
                    .trials = E->sph_trials,
                    .ntest = E->sph_ntest,
                    .kmax = E->sph_kmax,
                    .nodes = E->sph_nodes,
                    .tspec = spectra_out,
                    .tk = tk,
                    .nk = E->sph_kn,
                    .nnk = E->sph_nkn,
                    .kdraws = E->sph_kdraws};
    run_sphere(&g);
    tsv_close(tk);
    claims_sphere();
}

static void part_mnist(const experiment *E) {
    for (int i = 0; i < E->mnist_ntasks; i++) {
        run_mnist(E->mnist_tasks[i], E->mnist_pool, E->mnist_n, E->mnist_trials, E->mnist_nn, spectra_out);
        if (!st_mnist.ran) break;
    }
    mnist_done();
    claims_mnist();
}

static void part_powerlaw(const experiment *E) {
    tsv *tp = tsv_open(&C, "powerlaw.tsv", "krr.C7");
    tsv_columns(tp, "alpha\tn\tmodes\ttail\tkappa\tkappa_continuum\tratio\tE0");
    c7_powerlaw(E->pl_modes, C.quick, tp, &st_pl);
    tsv_close(tp);
    claims_powerlaw();
}

static void part_bootstrap(const experiment *E) {
    static const int bn[4] = {16, 125, 1000, 8000}, bsim[3] = {16, 125, 1000};
    tsv *tb = tsv_open(&C, "bootstrap_theory.tsv", "krr.C8");
    tsv_note(tb, "lambda_i = i^-2, v_i^2 = i^-2/Z, 5e5 modes; n = 0 means n = infinity; tau_star = 1/kappa0(n)");
    tsv_columns(tb, "n\ttau\tte\ttr\ttau_star");
    e5_theory(bn, E->boot_nn, E->boot_ntau, tb, &st_boot);
    tsv_close(tb);
    tsv *ts = tsv_open(&C, "bootstrap_sim.tsv", "krr.C9");
    tsv_note(
        ts,
        "Gaussian design, P = 16 n features, tail as ridge for kappa (test side), train residual with the user's ridge "
        "n/tau; theory on the same P-mode spectrum; trials %d at n = 1000, up to 64 at small n",
        E->boot_trials);
    tsv_columns(ts, "n\ttau\tte_theory\tte_exp\tte_se\ttr_theory\ttr_exp\ttr_se\tratio");
    e5_sim(bsim, E->boot_sim_nn, E->boot_trials, ts, &st_boot);
    tsv_close(ts);
    claims_bootstrap();
}

// ---- one series with the user's parameters (--domain or any panel flag) ----
static void check_panel_flags(int panel) {
    if (panel && P.trials > 64 && strcmp(P.domain, "bootstrap") == 0)
        cli_usage_error(
            &C, "--trials %d: at most 64 for --domain bootstrap (trials at n = 1000; smaller n get more, up to 64)",
            P.trials);
    if (panel && strcmp(P.domain, "cube") == 0) {
        if (P.dim > 12) cli_usage_error(&C, "--dim %d: the cube needs d <= 12", P.dim);
        int npts = 1 << (given("dim") ? P.dim : 8);
        for (int i = 0; i < P.n_list.n; i++) {
            if (P.n_list.v[i] > npts)
                cli_usage_error(&C, "n = %ld exceeds the 2^d = %d points of the cube: lower --n-list or raise --dim",
                                P.n_list.v[i], npts);
            if (P.n_list.v[i] == npts && P.ridge == 0)
                cli_usage_error(&C, "--n-list: n = %ld must be < 2^d (ridgeless), or give --ridge", P.n_list.v[i]);
        }
    }
    if (panel && strcmp(P.domain, "circle") == 0 && given("n-list"))
        for (int i = 0; i < P.n_list.n; i++)
            if (P.n_list.v[i] > 10)
                cli_usage_error(&C, "--n-list: n = %ld exceeds the 10 circle points", P.n_list.v[i]);
    // The ridgeless pool theory has at most M positive modes: n must stay well below M.
    if (panel && strcmp(P.domain, "mnist") == 0 && given("n-list") && P.ridge == 0)
        for (int i = 0; i < P.n_list.n; i++)
            if (2 * P.n_list.v[i] > P.pool)
                cli_usage_error(&C,
                                "--n-list: n = %ld exceeds half the pool M = %d (ridgeless pool theory); raise --pool "
                                "or give --ridge",
                                P.n_list.v[i], P.pool);
    if (given("task") || (panel && strcmp(P.domain, "mnist") == 0)) {
        int a, b;
        task_digits(P.task, &a, &b);
    }
    if (given("kernel") && !given("bandwidth") && strcmp(P.kernel, "ntk") != 0 && panel &&
        strcmp(P.domain, "cube") == 0)
        P.bandwidth = 2.0;  // the cube's default length
}

static void run_panel(void) {
    int ns[CLI_LIST_MAX], nsz = P.n_list.n;
    for (int i = 0; i < nsz; i++) ns[i] = (int)P.n_list.v[i];
    int deg[CLI_LIST_MAX], ndeg = P.degrees.n;
    for (int i = 0; i < ndeg; i++) deg[i] = (int)P.degrees.v[i];
    if (strcmp(P.domain, "circle") == 0) {
        int cn[CLI_LIST_MAX], cnn = given("n-list") ? nsz : 2;
        for (int i = 0; i < cnn; i++) cn[i] = given("n-list") ? ns[i] : 3 + 3 * i;
        tsv *t = tsv_open(&C, "conservation.tsv", "krr.C1");
        tsv_columns(t, "kernel\tn\tmode\tfreq\tL_D");
        double tw = 0;
        e1_circle(t, cn, cnn, P.ridge, &st_circle, &tw);
        if (P.ridge == 0) train_report("circle", tw);
        tsv_close(t);
        claim_report("krr.C1", CLAIM_IDENTITY, "max |sum_j L_D(g_j) / Tr[K(K+delta I)^-1] - 1| (circle)",
                     st_circle.worst_rel);
        if (P.ridge == 0 && cnn == 2) {  // the 256-point circle's curves (default sizes)
            spectra_out = NULL;
            part_circle_curves(C.quick ? &QUICK_CONFIG : &DEFAULT_CONFIG);
        }
        if (P.ridge == 0) {  // the networks beside the NTK, on the same training sets
            experiment E = C.quick ? QUICK_CONFIG : DEFAULT_CONFIG;
            if (cnn == 2) {
                E.circle_n[0] = cn[0], E.circle_n[1] = cn[1];
                part_networks(&E);
            }
        }
    } else if (strcmp(P.domain, "cube") == 0) {
        int dn[6] = {8, 16, 32, 64, 128, 200}, *use = given("n-list") ? ns : dn, un = given("n-list") ? nsz : 6;
        int d = given("dim") ? P.dim : 8;
        tsv *tc = tsv_open(&C, "conservation_cube.tsv", "krr.C1 krr.C2");
        tsv_columns(tc, "n\tridge\tdraw\tsum_L\ttrace_ref");
        int net_n[CLI_LIST_MAX];
        for (int i = 0; i < P.cube_net_n.n; i++) net_n[i] = (int)P.cube_net_n.v[i];
        cube_cfg g = {.d = d,
                      .ns = use,
                      .nsz = un,
                      .draws = P.trials,
                      .delta = P.ridge,
                      .tc = tc,
                      .net_n = net_n,
                      .net_nn = given("cube-net-draws") && P.cube_net_draws > 0 && P.ridge == 0 ? P.cube_net_n.n : 0,
                      .net_width = P.cube_net_width,
                      .net_draws = P.cube_net_draws};
        run_cube(&g);
        tsv_close(tc);
        claim_report("krr.C3a", CLAIM_EXPERIMENT, "max |mean L_level - L_th| (n >= 16)", st_cube.ps.worst_C3a);
    } else if (strcmp(P.domain, "sphere") == 0) {
        sphere_cfg g = {.d = P.dim,
                        .ns = ns,
                        .nsz = nsz,
                        .deg = deg,
                        .ndeg = ndeg,
                        .trials = P.trials,
                        .ntest = P.ntest,
                        .kmax = 400,
                        .nodes = 3000};
        run_sphere(&g);
        claim_report("krr.C4", CLAIM_EXPERIMENT, "max |MSE_exp/MSE_th - 1| where MSE_th >= 1e-3", st_sphere.c4_ratio);
        claim_report("krr.C4", CLAIM_EXPERIMENT, "max |L_exp - L_th|", st_sphere.c4_dL);
    } else if (strcmp(P.domain, "mnist") == 0) {
        int dn[11] = {2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}, tri[CLI_LIST_MAX];
        int *use = given("n-list") ? ns : dn, un = given("n-list") ? nsz : 11;
        for (int i = 0; i < un; i++) tri[i] = P.trials;
        run_mnist(P.task, P.pool, use, tri, un, NULL);
        mnist_done();
        if (st_mnist.ran) {
            char what[160];
            snprintf(what, sizeof what, "max |MSE_exp/MSE_th - 1| for n <= M/8 (max |L_exp - L_th| = %.4f)",
                     st_mnist.ms.worst_dL);
            claim_report("krr.C5", CLAIM_EXPERIMENT, what, st_mnist.ms.worst_ratio);
        } else claim_skip("krr.C5", CLAIM_EXPERIMENT, st_mnist.skip);
    } else {  // bootstrap
        int dn[3] = {16, 125, 1000}, *use = given("n-list") ? ns : dn, un = given("n-list") ? nsz : 3;
        tsv *t = tsv_open(&C, "bootstrap_sim.tsv", "krr.C9");
        tsv_columns(t, "n\ttau\tte_theory\tte_exp\tte_se\ttr_theory\ttr_exp\ttr_se\tratio");
        e5_sim(use, un, given("trials") ? P.trials : 6, t, &st_boot);
        tsv_close(t);
        claim_report("krr.C9", CLAIM_EXPERIMENT, "max |te_sim - te_th|/(0.1 te_th + 3 s.e.)", st_boot.sim_z);
    }
}

int main(int argc, char **argv) {
    C = (cli){.slug = SLUG,
              .summary =
                  "KRR learning curves from the eigenframework and the conservation law of learnability "
                  "(Simon et al., arXiv 2110.03922), with finite-width networks beside the NTK. Without panel "
                  "flags: the full default experiment. With --domain or any panel flag: one series with those "
                  "parameters.",
              .claims = "krr.C1-C15",
              .opts = opts};
    cli_parse(&C, argc, argv);
    int panel = cli_any_given(&C) && !only_net_flags();
    check_panel_flags(panel);
    double t0 = util_now();
    if (panel) {
        run_panel();
        progress_done("%s: panel %s done in %.1f s", SLUG, P.domain, util_now() - t0);
        return 0;
    }
    const experiment *E = C.quick ? &QUICK_CONFIG : &DEFAULT_CONFIG;
    spectra_out = tsv_open(&C, "spectra.tsv", "krr.C3 krr.C4 krr.C5");
    tsv_note(spectra_out,
             "per-level (cube, sphere; mult = multiplicity) or per-mode (MNIST pool) eigenvalues; v2 = target "
             "squared coefficient (MNIST; 1 otherwise)");
    tsv_columns(spectra_out, "panel\tk\tlambda\tmult\tv2");
    part_circle(E);         // Fig. 1: the conservation law, kernel bars
    part_circle_curves(E);  // Fig. 2: the circle panel
    cpu_mark("circle");
    part_networks(E);  // Fig. 1: trained networks beside the NTK
    cpu_mark("circle networks");
    part_cube(E);  // Fig. 1 (cube sums) and Fig. 2 (cube panel, with nets), parity hardness
    cpu_mark("cube");
    part_sphere(E);  // Fig. 2: the sphere panel
    cpu_mark("sphere");
    part_mnist(E);  // Fig. 2: the MNIST panels
    cpu_mark("MNIST");
    tsv_close(spectra_out);
    part_powerlaw(E);  // the solver's checks
    cpu_mark("power laws");
    part_bootstrap(E);  // Fig. 3: the deep bootstrap
    cpu_mark("bootstrap");
    progress_done("%s: done in %.1f s", SLUG, util_now() - t0);
    claim_summary(SLUG);
    return 0;
}
