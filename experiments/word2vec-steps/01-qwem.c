// ---- QWEM: M* from counts, the gradient flow, its step-time theory and claims ----
//
// Shared by the synthetic part (02) and the text parts (03, 06).

static int cmp_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

// ---- theory: M* from counts, step-time predictors, plateaus ----
//
// $P_{ij} = C_{ij}/\sum C$, $P_i = \mathrm{count}_i/\sum \mathrm{count}$ (from the word
// counts, not the marginals of $P_{ij}$), and
// $$M^*_{ij} = \frac{2(P_{ij} - P_iP_j)}{P_{ij} + P_iP_j} \in [-2, 2]$$
// (the paper's setting 3.1, negative ratio 1).  A pair that never co-occurs gets $-2$.  Built in
// place over the count matrix.  Also returns, if asked, $G_{ij} = P_{ij} + P_iP_j$ (QWEM-SGD's
// weights).
static void mstar_from_counts(int V, double *Cm, const double *count, double *Gout) {
    double tot = 0, ctot = 0;
    for (size_t k = 0; k < (size_t)V * V; k++) tot += Cm[k];
    for (int i = 0; i < V; i++) ctot += count[i];
    if (!(tot > 0) || !(ctot > 0)) DIE("M*: empty co-occurrence table; the corpus is too small for V = %d", V);
    for (int i = 0; i < V; i++)
        for (int j = 0; j < V; j++) {
            size_t k = (size_t)i * V + j;
            double Pij = Cm[k] / tot, PiPj = (count[i] / ctot) * (count[j] / ctot);
            if (Gout) Gout[k] = Pij + PiPj;
            Cm[k] = PiPj + Pij > 0 ? 2 * (Pij - PiPj) / (Pij + PiPj) : 0;
        }
}

// The population predictor, sigma_k(0) = s^2 (d-k+1)/d.
static double tau_P(double lam, int k, int d, double s0) {
    return log(lam * d / (s0 * s0 * (d - k + 1)) - 1) / (2 * lam);
}
// The init-aware predictor from the Gram-Schmidt residual r2 = r_k^2.
static double tau_G(double lam, double r2, double h) {
    return log(lam / r2 - 1) / (2 * lam) * opt_discrete_time_factor(h, lam);
}
// The logistic of predictor G: sigma_k(tau) with the half-rise at tau_k^G.
static double sigma_G(double lam, double r2, double h, double tau) {
    return lam / (1 + (lam / r2 - 1) * exp(-2 * lam * tau / opt_discrete_time_factor(h, lam)));
}

// Sequential (Gram-Schmidt) initial projections: p_j = W0^T v_j (d), orthogonalised against
// p_1..p_{j-1}; r2[j] = |residual|^2 (common/track's track_gs_residuals).  W0 (V, d), Vk (V, k)
// eigenvectors as columns.
static void mode_residuals(int V, int d, int k, const double *W0, const double *Vk, double *r2) {
    double *p = XNEW(double, (size_t)k *d);  // p (k, d)
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, d, V, 1.0, Vk, k, W0, d, 0.0, p, d);
    if (track_gs_residuals(k, d, p, r2)) DIE("track_gs_residuals: %s", sim_last_error());
    free(p);
}

// ---- experiment: full-batch QWEM gradient descent ----
//
// Gradient flow on $\mathcal L(W) = \tfrac14\lVert WW^\top - M^*\rVert_F^2$ (our convention;
// the authors' $t$ is $2\tau$): $\dot W = (M^* - WW^\top)W$, by Euler steps
// $W \leftarrow W + h[M^*W - W(W^\top W)]$ (a dsymm and two dgemms; $WW^\top$ is never formed).
// Each mode obeys $\dot\sigma_k = 2\sigma_k(\lambda_k - \sigma_k)$ with $\sigma_k = s_k^2$.
// Recorded every step: the singular values (dgesdd), the normalised loss
// $\ell = (\lVert M^*\rVert^2 - 2\,\mathrm{tr}(W^\top M^* W) + \lVert W^\top W\rVert^2)/\lVert M^*\rVert^2$,
// and each eigenmode's own strength $\sigma_k = \lVert W^\top v_k\rVert^2$.  The theory's
// logistic is a statement about mode k, so the step time of mode k is read from $\sigma_k$: the
// k-th largest singular value is a different quantity once two modes cross (on the registry
// corpus $\lambda_{10}$ and $\lambda_{11}$ differ by 0.86 % and mode 11 rises first).
typedef struct {
    int V, d, nsteps;
    double h;
    double *s2;    // (nsteps+1, d): squared singular values after each step, descending
    double *p2;    // (nsteps+1, d): mode strengths |W^T v_k|^2, k = 1..d (eigen-order of M*)
    double *loss;  // (nsteps+1)
} qwem_traj;

// Snapshot callback: called after step t (t = 0 is the init) if want[t] is set.
typedef void (*qwem_snap_fn)(int t, const double *W, void *ctx);

// Vd (V, d): the top-d eigenvectors of M* as columns, for the mode strengths.
static qwem_traj *qwem_run(int V, int d, const double *M, double M2, const double *Vd, const double *W0, double h,
                           int nsteps, const char *want, qwem_snap_fn snap, void *ctx, double *Wout) {
    qwem_traj *tr = XNEW(qwem_traj, 1);
    tr->V = V, tr->d = d, tr->nsteps = nsteps, tr->h = h;
    tr->s2 = XNEW(double, (size_t)(nsteps + 1) * d);
    tr->p2 = XNEW(double, (size_t)(nsteps + 1) * d);
    double *Pm = XNEW(double, (size_t)d *d);  // Pm = Vd^T W (d, d): row k is W^T v_k
    tr->loss = XNEW(double, nsteps + 1);
    double *W = Wout;  // W (V, d)
    memcpy(W, W0, sizeof *W * (size_t)V * d);
    double *G = XNEW(double, (size_t)V *d);   // G = M* W (V, d)
    double *S = XNEW(double, (size_t)d *d);   // S = W^T W (d, d)
    double *Wc = XNEW(double, (size_t)V *d);  // SVD copy
    double *sv = XNEW(double, d);
    for (int t = 0; t <= nsteps; t++) {
        cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, V, d, 1.0, M, V, W, d, 0.0, G, d);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, V, 1.0, W, d, W, d, 0.0, S, d);
        // record the state reached after t steps (before taking step t+1)
        double trWMW = 0;
        for (size_t k = 0; k < (size_t)V * d; k++) trWMW += W[k] * G[k];
        tr->loss[t] = (M2 - 2 * trWMW + la_frob2((size_t)d * d, S)) / M2;
        memcpy(Wc, W, sizeof *W * (size_t)V * d);
        if (la_svd(V, d, Wc, sv, NULL, NULL)) DIE("dgesdd failed at QWEM step %d", t);
        for (int k = 0; k < d; k++) tr->s2[(size_t)t * d + k] = sv[k] * sv[k];
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, V, 1.0, Vd, d, W, d, 0.0, Pm, d);
        for (int k = 0; k < d; k++)
            tr->p2[(size_t)t * d + k] = cblas_ddot(d, Pm + (size_t)k * d, 1, Pm + (size_t)k * d, 1);
        REQUIRE_FINITE(tr->loss[t], "QWEM loss", "the step size is above the stability bound h|lambda| < 2");
        if (want && want[t] && snap) snap(t, W, ctx);
        if (t == nsteps) break;
        // W <- W + h (G - W S): first G <- G - W S (the negative gradient), then the axpy.
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, V, d, d, -1.0, W, d, S, d, 1.0, G, d);
        cblas_daxpy(V * d, h, G, 1, W, 1);
        if (t % 100 == 0) progress("QWEM step %d / %d  loss %.4f", t, nsteps, tr->loss[t]);
    }
    free(G), free(S), free(Wc), free(sv), free(Pm);
    return tr;
}

static void qwem_traj_free(qwem_traj *t) {
    if (!t) return;
    free(t->s2), free(t->p2), free(t->loss), free(t);
}

// ---- measurement: step times and plateaus (common/steps) ----
//
// Mode k's step time is the first crossing of lambda_k/2 by its own strength, linearly
// interpolated (steps_crossing); the plateau after step k is the loss at the flattest sample
// strictly between the measured steps k and k+1 (steps_plateau).
// The step table of one QWEM run, as *_steps.tsv: k lambda tauP tauG tau_meas
// ratio_P ratio_G plateau_pred plateau_meas.
typedef struct {
    int d;
    double *lam, *tP, *tG, *tm, *r2, *pl_pred, *pl_meas;
} step_table;

static step_table *steps_measure(const qwem_traj *tr, const double *lam, const double *r2, double s0, double M2) {
    int d = tr->d;
    step_table *st = XNEW(step_table, 1);
    st->d = d;
    st->lam = XNEW(double, d), st->tP = XNEW(double, d), st->tG = XNEW(double, d), st->tm = XNEW(double, d);
    st->r2 = XNEW(double, d), st->pl_pred = XNEW(double, d), st->pl_meas = XNEW(double, d);
    double cum = 0;
    size_t n = (size_t)tr->nsteps + 1;
    double *tau = XNEW(double, n), *x = XNEW(double, n);
    for (size_t t = 0; t < n; t++) tau[t] = tr->h * (double)t;
    for (int k = 0; k < d; k++) {
        st->lam[k] = lam[k], st->r2[k] = r2[k];
        for (size_t t = 0; t < n; t++) x[t] = tr->p2[t * d + k];  // mode k's own strength
        st->tP[k] = tau_P(lam[k], k + 1, d, s0);
        st->tG[k] = tau_G(lam[k], r2[k], tr->h);
        st->tm[k] = steps_crossing(tau, x, n, 0, lam[k] / 2, STEPS_UP);
        if (lam[k] > 0) cum += lam[k] * lam[k];
        st->pl_pred[k] = 1 - cum / M2;  // l_k = 1 - sum_{j<=k} lambda_j^2 / |M*|^2
    }
    for (int k = 0; k < d; k++)
        st->pl_meas[k] = k + 1 < d ? steps_plateau(tau, tr->loss, n, st->tm[k], st->tm[k + 1], NULL) : NAN;
    free(tau), free(x);
    return st;
}

static void step_table_free(step_table *s) {
    if (!s) return;
    free(s->lam), free(s->tP), free(s->tG), free(s->tm), free(s->r2), free(s->pl_pred), free(s->pl_meas), free(s);
}

static void steps_write(const char *name, const step_table *st, const char *claims) {
    tsv *t = tsv_open(&C, name, claims);
    tsv_allow_nonfinite(t, 1);  // the last plateau (after step d) is not measured: nan
    tsv_note(t,
             "tau in units of the Euler step h (tau = h * step); tau_meas: the half-rise of mode k's own "
             "strength |W^T v_k|^2 = lambda_k/2; plateau after step k measured at the flattest loss between "
             "measured steps k and k+1");
    tsv_columns(t, "k\tlambda\ttauP\ttauG\ttau_meas\tratio_P\tratio_G\tplateau_pred\tplateau_meas");
    for (int k = 0; k < st->d; k++)
        tsv_row(t, "%d\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", k + 1, st->lam[k], st->tP[k],
                st->tG[k], st->tm[k], st->tm[k] / st->tP[k], st->tm[k] / st->tG[k], st->pl_pred[k], st->pl_meas[k]);
    tsv_close(t);
}

static void steps_print(const char *title, const step_table *st) {
    printf("\n%s: step times (tau = h*step) and plateaus\n", title);
    printf("%3s %10s %10s %10s %10s %8s %8s %10s %10s\n", "k", "lambda", "tauP", "tauG", "tau_meas", "meas/P", "meas/G",
           "plat_pred", "plat_meas");
    for (int k = 0; k < st->d; k++)
        printf("%3d %10.4f %10.6f %10.6f %10.6f %8.4f %8.4f %10.5f %10.5f\n", k + 1, st->lam[k], st->tP[k], st->tG[k],
               st->tm[k], st->tm[k] / st->tP[k], st->tm[k] / st->tG[k], st->pl_pred[k], st->pl_meas[k]);
}

// Trajectory TSV: tau loss s2_1..s2_d theory_1..theory_d p2_1..p2_d, subsampled to about 600 rows (every
// step when fewer; otherwise 300 uniform plus 300 log-spaced steps, merged).
static void traj_write(const char *name, const qwem_traj *tr, const step_table *st, double tau1P, const char *claims,
                       const char *info) {
    int n = tr->nsteps + 1, d = tr->d;
    char *keep = XNEW(char, n);
    if (n <= 600) memset(keep, 1, (size_t)n);
    else {
        for (int i = 0; i < 300; i++) keep[(int)((double)i * (n - 1) / 299)] = 1;
        for (int i = 0; i < 300; i++) keep[(int)floor(pow((double)(n - 1), (double)i / 299))] = 1;
        keep[0] = keep[n - 1] = 1;
    }
    tsv *t = tsv_open(&C, name, claims);
    tsv_note(t, "tau1P = %.10g (tau_1 of the population predictor; figures use tau/tau1P)", tau1P);
    tsv_note(t, "run: %s", info);
    tsv_note(t,
             "s2_k: k-th squared singular value of W; theory_k: logistic of predictor G (Euler-corrected) for "
             "mode k; p2_k = |W^T v_k|^2, the strength of eigenmode k of M* (the quantity the logistic describes)");
    char *hdr = XNEW(char, 32 * (3 * d + 2)), *row = XNEW(char, 32 * (3 * d + 2));
    int o = sprintf(hdr, "tau\tloss");
    for (int k = 0; k < d; k++) o += sprintf(hdr + o, "\ts2_%d", k + 1);
    for (int k = 0; k < d; k++) o += sprintf(hdr + o, "\ttheory_%d", k + 1);
    for (int k = 0; k < d; k++) o += sprintf(hdr + o, "\tp2_%d", k + 1);
    tsv_columns(t, hdr);
    for (int i = 0; i < n; i++) {
        if (!keep[i]) continue;
        double tau = tr->h * i;
        o = sprintf(row, "%.10g\t%.10g", tau, tr->loss[i]);
        for (int k = 0; k < d; k++) o += sprintf(row + o, "\t%.10g", tr->s2[(size_t)i * d + k]);
        for (int k = 0; k < d; k++) o += sprintf(row + o, "\t%.10g", sigma_G(st->lam[k], st->r2[k], tr->h, tau));
        for (int k = 0; k < d; k++) o += sprintf(row + o, "\t%.10g", tr->p2[(size_t)i * d + k]);
        tsv_row(t, "%s", row);
    }
    tsv_close(t);
    free(keep), free(hdr), free(row);
}

// Final state (Eckart-Young): |W W^T - V_d L_d V_d^T|_F / |V_d L_d V_d^T|_F.  Formed
// explicitly (V x V, a dsyrk and a dgemm): the trace formula |W^TW|^2 - 2 tr(..) + sum lambda^2
// cancels catastrophically once the error is below ~1e-8.
static double final_state_error(int V, int d, const double *W, const double *Vd, int ldv, const double *lam) {
    double *E = XNEW(double, (size_t)V *V), *B = XNEW(double, (size_t)V *d), c = 0;
    for (int i = 0; i < V; i++)
        for (int k = 0; k < d; k++) B[(size_t)i * d + k] = Vd[(size_t)i * ldv + k] * sqrt(fmax(lam[k], 0));
    for (int k = 0; k < d; k++) c += lam[k] * lam[k];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, V, V, d, 1.0, W, d, W, d, 0.0, E, V);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, V, V, d, -1.0, B, d, B, d, 1.0, E, V);
    double e = sqrt(la_frob2((size_t)V * V, E) / c);
    free(E), free(B);
    return e;
}

// Closed-form embedding W = V_m Lambda_m^{1/2} (V, m) from eigenvectors Z (V, ldz).
static void closed_form_embedding(int V, int m, const double *Z, int ldz, const double *lam, double *W) {
    for (int i = 0; i < V; i++)
        for (int k = 0; k < m; k++) W[(size_t)i * m + k] = Z[(size_t)i * ldz + k] * sqrt(fmax(lam[k], 0));
}

// Snapshot state for the analogy accuracy along a QWEM run.
typedef struct {
    analogy_set *set;
    analogy_result *res;
    int V, d, n;
    int *step;
    double *acc, *tie;
} snap_state;

static void snap_analogy(int t, const double *W, void *ctx) {
    snap_state *s = ctx;
    if (analogy_eval(s->set, W, s->V, s->d, s->res)) DIE("analogy ids out of range");
    s->step[s->n] = t;
    s->acc[s->n] = analogy_acc(s->res, s->set->n_fam);
    s->tie[s->n] = analogy_tie_acc(s->res, s->set->n_fam);
    s->n++;
}

static int modes_learned(const double *s2, const double *lam, int d) {
    int m = 0;
    for (int k = 0; k < d; k++) m += s2[k] > lam[k] / 2;
    return m;
}

// word2vec's text format: a line "V d", then one line per word: the word and its d numbers.
static void write_w2v_text(const char *name, int V, int d, char **word, const double *W) {
    char *path = XNEW(char, strlen(C.out) + strlen(name) + 2);
    sprintf(path, "%s/%s", C.out, name);
    FILE *f = fopen(path, "w");
    if (!f) DIE("cannot write %s", path);
    fprintf(f, "%d %d\n", V, d);
    for (int i = 0; i < V; i++) {
        fputs(word[i], f);
        for (int j = 0; j < d; j++) fprintf(f, " %.6g", W[(size_t)i * d + j]);
        fputc('\n', f);
    }
    if (fclose(f)) DIE("write error on %s", path);
    printf("wrote %s (word2vec text format, %d words, d = %d)\n", path, V, d);
    free(path);
}

// lambda_min of a symmetric M (V, V), by the subset solver on -M (M is not modified).
static double lambda_min(int V, const double *M) {
    double *tmp = XNEW(double, (size_t)V *V), l;
    for (size_t q = 0; q < (size_t)V * V; q++) tmp[q] = -M[q];
    if (la_eigh_top(V, tmp, 1, &l, NULL)) DIE("dsyevr failed (lambda_min)");
    free(tmp);
    return -l;
}

// ---- experiment: one QWEM run from small init (synthetic and text alike) ----
//
// Step size $h = \min(0.1/\lambda_1, 1/|\lambda_\mathrm{min}|)$ (the program refuses
// $h|\lambda_\mathrm{min}| \ge 2$), run to $t_\mathrm{end} =$ tef $\cdot\,\tau_d^P$, W(0) iid
// N(0, s^2/d), snapshots at 40 log-spaced times in $[0.3\tau_1^P, t_\mathrm{end}]$ and at the end.
typedef struct {
    // set by the caller
    int V, d, kt;               // Z has kt columns, kt > d
    const double *M, *lam, *Z;  // M* (V, V) and its top-kt eigenpairs, Z (V, kt)
    double sigma, tef;          // init row norm; run to tef * tau_d^P
    unsigned long stream;       // the RNG stream of W(0)
    const char *label;          // "synthetic" or "text", for messages and claims
    // set by qwem_setup and qwem_go
    double lmin;  // lambda_min of M*: 0 means "compute it"
    double M2, h, t1P, tdP;
    int nsteps;
    double *Vd, *W0, *W, *r2;  // Vd (V, d) top-d eigenvectors; W0, W (V, d); r2 (d)
    char *want;                // (nsteps + 1) snapshot flags; the caller may add more before qwem_go
    qwem_traj *tr;
    step_table *st;
} qwem_exp;

static void qwem_setup(qwem_exp *q) {
    int V = q->V, d = q->d;
    const double *lam = q->lam;
    q->M2 = la_frob2((size_t)V * V, q->M);
    if (q->lmin == 0) q->lmin = lambda_min(V, q->M);  // unless the caller has it
    q->h = fmin(P.h_factor / lam[0], q->lmin < 0 ? 1 / fabs(q->lmin) : INFINITY);
    if (q->h * fabs(q->lmin) >= 2)
        DIE("h |lambda_min| = %g >= 2: Euler is unstable; lower --h-factor", q->h * fabs(q->lmin));
    q->tdP = tau_P(lam[d - 1], d, d, q->sigma), q->t1P = tau_P(lam[0], 1, d, q->sigma);
    double tend = q->tef * q->tdP;
    if (!(tend / q->h < 1e9))  // lambda_d <= 0 (or tiny): mode d is never learned
        DIE("QWEM: lambda_%d of M* = %g gives tau_%d = %g, %g Euler steps; lower --dim", d, lam[d - 1], d, q->tdP,
            tend / q->h);
    q->nsteps = (int)ceil(tend / q->h);
    q->Vd = XNEW(double, (size_t)V *d), q->W0 = XNEW(double, (size_t)V *d), q->W = XNEW(double, (size_t)V *d);
    q->r2 = XNEW(double, d);
    for (int i = 0; i < V; i++)
        for (int k = 0; k < d; k++) q->Vd[(size_t)i * d + k] = q->Z[(size_t)i * q->kt + k];
    gsl_rng *ri = rng_alloc(C.seed, q->stream);
    if (init_normal_abs(ri, (size_t)V * d, q->sigma / sqrt((double)d), q->W0, NULL)) DIE("init_normal_abs failed");
    rng_free(ri);
    mode_residuals(V, d, d, q->W0, q->Vd, q->r2);
    q->want = XNEW(char, q->nsteps + 1);
    for (int i = 0; i < 40; i++) {
        int s = (int)lround(0.3 * q->t1P * pow(tend / (0.3 * q->t1P), i / 39.0) / q->h);
        q->want[s > q->nsteps ? q->nsteps : s] = 1;
    }
    q->want[q->nsteps] = 1;
}

static void qwem_go(qwem_exp *q, qwem_snap_fn snap, void *ctx) {
    double t0 = util_now();
    q->tr = qwem_run(q->V, q->d, q->M, q->M2, q->Vd, q->W0, q->h, q->nsteps, q->want, snap, ctx, q->W);
    progress_done("%s QWEM: %d steps in %.2f s (h lambda_1 = %.3f, h |lambda_min| = %.3f)", q->label, q->nsteps,
                  util_now() - t0, q->h * q->lam[0], q->h * fabs(q->lmin));
    q->st = steps_measure(q->tr, q->lam, q->r2, q->sigma, q->M2);
}

static void qwem_free(qwem_exp *q) {
    qwem_traj_free(q->tr), step_table_free(q->st);
    free(q->Vd), free(q->W0), free(q->W), free(q->r2), free(q->want);
}

// ---- claims of a QWEM run: step times (w2v.C3) and plateaus (w2v.C4) ----
//
// Step times against predictor G for k <= kG (tolerance tolG), and against predictor P in
// [0.93, 1.12] for k <= d - 3 (the last modes start from a chi^2 with <= 3 degrees of freedom).
// Plateaus: every step whose relative gap (lambda_k - lambda_{k+1})/lambda_k >= 0.2, within 3e-3
// (the residual is the overlap of neighbouring logistic tails).
static void qwem_step_claims(const qwem_exp *q, const char *idG, int kG, double tolG, const char *idP,
                             const char *idPl) {
    const step_table *st = q->st;
    const double *lam = q->lam;
    int d = q->d, kw = 0;
    double eG = 0, pmin = INFINITY, pmax = -INFINITY;
    char what[240], tol[32];
    for (int k = 0; k < d; k++) {
        double e = isnan(st->tm[k]) ? INFINITY : fabs(st->tm[k] / st->tG[k] - 1);
        if (k < kG && e > eG) eG = e, kw = k;
        if (k < d - 3) pmin = fmin(pmin, st->tm[k] / st->tP[k]), pmax = fmax(pmax, st->tm[k] / st->tP[k]);
    }
    // the worst mode's relative gap to its nearest neighbour: a near-degenerate pair mixes
    double gapw = kw + 1 < q->kt ? (lam[kw] - lam[kw + 1]) / lam[kw] : 1;
    if (kw > 0) gapw = fmin(gapw, (lam[kw - 1] - lam[kw]) / lam[kw - 1]);
    snprintf(what, sizeof what,
             "%s: step times vs predictor G, max |tau_meas/tau_G - 1| (k <= %d; worst k = %d, "
             "relative gap to its neighbour %.4f)",
             q->label, kG, kw + 1, gapw);
    snprintf(tol, sizeof tol, "%g", tolG);
    claim_check(idG, CLAIM_EXPERIMENT, eG <= tolG, what, eG, tol);
    if (d > 3) {
        snprintf(what, sizeof what, "%s: tau_meas/tau_P in [%.4f, %.4f] for k <= d-3; worst", q->label, pmin, pmax);
        claim_check(idP, CLAIM_EXPERIMENT, pmin >= 0.93 && pmax <= 1.12, what,
                    fabs(pmax - 1) > fabs(pmin - 1) ? pmax : pmin, "[0.93, 1.12]");
    } else claim_skip(idP, CLAIM_EXPERIMENT, "(d <= 3: no mode with k <= d - 3)");
    double e4 = 0;
    int n4 = 0;
    for (int k = 0; k + 1 < d; k++)
        if ((lam[k] - lam[k + 1]) / lam[k] >= 0.2) e4 = fmax(e4, fabs(st->pl_meas[k] - st->pl_pred[k])), n4++;
    snprintf(what, sizeof what, "%s: plateau loss vs 1 - sum lambda^2/|M*|^2 (%d gapped steps), max abs err", q->label,
             n4);
    if (n4) claim_check(idPl, CLAIM_EXPERIMENT, e4 <= 3e-3, what, e4, "3e-3");
    else claim_skip(idPl, CLAIM_EXPERIMENT, "(no step with relative gap >= 0.2)");
}
