// cli: one table-driven flag parser for every program.
//
// An experiment declares its parameters in one `struct params` with defaults, then a table of
// cli_opt rows pointing into it: name, type, bounds, help.  cli_parse handles the common flags
// of the program contract (--help --version --seed --out --quick --threads --mnist-dir --dataset), checks
// every number (decimal only: no hex, no surrounding spaces, no NaN/inf) and its range, and on
// any usage error prints ONE line to stderr naming the flag and its allowed range, then exits 2.
// Flags are matched by their full name only (no getopt-style abbreviations), and a value that
// starts with "--" is a forgotten value (`--out --quick`), a usage error.  Nothing is written
// before parsing succeeds.
//
// Paths: default data and output paths resolve from the repository (cli_repo_root), so a run
// from any directory reads the same data and writes its runs/ in the same place.  A CLI_STRING
// parameter whose default starts with "data/" is such a path and is resolved by cli_parse;
// paths the user types stay relative to the current directory.
//
// Lost output: cli_parse registers an exit handler that flushes and closes stdout and turns a
// write error (stdout closed, disk full) into exit status 1, since the CLAIM lines were lost.
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
typedef struct {
    int n;
    double v[CLI_LIST_MAX];
} cli_dlist;  // --n-list 8,16,32
typedef struct {
    int n;
    long v[CLI_LIST_MAX];
} cli_ilist;

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
    const char *name;  // long flag without the dashes
    cli_type type;
    void *dest;
    double min, max;  // inclusive bounds for numbers (and for list entries)
    const char *help;
    const char *choices;  // for CLI_CHOICE
    int given;            // set by cli_parse: the user typed this flag
} cli_opt;

typedef struct {
    const char *slug;     // experiment name; default --out is runs/<slug>-<date>-<time>/
    const char *summary;  // one paragraph for --help
    const char *claims;   // the claim ids this program checks, e.g. "krr.C1-C9"
    cli_opt *opts;        // table terminated by {0}
    // common flags, filled by cli_parse
    unsigned long seed;     // --seed (default 1)
    const char *out;        // --out DIR (default runs/<slug>-<date>-<time> in the repository)
    int quick;              // --quick
    int threads;            // --threads (OpenBLAS threads; default 1 for determinism)
    const char *mnist_dir;  // --mnist-dir (default: the --dataset's directory, see below)
    const char *dataset;    // --dataset mnist|fashion (default mnist): the MNIST-format data set;
                            // fashion's default directory is $FASHION_MNIST_DIR, else
                            // data/fashion-mnist in the repository; --mnist-dir wins when given
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
// The display name of the MNIST-format data set in c->mnist_dir: "MNIST" or "Fashion-MNIST"
// (recognised by the sha256 that `make data` recorded in <dir>/.verified; else from --dataset),
// for experiments' printed titles.
const char *cli_dataset_title(const cli *c);
// Write `# dataset: <name> (<dir>, sha256 of train-images <first 16 hex>)` when c->mnist_dir
// holds the IDX files (the hash from <dir>/.verified, or "unverified" without it); else nothing.
void cli_fprint_dataset(const cli *c, FILE *f);
// The repository root: $SIMON_SUITE_ROOT, else the nearest ancestor of the binary's directory
// holding experiments/ and common/cli.h (build/<slug> -> the checkout); NULL if none.
const char *cli_repo_root(void);
// A repository-relative path (e.g. "data/analogies/x.txt") as the program should open it: as
// given when the current directory is the root (or no root is known, or rel is absolute),
// else <root>/<rel> (allocated and owned by cli: never freed, it lives as long as the run).
const char *cli_repo_path(const char *rel);
// A usage error outside the parser (e.g. flags that conflict): one line, exit 2.
void cli_usage_error(const cli *c, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
#endif
