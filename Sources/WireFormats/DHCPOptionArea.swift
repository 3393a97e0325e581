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
        var reader = ByteReader(bytes, base: base)
        var area = DHCPOptionArea()
        while let code = reader.readUInt8() {
            switch code {
            case 0:
                if case .pad(let run)? = area.elements.last {
                    area.elements[area.elements.count - 1] = .pad(count: run + 1)
                } else {
                    area.elements.append(.pad(count: 1))
                }
            case 255:
                area.elements.append(.end)
                area.trailing = ByteReader.copy(bytes, reader.offset..<bytes.count)
                return area
            default:
                let codeAt = reader.absoluteOffset - 1
                guard let length = reader.readUInt8() else {
                    throw .truncated("DHCP", "option \(code) length", at: codeAt + 1, need: 1, have: 0)
                }
                guard let data = reader.readArray(Int(length)) else {
                    throw .badLength(
                        "DHCP", "option \(code) length", at: codeAt + 1,
                        "option \(code) in \(field) claims \(length) bytes, only \(reader.remaining) left"
                    )
                }
                area.elements.append(.option(DHCPOption(code: DHCPOptionCode(code), data: data)))
            }
        }
        return area
    }
}
