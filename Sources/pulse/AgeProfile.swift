import Foundation

/// A usage profile for `pulse age`: CSV with columns `t [s]`, `soc`, `T [C]` (any order, others
/// ignored), time strictly increasing, every value finite, SoC in [0, 1], at least two rows.
struct AgeProfile {
    var time: [Double] = []
    var soc: [Double] = []
    var temperature: [Double] = []

    struct Malformed: Error {
        var message: String
    }

    static let requiredColumns = ["t [s]", "soc", "T [C]"]

    init(contentsOf path: String) throws(Malformed) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Malformed(message: "cannot read profile \"\(path)\": \(error.localizedDescription)")
        }
        try self.init(csv: text, name: path)
    }

    init(csv text: String, name: String) throws(Malformed) {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let header = lines.first else { throw Malformed(message: "profile \(name) is empty") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var columns: [Int] = []
        for required in Self.requiredColumns {
            guard let k = names.firstIndex(of: required) else {
                throw Malformed(message: "profile \(name): missing column \"\(required)\" (need \(Self.requiredColumns.map { "\"\($0)\"" }.joined(separator: ", ")); found \(names.map { "\"\($0)\"" }.joined(separator: ", ")))")
            }
            columns.append(k)
        }
        for (row, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let lineNumber = row + 2
            var values: [Double] = []
            for (c, k) in columns.enumerated() {
                guard k < fields.count, let v = Double(fields[k].trimmingCharacters(in: .whitespaces)) else {
                    throw Malformed(message: "profile \(name) line \(lineNumber): \"\(Self.requiredColumns[c])\" is not a number")
                }
                guard v.isFinite else {
                    throw Malformed(message: "profile \(name) line \(lineNumber): \"\(Self.requiredColumns[c])\" is not finite (\(v))")
                }
                values.append(v)
            }
            if let previous = time.last, values[0] <= previous {
                throw Malformed(message: "profile \(name) line \(lineNumber): time \(values[0]) s does not increase (previous \(previous) s)")
            }
            guard (0...1).contains(values[1]) else {
                throw Malformed(message: "profile \(name) line \(lineNumber): soc \(values[1]) is outside [0, 1]")
            }
            time.append(values[0]); soc.append(values[1]); temperature.append(values[2])
        }
        guard time.count >= 2 else {
            throw Malformed(message: "profile \(name): needs at least 2 rows, has \(time.count)")
        }
    }

    /// Span in days.
    var days: Double { (time[time.count - 1] - time[0]) / 86_400 }
}
