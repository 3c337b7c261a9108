import NeuralNetworks

/// Section type codes and the REQUIRED flag (`pe_section_type_t`, `PE_SECTION_REQUIRED`).
public enum SectionType: UInt16, Sendable, CaseIterable {
    case metadata = 1, normalisation = 2, layers = 3, action = 4, safetyLimits = 5

    public static let requiredFlag: UInt16 = 0x0001

    public var name: String {
        switch self {
        case .metadata: "metadata"
        case .normalisation: "normalisation"
        case .layers: "layers"
        case .action: "action"
        case .safetyLimits: "safety-limits"
        }
    }
}

extension PolicyFile {
    /// The file's bytes: header, section table, sections (each 4-byte aligned), CRC-32. Traps when the policy
    /// breaks the format's rules (`validate()` says which); those are programmer errors in the exporter.
    public func encode() -> [UInt8] {
        let problems = validate()
        precondition(problems.isEmpty, "PolicyFile.encode: invalid policy: \(problems.map(\.description).joined(separator: "; "))")
        var sections: [(type: UInt16, flags: UInt16, bytes: [UInt8])] = [
            (SectionType.metadata.rawValue, 0, metadata.encoded()),
            (SectionType.normalisation.rawValue, SectionType.requiredFlag, normalisationBytes()),
            (SectionType.layers.rawValue, SectionType.requiredFlag, layerBytes()),
            (SectionType.action.rawValue, SectionType.requiredFlag, actionBytes()),
        ]
        if let safetyLimits { sections.append((SectionType.safetyLimits.rawValue, SectionType.requiredFlag, Self.limitBytes(safetyLimits))) }
        for s in otherSections { sections.append((s.type, s.required ? SectionType.requiredFlag : 0, s.bytes)) }

        var body = ByteWriter()
        var table = ByteWriter()
        let tableEnd = Self.headerLength + Self.sectionEntryLength * sections.count
        var offset = tableEnd
        for s in sections {
            table.u16(s.type); table.u16(s.flags); table.u32(offset); table.u32(s.bytes.count); table.u32(0)
            body.bytes += s.bytes
            body.pad4()
            offset = tableEnd + body.bytes.count
        }
        let fileLength = Self.headerLength + table.bytes.count + body.bytes.count + 4
        var out = ByteWriter()
        out.bytes = Self.magic
        out.u16(Self.version); out.u16(UInt16(Self.headerLength)); out.u32(fileLength); out.u32(sections.count)
        out.u32(arenaBytes); out.u32(0); out.u32(0); out.u32(0)
        out.bytes += table.bytes
        out.bytes += body.bytes
        out.u32(CRC32.checksum(out.bytes))
        return out.bytes
    }

    func normalisationBytes() -> [UInt8] {
        var w = ByteWriter()
        w.u32(inputCount); w.f32(normalisation.clip); w.f32s(normalisation.mean); w.f32s(normalisation.scale)
        return w.bytes
    }

    func layerBytes() -> [UInt8] {
        var w = ByteWriter()
        w.u32(layers.count); w.u32(precision.rawValue)
        for l in layers { w.u32(l.inputs); w.u32(l.outputs); w.u32(l.activation.rawValue); w.u32(0) }
        for l in layers {
            switch l.weights {
            case let .f32(weight, bias):
                w.f32s(weight); w.f32s(bias)
            case let .int8(q):
                for t in [q.input, q.preActivation, q.output] { w.f32(t.scale); w.i32(t.zeroPoint) }
                w.f32s(q.weightScales); w.i32s(q.bias); w.i32s(q.multipliers); w.i32s(q.shifts)
                if let table = q.tanhTable { w.i8s(table) }
                w.i8s(q.weights)
                w.pad4()
            }
        }
        return w.bytes
    }

    func actionBytes() -> [UInt8] {
        var w = ByteWriter()
        w.u32(action.count); w.u32(action.squash.rawValue); w.f32s(action.low); w.f32s(action.high)
        return w.bytes
    }

    static func limitBytes(_ limits: SafetyLimits) -> [UInt8] {
        var w = ByteWriter()
        w.u32(8)
        for (_, l, _) in limits.ordered { w.f32(l.warning); w.f32(l.fault); w.u16(l.warningDebounce); w.u16(l.faultDebounce) }
        w.u32(limits.derating.count)
        for p in limits.derating { w.f32(p.temperatureC); w.f32(p.chargeFactor); w.f32(p.dischargeFactor) }
        return w.bytes
    }
}
