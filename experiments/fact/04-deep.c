// ---- FACT at every layer of a three-layer network (claims fact.C9a, fact.C9b) ----

// ---- the deep network ----
//
// The theorem holds for every weight matrix, not only the first.  The network
// $f(x) = c_3\, a^T \phi(c_2 W_2\, \phi(W_1 x + b_1) + b_2) + b_0$ (common/nn, three layers of widths
// $(d, N_d, N_d, 1)$, $c_2 = c_3 = 1/\sqrt{N_d}$), $W_1 \sim \mathcal N(0, 1/d)$, $W_2, a \sim \mathcal N(0, 1)$,
// trained by full-batch GD on the trace's data and objective (weight decay on all three matrices).
// For layer $l$ with input $h_{l-1}$ ($h_0 = x$) and $z_l = c_l W_l h_{l-1} + b_l$, the layer's
// (E1) reads $\lambda W_l^T W_l + \frac1n\sum_i \nabla_{h_{l-1}}\ell_i\, h_{l-1,i}^T = W_l^T\nabla_{W_l}\mathcal L$
// (the multiplier cancels: $\nabla_{h} \ell = c_l W_l^T \delta_l$, $\nabla_{W_l}\mathcal L = \frac{c_l}{n}\sum \delta_l
// h^T + \lambda W_l$), so at a stationary point $W_l^T W_l = F_l := -\frac1{n\lambda}\sum_i \nabla_{h_{l-1}}\ell_i\,
// h_{l-1,i}^T$. The backpropagated $\delta_l = \partial\ell_i/\partial z_l$ are computed here by their own loops from
// the forward caches ($\delta_3 = r_i$, $\delta_2 = c_3 a\,\delta_3 \odot \phi'(z_2)$,
// $\delta_1 = c_2 W_2^T\delta_2 \odot \phi'(z_1)$), not taken from nn_backward.  For the readout
// $W_3 = a^T$, both sides are rank one.  As in the trace, $\rho_l = \|W_l^TW_l - F_{l,sym}\|_F/\|W_l^TW_l\|_F$
// is bounded by the measured stationarity $\|W_l^T \nabla_{W_l}\mathcal L\|_F/(\lambda\|W_l^TW_l\|_F)$.

typedef struct {
    long t;
    double loss, test_loss, cos[4], rho[4], rho_raw[4], e1[4];  // index l = 1..3
} deep_rec;

// The per-layer metrics of the current state (net->grad must hold grad L of this state).
static void deep_measure(nn *net, const dataset *D, const dataset *Dt, double lam, deep_rec *R) {
    const int n = D->n, d = D->d, Nd = net->n[1];
    const double *f = nn_forward(net, n, D->X);
    if (!f) DIE("deep: nn_forward: %s", sim_last_error());
    const double c2 = net->c[2], c3 = net->c[3];
    double *r = XNEW(double, n), *d2 = XNEW(double, (size_t)n *Nd), *d1 = XNEW(double, (size_t)n *Nd);
    double *Gh = XNEW(double, (size_t)n *Nd), *A = XNEW(double, (size_t)Nd *Nd), *B = XNEW(double, (size_t)Nd *Nd);
    double *E = XNEW(double, (size_t)Nd *Nd), *Fm = XNEW(double, (size_t)Nd *Nd);
    double L = 0;
    for (int i = 0; i < n; i++) r[i] = f[i] - D->y[i], L += 0.5 * r[i] * r[i] / n;
    R->loss = L;
    // delta_2 = c3 a r_i phi'(z_2);  delta_1 = c2 (delta_2 W_2) phi'(z_1)
    nn_act_deriv(net->act, (size_t)n * Nd, net->Z[2], d2);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < Nd; j++) d2[(size_t)i * Nd + j] *= c3 * net->W[3][j] * r[i];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, Nd, Nd, c2, d2, Nd, net->W[2], Nd, 0.0, Gh, Nd);
    nn_act_deriv(net->act, (size_t)n * Nd, net->Z[1], d1);
    for (size_t k = 0; k < (size_t)n * Nd; k++) d1[k] *= Gh[k];
    for (int l = 1; l <= 3; l++) {
        const int m = net->n[l - 1], rows = net->n[l], mm = m * m;
        const double *W = net->W[l], *dW = net->dW[l], *H = l == 1 ? D->X : net->H[l - 1];
        // grad_h l_i = c_l delta_l W_l: (n, rows) x (rows, m)
        if (l == 3)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++) Gh[(size_t)i * m + j] = c3 * r[i] * W[j];
        else
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, rows, net->c[l], l == 1 ? d1 : d2, rows, W, m,
                        0.0, Gh, m);
        // Fm = -(1/(n lam)) Gh^T H;  A = W^T W;  B = W^T grad_W L
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, m, n, -1.0 / (n * lam), Gh, m, H, m, 0.0, Fm, m);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, m, rows, 1.0, W, m, W, m, 0.0, A, m);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, m, rows, 1.0, W, m, dW, m, 0.0, B, m);
        for (int k = 0; k < mm; k++) E[k] = lam * A[k] - lam * Fm[k] - B[k];  // (E1) residual
        for (int i = 0; i < m; i++)
            for (int j = 0; j < i; j++) Fm[i * m + j] = Fm[j * m + i] = 0.5 * (Fm[i * m + j] + Fm[j * m + i]);
        const double nA = frob(mm, A);
        double diff2 = 0;
        for (int k = 0; k < mm; k++) diff2 += (A[k] - Fm[k]) * (A[k] - Fm[k]);
        R->cos[l] = mat_cos(mm, A, Fm);
        R->rho[l] = sqrt(diff2) / nA;
        R->rho_raw[l] = frob(mm, B) / (lam * nA);
        R->e1[l] = frob(mm, E) / (lam * nA);
    }
    (void)d;
    double *out = XNEW(double, Dt->n);
    nn_predict(net, Dt->n, Dt->X, out);
    double tl = 0;
    for (int i = 0; i < Dt->n; i++) tl += 0.5 * (out[i] - Dt->y[i]) * (out[i] - Dt->y[i]) / Dt->n;
    R->test_loss = tl;
    free(out);
    double *fr[] = {r, d2, d1, Gh, A, B, E, Fm};
    for (size_t k = 0; k < sizeof fr / sizeof *fr; k++) free(fr[k]);
}

static void deep_claims(const deep_rec *R, int logs, double Lnull_test) {
    const deep_rec *last = &R[logs], *first = &R[0];
    char tol[320];
    double e1 = 0;
    for (int k = 0; k <= logs; k++)
        for (int l = 1; l <= 3; l++) e1 = fmax(e1, R[k].e1[l]);
    // The identity of every layer, through our own backpropagation: rounding only.
    snprintf(tol, sizeof tol, "<= 1e-9 (rounding; the delta_l are our own loops, not nn_backward's)");
    claim_check("fact.C9a", CLAIM_IDENTITY, e1 <= 1e-9,
                "three-layer net: max over layers and logs of the (E1) residual", e1, tol);
    // FACT at every layer at the end of training.  The middle layer is the slowest to become
    // stationary; its cos is 0.9961-0.9981 over seeds 1-3 (rho_raw 0.086-0.123), so 0.99 leaves a
    // factor 2-5 on 1 - cos.  The per-layer rho <= rho_raw is printed; cos at t = 0 shows it is earned.
    double cmin = 1, rmax = 0, c0 = 1;
    for (int l = 1; l <= 3; l++)
        cmin = fmin(cmin, last->cos[l]), rmax = fmax(rmax, last->rho[l]), c0 = fmin(c0, first->cos[l]);
    const double tl = last->test_loss / Lnull_test;
    snprintf(tol, sizeof tol,
             ">= 0.99; per layer cos = %.5f, %.5f, %.5f, rho = %.3g, %.3g, %.3g (bounds rho_raw %.3g, %.3g, %.3g); "
             "min cos at t = 0: %.3f; test loss / L_null = %.3g <= 0.25",
             last->cos[1], last->cos[2], last->cos[3], last->rho[1], last->rho[2], last->rho[3], last->rho_raw[1],
             last->rho_raw[2], last->rho_raw[3], c0, tl);
    claim_check("fact.C9b", CLAIM_EXPERIMENT, cmin >= 0.99 && tl <= 0.25,
                "three-layer net: min over layers of final cos(W_l^TW_l, F_l,sym)", cmin, tol);
    (void)rmax;
}

static void part_deep(const dataset *D, const dataset *Dt) {
    const int Nd = P.deep_width, logs = P.deep_logs;
    int widths[4] = {D->d, Nd, Nd, 1};
    nn *net = nn_alloc(3, widths, (nn_act)nn_act_parse(P.act), !strcmp(P.bias, "on"), D->n > Dt->n ? D->n : Dt->n);
    if (!net) DIE("nn_alloc failed for the three-layer net (%d, %d, %d, 1)", D->d, Nd, Nd);
    if (nn_set_mult(net, 2, 1.0 / sqrt((double)Nd)) || nn_set_mult(net, 3, 1.0 / sqrt((double)Nd)))
        DIE("deep: nn_set_mult: %s", sim_last_error());
    gsl_rng *rg = rng_alloc(C.seed, STREAM_DEEP_INIT);
    double n2;
    if (init_normal_scaled(rg, Nd, D->d, 1.0, 1.0, net->W[1], &n2) ||
        init_normal_abs(rg, (size_t)Nd * Nd, 1.0, net->W[2], &n2) ||
        init_normal_abs(rg, (size_t)Nd, 1.0, net->W[3], &n2))
        DIE("deep: initialisation: %s", sim_last_error());
    rng_free(rg);
    deep_rec *R = XNEW(deep_rec, logs + 1);
    const long T = P.deep_steps;
    int k = 0;
    for (long t = 0; t <= T; t++) {
        double pen, L = loss_and_grad(net, D, P.lambda, &pen);
        if (!(L - L == 0)) DIE("deep: the training loss is not finite at step %ld; lower --deep-lr", t);
        if (k <= logs && t == (long)llround((double)k * T / logs)) {
            R[k].t = t;
            deep_measure(net, D, Dt, P.lambda, &R[k]);
            printf("deep t=%-6ld loss=%.4f test=%.4f cos = %.6f %.6f %.6f  rho = %.3g %.3g %.3g\n", t, R[k].loss,
                   R[k].test_loss, R[k].cos[1], R[k].cos[2], R[k].cos[3], R[k].rho[1], R[k].rho[2], R[k].rho[3]);
            k++;
        }
        if (t < T) opt_gd_step(net->nparams, net->theta, net->grad, P.deep_lr);
        if ((t & 1023) == 0) progress("deep: step %ld / %ld, loss %.4g", t, T, L);
    }
    tsv *tt = tsv_open(&C, "deep.tsv", "fact.C9a fact.C9b");
    tsv_note(
        tt, "three-layer net (d, %d, %d, 1), phi = %s, biases %s, c2 = c3 = 1/sqrt(%d); GD lr %g, lambda %g, %ld steps",
        Nd, Nd, P.act, P.bias, Nd, P.deep_lr, P.lambda, T);
    tsv_note(tt,
             "per layer l: cos(W_l^T W_l, F_l,sym), rho_l, rho_raw_l = |W_l^T grad_W_l L|/(lambda |W_l^TW_l|), (E1) "
             "residual");
    tsv_note(tt, "data as the trace's: n = %d, test %d points, L_null(test) = %.10g", D->n, Dt->n, Dt->Lnull);
    tsv_columns(tt, "t\teta_t\tlayer\tcos_fact\trho\trho_raw\te1_residual\tloss\ttest_loss");
    for (int q = 0; q <= logs; q++)
        for (int l = 1; l <= 3; l++)
            tsv_row(tt, "%ld\t%.10g\t%d\t%.15g\t%.10g\t%.10g\t%.6g\t%.10g\t%.10g", R[q].t, P.deep_lr * R[q].t, l,
                    R[q].cos[l], R[q].rho[l], R[q].rho_raw[l], R[q].e1[l], R[q].loss, R[q].test_loss);
    tsv_close(tt);
    deep_claims(R, logs, Dt->Lnull);
    free(R);
    nn_free(net);
}
