/* The normalisation, layers and action sections of a .pbp file (docs/policy-format.md). Each parser
 * consumes its section exactly: a section longer or shorter than its counts imply is refused. */
#include "pe_policy_internal.h"

/* Arrays of 4-byte elements inside a 4-aligned section at a 4-aligned position are 4-aligned. */
#define PE_F32_ARRAY(p) ((const float *)(const void *)(p))
#define PE_I32_ARRAY(p) ((const int32_t *)(const void *)(p))

static int pe_all_finite(const float *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (!pe_is_finite(v[i])) return 0;
    }
    return 1;
}

pe_status_t pe_parse_normalisation(pe_cursor_t c, pe_policy_t *policy)
{
    uint32_t count;
    float clip;
    const uint8_t *mean, *scale;
    if (!pe_read_u32(&c, &count) || !pe_read_f32(&c, &clip)) return PE_ERR_BAD_SECTION_LENGTH;
    if (count == 0 || count > PE_MAX_WIDTH) return PE_ERR_BAD_DIMENSION;
    mean = pe_take_array(&c, count, 4);
    scale = pe_take_array(&c, count, 4);
    if (mean == NULL || scale == NULL || c.position != c.length) return PE_ERR_BAD_SECTION_LENGTH;
    policy->obs_mean = PE_F32_ARRAY(mean);
    policy->obs_scale = PE_F32_ARRAY(scale);
    if (!pe_is_finite(clip) || clip < 0.0f) return PE_ERR_BAD_VALUE;
    if (!pe_all_finite(policy->obs_mean, count) || !pe_all_finite(policy->obs_scale, count)) return PE_ERR_BAD_VALUE;
    policy->input_count = count;
    policy->obs_clip = clip;
    return PE_OK;
}

/* A positive, normal, finite scale. */
static int pe_valid_scale(float s)
{
    return pe_is_finite(s) && s >= 1.17549435e-38f;
}

static int pe_valid_zero_point(int32_t z)
{
    return z >= -128 && z <= 127;
}

/* The int8 block of one layer: quantisation of its tensors, per-channel scales, bias, requantisation. */
static pe_status_t pe_parse_int8_layer(pe_cursor_t *c, pe_layer_t *l, const pe_layer_t *previous)
{
    uint32_t q[6];
    size_t i, n, padding;
    int32_t bias_room;
    const uint8_t *ws, *bias, *mult, *shift, *weights, *pad;
    for (i = 0; i < 6; i++) {
        if (!pe_read_u32(c, &q[i])) return PE_ERR_BAD_SECTION_LENGTH;
    }
    l->input_scale = pe_f32_from_bits(q[0]);
    l->input_zero_point = (int32_t)q[1];
    l->pre_scale = pe_f32_from_bits(q[2]);
    l->pre_zero_point = (int32_t)q[3];
    l->output_scale = pe_f32_from_bits(q[4]);
    l->output_zero_point = (int32_t)q[5];
    ws = pe_take_array(c, l->outputs, 4);
    bias = pe_take_array(c, l->outputs, 4);
    mult = pe_take_array(c, l->outputs, 4);
    shift = pe_take_array(c, l->outputs, 4);
    if (ws == NULL || bias == NULL || mult == NULL || shift == NULL) return PE_ERR_BAD_SECTION_LENGTH;
    if (l->activation == PE_ACT_TANH) {
        l->tanh_table = (const int8_t *)(const void *)pe_take(c, 256);
        if (l->tanh_table == NULL) return PE_ERR_BAD_SECTION_LENGTH;
    }
    n = (size_t)l->inputs * l->outputs; /* both <= PE_MAX_WIDTH: no overflow */
    weights = pe_take(c, n);
    padding = (4u - n % 4u) % 4u;
    pad = pe_take(c, padding);
    if (weights == NULL || pad == NULL) return PE_ERR_BAD_SECTION_LENGTH;
    for (i = 0; i < padding; i++) {
        if (pad[i] != 0) return PE_ERR_BAD_VALUE;
    }
    l->weight_q = (const int8_t *)(const void *)weights;
    l->weight_scale = PE_F32_ARRAY(ws);
    l->bias_q = PE_I32_ARRAY(bias);
    l->multiplier = PE_I32_ARRAY(mult);
    l->shift = PE_I32_ARRAY(shift);

    if (!pe_valid_scale(l->input_scale) || !pe_valid_scale(l->pre_scale) || !pe_valid_scale(l->output_scale) ||
        !pe_valid_zero_point(l->input_zero_point) || !pe_valid_zero_point(l->pre_zero_point) ||
        !pe_valid_zero_point(l->output_zero_point)) {
        return PE_ERR_BAD_QUANTISATION;
    }
    /* Without a table the activation works on the dense output's own quantisation. */
    if (l->activation != PE_ACT_TANH &&
        (q[2] != q[4] || l->pre_zero_point != l->output_zero_point)) {
        return PE_ERR_BAD_QUANTISATION;
    }
    /* A tensor has one quantisation: this layer's input is the previous layer's output. */
    if (previous != NULL &&
        (l->input_scale != previous->output_scale || l->input_zero_point != previous->output_zero_point)) {
        return PE_ERR_BAD_QUANTISATION;
    }
    /* |Σ (x − zp)·w| <= 255·128·inputs; the bias must leave that much room in the int32 accumulator. */
    bias_room = INT32_MAX - (int32_t)(255 * 128) * (int32_t)l->inputs;
    for (i = 0; i < l->outputs; i++) {
        int32_t m = l->multiplier[i], s = l->shift[i];
        if (!pe_valid_scale(l->weight_scale[i])) return PE_ERR_BAD_QUANTISATION;
        if (l->bias_q[i] > bias_room || l->bias_q[i] < -bias_room) return PE_ERR_BAD_QUANTISATION;
        /* Q0.31 multiplier in [0.5, 1) (or exactly 0 for a vanishing scale) and a shift in [-31, 30]. */
        if (s < -31 || s > 30 || (m != 0 && m < (int32_t)0x40000000)) return PE_ERR_BAD_QUANTISATION;
    }
    return PE_OK;
}

pe_status_t pe_parse_layers(pe_cursor_t c, pe_policy_t *policy)
{
    uint32_t count, precision, i;
    pe_status_t s;
    if (!pe_read_u32(&c, &count) || !pe_read_u32(&c, &precision)) return PE_ERR_BAD_SECTION_LENGTH;
    if (count == 0 || count > PE_MAX_LAYERS) return PE_ERR_BAD_DIMENSION;
    if (precision != PE_PRECISION_F32 && precision != PE_PRECISION_INT8) return PE_ERR_BAD_VALUE;
    policy->precision = (pe_precision_t)precision;
    policy->layer_count = count;
    policy->max_width = policy->input_count;
    for (i = 0; i < count; i++) {
        uint32_t in, out, act, reserved;
        pe_layer_t *l = &policy->layer[i];
        if (!pe_read_u32(&c, &in) || !pe_read_u32(&c, &out) || !pe_read_u32(&c, &act) ||
            !pe_read_u32(&c, &reserved)) {
            return PE_ERR_BAD_SECTION_LENGTH;
        }
        if (in == 0 || out == 0 || in > PE_MAX_WIDTH || out > PE_MAX_WIDTH) return PE_ERR_BAD_DIMENSION;
        if (in != (i == 0 ? policy->input_count : policy->layer[i - 1].outputs)) return PE_ERR_BAD_DIMENSION;
        if (act != PE_ACT_IDENTITY && act != PE_ACT_TANH && act != PE_ACT_RELU) return PE_ERR_BAD_VALUE;
        if (reserved != 0) return PE_ERR_BAD_VALUE;
        l->inputs = in;
        l->outputs = out;
        l->activation = (pe_activation_t)act;
        if (out > policy->max_width) policy->max_width = out;
    }
    for (i = 0; i < count; i++) {
        pe_layer_t *l = &policy->layer[i];
        if (precision == PE_PRECISION_F32) {
            const uint8_t *w = pe_take_array(&c, (size_t)l->inputs * l->outputs, 4);
            const uint8_t *b = pe_take_array(&c, l->outputs, 4);
            if (w == NULL || b == NULL) return PE_ERR_BAD_SECTION_LENGTH;
            l->weight = PE_F32_ARRAY(w);
            l->bias = PE_F32_ARRAY(b);
            if (!pe_all_finite(l->weight, (size_t)l->inputs * l->outputs) || !pe_all_finite(l->bias, l->outputs)) {
                return PE_ERR_BAD_VALUE;
            }
        } else {
            s = pe_parse_int8_layer(&c, l, i == 0 ? NULL : &policy->layer[i - 1]);
            if (s != PE_OK) return s;
        }
    }
    if (c.position != c.length) return PE_ERR_BAD_SECTION_LENGTH;
    return PE_OK;
}

pe_status_t pe_parse_action(pe_cursor_t c, pe_policy_t *policy)
{
    uint32_t count, squash, i;
    const uint8_t *low, *high;
    if (!pe_read_u32(&c, &count) || !pe_read_u32(&c, &squash)) return PE_ERR_BAD_SECTION_LENGTH;
    if (count == 0 || count > policy->layer[policy->layer_count - 1].outputs) return PE_ERR_BAD_DIMENSION;
    if (squash != PE_SQUASH_TANH && squash != PE_SQUASH_CLIP) return PE_ERR_BAD_VALUE;
    low = pe_take_array(&c, count, 4);
    high = pe_take_array(&c, count, 4);
    if (low == NULL || high == NULL || c.position != c.length) return PE_ERR_BAD_SECTION_LENGTH;
    policy->action_low = PE_F32_ARRAY(low);
    policy->action_high = PE_F32_ARRAY(high);
    for (i = 0; i < count; i++) {
        float lo = policy->action_low[i], hi = policy->action_high[i];
        if (!pe_is_finite(lo) || !pe_is_finite(hi) || !(lo < hi) || !pe_is_finite(hi - lo)) return PE_ERR_BAD_VALUE;
    }
    policy->action_count = count;
    policy->squash = (pe_squash_t)squash;
    return PE_OK;
}

size_t pe_policy_required_arena(const pe_policy_t *policy)
{
    size_t element = policy->precision == PE_PRECISION_F32 ? 4u : 1u;
    size_t bytes = 2u * (size_t)policy->max_width * element;
    return (bytes + 3u) / 4u * 4u;
}
