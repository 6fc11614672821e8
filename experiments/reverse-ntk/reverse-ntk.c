// reverse-ntk: a one-hidden-layer network with a chosen NNGP/NTK, built from Hermite coefficients.
//
// Paper: James B. Simon, Sajant Anand, Michael R. DeWeese, "Reverse Engineering the Neural
// Tangent Kernel", arXiv 2106.03186 (ICML 2022).  Figure 1 (shallow networks can have any
// dot-product kernel with non-negative power series) and an MNIST analogue of Figure 2 (a
// shallow mimic of a deep kernel performs like it).  Conventions: paper-notes/reverse-ntk.md.
//
// Claim: for K(xi) = sum_k c_k xi^k with c_k >= 0, the activation
// phi(z) = sum_k b_k He_k(z)/k! with b_k = sqrt(c_k k!) makes the 1HL network's NNGP exactly K
// (NTK: b_k = sqrt(c_k k!/(k+1)) makes its NTK exactly K), by Mehler's identity
// E[He_j(u) He_k(v)] = delta_jk k! xi^k.
//
// Algorithm:
//   1. Targets (the paper's Figure 1 notebook): 4HL ReLU/erf NNGP and NTK (common/kernel), xi^4 + xi, xi^5 + 3,
//      sinh 2xi, cosh 2xi.
//   2. Fit (the notebook's procedure): non-negative least squares (common/nnls) of a degree-D polynomial on 1000
//      points of [-1, 1] with 10% of the weight on each endpoint; c_k < 1e-3 set to 0.
//   3. Exact check: E[phi phi], E[phi' phi'] by 40 x 40 Gauss-Hermite quadrature, which
//      is exact for these polynomial integrands (claims C1, C4).
//   4. Finite width: Monte Carlo over M neurons, in units of the exact standard error
//      from the same quadrature (C3).
//   5. MNIST (in place of the paper's CIFAR-10): kernel regression with deep ReLU/erf NNGP/NTK at
//      depths 1..15, and over several random train/test splits with the
//      degree-D mimic of the 15-layer ReLU NNGP (C5).
//   6. Parity (the paper's designed-activation example): 11-bit parity learned by trained width-128
//      nets, 1HL with phi = (1/2) sin 6z against 4HL ReLU, beside ridgeless regression with their
//      NTKs (C6, C7).
//   7. The trainable mimic: the paper's 1HL activation a relu(z - b) + c z + d + e cos(f z + g),
//      fitted to the 4HL ReLU NTK; its NTK by quadrature (C8), and trained next to the 4HL and a
//      1HL ReLU net on one task: learning curves side by side (C9).
//
// Writes (to --out): kernels.tsv, mc.tsv, coeffs.tsv, fits.tsv, activations.tsv (part 1);
// mnist_depth.tsv (split 1), mnist_mimic.tsv (per split), mnist_mimic_mean.tsv (part 2);
// parity.tsv, parity_curves.tsv, parity_kernels.tsv (part 3); mimic_kernel.tsv, mimic_curves.tsv,
// mimic.tsv (part 4).
//
// Run: build/reverse-ntk                        (default: ~75 s CPU on one core; see the note)
//      build/reverse-ntk --quick                (~0.7 s; MC on panels A and E, MNIST n = 300, 3 splits)
//      build/reverse-ntk --target erf-ntk --depth 3 --wstd 1.5 --bstd 0.3 --mode ntk
//      build/reverse-ntk --ntrain 500 --ntest 500   (only the MNIST part)
//      build/reverse-ntk --splits 10 --ntest 1000   (more splits; splits x ntest <= 10000)
//      build/reverse-ntk --parity-trials 30 --parity-steps-relu 10000   (the paper's parity protocol)
//      build/reverse-ntk --mimic-width 512              (the trainable mimic alone, wider)
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_rng.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "cli.h"
#include "fit.h"
#include "hermite.h"
#include "init.h"
#include "kernel.h"
#include "krr.h"
#include "mnist.h"
#include "nn.h"
#include "nnls.h"
#include "opt.h"
#include "phinet.h"
#include "progress.h"
#include "rng.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// Legend: $\xi = x\cdot x'/d$ the cosine of two inputs on the sphere $\|x\|^2 = d$; $c_k$ the
// power-series coefficients of the target kernel; $b_k$ the Hermite coefficients of the
// activation; $D$ the polynomial degree; $M$ Monte Carlo neurons per $\xi$; $n$, $n_t$ the
// MNIST train and test sizes.  Defaults follow the paper's notebooks at laptop scale.

#define DMAX 24    // largest polynomial degree (fits, mimics)
#define NFIT 1000  // fitting points (the notebook's)
#define NERR 401   // uniform grid for the fit errors
#define NCHECK 21  // xi points of the exactness check (C1)
#define NPLOT 201  // xi points of the drawn curves
#define MAXP 10    // panels

struct params {
    const char *panels;       // comma-separated panel ids
    int degree;               // D for the Figure 1 panels
    double endpoint_weight;   // fraction of the fitting points on each endpoint
    double coef_threshold;    // c_k below this are set to 0 (the notebook does)
    int gh_nodes;             // Gauss-Hermite nodes per dimension
    long mc_neurons;          // M per xi point
    int mc_points;            // xi = -1 ... 1
    int ntrain, ntest;        // MNIST sizes
    int splits;               // disjoint random train/test splits of MNIST
    cli_ilist depths;         // MNIST depths
    cli_ilist mimic_degrees;  // degrees of the mimic of the deep ReLU NNGP
    int mimic_depth;          // the deep kernel the mimic copies
    const char *target;       // single-target mode: relu-nngp, relu-ntk, erf-nngp, erf-ntk
    int depth;                // its hidden layers
    double wstd, bstd;        // its W_std, b_std
    const char *mode;         // nngp or ntk: which shallow kernel is matched
    // part 3: parity
    int parity_bits;                          // d: the cube {+-1}^d, half of it for training
    int parity_width;                         // hidden width of both nets
    int parity_trials;                        // initialisations per net
    double parity_lr_phi, parity_lr_relu;     // GD steps (only the time eta * steps matters in the kernel regime)
    double parity_stop;                       // stop at this train MSE
    int parity_steps_phi, parity_steps_relu;  // step caps
    double parity_amp, parity_freq;           // phi(z) = amp sin(freq z)
    // part 4: trainable mimic
    int mimic_width;   // hidden width of the three nets
    int mimic_steps;   // GD steps
    double mimic_lr;   // GD step
    int mimic_trials;  // initialisations per net
};

static struct params P = {
    .panels = "A,B,C,D,E,F,G,H,Bntk",
    .degree = 7,
    .endpoint_weight = 0.1,
    .coef_threshold = 1e-3,
    .gh_nodes = 40,
    .mc_neurons = 500000,
    .mc_points = 11,
    .ntrain = 2000,
    .ntest = 2000,
    .splits = 4,
    .depths = {11, {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15}},
    .mimic_degrees = {13, {2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 18, 20}},
    .mimic_depth = 15,
    .target = NULL,
    .depth = 4,
    .wstd = 1.5,
    .bstd = 0.1,
    .mode = "nngp",
    .parity_bits = 11,
    .parity_width = 128,
    .parity_trials = 10,
    .parity_lr_phi = 10,
    .parity_lr_relu = 0.3,
    .parity_stop = 1e-3,
    .parity_steps_phi = 40,
    .parity_steps_relu = 64,
    .parity_amp = 0.5,
    .parity_freq = 6,
    .mimic_width = 128,
    .mimic_steps = 300,
    .mimic_lr = 0.3,
    .mimic_trials = 2,
};

static cli_opt opts[] = {
    {"panels", CLI_STRING, &P.panels, .help = "Figure 1 panels (A-H; Bntk = the 1HL NTK matched to B)"},
    {"degree", CLI_INT, &P.degree, 0, 20, .help = "polynomial degree D of the fits"},
    {"endpoint-weight", CLI_DOUBLE, &P.endpoint_weight, 0.001, 0.45,
     .help = "share of fitting points on each endpoint"},
    {"coef-threshold", CLI_DOUBLE, &P.coef_threshold, 0, 1, .help = "fitted c_k below this are set to 0"},
    {"gh-nodes", CLI_INT, &P.gh_nodes, 2, 200, .help = "Gauss-Hermite nodes per dimension"},
    {"mc-neurons", CLI_LONG, &P.mc_neurons, 10, 1e9, .help = "Monte Carlo neurons M per xi point"},
    {"mc-points", CLI_INT, &P.mc_points, 2, 101, .help = "Monte Carlo xi points in [-1, 1]"},
    {"ntrain", CLI_INT, &P.ntrain, 10, 60000, .help = "MNIST training points"},
    {"ntest", CLI_INT, &P.ntest, 10, 10000, .help = "MNIST test points"},
    {"splits", CLI_INT, &P.splits, 1, 100, .help = "disjoint random MNIST train/test splits (splits x ntest <= 10000)"},
    {"depths", CLI_ILIST, &P.depths, 1, 50, .help = "depths (hidden layers) of the deep kernels on MNIST"},
    {"mimic-degrees", CLI_ILIST, &P.mimic_degrees, 1, 20, .help = "degrees of the shallow mimic"},
    {"mimic-depth", CLI_INT, &P.mimic_depth, 1, 50, .help = "depth of the ReLU NNGP the mimic copies"},
    {"target", CLI_CHOICE, &P.target, .choices = "relu-nngp|relu-ntk|erf-nngp|erf-ntk",
     .help = "single target kernel (instead of the panels)"},
    {"depth", CLI_INT, &P.depth, 1, 50, .help = "hidden layers of --target"},
    {"wstd", CLI_DOUBLE, &P.wstd, 0.01, 10, .help = "W_std of --target's hidden layers"},
    {"bstd", CLI_DOUBLE, &P.bstd, 0, 10, .help = "b_std of --target's hidden layers"},
    {"mode", CLI_CHOICE, &P.mode, .choices = "nngp|ntk",
     .help = "match the shallow NNGP or the shallow NTK to --target"},
    {"parity-bits", CLI_INT, &P.parity_bits, 3, 14, .help = "parity: input bits d (the cube is split in half)"},
    {"parity-width", CLI_INT, &P.parity_width, 1, 100000, .help = "parity: hidden width of both nets"},
    {"parity-trials", CLI_INT, &P.parity_trials, 1, 1000, .help = "parity: initialisations per net (paper 30)"},
    {"parity-lr-phi", CLI_DOUBLE, &P.parity_lr_phi, 1e-6, 100,
     .help = "parity: GD step of the 1HL phi net (paper 0.1)"},
    {"parity-lr-relu", CLI_DOUBLE, &P.parity_lr_relu, 1e-6, 1,
     .help = "parity: GD step of the 4HL ReLU net (paper 0.1)"},
    {"parity-stop", CLI_DOUBLE, &P.parity_stop, 0, 1, .help = "parity: stop at this train MSE"},
    {"parity-steps-phi", CLI_INT, &P.parity_steps_phi, 1, 10000000,
     .help = "parity: step cap of the 1HL phi net (paper 4000)"},
    {"parity-steps-relu", CLI_INT, &P.parity_steps_relu, 1, 10000000,
     .help = "parity: step cap of the 4HL ReLU net (paper 10000)"},
    {"parity-amp", CLI_DOUBLE, &P.parity_amp, 1e-3, 100, .help = "parity: phi(z) = amp sin(freq z)"},
    {"parity-freq", CLI_DOUBLE, &P.parity_freq, 0.1, 20, .help = "parity: phi(z) = amp sin(freq z)"},
    {"mimic-width", CLI_INT, &P.mimic_width, 1, 100000, .help = "trainable mimic: hidden width of the three nets"},
    {"mimic-steps", CLI_INT, &P.mimic_steps, 1, 10000000, .help = "trainable mimic: GD steps"},
    {"mimic-lr", CLI_DOUBLE, &P.mimic_lr, 1e-6, 10, .help = "trainable mimic: GD step"},
    {"mimic-trials", CLI_INT, &P.mimic_trials, 1, 1000, .help = "trainable mimic: initialisations per net"},
    {0}};

static cli C = {.slug = "reverse-ntk",
                .summary =
                    "A one-hidden-layer network whose NNGP/NTK is any dot-product kernel with a non-negative power "
                    "series: Hermite-coefficient activations, checked exactly by quadrature, at finite width by Monte "
                    "Carlo, on MNIST (a shallow mimic of a deep ReLU kernel), on parity (a designed activation "
                    "beats deep ReLU) and as a trainable mimic of a deep ReLU net.",
                .claims = "revntk.C1-C9b",
                .opts = opts};

// Small sizes for the tests (--quick, seed 7): every part runs, each in well under a second or two.
static void quick_config(void) {
    if (!cli_given(&C, "mc-neurons")) P.mc_neurons = 100000;
    if (!cli_given(&C, "ntrain")) P.ntrain = 300;
    if (!cli_given(&C, "ntest")) P.ntest = 300;
    if (!cli_given(&C, "depths")) P.depths = (cli_ilist){1, {15}};
    if (!cli_given(&C, "mimic-degrees")) P.mimic_degrees = (cli_ilist){6, {2, 4, 7, 10, 14, 20}};
    if (!cli_given(&C, "splits")) P.splits = 3;
    if (!cli_given(&C, "parity-bits")) P.parity_bits = 9;
    if (!cli_given(&C, "parity-trials")) P.parity_trials = 3;
    if (!cli_given(&C, "mimic-steps")) P.mimic_steps = 200;
    if (!cli_given(&C, "mimic-trials")) P.mimic_trials = 1;
}

// ---- random streams ----
// One named stream per use; a trial's stream is stream_id(part, net, trial), so adding a trial or
// a part never shifts another's numbers.  The first three values are those of the committed tables.
enum {
    STREAM_C1_COEFFS = 1,   // the random coefficient vector of C1
    STREAM_SPLIT = 7,       // the MNIST split permutations
    STREAM_MC_BASE = 1000,  // Monte Carlo: 1000 + 100 panel + xi point
    STREAM_PARITY_SPLIT = 2000,
    STREAM_PARITY_INIT,
    STREAM_MIMIC_SPLIT,
    STREAM_MIMIC_INIT,
};
static unsigned long mc_stream(int panel, int point) {
    return STREAM_MC_BASE + 100 * (unsigned long)panel + (unsigned long)point;
}
static unsigned long stream_id(int part, int net, int trial) {
    return ((unsigned long)part << 32) | ((unsigned long)net << 20) | (unsigned long)trial;
}

#include "01-kernels.c"
#include "02-mnist.c"
#include "03-parity.c"
#include "04-mimic.c"

// ---- main: the paper's list of parts ----
// A flag of one part runs that part alone (with any other part whose flags are given); no part
// flag runs all four.

static int any_given(const char *const *flags) {
    int g = 0;
    for (int i = 0; flags[i]; i++) g |= cli_given(&C, flags[i]);
    return g;
}

int main(int argc, char **argv) {
    cli_parse(&C, argc, argv);
    static const char *const f1[] = {
        "panels",    "degree", "endpoint-weight", "coef-threshold", "gh-nodes", "mc-neurons",
        "mc-points", "target", "depth",           "wstd",           "bstd",     "mode",
        NULL};
    static const char *const f2[] = {"ntrain", "ntest", "splits", "depths", "mimic-degrees", "mimic-depth", NULL};
    static const char *const f3[] = {
        "parity-bits", "parity-width",     "parity-trials",     "parity-lr-phi", "parity-lr-relu",
        "parity-stop", "parity-steps-phi", "parity-steps-relu", "parity-amp",    "parity-freq",
        NULL};
    static const char *const f4[] = {"mimic-width", "mimic-steps", "mimic-lr", "mimic-trials", NULL};
    const int g1 = any_given(f1), g2 = any_given(f2), g3 = any_given(f3), g4 = any_given(f4),
              any = g1 || g2 || g3 || g4;
    const int run1 = g1 || !any, run2 = g2 || (!any && !P.target), run3 = g3 || !any, run4 = g4 || !any;
    if (C.quick) quick_config();
    if (4 * P.degree > 2 * P.gh_nodes - 1)
        cli_usage_error(&C, "--gh-nodes %d is not exact for degree %d (needs 2 m - 1 >= 4 D)", P.gh_nodes, P.degree);
    if (run2 && (long)P.splits * P.ntest > 10000)
        cli_usage_error(&C, "--splits %d x --ntest %d exceeds the 10000 MNIST test images; lower --splits or --ntest",
                        P.splits, P.ntest);
    if (run2 && (long)P.splits * P.ntrain > 60000)
        cli_usage_error(&C,
                        "--splits %d x --ntrain %d exceeds the 60000 MNIST training images; lower --splits or --ntrain",
                        P.splits, P.ntrain);
    const double t0 = util_now();

    // Part 1 (Figure 1): the Hermite construction, exact and at finite width (C1-C4).
    if (run1) part_kernels();
    else {
        claim_skip("revntk.C1", CLAIM_IDENTITY, "not requested (another part's flags only)");
        claim_skip("revntk.C2", CLAIM_IDENTITY, "not requested (another part's flags only)");
        claim_skip("revntk.C3", CLAIM_EXPERIMENT, "not requested (another part's flags only)");
        claim_skip("revntk.C4", CLAIM_IDENTITY, "not requested (another part's flags only)");
    }
    // Part 2 (Figure 2 analogue): deep kernels and their shallow mimics on MNIST (C5).
    if (run2) part_mnist(g2);
    else claim_skip("revntk.C5", CLAIM_EXPERIMENT, "not requested (another part's flags only)");
    // Part 3: parity, a designed activation against deep ReLU, trained nets (C6, C7).
    if (run3) part_parity();
    else {
        claim_skip("revntk.C6", CLAIM_EXPERIMENT, "not requested (another part's flags only)");
        claim_skip("revntk.C7", CLAIM_DEVIATION, "not requested (another part's flags only)");
    }
    // Part 4: the trainable mimic of the 4HL ReLU net (C8, C9).
    if (run4) part_mimic();
    else {
        claim_skip("revntk.C8", CLAIM_IDENTITY, "not requested (another part's flags only)");
        claim_skip("revntk.C9", CLAIM_EXPERIMENT, "not requested (another part's flags only)");
        claim_skip("revntk.C9b", CLAIM_DEVIATION, "not requested (another part's flags only)");
    }
    claim_summary(C.slug);
    fprintf(stderr, "reverse-ntk: %.1f s\n", util_now() - t0);
    return 0;
}
