// krr-mnist-mpi: kernel regression learning curves on MNIST up to all 60,000 training images, with
// the eigenframework's prediction beside them, distributed over MPI processes with ScaLAPACK
// (common/mpi/pkrr).  The experiment is krr-curves' MNIST part (its kernel, preprocessing and
// theory), taken past what one machine's memory holds.
//
// Paper: Simon, Dickens, Karkada, DeWeese, "The Eigenlearning Framework", arXiv 2110.03922: the
// test MSE of KRR is predicted from the kernel's eigenvalues and the target's coefficients;
// here both come from the eigendecomposition of an M-image pool Gram matrix (lambda_i = w_i/M,
// v = U^T y / sqrt(M); paper-notes/conventions.md, Empirical (pool) spectra).
//
// What it does, per task:
//   1. pool: M training images (a seeded draw), their Gram matrix formed and eigendecomposed in
//      block-cyclic pieces (pdsyevd) on all processes: lambda and v^2 for the theory;
//   2. for each n in --n-list and each trial: n training images drawn from the rest of the
//      training split (a stream per trial: results do not depend on the number of processes),
//      alpha = (K + delta I)^{-1} Y by pdpotrf/pdpotrs, predictions on --ntest test images by
//      pdgemm, test MSE per output against the eigenframework's E_te at the same n and ridge.
//   Trials can run side by side on process groups (--groups G: G grids of P/G processes each).
// Tasks: "A-B" (digits A vs B, targets +-1, as krr-curves) and "tenclass" (one-vs-rest
// regression on all ten digits, targets one-hot minus 1/10, the MSE summed over the 10 outputs).
// Pixels are standardised by the training split's mean and standard deviation; the kernel is
// krr-curves' MNIST kernel, the ReLU NTK with 4 hidden layers (sigma_w = sqrt 2, sigma_b = 0.1).
//
// Run (one machine, 2 processes):  make mpi && mpirun -np 2 build-mpi/krr-mnist-mpi --task 0-1
// A cluster:  mpirun -np 64 --hostfile HOSTS build-mpi/krr-mnist-mpi --task tenclass
//               --n-list 1000,4000,16000,60000 --pool 20000 --out runs/mnist-60k
// Memory per process ~ 8 n^2 / P bytes for the Gram (the pool: 16 M^2 / P, matrix and vectors)
// plus the data, 8 x 70,000 x 784 = 0.44 GB on every process; a budget is checked before
// anything is allocated (--mem-per-process GB; default this node's memory / its processes).
//
// Writes (rank 0) OUT/learning.tsv (one row per task, n, trial: test MSE and theory) and
// OUT/pool_spectrum.tsv (lambda_i and v_i^2 of the pool).
#include <getopt.h>
#include <math.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "eigenframework.h"
#include "kernel.h"
#include "mnist.h"
#include "mpi/pkrr.h"
#include "rng.h"
#include "util.h"

// ---- parameters ----
static struct params {
    const char *task, *out, *mnist_dir, *kernel;
    int nlist[32], nn, pool, ntest, trials, groups, nb, gridr, gridc, depth;
    double ridge, bandwidth, wstd, bstd, mem_gb;
    unsigned long seed;
} P = {.task = "0-1",
       .out = "runs/krr-mnist-mpi",
       .kernel = "ntk",
       .nlist = {250, 500, 1000, 2000, 4000},
       .nn = 5,
       .pool = 4000,
       .ntest = 2000,
       .trials = 2,
       .groups = 1,
       .nb = 128,
       .depth = 4,
       .ridge = 0,
       .bandwidth = 1,
       .wstd = 1.41421356237309505,
       .bstd = 0.1,
       .seed = 1};

// RNG streams: the pool draw, then one per trial (so trial t is the same images at any -np).
enum { STREAM_POOL = 1, STREAM_TRIAL0 = 100 };

static int rank_world = 0;

// A usage or set-up error: printed once (rank 0), and every process leaves.
static void usage_error(const char *fmt, ...) {
    if (rank_world == 0) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "krr-mnist-mpi: ");
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, " (see krr-mnist-mpi --help)\n");
        va_end(ap);
    }
    MPI_Finalize();
    exit(EXIT_USAGE);
}

// A runtime failure on any process ends the whole job with its message.
static void fail_all(const char *what) {
    fprintf(stderr, "krr-mnist-mpi (rank %d): %s: %s\n", rank_world, what, sim_last_error());
    MPI_Abort(MPI_COMM_WORLD, EXIT_RUNTIME);
}

static void help(void) {
    printf(
        "krr-mnist-mpi: KRR learning curves on MNIST to n = 60000 with the eigenframework beside them,\n"
        "distributed with ScaLAPACK.  Run under mpirun -np P.\n\n"
        "  --task T             A-B (digits, +-1 targets) or tenclass (one-vs-rest, 10 outputs) [0-1]\n"
        "  --n-list N1,N2,...   training sizes, each <= 60000 - pool [250,...,4000]\n"
        "  --pool M             images in the theory's pool spectrum [4000]\n"
        "  --ntest N            test images [2000]\n"
        "  --trials T           draws of the training set per n [2]\n"
        "  --ridge DELTA        absolute ridge (0: ridgeless, as krr-curves) [0]\n"
        "  --kernel K           ntk|laplace|gaussian [ntk]; --depth --wstd --bstd --bandwidth as krr-curves\n"
        "  --groups G           run trials on G process groups side by side (G divides P) [1]\n"
        "  --grid RxC           process grid of each group (default: most nearly square)\n"
        "  --nb B               ScaLAPACK block size [128]\n"
        "  --mem-per-process GB the memory budget checked before allocating [node memory / processes]\n"
        "  --mnist-dir DIR      the IDX files [$MNIST_DIR or data/mnist]\n"
        "  --seed S             [1]\n"
        "  --out DIR            [runs/krr-mnist-mpi]\n");
}

static void parse(int argc, char **argv) {
    static struct option o[] = {{"task", 1, 0, 't'},
                                {"n-list", 1, 0, 'n'},
                                {"pool", 1, 0, 'p'},
                                {"ntest", 1, 0, 'T'},
                                {"trials", 1, 0, 'r'},
                                {"ridge", 1, 0, 'd'},
                                {"kernel", 1, 0, 'k'},
                                {"depth", 1, 0, 'L'},
                                {"wstd", 1, 0, 'w'},
                                {"bstd", 1, 0, 'b'},
                                {"bandwidth", 1, 0, 'B'},
                                {"groups", 1, 0, 'g'},
                                {"grid", 1, 0, 'G'},
                                {"nb", 1, 0, 'N'},
                                {"mem-per-process", 1, 0, 'm'},
                                {"mnist-dir", 1, 0, 'D'},
                                {"seed", 1, 0, 's'},
                                {"out", 1, 0, 'o'},
                                {"help", 0, 0, 'h'},
                                {0, 0, 0, 0}};
    opterr = 0;
    P.mnist_dir = getenv("MNIST_DIR") ? getenv("MNIST_DIR") : "data/mnist";
    int c;
    char *e;
    while ((c = getopt_long(argc, argv, "", o, NULL)) != -1) {
        switch (c) {
        case 't': P.task = optarg; break;
        case 'n':
            P.nn = 0;
            for (char *s = strtok(optarg, ","); s; s = strtok(NULL, ",")) {
                if (P.nn == 32) usage_error("--n-list takes at most 32 sizes");
                P.nlist[P.nn++] = (int)strtol(s, &e, 10);
                if (*e || P.nlist[P.nn - 1] < 1) usage_error("--n-list: '%s' is not a positive integer", s);
            }
            break;
        case 'p': P.pool = (int)strtol(optarg, &e, 10); break;
        case 'T': P.ntest = (int)strtol(optarg, &e, 10); break;
        case 'r': P.trials = (int)strtol(optarg, &e, 10); break;
        case 'd': P.ridge = strtod(optarg, &e); break;
        case 'k': P.kernel = optarg; break;
        case 'L': P.depth = (int)strtol(optarg, &e, 10); break;
        case 'w': P.wstd = strtod(optarg, &e); break;
        case 'b': P.bstd = strtod(optarg, &e); break;
        case 'B': P.bandwidth = strtod(optarg, &e); break;
        case 'g': P.groups = (int)strtol(optarg, &e, 10); break;
        case 'G':
            if (sscanf(optarg, "%dx%d", &P.gridr, &P.gridc) != 2 || P.gridr < 1 || P.gridc < 1)
                usage_error("--grid expects RxC, e.g. 2x2, got '%s'", optarg);
            break;
        case 'N': P.nb = (int)strtol(optarg, &e, 10); break;
        case 'm': P.mem_gb = strtod(optarg, &e); break;
        case 'D': P.mnist_dir = optarg; break;
        case 's': P.seed = strtoul(optarg, &e, 10); break;
        case 'o': P.out = optarg; break;
        case 'h':
            if (rank_world == 0) help();
            MPI_Finalize();
            exit(0);
        default: usage_error("unknown flag or missing value '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) usage_error("unexpected argument '%s'", argv[optind]);
    if (P.pool < 10 || P.ntest < 1 || P.trials < 1 || P.groups < 1 || P.nb < 1 || !(P.ridge >= 0))
        usage_error("--pool >= 10, --ntest >= 1, --trials >= 1, --groups >= 1, --nb >= 1, --ridge >= 0");
}

// ---- data ----
typedef struct {
    int n, d, r;  // images, pixels, outputs
    double *x;    // (n, d) standardised
    double *y;    // (n, r) targets
} dataset;

// One split of MNIST, read by this process itself (a missing file on any process ends the job).
static void load_split(int train, mnist_set *s) {
    char err[1024];
    if (mnist_load(P.mnist_dir, train, s, err, sizeof err)) {
        fprintf(stderr, "krr-mnist-mpi (rank %d): %s\n", rank_world, err);
        MPI_Abort(MPI_COMM_WORLD, EXIT_RUNTIME);
    }
}

// The task's images of a split, standardised with (mu, sd), targets by task.
static void task_from(const mnist_set *s, double mu, double sd, dataset *D) {
    int a = -1, b = -1, ten = !strcmp(P.task, "tenclass");
    if (!ten && (sscanf(P.task, "%d-%d", &a, &b) != 2 || a < 0 || a > 9 || b < 0 || b > 9 || a == b))
        usage_error("--task expects A-B (two different digits) or tenclass, got '%s'", P.task);
    D->d = s->d, D->r = ten ? 10 : 1, D->n = 0;
    D->x = MUST(sim_alloc((size_t)s->n * s->d, sizeof(double)));
    D->y = MUST(sim_alloc((size_t)s->n * D->r, sizeof(double)));
    for (int i = 0; i < s->n; i++) {
        int lab = s->y[i];
        if (!ten && lab != a && lab != b) continue;
        for (int j = 0; j < s->d; j++) D->x[(size_t)D->n * s->d + j] = (s->x[(size_t)i * s->d + j] - mu) / sd;
        if (ten)
            for (int c = 0; c < 10; c++) D->y[(size_t)D->n * 10 + c] = (c == lab) - 0.1;
        else D->y[D->n] = lab == a ? 1.0 : -1.0;
        D->n++;
    }
}

// Rows idx[0..m) of D as a new dataset (no copy of the pixels' meaning, just a gather).
static void take(const dataset *D, const size_t *idx, int m, dataset *out) {
    out->n = m, out->d = D->d, out->r = D->r;
    out->x = MUST(sim_alloc((size_t)m * D->d, sizeof(double)));
    out->y = MUST(sim_alloc((size_t)m * D->r, sizeof(double)));
    for (int i = 0; i < m; i++) {
        memcpy(out->x + (size_t)i * D->d, D->x + idx[i] * D->d, (size_t)D->d * sizeof(double));
        memcpy(out->y + (size_t)i * D->r, D->y + idx[i] * D->r, (size_t)D->r * sizeof(double));
    }
}

static void drop(dataset *D) { free(D->x), free(D->y); }

// ---- one trial: KRR at n on a group's grid ----
static double krr_trial(const pkrr_grid *g, const kernel_spec *k, const dataset *tr, const dataset *te) {
    pkrr_mat K, Y, Kt, F;
    double used = 0;
    int n = tr->n, r = tr->r, d = tr->d;
    if (pkrr_mat_alloc(g, n, n, &K, &used) || pkrr_mat_alloc(g, n, r, &Y, &used) ||
        pkrr_mat_alloc(g, te->n, n, &Kt, &used) || pkrr_mat_alloc(g, te->n, r, &F, &used))
        fail_all("allocating the distributed matrices");
    if (pkrr_gram(g, k, d, tr->x, tr->x, P.ridge, &K) || pkrr_gram(g, k, d, te->x, tr->x, 0, &Kt))
        fail_all("forming the Gram matrices");
    pkrr_from_full(g, tr->y, &Y);
    if (pkrr_chol_solve(g, &K, &Y)) fail_all("solving (K + delta I) alpha = Y");
    if (pkrr_gemm(g, &Kt, &Y, &F)) fail_all("predicting");
    double *f = MUST(sim_alloc((size_t)te->n * r, sizeof *f));
    if (pkrr_to_full(g, &F, f)) fail_all("gathering the predictions");
    double mse = 0;
    for (size_t i = 0; i < (size_t)te->n * r; i++) mse += (f[i] - te->y[i]) * (f[i] - te->y[i]);
    free(f);
    pkrr_mat_free(&K), pkrr_mat_free(&Y), pkrr_mat_free(&Kt), pkrr_mat_free(&F);
    return mse / te->n;  // summed over the r outputs, averaged over test images
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_world);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    parse(argc, argv);
    if (size % P.groups) usage_error("--groups %d does not divide the %d processes", P.groups, size);
    int gsize = size / P.groups;
    if (P.gridr && P.gridr * P.gridc != gsize)
        usage_error("--grid %dx%d = %d processes, but each of the %d group(s) has %d", P.gridr, P.gridc,
                    P.gridr * P.gridc, P.groups, gsize);
    kernel_spec k;
    char err[256];
    if (kernel_spec_parse(&k, P.kernel, P.bandwidth, P.depth, P.wstd, P.bstd, err, sizeof err)) usage_error("%s", err);

    // Standardisation constants of the whole training split (as krr-curves), then the task; each
    // split is read and converted once.
    mnist_set split;
    load_split(1, &split);
    double s1 = 0, s2 = 0, N = (double)split.n * split.d;
    for (size_t i = 0; i < (size_t)split.n * split.d; i++) s1 += split.x[i], s2 += split.x[i] * split.x[i];
    double mu = s1 / N, sd = sqrt(s2 / N - mu * mu);
    dataset TR, TE;
    task_from(&split, mu, sd, &TR);
    mnist_free(&split);
    load_split(0, &split);
    task_from(&split, mu, sd, &TE);
    mnist_free(&split);
    if (P.ntest > TE.n) usage_error("--ntest %d: the task has %d test images", P.ntest, TE.n);
    TE.n = P.ntest;  // the first ntest (the test split's order)
    for (int i = 0; i < P.nn; i++)
        if (P.nlist[i] > TR.n - P.pool)
            usage_error("n = %d: the task has %d training images, %d of them in the pool", P.nlist[i], TR.n, P.pool);

    // 1. the pool spectrum, on all processes
    pkrr_grid W;
    double budget = P.mem_gb > 0 ? P.mem_gb * 1e9 : 0;
    if (pkrr_grid_init(MPI_COMM_WORLD, P.groups == 1 ? P.gridr : 0, P.groups == 1 ? P.gridc : 0, P.nb, budget, &W))
        usage_error("%s", sim_last_error());
    size_t *perm = MUST(sim_alloc((size_t)TR.n, sizeof *perm));
    gsl_rng *rp = MUST(rng_alloc(P.seed, STREAM_POOL));
    rng_permutation(rp, (size_t)TR.n, perm);
    rng_free(rp);
    dataset pool;
    take(&TR, perm, P.pool, &pool);
    int M = P.pool, r = TR.r;
    double *lam = MUST(sim_alloc((size_t)M, sizeof *lam)), *v = MUST(sim_alloc((size_t)M * r, sizeof *v));
    {
        pkrr_mat K;
        double used = 0;
        if (pkrr_mat_alloc(&W, M, M, &K, &used)) usage_error("%s", sim_last_error());
        if (pkrr_gram(&W, &k, TR.d, pool.x, pool.x, 0, &K)) fail_all("pool Gram");
        double t0 = MPI_Wtime();
        if (pkrr_pool_spectrum(&W, &K, r, pool.y, lam, v, &used)) fail_all("pool eigendecomposition");
        if (rank_world == 0)
            fprintf(stderr, "krr-mnist-mpi: pool of %d eigendecomposed in %.1f s on %d processes\n", M,
                    MPI_Wtime() - t0, size);
        pkrr_mat_free(&K);
    }
    pkrr_grid_free(&W);
    double *v2 = MUST(sim_calloc((size_t)M, sizeof *v2));  // summed over outputs
    for (int i = 0; i < M; i++)
        for (int c = 0; c < r; c++) v2[i] += v[(size_t)i * r + c] * v[(size_t)i * r + c];

    // 2. trials on process groups; the rest of the training split (after the pool) is drawn from
    MPI_Comm gc;
    MPI_Comm_split(MPI_COMM_WORLD, rank_world % P.groups, rank_world, &gc);
    pkrr_grid G;
    if (pkrr_grid_init(gc, P.gridr, P.gridc, P.nb, budget, &G)) usage_error("%s", sim_last_error());
    int nres = P.nn * P.trials;
    double *mse = MUST(sim_calloc((size_t)nres, sizeof *mse)), *secs = MUST(sim_calloc((size_t)nres, sizeof *secs));
    size_t rest = (size_t)TR.n - M, *idx = MUST(sim_alloc((size_t)60000, sizeof *idx));
    for (int t = 0; t < P.trials; t++) {
        if (t % P.groups != rank_world % P.groups) continue;
        gsl_rng *rt = MUST(rng_alloc(P.seed, STREAM_TRIAL0 + (uint64_t)t));
        for (int i = 0; i < P.nn; i++) {
            if (rng_subset(rt, rest, (size_t)P.nlist[i], idx)) fail_all("drawing the training set");
            for (int j = 0; j < P.nlist[i]; j++) idx[j] = perm[M + idx[j]];
            dataset tr;
            take(&TR, idx, P.nlist[i], &tr);
            double t0 = MPI_Wtime();
            double e = krr_trial(&G, &k, &tr, &TE);
            if (G.rank == 0) mse[i * P.trials + t] = e, secs[i * P.trials + t] = MPI_Wtime() - t0;
            drop(&tr);
        }
        rng_free(rt);
    }
    MPI_Allreduce(MPI_IN_PLACE, mse, nres, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, secs, nres, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);

    // 3. rank 0 writes the tables, theory beside experiment
    if (rank_world == 0) {
        mkdir(P.out, 0777);
        char path[4096];
        snprintf(path, sizeof path, "%s/learning.tsv", P.out);
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "krr-mnist-mpi: cannot write %s\n", path);
            MPI_Abort(MPI_COMM_WORLD, EXIT_RUNTIME);
        }
        fprintf(f,
                "# krr-mnist-mpi task=%s kernel=%s depth=%d wstd=%g bstd=%g ridge=%g pool=%d ntest=%d seed=%lu "
                "processes=%d groups=%d grid=%dx%d nb=%d\n",
                P.task, P.kernel, P.depth, P.wstd, P.bstd, P.ridge, M, P.ntest, P.seed, size, P.groups, G.nprow,
                G.npcol, P.nb);
        fprintf(f,
                "# test_mse: summed over outputs, mean over test images; theory: eigenframework E_te from the "
                "pool spectrum (lambda = w/M, v^2 summed over outputs) at the same n and ridge\n");
        fprintf(f, "task\tn\ttrial\ttest_mse\ttheory\tratio\tseconds\n");
        ef_spectrum s = {.M = (size_t)M, .lam = lam};
        for (int i = 0; i < P.nn; i++) {
            ef_fit fit;
            ef_pred q;
            double th = NAN;
            if (!ef_solve(&s, P.nlist[i], P.ridge, &fit) && !ef_predict(&s, &fit, v2, 0, 0, &q)) th = q.te;
            for (int t = 0; t < P.trials; t++)
                fprintf(f, "%s\t%d\t%d\t%.10g\t%.10g\t%.6f\t%.3f\n", P.task, P.nlist[i], t, mse[i * P.trials + t], th,
                        mse[i * P.trials + t] / th, secs[i * P.trials + t]);
        }
        fclose(f);
        snprintf(path, sizeof path, "%s/pool_spectrum.tsv", P.out);
        f = fopen(path, "w");
        if (f) {
            fprintf(f,
                    "# pool of %d images: lambda_i = w_i/M descending, v2 = sum over outputs of v_i^2\ni\tlambda\tv2\n",
                    M);
            for (int i = 0; i < M; i++) fprintf(f, "%d\t%.10g\t%.10g\n", i + 1, lam[i], v2[i]);
            fclose(f);
        }
        fprintf(stderr, "krr-mnist-mpi: wrote %s/learning.tsv and pool_spectrum.tsv\n", P.out);
    }
    pkrr_grid_free(&G);
    MPI_Comm_free(&gc);
    drop(&TR), drop(&TE), drop(&pool);
    free(perm), free(lam), free(v), free(v2), free(mse), free(secs), free(idx);
    MPI_Finalize();
    return 0;
}
