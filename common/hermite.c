#include "hermite.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "status.h"

double hermite_he(int n, double z) {
    if (n < 0) return sim_fail(-1, "hermite_he: degree n = %d must be >= 0", n), NAN;
    if (n == 0) return 1.0;
    double hm = 1.0, h = z;  // He_0, He_1
    for (int k = 1; k < n; k++) {
        double hp = z * h - k * hm;  // He_{k+1} = z He_k - k He_{k-1}
        hm = h;
        h = hp;
    }
    return h;
}

void hermite_h_array(int nmax, double z, double *h) {
    if (nmax < 0) {
        sim_fail(-1, "hermite_h_array: nmax = %d must be >= 0 (nothing written)", nmax);
        return;
    }
    h[0] = 1.0;
    if (nmax >= 1) h[1] = z;
    for (int k = 1; k < nmax; k++) h[k + 1] = (z * h[k] - sqrt((double)k) * h[k - 1]) / sqrt((double)(k + 1));
}

double hermite_h(int n, double z) {
    if (n < 0) return sim_fail(-1, "hermite_h: degree n = %d must be >= 0", n), NAN;
    double buf[64], *h = n < 64 ? buf : sim_alloc((size_t)n + 1, sizeof *h);
    if (!h) return NAN;
    hermite_h_array(n, z, h);
    double r = h[n];
    if (h != buf) free(h);
    return r;
}

double hermite_mono_eval(int deg, const int *idx, const double *z) {
    double r = 1.0;
    for (int j = 0; j < deg;) {
        int a = idx[j], p = 0;
        while (j < deg && idx[j] == a) p++, j++;
        r *= hermite_h(p, z[a]);
    }
    return r;
}

double hermite_mono_eval_table(int deg, const int *idx, const double *htab, int stride) {
    double r = 1.0;
    for (int j = 0; j < deg;) {
        int a = idx[j], p = 0;
        while (j < deg && idx[j] == a) p++, j++;
        r *= htab[(size_t)a * stride + p];
    }
    return r;
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int hermite_mono_parse(const char *s, int *idx) {
    int deg = 0;
    if (s[0] == '\0' || strcmp(s, "1") == 0) return 0;
    const char *p = s;
    while (*p) {
        char *end;
        long a = strtol(p, &end, 10);
        if (end == p || *end != ':' || a < 0 || a > 1000000) return -1;
        p = end + 1;
        long pw = strtol(p, &end, 10);
        if (end == p || pw < 1 || deg + pw > HERMITE_LMAX) return -1;
        for (long k = 0; k < pw; k++) idx[deg++] = (int)a;
        p = end;
        if (*p == ',') p++;
        else if (*p) return -1;
    }
    qsort(idx, (size_t)deg, sizeof *idx, cmp_int);
    return deg;
}

void hermite_mono_name(int deg, const int *idx, char *buf, size_t len) {
    if (deg == 0) {
        snprintf(buf, len, "1");
        return;
    }
    size_t o = 0;
    buf[0] = 0;
    for (int j = 0; j < deg;) {
        int a = idx[j], p = 0;
        while (j < deg && idx[j] == a) p++, j++;
        int w = p > 1 ? snprintf(buf + o, len - o, "%sz%d^%d", o ? " " : "", a, p)
                      : snprintf(buf + o, len - o, "%sz%d", o ? " " : "", a);
        if (w < 0 || (size_t)w >= len - o) return;
        o += (size_t)w;
    }
}

double hermite_bessel_poly(int n, double x) {
    if (n < -1) return sim_fail(-1, "hermite_bessel_poly: n = %d must be >= -1", n), NAN;
    if (n <= 0) return 1.0;  // y_{-1} = y_0 = 1
    double ym = 1.0, y = 1.0 + x;
    for (int k = 2; k <= n; k++) {
        double yp = (2.0 * k - 1.0) * x * y + ym;  // y_k = (2k-1) x y_{k-1} + y_{k-2}
        ym = y;
        y = yp;
    }
    return y;
}

int hermite_level_coeffs(const char *kernel, double w, int lmax, double *c) {
    if (!(w > 0) || !isfinite(w)) {
        return sim_fail(-1, "hermite_level_coeffs: width w = %g must be positive", w);
    }
    if (lmax < 0) {
        return sim_fail(-1, "hermite_level_coeffs: lmax = %d must be >= 0", lmax);
    }
    if (strcmp(kernel, "gaussian") == 0) {
        // profile exp(-(1-u)/w^2) on the unit sphere: c_l = d^l/du^l at u = 0
        for (int l = 0; l <= lmax; l++) c[l] = exp(-1.0 / (w * w) - 2.0 * l * log(w));
        return 0;
    }
    if (strcmp(kernel, "laplace-hea") == 0) {
        // profile exp(-sqrt(1-u)/s): c_l = e^{-1/s} y_{l-1}(s) / (2s)^l
        double s = w;
        for (int l = 0; l <= lmax; l++) c[l] = exp(-1.0 / s) * hermite_bessel_poly(l - 1, s) / pow(2.0 * s, l);
        return 0;
    }
    return sim_fail(-1, "hermite_level_coeffs: unknown kernel '%s' (gaussian|laplace-hea)", kernel);
}

// ---- the priority queue of monomials ----
// Entries live in an arena of tuples (deg, idx[lmax]); a binary max-heap orders arena slots by
// lambda, and an open-addressing hash set over the arena rejects a tuple pushed twice (the same
// monomial is reachable from several parents).
typedef struct {
    int lmax, stride;  // stride = lmax + 1: deg then lmax indices
    int *tup;          // (cap, stride)
    double *lam;       // (cap)
    size_t n, cap;
    size_t *heap, nheap;  // arena slots
    size_t *hash, hcap;   // slot + 1, 0 = empty
} mono_pq;

static uint64_t tup_hash(const int *t, int stride) {
    uint64_t h = 1469598103934665603ull;
    for (int j = 0; j < stride; j++) {
        h ^= (uint64_t)(uint32_t)t[j];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

// Both return 0, or -1 with "out of memory" recorded (the queue is still valid to free).
static int pq_rehash(mono_pq *q) {
    free(q->hash);
    q->hcap = q->hcap ? 2 * q->hcap : 1024;
    q->hash = sim_calloc(q->hcap, sizeof *q->hash);
    if (!q->hash) return -1;
    for (size_t s = 0; s < q->n; s++) {
        size_t h = tup_hash(q->tup + s * q->stride, q->stride) & (q->hcap - 1);
        while (q->hash[h]) h = (h + 1) & (q->hcap - 1);
        q->hash[h] = s + 1;
    }
    return 0;
}

static int heap_less(const mono_pq *q, size_t a, size_t b) {  // slot a below slot b?
    if (q->lam[a] != q->lam[b]) return q->lam[a] < q->lam[b];
    return a > b;  // ties: earlier push first (deterministic)
}

static int pq_push(mono_pq *q, const int *t, double lam) {
    if (2 * (q->n + 1) > q->hcap && pq_rehash(q)) return -1;
    size_t h = tup_hash(t, q->stride) & (q->hcap - 1);
    while (q->hash[h]) {
        if (memcmp(q->tup + (q->hash[h] - 1) * q->stride, t, sizeof(int) * q->stride) == 0) return 0;
        h = (h + 1) & (q->hcap - 1);
    }
    if (q->n == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 1024;
        int *nt = realloc(q->tup, q->cap * q->stride * sizeof *q->tup);
        if (nt) q->tup = nt;
        double *nl = realloc(q->lam, q->cap * sizeof *q->lam);
        if (nl) q->lam = nl;
        size_t *nh = realloc(q->heap, q->cap * sizeof *q->heap);
        if (nh) q->heap = nh;
        if (!nt || !nl || !nh) return sim_fail(-1, "hermite: out of memory at %zu queued monomials", q->n);
    }
    size_t s = q->n++;
    memcpy(q->tup + s * q->stride, t, sizeof(int) * q->stride);
    q->lam[s] = lam;
    q->hash[h] = s + 1;
    size_t i = q->nheap++;
    q->heap[i] = s;
    while (i > 0) {  // sift up
        size_t p = (i - 1) / 2;
        if (!heap_less(q, q->heap[p], q->heap[i])) break;
        size_t tmp = q->heap[p];
        q->heap[p] = q->heap[i];
        q->heap[i] = tmp;
        i = p;
    }
    return 0;
}

static size_t pq_pop(mono_pq *q) {
    size_t top = q->heap[0];
    q->heap[0] = q->heap[--q->nheap];
    size_t i = 0;
    for (;;) {  // sift down
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < q->nheap && heap_less(q, q->heap[m], q->heap[l])) m = l;
        if (r < q->nheap && heap_less(q, q->heap[m], q->heap[r])) m = r;
        if (m == i) break;
        size_t tmp = q->heap[m];
        q->heap[m] = q->heap[i];
        q->heap[i] = tmp;
        i = m;
    }
    return top;
}

int hermite_modes_enumerate(int d, const double *gamma, int lmax, const double *c, size_t P, hermite_modes *out) {
    memset(out, 0, sizeof *out);
    if (d < 1) return sim_fail(-1, "hermite_modes_enumerate: dimension d = %d must be >= 1", d);
    if (lmax < 0 || lmax > HERMITE_LMAX)
        return sim_fail(-1, "hermite_modes_enumerate: lmax = %d must be in [0, %d]", lmax, HERMITE_LMAX);
    if (P < 1) return sim_fail(-1, "hermite_modes_enumerate: P must be >= 1");
    for (int a = 0; a < d; a++) {
        if (!(gamma[a] > 0))
            return sim_fail(-1, "hermite_modes_enumerate: gamma[%d] = %g must be positive", a, gamma[a]);
        if (a > 0 && gamma[a] > gamma[a - 1])
            return sim_fail(
                -1, "hermite_modes_enumerate: gamma must be sorted descending (gamma[%d] = %g > gamma[%d] = %g)", a,
                gamma[a], a - 1, gamma[a - 1]);
    }
    for (int l = 0; l <= lmax; l++)
        if (!(c[l] >= 0) || !isfinite(c[l]))
            return sim_fail(-1, "hermite_modes_enumerate: level coefficient c[%d] = %g", l, c[l]);

    mono_pq q = {.lmax = lmax, .stride = lmax + 1};
    int t[HERMITE_LMAX + 1];
    // Seeds: the constant and x_0^l for l = 1..lmax (zero coefficients give no modes).
    for (int l = 0; l <= lmax; l++) {
        if (c[l] == 0) continue;
        t[0] = l;
        for (int j = 0; j < lmax; j++) t[1 + j] = j < l ? 0 : -1;
        double lp = c[l];
        for (int i = 0; i < l; i++) lp *= gamma[0];
        if (pq_push(&q, t, lp)) goto oom;
    }
    out->d = d;
    out->lmax = lmax;
    out->lambda = sim_calloc(P, sizeof *out->lambda);
    out->deg = sim_calloc(P, sizeof *out->deg);
    out->idx = sim_calloc(P * (size_t)(lmax > 0 ? lmax : 1), sizeof *out->idx);
    if (!out->lambda || !out->deg || !out->idx) goto oom;
    size_t got = 0;
    while (got < P && q.nheap > 0) {
        size_t s = pq_pop(&q);
        const int *e = q.tup + s * q.stride;
        int l = e[0];
        out->lambda[got] = q.lam[s];
        out->deg[got] = l;
        for (int j = 0; j < lmax; j++) out->idx[got * lmax + j] = e[1 + j];
        got++;
        // Successors: move one unit of exponent from index a to a + 1, i.e. increment the LAST
        // occurrence of each distinct value a in the sorted tuple (keeps it sorted).  Every
        // move multiplies lambda by gamma_{a+1}/gamma_a <= 1, so pops are non-increasing.
        memcpy(t, e, sizeof(int) * q.stride);
        for (int j = 0; j < l; j++) {
            int a = t[1 + j];
            if (j + 1 < l && t[2 + j] == a) continue;  // not the last occurrence of a
            if (a + 1 >= d) continue;
            t[1 + j] = a + 1;
            double lp = c[l];
            for (int i = 0; i < l; i++) lp *= gamma[t[1 + i]];
            if (pq_push(&q, t, lp)) goto oom;
            t[1 + j] = a;
        }
    }
    out->P = got;
    free(q.tup), free(q.lam), free(q.heap), free(q.hash);
    return 0;
oom:
    free(q.tup), free(q.lam), free(q.heap), free(q.hash);
    hermite_modes_free(out);
    return -1;
}

void hermite_modes_free(hermite_modes *m) {
    if (!m) return;
    free(m->lambda), free(m->deg), free(m->idx);
    m->lambda = NULL, m->deg = NULL, m->idx = NULL;
}
