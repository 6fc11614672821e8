// nn: dense MLP forward/backward through cblas_dgemm (see nn.h and conventions.md, Networks and
// activations).
#include "nn.h"
#include "loss.h"
#include "status.h"
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        for (size_t i = 0; i < n; i++) h[i] = z[i] > 0 ? z[i] : 0.0;
        break;
    case NN_TANH:
        for (size_t i = 0; i < n; i++) h[i] = tanh(z[i]);
        break;
    case NN_SQUARE:
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
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, n[l], n[l - 1], net->c[l], net->H[l - 1], n[l - 1],
                    net->W[l], n[l - 1], 0.0, Z, n[l]);
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
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n[l], n[l - 1], N, net->c[l], D, n[l], net->H[l - 1],
                    n[l - 1], beta, net->dW[l], n[l - 1]);
        if (net->bias) {
            double *db = net->db[l];
            if (!accumulate) memset(db, 0, (size_t)n[l] * sizeof *db);
            for (int i = 0; i < N; i++)
                for (int j = 0; j < n[l]; j++) db[j] += D[(size_t)i * n[l] + j];
        }
        if (l == 1 && !dX) break;
        // dL/dH_{l-1} = c_l D_l W_l: (N, n_l) x (n_l, n_{l-1})
        double *dH = l == 1 ? dX : G;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, n[l - 1], n[l], net->c[l], D, n[l], net->W[l],
                    n[l - 1], 0.0, dH, n[l - 1]);
        if (l == 1) break;
        // D_{l-1} = dL/dH_{l-1} .* sigma'(Z_{l-1}), computed in place in G, then swap.
        const double *Zp = net->Z[l - 1];
        size_t m = (size_t)N * n[l - 1];
        switch (net->act) {
        case NN_IDENTITY: break;
        case NN_RELU:
            for (size_t k = 0; k < m; k++)
                if (!(Zp[k] > 0)) G[k] = 0.0;
            break;
        case NN_TANH: {
            // sigma' = 1 - tanh^2 from the cached H_{l-1} = tanh(Z_{l-1}) of the forward pass:
            // the same numbers as recomputing tanh, at half the cost of a tanh step.
            const double *Hp = net->H[l - 1];
            for (size_t k = 0; k < m; k++) G[k] *= 1.0 - Hp[k] * Hp[k];
            break;
        }
        case NN_SQUARE:
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
