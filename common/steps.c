// steps: see steps.h (conventions.md, Step detection).
#include "fit.h"
#include "status.h"
#include "steps.h"
#include <math.h>
#include <stdlib.h>

// 0, or -1 with the reason recorded (status.h).
static int check_series(const char *fn, const double *t, const double *x, size_t n) {
    if (!t || !x) return sim_fail(-1, "%s: NULL series", fn);
    if (n < 2) return sim_fail(-1, "%s: a series needs at least 2 samples (got %zu)", fn, n);
    return 0;
}

// ---- crossing times ----
double steps_crossing(const double *t, const double *x, size_t n, size_t start, double level, int dir) {
    if (check_series("steps_crossing", t, x, n)) return NAN;
    if (dir != STEPS_UP && dir != STEPS_DOWN)
        return sim_fail(-1, "steps_crossing: dir = %d must be STEPS_UP or STEPS_DOWN", dir), NAN;
    if (start >= n) return NAN;
    // Work with y = dir (x - level): a crossing is y going from < 0 to >= 0.
    if (dir * (x[start] - level) >= 0) return NAN;
    for (size_t i = start + 1; i < n; i++) {
        double y1 = dir * (x[i] - level);
        if (y1 >= 0) {
            double y0 = dir * (x[i - 1] - level);  // < 0
            return t[i - 1] + (t[i] - t[i - 1]) * (-y0) / (y1 - y0);
        }
    }
    return NAN;
}

double steps_drop_time(const double *t, const double *L, size_t n, double L_hi, double L_lo) {
    if (!(L_hi > L_lo && L_lo >= 0))
        return sim_fail(-1, "steps_drop_time: need L_hi > L_lo >= 0 (got %g, %g)", L_hi, L_lo), NAN;
    double level = L_lo > 0 ? sqrt(L_hi * L_lo) : 1e-3 * L_hi;
    return steps_crossing(t, L, n, 0, level, STEPS_DOWN);
}

// ---- plateau value ----
double steps_plateau(const double *t, const double *x, size_t n, double ta, double tb, double *t_at) {
    if (check_series("steps_plateau", t, x, n)) return NAN;
    double best = INFINITY, val = NAN, tbest = NAN;
    for (size_t i = 0; i + 1 < n; i++) {
        if (!(t[i] > ta && t[i + 1] < tb)) continue;
        double slope = fabs((x[i + 1] - x[i]) / (t[i + 1] - t[i]));
        if (slope < best) best = slope, val = x[i], tbest = t[i];
    }
    if (t_at) *t_at = tbest;
    return val;
}

// ---- dwells ----
static double median_range(const double *x, size_t a, size_t b) {  // samples a..b inclusive
    return fit_median(x + a, (int)(b - a + 1));
}

int steps_dwell_at(const double *t, const double *L, size_t n, double Lstar, double band, double ratio,
                   steps_dwell *out) {
    if (check_series("steps_dwell_at", t, L, n)) return -1;
    if (!(Lstar > 0 && band > 0 && ratio > 1))
        return sim_fail(-1, "steps_dwell_at: need Lstar > 0, band > 0, ratio > 1 (got %g, %g, %g)", Lstar, band, ratio);
    double lo = (1 - band) * Lstar, hi = (1 + band) * Lstar;
    size_t i = 0;
    while (i < n) {
        if (!(t[i] > 0 && L[i] >= lo && L[i] <= hi)) {
            i++;
            continue;
        }
        size_t a = i;
        while (i + 1 < n && L[i + 1] >= lo && L[i + 1] <= hi) i++;
        size_t b = i++;  // maximal run a..b
        if (t[b] >= ratio * t[a]) {
            out->ta = t[a], out->tb = t[b], out->median = median_range(L, a, b);
            return 1;
        }
    }
    return 0;
}

// L at time s by linear interpolation (s within [t[0], t[n-1]]), starting the search at *k.
static double interp_at(const double *t, const double *L, size_t n, double s, size_t *k) {
    while (*k + 1 < n && t[*k + 1] < s) (*k)++;
    if (*k + 1 >= n) return L[n - 1];
    double w = (s - t[*k]) / (t[*k + 1] - t[*k]);
    return L[*k] + w * (L[*k + 1] - L[*k]);
}

int steps_unpredicted(const double *t, const double *L, size_t n, const double *levels, int nlev, double flat_tol,
                      double ratio, double band, steps_dwell *out, int max_out) {
    if (check_series("steps_unpredicted", t, L, n)) return -1;
    if (!(flat_tol > 0 && ratio > 1 && band > 0))
        return sim_fail(-1, "steps_unpredicted: need flat_tol > 0, ratio > 1, band > 0 (got %g, %g, %g)", flat_tol,
                        ratio, band);
    int found = 0;
    size_t k = 0, i = 0;
    // flat(i): t_i > 0, 1.1 t_i within the record, |L(1.1 t_i) - L(t_i)| <= flat_tol L(t_i).
#define FLAT(i)                                                                                                        \
    (t[i] > 0 && 1.1 * t[i] <= t[n - 1] && fabs(interp_at(t, L, n, 1.1 * t[i], &k) - L[i]) <= flat_tol * fabs(L[i]))
    while (i < n) {
        if (!FLAT(i)) {
            i++;
            continue;
        }
        size_t a = i;
        while (i + 1 < n && FLAT(i + 1)) i++;
        size_t b = i++;
        if (!(t[b] >= ratio * t[a])) continue;
        double med = median_range(L, a, b);
        int matched = 0;
        for (int j = 0; j < nlev && !matched; j++)
            matched = levels[j] > 0 ? fabs(med - levels[j]) <= band * levels[j] : fabs(med) <= band;
        if (matched) continue;
        if (found < max_out) out[found] = (steps_dwell){t[a], t[b], med};
        found++;
    }
#undef FLAT
    return found;
}
