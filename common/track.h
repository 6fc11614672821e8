// track: spectral tracking of weights during training (conventions.md, Spectral tracking).
//
//   track_svd        singular values (descending) of A (m, n) by dgesdd ON A COPY, optionally
//                    the top-k left singular vectors.  Never through the Gram matrix A^T A:
//                    small-init runs span 10 decades, and through A^T A the small singular
//                    values lose every digit once s_1/s_k > 1e8.
//   track_eig_desc   all eigenvalues of a symmetric (d, d) matrix, descending (on a copy)
//   track_eta        rank-one-ness  eta = s_1^2 / ||A||_F^2 = s_1^2 / sum_i s_i^2
//   track_gap        gap ratio      rho = s_1 / s_2   (inf when s_2 = 0)
//   track_stable_rank  ||A||_F^2 / s_1^2
//   track_overlap    subspace overlap O_k(U, V) = (1/k) ||U_k^T V_k||_F^2 in [0, 1]
//   track_sq_overlap (u.v)^2 / (|u|^2 |v|^2): the sign-free overlap of two directions
//   track_gs_residuals  sequential (modified Gram-Schmidt) initial projections r_j^2
//   track_grid_steps the snapshot grid: uniform plus log-spaced step indices
//
// The derived quantities take the singular values, so one SVD serves all of them.  track_svd
// and track_eig_desc allocate their copy per call: they run at snapshots, not in step loops.
#ifndef SIM_TRACK_H
#define SIM_TRACK_H
#include <stddef.h>

// s (min(m,n)) descending.  If Uk is not NULL it receives the top k left singular vectors as
// columns, row-major (m, k), 1 <= k <= min(m, n).  Returns LAPACK's info (0 = success).
int track_svd(int m, int n, const double *A, double *s, int k, double *Uk);
// w (d) eigenvalues of the symmetric A (d, d), descending.  Returns LAPACK's info.
int track_eig_desc(int d, const double *A, double *w);
double track_eta(const double *s, int ns);
double track_gap(const double *s, int ns);
double track_stable_rank(const double *s, int ns);
// U (n, ldu) and V (n, ldv) row-major whose first k columns are orthonormal.
double track_overlap(int n, int k, const double *U, int ldu, const double *V, int ldv);
double track_sq_overlap(int n, const double *u, const double *v);
// P (k, m): row j is the projection p_j.  r2[j] = ||p_j - proj_{span(p_1..p_{j-1})} p_j||^2, by
// modified Gram-Schmidt on a copy.  Returns 0.
int track_gs_residuals(int k, int m, const double *P, double *r2);
// Step indices 0 = s_0 < s_1 < ... <= n_steps: n_uniform points uniform in (0, n_steps] and
// n_log points log-spaced in [1, n_steps], merged, sorted, duplicates removed, 0 first.
// steps needs room for n_uniform + n_log + 1 entries.  Returns the count.
int track_grid_steps(long n_steps, int n_uniform, int n_log, long *steps);
#endif
