#include "idx.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned be32(const unsigned char *p) {
    return ((unsigned)p[0] << 24) | ((unsigned)p[1] << 16) | ((unsigned)p[2] << 8) | (unsigned)p[3];
}

int idx_parse(const unsigned char *buf, size_t len, unsigned expect_magic, unsigned dims[3], const unsigned char **data,
              char *err, size_t errlen) {
    unsigned ndim = expect_magic & 0xff;
    if (ndim < 1 || ndim > 3) {
        snprintf(err, errlen, "unsupported IDX dimension count %u", ndim);
        return -1;
    }
    if (len < 4) {
        snprintf(err, errlen, "file is %zu bytes, too short for an IDX header", len);
        return -1;
    }
    unsigned magic = be32(buf);
    if (magic != expect_magic) {
        snprintf(err, errlen, "wrong magic number 0x%08x (expected 0x%08x): not an IDX %s file", magic, expect_magic,
                 ndim == 3 ? "image" : "label");
        return -1;
    }
    size_t header = 4 + 4 * (size_t)ndim;
    if (len < header) {
        snprintf(err, errlen, "file is %zu bytes, header needs %zu", len, header);
        return -1;
    }
    unsigned long long total = 1;
    for (unsigned i = 0; i < ndim; i++) {
        dims[i] = be32(buf + 4 + 4 * i);
        if (dims[i] == 0 || dims[i] > 100000000u) {
            snprintf(err, errlen, "dimension %u is %u", i, dims[i]);
            return -1;
        }
        total *= dims[i];
        if (total > (1ull << 34)) {
            snprintf(err, errlen, "dimensions too large");
            return -1;
        }
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
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
        fclose(f);
        snprintf(err, errlen, "%s is not a regular file", path);
        return -1;
    }
    *len = (size_t)st.st_size;
    *buf = malloc(*len ? *len : 1);
    if (!*buf) {
        fclose(f);
        snprintf(err, errlen, "out of memory reading %s (%zu bytes)", path, *len);
        return -1;
    }
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
