/// The `proportional` allocator: each device gets the share of the demand that its available power in the
/// demand's direction is of the fleet's,
/// ```
/// pᵢ = D · aᵢ / Σⱼ aⱼ,    aᵢ = uᵢ (D ≥ 0, discharge) or −lᵢ (D < 0, charge)
/// ```
/// with [lᵢ, uᵢ] the device's safe bounds for the period (``SafeBounds``). Every device then sits at the same share
/// of its headroom, so all saturate together: when |D| exceeds the fleet's reach every device is at its bound.
/// O(N).
public final class ProportionalAllocator: FleetAllocator {
    public let name = "proportional"
    public let prices: AllocationPrices

    public init(prices: AllocationPrices = AllocationPrices()) { self.prices = prices }

    public func allocate(_ problem: AllocationProblem) throws(CoordinatorError) -> AllocationResult {
        let models = problem.devices.map { SafeBounds.packModel($0, degradationPrice: prices.degradationPerWh) }
        let (lower, upper) = SafeBounds.bounds(models, demand: problem.demand, period: problem.period)
        let d = problem.demand
        let available = d >= 0 ? upper : lower.map { -$0 }
        let total = available.reduce(0, +)
        let proposal = available.map { total > 0 ? d * $0 / total : 0 }
        return try SafeBounds.project(proposal, lower: lower, upper: upper, demand: d, allocator: name)
    }
}
