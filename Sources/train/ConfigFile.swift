import Foundation
import SafeRL
import Yams

/// Experiment configs as YAML files.
enum ConfigFile {
    /// Reads and checks `path`; errors name the file and the offending key.
    static func load(_ path: String) throws -> TrainingConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ConfigError("config file not found: \(path)") }
        guard !isDirectory.boolValue else { throw ConfigError("config path is a directory, not a file: \(path)") }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("config file is not readable UTF-8: \(path)")
        }
        return try parse(text, source: path)
    }

    static func parse(_ text: String, source: String) throws -> TrainingConfig {
        do { return try YAMLDecoder().decode(TrainingConfig.self, from: text) }
        catch let error as TrainingError { throw ConfigError("\(source): \(error)") }
        catch let DecodingError.keyNotFound(key, context) {
            throw ConfigError("\(source): missing key \(path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigError("\(source): wrong type at \(path(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            // Yams wraps the errors a config struct throws (an unknown key, a value out of range) in dataCorrupted.
            if let inner = context.underlyingError as? TrainingError { throw ConfigError("\(source): \(inner)") }
            let detail = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            throw ConfigError("\(source): bad value at \(path(context.codingPath)): \(detail)")
        } catch {
            throw ConfigError("\(source): \(error)")
        }
    }

    /// The config as YAML, every default written out.
    static func yaml(_ config: TrainingConfig) throws -> String {
        try YAMLEncoder().encode(config)
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map(\.stringValue).joined(separator: ".")
    }
}

struct ConfigError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
