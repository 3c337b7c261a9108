/* Internal: bounds-checked little-endian reading of the policy file (not a public header).
 *
 * Every read goes through a pe_cursor_t that knows its section's length; a take of n bytes succeeds
 * only when n <= length - position, so no offset arithmetic can wrap or step outside the section.
 */
#ifndef PE_BYTES_H
#define PE_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The runtime reads weights in place as float: it needs 32-bit IEEE floats (checked again at load). */
typedef char pe_float_is_32_bits[(sizeof(float) == 4) ? 1 : -1];

typedef struct pe_cursor {
    const uint8_t *base;
    size_t length;
    size_t position;
} pe_cursor_t;

static inline uint32_t pe_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint16_t pe_le16(const uint8_t *p)
{
    return (uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

static inline float pe_f32_from_bits(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/** a * b into *out unless it overflows size_t (then 0). */
static inline int pe_mul_size(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > (size_t)-1 / a) return 0;
    *out = a * b;
    return 1;
}

/** a + b into *out unless it overflows size_t (then 0). */
static inline int pe_add_size(size_t a, size_t b, size_t *out)
{
    if (b > (size_t)-1 - a) return 0;
    *out = a + b;
    return 1;
}

/** The next n bytes, or NULL (and no move) when fewer remain. */
static inline const uint8_t *pe_take(pe_cursor_t *c, size_t n)
{
    const uint8_t *p;
    if (c->position > c->length || n > c->length - c->position) return NULL;
    p = c->base + c->position;
    c->position += n;
    return p;
}

/** The next `count` elements of `size` bytes, or NULL when the product overflows or runs past the end. */
static inline const uint8_t *pe_take_array(pe_cursor_t *c, size_t count, size_t size)
{
    size_t n;
    if (!pe_mul_size(count, size, &n)) return NULL;
    return pe_take(c, n);
}

static inline int pe_read_u32(pe_cursor_t *c, uint32_t *v)
{
    const uint8_t *p = pe_take(c, 4);
    if (p == NULL) return 0;
    *v = pe_le32(p);
    return 1;
}

static inline int pe_read_f32(pe_cursor_t *c, float *v)
{
    uint32_t bits;
    if (!pe_read_u32(c, &bits)) return 0;
    *v = pe_f32_from_bits(bits);
    return 1;
}

/** Finite (neither infinite nor NaN), by the exponent bits, so that it holds under -ffast-math too. */
static inline int pe_is_finite(float v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    return (bits & 0x7F800000u) != 0x7F800000u;
}

#endif
