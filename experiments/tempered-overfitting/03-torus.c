// ---- experiment T3: kernels built from a prescribed spectrum on the torus and circle (FFTW) ----
//
// On the discrete torus $\mathbb Z_G^D$ (uniform measure on $N=G^D$ points) a kernel of $x-x'$
// alone is diagonalised by the characters $e^{2\pi i m\cdot x/G}$.  We run this in reverse
// (common/circulant): prescribe $\lambda(m)$, normalise $\sum_m\lambda(m)=1$, and one
// rank-$D$ c2r transform gives the table $k(x)=\sum_m\lambda(m)e^{2\pi i m\cdot x/G}$, so that
// $K_{ij}=k(x_i-x_j)$ and $K(x,x)=1$.  The theory then sums over all $N$ modes: no truncation.
//
// - Sobolev $\lambda(m)\propto(1+|\tilde m|^2/\ell^2)^{-s}$: by Weyl's law the sorted spectrum decays as
//   $i^{-2s/D}$, so $\alpha=2s/D$ (= 2 for $s=4$, $D=4$ and for $s=1$, $D=1$).
// - heat $\lambda(m)\propto e^{-|\tilde m|^2/(2t)}$: faster than any power, catastrophic.
//
// The held-out excess is exact: $\hat f=\mathrm{c2r}(\lambda\circ\mathrm{r2c}(\sum_i\alpha_i\delta_{x_i}))$
// on all $N$ points, and excess $=(\sum_x\hat f(x)^2-\sum_i\hat f(x_i)^2)/(N-n)$.
//
// On the circle ($D=1$, $s=1$) the theory says excess $\approx\sigma^2$ but the truth is
// $\frac23\sigma^2$: the min-norm interpolant of this kernel ($\cosh$-shaped between knots) is
// nearly piecewise linear, and linear interpolation of i.i.d. noise at a uniform position $u$
// in a gap has variance $\sigma^2((1-u)^2+u^2)$, whose average over $u$ is $\frac23\sigma^2$.
// Gaussian-design universality fails in one dimension; tmp.C6d asserts the deviation.

typedef struct {
    circulant_torus *t;
    circulant_radial par;
    int sobolev;
    double scale;  // normalisation factor applied to the prescribed spectrum
} torus_model;

static void torus_model_init(torus_model *m, int D, int G, int sobolev, double s, double ell, double heat_t) {
    m->t = circulant_torus_alloc(D, G);
    if (!m->t) DIE("circulant_torus_alloc(D = %d, G = %d) failed", D, G);
    m->sobolev = sobolev;
    m->par = (circulant_radial){.s = s, .ell = ell, .t = heat_t};
    if (circulant_torus_set_spectrum(m->t, sobolev ? circulant_sobolev : circulant_heat, &m->par, 1, &m->scale))
        DIE("circulant_torus_set_spectrum failed (D = %d, G = %d)", D, G);
}

static void theory_torus(theory_spec *th, const torus_model *m, const char *name) {
    memset(th, 0, sizeof *th);
    snprintf(th->name, sizeof th->name, "%s", name);
    th->lam = XNEW(double, m->t->N);
    th->mult = XNEW(double, m->t->N);
    size_t L = circulant_torus_levels(m->t, th->lam, th->mult);
    th->s = (ef_spectrum){.M = L, .lam = th->lam, .mult = th->mult};
}

// One trial: n grid points without replacement, pure-noise labels, exact held-out excess.
static int torus_trial(torus_model *m, int n, double delta, int series, int trial, double *excess, double *train) {
    circulant_torus *t = m->t;
    gsl_rng *r = MUST(rng_alloc(C.seed, stream_id(PART_TORUS, series, n, trial, 0)));
    size_t *idx = XNEW(size_t, n);
    double *K = XNEW(double, (size_t)n *n), *a = XNEW(double, n), *y = XNEW(double, n);
    double *fhat = XNEW(double, t->N);
    if (rng_subset(r, t->N, (size_t)n, idx)) DIE("rng_subset: %s", sim_last_error());
    for (int i = 0; i < n; i++) y[i] = a[i] = sqrt(P.noise) * rng_normal(r);
    rng_free(r);
    if (circulant_torus_gram(t, (size_t)n, idx, K)) DIE("circulant_torus_gram: %s", sim_last_error());
    int info = krr_solve(n, K, delta, 1, a, 0, NULL, NULL);
    if (info == 0) {
        circulant_torus_predict(t, (size_t)n, idx, a, fhat);
        double all = 0, tr = 0, res = 0;
        for (size_t x = 0; x < t->N; x++) all += fhat[x] * fhat[x];
        for (int i = 0; i < n; i++) {
            tr += fhat[idx[i]] * fhat[idx[i]];
            res += (y[i] - fhat[idx[i]]) * (y[i] - fhat[idx[i]]);
        }
        *excess = (all - tr) / (double)(t->N - (size_t)n);
        *train = P.noise > 0 ? res / n / P.noise : 0;
    }
    free(idx), free(K), free(a), free(y), free(fhat);
    return info;
}

// trials_small applies at n <= 256, where one trial is cheap and the per-trial spread is
// largest (sd ~ 22% of the mean at n = 64 on T^4).
static void torus_series(torus_model *m, const theory_spec *th, double delta, const int *ns, int nns, int trials_big,
                         int trials_small, int series, excess_row *rows) {
    int stopped = 0;
    for (int q = 0; q < nns; q++) {
        excess_row *r = &rows[q];
        memset(r, 0, sizeof *r);
        r->n = ns[q], r->delta = delta;
        ef_fit fit = theory_fit(th, ns[q], delta);
        r->E0 = fit.E0, r->theory = (fit.E0 - 1) * P.noise;
        // The theory averages over the whole grid, where the n training points carry the
        // interpolated labels, (n/N) sigma^2; we measure the held-out excess.  The two agree to
        // that share (0.2% of the theory at most in the default runs), but when a kernel is
        // nearly a delta on the grid that share IS the theory, and the held-out excess is ~0.
        double share = (double)ns[q] / (double)m->t->N * P.noise;
        if (delta == 0 && share > 0.5 * r->theory)
            DIE("%s n = %d: the theory's excess %.3g is mostly the (n/N) sigma^2 = %.3g that the training points "
                "contribute to its whole-grid average (the kernel is nearly a delta on the grid), while the measured "
                "excess is held-out: the two are not comparable; try a smaller --heat-t or larger --s, --length, or "
                "--grid",
                th->name, ns[q], r->theory, share);
        int trials = ns[q] <= 256 ? trials_small : trials_big;
        double *ex = XNEW(double, trials);
        int k = 0;
        for (int t = 0; t < trials && !stopped; t++) {
            double e, tr = 0;
            int info = torus_trial(m, ns[q], delta, series, t, &e, &tr);
            if (info) {
                fprintf(stderr, "%s n = %d: Cholesky failed at leading minor %d: series stopped\n", th->name, ns[q],
                        info);
                r->failed = stopped = 1;
                break;
            }
            ex[k++] = e;
            r->train_max = fmax(r->train_max, tr);
            if (delta == 0) train_check(th->name, ns[q], tr);  // f_hat(x_i) from the FFTW predictor
            progress("T3 %s n=%d trial %d/%d", th->name, ns[q], t + 1, trials);
        }
        summarise(r, ex, k);
        free(ex);
    }
}

// The FFTW checks written for the figure: for each distinct |m|^2 (one representative
// frequency), the prescribed lambda and the one recovered by the forward transform of the
// table, r2c(k)/N.
static double torus_write_spectrum(torus_model *m, const char *name) {
    circulant_torus *t = m->t;
    double err = circulant_torus_roundtrip_error(t);  // leaves r2c(k) in t->cbuf
    char fn[64];
    snprintf(fn, sizeof fn, "spectrum-%s.tsv", name);
    tsv *f = tsv_open(&C, fn, "tmp.C6a");
    tsv_note(f,
             "prescribed lambda(m) (normalised, sum = 1) and recovered r2c(k)(m)/N; D = %d, G = %d; max round-trip "
             "error %.3g",
             t->D, t->G, err);
    tsv_columns(f, "m_abs\tmult\tlam_prescribed\tlam_recovered");
    // Representative of |m|^2 = r2: the frequency (m_1, 0, ..., 0) ... is not enough for D > 1
    // (r2 = 2 needs two axes), so scan the half spectrum once and keep the first hit per r2.
    int maxr2 = t->D * (t->G / 2) * (t->G / 2);
    char *seen = XNEW(char, maxr2 + 1);
    double *mult = XNEW(double, maxr2 + 1), *lp = XNEW(double, maxr2 + 1), *lr = XNEW(double, maxr2 + 1);
    int x[8], hl = t->G / 2 + 1;
    for (size_t mi = 0; mi < t->N; mi++) {
        circulant_torus_signed_freq(t, mi, x);
        int r2 = 0;
        for (int a = 0; a < t->D; a++) r2 += x[a] * x[a];
        mult[r2] += 1;
        int xc[8];
        circulant_torus_coords(t, mi, xc);
        if (seen[r2] || xc[t->D - 1] >= hl) continue;
        size_t h = 0;
        for (int a = 0; a < t->D - 1; a++) h = h * (size_t)t->G + (size_t)xc[a];
        h = h * (size_t)hl + (size_t)xc[t->D - 1];
        seen[r2] = 1;
        lp[r2] = t->lam[mi];
        lr[r2] = t->cbuf[h][0] / (double)t->N;
    }
    // All levels for D > 1 (at most D G^2/4 of them); on the circle, every |m| up to 64 and
    // about 32 per octave beyond, to keep the table small.
    for (int r2 = 0; r2 <= maxr2; r2++) {
        if (!seen[r2]) continue;
        int mabs = (int)lround(sqrt((double)r2)), step = mabs / 32 > 1 ? mabs / 32 : 1;
        if (t->D == 1 && mabs > 64 && mabs % step) continue;
        tsv_row(f, "%.10g\t%.0f\t%.17g\t%.17g", sqrt((double)r2), mult[r2], lp[r2], lr[r2]);
    }
    tsv_close(f);
    free(seen), free(mult), free(lp), free(lr);
    return err;
}

// Circle Sobolev s = 1: lambda_m ∝ (1 + m^2/ell^2)^-1 ∝ 1/(a^2 + m^2) with a = ell.  The
// infinite sum, normalised to k(0) = 1, is cosh(a(pi - |theta|))/cosh(a pi), from
// sum_Z e^{im theta}/(a^2+m^2) = (pi/a) cosh(a(pi-|theta|))/sinh(a pi).  Truncation bound: the
// omitted frequencies carry tau = sum_{m outside (-G/2, G/2]} 1/(a^2+m^2) <= 4/(G-2); with F the
// full sum, S = sum_Z 1/(a^2+m^2) and T the omitted part,
// |(F-T)/(S-tau) - F/S| = |F tau - T S|/(S(S-tau)) <= 2 tau/(S - tau), as |F| <= S, |T| <= tau.
static void circle_closed_form(torus_model *m, double *maxerr, double *bound, int write) {
    circulant_torus *t = m->t;
    double a = m->par.ell;
    double S = M_PI / a / tanh(a * M_PI), tau = 4.0 / (t->G - 2);
    *bound = 2 * tau / (S - tau) + 1e-13;  // + rounding of the 2^16-point transform
    *maxerr = 0;
    tsv *f = write ? tsv_open(&C, "kernel-circle.tsv", "tmp.C6a") : NULL;
    if (f) {
        tsv_note(f,
                 "circle G = %d, Sobolev s = 1, ell = %g: FFTW table k(theta) vs closed form "
                 "cosh(a(pi-|theta|))/cosh(a pi), a = 1/ell",
                 t->G, m->par.ell);
        tsv_columns(f, "theta\tk_table\tk_closed");
    }
    int stride = t->G / 512 > 0 ? t->G / 512 : 1;
    for (int j = 0; j < t->G; j++) {
        double th = 2 * M_PI * (j <= t->G / 2 ? j : j - t->G) / t->G;
        double kc = cosh(a * (M_PI - fabs(th))) / cosh(a * M_PI);
        *maxerr = fmax(*maxerr, fabs(t->k[j] - kc));
        if (f && j % stride == 0 && j <= t->G / 2) tsv_row(f, "%.10g\t%.17g\t%.17g", th, t->k[j], kc);
    }
    if (f) tsv_close(f);
}

// the sorted prescribed spectrum.  Returns the max deviation / max lambda.
static double torus_dense_check(void) {
    torus_model m;
    torus_model_init(&m, 1, 256, 1, 1, 1, 0);
    size_t N = m.t->N, *idx = XNEW(size_t, N);
    for (size_t i = 0; i < N; i++) idx[i] = i;
    double *K = XNEW(double, N *N), *w = XNEW(double, N), *lam = XNEW(double, N), dev = 0, lmax = 0;
    if (circulant_torus_gram(m.t, N, idx, K)) DIE("circulant_torus_gram: %s", sim_last_error());
    if (la_eigh((int)N, K, w, 0)) DIE("dsyevd failed on the 256-point circle Gram matrix");
    memcpy(lam, m.t->lam, N * sizeof *lam);
    qsort(lam, N, sizeof *lam, cmp_dbl);
    for (size_t i = 0; i < N; i++) dev = fmax(dev, fabs(w[i] / N - lam[i])), lmax = fmax(lmax, lam[i]);
    free(idx), free(K), free(w), free(lam);
    circulant_torus_free(m.t);
    return dev / lmax;
}

// T3: prescribed spectra on the torus and the circle.
static void run_T3(const config *cf) {
    int D = cf->tor_D, G = cf->tor_G;
    torus_model ms, mh, mc;
    torus_model_init(&ms, D, G, 1, cf->tor_s, 1, 0);
    if (!cf->quick) torus_model_init(&mh, D, G, 0, 0, 0, 2);
    torus_model_init(&mc, 1, cf->circ_G, 1, 1, 1, 0);

    // tmp.C6a: the FFTW construction, exact checks.
    double lmax_s = 0, lmax_h = 0, lmax_c = 0;
    for (size_t i = 0; i < ms.t->N; i++) lmax_s = fmax(lmax_s, ms.t->lam[i]);
    for (size_t i = 0; i < mc.t->N; i++) lmax_c = fmax(lmax_c, mc.t->lam[i]);
    double rt = torus_write_spectrum(&ms, "torus-sobolev") / lmax_s;
    rt = fmax(rt, torus_write_spectrum(&mc, "circle-sobolev") / lmax_c);
    double k0dev = fabs(ms.t->k[0] - 1);
    if (!cf->quick) {
        for (size_t i = 0; i < mh.t->N; i++) lmax_h = fmax(lmax_h, mh.t->lam[i]);
        rt = fmax(rt, torus_write_spectrum(&mh, "torus-heat") / lmax_h);
        k0dev = fmax(k0dev, fabs(mh.t->k[0] - 1));
    }
    double cerr, cbound;
    circle_closed_form(&mc, &cerr, &cbound, 1);
    double dense = torus_dense_check();
    char what[600];
    snprintf(what, sizeof what,
             "FFTW: round trip %.2g max lam (<= 1e-14); circle vs cosh closed form %.2g (bound %.2g); dense dsyevd G "
             "256 %.2g max lam (<= 1e-13); |k(0) - 1| %.1g; max lam sobolev %.4g heat %.4g circle %.5g: worst ratio to "
             "tolerance",
             rt, cerr, cbound, dense, k0dev, lmax_s, lmax_h, lmax_c);
    double worst = fmax(fmax(rt / 1e-14, cerr / cbound), fmax(dense / 1e-13, k0dev / 1e-13));
    claim_check("tmp.C6a", CLAIM_IDENTITY, worst <= 1, what, worst, "1");

    // Theory from all N modes, grouped into levels.
    theory_spec ts, th, tc;
    theory_torus(&ts, &ms, "torus-sobolev");
    theory_torus(&tc, &mc, "circle-sobolev");
    excess_row rs[6], rh[6], rc[6];
    torus_series(&ms, &ts, 0, cf->tor_n, cf->n_tor, cf->tor_trials, cf->tor_trials_small, 1, rs);
    char desc[160];
    snprintf(desc, sizeof desc,
             "torus Z_%d^%d, Sobolev s = %d, ell = 1 (alpha = 2s/D = %g), exact held-out excess on the whole grid", G,
             D, cf->tor_s, 2.0 * cf->tor_s / D);
    write_excess("torus-sobolev", "tmp.C6b", desc, rs, cf->n_tor);
    if (!cf->quick) write_theory_curve(&ts, "torus-sobolev", 0, 32, 4096, 30, "tmp.C6b");
    double wr = 0, rlo = INFINITY, rhi = -INFINITY;
    for (int j = 0; j < cf->n_tor; j++) {
        double r = rs[j].mean / rs[j].theory;
        wr = fmax(wr, fabs(r - 1)), rlo = fmin(rlo, r), rhi = fmax(rhi, r);
    }
    if (cf->quick) {
        claim_skip("tmp.C6c", CLAIM_EXPERIMENT, "not run at --quick");
        claim_skip("tmp.C6e", CLAIM_DEVIATION, "not run at --quick");
        snprintf(what, sizeof what, "T^3 G 16 sobolev s 3 (alpha 2): excess/theory in [%.3f, %.3f] at n 64, 256; worst",
                 rlo, rhi);
        claim_check("tmp.C6b", CLAIM_EXPERIMENT, rlo >= 0.70 && rhi <= 1.15, what,
                    fabs(rlo - 1) > fabs(rhi - 1) ? rlo : rhi, "[0.70, 1.15] (quick: coarse grid biases ~10% low)");
    } else {
        snprintf(what, sizeof what,
                 "T^4 sobolev (alpha 2): excess/theory in [%.3f, %.3f] over n 64-2048; max |ratio - 1|", rlo, rhi);
        claim_check("tmp.C6b", CLAIM_EXPERIMENT, wr <= 0.12, what, wr, "0.12");

        theory_torus(&th, &mh, "torus-heat");
        torus_series(&mh, &th, 0, cf->tor_n, cf->n_tor, cf->tor_trials, cf->tor_trials_small, 2, rh);
        write_excess("torus-heat", "tmp.C6c",
                     "torus Z_32^4, heat t = 2 (faster than any power: catastrophic), exact held-out excess", rh,
                     cf->n_tor);
        write_theory_curve(&th, "torus-heat", 0, 32, 4096, 30, "tmp.C6c");
        double hlo = INFINITY, hhi = -INFINITY;
        for (int j = 0; j < cf->n_tor; j++)
            if (rh[j].n <= 512) hlo = fmin(hlo, rh[j].mean / rh[j].theory), hhi = fmax(hhi, rh[j].mean / rh[j].theory);
        double grow = rh[5].mean / rh[2].mean;
        snprintf(what, sizeof what,
                 "T^4 heat: excess/theory in [%.3f, %.3f] for n <= 512 (tolerance [0.9, 1.15]); "
                 "excess(2048)/excess(256) (theory %.2f)",
                 hlo, hhi, rh[5].theory / rh[2].theory);
        claim_check("tmp.C6c", CLAIM_EXPERIMENT, hlo >= 0.9 && hhi <= 1.15 && grow >= 4, what, grow, ">= 4");
        // tmp.C6f: the Gaussian-design control with the exact torus spectrum (all N = 2^20 modes
        // in their levels; the first P = 4n explicit, the rest as ridge) follows the theory.
        excess_row rk[3];
        {
            int nk = cf->n_ctl_tor;
            mode_list mk = modes_of(&th.s, (size_t)cf->ctl_tor_P_factor * (size_t)cf->ctl_tor_n[nk - 1]);
            control_series(&mk, &th, "design-torus-heat", cf->ctl_tor_n, nk, cf->ctl_tor_trials, cf->ctl_tor_P_factor,
                           2, rk);
            modes_free(&mk);
            write_excess("design-torus-heat", "tmp.C6f tmp.C6e",
                         "Gaussian design with the T^4 heat-kernel spectrum (G = 32, t = 2): all 2^20 modes, P = 4n "
                         "explicit, the rest as ridge; ridgeless",
                         rk, nk);
            check_control("tmp.C6f", "T^4 heat", rk, nk);
        }
        // tmp.C6e (deviation): the universality gap on the torus.  Beyond n = 512 the torus's
        // excess outgrows the theory (1.18 at n = 1024, 1.34 at 2048), while the Gaussian design
        // with the same spectrum stays on it with no trend (tmp.C6f; 0.98-1.02 over n = 256-1024):
        // the Fourier modes of the torus are not Gaussian features, as the harmonics of the sphere
        // are not (tmp.C5c).  The control stops at n = 1024 (n = 2048 needs P = 8192 modes, ~1.5 s
        // per trial), so the gap is asserted at n = 2048 against the control's pooled ratio
        // (every trial of every size: it has no trend): torus/control >= 1.15 and the difference
        // more than 3 combined standard errors.  At n = 1024 alone the gap is ~1.17, ~3.5 se:
        // printed, not asserted.
        {
            int nk = cf->n_ctl_tor, j = cf->n_tor - 1;
            double sw = 0, swr = 0;
            for (int k = 0; k < nk; k++) {
                double se = rk[k].se / rk[k].theory, w = 1 / (se * se);
                sw += w, swr += w * rk[k].mean / rk[k].theory;
            }
            double c = swr / sw, cse = 1 / sqrt(sw), r = rh[j].mean / rh[j].theory, rse = rh[j].se / rh[j].theory;
            double r4 = rh[4].mean / rh[4].theory, c4 = rk[nk - 1].mean / rk[nk - 1].theory;
            snprintf(what, sizeof what,
                     "T^4 heat, mean excess/theory: torus n 1024 %.3f (design %.3f), n 2048 %.3f +- %.3f; design "
                     "pooled over n %d-%d "
                     "%.3f +- %.3f; (torus - design) %.1f se; universality gap torus(2048)/design",
                     r4, c4, r, rse, rk[0].n, rk[nk - 1].n, c, cse, (r - c) / hypot(rse, cse));
            claim_check("tmp.C6e", CLAIM_DEVIATION, r / c >= 1.15 && r - c > 3 * hypot(rse, cse), what, r / c,
                        ">= 1.15, and more than 3 se");
        }
        theory_free(&th);
        circulant_torus_free(mh.t);
    }

    // tmp.C6d: the circle, where the theory is quantitatively wrong: excess -> (2/3) sigma^2.
    torus_series(&mc, &tc, 0, cf->circ_n, cf->n_circ, cf->tor_trials, cf->tor_trials_small, 3, rc);
    snprintf(desc, sizeof desc,
             "circle Z_%d, Sobolev s = 1, ell = 1 (alpha = 2); 1-D: excess -> (2/3) sigma^2, not the theory's sigma^2",
             cf->circ_G);
    write_excess("circle-sobolev", "tmp.C6d", desc, rc, cf->n_circ);
    if (!cf->quick) write_theory_curve(&tc, "circle-sobolev", 0, 32, 4096, 30, "tmp.C6d");
    double elo = INFINITY, ehi = -INFINITY, tlo = INFINITY, thi = -INFINITY;
    for (int j = 0; j < cf->n_circ; j++) {
        if (rc[j].n < 256) continue;
        double e = rc[j].mean / P.noise, t = rc[j].theory / P.noise;
        elo = fmin(elo, e), ehi = fmax(ehi, e), tlo = fmin(tlo, t), thi = fmax(thi, t);
    }
    if (cf->quick) {
        snprintf(what, sizeof what, "circle G 4096, n 256: excess/sigma^2 (theory E0-1 = %.3f)", tlo);
        claim_check("tmp.C6d", CLAIM_DEVIATION, in(elo, 0.55, 0.78), what, elo,
                    "[0.55, 0.78] (quick; 1-D deviation from theory, as predicted)");
    } else {
        snprintf(what, sizeof what,
                 "circle n 256-2048: excess/sigma^2 in [%.3f, %.3f] while theory E0-1 in [%.3f, %.3f] (tolerance "
                 "[0.99, 1.03]); excess/sigma^2 farthest from 2/3",
                 elo, ehi, tlo, thi);
        int ok = elo >= 0.60 && ehi <= 0.74 && tlo >= 0.99 && thi <= 1.03;
        claim_check("tmp.C6d", CLAIM_DEVIATION, ok, what, fabs(elo - 2.0 / 3) > fabs(ehi - 2.0 / 3) ? elo : ehi,
                    "[0.60, 0.74]; 1-D deviation from theory, as predicted");
    }
    theory_free(&ts);
    theory_free(&tc);
    circulant_torus_free(ms.t);
    circulant_torus_free(mc.t);
}
