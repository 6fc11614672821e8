// ---- part B: the optimal escape direction, aligned init, linear reference (relu.C4-C6, X1) ----
//
// Chapter of deep-relu-first-step.c (included there at file scope).
//
// Best of `restarts` ascents from random Gaussian directions (stream 4 of --seed).  Returns s*
// and leaves the best direction in best_tb; all[] and dirs[] (optional) get every restart.
static double optimal_direction(nn *net, const dataset *D, int restarts, int iters, double *best_tb,
                                ascent_result *best, ascent_result *all, double **dirs) {
    gsl_rng *r = rng_alloc(C.seed, 4);
    double *tb = XNEW(double, net->nparams);
    best->s = -INFINITY;
    for (int k = 0; k < restarts; k++) {
        ascent_result a = ascent(net, D, r, iters, tb);
        progress("ascent L=%d restart %d: s = %.6g, KKT %.2g after %d iterations", net->L, k, a.s, a.kkt, a.iters);
        if (all) all[k] = a;
        if (dirs) memcpy(dirs[k], tb, net->nparams * sizeof *tb);
        if (a.s > best->s) *best = a, memcpy(best_tb, tb, net->nparams * sizeof *tb);
    }
    if (!(best->s > 0))
        DIE("the escape-direction ascent (L = %d) found no direction with positive correlation (s* = %g) in %d "
            "restarts: every start had its ReLU units dead (grad N = 0); raise --width or --restarts",
            net->L, best->s, restarts);
    free(tb);
    rng_free(r);
    return best->s;
}

// The depth of the optimal-direction part and of its linear reference: the first of --depths
// when given, else 4.
static int optimal_depth(void) { return cli_given(&C, "depths") ? (int)P.depths.v[0] : 4; }

static void part_optimal(const dataset *D) {
    const nn_act act = student_act();
    const int L = optimal_depth();
    tsv *to = tsv_open(&C, "optimal.tsv", "relu.C4 relu.C6");
    tsv_note(to, "data=%s N=%d; Riemannian ascent of N on |theta| = 1 (N1), %d iterations max, KKT tol %g", D->name,
             D->N, P.ascent_iters, KKT_TOL);
    tsv_note(to, "kkt_residual is nan for a restart that started where grad N = 0 (every ReLU unit dead)");
    tsv_allow_nonfinite(to, 1);
    tsv_columns(to, "L\tactivation\trestart\ts_star\tkkt_residual\titers\tlayer\tnormsq\trho\teta");
    // relu.C4: the optimum of the student's activation at depth L
    nn *net = student(L, P.width, D, act);
    ascent_result *all = XNEW(ascent_result, P.restarts), best;
    double *tstar = XNEW(double, net->nparams);
    double **dirs = XNEW(double *, P.restarts);
    for (int k = 0; k < P.restarts; k++) dirs[k] = XNEW(double, net->nparams);
    double s_star = optimal_direction(net, D, P.restarts, P.ascent_iters, tstar, &best, all, dirs);
    int ibest = 0, nsame = 0;
    for (int k = 0; k < P.restarts; k++) {
        if (all[k].s == s_star) ibest = k;
        if (fabs(all[k].s / s_star - 1) <= 1e-3) nsame++;
        for (int l = 1; l <= L; l++) {
            layer_rank W = rank_of(net, dirs[k], NULL, l);
            tsv_row(to, "%d\t%s\t%d\t%.12g\t%.6g\t%d\t%d\t%.10g\t%.10g\t%.10g", L, P.activation, k, all[k].s,
                    all[k].kkt, all[k].iters, l, W.normsq, W.rho, W.eta);
        }
    }
    printf(
        "# optimal escape direction (%s, L = %d, %d restarts): s* = %.6e (N2: %.6f), KKT residual %.2g,"
        " %d/%d restarts within 1e-3\n",
        P.activation, L, P.restarts, s_star, pow(L, L / 2.0) * s_star, best.kkt, nsame, P.restarts);
    int norm_ok = 1, rho_ok = 1;
    double worst_norm = 0, min_rho_ratio = INFINITY;
    for (int l = 1; l <= L; l++) {
        layer_rank W = rank_of(net, tstar, NULL, l);
        printf("#   layer %d: |W_l|^2 = %.5f  rho = %.4g  eta = %.6f\n", l, W.normsq, W.rho, W.eta);
        worst_norm = fmax(worst_norm, fabs(W.normsq - 1.0 / L));
        if (!(fabs(W.normsq - 1.0 / L) <= 1e-3)) norm_ok = 0;
        if (l >= 2) {
            min_rho_ratio = fmin(min_rho_ratio, W.rho / pow(l, 0.25));
            if (!(W.rho >= pow(l, 0.25))) rho_ok = 0;
        }
    }
    (void)ibest;
    claim_check("relu.C4a", CLAIM_IDENTITY, best.kkt < 1e-3, "KKT residual of the best restart", best.kkt, "1e-3");
    claim_check("relu.C4b", CLAIM_IDENTITY, norm_ok, "max_l ||W_l|^2 - 1/L|", worst_norm, "1e-3");
    claim_check("relu.C4c", CLAIM_IDENTITY, rho_ok, "min_{l>=2} rho_l / l^(1/4)", min_rho_ratio, ">= 1");
    claim_check("relu.C4d", CLAIM_IDENTITY, 2 * nsame >= P.restarts, "fraction of restarts within 1e-3 of the best",
                (double)nsame / P.restarts, ">= 0.5");
    tsv_close(to);

    // relu.C8a: linearity per layer in the optimal direction
    {
        layer_lin lin[MAXD + 1];
        linearity(net, tstar, D, lin);
        tsv *tl = tsv_open(&C, "optimal_linearity.tsv", "relu.C8a");
        tsv_allow_nonfinite(tl, 1);
        tsv_note(tl,
                 "the best direction thetabar* at L = %d on the %s data (N = %d): per hidden layer, the fraction of "
                 "pre-activation energy on the majority sign (lin) and of (unit, sample) pairs "
                 "with z > 0 (on), units weighted by |row of W_l| |column of W_{l+1}|",
                 L, D->name, D->N);
        tsv_columns(tl, "L\tlayer\tlin\ton");
        printf("# linearity of the optimal direction (L = %d): layer, one-sign fraction, on fraction\n", L);
        double deep_min = INFINITY;
        for (int l = 1; l < L; l++) {
            tsv_row(tl, "%d\t%d\t%.8g\t%.8g", L, l, lin[l].lin, lin[l].on);
            printf("#   %d  %.4f  %.4f\n", l, lin[l].lin, lin[l].on);
            if (l >= 2) deep_min = fmin(deep_min, lin[l].lin);
        }
        tsv_close(tl);
        // relu.C8a: "deeper layers are more linear".  Rank-one layers fed by a half-rectified
        // signal are exactly linear (lin = 1); 0.99 leaves room for the unused units' residual
        // weights, which the path weights shrink but do not remove.
        char what[160];
        snprintf(what, sizeof what, "optimal direction, L = %d: min_{l>=2} lin_l (lin_1 = %.3f, must be lower)", L,
                 lin[1].lin);
        claim_check("relu.C8a", CLAIM_EXPERIMENT, deep_min >= 0.99 && lin[1].lin < deep_min, what, deep_min, ">= 0.99");
    }

    // relu.C5: GD from r0 thetabar*; blow-up iteration against t*/eta.  The small-r flow has r -> inf
    // at t*; the loss falls fastest where r passes through O(1), so the blow-up is read as the
    // steepest step of the drop (the escape crossing, earlier, is written beside it).
    tsv *ta = tsv_open(&C, "optimal_aligned.tsv", "relu.C5");
    tsv_note(ta,
             "GD (eta = %g) from theta(0) = r0 thetabar*; iter_blowup = the steepest step of the drop; iter_esc = "
             "first C < %g C_0 (interpolated); iter_pred = r0^-(L-2) / (L (L-2) s* eta)",
             P.lr, P.escape_frac);
    tsv_allow_nonfinite(ta, 1);  // iter_blowup and ratio are nan when no blow-up happened within the cap
    tsv_columns(ta, "L\tactivation\tr0\ts_star\titer_blowup\titer_esc\titer_pred\tratio");
    if (L >= 3) {
        init_info info;
        init_aligned(net->nparams, tstar, P.r0, net->theta, &info);
        double pred = t_blowup(P.r0, L, s_star) / P.lr;
        gd_result R;
        long cap = (long)fmin(P.max_iter, 10 * pred + 1000);
        gd_run(net, D, P.lr, P.escape_frac, cap, POST_ESCAPE, NULL, NULL, &R);
        double blow = R.k_steep >= 0 ? (double)R.k_steep : NAN, ratio = blow / pred;
        tsv_row(ta, "%d\t%s\t%.6g\t%.12g\t%.10g\t%.10g\t%.10g\t%.10g", L, P.activation, P.r0, s_star, blow, R.iter_esc,
                pred, ratio);
        printf(
            "# aligned init r0 = %g: steepest step of the drop at iteration %.0f (C < %g C_0 at %.2f), predicted "
            "t*/eta = %.2f, ratio %.4f\n",
            P.r0, blow, P.escape_frac, R.iter_esc, pred, ratio);
        if (R.k_esc < 0)
            fprintf(stderr,
                    "deep-relu-first-step: no blow-up from the aligned init within %ld iterations (predicted "
                    "%.0f): lower --lr or raise --max-iter\n",
                    cap, pred);
        claim_check("relu.C5", CLAIM_EXPERIMENT, fabs(ratio - 1) <= 0.02, "iter_blowup (steepest step) / (t*/eta)",
                    ratio, "[0.98, 1.02]");
        gd_result_free(&R);
    } else {
        claim_skip("relu.C5", CLAIM_EXPERIMENT, "the blow-up formula needs L >= 3");
    }
    tsv_close(ta);
    for (int k = 0; k < P.restarts; k++) free(dirs[k]);
    free(dirs), free(all), free(tstar);
    nn_free(net);
}

// relu.C6: the linear network's optimum against s*_lin = L^{-L/2} sigma_max(Y^T X / N), written
// to optimal_linear.tsv.
static void part_linear(const dataset *D, int restarts, int iters) {
    const int L = optimal_depth();
    nn *net = student(L, P.width, D, NN_IDENTITY);
    double *tstar = XNEW(double, net->nparams);
    ascent_result best;
    double s = optimal_direction(net, D, restarts, iters, tstar, &best, NULL, NULL);
    double s_lin = s_star_linear(D, L), min_rho = INFINITY;
    tsv *t = tsv_open(&C, "optimal_linear.tsv", "relu.C6");
    tsv_note(t, "sigma = id, L = %d: s*_lin = L^(-L/2) sigma_max(Y^T X/N) = %.15g", L, s_lin);
    tsv_columns(t, "L\ts_star\ts_lin\tkkt_residual\tlayer\tnormsq\trho\teta");
    for (int l = 1; l <= L; l++) {
        layer_rank W = rank_of(net, tstar, NULL, l);
        min_rho = fmin(min_rho, W.rho);
        tsv_row(t, "%d\t%.15g\t%.15g\t%.6g\t%d\t%.10g\t%.10g\t%.10g", L, s, s_lin, best.kkt, l, W.normsq, W.rho, W.eta);
    }
    tsv_close(t);
    printf("# linear reference L = %d: s* = %.10e, L^(-L/2) sigma_max = %.10e, KKT %.2g, min rho_l %.3g\n", L, s, s_lin,
           best.kkt, min_rho);
    double rel = fabs(s / s_lin - 1);
    claim_check("relu.C6", CLAIM_IDENTITY, rel <= 1e-6 && min_rho > 1e4, "|s*/s*_lin - 1| (and min rho_l > 1e4)", rel,
                "1e-6");
    free(tstar);
    nn_free(net);
}

// relu.X1: s~* = L^{L/2} s* (normalisation N2) against depth, printed, never gated.
static void part_depth(const dataset *D, int restarts) {
    tsv *t = tsv_open(&C, "optimal_depth.tsv", "relu.X1");
    tsv_note(t, "s_tilde = L^(L/2) s* (N2: |W_l|_F = 1 per layer, for a balanced optimum)");
    tsv_columns(t, "L\ts_star\ts_tilde\tkkt_residual");
    tsv *tl = tsv_open(&C, "depth_linearity.tsv", "relu.X1");
    tsv_allow_nonfinite(tl, 1);
    tsv_note(tl, "per depth L, the best direction's per-layer linearity (as optimal_linearity.tsv)");
    tsv_columns(tl, "L\tlayer\tlin\ton");
    double first = NAN, last = NAN;
    for (int L = 2; L <= 6; L++) {
        nn *net = student(L, P.width, D, student_act());
        double *tb = XNEW(double, net->nparams);
        ascent_result best;
        double s = optimal_direction(net, D, restarts, P.ascent_iters, tb, &best, NULL, NULL);
        double st = pow(L, L / 2.0) * s;
        tsv_row(t, "%d\t%.10g\t%.10g\t%.4g", L, s, st, best.kkt);
        printf("# depth %d: s* = %.5e  s~* = %.5f  (KKT %.1g)\n", L, s, st, best.kkt);
        layer_lin lin[MAXD + 1];
        linearity(net, tb, D, lin);
        for (int l = 1; l < L; l++) tsv_row(tl, "%d\t%d\t%.8g\t%.8g", L, l, lin[l].lin, lin[l].on);
        if (L == 2) first = st;
        last = st;
        free(tb);
        nn_free(net);
    }
    tsv_close(tl);
    tsv_close(t);
    claim_report("relu.X1", CLAIM_EXPERIMENT, "s~*(L=6) / s~*(L=2)", last / first);
}
