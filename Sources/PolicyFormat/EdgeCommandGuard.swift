import EdgeRuntime

/// The offline-fallback guard of `pe_fallback.h` from Swift: it holds the coordinator's last valid setpoint
/// with its expiry and says, at each control step, whether the device runs it, idles safely, or runs its own
/// policy. An expired command is never executed; commands already expired on arrival, older than the last
/// accepted one, or malformed are refused and counted.
///
/// All times are milliseconds on one monotonic clock chosen by the caller (a device converts a command's
/// epoch `ts` and `expires` onto it on receipt). A value type over plain C structs.
public struct EdgeCommandGuard: Sendable {
    /// What the device runs.
    public enum Mode: Sendable, Equatable {
        /// The held command's setpoint.
        case online
        /// Current 0.
        case safeIdle
        /// The on-device policy chooses the setpoint.
        case localPolicy
    }

    /// What to do once no valid command is held.
    public enum OfflineMode: Sendable, Equatable {
        case safeIdle, localPolicy
    }

    /// A setpoint: pack current [A] or power [W], both positive on discharge.
    public enum Setpoint: Sendable, Equatable {
        case current(Double)
        case power(Double)
    }

    /// A command on the guard's clock.
    public struct Command: Sendable, Equatable {
        public var setpoint: Setpoint
        /// When the coordinator issued it, and when it stops being valid [ms].
        public var timestampMs: UInt64, expiresMs: UInt64

        public init(setpoint: Setpoint, timestampMs: UInt64, expiresMs: UInt64) {
            self.setpoint = setpoint; self.timestampMs = timestampMs; self.expiresMs = expiresMs
        }
    }

    /// The outcome of offering a command.
    public enum Verdict: Sendable, Equatable {
        case accepted
        /// Expired at or before its arrival.
        case rejectedExpired
        /// Issued before the last accepted command (reordered or replayed).
        case rejectedBackwards
        /// Non-finite setpoint, or an expiry not after its timestamp.
        case rejectedInvalid
        /// `nowMs` is earlier than a time the guard has already seen; nothing changed.
        case clockWentBackwards
    }

    /// A change of mode since the previous poll.
    public enum Transition: Sendable, Equatable {
        case none, toFallback, toOnline, withinFallback
    }

    /// What to run now.
    public struct Decision: Sendable, Equatable {
        public var mode: Mode
        public var transition: Transition
        /// Online: the command's setpoint; otherwise current 0 (in local-policy mode the caller's policy decides).
        public var setpoint: Setpoint
        /// Online: time left until the command expires [ms]; otherwise 0.
        public var remainingMs: UInt64
    }

    /// Commands accepted and refused so far, by reason.
    public struct Counters: Sendable, Equatable {
        public var accepted = 0, rejectedExpired = 0, rejectedBackwards = 0, rejectedInvalid = 0
        public init() {}
    }

    private var config: pe_fallback_config_t
    private var state = pe_fallback_state_t()

    /// A guard that starts in safe idle at `nowMs`. `maxLifetimeMs` caps how long a command is held after
    /// receipt, whatever its expiry; throws ``PolicyFormatError/invalidRuntimeConfig(_:)`` for 0.
    public init(offlineMode: OfflineMode, maxLifetimeMs: UInt64, nowMs: UInt64) throws(PolicyFormatError) {
        config = pe_fallback_config_t(offline_mode: offlineMode == .safeIdle ? PE_MODE_SAFE_IDLE : PE_MODE_LOCAL_POLICY,
                                      max_lifetime_ms: maxLifetimeMs)
        guard pe_fallback_config_validate(&config) == PE_FALLBACK_OK else {
            throw .invalidRuntimeConfig("command max lifetime \(maxLifetimeMs) ms must be positive")
        }
        _ = pe_fallback_init(&state, nowMs)
    }

    /// Offers `command`, received at `nowMs`; an accepted one replaces the held command.
    public mutating func submit(_ command: Command, nowMs: UInt64) -> Verdict {
        var c = pe_command_t()
        switch command.setpoint {
        case let .current(a): c.kind = PE_SETPOINT_CURRENT_A; c.value = Self.float(a)
        case let .power(w): c.kind = PE_SETPOINT_POWER_W; c.value = Self.float(w)
        }
        c.timestamp_ms = command.timestampMs; c.expires_ms = command.expiresMs
        switch pe_fallback_submit(&state, &config, &c, nowMs) {
        case PE_FALLBACK_OK: return .accepted
        case PE_FALLBACK_REJECT_EXPIRED: return .rejectedExpired
        case PE_FALLBACK_REJECT_BACKWARDS: return .rejectedBackwards
        case PE_FALLBACK_ERR_CLOCK: return .clockWentBackwards
        default: return .rejectedInvalid
        }
    }

    /// The mode to run at `nowMs`. `policyReady`: a local policy is loaded and usable (without one, local-policy
    /// mode degrades to safe idle). A `nowMs` earlier than the last seen is taken as the last seen.
    public mutating func poll(nowMs: UInt64, policyReady: Bool) -> Decision {
        var out = pe_fallback_output_t()
        _ = pe_fallback_poll(&state, &config, max(nowMs, state.last_now_ms), policyReady ? 1 : 0, &out)
        let mode: Mode = switch out.mode {
        case PE_MODE_ONLINE: .online
        case PE_MODE_LOCAL_POLICY: .localPolicy
        default: .safeIdle
        }
        let transition: Transition = switch out.transition {
        case PE_TRANSITION_TO_FALLBACK: .toFallback
        case PE_TRANSITION_TO_ONLINE: .toOnline
        case PE_TRANSITION_WITHIN_FALLBACK: .withinFallback
        default: .none
        }
        let value = Double(out.setpoint)
        return Decision(mode: mode, transition: transition,
                        setpoint: out.kind == PE_SETPOINT_POWER_W ? .power(value) : .current(value), remainingMs: out.remaining_ms)
    }

    /// The latest time the guard has seen [ms].
    public var lastNowMs: UInt64 { state.last_now_ms }

    /// Commands accepted and refused so far.
    public var counters: Counters {
        var c = Counters()
        c.accepted = Int(state.accepted); c.rejectedExpired = Int(state.rejected_expired)
        c.rejectedBackwards = Int(state.rejected_backwards); c.rejectedInvalid = Int(state.rejected_invalid)
        return c
    }

    /// A setpoint as the runtime's float: non-finite stays non-finite (refused as invalid), finite values beyond
    /// Float's range saturate.
    private static func float(_ x: Double) -> Float {
        guard x.isFinite else { return .nan }
        return Float(max(-Double(Float.greatestFiniteMagnitude), min(Double(Float.greatestFiniteMagnitude), x)))
    }
}
