// fit: the few statistics every experiment reports -- mean and standard error, median and
// quantiles, and least-squares lines, plain or on log-log axes.
//
// One implementation of each, so that "the slope of log t against log alpha" means the same fit
// in every program.  All functions take the data and return a number or a status; none prints
// or exits.  Lines are GSL's gsl_fit_linear (ordinary least squares); the slope's standard error
// is GSL's cov11 from the residual scatter, sqrt(SS_res / (m - 2) / S_xx).
#ifndef SIM_FIT_H
#define SIM_FIT_H

double fit_mean(const double *x, int n);    // NAN when n = 0
double fit_stderr(const double *x, int n);  // sample sd / sqrt(n); 0 when n < 2
double fit_median(const double *x, int n);  // does not modify x; NAN when n = 0
// The q-quantile (0 <= q <= 1) with linear interpolation between order statistics (type 7 of
// Hyndman & Fan, numpy's default); does not modify x; NAN when n = 0 or q is outside [0, 1].
double fit_quantile(const double *x, int n, double q);

// Spearman's rank correlation of x and y (n pairs): Pearson's correlation of their ranks, tied
// values sharing their mean rank (GSL's gsl_stats_spearman).  NAN when n < 2 or memory runs out.
double fit_spearman(const double *x, const double *y, int n);

// A fitted line y = intercept + slope x over npts points; slope_se is NAN when npts < 3.
typedef struct {
    double slope, intercept, slope_se;
    int npts;
} fit_line_t;

// Least squares through (x[i], y[i]), i < n, skipping pairs with a non-finite coordinate.
// Returns 0, or -1 (and slope = intercept = NAN) with fewer than 2 usable points.
int fit_line(const double *x, const double *y, int n, fit_line_t *out);

// The slope of ln y against ln x -- the exponent of a power law y ~ x^slope, the same in any
// logarithm base -- over the points with lo <= x <= hi (1e-9 relative slack at both ends, so a
// grid point equal to a bound is kept), x > 0 and y > 0, both finite.  lo = 0 and hi = INFINITY
// keep every point.  The intercept is ln y at x = 1.  Returns 0, or -1 with fewer than 2 points.
int fit_loglog(const double *x, const double *y, int n, double lo, double hi, fit_line_t *out);

// The slope of ln y against x (exponential growth or decay rate) over the points with
// ylo <= y <= yhi (a window on the value, e.g. a singular value's exponential phase), y > 0.
// *first and *last (either may be NULL) get the first and last index used, -1 if none.
// Returns 0, or -1 with fewer than 2 points.
int fit_semilog_ywindow(const double *x, const double *y, int n, double ylo, double yhi, fit_line_t *out, int *first,
                        int *last);
#endif
