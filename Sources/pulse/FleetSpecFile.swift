import Electrochemistry
import Foundation
import Yams

/// Reads a fleet spec file: JSON (the module's parser) or YAML (Yams, converted into the same ``JSONValue`` so one
/// decoder, ``FleetSpec/init(json:)``, serves both). The format is chosen by extension (.json, .yaml, .yml).
enum FleetSpecFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ path: String) throws(Failure) -> FleetSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "cannot read fleet spec file '\(path)'")
        }
        let text = String(decoding: data, as: UTF8.self)
        let lower = path.lowercased()
        do {
            if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
                return try FleetSpec(json: yamlValue(text, path: path))
            }
            guard lower.hasSuffix(".json") else {
                throw Failure(description: "fleet spec '\(path)': unknown format; use a .json, .yaml or .yml file")
            }
            return try FleetSpec(jsonText: text)
        } catch let error as FleetSpecError {
            throw Failure(description: "\(path): \(error)")
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "\(path): \(error)")
        }
    }

    /// The YAML document as a JSON value; YAML errors carry Yams' line and column.
    static func yamlValue(_ text: String, path: String) throws -> JSONValue {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw Failure(description: "fleet spec '\(path)': not valid YAML: \(error)")
        }
        guard let node else { throw Failure(description: "fleet spec '\(path)': the YAML document is empty") }
        return try convert(node, at: "")
    }

    /// YAML node → JSON value by the YAML 1.2 core schema tags (null, bool, int, float, str).
    static func convert(_ node: Node, at path: String) throws -> JSONValue {
        switch node {
        case .scalar:
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(node.string ?? "")
            case .int: return node.int.map { .number(Double($0)) } ?? .string(node.string ?? "")
            case .float: return node.float.map(JSONValue.number) ?? .string(node.string ?? "")
            default: return .string(node.string ?? "")
            }
        case let .sequence(sequence):
            return .array(try sequence.enumerated().map { try convert($1, at: "\(path)[\($0)]") })
        case let .mapping(mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { throw Failure(description: "fleet spec field '\(path)': keys must be strings") }
                let child = path.isEmpty ? name : "\(path).\(name)"
                object[name] = try convert(value, at: child)
            }
            return .object(object)
        case .alias:
            throw Failure(description: "fleet spec field '\(path.isEmpty ? "(document)" : path)': YAML aliases are not supported")
        }
    }
}
