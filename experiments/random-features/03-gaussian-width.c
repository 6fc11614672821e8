// ---- R1: linear-Gaussian random features vs width (paper Fig. 1, "Gaussian RF @ Gaussian data") ----
// Data $z_l = \sqrt{\lambda_l} g_l$, $\lambda_l = l^{-1.5}$, $M = 2000$ latent dimensions (the paper
// uses $10^4$); $y = \sum_l v_l g_l + \eta$, $v_l = l^{-0.75}$ (unnormalised, $\sum v^2 = 2.5677$),
// $\eta \sim N(0, 0.5)$.
//
// Features as in the paper: ONE Gaussian projection $W$ ($M \times k_{max}$, $k_{max} = 10^4$) per
// trial; the model with k features uses its first k columns, $\phi(z) = W_k^\top z/\sqrt k$, so
// $\hat K_k = \Phi_k\Phi_k^\top$ is accumulated column block by column block.  The population test
// MSE is exact for linear data: with dual coefficients $\alpha = (\hat K_k + \delta)^{-1} y$ the
// predictor is $\hat f(g) = g^\top \Lambda^{1/2} W_k \Phi^{raw\top}_k \alpha / k$, so
//   $E_{te} = \sum_l (\sqrt{\lambda_l} b_l - v_l)^2 + \epsilon^2$,  $b = W_k (\Phi^{raw\top}_k \alpha)/k$,
// with no test sample (two GEMMs per width for all ridges at once).  The train MSE is on the noisy
// labels: residual $y - \hat f(D) = \delta\alpha$.
//
// Ridges: the paper's 31-point grid $10^{-3+j/6}$; the five shown ridges carry rf.C3, all 31 make
// the empirical optimal-ridge envelope (rf.C5).  Theory: the RF eigenframework on the same
// M-mode spectrum, no tail; its envelope minimises over a continuous ridge (81-point grid in
// [1e-6, 1e2] + Brent, and delta -> inf).
typedef struct {
    int ok3, ok5;
    double worst3, worst3_peak, worst3_tr, worst3_trs, worst5;
    double peak_th, peak_emp, peak_se, peak_ridge;
} r1_result;

// Ridges to run: the shown ones first (nshown), then the grid points not already among them.
static int r1_ridges(const double *shown, int nshown, double *ridges) {
    int nr = 0;
    for (int r = 0; r < nshown; r++) ridges[nr++] = shown[r];
    for (int j = 0; j < RIDGE_GRID; j++) {
        double d = ridge_grid(j);
        int dup = 0;
        for (int r = 0; r < nshown; r++) dup |= fabs(d / shown[r] - 1) < 1e-9;
        if (!dup) ridges[nr++] = d;
    }
    return nr;
}

static void r1_width(int quick, r1_result *res) {
    long M = quick ? 500 : P.M;
    int n = quick ? 64 : (int)P.n, trials = quick ? 5 : P.trials;
    double shown_q[] = {0.1};
    int nshown = quick ? 1 : P.ridges.n;
    double ridges[CLI_LIST_MAX + RIDGE_GRID];
    int nr = r1_ridges(quick ? shown_q : P.ridges.v, nshown, ridges);
    long ks[CLI_LIST_MAX], kq[] = {32, 128, 512};
    int nk = quick ? 3 : P.k_list.n;
    for (int j = 0; j < nk; j++) ks[j] = quick ? kq[j] : P.k_list.v[j];
    for (int a = 1; a < nk; a++)  // ascending: the features are nested
        for (int b = a; b > 0 && ks[b] < ks[b - 1]; b--) {
            long t = ks[b];
            ks[b] = ks[b - 1], ks[b - 1] = t;
        }
    int kmax = (int)ks[nk - 1];
    double *lam = powerlaw(M, P.alpha), *v2 = powerlaw(M, P.beta), *sl = XNEW(double, M), *v = XNEW(double, M);
    for (long l = 0; l < M; l++) sl[l] = sqrt(lam[l]), v[l] = sqrt(v2[l]);
    rfeig_task t = {.M = (size_t)M, .lambda = lam, .v2 = v2, .noise = P.noise};
    // shapes: G, Z (n,M); W (M,kmax); Phi (n,kmax) = Z W unscaled; K (n,n); A (n,nr) duals;
    // Th (kmax,nr) = Phi_k^T A; B (M,nr) = W_k Th / k
    double *G = XNEW(double, (size_t)n *M), *Z = XNEW(double, (size_t)n *M), *y = XNEW(double, n);
    double *W = XNEW(double, (size_t)M *kmax), *Phi = XNEW(double, (size_t)n *kmax);
    double *Kacc = XNEW(double, (size_t)n *n), *K = XNEW(double, (size_t)n *n), *A = XNEW(double, (size_t)n *nr);
    double *Th = XNEW(double, (size_t)kmax *nr), *B = XNEW(double, (size_t)M *nr);
    double *alpha = XNEW(double, n), *resid = XNEW(double, n);
    double *tr = XNEW(double, (size_t)nk *nr *trials), *te = XNEW(double, (size_t)nk *nr *trials);
    krr_sweep *s = MUST(krr_sweep_alloc(n, 0, 1));
    for (int trl = 0; trl < trials; trl++) {
        gsl_rng *rd = MUST(rng_alloc(C.seed, STREAM_R1_DATA + trl)),
                *rn = MUST(rng_alloc(C.seed, STREAM_R1_NOISE + trl));
        gsl_rng *rfeat = MUST(rng_alloc(C.seed, STREAM_R1_FEAT + trl));
        rng_normal_vec(rd, (size_t)n * M, G);
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (long l = 0; l < M; l++)
                Z[(size_t)i * M + l] = sl[l] * G[(size_t)i * M + l], f += v[l] * G[(size_t)i * M + l];
            y[i] = f + sqrt(P.noise) * rng_normal(rn);
        }
        rng_normal_vec(rfeat, (size_t)M * kmax, W);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, kmax, (int)M, 1.0, Z, (int)M, W, kmax, 0.0, Phi,
                    kmax);
        memset(Kacc, 0, sizeof(double) * n * n);
        int kprev = 0;
        for (int j = 0; j < nk; j++) {
            int k = (int)ks[j];
            if (k > kprev)  // Kacc += Phi[:, kprev:k] Phi[:, kprev:k]^T (lower triangle)
                cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, k - kprev, 1.0, Phi + kprev, kmax, 1.0, Kacc,
                            n);
            kprev = k;
            for (int i = 0; i < n; i++)
                for (int l = 0; l <= i; l++) K[(size_t)i * n + l] = K[(size_t)l * n + i] = Kacc[(size_t)i * n + l] / k;
            int info = krr_sweep_prepare(s, K, y, NULL);
            if (info) DIE("R1: dsyevd of the RF Gram matrix failed (info %d, n = %d, k = %d)", info, n, k);
            size_t o = ((size_t)j * trials + trl) * nr;
            for (int r = 0; r < nr; r++) {
                if (krr_sweep_eval(s, ridges[r], alpha, resid, NULL))
                    DIE("R1: ridge %g below -min eigenvalue of the RF Gram matrix (k = %d, n = %d)", ridges[r], k, n);
                double a2 = 0;
                for (int i = 0; i < n; i++) A[(size_t)i * nr + r] = alpha[i], a2 += resid[i] * resid[i];
                tr[o + r] = a2 / n;
            }
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, nr, n, 1.0, Phi, kmax, A, nr, 0.0, Th, nr);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, nr, k, 1.0 / k, W, kmax, Th, nr, 0.0, B, nr);
            for (int r = 0; r < nr; r++) {
                double e = 0;
                for (long l = 0; l < M; l++) {
                    double d = sl[l] * B[(size_t)l * nr + r] - v[l];
                    e += d * d;
                }
                te[o + r] = e + P.noise;  // population MSE against noisy test labels
            }
        }
        rng_free(rd), rng_free(rn), rng_free(rfeat);
        progress("R1: trial %d/%d", trl + 1, trials);
    }
    krr_sweep_free(s);
    // tables and the checks of rf.C3 and rf.C5
    tsv *T = tsv_open(&C, "r1_exp.tsv", "rf.C3 rf.C5");
    tsv_note(T,
             "R1: linear-Gaussian RF, M = %ld, lambda = l^-%g, v^2 = l^-%g, eps2 = %g, vs k at fixed n, %d trials; "
             "features nested "
             "(first k of one %d-column projection per trial)",
             M, P.alpha, P.beta, P.noise, trials, kmax);
    tsv_note(T,
             "test MSE = exact population MSE + eps2 (no test sample); train MSE on the noisy labels; se = standard "
             "error over trials");
    tsv_note(T,
             "shown = 1: the ridges drawn and checked; 0: the rest of the 31-ridge grid 10^(-3+j/6) (envelope only)");
    tsv_columns(T, "n\tk\tdelta\ttrain\ttrain_se\ttest\ttest_se\ttrain_th\ttest_th\tshown");
    tsv *Te = tsv_open(&C, "r1_env_exp.tsv", "rf.C5");
    tsv_note(Te, "empirical optimal-ridge envelope: min over the %d ridges of the trial-mean test MSE", nr);
    tsv_columns(Te, "n\tk\ttest_min\ttest_min_se\tdelta_best");
    res->ok3 = res->ok5 = 1;
    res->worst3 = res->worst3_peak = res->worst3_tr = res->worst3_trs = 0, res->worst5 = -INFINITY;
    res->peak_th = res->peak_emp = res->peak_se = NAN;
    double dmin = ridges[0];
    for (int r = 1; r < nshown; r++) dmin = fmin(dmin, ridges[r]);
    res->peak_ridge = dmin;
    double *b1 = XNEW(double, trials), *b2 = XNEW(double, trials), prev_env = INFINITY, prev_se = 0;
    for (int j = 0; j < nk; j++) {
        int k = (int)ks[j];
        double env = INFINITY, env_se = 0, env_d = 0;
        for (int r = 0; r < nr; r++) {
            for (int trl = 0; trl < trials; trl++) {
                size_t o = ((size_t)j * trials + trl) * nr + r;
                b1[trl] = tr[o], b2[trl] = te[o];
            }
            double mtr = fit_mean(b1, trials), str = fit_stderr(b1, trials), mte = fit_mean(b2, trials),
                   ste = fit_stderr(b2, trials);
            rfeig_result th = rf(&t, n, k, ridges[r]);
            tsv_row(T, "%d\t%d\t%g\t%.8g\t%.4g\t%.8g\t%.4g\t%.8g\t%.8g\t%d", n, k, ridges[r], mtr, str, mte, ste,
                    th.Etr, th.Ete, r < nshown);
            if (mte < env) env = mte, env_se = ste, env_d = ridges[r];
            if (r >= nshown) continue;
            fprintf(stderr,
                    "R1 n=%4d k=%5d delta=%-9.3g train th %.4f emp %.4f | test th %.4f emp %.4f +- %.4f (ratio %.3f)\n",
                    n, k, ridges[r], th.Etr, mtr, th.Ete, mte, ste, mte / th.Ete);
            double et = fabs(mte / th.Ete - 1), etr = fabs(mtr / th.Etr - 1);
            int peak = k == n && ridges[r] == dmin;
            double tol_te = quick ? 0.30 : peak ? 0.15 : 0.12, tol_tr = quick ? 0.30 : th.Etr < 0.05 ? 0.20 : 0.12;
            // Or 3 standard errors of the trial mean, where that is larger: just past k = n at the
            // smallest ridge the train MSE falls by decades over a few k and its trial spread is
            // 12-16% of the mean with 10 trials, so a fixed 20% was under 2 se there.
            tol_te = fmax(tol_te, 3 * ste / th.Ete), tol_tr = fmax(tol_tr, 3 * str / th.Etr);
            if (peak) {
                res->peak_th = th.Ete, res->peak_emp = mte, res->peak_se = ste;
                res->worst3_peak = fmax(res->worst3_peak, et);
            } else res->worst3 = fmax(res->worst3, et);
            if (th.Etr < 0.05) res->worst3_trs = fmax(res->worst3_trs, etr);
            else res->worst3_tr = fmax(res->worst3_tr, etr);
            if (et > tol_te || etr > tol_tr) res->ok3 = 0;
        }
        tsv_row(Te, "%d\t%d\t%.8g\t%.4g\t%g", n, k, env, env_se, env_d);
        // rf.C5: the envelope is non-increasing in k up to 2 standard errors
        double excess = env - prev_env, allow = 2 * sqrt(env_se * env_se + prev_se * prev_se);
        if (isfinite(prev_env)) {
            res->worst5 = fmax(res->worst5, excess / fmax(allow, 1e-300));
            if (excess > allow) res->ok5 = 0;
        }
        prev_env = env, prev_se = env_se;
    }
    tsv_close(T);
    tsv_close(Te);
    // theory curves: ~110 widths, concentrated around k = n; ridge outer so that lines join
    T = tsv_open(&C, "r1_theory.tsv", "rf.C3");
    tsv_allow_nonfinite(T, 1);
    tsv_note(
        T,
        "RF eigenframework on the same %ld-mode spectrum; opt = min over delta (81-point grid in [1e-6, 1e2] + Brent, "
        "and delta -> inf)",
        M);
    tsv_columns(T, "n\tk\tdelta\ttrain_th\ttest_th");
    double xs[200];
    int nx = 0;
    for (int j = 0; j < 60; j++) xs[nx++] = round(8 * pow(16384 / 8.0, j / 59.0));
    for (int j = 0; j <= 50; j++) xs[nx++] = round(n * (0.6 + 0.8 * j / 50.0));
    for (int a = 1; a < nx; a++)  // sort, then drop duplicates
        for (int b = a; b > 0 && xs[b] < xs[b - 1]; b--) {
            double tmp = xs[b];
            xs[b] = xs[b - 1], xs[b - 1] = tmp;
        }
    int m = 0;
    for (int a = 0; a < nx; a++)
        if (m == 0 || xs[a] != xs[m - 1]) xs[m++] = xs[a];
    int step = quick ? 3 : 1;  // --quick: every third width, enough to draw the curves
    for (int r = 0; r <= nshown; r++)
        for (int j = 0; j < m; j += step) {
            if (r < nshown) {
                rfeig_result th = rf(&t, n, xs[j], ridges[r]);
                tsv_row(T, "%d\t%g\t%g\t%.8g\t%.8g", n, xs[j], ridges[r], th.Etr, th.Ete);
            } else {
                optimum o = optimal_ridge(&t, n, xs[j], 1e-6, 1e2, 81, 1e-8);
                tsv_row(T, "%d\t%g\t%s\t%.8g\t%.8g", n, xs[j], "opt", o.Etr, o.Ete);
            }
        }
    tsv_close(T);
    free(lam), free(v2), free(sl), free(v), free(G), free(Z), free(y), free(W), free(Phi), free(Kacc), free(K), free(A),
        free(Th), free(B), free(alpha), free(resid), free(tr), free(te), free(b1), free(b2);
}

static void part_r1(int quick) {
    r1_result r;
    r1_width(quick, &r);
    char what[240];
    snprintf(what, sizeof what,
             "max |test_emp/test_th - 1| off the peak (peak k = n, delta = %.2g: %.3f, th %.3f emp %.3f +- %.3f; "
             "train: %.3f, %.3f "
             "where train < 0.05)",
             r.peak_ridge, r.worst3_peak, r.peak_th, r.peak_emp, r.peak_se, r.worst3_tr, r.worst3_trs);
    claim_check("rf.C3", CLAIM_EXPERIMENT, r.ok3, quick ? "max |emp/th - 1| (smoke run, M = 500, n = 64)" : what,
                r.worst3,
                quick ? "0.30, or 3 se"
                      : "0.12 test (0.15 at the peak); train 0.12, or 0.20 where train < 0.05; or 3 se where larger");
    if (!quick)
        claim_check("rf.C5", CLAIM_EXPERIMENT, r.ok5,
                    "max (rise of the empirical envelope between consecutive k) / (2 se)", r.worst5 / 2, "<= 1 (2 se)");
}
