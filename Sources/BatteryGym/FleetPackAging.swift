import Electrochemistry

/// A pack's BLAST-Lite fade kept current while the environment runs (``BlastLiteAgingTracker``), for the
/// chemistry's model, continuing from the pack's second-life state of health.
///
/// - The tracker sees the pack's own SoC, which already refers to its faded capacity, so energy throughput is
///   not re-stretched (`conservesEnergyThroughput: false`).
/// - Chunks close at most `chunkSeconds` (default 1 h) apart instead of BLAST-Lite's day, so that degradation
///   reaches the reward within the hour; the fade laws are the same.
/// - A second-life pack enters with retention q₀ and growth r₀ from the fleet sampler, but the fitted models
///   start from a new cell, whose calendar and cycling laws are steepest at the start. So the model is first aged
///   to the pack's state (``secondLifeModel(named:retention:)``: a daily 20–80 % cycle at 25 °C until its q reaches
///   q₀, at most 25 years) and the pack's health is q₀ × q_model/q_model,start and r₀ × r_model/r_model,start: the
///   fade goes on at the rate of a used cell. The second-life LMO model is fitted from the second-life start
///   itself and is not pre-aged.
final class FleetPackAging {
    private let tracker: AgingHandle
    let initialRetention: Double, initialGrowth: Double
    private var lastChunk: (days: Double, q: Double)
    /// Present capacity retention and resistance growth.
    private(set) var q: Double
    private(set) var r: Double

    /// Continues `model` (fresh, or aged by ``secondLifeModel(named:retention:)``) from retention q₀ and growth r₀.
    init(model: any BlastLiteFadeModel, initialRetention: Double, initialGrowth: Double = 1, chunkSeconds: Double = 3600) {
        tracker = Self.open(model, chunkSeconds: chunkSeconds)
        self.initialRetention = initialRetention / model.q
        self.initialGrowth = initialGrowth / (model.r ?? 1)
        lastChunk = (model.days, initialRetention)
        q = initialRetention
        r = initialGrowth
    }

    /// A fresh model of BLAST-Lite class `name` aged to retention `retention` by a daily 20–80 % cycle at 25 °C
    /// (two samples a day, monthly chunks), stopping at 25 years; second-life models are returned fresh.
    static func secondLifeModel(named name: String, retention: Double) throws(BlastLiteUnknownModel) -> any BlastLiteFadeModel {
        let model = try BlastLite.model(named: name)
        guard !name.contains("2ndLife") else { return model }
        return preaged(model, retention: retention)
    }

    private static func preaged<M: BlastLiteFadeModel>(_ model: M, retention: Double) -> M {
        let month = 30 * 86_400.0
        var tracker = BlastLiteAgingTracker(model: model, maxTimeDiff: month, maxEFCDiff: 30, maxDeferral: month)
        var halfDays = 0
        while tracker.q > retention, halfDays < 2 * 25 * 365 {
            tracker.record(time: Double(halfDays) * 43_200, soc: halfDays % 2 == 0 ? 0.8 : 0.2, celsius: 25)
            halfDays += 1
        }
        tracker.finish()
        return tracker.model
    }

    /// The fleet chemistries' models by concrete type, so that their tracker code is specialised (through a
    /// generic parameter opened at run time it would run unspecialised, with metadata look-ups on every call).
    private static func open(_ model: any BlastLiteFadeModel, chunkSeconds: Double) -> AgingHandle {
        switch model {
        case let m as BlastLiteLfpGr250AhPrismatic: return AgingHandle(m, chunkSeconds: chunkSeconds)
        case let m as BlastLiteLmoGrNissanLeaf66Ah: return AgingHandle(m, chunkSeconds: chunkSeconds)
        case let m as BlastLiteNmc811GrSiLGM50: return AgingHandle(m, chunkSeconds: chunkSeconds)
        default: return AgingHandle(model, chunkSeconds: chunkSeconds)
        }
    }

    /// The fade model at its present state (a copy), e.g. to linearise its cost.
    var model: any BlastLiteFadeModel { tracker.model() }

    /// Records one step; returns the length [days] and capacity loss of a chunk that closed on it.
    func advance(dt: Double, soc: Double, celsius: Double, finish: Bool) -> (days: Double, loss: Double)? {
        guard tracker.advance(dt, soc, celsius, finish) else { return nil }
        let state = tracker.state()
        q = initialRetention * state.q
        r = initialGrowth * (state.r ?? 1)
        let now = (days: state.days, q: q)
        defer { lastChunk = now }
        return (now.days - lastChunk.days, lastChunk.q - now.q)
    }
}

/// A ``BlastLiteAgingTracker`` behind closures made where its model type is known.
private struct AgingHandle {
    /// (dt, SoC, °C, finish) → whether a chunk closed.
    let advance: (Double, Double, Double, Bool) -> Bool
    let state: () -> (q: Double, r: Double?, days: Double)
    /// The model at its present state (a copy).
    let model: () -> any BlastLiteFadeModel

    init<M: BlastLiteFadeModel>(_ model: M, chunkSeconds: Double) {
        let box = TrackerBox(BlastLiteAgingTracker(model: model, conservesEnergyThroughput: false,
                                                   maxTimeDiff: chunkSeconds, maxDeferral: chunkSeconds))
        advance = { dt, soc, celsius, finish in
            let before = box.tracker.chunkCount
            box.tracker.advance(by: dt, soc: min(max(soc, 0), 1), celsius: celsius)
            if finish { box.tracker.finish() }
            return box.tracker.chunkCount != before
        }
        state = { (box.tracker.q, box.tracker.r, box.tracker.days) }
        self.model = { box.tracker.model }
    }
}

private final class TrackerBox<M: BlastLiteFadeModel> {
    var tracker: BlastLiteAgingTracker<M>
    init(_ tracker: BlastLiteAgingTracker<M>) { self.tracker = tracker }
}
