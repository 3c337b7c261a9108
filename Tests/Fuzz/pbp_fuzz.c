/* libFuzzer target for the .pbp loader and inference (scripts/fuzz-pbp.sh builds and runs it with
 * -fsanitize=fuzzer,address,undefined). Each input is loaded twice from an exact-size heap copy: as given,
 * and with its trailing CRC-32 recomputed, so that the fuzzer reaches the section parsers instead of
 * stopping at the checksum. A policy that loads must infer with PE_OK and actions within their bounds, or refuse a
 * non-finite result with PE_ERR_NONFINITE_OUTPUT. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pe_policy.h"

static uint8_t fuzz_arena[65536] __attribute__((aligned(16)));

static void run(uint8_t *bytes, size_t size)
{
    pe_policy_t p;
    float obs[PE_MAX_WIDTH], actions[PE_MAX_WIDTH];
    uint32_t i;
    if (pe_policy_load(bytes, size, fuzz_arena, sizeof fuzz_arena, &p) != PE_OK) return;
    for (i = 0; i < p.input_count; i++) obs[i] = (float)i - 3.0f;
    switch (pe_policy_infer(&p, obs, actions)) {
    case PE_OK: break;
    case PE_ERR_NONFINITE_OUTPUT: return; /* weights that overflow: refused per call, actions unused */
    default: abort();
    }
    for (i = 0; i < p.action_count; i++) {
        if (!isfinite(actions[i]) || actions[i] < p.action_low[i] || actions[i] > p.action_high[i]) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size == 0 ? 1 : size);
    if (copy == NULL) return 0;
    if (size > 0) memcpy(copy, data, size);
    run(copy, size);
    if (size >= 4) {
        uint32_t crc = pe_crc32(copy, size - 4);
        copy[size - 4] = (uint8_t)crc; copy[size - 3] = (uint8_t)(crc >> 8);
        copy[size - 2] = (uint8_t)(crc >> 16); copy[size - 1] = (uint8_t)(crc >> 24);
        run(copy, size);
    }
    free(copy);
    return 0;
}
