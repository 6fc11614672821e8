#include "eigenframework.h"
#include "status.h"
#include <math.h>
#include <stdio.h>

const char *ef_strerror(int status) {
    switch (status) {
    case 0: return "success";
    case EF_EINVAL: return "invalid arguments";
    case EF_ENOROOT: return "ridgeless with at most n positive eigenvalues: KRR interpolates exactly, E0 undefined";
    case EF_EMAXITER: return "kappa solver did not converge";
    }
    return "unknown status";
}

// One pass: F = sum m L + tail S1 (without delta/kappa), D = sum m L(1-L) + tail (S1 - S2),
// and S2 = sum m L^2 + tail.
static void sums(const ef_spectrum *s, double kappa, double *F, double *D, double *S2) {
    double f = 0, dd = 0, q = 0;
    for (size_t i = 0; i < s->M; i++) {
        double lam = s->lam[i], m = s->mult ? s->mult[i] : 1.0;
        double L = lam / (lam + kappa), omL = kappa / (lam + kappa);
        f += m * L;
        dd += m * L * omL;
        q += m * L * L;
    }
    if (s->tail) {
        double t1, t2;
        s->tail(kappa, s->tail_par, &t1, &t2);
        f += t1;
        dd += t1 - t2;
        q += t2;
    }
    *F = f, *D = dd, *S2 = q;
}

// g(u) = F(e^u) + delta_eff e^{-u} - n: strictly decreasing in u.
static double g_of(const ef_spectrum *s, double u, double n, double de, double *dg, double *D, double *S2) {
    double kappa = exp(u), F;
    sums(s, kappa, &F, D, S2);
    *dg = -*D - de / kappa;
    return F + de / kappa - n;
}

int ef_solve(const ef_spectrum *s, double n, double delta, ef_fit *fit) {
    if (!s || !fit || !(n > 0) || !(delta >= 0) || !(s->extra_ridge >= 0) || (s->M > 0 && !s->lam)) {
        sim_fail(-1, "ef_solve: bad arguments (n = %g, delta = %g)", n, delta);
        return EF_EINVAL;
    }
    double de = delta + s->extra_ridge;
    // Bracket (conventions.md, Eigenframework).  Upper: sum m lam/(lam+k) <= sum m lam / k,
    // so g <= 0 at k_hi = (sum m lam + delta)/n.
    double mass = s->tail ? s->tail_mass : 0, Npos = 0, lampos = INFINITY;
    for (size_t i = 0; i < s->M; i++) {
        double lam = s->lam[i], m = s->mult ? s->mult[i] : 1.0;
        if (!(lam >= 0)) {
            sim_fail(-1, "ef_solve: eigenvalue %zu is %g (must be >= 0)", i, lam);
            return EF_EINVAL;
        }
        mass += m * lam;
        if (lam > 0) {
            Npos += m;
            if (lam < lampos) lampos = lam;
        }
    }
    if (!(mass + de > 0)) return EF_ENOROOT;
    double ulo, uhi = log((mass + de) / n);
    // Lower: delta > 0 gives g >= 0 at k = delta/n.  Ridgeless: N+ lam+/(lam+ + k) = n at
    // k = lam+ (N+ - n)/n, so g >= 0 there; no root exists when N+ <= n (and no tail).
    if (de > 0) ulo = log(de / n);
    else if (Npos > n) ulo = log(lampos * (Npos - n) / n);
    else if (s->tail) ulo = uhi - 10;  // infinite tail: a root exists; expand below
    else return EF_ENOROOT;
    double dg, D, S2, glo, ghi;
    for (int k = 0; (glo = g_of(s, ulo, n, de, &dg, &D, &S2)) < 0; k++) {
        if (k > 100 || ulo < -700) return EF_ENOROOT;
        ulo -= 10;
    }
    for (int k = 0; (ghi = g_of(s, uhi, n, de, &dg, &D, &S2)) > 0; k++) {  // guards rounding only
        if (k > 100) return EF_EMAXITER;
        uhi += 1;
    }
    // Newton in u with a bisection safeguard (Numerical Recipes' rtsafe).
    double u = 0.5 * (ulo + uhi), du = uhi - ulo;
    int it;
    for (it = 1; it <= 400; it++) {
        double gu = g_of(s, u, n, de, &dg, &D, &S2);
        if (gu == 0) break;
        if (gu > 0) ulo = u;
        else uhi = u;
        double un = u - gu / dg;
        if (!(un > ulo && un < uhi) || fabs(gu / dg) > 0.5 * du) un = 0.5 * (ulo + uhi);
        du = fabs(un - u);
        u = un;
        if (du < 1e-13 || uhi - ulo < 1e-13) break;
    }
    if (it > 400) return EF_EMAXITER;
    double F, kappa = exp(u);
    sums(s, kappa, &F, &D, &S2);
    fit->n = n;
    fit->delta = delta;
    fit->kappa = kappa;
    fit->sumL = F;
    fit->sumL2 = S2;
    // cancellation-free E0 denominator: n - sum m L^2 = sum m L(1-L) + delta/kappa at the root
    fit->E0 = n / (D + de / kappa);
    fit->iterations = it;
    return 0;
}

void ef_learnabilities(const ef_spectrum *s, double kappa, double *L_out) {
    for (size_t i = 0; i < s->M; i++) L_out[i] = s->lam[i] / (s->lam[i] + kappa);
}

int ef_predict(const ef_spectrum *s, const ef_fit *fit, const double *v2, double v2_tail, double eps2, ef_pred *p) {
    if (!s || !fit || !v2 || !p || !(v2_tail >= 0) || !(eps2 >= 0)) {
        sim_fail(-1, "ef_predict: bad arguments");
        return EF_EINVAL;
    }
    double kappa = fit->kappa, b = v2_tail, lv = 0, vv = v2_tail;
    for (size_t i = 0; i < s->M; i++) {
        double omL = kappa / (s->lam[i] + kappa), L = s->lam[i] / (s->lam[i] + kappa);
        b += omL * omL * v2[i];
        lv += L * v2[i];
        vv += v2[i];
    }
    p->bias = b + eps2;
    p->te = fit->E0 * p->bias;
    p->variance = (fit->E0 - 1) * p->bias;
    p->mse = p->te - eps2;
    double r = fit->delta / (fit->n * kappa);
    p->tr = r * r * p->te;
    p->L = vv > 0 ? lv / vv : NAN;
    return 0;
}

double ef_holdout(double Mpool, double n, double te, double tr) { return (Mpool * te - n * tr) / (Mpool - n); }

double ef_powerlaw_kappa(double alpha, double n) { return pow((M_PI / alpha) / sin(M_PI / alpha) / n, alpha); }

double ef_powerlaw_E0(double alpha, double s) { return alpha / (1 + (alpha - 1) * s); }
