// ---- part A: the escape-time sweep (relu.C1-C3) ----
//
// Chapter of deep-relu-first-step.c (included there at file scope).

static void part_scaling(const dataset *D) {
    const int aligned = !strcmp(P.init, "aligned");
    tsv *te = tsv_open(&C, "teacher_escape.tsv", "relu.C1");
    tsv_allow_nonfinite(te, 1);  // t_pred is nan for random init; t_esc nan when a run never escapes
    tsv_note(te,
             "data=%s N=%d din=%d dout=%d; iter_esc = the steepest step of the first drop (the largest one-step "
             "decrease after C < %g C_0), t_esc = eta iter_esc; iter_cross = first C < %g C_0, interpolated; "
             "C_esc = C at iter_esc",
             D->name, D->N, D->din, D->dout, P.escape_frac, P.escape_frac);
    tsv_note(te, "t_pred = r0^-(L-2)/(L(L-2)s*) for aligned init (nan for random init)");
    tsv_columns(te, "L\talpha\tr0\titer_esc\tt_esc\tt_pred\tC0\titer_cross\tC_esc_over_C0");
    tsv *tlin = tsv_open(&C, "escape_linearity.tsv", "relu.C8b");
    tsv_allow_nonfinite(tlin, 1);
    tsv_note(tlin,
             "GD at the escape (first C < %g C_0): per hidden layer, the weighted fraction of units whose "
             "share of pre-activation energy on each unit's majority sign (lin) and of (unit, sample) pairs with "
             "z > 0 (on), units weighted by |row of W_l| |column of W_{l+1}|",
             P.escape_frac);
    tsv_columns(tlin, "L\talpha\tlayer\tlin\ton");
    tsv *tr = tsv_open(&C, "teacher_rank.tsv", "relu.C2 relu.C3");
    tsv_note(tr,
             "rank measures at the escape iteration; dW = W(t_esc) - W(0); drift = max over hidden neurons "
             "of |change of |in|^2-|out|^2| / max(|in|^2,|out|^2) up to the escape");
    tsv_columns(tr, "L\talpha\tlayer\teta_dW\trho_dW\teta_W\trho_W\tnormsq_W\tdrift");
    printf("# escape-time sweep (%s data, width %d, eta = %g, init %s)\n", D->name, P.width, P.lr, P.init);
    printf("# iter_esc: the steepest step of the first drop; rank measures at the %g C_0 crossing\n", P.escape_frac);
    printf("#  L   alpha      r0   iter_esc      t_esc   per layer l: eta(dW_l) rho(dW_l) | eta(W_l)   drift\n");
    int c8_any = 0;
    double c8_margin = INFINITY, c8_deepest = INFINITY, c8_mono = INFINITY;
    int c1_ok = 1, c1_any = 0, c2a_ok = 1, c2b_ok = 1, c2_any = 0;
    double c1_worst = 0, c2_min_eta = INFINITY, c2_min_rho_ratio = INFINITY, c2_max_eta1 = 0, c2b_margin = INFINITY;
    for (int di = 0; di < P.depths.n; di++) {
        const int L = (int)P.depths.v[di];
        double t_esc[CLI_LIST_MAX];
        nn *net = student(L, P.width, D, student_act());
        double *tstar = NULL, s_star = NAN;
        if (aligned) {
            tstar = XNEW(double, net->nparams);
            ascent_result best;
            s_star = optimal_direction(net, D, P.restarts, P.ascent_iters, tstar, &best, NULL, NULL);
        }
        for (int ai = 0; ai < n_alpha[di]; ai++) {
            const double alpha = alpha_of[di][ai];
            init_info info;
            init_net_normal_scaled(net, C.seed, 1, alpha, 1.0, &info);
            double r0 = info.norm, t_pred = NAN;
            if (aligned) {
                init_aligned(net->nparams, tstar, r0, net->theta, &info);
                t_pred = L >= 3 ? t_blowup(r0, L, s_star) : NAN;
            }
            char name[128];
            snprintf(name, sizeof name, "teacher_loss_L%d_a%g.tsv", L, alpha);
            tsv *tl = tsv_open(&C, name, "relu.C1");
            {
                char ib[512];
                init_describe(&info, ib, sizeof ib);
                tsv_note(tl, "%s", ib);
            }
            tsv_columns(tl, "iter\tt\tloss");
            gd_result R;
            gd_run(net, D, P.lr, P.escape_frac, P.max_iter, POST_ESCAPE, tl, NULL, &R);
            tsv_close(tl);
            double it_esc = R.k_steep >= 0 ? (double)R.k_steep : NAN;
            t_esc[ai] = P.lr * it_esc;
            tsv_row(te, "%d\t%.6g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.8g", L, alpha, r0, it_esc, t_esc[ai],
                    t_pred, R.C0, R.iter_esc, R.k_steep >= 0 ? R.C_steep / R.C0 : NAN);
            printf("# %2d %7.4g %7.4g %10.0f %10.4g  ", L, alpha, r0, it_esc, t_esc[ai]);
            if (R.k_esc < 0) {
                printf(" no escape within %ld iterations\n", P.max_iter);
                c2a_ok = c2b_ok = 0;
                gd_result_free(&R);
                continue;
            }
            double min_eta_deep = INFINITY, eta1 = NAN;
            for (int l = 1; l <= L; l++) {
                layer_rank dW = rank_of(net, R.theta_esc, R.theta0, l), W = rank_of(net, R.theta_esc, NULL, l);
                tsv_row(tr, "%d\t%.6g\t%d\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.6g", L, alpha, l, dW.eta, dW.rho, W.eta,
                        W.rho, W.normsq, R.drift);
                printf(" %d:%.4f %.3g|%.2f", l, dW.eta, dW.rho, W.eta);
                if (l == 1) {
                    eta1 = dW.eta;
                    continue;
                }
                // relu.C2a: eta(dW_l) >= 0.95 and rho(dW_l) >= l^{1/4} for every l >= 2
                min_eta_deep = fmin(min_eta_deep, dW.eta);
                c2_min_eta = fmin(c2_min_eta, dW.eta);
                c2_min_rho_ratio = fmin(c2_min_rho_ratio, dW.rho / pow(l, 0.25));
                if (!(dW.eta >= 0.95 && dW.rho >= pow(l, 0.25))) c2a_ok = 0;
            }
            printf("  drift %.2g\n", R.drift);
            // relu.C2b: layer 1 is less rank-one than every deeper layer
            c2_any = 1;
            {
                layer_lin lin[MAXD + 1];
                linearity(net, R.theta_esc, D, lin);
                double deep = INFINITY;
                for (int l = 2; l < L; l++) {
                    deep = fmin(deep, lin[l].lin);
                    c8_mono = fmin(c8_mono, lin[l].lin - lin[l - 1].lin);
                }
                if (L >= 3) {
                    c8_any = 1;
                    c8_margin = fmin(c8_margin, deep - lin[1].lin);
                    c8_deepest = fmin(c8_deepest, lin[L - 1].lin);
                }
                printf("#      linearity at escape (one-sign, on):");
                for (int l = 1; l < L; l++) {
                    tsv_row(tlin, "%d\t%.6g\t%d\t%.8g\t%.8g", L, alpha, l, lin[l].lin, lin[l].on);
                    printf(" %d:%.3f,%.3f", l, lin[l].lin, lin[l].on);
                }
                printf("\n");
            }
            c2_max_eta1 = fmax(c2_max_eta1, eta1);
            c2b_margin = fmin(c2b_margin, min_eta_deep - eta1);
            if (!(eta1 < min_eta_deep)) c2b_ok = 0;
            gd_result_free(&R);
        }
        // relu.C1: slope of ln t_esc against ln alpha is -(L-2) within 5% (L >= 3)
        if (L >= 3 && n_alpha[di] >= 2) {
            int finite = 1;
            for (int ai = 0; ai < n_alpha[di]; ai++) finite &= isfinite(t_esc[ai]);
            fit_line_t fl;  // least-squares slope of ln t_esc against ln alpha
            double slope =
                finite && fit_loglog(alpha_of[di], t_esc, n_alpha[di], 0, INFINITY, &fl) == 0 ? fl.slope : NAN;
            double dev = fabs(slope / (-(L - 2.0)) - 1);
            printf("# L = %d: fitted slope %.4f, predicted %d\n", L, slope, -(L - 2));
            c1_any = 1;
            if (!(dev <= 0.05)) c1_ok = 0;
            c1_worst = isfinite(dev) ? fmax(c1_worst, dev) : INFINITY;
        }
        free(tstar);
        nn_free(net);
    }
    tsv_close(te);
    tsv_close(tr);
    tsv_close(tlin);
    if (c1_any) claim_check("relu.C1", CLAIM_EXPERIMENT, c1_ok, "max over L of |slope/(-(L-2)) - 1|", c1_worst, "0.05");
    else claim_skip("relu.C1", CLAIM_EXPERIMENT, "needs a depth L >= 3 with at least two alphas");
    if (c2_any) {
        claim_check("relu.C2a", CLAIM_EXPERIMENT, c2a_ok, "min over runs, l >= 2 of eta(dW_l)", c2_min_eta,
                    ">= 0.95, and rho(dW_l) >= l^(1/4)");
        printf("#   (min over runs, l >= 2 of rho(dW_l) / l^(1/4) = %.4g)\n", c2_min_rho_ratio);
        claim_check("relu.C2b", CLAIM_EXPERIMENT, c2b_ok, "min over runs of min_{l>=2} eta(dW_l) - eta(dW_1)",
                    c2b_margin, "> 0");
        printf("#   (max over runs of eta(dW_1) = %.4f)\n", c2_max_eta1);
    } else {
        claim_skip("relu.C2a", CLAIM_EXPERIMENT, "no run escaped");
        claim_skip("relu.C2b", CLAIM_EXPERIMENT, "no run escaped");
    }
    // relu.C8b: at the escape, layer 1 is the least linear and linearity grows with depth.  The
    // deepest hidden layer must reach 0.95 (its dW is rank one to eta >= 0.95, relu.C2a, and the
    // rest of W is the shrinking init); consecutive layers may dip by 0.01 once both sit at 1.
    if (c8_any) {
        char what[200];
        snprintf(what, sizeof what,
                 "GD at escape: min over runs of min_{l>=2} lin_l - lin_1 (deepest hidden layer: min "
                 "lin = %.3f >= 0.95; min_l lin_l - lin_{l-1} = %.3f >= -0.01)",
                 c8_deepest, c8_mono);
        claim_check("relu.C8b", CLAIM_EXPERIMENT, c8_margin > 0 && c8_deepest >= 0.95 && c8_mono >= -0.01, what,
                    c8_margin, "> 0");
    } else claim_skip("relu.C8b", CLAIM_EXPERIMENT, "needs a run of depth >= 3 that escaped");
}

// relu.C3: balancedness at a small step (L = 4, the largest alpha of the L = 4 list).
static void part_balance(const dataset *D) {
    int di = -1;
    for (int i = 0; i < P.depths.n; i++)
        if (P.depths.v[i] == 4) di = i;
    if (di < 0 || strcmp(P.init, "random") || strcmp(P.activation, "relu")) {
        claim_skip("relu.C3", CLAIM_IDENTITY, "needs depth 4 in --depths, random init, relu");
        return;
    }
    double alpha = alpha_of[di][0];
    for (int ai = 1; ai < n_alpha[di]; ai++) alpha = fmax(alpha, alpha_of[di][ai]);
    nn *net = student(4, P.width, D, NN_RELU);
    init_net_normal_scaled(net, C.seed, 1, alpha, 1.0, NULL);
    gd_result R;
    long cap = (long)fmin(1e9, P.max_iter * (P.lr / C3_LR));
    gd_run(net, D, C3_LR, P.escape_frac, cap, 1.0, NULL, NULL, &R);
    printf("# balancedness at eta = %g (L = 4, alpha = %g): escape at iteration %.1f (t = %.4g), drift %.3g\n", C3_LR,
           alpha, R.iter_esc, C3_LR * R.iter_esc, R.drift);
    if (R.k_esc < 0)
        claim_check("relu.C3", CLAIM_IDENTITY, 0, "no escape within the iteration cap; drift", NAN, "1e-3");
    else
        claim_check("relu.C3", CLAIM_IDENTITY, R.drift <= 1e-3,
                    "max per-neuron |drift of |in|^2-|out|^2| / max(|in|^2,|out|^2)", R.drift, "1e-3");
    gd_result_free(&R);
    nn_free(net);
}
