#include "tsv.h"
#include <errno.h>
#include <signal.h>
#include <fftw3.h>
#include <gsl/gsl_version.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "blasinfo.h"
#include "util.h"

#define MAX_OPEN 32
#define MAX_COLS 256

struct tsv {
    FILE *f;
    char path[2048], tmp[2100], name[256], slug[128], hint[512];
    int ncols, columns_written, allow_nonfinite;
    long rows;
    char colnames[MAX_COLS][64];
};

static tsv *volatile open_tables[MAX_OPEN];
static int hook_installed;

static void remove_temporaries(void) {
    for (int i = 0; i < MAX_OPEN; i++)
        if (open_tables[i]) {
            if (open_tables[i]->f) fclose(open_tables[i]->f);
            unlink(open_tables[i]->tmp);
            open_tables[i] = NULL;
        }
}

// Ctrl-C (SIGINT), kill (SIGTERM) or a closed terminal (SIGHUP): remove the temporaries of the
// tables still open, then die of the same signal (so the caller sees how the run ended).
// unlink is async-signal-safe; the table list only ever holds complete entries.
static void on_signal(int sig) {
    for (int i = 0; i < MAX_OPEN; i++) {
        tsv *t = open_tables[i];
        if (t) unlink(t->tmp);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signal_cleanup(void) {
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++) {
        struct sigaction old, sa;
        // a signal the caller ignores (nohup, a background job) stays ignored
        if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[k], &sa, NULL);
    }
}

int tsv_mkdirs(const char *path) {
    char buf[2048];
    if (strlen(path) >= sizeof buf) return -1;
    strcpy(buf, path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0777) && errno != EEXIST) return -1;
            *p = '/';
        }
    if (mkdir(buf, 0777) && errno != EEXIST) return -1;
    return 0;
}

tsv *tsv_open(const cli *c, const char *name, const char *claims) {
    if (!hook_installed) {
        util_on_die(remove_temporaries);
        install_signal_cleanup();
        hook_installed = 1;
    }
    if (tsv_mkdirs(c->out))
        DIE("cannot create output directory %s: %s; choose another with --out", c->out, strerror(errno));
    tsv *t = XNEW(tsv, 1);
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->slug, sizeof t->slug, "%s", c->slug ? c->slug : "the program");
    snprintf(t->path, sizeof t->path, "%s/%s", c->out, name);
    snprintf(t->tmp, sizeof t->tmp, "%s.tmp.%ld", t->path, (long)getpid());
    // listed before the file exists, so a signal between the two cannot leave it behind
    int slot = 0;
    while (slot < MAX_OPEN && open_tables[slot]) slot++;
    if (slot == MAX_OPEN) DIE("more than %d tables open at once", MAX_OPEN);
    open_tables[slot] = t;
    t->f = fopen(t->tmp, "w");
    if (!t->f) {
        open_tables[slot] = NULL;
        DIE("cannot write %s: %s; choose another directory with --out", t->tmp, strerror(errno));
    }

    FILE *f = t->f;
    fprintf(f, "# experiment: %s\n# table: %s\n# claims: %s\n# command:", c->slug, name, claims ? claims : "-");
    // $SIMON_SUITE_OUT_AS: the directory the tables are published in, when they are written to
    // a scratch directory first (scripts/make-figure swaps it in afterwards), so the header
    // shows the command that reproduces them, not the scratch path.
    const char *out_as = getenv("SIMON_SUITE_OUT_AS");
    for (int i = 0; i < c->argc; i++) {
        // the program path varies between checkouts; keep only its base name
        const char *a = c->argv[i];
        if (i == 0 && strrchr(a, '/')) a = strrchr(a, '/') + 1;
        if (out_as && *out_as && i > 0 && strcmp(c->argv[i - 1], "--out") == 0) a = out_as;
        if (out_as && *out_as && strncmp(a, "--out=", 6) == 0) {
            fprintf(f, " --out=%s", out_as);
            continue;
        }
        fprintf(f, " %s", a);
    }
    fputc('\n', f);
    cli_fprint_params(c, f);
    cli_fprint_dataset(c, f);
    char blas[512];
    blas_describe(blas, sizeof blas);
    fprintf(f, "# libraries: GSL %s, FFTW %s\n# blas: %s\n", GSL_VERSION, fftw_version, blas);
    return t;
}

void tsv_allow_nonfinite(tsv *t, int allow) { t->allow_nonfinite = allow; }

void tsv_nonfinite_hint(tsv *t, const char *hint) { snprintf(t->hint, sizeof t->hint, "%s", hint ? hint : ""); }

void tsv_note(tsv *t, const char *fmt, ...) {
    if (t->columns_written) DIE("tsv_note on %s after the column line", t->name);
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", t->f);
    vfprintf(t->f, fmt, ap);
    fputc('\n', t->f);
    va_end(ap);
}

void tsv_columns(tsv *t, const char *names) {
    if (t->columns_written) DIE("tsv_columns called twice on %s", t->name);
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", names);
    t->ncols = 0;
    for (char *save = NULL, *tok = strtok_r(buf, "\t", &save); tok; tok = strtok_r(NULL, "\t", &save)) {
        for (const char *p = tok; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
                DIE("column name '%s' of %s: use [A-Za-z0-9_] only", tok, t->name);
        if (t->ncols == MAX_COLS) DIE("%s: more than %d columns", t->name, MAX_COLS);
        snprintf(t->colnames[t->ncols++], 64, "%s", tok);
    }
    fprintf(t->f, "%s\n", names);
    t->columns_written = 1;
}

static int nonfinite_field(const char *s, size_t len) {
    if (len && (*s == '-' || *s == '+')) {
        s++;
        len--;
    }
    return (len == 3 && (!strncmp(s, "nan", 3) || !strncmp(s, "inf", 3))) || (len == 8 && !strncmp(s, "infinity", 8));
}

void tsv_row(tsv *t, const char *fmt, ...) {
    if (!t->columns_written) DIE("tsv_row on %s before tsv_columns", t->name);
    char buf[65536];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (len < 0 || len >= (int)sizeof buf) DIE("row of %s too long", t->name);
    int field = 0;
    const char *start = buf;
    for (const char *p = buf;; p++) {
        if (*p == '\t' || *p == '\0') {
            if (!t->allow_nonfinite && nonfinite_field(start, (size_t)(p - start)))
                DIE("non-finite value '%.*s' in column '%s' of %s (row %ld); the computation broke down: %s%s%s",
                    (int)(p - start), start, field < t->ncols ? t->colnames[field] : "?", t->name, t->rows + 1,
                    *t->hint ? t->hint : "the flags that set step sizes, regularization and sizes are in `",
                    *t->hint ? "" : t->slug, *t->hint ? "" : " --help`");
            field++;
            if (*p == '\0') break;
            start = p + 1;
        } else if (*p == '\n') {
            DIE("row of %s contains a newline", t->name);
        }
    }
    if (field != t->ncols)
        DIE("row %ld of %s has %d fields, the header declares %d", t->rows + 1, t->name, field, t->ncols);
    fputs(buf, t->f);
    fputc('\n', t->f);
    t->rows++;
}

void tsv_close(tsv *t) {
    if (fflush(t->f) || fsync(fileno(t->f)) || ferror(t->f))
        DIE("error writing %s: %s (disk full?)", t->tmp, strerror(errno));
    fclose(t->f);
    t->f = NULL;
    if (rename(t->tmp, t->path)) DIE("cannot rename %s to %s: %s", t->tmp, t->path, strerror(errno));
    for (int i = 0; i < MAX_OPEN; i++)
        if (open_tables[i] == t) open_tables[i] = NULL;
    free(t);
}
