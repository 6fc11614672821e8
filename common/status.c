// status: see status.h.
#include "status.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static _Thread_local char last[1024];

int sim_fail(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last, sizeof last, fmt, ap);
    va_end(ap);
    return status;
}

const char *sim_last_error(void) { return last; }

void sim_clear_error(void) { last[0] = 0; }

void *sim_alloc(size_t n, size_t size) {
    if (n == 0 || size == 0) n = size = 1;
    void *p = n > SIZE_MAX / size ? NULL : malloc(n * size);
    if (!p) sim_fail(-1, "out of memory allocating %zu x %zu bytes; try smaller sizes", n, size);
    return p;
}

void *sim_calloc(size_t n, size_t size) {
    if (n == 0 || size == 0) n = size = 1;
    void *p = calloc(n, size);
    if (!p) sim_fail(-1, "out of memory allocating %zu x %zu bytes; try smaller sizes", n, size);
    return p;
}
