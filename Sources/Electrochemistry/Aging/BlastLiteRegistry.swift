/// Unknown BLAST-Lite model name; `known` lists the implemented class names.
public struct BlastLiteUnknownModel: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var known: [String]
    public var description: String {
        "unknown BLAST-Lite model '\(name)'; known models: \(known.joined(separator: ", "))"
    }
}

extension BlastLite {
    /// Implemented models, by BLAST-Lite class name.
    public static let modelTypes: [any BlastLiteFadeModel.Type] = [
        BlastLiteLfpGr250AhPrismatic.self,
        BlastLiteLmoGrNissanLeaf66Ah.self,
        BlastLiteNmc811GrSiLGM50.self,
        BlastLiteNcaGrPanasonic3Ah.self,
        BlastLiteNmc111GrSanyo2Ah.self,
        BlastLiteNmc811GrSiLGMJ1.self,
        BlastLiteNmcGr50AhB1.self,
        BlastLiteNmcGr50AhB2.self,
        BlastLiteNmcGr75AhA.self,
        BlastLiteNmc622GrDENSO50Ah.self,
        BlastLiteNmcLto10Ah.self,
        BlastLiteNmc111GrKokam75Ah.self,
        BlastLiteLfpGrSonyMurata3Ah.self,
        BlastLiteNcaGrSiSonyMurata2p5Ah.self,
    ]

    /// BLAST-Lite class names of the implemented models.
    public static var modelNames: [String] { modelTypes.map { $0.className } }

    /// A fresh (unaged) model for BLAST-Lite class name `name`.
    public static func model(named name: String) throws(BlastLiteUnknownModel) -> any BlastLiteFadeModel {
        guard let type = modelTypes.first(where: { $0.className == name }) else {
            throw BlastLiteUnknownModel(name: name, known: modelNames)
        }
        return type.init()
    }
}
