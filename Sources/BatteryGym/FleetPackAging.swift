import Electrochemistry

/// A pack's BLAST-Lite fade kept current while the environment runs (``BlastLiteAgingTracker``), for the
/// chemistry's model, continuing from the pack's second-life state of health.
///
/// - The tracker sees the pack's own SoC, which already refers to its faded capacity, so energy throughput is
///   not re-stretched (`conservesEnergyThroughput: false`).
/// - Chunks close at most `chunkSeconds` (default 1 h) apart instead of BLAST-Lite's day, so that degradation
///   reaches the reward within the hour; the fade laws are the same.
/// - A second-life pack enters with retention q₀ and growth r₀ from the fleet sampler; the fitted models start
///   from a new cell, so the pack's health is taken as q₀ × q_model and r₀ × r_model. The models' fade rate is
///   highest when new, so this overstates a used pack's early fade — a conservative approximation, except for
///   the second-life LMO model, fitted from the second-life start itself.
final class FleetPackAging {
    private let box: any AgingBox
    let initialRetention: Double, initialGrowth: Double
    private var lastChunk: (days: Double, q: Double)
    /// Present capacity retention and resistance growth (cached: reading the generic tracker through the box
    /// copies it).
    private(set) var q: Double
    private(set) var r: Double

    init(modelName: String, initialRetention: Double, initialGrowth: Double = 1, chunkSeconds: Double = 3600) throws(BlastLiteUnknownModel) {
        box = Self.open(try BlastLite.model(named: modelName), chunkSeconds: chunkSeconds)
        self.initialRetention = initialRetention
        self.initialGrowth = initialGrowth
        lastChunk = (0, initialRetention)
        q = initialRetention * box.q
        r = initialGrowth * (box.r ?? 1)
    }

    private static func open<M: BlastLiteFadeModel>(_ model: M, chunkSeconds: Double) -> any AgingBox {
        TypedAging(BlastLiteAgingTracker(model: model, conservesEnergyThroughput: false, maxTimeDiff: chunkSeconds,
                                         maxDeferral: chunkSeconds))
    }

    /// Records one step; returns the length [days] and capacity loss of a chunk that closed on it.
    func advance(dt: Double, soc: Double, celsius: Double, finish: Bool) -> (days: Double, loss: Double)? {
        let closed = box.advance(dt: dt, soc: soc, celsius: celsius, finish: finish)
        guard closed else { return nil }
        q = initialRetention * box.q
        r = initialGrowth * (box.r ?? 1)
        let now = (days: box.days, q: q)
        defer { lastChunk = now }
        return (now.days - lastChunk.days, lastChunk.q - now.q)
    }
}

private protocol AgingBox: AnyObject {
    var q: Double { get }
    var r: Double? { get }
    var days: Double { get }
    func advance(dt: Double, soc: Double, celsius: Double, finish: Bool) -> Bool
}

private final class TypedAging<M: BlastLiteFadeModel>: AgingBox {
    var tracker: BlastLiteAgingTracker<M>
    init(_ tracker: BlastLiteAgingTracker<M>) { self.tracker = tracker }
    var q: Double { tracker.q }
    var r: Double? { tracker.r }
    var days: Double { tracker.days }

    func advance(dt: Double, soc: Double, celsius: Double, finish: Bool) -> Bool {
        let before = tracker.chunkCount
        tracker.advance(by: dt, soc: min(max(soc, 0), 1), celsius: celsius)
        if finish { tracker.finish() }
        return tracker.chunkCount != before
    }
}
