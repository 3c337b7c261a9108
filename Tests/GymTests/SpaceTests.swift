import Testing
import Gym
import SeededRandom

@Suite("Spaces")
struct SpaceTests {
    @Test("Box: seeded samples lie inside, containment checks length and bounds, bad bounds refused")
    func box() throws {
        let b = try Box(low: [-1, 0, -.infinity, 2], high: [1, 5, .infinity, .infinity])
        var r1 = Xoshiro256StarStar(seed: 3), r2 = Xoshiro256StarStar(seed: 3)
        for _ in 0..<1000 {
            let x = b.sample(using: &r1)
            #expect(b.contains(x))
            #expect(x == b.sample(using: &r2))
        }
        #expect(!b.contains([0, 0, 0]))
        #expect(!b.contains([2, 0, 0, 3]))
        #expect(!b.contains([0, 0, .nan, 3]))
        #expect(b.clip([5, -5, 1, 0]) == [1, 0, 1, 2])
        #expect(throws: GymError.self) { try Box(low: [1], high: [0]) }
        #expect(throws: GymError.self) { try Box(low: [0, 0], high: [1, 1], shape: [3]) }
        #expect(try Box(low: 0, high: 1, count: 6).shape == [6])
        #expect(try Box(low: Array(repeating: 0, count: 6), high: Array(repeating: 1, count: 6), shape: [2, 3]).count == 6)
    }

    @Test("Discrete: samples cover start..<start+n uniformly; containment needs an integer")
    func discrete() throws {
        let d = try Discrete(4, start: 1)
        var rng = Xoshiro256StarStar(seed: 1)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<8000 { counts[d.sample(using: &rng)] += 1 }
        #expect(counts[0] == 0 && counts[5] == 0)
        #expect(counts[1...4].allSatisfy { abs($0 - 2000) < 200 }, "\(counts)")
        let s = Space.discrete(d)
        #expect(s.contains([2]) && !s.contains([2.5]) && !s.contains([0]) && !s.contains([1, 2]))
        #expect(throws: GymError.self) { try Discrete(0) }
    }
}

@Suite("Registry")
struct RegistryTests {
    static let registry = Registry([
        EnvironmentSpec(id: "Test/Point-v0", maxEpisodeSteps: 20, summary: "toy") { _ throws(GymError) in PointEnvironment() },
        EnvironmentSpec(id: "Test/Point-v1", summary: "toy, no limit") { _ throws(GymError) in PointEnvironment() },
    ])

    @Test("ids parse; make wraps in TimeLimit; unknown and malformed ids are errors that help")
    func make() throws {
        let id = try EnvironmentID(parsing: "PulseBMS/FleetDispatch-v0")
        #expect(id.namespace == "PulseBMS" && id.name == "FleetDispatch" && id.version == 0)
        #expect(try EnvironmentID(parsing: "Point-v12").version == 12)
        for bad in ["Point", "Point-v", "/Point-v0", "A/B/C-v0", "Point-vx"] {
            #expect(throws: GymError.self) { try EnvironmentID(parsing: bad) }
        }
        let env = try Self.registry.make("Test/Point-v0")
        #expect(env is TimeLimit && env.spec?.id == "Test/Point-v0")
        #expect(!(try Self.registry.make("Test/Point-v0", options: ["max_episode_steps": 0]) is TimeLimit))
        do { _ = try Self.registry.make("Test/Point-v7"); Issue.record("expected an error") } catch {
            #expect(error == .unknownEnvironment(id: "Test/Point-v7", known: ["Test/Point-v0", "Test/Point-v1"]))
        }
        _ = try env.reset(seed: 1)
        var steps = 0, last = Transition(observation: [], reward: 0, costs: [], terminated: false, truncated: false)
        repeat { last = try env.step([0]); steps += 1 } while !last.done
        #expect(steps == 20 && last.truncated)
        #expect(throws: GymError.self) { try env.step([0]) }
    }

    @Test("options are typed and checked")
    func options() throws {
        let o: Options = ["n": 3, "x": 0.5, "name": "peak", "flag": true]
        #expect(try o.int("n", default: 0) == 3)
        #expect(try o.double("n", default: 0) == 3)
        #expect(try o.string("name", default: "", oneOf: ["peak", "flat"]) == "peak")
        #expect(try o.bool("flag", default: false))
        #expect(try o.int("missing", default: 7) == 7)
        #expect(throws: GymError.self) { try o.int("x", default: 0) }
        #expect(throws: GymError.self) { try o.int("n", default: 0, in: 4...9) }
        #expect(throws: GymError.self) { try o.string("name", default: "", oneOf: ["flat"]) }
        #expect(throws: GymError.self) { try o.checkKnown(["n", "x"]) }
        #expect(OptionValue(parsing: "16") == .int(16) && OptionValue(parsing: "0.5") == .double(0.5)
                && OptionValue(parsing: "spme") == .string("spme") && OptionValue(parsing: "true") == .bool(true))
    }
}
