// spectra: Mercer eigenvalues of kernels on the domains of the kernel-regression thread, and
// power-law spectra with their analytic tails (conventions.md, Sphere and hypercube spectra;
// Power-law spectra and tails).
//
// Eigenvalues are always taken w.r.t. the uniform PROBABILITY measure on the domain, so
// sum_k m_k lambda_k = E K(x,x).  Degenerate levels are returned once per level, with
// the multiplicity m_k available separately.
//
//   sphere S^{d-1} in R^d, d >= 2:  Funk-Hecke with the normalised Gegenbauer recurrence and
//       Gauss-Legendre quadrature in theta (GSL glfixed).  The workspace (nodes, weights and the
//       recurrence rows) is built once by spectra_sphere_alloc and reused for any kernel.
//   hypercube {-1,1}^d:  Krawtchouk transform of a Hamming-distance profile g(h).
//   power laws lambda_i = i^-alpha:  Hurwitz-zeta tail mass and incomplete-beta tail sums of the
//       learnabilities, usable as the eigenframework's analytic tail (eigenframework.h).
//
// The circle/torus FFTW spectra are in common/circulant, the Hermite
// eigenstructure in common/hermite (kext branch).
#ifndef SIM_SPECTRA_H
#define SIM_SPECTRA_H
#include "kernel.h"

// ---- sphere ----
// N(d,k): multiplicity of degree-k spherical harmonics on S^{d-1}; N(d,0) = 1,
// N(d,k) = (2k+d-2)/k C(k+d-3, k-1), computed through lgamma (exact to ~1e-15 relative).
double spectra_sphere_multiplicity(int d, int k);
// P[0..kmax] = normalised Gegenbauer polynomials P_k^{(d)}(t), P_k(1) = 1, by the recurrence
// (k+d-2) P_{k+1} = (2k+d-2) t P_k - k P_{k-1}.  Valid for d >= 2 (d = 2: Chebyshev T_k).
void spectra_gegenbauer(int d, int kmax, double t, double *P);

typedef struct spectra_sphere spectra_sphere;
// Workspace for degrees 0..kmax with `nodes` Gauss-Legendre nodes in theta on [0, pi].
// Stores the nodes and weights (2 nodes doubles) and one recurrence row.  NULL on bad arguments.
spectra_sphere *spectra_sphere_alloc(int d, int kmax, int nodes);
void spectra_sphere_free(spectra_sphere *w);
// lambda_k = c_d int_0^pi K(cos th) P_k(cos th) sin^{d-2} th dth for k = 0..kmax, with
// c_d = Gamma(d/2)/(sqrt(pi) Gamma((d-1)/2)).  lam has kmax+1 entries.  Returns 0.
int spectra_sphere_eigenvalues(spectra_sphere *w, double (*K)(double t, void *par), void *par, double *lam);
// The same for a kernel_spec on the sphere of squared radius r2 (r2 = 1: unit sphere) in R^d.
int spectra_sphere_kernel(spectra_sphere *w, const kernel_spec *k, double r2, double *lam);
// Gaussian kernel exp(-(1-t) b) on the unit sphere, b = 1/l^2: the closed form
// lambda_k = Gamma(d/2) (2/b)^{d/2-1} e^{-b} I_{k+d/2-1}(b)  (gsl_sf_bessel_Inu_scaled).
double spectra_sphere_gaussian(int d, int k, double b);

// ---- hypercube ----
// K_k(h) = sum_j (-1)^j C(h,j) C(d-h,k-j).
double spectra_krawtchouk(int d, int k, int h);
// Level eigenvalues lam[0..d] of the kernel g(h) of the Hamming distance h (g has d+1 entries):
// lambda_k = 2^-d sum_h C(d,h) g(h) K_k(h) / C(d,k).  Multiplicity C(d,k).  d <= 60.
int spectra_cube_levels(int d, const double *g, double *lam);
// g[0..d] for a kernel_spec evaluated on {-1,1}^d, where |x-x'|^2 = 4h and <x,x'> = d - 2h.
void spectra_cube_profile(const kernel_spec *k, int d, double *g);

// ---- power laws ----
// Mass beyond M explicit modes of lambda_i = i^-alpha (alpha > 1): zeta(alpha, M+1).
double spectra_powerlaw_tail_mass(double alpha, double M);
// Learnability tail sums over i > M of L_i = 1/(1 + kappa i^alpha), continuum form with the
// midpoint offset (M + 1/2):
//   S1 = sum L_i   ~ kappa^{-1/a} pi/(a sin(pi/a)) I_t0(1-1/a, 1/a)
//   S2 = sum L_i^2 ~ kappa^{-1/a} (1-1/a) pi/(a sin(pi/a)) I_t0(2-1/a, 1/a),
// t0 = 1/(1 + kappa (M+1/2)^a).  Measured rel. error vs brute force ~1e-7 (alpha = 1.5,
// kappa = 1e-4, M = 1000).
void spectra_powerlaw_tail_sums(double alpha, double kappa, double M, double *S1, double *S2);
// Adapter with the signature of eigenframework's analytic tail (par points to this struct).
typedef struct {
    double alpha;  // lambda_i = scale * i^-alpha for i > M
    double M;      // number of explicit modes
    double scale;  // usually 1
} spectra_powerlaw_tail;
void spectra_powerlaw_tail_fn(double kappa, void *par, double *S1, double *S2);
#endif
