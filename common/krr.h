// krr: kernel ridge regression on Gram matrices (conventions.md, Kernel ridge regression), and
// the empirical pool spectrum (conventions.md, Empirical (pool) spectra).
//
//   f_hat(x) = K(x, D) [K_DD + delta I]^{-1} y       (delta ABSOLUTE, no 1/n factor)
//
// krr_solve: one Cholesky (LAPACKE dposv) with every target as a right-hand side, then
// predictions by one GEMM against K(test, D).  When dpotrf fails (info > 0: K_DD + delta I is
// numerically not positive definite, typically a ridgeless Gaussian Gram at large n) it
// returns that info and the caller REPORTS it and stops the series: no silent jitter.
//
// krr_sweep: one dsyevd K_DD = U diag(w) U^T serves every ridge; each ridge then costs
// O(n n_test) per target.  The workspace owns U, w, U^T Y and K_test U (plan once, evaluate many,
// FFTW style).
//
// krr_pool_spectrum: lambda_i = w_i/M (descending), phi_i(x_j) = sqrt(M) U_ji,
// v_i = U_{:,i}^T y / sqrt(M), from the M x M Gram matrix of a pool.
//
// All matrices row-major: K_DD (n,n), K_TD (nt,n), Y (n,nrhs), predictions (nt,nrhs).
#ifndef SIM_KRR_H
#define SIM_KRR_H

// K (n,n) is destroyed (overwritten by its Cholesky factor); Y (n,nrhs) is overwritten by the
// dual coefficients alpha = (K + delta I)^{-1} Y.  If Ktd (nt,n) and pred (nt,nrhs) are given,
// pred = Ktd alpha.  Returns 0, -1 on bad arguments, or LAPACK's info > 0 (not positive
// definite at that leading minor: report it, do not jitter).
int krr_solve(int n, double *K, double delta, int nrhs, double *Y, int nt, const double *Ktd, double *pred);

// Tr[(K + delta I)^{-1}] by Cholesky (dpotrf + dpotri); K (n,n) is destroyed.  Used for
// kappa without a spectrum, kappa ~ 1/E Tr[(K+delta I)^{-1}].  Returns 0 or info.
int krr_trace_inverse(int n, double *K, double delta, double *trace);

typedef struct {
    int n, nt, nrhs;
    double *U;    // (n,n) eigenvectors of K_DD as columns
    double *w;    // (n) eigenvalues, ascending
    double *UtY;  // (n,nrhs)
    double *KtU;  // (nt,n), or NULL when nt = 0
    double *c;    // (n,nrhs) scratch: diag(1/(w+delta)) U^T Y
} krr_sweep;

krr_sweep *krr_sweep_alloc(int n, int nt, int nrhs);
void krr_sweep_free(krr_sweep *s);
// One dsyevd of K (n,n, not modified), U^T Y and K_test U.  Ktd may be NULL if nt = 0.
// Returns 0 or LAPACK's info.
int krr_sweep_prepare(krr_sweep *s, const double *K, const double *Y, const double *Ktd);
// For one ridge delta (> -min w): any of alpha (n,nrhs), resid (n,nrhs) = y - f_hat(D)
// = U diag(delta/(w+delta)) U^T Y, pred (nt,nrhs) may be NULL.  Returns 0, or -1 if some
// w_i + delta <= 0 (ridgeless on a singular Gram matrix).
int krr_sweep_eval(krr_sweep *s, double delta, double *alpha, double *resid, double *pred);

// Pool spectrum: K (M,M) is overwritten by U; lam (M) gets w/M in DESCENDING order; if y
// (M,nrhs) is given, v (M,nrhs) = U^T y / sqrt(M) in the same order.  Returns 0 or info.
int krr_pool_spectrum(int M, double *K, int nrhs, const double *y, double *lam, double *v);
#endif
