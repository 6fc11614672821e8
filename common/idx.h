// idx: the IDX file format of MNIST (LeCun et al.), read with every check a corrupt or
// truncated file needs: magic number, dimensions, and a file length that agrees with them.
// The data set itself (file names, splits, scaling) is mnist.h.
#ifndef SIM_IDX_H
#define SIM_IDX_H
#include <stddef.h>

// Parse an IDX buffer (the whole file's bytes).  Returns 0, or -1 with a message in err.
// expect_magic is 0x803 (images, 3 dims) or 0x801 (labels, 1 dim).  On success *dims holds
// the dimensions (up to 3) and *data points into buf past the header.
int idx_parse(const unsigned char *buf, size_t len, unsigned expect_magic, unsigned dims[3], const unsigned char **data,
              char *err, size_t errlen);
// Read a whole file; returns 0, or -1 with a message (missing file, I/O error).
int idx_read_file(const char *path, unsigned char **buf, size_t *len, char *err, size_t errlen);
#endif
