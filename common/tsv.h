// tsv: the result tables every experiment writes, atomically, with their provenance.
//
// Layout: `#` header lines (experiment, claim ids, the command line,
// every parameter, seed, library versions, BLAS binding and threads, then the program's own
// notes), ONE line of tab-separated ASCII column names, then the rows.
//
// Atomicity: rows go to `<name>.tmp.<pid>` in the output directory; tsv_close flushes, fsyncs
// and renames it over `<name>`.  A run that dies (DIE, a signal, kill -9) leaves the previous
// table intact.  DIE, SIGINT, SIGTERM and SIGHUP remove the temporaries of tables still open;
// only kill -9 can leave a *.tsv.tmp.<pid> file (git-ignored), which no reader mistakes for a
// result.
//
// Non-finite guard: every row is scanned; a field that reads nan or inf aborts the run with
// a message naming the table and column, unless the table was opened with
// tsv_allow_nonfinite (for quantities that are legitimately infinite, e.g. E0 at k = n).
#ifndef SIM_TSV_H
#define SIM_TSV_H
#include "cli.h"

typedef struct tsv tsv;

// Creates the output directory if needed (like mkdir -p).  `claims` lists the claim ids the
// table supports ("krr.C3 krr.C4").  DIEs with a hint on failure.
tsv *tsv_open(const cli *c, const char *name, const char *claims);
void tsv_allow_nonfinite(tsv *t, int allow);
// What the non-finite guard's message tells the user to try, naming this program's own flags
// ("try a larger --ridge"); without it the message points at --help.
void tsv_nonfinite_hint(tsv *t, const char *hint);
// An extra header line: tsv_note(t, "spectrum sum m*lambda = %.10g", s) -> "# spectrum ...".
void tsv_note(tsv *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// The column names, tab-separated in one string: "n\ttarget\tL_theory".  Call once, after notes.
void tsv_columns(tsv *t, const char *names);
// One row, printf-style; the format must produce exactly the declared number of fields and
// must not include the trailing newline.  Use %.10g (or %.17g for exact round trips).
void tsv_row(tsv *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// Flush, fsync, rename into place.  Frees t.
void tsv_close(tsv *t);

// mkdir -p; returns 0 on success.
int tsv_mkdirs(const char *path);
#endif
