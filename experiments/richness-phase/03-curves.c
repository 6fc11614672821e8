// ---- part C: ultra-rich loss curves, collapse, final losses (richness.C5-C7) ----
//
// Chapter of richness-phase.c (included there at file scope).

// log10 eta_edge(1) - log10 eta_edge(0.01) >= 1.5.
static int edge_index(double g) {
    for (int j = 0; j < P.gammas.n; j++)
        if (fabs(P.gammas.v[j] / g - 1) < 1e-9) return j;
    return -1;
}

static void part_curves(int grid_ran) {
    const int ng = P.ur_gammas.n, L = P.depth, N = P.ur_width, every = P.ur_log_every;
    const long T = P.ur_steps;
    const int nlog = (int)(T / every) + 1;
    double *lg = XNEW(double, (size_t)ng *nlog), tesc[CLI_LIST_MAX], fin[CLI_LIST_MAX], l400[CLI_LIST_MAX];
    mlp_setup M = mlp_alloc(C.seed, L, N, P.din, P.batch, T, P.n_test);
    double *tlog = XNEW(double, nlog);  // the logged steps 0, every, 2 every, ...
    for (int i = 0; i < nlog; i++) tlog[i] = (double)i * every;
    int diverged = 0;
    for (int j = 0; j < ng; j++) {
        const double gamma = P.ur_gammas.v[j], lr = N * P.ur_eta0 * pow(gamma, 2.0 / L);
        progress("ultra-rich curve gamma = %g", gamma);
        mlp_set_gamma(&M, gamma);
        long ds;
        double *y = lg + (size_t)j * nlog;
        for (int i = 0; i < nlog; i++) y[i] = NAN;
        double f = mlp_train(&M, lr, T, every, y, &ds);
        if (isnan(f)) diverged = 1;
        for (int i = 0; i < nlog; i++) y[i] /= M.L0;
        tesc[j] = steps_crossing(tlog, y, (size_t)nlog, 0, ESC_FRAC, STEPS_DOWN);  // first fall below ESC_FRAC L0
        fin[j] = f / M.L0;
        l400[j] = interp(y, nlog, every, 400);
    }
    tsv *t = tsv_open(&C, "curves.tsv", "richness.C5 richness.C6 richness.C7");
    tsv_allow_nonfinite(t, 1);  // t_esc is nan for a curve that never escapes
    tsv_note(t,
             "online SGD at lr = N eta0 gamma^(2/L), N = %d, eta0 = %g, L = %d, B = %d; test loss every %d steps; "
             "L0 = %.6f; t_esc: first step with loss < %g L0 (interpolated)",
             N, P.ur_eta0, L, P.batch, every, M.L0, ESC_FRAC);
    tsv_columns(t, "gamma\tstep\ttest_loss\tloss_over_L0\tt_esc\tt_minus_t_esc\tt_over_t_esc");
    printf("# ultra-rich curves: gamma, loss(400)/L0, t_esc, final loss/L0\n");
    for (int j = 0; j < ng; j++) {
        for (int i = 0; i < nlog; i++) {
            double st = (double)i * every, y = lg[(size_t)j * nlog + i];
            tsv_row(t, "%.6g\t%.0f\t%.8g\t%.8g\t%.6g\t%.6g\t%.6g", P.ur_gammas.v[j], st, y * M.L0, y, tesc[j],
                    st - tesc[j], st / tesc[j]);
        }
        printf("#   %-6g  %.3f  %.0f  %.3f\n", P.ur_gammas.v[j], l400[j], tesc[j], fin[j]);
    }
    tsv_close(t);
    // richness.C6: collapse of neighbouring gammas under t -> t - t_esc, and (reported) under t/t_esc
    t = tsv_open(&C, "collapse.tsv", "richness.C6");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t,
             "max over shifts Delta in [%g, %g] (clipped to the run) of |loss_a(t_esc_a + Delta) - "
             "loss_b(t_esc_b + Delta)|/L0, and the same over rescaled times s t_esc with s spanning the same "
             "window in units of t_esc_b",
             SHIFT_LO, SHIFT_HI);
    tsv_columns(t, "gamma_a\tgamma_b\tshift_metric\trescale_metric\tdelta_lo\tdelta_hi");
    double c6_shift = NAN, c6_rescale = NAN;
    for (int j = 0; j + 1 < ng; j++) {
        const double *ya = lg + (size_t)j * nlog, *yb = lg + (size_t)(j + 1) * nlog;
        double ta = tesc[j], tb = tesc[j + 1], dlo = NAN, dhi = NAN, ms = NAN, mr = NAN;
        if (isfinite(ta) && isfinite(tb)) {
            dlo = fmax(SHIFT_LO, -fmin(ta, tb));
            dhi = fmin(SHIFT_HI, (double)T - fmax(ta, tb));
            ms = 0, mr = 0;
            for (double D = dlo; D <= dhi + 1e-9; D += 1)
                ms = fmax(ms, fabs(interp(ya, nlog, every, ta + D) - interp(yb, nlog, every, tb + D)));
            double slo = 1 + dlo / tb, shi = 1 + dhi / tb;
            shi = fmin(shi, (double)T / fmax(ta, tb));
            for (int k = 0; k <= 2000; k++) {
                double s = slo + (shi - slo) * k / 2000.0;
                mr = fmax(mr, fabs(interp(ya, nlog, every, s * ta) - interp(yb, nlog, every, s * tb)));
            }
        }
        tsv_row(t, "%g\t%g\t%.6g\t%.6g\t%.6g\t%.6g", P.ur_gammas.v[j], P.ur_gammas.v[j + 1], ms, mr, dlo, dhi);
        printf("#   collapse gamma %g vs %g: shift %.3f, rescale %.3f (Delta in [%.0f, %.0f])\n", P.ur_gammas.v[j],
               P.ur_gammas.v[j + 1], ms, mr, dlo, dhi);
        if (fabs(P.ur_gammas.v[j] - 10) < 1e-9 && fabs(P.ur_gammas.v[j + 1] - 100) < 1e-9)
            c6_shift = ms, c6_rescale = mr;
    }
    tsv_close(t);

    // richness.C5: plateau at large gamma, escape at gamma = 1, ordering of t_esc
    int j1 = -1, j10 = -1, j100 = -1;
    for (int j = 0; j < ng; j++) {
        double g = P.ur_gammas.v[j];
        if (fabs(g - 1) < 1e-9) j1 = j;
        if (fabs(g - 10) < 1e-9) j10 = j;
        if (fabs(g - 100) < 1e-9) j100 = j;
    }
    if (j1 >= 0 && j10 >= 0 && j100 >= 0 && T >= 400) {
        const double b1 = C.quick ? 0.5 : 0.3;
        double r1 = tesc[j10] / tesc[j1], r2 = tesc[j100] / tesc[j10];
        int ok = l400[j100] >= 0.95 && l400[j1] <= b1 && r1 >= 1.5 && r2 >= 1.5;
        char what[200], tol[120];
        snprintf(what, sizeof what,
                 "loss(400)/L0 at gamma = 100 (gamma = 1: %.3f; t_esc = %.0f, %.0f, %.0f, ratios %.2f, %.2f)", l400[j1],
                 tesc[j1], tesc[j10], tesc[j100], r1, r2);
        snprintf(tol, sizeof tol, ">= 0.95; gamma = 1: <= %g; ratios >= 1.5", b1);
        claim_check("richness.C5", CLAIM_EXPERIMENT, ok, what, l400[j100], tol);
    } else {
        claim_skip("richness.C5", CLAIM_EXPERIMENT, "needs --ur-gammas 1,10,100 and --ur-steps >= 400");
    }
    if (isfinite(c6_shift) && !C.quick) {
        char what[160];
        snprintf(what, sizeof what,
                 "max_Delta |loss_10(t_esc+Delta) - loss_100(t_esc+Delta)|/L0 (rescale t/t_esc: %.3f)", c6_rescale);
        claim_check("richness.C6", CLAIM_EXPERIMENT, c6_shift <= 0.15, what, c6_shift, "0.15");
    } else if (isfinite(c6_shift)) {
        claim_report("richness.C6", CLAIM_EXPERIMENT, "quick (window clipped to the run): shift metric gamma 10 vs 100",
                     c6_shift);
    } else {
        claim_skip("richness.C6", CLAIM_EXPERIMENT, "needs escaped curves at gamma = 10 and 100");
    }
    // richness.C7: final losses (default) and the stability edge (default and quick)
    double fmax_ = 0;
    for (int j = 0; j < ng; j++) fmax_ = isfinite(fin[j]) ? fmax(fmax_, fin[j]) : INFINITY;
    int e001 = edge_index(0.01), e1 = edge_index(1), e100 = edge_index(100);
    int edge_ok = -1;
    double d_hi = NAN, d_lo = NAN;
    if (grid_ran && e001 >= 0 && e1 >= 0 && e100 >= 0) {
        d_hi = log10(edge_of[e100]) - log10(edge_of[e1]);
        d_lo = log10(edge_of[e1]) - log10(edge_of[e001]);
        edge_ok = d_hi >= 0.5 && d_lo >= 1.5;
    }
    char what[240];
    if (edge_ok < 0) {
        claim_skip("richness.C7", CLAIM_EXPERIMENT, "needs the phase diagram with gammas 0.01, 1, 100");
    } else if (C.quick) {
        snprintf(what, sizeof what,
                 "log10 eta_edge(1) - log10 eta_edge(0.01) (>= 1.5; and eta_edge(100) vs (1): %.2f >= 0.5)", d_hi);
        claim_check("richness.C7", CLAIM_EXPERIMENT, edge_ok, what, d_lo, ">= 1.5");
    } else {
        snprintf(what, sizeof what, "max final loss/L0 over the curves (edge differences %.2f >= 0.5, %.2f >= 1.5)%s",
                 d_hi, d_lo, diverged ? " (a curve diverged)" : "");
        claim_check("richness.C7", CLAIM_EXPERIMENT, fmax_ <= 0.15 && edge_ok && !diverged, what, fmax_, "<= 0.15");
    }
    mlp_free(&M);
    free(lg), free(tlog);
}
