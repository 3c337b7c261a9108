/// Clips every action into the wrapped environment's box (Gymnasium's `ClipAction`); the exposed action
/// space is unbounded, so a Gaussian policy's raw sample is always a valid action.
public final class ClipAction: Wrapper {
    private let box: Box
    private let unbounded: Space
    override public var actionSpace: Space { unbounded }

    public init(_ base: any Environment) throws(GymError) {
        guard case let .box(b) = base.actionSpace else { throw .invalidSpace("ClipAction needs a Box action space") }
        box = b
        unbounded = .box(try Box(low: Array(repeating: -.infinity, count: b.count),
                                 high: Array(repeating: .infinity, count: b.count), shape: b.shape))
        super.init(wrapping: base)
    }

    override public func step(_ action: [Double]) throws(GymError) -> Transition {
        guard action.count == box.count, action.allSatisfy({ !$0.isNaN }) else {
            throw .invalidAction("expected \(box.count) numbers, got \(action)")
        }
        return try base.step(box.clip(action))
    }
}

/// Affinely maps actions from `[minAction, maxAction]` onto the wrapped environment's bounded box
/// (Gymnasium's `RescaleAction`), e.g. a tanh-squashed policy's [−1, 1] onto physical units.
public final class RescaleAction: Wrapper {
    private let target: Box
    private let source: Box
    override public var actionSpace: Space { .box(source) }

    public init(_ base: any Environment, minAction: Double = -1, maxAction: Double = 1) throws(GymError) {
        guard case let .box(b) = base.actionSpace, b.isBounded else {
            throw .invalidSpace("RescaleAction needs a bounded Box action space")
        }
        guard minAction < maxAction, minAction.isFinite, maxAction.isFinite else {
            throw .invalidSpace("RescaleAction needs finite minAction < maxAction, not \(minAction), \(maxAction)")
        }
        target = b
        source = try Box(low: Array(repeating: minAction, count: b.count),
                         high: Array(repeating: maxAction, count: b.count), shape: b.shape)
        super.init(wrapping: base)
    }

    override public func step(_ action: [Double]) throws(GymError) -> Transition {
        guard source.contains(action) else {
            throw .invalidAction("\(action) is outside [\(source.low[0]), \(source.high[0])]")
        }
        var mapped = action
        for i in mapped.indices {
            let u = (action[i] - source.low[i]) / (source.high[i] - source.low[i])
            mapped[i] = min(max(target.low[i] + u * (target.high[i] - target.low[i]), target.low[i]), target.high[i])
        }
        return try base.step(mapped)
    }
}
