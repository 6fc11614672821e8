// simsuite.h: the public interface of libsimsuite, the eigenframework theory of kernel ridge
// regression and random-feature regression on a user's own spectrum, plus the suite's kernels
// and the Hermite eigenstructure ansatz.  Plain C, every array float64, row-major.
//
// Papers (BibTeX in README, "How to cite"):
//   KRR eigenframework   Simon, Dickens, Karkada, DeWeese, arXiv 2110.03922 (TMLR 2023).
//   RF eigenframework    Simon, Karkada, Ghosh, Belkin, arXiv 2311.14646 (ICLR 2024).
//   Hermite ansatz       Karkada, Turnbull, Liu, Simon, arXiv 2510.14878.
// Conventions (paper-notes/conventions.md): eigenvalues lam_i are Mercer eigenvalues with respect
// to the data distribution (sum_i m_i lam_i = E K(x,x)); target coefficients v_i in the
// orthonormal eigenbasis (E f^2 = sum v_i^2); n training points; ABSOLUTE ridge delta added to
// the unnormalised Gram matrix (no 1/n); label-noise VARIANCE eps^2; test MSE against noisy test
// labels unless the field says "clean".
//
// Every function returns 0 on success or a positive SS_E* status; the message is then
// ss_last_error() (per thread).  No function of this library exits the process or prints: bad
// input, an unsolvable system and running out of memory all come back as a status.
#ifndef SIMSUITE_H
#define SIMSUITE_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

#define SIMSUITE_VERSION "1.0.0"
#define SS_OK 0
#define SS_EINVAL 1   // bad argument: non-finite value, negative eigenvalue, size mismatch, ...
#define SS_ENOROOT 2  // no solution: ridgeless with at most n (or k) positive modes (KRR interpolates)
#define SS_ENOMEM 3   // out of memory
#define SS_EFAIL 4    // numerical failure (LAPACK, solver) reported by the numerics

const char *ss_version(void);
const char *ss_last_error(void);  // message of this thread's last failing call ("" if none)

// ---- eigenframework of KRR (2110.03922, eqs. for kappa, E0, E_te, E_tr) ----
//   kappa > 0 solves sum_i m_i lam_i/(lam_i + kappa) + (delta + tail)/kappa = n
//   L_i = lam_i/(lam_i + kappa),  E0 = n/(n - sum m L^2)
//   E_te = E0 (sum (1-L_i)^2 v_i^2 + v2_tail + eps^2),  E_tr = (delta/(n kappa))^2 E_te
// lam (M) >= 0 (any order), mult (M) multiplicities or NULL (all 1), v2 (M) squared target
// coefficients (per level: the level's summed v^2) or NULL (all 0).  tail = eigenvalue mass
// beyond the M modes, treated as extra ridge; v2_tail = target power beyond them (never
// learned).  n > 0 need not be an integer.
typedef struct {
    double n, ridge, noise;
    double kappa;           // effective ridge
    double E0;              // overfitting coefficient
    double sumL, sumL2;     // sum m L, sum m L^2
    double learnability;    // target learnability sum L v^2 / sum v^2 (NaN for a zero target)
    double test_mse;        // E_te against noisy test labels
    double test_mse_clean;  // E_te - eps^2 (against the clean target)
    double train_mse;       // E_tr
    double bias, variance;  // B = sum (1-L)^2 v^2 + v2_tail + eps^2, V = (E0 - 1) B
    double fitting_ratio;   // E_tr / E_te
} ss_krr_result;
int ss_krr(size_t M, const double *lam, const double *mult, const double *v2, double tail, double v2_tail, double n,
           double ridge, double noise, ss_krr_result *out, double *L_out /* (M) or NULL */);

// ---- eigenframework of random-feature ridge regression (2311.14646) ----
// k random features with E[phi phi'] = K (k = INFINITY is KRR).  k = n ridgeless is the
// double-descent peak: peak = 1 and E0 = test_mse = INFINITY (a result, not an error).
typedef struct {
    double n, k, ridge, noise;
    double gamma, kappa;  // the two effective ridges (kappa = 0 ridgeless with k < n)
    double z, q;          // sum m L, sum m L^2 at gamma
    double E0, bias;      // bias: sum (1-L)(1 - L (k-z)/(k-q)) v^2 + v2_tail (clean)
    double test_mse, test_mse_clean, train_mse, fitting_ratio;
    int peak;
} ss_rf_result;
int ss_rf(size_t M, const double *lam, const double *mult, const double *v2, double tail, double v2_tail, double n,
          double k, double ridge, double noise, ss_rf_result *out);

// ---- the optimal ridge ----
// Minimises E_te over delta: a log grid of `grid` points on [lo, hi], refined by Brent's method
// in log delta to |d log delta| < tol, compared with delta -> infinity (predictor 0: E_te =
// sum v^2 + v2_tail + eps^2) and, when include_zero and the ridgeless system is solvable, with
// delta = 0.  k as in ss_rf (INFINITY for KRR).
typedef struct {
    double ridge;  // delta*, 0 or INFINITY
    double test_mse, test_mse_clean, train_mse;
    double fitting_ratio;  // E_tr/E_te at delta* (the paper's fitting ratio; 1 at delta = inf)
    int where;             // 0 interior, 1 at a grid end, 2 delta = inf, 3 delta = 0
} ss_optimum;
int ss_optimal_ridge(size_t M, const double *lam, const double *mult, const double *v2, double tail, double v2_tail,
                     double n, double k, double noise, double lo, double hi, int grid, double tol, int include_zero,
                     ss_optimum *out);

// Finite-pool correction: the held-out test MSE when the spectrum comes from an M-point pool and
// the n training points are drawn from that pool: (M E_te - n E_tr)/(M - n).  NaN if n >= M.
double ss_holdout(double Mpool, double n, double test_mse, double train_mse);

// ---- empirical (pool) spectrum of a Gram matrix ----
// K (M,M) symmetric PSD (not modified; symmetry checked to 1e-10 relative, negative eigenvalues
// beyond round-off rejected, round-off negatives set to 0); y (M, nrhs) or NULL.
// lam (M) = eig(K)/M descending, v (M, nrhs) = U^T y/sqrt(M) (same order) if y and v given.
int ss_pool_spectrum(int M, const double *K, int nrhs, const double *y, double *lam, double *v);

// ---- kernels (names and parameters as the suite's --kernel flags) ----
// laplace, laplace-hea, gaussian (bandwidth); ntk, nngp, relu-ntk, relu-nngp, erf-ntk, erf-nngp
// (depth L hidden layers, wstd, bstd); ntk1b.  K (n,m) = K(X_i, Y_j), X (n,d), Y (m,d); Y = NULL
// gives the symmetric training Gram of X (n,n), diagonal exact.
int ss_kernel_gram(const char *kernel, double bandwidth, int depth, double wstd, double bstd, int n, int m, int d,
                   const double *X, const double *Y, double *K);

// ---- Hermite eigenstructure ansatz (2510.14878) ----
// The top P eigenvalues of a rotation-invariant kernel (gaussian or laplace-hea, width w) on data
// with covariance spectrum gamma (d, >= 0, any order, any trace: the data are rescaled to unit
// trace and w with them).  lam (P) non-increasing; deg (P) the monomial degree or NULL; idx
// (P, lmax) the sorted index tuple (indices into gamma sorted descending, padded with -1) or
// NULL.  *P_out = number of modes returned (<= P).  lmax <= 24.
int ss_hea_eigenvalues(int d, const double *gamma, const char *kernel, double w, int lmax, size_t P, double *lam,
                       int *deg, int *idx, size_t *P_out);
// Normalised probabilists' Hermite h_0..h_nmax at z (nmax + 1 values), E[h_m h_n] = delta_mn.
int ss_hermite_h(int nmax, double z, double *h);

#ifdef __cplusplus
}
#endif
#endif
