/// Runs an ``Experiment`` on a ``CellModel`` and collects PyBaMM's output rows
/// (docs/electrochemistry-spec.md §0.1 "Row layout" and §5 "Semantics").
///
/// For each step, in order, from the state the previous step left:
/// 1. ``CellModel/begin(_:)`` with the step's drive (a C-rate times the nominal capacity, rest as zero current),
///    which makes the current and voltage consistent with it (a CV hold's first row already carries the solved
///    current). The step's first row is written there, at the same time as the previous step's last row.
/// 2. If one of the step's terminations already holds, the step is skipped: no rows, and the run goes on with
///    the next step (PyBaMM's `skip_ok`). The run fails only if every step is skipped.
/// 3. Otherwise the model advances from stop to stop of the ``StepPlan`` (rows on a linspace over the nominal
///    duration), with the terminations as events. When one fires, the row at the crossing ends the step.
/// 4. If the voltage leaves ``voltageLimits`` instead, the experiment stops after that step's crossing row.
///
/// The whole experiment is treated as one PyBaMM cycle: PyBaMM raises when every step of a cycle is skipped,
/// so a flat list of step strings, where each string is a cycle of its own, raises at any skipped step there.
///
/// ```swift
/// let experiment = try Experiment(["Discharge at 1C until 2.5 V", "Rest for 20 minutes"])
/// let result = try Simulation(experiment: experiment).run(model)
/// ```
public struct Simulation: Sendable {
    /// The steps to run.
    public var experiment: Experiment
    /// The output period [s] of steps that do not give their own; PyBaMM's reference runs use 10 s.
    public var defaultPeriod: Double
    /// The model's voltage window [V], or `nil` for none. When the voltage leaves it the experiment stops there
    /// (the step's rows up to the crossing are kept), as PyBaMM stops at a model event that is not one of the
    /// step's own. A voltage already outside at the start of the first step is an error, as in PyBaMM; at the
    /// start of a later step the experiment just stops. PyBaMM's window is the parameter set's cut-offs widened
    /// by 1 V, see ``voltageLimits(of:)``.
    public var voltageLimits: ClosedRange<Double>?

    public init(experiment: Experiment, defaultPeriod: Double = 10, voltageLimits: ClosedRange<Double>? = nil) {
        self.experiment = experiment
        self.defaultPeriod = defaultPeriod
        self.voltageLimits = voltageLimits
    }

    /// PyBaMM's voltage window in an experiment: "Lower voltage cut-off [V]" − 1 V to "Upper voltage cut-off [V]"
    /// + 1 V (the model's voltage events are moved 1 V outwards so that the steps' own cut-offs fire first).
    public static func voltageLimits(of parameters: ParameterSet) throws(ParameterError) -> ClosedRange<Double> {
        let lower = try parameters.scalar("Lower voltage cut-off [V]"), upper = try parameters.scalar("Upper voltage cut-off [V]")
        guard lower < upper else {
            throw .outOfRange(name: "Lower voltage cut-off [V]", value: lower, expected: "below the upper cut-off \(upper) V")
        }
        return (lower - 1)...(upper + 1)
    }

    /// Runs the experiment on `model` from its present state.
    ///
    /// - Parameter progress: called after every row with how far the run has got.
    /// - Throws: ``SimulationError/model(_:stepIndex:step:time:partial:)`` with the rows so far when the model
    ///   fails, ``SimulationError/everyStepInfeasible(partial:)`` when every step was skipped,
    ///   ``SimulationError/voltageLimit(_:step:partial:)`` when the first step starts outside ``voltageLimits``.
    public func run(_ model: some CellModel,
                    progress: ((SimulationProgress) -> Void)? = nil) throws(SimulationError) -> SimulationResult {
        guard !experiment.steps.isEmpty else { throw .emptyExperiment }
        guard defaultPeriod.isFinite && defaultPeriod > 0 else { throw .invalidPeriod(defaultPeriod) }
        var result = SimulationResult()
        for (index, step) in experiment.steps.enumerated() {
            let start = model.outputs.time, firstRow = result.rows.count
            do {
                try runStep(step, index: index, on: model, into: &result, progress: progress)
            } catch {
                let failure = model.outputs.time
                result.steps.append(StepSummary(index: index, text: step.displayText, startTime: start,
                                                endTime: failure, rows: firstRow..<result.rows.count,
                                                ending: .failed(error)))
                throw .model(error, stepIndex: index, step: step.displayText, time: failure, partial: result)
            }
            if let last = result.steps.last, case .voltageLimit(let limit) = last.ending {
                if index == 0 && last.rows.isEmpty {
                    throw .voltageLimit(limit, step: step.displayText, partial: result)
                }
                return result
            }
        }
        if result.steps.allSatisfy(\.wasSkipped) { throw .everyStepInfeasible(partial: result) }
        return result
    }

    /// Runs one step, appending its rows and summary to `result`.
    private func runStep(_ step: ExperimentStep, index: Int, on model: some CellModel,
                         into result: inout SimulationResult,
                         progress: ((SimulationProgress) -> Void)?) throws(ModelError) {
        let capacity = model.nominalCapacity
        let plan = StepPlan(step: step, defaultPeriod: defaultPeriod, nominalCapacity: capacity,
                            voltageLimits: voltageLimits)
        let start = model.outputs.time
        let firstRow = result.rows.count
        var summary = StepSummary(index: index, text: step.displayText, startTime: start, endTime: start,
                                  rows: firstRow..<firstRow, ending: .duration)
        try model.begin(plan.drive(at: 0))
        let initial = model.outputs
        if let holding = plan.reachedEvent(initial) {
            summary.ending = holding < plan.stepEventCount
                ? .skipped(plan.events[holding]) : .voltageLimit(plan.events[holding])
            result.steps.append(summary)
            return
        }
        result.append(initial, aging: model.agingOutputs)
        let count = experiment.steps.count
        func report(_ t: Double) {
            guard let progress else { return }
            let share = plan.duration > 0 ? min(max((t - start) / plan.duration, 0), 1) : 1
            progress(SimulationProgress(stepIndex: index, stepCount: count, time: t,
                                        fraction: (Double(index) + share) / Double(count)))
        }
        report(start)
        // `now` is the model time the stops are measured from; the rows carry the model's own times.
        var now = start
        for k in 1..<plan.stops.count {
            if plan.varies { try model.begin(plan.drive(intoStop: k)) }
            let dt = start + plan.stops[k] - now
            let stop = dt > 0 ? try model.advance(by: dt, events: plan.events) : .completed
            now = start + plan.stops[k]
            if case .event(let fired) = stop {
                result.append(model.outputs, aging: model.agingOutputs)
                summary.ending = fired < plan.stepEventCount
                    ? .event(plan.events[fired]) : .voltageLimit(plan.events[fired])
                report(start + plan.duration)
                break
            }
            if plan.isOutput[k] {
                if plan.varies { try model.begin(plan.drive(at: plan.stops[k])) }
                result.append(model.outputs, aging: model.agingOutputs)
                report(now)
            }
        }
        summary.endTime = result.rows.last?.time ?? start
        summary.rows = firstRow..<result.rows.count
        result.steps.append(summary)
    }
}
