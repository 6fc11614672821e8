// ---- finite-width networks in the NTK parametrisation ----
//
// The paper's network (its Fig. 1 and Fig. 2 markers): a ReLU MLP with L hidden layers of width
// w, trained by full-batch gradient descent on the squared loss to convergence, in the NTK
// parametrisation whose infinite-width kernel is common/kernel's "ntk" (neural-tangents
// semantics, conventions.md, Kernels):
//
//     z_1 = (sigma_w/sqrt(d)) W_1 x + sigma_b beta_1,
//     z_{l+1} = (sigma_w/sqrt(w)) W_{l+1} relu(z_l) + sigma_b beta_{l+1}   (l < L),
//     f(x) = (1/sqrt(w)) W_{L+1} relu(z_L),
//
// with every W, beta ~ N(0, 1).  On common/nn the multipliers c_l carry sigma_w/sqrt(fan_in)
// (1/sqrt(w) at the read-out); nn's biases are not multiplied, so we store b_l = sigma_b beta_l
// (initialised N(0, sigma_b^2)) and give it the step sigma_b^2 * dL/db: gradient descent on
// beta, written in b.  The read-out has no bias (nn allocates one; it stays 0, gradient zeroed).
//
// Centring.  The trained network is reported as f(x; theta_T) - f(x; theta_0), the change from
// initialisation.  Without it, f(.; theta_0), a random function of O(1) size at EVERY width
// (its covariance is the NNGP kernel), adds an init-dependent term to every learnability that
// does not shrink with width and is not the NTK prediction.  The linearised centred net equals
// NTK regression with the empirical kernel, so what remains is exactly the finite-width effect.
// (We do not know what the authors' notebooks did here; the note says so.)
//
// Loss and step: L = (1/2n) sum_i (f(x_i) - y_i)^2, plain full-batch GD with step eta (the
// paper: 0.5), stopped when the train MSE (1/n) sum (f - y)^2 falls below tol (the paper: 1e-5)
// or after max_steps; both are reported.
typedef struct {
    nn *net;
    int d, width, depth;  // input dimension, hidden width, hidden layers
    int nout;             // outputs (1, or one per target trained jointly)
    double wstd, bstd;
    double *theta0;  // parameters at initialisation (the centring reference)
} ntknet;

static ntknet ntknet_alloc(int d, int width, int depth, double wstd, double bstd, int nout, int max_batch) {
    ntknet a = {.d = d, .width = width, .depth = depth, .nout = nout, .wstd = wstd, .bstd = bstd};
    int widths[32];
    if (depth + 1 >= 32) DIE("ntknet: depth %d too large", depth);
    widths[0] = d;
    for (int l = 1; l <= depth; l++) widths[l] = width;
    widths[depth + 1] = nout;
    a.net = nn_alloc(depth + 1, widths, NN_RELU, 1, max_batch);
    if (!a.net) DIE("ntknet: nn_alloc (width %d, depth %d): %s", width, depth, sim_last_error());
    for (int l = 1; l <= depth + 1; l++)
        if (nn_set_mult(a.net, l, (l <= depth ? wstd : 1.0) / sqrt((double)widths[l - 1])))
            DIE("ntknet: nn_set_mult failed at layer %d", l);
    a.theta0 = xmalloc(a.net->nparams, sizeof *a.theta0);
    return a;
}
static void ntknet_free(ntknet *a) { nn_free(a->net), free(a->theta0); }

// W ~ N(0,1), hidden biases b = sigma_b beta with beta ~ N(0,1), read-out bias 0; all from one
// stream, layer by layer.  Keeps a copy in theta0.
static void ntknet_init(ntknet *a, uint64_t seed, uint64_t stream) {
    nn *net = a->net;
    gsl_rng *r = rng_alloc(seed, stream);
    for (int l = 1; l <= a->depth + 1; l++) {
        rng_normal_vec(r, (size_t)net->n[l] * net->n[l - 1], net->W[l]);
        for (int i = 0; i < net->n[l]; i++) net->b[l][i] = l <= a->depth ? a->bstd * rng_normal(r) : 0.0;
    }
    rng_free(r);
    memcpy(a->theta0, net->theta, net->nparams * sizeof *net->theta);
}
static void ntknet_reset(ntknet *a) { memcpy(a->net->theta, a->theta0, a->net->nparams * sizeof *a->theta0); }

// The gradient in the NTK parametrisation: dL/dbeta = sigma_b dL/db, and GD on beta moves b by
// sigma_b^2 times the b-gradient; the read-out bias does not train.
static void ntknet_scale_grad(ntknet *a) {
    nn *net = a->net;
    for (int l = 1; l <= a->depth + 1; l++)
        for (int i = 0; i < net->n[l]; i++) net->db[l][i] *= l <= a->depth ? a->bstd * a->bstd : 0.0;
}

// Full-batch GD on (X (n, d), y (n, nout)) from the current parameters.  Returns the number of
// steps taken; *mse gets the final train MSE per output (of f - f0 against y when f0 is given: the
// centred net, f0 (n, nout) = f(X; theta_0)).
static int ntknet_train(ntknet *a, int n, const double *X, const double *y, const double *f0, double eta, int max_steps,
                        double tol, double *mse) {
    nn *net = a->net;
    int s = 0;
    for (;; s++) {
        const double *F = nn_forward(net, n, X);
        if (!F) DIE("nn_forward: %s", sim_last_error());
        double e2 = 0;
        for (int i = 0; i < n * a->nout; i++) {
            double e = F[i] - (f0 ? f0[i] : 0.0) - y[i];
            e2 += e * e;
            net->dout[i] = e / n;
        }
        *mse = e2 / ((double)n * a->nout);
        if (!(*mse > tol) || s >= max_steps) break;
        if (nn_backward(net, net->dout, NULL, 0)) DIE("nn_backward: %s", sim_last_error());
        ntknet_scale_grad(a);
        opt_gd_step(net->nparams, net->theta, net->grad, eta);
    }
    return s;
}

// The empirical NTK at the current parameters on the M points X (M, d):
//   Theta(x, x') = sum_W df(x)/dW df(x')/dW + sum_beta df(x)/dbeta df(x')/dbeta,
// one backward pass per point (the Jacobian J (M, p), in the beta parametrisation), then
// Theta = J J^T by one GEMM.  J is M x nparams doubles: call it on a few points only.  One output.
static void ntknet_empirical_ntk(ntknet *a, int M, const double *X, double *Theta) {
    nn *net = a->net;
    if (a->nout != 1) DIE("ntknet_empirical_ntk: one output only");
    size_t p = net->nparams;
    double *J = xmalloc((size_t)M * p, sizeof *J), one = 1.0;
    for (int i = 0; i < M; i++) {
        if (!nn_forward(net, 1, X + (size_t)i * a->d)) DIE("nn_forward: %s", sim_last_error());
        if (nn_backward(net, &one, NULL, 0)) DIE("nn_backward: %s", sim_last_error());
        for (int l = 1; l <= a->depth + 1; l++)  // d f / d beta = sigma_b d f / d b
            for (int k = 0; k < net->n[l]; k++) net->db[l][k] *= l <= a->depth ? a->bstd : 0.0;
        memcpy(J + (size_t)i * p, net->grad, p * sizeof *J);
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, M, (int)p, 1.0, J, (int)p, J, (int)p, 0.0, Theta, M);
    free(J);
}

// ---- the circle's conservation bars for trained networks (paper Fig. 1, net bars) ----
//
// For each width and n, one network initialisation (stream RNG_NET_INIT) is trained from that same
// theta_0 on each of the 10 Fourier modes of Z_10 in turn, on the NTK bars' training set D.  Its
// D-learnability is the kernel's definition applied to the centred net: L_net(g) = <g, f_T - f_0> on
// the 10 points.  For the linearised net this is NTK regression with the empirical kernel of
// theta_0, whose learnabilities also sum to n exactly; the sum of the trained nets' is n up to the
// train residual and the kernel's motion during training.  The deviation |L_net - L_ntk| is the
// finite-width effect: the empirical NTK fluctuates around the analytic one by O(1/sqrt(width)).
typedef struct {
    int width;
    double rms_dev, max_dev;       // over (n, mode) of |L_net - L_ntk|
    double max_sum_dev;            // max over n of |sum_modes L_net - n|
    double max_mse;                // worst final train MSE
    int max_steps;                 // most GD steps taken by a net
    int unconverged;               // nets stopped by the step limit above the train-MSE target
    double ntk_dev, ntk_mean_dev;  // mean ||Theta_hat - Theta||_F/||Theta||_F at init; of the init-mean
    int ntk_inits;
} net_stats;
#define NET_MAXW 8
static struct {
    int nw;
    net_stats w[NET_MAXW];
} st_nets;

// The analytic NTK against the empirical one of `inits` initialisations on the circle's points
// (streams RNG_NTK_CHECK): the mean relative Frobenius deviation, and that of the mean kernel.
static void ntk_check(ntknet *a, const double *X, const double *K, int inits, net_stats *ns, tsv *t) {
    const int M = CIRCLE_M;
    double T[CIRCLE_M * CIRCLE_M], Tm[CIRCLE_M * CIRCLE_M] = {0}, kk = 0;
    for (int i = 0; i < M * M; i++) kk += K[i] * K[i];
    for (int s = 0; s < inits; s++) {
        ntknet_init(a, C.seed, rng_stream_id(RNG_NTK_CHECK, a->width, s));
        ntknet_empirical_ntk(a, M, X, T);
        double e = 0;
        for (int i = 0; i < M * M; i++) e += (T[i] - K[i]) * (T[i] - K[i]), Tm[i] += T[i] / inits;
        ns->ntk_dev += sqrt(e / kk) / inits;
        tsv_row(t, "%d\t%d\t%.6f\t%.6f\t%.6f", a->width, s, T[0] / K[0], T[5] / K[5], sqrt(e / kk));
    }
    double e = 0;
    for (int i = 0; i < M * M; i++) e += (Tm[i] - K[i]) * (Tm[i] - K[i]);
    ns->ntk_mean_dev = sqrt(e / kk), ns->ntk_inits = inits;
}

static void e1_circle_nets(const int *ns, int nsz, const cli_ilist *widths, int inits, tsv *t, tsv *tk) {
    const int M = CIRCLE_M;
    double X[2 * CIRCLE_M], G[CIRCLE_M * CIRCLE_M], K[CIRCLE_M * CIRCLE_M], Lk[CIRCLE_M], pred[CIRCLE_M * CIRCLE_M];
    double XD[2 * CIRCLE_M], y[CIRCLE_M], f0[CIRCLE_M], F[CIRCLE_M], f0all[CIRCLE_M];
    int freq[CIRCLE_M];
    circle_basis(X, G, freq);
    kernel_spec k = kspec(circle_kernels[CIRCLE_NTK].name, circle_kernels[CIRCLE_NTK].bw);
    kernel_gram_sym(&k, M, 2, X, K);
    if (widths->n > NET_MAXW) DIE("--net-widths: at most %d widths", NET_MAXW);
    st_nets.nw = widths->n;
    for (int w = 0; w < widths->n; w++) {
        net_stats *st = &st_nets.w[w];
        memset(st, 0, sizeof *st);
        st->width = (int)widths->v[w];
        ntknet a = ntknet_alloc(2, st->width, P.depth, P.wstd, P.bstd, 1, M);
        ntk_check(&a, X, K, P.ntk_inits, st, tk);
        double ss = 0;
        int cnt = 0;
        for (int q = 0; q < nsz; q++) {
            int n = ns[q];
            size_t D[CIRCLE_M];
            gsl_rng *r = stream(RNG_CIRCLE, CIRCLE_NTK, q);  // the NTK bars' draw
            if (rng_subset(r, M, n, D)) DIE("rng_subset: %s", sim_last_error());
            rng_free(r);
            if (d_learnabilities(M, K, G, M, D, n, 0.0, Lk, pred)) DIE("circle ntk n = %d: Cholesky failed", n);
            for (int i = 0; i < n; i++) XD[2 * i] = X[2 * D[i]], XD[2 * i + 1] = X[2 * D[i] + 1];
            for (int s = 0; s < inits; s++) {
                ntknet_init(&a, C.seed, rng_stream_id(RNG_NET_INIT, st->width, 10 * q + s));
                const double *F0 = nn_forward(a.net, M, X);
                if (!F0) DIE("nn_forward: %s", sim_last_error());
                memcpy(f0all, F0, sizeof f0all);
                for (int i = 0; i < n; i++) f0[i] = f0all[D[i]];
                double sum = 0;
                for (int b = 0; b < M; b++) {
                    ntknet_reset(&a);
                    for (int i = 0; i < n; i++) y[i] = G[D[i] * M + b];
                    double mse;
                    int steps = ntknet_train(&a, n, XD, y, f0, P.net_lr, P.net_steps, P.net_tol, &mse);
                    nn_predict(a.net, M, X, F);
                    double Ln = 0;
                    for (int x = 0; x < M; x++) Ln += G[x * M + b] * (F[x] - f0all[x]);
                    Ln /= M;
                    sum += Ln;
                    double dev = Ln - Lk[b];
                    ss += dev * dev, cnt++;
                    st->max_dev = fmax(st->max_dev, fabs(dev));
                    st->max_mse = fmax(st->max_mse, mse);
                    if (steps > st->max_steps) st->max_steps = steps;
                    if (!(mse <= P.net_tol)) st->unconverged++;
                    tsv_row(t, "%d\t%d\t%d\t%d\t%d\t%.10g\t%.10g\t%d\t%.3g", st->width, n, s, b, freq[b], Lk[b], Ln,
                            steps, mse);
                }
                st->max_sum_dev = fmax(st->max_sum_dev, fabs(sum - n));
                progress("circle nets: width %d, n = %d, init %d done (sum L_net = %.4f)", st->width, n, s, sum);
            }
        }
        st->rms_dev = sqrt(ss / cnt);
        ntknet_free(&a);
    }
}

// ---- claims of the networks ----
//
// All experiments (trained networks against the analytic NTK computed without them).  The
// tolerances come from the finite-width fluctuation of the kernel itself: we measured the relative
// Frobenius deviation of one initialisation's empirical NTK from the analytic one on the circle
// points as about 3.5/sqrt(width) (0.32 at width 125 and 0.157 at 500, mean of 40 and 20 inits;
// 0.080 at 2000, 4 inits), and the mean over inits of the empirical NTK within noise of the
// analytic kernel (ratios 1.06, 1.06, 1.02 on the diagonal, the 1/5-turn and the antipodal
// pair at width 500, 20 inits): the normalisation matches, no factor is missing.
static void claims_networks(void) {
    char what[400];
    int nw = st_nets.nw;
    if (nw < 1) return;
    net_stats *big = &st_nets.w[nw - 1], *small = &st_nets.w[0];
    // krr.C10: the mean of S inits' empirical NTKs is the analytic NTK up to the noise
    // 3.5/sqrt(width S); asserted within twice that.  A wrong normalisation (a factor 2 in the
    // kernel, or sigma_b missing from the biases) gives a deviation of 0.5 or more.
    double tol10 = 7.0 / sqrt((double)big->width * big->ntk_inits);
    snprintf(what, sizeof what,
             "width %d: ||mean of %d empirical NTKs at init - analytic NTK||_F / ||NTK||_F on Z_10 "
             "(one init: %.3f; width %d: %.3f)",
             big->width, big->ntk_inits, big->ntk_dev, small->width, small->ntk_dev);
    char tol[64];
    snprintf(tol, sizeof tol, "%.3f = 7/sqrt(width inits)", tol10);
    claim_check("krr.C10", CLAIM_EXPERIMENT, big->ntk_mean_dev <= tol10, what, big->ntk_mean_dev, tol);
    // krr.C11: the trained nets' mode learnabilities at the largest width lie within 0.04 rms
    // (and 0.1 for any mode) of the NTK's on the same training sets.  Measured at width 500,
    // one init per n: rms 0.018, 0.017, 0.025 and max 0.040, 0.037, 0.056 at seeds 1, 2, 3.
    snprintf(what, sizeof what,
             "width %d: rms over modes, n and inits of |L_net - L_ntk| (max %.4f, tolerance 0.1; "
             "width %d: rms %.4f, max %.4f; max GD steps %d, unconverged nets %d)",
             big->width, big->max_dev, small->width, small->rms_dev, small->max_dev, big->max_steps,
             big->unconverged + small->unconverged);
    claim_check("krr.C11", CLAIM_EXPERIMENT, big->rms_dev <= 0.04 && big->max_dev <= 0.1 && !big->unconverged, what,
                big->rms_dev, "0.04");
    // krr.C12: conservation for trained nets.  Exact (sum = n) for the linearised net; what
    // breaks it is the kernel's motion during training, O(1/sqrt(width)), and the train residual
    // (MSE 1e-5, at most a 0.003 error per mode).  Measured, max over 2 n x 3 inits: 0.042, 0.049,
    // 0.046 at width 500 and 0.084, 0.066, 0.086 at width 125 (seeds 1, 2, 3).  Asserted: within
    // 0.08 of n (1.3% of n = 6) at the largest width.
    snprintf(what, sizeof what, "width %d: max over n and inits of |sum_modes L_net - n| (width %d: %.4f)", big->width,
             small->width, small->max_sum_dev);
    claim_check("krr.C12", CLAIM_EXPERIMENT, big->max_sum_dev <= 0.08, what, big->max_sum_dev, "0.08");
    // krr.C13: the finite-width deviation shrinks with width.  The kernel's fluctuation scales as
    // 1/sqrt(width), which predicts a ratio sqrt(w_big/w_small) (2 for 125 -> 500).  With 3 inits
    // per (width, n) the measured ratio scatters between seeds (1.41, 1.75, 1.79 at seeds 1, 2, 3;
    // 2.5, 1.7, 1.5 with one init): consistent with 2 but not a measurement of the exponent.
    // Asserted: the rms deviation falls by at least 1.25 from the smallest to the largest width.
    if (nw >= 2) {
        double ratio = small->rms_dev / big->rms_dev, pred = sqrt((double)big->width / small->width);
        snprintf(what, sizeof what,
                 "rms |L_net - L_ntk| at width %d / at width %d (1/sqrt(width) predicts %.2f; "
                 "exponent %.2f, predicted 0.5)",
                 small->width, big->width, pred, log(ratio) / log((double)big->width / small->width));
        claim_check("krr.C13", CLAIM_EXPERIMENT, ratio >= 1.25, what, ratio, ">= 1.25");
    }
}
