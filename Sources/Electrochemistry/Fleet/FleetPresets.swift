/// Named fleets for experiments and tests.
///
/// - `leaf-2nd-life-16`: 16 packs of Nissan Leaf (AESC, LMO | graphite) second-life modules: each pack is 8 Leaf
///   modules in series, i.e. 16 series elements of one module half (two 33.1 A.h cells in parallel, 66 A.h,
///   modelled as one 66 A.h cell: "16s1p"), about 4 kWh new; SoH uniform in 0.60–0.95 (the spec default). The cells
///   age with BLAST-Lite's `Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery`; electrically they use the NMC stand-in
///   (``FleetChemistry``).
/// - `mixed-lfp-nmc-64`: 64 packs, half LFP prismatic (100–280 A.h cells, 16s1p, the 51.2 V rack module), half NMC
///   EV modules (50–94 A.h cells, 12s2p or 14s1p).
/// - `small-mixed-4`: 4 small packs (4s2p) of all three chemistries, for tests and demos.
/// - `lfp-rack-8`: 8 LFP rack modules (16s1p of 280 A.h), SoH normal around 0.82.
extension FleetSpec {
    /// The presets by name.
    public static let presets: [String: FleetSpec] = Dictionary(uniqueKeysWithValues: presetList.map { ($0.name, $0) })

    /// Preset names, sorted.
    public static var presetNames: [String] { presets.keys.sorted() }

    /// The preset `name`; throws an error listing the known presets when there is none.
    public static func preset(named name: String) throws(FleetSpecError) -> FleetSpec {
        guard let spec = presets[name] else {
            throw FleetSpecError(field: "preset", message: "unknown preset '\(name)'; known: \(presetNames.joined(separator: ", "))")
        }
        return spec
    }

    private static let presetList: [FleetSpec] = [
        FleetSpec(name: "leaf-2nd-life-16", count: 16, chemistries: [
            Share(chemistry: .lmo, weight: 1, cellCapacity: ValueRange(66), layouts: [layout(16, 1)]),
        ]),
        FleetSpec(name: "mixed-lfp-nmc-64", count: 64, chemistries: [
            Share(chemistry: .lfp, weight: 1, cellCapacity: ValueRange(100, 280), layouts: [layout(16, 1)]),
            Share(chemistry: .nmc, weight: 1, cellCapacity: ValueRange(50, 94), layouts: [layout(12, 2), layout(14, 1)]),
        ]),
        FleetSpec(name: "small-mixed-4", count: 4, chemistries: [
            Share(chemistry: .lfp, weight: 1, cellCapacity: ValueRange(2.3), layouts: [layout(4, 2)]),
            Share(chemistry: .nmc, weight: 1, cellCapacity: ValueRange(5), layouts: [layout(4, 2)]),
            Share(chemistry: .lmo, weight: 1, cellCapacity: ValueRange(66), layouts: [layout(4, 2)]),
        ], initialStateOfCharge: ValueRange(0.4, 0.6)),
        FleetSpec(name: "lfp-rack-8", count: 8, chemistries: [
            Share(chemistry: .lfp, weight: 1, cellCapacity: ValueRange(280), layouts: [layout(16, 1)]),
        ], healthDistribution: .normal(mean: 0.82, standardDeviation: 0.05)),
    ]

    private static func layout(_ s: Int, _ p: Int) -> PackLayout { try! PackLayout(series: s, parallel: p) }
}
