// rfeig: the random-feature (RF) eigenframework (Simon, Karkada,
// Ghosh, Belkin, arXiv 2311.14646).
//
// Model: k random features with E[phi(x) phi(x')] = K(x,x'), KRR with the feature kernel
// K^ = (1/k) sum_j phi_j phi_j^T and ABSOLUTE ridge delta.  Given the kernel's Mercer
// spectrum (lambda_i with multiplicities m_i) and the target's squared coefficients v_i^2,
// solve for gamma and kappa:
//
//     n = z(gamma) + delta/kappa,   kappa = gamma (1 - z/k),
//     z = sum_i m_i L_i,  q = sum_i m_i L_i^2,  L_i = lambda_i / (lambda_i + gamma)
//     E0   = n / (n - q - (z - q)^2 / (k - q))
//     E_te = E0 [ sum_i (1 - L_i)(1 - L_i (k - z)/(k - q)) v_i^2 + eps^2 ]
//     E_tr = (delta / (n kappa))^2 E_te
//
// k = INFINITY is KRR (gamma = kappa).  What it owns: the solver (Newton safeguarded by bisection in
// log gamma on G(gamma) = z + delta k / (gamma (k - z)) - n over (gamma_k, inf), z(gamma_k) = k)
// and the ridgeless cases (k > n: z = n; k < n: gamma = gamma_k, kappa = 0, delta/kappa := n-k;
// k = n: E0 = inf, reported with status RFEIG_PEAK, not an error).  It does not know about
// files, data or features.
//
// Cancellation-free forms used (derived from the equations above at the root):
//     n - q - (z-q)^2/(k-q) = (z - q)(k - z)/(k - q) + delta/kappa,   z - q = sum m L (1-L)
//     1 - L (k-z)/(k-q)     = [(k - z)(1 - L) + (z - q)] / (k - q)
#ifndef SIM_RFEIG_H
#define SIM_RFEIG_H
#include <stddef.h>

// The task: a (possibly truncated) spectrum and target.  mult may be NULL (all 1).
// tail is eigenvalue mass beyond the M explicit modes, added to the ridge; the
// training error formula still uses the user's delta.  noise is eps^2 (a variance; add any
// uncaptured target mass here too).
typedef struct {
    size_t M;
    const double *lambda;  // (M) eigenvalues, > 0 (zeros are allowed and ignored)
    const double *mult;    // (M) multiplicities, or NULL
    const double *v2;      // (M) squared target coefficients (per-level sums), or NULL (= 0)
    double noise;          // eps^2
    double tail;           // eigenvalue mass not in lambda, acts as extra ridge
} rfeig_task;

enum { RFEIG_OK = 0, RFEIG_PEAK = 1 };  // status: PEAK = ridgeless k = n, E0 = E_te = inf

typedef struct {
    int status;
    double gamma, kappa;  // kappa = 0 for ridgeless k < n
    double z, q;          // sum m L, sum m L^2 at gamma
    double E0;            // overfitting coefficient
    double bias;          // sum (1-L)(1 - L(k-z)/(k-q)) v^2  (clean, excludes eps^2)
    double Ete, Etr;      // predicted test MSE (noisy test labels) and train MSE
} rfeig_result;

// n >= 1 samples, k > 0 features (INFINITY for KRR), ridge >= 0.  Returns 0 (check
// r->status), or -1 with a message on stderr when there is no solution: ridgeless with fewer
// positive modes than min(n, k) (interpolation is exact and E0 is undefined), a root that cannot
// be bracketed (too few modes), or bad input.  It never exits the process.
int rfeig_solve(const rfeig_task *t, double n, double k, double ridge, rfeig_result *r);
#endif
