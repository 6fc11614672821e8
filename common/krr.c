#include "krr.h"
#include "status.h"
#include <gsl/gsl_cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linalg.h"

int krr_solve(int n, double *K, double delta, int nrhs, double *Y, int nt, const double *Ktd, double *pred) {
    if (n < 1 || nrhs < 1 || !K || !Y || !(delta >= 0) || nt < 0 || (nt > 0 && (!Ktd || !pred))) {
        sim_fail(-1, "krr_solve: bad arguments (n = %d, nrhs = %d, nt = %d, delta = %g)", n, nrhs, nt, delta);
        return -1;
    }
    for (int i = 0; i < n; i++) K[(size_t)i * n + i] += delta;
    int info = la_chol_solve(n, K, nrhs, Y);
    if (info != 0) return info;
    if (nt > 0)  // pred (nt,nrhs) = Ktd (nt,n) alpha (n,nrhs)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nt, nrhs, n, 1.0, Ktd, n, Y, nrhs, 0.0, pred, nrhs);
    return 0;
}

int krr_trace_inverse(int n, double *K, double delta, double *trace) {
    for (int i = 0; i < n; i++) K[(size_t)i * n + i] += delta;
    int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', n, K, n);
    if (info == 0) info = LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'L', n, K, n);
    if (info != 0) return info;
    double t = 0;
    for (int i = 0; i < n; i++) t += K[(size_t)i * n + i];
    *trace = t;
    return 0;
}

krr_sweep *krr_sweep_alloc(int n, int nt, int nrhs) {
    if (n < 1 || nt < 0 || nrhs < 1) {
        sim_fail(-1, "krr_sweep_alloc: bad sizes n = %d nt = %d nrhs = %d", n, nt, nrhs);
        return NULL;
    }
    krr_sweep *s = sim_calloc(1, sizeof *s);
    if (!s) return NULL;
    s->n = n, s->nt = nt, s->nrhs = nrhs;
    s->U = sim_alloc((size_t)n * n, sizeof(double));
    s->w = sim_alloc((size_t)n, sizeof(double));
    s->UtY = sim_alloc((size_t)n * nrhs, sizeof(double));
    s->c = sim_alloc((size_t)n * nrhs, sizeof(double));
    s->KtU = nt > 0 ? sim_alloc((size_t)nt * n, sizeof(double)) : NULL;
    if (!s->U || !s->w || !s->UtY || !s->c || (nt > 0 && !s->KtU)) {
        krr_sweep_free(s);
        return NULL;
    }
    return s;
}

void krr_sweep_free(krr_sweep *s) {
    if (!s) return;
    free(s->U), free(s->w), free(s->UtY), free(s->c), free(s->KtU), free(s);
}

int krr_sweep_prepare(krr_sweep *s, const double *K, const double *Y, const double *Ktd) {
    int n = s->n;
    memcpy(s->U, K, (size_t)n * n * sizeof(double));
    int info = la_eigh(n, s->U, s->w, 1);
    if (info != 0) return info;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, s->nrhs, n, 1.0, s->U, n, Y, s->nrhs, 0.0, s->UtY, s->nrhs);
    if (s->nt > 0)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s->nt, n, n, 1.0, Ktd, n, s->U, n, 0.0, s->KtU, n);
    return 0;
}

int krr_sweep_eval(krr_sweep *s, double delta, double *alpha, double *resid, double *pred) {
    int n = s->n, r = s->nrhs;
    for (int i = 0; i < n; i++)
        if (!(s->w[i] + delta > 0)) return -1;
    if (resid) {  // y - f_hat(D) = U diag(delta/(w+delta)) U^T Y
        for (int i = 0; i < n; i++)
            for (int j = 0; j < r; j++) s->c[(size_t)i * r + j] = s->UtY[(size_t)i * r + j] * delta / (s->w[i] + delta);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, r, n, 1.0, s->U, n, s->c, r, 0.0, resid, r);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < r; j++) s->c[(size_t)i * r + j] = s->UtY[(size_t)i * r + j] / (s->w[i] + delta);
    if (alpha) cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, r, n, 1.0, s->U, n, s->c, r, 0.0, alpha, r);
    if (pred && s->nt > 0)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s->nt, r, n, 1.0, s->KtU, n, s->c, r, 0.0, pred, r);
    return 0;
}

int krr_pool_spectrum(int M, double *K, int nrhs, const double *y, double *lam, double *v) {
    if (M < 1 || !K || !lam || (y && (nrhs < 1 || !v))) {
        sim_fail(-1, "krr_pool_spectrum: bad arguments (M = %d)", M);
        return -1;
    }
    double *w = sim_alloc((size_t)M, sizeof *w);
    if (!w) return -1;
    int info = la_eigh(M, K, w, 1);
    if (info != 0) {
        free(w);
        return info;
    }
    // reverse column order in place: descending eigenvalues
    for (int i = 0; i < M; i++) {
        double *row = K + (size_t)i * M;
        for (int a = 0, b = M - 1; a < b; a++, b--) {
            double t = row[a];
            row[a] = row[b], row[b] = t;
        }
    }
    for (int i = 0; i < M; i++) lam[i] = w[M - 1 - i] / M;
    if (y)  // v (M,nrhs) = U^T y / sqrt(M)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, M, nrhs, M, 1.0 / sqrt((double)M), K, M, y, nrhs, 0.0, v,
                    nrhs);
    free(w);
    return 0;
}
