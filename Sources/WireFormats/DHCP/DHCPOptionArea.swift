/// The options in one area of a DHCP message, exactly as they lie on the wire.
///
/// An area is the `options` field, or the `file`/`sname` field when option 52 overloads it
/// (RFC 2132 §9.3). Pad runs, the end option, the bytes after it and the split of a long
/// option into several pieces (RFC 3396) are all kept, so that encoding gives back the same
/// bytes. ``DHCPOptions`` is the merged, typed view.
public struct DHCPOptionArea: Hashable, Sendable {
    /// One item in an area.
    public enum Element: Hashable, Sendable {
        /// A run of pad bytes (code 0).
        case pad(count: Int)
        /// An option with its data (255 bytes at most: longer values are split, RFC 3396).
        case option(DHCPOption)
        /// The end option (code 255).
        case end
    }

    /// The items in wire order.
    public var elements: [Element]
    /// The bytes after the end option (usually zero padding), or after the last option when
    /// there is no end option.
    public var trailing: [UInt8]

    public init(elements: [Element] = [], trailing: [UInt8] = []) {
        self.elements = elements
        self.trailing = trailing
    }

    /// True when the area holds an end option.
    public var hasEnd: Bool { self.elements.contains(.end) }

    /// The options in wire order, pads and end left out.
    public var options: [DHCPOption] {
        self.elements.compactMap {
            if case .option(let option) = $0 { option } else { nil }
        }
    }

    /// The last option with `code`, found where it lies (no list of options is made).
    public func lastOption(_ code: DHCPOptionCode) -> DHCPOption? {
        for index in self.elements.indices.reversed() {
            if case .option(let option) = self.elements[index], option.code == code { return option }
        }
        return nil
    }

    /// Appends `option`, split into 255-byte pieces when it is longer (RFC 3396 §5).
    public mutating func append(_ option: DHCPOption) {
        if option.data.isEmpty {
            self.elements.append(.option(option))
            return
        }
        var start = 0
        while start < option.data.count {
            let end = min(start + 255, option.data.count)
            self.elements.append(.option(DHCPOption(code: option.code, data: Array(option.data[start..<end]))))
            start = end
        }
    }

    /// The number of bytes the area takes on the wire.
    public var encodedCount: Int {
        var count = self.trailing.count
        for element in self.elements {
            switch element {
            case .pad(let run): count += run
            case .end: count += 1
            case .option(let option): count += 2 + option.data.count
            }
        }
        return count
    }

    /// Appends the wire bytes of the area to `bytes`.
    public func encode(into bytes: inout [UInt8]) {
        for element in self.elements {
            switch element {
            case .pad(let run):
                bytes.append(contentsOf: repeatElement(0, count: run))
            case .end:
                bytes.append(255)
            case .option(let option):
                bytes.append(option.code.rawValue)
                bytes.append(UInt8(truncatingIfNeeded: option.data.count))
                bytes.append(contentsOf: option.data)
            }
        }
        bytes.append(contentsOf: self.trailing)
    }

    /// Decodes the options in `bytes`, a field named `field` starting at frame offset `base`.
    static func decode(_ bytes: Span<UInt8>, base: Int, field: String) throws(WireFormatError) -> DHCPOptionArea {
        try Self.decodeWithOptions(bytes, base: base, field: field).area
    }

    /// ``decode(_:base:field:)``, and the area's ``options`` listed as they are met (the
    /// list a message keeps, not made again from the elements afterwards).
    static func decodeWithOptions(
        _ bytes: Span<UInt8>, base: Int, field: String
    ) throws(WireFormatError) -> (area: DHCPOptionArea, options: [DHCPOption]) {
        var area = DHCPOptionArea()
        var options: [DHCPOption] = []
        // Room for a typical message's options, pads and end at once, not grown item by item.
        area.elements.reserveCapacity(16)
        options.reserveCapacity(16)
        try Self.walk(bytes, base: base, field: field) { token in
            switch token {
            case .pad:
                if case .pad(let run)? = area.elements.last {
                    area.elements[area.elements.count - 1] = .pad(count: run + 1)
                } else {
                    area.elements.append(.pad(count: 1))
                }
            case .option(let code, let data):
                let option = DHCPOption(code: DHCPOptionCode(code), data: ByteReader.copy(bytes, data))
                area.elements.append(.option(option))
                options.append(option)
            case .end(let trailing):
                area.elements.append(.end)
                area.trailing = ByteReader.copy(bytes, trailing)
            }
        }
        return (area, options)
    }

    /// One item of an area as ``walk(_:base:field:_:)`` meets it; ranges index the walked bytes.
    enum Token {
        case pad
        case option(code: UInt8, data: Range<Int>)
        /// The end option, and the bytes after it.
        case end(trailing: Range<Int>)
    }

    /// Visits the items of an area in wire order without copying, checking every length: the
    /// one reading of option bytes that both the full decoder and ``DHCPMessageSummary`` use.
    static func walk(
        _ bytes: Span<UInt8>, base: Int, field: String, _ visit: (Token) -> Void
    ) throws(WireFormatError) {
        var reader = ByteReader(bytes, base: base)
        while let code = reader.readUInt8() {
            switch code {
            case 0:
                visit(.pad)
            case 255:
                visit(.end(trailing: reader.offset..<bytes.count))
                return
            default:
                let codeAt = reader.absoluteOffset - 1
                guard let length = reader.readUInt8() else {
                    throw .truncated("DHCP", "option \(code) length", at: codeAt + 1, need: 1, have: 0)
                }
                let start = reader.offset
                guard reader.skip(Int(length)) else {
                    throw .badLength(
                        "DHCP", "option \(code) length", at: codeAt + 1,
                        "option \(code) in \(field) claims \(length) bytes, only \(reader.remaining) left"
                    )
                }
                visit(.option(code: code, data: start..<reader.offset))
            }
        }
    }
}
