// fit: see fit.h.
#include "fit.h"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double fit_mean(const double *x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i];
    return n > 0 ? s / n : NAN;
}

double fit_stderr(const double *x, int n) {
    if (n < 2) return 0.0;
    double m = fit_mean(x, n), s = 0;
    for (int i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
    return sqrt(s / (n - 1) / n);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// A sorted copy of x, or NULL when n <= 0 or memory runs out.
static double *sorted_copy(const double *x, int n) {
    if (n <= 0) return NULL;
    double *c = malloc((size_t)n * sizeof *c);
    if (!c) return NULL;
    memcpy(c, x, (size_t)n * sizeof *c);
    qsort(c, (size_t)n, sizeof *c, cmp_double);
    return c;
}

double fit_median(const double *x, int n) {
    double *c = sorted_copy(x, n);
    if (!c) return NAN;
    double m = (n % 2) ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    free(c);
    return m;
}

double fit_quantile(const double *x, int n, double q) {
    if (!(q >= 0 && q <= 1)) return NAN;
    double *c = sorted_copy(x, n);
    if (!c) return NAN;
    double h = (n - 1) * q;
    int i = (int)floor(h);
    double v = i + 1 < n ? c[i] + (h - i) * (c[i + 1] - c[i]) : c[n - 1];
    free(c);
    return v;
}

// The fit itself, on arrays already filtered to finite points.
static int line_of(const double *x, const double *y, int m, fit_line_t *out) {
    out->npts = m;
    out->slope = out->intercept = out->slope_se = NAN;
    if (m < 2) return -1;
    double c0, c1, c00, c01, c11, ss;
    gsl_fit_linear(x, 1, y, 1, (size_t)m, &c0, &c1, &c00, &c01, &c11, &ss);
    out->slope = c1, out->intercept = c0;
    if (m >= 3) out->slope_se = sqrt(c11);
    return 0;
}

// Keep (fx(x), fy(y)) for the points that pass keep(); then fit.  Heap buffers: n is a grid
// length in the programs (tens), but the library takes any n.
static int filtered_fit(const double *x, const double *y, int n, int logx, int logy, double lo, double hi,
                        int window_on_y, fit_line_t *out, int *first, int *last) {
    double *fx = malloc((size_t)(n > 0 ? n : 1) * sizeof *fx), *fy = malloc((size_t)(n > 0 ? n : 1) * sizeof *fy);
    if (first) *first = -1;
    if (last) *last = -1;
    if (!fx || !fy) {
        free(fx), free(fy);
        out->npts = 0, out->slope = out->intercept = out->slope_se = NAN;
        return -1;
    }
    int m = 0;
    for (int i = 0; i < n; i++) {
        double xi = x[i], yi = y[i];
        if (!isfinite(xi) || !isfinite(yi)) continue;
        if (logx && !(xi > 0)) continue;
        if (logy && !(yi > 0)) continue;
        double w = window_on_y ? yi : xi;
        if (!(w >= lo * (1 - 1e-9) && w <= hi * (1 + 1e-9))) continue;
        if (first && *first < 0) *first = i;
        if (last) *last = i;
        fx[m] = logx ? log(xi) : xi, fy[m] = logy ? log(yi) : yi, m++;
    }
    int rc = line_of(fx, fy, m, out);
    free(fx), free(fy);
    return rc;
}

int fit_line(const double *x, const double *y, int n, fit_line_t *out) {
    return filtered_fit(x, y, n, 0, 0, -INFINITY, INFINITY, 0, out, NULL, NULL);
}

int fit_loglog(const double *x, const double *y, int n, double lo, double hi, fit_line_t *out) {
    return filtered_fit(x, y, n, 1, 1, lo, hi, 0, out, NULL, NULL);
}

int fit_semilog_ywindow(const double *x, const double *y, int n, double ylo, double yhi, fit_line_t *out, int *first,
                        int *last) {
    return filtered_fit(x, y, n, 0, 1, ylo, yhi, 1, out, first, last);
}

double fit_spearman(const double *x, const double *y, int n) {
    if (n < 2) return NAN;
    double *work = malloc(2 * (size_t)n * sizeof *work);  // GSL ranks copies in it
    if (!work) return NAN;
    double r = gsl_stats_spearman(x, 1, y, 1, (size_t)n, work);
    free(work);
    return r;
}
