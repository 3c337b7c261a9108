/// NREL BLAST-Lite's `Nmc811_GrSi_LGMJ1_4Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/nmc811_grSi_LGMJ1_4Ah_2020.py`): LG MJ1 18650 (NMC811 | graphite-SiOx, 3.5 Ah),
/// fitted to the EU EVERLASTING project's aging data (report D2.3, 2020).
/// Form: ``BlastLiteArrheniusPowerLaw``.
public typealias BlastLiteNmc811GrSiLGMJ1 = BlastLiteArrheniusPowerLaw<BlastLiteNmc811GrSiLGMJ1Coefficients>

/// Fitted coefficients of ``BlastLiteNmc811GrSiLGMJ1``.
public enum BlastLiteNmc811GrSiLGMJ1Coefficients: BlastLiteArrheniusPowerLawCoefficients {
    public static let className = "Nmc811_GrSi_LGMJ1_4Ah_Battery"
    public static let calendar = (a: 0.0353, b: -1.03e+03, c: 57.7, p: 0.743)
    public static let cycling = (a: 1.77e-07, b: 8.08e-13, c: 2.21e-07, d: 2.25e+03, e: 1.14e+04, p: 0.695)
}
