#include "cli.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "blasinfo.h"
#include "kernel.h"
#include "mnist.h"
#include "nn.h"
#include "util.h"

#ifndef SUITE_VERSION
#define SUITE_VERSION "0.1"
#endif

void cli_usage_error(const cli *c, const char *fmt, ...) {
    fprintf(stderr, "%s: ", c->slug);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see %s --help)\n", c->slug);
    exit(EXIT_USAGE);
}

// A number is written in decimal: [+-]digits[.digits][e[+-]digits] (or .5).  strtod alone would
// also take " 5", "0x10", "inf" and "nan": a hex prefix or a stray space is a typo, not a number.
static int decimal_syntax(const char *s) {
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    int digits = 0;
    while (*p >= '0' && *p <= '9') p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') p++, digits++;
    }
    if (!digits) return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return 0;
        while (*p >= '0' && *p <= '9') p++;
    }
    return *p == '\0';
}

static int parse_double(const char *s, double *v) {
    if (!decimal_syntax(s)) return 0;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return !(end == s || *end != '\0' || errno == ERANGE || !isfinite(*v));
}

static int parse_long(const char *s, long *v) {
    if (!decimal_syntax(s)) return 0;
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE) {
        // accept integral reals written like 1e4
        double d;
        if (!parse_double(s, &d) || d != floor(d) || fabs(d) > 9e15) return 0;
        *v = (long)d;
    }
    return 1;
}

// The shortest %g form that reads back as the same double: 0.7 prints as 0.7, not as
// 0.69999999999999996, and every value still round-trips exactly.
static void fmt_double(char *buf, size_t len, double v) {
    if (v == floor(v) && fabs(v) < 1e16) {  // integers as integers: 100, not 1e+02
        snprintf(buf, len, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}
static void range_text(const cli_opt *o, char *buf, size_t len) {
    char lo[40], hi[40];
    fmt_double(lo, sizeof lo, o->min);
    fmt_double(hi, sizeof hi, o->max);
    if (isinf(o->min) && isinf(o->max)) snprintf(buf, len, "any finite number");
    else if (isinf(o->max)) snprintf(buf, len, ">= %s", lo);
    else if (isinf(o->min)) snprintf(buf, len, "<= %s", hi);
    else snprintf(buf, len, "in [%s, %s]", lo, hi);
}

static void set_value(cli *c, cli_opt *o, const char *arg) {
    char rng[64];
    range_text(o, rng, sizeof rng);
    const char *nm = o->name;
    switch (o->type) {
    case CLI_INT:
    case CLI_LONG: {
        long v;
        if (!parse_long(arg, &v)) cli_usage_error(c, "--%s expects an integer %s, got '%s'", nm, rng, arg);
        if (v < o->min || v > o->max) cli_usage_error(c, "--%s must be %s, got %ld", nm, rng, v);
        if (o->type == CLI_INT) *(int *)o->dest = (int)v;
        else *(long *)o->dest = v;
        break;
    }
    case CLI_DOUBLE: {
        double v;
        if (!parse_double(arg, &v)) cli_usage_error(c, "--%s expects a finite number %s, got '%s'", nm, rng, arg);
        if (v < o->min || v > o->max) cli_usage_error(c, "--%s must be %s, got %s", nm, rng, arg);
        *(double *)o->dest = v;
        break;
    }
    case CLI_STRING:
        if (!*arg) cli_usage_error(c, "--%s expects a non-empty value", nm);
        *(const char **)o->dest = arg;
        break;
    case CLI_CHOICE: {
        size_t n = strlen(arg);
        const char *p = o->choices;
        int ok = 0;
        while (p && *p) {
            const char *bar = strchr(p, '|');
            size_t len = bar ? (size_t)(bar - p) : strlen(p);
            if (len == n && strncmp(p, arg, n) == 0) ok = 1;
            p = bar ? bar + 1 : NULL;
        }
        if (!ok) cli_usage_error(c, "--%s must be one of %s, got '%s'", nm, o->choices, arg);
        *(const char **)o->dest = arg;
        break;
    }
    case CLI_FLAG: *(int *)o->dest = 1; break;
    case CLI_ILIST:
    case CLI_DLIST: {
        char buf[4096];
        if (strlen(arg) >= sizeof buf) cli_usage_error(c, "--%s: list too long", nm);
        strcpy(buf, arg);
        size_t len = strlen(buf);
        // strtok would skip empty entries silently: "8,,32" or "8," is a typo, not a list
        if (len && (buf[0] == ',' || buf[len - 1] == ',' || strstr(buf, ",,")))
            cli_usage_error(c, "--%s: empty entry in the comma-separated list '%s'", nm, arg);
        int n = 0;
        for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            if (n >= CLI_LIST_MAX) cli_usage_error(c, "--%s: at most %d entries", nm, CLI_LIST_MAX);
            if (o->type == CLI_ILIST) {
                long v;
                if (!parse_long(tok, &v))
                    cli_usage_error(c, "--%s expects comma-separated integers %s, got '%s'", nm, rng, tok);
                if (v < o->min || v > o->max) cli_usage_error(c, "--%s entries must be %s, got %ld", nm, rng, v);
                ((cli_ilist *)o->dest)->v[n++] = v;
            } else {
                double v;
                if (!parse_double(tok, &v))
                    cli_usage_error(c, "--%s expects comma-separated finite numbers %s, got '%s'", nm, rng, tok);
                if (v < o->min || v > o->max) cli_usage_error(c, "--%s entries must be %s, got %s", nm, rng, tok);
                ((cli_dlist *)o->dest)->v[n++] = v;
            }
        }
        if (n == 0) cli_usage_error(c, "--%s expects a non-empty comma-separated list", nm);
        if (o->type == CLI_ILIST) ((cli_ilist *)o->dest)->n = n;
        else ((cli_dlist *)o->dest)->n = n;
        break;
    }
    }
    o->given = 1;
}

static void fprint_value(FILE *f, const cli_opt *o) {
    switch (o->type) {
    case CLI_INT: fprintf(f, "%d", *(int *)o->dest); break;
    case CLI_LONG: fprintf(f, "%ld", *(long *)o->dest); break;
    case CLI_DOUBLE: {
        char b[40];
        fmt_double(b, sizeof b, *(double *)o->dest);
        fputs(b, f);
        break;
    }
    case CLI_STRING:
    case CLI_CHOICE: {
        const char *s = *(const char **)o->dest;
        fprintf(f, "%s", s ? s : "(none)");
        break;
    }
    case CLI_FLAG: fprintf(f, "%d", *(int *)o->dest); break;
    case CLI_ILIST: {
        const cli_ilist *l = o->dest;
        for (int i = 0; i < l->n; i++) fprintf(f, "%s%ld", i ? "," : "", l->v[i]);
        if (!l->n) fprintf(f, "(none)");
        break;
    }
    case CLI_DLIST: {
        const cli_dlist *l = o->dest;
        for (int i = 0; i < l->n; i++) {
            char b[40];
            fmt_double(b, sizeof b, l->v[i]);
            fprintf(f, "%s%s", i ? "," : "", b);
        }
        if (!l->n) fprintf(f, "(none)");
        break;
    }
    }
}

// ---- the repository root: where default data and output paths resolve -------------------
// A program run from another directory must find data/mnist and data/corpora and write its
// runs/ where a run from the repository root would.  The root is $SIMON_SUITE_ROOT when set,
// else the checkout the binary was built in: the nearest ancestor of /proc/self/exe's directory
// (build/<slug> -> the repository) that holds experiments/ and common/cli.h.  A binary copied
// out of any checkout finds none and keeps the paths relative to the current directory.
static int is_suite_root(const char *dir) {
    char p[PATH_MAX + 32];
    struct stat st;
    snprintf(p, sizeof p, "%s/common/cli.h", dir);
    if (stat(p, &st) || !S_ISREG(st.st_mode)) return 0;
    snprintf(p, sizeof p, "%s/experiments", dir);
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_repo_root(void) {
    static char root[PATH_MAX];
    static int state;  // 0: not looked up, 1: found, -1: none
    if (state) return state > 0 ? root : NULL;
    state = -1;
    const char *env = getenv("SIMON_SUITE_ROOT");
    if (env && *env) {
        if (!realpath(env, root) || !is_suite_root(root)) {
            fprintf(stderr,
                    "SIMON_SUITE_ROOT=%s is not a simon-suite checkout (no experiments/ and common/cli.h "
                    "there); unset it or point it at the repository\n",
                    env);
            exit(EXIT_RUNTIME);
        }
        state = 1;
        return root;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = '\0';
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash || slash == exe) return NULL;
        *slash = '\0';
        if (is_suite_root(exe)) {
            snprintf(root, sizeof root, "%s", exe);
            state = 1;
            return root;
        }
    }
    return NULL;
}

// Is the current directory the repository root?  (Then relative defaults stay relative, so the
// published tables' headers do not carry the absolute path of one checkout.)
static int cwd_is_root(const char *root) {
    struct stat a, b;
    return stat(".", &a) == 0 && stat(root, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static char *volatile kept_paths[64];  // cli_repo_path's strings, reachable until exit
static int nkept;

const char *cli_repo_path(const char *rel) {
    const char *root = cli_repo_root();
    if (!rel || rel[0] == '/' || !root || cwd_is_root(root)) return rel;
    // kept in a list of this module, so the strings stay reachable for the whole run (no leak
    // reports) whatever the caller does with the pointer
    size_t len = strlen(root) + strlen(rel) + 2;
    char *p = xmalloc(len, 1);
    snprintf(p, len, "%s/%s", root, rel);
    if (nkept < 64) kept_paths[nkept++] = p;
    return p;
}

// ---- help -----------------------------------------------------------------------------------
static void print_help(const cli *c) {
    printf("usage: %s [flags]\n\n%s\n\nflags (default in brackets):\n", c->slug, c->summary ? c->summary : "");
    for (const cli_opt *o = c->opts; o && o->name; o++) {
        char rng[256] = "";
        // the choices once: not again when the help text already lists them
        if (o->type == CLI_CHOICE && o->choices && !(o->help && strstr(o->help, o->choices)))
            snprintf(rng, sizeof rng, "%s", o->choices);
        else if (o->type != CLI_CHOICE && o->type != CLI_STRING && o->type != CLI_FLAG) range_text(o, rng, sizeof rng);
        printf("  --%-16s %s [", o->name, o->help ? o->help : "");
        fprint_value(stdout, o);
        printf("]%s%s\n", *rng ? "  " : "", rng);
    }
    printf(
        "\ncommon flags:\n"
        "  --seed S          root of every random stream [1]\n"
        "  --out DIR         where the TSV files go [runs/%s-<date>-<time>/ in the repository;\n"
        "                    the published tables in figures/data/ are written only by\n"
        "                    scripts/make-figure (make figures)]\n"
        "  --quick           the tiny configuration used by the tests (~2 s)\n"
        "  --threads N       OpenBLAS threads [1: bit-for-bit reproducible]\n"
        "  --dataset NAME    the MNIST-format data set: mnist or fashion (Fashion-MNIST) [mnist]\n"
        "  --mnist-dir DIR   its IDX files, overriding --dataset's directory [mnist: $MNIST_DIR or\n"
        "                    data/mnist; fashion: $FASHION_MNIST_DIR or data/fashion-mnist; in\n"
        "                    the repository; `make data` fetches both]\n"
        "  --help, --version\n"
        "Flags are spelled out in full (no abbreviations); a value is the next argument or\n"
        "follows '=' (--out=DIR).  Default paths resolve from the repository ($SIMON_SUITE_ROOT,\n"
        "else the checkout this binary was built in), so a run from any directory is the same.\n",
        c->slug);
    if (c->claims) printf("\nclaims checked: %s (one CLAIM line each on stdout)\n", c->claims);
}

// ---- lost output ------------------------------------------------------------------------------
// CLAIM lines go to stdout; if they cannot be written (stdout closed, a full disk, a broken
// pipe to a file system that fails late) the run did not deliver its result, so the exit status
// must say so.  Runs at exit, after everything else the program wrote.
static const char *exit_slug = "simon-suite";
static void check_stdout(void) {
    errno = 0;
    int flush_failed = fflush(stdout) != 0, err = errno;
    int bad = flush_failed || ferror(stdout);  // ferror: an earlier write failed (errno long gone)
    if (!bad && fclose(stdout) != 0 && errno != EBADF) bad = flush_failed = 1, err = errno;
    if (bad) {
        fprintf(stderr, "%s: error writing standard output (%s): CLAIM lines were lost\n", exit_slug,
                flush_failed && err ? strerror(err) : "a write failed");
        _exit(EXIT_RUNTIME);
    }
}

// ---- parsing ----------------------------------------------------------------------------------
// A loop of our own instead of getopt_long: getopt_long accepts any unambiguous prefix of a
// flag (--mnist for --mnist-dir), which let typos bypass checks.  Every flag is spelled in
// full; its value is `--flag value` or `--flag=value`; a value that starts with "--" is a
// forgotten value (`--out --quick`), never a directory or a number.
enum { K_SEED, K_OUT, K_QUICK, K_THREADS, K_MNIST, K_DATASET, K_HELP, K_VERSION, K_NCOMMON };
static const struct {
    const char *name;
    int has_value;
} common_flags[K_NCOMMON] = {{"seed", 1},      {"out", 1},     {"quick", 0}, {"threads", 1},
                             {"mnist-dir", 1}, {"dataset", 1}, {"help", 0},  {"version", 0}};
static unsigned common_given;  // bit k: common flag k was typed

void cli_parse(cli *c, int argc, char **argv) {
    static int atexit_done;
    exit_slug = c->slug ? c->slug : exit_slug;
    if (!atexit_done) atexit(check_stdout), atexit_done = 1;
    // A closed standard descriptor would be reused by the next open(): a table would receive the
    // progress lines (fd 2) or the CLAIM lines (fd 1).  stdin/stderr closed: /dev/null instead;
    // stdout closed: the results could not be delivered at all, so stop before any work.
    for (int fd = 0; fd <= 2; fd += 2)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            int nul = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
            if (nul >= 0 && nul != fd) dup2(nul, fd), close(nul);
        }
    (void)cli_repo_root();  // a $SIMON_SUITE_ROOT that names no checkout fails here, whatever the flags
    if (fcntl(STDOUT_FILENO, F_GETFD) == -1 && errno == EBADF) {
        fprintf(stderr, "%s: standard output is closed: the CLAIM lines would be lost; redirect it to a file\n",
                exit_slug);
        exit(EXIT_RUNTIME);
    }
    int nopt = 0;
    while (c->opts && c->opts[nopt].name) nopt++;
    for (int i = 0; i < nopt; i++) c->opts[i].given = 0;
    common_given = 0;

    static char outbuf[PATH_MAX + 256];
    c->seed = 1;
    c->threads = 1;
    c->argc = argc;
    c->argv = argv;
    long seedv = 1;
    cli_opt seedopt = {"seed", CLI_LONG, &seedv, 0, 4294967295.0, NULL, NULL, 0};
    cli_opt thropt = {"threads", CLI_INT, &c->threads, 1, 256, NULL, NULL, 0};
    const char *out = NULL, *mnist = NULL;
    int help = 0, fashion = 0;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (arg[0] == '-' && arg[1] != '\0')
                cli_usage_error(c, "unknown flag '%s' (flags are --name, spelled in full)", arg);
            cli_usage_error(c, "unexpected argument '%s'", arg);
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        int k = -1, common = -1;
        for (int j = 0; j < nopt && k < 0; j++)
            if (strlen(c->opts[j].name) == nlen && strncmp(c->opts[j].name, name, nlen) == 0) k = j;
        for (int j = 0; j < K_NCOMMON && k < 0 && common < 0; j++)
            if (strlen(common_flags[j].name) == nlen && strncmp(common_flags[j].name, name, nlen) == 0) common = j;
        if (k < 0 && common < 0)
            cli_usage_error(c, "unknown flag '--%.*s' (flags are spelled in full)", (int)nlen, name);
        int has_value = k >= 0 ? c->opts[k].type != CLI_FLAG : common_flags[common].has_value;
        const char *val = NULL;
        if (has_value) {
            if (eq) val = eq + 1;
            else if (i + 1 < argc) val = argv[++i];
            else cli_usage_error(c, "flag '--%.*s' needs a value", (int)nlen, name);
            if (strncmp(val, "--", 2) == 0)
                cli_usage_error(c, "flag '--%.*s' needs a value, got the flag '%s'", (int)nlen, name, val);
        } else if (eq) {
            cli_usage_error(c, "flag '--%.*s' takes no value", (int)nlen, name);
        }
        if (k >= 0) {
            set_value(c, &c->opts[k], val ? val : "");
            continue;
        }
        common_given |= 1u << common;
        switch (common) {
        case K_SEED: set_value(c, &seedopt, val); break;
        case K_OUT:
            if (!*val) cli_usage_error(c, "--out expects a directory");
            out = val;
            break;
        case K_QUICK: c->quick = 1; break;
        case K_THREADS: set_value(c, &thropt, val); break;
        case K_MNIST:
            if (!*val) cli_usage_error(c, "--mnist-dir expects a directory");
            mnist = val;
            break;
        case K_DATASET:
            if (strcmp(val, "mnist") == 0) fashion = 0;
            else if (strcmp(val, "fashion") == 0) fashion = 1;
            else cli_usage_error(c, "--dataset must be mnist or fashion, got '%s'", val);
            break;
        case K_HELP: help = 1; break;
        case K_VERSION: printf("%s %s\n", c->slug, SUITE_VERSION); exit(0);
        }
    }

    // Defaults that are paths resolve from the repository (see cli_repo_root): the MNIST
    // directory, program path parameters that default to data/..., and the output directory.
    // --dataset fashion reads $FASHION_MNIST_DIR, else data/fashion-mnist; --mnist-dir wins.
    c->dataset = fashion ? "fashion" : "mnist";
    const char *env_mnist = getenv(fashion ? "FASHION_MNIST_DIR" : "MNIST_DIR");
    c->mnist_dir = mnist                     ? mnist
                   : env_mnist && *env_mnist ? env_mnist
                                             : cli_repo_path(fashion ? "data/fashion-mnist" : "data/mnist");
    for (int j = 0; j < nopt; j++) {
        cli_opt *o = &c->opts[j];
        const char **s = o->dest;
        if (o->type == CLI_STRING && !o->given && *s && strncmp(*s, "data/", 5) == 0) *s = cli_repo_path(*s);
    }
    if (help) {
        print_help(c);
        exit(0);
    }
    // A run by hand never writes into the published figures/data/<slug>/: without --out it goes
    // to a fresh runs/<slug>-<date>-<time>/ (said on stderr below).
    if (out) {
        c->out = out;
    } else {
        time_t now = time(NULL);
        char stamp[32], rel[256];
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
        snprintf(rel, sizeof rel, "runs/%s-%s", c->slug, stamp);
        const char *base = cli_repo_path(rel);
        // two runs started in the same second get their own directories
        struct stat st;
        snprintf(outbuf, sizeof outbuf, "%s", base);
        for (int k = 2; stat(outbuf, &st) == 0 && k < 1000; k++) snprintf(outbuf, sizeof outbuf, "%s-%d", base, k);
        c->out = outbuf;
    }
    // A data directory the user named (flag or $MNIST_DIR) must hold MNIST: a typo should not
    // silently turn every MNIST claim into "skipped".  Only the default location may be absent
    // (then the MNIST parts are skipped with "run make data").  --dataset fashion names its
    // directory too: a run asked for Fashion-MNIST must not quietly skip it.
    int mnist_named = mnist || (env_mnist && *env_mnist) || fashion;
    if (mnist_named && !mnist_available(c->mnist_dir)) {
        fprintf(stderr, "%s: no %s IDX files in %s (from %s); run `make data` or point it at the IDX files\n", c->slug,
                fashion ? "Fashion-MNIST" : "MNIST", c->mnist_dir,
                mnist                     ? "--mnist-dir"
                : env_mnist && *env_mnist ? (fashion ? "$FASHION_MNIST_DIR" : "$MNIST_DIR")
                                          : "--dataset fashion");
        exit(EXIT_RUNTIME);
    }
    if (!out) {
        const char *root = cli_repo_root();
        if (root && !cwd_is_root(root))
            fprintf(stderr, "%s: writing to %s/ (choose with --out; `%s/scripts/plot-run %s` draws it)\n", c->slug,
                    c->out, root, c->out);
        else
            fprintf(stderr, "%s: writing to %s/ (choose with --out; `make plot RUN=%s` draws it)\n", c->slug, c->out,
                    c->out);
    }
    c->seed = (unsigned long)seedv;
    blas_set_threads(c->threads);
    kernel_set_threads(c->threads);
    nn_set_threads(c->threads, blas_set_threads);
}

int cli_given(const cli *c, const char *name) {
    for (const cli_opt *o = c->opts; o && o->name; o++)
        if (strcmp(o->name, name) == 0) return o->given;
    for (int k = 0; k < K_NCOMMON; k++)
        if (strcmp(common_flags[k].name, name) == 0) return (common_given >> k) & 1;
    return 0;
}

int cli_any_given(const cli *c) {
    for (const cli_opt *o = c->opts; o && o->name; o++)
        if (o->given) return 1;
    return 0;
}

void cli_fprint_params(const cli *c, FILE *f) {
    for (const cli_opt *o = c->opts; o && o->name; o++) {
        fprintf(f, "# param %s = ", o->name);
        fprint_value(f, o);
        fputc('\n', f);
    }
    fprintf(f, "# param seed = %lu\n# param quick = %d\n# param threads = %d\n", c->seed, c->quick, c->threads);
}

// ---- the data set in the table headers ---------------------------------------------------------
// The sha256 of train-images-idx3-ubyte of each data set `make data` fetches (scripts/fetch-*.sh
// write it into <dir>/.verified): a directory is named by its content, not by the flag, so a
// Fashion-MNIST copy given through --mnist-dir is not labelled "MNIST".
#define SHA_MNIST_TRAIN "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
#define SHA_FASHION_TRAIN "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"

// The 64-hex sha256 recorded in <dir>/.verified into out[65]; 0 if there is none.  Read once per
// directory per run.
static int verified_sha(const char *dir, char out[65]) {
    static char cached_dir[PATH_MAX], cached_sha[65];
    static int cached = -1;
    if (cached >= 0 && strcmp(cached_dir, dir) == 0) {
        memcpy(out, cached_sha, 65);
        return cached;
    }
    snprintf(cached_dir, sizeof cached_dir, "%s", dir);
    cached = 0;
    cached_sha[0] = '\0';
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/.verified", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        char line[128] = "";
        if (fgets(line, sizeof line, f)) {
            size_t n = strspn(line, "0123456789abcdef");
            if (n == 64) memcpy(cached_sha, line, 64), cached_sha[64] = '\0', cached = 1;
        }
        fclose(f);
    }
    memcpy(out, cached_sha, 65);
    return cached;
}

const char *cli_dataset_title(const cli *c) {
    char sha[65];
    if (c->mnist_dir && verified_sha(c->mnist_dir, sha)) {
        if (strcmp(sha, SHA_FASHION_TRAIN) == 0) return "Fashion-MNIST";
        if (strcmp(sha, SHA_MNIST_TRAIN) == 0) return "MNIST";
    }
    return c->dataset && strcmp(c->dataset, "fashion") == 0 ? "Fashion-MNIST" : "MNIST";
}

void cli_fprint_dataset(const cli *c, FILE *f) {
    if (!c->mnist_dir || !mnist_available(c->mnist_dir)) return;
    // the directory relative to the repository when inside it, so headers match across checkouts
    const char *dir = c->mnist_dir, *root = cli_repo_root();
    size_t rl = root ? strlen(root) : 0;
    if (root && rl && strncmp(dir, root, rl) == 0 && dir[rl] == '/') dir += rl + 1;
    char sha[65];
    if (verified_sha(c->mnist_dir, sha))
        fprintf(f, "# dataset: %s (%s, sha256 of train-images %.16s)\n", cli_dataset_title(c), dir, sha);
    else {
        // an empty marker: verified by an older `make data`, which recorded no hash
        char path[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s/.verified", c->mnist_dir);
        struct stat st;
        fprintf(f, "# dataset: %s (%s, sha256 of train-images %s)\n", cli_dataset_title(c), dir,
                stat(path, &st) == 0 ? "not recorded: rerun make data" : "unverified");
    }
}
