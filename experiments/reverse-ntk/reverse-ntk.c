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
//
// Writes (to --out, default figures/data/reverse-ntk/): kernels.tsv, mc.tsv, coeffs.tsv,
// fits.tsv, activations.tsv, mnist_depth.tsv (split 1), mnist_mimic.tsv (per split),
// mnist_mimic_mean.tsv (mean and standard error over the splits).
//
// Run: build/reverse-ntk                        (default: ~1 min CPU on one core; MNIST 5 splits)
//      build/reverse-ntk --quick                (~0.7 s; MC on panels A and E, MNIST n = 300, 3 splits)
//      build/reverse-ntk --target erf-ntk --depth 3 --wstd 1.5 --bstd 0.3 --mode ntk
//      build/reverse-ntk --ntrain 500 --ntest 500   (only the MNIST part)
//      build/reverse-ntk --splits 10 --ntest 1000   (more splits; splits x ntest <= 10000)
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "claim.h"
#include "cli.h"
#include "hermite.h"
#include "idx.h"
#include "mnist.h"
#include "kernel.h"
#include "krr.h"
#include "nnls.h"
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

#define DMAX 24           // largest polynomial degree (fits, mimics)
#define NFIT 1000         // fitting points (the notebook's)
#define NERR 401          // uniform grid for the fit errors
#define NCHECK 21         // xi points of the exactness check (C1)
#define NPLOT 201         // xi points of the drawn curves
#define MAXP 10           // panels
#define STREAM_SPLIT 7    // rng stream of the MNIST split permutations

struct params {
    const char *panels;      // comma-separated panel ids
    int degree;              // D for the Figure 1 panels
    double endpoint_weight;  // fraction of the fitting points on each endpoint
    double coef_threshold;   // c_k below this are set to 0 (the notebook does)
    int gh_nodes;            // Gauss-Hermite nodes per dimension
    long mc_neurons;         // M per xi point
    int mc_points;           // xi = -1 ... 1
    int ntrain, ntest;       // MNIST sizes
    int splits;              // disjoint random train/test splits of MNIST
    cli_ilist depths;        // MNIST depths
    cli_ilist mimic_degrees; // degrees of the mimic of the deep ReLU NNGP
    int mimic_depth;         // the deep kernel the mimic copies
    const char *target;      // single-target mode: relu-nngp, relu-ntk, erf-nngp, erf-ntk
    int depth;               // its hidden layers
    double wstd, bstd;       // its W_std, b_std
    const char *mode;        // nngp or ntk: which shallow kernel is matched
};

static struct params P = {
    .panels = "A,B,C,D,E,F,G,H,Bntk",
    .degree = 7,
    .endpoint_weight = 0.1,
    .coef_threshold = 1e-3,
    .gh_nodes = 40,
    .mc_neurons = 4000000,
    .mc_points = 11,
    .ntrain = 2000,
    .ntest = 2000,
    .splits = 5,
    .depths = {15, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}},
    .mimic_degrees = {19, {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}},
    .mimic_depth = 15,
    .target = NULL,
    .depth = 4,
    .wstd = 1.5,
    .bstd = 0.1,
    .mode = "nngp",
};

static cli_opt opts[] = {
    {"panels", CLI_STRING, &P.panels, .help = "Figure 1 panels (A-H; Bntk = the 1HL NTK matched to B)"},
    {"degree", CLI_INT, &P.degree, 0, 20, .help = "polynomial degree D of the fits"},
    {"endpoint-weight", CLI_DOUBLE, &P.endpoint_weight, 0.001, 0.45, .help = "share of fitting points on each endpoint"},
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
    {"target", CLI_CHOICE, &P.target, .choices = "relu-nngp|relu-ntk|erf-nngp|erf-ntk", .help = "single target kernel (instead of the panels)"},
    {"depth", CLI_INT, &P.depth, 1, 50, .help = "hidden layers of --target"},
    {"wstd", CLI_DOUBLE, &P.wstd, 0.01, 10, .help = "W_std of --target's hidden layers"},
    {"bstd", CLI_DOUBLE, &P.bstd, 0, 10, .help = "b_std of --target's hidden layers"},
    {"mode", CLI_CHOICE, &P.mode, .choices = "nngp|ntk", .help = "match the shallow NNGP or the shallow NTK to --target"},
    {0}};

// ---- theory: the target kernels ----
//
// The deep targets are common/kernel's network kernels on the sphere: a Dense layer
// with $W_{std}, b_{std}$ then the activation, four times, then a Dense readout with
// $W_{std} = 1$, $b_{std} = 0$, in NTK parametrisation.  For both inputs on the sphere the
// first layer sees $\Sigma^1 = W^2 \xi + b^2$; `kernel_sphere_profile` with $r^2 = d_{in} = 1$
// evaluates exactly that.  The other four targets are closed forms with known series.

typedef enum { T_NET, T_E, T_F, T_G, T_H } target_kind;

typedef struct {
    char id[8];            // "A" .. "H", "Bntk", "T" (single target)
    char title[64];
    target_kind kind;
    kernel_spec ks;        // for T_NET
    int ntk_mode;          // 1: the shallow NTK is matched (b_k = sqrt(c_k k!/(k+1)))
    int has_ref;           // the reference table's values below apply
    double ref[3];         // K(-1), K(0), K(1)
    double cref[8];        // fitted c_0..c_7
    double bound_l2, bound_sup;  // C2 bounds on the fit errors
    int mc;                // Monte Carlo on this panel
    // results
    int D;
    double c[DMAX + 1];    // fitted, thresholded power series
    double beta[DMAX + 1]; // phi = sum_k beta_k h_k with h_k = He_k/sqrt(k!): beta_k = b_k/sqrt(k!)
    double a[DMAX + 1];    // phi = sum_k a_k He_k: a_k = b_k/k!
    double l2, sup;        // relative fit errors
} panel;

static double target_eval(const panel *pn, double xi) {
    switch (pn->kind) {
    case T_NET: return kernel_sphere_profile(&pn->ks, xi, 1.0, 1);
    case T_E: return pow(xi, 4) + xi;
    case T_F: return pow(xi, 5) + 3;
    case T_G: return sinh(2 * xi);
    case T_H: return cosh(2 * xi);
    }
    return NAN;
}

// The reference table: target values, fitted coefficients and fit-error bounds (C2), from a
// computation independent of this program (6 significant digits).
static const struct {
    const char *id, *title;
    target_kind kind;
    const char *kname;
    double bstd;
    int ntk_mode;
    double ref[3], cref[8], bl2, bsup;
} TABLE[] = {
    {"A", "4HL ReLU (NNGP)", T_NET, "relu-nngp", 0.1, 0, {0.987951, 1.11213, 1.62588},
     {1.11213, 0.230516, 0.140753, 0.0523751, 0, 0, 0.0535869, 0.0357766}, 0.002, 0.004},
    {"B", "4HL ReLU (NTK)", T_NET, "relu-ntk", 0.1, 0, {1.72544, 2.34508, 8.09682},
     {2.38661, 1.52913, 0.746283, 0, 0, 0, 1.70696, 1.60042}, 0.045, 0.075},
    {"C", "4HL erf (NNGP)", T_NET, "erf-nngp", 0.3, 0, {-0.210965, 0.0878666, 0.505823},
     {0.0883636, 0.245131, 0.0166825, 0.0508019, 0, 0, 0.0417986, 0.0621152}, 0.008, 0.011},
    {"D", "4HL erf (NTK)", T_NET, "erf-ntk", 0.3, 0, {-1.56502, 0.27051, 4.25734},
     {0.288618, 1.33245, 0, 0.0924699, 0, 0, 1.03135, 1.47139}, 0.045, 0.05},
    {"E", "K = xi^4 + xi", T_E, NULL, 0, 0, {0, 0, 2}, {0, 1, 0, 0, 1, 0, 0, 0}, 1e-8, 1e-8},
    {"F", "K = xi^5 + 3", T_F, NULL, 0, 0, {2, 3, 4}, {3, 0, 0, 0, 0, 1, 0, 0}, 1e-8, 1e-8},
    {"G", "K = sinh(2 xi)", T_G, NULL, 0, 0, {-3.62686, 0, 3.62686},
     {0, 1.99995, 0, 1.33400, 0, 0.264191, 0, 0.0287128}, 1e-4, 1e-4},
    {"H", "K = cosh(2 xi)", T_H, NULL, 0, 0, {3.76220, 1, 3.76220},
     {0.999952, 0, 2.00162, 0, 0.658311, 0, 0.102295, 0}, 1e-4, 1e-4},
    {"Bntk", "4HL ReLU (NTK), 1HL NTK matched", T_NET, "relu-ntk", 0.1, 1, {1.72544, 2.34508, 8.09682},
     {2.38661, 1.52913, 0.746283, 0, 0, 0, 1.70696, 1.60042}, 0.045, 0.075},
};
#define NTABLE ((int)(sizeof TABLE / sizeof TABLE[0]))

// ---- theory: fitting the power series ----
//
// $\min_{c \ge 0} \sum_i (\sum_{k \le D} c_k \xi_i^k - K(\xi_i))^2$ on 1000 points: 802 equally
// spaced from 1 to -1 plus 99 extra copies of each endpoint (10% of the weight each), solved by
// Lawson-Hanson (common/nnls).  Then $c_k < 10^{-3} \to 0$, as the notebook does.

typedef struct {
    int D;
    nnls_workspace *w;
    double *A, *b;   // (NFIT, D+1) design, (NFIT) targets
    double xi[NFIT];
} fitter;

static fitter *fitter_alloc(int D) {
    fitter *f = XNEW(fitter, 1);
    f->D = D;
    f->w = nnls_alloc(NFIT, D + 1);
    f->A = XNEW(double, (size_t)NFIT * (D + 1));
    f->b = XNEW(double, NFIT);
    int nend = (int)lround(P.endpoint_weight * NFIT);  // copies of each endpoint, grid's included
    int ngrid = NFIT - 2 * nend + 2;
    int i = 0;
    for (int j = 0; j < ngrid; j++) f->xi[i++] = 1 - 2.0 * j / (ngrid - 1);
    for (int j = 1; j < nend; j++) f->xi[i++] = 1;
    for (int j = 1; j < nend; j++) f->xi[i++] = -1;
    for (i = 0; i < NFIT; i++) {
        double t = 1;
        for (int k = 0; k <= D; k++, t *= f->xi[i]) f->A[(size_t)i * (D + 1) + k] = t;
    }
    return f;
}

static void fitter_free(fitter *f) {
    nnls_free(f->w);
    free(f->A);
    free(f->b);
    free(f);
}

static double poly_eval(int D, const double *c, double xi) {  // Horner
    double s = c[D];
    for (int k = D - 1; k >= 0; k--) s = s * xi + c[k];
    return s;
}

// Fit K(xi) = f(xi, ctx) with degree f->D; c (D+1) out.
static void fit_series(fitter *f, double (*K)(const void *, double), const void *ctx, double *c) {
    for (int i = 0; i < NFIT; i++) f->b[i] = K(ctx, f->xi[i]);
    int st = nnls_solve(f->w, f->A, f->b, c, NULL);
    if (st) DIE("NNLS fit of degree %d failed (status %d); try a lower --degree", f->D, st);
    for (int k = 0; k <= f->D; k++)
        if (c[k] < P.coef_threshold) c[k] = 0;
}

static double panel_target_cb(const void *pn, double xi) { return target_eval(pn, xi); }

// Relative L2 and sup errors of the fitted series on a uniform 401-point grid.
static void fit_errors(const panel *pn, double *l2, double *sup) {
    double num = 0, den = 0, emax = 0, kmax = 0;
    for (int i = 0; i < NERR; i++) {
        double xi = -1 + 2.0 * i / (NERR - 1), K = target_eval(pn, xi), p = poly_eval(pn->D, pn->c, xi);
        num += (p - K) * (p - K);
        den += K * K;
        emax = fmax(emax, fabs(p - K));
        kmax = fmax(kmax, fabs(K));
    }
    *l2 = sqrt(num / den);
    *sup = emax / kmax;
}

// ---- theory: the Hermite construction ----
//
// With $\phi(z) = \sum_k b_k \mathrm{He}_k(z)/k!$ and Mehler's identity
// $\mathbb E[\mathrm{He}_j(u)\mathrm{He}_k(v)] = \delta_{jk} k!\,\xi^k$:
// $$\mathbb E[\phi(u)\phi(v)] = \sum_k \frac{b_k^2}{k!}\xi^k,\qquad
//   \Theta(\xi) = \mathbb E[\phi\phi] + \xi\,\mathbb E[\phi'\phi'] = \sum_k (1+k)\frac{b_k^2}{k!}\xi^k .$$
// So $b_k = \sqrt{c_k k!}$ matches the NNGP to $K$, and $b_k = \sqrt{c_k k!/(k+1)}$ the NTK.
// In the normalised basis $h_k = \mathrm{He}_k/\sqrt{k!}$ (common/hermite) the activation is
// $\phi = \sum_k \beta_k h_k$ with $\beta_k = b_k/\sqrt{k!}$, i.e. $\beta_k = \sqrt{c_k}$ in NNGP
// mode: the shallow NNGP is $\sum_k \beta_k^2 \xi^k$.

static void panel_activation(panel *pn) {
    for (int k = 0; k <= pn->D; k++) {
        double kf = exp(lgamma(k + 1.0));
        double b = pn->ntk_mode ? sqrt(pn->c[k] * kf / (k + 1)) : sqrt(pn->c[k] * kf);  // b_k from Mehler's identity
        pn->beta[k] = b / sqrt(kf);
        pn->a[k] = b / kf;
    }
}

// The series the construction promises: NNGP sum beta_k^2 xi^k, NTK sum (1+k) beta_k^2 xi^k.
static double series_nngp(const panel *pn, double xi) {
    double s = 0, t = 1;
    for (int k = 0; k <= pn->D; k++, t *= xi) s += pn->beta[k] * pn->beta[k] * t;
    return s;
}
static double series_ntk(const panel *pn, double xi) {
    double s = 0, t = 1;
    for (int k = 0; k <= pn->D; k++, t *= xi) s += (1 + k) * pn->beta[k] * pn->beta[k] * t;
    return s;
}
// The kernel the shallow network is built to have (NTK in NTK mode, else NNGP).
static double engineered(const panel *pn, double xi) { return pn->ntk_mode ? series_ntk(pn, xi) : series_nngp(pn, xi); }

// ---- experiment: exact expectations by Gauss-Hermite quadrature ----
//
// GSL's Hermite rule has weight $e^{-x^2}$: with $z = \sqrt2 x$ and weights divided by
// $\sqrt\pi$ it integrates against $N(0,1)$.  A bivariate pair with correlation $\xi$ is
// $u = z_1$, $v = \xi z_1 + \sqrt{1-\xi^2} z_2$.  The $m$-node rule is exact for polynomials of
// degree $\le 2m-1$ in each variable; $(\phi\phi)^2$ has degree $\le 4D$, so $m = 40$ is exact
// up to rounding for $D \le 19$.  $\phi$ and $\phi'$ are evaluated through common/hermite's
// normalised recurrence ($h_k' = \sqrt{k}\,h_{k-1}$).

typedef struct {
    int m;
    double *z, *w;  // nodes and N(0,1) weights (sum 1)
} gh_rule;

static gh_rule gh_make(int m) {
    gh_rule g = {m, XNEW(double, m), XNEW(double, m)};
    gsl_integration_fixed_workspace *ws = gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, (size_t)m, 0, 1, 0, 0);
    if (!ws) DIE("gsl_integration_fixed_alloc(hermite, %d) failed", m);
    const double *x = gsl_integration_fixed_nodes(ws), *w = gsl_integration_fixed_weights(ws);
    for (int i = 0; i < m; i++) {
        g.z[i] = M_SQRT2 * x[i];
        g.w[i] = w[i] / sqrt(M_PI);
    }
    gsl_integration_fixed_free(ws);
    return g;
}

static void phi_eval_h(const panel *pn, double z, double *phi, double *dphi) {
    double h[DMAX + 2];
    hermite_h_array(pn->D, z, h);
    double s = 0, d = 0;
    for (int k = 0; k <= pn->D; k++) {
        s += pn->beta[k] * h[k];
        if (k) d += pn->beta[k] * sqrt((double)k) * h[k - 1];
    }
    *phi = s;
    *dphi = d;
}

typedef struct {
    double K, Kd;       // E[phi phi], E[phi' phi']
    double pp2, ppdd, dd2;  // E[(phi phi)^2], E[phi phi phi' phi'], E[(phi' phi')^2]
} gh_moments;

static gh_moments gh_expect(const gh_rule *g, const panel *pn, double xi) {
    gh_moments r = {0, 0, 0, 0, 0};
    double s = sqrt(fmax(0, 1 - xi * xi));
    for (int i = 0; i < g->m; i++) {
        double pu, du;
        phi_eval_h(pn, g->z[i], &pu, &du);
        for (int j = 0; j < g->m; j++) {
            double pv, dv, wt = g->w[i] * g->w[j];
            phi_eval_h(pn, xi * g->z[i] + s * g->z[j], &pv, &dv);
            double pp = pu * pv, dd = du * dv;
            r.K += wt * pp;
            r.Kd += wt * dd;
            r.pp2 += wt * pp * pp;
            r.ppdd += wt * pp * dd;
            r.dd2 += wt * dd * dd;
        }
    }
    return r;
}

// The variance of one neuron's contribution.  NNGP: Y = phi(u) phi(v).
// NTK: Y = phi phi + a^2 xi phi' phi' with a ~ N(0,1), E a^2 = 1, E a^4 = 3.
static double neuron_variance(const gh_moments *q, int ntk, double xi) {
    if (!ntk) return q->pp2 - q->K * q->K;
    double mean = q->K + xi * q->Kd;
    return q->pp2 + 2 * xi * q->ppdd + 3 * xi * xi * q->dd2 - mean * mean;
}

// ---- experiment: finite width by Monte Carlo ----
//
// A width-$M$ network's empirical NNGP with the readout averaged analytically is
// $\hat K(\xi) = \frac1M \sum_i \phi(u_i)\phi(v_i)$; in NTK mode each neuron adds
// $a_i^2 \xi \phi'(u_i)\phi'(v_i)$.  The hot loop evaluates $\phi$ with the plain recurrence
// $\mathrm{He}_{k+1} = z\mathrm{He}_k - k\mathrm{He}_{k-1}$ and $\phi = \sum a_k \mathrm{He}_k$
// (no square roots), checked against common/hermite's evaluation before use.
// $z = (\hat K - K_{eng})/\mathrm{SE}$ with the exact $\mathrm{SE} = \sqrt{\mathrm{Var}/M}$.

static inline void phi_eval_fast(const double *a, int D, double z, double *phi, double *dphi) {
    double hm = 1, h = z;  // He_0, He_1
    double s = a[0] + (D >= 1 ? a[1] * z : 0), d = D >= 1 ? a[1] : 0;
    for (int k = 1; k < D; k++) {
        double hn = z * h - k * hm;  // He_{k+1}
        s += a[k + 1] * hn;
        d += a[k + 1] * (k + 1) * h;  // He_{k+1}' = (k+1) He_k
        hm = h;
        h = hn;
    }
    *phi = s;
    *dphi = d;
}

static double mc_kernel(gsl_rng *r, const panel *pn, double xi, long M) {
    double s = sqrt(fmax(0, 1 - xi * xi)), sum = 0;
    for (long i = 0; i < M; i++) {
        double z1 = rng_normal(r), z2 = rng_normal(r);
        double pu, du, pv, dv;
        phi_eval_fast(pn->a, pn->D, z1, &pu, &du);
        phi_eval_fast(pn->a, pn->D, xi * z1 + s * z2, &pv, &dv);
        double y = pu * pv;
        if (pn->ntk_mode) {
            double a = rng_normal(r);
            y += a * a * xi * du * dv;
        }
        sum += y;
    }
    return sum / M;
}

// ---- experiment: deep kernels and shallow mimics on MNIST ----
//
// Every input is rescaled to $\|x\|^2 = d$, so all diagonal variances are equal and the deep
// kernel is a function of $\xi$ alone.  We advance the deep kernels' recursion one depth at a time
// over the arrays $(c, \Theta)$ of all train-train and test-train pairs (the scalar $q$ is
// shared): at depth $L$ the readout gives NNGP $= \mathbb E[\phi\phi](q_L, c_L)$ and NTK
// $= \mathbb E[\phi\phi] + \Theta_L\,\mathbb E[\phi'\phi']$; then
// $c_{L+1} = W^2\mathbb E[\phi\phi] + b^2$, $\Theta_{L+1} = c_{L+1} + W^2\mathbb E[\phi'\phi']\Theta_L$.
// This is common/kernel's recursion (the same closed forms), reorganised so that 15 depths
// cost 15 layer steps per pair instead of 120; every depth is checked against
// `kernel_sphere_profile` on a sample of pairs.

static void moments(int erf, double q, double c, double *Ephi, double *Edot) {
    if (erf) {  // Williams: (2/pi) asin(2c/(1+2q)), (4/pi)/sqrt((1+2q)^2 - 4c^2)
        double r = 2 * c / (1 + 2 * q);
        *Ephi = (2 / M_PI) * asin(fmax(-1, fmin(1, r)));
        *Edot = (4 / M_PI) / sqrt((1 + 2 * q) * (1 + 2 * q) - 4 * c * c);
    } else {  // Cho & Saul: (q/2pi)(sin th + (pi - th) cos th), (pi - th)/(2 pi)
        if (c == q) { *Ephi = q / 2; *Edot = 0.5; return; }
        double rho = fmax(-1, fmin(1, c / q)), th = acos(rho);
        *Ephi = q * (sin(th) + (M_PI - th) * rho) / (2 * M_PI);
        *Edot = (M_PI - th) / (2 * M_PI);
    }
}

typedef struct {
    int n, nt, N;      // train, test, n + nt rows
    double *xi;        // (N, n): rows 0..n-1 train, then test; cosine with each training point
    double *Y;         // (n, 10) one-hot training labels
    unsigned char *yt; // (nt) test labels
    double *Kc, *Yc, *pred;  // scratch for the solve
} mnist_task;

// Kernel regression with the Gram rows K (N, n); accuracy (%) and MSE on the test rows.
static void krr_score(mnist_task *t, const double *K, double *acc, double *mse, double *delta_out) {
    int n = t->n, nt = t->nt;
    double tr = 0;
    for (int i = 0; i < n; i++) tr += K[(size_t)i * n + i];
    double delta = 1e-8 * tr / n;  // "ridgeless in intent": 1e-8 mean(diag K_train), absolute
    memcpy(t->Kc, K, sizeof(double) * n * n);
    memcpy(t->Yc, t->Y, sizeof(double) * n * 10);
    int info = krr_solve(n, t->Kc, delta, 10, t->Yc, nt, K + (size_t)n * n, t->pred);
    if (info) DIE("kernel regression: Cholesky failed (info %d) at ridge %g; the Gram matrix is not positive definite", info, delta);
    int right = 0;
    double se = 0;
    for (int i = 0; i < nt; i++) {
        int best = 0;
        for (int k = 0; k < 10; k++) {
            double yk = t->pred[i * 10 + k], target = (k == t->yt[i]);
            se += 0.5 * (yk - target) * (yk - target);
            if (yk > t->pred[i * 10 + best]) best = k;
        }
        right += best == t->yt[i];
    }
    *acc = 100.0 * right / nt;
    *mse = se / nt;
    if (delta_out) *delta_out = delta;
}

// The images idx[0..count) (scaled to [0,1]) and labels of one MNIST file pair, through
// common/idx's parser (every header and length check), without converting all 60000 images to
// doubles.
static void mnist_head(const char *dir, int train, const size_t *idx, int count, double *x, unsigned char *y) {
    const char *img = train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";
    const char *lab = train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte";
    char path[4096], err[512];
    unsigned dims[3];
    const unsigned char *data;
    unsigned char *buf;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, img);
    if (idx_read_file(path, &buf, &len, err, sizeof err) || idx_parse(buf, len, 0x803, dims, &data, err, sizeof err))
        DIE("%s: %s (run make data)", path, err);
    if ((int)dims[0] < count || dims[1] * dims[2] != 784) DIE("%s: %u images of %ux%u; need %d of 28x28", path, dims[0], dims[1], dims[2], count);
    unsigned nimg = dims[0];
    for (int i = 0; i < count; i++) {
        if (idx[i] >= nimg) DIE("%s: image %zu requested of %u", path, idx[i], nimg);
        for (int k = 0; k < 784; k++) x[(size_t)i * 784 + k] = data[idx[i] * 784 + k] / 255.0;
    }
    free(buf);
    snprintf(path, sizeof path, "%s/%s", dir, lab);
    if (idx_read_file(path, &buf, &len, err, sizeof err) || idx_parse(buf, len, 0x801, dims, &data, err, sizeof err))
        DIE("%s: %s (run make data)", path, err);
    if (dims[0] != nimg) DIE("%s: %u labels for %u images (run make data)", path, dims[0], nimg);
    for (int i = 0; i < count; i++) {
        if (data[idx[i]] > 9) DIE("%s: label %u at index %zu is not a digit (run make data)", path, data[idx[i]], idx[i]);
        y[i] = data[idx[i]];
    }
    free(buf);
}

static void mnist_prepare(const char *dir, const size_t *itr, int n, const size_t *ite, int nt, mnist_task *t) {
    const int d = 784;
    int N = n + nt;
    double *X = XNEW(double, (size_t)N * d);
    unsigned char *ytr = XNEW(unsigned char, n);
    t->yt = XNEW(unsigned char, nt);
    mnist_head(dir, 1, itr, n, X, ytr);
    mnist_head(dir, 0, ite, nt, X + (size_t)n * d, t->yt);
    // Global standardisation with the training subset's pixel mean and sd.
    double mean = 0, var = 0;
    for (size_t i = 0; i < (size_t)n * d; i++) mean += X[i];
    mean /= (double)n * d;
    for (size_t i = 0; i < (size_t)n * d; i++) var += (X[i] - mean) * (X[i] - mean);
    double sd = sqrt(var / ((double)n * d));
    for (size_t i = 0; i < (size_t)N * d; i++) X[i] = (X[i] - mean) / sd;
    for (int i = 0; i < N; i++) {  // ||x||^2 = d
        double s = 0;
        for (int j = 0; j < d; j++) s += X[(size_t)i * d + j] * X[(size_t)i * d + j];
        double f = sqrt(d / s);
        for (int j = 0; j < d; j++) X[(size_t)i * d + j] *= f;
    }
    t->n = n;
    t->nt = nt;
    t->N = N;
    t->xi = XNEW(double, (size_t)N * n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, n, d, 1.0 / d, X, d, X, d, 0.0, t->xi, n);
    for (size_t e = 0; e < (size_t)N * n; e++) t->xi[e] = fmax(-1, fmin(1, t->xi[e]));
    for (int i = 0; i < n; i++) t->xi[(size_t)i * n + i] = 1;  // exactly, not by cancellation
    t->Y = XNEW(double, (size_t)n * 10);
    for (int i = 0; i < n; i++) t->Y[i * 10 + ytr[i]] = 1;
    t->Kc = XNEW(double, (size_t)n * n);
    t->Yc = XNEW(double, (size_t)n * 10);
    t->pred = XNEW(double, (size_t)nt * 10);
    free(X);
    free(ytr);
}

// The ReLU NNGP of `L` hidden layers on all pairs of one split, by the recursion above: K
// receives it, cc is a workspace of the same size (N, n).
static void relu_nngp_deep(const mnist_task *T, int L, double wstd, double bstd, double *K, double *cc) {
    const size_t NE = (size_t)T->N * T->n;
    const double w2 = wstd * wstd, b2 = bstd * bstd;
    double q = w2 + b2;
    for (size_t e = 0; e < NE; e++) cc[e] = w2 * T->xi[e] + b2;
    for (int l = 1; l <= L; l++) {
        double ephq, edq;
        moments(0, q, q, &ephq, &edq);
        for (size_t e = 0; e < NE; e++) {
            double Ephi, Edot;
            moments(0, q, cc[e], &Ephi, &Edot);
            K[e] = Ephi;
            cc[e] = w2 * Ephi + b2;
        }
        const double qn = w2 * ephq + b2;
        for (int i = 0; i < T->n; i++) cc[(size_t)i * T->n + i] = qn;  // the diagonal stays at c = q exactly
        q = qn;
    }
}

// Figure 2A on one split: ReLU and erf, NNGP and NTK, at every depth of --depths, each checked
// against common/kernel on a sample of pairs; writes mnist_depth.tsv and prints the table.
static void depth_sweep(cli *c, mnist_task *T, double t0) {
    size_t NE = (size_t)T->N * T->n;
    double *cc = XNEW(double, NE), *Th = XNEW(double, NE), *Kn = XNEW(double, NE), *Kt = XNEW(double, NE);
    int Lmax = 0;
    for (int i = 0; i < P.depths.n; i++) Lmax = P.depths.v[i] > Lmax ? (int)P.depths.v[i] : Lmax;
    // res[act][ntk][depth] = (acc, mse)
    double (*res)[2][51][2] = calloc(2, sizeof *res);
    double max_check = 0;
    const double W[2] = {1.5, 1.5}, Bs[2] = {0.1, 0.3};
    for (int act = 0; act < 2; act++) {
        double w2 = W[act] * W[act], b2 = Bs[act] * Bs[act], q = w2 + b2;
        for (size_t e = 0; e < NE; e++) Th[e] = cc[e] = w2 * T->xi[e] + b2;
        kernel_spec ksn, kst;
        kernel_spec_parse(&ksn, act ? "erf-nngp" : "relu-nngp", 1, 1, W[act], Bs[act], NULL, 0);
        kernel_spec_parse(&kst, act ? "erf-ntk" : "relu-ntk", 1, 1, W[act], Bs[act], NULL, 0);
        for (int L = 1; L <= Lmax; L++) {
            double ephq, edq;
            moments(act, q, q, &ephq, &edq);
            for (size_t e = 0; e < NE; e++) {
                double Ephi, Edot;
                moments(act, q, cc[e], &Ephi, &Edot);
                Kn[e] = Ephi;
                Kt[e] = Ephi + Edot * Th[e];
                cc[e] = w2 * Ephi + b2;
                Th[e] = cc[e] + w2 * Edot * Th[e];
            }
            double qn = w2 * ephq + b2;
            for (int i = 0; i < T->n; i++) cc[(size_t)i * T->n + i] = qn;  // the diagonal stays at c = q exactly
            q = qn;
            int want = 0;
            for (int i = 0; i < P.depths.n; i++) want |= P.depths.v[i] == L;
            if (!want) continue;
            // The recursion equals common/kernel's at a sample of pairs.
            ksn.depth = kst.depth = L;
            for (size_t e = 0; e < NE; e += NE / 97 + 1) {
                double rn = kernel_sphere_profile(&ksn, T->xi[e], 1, 1), rt = kernel_sphere_profile(&kst, T->xi[e], 1, 1);
                max_check = fmax(max_check, fmax(fabs(Kn[e] - rn) / fabs(rn), fabs(Kt[e] - rt) / fabs(rt)));
            }
            krr_score(T, Kn, &res[act][0][L][0], &res[act][0][L][1], NULL);
            krr_score(T, Kt, &res[act][1][L][0], &res[act][1][L][1], NULL);
            progress("MNIST %s depth %d: %.1f s", act ? "erf" : "relu", L, util_now() - t0);
        }
    }
    if (max_check > 1e-10)
        DIE("the depth-by-depth recursion disagrees with common/kernel by %.3g (relative); a bug in one of them", max_check);
    tsv *td = tsv_open(c, "mnist_depth.tsv", "revntk.C5");
    tsv_note(td, "kernel regression on MNIST (split 1: n_train %d, n_test %d), ridge 1e-8 mean(diag K_train) absolute", T->n, T->nt);
    tsv_note(td, "ReLU: W_std 1.5, b_std 0.1; erf: W_std 1.5, b_std 0.3; readout W_std 1, b_std 0");
    tsv_note(td, "depth-by-depth recursion vs common/kernel: max relative difference %.3g", max_check);
    tsv_columns(td, "depth\trelu_nngp_acc\trelu_nngp_mse\trelu_ntk_acc\trelu_ntk_mse\terf_nngp_acc\terf_nngp_mse\terf_ntk_acc\terf_ntk_mse");
    printf("\nMNIST split 1 (n_train = %d, n_test = %d), accuracy %% / MSE by depth:\n", T->n, T->nt);
    printf("depth   ReLU NNGP        ReLU NTK         erf NNGP         erf NTK\n");
    for (int i = 0; i < P.depths.n; i++) {
        int L = (int)P.depths.v[i];
        tsv_row(td, "%d\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g\t%.8g", L, res[0][0][L][0], res[0][0][L][1],
                res[0][1][L][0], res[0][1][L][1], res[1][0][L][0], res[1][0][L][1], res[1][1][L][0], res[1][1][L][1]);
        printf("%5d   %6.2f/%.4f   %6.2f/%.4f   %6.2f/%.4f   %6.2f/%.4f\n", L, res[0][0][L][0], res[0][0][L][1],
               res[0][1][L][0], res[0][1][L][1], res[1][0][L][0], res[1][0][L][1], res[1][1][L][0], res[1][1][L][1]);
    }
    tsv_close(td);
    free(cc), free(Th), free(Kn), free(Kt), free(res);
}

// Spearman's rank correlation of two m-vectors (no ties expected: fit errors and measured
// deviations are continuous).
static double spearman(int m, const double *x, const double *y) {
    double rx[DMAX + 1], ry[DMAX + 1], mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < m; i++) {
        rx[i] = ry[i] = 0;
        for (int j = 0; j < m; j++) rx[i] += x[j] < x[i], ry[i] += y[j] < y[i];
        mx += rx[i] / m, my += ry[i] / m;
    }
    for (int i = 0; i < m; i++) sxy += (rx[i] - mx) * (ry[i] - my), sxx += (rx[i] - mx) * (rx[i] - mx), syy += (ry[i] - my) * (ry[i] - my);
    return sxy / sqrt(sxx * syy);
}

// Per mimic degree, over the splits: mean and standard error of [0] r = MSE_mimic/MSE_target,
// [1] |r - 1|, [2] accuracy difference (pp), [3] the prediction distance.
typedef struct {
    int D;
    double l2;
    double mean[4], se[4];
} mimic_summary;

// ---- measurement (claims) ----
//
// * **C1** the Hermite identity is exact: quadrature = series to $10^{-10}\max(1, |\text{series}|)$
//   for $\mathbb E[\phi\phi]$ and the NTK combination, at 21 $\xi$, for every panel's activation
//   and a random $c \sim U(0,1)^{11}$.
// * **C2** targets at $\xi = -1, 0, 1$, fitted $c_k$ (to $10^{-4}$) and fit errors agree with
//   the reference table (value: the largest error in units of its tolerance).
// * **C3** finite width: fraction of $|z| \le 2$ at least 0.85 (quick 0.75), median $|z| \le 1.5$.
// * **C4** NTK mode: quadrature NTK = $\sum c_k \xi^k$ and the same network's NNGP
//   $= \sum c_k \xi^k/(k+1)$, both to $10^{-10}$.
// * **C5** MNIST, over several random splits: the degree-20 mimic's mean MSE within 3% and mean
//   accuracy within 1 point of the deep ReLU NNGP's; and convergence in the right direction: the
//   distance between the mimic's and the target's test predictions falls with the fit error
//   (Spearman >= 0.9 over the degrees, log-log slope in [0.5, 1.5]; first order says 1).
//
// Kinds: C1, C2 and C4 are identities (closed forms, quadrature exact by construction, a
// deterministic fit); C3 (finite-width Monte Carlo against the kernel) and C5 (kernel regression
// on data) are experiments.

// Tolerance of a 6-significant-digit table entry: half a unit in its last printed digit.
static double table_tol(double ref) {
    if (ref == 0) return 1e-12;
    double e = floor(log10(fabs(ref)));
    return 0.5 * pow(10, e - 5) + 1e-12;
}

// ---- output and main ----

int main(int argc, char **argv) {
    cli c = {.slug = "reverse-ntk",
             .summary = "A one-hidden-layer network whose NNGP/NTK is any dot-product kernel with a non-negative power "
                        "series: Hermite-coefficient activations, checked exactly by quadrature, at finite width by Monte "
                        "Carlo, and on MNIST (a shallow mimic of a deep ReLU kernel).",
             .claims = "revntk.C1-C5",
             .opts = opts};
    cli_parse(&c, argc, argv);
    const char *fig1_flags[] = {"panels", "degree", "endpoint-weight", "coef-threshold", "gh-nodes", "mc-neurons",
                                "mc-points", "target", "depth", "wstd", "bstd", "mode"};
    const char *mnist_flags[] = {"ntrain", "ntest", "splits", "depths", "mimic-degrees", "mimic-depth"};
    int g1 = 0, g2 = 0;
    for (size_t i = 0; i < sizeof fig1_flags / sizeof *fig1_flags; i++) g1 |= cli_given(&c, fig1_flags[i]);
    for (size_t i = 0; i < sizeof mnist_flags / sizeof *mnist_flags; i++) g2 |= cli_given(&c, mnist_flags[i]);
    int run_fig1 = g1 || !g2, run_mnist = g2 || !g1;
    if (P.target) run_mnist = g2;  // a single target is a Figure-1 question
    if (c.quick) {  // small sizes for the tests
        if (!cli_given(&c, "mc-neurons")) P.mc_neurons = 100000;
        if (!cli_given(&c, "ntrain")) P.ntrain = 300;
        if (!cli_given(&c, "ntest")) P.ntest = 300;
        if (!cli_given(&c, "depths")) P.depths = (cli_ilist){1, {15}};
        if (!cli_given(&c, "mimic-degrees")) P.mimic_degrees = (cli_ilist){6, {2, 4, 7, 10, 14, 20}};
        if (!cli_given(&c, "splits")) P.splits = 3;
    }
    if (4 * P.degree > 2 * P.gh_nodes - 1)
        cli_usage_error(&c, "--gh-nodes %d is not exact for degree %d (needs 2 m - 1 >= 4 D)", P.gh_nodes, P.degree);
    if (run_mnist && (long)P.splits * P.ntest > 10000)
        cli_usage_error(&c, "--splits %d x --ntest %d exceeds the 10000 MNIST test images; lower --splits or --ntest", P.splits, P.ntest);
    if (run_mnist && (long)P.splits * P.ntrain > 60000)
        cli_usage_error(&c, "--splits %d x --ntrain %d exceeds the 60000 MNIST training images; lower --splits or --ntrain", P.splits,
                        P.ntrain);

    // Panels.
    panel pn[MAXP];
    int np = 0;
    if (P.target) {
        panel *p = &pn[np++];
        memset(p, 0, sizeof *p);
        snprintf(p->id, sizeof p->id, "T");
        char err[256];
        if (kernel_spec_parse(&p->ks, P.target, 1, P.depth, P.wstd, P.bstd, err, sizeof err))
            cli_usage_error(&c, "%s", err);
        p->kind = T_NET;
        p->ntk_mode = strcmp(P.mode, "ntk") == 0;
        p->mc = 1;
        snprintf(p->title, sizeof p->title, "%dHL %s (W %g, b %g), 1HL %s matched", P.depth, P.target, P.wstd, P.bstd,
                 P.mode);
    } else {
        char buf[256];
        size_t len = strlen(P.panels);
        if (len >= sizeof buf) cli_usage_error(&c, "--panels: list too long");
        if (P.panels[0] == ',' || P.panels[len - 1] == ',' || strstr(P.panels, ",,"))
            cli_usage_error(&c, "--panels: empty entry in '%s' (comma list of A-H, Bntk)", P.panels);
        snprintf(buf, sizeof buf, "%s", P.panels);
        for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            int f = -1;
            for (int i = 0; i < NTABLE; i++)
                if (strcmp(tok, TABLE[i].id) == 0) f = i;
            if (f < 0) cli_usage_error(&c, "--panels: unknown panel '%s' (A-H or Bntk)", tok);
            if (np >= MAXP) cli_usage_error(&c, "--panels: at most %d panels", MAXP);
            panel *p = &pn[np++];
            memset(p, 0, sizeof *p);
            snprintf(p->id, sizeof p->id, "%s", TABLE[f].id);
            snprintf(p->title, sizeof p->title, "%s", TABLE[f].title);
            p->kind = TABLE[f].kind;
            if (p->kind == T_NET) {
                char err[256];
                if (kernel_spec_parse(&p->ks, TABLE[f].kname, 1, 4, 1.5, TABLE[f].bstd, err, sizeof err)) DIE("%s", err);
            }
            p->ntk_mode = TABLE[f].ntk_mode;
            p->has_ref = 1;
            memcpy(p->ref, TABLE[f].ref, sizeof p->ref);
            memcpy(p->cref, TABLE[f].cref, sizeof p->cref);
            p->bound_l2 = TABLE[f].bl2;
            p->bound_sup = TABLE[f].bsup;
            // Monte Carlo: every panel at default, A and E at --quick.
            p->mc = !c.quick || cli_given(&c, "panels") || !strcmp(p->id, "A") || !strcmp(p->id, "E");
        }
    }
    double t0 = util_now();
    gsl_rng *rr = rng_alloc(c.seed, 1);  // the random coefficient vector of C1

    // ---- Figure 1: fits, quadrature, Monte Carlo ----
    double c1_err = 0, c2_worst = 0, c4_err = NAN;
    int nz = 0, nz2 = 0;
    double *zs = XNEW(double, (size_t)MAXP * 101);
    if (run_fig1) {
        fitter *fit = fitter_alloc(P.degree);
        gh_rule gh = gh_make(P.gh_nodes);
        tsv *tk = tsv_open(&c, "kernels.tsv", "revntk.C1 revntk.C2 revntk.C4");
        tsv_note(tk, "target K(xi); engineered = the promised series (NNGP mode: sum c_k xi^k; NTK mode: the 1HL NTK)");
        tsv_note(tk, "quad_nngp, quad_ntk: E[phi phi] and E[phi phi] + xi E[phi' phi'] by %d x %d Gauss-Hermite",
                 P.gh_nodes, P.gh_nodes);
        tsv_note(tk, "degree D = %d, endpoint weight %g, threshold %g", P.degree, P.endpoint_weight, P.coef_threshold);
        for (int ip = 0; ip < np; ip++) tsv_note(tk, "panel %s: %s%s", pn[ip].id, pn[ip].title, pn[ip].ntk_mode ? " [ntk mode]" : "");
        tsv_columns(tk, "panel\txi\ttarget\tengineered\tquad_nngp\tquad_ntk");
        tsv *tc = tsv_open(&c, "coeffs.tsv", "revntk.C2");
        tsv_allow_nonfinite(tc, 1);  // c_k_ref is nan where the reference has no table (single --target, k > 7)
        tsv_note(tc, "c_k: fitted power series (NNLS, thresholded); b_k: Hermite coefficients of phi = sum b_k He_k/k!");
        tsv_columns(tc, "panel\tk\tc_k\tb_k\tc_k_ref");
        tsv *tm = NULL;
        printf("panel  %-34s %10s %10s %10s   %-9s %-9s\n", "target", "K(-1)", "K(0)", "K(1)", "rel L2", "rel sup");
        for (int ip = 0; ip < np; ip++) {
            panel *p = &pn[ip];
            p->D = P.degree;
            fit_series(fit, panel_target_cb, p, p->c);
            panel_activation(p);
            fit_errors(p, &p->l2, &p->sup);
            double Km = target_eval(p, -1), K0 = target_eval(p, 0), K1 = target_eval(p, 1);
            printf("%-6s %-34s %10.6g %10.6g %10.6g   %-9.3g %-9.3g\n", p->id, p->title, Km, K0, K1, p->l2, p->sup);
            printf("       c_k =");
            for (int k = 0; k <= p->D; k++) printf(" %.6g", p->c[k]);
            printf("\n");
            // C2: every number against the reference table, in units of its tolerance.
            if (p->has_ref) {
                double v[3] = {Km, K0, K1}, e[4] = {0, 0, 0, 0};
                for (int q = 0; q < 3; q++) e[0] = fmax(e[0], fabs(v[q] - p->ref[q]) / table_tol(p->ref[q]));
                if (p->D == 7)
                    for (int k = 0; k <= 7; k++) e[1] = fmax(e[1], fabs(p->c[k] - p->cref[k]) / 1e-4);
                e[2] = p->l2 / p->bound_l2;
                e[3] = p->sup / p->bound_sup;
                printf("       C2 errors / tolerance: targets %.3g, c_k %.3g, rel L2 %.3g, rel sup %.3g\n", e[0], e[1],
                       e[2], e[3]);
                for (int q = 0; q < 4; q++) c2_worst = fmax(c2_worst, e[q]);
            }
            for (int k = 0; k <= p->D; k++)
                tsv_row(tc, "%s\t%d\t%.12g\t%.12g\t%.12g", p->id, k, p->c[k], p->beta[k] * exp(0.5 * lgamma(k + 1.0)),
                        (p->has_ref && k <= 7) ? p->cref[k] : NAN);
            // C1 (and C4 in NTK mode): quadrature against the series at 21 xi.
            for (int i = 0; i < NCHECK; i++) {
                double xi = -1 + 2.0 * i / (NCHECK - 1);
                gh_moments q = gh_expect(&gh, p, xi);
                double sn = series_nngp(p, xi), st = series_ntk(p, xi);
                double e1 = fabs(q.K - sn) / fmax(1, fabs(sn)), e2 = fabs(q.K + xi * q.Kd - st) / fmax(1, fabs(st));
                c1_err = fmax(c1_err, fmax(e1, e2));
                if (p->ntk_mode) {
                    // C4: the NTK equals the fitted series, the NNGP equals sum c_k xi^k/(k+1).
                    double fitted = poly_eval(p->D, p->c, xi), nngp_pred = 0, t = 1;
                    for (int k = 0; k <= p->D; k++, t *= xi) nngp_pred += p->c[k] * t / (k + 1);
                    double e = fmax(fabs(q.K + xi * q.Kd - fitted) / fmax(1, fabs(fitted)),
                                    fabs(q.K - nngp_pred) / fmax(1, fabs(nngp_pred)));
                    c4_err = isnan(c4_err) ? e : fmax(c4_err, e);
                }
            }
            for (int i = 0; i < NPLOT; i++) {
                double xi = -1 + 2.0 * i / (NPLOT - 1);
                gh_moments q = gh_expect(&gh, p, xi);
                tsv_row(tk, "%s\t%.6g\t%.12g\t%.12g\t%.12g\t%.12g", p->id, xi, target_eval(p, xi), engineered(p, xi), q.K,
                        q.K + xi * q.Kd);
            }
            // The fast evaluation used by the Monte Carlo equals common/hermite's.
            for (double z = -4; z <= 4; z += 0.37) {
                double f1, d1, f2, d2;
                phi_eval_h(p, z, &f1, &d1);
                phi_eval_fast(p->a, p->D, z, &f2, &d2);
                if (fabs(f1 - f2) > 1e-10 * fmax(1, fabs(f1)) || fabs(d1 - d2) > 1e-10 * fmax(1, fabs(d1)))
                    DIE("phi_eval_fast disagrees with common/hermite at z = %g (%g vs %g)", z, f2, f1);
            }
        }
        // C1 also for a random coefficient vector, D = 10 (the rule is exact to degree 79).
        {
            panel p;
            memset(&p, 0, sizeof p);
            p.D = 10;
            for (int k = 0; k <= 10; k++) p.c[k] = gsl_rng_uniform(rr);
            panel_activation(&p);
            gh_rule gr = gh.m >= 21 ? gh : gh_make(21);
            for (int i = 0; i < NCHECK; i++) {
                double xi = -1 + 2.0 * i / (NCHECK - 1);
                gh_moments q = gh_expect(&gr, &p, xi);
                double sn = series_nngp(&p, xi), st = series_ntk(&p, xi);
                c1_err = fmax(c1_err, fmax(fabs(q.K - sn) / fmax(1, fabs(sn)), fabs(q.K + xi * q.Kd - st) / fmax(1, fabs(st))));
            }
            if (gr.z != gh.z) { free(gr.z); free(gr.w); }
        }
        tsv_close(tk);
        tsv_close(tc);

        tsv *tf = tsv_open(&c, "fits.tsv", "revntk.C2");
        tsv_allow_nonfinite(tf, 1);  // bounds are nan for a single --target
        tsv_columns(tf, "panel\trel_l2\trel_sup\tbound_l2\tbound_sup");
        for (int ip = 0; ip < np; ip++)
            tsv_row(tf, "%s\t%.6g\t%.6g\t%.6g\t%.6g", pn[ip].id, pn[ip].l2, pn[ip].sup, pn[ip].has_ref ? pn[ip].bound_l2 : NAN,
                    pn[ip].has_ref ? pn[ip].bound_sup : NAN);
        tsv_close(tf);

        tsv *ta = tsv_open(&c, "activations.tsv", "revntk.C1");
        tsv_note(ta, "engineered activations phi(z) = sum_k b_k He_k(z)/k!, one column per panel");
        {
            char cols[512] = "z";
            for (int ip = 0; ip < np; ip++) {
                strcat(cols, "\tphi_");
                strcat(cols, pn[ip].id);
            }
            tsv_columns(ta, cols);
            for (int i = 0; i < NPLOT; i++) {
                double z = -2.5 + 5.0 * i / (NPLOT - 1);
                char row[1024];
                int len = snprintf(row, sizeof row, "%.6g", z);
                for (int ip = 0; ip < np; ip++) {
                    double f, d;
                    phi_eval_h(&pn[ip], z, &f, &d);
                    len += snprintf(row + len, sizeof row - len, "\t%.10g", f);
                }
                tsv_row(ta, "%s", row);
            }
        }
        tsv_close(ta);
        progress_done("fits and quadrature: %.1f s", util_now() - t0);

        // Monte Carlo.
        tm = tsv_open(&c, "mc.tsv", "revntk.C3");
        tsv_note(tm, "K_hat: mean over M = %ld neurons; se = sqrt(Var/M), Var exact by quadrature; z = (K_hat - K_eng)/se",
                 P.mc_neurons);
        tsv_columns(tm, "panel\txi\tK_eng\tK_hat\tse\tz");
        printf("\nMonte Carlo (M = %ld neurons per point), z = (K_hat - K_eng)/SE_exact:\n", P.mc_neurons);
        for (int ip = 0; ip < np; ip++) {
            panel *p = &pn[ip];
            if (!p->mc) continue;
            printf("  %-5s", p->id);
            for (int i = 0; i < P.mc_points; i++) {
                double xi = -1 + 2.0 * i / (P.mc_points - 1);
                gsl_rng *r = rng_alloc(c.seed, 1000 + 100 * (unsigned)ip + (unsigned)i);  // one stream per (panel, xi)
                double Kh = mc_kernel(r, p, xi, P.mc_neurons);
                rng_free(r);
                gh_moments q = gh_expect(&gh, p, xi);
                double Ke = engineered(p, xi), se = sqrt(neuron_variance(&q, p->ntk_mode, xi) / P.mc_neurons);
                double z = (Kh - Ke) / se;
                REQUIRE_FINITE(z, "Monte Carlo z", "the exact variance is 0: a constant activation?");
                zs[nz++] = fabs(z);
                nz2 += fabs(z) <= 2;
                printf(" %+5.2f", z);
                tsv_row(tm, "%s\t%.6g\t%.12g\t%.12g\t%.6g\t%.6g", p->id, xi, Ke, Kh, se, z);
                progress("Monte Carlo %s xi = %.2f: %.1f s", p->id, xi, util_now() - t0);
            }
            printf("\n");
        }
        tsv_close(tm);
        progress_done("Monte Carlo: %.1f s", util_now() - t0);
        fitter_free(fit);
        free(gh.z);
        free(gh.w);
    }

    // ---- Figure 2 analogue: MNIST ----
    int mnist_ok = 0;
    mimic_summary ms[DMAX + 1];
    int nms = 0;
    const char *c5_reason = "not requested (Figure 1 flags only)";
    if (run_mnist && !mnist_available(c.mnist_dir)) {
        // Data the user asked for (an MNIST flag or --mnist-dir) is a runtime failure when
        // missing; a default run only skips the part it was not asked for by name.
        if (g2 || cli_given(&c, "mnist-dir"))
            DIE("MNIST not found in %s (asked for by an MNIST flag); run make data", c.mnist_dir);
        c5_reason = "MNIST absent: run make data";
        fprintf(stderr, "reverse-ntk: MNIST not found in %s; run `make data` (revntk.C5 skipped)\n", c.mnist_dir);
    } else if (run_mnist) {
        mnist_ok = 1;
        const int S = P.splits, n = P.ntrain, nt = P.ntest;
        // Disjoint random splits: one permutation of each MNIST file per run (seed-dependent);
        // split s takes the s-th block of n training and nt test images.
        size_t *ptr = XNEW(size_t, 60000), *pte = XNEW(size_t, 10000);
        gsl_rng *rs = rng_alloc(c.seed, STREAM_SPLIT);
        rng_permutation(rs, 60000, ptr);
        rng_permutation(rs, 10000, pte);
        rng_free(rs);
        // The mimics' series do not depend on the split: fit each degree once.
        int nm = P.mimic_degrees.n;
        panel *mp = XNEW(panel, nm);
        for (int im = 0; im < nm; im++) {
            memset(&mp[im], 0, sizeof mp[im]);
            mp[im].kind = T_NET;
            kernel_spec_parse(&mp[im].ks, "relu-nngp", 1, P.mimic_depth, 1.5, 0.1, NULL, 0);
            mp[im].D = (int)P.mimic_degrees.v[im];
            fitter *f = fitter_alloc(mp[im].D);
            fit_series(f, panel_target_cb, &mp[im], mp[im].c);
            fitter_free(f);
            fit_errors(&mp[im], &mp[im].l2, &mp[im].sup);
        }
        double *macc = XNEW(double, (size_t)S * nm), *mmse = XNEW(double, (size_t)S * nm), *mpd = XNEW(double, (size_t)S * nm);
        double *tacc = XNEW(double, S), *tmse = XNEW(double, S), delta_relu15 = NAN;
        tsv *tmi = tsv_open(&c, "mnist_mimic.tsv", "revntk.C5");
        tsv_note(tmi, "mimic of the %d-layer ReLU NNGP (W_std 1.5, b_std 0.1) by a degree-D non-negative series", P.mimic_depth);
        tsv_note(tmi, "%d disjoint random splits of n_train %d (of 60000) and n_test %d (of 10000), rng stream %d", S, n, nt, STREAM_SPLIT);
        tsv_note(tmi, "pred_dist = |yhat_mimic - yhat_target|_F / |yhat_target|_F on the test images");
        tsv_columns(tmi, "degree\tsplit\taccuracy\tmse\trel_l2_fit\ttarget_accuracy\ttarget_mse\tpred_dist");
        for (int sp = 0; sp < S; sp++) {
            mnist_task T;
            mnist_prepare(c.mnist_dir, ptr + (size_t)sp * n, n, pte + (size_t)sp * nt, nt, &T);
            size_t NE = (size_t)T.N * T.n;
            double *Kt = XNEW(double, NE), *cc = XNEW(double, NE), *predT = XNEW(double, (size_t)nt * 10);
            if (sp == 0) depth_sweep(&c, &T, t0);  // Figure 2A on the first split
            relu_nngp_deep(&T, P.mimic_depth, 1.5, 0.1, Kt, cc);
            double dl;
            krr_score(&T, Kt, &tacc[sp], &tmse[sp], &dl);
            if (sp == 0) delta_relu15 = dl;
            memcpy(predT, T.pred, sizeof(double) * nt * 10);
            const double nT = sqrt(cblas_ddot(nt * 10, predT, 1, predT, 1));
            for (int im = 0; im < nm; im++) {
                const int D = mp[im].D;
                for (size_t e = 0; e < NE; e++) Kt[e] = poly_eval(D, mp[im].c, T.xi[e]);
                const size_t k = (size_t)sp * nm + im;
                krr_score(&T, Kt, &macc[k], &mmse[k], NULL);
                double dd = 0;
                for (int e = 0; e < nt * 10; e++) dd += (T.pred[e] - predT[e]) * (T.pred[e] - predT[e]);
                mpd[k] = sqrt(dd) / nT;
                tsv_row(tmi, "%d\t%d\t%.6g\t%.8g\t%.6g\t%.6g\t%.8g\t%.6g", D, sp + 1, macc[k], mmse[k], mp[im].l2, tacc[sp], tmse[sp], mpd[k]);
                progress("MNIST split %d/%d, mimic degree %d: %.1f s", sp + 1, S, D, util_now() - t0);
            }
            free(Kt), free(cc), free(predT);
            free(T.xi), free(T.Y), free(T.yt), free(T.Kc), free(T.Yc), free(T.pred);
        }
        tsv_close(tmi);
        // Means and standard errors over the splits, per degree.
        tsv *tsu = tsv_open(&c, "mnist_mimic_mean.tsv", "revntk.C5");
        tsv_note(tsu, "over %d splits: mean and standard error (sd/sqrt(splits)) of r = MSE_mimic/MSE_target, |r - 1|, "
                      "accuracy difference (pp) and pred_dist", S);
        tsv_columns(tsu, "degree\trel_l2_fit\tratio\tratio_se\tabsdev\tabsdev_se\tacc_diff\tacc_diff_se\tpred_dist\tpred_dist_se\t"
                         "mse\taccuracy\ttarget_mse\ttarget_accuracy");
        printf("\nMNIST %d splits of n_train = %d, n_test = %d; ridge 1e-8 mean(diag K) (= %.3g for the ReLU-%d NNGP, split 1)\n", S,
               n, nt, delta_relu15, P.mimic_depth);
        double tm = 0, ta = 0;
        for (int sp = 0; sp < S; sp++) tm += tmse[sp] / S, ta += tacc[sp] / S;
        printf("mimic of the %d-layer ReLU NNGP (target, mean over splits: %.2f%% / %.4f); mean +- SE over splits:\n",
               P.mimic_depth, ta, tm);
        double *v = XNEW(double, S);
        for (int im = 0; im < nm; im++) {
            mimic_summary *m = &ms[nms++];
            m->D = mp[im].D, m->l2 = mp[im].l2;
            double mse = 0, acc = 0;
            for (int q4 = 0; q4 < 4; q4++) {
                for (int sp = 0; sp < S; sp++) {
                    const size_t k = (size_t)sp * nm + im;
                    const double r = mmse[k] / tmse[sp];
                    v[sp] = q4 == 0 ? r : q4 == 1 ? fabs(r - 1) : q4 == 2 ? macc[k] - tacc[sp] : mpd[k];
                    if (q4 == 0) mse += mmse[k] / S, acc += macc[k] / S;
                }
                double mu = 0, var = 0;
                for (int sp = 0; sp < S; sp++) mu += v[sp] / S;
                for (int sp = 0; sp < S; sp++) var += (v[sp] - mu) * (v[sp] - mu);
                const double se = S > 1 ? sqrt(var / (S - 1) / S) : NAN;
                m->mean[q4] = mu, m->se[q4] = se;
            }
            printf("  degree %2d (fit rel L2 %.2g): MSE ratio %.4f +- %.4f, |ratio - 1| %.4f +- %.4f, acc diff %+.2f +- %.2f pp, "
                   "pred dist %.4f +- %.4f\n", m->D, m->l2, m->mean[0], m->se[0], m->mean[1], m->se[1], m->mean[2], m->se[2],
                   m->mean[3], m->se[3]);
            tsv_row(tsu, "%d\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g\t%.6g\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g", m->D, m->l2, m->mean[0],
                    m->se[0], m->mean[1], m->se[1], m->mean[2], m->se[2], m->mean[3], m->se[3], mse, acc, tm, ta);
        }
        tsv_close(tsu);
        free(v), free(mp), free(macc), free(mmse), free(mpd), free(tacc), free(tmse), free(ptr), free(pte);
        progress_done("MNIST: %.1f s", util_now() - t0);
    }
    printf("\n");

    // ---- claims ----
    char what[256];
    if (run_fig1) {
        claim_check("revntk.C1", CLAIM_IDENTITY, c1_err <= 1e-10, "max |quadrature - series|/max(1,|series|), NNGP and NTK, all activations + random c", c1_err, "1e-10");
        int nref = 0;
        for (int ip = 0; ip < np; ip++) nref += pn[ip].has_ref;
        if (!nref) claim_skip("revntk.C2", CLAIM_IDENTITY, "single --target: no reference table");
        else claim_check("revntk.C2", CLAIM_IDENTITY, c2_worst <= 1, "worst error / tolerance over target values, c_k (1e-4) and fit-error bounds", c2_worst, "1");
        if (nz == 0) claim_skip("revntk.C3", CLAIM_EXPERIMENT, "no Monte Carlo panel");
        else {
            double frac = (double)nz2 / nz, med = fit_median(zs, nz), need = c.quick ? 0.75 : 0.85;
            snprintf(what, sizeof what, "fraction of %d points with |z| <= 2 (median |z| %.3g)", nz, med);
            char tol[64];
            snprintf(tol, sizeof tol, ">= %.2f; median <= 1.5", need);
            claim_check("revntk.C3", CLAIM_EXPERIMENT, frac >= need && med <= 1.5, what, frac, tol);
        }
        if (isnan(c4_err)) claim_skip("revntk.C4", CLAIM_IDENTITY, "no NTK-mode panel (Bntk or --mode ntk)");
        else claim_check("revntk.C4", CLAIM_IDENTITY, c4_err <= 1e-10, "max rel. error: 1HL NTK vs sum c_k xi^k, 1HL NNGP vs sum c_k xi^k/(k+1)", c4_err, "1e-10");
    } else {
        claim_skip("revntk.C1", CLAIM_IDENTITY, "not requested (MNIST flags only)");
        claim_skip("revntk.C2", CLAIM_IDENTITY, "not requested (MNIST flags only)");
        claim_skip("revntk.C3", CLAIM_EXPERIMENT, "not requested (MNIST flags only)");
        claim_skip("revntk.C4", CLAIM_IDENTITY, "not requested (MNIST flags only)");
    }
    if (!mnist_ok) claim_skip("revntk.C5", CLAIM_EXPERIMENT, c5_reason);
    else if (nms < 3) claim_skip("revntk.C5", CLAIM_EXPERIMENT, "--mimic-degrees needs at least 3 degrees");
    else {
        const mimic_summary *top = &ms[0];  // the largest degree: the best approximation
        for (int i = 1; i < nms; i++)
            if (ms[i].D > top->D) top = &ms[i];
        double fl[DMAX + 1], dev[DMAX + 1], pdv[DMAX + 1];
        for (int i = 0; i < nms; i++) fl[i] = ms[i].l2, dev[i] = ms[i].mean[1], pdv[i] = ms[i].mean[3];
        const double sp_dev = spearman(nms, fl, dev), sp_pd = spearman(nms, fl, pdv);
        // The MSE ratio is not monotone in the degree (degree 4 is further from the target than
        // degree 2 at every size we ran; degree 2 is +19% at n = 2000 and -4% at n = 300), so its
        // rank correlation with the fit error is printed, not asserted.  The predictions
        // themselves converge: their distance to the target's falls with the fit error.
        // Least-squares slope of log(pred dist) on log(fit error): to first order in the kernel
        // perturbation dK the predictor moves linearly in dK, so the slope is 1 when the fit
        // residuals keep their shape across degrees; a slope near 0 or negative would mean the
        // predictions do not follow the kernel.
        double lx[DMAX + 1], ly[DMAX + 1], mx = 0, my = 0, sxy = 0, sxx = 0;
        for (int i = 0; i < nms; i++) lx[i] = log(fl[i]), ly[i] = log(pdv[i]), mx += lx[i] / nms, my += ly[i] / nms;
        for (int i = 0; i < nms; i++) sxy += (lx[i] - mx) * (ly[i] - my), sxx += (lx[i] - mx) * (lx[i] - mx);
        const double slope = sxy / sxx;
        printf("Spearman(fit error, |ratio - 1|) = %.3f, Spearman(fit error, pred dist) = %.3f, log-log slope of pred dist = %.3f\n",
               sp_dev, sp_pd, slope);
        snprintf(what, sizeof what,
                 "|mean MSE_mimic%d/MSE_ReLU%d - 1| over %d splits (acc diff %+.2f pp); as the fit error shrinks: Spearman with "
                 "|ratio-1| %.2f, with pred dist %.2f, log-log slope %.2f", top->D, P.mimic_depth, P.splits, top->mean[2], sp_dev, sp_pd, slope);
        claim_check("revntk.C5", CLAIM_EXPERIMENT,
                    fabs(top->mean[0] - 1) <= 0.03 && fabs(top->mean[2]) <= 1.0 && sp_pd >= 0.9 && slope >= 0.5 && slope <= 1.5,
                    what, fabs(top->mean[0] - 1), "0.03; acc 1 pp; pred-dist Spearman >= 0.9, slope in [0.5, 1.5]");
    }
    claim_summary(c.slug);
    fprintf(stderr, "reverse-ntk: %.1f s\n", util_now() - t0);
    rng_free(rr);
    free(zs);
    return 0;
}
