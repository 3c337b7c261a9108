import Foundation
import NeuralNetworks

/// The header and section table of a `.pbp` file, read before (and independently of) the sections.
public struct PolicyFileLayout: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var type: UInt16
        public var required: Bool
        public var offset: Int
        public var length: Int
        /// The known section's name, or "unknown".
        public var name: String { SectionType(rawValue: type)?.name ?? "unknown" }
    }

    public var version: UInt16
    public var fileLength: Int
    public var arenaBytes: Int
    public var storedCRC: UInt32
    public var computedCRC: UInt32
    public var sections: [Entry]

    /// Whether the stored CRC-32 matches the bytes.
    public var checksumMatches: Bool { storedCRC == computedCRC }

    /// Reads and checks the header, the CRC-32 and the table, in the order the C loader does (magic, version,
    /// header fields, length, checksum, table bounds). Section contents are not looked at. With
    /// `requireChecksum: false` a mismatch is recorded (`checksumMatches`) instead of thrown, so that a tool
    /// can still show the table of a damaged file.
    public init(bytes: [UInt8], requireChecksum: Bool = true) throws(PolicyFormatError) {
        let prefix = Array(bytes.prefix(4))
        guard prefix == Array(PolicyFile.magic.prefix(prefix.count)) else { throw .badMagic(found: prefix) }
        guard bytes.count >= PolicyFile.headerLength else { throw .truncated(length: bytes.count, needed: PolicyFile.headerLength) }
        var h = ByteReader(bytes, start: 4, end: PolicyFile.headerLength, section: "header")
        version = try h.u16("version")
        guard version == PolicyFile.version else { throw .unsupportedVersion(found: version, supported: PolicyFile.version) }
        let headerLength = try h.u16("header length")
        guard headerLength == PolicyFile.headerLength else { throw .badHeader("header length \(headerLength), expected \(PolicyFile.headerLength)") }
        fileLength = Int(try h.u32("file length"))
        let count = Int(try h.u32("section count"))
        arenaBytes = Int(try h.u32("arena size"))
        for field in ["flags", "reserved", "reserved"] {
            let v = try h.u32(field)
            guard v == 0 else { throw .badHeader("\(field) field is 0x\(String(v, radix: 16)), expected 0") }
        }
        guard fileLength <= bytes.count else { throw .truncated(length: bytes.count, needed: fileLength) }
        guard fileLength == bytes.count, fileLength >= PolicyFile.headerLength + 4 else {
            throw .badHeader("the header gives a file length of \(fileLength) bytes, the file has \(bytes.count)")
        }
        let bodyEnd = fileLength - 4
        var t = ByteReader(bytes, start: bodyEnd, end: fileLength, section: "trailer")
        storedCRC = try t.u32("CRC-32")
        computedCRC = CRC32.checksum(bytes[0..<bodyEnd])
        guard storedCRC == computedCRC || !requireChecksum else { throw .checksumMismatch(stored: storedCRC, computed: computedCRC) }

        let tableEnd = PolicyFile.headerLength + count * PolicyFile.sectionEntryLength
        guard (1...PolicyFile.maxSections).contains(count), tableEnd <= bodyEnd else {
            throw .badSectionTable("\(count) sections (1…\(PolicyFile.maxSections) whose table fits in \(bodyEnd) bytes)")
        }
        var r = ByteReader(bytes, start: PolicyFile.headerLength, end: tableEnd, section: "section table")
        var previousEnd = tableEnd
        sections = []
        for i in 0..<count {
            let type = try r.u16("type"), flags = try r.u16("flags")
            let offset = Int(try r.u32("offset")), length = Int(try r.u32("length")), reserved = try r.u32("reserved")
            guard flags & ~SectionType.requiredFlag == 0, reserved == 0 else {
                throw .badSectionTable("entry \(i): flags 0x\(String(flags, radix: 16)), reserved \(reserved)")
            }
            guard offset % 4 == 0, offset >= previousEnd, offset <= bodyEnd, length <= bodyEnd - offset else {
                throw .badSectionTable("entry \(i) (type \(type)): bytes \(offset)..<\(offset + length) are misaligned, overlap or leave [\(previousEnd), \(bodyEnd))")
            }
            previousEnd = offset + length
            if SectionType(rawValue: type) != nil, sections.contains(where: { $0.type == type }) {
                throw .badSectionTable("section type \(type) appears twice")
            }
            if SectionType(rawValue: type) == nil, flags & SectionType.requiredFlag != 0 { throw .unknownRequiredSection(type: type) }
            sections.append(Entry(type: type, required: flags & SectionType.requiredFlag != 0, offset: offset, length: length))
        }
    }

    func entry(_ type: SectionType) -> Entry? { sections.first { $0.type == type.rawValue } }
}

extension PolicyFile {
    /// The policy in `bytes`, with every length, count, dimension and value checked (the C loader's checks
    /// plus the consistency of the int8 multipliers). Unknown optional sections are kept in `otherSections`.
    public static func decode(_ bytes: [UInt8]) throws(PolicyFormatError) -> PolicyFile {
        let layout = try PolicyFileLayout(bytes: bytes)
        func reader(_ type: SectionType) throws(PolicyFormatError) -> ByteReader {
            guard let e = layout.entry(type) else { throw .missingSection(type.name) }
            return ByteReader(bytes, start: e.offset, end: e.offset + e.length, section: type.name)
        }
        var r = try reader(.normalisation)
        let n = Int(try r.u32("input count"))
        let clip = try r.f32("clip")
        guard (1...maxWidth).contains(n) else { throw .badDimension("\(n) inputs, expected 1…\(maxWidth)") }
        let normalisation = ObservationNormalisation(mean: try r.f32s(n, "means"), scale: try r.f32s(n, "scales"), clip: clip)
        try r.finish()
        var layersReader = try reader(.layers)
        let layers = try Self.readLayers(&layersReader, inputs: n)
        r = try reader(.action)
        let count = Int(try r.u32("action count"))
        guard let squash = ActionHead.Squash(rawValue: try r.u32("squash")) else { throw .badValue("unknown action squash") }
        guard (1...layers[layers.count - 1].outputs).contains(count) else {
            throw .badDimension("\(count) actions from a last layer of \(layers[layers.count - 1].outputs) outputs")
        }
        let action = ActionHead(squash: squash, low: try r.f32s(count, "low bounds"), high: try r.f32s(count, "high bounds"))
        try r.finish()
        var limits: SafetyLimits? = nil
        if layout.entry(.safetyLimits) != nil {
            var lr = try reader(.safetyLimits)
            limits = try readLimits(&lr)
        }
        var metadata = PolicyMetadata.unnamed(environment: "", inputs: n, actions: count)
        if let e = layout.entry(.metadata) {
            do { metadata = try JSONDecoder().decode(PolicyMetadata.self, from: Data(bytes[e.offset..<(e.offset + e.length)])) } catch {
                throw .badMetadata("\(error)")
            }
        }
        let others = layout.sections.filter { SectionType(rawValue: $0.type) == nil }.map {
            RawSection(type: $0.type, required: $0.required, bytes: Array(bytes[$0.offset..<($0.offset + $0.length)]))
        }
        let file = PolicyFile(metadata: metadata, normalisation: normalisation, layers: layers, action: action,
                              safetyLimits: limits, otherSections: others)
        if let problem = file.validate().first { throw problem }
        guard layout.arenaBytes == file.arenaBytes else { throw .arenaMismatch(header: layout.arenaBytes, required: file.arenaBytes) }
        return file
    }

    static func readLayers(_ r: inout ByteReader, inputs: Int) throws(PolicyFormatError) -> [PolicyLayer] {
        let count = Int(try r.u32("layer count"))
        guard let precision = Precision(rawValue: try r.u32("precision")) else { throw .badValue("unknown precision") }
        guard (1...maxLayers).contains(count) else { throw .badDimension("\(count) layers, expected 1…\(maxLayers)") }
        var shapes: [(Int, Int, PolicyActivation)] = []
        var width = inputs
        for k in 0..<count {
            let i = Int(try r.u32("inputs")), o = Int(try r.u32("outputs")), a = try r.u32("activation")
            guard try r.u32("reserved") == 0 else { throw .badValue("layer \(k): reserved field is not 0") }
            guard i == width, (1...maxWidth).contains(o) else { throw .badDimension("layer \(k) is \(i)→\(o), expected \(width) inputs and 1…\(maxWidth) outputs") }
            guard let activation = PolicyActivation(rawValue: a) else { throw .badValue("layer \(k): unknown activation \(a)") }
            shapes.append((i, o, activation))
            width = o
        }
        var layers: [PolicyLayer] = []
        for (i, o, activation) in shapes {
            let weights: PolicyLayer.Weights
            if precision == .f32 {
                weights = .f32(weight: try r.f32s(i * o, "weights"), bias: try r.f32s(o, "biases"))
            } else {
                var q3: [Quantisation] = []
                for _ in 0..<3 { q3.append(Quantisation(scale: try r.f32("scale"), zeroPoint: try r.i32("zero point"))) }
                let scales = try r.f32s(o, "weight scales"), bias = try r.i32s(o, "biases")
                let mult = try r.i32s(o, "multipliers"), shift = try r.i32s(o, "shifts")
                let table = activation == .tanh ? try r.i8s(256, "tanh table") : nil
                let w = try r.i8s(i * o, "weights")
                let padding = try r.take((4 - (i * o) % 4) % 4, "padding")
                guard padding.allSatisfy({ $0 == 0 }) else { throw .badValue("non-zero padding after int8 weights") }
                weights = .int8(QuantisedDense(input: q3[0], preActivation: q3[1], output: q3[2], weightScales: scales, bias: bias,
                                               multipliers: mult, shifts: shift, tanhTable: table, weights: w))
            }
            layers.append(PolicyLayer(inputs: i, outputs: o, activation: activation, weights: weights))
        }
        try r.finish()
        return layers
    }

    static func readLimits(_ r: inout ByteReader) throws(PolicyFormatError) -> SafetyLimits {
        let count = try r.u32("limit count")
        guard count == 8 else { throw .badDimension("\(count) safety limits, expected 8") }
        var limits: [SafetyLimits.Limit] = []
        for _ in 0..<8 {
            limits.append(SafetyLimits.Limit(warning: try r.f32("warning"), fault: try r.f32("fault"),
                                             warningDebounce: try r.u16("warning debounce"), faultDebounce: try r.u16("fault debounce")))
        }
        let points = Int(try r.u32("derating count"))
        guard (1...8).contains(points) else { throw .badDimension("\(points) derating points, expected 1…8") }
        var derating: [SafetyLimits.DeratingPoint] = []
        for _ in 0..<points {
            derating.append(SafetyLimits.DeratingPoint(temperatureC: try r.f32("temperature"), chargeFactor: try r.f32("charge factor"),
                                                       dischargeFactor: try r.f32("discharge factor")))
        }
        try r.finish()
        return SafetyLimits(ordered: limits, derating: derating)
    }
}

extension ByteReader {
    /// Throws unless the whole section was read.
    func finish() throws(PolicyFormatError) {
        guard remaining == 0 else { throw .badSectionLength(section: section, detail: "\(remaining) bytes left over") }
    }
}
