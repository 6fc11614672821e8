// idx: the IDX file format of MNIST (LeCun et al.), read with every check a corrupt or
// truncated file needs: magic number, dimensions, and a file length that agrees with them.
//
// mnist_load reads one split into doubles scaled to [0,1] (x/255), row-major (n, 784), and the
// labels.  The directory is --mnist-dir, else $MNIST_DIR, else data/mnist (cli.h fills it).
// A missing file is a runtime error whose message names `make data`; a malformed one names the
// file and what is wrong.  Preprocessing (standardisation, centring, ...) is per experiment.
#ifndef SIM_IDX_H
#define SIM_IDX_H
#include <stddef.h>

typedef struct {
    int n, rows, cols, d;  // d = rows * cols
    double *x;             // (n, d), pixel / 255
    unsigned char *y;      // (n), labels 0..9
} mnist_set;

// Parse an IDX buffer (the whole file's bytes).  Returns 0, or -1 with a message in err.
// expect_magic is 0x803 (images, 3 dims) or 0x801 (labels, 1 dim).  On success *dims holds
// the dimensions (up to 3) and *data points into buf past the header.
int idx_parse(const unsigned char *buf, size_t len, unsigned expect_magic, unsigned dims[3],
              const unsigned char **data, char *err, size_t errlen);
// Read a whole file; returns 0, or -1 with a message (missing file, I/O error).
int idx_read_file(const char *path, unsigned char **buf, size_t *len, char *err, size_t errlen);
// 1 if all four MNIST files exist in dir (for claims that are skipped without data).
int mnist_available(const char *dir);
// Load train (train=1, 60000) or test (10000).  DIEs with a clear message on any problem.
void mnist_load(const char *dir, int train, mnist_set *out);
// Only the listed rows of a split (indices into the 60000 or 10000 images, any order, repeats
// allowed), converted in that order: out->n = n, out->x (n, 784), out->y (n).  The files are
// still validated completely.  DIEs like mnist_load.
void mnist_load_rows(const char *dir, int train, const size_t *rows, int n, mnist_set *out);
// Like mnist_load, but returns -1 with a message instead of exiting (fuzzing, tests).
int mnist_load_checked(const char *dir, int train, mnist_set *out, char *err, size_t errlen);
void mnist_free(mnist_set *s);
#endif
