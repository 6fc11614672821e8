// libFuzzer harness for the analogy-file parser (common/analogy.c): any bytes give a question
// set or an error naming a line, never a crash; on success every question has four words.
// modules: analogy util
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analogy.h"

static int lookup(const char *w, void *ctx) {
    (void)ctx;
    return (int)(strlen(w) % 7) - 1;  // some words "in vocabulary" (0..5), some not (-1)
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[256];
    analogy_set *s = NULL;
    if (analogy_parse_buffer((const char *)data, size, &s, err, sizeof err) != 0) return 0;
    for (int q = 0; q < s->n_q; q++) {
        if (s->fam[q] < 0 || s->fam[q] >= s->n_fam) abort();
        for (int j = 0; j < 4; j++)
            if (!s->w[4 * q + j] || !*s->w[4 * q + j]) abort();
    }
    analogy_resolve(s, lookup, NULL);
    analogy_free(s);
    return 0;
}
