// ---- experiment E5: the deep bootstrap (KRR version) ----
//
// Reparametrise the ridge as an effective training time $\tau = n/\delta$.  As $n\to\infty$ at
// fixed $\tau$, $\kappa \to 1/\tau$ and $E_0 \to 1$, so $E_{te}(\infty,\tau) = \sum_i v_i^2/(1+\tau
// \lambda_i)^2$ ("online" learning).  With $\kappa_0(n)$ the ridgeless $\kappa$, every finite $n$
// follows the $n=\infty$ curve while $\tau \ll 1/\kappa_0(n)$ and splits off to a plateau beyond.
// Theory: $\lambda_i = i^{-2}$, $v_i^2 = i^{-2}/Z$ on $5\cdot10^5$ modes.  Simulation:
// Gaussian-design linear regression with $P = 16n$ features $x_j = \sqrt{\lambda_j} g_j$, target
// $f = \sum_j v_j g_j$, kernel $XX^\top$ plus the feature tail $\sum_{j>P}\lambda_j$ as ridge;
// the population test error is exact, $\sum_j(\sqrt{\lambda_j}\hat\beta_j - v_j)^2$.
typedef struct {
    double k0[4], k0_err, worst_ratio_dev;  // C8
    int ratio_ok;
    double ratio_lo[3], ratio_hi[3];  // measured ranges at tau kappa0 = 0.01, 1, 10
    double sim_worst;                 // C9: max |te_exp/te_th - 1| (reported)
    double sim_z;                     // C9: max |te_exp - te_th| / (0.1 te_th + 3 s.e.)
    double sim_tr_worst;              // C9: max |tr_exp/tr_th - 1| (the train side, reported)
    double sim_tr_z;                  // C9: max |tr_exp - tr_th| / (0.12 tr_th + 3 s.e.)
} boot_stats;
static boot_stats st_boot;

static double te_infinite(const double *lam, const double *v2, size_t M, double tau) {
    double s = 0;
    for (size_t i = M; i-- > 0;) s += v2[i] / ((1 + tau * lam[i]) * (1 + tau * lam[i]));
    return s;
}

static void e5_theory(const int *ns, int nsz, int ntau, tsv *t, boot_stats *bs) {
    const size_t M = 500000;
    double *lam = xmalloc(M, sizeof *lam), *v2 = xmalloc(M, sizeof *v2), Z = 0;
    for (size_t i = 0; i < M; i++) lam[i] = 1.0 / ((i + 1.0) * (i + 1.0)), Z += lam[i];
    for (size_t i = 0; i < M; i++) v2[i] = lam[i] / Z;
    ef_spectrum s = {.M = M, .lam = lam};
    // reference ridgeless kappa0 for n = 16, 125, 1000, 8000 (4 significant digits)
    const double k0_ref[4] = {9.063e-3, 1.566e-4, 2.461e-6, 3.805e-8};
    const int nref[4] = {16, 125, 1000, 8000};
    const double cs[3] = {0.01, 1, 10};
    for (int q = 0; q < 3; q++) bs->ratio_lo[q] = INFINITY, bs->ratio_hi[q] = -INFINITY;
    bs->ratio_ok = 1;
    for (int a = 0; a <= nsz; a++) {  // a == nsz: n = infinity (written as n = 0)
        int n = a < nsz ? ns[a] : 0;
        double k0 = 0;
        if (n) {
            k0 = solve_or_die(&s, n, 0.0).kappa;
            for (int q = 0; q < 4; q++)
                if (nref[q] == n) {
                    bs->k0[q] = k0;
                    bs->k0_err = fmax(bs->k0_err, fabs(k0 / k0_ref[q] - 1));
                }
            for (int q = 0; q < 3; q++) {  // E_te(n, tau)/E_te(inf, tau) at tau = c/kappa0
                double tau = cs[q] / k0;
                ef_fit f = solve_or_die(&s, n, n / tau);
                ef_pred p;
                ef_predict(&s, &f, v2, 0, 0, &p);
                double r = p.te / te_infinite(lam, v2, M, tau);
                bs->ratio_lo[q] = fmin(bs->ratio_lo[q], r), bs->ratio_hi[q] = fmax(bs->ratio_hi[q], r);
                if (q == 0) bs->ratio_ok &= r >= 1.0 && r <= 1.12;
                if (q == 1) bs->ratio_ok &= r >= 2.0 && r <= 2.6;
                if (q == 2) bs->ratio_ok &= r >= 5.0;
            }
        }
        for (int i = 0; i < ntau; i++) {
            double tau = pow(10, -2 + 10.0 * i / (ntau - 1)), te, trn;
            if (n) {
                ef_fit f = solve_or_die(&s, n, n / tau);
                ef_pred p;
                ef_predict(&s, &f, v2, 0, 0, &p);
                te = p.te, trn = p.tr;
            } else {
                te = trn = te_infinite(lam, v2, M, tau);  // kappa = 1/tau, delta/(n kappa) = 1
            }
            tsv_row(t, "%d\t%.8g\t%.10g\t%.10g\t%.10g", n, tau, te, trn, n ? 1 / k0 : 0.0);
        }
        progress("bootstrap theory n = %d done", n);
    }
    free(lam), free(v2);
}

// Every ridge here is n/tau + tail > 0, so there is no ridgeless solve to check.
// Trials: `trials` at n = 1000 and more at small n, where one trial is cheap and the scatter is
// large (at n = 16 the plateau's s.e. is 11% of it with 6 trials): trials * round(sqrt(1000/n)),
// at most 64 (48 at n = 16, 18 at n = 125).
static int boot_trials(int n, int trials) {
    int t = trials * (n < 1000 ? (int)lround(sqrt(1000.0 / n)) : 1);
    return t > 64 ? 64 : t;
}

static void e5_sim(const int *ns, int nsz, int trials0, tsv *t, boot_stats *bs) {
    const int ntau = 9;
    for (int a = 0; a < nsz; a++) {
        int n = ns[a], Pf = 16 * n, trials = boot_trials(n, trials0);
        double *lam = xmalloc((size_t)Pf, sizeof *lam), *v = xmalloc((size_t)Pf, sizeof *v), Z = 0;
        double *v2 = xmalloc((size_t)Pf, sizeof *v2);
        for (int j = 0; j < Pf; j++) lam[j] = 1.0 / ((j + 1.0) * (j + 1.0)), Z += lam[j];
        for (int j = 0; j < Pf; j++) v2[j] = lam[j] / Z, v[j] = sqrt(v2[j]);
        double T = spectra_powerlaw_tail_mass(2.0, Pf);
        // The tail is an extra ridge for kappa (test side); E_tr = (delta/(n kappa))^2 E_te keeps
        // the user's delta = n/tau (ef_predict uses fit.delta, which excludes extra_ridge).
        ef_spectrum s = {.M = (size_t)Pf, .lam = lam, .extra_ridge = T};
        double *X = xmalloc((size_t)n * Pf, sizeof *X), *K = xmalloc((size_t)n * n, sizeof *K);
        double *y = xmalloc((size_t)n, sizeof *y), *al = xmalloc((size_t)n, sizeof *al);
        double *res = xmalloc((size_t)n, sizeof *res), *beta = xmalloc((size_t)Pf, sizeof *beta);
        double te[9][64], tr[9][64];
        krr_sweep *sw = krr_sweep_alloc(n, 0, 1);
        for (int q = 0; q < trials; q++) {
            gsl_rng *rg = stream(RNG_BOOT, n, q);
            rng_normal_vec(rg, (size_t)n * Pf, X);  // G
            rng_free(rg);
            cblas_dgemv(CblasRowMajor, CblasNoTrans, n, Pf, 1.0, X, Pf, v, 1, 0.0, y, 1);  // y = G v
            for (int i = 0; i < n; i++)
                for (int j = 0; j < Pf; j++) X[(size_t)i * Pf + j] *= sqrt(lam[j]);  // X = G diag(sqrt lam)
            cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, Pf, 1.0, X, Pf, 0.0, K, n);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++) K[(size_t)j * n + i] = K[(size_t)i * n + j];
            int info = krr_sweep_prepare(sw, K, y, NULL);
            if (info) DIE("bootstrap: dsyevd failed (info %d)", info);
            for (int i = 0; i < ntau; i++) {
                double tau = pow(10, -2 + i), delta = n / tau + T;
                if (krr_sweep_eval(sw, delta, al, res, NULL)) DIE("bootstrap: K + delta I singular at tau = %g", tau);
                cblas_dgemv(CblasRowMajor, CblasTrans, n, Pf, 1.0, X, Pf, al, 1, 0.0, beta, 1);  // beta = X^T alpha
                double e = 0, rr = 0;
                for (int j = Pf; j-- > 0;) e += (sqrt(lam[j]) * beta[j] - v[j]) * (sqrt(lam[j]) * beta[j] - v[j]);
                // Train residual of the model whose kernel is $XX^\top + T I$ (the tail features
                // stand in as $T I$): $(K_{full} + \delta I)\alpha = y$ gives $y - K_{full}\alpha =
                // \delta\alpha$, the user's ridge only.  krr_sweep returns $(\delta + T)\alpha$,
                // the residual against $XX^\top$ alone, so rescale it.
                double sc = (n / tau) / delta;
                for (int j = 0; j < n; j++) rr += sc * res[j] * sc * res[j];
                te[i][q] = e, tr[i][q] = rr / n;
            }
        }
        for (int i = 0; i < ntau; i++) {
            double tau = pow(10, -2 + i);
            ef_fit f = solve_or_die(&s, n, n / tau);
            ef_pred p;
            ef_predict(&s, &f, v2, 0, 0, &p);
            double me = fit_mean(te[i], trials), r = me / p.te;
            // Test criterion: 10% for the eigenframework's finite-n corrections (the n = 16 plateau
            // sits 6-7% above theory at the default sizes) plus three standard errors of the mean.
            bs->sim_worst = fmax(bs->sim_worst, fabs(r - 1));
            bs->sim_z = fmax(bs->sim_z, fabs(me - p.te) / (0.1 * p.te + 3 * fit_stderr(te[i], trials)));
            // Train MSE: the same form, 12% plus three standard errors (it scatters more).
            double mtr = fit_mean(tr[i], trials);
            bs->sim_tr_worst = fmax(bs->sim_tr_worst, fabs(mtr / p.tr - 1));
            bs->sim_tr_z = fmax(bs->sim_tr_z, fabs(mtr - p.tr) / (0.12 * p.tr + 3 * fit_stderr(tr[i], trials)));
            tsv_row(t, "%d\t%.8g\t%.10g\t%.10g\t%.4g\t%.10g\t%.10g\t%.4g\t%.6f", n, tau, p.te, me,
                    fit_stderr(te[i], trials), p.tr, fit_mean(tr[i], trials), fit_stderr(tr[i], trials), r);
        }
        progress("bootstrap simulation n = %d done", n);
        krr_sweep_free(sw);
        free(lam), free(v), free(v2), free(X), free(K), free(y), free(al), free(res), free(beta);
    }
}

// krr.C8 is an identity (the theory's own deep-bootstrap ratios); krr.C9 an experiment (the
// Gaussian-design simulation against the eigenframework on the same spectrum).
static void claims_bootstrap(void) {
    char what[512];
    int q = C.quick;
    snprintf(what, sizeof what,
             "max |kappa0/kappa0_ref - 1| (ratios E_te(n)/E_te(inf) at tau*kappa0 = 0.01, 1, 10: "
             "[%.3f, %.3f], [%.3f, %.3f], [%.3f, %.3f])",
             st_boot.ratio_lo[0], st_boot.ratio_hi[0], st_boot.ratio_lo[1], st_boot.ratio_hi[1], st_boot.ratio_lo[2],
             st_boot.ratio_hi[2]);
    claim_check("krr.C8", CLAIM_IDENTITY, st_boot.k0_err <= 1e-3 && st_boot.ratio_ok, what, st_boot.k0_err,
                "1e-3; ratios in [1, 1.12], [2, 2.6], >= 5");
    // At --quick (n = 16, 3 trials) the simulation's standard errors are 5-15%: too small a run to
    // test the 12% bound, so its number is reported, not judged.
    snprintf(what, sizeof what,
             "test: max |te_sim - te_th|/(0.1 te_th + 3 s.e.) over tau and n (max |te_sim/te_th - 1| = %.3f; "
             "train: max |tr_sim - tr_th|/(0.12 tr_th + 3 s.e.) = %.2f, max |tr_sim/tr_th - 1| = %.3f)",
             st_boot.sim_worst, st_boot.sim_tr_z, st_boot.sim_tr_worst);
    if (q) claim_report("krr.C9", CLAIM_EXPERIMENT, what, st_boot.sim_z);
    else
        claim_check("krr.C9", CLAIM_EXPERIMENT, st_boot.sim_z <= 1 && st_boot.sim_tr_z <= 1, what, st_boot.sim_z,
                    "1 (test and train)");
}
