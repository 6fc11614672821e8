// ---- SGD escapes a saddle arbitrarily slowly (claims sgdmax.C6-C8) ----

// ---- the saddle: theory ----
//
// The loss of a two-layer linear network of width one, $f(x) = u w x$, on the input $x = 1$ with
// label $y$: $\ell(u, w; y) = \frac12(uw - y)^2$, with $y = a_s$ or $-b_s$ with probability 1/2
// ($a_s > b_s > 0$; defaults 1.5 and 1).  The expected loss is
// $L = \frac12(uw)^2 - \mu_s uw + \mathrm{const}$, $\mu_s = (a_s - b_s)/2 > 0$: the origin is a saddle
// (Hessian eigenvalues $\pm\mu_s$), the minima the hyperbola $uw = \mu_s$.  Every per-sample gradient
// $(uw - y)(w, u)$ vanishes at the origin, so the noise there is purely multiplicative again.
// Linearised, $u' = u + \eta y w$, $w' = w + \eta y u$; in $s = (u + w)/\sqrt2$, $d = (u - w)/\sqrt2$ every
// sample's map is diagonal, $s' = (1 + \eta y)s$, $d' = (1 - \eta y)d$, so the maps commute and the
// growth rates are exact:
// $$\Lambda_\pm(\eta) = \mathbb E \log|1 \pm \eta y| = \tfrac12\log|(1 \pm \eta a_s)(1 \mp \eta b_s)|.$$
// For $\eta < 1/a_s$, $\Lambda_- < 0$.  $\Lambda_+ > 0$ iff $\eta < \eta^* = (a_s - b_s)/(a_s b_s)$ (1/3 at the
// defaults), and $\Lambda_+ \to 0$ as $\eta \to \eta^*$: the escape becomes arbitrarily slow, and
// beyond $\eta^*$ the saddle attracts.  Gradient descent grows $s$ by $1 + \eta\mu_s > 1$ at every
// $\eta$: it always escapes, at the rate $\log(1 + \eta\mu_s)$.
//
// **Escape time.**  From $|\theta_0| = r_0$ at a uniform angle, the first $t$ with $|\theta_t| \ge r_1$.
// Once $d$ has decayed, $\log|\theta_t| = \log|s_t|$, a random walk with drift $\Lambda_+$ started at
// $\log(r_0|\cos(\varphi - \pi/4)|)$, and $\mathbb E\log|\cos| = -\log 2$; Wald's identity gives
// $$\mathbb E\,T = \frac{\log(r_1/r_0) + \log 2 + \mathbb E\,\mathrm{overshoot}}{\Lambda_+}
//   \approx T_{pred} = \frac{\log(r_1/r_0) + \log 2}{\Lambda_+},$$
// the overshoot being below one step, $\log(1 + \eta a_s)$.  GD's time is the same with
// $\log(1 + \eta\mu_s)$ in place of $\Lambda_+$.  $r_1 = 10^{-2}$ keeps the escape inside the
// linear regime (the cubic terms are $r_1^2/b_s = 10^{-4}$ of the linear ones); $r_0 = 10^{-30}$
// makes $\log(r_1/r_0) = 64.5$ long against the walk's spread.

#define SAD_R0 1e-30  // start radius
#define SAD_R1 1e-2   // escape radius
// SAD_FLOOR: |theta| below this is converged to the saddle and the run stops (a return from here
// would need 300 nats against a negative drift).
#define SAD_FLOOR 1e-150
#define SAD_CAP 20  // a run is cut at SAD_CAP T_pred steps (or sad_cap_steps where Lambda_+ <= 0)

static double sad_lambda(double eta, double sign) {
    return 0.5 * log(fabs((1 + sign * eta * P.sad_a) * (1 - sign * eta * P.sad_b)));
}

typedef struct {
    double eta, lam_p, lam_m, gd_rate, t_pred, t_gd_pred;
    int R, escaped, at_saddle;
    double t_mean, t_se, t_gd_mean;  // over the escaped runs
} sad_cell;

// One SGD run: returns the escape step, or -1 (converged to the saddle), or -2 (cut at cap).
static long sad_run(gsl_rng *r, double eta, long cap, int gd) {
    const double phi = 2 * M_PI * gsl_rng_uniform(r);
    double u = SAD_R0 * cos(phi), w = SAD_R0 * sin(phi);
    const double mu = 0.5 * (P.sad_a - P.sad_b);
    for (long t = 0; t < cap; t++) {
        const double y = gd ? mu : gsl_rng_uniform(r) < 0.5 ? P.sad_a : -P.sad_b;
        const double e = u * w - y, un = u - eta * e * w, wn = w - eta * e * u;
        u = un, w = wn;
        const double r2 = u * u + w * w;
        if (r2 >= SAD_R1 * SAD_R1) return t + 1;
        if (r2 < SAD_FLOOR * SAD_FLOOR) return -1;
    }
    return -2;
}

// ---- the saddle: claims ----
//
// * **C6** the mean escape time equals $T_{pred}$ at every grid point with $\Lambda_+ > 0$, within
//   three standard errors plus the overshoot bound $\log(1+\eta a_s)/\Lambda_+$ (relative to $T_{pred}$).
// * **C7** the escape is arbitrarily slow: the slope of $\log \bar T$ against $\log\Lambda_+$ is
//   $-1 \pm 0.1$ (common/fit), and at the grid point closest to $\eta^*$ SGD is at least 10 times
//   slower than GD.
// * **C8** beyond $\eta^*$ ($\Lambda_+ < 0$) at most 5 % of the SGD runs escape, while GD escapes
//   from every start.

static void saddle_claims(const sad_cell *c, int ne) {
    char what[200], tol[320];
    double worst = 0, lx[64], ly[64];
    int npos = 0, nneg = 0, maxesc = 0, gdmiss = 0, allesc = 1, jlast = -1;
    for (int j = 0; j < ne; j++) {
        if (c[j].lam_p > 0) {
            // the deviation in units of its allowance: 3 standard errors plus the overshoot bound
            const double allow = 3 * c[j].t_se / c[j].t_pred + log(1 + c[j].eta * P.sad_a) / c[j].lam_p / c[j].t_pred;
            worst = fmax(worst, fabs(c[j].t_mean / c[j].t_pred - 1) / allow);
            allesc &= c[j].escaped == c[j].R;
            if (npos < 64) lx[npos] = c[j].lam_p, ly[npos] = c[j].t_mean, npos++;
            jlast = j;
        } else {
            nneg++;
            maxesc = c[j].escaped > maxesc ? c[j].escaped : maxesc;
        }
        if (c[j].t_gd_mean != c[j].t_gd_mean) gdmiss++;
    }
    if (!npos) claim_skip("sgdmax.C6", CLAIM_EXPERIMENT, "no grid point with Lambda_+ > 0");
    else {
        snprintf(what, sizeof what,
                 "max over %d grid points with Lambda_+ > 0 of |mean T / T_pred - 1| / (3 se + overshoot bound)", npos);
        snprintf(tol, sizeof tol, "<= 1; and every run escaped: %s", allesc ? "yes" : "no");
        claim_check("sgdmax.C6", CLAIM_EXPERIMENT, worst <= 1 && allesc, what, worst, tol);
    }
    fit_line_t fl;
    if (npos < 3 || fit_loglog(lx, ly, npos, 0, INFINITY, &fl))
        claim_skip("sgdmax.C7", CLAIM_EXPERIMENT, "fewer than 3 points with Lambda_+ > 0");
    else {
        const double ratio = c[jlast].t_mean / c[jlast].t_gd_mean;
        snprintf(what, sizeof what, "slope of log mean T against log Lambda_+ over %d points", npos);
        snprintf(tol, sizeof tol,
                 "in [-1.1, -0.9]; and at eta = %.3g (Lambda_+ = %.3g) SGD/GD escape time = %.3g >= 10", c[jlast].eta,
                 c[jlast].lam_p, ratio);
        claim_check("sgdmax.C7", CLAIM_EXPERIMENT, fl.slope >= -1.1 && fl.slope <= -0.9 && ratio >= 10, what, fl.slope,
                    tol);
    }
    if (!nneg) claim_skip("sgdmax.C8", CLAIM_EXPERIMENT, "no grid point beyond eta* (Lambda_+ <= 0)");
    else {
        const double f = (double)maxesc / c[0].R;
        snprintf(what, sizeof what, "max fraction of SGD runs escaping over %d grid points with Lambda_+ <= 0", nneg);
        snprintf(tol, sizeof tol, "<= 0.05; and GD escaped from every start at every eta: %s", gdmiss ? "no" : "yes");
        claim_check("sgdmax.C8", CLAIM_EXPERIMENT, f <= 0.05 && !gdmiss, what, f, tol);
    }
}

// ---- the saddle: the part ----

static void part_saddle(void) {
    const int ne = P.sad_etas.n, R = P.sad_runs;
    sad_cell *c = XNEW(sad_cell, ne);
    const double mu = 0.5 * (P.sad_a - P.sad_b), D = log(SAD_R1 / SAD_R0) + M_LN2;
    double *ts = XNEW(double, R), *tg = XNEW(double, R);
    for (int j = 0; j < ne; j++) {
        const double eta = P.sad_etas.v[j];
        sad_cell *q = &c[j];
        *q = (sad_cell){.eta = eta,
                        .lam_p = sad_lambda(eta, 1),
                        .lam_m = sad_lambda(eta, -1),
                        .gd_rate = log(1 + eta * mu),
                        .R = R};
        q->t_pred = q->lam_p > 0 ? D / q->lam_p : INFINITY;
        q->t_gd_pred = D / q->gd_rate;
        const long cap = q->lam_p > 0 ? (long)(SAD_CAP * q->t_pred) : P.sad_cap_steps;
        gsl_rng *r = rng_alloc(C.seed, STREAM_SADDLE + (unsigned)j);
        int ng = 0;
        for (int k = 0; k < R; k++) {
            const long t = sad_run(r, eta, cap, 0);
            if (t > 0) ts[q->escaped++] = (double)t;
            else if (t == -1) q->at_saddle++;
            const long g = sad_run(r, eta, (long)(SAD_CAP * q->t_gd_pred), 1);
            if (g > 0) tg[ng++] = (double)g;
        }
        rng_free(r);
        q->t_mean = q->escaped ? fit_mean(ts, q->escaped) : NAN;
        q->t_se = q->escaped ? fit_stderr(ts, q->escaped) : NAN;
        q->t_gd_mean = ng == R ? fit_mean(tg, ng) : NAN;  // NAN: some GD run did not escape
        printf(
            "saddle eta=%.3f Lambda+=%+.5f Lambda-=%+.4f  escaped %d/%d at-saddle %d  T=%.4g +- %.2g (pred %.4g)  GD "
            "T=%.4g (pred %.4g)\n",
            eta, q->lam_p, q->lam_m, q->escaped, R, q->at_saddle, q->t_mean, q->t_se, q->t_pred, q->t_gd_mean,
            q->t_gd_pred);
        progress("saddle: eta = %.3g done (%d/%d)", eta, j + 1, ne);
    }
    tsv *t = tsv_open(&C, "saddle.tsv", "sgdmax.C6 sgdmax.C7 sgdmax.C8");
    tsv_allow_nonfinite(t, 1);  // T_pred = inf and no escape time where Lambda_+ <= 0
    tsv_note(t, "l(u, w; y) = (uw - y)^2/2, y = %g or -%g w.p. 1/2; saddle at 0, mu = %g; eta* = %.10g", P.sad_a,
             P.sad_b, mu, (P.sad_a - P.sad_b) / (P.sad_a * P.sad_b));
    tsv_note(t, "escape: first t with |theta| >= %g from |theta_0| = %g at a uniform angle; at saddle: |theta| < %g",
             SAD_R1, SAD_R0, SAD_FLOOR);
    tsv_note(t,
             "T_pred = (log(r1/r0) + log 2)/Lambda_+ = %.6g/Lambda_+; GD: the same with log(1 + eta mu); means over "
             "escaped runs",
             D);
    tsv_columns(t,
                "eta\tLambda_plus\tLambda_minus\tgd_rate\truns\tescaped\tat_saddle\tT_mean\tT_se\tT_pred\tT_gd_mean\tT_"
                "gd_pred");
    for (int j = 0; j < ne; j++)
        tsv_row(t, "%.6g\t%.10g\t%.10g\t%.10g\t%d\t%d\t%d\t%.8g\t%.6g\t%.8g\t%.8g\t%.8g", c[j].eta, c[j].lam_p,
                c[j].lam_m, c[j].gd_rate, c[j].R, c[j].escaped, c[j].at_saddle, c[j].t_mean, c[j].t_se, c[j].t_pred,
                c[j].t_gd_mean, c[j].t_gd_pred);
    tsv_close(t);
    // the theory curves on a fine grid, for the figure
    t = tsv_open(&C, "saddle_theory.tsv", "sgdmax.C6");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t, "Lambda_+- on a fine grid of eta in (0, %g); T_pred = %.6g/Lambda_+ (inf where Lambda_+ <= 0)",
             1 / P.sad_a, D);
    tsv_columns(t, "eta\tLambda_plus\tLambda_minus\tT_pred\tT_gd_pred");
    for (int i = 1; i < 400; i++) {
        const double eta = (1 / P.sad_a) * i / 400.0, lp = sad_lambda(eta, 1);
        tsv_row(t, "%.8g\t%.10g\t%.10g\t%.8g\t%.8g", eta, lp, sad_lambda(eta, -1), lp > 0 ? D / lp : INFINITY,
                D / log(1 + eta * mu));
    }
    tsv_close(t);
    saddle_claims(c, ne);
    free(c), free(ts), free(tg);
}
