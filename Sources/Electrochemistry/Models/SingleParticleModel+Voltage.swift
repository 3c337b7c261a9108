#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cell-level constants of the SPM/SPMe compiled from a ``ParameterSet`` (SI units).
struct CellConstants {
    let temperature, referenceTemperature: Double
    let area, lengthN, lengthS, lengthP, lengthX: Double
    let initialElectrolyte, transference, thermodynamicFactor: Double
    let sigmaN, sigmaP: Double
    let torN, torS, torP: Double
    let ocpN, ocpP, dUdTN, dUdTP: @Sendable (Double) -> Double
    /// Rate constants k(T) of j0 = k(T)·√c_e·√c_s·√(c_max − c_s) [A.m-2 per (mol.m-3)^1.5].
    let rateN, rateP: Double
    let conductivity: @Sendable (Double, Double) -> Double

    init(parameters p: ParameterSet, variant: SingleParticleModel.Variant) throws(ParameterError) {
        temperature = try p.scalar("Ambient temperature [K]")
        referenceTemperature = try p.scalar("Reference temperature [K]", default: temperature)
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
        torN = pow(epsN, try p.scalar("Negative electrode Bruggeman coefficient (electrolyte)"))
        torS = pow(epsS, try p.scalar("Separator Bruggeman coefficient (electrolyte)"))
        torP = pow(epsP, try p.scalar("Positive electrode Bruggeman coefficient (electrolyte)"))
        ocpN = try p.unaryFunction("Negative electrode OCP [V]")
        ocpP = try p.unaryFunction("Positive electrode OCP [V]")
        dUdTN = try Self.optionalUnary(p, "Negative electrode OCP entropic change [V.K-1]")
        dUdTP = try Self.optionalUnary(p, "Positive electrode OCP entropic change [V.K-1]")
        // The built-in j0 are products of square roots, so j0(1, 1, 2, T) = k(T).
        rateN = try p.exchangeCurrentDensity("Negative electrode exchange-current density [A.m-2]")(1, 1, 2, temperature)
        rateP = try p.exchangeCurrentDensity("Positive electrode exchange-current density [A.m-2]")(1, 1, 2, temperature)
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
    func ocp(_ u: @Sendable (Double) -> Double, _ dUdT: @Sendable (Double) -> Double, _ s: Double) -> Double {
        let x = min(max(s, 1e-10), 1 - 1e-10)
        return u(x) + (temperature - referenceTemperature) * dUdT(x) + Self.asymptote(s) - Self.asymptote(1 - s)
    }

    /// PyBaMM's `U_asymptote_approaching_zero`, a smooth barrier below s ≈ 0.005.
    static func asymptote(_ s: Double) -> Double {
        let a = 205.0568621937484, b = 6910.192179565431, c = -7.7e-4
        let limit = c - log(2 / Double.ulpOfOne) / b
        return a * (log1p(exp(-b * (max(limit, s) - c))) - b * min(0, s - limit))
    }

    /// PyBaMM's RegPower(x, ½, scale): (x/s)·((x/s)² + 10⁻⁶)^(−¼)·√s.
    @inline(__always)
    static func regularisedSqrt(_ x: Double, scale: Double) -> Double {
        let y = x / scale
        return y * pow(y * y + 1e-6, -0.25) * scale.squareRoot()
    }

    /// asinh(a / (sgn⁺(b)·hypot(b, 10⁻¹⁶))).
    @inline(__always)
    static func arcsinh2(_ a: Double, _ b: Double) -> Double {
        asinh(a / ((b >= 0 ? 1 : -1) * hypot(b, 1e-16)))
    }
}

extension SingleParticleModel {
    /// Terminal voltage [V] at the present state for `current` [A] (spec §1.3 for the SPM; §1.4 nodal form for the SPMe).
    public func voltage(current: Double) -> Double {
        let k = constants
        let rtf = PhysicalConstants.gasConstant * k.temperature / PhysicalConstants.faraday
        let i = current / k.area
        let jn = i / (negative.specificArea * k.lengthN)
        let jp = -i / (positive.specificArea * k.lengthP)
        let csn = negative.surface, csp = positive.surface
        let cmaxN = negative.maxConcentration, cmaxP = positive.maxConcentration
        let un = k.ocp(k.ocpN, k.dUdTN, csn / cmaxN)
        let up = k.ocp(k.ocpP, k.dUdTP, csp / cmaxP)
        let sn = min(max(csn, 0), cmaxN), sp = min(max(csp, 0), cmaxP)
        guard let e = electrolyte else {
            let ce = k.initialElectrolyte.squareRoot()
            let j0n = k.rateN * ce * CellConstants.regularisedSqrt(sn, scale: cmaxN)
                * CellConstants.regularisedSqrt(cmaxN - sn, scale: cmaxN)
            let j0p = k.rateP * ce * CellConstants.regularisedSqrt(sp, scale: cmaxP)
                * CellConstants.regularisedSqrt(cmaxP - sp, scale: cmaxP)
            let etaN = 2 * rtf * CellConstants.arcsinh2(jn, 2 * j0n)
            let etaP = 2 * rtf * CellConstants.arcsinh2(jp, 2 * j0p)
            return (up + etaP) - (un + etaN)
        }
        // SPMe: particle factors of j0 with scale 1, c_e factor with scale c_e,init.
        let m = Self.domainVolumes
        let ce0 = k.initialElectrolyte
        let particleN = k.rateN * CellConstants.regularisedSqrt(sn, scale: 1) * CellConstants.regularisedSqrt(cmaxN - sn, scale: 1)
        let particleP = k.rateP * CellConstants.regularisedSqrt(sp, scale: 1) * CellConstants.regularisedSqrt(cmaxP - sp, scale: 1)
        let cBar = e.averageConcentration
        var etaN = 0.0, etaP = 0.0, macN = 0.0, phiSN = 0.0
        for q in 0..<m {
            let ce = e.concentration(q)
            let j0 = particleN * CellConstants.regularisedSqrt(max(ce, 0), scale: ce0)
            etaN += 2 * rtf * CellConstants.arcsinh2(jn, 2 * j0)
            macN += log(max(ce / cBar, 1e-15))
            let x = e.nodes[q]
            phiSN += (i / k.sigmaN) * x * (x - 2 * k.lengthN) / (2 * k.lengthN)
        }
        etaN /= Double(m); macN /= Double(m); phiSN /= Double(m)
        for q in (2 * m)..<(3 * m) {
            let j0 = particleP * CellConstants.regularisedSqrt(max(e.concentration(q), 0), scale: ce0)
            etaP += 2 * rtf * CellConstants.arcsinh2(jp, 2 * j0)
        }
        etaP /= Double(m)
        let dphiN = un + etaN, dphiP = up + etaP
        let kappa = k.conductivity(max(cBar, 10), k.temperature)
        let kn = kappa * k.torN, ks = kappa * k.torS, kp = kappa * k.torP
        let chi = 2 * (1 - k.transference) * k.thermodynamicFactor
        let lx = k.lengthX, lp = k.lengthP
        let phiEConst = -dphiN + phiSN - chi * rtf * macN - i * k.lengthN * (1 / (3 * kn) - 1 / ks)
        var phiEP = 0.0
        for q in (2 * m)..<(3 * m) {
            let x = e.nodes[q]
            phiEP += phiEConst + chi * rtf * log(max(e.concentration(q) / cBar, 1e-15))
                - (i / kp) * (x * (2 * lx - x) + lp * lp - lx * lx) / (2 * lp) - i * (lx - lp) / ks
        }
        phiEP /= Double(m)
        let constant = dphiP + phiEP + (i / k.sigmaP) * (lx - lp / 3)
        func phiSP(_ x: Double) -> Double { constant - (i / k.sigmaP) * (x + (x - lx) * (x - lx) / (2 * lp)) }
        let last = phiSP(e.nodes[3 * m - 1]), previous = phiSP(e.nodes[3 * m - 2])
        return last + 0.5 * (last - previous)
    }
}
