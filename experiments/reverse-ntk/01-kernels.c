// ---- part 1 (Figure 1): shallow networks with any dot-product kernel ----
// Any dot-product kernel with a non-negative power series is the NNGP (or NTK) of a
// one-hidden-layer network.  Included by reverse-ntk.c.

// ---- theory: the target kernels ----
//
// The deep targets are common/kernel's network kernels on the sphere: a Dense layer
// with $W_{std}, b_{std}$ then the activation, four times, then a Dense readout with
// $W_{std} = 1$, $b_{std} = 0$, in NTK parametrisation.  For both inputs on the sphere the
// first layer sees $\Sigma^1 = W^2 \xi + b^2$; `kernel_sphere_profile` with $r^2 = d_{in} = 1$
// evaluates exactly that.  The other four targets are closed forms with known series.

typedef enum { T_NET, T_E, T_F, T_G, T_H } target_kind;

typedef struct {
    char id[8];  // "A" .. "H", "Bntk", "T" (single target)
    char title[64];
    target_kind kind;
    kernel_spec ks;              // for T_NET
    int ntk_mode;                // 1: the shallow NTK is matched (b_k = sqrt(c_k k!/(k+1)))
    int has_ref;                 // the reference table's values below apply
    double ref[3];               // K(-1), K(0), K(1)
    double cref[8];              // fitted c_0..c_7
    double bound_l2, bound_sup;  // C2 bounds on the fit errors
    int mc;                      // Monte Carlo on this panel
    // results
    int D;
    double c[DMAX + 1];     // fitted, thresholded power series
    double beta[DMAX + 1];  // phi = sum_k beta_k h_k with h_k = He_k/sqrt(k!): beta_k = b_k/sqrt(k!)
    double a[DMAX + 1];     // phi = sum_k a_k He_k: a_k = b_k/k!
    double l2, sup;         // relative fit errors
} panel;

static double target_eval(const panel *pn, double xi) {
    switch (pn->kind) {
    case T_NET: return kernel_sphere_profile(&pn->ks, xi, 1.0, 1);
    case T_E: return pow(xi, 4) + xi;
    case T_F: return pow(xi, 5) + 3;
    case T_G: return sinh(2 * xi);
    case T_H: return cosh(2 * xi);
    }
    return NAN;
}

// The reference table: target values, fitted coefficients and fit-error bounds (C2), from a
// computation independent of this program (6 significant digits).
static const struct {
    const char *id, *title;
    target_kind kind;
    const char *kname;
    double bstd;
    int ntk_mode;
    double ref[3], cref[8], bl2, bsup;
} TABLE[] = {
    {"A",
     "4HL ReLU (NNGP)",
     T_NET,
     "relu-nngp",
     0.1,
     0,
     {0.987951, 1.11213, 1.62588},
     {1.11213, 0.230516, 0.140753, 0.0523751, 0, 0, 0.0535869, 0.0357766},
     0.002,
     0.004},
    {"B",
     "4HL ReLU (NTK)",
     T_NET,
     "relu-ntk",
     0.1,
     0,
     {1.72544, 2.34508, 8.09682},
     {2.38661, 1.52913, 0.746283, 0, 0, 0, 1.70696, 1.60042},
     0.045,
     0.075},
    {"C",
     "4HL erf (NNGP)",
     T_NET,
     "erf-nngp",
     0.3,
     0,
     {-0.210965, 0.0878666, 0.505823},
     {0.0883636, 0.245131, 0.0166825, 0.0508019, 0, 0, 0.0417986, 0.0621152},
     0.008,
     0.011},
    {"D",
     "4HL erf (NTK)",
     T_NET,
     "erf-ntk",
     0.3,
     0,
     {-1.56502, 0.27051, 4.25734},
     {0.288618, 1.33245, 0, 0.0924699, 0, 0, 1.03135, 1.47139},
     0.045,
     0.05},
    {"E", "K = xi^4 + xi", T_E, NULL, 0, 0, {0, 0, 2}, {0, 1, 0, 0, 1, 0, 0, 0}, 1e-8, 1e-8},
    {"F", "K = xi^5 + 3", T_F, NULL, 0, 0, {2, 3, 4}, {3, 0, 0, 0, 0, 1, 0, 0}, 1e-8, 1e-8},
    {"G",
     "K = sinh(2 xi)",
     T_G,
     NULL,
     0,
     0,
     {-3.62686, 0, 3.62686},
     {0, 1.99995, 0, 1.33400, 0, 0.264191, 0, 0.0287128},
     1e-4,
     1e-4},
    {"H",
     "K = cosh(2 xi)",
     T_H,
     NULL,
     0,
     0,
     {3.76220, 1, 3.76220},
     {0.999952, 0, 2.00162, 0, 0.658311, 0, 0.102295, 0},
     1e-4,
     1e-4},
    {"Bntk",
     "4HL ReLU (NTK), 1HL NTK matched",
     T_NET,
     "relu-ntk",
     0.1,
     1,
     {1.72544, 2.34508, 8.09682},
     {2.38661, 1.52913, 0.746283, 0, 0, 0, 1.70696, 1.60042},
     0.045,
     0.075},
};
#define NTABLE ((int)(sizeof TABLE / sizeof TABLE[0]))

// ---- theory: fitting the power series ----
//
// $\min_{c \ge 0} \sum_i (\sum_{k \le D} c_k \xi_i^k - K(\xi_i))^2$ on 1000 points: 802 equally
// spaced from 1 to -1 plus 99 extra copies of each endpoint (10% of the weight each), solved by
// Lawson-Hanson (common/nnls).  Then $c_k < 10^{-3} \to 0$, as the notebook does.

typedef struct {
    int D;
    nnls_workspace *w;
    double *A, *b;  // (NFIT, D+1) design, (NFIT) targets
    double xi[NFIT];
} fitter;

static fitter *fitter_alloc(int D) {
    fitter *f = XNEW(fitter, 1);
    f->D = D;
    f->w = nnls_alloc(NFIT, D + 1);
    f->A = XNEW(double, (size_t)NFIT *(D + 1));
    f->b = XNEW(double, NFIT);
    int nend = (int)lround(P.endpoint_weight * NFIT);  // copies of each endpoint, grid's included
    int ngrid = NFIT - 2 * nend + 2;
    int i = 0;
    for (int j = 0; j < ngrid; j++) f->xi[i++] = 1 - 2.0 * j / (ngrid - 1);
    for (int j = 1; j < nend; j++) f->xi[i++] = 1;
    for (int j = 1; j < nend; j++) f->xi[i++] = -1;
    for (i = 0; i < NFIT; i++) {
        double t = 1;
        for (int k = 0; k <= D; k++, t *= f->xi[i]) f->A[(size_t)i * (D + 1) + k] = t;
    }
    return f;
}

static void fitter_free(fitter *f) {
    nnls_free(f->w);
    free(f->A);
    free(f->b);
    free(f);
}

static double poly_eval(int D, const double *c, double xi) {  // Horner
    double s = c[D];
    for (int k = D - 1; k >= 0; k--) s = s * xi + c[k];
    return s;
}

// Fit K(xi) = f(xi, ctx) with degree f->D; c (D+1) out.
static void fit_series(fitter *f, double (*K)(const void *, double), const void *ctx, double *c) {
    for (int i = 0; i < NFIT; i++) f->b[i] = K(ctx, f->xi[i]);
    int st = nnls_solve(f->w, f->A, f->b, c, NULL);
    if (st) DIE("NNLS fit of degree %d failed (status %d); try a lower --degree", f->D, st);
    for (int k = 0; k <= f->D; k++)
        if (c[k] < P.coef_threshold) c[k] = 0;
}

static double panel_target_cb(const void *pn, double xi) { return target_eval(pn, xi); }

// Relative L2 and sup errors of the fitted series on a uniform 401-point grid.
static void fit_errors(const panel *pn, double *l2, double *sup) {
    double num = 0, den = 0, emax = 0, kmax = 0;
    for (int i = 0; i < NERR; i++) {
        double xi = -1 + 2.0 * i / (NERR - 1), K = target_eval(pn, xi), p = poly_eval(pn->D, pn->c, xi);
        num += (p - K) * (p - K);
        den += K * K;
        emax = fmax(emax, fabs(p - K));
        kmax = fmax(kmax, fabs(K));
    }
    *l2 = sqrt(num / den);
    *sup = emax / kmax;
}

// ---- theory: the Hermite construction ----
//
// With $\phi(z) = \sum_k b_k \mathrm{He}_k(z)/k!$ and Mehler's identity
// $\mathbb E[\mathrm{He}_j(u)\mathrm{He}_k(v)] = \delta_{jk} k!\,\xi^k$:
// $$\mathbb E[\phi(u)\phi(v)] = \sum_k \frac{b_k^2}{k!}\xi^k,\qquad
//   \Theta(\xi) = \mathbb E[\phi\phi] + \xi\,\mathbb E[\phi'\phi'] = \sum_k (1+k)\frac{b_k^2}{k!}\xi^k .$$
// So $b_k = \sqrt{c_k k!}$ matches the NNGP to $K$, and $b_k = \sqrt{c_k k!/(k+1)}$ the NTK.
// In the normalised basis $h_k = \mathrm{He}_k/\sqrt{k!}$ (common/hermite) the activation is
// $\phi = \sum_k \beta_k h_k$ with $\beta_k = b_k/\sqrt{k!}$, i.e. $\beta_k = \sqrt{c_k}$ in NNGP
// mode: the shallow NNGP is $\sum_k \beta_k^2 \xi^k$.

static void panel_activation(panel *pn) {
    for (int k = 0; k <= pn->D; k++) {
        double kf = exp(lgamma(k + 1.0));
        double b = pn->ntk_mode ? sqrt(pn->c[k] * kf / (k + 1)) : sqrt(pn->c[k] * kf);  // b_k from Mehler's identity
        pn->beta[k] = b / sqrt(kf);
        pn->a[k] = b / kf;
    }
}

// The series the construction promises: NNGP sum beta_k^2 xi^k, NTK sum (1+k) beta_k^2 xi^k.
static double series_nngp(const panel *pn, double xi) {
    double s = 0, t = 1;
    for (int k = 0; k <= pn->D; k++, t *= xi) s += pn->beta[k] * pn->beta[k] * t;
    return s;
}
static double series_ntk(const panel *pn, double xi) {
    double s = 0, t = 1;
    for (int k = 0; k <= pn->D; k++, t *= xi) s += (1 + k) * pn->beta[k] * pn->beta[k] * t;
    return s;
}
// The kernel the shallow network is built to have (NTK in NTK mode, else NNGP).
static double engineered(const panel *pn, double xi) { return pn->ntk_mode ? series_ntk(pn, xi) : series_nngp(pn, xi); }

// ---- experiment: exact expectations by Gauss-Hermite quadrature ----
//
// GSL's Hermite rule has weight $e^{-x^2}$: with $z = \sqrt2 x$ and weights divided by
// $\sqrt\pi$ it integrates against $N(0,1)$.  A bivariate pair with correlation $\xi$ is
// $u = z_1$, $v = \xi z_1 + \sqrt{1-\xi^2} z_2$.  The $m$-node rule is exact for polynomials of
// degree $\le 2m-1$ in each variable; $(\phi\phi)^2$ has degree $\le 4D$, so $m = 40$ is exact
// up to rounding for $D \le 19$.  $\phi$ and $\phi'$ are evaluated through common/hermite's
// normalised recurrence ($h_k' = \sqrt{k}\,h_{k-1}$).

typedef struct {
    int m;
    double *z, *w;  // nodes and N(0,1) weights (sum 1)
} gh_rule;

static gh_rule gh_make(int m) {
    gh_rule g = {m, XNEW(double, m), XNEW(double, m)};
    gsl_integration_fixed_workspace *ws =
        gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, (size_t)m, 0, 1, 0, 0);
    if (!ws) DIE("gsl_integration_fixed_alloc(hermite, %d) failed", m);
    const double *x = gsl_integration_fixed_nodes(ws), *w = gsl_integration_fixed_weights(ws);
    for (int i = 0; i < m; i++) {
        g.z[i] = M_SQRT2 * x[i];
        g.w[i] = w[i] / sqrt(M_PI);
    }
    gsl_integration_fixed_free(ws);
    return g;
}

static void phi_eval_h(const panel *pn, double z, double *phi, double *dphi) {
    double h[DMAX + 2];
    hermite_h_array(pn->D, z, h);
    double s = 0, d = 0;
    for (int k = 0; k <= pn->D; k++) {
        s += pn->beta[k] * h[k];
        if (k) d += pn->beta[k] * sqrt((double)k) * h[k - 1];
    }
    *phi = s;
    *dphi = d;
}

typedef struct {
    double K, Kd;           // E[phi phi], E[phi' phi']
    double pp2, ppdd, dd2;  // E[(phi phi)^2], E[phi phi phi' phi'], E[(phi' phi')^2]
} gh_moments;

static gh_moments gh_expect(const gh_rule *g, const panel *pn, double xi) {
    gh_moments r = {0, 0, 0, 0, 0};
    double s = sqrt(fmax(0, 1 - xi * xi));
    for (int i = 0; i < g->m; i++) {
        double pu, du;
        phi_eval_h(pn, g->z[i], &pu, &du);
        for (int j = 0; j < g->m; j++) {
            double pv, dv, wt = g->w[i] * g->w[j];
            phi_eval_h(pn, xi * g->z[i] + s * g->z[j], &pv, &dv);
            double pp = pu * pv, dd = du * dv;
            r.K += wt * pp;
            r.Kd += wt * dd;
            r.pp2 += wt * pp * pp;
            r.ppdd += wt * pp * dd;
            r.dd2 += wt * dd * dd;
        }
    }
    return r;
}

// The variance of one neuron's contribution.  NNGP: Y = phi(u) phi(v).
// NTK: Y = phi phi + a^2 xi phi' phi' with a ~ N(0,1), E a^2 = 1, E a^4 = 3.
static double neuron_variance(const gh_moments *q, int ntk, double xi) {
    if (!ntk) return q->pp2 - q->K * q->K;
    double mean = q->K + xi * q->Kd;
    return q->pp2 + 2 * xi * q->ppdd + 3 * xi * xi * q->dd2 - mean * mean;
}

// ---- experiment: finite width by Monte Carlo ----
//
// A width-$M$ network's empirical NNGP with the readout averaged analytically is
// $\hat K(\xi) = \frac1M \sum_i \phi(u_i)\phi(v_i)$; in NTK mode each neuron adds
// $a_i^2 \xi \phi'(u_i)\phi'(v_i)$.  The hot loop evaluates $\phi$ with the plain recurrence
// $\mathrm{He}_{k+1} = z\mathrm{He}_k - k\mathrm{He}_{k-1}$ and $\phi = \sum a_k \mathrm{He}_k$
// (no square roots), checked against common/hermite's evaluation before use.
// $z = (\hat K - K_{eng})/\mathrm{SE}$ with the exact $\mathrm{SE} = \sqrt{\mathrm{Var}/M}$.

static inline void phi_eval_fast(const double *a, int D, double z, double *phi, double *dphi) {
    double hm = 1, h = z;  // He_0, He_1
    double s = a[0] + (D >= 1 ? a[1] * z : 0), d = D >= 1 ? a[1] : 0;
    for (int k = 1; k < D; k++) {
        double hn = z * h - k * hm;  // He_{k+1}
        s += a[k + 1] * hn;
        d += a[k + 1] * (k + 1) * h;  // He_{k+1}' = (k+1) He_k
        hm = h;
        h = hn;
    }
    *phi = s;
    *dphi = d;
}

static double mc_kernel(gsl_rng *r, const panel *pn, double xi, long M) {
    double s = sqrt(fmax(0, 1 - xi * xi)), sum = 0;
    for (long i = 0; i < M; i++) {
        double z1 = rng_normal(r), z2 = rng_normal(r);
        double pu, du, pv, dv;
        phi_eval_fast(pn->a, pn->D, z1, &pu, &du);
        phi_eval_fast(pn->a, pn->D, xi * z1 + s * z2, &pv, &dv);
        double y = pu * pv;
        if (pn->ntk_mode) {
            double a = rng_normal(r);
            y += a * a * xi * du * dv;
        }
        sum += y;
    }
    return sum / M;
}

// Tolerance of a 6-significant-digit table entry: half a unit in its last printed digit.
static double table_tol(double ref) {
    if (ref == 0) return 1e-12;
    double e = floor(log10(fabs(ref)));
    return 0.5 * pow(10, e - 5) + 1e-12;
}

// The panels of --panels (or the single --target), with their reference-table entries.
static int parse_panels(panel *pn) {
    int np = 0;
    if (P.target) {
        panel *p = &pn[np++];
        memset(p, 0, sizeof *p);
        snprintf(p->id, sizeof p->id, "T");
        char err[256];
        if (kernel_spec_parse(&p->ks, P.target, 1, P.depth, P.wstd, P.bstd, err, sizeof err))
            cli_usage_error(&C, "%s", err);
        p->kind = T_NET;
        p->ntk_mode = strcmp(P.mode, "ntk") == 0;
        p->mc = 1;
        snprintf(p->title, sizeof p->title, "%dHL %s (W %g, b %g), 1HL %s matched", P.depth, P.target, P.wstd, P.bstd,
                 P.mode);
    } else {
        char buf[256];
        size_t len = strlen(P.panels);
        if (len >= sizeof buf) cli_usage_error(&C, "--panels: list too long");
        if (P.panels[0] == ',' || P.panels[len - 1] == ',' || strstr(P.panels, ",,"))
            cli_usage_error(&C, "--panels: empty entry in '%s' (comma list of A-H, Bntk)", P.panels);
        snprintf(buf, sizeof buf, "%s", P.panels);
        for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            int f = -1;
            for (int i = 0; i < NTABLE; i++)
                if (strcmp(tok, TABLE[i].id) == 0) f = i;
            if (f < 0) cli_usage_error(&C, "--panels: unknown panel '%s' (A-H or Bntk)", tok);
            if (np >= MAXP) cli_usage_error(&C, "--panels: at most %d panels", MAXP);
            panel *p = &pn[np++];
            memset(p, 0, sizeof *p);
            snprintf(p->id, sizeof p->id, "%s", TABLE[f].id);
            snprintf(p->title, sizeof p->title, "%s", TABLE[f].title);
            p->kind = TABLE[f].kind;
            if (p->kind == T_NET) {
                char err[256];
                if (kernel_spec_parse(&p->ks, TABLE[f].kname, 1, 4, 1.5, TABLE[f].bstd, err, sizeof err))
                    DIE("%s", err);
            }
            p->ntk_mode = TABLE[f].ntk_mode;
            p->has_ref = 1;
            memcpy(p->ref, TABLE[f].ref, sizeof p->ref);
            memcpy(p->cref, TABLE[f].cref, sizeof p->cref);
            p->bound_l2 = TABLE[f].bl2;
            p->bound_sup = TABLE[f].bsup;
            // Monte Carlo: every panel at default, A and E at --quick.
            p->mc = !C.quick || cli_given(&C, "panels") || !strcmp(p->id, "A") || !strcmp(p->id, "E");
        }
    }
    return np;
}

// ---- Figure 1 claims ----
//
// * **C1** the Hermite identity is exact: quadrature = series to $10^{-10}\max(1, |\text{series}|)$
//   for $\mathbb E[\phi\phi]$ and the NTK combination, at 21 $\xi$, for every panel's activation
//   and a random $c \sim U(0,1)^{11}$.
// * **C2** targets at $\xi = -1, 0, 1$, fitted $c_k$ (to $10^{-4}$) and fit errors agree with
//   the reference table (value: the largest error in units of its tolerance).
// * **C3** finite width: fraction of $|z| \le 2$ at least 0.85 (quick 0.75), median $|z| \le 1.5$.
// * **C4** NTK mode: quadrature NTK = $\sum c_k \xi^k$ and the same network's NNGP
//   $= \sum c_k \xi^k/(k+1)$, both to $10^{-10}$.
//
// Kinds: C1, C2 and C4 are identities (closed forms, quadrature exact by construction, a
// deterministic fit); C3 (finite-width Monte Carlo against the kernel) and C5 (kernel regression
// on data) are experiments.

// ---- Part 1 (Figure 1): fits, exact kernels by quadrature, finite width by Monte Carlo ----
static void part_kernels(void) {
    panel pn[MAXP];
    const int np = parse_panels(pn);
    const double t0 = util_now();
    gsl_rng *rr = rng_alloc(C.seed, STREAM_C1_COEFFS);  // the random coefficient vector of C1
    double c1_err = 0, c2_worst = 0, c4_err = NAN;
    int nz = 0, nz2 = 0;
    double *zs = XNEW(double, (size_t)MAXP * 101);
    fitter *fit = fitter_alloc(P.degree);
    gh_rule gh = gh_make(P.gh_nodes);
    tsv *tk = tsv_open(&C, "kernels.tsv", "revntk.C1 revntk.C2 revntk.C4");
    tsv_note(tk, "target K(xi); engineered = the promised series (NNGP mode: sum c_k xi^k; NTK mode: the 1HL NTK)");
    tsv_note(tk, "quad_nngp, quad_ntk: E[phi phi] and E[phi phi] + xi E[phi' phi'] by %d x %d Gauss-Hermite",
             P.gh_nodes, P.gh_nodes);
    tsv_note(tk, "degree D = %d, endpoint weight %g, threshold %g", P.degree, P.endpoint_weight, P.coef_threshold);
    for (int ip = 0; ip < np; ip++)
        tsv_note(tk, "panel %s: %s%s", pn[ip].id, pn[ip].title, pn[ip].ntk_mode ? " [ntk mode]" : "");
    tsv_columns(tk, "panel\txi\ttarget\tengineered\tquad_nngp\tquad_ntk");
    tsv *tc = tsv_open(&C, "coeffs.tsv", "revntk.C2");
    tsv_allow_nonfinite(tc, 1);  // c_k_ref is nan where the reference has no table (single --target, k > 7)
    tsv_note(tc, "c_k: fitted power series (NNLS, thresholded); b_k: Hermite coefficients of phi = sum b_k He_k/k!");
    tsv_columns(tc, "panel\tk\tc_k\tb_k\tc_k_ref");
    tsv *tm = NULL;
    printf("panel  %-34s %10s %10s %10s   %-9s %-9s\n", "target", "K(-1)", "K(0)", "K(1)", "rel L2", "rel sup");
    for (int ip = 0; ip < np; ip++) {
        panel *p = &pn[ip];
        p->D = P.degree;
        fit_series(fit, panel_target_cb, p, p->c);
        panel_activation(p);
        fit_errors(p, &p->l2, &p->sup);
        double Km = target_eval(p, -1), K0 = target_eval(p, 0), K1 = target_eval(p, 1);
        printf("%-6s %-34s %10.6g %10.6g %10.6g   %-9.3g %-9.3g\n", p->id, p->title, Km, K0, K1, p->l2, p->sup);
        printf("       c_k =");
        for (int k = 0; k <= p->D; k++) printf(" %.6g", p->c[k]);
        printf("\n");
        // C2: every number against the reference table, in units of its tolerance.
        if (p->has_ref) {
            double v[3] = {Km, K0, K1}, e[4] = {0, 0, 0, 0};
            for (int q = 0; q < 3; q++) e[0] = fmax(e[0], fabs(v[q] - p->ref[q]) / table_tol(p->ref[q]));
            if (p->D == 7)
                for (int k = 0; k <= 7; k++) e[1] = fmax(e[1], fabs(p->c[k] - p->cref[k]) / 1e-4);
            e[2] = p->l2 / p->bound_l2;
            e[3] = p->sup / p->bound_sup;
            printf("       C2 errors / tolerance: targets %.3g, c_k %.3g, rel L2 %.3g, rel sup %.3g\n", e[0], e[1],
                   e[2], e[3]);
            for (int q = 0; q < 4; q++) c2_worst = fmax(c2_worst, e[q]);
        }
        for (int k = 0; k <= p->D; k++)
            tsv_row(tc, "%s\t%d\t%.12g\t%.12g\t%.12g", p->id, k, p->c[k], p->beta[k] * exp(0.5 * lgamma(k + 1.0)),
                    (p->has_ref && k <= 7) ? p->cref[k] : NAN);
        // C1 (and C4 in NTK mode): quadrature against the series at 21 xi.
        for (int i = 0; i < NCHECK; i++) {
            double xi = -1 + 2.0 * i / (NCHECK - 1);
            gh_moments q = gh_expect(&gh, p, xi);
            double sn = series_nngp(p, xi), st = series_ntk(p, xi);
            double e1 = fabs(q.K - sn) / fmax(1, fabs(sn)), e2 = fabs(q.K + xi * q.Kd - st) / fmax(1, fabs(st));
            c1_err = fmax(c1_err, fmax(e1, e2));
            if (p->ntk_mode) {
                // C4: the NTK equals the fitted series, the NNGP equals sum c_k xi^k/(k+1).
                double fitted = poly_eval(p->D, p->c, xi), nngp_pred = 0, t = 1;
                for (int k = 0; k <= p->D; k++, t *= xi) nngp_pred += p->c[k] * t / (k + 1);
                double e = fmax(fabs(q.K + xi * q.Kd - fitted) / fmax(1, fabs(fitted)),
                                fabs(q.K - nngp_pred) / fmax(1, fabs(nngp_pred)));
                c4_err = isnan(c4_err) ? e : fmax(c4_err, e);
            }
        }
        for (int i = 0; i < NPLOT; i++) {
            double xi = -1 + 2.0 * i / (NPLOT - 1);
            gh_moments q = gh_expect(&gh, p, xi);
            tsv_row(tk, "%s\t%.6g\t%.12g\t%.12g\t%.12g\t%.12g", p->id, xi, target_eval(p, xi), engineered(p, xi), q.K,
                    q.K + xi * q.Kd);
        }
        // The fast evaluation used by the Monte Carlo equals common/hermite's.
        for (double z = -4; z <= 4; z += 0.37) {
            double f1, d1, f2, d2;
            phi_eval_h(p, z, &f1, &d1);
            phi_eval_fast(p->a, p->D, z, &f2, &d2);
            if (fabs(f1 - f2) > 1e-10 * fmax(1, fabs(f1)) || fabs(d1 - d2) > 1e-10 * fmax(1, fabs(d1)))
                DIE("phi_eval_fast disagrees with common/hermite at z = %g (%g vs %g)", z, f2, f1);
        }
    }
    // C1 also for a random coefficient vector, D = 10 (the rule is exact to degree 79).
    {
        panel p;
        memset(&p, 0, sizeof p);
        p.D = 10;
        for (int k = 0; k <= 10; k++) p.c[k] = gsl_rng_uniform(rr);
        panel_activation(&p);
        gh_rule gr = gh.m >= 21 ? gh : gh_make(21);
        for (int i = 0; i < NCHECK; i++) {
            double xi = -1 + 2.0 * i / (NCHECK - 1);
            gh_moments q = gh_expect(&gr, &p, xi);
            double sn = series_nngp(&p, xi), st = series_ntk(&p, xi);
            c1_err =
                fmax(c1_err, fmax(fabs(q.K - sn) / fmax(1, fabs(sn)), fabs(q.K + xi * q.Kd - st) / fmax(1, fabs(st))));
        }
        if (gr.z != gh.z) {
            free(gr.z);
            free(gr.w);
        }
    }
    tsv_close(tk);
    tsv_close(tc);

    tsv *tf = tsv_open(&C, "fits.tsv", "revntk.C2");
    tsv_allow_nonfinite(tf, 1);  // bounds are nan for a single --target
    tsv_columns(tf, "panel\trel_l2\trel_sup\tbound_l2\tbound_sup");
    for (int ip = 0; ip < np; ip++)
        tsv_row(tf, "%s\t%.6g\t%.6g\t%.6g\t%.6g", pn[ip].id, pn[ip].l2, pn[ip].sup,
                pn[ip].has_ref ? pn[ip].bound_l2 : NAN, pn[ip].has_ref ? pn[ip].bound_sup : NAN);
    tsv_close(tf);

    tsv *ta = tsv_open(&C, "activations.tsv", "revntk.C1");
    tsv_note(ta, "engineered activations phi(z) = sum_k b_k He_k(z)/k!, one column per panel");
    {
        char cols[512] = "z";
        for (int ip = 0; ip < np; ip++) {
            strcat(cols, "\tphi_");
            strcat(cols, pn[ip].id);
        }
        tsv_columns(ta, cols);
        for (int i = 0; i < NPLOT; i++) {
            double z = -2.5 + 5.0 * i / (NPLOT - 1);
            char row[1024];
            int len = snprintf(row, sizeof row, "%.6g", z);
            for (int ip = 0; ip < np; ip++) {
                double f, d;
                phi_eval_h(&pn[ip], z, &f, &d);
                len += snprintf(row + len, sizeof row - len, "\t%.10g", f);
            }
            tsv_row(ta, "%s", row);
        }
    }
    tsv_close(ta);
    progress_done("fits and quadrature: %.1f s", util_now() - t0);

    // Monte Carlo.
    tm = tsv_open(&C, "mc.tsv", "revntk.C3");
    tsv_note(tm, "K_hat: mean over M = %ld neurons; se = sqrt(Var/M), Var exact by quadrature; z = (K_hat - K_eng)/se",
             P.mc_neurons);
    tsv_columns(tm, "panel\txi\tK_eng\tK_hat\tse\tz");
    printf("\nMonte Carlo (M = %ld neurons per point), z = (K_hat - K_eng)/SE_exact:\n", P.mc_neurons);
    for (int ip = 0; ip < np; ip++) {
        panel *p = &pn[ip];
        if (!p->mc) continue;
        printf("  %-5s", p->id);
        for (int i = 0; i < P.mc_points; i++) {
            double xi = -1 + 2.0 * i / (P.mc_points - 1);
            gsl_rng *r = rng_alloc(C.seed, mc_stream(ip, i));
            double Kh = mc_kernel(r, p, xi, P.mc_neurons);
            rng_free(r);
            gh_moments q = gh_expect(&gh, p, xi);
            double Ke = engineered(p, xi), se = sqrt(neuron_variance(&q, p->ntk_mode, xi) / P.mc_neurons);
            double z = (Kh - Ke) / se;
            REQUIRE_FINITE(z, "Monte Carlo z", "the exact variance is 0: a constant activation?");
            zs[nz++] = fabs(z);
            nz2 += fabs(z) <= 2;
            printf(" %+5.2f", z);
            tsv_row(tm, "%s\t%.6g\t%.12g\t%.12g\t%.6g\t%.6g", p->id, xi, Ke, Kh, se, z);
            progress("Monte Carlo %s xi = %.2f: %.1f s", p->id, xi, util_now() - t0);
        }
        printf("\n");
    }
    tsv_close(tm);
    progress_done("Monte Carlo: %.1f s", util_now() - t0);
    fitter_free(fit);
    free(gh.z);
    free(gh.w);
    {
        char what[256];
        claim_check("revntk.C1", CLAIM_IDENTITY, c1_err <= 1e-10,
                    "max |quadrature - series|/max(1,|series|), NNGP and NTK, all activations + random c", c1_err,
                    "1e-10");
        int nref = 0;
        for (int ip = 0; ip < np; ip++) nref += pn[ip].has_ref;
        if (!nref) claim_skip("revntk.C2", CLAIM_IDENTITY, "single --target: no reference table");
        else
            claim_check("revntk.C2", CLAIM_IDENTITY, c2_worst <= 1,
                        "worst error / tolerance over target values, c_k (1e-4) and fit-error bounds", c2_worst, "1");
        if (nz == 0) claim_skip("revntk.C3", CLAIM_EXPERIMENT, "no Monte Carlo panel");
        else {
            double frac = (double)nz2 / nz, med = fit_median(zs, nz), need = C.quick ? 0.75 : 0.85;
            snprintf(what, sizeof what, "fraction of %d points with |z| <= 2 (median |z| %.3g)", nz, med);
            char tol[64];
            snprintf(tol, sizeof tol, ">= %.2f; median <= 1.5", need);
            claim_check("revntk.C3", CLAIM_EXPERIMENT, frac >= need && med <= 1.5, what, frac, tol);
        }
        if (isnan(c4_err)) claim_skip("revntk.C4", CLAIM_IDENTITY, "no NTK-mode panel (Bntk or --mode ntk)");
        else
            claim_check("revntk.C4", CLAIM_IDENTITY, c4_err <= 1e-10,
                        "max rel. error: 1HL NTK vs sum c_k xi^k, 1HL NNGP vs sum c_k xi^k/(k+1)", c4_err, "1e-10");
    }
    rng_free(rr);
    free(zs);
}
