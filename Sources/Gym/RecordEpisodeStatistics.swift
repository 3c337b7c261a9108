/// Records each episode's return, summed cost (in total and per component), length and wall time
/// (Gymnasium's `RecordEpisodeStatistics`). On the last step of an episode `info["episode"]` holds
/// `r`, `c`, `l`, `t` and `c/<name>` for every cost component; the last `bufferLength` episodes are kept.
public final class RecordEpisodeStatistics: Wrapper {
    public let bufferLength: Int
    /// The most recent episodes, oldest first.
    public private(set) var returns: [Double] = []
    public private(set) var costs: [Double] = []
    public private(set) var lengths: [Int] = []
    public private(set) var episodeCount = 0

    private var episodeReturn = 0.0
    private var episodeCosts: [Double]
    private var episodeLength = 0
    private var start = ContinuousClock.now
    private let names: [String]

    public init(_ base: any Environment, bufferLength: Int = 100) {
        self.bufferLength = max(1, bufferLength)
        names = base.costNames
        episodeCosts = Array(repeating: 0, count: names.count)
        super.init(wrapping: base)
    }

    override public var costNames: [String] { names }

    override public func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        episodeReturn = 0; episodeLength = 0
        for i in episodeCosts.indices { episodeCosts[i] = 0 }
        start = ContinuousClock.now
        return try base.reset(seed: seed, options: options)
    }

    override public func step(_ action: [Double]) throws(GymError) -> Transition {
        var t = try base.step(action)
        episodeReturn += t.reward
        episodeLength += 1
        for i in episodeCosts.indices where i < t.costs.count { episodeCosts[i] += t.costs[i] }
        if t.done {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let total = episodeCosts.reduce(0, +)
            var record: [String: InfoValue] = ["r": .number(episodeReturn), "c": .number(total),
                                               "l": .number(Double(episodeLength)), "t": .number(seconds)]
            for (name, c) in zip(names, episodeCosts) { record["c/\(name)"] = .number(c) }
            t.info["episode"] = .record(record)
            append(&returns, episodeReturn); append(&costs, total); append(&lengths, episodeLength)
            episodeCount += 1
        }
        return t
    }

    private func append<T>(_ buffer: inout [T], _ value: T) {
        buffer.append(value)
        if buffer.count > bufferLength { buffer.removeFirst(buffer.count - bufferLength) }
    }
}
