/*
 * Offline fallback: a command guard with expiry. A device that loses its coordinator must not keep
 * executing a stale setpoint; it falls back to a safe state or to its own policy (the degraded modes of
 * IEC 61508-style designs). Semantics are documented in pe_fallback.h.
 */
#include "pe_fallback.h"

#include <math.h>
#include <stddef.h>

pe_fallback_status_t pe_fallback_config_validate(const pe_fallback_config_t *config) {
    if (config == NULL) return PE_FALLBACK_ERR_NULL;
    if (config->offline_mode != PE_MODE_SAFE_IDLE && config->offline_mode != PE_MODE_LOCAL_POLICY) {
        return PE_FALLBACK_ERR_CONFIG;
    }
    if (config->max_lifetime_ms == 0u) return PE_FALLBACK_ERR_CONFIG;
    return PE_FALLBACK_OK;
}

pe_fallback_status_t pe_fallback_init(pe_fallback_state_t *state, uint64_t now_ms) {
    if (state == NULL) return PE_FALLBACK_ERR_NULL;
    state->command.kind = PE_SETPOINT_CURRENT_A;
    state->command.value = 0.0f;
    state->command.timestamp_ms = 0u;
    state->command.expires_ms = 0u;
    state->has_command = 0u;
    state->mode = PE_MODE_SAFE_IDLE;
    state->last_now_ms = now_ms;
    state->accepted = 0u;
    state->rejected_expired = 0u;
    state->rejected_backwards = 0u;
    state->rejected_invalid = 0u;
    return PE_FALLBACK_OK;
}

static uint32_t pe_count(uint32_t counter) { return counter == UINT32_MAX ? counter : counter + 1u; }

pe_fallback_status_t pe_fallback_submit(pe_fallback_state_t *state, const pe_fallback_config_t *config,
                                        const pe_command_t *command, uint64_t now_ms) {
    uint64_t cap;
    if (state == NULL || config == NULL || command == NULL) return PE_FALLBACK_ERR_NULL;
    if (pe_fallback_config_validate(config) != PE_FALLBACK_OK) return PE_FALLBACK_ERR_CONFIG;
    if (now_ms < state->last_now_ms) return PE_FALLBACK_ERR_CLOCK;
    state->last_now_ms = now_ms;
    if ((command->kind != PE_SETPOINT_CURRENT_A && command->kind != PE_SETPOINT_POWER_W)
        || !isfinite(command->value) || command->expires_ms <= command->timestamp_ms) {
        state->rejected_invalid = pe_count(state->rejected_invalid);
        return PE_FALLBACK_REJECT_INVALID;
    }
    if (command->expires_ms <= now_ms) {
        state->rejected_expired = pe_count(state->rejected_expired);
        return PE_FALLBACK_REJECT_EXPIRED;
    }
    if (state->has_command && command->timestamp_ms < state->command.timestamp_ms) {
        state->rejected_backwards = pe_count(state->rejected_backwards);
        return PE_FALLBACK_REJECT_BACKWARDS;
    }
    state->command = *command;
    /* A command never outlives max_lifetime_ms after receipt (guards against far-future expiries). */
    cap = now_ms > UINT64_MAX - config->max_lifetime_ms ? UINT64_MAX : now_ms + config->max_lifetime_ms;
    if (state->command.expires_ms > cap) state->command.expires_ms = cap;
    state->has_command = 1u;
    state->accepted = pe_count(state->accepted);
    return PE_FALLBACK_OK;
}

pe_fallback_status_t pe_fallback_poll(pe_fallback_state_t *state, const pe_fallback_config_t *config,
                                      uint64_t now_ms, int policy_ready, pe_fallback_output_t *out) {
    pe_mode_t mode;
    if (state == NULL || config == NULL || out == NULL) return PE_FALLBACK_ERR_NULL;
    if (pe_fallback_config_validate(config) != PE_FALLBACK_OK) return PE_FALLBACK_ERR_CONFIG;
    if (now_ms < state->last_now_ms) return PE_FALLBACK_ERR_CLOCK;
    state->last_now_ms = now_ms;
    if (state->has_command && now_ms < state->command.expires_ms) {
        mode = PE_MODE_ONLINE;
    } else {
        mode = config->offline_mode == PE_MODE_LOCAL_POLICY && policy_ready ? PE_MODE_LOCAL_POLICY
                                                                            : PE_MODE_SAFE_IDLE;
    }
    if (mode == state->mode) {
        out->transition = PE_TRANSITION_NONE;
    } else if (mode == PE_MODE_ONLINE) {
        out->transition = PE_TRANSITION_TO_ONLINE;
    } else if (state->mode == PE_MODE_ONLINE) {
        out->transition = PE_TRANSITION_TO_FALLBACK;
    } else {
        out->transition = PE_TRANSITION_WITHIN_FALLBACK;
    }
    state->mode = mode;
    out->mode = mode;
    if (mode == PE_MODE_ONLINE) {
        out->kind = state->command.kind;
        out->setpoint = state->command.value;
        out->remaining_ms = state->command.expires_ms - now_ms;
    } else {
        out->kind = PE_SETPOINT_CURRENT_A;
        out->setpoint = 0.0f;
        out->remaining_ms = 0u;
    }
    return PE_FALLBACK_OK;
}
