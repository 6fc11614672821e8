// ---- (C, D) GD and AGF against the formulas and each other (claims agf.C1, agf.C5, agf.C6) ----

// ---- (C, D) measurement: dwells, order, the bound, AGF levels and times ----
//
// Dwell at L_k (common/steps.h): the loss stays in [0.99 L_k, 1.01 L_k] over [t_a, t_b]
// with t_b >= 1.1 t_a; its median is compared with L_k (agf.C1a, tolerance 0.3 %: inside a
// dwell the loss still creeps towards its limit).  Unpredicted dwells are listed, not failed.
// Order and the bound: the epoch at which each frequency's mean output magnitude first reaches
// half of |x^_k| (its "half-rise").  Drop j (GD and AGF alike): the first time the loss is below
// sqrt(L_{j-1} L_j), or below L_{j-1}/10 for the last level L = 0 (AGF stops at loss 1e-4, as
// the paper's code does, so a deeper mark could be missed by construction).
static double drop_level(const modadd_task *T, int j) {
    return T->lev[j] > 0 ? sqrt(T->lev[j - 1] * T->lev[j]) : 0.1 * T->lev[j - 1];
}

// GD rows written to modadd_s{seed}.tsv: every record up to epoch 200, then records at least
// 1 % apart in epoch (the figure's axis is logarithmic; the detectors use every epoch).
static int keep_row(double e, double *next) {
    if (e < 200 || e >= *next) {
        *next = fmax(e * 1.01, e + 1);
        return 1;
    }
    return 0;
}

static void case_modadd(int run_gd, int run_agf) {
    const int p = P.modp, H = P.hidden;
    modadd_task T = modadd_make(p, P.mags);
    const int K = T.K, plain = !strcmp(P.agf_flow, "plain");
    const int onehot = !strcmp(P.mags, "onehot");
    const double tu = P.scaled ? P.lr : P.lr / (1 - P.momentum);  // gradient-flow time per epoch
    const cli_ilist seeds = P.seeds.n ? P.seeds : (cli_ilist){1, {(long)C.seed}};
    const int ns = seeds.n;
    const int nchk = T.nlev - 1;  // levels L_1..L_{nlev-1} (L_nlev = 0 has no relative band)
    // Initial norms (for the bound) come from the init stream alone.
    double *th0max = XNEW(double, ns);
    for (int si = 0; si < ns; si++) {
        nn *net = modadd_net(&T, H, (unsigned long)seeds.v[si], P.init);
        size_t *map = XNEW(size_t, (size_t)H * 3 * p);
        double *nrm = XNEW(double, H);
        opt_neuron_map_2layer(H, 2 * p, p, net->off[1], net->off[2], map);
        neuron_norms(net, map, H, 3 * p, nrm);
        for (int i = 0; i < H; i++) th0max[si] = fmax(th0max[si], nrm[i]);
        free(map), free(nrm);
        nn_free(net);
    }
    tsv *tv = tsv_open(&C, "modadd_levels.tsv", "agf.C1 agf.C5");
    tsv_note(tv,
             "template p = %d, mags %s: level k = loss after the k largest-power frequencies are learned; "
             "xhat = |x^_k| (the output magnitude it rises to); tau_bound = earliest epoch a neuron serving freq "
             "can reach norm 1, (1/theta0_max - 1)/(3 u_max,k)/(eta/(1-beta)), first seed",
             p, P.mags);
    tsv_allow_nonfinite(tv, 1);
    tsv_columns(tv, "k\tfreq\tP\tlevel\txhat\ttau_bound");
    tsv_row(tv, "0\t0\t0\t%.10g\tnan\tnan", T.lev[0]);
    printf("# (C) modular addition p = %d, mags %s, H = %d, init %g, %s GD eta %g", p, P.mags, H, P.init,
           P.scaled ? "per-neuron-scaled" : "momentum", P.lr);
    if (!P.scaled) printf(" beta %g (%g time units per epoch)", P.momentum, tu);
    printf("\n#   power spectrum:");
    for (int k = 1; k <= K; k++)
        if (T.P[k] > 1e-12 * T.lev[0]) printf(" P_%d = %.6g", k, T.P[k]);
    printf("\n#   predicted levels: L_0 = %.6g", T.lev[0]);
    double tau[64] = {0};
    for (int j = 0; j < T.nlev; j++) {
        int k = T.freq[j];
        tau[k] = (1 / th0max[0] - 1) / (KAPPA * umax_k(&T, k)) / tu;
        tsv_row(tv, "%d\t%d\t%.10g\t%.10g\t%.10g\t%.10g", j + 1, k, T.P[k], T.lev[j + 1], xhat(&T, k),
                P.scaled ? NAN : tau[k]);
        printf(", L_%d = %.6g (freq %d)", j + 1, T.lev[j + 1], k);
    }
    printf("\n");
    tsv_close(tv);
    modadd_run *runs = XNEW(modadd_run, ns);
    double gd_drop[CLI_LIST_MAX][64];
    if (run_gd) {
        tsv *tw = tsv_open(&C, "modadd_dwells.tsv", "agf.C1");
        tsv_note(
            tw,
            "dwell: loss within +-1%% of level_pred over [t_start, t_end] epochs with t_end >= 1.1 t_start; "
            "predicted = 0 marks a flat stretch (|L(1.1t) - L(t)| <= 1e-3 L, t_b >= 1.2 t_a) at no predicted level");
        tsv_allow_nonfinite(tw, 1);
        tsv_columns(tw, "seed\tlevel_pred\tdwell_median\tt_start\tt_end\trel_err\tpredicted");
        tsv *tb = tsv_open(&C, "modadd_bound.tsv", "agf.C5c");
        tsv_note(tb,
                 "half-rise epoch of each frequency (mean output magnitude reaches |x^_k|/2) against the bound tau_k "
                 "(no neuron serving k reaches norm 1 earlier), per seed");
        tsv_allow_nonfinite(tb, 1);
        tsv_columns(tb, "seed\tfreq\txhat\ttau_bound\tt_half_gd\tratio");
        int dwelt[64] = {0}, order_ok = 1, n_unpred = 0, bound_ok = 1;
        double max_rel = 0, min_bound_ratio = INFINITY;
        char unpred_vals[512] = "";
        for (int si = 0; si < ns; si++) {
            unsigned long seed = (unsigned long)seeds.v[si];
            runs[si] = modadd_gd(&T, H, seed, P.init, P.epochs, P.scaled, P.lr, P.momentum, REC_EVERY);
            modadd_run *R = &runs[si];
            char name[64];
            snprintf(name, sizeof name, "modadd_s%lu.tsv", seed);
            tsv *tt = tsv_open(&C, name, "agf.C1");
            tsv_note(tt, "quadratic net p = %d, H = %d, init %g, %s GD eta %g momentum %g, full batch, seed %lu", p, H,
                     P.init, P.scaled ? "per-neuron-scaled" : "plain", P.lr, P.scaled ? 0.0 : P.momentum, seed);
            tsv_note(
                tt,
                "power_k = output power at frequency k (rises to P_k); mag_k = mean |DFT_k(yhat)| (rises to |x^_k|); "
                "n_big = neurons with |theta_i| > 0.1; rows thinned to 1%% steps in epoch past epoch 200");
            char cols[2048] = "epoch\tloss";
            for (int k = 1; k <= K; k++) snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "\tpower_%d", k);
            for (int k = 1; k <= K; k++) snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "\tmag_%d", k);
            snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "\tn_big");
            tsv_columns(tt, cols);
            char row[8192];
            double next = 0;
            for (long r = 0; r < R->nrec; r++) {
                if (!keep_row(R->rep[r], &next) && r != R->nrec - 1) continue;
                int o = snprintf(row, sizeof row, "%.0f\t%.10g", R->rep[r], R->loss[(long)R->rep[r]]);
                for (int k = 0; k < K; k++) o += snprintf(row + o, sizeof row - o, "\t%.8g", R->pw[(size_t)r * K + k]);
                for (int k = 0; k < K; k++) o += snprintf(row + o, sizeof row - o, "\t%.8g", R->mag[(size_t)r * K + k]);
                snprintf(row + o, sizeof row - o, "\t%d", R->nbig[r]);
                tsv_row(tt, "%s", row);
            }
            tsv_close(tt);
            printf("# seed %lu: dwells", seed);
            for (int j = 1; j <= nchk; j++) {
                steps_dwell d;
                if (steps_dwell_at(R->ep, R->loss, R->n, T.lev[j], STEPS_DWELL_BAND, STEPS_DWELL_RATIO, &d)) {
                    double rel = d.median / T.lev[j] - 1;
                    dwelt[j]++, max_rel = fmax(max_rel, fabs(rel));
                    tsv_row(tw, "%lu\t%.10g\t%.10g\t%.0f\t%.0f\t%.6g\t1", seed, T.lev[j], d.median, d.ta, d.tb, rel);
                    printf("  L_%d: %.6g [%.0f, %.0f] (%+.3f%%)", j, d.median, d.ta, d.tb, 100 * rel);
                } else {
                    tsv_row(tw, "%lu\t%.10g\tnan\tnan\tnan\tnan\t1", seed, T.lev[j]);
                    printf("  L_%d: no dwell", j);
                }
            }
            steps_dwell ud[16];
            int nu = steps_unpredicted(R->ep, R->loss, R->n, T.lev, T.nlev + 1, STEPS_FLAT_TOL, STEPS_FLAT_RATIO,
                                       STEPS_DWELL_BAND, ud, 16);
            for (int u = 0; u < nu && u < 16; u++) {
                tsv_row(tw, "%lu\tnan\t%.10g\t%.0f\t%.0f\tnan\t0", seed, ud[u].median, ud[u].ta, ud[u].tb);
                printf("  unpredicted %.5g [%.0f, %.0f]", ud[u].median, ud[u].ta, ud[u].tb);
                snprintf(unpred_vals + strlen(unpred_vals), sizeof unpred_vals - strlen(unpred_vals), "%s%.4g",
                         n_unpred ? ", " : "", ud[u].median);
                n_unpred++;
            }
            // Half-rise epochs, in the predicted order, against the bound.
            printf("\n#   half-rise epochs (bound):");
            double prev = -1, *mk = XNEW(double, R->nrec);
            for (int j = 0; j < T.nlev; j++) {
                int k = T.freq[j];
                double xk = xhat(&T, k);
                for (long r = 0; r < R->nrec; r++) mk[r] = R->mag[(size_t)r * K + k - 1];
                double th = steps_crossing(R->rep, mk, R->nrec, 0, 0.5 * xk, STEPS_UP);
                double tk = (1 / th0max[si] - 1) / (KAPPA * umax_k(&T, k)) / tu;
                printf(" f%d %.0f (%.0f)", k, th, tk);
                if (!P.scaled) {
                    tsv_row(tb, "%lu\t%d\t%.10g\t%.10g\t%.10g\t%.6g", seed, k, xk, tk, th, th / tk);
                    if (!isnan(th)) {  // a frequency not learned within the run cannot violate a "not before"
                        if (th < tk) bound_ok = 0;
                        min_bound_ratio = fmin(min_bound_ratio, th / tk);
                    }
                }
                if (j < nchk) {  // the frequencies whose levels we check must appear, in order
                    if (!(th > prev)) order_ok = 0;
                    prev = th;
                }
            }
            free(mk);
            printf("\n");
            for (int j = 1; j <= T.nlev && j < 64; j++)
                gd_drop[si][j] = steps_crossing(R->ep, R->loss, R->n, 0, drop_level(&T, j), STEPS_DOWN);
        }
        tsv_close(tw);
        tsv_close(tb);
        int min_dwelt = ns;
        for (int j = 1; j <= nchk; j++) min_dwelt = dwelt[j] < min_dwelt ? dwelt[j] : min_dwelt;
        claim_check("agf.C1a", CLAIM_EXPERIMENT, max_rel <= 0.003 && nchk > 0 && min_dwelt > 0,
                    "modadd GD: max |dwell median/L_k - 1| over levels and seeds", max_rel, "0.003");
        claim_check("agf.C1b", CLAIM_EXPERIMENT, min_dwelt == ns && nchk > 0,
                    "modadd GD: fewest seeds dwelling at any level L_1..L_K-1", min_dwelt, "every seed of the run");
        if (onehot)
            claim_skip("agf.C1c", CLAIM_EXPERIMENT, "--mags onehot: all frequencies tie, no order is predicted");
        else
            claim_check("agf.C1c", CLAIM_EXPERIMENT, order_ok,
                        "modadd GD: half-rise order = decreasing |x^_k| in every seed (1 = yes)", order_ok, "1");
        claim_report("agf.C1d", CLAIM_EXPERIMENT, "modadd GD: unpredicted dwells (count over seeds)", n_unpred);
        if (n_unpred) printf("# agf.C1d: unpredicted dwell medians %s\n", unpred_vals);
        if (P.scaled) claim_skip("agf.C5c", CLAIM_EXPERIMENT, "the bound is for plain gradient flow (--scaled 0)");
        else
            claim_check("agf.C5c", CLAIM_EXPERIMENT, bound_ok,
                        "modadd GD: min over frequencies of half-rise epoch / bound tau_k", min_bound_ratio,
                        ">= 1 for every frequency");
    }
    if (run_agf) {
        agf_cfg cf = {P.init, P.epochs * tu, P.agf_euler, P.lr, P.scaled ? 0.0 : P.momentum, tu, plain, P.cost_iters};
        tsv *ta = tsv_open(&C, "modadd_agf.tsv", "agf.C5 agf.C6");
        tsv_note(ta,
                 "AGF rounds (%s flow, Euler step %g, cost phase %d momentum steps): at AGF time t (epoch = t/%g) "
                 "n_new neurons join the active set (neuron = the first); loss after cost minimisation; freq = the "
                 "output frequency the first newcomer serves; power_k, mag_k as in modadd_s*.tsv",
                 plain ? "plain" : "scaled", P.agf_euler, P.cost_iters, tu);
        char cols[2048] = "seed\tround\tt\tepoch\tneuron\tn_new\tfreq\tn_active\tloss";
        for (int k = 1; k <= K; k++) snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "\tpower_%d", k);
        for (int k = 1; k <= K; k++) snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "\tmag_%d", k);
        tsv_columns(ta, cols);
        tsv *tc = tsv_open(&C, "modadd_agf_curve.tsv", "agf.C5 agf.C6");
        tsv_note(tc, "the AGF loss and magnitudes as step functions of epoch, for plotting (two points per jump)");
        char ccols[1024] = "seed\tepoch\tloss";
        for (int k = 1; k <= K; k++) snprintf(ccols + strlen(ccols), sizeof ccols - strlen(ccols), "\tmag_%d", k);
        tsv_columns(tc, ccols);
        tsv *tn = tsv_open(&C, "modadd_neurons.tsv", "agf.C6");
        tsv_note(tn,
                 "per neuron: initial norm; GD: first epoch with |theta| > 0.1 and the frequency it serves at the end; "
                 "AGF: activation epoch and the frequency it serves after its first cost phase (nan, 0: never)");
        tsv_allow_nonfinite(tn, 1);
        tsv_columns(tn, "seed\tneuron\ttheta0\tgd_epoch_big\tgd_freq\tagf_epoch\tagf_freq");
        tsv *td = tsv_open(&C, "modadd_drops.tsv", "agf.C6");
        tsv_note(
            td,
            "drop j: first epoch with loss below sqrt(L_{j-1} L_j) (L_{j-1}/10 for the last level 0), GD and AGF; "
            "n_big_gd = GD neurons with |theta| > 0.1 at the GD drop, n_active_agf = AGF's active neurons at its drop");
        tsv_allow_nonfinite(td, 1);
        tsv_columns(td, "seed\tdrop\tfreq\tlevel\tepoch_gd\tepoch_agf\tratio\tn_big_gd\tn_active_agf");
        double max_lev_err = 0, first_err = 0, lo_later = INFINITY, hi_later = 0, min_margin = INFINITY;
        double lo_last = INFINITY, hi_last = 0;
        int order_ok = 1, agf_ok = 1, nties = 0, nlater = 0, nlast = 0, max_dn = 0;
        char ratios[1024] = "";
        for (int si = 0; si < ns; si++) {
            unsigned long seed = (unsigned long)seeds.v[si];
            agf_rounds *A = XNEW(agf_rounds, 1);
            double t0 = util_now();
            agf_modadd(&T, H, seed, &cf, A);
            min_margin = fmin(min_margin, A->margin), nties += A->ties;
            printf(
                "# (D) AGF seed %lu: %d rounds, %ld utility steps, %.1f s; closest crossing test |S - c|/c = %.3g "
                "(%d below %g)\n#   round  epoch      new  neuron freq active  loss\n",
                seed, A->nr, A->usteps, util_now() - t0, A->margin, A->ties, AGF_TIE);
            char row[8192];
            for (int r = 0; r < A->nr; r++) {
                int o = snprintf(row, sizeof row, "%lu\t%d\t%.10g\t%.10g\t%d\t%d\t%d\t%d\t%.10g", seed, r + 1, A->t[r],
                                 A->t[r] / tu, A->neuron[r], A->nnew[r], A->freq[r], A->nact[r], A->loss[r]);
                for (int k = 0; k < K; k++) o += snprintf(row + o, sizeof row - o, "\t%.8g", A->pw[r][k]);
                for (int k = 0; k < K; k++) o += snprintf(row + o, sizeof row - o, "\t%.8g", A->mag[r][k]);
                tsv_row(ta, "%s", row);
                printf("#   %-5d  %-9.1f  %-3d  %-6d %-4d %-6d  %.6g\n", r + 1, A->t[r] / tu, A->nnew[r], A->neuron[r],
                       A->freq[r], A->nact[r], A->loss[r]);
            }
            // The step-function curve: before round 1 the zero function (magnitudes 0).
            double Lp = A->L0, *mp = XNEW(double, K);
            int o = snprintf(row, sizeof row, "%lu\t1\t%.10g", seed, Lp);
            for (int k = 0; k < K; k++) o += snprintf(row + o, sizeof row - o, "\t0");
            tsv_row(tc, "%s", row);
            for (int r = 0; r <= A->nr; r++) {
                double e = r < A->nr ? A->t[r] / tu : (double)P.epochs;
                for (int pass = 0; pass < (r < A->nr ? 2 : 1); pass++) {
                    if (pass) {
                        Lp = A->loss[r];
                        for (int k = 0; k < K; k++) mp[k] = A->mag[r][k];
                    }
                    o = snprintf(row, sizeof row, "%lu\t%.10g\t%.10g", seed, e, Lp);
                    for (int k = 0; k < K; k++) o += snprintf(row + o, sizeof row - o, "\t%.8g", mp[k]);
                    tsv_row(tc, "%s", row);
                }
            }
            free(mp);
            // Per neuron: when GD grows it and what it serves, against AGF (the mechanism of agf.C6).
            {
                nn *net = modadd_net(&T, H, seed, P.init);
                size_t *map = XNEW(size_t, (size_t)H * 3 * p);
                double *nrm = XNEW(double, H);
                opt_neuron_map_2layer(H, 2 * p, p, net->off[1], net->off[2], map);
                neuron_norms(net, map, H, 3 * p, nrm);
                printf("#   neuron  |theta(0)|  GD epoch |theta| > 0.1 (freq at end)   AGF activation epoch (freq)\n");
                for (int i = 0; i < H && i < AGF_MAX_NEURONS; i++) {
                    double tg = run_gd ? runs[si].tbig[i] : NAN;
                    int fg = run_gd ? runs[si].fend[i] : 0;
                    tsv_row(tn, "%lu\t%d\t%.10g\t%.10g\t%d\t%.10g\t%d", seed, i, nrm[i], tg, fg, A->tact[i] / tu,
                            A->fact[i]);
                    printf("#   %-6d  %-10.4g  %-9.0f (f%d)                     %-9.0f (f%d)\n", i, nrm[i], tg, fg,
                           A->tact[i] / tu, A->fact[i]);
                }
                free(map), free(nrm);
                nn_free(net);
            }
            // agf.C5a: every level reached (the AGF loss passes below it) must be a plateau of AGF.
            printf("#   AGF levels:");
            for (int j = 1; j <= nchk; j++) {
                double best = INFINITY;
                for (int r = 0; r < A->nr; r++) best = fmin(best, fabs(A->loss[r] / T.lev[j] - 1));
                int reached = A->nr && A->loss[A->nr - 1] <= T.lev[j] * (1 + 1e-3);
                if (reached) max_lev_err = fmax(max_lev_err, best);
                else agf_ok = 0;
                printf(" L_%d %s (%.2g)", j, reached ? "reached" : "not reached", best);
            }
            // Order: the round at which each frequency's magnitude first reaches |x^_k|/2.
            double prev = -1;
            printf("\n#   AGF half-rise rounds:");
            for (int j = 0; j < T.nlev; j++) {
                int k = T.freq[j], rk = -1;
                double xk = xhat(&T, k);
                for (int r = 0; r < A->nr && rk < 0; r++)
                    if (A->mag[r][k - 1] >= 0.5 * xk) rk = r;
                printf(" f%d %d", k, rk + 1);
                if (j < nchk) {
                    if (!(rk > prev)) order_ok = 0;
                    prev = rk;
                }
            }
            // agf.C6: AGF drop j = the first round whose loss is below the drop level; in epochs.
            printf("\n#   drops (AGF epoch / GD epoch):");
            for (int j = 1; j <= T.nlev; j++) {
                double lvl = drop_level(&T, j), ta_ep = NAN;
                int ra = -1;
                for (int r = 0; r < A->nr && ra < 0; r++)
                    if (A->loss[r] <= lvl) ta_ep = A->t[r] / tu, ra = r;
                double tg = run_gd ? gd_drop[si][j] : NAN, ratio = ta_ep / tg;
                int nbig = -1;
                if (run_gd && !isnan(tg)) {
                    modadd_run *R = &runs[si];
                    for (long r = 0; r < R->nrec; r++)
                        if (R->rep[r] <= tg) nbig = R->nbig[r];
                }
                tsv_row(td, "%lu\t%d\t%d\t%.10g\t%.10g\t%.10g\t%.6g\t%d\t%d", seed, j, T.freq[j - 1], lvl, tg, ta_ep,
                        ratio, nbig, ra >= 0 ? A->nact[ra] : -1);
                if (run_gd) {
                    double *lo = j == T.nlev ? &lo_last : &lo_later, *hi = j == T.nlev ? &hi_last : &hi_later;
                    if (j == 1) first_err = isnan(ratio) ? INFINITY : fmax(first_err, fabs(ratio - 1));
                    else if (isnan(ratio)) *lo = 0, *hi = INFINITY;
                    else *lo = fmin(*lo, ratio), *hi = fmax(*hi, ratio);
                    if (j > 1 && j == T.nlev) nlast++;
                    else if (j > 1) nlater++;
                    if (nbig >= 0 && ra >= 0)
                        max_dn = abs(nbig - A->nact[ra]) > max_dn ? abs(nbig - A->nact[ra]) : max_dn;
                }
                printf(" %.0f/%.0f = %.3f [GD %d big, AGF %d active]", ta_ep, tg, ratio, nbig,
                       ra >= 0 ? A->nact[ra] : -1);
                snprintf(ratios + strlen(ratios), sizeof ratios - strlen(ratios), "%s%.3f", *ratios ? " " : "", ratio);
            }
            printf("\n");
            free(A);
        }
        tsv_close(ta);
        tsv_close(tc);
        tsv_close(td);
        tsv_close(tn);
        // Tolerance 0.3 %, the band of GD's dwells (agf.C1a): a cost phase of fixed length (the paper's
        // 1e4 momentum steps, 1000 time units) stops while the loss still creeps towards L_k, as GD's
        // dwells do (measured: 0.04-0.18 % above L_k at seeds 1-3).
        claim_check("agf.C5a", CLAIM_EXPERIMENT, agf_ok && max_lev_err <= AGF_LEVEL_TOL,
                    "AGF: max |plateau/L_k - 1| over levels L_1..L_K-1", max_lev_err,
                    "0.003 (and every level reached)");
        if (onehot) claim_skip("agf.C5b", CLAIM_EXPERIMENT, "--mags onehot: no order predicted");
        else
            claim_check("agf.C5b", CLAIM_EXPERIMENT, order_ok,
                        "AGF: frequencies learned in decreasing |x^_k| (1 = yes)", order_ok, "1");
        claim_report("agf.C5d", CLAIM_IDENTITY,
                     "AGF: closest crossing test |S_i - c_i|/c_i (a flip needs a last-bit change this large)",
                     min_margin);
        if (nties)
            printf(
                "# agf.C5d: %d crossing tests within %g of the threshold: those decisions may differ between BLAS "
                "kernels\n",
                nties, AGF_TIE);
        if (run_gd) {
            claim_check("agf.C6a", CLAIM_EXPERIMENT, first_err <= AGF_FIRST_TOL,
                        "AGF/GD first drop epoch, max |ratio - 1| over seeds", first_err, "0.05");
            if (nlater)
                claim_check("agf.C6b", CLAIM_EXPERIMENT, lo_later >= AGF_LATER_LO && hi_later <= AGF_LATER_HI,
                            "AGF/GD drops to the later nonzero levels, ratio farthest from 1",
                            fabs(hi_later - 1) > fabs(1 - lo_later) ? hi_later : lo_later,
                            "ratios in [" STR(AGF_LATER_LO) ", " STR(AGF_LATER_HI) "]");
            else claim_skip("agf.C6b", CLAIM_EXPERIMENT, "no drop between the first and the last in this template");
            if (nlast)
                claim_check("agf.C6c", CLAIM_EXPERIMENT, lo_last >= AGF_LATER_LO && hi_last <= AGF_LATER_HI,
                            "AGF/GD last drop (the weakest frequency), ratio farthest from 1",
                            fabs(hi_last - 1) > fabs(1 - lo_last) ? hi_last : lo_last,
                            "ratios in [" STR(AGF_LATER_LO) ", " STR(AGF_LATER_HI) "]");
            else claim_skip("agf.C6c", CLAIM_EXPERIMENT, "one frequency only");
            claim_report("agf.C6d", CLAIM_EXPERIMENT,
                         "max |GD neurons with |theta| > 0.1 - AGF active neurons| at the drops", max_dn);
            printf("# agf.C6: ratios %s", ratios);
            if (nlater) printf(" (later drops %.3f-%.3f)", lo_later, hi_later);
            if (nlast) printf(" (last drop %.3f-%.3f)", lo_last, hi_last);
            printf("\n");
        } else {
            claim_skip("agf.C6a", CLAIM_EXPERIMENT, "needs the GD runs (--case modadd or all)");
            claim_skip("agf.C6b", CLAIM_EXPERIMENT, "needs the GD runs (--case modadd or all)");
            claim_skip("agf.C6c", CLAIM_EXPERIMENT, "needs the GD runs (--case modadd or all)");
        }
    }
    for (int si = 0; si < ns && run_gd; si++) modadd_run_free(&runs[si]);
    free(runs), free(th0max);
    modadd_free(&T);
}
