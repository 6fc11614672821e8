// loss: see loss.h.  Every formula is in conventions.md, Losses; the finite-difference checks are
// in tests/test_training.c.
#include "loss.h"
#include "status.h"
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "linalg.h"

// ---- mean squared error ----
double loss_mse(int N, int k, const double *F, const double *Y, double c, double *dF) {
    if (N < 1 || k < 1) return sim_fail(-1, "loss_mse: sizes N = %d, k = %d must be >= 1", N, k), NAN;
    if (!(c > 0)) return sim_fail(-1, "loss_mse: normalisation c = %g must be > 0 (1/(2N) or 1/(N k))", c), NAN;
    double L = 0;
    size_t n = (size_t)N * k;
    for (size_t i = 0; i < n; i++) {
        double r = F[i] - Y[i];
        L += r * r;
        if (dF) dF[i] = 2 * c * r;
    }
    return c * L;
}

// ---- Barlow Twins ----
loss_bt_ws *loss_bt_alloc(int n, int d) {
    if (n < 2 || d < 1) return sim_fail(-1, "loss_bt_alloc: n = %d must be >= 2 and d = %d >= 1", n, d), NULL;
    loss_bt_ws *w = sim_calloc(1, sizeof *w);
    if (!w) return NULL;
    w->n = n, w->d = d;
    w->C = sim_calloc((size_t)d * d, sizeof(double));
    w->G = sim_calloc((size_t)d * d, sizeof(double));
    w->Zta = sim_calloc((size_t)n * d, sizeof(double));
    w->Ztb = sim_calloc((size_t)n * d, sizeof(double));
    w->ga = sim_calloc((size_t)n * d, sizeof(double));
    w->gb = sim_calloc((size_t)n * d, sizeof(double));
    w->sa = sim_calloc(d, sizeof(double));
    w->sb = sim_calloc(d, sizeof(double));
    if (!w->C || !w->G || !w->Zta || !w->Ztb || !w->ga || !w->gb || !w->sa || !w->sb) {
        loss_bt_free(w);
        return NULL;
    }
    return w;
}

void loss_bt_free(loss_bt_ws *w) {
    if (!w) return;
    free(w->C), free(w->G), free(w->Zta), free(w->Ztb), free(w->ga), free(w->gb);
    free(w->sa), free(w->sb), free(w);
}

// L = sum w_ij (C_ij - delta_ij)^2 and G = 2 w .* (C - I), for a symmetric C (d, d).
static double bt_weighted(int d, const double *C, double lambda_off, double *G) {
    double L = 0;
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) {
            double wij = i == j ? 1.0 : lambda_off;
            double e = C[i * d + j] - (i == j);
            L += wij * e * e;
            G[i * d + j] = 2 * wij * e;
        }
    return L;
}

double loss_bt_theory(loss_bt_ws *w, const double *Za, const double *Zb, double lambda_off, double *dZa, double *dZb) {
    if (!w) return sim_fail(-1, "loss_bt_theory: NULL workspace (call loss_bt_alloc(n, d))"), NAN;
    if (!(lambda_off >= 0)) return sim_fail(-1, "loss_bt_theory: lambda_off = %g must be >= 0", lambda_off), NAN;
    int n = w->n, d = w->d;
    // C = (Za^T Zb + Zb^T Za)/(2n): one dgemm, then symmetrise (C + C^T)/2 exactly.
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, Za, d, Zb, d, 0.0, w->C, d);
    for (int i = 0; i < d; i++)
        for (int j = i; j < d; j++) {
            double s = 0.5 * (w->C[i * d + j] + w->C[j * d + i]);
            w->C[i * d + j] = w->C[j * d + i] = s;
        }
    double L = bt_weighted(d, w->C, lambda_off, w->G);
    // dL/dZa = Zb G / n, dL/dZb = Za G / n  (G symmetric; from dC/dZa = Zb/(2n), twice).
    if (dZa) cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, d, 1.0 / n, Zb, d, w->G, d, 0.0, dZa, d);
    if (dZb) cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, d, 1.0 / n, Za, d, w->G, d, 0.0, dZb, d);
    return L;
}

double loss_bt_linear(int d, int m, const double *W, const double *Gamma, double lambda_off, double *C, double *WG,
                      double *dW) {
    if (d < 1 || m < 1) return sim_fail(-1, "loss_bt_linear: sizes d = %d, m = %d must be >= 1", d, m), NAN;
    if (!(lambda_off >= 0)) return sim_fail(-1, "loss_bt_linear: lambda_off = %g must be >= 0", lambda_off), NAN;
    if (!C || !WG) return sim_fail(-1, "loss_bt_linear: C (d,d) and WG (d,m) workspaces are required"), NAN;
    // WG = W Gamma (d, m), Gamma symmetric: dsymm from the right.
    cblas_dsymm(CblasRowMajor, CblasRight, CblasUpper, d, m, 1.0, Gamma, m, W, m, 0.0, WG, m);
    // C = W Gamma W^T = WG W^T (d, d), then exact symmetrisation.
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, d, d, m, 1.0, WG, m, W, m, 0.0, C, d);
    for (int i = 0; i < d; i++)
        for (int j = i + 1; j < d; j++) {
            double s = 0.5 * (C[i * d + j] + C[j * d + i]);
            C[i * d + j] = C[j * d + i] = s;
        }
    // G = 2 w .* (C - I) is needed only for the gradient; keep it on the stack for small d.
    double Gs[256], *G = d * d <= 256 ? Gs : sim_alloc((size_t)d * d, sizeof(double));
    if (!G) return NAN;
    double L = bt_weighted(d, C, lambda_off, G);
    // dW = 2 G W Gamma = 2 G WG.  (dL/dZa = Zb G/n, dZa/dW pulls back to Xa; summing both
    // views gives G (W (Xb^T Xa + Xa^T Xb)/n) = 2 G W Gamma.)
    if (dW) cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, d, m, d, 2.0, G, d, WG, m, 0.0, dW, m);
    if (G != Gs) free(G);
    return L;
}

// Standardise each column of Z (n, d): Zt = (Z - mean)/s, s = sqrt(var_biased + eps).
static void bt_standardise(int n, int d, const double *Z, double *Zt, double *s) {
    for (int j = 0; j < d; j++) {
        double mu = 0, v = 0;
        for (int i = 0; i < n; i++) mu += Z[i * d + j];
        mu /= n;
        for (int i = 0; i < n; i++) {
            double e = Z[i * d + j] - mu;
            v += e * e;
        }
        s[j] = sqrt(v / n + LOSS_BT_EPS);
        for (int i = 0; i < n; i++) Zt[i * d + j] = (Z[i * d + j] - mu) / s[j];
    }
}

// Backward through the standardisation, per column: dz = (g - mean g - zt mean(g zt)) / s.
static void bt_unstandardise(int n, int d, const double *g, const double *Zt, const double *s, double *dZ) {
    for (int j = 0; j < d; j++) {
        double mg = 0, mgz = 0;
        for (int i = 0; i < n; i++) {
            mg += g[i * d + j];
            mgz += g[i * d + j] * Zt[i * d + j];
        }
        mg /= n, mgz /= n;
        for (int i = 0; i < n; i++) dZ[i * d + j] = (g[i * d + j] - mg - Zt[i * d + j] * mgz) / s[j];
    }
}

double loss_bt_original(loss_bt_ws *w, const double *Za, const double *Zb, double lambda, double *dZa, double *dZb) {
    if (!w) return sim_fail(-1, "loss_bt_original: NULL workspace (call loss_bt_alloc(n, d))"), NAN;
    if (!(lambda >= 0)) return sim_fail(-1, "loss_bt_original: lambda = %g must be >= 0", lambda), NAN;
    int n = w->n, d = w->d;
    bt_standardise(n, d, Za, w->Zta, w->sa);
    bt_standardise(n, d, Zb, w->Ztb, w->sb);
    // C = Zta^T Ztb / n (d, d), not symmetrised.
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, w->Zta, d, w->Ztb, d, 0.0, w->C, d);
    // D = dL/dC: -2 (1 - C_ii) on the diagonal, 2 lambda C_ij off it.  Stored in G.
    double L = 0;
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) {
            double c = w->C[i * d + j];
            if (i == j) {
                L += (1 - c) * (1 - c);
                w->G[i * d + j] = -2 * (1 - c);
            } else {
                L += lambda * c * c;
                w->G[i * d + j] = 2 * lambda * c;
            }
        }
    if (!dZa && !dZb) return L;
    // dL/dZta = Ztb D^T / n, dL/dZtb = Zta D / n, then through the standardisation.
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, d, d, 1.0 / n, w->Ztb, d, w->G, d, 0.0, w->ga, d);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, d, 1.0 / n, w->Zta, d, w->G, d, 0.0, w->gb, d);
    if (dZa) bt_unstandardise(n, d, w->ga, w->Zta, w->sa, dZa);
    if (dZb) bt_unstandardise(n, d, w->gb, w->Ztb, w->sb, dZb);
    return L;
}

// ---- weight decay ----
double loss_weight_decay(size_t n, const double *W, double lambda, double *dW) {
    if (!(lambda >= 0)) return sim_fail(-1, "loss_weight_decay: lambda = %g must be >= 0", lambda), NAN;
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        s += W[i] * W[i];
        if (dW) dW[i] += lambda * W[i];
    }
    return 0.5 * lambda * s;
}

// ---- symmetric factorisation ----
loss_symfact_ws *loss_symfact_alloc(int V, int d) {
    if (V < 1 || d < 1) return sim_fail(-1, "loss_symfact_alloc: V = %d and d = %d must be >= 1", V, d), NULL;
    loss_symfact_ws *w = sim_calloc(1, sizeof *w);
    if (!w) return NULL;
    w->V = V, w->d = d;
    w->WtW = sim_calloc((size_t)d * d, sizeof(double));
    w->MW = sim_calloc((size_t)V * d, sizeof(double));
    if (!w->WtW || !w->MW) {
        loss_symfact_free(w);
        return NULL;
    }
    return w;
}

void loss_symfact_free(loss_symfact_ws *w) {
    if (!w) return;
    free(w->WtW), free(w->MW), free(w);
}

double loss_symfact(loss_symfact_ws *w, const double *M, double normM2, const double *W, double *dW) {
    if (!w) return sim_fail(-1, "loss_symfact: NULL workspace (call loss_symfact_alloc(V, d))"), NAN;
    int V = w->V, d = w->d;
    size_t VV = (size_t)V * V, Vd = (size_t)V * d;
    if (normM2 < 0) normM2 = la_frob2(VV, M);
    // W^T W (d, d) by dsyrk (upper), mirrored; M W (V, d) by dsymm.
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, d, V, 1.0, W, d, 0.0, w->WtW, d);
    for (int i = 0; i < d; i++)
        for (int j = 0; j < i; j++) w->WtW[i * d + j] = w->WtW[j * d + i];
    cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, V, d, 1.0, M, V, W, d, 0.0, w->MW, d);
    // ||W W^T||_F^2 = ||W^T W||_F^2 and <W W^T, M> = <W, M W>.
    double a = la_frob2((size_t)d * d, w->WtW), b = 0;
    for (size_t i = 0; i < Vd; i++) b += W[i] * w->MW[i];
    double L = 0.25 * (a - 2 * b + normM2);
    // dW = W (W^T W) - M W.
    if (dW) {
        memcpy(dW, w->MW, Vd * sizeof *dW);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, V, d, d, 1.0, W, d, w->WtW, d, -1.0, dW, d);
    }
    return L;
}

// ---- per-pair terms ----
double loss_sgns_pair(double s, double label, double *dl_ds) {
    double x = label * s;
    // log(1 + e^{-x}) = log1p(e^{-|x|}) + max(-x, 0): no overflow for any x.
    double l = log1p(exp(-fabs(x))) + (x < 0 ? -x : 0);
    if (dl_ds) {
        // sigmoid(-x) = 1/(1 + e^{x}), evaluated on the side that does not overflow.
        double sg = x >= 0 ? exp(-x) / (1 + exp(-x)) : 1 / (1 + exp(x));
        *dl_ds = -label * sg;
    }
    return l;
}

double loss_qwem_pair(double s, double label, double *dl_ds) {
    if (dl_ds) *dl_ds = -label + 0.5 * s;
    return -label * s + 0.25 * s * s;
}

void loss_pair_update_tied(int d, double *wi, double *wj, double eta, double dl_ds) {
    double g = eta * dl_ds;
    if (wi == wj) {
        for (int k = 0; k < d; k++) wi[k] -= 2 * g * wi[k];
        return;
    }
    for (int k = 0; k < d; k++) {
        double a = wi[k], b = wj[k];
        wi[k] = a - g * b;
        wj[k] = b - g * a;
    }
}
