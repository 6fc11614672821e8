// ---- rf.C1: solver limits (identity) ----
// The solver treats delta = 0 in closed form (k < n: $\delta/\kappa := n - k$, so
// $E_0 = n/(n-k)$; k > n: $z = n$; k = n: $E_0 = \infty$).  Comparing those branches with
// themselves proves nothing, so every limit here is reached through the general delta > 0
// root-finder at $\delta = 10^{-12}$ and compared with the closed form:
//   (a) KRR limit: $E_{te}$ at k = 1e9 (RF formula) vs k = inf (KRR formula), delta = 0.01;
//   (b) k < n: $E_0(\delta=10^{-12}) = n/(n-k)$ and $E_{te}$ equals the ridgeless branch's;
//   (c) k > n: $E_0$, $E_{te}$ at $\delta = 10^{-12}$ equal the ridgeless branch's ($z = n$);
//   (d) k = n: $E_0$ grows without bound as $\delta \to 0$ (by > 10x per 1e-6 in delta).
// Tolerances: (a) 1e-6 (the RF correction at k = 1e9 is O(n/k) ~ 3e-7); (b), (c) 1e-6: the
// first-order term in delta is O(delta / kappa_k) with kappa_k the ridgeless kappa (~1e-3 here),
// so ~1e-9, and the root is found to ~1e-15 in log gamma.
static void part_c1(void) {
    long M = 2000;
    double *lam = powerlaw(M, 1.5), *v2 = powerlaw(M, 1.5), n = 256, d0 = 1e-12;
    rfeig_task t = {.M = (size_t)M, .lambda = lam, .v2 = v2, .noise = 0.5};
    double a = rf(&t, n, 1e9, 0.01).Ete, b = rf(&t, n, INFINITY, 0.01).Ete;
    double e1 = fabs(a / b - 1), e2 = 0, e3 = 0;
    for (int k = 8; k < 256; k *= 2) {  // (b) k < n
        rfeig_result g = rf(&t, n, k, d0), z = rf(&t, n, k, 0);
        e2 = fmax(e2, fmax(fabs(g.E0 / (n / (n - k)) - 1), fabs(g.Ete / z.Ete - 1)));
    }
    for (int k = 384; k <= 4096; k *= 2) {  // (c) k > n
        rfeig_result g = rf(&t, n, k, d0), z = rf(&t, n, k, 0);
        e3 = fmax(e3, fmax(fabs(g.E0 / z.E0 - 1), fabs(g.Ete / z.Ete - 1)));
    }
    double pk6 = rf(&t, n, n, 1e-6).E0, pk12 = rf(&t, n, n, d0).E0;  // (d) k = n
    int ok = e1 < 1e-6 && e2 < 1e-6 && e3 < 1e-6 && pk12 > 10 * pk6 && isfinite(pk12);
    fprintf(stderr,
            "rf.C1: KRR limit %.8f vs %.8f; k<n |E0/(n/(n-k)) - 1| = %.2g; k>n vs ridgeless %.2g; peak E0 = %.4g "
            "(delta 1e-6), %.4g (1e-12)\n",
            a, b, e2, e3, pk6, pk12);
    char what[240];
    snprintf(what, sizeof what,
             "worst relative gap, general solver at delta = 1e-12 vs closed forms (KRR limit %.1g; k<n E0 = n/(n-k) "
             "%.1g; k>n %.1g; k=n E0 %.3g at 1e-6 -> %.3g at 1e-12)",
             e1, e2, e3, pk6, pk12);
    claim_check("rf.C1", CLAIM_IDENTITY, ok, what, fmax(e1, fmax(e2, e3)), "1e-6 each; k = n: E0 x10 or more");
    free(lam), free(v2);
}
