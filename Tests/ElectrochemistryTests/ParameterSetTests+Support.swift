import Foundation
@testable import Electrochemistry

/// Shared helpers for the parameter-set tests: fixture paths and table comparisons.
enum ParameterFixtures {
    static func path(_ relative: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(relative)", withExtension: nil) else {
            fatalError("missing fixture \(relative)")
        }
        return url.path
    }

    static func referenceJSON(_ set: String) throws -> JSONValue {
        try ParameterFile.readJSON(path: path("parameters/\(set).json"))
    }

    /// The worst absolute and relative errors of `set`'s function `name` against a sampled table entry.
    struct Comparison {
        var maxAbsolute = 0.0
        var maxRelative = 0.0
        var points = 0
        var mismatchedNonFinite = 0
    }

    static func compare(_ set: ParameterSet, _ name: String, table: [String: JSONValue]) throws -> Comparison {
        var axes: [[Double]] = []
        for axis in table["grid"]!.array! { axes.append(axis.array!.map { $0.number ?? .nan }) }
        var values: [Double] = []
        try ParameterSet.flatten(table["values"]!, shape: ArraySlice(axes.map(\.count)), source: name,
                                 path: "values", into: &values)
        var result = Comparison()
        func record(_ model: Double, _ reference: Double) {
            result.points += 1
            if !reference.isFinite || !model.isFinite {
                if reference.isFinite != model.isFinite { result.mismatchedNonFinite += 1 }
                return
            }
            let error = abs(model - reference)
            result.maxAbsolute = max(result.maxAbsolute, error)
            if reference != 0 { result.maxRelative = max(result.maxRelative, error / abs(reference)) }
            else { result.maxRelative = max(result.maxRelative, error == 0 ? 0 : error / 1e-300) }
        }
        switch axes.count {
        case 1:
            let f = try set.unaryFunction(name)
            for (i, x) in axes[0].enumerated() { record(f(x), values[i]) }
        case 2:
            let f = try set.binaryFunction(name)
            for (i, x) in axes[0].enumerated() {
                for (j, t) in axes[1].enumerated() { record(f(x, t), values[i * axes[1].count + j]) }
            }
        default:
            let f = try set.exchangeCurrentDensity(name)
            let csMax = table["c_s_max"]!.number!
            let (n1, n2) = (axes[1].count, axes[2].count)
            for (i, sto) in axes[0].enumerated() {
                for (j, ce) in axes[1].enumerated() {
                    for (k, t) in axes[2].enumerated() {
                        record(f(ce, sto * csMax, csMax, t), values[(i * n1 + j) * n2 + k])
                    }
                }
            }
        }
        return result
    }
}
