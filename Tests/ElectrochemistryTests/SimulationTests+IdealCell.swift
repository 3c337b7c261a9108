#if canImport(Glibc)
import Glibc
#endif
@testable import Electrochemistry

/// A test cell with closed-form behaviour, to check the experiment runner exactly: a linear open-circuit
/// voltage `OCV = v0 − k·q` in the discharged charge q [A.h], a series resistance R, `V = OCV − R·I`.
///
/// Under a constant current q grows linearly. Under a held voltage (I = (OCV − V_set)/R) or an external
/// resistance (I = OCV/(R + R_ext)) the driving difference u decays as `u(τ) = u₀·e^{−λτ}` with
/// `λ = k / (3600·R_total)`, and q grows by `(u₀ − u(τ))/k`. Power drives are rejected as infeasible,
/// which lets a test make the model fail. Events are located by bisection on the closed form to 1e-9 s.
final class IdealCell: CellModel {
    let v0: Double, slope: Double, resistance: Double
    let nominalCapacity: Double
    var ambientTemperature = 298.15
    private(set) var drive: CellDrive = .current(0)
    private var time = 0.0, charge = 0.0
    private var saved = (0.0, 0.0, CellDrive.current(0))

    init(v0: Double = 4.0, slope: Double = 1.0, resistance: Double = 0.1234, capacity: Double = 1, charge: Double = 0) {
        self.v0 = v0; self.slope = slope; self.resistance = resistance
        nominalCapacity = capacity; self.charge = charge
    }

    var openCircuitVoltage: Double { v0 - slope * charge }

    /// The current at charge `q` under the present drive.
    func current(at q: Double) -> Double {
        let ocv = v0 - slope * q
        switch drive {
        case .current(let i): return i
        case .voltage(let v): return (ocv - v) / resistance
        case .resistance(let r): return ocv / (resistance + r)
        case .power: return .nan
        }
    }

    /// The charge after τ seconds under the present drive.
    func charge(after tau: Double) -> Double {
        switch drive {
        case .current(let i): return charge + i * tau / 3600
        case .voltage(let v): return decayed(u0: openCircuitVoltage - v, total: resistance, tau: tau)
        case .resistance(let r): return decayed(u0: openCircuitVoltage, total: resistance + r, tau: tau)
        case .power: return .nan
        }
    }

    private func decayed(u0: Double, total: Double, tau: Double) -> Double {
        let u = u0 * exp(-slope * tau / (3600 * total))
        return charge + (u0 - u) / slope
    }

    var outputs: CellOutputs {
        var out = CellOutputs()
        let i = current(at: charge)
        out.time = time
        out.current = i
        out.voltage = openCircuitVoltage - resistance * i
        out.temperature = ambientTemperature
        out.stoNAvg = 0.9 - 0.8 * charge / nominalCapacity
        out.stoNSurf = out.stoNAvg
        out.stoPAvg = 0.2 + 0.7 * charge / nominalCapacity
        out.stoPSurf = out.stoPAvg
        out.dischargeCapacity = charge
        return out
    }

    func begin(_ drive: CellDrive) throws(ModelError) {
        if case .power = drive { throw .infeasibleDrive(t: time, reason: "the ideal test cell takes no power drive") }
        self.drive = drive
    }

    func advance(by dt: Double, events: [StepTermination]) throws(ModelError) -> AdvanceStop {
        guard dt > 0, dt.isFinite else { throw .invalidTimeStep(dt: dt) }
        func reached(_ tau: Double) -> Int? {
            let q = charge(after: tau), i = current(at: q)
            let v = v0 - slope * q - resistance * i
            return events.firstIndex { $0.isReached(voltage: v, current: i, nominalCapacity: nominalCapacity) }
        }
        guard reached(dt) != nil else {
            charge = charge(after: dt); time += dt
            return .completed
        }
        var low = 0.0, high = dt
        while high - low > 1e-9 {
            let mid = 0.5 * (low + high)
            if reached(mid) == nil { low = mid } else { high = mid }
        }
        let fired = reached(high) ?? 0
        charge = charge(after: high); time += high
        return .event(fired)
    }

    func saveState() { saved = (time, charge, drive) }
    func restoreState() { (time, charge, drive) = saved }
}
