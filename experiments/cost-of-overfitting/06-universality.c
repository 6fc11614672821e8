// ---- Z6: the bound where Gaussian universality fails (simulation on real domains) ----
// Theorem 1 bounds the PREDICTED cost, which rests on the Gaussian-design ansatz.  On structured
// domains in low dimension the ansatz itself errs for fast-decaying spectra: ridgeless KRR
// amplifies noise by more than E0 predicts (the Gaussian kernel on $S^4$, the heat kernel on
// $T^4$) or by less (the circle, where linear-like interpolation gives $\frac23$ of the predicted
// excess).  Here KRR runs on the domains themselves, and the measured cost
//   $C_{emp} = \bar R(0)/\min(\min_\delta \bar R(\delta), \|f\|^2 + \sigma^2)$  (trial-averaged risk curves)
// is set against the theory's bound $E_0$, for pure noise ($\sigma^2 = 1$: then $C = 1 +$ excess) and
// for a two-component target with $\sigma^2 = 0.1$:
//   - $S^4$ in $\mathbb R^5$, $K = e^{-\|x-x'\|^2}$; levels by the Bessel closed form (common/spectra);
//     target $f = (\sqrt{N_1}P_1 + \sqrt{N_3}P_3)(\langle x, e_1\rangle)/\sqrt2$ (unit norm, levels 1 and 3);
//   - $T^4 = \mathbb Z_{32}^4$, heat kernel $\lambda(m) \propto e^{-|m|^2/4}$ (t = 2), and the circle
//     $\mathbb Z_{65536}$, Sobolev $\lambda(m) \propto (1+m^2)^{-1}$ (common/circulant, spectrum
//     normalised to $K(x,x) = 1$); target $f = \cos(2\pi m_1\cdot x/G) + \cos(2\pi m_2\cdot x/G)$
//     (unit norm; $m_1, m_2$ = (0,0,0,1), (0,0,1,2) on $T^4$, 1 and 5 on the circle).
// Training points uniform on the domain (grid points without replacement on the torus), 2000
// uniform test points; one dsyevd per trial serves 40 ridges in [1e-6, 1e3], delta = 0 and
// delta -> inf (krr_sweep; labels f and the noise as two right-hand sides, combined by
// linearity).  The theory uses the same spectrum with its multiplicities (sphere: levels to
// k = 60, the rest of the mass as ridge; torus: all N modes, grouped into levels).
#define Z6_NR 40
#define Z6_NT 2000

typedef struct {
    const char *name;
    int sphere;            // 1: S^{d-1} with the Gaussian kernel; 0: the discrete torus Z_G^D
    int d;                 // sphere: ambient dimension; torus: D
    int G;                 // torus points per side
    int ns[2], trials[2];  // sample sizes and their trials
} z6_setting;

typedef struct {
    circulant_torus *t;       // torus
    kernel_spec ks;           // sphere
    size_t L;                 // levels of the theory spectrum
    double *lam, *mult, *v2;  // (L)
    double mass_tail;         // sphere: mass beyond the explicit levels (ridge)
    size_t m1, m2;            // torus: frequency indices of the target
    int k1, k3;               // sphere: the target's levels
} z6_domain;

static void z6_domain_init(const z6_setting *st, z6_domain *dm) {
    memset(dm, 0, sizeof *dm);
    if (st->sphere) {
        char err[200];
        if (kernel_spec_parse(&dm->ks, "gaussian", 1 / sqrt(2.0), 1, 1, 0, err, sizeof err)) DIE("%s", err);
        int kmax = 60;
        dm->L = kmax + 1;
        dm->lam = XNEW(double, dm->L), dm->mult = XNEW(double, dm->L), dm->v2 = XNEW(double, dm->L);
        double mass = 0;
        for (int k = 0; k <= kmax; k++) {
            dm->lam[k] = spectra_sphere_gaussian(st->d, k, 2.0), dm->mult[k] = spectra_sphere_multiplicity(st->d, k);
            mass += dm->lam[k] * dm->mult[k];
        }
        dm->mass_tail = fmax(0, 1 - mass);
        dm->k1 = 1, dm->k3 = 3;
        dm->v2[1] = dm->v2[3] = 0.5;
        return;
    }
    dm->t = MUST(circulant_torus_alloc(st->d, st->G));
    circulant_radial par = {.s = 1, .ell = 1, .t = 2};
    if (circulant_torus_set_spectrum(dm->t, st->d == 1 ? circulant_sobolev : circulant_heat, &par, 1, NULL))
        DIE("circulant_torus_set_spectrum failed (D = %d, G = %d)", st->d, st->G);
    // target frequencies (row-major: the last coordinate runs fastest)
    dm->m1 = 1, dm->m2 = st->d == 1 ? 5 : (size_t)st->G + 2;
    dm->lam = XNEW(double, dm->t->N), dm->mult = XNEW(double, dm->t->N);
    dm->L = circulant_torus_levels(dm->t, dm->lam, dm->mult);
    dm->v2 = XNEW(double, dm->L);
    for (size_t l = 0; l < dm->L; l++) {  // cos(m.x) puts 1/4 on m and on -m, which share a level
        if (dm->lam[l] == dm->t->lam[dm->m1]) dm->v2[l] += 0.5;
        if (dm->lam[l] == dm->t->lam[dm->m2]) dm->v2[l] += 0.5;
    }
}
static void z6_domain_free(z6_domain *dm) {
    if (dm->t) circulant_torus_free(dm->t);
    free(dm->lam), free(dm->mult), free(dm->v2);
}

// The target at a sphere point x (unit vector in R^d) or at torus grid index p.
static double z6_target_sphere(const z6_domain *dm, int d, const double *x) {
    double Pk[4];
    spectra_gegenbauer(d, 3, x[0], Pk);
    return (sqrt(spectra_sphere_multiplicity(d, dm->k1)) * Pk[1] +
            sqrt(spectra_sphere_multiplicity(d, dm->k3)) * Pk[3]) /
           sqrt(2.0);
}
static double z6_target_torus(const z6_domain *dm, size_t p) {
    int x[8], a[8], b[8];
    circulant_torus_coords(dm->t, p, x);
    circulant_torus_signed_freq(dm->t, dm->m1, a);
    circulant_torus_signed_freq(dm->t, dm->m2, b);
    double pa = 0, pb = 0;
    for (int i = 0; i < dm->t->D; i++) pa += (double)a[i] * x[i], pb += (double)b[i] * x[i];
    return cos(2 * M_PI * pa / dm->t->G) + cos(2 * M_PI * pb / dm->t->G);
}

typedef struct {
    double E0, C_th_target;      // theory: ridgeless E0 (= C for pure noise) and C for the target
    double C_noise, C_target;    // measured
    double se_noise, se_target;  // bootstrap standard errors (half the 68% interval)
    double R0_noise_se;
} z6_out;

// One (domain, n): trials of KRR, trial-averaged risk curves, empirical costs with a bootstrap.
static void z6_run(const z6_setting *st, z6_domain *dm, int n, int trials, int stream, z6_out *o) {
    int nt = Z6_NT, d = st->d, NR = Z6_NR + 2;  // 0: delta = 0, 1..Z6_NR: grid, then delta -> inf
    double s2n = 1.0, s2t = 0.1;                // noise of the pure-noise and of the target series
    double *deltas = XNEW(double, NR);
    deltas[0] = 0;
    for (int r = 0; r < Z6_NR; r++) deltas[1 + r] = 1e-6 * pow(1e9, r / (Z6_NR - 1.0));
    deltas[NR - 1] = INFINITY;
    double *Rn = XNEW(double, (size_t)trials *NR), *Rt = XNEW(double, (size_t)trials *NR);
    double *X = st->sphere ? XNEW(double, (size_t)n *d) : NULL, *Xt = st->sphere ? XNEW(double, (size_t)nt *d) : NULL;
    size_t *idx = XNEW(size_t, n), *tidx = XNEW(size_t, nt);
    double *K = XNEW(double, (size_t)n *n), *Ktd = XNEW(double, (size_t)nt *n), *Y = XNEW(double, (size_t)n * 2);
    double *ft = XNEW(double, nt), *pred = XNEW(double, (size_t)nt * 2);
    krr_sweep *sw = MUST(krr_sweep_alloc(n, nt, 2));
    gsl_rng *rg = MUST(rng_alloc(C.seed, stream));
    for (int tr = 0; tr < trials; tr++) {
        if (st->sphere) {
            for (int i = 0; i < n; i++) rng_sphere(rg, d, X + (size_t)i * d);
            for (int i = 0; i < nt; i++) rng_sphere(rg, d, Xt + (size_t)i * d);
            if (kernel_gram_sym(&dm->ks, n, d, X, K)) DIE("kernel_gram_sym: %s", sim_last_error());
            if (kernel_gram(&dm->ks, nt, n, d, Xt, X, Ktd)) DIE("kernel_gram: %s", sim_last_error());
            for (int i = 0; i < n; i++) Y[2 * i] = z6_target_sphere(dm, d, X + (size_t)i * d);
            for (int i = 0; i < nt; i++) ft[i] = z6_target_sphere(dm, d, Xt + (size_t)i * d);
        } else {
            if (rng_subset(rg, dm->t->N, (size_t)n, idx)) DIE("rng_subset: %s", sim_last_error());
            for (int i = 0; i < nt; i++) tidx[i] = (size_t)gsl_rng_uniform_int(rg, dm->t->N);
            if (circulant_torus_gram(dm->t, (size_t)n, idx, K)) DIE("circulant_torus_gram: %s", sim_last_error());
            for (int i = 0; i < nt; i++)
                for (int j = 0; j < n; j++)
                    Ktd[(size_t)i * n + j] = dm->t->k[circulant_torus_diff(dm->t, tidx[i], idx[j])];
            for (int i = 0; i < n; i++) Y[2 * i] = z6_target_torus(dm, idx[i]);
            for (int i = 0; i < nt; i++) ft[i] = z6_target_torus(dm, tidx[i]);
        }
        for (int i = 0; i < n; i++) Y[2 * i + 1] = rng_normal(rg);  // the noise, unit variance
        int info = krr_sweep_prepare(sw, K, Y, Ktd);
        if (info) DIE("Z6 %s n = %d: dsyevd failed (info %d)", st->name, n, info);
        for (int r = 0; r < NR; r++) {
            double *rn = Rn + (size_t)tr * NR + r, *rt = Rt + (size_t)tr * NR + r;
            if (isinf(deltas[r])) {
                *rn = s2n, *rt = 1 + s2t;  // the zero predictor: ||f||^2 = 1 exactly
                continue;
            }
            if (krr_sweep_eval(sw, deltas[r], NULL, NULL, pred))
                DIE("Z6 %s n = %d: the Gram matrix is not positive definite at delta = %g (smallest eigenvalue %.3g)",
                    st->name, n, deltas[r], sw->w[0]);
            double a = 0, b = 0, sn = sqrt(s2n), st_ = sqrt(s2t);
            for (int i = 0; i < nt; i++) {
                double en = sn * pred[2 * i + 1], et = pred[2 * i] + st_ * pred[2 * i + 1] - ft[i];
                a += en * en, b += et * et;
            }
            *rn = a / nt + s2n, *rt = b / nt + s2t;
        }
        progress("Z6 %s n = %d: trial %d/%d", st->name, n, tr + 1, trials);
    }
    // theory on the domain's spectrum
    ef_spectrum sp = {.M = dm->L, .lam = dm->lam, .mult = dm->mult, .extra_ridge = dm->mass_tail};
    task t = {.s = &sp, .n = n, .v2 = dm->v2, .v2sum = 1.0};
    rgrid g;
    grid_fill(&t, 200, &g);
    double E0, B0;
    ridgeless(&t, &E0, &B0);
    cost_th ct;
    cost_theory(&t, &g, 0, E0, B0, s2t, 1e-8, &ct);
    grid_free(&g);
    o->E0 = E0, o->C_th_target = ct.C;
    // empirical costs from trial-averaged curves, bootstrap over trials
    gsl_rng *rb = MUST(rng_alloc(C.seed, stream + 50));
    double *mn = XNEW(double, NR), *mt = XNEW(double, NR), bn[200], bt[200];
    size_t *pick = XNEW(size_t, trials);
    for (int b = -1; b < 200; b++) {
        for (int tr = 0; tr < trials; tr++) pick[tr] = b < 0 ? (size_t)tr : gsl_rng_uniform_int(rb, trials);
        for (int r = 0; r < NR; r++) {
            mn[r] = mt[r] = 0;
            for (int tr = 0; tr < trials; tr++)
                mn[r] += Rn[pick[tr] * NR + r] / trials, mt[r] += Rt[pick[tr] * NR + r] / trials;
        }
        double minn = INFINITY, mint = INFINITY;
        for (int r = 0; r < NR; r++) minn = fmin(minn, mn[r]), mint = fmin(mint, mt[r]);
        if (b < 0) o->C_noise = mn[0] / minn, o->C_target = mt[0] / mint;
        else bn[b] = mn[0] / minn, bt[b] = mt[0] / mint;
    }
    o->se_noise = 0.5 * (fit_quantile(bn, 200, 0.84) - fit_quantile(bn, 200, 0.16));
    o->se_target = 0.5 * (fit_quantile(bt, 200, 0.84) - fit_quantile(bt, 200, 0.16));
    rng_free(rg), rng_free(rb);
    krr_sweep_free(sw);
    free(deltas), free(Rn), free(Rt), free(X), free(Xt), free(idx), free(tidx), free(K), free(Ktd), free(Y), free(ft),
        free(pred), free(mn), free(mt), free(pick);
}

typedef struct {
    double ratio_sphere, ratio_circle, ratio_torus;  // C_noise/E0 at the largest n of each domain
    double se_sphere, se_circle, se_torus;
    double worst_order;  // max over (domain, n) of (C_target - C_noise)/se
    int ok_order;
} z6_result;

static void z6_universality(int quick, z6_result *res) {
    z6_setting sets[3] = {
        {.name = "sphere S^4", .sphere = 1, .d = 5, .ns = {128, 512}, .trials = {16, 16}},
        {.name = "torus T^4", .sphere = 0, .d = 4, .G = 32, .ns = {256, 1024}, .trials = {6, 3}},
        {.name = "circle", .sphere = 0, .d = 1, .G = 65536, .ns = {256, 1024}, .trials = {10, 4}},
    };
    if (quick) {
        sets[0].ns[0] = 64, sets[0].ns[1] = 256, sets[0].trials[0] = 3, sets[0].trials[1] = 2;
        sets[1].G = 16, sets[1].ns[0] = 128, sets[1].ns[1] = 256, sets[1].trials[0] = 2, sets[1].trials[1] = 2;
        sets[2].G = 16384, sets[2].ns[0] = 128, sets[2].ns[1] = 256, sets[2].trials[0] = 3, sets[2].trials[1] = 2;
    }
    tsv *T = tsv_open(&C, "z6_universality.tsv", "cost.C8");
    tsv_note(T,
             "Z6: KRR on the domains themselves; noise: pure noise sigma^2 = 1 (C = 1 + excess); target: two "
             "components, sigma^2 = 0.1");
    tsv_note(T,
             "E0: the theory's ridgeless overfitting coefficient = Theorem 1's bound; C_th_target: predicted cost of "
             "the target");
    tsv_note(T,
             "C_noise, C_target: measured costs from trial-averaged risk curves (%d test points), se: half the 68%% "
             "bootstrap interval",
             Z6_NT);
    tsv_columns(T, "x\tdomain\tn\ttrials\tE0\tC_noise\tse_noise\tC_th_target\tC_target\tse_target");
    res->worst_order = -INFINITY, res->ok_order = 1;
    int x = 0;
    for (int q = 0; q < 3; q++) {
        z6_domain dm;
        z6_domain_init(&sets[q], &dm);
        for (int j = 0; j < 2; j++) {
            z6_out o;
            z6_run(&sets[q], &dm, sets[q].ns[j], sets[q].trials[j], STREAM_Z6 + 10 * q + j, &o);
            tsv_row(T, "%d\t%s\t%d\t%d\t%.8g\t%.8g\t%.4g\t%.8g\t%.8g\t%.4g", ++x, sets[q].name, sets[q].ns[j],
                    sets[q].trials[j], o.E0, o.C_noise, o.se_noise, o.C_th_target, o.C_target, o.se_target);
            fprintf(stderr,
                    "Z6 %-10s n=%5d: E0 = %.4f | pure noise C = %.4f +- %.4f (C/E0 = %.3f) | target C_th = %.4f, C = "
                    "%.4f +- %.4f\n",
                    sets[q].name, sets[q].ns[j], o.E0, o.C_noise, o.se_noise, o.C_noise / o.E0, o.C_th_target,
                    o.C_target, o.se_target);
            // the measured worst case over targets is still pure noise: C_target <= C_noise
            double z = (o.C_target - o.C_noise) / sqrt(o.se_noise * o.se_noise + o.se_target * o.se_target);
            res->worst_order = fmax(res->worst_order, z);
            if (z > 2) res->ok_order = 0;
            if (j == 1) {
                double rr = o.C_noise / o.E0, se = o.se_noise / o.E0;
                if (q == 0) res->ratio_sphere = rr, res->se_sphere = se;
                if (q == 1) res->ratio_torus = rr, res->se_torus = se;
                if (q == 2) res->ratio_circle = rr, res->se_circle = se;
            }
        }
        z6_domain_free(&dm);
    }
    tsv_close(T);
}

static void part_z6(int quick) {
    z6_result r = {0};
    z6_universality(quick, &r);
    char what[240];
    snprintf(
        what, sizeof what,
        "Gaussian kernel on S^4, largest n: measured pure-noise cost / E0 (+- %.2f); heat kernel on T^4: %.3f +- %.3f",
        r.se_sphere, r.ratio_torus, r.se_torus);
    if (quick) {  // n <= 256 with 2-3 trials cannot resolve the deviations
        claim_skip("cost.C8a", CLAIM_DEVIATION, "--quick: sizes too small to resolve the deviation");
        claim_skip("cost.C8b", CLAIM_DEVIATION, "--quick: sizes too small to resolve the deviation");
    } else {
        claim_check("cost.C8a", CLAIM_DEVIATION, r.ratio_sphere - 3 * r.se_sphere > 1.05, what, r.ratio_sphere,
                    "> 1.05 by 3 se: the bound C <= E0 fails where universality fails");
        snprintf(what, sizeof what, "circle, largest n: measured pure-noise cost / E0 (+- %.3f)", r.se_circle);
        claim_check("cost.C8b", CLAIM_DEVIATION, r.ratio_circle + 3 * r.se_circle < 1, what, r.ratio_circle,
                    "< 1 by 3 se: the circle overfits less than E0 predicts");
    }
    claim_check("cost.C8c", CLAIM_EXPERIMENT, r.ok_order,
                "max over (domain, n) of (C_target - C_noise) / se: pure noise stays the worst case on every domain",
                r.worst_order, "<= 2 se");
}
