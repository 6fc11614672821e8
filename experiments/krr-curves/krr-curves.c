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
// Algorithm:
//   1. E1 conservation: on the circle Z_10 and the 8-cube, for sampled training sets D, train
//      ridgeless KRR on every basis function and sum the D-learnabilities; compare with n (and
//      with Tr K(K+delta I)^{-1} at delta = 0.5).                         [krr.C1, krr.C2]
//   2. E2 cube parities: level-averaged learnabilities of the Walsh functions vs the
//      Krawtchouk-spectrum eigenframework; the exact per-draw bound n/C(d,k).       [krr.C3]
//   3. E3 sphere S^7, Laplace kernel, zonal-harmonic targets: Funk-Hecke spectrum + eigenframework
//      vs KRR on fresh test points; kappa estimated without the spectrum.    [krr.C4, krr.C6]
//   4. E4 MNIST 0v1 and 3v8, ReLU NTK: pool spectrum (M = 4096 images) vs KRR.  [krr.C5, C5b]
//   5. Power-law solver checks with 10^7 modes.                                       [krr.C7]
//   6. E5 deep bootstrap: test/train MSE vs effective time tau = n/delta, theory and a
//      Gaussian-design simulation.                                         [krr.C8, krr.C9]
//
// Writes (to --out, default figures/data/krr-curves/): conservation.tsv, conservation_cube.tsv,
// learning_<panel>.tsv and theory_<panel>.tsv for panels cube, sphere, mnist_0v1, mnist_3v8,
// spectra.tsv, kappa.tsv, powerlaw.tsv, bootstrap_theory.tsv, bootstrap_sim.tsv.
//
// Run: build/krr-curves (default: ~62 s of CPU, single thread), build/krr-curves --quick (~1.3 s), or one
// learning curve: build/krr-curves --domain sphere --dim 5 --kernel gaussian --bandwidth 0.7
// --n-list 16,64,256 --trials 10.  Figures: scripts/make-figure krr-curves.
#define _GNU_SOURCE
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "claim.h"
#include "cli.h"
#include "eigenframework.h"
#include "idx.h"
#include "mnist.h"
#include "kernel.h"
#include "krr.h"
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
    const char *domain;  // circle|cube|sphere|mnist|bootstrap (panel mode)
    int dim;             // cube: d <= 12 (default 8); sphere: S^{d-1} (default 8)
    const char *kernel;  // laplace|gaussian|ntk (domain default if not given)
    double bandwidth;    // l
    int depth;           // L hidden layers (ntk)
    double wstd, bstd;   // sigma_w, sigma_b (ntk)
    double ridge;        // delta (absolute)
    double noise;        // eps^2 (variance)
    int trials;          // independent training sets per n
    int ntest;           // sphere: fresh test points per trial
    cli_ilist n_list;    // training-set sizes
    cli_ilist degrees;   // sphere: zonal target degrees
    const char *task;    // MNIST task "3v8", "0v1" or "A-B"
    int pool;            // MNIST: M images for the theory spectrum
    const char *design;  // sphere: "sphere" (real points) or "gaussian" (Gaussian-design control)
};
static struct params P = {
    .domain = "sphere", .dim = 8, .kernel = "laplace", .bandwidth = 1.0, .depth = 4,
    .wstd = 1.41421356237309505, .bstd = 0.1, .ridge = 0.0, .noise = 0.0, .trials = 20, .ntest = 2000,
    .n_list = {9, {8, 16, 32, 64, 128, 256, 512, 1024, 2048}}, .degrees = {4, {1, 2, 3, 4}},
    .task = "3v8", .pool = 4096, .design = "sphere"};
// The MNIST theory pool.  The pool theory is asserted for n <= M/8; M = 4096 puts n = 512 (the
// largest asserted n of the paper-scale figure at our size) exactly on that bound.
#define MNIST_POOL 4096

static cli_opt opts[] = {
    {"domain", CLI_CHOICE, &P.domain, 0, 0, "panel mode: circle|cube|sphere|mnist|bootstrap", "circle|cube|sphere|mnist|bootstrap", 0},
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
    {"design", CLI_CHOICE, &P.design, 0, 0, "sphere panel: real points on the sphere, or a Gaussian-design control with "
     "the same spectrum (multiplicities included)", "sphere|gaussian", 0},
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

// ---- theory: the eigenframework ----
//
// $\kappa$ solves $\sum_i m_i \lambda_i/(\lambda_i+\kappa) + \delta/\kappa = n$; then
// $\mathcal{L}_i = \lambda_i/(\lambda_i+\kappa)$, $E_0 = n/(n-\sum_i m_i\mathcal{L}_i^2)$ and,
// for a target that is a single unit-norm eigenfunction of level $k$ (our cube, sphere targets),
// the clean-target test MSE is $E_0(1-\mathcal{L}_k)^2 + (E_0-1)\epsilon^2$.  The solver
// (common/eigenframework) works in $\log\kappa$ inside a rigorous bracket and forms $1-\mathcal{L}$
// and the $E_0$ denominator without cancellation.
static ef_fit solve_or_die(const ef_spectrum *s, double n, double delta) {
    ef_fit f;
    int st = ef_solve(s, n, delta, &f);
    if (st) DIE("eigenframework at n = %g, delta = %g: %s; use a ridge or smaller n", n, delta, ef_strerror(st));
    return f;
}
// L and clean MSE for the unit-norm eigenfunction target at level k.
static void theory_level(const ef_spectrum *s, double n, double delta, double eps2, int k, double *L, double *mse) {
    ef_fit f = solve_or_die(s, n, delta);
    double omL = ef_1mL(s->lam[k], f.kappa);
    *L = ef_L(s->lam[k], f.kappa);
    *mse = f.E0 * omL * omL + (f.E0 - 1) * eps2;
}

// ---- the ridgeless interpolation check ----
//
// At $\delta = 0$ KRR interpolates: $\hat f(x_i) = y_i$ exactly.  A Gram matrix that is
// numerically singular can still pass Cholesky and then return a wrong $\alpha$ that no longer
// fits the labels (Gaussian kernels with a wide $\ell$).  So every ridgeless solve on data is
// checked: $\sum_i(\hat f(x_i)-y_i)^2 / \sum_i y_i^2 \le 10^{-8}$ per target.  We divide
// by the mean squared label rather than its variance over $D$: the constant Walsh function has
// zero variance.  A failure stops the run (exit 1) naming the panel and $n$.
#define TRAIN_TOL 1e-8

// Worst over the nrhs targets of sum_i (pred - y)^2 / sum_i y^2 on the training rows: rows D[i]
// of pred and Y (both (., nrhs)), or rows 0..n-1 when D is NULL.  NaN propagates.
static double train_ratio(int n, const size_t *D, int nrhs, const double *pred, const double *Y) {
    double worst = 0;
    for (int q = 0; q < nrhs; q++) {
        double r2 = 0, y2 = 0;
        for (int i = 0; i < n; i++) {
            size_t row = D ? D[i] : (size_t)i;
            double y = Y[row * nrhs + q], e = pred[row * nrhs + q] - y;
            r2 += e * e, y2 += y * y;
        }
        if (y2 > 0 && !(r2 / y2 <= worst)) worst = r2 / y2;
    }
    return worst;
}
// Records the ratio in *worst and stops the run if it exceeds TRAIN_TOL.
static void train_check(double ratio, const char *panel, int n, double *worst) {
    if (!(ratio <= *worst)) *worst = ratio;
    if (!(ratio <= TRAIN_TOL))
        DIE("%s n = %d: ridgeless train MSE / mean y^2 = %.3g > %g: the Gram matrix is numerically singular "
            "and the solve does not interpolate; try --ridge > 0, a different --bandwidth, or a smaller n",
            panel, n, ratio, TRAIN_TOL);
}
static void train_report(const char *panel, double worst) {
    printf("# %s: worst ridgeless train MSE / mean y^2 = %.3g (bound %g)\n", panel, worst, TRAIN_TOL);
}

// One learning-curve record, accumulated over trials.
typedef struct {
    int n, target, trials;
    double L_th, mse_th;
    double *L, *mse;  // (trials)
    int beyond;       // MNIST: n > M/8 (theory from a pool spectrum not asserted there)
} lc_row;

static void write_learning(const char *panel, const char *claims, lc_row *rows, int nrows, const char *note) {
    char name[128];
    snprintf(name, sizeof name, "learning_%s.tsv", panel);
    tsv *t = tsv_open(&C, name, claims);
    tsv_note(t, "%s", note);
    tsv_note(t, "L_exp: D-learnability <f_hat, f>/<f, f> on test points; mse_*: MSE vs the clean target; *_se: "
                "standard error over trials");
    tsv_columns(t, "n\ttarget\tL_theory\tL_exp\tL_se\tmse_theory\tmse_exp\tmse_se\tratio\ttrials\tbeyond_pool");
    for (int i = 0; i < nrows; i++) {
        lc_row *r = &rows[i];
        double me = fit_mean(r->mse, r->trials);
        tsv_row(t, "%d\t%d\t%.10g\t%.10g\t%.4g\t%.10g\t%.10g\t%.4g\t%.6g\t%d\t%d", r->n, r->target, r->L_th,
                fit_mean(r->L, r->trials), fit_stderr(r->L, r->trials), r->mse_th, me,
                fit_stderr(r->mse, r->trials), me / r->mse_th, r->trials, r->beyond);
    }
    tsv_close(t);
}

// Dense theory grid (50 log-spaced, non-integer n: the equations accept any n > 0).
typedef void (*theory_fn)(double n, int target, double *L, double *mse, void *par);
static void write_theory(const char *panel, const char *claims, double n0, double n1, const int *targets, int nt,
                         theory_fn fn, void *par) {
    char name[128];
    snprintf(name, sizeof name, "theory_%s.tsv", panel);
    tsv *t = tsv_open(&C, name, claims);
    tsv_columns(t, "n\ttarget\tL_theory\tmse_theory");
    for (int q = 0; q < nt; q++) {
        for (int i = 0; i < 50; i++) {
            double n = n0 * pow(n1 / n0, i / 49.0), L, mse;
            fn(n, targets[q], &L, &mse, par);
            tsv_row(t, "%.8g\t%d\t%.10g\t%.10g", n, targets[q], L, mse);
        }
    }
    tsv_close(t);
}

// ---- experiment E1: the conservation law on the circle Z_10 ----
//
// For a fixed training set $D$ and target $g$, KRR on the noiseless labels $g(D)$ gives
// $\hat f_g$ and the D-learnability $\mathcal{L}^{(D)}(g) = \langle g,\hat f_g\rangle/\langle g,g\rangle$.
// On a finite domain $X$ with uniform $\mu$, $\langle g,\hat f_g\rangle = \frac1M g_X^\top K_{XD}
// (K_{DD}+\delta I)^{-1} g_D$, and completeness of any orthonormal basis gives
// $\sum_j \mathcal{L}^{(D)}(g_j) = \mathrm{Tr}[K_{DD}(K_{DD}+\delta I)^{-1}]$, which is $n$
// ridgeless.  We evaluate every term explicitly: all basis functions are right-hand sides of one
// Cholesky solve, and the predictions on the whole domain are one GEMM.
//
// D-learnabilities of the columns of G (|X| x nb, orthonormal basis functions on X):
// Lout[j] = (1/|X|) sum_x G[x,j] f_hat_j(x).  K is the |X| x |X| Gram matrix.
static int d_learnabilities(int Xn, const double *K, const double *G, int nb, const size_t *D, int n, double delta,
                            double *Lout, double *pred) {
    double *KDD = xmalloc((size_t)n * n, sizeof *KDD), *KXD = xmalloc((size_t)Xn * n, sizeof *KXD);
    double *A = xmalloc((size_t)n * nb, sizeof *A);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) KDD[(size_t)i * n + j] = K[D[i] * Xn + D[j]];
        for (int b = 0; b < nb; b++) A[(size_t)i * nb + b] = G[D[i] * nb + b];
    }
    for (int x = 0; x < Xn; x++)
        for (int j = 0; j < n; j++) KXD[(size_t)x * n + j] = K[(size_t)x * Xn + D[j]];
    int info = krr_solve(n, KDD, delta, nb, A, Xn, KXD, pred);  // pred (Xn, nb)
    if (info == 0)
        for (int b = 0; b < nb; b++) {
            double s = 0;
            for (int x = 0; x < Xn; x++) s += G[(size_t)x * nb + b] * pred[(size_t)x * nb + b];
            Lout[b] = s / Xn;
        }
    free(KDD), free(KXD), free(A);
    return info;
}

// The right side of the law: Tr[K_DD (K_DD + delta I)^{-1}] = n - delta Tr[(K_DD + delta I)^{-1}]
// (n exactly when delta = 0), computed independently of the basis by dpotrf + dpotri.
static double trace_ratio(int Xn, const double *K, const size_t *D, int n, double delta) {
    if (delta == 0) return n;
    double *KDD = xmalloc((size_t)n * n, sizeof *KDD), tr;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) KDD[(size_t)i * n + j] = K[D[i] * Xn + D[j]];
    int info = krr_trace_inverse(n, KDD, delta, &tr);
    if (info) DIE("Tr (K + delta I)^{-1}: Cholesky failed (info %d)", info);
    free(KDD);
    return n - delta * tr;
}

typedef struct {
    double worst_rel;  // max |sum L - n| / n (krr.C1)
    int draws;
} cons_stats;

static void e1_circle(tsv *t, const int *ns, int nn, double delta, cons_stats *st, double *train_worst) {
    const int M = 10;
    // points (cos th_j, sin th_j); real Fourier basis: 1, sqrt2 cos k th, sqrt2 sin k th (k < M/2),
    // cos(pi j) at k = M/2.  Columns ordered by frequency.
    double X[20], G[100], K[100], L[10], pred[100];
    int freq[10];
    for (int j = 0; j < M; j++) {
        double th = 2 * M_PI * j / M;
        X[2 * j] = cos(th), X[2 * j + 1] = sin(th);
        int b = 0;
        G[j * M + b] = 1, freq[b++] = 0;
        for (int k = 1; k < M / 2; k++) {
            G[j * M + b] = M_SQRT2 * cos(k * th), freq[b++] = k;
            G[j * M + b] = M_SQRT2 * sin(k * th), freq[b++] = k;
        }
        G[j * M + b] = cos(M_PI * j), freq[b++] = M / 2;
    }
    struct {
        const char *name;
        double bw;
    } ks[3] = {{"laplace", 1.0}, {"gaussian", 0.5}, {"ntk", 1.0}};
    for (int q = 0; q < 3; q++) {
        kernel_spec k = kspec(ks[q].name, ks[q].bw);
        kernel_gram_sym(&k, M, 2, X, K);
        for (int a = 0; a < nn; a++) {
            int n = ns[a];
            gsl_rng *r = rng_alloc(C.seed, 100 + 10 * q + a);
            size_t D[10];
            rng_subset(r, M, n, D);
            rng_free(r);
            int info = d_learnabilities(M, K, G, M, D, n, delta, L, pred);
            if (info) DIE("circle %s n = %d: Cholesky failed (info %d); the Gram matrix is singular", ks[q].name, n, info);
            if (delta == 0) train_check(train_ratio(n, D, M, pred, G), "circle", n, train_worst);
            double S = 0, ref = trace_ratio(M, K, D, n, delta);
            for (int b = 0; b < M; b++) {
                S += L[b];
                tsv_row(t, "%s\t%d\t%d\t%d\t%.15g", ks[q].name, n, b, freq[b], L[b]);
            }
            double rel = fabs(S - ref) / ref;
            if (rel > st->worst_rel) st->worst_rel = rel;
            st->draws++;
        }
    }
}

// ---- experiment E1/E2: the hypercube, conservation and parities ----
//
// On $\{-1,1\}^d$ with uniform $\mu$, a kernel of the Hamming distance $h$ has the Walsh
// functions $\chi_S(x) = \prod_{a\in S} x_a$ as eigenfunctions, with level eigenvalues from the
// Krawtchouk transform and multiplicity $\binom{d}{k}$ at level $k = |S|$.  For an
// eigenfunction, $\mathcal{L}^{(D)}(\phi) = \lambda\,\phi_D^\top(K_{DD}+\delta I)^{-1}\phi_D \in
// [0,1]$, so summing a level gives, for EVERY $D$ (ridgeless),
// $\mathrm{mean}_{|S|=k}\,\mathcal{L}^{(D)}(\chi_S) \le n/\binom{d}{k}$: high-order parities cannot
// all be learned (the generalised parity-hardness bound).  The Euclidean kernels are evaluated on
// the $\pm1$ vectors, where $\|x-x'\|^2 = 4h$ (so Laplace with $\ell = 2$ is $e^{-\sqrt h}$).
typedef struct {
    int d, N;
    kernel_spec k;
    double lam[65], mult[65];
    ef_spectrum s;
    double *K, *G;  // (N,N) Gram matrix of all vertices; Walsh matrix G[x,S] = chi_S(x)
    int *level;     // (N) |S|
} cube;

static void cube_init(cube *c, int d, kernel_spec k) {
    c->d = d, c->N = 1 << d, c->k = k;
    double g[65];
    spectra_cube_profile(&k, d, g);
    spectra_cube_levels(d, g, c->lam);
    for (int q = 0; q <= d; q++) c->mult[q] = gsl_sf_choose(d, q);
    c->s = (ef_spectrum){.M = (size_t)d + 1, .lam = c->lam, .mult = c->mult};
    int N = c->N;
    double *X = xmalloc((size_t)N * d, sizeof *X);
    for (int v = 0; v < N; v++) rng_cube_vertex(v, d, X + (size_t)v * d);
    c->K = xmalloc((size_t)N * N, sizeof *c->K);
    kernel_gram_sym(&k, N, d, X, c->K);
    c->G = xmalloc((size_t)N * N, sizeof *c->G);
    c->level = xmalloc((size_t)N, sizeof *c->level);
    for (int S = 0; S < N; S++) c->level[S] = __builtin_popcount(S);
    for (int x = 0; x < N; x++)
        for (int S = 0; S < N; S++) c->G[(size_t)x * N + S] = (__builtin_popcount(x & S) & 1) ? -1.0 : 1.0;
    free(X);
}
static void cube_free(cube *c) { free(c->K), free(c->G), free(c->level); }

typedef struct {
    double worst_C3a, worst_C3a_n8;  // max |mean L_level - L_th| for n >= 16, and at n <= 8
    double worst_C3b;                // max violation of the bound / of [0,1] (<= 0 means none)
    int C3a_n16_rows, C3a_n8_rows;
} parity_stats;

// Runs `draws` training sets at each n; fills rows (n, level) for L (level mean) and the parity
// MSE of chi_{1..k}; conservation sums go to tc (ridgeless, and at delta2 > 0 if given).
static void e2_cube(cube *c, const int *ns, int nn, int draws, double delta, lc_row *rows, parity_stats *ps,
                    tsv *tc, cons_stats *c1, double delta2, cons_stats *c2, double *train_worst) {
    int N = c->N, d = c->d;
    double *L = xmalloc((size_t)N, sizeof *L), *pred = xmalloc((size_t)N * N, sizeof *pred);
    size_t *D = xmalloc((size_t)N, sizeof *D);
    double lev[65];
    for (int a = 0; a < nn; a++) {
        int n = ns[a];
        ef_fit f = solve_or_die(&c->s, n, delta);
        for (int k = 0; k <= d; k++) {
            lc_row *r = &rows[a * (d + 1) + k];
            r->n = n, r->target = k, r->trials = draws;
            r->L_th = ef_L(c->lam[k], f.kappa);
            double omL = ef_1mL(c->lam[k], f.kappa);
            r->mse_th = f.E0 * omL * omL;
            r->L = xmalloc((size_t)draws, sizeof(double));
            r->mse = xmalloc((size_t)draws, sizeof(double));
        }
        for (int t = 0; t < draws; t++) {
            gsl_rng *rg = rng_alloc(C.seed, 200000 + 1000 * (uint64_t)n + t);
            rng_subset(rg, N, n, D);
            rng_free(rg);
            for (int pass = 0; pass < (delta2 > 0 && tc ? 2 : 1); pass++) {
                double dl = pass ? delta2 : delta;
                int info = d_learnabilities(N, c->K, c->G, N, D, n, dl, L, pred);
                if (info) DIE("cube n = %d: Cholesky of K_DD + %g I failed (info %d): singular Gram matrix", n, dl, info);
                if (dl == 0) train_check(train_ratio(n, D, N, pred, c->G), "cube", n, train_worst);
                double S = 0, ref = trace_ratio(N, c->K, D, n, dl);
                for (int j = 0; j < N; j++) S += L[j];
                cons_stats *cs = pass ? c2 : c1;
                if (cs) {
                    double rel = fabs(S - ref) / ref;
                    if (rel > cs->worst_rel) cs->worst_rel = rel;
                    cs->draws++;
                }
                if (tc) tsv_row(tc, "%d\t%g\t%d\t%.15g\t%.15g", n, dl, t, S, ref);
                if (pass) continue;
                for (int k = 0; k <= d; k++) lev[k] = 0;
                for (int j = 0; j < N; j++) {
                    lev[c->level[j]] += L[j];
                    // krr.C3b: every L^(D)(chi_S) in [0, 1] (ridgeless, exact up to rounding)
                    double v = fmax(-L[j], L[j] - 1);
                    if (v > ps->worst_C3b) ps->worst_C3b = v;
                }
                for (int k = 0; k <= d; k++) {
                    lev[k] /= c->mult[k];
                    if (delta == 0) {  // the bound n / C(d,k) holds ridgeless
                        double v = lev[k] - n / c->mult[k];
                        if (v > ps->worst_C3b) ps->worst_C3b = v;
                    }
                    lc_row *r = &rows[a * (d + 1) + k];
                    r->L[t] = lev[k];
                    // parity chi_{1..k} is the column S = 2^k - 1; population MSE over all vertices
                    int Sk = (1 << k) - 1;
                    double m = 0;
                    for (int x = 0; x < N; x++) {
                        double e = pred[(size_t)x * N + Sk] - c->G[(size_t)x * N + Sk];
                        m += e * e;
                    }
                    r->mse[t] = m / N;
                }
            }
        }
        for (int k = 0; k <= d; k++) {
            lc_row *r = &rows[a * (d + 1) + k];
            double dev = fabs(fit_mean(r->L, draws) - r->L_th);
            if (n >= 16) {
                if (dev > ps->worst_C3a) ps->worst_C3a = dev;
                ps->C3a_n16_rows++;
            } else {
                if (dev > ps->worst_C3a_n8) ps->worst_C3a_n8 = dev;
                ps->C3a_n8_rows++;
            }
        }
        progress("cube d=%d: n = %d done", d, n);
    }
    free(L), free(pred), free(D);
}

typedef struct {
    cube *c;
    double delta;
} cube_th_par;
static void cube_theory(double n, int k, double *L, double *mse, void *par) {
    cube_th_par *q = par;
    theory_level(&q->c->s, n, q->delta, 0.0, k, L, mse);
}

// ---- experiment E3: sphere learning curves ----
//
// On $S^{d-1}$ a dot-product kernel has the spherical harmonics as eigenfunctions; Funk–Hecke gives
// $\lambda_k = c_d\int_0^\pi K(\cos\theta) P_k^{(d)}(\cos\theta)\sin^{d-2}\theta\,d\theta$ with
// multiplicity $N(d,k)$.  The targets are the unit-norm zonal harmonics
// $f_k(x) = \sqrt{N(d,k)}\,P_k^{(d)}(x_1)$, fitted jointly as right-hand sides of one Cholesky.
// The spectrum is kept to $k_{max}$ levels; the missing mass $K(1)-\sum_{k\le k_{max}} N\lambda_k$
// enters as extra ridge.
typedef struct {
    int d, kmax;
    kernel_spec k;
    double *lam, *mult, tail;
    ef_spectrum s;
} sphere;

static void sphere_init(sphere *sp, int d, kernel_spec k, int kmax, int nodes) {
    sp->d = d, sp->kmax = kmax, sp->k = k;
    sp->lam = xmalloc((size_t)kmax + 1, sizeof(double));
    sp->mult = xmalloc((size_t)kmax + 1, sizeof(double));
    spectra_sphere *w = spectra_sphere_alloc(d, kmax, nodes);
    if (!w) DIE("sphere spectrum: bad sizes d = %d kmax = %d", d, kmax);
    spectra_sphere_kernel(w, &k, 1.0, sp->lam);
    spectra_sphere_free(w);
    // The Gaussian by its Bessel closed form instead: its levels fall below the quadrature's
    // noise floor (~1e-18 per level) after a few k when l is wide, and that noise times the
    // multiplicities of 400 levels acts as a fake tail (l = 10 on S^7: mass 7e-8, kappa 2e-10
    // instead of 4e-15, L_4(512) = 0.004 instead of 0.994).  Levels below 1e-300 are zero.
    if (k.type == KERNEL_GAUSSIAN) {
        gsl_error_handler_t *h = gsl_set_error_handler_off();  // Bessel/Gamma underflow far in the tail
        int q = 0;
        for (; q <= kmax; q++)
            if (!((sp->lam[q] = spectra_sphere_gaussian(d, q, 1 / (k.bandwidth * k.bandwidth))) >= 1e-300)) break;
        for (; q <= kmax; q++) sp->lam[q] = 0;
        gsl_set_error_handler(h);
    }
    double S = 0;
    for (int q = 0; q <= kmax; q++) {
        sp->mult[q] = spectra_sphere_multiplicity(d, q);
        if (sp->lam[q] < 0) sp->lam[q] = 0;  // quadrature noise far in the tail (|lam| < 1e-16)
        S += sp->mult[q] * sp->lam[q];
    }
    sp->tail = fmax(0.0, kernel_sphere_profile(&k, 1.0, 1.0, d) - S);
    sp->s = (ef_spectrum){.M = (size_t)kmax + 1, .lam = sp->lam, .mult = sp->mult, .extra_ridge = sp->tail};
}
static void sphere_free(sphere *sp) { free(sp->lam), free(sp->mult); }

typedef struct {
    sphere *sp;
    double delta, eps2;
} sphere_th_par;
static void sphere_theory(double n, int k, double *L, double *mse, void *par) {
    sphere_th_par *q = par;
    theory_level(&q->sp->s, n, q->delta, q->eps2, k, L, mse);
}

static double zonal(int d, int k, double t, double *Pbuf) {
    spectra_gegenbauer(d, k, t, Pbuf);
    return sqrt(spectra_sphere_multiplicity(d, k)) * Pbuf[k];
}

static void e3_sphere(sphere *sp, const int *ns, int nn, const int *deg, int ndeg, int trials, int ntest,
                      double delta, double eps2, lc_row *rows, double *train_worst) {
    int d = sp->d, kmaxdeg = 0;
    for (int q = 0; q < ndeg; q++) kmaxdeg = deg[q] > kmaxdeg ? deg[q] : kmaxdeg;
    double *Pbuf = xmalloc((size_t)kmaxdeg + 2, sizeof *Pbuf);
    for (int a = 0; a < nn; a++) {
        int n = ns[a];
        double *X = xmalloc((size_t)n * d, sizeof *X), *T = xmalloc((size_t)ntest * d, sizeof *T);
        double *K = xmalloc((size_t)n * n, sizeof *K), *Kt = xmalloc((size_t)ntest * n, sizeof *Kt);
        double *Y = xmalloc((size_t)n * ndeg, sizeof *Y), *F = xmalloc((size_t)ntest * ndeg, sizeof *F);
        double *pred = xmalloc((size_t)ntest * ndeg, sizeof *pred);
        // ridgeless: copies of K and Y for the interpolation check (krr_solve overwrites both)
        double *K0 = delta == 0 ? xmalloc((size_t)n * n, sizeof *K0) : NULL;
        double *Y0 = delta == 0 ? xmalloc((size_t)n * ndeg, sizeof *Y0) : NULL, *fD = delta == 0 ? xmalloc((size_t)n * ndeg, sizeof *fD) : NULL;
        for (int q = 0; q < ndeg; q++) {
            lc_row *r = &rows[a * ndeg + q];
            r->n = n, r->target = deg[q], r->trials = trials;
            theory_level(&sp->s, n, delta, eps2, deg[q], &r->L_th, &r->mse_th);
            r->L = xmalloc((size_t)trials, sizeof(double));
            r->mse = xmalloc((size_t)trials, sizeof(double));
        }
        for (int t = 0; t < trials; t++) {
            gsl_rng *rg = rng_alloc(C.seed, 300000 + 1000 * (uint64_t)n + t);
            for (int i = 0; i < n; i++) rng_sphere(rg, d, X + (size_t)i * d);
            for (int i = 0; i < ntest; i++) rng_sphere(rg, d, T + (size_t)i * d);
            for (int i = 0; i < n; i++)
                for (int q = 0; q < ndeg; q++)
                    Y[i * ndeg + q] = zonal(d, deg[q], X[(size_t)i * d], Pbuf) + (eps2 > 0 ? sqrt(eps2) * rng_normal(rg) : 0);
            for (int i = 0; i < ntest; i++)
                for (int q = 0; q < ndeg; q++) F[i * ndeg + q] = zonal(d, deg[q], T[(size_t)i * d], Pbuf);
            rng_free(rg);
            kernel_gram_sym(&sp->k, n, d, X, K);
            kernel_gram(&sp->k, ntest, n, d, T, X, Kt);
            if (K0) memcpy(K0, K, (size_t)n * n * sizeof *K), memcpy(Y0, Y, (size_t)n * ndeg * sizeof *Y);
            int info = krr_solve(n, K, delta, ndeg, Y, ntest, Kt, pred);
            if (info)
                DIE("sphere n = %d: Cholesky of K + %g I failed (info %d); the Gram matrix is numerically singular: "
                    "use --ridge or a wider Laplace kernel", n, delta, info);
            if (K0) {  // f_hat(D) = K alpha
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, ndeg, n, 1.0, K0, n, Y, ndeg, 0.0, fD, ndeg);
                train_check(train_ratio(n, NULL, ndeg, fD, Y0), "sphere", n, train_worst);
            }
            for (int q = 0; q < ndeg; q++) {
                double m = 0, fy = 0, ff = 0;
                for (int i = 0; i < ntest; i++) {
                    double p = pred[i * ndeg + q], f = F[i * ndeg + q];
                    m += (p - f) * (p - f), fy += p * f, ff += f * f;
                }
                rows[a * ndeg + q].mse[t] = m / ntest;
                rows[a * ndeg + q].L[t] = fy / ff;
            }
        }
        progress("sphere d=%d: n = %d done", d, n);
        free(X), free(T), free(K), free(Kt), free(Y), free(F), free(pred), free(K0), free(Y0), free(fD);
    }
    free(Pbuf);
}

// A Gaussian-design control with the sphere's own spectrum.  The eigenframework is exact in
// expectation only for Gaussian features (its derivation assumes them); on the sphere the
// eigenfunctions are spherical harmonics, bounded but not Gaussian.  To tell a failure of the
// equations from a failure of Gaussian universality, replace the points by Gaussian features with
// the identical spectrum: levels $0..k_c$ explicit, feature $j$ of level $k$ is
// $\sqrt{\lambda_k}\,g_j$ with $g\sim N(0,I)$ and each level repeated $N(d,k)$ times; the levels
// beyond $k_c$ (and the sphere's own tail) enter as the ridge $T$ they would contribute on average.
// The target of degree $k$ is the first feature of level $k$ (unit norm, like the zonal harmonic),
// and the clean test MSE is exact: $\sum_j (\sqrt{\lambda_j}\hat\beta_j - v_j)^2$.
static void e3_gaussian_design(sphere *sp, const int *ns, int nn, const int *deg, int ndeg, int trials, double delta,
                               double eps2, lc_row *rows) {
    for (int a = 0; a < nn; a++) {
        int n = ns[a], kc = 0;
        long Pf = 0;
        for (int q = 0; q < ndeg; q++) kc = deg[q] > kc ? deg[q] : kc;
        for (int q = 0; q <= sp->kmax; q++) {  // at least all target levels and 4n + 500 features
            Pf += (long)sp->mult[q];
            if (q >= kc && Pf >= 4L * n + 500) { kc = q; break; }
            kc = q;
        }
        if (Pf > 40000) DIE("--design gaussian: n = %d needs %ld features; use n <= 2048", n, Pf);
        double *lam = xmalloc((size_t)Pf, sizeof *lam), T = sp->tail;
        int *start = xmalloc((size_t)kc + 1, sizeof *start);
        for (int q = 0, j = 0; q <= sp->kmax; q++) {
            if (q <= kc) {
                start[q] = j;
                for (int m = 0; m < (int)sp->mult[q]; m++) lam[j++] = sp->lam[q];
            } else T += sp->mult[q] * sp->lam[q];
        }
        double *X = xmalloc((size_t)n * Pf, sizeof *X), *K = xmalloc((size_t)n * n, sizeof *K);
        double *Y = xmalloc((size_t)n * ndeg, sizeof *Y), *al = xmalloc((size_t)n * ndeg, sizeof *al);
        double *beta = xmalloc((size_t)Pf, sizeof *beta);
        for (int q = 0; q < ndeg; q++) {
            lc_row *r = &rows[a * ndeg + q];
            r->n = n, r->target = deg[q], r->trials = trials;
            theory_level(&sp->s, n, delta, eps2, deg[q], &r->L_th, &r->mse_th);
            r->L = xmalloc((size_t)trials, sizeof(double));
            r->mse = xmalloc((size_t)trials, sizeof(double));
        }
        for (int t = 0; t < trials; t++) {
            gsl_rng *rg = rng_alloc(C.seed, 350000 + 1000 * (uint64_t)n + t);
            rng_normal_vec(rg, (size_t)n * Pf, X);  // G
            for (int i = 0; i < n; i++)
                for (int q = 0; q < ndeg; q++)
                    Y[i * ndeg + q] = X[(size_t)i * Pf + start[deg[q]]] + (eps2 > 0 ? sqrt(eps2) * rng_normal(rg) : 0);
            rng_free(rg);
            for (int i = 0; i < n; i++)
                for (long j = 0; j < Pf; j++) X[(size_t)i * Pf + j] *= sqrt(lam[j]);
            cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, (int)Pf, 1.0, X, (int)Pf, 0.0, K, n);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++) K[(size_t)j * n + i] = K[(size_t)i * n + j];
            memcpy(al, Y, (size_t)n * ndeg * sizeof *al);
            int info = krr_solve(n, K, delta + T, ndeg, al, 0, NULL, NULL);
            if (info) DIE("--design gaussian n = %d: Cholesky failed (info %d); give --ridge", n, info);
            for (int q = 0; q < ndeg; q++) {
                cblas_dgemv(CblasRowMajor, CblasTrans, n, (int)Pf, 1.0, X, (int)Pf, al + q, ndeg, 0.0, beta, 1);
                double e = 0, fy = 0;
                for (long j = 0; j < Pf; j++) {
                    double b = sqrt(lam[j]) * beta[j], v = j == start[deg[q]] ? 1.0 : 0.0;
                    e += (b - v) * (b - v), fy += b * v;
                }
                rows[a * ndeg + q].mse[t] = e, rows[a * ndeg + q].L[t] = fy;
            }
        }
        progress("sphere d=%d, Gaussian design (%ld features, levels <= %d): n = %d done", sp->d, Pf, kc, n);
        free(lam), free(start), free(X), free(K), free(Y), free(al), free(beta);
    }
}

// κ without a spectrum: $\kappa \approx 1/\mathbb{E}_D\,\mathrm{Tr}[(K_{DD}+\delta I)^{-1}]$.
// Returns the worst |estimate/theory - 1|.
static double c6_kappa(sphere *sp, const int *ns, int nn, int draws, tsv *t) {
    double worst = 0, deltas[2] = {0.0, 0.1};
    int d = sp->d;
    for (int a = 0; a < nn; a++) {
        int n = ns[a];
        double *X = xmalloc((size_t)n * d, sizeof *X), *K = xmalloc((size_t)n * n, sizeof *K);
        double *Kc = xmalloc((size_t)n * n, sizeof *Kc), tr[2] = {0, 0};
        for (int q = 0; q < draws; q++) {
            gsl_rng *rg = rng_alloc(C.seed, 400000 + 1000 * (uint64_t)n + q);
            for (int i = 0; i < n; i++) rng_sphere(rg, d, X + (size_t)i * d);
            rng_free(rg);
            kernel_gram_sym(&sp->k, n, d, X, K);
            for (int b = 0; b < 2; b++) {
                double v;
                memcpy(Kc, K, (size_t)n * n * sizeof *K);
                int info = krr_trace_inverse(n, Kc, deltas[b], &v);
                if (info) DIE("kappa estimate n = %d: Cholesky failed (info %d)", n, info);
                tr[b] += v / draws;
            }
        }
        for (int b = 0; b < 2; b++) {
            ef_fit f = solve_or_die(&sp->s, n, deltas[b]);
            double est = 1 / tr[b], r = est / f.kappa;
            if (fabs(r - 1) > worst) worst = fabs(r - 1);
            tsv_row(t, "%d\t%g\t%.10g\t%.10g\t%.6f", n, deltas[b], f.kappa, est, r);
        }
        free(X), free(K), free(Kc);
    }
    return worst;
}

// ---- experiment E4: MNIST learning curves from a pool spectrum ----
//
// Real data have no closed-form spectrum.  We estimate it on a pool $A$ of $M$ images:
// $\lambda_i = \mathrm{eig}(K_{AA})/M$ and $v_i = U_{:,i}^\top y_A/\sqrt M$ (so $\sum v_i^2 = 1$
// for $\pm1$ labels), then compare with KRR trained on disjoint images from pool $B$ and tested on
// the test-set images of the two digits.  The pool theory is trusted for $n \le M/8$ only.
// Images: $x \mapsto (x/255 - m)/s$ with $m, s$ the mean and standard deviation of all training
// pixels; labels $+1$ for the first digit and $-1$ for the second.  To save kernel evaluations,
// one trial's training sets are nested prefixes of one random subset of $B$ (each is still a
// uniform draw without replacement), and $K(\mathrm{test}, B)$ is computed once.
// MNIST as raw bytes through idx.h's checked parser: converting all 47M training pixels to
// doubles (mnist_load) costs more than the whole --quick run; we convert only the images used.
typedef struct {
    int n, d;
    const unsigned char *x, *y;  // (n, d) pixels 0..255, (n) labels
    unsigned char *bx, *by;      // file buffers
} mnist_bytes;

static void mnist_bytes_load(const char *dir, int train, mnist_bytes *mb) {
    char path[2][1024], err[512];
    const char *stem = train ? "train" : "t10k";
    snprintf(path[0], sizeof path[0], "%s/%s-images-idx3-ubyte", dir, stem);
    snprintf(path[1], sizeof path[1], "%s/%s-labels-idx1-ubyte", dir, stem);
    size_t len[2];
    unsigned dims[2][3];
    const unsigned char *data[2];
    unsigned char **buf[2] = {&mb->bx, &mb->by};
    for (int f = 0; f < 2; f++) {
        if (idx_read_file(path[f], buf[f], &len[f], err, sizeof err)) DIE("%s; run make data", err);
        if (idx_parse(*buf[f], len[f], f ? 0x801 : 0x803, dims[f], &data[f], err, sizeof err)) DIE("%s: %s", path[f], err);
    }
    if (dims[0][0] != dims[1][0] || dims[0][1] != 28 || dims[0][2] != 28 || dims[0][0] != (train ? 60000u : 10000u))
        DIE("%s: unexpected dimensions %u x %u x %u (labels %u); run make data", path[0], dims[0][0], dims[0][1], dims[0][2],
            dims[1][0]);
    for (unsigned i = 0; i < dims[1][0]; i++)
        if (data[1][i] > 9) DIE("%s: label %u at index %u is not a digit; delete it and run make data", path[1], data[1][i], i);
    mb->n = (int)dims[0][0], mb->d = 784, mb->x = data[0], mb->y = data[1];
}

typedef struct {
    const ef_spectrum *s;
    const double *v2;
    double delta, eps2;
} pool_th_par;
static void pool_theory(double n, int target, double *L, double *mse, void *par) {
    (void)target;
    pool_th_par *q = par;
    ef_fit f = solve_or_die(q->s, n, q->delta);
    ef_pred p;
    ef_predict(q->s, &f, q->v2, 0.0, q->eps2, &p);
    *L = p.L, *mse = p.mse;
}

typedef struct {
    double worst_ratio, worst_dL;  // over n <= M/8
    int rows_checked, finite, th_decreasing, emp_decreasing;
    // krr.C5b, 0 vs 1: L_exp - L_th averaged over 4 <= n <= 128, its standard error, its minimum
    double bias_mean, bias_se, bias_min, bias_mse;  // bias_mse: mean MSE_exp/MSE_th over the same n
    int bias_rows;
} mnist_stats;

static void e4_mnist(const mnist_bytes *tr, const mnist_bytes *te, double m, double sdv, int da, int db, int M,
                     const int *ns, const int *tri, int nn, kernel_spec k, double delta, double eps2, lc_row *rows,
                     tsv *tspec, const char *panel, double *train_worst) {
    const int d = tr->d;
    int ntr = 0, ntest = 0;
    for (int i = 0; i < tr->n; i++) ntr += tr->y[i] == da || tr->y[i] == db;
    for (int i = 0; i < te->n; i++) ntest += te->y[i] == da || te->y[i] == db;
    size_t *idx = xmalloc((size_t)ntr, sizeof *idx), *perm = xmalloc((size_t)ntr, sizeof *perm);
    for (int i = 0, c = 0; i < tr->n; i++)
        if (tr->y[i] == da || tr->y[i] == db) idx[c++] = i;
    gsl_rng *rg = rng_alloc(C.seed, 500000 + 10 * da + db);
    rng_permutation(rg, ntr, perm);
    rng_free(rg);
    int nB = ntr - M, nmax = 0;
    for (int a = 0; a < nn; a++) nmax = ns[a] > nmax ? ns[a] : nmax;
    if (nB < nmax) DIE("MNIST %dv%d: pool B has %d images, fewer than n = %d; lower --pool or --n-list", da, db, nB, nmax);
    double *XA = xmalloc((size_t)M * d, sizeof *XA), *XB = xmalloc((size_t)nB * d, sizeof *XB);
    double *XT = xmalloc((size_t)ntest * d, sizeof *XT), *yA = xmalloc((size_t)M, sizeof *yA);
    double *yB = xmalloc((size_t)nB, sizeof *yB), *yT = xmalloc((size_t)ntest, sizeof *yT);
    for (int i = 0; i < ntr; i++) {
        size_t src = idx[perm[i]];
        double *dst = i < M ? XA + (size_t)i * d : XB + (size_t)(i - M) * d;
        for (int p = 0; p < d; p++) dst[p] = (tr->x[src * d + p] / 255.0 - m) / sdv;
        double y = tr->y[src] == da ? 1.0 : -1.0;
        if (i < M) yA[i] = y;
        else yB[i - M] = y;
    }
    for (int i = 0, c = 0; i < te->n; i++)
        if (te->y[i] == da || te->y[i] == db) {
            for (int p = 0; p < d; p++) XT[(size_t)c * d + p] = (te->x[(size_t)i * d + p] / 255.0 - m) / sdv;
            yT[c++] = te->y[i] == da ? 1.0 : -1.0;
        }
    // theory: the pool spectrum
    double *KA = xmalloc((size_t)M * M, sizeof *KA), *lam = xmalloc((size_t)M, sizeof *lam);
    double *v = xmalloc((size_t)M, sizeof *v);
    kernel_gram_sym(&k, M, d, XA, KA);
    progress("MNIST %s: pool Gram done, eigendecomposition of %d x %d", panel, M, M);
    int info = krr_pool_spectrum(M, KA, 1, yA, lam, v);
    if (info) DIE("MNIST pool spectrum: dsyevd failed (info %d)", info);
    free(KA);
    for (int i = 0; i < M; i++) {
        if (lam[i] < 0) lam[i] = 0;  // rounding: eigenvalues of a PSD matrix at -1e-17
        v[i] *= v[i];
        if (tspec && (i < 200 || i % 20 == 0)) tsv_row(tspec, "%s\t%d\t%.10g\t1\t%.10g", panel, i, lam[i], v[i]);
    }
    ef_spectrum s = {.M = (size_t)M, .lam = lam};
    pool_th_par tp = {&s, v, delta, eps2};
    int target0 = 0;
    write_theory(panel, "krr.C5", 1, nmax, &target0, 1, pool_theory, &tp);
    // K(test, B) once, when the trials together touch more of B than B itself; else per trial
    long touch = 0;
    for (int t = 0;; t++) {
        int np = 0;
        for (int a = 0; a < nn; a++)
            if (tri[a] > t && ns[a] > np) np = ns[a];
        if (!np) break;
        touch += np;
    }
    double *KTB = NULL;
    if (touch > nB) {
        KTB = xmalloc((size_t)ntest * nB, sizeof *KTB);
        kernel_gram(&k, ntest, nB, d, XT, XB, KTB);
        progress("MNIST %s: K(test, B) done", panel);
    }
    for (int a = 0; a < nn; a++) {
        lc_row *r = &rows[a];
        r->n = ns[a], r->target = 0, r->trials = tri[a], r->beyond = ns[a] > M / 8;
        ef_fit f = solve_or_die(&s, ns[a], delta);
        ef_pred p;
        ef_predict(&s, &f, v, 0.0, eps2, &p);
        r->L_th = p.L, r->mse_th = p.mse;
        r->L = xmalloc((size_t)tri[a], sizeof(double));
        r->mse = xmalloc((size_t)tri[a], sizeof(double));
    }
    int tmax = 0;
    for (int a = 0; a < nn; a++) tmax = tri[a] > tmax ? tri[a] : tmax;
    size_t *D = xmalloc((size_t)nmax, sizeof *D);
    double *XD = xmalloc((size_t)nmax * d, sizeof *XD), *KP = xmalloc((size_t)nmax * nmax, sizeof *KP);
    double *KDD = xmalloc((size_t)nmax * nmax, sizeof *KDD), *KtD = xmalloc((size_t)ntest * nmax, sizeof *KtD);
    double *Y = xmalloc((size_t)nmax, sizeof *Y), *pred = xmalloc((size_t)ntest, sizeof *pred);
    double *Y0 = xmalloc((size_t)nmax, sizeof *Y0), *fD = xmalloc((size_t)nmax, sizeof *fD);
    for (int t = 0; t < tmax; t++) {
        int np = 0;
        for (int a = 0; a < nn; a++)
            if (tri[a] > t && ns[a] > np) np = ns[a];
        rg = rng_alloc(C.seed, 600000 + 1000 * (uint64_t)(10 * da + db) + t);
        rng_subset(rg, nB, np, D);
        for (int i = 0; i < np; i++) memcpy(XD + (size_t)i * d, XB + D[i] * d, (size_t)d * sizeof *XD);
        kernel_gram_sym(&k, np, d, XD, KP);
        double *KTP = NULL;  // K(test, prefix) when K(test, B) was not precomputed
        if (!KTB) {
            KTP = xmalloc((size_t)ntest * np, sizeof *KTP);
            kernel_gram(&k, ntest, np, d, XT, XD, KTP);
        }
        for (int a = 0; a < nn; a++) {
            if (tri[a] <= t) continue;
            int n = ns[a];
            for (int i = 0; i < n; i++) {
                memcpy(KDD + (size_t)i * n, KP + (size_t)i * np, (size_t)n * sizeof *KDD);
                Y0[i] = Y[i] = yB[D[i]] + (eps2 > 0 ? sqrt(eps2) * rng_normal(rg) : 0);
            }
            for (int j = 0; j < ntest; j++)
                for (int i = 0; i < n; i++)
                    KtD[(size_t)j * n + i] = KTB ? KTB[(size_t)j * nB + D[i]] : KTP[(size_t)j * np + i];
            info = krr_solve(n, KDD, delta, 1, Y, ntest, KtD, pred);
            if (info) DIE("MNIST n = %d: Cholesky failed (info %d); the NTK Gram matrix is singular", n, info);
            if (delta == 0) {  // f_hat(D) = K_DD alpha, K_DD the leading n x n block of KP (intact)
                cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0, KP, np, Y, 1, 0.0, fD, 1);
                train_check(train_ratio(n, NULL, 1, fD, Y0), panel, n, train_worst);
            }
            double mse = 0, fy = 0, yy = 0;
            for (int j = 0; j < ntest; j++) mse += (pred[j] - yT[j]) * (pred[j] - yT[j]), fy += pred[j] * yT[j], yy += yT[j] * yT[j];
            rows[a].mse[t] = mse / ntest;
            rows[a].L[t] = fy / yy;
        }
        rng_free(rg);
        free(KTP);
        progress("MNIST %s: trial %d/%d", panel, t + 1, tmax);
    }
    free(idx), free(perm), free(XA), free(XB), free(XT), free(yA), free(yB), free(yT), free(lam), free(v);
    free(KTB), free(D), free(XD), free(KP), free(KDD), free(KtD), free(Y), free(pred), free(Y0), free(fD);
}

// The one-sided learnability excess on 0 vs 1 (krr.C5b): mean over the n in [4, 128] of
// $\bar L_{exp} - L_{th}$, with the standard error of that mean (trials independent across n).
static void mnist_bias(lc_row *rows, int nn, mnist_stats *ms) {
    double s = 0, v = 0;
    int c = 0;
    ms->bias_min = INFINITY;
    for (int a = 0; a < nn; a++) {
        lc_row *r = &rows[a];
        if (r->n < 4 || r->n > 128) continue;
        double dL = fit_mean(r->L, r->trials) - r->L_th, se = fit_stderr(r->L, r->trials);
        s += dL, v += se * se, c++;
        ms->bias_min = fmin(ms->bias_min, dL);
        ms->bias_mse += fit_mean(r->mse, r->trials) / r->mse_th;
    }
    if (c) ms->bias_mean = s / c, ms->bias_se = sqrt(v) / c, ms->bias_rows = c, ms->bias_mse /= c;
}

static void mnist_check(lc_row *rows, int nn, mnist_stats *ms) {
    for (int a = 0; a < nn; a++) {
        lc_row *r = &rows[a];
        double me = fit_mean(r->mse, r->trials), Le = fit_mean(r->L, r->trials);
        ms->finite &= isfinite(me) && isfinite(Le) && isfinite(r->mse_th) && isfinite(r->L_th);
        if (a > 0) ms->th_decreasing &= r->mse_th < rows[a - 1].mse_th;
        if (r->beyond) continue;
        ms->rows_checked++;
        double dev = fabs(me / r->mse_th - 1), dL = fabs(Le - r->L_th);
        if (dev > ms->worst_ratio) ms->worst_ratio = dev;
        if (dL > ms->worst_dL) ms->worst_dL = dL;
    }
}

// ---- theory checks: power-law spectra with 10^7 modes (krr.C7) ----
//
// For $\lambda_i = i^{-\alpha}$ the ridgeless continuum solution is
// $\kappa \approx [(\pi/\alpha)/\sin(\pi/\alpha)/n]^\alpha$ and $E_0 \to \alpha$.
// We solve the full equations on $M$ explicit modes (no tail) and compare.
typedef struct {
    double worst_E0_23, E0_15, worst_kappa;
    double E0[3];
} pl_stats;
static void c7_powerlaw(size_t M, int with_tail, tsv *t, pl_stats *ps) {
    double alphas[3] = {2, 3, 1.5}, ns[3] = {100, 1000, 10000};
    double *lam = xmalloc(M, sizeof *lam);
    for (int a = 0; a < 3; a++) {
        double al = alphas[a];
        for (size_t i = 0; i < M; i++) lam[i] = pow((double)(i + 1), -al);
        spectra_powerlaw_tail tp = {al, (double)M, 1.0};
        ef_spectrum s = {.M = M, .lam = lam};
        if (with_tail) s.tail = spectra_powerlaw_tail_fn, s.tail_par = &tp, s.tail_mass = spectra_powerlaw_tail_mass(al, M);
        for (int q = 0; q < 3; q++) {
            if (C.quick && q != 1) continue;
            ef_fit f = solve_or_die(&s, ns[q], 0.0);
            double kc = ef_powerlaw_kappa(al, ns[q]);
            tsv_row(t, "%g\t%g\t%zu\t%d\t%.10g\t%.10g\t%.6f\t%.8f", al, ns[q], M, with_tail, f.kappa, kc, f.kappa / kc, f.E0);
            if (ns[q] != 1000) continue;
            ps->E0[a] = f.E0;
            if (al != 1.5) {
                ps->worst_E0_23 = fmax(ps->worst_E0_23, fabs(f.E0 / al - 1));
                ps->worst_kappa = fmax(ps->worst_kappa, fabs(f.kappa / kc - 1));
            } else
                ps->E0_15 = fabs(f.E0 / al - 1);
        }
        progress("power law alpha = %g done", al);
    }
    free(lam);
}

// ---- experiment E5: the deep bootstrap (KRR version) ----
//
// Reparametrise the ridge as an effective training time $\tau = n/\delta$.  As $n\to\infty$ at
// fixed $\tau$, $\kappa \to 1/\tau$ and $E_0 \to 1$, so $E_{te}(\infty,\tau) = \sum_i v_i^2/(1+\tau
// \lambda_i)^2$ ("online" learning).  With $\kappa_0(n)$ the ridgeless $\kappa$, every finite $n$
// follows the $n=\infty$ curve while $\tau \ll 1/\kappa_0(n)$ and splits off to a plateau beyond.
// Theory: $\lambda_i = i^{-2}$, $v_i^2 = i^{-2}/Z$ on $5\cdot10^5$ modes.  Simulation:
// Gaussian-design linear regression with $P = 16n$ features $x_j = \sqrt{\lambda_j} g_j$, target
// $f = \sum_j v_j g_j$, kernel $XX^\top$ plus the feature tail $\sum_{j>P}\lambda_j$ as ridge;
// the population test error is exact, $\sum_j(\sqrt{\lambda_j}\hat\beta_j - v_j)^2$.
typedef struct {
    double k0[4], k0_err, worst_ratio_dev;  // C8
    int ratio_ok;
    double ratio_lo[3], ratio_hi[3];  // measured ranges at tau kappa0 = 0.01, 1, 10
    double sim_worst;                 // C9: max |te_exp/te_th - 1| (reported)
    double sim_z;                     // C9: max |te_exp - te_th| / (0.1 te_th + 3 s.e.)
    double sim_tr_worst;              // C9: max |tr_exp/tr_th - 1| (the train side, reported)
    double sim_tr_z;                  // C9: max |tr_exp - tr_th| / (0.12 tr_th + 3 s.e.)
} boot_stats;

static double te_infinite(const double *lam, const double *v2, size_t M, double tau) {
    double s = 0;
    for (size_t i = M; i-- > 0;) s += v2[i] / ((1 + tau * lam[i]) * (1 + tau * lam[i]));
    return s;
}

static void e5_theory(const int *ns, int nn, int ntau, tsv *t, boot_stats *bs) {
    const size_t M = 500000;
    double *lam = xmalloc(M, sizeof *lam), *v2 = xmalloc(M, sizeof *v2), Z = 0;
    for (size_t i = 0; i < M; i++) lam[i] = 1.0 / ((i + 1.0) * (i + 1.0)), Z += lam[i];
    for (size_t i = 0; i < M; i++) v2[i] = lam[i] / Z;
    ef_spectrum s = {.M = M, .lam = lam};
    // reference ridgeless kappa0 for n = 16, 125, 1000, 8000 (4 significant digits)
    const double k0_ref[4] = {9.063e-3, 1.566e-4, 2.461e-6, 3.805e-8};
    const int nref[4] = {16, 125, 1000, 8000};
    const double cs[3] = {0.01, 1, 10};
    for (int q = 0; q < 3; q++) bs->ratio_lo[q] = INFINITY, bs->ratio_hi[q] = -INFINITY;
    bs->ratio_ok = 1;
    for (int a = 0; a <= nn; a++) {  // a == nn: n = infinity (written as n = 0)
        int n = a < nn ? ns[a] : 0;
        double k0 = 0;
        if (n) {
            k0 = solve_or_die(&s, n, 0.0).kappa;
            for (int q = 0; q < 4; q++)
                if (nref[q] == n) {
                    bs->k0[q] = k0;
                    bs->k0_err = fmax(bs->k0_err, fabs(k0 / k0_ref[q] - 1));
                }
            for (int q = 0; q < 3; q++) {  // E_te(n, tau)/E_te(inf, tau) at tau = c/kappa0
                double tau = cs[q] / k0;
                ef_fit f = solve_or_die(&s, n, n / tau);
                ef_pred p;
                ef_predict(&s, &f, v2, 0, 0, &p);
                double r = p.te / te_infinite(lam, v2, M, tau);
                bs->ratio_lo[q] = fmin(bs->ratio_lo[q], r), bs->ratio_hi[q] = fmax(bs->ratio_hi[q], r);
                if (q == 0) bs->ratio_ok &= r >= 1.0 && r <= 1.12;
                if (q == 1) bs->ratio_ok &= r >= 2.0 && r <= 2.6;
                if (q == 2) bs->ratio_ok &= r >= 5.0;
            }
        }
        for (int i = 0; i < ntau; i++) {
            double tau = pow(10, -2 + 10.0 * i / (ntau - 1)), te, trn;
            if (n) {
                ef_fit f = solve_or_die(&s, n, n / tau);
                ef_pred p;
                ef_predict(&s, &f, v2, 0, 0, &p);
                te = p.te, trn = p.tr;
            } else {
                te = trn = te_infinite(lam, v2, M, tau);  // kappa = 1/tau, delta/(n kappa) = 1
            }
            tsv_row(t, "%d\t%.8g\t%.10g\t%.10g\t%.10g", n, tau, te, trn, n ? 1 / k0 : 0.0);
        }
        progress("bootstrap theory n = %d done", n);
    }
    free(lam), free(v2);
}

// Every ridge here is n/tau + tail > 0, so there is no ridgeless solve to check.
// Trials: `trials` at n = 1000 and more at small n, where one trial is cheap and the scatter is
// large (at n = 16 the plateau's s.e. is 11% of it with 6 trials): trials * round(sqrt(1000/n)),
// at most 64 (48 at n = 16, 18 at n = 125).
static int boot_trials(int n, int trials) {
    int t = trials * (n < 1000 ? (int)lround(sqrt(1000.0 / n)) : 1);
    return t > 64 ? 64 : t;
}

static void e5_sim(const int *ns, int nn, int trials0, tsv *t, boot_stats *bs) {
    const int ntau = 9;
    for (int a = 0; a < nn; a++) {
        int n = ns[a], Pf = 16 * n, trials = boot_trials(n, trials0);
        double *lam = xmalloc((size_t)Pf, sizeof *lam), *v = xmalloc((size_t)Pf, sizeof *v), Z = 0;
        double *v2 = xmalloc((size_t)Pf, sizeof *v2);
        for (int j = 0; j < Pf; j++) lam[j] = 1.0 / ((j + 1.0) * (j + 1.0)), Z += lam[j];
        for (int j = 0; j < Pf; j++) v2[j] = lam[j] / Z, v[j] = sqrt(v2[j]);
        double T = spectra_powerlaw_tail_mass(2.0, Pf);
        // The tail is an extra ridge for kappa (test side); E_tr = (delta/(n kappa))^2 E_te keeps
        // the user's delta = n/tau (ef_predict uses fit.delta, which excludes extra_ridge).
        ef_spectrum s = {.M = (size_t)Pf, .lam = lam, .extra_ridge = T};
        double *X = xmalloc((size_t)n * Pf, sizeof *X), *K = xmalloc((size_t)n * n, sizeof *K);
        double *y = xmalloc((size_t)n, sizeof *y), *al = xmalloc((size_t)n, sizeof *al);
        double *res = xmalloc((size_t)n, sizeof *res), *beta = xmalloc((size_t)Pf, sizeof *beta);
        double te[9][64], tr[9][64];
        krr_sweep *sw = krr_sweep_alloc(n, 0, 1);
        for (int q = 0; q < trials; q++) {
            gsl_rng *rg = rng_alloc(C.seed, 700000 + 1000 * (uint64_t)n + q);
            rng_normal_vec(rg, (size_t)n * Pf, X);  // G
            rng_free(rg);
            cblas_dgemv(CblasRowMajor, CblasNoTrans, n, Pf, 1.0, X, Pf, v, 1, 0.0, y, 1);  // y = G v
            for (int i = 0; i < n; i++)
                for (int j = 0; j < Pf; j++) X[(size_t)i * Pf + j] *= sqrt(lam[j]);  // X = G diag(sqrt lam)
            cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, Pf, 1.0, X, Pf, 0.0, K, n);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++) K[(size_t)j * n + i] = K[(size_t)i * n + j];
            int info = krr_sweep_prepare(sw, K, y, NULL);
            if (info) DIE("bootstrap: dsyevd failed (info %d)", info);
            for (int i = 0; i < ntau; i++) {
                double tau = pow(10, -2 + i), delta = n / tau + T;
                if (krr_sweep_eval(sw, delta, al, res, NULL)) DIE("bootstrap: K + delta I singular at tau = %g", tau);
                cblas_dgemv(CblasRowMajor, CblasTrans, n, Pf, 1.0, X, Pf, al, 1, 0.0, beta, 1);  // beta = X^T alpha
                double e = 0, rr = 0;
                for (int j = Pf; j-- > 0;) e += (sqrt(lam[j]) * beta[j] - v[j]) * (sqrt(lam[j]) * beta[j] - v[j]);
                // Train residual of the model whose kernel is $XX^\top + T I$ (the tail features
                // stand in as $T I$): $(K_{full} + \delta I)\alpha = y$ gives $y - K_{full}\alpha =
                // \delta\alpha$, the user's ridge only.  krr_sweep returns $(\delta + T)\alpha$,
                // the residual against $XX^\top$ alone, so rescale it.
                double sc = (n / tau) / delta;
                for (int j = 0; j < n; j++) rr += sc * res[j] * sc * res[j];
                te[i][q] = e, tr[i][q] = rr / n;
            }
        }
        for (int i = 0; i < ntau; i++) {
            double tau = pow(10, -2 + i);
            ef_fit f = solve_or_die(&s, n, n / tau);
            ef_pred p;
            ef_predict(&s, &f, v2, 0, 0, &p);
            double me = fit_mean(te[i], trials), r = me / p.te;
            // Test criterion: 10% for the eigenframework's finite-n corrections (the n = 16 plateau
            // sits 6-7% above theory at the default sizes) plus three standard errors of the mean.
            bs->sim_worst = fmax(bs->sim_worst, fabs(r - 1));
            bs->sim_z = fmax(bs->sim_z, fabs(me - p.te) / (0.1 * p.te + 3 * fit_stderr(te[i], trials)));
            // Train MSE: the same form, 12% plus three standard errors (it scatters more).
            double mtr = fit_mean(tr[i], trials);
            bs->sim_tr_worst = fmax(bs->sim_tr_worst, fabs(mtr / p.tr - 1));
            bs->sim_tr_z = fmax(bs->sim_tr_z, fabs(mtr - p.tr) / (0.12 * p.tr + 3 * fit_stderr(tr[i], trials)));
            tsv_row(t, "%d\t%.8g\t%.10g\t%.10g\t%.4g\t%.10g\t%.10g\t%.4g\t%.6f", n, tau, p.te, me, fit_stderr(te[i], trials),
                    p.tr, fit_mean(tr[i], trials), fit_stderr(tr[i], trials), r);
        }
        progress("bootstrap simulation n = %d done", n);
        krr_sweep_free(sw);
        free(lam), free(v), free(v2), free(X), free(K), free(y), free(al), free(res), free(beta);
    }
}

// ---- measurement: the claims ----
//
// Kinds.  Identities (exact mathematics or the solver's own consistency, floating point only):
// C1, C2 (the conservation law), C3b (the per-draw bound), C7 (the solver against the continuum
// power-law formulas), C8 (the theory's own deep-bootstrap ratios).  Experiments (measured KRR or
// simulation against a theory computed without it): C3a, C4, C5, C6, C9; their tolerances are
// statistical (20, 20, 20, 5 and 6 trials) plus finite-n corrections, stated at each check.
// Deviation: C5b (the learnability excess on MNIST 0 vs 1).
typedef struct {
    cons_stats c1_circle, c1_cube, c2;
    parity_stats ps;
    double c4_ratio, c4_dL;
    int c4_rows;
    double c6;
    mnist_stats ms, ms01;  // ms: the asserted tasks (krr.C5); ms01: 0 vs 1 (krr.C5b, a deviation)
    int mnist_ran;
    const char *mnist_skip;
    pl_stats pl;
    boot_stats bs;
} results;

static void print_claims(const results *R) {
    char what[256];
    int q = C.quick;
    double c1 = fmax(R->c1_circle.worst_rel, R->c1_cube.worst_rel);
    snprintf(what, sizeof what, "max |sum_j L_D(g_j) - n|/n over %d circle + %d cube draws", R->c1_circle.draws,
             R->c1_cube.draws);
    claim_check("krr.C1", CLAIM_IDENTITY, c1 <= 1e-8, what, c1, "1e-8");
    snprintf(what, sizeof what, "max |sum_j L_D(g_j)/Tr[K(K+0.5 I)^-1] - 1| over %d cube draws", R->c2.draws);
    claim_check("krr.C2", CLAIM_IDENTITY, R->c2.worst_rel <= 1e-8 && R->c2.draws > 0, what, R->c2.worst_rel, "1e-8");
    double a16 = R->ps.worst_C3a, a8 = R->ps.worst_C3a_n8;
    if (q) {
        claim_check("krr.C3a", CLAIM_EXPERIMENT, fmax(a16, a8) <= 0.05, "max |mean L_level - L_th| (d = 6, n = 8, 16, 5 draws)", fmax(a16, a8), "0.05");
    } else {
        snprintf(what, sizeof what, "max |mean L_level - L_th| for n >= 16 (n = 8: %.4f, tolerance 0.03)", a8);
        claim_check("krr.C3a", CLAIM_EXPERIMENT, a16 <= 0.015 && a8 <= 0.03, what, a16, "0.015");
    }
    claim_check("krr.C3b", CLAIM_IDENTITY, R->ps.worst_C3b <= 1e-10, "max violation of L_level <= n/C(d,k) and L in [0,1]",
                R->ps.worst_C3b, "1e-10");
    snprintf(what, sizeof what, "max |MSE_exp/MSE_th - 1| where MSE_th >= 1e-3 (max |dL| = %.4f, tolerance %s)",
             R->c4_dL, q ? "0.06" : "0.03");
    claim_check("krr.C4", CLAIM_EXPERIMENT, R->c4_ratio <= (q ? 0.3 : 0.15) && R->c4_dL <= (q ? 0.06 : 0.03), what, R->c4_ratio,
                q ? "0.3" : "0.15");
    if (!R->mnist_ran) {
        claim_skip("krr.C5", CLAIM_EXPERIMENT, R->mnist_skip);
    } else if (q) {
        snprintf(what, sizeof what, "smoke test (finite, theory MSE decreasing, MSE_exp(32) < MSE_exp(8)); "
                 "max |MSE ratio - 1| at M = 400 (not asserted; max |dL| = %.3f)", R->ms.worst_dL);
        claim_check("krr.C5", CLAIM_EXPERIMENT, R->ms.finite && R->ms.th_decreasing && R->ms.emp_decreasing, what, R->ms.worst_ratio, "finite, decreasing");
    } else {
        snprintf(what, sizeof what, "3 vs 8, n <= M/8: max |MSE_exp/MSE_th - 1| (max |dL| = %.4f, tolerance 0.05; 0 vs 1, "
                 "see krr.C5b: %.4f and %.4f)", R->ms.worst_dL, R->ms01.worst_ratio, R->ms01.worst_dL);
        claim_check("krr.C5", CLAIM_EXPERIMENT, R->ms.worst_ratio <= 0.15 && R->ms.worst_dL <= 0.05 && R->ms.finite, what, R->ms.worst_ratio, "0.15");
    }
    // krr.C5b: on 0 vs 1 the measured learnability sits above the pool theory at every small n.
    // Measured (seed 1): +0.036, +0.031, +0.022, +0.014 at n = 4, 16, 64, 128 (s.e. 0.004-0.02).
    // It is not the pool size (M = 2000 and 4000 move L_th by < 0.005); about a third of it is the
    // MNIST test set (held-out training images give +0.022, +0.020, +0.012, +0.008).  Asserted as
    // a deviation: the mean excess over 4 <= n <= 128 is positive by more than 2 standard errors
    // and below 0.06.
    if (R->mnist_ran && !q && R->ms01.bias_rows) {
        snprintf(what, sizeof what, "0 vs 1: mean (L_exp - L_th) over %d n in [4, 128] (s.e. %.4f; min %+.4f; mean MSE_exp/MSE_th %.3f)",
                 R->ms01.bias_rows, R->ms01.bias_se, R->ms01.bias_min, R->ms01.bias_mse);
        claim_check("krr.C5b", CLAIM_DEVIATION, R->ms01.bias_mean >= 2 * R->ms01.bias_se && R->ms01.bias_mean <= 0.06, what,
                    R->ms01.bias_mean, ">= 2 s.e. and <= 0.06");
    } else if (!R->mnist_ran) {
        claim_skip("krr.C5b", CLAIM_DEVIATION, R->mnist_skip);
    }
    claim_check("krr.C6", CLAIM_EXPERIMENT, R->c6 <= 0.03, "max |1/mean Tr[(K+delta I)^-1] / kappa_th - 1|", R->c6, "0.03");
    snprintf(what, sizeof what, "%s: max |E0(1000)/alpha - 1| for alpha = 2, 3 (alpha = 1.5: %.4f, tol 0.015; "
             "max |kappa/kappa_cont - 1| = %.4f, tol 0.01)", q ? "1e6 modes + analytic tail" : "1e7 modes, no tail",
             R->pl.E0_15, R->pl.worst_kappa);
    claim_check("krr.C7", CLAIM_IDENTITY, R->pl.worst_E0_23 <= 0.01 && R->pl.E0_15 <= 0.015 && R->pl.worst_kappa <= 0.01, what,
                R->pl.worst_E0_23, "0.01");
    snprintf(what, sizeof what, "max |kappa0/kappa0_ref - 1| (ratios E_te(n)/E_te(inf) at tau*kappa0 = 0.01, 1, 10: "
             "[%.3f, %.3f], [%.3f, %.3f], [%.3f, %.3f])", R->bs.ratio_lo[0], R->bs.ratio_hi[0], R->bs.ratio_lo[1],
             R->bs.ratio_hi[1], R->bs.ratio_lo[2], R->bs.ratio_hi[2]);
    claim_check("krr.C8", CLAIM_IDENTITY, R->bs.k0_err <= 1e-3 && R->bs.ratio_ok, what, R->bs.k0_err,
                "1e-3; ratios in [1, 1.12], [2, 2.6], >= 5");
    // At --quick (n = 16, 3 trials) the simulation's standard errors are 5-15%: too small a run to
    // test the 12% bound, so its number is reported, not judged.
    snprintf(what, sizeof what, "test: max |te_sim - te_th|/(0.1 te_th + 3 s.e.) over tau and n (max |te_sim/te_th - 1| = %.3f; "
             "train: max |tr_sim - tr_th|/(0.12 tr_th + 3 s.e.) = %.2f, max |tr_sim/tr_th - 1| = %.3f)", R->bs.sim_worst, R->bs.sim_tr_z,
             R->bs.sim_tr_worst);
    if (q) claim_report("krr.C9", CLAIM_EXPERIMENT, what, R->bs.sim_z);
    else claim_check("krr.C9", CLAIM_EXPERIMENT, R->bs.sim_z <= 1 && R->bs.sim_tr_z <= 1, what, R->bs.sim_z, "1 (test and train)");
}

// ---- output and main ----
static void free_rows(lc_row *rows, int n) {
    for (int i = 0; i < n; i++) free(rows[i].L), free(rows[i].mse);
}

static void task_digits(const char *task, int *a, int *b) {
    if (strlen(task) != 3 || task[0] < '0' || task[0] > '9' || task[2] < '0' || task[2] > '9' ||
        (task[1] != 'v' && task[1] != '-') || task[0] == task[2])
        cli_usage_error(&C, "--task '%s': expected two different digits like 3v8 or 4-9", task);
    *a = task[0] - '0', *b = task[2] - '0';
}

static int run_cube(int d, const int *ns, int nn, int draws, double delta, tsv *tc, tsv *tspec, results *R,
                    double delta2) {
    kernel_spec k = given("kernel") || given("bandwidth") ? kspec(P.kernel, given("bandwidth") ? P.bandwidth : 2.0)
                                                           : kspec("laplace", 2.0);
    cube c;
    cube_init(&c, d, k);
    if (tspec)
        for (int q = 0; q <= d; q++) tsv_row(tspec, "cube\t%d\t%.10g\t%g\t1", q, c.lam[q], c.mult[q]);
    lc_row *rows = XNEW(lc_row, (size_t)nn * (d + 1));
    double tw = 0;
    e2_cube(&c, ns, nn, draws, delta, rows, &R->ps, tc, &R->c1_cube, delta2, &R->c2, &tw);
    if (delta == 0) train_report("cube", tw);
    char note[512];
    kernel_describe(&k, note, 200);
    char full[900];
    snprintf(full, sizeof full, "cube {-1,1}^%d, kernel %s, ridge %g; target k: L = mean over the level's C(d,k) Walsh "
             "functions, mse = population MSE of parity chi_{1..k} over all 2^d vertices", d, note, delta);
    write_learning("cube", "krr.C3", rows, nn * (d + 1), full);
    int targets[13];
    for (int q = 0; q <= d; q++) targets[q] = q;
    cube_th_par par = {&c, delta};
    write_theory("cube", "krr.C3", 1, ns[nn - 1], targets, d + 1, cube_theory, &par);
    free_rows(rows, nn * (d + 1));
    free(rows);
    cube_free(&c);
    return 0;
}

static void run_sphere(int d, const int *ns, int nn, const int *deg, int ndeg, int trials, int ntest, int kmax,
                       int nodes, tsv *tspec, tsv *tk, const int *nk, int nnk, int kdraws, results *R) {
    kernel_spec k = given("kernel") || given("bandwidth") ? kspec(P.kernel, P.bandwidth) : kspec("laplace", 1.0);
    sphere sp;
    sphere_init(&sp, d, k, kmax, nodes);
    if (tspec)
        for (int q = 0; q <= (kmax < 30 ? kmax : 30); q++) tsv_row(tspec, "sphere\t%d\t%.10g\t%g\t1", q, sp.lam[q], sp.mult[q]);
    lc_row *rows = XNEW(lc_row, (size_t)nn * ndeg);
    double tw = 0;
    int gd = strcmp(P.design, "gaussian") == 0;
    if (gd) e3_gaussian_design(&sp, ns, nn, deg, ndeg, trials, P.ridge, P.noise, rows);
    else e3_sphere(&sp, ns, nn, deg, ndeg, trials, ntest, P.ridge, P.noise, rows, &tw);
    if (P.ridge == 0 && !gd) train_report("sphere", tw);
    for (int i = 0; i < nn * ndeg; i++) {  // krr.C4
        double me = fit_mean(rows[i].mse, rows[i].trials), Le = fit_mean(rows[i].L, rows[i].trials);
        if (rows[i].mse_th >= 1e-3) R->c4_ratio = fmax(R->c4_ratio, fabs(me / rows[i].mse_th - 1)), R->c4_rows++;
        R->c4_dL = fmax(R->c4_dL, fabs(Le - rows[i].L_th));
    }
    char desc[200], note[700];
    kernel_describe(&k, desc, sizeof desc);
    snprintf(note, sizeof note, "sphere S^%d, kernel %s, ridge %g, noise %g; spectrum kmax = %d (%d nodes), "
             "sum N lambda = %.8g, tail mass as extra ridge = %.6g; %s",
             d - 1, desc, P.ridge, P.noise, kmax, nodes, kernel_sphere_profile(&k, 1, 1, d) - sp.tail, sp.tail,
             gd ? "design gaussian: Gaussian features with the sphere's level spectrum (control), target k: one "
                  "unit-norm feature of level k"
                : "target k: zonal harmonic sqrt(N(d,k)) P_k(x_1)");
    write_learning("sphere", "krr.C4", rows, nn * ndeg, note);
    sphere_th_par par = {&sp, P.ridge, P.noise};
    write_theory("sphere", "krr.C4", 1, ns[nn - 1], deg, ndeg, sphere_theory, &par);
    if (tk) R->c6 = c6_kappa(&sp, nk, nnk, kdraws, tk);
    free_rows(rows, nn * ndeg);
    free(rows);
    sphere_free(&sp);
}

static void run_mnist(const char *task, int M, const int *ns, const int *tri, int nn, tsv *tspec, results *R) {
    if (!mnist_available(C.mnist_dir) && strcmp(P.domain, "mnist") == 0 && cli_any_given(&C))
        DIE("--domain mnist: MNIST not found in %s; run make data (or give --mnist-dir)", C.mnist_dir);
    if (!mnist_available(C.mnist_dir)) {
        R->mnist_skip = "MNIST absent: run make data";
        progress_done("MNIST: %s not found; skipping (run make data)", C.mnist_dir);
        return;
    }
    static mnist_bytes tr, te;
    static double m, sdv;
    if (!tr.x) {
        mnist_bytes_load(C.mnist_dir, 1, &tr);
        mnist_bytes_load(C.mnist_dir, 0, &te);
        // mean and sd of all training pixels (x/255), from exact integer sums
        uint64_t s = 0, s2 = 0;
        size_t N = (size_t)tr.n * tr.d;
        for (size_t i = 0; i < N; i++) s += tr.x[i], s2 += (uint64_t)tr.x[i] * tr.x[i];
        m = (double)s / N / 255.0, sdv = sqrt((double)s2 / N / (255.0 * 255.0) - m * m);
    }
    int a, b;
    task_digits(task, &a, &b);
    kernel_spec k = given("kernel") || given("bandwidth") ? kspec(P.kernel, P.bandwidth) : kspec("ntk", 1.0);
    char panel[32];
    snprintf(panel, sizeof panel, "mnist_%dv%d", a, b);
    lc_row *rows = XNEW(lc_row, (size_t)nn);
    double tw = 0;
    e4_mnist(&tr, &te, m, sdv, a, b, M, ns, tri, nn, k, P.ridge, P.noise, rows, tspec, panel, &tw);
    if (P.ridge == 0) train_report(panel, tw);
    // 0 vs 1 carries a measured, systematic learnability excess (krr.C5b): in the default run it is
    // asserted as that deviation, and krr.C5 is asserted on the other task.
    mnist_stats *ms = a == 0 && b == 1 && !cli_any_given(&C) ? &R->ms01 : &R->ms;
    mnist_check(rows, nn, ms);
    if (a == 0 && b == 1) mnist_bias(rows, nn, ms);
    // quick smoke test: the empirical MSE at the largest n is below the one at the smallest
    ms->emp_decreasing &= fit_mean(rows[nn - 1].mse, rows[nn - 1].trials) < fit_mean(rows[0].mse, rows[0].trials);
    R->mnist_ran = 1;
    char desc[200], note[700];
    kernel_describe(&k, desc, sizeof desc);
    snprintf(note, sizeof note, "MNIST %d vs %d (+1/-1), pixels standardised (mean %.6f, sd %.6f), kernel %s, pool M = %d, "
             "ridge %g, noise %g; beyond_pool = 1 for n > M/8 (not asserted)", a, b, m, sdv, desc, M, P.ridge, P.noise);
    write_learning(panel, "krr.C5", rows, nn, note);
    free_rows(rows, nn);
    free(rows);
}

int main(int argc, char **argv) {
    C = (cli){.slug = SLUG,
              .summary = "KRR learning curves from the eigenframework and the conservation law of learnability "
                         "(Simon et al., arXiv 2110.03922). Without panel flags: the full default experiment. "
                         "With --domain or any panel flag: one series with those parameters.",
              .claims = "krr.C1-C9",
              .opts = opts};
    cli_parse(&C, argc, argv);
    int panel = cli_any_given(&C), q = C.quick;
    if (panel && P.trials > 64 && strcmp(P.domain, "bootstrap") == 0)
        cli_usage_error(&C, "--trials %d: at most 64 for --domain bootstrap (trials at n = 1000; smaller n get more, up to 64)", P.trials);
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
            if (P.n_list.v[i] > 10) cli_usage_error(&C, "--n-list: n = %ld exceeds the 10 circle points", P.n_list.v[i]);
    // The ridgeless pool theory has at most M positive modes: n must stay well below M.
    if (panel && strcmp(P.domain, "mnist") == 0 && given("n-list") && P.ridge == 0)
        for (int i = 0; i < P.n_list.n; i++)
            if (2 * P.n_list.v[i] > P.pool)
                cli_usage_error(&C, "--n-list: n = %ld exceeds half the pool M = %d (ridgeless pool theory); raise --pool "
                                "or give --ridge", P.n_list.v[i], P.pool);
    if (given("task") || (panel && strcmp(P.domain, "mnist") == 0)) {
        int a, b;
        task_digits(P.task, &a, &b);
    }
    if (given("kernel") && !given("bandwidth") && strcmp(P.kernel, "ntk") != 0 && panel && strcmp(P.domain, "cube") == 0)
        P.bandwidth = 2.0;  // the cube's default length
    results R;
    memset(&R, 0, sizeof R);
    R.ms.finite = R.ms.th_decreasing = R.ms.emp_decreasing = 1;
    R.ms01 = R.ms;
    R.mnist_skip = "not run";
    double t0 = util_now();
    int ns[CLI_LIST_MAX], nn = P.n_list.n;
    for (int i = 0; i < nn; i++) ns[i] = (int)P.n_list.v[i];
    int deg[CLI_LIST_MAX], ndeg = P.degrees.n;
    for (int i = 0; i < ndeg; i++) deg[i] = (int)P.degrees.v[i];

    if (panel) {  // ---- one series, the user's parameters ----
        if (strcmp(P.domain, "circle") == 0) {
            int cn[CLI_LIST_MAX], cnn = given("n-list") ? nn : 2;
            for (int i = 0; i < cnn; i++) cn[i] = given("n-list") ? ns[i] : 3 + 3 * i;
            tsv *t = tsv_open(&C, "conservation.tsv", "krr.C1");
            tsv_columns(t, "kernel\tn\tmode\tfreq\tL_D");
            double tw = 0;
            e1_circle(t, cn, cnn, P.ridge, &R.c1_circle, &tw);
            if (P.ridge == 0) train_report("circle", tw);
            tsv_close(t);
            claim_report("krr.C1", CLAIM_IDENTITY, "max |sum_j L_D(g_j) / Tr[K(K+delta I)^-1] - 1| (circle)", R.c1_circle.worst_rel);
        } else if (strcmp(P.domain, "cube") == 0) {
            int dn[6] = {8, 16, 32, 64, 128, 200}, *use = given("n-list") ? ns : dn, un = given("n-list") ? nn : 6;
            int d = given("dim") ? P.dim : 8;
            tsv *tc = tsv_open(&C, "conservation_cube.tsv", "krr.C1 krr.C2");
            tsv_columns(tc, "n\tridge\tdraw\tsum_L\ttrace_ref");
            run_cube(d, use, un, P.trials, P.ridge, tc, NULL, &R, 0);
            tsv_close(tc);
            claim_report("krr.C3a", CLAIM_EXPERIMENT, "max |mean L_level - L_th| (n >= 16)", R.ps.worst_C3a);
        } else if (strcmp(P.domain, "sphere") == 0) {
            run_sphere(P.dim, ns, nn, deg, ndeg, P.trials, P.ntest, 400, 3000, NULL, NULL, NULL, 0, 0, &R);
            claim_report("krr.C4", CLAIM_EXPERIMENT, "max |MSE_exp/MSE_th - 1| where MSE_th >= 1e-3", R.c4_ratio);
            claim_report("krr.C4", CLAIM_EXPERIMENT, "max |L_exp - L_th|", R.c4_dL);
        } else if (strcmp(P.domain, "mnist") == 0) {
            int dn[11] = {2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}, tri[CLI_LIST_MAX];
            int *use = given("n-list") ? ns : dn, un = given("n-list") ? nn : 11;
            for (int i = 0; i < un; i++) tri[i] = P.trials;
            run_mnist(P.task, P.pool, use, tri, un, NULL, &R);
            if (R.mnist_ran) {
                char what[160];
                snprintf(what, sizeof what, "max |MSE_exp/MSE_th - 1| for n <= M/8 (max |L_exp - L_th| = %.4f)", R.ms.worst_dL);
                claim_report("krr.C5", CLAIM_EXPERIMENT, what, R.ms.worst_ratio);
            }
            else claim_skip("krr.C5", CLAIM_EXPERIMENT, R.mnist_skip);
        } else {  // bootstrap
            int dn[3] = {16, 125, 1000}, *use = given("n-list") ? ns : dn, un = given("n-list") ? nn : 3;
            tsv *t = tsv_open(&C, "bootstrap_sim.tsv", "krr.C9");
            tsv_columns(t, "n\ttau\tte_theory\tte_exp\tte_se\ttr_theory\ttr_exp\ttr_se\tratio");
            e5_sim(use, un, given("trials") ? P.trials : 6, t, &R.bs);
            tsv_close(t);
            claim_report("krr.C9", CLAIM_EXPERIMENT, "max |te_sim - te_th|/(0.1 te_th + 3 s.e.)", R.bs.sim_z);
        }
        progress_done("%s: panel %s done in %.1f s", SLUG, P.domain, util_now() - t0);
        return 0;
    }

    // ---- the default experiment ----
    tsv *tspec = tsv_open(&C, "spectra.tsv", "krr.C3 krr.C4 krr.C5");
    tsv_note(tspec, "per-level (cube, sphere; mult = multiplicity) or per-mode (MNIST pool) eigenvalues; v2 = target "
                    "squared coefficient (MNIST; 1 otherwise)");
    tsv_columns(tspec, "panel\tk\tlambda\tmult\tv2");
    // E1: circle
    int cn[2] = {3, 6};
    tsv *t = tsv_open(&C, "conservation.tsv", "krr.C1");
    tsv_note(t, "circle Z_10, ridgeless; L_D: D-learnability of each real Fourier mode (freq = its frequency)");
    tsv_columns(t, "kernel\tn\tmode\tfreq\tL_D");
    double tw = 0;
    e1_circle(t, cn, 2, 0.0, &R.c1_circle, &tw);
    train_report("circle", tw);
    tsv_close(t);
    progress("circle done");
    // E1 cube conservation + E2 parities
    int cube_n[6] = {8, 16, 32, 64, 128, 200}, cube_nq[2] = {8, 16};
    tsv *tc = tsv_open(&C, "conservation_cube.tsv", "krr.C1 krr.C2");
    tsv_note(tc, "sum over all 2^d Walsh functions of the D-learnability, and Tr[K(K+delta I)^-1] (= n ridgeless)");
    tsv_columns(tc, "n\tridge\tdraw\tsum_L\ttrace_ref");
    run_cube(q ? 6 : 8, q ? cube_nq : cube_n, q ? 2 : 6, q ? 5 : 20, 0.0, tc, tspec, &R, 0.5);
    tsv_close(tc);
    // E3 sphere + C6
    int sph_n[9] = {8, 16, 32, 64, 128, 256, 512, 1024, 2048}, sph_nq[2] = {32, 128}, sdeg[4] = {1, 2, 3, 4};
    int kn[3] = {64, 256, 1024}, knq[2] = {64, 256};
    tsv *tk = tsv_open(&C, "kappa.tsv", "krr.C6");
    tsv_note(tk, "kappa without a spectrum: 1/mean Tr[(K+delta I)^-1] over draws, vs the eigenframework");
    tsv_columns(tk, "n\tdelta\tkappa_theory\tkappa_est\tratio");
    run_sphere(8, q ? sph_nq : sph_n, q ? 2 : 9, sdeg, q ? 2 : 4, q ? 5 : 20, q ? 500 : 2000, q ? 200 : 400,
               q ? 1000 : 3000, tspec, tk, q ? knq : kn, q ? 2 : 3, q ? 3 : 5, &R);
    tsv_close(tk);
    // E4 MNIST
    if (q) {
        int mn[2] = {8, 32}, mt[2] = {4, 4};
        run_mnist("3v8", 400, mn, mt, 2, tspec, &R);
    } else {
        int mn[11] = {2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}, mt[11] = {20, 20, 20, 20, 20, 20, 20, 20, 10, 5, 5};
        run_mnist("0v1", MNIST_POOL, mn, mt, 11, tspec, &R);
        if (R.mnist_ran) run_mnist("3v8", MNIST_POOL, mn, mt, 11, tspec, &R);
    }
    tsv_close(tspec);
    // C7 power laws
    tsv *tp = tsv_open(&C, "powerlaw.tsv", "krr.C7");
    tsv_columns(tp, "alpha\tn\tmodes\ttail\tkappa\tkappa_continuum\tratio\tE0");
    c7_powerlaw(q ? 1000000 : 10000000, q, tp, &R.pl);
    tsv_close(tp);
    // E5 bootstrap
    int bn[4] = {16, 125, 1000, 8000}, bsim[3] = {16, 125, 1000}, bsimq[1] = {16};
    tsv *tb = tsv_open(&C, "bootstrap_theory.tsv", "krr.C8");
    tsv_note(tb, "lambda_i = i^-2, v_i^2 = i^-2/Z, 5e5 modes; n = 0 means n = infinity; tau_star = 1/kappa0(n)");
    tsv_columns(tb, "n\ttau\tte\ttr\ttau_star");
    e5_theory(bn, q ? 2 : 4, q ? 12 : 60, tb, &R.bs);
    tsv_close(tb);
    tsv *ts = tsv_open(&C, "bootstrap_sim.tsv", "krr.C9");
    tsv_note(ts, "Gaussian design, P = 16 n features, tail as ridge for kappa (test side), train residual with the user's ridge "
                 "n/tau; theory on the same P-mode spectrum; trials %d at n = 1000, up to 64 at small n", q ? 3 : 6);
    tsv_columns(ts, "n\ttau\tte_theory\tte_exp\tte_se\ttr_theory\ttr_exp\ttr_se\tratio");
    e5_sim(q ? bsimq : bsim, q ? 1 : 3, q ? 3 : 6, ts, &R.bs);
    tsv_close(ts);

    print_claims(&R);
    progress_done("%s: done in %.1f s", SLUG, util_now() - t0);
    claim_summary(SLUG);
    return 0;
}
