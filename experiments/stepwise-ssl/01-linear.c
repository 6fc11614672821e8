// ---- Part 1: the linear model and its exact solution (ssl.C1-C3) ----
//
// 01-linear: the linear model of Barlow Twins, its exact dynamics, and part 1 -- the exact
// solution on a diagonal Gamma (ssl.C1-C3).
//
// Everything the linear parts share is here: the pair sets and Gamma, GD on the theory-form
// loss with the eigenvalues of C recorded at every step, the two step-time predictors, the
// measurements (half-rise times, plateaus, the order of the eigenvectors) and the tables.

// ---- data ----
//
// A pair set: n pairs of views Xa, Xb (n, m), centred by the mean of the un-augmented
// examples.  Gamma (m, m) = (Xa^T Xb + Xb^T Xa)/(2n) is built with one dgemm.
typedef struct {
    int n, m;
    double *Xa, *Xb;  // (n, m) each; NULL for a diagonal Gamma given directly
    double *Gamma;    // (m, m)
} pairs;

static void pairs_free(pairs *D) {
    free(D->Xa), free(D->Xb), free(D->Gamma);
    memset(D, 0, sizeof *D);
}

static void build_gamma(pairs *D) {
    int n = D->n, m = D->m;
    D->Gamma = XNEW(double, (size_t)m *m);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, m, n, 1.0 / (2.0 * n), D->Xa, m, D->Xb, m, 0.0, D->Gamma,
                m);
    for (int i = 0; i < m; i++)
        for (int j = i; j < m; j++) {
            double s = D->Gamma[i * m + j] + D->Gamma[j * m + i];
            D->Gamma[i * m + j] = D->Gamma[j * m + i] = s;
        }
}

// Diagonal Gamma = diag(gamma1 r^{j-1}), m dimensions (the quick, exactly solvable case).
static void make_diag(pairs *D, int m, double gamma1, double r) {
    memset(D, 0, sizeof *D);
    D->m = m;
    D->Gamma = XNEW(double, (size_t)m *m);
    for (int j = 0; j < m; j++) D->Gamma[j * m + j] = gamma1 * pow(r, j);
}

// Synthetic latent data: x = A z, z ~ N(0, diag(sigma_k^2)), views x + noise eps, eps ~ N(0, I).
// Stream RNG_DATA.  Two flavours:
//   gap_at < 0 (the MLP data): A iid N(0, 1/m), sigma_k^2 = var^k.  Gamma's spectrum is then a
//     random mixture of the variances (gamma_4/gamma_5 = 2.03 at seed 1, 1.3-2.5 over seeds).
//   gap_at = d (the final-state data of ssl.C4/C8): A a Haar-random rotation, so that Gamma's
//     population eigenvalues ARE the variances, and sigma_k^2 = var^k for k < d, then a drop by
//     `gap`: sigma_d^2 = sigma_{d-1}^2 / gap, and var^k-ratios again after it.  gamma_d/gamma_{d+1}
//     is then `gap` up to sampling (n = 2000 pairs: a few %) at every seed.
static void make_latent(pairs *D, unsigned long seed, int m, int n, double var, double noise, int gap_at, double gap) {
    memset(D, 0, sizeof *D);
    D->n = n, D->m = m;
    gsl_rng *r = rng_alloc(seed, RNG_DATA);
    double *A = XNEW(double, (size_t)m *m), *z = XNEW(double, m), *x = XNEW(double, (size_t)n *m),
           *mu = XNEW(double, m), *sd = XNEW(double, m);
    for (int i = 0; i < m * m; i++) A[i] = rng_normal(r) / sqrt(m);
    for (int k = 0; k < m; k++) sd[k] = pow(var, 0.5 * k);
    if (gap_at >= 0) {
        // Haar rotation: modified Gram-Schmidt on the Gaussian columns (QR with positive R diagonal).
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < j; i++) {
                double dot = 0;
                for (int k = 0; k < m; k++) dot += A[k * m + i] * A[k * m + j];
                for (int k = 0; k < m; k++) A[k * m + j] -= dot * A[k * m + i];
            }
            double nr = 0;
            for (int k = 0; k < m; k++) nr += A[k * m + j] * A[k * m + j];
            for (int k = 0; k < m; k++) A[k * m + j] /= sqrt(nr);
        }
        for (int k = gap_at; k < m; k++) sd[k] = pow(var, 0.5 * (k - 1)) / sqrt(gap);
    }
    D->Xa = XNEW(double, (size_t)n *m);
    D->Xb = XNEW(double, (size_t)n *m);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < m; k++) z[k] = sd[k] * rng_normal(r);
        cblas_dgemv(CblasRowMajor, CblasNoTrans, m, m, 1.0, A, m, z, 1, 0.0, x + (size_t)i * m, 1);
        for (int k = 0; k < m; k++) {
            D->Xa[(size_t)i * m + k] = x[(size_t)i * m + k] + noise * rng_normal(r);
            D->Xb[(size_t)i * m + k] = x[(size_t)i * m + k] + noise * rng_normal(r);
        }
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < m; k++) mu[k] += x[(size_t)i * m + k] / n;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < m; k++) D->Xa[(size_t)i * m + k] -= mu[k], D->Xb[(size_t)i * m + k] -= mu[k];
    build_gamma(D);
    free(A), free(z), free(x), free(mu), free(sd), rng_free(r);
}

// Top-K eigenpairs of Gamma: gamma (K) descending, V (m, K) eigenvectors as columns.
static void gamma_eigs(const pairs *D, int K, double *gamma, double *V) {
    int m = D->m;
    double *A = XNEW(double, (size_t)m *m);
    memcpy(A, D->Gamma, (size_t)m * m * sizeof *A);
    int info = la_eigh_top(m, A, K, gamma, V);
    if (info) DIE("dsyevr on Gamma (m = %d) failed with info %d", m, info);
    free(A);
}

// ---- experiment: linear Barlow Twins by GD ----
//
// A trajectory: the loss and the eigenvalues of C (descending) at every step 0..nsteps, at
// effective times t = eta step.  d <= 16, so one dsyev of C per step is negligible next to the
// d m^2 product W Gamma.
typedef struct {
    int d;
    long nsteps;
    double eta;
    double *t, *loss, *c;  // (nsteps+1), (nsteps+1), (nsteps+1, d)
} traj;

static void traj_alloc(traj *T, int d, long nsteps, double eta) {
    T->d = d, T->nsteps = nsteps, T->eta = eta;
    T->t = XNEW(double, nsteps + 1);
    T->loss = XNEW(double, nsteps + 1);
    T->c = XNEW(double, (size_t)(nsteps + 1) * d);
    for (long k = 0; k <= nsteps; k++) T->t[k] = eta * k;
}
static void traj_free(traj *T) { free(T->t), free(T->loss), free(T->c); }

// Eigenvalues of a symmetric (d, d) matrix, descending, with a workspace made once.
typedef struct {
    int d, lwork;
    double *A, *work, *w;
} eigws;
static void eigws_alloc(eigws *e, int d) {
    e->d = d, e->lwork = 8 * d + 16;
    e->A = XNEW(double, (size_t)d *d);
    e->work = XNEW(double, e->lwork);
    e->w = XNEW(double, d);
}
static void eigws_free(eigws *e) { free(e->A), free(e->work), free(e->w); }
static void eig_desc(eigws *e, const double *Cm, double *out) {
    int d = e->d;
    memcpy(e->A, Cm, (size_t)d * d * sizeof *Cm);
    int info = LAPACKE_dsyev_work(LAPACK_ROW_MAJOR, 'N', 'U', d, e->A, d, e->w, e->work, e->lwork);
    if (info) DIE("dsyev on C (%d x %d) failed with info %d", d, d, info);
    for (int i = 0; i < d; i++) out[i] = e->w[d - 1 - i];
}

// GD on the BT loss for the linear model W (d, m), from the W given, for nsteps steps.
// Theory form through Gamma (loss_bt_linear); the original form needs the views (D->Xa, Xb).
static void run_linear(const pairs *D, int d, double *W, double eta, long nsteps, double lambda_off, int original,
                       traj *T, const char *label) {
    int m = D->m, n = D->n;
    double *Cm = XNEW(double, (size_t)d *d), *WG = XNEW(double, (size_t)d *m), *dW = XNEW(double, (size_t)d *m);
    double *Za = NULL, *Zb = NULL, *dZa = NULL, *dZb = NULL;
    loss_bt_ws *bw = NULL;
    if (original) {
        if (!D->Xa) DIE("--bt-original needs data with samples (--data mnist or latent), not diag");
        Za = XNEW(double, (size_t)n *d), Zb = XNEW(double, (size_t)n *d);
        dZa = XNEW(double, (size_t)n *d), dZb = XNEW(double, (size_t)n *d);
        bw = loss_bt_alloc(n, d);
        if (!bw) DIE("%s: loss_bt_alloc: %s", label, sim_last_error());
    }
    eigws e;
    eigws_alloc(&e, d);
    traj_alloc(T, d, nsteps, eta);
    for (long k = 0; k <= nsteps; k++) {
        double L;
        const double *Cnow = Cm;
        if (!original) {
            L = loss_bt_linear(d, m, W, D->Gamma, lambda_off, Cm, WG, dW);
        } else {
            // Z = X W^T (n, d); dW = dZa^T Xa + dZb^T Xb.
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, d, m, 1, D->Xa, m, W, m, 0, Za, d);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, d, m, 1, D->Xb, m, W, m, 0, Zb, d);
            L = loss_bt_original(bw, Za, Zb, lambda_off, dZa, dZb);
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, m, n, 1, dZa, d, D->Xa, m, 0, dW, m);
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, m, n, 1, dZb, d, D->Xb, m, 1, dW, m);
            for (int i = 0; i < d; i++)  // track the symmetric part of the standardised C
                for (int j = 0; j < d; j++) Cm[i * d + j] = 0.5 * (bw->C[i * d + j] + bw->C[j * d + i]);
            Cnow = Cm;
        }
        if (!isfinite(L))
            DIE("%s: the loss is not finite at step %ld (t = %g); eta = %g must stay below the "
                "stability bound 0.25/gamma_1",
                label, k, eta * k, eta);
        T->loss[k] = L;
        eig_desc(&e, Cnow, T->c + (size_t)k * d);
        if (k < nsteps) opt_gd_step((size_t)d * m, W, dW, eta);
        if ((k & 255) == 0) progress("%s: step %ld/%ld  loss %.4f", label, k, nsteps, L);
    }
    eigws_free(&e);
    free(Cm), free(WG), free(dW), free(Za), free(Zb), free(dZa), free(dZb);
    loss_bt_free(bw);
}

// Measured half-rise times: the first crossing of 1/2 by the j-th eigenvalue of C.
static void measure_steps(const traj *T, double *tm) {
    double *x = XNEW(double, T->nsteps + 1);
    for (int j = 0; j < T->d; j++) {
        for (long k = 0; k <= T->nsteps; k++) x[k] = T->c[(size_t)k * T->d + j];
        tm[j] = steps_crossing(T->t, x, T->nsteps + 1, 0, 0.5, STEPS_UP);
    }
    free(x);
}

// Initial projections p_j = W(0) v_j (j = 1..d) as rows of Pm (d, d), and their Gram-Schmidt
// residuals r_j^2 (common/track).
static void gs_from_init(int d, int m, const double *W0, const double *V, int K, double *r2) {
    double *Pm = XNEW(double, (size_t)d *d);
    // (W0 V_d) is (d, d) with column j = W0 v_j; Pm = its transpose.
    double *WV = XNEW(double, (size_t)d *d);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, d, d, m, 1, W0, m, V, K, 0, WV, d);
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) Pm[j * d + i] = WV[i * d + j];
    if (track_gs_residuals(d, d, Pm, r2)) DIE("Gram-Schmidt residuals: %s", sim_last_error());
    free(Pm), free(WV);
}

// The theory logistics of predictor G on the GD time axis: c_j at time t is the flow logistic
// at t / f_j, with f_j the finite-step factor (so the half-rise sits at t_j^G).
static double theory_G(double gamma, double r2, double eta, double t) {
    return logistic(gamma, gamma * r2, t / opt_discrete_time_factor(eta, 4 * gamma));
}

// The loss at time s by linear interpolation on a trajectory.
static double loss_at(const traj *T, double s) {
    if (s <= 0) return T->loss[0];
    double x = s / T->eta;
    long k = (long)floor(x);
    if (k >= T->nsteps) return T->loss[T->nsteps];
    double w = x - k;
    return (1 - w) * T->loss[k] + w * T->loss[k + 1];
}

// One linear run with all its step-time predictions, kept together for the claims and tables.
typedef struct {
    int d, m, K;
    double eta, s0;
    double *gamma, *V;          // (K), (m, K)
    double *r2, *tP, *tG, *tm;  // (d)
    double *W;                  // (d, m) final weights
    traj T;
} linrun;

static void linrun_free(linrun *R) {
    free(R->gamma), free(R->V), free(R->r2), free(R->tP), free(R->tG), free(R->tm), free(R->W);
    traj_free(&R->T);
}

// What one linear run is: sizes, init, step size, length, loss variant.
typedef struct {
    int d;                    // embedding dimension
    double s0;                // init scale
    int aligned;              // aligned init W(0) = s0 [I_d 0] V^T instead of iid N(0, s0^2)
    double lr, lr_factor;     // eta = lr if > 0, else lr_factor / gamma_1
    double t_end;             // run length in t = eta step (0: 1.25 t_d^P)
    double lambda_off;        // off-diagonal weight of the loss
    int original;             // original Barlow Twins form (an ablation)
    unsigned long init_seed;  // seeds the init stream RNG_INIT
    const char *label;        // for progress and messages
} linspec;

// Set up eigenpairs, init and predictions, run to t_end (0: 1.25 t_d^P, or the aligned
// analogue), measure.
static void linrun_go(linrun *R, const pairs *D, const linspec *S) {
    int d = S->d, aligned = S->aligned;
    double s0 = S->s0, t_end = S->t_end;
    const char *label = S->label;
    int m = D->m, K = m < N_EIG ? m : N_EIG;
    if (d > K) DIE("%s: --d %d exceeds the %d eigenpairs kept of Gamma (m = %d)", label, d, K, m);
    R->d = d, R->m = m, R->K = K, R->s0 = s0;
    R->gamma = XNEW(double, K), R->V = XNEW(double, (size_t)m *K);
    gamma_eigs(D, K, R->gamma, R->V);
    if (!(R->gamma[0] > 0)) DIE("%s: Gamma has no positive eigenvalue; nothing can be learned", label);
    R->eta = S->lr > 0 ? S->lr : S->lr_factor / R->gamma[0];
    // Init: aligned W(0) = s0 [I_d 0] V^T (rows s0 v_j^T), or iid N(0, s0^2).
    R->W = XNEW(double, (size_t)d *m);
    if (aligned) {
        for (int j = 0; j < d; j++)
            for (int i = 0; i < m; i++) R->W[(size_t)j * m + i] = s0 * R->V[(size_t)i * K + j];
    } else {
        gsl_rng *r = rng_alloc(S->init_seed, RNG_INIT);
        if (init_normal_abs(r, (size_t)d * m, s0, R->W, NULL)) DIE("%s: %s", label, sim_last_error());
        rng_free(r);
    }
    R->r2 = XNEW(double, d), R->tP = XNEW(double, d), R->tG = XNEW(double, d), R->tm = XNEW(double, d);
    gs_from_init(d, m, R->W, R->V, K, R->r2);
    for (int j = 0; j < d; j++) {
        double g = R->gamma[j];
        R->tP[j] = g > 0 ? predict_P(g, s0 * s0, d, j + 1) : INFINITY;
        if (aligned) R->tP[j] = g > 0 ? t_half(g, g * s0 * s0) : INFINITY;
        R->tG[j] = g > 0 && R->r2[j] > 0 ? predict_G(g, R->r2[j], R->eta) : INFINITY;
    }
    if (!(t_end > 0)) {
        // Run to 1.25 times the last finite predicted step time.
        double tl = 0;
        for (int j = 0; j < d; j++)
            if (isfinite(R->tP[j]) && R->tP[j] > tl) tl = R->tP[j];
        t_end = 1.25 * tl;
    }
    long nsteps = (long)ceil(t_end / R->eta);
    run_linear(D, d, R->W, R->eta, nsteps, S->lambda_off, S->original, &R->T, label);
    measure_steps(&R->T, R->tm);
}

// ---- measurement (claims) ----
//
// Step-time agreement is a ratio t_meas / t_pred; plateau checks read the loss at the midpoint
// of consecutive measured step times; the final state compares W^T W with V_d Gamma_d^{-1} V_d^T.

// Loss at the midpoints between consecutive measured step times (and between 0 and the first):
// the largest |L - (d - k)| over the steps that happened (returned); the same for the theory's
// own loss, the sum of the predictor-G logistics, |L_th - (d - k)| (*dev_theory); the
// measured loss against that theory, |L - L_th| (*dev_meas_th); and the plateau detector value
// (flattest sample between steps, steps_plateau) for the note (*dev_flat).
static double plateau_dev(const linrun *R, double *dev_flat, double *dev_theory, double *dev_meas_th) {
    int d = R->d;
    double worst = 0, worst_flat = 0, worst_th = 0, worst_mt = 0, prev = 0;
    for (int k = 0; k < d; k++) {
        if (!isfinite(R->tm[k])) break;
        double mid = 0.5 * (prev + R->tm[k]);
        worst = fmax(worst, fabs(loss_at(&R->T, mid) - (d - k)));
        // The theory's own loss there: sum_j (1 - c_j(t))^2 with the predictor-G logistics
        // (||C - I||_F^2 = sum_j (1 - eig_j C)^2 for symmetric C).
        double Lth = 0;
        for (int j = 0; j < d; j++) {
            double cj = R->gamma[j] > 0 && R->r2[j] > 0 ? theory_G(R->gamma[j], R->r2[j], R->eta, mid) : 0;
            Lth += (1 - cj) * (1 - cj);
        }
        worst_th = fmax(worst_th, fabs(Lth - (d - k)));
        worst_mt = fmax(worst_mt, fabs(loss_at(&R->T, mid) - Lth));
        if (k > 0) {
            double v = steps_plateau(R->T.t, R->T.loss, R->T.nsteps + 1, prev, R->tm[k], NULL);
            if (isfinite(v)) worst_flat = fmax(worst_flat, fabs(v - (d - k)));
        }
        prev = R->tm[k];
    }
    if (dev_flat) *dev_flat = worst_flat;
    if (dev_theory) *dev_theory = worst_th;
    if (dev_meas_th) *dev_meas_th = worst_mt;
    return worst;
}

// Does the k-th eigenvector of C, at the step where the k-th eigenvalue crosses 1/2, point
// along v_k?  argmax_j gamma_j (u_k^T W v_j)^2 must be k for every k that crossed.  Recomputed
// by rerunning is wasteful, so run_order_check replays the run to each crossing.
static int order_check(const pairs *D, const linrun *R, unsigned long init_seed) {
    int d = R->d, m = R->m, K = R->K, ok = 1;
    double *W = XNEW(double, (size_t)d *m), *Cm = XNEW(double, (size_t)d *d), *WG = XNEW(double, (size_t)d *m),
           *dW = XNEW(double, (size_t)d *m), *WV = XNEW(double, (size_t)d *K), *w = XNEW(double, d);
    gsl_rng *r = rng_alloc(init_seed, RNG_INIT);
    if (init_normal_abs(r, (size_t)d * m, R->s0, W, NULL)) DIE("order check: %s", sim_last_error());
    rng_free(r);
    int next = 0;
    for (long k = 0; k <= R->T.nsteps && next < d && isfinite(R->tm[next]); k++) {
        loss_bt_linear(d, m, W, D->Gamma, 1.0, Cm, WG, dW);
        if (R->T.c[(size_t)k * d + next] >= 0.5) {
            // Eigenvectors of C (ascending in LAPACK): the next-th largest is column d-1-next.
            LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', d, Cm, d, w);
            int col = d - 1 - next, best = -1;
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, d, K, m, 1, W, m, R->V, K, 0, WV, K);
            double bv = -1;
            for (int j = 0; j < K; j++) {
                double pr = 0;
                for (int i = 0; i < d; i++) pr += Cm[i * d + col] * WV[i * K + j];
                pr = R->gamma[j] * pr * pr;
                if (pr > bv) bv = pr, best = j;
            }
            if (best != next) ok = 0;
            next++;
        }
        opt_gd_step((size_t)d * m, W, dW, R->T.eta);
    }
    free(W), free(Cm), free(WG), free(dW), free(WV), free(w);
    return ok;
}

// Final-state measures: O_d = |V_d^T Q|_F^2 / d (Q an orthonormal basis of row(W)), |C - I|_F,
// and |W^T W - V_d Gamma_d^{-1} V_d^T|_F / |V_d Gamma_d^{-1} V_d^T|_F.
static int separated(const double *g, int K, int j) {
    if (j > 0 && g[j - 1] / g[j] < 1.05) return 0;
    if (j + 1 < K && g[j] / g[j + 1] < 1.05) return 0;
    return 1;
}

// Print the step-time table of one run.
static void print_table(const char *title, int d, const double *gamma, const double *tP, const double *tG,
                        const double *tm) {
    printf("# %s\n#  j   gamma_j        tP         tG     t_meas  meas/tP  meas/tG\n", title);
    for (int j = 0; j < d; j++)
        printf("# %2d  %8.5f  %9.4f  %9.4f  %9.4f  %7.4f  %7.4f\n", j + 1, gamma[j], tP[j], tG[j], tm[j], tm[j] / tP[j],
               tm[j] / tG[j]);
}

// ---- output ----
//
// Trajectories on the snapshot grid (200 uniform + 200 log-spaced steps, common/track).
static void write_traj(const cli *c, const char *name, const char *claims, const traj *T, const double *gamma,
                       const double *r2, int with_theory) {
    tsv *t = tsv_open(c, name, claims);
    int d = T->d;
    tsv_note(t, "eta = %.10g  steps = %ld  (t = eta * step)", T->eta, T->nsteps);
    if (with_theory)
        tsv_note(t,
                 "theory_j: logistic from predictor G, c_j(0) = gamma_j r_j^2, on the GD time "
                 "axis t / (4 eta gamma_j / ln(1 + 4 eta gamma_j))");
    char cols[4096];
    int o = snprintf(cols, sizeof cols, "t\tloss");
    for (int j = 1; j <= d; j++) o += snprintf(cols + o, sizeof cols - o, "\tc_%d", j);
    if (with_theory)
        for (int j = 1; j <= d; j++) o += snprintf(cols + o, sizeof cols - o, "\ttheory_%d", j);
    tsv_columns(t, cols);
    long *steps = XNEW(long, 2 * N_GRID + 1);
    int ns = track_grid_steps(T->nsteps, N_GRID, N_GRID, steps);
    char row[8192];
    for (int i = 0; i < ns; i++) {
        long k = steps[i];
        o = snprintf(row, sizeof row, "%.10g\t%.10g", T->t[k], T->loss[k]);
        for (int j = 0; j < d; j++) o += snprintf(row + o, sizeof row - o, "\t%.10g", T->c[(size_t)k * d + j]);
        if (with_theory)
            for (int j = 0; j < d; j++) {
                double th = gamma[j] > 0 && r2[j] > 0 ? theory_G(gamma[j], r2[j], T->eta, T->t[k]) : 0;
                o += snprintf(row + o, sizeof row - o, "\t%.10g", th);
            }
        tsv_row(t, "%s", row);
    }
    free(steps);
    tsv_close(t);
}

static void write_steps(const cli *c, const char *name, const char *claims, int d, const double *gamma,
                        const double *tP, const double *tG, const double *tm) {
    tsv *t = tsv_open(c, name, claims);
    tsv_allow_nonfinite(t, 1);  // a mode that never rises within the run has t_meas = nan
    tsv_note(t,
             "tP: population predictor; tG: init-aware (Gram-Schmidt) predictor with the GD "
             "finite-step factor; t_meas: half-rise time of the j-th eigenvalue of C");
    tsv_columns(t, "j\tgamma_j\ttP\ttG\tt_meas\tratio_P\tratio_G");
    for (int j = 0; j < d; j++)
        tsv_row(t, "%d\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", j + 1, gamma[j], tP[j], tG[j], tm[j], tm[j] / tP[j],
                tm[j] / tG[j]);
    tsv_close(t);
}

// ---- part 1: the exact solution (diagonal Gamma) ----
//
// Aligned init (C1): every mode follows its own logistic, so the half-rise times are the flow
// formula's.  Random init, three seeds (C2): predictor G within 1 %, P within 10 %, and the
// eigenvectors rise in the order of gamma.  Plateaus (C3): between steps the loss is the theory's
// sum of logistics at s0 = 1e-4, and the integer d - k at s0 = 1e-8.
static void part_exact(void) {
    tsv *dt = tsv_open(&C, "diag_steps.tsv", "ssl.C1 ssl.C2 ssl.C3");
    tsv_allow_nonfinite(dt, 1);
    tsv_note(dt,
             "diagonal Gamma = diag(0.7^(j-1)); aligned: m = 30, d = 5, s_j(0) = 1e-4, eta = 1e-3;"
             " random: m = 40, d = 10, s0 = 1e-4, eta = 2e-3, seeds seed..seed+2");
    tsv_columns(dt, "run\tseed\tj\tgamma_j\ttP\ttG\tt_meas\tratio_P\tratio_G");
    pairs D;
    make_diag(&D, 30, 1.0, 0.7);
    linrun R;
    linrun_go(&R, &D,
              &(linspec){.d = 5,
                         .s0 = 1e-4,
                         .aligned = 1,
                         .lr = DIAG_ETA_AL,
                         .t_end = 9.0,
                         .lambda_off = 1.0,
                         .init_seed = C.seed,
                         .label = "diag-aligned"});
    // C1: half-rise times vs the flow formula, j <= 4; max |c_j - logistic| over the run.
    double worst_t = 0, worst_c = 0;
    for (int j = 0; j < 4; j++) worst_t = fmax(worst_t, fabs(R.tm[j] / R.tP[j] - 1));
    for (long k = 0; k <= R.T.nsteps; k++)
        for (int j = 0; j < 5; j++) {
            double th = logistic(R.gamma[j], R.gamma[j] * 1e-8, R.T.t[k]);
            worst_c = fmax(worst_c, fabs(R.T.c[(size_t)k * 5 + j] - th));
        }
    print_table("diag aligned (C1): tP is the exact flow time", 5, R.gamma, R.tP, R.tG, R.tm);
    for (int j = 0; j < 5; j++)
        tsv_row(dt, "aligned\t%lu\t%d\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", C.seed, j + 1, R.gamma[j], R.tP[j],
                R.tG[j], R.tm[j], R.tm[j] / R.tP[j], R.tm[j] / R.tG[j]);
    claim_check("ssl.C1a", CLAIM_EXPERIMENT, worst_t < 0.01, "aligned diag Gamma: max_{j<=4} |t_meas/t_flow - 1|",
                worst_t, "0.01");
    claim_check("ssl.C1b", CLAIM_EXPERIMENT, worst_c < 0.01, "aligned diag Gamma: max_t,j |c_j(t) - logistic|", worst_c,
                "0.01");
    double flat_al, th_al, mt_al;
    double dev_al = plateau_dev(&R, &flat_al, &th_al, &mt_al);
    linrun_free(&R);
    // The same at s0 = 1e-8: the logistics separate (relative width ~ 1/ln(1/c0)), and the
    // loss between steps is the integer d - k of the paper's staircase.
    linrun_go(&R, &D,
              &(linspec){.d = 5,
                         .s0 = 1e-8,
                         .aligned = 1,
                         .lr = DIAG_ETA_AL,
                         .t_end = 25.0,
                         .lambda_off = 1.0,
                         .init_seed = C.seed,
                         .label = "diag-aligned s0=1e-8"});
    double dev_al8 = plateau_dev(&R, NULL, NULL, NULL);
    linrun_free(&R);

    // ---- claim series: diagonal Gamma, random init, three seeds (ssl.C2, C3) ----
    pairs D2;
    make_diag(&D2, 40, 1.0, 0.7);
    double wG = 0, wP = 0, dev_rnd = 0, flat_rnd = 0, th_rnd = 0, mt_rnd = 0, dev_rnd8 = 0;
    int order_ok = 1;
    for (int s = 0; s < 3; s++) {
        linrun_go(&R, &D2,
                  &(linspec){.d = 10,
                             .s0 = 1e-4,
                             .lr = DIAG_ETA_RND,
                             .t_end = 12.0,
                             .lambda_off = 1.0,
                             .init_seed = C.seed + s,
                             .label = "diag-random"});
        for (int j = 0; j < 5; j++) {
            wG = fmax(wG, fabs(R.tm[j] / R.tG[j] - 1));
            wP = fmax(wP, fabs(R.tm[j] / R.tP[j] - 1));
            if (!isfinite(R.tm[j])) wG = wP = INFINITY;
        }
        for (int j = 0; j < 10; j++)
            tsv_row(dt, "random\t%lu\t%d\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", C.seed + s, j + 1, R.gamma[j],
                    R.tP[j], R.tG[j], R.tm[j], R.tm[j] / R.tP[j], R.tm[j] / R.tG[j]);
        if (s == 0) print_table("diag random init, first seed (C2)", 10, R.gamma, R.tP, R.tG, R.tm);
        order_ok &= order_check(&D2, &R, C.seed + s);
        double fl, th, mt, dv = plateau_dev(&R, &fl, &th, &mt);
        dev_rnd = fmax(dev_rnd, dv), flat_rnd = fmax(flat_rnd, fl), th_rnd = fmax(th_rnd, th),
        mt_rnd = fmax(mt_rnd, mt);
        linrun_free(&R);
        linrun_go(&R, &D2,
                  &(linspec){.d = 10,
                             .s0 = 1e-8,
                             .lr = DIAG_ETA_RND,
                             .t_end = 25.0,
                             .lambda_off = 1.0,
                             .init_seed = C.seed + s,
                             .label = "diag-random s0=1e-8"});
        dev_rnd8 = fmax(dev_rnd8, plateau_dev(&R, NULL, NULL, NULL));
        linrun_free(&R);
    }
    tsv_close(dt);
    claim_check("ssl.C2a", CLAIM_EXPERIMENT, wG <= 0.01, "diag Gamma, 3 seeds: max_{j<=5} |t_meas/t_G - 1|", wG,
                "0.01");
    claim_check("ssl.C2b", CLAIM_EXPERIMENT, wP <= 0.10, "diag Gamma, 3 seeds: max_{j<=5} |t_meas/t_P - 1|", wP,
                "0.10");
    claim_check("ssl.C2c", CLAIM_EXPERIMENT, order_ok,
                "eigenvector at each half-rise is v_k (argmax gamma_j proj^2 = k), all seeds", order_ok, "1");
    // ssl.C3.  At gamma ratio 0.7 and s0 = 1e-4 neighbouring logistics overlap: the theory's own
    // sum of logistics is not at d - k between steps, so the loss there is compared with that
    // sum (C3a, C3b); the integer plateaus themselves are asserted at s0 = 1e-8 (C3c, C3d).
    printf(
        "# C3 (s0 = 1e-4): at the mid-step times, max |L - (d-k)| aligned %.4g, random %.4g; the theory's "
        "sum of logistics there: max |L_th - (d-k)| aligned %.4g, random %.4g\n",
        dev_al, dev_rnd, th_al, th_rnd);
    printf(
        "# C3 (s0 = 1e-4): plateau detector (flattest sample between steps): max |L - (d-k)| aligned "
        "%.4g, random %.4g\n",
        flat_al, flat_rnd);
    // Tolerance 0.01: |L - L_th| <= sum_j 2|1 - c_j| |c_j - c_j^th| + O(dc^2), and C1b measures
    // |c_j - c_j^th| <= 0.008 on the rising mode (the others are within 1e-3 of 0 or 1 at mid-step).
    claim_check("ssl.C3a", CLAIM_EXPERIMENT, mt_al < 0.01,
                "aligned, s0 = 1e-4: max |L(mid-step) - L_theory(mid-step)|, "
                "L_theory = sum_j (1 - c_j^G)^2",
                mt_al, "0.01");
    claim_check("ssl.C3b", CLAIM_EXPERIMENT, mt_rnd < 0.01,
                "random, s0 = 1e-4, 3 seeds: max |L(mid-step) - L_theory(mid-step)|", mt_rnd, "0.01");
    claim_check("ssl.C3c", CLAIM_EXPERIMENT, dev_al8 < 0.05, "aligned, s0 = 1e-8: max |L(mid-step) - (d-k)|", dev_al8,
                "0.05");
    claim_check("ssl.C3d", CLAIM_EXPERIMENT, dev_rnd8 < 0.05, "random, s0 = 1e-8, 3 seeds: max |L(mid-step) - (d-k)|",
                dev_rnd8, "0.05");
    pairs_free(&D), pairs_free(&D2);
}
