// libFuzzer harness for the corpus tokenizer (common/corpus.c): any bytes must give a corpus or
// a clean error, never a crash or an out-of-bounds access; on success the stream's ids are in
// range, the counts add up, and every vocabulary word is found by corpus_lookup.
// modules: corpus util
#include <stdint.h>
#include <stdlib.h>
#include "corpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[256];
    corpus *c = NULL;
    int V = size ? 1 + data[0] % 50 : 5;
    if (corpus_from_buffer((const char *)data, size, V, &c, err, sizeof err) != 0) return 0;
    long total = 0;
    for (int i = 0; i < c->V; i++) {
        total += c->count[i];
        if (corpus_lookup(c, c->word[i]) != i) abort();
    }
    if (total != c->n_ids) abort();
    for (long p = 0; p < c->n_ids; p++)
        if (c->ids[p] < 0 || c->ids[p] >= c->V) abort();
    double *C = calloc((size_t)c->V * c->V, sizeof *C);
    if (corpus_cooc_add(c->ids, c->n_ids, c->V, 3, C) < 0) abort();
    free(C);
    corpus_free(c);
    return 0;
}
