import Foundation

/// The statistics `pulse env rollout` and `pulse evaluate` print: mean and population standard deviation of the
/// episode return, of the summed cost and of the length, and the mean of each cost component's episode sum — as a
/// table, or as one JSON object (`return_mean`, `return_std`, `cost_mean`, `cost_std`, `length_mean`, `costs`,
/// `cost_names`, plus the caller's extra keys).
struct EpisodeReport {
    let env: String, controller: String, seed: UInt64
    let costNames: [String]
    let returns: [Double], totals: [Double], lengths: [Double]
    /// `components[j]`: component j's sum in each episode.
    let components: [[Double]]
    /// A second set of component sums under a prefix (e.g. the safety layer's executed costs).
    var extraComponents: (name: String, values: [[Double]])?
    var extraNumbers: [String: Any] = [:]
    var extraRows: [(String, [Double])] = []
    var notes: [String] = []
    var title: String?

    func print(json: Bool) throws {
        if json {
            var object: [String: Any] = [
                "env": env, "controller": controller, "episodes": returns.count, "seed": seed,
                "return_mean": Statistics.mean(returns), "return_std": Statistics.deviation(returns),
                "cost_mean": Statistics.mean(totals), "cost_std": Statistics.deviation(totals),
                "length_mean": Statistics.mean(lengths), "costs": means(components), "cost_names": costNames,
            ]
            if let extra = extraComponents { object["\(extra.name)_costs"] = means(extra.values) }
            object.merge(extraNumbers) { _, new in new }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            Swift.print(String(decoding: data, as: UTF8.self))
        } else {
            Swift.print(title ?? "\(env), \(controller) controller, \(returns.count) episodes from seed \(seed)")
            func row(_ name: String, _ x: [Double]) {
                Swift.print("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(format: "%12.4f ± %.4f", Statistics.mean(x), Statistics.deviation(x)))")
            }
            row("return", returns); row("cost", totals); row("length", lengths)
            for (name, values) in extraRows { row(name, values) }
            for note in notes { Swift.print("  \(note)") }
            for (n, c) in zip(costNames, components) { row("cost/\(n)", c) }
            if let extra = extraComponents { for (n, c) in zip(costNames, extra.values) { row("\(extra.name)/\(n)", c) } }
        }
    }

    private func means(_ values: [[Double]]) -> [String: Double] {
        var out: [String: Double] = [:]
        for (n, c) in zip(costNames, values) { out[n] = Statistics.mean(c) }
        return out
    }
}
