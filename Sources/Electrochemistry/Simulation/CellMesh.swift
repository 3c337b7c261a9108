/// Finite-volume counts of a cell model's mesh. PyBaMM's default is 20 uniform volumes in each of the
/// negative electrode, separator and positive electrode (x) and in each particle (r).
public struct CellMesh: Sendable, Equatable, Hashable {
    /// Volumes across the negative electrode.
    public var negativeElectrode: Int
    /// Volumes across the separator.
    public var separator: Int
    /// Volumes across the positive electrode.
    public var positiveElectrode: Int
    /// Volumes along the radius of a negative particle.
    public var negativeParticle: Int
    /// Volumes along the radius of a positive particle.
    public var positiveParticle: Int

    /// PyBaMM's default mesh (20 everywhere) unless counts are given.
    public init(negativeElectrode: Int = 20, separator: Int = 20, positiveElectrode: Int = 20,
                negativeParticle: Int = 20, positiveParticle: Int = 20) {
        self.negativeElectrode = negativeElectrode
        self.separator = separator
        self.positiveElectrode = positiveElectrode
        self.negativeParticle = negativeParticle
        self.positiveParticle = positiveParticle
    }

    /// Checks that every count is at least 2 (linear extrapolation to a boundary needs two nodes).
    public func validate() throws(ModelError) {
        for (name, count) in [("negative electrode", negativeElectrode), ("separator", separator),
                              ("positive electrode", positiveElectrode), ("negative particle", negativeParticle),
                              ("positive particle", positiveParticle)] where count < 2 {
            throw .invalidMesh(domain: name, volumes: count)
        }
    }
}
