import Control
import PolicyFormat

/// The `policy` allocator: an exported `.pbp` policy for `PulseBMS/FleetDispatch-v0` run through the edge runtime
/// (`EdgePolicy`) on each device's row of the per-pack observation (``PolicyObservation``).
///
/// As in the environment, the action of a row is the device's weight in [0, 1]; the demand is split in proportion
/// to the weights with each device capped at its rated power and the excess passed on by weight (Control's
/// `Allocation.split`, as the environment splits). The split is then projected onto the devices' safe bounds with Σ = demand
/// (``SafeBounds/project``), which the environment does not need but a real site does.
///
/// A policy is refused unless its metadata names environment `PulseBMS/FleetDispatch-v0` and layout
/// `per_pack:4,10`, with 14 inputs and one action per row.
public final class PolicyAllocator: FleetAllocator {
    public let name = "policy"
    public let prices: AllocationPrices
    /// The feature step Δt [s] of the headroom features (nil: the allocation period).
    public let featureStep: Double?
    /// The CRC-32 of the loaded file.
    public let crc32: UInt32
    private let policy: EdgePolicy

    public init(bytes: [UInt8], prices: AllocationPrices = AllocationPrices(), featureStep: Double? = nil) throws(CoordinatorError) {
        policy = try Self.load(bytes)
        crc32 = policy.crc32
        self.prices = prices
        if let featureStep, !(featureStep > 0) { throw .invalidConfiguration("the policy feature step \(featureStep) s must be positive") }
        self.featureStep = featureStep
    }

    /// Loads `bytes` with the edge runtime and checks that the policy fits the per-pack FleetDispatch observation.
    static func load(_ bytes: [UInt8]) throws(CoordinatorError) -> EdgePolicy {
        let policy: EdgePolicy, metadata: PolicyMetadata
        do {
            policy = try EdgePolicy(bytes: bytes)
            metadata = try PolicyFile.decode(bytes).metadata
        } catch {
            throw .invalidPolicy("\(error)")
        }
        guard metadata.environment == PolicyObservation.environment else {
            throw .invalidPolicy("the policy was trained on \"\(metadata.environment)\"; the coordinator runs \(PolicyObservation.environment) policies")
        }
        guard metadata.layout == PolicyObservation.layout else {
            throw .invalidPolicy("the policy's observation layout is \"\(metadata.layout ?? "unspecified")\"; the coordinator needs \(PolicyObservation.layout)")
        }
        let width = PolicyObservation.siteFeatures + PolicyObservation.packFeatures
        guard policy.inputCount == width, policy.actionCount == 1 else {
            throw .invalidPolicy("the policy maps \(policy.inputCount) inputs to \(policy.actionCount) actions; a per-pack row is \(width) inputs to 1 weight")
        }
        return policy
    }

    /// Each device's weight in [0, 1] for `problem`.
    public func weights(_ problem: AllocationProblem) throws(CoordinatorError) -> [Double] {
        let rows = PolicyObservation.rows(problem, step: featureStep)
        let width = policy.inputCount
        var weights = [Double](repeating: 0, count: problem.devices.count)
        var action: Float = 0
        var failure: Int32?
        rows.withUnsafeBufferPointer { input in
            for i in weights.indices {
                let status = policy.infer(input.baseAddress! + i * width, into: &action)
                if status.rawValue != 0 { failure = Int32(status.rawValue); return }
                weights[i] = action.isFinite ? min(max(Double(action), 0), 1) : 0
            }
        }
        if let failure { throw .allocation("policy: the edge runtime's inference failed (status \(failure))") }
        return weights
    }

    public func allocate(_ problem: AllocationProblem) throws(CoordinatorError) -> AllocationResult {
        let weights = try weights(problem)
        let proposal = Allocation.split(demand: problem.demand, weights: weights, caps: problem.devices.map(\.ratedPower))
        let models = problem.devices.map { SafeBounds.packModel($0, degradationPrice: prices.degradationPerWh) }
        let (lower, upper) = SafeBounds.bounds(models, demand: problem.demand, period: problem.period)
        return try SafeBounds.project(proposal, lower: lower, upper: upper, demand: problem.demand, allocator: name)
    }
}
