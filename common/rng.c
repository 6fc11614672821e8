#include "rng.h"
#include "status.h"
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t rng_mix(uint64_t seed, uint64_t stream) {
    // splitmix64 applied twice: once to the seed, once to (mixed seed + stream).
    uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    z += (stream + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

gsl_rng *rng_alloc(uint64_t seed, uint64_t stream) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) return sim_fail(-1, "gsl_rng_alloc failed (out of memory)"), NULL;
    unsigned long s = (unsigned long)(rng_mix(seed, stream) & 0xffffffffUL);
    gsl_rng_set(r, s ? s : 4357);  // mt19937 treats 0 as its default seed 4357
    return r;
}

void rng_free(gsl_rng *r) { gsl_rng_free(r); }

double rng_normal(gsl_rng *r) { return gsl_ran_gaussian_ziggurat(r, 1.0); }

void rng_normal_vec(gsl_rng *r, size_t n, double *x) {
    for (size_t i = 0; i < n; i++) x[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
}

void rng_sphere(gsl_rng *r, int d, double *x) {
    double s;
    do {
        s = 0;
        for (int i = 0; i < d; i++) {
            x[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
            s += x[i] * x[i];
        }
    } while (s == 0.0);
    s = 1.0 / sqrt(s);
    for (int i = 0; i < d; i++) x[i] *= s;
}

void rng_gaussian_cov(gsl_rng *r, int d, const double *U, const double *gamma, double *x) {
    double g[d > 0 ? d : 1];
    for (int i = 0; i < d; i++) g[i] = sqrt(gamma[i]) * gsl_ran_gaussian_ziggurat(r, 1.0);
    if (!U) {
        memcpy(x, g, (size_t)d * sizeof *x);
        return;
    }
    for (int i = 0; i < d; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) s += U[(size_t)i * d + j] * g[j];
        x[i] = s;
    }
}

void rng_cube_vertex(uint64_t v, int d, double *x) {
    for (int a = 0; a < d; a++) x[a] = 1.0 - 2.0 * (double)((v >> a) & 1u);
}

int rng_subset(gsl_rng *r, size_t N, size_t n, size_t *idx) {
    if (n > N) return sim_fail(-1, "rng_subset: cannot draw %zu distinct items from %zu", n, N);
    if (N > 64 * n && N > 4096) {
        // Rejection against a bitmap: O(n) expected draws when n << N.
        unsigned char *seen = sim_calloc(N / 8 + 1, 1);
        if (!seen) return -1;
        for (size_t k = 0; k < n;) {
            size_t j = (size_t)gsl_rng_uniform_int(r, N);
            if (seen[j >> 3] & (1u << (j & 7))) continue;
            seen[j >> 3] |= (unsigned char)(1u << (j & 7));
            idx[k++] = j;
        }
        free(seen);
        return 0;
    }
    size_t *perm = sim_alloc(N, sizeof *perm);
    if (!perm) return -1;
    for (size_t i = 0; i < N; i++) perm[i] = i;
    for (size_t i = 0; i < n; i++) {  // partial Fisher-Yates
        size_t j = i + (size_t)gsl_rng_uniform_int(r, N - i);
        size_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        idx[i] = perm[i];
    }
    free(perm);
    return 0;
}

void rng_permutation(gsl_rng *r, size_t n, size_t *idx) {
    for (size_t i = 0; i < n; i++) idx[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)gsl_rng_uniform_int(r, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}
