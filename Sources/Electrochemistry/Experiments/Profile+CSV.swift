/// Reading current and power profiles (drive cycles) from CSV.
///
/// Two comma-separated columns: time and value. An optional header names them,
/// with optional units in brackets:
///
/// ```
/// t [s], I [A]          time: t | time  [s | min | h]
/// 0, 1.5                current: I | current  [A | mA]
/// 10, -2.0              power: P | power  [W | mW | kW]
/// ```
///
/// Blank lines and lines starting with `#` are ignored. Values are converted to
/// SI (s, A, W), positive on discharge.
extension Profile {
    /// Parses CSV text into a profile.
    ///
    /// - Parameters:
    ///   - text: the CSV contents.
    ///   - source: the name used in error messages, usually the path.
    ///   - quantity: whether the values are current or power; required when there is no
    ///     header, and must agree with the header when there is one.
    ///   - interpolation: how values between samples are found.
    /// - Throws: ``ExperimentError/invalidProfile(source:line:reason:)`` naming the line.
    public init(
        parsingCSV text: String, source: String = "<csv>", quantity: Quantity? = nil,
        interpolation: Interpolation = .linear
    ) throws(ExperimentError) {
        var header: (quantity: Quantity, timeScale: Double, valueScale: Double)?
        var times: [Double] = []
        var values: [Double] = []
        var previousLine = 0
        var sawContent = false
        for (number, rawLine) in ExperimentTextFile.numberedLines(text) {
            let line = StepStringParser.trimmed(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(StepStringParser.trimmed)
            guard fields.count == 2 else {
                throw .invalidProfile(source: source, line: number,
                                      reason: "expected 2 columns (time, value) but found \(fields.count) in \"\(line)\"")
            }
            if !sawContent && Double(fields[0]) == nil {
                sawContent = true
                header = try Self.readHeader(fields, source: source, line: number)
                if let quantity, let named = header?.quantity, named != quantity {
                    throw .invalidProfile(source: source, line: number,
                                          reason: "the header names a \(named.rawValue) column but a \(quantity.rawValue) profile was requested")
                }
                continue
            }
            sawContent = true
            var row: [Double] = []
            for (column, field) in fields.enumerated() {
                guard let value = Double(field) else {
                    throw .invalidProfile(source: source, line: number,
                                          reason: "\"\(field)\" in column \(column + 1) is not a number")
                }
                guard value.isFinite else {
                    throw .invalidProfile(source: source, line: number,
                                          reason: "non-finite value \"\(field)\" in column \(column + 1)")
                }
                row.append(value)
            }
            let t = row[0] * (header?.timeScale ?? 1)
            let y = row[1] * (header?.valueScale ?? 1)
            if let last = times.last, !(t > last) {
                throw .invalidProfile(source: source, line: number,
                                      reason: "time \(t) s is not after \(last) s on line \(previousLine); times must increase strictly")
            }
            if times.isEmpty && t != 0 {
                throw .invalidProfile(source: source, line: number,
                                      reason: "the profile must start at t = 0 s, not \(t) s")
            }
            times.append(t)
            values.append(y)
            previousLine = number
        }
        guard let resolved = quantity ?? header?.quantity else {
            throw .invalidProfile(source: source, line: nil,
                                  reason: "cannot tell whether the values are current or power: add a header such as \"t [s], I [A]\" or \"t [s], P [W]\", or pass the quantity")
        }
        guard times.count >= 2 else {
            throw .invalidProfile(source: source, line: nil,
                                  reason: "a profile needs at least two rows of data, found \(times.count)")
        }
        do {
            try self.init(quantity: resolved, times: times, values: values, interpolation: interpolation)
        } catch {
            throw .invalidProfile(source: source, line: nil, reason: error.description)
        }
    }

    /// Reads a CSV profile from `path` (see ``init(parsingCSV:source:quantity:interpolation:)``).
    ///
    /// - Throws: ``ExperimentError/unreadableFile(path:reason:)`` for a missing or unreadable
    ///   file, or ``ExperimentError/invalidProfile(source:line:reason:)`` naming the path and line.
    public init(
        contentsOfCSV path: String, quantity: Quantity? = nil, interpolation: Interpolation = .linear
    ) throws(ExperimentError) {
        let text = try ExperimentTextFile.read(path: path)
        try self.init(parsingCSV: text, source: path, quantity: quantity, interpolation: interpolation)
    }

    /// Reads a header row into the quantity and the scales to SI.
    private static func readHeader(
        _ fields: [Substring], source: String, line: Int
    ) throws(ExperimentError) -> (quantity: Quantity, timeScale: Double, valueScale: Double) {
        let (timeName, timeUnit) = splitColumnName(fields[0])
        let timeScale: Double
        switch (timeName, timeUnit) {
        case ("t", nil), ("time", nil), ("t", "s"), ("time", "s"): timeScale = 1
        case ("t", "min"), ("time", "min"): timeScale = 60
        case ("t", "h"), ("time", "h"): timeScale = 3600
        default:
            throw .invalidProfile(source: source, line: line,
                                  reason: "first column \"\(fields[0])\" is not a time; expected \"t [s]\" or \"time [s]\"")
        }
        let (valueName, valueUnit) = splitColumnName(fields[1])
        switch (valueName, valueUnit) {
        case ("i", nil), ("current", nil), ("i", "a"), ("current", "a"): return (.current, timeScale, 1)
        case ("i", "ma"), ("current", "ma"): return (.current, timeScale, 1e-3)
        case ("p", nil), ("power", nil), ("p", "w"), ("power", "w"): return (.power, timeScale, 1)
        case ("p", "mw"), ("power", "mw"): return (.power, timeScale, 1e-3)
        case ("p", "kw"), ("power", "kw"): return (.power, timeScale, 1e3)
        default:
            throw .invalidProfile(source: source, line: line,
                                  reason: "second column \"\(fields[1])\" is neither a current nor a power; expected \"I [A]\", \"current [A]\", \"P [W]\" or \"power [W]\"")
        }
    }

    /// Splits `Current [mA]` into `("current", "ma")`, lower-cased; quotes are ignored.
    private static func splitColumnName(_ field: Substring) -> (String, String?) {
        let cleaned = field.filter { $0 != "\"" && $0 != "'" }.lowercased()
        guard let open = cleaned.firstIndex(of: "["), let close = cleaned.lastIndex(of: "]"), open < close else {
            return (String(StepStringParser.trimmed(Substring(cleaned))), nil)
        }
        let name = StepStringParser.trimmed(cleaned[..<open])
        let unit = StepStringParser.trimmed(cleaned[cleaned.index(after: open)..<close])
        return (String(name), String(unit))
    }
}
