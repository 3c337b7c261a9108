import Testing
import Gym
import SeededRandom

@Suite("Wrappers")
struct WrapperTests {
    @Test("ClipAction clips into the box; RescaleAction maps [-1, 1] onto it")
    func actions() throws {
        let a = PointEnvironment(), b = PointEnvironment()
        let clipped = try ClipAction(a)
        _ = try clipped.reset(seed: 5); _ = try b.reset(seed: 5)
        #expect(try clipped.step([3]).observation == (try b.step([0.5])).observation)
        let c = PointEnvironment(), d = PointEnvironment()
        let rescaled = try RescaleAction(c, minAction: -1, maxAction: 1)
        _ = try rescaled.reset(seed: 5); _ = try d.reset(seed: 5)
        #expect(try rescaled.step([0.5]).observation == (try d.step([0.25])).observation)
        #expect(throws: GymError.self) { try rescaled.step([1.5]) }
    }

    @Test("NormalizeObservation tracks mean and variance; NormalizeReward scales by the return's deviation")
    func normalize() throws {
        let env = try NormalizeObservation(PointEnvironment())
        var rng = Xoshiro256StarStar(seed: 2)
        var raw: [[Double]] = []
        let plain = PointEnvironment()
        raw.append(try plain.reset(seed: 9).observation)
        _ = try env.reset(seed: 9)
        for _ in 0..<300 {
            let action = env.actionSpace.sample(using: &rng)
            let t = try plain.step(action)
            _ = try env.step(action)
            raw.append(t.observation)
            if t.done { break }
        }
        let n = Double(raw.count)
        let mean = raw.reduce(0) { $0 + $1[0] } / n
        let variance = raw.reduce(0) { $0 + ($1[0] - mean) * ($1[0] - mean) } / n
        #expect(abs(env.statistics.mean[0] - mean) < 1e-6 * max(1, abs(mean)))
        #expect(abs(env.statistics.variance[0] - variance) < 1e-3 * variance + 1e-9)

        let scaled = try NormalizeReward(PointEnvironment(), gamma: 0.9)
        let reference = PointEnvironment()
        _ = try scaled.reset(seed: 4); _ = try reference.reset(seed: 4)
        var g = 0.0, stats = RunningMeanStd(dimension: 1)
        for _ in 0..<50 {
            let r = try reference.step([0.1]), s = try scaled.step([0.1])
            g = 0.9 * g + r.reward
            stats.update([g])
            #expect(abs(s.reward - r.reward / (stats.variance[0] + 1e-8).squareRoot()) < 1e-12)
            #expect(s.costs == r.costs)
            if r.done { break }
        }
    }

    @Test("RecordEpisodeStatistics reports return, summed costs per component and length")
    func statistics() throws {
        let env = RecordEpisodeStatistics(try TimeLimit(PointEnvironment(), maxEpisodeSteps: 10))
        _ = try env.reset(seed: 1)
        var sum = 0.0, costs = [0.0, 0.0]
        var last: Transition
        repeat {
            last = try env.step([0.3])
            sum += last.reward; costs[0] += last.costs[0]; costs[1] += last.costs[1]
        } while !last.done
        let episode = try #require(last.info["episode"]?.record)
        #expect(episode["r"] == .number(sum) && episode["l"] == .number(10))
        #expect(episode["c"] == .number(costs[0] + costs[1]) && episode["c/effort"] == .number(costs[1]))
        #expect(env.returns == [sum] && env.lengths == [10] && env.episodeCount == 1)
    }
}

@Suite("VectorEnvironment")
struct VectorEnvironmentTests {
    @Test("next-step autoreset: the step after a done step resets that sub-environment only")
    func autoreset() throws {
        let vec = try VectorEnvironment(count: 3) { i throws(GymError) in
            try TimeLimit(PointEnvironment(), maxEpisodeSteps: 3 + i)
        }
        _ = try vec.reset(seed: 10)
        var history: [[Transition]] = []
        for _ in 0..<5 { history.append(try vec.step(Array(repeating: [0.1], count: 3))) }
        // Env 0 truncates at step 3 (index 2) and is reset at index 3; env 1 truncates at index 3.
        #expect(history[2][0].truncated && !history[2][1].done)
        #expect(history[3][0].reward == 0 && history[3][0].info["autoreset"] == .flag(true) && !history[3][0].done)
        #expect(history[3][1].truncated && history[4][1].info["autoreset"] == .flag(true))
        #expect(history[4][0].info["autoreset"] == nil)
    }

    @Test("threaded stepping equals synchronous stepping, bit for bit; seeds are s + i")
    func threaded() throws {
        func run(threads: Int) throws -> [[Double]] {
            let vec = try VectorEnvironment(count: 8, threads: threads) { _ throws(GymError) in
                try TimeLimit(PointEnvironment(), maxEpisodeSteps: 7)
            }
            var out = try vec.reset(seed: 100).observations
            var rng = Xoshiro256StarStar(seed: 1)
            for _ in 0..<30 {
                let actions = (0..<8).map { _ in vec.singleActionSpace.sample(using: &rng) }
                out += try vec.step(actions).map { $0.observation + [$0.reward] + $0.costs }
            }
            return out
        }
        let single = try run(threads: 1)
        #expect(single == (try run(threads: 2)))
        #expect(single == (try run(threads: 3)))
        let one = PointEnvironment()
        #expect(try one.reset(seed: 103).observation == single[3])
    }

    @Test("a threaded vector environment stops its worker threads and frees its environments when released")
    func threadedTeardown() throws {
        weak var first: PointEnvironment?
        do {
            let vec = try VectorEnvironment(count: 4, threads: 2) { _ throws(GymError) in PointEnvironment() }
            first = vec.environments[0] as? PointEnvironment
            _ = try vec.reset(seed: 1)
            for _ in 0..<10 { _ = try vec.step(Array(repeating: [0.2], count: 4)) }
            #expect(first != nil)
        }
        #expect(first == nil)
    }

    @Test("step before reset and a wrong action count are errors")
    func errors() throws {
        let vec = try VectorEnvironment(count: 2) { _ throws(GymError) in PointEnvironment() }
        #expect(throws: GymError.self) { try vec.step([[0], [0]]) }
        _ = try vec.reset(seed: 0)
        #expect(throws: GymError.self) { try vec.step([[0]]) }
        #expect(throws: GymError.self) { try vec.step([[0], [9]]) }
    }
}

@Suite("EnvironmentChecker")
struct EnvironmentCheckerTests {
    @Test("a correct environment passes")
    func passes() {
        let report = EnvironmentChecker.check { () throws(GymError) in try TimeLimit(PointEnvironment(), maxEpisodeSteps: 50) }
        #expect(report.ok, "\(report)")
    }

    @Test("each broken environment is caught", arguments: [BrokenEnvironment.Fault.observationOutsideSpace,
                                                           .nondeterministicReset, .negativeCost])
    func fails(_ fault: BrokenEnvironment.Fault) {
        let report = EnvironmentChecker.check { () throws(GymError) in BrokenEnvironment(fault) }
        #expect(!report.ok)
    }
}
