// steps: detectors that turn a recorded curve into step times and plateau levels
// (conventions.md, Step detection).
//
// What this module owns: the definitions, so that every stepwise experiment measures a "step
// time" or a "plateau" the same way.  Inputs are a recorded series x(t) at increasing times
// t[0] < t[1] < ... < t[n-1]; nothing is allocated that outlives a call.
//
//   steps_crossing      first crossing of a level from below or above, linearly interpolated
//   steps_drop_time     crossing (from above) of the geometric mean of two plateau levels
//   steps_plateau       the value at the flattest sample strictly between two times
//   steps_dwell_at      a dwell inside [0.99 L*, 1.01 L*] lasting t_b >= 1.1 t_a; its median
//   steps_unpredicted   maximal flat stretches whose median matches no predicted level
#ifndef SIM_STEPS_H
#define SIM_STEPS_H
#include <stddef.h>

// Direction of a crossing.
#define STEPS_UP 1     // from below: x[i-1] < level <= x[i]
#define STEPS_DOWN -1  // from above: x[i-1] > level >= x[i]

// The first time after t[start] at which x crosses `level` in direction dir, linearly
// interpolated between the two bracketing samples (with 1e3 samples per unit time, the nearest
// sample would already carry 0.1 % error).  NAN if it never crosses, or if x[start] is already
// on the far side (a series that starts above the level has no crossing from below).
double steps_crossing(const double *t, const double *x, size_t n, size_t start, double level, int dir);

// Drop time between consecutive predicted plateaus L_hi > L_lo >= 0: the crossing from above of
// sqrt(L_hi L_lo), or of 1e-3 L_hi when L_lo = 0.
double steps_drop_time(const double *t, const double *L, size_t n, double L_hi, double L_lo);

// Plateau value between two measured step times ta < tb: the value of x at the sample of
// smallest |dx/dt| (forward difference over one recording interval) with ta < t[i] and
// t[i+1] < tb.  Writes that sample's time into *t_at if non-NULL.  NAN if no sample qualifies.
double steps_plateau(const double *t, const double *x, size_t n, double ta, double tb, double *t_at);

// A dwell: the interval [ta, tb] and the median of x over its samples.
typedef struct {
    double ta, tb, median;
} steps_dwell;

// Defaults of conventions.md, Step detection.
#define STEPS_DWELL_BAND 0.01  // the band [0.99 L*, 1.01 L*]
#define STEPS_DWELL_RATIO 1.1  // t_b >= 1.1 t_a
#define STEPS_FLAT_TOL 1e-3    // |L(1.1 t) - L(t)| <= 1e-3 L(t)
#define STEPS_FLAT_RATIO 1.2   // t_b >= 1.2 t_a

// Dwell at a predicted level Lstar > 0: the first maximal run of samples (with t > 0) inside
// [(1 - band) Lstar, (1 + band) Lstar] whose time span satisfies tb >= ratio * ta.  Returns 1
// and fills *out if found, else 0.
int steps_dwell_at(const double *t, const double *L, size_t n, double Lstar, double band, double ratio,
                   steps_dwell *out);

// Unpredicted dwells: maximal runs of samples (t > 0) where |L(1.1 t) - L(t)| <= flat_tol L(t)
// (L(1.1 t) linearly interpolated; samples with 1.1 t > t[n-1] do not qualify), whose span
// satisfies tb >= ratio ta, and whose median is outside the band of every predicted level
// (|median - level| > band * level for all nlev levels; a level 0 matches |median| <= band).
// Writes up to max_out of them into out; returns how many were found in total.
int steps_unpredicted(const double *t, const double *L, size_t n, const double *levels, int nlev, double flat_tol,
                      double ratio, double band, steps_dwell *out, int max_out);
#endif
