// deep-relu-first-step: the first saddle escape of a deep ReLU network from small init.
//
// Paper: Ioannis Bantzis, James B. Simon, Arthur Jacot, "Saddle-To-Saddle Dynamics in Deep ReLU
// Networks: Low-Rank Bias in the First Saddle Escape", arXiv 2505.21722 (2025).  No public code.
//
// Claim in one sentence: a bias-free deep ReLU net started at scale alpha leaves the saddle at
// the origin after a time t_esc ~ alpha^{-(L-2)}, along an escape direction (a maximiser of the
// neural correlation N on the unit sphere) whose deeper layers are (nearly) rank one, so the first
// loss drop grows a rank-one update Delta W_l in every layer l >= 2.
//
// Algorithm:
//   1. Data: a random ReLU teacher y = A relu(B x) on Gaussian inputs, or a pooled, centred
//      MNIST subset with one-hot targets (the paper's MNIST figure, our hyperparameters).
//   2. Escape-time sweep: for each depth L and init scale alpha, full-batch GD on
//      C = (1/2N) sum |f(x_n) - y_n|^2 from W_l ~ alpha N(0, 1/n_{l-1}).  The escape *time* is
//      the steepest step of the first drop (the largest one-step decrease), t_esc = eta * that
//      iteration; fit the slope of ln t_esc against ln alpha and compare with -(L-2) (relu.C1).
//      The escape *snapshot* for the rank measures is the first iteration with C < 0.99 C_0 (the
//      loss has just left the plateau).  Neither is a fixed fraction far below C_0: on MNIST the
//      first drop ends at 0.9000-0.9001 C_0, so a 0.9 C_0 level is reached only by a slow creep
//      ~800 iterations after the visible drop.
//   3. At the escape, the singular values of Delta W_l = W_l(t_esc) - W_l(0) per layer: rank-one-
//      ness eta_l and gap ratio rho_l (relu.C2); per-neuron balancedness (relu.C3).
//   4. Optimal escape direction: Riemannian gradient ascent of N on the unit sphere with an
//      adaptive angle, best of R restarts (relu.C4); GD from the aligned init r_0 theta*
//      against the blow-up time t* = r_0^{-(L-2)} / (L (L-2) s*) (relu.C5); the linear network's
//      closed form s*_lin = L^{-L/2} sigma_max(Y^T X / N) (relu.C6); s* against depth (relu.X1).
//   5. MNIST, 6 layers: top singular values of W_l and Delta W_l at snapshots (relu.C7).
//   6. "Deeper layers become more linear": per hidden layer, the share of pre-activation energy on
//      each unit's majority sign, in the optimal direction (relu.C8a) and for GD at the escape
//      (relu.C8b).
//
// Writes (figures/data/deep-relu-first-step/): teacher_loss_L{L}_a{alpha}.tsv, teacher_escape.tsv,
// teacher_rank.tsv, escape_linearity.tsv, optimal.tsv, optimal_aligned.tsv, optimal_linearity.tsv,
// optimal_depth.tsv, depth_linearity.tsv, mnist_loss.tsv, mnist_sv.tsv.
//
// Run:  build/deep-relu-first-step                  (all parts, ~1 min on one core)
//       build/deep-relu-first-step --quick          (< 2 s; MNIST skipped)
//       build/deep-relu-first-step --part optimal --depths 5   (optimum and linear reference at L = 5)
//       build/deep-relu-first-step --part scaling --depths 3,5 --alphas '0.02,0.01;0.2,0.1'
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "cli.h"
#include "fit.h"
#include "mnist.h"
#include "init.h"
#include "linalg.h"
#include "nn.h"
#include "progress.h"
#include "rng.h"
#include "track.h"
#include "tsv.h"
#include "util.h"

// ---- parameters ----
//
// Legend: L depth (number of weight matrices), alpha init scale, eta step size (`lr`), N number
// of samples, theta all weights, r = |theta|, s* = max of the neural correlation on the unit
// sphere, eta_l = s_1^2/|A|_F^2 (rank-one-ness) and rho_l = s_1/s_2 (gap ratio) of a layer.
// (The step size is written `lr` in the code so that it is not confused with eta_l.)
#define MAXD 16          // most depths in one sweep
#define POST_ESCAPE 1.5  // teacher GD runs continue to 1.5 x the escape iteration (shows the drop)
#define MNIST_POST 2.5   // MNIST runs continue to 2.5 x the escape iteration (shows the second drop)
#define STEEP_END 0.05   // the first drop is over when the one-step decrease < 5% of its largest
#define KKT_TOL 1e-4     // ascent stops when |grad N - L N theta| / |grad N| < KKT_TOL
#define NSV 10           // singular values written per layer for MNIST (the paper's figure)

struct params {
    const char *part;    // all | scaling | optimal | mnist
    cli_ilist depths;    // L values of the sweep (weight matrices)
    const char *alphas;  // one comma list per depth, ';'-separated
    int width;           // hidden width of the student
    double lr;           // GD step size eta
    long max_iter;       // cap on GD iterations per run
    double escape_frac;  // escape: C < escape_frac * C_0
    const char *data;    // teacher | mnist (data of the scaling and optimal parts)
    int n, din, dout, teacher_hidden;
    long teacher_seed;
    const char *activation;  // relu | linear
    const char *init;        // random | aligned (scaling part)
    double r0;               // aligned-init radius (optimal part)
    int restarts, ascent_iters;
};
static struct params P = {
    .part = "all",
    .depths = {3, {3, 4, 6}},
    .alphas = "0.02,0.01,0.005;0.04,0.02,0.01;0.28,0.20,0.14",
    .width = 32,
    .lr = 0.5,
    .max_iter = 400000,
    .escape_frac = 0.99,
    .data = "teacher",
    .n = 128,
    .din = 16,
    .dout = 4,
    .teacher_hidden = 8,
    .teacher_seed = 1,
    .activation = "relu",
    .init = "random",
    .r0 = 0.1,
    .restarts = 8,
    .ascent_iters = 3000,
};
// The MNIST part's own setting (our choice: the paper's hyperparameters are not known); --depths/--alphas/--width/--lr/--n override it when given.
static const int MNIST_L = 6, MNIST_WIDTH = 64, MNIST_N = 500;
static const double MNIST_ALPHA = 0.25, MNIST_LR = 1.0;
// relu.C3 is measured at a small step, where GD is close to the flow.
static const double C3_LR = 0.02;

static cli_opt opts[] = {
    {"part", CLI_CHOICE, &P.part, 0, 0, "which series to run", "all|scaling|optimal|mnist", 0},
    {"depths", CLI_ILIST, &P.depths, 2, 12, "depths L (weight matrices) of the sweep", 0, 0},
    {"alphas", CLI_STRING, &P.alphas, 0, 0, "init scales, one comma list per depth, ';'-separated", 0, 0},
    {"width", CLI_INT, &P.width, 1, 4096, "hidden width", 0, 0},
    {"lr", CLI_DOUBLE, &P.lr, 1e-6, 10, "GD step size eta", 0, 0},
    {"max-iter", CLI_LONG, &P.max_iter, 1, 1e9, "cap on GD iterations per run", 0, 0},
    {"escape-frac", CLI_DOUBLE, &P.escape_frac, 0.01, 0.9999, "escape when C < frac C_0", 0, 0},
    {"data", CLI_CHOICE, &P.data, 0, 0, "data of the scaling/optimal parts", "teacher|mnist", 0},
    {"n", CLI_INT, &P.n, 2, 60000, "number of training samples N", 0, 0},
    {"din", CLI_INT, &P.din, 1, 4096, "teacher input dimension", 0, 0},
    {"dout", CLI_INT, &P.dout, 1, 256, "teacher output dimension", 0, 0},
    {"teacher-hidden", CLI_INT, &P.teacher_hidden, 1, 4096, "teacher hidden width", 0, 0},
    {"teacher-seed", CLI_LONG, &P.teacher_seed, 0, 4e9, "seed of the teacher and its data", 0, 0},
    {"activation", CLI_CHOICE, &P.activation, 0, 0, "student activation", "relu|linear", 0},
    {"init", CLI_CHOICE, &P.init, 0, 0, "scaling-part init: random, or r0 times the optimal direction",
     "random|aligned", 0},
    {"r0", CLI_DOUBLE, &P.r0, 1e-8, 100, "aligned-init radius |theta(0)|", 0, 0},
    {"restarts", CLI_INT, &P.restarts, 1, 10000, "restarts of the escape-direction ascent", 0, 0},
    {"ascent-iters", CLI_INT, &P.ascent_iters, 1, 10000000, "iterations per ascent restart", 0, 0},
    {0}};

static cli C = {.slug = "deep-relu-first-step",
                .summary =
                    "Escape of deep bias-free ReLU nets from the saddle at the origin: escape time "
                    "~ alpha^-(L-2), rank-one growth of Delta W_l for l >= 2, optimal escape directions "
                    "(Bantzis, Simon, Jacot, arXiv 2505.21722).",
                .claims = "relu.C1-C9 relu.X1",
                .opts = opts};

static int n_alpha[MAXD];
static double alpha_of[MAXD][CLI_LIST_MAX];

// "a,b,c;d,e" -> one list per depth.  Usage errors exit 2 before anything is computed.
static void parse_alphas(void) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", P.alphas);
    // strtok skips empty fields: refuse them first ("0.1,,0.2", "0.1;", ";0.1")
    size_t len = strlen(buf);
    if (strpbrk(buf, ",;") == buf || (len && strchr(",;", buf[len - 1])) || strstr(buf, ",,") || strstr(buf, ";;") ||
        strstr(buf, ",;") || strstr(buf, ";,"))
        cli_usage_error(&C, "--alphas: empty entry in '%s' (comma lists of positive numbers, ';' between depths)",
                        P.alphas);
    int g = 0;
    char *save1, *grp = strtok_r(buf, ";", &save1);
    for (; grp; grp = strtok_r(NULL, ";", &save1), g++) {
        if (g >= MAXD) cli_usage_error(&C, "--alphas has more than %d groups", MAXD);
        n_alpha[g] = 0;
        char *save2, *tok = strtok_r(grp, ",", &save2);
        for (; tok; tok = strtok_r(NULL, ",", &save2)) {
            char *end;
            double a = strtod(tok, &end);
            if (end == tok || *end || !(a > 0 && a <= 100))
                cli_usage_error(&C, "--alphas expects positive numbers in (0, 100], got '%s'", tok);
            if (n_alpha[g] >= CLI_LIST_MAX) cli_usage_error(&C, "--alphas: at most %d values per depth", CLI_LIST_MAX);
            alpha_of[g][n_alpha[g]++] = a;
        }
        if (!n_alpha[g]) cli_usage_error(&C, "--alphas: empty group %d", g + 1);
    }
    if (g != P.depths.n)
        cli_usage_error(&C, "--alphas has %d ';'-separated groups but --depths has %d depths", g, P.depths.n);
}

// --alphas outside the scaling part: one list, whose first value the MNIST part uses.
static void parse_alpha_list(void) {
    cli_ilist save = P.depths;
    P.depths.n = 1;
    if (strchr(P.alphas, ';')) cli_usage_error(&C, "--alphas: one list only (no ';') outside the scaling part");
    parse_alphas();
    P.depths = save;
}

// ---- data ----
//
// Samples are rows: X is (N, din), Y is (N, dout).  Teacher: x ~ N(0, I_din),
// y = A relu(B x) with B (h, din) ~ N(0, 1/din) and A (dout, h) ~ N(0, 1/h), all from the
// teacher seed's stream 0.  MNIST: the first N training images, 2x2 average-pooled to
// 14 x 14, pixels/255, centred by the subset mean; targets one-hot - 0.1.
typedef struct {
    int N, din, dout;
    double *X, *Y;
    const char *name;
} dataset;

static dataset teacher_data(int N, int din, int dout, int h, unsigned long tseed) {
    dataset D = {N, din, dout, XNEW(double, (size_t)N *din), XNEW(double, (size_t)N *dout), "teacher"};
    gsl_rng *r = rng_alloc(tseed, 0);
    double *B = XNEW(double, (size_t)h *din), *A = XNEW(double, (size_t)dout *h), *Hh = XNEW(double, (size_t)N *h);
    rng_normal_vec(r, (size_t)N * din, D.X);
    for (size_t k = 0; k < (size_t)h * din; k++) B[k] = rng_normal(r) / sqrt((double)din);
    for (size_t k = 0; k < (size_t)dout * h; k++) A[k] = rng_normal(r) / sqrt((double)h);
    // H = relu(X B^T) (N, h);  Y = H A^T (N, dout)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, h, din, 1.0, D.X, din, B, din, 0.0, Hh, h);
    nn_act_apply(NN_RELU, (size_t)N * h, Hh, Hh);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, dout, h, 1.0, Hh, h, A, h, 0.0, D.Y, dout);
    free(B), free(A), free(Hh), rng_free(r);
    return D;
}

static dataset mnist_data(const char *dir, int N) {
    mnist_set ms;
    char merr[1024];
    if (mnist_load(dir, 1, &ms, merr, sizeof merr)) DIE("%s", merr);
    if (N > ms.n) DIE("MNIST subset N = %d exceeds the %d training images; lower --n", N, ms.n);
    const int side = ms.rows / 2, din = side * side, dout = 10;
    dataset D = {N, din, dout, XNEW(double, (size_t)N *din), XNEW(double, (size_t)N *dout), "mnist"};
    for (int s = 0; s < N; s++) {
        const double *img = ms.x + (size_t)s * ms.d;
        for (int i = 0; i < side; i++)
            for (int j = 0; j < side; j++) {
                const double *p = img + (2 * i) * ms.cols + 2 * j;
                D.X[(size_t)s * din + i * side + j] = 0.25 * (p[0] + p[1] + p[ms.cols] + p[ms.cols + 1]);
            }
        for (int k = 0; k < dout; k++) D.Y[(size_t)s * dout + k] = (k == ms.y[s] ? 1.0 : 0.0) - 0.1;
    }
    for (int j = 0; j < din; j++) {  // centre each pixel by the subset mean
        double m = 0;
        for (int s = 0; s < N; s++) m += D.X[(size_t)s * din + j];
        m /= N;
        for (int s = 0; s < N; s++) D.X[(size_t)s * din + j] -= m;
    }
    mnist_free(&ms);
    return D;
}

static void data_free(dataset *D) { free(D->X), free(D->Y); }

static nn *student(int L, int width, const dataset *D, nn_act act) {
    int n[MAXD + 1];
    n[0] = D->din;
    for (int l = 1; l < L; l++) n[l] = width;
    n[L] = D->dout;
    nn *net = nn_alloc(L, n, act, 0, D->N);
    if (!net) DIE("could not build a depth-%d student", L);
    return net;
}

// ---- theory ----
//
// Near the origin C(theta) = C(0) - N(theta) + O(|theta|^{2L}), with the neural correlation
// N(theta) = (1/N) sum_n y_n . f_theta(x_n), L-homogeneous.  Writing theta = r thetabar, gradient
// flow gives dr/dt = L r^{L-1} N(thetabar) and, on the sphere, projected gradient ascent of N.
// From the aligned init thetabar = thetabar* (the maximiser, value s*), with L >= 3,
//     r(t)^{-(L-2)} = r_0^{-(L-2)} - L (L-2) s* t,
// so r blows up at  t* = r_0^{-(L-2)} / (L (L-2) s*)   (t*/eta GD iterations).
static double t_blowup(double r0, int L, double s_star) { return pow(r0, -(double)(L - 2)) / (L * (L - 2.0) * s_star); }
// Random init at scale alpha: substituting r = alpha rho, t = alpha^{-(L-2)} tau removes alpha
// from the small-r ODE, so t_esc is proportional to alpha^{-(L-2)}: slope -(L-2) in log-log.
// For sigma = id: N(theta) = <W_L ... W_1, Y^T X / N>, maximised by rank-one layers
// W_l = L^{-1/2} u_{l+1} u_l^T, so s*_lin = L^{-L/2} sigma_max(Y^T X / N).
static double s_star_linear(const dataset *D, int L) {
    double *M = XNEW(double, (size_t)D->dout * D->din), s[256];
    // M = Y^T X / N  (dout, din): the cross-covariance "Y X^T / N" of the column convention
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D->dout, D->din, D->N, 1.0 / D->N, D->Y, D->dout, D->X, D->din,
                0.0, M, D->din);
    if (track_svd(D->dout, D->din, M, s, 0, NULL)) DIE("dgesdd failed on Y^T X / N");
    free(M);
    return pow((double)L, -L / 2.0) * s[0];
}

// ---- experiment: gradient descent through the saddle ----
//
// Full-batch GD theta <- theta - eta grad C with C = (1/2N) sum |f - y|^2, so dC/dF = (F - Y)/N.
// The escape iteration is the first k with C_k < frac C_0, linearly interpolated between k-1
// and k.  At that first k we keep a copy of theta (for Delta W) and the per-neuron
// balancedness drift.  For MNIST snapshots, `keep` stores theta every `stride` iterations,
// doubling the stride when full, so a snapshot near any fraction of the (unknown in advance)
// escape iteration is available without a second run.
#define KEEP_MAX 64
typedef struct {
    int n;
    long stride, iter[KEEP_MAX];
    double *theta[KEEP_MAX];
} keep_store;

typedef struct {
    double C0, iter_esc;         // interpolated crossing of frac C_0 (the escape)
    long k_esc, k_steep, k_end;  // first iteration below frac C_0; steepest step of the first drop; last
    double C_end, C_steep;
    double *theta0, *theta_esc, *theta_steep;  // copies (nparams each)
    double drift;                              // max_i |Delta(|in_i|^2 - |out_i|^2)| / max(|in_i|^2, |out_i|^2)
} gd_result;

static double loss_and_grad(nn *net, const dataset *D) {
    const double *F = nn_forward(net, D->N, D->X);
    size_t m = (size_t)D->N * D->dout;
    double s = 0;
    for (size_t k = 0; k < m; k++) {
        double e = F[k] - D->Y[k];
        s += e * e;
        net->dout[k] = e / D->N;
    }
    nn_backward(net, net->dout, NULL, 0);
    return s / (2.0 * D->N);
}

// Per-neuron balancedness at the current theta against the values in in0/out0.
static double balance_drift(const nn *net, const double *in0, const double *out0, double *in2, double *out2) {
    double worst = 0;
    size_t o = 0;
    for (int l = 1; l < net->L; l++) {
        nn_neuron_norms(net, l, in2, out2);
        for (int i = 0; i < net->n[l]; i++) {
            double d = fabs((in2[i] - out2[i]) - (in0[o + i] - out0[o + i]));
            double sc = fmax(in2[i], out2[i]);
            if (sc > 0) worst = fmax(worst, d / sc);
        }
        o += net->n[l];
    }
    return worst;
}

static void gd_run(nn *net, const dataset *D, double lr, double frac, long max_iter, double post, tsv *loss_tsv,
                   keep_store *keep, gd_result *R) {
    const size_t np = net->nparams;
    memset(R, 0, sizeof *R);
    R->iter_esc = NAN;
    R->k_esc = R->k_steep = -1;
    R->theta0 = XNEW(double, np);
    R->theta_esc = XNEW(double, np);
    R->theta_steep = XNEW(double, np);
    memcpy(R->theta0, net->theta, np * sizeof *net->theta);
    size_t nh = 0;
    for (int l = 1; l < net->L; l++) nh += net->n[l];
    double *in0 = XNEW(double, nh + 1), *out0 = XNEW(double, nh + 1), *in2 = XNEW(double, nh + 1),
           *out2 = XNEW(double, nh + 1);
    for (int l = 1, o = 0; l < net->L; o += net->n[l], l++) nn_neuron_norms(net, l, in0 + o, out0 + o);
    if (keep) keep->n = 0, keep->stride = 1;
    double Cprev = 0, next_rec = 0, dmax = 0;
    int drop_over = 0;  // the first drop has flattened out: the steepest step is final
    long k_stop = max_iter;
    for (long k = 0;; k++) {
        double Ck = loss_and_grad(net, D);
        if (!isfinite(Ck))
            DIE("loss is %g at GD iteration %ld (L = %d, eta = %g); lower --lr below the stability bound", Ck, k,
                net->L, lr);
        if (k == 0) R->C0 = Ck;
        // the steepest step of the first drop: from the escape on, the largest one-step decrease,
        // until the decrease has fallen below STEEP_END of that largest one (the drop is over)
        if (R->k_esc >= 0 && !drop_over) {
            double d = Cprev - Ck;
            if (d > dmax) {
                dmax = d, R->k_steep = k, R->C_steep = Ck;
                memcpy(R->theta_steep, net->theta, np * sizeof *net->theta);
            } else if (d < STEEP_END * dmax) {
                drop_over = 1;
            }
        }
        if (R->k_esc < 0 && Ck < frac * R->C0) {
            R->k_esc = k;
            R->iter_esc = (k - 1) + (Cprev - frac * R->C0) / (Cprev - Ck);
            memcpy(R->theta_esc, net->theta, np * sizeof *net->theta);
            R->drift = balance_drift(net, in0, out0, in2, out2);
            long ke = (long)ceil(post * k);
            if (ke < k_stop) k_stop = ke;
        }
        // the loss curve: a geometric grid of iterations (about 80 rows per decade) plus the
        // two iterations bracketing the escape
        if (loss_tsv && (k >= next_rec || k == R->k_esc || k == k_stop)) {
            tsv_row(loss_tsv, "%ld\t%.10g\t%.12g", k, k * lr, Ck);
            next_rec = fmax(next_rec, k * 1.03 + 1);
        }
        if (keep && k % keep->stride == 0) {
            if (keep->n == KEEP_MAX) {  // thin to every other one and double the stride
                for (int i = 0; i < KEEP_MAX / 2; i++) {
                    double *t = keep->theta[i];
                    keep->theta[i] = keep->theta[2 * i], keep->iter[i] = keep->iter[2 * i];
                    keep->theta[2 * i] = t;
                }
                keep->n = KEEP_MAX / 2;
                keep->stride *= 2;
            }
            if (k % keep->stride == 0) {
                if (!keep->theta[keep->n]) keep->theta[keep->n] = XNEW(double, np);
                memcpy(keep->theta[keep->n], net->theta, np * sizeof *net->theta);
                keep->iter[keep->n++] = k;
            }
        }
        if (k >= k_stop) {
            R->k_end = k, R->C_end = Ck;
            break;
        }
        if (k % 2048 == 0) progress("GD L=%d: iteration %ld, C/C0 = %.4f", net->L, k, Ck / R->C0);
        cblas_daxpy((int)np, -lr, net->grad, 1, net->theta, 1);
        Cprev = Ck;
    }
    free(in0), free(out0), free(in2), free(out2);
}

static void gd_result_free(gd_result *R) { free(R->theta0), free(R->theta_esc), free(R->theta_steep); }

// ---- experiment: the optimal escape direction (Riemannian ascent on the unit sphere) ----
//
// Maximise N(thetabar) over |thetabar| = 1.  With g = (I - thetabar thetabar^T) grad N, try
// thetabar' = cos(a) thetabar + sin(a) g/|g|; accept if N increases and set a <- min(1.5 a, 0.5),
// otherwise halve a and retry.  A fixed Euclidean step fails at depth: at random points
// N ~ 1e-10 for L = 6 and grad N shrinks like r^{L-1}; the angle adapts to any scale.  Stop at
// the KKT residual |grad N - L N thetabar| / |grad N| < 1e-4 (Euler: <grad N, thetabar> = L N),
// after `iters` iterations, or when a < 1e-14.
typedef struct {
    double s, kkt;
    int iters;
} ascent_result;

static ascent_result ascent(nn *net, const dataset *D, gsl_rng *r, int iters, double *tb) {
    const int np = (int)net->nparams, L = net->L;
    double *g = XNEW(double, np), *trial = XNEW(double, np);
    rng_normal_vec(r, (size_t)np, tb);
    cblas_dscal(np, 1 / cblas_dnrm2(np, tb, 1), tb, 1);
    memcpy(net->theta, tb, np * sizeof *tb);
    double Nc = nn_neural_corr(net, D->N, D->X, D->Y, 1), a = 0.1, kkt = INFINITY;
    memcpy(g, net->grad, np * sizeof *g);
    int it = 0;
    for (; it < iters; it++) {
        double gn = cblas_dnrm2(np, g, 1), dot = cblas_ddot(np, g, 1, tb, 1);
        // KKT residual |grad N - L N thetabar| / |grad N|
        double res2 = 0;
        for (int i = 0; i < np; i++) res2 += (g[i] - L * Nc * tb[i]) * (g[i] - L * Nc * tb[i]);
        kkt = sqrt(res2) / gn;
        if (kkt < KKT_TOL) break;
        cblas_daxpy(np, -dot, tb, 1, g, 1);  // g <- tangent part of grad N
        double gt = cblas_dnrm2(np, g, 1);
        int accepted = 0;
        while (a >= 1e-14) {
            for (int i = 0; i < np; i++) trial[i] = cos(a) * tb[i] + sin(a) * g[i] / gt;
            cblas_dscal(np, 1 / cblas_dnrm2(np, trial, 1), trial, 1);  // stay on the sphere exactly
            memcpy(net->theta, trial, np * sizeof *trial);
            double Nt = nn_neural_corr(net, D->N, D->X, D->Y, 1);
            if (Nt > Nc) {
                memcpy(tb, trial, np * sizeof *tb);
                memcpy(g, net->grad, np * sizeof *g);
                Nc = Nt, a = fmin(1.5 * a, 0.5), accepted = 1;
                break;
            }
            a *= 0.5;
        }
        if (!accepted) break;
    }
    if (it == iters) {  // residual at the final point
        double gn = cblas_dnrm2(np, g, 1), res2 = 0;
        for (int i = 0; i < np; i++) res2 += (g[i] - L * Nc * tb[i]) * (g[i] - L * Nc * tb[i]);
        kkt = sqrt(res2) / gn;
    }
    free(g), free(trial);
    return (ascent_result){Nc, kkt, it};
}

// ---- measurement ----
//
// Rank measures of layer l of a flat parameter vector (A = W_l, or Delta W_l when base != NULL):
// singular values by dgesdd on a copy (track.h), eta = s_1^2/|A|_F^2, rho = s_1/s_2.
typedef struct {
    double eta, rho, normsq, s[NSV];
    int ns;
} layer_rank;

static layer_rank rank_of(const nn *net, const double *theta, const double *base, int l) {
    const int m = net->n[l], k = net->n[l - 1], mn = m < k ? m : k;
    double *A = XNEW(double, (size_t)m *k), *s = XNEW(double, mn);
    const double *w = theta + net->off[l];
    for (size_t i = 0; i < (size_t)m * k; i++) A[i] = w[i] - (base ? base[net->off[l] + i] : 0.0);
    if (track_svd(m, k, A, s, 0, NULL)) DIE("dgesdd failed on layer %d", l);
    layer_rank R = {track_eta(s, mn), track_gap(s, mn), la_frob2((size_t)m * k, A), {0}, mn < NSV ? mn : NSV};
    for (int i = 0; i < R.ns; i++) R.s[i] = s[i];
    free(A), free(s);
    return R;
}

// Linearity of a hidden layer on the data ("deeper layers become more linear").  A ReLU unit
// acts linearly on the data set when its pre-activation never changes sign over the samples:
// never negative, it is the identity; never positive, the zero map.  Exact zeros are common (a
// rank-one layer fed by a half-rectified signal is zero on half the data, where relu is linear
// too) and the units a direction does not use keep tiny random weights, so we measure sign
// changes by energy: with $E_\pm = \sum_n (z_{n,i})_\pm^2$ over the N samples,
//   $\mathrm{lin}_i = \max(E_+, E_-) / (E_+ + E_-) \in [1/2, 1]$,
// 1 for a unit that never changes sign, 1/2 for a symmetric one (z = u (v.x) with Gaussian x).
// Per hidden layer l (1 <= l < L):
//   lin = the mean of lin_i over units, and on = the fraction of (unit, sample) pairs with z > 0,
// each unit weighted by |row i of W_l| |column i of W_{l+1}| (its share of the path from input to
// output), so that units the direction does not use do not count.  A rank-one layer W_l = u v^T
// whose input h_{l-1} >= 0 has v.h_{l-1} of one sign has z_l = u (v.h_{l-1}): lin = 1.
typedef struct {
    double lin, on;
} layer_lin;

// Fills lin[1..L-1] for the parameters theta (net->theta is restored afterwards).
static void linearity(nn *net, const double *theta, const dataset *D, layer_lin *lin) {
    const size_t np = net->nparams;
    double *save = XNEW(double, np);
    memcpy(save, net->theta, np * sizeof *save);
    memcpy(net->theta, theta, np * sizeof *save);
    nn_forward(net, D->N, D->X);
    for (int l = 1; l < net->L; l++) {
        const int m = net->n[l], k = net->n[l - 1], mo = net->n[l + 1];
        double wsum = 0, wlin = 0, won = 0;
        for (int i = 0; i < m; i++) {
            double in = cblas_dnrm2(k, net->W[l] + (size_t)i * k, 1), out = cblas_dnrm2(mo, net->W[l + 1] + i, m);
            double w = in * out, ep = 0, em = 0;
            int pos = 0;
            for (int s = 0; s < D->N; s++) {
                double z = net->Z[l][(size_t)s * m + i];
                if (z > 0) ep += z * z, pos++;
                else em += z * z;
            }
            if (!(ep + em > 0)) continue;  // a unit that is exactly zero on the data carries no path
            wsum += w;
            wlin += w * fmax(ep, em) / (ep + em);
            won += w * pos / (double)D->N;
        }
        lin[l].lin = wsum > 0 ? wlin / wsum : NAN;
        lin[l].on = wsum > 0 ? won / wsum : NAN;
    }
    memcpy(net->theta, save, np * sizeof *save);
    free(save);
}

// The student's activation, and the ascent that part A's aligned init borrows from part B.
static nn_act student_act(void) { return (nn_act)nn_act_parse(P.activation); }

static double optimal_direction(nn *net, const dataset *D, int restarts, int iters, double *best_tb,
                                ascent_result *best, ascent_result *all, double **dirs);

// ---- the parts, one chapter each ----
#include "01-escape-time.c"
#include "02-optimal-direction.c"
#include "03-mnist.c"

// ---- main ----
int main(int argc, char **argv) {
    cli_parse(&C, argc, argv);
    if (C.quick) {  // --quick sizes, for every size flag the user did not type
        if (!cli_given(&C, "n")) P.n = 64;
        if (!cli_given(&C, "din")) P.din = 8;
        if (!cli_given(&C, "width")) P.width = 16;
        if (!cli_given(&C, "depths")) P.depths = (cli_ilist){1, {4}};
        if (!cli_given(&C, "alphas")) P.alphas = "0.08,0.04";
        if (!cli_given(&C, "restarts")) P.restarts = 2;
        if (!cli_given(&C, "ascent-iters")) P.ascent_iters = 1000;
    }
    // --alphas belongs to the scaling part (and its first value to the MNIST part); a run of
    // another part neither needs nor checks it
    const int run_scaling = !strcmp(P.part, "all") || !strcmp(P.part, "scaling");
    if (run_scaling) parse_alphas();
    else if (cli_given(&C, "alphas")) parse_alpha_list();
    if (!strcmp(P.init, "aligned") && !strcmp(P.part, "mnist"))
        cli_usage_error(&C, "--init aligned applies to the scaling part, not to --part mnist");
    const int all = !strcmp(P.part, "all");
    double t0 = util_now();
    dataset D = {0};
    if (all || !strcmp(P.part, "scaling") || !strcmp(P.part, "optimal")) {
        if (!strcmp(P.data, "mnist")) {
            if (!mnist_available(C.mnist_dir)) DIE("--data mnist: MNIST not found in %s; run make data", C.mnist_dir);
            D = mnist_data(C.mnist_dir, P.n);
        } else {
            D = teacher_data(P.n, P.din, P.dout, P.teacher_hidden, (unsigned long)P.teacher_seed);
        }
    }
    if (all || !strcmp(P.part, "scaling")) {
        part_scaling(&D);
        part_balance(&D);
    }
    if (all || !strcmp(P.part, "optimal")) {
        part_optimal(&D);
        part_linear(&D, C.quick ? 2 : P.restarts, C.quick ? 500 : P.ascent_iters);
        if (!C.quick) part_depth(&D, P.restarts / 2 > 0 ? P.restarts / 2 : 1);
    }
    if (all || !strcmp(P.part, "mnist")) part_mnist();
    if (D.X) data_free(&D);
    progress_done("done in %.1f s", util_now() - t0);
    claim_summary(C.slug);
    return 0;
}
