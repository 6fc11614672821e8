// mnist: see mnist.h.
#include "mnist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "idx.h"

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
        snprintf(err, errlen,
                 "MNIST not found (%s); run `make data`, or point --mnist-dir / MNIST_DIR at the IDX files", e);
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
        out->x = malloc((size_t)out->n * out->d * sizeof *out->x);
        out->y = malloc((size_t)out->n > 0 ? (size_t)out->n : 1);
        if (!out->x || !out->y) {
            snprintf(err, errlen, "MNIST: out of memory for %d images (%.0f MB)", out->n, out->n * 784 * 8e-6);
            mnist_free(out);
            free(bi);
            free(bl);
            return -1;
        }
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

int mnist_load(const char *dir, int train, mnist_set *out, char *err, size_t errlen) {
    return load_core(dir, train, NULL, 0, out, err, errlen);
}

int mnist_load_rows(const char *dir, int train, const size_t *rows, int n, mnist_set *out, char *err, size_t errlen) {
    if (n < 0 || (n > 0 && !rows)) {
        memset(out, 0, sizeof *out);
        snprintf(err, errlen, "mnist_load_rows: bad row list (n = %d)", n);
        return -1;
    }
    return load_core(dir, train, rows, n, out, err, errlen);
}

void mnist_free(mnist_set *s) {
    free(s->x);
    free(s->y);
    memset(s, 0, sizeof *s);
}
