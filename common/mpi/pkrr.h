// pkrr: kernel ridge regression distributed over MPI processes with ScaLAPACK, for Gram matrices
// that do not fit one machine (all of MNIST: n = 60,000 is 29 GB for the Gram alone).  Built only
// by `make mpi` (into build-mpi/); the single-process suite never includes it.
//
// The same mathematics as common/krr (conventions.md, Kernel ridge regression), in ScaLAPACK's
// 2-D block-cyclic layout on a BLACS process grid:
//   - the Gram matrix K_DD + delta I is formed block by block where it lives: every process
//     holds the data X itself (each reads its own copy) and computes only its own blocks, through
//     kernel_gram on the rows and columns it owns, so no process ever holds the whole matrix;
//   - alpha = (K_DD + delta I)^{-1} Y by pdpotrf + pdpotrs (Cholesky, lower triangle);
//   - test predictions K_TD alpha by pdgemm;
//   - the pool spectrum lambda_i = w_i / M, v = U^T y / sqrt(M) (krr_pool_spectrum's convention)
//     by pdsyevd and pdgemm.
// Block-cyclic map (block nb, P processes along a dimension, source process 0): global index g
// lives on process (g / nb) mod P at local index (g / (nb P)) nb + g mod nb.
//
// Errors follow common/status.h: every function returns 0 or non-zero with the reason in
// sim_last_error() (ScaLAPACK's info where a ScaLAPACK routine failed).  Allocation is checked
// against a per-process memory budget BEFORE allocating, so an n too large for the machines is a
// clear message, not an out-of-memory kill halfway through.
#ifndef SIM_PKRR_H
#define SIM_PKRR_H
#include <mpi.h>
#include <stddef.h>
#include "kernel.h"

typedef struct {
    MPI_Comm comm;      // the processes of this grid (MPI_COMM_WORLD, or one group of it)
    int rank, size;     // in comm
    int ctxt;           // BLACS context
    int nprow, npcol;   // grid shape, nprow * npcol = size
    int myrow, mycol;   // this process's coordinates
    int nb;             // block size (rows and columns)
    double mem_budget;  // bytes one process may allocate for distributed matrices
} pkrr_grid;

// A distributed (m, n) matrix: this process's local part, column-major with leading dimension
// mloc (ScaLAPACK's storage), and its descriptor.
typedef struct {
    int m, n, mloc, nloc;
    int desc[9];
    double *a;
} pkrr_mat;

// A grid over comm.  nprow = npcol = 0 picks the most nearly square shape; otherwise nprow x npcol
// must equal comm's size.  nb <= 0 takes 128.  mem_budget <= 0 takes this node's physical memory
// divided by the processes on the node, less 10%.
int pkrr_grid_init(MPI_Comm comm, int nprow, int npcol, int nb, double mem_budget, pkrr_grid *g);
void pkrr_grid_free(pkrr_grid *g);

// Bytes a distributed (m, n) matrix needs on the most loaded process of g (for budgets).
double pkrr_mat_bytes(const pkrr_grid *g, int m, int n);
// Allocate (zeroed); fails with a message when the budget left (g->mem_budget minus *used) is
// too small.  *used (may be NULL) accumulates this process's bytes.
int pkrr_mat_alloc(const pkrr_grid *g, int m, int n, pkrr_mat *A, double *used);
void pkrr_mat_free(pkrr_mat *A);

// K(i, j) = k(Xr_i, Xc_j) (+ diag on the global diagonal when the two sets are the same points:
// pass Xc == Xr), for the (m, n) distributed K; Xr (m, d) and Xc (n, d) row-major, on every
// process.
int pkrr_gram(const pkrr_grid *g, const kernel_spec *k, int d, const double *Xr, const double *Xc, double diag,
              pkrr_mat *K);
// The distributed copy of a full row-major (m, n) array that every process holds.
int pkrr_from_full(const pkrr_grid *g, const double *full, pkrr_mat *A);
// The full row-major (m, n) array on every process (each contributes its blocks; an allreduce).
int pkrr_to_full(const pkrr_grid *g, const pkrr_mat *A, double *full);

// Y <- (K)^{-1} Y by Cholesky of K (overwritten by its factor).  info > 0: K is not positive
// definite (the caller reports it, as krr_solve's callers do).
int pkrr_chol_solve(const pkrr_grid *g, pkrr_mat *K, pkrr_mat *Y);
// C = A B.
int pkrr_gemm(const pkrr_grid *g, const pkrr_mat *A, const pkrr_mat *B, pkrr_mat *C);
// The pool spectrum of the (M, M) Gram K (destroyed): lam (M) descending = w / M on every
// process; with y (M, nrhs) full on every process, v (M, nrhs) = U^T y / sqrt(M) on every process.
int pkrr_pool_spectrum(const pkrr_grid *g, pkrr_mat *K, int nrhs, const double *y, double *lam, double *v,
                       double *used);
#endif
