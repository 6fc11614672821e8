// ---- SGD converges to the local maximum where Lambda_B < 0 (claims sgdmax.C1-C5) ----

// ---- experiment ----
//
// One SGD run at learning rate $\eta$ with batch size $B$:
// $$w_{t+1} = w_t - \eta(\bar x_t w_t + w_t^3).$$
// Every run at the maximum shrinks like $e^{\Lambda t}$ and would underflow into denormals
// (slow) and then to exactly 0 (which loses the walk).  Below $|w| = 10^{-100}$ the cubic term
// is $10^{-200}$ of the linear one, far below rounding, so there we carry $(\mathrm{sign}\,w,
// \log|w|)$ and apply the linear map exactly: $\log|w| \mathrel{+}= \log|1-\eta\bar x_k|$.
//
// The samples of a run come from one stream per (B, eta index): one uniform per sample
// ($x = a$ iff $u < p$), so $k$ = the number of $a$'s in the batch.  The Lyapunov estimate of
// claim C1 counts how often each $k$ was drawn; $\hat\Lambda = \sum_k n_k g_k / \sum_k n_k$.

typedef struct {
    double w_final;  // w_T (0 when it is below the smallest double), or the value at divergence
    int diverged;
} run_result;

// Precomputed per (B, eta): factor 1 - eta xbar_k and its log and sign.
typedef struct {
    int B;
    double eta, fac[MAX_B + 1], logfac[MAX_B + 1];
    int sgn[MAX_B + 1];
} step_table;

static step_table table_make(const batch_law *L, double eta) {
    step_table S = {.B = L->B, .eta = eta};
    for (int k = 0; k <= L->B; k++) {
        S.fac[k] = 1 - eta * L->xbar[k];
        S.logfac[k] = log(fabs(S.fac[k]));
        S.sgn[k] = S.fac[k] < 0 ? -1 : 1;
    }
    return S;
}

static inline int draw_k(gsl_rng *r, int B) {
    int k = 0;
    for (int i = 0; i < B; i++) k += gsl_rng_uniform(r) < P.p;
    return k;
}

// One run of T steps.  counts[k] += number of batches with k a's (C1).  If path != NULL,
// log10|w_t| is stored every PATH_EVERY steps (NAN after divergence).
static run_result sgd_run(gsl_rng *r, const step_table *S, long T, long *counts, double *path) {
    double w = P.w0 * (2 * gsl_rng_uniform(r) - 1);
    int in_log = 0, sgn = w < 0 ? -1 : 1;
    double lw = 0;  // log|w| when in_log
    run_result res = {0, 0};
    if (fabs(w) < LOG_REGIME) {
        in_log = 1;
        lw = log(fabs(w));
    }
    for (long t = 0; t < T; t++) {
        if (path && t % PATH_EVERY == 0) path[t / PATH_EVERY] = in_log ? lw / M_LN10 : log10(fabs(w));
        int k = draw_k(r, S->B);
        counts[k]++;
        if (in_log) {
            lw += S->logfac[k];
            sgn *= S->sgn[k];
            if (lw > log(LOG_REGIME)) {
                in_log = 0;
                w = sgn * exp(lw);
            }
        } else {
            w = w * S->fac[k] - S->eta * w * w * w;  // w - eta (xbar w + w^3)
            if (!(fabs(w) <= DIVERGED)) {
                res.w_final = w;
                res.diverged = 1;
                if (path)
                    for (long u = t + 1; u < T; u++)
                        if (u % PATH_EVERY == 0) path[u / PATH_EVERY] = NAN;
                return res;
            }
            if (fabs(w) < LOG_REGIME) {
                in_log = 1;
                sgn = w < 0 ? -1 : 1;
                lw = log(fabs(w));
            }
        }
    }
    res.w_final = in_log ? sgn * exp(lw) : w;  // exp underflows to 0 for the deep runs: |w_T| < 1e-12
    return res;
}

// Full-batch gradient descent on L(w): w <- w - eta (mu w + w^3).
static double gd_run(double w, double eta, double mu, long T) {
    for (long t = 0; t < T && fabs(w) <= DIVERGED; t++) w = w - eta * (mu * w + w * w * w);
    return w;
}

// Per (B, eta) results.
typedef struct {
    double eta, Lambda, s2, kappa, Lhat, se, z;
    int R;
    double f_max, f_esc, f_div;
    long nsamp;
} cell;

typedef struct {
    double eta;
    int at_max;
    double max_dev;  // max over runs of ||w_T| - sqrt(-mu)|
} gd_cell;

// ---- measurement (claims) ----
//
// The claims.  Let $W_{th}$ be the grid points with $\Lambda_B < 0$ and $W_{emp}$
// those where at least half the runs end at the maximum.
//
// * **C1** $|\hat\Lambda - \Lambda_B| \le 4 s_B/\sqrt{n}$ at every grid point ($n$ samples),
//   and Brent's roots of $\Lambda_1$ equal the closed form $(\eta_1, \eta_2)$ to $10^{-10}$.
// * **C2** fraction at max $\ge 0.9$ wherever $\Lambda_B < 0$ and $\kappa_B \ge 0.2$.
// * **C3** fraction at max $\le 0.1$ wherever $\Lambda_B \ge 0.02$.
// * **C4** $W_{emp} = W_{th}$ up to one grid point at each predicted edge, the nearest one.
// * **C5** GD never ends at the maximum and always ends within $10^{-6}$ of $\pm\sqrt{-\mu}$.

// C4 for one batch size: number of grid points where the sets differ; *ok = 1 when every such
// point is the grid point nearest a predicted edge, at most one per edge.
static int window_mismatch(const cell *cells, int ne, const double *edges, int nw, int *ok) {
    int nd = 0;
    *ok = 1;
    int used[2 * MAX_WIN] = {0};
    for (int j = 0; j < ne; j++) {
        int th = cells[j].Lambda < 0, emp = cells[j].f_max >= 0.5;
        if (th == emp) continue;
        nd++;
        // nearest predicted edge to this grid point; it must have this point as its nearest
        int best = -1;
        double bd = INFINITY;
        for (int e = 0; e < 2 * nw; e++) {
            double d = fabs(edges[e] - cells[j].eta);
            if (d < bd) {
                bd = d;
                best = e;
            }
        }
        int nearest_of_edge = best >= 0;
        for (int i = 0; best >= 0 && i < ne; i++)
            if (fabs(edges[best] - cells[i].eta) < bd) nearest_of_edge = 0;
        if (!nearest_of_edge || used[best]++) *ok = 0;
    }
    return nd;
}

// The results of the part, for its claims.
typedef struct {
    const cell *cells;  // (nb, ne): per simulated batch size and grid point
    int nb, ne;
    const double *etas;
    double (*edges)[2 * MAX_WIN];  // predicted windows per batch size
    const int *nwin, *allB;
    const gd_cell *gd;
    double mu;
} max_result;

static void maximum_claims(const max_result *m) {
    const cell *cells = m->cells;
    const int nb = m->nb, ne = m->ne, *nwin = m->nwin, *allB = m->allB;
    const double *etas = m->etas, mu = m->mu;
    double(*edges)[2 * MAX_WIN] = m->edges;
    const gd_cell *gd = m->gd;
    char what[256];
    {  // C1
        double zmax = 0;
        for (int i = 0; i < nb * ne; i++) zmax = fmax(zmax, fabs(cells[i].z));
        double rerr = NAN;
        if (P.p == 0.5 && P.b > P.a && allB[1] && nwin[1] >= 1) {
            double e1, e2;
            window_closed_form(&e1, &e2);
            rerr = fmax(fabs(edges[1][0] - e1), fabs(edges[1][1] - e2));
        }
        snprintf(what, sizeof what,
                 "max |Lambda_hat - Lambda_B|/se over %d grid tests (B=1 root error vs closed form %.2g)", nb * ne,
                 rerr);
        int rootok = isnan(rerr) || rerr <= 1e-10;
        claim_check("sgdmax.C1", CLAIM_IDENTITY, zmax <= 4 && rootok, what, zmax, "4; roots 1e-10");
    }
    {  // C2
        double fmn = INFINITY;
        int nel = 0;
        for (int i = 0; i < nb * ne; i++)
            if (cells[i].Lambda < 0 && cells[i].kappa >= 0.2) {
                nel++;
                fmn = fmin(fmn, cells[i].f_max);
            }
        if (!nel) claim_skip("sgdmax.C2", CLAIM_EXPERIMENT, "no grid point with Lambda_B < 0 and kappa_B >= 0.2");
        else {
            snprintf(what, sizeof what, "min fraction at max over %d grid points with Lambda_B < 0, kappa_B >= 0.2",
                     nel);
            claim_check("sgdmax.C2", CLAIM_EXPERIMENT, fmn >= 0.9, what, fmn, ">= 0.9");
        }
    }
    {  // C3
        double fmx = -1;
        int nel = 0;
        for (int i = 0; i < nb * ne; i++)
            if (cells[i].Lambda >= 0.02) {
                nel++;
                fmx = fmax(fmx, cells[i].f_max);
            }
        if (!nel) claim_skip("sgdmax.C3", CLAIM_EXPERIMENT, "no grid point with Lambda_B >= 0.02");
        else {
            snprintf(what, sizeof what, "max fraction at max over %d grid points with Lambda_B >= 0.02", nel);
            claim_check("sgdmax.C3", CLAIM_EXPERIMENT, fmx <= 0.1, what, fmx, "<= 0.1");
        }
    }
    {  // C4
        int nd = 0, allok = 1;
        for (int ib = 0; ib < nb; ib++) {
            int B = (int)P.batches.v[ib], ok;
            int d = window_mismatch(cells + (size_t)ib * ne, ne, edges[B], nwin[B], &ok);
            nd += d;
            allok &= ok;
            printf("window B = %d: W_th = {", B);
            for (int j = 0; j < ne; j++)
                if (cells[ib * ne + j].Lambda < 0) printf(" %.3g", etas[j]);
            printf(" }  W_emp = {");
            for (int j = 0; j < ne; j++)
                if (cells[ib * ne + j].f_max >= 0.5) printf(" %.3g", etas[j]);
            printf(" }\n");
        }
        claim_check("sgdmax.C4", CLAIM_EXPERIMENT, allok,
                    "grid points where W_emp != W_th (allowed: the one nearest each edge)", nd,
                    "only edge-adjacent points");
    }
    if (mu >= 0) claim_skip("sgdmax.C5", CLAIM_EXPERIMENT, "mu >= 0: w = 0 is a minimum of L, not a maximum");
    else {  // C5
        int nat = 0;
        double dev = 0;
        for (int j = 0; j < ne; j++) {
            nat += gd[j].at_max;
            dev = fmax(dev, gd[j].max_dev);
        }
        snprintf(what, sizeof what, "GD runs at max %d of %d; max ||w_T| - sqrt(-mu)|", nat, GD_RUNS * ne);
        claim_check("sgdmax.C5", CLAIM_EXPERIMENT, nat == 0 && dev <= 1e-6, what, dev, "0 at max; 1e-6");
    }
}

// ---- the part ----

static void part_maximum(const double *etas, int ne) {
    double mu = P.p * P.a - (1 - P.p) * P.b;
    double t0 = util_now();
    gsl_set_error_handler_off();

    // Theory: Lambda_B on a fine grid and the windows, B = 1, 2, 4, 8 (drawn), plus simulated B.
    const int BTH[4] = {1, 2, 4, 8};
    double eta_hi = fmax(2.0, P.eta_max + P.eta_step);
    tsv *tt = tsv_open(&C, "theory.tsv", "sgdmax.C1 sgdmax.C4");
    tsv_allow_nonfinite(tt, 1);  // Lambda = -inf exactly at a singular point, should one be hit
    tsv_note(tt, "Lambda_B(eta) = E log|1 - eta xbar|, xbar the mean of B samples (x = a w.p. p, else -b)");
    tsv_note(tt, "mu = p a - (1-p) b = %.10g", mu);
    tsv_columns(tt, "eta\tLambda_1\tLambda_2\tLambda_4\tLambda_8");
    batch_law LT[4];
    for (int i = 0; i < 4; i++) LT[i] = law_make(BTH[i]);
    for (int i = 0; i < THEORY_POINTS; i++) {
        double e = eta_hi * (i + 0.5) / THEORY_POINTS;
        double v[4];
        for (int q = 0; q < 4; q++) v[q] = lyapunov(&LT[q], e, NULL);
        tsv_row(tt, "%.10g\t%.10g\t%.10g\t%.10g\t%.10g", e, v[0], v[1], v[2], v[3]);
    }
    tsv_close(tt);

    tsv *tw = tsv_open(&C, "windows.tsv", "sgdmax.C4");
    tsv_note(tw, "windows of Lambda_B < 0 within 0 < eta < %g, roots by Brent's method", eta_hi);
    tsv_columns(tw, "B\twindow\teta_lo\teta_hi");
    printf("predicted windows {eta : Lambda_B(eta) < 0} in (0, %g):\n", eta_hi);
    int allB[MAX_B + 1] = {0};
    for (int i = 0; i < 4; i++) allB[BTH[i]] = 1;
    for (int i = 0; i < P.batches.n; i++) allB[P.batches.v[i]] = 1;
    double edges[MAX_B + 1][2 * MAX_WIN];
    int nwin[MAX_B + 1] = {0};
    for (int B = 1; B <= MAX_B; B++) {
        if (!allB[B]) continue;
        nwin[B] = lyap_windows(B, eta_hi, edges[B]);
        printf("  B = %-2d", B);
        if (!nwin[B]) printf("  none");
        for (int w = 0; w < nwin[B]; w++) {
            printf("  (%.6f, %.6f)", edges[B][2 * w], edges[B][2 * w + 1]);
            tsv_row(tw, "%d\t%d\t%.12g\t%.12g", B, w, edges[B][2 * w], edges[B][2 * w + 1]);
        }
        printf("\n");
    }
    printf("  B = inf (GD): none, the factor 1 - eta mu = 1 + %.4g eta > 1\n", -mu);
    tsv_close(tw);

    // Experiment: the grid, per simulated batch size.
    int nb = P.batches.n;
    cell *cells = XNEW(cell, (size_t)nb * ne);
    int jh[2] = {-1, -1};  // grid points nearest 0.65 and 0.25 for the histograms (B = first)
    const double eta_hist[2] = {0.65, 0.25};
    for (int h = 0; h < 2; h++) {
        double bd = INFINITY;
        for (int j = 0; j < ne; j++)
            if (fabs(etas[j] - eta_hist[h]) < bd) {
                bd = fabs(etas[j] - eta_hist[h]);
                jh[h] = j;
            }
    }
    int hist_sgd[2][HIST_BINS] = {{0}}, hist_gd[HIST_BINS] = {0};
    int hist_out_sgd[2] = {0};
    for (int ib = 0; ib < nb; ib++) {
        int B = (int)P.batches.v[ib];
        int R = (int)(P.runs.n == 1 ? P.runs.v[0] : P.runs.v[ib]);
        batch_law L = law_make(B);
        for (int j = 0; j < ne; j++) {
            cell *cl = &cells[(size_t)ib * ne + j];
            step_table S = table_make(&L, etas[j]);
            gsl_rng *r = rng_alloc(C.seed, stream_grid(B, j));
            long counts[MAX_B + 1] = {0};
            int nmax = 0, nesc = 0, ndiv = 0;
            for (int run = 0; run < R; run++) {
                run_result res = sgd_run(r, &S, P.steps, counts, NULL);
                double aw = fabs(res.w_final);
                if (res.diverged) ndiv++;
                else if (aw < AT_MAX) nmax++;
                else if (aw > ESCAPED) nesc++;
                for (int h = 0; h < 2; h++)
                    if (ib == 0 && j == jh[h]) {
                        int bin = (int)floor((res.w_final + 1) / 2 * HIST_BINS);
                        if (!res.diverged && bin >= 0 && bin < HIST_BINS) hist_sgd[h][bin]++;
                        else hist_out_sgd[h]++;
                    }
            }
            rng_free(r);
            cl->eta = etas[j];
            cl->R = R;
            cl->Lambda = lyapunov(&L, etas[j], &cl->s2);
            cl->kappa = 2 * fabs(cl->Lambda) / cl->s2;
            long n = 0;
            double sum = 0;
            for (int k = 0; k <= B; k++) {
                n += counts[k];
                sum += counts[k] * S.logfac[k];
            }
            cl->nsamp = n;
            cl->Lhat = sum / n;
            cl->se = sqrt(cl->s2 / n);
            cl->z = (cl->Lhat - cl->Lambda) / cl->se;
            cl->f_max = (double)nmax / R;
            cl->f_esc = (double)nesc / R;
            cl->f_div = (double)ndiv / R;
            progress("B = %d: eta = %.3g done (%d/%d), %.1f s", B, etas[j], j + 1, ne, util_now() - t0);
        }
    }

    // Gradient descent from GD_RUNS starts per eta, its own stream.
    gd_cell *gd = XNEW(gd_cell, ne);
    double wmin = mu < 0 ? sqrt(-mu) : 0;
    {
        gsl_rng *r = rng_alloc(C.seed, STREAM_GD);
        for (int j = 0; j < ne; j++) {
            gd[j].eta = etas[j];
            for (int run = 0; run < GD_RUNS; run++) {
                double w = gd_run(P.w0 * (2 * gsl_rng_uniform(r) - 1), etas[j], mu, P.steps);
                if (fabs(w) < AT_MAX) gd[j].at_max++;
                double dev = isfinite(w) ? fabs(fabs(w) - wmin) : INFINITY;
                if (!(dev <= gd[j].max_dev)) gd[j].max_dev = dev;
                if (j == jh[0]) {
                    int bin = (int)floor((w + 1) / 2 * HIST_BINS);
                    if (bin >= 0 && bin < HIST_BINS) hist_gd[bin]++;
                }
            }
        }
        rng_free(r);
    }

    // Example trajectories for the figure: PATH_RUNS runs at eta = 0.65 (converge), 0.25
    // (escape to the cloud around the minima) and 1.45 (escape, then diverge), B = 1.
    const double eta_path[3] = {0.65, 0.25, 1.45};
    int np = PATH_STEPS / PATH_EVERY;
    double *paths = XNEW(double, 3 * PATH_RUNS * np);
    {
        batch_law L1 = law_make(1);
        for (int e = 0; e < 3; e++) {
            step_table S = table_make(&L1, eta_path[e]);
            gsl_rng *r = rng_alloc(C.seed, STREAM_PATHS + (unsigned)e);
            long counts[2] = {0};
            for (int run = 0; run < PATH_RUNS; run++)
                sgd_run(r, &S, PATH_STEPS, counts, paths + (size_t)(e * PATH_RUNS + run) * np);
            rng_free(r);
        }
    }
    progress_done("simulations done in %.1f s", util_now() - t0);

    // Stdout tables.
    for (int ib = 0; ib < nb; ib++) {
        printf("\nB = %ld (R = %d runs of T = %ld steps, |w0| <= %g)\n", P.batches.v[ib], cells[ib * ne].R, P.steps,
               P.w0);
        printf("%6s %10s %10s %7s %7s %8s %8s %8s %8s\n", "eta", "Lambda", "Lhat", "z", "kappa", "f_max", "f_esc",
               "f_div", "GD_max");
        for (int j = 0; j < ne; j++) {
            cell *cl = &cells[(size_t)ib * ne + j];
            printf("%6.3f %+10.5f %+10.5f %+7.2f %7.3f %8.4f %8.4f %8.4f %8.4f\n", cl->eta, cl->Lambda, cl->Lhat, cl->z,
                   cl->kappa, cl->f_max, cl->f_esc, cl->f_div, (double)gd[j].at_max / GD_RUNS);
        }
    }
    printf("\n");

    // Output: TSVs.
    tsv *tf = tsv_open(&C, "fractions.tsv", "sgdmax.C1 sgdmax.C2 sgdmax.C3 sgdmax.C4");
    tsv_note(tf, "Lambda exact (binomial sum); Lhat over all n_samples batches the runs used; se = s/sqrt(n)");
    tsv_note(tf, "at max: |w_T| < %g; escaped: |w_T| > %g; diverged: |w| > %g or non-finite (run stopped)", AT_MAX,
             ESCAPED, DIVERGED);
    tsv_note(tf, "f_max_se = sqrt(f (1-f) / R), binomial");
    tsv_columns(tf,
                "B\teta\tLambda\ts\tkappa\tLambda_hat\tse\tz\tR\tf_max\tf_max_se\tf_escaped\tf_diverged\tn_samples");
    for (int ib = 0; ib < nb; ib++)
        for (int j = 0; j < ne; j++) {
            cell *cl = &cells[(size_t)ib * ne + j];
            tsv_row(tf, "%ld\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.6g\t%.6g\t%d\t%.6g\t%.6g\t%.6g\t%.6g\t%ld",
                    P.batches.v[ib], cl->eta, cl->Lambda, sqrt(cl->s2), cl->kappa, cl->Lhat, cl->se, cl->z, cl->R,
                    cl->f_max, sqrt(cl->f_max * (1 - cl->f_max) / cl->R), cl->f_esc, cl->f_div, cl->nsamp);
        }
    tsv_close(tf);

    tsv *tg = tsv_open(&C, "gd.tsv", "sgdmax.C5");
    tsv_note(tg, "full-batch GD w <- w - eta (mu w + w^3) from %d starts U(-w0, w0) per eta; minima at +-%.10g",
             GD_RUNS, wmin);
    tsv_allow_nonfinite(tg, 1);  // max_dev = inf if a GD run diverged (eta beyond 2/L''(min))
    tsv_columns(tg, "eta\truns\tf_max\tmax_dev_from_min");
    for (int j = 0; j < ne; j++)
        tsv_row(tg, "%.10g\t%d\t%.6g\t%.6g", gd[j].eta, GD_RUNS, (double)gd[j].at_max / GD_RUNS, gd[j].max_dev);
    tsv_close(tg);

    tsv *th = tsv_open(&C, "hist.tsv", "sgdmax.C5");
    tsv_note(th,
             "histograms of the final w_T on [-1, 1] (%d bins): SGD B = %ld at eta = %.4g and %.4g, GD at eta = %.4g",
             HIST_BINS, P.batches.v[0], etas[jh[0]], etas[jh[1]], etas[jh[0]]);
    tsv_note(th, "runs outside [-1, 1] or diverged: %d (eta = %.4g) and %d (eta = %.4g)", hist_out_sgd[0], etas[jh[0]],
             hist_out_sgd[1], etas[jh[1]]);
    tsv_note(th, "columns are fractions of runs per bin (SGD: R = %d runs; GD: %d runs)", cells[0].R, GD_RUNS);
    tsv_columns(th, "w\tsgd_a\tsgd_b\tgd_a");
    for (int i = 0; i < HIST_BINS; i++)
        tsv_row(th, "%.6g\t%.6g\t%.6g\t%.6g", -1 + (i + 0.5) * 2.0 / HIST_BINS, (double)hist_sgd[0][i] / cells[0].R,
                (double)hist_sgd[1][i] / cells[0].R, (double)hist_gd[i] / GD_RUNS);
    tsv_close(th);

    tsv *tp = tsv_open(&C, "paths.tsv", "sgdmax.C1");
    tsv_allow_nonfinite(tp, 1);  // nan after a run diverged
    tsv_note(tp, "log10|w_t| of %d SGD runs (B = 1) per eta, every %d steps; nan after divergence", PATH_RUNS,
             PATH_EVERY);
    {
        batch_law L1 = law_make(1);
        tsv_note(tp, "Lambda_1 at eta = 0.65, 0.25, 1.45: %.10g %.10g %.10g", lyapunov(&L1, 0.65, NULL),
                 lyapunov(&L1, 0.25, NULL), lyapunov(&L1, 1.45, NULL));
    }
    tsv_columns(tp, "t\teta\trun\tlog10_abs_w");
    for (int e = 0; e < 3; e++)
        for (int run = 0; run < PATH_RUNS; run++)
            for (int i = 0; i < np; i++)
                tsv_row(tp, "%d\t%.4g\t%d\t%.8g", i * PATH_EVERY, eta_path[e], run,
                        paths[(size_t)(e * PATH_RUNS + run) * np + i]);
    tsv_close(tp);
    maximum_claims(&(max_result){.cells = cells,
                                 .nb = nb,
                                 .ne = ne,
                                 .etas = etas,
                                 .edges = edges,
                                 .nwin = nwin,
                                 .allB = allB,
                                 .gd = gd,
                                 .mu = mu});
    free(cells);
    free(gd);
    free(paths);
}
