/// NREL BLAST-Lite's `Nca_Gr_Panasonic3Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/nca_gr_Panasonic3Ah_2018.py`): Panasonic NCR18650B (NCA | graphite, 3.2 Ah); calendar
/// data of Keil et al., J. Electrochem. Soc. 163 (2016) A1872 (doi:10.1149/2.0411609jes), cycling data
/// of Preger et al., J. Electrochem. Soc. 167 (2020) 120532 (doi:10.1149/1945-7111/abae37).
/// Form: ``BlastLiteArrheniusPowerLaw``.
public typealias BlastLiteNcaGrPanasonic3Ah = BlastLiteArrheniusPowerLaw<BlastLiteNcaGrPanasonic3AhCoefficients>

/// Fitted coefficients of ``BlastLiteNcaGrPanasonic3Ah``.
public enum BlastLiteNcaGrPanasonic3AhCoefficients: BlastLiteArrheniusPowerLawCoefficients {
    public static let className = "Nca_Gr_Panasonic3Ah_Battery"
    public static let calendar = (a: 75.4, b: -3.34e+03, c: 353.0, p: 0.512)
    public static let cycling = (a: 1.86e-06, b: 4.74e-11, c: 0.000177, d: 3.34e-11, e: 2.81e-09, p: 0.699)
}
