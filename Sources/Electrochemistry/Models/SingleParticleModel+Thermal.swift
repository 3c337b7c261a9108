#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Constants of PyBaMM's lumped thermal model (spec §1.8, cell geometry "arbitrary").
struct ThermalConstants {
    /// ρc_p,eff [J.m-3.K-1], thickness-weighted over both current collectors, electrodes and separator.
    let volumetricHeatCapacity: Double
    /// h·A_cool [W.K-1] and V_cell [m3].
    let coolingConductance, cellVolume: Double
    /// Current-collector Joule heat per (current density)² and unit electrode area: L_cn/σ_cn + L_cp/σ_cp.
    let collectorResistance: Double

    /// Reads the thermal parameters; when not `required` (isothermal) missing ones count as zero.
    init(parameters p: ParameterSet, required: Bool) throws(ParameterError) {
        func value(_ name: String) throws(ParameterError) -> Double {
            required ? try p.scalar(name) : try p.scalar(name, default: 0)
        }
        var capacity = 0.0, length = 0.0
        for part in ["Negative current collector", "Negative electrode", "Separator", "Positive electrode",
                     "Positive current collector"] {
            let thickness = try value("\(part) thickness [m]")
            let rhoC = try value("\(part) density [kg.m-3]") * value("\(part) specific heat capacity [J.kg-1.K-1]")
            capacity += rhoC * thickness
            length += thickness
        }
        volumetricHeatCapacity = length > 0 ? capacity / length : 0
        coolingConductance = try value("Total heat transfer coefficient [W.m-2.K-1]") * value("Cell cooling surface area [m2]")
        cellVolume = try value("Cell volume [m3]")
        var resistance = 0.0
        for side in ["Negative", "Positive"] where p.contains("\(side) current collector conductivity [S.m-1]") {
            resistance += try p.scalar("\(side) current collector thickness [m]", default: 0)
                / p.scalar("\(side) current collector conductivity [S.m-1]")
        }
        collectorResistance = resistance
    }
}

extension SingleParticleModel {
    /// Total heat generation [W] at the prepared state for `current` [A] (spec §1.8, per model):
    /// reaction heat a·j·η, reversible heat a·j·T·dU/dT, current-collector and aging-film Joule heat and, for the SPMe,
    /// the ohmic heat of the prescribed i_s and i_e profiles: ∫ i_s²/σ + i_e²/κ dx (exact integrals of
    /// the piecewise-linear currents) minus the diffusion-potential work χRT/F ∫ i_e ∂ln c_e/∂x dx
    /// (FV gradient on the interior edges).
    func heat(current: Double) -> Double {
        let k = constants
        let i = current / k.area
        let (etaN, etaP, _, _) = overpotentials(current: current)
        let sn = min(max(negative.surface / negative.maxConcentration, 1e-10), 1 - 1e-10)
        let sp = min(max(positive.surface / positive.maxConcentration, 1e-10), 1 - 1e-10)
        var q = i * (etaN - etaP) + i * temperature * (k.dUdTN(sn) - k.dUdTP(sp)) + thermal.collectorResistance * i * i
        if let layer = sei {
            // PyBaMM weighs the negative reaction and reversible heat by the main reaction j_tot − ⟨j_SEI⟩
            // (the side reaction itself and the film carry no heat there).
            let side = seiMeanCurrentDensity(layer, current: current)
            q -= negative.specificArea * k.lengthN * side * (etaN + temperature * k.dUdTN(sn))
        }
        if let e = electrolyte {
            let kappa = k.conductivity(max(e.averageConcentration, 10), temperature)
            q += i * i * (k.lengthN / (3 * kappa * k.torN) + k.lengthS / (kappa * k.torS) + k.lengthP / (3 * kappa * k.torP)
                          + k.lengthN / (3 * k.sigmaN) + k.lengthP / (3 * k.sigmaP))
            let chi = 2 * (1 - k.transference) * k.thermodynamicFactor
            var work = 0.0
            var left = e.logConcentration[0]
            for edge in 0..<(e.count - 1) {
                let right = e.logConcentration[edge + 1]
                let x = e.nodes[edge] + 0.5 * e.width[edge]
                let ie = x < k.lengthN ? x / k.lengthN : (x <= k.lengthN + k.lengthS ? 1 : (k.lengthX - x) / k.lengthP)
                work += ie * (right - left)
                left = right
            }
            q -= chi * thermalVoltage * i * work
        }
        return q * k.area + filmResistance * current * current
    }

    /// Advances the lumped temperature over `h` [s] with the heat `q` [W] frozen:
    /// ρc_p V dT/dt = Q − hA(T − T_amb), integrated exactly (exponential relaxation to T_amb + Q/hA).
    func advanceTemperature(heat q: Double, h: Double) {
        let c = thermal.volumetricHeatCapacity * thermal.cellVolume
        if thermal.coolingConductance > 0 {
            let equilibrium = ambient + q / thermal.coolingConductance
            temperature = equilibrium + (temperature - equilibrium) * exp(-h * thermal.coolingConductance / c)
        } else {
            temperature += h * q / c
        }
    }

    /// Sets the cell temperature and re-evaluates every T-dependent constant: RT/F, the Arrhenius j0 rate
    /// constants (the built-in j0 are products of square roots, so j0(1, 1, 2, T) = k(T)), D_e(T), κ(T) and,
    /// with SEI, its Arrhenius factor and δφ profile.
    func setTemperature(_ t: Double) {
        temperature = t
        prepared = false; overpotentialCache.valid = false
        thermalVoltage = PhysicalConstants.gasConstant * t / PhysicalConstants.faraday
        rateN = constants.j0N(1, 1, 2, t)
        rateP = constants.j0P(1, 1, 2, t)
        electrolyte?.temperature = t
        bulkOhmicResistance = computeOhmicResistance()
        ohmicResistance = bulkOhmicResistance - seiFilmResistance
        if let layer = sei { updateSEITemperature(layer) }
    }
}
