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
        // Arrays and functions held in locals: one retain per residual instead of one per access.
        let (ceIndex, phiEIndex, phiSIndex, csIndex) = (k.ceIndex, k.phiEIndex, k.phiSIndex, k.csIndex)
        let (eps, tor, dx, dnode, beta) = (k.eps, k.tor, k.dx, k.dnode, k.beta)
        let (r2N, r2P, volN, volP) = (k.r2N, k.r2P, k.volN, k.volP)
        let (conductivityE, diffusivityE) = (k.conductivityE, k.diffusivityE)
        let (ocpN, ocpP, dUdTN, dUdTP) = (k.ocpN, k.ocpP, k.dUdTN, k.dUdTP)
        let (diffusivityN, diffusivityP) = (k.diffusivityN, k.diffusivityP)
        let temperature = k.thermal ? z[k.tIndex] : ambientTemperature
        let rtf = PhysicalConstants.gasConstant * temperature / PhysicalConstants.faraday
        let faraday = PhysicalConstants.faraday
        let current = z[k.iIndex], icc = current / k.area
        // j0 = k(T)·R(c_e)·R(c_s)·R(c_max − c_s) with the DFN's RegPower scales (spec §1.4).
        let rateN = k.j0N(1, 1, 2, temperature), rateP = k.j0P(1, 1, 2, temperature)
        let computeHeat = heat || k.thermal
        let particleDN = k.particleDiffusivityVaries ? 0 : diffusivityN(0.5, temperature)
        let particleDP = k.particleDiffusivityVaries ? 0 : diffusivityP(0.5, temperature)
        // Electrolyte node fields.
        for q in 0..<nx {
            let c = z[ceIndex[q]] / eps[q]
            ce[q] = c
            let cc = max(c, 10)
            kappa[q] = conductivityE(cc, temperature) * tor[q]
            diffE[q] = diffusivityE(cc, temperature) * tor[q]
            chiTerm[q] = rtf * k.chi / max(c, 1e-2)
        }
        // Kinetics per electrode node and particle rows.
        for q in 0..<nx where csIndex[q] >= 0 {
            let negative = q < nn
            let base = csIndex[q], m = negative ? k.nrN : k.nrP
            let cmax = negative ? k.cmaxN : k.cmaxP
            let cs = 1.5 * z[base + m - 1] - 0.5 * z[base + m - 2]
            surface[q] = cs
            let sto = cs / cmax
            let u = negative ? DFNConstants.ocp(ocpN, dUdTN, sto, temperature, k.tRef)
                             : DFNConstants.ocp(ocpP, dUdTP, sto, temperature, k.tRef)
            let csc = min(max(cs, 0), cmax)
            let j0 = (negative ? rateN : rateP) * DFNConstants.regularisedSqrt(max(ce[q], 0), scale: k.ce0)
                * DFNConstants.regularisedSqrt(csc, scale: cmax) * DFNConstants.regularisedSqrt(cmax - csc, scale: cmax)
            let eta = z[phiSIndex[q]] - z[phiEIndex[q]] - u
            overpotential[q] = eta
            let j = 2 * j0 * sinh(0.5 * eta / rtf)
            flux[q] = j
            if computeHeat {
                let s = min(max(sto, 1e-10), 1 - 1e-10)
                entropic[q] = negative ? dUdTN(s) : dUdTP(s)
            }
            if algebraicOnly {
                for i in 0..<m { r[base + i] = 0 }
                continue
            }
            // Spherical finite volumes; interior N = −D (c_{i+1} − c_i)/h_r, surface N = j/F (spec §2.2).
            let r2 = negative ? r2N : r2P, vol = negative ? volN : volP
            let hr = negative ? k.hrN : k.hrP
            var fluxIn = 0.0
            for i in 0..<m {
                var fluxOut: Double
                if i == m - 1 {
                    fluxOut = j / faraday
                } else {
                    let d: Double
                    if k.particleDiffusivityVaries {
                        let f = negative ? diffusivityN : diffusivityP
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
            let b = beta[e]
            let kap = (1 - b) * kappa[e] + b * kappa[e + 1]
            let qe = 1 / (b / chiTerm[e] + (1 - b) / chiTerm[e + 1])
            let gc = (ce[e + 1] - ce[e]) / dnode[e]
            let gp = (z[phiEIndex[e + 1]] - z[phiEIndex[e]]) / dnode[e]
            let ie = kap * (qe * gc - gp)
            let dh = 1 / (b / diffE[e] + (1 - b) / diffE[e + 1])
            edgeCurrent[e + 1] = ie
            edgeFlux[e + 1] = -dh * gc + k.tPlus * ie / faraday
        }
        for q in 0..<nx {
            let aj = q < nn ? k.aN * flux[q] : q >= nn + ns ? k.aP * flux[q] : 0
            let ci = ceIndex[q]
            r[ci] = algebraicOnly ? 0
                : a0 * z[ci] - hist[ci] + (edgeFlux[q + 1] - edgeFlux[q]) / dx[q] - aj / faraday
            r[phiEIndex[q]] = (edgeCurrent[q + 1] - edgeCurrent[q]) / dx[q] - aj
        }
        // Solid phase: φ_s,n(0) = 0 by a ghost node; i_s = I/A at x = L (spec §1.5).
        var ohmicSolid = 0.0
        for q in 0..<nn {
            let p = z[phiSIndex[q]]
            let gl = q == 0 ? 2 * p / k.hN : (p - z[phiSIndex[q - 1]]) / k.hN
            let gr = q == nn - 1 ? 0 : (z[phiSIndex[q + 1]] - p) / k.hN
            r[phiSIndex[q]] = -k.sigmaN * (gr - gl) / k.hN + k.aN * flux[q]
            if computeHeat { ohmicSolid += k.sigmaN * 0.25 * (gl + gr) * (gl + gr) * dx[q] }
        }
        for q in (nn + ns)..<nx {
            let p = z[phiSIndex[q]]
            let gl = q == nn + ns ? 0 : (p - z[phiSIndex[q - 1]]) / k.hP
            let gr = q == nx - 1 ? -icc / k.sigmaP : (z[phiSIndex[q + 1]] - p) / k.hP
            r[phiSIndex[q]] = -k.sigmaP * (gr - gl) / k.hP + k.aP * flux[q]
            if computeHeat { ohmicSolid += k.sigmaP * 0.25 * (gl + gr) * (gl + gr) * dx[q] }
        }
        let v = 1.5 * z[phiSIndex[nx - 1]] - 0.5 * z[phiSIndex[nx - 2]] - k.filmResistance * current
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
                let gl = q == 0 ? 0 : (z[phiEIndex[q]] - z[phiEIndex[q - 1]]) / dnode[q - 1]
                let gr = q == nx - 1 ? 0 : (z[phiEIndex[q + 1]] - z[phiEIndex[q]]) / dnode[q]
                total += -0.5 * (edgeCurrent[q] + edgeCurrent[q + 1]) * 0.5 * (gl + gr) * dx[q]
                if csIndex[q] >= 0 {
                    let a = q < nn ? k.aN : k.aP
                    total += a * flux[q] * (overpotential[q] + temperature * entropic[q]) * dx[q]
                }
            }
            heatValue = (total + k.collectorResistance * icc * icc) * k.area + k.filmResistance * current * current
        }
        if k.thermal {
            let t = k.tIndex
            r[t] = algebraicOnly ? 0
                : a0 * z[t] - hist[t] - (heatValue - k.coolingCoefficient * (temperature - ambientTemperature))
                    / (k.cellVolume * k.rhoCp)
        }
    }
}
