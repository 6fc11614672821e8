// ---- experiment E4: MNIST learning curves from a pool spectrum ----
//
// Real data have no closed-form spectrum.  We estimate it on a pool $A$ of $M$ images:
// $\lambda_i = \mathrm{eig}(K_{AA})/M$ and $v_i = U_{:,i}^\top y_A/\sqrt M$ (so $\sum v_i^2 = 1$
// for $\pm1$ labels), then compare with KRR trained on disjoint images from pool $B$ and tested on
// the test-set images of the two digits.  The pool theory is trusted for $n \le M/8$ only.
// Images: $x \mapsto (x/255 - m)/s$ with $m, s$ the mean and standard deviation of all training
// pixels; labels $+1$ for the first digit and $-1$ for the second.  To save kernel evaluations,
// one trial's training sets are nested prefixes of one random subset of $B$ (each is still a
// uniform draw without replacement), and $K(\mathrm{test}, B)$ is computed once.
// MNIST through common/mnist (pixels x/255 as doubles, labels; status returns).  The whole training
// split is loaded once (376 MB of doubles) for the labels and the pixel statistics and freed at
// once; each task then loads only its two digits' images (mnist_load_rows).
typedef struct {
    const ef_spectrum *s;
    const double *v2;
    double delta, eps2;
} pool_th_par;
static void pool_theory(double n, int target, double *L, double *mse, void *par) {
    (void)target;
    pool_th_par *q = par;
    ef_fit f = solve_or_die(q->s, n, q->delta);
    ef_pred p;
    ef_predict(q->s, &f, q->v2, 0.0, q->eps2, &p);
    *L = p.L, *mse = p.mse;
}

typedef struct {
    double worst_ratio, worst_dL;  // over n <= M/8
    int rows_checked, finite, th_decreasing, emp_decreasing;
    // krr.C5b, 0 vs 1: L_exp - L_th averaged over 4 <= n <= 128, its standard error, its minimum
    double bias_mean, bias_se, bias_min, bias_mse;  // bias_mse: mean MSE_exp/MSE_th over the same n
    int bias_rows;
} mnist_stats;

// One MNIST task: the data, their pixel mean and sd, the digits (+1 for da, -1 for db), the pool size
// M, the training-set sizes and trials per size, kernel, ridge, noise, and where its spectrum goes.
typedef struct {
    const unsigned char *ytr, *yte;  // all labels of the training (60000) and test (10000) splits
    double m, sdv;
    int da, db, M;
    const int *ns, *tri;
    int nsz;
    kernel_spec k;
    double delta, eps2;
    tsv *tspec;
    const char *panel;
} mnist_task;

static void e4_mnist(const mnist_task *g, lc_row *rows, double *train_worst) {
    const int d = 784, da = g->da, db = g->db, M = g->M, nsz = g->nsz;
    const int *ns = g->ns, *tri = g->tri;
    const double m = g->m, sdv = g->sdv, delta = g->delta, eps2 = g->eps2;
    const kernel_spec k = g->k;
    tsv *tspec = g->tspec;
    const char *panel = g->panel;
    int ntr = 0, ntest = 0;
    for (int i = 0; i < 60000; i++) ntr += g->ytr[i] == da || g->ytr[i] == db;
    for (int i = 0; i < 10000; i++) ntest += g->yte[i] == da || g->yte[i] == db;
    size_t *idx = xmalloc((size_t)ntr, sizeof *idx), *perm = xmalloc((size_t)ntr, sizeof *perm);
    size_t *tidx = xmalloc((size_t)ntest, sizeof *tidx);
    for (int i = 0, c = 0; i < 60000; i++)
        if (g->ytr[i] == da || g->ytr[i] == db) idx[c++] = i;
    for (int i = 0, c = 0; i < 10000; i++)
        if (g->yte[i] == da || g->yte[i] == db) tidx[c++] = i;
    // only the two digits' images, as doubles x/255 (row c of tr is image idx[c], of te tidx[c])
    mnist_set tr, te;
    char err[512];
    if (mnist_load_rows(C.mnist_dir, 1, idx, ntr, &tr, err, sizeof err) ||
        mnist_load_rows(C.mnist_dir, 0, tidx, ntest, &te, err, sizeof err))
        DIE("%s", err);
    gsl_rng *rg = stream(RNG_MNIST_SPLIT, da, db);
    rng_permutation(rg, ntr, perm);
    rng_free(rg);
    int nB = ntr - M, nmax = 0;
    for (int a = 0; a < nsz; a++) nmax = ns[a] > nmax ? ns[a] : nmax;
    if (nB < nmax)
        DIE("MNIST %dv%d: pool B has %d images, fewer than n = %d; lower --pool or --n-list", da, db, nB, nmax);
    double *XA = xmalloc((size_t)M * d, sizeof *XA), *XB = xmalloc((size_t)nB * d, sizeof *XB);
    double *XT = xmalloc((size_t)ntest * d, sizeof *XT), *yA = xmalloc((size_t)M, sizeof *yA);
    double *yB = xmalloc((size_t)nB, sizeof *yB), *yT = xmalloc((size_t)ntest, sizeof *yT);
    for (int i = 0; i < ntr; i++) {
        size_t src = perm[i];
        double *dst = i < M ? XA + (size_t)i * d : XB + (size_t)(i - M) * d;
        for (int p = 0; p < d; p++) dst[p] = (tr.x[src * d + p] - m) / sdv;
        double y = tr.y[src] == da ? 1.0 : -1.0;
        if (i < M) yA[i] = y;
        else yB[i - M] = y;
    }
    for (int c = 0; c < ntest; c++) {
        for (int p = 0; p < d; p++) XT[(size_t)c * d + p] = (te.x[(size_t)c * d + p] - m) / sdv;
        yT[c] = te.y[c] == da ? 1.0 : -1.0;
    }
    mnist_free(&tr), mnist_free(&te), free(tidx);
    // theory: the pool spectrum
    double *KA = xmalloc((size_t)M * M, sizeof *KA), *lam = xmalloc((size_t)M, sizeof *lam);
    double *v = xmalloc((size_t)M, sizeof *v);
    kernel_gram_sym(&k, M, d, XA, KA);
    progress("MNIST %s: pool Gram done, eigendecomposition of %d x %d", panel, M, M);
    int info = krr_pool_spectrum(M, KA, 1, yA, lam, v);
    if (info) DIE("MNIST pool spectrum: dsyevd failed (info %d)", info);
    free(KA);
    for (int i = 0; i < M; i++) {
        if (lam[i] < 0) lam[i] = 0;  // rounding: eigenvalues of a PSD matrix at -1e-17
        v[i] *= v[i];
        if (tspec && (i < 200 || i % 20 == 0)) tsv_row(tspec, "%s\t%d\t%.10g\t1\t%.10g", panel, i, lam[i], v[i]);
    }
    ef_spectrum s = {.M = (size_t)M, .lam = lam};
    pool_th_par tp = {&s, v, delta, eps2};
    int target0 = 0;
    write_theory(panel, "krr.C5", 1, nmax, &target0, 1, pool_theory, &tp);
    // K(test, B) once, when the trials together touch more of B than B itself; else per trial
    long touch = 0;
    for (int t = 0;; t++) {
        int np = 0;
        for (int a = 0; a < nsz; a++)
            if (tri[a] > t && ns[a] > np) np = ns[a];
        if (!np) break;
        touch += np;
    }
    double *KTB = NULL;
    if (touch > nB) {
        KTB = xmalloc((size_t)ntest * nB, sizeof *KTB);
        kernel_gram(&k, ntest, nB, d, XT, XB, KTB);
        progress("MNIST %s: K(test, B) done", panel);
    }
    for (int a = 0; a < nsz; a++) {
        lc_row *r = &rows[a];
        r->n = ns[a], r->target = 0, r->trials = tri[a], r->beyond = ns[a] > M / 8;
        ef_fit f = solve_or_die(&s, ns[a], delta);
        ef_pred p;
        ef_predict(&s, &f, v, 0.0, eps2, &p);
        r->L_th = p.L, r->mse_th = p.mse;
        r->L = xmalloc((size_t)tri[a], sizeof(double));
        r->mse = xmalloc((size_t)tri[a], sizeof(double));
    }
    int tmax = 0;
    for (int a = 0; a < nsz; a++) tmax = tri[a] > tmax ? tri[a] : tmax;
    size_t *D = xmalloc((size_t)nmax, sizeof *D);
    double *XD = xmalloc((size_t)nmax * d, sizeof *XD), *KP = xmalloc((size_t)nmax * nmax, sizeof *KP);
    double *KDD = xmalloc((size_t)nmax * nmax, sizeof *KDD), *KtD = xmalloc((size_t)ntest * nmax, sizeof *KtD);
    double *Y = xmalloc((size_t)nmax, sizeof *Y), *pred = xmalloc((size_t)ntest, sizeof *pred);
    double *Y0 = xmalloc((size_t)nmax, sizeof *Y0), *fD = xmalloc((size_t)nmax, sizeof *fD);
    for (int t = 0; t < tmax; t++) {
        int np = 0;
        for (int a = 0; a < nsz; a++)
            if (tri[a] > t && ns[a] > np) np = ns[a];
        rg = stream(RNG_MNIST_TRIAL, 10 * da + db, t);
        if (rng_subset(rg, nB, np, D)) DIE("rng_subset: %s", sim_last_error());
        for (int i = 0; i < np; i++) memcpy(XD + (size_t)i * d, XB + D[i] * d, (size_t)d * sizeof *XD);
        kernel_gram_sym(&k, np, d, XD, KP);
        double *KTP = NULL;  // K(test, prefix) when K(test, B) was not precomputed
        if (!KTB) {
            KTP = xmalloc((size_t)ntest * np, sizeof *KTP);
            kernel_gram(&k, ntest, np, d, XT, XD, KTP);
        }
        for (int a = 0; a < nsz; a++) {
            if (tri[a] <= t) continue;
            int n = ns[a];
            for (int i = 0; i < n; i++) {
                memcpy(KDD + (size_t)i * n, KP + (size_t)i * np, (size_t)n * sizeof *KDD);
                Y0[i] = Y[i] = yB[D[i]] + (eps2 > 0 ? sqrt(eps2) * rng_normal(rg) : 0);
            }
            for (int j = 0; j < ntest; j++)
                for (int i = 0; i < n; i++)
                    KtD[(size_t)j * n + i] = KTB ? KTB[(size_t)j * nB + D[i]] : KTP[(size_t)j * np + i];
            info = krr_solve(n, KDD, delta, 1, Y, ntest, KtD, pred);
            if (info) DIE("MNIST n = %d: Cholesky failed (info %d); the NTK Gram matrix is singular", n, info);
            if (delta == 0) {  // f_hat(D) = K_DD alpha, K_DD the leading n x n block of KP (intact)
                cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0, KP, np, Y, 1, 0.0, fD, 1);
                train_check(train_ratio(n, NULL, 1, fD, Y0), panel, n, train_worst);
            }
            double mse = 0, fy = 0, yy = 0;
            for (int j = 0; j < ntest; j++)
                mse += (pred[j] - yT[j]) * (pred[j] - yT[j]), fy += pred[j] * yT[j], yy += yT[j] * yT[j];
            rows[a].mse[t] = mse / ntest;
            rows[a].L[t] = fy / yy;
        }
        rng_free(rg);
        free(KTP);
        progress("MNIST %s: trial %d/%d", panel, t + 1, tmax);
    }
    free(idx), free(perm), free(XA), free(XB), free(XT), free(yA), free(yB), free(yT), free(lam), free(v);
    free(KTB), free(D), free(XD), free(KP), free(KDD), free(KtD), free(Y), free(pred), free(Y0), free(fD);
}

// The one-sided learnability excess on 0 vs 1 (krr.C5b): mean over the n in [4, 128] of
// $\bar L_{exp} - L_{th}$, with the standard error of that mean (trials independent across n).
static void mnist_bias(lc_row *rows, int nsz, mnist_stats *ms) {
    double s = 0, v = 0;
    int c = 0;
    ms->bias_min = INFINITY;
    for (int a = 0; a < nsz; a++) {
        lc_row *r = &rows[a];
        if (r->n < 4 || r->n > 128) continue;
        double dL = fit_mean(r->L, r->trials) - r->L_th, se = fit_stderr(r->L, r->trials);
        s += dL, v += se * se, c++;
        ms->bias_min = fmin(ms->bias_min, dL);
        ms->bias_mse += fit_mean(r->mse, r->trials) / r->mse_th;
    }
    if (c) ms->bias_mean = s / c, ms->bias_se = sqrt(v) / c, ms->bias_rows = c, ms->bias_mse /= c;
}

static void mnist_check(lc_row *rows, int nsz, mnist_stats *ms) {
    for (int a = 0; a < nsz; a++) {
        lc_row *r = &rows[a];
        double me = fit_mean(r->mse, r->trials), Le = fit_mean(r->L, r->trials);
        ms->finite &= isfinite(me) && isfinite(Le) && isfinite(r->mse_th) && isfinite(r->L_th);
        if (a > 0) ms->th_decreasing &= r->mse_th < rows[a - 1].mse_th;
        if (r->beyond) continue;
        ms->rows_checked++;
        double dev = fabs(me / r->mse_th - 1), dL = fabs(Le - r->L_th);
        if (dev > ms->worst_ratio) ms->worst_ratio = dev;
        if (dL > ms->worst_dL) ms->worst_dL = dL;
    }
}

static void task_digits(const char *task, int *a, int *b) {
    if (strlen(task) != 3 || task[0] < '0' || task[0] > '9' || task[2] < '0' || task[2] > '9' ||
        (task[1] != 'v' && task[1] != '-') || task[0] == task[2])
        cli_usage_error(&C, "--task '%s': expected two different digits like 3v8 or 4-9", task);
    *a = task[0] - '0', *b = task[2] - '0';
}

// krr.C5 reads ms (the asserted task), krr.C5b ms01 (0 vs 1 in the default run).
static struct {
    mnist_stats ms, ms01;
    int ran;
    const char *skip;
    unsigned char *ytr, *yte;  // all labels, read once; mnist_done frees them
    double m, sdv;
} st_mnist = {.ms = {.finite = 1, .th_decreasing = 1, .emp_decreasing = 1},
              .ms01 = {.finite = 1, .th_decreasing = 1, .emp_decreasing = 1},
              .skip = "not run"};

static void mnist_done(void) {
    free(st_mnist.ytr), free(st_mnist.yte);
    st_mnist.ytr = st_mnist.yte = NULL;
}

static void run_mnist(const char *task, int M, const int *ns, const int *tri, int nsz, tsv *tspec) {
    if (!mnist_available(C.mnist_dir) && strcmp(P.domain, "mnist") == 0 && cli_any_given(&C))
        DIE("--domain mnist: MNIST not found in %s; run make data (or give --mnist-dir)", C.mnist_dir);
    if (!mnist_available(C.mnist_dir)) {
        st_mnist.skip = "MNIST absent: run make data";
        progress_done("MNIST: %s not found; skipping (run make data)", C.mnist_dir);
        return;
    }
    if (!st_mnist.ytr) {  // once: the labels, and the pixel statistics of the whole training split
        char err[512];
        mnist_set tr, te;
        if (mnist_load(C.mnist_dir, 1, &tr, err, sizeof err)) DIE("%s", err);
        // mean and sd of all training pixels (x/255), from exact integer sums (x*255 is the byte)
        uint64_t s = 0, s2 = 0;
        size_t N = (size_t)tr.n * tr.d;
        for (size_t i = 0; i < N; i++) {
            uint64_t v = (uint64_t)lround(tr.x[i] * 255.0);
            s += v, s2 += v * v;
        }
        double m = (double)s / N / 255.0;
        st_mnist.m = m, st_mnist.sdv = sqrt((double)s2 / N / (255.0 * 255.0) - m * m);
        st_mnist.ytr = xmalloc((size_t)tr.n, 1);
        memcpy(st_mnist.ytr, tr.y, (size_t)tr.n);
        mnist_free(&tr);
        if (mnist_load(C.mnist_dir, 0, &te, err, sizeof err)) DIE("%s", err);
        st_mnist.yte = xmalloc((size_t)te.n, 1);
        memcpy(st_mnist.yte, te.y, (size_t)te.n);
        mnist_free(&te);
    }
    double m = st_mnist.m, sdv = st_mnist.sdv;
    int a, b;
    task_digits(task, &a, &b);
    kernel_spec k = given("kernel") || given("bandwidth") ? kspec(P.kernel, P.bandwidth) : kspec("ntk", 1.0);
    char panel[32];
    snprintf(panel, sizeof panel, "mnist_%dv%d", a, b);
    lc_row *rows = XNEW(lc_row, (size_t)nsz);
    double tw = 0;
    mnist_task g = {.ytr = st_mnist.ytr,
                    .yte = st_mnist.yte,
                    .m = m,
                    .sdv = sdv,
                    .da = a,
                    .db = b,
                    .M = M,
                    .ns = ns,
                    .tri = tri,
                    .nsz = nsz,
                    .k = k,
                    .delta = P.ridge,
                    .eps2 = P.noise,
                    .tspec = tspec,
                    .panel = panel};
    e4_mnist(&g, rows, &tw);
    if (P.ridge == 0) train_report(panel, tw);
    // 0 vs 1 carries a measured, systematic learnability excess (krr.C5b): in the default run it is
    // asserted as that deviation, and krr.C5 is asserted on the other task.
    mnist_stats *ms = a == 0 && b == 1 && !cli_any_given(&C) ? &st_mnist.ms01 : &st_mnist.ms;
    mnist_check(rows, nsz, ms);
    if (a == 0 && b == 1) mnist_bias(rows, nsz, ms);
    // quick smoke test: the empirical MSE at the largest n is below the one at the smallest
    ms->emp_decreasing &= fit_mean(rows[nsz - 1].mse, rows[nsz - 1].trials) < fit_mean(rows[0].mse, rows[0].trials);
    st_mnist.ran = 1;
    char desc[200], note[700];
    kernel_describe(&k, desc, sizeof desc);
    snprintf(note, sizeof note,
             "MNIST %d vs %d (+1/-1), pixels standardised (mean %.6f, sd %.6f), kernel %s, pool M = %d, "
             "ridge %g, noise %g; beyond_pool = 1 for n > M/8 (not asserted)",
             a, b, m, sdv, desc, M, P.ridge, P.noise);
    write_learning(panel, "krr.C5", rows, nsz, note);
    free_rows(rows, nsz);
    free(rows);
}

// ---- claims of the MNIST part ----
// krr.C5 is an experiment (KRR on held-out images against the pool-spectrum theory); krr.C5b a
// deviation (a measured, one-sided learnability excess on 0 vs 1).
static void claims_mnist(void) {
    char what[256];
    int q = C.quick;
    if (!st_mnist.ran) {
        claim_skip("krr.C5", CLAIM_EXPERIMENT, st_mnist.skip);
    } else if (q) {
        snprintf(what, sizeof what,
                 "smoke test (finite, theory MSE decreasing, MSE_exp(32) < MSE_exp(8)); "
                 "max |MSE ratio - 1| at M = 400 (not asserted; max |dL| = %.3f)",
                 st_mnist.ms.worst_dL);
        claim_check("krr.C5", CLAIM_EXPERIMENT,
                    st_mnist.ms.finite && st_mnist.ms.th_decreasing && st_mnist.ms.emp_decreasing, what,
                    st_mnist.ms.worst_ratio, "finite, decreasing");
    } else {
        snprintf(what, sizeof what,
                 "3 vs 8, n <= M/8: max |MSE_exp/MSE_th - 1| (max |dL| = %.4f, tolerance 0.05; 0 vs 1, "
                 "see krr.C5b: %.4f and %.4f)",
                 st_mnist.ms.worst_dL, st_mnist.ms01.worst_ratio, st_mnist.ms01.worst_dL);
        claim_check("krr.C5", CLAIM_EXPERIMENT,
                    st_mnist.ms.worst_ratio <= 0.15 && st_mnist.ms.worst_dL <= 0.05 && st_mnist.ms.finite, what,
                    st_mnist.ms.worst_ratio, "0.15");
    }
    // krr.C5b: on 0 vs 1 the measured learnability sits above the pool theory at every small n.
    // Measured (seed 1): +0.036, +0.031, +0.022, +0.014 at n = 4, 16, 64, 128 (s.e. 0.004-0.02).
    // It is not the pool size (M = 2000 and 4000 move L_th by < 0.005); about a third of it is the
    // MNIST test set (held-out training images give +0.022, +0.020, +0.012, +0.008).  Asserted as
    // a deviation: the mean excess over 4 <= n <= 128 is positive by more than 2 standard errors
    // and below 0.06.
    if (st_mnist.ran && !q && st_mnist.ms01.bias_rows) {
        snprintf(what, sizeof what,
                 "0 vs 1: mean (L_exp - L_th) over %d n in [4, 128] (s.e. %.4f; min %+.4f; mean MSE_exp/MSE_th %.3f)",
                 st_mnist.ms01.bias_rows, st_mnist.ms01.bias_se, st_mnist.ms01.bias_min, st_mnist.ms01.bias_mse);
        claim_check("krr.C5b", CLAIM_DEVIATION,
                    st_mnist.ms01.bias_mean >= 2 * st_mnist.ms01.bias_se && st_mnist.ms01.bias_mean <= 0.06, what,
                    st_mnist.ms01.bias_mean, ">= 2 s.e. and <= 0.06");
    } else if (!st_mnist.ran) {
        claim_skip("krr.C5b", CLAIM_DEVIATION, st_mnist.skip);
    }
}
