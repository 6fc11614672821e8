// ---- SGD leaves a flat minimum for a sharp one (claims sgdmax.C9, sgdmax.C10) ----

// ---- sharp against flat: theory ----
//
// One parameter, two minima, both interpolating (every per-sample gradient vanishes there):
// $$\ell(w; x) = \varphi(w) + x\,\psi(w), \qquad \varphi'(w) = (w^2 - 1)(w - m),\qquad
//   \psi(w) = \tfrac12 (w+1)^2\,(1 - v^2)^3\,[|v| < 1],\; v = (w + 1)/2,$$
// with $x = \pm A$ with probability 1/2.  $\varphi$ is a double well with minima at $\mp1$ and a
// maximum at $m \in (-1, 1)$: curvatures $h_f = \varphi''(-1) = 2(1 + m)$ and $h_s = \varphi''(1) = 2(1 - m)$;
// $m = -1/2$ (default) makes $w = -1$ the flat minimum ($h_f = 1$) and $w = +1$ the sharp one ($h_s = 3$).
// The noise $\psi$ is $C^2$, vanishes with its first two derivatives at $w = +1$ (and beyond) and
// has $\psi''(-1) = 1$: per sample, the curvature at the flat minimum is $h_f \pm A$, at the sharp one
// exactly $h_s$.  The expected loss is $\varphi$: both are minima of $L$, the flat one the flatter.
// Linearised at each minimum, SGD multiplies the distance by $1 - \eta h$ with the sample's curvature,
// so (linear stability in the Lyapunov sense, as in chapter 1)
// $$\Lambda_f(\eta) = \tfrac12\log|1 - \eta(h_f + A)| + \tfrac12\log|1 - \eta(h_f - A)|, \qquad
//   \Lambda_s(\eta) = \log|1 - \eta h_s|.$$
// Where $\Lambda_f > 0 > \Lambda_s$, SGD started at the flat minimum leaves it and can settle only at
// the sharp one: it prefers the sharp minimum.  Gradient descent multiplies by $1 - \eta h_f$, stable
// for $\eta < 2/h_f$: it stays at the flat minimum at every $\eta$ of the grid.  At the defaults
// ($A = 4$) $\Lambda_f > 0$ for $\eta > 0.31$ and $\Lambda_s < 0$ for $\eta < 2/3$; the grid avoids the
// singular points $\eta = 1/(h_f + A) = 0.2$ and $1/h_s$.

#define SH_AT 1e-9  // |w -+ 1| below this at the end: at that minimum
#define SH_DIVERGED 1e3

static double sh_dphi(double w) { return (w * w - 1) * (w - P.sh_m); }
static double sh_dpsi(double w) {
    const double v = 0.5 * (w + 1);
    if (fabs(v) >= 1) return 0;
    const double g = 1 - v * v;
    // psi = 2 v^2 g^3 (since (w+1)^2/2 = 2 v^2);  dpsi/dw = (1/2) dpsi/dv = 2 v g^3 - 6 v^3 g^2
    return 2 * v * g * g * g - 6 * v * v * v * g * g;
}
static double sh_lambda_flat(double eta) {
    const double hf = 2 * (1 + P.sh_m);
    return 0.5 * log(fabs(1 - eta * (hf + P.sh_A))) + 0.5 * log(fabs(1 - eta * (hf - P.sh_A)));
}
static double sh_lambda_sharp(double eta) { return log(fabs(1 - eta * 2 * (1 - P.sh_m))); }

typedef struct {
    double eta, lam_f, lam_s, kappa_f;
    int R, sharp, flat, diverged, other, gd_flat;
    double t_sharp;  // mean step of arrival at the sharp minimum
} sh_cell;

// 1: ends at the sharp minimum, 0: at the flat one, -1: diverged, 2: elsewhere.  *tarr: step at
// which it came within SH_AT of the sharp minimum.
static int sh_run(gsl_rng *r, double eta, long T, int gd, long *tarr) {
    double w = -1 + P.sh_w0 * (2 * gsl_rng_uniform(r) - 1);
    for (long t = 0; t < T; t++) {
        const double x = gd ? 0 : gsl_rng_uniform(r) < 0.5 ? P.sh_A : -P.sh_A;
        w -= eta * (sh_dphi(w) + x * sh_dpsi(w));
        if (!(fabs(w) < SH_DIVERGED)) return -1;
        if (fabs(w - 1) < SH_AT) {
            *tarr = t + 1;
            return 1;
        }                                    // no noise there: it stays
        if (fabs(w + 1) < 1e-200) return 0;  // deep in the flat minimum's linear regime
    }
    return fabs(w + 1) < SH_AT ? 0 : 2;
}

// ---- sharp against flat: claims ----
//
// * **C9** SGD from the flat minimum ends at the sharp one in at least 90 % of the runs wherever
//   $\Lambda_f \ge 0.02$ and $\Lambda_s \le -0.1$ (margins from the zero crossings, where the walk is
//   slow or the sharp minimum weakly stable), and stays at the flat one in at least 90 % wherever
//   $\Lambda_f < 0$ and $\kappa_f = 2|\Lambda_f|/s_f^2 \ge 0.2$ (as sgdmax.C2).
// * **C10** GD from the same starts ends at the flat minimum at every grid point.

static void sharp_claims(const sh_cell *c, int ne) {
    char what[200], tol[200];
    double fmin_sharp = 1, fmin_flat = 1;
    int nA = 0, nB = 0, gdbad = 0;
    for (int j = 0; j < ne; j++) {
        if (c[j].lam_f >= 0.02 && c[j].lam_s <= -0.1) nA++, fmin_sharp = fmin(fmin_sharp, (double)c[j].sharp / c[j].R);
        if (c[j].lam_f < 0 && c[j].kappa_f >= 0.2) nB++, fmin_flat = fmin(fmin_flat, (double)c[j].flat / c[j].R);
        gdbad += c[j].R - c[j].gd_flat;
    }
    if (!nA || !nB) claim_skip("sgdmax.C9", CLAIM_EXPERIMENT, "the grid lacks points on one side of the prediction");
    else {
        snprintf(what, sizeof what,
                 "min fraction at the sharp minimum over %d points with Lambda_f >= 0.02, Lambda_s <= -0.1", nA);
        snprintf(
            tol, sizeof tol,
            ">= 0.9; and min fraction at the flat one over %d points with Lambda_f < 0, kappa_f >= 0.2 = %.3f >= 0.9",
            nB, fmin_flat);
        claim_check("sgdmax.C9", CLAIM_EXPERIMENT, fmin_sharp >= 0.9 && fmin_flat >= 0.9, what, fmin_sharp, tol);
    }
    snprintf(what, sizeof what, "GD runs not at the flat minimum, over %d grid points", ne);
    claim_check("sgdmax.C10", CLAIM_EXPERIMENT, gdbad == 0, what, gdbad, "0");
}

// ---- sharp against flat: the part ----

static void part_sharp(void) {
    const int ne = P.sh_etas.n, R = P.sh_runs;
    sh_cell *c = XNEW(sh_cell, ne);
    const double hf = 2 * (1 + P.sh_m);
    for (int j = 0; j < ne; j++) {
        const double eta = P.sh_etas.v[j];
        sh_cell *q = &c[j];
        const double g1 = log(fabs(1 - eta * (hf + P.sh_A))), g2 = log(fabs(1 - eta * (hf - P.sh_A)));
        *q = (sh_cell){.eta = eta, .lam_f = sh_lambda_flat(eta), .lam_s = sh_lambda_sharp(eta), .R = R};
        q->kappa_f = 2 * fabs(q->lam_f) / (0.25 * (g1 - g2) * (g1 - g2));  // s_f^2 of the two-point law
        gsl_rng *r = rng_alloc(C.seed, STREAM_SHARP + (unsigned)j);
        double tsum = 0;
        for (int k = 0; k < R; k++) {
            long ta = 0;
            const int o = sh_run(r, eta, P.sh_steps, 0, &ta);
            if (o == 1) q->sharp++, tsum += ta;
            else if (o == 0) q->flat++;
            else if (o == -1) q->diverged++;
            else q->other++;
            q->gd_flat += sh_run(r, eta, P.sh_steps, 1, &ta) == 0;
        }
        rng_free(r);
        q->t_sharp = q->sharp ? tsum / q->sharp : NAN;
        printf(
            "sharp eta=%.3f Lambda_f=%+.4f Lambda_s=%+.4f kappa_f=%.3f  sharp %d flat %d diverged %d other %d  GD flat "
            "%d/%d\n",
            eta, q->lam_f, q->lam_s, q->kappa_f, q->sharp, q->flat, q->diverged, q->other, q->gd_flat, R);
    }
    tsv *t = tsv_open(&C, "sharp.tsv", "sgdmax.C9 sgdmax.C10");
    tsv_allow_nonfinite(t, 1);  // t_sharp = nan where no run reached the sharp minimum
    tsv_note(
        t,
        "l(w; x) = phi(w) + x psi(w), phi' = (w^2 - 1)(w - %g), x = +-%g; flat minimum -1 (h = %g), sharp +1 (h = %g)",
        P.sh_m, P.sh_A, hf, 2 * (1 - P.sh_m));
    tsv_note(t, "starts w_0 = -1 + U(-%g, %g); %ld steps; at a minimum: within %g; diverged: |w| > %g", P.sh_w0,
             P.sh_w0, P.sh_steps, SH_AT, SH_DIVERGED);
    tsv_columns(t,
                "eta\tLambda_flat\tLambda_sharp\tkappa_flat\truns\tf_sharp\tf_flat\tf_diverged\tf_other\tgd_f_flat\tt_"
                "sharp_mean");
    for (int j = 0; j < ne; j++)
        tsv_row(t, "%.6g\t%.10g\t%.10g\t%.6g\t%d\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g", c[j].eta, c[j].lam_f, c[j].lam_s,
                c[j].kappa_f, R, (double)c[j].sharp / R, (double)c[j].flat / R, (double)c[j].diverged / R,
                (double)c[j].other / R, (double)c[j].gd_flat / R, c[j].t_sharp);
    tsv_close(t);
    t = tsv_open(&C, "sharp_theory.tsv", "sgdmax.C9");
    tsv_allow_nonfinite(t, 1);  // -inf at the singular points
    tsv_note(t, "Lambda_f and Lambda_s on a fine grid; GD at the flat minimum: log|1 - eta h_f|");
    tsv_columns(t, "eta\tLambda_flat\tLambda_sharp\tgd_flat");
    for (int i = 1; i < 800; i++) {
        const double eta = 0.8 * (i + 0.5) / 800;
        tsv_row(t, "%.8g\t%.10g\t%.10g\t%.10g", eta, sh_lambda_flat(eta), sh_lambda_sharp(eta),
                log(fabs(1 - eta * hf)));
    }
    tsv_close(t);
    sharp_claims(c, ne);
    free(c);
}
