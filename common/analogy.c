#include "analogy.h"
#include "status.h"
#include <errno.h>
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int is_space(unsigned char b) { return b == ' ' || b == '\t' || b == '\r' || b == '\v' || b == '\f'; }

static char *dup_lower(const char *s, size_t n) {
    char *o = sim_calloc(n + 1, 1);
    if (!o) return NULL;
    for (size_t i = 0; i < n; i++) o[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    return o;
}

void analogy_free(analogy_set *s) {
    if (!s) return;
    for (int f = 0; f < s->n_fam; f++) free(s->family[f]);
    for (long i = 0; i < 4L * s->n_q; i++) free(s->w[i]);
    free(s->family);
    free(s->fam);
    free(s->w);
    free(s->id);
    free(s);
}

int analogy_parse_buffer(const char *buf, size_t n, analogy_set **out, char *err, size_t errlen) {
    if (!out) {
        set_err(err, errlen, "analogy: out is NULL");
        return 1;
    }
    *out = NULL;
    if (!buf && n > 0) {
        set_err(err, errlen, "analogy: NULL buffer of %zu bytes", n);
        return 1;
    }
    analogy_set *s = sim_calloc(1, sizeof *s);
    if (!s) {
        set_err(err, errlen, "analogy: out of memory");
        return 1;
    }
    int cap_f = 0, cap_q = 0;
    long line = 0;
    size_t p = 0;
    while (p < n) {
        line++;
        size_t e = p;
        while (e < n && buf[e] != '\n') e++;  // the line is buf[p, e)
        const char *L = buf + p;
        size_t len = e - p;
        p = e + 1;
        if (memchr(L, '\0', len)) {
            set_err(err, errlen, "analogy: line %ld: NUL byte", line);
            goto fail;
        }
        size_t i = 0;
        while (i < len && is_space((unsigned char)L[i])) i++;
        if (i == len) continue;  // blank line
        if (L[i] == ':') {       // ": family"
            i++;
            while (i < len && is_space((unsigned char)L[i])) i++;
            size_t j = len;
            while (j > i && is_space((unsigned char)L[j - 1])) j--;
            if (j == i) {
                set_err(err, errlen, "analogy: line %ld: empty family name after ':'", line);
                goto fail;
            }
            if (s->n_fam == cap_f) {
                cap_f = cap_f ? 2 * cap_f : 16;
                char **nf = realloc(s->family, (size_t)cap_f * sizeof *s->family);
                if (!nf) goto oom;
                s->family = nf;
            }
            if (!(s->family[s->n_fam] = dup_lower(L + i, j - i))) goto oom;
            s->n_fam++;
            continue;
        }
        if (s->n_fam == 0) {
            set_err(err, errlen, "analogy: line %ld: a question before any ': family' header line", line);
            goto fail;
        }
        const char *wd[4];
        size_t wl[4];
        int nw = 0;
        while (i < len) {
            size_t j = i;
            while (j < len && !is_space((unsigned char)L[j])) j++;
            if (nw < 4) {
                wd[nw] = L + i;
                wl[nw] = j - i;
            }
            nw++;
            if (j - i > ANALOGY_MAX_WORD) {
                set_err(err, errlen, "analogy: line %ld: a word of %zu bytes (limit %d)", line, j - i,
                        ANALOGY_MAX_WORD);
                goto fail;
            }
            i = j;
            while (i < len && is_space((unsigned char)L[i])) i++;
        }
        if (nw != 4) {
            set_err(err, errlen, "analogy: line %ld: expected 4 words 'a b c d', found %d", line, nw);
            goto fail;
        }
        if (s->n_q == cap_q) {
            cap_q = cap_q ? 2 * cap_q : 1024;
            int *nfam = realloc(s->fam, (size_t)cap_q * sizeof *s->fam);
            if (nfam) s->fam = nfam;
            char **nw4 = realloc(s->w, 4 * (size_t)cap_q * sizeof *s->w);
            if (nw4) s->w = nw4;
            if (!nfam || !nw4) goto oom;
        }
        s->fam[s->n_q] = s->n_fam - 1;
        for (int k = 0; k < 4; k++) s->w[4L * s->n_q + k] = NULL;
        s->n_q++;  // counted first, so analogy_free releases a partly copied question
        for (int k = 0; k < 4; k++)
            if (!(s->w[4L * (s->n_q - 1) + k] = dup_lower(wd[k], wl[k]))) goto oom;
    }
    if (s->n_q == 0) {
        set_err(err, errlen, "analogy: no question in %ld lines", line);
        goto fail;
    }
    s->id = sim_alloc(4 * (size_t)s->n_q, sizeof *s->id);
    if (!s->id) goto oom;
    for (long k = 0; k < 4L * s->n_q; k++) s->id[k] = -1;
    *out = s;
    return 0;
oom:
    set_err(err, errlen, "analogy: out of memory at line %ld", line);
fail:
    analogy_free(s);
    return 1;
}

int analogy_read_file(const char *path, analogy_set **out, char *err, size_t errlen) {
    if (!out) {
        set_err(err, errlen, "analogy: out is NULL");
        return 1;
    }
    *out = NULL;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        set_err(err, errlen, "analogy: cannot open %s: %s", path ? path : "(null)", strerror(errno));
        return 1;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) free(buf);
            buf = nb;
        }
    }
    if (!buf) {
        fclose(f);
        set_err(err, errlen, "analogy: out of memory reading %s", path);
        return 1;
    }
    fclose(f);
    int st = analogy_parse_buffer(buf, n, out, err, errlen);
    if (st && err && errlen) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s: %s", path, err);
        snprintf(err, errlen, "%s", tmp);
    }
    free(buf);
    return st;
}

int analogy_resolve(analogy_set *s, int (*lookup)(const char *word, void *ctx), void *ctx) {
    int ok = 0;
    for (int q = 0; q < s->n_q; q++) {
        int all = 1;
        for (int k = 0; k < 4; k++) {
            s->id[4L * q + k] = lookup(s->w[4L * q + k], ctx);
            all &= s->id[4L * q + k] >= 0;
        }
        ok += all;
    }
    return ok;
}

analogy_result *analogy_result_alloc(int n_fam) {
    analogy_result *r = sim_calloc(1, sizeof *r);
    if (!r) return NULL;
    r->n_fam = n_fam;
    r->n_total = sim_calloc(n_fam + 1, sizeof(int));
    r->n_scored = sim_calloc(n_fam + 1, sizeof(int));
    r->n_correct = sim_calloc(n_fam + 1, sizeof(int));
    r->tie_credit = sim_calloc(n_fam + 1, sizeof(double));
    if (!r->n_total || !r->n_scored || !r->n_correct || !r->tie_credit) {
        analogy_result_free(r);
        return NULL;
    }
    return r;
}

void analogy_result_free(analogy_result *r) {
    if (!r) return;
    free(r->n_total), free(r->n_scored), free(r->n_correct), free(r->tie_credit), free(r);
}

#define BATCH 256  // queries per dgemm: the score block is (BATCH, V)

int analogy_eval(const analogy_set *s, const double *W, int V, int d, analogy_result *r) {
    if (!s || !W || !r || V < 1 || d < 1 || r->n_fam != s->n_fam) return 1;
    for (long k = 0; k < 4L * s->n_q; k++)
        if (s->id[k] >= V) return 1;
    for (int f = 0; f <= r->n_fam; f++) r->n_total[f] = r->n_scored[f] = r->n_correct[f] = 0, r->tie_credit[f] = 0;
    // Wn (V, d): unit rows (a zero row stays zero and scores 0 against everything).
    double *Wn = sim_alloc((size_t)V * d, sizeof *Wn);
    double *Q = sim_alloc((size_t)BATCH * d, sizeof *Q);  // Q (B, d): the query vectors
    double *S = sim_alloc((size_t)BATCH * V, sizeof *S);  // S (B, V) = Q Wn^T
    int *qi = sim_alloc(BATCH, sizeof *qi);
    if (!Wn || !Q || !S || !qi) {
        free(Wn), free(Q), free(S), free(qi);
        return 1;
    }
    for (int i = 0; i < V; i++) {
        double nn = 0;
        for (int j = 0; j < d; j++) nn += W[(size_t)i * d + j] * W[(size_t)i * d + j];
        double inv = nn > 0 ? 1 / sqrt(nn) : 0;
        for (int j = 0; j < d; j++) Wn[(size_t)i * d + j] = W[(size_t)i * d + j] * inv;
    }
    for (int q = 0; q < s->n_q; q++) r->n_total[s->fam[q]]++, r->n_total[s->n_fam]++;
    int q = 0;
    while (q < s->n_q) {
        int B = 0;
        for (; q < s->n_q && B < BATCH; q++) {
            const int *id = s->id + 4L * q;
            if (id[0] < 0 || id[1] < 0 || id[2] < 0 || id[3] < 0) continue;
            for (int j = 0; j < d; j++)
                Q[(size_t)B * d + j] =
                    Wn[(size_t)id[2] * d + j] + Wn[(size_t)id[1] * d + j] - Wn[(size_t)id[0] * d + j];
            qi[B++] = q;
        }
        if (B == 0) break;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, V, d, 1.0, Q, d, Wn, d, 0.0, S, V);
        for (int b = 0; b < B; b++) {
            const int *id = s->id + 4L * qi[b];
            const double *Sb = S + (size_t)b * V;
            int best = -1;
            double smax = -INFINITY;
            for (int i = 0; i < V; i++) {
                if (i == id[0] || i == id[1] || i == id[2]) continue;
                if (Sb[i] > smax) smax = Sb[i], best = i;
            }
            int f = s->fam[qi[b]];
            r->n_scored[f]++, r->n_scored[s->n_fam]++;
            if (best < 0) continue;  // V <= 3: nothing to predict
            if (best == id[3]) r->n_correct[f]++, r->n_correct[s->n_fam]++;
            // tie-expected credit: T = number of candidates within ANALOGY_TIE_REL of the best
            double thr = smax - ANALOGY_TIE_REL * fmax(fabs(smax), 1e-300);
            if (Sb[id[3]] >= thr && id[3] != id[0] && id[3] != id[1] && id[3] != id[2]) {
                int T = 0;
                for (int i = 0; i < V; i++)
                    if (i != id[0] && i != id[1] && i != id[2] && Sb[i] >= thr) T++;
                r->tie_credit[f] += 1.0 / T, r->tie_credit[s->n_fam] += 1.0 / T;
            }
        }
    }
    free(Wn), free(Q), free(S), free(qi);
    return 0;
}

double analogy_acc(const analogy_result *r, int f) {
    return r->n_scored[f] ? (double)r->n_correct[f] / r->n_scored[f] : 0;
}
double analogy_tie_acc(const analogy_result *r, int f) {
    return r->n_scored[f] ? r->tie_credit[f] / r->n_scored[f] : 0;
}
double analogy_coverage(const analogy_result *r, int f) {
    return r->n_total[f] ? (double)r->n_scored[f] / r->n_total[f] : 0;
}
