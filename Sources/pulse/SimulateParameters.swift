import Electrochemistry
import Foundation

/// A setup problem of `pulse simulate` found before the run starts (a bad parameter file, an infeasible
/// initial state, a model this build lacks); `message` is printed after "error: ".
struct SimulateSetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// How the cell's initial state is chosen.
enum InitialCondition: Equatable {
    /// The parameter set's initial concentrations: sto = c_init / c_max in each electrode.
    case parameterSet
    /// A state of charge in [0, 1], turned into stoichiometries by electrode balancing (``InitialState``).
    case stateOfCharge(Double)
    /// Explicit negative and positive particle stoichiometries.
    case stoichiometries(negative: Double, positive: Double)
}

/// Loading an electrochemical parameter set for `pulse simulate`.
enum SimulateParameters {
    /// The built-in set called `argument` (``ParameterSet/named(_:)``), or else the JSON file at that path:
    /// a BPX file (it has a "Parameterisation" object) or a set in the reference format.
    ///
    /// `ambient` [K], when given, sets both "Ambient temperature [K]" and "Initial temperature [K]", so that an
    /// isothermal cell runs at it and a lumped cell starts from it.
    static func load(_ argument: String, ambient: Double?) throws(SimulateSetupError) -> ParameterSet {
        var parameters: ParameterSet
        if ParameterSet.builtIn.keys.contains(where: { $0.lowercased() == argument.lowercased() }) {
            do { parameters = try ParameterSet.named(argument) } catch { throw SimulateSetupError(message: error.description) }
        } else if FileManager.default.fileExists(atPath: argument) {
            do {
                let root = try ParameterFile.readJSON(path: argument)
                parameters = root["Parameterisation"] != nil
                    ? try ParameterSet(bpxValue: root, source: argument)
                    : try ParameterSet(jsonValue: root, source: argument)
            } catch {
                throw SimulateSetupError(message: error.description)
            }
        } else {
            let known = ParameterSet.builtIn.keys.sorted().joined(separator: ", ")
            throw SimulateSetupError(message: "--parameters \"\(argument)\" is neither a built-in set (\(known)) nor a file")
        }
        if let ambient {
            parameters.setScalar("Ambient temperature [K]", ambient)
            parameters.setScalar("Initial temperature [K]", ambient)
        }
        return parameters
    }

    /// The initial particle stoichiometries (negative, positive) for `condition`.
    static func stoichiometries(_ condition: InitialCondition,
                                parameters: ParameterSet) throws(SimulateSetupError) -> (Double, Double) {
        switch condition {
        case let .stoichiometries(negative, positive):
            return (negative, positive)
        case let .stateOfCharge(soc):
            do {
                let sto = try InitialState.stoichiometries(initialSoC: soc, parameters: parameters)
                return (sto.negative, sto.positive)
            } catch {
                throw SimulateSetupError(message: "--initial-soc \(soc): \(error.description)")
            }
        case .parameterSet:
            do {
                let n = try parameters.scalar("Initial concentration in negative electrode [mol.m-3]")
                    / parameters.scalar("Maximum concentration in negative electrode [mol.m-3]")
                let p = try parameters.scalar("Initial concentration in positive electrode [mol.m-3]")
                    / parameters.scalar("Maximum concentration in positive electrode [mol.m-3]")
                return (n, p)
            } catch {
                throw SimulateSetupError(message: "initial state from the parameter set: \(error.description)")
            }
        }
    }

    /// PyBaMM's voltage window for an experiment on `parameters` (``Simulation/voltageLimits(of:)``).
    static func voltageLimits(_ parameters: ParameterSet) throws(SimulateSetupError) -> ClosedRange<Double> {
        do { return try Simulation.voltageLimits(of: parameters) } catch {
            throw SimulateSetupError(message: "voltage limits of the parameter set: \(error.description)")
        }
    }
}
