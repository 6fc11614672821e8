// ---- part A: the scalar chain toy and the (T1) law (richness.C1, C2) ----
//
// Chapter of richness-phase.c (included there at file scope).

static void part_toy(void) {
    const int nL = P.toy_depths.n, ng = P.toy_gammas.n;
    double w0[MAXL];
    gsl_rng *rn = rng_alloc(C.seed, STREAM_TOYNOISE);
    tsv *t = tsv_open(&C, "toy.tsv", "richness.C1 richness.C2");
    tsv_note(t,
             "scalar chain, GD to target 1; converged: |r| < %g for %d consecutive steps within T = %ld; "
             "diverged: |r| > %g; grid %d per decade, %d bisection steps in log eta",
             TOY_CONV_TOL, TOY_CONV_RUN, P.toy_steps, TOY_DIV, P.toy_ppd, P.toy_bisect);
    tsv_note(t, "init: w_l(0) = 1 + eps xi_l, eps = %g (0: balanced)", P.init_noise);
    tsv_note(t,
             "eta_flow: 2 / sharpness at the gradient-flow minimum from w(0) (conserved w_l^2 - w_k^2); = (T1) "
             "when balanced");
    tsv_columns(t, "L\tgamma\teta_max\teta_grid\teta_T1\tratio\teta_flow\tratio_flow");
    double worst = 0;
    int c2_ok = 1, c2_any = 0;
    double c2_worst = 0;
    printf("# toy: L, gamma, eta_max (refined), (T1), ratio\n");
    for (int i = 0; i < nL; i++) {
        const int L = (int)P.toy_depths.v[i];
        double em[CLI_LIST_MAX], th[CLI_LIST_MAX];
        for (int j = 0; j < ng; j++) {
            const double gamma = P.toy_gammas.v[j];
            for (int l = 0; l < L; l++) w0[l] = 1 + P.init_noise * rng_normal(rn);
            progress("toy L = %d, gamma = %g", L, gamma);
            double grid;
            em[j] = toy_eta_max(L, gamma, w0, &grid);
            th[j] = eta_max_T1(L, gamma);
            double ratio = em[j] / th[j];
            worst = isfinite(ratio) ? fmax(worst, fabs(ratio - 1)) : INFINITY;
            double ef = eta_max_flow(L, gamma, w0);
            tsv_row(t, "%d\t%.6g\t%.10g\t%.10g\t%.10g\t%.8f\t%.10g\t%.8f", L, gamma, em[j], grid, th[j], ratio, ef,
                    em[j] / ef);
            printf("#   %d  %-10.4g  %.6e  %.6e  %.6f\n", L, gamma, em[j], th[j], ratio);
        }
        // richness.C2: asymptotic slopes, or (quick) slopes of (T1) over the same gammas
        double r_lo[2], r_hi[2], target[2];
        if (!C.quick) {
            r_lo[0] = 1e-3, r_hi[0] = 1e-2, target[0] = 2;
            r_lo[1] = 1e2, r_hi[1] = 1e3, target[1] = 2.0 / L;
        } else {
            r_lo[0] = 1e-2, r_hi[0] = 1e-1;
            r_lo[1] = 10, r_hi[1] = 100;
        }
        for (int s = 0; s < 2; s++) {
            int m;
            double sl = slope_in(ng, P.toy_gammas.v, em, r_lo[s], r_hi[s], &m);
            if (m < 2) continue;
            if (C.quick) target[s] = slope_in(ng, P.toy_gammas.v, th, r_lo[s], r_hi[s], NULL);
            double dev = fabs(sl - target[s]);
            printf("#   L = %d: slope over gamma in [%g, %g] = %.4f (target %.4f)\n", L, r_lo[s], r_hi[s], sl,
                   target[s]);
            c2_any = 1, c2_worst = fmax(c2_worst, dev);
            if (!(dev <= (C.quick ? 0.005 : 0.01))) c2_ok = 0;
        }
    }
    tsv_close(t);
    rng_free(rn);
    // (T1) and its two asymptotes on a fine grid, for the figure
    t = tsv_open(&C, "toy_theory.tsv", "richness.C1 richness.C2");
    tsv_note(t, "(T1) eta_max = 2 gamma^2 / (L (1+gamma)^(2(L-1)/L)); asymptotes 2 gamma^2/L and 2 gamma^(2/L)/L");
    tsv_columns(t, "L\tgamma\teta_T1\tlazy_asymptote\tultrarich_asymptote");
    double glo = P.toy_gammas.v[0], ghi = P.toy_gammas.v[0];
    for (int j = 0; j < ng; j++) glo = fmin(glo, P.toy_gammas.v[j]), ghi = fmax(ghi, P.toy_gammas.v[j]);
    glo /= 2, ghi *= 2;
    for (int i = 0; i < nL; i++) {
        const int L = (int)P.toy_depths.v[i];
        for (int k = 0; k <= 120; k++) {
            double g = glo * pow(ghi / glo, k / 120.0);
            tsv_row(t, "%d\t%.6g\t%.8g\t%.8g\t%.8g", L, g, eta_max_T1(L, g), 2 * g * g / L, 2 * pow(g, 2.0 / L) / L);
        }
    }
    tsv_close(t);
    const double tol1 = C.quick ? 2e-3 : 1e-3;
    char tol[32];
    snprintf(tol, sizeof tol, "%g", tol1);
    claim_check("richness.C1", CLAIM_IDENTITY, worst <= tol1, "max over (L, gamma) of |eta_max/(T1) - 1|", worst, tol);
    if (c2_any)
        claim_check("richness.C2", CLAIM_IDENTITY, c2_ok,
                    C.quick ? "max |slope - slope of (T1)| on gamma in [1e-2,1e-1] and [10,100]"
                            : "max |slope - {2, 2/L}| on gamma in [1e-3,1e-2] and [1e2,1e3]",
                    c2_worst, C.quick ? "0.005" : "0.01");
    else claim_skip("richness.C2", CLAIM_IDENTITY, "--toy-gammas has no two points in the fitted ranges");
}
