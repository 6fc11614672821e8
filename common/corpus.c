#define _GNU_SOURCE
#include "corpus.h"
#include "status.h"
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
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

static inline int is_letter(unsigned char b) { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'); }
static inline char lower(unsigned char b) { return (char)(b >= 'A' && b <= 'Z' ? b + 32 : b); }

// FNV-1a over the lower-cased bytes.
static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)lower((unsigned char)s[i])) * 1099511628211ULL;
    return h;
}

// The type table while counting: open addressing on (offset into buf, length).  Keys point
// into the caller's buffer, so counting allocates nothing per token.
typedef struct {
    size_t off;
    int len;
    long count;
} type_slot;

typedef struct {
    type_slot *slot;  // cap entries, len == 0 means empty
    size_t cap, used;
} type_table;

static int same_word(const char *a, const char *b, int n) {
    for (int i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return 0;
    return 1;
}

static long table_add(type_table *t, const char *buf, size_t off, int len) {
    if (2 * (t->used + 1) > t->cap) {                 // grow, keeping the load factor under 1/2
        size_t ncap = t->cap ? 2 * t->cap : 1 << 10;  // small start: grows by doubling
        type_slot *ns = sim_calloc(ncap, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i].len) continue;
            size_t h = hash_bytes(buf + t->slot[i].off, (size_t)t->slot[i].len) & (ncap - 1);
            while (ns[h].len) h = (h + 1) & (ncap - 1);
            ns[h] = t->slot[i];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = ncap;
    }
    size_t h = hash_bytes(buf + off, (size_t)len) & (t->cap - 1);
    while (t->slot[h].len) {
        type_slot *s = &t->slot[h];
        if (s->len == len && same_word(buf + s->off, buf + off, len)) return (long)h;
        h = (h + 1) & (t->cap - 1);
    }
    t->slot[h] = (type_slot){off, len, 0};
    t->used++;
    return (long)h;
}

// Next token at or after *pos: returns its length (0 at the end) and sets *start.
static int next_token(const char *buf, size_t n, size_t *pos, size_t *start) {
    size_t p = *pos;
    while (p < n && !is_letter((unsigned char)buf[p])) p++;
    if (p >= n) {
        *pos = n;
        return 0;
    }
    size_t s = p;
    while (p < n && is_letter((unsigned char)buf[p]) && p - s < CORPUS_MAX_WORD) p++;
    *start = s;
    *pos = p;
    return (int)(p - s);
}

typedef struct {
    const char *buf;
    const type_slot *slot;
} rank_ctx;
static int cmp_rank(const void *pa, const void *pb, void *vctx) {  // count descending, then alphabetical
    const rank_ctx *ctx = vctx;
    const char *sort_buf = ctx->buf;
    const type_slot *a = &ctx->slot[*(const long *)pa], *b = &ctx->slot[*(const long *)pb];
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    int n = a->len < b->len ? a->len : b->len;
    for (int i = 0; i < n; i++) {
        char x = lower((unsigned char)sort_buf[a->off + i]), y = lower((unsigned char)sort_buf[b->off + i]);
        if (x != y) return (unsigned char)x < (unsigned char)y ? -1 : 1;
    }
    return a->len - b->len;
}

int corpus_lookup(const corpus *c, const char *word) {
    if (!c || !word) return -1;
    size_t n = strlen(word);
    if (n == 0 || n > CORPUS_MAX_WORD) return -1;
    size_t h = hash_bytes(word, n) & (c->hash_cap_ - 1);
    while (c->hash_[h] >= 0) {
        const char *w = c->word[c->hash_[h]];
        if (strlen(w) == n && same_word(w, word, (int)n)) return c->hash_[h];
        h = (h + 1) & (c->hash_cap_ - 1);
    }
    return -1;
}

int corpus_from_buffer(const char *buf, size_t n, int V, corpus **out, char *err, size_t errlen) {
    if (!out) {
        set_err(err, errlen, "corpus: out is NULL");
        return 1;
    }
    *out = NULL;
    if (V < 1) {
        set_err(err, errlen, "corpus: vocabulary size V = %d must be >= 1", V);
        return 1;
    }
    if (!buf && n > 0) {
        set_err(err, errlen, "corpus: NULL buffer of %zu bytes", n);
        return 1;
    }
    if (n == 0) {
        set_err(err, errlen, "corpus: the input is empty");
        return 1;
    }

    // Pass 1: count every type.  slot_of[k] is the table slot of the k-th token.
    type_table t = {0};
    size_t pos = 0, start = 0;
    long n_tokens = 0;
    int len;
    while ((len = next_token(buf, n, &pos, &start)) > 0) {
        long h = table_add(&t, buf, start, len);  // may move t.slot: index after the call
        if (h < 0) {
            free(t.slot);
            set_err(err, errlen, "corpus: out of memory at %ld distinct words", (long)t.used);
            return 1;
        }
        t.slot[h].count++;
        n_tokens++;
    }
    if (n_tokens == 0) {
        free(t.slot);
        set_err(err, errlen, "corpus: no token (no letter a-z or A-Z) in %zu bytes; is this a text file?", n);
        return 1;
    }

    // Rank the types: count descending, ties alphabetical; keep the top V.
    long n_types = (long)t.used, *order = sim_calloc((size_t)n_types, sizeof(long)), k = 0;
    corpus *c = sim_calloc(1, sizeof *c);
    int *id_of_slot = sim_alloc(t.cap, sizeof *id_of_slot);
    if (!order || !c || !id_of_slot) goto oom;
    for (size_t i = 0; i < t.cap; i++)
        if (t.slot[i].len) order[k++] = (long)i;
    rank_ctx ctx = {buf, t.slot};
    qsort_r(order, (size_t)n_types, sizeof *order, cmp_rank, &ctx);

    c->V = n_types < V ? (int)n_types : V;
    c->n_tokens = n_tokens;
    c->n_types = n_types;
    c->word = sim_calloc(c->V, sizeof(char *));
    c->count = sim_calloc(c->V, sizeof(long));
    if (!c->word || !c->count) goto oom;
    for (size_t i = 0; i < t.cap; i++) id_of_slot[i] = -1;
    for (int i = 0; i < c->V; i++) {
        type_slot *s = &t.slot[order[i]];
        if (!(c->word[i] = sim_calloc((size_t)s->len + 1, 1))) goto oom;
        for (int j = 0; j < s->len; j++) c->word[i][j] = lower((unsigned char)buf[s->off + j]);
        c->count[i] = s->count;
        id_of_slot[order[i]] = i;
        c->n_ids += s->count;
    }
    c->hash_cap_ = 16;
    while (c->hash_cap_ < 2 * (size_t)c->V) c->hash_cap_ *= 2;
    c->hash_ = sim_alloc(c->hash_cap_, sizeof *c->hash_);
    if (!c->hash_) goto oom;
    for (size_t i = 0; i < c->hash_cap_; i++) c->hash_[i] = -1;
    for (int i = 0; i < c->V; i++) {
        size_t h = hash_bytes(c->word[i], strlen(c->word[i])) & (c->hash_cap_ - 1);
        while (c->hash_[h] >= 0) h = (h + 1) & (c->hash_cap_ - 1);
        c->hash_[h] = i;
    }

    // Pass 2: the in-vocabulary stream.
    c->ids = sim_calloc((size_t)c->n_ids, sizeof(int));
    if (!c->ids) goto oom;
    long p = 0;
    pos = 0;
    while ((len = next_token(buf, n, &pos, &start)) > 0) {
        int id = id_of_slot[table_add(&t, buf, start, len)];
        if (id >= 0) c->ids[p++] = id;
    }
    free(id_of_slot);
    free(order);
    free(t.slot);
    if (p != c->n_ids) {  // cannot happen unless the buffer changed under us
        corpus_free(c);
        set_err(err, errlen, "corpus: internal count mismatch (%ld vs %ld)", p, c->n_ids);
        return 1;
    }
    *out = c;
    return 0;
oom:
    free(id_of_slot), free(order), free(t.slot);
    corpus_free(c);
    set_err(err, errlen, "corpus: out of memory building a vocabulary of %d words", V);
    return 1;
}

int corpus_from_file(const char *path, int V, corpus **out, char *err, size_t errlen) {
    if (!out) {
        set_err(err, errlen, "corpus: out is NULL");
        return 1;
    }
    *out = NULL;
    if (!path) {
        set_err(err, errlen, "corpus: no path");
        return 1;
    }
    size_t pl = strlen(path);
    int xz = pl > 3 && strcmp(path + pl - 3, ".xz") == 0;
    FILE *f;
    if (xz) {
        FILE *probe = fopen(path, "rb");
        if (!probe) {
            set_err(err, errlen, "corpus: cannot open %s: %s", path, strerror(errno));
            return 1;
        }
        fclose(probe);
        char cmd[4200];
        if (pl > 4000 || strchr(path, '\'')) {
            set_err(err, errlen, "corpus: unsupported path for xz: %s", path);
            return 1;
        }
        snprintf(cmd, sizeof cmd, "xz -dc '%s'", path);
        f = popen(cmd, "r");
    } else {
        f = fopen(path, "rb");
    }
    if (!f) {
        set_err(err, errlen, "corpus: cannot open %s: %s", path, strerror(errno));
        return 1;
    }
    size_t cap = 1 << 20, n = 0, got;
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
        if (xz) pclose(f);
        else fclose(f);
        set_err(err, errlen, "corpus: out of memory reading %s (%zu bytes so far)", path, n);
        return 1;
    }
    int ioerr = ferror(f);
    int rc = xz ? pclose(f) : fclose(f);
    if (ioerr || (xz && rc != 0)) {
        free(buf);
        set_err(err, errlen, "corpus: error reading %s%s", path,
                xz ? " (is xz installed? sudo apt-get install xz-utils)" : "");
        return 1;
    }
    int st = corpus_from_buffer(buf, n, V, out, err, errlen);
    if (st && err && errlen) {  // name the file in the message
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s: %s", path, err);
        snprintf(err, errlen, "%s", tmp);
    }
    free(buf);
    return st;
}

void corpus_free(corpus *c) {
    if (!c) return;
    for (int i = 0; c->word && i < c->V; i++) free(c->word[i]);
    free(c->word);
    free(c->count);
    free(c->ids);
    free(c->hash_);
    free(c);
}

double corpus_cooc_add(const int *ids, long n, int V, int L, double *C) {
    if (!ids || !C || V < 1 || L < 1 || n < 0) return -1;
    for (long p = 0; p < n; p++)
        if (ids[p] < 0 || ids[p] >= V) return -1;
    double total = 0;
    for (long p = 0; p < n; p++) {
        double *Ci = C + (size_t)ids[p] * V;
        int i = ids[p];
        long omax = n - 1 - p < L ? n - 1 - p : L;
        for (long o = 1; o <= omax; o++) {
            int j = ids[p + o];
            double w = (double)(L + 1 - o);
            Ci[j] += w;
            C[(size_t)j * V + i] += w;
            total += 2 * w;
        }
    }
    return total;
}
