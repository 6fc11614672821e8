// ---- R4(c): obligatory overfitting on MNIST (Laplace KRR) ----
// Even/odd, `laplace` l = 28 on standardised pixels, n = 2000 training and 2000 test images,
// 3 trials.  One dsyevd per trial serves 60 ridges $\delta = \lambda_{max}(K)\,10^{-8+9j/59}$.
// Label noise $\epsilon^2 = \sigma_{rel}\cdot$ base (base = ridgeless noiseless test MSE of trial 1)
// is added to the training labels; by linearity the predictions for $y + \epsilon\xi$ are those
// of $y$ plus $\epsilon$ times those of $\xi$ (two right-hand sides).  Fitting ratio
// R = train MSE (noisy labels) / (clean test MSE + $\epsilon^2$).
//
// The task exponents, by the paper's two proxies on the same draws: for nested training sets
// (the first $n_j$ of the 2000, $n_j = 125\cdot 2^{j/2}$), (i) $\hat\kappa = 1/\mathrm{Tr}\,K_{n}^{-1}$, whose
// decay $\hat\kappa \sim n^{-\alpha}$ gives $\alpha$, and (ii) the ridgeless noiseless test MSE
// $\sim n^{1-\beta}$, which gives $\beta$.  One Cholesky factor $K = LL^\top$ and $L^{-1}$ (dtrtri) of
// the full 2000-point Gram matrix serve every $n_j$: the leading block of $L^{-1}$ is the inverse
// factor of the leading block of K, so $\mathrm{Tr}\,K_{n_j}^{-1}$ is a partial sum of squares of
// $L^{-1}$ and $\alpha_{n_j} = L_{n_j}^{-\top}L_{n_j}^{-1}y$.  Slopes: least squares in log-log
// over $250 \le n \le 2000$ of the trial means (common/fit).
//
// Shape-matched theory (as the paper draws it): the continuum eigenframework of a power-law
// task, with $s = \delta/(n\kappa)$ and $R = s^2$,
//   $E_{te}(s) \propto \frac{1}{1+(\alpha-1)s}\left[(1-s)^{1-\beta} + \alpha\,\sigma_{rel}\right]$
// (the ridgeless noiseless test MSE is $\alpha B_0$, so $\epsilon^2 = \sigma_{rel}\alpha B_0$), divided
// by its minimum over s: only $(\hat\alpha, \hat\beta)$ enter, no prefactor is fitted.
// rf.C10 compares the shape-matched optimum with the measured one, located between the ridges of
// the grid: the vertex of the parabola through the test MSE at the best ridge index and its two
// neighbours, and R interpolated linearly in the index there (the grid's neighbouring ridges differ
// in R by 0.04-0.06 near the optimum).  Tolerance 0.06 in R: the measured test MSE is flat at its
// optimum -- within 0.2% of it over Delta R ~ 0.1 (seed 1, sigma_rel = 50: 1.0005 at R = 0.71, 1.0006
// at R = 0.83) -- while its trial-to-trial standard error is ~0.2-0.5% (3 trials), so the measured
// optimum can move by about half that width.
#define R4C_TOL 0.06
#define R4C_TOL_TEXT "0.06 (the flat optimum: test MSE within 0.2% over Delta R ~ 0.1)"
#define R4C_NJ 9  // nested sizes 125 * 2^(j/2), j = 0..8: 125 .. 2000
typedef struct {
    int ok;
    double R0, R50, Rs[CLI_LIST_MAX];
    int mono;
    double alpha_hat, beta_hat, alpha_se, beta_se, Rpred[CLI_LIST_MAX], Rint[CLI_LIST_MAX];
} r4c_result;

// The continuum test MSE up to a constant, at s in [0, 1).
static double shape_E(double a, double b, double srel, double s) {
    return (pow(1 - s, 1 - b) + a * srel) / (1 + (a - 1) * s);
}
// argmin over s in [0, 1) of shape_E: a 2000-point grid in s then golden section (the function
// is unimodal in s for alpha > 1, beta > 1); returns s*.
static double shape_argmin(double a, double b, double srel) {
    int G = 2000, jb = 0;
    double best = INFINITY;
    for (int j = 0; j < G; j++) {
        double e = shape_E(a, b, srel, j / (double)G);
        if (e < best) best = e, jb = j;
    }
    double lo = fmax(0, (jb - 1) / (double)G), hi = (jb + 1) / (double)G, g = (sqrt(5.0) - 1) / 2;
    for (int it = 0; it < 60; it++) {
        double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
        if (shape_E(a, b, srel, x1) <= shape_E(a, b, srel, x2)) hi = x2;
        else lo = x1;
    }
    double s = 0.5 * (lo + hi);
    return shape_E(a, b, srel, s) < shape_E(a, b, srel, 0) ? s : 0;
}

static void r4c_mnist(int quick, r4c_result *res) {
    (void)quick;
    mnist_prepare();
    int n = 2000, nt = 2000, d = 784, trials = 3, NR = 60, ns = P.noise_rel.n;
    kernel_spec kl;
    char err[200];
    if (kernel_spec_parse(&kl, "laplace", P.bandwidth, 1, 1, 0, err, sizeof err)) DIE("%s", err);
    double *X = XNEW(double, (size_t)n *d), *Xt = XNEW(double, (size_t)nt *d), *Y = XNEW(double, (size_t)n * 2),
           *ft = XNEW(double, nt);
    double *y = XNEW(double, n), *K = XNEW(double, (size_t)n *n), *Ktd = XNEW(double, (size_t)nt *n);
    double *resid = XNEW(double, (size_t)n * 2), *pred = XNEW(double, (size_t)nt * 2);
    size_t *idx = XNEW(size_t, n), *tidx = XNEW(size_t, nt);
    // acc[s][r]: summed over trials, train and test MSE (noisy conventions)
    double *tr = XNEW(double, (size_t)ns *NR), *te = XNEW(double, (size_t)ns *NR), base = NAN;
    krr_sweep *s = MUST(krr_sweep_alloc(n, nt, 2));
    // the exponents: nested sizes, per-trial kappa_hat and ridgeless test MSE
    int nj[R4C_NJ];
    for (int j = 0; j < R4C_NJ; j++) nj[j] = (int)lround(125 * pow(2, j / 2.0));
    nj[R4C_NJ - 1] = n;
    double *Lc = XNEW(double, (size_t)n *n), *kap = XNEW(double, (size_t)R4C_NJ *trials),
           *t0 = XNEW(double, (size_t)R4C_NJ *trials);
    double *z = XNEW(double, n), *al = XNEW(double, n), *pr = XNEW(double, nt);
    for (int trl = 0; trl < trials; trl++) {
        gsl_rng *rd = MUST(rng_alloc(C.seed, STREAM_R4C + trl));
        if (rng_subset(rd, tr_set.n, n, idx)) DIE("rng_subset: %s", sim_last_error());
        gather(&tr_set, idx, n, X, y);
        if (rng_subset(rd, te_set.n, nt, tidx)) DIE("rng_subset: %s", sim_last_error());
        gather(&te_set, tidx, nt, Xt, ft);
        for (int i = 0; i < n; i++) Y[2 * i] = y[i], Y[2 * i + 1] = rng_normal(rd);
        if (kernel_gram_sym(&kl, n, d, X, K)) DIE("kernel_gram_sym: %s", sim_last_error());
        if (kernel_gram(&kl, nt, n, d, Xt, X, Ktd)) DIE("kernel_gram: %s", sim_last_error());
        int info = krr_sweep_prepare(s, K, Y, Ktd);
        if (info) DIE("R4c: dsyevd failed (info %d)", info);
        // exponents: L^-1 of the ridgeless Gram matrix, then every nested size from its blocks
        memcpy(Lc, K, sizeof(double) * n * n);
        info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', n, Lc, n);
        if (!info) info = LAPACKE_dtrtri(LAPACK_ROW_MAJOR, 'L', 'N', n, Lc, n);
        if (info) DIE("R4c: Cholesky/inverse of the ridgeless Laplace Gram matrix failed (info %d)", info);
        long double trace = 0;
        for (int j = 0, i0 = 0; j < R4C_NJ; j++) {
            int m = nj[j];
            for (int i = i0; i < m; i++)
                for (int l = 0; l <= i; l++) trace += (long double)Lc[(size_t)i * n + l] * Lc[(size_t)i * n + l];
            i0 = m;
            kap[j * trials + trl] = (double)(1 / trace);
            memcpy(z, y, sizeof(double) * m);  // alpha = L_m^-T L_m^-1 y_m
            cblas_dtrmv(CblasRowMajor, CblasLower, CblasNoTrans, CblasNonUnit, m, Lc, n, z, 1);
            memcpy(al, z, sizeof(double) * m);
            cblas_dtrmv(CblasRowMajor, CblasLower, CblasTrans, CblasNonUnit, m, Lc, n, al, 1);
            cblas_dgemv(CblasRowMajor, CblasNoTrans, nt, m, 1.0, Ktd, n, al, 1, 0.0, pr, 1);
            double e = 0;
            for (int i = 0; i < nt; i++) e += (pr[i] - ft[i]) * (pr[i] - ft[i]);
            t0[j * trials + trl] = e / nt;
        }
        double wmax = s->w[n - 1];
        if (trl == 0) {  // base: ridgeless, noiseless test MSE
            if (krr_sweep_eval(s, 0.0, NULL, resid, pred)) DIE("R4c: the Laplace Gram matrix is singular at delta = 0");
            double e = 0;
            for (int i = 0; i < nt; i++) e += (pred[2 * i] - ft[i]) * (pred[2 * i] - ft[i]);
            base = e / nt;
            fprintf(stderr, "R4c: base (ridgeless noiseless test MSE) = %.4f\n", base);
        }
        for (int r = 0; r < NR; r++) {
            double delta = wmax * pow(10, -8 + 9.0 * r / (NR - 1));
            krr_sweep_eval(s, delta, NULL, resid, pred);
            for (int q = 0; q < ns; q++) {
                double eps = sqrt(P.noise_rel.v[q] * base), a = 0, b = 0;
                for (int i = 0; i < n; i++) {
                    double rr = resid[2 * i] + eps * resid[2 * i + 1];  // residual of y + eps xi
                    a += rr * rr;
                }
                for (int i = 0; i < nt; i++) {
                    double e = pred[2 * i] + eps * pred[2 * i + 1] - ft[i];
                    b += e * e;
                }
                tr[q * NR + r] += a / n / trials;
                te[q * NR + r] += (b / nt + eps * eps) / trials;
            }
        }
        rng_free(rd);
        progress("R4c: trial %d/%d", trl + 1, trials);
    }
    tsv *T = tsv_open(&C, "r4c_fit.tsv", "rf.C9");
    tsv_note(T,
             "R4c: MNIST even/odd, laplace l = %g, n = %d, %d test, %d trials; base = %.6f; ridge index j: delta = "
             "lambda_max(K) 10^(-8+9j/59)",
             P.bandwidth, n, nt, trials, base);
    tsv_note(T, "R = train MSE (noisy labels) / test MSE (clean + eps2); star = 1 at the argmin of the test MSE");
    tsv_columns(T, "sigma_rel\tj\tR\ttest\ttest_over_min\tstar");
    res->ok = 1, res->mono = 1;
    for (int q = 0; q < ns; q++) {
        int rb = 0;
        for (int r = 1; r < NR; r++)
            if (te[q * NR + r] < te[q * NR + rb]) rb = r;
        res->Rs[q] = tr[q * NR + rb] / te[q * NR + rb];
        res->Rint[q] = res->Rs[q];  // between the grid ridges: parabola vertex in the ridge index
        if (rb > 0 && rb < NR - 1) {
            double fm = te[q * NR + rb - 1], f0 = te[q * NR + rb], fp = te[q * NR + rb + 1], den = fm - 2 * f0 + fp;
            double tv = den > 0 ? 0.5 * (fm - fp) / den : 0;  // in (-1/2, 1/2] when f0 is the smallest
            int nb = tv > 0 ? rb + 1 : rb - 1;
            res->Rint[q] += fabs(tv) * (tr[q * NR + nb] / te[q * NR + nb] - res->Rs[q]);
        }
        for (int r = 0; r < NR; r++)
            tsv_row(T, "%g\t%d\t%.8g\t%.8g\t%.8g\t%d", P.noise_rel.v[q], r, tr[q * NR + r] / te[q * NR + r],
                    te[q * NR + r], te[q * NR + r] / te[q * NR + rb], r == rb);
        fprintf(stderr, "R4c sigma_rel = %g: R* = %.4f, test MSE at R* = %.4f (ridge index %d)\n", P.noise_rel.v[q],
                res->Rs[q], te[q * NR + rb], rb);
        if (q > 0 && res->Rs[q] < res->Rs[q - 1]) res->mono = 0;
    }
    tsv_close(T);
    // exponents and the shape-matched theory
    double km[R4C_NJ], tm[R4C_NJ], nd[R4C_NJ];
    for (int j = 0; j < R4C_NJ; j++)
        km[j] = fit_mean(kap + j * trials, trials), tm[j] = fit_mean(t0 + j * trials, trials), nd[j] = nj[j];
    fit_line_t fa, fb;
    if (fit_loglog(nd, km, R4C_NJ, 250, n, &fa) || fit_loglog(nd, tm, R4C_NJ, 250, n, &fb))
        DIE("R4c: exponent fits need 2 points");
    res->alpha_hat = -fa.slope, res->beta_hat = 1 - fb.slope, res->alpha_se = fa.slope_se, res->beta_se = fb.slope_se;
    tsv *Tx = tsv_open(&C, "r4c_exponents.tsv", "rf.C10");
    tsv_note(Tx,
             "R4c exponent proxies on nested training sets (first n of each trial's %d), laplace l = %g, ridgeless, %d "
             "trials",
             n, P.bandwidth, trials);
    tsv_note(Tx,
             "kappa_hat = 1/Tr K_n^-1 ~ n^-alpha; test0 = ridgeless noiseless test MSE ~ n^(1-beta); fits over 250 <= "
             "n <= %d",
             n);
    tsv_note(Tx, "fit: alpha = %.4f +- %.4f, beta = %.4f +- %.4f (slope standard errors)", res->alpha_hat,
             res->alpha_se, res->beta_hat, res->beta_se);
    tsv_note(Tx, "fitted alpha_hat = %.8g", res->alpha_hat);
    tsv_note(Tx, "fitted beta_hat = %.8g", res->beta_hat);
    tsv_note(Tx, "fitted ln_kappa_at_1 = %.8g", fa.intercept);
    tsv_note(Tx, "fitted ln_test0_at_1 = %.8g", fb.intercept);
    tsv_columns(Tx, "n\tkappa_hat\tkappa_se\ttest0\ttest0_se");
    for (int j = 0; j < R4C_NJ; j++)
        tsv_row(Tx, "%d\t%.8g\t%.4g\t%.8g\t%.4g", nj[j], km[j], fit_stderr(kap + j * trials, trials), tm[j],
                fit_stderr(t0 + j * trials, trials));
    tsv_close(Tx);
    double ah = res->alpha_hat, bh = res->beta_hat;
    fprintf(stderr, "R4c exponents: alpha = %.4f +- %.4f, beta = %.4f +- %.4f; closed-form R* = %.4f\n", ah,
            res->alpha_se, bh, res->beta_se, rstar_closed(ah, bh));
    tsv *Ts = tsv_open(&C, "r4c_shape.tsv", "rf.C10");
    tsv_note(Ts,
             "continuum theory shape-matched with the measured alpha = %.6f, beta = %.6f: test/min(test) vs R = s^2",
             ah, bh);
    tsv_columns(Ts, "sigma_rel\ts\tR\ttest_over_min\tstar");
    for (int q = 0; q < ns; q++) {
        double sr = P.noise_rel.v[q], ss = shape_argmin(ah, bh, sr), Emin = shape_E(ah, bh, sr, ss);
        res->Rpred[q] = ss * ss;
        for (int j = 0; j <= 400; j++) {
            double sv = 0.999 * j / 400.0;
            tsv_row(Ts, "%g\t%.6g\t%.8g\t%.8g\t0", sr, sv, sv * sv, shape_E(ah, bh, sr, sv) / Emin);
        }
        tsv_row(Ts, "%g\t%.6g\t%.8g\t%.8g\t1", sr, ss, ss * ss, 1.0);
        fprintf(stderr, "R4c sigma_rel = %g: shape-matched R* = %.4f (measured %.4f, between the grid ridges %.4f)\n",
                sr, res->Rpred[q], res->Rs[q], res->Rint[q]);
    }
    tsv_close(Ts);
    krr_sweep_free(s);
    free(Lc), free(kap), free(t0), free(z), free(al), free(pr);
    free(X), free(Xt), free(Y), free(ft), free(y), free(K), free(Ktd), free(resid), free(pred), free(idx), free(tidx),
        free(tr), free(te);
}

static void part_r4c(int quick, int have_mnist) {
    if (quick) {
        claim_skip("rf.C9", CLAIM_EXPERIMENT, "--quick skips MNIST R4(c)");
        return claim_skip("rf.C10", CLAIM_EXPERIMENT, "--quick skips MNIST R4(c)");
    }
    if (!have_mnist) {
        claim_skip("rf.C9", CLAIM_EXPERIMENT, "MNIST absent: run make data");
        return claim_skip("rf.C10", CLAIM_EXPERIMENT, "MNIST absent: run make data");
    }
    r4c_result r;
    r4c_mnist(quick, &r);
    int ns = P.noise_rel.n;
    int ok = r.Rs[0] < 0.1 && r.mono && r.Rs[ns - 1] > 0.3;
    char what[240];
    snprintf(what, sizeof what, "R*(sigma_rel = %g) (non-decreasing: %s; R*(%g) = %.3f)", P.noise_rel.v[0],
             r.mono ? "yes" : "no", P.noise_rel.v[ns - 1], r.Rs[ns - 1]);
    claim_check("rf.C9", CLAIM_EXPERIMENT, ok, what, r.Rs[0], "< 0.1; non-decreasing; last > 0.3");
    // rf.C10: the shape-matched continuum curve, with only the measured exponents, predicts where
    // the measured optimum sits.
    double worst = 0;
    for (int q = 0; q < ns; q++) worst = fmax(worst, fabs(r.Rint[q] - r.Rpred[q]));
    snprintf(
        what, sizeof what,
        "max |R*_measured - R*_shape-matched| over sigma_rel (measured between the grid ridges; alpha = %.3f +- %.3f, beta = %.3f +- %.3f)",
        r.alpha_hat, r.alpha_se, r.beta_hat, r.beta_se);
    claim_check("rf.C10", CLAIM_EXPERIMENT, worst <= R4C_TOL, what, worst, R4C_TOL_TEXT);
}
