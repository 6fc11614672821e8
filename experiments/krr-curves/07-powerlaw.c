// ---- theory checks: power-law spectra with 10^7 modes (krr.C7) ----
//
// For $\lambda_i = i^{-\alpha}$ the ridgeless continuum solution is
// $\kappa \approx [(\pi/\alpha)/\sin(\pi/\alpha)/n]^\alpha$ and $E_0 \to \alpha$.
// We solve the full equations on $M$ explicit modes (no tail) and compare.
typedef struct {
    double worst_E0_23, E0_15, worst_kappa;
    double E0[3];
} pl_stats;
static pl_stats st_pl;
static void c7_powerlaw(size_t M, int with_tail, tsv *t, pl_stats *ps) {
    double alphas[3] = {2, 3, 1.5}, ns[3] = {100, 1000, 10000};
    double *lam = xmalloc(M, sizeof *lam);
    for (int a = 0; a < 3; a++) {
        double al = alphas[a];
        for (size_t i = 0; i < M; i++) lam[i] = pow((double)(i + 1), -al);
        spectra_powerlaw_tail tp = {al, (double)M, 1.0};
        ef_spectrum s = {.M = M, .lam = lam};
        if (with_tail)
            s.tail = spectra_powerlaw_tail_fn, s.tail_par = &tp, s.tail_mass = spectra_powerlaw_tail_mass(al, M);
        for (int q = 0; q < 3; q++) {
            if (C.quick && q != 1) continue;
            ef_fit f = solve_or_die(&s, ns[q], 0.0);
            double kc = ef_powerlaw_kappa(al, ns[q]);
            tsv_row(t, "%g\t%g\t%zu\t%d\t%.10g\t%.10g\t%.6f\t%.8f", al, ns[q], M, with_tail, f.kappa, kc, f.kappa / kc,
                    f.E0);
            if (ns[q] != 1000) continue;
            ps->E0[a] = f.E0;
            if (al != 1.5) {
                ps->worst_E0_23 = fmax(ps->worst_E0_23, fabs(f.E0 / al - 1));
                ps->worst_kappa = fmax(ps->worst_kappa, fabs(f.kappa / kc - 1));
            } else ps->E0_15 = fabs(f.E0 / al - 1);
        }
        progress("power law alpha = %g done", al);
    }
    free(lam);
}

// krr.C7 is an identity: the solver against the continuum power-law formulas.
static void claims_powerlaw(void) {
    char what[256];
    int q = C.quick;
    snprintf(what, sizeof what,
             "%s: max |E0(1000)/alpha - 1| for alpha = 2, 3 (alpha = 1.5: %.4f, tol 0.015; "
             "max |kappa/kappa_cont - 1| = %.4f, tol 0.01)",
             q ? "1e6 modes + analytic tail" : "1e7 modes, no tail", st_pl.E0_15, st_pl.worst_kappa);
    claim_check("krr.C7", CLAIM_IDENTITY,
                st_pl.worst_E0_23 <= 0.01 && st_pl.E0_15 <= 0.015 && st_pl.worst_kappa <= 0.01, what, st_pl.worst_E0_23,
                "0.01");
}
