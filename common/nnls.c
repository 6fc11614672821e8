#include "nnls.h"
#include "status.h"
#include <float.h>
#include <gsl/gsl_errno.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nnls_workspace {
    int m, p, k;    // k = min(m, p)
    double *QA;     // (m, p) column-major: dgeqrf's compact QR of A
    double *tau;    // (k)
    double *bm;     // (m) Q^T b; its first k entries are d
    double *R;      // (k, p) column-major, leading dimension k: the triangle
    double *S;      // (k, p) column-major scratch: R restricted to the passive columns, then its QR
    double *stau;   // (p)
    double *y;      // (k) scratch right-hand side
    double *z;      // (p) least-squares solution on the passive set (full length, 0 off P)
    double *g;      // (p) gradient A^T (b - A c)
    double *r;      // (max(m, k)) residual scratch
    int *passive;   // (p) 1 if j is in P
    int *excluded;  // (p) 1 if j was rejected by the degenerate-step guard since c last changed
    int *list;      // (p) the passive indices, in the order they joined
    double *work;
    int lwork, iters;
    double tol;
};

static int all_finite(const double *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

nnls_workspace *nnls_alloc(int m, int p) {
    if (m < 1 || p < 1) {
        sim_fail(-1, "nnls_alloc: m = %d and p = %d must both be >= 1", m, p);
        return NULL;
    }
    nnls_workspace *w = sim_calloc(1, sizeof(nnls_workspace));
    if (!w) return NULL;
    w->m = m;
    w->p = p;
    w->k = m < p ? m : p;
    size_t mp = (size_t)m * p, kp = (size_t)w->k * p;
    w->QA = sim_calloc(mp, sizeof(double));
    w->tau = sim_calloc(w->k, sizeof(double));
    w->bm = sim_calloc(m, sizeof(double));
    w->R = sim_calloc(kp, sizeof(double));
    w->S = sim_calloc(kp, sizeof(double));
    w->stau = sim_calloc(p, sizeof(double));
    w->y = sim_calloc(w->k, sizeof(double));
    w->z = sim_calloc(p, sizeof(double));
    w->g = sim_calloc(p, sizeof(double));
    w->r = sim_calloc(m > w->k ? m : w->k, sizeof(double));
    w->passive = sim_calloc(p, sizeof(int));
    w->excluded = sim_calloc(p, sizeof(int));
    w->list = sim_calloc(p, sizeof(int));
    if (!w->QA || !w->tau || !w->bm || !w->R || !w->S || !w->stau || !w->y || !w->z || !w->g || !w->r || !w->passive ||
        !w->excluded || !w->list) {
        nnls_free(w);
        return NULL;
    }
    // Workspace queries (lwork = -1) for the largest calls: the QR of A and Q^T b.  The
    // subproblems (k x |P|, |P| <= p) need no more than these.
    double q1 = 0, q2 = 0;
    LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, p, w->QA, m, w->tau, &q1, -1);
    LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'T', m, 1, w->k, w->QA, m, w->tau, w->bm, m, &q2, -1);
    double q = fmax(fmax(q1, q2), (double)(64 * (p + 1)));
    w->lwork = (int)q;
    w->work = sim_calloc(w->lwork, sizeof(double));
    if (!w->work) {
        nnls_free(w);
        return NULL;
    }
    return w;
}

void nnls_free(nnls_workspace *w) {
    if (!w) return;
    free(w->QA);
    free(w->tau);
    free(w->bm);
    free(w->R);
    free(w->S);
    free(w->stau);
    free(w->y);
    free(w->z);
    free(w->g);
    free(w->r);
    free(w->passive);
    free(w->excluded);
    free(w->list);
    free(w->work);
    free(w);
}

int nnls_iterations(const nnls_workspace *w) { return w->iters; }
const double *nnls_gradient(const nnls_workspace *w) { return w->g; }
double nnls_tolerance(const nnls_workspace *w) { return w->tol; }

// g = R^T (d - R c) on the reduced problem (equal to A^T (b - A c)).
static void reduced_gradient(nnls_workspace *w, const double *c) {
    int k = w->k, p = w->p;
    for (int i = 0; i < k; i++) {
        double s = w->bm[i];
        for (int j = i; j < p; j++) s -= w->R[i + (size_t)j * k] * c[j];
        w->r[i] = s;
    }
    for (int j = 0; j < p; j++) {
        double s = 0;
        int top = j < k - 1 ? j : k - 1;
        for (int i = 0; i <= top; i++) s += w->R[i + (size_t)j * k] * w->r[i];
        w->g[j] = s;
    }
}

// z = argmin ||R_P z - d|| over the passive columns (z = 0 off P).  Returns 0 or GSL_ESING.
static int passive_lsq(nnls_workspace *w, int np) {
    int k = w->k;
    if (np > k) return GSL_ESING;  // more passive columns than rows: cannot be independent
    for (int q = 0; q < np; q++)
        memcpy(w->S + (size_t)q * k, w->R + (size_t)w->list[q] * k, (size_t)k * sizeof(double));
    memcpy(w->y, w->bm, (size_t)k * sizeof(double));
    int info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, k, np, w->S, k, w->stau, w->work, w->lwork);
    if (info == 0)
        info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'T', k, 1, np, w->S, k, w->stau, w->y, k, w->work, w->lwork);
    if (info == 0) info = LAPACKE_dtrtrs_work(LAPACK_COL_MAJOR, 'U', 'N', 'N', np, 1, w->S, k, w->y, k);
    if (info != 0) return GSL_ESING;
    memset(w->z, 0, (size_t)w->p * sizeof(double));
    for (int q = 0; q < np; q++) w->z[w->list[q]] = w->y[q];
    return 0;
}

int nnls_solve(nnls_workspace *w, const double *A, const double *b, double *c, double *rnorm2) {
    if (!w || !A || !b || !c) {
        sim_fail(-1, "nnls_solve: NULL argument (w %p, A %p, b %p, c %p)", (void *)w, (const void *)A, (const void *)b,
                 (void *)c);
        return GSL_EINVAL;
    }
    int m = w->m, p = w->p, k = w->k;
    if (!all_finite(A, (size_t)m * p) || !all_finite(b, (size_t)m)) {
        sim_fail(-1, "nnls_solve: A (%d x %d) or b contains a non-finite entry", m, p);
        return GSL_EINVAL;
    }
    // 1. A = Q R, d = Q^T b.
    double normA = 0, normb = 0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < p; j++) {
            double a = A[(size_t)i * p + j];
            w->QA[i + (size_t)j * m] = a;
            normA += a * a;
        }
    for (int i = 0; i < m; i++) normb += b[i] * b[i];
    normA = sqrt(normA);
    normb = sqrt(normb);
    memcpy(w->bm, b, (size_t)m * sizeof(double));
    int info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, p, w->QA, m, w->tau, w->work, w->lwork);
    if (info == 0)
        info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'T', m, 1, k, w->QA, m, w->tau, w->bm, m, w->work, w->lwork);
    if (info != 0) {
        sim_fail(-1, "nnls_solve: LAPACK QR failed (info %d)", info);
        return GSL_EINVAL;
    }
    for (int j = 0; j < p; j++)
        for (int i = 0; i < k; i++) w->R[i + (size_t)j * k] = i <= j ? w->QA[i + (size_t)j * m] : 0.0;

    // 2. Lawson-Hanson.  The gradient tolerance is the rounding level of A^T r.
    double tol0 = 10.0 * (m > p ? m : p) * DBL_EPSILON * normA;
    memset(c, 0, (size_t)p * sizeof(double));
    memset(w->passive, 0, (size_t)p * sizeof(int));
    memset(w->excluded, 0, (size_t)p * sizeof(int));
    int np = 0, status = GSL_EMAXITER, maxit = 3 * p + 10;
    w->iters = 0;
    while (w->iters < maxit) {
        reduced_gradient(w, c);
        // Rounding level of g = A^T r: eps ||A|| (||b|| + ||A|| ||c||), times a safety factor.
        double normc = 0;
        for (int j = 0; j < p; j++) normc += c[j] * c[j];
        w->tol = tol0 * (normb + normA * sqrt(normc));
        int jmax = -1;
        double gmax = w->tol;
        for (int j = 0; j < p; j++)
            if (!w->passive[j] && !w->excluded[j] && w->g[j] > gmax) {
                gmax = w->g[j];
                jmax = j;
            }
        if (jmax < 0) {
            status = GSL_SUCCESS;
            break;
        }  // KKT holds
        w->iters++;
        w->passive[jmax] = 1;
        w->list[np++] = jmax;
        for (int inner = 0;; inner++) {
            int st = passive_lsq(w, np);
            if (st) return st;
            if (inner == 0 && w->z[jmax] <= 0) {
                // Degenerate step (rounding): the new column does not help.  Take it back out
                // and exclude it until c changes (Lawson & Hanson's safeguard).
                w->passive[jmax] = 0;
                np--;
                w->excluded[jmax] = 1;
                break;
            }
            int allpos = 1;
            for (int q = 0; q < np; q++)
                if (w->z[w->list[q]] <= 0) allpos = 0;
            if (allpos) {
                for (int j = 0; j < p; j++) c[j] = w->z[j];
                memset(w->excluded, 0, (size_t)p * sizeof(int));
                break;
            }
            // Step from c toward z until the first passive coefficient hits 0.
            double alpha = INFINITY;
            int qhit = -1;
            for (int q = 0; q < np; q++) {
                int j = w->list[q];
                if (w->z[j] <= 0) {
                    double a = c[j] / (c[j] - w->z[j]);
                    if (a < alpha) {
                        alpha = a;
                        qhit = q;
                    }
                }
            }
            for (int q = 0; q < np; q++) {
                int j = w->list[q];
                c[j] += alpha * (w->z[j] - c[j]);
            }
            c[w->list[qhit]] = 0;
            memset(w->excluded, 0, (size_t)p * sizeof(int));
            // Drop every passive coefficient that is now 0 (or rounded below it).
            int nq = 0;
            for (int q = 0; q < np; q++) {
                int j = w->list[q];
                if (c[j] <= 0) {
                    c[j] = 0;
                    w->passive[j] = 0;
                } else w->list[nq++] = j;
            }
            np = nq;
            if (np == 0) break;
        }
    }
    // 3. Residual and gradient from A itself (what the caller and the KKT check should see).
    double rr = 0;
    for (int i = 0; i < m; i++) {
        double s = b[i];
        for (int j = 0; j < p; j++) s -= A[(size_t)i * p + j] * c[j];
        w->r[i] = s;
        rr += s * s;
    }
    for (int j = 0; j < p; j++) {
        double s = 0;
        for (int i = 0; i < m; i++) s += A[(size_t)i * p + j] * w->r[i];
        w->g[j] = s;
    }
    if (rnorm2) *rnorm2 = rr;
    return status;
}
