#define _GNU_SOURCE
#include "blasinfo.h"
#include <dlfcn.h>
#include <gsl/gsl_cblas.h>
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

void blas_set_threads(int n) {
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (set) set(n);
}

int blas_get_threads(void) {
    int (*get)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    return get ? get() : 1;
}

void blas_describe(char *buf, size_t len) {
    char *(*cfg)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "openblas_get_config");
    const char *ct = getenv("OPENBLAS_CORETYPE");
    snprintf(buf, len, "cblas_dgemm from %s%s%s%s, threads %d, OPENBLAS_CORETYPE %s", blas_library(), cfg ? " (" : "",
             cfg ? cfg() : "", cfg ? ")" : "", blas_get_threads(), ct && *ct ? ct : "unset");
}
