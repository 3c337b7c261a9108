/// The base of every wrapper (Gymnasium's `gymnasium.Wrapper`): forwards everything to `base`; a subclass
/// overrides what it changes (the step, the reset, a space).
open class Wrapper: Environment {
    public let base: any Environment

    public init(wrapping base: any Environment) { self.base = base }

    open var observationSpace: Space { base.observationSpace }
    open var actionSpace: Space { base.actionSpace }
    open var costNames: [String] { base.costNames }
    public var spec: EnvironmentSpec? { get { base.spec } set { base.spec = newValue } }
    public var unwrapped: any Environment { base.unwrapped }

    open func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        try base.reset(seed: seed, options: options)
    }

    open func step(_ action: [Double]) throws(GymError) -> Transition { try base.step(action) }
}
