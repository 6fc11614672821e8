// ---- Part 5: a ReLU network on latent data, small vs standard init (ssl.C7) ----
//
// 05-mlp-latent: part 5 -- a one-hidden-layer ReLU network trained on the Barlow Twins loss, small
// against standard init, on synthetic latent data (ssl.C7).

// ---- experiment: the nonlinear model ----
//
// f(x) = W2 relu(W1 x), bias-free, W1 (h, m), W2 (d, h), init_normal_scaled with scale alpha x He
// (stream RNG_INIT); full-batch GD on one of three joint-embedding losses.  Both views go through
// the network as one batch of 2n rows [Xa; Xb]; the loss returns dL/dZa and dL/dZb into the two
// halves of the output gradient (common/loss for Barlow Twins, common/sslloss for the others).
//
// Recorded at every step: the loss, and the eigenvalues (descending) of
//   C   = (Za^T Zb + Zb^T Za)/(2n), the Barlow Twins cross-correlation (symmetrised), and
//   Sig = Uc^T Uc / (2n), the covariance of the 2n stacked embeddings U = [Za; Zb] (centred),
// the second only when asked (`cov`).  On the snapshot grid (`grid`, ngrid steps), when asked:
// the top d eigenvalues of the hidden layer's covariance (relu(X W1^T) centred, (h, h)), and the
// first view's embeddings Za (n, d).
typedef enum { LOSS_BT = 0, LOSS_SIMCLR, LOSS_VICREG } ssl_loss;
static const char *const LOSS_NAME[] = {"bt", "simclr", "vicreg"};

typedef struct {
    int h, d;            // hidden width, embedding dimension
    double alpha, eta;   // init scale (x He), step size
    long nsteps;         // GD steps
    ssl_loss loss;       // which loss
    double lambda_off;   // Barlow Twins: off-diagonal weight
    int original;        // Barlow Twins: original (standardised) form
    double tau;          // NT-Xent temperature
    unsigned long seed;  // seeds the init stream RNG_INIT
    const char *label;   // for progress and messages
    int cov;             // record the eigenvalues of Sig every step (into `sig`)
    const long *grid;    // snapshot steps (ascending), or NULL
    int ngrid;
} netspec;

typedef struct {
    traj T;       // loss and eig C per step
    double *sig;  // (nsteps+1, d) eig Sig per step, or NULL
    double *hid;  // (ngrid, d) top eigenvalues of the hidden covariance, or NULL
    double *emb;  // (ngrid, n, d) Za at the snapshots, or NULL
} netrun;

static void netrun_free(netrun *R) {
    traj_free(&R->T);
    free(R->sig), free(R->hid), free(R->emb);
}

// Eigenvalues (descending) of the centred covariance of the rows of A (N, k), top `top` of them,
// with the workspaces given: M (k, k), mu (k), Ac (N, k).
static void cov_top_eigs(int N, int k, const double *A, int top, double *Ac, double *mu, double *M, eigws *e,
                         double *out) {
    for (int j = 0; j < k; j++) mu[j] = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < k; j++) mu[j] += A[(size_t)i * k + j] / N;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < k; j++) Ac[(size_t)i * k + j] = A[(size_t)i * k + j] - mu[j];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, k, N, 1.0 / N, Ac, k, Ac, k, 0, M, k);
    double *all = XNEW(double, k);
    eig_desc(e, M, all);
    memcpy(out, all, (size_t)top * sizeof *out);
    free(all);
}

static void run_net(const pairs *D, const netspec *S, netrun *R) {
    int n = D->n, m = D->m, h = S->h, d = S->d, widths[3] = {m, h, d};
    long nsteps = S->nsteps;
    double eta = S->eta;
    memset(R, 0, sizeof *R);
    nn *net = nn_alloc(2, widths, NN_RELU, 0, 2 * n);
    if (!net) DIE("%s: nn_alloc (widths %d-%d-%d): %s", S->label, m, h, d, sim_last_error());
    if (init_net_normal_scaled(net, S->seed, RNG_INIT, S->alpha, sqrt(2.0), NULL) != 0)
        DIE("%s: init_net_normal_scaled: %s", S->label, sim_last_error());
    double *X = XNEW(double, (size_t)2 * n * m);
    memcpy(X, D->Xa, (size_t)n * m * sizeof *X);
    memcpy(X + (size_t)n * m, D->Xb, (size_t)n * m * sizeof *X);
    loss_bt_ws *bw = loss_bt_alloc(n, d);
    if (!bw) DIE("%s: loss_bt_alloc: %s", S->label, sim_last_error());
    sslloss_ntxent_ws *nw = S->loss == LOSS_SIMCLR ? sslloss_ntxent_alloc(n, d) : NULL;
    sslloss_vicreg_ws *vw = S->loss == LOSS_VICREG ? sslloss_vicreg_alloc(n, d) : NULL;
    if ((S->loss == LOSS_SIMCLR && !nw) || (S->loss == LOSS_VICREG && !vw)) DIE("%s: %s", S->label, sim_last_error());
    static const sslloss_vicreg_par vpar = SSLLOSS_VICREG_DEFAULTS;
    double *Cs = XNEW(double, (size_t)d *d), *Ac = XNEW(double, (size_t)2 * n * (h > d ? h : d)),
           *mu = XNEW(double, h > d ? h : d), *M = XNEW(double, (size_t)(h > d ? h : d) * (h > d ? h : d));
    eigws e, eh;
    eigws_alloc(&e, d);
    eigws_alloc(&eh, h);
    traj_alloc(&R->T, d, nsteps, eta);
    if (S->cov) R->sig = XNEW(double, (size_t)(nsteps + 1) * d);
    if (S->grid) {
        R->hid = XNEW(double, (size_t)S->ngrid *d);
        R->emb = XNEW(double, (size_t)S->ngrid *n *d);
    }
    int g = 0;
    for (long k = 0; k <= nsteps; k++) {
        const double *F = nn_forward(net, 2 * n, X);  // F is (2n, d): [Za; Zb]
        if (!F) DIE("%s: nn_forward: %s", S->label, sim_last_error());
        const double *Fb = F + (size_t)n * d;
        double *dFa = net->dout, *dFb = net->dout + (size_t)n * d, L;
        if (S->loss == LOSS_SIMCLR) {
            L = sslloss_ntxent(nw, F, Fb, S->tau, dFa, dFb);
            loss_bt_theory(bw, F, Fb, 1.0, NULL, NULL);  // only for C
        } else if (S->loss == LOSS_VICREG) {
            L = sslloss_vicreg(vw, F, Fb, &vpar, dFa, dFb);
            loss_bt_theory(bw, F, Fb, 1.0, NULL, NULL);
        } else {
            L = S->original ? loss_bt_original(bw, F, Fb, S->lambda_off, dFa, dFb)
                            : loss_bt_theory(bw, F, Fb, S->lambda_off, dFa, dFb);
        }
        if (!isfinite(L))
            DIE("%s: the loss is not finite at step %ld; lower the step size (eta = %g) %s", S->label, k, eta,
                sim_last_error());
        R->T.loss[k] = L;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) Cs[i * d + j] = 0.5 * (bw->C[i * d + j] + bw->C[j * d + i]);
        eig_desc(&e, Cs, R->T.c + (size_t)k * d);
        if (S->cov) cov_top_eigs(2 * n, d, F, d, Ac, mu, M, &e, R->sig + (size_t)k * d);
        if (S->grid && g < S->ngrid && S->grid[g] == k) {
            cov_top_eigs(2 * n, h, net->H[1], d, Ac, mu, M, &eh, R->hid + (size_t)g * d);
            memcpy(R->emb + (size_t)g * n * d, F, (size_t)n * d * sizeof *F);
            g++;
        }
        if (k < nsteps) {
            if (nn_backward(net, net->dout, NULL, 0)) DIE("%s: nn_backward: %s", S->label, sim_last_error());
            opt_gd_step(net->nparams, net->theta, net->grad, eta);
        }
        if ((k & 255) == 0) progress("%s: step %ld/%ld  loss %.4f", S->label, k, nsteps, L);
    }
    eigws_free(&e), eigws_free(&eh);
    free(X), free(Cs), free(Ac), free(mu), free(M);
    loss_bt_free(bw), sslloss_ntxent_free(nw), sslloss_vicreg_free(vw), nn_free(net);
}

// ---- part 5: the ReLU network on latent data ----
static void part_mlp_latent(void) {
    int n = C.quick && !cli_given(&C, "n") ? 100 : MLP_N;
    int d = cli_given(&C, "d") ? P.d : (C.quick ? 4 : MLP_D);
    double eta = P.lr > 0 ? P.lr : MLP_ETA;
    long nsteps = C.quick && !cli_given(&C, "steps") ? 4000 : P.steps;
    pairs L;
    make_latent(&L, C.seed, MLP_M, n, LAT_VAR, LAT_NOISE, -1, 1);
    netrun Rs, Rst;
    netspec small = {.h = P.width,
                     .d = d,
                     .alpha = P.init_scale,
                     .eta = eta,
                     .nsteps = nsteps,
                     .lambda_off = P.lambda_off,
                     .original = P.bt_original,
                     .seed = C.seed,
                     .label = "mlp small"};
    run_net(&L, &small, &Rs);
    traj Ts = Rs.T;
    write_traj(&C, "mlp_small.tsv", "ssl.C7", &Ts, NULL, NULL, 0);
    // Plateaus: dwells within +-0.05 of each integer level 1..d (band 0.05/level, t_b >= 1.1 t_a).
    int nplat = 0;
    printf("# MLP small init (alpha = %g x He): plateaus", P.init_scale);
    for (int lev = d; lev >= 1; lev--) {
        steps_dwell dw;
        if (steps_dwell_at(Ts.t, Ts.loss, nsteps + 1, lev, 0.05 / lev, STEPS_DWELL_RATIO, &dw)) {
            printf("  %d: [%.1f, %.1f] median %.4f", lev, dw.ta, dw.tb, dw.median);
            nplat++;
        }
    }
    // Jumps in the count of eigenvalues of C above 1/2.
    int jumps = 0, best = 0;
    for (long k = 0; k <= nsteps; k++) {
        int cnt = 0;
        for (int j = 0; j < d; j++) cnt += Ts.c[(size_t)k * d + j] > 0.5;
        if (cnt > best) jumps++, best = cnt;
    }
    printf("\n# MLP small init: %d jumps of #eig(C) > 1/2, final count %d, final loss %.4g\n", jumps, best,
           Ts.loss[nsteps]);
    int need = C.quick ? 2 : 3;
    char tol[64];
    snprintf(tol, sizeof tol, ">= %d", need);
    claim_check("ssl.C7a", CLAIM_EXPERIMENT, nplat >= need, "MLP small init: integer plateaus (+-0.05)", nplat, tol);
    claim_check("ssl.C7b", CLAIM_EXPERIMENT, jumps >= need, "MLP small init: separate jumps of #eig(C) > 1/2", jumps,
                tol);
    if (!C.quick) {
        // The standard-init run to t = MLP_STD_T only, at its smaller stable step: the loss is at 0
        // long before (t ~ 1.3); the small run's whole range (t = 240) cost 4 x its steps.
        double eta_std = fmin(eta, MLP_ETA_STD);
        long nsteps_std = (long)ceil(MLP_STD_T / eta_std);
        netspec std = {.h = P.width,
                       .d = d,
                       .alpha = 1.0,
                       .eta = eta_std,
                       .nsteps = nsteps_std,
                       .lambda_off = P.lambda_off,
                       .original = P.bt_original,
                       .seed = C.seed,
                       .label = "mlp std"};
        run_net(&L, &std, &Rst);
        traj Tst = Rst.T;
        nsteps = nsteps_std;
        write_traj(&C, "mlp_std.tsv", "ssl.C7", &Tst, NULL, NULL, 0);
        // First time below 0.5 vs first window of 10 % of the run with a < 1 % change.
        double tb = steps_crossing(Tst.t, Tst.loss, nsteps + 1, 0, 0.5, STEPS_DOWN);
        long win = nsteps / 10;
        double tflat = INFINITY;
        for (long k = 0; k + win <= nsteps; k++) {
            double lo = INFINITY, hi = -INFINITY;
            for (long q = k; q <= k + win; q++) lo = fmin(lo, Tst.loss[q]), hi = fmax(hi, Tst.loss[q]);
            if (hi - lo < 0.01 * Tst.loss[k]) {
                tflat = Tst.t[k];
                break;
            }
        }
        printf("# MLP standard init: loss %.3f -> below 0.5 at t = %.3f; first flat window at t = %.3f\n", Tst.loss[0],
               tb, tflat);
        claim_check("ssl.C7c", CLAIM_EXPERIMENT, isfinite(tb) && tb < tflat,
                    "MLP standard init: t(loss < 0.5) before the first flat 10% window (t)", tb, "< t_flat");
        netrun_free(&Rst);
    } else {
        claim_skip("ssl.C7c", CLAIM_EXPERIMENT, "standard-init run not part of --quick");
    }
    netrun_free(&Rs);
    pairs_free(&L);
    progress_done("MLP part done at %.1f s", util_now() - T0);
}
