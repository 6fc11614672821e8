// bench_linalg: the dense kernels of the suite, timed one call at a time for scripts/bench.
//
//   bench_linalg dgemm N THREADS     C = A B, N x N; prints seconds and GFLOP/s (2 N^3)
//   bench_linalg chol FILE N         our KRR path (common/linalg la_chol_solve = dposv) on the
//                                    SPD matrix in FILE (N*N doubles), one right-hand side
//   bench_linalg eigh FILE N         all eigenpairs (la_eigh = dsyevd)
//   bench_linalg eigtop FILE N K     top K eigenpairs (la_eigh_top = dsyevr range 'I')
//   bench_linalg makespd FILE N      write a reproducible SPD matrix X X^T/N + I (seed 1)
//
// Output: one line "seconds <t>" (the call only, not the set-up), plus "gflops <r>" where a
// flop count is standard.  The same matrix files feed the numpy/scipy references.
#include <gsl/gsl_cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blasinfo.h"
#include "kernel.h"
#include "linalg.h"
#include "rng.h"
#include "util.h"

static double *load(const char *path, size_t n) {
    FILE *f = xfopen(path, "rb", "run `bench_linalg makespd` first");
    double *A = xmalloc(n, sizeof *A);
    if (fread(A, sizeof *A, n, f) != n) DIE("short read on %s", path);
    fclose(f);
    return A;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_linalg dgemm|chol|eigh|eigtop|makespd ...\n");
        return 2;
    }
    blas_set_threads(1), kernel_set_threads(blas_get_threads());
    const char *mode = argv[1];
    if (!strcmp(mode, "dgemm") && argc == 4) {
        int n = atoi(argv[2]);
        blas_set_threads(atoi(argv[3])), kernel_set_threads(blas_get_threads());
        gsl_rng *r = rng_alloc(1, 0);
        double *A = xmalloc((size_t)n * n, 8), *B = xmalloc((size_t)n * n, 8), *C = xmalloc((size_t)n * n, 8);
        rng_normal_vec(r, (size_t)n * n, A);
        rng_normal_vec(r, (size_t)n * n, B);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 256, 256, 256, 1, A, n, B, n, 0, C, n);  // warm-up
        double t = util_now();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, A, n, B, n, 0, C, n);
        t = util_now() - t;
        printf("seconds %.6f\ngflops %.3f\n", t, 2.0 * n * n * (double)n / t / 1e9);
        return 0;
    }
    if (!strcmp(mode, "makespd") && argc == 4) {
        int n = atoi(argv[3]);
        gsl_rng *r = rng_alloc(1, 0);
        double *X = xmalloc((size_t)n * n, 8), *A = xmalloc((size_t)n * n, 8);
        rng_normal_vec(r, (size_t)n * n, X);
        blas_set_threads(2), kernel_set_threads(blas_get_threads());
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0 / n, X, n, X, n, 0, A, n);
        for (int i = 0; i < n; i++) A[(size_t)i * n + i] += 1.0;
        FILE *f = xfopen(argv[2], "wb", NULL);
        fwrite(A, 8, (size_t)n * n, f);
        fclose(f);
        return 0;
    }
    if (argc < 4) return 2;
    int n = atoi(argv[3]);
    if (getenv("BENCH_THREADS"))
        blas_set_threads(atoi(getenv("BENCH_THREADS"))), kernel_set_threads(blas_get_threads());
    double *A = load(argv[2], (size_t)n * n);
    double *w = xmalloc((size_t)n, 8);
    double t = util_now();
    int info;
    if (!strcmp(mode, "chol")) {
        for (int i = 0; i < n; i++) w[i] = 1.0 / (1 + i);
        t = util_now();
        info = la_chol_solve(n, A, 1, w);
        t = util_now() - t;
        printf("seconds %.6f\ngflops %.3f\n", t, (double)n * n * n / 3.0 / t / 1e9);
    } else if (!strcmp(mode, "eigh")) {
        info = la_eigh(n, A, w, 1);
        t = util_now() - t;
        printf("seconds %.6f\n", t);
    } else if (!strcmp(mode, "eigtop") && argc == 5) {
        int k = atoi(argv[4]);
        double *Z = xmalloc((size_t)n * k, 8);
        t = util_now();
        info = la_eigh_top(n, A, k, w, Z);
        t = util_now() - t;
        printf("seconds %.6f\n", t);
    } else {
        return 2;
    }
    if (info) DIE("LAPACK info %d", info);
    return 0;
}
