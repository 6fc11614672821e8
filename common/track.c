// track: singular values, rank measures, overlaps, snapshot grids (see track.h).
#include "track.h"
#include "status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "linalg.h"

int track_svd(int m, int n, const double *A, double *s, int k, double *Uk) {
    int mn = m < n ? m : n;
    if (Uk && (k < 1 || k > mn)) return sim_fail(-1, "track_svd: k = %d outside [1, %d]", k, mn);
    double *C = sim_alloc((size_t)m * n, sizeof *C);
    double *U = Uk ? sim_alloc((size_t)m * mn, sizeof *U) : NULL;
    double *VT = Uk ? sim_alloc((size_t)mn * n, sizeof *VT) : NULL;
    if (!C || (Uk && (!U || !VT))) {
        free(C), free(U), free(VT);
        return -1;
    }
    memcpy(C, A, (size_t)m * n * sizeof *C);
    int info = la_svd(m, n, C, s, U, VT);
    if (info == 0 && Uk)
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++) Uk[(size_t)i * k + j] = U[(size_t)i * mn + j];
    free(C), free(U), free(VT);
    return info;
}

int track_eig_desc(int d, const double *A, double *w) {
    double *C = sim_alloc((size_t)d * d, sizeof *C);
    if (!C) return -1;
    memcpy(C, A, (size_t)d * d * sizeof *C);
    int info = la_eigh(d, C, w, 0);
    for (int i = 0; i < d / 2; i++) {
        double t = w[i];
        w[i] = w[d - 1 - i];
        w[d - 1 - i] = t;
    }
    free(C);
    return info;
}

static double sumsq(const double *s, int ns) {
    double f = 0;
    for (int i = 0; i < ns; i++) f += s[i] * s[i];
    return f;
}

double track_eta(const double *s, int ns) {
    double f = sumsq(s, ns);
    return f > 0 ? s[0] * s[0] / f : 0.0;
}

double track_gap(const double *s, int ns) {
    if (ns < 2 || s[1] == 0) return INFINITY;
    return s[0] / s[1];
}

double track_stable_rank(const double *s, int ns) { return s[0] > 0 ? sumsq(s, ns) / (s[0] * s[0]) : 0.0; }

double track_overlap(int n, int k, const double *U, int ldu, const double *V, int ldv) {
    // (U_k^T V_k)_{ab} = sum_i U_ia V_ib; k is small (a handful of modes), so a direct loop.
    double f = 0;
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += U[(size_t)i * ldu + a] * V[(size_t)i * ldv + b];
            f += s * s;
        }
    return f / k;
}

double track_sq_overlap(int n, const double *u, const double *v) {
    double uv = 0, uu = 0, vv = 0;
    for (int i = 0; i < n; i++) uv += u[i] * v[i], uu += u[i] * u[i], vv += v[i] * v[i];
    return uu > 0 && vv > 0 ? uv * uv / (uu * vv) : 0.0;
}

int track_gs_residuals(int k, int m, const double *P, double *r2) {
    // Q holds the orthonormalised directions q_1..q_{j-1} (rows).
    double *Q = sim_alloc((size_t)k * m, sizeof *Q), *p = sim_alloc((size_t)m, sizeof *p);
    if (!Q || !p) {
        free(Q), free(p);
        return -1;
    }
    int nq = 0;
    for (int j = 0; j < k; j++) {
        memcpy(p, P + (size_t)j * m, (size_t)m * sizeof *p);
        for (int a = 0; a < nq; a++) {  // modified Gram-Schmidt: subtract one at a time
            const double *q = Q + (size_t)a * m;
            double d = 0;
            for (int i = 0; i < m; i++) d += q[i] * p[i];
            for (int i = 0; i < m; i++) p[i] -= d * q[i];
        }
        double nr2 = 0;
        for (int i = 0; i < m; i++) nr2 += p[i] * p[i];
        r2[j] = nr2;
        if (nr2 > 0) {
            double inv = 1 / sqrt(nr2);
            for (int i = 0; i < m; i++) Q[(size_t)nq * m + i] = p[i] * inv;
            nq++;
        }
    }
    free(Q), free(p);
    return 0;
}

static int cmp_long(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int track_grid_steps(long n_steps, int n_uniform, int n_log, long *steps) {
    int c = 0;
    steps[c++] = 0;
    for (int i = 1; i <= n_uniform; i++) steps[c++] = (long)llround((double)n_steps * i / n_uniform);
    for (int i = 0; i < n_log; i++) {
        double e = n_log > 1 ? (double)i / (n_log - 1) : 1.0;
        steps[c++] = (long)llround(pow((double)(n_steps > 1 ? n_steps : 1), e));
    }
    qsort(steps, (size_t)c, sizeof *steps, cmp_long);
    int u = 0;
    for (int i = 0; i < c; i++)
        if (steps[i] <= n_steps && (u == 0 || steps[i] != steps[u - 1])) steps[u++] = steps[i];
    return u;
}
