// pkrr: see pkrr.h.
#include "pkrr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "status.h"

// ScaLAPACK and BLACS have no C header on Debian: their Fortran and C entry points, as documented
// in the ScaLAPACK Users' Guide (descriptors of 9 integers; 1-based global indices).
void Cblacs_get(int context, int request, int *value);
void Cblacs_gridinit(int *context, const char *order, int nprow, int npcol);
void Cblacs_gridinfo(int context, int *nprow, int *npcol, int *myrow, int *mycol);
void Cblacs_gridexit(int context);
int Csys2blacs_handle(MPI_Comm comm);
int numroc_(const int *n, const int *nb, const int *iproc, const int *isrcproc, const int *nprocs);
void descinit_(int *desc, const int *m, const int *n, const int *mb, const int *nb, const int *irsrc, const int *icsrc,
               const int *ictxt, const int *lld, int *info);
void pdpotrf_(const char *uplo, const int *n, double *a, const int *ia, const int *ja, const int *desca, int *info);
void pdpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *ia, const int *ja,
              const int *desca, double *b, const int *ib, const int *jb, const int *descb, int *info);
void pdgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k, const double *alpha,
             const double *a, const int *ia, const int *ja, const int *desca, const double *b, const int *ib,
             const int *jb, const int *descb, const double *beta, double *c, const int *ic, const int *jc,
             const int *descc);
void pdsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *ia, const int *ja,
              const int *desca, double *w, double *z, const int *iz, const int *jz, const int *descz, double *work,
              const int *lwork, int *iwork, const int *liwork, int *info);

static const int I0 = 0, I1 = 1;

// Global index of local index l on grid coordinate p of P (block nb, source process 0).
static int l2g(int l, int p, int P, int nb) { return ((l / nb) * P + p) * nb + l % nb; }

// This node's physical memory divided among the processes on it, less 10%.
static double default_budget(MPI_Comm comm) {
    MPI_Comm node;
    int local = 1;
    if (MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
        MPI_Comm_size(node, &local);
        MPI_Comm_free(&node);
    }
    double phys = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    return 0.9 * phys / local;
}

int pkrr_grid_init(MPI_Comm comm, int nprow, int npcol, int nb, double mem_budget, pkrr_grid *g) {
    memset(g, 0, sizeof *g);
    g->comm = comm;
    MPI_Comm_rank(comm, &g->rank);
    MPI_Comm_size(comm, &g->size);
    if (nprow <= 0 || npcol <= 0) {  // the most nearly square factorisation
        nprow = (int)sqrt((double)g->size);
        while (g->size % nprow) nprow--;
        npcol = g->size / nprow;
    }
    if (nprow * npcol != g->size)
        return sim_fail(-1, "process grid %d x %d = %d does not match the %d processes started (mpirun -np %d)", nprow,
                        npcol, nprow * npcol, g->size, nprow * npcol);
    g->nb = nb > 0 ? nb : 128;
    g->mem_budget = mem_budget > 0 ? mem_budget : default_budget(comm);
    g->ctxt = Csys2blacs_handle(comm);
    Cblacs_gridinit(&g->ctxt, "Row", nprow, npcol);
    Cblacs_gridinfo(g->ctxt, &g->nprow, &g->npcol, &g->myrow, &g->mycol);
    if (g->nprow != nprow || g->npcol != npcol)
        return sim_fail(-1, "BLACS could not form a %d x %d grid", nprow, npcol);
    return 0;
}

void pkrr_grid_free(pkrr_grid *g) {
    if (g->ctxt >= 0 && g->nprow > 0) Cblacs_gridexit(g->ctxt);
    g->nprow = g->npcol = 0;
}

double pkrr_mat_bytes(const pkrr_grid *g, int m, int n) {
    // the most loaded process holds ceil(ceil(m/nb)/nprow) row blocks and likewise columns
    double rb = ceil(ceil((double)m / g->nb) / g->nprow) * g->nb, cb = ceil(ceil((double)n / g->nb) / g->npcol) * g->nb;
    return 8.0 * fmin(rb, m) * fmin(cb, n);
}

int pkrr_mat_alloc(const pkrr_grid *g, int m, int n, pkrr_mat *A, double *used) {
    memset(A, 0, sizeof *A);
    A->m = m, A->n = n;
    A->mloc = numroc_(&m, &g->nb, &g->myrow, &I0, &g->nprow);
    A->nloc = numroc_(&n, &g->nb, &g->mycol, &I0, &g->npcol);
    double need = pkrr_mat_bytes(g, m, n), have = g->mem_budget - (used ? *used : 0);
    if (need > have)
        return sim_fail(-1,
                        "a distributed %d x %d matrix needs %.2f GB on the most loaded of %d processes, but %.2f GB "
                        "are left of the %.2f GB budget per process: use more processes (mpirun -np), or a smaller n",
                        m, n, need / 1e9, g->size, have / 1e9, g->mem_budget / 1e9);
    int lld = A->mloc > 1 ? A->mloc : 1, info;
    descinit_(A->desc, &m, &n, &g->nb, &g->nb, &I0, &I0, &g->ctxt, &lld, &info);
    if (info) return sim_fail(info, "descinit: argument %d is illegal (m = %d, n = %d)", -info, m, n);
    A->a = sim_calloc((size_t)lld * (A->nloc > 0 ? A->nloc : 1), sizeof *A->a);
    if (!A->a) return -1;
    if (used) *used += 8.0 * lld * A->nloc;
    return 0;
}

void pkrr_mat_free(pkrr_mat *A) {
    free(A->a);
    A->a = NULL;
}

int pkrr_gram(const pkrr_grid *g, const kernel_spec *k, int d, const double *Xr, const double *Xc, double diag,
              pkrr_mat *K) {
    int ml = K->mloc, nl = K->nloc;
    if (ml == 0 || nl == 0) return 0;
    double *XR = sim_alloc((size_t)ml * d, sizeof *XR), *XC = sim_alloc((size_t)nl * d, sizeof *XC);
    int *rows = sim_alloc((size_t)ml, sizeof *rows), *cols = sim_alloc((size_t)nl, sizeof *cols);
    if (!XR || !XC || !rows || !cols) {
        free(XR), free(XC), free(rows), free(cols);
        return -1;
    }
    for (int i = 0; i < ml; i++) {
        rows[i] = l2g(i, g->myrow, g->nprow, g->nb);
        memcpy(XR + (size_t)i * d, Xr + (size_t)rows[i] * d, (size_t)d * sizeof *XR);
    }
    for (int j = 0; j < nl; j++) {
        cols[j] = l2g(j, g->mycol, g->npcol, g->nb);
        memcpy(XC + (size_t)j * d, Xc + (size_t)cols[j] * d, (size_t)d * sizeof *XC);
    }
    // kernel_gram(XC, XR) is (nl, ml) row-major, entry [j ml + i] = k(x_cols[j], x_rows[i]): exactly
    // the column-major local block with leading dimension ml.
    int st = kernel_gram(k, nl, ml, d, XC, XR, K->a);
    if (!st && Xr == Xc)  // the global diagonal: the exact self-similarity, as kernel_gram_sym writes it
        for (int j = 0; j < nl; j++)
            for (int i = 0; i < ml; i++)
                if (rows[i] == cols[j]) {
                    const double *x = Xr + (size_t)rows[i] * d;
                    double xx = 0;
                    for (int a = 0; a < d; a++) xx += x[a] * x[a];
                    K->a[(size_t)j * ml + i] = kernel_scalar(k, xx, xx, xx, d) + diag;
                }
    free(XR), free(XC), free(rows), free(cols);
    return st ? sim_fail(-1, "pkrr_gram: %s", sim_last_error()) : 0;
}

int pkrr_from_full(const pkrr_grid *g, const double *full, pkrr_mat *A) {
    for (int j = 0; j < A->nloc; j++) {
        int gj = l2g(j, g->mycol, g->npcol, g->nb);
        for (int i = 0; i < A->mloc; i++)
            A->a[(size_t)j * A->mloc + i] = full[(size_t)l2g(i, g->myrow, g->nprow, g->nb) * A->n + gj];
    }
    return 0;
}

int pkrr_to_full(const pkrr_grid *g, const pkrr_mat *A, double *full) {
    size_t N = (size_t)A->m * A->n;
    memset(full, 0, N * sizeof *full);
    for (int j = 0; j < A->nloc; j++) {
        int gj = l2g(j, g->mycol, g->npcol, g->nb);
        for (int i = 0; i < A->mloc; i++)
            full[(size_t)l2g(i, g->myrow, g->nprow, g->nb) * A->n + gj] = A->a[(size_t)j * A->mloc + i];
    }
    // every entry lives on exactly one process, so the sum is a gather (in chunks under 2^31)
    for (size_t off = 0; off < N; off += (size_t)1 << 30) {
        int cnt = (int)(N - off < ((size_t)1 << 30) ? N - off : ((size_t)1 << 30));
        if (MPI_Allreduce(MPI_IN_PLACE, full + off, cnt, MPI_DOUBLE, MPI_SUM, g->comm) != MPI_SUCCESS)
            return sim_fail(-1, "pkrr_to_full: MPI_Allreduce failed");
    }
    return 0;
}

int pkrr_chol_solve(const pkrr_grid *g, pkrr_mat *K, pkrr_mat *Y) {
    (void)g;
    int info, n = K->m;
    pdpotrf_("L", &n, K->a, &I1, &I1, K->desc, &info);
    if (info) return sim_fail(info, "pdpotrf: info %d (%s)", info, info > 0 ? "not positive definite" : "bad argument");
    pdpotrs_("L", &n, &Y->n, K->a, &I1, &I1, K->desc, Y->a, &I1, &I1, Y->desc, &info);
    if (info) return sim_fail(info, "pdpotrs: info %d", info);
    return 0;
}

static void gemm(const char *ta, const pkrr_mat *A, const pkrr_mat *B, pkrr_mat *C, double alpha) {
    int m = C->m, n = C->n, k = (*ta == 'T') ? A->m : A->n;
    double beta = 0;
    pdgemm_(ta, "N", &m, &n, &k, &alpha, A->a, &I1, &I1, A->desc, B->a, &I1, &I1, B->desc, &beta, C->a, &I1, &I1,
            C->desc);
}

int pkrr_gemm(const pkrr_grid *g, const pkrr_mat *A, const pkrr_mat *B, pkrr_mat *C) {
    (void)g;
    if (A->n != B->m || C->m != A->m || C->n != B->n)
        return sim_fail(-1, "pkrr_gemm: shapes (%d,%d) x (%d,%d) -> (%d,%d)", A->m, A->n, B->m, B->n, C->m, C->n);
    gemm("N", A, B, C, 1.0);
    return 0;
}

int pkrr_pool_spectrum(const pkrr_grid *g, pkrr_mat *K, int nrhs, const double *y, double *lam, double *v,
                       double *used) {
    int M = K->m, info, lwork = -1, liwork = -1, iw;
    pkrr_mat Z, Y, V;
    if (pkrr_mat_alloc(g, M, M, &Z, used)) return -1;
    double *w = sim_alloc((size_t)M, sizeof *w), wq;
    if (!w) return pkrr_mat_free(&Z), -1;
    pdsyevd_("V", "L", &M, K->a, &I1, &I1, K->desc, w, Z.a, &I1, &I1, Z.desc, &wq, &lwork, &iw, &liwork, &info);
    lwork = (int)wq + 1, liwork = iw;
    double *work = sim_alloc((size_t)lwork, sizeof *work);
    int *iwork = sim_alloc((size_t)liwork, sizeof *iwork);
    if (!work || !iwork) {
        free(work), free(iwork), free(w), pkrr_mat_free(&Z);
        return -1;
    }
    pdsyevd_("V", "L", &M, K->a, &I1, &I1, K->desc, w, Z.a, &I1, &I1, Z.desc, work, &lwork, iwork, &liwork, &info);
    free(work), free(iwork);
    if (info) {
        free(w), pkrr_mat_free(&Z);
        return sim_fail(info, "pdsyevd: info %d", info);
    }
    for (int i = 0; i < M; i++) lam[i] = w[M - 1 - i] / M;  // descending, as krr_pool_spectrum
    int st = 0;
    if (y) {
        memset(&Y, 0, sizeof Y), memset(&V, 0, sizeof V);
        double *full = sim_alloc((size_t)M * nrhs, sizeof *full);
        st = !full || pkrr_mat_alloc(g, M, nrhs, &Y, used) || pkrr_mat_alloc(g, M, nrhs, &V, used);
        if (!st) {
            pkrr_from_full(g, y, &Y);
            gemm("T", &Z, &Y, &V, 1.0 / sqrt((double)M));  // V = U^T y / sqrt(M), ascending order
            st = pkrr_to_full(g, &V, full);
            for (int i = 0; i < M && !st; i++)
                memcpy(v + (size_t)i * nrhs, full + (size_t)(M - 1 - i) * nrhs, (size_t)nrhs * sizeof *v);
        }
        pkrr_mat_free(&Y), pkrr_mat_free(&V);
        free(full);
    }
    free(w), pkrr_mat_free(&Z);
    return st ? -1 : 0;
}
