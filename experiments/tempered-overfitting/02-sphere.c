// ---- experiment T2: kernels on the sphere S^{d-1} ----
//
// Laplace $e^{-\|x-x'\|/\ell}$ has level eigenvalues $\lambda_k\propto k^{-d}$ with multiplicity
// $N(d,k)\propto k^{d-2}$: per mode $\lambda_i\propto i^{-d/(d-1)}$, so $E_0\to d/(d-1)$ and the
// excess tends to $\sigma^2/(d-1)$, tempered (0.25 on $S^4$).  The Gaussian $e^{-\|x-x'\|^2/(2\ell^2)}$
// decays super-exponentially: catastrophic when ridgeless, benign with a fixed ridge.
//
// Theory spectrum: Funk-Hecke levels for $k\le k_{max}$ plus the missing mass
// $E K(x,x)-\sum_k N(d,k)\lambda_k$ as ridge; the Gaussian by its Bessel closed form,
// levels until $\lambda_k<10^{-300}$.

typedef struct {
    const kernel_spec *k;
    int d;
} prof_par;
static double sphere_prof(double t, void *par) {
    const prof_par *p = par;
    return kernel_sphere_profile(p->k, t, 1.0, p->d);
}

static void theory_sphere(theory_spec *t, const kernel_spec *k, int d, int kmax, int nodes) {
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "sphere-%s", kernel_name(k));
    t->lam = XNEW(double, kmax + 1);
    t->mult = XNEW(double, kmax + 1);
    int L = kmax + 1;
    if (k->type == KERNEL_GAUSSIAN) {
        double b = 1.0 / (k->bandwidth * k->bandwidth);  // exp(-|x-x'|^2/(2 l^2)) = exp(-(1-t) b)
        for (L = 0; L <= kmax; L++) {
            t->lam[L] = spectra_sphere_gaussian(d, L, b);
            if (!(t->lam[L] >= 1e-300)) break;
        }
    } else {
        spectra_sphere *w = spectra_sphere_alloc(d, kmax, nodes);
        if (!w) DIE("spectra_sphere_alloc(d = %d, kmax = %d, nodes = %d) failed", d, kmax, nodes);
        prof_par pp = {k, d};
        if (spectra_sphere_eigenvalues(w, sphere_prof, &pp, t->lam))
            DIE("spectra_sphere_eigenvalues: %s", sim_last_error());
        spectra_sphere_free(w);
    }
    double mass = 0;
    for (int j = 0; j < L; j++) {
        t->mult[j] = spectra_sphere_multiplicity(d, j);
        if (t->lam[j] < 0) t->lam[j] = 0;  // quadrature noise on the last levels of a smooth kernel
        mass += t->mult[j] * t->lam[j];
    }
    double EK = kernel_sphere_profile(k, 1.0, 1.0, d);  // E K(x,x) = K(t = 1) on the unit sphere
    t->s = (ef_spectrum){.M = (size_t)L, .lam = t->lam, .mult = t->mult, .extra_ridge = fmax(0, EK - mass)};
}

// One trial on the sphere: n training and nt test points, pure-noise labels; excess on test.
static int sphere_trial(const kernel_spec *k, int d, int n, int nt, double delta, int series, int trial, double *excess,
                        double *train) {
    gsl_rng *r = MUST(rng_alloc(C.seed, stream_id(PART_SPHERE, series, n, trial, 0)));
    double *X = XNEW(double, (size_t)n *d), *T = XNEW(double, (size_t)nt *d);
    double *K = XNEW(double, (size_t)n *n), *K0 = XNEW(double, (size_t)n *n), *Ktd = XNEW(double, (size_t)nt *n);
    double *y = XNEW(double, n), *a = XNEW(double, n), *pred = XNEW(double, nt);
    for (int i = 0; i < n; i++) rng_sphere(r, d, X + (size_t)i * d);
    for (int i = 0; i < nt; i++) rng_sphere(r, d, T + (size_t)i * d);
    for (int i = 0; i < n; i++) y[i] = sqrt(P.noise) * rng_normal(r);
    rng_free(r);
    if (kernel_gram_sym(k, n, d, X, K)) DIE("kernel_gram_sym: %s", sim_last_error());
    if (kernel_gram(k, nt, n, d, T, X, Ktd)) DIE("kernel_gram: %s", sim_last_error());
    memcpy(K0, K, (size_t)n * n * sizeof *K);
    memcpy(a, y, (size_t)n * sizeof *a);
    int info = krr_solve(n, K, delta, 1, a, nt, Ktd, pred);
    if (info == 0) {
        double s = 0;
        for (int i = 0; i < nt; i++) s += pred[i] * pred[i];
        *excess = s / nt;
        // train residual y - (K0 + delta I) alpha + delta alpha = y - K0 alpha
        cblas_dsymv(CblasRowMajor, CblasLower, n, -1.0, K0, n, a, 1, 1.0, y, 1);
        *train = P.noise > 0 ? cblas_ddot(n, y, 1, y, 1) / n / P.noise : 0;
    }
    free(X), free(T), free(K), free(K0), free(Ktd), free(y), free(a), free(pred);
    return info;
}

static void sphere_series(const kernel_spec *k, const theory_spec *th, int d, double delta, const int *ns, int nns,
                          int trials, int nt, int series, excess_row *rows) {
    int stopped = 0;
    for (int q = 0; q < nns; q++) {
        excess_row *r = &rows[q];
        memset(r, 0, sizeof *r);
        r->n = ns[q], r->delta = delta;
        ef_fit fit = theory_fit(th, ns[q], delta);
        r->E0 = fit.E0, r->theory = (fit.E0 - 1) * P.noise;
        double *ex = XNEW(double, trials);
        int m = 0;
        for (int t = 0; t < trials && !stopped; t++) {
            double e, tr = 0;
            int info = sphere_trial(k, d, ns[q], nt, delta, series, t, &e, &tr);
            if (info) {
                fprintf(stderr, "sphere %s n = %d: Cholesky failed at leading minor %d: series stopped\n", th->name,
                        ns[q], info);
                r->failed = stopped = 1;
                break;
            }
            ex[m++] = e;
            r->train_max = fmax(r->train_max, tr);
            if (delta == 0) train_check(th->name, ns[q], tr);
            progress("T2 %s delta=%g n=%d trial %d/%d", th->name, delta, ns[q], t + 1, trials);
        }
        if (stopped && m == 0) r->failed = 1;
        summarise(r, ex, m);
        free(ex);
    }
}

// Theory curve of a level spectrum on a log grid of n (no simulation).
static void sphere_theory_curve(const theory_spec *t, const char *name, double delta, double n1, const char *claims) {
    write_theory_curve(t, name, delta, 16, n1, 30, claims);
}

// A Gaussian-design control follows its theory: at every n the mean excess/theory lies within
// 0.15 of 1, or within 3 standard errors where that is wider.  The eigenframework predicts the
// mean; the excess is skewed (the median sits 5-20% below the mean at n <= 64), so medians are
// not compared.  0.15: the theory's own finite-n error at n = 32-64 (it is an asymptotic
// estimate) plus the tail-as-ridge of the modes beyond P, which moves E0 by under 1% here.
static void check_control(const char *id, const char *what0, const excess_row *r, int nr) {
    char what[400];
    int len = snprintf(what, sizeof what, "%s, Gaussian design with the same spectrum: mean excess/theory", what0);
    double wr = 0, wz = 0;
    int failed = 0, ok = 1;
    for (int j = 0; j < nr; j++) {
        double q = r[j].mean / r[j].theory, tol = fmax(0.15, 3 * r[j].se / r[j].theory);
        wr = fmax(wr, fabs(q - 1)), wz = fmax(wz, fabs(q - 1) / tol), failed |= r[j].failed;
        ok &= fabs(q - 1) <= tol;
        len += snprintf(what + len, sizeof what - (size_t)len, " n %d %.3f +- %.3f%s", r[j].n, q, r[j].se / r[j].theory,
                        j + 1 < nr ? "," : ";");
    }
    snprintf(what + len, sizeof what - (size_t)len, " worst as a fraction of its tolerance %.2f; max |ratio - 1|", wz);
    claim_check(id, CLAIM_EXPERIMENT, !failed && ok, what, wr, "0.15, or 3 se where larger, at every n");
}

// A tempered series: the experiment follows its theory, and the theory tends to the nonzero
// limit sigma^2/(d-1) = `asym` (tempered: neither 0 nor growing).  Mean excess/theory within
// [0.8, 1.15] at every n >= nmin (the Laplace kernel on S^4 sits 7% below its line, tmp.C4b;
// 5-6 trials give 5-8% se; below nmin = 256 the NTK and the S^9 Laplace kernel sit up to 25%
// under their lines at n = 64, as Laplace does on S^4: printed, not asserted), and the theory at
// n = 65536 between asym and 1.15 asym (it approaches sigma^2/(d-1) from above, slowly: on S^9
// it is still 21% above at n = 1024 and 9% above at n = 65536; on S^4 the NTK 1.5%).
static void check_tempered(const char *id, const char *what0, const excess_row *r, int nr, const theory_spec *th,
                           double asym, int nmin) {
    char what[400];
    int len = snprintf(what, sizeof what, "%s ridgeless: mean excess (theory)", what0);
    double lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < nr; j++) {
        double q = r[j].mean / r[j].theory;
        if (r[j].n >= nmin) lo = fmin(lo, q), hi = fmax(hi, q);
        len += snprintf(what + len, sizeof what - (size_t)len, " n %d %.3f (%.3f)%s", r[j].n, r[j].mean, r[j].theory,
                        j + 1 < nr ? "," : ";");
    }
    double lim = (theory_fit(th, 65536, 0).E0 - 1) * P.noise / asym;
    snprintf(what + len, sizeof what - (size_t)len,
             " theory(65536)/(sigma^2/(d-1) = %.4f) %.3f; excess/theory for n >= %d in [%.3f, %.3f]; worst", asym, lim,
             nmin, lo, hi);
    double worst = fabs(lo - 1) > fabs(hi - 1) ? lo : hi;
    claim_check(id, CLAIM_EXPERIMENT, lo >= 0.8 && hi <= 1.15 && lim >= 1 && lim <= 1.15, what, worst,
                "[0.8, 1.15], and theory(65536) in [1, 1.15] sigma^2/(d-1)");
}

// T2: Laplace vs Gaussian kernels on S^4.
static void run_T2(const config *cf) {
    int d = cf->sph_d;
    P.dim = d;
    kernel_spec kl = make_kernel("laplace", 1), kg = make_kernel("gaussian", 1 / sqrt(2.0));
    theory_spec tl, tg;
    theory_sphere(&tl, &kl, d, cf->sph_kmax, cf->sph_nodes);
    theory_sphere(&tg, &kg, d, cf->sph_kmax, cf->sph_nodes);
    excess_row rl[6], rg[5], rr[3];
    sphere_series(&kl, &tl, d, 0, cf->sph_lap_n, cf->n_sph_lap, cf->sph_lap_trials, cf->sph_ntest, 1, rl);
    write_excess("sphere-laplace", "tmp.C4", "S^4, laplace ell = 1, ridgeless; fresh test points", rl, cf->n_sph_lap);
    if (!cf->quick) {
        sphere_theory_curve(&tl, "sphere-laplace", 0, 4096, "tmp.C4");
        sphere_theory_curve(&tg, "sphere-gaussian", 0, 1024, "tmp.C5a");
        sphere_theory_curve(&tg, "sphere-gaussian-ridge0.1", 0.1, 4096, "tmp.C5b");
    }
    if (cf->quick) {
        claim_skip("tmp.C5a", CLAIM_EXPERIMENT, "not run at --quick");
        claim_skip("tmp.C5b", CLAIM_EXPERIMENT, "not run at --quick");
        claim_skip("tmp.C5c", CLAIM_DEVIATION, "not run at --quick");
        claim_skip("tmp.C4c", CLAIM_EXPERIMENT, "not run at --quick");
        claim_skip("tmp.C4d", CLAIM_EXPERIMENT, "not run at --quick");
        claim_skip("tmp.C5e", CLAIM_EXPERIMENT, "not run at --quick");
        claim_check("tmp.C4", CLAIM_EXPERIMENT, in(rl[0].mean, 0.17, 0.33),
                    "S^4 laplace ridgeless n 256, 5 trials, 500 test points: mean excess", rl[0].mean,
                    "[0.17, 0.33] (quick; theory 0.255)");
        // The Gaussian-design control of tmp.C5d at one size (no real-sphere series: that is the
        // default run's; the design alone costs milliseconds).
        const int nq[1] = {128};
        excess_row rq[1];
        mode_list m = modes_of(&tg.s, (size_t)cf->ctl_P_factor * 128);
        control_series(&m, &tg, "design-sphere-gaussian", nq, 1, cf->ctl_trials, cf->ctl_P_factor, 1, rq);
        modes_free(&m);
        write_excess("design-sphere-gaussian", "tmp.C5d",
                     "Gaussian design with the S^4 gaussian-kernel spectrum (ell = 1/sqrt2): Funk-Hecke levels x "
                     "multiplicities, P = 8n modes explicit, the rest as ridge; ridgeless",
                     rq, 1);
        check_control("tmp.C5d", "S^4 gaussian (quick: n 128)", rq, 1);
    } else {
        // n = 256, 1024, 2048 are entries 2, 4, 5 of the default list
        double e256 = rl[2].mean, e1024 = rl[4].mean, e2048 = rl[5].mean;
        double lo = fmin(e256, fmin(e1024, e2048)), hi = fmax(e256, fmax(e1024, e2048)), ratio = e2048 / e256;
        char what[600];
        snprintf(what, sizeof what,
                 "S^4 laplace: mean excess %.3f, %.3f, %.3f at n 256, 1024, 2048 (theory %.4f, %.4f, %.4f), all in "
                 "[0.19, 0.30]: %s; excess(2048)/excess(256)",
                 e256, e1024, e2048, rl[2].theory, rl[4].theory, rl[5].theory, lo >= 0.19 && hi <= 0.30 ? "yes" : "NO");
        claim_check("tmp.C4", CLAIM_EXPERIMENT, lo >= 0.19 && hi <= 0.30 && in(ratio, 0.75, 1.25), what, ratio,
                    "[0.75, 1.25]");
        // The band above is wide; inside it the experiment sits below the theory at almost every n.
        // Report that deficit: the inverse-variance weighted mean of excess/theory over all sizes,
        // its standard error, and how many sizes lie below.
        {
            double sw = 0, swr = 0;
            int below = 0;
            for (int j = 0; j < cf->n_sph_lap; j++) {
                double r = rl[j].mean / rl[j].theory, se = rl[j].se / rl[j].theory, w = 1 / (se * se);
                sw += w, swr += w * r, below += r < 1;
            }
            snprintf(what, sizeof what,
                     "S^4 laplace: %d of %d sizes below theory; weighted mean excess/theory = %.3f +- %.3f (se)", below,
                     cf->n_sph_lap, swr / sw, 1 / sqrt(sw));
            claim_report("tmp.C4b", CLAIM_EXPERIMENT, what, swr / sw);
        }

        sphere_series(&kg, &tg, d, 0, cf->sph_gau_n, cf->n_sph_gau, cf->sph_gau_trials, cf->sph_ntest, 2, rg);
        write_excess("sphere-gaussian", "tmp.C5a", "S^4, gaussian ell = 1/sqrt2, ridgeless (heavy-tailed: medians)", rg,
                     cf->n_sph_gau);
        int mono = 1, failed = 0;
        for (int j = 0; j < cf->n_sph_gau; j++) {
            failed |= rg[j].failed && rg[j].trials == 0;
            if (j) mono &= rg[j].median > rg[j - 1].median;
        }
        double g512 = rg[4].median, grow = g512 / rg[1].median, lap512 = rl[3].mean;
        snprintf(what, sizeof what,
                 "S^4 gaussian ridgeless: medians %.2f %.2f %.2f %.2f %.2f (n 32-512), increasing %s, "
                 "median(512)/laplace(512) %.1f; median(512)/median(64)",
                 rg[0].median, rg[1].median, rg[2].median, rg[3].median, rg[4].median, mono ? "yes" : "NO",
                 g512 / lap512);
        claim_check("tmp.C5a", CLAIM_EXPERIMENT, !failed && mono && grow >= 2.5 && g512 >= 10 * lap512, what, grow,
                    ">= 2.5, increasing, >= 10x laplace");
        // tmp.C5d: the Gaussian-design control.  The same spectrum (Funk-Hecke levels with their
        // multiplicities N(5, k), the missing mass as ridge) on Gaussian features: the model the
        // eigenframework describes.  It must follow the theory; the real sphere need not.
        excess_row rc[5];
        {
            mode_list m = modes_of(&tg.s, (size_t)cf->ctl_P_factor * (size_t)cf->sph_gau_n[cf->n_sph_gau - 1]);
            control_series(&m, &tg, "design-sphere-gaussian", cf->sph_gau_n, cf->n_sph_gau, cf->ctl_trials,
                           cf->ctl_P_factor, 1, rc);
            modes_free(&m);
        }
        write_excess("design-sphere-gaussian", "tmp.C5d tmp.C5c",
                     "Gaussian design with the S^4 gaussian-kernel spectrum (ell = 1/sqrt2): Funk-Hecke levels x "
                     "multiplicities, "
                     "P = 8n modes explicit, the rest as ridge; ridgeless",
                     rc, cf->n_sph_gau);
        check_control("tmp.C5d", "S^4 gaussian", rc, cf->n_sph_gau);
        // tmp.C5c (deviation): the universality gap.  On the real sphere the ridgeless Gaussian
        // kernel outgrows the theory (median/theory ~1.1 at n = 32, 1.5-2 at n = 256-512: medians,
        // as the excess is heavy-tailed), while the Gaussian design with the very same spectrum
        // sits on it (tmp.C5d).  So the formula is right for Gaussian features, and what fails is
        // Gaussian universality for the sphere's structured eigenfunctions at fast spectral decay
        // (arXiv 2402.01297 proves tempered/catastrophic behaviour under independent features and
        // warns that Gaussian-design approximations of KRR can mislead).  Asserted: the real
        // domain's ratio at n = 256 and 512 exceeds the control's by 30% or more.
        {
            double r32 = rg[0].median / rg[0].theory, r256 = rg[3].median / rg[3].theory,
                   r512 = rg[4].median / rg[4].theory;
            double c256 = rc[3].median / rc[3].theory, c512 = rc[4].median / rc[4].theory;
            double gap = fmin(r256 / c256, r512 / c512);
            snprintf(what, sizeof what,
                     "S^4 gaussian ridgeless, median excess/theory, sphere vs Gaussian design: n 32 %.2f/%.2f, 64 "
                     "%.2f/%.2f, "
                     "128 %.2f/%.2f, 256 %.2f/%.2f, 512 %.2f/%.2f; universality gap (sphere/design) min at n 256, 512",
                     r32, rc[0].median / rc[0].theory, rg[1].median / rg[1].theory, rc[1].median / rc[1].theory,
                     rg[2].median / rg[2].theory, rc[2].median / rc[2].theory, r256, c256, r512, c512);
            claim_check("tmp.C5c", CLAIM_DEVIATION, !failed && gap >= 1.3, what, gap,
                        ">= 1.3: the real sphere above its Gaussian-design twin by 30% or more");
        }

        sphere_series(&kg, &tg, d, 0.1, cf->sph_gr_n, cf->n_sph_gr, cf->sph_gr_trials, cf->sph_ntest, 3, rr);
        write_excess("sphere-gaussian-ridge", "tmp.C5b", "S^4, gaussian ell = 1/sqrt2, ridge delta = 0.1", rr,
                     cf->n_sph_gr);
        double wr = 0;
        for (int j = 0; j < cf->n_sph_gr; j++) wr = fmax(wr, fabs(rr[j].mean / rr[j].theory - 1));
        snprintf(what, sizeof what,
                 "S^4 gaussian delta 0.1: excess %.3f, %.3f, %.3f (theory %.3f, %.3f, %.3f), excess(1024)/excess(64) "
                 "%.3f; max |ratio - 1|",
                 rr[0].mean, rr[1].mean, rr[2].mean, rr[0].theory, rr[1].theory, rr[2].theory, rr[2].mean / rr[0].mean);
        claim_check("tmp.C5b", CLAIM_EXPERIMENT, wr <= 0.20 && rr[2].mean <= 0.5 * rr[0].mean, what, wr,
                    "0.20 and excess(1024) <= excess(64)/2");

        // tmp.C4c: the ReLU NTK, which the paper's abstract names as tempered.  ntk1b (one hidden
        // layer with bias, K(x,x) = 1; the bias-free NTK has zero eigenvalues at odd degree >= 3)
        // has Funk-Hecke levels ~ k^{-d} like the Laplace kernel, so E0 -> d/(d-1) and the excess
        // -> sigma^2/(d-1) = 0.25 on S^4.  Its two large low levels (constant and linear) make the
        // approach slow: the theory is 0.45, 0.32, 0.28 at n = 64, 256, 1024.
        {
            kernel_spec kn = make_kernel("ntk1b", 1);
            theory_spec tn;
            theory_sphere(&tn, &kn, d, cf->sph_kmax, cf->sph_nodes);
            excess_row rn[3];
            sphere_series(&kn, &tn, d, 0, cf->ntk_n, cf->n_ntk, cf->ntk_trials, cf->sph_ntest, 4, rn);
            write_excess("sphere-ntk1b", "tmp.C4c",
                         "S^4, ReLU NTK (one hidden layer, bias; ntk1b), ridgeless; fresh test points", rn, cf->n_ntk);
            sphere_theory_curve(&tn, "sphere-ntk1b", 0, 4096, "tmp.C4c");
            check_tempered("tmp.C4c", "S^4 ReLU NTK (ntk1b)", rn, cf->n_ntk, &tn, 1.0 / (d - 1), 256);
            theory_free(&tn);
        }
        // tmp.C4d, tmp.C5e: d = 10 beside d = 5.  Laplace on S^9: excess -> sigma^2/9 (tempered,
        // closer to benign); the ridgeless Gaussian on S^9 still grows (catastrophic), and at these
        // n sits near its theory (the gap of tmp.C5c is a low-dimension, large-n effect).
        if (cf->n_d10) {
            int d10 = 10;
            kernel_spec kl10 = make_kernel("laplace", 1), kg10 = make_kernel("gaussian", 1 / sqrt(2.0));
            theory_spec tl10, tg10;
            theory_sphere(&tl10, &kl10, d10, cf->sph_kmax, cf->sph_nodes);
            theory_sphere(&tg10, &kg10, d10, cf->sph_kmax, cf->sph_nodes);
            excess_row r10l[3], r10g[3];
            sphere_series(&kl10, &tl10, d10, 0, cf->d10_n, cf->n_d10, cf->d10_trials, cf->sph_ntest, 5, r10l);
            write_excess("sphere10-laplace", "tmp.C4d", "S^9 (d = 10), laplace ell = 1, ridgeless; fresh test points",
                         r10l, cf->n_d10);
            sphere_theory_curve(&tl10, "sphere10-laplace", 0, 4096, "tmp.C4d");
            check_tempered("tmp.C4d", "S^9 laplace", r10l, cf->n_d10, &tl10, 1.0 / (d10 - 1), 256);
            sphere_series(&kg10, &tg10, d10, 0, cf->d10_n, cf->n_d10, cf->d10_trials, cf->sph_ntest, 6, r10g);
            write_excess("sphere10-gaussian", "tmp.C5e", "S^9 (d = 10), gaussian ell = 1/sqrt2, ridgeless (medians)",
                         r10g, cf->n_d10);
            sphere_theory_curve(&tg10, "sphere10-gaussian", 0, 4096, "tmp.C5e");
            int nd = cf->n_d10, up = 1;
            double wr10 = 0;
            for (int j = 0; j < nd; j++) {
                wr10 = fmax(wr10, fabs(r10g[j].median / r10g[j].theory - 1));
                if (j) up &= r10g[j].median > r10g[j - 1].median;
            }
            snprintf(what, sizeof what,
                     "S^9 gaussian ridgeless: median excess %.3f, %.3f, %.3f (theory %.3f, %.3f, %.3f), increasing %s; "
                     "max |median/theory - 1|",
                     r10g[0].median, r10g[1].median, r10g[2].median, r10g[0].theory, r10g[1].theory, r10g[2].theory,
                     up ? "yes" : "NO");
            // 0.2: the per-trial spread of the ridgeless Gaussian excess is ~30% of the mean, so the
            // median of 10 trials carries ~10%; the theory's own finite-n agreement on S^9 is 5%.
            claim_check("tmp.C5e", CLAIM_EXPERIMENT, up && wr10 <= 0.2, what, wr10, "0.2, and increasing in n");
            theory_free(&tl10);
            theory_free(&tg10);
        }
    }
    theory_free(&tl);
    theory_free(&tg);
}

// Dense check of the D = 1, G = 256 construction: dsyevd of the full Gram matrix / G equals
