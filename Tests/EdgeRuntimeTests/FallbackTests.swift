import Testing
import EdgeRuntime

/// The offline command guard (pe_fallback.h): expiry, rejections, mode selection and transitions.
@Suite("EdgeRuntime offline fallback")
struct FallbackTests {
    static func command(_ value: Float, at ts: UInt64, expires: UInt64) -> pe_command_t {
        pe_command_t(kind: PE_SETPOINT_CURRENT_A, value: value, timestamp_ms: ts, expires_ms: expires)
    }

    static func poll(_ s: inout pe_fallback_state_t, _ c: inout pe_fallback_config_t, _ now: UInt64,
                     policy: Bool = true) -> pe_fallback_output_t {
        var out = pe_fallback_output_t()
        #expect(pe_fallback_poll(&s, &c, now, policy ? 1 : 0, &out) == PE_FALLBACK_OK)
        return out
    }

    @Test("online until the command expires, then the configured fallback, then online again", arguments: [
        PE_MODE_SAFE_IDLE, PE_MODE_LOCAL_POLICY,
    ])
    func expiryAndTransitions(_ offline: pe_mode_t) {
        var c = pe_fallback_config_t(offline_mode: offline, max_lifetime_ms: 60_000), s = pe_fallback_state_t()
        #expect(pe_fallback_config_validate(&c) == PE_FALLBACK_OK)
        _ = pe_fallback_init(&s, 1000)
        var out = Self.poll(&s, &c, 1000)
        #expect(out.mode == offline)
        #expect(out.setpoint == 0)
        var cmd = Self.command(3.5, at: 1000, expires: 6000)
        #expect(pe_fallback_submit(&s, &c, &cmd, 1100) == PE_FALLBACK_OK)
        out = Self.poll(&s, &c, 1200)
        #expect(out.mode == PE_MODE_ONLINE)
        #expect(out.transition == PE_TRANSITION_TO_ONLINE)
        #expect(out.setpoint == 3.5)
        #expect(out.remaining_ms == 4800)
        out = Self.poll(&s, &c, 5999)
        #expect(out.mode == PE_MODE_ONLINE && out.transition == PE_TRANSITION_NONE)
        out = Self.poll(&s, &c, 6000)  // expiry is exclusive: an expired command is never run
        #expect(out.mode == offline)
        #expect(out.transition == PE_TRANSITION_TO_FALLBACK)
        #expect(out.setpoint == 0)
        out = Self.poll(&s, &c, 7000)
        #expect(out.transition == PE_TRANSITION_NONE)
        cmd = Self.command(-2, at: 6500, expires: 9000)
        #expect(pe_fallback_submit(&s, &c, &cmd, 7100) == PE_FALLBACK_OK)
        out = Self.poll(&s, &c, 7200)
        #expect(out.mode == PE_MODE_ONLINE && out.transition == PE_TRANSITION_TO_ONLINE && out.setpoint == -2)
    }

    @Test("without a loaded policy, the local-policy fallback degrades to safe idle")
    func policyAvailability() {
        var c = pe_fallback_config_t(offline_mode: PE_MODE_LOCAL_POLICY, max_lifetime_ms: 1000), s = pe_fallback_state_t()
        _ = pe_fallback_init(&s, 0)
        #expect(Self.poll(&s, &c, 10, policy: false).mode == PE_MODE_SAFE_IDLE)
        let out = Self.poll(&s, &c, 20, policy: true)
        #expect(out.mode == PE_MODE_LOCAL_POLICY && out.transition == PE_TRANSITION_WITHIN_FALLBACK)
    }

    @Test("expired, backwards, malformed commands and a backwards clock are rejected and counted")
    func rejections() {
        var c = pe_fallback_config_t(offline_mode: PE_MODE_SAFE_IDLE, max_lifetime_ms: 10_000), s = pe_fallback_state_t()
        _ = pe_fallback_init(&s, 0)
        var cmd = Self.command(1, at: 100, expires: 500)
        #expect(pe_fallback_submit(&s, &c, &cmd, 500) == PE_FALLBACK_REJECT_EXPIRED)
        cmd = Self.command(1, at: 1000, expires: 5000)
        #expect(pe_fallback_submit(&s, &c, &cmd, 1000) == PE_FALLBACK_OK)
        var older = Self.command(7, at: 999, expires: 6000)
        #expect(pe_fallback_submit(&s, &c, &older, 1100) == PE_FALLBACK_REJECT_BACKWARDS)
        var bad = Self.command(.nan, at: 2000, expires: 6000)
        #expect(pe_fallback_submit(&s, &c, &bad, 1200) == PE_FALLBACK_REJECT_INVALID)
        bad = Self.command(1, at: 2000, expires: 2000)
        #expect(pe_fallback_submit(&s, &c, &bad, 1200) == PE_FALLBACK_REJECT_INVALID)
        var out = pe_fallback_output_t()
        #expect(pe_fallback_poll(&s, &c, 1150, 0, &out) == PE_FALLBACK_ERR_CLOCK)
        #expect(s.rejected_expired == 1 && s.rejected_backwards == 1 && s.rejected_invalid == 2 && s.accepted == 1)
        out = Self.poll(&s, &c, 1300)
        #expect(out.mode == PE_MODE_ONLINE && out.setpoint == 1)  // the rejected commands changed nothing
        // A far-future expiry is capped at max_lifetime_ms after receipt.
        var far = Self.command(4, at: 2000, expires: 1_000_000)
        #expect(pe_fallback_submit(&s, &c, &far, 2000) == PE_FALLBACK_OK)
        #expect(Self.poll(&s, &c, 11_999).mode == PE_MODE_ONLINE)
        #expect(Self.poll(&s, &c, 12_000).mode == PE_MODE_SAFE_IDLE)
        var zero = pe_fallback_config_t(offline_mode: PE_MODE_ONLINE, max_lifetime_ms: 1)
        #expect(pe_fallback_config_validate(&zero) == PE_FALLBACK_ERR_CONFIG)
    }
}
