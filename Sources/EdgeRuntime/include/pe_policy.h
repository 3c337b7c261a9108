/* Loading and running a .pbp policy (docs/policy-format.md).
 *
 * Modelled on TensorFlow Lite Micro's contract: everything in the file is validated once, at load,
 * and inference then never allocates and never fails on a loaded policy except for bad input. The file
 * bytes stay where the caller keeps them (flash or RAM); the caller's arena holds the activations.
 */
#ifndef PE_POLICY_H
#define PE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "pe_limits.h"
#include "pe_status.h"

#define PE_FORMAT_VERSION 1u
#define PE_HEADER_BYTES 32u
#define PE_SECTION_ENTRY_BYTES 16u
#define PE_MAX_SECTIONS 64u
#define PE_MAX_LAYERS 16u
#define PE_MAX_WIDTH 4096u
/** Section flag: a reader that does not know the section's type must refuse the file. */
#define PE_SECTION_REQUIRED 0x0001u

typedef enum pe_section_type {
    PE_SECTION_METADATA = 1,
    PE_SECTION_NORMALISATION = 2,
    PE_SECTION_LAYERS = 3,
    PE_SECTION_ACTION = 4,
    PE_SECTION_SAFETY_LIMITS = 5
} pe_section_type_t;

typedef enum pe_precision { PE_PRECISION_F32 = 0, PE_PRECISION_INT8 = 1 } pe_precision_t;
typedef enum pe_activation { PE_ACT_IDENTITY = 0, PE_ACT_TANH = 1, PE_ACT_RELU = 2 } pe_activation_t;
typedef enum pe_squash { PE_SQUASH_TANH = 1, PE_SQUASH_CLIP = 2 } pe_squash_t;

/** One dense layer y = f(W x + b), W stored [out][in], pointing into the file bytes. */
typedef struct pe_layer {
    uint32_t inputs;
    uint32_t outputs;
    pe_activation_t activation;
    /* f32 */
    const float *weight;
    const float *bias;
    /* int8 (TFLite-style: int8 activations, symmetric per-output-channel int8 weights, int32 bias) */
    const int8_t *weight_q;
    const int32_t *bias_q;       /* scale input_scale * weight_scale[o], zero point 0 */
    const float *weight_scale;
    const int32_t *multiplier;   /* requantisation: Q0.31 multiplier and shift per output */
    const int32_t *shift;
    const int8_t *tanh_table;    /* 256 entries indexed by pre-activation + 128, tanh layers only */
    float input_scale;
    int32_t input_zero_point;
    float pre_scale;             /* the dense output before the activation */
    int32_t pre_zero_point;
    float output_scale;          /* after the activation: the next layer's input */
    int32_t output_zero_point;
} pe_layer_t;

/** A loaded policy: views into the caller's file bytes plus the arena. */
typedef struct pe_policy {
    uint32_t version;
    uint32_t crc32;
    pe_precision_t precision;
    uint32_t input_count;
    uint32_t action_count;
    uint32_t layer_count;
    uint32_t max_width;
    const float *obs_mean;
    const float *obs_scale;      /* normalised = clip((obs - mean) * scale, -clip, clip) */
    float obs_clip;              /* 0: no clipping */
    pe_layer_t layer[PE_MAX_LAYERS];
    pe_squash_t squash;
    const float *action_low;
    const float *action_high;
    const uint8_t *metadata;     /* UTF-8 JSON, not terminated; NULL when absent */
    uint32_t metadata_length;
    int has_limits;
    pe_safety_limits_t limits;
    uint8_t *arena;
    size_t arena_bytes;          /* the header's arena size, <= the caller's */
} pe_policy_t;

/** CRC-32/IEEE (reflected 0xEDB88320, init and final XOR 0xFFFFFFFF) of `length` bytes. */
uint32_t pe_crc32(const uint8_t *bytes, size_t length);

/** Validates the whole file (header, CRC-32, section table, every count, dimension and value) and
 *  fills `out` with views into `bytes`, which must stay valid and unchanged while `out` is used.
 *  `bytes` and `arena` must be 4-byte aligned. On failure `out` is zeroed. */
pe_status_t pe_policy_load(const uint8_t *bytes, size_t length, uint8_t *arena, size_t arena_size,
                           pe_policy_t *out);

/** The arena size a file's header asks for, after checking magic, version and header length only
 *  (so a caller can size the arena before loading). */
pe_status_t pe_policy_arena_size(const uint8_t *bytes, size_t length, size_t *arena_bytes);

/** Actions (action_count values within [low, high]) for one observation (input_count values).
 *  Uses only the arena; the policy is not modified apart from its arena contents. Returns
 *  PE_ERR_BAD_INPUT for a non-finite observation and PE_ERR_NONFINITE_OUTPUT when the network
 *  overflows (weights far out of the trained range); `actions` is then not to be used. */
pe_status_t pe_policy_infer(const pe_policy_t *policy, const float *obs, float *actions);

#endif
