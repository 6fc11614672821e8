// circulant: translation-invariant kernels on the discrete circle Z_M and the discrete torus
// Z_G^D, whose Gram matrices are (block-)circulant and are diagonalised by the DFT (FFTW 3).
//
// Two directions (conventions.md, Circle and torus):
//
//   circle, kernel -> spectrum   circulant_spectrum: the eigenvalues of a symmetric circulant
//                                M x M Gram matrix (first row r_j = K(theta_0, theta_j)) with
//                                respect to the uniform measure, lam_m = (1/M) sum_j r_j
//                                e^{-2 pi i m j / M}, by one r2c transform.
//   torus, spectrum -> kernel    circulant_torus: prescribe lam(m) on the N = G^D frequencies,
//                                build the kernel table k(x) = sum_m lam(m) e^{+2 pi i m.x/G} by
//                                one rank-D c2r backward transform, check it with the forward
//                                r2c, look up Gram matrices K_ij = k((x_i - x_j) mod G), and
//                                predict on the whole grid by one convolution.
//
// Layout.  Grid points and frequencies are linear indices into {0..G-1}^D in FFTW's row-major
// order (the last coordinate runs fastest).  The signed representative of a frequency
// coordinate is mt = m if m <= G/2, else m - G.  The half spectrum FFTW's r2c/c2r use has
// dims G x ... x G x (G/2 + 1).
//
// Ownership.  A circulant_torus owns its spectrum, kernel table, FFT buffers and the two plans
// (made once with FFTW_ESTIMATE, so results are deterministic, and executed many times).  It
// is not thread-safe: one workspace per thread.
//
// Include order: <fftw3.h> comes before <lapacke.h> in any file that needs both (lapacke.h
// pulls in <complex.h>, which would change fftw_complex).
#ifndef SIM_CIRCULANT_H
#define SIM_CIRCULANT_H
#include <fftw3.h>
#include <stddef.h>

// Eigenvalues of the symmetric circulant matrix with first row r (M entries, r_j = r_{M-j}
// is required to 1e-12 relative and checked), divided by M: lam (M), lam[m] = lam[M-m].
// Returns 0, or -1 (bad arguments or an asymmetric row; a message on stderr).
int circulant_spectrum(size_t M, const double *r, double *lam);

// A prescribed spectrum: lam(mt) for the signed frequency mt[0..D-1]; must be >= 0 and finite.
typedef double (*circulant_spectrum_fn)(int D, const int *mt, void *par);

typedef struct {
    int D, G;            // dimension and points per side
    size_t N;            // G^D grid points (= frequencies)
    size_t Nh;           // G^{D-1} (G/2 + 1) half-spectrum entries
    double *lam;         // (N)  lam(m), full frequency grid, row-major in m
    double *lam_half;    // (Nh) lam on the half-spectrum layout
    double *k;           // (N)  kernel table k(x) = K(0, x); k[0] = sum_m lam(m)
    double *rbuf;        // (N)  real workspace (r2c input, c2r output)
    fftw_complex *cbuf;  // (Nh) complex workspace
    fftw_plan fwd, bwd;  // r2c rbuf -> cbuf, c2r cbuf -> rbuf (unnormalised)
} circulant_torus;

// D in [1, 8], G in [2, 2^24], G^D <= 2^30.  NULL (message on stderr) on bad arguments.
circulant_torus *circulant_torus_alloc(int D, int G);
void circulant_torus_free(circulant_torus *t);

// Fill lam from fn and build the kernel table k by one c2r transform.  normalise != 0 scales
// lam so that sum_m lam(m) = 1 (then K(x,x) = k[0] = 1).  Returns 0, or -1 if fn returned a
// negative or non-finite value or the spectrum sums to zero.  *scale (if non-NULL) receives
// the factor applied (1 without normalisation).
int circulant_torus_set_spectrum(circulant_torus *t, circulant_spectrum_fn fn, void *par, int normalise, double *scale);

// Max over m of |r2c(k)(m)/N - lam(m)|: the round trip through the forward transform.
double circulant_torus_roundtrip_error(circulant_torus *t);

// Grid point index -> coordinates x[0..D-1], and frequency index -> signed frequency.
void circulant_torus_coords(const circulant_torus *t, size_t idx, int *x);
void circulant_torus_signed_freq(const circulant_torus *t, size_t idx, int *mt);
// Table index of (x_i - x_j) mod G, for grid indices i, j.
size_t circulant_torus_diff(const circulant_torus *t, size_t i, size_t j);

// Gram matrix K (n,n) row-major of the grid points idx[0..n-1], by table look-up.
// Returns 0, or -1 when memory ran out (status.h).
int circulant_torus_gram(const circulant_torus *t, size_t n, const size_t *idx, double *K);

// Predictions on the whole grid: fhat (N), fhat(x) = sum_i alpha_i k(x - x_idx[i]), by
// spikes -> r2c -> times lam -> c2r (no normalisation factor).  Points may repeat.
void circulant_torus_predict(circulant_torus *t, size_t n, const size_t *idx, const double *alpha, double *fhat);

// The distinct eigenvalues (exact equality) in descending order with their multiplicities:
// level (N) and mult (N) are caller-provided; returns the number of levels.  The theory sums
// over all N modes through these (group equal values first).  0 when memory ran out.
size_t circulant_torus_levels(const circulant_torus *t, double *level, double *mult);

// Ready-made radial spectra (par points to a circulant_radial).  With r2 = |mt|^2:
//   sobolev  (1 + r2 / ell^2)^(-s)     Weyl's law: sorted decay i^{-2s/D}
//   heat     exp(-r2 / (2 t))          periodised Gaussian: faster than any power
typedef struct {
    double s, ell, t;
} circulant_radial;
double circulant_sobolev(int D, const int *mt, void *par);
double circulant_heat(int D, const int *mt, void *par);
#endif
