/**
 * @file pe_fallback.h
 * @brief Offline fallback: a guard over the coordinator's setpoint commands.
 *
 * The guard holds the last valid command with its expiry. While it is unexpired the device runs it
 * (mode ONLINE); once it expires with no newer valid command the device falls back to the configured
 * mode: SAFE_IDLE (current 0) or LOCAL_POLICY (the caller runs the on-device policy, if loaded). A command
 * that is already expired on arrival, or whose timestamp is older than the last accepted one (reordered or
 * replayed), is rejected and counted; an expired command is never executed (PulseBMS MQTT contract v1).
 *
 * All times are milliseconds on ONE monotonic clock supplied by the caller: the device converts a
 * command's `ts` and `expires` (epoch ms) to its monotonic clock on receipt. C99, no allocation, no I/O.
 */
#ifndef PE_FALLBACK_H
#define PE_FALLBACK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status of a fallback call. */
typedef enum {
    PE_FALLBACK_OK = 0,
    PE_FALLBACK_ERR_NULL = 1,           /**< a required pointer was NULL */
    PE_FALLBACK_ERR_CONFIG = 2,         /**< the config is invalid */
    PE_FALLBACK_ERR_CLOCK = 3,          /**< `now_ms` went backwards against an earlier call */
    PE_FALLBACK_REJECT_EXPIRED = 4,     /**< the command expired at or before `now_ms` */
    PE_FALLBACK_REJECT_BACKWARDS = 5,   /**< its timestamp is older than the last accepted command's */
    PE_FALLBACK_REJECT_INVALID = 6      /**< non-finite setpoint, unknown kind, or expiry before timestamp */
} pe_fallback_status_t;

/** What the device runs. */
typedef enum {
    PE_MODE_ONLINE = 0,       /**< the held command's setpoint */
    PE_MODE_SAFE_IDLE = 1,    /**< current 0 */
    PE_MODE_LOCAL_POLICY = 2  /**< the on-device policy chooses the setpoint */
} pe_mode_t;

/** A change of mode reported by pe_fallback_poll. */
typedef enum {
    PE_TRANSITION_NONE = 0,
    PE_TRANSITION_TO_FALLBACK = 1, /**< online -> safe idle or local policy */
    PE_TRANSITION_TO_ONLINE = 2,   /**< fallback -> online (a new valid command) */
    PE_TRANSITION_WITHIN_FALLBACK = 3 /**< safe idle <-> local policy (the policy became (un)available) */
} pe_transition_t;

/** Kind of setpoint a command carries. */
typedef enum {
    PE_SETPOINT_CURRENT_A = 0, /**< current [A], positive = discharge */
    PE_SETPOINT_POWER_W = 1    /**< power [W], positive = discharge */
} pe_setpoint_kind_t;

/** A setpoint command, times already on the device's monotonic clock. */
typedef struct {
    pe_setpoint_kind_t kind;
    float value;              /**< setpoint, unit by kind */
    uint64_t timestamp_ms;    /**< when the coordinator issued it */
    uint64_t expires_ms;      /**< not to be executed at or after this time */
} pe_command_t;

/** Guard settings. */
typedef struct {
    pe_mode_t offline_mode;     /**< PE_MODE_SAFE_IDLE or PE_MODE_LOCAL_POLICY */
    uint64_t max_lifetime_ms;   /**< a command is held at most this long after receipt (> 0) */
} pe_fallback_config_t;

/** Guard state, owned by the caller. */
typedef struct {
    pe_command_t command;       /**< last accepted command (expiry capped by max_lifetime_ms) */
    uint32_t has_command;       /**< 1 once a command has been accepted */
    pe_mode_t mode;             /**< mode at the last poll */
    uint64_t last_now_ms;       /**< latest time seen */
    uint32_t accepted;          /**< commands accepted */
    uint32_t rejected_expired;  /**< commands rejected as expired */
    uint32_t rejected_backwards;/**< commands rejected for an older timestamp */
    uint32_t rejected_invalid;  /**< commands rejected as malformed */
} pe_fallback_state_t;

/** What to run now. */
typedef struct {
    pe_mode_t mode;
    pe_transition_t transition; /**< change since the previous poll */
    pe_setpoint_kind_t kind;    /**< setpoint kind (ONLINE: the command's; else current) */
    float setpoint;             /**< ONLINE: the command's value; SAFE_IDLE: 0; LOCAL_POLICY: 0 (caller's policy) */
    uint64_t remaining_ms;      /**< ONLINE: time until the command expires; else 0 */
} pe_fallback_output_t;

/** Checks the settings. */
pe_fallback_status_t pe_fallback_config_validate(const pe_fallback_config_t *config);

/** Starts with no command, in safe idle, at time `now_ms`. */
pe_fallback_status_t pe_fallback_init(pe_fallback_state_t *state, uint64_t now_ms);

/** Offers a command received at `now_ms`; accepted commands replace the held one. */
pe_fallback_status_t pe_fallback_submit(pe_fallback_state_t *state, const pe_fallback_config_t *config,
                                        const pe_command_t *command, uint64_t now_ms);

/**
 * The mode to run at `now_ms` and the transition since the last poll. `policy_ready` is nonzero when a
 * local policy is loaded; without it LOCAL_POLICY degrades to SAFE_IDLE.
 */
pe_fallback_status_t pe_fallback_poll(pe_fallback_state_t *state, const pe_fallback_config_t *config,
                                      uint64_t now_ms, int policy_ready, pe_fallback_output_t *out);

#ifdef __cplusplus
}
#endif

#endif /* PE_FALLBACK_H */
