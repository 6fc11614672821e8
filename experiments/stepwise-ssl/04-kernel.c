// ---- Part 4: the kernel version (ssl.C6) ----
//
// 04-kernel: part 4 -- the kernel version of the linear model, in representer form (ssl.C6).

// ---- experiment: the kernel version (representer form) ----
//
// Stack the 2n views X = (x_1..x_n, x'_1..x'_n), unit-normed after centring; K = ntk1b(X X^T)
// (2n, 2n); Z = (1/2n)[[0, I], [I, 0]].  The contrastive-kernel eigenvalues gamma_j and
// vectors a_j are those of M = K^{1/2} Z K^{1/2}.  With W = A Phi, A (d, 2n), the representer
// form of GD is
//
//   B = A K,  C = B Z B^T,  A <- A - 2 eta G (B Z),  G = 2 w .* (C - I)   (= 4 (C - I) for
//   lambda_off = 1),
//
// and W(0) v_j = A(0) K^{1/2} a_j for predictor G.
//
// Speed.  Multiplying the update by K^{1/2} U from the right (U = [a_1 ... a_2n], all
// eigenvectors of M) turns it into the linear model with a DIAGONAL Gamma:
// with Bt = A K^{1/2} U (d, 2n), C = Bt diag(gamma) Bt^T and Bt <- Bt - 2 eta G Bt diag(gamma).
// This is the same iteration written in other coordinates (the part of A in the null space of K
// never reaches W = A Phi), at d^2 2n per step instead of d (2n)^2.  The kernel's constant mode
// (gamma_1 = 0.48, twenty times gamma_2) fixes eta = 0.02/gamma_1, so the run needs ~3e4 steps:
// 50 s in representer form, 2 s in the eigenbasis.  The representer form itself runs for the
// first KER_CHECK steps from the same A(0), and the two trajectories of eig(C) are compared
// (printed; it agrees to rounding).
#define KER_CHECK 1000
typedef struct {
    int n2, d, K;
    double eta, s0;
    double *gamma;              // (K) descending
    double *r2, *tP, *tG, *tm;  // (d)
    double check;               // max |eig C (representer) - eig C (eigenbasis)| over KER_CHECK steps
    traj T;
} kernrun;

// Z M for M (n2, k): swap the two halves of the rows and divide by 2n.
static void apply_Z_rows(int n2, int k, const double *M, double *out) {
    int n = n2 / 2;
    for (int i = 0; i < n2; i++) {
        int src = i < n ? i + n : i - n;
        for (int c = 0; c < k; c++) out[(size_t)i * k + c] = M[(size_t)src * k + c] / n2;
    }
}

// Symmetric square root of a PSD matrix from its eigendecomposition (dsyevd), eigenvalues below
// 1e-12 lambda_max clamped to 0.  Returns K^{1/2} in S (n2, n2).
static void sqrtm_psd(int n2, const double *Kmat, double *S) {
    double *U = XNEW(double, (size_t)n2 *n2), *w = XNEW(double, n2), *US = XNEW(double, (size_t)n2 *n2);
    memcpy(U, Kmat, (size_t)n2 * n2 * sizeof *U);
    int info = la_eigh(n2, U, w, 1);
    if (info) DIE("dsyevd on the kernel matrix (%d x %d) failed with info %d", n2, n2, info);
    double wmax = w[n2 - 1];
    for (int i = 0; i < n2; i++)
        for (int j = 0; j < n2; j++) {
            double lam = w[j] > 1e-12 * wmax ? w[j] : 0;
            US[(size_t)i * n2 + j] = U[(size_t)i * n2 + j] * sqrt(lam);
        }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n2, n2, n2, 1, US, n2, U, n2, 0, S, n2);
    free(U), free(w), free(US);
}

// C (d, d) from the loss weights: L = sum w_ij (C_ij - delta_ij)^2, G = 2 w .* (C - I).
static double bt_from_C(int d, const double *Cm, double lambda_off, double *G) {
    double L = 0;
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) {
            double w = i == j ? 1 : lambda_off, e = Cm[i * d + j] - (i == j);
            L += w * e * e;
            G[i * d + j] = 2 * w * e;
        }
    return L;
}

// The representer form, verbatim, for nsteps steps from A0: max |eig C - ref| against T.
static double kernel_representer_check(int n2, int d, const double *Km, const double *A0, double eta, long nsteps,
                                       double lambda_off, const traj *T) {
    int n = n2 / 2;
    double *A = XNEW(double, (size_t)d *n2), *B = XNEW(double, (size_t)d *n2), *BZ = XNEW(double, (size_t)d *n2),
           *Cm = XNEW(double, (size_t)d *d), *G = XNEW(double, (size_t)d *d), *ev = XNEW(double, d), worst = 0;
    memcpy(A, A0, (size_t)d * n2 * sizeof *A);
    eigws e;
    eigws_alloc(&e, d);
    for (long k = 0; k <= nsteps; k++) {
        // B = A K (d, n2); BZ = B Z: columns swapped between the halves, / 2n; C = BZ B^T.
        cblas_dsymm(CblasRowMajor, CblasRight, CblasUpper, d, n2, 1, Km, n2, A, n2, 0, B, n2);
        for (int i = 0; i < d; i++)
            for (int c = 0; c < n2; c++) BZ[(size_t)i * n2 + c] = B[(size_t)i * n2 + (c < n ? c + n : c - n)] / n2;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, d, d, n2, 1, BZ, n2, B, n2, 0, Cm, d);
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++) Cm[i * d + j] = Cm[j * d + i] = 0.5 * (Cm[i * d + j] + Cm[j * d + i]);
        bt_from_C(d, Cm, lambda_off, G);
        eig_desc(&e, Cm, ev);
        for (int j = 0; j < d; j++) worst = fmax(worst, fabs(ev[j] - T->c[(size_t)k * d + j]));
        // A <- A - 2 eta G (B Z)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, d, n2, d, -2 * eta, G, d, BZ, n2, 1, A, n2);
        if ((k & 127) == 0) progress("kernel (representer-form check): step %ld/%ld", k, nsteps);
    }
    eigws_free(&e);
    free(A), free(B), free(BZ), free(Cm), free(G), free(ev);
    return worst;
}

static void kernel_go(kernrun *R, const pairs *D, int d, double s0, double lr, double lr_factor, double t_end,
                      double lambda_off, unsigned long seed) {
    int n = D->n, m = D->m, n2 = 2 * n, K = n2 < N_EIG ? n2 : N_EIG;
    if (d > K) DIE("kernel: --d %d exceeds the %d eigenpairs kept", d, K);
    R->n2 = n2, R->d = d, R->K = K, R->s0 = s0;
    // Unit-normed stacked views X (n2, m) and K = ntk1b(X X^T).
    double *X = XNEW(double, (size_t)n2 *m), *Km = XNEW(double, (size_t)n2 *n2);
    for (int i = 0; i < n2; i++) {
        const double *src = i < n ? D->Xa + (size_t)i * m : D->Xb + (size_t)(i - n) * m;
        double nr = cblas_dnrm2(m, src, 1);
        if (!(nr > 0)) DIE("kernel: view %d is zero after centring; cannot normalise", i);
        for (int k = 0; k < m; k++) X[(size_t)i * m + k] = src[k] / nr;
    }
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, n2, m, 1, X, m, 0, Km, n2);
    for (int i = 0; i < n2; i++)
        for (int j = i; j < n2; j++) Km[(size_t)i * n2 + j] = Km[(size_t)j * n2 + i] = ntk1b(Km[(size_t)i * n2 + j]);
    // K^{1/2}, M = K^{1/2} Z K^{1/2}, and ALL its eigenpairs (dsyevd; n2 <= 2000).
    double *S = XNEW(double, (size_t)n2 *n2), *ZS = XNEW(double, (size_t)n2 *n2), *U = XNEW(double, (size_t)n2 *n2),
           *wa = XNEW(double, n2);
    sqrtm_psd(n2, Km, S);
    apply_Z_rows(n2, n2, S, ZS);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n2, n2, n2, 1, S, n2, ZS, n2, 0, U, n2);
    for (int i = 0; i < n2; i++)  // exact symmetry
        for (int j = i + 1; j < n2; j++)
            U[(size_t)i * n2 + j] = U[(size_t)j * n2 + i] = 0.5 * (U[(size_t)i * n2 + j] + U[(size_t)j * n2 + i]);
    if (la_eigh(n2, U, wa, 1)) DIE("kernel: dsyevd on K^1/2 Z K^1/2 (%d x %d) failed", n2, n2);
    // Reverse to descending order: gam[j] = wa[n2-1-j], column j of Ud = column n2-1-j of U.
    double *gam = XNEW(double, n2), *Ud = XNEW(double, (size_t)n2 *n2);
    for (int j = 0; j < n2; j++) gam[j] = wa[n2 - 1 - j];
    for (int i = 0; i < n2; i++)
        for (int j = 0; j < n2; j++) Ud[(size_t)i * n2 + j] = U[(size_t)i * n2 + n2 - 1 - j];
    R->gamma = XNEW(double, K);
    memcpy(R->gamma, gam, K * sizeof *gam);
    if (!(gam[0] > 0)) DIE("kernel: no positive contrastive eigenvalue");
    R->eta = lr > 0 ? lr : lr_factor / gam[0];
    // Init A(0) iid N(0, s0^2/(2n)) (so that W(0) = A(0) Phi has the scale s0), stream RNG_INIT;
    // Bt(0) = A(0) K^{1/2} U.
    double *A0 = XNEW(double, (size_t)d *n2), *SU = XNEW(double, (size_t)n2 *n2), *Bt = XNEW(double, (size_t)d *n2);
    gsl_rng *rng = rng_alloc(seed, RNG_INIT);
    if (init_normal_abs(rng, (size_t)d * n2, s0 / sqrt(n2), A0, NULL)) DIE("kernel: %s", sim_last_error());
    rng_free(rng);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n2, n2, n2, 1, S, n2, Ud, n2, 0, SU, n2);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, d, n2, n2, 1, A0, n2, SU, n2, 0, Bt, n2);
    // Predictors.  G: p_j = A(0) K^{1/2} a_j = column j of Bt(0).  P: the expected squared norm
    // per coordinate of W(0) v_j is s0^2/(2n) |K^{1/2} a_j|^2 = s0^2 a_j^T K a_j/(2n).
    double *Pm = XNEW(double, (size_t)d *d);
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) Pm[j * d + i] = Bt[(size_t)i * n2 + j];
    R->r2 = XNEW(double, d), R->tP = XNEW(double, d), R->tG = XNEW(double, d), R->tm = XNEW(double, d);
    if (track_gs_residuals(d, d, Pm, R->r2)) DIE("kernel: Gram-Schmidt residuals: %s", sim_last_error());
    double tl = 0;
    for (int j = 0; j < d; j++) {
        double g = gam[j], aKa = 0;
        for (int i = 0; i < n2; i++) aKa += SU[(size_t)i * n2 + j] * SU[(size_t)i * n2 + j];
        R->tP[j] = g > 0 ? predict_P(g, s0 * s0 * aKa / n2, d, j + 1) : INFINITY;
        R->tG[j] = g > 0 && R->r2[j] > 0 ? predict_G(g, R->r2[j], R->eta) : INFINITY;
        if (isfinite(R->tP[j]) && R->tP[j] > tl) tl = R->tP[j];
    }
    if (!(t_end > 0)) t_end = 1.25 * tl;
    long nsteps = (long)ceil(t_end / R->eta);
    // GD in the eigenbasis: C = (Bt diag(gamma)) Bt^T, Bt <- Bt - 2 eta G (Bt diag(gamma)).
    double *Bg = XNEW(double, (size_t)d *n2), *Cm = XNEW(double, (size_t)d *d), *G = XNEW(double, (size_t)d *d);
    eigws e;
    eigws_alloc(&e, d);
    traj_alloc(&R->T, d, nsteps, R->eta);
    for (long k = 0; k <= nsteps; k++) {
        for (int i = 0; i < d; i++)
            for (int c = 0; c < n2; c++) Bg[(size_t)i * n2 + c] = Bt[(size_t)i * n2 + c] * gam[c];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, d, d, n2, 1, Bg, n2, Bt, n2, 0, Cm, d);
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++) Cm[i * d + j] = Cm[j * d + i] = 0.5 * (Cm[i * d + j] + Cm[j * d + i]);
        double L = bt_from_C(d, Cm, lambda_off, G);
        if (!isfinite(L))
            DIE("kernel: the loss is not finite at step %ld; eta = %g must stay below 0.25/gamma_1", k, R->eta);
        R->T.loss[k] = L;
        eig_desc(&e, Cm, R->T.c + (size_t)k * d);
        if (k < nsteps)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, d, n2, d, -2 * R->eta, G, d, Bg, n2, 1, Bt, n2);
        if ((k & 1023) == 0) progress("kernel: step %ld/%ld  loss %.4f", k, nsteps, L);
    }
    measure_steps(&R->T, R->tm);
    R->check =
        kernel_representer_check(n2, d, Km, A0, R->eta, nsteps < KER_CHECK ? nsteps : KER_CHECK, lambda_off, &R->T);
    eigws_free(&e);
    free(X), free(Km), free(S), free(ZS), free(U), free(wa), free(gam), free(Ud), free(A0), free(SU);
    free(Bt), free(Pm), free(Bg), free(Cm), free(G);
}

static void kernrun_free(kernrun *R) {
    free(R->gamma), free(R->r2), free(R->tP), free(R->tG), free(R->tm);
    traj_free(&R->T);
}

// The exact identity behind the representer form (ssl.C6a): for any finite feature
// matrix Phi (n2, p), the nonzero eigenvalues of Phi^T Z Phi (p, p) and of K^{1/2} Z K^{1/2}
// with K = Phi Phi^T agree.  Checked on random ReLU features of the given views, p = 300.
static double feature_identity_check(const pairs *D, unsigned long seed, int nuse) {
    int m = D->m, n2 = 2 * nuse, p = 300, k = 10;
    double *X = XNEW(double, (size_t)n2 *m), *G = XNEW(double, (size_t)m *p), *Phi = XNEW(double, (size_t)n2 *p),
           *ZPhi = XNEW(double, (size_t)n2 *p), *A = XNEW(double, (size_t)p *p), *Km = XNEW(double, (size_t)n2 *n2),
           *S = XNEW(double, (size_t)n2 *n2), *ZS = XNEW(double, (size_t)n2 *n2), *M = XNEW(double, (size_t)n2 *n2),
           w1[10], w2[10];
    for (int i = 0; i < n2; i++)
        memcpy(X + (size_t)i * m, i < nuse ? D->Xa + (size_t)i * m : D->Xb + (size_t)(i - nuse) * m, m * sizeof *X);
    gsl_rng *r = rng_alloc(seed, RNG_FEATURES);
    for (int i = 0; i < m * p; i++) G[i] = rng_normal(r) / sqrt(m);
    rng_free(r);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n2, p, m, 1, X, m, G, p, 0, Phi, p);
    for (int i = 0; i < n2 * p; i++) Phi[i] = Phi[i] > 0 ? Phi[i] * sqrt(2.0 / p) : 0;
    apply_Z_rows(n2, p, Phi, ZPhi);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, p, n2, 1, Phi, p, ZPhi, p, 0, A, p);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n2, n2, p, 1, Phi, p, Phi, p, 0, Km, n2);
    sqrtm_psd(n2, Km, S);
    apply_Z_rows(n2, n2, S, ZS);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n2, n2, n2, 1, S, n2, ZS, n2, 0, M, n2);
    for (int i = 0; i < p; i++)
        for (int j = i + 1; j < p; j++) A[i * p + j] = A[j * p + i] = 0.5 * (A[i * p + j] + A[j * p + i]);
    for (int i = 0; i < n2; i++)
        for (int j = i + 1; j < n2; j++)
            M[(size_t)i * n2 + j] = M[(size_t)j * n2 + i] = 0.5 * (M[(size_t)i * n2 + j] + M[(size_t)j * n2 + i]);
    if (la_eigh_top(p, A, k, w1, NULL) || la_eigh_top(n2, M, k, w2, NULL))
        DIE("feature identity: %s", sim_last_error());
    double worst = 0;
    for (int j = 0; j < k; j++) worst = fmax(worst, fabs(w2[j] / w1[j] - 1));
    free(X), free(G), free(Phi), free(ZPhi), free(A), free(Km), free(S), free(ZS), free(M);
    return worst;
}

// ---- part 4: the kernel version on the MNIST pairs ----
static void part_kernel(const pairs *Dm, int have_mnist) {
    if (!have_mnist) {
        claim_skip("ssl.C6a", CLAIM_IDENTITY, "MNIST absent: run make data");
        claim_skip("ssl.C6b", CLAIM_EXPERIMENT, "MNIST absent: run make data");
    } else {
        double fid = feature_identity_check(Dm, C.seed, Dm->n < 100 ? Dm->n : 100);
        claim_check("ssl.C6a", CLAIM_IDENTITY, fid < 1e-8,
                    "random ReLU features: max_j |eig(K^1/2 Z K^1/2)/eig(Phi^T Z Phi) - 1|, top 10", fid, "1e-8");
        kernrun R;
        kernel_go(&R, Dm, P.d, P.s0, P.lr, P.lr_factor, P.t_end, P.lambda_off, C.seed);
        print_table("kernel (ntk1b, representer form) (C6)", P.d, R.gamma, R.tP, R.tG, R.tm);
        printf("# kernel: eigenbasis vs representer-form GD over the first %d steps: max |eig C diff| = %.3g\n",
               KER_CHECK, R.check);
        write_traj(&C, "kernel_traj.tsv", "ssl.C6", &R.T, R.gamma, R.r2, 1);
        write_steps(&C, "kernel_steps.tsv", "ssl.C6", P.d, R.gamma, R.tP, R.tG, R.tm);
        double wG = 0;
        int nsep = 0;
        for (int j = 0; j < P.d - 3; j++)
            if (separated(R.gamma, R.K, j)) {
                wG = fmax(wG, fabs(R.tm[j] / R.tG[j] - 1)), nsep++;
                if (!isfinite(R.tm[j])) wG = INFINITY;
            }
        claim_check("ssl.C6b", CLAIM_EXPERIMENT, nsep > 0 && wG <= 0.01,
                    "kernel: max |t_meas/t_G - 1| over separated j <= d-3", wG, "0.01");
        kernrun_free(&R);
    }
    progress_done("kernel part done at %.1f s", util_now() - T0);
}
