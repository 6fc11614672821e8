#include "idx.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util.h"

static unsigned be32(const unsigned char *p) {
    return ((unsigned)p[0] << 24) | ((unsigned)p[1] << 16) | ((unsigned)p[2] << 8) | (unsigned)p[3];
}

int idx_parse(const unsigned char *buf, size_t len, unsigned expect_magic, unsigned dims[3],
              const unsigned char **data, char *err, size_t errlen) {
    unsigned ndim = expect_magic & 0xff;
    if (ndim < 1 || ndim > 3) { snprintf(err, errlen, "unsupported IDX dimension count %u", ndim); return -1; }
    if (len < 4) { snprintf(err, errlen, "file is %zu bytes, too short for an IDX header", len); return -1; }
    unsigned magic = be32(buf);
    if (magic != expect_magic) {
        snprintf(err, errlen, "wrong magic number 0x%08x (expected 0x%08x): not an IDX %s file", magic, expect_magic,
                 ndim == 3 ? "image" : "label");
        return -1;
    }
    size_t header = 4 + 4 * (size_t)ndim;
    if (len < header) { snprintf(err, errlen, "file is %zu bytes, header needs %zu", len, header); return -1; }
    unsigned long long total = 1;
    for (unsigned i = 0; i < ndim; i++) {
        dims[i] = be32(buf + 4 + 4 * i);
        if (dims[i] == 0 || dims[i] > 100000000u) { snprintf(err, errlen, "dimension %u is %u", i, dims[i]); return -1; }
        total *= dims[i];
        if (total > (1ull << 34)) { snprintf(err, errlen, "dimensions too large"); return -1; }
    }
    for (unsigned i = ndim; i < 3; i++) dims[i] = 1;
    if (len - header != total) {
        snprintf(err, errlen, "file holds %zu data bytes but its header declares %llu (truncated or corrupt)",
                 len - header, total);
        return -1;
    }
    *data = buf + header;
    return 0;
}

int idx_read_file(const char *path, unsigned char **buf, size_t *len, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno)); return -1; }
    struct stat st;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
        fclose(f);
        snprintf(err, errlen, "%s is not a regular file", path);
        return -1;
    }
    *len = (size_t)st.st_size;
    *buf = xmalloc(*len ? *len : 1, 1);
    size_t got = fread(*buf, 1, *len, f);
    fclose(f);
    if (got != *len) {
        free(*buf);
        *buf = NULL;
        snprintf(err, errlen, "short read on %s", path);
        return -1;
    }
    return 0;
}

static const char *IMG[2] = {"t10k-images-idx3-ubyte", "train-images-idx3-ubyte"};
static const char *LAB[2] = {"t10k-labels-idx1-ubyte", "train-labels-idx1-ubyte"};

int mnist_available(const char *dir) {
    char p[4096];
    for (int t = 0; t < 2; t++) {
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, IMG[t]);
        if (stat(p, &st)) return 0;
        snprintf(p, sizeof p, "%s/%s", dir, LAB[t]);
        if (stat(p, &st)) return 0;
    }
    return 1;
}

// The core of every loader: validates both files completely, then converts either every image
// (rows == NULL) or only the listed rows, in the order given (first-touching 376 MB of doubles
// for all 60000 images costs ~1.5 s here; a run that uses a few thousand images need not pay it).
static int load_core(const char *dir, int train, const size_t *rows, int nrows, mnist_set *out, char *err,
                     size_t errlen) {
    memset(out, 0, sizeof *out);
    char pi[4096], pl[4096], e[512];
    snprintf(pi, sizeof pi, "%s/%s", dir, IMG[train ? 1 : 0]);
    snprintf(pl, sizeof pl, "%s/%s", dir, LAB[train ? 1 : 0]);
    unsigned char *bi = NULL, *bl = NULL;
    size_t li, ll;
    if (idx_read_file(pi, &bi, &li, e, sizeof e) || idx_read_file(pl, &bl, &ll, e, sizeof e)) {
        snprintf(err, errlen, "MNIST not found (%s); run `make data`, or point --mnist-dir / MNIST_DIR at the IDX files", e);
        free(bi);
        return -1;
    }
    unsigned di[3], dl[3];
    const unsigned char *xi, *xl;
    int expect_n = train ? 60000 : 10000;
    if (idx_parse(bi, li, 0x803, di, &xi, e, sizeof e)) {
        snprintf(err, errlen, "%s: %s; delete it and run `make data`", pi, e);
    } else if (idx_parse(bl, ll, 0x801, dl, &xl, e, sizeof e)) {
        snprintf(err, errlen, "%s: %s; delete it and run `make data`", pl, e);
    } else if (di[0] != (unsigned)expect_n || dl[0] != (unsigned)expect_n || di[1] != 28 || di[2] != 28) {
        snprintf(err, errlen, "%s: expected %d images of 28x28 and as many labels, found %u of %ux%u and %u labels", pi,
                 expect_n, di[0], di[1], di[2], dl[0]);
    } else {
        for (int i = 0; i < expect_n; i++)
            if (xl[i] > 9) {
                snprintf(err, errlen, "%s: label %u at index %d is not a digit", pl, xl[i], i);
                free(bi);
                free(bl);
                return -1;
            }
        for (int k = 0; rows && k < nrows; k++)
            if (rows[k] >= (size_t)expect_n) {
                snprintf(err, errlen, "mnist_load_rows: row %zu of a split of %d images", rows[k], expect_n);
                free(bi);
                free(bl);
                return -1;
            }
        out->n = rows ? nrows : expect_n;
        out->rows = 28;
        out->cols = 28;
        out->d = 784;
        out->x = xmalloc((size_t)out->n * out->d, sizeof *out->x);
        out->y = xmalloc((size_t)out->n, 1);
        double scale[256];  // v/255, the same correctly rounded division for every pixel
        for (int v = 0; v < 256; v++) scale[v] = v / 255.0;
        for (int k = 0; k < out->n; k++) {
            size_t r = rows ? rows[k] : (size_t)k;
            const unsigned char *px = xi + r * 784;
            double *dst = out->x + (size_t)k * 784;
            for (int j = 0; j < 784; j++) dst[j] = scale[px[j]];
            out->y[k] = xl[r];
        }
        free(bi);
        free(bl);
        return 0;
    }
    free(bi);
    free(bl);
    return -1;
}

int mnist_load_checked(const char *dir, int train, mnist_set *out, char *err, size_t errlen) {
    return load_core(dir, train, NULL, 0, out, err, errlen);
}

void mnist_load_rows(const char *dir, int train, const size_t *rows, int n, mnist_set *out) {
    char err[1024];
    if (n < 0 || (n > 0 && !rows)) DIE("mnist_load_rows: bad row list (n = %d)", n);
    if (load_core(dir, train, rows, n, out, err, sizeof err)) DIE("%s", err);
}

void mnist_load(const char *dir, int train, mnist_set *out) {
    char err[1024];
    if (mnist_load_checked(dir, train, out, err, sizeof err)) DIE("%s", err);
}

void mnist_free(mnist_set *s) {
    free(s->x);
    free(s->y);
    memset(s, 0, sizeof *s);
}
