/// Per-epoch episode statistics under fixed names: `return_mean`, `return_std`, `cost_mean`/`cost_std` (the episode
/// sum of every cost component, as `pulse env rollout` reports it), `cost_<constraint>_mean`/`_std`,
/// `cost_<component>` (mean episode sum of each component) and `episode_length`. NaN when no episode finished.
enum EpisodeSummary {
    static func metrics(_ episodes: [EpisodeResult], constraints: [String], components: [String]) -> [(name: String, value: Double)] {
        let n = Double(episodes.count)
        func stats(_ x: [Double]) -> (Double, Double) { episodes.isEmpty ? (.nan, .nan) : meanAndDeviation(x) }
        var out: [(name: String, value: Double)] = []
        let r = stats(episodes.map(\.reward))
        out += [("return_mean", r.0), ("return_std", r.1)]
        let total = stats(episodes.map { $0.components.reduce(0, +) })
        out += [("cost_mean", total.0), ("cost_std", total.1)]
        for (j, name) in constraints.enumerated() {
            let c = stats(episodes.map { $0.constraintCosts[j] })
            out += [("cost_\(name)_mean", c.0), ("cost_\(name)_std", c.1)]
        }
        for (j, name) in components.enumerated() {
            out.append(("cost_\(name)", episodes.isEmpty ? .nan : episodes.map { $0.components[j] }.reduce(0, +) / n))
        }
        out.append(("episode_length", episodes.isEmpty ? .nan : Double(episodes.map(\.length).reduce(0, +)) / n))
        return out
    }
}
