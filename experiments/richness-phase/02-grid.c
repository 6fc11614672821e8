// ---- part B: the phase diagram and eta*(gamma) (richness.C3, C4a) ----
//
// Chapter of richness-phase.c (included there at file scope).

// Phase diagram results, needed by the curves part's claims too.
static double edge_of[CLI_LIST_MAX];
// The sharpness part's measurements (seed --seed, at init and after T steps at the grid argmin
// of that seed's final loss), filled by part_grid when run_sharp is set.
static double sharp_init[CLI_LIST_MAX], sharp_end[CLI_LIST_MAX], sharp_eta[CLI_LIST_MAX], sharp_loss[CLI_LIST_MAX];

static void part_grid(void) {
    const int ng = P.gammas.n, ne = P.etas.n, S = P.seeds, L = P.depth, N = P.width;
    for (int k = 1; k < ne; k++)
        if (!(P.etas.v[k] > P.etas.v[k - 1])) cli_usage_error(&C, "--etas must be strictly ascending");
    double *loss = XNEW(double, (size_t)S *ng *ne);  // [seed][gamma][eta], NAN = diverged
    double *L0 = XNEW(double, S);
    double t0 = util_now();
    for (int s = 0; s < S; s++) {
        mlp_setup M = mlp_alloc(C.seed + (unsigned long)s, L, N, P.din, P.batch, P.steps, P.n_test);
        L0[s] = M.L0;
        double *best = XNEW(double, M.net->nparams);
        for (int j = 0; j < ng; j++) {
            sharp_loss[j] = sharp_eta[j] = NAN;
            mlp_set_gamma(&M, P.gammas.v[j]);
            for (int k = 0; k < ne; k++) {
                progress("grid: seed %d, gamma %g, eta %g (%.0f s)", s + 1, P.gammas.v[j], P.etas.v[k],
                         util_now() - t0);
                long ds;
                const double l = loss[((size_t)s * ng + j) * ne + k] =
                    mlp_train(&M, N * P.etas.v[k], P.steps, 0, NULL, &ds);
                // the sharpness part keeps the weights of seed --seed's best cell so far
                if (s == 0 && run_sharp && isfinite(l) && !(l >= sharp_loss[j] * M.L0)) {
                    sharp_loss[j] = l / M.L0, sharp_eta[j] = P.etas.v[k];
                    memcpy(best, M.net->theta, M.net->nparams * sizeof *best);
                }
            }
            if (s == 0 && run_sharp) {  // the sharpness part: at init, and at the end of the best cell
                progress("sharpness: gamma %g", P.gammas.v[j]);
                memcpy(M.net->theta, M.theta0, M.net->nparams * sizeof *M.theta0);
                sharp_init[j] = N * top_hessian_eig(&M);
                sharp_end[j] = NAN;
                if (isfinite(sharp_eta[j])) {
                    memcpy(M.net->theta, best, M.net->nparams * sizeof *best);
                    sharp_end[j] = N * top_hessian_eig(&M);
                }
            }
        }
        free(best);
        mlp_free(&M);
    }
    tsv *t = tsv_open(&C, "grid.tsv", "richness.C3 richness.C4 richness.C7");
    tsv_allow_nonfinite(t, 1);  // a diverged cell's loss is nan
    tsv_note(t,
             "centred muP MLP: L = %d, N = %d, d = %d, B = %d, T = %ld online SGD steps at raw rate N eta; "
             "test set %d points; diverged: a batch residual non-finite or > %g",
             L, N, P.din, P.batch, P.steps, P.n_test, MLP_DIV);
    for (int s = 0; s < S; s++) tsv_note(t, "seed %lu: L0 = %.6f", C.seed + s, L0[s]);
    tsv_columns(t, "gamma\teta\tlog10_gamma\tlog10_eta\tseed\tdiverged\tloss\tloss_over_L0\tlog10_loss_over_L0");
    for (int s = 0; s < S; s++)
        for (int j = 0; j < ng; j++)
            for (int k = 0; k < ne; k++) {
                double l = loss[((size_t)s * ng + j) * ne + k];
                tsv_row(t, "%.6g\t%.6g\t%.4f\t%.4f\t%lu\t%d\t%.8g\t%.8g\t%.6g", P.gammas.v[j], P.etas.v[k],
                        log10(P.gammas.v[j]), log10(P.etas.v[k]), C.seed + s, isnan(l), l, l / L0[s], log10(l / L0[s]));
            }
    tsv_close(t);
    // eta*(gamma) from the seed-averaged log-loss, and the stability edge
    double es[CLI_LIST_MAX], lm[CLI_LIST_MAX];
    t = tsv_open(&C, "etastar.tsv", "richness.C3 richness.C4 richness.C7");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t,
             "eta_star: argmin of the seed-averaged log10 loss over the eta grid, refined by a parabola; "
             "eta_edge: largest grid eta whose final loss is finite and < %g L0 in every seed",
             EDGE_FRAC);
    tsv_columns(t,
                "gamma\teta_star\tlog10_gamma\tlog10_eta_star\teta_argmin\tmin_loss_over_L0\teta_edge\tlog10_eta_edge");
    printf("# grid: gamma, eta* (log10), min loss/L0, eta_edge (log10)\n");
    for (int j = 0; j < ng; j++) {
        double ll[CLI_LIST_MAX];
        edge_of[j] = NAN;
        for (int k = 0; k < ne; k++) {
            double a = 0;
            int ok = 1, below = 1;
            for (int s = 0; s < S; s++) {
                double l = loss[((size_t)s * ng + j) * ne + k];
                if (!isfinite(l)) ok = 0;
                else a += log10(l / L0[s]);
                if (!(l < EDGE_FRAC * L0[s])) below = 0;
            }
            ll[k] = ok ? a / S : NAN;
            if (below) edge_of[j] = P.etas.v[k];
        }
        int am;
        es[j] = eta_star(ne, P.etas.v, ll, &am, &lm[j]);
        tsv_row(t, "%.6g\t%.8g\t%.4f\t%.6f\t%.6g\t%.6g\t%.6g\t%.4f", P.gammas.v[j], es[j], log10(P.gammas.v[j]),
                log10(es[j]), am >= 0 ? P.etas.v[am] : NAN, lm[j], edge_of[j], log10(edge_of[j]));
        printf("#   %-8.4g  %+.3f  %.4f  %+.2f\n", P.gammas.v[j], log10(es[j]), lm[j], log10(edge_of[j]));
    }
    tsv_close(t);
    // richness.C3, C4: slopes of log10 eta* (default grid only: quick has no gamma in (1e-2, 1e-1))
    int m3, m4;
    double s3 = slope_in(ng, P.gammas.v, es, 1e-2, 1e-1, &m3), s4 = slope_in(ng, P.gammas.v, es, 1, 100, &m4);
    printf("#   slopes of log10 eta*: %.3f on gamma in [1e-2, 1e-1] (theory 2), %.3f on [1, 100] (theory 2/L = %.3f)\n",
           s3, s4, 2.0 / L);
    if (C.quick || m3 < 3)
        claim_skip("richness.C3", CLAIM_EXPERIMENT, "default only: needs >= 3 gammas in [1e-2, 1e-1]");
    else
        claim_check("richness.C3", CLAIM_EXPERIMENT, s3 >= 1.4 && s3 <= 2.4,
                    "slope of log10 eta* on gamma in [1e-2, 1e-1] (theory 2)", s3, "[1.4, 2.4]");
    // richness.C4a: the ultra-rich slope against (T1)'s slope over the same gammas (the asymptote
    // 2/L is approached only as gamma -> inf: over [1, 100] (T1) itself has slope 0.853 at L = 3)
    if (C.quick || m4 < 3) {
        claim_skip("richness.C4a", CLAIM_EXPERIMENT, "default only: needs >= 3 gammas in [1, 100]");
    } else {
        double se4, s4b = slope_se_in(ng, P.gammas.v, es, UR_LO, UR_HI, &se4),
                    th = t1_slope(L, ng, P.gammas.v, UR_LO, UR_HI);
        char what[200], tol[40];
        snprintf(what, sizeof what,
                 "L = %d: slope of log10 eta* on gamma in [1, 100] = %.3f +- %.3f, (T1) over the same "
                 "gammas %.3f (asymptote 2/L = %.3f); |difference|",
                 L, s4b, se4, th, 2.0 / L);
        snprintf(tol, sizeof tol, "%g", UR_SLOPE_TOL);
        claim_check("richness.C4a", CLAIM_EXPERIMENT, fabs(s4b - th) <= UR_SLOPE_TOL, what, fabs(s4b - th), tol);
    }
    free(loss), free(L0);
}
