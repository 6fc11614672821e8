// test_dataset: the MNIST-format data set chosen by --dataset (mnist or fashion) and named in
// every table header.
//
//   * cli: --dataset takes mnist or fashion, anything else is a usage error (exit 2); fashion's
//     default directory is data/fashion-mnist (or $FASHION_MNIST_DIR); --mnist-dir still wins.
//   * reverse-ntk --quick --dataset fashion exits 0 and every table's header says
//     "# dataset: Fashion-MNIST" with the train-images sha256 of scripts/fetch-fashion-mnist.sh
//     (skipped, with a note, when data/fashion-mnist is absent: `make data` fetches it).
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "testlib.h"

static cli t_cli;
static void parse(const char *a1, const char *a2, const char *a3, const char *a4) {
    char *argv[6] = {"t", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
    int argc = 1;
    while (argc < 5 && argv[argc]) argc++;
    t_cli = (cli){.slug = "t", .summary = "test"};
    cli_parse(&t_cli, argc, argv);
}

START_TEST(dataset_bogus_is_usage_error) { parse("--dataset", "bogus", "--out", "/tmp/simtest-never"); }
END_TEST
START_TEST(dataset_empty_is_usage_error) { parse("--dataset=", "--out", "/tmp/simtest-never", NULL); }
END_TEST

START_TEST(dataset_default_directories) {
    unsetenv("MNIST_DIR");
    unsetenv("FASHION_MNIST_DIR");
    parse("--out", "/tmp/simtest-never", NULL, NULL);
    ck_assert_str_eq(t_cli.dataset, "mnist");
    ck_assert_str_eq(t_cli.mnist_dir, "data/mnist");  // run-tests runs from the repository root
    if (access("data/fashion-mnist/train-images-idx3-ubyte", R_OK) != 0) {
        printf("note: data/fashion-mnist is absent (make data fetches it); the fashion directory cases skipped\n");
        return;
    }
    parse("--dataset", "fashion", "--out", "/tmp/simtest-never");
    ck_assert_str_eq(t_cli.dataset, "fashion");
    ck_assert_str_eq(t_cli.mnist_dir, "data/fashion-mnist");
    ck_assert_str_eq(cli_dataset_title(&t_cli), "Fashion-MNIST");
    // --mnist-dir wins over --dataset's directory; the title follows the content (.verified)
    char *argv[] = {"t",     "--dataset",          "fashion", "--mnist-dir", "data/fashion-mnist",
                    "--out", "/tmp/simtest-never", NULL};
    t_cli = (cli){.slug = "t", .summary = "test"};
    cli_parse(&t_cli, 7, argv);
    ck_assert_str_eq(t_cli.mnist_dir, "data/fashion-mnist");
    char *argv2[] = {"t", "--mnist-dir", "data/fashion-mnist", "--out", "/tmp/simtest-never", NULL};
    t_cli = (cli){.slug = "t", .summary = "test"};
    cli_parse(&t_cli, 5, argv2);
    ck_assert_str_eq(t_cli.dataset, "mnist");
    ck_assert_str_eq(cli_dataset_title(&t_cli), "Fashion-MNIST");
}
END_TEST

// Run a shell command, stdout+stderr into *out (malloc'd); return its exit status.
static int sh(const char *cmd, char **out) {
    FILE *p = popen(cmd, "r");
    size_t cap = 1 << 16, len = 0, k;
    char *b = malloc(cap);
    while (p && (k = fread(b + len, 1, cap - len - 1, p)) > 0) {
        len += k;
        if (cap - len < 4096) b = realloc(b, cap *= 2);
    }
    b[len] = 0;
    int st = p ? pclose(p) : -1;
    *out = b;
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

START_TEST(reverse_ntk_quick_fashion) {
    const char *bdir = getenv("SIM_BUILD") && *getenv("SIM_BUILD") ? getenv("SIM_BUILD") : "build";
    char exe[512];
    snprintf(exe, sizeof exe, "%s/reverse-ntk", bdir);
    if (access(exe, X_OK) != 0) {
        printf("note: %s is not built; the --dataset fashion run skipped\n", exe);
        return;
    }
    if (access("data/fashion-mnist/train-images-idx3-ubyte", R_OK) != 0) {
        printf("note: data/fashion-mnist is absent (make data fetches it); the --dataset fashion run skipped\n");
        return;
    }
    char d[] = "/tmp/simtest-fashionXXXXXX", cmd[2048], *out;
    ck_assert(mkdtemp(d));
    snprintf(cmd, sizeof cmd, "OPENBLAS_NUM_THREADS=1 %s --quick --dataset fashion --out %s/r 2>&1", exe, d);
    int rc = sh(cmd, &out);
    ck_assert_msg(rc == 0, "reverse-ntk --quick --dataset fashion exited %d:\n%s", rc, out);
    ck_assert_msg(strstr(out, "revntk.C5") && !strstr(out, "revntk.C5  skipped"),
                  "revntk.C5 did not run on Fashion-MNIST:\n%s", out);
    free(out);
    // every table names the data set and the hash scripts/fetch-fashion-mnist.sh recorded
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/r", d);
    DIR *dir = opendir(path);
    ck_assert(dir);
    int ntables = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".tsv") != 0) continue;
        snprintf(
            cmd, sizeof cmd,
            "grep -c '^# dataset: Fashion-MNIST (data/fashion-mnist, sha256 of train-images c59f468a2f672dc8)$' %s/r/%s",
            d, e->d_name);
        rc = sh(cmd, &out);
        ck_assert_msg(rc == 0 && atoi(out) == 1, "%s: its header does not name Fashion-MNIST once (grep: %s)",
                      e->d_name, out);
        free(out);
        ntables++;
    }
    closedir(dir);
    ck_assert_msg(ntables > 0, "reverse-ntk wrote no tables in %s", path);
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *make_suite(void) {
    Suite *s = suite_create("dataset");
    TCase *t = tcase_create("cli");
    tcase_add_exit_test(t, dataset_bogus_is_usage_error, 2);
    tcase_add_exit_test(t, dataset_empty_is_usage_error, 2);
    tcase_add_test(t, dataset_default_directories);
    suite_add_tcase(s, t);
    t = tcase_create("run");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, reverse_ntk_quick_fashion);
    suite_add_tcase(s, t);
    return s;
}

TEST_MAIN()
