/* pe_policy_infer: one observation in, actions out, using only the arena (docs/policy-format.md).
 *
 * f32: y = f(W x + b) per layer in two ping-pong buffers. int8: the integer-only scheme of Jacob et al.,
 * "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference" (CVPR
 * 2018, arXiv:1712.05877) as TensorFlow Lite implements it: int8 activations with one scale and zero point
 * per tensor, symmetric int8 weights with one scale per output channel, int32 accumulators and bias, and
 * requantisation by a Q0.31 fixed-point multiplier and a power-of-two shift (gemmlowp's
 * SaturatingRoundingDoublingHighMul and RoundingDivideByPOT); tanh through a 256-entry table. */
#include <math.h>

#include "pe_policy_internal.h"

/* round(a * b / 2^31) with ties away from zero, saturating the one overflow case (gemmlowp). */
static int32_t pe_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t nudge;
    if (a == b && a == INT32_MIN) return INT32_MAX;
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* x / 2^exponent rounded to nearest, ties away from zero (gemmlowp RoundingDivideByPOT). */
static int32_t pe_rounding_shift_right(int32_t x, int exponent)
{
    int32_t mask, remainder, threshold;
    int64_t floor_multiple;
    if (exponent <= 0) return x;
    mask = (int32_t)(((int64_t)1 << exponent) - 1);
    remainder = x & mask;
    threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    /* floor(x / 2^e) without shifting a negative value (implementation-defined in C99) or dividing (slow):
     * x − remainder is a multiple of 2^e, shifted as a magnitude. */
    floor_multiple = (int64_t)x - remainder;
    floor_multiple = floor_multiple >= 0 ? (floor_multiple >> exponent) : -((-floor_multiple) >> exponent);
    return (int32_t)floor_multiple + (remainder > threshold ? 1 : 0);
}

/* tanh as the rational minimax approximation of Eigen's generic_fast_tanh_float (odd degree-13 numerator,
 * even degree-6 denominator, input clamped to +-7.9053111): |error| < 4e-7 over the whole range, about a
 * tenth of the cost of libm's tanhf. NaN passes through (and is caught at the action head). */
static float pe_tanh(float x)
{
    const float clamp = 7.90531110763549805f;
    float x2, p, q;
    x = x < -clamp ? -clamp : (x > clamp ? clamp : x);
    x2 = x * x;
    p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 + -8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return x * p / q;
}

/* w . x with four partial sums (independent chains the compiler can keep in one vector register). */
static float pe_dot(const float *w, const float *x, uint32_t n)
{
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += w[i] * x[i];
        s1 += w[i + 1] * x[i + 1];
        s2 += w[i + 2] * x[i + 2];
        s3 += w[i + 3] * x[i + 3];
    }
    for (; i < n; i++) s0 += w[i] * x[i];
    return (s0 + s1) + (s2 + s3);
}

/* x * multiplier * 2^shift (TFLite MultiplyByQuantizedMultiplier), the left shift saturating. */
static int32_t pe_requantise(int32_t x, int32_t multiplier, int32_t shift)
{
    int64_t shifted = (int64_t)x * ((int64_t)1 << (shift > 0 ? shift : 0));
    if (shifted > INT32_MAX) shifted = INT32_MAX;
    if (shifted < INT32_MIN) shifted = INT32_MIN;
    return pe_rounding_shift_right(pe_doubling_high_mul((int32_t)shifted, multiplier), shift > 0 ? 0 : -shift);
}

static float pe_normalise(const pe_policy_t *p, const float *obs, uint32_t i)
{
    float v = (obs[i] - p->obs_mean[i]) * p->obs_scale[i];
    if (p->obs_clip > 0.0f) {
        if (v > p->obs_clip) v = p->obs_clip;
        if (v < -p->obs_clip) v = -p->obs_clip;
    }
    return v;
}

static const float *pe_run_f32(const pe_policy_t *p, const float *obs)
{
    float *a = (float *)(void *)p->arena;
    float *b = a + p->max_width;
    uint32_t i, o, k;
    for (i = 0; i < p->input_count; i++) a[i] = pe_normalise(p, obs, i);
    for (k = 0; k < p->layer_count; k++) {
        const pe_layer_t *l = &p->layer[k];
        float *t;
        for (o = 0; o < l->outputs; o++) {
            float acc = l->bias[o] + pe_dot(l->weight + (size_t)o * l->inputs, a, l->inputs);
            if (l->activation == PE_ACT_TANH) acc = pe_tanh(acc);
            else if (l->activation == PE_ACT_RELU && acc < 0.0f) acc = 0.0f;
            b[o] = acc;
        }
        t = a; a = b; b = t;
    }
    return a;
}

/* Σ (x[i] − zero_point)·w[i] as Σ x·w − zero_point·Σ w: two int32 sums of int8 products that vectorise. */
static int32_t pe_dot_int8(const int8_t *restrict w, const int8_t *restrict x, int32_t zero_point, uint32_t n)
{
    int32_t xw = 0, sw = 0;
    uint32_t i;
    for (i = 0; i < n; i++) {
        xw += (int32_t)x[i] * (int32_t)w[i];
        sw += (int32_t)w[i];
    }
    return xw - zero_point * sw;
}

static int32_t pe_clamp_int8(int64_t v)
{
    return (int32_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
}

/* The last layer's int8 outputs, in one of the arena's two buffers. */
static const int8_t *pe_run_int8(const pe_policy_t *p, const float *obs)
{
    int8_t *a = (int8_t *)(void *)p->arena;
    int8_t *b = a + p->max_width;
    const pe_layer_t *first = &p->layer[0];
    uint32_t i, o, k;
    for (i = 0; i < p->input_count; i++) {
        float q = pe_normalise(p, obs, i) / first->input_scale + (float)first->input_zero_point;
        q = q < -128.0f ? -128.0f : (q > 127.0f ? 127.0f : q);
        a[i] = (int8_t)roundf(q);
    }
    for (k = 0; k < p->layer_count; k++) {
        const pe_layer_t *l = &p->layer[k];
        int8_t *t;
        for (o = 0; o < l->outputs; o++) {
            int32_t acc = l->bias_q[o] + pe_dot_int8(l->weight_q + (size_t)o * l->inputs, a, l->input_zero_point, l->inputs), v;
            v = pe_clamp_int8((int64_t)pe_requantise(acc, l->multiplier[o], l->shift[o]) + l->pre_zero_point);
            if (l->activation == PE_ACT_TANH) v = l->tanh_table[v + 128];
            else if (l->activation == PE_ACT_RELU && v < l->output_zero_point) v = l->output_zero_point;
            b[o] = (int8_t)v;
        }
        t = a; a = b; b = t;
    }
    return a;
}

pe_status_t pe_policy_infer(const pe_policy_t *policy, const float *obs, float *actions)
{
    const float *y = NULL;
    const int8_t *q = NULL;
    const pe_layer_t *last;
    uint32_t i;
    if (policy == NULL || obs == NULL || actions == NULL || policy->arena == NULL) return PE_ERR_NULL_ARGUMENT;
    for (i = 0; i < policy->input_count; i++) {
        if (!pe_is_finite(obs[i])) return PE_ERR_BAD_INPUT;
    }
    last = &policy->layer[policy->layer_count - 1];
    if (policy->precision == PE_PRECISION_F32) y = pe_run_f32(policy, obs);
    else q = pe_run_int8(policy, obs);
    for (i = 0; i < policy->action_count; i++) {
        float v = y != NULL ? y[i] : ((float)q[i] - (float)last->output_zero_point) * last->output_scale;
        float s = policy->squash == PE_SQUASH_TANH ? pe_tanh(v) : v;
        float lo = policy->action_low[i], hi = policy->action_high[i];
        s = s < -1.0f ? -1.0f : (s > 1.0f ? 1.0f : s);
        /* NaN (from weights that overflow) fails every comparison above and would pass through. */
        if (!pe_is_finite(s)) return PE_ERR_NONFINITE_OUTPUT;
        s = lo + (s + 1.0f) * 0.5f * (hi - lo);
        actions[i] = s < lo ? lo : (s > hi ? hi : s); /* rounding can step an ulp past a bound */
    }
    return PE_OK;
}
