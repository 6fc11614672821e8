// stepwise-ssl: joint-embedding self-supervised learning learns its embedding one eigenmode at a
// time.
//
// Paper: James B. Simon, Maksis Knutins, Liu Ziyin, Daniel Geisz, Abraham J. Fetterman,
// Joshua Albrecht, "On the Stepwise Nature of Self-Supervised Learning", ICML 2023,
// arXiv 2303.15438.  Reproduces the analogue of Fig. 1A/B (loss staircase with predicted step
// times; embedding eigenvalues springing up one at a time), the kernel ("contrastive kernel")
// version, and the analogue of Fig. 1C/D and the PCA views of Fig. 1 for a ReLU network trained
// with Barlow Twins, SimCLR and VICReg on MNIST (the paper: ResNets on STL-10 and CIFAR-10).
//
// Claim: trained from small initialisation, Barlow Twins (theory form, lambda_off = 1) learns
// the top eigenmodes of the view cross-correlation Gamma one at a time, each embedding
// eigenvalue rising along a logistic 1/(1 + (1/c_j(0) - 1) e^{-8 gamma_j t}) at the half-rise
// time t_j = ln(1/c_j(0) - 1)/(8 gamma_j); the loss drops by 1 at each step, and the final
// embedding is the whitened projection onto the top-d eigenvectors of Gamma.  Nonlinear
// networks from small init show the same staircase, for all three losses; from standard init
// the steps blur.
//
// The parts (every equation is written out in paper-notes/stepwise-ssl.md), one chapter file each:
//   1. 01-linear.c       the linear model and its exact solution on a diagonal Gamma (ssl.C1-C3);
//   2. 02-final-state.c  the final embedding and the init-scale law on latent data (ssl.C4, C8);
//   3. 03-mnist-linear.c the linear model on MNIST pairs, Fig. 1A/B (ssl.C5);
//   4. 04-kernel.c       the kernel version, representer form with the ntk1b kernel (ssl.C6);
//   5. 05-mlp-latent.c   a ReLU network with Barlow Twins, small vs standard init, latent data (ssl.C7);
//   6. 06-mlp-mnist.c    a ReLU network on MNIST pairs with Barlow Twins, SimCLR and VICReg: loss,
//                        embedding and hidden-layer eigenvalues, PCA views (ssl.C9).
//
// Writes (figures/data/stepwise-ssl/): linear_traj.tsv, linear_steps.tsv, linear_final.tsv,
// kernel_traj.tsv, kernel_steps.tsv, mlp_small.tsv, mlp_std.tsv, diag_steps.tsv,
// latent_final.tsv, mnist_mlp_<loss>_<init>.tsv, mnist_mlp_steps.tsv, mnist_mlp_pca.tsv.
// Prints one CLAIM line per claim part and the step-time tables.
//
// Run: build/stepwise-ssl                 (everything; CPU times in the note)
//      build/stepwise-ssl --quick         (tiny sizes, a few seconds)
//      build/stepwise-ssl --part linear --data diag --m 50 --gamma-ratio 0.8 --d 8
//      build/stepwise-ssl --part mlp --init-scale 0.02 --steps 8000
//      build/stepwise-ssl --part mlp-mnist --mlp-n 1000 --mlp-width 256   (paper-like scale, see the note)
#define _GNU_SOURCE
#include <gsl/gsl_cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blasinfo.h"
#include "claim.h"
#include "cli.h"
#include "fit.h"
#include "init.h"
#include "kernel.h"
#include "linalg.h"
#include "loss.h"
#include "mnist.h"
#include "nn.h"
#include "opt.h"
#include "progress.h"
#include "rng.h"
#include "sslloss.h"
#include "steps.h"
#include "track.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// One struct with the defaults of the default run.  The linear part runs on the data
// chosen by `--data`; the claim series C1-C4 and C8 run on their own fixed configurations
// (diagonal Gamma, latent data) whenever the whole program runs (`--part all`, no other flag).
struct params {
    const char *part;    // all | linear | kernel | mlp | mlp-mnist
    const char *data;    // mnist | diag | latent  (linear part)
    int m;               // diag: dimension of Gamma
    double gamma_ratio;  // diag: gamma_j = gamma1 r^{j-1}
    double gamma1;       // diag: top eigenvalue
    int n;               // MNIST: number of image pairs
    int first_image;     // MNIST: index of the first training image used
    int shift;           // MNIST: translations drawn uniformly from {-shift..shift}^2
    double aug_noise;    // MNIST: pixel-noise standard deviation of each view
    int d;               // embedding dimension (linear and kernel)
    double s0;           // init scale: W(0) iid N(0, s0^2)
    double lr;           // absolute step size; 0 means lr_factor / gamma_1
    double lr_factor;    // eta = lr_factor / gamma_1 (stability needs < 0.25)
    double t_end;        // run length in effective time t = eta step; 0 means 1.25 t_d^P
    int aligned;         // aligned init W(0) = s0 [I_d 0] V^T
    double lambda_off;   // off-diagonal weight of the BT loss (theory: 1)
    int bt_original;     // original BT form (standardised embeddings), an ablation
    int width;           // MLP hidden width h
    double init_scale;   // MLP small-init scale alpha (x He); the standard run uses 1
    long steps;          // MLP GD steps
    // part 6, the ReLU network on MNIST pairs
    const char *losses;               // comma list of bt, simclr, vicreg
    int mlp_n;                        // image pairs
    int mlp_width;                    // hidden width
    int mlp_d;                        // embedding dimension
    int pool;                         // average-pooling factor of the 28 x 28 images (2: 14 x 14, m = 196)
    double mlp_alpha;                 // small-init scale (x He); the standard run uses 1
    double mlp_lr;                    // step size, Barlow Twins
    double simclr_lr;                 // step size, SimCLR
    double vicreg_lr;                 // step size, VICReg
    double bt_t, simclr_t, vicreg_t;  // run lengths t = eta step of the small-init runs
    double tau;                       // NT-Xent temperature
};
static struct params P = {
    .part = "all",
    .data = "mnist",
    .m = 30,
    .gamma_ratio = 0.7,
    .gamma1 = 1.0,
    .n = 500,
    .first_image = 0,
    .shift = 2,
    .aug_noise = 0.1,
    .d = 10,
    .s0 = 1e-5,
    .lr = 0,
    .lr_factor = 0.02,
    .t_end = 0,
    .aligned = 0,
    .lambda_off = 1.0,
    .bt_original = 0,
    .width = 256,
    .init_scale = 0.05,
    .steps = 6000,
    .losses = "bt,simclr,vicreg",
    .mlp_n = 256,
    .mlp_width = 64,
    .mlp_d = 6,
    .pool = 2,
    .mlp_alpha = 0.1,
    .mlp_lr = 0.05,
    .simclr_lr = 0.1,
    .vicreg_lr = 0.002,
    .bt_t = 150,
    .simclr_t = 300,
    .vicreg_t = 30,
    .tau = 0.5,
};
static cli C;      // the common configuration (seed, out, quick, mnist_dir)
static double T0;  // start time, for the progress lines

// RNG streams (common/rng): each random draw of the program comes from its own stream of the seed.
enum {
    RNG_DATA = 0,      // synthetic latent data
    RNG_INIT = 1,      // weights (linear, kernel and network models)
    RNG_AUG = 3,       // the augmentations of the MNIST pairs of parts 3 and 4
    RNG_FEATURES = 4,  // random ReLU features of the kernel identity check
    RNG_AUG_NET = 5,   // the augmentations of the MNIST pairs of part 6
};

// Fixed configurations of the claim series and of the MLP data.
#define N_EIG 40           // top eigenpairs of Gamma kept (dsyevr range 'I')
#define DIAG_ETA_AL 1e-3   // C1: aligned, m = 30, d = 5, s_j(0) = 1e-4, to t = 9
#define DIAG_ETA_RND 2e-3  // C2: random, m = 40, d = 10, s0 = 1e-4, to t = 12, 3 seeds
#define LAT_M 20           // C4/C8: latent data m = 20, n = 2000, d = 4
#define LAT_N 2000
#define LAT_D 4
#define LAT_VAR 0.6    // latent variances 0.6^k
#define LAT_GAP 5.0    // C4/C8 data: the variance drops by this factor after latent d (gamma_4/gamma_5)
#define LAT_NOISE 0.3  // view noise x + 0.3 eps
#define MLP_M 32       // MLP data: latent, m = 32, n = 300, d = 6, eta = 0.04
#define MLP_N 300
#define MLP_D 6
#define MLP_ETA 0.04
// Standard init of part 5 (measured): eta 0.04 diverges at step 6, 0.02 oscillates with period 2
// (edge of stability) until t ~ 25, 0.01 is clean.
#define MLP_ETA_STD 0.01
#define MLP_STD_T 24.0  // run length of the standard-init run (its loss is at 0 by t ~ 1.3)
#define NET_STD_T 15.0  // part 6: run length of the standard-init run (every mode is up by t ~ 3)
#define N_GRID 200      // TSV snapshots: 200 uniform + 200 log-spaced steps

// ---- theory ----
//
// Notation: Gamma = sum_j gamma_j v_j v_j^T (gamma_1 >= gamma_2 >= ...), W is (d, m),
// C = W Gamma W^T, L = ||C - I||_F^2, gradient 4 (C - I) W Gamma, effective time t = eta step.
// Along an aligned mode c_j = gamma_j s_j^2 obeys dc/dt = 8 gamma_j c (1 - c):
//
// $$c_j(t) = \frac{1}{1 + (1/c_j(0) - 1)\,e^{-8\gamma_j t}},\qquad
//   t_j = \frac{\ln(1/c_j(0) - 1)}{8\gamma_j}.$$
//
// From small random init each mode starts its logistic from an effective c_j(0): the population
// predictor (P) uses the expected squared norm of the part of W(0)v_j not yet taken by modes
// 1..j-1, gamma_j s0^2 (d - j + 1); the init-aware predictor (G) uses the realised one,
// gamma_j r_j^2 (Gram-Schmidt residual), and multiplies by GD's finite-step factor
// 4 eta gamma_j / ln(1 + 4 eta gamma_j) (W v_j grows by 1 + 4 eta gamma_j per step, not
// e^{4 eta gamma_j}).

// Half-rise time of the flow logistic from c0.
static double t_half(double gamma, double c0) { return log(1 / c0 - 1) / (8 * gamma); }

// The logistic at flow time t.
static double logistic(double gamma, double c0, double t) { return 1 / (1 + (1 / c0 - 1) * exp(-8 * gamma * t)); }

// Predictor P: t_j^P = ln(1/(gamma_j s0^2 (d - j + 1)))/(8 gamma_j), j = 1..d.
// `scale2` is the expected squared norm of one coordinate of W(0) v_j (s0^2 for the linear
// model; s0^2 a_j^T K a_j/(2n) in the kernel model).
static double predict_P(double gamma, double scale2, int d, int j) {
    return log(1 / (gamma * scale2 * (d - j + 1))) / (8 * gamma);
}

// Predictor G: c_j(0) = gamma_j r_j^2, with GD's finite-step factor.
static double predict_G(double gamma, double r2, double eta) {
    return t_half(gamma, gamma * r2) * opt_discrete_time_factor(eta, 4 * gamma);
}

// ntk1b (common/kernel): the normalised one-hidden-layer ReLU NTK with bias, for
// unit-norm inputs with cosine g: v = (1 + g)/2, K = (v k0(v) + k1(v))/2, K(x, x) = 1.
// common/kernel computes it from the inner products (|x|^2 = |x'|^2 = 1, x.x' = g).
static double ntk1b(double g) {
    static const kernel_spec k1b = {.type = KERNEL_NTK1B};
    return kernel_scalar(&k1b, 1.0, 1.0, g, 0);
}

// ---- the parts ----
#include "01-linear.c"
#include "02-final-state.c"
#include "03-mnist-linear.c"
#include "04-kernel.c"
#include "05-mlp-latent.c"
#include "06-mlp-mnist.c"

// ---- main ----
static cli_opt opts[] = {
    {.name = "part",
     .type = CLI_CHOICE,
     .dest = &P.part,
     .choices = "all|linear|kernel|mlp|mlp-mnist",
     .help = "which parts run"},
    {.name = "data",
     .type = CLI_CHOICE,
     .dest = &P.data,
     .choices = "mnist|diag|latent",
     .help = "data of the linear part: MNIST pairs, diagonal Gamma, synthetic latent pairs"},
    {.name = "m", .type = CLI_INT, .dest = &P.m, .min = 2, .max = 2000, .help = "diag: dimension of Gamma"},
    {.name = "gamma-ratio",
     .type = CLI_DOUBLE,
     .dest = &P.gamma_ratio,
     .min = 1e-3,
     .max = 1,
     .help = "diag: gamma_j = gamma1 r^(j-1)"},
    {.name = "gamma1",
     .type = CLI_DOUBLE,
     .dest = &P.gamma1,
     .min = 1e-6,
     .max = 1e6,
     .help = "diag: top eigenvalue of Gamma"},
    {.name = "n", .type = CLI_INT, .dest = &P.n, .min = 2, .max = 5000, .help = "MNIST: number of image pairs"},
    {.name = "first-image",
     .type = CLI_INT,
     .dest = &P.first_image,
     .min = 0,
     .max = 59999,
     .help = "MNIST: first training image used"},
    {.name = "shift",
     .type = CLI_INT,
     .dest = &P.shift,
     .min = 0,
     .max = 10,
     .help = "MNIST: translations uniform in {-shift..shift}^2"},
    {.name = "aug-noise",
     .type = CLI_DOUBLE,
     .dest = &P.aug_noise,
     .min = 0,
     .max = 10,
     .help = "MNIST: pixel-noise std of each view"},
    {.name = "d", .type = CLI_INT, .dest = &P.d, .min = 1, .max = 16, .help = "embedding dimension"},
    {.name = "s0",
     .type = CLI_DOUBLE,
     .dest = &P.s0,
     .min = 1e-30,
     .max = 10,
     .help = "init scale, W(0) iid N(0, s0^2)"},
    {.name = "lr",
     .type = CLI_DOUBLE,
     .dest = &P.lr,
     .min = 0,
     .max = 1e6,
     .help = "absolute step size eta (0: lr-factor/gamma_1)"},
    {.name = "lr-factor",
     .type = CLI_DOUBLE,
     .dest = &P.lr_factor,
     .min = 1e-6,
     .max = 0.25,
     .help = "eta = lr-factor / gamma_1"},
    {.name = "t-end",
     .type = CLI_DOUBLE,
     .dest = &P.t_end,
     .min = 0,
     .max = 1e7,
     .help = "run length in t = eta step (0: 1.25 t_d^P)"},
    {.name = "aligned", .type = CLI_FLAG, .dest = &P.aligned, .help = "aligned init W(0) = s0 [I_d 0] V^T"},
    {.name = "lambda-off",
     .type = CLI_DOUBLE,
     .dest = &P.lambda_off,
     .min = 0,
     .max = 1e3,
     .help = "off-diagonal weight of the BT loss"},
    {.name = "bt-original",
     .type = CLI_FLAG,
     .dest = &P.bt_original,
     .help = "original Barlow Twins (standardised embeddings); lambda = --lambda-off if given, else 5e-3"},
    {.name = "width",
     .type = CLI_INT,
     .dest = &P.width,
     .min = 1,
     .max = 8192,
     .help = "MLP (latent data) hidden width h"},
    {.name = "init-scale",
     .type = CLI_DOUBLE,
     .dest = &P.init_scale,
     .min = 1e-8,
     .max = 100,
     .help = "MLP (latent data) small-init scale (x He)"},
    {.name = "steps",
     .type = CLI_LONG,
     .dest = &P.steps,
     .min = 1,
     .max = 100000000,
     .help = "MLP (latent data) GD steps"},
    {.name = "losses",
     .type = CLI_STRING,
     .dest = &P.losses,
     .help = "MNIST network: comma list of bt, simclr, vicreg"},
    {.name = "mlp-n", .type = CLI_INT, .dest = &P.mlp_n, .min = 4, .max = 60000, .help = "MNIST network: image pairs"},
    {.name = "mlp-width",
     .type = CLI_INT,
     .dest = &P.mlp_width,
     .min = 1,
     .max = 8192,
     .help = "MNIST network: hidden width"},
    {.name = "mlp-d",
     .type = CLI_INT,
     .dest = &P.mlp_d,
     .min = 1,
     .max = 16,
     .help = "MNIST network: embedding dimension"},
    {.name = "pool",
     .type = CLI_INT,
     .dest = &P.pool,
     .min = 1,
     .max = 4,
     .help = "MNIST network: average pooling of the images (2: 14 x 14)"},
    {.name = "mlp-init",
     .type = CLI_DOUBLE,
     .dest = &P.mlp_alpha,
     .min = 1e-8,
     .max = 100,
     .help = "MNIST network: small-init scale (x He)"},
    {.name = "mlp-lr",
     .type = CLI_DOUBLE,
     .dest = &P.mlp_lr,
     .min = 1e-8,
     .max = 100,
     .help = "MNIST network: GD step size, Barlow Twins"},
    {.name = "simclr-lr",
     .type = CLI_DOUBLE,
     .dest = &P.simclr_lr,
     .min = 1e-8,
     .max = 100,
     .help = "MNIST network: GD step size, SimCLR"},
    {.name = "vicreg-lr",
     .type = CLI_DOUBLE,
     .dest = &P.vicreg_lr,
     .min = 1e-8,
     .max = 100,
     .help = "MNIST network: GD step size, VICReg"},
    {.name = "bt-t",
     .type = CLI_DOUBLE,
     .dest = &P.bt_t,
     .min = 1e-3,
     .max = 1e7,
     .help = "MNIST network: run length t = eta step, BT small init"},
    {.name = "simclr-t",
     .type = CLI_DOUBLE,
     .dest = &P.simclr_t,
     .min = 1e-3,
     .max = 1e7,
     .help = "MNIST network: run length, SimCLR"},
    {.name = "vicreg-t",
     .type = CLI_DOUBLE,
     .dest = &P.vicreg_t,
     .min = 1e-3,
     .max = 1e7,
     .help = "MNIST network: run length, VICReg"},
    {.name = "tau",
     .type = CLI_DOUBLE,
     .dest = &P.tau,
     .min = 1e-3,
     .max = 1e3,
     .help = "MNIST network: NT-Xent temperature"},
    {0}};

int main(int argc, char **argv) {
    C = (cli){.slug = SLUG,
              .summary =
                  "Joint-embedding SSL from small init learns eigenmodes one at a time (Simon et al., "
                  "arXiv 2303.15438): linear model (exact dynamics), kernel version, ReLU networks with "
                  "Barlow Twins, SimCLR and VICReg.  Paper-like scale of the MNIST network: --part mlp-mnist "
                  "--mlp-n 1024 --mlp-width 256 (time and memory in paper-notes/stepwise-ssl.md).",
              .claims = "ssl.C1-C9",
              .opts = opts};
    cli_parse(&C, argc, argv);
    if (P.bt_original && !cli_given(&C, "lambda-off")) P.lambda_off = LOSS_BT_LAMBDA;
    int given = cli_any_given(&C);
    int do_all = strcmp(P.part, "all") == 0;
    int do_lin = do_all || !strcmp(P.part, "linear"), do_ker = do_all || !strcmp(P.part, "kernel"),
        do_mlp = do_all || !strcmp(P.part, "mlp"), do_net = do_all || !strcmp(P.part, "mlp-mnist");
    // The claim series C1-C4, C8 run in the whole-program run; a user's own series skips them.
    int do_claim_series =
        do_all &&
        (!given || (cli_given(&C, "part") && !cli_given(&C, "data") && !cli_given(&C, "d") && !cli_given(&C, "s0")));
    if (C.quick) {  // quick sizes (part 5 and 6 choose their own in their chapters)
        if (!cli_given(&C, "n")) P.n = 100;
        if (!cli_given(&C, "d")) P.d = 4;
        if (!cli_given(&C, "width")) P.width = 64;
    }
    // Cross-flag limits, checked before anything is computed or written.
    if (((do_lin && !strcmp(P.data, "mnist")) || do_ker) && P.first_image + P.n > 60000)
        cli_usage_error(&C, "--first-image %d + --n %d exceeds the 60000 MNIST training images", P.first_image, P.n);
    if (do_lin && !strcmp(P.data, "diag") && P.d > (P.m < N_EIG ? P.m : N_EIG))
        cli_usage_error(&C, "--d %d exceeds the %d eigenpairs kept of Gamma (--m %d)", P.d, P.m < N_EIG ? P.m : N_EIG,
                        P.m);
    if (do_ker && (2 * P.n < 10 || P.d > 2 * P.n))
        cli_usage_error(&C, "the kernel part needs --n >= 5 pairs and --d <= 2 n (got n = %d, d = %d)", P.n, P.d);
    int losses = do_net ? parse_losses(P.losses) : 0;
    if (do_net && losses < 0) cli_usage_error(&C, "--losses '%s': a comma list of bt, simclr, vicreg", P.losses);
    if (do_net && 28 % P.pool) cli_usage_error(&C, "--pool %d does not divide 28", P.pool);
    T0 = util_now();

    if (do_claim_series) {
        part_exact();        // 1. exact solution, diagonal Gamma (ssl.C1-C3)
        part_final_state();  // 2. final state and init-scale law, latent data (ssl.C4, C8)
        progress_done("claim series (diag, latent) done in %.1f s", util_now() - T0);
    }
    // Parts 3 and 4 share the MNIST pairs.
    pairs Dm = {0};
    int have_mnist = 0;
    if ((do_lin && !strcmp(P.data, "mnist")) || do_ker) {
        char err[512];
        if (mnist_available(C.mnist_dir)) {  // present but unreadable is a runtime failure
            if (make_mnist(&Dm, C.mnist_dir, C.seed, P.first_image, P.n, P.shift, P.aug_noise, err, sizeof err) != 0)
                DIE("%s", err);
            have_mnist = 1;
        }
        // a part the user asked for by name (--part linear/kernel, --data mnist): its data must be there
        if (!have_mnist && ((cli_given(&C, "part") && !do_all) || cli_given(&C, "data")))
            DIE("MNIST (%s/train-images-idx3-ubyte) is absent or unreadable, and --part %s%s needs it: run make data",
                C.mnist_dir, P.part, cli_given(&C, "data") ? " --data mnist" : "");
    }
    if (do_lin) part_linear(&Dm, have_mnist);  // 3. linear model on MNIST pairs, Fig. 1A/B (ssl.C5)
    if (do_ker) part_kernel(&Dm, have_mnist);  // 4. kernel version (ssl.C6)
    if (have_mnist) pairs_free(&Dm);
    if (do_mlp) part_mlp_latent();       // 5. ReLU network, Barlow Twins, latent data (ssl.C7)
    if (do_net) part_mlp_mnist(losses);  // 6. ReLU network on MNIST, three losses (ssl.C9)
    claim_summary(SLUG);
    return 0;
}
