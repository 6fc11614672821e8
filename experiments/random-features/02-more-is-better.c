// ---- rf.C2: more is better (theory) ----
// For every spectrum, min_delta E_te is non-increasing in k (n = 256) and in n (k = 256).
static void part_c2(int quick) {
    double alphas_f[] = {1.2, 1.5, 2}, alphas_q[] = {1.5, 2};
    double ks_f[] = {8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 1e5}, ks_q[] = {8, 64, 512, 1e5};
    double ns_f[] = {16, 32, 64, 128, 256, 512, 1024, 2048, 4096}, ns_q[] = {16, 128, 1024};
    int na = quick ? 2 : 3, nk = quick ? 4 : 11, nn = quick ? 3 : 9;
    double *alphas = quick ? alphas_q : alphas_f, *ks = quick ? ks_q : ks_f, *ns = quick ? ns_q : ns_f;
    long M = 2000;
    double worst = -INFINITY;
    int ok = 1, count = 0;
    tsv *T = tsv_open(&C, "c2_more_is_better.tsv", "rf.C2");
    tsv_allow_nonfinite(T, 1);
    tsv_note(T, "theory: min over delta of E_te; sweep = k (n = 256) or n (k = 256); M = %ld modes, no tail", M);
    tsv_columns(T, "alpha\tbeta\teps2\tsweep\tvalue\tEte_min\tdelta_star");
    for (int ia = 0; ia < na; ia++) {
        double al = alphas[ia], betas[3] = {1.2, al, 2 * al};
        for (int ib = 0; ib < (quick ? 2 : 3); ib++)
            for (int ie = 0; ie < 2; ie++) {
                double *lam = powerlaw(M, al), *v2 = powerlaw(M, betas[ib]);
                rfeig_task t = {.M = (size_t)M, .lambda = lam, .v2 = v2, .noise = ie ? 0.5 : 0.0};
                for (int sw = 0; sw < 2; sw++) {
                    double prev = INFINITY;
                    int N = sw ? nn : nk;
                    for (int j = 0; j < N; j++) {
                        double n = sw ? ns[j] : 256, k = sw ? 256 : ks[j];
                        optimum o = optimal_ridge(&t, n, k, 1e-6, 1e2, quick ? 41 : 81, quick ? 1e-6 : 1e-10);
                        tsv_row(T, "%g\t%g\t%g\t%s\t%g\t%.10g\t%.6g", al, betas[ib], t.noise, sw ? "n" : "k",
                                sw ? n : k, o.Ete, o.dstar);
                        if (al == 1.5 && betas[ib] == 1.5 && ie && !sw)
                            fprintf(stderr,
                                    "rf.C2 alpha=beta=1.5 eps2=0.5 n=256 k=%g: min E_te = %.4f at delta* = %.3g\n", k,
                                    o.Ete, o.dstar);
                        if (isfinite(prev)) {
                            double r = o.Ete / prev - 1;
                            if (r > worst) worst = r;
                            if (r > 1e-9) ok = 0;
                            count++;
                        }
                        prev = o.Ete;
                    }
                }
                free(lam), free(v2);
            }
        progress("rf.C2: alpha %g", al);
    }
    tsv_close(T);
    char what[160];
    snprintf(what, sizeof what, "max relative increase of min_delta E_te over %d consecutive (k or n) pairs", count);
    claim_check("rf.C2", CLAIM_IDENTITY, ok, what, worst, "<= 1e-9");
}
