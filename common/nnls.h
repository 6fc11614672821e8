// nnls: non-negative least squares, min_c ||A c - b||^2 subject to c >= 0
// (conventions.md, Kernel ridge regression), by the Lawson-Hanson active-set method [Lawson &
// Hanson, Solving Least Squares Problems, 1974, ch. 23] on a QR factorisation of A.
//
// Used by reverse-ntk (fitting a non-negative power series to a kernel) and agf.
//
// Method.  A = Q R once (LAPACK dgeqrf), d = Q^T b (dormqr); then ||Ac - b||^2 =
// ||R c - d||^2 + const, so every later step works on the k x p triangle R (k = min(m, p)),
// never on A again.  The passive set P starts empty.  Outer loop: the gradient
// g = A^T (b - A c) = R^T (d - R c); if no inactive j has g_j > tol, c is optimal (KKT).
// Otherwise the inactive j with the largest g_j joins P.  Inner loop: z = the least-squares
// solution on the columns P (a QR of R_P: dgeqrf, dormqr, dtrtrs); if z > 0 on P, c = z;
// otherwise step from c toward z until the first passive coefficient reaches 0, drop the
// zeros from P, and solve again.  The objective is convex, each step decreases it, and the
// passive columns stay linearly independent, so the loop ends in finitely many steps (we cap
// the outer iterations at 3p + 10, as SciPy does, and report GSL_EMAXITER past it).
//
// What it owns: the workspace (all LAPACK work arrays are allocated once, in nnls_alloc; the
// solve allocates nothing).  It does not scale columns: callers with badly scaled columns
// should scale A's columns themselves and unscale c.
//
// Storage: A is row-major (m, p), as everywhere in common/.  Status codes are GSL's:
// GSL_SUCCESS, GSL_EINVAL (bad arguments; message on stderr), GSL_EMAXITER, GSL_ESING (the
// passive columns became numerically dependent).
#ifndef SIM_NNLS_H
#define SIM_NNLS_H

typedef struct nnls_workspace nnls_workspace;

// A workspace for problems with m rows and p unknowns (m, p >= 1).  NULL on bad sizes.
nnls_workspace *nnls_alloc(int m, int p);
void nnls_free(nnls_workspace *w);

// Solve min ||A c - b||^2, c >= 0.  A (m, p) row-major and b (m) are not modified; c (p)
// receives the solution; if rnorm2 != NULL it receives ||A c - b||^2 computed directly from A.
int nnls_solve(nnls_workspace *w, const double *A, const double *b, double *c, double *rnorm2);

// After a solve: outer iterations used, and the gradient g = A^T (b - A c) at the solution
// (p values; g_j <= tol wherever c_j = 0 and |g_j| <= tol where c_j > 0: the KKT conditions).
int nnls_iterations(const nnls_workspace *w);
const double *nnls_gradient(const nnls_workspace *w);
// The gradient tolerance of the last solve's final check: 10 max(m, p) eps ||A||_F
// (||b|| + ||A||_F ||c||), the rounding level of A^T r.
double nnls_tolerance(const nnls_workspace *w);
#endif
