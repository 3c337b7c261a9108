import ArgumentParser
import Electrochemistry

/// The models `pulse simulate --model` can run.
enum SimulateModelKind: String, CaseIterable, ExpressibleByArgument {
    /// Equivalent-circuit model (parameters: an equivalent-circuit set, initial state: a SoC).
    case ecm
    /// Single-particle model.
    case spm
    /// Single-particle model with electrolyte.
    case spme
    /// Doyle–Fuller–Newman (pseudo-two-dimensional) model.
    case dfn
}

extension ThermalOption: ExpressibleByArgument {}

/// What the command line asks of the model, before anything is loaded.
struct ModelRequest {
    var kind: SimulateModelKind
    /// `--parameters`: a built-in set's name or a JSON file.
    var parameters: String
    var thermal: ThermalOption
    /// `--ambient` [K], if given.
    var ambient: Double?
    var initial: InitialCondition
}

/// A model ready to run, with the voltage window PyBaMM would stop the experiment at.
struct SimulationSetup {
    var model: any CellModel
    var voltageLimits: ClosedRange<Double>?
}

/// Builds the ``CellModel`` a ``ModelRequest`` names. Each model plugs in at its case of the switch.
enum SimulateModelFactory {
    static func makeModel(_ request: ModelRequest) throws(SimulateSetupError) -> SimulationSetup {
        switch request.kind {
        case .spm, .spme:
            let parameters = try SimulateParameters.load(request.parameters, ambient: request.ambient)
            let limits = try SimulateParameters.voltageLimits(parameters)
            let (stoN, stoP) = try SimulateParameters.stoichiometries(request.initial, parameters: parameters)
            guard request.thermal == .isothermal else {
                throw SimulateSetupError(message: "--thermal \(request.thermal.rawValue) is not available for "
                                         + "--model \(request.kind.rawValue) in this build (isothermal only)")
            }
            do {
                let model = try SingleParticleCell(parameters: parameters, variant: request.kind == .spm ? .spm : .spme,
                                                   stoN: stoN, stoP: stoP)
                return SimulationSetup(model: model, voltageLimits: limits)
            } catch {
                throw SimulateSetupError(message: "cannot build the \(request.kind.rawValue) model: \(error)")
            }
        case .dfn, .ecm:
            throw SimulateSetupError(message: "--model \(request.kind.rawValue) is not available in this build "
                                     + "(available: spm, spme)")
        }
    }
}
