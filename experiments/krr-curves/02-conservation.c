// ---- experiment E1: the conservation law on the circle Z_10 ----
//
// For a fixed training set $D$ and target $g$, KRR on the noiseless labels $g(D)$ gives
// $\hat f_g$ and the D-learnability $\mathcal{L}^{(D)}(g) = \langle g,\hat f_g\rangle/\langle g,g\rangle$.
// On a finite domain $X$ with uniform $\mu$, $\langle g,\hat f_g\rangle = \frac1M g_X^\top K_{XD}
// (K_{DD}+\delta I)^{-1} g_D$, and completeness of any orthonormal basis gives
// $\sum_j \mathcal{L}^{(D)}(g_j) = \mathrm{Tr}[K_{DD}(K_{DD}+\delta I)^{-1}]$, which is $n$
// ridgeless.  We evaluate every term explicitly: all basis functions are right-hand sides of one
// Cholesky solve, and the predictions on the whole domain are one GEMM.
//
// D-learnabilities of the columns of G (|X| x nb, orthonormal basis functions on X):
// Lout[j] = (1/|X|) sum_x G[x,j] f_hat_j(x).  K is the |X| x |X| Gram matrix.
static int d_learnabilities(int Xn, const double *K, const double *G, int nb, const size_t *D, int n, double delta,
                            double *Lout, double *pred) {
    double *KDD = xmalloc((size_t)n * n, sizeof *KDD), *KXD = xmalloc((size_t)Xn * n, sizeof *KXD);
    double *A = xmalloc((size_t)n * nb, sizeof *A);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) KDD[(size_t)i * n + j] = K[D[i] * Xn + D[j]];
        for (int b = 0; b < nb; b++) A[(size_t)i * nb + b] = G[D[i] * nb + b];
    }
    for (int x = 0; x < Xn; x++)
        for (int j = 0; j < n; j++) KXD[(size_t)x * n + j] = K[(size_t)x * Xn + D[j]];
    int info = krr_solve(n, KDD, delta, nb, A, Xn, KXD, pred);  // pred (Xn, nb)
    if (info == 0)
        for (int b = 0; b < nb; b++) {
            double s = 0;
            for (int x = 0; x < Xn; x++) s += G[(size_t)x * nb + b] * pred[(size_t)x * nb + b];
            Lout[b] = s / Xn;
        }
    free(KDD), free(KXD), free(A);
    return info;
}

// The right side of the law: Tr[K_DD (K_DD + delta I)^{-1}] = n - delta Tr[(K_DD + delta I)^{-1}]
// (n exactly when delta = 0), computed independently of the basis by dpotrf + dpotri.
static double trace_ratio(int Xn, const double *K, const size_t *D, int n, double delta) {
    if (delta == 0) return n;
    double *KDD = xmalloc((size_t)n * n, sizeof *KDD), tr;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) KDD[(size_t)i * n + j] = K[D[i] * Xn + D[j]];
    int info = krr_trace_inverse(n, KDD, delta, &tr);
    if (info) DIE("Tr (K + delta I)^{-1}: Cholesky failed (info %d)", info);
    free(KDD);
    return n - delta * tr;
}

typedef struct {
    double worst_rel;  // max |sum L - n| / n (krr.C1)
    int draws;
} cons_stats;
static cons_stats st_circle;  // krr.C1 (circle draws; the claim is printed with the cube's)

// The circle Z_10: points (cos th_j, sin th_j); real Fourier basis 1, sqrt2 cos k th, sqrt2 sin k th
// (0 < k < M/2), cos(pi j) at k = M/2, columns ordered by frequency (G is M x M, row = point).
#define CIRCLE_M 10
static void circle_basis(double *X, double *G, int *freq) {
    const int M = CIRCLE_M;
    for (int j = 0; j < M; j++) {
        double th = 2 * M_PI * j / M;
        X[2 * j] = cos(th), X[2 * j + 1] = sin(th);
        int b = 0;
        G[j * M + b] = 1, freq[b++] = 0;
        for (int k = 1; k < M / 2; k++) {
            G[j * M + b] = M_SQRT2 * cos(k * th), freq[b++] = k;
            G[j * M + b] = M_SQRT2 * sin(k * th), freq[b++] = k;
        }
        G[j * M + b] = cos(M_PI * j), freq[b++] = M / 2;
    }
}
// The kernels of the circle's bars; the NTK's training sets are the networks' too.
#define CIRCLE_NTK 2
static const struct {
    const char *name;
    double bw;
} circle_kernels[3] = {{"laplace", 1.0}, {"gaussian", 0.5}, {"ntk", 1.0}};

static void e1_circle(tsv *t, const int *ns, int nsz, double delta, cons_stats *st, double *train_worst) {
    const int M = CIRCLE_M;
    double X[2 * CIRCLE_M], G[CIRCLE_M * CIRCLE_M], K[CIRCLE_M * CIRCLE_M], L[CIRCLE_M], pred[CIRCLE_M * CIRCLE_M];
    int freq[CIRCLE_M];
    circle_basis(X, G, freq);
    for (int q = 0; q < 3; q++) {
        kernel_spec k = kspec(circle_kernels[q].name, circle_kernels[q].bw);
        kernel_gram_sym(&k, M, 2, X, K);
        for (int a = 0; a < nsz; a++) {
            int n = ns[a];
            gsl_rng *r = stream(RNG_CIRCLE, q, a);
            size_t D[10];
            if (rng_subset(r, M, n, D)) DIE("rng_subset: %s", sim_last_error());
            rng_free(r);
            int info = d_learnabilities(M, K, G, M, D, n, delta, L, pred);
            if (info)
                DIE("circle %s n = %d: Cholesky failed (info %d); the Gram matrix is singular", circle_kernels[q].name,
                    n, info);
            if (delta == 0) train_check(train_ratio(n, D, M, pred, G), "circle", n, train_worst);
            double S = 0, ref = trace_ratio(M, K, D, n, delta);
            for (int b = 0; b < M; b++) {
                S += L[b];
                tsv_row(t, "%s\t%d\t%d\t%d\t%.15g", circle_kernels[q].name, n, b, freq[b], L[b]);
            }
            double rel = fabs(S - ref) / ref;
            if (rel > st->worst_rel) st->worst_rel = rel;
            st->draws++;
        }
    }
}

// ---- the circle's learning curves (paper Fig. 2, circle panel) ----
//
// M = 256 equally spaced points of the unit circle (one radius for theory and experiment), the
// paper's kernel (ReLU NTK, 4 hidden layers), targets the unit-norm modes phi_0 = 1 and
// phi_k = sqrt2 cos k theta for the paper's k = 2, 5, 10.  Theory: the exact spectrum, the DFT of
// the Gram matrix's first row over M (common/circulant), each frequency a mode of multiplicity 1,
// and the eigenframework.  Experiment: ridgeless KRR on n points drawn without replacement; L and
// MSE over all M points (the paper's test set).  Drawing without replacement from a finite set
// is not i.i.d. sampling, so the comparison is asserted for n <= M/4 only.
#define CIRCLE_LC_M 256
#define CIRCLE_LC_T 4
static const int circle_lc_k[CIRCLE_LC_T] = {0, 2, 5, 10};
typedef struct {
    const int *ns;
    int nsz, trials;
} circle_lc_cfg;
static struct {
    double worst_dL, worst_ratio;  // all n: max |L_exp - L_th|; max MSE_exp/MSE_th where MSE_th >= 0.01
    double sum_dL, var;            // 8 <= n <= M/4: sum of (mean L_exp - L_th) and of its s.e.^2
    int rows;
} st_circle_lc;

typedef struct {
    const ef_spectrum *s;
} circle_th_par;
static void circle_theory(double n, int k, double *L, double *mse, void *par) {
    circle_th_par *q = par;
    theory_level(q->s, n, 0.0, 0.0, k, L, mse);
}

static void e2_circle_curves(const circle_lc_cfg *g) {
    const int M = CIRCLE_LC_M, nt = CIRCLE_LC_T;
    double *X = xmalloc(2 * (size_t)M, sizeof *X), *K = xmalloc((size_t)M * M, sizeof *K);
    double *G = xmalloc((size_t)M * nt, sizeof *G), *lam = xmalloc((size_t)M, sizeof *lam);
    double *pred = xmalloc((size_t)M * nt, sizeof *pred), L[CIRCLE_LC_T];
    size_t *D = xmalloc((size_t)M, sizeof *D);
    for (int j = 0; j < M; j++) {
        double th = 2 * M_PI * j / M;
        X[2 * j] = cos(th), X[2 * j + 1] = sin(th);
        for (int q = 0; q < nt; q++) G[j * nt + q] = circle_lc_k[q] ? M_SQRT2 * cos(circle_lc_k[q] * th) : 1.0;
    }
    kernel_spec k = kspec("ntk", 1.0);
    kernel_gram_sym(&k, M, 2, X, K);
    if (circulant_spectrum(M, K, lam)) DIE("circle spectrum: circulant_spectrum failed");
    for (int m = 0; m < M; m++)
        if (lam[m] < 0) lam[m] = 0;  // rounding: |lam| < 1e-16 far out
    ef_spectrum s = {.M = (size_t)M, .lam = lam};
    if (spectra_out)
        for (int m = 0; m <= M / 2; m++)
            tsv_row(spectra_out, "circle\t%d\t%.10g\t%d\t1", m, lam[m], m == 0 || m == M / 2 ? 1 : 2);
    lc_row *rows = XNEW(lc_row, (size_t)g->nsz * nt);
    double tw = 0;
    for (int a = 0; a < g->nsz; a++) {
        int n = g->ns[a];
        for (int q = 0; q < nt; q++) {
            lc_row *r = &rows[a * nt + q];
            r->n = n, r->target = circle_lc_k[q], r->trials = g->trials;
            theory_level(&s, n, 0.0, 0.0, circle_lc_k[q], &r->L_th, &r->mse_th);
            r->L = xmalloc((size_t)g->trials, sizeof(double));
            r->mse = xmalloc((size_t)g->trials, sizeof(double));
        }
        for (int t = 0; t < g->trials; t++) {
            gsl_rng *rg = stream(RNG_CIRCLE_LC, n, t);
            if (rng_subset(rg, M, n, D)) DIE("rng_subset: %s", sim_last_error());
            rng_free(rg);
            int info = d_learnabilities(M, K, G, nt, D, n, 0.0, L, pred);
            if (info) DIE("circle M = %d, n = %d: Cholesky failed (info %d)", M, n, info);
            train_check(train_ratio(n, D, nt, pred, G), "circle 256", n, &tw);
            for (int q = 0; q < nt; q++) {
                double m2 = 0;
                for (int x = 0; x < M; x++)
                    m2 += (pred[x * nt + q] - G[x * nt + q]) * (pred[x * nt + q] - G[x * nt + q]);
                rows[a * nt + q].L[t] = L[q], rows[a * nt + q].mse[t] = m2 / M;
            }
        }
        for (int q = 0; q < nt; q++) {
            lc_row *r = &rows[a * nt + q];
            double Le = fit_mean(r->L, r->trials), me = fit_mean(r->mse, r->trials), se = fit_stderr(r->L, r->trials);
            st_circle_lc.worst_dL = fmax(st_circle_lc.worst_dL, fabs(Le - r->L_th));
            if (r->mse_th >= 0.01) st_circle_lc.worst_ratio = fmax(st_circle_lc.worst_ratio, me / r->mse_th);
            if (n >= 8 && 4 * n <= M)
                st_circle_lc.sum_dL += Le - r->L_th, st_circle_lc.var += se * se, st_circle_lc.rows++;
        }
    }
    train_report("circle 256", tw);
    char desc[200], note[600];
    kernel_describe(&k, desc, sizeof desc);
    snprintf(note, sizeof note,
             "circle of M = %d points (unit radius), kernel %s, ridge 0; target k: sqrt2 cos k theta (k = 0: 1); "
             "L and mse over all %d points, training sets drawn without replacement",
             M, desc, M);
    write_learning("circle", "krr.C15", rows, g->nsz * nt, note);
    circle_th_par par = {&s};
    write_theory("circle", "krr.C15", 1, g->ns[g->nsz - 1], circle_lc_k, nt, circle_theory, &par);
    free_rows(rows, g->nsz * nt);
    free(rows), free(X), free(K), free(G), free(lam), free(pred), free(D);
}

// krr.C15, a deviation.  On the circle the eigenframework is not accurate: at 8 <= n <= 64 the
// measured learnability sits below the theory at every target of the paper (k = 0, 2, 5, 10), by up
// to 0.10 (k = 10, n = 32), and the test MSE is 2-9 times the theory's where it is small (0.009 vs
// 0.0017 at k = 2, n = 32; seed 1).  This is the low-dimensional failure of the Gaussian-design
// assumption behind the equations (in one dimension the Fourier modes alias strongly); on the
// paper's linear axes (MSE in [0, 1.2], L in [0, 1]) it is hardly visible.  Asserted: the mean of
// L_exp - L_th over 8 <= n <= 64 and the four targets is below zero by more than 2 standard errors,
// and the worst |L_exp - L_th| over all n stays below 0.15 (measured 0.098, 0.079, 0.082 at seeds
// 1, 2, 3).
static void claims_circle_curves(void) {
    char what[300];
    int r = st_circle_lc.rows;
    double mean = r ? st_circle_lc.sum_dL / r : NAN, se = r ? sqrt(st_circle_lc.var) / r : NAN;
    snprintf(what, sizeof what,
             "circle of 256 points, NTK: mean (L_exp - L_th) over %d (n, k) with 8 <= n <= 64 (s.e. "
             "%.4f; max |L_exp - L_th| = %.4f, tolerance 0.15; max MSE_exp/MSE_th where MSE_th >= 0.01: %.2f)",
             r, se, st_circle_lc.worst_dL, st_circle_lc.worst_ratio);
    if (C.quick) claim_report("krr.C15", CLAIM_DEVIATION, what, mean);
    else
        claim_check("krr.C15", CLAIM_DEVIATION, r > 0 && mean <= -2 * se && st_circle_lc.worst_dL <= 0.15, what, mean,
                    "<= -2 s.e.; |dL| <= 0.15");
}
