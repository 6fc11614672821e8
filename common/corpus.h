// corpus: text corpora for the word-embedding experiments (word2vec-steps): a tokenizer that
// accepts any bytes, the vocabulary of the V most frequent words with their counts, the
// in-vocabulary token stream, and windowed co-occurrence counts.
//
// Tokens (conventions.md, Tokens and corpora): a token is a maximal run of ASCII letters,
// lower-cased; EVERY other byte (digits, punctuation, UTF-8 continuation bytes, NUL, CR, newlines)
// is a separator.  A text8-style corpus is read unchanged; any other file is read without crashing
// (non-UTF-8 bytes, empty lines, no final newline).  Tokens longer than CORPUS_MAX_WORD bytes
// are cut into pieces of that length (a run of 10^6 letters is data corruption, not a word).
// The vocabulary is the V most frequent types, ties broken alphabetically (byte order); the
// token id is the rank.  Out-of-vocabulary tokens are DELETED from the stream before any
// windowing, so windows span them (as in word2vec).  The whole file is one stream.
//
// Ownership: a corpus owns its words, counts, its id stream and its lookup table.
//
// Errors: the readers return a nonzero status and a one-line message in `err` (never exit):
// an empty input, an input with no letter at all, an unreadable file.  They never read outside
// the buffer they are given (they are libFuzzer targets).
#ifndef SIM_CORPUS_H
#define SIM_CORPUS_H
#include <stddef.h>

#define CORPUS_MAX_WORD 64

typedef struct {
    int V;          // vocabulary size (the requested V, or fewer if the corpus has fewer types)
    char **word;    // word[i]: the i-th most frequent type, NUL-terminated, lower case
    long *count;    // count[i]: its number of occurrences in the whole corpus
    long n_tokens;  // tokens in the whole corpus (in and out of vocabulary)
    long n_types;   // distinct types in the whole corpus
    long n_ids;     // in-vocabulary tokens
    int *ids;       // ids[p], p < n_ids: the in-vocabulary stream (OOV tokens deleted)
    // private: open-addressing hash of the vocabulary for corpus_lookup
    int *hash_;
    size_t hash_cap_;
} corpus;

// Read a corpus from memory (any bytes; n may be 0).  V >= 1 is the vocabulary size.
// Returns 0 and *out on success; nonzero with a message in err (errlen bytes) on failure.
int corpus_from_buffer(const char *buf, size_t n, int V, corpus **out, char *err, size_t errlen);
// Read a corpus from a file; a name ending in ".xz" is decompressed through `xz -dc`.
int corpus_from_file(const char *path, int V, corpus **out, char *err, size_t errlen);
void corpus_free(corpus *c);
// Token id of a word (case-insensitive: A-Z are lowered first), or -1 if not in the vocabulary.
int corpus_lookup(const corpus *c, const char *word);

// Windowed co-occurrence (conventions.md, Tokens and corpora): for every position p of ids[0..n)
// and offset o = 1..L with p + o < n, add weight (L + 1 - o) to C[ids[p], ids[p+o]] and to
// C[ids[p+o], ids[p]].  C is (V, V) row-major and is ADDED TO (zero it first), so a corpus made of
// separate lines (windows that never cross a line) is counted by one call per line.  Returns the
// total weight added.  Ids outside [0, V) are an error (returns -1 and adds nothing).
double corpus_cooc_add(const int *ids, long n, int V, int L, double *C);
#endif
