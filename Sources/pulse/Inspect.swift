import ArgumentParser
import Foundation
import NeuralNetworks
import PolicyFormat

/// `pulse inspect policy.pbp`: the sections, sizes, arena size and checksum of a policy file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the sections, sizes, arena size and checksum status of a .pbp policy file.",
        discussion: "A file that fails any check (the Swift reader's, then the C runtime's) exits non-zero with the reason.")

    @Argument(help: "A .pbp file.") var path: String

    func run() throws {
        let bytes: [UInt8]
        do { bytes = try WeightsFile.readBytes(from: path) } catch { throw InspectFailure(description: "\(error)") }
        let layout: PolicyFileLayout
        do { layout = try PolicyFileLayout(bytes: bytes, requireChecksum: false) } catch { throw InspectFailure(description: "\(path): \(error)") }
        print("\(path): .pbp version \(layout.version), \(layout.fileLength) bytes")
        let stored = "0x" + String(layout.storedCRC, radix: 16, uppercase: true)
        print("checksum: CRC-32 \(stored) " + (layout.checksumMatches ? "ok" : "MISMATCH (computed 0x\(String(layout.computedCRC, radix: 16, uppercase: true)))"))
        print("arena: \(layout.arenaBytes) bytes")
        print("sections:")
        for s in layout.sections {
            print("  \(s.name.padding(toLength: 14, withPad: " ", startingAt: 0)) type \(s.type)\(s.required ? " required" : "         ")  offset \(s.offset)  \(s.length) bytes")
        }
        let file: PolicyFile
        do { file = try PolicyFile.decode(bytes) } catch { throw InspectFailure(description: "\(path): \(error)") }
        let runtime: EdgePolicy
        do { runtime = try EdgePolicy(bytes: bytes) } catch { throw InspectFailure(description: "\(path): \(error)") }
        print("precision: \(file.precision), layers: \(file.layers.map { "\($0.inputs)→\($0.outputs) \($0.activation)" }.joined(separator: ", "))")
        print("inputs: \(file.inputCount), actions: \(file.action.count) (\(file.action.squash), bounds \(zip(file.action.low, file.action.high).map { "[\($0), \($1)]" }.joined(separator: " ")))")
        print("environment: \(file.metadata.environment)\(file.metadata.layout.map { ", layout \($0)" } ?? "")")
        if !file.metadata.training.isEmpty {
            print("training: \(file.metadata.training.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        }
        if let limits = file.safetyLimits {
            print("safety limits:")
            for (name, l, _) in limits.ordered {
                print("  \(name): warning \(l.warning) (\(l.warningDebounce) samples), fault \(l.fault) (\(l.faultDebounce) samples)")
            }
            print("  derating: \(limits.derating.map { "\($0.temperatureC) °C ×\($0.chargeFactor)/\($0.dischargeFactor)" }.joined(separator: ", "))")
        } else {
            print("safety limits: none")
        }
        print("runtime: loads (\(runtime.layerCount) layers, \(runtime.arenaBytes)-byte arena)")
    }
}

/// A file that `pulse inspect` refuses: the message without a usage banner, exit status 1.
struct InspectFailure: Error, CustomStringConvertible {
    let description: String
}
