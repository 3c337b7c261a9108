import Control
import FleetProtocol

/// One period's allocation problem: the devices, the site demand and what is known of its future.
public struct AllocationProblem: Sendable {
    public var devices: [AllocatableDevice]
    /// Site demand [W], positive when the site draws from the packs (discharge).
    public var demand: Double
    /// Demand [W] of the following periods, if known (a topic's forecast, or the signal generator's next values).
    public var forecast: [Double]
    /// The allocation period [s]: the setpoints hold this long.
    public var period: Double
    /// Local hour of day [0, 24), for the policy's time features.
    public var hourOfDay: Double

    public init(devices: [AllocatableDevice], demand: Double, forecast: [Double] = [], period: Double, hourOfDay: Double = 0) {
        self.devices = devices; self.demand = demand; self.forecast = forecast; self.period = period; self.hourOfDay = hourOfDay
    }

    /// The demand of the next period: the forecast's first value, else the present demand.
    public var demandNext: Double { forecast.first ?? demand }
}

/// An allocation: one power per device of the problem, in its order, within each device's safe bounds.
public struct AllocationResult: Sendable, Equatable {
    /// Power [W] per device, positive on discharge.
    public var powers: [Double]
    /// The safe bounds [W] the powers were projected onto (``SafeBounds``).
    public var lower: [Double], upper: [Double]
    /// Whether Σ powers = demand (false when the demand is out of the fleet's reach: then every device is at the
    /// bound nearest to it).
    public var demandMet: Bool
    /// When the allocator could not run its own method and used another (e.g. the MPC fell back to the exact
    /// one-step allocation), why.
    public var fallback: String?

    /// Σ powers [W].
    public var allocated: Double { powers.reduce(0, +) }
}

/// An allocation method. Allocators keep state between periods (warm starts, a loaded policy) and are used by one
/// task at a time: the coordinator's allocation loop.
public protocol FleetAllocator: AnyObject {
    /// `proportional`, `mpc` or `policy`: the name published in the site allocation.
    var name: String { get }
    /// Splits the problem's demand over its devices within their safe bounds.
    func allocate(_ problem: AllocationProblem) throws(CoordinatorError) -> AllocationResult
}

/// The allocators the coordinator offers, with their settings.
public enum AllocatorChoice: Sendable, Equatable {
    /// Each device's share in proportion to the power it can give in the demand's direction.
    case proportional
    /// Control's `FleetMPC` over a `horizon` of allocation periods (the exact one-step allocation as its fallback).
    case mpc(horizon: Int)
    /// An exported `.pbp` policy for `PulseBMS/FleetDispatch-v0` (per-pack layout), run per device.
    case policy(bytes: [UInt8])

    public var name: String {
        switch self {
        case .proportional: "proportional"
        case .mpc: "mpc"
        case .policy: "policy"
        }
    }
}

/// Prices the MPC and the one-step allocation weigh (the defaults of `PulseBMS/FleetDispatch-v0`).
public struct AllocationPrices: Sendable, Equatable {
    /// Currency per kWh of unmet demand, per kWh of losses, and per Wh of throughput (degradation).
    public var tracking = 0.5, energy = 0.1, degradationPerWh = 0.0
    public init() {}
}

/// Builds the allocator of `choice`; a policy is loaded and checked here.
public func makeAllocator(_ choice: AllocatorChoice, prices: AllocationPrices = AllocationPrices(),
                          policyFeatureStep: Double? = nil) throws(CoordinatorError) -> any FleetAllocator {
    switch choice {
    case .proportional: return ProportionalAllocator(prices: prices)
    case let .mpc(horizon): return try MPCAllocator(horizon: horizon, prices: prices)
    case let .policy(bytes): return try PolicyAllocator(bytes: bytes, prices: prices, featureStep: policyFeatureStep)
    }
}
