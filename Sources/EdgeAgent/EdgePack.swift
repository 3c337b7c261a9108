import Electrochemistry
import FleetProtocol
import PolicyFormat

/// The device's simulated pack: one ``Pack`` from Electrochemistry, drawn from a fleet preset or spec, with the
/// figures the device reports (its birth's ``DeviceStatus/PackInfo``, the telemetry's measurements) and the
/// safety limits its chemistry gives the monitor when no policy brings its own.
///
/// A step the model cannot take (the string solve diverges, a cell model fails) is retried at 0 A; the pack
/// never throws out of ``step(current:dt:)``.
final class EdgePack {
    let sampled: SampledPack
    let pack: Pack
    /// Rated capacity of the new pack [A.h] (parallel × new-cell capacity).
    let ratedCapacity: Double
    /// Nominal pack voltage [V] (series × the chemistry's nominal cell voltage).
    let nominalVoltage: Double
    /// DC resistance of the pack [Ω]: series/parallel × (R0 + Σ R_k) of the cell at SoC 0.5 and 25 °C, times
    /// its resistance growth.
    let resistance: Double
    /// The monitor's limits from the chemistry (``SafetyLimits/forPack(cellVoltageMin:cellVoltageMax:capacityAh:)``
    /// at the present capacity).
    let defaultLimits: SafetyLimits

    /// Draws the pack of `source` with the sampler `seed` and builds it at `fidelity`.
    init(source: EdgeAgentConfiguration.PackSource, seed: UInt64, fidelity: PackFidelity, thermal: ThermalOption,
         ambientTemperature: Double) throws(EdgeAgentError) {
        let spec: FleetSpec, index: Int
        switch source {
        case let .preset(name, i):
            do { spec = try FleetSpec.preset(named: name) } catch { throw .pack(error.message) }
            index = i
        case let .spec(s, i):
            spec = s; index = i
        }
        guard (0..<spec.count).contains(index) else {
            throw .pack("pack index \(index) is outside fleet '\(spec.name)' of \(spec.count) packs (0...\(spec.count - 1))")
        }
        sampled = FleetSampler(spec: spec).sample(seed: seed)[index]
        do {
            pack = try sampled.makePack(fidelity: fidelity, thermal: thermal, ambientTemperature: ambientTemperature)
        } catch {
            throw .pack("cannot build pack \(sampled.id) of '\(spec.name)' at \(fidelity.rawValue) fidelity: \(error)")
        }
        let layout = sampled.layout
        ratedCapacity = Double(layout.parallel) * sampled.cellCapacity
        nominalVoltage = Double(layout.series) * sampled.chemistry.nominalVoltage
        let ecm = pack.design.equivalentCircuit
        let cell = ecm.seriesResistance.value(stateOfCharge: 0.5, temperature: 298.15)
            + ecm.resistances.reduce(0) { $0 + $1.value(stateOfCharge: 0.5, temperature: 298.15) }
        resistance = cell * sampled.resistanceGrowth * Double(layout.series) / Double(layout.parallel)
        defaultLimits = SafetyLimits.forPack(cellVoltageMin: Float(pack.limits.minimumVoltage),
                                             cellVoltageMax: Float(pack.limits.maximumVoltage), capacityAh: Float(pack.capacity))
    }

    /// The last step's outputs.
    var outputs: PackOutputs { pack.outputs }

    /// Capacity retention of the pack: present usable capacity over the new pack's.
    var stateOfHealth: Double { min(1.5, max(0, pack.capacity / ratedCapacity)) }

    /// Usable energy of the full pack at its present health [Wh].
    var energy: Double { max(0, pack.capacity * nominalVoltage) }

    /// The pack as the monitor reads it: cell voltage and temperature extremes (°C), current, SoC.
    var measurement: EdgeMeasurement {
        let o = pack.outputs
        return EdgeMeasurement(cellVoltageMin: o.minimumCellVoltage, cellVoltageMax: o.maximumCellVoltage, current: o.current,
                               temperatureMin: o.minimumTemperature - 273.15, temperatureMax: o.maximumTemperature - 273.15,
                               stateOfCharge: o.stateOfCharge)
    }

    /// The birth's description of the pack; the rated powers are the allowed currents at derating 1 × the
    /// nominal voltage.
    func info(ratedCurrents: (charge: Double, discharge: Double)) -> DeviceStatus.PackInfo {
        DeviceStatus.PackInfo(chemistry: sampled.chemistry.rawValue.uppercased(), series: sampled.layout.series,
                              parallel: sampled.layout.parallel, capacity: ratedCapacity, nominalVoltage: nominalVoltage,
                              resistance: resistance, maxDischargePower: ratedCurrents.discharge * nominalVoltage,
                              maxChargePower: ratedCurrents.charge * nominalVoltage,
                              cellVoltageMin: pack.limits.minimumVoltage, cellVoltageMax: pack.limits.maximumVoltage)
    }

    /// The outcome of one step: the current that flowed [A] and the model's error, if the asked current failed.
    struct StepOutcome {
        var current: Double
        var failure: PackError?
        /// Whether even the fallback step at 0 A failed (the pack's state did not advance).
        var stalled: Bool
    }

    /// Advances the pack by `dt` seconds at `current` [A]; on a model failure, at 0 A instead.
    func step(current: Double, dt: Double) -> StepOutcome {
        do {
            try pack.step(current: current, dt: dt)
            return StepOutcome(current: current, failure: nil, stalled: false)
        } catch {
            do {
                try pack.step(current: 0, dt: dt)
                return StepOutcome(current: 0, failure: error, stalled: false)
            } catch {
                return StepOutcome(current: 0, failure: error, stalled: true)
            }
        }
    }
}
