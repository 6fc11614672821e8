// ---- part D: real SGNS word2vec (untied, subsampled) from small init (w2v.C11) ----
//
// The paper trains SGNS as word2vec does, with separate input and output vectors, word2vec's
// subsampling and negatives from unigram^0.75.  We run exactly word2vec's skip-gram inner loop
// (word2vec.c, skip-gram with negative sampling): for a centre word and each context word c in
// its dynamic window, l1 = w_in[c]; for the target (the centre, label 1) and k negatives n drawn
// from count^0.75 (label 0; a negative equal to the centre is skipped, as in word2vec), with
// $g = \eta\,(\mathrm{label} - \sigma(l_1\cdot w_\mathrm{out}[t]))$:
// $e \mathrel{+}= g\,w_\mathrm{out}[t]$, $w_\mathrm{out}[t] \mathrel{+}= g\,l_1$; then
// $w_\mathrm{in}[c] \mathrel{+}= e$.  A token of frequency f is kept with probability
// $\min(1, t/f + \sqrt{t/f})$ (word2vec's -sample t; OOV tokens are already deleted, so windows
// span them).  Differences from word2vec.c: both matrices start small (iid N(0, s^2/d), as in the
// paper's small-init runs; word2vec draws w_in uniform in [-0.5, 0.5)/d and w_out = 0), the learning
// rate is constant (word2vec decays it linearly), the sigmoid is exact, double precision, one
// thread, and chunks of `chunk` tokens are visited in a fresh random order each epoch (the
// registry corpus is three unlike books in a row).
//
// What is recorded: the singular values of the score matrix $S = W_\mathrm{in}W_\mathrm{out}^\top$
// (through QR of both factors: $S = Q_1 (R_1R_2^\top) Q_2^\top$, so they are those of the d x d
// matrix $R_1R_2^\top$; never through a Gram matrix).  S plays the role of QWEM's $WW^\top$, whose
// eigenvalues rise to $\lambda_k(M^*)$.
typedef struct {
    int V, d, w, k, chunk;
    double lr, epochs, sample;  // sample: word2vec's -sample t (0: off)
} w2v_cfg;

typedef struct {
    int cap, n, ks;       // records taken; singular values kept per record
    double *at;           // (cap) the epochs at which to record, ascending
    double *epoch, *sig;  // epoch (cap), sig (cap, ks): singular values of W_in W_out^T
    // analogy snapshots of W_in (optional): at epochs snap_at[0..nsnap)
    const analogy_set *aset;
    analogy_result *res;
    int nsnap, isnap;
    double *snap_at, *acc;
    long kept;  // tokens kept by subsampling, over the whole run
} w2v_rec;

// Singular values (descending, d of them) of S = Win Wout^T, Win and Wout (V, d).
static void score_svals(int V, int d, const double *Win, const double *Wout, double *sv) {
    double *A = XNEW(double, (size_t)V *d), *tau = XNEW(double, d), *R1 = XNEW(double, (size_t)d *d);
    double *R2 = XNEW(double, (size_t)d *d), *B = XNEW(double, (size_t)d *d);
    for (int f = 0; f < 2; f++) {
        memcpy(A, f ? Wout : Win, sizeof *A * (size_t)V * d);
        if (LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, V, d, A, d, tau)) DIE("dgeqrf failed on the SGNS factors");
        double *R = f ? R2 : R1;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) R[(size_t)i * d + j] = j >= i ? A[(size_t)i * d + j] : 0;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, d, d, d, 1.0, R1, d, R2, d, 0.0, B, d);
    if (la_svd(d, d, B, sv, NULL, NULL)) DIE("dgesdd failed on R1 R2^T");
    free(A), free(tau), free(R1), free(R2), free(B);
}

static void w2v_record(w2v_rec *R, int V, int d, const double *Win, const double *Wout, double epoch) {
    while (R->n < R->cap && R->at[R->n] <= epoch + 1e-12) {
        double *sv = XNEW(double, d);
        for (size_t q = 0; q < (size_t)V * d; q++)
            if (!isfinite(Win[q]) || !isfinite(Wout[q]))
                DIE("SGNS diverged: a non-finite weight at epoch %g; lower --real-lr", epoch);
        score_svals(V, d, Win, Wout, sv);
        R->epoch[R->n] = epoch;
        for (int k = 0; k < R->ks; k++) R->sig[(size_t)R->n * R->ks + k] = k < d ? sv[k] : NAN;
        R->n++;
        free(sv);
        // one record per call: several due at once (a long chunk) are the same state
        while (R->n < R->cap && R->at[R->n] <= epoch + 1e-12) {
            R->epoch[R->n] = epoch;
            memcpy(R->sig + (size_t)R->n * R->ks, R->sig + (size_t)(R->n - 1) * R->ks, sizeof *R->sig * R->ks);
            R->n++;
        }
    }
    while (R->aset && R->isnap < R->nsnap && R->snap_at[R->isnap] <= epoch + 1e-12) {
        if (analogy_eval(R->aset, Win, V, d, R->res)) DIE("analogy ids out of range");
        R->acc[R->isnap] = analogy_acc(R->res, R->aset->n_fam);
        R->snap_at[R->isnap++] = epoch;  // the epoch actually reached
    }
}

static void w2v_train(const w2v_cfg *cf, const int *ids, long n, const long *count, double *Win, double *Wout,
                      gsl_rng *r, w2v_rec *R) {
    int V = cf->V, d = cf->d;
    long nchunks = (n + cf->chunk - 1) / cf->chunk;
    size_t *perm = XNEW(size_t, nchunks);
    int *buf = XNEW(int, cf->chunk);
    double *keep = XNEW(double, V), *qw = XNEW(double, V), *e = XNEW(double, d), total = 0;
    for (int i = 0; i < V; i++) total += (double)count[i];
    for (int i = 0; i < V; i++) {
        double f = count[i] / total, x = cf->sample / f;
        keep[i] = cf->sample > 0 ? fmin(1, x + sqrt(x)) : 1;
        qw[i] = pow((double)count[i], 0.75);
    }
    gsl_ran_discrete_t *neg = gsl_ran_discrete_preproc((size_t)V, qw);
    double target = cf->epochs * n, done = 0;
    w2v_record(R, V, d, Win, Wout, 0);
    while (done < target) {
        rng_permutation(r, (size_t)nchunks, perm);
        for (long ci = 0; ci < nchunks && done < target; ci++) {
            long start = (long)perm[ci] * cf->chunk, len = start + cf->chunk <= n ? cf->chunk : n - start;
            int m = 0;
            for (long p = 0; p < len; p++) {
                int id = ids[start + p];
                if (keep[id] >= 1 || gsl_rng_uniform(r) < keep[id]) buf[m++] = id;
            }
            R->kept += m;
            for (int p = 0; p < m; p++) {
                int word = buf[p], span = cf->w - (int)gsl_rng_uniform_int(r, (unsigned long)cf->w);
                for (int o = -span; o <= span; o++) {
                    if (o == 0 || p + o < 0 || p + o >= m) continue;
                    double *l1 = Win + (size_t)buf[p + o] * d;
                    memset(e, 0, sizeof *e * d);
                    for (int t = 0; t <= cf->k; t++) {
                        int tgt = word;
                        double label = 1;
                        if (t > 0) {
                            tgt = (int)gsl_ran_discrete(r, neg), label = 0;
                            if (tgt == word) continue;
                        }
                        double *l2 = Wout + (size_t)tgt * d, f = 0;
                        for (int j = 0; j < d; j++) f += l1[j] * l2[j];
                        double g = cf->lr * (label - 1 / (1 + exp(-f)));
                        for (int j = 0; j < d; j++) e[j] += g * l2[j];
                        for (int j = 0; j < d; j++) l2[j] += g * l1[j];
                    }
                    for (int j = 0; j < d; j++) l1[j] += e[j];
                }
            }
            done += (double)len;
            w2v_record(R, V, d, Win, Wout, done / n);
            if (ci % 64 == 0) progress("SGNS (untied) epoch %.3f / %.3f", done / n, cf->epochs);
        }
    }
    gsl_ran_discrete_free(neg);
    free(perm), free(buf), free(keep), free(qw), free(e);
}

// Recording grid: n_uni uniform and n_log log-spaced epochs in [lo, end], merged and sorted, 0 first.
static int epoch_grid(double end, double lo, int n_uni, int n_log, double *at) {
    int n = 0;
    at[n++] = 0;
    for (int i = 1; i <= n_uni; i++) at[n++] = end * i / n_uni;
    for (int i = 0; i < n_log; i++) at[n++] = lo * pow(end / lo, i / (n_log - 1.0));
    qsort(at, (size_t)n, sizeof *at, cmp_desc);
    for (int i = 0; i < n / 2; i++) {  // ascending
        double x = at[i];
        at[i] = at[n - 1 - i], at[n - 1 - i] = x;
    }
    return n;
}

// A run of untied SGNS from iid N(0, s^2/d) init of both matrices (streams si, so), recorded.
typedef struct {
    w2v_cfg cf;
    double sigma;
    w2v_rec R;
    double *Win, *Wout;
    double secs;
} w2v_run;

static void w2v_run_go(w2v_run *u, const int *ids, long n, const long *count, unsigned long si, unsigned long so,
                       int ks, const analogy_set *aset, int nsnap) {
    int V = u->cf.V, d = u->cf.d;
    u->Win = XNEW(double, (size_t)V *d), u->Wout = XNEW(double, (size_t)V *d);
    gsl_rng *ri = rng_alloc(C.seed, si), *ro = rng_alloc(C.seed, so);
    if (init_normal_abs(ri, (size_t)V * d, u->sigma / sqrt((double)d), u->Win, NULL) ||
        init_normal_abs(ri, (size_t)V * d, u->sigma / sqrt((double)d), u->Wout, NULL))
        DIE("init_normal_abs failed");
    int cap = 2 + 60 + 60;
    u->R = (w2v_rec){.ks = ks};
    u->R.at = XNEW(double, cap), u->R.epoch = XNEW(double, cap), u->R.sig = XNEW(double, (size_t)cap *ks);
    u->R.cap = epoch_grid(u->cf.epochs, 2e-3 * u->cf.epochs, 60, 60, u->R.at);
    if (aset) {
        u->R.aset = aset, u->R.res = analogy_result_alloc(aset->n_fam), u->R.nsnap = nsnap;
        u->R.snap_at = XNEW(double, nsnap), u->R.acc = XNEW(double, nsnap);
        for (int i = 0; i < nsnap; i++) u->R.snap_at[i] = u->cf.epochs * pow(0.02, (nsnap - 1.0 - i) / (nsnap - 1.0));
    }
    double t0 = util_now();
    w2v_train(&u->cf, ids, n, count, u->Win, u->Wout, ro, &u->R);
    u->secs = util_now() - t0;
    progress_done(
        "SGNS untied (V = %d, d = %d, init %g): %.2f epochs of %ld tokens (%ld kept by subsampling) in %.1f s", V, d,
        u->sigma, u->cf.epochs, n, u->R.kept, u->secs);
    rng_free(ri), rng_free(ro);
}

static void w2v_run_free(w2v_run *u) {
    free(u->Win), free(u->Wout), free(u->R.at), free(u->R.epoch), free(u->R.sig), free(u->R.snap_at), free(u->R.acc);
    if (u->R.res) analogy_result_free(u->R.res);
}

// Step time of mode k of an SGNS run: the first crossing of half its value at the end of the run
// (SGNS has no saturating plateau, so "half-rise" is relative to where the run ends).
static double w2v_step_time(const w2v_rec *R, int k) {
    double *x = XNEW(double, R->n), end = R->sig[(size_t)(R->n - 1) * R->ks + k];
    for (int r = 0; r < R->n; r++) x[r] = R->sig[(size_t)r * R->ks + k];
    double t = steps_crossing(R->epoch, x, (size_t)R->n, 0, end / 2, STEPS_UP);
    free(x);
    return t;
}

// Top-k eigenpairs of a symmetric M (V, V) by block Krylov with full reorthogonalisation and a
// Rayleigh-Ritz step: Q = orth[X, MX, ..., M^{m-1}X] (X iid normal, b columns), T = Q^T M Q
// (nb = m b), whose top k eigenpairs give lam and Z = Q y.  m products of M with a (V, b)
// block (BLAS-3, O(m b V^2)); dsyevr at V = 5000 would cost O(V^3) for the tridiagonalisation.
// Returns the largest relative residual |M z - lam z| / |lam|.
static double krylov_top(int V, const double *M, int k, int b, int m, gsl_rng *r, double *lam, double *Z) {
    int nb = b * m;
    double *Q = XNEW(double, (size_t)V *nb), *Y = XNEW(double, (size_t)V *nb), *c = XNEW(double, nb);
    for (int i = 0; i < V; i++)
        for (int j = 0; j < b; j++) Q[(size_t)i * nb + j] = rng_normal(r);
    for (int blk = 0; blk < m; blk++) {
        for (int j = blk * b; j < (blk + 1) * b; j++) {  // orthonormalise column j against 0..j-1, twice
            double *qj = Q + j;
            for (int pass = 0; pass < 2 && j > 0; pass++) {
                cblas_dgemv(CblasRowMajor, CblasTrans, V, j, 1.0, Q, nb, qj, nb, 0.0, c, 1);
                cblas_dgemv(CblasRowMajor, CblasNoTrans, V, j, -1.0, Q, nb, c, 1, 1.0, qj, nb);
            }
            double qn = cblas_dnrm2(V, qj, nb);
            if (!(qn > 0)) DIE("block Krylov: a zero column (V = %d)", V);
            cblas_dscal(V, 1 / qn, qj, nb);
        }
        cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, V, b, 1.0, M, V, Q + blk * b, nb, 0.0, Y + blk * b, nb);
        if (blk + 1 < m)
            for (int i = 0; i < V; i++)
                memcpy(Q + (size_t)i * nb + (blk + 1) * b, Y + (size_t)i * nb + blk * b, sizeof *Q * b);
    }
    double *T = XNEW(double, (size_t)nb *nb), *w = XNEW(double, nb);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nb, nb, V, 1.0, Q, nb, Y, nb, 0.0, T, nb);
    for (int i = 0; i < nb; i++)
        for (int j = 0; j < i; j++)
            T[(size_t)i * nb + j] = T[(size_t)j * nb + i] = 0.5 * (T[(size_t)i * nb + j] + T[(size_t)j * nb + i]);
    if (la_eigh(nb, T, w, 1)) DIE("dsyevd failed on the Krylov projection");
    double *yk = XNEW(double, (size_t)nb *k), *MZ = XNEW(double, (size_t)V *k), res = 0;
    for (int a = 0; a < k; a++) {
        lam[a] = w[nb - 1 - a];
        for (int i = 0; i < nb; i++) yk[(size_t)i * k + a] = T[(size_t)i * nb + (nb - 1 - a)];
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, V, k, nb, 1.0, Q, nb, yk, k, 0.0, Z, k);
    cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, V, k, 1.0, M, V, Z, k, 0.0, MZ, k);
    for (int a = 0; a < k; a++) {
        double rr = 0;
        for (int i = 0; i < V; i++) {
            double x = MZ[(size_t)i * k + a] - lam[a] * Z[(size_t)i * k + a];
            rr += x * x;
        }
        res = fmax(res, sqrt(rr) / fabs(lam[a]));
    }
    free(Q), free(Y), free(c), free(T), free(w), free(yk), free(MZ);
    return res;
}

// QWEM's theory for mode k from one common sigma_0 (the authors'): sigma_k(tau) =
// lambda_k / (1 + (lambda_k/sigma_0 - 1) e^{-2 lambda_k tau}), half-rise at
// tau_k = ln(lambda_k/sigma_0 - 1)/(2 lambda_k).
static double qwem_theory(double lam, double s0, double tau) {
    return lam / (1 + (lam / s0 - 1) * exp(-2 * lam * tau));
}
static double qwem_theory_tau(double lam, double s0) { return log(lam / s0 - 1) / (2 * lam); }

enum { REAL_KS = 10, REAL_KM = 16 };  // singular values recorded; eigenpairs of M* computed

static void part_sgns_real(const corpus *cp, analogy_set *aset) {
    int V = cp->V, d = P.real_dim, L = P.window;
    if (d >= V) cli_usage_error(&C, "--real-dim %d must be below the vocabulary %d", d, V);
    // M* of this vocabulary and its top eigenpairs (block Krylov).
    double t0 = util_now();
    double *M = XNEW(double, (size_t)V *V), *cnt = XNEW(double, V);
    if (corpus_cooc_add(cp->ids, cp->n_ids, V, L, M) < 0) DIE("corpus_cooc_add: %s", sim_last_error());
    for (int i = 0; i < V; i++) cnt[i] = (double)cp->count[i];
    mstar_from_counts(V, M, cnt, NULL);
    free(cnt);
    double lam[REAL_KM], *Z = XNEW(double, (size_t)V *REAL_KM);
    gsl_rng *rk = rng_alloc(C.seed, S_REAL_KRYLOV);
    double kres = krylov_top(V, M, REAL_KM, 32, 10, rk, lam, Z);
    rng_free(rk);
    free(M);
    printf(
        "\nreal SGNS part: corpus V = %d, M* (L = %d) top eigenvalues by block Krylov in %.1f s (max relative "
        "residual %.2g):",
        V, L, util_now() - t0, kres);
    for (int k = 0; k < 10; k++) printf(" %.2f", lam[k]);
    printf("\n");

    // The run.
    analogy_resolve(aset, lookup_corpus, (void *)cp);
    w2v_run u = {.cf = {.V = V,
                        .d = d,
                        .w = P.sgns_window,
                        .k = P.negatives,
                        .chunk = P.real_chunk,
                        .lr = P.real_lr,
                        .epochs = P.real_epochs,
                        .sample = P.real_sample},
                 .sigma = P.real_sigma};
    w2v_run_go(&u, cp->ids, cp->n_ids, cp->count, S_REAL_INIT, S_REAL_ORDER, REAL_KS, aset, 6);
    const w2v_rec *R = &u.R;
    double tstep[REAL_KS], th_rel[REAL_KS], s0 = P.real_sigma * P.real_sigma;
    for (int k = 0; k < REAL_KS; k++) {
        tstep[k] = w2v_step_time(R, k);
        th_rel[k] = qwem_theory_tau(lam[k], s0) / qwem_theory_tau(lam[0], s0);
    }
    double tau1 = tstep[0];
    printf(
        "SGNS untied (d = %d, w = %d, k = %d, lr = %g, sample %g, init %g): %.2f epochs of %ld tokens, %.0f kept "
        "per epoch, %.1f s (%.0f kept tokens/s)\n",
        d, P.sgns_window, P.negatives, P.real_lr, P.real_sample, P.real_sigma, P.real_epochs, cp->n_ids,
        R->kept / P.real_epochs, u.secs, R->kept / u.secs);
    printf("%3s %10s %10s %12s %12s %10s\n", "k", "lambda_k", "t_step", "t_k/t_1", "QWEM th.", "s_k(end)");
    for (int k = 0; k < REAL_KS; k++)
        printf("%3d %10.3f %10.4f %12.4f %12.4f %10.4g\n", k + 1, lam[k], tstep[k], tstep[k] / tau1, th_rel[k],
               R->sig[(size_t)(R->n - 1) * REAL_KS + k]);

    printf("analogy accuracy of W_in along training:");
    for (int i = 0; i < R->isnap; i++) printf("  %.3f ep: %.2f %%", R->snap_at[i], 100 * R->acc[i]);
    printf("\n");
    // w2v.C11a: steps are visible -- the top three singular values of S rise one after another.
    char what[300];
    double gmin = INFINITY;
    int ok = 1;
    for (int k = 0; k < 3; k++) {
        if (isnan(tstep[k])) ok = 0;
        if (k > 0) gmin = fmin(gmin, tstep[k] / tstep[k - 1]);
    }
    snprintf(what, sizeof what,
             "untied subsampled SGNS (V = %d, d = %d): half-rise of s_1, s_2, s_3 of W_in W_out^T at "
             "%.4f, %.4f, %.4f epochs; min ratio t_(k+1)/t_k",
             V, d, tstep[0], tstep[1], tstep[2]);
    claim_check("w2v.C11a", CLAIM_EXPERIMENT, ok && gmin >= 1.1, what, gmin, ">= 1.1, in order");
    // w2v.C11b: step-time ratios against QWEM's theory on this corpus's M*.
    double e11 = 0;
    for (int k = 1; k < 3; k++) e11 = fmax(e11, fabs(tstep[k] / tau1 / th_rel[k] - 1));
    snprintf(what, sizeof what,
             "SGNS step times t_2/t_1 = %.3f, t_3/t_1 = %.3f vs QWEM theory %.3f, %.3f: max |ratio - 1|",
             tstep[1] / tau1, tstep[2] / tau1, th_rel[1], th_rel[2]);
    claim_report("w2v.C11b", CLAIM_EXPERIMENT, what, e11);
    // w2v.C11c: the SGNS embedding's top-8 subspace against M*'s top-8 eigenvectors.
    double *U = XNEW(double, (size_t)V * 8), *sv = XNEW(double, d);
    if (track_svd(V, d, u.Win, sv, 8, U)) DIE("dgesdd failed on W_in");
    double ov = track_overlap(V, 8, U, 8, Z, REAL_KM);
    printf("SGNS W_in top-k subspace vs M*'s top-k eigenvectors, overlap O_k, k = 1..8:");
    for (int k = 1; k <= 8; k++) printf(" %.3f", track_overlap(V, k, U, 8, Z, REAL_KM));
    printf("\n");
    if (R->res) {  // diagnostic: the accuracy once the top direction of W_in is projected out
        double *Wp = XNEW(double, (size_t)V *d), *vt = XNEW(double, (size_t)d *d), *Wc = XNEW(double, (size_t)V *d);
        memcpy(Wc, u.Win, sizeof *Wc * (size_t)V * d);
        if (la_svd(V, d, Wc, sv, NULL, vt)) DIE("dgesdd failed on W_in");
        memcpy(Wp, u.Win, sizeof *Wp * (size_t)V * d);
        for (int i = 0; i < V; i++) {
            double c = cblas_ddot(d, u.Win + (size_t)i * d, 1, vt, 1);
            cblas_daxpy(d, -c, vt, 1, Wp + (size_t)i * d, 1);
        }
        if (analogy_eval(aset, Wp, V, d, R->res)) DIE("analogy ids out of range");
        printf("analogy accuracy of W_in at the end without its top singular direction: %.2f %% (with it: %.2f %%)\n",
               100 * analogy_acc(R->res, aset->n_fam), 100 * R->acc[R->isnap - 1]);
        if (analogy_eval(aset, u.Wout, V, d, R->res)) DIE("analogy ids out of range");
        printf("analogy accuracy of W_out at the end: %.2f %%\n", 100 * analogy_acc(R->res, aset->n_fam));
        int ml = 0;  // modes whose half-rise happened: the closed form with as many (non-frequency) directions
        for (int k = 0; k < REAL_KS; k++) ml += !isnan(tstep[k]) && tstep[k] < 0.9 * P.real_epochs;
        if (ml > 0 && ml <= REAL_KM) {
            closed_form_embedding(V, ml, Z, REAL_KM, lam, Wp);
            if (analogy_eval(aset, Wp, V, ml, R->res)) DIE("analogy ids out of range");
            printf("for comparison, the closed form V_m Lambda_m^(1/2) of this M* at m = %d learned modes: %.2f %%\n",
                   ml, 100 * analogy_acc(R->res, aset->n_fam));
        }
        free(Wp), free(vt), free(Wc);
    }
    snprintf(what, sizeof what,
             "SGNS (untied, subsampled) top-8 left singular subspace of W_in vs M*'s top-8 "
             "eigenvectors, overlap O_8 (tied SGNS without subsampling: w2v.C8d)");
    claim_report("w2v.C11c", CLAIM_EXPERIMENT, what, ov);
    // w2v.C11d: analogy accuracy switches on along training.
    if (R->nsnap >= 2 && R->res->n_scored[aset->n_fam] > 0) {
        double a0 = R->acc[0], a1 = R->acc[R->isnap - 1];
        snprintf(what, sizeof what,
                 "SGNS analogy accuracy (%d questions in vocabulary) from %.4f at epoch %.3f to %.4f "
                 "at %.3f: rise in points",
                 R->res->n_scored[aset->n_fam], a0, R->snap_at[0], a1, R->snap_at[R->isnap - 1]);
        claim_check("w2v.C11d", CLAIM_EXPERIMENT, (a1 - a0) * 100 >= 5, what, (a1 - a0) * 100, ">= 5");
    } else claim_skip("w2v.C11d", CLAIM_EXPERIMENT, "(no analogy question in the vocabulary)");

    // Tables.
    const char *base = strrchr(P.corpus, '/');
    tsv *t = tsv_open(&C, "real_traj.tsv", "w2v.C11");
    tsv_note(t,
             "untied SGNS on %s: V = %d, d = %d, w = %d, k = %d, lr = %g, sample %g, init row norm %g, chunk %d, "
             "%.3g epochs",
             base ? base + 1 : P.corpus, V, d, P.sgns_window, P.negatives, P.real_lr, P.real_sample, P.real_sigma,
             P.real_chunk, P.real_epochs);
    tsv_note(t,
             "sig_k: k-th singular value of W_in W_out^T; rel_k = sig_k / sig_k(end); t_rel = epoch / t_1, t_1 = %.10g "
             "epochs the half-rise of sig_1",
             tau1);
    tsv_columns(t,
                "epoch\tt_rel\tsig_1\tsig_2\tsig_3\tsig_4\tsig_5\tsig_6\tsig_7\tsig_8\tsig_9\tsig_10\trel_1\trel_2\t"
                "rel_3\trel_4\trel_5\trel_6\trel_7\trel_8\trel_9\trel_10");
    const double *last = R->sig + (size_t)(R->n - 1) * REAL_KS;
    for (int r = 0; r < R->n; r++) {
        char row[800];
        int o = snprintf(row, sizeof row, "%.10g\t%.10g", R->epoch[r], R->epoch[r] / tau1);
        for (int k = 0; k < REAL_KS; k++)
            o += snprintf(row + o, sizeof row - o, "\t%.10g", R->sig[(size_t)r * REAL_KS + k]);
        for (int k = 0; k < REAL_KS; k++)
            o += snprintf(row + o, sizeof row - o, "\t%.10g", R->sig[(size_t)r * REAL_KS + k] / last[k]);
        tsv_row(t, "%s", row);
    }
    tsv_close(t);
    t = tsv_open(&C, "real_theory.tsv", "w2v.C11");
    tsv_note(t,
             "QWEM theory on this vocabulary's M* (L = %d): sigma_k/lambda_k = 1/(1 + (lambda_k/s0 - 1) "
             "exp(-2 lambda_k tau)), s0 = init^2 = %g for every mode; t_rel = tau/tau_1",
             L, s0);
    tsv_columns(t,
                "t_rel\ttheory_1\ttheory_2\ttheory_3\ttheory_4\ttheory_5\ttheory_6\ttheory_7\ttheory_8\ttheory_9\t"
                "theory_10");
    double th1 = qwem_theory_tau(lam[0], s0);
    for (int i = 0; i <= 300; i++) {
        double x = 0.1 * pow(1000.0, i / 300.0);
        char row[400];
        int o = snprintf(row, sizeof row, "%.10g", x);
        for (int k = 0; k < REAL_KS; k++)
            o += snprintf(row + o, sizeof row - o, "\t%.10g", qwem_theory(lam[k], s0, x * th1) / lam[k]);
        tsv_row(t, "%s", row);
    }
    tsv_close(t);
    t = tsv_open(&C, "real_steps.tsv", "w2v.C11");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t,
             "t_step: half-rise of sig_k (half its end value), epochs; theory_rel: QWEM tau_k/tau_1 with s0 = %g; "
             "Krylov residual %.3g",
             s0, kres);
    tsv_note(t, "overlap_O8 = %.10g (top-8 left singular subspace of W_in vs M*'s top-8 eigenvectors)", ov);
    tsv_columns(t, "k\tlambda\tt_step\tt_rel\ttheory_rel\tsig_end");
    for (int k = 0; k < REAL_KS; k++)
        tsv_row(t, "%d\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", k + 1, lam[k], tstep[k], tstep[k] / tau1, th_rel[k],
                last[k]);
    tsv_close(t);
    t = tsv_open(&C, "real_analogy.tsv", "w2v.C11");
    tsv_note(t, "3CosAdd accuracy of W_in (row-normalised) on %s; %d of %d questions in vocabulary", P.analogies,
             R->res ? R->res->n_scored[aset->n_fam] : 0, R->res ? R->res->n_total[aset->n_fam] : 0);
    tsv_columns(t, "epoch\tt_rel\tacc");
    for (int i = 0; i < R->isnap; i++)
        tsv_row(t, "%.10g\t%.10g\t%.10g", R->snap_at[i], R->snap_at[i] / tau1, R->acc[i]);
    tsv_close(t);
    if (P.write_vectors) write_w2v_text("sgns_vectors.txt", V, d, cp->word, u.Win);
    free(U), free(sv), free(Z);
    w2v_run_free(&u);
}
