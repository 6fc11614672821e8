#include "rfeig.h"
#include "status.h"
#include <math.h>
#include <stdio.h>

// z(gamma) = sum m L and zq = sum m L (1 - L), accumulated together (one pass).
static void sums(const rfeig_task *t, double gamma, double *z, double *zq) {
    double s = 0, sq = 0;
    for (size_t i = 0; i < t->M; i++) {
        double lam = t->lambda[i];
        if (!(lam > 0)) continue;
        double m = t->mult ? t->mult[i] : 1.0;
        double inv = 1.0 / (lam + gamma), L = lam * inv, oneL = gamma * inv;
        s += m * L;
        sq += m * L * oneL;
    }
    *z = s;
    if (zq) *zq = sq;
}

// Safeguarded Newton in u = log gamma on a strictly decreasing f(u), bracketed by
// f(ulo) > 0 > f(uhi): a Newton step is taken when it stays inside the bracket, else the
// bisection point.  fdf returns f and df/du (f may be +inf left of a pole: then bisect).
typedef double (*fdf_fn)(const rfeig_task *t, double u, const double *par, double *df);
static double newton_bisect(const rfeig_task *t, fdf_fn f, const double *par, double ulo, double uhi) {
    double u = 0.5 * (ulo + uhi);
    for (int it = 0; it < 300; it++) {
        double df, fu = f(t, u, par, &df);
        if (fu == 0) return u;
        if (fu > 0) ulo = u;
        else uhi = u;
        if (uhi - ulo <= 4e-16 * fmax(1.0, fabs(u))) break;
        double un = (isfinite(fu) && df < 0) ? u - fu / df : NAN;
        if (!(un > ulo && un < uhi)) un = 0.5 * (ulo + uhi);
        if (fabs(un - u) <= 2e-16 * fmax(1.0, fabs(u))) {
            u = un;
            break;
        }
        u = un;
    }
    return u;
}

// f = z(gamma) - target, df/du = -sum m L (1-L).  par = {target}.
static double fz(const rfeig_task *t, double u, const double *par, double *df) {
    double z, zq;
    sums(t, exp(u), &z, &zq);
    *df = -zq;
    return z - par[0];
}

// Solve z(gamma) = target (z strictly decreasing from Ntot at 0 to 0 at inf), in log gamma.
// NaN (said on stderr) when no bracket exists: the library returns a status, it never exits.
static double solve_z(const rfeig_task *t, double target, double S) {
    double hi = 2.0 * S / target, z;
    sums(t, hi, &z, NULL);
    while (z >= target) hi *= 4, sums(t, hi, &z, NULL);
    double lo = hi;
    for (int it = 0; it < 2000; it++) {
        lo /= 10;
        sums(t, lo, &z, NULL);
        if (z > target) break;
        if (lo < 1e-300) {
            sim_fail(-1, "rfeig: z(gamma) = %g never exceeds %g; too few modes", z, target);
            return NAN;
        }
    }
    return exp(newton_bisect(t, fz, &target, log(lo), log(hi)));
}

// G(gamma) = z + delta k/(gamma (k - z)) - n; +inf where k - z <= 0 (left of gamma_k).
// dG/du = -zq - (delta k/(gamma (k-z))) (1 + zq/(k-z)).  par = {n, k, delta}.
static double fG(const rfeig_task *t, double u, const double *par, double *df) {
    double n = par[0], k = par[1], de = par[2], gamma = exp(u), z, zq;
    sums(t, gamma, &z, &zq);
    if (isinf(k)) {
        *df = -zq - de / gamma;
        return z + de / gamma - n;
    }
    if (k - z <= 0) {
        *df = NAN;
        return INFINITY;
    }
    double a = de * k / (gamma * (k - z));
    *df = -zq - a * (1.0 + zq / (k - z));
    return z + a - n;
}
static double Gfun(const rfeig_task *t, double gamma, double n, double k, double de) {
    double par[3] = {n, k, de}, df;
    return fG(t, log(gamma), par, &df);
}

int rfeig_solve(const rfeig_task *t, double n, double k, double ridge, rfeig_result *r) {
    if (!t || !t->lambda || t->M == 0) {
        sim_fail(-1, "rfeig_solve: empty spectrum");
        return -1;
    }
    if (!(n >= 1) || !(k > 0) || !(ridge >= 0) || !(t->tail >= 0) || !(t->noise >= 0)) {
        sim_fail(-1, "rfeig_solve: need n >= 1 (%g), k > 0 (%g), ridge >= 0 (%g), tail >= 0 (%g), noise >= 0 (%g)", n,
                 k, ridge, t->tail, t->noise);
        return -1;
    }
    double S = 0, Ntot = 0;  // trace and count of positive modes, with multiplicity
    for (size_t i = 0; i < t->M; i++)
        if (t->lambda[i] > 0) {
            double m = t->mult ? t->mult[i] : 1.0;
            S += m * t->lambda[i];
            Ntot += m;
        }
    if (!(S > 0)) {
        sim_fail(-1, "rfeig_solve: no positive eigenvalue");
        return -1;
    }
    double de = ridge + t->tail;  // effective ridge: the tail mass acts as extra ridge
    r->status = RFEIG_OK;
    double gamma, kappa, ridge_over_kappa;
    if (de > 0) {
        // gamma_k: z(gamma_k) = k, or 0 when k >= number of modes
        double gk = (isinf(k) || k >= Ntot) ? 0.0 : solve_z(t, k, S);
        if (isnan(gk)) return -1;
        double lo = gk > 0 ? gk : de / (2.0 * n);  // G(lo) > 0: at gk it is +inf; else G >= de/gamma - n
        if (gk == 0)
            while (Gfun(t, lo, n, k, de) <= 0) lo /= 4;
        double hi = fmax(2.0 * lo, 2.0 * (S + de) / n);
        while (Gfun(t, hi, n, k, de) >= 0) hi *= 4;
        double par[3] = {n, k, de};
        gamma = exp(newton_bisect(t, fG, par, log(lo), log(hi)));
        double z;
        sums(t, gamma, &z, NULL);
        // At the root kappa = gamma (k - z)/k = de/(n - z).  The second form is well
        // conditioned; the first is not near gamma_k, where k - z is a small difference whose
        // relative error grows as the bisection's last bracket (measured 1e-3 at de = 1e-12).
        kappa = de / (n - z);
        ridge_over_kappa = n - z;
        if (!(kappa > 0)) {
            sim_fail(-1, "rfeig: kappa = %g at gamma = %g (k = %g, z = %g); bracket failed", kappa, gamma, k, z);
            return -1;
        }
    } else if (k > n) {
        if (Ntot <= n) {
            sim_fail(-1,
                     "rfeig_solve: ridgeless with %g <= n = %g positive modes: interpolation is exact, E0 undefined",
                     Ntot, n);
            return -1;
        }
        gamma = solve_z(t, n, S);
        if (isnan(gamma)) return -1;
        kappa = isinf(k) ? gamma : gamma * (1.0 - n / k);
        ridge_over_kappa = 0;
    } else {
        if (Ntot <= k) {
            sim_fail(-1,
                     "rfeig_solve: ridgeless with k = %g >= %g positive modes: the RF kernel has full rank, no root", k,
                     Ntot);
            return -1;
        }
        gamma = solve_z(t, k, S);
        if (isnan(gamma)) return -1;
        kappa = 0;
        ridge_over_kappa = n - k;  // delta/kappa := n - k (the limit delta -> 0)
        if (k == n) r->status = RFEIG_PEAK;
    }
    double z, zq;
    sums(t, gamma, &z, &zq);
    double q = z - zq;
    r->gamma = gamma, r->kappa = kappa, r->z = z, r->q = q;
    double ratio = isinf(k) ? 1.0 : (k - z) / (k - q);  // (k - z)/(k - q)
    if (de == 0 && k < n) ratio = 0;                    // z = k exactly in the limit
    double bias = 0;
    if (t->v2)
        for (size_t i = 0; i < t->M; i++) {
            double lam = t->lambda[i];
            if (!(lam > 0) || t->v2[i] == 0) {
                if (!(lam > 0)) bias += t->v2[i];  // a mode of zero eigenvalue is never learned
                continue;
            }
            double oneL = gamma / (lam + gamma);
            // 1 - L (k - z)/(k - q) = [(k - z)(1 - L) + (z - q)]/(k - q)
            double f = isinf(k) ? oneL : (de == 0 && k < n) ? 1.0 : ((k - z) * oneL + zq) / (k - q);
            bias += oneL * f * t->v2[i];
        }
    r->bias = bias;
    if (r->status == RFEIG_PEAK) {
        r->E0 = INFINITY, r->Ete = INFINITY, r->Etr = 0;
        return 0;
    }
    double D = zq * ratio + ridge_over_kappa;  // = n - q - (z-q)^2/(k-q) at the root
    r->E0 = n / D;
    r->Ete = r->E0 * (bias + t->noise);
    if (de == 0) r->Etr = k < n ? pow((n - k) / n, 2) * r->Ete : 0.0;
    else r->Etr = pow(ridge / (n * kappa), 2) * r->Ete;  // the user's delta, not the tail-augmented one
    return 0;
}
