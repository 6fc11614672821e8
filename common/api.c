// api: the public functions of libsimsuite (simsuite.h), over common/'s numerics.
//
// No exported function exits or prints.  Every argument is validated here first (finite values,
// signs, sizes, solvability), with the message in ss_last_error(); what validation cannot
// foresee (out of memory inside a module, a solver bracket that fails on a pathological
// spectrum) comes back from the module as a status with its reason in sim_last_error()
// (status.h), which is copied into ss_last_error().
#include "ridgeopt.h"
#include "simsuite.h"
#include <lapacke.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eigenframework.h"
#include "hermite.h"
#include "kernel.h"
#include "krr.h"
#include "rfeig.h"
#include "status.h"

static __thread char ss_err[1024];

const char *ss_version(void) { return SIMSUITE_VERSION; }
const char *ss_last_error(void) { return ss_err; }

static int fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ss_err, sizeof ss_err, fmt, ap);
    va_end(ap);
    return status;
}

// ---- spectrum validation ----
// lam finite; a negative eigenvalue is round-off if |lam| <= 1e-12 max|lam| (then treated as 0,
// in a copy), otherwise an error.  mult, v2 finite and >= 0; tail, v2_tail, noise finite >= 0.
typedef struct {
    double *lam_copy;  // non-NULL when negatives were zeroed
    const double *lam;
    double Npos, mass, vsum;
} spec_ok;

static int check_spectrum(size_t M, const double *lam, const double *mult, const double *v2, double tail,
                          double v2_tail, double noise, spec_ok *s) {
    memset(s, 0, sizeof *s);
    if (M == 0 || !lam) return fail(SS_EINVAL, "empty spectrum: need at least one eigenvalue");
    double amax = 0;
    for (size_t i = 0; i < M; i++) {
        if (!isfinite(lam[i])) return fail(SS_EINVAL, "eigenvalue %zu is not finite (%g)", i, lam[i]);
        if (fabs(lam[i]) > amax) amax = fabs(lam[i]);
        if (mult && !(isfinite(mult[i]) && mult[i] >= 0))
            return fail(SS_EINVAL, "multiplicity %zu is %g: must be finite and >= 0", i, mult[i]);
        if (v2 && !(isfinite(v2[i]) && v2[i] >= 0))
            return fail(SS_EINVAL, "squared target coefficient %zu is %g: must be finite and >= 0", i, v2[i]);
    }
    if (!(isfinite(tail) && tail >= 0))
        return fail(SS_EINVAL, "eigenvalue tail mass %g: must be finite and >= 0", tail);
    if (!(isfinite(v2_tail) && v2_tail >= 0))
        return fail(SS_EINVAL, "target tail power %g: must be finite and >= 0", v2_tail);
    if (!(isfinite(noise) && noise >= 0)) return fail(SS_EINVAL, "noise variance %g: must be finite and >= 0", noise);
    int neg = 0;
    for (size_t i = 0; i < M; i++)
        if (lam[i] < 0) {
            if (-lam[i] > 1e-12 * amax)
                return fail(SS_EINVAL,
                            "eigenvalue %zu is %g < 0 beyond round-off (1e-12 x max |lambda| = %g): "
                            "a kernel's eigenvalues are >= 0",
                            i, lam[i], 1e-12 * amax);
            neg = 1;
        }
    s->lam = lam;
    if (neg) {
        s->lam_copy = malloc(M * sizeof(double));
        if (!s->lam_copy) return fail(SS_ENOMEM, "out of memory copying %zu eigenvalues", M);
        for (size_t i = 0; i < M; i++) s->lam_copy[i] = lam[i] < 0 ? 0.0 : lam[i];
        s->lam = s->lam_copy;
    }
    for (size_t i = 0; i < M; i++) {
        double m = mult ? mult[i] : 1.0;
        if (s->lam[i] > 0) s->Npos += m, s->mass += m * s->lam[i];
        if (v2) s->vsum += v2[i];
    }
    s->vsum += v2_tail;
    return 0;
}

// ---- KRR ----
static int krr_core(const spec_ok *sp, size_t M, const double *mult, const double *v2, double tail, double v2_tail,
                    double n, double ridge, double noise, ss_krr_result *out, double *L_out) {
    if (!(isfinite(n) && n > 0)) return fail(SS_EINVAL, "n = %g: must be finite and > 0", n);
    if (!(isfinite(ridge) && ridge >= 0)) return fail(SS_EINVAL, "ridge = %g: must be finite and >= 0", ridge);
    if (ridge + tail == 0 && !(sp->Npos > n))
        return fail(SS_ENOROOT,
                    "ridgeless (ridge 0, no tail) with n = %g >= %g positive eigenvalues: KRR interpolates "
                    "every target exactly, E0 is undefined; give more eigenvalues than n, a tail, or a ridge > 0",
                    n, sp->Npos);
    ef_spectrum s = {.M = M, .lam = sp->lam, .mult = mult, .extra_ridge = tail};
    ef_fit f;
    int st = ef_solve(&s, n, ridge, &f);
    if (st == EF_ENOROOT) return fail(SS_ENOROOT, "n = %g, ridge = %g: %s", n, ridge, ef_strerror(st));
    if (st) return fail(SS_EFAIL, "n = %g, ridge = %g: %s", n, ridge, ef_strerror(st));
    ef_pred p;
    double *z = NULL;
    const double *vv = v2;
    if (!vv) {
        z = calloc(M, sizeof *z);
        if (!z) return fail(SS_ENOMEM, "out of memory (%zu modes)", M);
        vv = z;
    }
    st = ef_predict(&s, &f, vv, v2_tail, noise, &p);
    free(z);
    if (st) return fail(SS_EFAIL, "prediction failed: %s", ef_strerror(st));
    memset(out, 0, sizeof *out);
    out->n = n, out->ridge = ridge, out->noise = noise;
    out->kappa = f.kappa, out->E0 = f.E0, out->sumL = f.sumL, out->sumL2 = f.sumL2;
    out->learnability = p.L;
    out->test_mse = p.te, out->test_mse_clean = p.mse, out->train_mse = p.tr;
    out->bias = p.bias, out->variance = p.variance;
    out->fitting_ratio = p.te > 0 ? p.tr / p.te : NAN;
    if (L_out) ef_learnabilities(&s, f.kappa, L_out);
    return 0;
}

int ss_krr(size_t M, const double *lam, const double *mult, const double *v2, double tail, double v2_tail, double n,
           double ridge, double noise, ss_krr_result *out, double *L_out) {
    if (!out) return fail(SS_EINVAL, "ss_krr: out is NULL");
    spec_ok sp;
    int st = check_spectrum(M, lam, mult, v2, tail, v2_tail, noise, &sp);
    if (st) return st;
    st = krr_core(&sp, M, mult, v2, tail, v2_tail, n, ridge, noise, out, L_out);
    free(sp.lam_copy);
    return st;
}

// ---- random features ----
static int rf_core(const spec_ok *sp, size_t M, const double *mult, const double *v2, double tail, double v2_tail,
                   double n, double k, double ridge, double noise, ss_rf_result *out) {
    if (!(isfinite(n) && n >= 1)) return fail(SS_EINVAL, "n = %g: the random-feature theory needs finite n >= 1", n);
    if (!(k > 0) || isnan(k)) return fail(SS_EINVAL, "k = %g features: must be > 0 (inf for KRR)", k);
    if (!(isfinite(ridge) && ridge >= 0)) return fail(SS_EINVAL, "ridge = %g: must be finite and >= 0", ridge);
    if (!(sp->mass > 0)) return fail(SS_EINVAL, "no positive eigenvalue");
    if (ridge + tail == 0) {
        if (k > n && !(sp->Npos > n))
            return fail(SS_ENOROOT,
                        "ridgeless with n = %g >= %g positive eigenvalues: interpolation is exact, E0 "
                        "undefined; give more eigenvalues than n, a tail, or a ridge > 0",
                        n, sp->Npos);
        if (k <= n && !(sp->Npos > k))
            return fail(SS_ENOROOT,
                        "ridgeless with k = %g >= %g positive eigenvalues: the feature kernel has full "
                        "rank, no root; give more eigenvalues than k or a ridge > 0",
                        k, sp->Npos);
    }
    rfeig_task t = {.M = M, .lambda = sp->lam, .mult = mult, .v2 = v2, .noise = noise + v2_tail, .tail = tail};
    rfeig_result r;
    if (rfeig_solve(&t, n, k, ridge, &r))
        return fail(SS_EFAIL, "random-feature solver failed at n = %g, k = %g, ridge = %g: %s", n, k, ridge,
                    sim_last_error());
    memset(out, 0, sizeof *out);
    out->n = n, out->k = k, out->ridge = ridge, out->noise = noise;
    out->gamma = r.gamma, out->kappa = r.kappa, out->z = r.z, out->q = r.q, out->E0 = r.E0;
    out->bias = r.bias + v2_tail;
    out->test_mse = r.Ete, out->test_mse_clean = r.Ete - noise, out->train_mse = r.Etr;
    out->fitting_ratio = r.Ete > 0 && isfinite(r.Ete) ? r.Etr / r.Ete : (r.status == RFEIG_PEAK ? 0.0 : NAN);
    out->peak = r.status == RFEIG_PEAK;
    return 0;
}

int ss_rf(size_t M, const double *lam, const double *mult, const double *v2, double tail, double v2_tail, double n,
          double k, double ridge, double noise, ss_rf_result *out) {
    if (!out) return fail(SS_EINVAL, "ss_rf: out is NULL");
    spec_ok sp;
    int st = check_spectrum(M, lam, mult, v2, tail, v2_tail, noise, &sp);
    if (st) return st;
    st = rf_core(&sp, M, mult, v2, tail, v2_tail, n, k, ridge, noise, out);
    free(sp.lam_copy);
    return st;
}

// ---- optimal ridge ----
typedef struct {
    const spec_ok *sp;
    size_t M;
    const double *mult, *v2;
    double tail, v2_tail, n, k, noise;
    int status;
} opt_ctx;

// E_te at delta = exp(u): the KRR eigenframework when k is infinite (so that the optimum agrees
// with ss_krr at the same ridge to the last bit), else the random-feature one.
static double ete_at(opt_ctx *c, double u, double *tr) {
    if (isinf(c->k)) {
        ss_krr_result r;
        int st = krr_core(c->sp, c->M, c->mult, c->v2, c->tail, c->v2_tail, c->n, exp(u), c->noise, &r, NULL);
        if (st) {
            if (!c->status) c->status = st;
            return NAN;
        }
        if (tr) *tr = r.train_mse;
        return r.test_mse;
    }
    ss_rf_result r;
    int st = rf_core(c->sp, c->M, c->mult, c->v2, c->tail, c->v2_tail, c->n, c->k, exp(u), c->noise, &r);
    if (st) {
        if (!c->status) c->status = st;
        return NAN;
    }
    if (tr) *tr = r.train_mse;
    return r.test_mse;
}

// f(u) for common/ridgeopt: E_te at delta = exp(u); a failed solve records its status in the
// context and returns NaN, which the search reports.
static double ete_u(double u, void *vc) { return ete_at(vc, u, NULL); }

static int opt_core(opt_ctx *c, double lo, double hi, int grid, double tol, int include_zero, ss_optimum *out) {
    ridgeopt_result ro;
    int bad = ridgeopt_min(ete_u, c, lo, hi, grid, tol, &ro);
    if (c->status) return c->status;
    if (bad) return fail(SS_EFAIL, "optimal ridge: the test error is not finite on the ridge grid");
    int where = ro.interior ? 0 : 1;
    double ub = ro.u;
    double tr, te = ete_at(c, ub, &tr);
    if (c->status) return c->status;
    memset(out, 0, sizeof *out);
    out->ridge = exp(ub), out->test_mse = te, out->train_mse = tr, out->where = where;
    double vs = c->noise + c->sp->vsum;  // delta -> inf: f_hat = 0
    if (vs < te) out->ridge = INFINITY, out->test_mse = vs, out->train_mse = vs, out->where = 2;
    if (include_zero) {
        double tr0, te0 = ete_at(c, -INFINITY, &tr0);  // exp(-inf) = 0: the ridgeless system, if solvable
        if (c->status) c->status = 0;
        else if (te0 <= out->test_mse) out->ridge = 0, out->test_mse = te0, out->train_mse = tr0, out->where = 3;
    }
    out->test_mse_clean = out->test_mse - c->noise;
    out->fitting_ratio = out->test_mse > 0 ? out->train_mse / out->test_mse : NAN;
    return 0;
}

int ss_optimal_ridge(size_t M, const double *lam, const double *mult, const double *v2, double tail, double v2_tail,
                     double n, double k, double noise, double lo, double hi, int grid, double tol, int include_zero,
                     ss_optimum *out) {
    if (!out) return fail(SS_EINVAL, "ss_optimal_ridge: out is NULL");
    if (!(isfinite(lo) && isfinite(hi) && lo > 0 && hi > lo))
        return fail(SS_EINVAL, "ridge range [%g, %g]: need 0 < lo < hi, both finite", lo, hi);
    if (grid < 3) return fail(SS_EINVAL, "ridge grid of %d points: need >= 3", grid);
    if (!(tol > 0 && isfinite(tol))) return fail(SS_EINVAL, "tolerance %g: must be > 0", tol);
    spec_ok sp;
    int st = check_spectrum(M, lam, mult, v2, tail, v2_tail, noise, &sp);
    if (st) return st;
    opt_ctx c = {&sp, M, mult, v2, tail, v2_tail, n, k, noise, 0};
    st = opt_core(&c, lo, hi, grid, tol, include_zero, out);
    free(sp.lam_copy);
    return st;
}

double ss_holdout(double Mpool, double n, double te, double tr) {
    if (!(n < Mpool)) return NAN;
    return ef_holdout(Mpool, n, te, tr);
}

// ---- pool spectrum ----
int ss_pool_spectrum(int M, const double *K, int nrhs, const double *y, double *lam, double *v) {
    if (M < 1 || !K || !lam) return fail(SS_EINVAL, "pool spectrum: need M >= 1 and K, lam (M = %d)", M);
    if (y && (nrhs < 1 || !v)) return fail(SS_EINVAL, "pool spectrum: targets need nrhs >= 1 and an output v");
    double amax = 0;
    for (size_t i = 0; i < (size_t)M * M; i++) {
        if (!isfinite(K[i])) return fail(SS_EINVAL, "Gram entry (%zu, %zu) is not finite (%g)", i / M, i % M, K[i]);
        if (fabs(K[i]) > amax) amax = fabs(K[i]);
    }
    if (y)
        for (size_t i = 0; i < (size_t)M * nrhs; i++)
            if (!isfinite(y[i])) return fail(SS_EINVAL, "target value %zu is not finite (%g)", i, y[i]);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < i; j++) {
            double a = K[(size_t)i * M + j], b = K[(size_t)j * M + i];
            if (fabs(a - b) > 1e-10 * amax)
                return fail(SS_EINVAL,
                            "Gram matrix is not symmetric: K[%d][%d] = %.17g but K[%d][%d] = %.17g "
                            "(tolerance 1e-10 x max |K| = %.3g)",
                            i, j, a, j, i, b, 1e-10 * amax);
        }
    double *A = malloc((size_t)M * M * sizeof *A);
    if (!A) return fail(SS_ENOMEM, "out of memory for a %d x %d Gram matrix", M, M);
    // symmetrise exactly (the LAPACK routines read one triangle)
    for (int i = 0; i < M; i++)
        for (int j = 0; j <= i; j++) {
            double s = 0.5 * (K[(size_t)i * M + j] + K[(size_t)j * M + i]);
            A[(size_t)i * M + j] = A[(size_t)j * M + i] = s;
        }
    int info = krr_pool_spectrum(M, A, y ? nrhs : 0, y, lam, y ? v : NULL);
    free(A);
    if (info == LAPACK_WORK_MEMORY_ERROR || (info < 0 && !strncmp(sim_last_error(), "out of memory", 13)))
        return fail(SS_ENOMEM, "%s", sim_last_error());
    if (info) return fail(SS_EFAIL, "eigendecomposition of the Gram matrix failed (LAPACK info %d)", info);
    // Round-off: eigenvalues of a PSD matrix computed by dsyevd carry errors ~ M eps max|w|.
    double wmax = fabs(lam[0]) > fabs(lam[M - 1]) ? fabs(lam[0]) : fabs(lam[M - 1]);
    double thr = 100.0 * M * 2.220446049250313e-16 * wmax;
    for (int i = 0; i < M; i++)
        if (lam[i] < 0) {
            if (-lam[i] > thr)
                return fail(SS_EINVAL,
                            "Gram matrix is not positive semi-definite: eigenvalue/M = %.6g below the "
                            "round-off bound -%.3g (100 M eps max|eig|/M); is it a kernel Gram matrix?",
                            lam[i], thr);
            lam[i] = 0;
        }
    return 0;
}

// ---- kernels ----
int ss_kernel_gram(const char *kernel, double bandwidth, int depth, double wstd, double bstd, int n, int m, int d,
                   const double *X, const double *Y, double *K) {
    kernel_spec ks;
    char err[300];
    if (!kernel) return fail(SS_EINVAL, "kernel name is NULL");
    if (kernel_spec_parse(&ks, kernel, bandwidth, depth, wstd, bstd, err, sizeof err))
        return fail(SS_EINVAL, "%s", err);
    if (n < 1 || d < 1 || !X || !K || (Y && m < 1))
        return fail(SS_EINVAL, "Gram matrix: need n >= 1, d >= 1 (and m >= 1 with Y); got n = %d, m = %d, d = %d", n, m,
                    d);
    for (size_t i = 0; i < (size_t)n * d; i++)
        if (!isfinite(X[i])) return fail(SS_EINVAL, "X[%zu][%zu] is not finite (%g)", i / d, i % d, X[i]);
    if (Y)
        for (size_t i = 0; i < (size_t)m * d; i++)
            if (!isfinite(Y[i])) return fail(SS_EINVAL, "Y[%zu][%zu] is not finite (%g)", i / d, i % d, Y[i]);
    int st = Y ? kernel_gram(&ks, n, m, d, X, Y, K) : kernel_gram_sym(&ks, n, d, X, K);
    if (st) return fail(SS_ENOMEM, "Gram matrix computation failed: %s", sim_last_error());
    size_t N = (size_t)n * (Y ? m : n);
    for (size_t i = 0; i < N; i++)
        if (!isfinite(K[i])) return fail(SS_EFAIL, "kernel %s gave a non-finite value at entry %zu", kernel, i);
    return 0;
}

// ---- Hermite eigenstructure ansatz ----
static int cmp_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

int ss_hea_eigenvalues(int d, const double *gamma, const char *kernel, double w, int lmax, size_t P, double *lam,
                       int *deg, int *idx, size_t *P_out) {
    if (d < 1 || !gamma || !lam || P < 1) return fail(SS_EINVAL, "HEA: need d >= 1, gamma, lam and P >= 1");
    if (!kernel || (strcmp(kernel, "gaussian") && strcmp(kernel, "laplace-hea")))
        return fail(SS_EINVAL, "HEA: kernel '%s' has no level coefficients here (gaussian|laplace-hea)",
                    kernel ? kernel : "(null)");
    if (!(isfinite(w) && w > 0)) return fail(SS_EINVAL, "HEA: width w = %g must be finite and > 0", w);
    if (lmax < 0 || lmax > HERMITE_LMAX)
        return fail(SS_EINVAL, "HEA: lmax = %d must be in [0, %d]", lmax, HERMITE_LMAX);
    double q = 0;
    for (int a = 0; a < d; a++) {
        if (!(isfinite(gamma[a]) && gamma[a] >= 0))
            return fail(SS_EINVAL, "HEA: covariance eigenvalue gamma[%d] = %g must be finite and >= 0", a, gamma[a]);
        q += gamma[a];
    }
    if (!(q > 0)) return fail(SS_EINVAL, "HEA: covariance spectrum has zero trace");
    double *g = malloc((size_t)d * sizeof *g);
    if (!g) return fail(SS_ENOMEM, "out of memory");
    int dp = 0;
    for (int a = 0; a < d; a++)
        if (gamma[a] > 0) g[dp++] = gamma[a] / q;
    qsort(g, (size_t)dp, sizeof *g, cmp_desc);
    // Cap P at the number of monomials of degree <= lmax in dp variables, C(dp + lmax, lmax).
    double count = 1;
    for (int l = 1; l <= lmax; l++) count = count * (dp + l) / l;
    size_t Pm = (double)P > count ? (size_t)count : P;
    double c[HERMITE_LMAX + 1];
    // unit-trace data: x -> x/sqrt(q) rescales the width w -> w/sqrt(q) (both kernels are radial)
    if (hermite_level_coeffs(kernel, w / sqrt(q), lmax, c)) {
        free(g);
        return fail(SS_EINVAL, "HEA: level coefficients failed for %s, w = %g", kernel, w);
    }
    hermite_modes m;
    int st = hermite_modes_enumerate(dp, g, lmax, c, Pm, &m);
    free(g);
    if (st) return fail(SS_ENOMEM, "HEA: %s", sim_last_error());
    for (size_t r = 0; r < m.P; r++) {
        lam[r] = m.lambda[r];
        if (deg) deg[r] = m.deg[r];
        if (idx)
            for (int j = 0; j < lmax; j++) idx[r * lmax + j] = m.idx[r * lmax + j];
    }
    if (P_out) *P_out = m.P;
    hermite_modes_free(&m);
    return 0;
}

int ss_hermite_h(int nmax, double z, double *h) {
    if (nmax < 0 || !h) return fail(SS_EINVAL, "hermite: nmax = %d must be >= 0 and h given", nmax);
    if (!isfinite(z)) return fail(SS_EINVAL, "hermite: z = %g is not finite", z);
    hermite_h_array(nmax, z, h);
    return 0;
}
