// bench_kernels: Gram matrices and the eigenframework solve, for scripts/bench.
//
//   bench_kernels gram laplace|gaussian N D   the symmetric training Gram of N points in R^D
//                                             (common/kernel: dsyrk + elementwise profile);
//                                             prints seconds and gflops (N^2 D for the dsyrk)
//   bench_kernels eigfw M N REPS              kappa and E0 for lambda_i = i^-1.5, i <= M, at
//                                             sample size N, ridgeless; seconds per solve
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blasinfo.h"
#include "eigenframework.h"
#include "kernel.h"
#include "rng.h"
#include "util.h"

int main(int argc, char **argv) {
    blas_set_threads(getenv("BENCH_THREADS") ? atoi(getenv("BENCH_THREADS")) : 1),
        kernel_set_threads(blas_get_threads());
    if (argc == 5 && !strcmp(argv[1], "gram")) {
        int n = atoi(argv[3]), d = atoi(argv[4]);
        kernel_spec k;
        char err[256];
        if (kernel_spec_parse(&k, argv[2], 1.0, 1, 1.0, 0.0, err, sizeof err)) DIE("%s", err);
        gsl_rng *r = rng_alloc(1, 0);
        double *X = xmalloc((size_t)n * d, 8), *K = xmalloc((size_t)n * n, 8);
        rng_normal_vec(r, (size_t)n * d, X);
        for (size_t i = 0; i < (size_t)n * d; i++) X[i] /= sqrt(d);
        double t = util_now();
        if (kernel_gram_sym(&k, n, d, X, K)) DIE("kernel_gram_sym failed");
        t = util_now() - t;
        printf("seconds %.6f\ngflops %.3f\n", t, (double)n * n * d / t / 1e9);
        return 0;
    }
    if (argc == 5 && !strcmp(argv[1], "eigfw")) {
        size_t M = (size_t)atol(argv[2]);
        double n = atof(argv[3]);
        int reps = atoi(argv[4]);
        double *lam = xmalloc(M, 8);
        for (size_t i = 0; i < M; i++) lam[i] = pow((double)(i + 1), -1.5);
        ef_spectrum s = {.M = M, .lam = lam};
        ef_fit fit;
        double t = util_now();
        for (int k = 0; k < reps; k++)
            if (ef_solve(&s, n, 0.0, &fit)) DIE("ef_solve failed");
        t = util_now() - t;
        printf("seconds %.6f\nkappa %.12g\nE0 %.12g\n", t / reps, fit.kappa, fit.E0);
        return 0;
    }
    fprintf(stderr, "usage: bench_kernels gram laplace|gaussian N D | eigfw M N REPS\n");
    return 2;
}
