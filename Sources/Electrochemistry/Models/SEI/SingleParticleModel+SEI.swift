#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SingleParticleModel {
    /// The SEI film on the negative particles of an SPM/SPMe: one x-averaged thickness L (PyBaMM's
    /// "x-average side reactions", the default of both models) and what its rate needs.
    ///
    /// Coupling (PyBaMM's inverse Butler–Volmer form, `CurrentForInverseKinetics`): the total interfacial current
    /// density j_tot = I/(a_n L_n A) is fixed by the applied current; the main reaction carries j = j_tot − ⟨j_SEI⟩
    /// into the particle; the film adds η_film = −j_tot·L·R_SEI to φ_s − φ_e, so V drops by I·L·R_SEI/(a_n L_n A).
    /// The surface potential difference seen by the side reaction is
    ///
    /// ```
    /// SPM:   δφ = U_n + ⟨η_n⟩ + j_tot L R_SEI
    /// SPMe:  δφ(x) = δφ̄ + (φ_s(x) − ⟨φ_s⟩) − χRT/F·(ln c_e(x) − ⟨ln c_e⟩) + (i/κ_n)·((x² − L_n²)/(2L_n) + L_n/3)
    /// ```
    ///
    /// (the composite φ_s, φ_e profiles of Marquis et al. 2019 on the negative nodes), and
    /// η_SEI = δφ − U_SEI − j·L·R_SEI: the film terms cancel up to j_SEI·L·R_SEI (~10⁻⁸ V, left out).
    /// ⟨j_SEI⟩ is the mean of the nodal j_SEI(x).
    final class SEILayer {
        var kinetics: SEIKinetics
        /// x-averaged SEI thickness [m], its value at the start of the sub-step under way and the user snapshot.
        var thickness: Double
        var start = 0.0, saved = 0.0
        /// Arrhenius factor at the present temperature.
        var arrhenius = 1.0
        /// L_n·L_y·L_z [m3], PyBaMM's volume in "Loss of lithium to negative SEI [mol]".
        var electrodeVolume: Double
        /// χ = 2(1 − t⁺)·thermodynamic factor, for the SPMe concentration term.
        var chi: Double
        /// SPMe: δφ(x_q) − δφ̄ per ampere from the ohmic φ_s and φ_e profiles on the negative nodes [V.A-1].
        let deviation: UnsafeMutableBufferPointer<Double>

        init(kinetics: SEIKinetics, electrodeVolume: Double, chi: Double, nodes: Int) {
            self.kinetics = kinetics
            self.electrodeVolume = electrodeVolume
            self.chi = chi
            thickness = kinetics.initialThickness
            start = thickness
            saved = thickness
            deviation = zeroedBuffer(nodes)
        }

        deinit { deviation.deallocate() }
    }

    /// Reads the SEI constants for `growth` (and the electrode volume) from `parameters`.
    static func makeSEILayer(_ growth: SEIGrowth, parameters p: ParameterSet, constants k: CellConstants,
                             nodes: Int) throws(ParameterError) -> SEILayer {
        let kinetics = try SEIKinetics(parameters: p, growth: growth, referenceTemperature: k.referenceTemperature)
        let volume = try k.lengthN * p.scalar("Electrode width [m]") * p.scalar("Electrode height [m]")
        return SEILayer(kinetics: kinetics, electrodeVolume: volume,
                        chi: 2 * (1 - k.transference) * k.thermodynamicFactor, nodes: nodes)
    }

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

    /// Sets L and the film resistance L·R_SEI/(a_n L_n A) [Ω], which V loses with the bulk ohmic part
    /// (``ohmicResistance`` is the signed ∂V/∂I of those terms: bulk − film).
    func setSEIThickness(_ layer: SEILayer, _ value: Double) {
        layer.thickness = value
        seiFilmResistance = value * layer.kinetics.resistivity / (negative.specificArea * constants.lengthN * constants.area)
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

    /// ⟨j_SEI⟩ [A.m-2] at the prepared state, cell current `current` [A] and film thickness `thickness` [m].
    @inline(__always)
    func seiCurrentDensity(_ layer: SEILayer, current: Double, thickness: Double) -> Double {
        let k = layer.kinetics
        let half = 0.5 / thermalVoltage
        guard k.dependsOnPotential else {
            return layer.arrhenius * k.currentDensity(overpotential: 0, thickness: thickness, halfInverseThermalVoltage: half)
        }
        let eta = ocvN + overpotentials(current: current).0 - k.openCircuitPotential
        guard let e = electrolyte else {
            return layer.arrhenius * k.currentDensity(overpotential: eta, thickness: thickness, halfInverseThermalVoltage: half)
        }
        let count = e.countN
        var meanLog = 0.0
        for q in 0..<count { meanLog += e.logConcentration[q] }
        meanLog /= Double(count)
        let diffusionPotential = layer.chi * thermalVoltage
        var sum = 0.0
        for q in 0..<count {
            let local = eta + current * layer.deviation[q] - diffusionPotential * (e.logConcentration[q] - meanLog)
            sum += k.currentDensity(overpotential: local, thickness: thickness, halfInverseThermalVoltage: half)
        }
        return layer.arrhenius * sum / Double(count)
    }

    /// Start of a sub-step at current `current`: keeps L for a rewind and returns ⟨j_SEI⟩ there, which the
    /// negative particle's main reaction gives up over the sub-step (j = j_tot − ⟨j_SEI⟩).
    func beginSEISubstep(_ layer: SEILayer, current: Double) -> Double {
        layer.start = layer.thickness
        if layer.kinetics.dependsOnPotential && !prepared { prepareVoltage() }
        return seiCurrentDensity(layer, current: current, thickness: layer.thickness)
    }

    /// End of a sub-step of length `h` [s] whose start side-current density was `startDensity`: Heun's method
    /// (explicit trapezoid) for dL/dt = −V̄ ⟨j_SEI⟩/(F z), the end rate at the advanced particle and electrolyte
    /// state and the Euler-predicted L; the negative particle, which got the start ⟨j_SEI⟩, is corrected to the
    /// same trapezoidal mean, so the lithium the particle gives up matches the SEI formed. Returns the error norm
    /// of the step, ½h·|ṙ₁ − ṙ₀| (the Euler–Heun difference) over ``seiRelativeTolerance``·L.
    func finishSEISubstep(_ layer: SEILayer, h: Double, current: Double, startDensity: Double) -> Double {
        let k = layer.kinetics
        let startRate = k.thicknessRate(currentDensity: startDensity)
        if k.dependsOnPotential { prepareVoltage() }
        let predicted = layer.start + h * startRate
        let endDensity = seiCurrentDensity(layer, current: current, thickness: predicted)
        let endRate = k.thicknessRate(currentDensity: endDensity)
        negative.addFlux(-0.5 * (endDensity - startDensity) / PhysicalConstants.faraday, h: h)
        prepared = false; overpotentialCache.valid = false
        setSEIThickness(layer, layer.start + 0.5 * h * (startRate + endRate))
        return 0.5 * h * abs(endRate - startRate) / (seiRelativeTolerance * layer.start)
    }
}
