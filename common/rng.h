// rng: every random number of the suite comes from here (GSL's mt19937; normals by ziggurat).
//
// One generator per independent stream.  A stream's mt19937 seed is splitmix64(seed, stream),
// so small user seeds (1, 2, 3) give well-mixed, independent streams, and adding a trial or a
// panel that draws from its own stream id never shifts the numbers of another stream.
// Conventional stream ids for training programs: 0 data, 1 init, 2 SGD order, 3 augmentations.
#ifndef SIM_RNG_H
#define SIM_RNG_H
#include <gsl/gsl_rng.h>
#include <stdint.h>

uint64_t rng_mix(uint64_t seed, uint64_t stream);  // splitmix64 of the pair
gsl_rng *rng_alloc(uint64_t seed, uint64_t stream);
void rng_free(gsl_rng *r);

double rng_normal(gsl_rng *r);                         // N(0,1), ziggurat
void rng_normal_vec(gsl_rng *r, size_t n, double *x);  // x_i ~ N(0,1)
void rng_sphere(gsl_rng *r, int d, double *x);         // uniform on S^{d-1} in R^d: g/|g|
// x = U (sqrt(gamma) .* g): Gaussian with covariance U diag(gamma) U^T; U (d,d) row-major, or
// NULL for a diagonal covariance.
void rng_gaussian_cov(gsl_rng *r, int d, const double *U, const double *gamma, double *x);
// A uniform vertex of {-1,1}^d given as a d-bit index v: coordinate a is 1 - 2 bit_a(v).
void rng_cube_vertex(uint64_t v, int d, double *x);
// n distinct indices from {0..N-1} (partial Fisher-Yates; uses a bitmap with rejection when
// N > 64 n, so huge N costs O(n)).  Order is random.
int rng_subset(gsl_rng *r, size_t N, size_t n, size_t *idx);  // 0, or -1 (n > N, out of memory)
void rng_permutation(gsl_rng *r, size_t n, size_t *idx);      // a uniform permutation of 0..n-1
#endif
