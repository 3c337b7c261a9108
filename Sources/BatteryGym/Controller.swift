import Gym
import SeededRandom

/// A fixed policy for an environment: the baselines every trained policy is compared with, and `random`.
public protocol Controller: AnyObject {
    /// Called after each reset with the first observation.
    func reset(observation: [Double], info: Info)
    /// The action for `observation`.
    func action(for observation: [Double]) -> [Double]
}

/// Uniform random actions from the action space, seeded.
public final class RandomController: Controller {
    private let space: Space
    private var rng: Xoshiro256StarStar

    public init(actionSpace: Space, seed: UInt64) {
        space = actionSpace
        rng = Xoshiro256StarStar(seed: seed)
    }

    public func reset(observation: [Double], info: Info) {}
    public func action(for observation: [Double]) -> [Double] { space.sample(using: &rng) }
}

/// The CC-CV baseline for ``FastChargeEnvironment``: constant current at `cRate` until the voltage reaches
/// `voltageLimit − band`, then a constant-voltage phase approximated at the step's resolution by cutting the
/// rate by `taper` each step the voltage stays in the band — the industry's standard charge protocol.
public final class ConstantCurrentConstantVoltage: Controller {
    public let cRate, voltageLimit, band, taper: Double
    private var rate: Double

    public init(cRate: Double = 1, voltageLimit: Double = 4.2, band: Double = 0.01, taper: Double = 0.8) {
        self.cRate = cRate; self.voltageLimit = voltageLimit; self.band = band; self.taper = taper
        rate = cRate
    }

    public func reset(observation: [Double], info: Info) { rate = cRate }

    public func action(for observation: [Double]) -> [Double] {
        if observation[1] >= voltageLimit - band { rate *= taper }
        return [rate]
    }
}
