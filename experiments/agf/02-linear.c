// ---- (B) the two-layer linear network (claims agf.C4a-f) ----

// ---- (B) two-layer linear network: theory ----
//
// Whitened inputs turn the loss into (1/2)|B - AW|_F^2 with B = sum_k s_k u_k v_k^T.  We realise
// it as a data set the common layer module can train on: X = sqrt(d_in) I (so X^T X / N = I with
// N = d_in samples) and Y = X B^T, with the MSE constant c = 1/(2N).  Once mode k is aligned its
// strength m_k = u_k^T A W v_k obeys dm/dt = 2 m (s_k - m), the logistic
//     m_k(t) = s_k / (1 + (s_k/m_k(0) - 1) e^{-2 s_k t})
// whose effective m_k(0) is half the squared Gram-Schmidt residual of the growing combinations
// c_jk = (u_k.a_j + v_k.w_j)/sqrt(2) (common/track: track_gs_residuals).  The half-rise time,
// with GD's finite-step stretch eta s/ln(1 + eta s) (opt_discrete_time_factor), is
//     tau_k^G = ln(s_k/m_k(0) - 1)/(2 s_k) * eta s_k / ln(1 + eta s_k).
// The plateau after k modes is (1/2) sum_{j>k} s_j^2.
// lam == NULL: whitened inputs (agf.C4a-c, tables linear*.tsv).  Otherwise the input covariance
// Sigma = I + sum_k (lam_k - 1) v_k v_k^T shares B's right singular vectors (the commuting case of
// the paper's Conjecture 4.1; agf.C4d-f, tables linear_unw*.tsv).  Then L = (1/2) tr((AW - B) Sigma
// (AW - B)^T), mode k grows at rate lam_k s_k in the linear phase and follows
//     m_k(t) = s_k / (1 + (s_k/m_k(0) - 1) e^{-2 lam_k s_k t}),
// so modes are learned in decreasing lam_k s_k (the singular values of Sigma_yx = B Sigma), each
// lowering the loss by (1/2) mu_k = (1/2) lam_k s_k^2, mu the eigenvalues of
// Sigma_yx Sigma_xx^-1 Sigma_yx^T; m_k(0) comes from Gram-Schmidt in that order.
static void case_linear(const double *lam) {
    const int din = P.din, dout = P.dout, r = P.svals.n, h = P.hidden ? P.hidden : 20;
    const double *s = P.svals.v, eta = P.lr;
    double lk[64];
    for (int k = 0; k < r; k++) lk[k] = lam ? lam[k] : 1.0;
    int ord[64];  // modes in decreasing growth rate lam_k s_k
    for (int k = 0; k < r; k++) ord[k] = k;
    for (int i = 0; i < r; i++)
        for (int j = i + 1; j < r; j++)
            if (lk[ord[j]] * s[ord[j]] > lk[ord[i]] * s[ord[i]]) {
                int tmp = ord[i];
                ord[i] = ord[j], ord[j] = tmp;
            }
    const char *sfx = lam ? "_unw" : "";
    // Target: orthonormal u_k (columns of Uo, (dout, r)) and v_k (columns of Vo, (din, r)).
    gsl_rng *rd = rng_alloc(C.seed, 0);
    double *Uo = XNEW(double, dout *r), *Vo = XNEW(double, din *r), *B = XNEW(double, dout *din);
    rng_normal_vec(rd, (size_t)dout * r, Uo);
    rng_normal_vec(rd, (size_t)din * r, Vo);
    rng_free(rd);
    orthonormalise_columns(dout, r, Uo);
    orthonormalise_columns(din, r, Vo);
    for (int i = 0; i < dout; i++)
        for (int j = 0; j < din; j++)
            for (int k = 0; k < r; k++) B[i * din + j] += s[k] * Uo[i * r + k] * Vo[j * r + k];
    // Data: X = sqrt(din) Sigma^{1/2} (N = din rows, X^T X/N = Sigma), Y = X B^T.
    const int N = din;
    double *X = XNEW(double, N *din), *Y = XNEW(double, N *dout);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < din; j++) {
            double v = i == j ? 1.0 : 0.0;
            for (int k = 0; k < r; k++) v += (sqrt(lk[k]) - 1) * Vo[i * r + k] * Vo[j * r + k];
            X[i * din + j] = sqrt((double)din) * v;
        }
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < dout; j++) {
            double v = 0;
            for (int l = 0; l < din; l++) v += X[i * din + l] * B[j * din + l];
            Y[i * dout + j] = v;
        }
    // Network: W_1 = W (h, din), W_2 = A (dout, h), entries N(0, alpha^2) from the init stream.
    nn *net = nn_alloc(2, (int[]){din, h, dout}, NN_IDENTITY, 0, N);
    gsl_rng *ri = rng_alloc(C.seed, 1);
    double n2a, n2b;
    init_normal_abs(ri, (size_t)h * din, P.alpha, net->W[1], &n2a);
    init_normal_abs(ri, (size_t)dout * h, P.alpha, net->W[2], &n2b);
    rng_free(ri);
    const double *W = net->W[1], *A = net->W[2];
    // Effective initial strengths m_k(0) = (1/2) |P_perp c_k|^2.
    double *cm = XNEW(double, r *h), *r2 = XNEW(double, r), *m0 = XNEW(double, r), *tauG = XNEW(double, r);
    for (int q = 0; q < r; q++)  // row q of cm: mode ord[q], so Gram-Schmidt runs in learning order
        for (int j = 0; j < h; j++) {
            const int k = ord[q];
            double ua = 0, vw = 0;
            for (int i = 0; i < dout; i++) ua += Uo[i * r + k] * A[i * h + j];
            for (int i = 0; i < din; i++) vw += Vo[i * r + k] * W[j * din + i];
            cm[q * h + j] = (ua + vw) / sqrt(2.0);
        }
    track_gs_residuals(r, h, cm, r2);
    for (int q = 0; q < r; q++) {
        const int k = ord[q];
        m0[k] = 0.5 * r2[q];
        tauG[k] = log(s[k] / m0[k] - 1) / (2 * lk[k] * s[k]) * opt_discrete_time_factor(eta, lk[k] * s[k]);
    }
    // ---- (B) experiment: full-batch GD through common/nn, every step recorded ----
    long steps = (long)ceil(LIN_TAIL * tauG[ord[r - 1]] / eta);
    double *t = XNEW(double, steps + 1), *L = XNEW(double, steps + 1), *m = XNEW(double, (size_t)r *(steps + 1));
    double *M = XNEW(double, dout *din);
    for (long it = 0; it <= steps; it++) {
        const double *F = nn_forward(net, N, X);
        L[it] = loss_mse(N, dout, F, Y, 1.0 / (2 * N), net->dout);
        REQUIRE_FINITE(L[it], "linear-network loss", "lower --lr below 1/s_1");
        t[it] = it * eta;
        // M = A W (dout, din); m_k = u_k^T M v_k.
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, dout, din, h, 1.0, A, h, W, din, 0.0, M, din);
        for (int k = 0; k < r; k++) {
            double acc = 0;
            for (int i = 0; i < dout; i++)
                for (int j = 0; j < din; j++) acc += Uo[i * r + k] * M[i * din + j] * Vo[j * r + k];
            m[(size_t)k * (steps + 1) + it] = acc;
        }
        nn_backward(net, net->dout, NULL, 0);
        opt_gd_step(net->nparams, net->theta, net->grad, eta);
    }
    // ---- (B) measurement ----
    double *taum = XNEW(double, r);
    for (int k = 0; k < r; k++)
        taum[k] = steps_crossing(t, m + (size_t)k * (steps + 1), steps + 1, 0, s[k] / 2, STEPS_UP);
    char nm[64];
    snprintf(nm, sizeof nm, "linear%s.tsv", sfx);
    tsv *tc = tsv_open(&C, nm, "agf.C4");
    tsv_note(
        tc,
        "two-layer linear net, loss (1/2) tr((AW - B) Sigma (AW - B)^T), %s, din %d, dout %d, h %d, alpha %g, eta %g; "
        "m_k = u_k^T A W v_k",
        lam ? "Sigma with eigenvalues lambda_k along v_k (--lambdas)" : "whitened (Sigma = I)", din, dout, h, P.alpha,
        eta);
    tsv_note(tc, "init |W|^2 = %.6g, |A|^2 = %.6g", n2a, n2b);
    char cols[512] = "t\tloss";
    for (int k = 0; k < r; k++) snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "\tm_%d", k + 1);
    for (int k = 0; k < r; k++) snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "\tm_theory_%d", k + 1);
    tsv_note(
        tc,
        "m_theory_k = s_k/(1 + (s_k/m_k(0) - 1) exp(-2 r_k t/f_k)), r_k = lambda_k s_k, f_k = eta r_k/ln(1 + eta r_k), "
        "as a fraction of s_k");
    tsv_columns(tc, cols);
    long st = thin(steps + 1);
    char row[2048];
    for (long it = 0; it <= steps; it += st) {
        int o = snprintf(row, sizeof row, "%.6g\t%.10g", t[it], L[it]);
        for (int k = 0; k < r; k++) o += snprintf(row + o, sizeof row - o, "\t%.10g", m[(size_t)k * (steps + 1) + it]);
        for (int k = 0; k < r; k++) {  // the logistic, stretched by GD's finite step
            double f = opt_discrete_time_factor(eta, lk[k] * s[k]);
            o += snprintf(row + o, sizeof row - o, "\t%.10g",
                          1 / (1 + (s[k] / m0[k] - 1) * exp(-2 * lk[k] * s[k] * t[it] / f)));
        }
        tsv_row(tc, "%s", row);
    }
    tsv_close(tc);
    snprintf(nm, sizeof nm, "linear%s_steps.tsv", sfx);
    tsv *ts = tsv_open(&C, nm, "agf.C4");
    tsv_note(ts,
             "rows in learning order (decreasing lambda s); tauG = ln(s/m0 - 1)/(2 lambda s) * eta r/ln(1 + eta r), r "
             "= lambda s, "
             "m0 = |P_perp c_k|^2/2; tau_meas = m_k crosses s_k/2; plateau after mode k at the flattest point between "
             "tau_k and "
             "the next tau, against (1/2) sum over the modes not yet learned of lambda_j s_j^2");
    tsv_allow_nonfinite(ts, 1);  // the last mode has no following plateau
    tsv_columns(ts, "k\ts\tm0\ttauG\ttau_meas\tratio\tplateau_pred\tplateau_meas\tmode\tlambda");
    double max_tau = 0, max_pl = 0;
    int order = 1;
    printf(
        "# (B%s) linear network%s: din %d, dout %d, h %d, alpha %g\n#   k  mode  lambda  s      m_k(0)      tau^G      "
        "tau_meas   ratio     plateau pred  meas\n",
        lam ? "'" : "", lam ? ", unwhitened, Sigma sharing B's v_k" : "", din, dout, h, P.alpha);
    for (int q = 0; q < r; q++) {
        const int k = ord[q];
        double pred = 0;
        for (int j = q + 1; j < r; j++) pred += 0.5 * lk[ord[j]] * s[ord[j]] * s[ord[j]];
        double meas = q + 1 < r ? steps_plateau(t, L, steps + 1, taum[k], taum[ord[q + 1]], NULL) : NAN;
        double ratio = taum[k] / tauG[k];
        max_tau = isnan(ratio) ? INFINITY : fmax(max_tau, fabs(ratio - 1));
        if (q + 1 < r) max_pl = isnan(meas) ? INFINITY : fmax(max_pl, fabs(meas / pred - 1));
        if (q && !(taum[k] > taum[ord[q - 1]])) order = 0;
        tsv_row(ts, "%d\t%.6g\t%.6g\t%.10g\t%.10g\t%.8g\t%.10g\t%.10g\t%d\t%.6g", q + 1, s[k], m0[k], tauG[k], taum[k],
                ratio, pred, meas, k + 1, lk[k]);
        printf("#   %d  %-4d  %-6.3g  %-5.3g  %-10.4g  %-9.5f  %-9.5f  %-8.6f  %-12.7g  %.7g\n", q + 1, k + 1, lk[k],
               s[k], m0[k], tauG[k], taum[k], ratio, pred, meas);
    }
    tsv_close(ts);
    if (!lam) {
        claim_check("agf.C4a", CLAIM_EXPERIMENT, max_tau <= 0.01, "linear: max |tau_meas/tau^G - 1|", max_tau, "0.01");
        claim_check("agf.C4b", CLAIM_EXPERIMENT, max_pl <= 1e-3, "linear: max |plateau/((1/2) sum_{j>k} s_j^2) - 1|",
                    max_pl, "1e-3");
        claim_check("agf.C4c", CLAIM_EXPERIMENT, order, "linear: modes learned in decreasing s_k (1 = yes)", order,
                    "1");
    } else {
        claim_check("agf.C4d", CLAIM_EXPERIMENT, max_tau <= 0.01,
                    "linear, unwhitened commuting Sigma: max |tau_meas/tau^G - 1|", max_tau, "0.01");
        claim_check("agf.C4e", CLAIM_EXPERIMENT, max_pl <= 1e-3,
                    "linear, unwhitened: max |plateau/((1/2) sum of mu_j = lambda_j s_j^2 not yet learned) - 1|",
                    max_pl, "1e-3");
        claim_check("agf.C4f", CLAIM_EXPERIMENT, order,
                    "linear, unwhitened: modes learned in decreasing lambda_k s_k (1 = yes)", order, "1");
    }
    nn_free(net);
    free(Uo), free(Vo), free(B), free(X), free(Y), free(cm), free(r2), free(m0), free(tauG);
    free(t), free(L), free(m), free(M), free(taum);
}
