#include "ridgeopt.h"
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <math.h>

int ridgeopt_min(ridgeopt_fn f, void *ctx, double lo, double hi, int grid, double tol, ridgeopt_result *out) {
    double best = INFINITY, ub = log(lo), du = log(hi / lo) / (grid - 1);
    int jb = 0, bad = 0;
    for (int j = 0; j < grid; j++) {
        double u = log(lo) + j * du, e = f(u, ctx);
        if (!isfinite(e)) {
            bad = 1;
            continue;
        }
        if (e < best) best = e, ub = u, jb = j;
    }
    out->u = ub, out->f = best, out->interior = 0;
    if (bad) return -1;
    if (jb > 0 && jb < grid - 1) {
        out->interior = 1;
        double fa = f(ub - du, ctx), fb = f(ub + du, ctx);
        // Brent needs f(x) below both ends of its bracket; a flat triple (round-off) keeps the grid
        // point, which is then already within du of the optimum.
        if (best < fa && best < fb) {
            gsl_function F = {f, ctx};
            // a non-finite f inside the bracket is GSL_EBADFUNC: returned, not an abort
            gsl_error_handler_t *old = gsl_set_error_handler_off();
            gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
            gsl_min_fminimizer_set_with_values(m, &F, ub, best, ub - du, fa, ub + du, fb);
            for (int it = 0; it < 200; it++) {
                if (gsl_min_fminimizer_iterate(m)) break;
                if (gsl_min_fminimizer_x_upper(m) - gsl_min_fminimizer_x_lower(m) < tol) break;
            }
            double fm = gsl_min_fminimizer_f_minimum(m);
            if (fm < best) out->f = fm, out->u = gsl_min_fminimizer_x_minimum(m);
            gsl_min_fminimizer_free(m);
            gsl_set_error_handler(old);
        }
    }
    return 0;
}
