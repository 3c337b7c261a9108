/// The model family a ``Pack`` builds its cells with.
public enum PackFidelity: String, Sendable, CaseIterable {
    /// ``EquivalentCircuitModel`` (Thevenin, fitted to the SPMe): the cheap one for fleets and MPC.
    case ecm
    /// ``SingleParticleModel`` without electrolyte.
    case spm
    /// ``SingleParticleModel`` with electrolyte (PyBaMM composite SPMe).
    case spme
    /// ``DoyleFullerNewmanModel``: accurate but slow, for checks on small packs.
    case dfn
}

/// One cell type: its equivalent-circuit and physics parameter sets, at a chosen new-cell capacity, so that a
/// pack can be built at any ``PackFidelity`` from the same description.
///
/// Capacity scaling (``scaled(toCapacity:)``) keeps every intensive property and multiplies the extensive ones by
/// k = Q/Q_set: the physics set gets k times the electrode area ("Electrode height [m]"), cell volume and cooling
/// area, so that current densities, voltages and temperatures at the same C-rate are those of the source cell;
/// the ECM gets k times the capacity, heat capacity and heat transfer and 1/k times every resistance (R0, R_k),
/// with the time constants kept. This treats a bigger cell as k source cells in parallel, the usual first
/// approximation for cells of one chemistry (Plett 2015, vol. 1, §3.3).
public struct CellDesign: Sendable {
    /// The Thevenin set (capacity-scaled).
    public var equivalentCircuit: EquivalentCircuitParameters
    /// The physics set for the SPM, SPMe and DFN (capacity-scaled).
    public var physics: ParameterSet
    /// New-cell capacity [A.h].
    public var nominalCapacity: Double

    /// A design from the two sets, at the physics set's "Nominal cell capacity [A.h]".
    public init(equivalentCircuit: EquivalentCircuitParameters, physics: ParameterSet) throws(PackError) {
        guard let capacity = try? physics.scalar("Nominal cell capacity [A.h]"), capacity > 0, capacity.isFinite else {
            throw .invalidSetting(name: "Nominal cell capacity [A.h] of \(physics.name)", value: .nan,
                                  expected: "a positive number in the physics set")
        }
        let ratio = capacity / equivalentCircuit.nominalCapacity
        self.equivalentCircuit = Self.scale(equivalentCircuit, by: ratio)
        self.physics = physics
        nominalCapacity = capacity
    }

    /// Chen2020 (LG M50, NMC811 | graphite-SiOx, 5 A.h): its SPMe-fitted Thevenin set and the physics set.
    public static let nmc = try! CellDesign(equivalentCircuit: .chen2020, physics: .chen2020)
    /// Prada2013 (A123 26650, LFP | graphite, 2.3 A.h): its SPMe-fitted Thevenin set and the physics set.
    public static let lfp = try! CellDesign(equivalentCircuit: .prada2013, physics: .prada2013)

    /// This design scaled to a new-cell capacity of `ampereHours` (see the type's documentation).
    public func scaled(toCapacity ampereHours: Double) throws(PackError) -> CellDesign {
        guard ampereHours.isFinite, ampereHours > 0 else {
            throw .invalidSetting(name: "cell capacity [A.h]", value: ampereHours, expected: "a positive number")
        }
        let k = ampereHours / nominalCapacity
        var copy = self
        copy.equivalentCircuit = Self.scale(equivalentCircuit, by: k)
        var changes = ["Nominal cell capacity [A.h]": ampereHours]
        for name in ["Electrode height [m]", "Cell volume [m3]", "Cell cooling surface area [m2]", "Current function [A]"]
        where physics.contains(name) {
            if let value = physics.scalars[name] { changes[name] = value * k }
        }
        copy.physics = physics.updating(changes)
        copy.nominalCapacity = ampereHours
        return copy
    }

    /// Lowest and highest cell voltage [V] of the chemistry (the physics set's cut-offs).
    public var voltageLimits: CellLimits {
        let low = (try? physics.scalar("Lower voltage cut-off [V]")) ?? equivalentCircuit.minimumVoltage
        let high = (try? physics.scalar("Upper voltage cut-off [V]")) ?? equivalentCircuit.maximumVoltage
        return CellLimits(minimumVoltage: low, maximumVoltage: high)
    }

    /// A cell at `fidelity` with the given health, capacity factor (manufacturing spread) and initial SoC;
    /// returns the model and, for the physics models, the electrode window of its aged set (SoC read-out).
    func makeCell(fidelity: PackFidelity, health: CellHealth, capacityFactor: Double, initialSoC: Double,
                  thermal: ThermalOption, ambientTemperature: Double) throws(ModelError)
        -> (model: any CellModel, window: StoichiometryWindow?) {
        let design: CellDesign
        do { design = try scaled(toCapacity: nominalCapacity * capacityFactor) } catch {
            throw .parameter(.outOfRange(name: "cell capacity factor", value: capacityFactor, expected: "a positive number"))
        }
        switch fidelity {
        case .ecm:
            let cell = try EquivalentCircuitModel(parameters: design.equivalentCircuit, initialSoC: initialSoC,
                                                  thermal: thermal, ambientTemperature: ambientTemperature)
            try cell.applyHealth(health)
            return (cell, nil)
        case .spm, .spme, .dfn:
            break
        }
        let aged = try design.physics.aged(by: health)
            .updating(["Ambient temperature [K]": ambientTemperature, "Initial temperature [K]": ambientTemperature])
        let window: StoichiometryWindow
        let sto: (negative: Double, positive: Double)
        do {
            window = try InitialState.window(parameters: aged)
            sto = try window.stoichiometries(atStateOfCharge: initialSoC)
        } catch {
            throw .parameter(.outOfRange(name: "initial state of charge", value: initialSoC,
                                         expected: "a state the aged cell's electrode balance can reach (\(error))"))
        }
        if fidelity == .dfn {
            return (try DoyleFullerNewmanModel(parameters: aged, stoN: sto.negative, stoP: sto.positive, thermal: thermal), window)
        }
        return (try SingleParticleModel(parameters: aged, variant: fidelity == .spm ? .spm : .spme,
                                        stoN: sto.negative, stoP: sto.positive, thermal: thermal), window)
    }

    /// The physics set of this design at `capacityFactor`, aged by `health` (for ``Pack/updateHealth(_:)``).
    func agedPhysics(health: CellHealth, capacityFactor: Double, ambientTemperature: Double) throws(ModelError) -> ParameterSet {
        let design: CellDesign
        do { design = try scaled(toCapacity: nominalCapacity * capacityFactor) } catch {
            throw .parameter(.outOfRange(name: "cell capacity factor", value: capacityFactor, expected: "a positive number"))
        }
        return try design.physics.aged(by: health)
            .updating(["Ambient temperature [K]": ambientTemperature, "Initial temperature [K]": ambientTemperature])
    }

    /// `set` with capacity, heat capacity and heat transfer times `k` and resistances divided by `k`.
    static func scale(_ set: EquivalentCircuitParameters, by k: Double) -> EquivalentCircuitParameters {
        guard k != 1 else { return set }
        var s = set
        s.nominalCapacity *= k
        s.capacity *= k
        s.heatCapacity *= k
        s.heatTransfer *= k
        s.seriesResistance.values = s.seriesResistance.values.map { $0 / k }
        s.resistances = s.resistances.map { table in
            var t = table
            t.values = t.values.map { $0 / k }
            return t
        }
        return s
    }
}
