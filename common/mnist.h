// mnist: the MNIST-format data sets (MNIST, Fashion-MNIST) as doubles, on top of the IDX reader.
//
// mnist_load reads one split into doubles scaled to [0,1] (x/255), row-major (n, 784), and the
// labels.  The directory is --mnist-dir, else $MNIST_DIR, else data/mnist (cli.h fills it).
// Like every module in common/, the loaders return a status: 0, or -1 with a message in err that
// the program prints before it exits (a missing file names `make data`; a malformed one names
// the file and what is wrong).  Preprocessing (standardisation, centring, ...) is per experiment.
#ifndef SIM_MNIST_H
#define SIM_MNIST_H
#include <stddef.h>

typedef struct {
    int n, rows, cols, d;  // d = rows * cols
    double *x;             // (n, d), pixel / 255
    unsigned char *y;      // (n), labels 0..9
} mnist_set;

// 1 if all four MNIST files exist in dir (for claims that are skipped without data).
int mnist_available(const char *dir);
// Load train (train=1, 60000) or test (10000).  Returns 0, or -1 with a message in err.
int mnist_load(const char *dir, int train, mnist_set *out, char *err, size_t errlen);
// Only the listed rows of a split (indices into the 60000 or 10000 images, any order, repeats
// allowed), converted in that order: out->n = n, out->x (n, 784), out->y (n).  The files are
// still validated completely.  Returns 0, or -1 with a message in err.
int mnist_load_rows(const char *dir, int train, const size_t *rows, int n, mnist_set *out, char *err, size_t errlen);
void mnist_free(mnist_set *s);
#endif
