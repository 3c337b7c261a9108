#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Doyle–Fuller–Newman (pseudo-two-dimensional) lithium-ion cell model, discretised as PyBaMM 26.10 does
/// (docs/electrochemistry-spec.md §1.5, §1.8, §2), with optional lumped thermal.
///
/// Doyle, Fuller & Newman 1993, "Modeling of galvanostatic charge and discharge of the lithium/polymer/insertion
/// cell", doi:10.1149/1.2221597. The semi-explicit index-1 DAE (particle, electrolyte, charge balances, the drive
/// as an algebraic row for I) is integrated by variable-step BDF2 with a predictor-based error estimate and
/// modified Newton on a sparse finite-difference Jacobian (column colouring) solved by block elimination.
public final class DoyleFullerNewmanModel: CellModel {
    var constants: DFNConstants
    /// Relative tolerance of the WRMS error test on the differential states.
    public var relativeTolerance = 1e-5
    /// Absolute tolerance, relative to each unknown's natural scale (c_max, c_e,init, 1 V, Q_nom, 1 K).
    public var absoluteTolerance = 1e-6

    public var nominalCapacity: Double { constants.nominalCapacity }
    public private(set) var outputs = CellOutputs()
    public private(set) var drive: CellDrive = .current(0)
    public var ambientTemperature: Double

    // Per-node fields filled by the residual.
    let ce, kappa, diffE, chiTerm, surface, overpotential, flux, entropic: UnsafeMutablePointer<Double>
    let edgeCurrent, edgeFlux: UnsafeMutablePointer<Double>
    var voltageValue = 0.0, heatValue = 0.0
    // Integrator state: y_n, y_{n−1}, f_n (differential rows) and stage buffers.
    let y, yPrev, yDot, hist, trial, pred, res, res0, work, scale, weights: UnsafeMutablePointer<Double>
    let differential: UnsafeMutablePointer<Bool>
    var time = 0.0, hPrev = 0.0, hNext = 0.0, historyCount = 0
    /// Whether the last failed stage left the admissible stoichiometry range (reported as an infeasible drive).
    var stoichiometryFailure = false
    /// The accepted size of the last first (implicit Euler) step after a drive change: the next restart's guess.
    var firstStep = 2e-3
    // Saved copy (saveState/restoreState).
    let savedY, savedYPrev, savedYDot: UnsafeMutablePointer<Double>
    var saved: (time: Double, hPrev: Double, hNext: Double, history: Int, drive: CellDrive, outputs: CellOutputs, ambient: Double)
    // Jacobian: banded, reused across steps while its a0 is close to the stage's.
    var bandLower = 0, bandUpper = 0
    var solver: DFNBlockSolver!
    var jacobianA0 = Double.nan
    var jacobianIsAlgebraic = false
    /// Band of the partial derivatives (column-major, `lower + upper + 1` per column), cached across steps.
    var partials: UnsafeMutablePointer<Double>
    /// Whether `partials` were computed (`partialsValid`), at the present iterate (`partialsCurrent`), for which drive.
    /// Solver work counters: residuals, partial-derivative sweeps, factorisations, accepted and rejected steps.
    var statistics = (residuals: 0, partials: 0, factorizations: 0, steps: 0, rejected: 0)
    var partialsValid = false, partialsCurrent = false, partialsDrive = Double.nan
    /// The Jacobian's probed sparsity and its column colouring (set by ``bandwidth()``).
    var colouring: DFNColouring!

    /// Builds the model with uniform initial particle stoichiometries `stoN`, `stoP`, c_e = c_e,init, T = T_init
    /// (lumped) or ambient, and potentials from a consistent initialisation at zero current.
    public init(parameters: ParameterSet, stoN: Double, stoP: Double, thermal: ThermalOption = .isothermal,
                mesh: CellMesh = CellMesh()) throws(ModelError) {
        guard stoN > 0, stoN < 1 else { throw .invalidStoichiometry(name: "negative", value: stoN) }
        guard stoP > 0, stoP < 1 else { throw .invalidStoichiometry(name: "positive", value: stoP) }
        try mesh.validate()
        let k: DFNConstants
        do { k = try DFNConstants(parameters: parameters, mesh: mesh, thermal: thermal) } catch { throw .parameter(error) }
        constants = k
        ambientTemperature = try Self.scalar(parameters, "Ambient temperature [K]")
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            return p
        }
        (ce, kappa, diffE, chiTerm) = (buffer(k.nx), buffer(k.nx), buffer(k.nx), buffer(k.nx))
        (surface, overpotential, flux, entropic) = (buffer(k.nx), buffer(k.nx), buffer(k.nx), buffer(k.nx))
        (edgeCurrent, edgeFlux) = (buffer(k.nx + 1), buffer(k.nx + 1))
        (y, yPrev, yDot, hist, trial, pred) = (buffer(k.n), buffer(k.n), buffer(k.n), buffer(k.n), buffer(k.n), buffer(k.n))
        (res, res0, work, scale, weights) = (buffer(k.n), buffer(k.n), buffer(k.n), buffer(k.n), buffer(k.n))
        (savedY, savedYPrev, savedYDot) = (buffer(k.n), buffer(k.n), buffer(k.n))
        differential = .allocate(capacity: k.n)
        saved = (0, 0, 0, 0, .current(0), CellOutputs(), 0)
        partials = buffer(1)
        // Initial state (spec §1.5): uniform particles, c_e,init, guesses for the potentials.
        let t0 = k.thermal ? k.initialTemperature : ambientTemperature
        let un = DFNConstants.ocp(k.ocpN, k.dUdTN, stoN, t0, k.tRef)
        let up = DFNConstants.ocp(k.ocpP, k.dUdTP, stoP, t0, k.tRef)
        for q in 0..<k.nx {
            if k.csIndex[q] >= 0 {
                let negative = q < k.nn
                for i in 0..<(negative ? k.nrN : k.nrP) {
                    y[k.csIndex[q] + i] = negative ? stoN * k.cmaxN : stoP * k.cmaxP
                    scale[k.csIndex[q] + i] = negative ? k.cmaxN : k.cmaxP
                }
                y[k.phiSIndex[q]] = negative ? 0 : up - un
                scale[k.phiSIndex[q]] = 1
            }
            y[k.ceIndex[q]] = k.eps[q] * k.ce0
            scale[k.ceIndex[q]] = k.eps[q] * k.ce0
            y[k.phiEIndex[q]] = -un
            scale[k.phiEIndex[q]] = 1
        }
        scale[k.iIndex] = k.nominalCapacity
        scale[k.qIndex] = k.nominalCapacity
        if k.thermal { y[k.tIndex] = t0; scale[k.tIndex] = 1 }
        for i in 0..<k.n { differential[i] = k.isDifferential(i) }
        let (lower, upper) = bandwidth()
        (bandLower, bandUpper) = (lower, upper)
        partials.deallocate()
        partials = buffer(k.n * (lower + upper + 1))
        // The reduced sparsity, from the partials at the probe state (power drive: the drive row sees I and V).
        drive = .power(1)
        probeState()
        computePartials(at: trial)
        drive = .current(0)
        solver = DFNBlockSolver(constants: k, lower: lower, upper: upper, partials: partials)
        partialsValid = false
        try begin(.current(0))
    }

    deinit {
        for p in [ce, kappa, diffE, chiTerm, surface, overpotential, flux, entropic, edgeCurrent, edgeFlux,
                  y, yPrev, yDot, hist, trial, pred, res, res0, work, scale, weights, savedY, savedYPrev, savedYDot, partials] {
            p.deallocate()
        }
        differential.deallocate()
    }

    static func scalar(_ p: ParameterSet, _ name: String) throws(ModelError) -> Double {
        do { return try p.scalar(name) } catch { throw .parameter(error) }
    }

    /// A generic state in `trial` for probing the sparsity: y with I ≠ 0 and the potentials and c_e perturbed
    /// non-uniformly, so that no dependence vanishes by accident (at y's guesses η = 0 and sinh'' = 0, which hides
    /// ∂j/∂c_e; uniform c_e hides the gradient terms).
    func probeState() {
        let k = constants
        for i in 0..<k.n { hist[i] = 0; trial[i] = y[i] }
        trial[k.iIndex] = 0.1
        for q in 0..<k.nx {
            let wobble = sin(Double(q) + 1)
            trial[k.ceIndex[q]] *= 1 + 0.01 * wobble
            trial[k.phiEIndex[q]] += 0.003 * wobble
            if k.phiSIndex[q] >= 0 { trial[k.phiSIndex[q]] += 0.01 * (1 + 0.5 * wobble) }
        }
    }

    /// The Jacobian's sub- and super-diagonal counts, probed once column by column under a power drive (so that
    /// the drive row sees I and V); the lumped temperature's dense row and column are excluded (lagged in Newton).
    func bandwidth() -> (Int, Int) {
        let k = constants
        let keep = drive
        drive = .power(1)
        probeState()
        residual(trial, res0, a0: 1, algebraicOnly: false)
        var lower = 1, upper = 1
        var rows = [Int](), starts = [0]
        for j in 0..<k.n {
            if j != k.tIndex {
                let saved = trial[j]
                trial[j] += 1e-4 * max(abs(saved), scale[j])
                residual(trial, res, a0: 1, algebraicOnly: false)
                trial[j] = saved
                for i in 0..<k.n where i != k.tIndex && (res[i] != res0[i] || i == j) {
                    lower = max(lower, i - j); upper = max(upper, j - i)
                    rows.append(i)
                }
            }
            starts.append(rows.count)
        }
        drive = keep
        colouring = DFNColouring(n: k.n, rows: rows, starts: starts)
        return (lower, upper)
    }

    public func begin(_ drive: CellDrive) throws(ModelError) {
        let unchanged = drive == self.drive && historyCount > 0
        self.drive = drive
        if unchanged { return }
        let k = constants
        if case .power(let p) = drive, p != 0, y[k.iIndex] == 0 {
            y[k.iIndex] = p / max(voltageValue, 1)  // start near P/OCV, the physical root
        }
        try consistentInitialisation()
        historyCount = 0
        hPrev = 0
        hNext = firstStep
        residual(y, res, a0: 0, algebraicOnly: false)
        for i in 0..<k.n { yDot[i] = differential[i] ? -res[i] : 0 }
        updateOutputs()
    }

    public func saveState() {
        let n = constants.n
        savedY.update(from: y, count: n); savedYPrev.update(from: yPrev, count: n); savedYDot.update(from: yDot, count: n)
        saved = (time, hPrev, hNext, historyCount, drive, outputs, ambientTemperature)
    }

    public func restoreState() {
        let n = constants.n
        y.update(from: savedY, count: n); yPrev.update(from: savedYPrev, count: n); yDot.update(from: savedYDot, count: n)
        (time, hPrev, hNext, historyCount, drive, outputs, ambientTemperature) = saved
        partialsCurrent = false
    }

    /// Recomputes ``outputs`` at y_n (x-averaged surface and r-averaged stoichiometries, spec §2.3).
    func updateOutputs() {
        let k = constants
        residual(y, res, a0: 0, algebraicOnly: false, heat: true)
        var o = CellOutputs()
        o.time = time
        o.current = y[k.iIndex]
        o.voltage = voltageValue
        o.temperature = k.thermal ? y[k.tIndex] : ambientTemperature
        o.dischargeCapacity = y[k.qIndex]
        o.heat = heatValue
        var sn = 0.0, sp = 0.0, an = 0.0, ap = 0.0
        for q in 0..<k.nx where k.csIndex[q] >= 0 {
            let negative = q < k.nn
            let vol = negative ? k.volN : k.volP
            var total = 0.0, volume = 0.0
            for i in 0..<vol.count { total += y[k.csIndex[q] + i] * vol[i]; volume += vol[i] }
            if negative { sn += surface[q]; an += total / volume } else { sp += surface[q]; ap += total / volume }
        }
        o.stoNSurf = sn / Double(k.nn) / k.cmaxN
        o.stoPSurf = sp / Double(k.np) / k.cmaxP
        o.stoNAvg = an / Double(k.nn) / k.cmaxN
        o.stoPAvg = ap / Double(k.np) / k.cmaxP
        outputs = o
    }
}
