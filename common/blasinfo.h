// blasinfo: which CBLAS the program is bound to, and its thread count.
//
// GSL's cblas_* calls are resolved at load time by link order: OpenBLAS when it precedes
// libgslcblas (the default build), GSL's reference CBLAS with `make BLAS=-lgslcblas`.  We ask
// the dynamic linker which one answered (dladdr on cblas_dgemm), so the answer is the truth,
// not the build flag.  OPENBLAS_CORETYPE changes double-precision speed by ~70% here, so it
// is recorded too.  No OpenBLAS symbol is referenced at link time.
#ifndef SIM_BLASINFO_H
#define SIM_BLASINFO_H
#include <stddef.h>
// e.g. "cblas_dgemm from libopenblas.so.0 (OpenBLAS 0.3.21 ... ), threads 1, OPENBLAS_CORETYPE unset"
void blas_describe(char *buf, size_t len);
const char *blas_library(void);  // path of the shared object that provides cblas_dgemm
void blas_set_threads(int n);    // no-op on a BLAS without a thread pool
int blas_get_threads(void);
#endif
