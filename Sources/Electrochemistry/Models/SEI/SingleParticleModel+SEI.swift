#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SingleParticleModel {
    /// The SEI growth law, or `nil` when the model has no SEI.
    public var seiGrowth: SEIGrowth? { sei?.kinetics.growth }

    /// x-averaged SEI thickness on the negative particles [m] (0 without SEI).
    public var seiThickness: Double { sei?.thickness ?? 0 }

    /// Capacity lost to SEI since the model was built [A.h], PyBaMM's "Loss of capacity to negative SEI [A.h]"
    /// (0 without SEI).
    public var seiCapacityLoss: Double {
        guard let layer = sei else { return 0 }
        return layer.kinetics.capacityLoss(thickness: layer.thickness, specificArea: negative.specificArea,
                                           electrodeVolume: layer.electrodeVolume)
    }

    public var agingOutputs: AgingOutputs? {
        guard sei != nil else { return nil }
        return AgingOutputs(seiThickness: seiThickness, seiCapacityLoss: seiCapacityLoss)
    }

    /// After the node thicknesses changed: ⟨L⟩ and the film resistance ⟨L⟩·R_SEI/(a_n L_n A) [Ω], which V loses with
    /// the bulk ohmic part (``ohmicResistance`` is the signed ∂V/∂I of those terms: bulk − film).
    func refreshSEIFilm(_ layer: SEILayer) {
        layer.thickness = layer.mean(layer.local)
        seiFilmResistance = layer.thickness * layer.kinetics.resistivity / (negative.specificArea * constants.lengthN * constants.area)
        ohmicResistance = bulkOhmicResistance - seiFilmResistance
    }

    /// Re-evaluates the temperature-dependent SEI constants: the Arrhenius factor and, for the SPMe, the
    /// per-ampere ohmic deviation of δφ on the negative nodes (κ_n = κ(c̄_e, T)·ε_n^b, σ_n effective).
    func updateSEITemperature(_ layer: SEILayer) {
        layer.arrhenius = layer.kinetics.arrhenius(temperature: temperature)
        guard let e = electrolyte else { return }
        let k = constants
        let kappa = k.conductivity(max(e.averageConcentration, 10), temperature) * k.torN
        let ln = k.lengthN
        var meanSolid = 0.0
        for q in 0..<e.countN {
            let x = e.nodes[q]
            meanSolid += x * (x - 2 * ln) / (2 * ln)
        }
        meanSolid /= Double(e.countN)
        for q in 0..<e.countN {
            let x = e.nodes[q]
            let solid = (x * (x - 2 * ln) / (2 * ln) - meanSolid) / k.sigmaN
            let liquid = ((x * x - ln * ln) / (2 * ln) + ln / 3) / kappa
            layer.deviation[q] = (solid + liquid) / k.area
        }
    }

    /// j_SEI [A.m-2] on each film node into `densities` at the prepared state, cell current `current` [A] and node
    /// thicknesses `nodes` [m]; returns the node mean ⟨j_SEI⟩.
    @inline(__always)
    func seiCurrentDensities(_ layer: SEILayer, current: Double, thickness nodes: UnsafeMutableBufferPointer<Double>,
                             into densities: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = layer.kinetics, count = layer.count
        let half = 0.5 / thermalVoltage, arrhenius = layer.arrhenius
        var sum = 0.0
        guard k.dependsOnPotential else {
            for q in 0..<count {
                densities[q] = arrhenius * k.currentDensity(overpotential: 0, thickness: nodes[q], halfInverseThermalVoltage: half)
                sum += densities[q]
            }
            return sum / Double(count)
        }
        let eta = ocvN + overpotentials(current: current).0 - k.openCircuitPotential
        guard let e = electrolyte, count > 1 else {
            densities[0] = arrhenius * k.currentDensity(overpotential: eta, thickness: nodes[0], halfInverseThermalVoltage: half)
            return densities[0]
        }
        // j_tot·R_SEI [V.m-1]: η_SEI carries j_tot·(L̄ − L(x))·R_SEI, L̄ in δφ̄ and L(x) in the film term.
        let film = current * k.resistivity / (negative.specificArea * constants.lengthN * constants.area)
        let average = layer.mean(nodes)
        var meanLog = 0.0
        for q in 0..<count { meanLog += e.logConcentration[q] }
        meanLog /= Double(count)
        let diffusionPotential = layer.chi * thermalVoltage
        for q in 0..<count {
            let local = eta + current * layer.deviation[q] - diffusionPotential * (e.logConcentration[q] - meanLog)
                + film * (average - nodes[q])
            densities[q] = arrhenius * k.currentDensity(overpotential: local, thickness: nodes[q], halfInverseThermalVoltage: half)
            sum += densities[q]
        }
        return sum / Double(count)
    }

    /// ⟨j_SEI⟩ [A.m-2] at the prepared state and the present film (uses the end-density scratch).
    func seiMeanCurrentDensity(_ layer: SEILayer, current: Double) -> Double {
        seiCurrentDensities(layer, current: current, thickness: layer.local, into: layer.endDensity)
    }

    /// Start of a sub-step at current `current`: keeps the film for a rewind and returns ⟨j_SEI⟩ there, which the
    /// negative particle's main reaction gives up over the sub-step (j = j_tot − ⟨j_SEI⟩).
    func beginSEISubstep(_ layer: SEILayer, current: Double) -> Double {
        layer.copy(layer.local, to: layer.localStart)
        if layer.kinetics.dependsOnPotential && !prepared { prepareVoltage() }
        return seiCurrentDensities(layer, current: current, thickness: layer.local, into: layer.startDensity)
    }

    /// End of a sub-step of length `h` [s] whose start mean side-current density was `startDensity`: Heun's method
    /// (explicit trapezoid) for dL_q/dt = −V̄ j_SEI,q/(F z) on each node, the end rates at the advanced particle and
    /// electrolyte state and the Euler-predicted film; the negative particle, which got the start ⟨j_SEI⟩, is corrected
    /// to the same trapezoidal mean, so the lithium it gives up matches the SEI formed. Returns the error norm of the
    /// step, max over nodes of ½h·|ṙ₁ − ṙ₀| (the Euler–Heun difference) over ``seiRelativeTolerance``·L.
    func finishSEISubstep(_ layer: SEILayer, h: Double, current: Double, startDensity: Double) -> Double {
        let k = layer.kinetics
        if k.dependsOnPotential { prepareVoltage() }
        for q in 0..<layer.count {
            layer.predicted[q] = layer.localStart[q] + h * k.thicknessRate(currentDensity: layer.startDensity[q])
        }
        let endDensity = seiCurrentDensities(layer, current: current, thickness: layer.predicted, into: layer.endDensity)
        var error = 0.0
        for q in 0..<layer.count {
            let r0 = k.thicknessRate(currentDensity: layer.startDensity[q])
            let r1 = k.thicknessRate(currentDensity: layer.endDensity[q])
            layer.local[q] = layer.localStart[q] + 0.5 * h * (r0 + r1)
            error = max(error, 0.5 * h * abs(r1 - r0) / (seiRelativeTolerance * layer.localStart[q]))
        }
        negative.addFlux(-0.5 * (endDensity - startDensity) / PhysicalConstants.faraday, h: h)
        prepared = false; overpotentialCache.valid = false
        refreshSEIFilm(layer)
        return error
    }
}
