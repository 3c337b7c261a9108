#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SingleParticleModel {
    /// The SEI film on the negative particles of an SPM/SPMe and what its rate needs.
    ///
    /// As in PyBaMM 26.10, the SPM grows one x-averaged film ("x-average side reactions": "true", the SPM's default)
    /// and the SPMe one film per negative node ("false", the default of every other model): L(x_q) with its own
    /// j_SEI(x_q). The particle is x-averaged in both, so it gives up the node mean ⟨j_SEI⟩.
    ///
    /// Coupling (PyBaMM's inverse Butler–Volmer form, `CurrentForInverseKinetics`): the total interfacial current
    /// density j_tot = I/(a_n L_n A) is fixed by the applied current; the main reaction carries j = j_tot − ⟨j_SEI⟩
    /// into the particle; the film adds η_film = −j_tot·L̄·R_SEI (L̄ = ⟨L⟩) to φ_s − φ_e, so V drops by
    /// I·L̄·R_SEI/(a_n L_n A). The surface potential difference the side reaction sees is
    ///
    /// ```
    /// SPM:   δφ = U_n + ⟨η_n⟩ + j_tot L̄ R_SEI
    /// SPMe:  δφ(x) = δφ̄ + (φ_s(x) − ⟨φ_s⟩) − χRT/F·(ln c_e(x) − ⟨ln c_e⟩) + (i/κ_n)·((x² − L_n²)/(2L_n) + L_n/3)
    /// ```
    ///
    /// (the composite φ_s, φ_e profiles of Marquis et al. 2019 on the negative nodes), and PyBaMM's
    /// η_SEI = δφ − U_SEI − j_tot·L(x)·R_SEI (its SEI submodel falls back on j_tot, the main j being unknown then).
    final class SEILayer {
        var kinetics: SEIKinetics
        /// Film nodes: 1 (SPM) or the negative electrode's volumes (SPMe).
        let count: Int
        /// Thickness per node [m], at the start of the sub-step under way, and the user snapshot.
        let local, localStart, localSaved: UnsafeMutableBufferPointer<Double>
        /// j_SEI per node [A.m-2] at the sub-step start; j_SEI at its end and the predicted thickness (scratch).
        let startDensity, endDensity, predicted: UnsafeMutableBufferPointer<Double>
        /// x-averaged SEI thickness ⟨L⟩ [m].
        var thickness: Double
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
            count = max(nodes, 1)
            local = zeroedBuffer(count); localStart = zeroedBuffer(count); localSaved = zeroedBuffer(count)
            startDensity = zeroedBuffer(count); endDensity = zeroedBuffer(count); predicted = zeroedBuffer(count)
            deviation = zeroedBuffer(count)
            for q in 0..<count {
                local[q] = kinetics.initialThickness; localStart[q] = local[q]; localSaved[q] = local[q]
            }
            thickness = kinetics.initialThickness
        }

        deinit {
            for b in [local, localStart, localSaved, startDensity, endDensity, predicted, deviation] { b.deallocate() }
        }

        /// The node mean of `b`, as b₀ + ⟨b − b₀⟩ (exact for a uniform film, so the loss starts at exactly 0).
        @inline(__always)
        func mean(_ b: UnsafeMutableBufferPointer<Double>) -> Double {
            let first = b[0]
            var s = 0.0
            for q in 0..<count { s += b[q] - first }
            return first + s / Double(count)
        }

        /// Copies `source` into `target`.
        @inline(__always)
        func copy(_ source: UnsafeMutableBufferPointer<Double>, to target: UnsafeMutableBufferPointer<Double>) {
            for q in 0..<count { target[q] = source[q] }
        }
    }

    /// Reads the SEI constants for `growth` (and the electrode volume) from `parameters`.
    static func makeSEILayer(_ growth: SEIGrowth, parameters p: ParameterSet, constants k: CellConstants,
                             nodes: Int) throws(ParameterError) -> SEILayer {
        let kinetics = try SEIKinetics(parameters: p, growth: growth, referenceTemperature: k.referenceTemperature)
        let volume = try k.lengthN * p.scalar("Electrode width [m]") * p.scalar("Electrode height [m]")
        return SEILayer(kinetics: kinetics, electrodeVolume: volume,
                        chi: 2 * (1 - k.transference) * k.thermodynamicFactor, nodes: nodes)
    }
}
