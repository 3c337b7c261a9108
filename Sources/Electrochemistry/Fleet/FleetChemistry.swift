/// The cell chemistries of a second-life fleet, with the models this package uses for each.
///
/// Electrical model (``design``): NMC uses Chen2020 (LG M50, NMC811 | graphite-SiOx; the SPMe-fitted Thevenin set
/// for the ECM), LFP uses Prada2013 (A123 26650, LFP | graphite), each scaled to the sampled cell capacity
/// (``CellDesign/scaled(toCapacity:)``). **LMO has no parameter set in this package**: its cells use the NMC
/// (Chen2020) electrical set as a stand-in. This is a documented limitation, not a fit: the NMC open-circuit
/// voltage curve (2.5–4.2 V) is close to, but not, the LMO/NMC-blend curve of a Nissan Leaf cell (about 3.0–4.15 V
/// with a flatter middle), so pack voltages and power limits of LMO packs are approximate. The aging model
/// (``agingModel``) is chemistry-specific: BLAST-Lite's fitted fade models (Smith et al., NREL, BLAST-Lite 1.1).
public enum FleetChemistry: String, Sendable, CaseIterable, Hashable {
    /// Lithium iron phosphate | graphite.
    case lfp
    /// Nickel manganese cobalt oxide | graphite(-silicon).
    case nmc
    /// Lithium manganese oxide (Nissan Leaf 2011–2017 cells) | graphite.
    case lmo

    /// The BLAST-Lite model name whose fade this chemistry's cells follow.
    public var agingModel: String {
        switch self {
        case .lfp: return "Lfp_Gr_250AhPrismatic"
        case .nmc: return "Nmc811_GrSi_LGM50_5Ah_Battery"
        case .lmo: return "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery"
        }
    }

    /// Nominal cell voltage [V] for energy figures (datasheet values: A123 3.2 V, LG M50 3.63 V, AESC Leaf 3.75 V).
    public var nominalVoltage: Double {
        switch self {
        case .lfp: return 3.2
        case .nmc: return 3.63
        case .lmo: return 3.75
        }
    }

    /// The electrical cell design at its source capacity (LMO: the NMC stand-in, see the type's documentation).
    public var design: CellDesign {
        switch self {
        case .lfp: return .lfp
        case .nmc, .lmo: return .nmc
        }
    }

    /// Whether ``design`` is a stand-in for a chemistry without its own parameter set.
    public var usesStandInElectricalModel: Bool { self == .lmo }
}
