#include "tensor_support.h"
#include <stdint.h>
#include <string.h>
#include <math.h>

static inline float bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint32_t float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static inline float exp_kernel(float x) {
    const float clamped = x < -87.3f ? -87.3f : (x > 88.7f ? 88.7f : x);
    const float shifter = 12582912.0f; /* 1.5 * 2^23: rounds to an integer, kept in the low bits */
    const float t = clamped * 1.44269504f + shifter;
    const float n = t - shifter;
    const float r = (clamped - n * 0.69314575f) - n * 1.4286068e-06f;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    const int32_t ni = (int32_t)(float_to_bits(t) - 0x4B400000u);
    const int32_t half = ni >> 1;
    const float s1 = bits_to_float((uint32_t)(half + 127) << 23);
    const float s2 = bits_to_float((uint32_t)(ni - half + 127) << 23);
    return p * s1 * s2;
}

static inline float tanh_kernel(float v) {
    const uint32_t bits = float_to_bits(v);
    const float m = bits_to_float(bits & 0x7FFFFFFFu);
    const float a = m > 10.0f ? 10.0f : m;
    const float t = 1.0f - 2.0f / (exp_kernel(2.0f * a) + 1.0f);
    return bits_to_float(float_to_bits(t) | (bits & 0x80000000u));
}

/* One loop per (kernel, in place or not, ISA): the in-place loops read and write one
   pointer, so no overlap check sends them down a scalar path. */
#define PULSE_DEFINE_LOOPS(name, kernel, attributes)                                   \
    attributes static void name##_apart(const float *restrict x, float *restrict y,    \
                                        size_t n) {                                     \
        for (size_t i = 0; i < n; i++) y[i] = kernel(x[i]);                            \
    }                                                                                   \
    attributes static void name##_inplace(float *y, size_t n) {                        \
        for (size_t i = 0; i < n; i++) y[i] = kernel(y[i]);                            \
    }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define PULSE_AVX2 __attribute__((target("avx2,fma")))
PULSE_DEFINE_LOOPS(exp_avx2, exp_kernel, PULSE_AVX2)
PULSE_DEFINE_LOOPS(tanh_avx2, tanh_kernel, PULSE_AVX2)
static int has_avx2_fma(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
static int has_avx2_fma(void) { return 0; }
#endif
PULSE_DEFINE_LOOPS(exp_generic, exp_kernel, )
PULSE_DEFINE_LOOPS(tanh_generic, tanh_kernel, )

void pulse_vexpf(const float *x, float *y, size_t n) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (has_avx2_fma()) {
        if (x == y) exp_avx2_inplace(y, n); else exp_avx2_apart(x, y, n);
        return;
    }
#endif
    if (x == y) exp_generic_inplace(y, n); else exp_generic_apart(x, y, n);
}

void pulse_vtanhf(const float *x, float *y, size_t n) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (has_avx2_fma()) {
        if (x == y) tanh_avx2_inplace(y, n); else tanh_avx2_apart(x, y, n);
        return;
    }
#endif
    if (x == y) tanh_generic_inplace(y, n); else tanh_generic_apart(x, y, n);
}

#define PULSE_DEFINE_ADAM(name, attributes)                                                   \
    attributes static void name(float *restrict p, const float *restrict g,                  \
                                float *restrict m, float *restrict v, size_t n,               \
                                float beta1, float beta2, float c1, float c2,                 \
                                float step_size, float inv_sqrt_bias2, float eps) {           \
        for (size_t i = 0; i < n; i++) {                                                      \
            const float gi = g[i];                                                            \
            const float mi = beta1 * m[i] + c1 * gi;                                          \
            const float vi = beta2 * v[i] + c2 * (gi * gi);                                   \
            m[i] = mi;                                                                        \
            v[i] = vi;                                                                        \
            p[i] -= step_size * mi / (__builtin_sqrtf(vi) * inv_sqrt_bias2 + eps);            \
        }                                                                                     \
    }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
PULSE_DEFINE_ADAM(adam_avx2, PULSE_AVX2)
#endif
PULSE_DEFINE_ADAM(adam_generic, )

void pulse_adam_updatef(float *p, const float *g, float *m, float *v, size_t n,
                        float beta1, float beta2, float c1, float c2,
                        float step_size, float inv_sqrt_bias2, float eps) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (has_avx2_fma()) {
        adam_avx2(p, g, m, v, n, beta1, beta2, c1, c2, step_size, inv_sqrt_bias2, eps);
        return;
    }
#endif
    adam_generic(p, g, m, v, n, beta1, beta2, c1, c2, step_size, inv_sqrt_bias2, eps);
}
