/// The bookkeeping every BLAST-Lite model shares (NREL BLAST-Lite v1.1, `BatteryDegradationModel`):
/// a calendar (time-driven) and a cycling (throughput-driven) capacity loss, the elapsed days and
/// equivalent full cycles, and the degradation scalar. Models with further states (resistance, LAM,
/// break-in, calendar gain) hold these beside it.
public struct BlastLiteCalendarCycleState: Sendable {
    /// Calendar (`q_t`) and cycling (`q_EFC`) capacity losses.
    public private(set) var lossCalendar = 0.0
    public private(set) var lossCycling = 0.0
    /// Elapsed days and equivalent full cycles (EFC scaled by q, as in BLAST-Lite).
    public private(set) var days = 0.0
    public private(set) var efc = 0.0
    /// Multiplies every state increment (BLAST-Lite's `degradation_scalar`).
    public var degradationScalar = 1.0

    public init() {}

    /// Adds one chunk of `days` and `efc` with loss increments `calendar` and `cycling` (already
    /// multiplied by the degradation scalar).
    mutating func advance(days dDays: Double, efc dEFC: Double, calendar: Double, cycling: Double) {
        lossCalendar += calendar
        lossCycling += cycling
        days += dDays
        efc += dEFC
    }
}

/// A BLAST-Lite model holding a ``BlastLiteCalendarCycleState``. The defaults are those of the plain
/// two-loss models: q = 1 − q_loss,t − q_loss,EFC, no resistance, outputs `q`, `q_t`, `q_EFC`.
public protocol BlastLiteCalendarCycleModel: BlastLiteFadeModel {
    var state: BlastLiteCalendarCycleState { get set }
}

extension BlastLiteCalendarCycleModel {
    public static var outputNames: [String] { ["q", "q_t", "q_EFC"] }
    public var lossCalendar: Double { state.lossCalendar }
    public var lossCycling: Double { state.lossCycling }
    public var days: Double { state.days }
    public var efc: Double { state.efc }
    /// Multiplies every state increment (BLAST-Lite's `degradation_scalar`).
    public var degradationScalar: Double {
        get { state.degradationScalar }
        set { state.degradationScalar = newValue }
    }

    public var q: Double { 1 - state.lossCalendar - state.lossCycling }
    /// Capacity left by each loss alone (`q_t`, `q_EFC`).
    public var qCalendar: Double { 1 - state.lossCalendar }
    public var qCycling: Double { 1 - state.lossCycling }
    public var r: Double? { nil }

    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        values.append(q); values.append(qCalendar); values.append(qCycling)
    }
}
