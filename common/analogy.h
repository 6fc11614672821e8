// analogy: word-analogy questions in the Google questions-words format, and their scoring by
// 3CosAdd over row-normalised embeddings (conventions.md, Analogies).
//
// Format: `: family` header lines, then questions `a b c d` (four whitespace-separated words,
// "a is to b as c is to d"), case-insensitive (A-Z are lowered); blank lines are skipped.  A
// line with another number of words, a question before any header, an empty family name, a
// NUL byte or a word longer than ANALOGY_MAX_WORD bytes is an error naming the line number.
//
// Scoring: a question counts only if all four words are in the vocabulary.  With the rows of W
// normalised to unit norm (w^), the prediction is argmax_i w^_i . (w^_c + w^_b - w^_a) over
// i not in {a, b, c}; the question is correct if that is d.  The scores are computed in
// batches as one dgemm (Q, d) x (d, V).  Alongside the plain top-1 accuracy we report the
// tie-expected accuracy: a question whose answer is in a T-way tie for the best score (scores
// within ANALOGY_TIE_REL relative of the best) gets credit 1/T (the exact synthetic
// embeddings have many exact ties).
//
// Ownership: an analogy_set owns its family names, its words and the resolved ids.
#ifndef SIM_ANALOGY_H
#define SIM_ANALOGY_H
#include <stddef.h>

#define ANALOGY_MAX_WORD 128
#define ANALOGY_TIE_REL 1e-9

typedef struct {
    int n_fam;      // families, in file order
    char **family;  // family[f]: its name (without the leading ": ")
    int n_q;        // questions
    int *fam;       // fam[q]: the family of question q
    char **w;       // w[4*q + j], j = 0..3: the words a, b, c, d of question q (lower case)
    int *id;        // id[4*q + j]: token ids after analogy_resolve (-1 = not in vocabulary)
} analogy_set;

typedef struct {
    int n_fam;
    int *n_total;        // [n_fam + 1]: questions per family; index n_fam is the total
    int *n_scored;       // ... of which all four words are in the vocabulary
    int *n_correct;      // ... of which the top-1 prediction is d
    double *tie_credit;  // ... summed tie-expected credit (1/T when d is in a T-way tie)
} analogy_result;

// Parse from memory (any bytes).  Returns 0 and *out, or nonzero with "line N: ..." in err.
int analogy_parse_buffer(const char *buf, size_t n, analogy_set **out, char *err, size_t errlen);
int analogy_read_file(const char *path, analogy_set **out, char *err, size_t errlen);
void analogy_free(analogy_set *s);
// Fill s->id with lookup(word, ctx) (an id in [0, V) or -1).  Returns the number of questions
// with all four words found.
int analogy_resolve(analogy_set *s, int (*lookup)(const char *word, void *ctx), void *ctx);

analogy_result *analogy_result_alloc(int n_fam);
void analogy_result_free(analogy_result *r);
// Score the resolved set on embeddings W (V, d) row-major (rows of zero norm are never
// predicted).  Ids must be < V.  Returns 0, or nonzero if an id is out of range.
int analogy_eval(const analogy_set *s, const double *W, int V, int d, analogy_result *r);
// Accuracy helpers: correct/scored (0 when nothing was scored) and coverage scored/total.
// A family with n_scored == 0 has no accuracy: a caller that draws or tabulates per-family
// accuracies checks n_scored first (word2vec-steps writes nan there), rather than show the 0.
double analogy_acc(const analogy_result *r, int f);
double analogy_tie_acc(const analogy_result *r, int f);
double analogy_coverage(const analogy_result *r, int f);
#endif
