// sslloss: NT-Xent and VICReg with their gradients (equations in sslloss.h).
#include "sslloss.h"
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "status.h"

// ---- NT-Xent ----
sslloss_ntxent_ws *sslloss_ntxent_alloc(int n, int d) {
    if (n < 2 || d < 1) {
        sim_fail(-1, "sslloss_ntxent_alloc: need n >= 2 and d >= 1 (got n = %d, d = %d)", n, d);
        return NULL;
    }
    sslloss_ntxent_ws *w = sim_calloc(1, sizeof *w);
    if (!w) return NULL;
    w->n = n, w->d = d;
    w->U = sim_alloc((size_t)2 * n * d, sizeof(double));
    w->S = sim_alloc((size_t)4 * n * n, sizeof(double));
    w->dU = sim_alloc((size_t)2 * n * d, sizeof(double));
    if (!w->U || !w->S || !w->dU) {
        sslloss_ntxent_free(w);
        return NULL;
    }
    return w;
}

void sslloss_ntxent_free(sslloss_ntxent_ws *w) {
    if (!w) return;
    free(w->U), free(w->S), free(w->dU), free(w);
}

double sslloss_ntxent(sslloss_ntxent_ws *w, const double *Za, const double *Zb, double tau, double *dZa, double *dZb) {
    if (!w || !(tau > 0)) {
        sim_fail(-1, "sslloss_ntxent: %s", w ? "tau must be > 0" : "no workspace");
        return NAN;
    }
    int n = w->n, d = w->d, N = 2 * n;
    memcpy(w->U, Za, sizeof(double) * n * d);
    memcpy(w->U + (size_t)n * d, Zb, sizeof(double) * n * d);
    // S = U U^T / tau: the upper triangle by dsyrk, mirrored.
    double *S = w->S;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, N, d, 1 / tau, w->U, d, 0, S, N);
    for (int i = 0; i < N; i++)
        for (int k = 0; k < i; k++) S[(size_t)i * N + k] = S[(size_t)k * N + i];
    // Row by row: l_i = -S_{i,p(i)} + logsumexp_{k != i} S_ik; then row i of S becomes G_i.
    double L = 0;
    for (int i = 0; i < N; i++) {
        double *r = S + (size_t)i * N, mx = -INFINITY, z = 0;
        int p = i < n ? i + n : i - n;
        for (int k = 0; k < N; k++)
            if (k != i && r[k] > mx) mx = r[k];
        for (int k = 0; k < N; k++) z += k != i ? exp(r[k] - mx) : 0;
        L += -r[p] + mx + log(z);
        for (int k = 0; k < N; k++) r[k] = (k != i ? exp(r[k] - mx) / z : 0) - (k == p);
    }
    L /= N;
    if (dZa) {
        // dL/dU = (G + G^T) U / tau with G = (P - Pos)/(2n): symmetrise in place.
        for (int i = 0; i < N; i++)
            for (int k = 0; k <= i; k++) {
                double s = (S[(size_t)i * N + k] + S[(size_t)k * N + i]) / N;
                S[(size_t)i * N + k] = S[(size_t)k * N + i] = s;
            }
        cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, N, d, 1 / tau, S, N, w->U, d, 0, w->dU, d);
        memcpy(dZa, w->dU, sizeof(double) * n * d);
        memcpy(dZb, w->dU + (size_t)n * d, sizeof(double) * n * d);
    }
    return L;
}

// ---- VICReg ----
sslloss_vicreg_ws *sslloss_vicreg_alloc(int n, int d) {
    if (n < 2 || d < 1) {
        sim_fail(-1, "sslloss_vicreg_alloc: need n >= 2 and d >= 1 (got n = %d, d = %d)", n, d);
        return NULL;
    }
    sslloss_vicreg_ws *w = sim_calloc(1, sizeof *w);
    if (!w) return NULL;
    w->n = n, w->d = d;
    w->Zc = sim_alloc((size_t)n * d, sizeof(double));
    w->Cov = sim_alloc((size_t)d * d, sizeof(double));
    w->sd = sim_alloc((size_t)d, sizeof(double));
    if (!w->Zc || !w->Cov || !w->sd) {
        sslloss_vicreg_free(w);
        return NULL;
    }
    return w;
}

void sslloss_vicreg_free(sslloss_vicreg_ws *w) {
    if (!w) return;
    free(w->Zc), free(w->Cov), free(w->sd), free(w);
}

// One view's variance and covariance terms; adds mu dv/dZ + nu dc/dZ to dZ if non-NULL.
static void vicreg_view(sslloss_vicreg_ws *w, const double *Z, const sslloss_vicreg_par *p, double *v, double *c,
                        double *dZ) {
    int n = w->n, d = w->d;
    double *Zc = w->Zc, *Cov = w->Cov;
    for (int j = 0; j < d; j++) {
        double m = 0;
        for (int i = 0; i < n; i++) m += Z[(size_t)i * d + j];
        m /= n;
        for (int i = 0; i < n; i++) Zc[(size_t)i * d + j] = Z[(size_t)i * d + j] - m;
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / (n - 1), Zc, d, Zc, d, 0, Cov, d);
    double vv = 0, cc = 0;
    for (int j = 0; j < d; j++) {
        w->sd[j] = sqrt(Cov[j * d + j] + p->eps);
        vv += fmax(0, p->g - w->sd[j]);
        for (int k = 0; k < d; k++)
            if (k != j) cc += Cov[j * d + k] * Cov[j * d + k];
    }
    *v = vv / d, *c = cc / d;
    if (!dZ) return;
    // Covariance: dZ += nu 4 Zc Coff / (d (n - 1)), Coff = Cov without its diagonal.
    for (int j = 0; j < d; j++) Cov[j * d + j] = 0;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, d, p->nu * 4.0 / (d * (n - 1.0)), Zc, d, Cov, d, 1, dZ,
                d);
    // Variance hinge: dZ_ij -= mu Zc_ij / (d (n - 1) sd_j) where sd_j < g.
    for (int j = 0; j < d; j++) {
        if (!(w->sd[j] < p->g)) continue;
        double f = p->mu / (d * (n - 1.0) * w->sd[j]);
        for (int i = 0; i < n; i++) dZ[(size_t)i * d + j] -= f * Zc[(size_t)i * d + j];
    }
}

double sslloss_vicreg(sslloss_vicreg_ws *w, const double *Za, const double *Zb, const sslloss_vicreg_par *p,
                      double *dZa, double *dZb) {
    if (!w || !p) {
        sim_fail(-1, "sslloss_vicreg: %s", w ? "no parameters" : "no workspace");
        return NAN;
    }
    int n = w->n, d = w->d;
    double s = 0;
    for (size_t k = 0; k < (size_t)n * d; k++) {
        double e = Za[k] - Zb[k];
        s += e * e;
        if (dZa) dZa[k] = p->lam * 2 * e / n, dZb[k] = -p->lam * 2 * e / n;
    }
    s /= n;
    double va, ca, vb, cb;
    vicreg_view(w, Za, p, &va, &ca, dZa);
    vicreg_view(w, Zb, p, &vb, &cb, dZb);
    w->inv = s, w->var = va + vb, w->cov = ca + cb;
    return p->lam * s + p->mu * (va + vb) + p->nu * (ca + cb);
}
