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

/// The input a fleet policy gets on the device, built from the pack alone.
///
/// A per-pack policy (`per_pack:S,10` in its metadata, as `pulse export` writes for the fleet environments) reads
/// S site features and the 10 pack features of BatteryGym's `FleetSite` (`soc`, `soh`, temperature above 25 °C
/// over 20 K, cell voltage within the window, discharge and charge headroom for a 60 s decision at rated power,
/// one-hot LFP/NMC/LMO, rated-power share), each clipped to ±10. The device knows no site signal, so the site
/// features are 0; it is the only pack, so its rated-power share is 1. A policy of exactly 10 inputs reads the
/// pack features alone. Any other policy is held (its CRC reported) but not run locally.
///
/// Its first action is the pack's power as a share of its rated power, positive on discharge (FleetArbitrage's
/// convention), clamped to [−1, 1].
struct LocalPolicyFeatures: Equatable {
    static let packFeatureCount = 10
    /// The decision interval the headroom features look ahead [s] (the fleet environments' step).
    static let decisionInterval = 60.0
    let siteFeatures: Int

    init?(layout: String?, inputs: Int, actions: Int) {
        guard actions >= 1 else { return nil }
        if inputs == Self.packFeatureCount { siteFeatures = 0; return }
        guard let layout, layout.hasPrefix("per_pack:") else { return nil }
        let numbers = layout.dropFirst("per_pack:".count).split(separator: ",").compactMap { Int($0) }
        guard numbers.count == 2, numbers[1] == Self.packFeatureCount, numbers[0] >= 0,
              numbers[0] + Self.packFeatureCount == inputs else { return nil }
        siteFeatures = numbers[0]
    }

    func observation(pack: EdgePack, socWindow: ClosedRange<Double>, ratedDischargePower: Double) -> [Float] {
        let o = pack.outputs, limits = pack.pack.limits
        let soc = o.stateOfCharge, guardBand = 0.02
        let perSecond = pack.energy * 3600 / Self.decisionInterval / max(ratedDischargePower, 1e-9)
        let chemistry = pack.sampled.chemistry
        let values: [Double] = [
            soc, pack.stateOfHealth, (o.maximumTemperature - 298.15) / 20,
            (o.maximumCellVoltage - limits.minimumVoltage) / (limits.maximumVoltage - limits.minimumVoltage),
            min(1, max(0, (soc - socWindow.lowerBound - guardBand) * perSecond)),
            min(1, max(0, (socWindow.upperBound - guardBand - soc) * perSecond)),
            chemistry == .lfp ? 1 : 0, chemistry == .nmc ? 1 : 0, chemistry == .lmo ? 1 : 0, 1,
        ]
        return [Float](repeating: 0, count: siteFeatures) + values.map { Float(min(10, max(-10, $0))) }
    }
}
