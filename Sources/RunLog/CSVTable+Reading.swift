import Foundation

/// Formatting values, and reading CSV files back into a `MetricsTable`.
extension CSVTable {
    /// The text of one value: the shortest decimal that reads back to `value` ("nan", "inf", "-inf" otherwise).
    public static func format(_ value: Double) -> String { value.description }

    /// `field` quoted for CSV if it holds a comma, quote, line break or surrounding space.
    static func quoted(_ field: String) -> String {
        let special = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        let padded = field.first?.isWhitespace == true || field.last?.isWhitespace == true
        guard special || padded else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The whole CSV text of `table`, as `create` and `append` would write it.
    public static func render(_ table: MetricsTable) -> String {
        var text = table.columns.map(quoted).joined(separator: ",") + "\n"
        for row in table.rows { text += row.map(format).joined(separator: ",") + "\n" }
        return text
    }

    /// Reads the CSV file at `path`.
    public static func read(at path: String) throws(RunLogError) -> MetricsTable {
        try parse(FileIO.readText(path), source: path)
    }

    /// Parses CSV text: a header, then rows of numbers (an empty field is NaN). A last line cut
    /// short (no newline) is parsed too. Errors name `source` and the line.
    public static func parse(_ text: String, source: String = "CSV text") throws(RunLogError) -> MetricsTable {
        let records = CSVRecords.parse(Array(text.utf8))
        guard let header = records.first, header.fields != [""] else {
            throw .malformedCSV(path: source, line: 1, detail: "no header")
        }
        var rows: [[Double]] = []
        for (index, record) in records.dropFirst().enumerated() where record.fields != [""] {
            rows.append(try numbers(record.fields, width: header.fields.count, path: source, line: index + 2))
        }
        return try MetricsTable(columns: header.fields, rows: rows, source: source)
    }

    /// The numbers of one data line; `.malformedCSV` for a wrong count or a field that is no number.
    static func numbers(_ fields: [String], width: Int, path: String, line: Int) throws(RunLogError) -> [Double] {
        guard fields.count == width else {
            throw .malformedCSV(path: path, line: line, detail: "\(fields.count) fields, expected \(width)")
        }
        var values: [Double] = []
        values.reserveCapacity(width)
        for field in fields {
            let trimmed = field.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { values.append(.nan); continue }
            guard let value = Double(trimmed) else {
                throw .malformedCSV(path: path, line: line, detail: "\"\(field)\" is not a number")
            }
            values.append(value)
        }
        return values
    }
}

/// The records of CSV bytes (RFC 4180: fields split by commas, quoted fields may hold commas,
/// doubled quotes and line breaks; lines end in "\n" or "\r\n").
struct CSVRecords {
    /// One record: its fields, the byte offset just after it, and whether a line break ended it.
    struct Record {
        var fields: [String]
        var end: Int
        var terminated: Bool
    }

    /// The records of `bytes`; a last record without a line break has `terminated == false`.
    static func parse(_ bytes: [UInt8]) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte); index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty {
                inQuotes = true
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\n") {
                if field.last == UInt8(ascii: "\r") { field.removeLast() }
                endField()
                records.append(Record(fields: fields, end: index, terminated: true))
                fields.removeAll()
            } else {
                field.append(byte)
            }
        }
        if !field.isEmpty || !fields.isEmpty || inQuotes {
            endField()
            records.append(Record(fields: fields, end: index, terminated: false))
        }
        return records
    }
}
