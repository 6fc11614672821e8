// eigenframework: the closed-form theory of kernel ridge regression (Simon, Dickens, Karkada,
// DeWeese, arXiv 2110.03922; identical in all four papers of the thread).  Notation as in
// paper-notes/conventions.md, Eigenframework: eigenvalues $\lambda_i$ with multiplicities $m_i$,
// target coefficients $v_i$, ridge $\delta$, label-noise variance $\epsilon^2$, n samples.
//
// - the effective ridge $\kappa > 0$ solves $\sum_i m_i \frac{\lambda_i}{\lambda_i + \kappa} + \frac{\delta}{\kappa} = n$;
// - learnabilities $L_i = \frac{\lambda_i}{\lambda_i + \kappa}$, $1 - L_i = \frac{\kappa}{\lambda_i + \kappa}$;
// - the overfitting coefficient $E_0 = \frac{n}{n - \sum_i m_i L_i^2}$;
// - test MSE $E_{te} = E_0 \left(\sum_i (1 - L_i)^2 v_i^2 + \epsilon^2\right)$, train MSE
//   $E_{tr} = \left(\frac{\delta}{n \kappa}\right)^2 E_{te}$;
// - target learnability $L(f) = \sum_i L_i v_i^2 / \sum_i v_i^2$, bias
//   $B = \sum_i (1 - L_i)^2 v_i^2 + \epsilon^2$ and variance $V = (E_0 - 1) B$.
//
// Numerics: Newton on u = log kappa, safeguarded by bisection inside the rigorous
// bracket [kappa_lo, kappa_hi]; |du| < 1e-13 at exit.  Working in log kappa keeps exponential
// spectra (kappa ~ e^{-beta n}, down to 1e-300) solvable.  1 - L is always kappa/(lam+kappa);
// the E0 denominator is sum m L(1-L) + delta/kappa (equal to n - sum m L^2 at the root, free of
// cancellation).  One pass over the modes per iteration, ~10-30 iterations, no allocation:
// 10^7 modes solve in well under a second.
//
// Spectra: M explicit modes or degenerate levels with multiplicities m_i (targets v_i^2 are then
// the level's SUMMED squared coefficient).  A truncated spectrum passes its missing mass
// as extra_ridge (delta_eff = delta + T; train MSE keeps the user's delta), or an
// analytic tail (e.g. spectra_powerlaw_tail_fn) that returns sum L and sum L^2 beyond the
// explicit modes.  The random-feature eigenframework is common/rfeig, not this module.
#ifndef SIM_EIGENFRAMEWORK_H
#define SIM_EIGENFRAMEWORK_H
#include <stddef.h>

// Status codes (0 = success).
#define EF_EINVAL 1    // bad arguments (the reason in sim_last_error(), status.h)
#define EF_ENOROOT 2   // ridgeless with at most n positive eigenvalues: interpolation is exact, E0 undefined
#define EF_EMAXITER 3  // no convergence in 400 iterations (never seen; reported, not hidden)
const char *ef_strerror(int status);

// Analytic tail beyond the explicit modes: *S1 = sum L_i, *S2 = sum L_i^2 at this kappa.
typedef void (*ef_tail_fn)(double kappa, void *par, double *S1, double *S2);

typedef struct {
    size_t M;            // number of explicit modes (or levels)
    const double *lam;   // (M) eigenvalues >= 0, any order
    const double *mult;  // (M) multiplicities, or NULL for all 1
    double extra_ridge;  // uncaptured mass T >= 0 treated as ridge; 0 if none
    ef_tail_fn tail;     // optional analytic tail (NULL if none)
    void *tail_par;
    double tail_mass;  // the tail's total eigenvalue mass (enters the upper bracket only)
} ef_spectrum;

typedef struct {
    double n, delta;     // the inputs (user's ridge, without extra_ridge)
    double kappa;        // effective ridge
    double E0;           // overfitting coefficient n/(n - sum m L^2)
    double sumL, sumL2;  // sum m L and sum m L^2, tail included
    int iterations;
} ef_fit;

// Solve for kappa and E0 at sample size n > 0 (non-integer n allowed) and ridge delta >= 0.
int ef_solve(const ef_spectrum *s, double n, double delta, ef_fit *fit);

static inline double ef_L(double lam, double kappa) { return lam / (lam + kappa); }
static inline double ef_1mL(double lam, double kappa) { return kappa / (lam + kappa); }
// L_out[i] = L_i for the explicit modes.
void ef_learnabilities(const ef_spectrum *s, double kappa, double *L_out);

typedef struct {
    double te;        // E_te: test MSE against noisy labels
    double mse;       // E_te - eps^2: test MSE against the clean target
    double tr;        // E_tr = (delta/(n kappa))^2 E_te  (user's delta)
    double bias;      // B = sum (1-L)^2 v^2 + v2_tail + eps^2
    double variance;  // V = (E0 - 1) B
    double L;         // target learnability sum L v^2 / sum v^2 (tail counts as L = 0)
} ef_pred;

// Predictions for a target with squared coefficients v2 (M, per mode or per level summed),
// plus v2_tail >= 0 of target mass beyond the explicit modes (treated as 1 - L = 1),
// and label-noise variance eps2.
int ef_predict(const ef_spectrum *s, const ef_fit *fit, const double *v2, double v2_tail, double eps2, ef_pred *p);

// Finite-pool correction: held-out error when the spectrum comes from an M-point pool
// and the n training points are drawn from the same pool: (M E_te - n E_tr)/(M - n).
double ef_holdout(double Mpool, double n, double te, double tr);

// Power-law continuum, lambda_i = i^-alpha, ridgeless, large n:
// kappa ~ [(pi/alpha)/sin(pi/alpha)/n]^alpha; pass n + 1/2 for the finite-n correction.
double ef_powerlaw_kappa(double alpha, double n);
// E0 with ridge: alpha/(1 + (alpha - 1) s), s = delta/(n kappa) (s = 0: E0 = alpha).
double ef_powerlaw_E0(double alpha, double s);
#endif
