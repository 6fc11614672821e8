// hermite: probabilists' Hermite polynomials and the Hermite eigenstructure ansatz (HEA)
// helpers (Karkada, Turnbull, Liu, Simon, arXiv 2510.14878).
//
// What it owns:
//   * He_n(z) by the three-term recurrence He_{n+1} = z He_n - n He_{n-1}, and the normalised
//     h_n = He_n / sqrt(n!), orthonormal under z ~ N(0,1): E[h_m h_n] = delta_mn.
//   * Multivariate Hermite monomials h_alpha(z) = prod_a h_{alpha_a}(z_a) on whitened
//     coordinates.  A multi-index alpha of degree |alpha| = l is stored as its SORTED index
//     tuple (i_1 <= ... <= i_l): z_0^2 z_3 is (0, 0, 3).  The constant mode has l = 0.
//   * The HEA level coefficients c_l of a rotation-invariant kernel on unit-trace data
//     (gaussian, laplace-hea), with the Bessel polynomials y_n they need.
//   * The top-P monomials in decreasing HEA eigenvalue lambda_alpha = c_|alpha| prod_a
//     gamma_a^alpha_a, by a max-priority queue with a hash set (exact order, no duplicates).
//
// What it does not own: data whitening (the experiment does it, population or empirical),
// the eigenframework (eigenframework.h), kernels (kernel.h).
#ifndef SIM_HERMITE_H
#define SIM_HERMITE_H
#include <stddef.h>

#define HERMITE_LMAX 24  // largest monomial degree the enumeration and the tuples support

// Errors follow status.h: the number-valued functions return NAN for a degree out of range,
// hermite_modes_enumerate returns -1; the reason is in sim_last_error().
//
// He_n(z), probabilists' convention [Abramowitz+Stegun 22.7.14 with He].  n >= 0.
double hermite_he(int n, double z);
// h_n(z) = He_n(z)/sqrt(n!).  n >= 0.
double hermite_h(int n, double z);
// h_0(z) .. h_nmax(z) into h (nmax + 1 values), by the normalised recurrence
// h_{n+1} = (z h_n - sqrt(n) h_{n-1}) / sqrt(n+1) (no factorials, no overflow).
void hermite_h_array(int nmax, double z, double *h);

// h_alpha(z) for the sorted tuple idx[0..deg-1] (deg 0: returns 1).  z is indexed by idx.
double hermite_mono_eval(int deg, const int *idx, const double *z);
// The same from a precomputed table htab[a*stride + n] = h_n(z_a) (n <= stride - 1), which
// makes a P x N Hermite matrix cost O(P N deg) instead of O(P N deg^2).
double hermite_mono_eval_table(int deg, const int *idx, const double *htab, int stride);
// Parse one monomial written as "a:p,b:q" (index:power; "" or "1" is the constant) into a
// sorted tuple.  Returns the degree, or -1 on a syntax error or degree > HERMITE_LMAX.
int hermite_mono_parse(const char *s, int *idx);
// Write "z0^2 z3" style names ("1" for the constant) into buf.
void hermite_mono_name(int deg, const int *idx, char *buf, size_t len);

// Bessel polynomial y_n(x) = sum_{j=0}^n (n+j)!/((n-j)! j!) (x/2)^j, by the recurrence
// y_n = (2n - 1) x y_{n-1} + y_{n-2}, y_0 = 1, y_1 = 1 + x; y_{-1} = 1 by convention.
double hermite_bessel_poly(int n, double x);

// HEA level coefficients c_0..c_lmax for data scaled to unit trace (Tr Sigma = 1), so that the
// kernel on the unit sphere is the dot-product kernel K(u) = sum_l c_l u^l / l!.
//   "gaussian"    K = exp(-|x-x'|^2/(2 w^2)):          c_l = e^{-1/w^2} w^{-2l}
//   "laplace-hea" K = exp(-|x-x'|/(sqrt(2) w)), s = w: c_l = e^{-1/s} y_{l-1}(s)/(2s)^l
// Returns 0, or -1 for an unknown kernel name or w <= 0 (the reason in sim_last_error()).
int hermite_level_coeffs(const char *kernel, double w, int lmax, double *c);

// The top P HEA modes.  gamma (d) must be sorted descending and positive; c (lmax+1) the level
// coefficients.  Modes of degree 0..lmax over indices 0..d-1 are produced in non-increasing
// lambda (ties in push order, deterministic).  If fewer than P modes exist, P is reduced.
// Returns 0, or -1 (bad arguments, out of memory) with out zeroed.
typedef struct {
    int d, lmax;
    size_t P;        // number of modes returned
    double *lambda;  // (P) HEA eigenvalues, non-increasing
    int *deg;        // (P) degree |alpha|
    int *idx;        // (P, lmax) sorted index tuple of each mode, padded with -1
} hermite_modes;
int hermite_modes_enumerate(int d, const double *gamma, int lmax, const double *c, size_t P, hermite_modes *out);
void hermite_modes_free(hermite_modes *m);
#endif
