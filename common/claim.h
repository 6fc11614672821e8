// claim: the one format in which every experiment states what it checked.
//
//   CLAIM krr.C4  reproduced  max |MSE_exp/MSE_th - 1| = 0.031  (tolerance 0.15)
//
// One stdout line per claim (per part: krr.C3a, krr.C3b).  Status is one of reproduced,
// not-reproduced, skipped (reason in brackets) or reported (a printed, never-gated number).
// `make claims` and the claim tests parse these lines; the ids also appear in the paper notes.
// A claim that does not reproduce is printed as such: the program still exits 0.
#ifndef SIM_CLAIM_H
#define SIM_CLAIM_H
// Prints the line; returns pass.  `tol` is free text: "0.15", "[0.99, 1.01]", "1e-8 n".
int claim_check(const char *id, int pass, const char *what, double value, const char *tol);
void claim_skip(const char *id, const char *reason);
void claim_report(const char *id, const char *what, double value);
// Totals so far (for a closing line on stderr).
void claim_counts(int *reproduced, int *not_reproduced, int *skipped);
// Print "claims: R reproduced, N not reproduced, S skipped" to stderr.
void claim_summary(const char *slug);
#endif
