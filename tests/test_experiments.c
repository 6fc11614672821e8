// test_experiments: the program contract and the claims, for every experiment at once.
//
// For each experiments/<slug>/ (discovered at run time, so a new experiment is tested the
// moment it exists) this runs build/<slug>:
//   * --quick twice with the same seed: exit 0; every claim id listed in
//     experiments/<slug>/quick-claims prints `reproduced`; the two runs' TSV bodies (lines not
//     starting with '#') and claim statuses are identical byte for byte
//     (OPENBLAS_NUM_THREADS=1).  The first run is a user's: from the repository root without
//     --out, so it must go to runs/<slug>-<date>-<time>/ and leave the published
//     figures/data/<slug>/ and figures/<slug>* untouched.  The second runs from a scratch
//     directory elsewhere (with --out), so it must read the same data and write nothing where it
//     stands;
//   * the first run's tables drawn by scripts/plot-run: exit 0, every figure a non-empty PNG
//     with its SVG (experiments in PLOT_FIX_PENDING below are exempt until their .gp is fixed);
//     the same for a one-part run with non-default parameters when the experiment names its
//     flags in experiments/<slug>/part-run (one line, e.g. `--quick --domain cube --dim 6`);
//   * bad input: unknown or abbreviated flags, non-decimal numbers, a flag given as a value:
//     exit 2, one line on stderr, and nothing written to --out; a named MNIST directory that
//     does not exist: exit 1 with a message naming `make data`; stdout closed: exit 1;
//   * --help: exit 0 with a usage line on stdout, defaults as written (no 0.69999999999999996),
//     each flag's choices once.
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"

#define MAXS 64
static char slugs[MAXS][128];
static const char *bdir = "build";  // $SIM_BUILD: the build directory of this BLAS
static char bdir_abs[4096];         // the same, absolute (for runs from another directory)
static int nslugs;

// Experiments whose gnuplot script does not yet draw a --quick run (a missing table aborts it,
// or it exits non-zero).  Their owners are fixing the .gp scripts; empty this list when they are
// merged, so that every experiment's --quick run must plot.
static const char *PLOT_FIX_PENDING[] = {NULL};
static int plot_pending(const char *slug) {
    for (int i = 0; PLOT_FIX_PENDING[i]; i++)
        if (strcmp(PLOT_FIX_PENDING[i], slug) == 0) return 1;
    return 0;
}

static void discover(void) {
    DIR *d = opendir("experiments");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) && nslugs < MAXS) {
        if (e->d_name[0] == '.' || strlen(e->d_name) > 100) continue;
        char p[1024];
        snprintf(p, sizeof p, "experiments/%s/%s.c", e->d_name, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0) memcpy(slugs[nslugs++], e->d_name, strlen(e->d_name) + 1);
    }
    closedir(d);
    // sort for a stable order
    for (int i = 0; i < nslugs; i++)
        for (int j = i + 1; j < nslugs; j++)
            if (strcmp(slugs[i], slugs[j]) > 0) {
                char t[128];
                strcpy(t, slugs[i]);
                strcpy(slugs[i], slugs[j]);
                strcpy(slugs[j], t);
            }
}

// Run a shell command; capture stdout and stderr into malloc'd strings; return exit status.
static int run(const char *cmd, char **out, char **err) {
    char tmpl_o[] = "/tmp/simtest-oXXXXXX", tmpl_e[] = "/tmp/simtest-eXXXXXX";
    int fo = mkstemp(tmpl_o), fe = mkstemp(tmpl_e);
    close(fo);
    close(fe);
    char full[8192];
    snprintf(full, sizeof full, "export OPENBLAS_NUM_THREADS=1; ( %s ) >%s 2>%s", cmd, tmpl_o, tmpl_e);
    int st = system(full);
    FILE *f;
    char **dst[2] = {out, err};
    const char *src[2] = {tmpl_o, tmpl_e};
    for (int k = 0; k < 2; k++) {
        f = fopen(src[k], "r");
        size_t cap = 1 << 16, len = 0;
        char *b = malloc(cap);
        size_t got;
        while (f && (got = fread(b + len, 1, cap - len - 1, f)) > 0) {
            len += got;
            if (cap - len < 4096) b = realloc(b, cap *= 2);
        }
        b[len] = 0;
        if (f) fclose(f);
        unlink(src[k]);
        if (dst[k]) *dst[k] = b;
        else free(b);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int dir_is_empty_or_missing(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 1;
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n == 0;
}

// A whole file, or NULL if it cannot be read.
static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 4096, len = 0, k;
    char *b = malloc(cap);
    while (b && (k = fread(b + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len < 2) b = realloc(b, cap *= 2);
    }
    fclose(f);
    if (b) b[len] = 0;
    return b;
}

// Body of a TSV: the lines that do not start with '#'.
static char *body(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap), line[1 << 16];
    b[0] = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        size_t l = strlen(line);
        while (len + l + 1 > cap) b = realloc(b, cap *= 2);
        memcpy(b + len, line, l + 1);
        len += l;
    }
    fclose(f);
    return b;
}

// A fingerprint of the published outputs of one experiment: every file of figures/data/<slug>/
// and figures/<slug>*, with its size and modification time (ns).  A run by hand must not
// change it.
static char *published_fingerprint(const char *slug) {
    char cmd[1024], *out;
    snprintf(
        cmd, sizeof cmd,
        "cd figures && find data/%s . -maxdepth 1 \\( -path 'data/%s/*' -o -name '%s*' \\) -printf '%%p %%s %%T@\\n' "
        "2>/dev/null | sort",
        slug, slug, slug);
    run(cmd, &out, NULL);
    return out;
}

// "id status" of every CLAIM line, sorted: the part of stdout that must not depend on where a
// run starts (the measured values may include timings).
static char *claim_statuses(const char *out) {
    char *res = calloc(strlen(out) + 1, 1);
    for (const char *p = strstr(out, "CLAIM "); p; p = strstr(p + 1, "\nCLAIM ")) {
        if (*p == '\n') p++;
        char id[256], st[64];
        if (sscanf(p, "CLAIM %255s %63s", id, st) == 2) {
            strcat(res, id);
            strcat(res, " ");
            strcat(res, st);
            strcat(res, "\n");
        }
    }
    return res;
}

static int scan_figures(const char *dir, char *why, size_t len) {
    DIR *d = opendir(dir);
    if (!d) return snprintf(why, len, "cannot open %s", dir), 0;
    struct dirent *e;
    int npng = 0, ok = 1;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".png")) continue;
        char png[1024], svg[1024];
        snprintf(png, sizeof png, "%s/%s", dir, e->d_name);
        snprintf(svg, sizeof svg, "%s/%.*s.svg", dir, (int)(l - 4), e->d_name);
        struct stat a, b;
        if (stat(png, &a) || a.st_size == 0) ok = 0, snprintf(why, len, "%s is empty", png);
        if (stat(svg, &b) || b.st_size == 0) ok = 0, snprintf(why, len, "%s has no non-empty SVG beside it", png);
        npng++;
    }
    closedir(d);
    if (!npng) ok = 0, snprintf(why, len, "no PNG in %s", dir);
    return ok;
}

START_TEST(test_quick_claims_and_determinism) {
    const char *s = slugs[_i];
    char dir2[] = "/tmp/simtest-d2XXXXXX", away[] = "/tmp/simtest-cwdXXXXXX";
    ck_assert(mkdtemp(dir2) && mkdtemp(away));
    char cmd[8192], *out, *err;
    // run 1: a user's run, from the repository root, without --out
    char *before = published_fingerprint(s);
    snprintf(cmd, sizeof cmd, "%s/%s --quick --seed 7", bdir, s);
    int rc = run(cmd, &out, &err);
    ck_assert_msg(rc == 0, "%s --quick exited %d; stderr:\n%s", s, rc, err);
    char dir1[1024] = "";
    const char *w = strstr(err, ": writing to ");
    ck_assert_msg(w != NULL, "%s without --out does not say where it writes:\n%s", s, err);
    sscanf(w + strlen(": writing to "), "%1023s", dir1);
    size_t l1 = strlen(dir1);
    if (l1 && dir1[l1 - 1] == '/') dir1[l1 - 1] = 0;
    char runs_prefix[256];
    snprintf(runs_prefix, sizeof runs_prefix, "runs/%s-", s);
    ck_assert_msg(strncmp(dir1, runs_prefix, strlen(runs_prefix)) == 0,
                  "%s without --out writes to %s, not to %s<date>-<time>", s, dir1, runs_prefix);
    char *after = published_fingerprint(s);
    ck_assert_msg(strcmp(before, after) == 0,
                  "%s --quick without --out changed the published outputs:\nbefore:\n%s\nafter:\n%s", s, before, after);
    free(before), free(after);

    // every listed claim must print as reproduced
    char path[512];
    snprintf(path, sizeof path, "experiments/%s/quick-claims", s);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s has no %s listing the claims its --quick run must reproduce", s, path);
    // A quick check never claims what the default size refutes: every listed claim must also be
    // reproduced in the committed default runs (figures/data/<slug>/claims.txt, seed 1, and the
    // scoreboard's other seeds, claims-seed<S>.txt), where they exist.
    char *dflt[4] = {0};
    const char *dname[4] = {"claims.txt", "claims-seed2.txt", "claims-seed3.txt", 0};
    for (int k = 0; dname[k]; k++) {
        char p[512];
        snprintf(p, sizeof p, "figures/data/%s/%s", s, dname[k]);
        dflt[k] = slurp(p);
    }
    char id[256];
    int nlisted = 0;
    while (fscanf(f, "%255s", id) == 1) {
        if (id[0] == '#') {  // comment to end of line
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n') {}
            continue;
        }
        nlisted++;
        char want[300];
        snprintf(want, sizeof want, "CLAIM %s  reproduced", id);
        ck_assert_msg(strstr(out, want) != NULL, "%s: claim %s did not print as reproduced at --quick:\n%s", s, id,
                      out);
        for (int k = 0; dname[k]; k++)
            ck_assert_msg(!dflt[k] || strstr(dflt[k], want) != NULL,
                          "%s: quick claim %s is not reproduced in the default run figures/data/%s/%s: a quick "
                          "check must not claim what the default size refutes",
                          s, id, s, dname[k]);
    }
    for (int k = 0; dname[k]; k++) free(dflt[k]);
    fclose(f);
    ck_assert_msg(nlisted > 0, "%s lists no claims", s);

    // same seed, second run, started from another directory: identical TSV bodies and claims
    snprintf(cmd, sizeof cmd, "cd %s && %s/%s --quick --seed 7 --out %s", away, bdir_abs, s, dir2);
    char *out2, *err2;
    rc = run(cmd, &out2, &err2);
    ck_assert_msg(rc == 0, "%s --quick run from another directory exited %d; stderr:\n%s", s, rc, err2);
    ck_assert_msg(dir_is_empty_or_missing(away), "%s run from %s wrote files there", s, away);
    char *c1 = claim_statuses(out), *c2 = claim_statuses(out2);
    ck_assert_msg(strcmp(c1, c2) == 0,
                  "%s: the claims of a run from another directory differ:\nfrom the root:\n%s\nelsewhere:\n%s", s, c1,
                  c2);
    free(c1), free(c2), free(err2);
    DIR *d = opendir(dir1);
    ck_assert_msg(d != NULL, "%s: %s was not written", s, dir1);
    struct dirent *e;
    int ntables = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".tsv")) continue;
        ck_assert_msg(!strstr(e->d_name, ".tmp"), "%s left a temporary file %s", s, e->d_name);
        char p1[1024], p2[1024];
        snprintf(p1, sizeof p1, "%s/%s", dir1, e->d_name);
        snprintf(p2, sizeof p2, "%s/%s", dir2, e->d_name);
        char *b1 = body(p1), *b2 = body(p2);
        ck_assert_msg(b2 != NULL, "%s: second run did not write %s", s, e->d_name);
        ck_assert_msg(strcmp(b1, b2) == 0,
                      "%s: %s differs between two runs with the same seed (one from the repository root, one from %s)",
                      s, e->d_name, away);
        free(b1);
        free(b2);
        ntables++;
    }
    closedir(d);
    ck_assert_msg(ntables > 0, "%s --quick wrote no TSV", s);

    // the user's run, drawn: `make plot RUN=runs/<slug>-...` runs scripts/plot-run
    snprintf(cmd, sizeof cmd, "scripts/plot-run %s", dir1);
    char *pout, *perr, why[1200] = "";
    rc = run(cmd, &pout, &perr);
    if (!plot_pending(s)) {
        ck_assert_msg(rc == 0, "scripts/plot-run on %s's --quick run exited %d:\n%s", s, rc, perr);
        ck_assert_msg(scan_figures(dir1, why, sizeof why), "%s: scripts/plot-run: %s", s, why);
    }
    free(pout), free(perr);

    // a one-part run with non-default parameters, drawn: the flags are the experiment's own, in
    // experiments/<slug>/part-run (one line; `#` comments), e.g. `--quick --domain cube --dim 6`
    char ppath[512];
    snprintf(ppath, sizeof ppath, "experiments/%s/part-run", s);
    char *part = slurp(ppath);
    if (part) {
        char flags[1024] = "";
        for (char *line = strtok(part, "\n"); line; line = strtok(NULL, "\n"))
            if (line[0] != '#' && strspn(line, " \t") < strlen(line)) {
                snprintf(flags, sizeof flags, "%s", line);
                break;
            }
        free(part);
        char dir3[] = "/tmp/simtest-d3XXXXXX";
        ck_assert(mkdtemp(dir3));
        snprintf(cmd, sizeof cmd, "%s/%s --seed 7 %s --out %s", bdir, s, flags, dir3);
        char *o3, *e3;
        rc = run(cmd, &o3, &e3);
        ck_assert_msg(rc == 0, "%s one-part run (%s) exited %d:\n%s", s, flags, rc, e3);
        free(o3), free(e3);
        snprintf(cmd, sizeof cmd, "scripts/plot-run %s", dir3);
        rc = run(cmd, &pout, &perr);
        if (!plot_pending(s)) {
            ck_assert_msg(rc == 0, "scripts/plot-run on %s's one-part run (%s) exited %d:\n%s", s, flags, rc, perr);
            ck_assert_msg(scan_figures(dir3, why, sizeof why), "%s one-part run: scripts/plot-run: %s", s, why);
        }
        free(pout), free(perr);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir3);
        ck_assert_int_eq(system(cmd), 0);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s %s %s; rmdir runs 2>/dev/null; true", dir1, dir2, away);
    ck_assert_int_eq(system(cmd), 0);
    free(out);
    free(out2);
    free(err);
}
END_TEST

START_TEST(test_bad_input) {
    const char *s = slugs[_i];
    // an abbreviation (--mnist for --mnist-dir, --thread for --threads), a number in hex or with
    // a space, a flag where a value belongs: each one usage error, before anything is written
    const char *bad[] = {"--no-such-flag", "--seed abc",  "--seed nan",  "--seed -3",
                         "--threads 0",    "--out",       "stray-arg",   "--mnist /nonexistent-mnist",
                         "--thread 1",     "--seed 0x10", "--seed ' 5'", "--seed '5 '",
                         "--out --quick",  "--quick=1"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char dir[] = "/tmp/simtest-bXXXXXX";
        ck_assert(mkdtemp(dir));
        char cmd[2048], *out, *err;
        // --out before the bad flag, so a program that ignored the error would write there
        snprintf(cmd, sizeof cmd, "%s/%s --quick --out %s/o %s", bdir, s, dir, bad[k]);
        int rc = run(cmd, &out, &err);
        ck_assert_msg(rc == 2, "%s %s: exit %d, expected 2 (stderr: %s)", s, bad[k], rc, err);
        int lines = 0;
        for (char *p = err; *p; p++) lines += *p == '\n';
        ck_assert_msg(lines == 1, "%s %s: expected one line on stderr, got %d:\n%s", s, bad[k], lines, err);
        char o[600];
        snprintf(o, sizeof o, "%s/o", dir);
        ck_assert_msg(dir_is_empty_or_missing(o), "%s %s wrote files before failing", s, bad[k]);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        ck_assert_int_eq(system(cmd), 0);
        free(out);
        free(err);
    }
    // a data directory that is named but missing: exit 1, a message naming `make data`
    {
        char dir[] = "/tmp/simtest-mXXXXXX";
        ck_assert(mkdtemp(dir));
        char cmd[2048], *out, *err;
        snprintf(cmd, sizeof cmd, "%s/%s --quick --out %s/o --mnist-dir /nonexistent-mnist", bdir, s, dir);
        int rc = run(cmd, &out, &err);
        ck_assert_msg(rc == 1, "%s --mnist-dir /nonexistent-mnist: exit %d, expected 1", s, rc);
        ck_assert_msg(strstr(err, "make data") != NULL, "%s: the message does not name `make data`: %s", s, err);
        char o[600];
        snprintf(o, sizeof o, "%s/o", dir);
        ck_assert_msg(dir_is_empty_or_missing(o), "%s wrote files before failing", s);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        ck_assert_int_eq(system(cmd), 0);
        free(out);
        free(err);
    }
    // stdout closed: the CLAIM lines could not be delivered, so exit 1 before any work
    {
        char cmd[1024], *out, *err;
        snprintf(cmd, sizeof cmd, "exec >&-; %s/%s --quick --out /tmp/simtest-never-written", bdir, s);
        int rc = run(cmd, &out, &err);
        ck_assert_msg(rc == 1, "%s with stdout closed: exit %d, expected 1 (stderr: %s)", s, rc, err);
        free(out), free(err);
    }
    char cmd[512], *out;
    snprintf(cmd, sizeof cmd, "%s/%s --help", bdir, s);
    ck_assert_int_eq(run(cmd, &out, NULL), 0);
    ck_assert_msg(strstr(out, "usage:") != NULL, "%s --help printed no usage", s);
    // defaults as written in the source: %.17g's 0.69999999999999996 or 0.10000000000000001
    // are the shortest round trip gone wrong
    for (const char *p = out; (p = strpbrk(p, "0123456789"));) {
        size_t n = strspn(p, "0123456789.");
        char num[64];
        snprintf(num, sizeof num, "%.*s", (int)(n < 63 ? n : 63), p);
        ck_assert_msg(!(n >= 15 && (strstr(num, "99999") || strstr(num, "00000"))),
                      "%s --help prints a default as %s, not as written", s, num);
        p += n;
    }
    // each flag's choices once per line
    for (char *line = out; line && *line;) {
        char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < 1023 ? len : 1023), line);
        char *bar = strchr(buf, '|');
        if (bar) {
            char *st = bar;
            while (st > buf && st[-1] != ' ' && st[-1] != '[' && st[-1] != '(') st--;
            char *en = bar;
            while (*en && *en != ' ' && *en != ']' && *en != ')') en++;
            char word[512];
            snprintf(word, sizeof word, "%.*s", (int)(en - st), st);
            char *first = strstr(buf, word);
            ck_assert_msg(!(first && strstr(first + 1, word)), "%s --help lists the choices %s twice: %s", s, word,
                          buf);
        }
        line = eol ? eol + 1 : NULL;
    }
    free(out);
}
END_TEST

// CLAIM lines written to a full disk are lost: the run must exit 1 (make-figure would otherwise
// install a truncated claims file).  One experiment is enough: the check is common/cli's.
START_TEST(test_stdout_full) {
    const char *s = "spectral-condition";
    char p[256];
    snprintf(p, sizeof p, "experiments/%s/%s.c", s, s);
    if (access(p, F_OK) != 0) s = slugs[0];
    char cmd[1024], *err;
    snprintf(cmd, sizeof cmd,
             "%s/%s --quick --out /tmp/simtest-full-$$ >/dev/full; st=$?; rm -rf /tmp/simtest-full-$$; exit $st", bdir,
             s);
    int rc = run(cmd, NULL, &err);
    ck_assert_msg(rc == 1 && strstr(err, "standard output"), "%s >/dev/full: exit %d, expected 1 naming stdout:\n%s", s,
                  rc, err);
    free(err);
}
END_TEST

Suite *make_suite(void) {
    if (getenv("SIM_BUILD") && *getenv("SIM_BUILD")) bdir = getenv("SIM_BUILD");
    if (!realpath(bdir, bdir_abs)) snprintf(bdir_abs, sizeof bdir_abs, "%s", bdir);
    discover();
    Suite *su = suite_create("experiments");
    TCase *tc = tcase_create("quick claims and determinism");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_quick_claims_and_determinism, 0, nslugs);
    suite_add_tcase(su, tc);
    TCase *tb = tcase_create("bad input");
    tcase_set_timeout(tb, 120);
    tcase_add_loop_test(tb, test_bad_input, 0, nslugs);
    tcase_add_test(tb, test_stdout_full);
    suite_add_tcase(su, tb);
    return su;
}

TEST_MAIN()
