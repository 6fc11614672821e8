// status: the one error model of common/.
//
// A function of the library never prints and never exits; only programs do (DIE, util.h).
// When it can fail it says so in its return value:
//   * int functions return 0 on success and non-zero on failure (-1, a module's own code such
//     as EF_ENOROOT, or LAPACK's info where a LAPACK routine failed);
//   * functions that return a pointer return NULL on failure;
//   * functions that return a number return NAN outside their domain, as libm does.
// The reason is recorded with sim_fail for the calling thread, like errno and dlerror, and the
// program prints it:   if (krr_solve(...)) DIE("%s", sim_last_error());
// Parsers and file readers whose messages are meant for a user (kernel_spec_parse, idx, mnist,
// corpus, analogy) take the caller's buffer (char *err, size_t errlen) instead.
//
// Memory: sim_alloc / sim_calloc are malloc / calloc that record "out of memory" on failure and
// return NULL; the library checks every allocation and unwinds.  (xmalloc in util.h, which
// exits, is for programs.)
#ifndef SIM_STATUS_H
#define SIM_STATUS_H
#include <stddef.h>

// Record a message (printf-style) for this thread and return status, so a failing path reads
// `return sim_fail(-1, "la_eigh_top: k = %d must be in [1, %d]", k, n);`.
int sim_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// The last message recorded on this thread ("" if none).  Valid until the next sim_fail.
const char *sim_last_error(void);
void sim_clear_error(void);
// n * size bytes (overflow-checked), or NULL with "out of memory allocating ..." recorded.
void *sim_alloc(size_t n, size_t size);
void *sim_calloc(size_t n, size_t size);
#endif
