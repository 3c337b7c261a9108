/// Loss of lithium inventory (LLI), loss of active material (LAM) and film resistance: the degradation modes
/// of Birkl et al., J. Power Sources 341 (2017) 373 (doi:10.1016/j.jpowsour.2016.12.011), applied to a
/// physics parameter set so that an aged SPM, SPMe or DFN has the capacity and resistance its health says.
///
/// With Q_n, Q_Li the negative-electrode and cyclable-lithium capacities of the electrode balance
/// (``InitialState/window(parameters:)``, Mohtat et al. 2019) and Q_new the fresh cell's capacity, a fade
/// of intensity λ removes
/// ```
/// ΔQ_Li = λ s Q_new   (LLI: "Initial concentration in negative electrode", the positive lithium kept)
/// ΔQ_n  = λ (1 − s) Q_new   (LAM: "Negative electrode active material volume fraction")
/// ```
/// where s is ``CellHealth/lithiumInventoryShare``, and λ is solved (bisection) so that the new window's
/// capacity Q_n (x_100 − x_0) is q Q_new. The film then makes up the resistance: with R the SPMe's
/// instantaneous resistance −∂V/∂I at 50 % SoC, I → 0 (charge transfer plus electrolyte and solid ohmic
/// terms), the film adds r R_new − R_aged (never negative: LAM alone may already raise R beyond r R_new) as
/// a film on the negative particles, R_film = ΔR a_n L_n A [Ω·m²], i.e. η_film = j R_film.
extension ParameterSet {
    /// The film resistance of the negative particles [Ω·m²] read by the SPM, SPMe and DFN (0 when absent).
    /// Not a PyBaMM parameter: PyBaMM's film is ρ_SEI L_SEI of a growing SEI, which exists only with SEI on.
    public static let negativeFilmResistanceName = "Negative electrode film resistance [Ohm.m2]"

    /// This set with `health` applied as LLI, LAM and film resistance (see the extension's documentation).
    /// Throws ``ModelError/parameter(_:)`` when the set cannot be balanced or the fade cannot be reached.
    public func aged(by health: CellHealth) throws(ModelError) -> ParameterSet {
        if health.capacityRetention == 1 && health.resistanceGrowth == 1 { return self }
        let fresh = try Self.balance(self)
        let qNew = fresh.capacity, target = health.capacityRetention * qNew
        let share = health.lithiumInventoryShare
        var hi = Double.infinity
        if share > 0 { hi = min(hi, fresh.cyclableLithiumCapacity / (share * qNew)) }
        if share < 1 { hi = min(hi, fresh.negativeCapacity / ((1 - share) * qNew)) }
        hi *= 1 - 1e-9
        var lo = 0.0
        var aged = self
        if health.capacityRetention < 1 {
            // Capacity falls monotonically with λ; an unbalanceable set (too little lithium or active material
            // to reach the OCV limits) has no capacity.
            for _ in 0..<60 where hi - lo > 1e-13 * max(hi, 1) {
                let mid = 0.5 * (lo + hi)
                let capacity = (try? Self.balance(degraded(by: mid, share: share, fresh: fresh)))?.capacity ?? 0
                if capacity > target { lo = mid } else { hi = mid }
            }
            aged = try degraded(by: 0.5 * (lo + hi), share: share, fresh: fresh)
            let reached = try Self.balance(aged).capacity
            guard abs(reached - target) <= 1e-6 * qNew else {
                throw .parameter(.outOfRange(name: "capacity retention", value: health.capacityRetention,
                                             expected: "a retention reachable with lithium inventory share \(share) "
                                                 + "(reached \(reached / qNew))"))
            }
        }
        let rNew = try Self.instantaneousResistance(self)
        let rAged = try Self.instantaneousResistance(aged)
        let extra = max(0, health.resistanceGrowth * rNew - rAged)
        guard extra > 0 else { return aged }
        let p = aged
        let geometry: Double
        do {
            geometry = try 3 * p.scalar("Negative electrode active material volume fraction")
                / p.scalar("Negative particle radius [m]") * p.scalar("Negative electrode thickness [m]")
                * p.scalar("Electrode width [m]") * p.scalar("Electrode height [m]")
                * p.scalar("Number of electrodes connected in parallel to make a cell", default: 1)
            let existing = try p.scalar(Self.negativeFilmResistanceName, default: 0)
            return p.updating([Self.negativeFilmResistanceName: existing + extra * geometry])
        } catch {
            throw .parameter(error)
        }
    }

    /// The set after a fade of intensity `lambda` (in units of the fresh capacity).
    private func degraded(by lambda: Double, share: Double, fresh: StoichiometryWindow) throws(ModelError) -> ParameterSet {
        do throws(ParameterError) {
            let epsN = try scalar("Negative electrode active material volume fraction")
            let lengthN = try scalar("Negative electrode thickness [m]")
            let loadingP = try scalar("Positive electrode active material volume fraction")
                * scalar("Positive electrode thickness [m]")
            let cP = try scalar("Initial concentration in positive electrode [mol.m-3]")
            // Capacity per (ε L c) [A.h per mol.m-2]: Q_n = ε_n L_n c_max,n · scale.
            let scale = try fresh.negativeCapacity / (epsN * lengthN * scalar("Maximum concentration in negative electrode [mol.m-3]"))
            let newEpsN = epsN * (1 - lambda * (1 - share) * fresh.capacity / fresh.negativeCapacity)
            let lithium = fresh.cyclableLithiumCapacity - lambda * share * fresh.capacity
            let cN = (lithium / scale - loadingP * cP) / (newEpsN * lengthN)
            guard newEpsN > 0, cN >= 0 else {
                throw ParameterError.outOfRange(name: "capacity retention", value: 1 - lambda * fresh.capacity,
                                                expected: "a fade the electrodes can hold")
            }
            return updating(["Negative electrode active material volume fraction": newEpsN,
                             "Initial concentration in negative electrode [mol.m-3]": cN])
        } catch {
            throw .parameter(error)
        }
    }

    /// The electrode balance of `p`, with balancing failures reported as parameter errors.
    private static func balance(_ p: ParameterSet) throws(ModelError) -> StoichiometryWindow {
        do { return try InitialState.window(parameters: p) } catch {
            if case let .parameter(inner) = error { throw .parameter(inner) }
            throw .parameter(.outOfRange(name: "capacity retention", value: .nan,
                                         expected: "a state the electrode balance can reach (\(error))"))
        }
    }

    /// −∂V/∂I [Ω] of an isothermal SPMe of `p` at 50 % SoC and zero current.
    static func instantaneousResistance(_ p: ParameterSet) throws(ModelError) -> Double {
        let sto: (negative: Double, positive: Double)
        do { sto = try InitialState.stoichiometries(initialSoC: 0.5, parameters: p) } catch {
            throw .parameter(.outOfRange(name: "capacity retention", value: .nan,
                                         expected: "a state the electrode balance can reach (\(error))"))
        }
        let model = try SingleParticleModel(parameters: p, variant: .spme, stoN: sto.negative, stoP: sto.positive)
        return -model.terminalVoltage(current: 0).slope
    }
}
