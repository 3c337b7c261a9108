import SeededRandom

/// Checks that an environment follows the API, in the spirit of Gymnasium's `utils.env_checker.check_env`:
/// spaces, reset and step signatures and values, seeding determinism, cost components and bad-input handling.
public enum EnvironmentChecker {
    /// The outcome: one line per check, passed or failed.
    public struct Report: Sendable, CustomStringConvertible {
        public var passed: [String] = []
        public var failures: [String] = []
        public var ok: Bool { failures.isEmpty }
        public var description: String {
            (passed.map { "✔ \($0)" } + failures.map { "✘ \($0)" }).joined(separator: "\n")
        }
    }

    /// Runs every check on `make()`'s environments (fresh instances where a check needs one), with `steps`
    /// random actions per rollout drawn from a generator seeded with `seed`.
    public static func check(seed: UInt64 = 0, steps: Int = 100, _ make: () throws(GymError) -> any Environment) -> Report {
        var report = Report()
        func expect(_ condition: Bool, _ what: String) {
            if condition { report.passed.append(what) } else { report.failures.append(what) }
        }
        let env: any Environment
        do { env = try make() } catch { report.failures.append("construction: \(error)"); return report }

        // Spaces and cost names.
        if case let .box(b) = env.actionSpace { expect(b.isBounded, "action space is a bounded box (\(b))") }
        expect(!env.costNames.isEmpty, "cost components are named (\(env.costNames.joined(separator: ", ")))")
        expect(Set(env.costNames).count == env.costNames.count, "cost names are unique")

        // Step before reset.
        do { _ = try env.step(Array(repeating: 0, count: env.actionSpace.flatCount)); expect(false, "step before reset throws") }
        catch {
            if case .needsReset = error { expect(true, "step before reset throws needsReset") }
            else { expect(false, "step before reset throws needsReset (threw \(error))") }
        }

        // Reset.
        let first: [Double]
        do { first = try env.reset(seed: seed).observation } catch { report.failures.append("reset: \(error)"); return report }
        expect(env.observationSpace.contains(first), "reset observation lies in the observation space")
        expect(first.allSatisfy(\.isFinite), "reset observation is finite")
        do {
            let again = try env.reset(seed: seed).observation
            expect(again == first, "reset with the same seed gives the same observation")
            _ = try env.reset(seed: nil)
            report.passed.append("reset without a seed continues")
        } catch { report.failures.append("second reset: \(error)") }

        // Bad action.
        do {
            _ = try env.reset(seed: seed)
            _ = try env.step(Array(repeating: 0, count: env.actionSpace.flatCount + 1))
            expect(false, "an action of the wrong length is refused")
        } catch { expect(true, "an action of the wrong length is refused") }

        // Rollouts: values and determinism.
        func rollout(_ e: any Environment) throws(GymError) -> [Transition] {
            var rng = Xoshiro256StarStar(seed: seed &+ 1)
            _ = try e.reset(seed: seed)
            var out: [Transition] = []
            for _ in 0..<steps {
                let t = try e.step(e.actionSpace.sample(using: &rng))
                out.append(t)
                if t.done { break }
            }
            return out
        }
        do {
            let a = try rollout(env)
            let names = env.costNames.count
            expect(a.allSatisfy { env.observationSpace.contains($0.observation) && $0.observation.allSatisfy(\.isFinite) },
                   "step observations lie in the observation space and are finite")
            expect(a.allSatisfy { $0.reward.isFinite }, "rewards are finite")
            expect(a.allSatisfy { $0.costs.count == names }, "each step reports one cost per component")
            expect(a.allSatisfy { $0.costs.allSatisfy { $0 >= 0 && $0.isFinite } }, "costs are finite and non-negative")
            let b = try rollout(try make())
            expect(a.count == b.count && zip(a, b).allSatisfy {
                $0.observation == $1.observation && $0.reward == $1.reward && $0.costs == $1.costs
                    && $0.terminated == $1.terminated && $0.truncated == $1.truncated
            }, "the same seed and actions give the same trajectory (fresh instance)")
            if let last = a.last, last.done {
                do { _ = try env.step(Array(repeating: 0, count: env.actionSpace.flatCount)); expect(false, "step after the episode ended throws") }
                catch {
                    if case .needsReset = error { expect(true, "step after the episode ended throws needsReset") }
                    else { expect(false, "step after the episode ended throws needsReset (threw \(error))") }
                }
            }
        } catch { report.failures.append("rollout: \(error)") }
        return report
    }
}
