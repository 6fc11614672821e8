// ---- hea, parts 1 and 2: eigenvalues and learning curves on anisotropic Gaussian data ----
// Included by hea.c.

// ---- H1 + H2: anisotropic Gaussian data ----
// $x = \sqrt\gamma\circ g$, $g\sim N(0, I_d)$, $\gamma_a \propto (a+6)^{-e}$, $\sum_a\gamma_a = 1$.
// Monomial targets use the POPULATION whitening $z_a = x_a/\sqrt{\gamma_a} = g_a$, so their
// coefficients are exactly $e_\alpha$ and the noise is 0.
static double *gauss_gamma(int d, double e, double *deff) {
    double *g = XNEW(double, d), s = 0, s2 = 0;
    for (int a = 0; a < d; a++) s += g[a] = pow(a + 6.0, -e);
    for (int a = 0; a < d; a++) g[a] /= s, s2 += g[a] * g[a];
    *deff = 1 / s2;
    return g;
}

static void gauss_sample(gsl_rng *r, int N, int d, const double *sg, int normalize, double *X, double *G) {
    for (int i = 0; i < N; i++) {
        double nn_ = 0;
        for (int a = 0; a < d; a++) {
            double g = rng_normal(r);
            G[(size_t)i * d + a] = g;
            X[(size_t)i * d + a] = sg[a] * g;
            nn_ += X[(size_t)i * d + a] * X[(size_t)i * d + a];
        }
        if (normalize) {
            double s = 1 / sqrt(nn_);
            // population whitening of the projected sample: z_a = x_a / sqrt(gamma_a)
            for (int a = 0; a < d; a++) X[(size_t)i * d + a] *= s, G[(size_t)i * d + a] = X[(size_t)i * d + a] / sg[a];
        }
    }
}

typedef struct {
    double mean_log, top_rel;
} h1_out;

// The top-P set depends on lmax as long as degree-lmax modes still enter it: record the sum of the
// top-P eigenvalues and the largest degree present for several lmax.  For the Gaussian kernel the
// level coefficients fall like $w^{-2\ell}$ and the sum settles by lmax ~ 4; for laplace-hea they
// grow like $\ell!\,\ell^{-3/2}$ (the profile's branch point at u = 1), faster than
// $\gamma_1^\ell$ falls, so high powers of the top PCs eventually flood the top P and the sum
// passes E K(x,x) = 1: there lmax is a regulator of the ansatz, not a convergence parameter.
static void lmax_table(tsv *Tl, const char *tag, const char *kernel, double w, int d, const double *gamma, long P) {
    const int lms[] = {4, 6, 8, 10, 12, 16, 20, 24};
    hermite_modes m;
    for (int i = 0; i < 8; i++) {
        if (lms[i] > HERMITE_LMAX) break;
        hea_modes(kernel, w, d, gamma, lms[i], P, &m, NULL);
        double sl = 0;
        int dmax = 0;
        for (size_t r = 0; r < m.P; r++) sl += m.lambda[r], dmax = m.deg[r] > dmax ? m.deg[r] : dmax;
        tsv_row(Tl, "%s\t%d\t%zu\t%.8f\t%d", tag, lms[i], m.P, sl, dmax);
        fprintf(stderr, "%s: lmax = %2d: sum of top %zu HEA eigenvalues = %.5f, highest degree among them %d\n", tag,
                lms[i], m.P, sl, dmax);
        hermite_modes_free(&m);
    }
}

static void run_h1(tsv *T, tsv *Tl, const char *tag, int d, double e, const char *kernel, double w, long P, int N,
                   int Rmean, int quick, h1_out *o) {
    double deff, *gamma = gauss_gamma(d, e, &deff), *sg = XNEW(double, d);
    for (int a = 0; a < d; a++) sg[a] = sqrt(gamma[a]);
    fprintf(stderr, "%s: d = %d, e = %g: d_eff = %.2f, gamma_1 = %.4f\n", tag, d, e, deff, gamma[0]);
    hermite_modes m;
    if (Tl) lmax_table(Tl, tag, kernel, w, d, gamma, P);
    hea_modes(kernel, w, d, gamma, p.lmax, P, &m, NULL);
    print_degrees(tag, &m);
    kernel_spec ks;
    char err[200];
    if (kernel_spec_parse(&ks, kernel, w, 1, 1, 0, err, sizeof err)) DIE("%s", err);
    double *X = XNEW(double, (size_t)N *d), *G = XNEW(double, (size_t)N *d), *lam = XNEW(double, N);
    gsl_rng *r = rng_alloc(c.seed, 100 + (int)(10 * e) + (int)w);
    gauss_sample(r, N, d, sg, p.normalize, X, G);
    progress("%s: eig(K/N) at N = %d", tag, N);
    empirical_spectrum(&ks, N, d, X, lam);
    o->mean_log = compare_ranks(T, tag, &m, lam, N, quick ? 200 : 1000, Rmean, &o->top_rel);
    fprintf(stderr, "%s: top eigenvalue emp %.5f vs HEA %.5f; mean |log ratio| ranks 1..%d = %.4f\n", tag, lam[0],
            m.lambda[0], Rmean, o->mean_log);
    rng_free(r);
    hermite_modes_free(&m);
    free(gamma), free(sg), free(X), free(G), free(lam);
}

#define MAXT 16
// Trials per n (20 for n <= 300, 8 for n <= 1000, 4 beyond; MNIST 20/8/3 at 100/1000).
static int trials_for(double n, int mnist) {
    if (c.quick) return mnist ? 3 : 5;
    if (mnist) return n <= 100 ? p.trials : n <= 1000 ? 8 : 3;
    return n <= 300 ? p.trials : n <= 1000 ? 8 : 4;
}

typedef struct {
    int ok;
    double worst, worst_rel_nlrn;
    int nchecked;
    // hea.C3b (deviation): linear targets where MSE_th < 1e-3 and n >= 1000
    int dev_n;                      // points checked
    double dev_min_ratio;           // min MSE_emp / MSE_th
    double dev_env_lo, dev_env_hi;  // range of MSE_emp / envelope mass
    double small_ratio[MAXT];       // MSE_emp/MSE_th at the largest n, per target (reported)
    int nt;
    char names[MAXT][64];
} h2_result;

static void run_h2(int quick, h2_result *res, tsv *Tn) {
    int d = p.dim;
    double e = quick ? 2 : p.data_exp, w = p.bandwidth, delta = p.ridge;
    const char *kernel = p.kernel;
    // targets
    int nt_targ = 0, tdeg[MAXT], tidx[MAXT][HERMITE_LMAX];
    char tname[MAXT][64];
    const char *tl = quick && !cli_given(&c, "targets") ? "0:1;10:1;0:2" : p.targets;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", tl);
    for (char *tok = strtok(buf, ";"); tok && nt_targ < MAXT; tok = strtok(NULL, ";")) {
        int dg = hermite_mono_parse(tok, tidx[nt_targ]);
        if (dg < 0) cli_usage_error(&c, "--targets: cannot parse monomial '%s' (write index:power,index:power)", tok);
        for (int j = 0; j < dg; j++)
            if (tidx[nt_targ][j] >= d) cli_usage_error(&c, "--targets: index %d >= dimension %d", tidx[nt_targ][j], d);
        tdeg[nt_targ] = dg;
        hermite_mono_name(dg, tidx[nt_targ], tname[nt_targ], 64);
        nt_targ++;
    }
    double deff, *gamma = gauss_gamma(d, e, &deff), *sg = XNEW(double, d);
    for (int a = 0; a < d; a++) sg[a] = sqrt(gamma[a]);
    hermite_modes m;
    hea_modes(kernel, w, d, gamma, p.lmax, quick ? 1000 : p.P, &m, NULL);
    kernel_spec ks;
    char err[200];
    if (kernel_spec_parse(&ks, kernel, w, 1, 1, 0, err, sizeof err)) DIE("%s", err);
    double EK;
    {  // E K(x,x) from the kernel on 1000 samples of this data
        double *Xk = XNEW(double, (size_t)1000 * d), *Gk = XNEW(double, (size_t)1000 * d);
        gsl_rng *rk = rng_alloc(c.seed, 199999);
        gauss_sample(rk, 1000, d, sg, p.normalize, Xk, Gk);
        EK = mean_diag(&ks, 1000, d, Xk);
        rng_free(rk), free(Xk), free(Gk);
    }
    double sl = 0;
    for (size_t r = 0; r < m.P; r++) sl += m.lambda[r];
    fprintf(stderr,
            "H2: e = %g, %s w = %g, ridge %g: E K(x,x) = %.6f, sum of %zu HEA eigenvalues = %.5f, tail ridge = %.3g\n",
            e, kernel, w, delta, EK, m.P, sl, fmax(0, EK - sl));
    if (sl > EK * (1 + 1e-3))
        fprintf(
            stderr,
            "H2: warning: the top %zu HEA eigenvalues sum to %.4f > E K(x,x) = %.4f: high-degree modes flood the top P "
            "(see h1_lmax.tsv); lower --lmax\n",
            m.P, sl, EK);
    // theory on 200 log-spaced n
    tsv *T = tsv_open(&c, "h2_theory.tsv", "hea.C3");
    tsv_note(
        T,
        "H2: Gaussian data d = %d, gamma ~ (a+6)^-%g, kernel %s w = %g%s, ridge %g, P = %zu HEA modes (lmax %d), E K(x,x) = %.6g, "
        "v = e_alpha, noise 0",
        d, e, kernel, w, p.normalize ? " (normalized)" : "", delta, m.P, p.lmax, EK);
    tsv_columns(T, "target\tdegree\tn\tmse_th");
    double *v2 = XNEW(double, m.P);
    long tmode[MAXT];
    for (int q = 0; q < nt_targ; q++) {
        tmode[q] = find_mode(&m, tdeg[q], tidx[q]);
        if (tmode[q] < 0)
            fprintf(stderr, "H2: target %s is not among the top %zu HEA modes: predicted unlearnable\n", tname[q], m.P);
        else
            fprintf(stderr, "H2: target %s is HEA mode %ld, lambda = %.4g\n", tname[q], tmode[q] + 1,
                    m.lambda[tmode[q]]);
    }
    int NTH = quick ? 20 : 200;
    double *nth = XNEW(double, NTH + 1), (*mth)[201] = calloc(MAXT, sizeof *mth);
    for (int j = 0; j < NTH; j++) nth[j] = 8 * pow(3000 / 8.0, j / (NTH - 1.0));
    for (int q = 0; q < nt_targ; q++)
        for (int j = 0; j < NTH; j++) {
            memset(v2, 0, sizeof(double) * m.P);
            if (tmode[q] >= 0) v2[tmode[q]] = 1;
            mth[q][j] = predict(&m, EK, nth[j], delta, v2, tmode[q] >= 0 ? 0 : 1, 0);
            tsv_row(T, "%s\t%d\t%.6g\t%.8g", tname[q], tdeg[q], nth[j], mth[q][j]);
        }
    tsv_close(T);
    // experiment
    long nlq[] = {30, 100};
    int nn_ = quick ? 2 : p.n_list.n;
    double ns[CLI_LIST_MAX];
    for (int j = 0; j < nn_; j++) ns[j] = quick ? nlq[j] : p.n_list.v[j];
    int nt = quick ? 300 : (int)p.ntest, nmax = 0;
    for (int j = 0; j < nn_; j++) nmax = ns[j] > nmax ? (int)ns[j] : nmax;
    double *X = XNEW(double, (size_t)(nmax + nt) * d), *G = XNEW(double, (size_t)(nmax + nt) * d);
    double *K = XNEW(double, (size_t)nmax *nmax), *Ktd = XNEW(double, (size_t)nt *nmax);
    double *Y = XNEW(double, (size_t)nmax *nt_targ), *Ft = XNEW(double, (size_t)nt *nt_targ),
           *pred = XNEW(double, (size_t)nt *nt_targ);
    T = tsv_open(&c, "h2_exp.tsv", "hea.C3");
    tsv_note(
        T,
        "H2 experiment: fresh data per trial, %d test points; mse_sd = standard deviation across trials (the paper's error bars); "
        "env = mass of a linear target outside its exact eigenfunction (Gaussian kernel, unprojected data; -1 otherwise)",
        nt);
    tsv_columns(T, "target\tdegree\tn\ttrials\tmse\tmse_sd\tmse_se\tmse_th\tenv");
    int gk = !strcmp(kernel, "gaussian") && !p.normalize;
    double env[MAXT];
    for (int q = 0; q < nt_targ; q++) env[q] = gk && tdeg[q] == 1 ? envelope_mass(d, gamma, w, tidx[q][0]) : -1;
    res->dev_n = 0, res->dev_min_ratio = INFINITY, res->dev_env_lo = INFINITY, res->dev_env_hi = 0, res->nt = nt_targ;
    for (int q = 0; q < nt_targ; q++) memcpy(res->names[q], tname[q], 64);
    double(*mexp)[CLI_LIST_MAX] = calloc(MAXT, sizeof *mexp), *acc = XNEW(double, (size_t)MAXT * 64);
    res->ok = 1, res->worst = 0, res->worst_rel_nlrn = 0, res->nchecked = 0;
    for (int j = 0; j < nn_; j++) {
        int n = (int)ns[j], tr = trials_for(n, 0);
        for (int trl = 0; trl < tr; trl++) {
            gsl_rng *r = rng_alloc(c.seed, 200000 + 1000 * j + trl);
            gauss_sample(r, n + nt, d, sg, p.normalize, X, G);
            for (int q = 0; q < nt_targ; q++) {
                for (int i = 0; i < n; i++)
                    Y[(size_t)i * nt_targ + q] = hermite_mono_eval(tdeg[q], tidx[q], G + (size_t)i * d);
                for (int i = 0; i < nt; i++)
                    Ft[(size_t)i * nt_targ + q] = hermite_mono_eval(tdeg[q], tidx[q], G + (size_t)(n + i) * d);
            }
            kernel_gram_sym(&ks, n, d, X, K);
            kernel_gram(&ks, nt, n, d, X + (size_t)n * d, X, Ktd);
            int info = krr_solve(n, K, delta, nt_targ, Y, nt, Ktd, pred);
            if (info) DIE("H2: Cholesky failed (info %d) at n = %d, ridge %g: raise --ridge", info, n, delta);
            for (int q = 0; q < nt_targ; q++) {
                double s = 0;
                for (int i = 0; i < nt; i++) {
                    double e2 = pred[(size_t)i * nt_targ + q] - Ft[(size_t)i * nt_targ + q];
                    s += e2 * e2;
                }
                acc[q * 64 + trl] = s / nt;
            }
            rng_free(r);
        }
        for (int q = 0; q < nt_targ; q++) {
            double mean = fit_mean(acc + q * 64, tr), se = fit_stderr(acc + q * 64, tr), sd = se * sqrt((double)tr);
            memset(v2, 0, sizeof(double) * m.P);
            if (tmode[q] >= 0) v2[tmode[q]] = 1;
            double th = predict(&m, EK, n, delta, v2, tmode[q] >= 0 ? 0 : 1, 0);
            mexp[q][j] = mean;
            tsv_row(T, "%s\t%d\t%d\t%d\t%.8g\t%.4g\t%.4g\t%.8g\t%.6g", tname[q], tdeg[q], n, tr, mean, sd, se, th,
                    env[q]);
            res->small_ratio[q] = mean / th;
            if (env[q] > 0 && th < 1e-3 && n >= 1000) {
                res->dev_n++;
                res->dev_min_ratio = fmin(res->dev_min_ratio, mean / th);
                res->dev_env_lo = fmin(res->dev_env_lo, mean / env[q]),
                res->dev_env_hi = fmax(res->dev_env_hi, mean / env[q]);
            }
            fprintf(stderr, "H2 n=%5d %-10s MSE th %.4f emp %.4f +- %.4f (sd)\n", n, tname[q], th, mean, sd);
            if (tdeg[q] <= 2 && th >= 0.05) {
                double tol = quick ? fmax(0.15, 0.3 * th) : fmax(0.1, 0.2 * th), dev = fabs(mean - th);
                res->worst = fmax(res->worst, dev / tol);
                res->nchecked++;
                if (dev > tol) res->ok = 0;
            }
        }
        progress("H2: n = %d", n);
    }
    tsv_close(T);
    // sample complexities
    for (int q = 0; q < nt_targ && !quick; q++) {
        double a = n_learn(NTH, nth, mth[q]), b = n_learn(nn_, ns, mexp[q]);
        tsv_row(Tn, "gaussian\t%s\t%d\t%.6g\t%.6g", tname[q], tdeg[q], a, b);
        fprintf(stderr, "H2 n_lrn %-10s th %.1f emp %.1f%s\n", tname[q], a, b, a < 0 || b < 0 ? " (out of range)" : "");
        if (tdeg[q] <= 2 && a > 0 && b > 0) {
            double r = b / a;
            res->worst_rel_nlrn = fmax(res->worst_rel_nlrn, fabs(log(r)));
            if (r < 0.67 || r > 1.5) res->ok = 0;
        }
    }
    hermite_modes_free(&m);
    free(gamma), free(sg), free(v2), free(nth), free(mth), free(X), free(G), free(K), free(Ktd), free(Y), free(Ft),
        free(pred), free(mexp), free(acc);
}

// ---- parts 1 and 2: the runs and their claims (hea.C2, hea.C3, hea.C3b) ----
static void part_gaussian(int quick, int custom, tsv *Te, tsv *Tl, tsv *Tn) {
    {
        // H1: the paper's setting (e = 3, w = 6) and ours (e = 2, w = 4); the user's one if flags given
        h1_out a = {0}, b = {0};
        int N = quick ? 600 : (int)p.N_emp, Rm = quick ? 50 : 200;
        long P = quick ? 1000 : p.P;
        if (custom) {
            run_h1(Te, Tl, "gauss_custom", p.dim, p.data_exp, p.kernel, p.bandwidth, P, N, Rm, quick, &b);
            a = b;
        } else {
            if (!quick) run_h1(Te, Tl, "gauss_e3_w6", p.dim, 3, "gaussian", 6, P, N, Rm, quick, &a);
            run_h1(Te, Tl, "gauss_e2_w4", p.dim, 2, "gaussian", 4, P, N, Rm, quick, &b);
            if (!quick) {  // where lmax binds: laplace-hea w = 8 on the e = 2 data (enumeration only)
                double deff, *g2 = gauss_gamma(p.dim, 2, &deff);
                lmax_table(Tl, "laplace_e2_w8", "laplace-hea", 8, p.dim, g2, P);
                free(g2);
            }
            if (quick) a = b;
        }
        double worst = fmax(a.mean_log, b.mean_log), top = fmax(a.top_rel, b.top_rel), tol = quick ? 0.1 : 0.05;
        char what[200];
        snprintf(what, sizeof what,
                 "max over settings of mean |log(lam_emp/lam_HEA)|, ranks 1..%d (top eigenvalue rel. error %.4f)", Rm,
                 top);
        char tt[64];
        snprintf(tt, sizeof tt, "%g; top 0.01", tol);
        claim_check("hea.C2", CLAIM_EXPERIMENT, worst <= tol && (quick || top <= 0.01), what, worst, tt);
    }
    {
        char what[240];
        h2_result r2;
        run_h2(quick, &r2, Tn);
        snprintf(what, sizeof what,
                 "degree <= 2, MSE_th >= 0.05: max |emp - th|/tol over %d points (n_lrn: max |log ratio| %.3f)",
                 r2.nchecked, r2.worst_rel_nlrn);
        claim_check("hea.C3", CLAIM_EXPERIMENT, r2.ok, what, r2.worst,
                    quick ? "1 (tol = max(0.15, 0.3 th))" : "1 (tol = max(0.1, 0.2 th)); n_lrn ratio in [0.67, 1.5]");
        // hea.C3b: below MSE ~ 1e-3 the linear targets do not follow the HEA.  The HEA calls z_a an
        // exact eigenfunction; for the Gaussian kernel on Gaussian data the exact one carries a
        // Gaussian envelope (envelope_mass), and the part of z_a outside it (2.1e-4 of the norm
        // for z_0 at e = 2, w = 4) is learned late.  Asserted as a deviation: experiment/theory
        // >= 10 wherever MSE_th < 1e-3 at n >= 1000, and the measured MSE within a factor 4 of
        // that envelope mass.
        if (r2.dev_n && !quick) {
            char ratios[160] = "";
            for (int q = 0, o = 0; q < r2.nt && o < 150; q++)
                o +=
                    snprintf(ratios + o, sizeof ratios - o, "%s%s %.3g", q ? ", " : "", r2.names[q], r2.small_ratio[q]);
            snprintf(
                what, sizeof what,
                "linear targets, MSE_th < 1e-3, n >= 1000 (%d points): min MSE_emp/MSE_th (emp/envelope mass in [%.2f, %.2f]; "
                "emp/th at the largest n: %s)",
                r2.dev_n, r2.dev_env_lo, r2.dev_env_hi, ratios);
            claim_check("hea.C3b", CLAIM_DEVIATION,
                        r2.dev_min_ratio >= 10 && r2.dev_env_lo >= 0.25 && r2.dev_env_hi <= 4, what, r2.dev_min_ratio,
                        ">= 10; emp/envelope in [0.25, 4]");
        }
    }
}
