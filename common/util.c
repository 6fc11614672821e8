#include "util.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void (*die_hooks[8])(void);
static int n_die_hooks;

void util_on_die(void (*fn)(void)) {
    if (n_die_hooks < 8) die_hooks[n_die_hooks++] = fn;
}

void die_at(const char *file, int line, const char *fmt, ...) {
    fflush(stdout);
    fprintf(stderr, "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    for (int i = n_die_hooks - 1; i >= 0; i--) die_hooks[i]();
    exit(EXIT_RUNTIME);
}

void *xmalloc_at(const char *file, int line, size_t n, size_t size) {
    if (n == 0 || size == 0) n = size = 1;
    if (n > (size_t)-1 / size) die_at(file, line, "allocation of %zu x %zu bytes overflows", n, size);
    void *p = malloc(n * size);
    if (!p) die_at(file, line, "out of memory allocating %zu bytes; try smaller sizes", n * size);
    return p;
}

void *xcalloc_at(const char *file, int line, size_t n, size_t size) {
    if (n == 0 || size == 0) n = size = 1;
    void *p = calloc(n, size);
    if (!p) die_at(file, line, "out of memory allocating %zu x %zu bytes; try smaller sizes", n, size);
    return p;
}

FILE *xfopen_at(const char *file, int line, const char *path, const char *mode, const char *hint) {
    FILE *f = fopen(path, mode);
    if (!f) die_at(file, line, "cannot open %s: %s%s%s", path, strerror(errno), hint ? "; " : "", hint ? hint : "");
    return f;
}

double util_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

void *must_at(const char *file, int line, void *p) {
    if (!p) die_at(file, line, "%s", *sim_last_error() ? sim_last_error() : "a library call failed");
    return p;
}

int util_all_finite(const double *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}
