// ---- experiment T5: networks trained to interpolation (CPU-scale analogues of Fig. 3 and Fig. 8) ----
//
// The paper's second half: deep networks that interpolate noisy training data are TEMPERED
// (their noise profile rises with the flip rate, but less than 1-NN's), and the same networks
// stopped early are BENIGN.  The paper shows it with WideResNets on CIFAR-10/SVHN and MLPs on
// binary MNIST (Fig. 3) and with full-batch GD on the sphere (Fig. 8).  We run CPU-scale
// analogues, on common/nn (forward/backward by GEMM), loss, init:
//
// (a) Binary MNIST (even +1, odd -1), images 2x2-average-pooled to 14x14 = 196 inputs and
//     standardised (global pixel mean and sd of the training rows), n in {500, 1000} training
//     images, 1000 test images, flip rate p in {0, ..., 0.4} (nested flips, as in T4).  A ReLU MLP
//     196 -> h -> 1 (h = 256, biases, He init) trained by full-batch Adam on the MSE
//     (1/2n)|f - y|^2 until it INTERPOLATES: every training label, flipped ones included, has the
//     sign of f, and the train MSE is below 0.01 (at most mlp_steps steps; a net that does not
//     get there is reported).  Beside it, on the same pooled images and the same flips: the
//     Laplace kernel (ell = 14 = sqrt 196, as ell = 28 = sqrt 784 on full images) ridgeless, and
//     1-NN.  Tempered: err(p) - err(0) is above 0 (not benign) and below p(1 - 2 e0), the 1-NN
//     line e0 + p(1 - 2 e0) through the method's own p = 0 error.
// (b) Early stopping vs interpolation on S^3 (d = 4): target f* = 1, labels y = 1 + eta with
//     eta ~ N(0, 1); a ReLU MLP 4 -> h -> 1 (h = 512, biases) trained by full-batch GD on the MSE;
//     the test MSE against fresh NOISY labels (Bayes risk sigma^2 = 1, the noise floor) is recorded
//     along training.  Benign when stopped early: the minimum over time is near 1.  Tempered at
//     the end: once the net interpolates the noise, the test MSE sits above 1 by a finite amount.
//     The reference for that amount is the ReLU NTK's ridgeless excess on S^3 (ntk1b,
//     eigenframework, (E0 - 1) sigma^2; the trained net is not in the kernel regime exactly, so
//     this is a scale, not a prediction).
//
// Sizes are far below the paper's (n up to 60k MNIST images with 2 x 1024 MLPs; WRN-28-10 on
// CIFAR-10): flags --mlp-n, --mlp-width, --mlp-steps, --mlp-pool 1 (full 784-pixel images) and
// --es-n, --es-width, --es-steps scale them up (times in the note).

// Full-batch Adam (Kingma & Ba) on the flat parameter vector; common/opt has GD and SGD only.
// m <- b1 m + (1-b1) g,  v <- b2 v + (1-b2) g^2,  theta <- theta - lr mhat/(sqrt(vhat) + eps).
typedef struct {
    size_t p;
    double b1, b2, eps, *m, *v;
    long t;
} adam;
static adam adam_make(size_t p) {
    return (adam){.p = p, .b1 = 0.9, .b2 = 0.999, .eps = 1e-8, .m = XNEW(double, p), .v = XNEW(double, p)};
}
static void adam_step(adam *a, double *theta, const double *g, double lr) {
    a->t++;
    double c1 = 1 - pow(a->b1, (double)a->t), c2 = 1 - pow(a->b2, (double)a->t);
    for (size_t i = 0; i < a->p; i++) {
        a->m[i] = a->b1 * a->m[i] + (1 - a->b1) * g[i];
        a->v[i] = a->b2 * a->v[i] + (1 - a->b2) * g[i] * g[i];
        theta[i] -= lr * (a->m[i] / c1) / (sqrt(a->v[i] / c2) + a->eps);
    }
}
static void adam_free(adam *a) { free(a->m), free(a->v); }

// ---- (a) binary MNIST ----

typedef struct {
    int n, steps;                 // training size; Adam steps taken
    double train_err, train_mse;  // at the end (interpolation: 0 and < MLP_STOP_MSE)
    double test_err;              // clean test error (fraction of the test images misclassified)
} mlp_fit;

// Interpolation criterion: every training sign right and the train MSE (1/n)|f - y|^2 below
// 0.01, i.e. |f - y| ~ 0.1 on labels +-1 (the paper trains to ~1e-4; past sign-interpolation
// the test signs barely move: measured in the note).
#define MLP_STOP_MSE 0.01

static mlp_fit mlp_train_classify(const double *X, const double *y, int n, int d, const double *T, const double *yt,
                                  int nt, uint64_t stream) {
    int widths[3] = {d, P.mlp_width, 1};
    nn *net = nn_alloc(2, widths, NN_RELU, 1, n > nt ? n : nt);
    if (!net) DIE("nn_alloc(%d -> %d -> 1): %s", d, P.mlp_width, sim_last_error());
    init_info info;
    if (init_net_normal_scaled(net, C.seed, stream, 1.0, sqrt(2.0), &info))
        DIE("init_net_normal_scaled: %s", sim_last_error());
    for (int i = 0; i < P.mlp_width; i++) net->W[2][i] *= P.mlp_readout;
    adam a = adam_make(net->nparams);
    mlp_fit r = {.n = n};
    for (r.steps = 0;; r.steps++) {
        const double *F = nn_forward(net, n, X);
        if (!F) DIE("nn_forward: %s", sim_last_error());
        double L = loss_mse(n, 1, F, y, 0.5 / n, net->dout);  // dout = (F - y)/n
        int wrong = 0;
        for (int i = 0; i < n; i++) wrong += (F[i] >= 0 ? 1.0 : -1.0) != y[i];
        r.train_err = (double)wrong / n, r.train_mse = 2 * L;
        if (!isfinite(L)) DIE("MNIST MLP: the loss is not finite at step %d (lr %g)", r.steps, P.mlp_lr);
        if ((wrong == 0 && r.train_mse < MLP_STOP_MSE) || r.steps >= P.mlp_steps) break;
        if (nn_backward(net, net->dout, NULL, 0)) DIE("nn_backward: %s", sim_last_error());
        adam_step(&a, net->theta, net->grad, P.mlp_lr);
    }
    const double *Ft = nn_forward(net, nt, T);
    if (!Ft) DIE("nn_forward: %s", sim_last_error());
    int wrong = 0;
    for (int i = 0; i < nt; i++) wrong += (Ft[i] >= 0 ? 1.0 : -1.0) != yt[i];
    r.test_err = (double)wrong / nt;
    adam_free(&a);
    nn_free(net);
    return r;
}

// 2x2 average pooling of 28x28 images (pool = 2), or the images as they are (pool = 1).
static void pool_images(const mnist_set *s, int pool, double *out) {
    int side = s->rows / pool, d = side * side;
    for (int i = 0; i < s->n; i++)
        for (int a = 0; a < side; a++)
            for (int b = 0; b < side; b++) {
                double v = 0;
                for (int u = 0; u < pool; u++)
                    for (int w = 0; w < pool; w++)
                        v += s->x[(size_t)i * s->d + (size_t)(a * pool + u) * s->cols + b * pool + w];
                out[(size_t)i * d + a * side + b] = v / (pool * pool);
            }
}

typedef struct {
    int n, steps_max;
    double mlp[MAXFLIP], krr[MAXFLIP], nn1[MAXFLIP];     // test error per p (mean over trials)
    double mlp_se[MAXFLIP], mlp_train_max, mlp_mse_max;  // se over trials; worst train error and MSE
    int trials;
} mlp_profile;

// Returns 0, or -1 if MNIST is absent.
static int mlp_mnist_profile(const cli_dlist *flips, mlp_profile *pr) {
    if (!mnist_available(C.mnist_dir)) return -1;
    int nmax = 0, nt = P.mlp_ntest;
    for (int q = 0; q < P.mlp_n.n; q++) nmax = nmax > (int)P.mlp_n.v[q] ? nmax : (int)P.mlp_n.v[q];
    for (int q = 0; q < P.mlp_n.n; q++) {
        pr[q] = (mlp_profile){.n = (int)P.mlp_n.v[q], .trials = P.mlp_trials};
    }
    double mlp_err[CLI_LIST_MAX][MAXFLIP][8];
    for (int t = 0; t < P.mlp_trials; t++) {
        // The rows: nmax training images (the smaller n are its first rows) and nt test images.
        gsl_rng *r = MUST(rng_alloc(C.seed, stream_id(PART_MLP_MNIST, 0, 0, t, 0)));
        size_t *itr = XNEW(size_t, nmax), *ite = XNEW(size_t, nt);
        if (rng_subset(r, 60000, (size_t)nmax, itr)) DIE("rng_subset: %s", sim_last_error());
        if (rng_subset(r, 10000, (size_t)nt, ite)) DIE("rng_subset: %s", sim_last_error());
        mnist_set tr, te;
        char err[1024];
        if (mnist_load_rows(C.mnist_dir, 1, itr, nmax, &tr, err, sizeof err) ||
            mnist_load_rows(C.mnist_dir, 0, ite, nt, &te, err, sizeof err))
            DIE("%s", err);
        int side = tr.rows / P.mlp_pool, d = side * side;
        double *X = XNEW(double, (size_t)nmax *d), *T = XNEW(double, (size_t)nt *d);
        double *y = XNEW(double, nmax), *yt = XNEW(double, nt), *u = XNEW(double, nmax), *yf = XNEW(double, nmax);
        pool_images(&tr, P.mlp_pool, X);
        pool_images(&te, P.mlp_pool, T);
        double mu = fit_mean(X, nmax * d), var = 0;
        for (size_t i = 0; i < (size_t)nmax * d; i++) var += (X[i] - mu) * (X[i] - mu);
        double sd = sqrt(var / ((double)nmax * d));
        for (size_t i = 0; i < (size_t)nmax * d; i++) X[i] = (X[i] - mu) / sd;
        for (size_t i = 0; i < (size_t)nt * d; i++) T[i] = (T[i] - mu) / sd;
        for (int i = 0; i < nmax; i++) y[i] = tr.y[i] % 2 == 0 ? 1 : -1, u[i] = gsl_rng_uniform(r);
        for (int i = 0; i < nt; i++) yt[i] = te.y[i] % 2 == 0 ? 1 : -1;
        kernel_spec kl = make_kernel("laplace", sqrt((double)d));
        for (int q = 0; q < P.mlp_n.n; q++) {
            int n = pr[q].n;
            // Kernel and 1-NN on the same images and flips (classify_trial draws its own u from r:
            // its flips are NOT the MLP's, so it gets a stream of its own per (n, trial)).
            cls_result kr;
            gsl_rng *rk = MUST(rng_alloc(C.seed, stream_id(PART_MLP_MNIST, 1, n, t, 0)));
            classify_trial(&kl, d, n, X, y, nt, T, yt, 3, flips, rk, &kr);
            rng_free(rk);
            for (int j = 0; j < flips->n; j++) {
                pr[q].krr[j] += kr.err[0][j] / P.mlp_trials, pr[q].nn1[j] += kr.err[2][j] / P.mlp_trials;
                for (int i = 0; i < n; i++) yf[i] = u[i] < flips->v[j] ? -y[i] : y[i];
                mlp_fit f = mlp_train_classify(X, yf, n, d, T, yt, nt, stream_id(PART_MLP_MNIST, 2 + j, n, t, 0));
                mlp_err[q][j][t] = f.test_err;
                pr[q].mlp_train_max = fmax(pr[q].mlp_train_max, f.train_err);
                pr[q].mlp_mse_max = fmax(pr[q].mlp_mse_max, f.train_mse);
                pr[q].steps_max = pr[q].steps_max > f.steps ? pr[q].steps_max : f.steps;
                progress("T5 MNIST MLP n=%d p=%.1f trial %d: %d steps, train err %.3f, test err %.3f", n, flips->v[j],
                         t + 1, f.steps, f.train_err, f.test_err);
            }
        }
        rng_free(r);
        mnist_free(&tr), mnist_free(&te);
        free(itr), free(ite), free(X), free(T), free(y), free(yt), free(u), free(yf);
    }
    for (int q = 0; q < P.mlp_n.n; q++)
        for (int j = 0; j < flips->n; j++) {
            pr[q].mlp[j] = fit_mean(mlp_err[q][j], P.mlp_trials);
            pr[q].mlp_se[j] = fit_stderr(mlp_err[q][j], P.mlp_trials);
        }
    return 0;
}

// ---- (b) early stopping vs interpolation on S^3 ----

typedef struct {
    int n, steps;
    double test_min, t_min, test_end, train_end;  // test MSE (noisy labels) min over time, its time; at the end
    double theory_end;                            // 1 + (E0 - 1) sigma^2 of the ReLU NTK (ntk1b) on S^3
} es_run;

// Interpolation of the S^3 noise: train MSE below 1% of sigma^2 = 1.
#define ES_STOP_MSE 0.01

// One run: full-batch GD with step eta; the test MSE is recorded every `every` steps into the
// curve table (step, train, test).
static es_run es_train(int n, const theory_spec *tn, tsv *curve) {
    int d = 4, nt = P.es_ntest;
    gsl_rng *r = MUST(rng_alloc(C.seed, stream_id(PART_MLP_SPHERE, 0, n, 0, 0)));
    double *X = XNEW(double, (size_t)n *d), *T = XNEW(double, (size_t)nt *d), *y = XNEW(double, n),
           *yt = XNEW(double, nt);
    for (int i = 0; i < n; i++) rng_sphere(r, d, X + (size_t)i * d), y[i] = 1 + rng_normal(r);
    for (int i = 0; i < nt; i++) rng_sphere(r, d, T + (size_t)i * d), yt[i] = 1 + rng_normal(r);
    rng_free(r);
    int widths[3] = {d, P.es_width, 1};
    nn *net = nn_alloc(2, widths, NN_RELU, 1, n > nt ? n : nt);
    if (!net) DIE("nn_alloc(4 -> %d -> 1): %s", P.es_width, sim_last_error());
    // Standard parametrisation, He init (N(0, 2/fan_in) weights, zero biases).
    init_info info;
    if (init_net_normal_scaled(net, C.seed, stream_id(PART_MLP_SPHERE, 1, n, 0, 0), 1.0, sqrt(2.0), &info))
        DIE("init_net_normal_scaled: %s", sim_last_error());
    es_run e = {.n = n, .test_min = INFINITY};
    ef_fit fit = theory_fit(tn, n, 0);
    e.theory_end = 1 + (fit.E0 - 1);
    double *Ft = XNEW(double, nt);
    adam a = adam_make(net->nparams);
    for (e.steps = 0;; e.steps++) {
        const double *F = nn_forward(net, n, X);
        if (!F) DIE("nn_forward: %s", sim_last_error());
        double L = loss_mse(n, 1, F, y, 0.5 / n, net->dout);
        if (!isfinite(L)) DIE("S^3 MLP: the loss is not finite at step %d (eta %g)", e.steps, P.es_lr);
        double train = 2 * L;
        // The end: the net has interpolated (train MSE below ES_STOP_MSE, 1% of the noise
        // variance), or the step budget is spent.
        int last = e.steps >= P.es_steps || train < ES_STOP_MSE;
        // every step's test MSE would cost a test forward per step; the minimum comes early, so
        // the first 200 steps are sampled every 5, the rest every es_every
        if (e.steps % (e.steps < 200 ? 5 : P.es_every) == 0 || last) {
            nn_predict(net, nt, T, Ft);
            double te = 0;
            for (int i = 0; i < nt; i++) te += (Ft[i] - yt[i]) * (Ft[i] - yt[i]) / nt;
            if (te < e.test_min) e.test_min = te, e.t_min = e.steps;
            e.test_end = te, e.train_end = train;
            if (curve) tsv_row(curve, "%d\t%d\t%.10g\t%.10g\t%.10g", n, e.steps, train, te, e.theory_end);
            progress("T5 S^3 MLP n=%d step %d: train %.4f test %.4f", n, e.steps, train, te);
        }
        if (last) break;
        // the caches of the training batch (nn_predict overwrote them)
        if (!nn_forward(net, n, X)) DIE("nn_forward: %s", sim_last_error());
        if (nn_backward(net, net->dout, NULL, 0)) DIE("nn_backward: %s", sim_last_error());
        if (P.es_adam) adam_step(&a, net->theta, net->grad, P.es_lr);
        else opt_gd_step(net->nparams, net->theta, net->grad, P.es_lr);
    }
    adam_free(&a);
    free(X), free(T), free(y), free(yt), free(Ft);
    nn_free(net);
    return e;
}

// T5: the two network experiments and their claims.
static void run_T5(const config *cf) {
    if (cf->quick) {  // --quick: one small size of each, unless the flags say otherwise
        if (!cli_given(&C, "mlp-n")) P.mlp_n = (cli_ilist){1, {300}};
        if (!cli_given(&C, "mlp-ntest")) P.mlp_ntest = 500;
        if (!cli_given(&C, "mlp-width")) P.mlp_width = 128;
        if (!cli_given(&C, "es-n")) P.es_n = (cli_ilist){1, {100}};
        if (!cli_given(&C, "es-ntest")) P.es_ntest = 1000;
    }
    static const cli_dlist flips = {5, {0, 0.1, 0.2, 0.3, 0.4}};
    char what[600];
    // (a) MNIST noise profile of an interpolating MLP.
    mlp_profile mp[CLI_LIST_MAX];
    if (P.mlp_n.n == 0) {
        claim_skip("tmp.C8a", CLAIM_EXPERIMENT, "MNIST MLP not run (--mlp-n empty)");
    } else if (mlp_mnist_profile(&flips, mp)) {
        claim_skip("tmp.C8a", CLAIM_EXPERIMENT, "MNIST absent: run make data");
    } else {
        tsv *f = tsv_open(&C, "mlp-mnist.tsv", "tmp.C8a");
        tsv_note(f,
                 "binary MNIST (even +1 / odd -1), %dx%d inputs (pool %d), standardised; ReLU MLP %d -> %d -> 1, "
                 "full-batch Adam lr %g, "
                 "trained until train error 0 and train MSE < %g (at most %d steps); %d test images; %d trial(s)",
                 28 / P.mlp_pool, 28 / P.mlp_pool, P.mlp_pool, (28 / P.mlp_pool) * (28 / P.mlp_pool), P.mlp_width,
                 P.mlp_lr, MLP_STOP_MSE, P.mlp_steps, P.mlp_ntest, P.mlp_trials);
        tsv_note(f,
                 "krr = laplace ell = sqrt(inputs) ridgeless and nn1 = 1-NN on the same images and flip rates (their "
                 "own flip draws)");
        tsv_note(f, "nn_line = e0 + p (1 - 2 e0) with e0 the MLP's own p = 0 error (the 1-NN noise profile)");
        tsv_columns(f, "n\tp\tmlp_err\tmlp_se\tkrr_err\tnn1_err\tnn_line\tmlp_steps_max\tmlp_train_err_max");
        for (int q = 0; q < P.mlp_n.n; q++)
            for (int j = 0; j < flips.n; j++) {
                double e0 = mp[q].mlp[0], p = flips.v[j];
                tsv_row(f, "%d\t%.3g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%d\t%.4g", mp[q].n, p, mp[q].mlp[j],
                        mp[q].mlp_se[j], mp[q].krr[j], mp[q].nn1[j], e0 + p * (1 - 2 * e0), mp[q].steps_max,
                        mp[q].mlp_train_max);
            }
        tsv_close(f);
        // tmp.C8a: the interpolating MLP is TEMPERED on binary MNIST, in the paper's sense for
        // classification: its clean test error rises with the flip rate (not benign: benign stays at
        // e0) but stays well below chance 1/2 (catastrophic: 1/2 at any p > 0).  Asserted for every
        // n at p = 0.2: err(0.2) - err(0) more than 3 se above 0 and err(0.2) more than 3 se below
        // 1/2, se the binomial standard error of a test error over n_test images,
        // sqrt(e (1 - e)/n_test), doubled for the difference; and every net interpolates (train
        // error 0).  Where the profile sits between benign and the 1-NN line e0 + p(1 - 2 e0) is
        // reported as tmp.C8c: the excess as a fraction of p(1 - 2 e0), 0 = benign, 1 = 1-NN.
        int interp = 1;
        double worst = INFINITY, frac_sum = 0;
        int nfrac = 0;
        int len = snprintf(what, sizeof what, "MNIST MLP (interpolating):");
        for (int q = 0; q < P.mlp_n.n; q++) {
            interp &= mp[q].mlp_train_max == 0;
            double e0 = mp[q].mlp[0];
            len += snprintf(what + len, sizeof what - (size_t)len, " n %d err(p)", mp[q].n);
            for (int j = 0; j < flips.n; j++)
                len += snprintf(what + len, sizeof what - (size_t)len, " %.3f", mp[q].mlp[j]);
            len += snprintf(what + len, sizeof what - (size_t)len, " (kernel %.3f, 1-NN %.3f at p 0.2);", mp[q].krr[2],
                            mp[q].nn1[2]);
            double e = mp[q].mlp[2], se = sqrt(e * (1 - e) / P.mlp_ntest / P.mlp_trials);
            worst = fmin(worst, fmin((e - e0) / (2 * se), (0.5 - e) / se));
            for (int j = 1; j < flips.n; j++) frac_sum += (mp[q].mlp[j] - e0) / (flips.v[j] * (1 - 2 * e0)), nfrac++;
        }
        snprintf(what + len, sizeof what - (size_t)len,
                 " all nets interpolate: %s; min distance of err(0.2) above err(0) and below 1/2, in se",
                 interp ? "yes" : "NO");
        claim_check("tmp.C8a", CLAIM_EXPERIMENT, interp && worst > 3, what, worst, "> 3 se from both (tempered)");
        claim_report("tmp.C8c", CLAIM_EXPERIMENT,
                     "MNIST MLP excess err(p) - err(0) as a fraction of the 1-NN line's p(1 - 2 e0), mean over p "
                     "0.1-0.4 and n (0 benign, 1 as 1-NN)",
                     frac_sum / nfrac);
    }

    // (b) early stopping vs interpolation on S^3.
    if (P.es_n.n == 0) {
        claim_skip("tmp.C8b", CLAIM_EXPERIMENT, "S^3 MLP not run (--es-n empty)");
        claim_skip("tmp.C8d", CLAIM_EXPERIMENT, "S^3 MLP not run (--es-n empty)");
        return;
    }
    kernel_spec kn = make_kernel("ntk1b", 1);
    theory_spec tn;
    theory_sphere(&tn, &kn, 4, cf->sph_kmax, cf->sph_nodes);
    tsv *curve = tsv_open(&C, "mlp-sphere-curves.tsv", "tmp.C8b");
    tsv_note(
        curve,
        "S^3, f* = 1, y = 1 + N(0,1); ReLU MLP 4 -> %d -> 1 with biases, He init, full-batch GD eta %g for %d steps; "
        "test MSE against %d fresh noisy labels (noise floor 1)",
        P.es_width, P.es_lr, P.es_steps, P.es_ntest);
    tsv_note(curve,
             "ntk_end = 1 + (E0 - 1) sigma^2 of the ridgeless ReLU NTK (ntk1b) on S^3: the kernel-regime scale of the "
             "interpolating end");
    tsv_columns(curve, "n\tstep\ttrain_mse\ttest_mse\tntk_end");
    es_run er[CLI_LIST_MAX];
    for (int q = 0; q < P.es_n.n; q++) er[q] = es_train((int)P.es_n.v[q], &tn, curve);
    tsv_close(curve);
    // tmp.C8b: benign when stopped early, tempered at interpolation.  For every n: the best
    // early-stopped test excess (min over training of the test MSE, minus the noise floor 1) is at
    // most 0.3 of the interpolating end's excess (end test MSE - 1) -- early stopping removes most
    // of the overfitting (the benign side; at n <= 200 the best early fit still carries some
    // variance: 0.05-0.16 measured, against 0.7-1.2 at the end, so 0.3 leaves room for the
    // run-to-run spread of one net); the end has train MSE < 0.05 (it has fitted 95% of the
    // unit-variance noise: it interpolates).  The value is the worst (min - 1)/(end - 1).
    // Tempered against catastrophic (does the end excess stay bounded as n grows?) is NOT
    // asserted: with one net per n and n <= 200 the end excess varies by 30-50% between seeds
    // (0.97, 0.94 at seed 1; 0.81, 1.20 at seed 2), so the ratio end excess(largest n)/(smallest
    // n) is reported as tmp.C8d.
    int ok = 1;
    int len = snprintf(what, sizeof what, "S^3 MLP, full-batch %s:", P.es_adam ? "Adam" : "GD");
    double worst = 0;
    for (int q = 0; q < P.es_n.n; q++) {
        es_run *e = &er[q];
        double f = (e->test_min - 1) / (e->test_end - 1);
        ok &= e->train_end < 0.05 && e->test_end > 1 && f <= 0.3;
        worst = fmax(worst, f);
        len += snprintf(what + len, sizeof what - (size_t)len,
                        " n %d: min test %.3f at step %.0f, end test %.3f (train %.4f, NTK %.3f);", e->n, e->test_min,
                        e->t_min, e->test_end, e->train_end, e->theory_end);
    }
    int k = P.es_n.n - 1;
    snprintf(what + len, sizeof what - (size_t)len, " worst (min - 1)/(end - 1)");
    claim_check("tmp.C8b", CLAIM_EXPERIMENT, ok, what, worst, "<= 0.3, and end train MSE < 0.05 at every n");
    snprintf(
        what, sizeof what,
        "S^3 MLP interpolating end excess (test MSE - 1), n %d over n %d (tempered: stays O(1); catastrophic: grows)",
        er[k].n, er[0].n);
    claim_report("tmp.C8d", CLAIM_EXPERIMENT, what, (er[k].test_end - 1) / (er[0].test_end - 1));
    theory_free(&tn);
}
