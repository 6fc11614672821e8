// test_ownrun: the path of a user who runs one experiment by hand, and the scripts around it.
//
//   * cli: flags by their full name only (--mnist is not --mnist-dir), decimal numbers only
//     (no 0x10, no ' 5'), a value that is a flag (--out --quick) is a usage error; --help prints
//     defaults as written (0.7) and choices once; default paths resolve from the repository.
//   * lost output: stdout on a full disk exits 1; SIGTERM removes the *.tsv.tmp.<pid> files.
//   * scripts/make-figure on a stand-in experiment in a scratch copy of the layout: killed
//     mid-run it leaves the published tables exactly as they were; finished, it swaps the new
//     ones in (the other seeds' claims carried over, stale tables gone); failed, nothing changes;
//     the program's progress lines carry its slug.
//   * scripts/verify on the same stand-in: identical tables pass; a changed number fails and is
//     named; experiments/<slug>/verify-tolerances loosens one table; a changed claim fails.
//   * scripts/run-tests: one line per passing test file, a failing one in full.
//   * make help lists every target; .gitignore covers the temporaries.
// The experiments themselves (a run from another directory, a run without --out, plotting a
// --quick run) are tested in test_experiments.c, which runs each of them anyway.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "testlib.h"
#include "tsv.h"

// ---- helpers ----------------------------------------------------------------------------------
// Run a shell command with stdout+stderr captured into *out (malloc'd); return its exit status.
static int sh(const char *cmd, char **out) {
    char tmpl[] = "/tmp/simtest-oXXXXXX";
    int fd = mkstemp(tmpl);
    close(fd);
    char full[16384];
    snprintf(full, sizeof full, "( %s ) >%s 2>&1", cmd, tmpl);
    int st = system(full);
    FILE *f = fopen(tmpl, "r");
    size_t cap = 1 << 16, len = 0, k;
    char *b = malloc(cap);
    while (f && (k = fread(b + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len < 4096) b = realloc(b, cap *= 2);
    }
    b[len] = 0;
    if (f) fclose(f);
    unlink(tmpl);
    if (out) *out = b;
    else free(b);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 4096, len = 0, k;
    char *b = malloc(cap);
    while ((k = fread(b + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len < 2) b = realloc(b, cap *= 2);
    }
    fclose(f);
    b[len] = 0;
    return b;
}

static int count_matching(const char *dir, const char *needle) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        if (strstr(e->d_name, needle)) n++;
    closedir(d);
    return n;
}

// ---- cli ------------------------------------------------------------------------------------
static double t_ridge = 0.7;
static long t_trials = 5;
static int t_digits;
static const char *t_kernel = "laplace", *t_corpus = "data/corpora/none.txt";
static cli_opt t_opts[] = {{"ridge", CLI_DOUBLE, &t_ridge, 0, INFINITY, "ridge", 0, 0},
                           {"trials", CLI_LONG, &t_trials, 1, 100, "trials", 0, 0},
                           {"kernel", CLI_CHOICE, &t_kernel, 0, 0, "kernel: laplace|gaussian", "laplace|gaussian", 0},
                           {"mnist-digits", CLI_FLAG, &t_digits, 0, 0, "a flag that shares a prefix", 0, 0},
                           {"corpus", CLI_STRING, &t_corpus, 0, 0, "a data path", 0, 0},
                           {0}};
static cli t_cli;
static void parse_args(const char *a0, ...) {
    static char *argv[32];
    int argc = 0;
    argv[argc++] = "t";
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a && argc < 31; a = va_arg(ap, const char *)) argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    memset(&t_cli, 0, sizeof t_cli);
    t_cli.slug = "t";
    t_cli.opts = t_opts;
    t_cli.out = NULL;
    cli_parse(&t_cli, argc, argv);
}

// each of these is a usage error: exit 2 (Check runs an exit test in its own process)
START_TEST(cli_prefix_of_common_flag) { parse_args("--mnist", "/bad", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_prefix_of_own_flag) { parse_args("--rid", "0.1", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_flag_as_value) { parse_args("--out", "--quick", NULL); }
END_TEST
START_TEST(cli_flag_as_number) { parse_args("--ridge", "--seed", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_hex) { parse_args("--trials", "0x10", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_hex_double) { parse_args("--ridge", "0x1p-3", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_leading_space) { parse_args("--trials", " 5", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_trailing_space) { parse_args("--ridge", "0.5 ", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_infinity) { parse_args("--ridge", "infinity", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_value_on_flag) { parse_args("--quick=1", "--out", "/tmp/simtest-never", NULL); }
END_TEST
START_TEST(cli_single_dash) { parse_args("-q", "--out", "/tmp/simtest-never", NULL); }
END_TEST

START_TEST(cli_accepts_exact_and_equals) {
    parse_args("--ridge=2.5e-1", "--trials", "1e1", "--kernel", "gaussian", "--out=/tmp/simtest-x", "--seed", "+9",
               NULL);
    ck_assert(t_ridge == 0.25 && t_trials == 10 && strcmp(t_kernel, "gaussian") == 0);
    ck_assert_str_eq(t_cli.out, "/tmp/simtest-x");
    ck_assert_int_eq((int)t_cli.seed, 9);
    ck_assert(cli_given(&t_cli, "out") && cli_given(&t_cli, "seed") && cli_given(&t_cli, "ridge"));
    ck_assert(!cli_given(&t_cli, "ou") && !cli_given(&t_cli, "quick") && !cli_given(&t_cli, "mnist-dir"));
    t_ridge = 0.7, t_trials = 5, t_kernel = "laplace";
}
END_TEST

// --help: the default 0.7 prints as 0.7 (shortest round trip, not %.17g's 0.69999999999999996)
// and the choices that the help text already lists are not repeated.
START_TEST(cli_help_format) {
    char path[] = "/tmp/simtest-hXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(path, "w", stdout)) _exit(99);
        parse_args("--help", NULL);
        _exit(98);  // not reached: --help exits 0
    }
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "--help did not exit 0");
    char *h = slurp(path);
    unlink(path);
    ck_assert_msg(strstr(h, "[0.7]") != NULL, "--help does not print the default 0.7 as written:\n%s", h);
    ck_assert_msg(!strstr(h, "0.69999"), "--help prints 0.7 as 0.69999...:\n%s", h);
    const char *k = strstr(h, "--kernel");
    ck_assert(k != NULL);
    const char *eol = strchr(k, '\n');
    const char *first = strstr(k, "laplace|gaussian"), *second = first ? strstr(first + 1, "laplace|gaussian") : NULL;
    ck_assert_msg(first && first < eol && !(second && second < eol), "--help lists the choices of --kernel twice:\n%s",
                  h);
    free(h);
}
END_TEST

// The repository root is found from the binary (build/tests/test_ownrun -> the checkout), and
// repository paths stay relative when the current directory is the root, absolute elsewhere.
START_TEST(cli_repo_paths) {
    char cwd[PATH_MAX];
    ck_assert(getcwd(cwd, sizeof cwd));
    const char *root = cli_repo_root();
    ck_assert_msg(root != NULL, "no repository root found from /proc/self/exe");
    char real[PATH_MAX];
    ck_assert(realpath(cwd, real));
    ck_assert_str_eq(root, real);  // run-tests runs every test from the repository root
    ck_assert_str_eq(cli_repo_path("data/mnist"), "data/mnist");
    ck_assert_str_eq(cli_repo_path("/abs/path"), "/abs/path");
    ck_assert(chdir("/tmp") == 0);
    char want[PATH_MAX + 32];
    snprintf(want, sizeof want, "%s/data/mnist", root);
    ck_assert_str_eq(cli_repo_path("data/mnist"), want);
    // cli_parse: a data/ default of a program's own path parameter, the MNIST directory and the
    // output directory all resolve from the root; a value the user typed stays as typed
    unsetenv("MNIST_DIR");
    parse_args(NULL);
    snprintf(want, sizeof want, "%s/data/corpora/none.txt", root);
    ck_assert_str_eq(t_corpus, want);
    snprintf(want, sizeof want, "%s/data/mnist", root);
    ck_assert_str_eq(t_cli.mnist_dir, want);
    snprintf(want, sizeof want, "%s/runs/t-", root);
    ck_assert_msg(strncmp(t_cli.out, want, strlen(want)) == 0, "default --out %s is not under %s", t_cli.out, want);
    t_corpus = "data/corpora/none.txt";
    parse_args("--corpus", "data/mine.txt", "--out", "o", NULL);
    ck_assert_str_eq(t_corpus, "data/mine.txt");
    ck_assert_str_eq(t_cli.out, "o");
    t_corpus = "data/corpora/none.txt";
    ck_assert(chdir(cwd) == 0);
}
END_TEST

START_TEST(cli_bad_root_variable) {
    setenv("SIMON_SUITE_ROOT", "/nonexistent-simon-suite", 1);
    parse_args("--out", "/tmp/simtest-never", NULL);  // exit 1: a runtime failure naming the variable
}
END_TEST

// A binary copied out of the checkout finds no repository from its own location; with
// SIMON_SUITE_ROOT it reads the repository's data/mnist like a run from the root (reverse-ntk's
// --quick run uses MNIST: without the data its revntk.C5 would print `skipped`).
START_TEST(copied_binary_with_root_variable) {
    const char *bdir = getenv("SIM_BUILD") && *getenv("SIM_BUILD") ? getenv("SIM_BUILD") : "build";
    char exe[512], d[] = "/tmp/simtest-cpXXXXXX", cwd[PATH_MAX];
    snprintf(exe, sizeof exe, "%s/reverse-ntk", bdir);
    if (access(exe, X_OK) != 0 || access("data/mnist", R_OK) != 0) return;  // nothing to compare
    ck_assert(mkdtemp(d) && getcwd(cwd, sizeof cwd));
    char cmd[16384], *a, *b;
    snprintf(cmd, sizeof cmd,
             "OPENBLAS_NUM_THREADS=1 %s --quick --seed 7 --out %s/a 2>/dev/null | grep '^CLAIM' | awk '{print $2, $3}'",
             exe, d);
    ck_assert_int_eq(sh(cmd, &a), 0);
    snprintf(
        cmd, sizeof cmd,
        "cp %s %s/ && cd %s && OPENBLAS_NUM_THREADS=1 SIMON_SUITE_ROOT=%s ./reverse-ntk --quick --seed 7 --out b 2>/dev/null "
        "| grep '^CLAIM' | awk '{print $2, $3}'",
        exe, d, d, cwd);
    ck_assert_int_eq(sh(cmd, &b), 0);
    ck_assert_msg(strstr(a, "revntk.C5 reproduced"), "reverse-ntk --quick from the root did not use MNIST:\n%s", a);
    ck_assert_msg(strcmp(a, b) == 0, "a copied binary with SIMON_SUITE_ROOT gives other claims:\nroot:\n%s\ncopy:\n%s",
                  a, b);
    free(a), free(b);
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

// ---- lost output -------------------------------------------------------------------------------
// CLAIM lines printed to a full disk: the exit handler turns exit(0) into exit 1.
START_TEST(stdout_full_disk_exits_1) {
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/full", "w", stdout)) _exit(99);
        parse_args("--out", "/tmp/simtest-never", NULL);
        printf("CLAIM t.C1  reproduced  experiment  a line that cannot be written\n");
        exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 1, "a lost CLAIM line did not turn the exit status into 1");
}
END_TEST

// SIGTERM while a table is open: its temporary file is removed and the process dies of SIGTERM.
START_TEST(signal_removes_temporaries) {
    char dir[] = "/tmp/simtest-sXXXXXX";
    ck_assert(mkdtemp(dir));
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {"t", NULL};
        cli c = {.slug = "t", .out = dir, .argc = 1, .argv = argv};
        tsv *a = tsv_open(&c, "done.tsv", "t.C1");
        tsv_columns(a, "x");
        tsv_row(a, "%d", 1);
        tsv_close(a);
        tsv *b = tsv_open(&c, "open.tsv", "t.C1");
        tsv_columns(b, "x");
        tsv_row(b, "%d", 2);
        raise(SIGTERM);
        _exit(97);
    }
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "the process did not die of SIGTERM");
    ck_assert_int_eq(count_matching(dir, ".tmp."), 0);
    ck_assert_int_eq(count_matching(dir, "done.tsv"), 1);
    ck_assert_int_eq(count_matching(dir, "open.tsv"), 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

// ---- scripts/make-figure and scripts/verify on a stand-in experiment ------------------------------
// A scratch copy of the repository layout: the real scripts, an experiment "fake" whose
// "program" is a shell script (it writes t.tsv and t2.tsv from $FAKE_VALUE, prints a CLAIM line,
// a progress line, its pid, then sleeps $FAKE_SLEEP before its last table), a trivial .gp, and
// published tables marked "old".
static char fk[64];
static void fake_repo(void) {
    snprintf(fk, sizeof fk, "/tmp/simtest-fkXXXXXX");
    ck_assert(mkdtemp(fk));
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "set -e; cd %s; mkdir -p scripts experiments/fake common figures/data/fake build;"
             "cp \"$OLDPWD\"/scripts/make-figure \"$OLDPWD\"/scripts/verify \"$OLDPWD\"/scripts/compare-tables "
             "\"$OLDPWD\"/scripts/blas-env.sh scripts/;"
             "echo '// stand-in' > experiments/fake/fake.c;"
             "printf 'set terminal svg\\nset output ARG2.\"/fake.svg\"\\nplot sin(x)\\n' > experiments/fake/fake.gp;"
             "printf '# experiment: fake\\nx\\ty\\n1\\told\\n' > figures/data/fake/t.tsv;"
             "printf '# experiment: fake\\nx\\n1\\n' > figures/data/fake/stale.tsv;"
             "echo 'CLAIM fake.C1  reproduced  experiment  old' > figures/data/fake/claims.txt;"
             "echo 0000 > figures/data/fake/SOURCE_HASH;"
             "echo 'CLAIM fake.C1  reproduced  experiment  seed 2' > figures/data/fake/claims-seed2.txt;"
             "cat > build/fake <<'EOF'\n"
             "#!/bin/sh\n"
             "out=; while [ $# -gt 0 ]; do case $1 in --out) out=$2; shift;; esac; shift; done\n"
             "mkdir -p \"$out\"\n"
             "printf '# experiment: fake\\n# command: fake --out %%s\\nx\\ty\\n1\\t%%s\\n' \"$SIMON_SUITE_OUT_AS\" "
             "\"${FAKE_VALUE:-1.5}\" > \"$out/t.tsv\"\n"
             "echo \"CLAIM fake.C1  ${FAKE_STATUS:-reproduced}  experiment  new\"\n"
             "echo 'progress line' >&2\n"
             "echo $$ > \"$FAKE_PIDFILE\"\n"
             "sleep ${FAKE_SLEEP:-0}\n"
             "printf '# experiment: fake\\nz\\n2\\n' > \"$out/t2.tsv\"\n"
             "exit ${FAKE_EXIT:-0}\n"
             "EOF\n"
             "chmod +x build/fake",
             fk);
    char *out;
    int rc = sh(cmd, &out);
    ck_assert_msg(rc == 0, "cannot set up the stand-in repository: %s", out);
    free(out);
}
static void fake_repo_remove(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fk);
    ck_assert_int_eq(system(cmd), 0);
}
static char *fk_file(const char *rel) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", fk, rel);
    return slurp(p);
}

START_TEST(make_figure_killed_leaves_tables) {
    fake_repo();
    char cmd[2048], *out;
    // FORCE=1 make-figure in the background; once the program has written its first table (its
    // pid file exists), SIGTERM to make-figure (as `kill` would), then wait for it
    snprintf(
        cmd, sizeof cmd,
        "unset SIM_BUILD; cd %s; FAKE_PIDFILE=%s/pid FAKE_SLEEP=60 FORCE=1 scripts/make-figure fake & mf=$!;"
        "for i in $(seq 100); do [ -s %s/pid ] && break; sleep 0.1; done; sleep 0.3;"
        "kill -TERM $mf; wait $mf; echo \"status $?\";"
        "sleep 0.2; if kill -0 $(cat %s/pid) 2>/dev/null; then echo 'program still running'; kill $(cat %s/pid); fi",
        fk, fk, fk, fk, fk);
    sh(cmd, &out);
    ck_assert_msg(strstr(out, "status 130"), "make-figure did not exit 130 on SIGTERM:\n%s", out);
    ck_assert_msg(!strstr(out, "program still running"), "make-figure left the program running:\n%s", out);
    char *t = fk_file("figures/data/fake/t.tsv"), *c = fk_file("figures/data/fake/claims.txt"),
         *s = fk_file("figures/data/fake/stale.tsv");
    ck_assert_msg(t && strstr(t, "old"), "the published table was replaced by a killed run:\n%s", t ? t : "(gone)");
    ck_assert_msg(c && strstr(c, "old"), "the published claims were replaced by a killed run");
    ck_assert_msg(s != NULL, "a published table disappeared in a killed run");
    char p[256];
    snprintf(p, sizeof p, "%s/figures/data", fk);
    ck_assert_msg(count_matching(p, ".new.") == 0 && count_matching(p, ".old.") == 0,
                  "the scratch directory was left behind");
    free(t), free(c), free(s), free(out);
    fake_repo_remove();
}
END_TEST

START_TEST(make_figure_failed_leaves_tables) {
    fake_repo();
    char cmd[1024], *out;
    snprintf(cmd, sizeof cmd,
             "unset SIM_BUILD; cd %s; FAKE_PIDFILE=%s/pid FAKE_EXIT=1 FORCE=1 scripts/make-figure fake", fk, fk);
    int rc = sh(cmd, &out);
    ck_assert_msg(rc == 1, "make-figure did not fail with its program (status %d):\n%s", rc, out);
    char *t = fk_file("figures/data/fake/t.tsv");
    ck_assert_msg(t && strstr(t, "old"), "a failed run replaced the published table");
    char p[256];
    snprintf(p, sizeof p, "%s/figures/data", fk);
    ck_assert_int_eq(count_matching(p, ".new."), 0);
    free(t), free(out);
    fake_repo_remove();
}
END_TEST

START_TEST(make_figure_swaps_when_finished) {
    fake_repo();
    char cmd[1024], *out;
    snprintf(cmd, sizeof cmd, "unset SIM_BUILD; cd %s; FAKE_PIDFILE=%s/pid FORCE=1 scripts/make-figure fake", fk, fk);
    int rc = sh(cmd, &out);
    ck_assert_msg(rc == 0, "make-figure failed (status %d):\n%s", rc, out);
    ck_assert_msg(strstr(out, "[fake] progress line"), "the program's progress is not prefixed by its slug:\n%s", out);
    char *t = fk_file("figures/data/fake/t.tsv"), *t2 = fk_file("figures/data/fake/t2.tsv"),
         *s = fk_file("figures/data/fake/stale.tsv"), *c = fk_file("figures/data/fake/claims.txt"),
         *c2 = fk_file("figures/data/fake/claims-seed2.txt"), *h = fk_file("figures/data/fake/SOURCE_HASH"),
         *svg = fk_file("figures/fake.svg");
    ck_assert_msg(t && strstr(t, "1.5") && t2, "the new tables were not installed");
    ck_assert_msg(strstr(t, "# command: fake --out figures/data/fake\n"), "the header names the scratch directory:\n%s",
                  t);
    ck_assert_msg(s == NULL, "a table the program no longer writes was kept");
    ck_assert_msg(c && strstr(c, "new"), "claims.txt was not installed with the tables");
    ck_assert_msg(c2 && strstr(c2, "seed 2"), "claims-seed2.txt was not carried over");
    ck_assert_msg(h && strcmp(h, "0000\n") != 0, "SOURCE_HASH was not updated");
    ck_assert_msg(svg != NULL, "the figure was not drawn");
    free(t), free(t2), free(s), free(c), free(c2), free(h), free(svg), free(out);
    fake_repo_remove();
}
END_TEST

START_TEST(verify_compares_tables) {
    fake_repo();
    char cmd[2048], *out;
    // publish with FAKE_VALUE=1.5, then verify against reruns with other values
    snprintf(cmd, sizeof cmd, "unset SIM_BUILD; cd %s; FAKE_PIDFILE=%s/pid FORCE=1 scripts/make-figure fake", fk, fk);
    ck_assert_int_eq(sh(cmd, NULL), 0);
    snprintf(cmd, sizeof cmd, "unset SIM_BUILD; cd %s; FAKE_PIDFILE=%s/pid scripts/verify fake", fk, fk);
    int rc = sh(cmd, &out);
    ck_assert_msg(rc == 0 && strstr(out, "t.tsv") && strstr(out, "identical"), "identical rerun not verified (%d):\n%s",
                  rc, out);
    free(out);
    snprintf(cmd, sizeof cmd, "unset SIM_BUILD; cd %s; FAKE_PIDFILE=%s/pid FAKE_VALUE=1.5000001 scripts/verify fake",
             fk, fk);
    rc = sh(cmd, &out);
    ck_assert_msg(rc == 1 && strstr(out, "DIFFERS") && strstr(out, "t.tsv") && strstr(out, "6.67e-08"),
                  "a changed number was not reported with its size (%d):\n%s", rc, out);
    free(out);
    snprintf(
        cmd, sizeof cmd,
        "unset SIM_BUILD; cd %s; printf '# pattern rtol\\nt.tsv 1e-6  # round-off\\n' > experiments/fake/verify-tolerances;"
        "FAKE_PIDFILE=%s/pid FAKE_VALUE=1.5000001 scripts/verify fake",
        fk, fk);
    rc = sh(cmd, &out);
    ck_assert_msg(rc == 0, "verify-tolerances did not loosen t.tsv (%d):\n%s", rc, out);
    free(out);
    snprintf(cmd, sizeof cmd,
             "unset SIM_BUILD; cd %s; FAKE_PIDFILE=%s/pid FAKE_STATUS=not-reproduced scripts/verify fake", fk, fk);
    rc = sh(cmd, &out);
    ck_assert_msg(rc == 1 && strstr(out, "claims"), "a changed claim status was not reported (%d):\n%s", rc, out);
    free(out);
    char p[256];
    snprintf(p, sizeof p, "%s/figures/data/fake", fk);
    ck_assert_int_eq(count_matching(p, ".tsv"), 2);  // verify never writes there
    fake_repo_remove();
}
END_TEST

// ---- scripts/run-tests: quiet when passing, complete when failing ------------------------------
START_TEST(run_tests_output) {
    char d[] = "/tmp/simtest-rXXXXXX";
    ck_assert(mkdtemp(d));
    char cmd[4096], *out;
    snprintf(cmd, sizeof cmd,
             "cd %s; printf '#!/bin/sh\\necho noise; echo more noise\\necho TESTS 3 0\\n' > test_good;"
             "printf '#!/bin/sh\\necho the failure message\\necho TESTS 1 1\\nexit 1\\n' > test_bad;"
             "chmod +x test_good test_bad; cd - >/dev/null; scripts/run-tests %s/test_good %s/test_bad",
             d, d, d);
    int rc = sh(cmd, &out);
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(!strstr(out, "noise"), "a passing test file's output was printed:\n%s", out);
    ck_assert_msg(strstr(out, "test_good") && strstr(out, "ok: 3 passed"), "no line for the passing file:\n%s", out);
    ck_assert_msg(strstr(out, "the failure message"), "a failing test file's output was not printed:\n%s", out);
    ck_assert_msg(strstr(out, "4 passed, 1 failed"), "wrong closing line:\n%s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

// ---- make help lists every target; .gitignore covers the temporaries ---------------------------
START_TEST(make_help_lists_every_target) {
    char *out;
    // every name on a .PHONY line (continuations included) except the per-experiment figure-%
    int rc =
        sh("make -s --no-print-directory help > /tmp/simtest-help.$$ || exit 3;"
           "for t in $(awk '/^\\.PHONY:/{f=1; sub(/^\\.PHONY:/, \"\")} f{print; f = /\\\\$/}' Makefile | tr -d '\\\\');"
           "do case $t in '$('*) continue;; esac;"
           "  grep -qE \"^  make $t( |$)\" /tmp/simtest-help.$$ || echo \"missing from make help: $t\"; done;"
           "rm -f /tmp/simtest-help.$$",
           &out);
    ck_assert_msg(rc == 0 && !strstr(out, "missing"), "make help (status %d):\n%s", rc, out);
    free(out);
}
END_TEST

START_TEST(gitignore_temporaries) {
    char *out;
    int rc =
        sh("command -v git >/dev/null || exit 0; git rev-parse --git-dir >/dev/null 2>&1 || exit 0;"
           "git check-ignore -q figures/data/krr-curves/kappa.tsv.tmp.12345 && "
           "git check-ignore -q figures/data/.krr-curves.new.123/kappa.tsv && git check-ignore -q runs/x-1/a.tsv",
           &out);
    ck_assert_msg(rc == 0, ".gitignore does not cover *.tsv.tmp.<pid>, make-figure's scratch or runs/: %s", out);
    free(out);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("ownrun");
    TCase *t = tcase_create("cli");
    tcase_add_exit_test(t, cli_prefix_of_common_flag, 2);
    tcase_add_exit_test(t, cli_prefix_of_own_flag, 2);
    tcase_add_exit_test(t, cli_flag_as_value, 2);
    tcase_add_exit_test(t, cli_flag_as_number, 2);
    tcase_add_exit_test(t, cli_hex, 2);
    tcase_add_exit_test(t, cli_hex_double, 2);
    tcase_add_exit_test(t, cli_leading_space, 2);
    tcase_add_exit_test(t, cli_trailing_space, 2);
    tcase_add_exit_test(t, cli_infinity, 2);
    tcase_add_exit_test(t, cli_value_on_flag, 2);
    tcase_add_exit_test(t, cli_single_dash, 2);
    tcase_add_test(t, cli_accepts_exact_and_equals);
    tcase_add_test(t, cli_help_format);
    tcase_add_test(t, cli_repo_paths);
    tcase_add_exit_test(t, cli_bad_root_variable, 1);
    tcase_add_test(t, copied_binary_with_root_variable);
    tcase_set_timeout(t, 60);
    suite_add_tcase(s, t);
    t = tcase_create("lost output");
    tcase_add_test(t, stdout_full_disk_exits_1);
    tcase_add_test(t, signal_removes_temporaries);
    suite_add_tcase(s, t);
    t = tcase_create("scripts");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, make_figure_killed_leaves_tables);
    tcase_add_test(t, make_figure_failed_leaves_tables);
    tcase_add_test(t, make_figure_swaps_when_finished);
    tcase_add_test(t, verify_compares_tables);
    tcase_add_test(t, run_tests_output);
    tcase_add_test(t, make_help_lists_every_target);
    tcase_add_test(t, gitignore_temporaries);
    suite_add_tcase(s, t);
    return s;
}

TEST_MAIN()
