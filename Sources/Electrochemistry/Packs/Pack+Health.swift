/// Aging feedback: a long run updates each cell's health in place, keeping its state.
///
/// ECM cells take the health directly (``EquivalentCircuitModel/applyHealth(_:)``: capacity × q, resistances × r,
/// state of charge kept). Physics cells get their capacity-scaled set aged by the health
/// (``ParameterSet/aged(by:)``: LLI, LAM, film resistance) through ``SingleParticleModel/updateParameters(_:)``,
/// or ``DoyleFullerNewmanModel/updateParameters(_:)``, which keep the particle concentrations; the SoC read-out
/// then uses the aged set's electrode window.
extension Pack {
    /// Sets the health of cell `index` (string-major) to `health` (no spread is added: it is the cell's own).
    public func updateHealth(_ health: CellHealth, cell index: Int) throws(PackError) {
        guard cells.indices.contains(index) else { throw .cellCount(expected: cells.count, got: index) }
        let cell = cells[index]
        do throws(ModelError) {
            if let ecm = cell as? EquivalentCircuitModel {
                try ecm.applyHealth(health)
                cellCapacities[index] = ecm.capacity
            } else {
                let aged = try design.agedPhysics(health: health, capacityFactor: variations[index].capacityFactor,
                                                  ambientTemperature: ambientTemperature)
                let window: StoichiometryWindow
                do { window = try InitialState.window(parameters: aged) } catch {
                    throw .parameter(.outOfRange(name: "capacity retention", value: health.capacityRetention,
                                                 expected: "a state the electrode balance can reach (\(error))"))
                }
                if let spm = cell as? SingleParticleModel { try spm.updateParameters(aged) }
                else if let dfn = cell as? DoyleFullerNewmanModel { try dfn.updateParameters(aged) }
                windows[index] = window
                cellCapacities[index] = window.capacity
            }
        } catch {
            throw .cell(index: index, error)
        }
        self.health[index] = health
        cellOutputs[index] = cell.outputs
        slopesKnown = false
        summarise(iterations: outputs.iterations, balancingPower: outputs.balancingPower)
    }

    /// Sets every cell's health (one per cell, string-major).
    public func updateHealth(_ healths: [CellHealth]) throws(PackError) {
        guard healths.count == cells.count else { throw .cellCount(expected: cells.count, got: healths.count) }
        for (index, health) in healths.enumerated() where health != self.health[index] {
            try updateHealth(health, cell: index)
        }
    }

    /// Sets the pack's nominal health: each cell gets it with its own spread (``CellVariation/health(around:)``).
    public func updateHealth(_ health: CellHealth) throws(PackError) {
        var healths: [CellHealth] = []
        for (index, variation) in variations.enumerated() {
            do { healths.append(try variation.health(around: health)) } catch { throw .cell(index: index, error) }
        }
        try updateHealth(healths)
    }
}
