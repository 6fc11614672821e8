// kernel: the kernels of the kernel-regression thread and their Gram matrices through GEMM.
//
// Every kernel of the suite is a function of three inner products and the input dimension:
// K(x, x') = kernel_scalar(k, <x,x>, <x',x'>, <x,x'>, d_in).  A Gram matrix is therefore one
// GEMM (or SYRK) for the inner products, then the scalar profile elementwise
// (conventions.md, Kernels).  This module owns nothing but the kernel_spec (a plain value).
//
// Kernel names (conventions.md, Kernels; the `--kernel` values of every program; the length is
// `--bandwidth`):
//   laplace       exp(-|x-x'|/l)
//   laplace-hea   exp(-|x-x'|/(sqrt(2) w))        (HEA convention; = laplace with l = sqrt2 w)
//   gaussian      exp(-|x-x'|^2/(2 l^2))
//   ntk, nngp     ReLU NTK / NNGP of L hidden layers, NTK parameterisation, neural-tangents
//                 semantics: W_std = wstd, b_std = bstd, readout W_std = 1, b = 0.
//                 Aliases relu-ntk, relu-nngp (reverse-ntk's names).
//   erf-ntk, erf-nngp   the same recursion with erf activations (Williams' closed forms,
//                 reverse-ntk paper's Figure 1 targets).
//   ntk1b         normalised one-hidden-layer ReLU NTK with bias, K(x,x) = 1.
//
// Depth: L counts HIDDEN layers (L + 1 weight matrices).  Eigenlearning's default network is
// L = 4, wstd = sqrt(2), bstd = 0.1.
//
// Conventions: all matrices row-major; X is (n, d) with one point per row.
#ifndef SIM_KERNEL_H
#define SIM_KERNEL_H

typedef enum {
    KERNEL_LAPLACE,
    KERNEL_LAPLACE_HEA,
    KERNEL_GAUSSIAN,
    KERNEL_RELU_NTK,
    KERNEL_RELU_NNGP,
    KERNEL_ERF_NTK,
    KERNEL_ERF_NNGP,
    KERNEL_NTK1B
} kernel_type;

typedef struct {
    kernel_type type;
    double bandwidth;   // l (laplace, gaussian) or w (laplace-hea); unused by the network kernels
    int depth;          // L hidden layers (network kernels), >= 1
    double wstd, bstd;  // sigma_w, sigma_b (standard deviations, neural-tangents W_std, b_std)
} kernel_spec;

// Fill *k from the --kernel/--bandwidth/--depth/--wstd/--bstd values.  Returns 0, or -1 with
// a one-line message in err (unknown name, bandwidth <= 0, depth < 1, negative std).
int kernel_spec_parse(kernel_spec *k, const char *name, double bandwidth, int depth, double wstd, double bstd,
                      char *err, int errlen);
// The canonical name ("laplace", "ntk", "erf-nngp", ...), for TSV headers.
const char *kernel_name(const kernel_spec *k);
// A one-line description with every parameter, e.g. "ntk L=4 wstd=1.41421 bstd=0.1".
void kernel_describe(const kernel_spec *k, char *buf, int len);
// 1 for kernels of |x - x'| only (laplace, laplace-hea, gaussian).
int kernel_is_radial(const kernel_spec *k);

// K(x, x') from xx = <x,x>, yy = <x',x'>, xy = <x,x'> and the input dimension d_in.
// For radial kernels the squared distance xx + yy - 2 xy is clamped at 0.
double kernel_scalar(const kernel_spec *k, double xx, double yy, double xy, int d_in);
// K(x, x') for explicit vectors of length d (a naive reference; O(d)).
double kernel_eval(const kernel_spec *k, const double *x, const double *y, int d);
// The dot-product profile on the sphere of squared radius r2: K(t) with <x,x'> = r2 t
// (r2 = 1 is the unit sphere, r2 = d the sphere of radius sqrt(d)).
double kernel_sphere_profile(const kernel_spec *k, double t, double r2, int d_in);

// Gram matrices.  K (n, m) = K(X_i, Y_j) with X (n, d), Y (m, d), inner products by one
// cblas_dgemm.  Returns 0, or -1 on bad arguments (message on stderr).
int kernel_gram(const kernel_spec *k, int n, int m, int d, const double *X, const double *Y, double *K);
// The symmetric training Gram K (n, n) of X (n, d): cblas_dsyrk for the inner products, the
// diagonal set exactly (distance 0), the full matrix filled (both triangles).
// Threads for kernel_gram_sym's elementwise pass (default 1; the result does not depend on it).
// Programs set it to their BLAS thread count (cli_parse does); the library never asks BLAS.
void kernel_set_threads(int n);
int kernel_gram_sym(const kernel_spec *k, int n, int d, const double *X, double *K);
#endif
