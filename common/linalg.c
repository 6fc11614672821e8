#include "linalg.h"
#include "status.h"
#include <lapacke.h>
#include <stdlib.h>

// A symmetric matrix stored row-major is the same bytes as its column-major self, and its
// row-major lower triangle is the column-major upper one.  So we call LAPACK in its native
// column-major layout on A directly and skip the n^2 copies LAPACKE's row-major wrapper makes.
// Only B (n, nrhs) needs transposing when nrhs > 1, an O(n nrhs) copy.  The _work entry points
// skip LAPACKE's NaN scans of A (two more passes over n^2/2 entries per solve, ~3% of a Cholesky
// at n = 8000); the callers' data is finite by construction (kernel Gram matrices, checked
// tables) and a NaN still surfaces, as dpotrf's info > 0 or in the checked output.
int la_chol_solve(int n, double *A, int nrhs, double *B) {
    int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', n, A, n);
    if (info) return info;
    if (nrhs == 1) return LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'U', n, 1, A, n, B, n);
    double *Bt = sim_alloc((size_t)n * nrhs, sizeof *Bt);
    if (!Bt) return LAPACK_WORK_MEMORY_ERROR;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < nrhs; j++) Bt[(size_t)j * n + i] = B[(size_t)i * nrhs + j];
    info = LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'U', n, nrhs, A, n, Bt, n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < nrhs; j++) B[(size_t)i * nrhs + j] = Bt[(size_t)j * n + i];
    free(Bt);
    return info;
}

// As above, the symmetric input needs no transposition; the eigenvectors come back as the
// columns of a column-major matrix, i.e. the rows of our row-major one, so one in-place
// transpose restores "A[i*n+j] is component i of eigenvector j".
int la_eigh(int n, double *A, double *w, int vectors) {
    int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, vectors ? 'V' : 'N', 'U', n, A, n, w);
    if (info || !vectors) return info;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double t = A[(size_t)i * n + j];
            A[(size_t)i * n + j] = A[(size_t)j * n + i];
            A[(size_t)j * n + i] = t;
        }
    return 0;
}

// dsyevr runs on the column-major LOWER triangle, i.e. the row-major upper one, filled from the
// lower by la_mirror_lower (14 ms at n = 4000): its tridiagonal reduction (dsytrd, 70% of the time in dsymv, 17% in
// the dsyr2k update) is 8-10% faster on 'L' than on 'U' with OpenBLAS 0.3.21 at 2 threads
// (measured at n = 4000, k = 200: 3.1-3.8 s against 3.8-3.9 s), and level at 1 thread.
int la_eigh_top(int n, double *A, int k, double *w, double *Z) {
    if (k < 1 || k > n) return sim_fail(-4, "la_eigh_top: k = %d must be in [1, %d]", k, n);  // argument 4 is bad
    int m = 0;
    lapack_int *isuppz = sim_alloc(2 * (size_t)k, sizeof *isuppz);
    double *wa = sim_alloc((size_t)n, sizeof *wa);
    // Column-major on the symmetric A as in la_eigh (no n^2 transposition).  The k eigenvectors
    // come back as the columns of an (n, k) column-major array: Zc[i + j n].
    double *Zc = Z ? sim_alloc((size_t)n * k, sizeof *Zc) : NULL;
    if (!isuppz || !wa || (Z && !Zc)) {
        free(isuppz), free(wa), free(Zc);
        return LAPACK_WORK_MEMORY_ERROR;
    }
    la_mirror_lower(n, A);
    int info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, Z ? 'V' : 'N', 'I', 'L', n, A, n, 0.0, 0.0, n - k + 1, n, 0.0, &m, wa,
                              Zc ? Zc : wa, Zc ? n : 1, isuppz);
    if (info == 0) {
        // dsyevr returns ascending order; reverse to descending.
        for (int j = 0; j < m; j++) w[j] = wa[m - 1 - j];
        if (Z)
            for (int j = 0; j < m; j++) {
                const double *col = Zc + (size_t)(m - 1 - j) * n;
                for (int i = 0; i < n; i++) Z[(size_t)i * k + j] = col[i];
            }
    }
    free(isuppz);
    free(wa);
    free(Zc);
    return info;
}

int la_svd(int m, int n, double *A, double *s, double *U, double *VT) {
    int mn = m < n ? m : n;
    char job = (U || VT) ? 'S' : 'N';
    double *Ub = NULL, *VTb = NULL;
    if (job == 'S') {
        Ub = U ? U : sim_alloc((size_t)m * mn, sizeof *Ub);
        VTb = VT ? VT : sim_alloc((size_t)mn * n, sizeof *VTb);
        if (!Ub || !VTb) {
            if (Ub != U) free(Ub);
            if (VTb != VT) free(VTb);
            return LAPACK_WORK_MEMORY_ERROR;
        }
    }
    double dummy;
    int info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, job, m, n, A, n, s, Ub ? Ub : &dummy, mn, VTb ? VTb : &dummy, n);
    if (Ub && Ub != U) free(Ub);
    if (VTb && VTb != VT) free(VTb);
    return info;
}

double la_frob2(size_t n, const double *A) {
    double s = 0;
    for (size_t i = 0; i < n; i++) s += A[i] * A[i];
    return s;
}

// In 64 x 64 tiles: a plain walk down a column strides n doubles per read and misses the cache
// on every write (measured 0.8 s of a 1.2 s Gram at n = 4000 before kernel_gram_sym used this).
void la_mirror_lower(int n, double *A) {
    enum { T = 64 };
    for (int ib = 0; ib < n; ib += T)
        for (int jb = ib; jb < n; jb += T)
            for (int i = ib; i < ib + T && i < n; i++)
                for (int j = jb > i + 1 ? jb : i + 1; j < jb + T && j < n; j++)
                    A[(size_t)i * n + j] = A[(size_t)j * n + i];
}
