// ---- Z3: simulation with a Gaussian design ----
// $x_j = \sqrt{\lambda_j} g_j$, $j \le P = 16n$; target $f = \sum_j v_j g_j$ (normalised over the
// P modes); kernel $K = XX^\top + T I$ with the tail mass $T = \zeta(\alpha, P+1)$ as ridge
// (its eigenvalues are too small to resolve, they act as a ridge).  One dsyevd $K = U\,\mathrm{diag}(s)\,U^\top$ per
// trial; for every ridge the coefficients are $w = X^\top U\,\mathrm{diag}(1/(s+\delta))\,U^\top y$ and the population
// risk is exact: $R = \sum_j (\sqrt{\lambda_j} w_j - v_j)^2 + \sigma^2$.

typedef struct {
    char name[32];        // an id for the table; the figure labels instances by beta, sigma^2, n
    double beta, sigma2;  // beta = 0: pure noise
    int n, trials;
} z3_inst;

#define Z3_NR 50  // ridges in [1e-6, 10], plus delta = 0 and delta -> inf

typedef struct {
    double C_th, C_emp, lo, hi, E0;
    double R0_th, Rmin_th, R0_emp, Rmin_emp, R0_se;  // the two sides of C, theory and experiment
} z3_out;

// Runs every instance of one n together (they share the design and the noise draw).
static void run_z3_group(const z3_inst *in, int ni, z3_out *out, int stream) {
    int n = in[0].n, trials = in[0].trials, nf = P.P_factor * n;
    double T = gsl_sf_hzeta(P.alpha, nf + 1.0);
    double *lam = powerlaw(nf, P.alpha, 0), *sl = XNEW(double, nf);
    for (int j = 0; j < nf; j++) sl[j] = sqrt(lam[j]);
    double **v = XNEW(double *, ni), *v2sum = XNEW(double, ni);
    for (int q = 0; q < ni; q++) {
        v[q] = XNEW(double, nf);
        if (in[q].beta > 0) {
            double *w2 = powerlaw(nf, in[q].beta, 1);
            for (int j = 0; j < nf; j++) v[q][j] = sqrt(w2[j]);
            free(w2);
            v2sum[q] = 1;
        }
    }
    int NR = Z3_NR + 2;  // index 0: delta = 0, 1..50 the grid, 51: delta -> inf
    double *deltas = XNEW(double, NR);
    deltas[0] = 0;
    for (int r = 0; r < Z3_NR; r++) deltas[1 + r] = 1e-6 * pow(1e7, r / (Z3_NR - 1.0));
    deltas[NR - 1] = INFINITY;
    double *Rt = XNEW(double, (size_t)ni *trials *NR);  // risk[q][trial][r]
    double *G = XNEW(double, (size_t)n *nf), *X = XNEW(double, (size_t)n *nf), *K = XNEW(double, (size_t)n *n);
    double *s = XNEW(double, n), *A = XNEW(double, (size_t)nf *n), *xi = XNEW(double, n);
    double *y = XNEW(double, n), *cy = XNEW(double, n), *Ac = XNEW(double, (size_t)n *(NR - 1)),
           *Wm = XNEW(double, (size_t)nf *(NR - 1));
    gsl_rng *rg = MUST(rng_alloc(C.seed, stream));
    for (int tr = 0; tr < trials; tr++) {
        rng_normal_vec(rg, (size_t)n * nf, G);  // G (n,nf)
        rng_normal_vec(rg, n, xi);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < nf; j++) X[(size_t)i * nf + j] = sl[j] * G[(size_t)i * nf + j];
        // K = X X^T + T I  (n,n)
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, nf, 1.0, X, nf, 0.0, K, n);
        for (int i = 0; i < n; i++) {
            K[(size_t)i * n + i] += T;
            for (int j = i + 1; j < n; j++) K[(size_t)i * n + j] = K[(size_t)j * n + i];
        }
        int info = la_eigh(n, K, s, 1);  // K <- U (n,n), s ascending
        if (info) DIE("Z3: dsyevd failed (info %d) at n = %d", info, n);
        // A = X^T U  (nf,n)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nf, n, n, 1.0, X, nf, K, n, 0.0, A, n);
        for (int q = 0; q < ni; q++) {
            // labels y = G v + sigma xi
            cblas_dgemv(CblasRowMajor, CblasNoTrans, n, nf, 1.0, G, nf, v[q], 1, 0.0, y, 1);
            for (int i = 0; i < n; i++) y[i] += sqrt(in[q].sigma2) * xi[i];
            cblas_dgemv(CblasRowMajor, CblasTrans, n, n, 1.0, K, n, y, 1, 0.0, cy, 1);  // U^T y
            // every finite ridge at once: Ac (n,NR-1) = diag(1/(s+delta_r)) U^T y, Wm = A Ac (nf,NR-1),
            // one GEMM instead of NR-1 passes of GEMV over the (nf,n) matrix A
            for (int i = 0; i < n; i++)
                for (int r = 0; r < NR - 1; r++) Ac[(size_t)i * (NR - 1) + r] = cy[i] / (s[i] + deltas[r]);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nf, NR - 1, n, 1.0, A, n, Ac, NR - 1, 0.0, Wm,
                        NR - 1);
            for (int r = 0; r < NR; r++) {
                double R;
                if (isinf(deltas[r])) R = v2sum[q] + in[q].sigma2;
                else {
                    R = in[q].sigma2;
                    for (int j = 0; j < nf; j++) {
                        double e = sl[j] * Wm[(size_t)j * (NR - 1) + r] - v[q][j];
                        R += e * e;
                    }
                }
                Rt[((size_t)q * trials + tr) * NR + r] = R;
            }
        }
        progress("Z3 n = %d: trial %d/%d", n, tr + 1, trials);
    }
    // theory on the same nf-mode spectrum + tail ridge
    ef_spectrum sp = {.M = (size_t)nf, .lam = lam, .extra_ridge = T};
    gsl_rng *rb = MUST(rng_alloc(C.seed, stream + 100));
    double *mean = XNEW(double, NR), *boot = XNEW(double, 200);
    size_t *pick = XNEW(size_t, trials);
    for (int q = 0; q < ni; q++) {
        double *v2 = XNEW(double, nf);
        for (int j = 0; j < nf; j++) v2[j] = v[q][j] * v[q][j];
        task t = {.s = &sp, .n = n, .v2 = in[q].beta > 0 ? v2 : NULL, .v2sum = v2sum[q]};
        rgrid g;
        grid_fill(&t, 200, &g);
        double E0, B0;
        ridgeless(&t, &E0, &B0);
        if (!t.v2) B0 = 0;
        cost_th o;
        cost_theory(&t, &g, 0, E0, B0, in[q].sigma2, 1e-8, &o);
        grid_free(&g);
        // empirical cost from trial-AVERAGED risk curves (per-trial minima are biased low)
        for (int b = -1; b < 200; b++) {
            for (int tr = 0; tr < trials; tr++) pick[tr] = b < 0 ? (size_t)tr : gsl_rng_uniform_int(rb, trials);
            for (int r = 0; r < NR; r++) {
                mean[r] = 0;
                for (int tr = 0; tr < trials; tr++) mean[r] += Rt[((size_t)q * trials + pick[tr]) * NR + r] / trials;
            }
            double mn = INFINITY;
            for (int r = 1; r < NR; r++) mn = fmin(mn, mean[r]);
            double Ce = mean[0] / fmin(mn, mean[0]);
            if (b < 0) out[q].C_emp = Ce, out[q].R0_emp = mean[0], out[q].Rmin_emp = fmin(mn, mean[0]);
            else boot[b] = Ce;
        }
        // 68% interval: the 16th and 84th percentiles of the bootstrap
        for (int i = 1; i < 200; i++)
            for (int j = i; j > 0 && boot[j] < boot[j - 1]; j--) {
                double tmp = boot[j];
                boot[j] = boot[j - 1], boot[j - 1] = tmp;
            }
        out[q].lo = boot[32], out[q].hi = boot[168];
        out[q].C_th = o.C, out[q].E0 = E0, out[q].R0_th = o.R0, out[q].Rmin_th = o.Rmin;
        {
            double s1 = 0, s2 = 0;
            for (int tr = 0; tr < trials; tr++) {
                double R = Rt[((size_t)q * trials + tr) * NR];
                s1 += R, s2 += R * R;
            }
            double m = s1 / trials;
            out[q].R0_se = trials > 1 ? sqrt(fmax(0, s2 / trials - m * m) / (trials - 1)) : NAN;
        }
        free(v2);
    }
    rng_free(rg), rng_free(rb);
    for (int q = 0; q < ni; q++) free(v[q]);
    free(v), free(v2sum), free(deltas), free(Rt), free(G), free(X), free(K), free(s), free(A), free(xi), free(y),
        free(cy), free(Ac), free(Wm), free(lam), free(sl), free(mean), free(boot), free(pick);
}

typedef struct {
    int ok;
    double worst_rel, worst_bound, worst_z, max_tol;
} z3_result;

// The instances: by default pure noise, four (beta, sigma^2) targets at n = 256 and two at
// n = 1024.  A user who gives --beta, --noise or --n gets their own: the target (beta, sigma^2)
// and pure noise of the same sigma^2 (when > 0), at n (default 256), with --trials trials.
static int z3_custom(void) { return cli_given(&C, "beta") || cli_given(&C, "noise") || cli_given(&C, "n"); }

static void z3_set(z3_inst *z, double beta, double sigma2, int n, int trials) {
    z->beta = beta, z->sigma2 = sigma2, z->n = n, z->trials = trials;
    if (beta > 0) snprintf(z->name, sizeof z->name, "b%g_s%g_n%d", beta, sigma2, n);
    else snprintf(z->name, sizeof z->name, "noise_s%g_n%d", sigma2, n);
}

static void run_z3(int quick, z3_result *res) {
    z3_inst g1[5], g2[2];
    int n1 = 0, n2 = 0;
    if (z3_custom()) {
        int n = cli_given(&C, "n") ? (int)P.n : 256;
        double beta = cli_given(&C, "beta") ? P.beta : 1.25, s2 = P.noise;
        if (s2 > 0) z3_set(&g1[n1++], 0, s2, n, P.trials);
        z3_set(&g1[n1++], beta, s2, n, P.trials);
    } else if (quick) {
        z3_set(&g1[n1++], 0, 1.0, 128, 3);
    } else {
        z3_set(&g1[n1++], 0, 1.0, 256, P.trials);
        z3_set(&g1[n1++], 1.25, 0.1, 256, P.trials);
        z3_set(&g1[n1++], 1.25, 1.0, 256, P.trials);
        z3_set(&g1[n1++], 2.0, 0.1, 256, P.trials);
        z3_set(&g1[n1++], 1.5, 0.0, 256, P.trials);
        z3_set(&g2[n2++], 0, 1.0, 1024, 4);
        z3_set(&g2[n2++], 1.25, 1.0, 1024, 4);
    }
    z3_out o1[5], o2[2];
    tsv *T = tsv_open(&C, "z3_sim.tsv", "cost.C5");
    tsv_note(T,
             "Z3: Gaussian design, lambda_j = j^-%g, P = %d n features + tail as ridge; %d ridges in [1e-6, 10] plus 0 "
             "and inf",
             P.alpha, P.P_factor, Z3_NR);
    tsv_note(T,
             "C_emp from trial-averaged risk curves; lo68, hi68: 16th/84th percentiles of 200 bootstrap resamples of "
             "trials");
    tsv_note(
        T,
        "R0, Rmin: ridgeless and optimal-ridge risk (th: eigenframework; emp: trial mean); R0_se its standard error");
    tsv_columns(
        T,
        "x\tinstance\tn\ttrials\tbeta\tsigma2\tE0\tC_th\tC_emp\tlo68\thi68\tR0_th\tR0_emp\tR0_se\tRmin_th\tRmin_emp");
    res->ok = 1, res->worst_rel = 0, res->worst_bound = 0, res->worst_z = 0, res->max_tol = 0;
    struct {
        z3_inst *in;
        z3_out *o;
        int ni;
    } groups[2] = {{g1, o1, n1}, {g2, o2, n2}};
    int x = 0;
    for (int gi = 0; gi < 2; gi++) {
        if (groups[gi].ni == 0) continue;
        run_z3_group(groups[gi].in, groups[gi].ni, groups[gi].o, STREAM_Z3 + gi);
        for (int q = 0; q < groups[gi].ni; q++) {
            const z3_inst *in = &groups[gi].in[q];
            const z3_out *o = &groups[gi].o[q];
            tsv_row(T, "%d\t%s\t%d\t%d\t%g\t%g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.4g\t%.10g\t%.10g",
                    ++x, in->name, in->n, in->trials, in->beta, in->sigma2, o->E0, o->C_th, o->C_emp, o->lo, o->hi,
                    o->R0_th, o->R0_emp, o->R0_se, o->Rmin_th, o->Rmin_emp);
            double rel = fabs(o->C_emp / o->C_th - 1), bnd = o->C_emp / o->E0;
            fprintf(stderr,
                    "Z3 n=%d %-16s C_th = %.4f  C_emp = %.4f [%.4f, %.4f]  E0 = %.4f | R0 emp/th %.4f (se %.4f) Rmin "
                    "emp/th %.4f\n",
                    in->n, in->name, o->C_th, o->C_emp, o->lo, o->hi, o->E0, o->R0_emp / o->R0_th, o->R0_se / o->R0_th,
                    o->Rmin_emp / o->Rmin_th);
            // Tolerance per instance: 5% (10% at --quick), or 3 standard errors of C_emp when the
            // trials are too few for that (se = half the 68% bootstrap interval).  The ridgeless
            // risk of a fast-decaying spectrum spreads widely from trial to trial: at alpha = 3,
            // beta = 1.5, sigma^2 = 0, n = 256 and 10 trials, R(0) has a standard error of 2.4%, and
            // C_emp/C_th = 1.054 there is a 2-se excursion (40 trials: 0.994 at seed 1, 1.027 at
            // seed 2; n = 1024: 0.988).
            double se = 0.5 * (o->hi - o->lo) / o->C_th, tol = fmax(quick ? 0.10 : 0.05, 3 * se);
            if (rel > res->worst_rel) res->worst_rel = rel;
            if (bnd > res->worst_bound) res->worst_bound = bnd;
            res->worst_z = fmax(res->worst_z, rel / tol), res->max_tol = fmax(res->max_tol, tol);
            if (rel > tol || bnd > 1.05) res->ok = 0;
        }
    }
    tsv_close(T);
}

static void part_z3(int quick) {
    z3_result r3;
    run_z3(quick, &r3);
    char tol[160], what[160];
    snprintf(tol, sizeof tol, "per instance max(%s, 3 bootstrap se) (largest applied %.3f), and C_emp <= 1.05 E0",
             quick ? "0.10" : "0.05", r3.max_tol);
    snprintf(what, sizeof what, "max |C_emp/C_th - 1| (worst as a fraction of its tolerance %.2f; max C_emp/E0 %.3f)",
             r3.worst_z, r3.worst_bound);
    claim_check("cost.C5", CLAIM_EXPERIMENT, r3.ok, what, r3.worst_rel, tol);
}
