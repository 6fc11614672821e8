// ---- experiment T1: Gaussian design, the model the theory describes ----
//
// Features $x_j=\sqrt{\lambda_j}\,g_j$, $g\sim N(0,I_P)$, $j\le P$; the kernel is the linear one,
// $K=XX^\top$, whose population eigenvalues are exactly $\lambda_j$.  Modes beyond $P$ enter as
// the ridge they act as: for $\lambda_j=j^{-2}$ the mass $\sum_{j>P}j^{-2}$.  The fitted
// function is $\hat f(g)=\sum_j c_jg_j$ with $c_j=\lambda_j(Z^\top\alpha)_j$, $\alpha=(K+\delta I)^{-1}y$,
// so its clean error against a target $\sum_jv_jg_j$ is exactly $\sum_j(c_j-v_j)^2$: no test set.
//
// $Z$ (n, P) is never stored: it is generated in column blocks of B from per-block streams,
// once to accumulate $K$ (DSYRK) and once more, identically, for $Z^\top\alpha$ (GEMM).

#define DESIGN_BLOCK 512

// One trial.  lam (P), v (P) or NULL (pure noise), ridge delta, the tail modes beyond P as
// ridge `tail`, noise std's sig[0..nrhs-1] (the same noise draw scaled, for the sigma^2-linearity
// check); mse[k] gets the clean error; train_max the ridgeless train MSE / sigma^2 of the kernel
// K + tail I.  Returns 0, or the Cholesky info > 0 (series must stop).
static int design_trial(int n, int nfeat, const double *lam, const double *v, double delta, double tail, int nrhs,
                        const double *sig, int part, int series, int trial, double *mse, double *train_max) {
    int nb = (nfeat + DESIGN_BLOCK - 1) / DESIGN_BLOCK;
    double *K = XNEW(double, (size_t)n *n), *Kc = XNEW(double, (size_t)n *n);
    double *Z = XNEW(double, (size_t)n *DESIGN_BLOCK), *Xs = XNEW(double, (size_t)n *DESIGN_BLOCK);
    double *f = XNEW(double, n), *Y = XNEW(double, (size_t)n *nrhs), *U = XNEW(double, (size_t)DESIGN_BLOCK *nrhs);
    // Phase 1: K = sum_blocks (Z_b sqrt(lam_b)) (Z_b sqrt(lam_b))^T and the clean labels f = Z v.
    for (int b = 0; b < nb; b++) {
        int j0 = b * DESIGN_BLOCK, B = (nfeat - j0 < DESIGN_BLOCK) ? nfeat - j0 : DESIGN_BLOCK;
        gsl_rng *r = MUST(rng_alloc(C.seed, stream_id(part, series, n, trial, b + 1)));
        rng_normal_vec(r, (size_t)n * B, Z);  // Z_b (n, B)
        rng_free(r);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < B; j++) Xs[(size_t)i * B + j] = Z[(size_t)i * B + j] * sqrt(lam[j0 + j]);
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, B, 1.0, Xs, B, 1.0, K, n);
        if (v) cblas_dgemv(CblasRowMajor, CblasNoTrans, n, B, 1.0, Z, B, v + j0, 1, 1.0, f, 1);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) K[(size_t)j * n + i] = K[(size_t)i * n + j];
    memcpy(Kc, K, (size_t)n * n * sizeof *K);
    // Labels y = f + sigma_k eta, one noise draw shared by the nrhs noise levels.
    gsl_rng *r = MUST(rng_alloc(C.seed, stream_id(part, series, n, trial, 0)));
    for (int i = 0; i < n; i++) {
        double eta = rng_normal(r);
        for (int k = 0; k < nrhs; k++) Y[(size_t)i * nrhs + k] = f[i] + sig[k] * eta;
    }
    rng_free(r);
    double *Y0 = XNEW(double, (size_t)n *nrhs);
    memcpy(Y0, Y, (size_t)n * nrhs * sizeof *Y);
    int info = krr_solve(n, Kc, delta + tail, nrhs, Y, 0, NULL, NULL);  // Y <- alpha
    if (info == 0) {
        // Interpolation check (ridgeless only): train residual y - (K + tail I) alpha, relative to sigma^2.
        *train_max = 0;
        if (delta == 0) {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, nrhs, n, -1.0, K, n, Y, nrhs, 1.0, Y0, nrhs);
            cblas_daxpy(n * nrhs, -tail, Y, 1, Y0, 1);
            for (int k = 0; k < nrhs; k++) {
                if (sig[k] == 0) continue;
                double s = 0;
                for (int i = 0; i < n; i++) s += Y0[(size_t)i * nrhs + k] * Y0[(size_t)i * nrhs + k];
                *train_max = fmax(*train_max, s / n / (sig[k] * sig[k]));
            }
        }
        // Phase 2: c_j = lam_j (Z^T alpha)_j, block by block, from the same streams.
        for (int k = 0; k < nrhs; k++) mse[k] = 0;
        for (int b = 0; b < nb; b++) {
            int j0 = b * DESIGN_BLOCK, B = (nfeat - j0 < DESIGN_BLOCK) ? nfeat - j0 : DESIGN_BLOCK;
            gsl_rng *rb = MUST(rng_alloc(C.seed, stream_id(part, series, n, trial, b + 1)));
            rng_normal_vec(rb, (size_t)n * B, Z);
            rng_free(rb);
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, B, nrhs, n, 1.0, Z, B, Y, nrhs, 0.0, U, nrhs);
            for (int j = 0; j < B; j++)
                for (int k = 0; k < nrhs; k++) {
                    double c = lam[j0 + j] * U[(size_t)j * nrhs + k] - (v ? v[j0 + j] : 0);
                    mse[k] += c * c;
                }
        }
    }
    free(K), free(Kc), free(Z), free(Xs), free(f), free(Y), free(Y0), free(U);
    return info;
}

// A pure-noise series on the Gaussian design: lam_of(j) for j = 1..P(n), extra ridge.
typedef enum { DES_POWER, DES_EXP, DES_BENIGN } design_kind;
static void design_series(design_kind kind, double alpha, double beta, const theory_spec *th, double delta,
                          const int *ns, int nns, int trials, int P_factor, int P_extra, int series, excess_row *rows) {
    for (int q = 0; q < nns; q++) {
        int n = ns[q];
        int nfeat = kind == DES_EXP ? n + P_extra : P_factor * n;
        double *lam = XNEW(double, nfeat), extra;
        for (int j = 0; j < nfeat; j++)
            lam[j] = kind == DES_POWER ? pow(j + 1.0, -alpha)
                     : kind == DES_EXP ? exp(-beta * (j + 1.0))
                                       : benign_lam(j + 1.0);
        // The modes beyond P as ridge: zeta(alpha, P+1); 1/ln(P + 3/2); e^{-beta(P+1)}/(1 - e^{-beta}).
        extra = kind == DES_POWER    ? gsl_sf_hzeta(alpha, nfeat + 1.0)
                : kind == DES_BENIGN ? 1.0 / log(nfeat + 1.5)
                                     : 0.0;  // no extra ridge for the exponential (tail e^{-0.1 (n+401)})
        ef_fit fit = theory_fit(th, n, delta);
        excess_row *r = &rows[q];
        memset(r, 0, sizeof *r);
        r->n = n, r->E0 = fit.E0, r->theory = (fit.E0 - 1) * P.noise, r->delta = delta;
        double *ex = XNEW(double, trials), sig = sqrt(P.noise);
        int k = 0;
        for (int t = 0; t < trials; t++) {
            double mse, trm = 0;
            int info = design_trial(n, nfeat, lam, NULL, delta, extra, 1, &sig, PART_DESIGN, series, t, &mse, &trm);
            if (info) {
                r->failed = 1;
                fprintf(stderr, "design %s n = %d: Cholesky failed (leading minor %d)\n", th->name, n, info);
                break;
            }
            ex[k++] = mse;
            r->train_max = fmax(r->train_max, trm);
            if (delta == 0) train_check(th->name, n, trm);
            progress("T1 design %s n=%d trial %d/%d", th->name, n, t + 1, trials);
        }
        summarise(r, ex, k);
        free(ex);
        free(lam);
    }
}

// ---- the Gaussian-design control of a real domain's spectrum ----
//
// The spectrum of a kernel on a real domain (the sphere's Funk-Hecke levels with their
// multiplicities, the torus's N Fourier modes) written out as single modes in decreasing order;
// the first P(n) enter the Gaussian design explicitly (features sqrt(lambda_j) g_j, the same
// design_trial as above), every mode beyond P(n), and the spectrum's own missing mass, as ridge.
// This is the model the eigenframework describes, with the identical spectrum: where it follows
// the theory and the real domain does not, the gap is Gaussian universality failing for the
// domain's structured eigenfunctions (Cheng, Lucchi, Kratsios & Belius, arXiv 2402.01297), not
// the formula.  Only the first Pcap modes are expanded (the S^9 levels have multiplicities ~1e12);
// the rest is summed level by level.

typedef struct {
    size_t nfeat;   // modes written out
    double *lam;    // (P) decreasing
    double *after;  // (P + 1) after[j] = mass of every mode beyond the first j, missing mass included
} mode_list;

typedef struct {
    double lam, mult;
} level_pair;
static int cmp_level_desc(const void *a, const void *b) {
    double x = ((const level_pair *)a)->lam, y = ((const level_pair *)b)->lam;
    return (x < y) - (x > y);
}

static mode_list modes_of(const ef_spectrum *s, size_t Pcap) {
    level_pair *lv = XNEW(level_pair, s->M);
    for (size_t i = 0; i < s->M; i++) lv[i] = (level_pair){s->lam[i], s->mult ? s->mult[i] : 1};
    qsort(lv, s->M, sizeof *lv, cmp_level_desc);
    mode_list m = {0};
    m.lam = XNEW(double, Pcap);
    m.after = XNEW(double, Pcap + 1);
    double rest = s->extra_ridge;
    for (size_t i = 0; i < s->M; i++) {
        double left = lv[i].mult;
        while (left > 0.5 && m.nfeat < Pcap) m.lam[m.nfeat++] = lv[i].lam, left -= 1;
        rest += left * lv[i].lam;  // multiplicities are integers; left is what did not fit
    }
    m.after[m.nfeat] = rest;
    for (size_t j = m.nfeat; j-- > 0;) m.after[j] = m.after[j + 1] + m.lam[j];
    free(lv);
    return m;
}
static void modes_free(mode_list *m) { free(m->lam), free(m->after); }

// Pure-noise series on the Gaussian design with the modes of m: P(n) = min(P_factor n, m.P)
// explicit, the rest as ridge; theory from th (the same spectrum).  Ridgeless only.
static void control_series(const mode_list *m, const theory_spec *th, const char *name, const int *ns, int nns,
                           int trials, int P_factor, int series, excess_row *rows) {
    for (int q = 0; q < nns; q++) {
        int n = ns[q];
        size_t nfeat = (size_t)P_factor * (size_t)n < m->nfeat ? (size_t)P_factor * (size_t)n : m->nfeat;
        excess_row *r = &rows[q];
        memset(r, 0, sizeof *r);
        ef_fit fit = theory_fit(th, n, 0);
        r->n = n, r->E0 = fit.E0, r->theory = (fit.E0 - 1) * P.noise;
        double *ex = XNEW(double, trials), sig = sqrt(P.noise);
        int k = 0;
        for (int t = 0; t < trials; t++) {
            double mse, trm = 0;
            int info = design_trial(n, (int)nfeat, m->lam, NULL, 0, m->after[nfeat], 1, &sig, PART_CONTROL, series, t,
                                    &mse, &trm);
            if (info) {
                r->failed = 1;
                fprintf(stderr, "design control %s n = %d: Cholesky failed (leading minor %d)\n", name, n, info);
                break;
            }
            ex[k++] = mse;
            r->train_max = fmax(r->train_max, trm);
            train_check(name, n, trm);
            progress("design control %s n=%d trial %d/%d", name, n, t + 1, trials);
        }
        summarise(r, ex, k);
        free(ex);
    }
}

// T1: the trichotomy from spectra (theory, exact) and the Gaussian-design simulations.
static void run_T1(const config *cf) {
    // tmp.C1: E0(n) = alpha n/(n + 1/2) to 2e-3 alpha, infinite power-law spectra.
    const double alphas[4] = {1.25, 1.5, 2, 3}, nC[3] = {256, 1024, 4096};
    double worst = 0;
    for (int a = 0; a < 4; a++) {
        theory_spec t;
        theory_power(&t, alphas[a], cf->M_power);
        for (int j = 0; j < 3; j++) {
            ef_fit f = theory_fit(&t, nC[j], 0);
            worst = fmax(worst, fabs(f.E0 - alphas[a] * nC[j] / (nC[j] + 0.5)) / alphas[a]);
        }
        theory_free(&t);
    }
    claim_check("tmp.C1", CLAIM_IDENTITY, worst < 2e-3,
                "max_{alpha,n} |E0 - alpha n/(n+1/2)|/alpha, alpha 1.25-3, n 256-4096", worst, "2e-3");

    // tmp.C2a: exponential lambda_i = e^{-0.05 i}: E0 ~ 0.05 n (catastrophic).
    {
        theory_spec t;
        theory_exp(&t, 0.05, 2 * 4096 + 1000);  // lambda_M/kappa ~ e^{-0.05 (M - n)}: negligible
        double lo = INFINITY, hi = -INFINITY;
        for (int j = 0; j < 3; j++) {
            double r = theory_fit(&t, nC[j], 0).E0 / (0.05 * nC[j]);
            lo = fmin(lo, r), hi = fmax(hi, r);
        }
        char what[128];
        snprintf(what, sizeof what, "exponential beta 0.05: E0/(beta n) at n 256, 1024, 4096 in [%.4f, %.4f]; worst",
                 lo, hi);
        claim_check("tmp.C2a", CLAIM_IDENTITY, lo >= 0.99 && hi <= 1.01, what, fabs(lo - 1) > fabs(hi - 1) ? lo : hi,
                    "[0.99, 1.01]");
        theory_free(&t);
    }
    // The theory curves of the figure (and tmp.C2b, C2c on them).
    theory_spec pw[3], ex, bn;
    const double pa[3] = {1.5, 2, 3};
    for (int a = 0; a < 3; a++) theory_power(&pw[a], pa[a], cf->M_power);
    theory_exp(&ex, 0.1, 5000);
    theory_benign(&bn, cf->M_benign);
    double n0 = cf->quick ? 256 : 16;
    const char *claims = "tmp.C1 tmp.C2a tmp.C2b tmp.C2c";
    for (int a = 0; a < 3; a++)
        write_theory_curve(&pw[a], pw[a].name, 0, n0, cf->n_theory_max, cf->n_theory_pts, claims);
    write_theory_curve(&pw[1], "power2-ridge0.1", 0.1, n0, cf->n_theory_max, cf->n_theory_pts, claims);
    write_theory_curve(&ex, "exp", 0, n0, 4096, cf->quick ? 3 : 30, claims);
    write_theory_curve(&bn, "benign", 0, n0, cf->n_theory_max, cf->n_theory_pts, claims);
    progress_done("T1 theory curves written");

    // tmp.C2b: the benign spectrum, E0 strictly decreasing towards 1.
    {
        int ok = 1, nns = 0;
        double prev = INFINITY, e4096 = NAN;
        for (double n = cf->quick ? 256 : 64; n <= cf->n_theory_max; n *= 4, nns++) {
            double e = theory_fit(&bn, n, 0).E0;
            ok &= e < prev;
            prev = e;
            if (n == 4096) e4096 = e;
        }
        char what[160];
        snprintf(what, sizeof what,
                 "benign lambda_i = 1/((i+1) ln^2(i+1)): E0 strictly decreasing on %d sizes: %s; E0(4096)", nns,
                 ok ? "yes" : "NO");
        claim_check("tmp.C2b", CLAIM_IDENTITY, ok && in(e4096, 1.14, 1.15), what, e4096, "decreasing and [1.14, 1.15]");
    }
    // tmp.C2c: fixed ridge is benign.
    {
        double e = theory_fit(&pw[1], 4096, 0.1).E0;
        claim_check("tmp.C2c", CLAIM_IDENTITY, in(e, 1.035, 1.042), "alpha 2 with delta 0.1: E0(4096)", e,
                    "[1.035, 1.042]");
    }

    // tmp.C3: Gaussian-design simulations.
    int nd = cf->n_design;
    excess_row rp[3], rb[3], re[3];
    design_series(DES_POWER, 2, 0, &pw[1], 0, cf->design_n, nd, cf->design_trials, cf->P_factor, 0, 1, rp);
    write_excess("design-power2", "tmp.C3a",
                 "Gaussian design, lambda_j = j^-2, P = 16 n features, modes beyond P as ridge zeta(2, P+1)", rp, nd);
    if (cf->quick) {
        claim_check("tmp.C3a", CLAIM_EXPERIMENT, in(rp[0].mean, 0.75, 1.25),
                    "Gaussian design alpha 2, n 128, P 16n, 3 seeds: mean excess", rp[0].mean,
                    "[0.75, 1.25] (quick; theory 0.992)");
    } else {
        double lo = fmin(rp[1].mean, rp[2].mean), hi = fmax(rp[1].mean, rp[2].mean);
        char what[160];
        snprintf(what, sizeof what,
                 "Gaussian design alpha 2: mean excess at n 256: %.3f, n 1024: %.3f (theory %.3f, %.3f); worst",
                 rp[1].mean, rp[2].mean, rp[1].theory, rp[2].theory);
        claim_check("tmp.C3a", CLAIM_EXPERIMENT, lo >= 0.85 && hi <= 1.15, what, fabs(lo - 1) > fabs(hi - 1) ? lo : hi,
                    "[0.85, 1.15]");

        design_series(DES_BENIGN, 0, 0, &bn, 0, cf->design_n, nd, cf->design_trials, cf->P_factor, 0, 2, rb);
        write_excess("design-benign", "tmp.C3b",
                     "Gaussian design, lambda_j = 1/((j+1) ln^2(j+1)), P = 16 n, tail 1/ln(P+1.5) as ridge", rb, nd);
        double wr = 0;
        for (int j = 0; j < nd; j++) wr = fmax(wr, fabs(rb[j].mean / rb[j].theory - 1));
        char w2[320];
        snprintf(w2, sizeof w2,
                 "benign design: excess %.3f, %.3f, %.3f vs theory %.3f, %.3f, %.3f; decreasing %s; max |ratio - 1|",
                 rb[0].mean, rb[1].mean, rb[2].mean, rb[0].theory, rb[1].theory, rb[2].theory,
                 rb[nd - 1].mean < rb[0].mean ? "yes" : "NO");
        claim_check("tmp.C3b", CLAIM_EXPERIMENT, wr <= 0.25 && rb[nd - 1].mean < rb[0].mean, w2, wr,
                    "0.25 and excess(1024) < excess(64)");

        // The catastrophic design is heavy-tailed (3 trials gave se 28% of the mean at n = 64, and
        // seed 3 missed the 30% band at 1.36 there), so it runs 20 trials (n <= 256 and
        // P = n + 400: cheap) and each n passes within 30% or 3 standard errors, if larger.
        design_series(DES_EXP, 0, 0.1, &ex, 0, cf->design_n_exp, nd, cf->design_trials_exp, 0, cf->P_exp_extra, 3, re);
        write_excess("design-exp", "tmp.C3c",
                     "Gaussian design, lambda_j = e^{-0.1 j}, P = n + 400 features, no extra ridge", re, nd);
        wr = 0;
        int failed = 0, okc = 1;
        double wz = 0;
        for (int j = 0; j < nd; j++) {
            double e = fabs(re[j].mean / re[j].theory - 1), tol = fmax(0.30, 3 * re[j].se / re[j].theory);
            wr = fmax(wr, e), wz = fmax(wz, e / tol), failed |= re[j].failed;
            if (e > tol) okc = 0;
        }
        snprintf(w2, sizeof w2,
                 "exponential design (%d trials): excess %.2f, %.2f, %.2f vs theory %.2f, %.2f, %.2f; worst as a "
                 "fraction of its tolerance %.2f; max |ratio - 1|",
                 re[0].trials, re[0].mean, re[1].mean, re[2].mean, re[0].theory, re[1].theory, re[2].theory, wz);
        claim_check("tmp.C3c", CLAIM_EXPERIMENT, !failed && okc, w2, wr, "0.30, or 3 se where larger");

        // tmp.C3d: sigma^2-linearity, alpha 1.5, target v_i = 1/i.  The excess is
        // E0 sum (1-L)^2 v^2 + (E0 - 1) sigma^2: linear in sigma^2 with slope E0 - 1.
        const double s2[3] = {0, 0.5, 2};
        double sig[3], mse[3][8], mean[3], se[3], th[3], lin_train = 0;
        theory_spec t15;
        theory_power(&t15, 1.5, cf->M_power);
        int Pl = cf->lin_P, nl = cf->lin_n;
        double *lam = XNEW(double, Pl), *v = XNEW(double, Pl), *v2 = XNEW(double, cf->M_power);
        for (int j = 0; j < Pl; j++) lam[j] = pow(j + 1.0, -1.5), v[j] = 1.0 / (j + 1.0), v2[j] = v[j] * v[j];
        for (int k = 0; k < 3; k++) sig[k] = sqrt(s2[k]);
        ef_fit fit = theory_fit(&t15, nl, 0);
        for (int k = 0; k < 3; k++) {
            ef_pred pr;
            if (ef_predict(&t15.s, &fit, v2, 0, s2[k], &pr)) DIE("ef_predict failed (alpha 1.5, n %d)", nl);
            th[k] = pr.mse;
        }
        for (int t = 0; t < cf->lin_trials; t++) {
            double m3[3], trm;
            if (design_trial(nl, Pl, lam, v, 0, gsl_sf_hzeta(1.5, Pl + 1.0), 3, sig, PART_LINEAR, 0, t, m3, &trm))
                DIE("Cholesky failed in the sigma^2-linearity design (n %d, P %d)", nl, Pl);
            train_check("linearity", nl, trm);
            lin_train = fmax(lin_train, trm);
            for (int k = 0; k < 3; k++) mse[k][t] = m3[k];
            progress("T1 linearity trial %d/%d", t + 1, cf->lin_trials);
        }
        tsv *f = tsv_open(&C, "linearity.tsv", "tmp.C3d");
        tsv_note(f, "Gaussian design alpha 1.5, target v_i = 1/i (i <= P), n = %d, P = %d, tail as ridge; E0 = %.6f",
                 nl, Pl, fit.E0);
        tsv_columns(f, "noise\tmse_mean\tmse_se\tmse_theory");
        double wr3 = 0;
        for (int k = 0; k < 3; k++) {
            mean[k] = fit_mean(mse[k], cf->lin_trials);
            se[k] = fit_stderr(mse[k], cf->lin_trials);
            wr3 = fmax(wr3, fabs(mean[k] / th[k] - 1));
            tsv_row(f, "%.3g\t%.10g\t%.10g\t%.10g", s2[k], mean[k], se[k], th[k]);
        }
        tsv_close(f);
        printf("# linearity: worst ridgeless train MSE / sigma^2 = %.3g (bound %g)\n", lin_train, TRAIN_TOL);
        // least-squares slope of mean MSE on sigma^2
        double xm = (s2[0] + s2[1] + s2[2]) / 3, ym = (mean[0] + mean[1] + mean[2]) / 3, sxy = 0, sxx = 0;
        for (int k = 0; k < 3; k++) sxy += (s2[k] - xm) * (mean[k] - ym), sxx += (s2[k] - xm) * (s2[k] - xm);
        double slope = sxy / sxx;
        snprintf(w2, sizeof w2,
                 "sigma^2 in {0, 0.5, 2}: clean MSE %.4f, %.4f, %.4f vs theory %.4f, %.4f, %.4f (max dev %.3f); slope "
                 "vs E0-1 %.4f: slope",
                 mean[0], mean[1], mean[2], th[0], th[1], th[2], wr3, fit.E0 - 1);
        claim_check("tmp.C3d", CLAIM_EXPERIMENT, wr3 <= 0.10 && fabs(slope - (fit.E0 - 1)) <= 0.05, w2, slope,
                    "10% per point, |slope - (E0-1)| <= 0.05");
        free(lam), free(v), free(v2);
        theory_free(&t15);
    }
    for (int a = 0; a < 3; a++) theory_free(&pw[a]);
    theory_free(&ex);
    theory_free(&bn);
}
