/* Mutation harness for pe_policy_load / pe_policy_infer, built by PolicyFormatTests with
 * clang -fsanitize=address,undefined -fno-sanitize-recover=all (see SanitizerTests.swift).
 *
 * For each valid .pbp file given on the command line it checks that the file loads and runs, then that
 * every damaged variant is refused with a status (never a crash, never an out-of-bounds read: each variant
 * lives in a heap block of exactly its length, so AddressSanitizer sees any read past it):
 *   1. truncation at every length;
 *   2. every bit of the header and section table flipped, and every byte of the file inverted;
 *   3. every 4-byte word set to extreme values (0, 1, 4096, 4097, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
 *      NaN, +inf, the file length) with the CRC-32 recomputed, so counts, dimensions, offsets and
 *      parameters are checked on their own merits rather than caught by the checksum;
 *   4. 20 000 random multi-byte mutations from a seeded generator, half with the CRC recomputed.
 * Variants that still load must run: inference returns PE_OK with every action finite and within its
 * bounds, or PE_ERR_NONFINITE_OUTPUT when mutated weights overflow. Exit status 0 when all holds; messages on stderr otherwise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_policy.h"

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;

static unsigned long long next_random(void)
{
    /* xorshift64* (Vigna 2016) */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static long loads_refused, loads_accepted, nonfinite_outputs, failures;
static uint8_t arena[65536] __attribute__((aligned(16)));

/* Loads `length` bytes from an exact-size heap copy; runs the policy when it loads. */
static pe_status_t try_load(const uint8_t *bytes, size_t length)
{
    pe_policy_t p;
    pe_status_t s;
    uint8_t *copy = malloc(length == 0 ? 1 : length);
    if (copy == NULL) { fprintf(stderr, "out of memory\n"); exit(2); }
    if (length > 0) memcpy(copy, bytes, length);
    s = pe_policy_load(copy, length, arena, sizeof arena, &p);
    if (pe_status_string(s) == NULL) { fprintf(stderr, "NULL status string\n"); failures++; }
    if (s == PE_OK) {
        float obs[PE_MAX_WIDTH], actions[PE_MAX_WIDTH];
        uint32_t i;
        loads_accepted++;
        for (i = 0; i < p.input_count; i++) obs[i] = (float)((int)(next_random() % 2001) - 1000) / 100.0f;
        s = pe_policy_infer(&p, obs, actions);
        if (s == PE_ERR_NONFINITE_OUTPUT) nonfinite_outputs++;
        else if (s != PE_OK) { fprintf(stderr, "infer failed on a loaded policy: %s\n", pe_status_string(s)); failures++; }
        for (i = 0; s == PE_OK && i < p.action_count; i++) {
            if (!isfinite(actions[i]) || actions[i] < p.action_low[i] || actions[i] > p.action_high[i]) {
                fprintf(stderr, "action %u = %g outside [%g, %g]\n", i, actions[i], p.action_low[i], p.action_high[i]);
                failures++;
            }
        }
        s = PE_OK;
    } else {
        loads_refused++;
    }
    free(copy);
    return s;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void fix_crc(uint8_t *b, size_t length)
{
    if (length >= 4) put32(b + length - 4, pe_crc32(b, length - 4));
}

static void expect_refused(pe_status_t s, const char *what, size_t where)
{
    if (s == PE_OK) { fprintf(stderr, "%s at %zu was accepted\n", what, where); failures++; }
}

static void mutate_file(const uint8_t *valid, size_t length)
{
    uint8_t *b = malloc(length);
    size_t i, table_end = 32u + 16u * (size_t)(valid[12] | (valid[13] << 8));
    int bit, k, n;
    const uint32_t extremes[] = { 0u, 1u, 4096u, 4097u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu,
                                  0x7FC00000u, 0x7F800000u, (uint32_t)length };
    if (b == NULL) exit(2);
    if (try_load(valid, length) != PE_OK) { fprintf(stderr, "the valid file does not load\n"); failures++; }
    for (i = 0; i < length; i++) expect_refused(try_load(valid, i), "truncation", i);
    for (i = 0; i < table_end && i < length; i++) {
        for (bit = 0; bit < 8; bit++) {
            memcpy(b, valid, length);
            b[i] ^= (uint8_t)(1u << bit);
            expect_refused(try_load(b, length), "bit flip", i);
        }
    }
    for (i = 0; i < length; i++) {
        memcpy(b, valid, length);
        b[i] ^= 0xFFu;
        expect_refused(try_load(b, length), "inverted byte", i);
    }
    for (i = 0; i + 8 <= length; i += 4) {
        for (k = 0; k < (int)(sizeof extremes / sizeof extremes[0]); k++) {
            memcpy(b, valid, length);
            put32(b + i, extremes[k]);
            fix_crc(b, length);
            try_load(b, length);
        }
    }
    for (k = 0; k < 20000; k++) {
        memcpy(b, valid, length);
        n = 1 + (int)(next_random() % 8);
        while (n-- > 0) b[next_random() % length] = (uint8_t)next_random();
        if (k % 2 == 1) fix_crc(b, length);
        try_load(b, length);
    }
    free(b);
}

int main(int argc, char **argv)
{
    int f;
    if (argc < 2) { fprintf(stderr, "usage: %s FILE.pbp...\n", argv[0]); return 2; }
    for (f = 1; f < argc; f++) {
        FILE *in = fopen(argv[f], "rb");
        uint8_t *bytes;
        long length;
        if (in == NULL || fseek(in, 0, SEEK_END) != 0 || (length = ftell(in)) < 36 || fseek(in, 0, SEEK_SET) != 0) {
            fprintf(stderr, "cannot read %s\n", argv[f]);
            return 2;
        }
        bytes = malloc((size_t)length);
        if (bytes == NULL || fread(bytes, 1, (size_t)length, in) != (size_t)length) return 2;
        fclose(in);
        mutate_file(bytes, (size_t)length);
        free(bytes);
    }
    printf("refused %ld, accepted %ld (non-finite output refused at inference %ld), failures %ld\n", loads_refused,
           loads_accepted, nonfinite_outputs, failures);
    return failures == 0 ? 0 : 1;
}
