// circulant: DFT spectra of circulant kernels and kernels built from prescribed spectra.
// See circulant.h.  Conventions: conventions.md, Circle and torus.
#include "circulant.h"
#include "status.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ---- circle: kernel -> spectrum ----

int circulant_spectrum(size_t M, const double *r, double *lam) {
    if (M < 2 || !r || !lam) {
        sim_fail(-1, "circulant_spectrum: need M >= 2 (got %zu) and non-NULL r, lam", M);
        return -1;
    }
    // A symmetric circulant matrix has r_j = r_{M-j}; anything else has complex eigenvalues.
    double rmax = 0;
    for (size_t j = 0; j < M; j++) rmax = fmax(rmax, fabs(r[j]));
    for (size_t j = 1; j < M; j++)
        if (fabs(r[j] - r[M - j]) > 1e-12 * rmax) {
            sim_fail(-1, "circulant_spectrum: first row is not symmetric: r[%zu] = %.17g, r[%zu] = %.17g", j, r[j],
                     M - j, r[M - j]);
            return -1;
        }
    double *in = fftw_malloc(M * sizeof *in);
    fftw_complex *out = fftw_malloc((M / 2 + 1) * sizeof *out);
    if (!in || !out) {
        fftw_free(in), fftw_free(out);
        return sim_fail(-1, "circulant_spectrum: out of memory for M = %zu", M);
    }
    fftw_plan p = fftw_plan_dft_r2c_1d((int)M, in, out, FFTW_ESTIMATE);
    memcpy(in, r, M * sizeof *in);
    fftw_execute(p);
    // lam_m = (1/M) sum_j r_j e^{-2 pi i m j/M}; real because r is even.
    for (size_t m = 0; m <= M / 2; m++) {
        lam[m] = out[m][0] / (double)M;
        if (m > 0) lam[M - m] = lam[m];
    }
    fftw_destroy_plan(p);
    fftw_free(in);
    fftw_free(out);
    return 0;
}

// ---- torus: spectrum -> kernel ----

circulant_torus *circulant_torus_alloc(int D, int G) {
    if (D < 1 || D > 8 || G < 2 || G > (1 << 24)) {
        sim_fail(-1, "circulant_torus_alloc: need 1 <= D <= 8 and 2 <= G <= 2^24 (got D = %d, G = %d)", D, G);
        return NULL;
    }
    double Nd = pow((double)G, D);
    if (Nd > (double)(1u << 30)) {
        sim_fail(-1, "circulant_torus_alloc: G^D = %.0f points exceeds 2^30", Nd);
        return NULL;
    }
    circulant_torus *t = sim_calloc(1, sizeof *t);
    if (!t) return NULL;
    t->D = D;
    t->G = G;
    t->N = (size_t)Nd;
    t->Nh = t->N / (size_t)G * (size_t)(G / 2 + 1);
    t->lam = sim_alloc(t->N, sizeof *t->lam);
    t->lam_half = sim_alloc(t->Nh, sizeof *t->lam_half);
    t->k = sim_alloc(t->N, sizeof *t->k);
    t->rbuf = fftw_malloc(t->N * sizeof *t->rbuf);
    t->cbuf = fftw_malloc(t->Nh * sizeof *t->cbuf);
    if (!t->lam || !t->lam_half || !t->k || !t->rbuf || !t->cbuf) {
        circulant_torus_free(t);
        return sim_fail(-1, "circulant_torus_alloc: out of memory for G^D = %zu", (size_t)Nd), NULL;
    }
    int dims[8];
    for (int a = 0; a < D; a++) dims[a] = G;
    // FFTW_ESTIMATE: no timing-dependent plan choice (determinism) and no scribbling on the
    // buffers while planning.
    t->fwd = fftw_plan_dft_r2c(D, dims, t->rbuf, t->cbuf, FFTW_ESTIMATE);
    t->bwd = fftw_plan_dft_c2r(D, dims, t->cbuf, t->rbuf, FFTW_ESTIMATE);
    if (!t->fwd || !t->bwd) {
        circulant_torus_free(t);
        return sim_fail(-1, "circulant_torus_alloc: FFTW could not plan a rank-%d transform of side %d", D, G), NULL;
    }
    return t;
}

void circulant_torus_free(circulant_torus *t) {
    if (!t) return;
    if (t->fwd) fftw_destroy_plan(t->fwd);
    if (t->bwd) fftw_destroy_plan(t->bwd);
    fftw_free(t->rbuf);
    fftw_free(t->cbuf);
    free(t->lam);
    free(t->lam_half);
    free(t->k);
    free(t);
}

void circulant_torus_coords(const circulant_torus *t, size_t idx, int *x) {
    for (int a = t->D - 1; a >= 0; a--) {
        x[a] = (int)(idx % (size_t)t->G);
        idx /= (size_t)t->G;
    }
}

void circulant_torus_signed_freq(const circulant_torus *t, size_t idx, int *mt) {
    circulant_torus_coords(t, idx, mt);
    for (int a = 0; a < t->D; a++)
        if (mt[a] > t->G / 2) mt[a] -= t->G;
}

// Linear index of x in the half-spectrum layout, or SIZE_MAX if its last coordinate > G/2.
static size_t half_index(const circulant_torus *t, const int *x) {
    int hl = t->G / 2 + 1;
    if (x[t->D - 1] >= hl) return SIZE_MAX;
    size_t h = 0;
    for (int a = 0; a < t->D - 1; a++) h = h * (size_t)t->G + (size_t)x[a];
    return h * (size_t)hl + (size_t)x[t->D - 1];
}

// Negated frequency -m mod G, as a linear index.
static size_t neg_index(const circulant_torus *t, const int *x) {
    size_t h = 0;
    for (int a = 0; a < t->D; a++) h = h * (size_t)t->G + (size_t)((t->G - x[a]) % t->G);
    return h;
}

int circulant_torus_set_spectrum(circulant_torus *t, circulant_spectrum_fn fn, void *par, int normalise,
                                 double *scale) {
    if (!t || !fn) {
        sim_fail(-1, "circulant_torus_set_spectrum: NULL workspace or spectrum");
        return -1;
    }
    int mt[8], x[8];
    double sum = 0, comp = 0;  // compensated (Kahan) sum: N reaches 2^20, and k(0) = 1 to 1e-15
    for (size_t m = 0; m < t->N; m++) {
        circulant_torus_signed_freq(t, m, mt);
        double v = fn(t->D, mt, par);
        if (!(v >= 0) || !isfinite(v)) {
            sim_fail(-1, "circulant_torus_set_spectrum: lam(m) = %g at frequency index %zu (must be finite, >= 0)", v,
                     m);
            return -1;
        }
        t->lam[m] = v;
        double y = v - comp, s1 = sum + y;
        comp = (s1 - sum) - y;
        sum = s1;
    }
    if (!(sum > 0)) {
        sim_fail(-1, "circulant_torus_set_spectrum: the spectrum sums to %g", sum);
        return -1;
    }
    // A real symmetric kernel needs lam(-m) = lam(m); c2r would silently symmetrise otherwise.
    for (size_t m = 0; m < t->N; m++) {
        circulant_torus_coords(t, m, x);
        size_t mm = neg_index(t, x);
        if (fabs(t->lam[m] - t->lam[mm]) > 1e-13 * sum) {
            sim_fail(-1, "circulant_torus_set_spectrum: lam(m) != lam(-m) at index %zu (%.17g vs %.17g)", m, t->lam[m],
                     t->lam[mm]);
            return -1;
        }
    }
    double s = normalise ? 1.0 / sum : 1.0;
    if (scale) *scale = s;
    for (size_t m = 0; m < t->N; m++) {
        t->lam[m] *= s;
        circulant_torus_coords(t, m, x);
        size_t h = half_index(t, x);
        if (h != SIZE_MAX) t->lam_half[h] = t->lam[m];
    }
    // k(x) = sum_m lam(m) e^{+2 pi i m.x/G}: one unnormalised backward (c2r) transform of the
    // half spectrum with zero imaginary part.  c2r destroys cbuf, which is only a copy.
    for (size_t h = 0; h < t->Nh; h++) {
        t->cbuf[h][0] = t->lam_half[h];
        t->cbuf[h][1] = 0;
    }
    fftw_execute(t->bwd);
    memcpy(t->k, t->rbuf, t->N * sizeof *t->k);
    return 0;
}

double circulant_torus_roundtrip_error(circulant_torus *t) {
    memcpy(t->rbuf, t->k, t->N * sizeof *t->k);
    fftw_execute(t->fwd);
    double err = 0, N = (double)t->N;
    for (size_t h = 0; h < t->Nh; h++) {
        err = fmax(err, fabs(t->cbuf[h][0] / N - t->lam_half[h]));
        err = fmax(err, fabs(t->cbuf[h][1] / N));
    }
    return err;
}

size_t circulant_torus_diff(const circulant_torus *t, size_t i, size_t j) {
    int xi[8], xj[8];
    circulant_torus_coords(t, i, xi);
    circulant_torus_coords(t, j, xj);
    size_t h = 0;
    for (int a = 0; a < t->D; a++) h = h * (size_t)t->G + (size_t)((xi[a] - xj[a] + t->G) % t->G);
    return h;
}

int circulant_torus_gram(const circulant_torus *t, size_t n, const size_t *idx, double *K) {
    int D = t->D, G = t->G;
    int *x = sim_alloc(n * (size_t)D, sizeof *x);  // (n, D) coordinates, decoded once
    if (!x) return -1;
    for (size_t i = 0; i < n; i++) circulant_torus_coords(t, idx[i], x + i * (size_t)D);
    for (size_t i = 0; i < n; i++) {
        const int *xi = x + i * (size_t)D;
        K[i * n + i] = t->k[0];
        for (size_t j = 0; j < i; j++) {
            const int *xj = x + j * (size_t)D;
            size_t h = 0;
            for (int a = 0; a < D; a++) h = h * (size_t)G + (size_t)((xi[a] - xj[a] + G) % G);
            K[i * n + j] = K[j * n + i] = t->k[h];
        }
    }
    free(x);
    return 0;
}

void circulant_torus_predict(circulant_torus *t, size_t n, const size_t *idx, const double *alpha, double *fhat) {
    memset(t->rbuf, 0, t->N * sizeof *t->rbuf);
    for (size_t i = 0; i < n; i++) t->rbuf[idx[i]] += alpha[i];
    fftw_execute(t->fwd);  // A(m) = sum_x a(x) e^{-2 pi i m.x/G}
    for (size_t h = 0; h < t->Nh; h++) {
        t->cbuf[h][0] *= t->lam_half[h];
        t->cbuf[h][1] *= t->lam_half[h];
    }
    fftw_execute(t->bwd);  // sum_m lam(m) A(m) e^{+2 pi i m.x/G} = sum_i alpha_i k(x - x_i)
    memcpy(fhat, t->rbuf, t->N * sizeof *fhat);
}

static int cmp_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

size_t circulant_torus_levels(const circulant_torus *t, double *level, double *mult) {
    double *s = sim_alloc(t->N, sizeof *s);
    if (!s) return 0;
    memcpy(s, t->lam, t->N * sizeof *s);
    qsort(s, t->N, sizeof *s, cmp_desc);
    size_t L = 0;
    for (size_t i = 0; i < t->N; i++) {
        if (L > 0 && s[i] == level[L - 1]) {
            mult[L - 1] += 1;
        } else {
            level[L] = s[i];
            mult[L] = 1;
            L++;
        }
    }
    free(s);
    return L;
}

static double radial_r2(int D, const int *mt) {
    double r2 = 0;
    for (int a = 0; a < D; a++) r2 += (double)mt[a] * mt[a];
    return r2;
}

double circulant_sobolev(int D, const int *mt, void *par) {
    const circulant_radial *p = par;
    return pow(1.0 + radial_r2(D, mt) / (p->ell * p->ell), -p->s);
}

double circulant_heat(int D, const int *mt, void *par) {
    const circulant_radial *p = par;
    return exp(-radial_r2(D, mt) / (2.0 * p->t));
}
