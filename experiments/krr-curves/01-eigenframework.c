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
    tsv_note(t,
             "L_exp: D-learnability <f_hat, f>/<f, f> on test points; mse_*: MSE vs the clean target; *_se: "
             "standard error over trials");
    tsv_columns(t, "n\ttarget\tL_theory\tL_exp\tL_se\tmse_theory\tmse_exp\tmse_se\tratio\ttrials\tbeyond_pool");
    for (int i = 0; i < nrows; i++) {
        lc_row *r = &rows[i];
        double me = fit_mean(r->mse, r->trials);
        tsv_row(t, "%d\t%d\t%.10g\t%.10g\t%.4g\t%.10g\t%.10g\t%.4g\t%.6g\t%d\t%d", r->n, r->target, r->L_th,
                fit_mean(r->L, r->trials), fit_stderr(r->L, r->trials), r->mse_th, me, fit_stderr(r->mse, r->trials),
                me / r->mse_th, r->trials, r->beyond);
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

static void free_rows(lc_row *rows, int n) {
    for (int i = 0; i < n; i++) free(rows[i].L), free(rows[i].mse);
}
