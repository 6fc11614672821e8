// util: fail-fast helpers shared by every program (llm.c style).
//
// A runtime failure (I/O, a non-finite number, a solver that did not converge) prints
// `file:line: what happened` and a hint on how to fix it, then exits with status 1.
// A usage error (bad flag) exits with status 2; that lives in cli.h.
#ifndef SIM_UTIL_H
#define SIM_UTIL_H
#include <stddef.h>
#include <stdio.h>
#include "status.h"

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

// die_at: print "file:line: message" (printf-style) and exit 1.  Temporary output files that
// are still open are removed first (see tsv.h), so a failed run never leaves a half table.
void die_at(const char *file, int line, const char *fmt, ...) __attribute__((noreturn, format(printf, 3, 4)));
#define DIE(...) die_at(__FILE__, __LINE__, __VA_ARGS__)

// The program side of status.h: p itself, or DIE with the library's recorded reason when p is
// NULL, e.g. `nn *net = MUST(nn_alloc(L, n, NN_RELU, 0, N));`.  For an int status write
// `if (krr_solve(...)) DIE("krr_solve: %s", sim_last_error());`.
#define MUST(p) must_at(__FILE__, __LINE__, (p))
void *must_at(const char *file, int line, void *p);

// Checked allocation (programs only; the library uses sim_alloc): DIE on failure.  Sizes are element counts times element size.
void *xmalloc_at(const char *file, int line, size_t n, size_t size);
void *xcalloc_at(const char *file, int line, size_t n, size_t size);
#define xmalloc(n, size) xmalloc_at(__FILE__, __LINE__, (n), (size))
#define xcalloc(n, size) xcalloc_at(__FILE__, __LINE__, (n), (size))
#define XNEW(T, n) ((T *)xcalloc_at(__FILE__, __LINE__, (size_t)(n), sizeof(T)))

FILE *xfopen_at(const char *file, int line, const char *path, const char *mode, const char *hint);
#define xfopen(path, mode, hint) xfopen_at(__FILE__, __LINE__, (path), (mode), (hint))

// REQUIRE_FINITE(x, what, hint): DIE unless x is finite.  Every quantity that is written as a
// result passes through here or through the TSV writer's own check.
#define REQUIRE_FINITE(x, what, hint)                                                                                  \
    do {                                                                                                               \
        double req_v_ = (x);                                                                                           \
        if (!(req_v_ - req_v_ == 0.0))                                                                                 \
            die_at(__FILE__, __LINE__, "%s is not finite (%g); %s", (what), req_v_, (hint));                           \
    } while (0)

// Register a cleanup callback run by die_at before exiting (at most 8).
void util_on_die(void (*fn)(void));

// Wall-clock seconds (monotonic), for progress and timing lines on stderr only.
double util_now(void);

// 1 if all n entries are finite.  (Means, medians and fits are in fit.h.)
int util_all_finite(const double *x, size_t n);
#endif
