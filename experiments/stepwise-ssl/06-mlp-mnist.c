// ---- Part 6: a ReLU network on MNIST with three losses, Fig. 1C/D (ssl.C9) ----
//
// 06-mlp-mnist: part 6 -- the analogue of the paper's Fig. 1C/D, its PCA views, and its
// three-loss comparison: a one-hidden-layer ReLU network trained on MNIST pairs with Barlow Twins,
// SimCLR (NT-Xent) and VICReg, from small and from standard initialisation (ssl.C9).
//
// The paper trains ResNets on STL-10 and CIFAR-10 with all three losses and sees the loss fall in
// steps while the embedding's eigenvalues rise one at a time (also in hidden layers).  Here the
// same measurements are made on a network that trains in seconds on one core: f(x) =
// W2 relu(W1 x), x a 2 x 2-average-pooled 14 x 14 MNIST view (m = 196), h = 64, d = 6, n = 256
// pairs, full-batch GD (run_net, part 5), init 0.1 x He (small) or 1 x He (standard).
//
// No theory gives the network's step times.  The theory's side is the staircase itself:
//   - Barlow Twins: plateaus at the integers d - k (the linear model's levels, part 1), ssl.C9a;
//   - VICReg: with every coordinate's variance hinge met, a rank-k embedding's smallest loss is
//     2 nu (d/k - 1) (10, 4, 2, ... for d = 6), with k equal eigenvalues d/k, ssl.C9f;
//   - steps one at a time (overlap o_j, below), ssl.C9b, C9e; none from standard init, ssl.C9g;
//   - the hidden layer grows at the embedding's steps and rests on its plateaus, ssl.C9d;
//   - the linear model's clock t_j / t_1 = gamma_1 / gamma_j (gamma of the pooled inputs' Gamma),
//     printed beside the measured step times, ssl.C9c (reported, not gated).

// ---- data: pooled MNIST pairs ----
//
// Images first_image.. of the training set; each view is augment_view (part 3: a translation in
// {-shift..shift}^2, then N(0, aug_noise^2) pixel noise) on the 28 x 28 image, stream RNG_AUG_NET,
// then pool x pool averaged.  Both views are centred by the mean of the pooled un-augmented images.
// labels (n) receives the digits (for the PCA views).
static int make_mnist_pooled(pairs *D, unsigned char *labels, int n, int pool, char *err, size_t errlen) {
    memset(D, 0, sizeof *D);
    mnist_set S;
    if (load_images(C.mnist_dir, P.first_image, n, &S, err, errlen) != 0) return -1;
    int R = S.rows / pool, Cq = S.cols / pool, m = R * Cq;
    D->n = n, D->m = m;
    D->Xa = XNEW(double, (size_t)n *m);
    D->Xb = XNEW(double, (size_t)n *m);
    double *mu = XNEW(double, m), *view = XNEW(double, S.d);
    gsl_rng *r = rng_alloc(C.seed, RNG_AUG_NET);
    // pool a (rows, cols) image into out (R, Cq), adding w * value (w = 1/pool^2)
    for (int i = 0; i < n; i++) {
        const double *img = S.x + (size_t)i * S.d;
        labels[i] = S.y[i];
        for (int v = 0; v < 3; v++) {
            const double *src = img;
            double *out = v == 0 ? mu : (v == 1 ? D->Xa : D->Xb) + (size_t)i * m, w = 1.0 / (pool * pool);
            if (v > 0) {
                augment_view(img, S.rows, S.cols, P.shift, P.aug_noise, r, view);
                src = view;
                memset(out, 0, (size_t)m * sizeof *out);
            } else {
                w /= n;  // the mean of the un-augmented images
            }
            for (int a = 0; a < S.rows; a++)
                for (int b = 0; b < S.cols; b++) out[(a / pool) * Cq + b / pool] += w * src[a * S.cols + b];
        }
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < m; k++) D->Xa[(size_t)i * m + k] -= mu[k], D->Xb[(size_t)i * m + k] -= mu[k];
    build_gamma(D);
    free(mu), free(view), rng_free(r), mnist_free(&S);
    return 0;
}

// --losses: a bit set over ssl_loss, or -1.
static int parse_losses(const char *s) {
    int set = 0;
    const char *p = s;
    while (*p) {
        size_t len = strcspn(p, ",");
        int found = -1;
        for (int l = 0; l < 3; l++)
            if (strlen(LOSS_NAME[l]) == len && !strncmp(p, LOSS_NAME[l], len)) found = l;
        if (found < 0) return -1;
        set |= 1 << found;
        p += len + (p[len] == ',');
    }
    return set ? set : -1;
}

// ---- measurement: steps of a network run ----
//
// The embedding eigenvalue series is eig Sig (the covariance of the stacked embeddings): the
// quantity all three losses shape (Barlow Twins whitens it, SimCLR's dot products let it grow,
// VICReg holds each coordinate's variance at 1).  From small init every eigenvalue starts near 0
// (~ alpha^4) and rises by orders of magnitude at its step, so mode j's step time is the first
// crossing of a fixed level NET_THETA (SimCLR's eigenvalues have no final value to take half of).
// For Barlow Twins the series is eig C and the level 1/2, the half-rise time of the linear model
// (parts 1-3).  A mode counts as learned when it crosses within the run.  "One at a time" is
// measured by the overlap of consecutive steps: when mode j crosses the level, how far up is mode
// j + 1, o_j = eig_{j+1}(t_j) / level.  A staircase has o_j << 1; blurred steps have o_j ~ 1.
// The hidden layer's top eigenvalues start at the (small but nonzero) init scale; their step time
// is the crossing of half way from the initial to the final value.
#define NET_THETA 0.1
typedef struct {
    int nlearn;        // learned modes (crossed NET_THETA)
    double ts[16];     // step times of eig Sig
    double th[16];     // half-rise times of the hidden covariance's eigenvalues
    double ov[16];     // overlaps o_j, j < nlearn - 1
    double ov_median;  // median overlap (common/fit)
} netsteps;

static void measure_net(const netrun *R, const long *grid, int ngrid, int on_C, netsteps *S) {
    int d = R->T.d;
    long N = R->T.nsteps;
    const double *ev = on_C ? R->T.c : R->sig;
    double lev = on_C ? 0.5 : NET_THETA;
    double *x = XNEW(double, N + 1);
    memset(S, 0, sizeof *S);
    for (int j = 0; j < d; j++) {
        for (long k = 0; k <= N; k++) x[k] = ev[(size_t)k * d + j];
        S->ts[j] = steps_crossing(R->T.t, x, N + 1, 0, lev, STEPS_UP);
        S->nlearn += isfinite(S->ts[j]);
    }
    // Hidden layer, on the snapshot grid.
    double *tg = XNEW(double, ngrid), *hg = XNEW(double, ngrid);
    for (int g = 0; g < ngrid; g++) tg[g] = R->T.t[grid[g]];
    for (int j = 0; j < d; j++) {
        double lo = R->hid[j], hi = R->hid[(size_t)(ngrid - 1) * d + j];
        for (int g = 0; g < ngrid; g++) hg[g] = R->hid[(size_t)g * d + j];
        S->th[j] = steps_crossing(tg, hg, ngrid, 0, lo + 0.5 * (hi - lo), STEPS_UP);
    }
    for (int j = 0; j + 1 < S->nlearn; j++) {
        long k = (long)ceil(S->ts[j] / R->T.eta);
        S->ov[j] = ev[(size_t)(k > N ? N : k) * d + j + 1] / lev;
    }
    S->ov_median = S->nlearn > 1 ? fit_median(S->ov, S->nlearn - 1) : NAN;
    free(x), free(tg), free(hg);
}

// Integer plateaus of a Barlow Twins loss: levels 1..d-1 at which it dwells within +-0.05
// (steps_dwell_at, band 0.05/level, t_b >= 1.1 t_a), as in part 5.
static int bt_plateaus(const traj *T, int d, int verbose) {
    int np = 0;
    for (int lev = d - 1; lev >= 1; lev--) {
        steps_dwell dw;
        if (steps_dwell_at(T->t, T->loss, T->nsteps + 1, lev, 0.05 / lev, STEPS_DWELL_RATIO, &dw)) {
            if (verbose) printf("  %d: [%.1f, %.1f] median %.4f", lev, dw.ta, dw.tb, dw.median);
            np++;
        }
    }
    return np;
}

// The sum of the hidden covariance's top d eigenvalues at time t, linear in t between snapshots.
static double hidden_sum_at(const netrun *R, const long *grid, int ngrid, double t) {
    int d = R->T.d, g = 0;
    while (g + 1 < ngrid && R->T.t[grid[g + 1]] < t) g++;
    double s0 = 0, s1 = 0;
    for (int j = 0; j < d; j++) s0 += R->hid[(size_t)g * d + j];
    if (g + 1 >= ngrid) return s0;
    for (int j = 0; j < d; j++) s1 += R->hid[(size_t)(g + 1) * d + j];
    double t0 = R->T.t[grid[g]], t1 = R->T.t[grid[g + 1]], w = t <= t0 ? 0 : (t - t0) / (t1 - t0);
    return (1 - w) * s0 + w * s1;
}

// ---- output ----
static void write_net(const char *name, const netrun *R, const pairs *D, int h, const long *grid, int ngrid) {
    tsv *t = tsv_open(&C, name, "ssl.C9");
    int d = R->T.d;
    tsv_note(t, "net: n = %d pairs, m = %d inputs, h = %d hidden, d = %d outputs", D->n, D->m, h, d);
    tsv_note(t,
             "eta = %.10g  steps = %ld  (t = eta * step); c_j: eig of the cross-correlation C, s_j: eig "
             "of the embedding covariance, h_j: top eig of the hidden layer's covariance",
             R->T.eta, R->T.nsteps);
    char cols[4096];
    int o = snprintf(cols, sizeof cols, "t\tloss");
    for (int j = 1; j <= d; j++) o += snprintf(cols + o, sizeof cols - o, "\tc_%d", j);
    for (int j = 1; j <= d; j++) o += snprintf(cols + o, sizeof cols - o, "\ts_%d", j);
    for (int j = 1; j <= d; j++) o += snprintf(cols + o, sizeof cols - o, "\th_%d", j);
    tsv_columns(t, cols);
    char row[8192];
    for (int g = 0; g < ngrid; g++) {
        long k = grid[g];
        o = snprintf(row, sizeof row, "%.10g\t%.10g", R->T.t[k], R->T.loss[k]);
        for (int j = 0; j < d; j++) o += snprintf(row + o, sizeof row - o, "\t%.10g", R->T.c[(size_t)k * d + j]);
        for (int j = 0; j < d; j++) o += snprintf(row + o, sizeof row - o, "\t%.10g", R->sig[(size_t)k * d + j]);
        for (int j = 0; j < d; j++) o += snprintf(row + o, sizeof row - o, "\t%.10g", R->hid[(size_t)g * d + j]);
        tsv_row(t, "%s", row);
    }
    tsv_close(t);
}

// PCA views (the paper's Fig. 1, right): the first view's embeddings at a snapshot, projected on
// their own top three principal directions.  Rows: panel, t, label, pc1, pc2, pc3.
static void pca_rows(tsv *t, int panel, double time, const double *Z, int n, int d, const unsigned char *labels) {
    double *Zc = XNEW(double, (size_t)n *d), *M = XNEW(double, (size_t)d *d), *w = XNEW(double, d),
           *mu = XNEW(double, d);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++) mu[j] += Z[(size_t)i * d + j] / n;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++) Zc[(size_t)i * d + j] = Z[(size_t)i * d + j] - mu[j];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, Zc, d, Zc, d, 0, M, d);
    if (LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', d, M, d, w)) DIE("PCA views: dsyev failed");
    for (int i = 0; i < n; i++) {
        double pc[3] = {0, 0, 0};
        for (int q = 0; q < 3 && q < d; q++)
            for (int j = 0; j < d; j++) pc[q] += Zc[(size_t)i * d + j] * M[j * d + (d - 1 - q)];
        tsv_row(t, "%d\t%.10g\t%d\t%.10g\t%.10g\t%.10g", panel, time, labels[i], pc[0], pc[1], pc[2]);
    }
    free(Zc), free(M), free(w), free(mu);
}

// ---- part 6: the ReLU network on MNIST pairs, three losses ----
static void part_mlp_mnist(int losses) {
    int n = C.quick && !cli_given(&C, "mlp-n") ? 128 : P.mlp_n, d = P.mlp_d, h = P.mlp_width;
    const char *ids[] = {"ssl.C9a", "ssl.C9b", "ssl.C9c", "ssl.C9d", "ssl.C9e", "ssl.C9f", "ssl.C9g"};
    if (!mnist_available(C.mnist_dir)) {
        if (cli_given(&C, "part"))
            DIE("MNIST is absent from %s, and --part mlp-mnist needs it: run make data", C.mnist_dir);
        for (int i = 0; i < 7; i++) claim_skip(ids[i], CLAIM_EXPERIMENT, "MNIST absent: run make data");
        return;
    }
    if (C.quick && !cli_given(&C, "losses")) losses = 1 << LOSS_BT;  // quick: Barlow Twins only
    pairs D;
    unsigned char *labels = XNEW(unsigned char, n);
    char err[512];
    if (make_mnist_pooled(&D, labels, n, P.pool, err, sizeof err) != 0) DIE("%s", err);
    // The linear model's clock on these inputs: the top eigenvalues of the pooled Gamma.
    double gam[16], *V = XNEW(double, (size_t)D.m *d);
    gamma_eigs(&D, d, gam, V);
    free(V);
    netrun runs[4];
    long *grids[4] = {0};
    int ngrids[4] = {0};
    netsteps st[4];
    const char *names[4] = {"bt_small", "simclr_small", "vicreg_small", "bt_std"};
    int have[4] = {0};
    for (int r = 0; r < 4; r++) {
        ssl_loss l = r == 3 ? LOSS_BT : (ssl_loss)r;
        if (!(losses >> l & 1)) continue;
        double alpha = r == 3 ? 1.0 : P.mlp_alpha;
        char label[64], file[96];
        snprintf(label, sizeof label, "mnist net %s", names[r]);
        double eta = l == LOSS_SIMCLR ? P.simclr_lr : l == LOSS_VICREG ? P.vicreg_lr : P.mlp_lr;
        double tend = r == 3 ? NET_STD_T : l == LOSS_SIMCLR ? P.simclr_t : l == LOSS_VICREG ? P.vicreg_t : P.bt_t;
        long nsteps = (long)ceil(tend / eta);
        long *grid = XNEW(long, 2 * N_GRID + 1);
        int ngrid = track_grid_steps(nsteps, N_GRID, N_GRID, grid);
        grids[r] = grid, ngrids[r] = ngrid;
        netspec ns = {.h = h,
                      .d = d,
                      .alpha = alpha,
                      .eta = eta,
                      .nsteps = nsteps,
                      .loss = l,
                      .lambda_off = 1.0,
                      .tau = P.tau,
                      .seed = C.seed,
                      .label = label,
                      .cov = 1,
                      .grid = grid,
                      .ngrid = ngrid};
        run_net(&D, &ns, &runs[r]);
        measure_net(&runs[r], grid, ngrid, l == LOSS_BT, &st[r]);
        snprintf(file, sizeof file, "mnist_mlp_%s.tsv", names[r]);
        write_net(file, &runs[r], &D, h, grid, ngrid);
        have[r] = 1;
    }
    // The step-time table.
    printf(
        "# MNIST network (m = %d, h = %d, d = %d, n = %d, alpha = %g x He): step times of eig Sig (level %g), "
        "hidden half-rise (BT: eig C at 1/2)\n#  j   gamma_j  g1/gj",
        D.m, h, d, n, P.mlp_alpha, NET_THETA);
    for (int r = 0; r < 4; r++)
        if (have[r]) printf("  %12s  t/t1  hidden", names[r]);
    printf("\n");
    tsv *tt = tsv_open(&C, "mnist_mlp_steps.tsv", "ssl.C9");
    tsv_allow_nonfinite(tt, 1);
    tsv_note(tt,
             "step times t_<run>: first crossing of 1/2 by eig C (Barlow Twins) or of 0.1 by the eigenvalues "
             "of the embedding covariance (SimCLR, VICReg); th_<run>: half-rise times of the hidden covariance's "
             "top eigenvalues; gamma_j: the pooled data's Gamma");
    tsv_columns(tt,
                "j\tgamma_j\tt_bt_small\tth_bt_small\tt_simclr_small\tth_simclr_small\tt_vicreg_small\t"
                "th_vicreg_small\tt_bt_std\tth_bt_std");
    for (int j = 0; j < d; j++) {
        printf("# %2d  %8.5f  %5.2f", j + 1, gam[j], gam[0] / gam[j]);
        char row[1024];
        int o = snprintf(row, sizeof row, "%d\t%.10g", j + 1, gam[j]);
        for (int r = 0; r < 4; r++) {
            double a = have[r] ? st[r].ts[j] : NAN, b = have[r] ? st[r].th[j] : NAN;
            if (have[r]) printf("  %12.3f  %4.2f  %6.3f", a, a / st[r].ts[0], b);
            o += snprintf(row + o, sizeof row - o, "\t%.10g\t%.10g", a, b);
        }
        printf("\n");
        tsv_row(tt, "%s", row);
    }
    tsv_close(tt);
    for (int r = 0; r < 4; r++) {
        if (!have[r]) continue;
        printf("# %s: %d modes learned, overlaps o_j =", names[r], st[r].nlearn);
        for (int j = 0; j + 1 < st[r].nlearn; j++) printf(" %.3g", st[r].ov[j]);
        printf(" (median %.3g)\n", st[r].ov_median);
    }
    // ssl.C9a-c: Barlow Twins from small init -- the staircase at the theory's integers, one mode at
    // a time, on the linear model's clock.
    if (have[0]) {
        printf("# bt_small: integer plateaus");
        int np = bt_plateaus(&runs[0].T, d, 1);
        printf("\n");
        int need = C.quick ? 2 : 3;
        char tol[64];
        snprintf(tol, sizeof tol, ">= %d", need);
        claim_check("ssl.C9a", CLAIM_EXPERIMENT, np >= need,
                    "MNIST net, BT small init: loss plateaus at integers d-k (+-0.05)", np, tol);
        // o_j <= 0.1: the next mode is at most a tenth of the way to the level when this one crosses it
        // (from small init it is ~1e-3 of it; see the table).
        claim_check("ssl.C9b", CLAIM_EXPERIMENT, st[0].nlearn >= need && st[0].ov_median <= 0.1,
                    "MNIST net, BT small init: median overlap of consecutive steps o_j", st[0].ov_median, "<= 0.1");
        // The linear model's clock, t_j / t_1 = gamma_1 / gamma_j to leading order, is not the network's:
        // printed, never gated (no theory here predicts the network's step times).
        double worst = 0;
        for (int j = 1; j < 4 && j < d; j++)
            worst = fmax(worst, fabs(st[0].ts[j] / st[0].ts[0] / (gam[0] / gam[j]) - 1));
        claim_report("ssl.C9c", CLAIM_EXPERIMENT,
                     "MNIST net, BT small init: max_{j=2..4} |(t_j/t_1)/(gamma_1/gamma_j) - 1| (linear model's clock)",
                     worst);
        // Hidden layer: its covariance grows at the embedding's steps and rests on its plateaus.  With
        // Hsum(t) the sum of the hidden covariance's top d eigenvalues (snapshot grid, interpolated):
        // the growth over the middle half of plateau k, [t_k + (t_k+1 - t_k)/4, t_k + 3(t_k+1 - t_k)/4],
        // against the growth across step k (mid-plateau k-1 to mid-plateau k), k = 1..4.  Growth
        // spread evenly in time would give a ratio ~ 1/2; 0.2 leaves room for the slow drift
        // of the ReLU features inside a plateau (0.005-0.13 relative growth measured).
        double rmax = 0, tprev = 0.5 * st[0].ts[0];
        for (int k = 0; k < 4 && k + 1 < st[0].nlearn; k++) {
            double a = st[0].ts[k], b = st[0].ts[k + 1];
            double gp = hidden_sum_at(&runs[0], grids[0], ngrids[0], a + 0.75 * (b - a)) /
                            hidden_sum_at(&runs[0], grids[0], ngrids[0], a + 0.25 * (b - a)) -
                        1;
            double gs = hidden_sum_at(&runs[0], grids[0], ngrids[0], 0.5 * (a + b)) /
                            hidden_sum_at(&runs[0], grids[0], ngrids[0], tprev) -
                        1;
            printf("# bt_small hidden layer: plateau %d [%.1f, %.1f] growth %.3g, step %d growth %.3g\n", k + 1, a, b,
                   gp, k + 1, gs);
            rmax = fmax(rmax, gp / gs);
            tprev = 0.5 * (a + b);
        }
        if (st[0].nlearn < 5) rmax = INFINITY;
        claim_check("ssl.C9d", CLAIM_EXPERIMENT, rmax <= 0.2,
                    "MNIST net, BT small init: hidden covariance, max_k growth(plateau k) / growth(step k), k <= 4",
                    rmax, "<= 0.2");
    }
    // ssl.C9e: SimCLR from small init, the same signature.
    if (have[1])
        claim_check("ssl.C9e", CLAIM_EXPERIMENT, st[1].nlearn >= 3 && st[1].ov_median <= 0.1,
                    "MNIST net, SimCLR small init: median overlap o_j (>= 3 modes learned)", st[1].ov_median, "<= 0.1");
    // ssl.C9f: VICReg from small init.  One direction spread over all d coordinates meets every
    // coordinate's variance hinge at once, so the first plateau has rank 1 with eigenvalue d; with
    // the hinge met, a rank-k embedding's smallest covariance term is c = d/k - 1 per view (trace d
    // on k equal eigenvalues), so the plateaus sit at 2 nu (d/k - 1) = 10, 4, 2, ... for d = 6.
    // Measured on the middle half of the first plateau (from the first step to the second, or to
    // the end of the run: the second escape, driven by the weak covariance term, comes at t = 8 to
    // beyond 30 depending on the seed): the median loss against 2 nu (d - 1), and the top
    // eigenvalue there against d.  Tolerance 10 %: the plateau is not flat (the loss creeps down by
    // ~1 % as the second mode grows) and GD at this step size rattles by ~+-5 % on it.
    if (have[2]) {
        const traj *T = &runs[2].T;
        double ta = st[2].ts[0], tb = isfinite(st[2].ts[1]) ? st[2].ts[1] : T->t[T->nsteps];
        long ka = (long)ceil((ta + 0.25 * (tb - ta)) / T->eta), kb = (long)floor((ta + 0.75 * (tb - ta)) / T->eta);
        int ok = isfinite(ta) && kb > ka;
        double lev = 2 * 1.0 * (d - 1), med = ok ? fit_median(T->loss + ka, (int)(kb - ka + 1)) : NAN;
        double *ev = XNEW(double, kb > ka ? kb - ka + 1 : 1);
        for (long k = ka; k <= kb; k++) ev[k - ka] = runs[2].sig[(size_t)k * d];
        double emed = ok ? fit_median(ev, (int)(kb - ka + 1)) : NAN;
        free(ev);
        printf(
            "# vicreg_small: first step at t = %.3f, second at t = %.3f; first plateau: median loss %.4f "
            "(theory 2 nu (d - 1) = %.4f), median top eigenvalue %.3f (theory d = %d)\n",
            ta, st[2].ts[1], med, lev, emed, d);
        double dev = fmax(fabs(med / lev - 1), fabs(emed / d - 1));
        claim_check("ssl.C9f", CLAIM_EXPERIMENT, ok && dev <= 0.1,
                    "MNIST net, VICReg small init: first plateau, max(|L/(2 nu (d-1)) - 1|, |eig_1/d - 1|)", dev,
                    "0.1");
    }
    // ssl.C9g: Barlow Twins from standard init: no integer plateau, every mode up at once.
    if (have[3]) {
        int np = bt_plateaus(&runs[3].T, d, 0);
        printf("# bt_std: %d integer plateaus, loss %.3f -> %.3g\n", np, runs[3].T.loss[0],
               runs[3].T.loss[runs[3].T.nsteps]);
        claim_check("ssl.C9g", CLAIM_EXPERIMENT, np == 0, "MNIST net, BT standard init: integer plateaus", np, "0");
    }
    // Claims of runs not made (--losses, or --quick: Barlow Twins only).
    const char *why = C.quick ? "not run at --quick (Barlow Twins only)" : "loss not in --losses";
    if (!have[0])
        for (int q = 0; q < 4; q++) claim_skip(ids[q], CLAIM_EXPERIMENT, why);
    if (!have[1]) claim_skip("ssl.C9e", CLAIM_EXPERIMENT, why);
    if (!have[2]) claim_skip("ssl.C9f", CLAIM_EXPERIMENT, why);
    if (!have[3]) claim_skip("ssl.C9g", CLAIM_EXPERIMENT, why);
    // PCA views of the Barlow Twins embedding (small init): on the first plateau (a point), after
    // the first step (a line), after the second (a plane), and at the end.
    if (have[0]) {
        tsv *pt = tsv_open(&C, "mnist_mlp_pca.tsv", "ssl.C9");
        tsv_note(pt,
                 "first-view embeddings projected on their own top three principal directions, at the middle of "
                 "the first three plateaus of the BT small-init run and at its end; label = digit");
        tsv_columns(pt, "panel\tt\tlabel\tpc1\tpc2\tpc3");
        const netrun *R0 = &runs[0];
        double tp[4] = {0.5 * st[0].ts[0], 0.5 * (st[0].ts[0] + st[0].ts[1]), 0.5 * (st[0].ts[1] + st[0].ts[2]),
                        R0->T.t[R0->T.nsteps]};
        for (int q = 0; q < 4; q++) {
            int g = 0;
            while (g + 1 < ngrids[0] && R0->T.t[grids[0][g + 1]] <= tp[q]) g++;
            if (isfinite(tp[q])) pca_rows(pt, q + 1, R0->T.t[grids[0][g]], R0->emb + (size_t)g * n * d, n, d, labels);
        }
        tsv_close(pt);
    }
    for (int r = 0; r < 4; r++)
        if (have[r]) netrun_free(&runs[r]), free(grids[r]);
    free(labels);
    pairs_free(&D);
    progress_done("MNIST network part done at %.1f s", util_now() - T0);
}
