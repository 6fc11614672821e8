// ---- Z1: cost vs noise for power-law targets (theory) ----
// $\lambda_i = i^{-1.5}$, $M = 2\cdot10^5$ modes WITHOUT a tail (this exact instance has
// E0 = 1.52975 at n = 1000; the infinite spectrum would give 1.4993), targets
// $v_i^2 = i^{-\beta}/\sum_{j\le M} j^{-\beta}$ and pure noise.

#define NBETA 4
static const double z1_betas[NBETA] = {1.25, 1.5, 2.0, 2.5};
// cost.C3 reference values (beta, sigma^2) -> C at alpha = 1.5, M = 2e5, n = 1000, from an
// earlier, separately written implementation of the same eigenframework (a regression check,
// hence an identity: it applies to that parameter set only)
static const double z1_sig_tab[4] = {0, 0.01, 0.1, 1};
static const double z1_tab[NBETA][4] = {{1.03145, 1.03999, 1.10789, 1.32710},
                                        {1.00000, 1.01283, 1.16128, 1.39093},
                                        {1.00000, 1.14867, 1.36525, 1.47257},
                                        {1.00000, 1.34901, 1.45369, 1.49935}};

static double *powerlaw(long M, double a, int normalise) {
    double *x = XNEW(double, M), s = 0;
    for (long i = 0; i < M; i++) s += x[i] = pow((double)(i + 1), -a);
    if (normalise)
        for (long i = 0; i < M; i++) x[i] /= s;
    return x;
}

typedef struct {
    int ok_bound, ok_table, ok_mono, ok_one;
    double worst_bound, worst_table, worst_one;
    int tab_found;
} z1_result;

static void run_z1(int quick, z1_result *res) {
    long M = P.M;
    int G = quick ? 120 : P.grid;
    double n = (double)P.n;
    double *lam = powerlaw(M, P.alpha, 0);
    ef_spectrum s = {.M = (size_t)M, .lam = lam};
    // noise levels: sigma^2 = 0 plus 25 log-spaced in [1e-3, 10] plus the tabulated ones
    double sig[40];
    int ns = 0;
    if (quick) {
        sig[ns++] = 0, sig[ns++] = 0.1, sig[ns++] = 1;
    } else {
        sig[ns++] = 0;
        for (int j = 0; j < 25; j++) {
            double x = 1e-3 * pow(1e4, j / 24.0);
            for (int q = 1; q < 4; q++)  // snap the tabulated 0.01, 0.1, 1 (grid points j = 6, 12, 18)
                if (fabs(x / z1_sig_tab[q] - 1) < 1e-9) x = z1_sig_tab[q];
            sig[ns++] = x;
        }
    }
    int betas_idx[NBETA + 1], nb = 0;
    if (quick) betas_idx[nb++] = 0, betas_idx[nb++] = 3;
    else
        for (int b = 0; b < NBETA; b++) betas_idx[nb++] = b;
    int custom = cli_given(&C, "beta") || cli_given(&C, "noise");
    int ref_applies = P.M == 200000 && P.n == 1000 && P.alpha == 1.5;  // the reference table's instance

    tsv *T = tsv_open(&C, "z1_cost.tsv", "cost.C1 cost.C2 cost.C3 cost.C4");
    tsv_note(T, "Z1: lambda_i = i^-%g, i = 1..%ld (no tail), n = %g, %d log ridges in [%g, %g] + golden refinement",
             P.alpha, M, n, G, DLO, DHI);
    tsv_note(T, "target: beta > 0 power law normalised over the M modes; beta = 0 means pure noise (v = 0)");
    tsv_note(T, "delta_star: 0 = the limit delta -> 0 is optimal; inf = delta -> inf (zero predictor) is optimal");
    tsv_allow_nonfinite(T, 1);
    tsv_columns(T, "beta\tsigma2\tE0\tR0\tRmin\tdelta_star\tC\tC_over_E0");
    tsv *Tc = tsv_open(&C, "z1_curves.tsv", "cost.C3");
    tsv_note(Tc, "Z1 beta = 1.25: E0(delta), bias B(delta) and R(delta) = E0 (B + sigma^2) for sigma^2 = 0 and 1");
    tsv_columns(Tc, "delta\tE0\tB\tR_s0\tR_s1");

    res->ok_bound = res->ok_table = res->ok_mono = res->ok_one = 1;
    res->worst_bound = res->worst_table = res->worst_one = 0;
    res->tab_found = 0;
    // targets: the betas, then pure noise (k = nb), then the custom series
    int ntarg = nb + 1 + custom;
    double *v2s[NBETA + 2], betas[NBETA + 2];
    for (int k = 0; k < ntarg; k++) {
        betas[k] = k < nb ? z1_betas[betas_idx[k]] : (k == nb ? 0 : P.beta);
        v2s[k] = betas[k] > 0 ? powerlaw(M, betas[k], 1) : NULL;
    }
    rgrid g;
    grid_fill_many(&s, n, ntarg, v2s, G, &g);
    for (int k = 0; k < ntarg; k++) {
        double beta = betas[k], *v2 = v2s[k];
        task t = {.s = &s, .n = n, .v2 = v2, .v2sum = v2 ? 1.0 : 0.0};
        double E0, B0;
        ridgeless(&t, &E0, &B0);
        if (!v2) B0 = 0;
        double Cprev = 0;
        int nsig = k == nb + 1 ? 1 : ns;
        for (int j = 0; j < nsig; j++) {
            double s2 = k == nb + 1 ? P.noise : sig[j];
            if (k == nb && s2 == 0) continue;  // pure noise needs sigma^2 > 0
            if (k == nb && quick && s2 != 1) continue;
            cost_th o;
            // refinement to 1e-10 in log delta at the tabulated points, 1e-4 elsewhere (the
            // fine curve of the figure; R is flat at its minimum, so 1e-4 in log delta is a
            // relative error ~1e-9 in R) -- this keeps Z1 at ~10 s
            int tabulated = s2 == 0 || s2 == 0.01 || s2 == 0.1 || s2 == 1;
            cost_theory(&t, &g, k, E0, B0, s2, quick ? 1e-6 : tabulated ? 1e-10 : 1e-4, &o);
            tsv_row(T, "%g\t%.10g\t%.10g\t%.10g\t%.10g\t%.6g\t%.10g\t%.10g", beta, s2, o.E0, o.R0, o.Rmin, o.dstar, o.C,
                    o.C / o.E0);
            // cost.C1: C <= E0 (1 + 1e-9)
            double viol = o.C / o.E0 - 1;
            if (viol > res->worst_bound) res->worst_bound = viol;
            if (viol > 1e-9) res->ok_bound = 0;
            // cost.C3: the table (beta in the table, sigma^2 in {0, .01, .1, 1})
            if (k < nb)
                for (int q = 0; q < 4; q++)
                    if (s2 == z1_sig_tab[q]) {
                        if (ref_applies) {
                            double e = fabs(o.C / z1_tab[betas_idx[k]][q] - 1);
                            res->tab_found++;
                            if (e > res->worst_table) res->worst_table = e;
                            if (e > 2e-3) res->ok_table = 0;
                            fprintf(stderr,
                                    "Z1 beta=%g sigma2=%g: C = %.5f (reference %.5f), delta* = %.3g, E0 = %.5f\n", beta,
                                    s2, o.C, z1_tab[betas_idx[k]][q], o.dstar, o.E0);
                        } else
                            fprintf(stderr, "Z1 beta=%g sigma2=%g: C = %.5f, delta* = %.3g, E0 = %.5f\n", beta, s2, o.C,
                                    o.dstar, o.E0);
                        // cost.C4: non-decreasing over the four table points (they are visited in order)
                        if (o.C < Cprev * (1 - 1e-9)) res->ok_mono = 0;
                        Cprev = o.C;
                        // cost.C4: beta >= alpha and sigma^2 = 0 gives C = 1
                        if (s2 == 0 && beta >= P.alpha) {
                            double e1 = fabs(o.C - 1);
                            if (e1 > res->worst_one) res->worst_one = e1;
                            if (e1 > 1e-6) res->ok_one = 0;
                        }
                    }
        }
        if (k < nb && betas_idx[k] == 0) {
            for (int j = 0; j < G; j++)
                tsv_row(Tc, "%.6g\t%.10g\t%.10g\t%.10g\t%.10g", g.delta[j], g.E0[j], g.B[j], g.E0[j] * g.B[j],
                        g.E0[j] * (g.B[j] + 1));
        }
        progress("Z1: target %d/%d", k + 1, ntarg);
        free(v2);
    }
    grid_free(&g);
    tsv_close(T);
    tsv_close(Tc);
    free(lam);
}

// cost.C1 (Theorem 1) gathers the Z1 points and the Z4 instances; Z1 keeps its worst case here.
static struct {
    int ran, ok;
    double worst;
} theorem1_z1;

static void part_z1(int quick, int z4_follows) {
    z1_result r1 = {0};
    run_z1(quick, &r1);
    theorem1_z1.ran = 1, theorem1_z1.ok = r1.ok_bound, theorem1_z1.worst = r1.worst_bound;
    if (!z4_follows)
        claim_check("cost.C1", CLAIM_IDENTITY, r1.ok_bound, "max (C/E0 - 1) over Z1 points", r1.worst_bound, "<= 1e-9");
    // The equality case of Theorem 1 (pure noise: C = E0 at delta* = inf) holds by construction in
    // the theory (E0(delta) sigma^2 >= sigma^2 for every delta), so it is no claim of its own; the
    // simulation measures it (the pure-noise instances of cost.C5).
    if (P.M == 200000 && P.n == 1000 && P.alpha == 1.5 && r1.tab_found > 0)
        claim_check("cost.C3", CLAIM_IDENTITY, r1.ok_table,
                    "max |C/C_ref - 1| over the reference (beta, sigma^2) values", r1.worst_table, "2e-3");
    else claim_skip("cost.C3", CLAIM_IDENTITY, "the table belongs to alpha = 1.5, M = 2e5, n = 1000");
    claim_check("cost.C4a", CLAIM_IDENTITY, r1.ok_mono, "C non-decreasing in sigma^2 over {0, .01, .1, 1} (1 = yes)",
                r1.ok_mono, "yes");
    claim_check("cost.C4b", CLAIM_IDENTITY, r1.ok_one, "beta >= alpha, sigma^2 = 0: max |C - 1|", r1.worst_one, "1e-6");
}
