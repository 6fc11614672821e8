// hea: the Hermite eigenstructure ansatz -- kernel learning curves from raw data statistics.
//
// Paper: Dhruva Karkada, Joey Turnbull, Yuxi Liu, James B. Simon, "Predicting kernel regression
// learning curves from only raw data statistics", arXiv 2510.14878 (ICLR 2026).  Reproduces
// Fig. 2 (top row: HEA vs empirical kernel eigenvalues) and Fig. 1/3 (learning curves and sample
// complexities of Hermite-monomial targets and of a real-image task), on anisotropic Gaussian
// data and on MNIST (instead of CIFAR-5m / SVHN / ImageNet-32).
//
// Claim in one sentence: for a rotation-invariant kernel on high-dimensional data, the kernel's
// eigenfunctions are approximately the multivariate Hermite polynomials of the PCA-whitened data,
// with eigenvalues lambda_alpha = c_|alpha| prod_a gamma_a^alpha_a (c_l: the kernel's level
// coefficients, gamma: the data covariance spectrum), so that KRR learning curves follow from the
// covariance and a Hermite decomposition of the target alone, without a kernel matrix.
//
// Algorithm:
//   1. Level coefficients c_l of the kernel's dot-product profile on unit-trace data,
//      checked against the profile (hea.C1).
//   2. HEA eigenvalues: the top P monomials in decreasing lambda_alpha (priority queue).
//   3. H1: compare with eig(K/N) of N fresh samples, rank by rank (hea.C2; MNIST: hea.C4).
//   4. H2: KRR learning curves of Hermite-monomial targets on Gaussian data vs the eigenframework
//      fed with the HEA spectrum and v = e_alpha (hea.C3; its small-MSE floor: hea.C3b).
//   5. H3: MNIST even/odd: target coefficients by Gram-Schmidt (QR) of the Hermite matrix on a
//      statistics set, corrected for the fit's degrees of freedom (checked on a random label,
//      hea.C6); the unexplained fraction acts as noise; learning curve vs KRR (hea.C5).
//
// Writes (to --out): h1_eig.tsv, h1_lmax.tsv, h2_theory.tsv, h2_exp.tsv, h3_theory.tsv,
// h3_exp.tsv, h_nlrn.tsv.  Figures: hea-eigenstructure, hea-learning-curves.
//
// Run: build/hea [--quick] [--data gaussian|mnist] [--kernel gaussian|laplace-hea --bandwidth w]
//                [--targets "0:2;0:1,1:1"] [--n-list ...] [--normalize] ...
// Runtime: default ~80 s of CPU, single thread (MNIST present); --quick ~0.4 s of CPU.
#include <gsl/gsl_cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "claim.h"
#include "cli.h"
#include "eigenframework.h"
#include "hermite.h"
#include "init.h"
#include "nn.h"
#include "opt.h"
#include "mnist.h"
#include "kernel.h"
#include "krr.h"
#include "linalg.h"
#include "progress.h"
#include "rng.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
// Legend: d input dimension, gamma_a data-covariance eigenvalues (descending, sum 1), d_eff =
// 1/sum gamma^2, z_a whitened PCA coordinates, alpha a multi-index, h_alpha the Hermite monomial,
// c_l level coefficients, lambda_alpha HEA eigenvalues, P number of modes kept, n training size,
// delta absolute ridge, kappa effective ridge, E0 overfitting coefficient, n_lrn the n at which
// the test MSE first crosses 0.5.
struct params {
    const char *data;     // gaussian | mnist | both
    int dim;              // d of the synthetic data
    double data_exp;      // e in gamma_a ~ (a + 6)^-e  (single custom Gaussian setting)
    const char *kernel;   // gaussian | laplace-hea
    double bandwidth;     // w
    double ridge;         // delta
    int normalize;        // project samples to the unit sphere (laplace runs)
    const char *targets;  // monomials "0:1;10:1;0:2"
    const char *task;     // MNIST task
    long P;               // HEA modes
    long N_stats;         // MNIST statistics set
    long N_emp;           // samples for eig(K/N)
    cli_ilist n_list;     // training sizes
    int trials;           // trials at small n (fewer at large n, see trials_for)
    long ntest;           // test points
    int lmax;             // largest monomial degree enumerated (HEA modes)
    int mlp_width;        // part 4: hidden width of the trained net
    int mlp_time;         // part 4: SGD time budget per target (eta = 1: steps)
};
static struct params p = {.data = "both",
                          .dim = 200,
                          .data_exp = 2,
                          .kernel = "gaussian",
                          .bandwidth = 4,
                          .ridge = 1e-3,
                          .targets = "0:1;10:1;0:2;0:1,1:1;2:1,5:1;0:3",
                          .task = "evenodd",
                          .P = 5000,
                          .N_stats = 10000,
                          .N_emp = 3000,
                          .n_list = {6, {10, 30, 100, 300, 1000, 2000}},
                          .trials = 20,
                          .ntest = 1000,
                          .lmax = 10,
                          .mlp_width = 512,
                          .mlp_time = 150};

static cli_opt opts[] = {
    {"data", CLI_CHOICE, &p.data, 0, 0, "data set(s)", "gaussian|mnist|both", 0},
    {"dim", CLI_INT, &p.dim, 2, 2000, "dimension d of the Gaussian data", NULL, 0},
    {"data-exp", CLI_DOUBLE, &p.data_exp, 0, 10, "gamma_a ~ (a + 6)^-e of the Gaussian data", NULL, 0},
    {"kernel", CLI_CHOICE, &p.kernel, 0, 0, "kernel", "gaussian|laplace-hea", 0},
    {"bandwidth", CLI_DOUBLE, &p.bandwidth, 0.1, 1000, "kernel width w", NULL, 0},
    {"ridge", CLI_DOUBLE, &p.ridge, 0, 1e3, "absolute ridge delta", NULL, 0},
    {"normalize", CLI_FLAG, &p.normalize, 0, 0, "project samples to unit norm after unit-trace scaling", NULL, 0},
    {"targets", CLI_STRING, &p.targets, 0, 0, "Gaussian-data monomial targets, e.g. 0:2,1:1;10:1", NULL, 0},
    {"task", CLI_CHOICE, &p.task, 0, 0, "MNIST task", "evenodd|lowhigh", 0},
    {"P", CLI_LONG, &p.P, 10, 100000, "number of HEA modes", NULL, 0},
    {"N-stats", CLI_LONG, &p.N_stats, 100, 60000, "MNIST statistics-set size", NULL, 0},
    {"N-emp", CLI_LONG, &p.N_emp, 50, 20000, "samples for the empirical spectrum eig(K/N)", NULL, 0},
    {"n-list", CLI_ILIST, &p.n_list, 2, 50000, "training sizes", NULL, 0},
    {"trials", CLI_INT, &p.trials, 1, 1000, "trials at n <= 300 (8 up to 1000, 4 beyond; MNIST: 20/8/3)", NULL, 0},
    {"ntest", CLI_LONG, &p.ntest, 10, 20000, "test points", NULL, 0},
    {"lmax", CLI_INT, &p.lmax, 1, HERMITE_LMAX,
     "largest monomial degree in the HEA enumeration (the top-P set depends on it "
     "while degree-lmax modes still enter, and for laplace-hea grows without bound: h1_lmax.tsv shows it)",
     NULL, 0},
    {"mlp-width", CLI_INT, &p.mlp_width, 2, 100000, "part 4: hidden width of the trained ReLU net", NULL, 0},
    {"mlp-time", CLI_INT, &p.mlp_time, 1, 1000000, "part 4: SGD steps (time, eta = 1) allowed per target", NULL, 0},
    {0}};
// Named random streams of part 4 (the older parts keep their stream numbers).
enum { STREAM_MLP_TEST = 5000, STREAM_MLP_INIT = 5100, STREAM_MLP_DATA = 5200, STREAM_OVERLAP = 5300 };
static cli c = {
    .slug = "hea",
    .summary =
        "Hermite eigenstructure ansatz: kernel eigenvalues and KRR learning curves from the data covariance "
        "and a Hermite decomposition of the target (Karkada, Turnbull, Liu, Simon, arXiv 2510.14878).",
    .claims = "hea.C1-C8",
    .opts = opts};

// ---- theory: level coefficients and the HEA spectrum ----
// On unit-trace data the kernel restricted to the sphere is a dot-product kernel
// $K(u) = \sum_\ell c_\ell u^\ell/\ell!$, $c_\ell = K^{(\ell)}(0)$:
//   gaussian:    $c_\ell = e^{-1/w^2} w^{-2\ell}$,
//   laplace-hea: $c_\ell = e^{-1/w} y_{\ell-1}(w)/(2w)^\ell$ ($y_n$ Bessel polynomials).
// The ansatz: $\lambda_\alpha = c_{|\alpha|}\prod_a \gamma_a^{\alpha_a}$, $\phi_\alpha \approx h_\alpha(z)$.

// hea.C1: the 20-term series reproduces the profile (gaussian on [-1,1], laplace on [-0.5,0.5]).
static void claim_c1(void) {
    double c20[20], worst_g = 0, worst_l = 0;
    const double wg[] = {2, 4, 6}, wl[] = {1, 4, 8};
    for (int k = 0; k < 3; k++) {
        hermite_level_coeffs("gaussian", wg[k], 19, c20);
        for (double u = -1; u <= 1.0001; u += 0.01) {
            double s = 0, t = 1;
            for (int l = 0; l < 20; l++) s += c20[l] * t, t *= u / (l + 1);
            worst_g = fmax(worst_g, fabs(s / exp(-(1 - u) / (wg[k] * wg[k])) - 1));
        }
        hermite_level_coeffs("laplace-hea", wl[k], 19, c20);
        for (double u = -0.5; u <= 0.5001; u += 0.01) {
            double s = 0, t = 1;
            for (int l = 0; l < 20; l++) s += c20[l] * t, t *= u / (l + 1);
            worst_l = fmax(worst_l, fabs(s / exp(-sqrt(1 - u) / wl[k]) - 1));
        }
    }
    char what[160];
    snprintf(what, sizeof what,
             "gaussian w in {2,4,6}, u in [-1,1]: max rel. error (laplace-hea w in {1,4,8}, u in [-0.5,0.5]: %.2g)",
             worst_l);
    claim_check("hea.C1", CLAIM_IDENTITY, worst_g <= 1e-12 && worst_l <= 1e-7, what, worst_g, "1e-12 (laplace 1e-7)");
}

// The top-P HEA modes for covariance spectrum gamma (d), kernel name and width.
static void hea_modes(const char *kernel, double w, int d, const double *gamma, int lmax, long P, hermite_modes *m,
                      double *c_out) {
    double cl[HERMITE_LMAX + 1];
    if (hermite_level_coeffs(kernel, w, lmax, cl)) DIE("level coefficients failed for kernel %s, w = %g", kernel, w);
    hermite_modes_enumerate(d, gamma, lmax, cl, (size_t)P, m);
    if (c_out) memcpy(c_out, cl, sizeof(double) * (lmax + 1));
}

// Index of the monomial (deg, idx) among the modes, or -1 if it is not among the top P.
static long find_mode(const hermite_modes *m, int deg, const int *idx) {
    for (size_t r = 0; r < m->P; r++)
        if (m->deg[r] == deg && memcmp(m->idx + r * m->lmax, idx, sizeof(int) * deg) == 0) return (long)r;
    return -1;
}

// Eigenframework prediction with the HEA spectrum: the missing mass E K(x,x) - sum lambda
// acts as extra ridge(E K(x,x) = 1 for gaussian and laplace kernels, computed by the
// caller, not hard-coded here).
static double predict(const hermite_modes *m, double EK, double n, double delta, const double *v2, double v2_tail,
                      double eps2) {
    double sl = 0;
    for (size_t r = 0; r < m->P; r++) sl += m->lambda[r];
    ef_spectrum s = {.M = m->P, .lam = m->lambda, .extra_ridge = fmax(0.0, EK - sl)};
    ef_fit f;
    int st = ef_solve(&s, n, delta, &f);
    if (st) DIE("eigenframework: %s (n = %g, delta = %g)", ef_strerror(st), n, delta);
    ef_pred pr;
    ef_predict(&s, &f, v2, v2_tail, eps2, &pr);
    return pr.te;
}

// Sample complexity: the n where MSE first crosses 0.5, linear in log n between grid points;
// -1 when out of range (already below 0.5 at the first n, or never reaching it).
static double n_learn(int N, const double *n, const double *mse) {
    if (N < 1 || mse[0] <= 0.5) return -1;
    for (int i = 1; i < N; i++)
        if (mse[i] <= 0.5) {
            double t = (mse[i - 1] - 0.5) / (mse[i - 1] - mse[i]);
            return exp(log(n[i - 1]) + t * (log(n[i]) - log(n[i - 1])));
        }
    return -1;
}

// ---- experiment: empirical spectra and KRR ----
// eig(K/N) of N samples X (N,d), descending, into lam (N).
static void empirical_spectrum(const kernel_spec *ks, int N, int d, const double *X, double *lam) {
    double *K = XNEW(double, (size_t)N *N), *w = XNEW(double, N);
    kernel_gram_sym(ks, N, d, X, K);
    int info = la_eigh(N, K, w, 0);
    if (info) DIE("dsyevd (values) failed, info %d, N = %d", info, N);
    for (int i = 0; i < N; i++) lam[i] = w[N - 1 - i] / N;
    free(K), free(w);
}

// $\mathbb{E}K(x,x)$ over samples X (N,d), from the kernel itself (1 for the Gaussian and Laplace
// kernels at any x; other kernels need not be).  Enters the tail ridge $\mathbb{E}K(x,x) - \sum\lambda$.
static double mean_diag(const kernel_spec *ks, int N, int d, const double *X) {
    double s = 0;
    for (int i = 0; i < N; i++) s += kernel_eval(ks, X + (size_t)i * d, X + (size_t)i * d, d);
    return s / N;
}

// The part of a linear target $z_a$ outside its exact eigenfunction, for the Gaussian kernel on
// (unprojected) Gaussian data.  There the eigenproblem separates and is solved exactly (Mehler;
// Rasmussen & Williams 2006, Sec. 4.3.1): along direction $b$, with $a_b = 1/(4\gamma_b)$,
// $\beta = 1/(2w^2)$, $c_b = \sqrt{a_b^2 + 2a_b\beta}$ and $s_b = c_b - a_b$, the eigenfunctions
// are $H_k(\sqrt{2c_b}\,x_b)\,e^{-s_b x_b^2}$.  The degree-1 one along $a$ is therefore
// $x_a e^{-\sum_b s_b x_b^2}$, not $z_a$: the HEA drops the Gaussian envelope.  The fraction of
// $\|z_a\|^2$ outside that eigenfunction is $1 - \langle z_a,\phi\rangle^2/(\|z_a\|^2\|\phi\|^2)$, by
// Gaussian integrals:
//   $1 - \prod_{b\ne a}\frac{\sqrt{1+4s_b\gamma_b}}{1+2s_b\gamma_b}\cdot
//        \frac{(1+4s_a\gamma_a)^{3/2}}{(1+2s_a\gamma_a)^3}$.
// That mass sits in modes of higher degree (learned late), so it is a floor under the measured
// MSE that the HEA theory does not have.
static double envelope_mass(int d, const double *gamma, double w, int a) {
    double beta = 1 / (2 * w * w), lg = 0;
    for (int b = 0; b < d; b++) {
        double ab = 1 / (4 * gamma[b]), cb = sqrt(ab * ab + 2 * ab * beta), sb = cb - ab;
        double u = 4 * sb * gamma[b], v = 2 * sb * gamma[b];
        lg += b == a ? 1.5 * log1p(u) - 3 * log1p(v) : 0.5 * log1p(u) - log1p(v);
    }
    return -expm1(lg);
}

// Degree counts of the modes (printed).
static void print_degrees(const char *tag, const hermite_modes *m) {
    int cnt[HERMITE_LMAX + 1] = {0};
    double sl = 0;
    for (size_t r = 0; r < m->P; r++) cnt[m->deg[r]]++, sl += m->lambda[r];
    fprintf(stderr, "%s: %zu HEA modes, sum lambda = %.6f; by degree:", tag, m->P, sl);
    for (int l = 0; l <= m->lmax; l++)
        if (cnt[l]) fprintf(stderr, " %d:%d", l, cnt[l]);
    fprintf(stderr, "\n");
}

// Rank-by-rank comparison; returns mean |log ratio| over ranks 1..R and writes rows.
static double compare_ranks(tsv *T, const char *tag, const hermite_modes *m, const double *lam_emp, int Nemp, int Rmax,
                            int Rmean, double *top_rel) {
    double s = 0;
    int R = Rmax < (int)m->P ? Rmax : (int)m->P;
    if (R > Nemp) R = Nemp;
    for (int r = 0; r < R; r++) {
        tsv_row(T, "%s\t%d\t%.10g\t%.10g\t%d", tag, r + 1, lam_emp[r], m->lambda[r], m->deg[r]);
        if (r < Rmean) s += fabs(log(lam_emp[r] / m->lambda[r]));
    }
    *top_rel = fabs(lam_emp[0] / m->lambda[0] - 1);
    fprintf(stderr, "%s: ratio emp/HEA at ranks", tag);
    const int ranks[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
    for (int i = 0; i < 10; i++)
        if (ranks[i] <= R) fprintf(stderr, " %d:%.3f", ranks[i], lam_emp[ranks[i] - 1] / m->lambda[ranks[i] - 1]);
    fprintf(stderr, "\n");
    return s / (Rmean < R ? Rmean : R);
}

#include "01-gaussian.c"
#include "03-mnist.c"
#include "04-mlp.c"
#include "05-overlap.c"

// ---- measurement (claims) and main ----
int main(int argc, char **argv) {
    cli_parse(&c, argc, argv);
    {  // validate --targets before anything is written (a usage error exits 2 with no output)
        char buf[1024];
        int idx[HERMITE_LMAX];
        snprintf(buf, sizeof buf, "%s", p.targets);
        int ntok = 0;
        for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";"), ntok++) {
            int dg = hermite_mono_parse(tok, idx);
            if (dg < 0)
                cli_usage_error(&c, "--targets: cannot parse monomial '%s' (write index:power,index:power)", tok);
            for (int j = 0; j < dg; j++)
                if (idx[j] >= p.dim) cli_usage_error(&c, "--targets: index %d >= dimension %d", idx[j], p.dim);
        }
        if (ntok == 0) cli_usage_error(&c, "--targets '%s' names no monomial (write e.g. 0:1;0:2,1:1)", p.targets);
        if (ntok > MAXT) cli_usage_error(&c, "--targets: %d monomials, at most %d", ntok, MAXT);
    }
    int quick = c.quick;
    double t0 = util_now();
    // Part flags: --data picks the data set.  --targets, --kernel, --bandwidth, --data-exp, --dim or
    // --normalize without --data run the Gaussian data only (H1 eigenvalues and H2 learning curves,
    // both in the user's setting); with --data mnist, H3 at that kernel and width.
    int gauss = strcmp(p.data, "mnist") != 0, mn = strcmp(p.data, "gaussian") != 0;
    int custom = cli_given(&c, "data-exp") || cli_given(&c, "bandwidth") || cli_given(&c, "kernel") ||
                 cli_given(&c, "dim") || cli_given(&c, "normalize");
    if (!cli_given(&c, "data") && (custom || cli_given(&c, "targets"))) mn = 0;
    // --mlp-width or --mlp-time alone runs part 4 only (with the level-coefficient check C1).
    const int only_mlp = (cli_given(&c, "mlp-width") || cli_given(&c, "mlp-time")) && !cli_given(&c, "data") &&
                         !custom && !cli_given(&c, "targets");
    if (only_mlp) {
        gauss = mn = 0;
        static const char *const ids[] = {"hea.C2", "hea.C3", "hea.C4", "hea.C5", "hea.C6"};
        for (int i = 0; i < 5; i++)
            claim_skip(ids[i], i == 4 ? CLAIM_IDENTITY : CLAIM_EXPERIMENT, "not requested (part 4 flags only)");
    }
    if (mn && !strcmp(p.data, "mnist") && !mnist_available(c.mnist_dir))
        DIE("--data mnist: MNIST not found in %s; run make data (or give --mnist-dir)", c.mnist_dir);
    claim_c1();
    tsv *Te = tsv_open(&c, "h1_eig.tsv", "hea.C2 hea.C4");
    tsv_note(
        Te,
        "rank-by-rank eigenvalues: lam_emp = eig(K/N) of N fresh samples, lam_hea = the HEA eigenvalue of that rank, degree |alpha|");
    tsv_columns(Te, "setting\trank\tlam_emp\tlam_hea\tdegree");
    tsv *Tn = tsv_open(&c, "h_nlrn.tsv", "hea.C3 hea.C5");
    tsv_allow_nonfinite(Tn, 1);
    tsv_note(Tn, "sample complexity n_lrn: first crossing of MSE = 0.5 (log-n interpolation); -1 = out of range");
    tsv_columns(Tn, "data\ttarget\tdegree\tnlrn_th\tnlrn_emp");
    tsv *Tl = gauss ? tsv_open(&c, "h1_lmax.tsv", "hea.C2") : NULL;
    if (Tl) {
        tsv_note(
            Tl,
            "sum of the top-P HEA eigenvalues when monomials of degree <= lmax are enumerated, and the highest degree among them");
        tsv_columns(Tl, "setting\tlmax\tP\tsum_lambda\tmax_degree");
    }
    if (gauss) part_gaussian(quick, custom, Te, Tl, Tn);  // parts 1 and 2: Gaussian data (hea.C2, C3, C3b)
    if (mn) part_mnist(quick, Te, Tn);                    // part 3: MNIST (hea.C4, C5, C6)
    if (gauss && !custom) {                               // part 5: eigenspace overlaps (hea.C8)
        tsv *To = tsv_open(&c, "overlap.tsv", "hea.C8");
        run_overlap(quick, To);
        tsv_close(To);
    } else claim_skip("hea.C8", CLAIM_EXPERIMENT, "not requested (MNIST, a custom Gaussian setting or part 4 only)");
    if ((gauss || only_mlp) && !custom) {  // part 4: a trained net learns monomials in HEA order (hea.C7)
        tsv *Tm = tsv_open(&c, "mlp_ttl.tsv", "hea.C7");
        run_mlp(quick, Tm);
        tsv_close(Tm);
    } else claim_skip("hea.C7", CLAIM_EXPERIMENT, "not requested (MNIST or a custom Gaussian setting)");
    tsv_close(Te);
    tsv_close(Tn);
    if (Tl) tsv_close(Tl);
    progress_done("hea: %.1f s", util_now() - t0);
    claim_summary(c.slug);
    return 0;
}
