// ---- measurement: solver hygiene (w2v.C10) ----
//
// (a) The subset solver's top-k equals a full dsyevd (the only full decomposition in this
// program, at V = 500, as a check).  (b) QWEM-SGD's expected update over the exact pair
// distribution is $\eta\,\overline G\,(M^* - WW^\top)W$ (derivation: positives contribute
// $2\eta\sum_j P_{ij}\psi_{ij}(1 - s_{ij}/2)w_j$, negatives $-2\eta\sum_j P_iP_j\psi_{ij}(1 +
// s_{ij}/2)w_j$, and $\psi_{ij} = \overline G/G_{ij}$ turns the sum into $M^*_{ij} - s_{ij}$).
static void hygiene(void) {
    gsl_rng *r = rng_alloc(C.seed, S_HYGIENE);
    int n = 500, k = 20;
    double *A = XNEW(double, (size_t)n *n), *B = XNEW(double, (size_t)n *n), *w = XNEW(double, n);
    double *wt = XNEW(double, k);
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) A[(size_t)i * n + j] = A[(size_t)j * n + i] = rng_normal(r);
    memcpy(B, A, sizeof *A * (size_t)n * n);
    if (la_eigh(n, B, w, 0) || la_eigh_top(n, A, k, wt, NULL)) DIE("LAPACK failed in the solver check");
    double e = 0;
    for (int j = 0; j < k; j++) e = fmax(e, fabs(wt[j] - w[n - 1 - j]) / fabs(w[n - 1]));
    claim_check("w2v.C10a", CLAIM_IDENTITY, e <= 1e-10, "dsyevr top-20 vs full dsyevd at V = 500, max rel err", e,
                "1e-10");
    free(A), free(B), free(w), free(wt);

    // (b) V = 16, d = 3: P_ij = P_i P_j (1 + u_i u_j) with sum_j P_j u_j = 0, so the pair
    // marginals equal the unigram P_i (as in a long stream).
    enum { V = 16, d = 3 };
    double Pu[V], u[V], Pij[V * V], G[V * V], M[V * V], W[V * d], EW[V * d] = {0}, Wt[V * d];
    double ps = 0, mu = 0, umax = 0, Gm = 0;
    for (int i = 0; i < V; i++) Pu[i] = 0.2 + gsl_rng_uniform(r), ps += Pu[i];
    for (int i = 0; i < V; i++) Pu[i] /= ps, u[i] = rng_normal(r), mu += Pu[i] * u[i];
    for (int i = 0; i < V; i++) u[i] -= mu, umax = fmax(umax, fabs(u[i]));
    for (int i = 0; i < V; i++) u[i] *= 0.7 / umax;
    for (int i = 0; i < V; i++)
        for (int j = 0; j < V; j++) {
            Pij[i * V + j] = Pu[i] * Pu[j] * (1 + u[i] * u[j]);
            G[i * V + j] = Pij[i * V + j] + Pu[i] * Pu[j];
            M[i * V + j] = 2 * (Pij[i * V + j] - Pu[i] * Pu[j]) / G[i * V + j];
            Gm += G[i * V + j] / (V * V);
        }
    for (int t = 0; t < V * d; t++) W[t] = 0.4 * rng_normal(r);
    const double eta = 0.37;
    for (int c = 0; c < V; c++)
        for (int j = 0; j < V; j++)
            for (int lab = 0; lab < 2; lab++) {  // positive (c, j) w.p. P_cj; negative w.p. P_c P_j
                double prob = lab == 0 ? Pij[c * V + j] : Pu[c] * Pu[j];
                memcpy(Wt, W, sizeof W);
                train_pair(Wt, d, c, j, lab == 0 ? 1 : -1, eta, Gm / G[c * V + j], 1);
                for (int t = 0; t < V * d; t++) EW[t] += prob * (Wt[t] - W[t]);
            }
    // (M* - W W^T) W, directly
    double e2 = 0, scale = 0;
    for (int i = 0; i < V; i++)
        for (int a = 0; a < d; a++) {
            double g = 0;
            for (int j = 0; j < V; j++) {
                double sij = 0;
                for (int b = 0; b < d; b++) sij += W[i * d + b] * W[j * d + b];
                g += (M[i * V + j] - sij) * W[j * d + a];
            }
            g *= eta * Gm;
            e2 = fmax(e2, fabs(EW[i * d + a] - g)), scale = fmax(scale, fabs(g));
        }
    claim_check("w2v.C10b", CLAIM_IDENTITY, e2 / scale <= 1e-12,
                "QWEM-SGD expected update vs eta mean(G) (M* - WW^T) W, max rel err", e2 / scale, "1e-12");
    rng_free(r);
}
