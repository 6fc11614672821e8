#include "claim.h"
#include <stdio.h>

static int n_rep, n_not, n_skip;

const char *claim_kind_name(claim_kind k) {
    switch (k) {
    case CLAIM_IDENTITY: return "identity";
    case CLAIM_DEVIATION: return "deviation";
    default: return "experiment";
    }
}

int claim_check(const char *id, claim_kind kind, int pass, const char *what, double value, const char *tol) {
    printf("CLAIM %s  %s  %s  %s = %.6g  (tolerance %s)\n", id, pass ? "reproduced" : "not-reproduced",
           claim_kind_name(kind), what, value, tol);
    fflush(stdout);
    if (pass) n_rep++;
    else n_not++;
    return pass;
}

void claim_skip(const char *id, claim_kind kind, const char *reason) {
    printf("CLAIM %s  skipped  %s  (%s)\n", id, claim_kind_name(kind), reason);
    fflush(stdout);
    n_skip++;
}

void claim_report(const char *id, claim_kind kind, const char *what, double value) {
    printf("CLAIM %s  reported  %s  %s = %.6g\n", id, claim_kind_name(kind), what, value);
    fflush(stdout);
}

void claim_counts(int *reproduced, int *not_reproduced, int *skipped) {
    if (reproduced) *reproduced = n_rep;
    if (not_reproduced) *not_reproduced = n_not;
    if (skipped) *skipped = n_skip;
}

void claim_summary(const char *slug) {
    fprintf(stderr, "%s: claims: %d reproduced, %d not reproduced, %d skipped\n", slug, n_rep, n_not, n_skip);
}
