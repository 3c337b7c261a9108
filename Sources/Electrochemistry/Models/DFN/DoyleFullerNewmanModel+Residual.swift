#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DoyleFullerNewmanModel {
    /// The implicit residual r(z) of one BDF stage (spec §1.5, §1.8, §2):
    /// differential rows a0·y − hist − f(y, z), algebraic rows g(y, z), the drive row, and (lumped) the heat balance.
    /// With `algebraicOnly` the differential rows are 0 (the consistent-initialisation solve at fixed y).
    /// Fills the per-node fields (j, η, i_e, surface concentrations) as a side effect; with `heat` also the heat [W].
    func residual(_ z: UnsafeMutablePointer<Double>, _ r: UnsafeMutablePointer<Double>, a0: Double,
                  algebraicOnly: Bool, heat: Bool = false) {
        statistics.residuals += 1
        let k = constants
        let nx = k.nx, nn = k.nn, ns = k.ns
        let temperature = k.thermal ? z[k.tIndex] : ambientTemperature
        let rtf = PhysicalConstants.gasConstant * temperature / PhysicalConstants.faraday
        let faraday = PhysicalConstants.faraday
        let current = z[k.iIndex], icc = current / k.area
        // j0 = k(T)·R(c_e)·R(c_s)·R(c_max − c_s) with the DFN's RegPower scales (spec §1.4).
        let rateN = k.j0N(1, 1, 2, temperature), rateP = k.j0P(1, 1, 2, temperature)
        let computeHeat = heat || k.thermal
        let particleDN = k.particleDiffusivityVaries ? 0 : k.diffusivityN(0.5, temperature)
        let particleDP = k.particleDiffusivityVaries ? 0 : k.diffusivityP(0.5, temperature)
        // Electrolyte node fields.
        for q in 0..<nx {
            let c = z[k.ceIndex[q]] / k.eps[q]
            ce[q] = c
            let cc = max(c, 10)
            kappa[q] = k.conductivityE(cc, temperature) * k.tor[q]
            diffE[q] = k.diffusivityE(cc, temperature) * k.tor[q]
            chiTerm[q] = rtf * k.chi / max(c, 1e-2)
        }
        // Kinetics per electrode node and particle rows.
        for q in 0..<nx where k.csIndex[q] >= 0 {
            let negative = q < nn
            let base = k.csIndex[q], m = negative ? k.nrN : k.nrP
            let cmax = negative ? k.cmaxN : k.cmaxP
            let cs = 1.5 * z[base + m - 1] - 0.5 * z[base + m - 2]
            surface[q] = cs
            let sto = cs / cmax
            let u = negative ? DFNConstants.ocp(k.ocpN, k.dUdTN, sto, temperature, k.tRef)
                             : DFNConstants.ocp(k.ocpP, k.dUdTP, sto, temperature, k.tRef)
            let csc = min(max(cs, 0), cmax)
            let j0 = (negative ? rateN : rateP) * DFNConstants.regularisedSqrt(max(ce[q], 0), scale: k.ce0)
                * DFNConstants.regularisedSqrt(csc, scale: cmax) * DFNConstants.regularisedSqrt(cmax - csc, scale: cmax)
            let eta = z[k.phiSIndex[q]] - z[k.phiEIndex[q]] - u
            overpotential[q] = eta
            let j = 2 * j0 * sinh(0.5 * eta / rtf)
            flux[q] = j
            if computeHeat {
                let s = min(max(sto, 1e-10), 1 - 1e-10)
                entropic[q] = negative ? k.dUdTN(s) : k.dUdTP(s)
            }
            if algebraicOnly {
                for i in 0..<m { r[base + i] = 0 }
                continue
            }
            // Spherical finite volumes; interior N = −D (c_{i+1} − c_i)/h_r, surface N = j/F (spec §2.2).
            let r2 = negative ? k.r2N : k.r2P, vol = negative ? k.volN : k.volP
            let hr = negative ? k.hrN : k.hrP
            var fluxIn = 0.0
            for i in 0..<m {
                var fluxOut: Double
                if i == m - 1 {
                    fluxOut = j / faraday
                } else {
                    let d: Double
                    if k.particleDiffusivityVaries {
                        let f = negative ? k.diffusivityN : k.diffusivityP
                        let d0 = f(min(max(z[base + i] / cmax, 1e-10), 1 - 1e-10), temperature)
                        let d1 = f(min(max(z[base + i + 1] / cmax, 1e-10), 1 - 1e-10), temperature)
                        d = 2 / (1 / d0 + 1 / d1)
                    } else {
                        d = negative ? particleDN : particleDP
                    }
                    fluxOut = -d * (z[base + i + 1] - z[base + i]) / hr
                }
                let f = -(r2[i + 1] * fluxOut - r2[i] * fluxIn) / vol[i]
                r[base + i] = a0 * z[base + i] - hist[base + i] - f
                fluxIn = fluxOut
            }
        }
        // Electrolyte edge currents and fluxes (harmonic / weighted-arithmetic means, spec §2.2).
        edgeCurrent[0] = 0; edgeFlux[0] = 0; edgeCurrent[nx] = 0; edgeFlux[nx] = 0
        for e in 0..<(nx - 1) {
            let b = k.beta[e]
            let kap = (1 - b) * kappa[e] + b * kappa[e + 1]
            let qe = 1 / (b / chiTerm[e] + (1 - b) / chiTerm[e + 1])
            let gc = (ce[e + 1] - ce[e]) / k.dnode[e]
            let gp = (z[k.phiEIndex[e + 1]] - z[k.phiEIndex[e]]) / k.dnode[e]
            let ie = kap * (qe * gc - gp)
            let dh = 1 / (b / diffE[e] + (1 - b) / diffE[e + 1])
            edgeCurrent[e + 1] = ie
            edgeFlux[e + 1] = -dh * gc + k.tPlus * ie / faraday
        }
        for q in 0..<nx {
            let aj = q < nn ? k.aN * flux[q] : q >= nn + ns ? k.aP * flux[q] : 0
            let ci = k.ceIndex[q]
            r[ci] = algebraicOnly ? 0
                : a0 * z[ci] - hist[ci] + (edgeFlux[q + 1] - edgeFlux[q]) / k.dx[q] - aj / faraday
            r[k.phiEIndex[q]] = (edgeCurrent[q + 1] - edgeCurrent[q]) / k.dx[q] - aj
        }
        // Solid phase: φ_s,n(0) = 0 by a ghost node; i_s = I/A at x = L (spec §1.5).
        var ohmicSolid = 0.0
        for q in 0..<nn {
            let p = z[k.phiSIndex[q]]
            let gl = q == 0 ? 2 * p / k.hN : (p - z[k.phiSIndex[q - 1]]) / k.hN
            let gr = q == nn - 1 ? 0 : (z[k.phiSIndex[q + 1]] - p) / k.hN
            r[k.phiSIndex[q]] = -k.sigmaN * (gr - gl) / k.hN + k.aN * flux[q]
            if computeHeat { ohmicSolid += k.sigmaN * 0.25 * (gl + gr) * (gl + gr) * k.dx[q] }
        }
        for q in (nn + ns)..<nx {
            let p = z[k.phiSIndex[q]]
            let gl = q == nn + ns ? 0 : (p - z[k.phiSIndex[q - 1]]) / k.hP
            let gr = q == nx - 1 ? -icc / k.sigmaP : (z[k.phiSIndex[q + 1]] - p) / k.hP
            r[k.phiSIndex[q]] = -k.sigmaP * (gr - gl) / k.hP + k.aP * flux[q]
            if computeHeat { ohmicSolid += k.sigmaP * 0.25 * (gl + gr) * (gl + gr) * k.dx[q] }
        }
        let v = 1.5 * z[k.phiSIndex[nx - 1]] - 0.5 * z[k.phiSIndex[nx - 2]]
        voltageValue = v
        switch drive {
        case .current(let set): r[k.iIndex] = current - set
        case .voltage(let set): r[k.iIndex] = v - set
        case .power(let set): r[k.iIndex] = current * v - set
        case .resistance(let set): r[k.iIndex] = v - set * current
        }
        r[k.qIndex] = algebraicOnly ? 0 : a0 * z[k.qIndex] - hist[k.qIndex] - current / 3600
        if computeHeat {
            // Q_W = A·[Σ (Q_ohm,s + Q_ohm,e + a j η + a j T dU/dT) Δx + L_cc i²/σ_cc] (spec §1.8).
            var total = ohmicSolid
            for q in 0..<nx {
                let gl = q == 0 ? 0 : (z[k.phiEIndex[q]] - z[k.phiEIndex[q - 1]]) / k.dnode[q - 1]
                let gr = q == nx - 1 ? 0 : (z[k.phiEIndex[q + 1]] - z[k.phiEIndex[q]]) / k.dnode[q]
                total += -0.5 * (edgeCurrent[q] + edgeCurrent[q + 1]) * 0.5 * (gl + gr) * k.dx[q]
                if k.csIndex[q] >= 0 {
                    let a = q < nn ? k.aN : k.aP
                    total += a * flux[q] * (overpotential[q] + temperature * entropic[q]) * k.dx[q]
                }
            }
            heatValue = (total + k.collectorResistance * icc * icc) * k.area
        }
        if k.thermal {
            let t = k.tIndex
            r[t] = algebraicOnly ? 0
                : a0 * z[t] - hist[t] - (heatValue - k.coolingCoefficient * (temperature - ambientTemperature))
                    / (k.cellVolume * k.rhoCp)
        }
    }
}
