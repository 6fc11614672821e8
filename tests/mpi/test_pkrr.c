// test_pkrr: the distributed KRR of common/mpi/pkrr against the single-process common/krr, on
// the same data, under `mpirun -np P` (make test-mpi runs P = 1, 2, 4).  Three quantities:
//   solve        alpha = (K + delta I)^{-1} Y        (n = 4000, 3 targets)
//   predictions  K_TD alpha                          (1000 test points)
//   pool         lambda_i and the eigenframework test MSE built from (lambda, v^2) at four n
//                (eigenvector signs are arbitrary, so v itself is compared through v^2 sums
//                that the theory uses)                (M = 2000)
// Each must agree to 1e-10 relative (max |a - b| / max |b|): both sides are backward stable
// and the problems are well conditioned (Laplace kernel, ridge 1e-2: cond < 1e5), so the
// difference is round-off, ~1e-13 here; 1e-10 leaves a factor of 1000.  One table row per
// quantity, from rank 0; exit 1 on any failure.
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eigenframework.h"
#include "kernel.h"
#include "krr.h"
#include "mpi/pkrr.h"
#include "rng.h"
#include "util.h"

#define TOL 1e-10

static double maxrel(const double *a, const double *b, size_t n) {
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++) num = fmax(num, fabs(a[i] - b[i])), den = fmax(den, fabs(b[i]));
    return den > 0 ? num / den : num;
}

static int bad = 0, rank = 0, size = 1;

static void row(const char *what, int n, double err) {
    if (rank == 0) printf("%d\t%s\t%d\t%.3e\t%s\n", size, what, n, err, err <= TOL ? "equal" : "DIFFERENT");
    if (!(err <= TOL)) bad = 1;
}

// `test_pkrr --time N`: no comparison, only the distributed path timed (the scaling table in
// README): Gram formation (Laplace kernel, d = 10: cheap, so the dense algebra dominates),
// Cholesky factor + solve, and the prediction GEMM, in seconds of wall time on rank 0.
static int time_only(int n) {
    int d = 10, r = 1, nt = 1000;
    kernel_spec k;
    char err[256];
    if (kernel_spec_parse(&k, "laplace", 2.0, 1, 1, 0, err, sizeof err)) DIE("%s", err);
    gsl_rng *g = MUST(rng_alloc(2385, 0));
    double *X = MUST(sim_alloc((size_t)(n + nt) * d, 8)), *Y = MUST(sim_alloc((size_t)n * r, 8));
    rng_normal_vec(g, (size_t)(n + nt) * d, X);
    rng_normal_vec(g, (size_t)n * r, Y);
    pkrr_grid G;
    if (pkrr_grid_init(MPI_COMM_WORLD, 0, 0, 128, 0, &G)) DIE("%s", sim_last_error());
    pkrr_mat K, Yd, Kt, F;
    double used = 0;
    if (pkrr_mat_alloc(&G, n, n, &K, &used) || pkrr_mat_alloc(&G, n, r, &Yd, &used) ||
        pkrr_mat_alloc(&G, nt, n, &Kt, &used) || pkrr_mat_alloc(&G, nt, r, &F, &used))
        DIE("%s", sim_last_error());
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    if (pkrr_gram(&G, &k, d, X, X, 1e-2, &K) || pkrr_gram(&G, &k, d, X + (size_t)n * d, X, 0, &Kt))
        DIE("%s", sim_last_error());
    pkrr_from_full(&G, Y, &Yd);
    MPI_Barrier(MPI_COMM_WORLD);
    double t1 = MPI_Wtime();
    if (pkrr_chol_solve(&G, &K, &Yd)) DIE("%s", sim_last_error());
    MPI_Barrier(MPI_COMM_WORLD);
    double t2 = MPI_Wtime();
    if (pkrr_gemm(&G, &Kt, &Yd, &F)) DIE("%s", sim_last_error());
    MPI_Barrier(MPI_COMM_WORLD);
    double t3 = MPI_Wtime();
    if (rank == 0)
        printf("%d\t%d\t%dx%d\t%.2f\t%.2f\t%.2f\t%.1f\t%.2f\n", size, n, G.nprow, G.npcol, t1 - t0, t2 - t1, t3 - t2,
               (double)n * n * n / 3 / (t2 - t1) / 1e9, pkrr_mat_bytes(&G, n, n) / 1e9);
    pkrr_mat_free(&K), pkrr_mat_free(&Yd), pkrr_mat_free(&Kt), pkrr_mat_free(&F);
    pkrr_grid_free(&G);
    free(X), free(Y), rng_free(g);
    return 0;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc == 3 && !strcmp(argv[1], "--time")) {
        if (rank == 0 && getenv("HEADER"))
            printf("procs\tn\tgrid\tgram_s\tcholesky_s\tpredict_s\tgflops\tgram_GB_per_proc\n");
        time_only(atoi(argv[2]));
        MPI_Finalize();
        return 0;
    }
    int n = argc > 1 ? atoi(argv[1]) : 4000, M = argc > 2 ? atoi(argv[2]) : 2000, nt = 1000, d = 10, r = 3;
    double delta = 1e-2;
    kernel_spec k;
    char err[256];
    if (kernel_spec_parse(&k, "laplace", 2.0, 1, 1, 0, err, sizeof err)) DIE("%s", err);
    // the same data on every process: one seeded stream
    gsl_rng *g = MUST(rng_alloc(2385, 0));
    double *X = MUST(sim_alloc((size_t)(n + nt) * d, 8)), *Y = MUST(sim_alloc((size_t)n * r, 8));
    rng_normal_vec(g, (size_t)(n + nt) * d, X);
    rng_normal_vec(g, (size_t)n * r, Y);
    const double *XT = X + (size_t)n * d;
    if (rank == 0) printf("procs\tquantity\tsize\tmax_rel_diff\tverdict\n");

    pkrr_grid G;
    if (pkrr_grid_init(MPI_COMM_WORLD, 0, 0, 64, 0, &G)) DIE("%s", sim_last_error());
    // serial reference on every process (small enough)
    double *K = MUST(sim_alloc((size_t)n * n, 8)), *Kt = MUST(sim_alloc((size_t)nt * n, 8));
    double *alpha = MUST(sim_alloc((size_t)n * r, 8)), *pred = MUST(sim_alloc((size_t)nt * r, 8));
    if (kernel_gram_sym(&k, n, d, X, K) || kernel_gram(&k, nt, n, d, XT, X, Kt)) DIE("%s", sim_last_error());
    memcpy(alpha, Y, (size_t)n * r * 8);
    if (krr_solve(n, K, delta, r, alpha, nt, Kt, pred)) DIE("krr_solve: %s", sim_last_error());

    pkrr_mat Kd, Yd, Ktd, Pd;
    double used = 0;
    if (pkrr_mat_alloc(&G, n, n, &Kd, &used) || pkrr_mat_alloc(&G, n, r, &Yd, &used) ||
        pkrr_mat_alloc(&G, nt, n, &Ktd, &used) || pkrr_mat_alloc(&G, nt, r, &Pd, &used))
        DIE("%s", sim_last_error());
    if (pkrr_gram(&G, &k, d, X, X, delta, &Kd) || pkrr_gram(&G, &k, d, XT, X, 0, &Ktd)) DIE("%s", sim_last_error());
    pkrr_from_full(&G, Y, &Yd);
    if (pkrr_chol_solve(&G, &Kd, &Yd) || pkrr_gemm(&G, &Ktd, &Yd, &Pd)) DIE("%s", sim_last_error());
    double *a2 = MUST(sim_alloc((size_t)n * r, 8)), *p2 = MUST(sim_alloc((size_t)nt * r, 8));
    if (pkrr_to_full(&G, &Yd, a2) || pkrr_to_full(&G, &Pd, p2)) DIE("%s", sim_last_error());
    row("solve", n, maxrel(a2, alpha, (size_t)n * r));
    row("predictions", nt, maxrel(p2, pred, (size_t)nt * r));
    pkrr_mat_free(&Kd), pkrr_mat_free(&Yd), pkrr_mat_free(&Ktd), pkrr_mat_free(&Pd);

    // pool spectrum on the first M points, target = the first column of Y
    double *KM = MUST(sim_alloc((size_t)M * M, 8)), *lam = MUST(sim_alloc((size_t)M, 8));
    double *v = MUST(sim_alloc((size_t)M, 8)), *lam2 = MUST(sim_alloc((size_t)M, 8)),
           *v2d = MUST(sim_alloc((size_t)M, 8));
    double *y = MUST(sim_alloc((size_t)M, 8));
    for (int i = 0; i < M; i++) y[i] = Y[(size_t)i * r];
    if (kernel_gram_sym(&k, M, d, X, KM) || krr_pool_spectrum(M, KM, 1, y, lam, v)) DIE("%s", sim_last_error());
    pkrr_mat KMd;
    used = 0;
    if (pkrr_mat_alloc(&G, M, M, &KMd, &used) || pkrr_gram(&G, &k, d, X, X, 0, &KMd) ||
        pkrr_pool_spectrum(&G, &KMd, 1, y, lam2, v2d, &used))
        DIE("%s", sim_last_error());
    row("pool eigenvalues", M, maxrel(lam2, lam, (size_t)M));
    double te1[4], te2[4], ns[4] = {50, 200, 500, 1000};
    for (int i = 0; i < M; i++) v[i] *= v[i], v2d[i] *= v2d[i];
    for (int j = 0; j < 4; j++) {
        ef_spectrum s1 = {.M = (size_t)M, .lam = lam}, s2 = {.M = (size_t)M, .lam = lam2};
        ef_fit f1, f2;
        ef_pred q1, q2;
        if (ef_solve(&s1, ns[j], delta, &f1) || ef_predict(&s1, &f1, v, 0, 0, &q1) ||
            ef_solve(&s2, ns[j], delta, &f2) || ef_predict(&s2, &f2, v2d, 0, 0, &q2))
            DIE("eigenframework failed: %s", sim_last_error());
        te1[j] = q1.te, te2[j] = q2.te;
    }
    row("pool theory E_te", M, maxrel(te2, te1, 4));
    pkrr_mat_free(&KMd);
    pkrr_grid_free(&G);
    free(X), free(Y), free(K), free(Kt), free(alpha), free(pred), free(a2), free(p2), free(KM), free(lam), free(v);
    free(lam2), free(v2d), free(y), rng_free(g);
    MPI_Finalize();
    return bad;
}
