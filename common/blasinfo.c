#define _GNU_SOURCE
#include "blasinfo.h"
#include <dlfcn.h>
#include <gsl/gsl_cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *blas_library(void) {
    Dl_info info;
    void *sym = dlsym(RTLD_DEFAULT, "cblas_dgemm");
    if (!sym) sym = (void *)&cblas_dgemm;
    if (dladdr(sym, &info) && info.dli_fname) {
        const char *slash = strrchr(info.dli_fname, '/');
        return slash ? slash + 1 : info.dli_fname;
    }
    return "unknown";
}

// OpenBLAS's thread-count hooks, looked up once: nn switches threads around every small GEMM
// (nn.c), where a dlsym per call would cost more than the switch.
static void (*set_threads_fn)(int);
static int (*get_threads_fn)(void);
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
static void find_hooks(void) {
    set_threads_fn = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    get_threads_fn = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
}

void blas_set_threads(int n) {
    pthread_once(&hooks_once, find_hooks);
    if (set_threads_fn) set_threads_fn(n);
}

int blas_get_threads(void) {
    pthread_once(&hooks_once, find_hooks);
    return get_threads_fn ? get_threads_fn() : 1;
}

void blas_describe(char *buf, size_t len) {
    char *(*cfg)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "openblas_get_config");
    const char *ct = getenv("OPENBLAS_CORETYPE");
    snprintf(buf, len, "cblas_dgemm from %s%s%s%s, threads %d, OPENBLAS_CORETYPE %s", blas_library(), cfg ? " (" : "",
             cfg ? cfg() : "", cfg ? ")" : "", blas_get_threads(), ct && *ct ? ct : "unset");
}
