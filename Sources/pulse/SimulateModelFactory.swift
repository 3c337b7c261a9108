import Foundation
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
extension SEIGrowth: ExpressibleByArgument {}

/// What the command line asks of the model, before anything is loaded.
struct ModelRequest {
    var kind: SimulateModelKind
    /// `--parameters`: a built-in set's name or a JSON file.
    var parameters: String
    var thermal: ThermalOption
    /// `--ambient` [K], if given.
    var ambient: Double?
    var initial: InitialCondition
    /// `--sei`: the SEI growth law (SPM and SPMe only), if given.
    var sei: SEIGrowth? = nil
    /// `--soh`, `--resistance-growth`, `--lli-share`: the cell's state of health (pristine by default).
    var health: CellHealth = .pristine
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
        case .spm, .spme, .dfn:
            var parameters = try SimulateParameters.load(request.parameters, ambient: request.ambient)
            if request.health != .pristine {
                do { parameters = try parameters.aged(by: request.health) } catch {
                    throw SimulateSetupError(message: "cannot age the cell to the given health: \(error)")
                }
            }
            let limits = try SimulateParameters.voltageLimits(parameters)
            let (stoN, stoP) = try SimulateParameters.stoichiometries(request.initial, parameters: parameters)
            do {
                let model: any CellModel = request.kind == .dfn
                    ? try DoyleFullerNewmanModel(parameters: parameters, stoN: stoN, stoP: stoP, thermal: request.thermal)
                    : try SingleParticleModel(parameters: parameters, variant: request.kind == .spm ? .spm : .spme,
                                              stoN: stoN, stoP: stoP, thermal: request.thermal, sei: request.sei)
                return SimulationSetup(model: model, voltageLimits: limits)
            } catch {
                throw SimulateSetupError(message: "cannot build the \(request.kind.rawValue) model: \(error)")
            }
        case .ecm:
            return try makeEquivalentCircuit(request)
        }
    }

    /// The ECM takes an equivalent-circuit set ("Chen2020"/"nmc", "Prada2013"/"lfp" or a JSON file written by
    /// `EquivalentCircuitParameters.write(toFile:)`) and starts from a SoC: `--initial-soc`, else the set's default.
    static func makeEquivalentCircuit(_ request: ModelRequest) throws(SimulateSetupError) -> SimulationSetup {
        let parameters: EquivalentCircuitParameters
        do {
            parameters = FileManager.default.fileExists(atPath: request.parameters)
                ? try EquivalentCircuitParameters(contentsOfFile: request.parameters)
                : try EquivalentCircuitParameters.named(request.parameters)
        } catch {
            throw SimulateSetupError(message: "--parameters \(request.parameters): \(error)")
        }
        let soc: Double?
        switch request.initial {
        case .parameterSet: soc = nil
        case .stateOfCharge(let value): soc = value
        case .stoichiometries:
            throw SimulateSetupError(message: "--model ecm has no particle stoichiometries; use --initial-soc")
        }
        do {
            let model = try EquivalentCircuitModel(parameters: parameters, initialSoC: soc, thermal: request.thermal,
                                                   ambientTemperature: request.ambient ?? 298.15)
            try model.applyHealth(request.health)
            // As for the physics-based sets, an experiment stops 1 V outside the set's own window.
            return SimulationSetup(model: model,
                                   voltageLimits: (parameters.minimumVoltage - 1)...(parameters.maximumVoltage + 1))
        } catch {
            throw SimulateSetupError(message: "cannot build the ecm model: \(error)")
        }
    }
}
