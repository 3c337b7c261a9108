import Foundation
import FleetProtocol
import PolicyFormat

/// A policy the device has verified and holds.
struct LoadedPolicy {
    let runtime: EdgePolicy
    let crc: UInt32
    /// How to build its input from the pack, or nil when it cannot run locally.
    let features: LocalPolicyFeatures?
}

/// The outcome of offering policy bytes to a device.
public enum PolicyOffer: Sendable, Equatable {
    /// Verified and swapped in; the monitor now runs on its limits (or the pack's default ones).
    case swapped(crc: UInt32)
    /// The same CRC as the policy already loaded: nothing changed.
    case unchanged(crc: UInt32)
    /// Refused (the old policy stays): why.
    case refused(String)
}

extension EdgeController {
    /// Verifies `bytes` with the runtime (`EdgePolicy(bytes:)`: magic, version, CRC-32, every section) and swaps
    /// the policy in. A file with a safety-limits section reconfigures the monitor from it
    /// (`pe_safety_config_from_limits`); one without puts the monitor back on the pack's default limits. The
    /// monitor re-checks the pack at once, so the new limits clamp the next step; latched faults stay latched.
    /// On any refusal the old policy and monitor config stay.
    @discardableResult
    public func offerPolicy(_ bytes: [UInt8]) -> PolicyOffer {
        let offer = verify(bytes)
        switch offer {
        case let .success(candidate):
            if candidate.crc == policy?.crc { return .unchanged(crc: candidate.crc) }
            var next = monitor
            do {
                if try !next.reconfigure(policy: candidate.runtime) { try next.reconfigure(limits: pack.defaultLimits) }
            } catch {
                return refuse("policy 0x\(String(candidate.crc, radix: 16)): its safety limits are refused: \(error)")
            }
            monitor = next
            policy = candidate
            policySwaps += 1
            // The new limits hold from the next step: the monitor checks the pack at once (one extra count
            // towards any debounce, which errs on the safe side).
            let report = monitor.check(pack.measurement)
            last.report = report
            last.faults = report.faults | ownFaults
            return .swapped(crc: candidate.crc)
        case let .failure(reason):
            return refuse(reason.description)
        }
    }

    private func refuse(_ reason: String) -> PolicyOffer {
        policyRefusals += 1
        lastProblem = "policy refused: \(reason)"
        return .refused(reason)
    }

    private struct Refusal: Error, CustomStringConvertible { var description: String }

    private func verify(_ bytes: [UInt8]) -> Result<LoadedPolicy, Refusal> {
        guard !bytes.isEmpty else { return .failure(Refusal(description: "empty payload")) }
        guard bytes.count <= FleetProtocolVersion.maxPolicyBytes else {
            return .failure(Refusal(description: "\(bytes.count) bytes exceed the limit of \(FleetProtocolVersion.maxPolicyBytes)"))
        }
        let runtime: EdgePolicy
        do { runtime = try EdgePolicy(bytes: bytes) } catch { return .failure(Refusal(description: error.description)) }
        let layout = (try? PolicyFile.decode(bytes))?.metadata.layout
        return .success(LoadedPolicy(runtime: runtime, crc: runtime.crc32,
                                     features: LocalPolicyFeatures(layout: layout, inputs: runtime.inputCount, actions: runtime.actionCount)))
    }

    func loadInitialPolicy(_ path: String) throws(EdgeAgentError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .policy(path: path, reason: "cannot read the file") }
        if case let .refused(reason) = offerPolicy(Array(data)) { throw .policy(path: path, reason: reason) }
    }

    /// The local policy's power [W] for the pack as it is now, or nil when the policy fails (non-finite input).
    func localPolicyPower() -> Double? {
        guard let policy, let features = policy.features else { return nil }
        let info = packInfo
        let observation = features.observation(pack: pack, socWindow: monitor.socWindow,
                                               ratedDischargePower: info.maxDischargePower)
        guard let actions = try? policy.runtime.infer(observation), let a = actions.first, a.isFinite else { return nil }
        let share = Double(min(1, max(-1, a)))
        return share >= 0 ? share * info.maxDischargePower : share * info.maxChargePower
    }
}
