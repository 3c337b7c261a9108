extension DoyleFullerNewmanModel {
    /// Recompiles the model for a changed parameter set — a faded capacity (electrode area, active material),
    /// grown resistances, other transport or kinetic values — without rebuilding it or reallocating its buffers.
    ///
    /// Kept: the mesh, the thermal option, the time, the particle and electrolyte concentrations (mol/m³), the
    /// temperature and the discharge capacity. The Jacobian's sparsity depends only on the mesh, so its colouring
    /// and the block solver's structure stay; the cached partials are dropped, the integrator restarts, and the
    /// potentials (and the current of an algebraic drive) are solved afresh for the new parameters.
    public func updateParameters(_ parameters: ParameterSet) throws(ModelError) {
        let old = constants
        let mesh = CellMesh(negativeElectrode: old.nn, separator: old.ns, positiveElectrode: old.np,
                            negativeParticle: old.nrN, positiveParticle: old.nrP)
        let k: DFNConstants
        do {
            k = try DFNConstants(parameters: parameters, mesh: mesh, thermal: old.thermal ? .lumped : .isothermal)
        } catch {
            throw .parameter(error)
        }
        constants = k
        for q in 0..<k.nx {
            if k.csIndex[q] >= 0 {
                let cmax = q < k.nn ? k.cmaxN : k.cmaxP
                for i in 0..<(q < k.nn ? k.nrN : k.nrP) { scale[k.csIndex[q] + i] = cmax }
            }
            scale[k.ceIndex[q]] = k.eps[q] * k.ce0
        }
        scale[k.iIndex] = k.nominalCapacity
        scale[k.qIndex] = k.nominalCapacity
        partialsValid = false
        partialsCurrent = false
        historyCount = 0  // `begin` then re-initialises even under the same drive
        try begin(drive)
    }
}
