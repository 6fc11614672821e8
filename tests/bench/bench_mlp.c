// bench_mlp: one full-batch training step (forward + backward + update) of a bias-free ReLU
// MLP through common/nn, float64, as in deep-relu-first-step.  For scripts/bench.
//
//   bench_mlp N DIN WIDTH DOUT L STEPS    prints "seconds <time per step>"
//
// The loss is (1/2N)|F - Y|^2; weights ~ N(0, 2/fan_in); the same step as the experiment's.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "blasinfo.h"
#include "kernel.h"
#include "init.h"
#include "nn.h"
#include "rng.h"
#include "util.h"

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: bench_mlp N DIN WIDTH DOUT L STEPS\n");
        return 2;
    }
    int N = atoi(argv[1]), din = atoi(argv[2]), w = atoi(argv[3]), dout = atoi(argv[4]), L = atoi(argv[5]);
    long steps = atol(argv[6]);
    blas_set_threads(getenv("BENCH_THREADS") ? atoi(getenv("BENCH_THREADS")) : 1),
        kernel_set_threads(blas_get_threads()), nn_set_threads(blas_get_threads(), blas_set_threads);
    int *n = XNEW(int, L + 1);
    n[0] = din;
    for (int l = 1; l < L; l++) n[l] = w;
    n[L] = dout;
    nn *net = nn_alloc(L, n, NN_RELU, 0, N);
    gsl_rng *r = rng_alloc(1, 0);
    for (size_t i = 0; i < net->nparams; i++) net->theta[i] = 0;
    for (int l = 1; l <= L; l++)
        for (int i = 0; i < n[l] * n[l - 1]; i++) net->W[l][i] = rng_normal(r) * sqrt(2.0 / n[l - 1]);
    double *X = xmalloc((size_t)N * din, 8), *Y = xmalloc((size_t)N * dout, 8);
    rng_normal_vec(r, (size_t)N * din, X);
    rng_normal_vec(r, (size_t)N * dout, Y);
    const double eta = 1e-3;
    double t = 0;
    for (long s = -10; s < steps; s++) {  // 10 warm-up steps
        if (s == 0) t = util_now();
        const double *F = nn_forward(net, N, X);
        for (int k = 0; k < N * dout; k++) net->dout[k] = (F[k] - Y[k]) / N;
        nn_backward(net, net->dout, NULL, 0);
        for (size_t i = 0; i < net->nparams; i++) net->theta[i] -= eta * net->grad[i];
    }
    t = util_now() - t;
    printf("seconds %.9f\n", t / steps);
    nn_free(net);
    return 0;
}
