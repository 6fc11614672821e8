// linalg: the dense factorizations the suite needs, through LAPACKE on OpenBLAS.
//
// All matrices are row-major, as in the rest of common/.  Functions return LAPACK's info
// (0 = success; < 0 a bad argument, LAPACK_WORK_MEMORY_ERROR when memory ran out, with the
// reason in sim_last_error() as status.h says; > 0 a numerical failure) so the caller can say
// what failed and what to try; none of them allocates memory that outlives the call.
//
//   la_chol_solve   A X = B for symmetric positive definite A (dposv: Cholesky + solve)
//   la_eigh         all eigenpairs of a symmetric matrix (dsyevd), eigenvalues ascending
//   la_eigh_top     the top k eigenpairs (dsyevr, range 'I'), eigenvalues DESCENDING
//   la_svd          singular values (dgesdd), descending; optionally left/right vectors
//
// Cost: dposv n^3/3, dsyevd with vectors ~ 9 n^3 (measured n=4000: 9 s on 2 cores).
// A full dsyevd above n = 2000 when only the top k are needed is a defect: use la_eigh_top.
#ifndef SIM_LINALG_H
#define SIM_LINALG_H
#include <stddef.h>

// Every routine here reads only the LOWER triangle of the row-major A (what a row-major
// CblasLower dsyrk fills); the upper triangle may hold anything (tests/test_core.c checks it).
//
// A (n,n) is overwritten by its Cholesky factor, B (n,nrhs) by the solution.
// info > 0: A is not positive definite (the leading minor of that order is not).
int la_chol_solve(int n, double *A, int nrhs, double *B);
// A (n,n) symmetric is overwritten by the eigenvectors (columns, row-major storage: A[i*n+j]
// is component i of eigenvector j) when vectors != 0; w (n) ascending.
int la_eigh(int n, double *A, double *w, int vectors);
// Top k eigenpairs: w (k) descending, Z (n,k) the matching eigenvectors as columns (or NULL).
// A is destroyed.
int la_eigh_top(int n, double *A, int k, double *w, double *Z);
// Copy the row-major lower triangle of A (n,n) onto its upper one, making A symmetric in full.
void la_mirror_lower(int n, double *A);
// Singular values s (min(m,n)) of A (m,n), descending; U (m,min) and VT (min,n) if non-NULL.
// A is destroyed.
int la_svd(int m, int n, double *A, double *s, double *U, double *VT);
// Sum of squares of all entries (Frobenius norm squared), for rank-one-ness and overlaps.
double la_frob2(size_t n, const double *A);
#endif
