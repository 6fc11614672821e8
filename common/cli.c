#include "cli.h"
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "blasinfo.h"
#include "idx.h"
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

static void range_text(const cli_opt *o, char *buf, size_t len) {
    if (isinf(o->min) && isinf(o->max)) snprintf(buf, len, "any finite number");
    else if (isinf(o->max)) snprintf(buf, len, ">= %g", o->min);
    else if (isinf(o->min)) snprintf(buf, len, "<= %g", o->max);
    else snprintf(buf, len, "in [%g, %g]", o->min, o->max);
}

static int parse_double(const char *s, double *v) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return !(end == s || *end != '\0' || errno == ERANGE || !isfinite(*v));
}

static int parse_long(const char *s, long *v) {
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
        if (v < o->min || v > o->max) cli_usage_error(c, "--%s must be %s, got %g", nm, rng, v);
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
                if (!parse_long(tok, &v)) cli_usage_error(c, "--%s expects comma-separated integers %s, got '%s'", nm, rng, tok);
                if (v < o->min || v > o->max) cli_usage_error(c, "--%s entries must be %s, got %ld", nm, rng, v);
                ((cli_ilist *)o->dest)->v[n++] = v;
            } else {
                double v;
                if (!parse_double(tok, &v)) cli_usage_error(c, "--%s expects comma-separated finite numbers %s, got '%s'", nm, rng, tok);
                if (v < o->min || v > o->max) cli_usage_error(c, "--%s entries must be %s, got %g", nm, rng, v);
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
    case CLI_DOUBLE: fprintf(f, "%.17g", *(double *)o->dest); break;
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
        for (int i = 0; i < l->n; i++) fprintf(f, "%s%.17g", i ? "," : "", l->v[i]);
        if (!l->n) fprintf(f, "(none)");
        break;
    }
    }
}

static void print_help(const cli *c) {
    printf("usage: %s [flags]\n\n%s\n\nflags (default in brackets):\n", c->slug, c->summary ? c->summary : "");
    for (const cli_opt *o = c->opts; o && o->name; o++) {
        char rng[64] = "";
        if (o->type == CLI_CHOICE) snprintf(rng, sizeof rng, "%s", o->choices);
        else if (o->type != CLI_STRING && o->type != CLI_FLAG) range_text(o, rng, sizeof rng);
        printf("  --%-16s %s [", o->name, o->help ? o->help : "");
        fprint_value(stdout, o);
        printf("]%s%s\n", *rng ? "  " : "", rng);
    }
    printf("\ncommon flags:\n"
           "  --seed S          root of every random stream [1]\n"
           "  --out DIR         where the TSV files go [runs/%s-<date>-<time>/; the published\n"
           "                    tables in figures/data/ are written only by `make figures`]\n"
           "  --quick           the tiny configuration used by the tests (~2 s)\n"
           "  --threads N       OpenBLAS threads [1: bit-for-bit reproducible]\n"
           "  --mnist-dir DIR   MNIST IDX files [$MNIST_DIR or data/mnist]\n"
           "  --help, --version\n",
           c->slug);
    if (c->claims) printf("\nclaims checked: %s (one CLAIM line each on stdout)\n", c->claims);
}

void cli_parse(cli *c, int argc, char **argv) {
    int nopt = 0;
    while (c->opts && c->opts[nopt].name) nopt++;
    enum { K_SEED = 1000, K_OUT, K_QUICK, K_THREADS, K_MNIST, K_HELP, K_VERSION };
    // static: an exit() from inside the loop (--help, a usage error) leaves it reachable, so
    // LeakSanitizer does not report it
    static struct option *lo;
    free(lo);
    lo = XNEW(struct option, nopt + 8);
    for (int i = 0; i < nopt; i++)
        lo[i] = (struct option){c->opts[i].name, c->opts[i].type == CLI_FLAG ? no_argument : required_argument, 0, 2000 + i};
    struct option common[] = {{"seed", required_argument, 0, K_SEED},     {"out", required_argument, 0, K_OUT},
                              {"quick", no_argument, 0, K_QUICK},         {"threads", required_argument, 0, K_THREADS},
                              {"mnist-dir", required_argument, 0, K_MNIST}, {"help", no_argument, 0, K_HELP},
                              {"version", no_argument, 0, K_VERSION},       {0, 0, 0, 0}};
    memcpy(lo + nopt, common, sizeof common);

    static char outbuf[1024];
    c->seed = 1;
    c->threads = 1;
    // A run by hand never writes into the published figures/data/<slug>/: without --out it goes
    // to a fresh runs/<slug>-<date>-<time>/ (said on stderr once parsing succeeds).
    {
        time_t now = time(NULL);
        char stamp[32];
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
        snprintf(outbuf, sizeof outbuf, "runs/%s-%s", c->slug, stamp);
    }
    c->out = outbuf;
    int out_given = 0;
    c->mnist_dir = getenv("MNIST_DIR") && *getenv("MNIST_DIR") ? getenv("MNIST_DIR") : "data/mnist";
    c->argc = argc;
    c->argv = argv;
    int given_seed = 0;
    cli_opt seedopt = {"seed", CLI_LONG, NULL, 0, 4294967295.0, NULL, NULL, 0};
    cli_opt thropt = {"threads", CLI_INT, &c->threads, 1, 256, NULL, NULL, 0};
    long seedv = 1;
    seedopt.dest = &seedv;

    opterr = 0;
    optind = 1;
    int ch, idx;
    while ((ch = getopt_long(argc, argv, ":", lo, &idx)) != -1) {
        if (ch == '?') {
            const char *bad = argv[optind - 1];
            cli_usage_error(c, "unknown flag '%s'", bad ? bad : "?");
        }
        if (ch == ':') cli_usage_error(c, "flag '%s' needs a value", argv[optind - 1]);
        if (ch >= 2000 && ch < 2000 + nopt) { set_value(c, &c->opts[ch - 2000], optarg ? optarg : ""); continue; }
        switch (ch) {
        case K_SEED: set_value(c, &seedopt, optarg); given_seed = 1; break;
        case K_OUT:
            if (!*optarg) cli_usage_error(c, "--out expects a directory");
            c->out = optarg;
            out_given = 1;
            break;
        case K_QUICK: c->quick = 1; break;
        case K_THREADS: set_value(c, &thropt, optarg); break;
        case K_MNIST: c->mnist_dir = optarg; break;
        case K_HELP: print_help(c); exit(0);
        case K_VERSION: printf("%s %s\n", c->slug, SUITE_VERSION); exit(0);
        default: cli_usage_error(c, "unknown flag");
        }
    }
    if (optind < argc) cli_usage_error(c, "unexpected argument '%s'", argv[optind]);
    // A data directory the user named (flag or $MNIST_DIR) must hold MNIST: a typo should not
    // silently turn every MNIST claim into "skipped".  Only the default location may be absent
    // (then the MNIST parts are skipped with "run make data").
    int mnist_named = cli_given(c, "mnist-dir") || (getenv("MNIST_DIR") && *getenv("MNIST_DIR"));
    if (mnist_named && !mnist_available(c->mnist_dir)) {
        fprintf(stderr, "%s: no MNIST IDX files in %s (from %s); run `make data` or point it at the IDX files\n",
                c->slug, c->mnist_dir, cli_given(c, "mnist-dir") ? "--mnist-dir" : "$MNIST_DIR");
        exit(EXIT_RUNTIME);
    }
    (void)given_seed;
    if (!out_given) fprintf(stderr, "%s: writing to %s/ (choose with --out; `make plot RUN=%s` draws it)\n", c->slug, c->out, c->out);
    c->seed = (unsigned long)seedv;
    free(lo);
    lo = NULL;
    blas_set_threads(c->threads);
}

int cli_given(const cli *c, const char *name) {
    for (const cli_opt *o = c->opts; o && o->name; o++)
        if (strcmp(o->name, name) == 0) return o->given;
    for (int i = 1; i < c->argc; i++)
        if (strncmp(c->argv[i], "--", 2) == 0 && strncmp(c->argv[i] + 2, name, strlen(name)) == 0 &&
            (c->argv[i][2 + strlen(name)] == '\0' || c->argv[i][2 + strlen(name)] == '='))
            return 1;  // --name value or --name=value
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
