// ridgeopt: the ridge that minimises a theory's test error, the one search every caller shares
// (random-features' optimal-ridge envelopes, the predictor's --optimal-ridge, ss_optimal_ridge).
//
//   u* = argmin_{u in [ln lo, ln hi]} f(u),   u = ln delta
//
// f is sampled on `grid` points equally spaced in u; if the smallest sample is interior and lower
// than both neighbours, Brent's method (GSL's gsl_min_fminimizer_brent, bracketed by the two
// neighbours) refines it until the bracket is narrower than `tol` in u (at most 200 iterations).
// The limits delta -> 0 and delta -> inf are the caller's: they depend on what f models.
#ifndef SIM_RIDGEOPT_H
#define SIM_RIDGEOPT_H
typedef double (*ridgeopt_fn)(double u, void *ctx);  // the test error at delta = exp(u)

typedef struct {
    double u;      // ln of the best ridge found
    double f;      // f(u)
    int interior;  // 1: the minimum lies inside the grid (refined); 0: at an end of the grid
} ridgeopt_result;

// Returns 0, or -1 if f returned a non-finite value at a grid point (the result then holds the
// best finite sample, if any).  Needs lo > 0, hi > lo, grid >= 3, tol > 0 (checked by callers).
int ridgeopt_min(ridgeopt_fn f, void *ctx, double lo, double hi, int grid, double tol, ridgeopt_result *out);
#endif
