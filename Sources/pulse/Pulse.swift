import ArgumentParser

/// `pulse`: the PulseBMS operator's tool.
@main
struct Pulse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pulse",
        abstract: "PulseBMS: safe reinforcement learning for fleets of second-life EV batteries.",
        subcommands: [Doctor.self, Simulate.self, FitECM.self, Age.self, Fleet.self, Env.self, Evaluate.self, Export.self, Inspect.self, Report.self,
                      Edge.self, CoordinatorCommand.self, LoadGen.self])
}
