#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cell-level constants of the SPM/SPMe compiled from a ``ParameterSet`` (SI units). Temperature-dependent
/// quantities are kept as functions and evaluated by ``SingleParticleModel/setTemperature(_:)``.
struct CellConstants {
    let ambientTemperature, initialTemperature, referenceTemperature, nominalCapacity: Double
    let area, lengthN, lengthS, lengthP, lengthX: Double
    let initialElectrolyte, transference, thermodynamicFactor: Double
    let sigmaN, sigmaP: Double
    /// Aging film on the negative particles [Ω·m²] (``ParameterSet/negativeFilmResistanceName``, 0 if absent).
    let filmResistanceN: Double
    let torN, torS, torP: Double
    let ocpN, ocpP, dUdTN, dUdTP: @Sendable (Double) -> Double
    let j0N, j0P: @Sendable (Double, Double, Double, Double) -> Double
    let conductivity: @Sendable (Double, Double) -> Double

    init(parameters p: ParameterSet, variant: SingleParticleModel.Variant) throws(ParameterError) {
        ambientTemperature = try p.scalar("Ambient temperature [K]")
        initialTemperature = try p.scalar("Initial temperature [K]", default: ambientTemperature)
        referenceTemperature = try p.scalar("Reference temperature [K]", default: ambientTemperature)
        nominalCapacity = try p.scalar("Nominal cell capacity [A.h]")
        area = try p.scalar("Electrode width [m]") * p.scalar("Electrode height [m]")
            * p.scalar("Number of electrodes connected in parallel to make a cell", default: 1)
        lengthN = try p.scalar("Negative electrode thickness [m]")
        lengthS = try p.scalar("Separator thickness [m]")
        lengthP = try p.scalar("Positive electrode thickness [m]")
        lengthX = lengthN + lengthS + lengthP
        initialElectrolyte = try p.scalar("Initial concentration in electrolyte [mol.m-3]")
        transference = try p.scalar("Cation transference number")
        thermodynamicFactor = try p.scalar("Thermodynamic factor", default: 1)
        let epsN = try p.scalar("Negative electrode porosity"), epsS = try p.scalar("Separator porosity")
        let epsP = try p.scalar("Positive electrode porosity")
        sigmaN = try p.scalar("Negative electrode conductivity [S.m-1]")
            * pow(1 - epsN, p.scalar("Negative electrode Bruggeman coefficient (electrode)"))
        sigmaP = try p.scalar("Positive electrode conductivity [S.m-1]")
            * pow(1 - epsP, p.scalar("Positive electrode Bruggeman coefficient (electrode)"))
        filmResistanceN = try p.scalar(ParameterSet.negativeFilmResistanceName, default: 0)
        torN = pow(epsN, try p.scalar("Negative electrode Bruggeman coefficient (electrolyte)"))
        torS = pow(epsS, try p.scalar("Separator Bruggeman coefficient (electrolyte)"))
        torP = pow(epsP, try p.scalar("Positive electrode Bruggeman coefficient (electrolyte)"))
        ocpN = try p.unaryFunction("Negative electrode OCP [V]")
        ocpP = try p.unaryFunction("Positive electrode OCP [V]")
        dUdTN = try Self.optionalUnary(p, "Negative electrode OCP entropic change [V.K-1]")
        dUdTP = try Self.optionalUnary(p, "Positive electrode OCP entropic change [V.K-1]")
        j0N = try p.exchangeCurrentDensity("Negative electrode exchange-current density [A.m-2]")
        j0P = try p.exchangeCurrentDensity("Positive electrode exchange-current density [A.m-2]")
        if variant == .spme {
            conductivity = try p.binaryFunction("Electrolyte conductivity [S.m-1]")
        } else {
            conductivity = { _, _ in 0 }
        }
    }

    /// The unary function `name`, or zero when the set does not define it.
    static func optionalUnary(_ p: ParameterSet, _ name: String) throws(ParameterError) -> @Sendable (Double) -> Double {
        guard p.contains(name) else { return { _ in 0 } }
        return try p.unaryFunction(name)
    }

    /// U(s, T) = U_ref(clip(s)) + (T − T_ref)·dU/dT(clip(s)) + U_asym(s) (spec §1.1).
    @inline(__always)
    func ocp(_ u: @Sendable (Double) -> Double, _ dUdT: @Sendable (Double) -> Double, _ s: Double, _ t: Double) -> Double {
        let x = min(max(s, 1e-10), 1 - 1e-10)
        return u(x) + (t - referenceTemperature) * dUdT(x) + Self.asymptote(s) - Self.asymptote(1 - s)
    }

    /// PyBaMM's `U_asymptote_approaching_zero`, a smooth barrier below s ≈ 0.005.
    static func asymptote(_ s: Double) -> Double {
        let a = 205.0568621937484, b = 6910.192179565431, c = -7.7e-4
        // Beyond b(s − c) = 45 the term is below 6e-18 V: exactly negligible next to U.
        if b * (s - c) > 45 { return 0 }
        let limit = c - log(2 / Double.ulpOfOne) / b
        return a * (log1p(exp(-b * (max(limit, s) - c))) - b * min(0, s - limit))
    }

    /// PyBaMM's RegPower(x, ½, scale): (x/s)·((x/s)² + 10⁻⁶)^(−¼)·√s.
    @inline(__always)
    static func regularisedSqrt(_ x: Double, scale: Double) -> Double {
        let y = x / scale
        return y / (y * y + 1e-6).squareRoot().squareRoot() * scale.squareRoot()
    }
}

extension SingleParticleModel {
    /// Caches everything in V that depends on the state but not on the current: OCPs, nodal 1/(2 j0) and the
    /// electrolyte concentration overpotential (spec §1.3; §1.4 nodal form for the SPMe).
    func prepareVoltage() {
        prepared = true
        overpotentialCache.valid = false
        let csn = negative.surface, csp = positive.surface
        let cmaxN = negative.maxConcentration, cmaxP = positive.maxConcentration
        let temperature = self.temperature
        let (ocvN, ocvP, area, lengthN, lengthP, ce0, chi) = withUnsafePointer(to: &constants) { k in
            (k.pointee.ocp(k.pointee.ocpN, k.pointee.dUdTN, csn / cmaxN, temperature),
             k.pointee.ocp(k.pointee.ocpP, k.pointee.dUdTP, csp / cmaxP, temperature),
             k.pointee.area, k.pointee.lengthN, k.pointee.lengthP, k.pointee.initialElectrolyte,
             2 * (1 - k.pointee.transference) * k.pointee.thermodynamicFactor)
        }
        self.ocvN = ocvN; self.ocvP = ocvP
        densityPerCurrentN = 1 / (negative.specificArea * lengthN * area)
        densityPerCurrentP = -1 / (positive.specificArea * lengthP * area)
        let sn = min(max(csn, 0), cmaxN), sp = min(max(csp, 0), cmaxP)
        guard let e = electrolyte else {
            let ce = ce0.squareRoot()
            inverseExchangeN[0] = Self.inverseRegularised(2 * rateN * ce * CellConstants.regularisedSqrt(sn, scale: cmaxN)
                * CellConstants.regularisedSqrt(cmaxN - sn, scale: cmaxN))
            inverseExchangeP[0] = Self.inverseRegularised(2 * rateP * ce * CellConstants.regularisedSqrt(sp, scale: cmaxP)
                * CellConstants.regularisedSqrt(cmaxP - sp, scale: cmaxP))
            concentrationOverpotential = 0
            return
        }
        let particleN = 2 * rateN * CellConstants.regularisedSqrt(sn, scale: 1) * CellConstants.regularisedSqrt(cmaxN - sn, scale: 1)
        let particleP = 2 * rateP * CellConstants.regularisedSqrt(sp, scale: 1) * CellConstants.regularisedSqrt(cmaxP - sp, scale: 1)
        let cBar = e.averageConcentration
        e.fillLogConcentration(floor: 1e-15 * cBar)
        let logBar = log(cBar)
        var macN = 0.0, macP = 0.0
        for q in 0..<e.countN {
            inverseExchangeN[q] = Self.inverseRegularised(
                particleN * CellConstants.regularisedSqrt(max(e.concentration(q), 0), scale: ce0))
            macN += e.logConcentration[q] - logBar
        }
        for q in 0..<e.countP {
            inverseExchangeP[q] = Self.inverseRegularised(
                particleP * CellConstants.regularisedSqrt(max(e.concentration(e.offsetP + q), 0), scale: ce0))
            macP += e.logConcentration[e.offsetP + q] - logBar
        }
        concentrationOverpotential = chi * thermalVoltage * (macP / Double(e.countP) - macN / Double(e.countN))
    }

    /// 1/(sign(b)·√(b² + 10⁻³²)), PyBaMM's regularised denominator of the Butler–Volmer asinh.
    @inline(__always)
    static func inverseRegularised(_ b: Double) -> Double {
        (b >= 0 ? 1 : -1) / (b * b + 1e-32).squareRoot()
    }

    /// Terminal voltage [V] and ∂V/∂I [Ω] at the prepared state for `current` [A] (spec §5).
    @inline(__always)
    func terminalVoltage(current: Double) -> (voltage: Double, slope: Double) {
        let (etaN, etaP, dN, dP) = overpotentials(current: current)
        return (ocvP + etaP - ocvN - etaN + concentrationOverpotential + ohmicResistance * current,
                dP - dN + ohmicResistance)
    }

    /// Node-averaged overpotentials ⟨η_n⟩, ⟨η_p⟩ [V] and their derivatives in I [Ω]:
    /// η = 2RT/F·asinh(j/(2j0)) with PyBaMM's regularised denominator.
    @inline(__always)
    func overpotentials(current: Double) -> (Double, Double, Double, Double) {
        if overpotentialCache.valid && overpotentialCache.current == current { return overpotentialCache.values }
        let djn = densityPerCurrentN, djp = densityPerCurrentP
        let countN = electrolyte?.countN ?? 1, countP = electrolyte?.countP ?? 1
        let (etaN, dN) = Self.asinhSum(current * djn, inverseExchangeN, countN)
        let (etaP, dP) = Self.asinhSum(current * djp, inverseExchangeP, countP)
        let twoRTF = 2 * thermalVoltage
        let sn = twoRTF / Double(countN), sp = twoRTF / Double(countP)
        let values = (etaN * sn, etaP * sp, djn * dN * sn, djp * dP * sp)
        overpotentialCache = (true, current, values)
        return values
    }

    /// Σ_q asinh(j·w_q) and Σ_q w_q/√(1 + (j·w_q)²) over the first `count` nodes, for one sign of j·w_q throughout (j0 > 0 on every node):
    /// the asinh sum is one logarithm, ln Π_q (|z_q| + √(z_q² + 1)), each factor in [1, 2|z_q| + 1]; per-node
    /// asinh only if the product leaves the floating-point range or the signs are mixed.
    @inline(__always)
    static func asinhSum(_ j: Double, _ w: UnsafeMutableBufferPointer<Double>, _ count: Int) -> (Double, Double) {
        var product = 1.0, slope = 0.0, positive = 0, negative = 0
        for q in 0..<count {
            let z = j * w[q]
            let root = (1 + z * z).squareRoot()
            product *= abs(z) + root
            slope += w[q] / root
            if z > 0 { positive += 1 } else if z < 0 { negative += 1 }
        }
        if product.isFinite && (positive == 0 || negative == 0) {
            let sum = log(product)
            return (positive > 0 ? sum : -sum, slope)
        }
        var sum = 0.0
        for q in 0..<count { sum += asinh(j * w[q]) }
        return (sum, slope)
    }

    /// The ohmic part of the SPMe voltage per ampere [Ω] (the terms of §1.4 linear in i, with κ(c̄_e, T)),
    /// evaluated on the nodes exactly as the composite φ_s and φ_e profiles are.
    func computeOhmicResistance() -> Double {
        let k = constants
        let film = -filmResistance
        guard let e = electrolyte else { return film }
        let kappa = k.conductivity(max(e.averageConcentration, 10), temperature)
        let kn = kappa * k.torN, ks = kappa * k.torS, kp = kappa * k.torP
        let lx = k.lengthX, lp = k.lengthP, ln = k.lengthN
        var phiSN = 0.0, phiEP = 0.0
        for q in 0..<e.countN {
            let x = e.nodes[q]
            phiSN += x * (x - 2 * ln) / (2 * ln) / k.sigmaN
        }
        for q in 0..<e.countP {
            let y = e.nodes[e.offsetP + q]
            phiEP -= (y * (2 * lx - y) + lp * lp - lx * lx) / (2 * lp) / kp
        }
        phiSN /= Double(e.countN); phiEP /= Double(e.countP)
        phiEP += phiSN - ln * (1 / (3 * kn) - 1 / ks) - (lx - lp) / ks
        let constant = phiEP + (lx - lp / 3) / k.sigmaP
        func phiSP(_ x: Double) -> Double { constant - (x + (x - lx) * (x - lx) / (2 * lp)) / k.sigmaP }
        let last = phiSP(e.nodes[e.count - 1]), previous = phiSP(e.nodes[e.count - 2])
        return (last + 0.5 * (last - previous)) / k.area + film
    }

    /// The negative particles' film as a series resistance [Ω]: R_film/(a_n L_n A) (the x-averaged interfacial
    /// current density is I/(a_n L_n A), so η_film = j R_film is exactly ohmic in the single-particle models).
    var filmResistance: Double {
        constants.filmResistanceN / (negative.specificArea * constants.lengthN * constants.area)
    }
}
