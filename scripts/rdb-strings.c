// rdb-strings: print every string of every character vector in an R lazy-load database
// (.rdb), one per line, in file order.  Used by scripts/fetch-corpora.sh to read the novels of
// Debian's r-cran-janeaustenr without installing R.
//
// Format: the .rdb is a sequence of objects; each is a 4-byte big-endian uncompressed length
// followed by one zlib stream holding an R XDR serialisation ("X\n", version, R versions, and
// for version 3 the native encoding).  An object we accept is a STRSXP (type 16) possibly
// carrying attributes: int flags, int length, then per element a CHARSXP (type 9) with int
// flags, int length (-1 = NA), bytes.  Anything else is an error: this reader is for this file.
//   cc -O2 rdb-strings.c -o rdb-strings -lz && ./rdb-strings Rdata.rdb > austen.txt
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static unsigned char *buf;  // one decompressed object
static size_t len, pos;

static int get_int(int32_t *v) {
    if (pos + 4 > len) return -1;
    *v =
        (int32_t)((uint32_t)buf[pos] << 24 | (uint32_t)buf[pos + 1] << 16 | (uint32_t)buf[pos + 2] << 8 | buf[pos + 3]);
    pos += 4;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: rdb-strings FILE.rdb\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *in = malloc((size_t)n);
    if (!in || fread(in, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "rdb-strings: read failed\n");
        return 1;
    }
    fclose(f);
    long off = 0;
    int nobj = 0;
    while (off + 4 <= n) {
        uLongf ulen = (uLongf)in[off] << 24 | (uLongf)in[off + 1] << 16 | (uLongf)in[off + 2] << 8 | in[off + 3];
        buf = malloc(ulen + 1);
        z_stream z = {0};
        z.next_in = in + off + 4;
        z.avail_in = (uInt)(n - off - 4);
        z.next_out = buf;
        z.avail_out = (uInt)ulen;
        if (!buf || inflateInit(&z) != Z_OK || inflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out != ulen) {
            fprintf(stderr, "rdb-strings: object %d at byte %ld is not a zlib stream of %lu bytes\n", nobj, off,
                    (unsigned long)ulen);
            return 1;
        }
        off += 4 + (long)z.total_in;
        inflateEnd(&z);
        len = ulen;
        pos = 2;
        int32_t ver, t, flags, m, k;
        if (len < 2 || memcmp(buf, "X\n", 2) || get_int(&ver) || get_int(&t) || get_int(&t)) goto bad;
        if (ver == 3) {
            if (get_int(&k) || k < 0 || pos + (size_t)k > len) goto bad;
            pos += (size_t)k;
        }
        if (get_int(&flags) || (flags & 0xff) != 16 || get_int(&m) || m < 0) goto bad;
        for (int32_t i = 0; i < m; i++) {
            if (get_int(&flags) || (flags & 0xff) != 9 || get_int(&k)) goto bad;
            if (k < 0) {
                putchar('\n');
                continue;
            }
            if (pos + (size_t)k > len) goto bad;
            fwrite(buf + pos, 1, (size_t)k, stdout);
            putchar('\n');
            pos += (size_t)k;
        }
        fprintf(stderr, "rdb-strings: object %d: %d strings\n", nobj, m);
        free(buf);
        nobj++;
        continue;
    bad:
        fprintf(stderr, "rdb-strings: object %d is not a plain character vector\n", nobj);
        return 1;
    }
    return 0;
}
