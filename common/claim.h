// claim: the one format in which every experiment states what it checked.
//
//   CLAIM krr.C4  reproduced  experiment  max |MSE_exp/MSE_th - 1| = 0.031  (tolerance 0.15)
//
// One stdout line per claim (per part: krr.C3a, krr.C3b).  Status is one of reproduced,
// not-reproduced, skipped (reason in brackets) or reported (a printed, never-gated number).
// The kind after the status says what sort of evidence the line is:
//   experiment  a quantity measured in a simulation or a training run, against a theory
//               computed without that measurement: the only kind that can confirm the paper;
//   identity    exact mathematics, a closed form, or a solver's own consistency (a
//               conservation law, KKT conditions, E0 = n/(n-k)): it guards the code, it cannot
//               confirm or refute the paper;
//   deviation   the paper's statement does not hold in this setting; the line asserts the
//               measured deviation, with its sign and size, so that it fails if the deviation
//               goes away or changes.
// `make claims` and the claim tests parse these lines; the scoreboard counts the kinds apart and
// an experiment claim counts as reproduced only when every seed reproduces it.  The ids also
// appear in the paper notes.  A claim that does not reproduce is printed as such: the program
// still exits 0.
#ifndef SIM_CLAIM_H
#define SIM_CLAIM_H
typedef enum { CLAIM_EXPERIMENT, CLAIM_IDENTITY, CLAIM_DEVIATION } claim_kind;
// "experiment", "identity", "deviation".
const char *claim_kind_name(claim_kind k);
// Prints the line; returns pass.  `tol` is free text: "0.15", "[0.99, 1.01]", "1e-8 n".
int claim_check(const char *id, claim_kind kind, int pass, const char *what, double value, const char *tol);
void claim_skip(const char *id, claim_kind kind, const char *reason);
void claim_report(const char *id, claim_kind kind, const char *what, double value);
// Totals so far (for a closing line on stderr).
void claim_counts(int *reproduced, int *not_reproduced, int *skipped);
// Print "claims: R reproduced, N not reproduced, S skipped" to stderr.
void claim_summary(const char *slug);
#endif
