#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parameters, mesh geometry and unknown layout of the DFN, compiled once from a ``ParameterSet``
/// (SI units; docs/electrochemistry-spec.md §1.5, §1.8, §2).
///
/// Unknowns are ordered node by node across x so that the Jacobian is banded: an electrode node holds
/// [c_s(r_0…r_{N−1}), ε·c_e, φ_e, φ_s], a separator node [ε·c_e, φ_e]; then I, the discharge capacity Q
/// and, when lumped, the temperature T.
final class DFNConstants {
    // Mesh counts.
    let nn: Int, ns: Int, np: Int, nx: Int, nrN: Int, nrP: Int
    // Geometry [m]: node distances, widths, edge weights over the 60-node electrolyte mesh.
    let dx: [Double], dnode: [Double], beta: [Double]
    let hN: Double, hP: Double, lengthX: Double
    // Per-node material data across x.
    let eps: [Double], tor: [Double]
    // Particles: shell edges squared / shell volumes, radial spacing.
    let r2N: [Double], volN: [Double], hrN: Double
    let r2P: [Double], volP: [Double], hrP: Double
    let cmaxN: Double, cmaxP: Double, aN: Double, aP: Double
    let sigmaN: Double, sigmaP: Double, area: Double
    /// Aging film on the negative particles as a lumped series resistance [Ω]: R_film/(a_n L_n A)
    /// (``ParameterSet/negativeFilmResistanceName``; exact for a uniform reaction, see docs/aging.md).
    let filmResistance: Double
    let ce0: Double, tPlus: Double, chi: Double, tRef: Double
    // Thermal.
    let rhoCp: Double, cellVolume: Double, coolingCoefficient: Double, collectorResistance: Double
    let initialTemperature: Double
    let nominalCapacity: Double
    // Functions of the set (evaluated a few times per residual, never per unknown in a tight loop where avoidable).
    let ocpN, ocpP, dUdTN, dUdTP: @Sendable (Double) -> Double
    let diffusivityE, conductivityE: @Sendable (Double, Double) -> Double
    let diffusivityN, diffusivityP: @Sendable (Double, Double) -> Double
    let j0N, j0P: @Sendable (Double, Double, Double, Double) -> Double
    /// Whether D_s depends on the stoichiometry (otherwise it is evaluated once per residual at the cell T).
    let particleDiffusivityVaries: Bool

    // Layout.
    let n: Int
    let ceIndex: [Int], phiEIndex: [Int], phiSIndex: [Int], csIndex: [Int]
    let iIndex: Int, qIndex: Int, tIndex: Int
    let thermal: Bool

    init(parameters p: ParameterSet, mesh: CellMesh, thermal: ThermalOption) throws(ParameterError) {
        nn = mesh.negativeElectrode; ns = mesh.separator; np = mesh.positiveElectrode; nx = nn + ns + np
        nrN = mesh.negativeParticle; nrP = mesh.positiveParticle
        let lN = try p.scalar("Negative electrode thickness [m]"), lS = try p.scalar("Separator thickness [m]")
        let lP = try p.scalar("Positive electrode thickness [m]")
        lengthX = lN + lS + lP
        hN = lN / Double(nn); hP = lP / Double(np)
        let hS = lS / Double(ns)
        var dx = [Double](), centres = [Double]()
        for k in 0..<nx {
            let (h, start, i) = k < nn ? (hN, 0.0, k) : k < nn + ns ? (hS, lN, k - nn) : (hP, lN + lS, k - nn - ns)
            dx.append(h); centres.append(start + (Double(i) + 0.5) * h)
        }
        self.dx = dx
        dnode = (0..<(nx - 1)).map { centres[$0 + 1] - centres[$0] }
        beta = (0..<(nx - 1)).map { dx[$0] / (dx[$0] + dx[$0 + 1]) }
        let epsN = try p.scalar("Negative electrode porosity"), epsS = try p.scalar("Separator porosity")
        let epsP = try p.scalar("Positive electrode porosity")
        let torN = pow(epsN, try p.scalar("Negative electrode Bruggeman coefficient (electrolyte)"))
        let torS = pow(epsS, try p.scalar("Separator Bruggeman coefficient (electrolyte)"))
        let torP = pow(epsP, try p.scalar("Positive electrode Bruggeman coefficient (electrolyte)"))
        let (endN, endS) = (nn, nn + ns)
        eps = (0..<nx).map { $0 < endN ? epsN : $0 < endS ? epsS : epsP }
        tor = (0..<nx).map { $0 < endN ? torN : $0 < endS ? torS : torP }
        func shells(_ radius: Double, _ m: Int) -> ([Double], [Double], Double) {
            let h = radius / Double(m)
            let r2 = (0...m).map { (Double($0) * h) * (Double($0) * h) }
            let vol = (0..<m).map { (pow(Double($0 + 1) * h, 3) - pow(Double($0) * h, 3)) / 3 }
            return (r2, vol, h)
        }
        (r2N, volN, hrN) = shells(try p.scalar("Negative particle radius [m]"), nrN)
        (r2P, volP, hrP) = shells(try p.scalar("Positive particle radius [m]"), nrP)
        cmaxN = try p.scalar("Maximum concentration in negative electrode [mol.m-3]")
        cmaxP = try p.scalar("Maximum concentration in positive electrode [mol.m-3]")
        aN = 3 * (try p.scalar("Negative electrode active material volume fraction")) / (try p.scalar("Negative particle radius [m]"))
        aP = 3 * (try p.scalar("Positive electrode active material volume fraction")) / (try p.scalar("Positive particle radius [m]"))
        sigmaN = try p.scalar("Negative electrode conductivity [S.m-1]")
            * pow(1 - epsN, p.scalar("Negative electrode Bruggeman coefficient (electrode)"))
        sigmaP = try p.scalar("Positive electrode conductivity [S.m-1]")
            * pow(1 - epsP, p.scalar("Positive electrode Bruggeman coefficient (electrode)"))
        area = try p.scalar("Electrode width [m]") * p.scalar("Electrode height [m]")
            * p.scalar("Number of electrodes connected in parallel to make a cell", default: 1)
        filmResistance = try p.scalar(ParameterSet.negativeFilmResistanceName, default: 0) / (aN * lN * area)
        ce0 = try p.scalar("Initial concentration in electrolyte [mol.m-3]")
        tPlus = try p.scalar("Cation transference number")
        chi = 2 * (1 - tPlus) * (try p.scalar("Thermodynamic factor", default: 1))
        let ambient = try p.scalar("Ambient temperature [K]")
        tRef = try p.scalar("Reference temperature [K]", default: ambient)
        initialTemperature = try p.scalar("Initial temperature [K]", default: ambient)
        nominalCapacity = try p.scalar("Nominal cell capacity [A.h]")
        ocpN = try p.unaryFunction("Negative electrode OCP [V]")
        ocpP = try p.unaryFunction("Positive electrode OCP [V]")
        dUdTN = try Self.optionalUnary(p, "Negative electrode OCP entropic change [V.K-1]")
        dUdTP = try Self.optionalUnary(p, "Positive electrode OCP entropic change [V.K-1]")
        diffusivityE = try p.binaryFunction("Electrolyte diffusivity [m2.s-1]")
        conductivityE = try p.binaryFunction("Electrolyte conductivity [S.m-1]")
        diffusivityN = try p.binaryFunction("Negative particle diffusivity [m2.s-1]")
        diffusivityP = try p.binaryFunction("Positive particle diffusivity [m2.s-1]")
        j0N = try p.exchangeCurrentDensity("Negative electrode exchange-current density [A.m-2]")
        j0P = try p.exchangeCurrentDensity("Positive electrode exchange-current density [A.m-2]")
        var varies = false
        for s in [0.05, 0.3, 0.6, 0.95] {
            let dn = try p.binaryFunction("Negative particle diffusivity [m2.s-1]")
            let dp = try p.binaryFunction("Positive particle diffusivity [m2.s-1]")
            varies = varies || dn(s, ambient) != dn(0.5, ambient) || dp(s, ambient) != dp(0.5, ambient)
        }
        particleDiffusivityVaries = varies
        self.thermal = thermal == .lumped
        // Lumped thermal (spec §1.8).
        let lcn = try p.scalar("Negative current collector thickness [m]", default: 0)
        let lcp = try p.scalar("Positive current collector thickness [m]", default: 0)
        if self.thermal {
            var heatCapacity = 0.0
            for (d, l) in [("Negative current collector", lcn), ("Negative electrode", lN), ("Separator", lS),
                           ("Positive electrode", lP), ("Positive current collector", lcp)] {
                heatCapacity += try p.scalar("\(d) density [kg.m-3]") * p.scalar("\(d) specific heat capacity [J.kg-1.K-1]") * l
            }
            rhoCp = heatCapacity / (lcn + lN + lS + lP + lcp)
            cellVolume = try p.scalar("Cell volume [m3]")
            coolingCoefficient = try p.scalar("Total heat transfer coefficient [W.m-2.K-1]") * p.scalar("Cell cooling surface area [m2]")
            collectorResistance = try lcn / p.scalar("Negative current collector conductivity [S.m-1]")
                + lcp / p.scalar("Positive current collector conductivity [S.m-1]")
        } else {
            rhoCp = 1; cellVolume = 1; coolingCoefficient = 0
            collectorResistance = 0
        }
        // Layout, node by node.
        var ce = [Int](), phiE = [Int](), phiS = [Int](repeating: -1, count: nx), cs = [Int](repeating: -1, count: nx)
        var next = 0
        for k in 0..<nx {
            let nr = k < nn ? nrN : k >= nn + ns ? nrP : 0
            if nr > 0 { cs[k] = next; next += nr }
            ce.append(next); phiE.append(next + 1); next += 2
            if nr > 0 { phiS[k] = next; next += 1 }
        }
        ceIndex = ce; phiEIndex = phiE; phiSIndex = phiS; csIndex = cs
        iIndex = next; qIndex = next + 1
        tIndex = self.thermal ? next + 2 : -1
        n = next + (self.thermal ? 3 : 2)
    }

    static func optionalUnary(_ p: ParameterSet, _ name: String) throws(ParameterError) -> @Sendable (Double) -> Double {
        guard p.contains(name) else { return { _ in 0 } }
        return try p.unaryFunction(name)
    }

    /// Whether unknown `i` is differential (its residual row carries a0·y).
    func isDifferential(_ i: Int) -> Bool {
        i != iIndex && !phiEIndex.contains(i) && !phiSIndex.contains(i)
    }

    /// U(s, T) = U_ref(clip s) + (T − T_ref)·dU/dT(clip s) + U_asym(s) − U_asym(1 − s) (spec §1.1).
    @inline(__always)
    static func ocp(_ u: @Sendable (Double) -> Double, _ dUdT: @Sendable (Double) -> Double,
                    _ s: Double, _ t: Double, _ tRef: Double) -> Double {
        let x = min(max(s, 1e-10), 1 - 1e-10)
        return u(x) + (t == tRef ? 0 : (t - tRef) * dUdT(x)) + asymptote(s) - asymptote(1 - s)
    }

    /// PyBaMM's `U_asymptote_approaching_zero`, a smooth barrier below s ≈ 0.005.
    @inline(__always)
    static func asymptote(_ s: Double) -> Double {
        let a = 205.0568621937484, b = 6910.192179565431, c = -7.7e-4
        let limit = c - 36.7368005696771 / b
        if s > limit + 0.01 {
            let e = -b * (s - c)
            return e < -700 ? 0 : e < -40 ? a * exp(e) : a * log1p(exp(e))
        }
        return a * (log1p(exp(-b * (max(limit, s) - c))) - b * min(0, s - limit))
    }

    /// PyBaMM's RegPower(x, ½, scale): (x/s)·((x/s)² + 10⁻⁶)^(−¼)·√s.
    @inline(__always)
    static func regularisedSqrt(_ x: Double, scale: Double) -> Double {
        let y = x / scale
        return y / (y * y + 1e-6).squareRoot().squareRoot() * scale.squareRoot()
    }
}
