// cli: one table-driven flag parser for every program (a thin layer over getopt_long).
//
// An experiment declares its parameters in one `struct params` with defaults, then a table of
// cli_opt rows pointing into it: name, type, bounds, help.  cli_parse handles the common flags
// of the program contract (--help --version --seed --out --quick --threads --mnist-dir), checks
// every number with strtod/strtol and an end pointer, rejects NaN/inf and out-of-range values,
// and on any usage error prints ONE line to stderr naming the flag and its allowed range, then
// exits 2.  Nothing is written before parsing succeeds.
//
//   static cli_opt opts[] = {
//       {"ridge", CLI_DOUBLE, &p.ridge, 0, INFINITY, "absolute ridge delta"},
//       {"kernel", CLI_CHOICE, &p.kernel, .choices = "laplace|gaussian|ntk", .help = "..."},
//       {0}};
//   cli c = {.slug = "krr-curves", .summary = "...", .opts = opts};
//   cli_parse(&c, argc, argv);
#ifndef SIM_CLI_H
#define SIM_CLI_H
#include <stdio.h>

#define CLI_LIST_MAX 64
typedef struct { int n; double v[CLI_LIST_MAX]; } cli_dlist;  // --n-list 8,16,32
typedef struct { int n; long v[CLI_LIST_MAX]; } cli_ilist;

typedef enum {
    CLI_INT,     // int *dest
    CLI_LONG,    // long *dest
    CLI_DOUBLE,  // double *dest
    CLI_STRING,  // const char **dest (points into argv)
    CLI_CHOICE,  // const char **dest, value must be one of `choices` ("a|b|c")
    CLI_FLAG,    // int *dest set to 1; takes no value
    CLI_ILIST,   // cli_ilist *dest, comma-separated integers, each in [min, max]
    CLI_DLIST    // cli_dlist *dest, comma-separated reals, each in [min, max]
} cli_type;

typedef struct {
    const char *name;     // long flag without the dashes
    cli_type type;
    void *dest;
    double min, max;      // inclusive bounds for numbers (and for list entries)
    const char *help;
    const char *choices;  // for CLI_CHOICE
    int given;            // set by cli_parse: the user typed this flag
} cli_opt;

typedef struct {
    const char *slug;      // experiment name; default --out is runs/<slug>-<date>-<time>/
    const char *summary;   // one paragraph for --help
    const char *claims;    // the claim ids this program checks, e.g. "krr.C1-C9"
    cli_opt *opts;         // table terminated by {0}
    // common flags, filled by cli_parse
    unsigned long seed;    // --seed (default 1)
    const char *out;       // --out DIR
    int quick;             // --quick
    int threads;           // --threads (OpenBLAS threads; default 1 for determinism)
    const char *mnist_dir; // --mnist-dir (default $MNIST_DIR or data/mnist)
    int argc;
    char **argv;
} cli;

void cli_parse(cli *c, int argc, char **argv);
// Did the user type flag `name` (a program-specific or common flag)?
int cli_given(const cli *c, const char *name);
// Any of the program-specific flags given?  (Experiments that run "the one series the user
// asked for" when part flags are present use this.)
int cli_any_given(const cli *c);
// Write `# name = value` for every parameter (current values) and the common flags.
void cli_fprint_params(const cli *c, FILE *f);
// A usage error outside the parser (e.g. flags that conflict): one line, exit 2.
void cli_usage_error(const cli *c, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
#endif
