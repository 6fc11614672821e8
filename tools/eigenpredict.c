// eigenpredict: the eigenframework theory on your own data.
//
// Given a kernel's eigenvalues lambda_i and a target's coefficients v_i (or a Gram matrix of a
// sample and its labels, or a data matrix, labels and a kernel name), writes for every
// requested sample size n, ridge delta and number of random features k the eigenframework's
// predictions: the effective ridge kappa, the overfitting coefficient E0, the target's
// learnability, the test and train MSE, bias and variance, the fitting ratio E_tr/E_te, and on
// request the optimal ridge.
//
// Theory: KRR eigenframework, Simon, Dickens, Karkada, DeWeese, arXiv 2110.03922; random-feature
// eigenframework, Simon, Karkada, Ghosh, Belkin, arXiv 2311.14646 (ICLR 2024); Hermite
// eigenstructure ansatz, Karkada, Turnbull, Liu, Simon, arXiv 2510.14878.  Conventions (absolute
// ridge, noise variance, pool spectra lambda = eig(K)/M, v = U^T y/sqrt M) as in
// paper-notes/conventions.md.  The numerics are libsimsuite's (common/api.c, simsuite.h).
//
// Output: one TSV (stdout or --out FILE) with the suite's header contract: `#` lines (program,
// command, every parameter, the input's summary), ONE line of column names, then the rows,
// every number with 17 significant digits (exact round trip).  --plot FILE.png draws the test
// MSE against n with gnuplot.
//
// Exit status: 0 success; 1 bad input data (unreadable file, non-finite value, negative
// eigenvalue, non-symmetric Gram, mismatched lengths) or a numerical failure; 2 bad flags
// (including an n the input cannot predict).  Nothing is written before the input is validated.
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_version.h>
#include <lapacke.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hermite.h"
#include "linalg.h"
#include "simsuite.h"

#define PROG "eigenpredict"
#define LISTMAX 4096

static void die_input(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die_input(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, PROG ": ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}
static void die_usage(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die_usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, PROG ": ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see " PROG " --help)\n");
    exit(2);
}
static void *xalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) die_input("out of memory allocating %zu x %zu bytes", n, size);
    return p;
}

// ---- tables: TSV / CSV / whitespace text, and NumPy .npy ----
typedef struct {
    const char *path;
    size_t nr, nc;
    double *x;     // (nr, nc) row-major
    char **names;  // (nc) column names or NULL
} table;

static int ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static void read_npy(const char *path, table *t) {
    FILE *f = fopen(path, "rb");
    if (!f) die_input("cannot open %s: %s", path, strerror(errno));
    unsigned char mag[8];
    if (fread(mag, 1, 8, f) != 8 || memcmp(mag, "\x93NUMPY", 6) != 0)
        die_input("%s: not a NumPy .npy file (bad magic)", path);
    int major = mag[6];
    size_t hlen;
    if (major == 1) {
        unsigned char b[2];
        if (fread(b, 1, 2, f) != 2) die_input("%s: truncated .npy header", path);
        hlen = b[0] | (size_t)b[1] << 8;
    } else if (major == 2 || major == 3) {
        unsigned char b[4];
        if (fread(b, 1, 4, f) != 4) die_input("%s: truncated .npy header", path);
        hlen = b[0] | (size_t)b[1] << 8 | (size_t)b[2] << 16 | (size_t)b[3] << 24;
    } else die_input("%s: .npy format version %d is not supported (1, 2, 3)", path, major);
    if (hlen > 1 << 20) die_input("%s: .npy header of %zu bytes is implausible", path, hlen);
    char *h = xalloc(hlen + 1, 1);
    if (fread(h, 1, hlen, f) != hlen) die_input("%s: truncated .npy header", path);
    char *d = strstr(h, "'descr'"), *fo = strstr(h, "'fortran_order'"), *sh = strstr(h, "'shape'");
    if (!d || !fo || !sh) die_input("%s: .npy header lacks descr/fortran_order/shape: %s", path, h);
    d = strchr(d + 7, '\'');
    if (!d) die_input("%s: bad descr in .npy header", path);
    char descr[16] = {0};
    sscanf(d + 1, "%15[^']", descr);
    int size, swap = 0;
    const char *ty = descr + 1;
    if (!strcmp(ty, "f8")) size = 8;
    else if (!strcmp(ty, "f4")) size = 4;
    else
        die_input("%s: dtype '%s' is not supported: save float64 or float32 (np.save(path, a.astype(np.float64)))",
                  path, descr);
    uint16_t one = 1;
    int little = *(unsigned char *)&one == 1;
    if (descr[0] == '>') swap = little;
    else if (descr[0] == '<') swap = !little;
    char *fv = fo + strlen("'fortran_order'");
    while (*fv == ' ' || *fv == ':') fv++;
    if (!strncmp(fv, "True", 4))
        die_input("%s: Fortran-order arrays are not supported: save np.ascontiguousarray(a)", path);
    char *p = strchr(sh, '(');
    if (!p) die_input("%s: bad shape in .npy header", path);
    size_t dims[8], nd = 0;
    p++;
    while (*p && *p != ')') {
        while (*p == ' ' || *p == ',') p++;
        if (*p == ')') break;
        char *e;
        unsigned long long v = strtoull(p, &e, 10);
        if (e == p || nd == 8) die_input("%s: bad shape in .npy header", path);
        dims[nd++] = (size_t)v;
        p = e;
    }
    if (nd == 0 || nd > 2) die_input("%s: array of %zu dimensions: need a vector or a matrix", path, nd);
    t->nr = dims[0], t->nc = nd == 2 ? dims[1] : 1;
    size_t N = t->nr * t->nc;
    if (N == 0) die_input("%s: empty array", path);
    t->x = xalloc(N, sizeof(double));
    unsigned char *buf = xalloc(N, size);
    if (fread(buf, size, N, f) != N) die_input("%s: file shorter than its shape (%zu x %zu) says", path, t->nr, t->nc);
    fclose(f);
    for (size_t i = 0; i < N; i++) {
        unsigned char b[8];
        memcpy(b, buf + i * size, size);
        if (swap)
            for (int a = 0; a < size / 2; a++) {
                unsigned char c = b[a];
                b[a] = b[size - 1 - a], b[size - 1 - a] = c;
            }
        if (size == 8) memcpy(&t->x[i], b, 8);
        else {
            float v;
            memcpy(&v, b, 4);
            t->x[i] = v;
        }
    }
    free(buf), free(h);
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = 0;
    return s;
}

// Split line into fields: by `sep` (',' or '\t'), or by runs of whitespace when sep is 0.
static size_t split(char *line, char sep, char **out, size_t max) {
    size_t n = 0;
    if (sep) {
        char *p = line;
        for (;;) {
            char *e = strchr(p, sep);
            if (e) *e = 0;
            if (n < max) out[n] = trim(p);
            n++;
            if (!e) break;
            p = e + 1;
        }
    } else {
        char *p = line;
        while (*p) {
            while (*p && isspace((unsigned char)*p)) p++;
            if (!*p) break;
            char *s = p;
            while (*p && !isspace((unsigned char)*p)) p++;
            if (*p) *p++ = 0;
            if (n < max) out[n] = s;
            n++;
        }
    }
    return n;
}

static int parse_num(const char *s, double *v) {
    if (!*s) return 0;
    char *e;
    errno = 0;
    *v = strtod(s, &e);
    return *e == 0;
}

static void read_text(const char *path, table *t) {
    FILE *f = fopen(path, "r");
    if (!f) die_input("cannot open %s: %s", path, strerror(errno));
    int csv = ends_with(path, ".csv");
    char *line = NULL;
    size_t cap = 0, lineno = 0, rcap = 0;
    ssize_t len;
    char **fld = NULL;
    size_t fcap = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#') continue;
        char sep = csv ? ',' : (strchr(s, '\t') ? '\t' : 0);
        char *copy = strdup(s);
        size_t nf = split(s, sep, fld, fcap);
        if (nf > fcap) {  // grow and split again from the copy
            fcap = nf;
            fld = realloc(fld, fcap * sizeof *fld);
            if (!fld) die_input("out of memory");
            strcpy(s, copy);
            nf = split(s, sep, fld, fcap);
        }
        free(copy);
        if (!t->names && t->nr == 0 && t->nc == 0) {
            int numeric = 1;
            double v;
            for (size_t a = 0; a < nf; a++)
                if (!parse_num(fld[a], &v)) numeric = 0;
            t->nc = nf;
            if (!numeric) {
                t->names = xalloc(nf, sizeof(char *));
                for (size_t a = 0; a < nf; a++) t->names[a] = strdup(fld[a]);
                continue;
            }
        }
        if (nf != t->nc)
            die_input("%s: line %zu has %zu fields, expected %zu (as the first line): ragged table", path, lineno, nf,
                      t->nc);
        if (t->nr == rcap) {
            rcap = rcap ? 2 * rcap : 256;
            t->x = realloc(t->x, rcap * t->nc * sizeof(double));
            if (!t->x) die_input("out of memory reading %s", path);
        }
        for (size_t a = 0; a < nf; a++) {
            double v;
            if (!parse_num(fld[a], &v))
                die_input("%s: line %zu, field %zu: '%s' is not a number%s", path, lineno, a + 1, fld[a],
                          *fld[a] ? "" : " (empty field)");
            t->x[t->nr * t->nc + a] = v;
        }
        t->nr++;
    }
    free(line), free(fld);
    fclose(f);
    if (t->nr == 0) die_input("%s: no data rows", path);
}

static void read_table(const char *path, table *t) {
    memset(t, 0, sizeof *t);
    t->path = path;
    if (ends_with(path, ".npy")) read_npy(path, t);
    else read_text(path, t);
}

// Column by name or 1-based number; -1 if sel is NULL and fallback < 0.
static long find_col(const table *t, const char *sel, long fallback, const char *what) {
    if (!sel) return fallback;
    char *e;
    long c = strtol(sel, &e, 10);
    if (*e == 0 && e != sel) {
        if (c < 1 || (size_t)c > t->nc) die_usage("--%s %s: %s has %zu columns", what, sel, t->path, t->nc);
        return c - 1;
    }
    for (size_t a = 0; t->names && a < t->nc; a++)
        if (!strcmp(t->names[a], sel)) return (long)a;
    die_usage("--%s %s: %s has no column named '%s'%s", what, sel, t->path, sel,
              t->names ? "" : " (it has no header line)");
}
static long named_col(const table *t, const char *const *names) {
    for (size_t a = 0; t->names && a < t->nc; a++)
        for (int k = 0; names[k]; k++)
            if (!strcmp(t->names[a], names[k])) return (long)a;
    return -1;
}
static double *column(const table *t, long c, const char *what) {
    double *v = xalloc(t->nr, sizeof *v);
    for (size_t i = 0; i < t->nr; i++) {
        v[i] = t->x[i * t->nc + c];
        if (!isfinite(v[i]))
            die_input("%s: %s value %zu (row %zu, column %ld) is not finite (%g)", t->path, what, i + 1, i + 1, c + 1,
                      v[i]);
    }
    return v;
}

// ---- lists ----
// "a,b,c" or "A:B:COUNT" (COUNT log-spaced values from A to B); "inf" allowed when allow_inf.
static int parse_list(const char *flag, const char *s, double *out, int allow_inf, double min) {
    int n = 0;
    double a, b, c;
    char tail;
    if (strchr(s, ':')) {
        if (sscanf(s, "%lf:%lf:%lf%c", &a, &b, &c, &tail) != 3 || !(a > 0 && b > a && c >= 2 && c <= LISTMAX) ||
            !isfinite(b) || c != floor(c))
            die_usage("--%s %s: expected A:B:COUNT with 0 < A < B finite and 2 <= COUNT <= %d integer", flag, s,
                      LISTMAX);
        for (int i = 0; i < (int)c; i++) out[n++] = a * pow(b / a, i / (c - 1));
        out[0] = a, out[n - 1] = b;
    } else {
        char *dup = strdup(s), *save = NULL;
        for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            double v;
            char *t = trim(tok);
            if (!parse_num(t, &v) || isnan(v) || (isinf(v) && !allow_inf) || v < min || (isinf(v) && v < 0))
                die_usage("--%s: '%s' is not a number %s%g%s", flag, t, min > 0 ? "> " : ">= ", min > 0 ? 0 : min,
                          allow_inf ? " (or inf)" : " (finite)");
            if (n == LISTMAX) die_usage("--%s: more than %d values", flag, LISTMAX);
            out[n++] = v;
        }
        free(dup);
        if (n == 0) die_usage("--%s: empty list", flag);
    }
    return n;
}
static double parse_double(const char *flag, const char *s, double min) {
    double v;
    if (!parse_num(s, &v) || !isfinite(v) || v < min)
        die_usage("--%s %s: expected a finite number >= %g", flag, s, min);
    return v;
}

// ---- options ----
static struct {
    const char *spectrum, *targets, *gram, *data, *labels;
    const char *lambda_col, *v_col, *v2_col, *mult_col, *y_col;
    const char *kernel;
    double bandwidth, wstd, bstd;
    int depth;
    int hea, hea_lmax;
    long hea_modes;
    const char *n_s, *ridge_s, *k_s, *grid_s;
    double noise, tail, target_tail, pool, ridge_tol;
    int optimal;
    const char *out, *plot, *modes_out;
} O = {.bandwidth = NAN,
       .wstd = 1.4142135623730951,
       .bstd = 0.1,
       .depth = 4,
       .hea_lmax = 8,
       .ridge_s = "0",
       .k_s = "inf",
       .ridge_tol = 1e-8};

static void usage(void) {
    printf("Usage: " PROG
           " INPUT [options]\n"
           "The eigenframework theory of kernel ridge regression (Simon et al., arXiv 2110.03922) and of\n"
           "random-feature regression (Simon et al., arXiv 2311.14646) on your own spectrum, Gram matrix or\n"
           "data.  Files: TSV (tab or whitespace), CSV (.csv) or NumPy .npy (float64/float32, C order);\n"
           "text files may start with one line of column names; lines starting with # are skipped.\n"
           "\n"
           "INPUT (one of):\n"
           "  --spectrum FILE      eigenvalues lambda_i (column 'lambda', or the first) and, in the same file,\n"
           "                       target coefficients v_i (column 'v', or the second, if present)\n"
           "    --targets FILE     v_i from a second file instead (its first column, or --v-col)\n"
           "    --lambda-col C --v-col C --v2-col C --mult-col C   columns by name or number (1-based);\n"
           "                       --v2-col reads squared coefficients v_i^2 (per level when --mult-col given)\n"
           "    --tail T           eigenvalue mass beyond the given modes, acting as ridge (default 0)\n"
           "    --target-tail P    target power beyond the given modes, never learned (default 0)\n"
           "    --pool M           the spectrum came from an M-point pool: adds heldout_mse (M E_te - n E_tr)/(M - n)\n"
           "  --gram FILE --labels FILE   an M x M kernel Gram matrix of a sample and its labels y (M):\n"
           "                       lambda = eig(K)/M, v = U^T y / sqrt(M) (the pool spectrum), heldout_mse added\n"
           "  --data FILE --labels FILE --kernel NAME   a data matrix X (M x d, one point per row): the Gram\n"
           "                       matrix of KERNEL, then as --gram.  Kernels: laplace, laplace-hea, gaussian\n"
           "                       (--bandwidth), ntk, nngp, relu-ntk, relu-nngp, erf-ntk, erf-nngp (--depth L\n"
           "                       hidden layers, default 4; --wstd, default sqrt 2; --bstd, default 0.1), ntk1b\n"
           "    --hea              instead of the Gram matrix, the Hermite eigenstructure ansatz (Karkada et al.,\n"
           "                       arXiv 2510.14878) from the data covariance (gaussian, laplace-hea only);\n"
           "                       v by Gram-Schmidt of the Hermite monomials on the whitened data\n"
           "    --hea-modes P      number of HEA modes (default min(M/2, 2000)); --hea-lmax L (default 8)\n"
           "    --y-col C          label column (default the first)\n"
           "\n"
           "PREDICTIONS:\n"
           "  --n LIST             sample sizes: 100,1000 or A:B:COUNT log-spaced (default 1:M/2:50, M = positive\n"
           "                       modes, or the pool size)\n"
           "  --ridge LIST         absolute ridges delta (default 0)\n"
           "  --noise S2           label-noise variance eps^2 (default 0)\n"
           "  --k LIST             numbers of random features (default inf = kernel regression)\n"
           "  --optimal-ridge      also one row per (n, k) at the ridge minimising the test MSE (row = optimal)\n"
           "    --ridge-grid LO:HI:G  its search grid (default 1e-8 T : 1e2 T : 101, T = trace), Brent-refined\n"
           "  --modes FILE         per-mode learnabilities L_i for every (n, ridge) (kernel regression)\n"
           "  --out FILE           output TSV (default stdout); --plot FILE.png  test MSE vs n (gnuplot; needs --out)\n"
           "  --help, --version\n"
           "\n"
           "Columns: n k ridge noise row kappa gamma E0 learnability test_mse test_mse_clean train_mse bias\n"
           "variance fitting_ratio heldout_mse.  test_mse is against noisy test labels (eps^2 included);\n"
           "test_mse_clean = test_mse - eps^2; bias = sum (1-L)^2 v^2 + target tail + eps^2 (random features:\n"
           "the paper's bias factor + eps^2); variance = (E0 - 1) bias; fitting_ratio = train_mse/test_mse.\n"
           "Exit status: 0 ok; 1 bad input data or numerical failure; 2 bad flags.\n"
           "Example:  " PROG " --spectrum spec.tsv --n 10:1000:20 --ridge 0,0.01 --noise 0.1 --out pred.tsv\n");
}

enum {
    OPT_TARGETS = 256,
    OPT_LAMBDA_COL,
    OPT_V_COL,
    OPT_V2_COL,
    OPT_MULT_COL,
    OPT_Y_COL,
    OPT_TAIL,
    OPT_TTAIL,
    OPT_POOL,
    OPT_BW,
    OPT_DEPTH,
    OPT_WSTD,
    OPT_BSTD,
    OPT_HEA,
    OPT_HEA_MODES,
    OPT_HEA_LMAX,
    OPT_OPT,
    OPT_GRID,
    OPT_PLOT,
    OPT_MODES,
    OPT_VERSION,
    OPT_TOL
};

static const char *fmtnum(char *buf, double v) {
    if (isinf(v)) snprintf(buf, 32, v > 0 ? "inf" : "-inf");
    else if (isnan(v)) snprintf(buf, 32, "nan");
    else snprintf(buf, 32, "%.17g", v);
    return buf;
}

// ---- the Hermite eigenstructure ansatz from data ----
static void hea_from_data(const table *X, const double *y, double **lam_out, double **v2_out, size_t *P_out,
                          double *tail, double *ttail, char *note, size_t notelen) {
    int N = (int)X->nr, d = (int)X->nc;
    double *mu = xalloc(d, sizeof *mu), *Xc = xalloc((size_t)N * d, sizeof *Xc), *C = xalloc((size_t)d * d, sizeof *C);
    for (int i = 0; i < N; i++)
        for (int a = 0; a < d; a++) mu[a] += X->x[(size_t)i * d + a] / N;
    for (int i = 0; i < N; i++)
        for (int a = 0; a < d; a++) Xc[(size_t)i * d + a] = X->x[(size_t)i * d + a] - mu[a];
    for (int a = 0; a < d; a++)
        for (int b = 0; b <= a; b++) {
            double s = 0;
            for (int i = 0; i < N; i++) s += Xc[(size_t)i * d + a] * Xc[(size_t)i * d + b];
            C[(size_t)a * d + b] = C[(size_t)b * d + a] = s / N;
        }
    double *ev = xalloc(d, sizeof *ev);
    if (la_eigh(d, C, ev, 1)) die_input("HEA: covariance eigendecomposition failed");
    double gmax = ev[d - 1], q = 0;
    int dp = 0;
    double *gamma = xalloc(d, sizeof *gamma);
    for (int a = d - 1; a >= 0; a--)
        if (ev[a] > 1e-12 * gmax) gamma[dp++] = ev[a];
    for (int a = 0; a < dp; a++) q += gamma[a];
    if (dp == 0) die_input("HEA: the data have zero covariance");
    long P = O.hea_modes ? O.hea_modes : (N / 2 < 2000 ? N / 2 : 2000);
    if (P >= N)
        die_usage("--hea-modes %ld: must be below the number of data points %d (Gram-Schmidt of the monomials)", P, N);
    if (P < 1) die_usage("--hea needs at least 2 data points");
    double *lam = xalloc(P, sizeof *lam);
    int *deg = xalloc(P, sizeof *deg), lmax = O.hea_lmax, *idx = xalloc((size_t)P * (lmax ? lmax : 1), sizeof *idx);
    size_t got;
    if (ss_hea_eigenvalues(dp, gamma, O.kernel, O.bandwidth, lmax, (size_t)P, lam, deg, idx, &got))
        die_input("HEA: %s", ss_last_error());
    // whitened PCA coordinates z_a = (x - mu) . u_a / sqrt(gamma_a), a < dp (u_a: column d-1-a of C)
    double *Z = xalloc((size_t)N * dp, sizeof *Z);
    for (int i = 0; i < N; i++)
        for (int a = 0; a < dp; a++) {
            double s = 0;
            for (int b = 0; b < d; b++) s += Xc[(size_t)i * d + b] * C[(size_t)b * d + (d - 1 - a)];
            Z[(size_t)i * dp + a] = s / sqrt(gamma[a]);
        }
    // H (N, got): h_alpha(z_i); QR; v = Q^T y / sqrt(N)
    double *H = xalloc((size_t)N * got, sizeof *H), *htab = xalloc((size_t)dp * (lmax + 1), sizeof *htab);
    for (int i = 0; i < N; i++) {
        for (int a = 0; a < dp; a++) hermite_h_array(lmax, Z[(size_t)i * dp + a], htab + (size_t)a * (lmax + 1));
        for (size_t r = 0; r < got; r++)
            H[(size_t)i * got + r] = hermite_mono_eval_table(deg[r], idx + r * lmax, htab, lmax + 1);
    }
    double *tau = xalloc(got, sizeof *tau);
    if (LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, N, (int)got, H, (int)got, tau) ||
        LAPACKE_dorgqr(LAPACK_ROW_MAJOR, N, (int)got, (int)got, H, (int)got, tau))
        die_input("HEA: QR of the Hermite matrix failed");
    double *v2 = xalloc(got, sizeof *v2), vs = 0, y2 = 0;
    for (int i = 0; i < N; i++) y2 += y[i] * y[i] / N;
    for (size_t r = 0; r < got; r++) {
        double s = 0;
        for (int i = 0; i < N; i++) s += H[(size_t)i * got + r] * y[i];
        v2[r] = s * s / N;
        vs += v2[r];
    }
    double sl = 0;
    for (size_t r = 0; r < got; r++) sl += lam[r];
    *tail = fmax(0.0, 1.0 - sl);  // E K(x,x) = 1 for gaussian and laplace-hea
    *ttail = fmax(0.0, y2 - vs);
    *lam_out = lam, *v2_out = v2, *P_out = got;
    snprintf(note, notelen,
             "HEA: %d points, d = %d (%d with positive variance), trace %.10g, %zu modes to degree %d, "
             "eigenvalue tail 1 - sum lambda = %.6g, unexplained target power %.6g of mean y^2 = %.6g",
             N, d, dp, q, got, lmax, *tail, *ttail, y2);
    free(mu), free(Xc), free(C), free(ev), free(gamma), free(deg), free(idx), free(Z), free(H), free(htab), free(tau);
}

int main(int argc, char **argv) {
    static struct option lo[] = {{"spectrum", 1, 0, 's'},
                                 {"targets", 1, 0, OPT_TARGETS},
                                 {"gram", 1, 0, 'g'},
                                 {"data", 1, 0, 'x'},
                                 {"labels", 1, 0, 'y'},
                                 {"lambda-col", 1, 0, OPT_LAMBDA_COL},
                                 {"v-col", 1, 0, OPT_V_COL},
                                 {"v2-col", 1, 0, OPT_V2_COL},
                                 {"mult-col", 1, 0, OPT_MULT_COL},
                                 {"y-col", 1, 0, OPT_Y_COL},
                                 {"tail", 1, 0, OPT_TAIL},
                                 {"target-tail", 1, 0, OPT_TTAIL},
                                 {"pool", 1, 0, OPT_POOL},
                                 {"kernel", 1, 0, 'K'},
                                 {"bandwidth", 1, 0, OPT_BW},
                                 {"depth", 1, 0, OPT_DEPTH},
                                 {"wstd", 1, 0, OPT_WSTD},
                                 {"bstd", 1, 0, OPT_BSTD},
                                 {"hea", 0, 0, OPT_HEA},
                                 {"hea-modes", 1, 0, OPT_HEA_MODES},
                                 {"hea-lmax", 1, 0, OPT_HEA_LMAX},
                                 {"n", 1, 0, 'n'},
                                 {"ridge", 1, 0, 'r'},
                                 {"noise", 1, 0, 'e'},
                                 {"k", 1, 0, 'k'},
                                 {"optimal-ridge", 0, 0, OPT_OPT},
                                 {"ridge-grid", 1, 0, OPT_GRID},
                                 {"ridge-tol", 1, 0, OPT_TOL},
                                 {"modes", 1, 0, OPT_MODES},
                                 {"out", 1, 0, 'o'},
                                 {"plot", 1, 0, OPT_PLOT},
                                 {"help", 0, 0, 'h'},
                                 {"version", 0, 0, OPT_VERSION},
                                 {0, 0, 0, 0}};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 's': O.spectrum = optarg; break;
        case OPT_TARGETS: O.targets = optarg; break;
        case 'g': O.gram = optarg; break;
        case 'x': O.data = optarg; break;
        case 'y': O.labels = optarg; break;
        case OPT_LAMBDA_COL: O.lambda_col = optarg; break;
        case OPT_V_COL: O.v_col = optarg; break;
        case OPT_V2_COL: O.v2_col = optarg; break;
        case OPT_MULT_COL: O.mult_col = optarg; break;
        case OPT_Y_COL: O.y_col = optarg; break;
        case OPT_TAIL: O.tail = parse_double("tail", optarg, 0); break;
        case OPT_TTAIL: O.target_tail = parse_double("target-tail", optarg, 0); break;
        case OPT_POOL: O.pool = parse_double("pool", optarg, 1); break;
        case 'K': O.kernel = optarg; break;
        case OPT_BW: O.bandwidth = parse_double("bandwidth", optarg, 0); break;
        case OPT_DEPTH: O.depth = (int)parse_double("depth", optarg, 1); break;
        case OPT_WSTD: O.wstd = parse_double("wstd", optarg, 0); break;
        case OPT_BSTD: O.bstd = parse_double("bstd", optarg, 0); break;
        case OPT_HEA: O.hea = 1; break;
        case OPT_HEA_MODES: O.hea_modes = (long)parse_double("hea-modes", optarg, 1); break;
        case OPT_HEA_LMAX: {
            double v = parse_double("hea-lmax", optarg, 0);
            if (v > HERMITE_LMAX || v != floor(v))
                die_usage("--hea-lmax %s: an integer in [0, %d]", optarg, HERMITE_LMAX);
            O.hea_lmax = (int)v;
            break;
        }
        case 'n': O.n_s = optarg; break;
        case 'r': O.ridge_s = optarg; break;
        case 'e': O.noise = parse_double("noise", optarg, 0); break;
        case 'k': O.k_s = optarg; break;
        case OPT_OPT: O.optimal = 1; break;
        case OPT_GRID: O.grid_s = optarg; break;
        case OPT_TOL: O.ridge_tol = parse_double("ridge-tol", optarg, 1e-300); break;
        case OPT_MODES: O.modes_out = optarg; break;
        case 'o': O.out = optarg; break;
        case OPT_PLOT: O.plot = optarg; break;
        case 'h': usage(); return 0;
        case OPT_VERSION: printf(PROG " (simsuite %s)\n", ss_version()); return 0;
        default:
            if (optopt) die_usage("option '%s' needs a value or is unknown", argv[optind - 1]);
            die_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) die_usage("unexpected argument '%s'", argv[optind]);
    int ninputs = !!O.spectrum + !!O.gram + !!O.data;
    if (ninputs != 1) die_usage("give exactly one input: --spectrum, --gram or --data");
    if ((O.gram || O.data) && !O.labels)
        die_usage("--%s needs --labels FILE (the targets y of the sample)", O.gram ? "gram" : "data");
    if (O.spectrum && O.labels)
        die_usage("--labels goes with --gram or --data; a spectrum takes --targets (coefficients v_i)");
    if (O.data && !O.kernel) die_usage("--data needs --kernel NAME");
    if (!O.data && (O.kernel || O.hea)) die_usage("--kernel and --hea go with --data");
    if (O.v_col && O.v2_col) die_usage("--v-col and --v2-col exclude each other");
    if (O.plot && !O.out) die_usage("--plot needs --out FILE (the table it draws)");
    if (O.hea && strcmp(O.kernel, "gaussian") && strcmp(O.kernel, "laplace-hea"))
        die_usage("--hea needs --kernel gaussian or laplace-hea (rotation-invariant kernels with level coefficients)");
    if (O.data && isnan(O.bandwidth)) {
        if (!strcmp(O.kernel, "laplace") || !strcmp(O.kernel, "gaussian") || !strcmp(O.kernel, "laplace-hea"))
            die_usage("--kernel %s needs --bandwidth", O.kernel);
        O.bandwidth = 1;
    }

    // ---- the spectrum ----
    size_t M = 0;
    double *lam = NULL, *v2 = NULL, *mult = NULL, pool = O.pool, tail = O.tail, ttail = O.target_tail;
    char note[600] = "";
    table t = {0}, t2 = {0}, ty = {0}, tk = {0};  // the input files (freed at the end)
    double *Kown = NULL;                          // a Gram matrix built here from --data
    if (O.spectrum) {
        read_table(O.spectrum, &t);
        static const char *lnames[] = {"lambda", "lam", "eigenvalue", "eigenvalues", 0};
        static const char *vnames[] = {"v", "coef", "coefficient", 0};
        static const char *v2names[] = {"v2", 0};
        static const char *mnames[] = {"mult", "multiplicity", 0};
        long cl = find_col(&t, O.lambda_col, named_col(&t, lnames) >= 0 ? named_col(&t, lnames) : 0, "lambda-col");
        lam = column(&t, cl, "eigenvalue");
        M = t.nr;
        if (O.mult_col) mult = column(&t, find_col(&t, O.mult_col, -1, "mult-col"), "multiplicity");
        else if (named_col(&t, mnames) >= 0) mult = column(&t, named_col(&t, mnames), "multiplicity");
        const table *tv = &t;
        if (O.targets) {
            read_table(O.targets, &t2);
            tv = &t2;
            if (t2.nr != M)
                die_input("%s has %zu rows but %s has %zu eigenvalues: one target coefficient per eigenvalue",
                          O.targets, t2.nr, O.spectrum, M);
        }
        long cv = -1;
        int squared = 0;
        if (O.v2_col) cv = find_col(tv, O.v2_col, -1, "v2-col"), squared = 1;
        else if (O.v_col) cv = find_col(tv, O.v_col, -1, "v-col");
        else if (named_col(tv, v2names) >= 0) cv = named_col(tv, v2names), squared = 1;
        else if (named_col(tv, vnames) >= 0) cv = named_col(tv, vnames);
        else if (O.targets) cv = 0;
        else if (t.nc >= 2 && t.names == NULL) cv = cl == 0 ? 1 : 0;
        if (cv >= 0 && !O.targets && cv == cl) die_usage("the target column is the eigenvalue column (%ld)", cv + 1);
        if (cv >= 0) {
            double *v = column(tv, cv, squared ? "squared target coefficient" : "target coefficient");
            v2 = xalloc(M, sizeof *v2);
            for (size_t i = 0; i < M; i++) {
                if (squared && v[i] < 0)
                    die_input("%s: squared coefficient %zu is negative (%g)", tv->path, i + 1, v[i]);
                v2[i] = squared ? v[i] : v[i] * v[i];
            }
            free(v);
        }
        snprintf(note, sizeof note, "spectrum %s: %zu modes%s; targets %s", O.spectrum, M,
                 mult ? " with multiplicities" : "",
                 cv < 0      ? "none (only kappa, E0, noise terms)"
                 : O.targets ? O.targets
                             : "same file");
    } else {
        read_table(O.labels, &ty);
        long cy = find_col(&ty, O.y_col, 0, "y-col");
        double *y = column(&ty, cy, "label");
        read_table(O.gram ? O.gram : O.data, &tk);
        for (size_t i = 0; i < tk.nr * tk.nc; i++)
            if (!isfinite(tk.x[i]))
                die_input("%s: entry (%zu, %zu) is not finite (%g)", tk.path, i / tk.nc + 1, i % tk.nc + 1, tk.x[i]);
        if (ty.nr != tk.nr)
            die_input("%s has %zu labels but %s has %zu rows: one label per %s", O.labels, ty.nr, tk.path, tk.nr,
                      O.gram ? "row of the Gram matrix" : "data point");
        if (O.hea) {
            hea_from_data(&tk, y, &lam, &v2, &M, &tail, &ttail, note, sizeof note);
            tail += O.tail, ttail += O.target_tail;
            if (pool == 0) pool = (double)tk.nr;
        } else {
            int Mi = (int)tk.nr;
            double *K;
            if (O.gram) {
                if (tk.nc != tk.nr)
                    die_input("%s: a Gram matrix must be square (it is %zu x %zu)", tk.path, tk.nr, tk.nc);
                K = tk.x;
            } else {
                K = Kown = xalloc((size_t)Mi * Mi, sizeof *K);
                if (ss_kernel_gram(O.kernel, O.bandwidth, O.depth, O.wstd, O.bstd, Mi, 0, (int)tk.nc, tk.x, NULL, K))
                    die_input("%s", ss_last_error());
            }
            lam = xalloc(Mi, sizeof *lam);
            v2 = xalloc(Mi, sizeof *v2);
            if (ss_pool_spectrum(Mi, K, 1, y, lam, v2)) die_input("%s: %s", O.gram ? O.gram : O.data, ss_last_error());
            for (int i = 0; i < Mi; i++) v2[i] *= v2[i];
            M = (size_t)Mi;
            if (pool == 0) pool = Mi;
            snprintf(note, sizeof note, "pool spectrum of %s: M = %d, lambda = eig(K)/M, v = U^T y/sqrt(M), labels %s",
                     O.gram ? O.gram : O.data, Mi, O.labels);
        }
        free(y);
    }
    // validate the spectrum once (the library's own checks, with a clear message)
    double trace = 0, npos = 0, vsum = ttail;
    {
        ss_krr_result r;
        int st = ss_krr(M, lam, mult, v2, tail, ttail, 1.0, 1.0, O.noise, &r, NULL);
        if (st == SS_EINVAL) die_input("%s: %s", O.spectrum ? O.spectrum : "input", ss_last_error());
        for (size_t i = 0; i < M; i++) {
            double m = mult ? mult[i] : 1;
            if (lam[i] > 0) trace += m * lam[i], npos += m;
            if (v2) vsum += v2[i];
        }
        trace += tail;
        if (!(trace > 0)) die_input("no positive eigenvalue and no tail: nothing to predict");
    }

    // ---- the grid ----
    static double ns[LISTMAX], ridges[LISTMAX], ks[LISTMAX];
    int nn, nr, nk;
    if (O.n_s) nn = parse_list("n", O.n_s, ns, 0, 1e-300);
    else {
        double top = pool > 0 ? pool / 2 : npos / 2;  // safely below what a ridgeless fit can predict
        if (top <= 1) top = 2;
        nn = 0;
        for (int i = 0; i < 50; i++) ns[nn++] = pow(top, i / 49.0);
    }
    nr = parse_list("ridge", O.ridge_s, ridges, 0, 0);
    nk = parse_list("k", O.k_s, ks, 1, 1e-300);
    double glo = 1e-8 * trace, ghi = 1e2 * trace, gg = 101;
    if (O.grid_s) {
        char tl;
        if (sscanf(O.grid_s, "%lf:%lf:%lf%c", &glo, &ghi, &gg, &tl) != 3 ||
            !(glo > 0 && ghi > glo && isfinite(ghi) && gg >= 3))
            die_usage("--ridge-grid %s: expected LO:HI:G with 0 < LO < HI and G >= 3", O.grid_s);
    }
    for (int a = 0; a < nn; a++) {
        if (pool > 0 && !(ns[a] < pool))
            die_usage(
                "--n %g: not below the pool size M = %g: a spectrum estimated on M points cannot predict training "
                "sets that large (give --n below %g)",
                ns[a], pool, pool);
        for (int b = 0; b < nk; b++)
            if (isfinite(ks[b]) && ns[a] < 1)
                die_usage("--n %g with --k %g: the random-feature theory needs n >= 1", ns[a], ks[b]);
    }
    for (int a = 0; a < nn; a++)
        for (int r = 0; r < nr; r++)
            if (ridges[r] + tail == 0)
                for (int b = 0; b < nk; b++) {
                    if (ks[b] > ns[a] && !(npos > ns[a]))
                        die_usage(
                            "--n %g with ridge 0: the spectrum has only %g positive eigenvalues, so ridgeless "
                            "regression interpolates exactly and E0 is undefined; give --n below %g, a --ridge > 0 "
                            "or a --tail",
                            ns[a], npos, npos);
                    if (ks[b] <= ns[a] && !(npos > ks[b]))
                        die_usage(
                            "--k %g with ridge 0 and n = %g: only %g positive eigenvalues, so the feature kernel "
                            "has full rank (need more eigenvalues than k, or a --ridge > 0)",
                            ks[b], ns[a], npos);
                }

    // ---- compute every row first (nothing written on failure) ----
    typedef struct {
        double n, k, ridge, kappa, gamma, E0, L, te, tec, tr, bias, var, fr, ho;
        int optimal;
    } row;
    size_t nrows = (size_t)nn * nk * (nr + O.optimal), at = 0;
    row *R = xalloc(nrows, sizeof *R);
    double *Lbuf = O.modes_out ? xalloc(M, sizeof *Lbuf) : NULL;
    FILE *fm = NULL;
    if (O.modes_out) {
        fm = fopen(O.modes_out, "w");
        if (!fm) die_input("cannot write %s: %s", O.modes_out, strerror(errno));
        fprintf(fm, "# experiment: eigenpredict\n# table: per-mode learnabilities L_i = lambda_i/(lambda_i + kappa)\n");
        fprintf(fm, "n\tridge\ti\tlambda\tL\n");
    }
    for (int b = 0; b < nk; b++)
        for (int r = 0; r <= nr; r++) {
            if (r == nr && !O.optimal) continue;
            for (int a = 0; a < nn; a++) {
                row w = {.n = ns[a], .k = ks[b]};
                int st;
                if (r == nr) {
                    ss_optimum o;
                    st = ss_optimal_ridge(M, lam, mult, v2, tail, ttail, ns[a], ks[b], O.noise, glo, ghi, (int)gg,
                                          O.ridge_tol, 1, &o);
                    if (st) die_input("optimal ridge at n = %g, k = %g: %s", ns[a], ks[b], ss_last_error());
                    w.optimal = 1, w.ridge = o.ridge;
                    if (isinf(o.ridge)) {
                        w.kappa = w.gamma = INFINITY, w.E0 = 1, w.L = 0, w.te = o.test_mse, w.tec = o.test_mse_clean;
                        w.tr = o.train_mse, w.bias = o.test_mse, w.var = 0, w.fr = 1;
                        w.ho = pool > 0 ? o.test_mse : NAN;
                        R[at++] = w;
                        continue;
                    }
                } else w.ridge = ridges[r];
                if (isinf(ks[b])) {
                    ss_krr_result k;
                    st = ss_krr(M, lam, mult, v2, tail, ttail, ns[a], w.ridge, O.noise, &k, Lbuf);
                    if (st) die_input("n = %g, ridge = %g: %s", ns[a], w.ridge, ss_last_error());
                    w.kappa = w.gamma = k.kappa, w.E0 = k.E0, w.L = k.learnability, w.te = k.test_mse;
                    w.tec = k.test_mse_clean, w.tr = k.train_mse, w.bias = k.bias, w.var = k.variance,
                    w.fr = k.fitting_ratio;
                    if (fm && r < nr)
                        for (size_t i = 0; i < M; i++)
                            fprintf(fm, "%.17g\t%.17g\t%zu\t%.17g\t%.17g\n", ns[a], w.ridge, i + 1, lam[i], Lbuf[i]);
                } else {
                    ss_rf_result k;
                    st = ss_rf(M, lam, mult, v2, tail, ttail, ns[a], ks[b], w.ridge, O.noise, &k);
                    if (st) die_input("n = %g, k = %g, ridge = %g: %s", ns[a], ks[b], w.ridge, ss_last_error());
                    w.kappa = k.kappa, w.gamma = k.gamma, w.E0 = k.E0, w.L = NAN, w.te = k.test_mse,
                    w.tec = k.test_mse_clean;
                    w.tr = k.train_mse, w.bias = k.bias + O.noise, w.var = (k.E0 - 1) * w.bias, w.fr = k.fitting_ratio;
                }
                w.ho = pool > 0 ? ss_holdout(pool, ns[a], w.te, w.tr) : NAN;
                R[at++] = w;
            }
        }
    if (fm && fclose(fm)) die_input("writing %s failed", O.modes_out);

    // ---- write ----
    FILE *f = stdout;
    char tmp[4096];
    if (O.out) {
        snprintf(tmp, sizeof tmp, "%s.tmp.%d", O.out, (int)getpid());
        f = fopen(tmp, "w");
        if (!f) die_input("cannot write %s: %s", O.out, strerror(errno));
    }
    fprintf(f, "# experiment: eigenpredict\n# table: %s\n# command:", O.out ? O.out : "stdout");
    for (int i = 0; i < argc; i++) fprintf(f, " %s", argv[i]);
    fprintf(f, "\n# param input = %s\n", O.spectrum ? "spectrum" : O.gram ? "gram" : O.hea ? "data-hea" : "data");
    if (O.data) {
        fprintf(f, "# param kernel = %s\n# param bandwidth = %.17g\n", O.kernel, O.bandwidth);
        if (!O.hea)
            fprintf(f, "# param depth = %d\n# param wstd = %.17g\n# param bstd = %.17g\n", O.depth, O.wstd, O.bstd);
    }
    fprintf(f, "# param modes = %zu\n# param positive_modes = %.17g\n# param trace = %.17g\n", M, npos, trace);
    fprintf(f, "# param tail = %.17g\n# param target_tail = %.17g\n# param target_power = %.17g\n", tail, ttail, vsum);
    fprintf(f, "# param noise = %.17g\n# param n-list = %s\n# param ridge-list = %s\n# param k-list = %s\n", O.noise,
            O.n_s ? O.n_s : "default", O.ridge_s, O.k_s);
    if (pool > 0) fprintf(f, "# param pool = %.17g\n", pool);
    if (O.optimal)
        fprintf(f, "# param ridge-grid = %.17g:%.17g:%d\n# param ridge-tol = %g\n", glo, ghi, (int)gg, O.ridge_tol);
    fprintf(f, "# %s\n", note);
    fprintf(f, "# version: simsuite %s\n# libraries: GSL %s\n", ss_version(), GSL_VERSION);
    fprintf(f, "# theory: KRR eigenframework (arXiv 2110.03922)%s\n",
            nk > 1 || isfinite(ks[0]) ? "; random-feature eigenframework (arXiv 2311.14646)" : "");
    fprintf(
        f,
        "n\tk\tridge\tnoise\trow\tkappa\tgamma\tE0\tlearnability\ttest_mse\ttest_mse_clean\ttrain_mse\tbias\tvariance\t"
        "fitting_ratio\theldout_mse\n");
    for (size_t i = 0; i < at; i++) {
        row *w = &R[i];
        char b[16][32];
        fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", fmtnum(b[0], w->n),
                fmtnum(b[1], w->k), fmtnum(b[2], w->ridge), fmtnum(b[3], O.noise), w->optimal ? "optimal" : "given",
                fmtnum(b[4], w->kappa), fmtnum(b[5], w->gamma), fmtnum(b[6], w->E0), fmtnum(b[7], w->L),
                fmtnum(b[8], w->te), fmtnum(b[9], w->tec), fmtnum(b[10], w->tr), fmtnum(b[11], w->bias),
                fmtnum(b[12], w->var), fmtnum(b[13], w->fr), fmtnum(b[14], w->ho));
    }
    if (O.out) {
        if (fclose(f)) die_input("writing %s failed", O.out);
        if (rename(tmp, O.out)) die_input("cannot rename %s to %s: %s", tmp, O.out, strerror(errno));
    } else fflush(stdout);
    if (O.plot) {
        FILE *g = popen("gnuplot", "w");
        if (!g) die_input("--plot: cannot run gnuplot (install it: apt-get install gnuplot-nox)");
        // one datablock per series (k, ridge or optimal), from the rows just written
        int ns_ = 0;
        char titles[64][96];
        for (int b = 0; b < nk && ns_ < 64; b++)
            for (int r = 0; r <= nr && ns_ < 64; r++) {
                if (r == nr && !O.optimal) continue;
                fprintf(g, "$S%d << EOD\n", ns_);
                for (size_t i = 0; i < at; i++)
                    if (R[i].k == ks[b] && (r == nr ? R[i].optimal : !R[i].optimal && R[i].ridge == ridges[r]) &&
                        R[i].te > 0 && isfinite(R[i].te))
                        fprintf(g, "%.17g %.17g\n", R[i].n, R[i].te);
                fprintf(g, "EOD\n");
                char kb[40];
                if (isinf(ks[b])) snprintf(kb, sizeof kb, "KRR");
                else snprintf(kb, sizeof kb, "k = %g", ks[b]);
                if (r < nr) snprintf(titles[ns_], sizeof titles[ns_], "%s, ridge %g", kb, ridges[r]);
                else snprintf(titles[ns_], sizeof titles[ns_], "%s, optimal ridge", kb);
                ns_++;
            }
        fprintf(g, "set terminal pngcairo size 900,600 noenhanced\nset output '%s'\n", O.plot);
        fprintf(g, "set logscale xy\nset autoscale xfix\nset key outside right\nset grid\n");
        fprintf(g, "set xlabel 'training set size n'\nset ylabel 'predicted test MSE (noisy labels)'\n");
        fprintf(g, "set title \"eigenframework prediction for %s: %zu modes, noise %g\"\n",
                O.spectrum ? O.spectrum
                : O.gram   ? O.gram
                           : O.data,
                M, O.noise);
        fprintf(g, "plot ");
        for (int j = 0; j < ns_; j++)
            fprintf(g, "%s$S%d using 1:2 with linespoints title '%s'", j ? ", " : "", j, titles[j]);
        fprintf(g, "\n");
        if (pclose(g)) die_input("--plot: gnuplot failed drawing %s", O.plot);
    }
    table *tabs[4] = {&t, &t2, &ty, &tk};
    for (int q = 0; q < 4; q++) {
        for (size_t a = 0; tabs[q]->names && a < tabs[q]->nc; a++) free(tabs[q]->names[a]);
        free(tabs[q]->names), free(tabs[q]->x);
    }
    free(Kown), free(lam), free(v2), free(mult), free(R), free(Lbuf);
    return 0;
}
