// libFuzzer harness for the IDX parser (common/idx.c): any bytes, as image and as label files.
// modules: idx util
// The parser must return 0 or -1 with a message, never read out of bounds (ASan checks).
#include <stddef.h>
#include <stdint.h>
#include "idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned dims[3];
    const unsigned char *payload;
    char err[256];
    for (int k = 0; k < 2; k++) {
        unsigned magic = k ? 0x801 : 0x803;
        if (idx_parse(data, size, magic, dims, &payload, err, sizeof err) == 0) {
            // touch every payload byte: the declared size must lie inside the buffer
            size_t n = (size_t)dims[0] * dims[1] * dims[2];
            volatile unsigned s = 0;
            for (size_t i = 0; i < n; i++) s += payload[i];
            (void)s;
        }
    }
    return 0;
}
