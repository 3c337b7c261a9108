/// Truncates episodes after `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`): the last step reports
/// `truncated = true` unless the episode terminated on it.
public final class TimeLimit: Wrapper {
    public let maxEpisodeSteps: Int
    public private(set) var elapsedSteps = 0
    private var finished = false

    public init(_ base: any Environment, maxEpisodeSteps: Int) throws(GymError) {
        guard maxEpisodeSteps > 0 else {
            throw .invalidOption(name: "max_episode_steps", reason: "\(maxEpisodeSteps) is not a positive step count")
        }
        self.maxEpisodeSteps = maxEpisodeSteps
        super.init(wrapping: base)
    }

    override public func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        elapsedSteps = 0
        finished = false
        return try base.reset(seed: seed, options: options)
    }

    override public func step(_ action: [Double]) throws(GymError) -> Transition {
        guard !finished else { throw .needsReset("the episode ended after \(elapsedSteps) steps") }
        var t = try base.step(action)
        elapsedSteps += 1
        if elapsedSteps >= maxEpisodeSteps { t.truncated = true }
        finished = t.done
        return t
    }
}
