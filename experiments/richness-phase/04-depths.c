// ---- part D: eta* against depth on the ultra-rich side (richness.C4b, C4c) ----
//
// Chapter of richness-phase.c (included there at file scope).
//
// With thousands of steps the valley of good learning rates is flat over about a decade (final
// losses within 10 % of each other), and its argmin wanders by noise: at T = 4000, L = 4,
// gamma = 1 it sits at 10^-1.08 with seed 1 and 10^-1.63 with seed 2, and the argmin slopes over
// gamma = 1..100 were 0.669, 0.976, 0.713 at seeds 1-3.  The valley itself does not wander:
// eta* here is its centre, the geometric mean of the grid etas whose final loss is within
// VALLEY_FACTOR of the smallest (slopes 0.700, 0.750, 0.700 at seeds 1-3, same runs).  The
// argmin and the stability edge (the largest eta that ends below L0/2) are printed beside it.
// T = 8000: at T = 4000 the run half a decade below the centre was still on the plateau at
// L = 2, gamma = 100, seed 3 (0.59 L0); at 8000 it ends at 0.09 L0.
#define VALLEY_FACTOR 1.5
static double valley_centre(int ne, const double *eta, const double *loss) {
    double m = INFINITY, acc = 0;
    int n = 0;
    for (int k = 0; k < ne; k++)
        if (isfinite(loss[k])) m = fmin(m, loss[k]);
    for (int k = 0; k < ne; k++)
        if (isfinite(loss[k]) && loss[k] <= VALLEY_FACTOR * m) acc += log10(eta[k]), n++;
    return n ? pow(10.0, acc / n) : NAN;
}
//
// The phase diagram at one depth cannot test the exponent 2/L: its band of slopes would contain
// the value of a neighbouring depth.  Here the ultra-rich side (gamma in [1, 100], half-decade
// steps) is swept at two depths with the same width, data and test set, for T = --cmp-steps
// steps, long enough that the runs half a decade below eta* have left the plateau (richness.C4c:
// otherwise eta* would mark the end of the plateau, not the optimum).  eta* is the centre of
// the valley of good learning rates (below).  richness.C4b: the two
// slopes differ by more than twice their combined standard error, and each lies within
// UR_SLOPE_TOL of (T1)'s slope over the same gammas.
static void part_depths(void) {
    const int nd = P.cmp_depths.n, N = P.width;
    const long T = P.cmp_steps;
    double gam[5], etas[CLI_LIST_MAX];
    const int ng = 5;
    for (int j = 0; j < ng; j++) gam[j] = pow(10.0, j / 2.0);
    int ne = 0;
    for (int k = -10; k <= 10; k++) etas[ne++] = pow(10.0, k / 4.0);  // 10^-2.5 .. 10^2.5
    if (C.quick) {
        claim_skip("richness.C4b", CLAIM_EXPERIMENT, "default only (two full ultra-rich sweeps)");
        claim_skip("richness.C4c", CLAIM_EXPERIMENT, "default only (two full ultra-rich sweeps)");
        return;
    }
    tsv *t = tsv_open(&C, "depths.tsv", "richness.C4b richness.C4c");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t,
             "ultra-rich eta* against depth: centred muP MLP, N = %d, d = %d, B = %d, T = %ld online SGD steps, "
             "eta grid 10^(k/4), k = -10..10; eta_star: centre (geometric mean) of the grid etas with final loss "
             "<= %g x the minimum; eta_argmin: the parabola-refined argmin; eta_edge: largest eta ending below L0/2; "
             "loss_below: final loss at the grid eta nearest eta*/10^0.5",
             N, P.din, P.batch, T, VALLEY_FACTOR);
    tsv_columns(t,
                "L\tgamma\teta_star\tlog10_eta_star\teta_T1\tmin_loss_over_L0\tloss_below_over_L0\tslope\tslope_se"
                "\tslope_T1\teta_argmin\teta_edge");
    tsv *tg = tsv_open(&C, "depths_grid.tsv", "richness.C4b richness.C4c");
    tsv_allow_nonfinite(tg, 1);  // a diverged cell's loss is nan
    tsv_note(tg, "final test loss of every cell of the depth comparison (T = %ld)", T);
    tsv_columns(tg, "L\tgamma\teta\tloss_over_L0");
    double sl[MAXL], se[MAXL], th[MAXL], worst_below = 0;
    double t0 = util_now();
    for (int i = 0; i < nd; i++) {
        const int L = (int)P.cmp_depths.v[i];
        mlp_setup M = mlp_alloc(C.seed, L, N, P.din, P.batch, T, P.n_test);
        double es[5], lm[5], below[5], ea[5], ee[5];
        for (int j = 0; j < ng; j++) {
            mlp_set_gamma(&M, gam[j]);
            double ll[CLI_LIST_MAX], raw[CLI_LIST_MAX];
            for (int k = 0; k < ne; k++) {
                progress("depths: L = %d, gamma %g, eta %g (%.0f s)", L, gam[j], etas[k], util_now() - t0);
                long ds;
                raw[k] = mlp_train(&M, N * etas[k], T, 0, NULL, &ds) / M.L0;
                ll[k] = isfinite(raw[k]) ? log10(raw[k]) : NAN;
                tsv_row(tg, "%d\t%.6g\t%.6g\t%.8g", L, gam[j], etas[k], raw[k]);
            }
            int am;
            ea[j] = eta_star(ne, etas, ll, &am, &lm[j]);
            es[j] = valley_centre(ne, etas, raw);
            ee[j] = NAN;
            for (int k = 0; k < ne; k++)
                if (raw[k] < ESC_FRAC) ee[j] = etas[k];
            int kb = 0;  // the grid eta nearest eta*/10^0.5
            for (int k = 1; k < ne; k++)
                if (fabs(log10(etas[k]) - log10(es[j]) + 0.5) < fabs(log10(etas[kb]) - log10(es[j]) + 0.5)) kb = k;
            below[j] = raw[kb];
            worst_below = isfinite(below[j]) ? fmax(worst_below, below[j]) : INFINITY;
        }
        sl[i] = slope_se_in(ng, gam, es, UR_LO, UR_HI, &se[i]);
        th[i] = t1_slope(L, ng, gam, UR_LO, UR_HI);
        double sea, see, sla = slope_se_in(ng, gam, ea, UR_LO, UR_HI, &sea),
                         sle = slope_se_in(ng, gam, ee, UR_LO, UR_HI, &see);
        printf("# depths: L = %d, T = %ld: log10 eta* (valley centre) =", L, T);
        for (int j = 0; j < ng; j++) printf(" %+.3f", log10(es[j]));
        printf("; slope %.3f +- %.3f, (T1) over the same gammas %.3f, asymptote 2/L = %.3f\n", sl[i], se[i], th[i],
               2.0 / L);
        printf("#   (argmin eta*: slope %.3f +- %.3f; stability edge: slope %.3f +- %.3f)\n", sla, sea, sle, see);
        for (int j = 0; j < ng; j++)
            tsv_row(t, "%d\t%.6g\t%.8g\t%.6f\t%.8g\t%.6g\t%.6g\t%.6g\t%.4g\t%.6g\t%.8g\t%.6g", L, gam[j], es[j],
                    log10(es[j]), eta_max_T1(L, gam[j]), lm[j], below[j], sl[i], se[i], th[i], ea[j], ee[j]);
        mlp_free(&M);
    }
    tsv_close(t);
    tsv_close(tg);
    // richness.C4b: the shallowest and the deepest depth of the list
    int a = 0, b = 0;
    for (int i = 1; i < nd; i++) {
        if (P.cmp_depths.v[i] < P.cmp_depths.v[a]) a = i;
        if (P.cmp_depths.v[i] > P.cmp_depths.v[b]) b = i;
    }
    if (a == b) {
        claim_skip("richness.C4b", CLAIM_EXPERIMENT, "--cmp-depths needs two different depths");
    } else {
        double gap = sl[a] - sl[b], err = sqrt(se[a] * se[a] + se[b] * se[b]);
        int each = 1;
        double worst = 0;
        for (int i = 0; i < nd; i++) {
            worst = isfinite(sl[i]) ? fmax(worst, fabs(sl[i] - th[i])) : INFINITY;
            if (!(fabs(sl[i] - th[i]) <= UR_SLOPE_TOL)) each = 0;
        }
        char what[240], tol[80];
        snprintf(what, sizeof what,
                 "slope(L=%ld) - slope(L=%ld) = %.3f - %.3f, in combined standard errors (%.3f; (T1): "
                 "%.3f - %.3f; max |slope - (T1)| = %.3f)",
                 P.cmp_depths.v[a], P.cmp_depths.v[b], sl[a], sl[b], err, th[a], th[b], worst);
        snprintf(tol, sizeof tol, ">= 2; each |slope - (T1)| <= %g", UR_SLOPE_TOL);
        claim_check("richness.C4b", CLAIM_EXPERIMENT, gap / err >= 2 && each, what, gap / err, tol);
    }
    claim_check("richness.C4c", CLAIM_EXPERIMENT, worst_below < ESC_FRAC,
                "max over (L, gamma) of the final loss/L0 half a decade below eta* (left the plateau)", worst_below,
                "< 0.5");
}

// The stability-edge half of richness.C7: log10 eta_edge(100) - log10 eta_edge(1) >= 0.5 and
