#include "progress.h"
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "util.h"

static double last;
static int tty = -1;

static void emit(int final, const char *fmt, va_list ap) {
    if (tty < 0) tty = isatty(fileno(stderr));
    double now = util_now();
    if (!final && now - last < (tty ? 0.2 : 2.0)) return;
    last = now;
    if (tty) fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    if (!tty || final) fputc('\n', stderr);
    fflush(stderr);
}

void progress(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    emit(0, fmt, ap);
    va_end(ap);
}

void progress_done(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    emit(1, fmt, ap);
    va_end(ap);
}
