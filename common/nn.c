// nn: dense MLP forward/backward through cblas_dgemm (see nn.h and conventions.md, Networks and
// activations).
#include "nn.h"
#include "loss.h"
#include "status.h"
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void helper_stop(struct nn_helper *h);

nn *nn_alloc(int L, const int *n, nn_act act, int bias, int max_batch) {
    if (L < 1) {
        sim_fail(-1, "nn_alloc: L = %d weight matrices; need L >= 1", L);
        return NULL;
    }
    if (max_batch < 1) {
        sim_fail(-1, "nn_alloc: max_batch = %d; need >= 1", max_batch);
        return NULL;
    }
    if ((int)act < NN_IDENTITY || act > NN_SQUARE) {
        sim_fail(-1, "nn_alloc: unknown activation %d", (int)act);
        return NULL;
    }
    for (int l = 0; l <= L; l++)
        if (n[l] < 1) {
            sim_fail(-1, "nn_alloc: width n[%d] = %d; need >= 1", l, n[l]);
            return NULL;
        }
    nn *net = sim_calloc(1, sizeof(nn));
    if (!net) return NULL;
    net->L = L;
    net->act = act;
    net->bias = bias ? 1 : 0;
    net->max_batch = max_batch;
    net->n = sim_calloc(L + 1, sizeof(int));
    net->c = sim_calloc(L + 1, sizeof(double));
    net->off = sim_calloc(L + 1, sizeof(size_t));
    net->len = sim_calloc(L + 1, sizeof(size_t));
    net->Z = sim_calloc(L + 1, sizeof(double *));
    net->H = sim_calloc(L + 1, sizeof(double *));
    if (!net->n || !net->c || !net->off || !net->len || !net->Z || !net->H) goto oom;
    memcpy(net->n, n, (size_t)(L + 1) * sizeof *n);
    int nmax = 0;
    size_t np = 0;
    for (int l = 0; l <= L; l++) nmax = n[l] > nmax ? n[l] : nmax;
    for (int l = 1; l <= L; l++) {
        net->c[l] = 1.0;
        net->off[l] = np;
        net->len[l] = (size_t)n[l] * n[l - 1] + (bias ? (size_t)n[l] : 0);
        np += net->len[l];
    }
    net->nparams = np;
    net->theta = sim_calloc(np, sizeof(double));
    net->grad = sim_calloc(np, sizeof(double));
    net->W = sim_calloc(L + 1, sizeof(double *));
    net->b = sim_calloc(L + 1, sizeof(double *));
    net->dW = sim_calloc(L + 1, sizeof(double *));
    net->db = sim_calloc(L + 1, sizeof(double *));
    if (!net->theta || !net->grad || !net->W || !net->b || !net->dW || !net->db) goto oom;
    for (int l = 1; l <= L; l++) {
        net->W[l] = net->theta + net->off[l];
        net->dW[l] = net->grad + net->off[l];
        if (bias) {
            net->b[l] = net->W[l] + (size_t)n[l] * n[l - 1];
            net->db[l] = net->dW[l] + (size_t)n[l] * n[l - 1];
        }
        net->Z[l] = sim_calloc((size_t)max_batch * n[l], sizeof(double));
        net->H[l] = l < L ? sim_calloc((size_t)max_batch * n[l], sizeof(double)) : net->Z[l];
        if (!net->Z[l] || !net->H[l]) goto oom;
    }
    net->dout = sim_calloc((size_t)max_batch * n[L], sizeof(double));
    net->D = sim_calloc((size_t)max_batch * nmax, sizeof(double));
    net->G = sim_calloc((size_t)max_batch * nmax, sizeof(double));
    if (!net->dout || !net->D || !net->G) goto oom;
    return net;
oom:
    nn_free(net);
    return NULL;
}

void nn_free(nn *net) {
    if (!net) return;
    for (int l = 1; net->Z && l <= net->L; l++) {
        free(net->Z[l]);
        if (l < net->L && net->H) free(net->H[l]);
    }
    free(net->Z), free(net->H), free(net->W), free(net->b), free(net->dW), free(net->db);
    free(net->theta), free(net->grad), free(net->dout), free(net->D), free(net->G);
    free(net->n), free(net->c), free(net->off), free(net->len);
    helper_stop(net->helper);
    free(net);
}

// ---- activations ----
int nn_act_parse(const char *name) {
    if (!strcmp(name, "identity") || !strcmp(name, "linear")) return NN_IDENTITY;
    if (!strcmp(name, "relu")) return NN_RELU;
    if (!strcmp(name, "tanh")) return NN_TANH;
    if (!strcmp(name, "square")) return NN_SQUARE;
    return -1;
}

const char *nn_act_name(nn_act act) {
    static const char *names[] = {"identity", "relu", "tanh", "square"};
    return (int)act >= 0 && act <= NN_SQUARE ? names[act] : "unknown";
}

void nn_act_apply(nn_act act, size_t n, const double *z, double *h) {
    switch (act) {
    case NN_IDENTITY:
        if (h != z) memcpy(h, z, n * sizeof *h);
        break;
    case NN_RELU:
        // A select, not a branch: the signs of Z are coin flips, and a branch per element
        // mispredicted half the time (a quarter of an MNIST training step went here).
#pragma omp simd
        for (size_t i = 0; i < n; i++) h[i] = z[i] > 0 ? z[i] : 0.0;
        break;
    case NN_TANH:
        for (size_t i = 0; i < n; i++) h[i] = tanh(z[i]);
        break;
    case NN_SQUARE:
#pragma omp simd
        for (size_t i = 0; i < n; i++) h[i] = z[i] * z[i];
        break;
    }
}

// relu'(0) = 0: the subgradient convention [z > 0].
void nn_act_deriv(nn_act act, size_t n, const double *z, double *d) {
    switch (act) {
    case NN_IDENTITY:
        for (size_t i = 0; i < n; i++) d[i] = 1.0;
        break;
    case NN_RELU:
#pragma omp simd
        for (size_t i = 0; i < n; i++) d[i] = z[i] > 0 ? 1.0 : 0.0;
        break;
    case NN_TANH:
        for (size_t i = 0; i < n; i++) {
            double t = tanh(z[i]);
            d[i] = 1.0 - t * t;
        }
        break;
    case NN_SQUARE:
        for (size_t i = 0; i < n; i++) d[i] = 2.0 * z[i];
        break;
    }
}

int nn_set_mult(nn *net, int l, double c) {
    if (l < 1 || l > net->L) return -1;
    net->c[l] = c;
    return 0;
}

// ---- one GEMM ----
// OpenBLAS's threads cost more than they save on the small products of a narrow network.
// Measured with OpenBLAS 0.3.21 on our 2-core machine (best of 5), one thread against two:
// a 500 x 64 x 64 product (m x n x k, 2.0e6 multiply-adds) takes 100 us against 230 us;
// 500 x 128 x 128 (8.2e6) 390 us against 490 us; 500 x 256 x 128 (1.6e7) breaks even;
// the MNIST net's first layer, 500 x 784 x 64 (2.5e7), gains 1.5-2.6x.  So a product below
// GEMM_THREADS_MIN multiply-adds runs on one thread and the rest on the caller's setting.
// A product on one thread gives the bits it gives in a 1-thread run; one on OpenBLAS's threads
// may differ from them in the last bits, as any threaded GEMM here does (OpenBLAS blocks a
// threaded product differently; tests/test_nn.c, threads_same_bits).
#define GEMM_THREADS_MIN 1.6e7

// The program's BLAS thread count and how to change it (nn_set_threads); 1 and NULL until a
// program says otherwise, and then nn never touches BLAS's threads.
static int blas_threads = 1;
static void (*set_blas_threads)(int);

void nn_set_threads(int threads, void (*set_threads)(int)) {
    blas_threads = threads > 1 && set_threads ? threads : 1;
    set_blas_threads = set_threads;
}

typedef struct {  // the arguments of cblas_dgemm (row-major), in its order
    enum CBLAS_TRANSPOSE ta, tb;
    int m, n, k;
    double alpha;
    const double *A;
    int lda;
    const double *B;
    int ldb;
    double beta;
    double *C;
    int ldc;
} gemm_call;

static gemm_call gemm_args(enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
                           const double *A, int lda, const double *B, int ldb, double beta, double *C, int ldc) {
    return (gemm_call){ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc};
}

static void gemm_run(const gemm_call *g) {
    cblas_dgemm(CblasRowMajor, g->ta, g->tb, g->m, g->n, g->k, g->alpha, g->A, g->lda, g->B, g->ldb, g->beta, g->C,
                g->ldc);
}

static int gemm_small(const gemm_call *g) { return (double)g->m * g->n * g->k < GEMM_THREADS_MIN; }

// The smallest product worth handing to the helper thread: waking it and waiting for it costs
// tens of microseconds, about what 1e6 multiply-adds take.  deep-relu-first-step's teacher net
// (N = 128, width 32: 1.3e5 per product) ran 4x slower at 2 threads when every pair went to the
// helper (0.4 ms a step against 0.1 ms at 1 thread); the MNIST net's 500 x 64 x 64 (2e6) gains.
#define GEMM_PAIR_MIN 1e6

static int gemm_pairable(const gemm_call *g) {
    double mnk = (double)g->m * g->n * g->k;
    return mnk >= GEMM_PAIR_MIN && mnk < GEMM_THREADS_MIN;
}

static void gemm(const gemm_call *g) {
    const int one = blas_threads > 1 && gemm_small(g);
    if (one) set_blas_threads(1);
    gemm_run(g);
    if (one) set_blas_threads(blas_threads);
}

// ---- a second thread for the backward pass ----
// dL/dW_l and dL/dH_{l-1} are independent products of D_l.  When the program runs BLAS on two
// or more threads (nn_set_threads) and both products are pairable (above), they run side by
// side, each on one BLAS thread: dW on a helper thread the network owns, dH on the caller.  Each
// product is the same call as in sequence, so the numbers do not change.  The helper starts on
// first use and sleeps on a condition variable between products; nn_free stops it.
struct nn_helper {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int posted, done, quit;  // guarded by mu
    gemm_call call;
};

static void *helper_main(void *arg) {
    struct nn_helper *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->posted && !h->quit) pthread_cond_wait(&h->cv, &h->mu);
        if (h->quit) break;
        h->posted = 0;
        pthread_mutex_unlock(&h->mu);
        gemm_run(&h->call);
        pthread_mutex_lock(&h->mu);
        h->done = 1;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

// The helper of net, started on first use; NULL when no thread could be started (the caller
// then runs both products itself).
static struct nn_helper *helper_get(nn *net) {
    if (net->helper) return net->helper;
    struct nn_helper *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    if (pthread_create(&h->thread, NULL, helper_main, h)) {
        pthread_mutex_destroy(&h->mu), pthread_cond_destroy(&h->cv), free(h);
        return NULL;
    }
    return net->helper = h;
}

static void helper_stop(struct nn_helper *h) {
    if (!h) return;
    pthread_mutex_lock(&h->mu);
    h->quit = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    pthread_mutex_destroy(&h->mu), pthread_cond_destroy(&h->cv), free(h);
}

// Runs a on the helper and b on the caller when both are pairable and BLAS has >= 2 threads;
// otherwise a then b.  b may be NULL.  Returns with both done.
static void gemm_pair(nn *net, const gemm_call *a, const gemm_call *b) {
    struct nn_helper *h;
    if (!b || blas_threads < 2 || !gemm_pairable(a) || !gemm_pairable(b) || !(h = helper_get(net))) {
        gemm(a);
        if (b) gemm(b);
        return;
    }
    set_blas_threads(1);
    pthread_mutex_lock(&h->mu);
    h->call = *a;
    h->done = 0;
    h->posted = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    gemm_run(b);
    pthread_mutex_lock(&h->mu);
    while (!h->done) pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
    set_blas_threads(blas_threads);
}

// ---- forward ----
const double *nn_forward(nn *net, int N, const double *X) {
    if (N < 1 || N > net->max_batch)
        return sim_fail(-1,
                        "nn_forward: batch N = %d outside [1, %d]; allocate with a larger max_batch or use nn_predict",
                        N, net->max_batch),
               NULL;
    const int L = net->L, *n = net->n;
    net->N = N;
    net->H[0] = (double *)X;  // read-only reference to the caller's input
    for (int l = 1; l <= L; l++) {
        double *Z = net->Z[l];  // Z is (N, n_l)
        // Z_l = c_l H_{l-1} W_l^T: (N, n_{l-1}) x (n_{l-1}, n_l)
        gemm_call fw = gemm_args(CblasNoTrans, CblasTrans, N, n[l], n[l - 1], net->c[l], net->H[l - 1], n[l - 1],
                                 net->W[l], n[l - 1], 0.0, Z, n[l]);
        gemm(&fw);
        if (net->bias)
            for (int i = 0; i < N; i++)
                for (int j = 0; j < n[l]; j++) Z[(size_t)i * n[l] + j] += net->b[l][j];
        if (l < L) nn_act_apply(net->act, (size_t)N * n[l], Z, net->H[l]);
    }
    return net->Z[L];
}

void nn_predict(nn *net, int N, const double *X, double *out) {
    const int n0 = net->n[0], nL = net->n[net->L];
    for (int s = 0; s < N; s += net->max_batch) {
        int m = N - s < net->max_batch ? N - s : net->max_batch;
        const double *F = nn_forward(net, m, X + (size_t)s * n0);
        memcpy(out + (size_t)s * nL, F, (size_t)m * nL * sizeof *out);
    }
}

// ---- backward ----
int nn_backward(nn *net, const double *DL, double *dX, int accumulate) {
    const int L = net->L, N = net->N, *n = net->n;
    const double beta = accumulate ? 1.0 : 0.0;
    // D holds D_l (N, n_l); G receives c_l D_l W_l (N, n_{l-1}); then they swap roles.
    double *D = net->D, *G = net->G;
    memcpy(D, DL, (size_t)N * n[L] * sizeof *D);
    for (int l = L; l >= 1; l--) {
        // dL/dW_l = c_l D_l^T H_{l-1}: (n_l, N) x (N, n_{l-1})
        gemm_call dW = gemm_args(CblasTrans, CblasNoTrans, n[l], n[l - 1], N, net->c[l], D, n[l], net->H[l - 1],
                                 n[l - 1], beta, net->dW[l], n[l - 1]);
        // dL/dH_{l-1} = c_l D_l W_l: (N, n_l) x (n_l, n_{l-1}), needed at l = 1 only for dX
        gemm_call dH = gemm_args(CblasNoTrans, CblasNoTrans, N, n[l - 1], n[l], net->c[l], D, n[l], net->W[l], n[l - 1],
                                 0.0, l == 1 ? dX : G, n[l - 1]);
        gemm_pair(net, &dW, l > 1 || dX ? &dH : NULL);
        if (net->bias) {
            double *db = net->db[l];
            if (!accumulate) memset(db, 0, (size_t)n[l] * sizeof *db);
            for (int i = 0; i < N; i++)
                for (int j = 0; j < n[l]; j++) db[j] += D[(size_t)i * n[l] + j];
        }
        if (l == 1) break;
        // D_{l-1} = dL/dH_{l-1} .* sigma'(Z_{l-1}), computed in place in G, then swap.
        const double *Zp = net->Z[l - 1];
        size_t m = (size_t)N * n[l - 1];
        switch (net->act) {
        case NN_IDENTITY: break;
        case NN_RELU:
#pragma omp simd
            for (size_t k = 0; k < m; k++) G[k] = Zp[k] > 0 ? G[k] : 0.0;
            break;
        case NN_TANH: {
            // sigma' = 1 - tanh^2 from the cached H_{l-1} = tanh(Z_{l-1}) of the forward pass:
            // the same numbers as recomputing tanh, at half the cost of a tanh step.
            const double *Hp = net->H[l - 1];
#pragma omp simd
            for (size_t k = 0; k < m; k++) G[k] *= 1.0 - Hp[k] * Hp[k];
            break;
        }
        case NN_SQUARE:
#pragma omp simd
            for (size_t k = 0; k < m; k++) G[k] *= 2.0 * Zp[k];
            break;
        }
        double *tmp = D;
        D = G;
        G = tmp;
    }
    return 0;
}

double nn_neural_corr(nn *net, int N, const double *X, const double *Y, int want_grad) {
    const double *F = nn_forward(net, N, X);
    size_t m = (size_t)N * net->n[net->L];
    double s = 0;
    for (size_t k = 0; k < m; k++) s += Y[k] * F[k];
    if (want_grad) {
        for (size_t k = 0; k < m; k++) net->dout[k] = Y[k] / N;
        nn_backward(net, net->dout, NULL, 0);
    }
    return s / N;
}

// ---- norms ----
double nn_norm2(const nn *net) {
    double s = 0;
    for (size_t i = 0; i < net->nparams; i++) s += net->theta[i] * net->theta[i];
    return s;
}

double nn_layer_norm2(const nn *net, int l) {
    if (l < 1 || l > net->L) return sim_fail(-1, "nn_layer_norm2: layer %d outside [1, %d]", l, net->L), NAN;
    const double *w = net->theta + net->off[l];
    double s = 0;
    for (size_t i = 0; i < net->len[l]; i++) s += w[i] * w[i];
    return s;
}

int nn_neuron_norms(const nn *net, int l, double *in2, double *out2) {
    if (l < 1 || l >= net->L) {
        sim_fail(-1, "nn_neuron_norms: layer %d is not hidden (need 1 <= l < L = %d)", l, net->L);
        return -1;
    }
    const int *n = net->n;
    for (int i = 0; i < n[l]; i++) {
        const double *row = net->W[l] + (size_t)i * n[l - 1];
        double s = 0;
        for (int j = 0; j < n[l - 1]; j++) s += row[j] * row[j];
        if (net->bias) s += net->b[l][i] * net->b[l][i];
        in2[i] = s;
        s = 0;
        for (int k = 0; k < n[l + 1]; k++) {
            double w = net->W[l + 1][(size_t)k * n[l] + i];
            s += w * w;
        }
        out2[i] = s;
    }
    return 0;
}

double nn_weight_decay(nn *net, double lam) {
    double pen = 0;  // the penalty of each layer is loss_weight_decay's, the one implementation
    for (int l = 1; l <= net->L; l++)
        pen += loss_weight_decay((size_t)net->n[l] * net->n[l - 1], net->W[l], lam, net->dW[l]);
    return pen;
}
