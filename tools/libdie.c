// libdie: the shared library's replacements for common/util's fatal paths.
//
// libsimsuite is linked with -Wl,--wrap=die_at,--wrap=xmalloc_at,--wrap=xcalloc_at, so every
// DIE and every checked allocation inside common/ comes here instead.  Inside a call to a
// public ss_* function (common/api.c), the failure is turned into a status return carrying the
// message (ss__throw); outside one (nothing else is exported) it behaves as before.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "simsuite.h"

int ss__throw(int status, const char *msg);
void __real_die_at(const char *file, int line, const char *fmt, ...) __attribute__((noreturn));
void *__real_xmalloc_at(const char *file, int line, size_t n, size_t size);
void *__real_xcalloc_at(const char *file, int line, size_t n, size_t size);

__attribute__((noreturn)) void __wrap_die_at(const char *file, int line, const char *fmt, ...) {
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ss__throw(SS_EFAIL, msg);  // does not return inside a guarded call
    __real_die_at(file, line, "%s", msg);
}

static void *checked(void *p, size_t n, size_t size, const char *file, int line) {
    if (p) return p;
    char msg[200];
    snprintf(msg, sizeof msg, "out of memory allocating %zu x %zu bytes (%s:%d); try smaller sizes", n, size, file, line);
    ss__throw(SS_ENOMEM, msg);
    __real_die_at(file, line, "%s", msg);
}

void *__wrap_xmalloc_at(const char *file, int line, size_t n, size_t size) {
    if (n == 0 || size == 0) n = size = 1;
    if (n > (size_t)-1 / size) return checked(NULL, n, size, file, line);
    return checked(malloc(n * size), n, size, file, line);
}

void *__wrap_xcalloc_at(const char *file, int line, size_t n, size_t size) {
    if (n == 0 || size == 0) n = size = 1;
    return checked(calloc(n, size), n, size, file, line);
}
