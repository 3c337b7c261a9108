import Gym
import SeededRandom

/// A one-dimensional point that the action pushes towards a seeded random target: reward −|x − target|,
/// one cost "out_of_bounds" when |x| > 1, terminated when |x − target| < 0.01. A test double for the API.
final class PointEnvironment: Environment {
    let observationSpace: Space = .box(try! Box(low: -10, high: 10, count: 2))
    let actionSpace: Space = .box(try! Box(low: -0.5, high: 0.5, count: 1))
    let costNames = ["out_of_bounds", "effort"]
    var spec: EnvironmentSpec?
    private var rng = Xoshiro256StarStar(seed: 0)
    private var x = 0.0, target = 0.0
    private var ready = false

    func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        try options.checkKnown(["start"])
        if let seed { rng = Xoshiro256StarStar(seed: seed) }
        x = try options.double("start", default: 0, in: -5...5)
        target = rng.nextUniform(in: -2, 2)
        ready = true
        return ([x, target], ["target": .number(target)])
    }

    func step(_ action: [Double]) throws(GymError) -> Transition {
        guard ready else { throw .needsReset("step before reset or after the episode ended") }
        guard actionSpace.contains(action) else { throw .invalidAction("\(action) is not in \(actionSpace)") }
        x = min(max(x + action[0] + 0.01 * rng.nextStandardNormal(), -10), 10)
        let error = abs(x - target)
        let done = error < 0.01
        if done { ready = false }
        return Transition(observation: [x, target], reward: -error,
                          costs: [abs(x) > 1 ? 1 : 0, abs(action[0])], terminated: done, truncated: false)
    }
}

/// An environment that breaks the API in a chosen way, for the checker's tests.
final class BrokenEnvironment: Environment {
    enum Fault { case observationOutsideSpace, nondeterministicReset, negativeCost }
    let fault: Fault
    let observationSpace: Space = .box(try! Box(low: 0, high: 1, count: 1))
    let actionSpace: Space = .box(try! Box(low: -1, high: 1, count: 1))
    let costNames = ["c"]
    var spec: EnvironmentSpec?
    nonisolated(unsafe) static var counter = 0.0
    private var ready = false

    init(_ fault: Fault) { self.fault = fault }

    func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        ready = true
        Self.counter += 1e-3
        return ([fault == .nondeterministicReset ? Self.counter.truncatingRemainder(dividingBy: 1) : 0.5], [:])
    }

    func step(_ action: [Double]) throws(GymError) -> Transition {
        guard ready else { throw .needsReset("not reset") }
        guard actionSpace.contains(action) else { throw .invalidAction("bad") }
        return Transition(observation: [fault == .observationOutsideSpace ? 2 : 0.5], reward: 0,
                          costs: [fault == .negativeCost ? -1 : 0], terminated: false, truncated: false)
    }
}
