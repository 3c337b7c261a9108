/// Why an experiment step ended.
public enum StepEnding: Sendable, Equatable {
    /// The step ran for its whole nominal duration (``ExperimentStep/durationLimit``).
    case duration
    /// This termination fired first; the step's last row is at the located crossing.
    case event(StepTermination)
    /// This termination already held when the step began, so the step produced no rows
    /// (PyBaMM's `skip_ok`: a warning, then the next step).
    case skipped(StepTermination)
    /// The voltage left the run's window (``Simulation/voltageLimits``) at this bound; the experiment stopped
    /// after the step's row at the crossing (no row if it was outside at the step's start).
    case voltageLimit(StepTermination)
    /// The model failed during the step (the run stopped there).
    case failed(ModelError)
}

/// What one step of an experiment did.
public struct StepSummary: Sendable, Equatable {
    /// The step's index in the experiment, from 0.
    public var index: Int
    /// The step's text (its source string, or a generated one, see ``ExperimentStep/displayText``).
    public var text: String
    /// Model time at the start of the step [s].
    public var startTime: Double
    /// Model time at the end of the step [s] (equal to ``startTime`` for a skipped step).
    public var endTime: Double
    /// The step's rows in ``SimulationResult/rows`` (empty for a skipped step).
    public var rows: Range<Int>
    /// Why the step ended.
    public var ending: StepEnding

    /// Whether the step was skipped because a termination held at its start.
    public var wasSkipped: Bool {
        if case .skipped = ending { return true }
        return false
    }
}

/// The output of an experiment run: PyBaMM's rows and one summary per step.
public struct SimulationResult: Sendable, Equatable {
    /// Output rows in time order. The last row of a step and the first row of the next share their time.
    public var rows: [CellOutputs] = []
    /// One summary per step that started, in order.
    public var steps: [StepSummary] = []
    /// The degradation outputs of each row (``CellModel/agingOutputs``), parallel to ``rows``; empty when the
    /// model tracks none.
    public var agingRows: [AgingOutputs] = []

    public init() {}

    /// Appends a row and, if the model reports them, its degradation outputs.
    mutating func append(_ row: CellOutputs, aging: AgingOutputs?) {
        rows.append(row)
        if let aging { agingRows.append(aging) }
    }

    /// The steps that were skipped.
    public var skippedSteps: [StepSummary] { steps.filter(\.wasSkipped) }

    /// Simulated time from the first row to the last [s].
    public var simulatedTime: Double {
        guard let first = rows.first, let last = rows.last else { return 0 }
        return last.time - first.time
    }
}

/// How far an experiment run has got, reported after every row.
public struct SimulationProgress: Sendable, Equatable {
    /// The running step's index, from 0.
    public var stepIndex: Int
    /// The number of steps in the experiment.
    public var stepCount: Int
    /// Model time [s].
    public var time: Double
    /// Fraction of the whole experiment done, in [0, 1]: finished steps plus the running step's elapsed
    /// share of its nominal duration. A step ended by an event jumps to its end.
    public var fraction: Double
}

/// An experiment run that could not finish.
public enum SimulationError: Error, Sendable, Equatable {
    /// The model failed inside a step. `partial` holds every row and summary up to the failure.
    case model(ModelError, stepIndex: Int, step: String, time: Double, partial: SimulationResult)
    /// Every step was skipped because its termination held at its start (PyBaMM raises then too).
    case everyStepInfeasible(partial: SimulationResult)
    /// The voltage was outside the run's window at the start of the first step (PyBaMM raises then).
    case voltageLimit(StepTermination, step: String, partial: SimulationResult)
    /// The experiment has no steps.
    case emptyExperiment
    /// A non-positive or non-finite default output period [s].
    case invalidPeriod(Double)

    /// The rows and summaries computed before the error.
    public var partialResult: SimulationResult {
        switch self {
        case let .model(_, _, _, _, partial), let .everyStepInfeasible(partial), let .voltageLimit(_, _, partial):
            return partial
        case .emptyExperiment, .invalidPeriod: return SimulationResult()
        }
    }
}

extension SimulationError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .model(error, index, step, time, _):
            return "step \(index + 1) \"\(step)\" failed at t = \(time) s: \(error)"
        case let .everyStepInfeasible(partial):
            let reasons = partial.steps.map { summary -> String in
                guard case let .skipped(termination) = summary.ending else { return "\"\(summary.text)\"" }
                return "\"\(summary.text)\" (\(termination.displayText) already holds)"
            }
            return "every step is infeasible at its start: " + reasons.joined(separator: ", ")
        case let .voltageLimit(limit, step, _):
            return "step \"\(step)\" cannot start: the voltage is past the model's limit (\(limit.displayText))"
        case .emptyExperiment:
            return "the experiment has no steps"
        case let .invalidPeriod(period):
            return "the output period \(period) s must be positive and finite"
        }
    }
}
