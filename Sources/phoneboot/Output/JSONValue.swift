import BootAnalysis
import WireFormats

/// A JSON value for the renderers, written without Foundation.
///
/// Objects keep their keys in the order given, so output is stable and diffable.
enum JSONValue {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// JSON text already written (``JSONWriter``), put in as it is.
    case raw([UInt8])

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// The compact JSON text.
    var text: String {
        var out: [UInt8] = []
        self.write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact JSON text, UTF-8 encoded.
    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): Self.writeInt(value, into: &out)
        case .double(let value): out.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members {
                if case .null = value { continue }  // absent fields are left out
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .raw(let text):
            out.append(contentsOf: text)
        }
    }

    /// ``writeString(_:into:)`` for text.
    static func writeString(_ value: String, into out: inout String) {
        var bytes: [UInt8] = []
        Self.writeString(value, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 8259 §7 string escaping: the one JSON string writer of the package. Every byte that
    /// needs escaping is ASCII, so the UTF-8 bytes are copied as they are in runs between them.
    static func writeString(_ value: String, into out: inout [UInt8]) {
        value.withUTF8InPlace { Self.writeString(utf8: $0, into: &out) }
    }

    /// The bytes at the start of `bytes` that need no escaping. Most text needs none: eight
    /// bytes at a time are passed over while none of them is a control character, a quote or
    /// a backslash, then the rest one by one.
    static func escapeFree(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var clean = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while clean + 8 <= raw.count, !Self.needsEscape(raw.loadUnaligned(fromByteOffset: clean, as: UInt64.self)) {
            clean += 8
        }
        while clean < bytes.count, !Self.needsEscape(bytes[clean]) { clean += 1 }
        return clean
    }

    /// `clean`: the bytes at its start known to need no escaping (``escapeFree(_:)``), when
    /// the caller has looked already.
    static func writeString(utf8 bytes: UnsafeBufferPointer<UInt8>, clean: Int? = nil, into out: inout [UInt8]) {
        let clean = clean ?? Self.escapeFree(bytes)
        guard clean < bytes.count else {
            // Nothing to escape: the quoted text in one copy.
            out.append(addingCapacity: bytes.count + 2) { text in
                text.append(UInt8(ascii: "\""))
                text.append(copying: bytes)
                text.append(UInt8(ascii: "\""))
            }
            return
        }
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in clean..<bytes.count {
            let byte = bytes[index]
            guard Self.needsEscape(byte) else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
            default:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
            runStart = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        out.append(UInt8(ascii: "\""))
    }

    /// True for a control character, a quote or a backslash.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// True when one of the eight bytes of `word` is below 0x20, a quote or a backslash (it may
    /// be true of a word that has none: the bytes are then looked at one by one).
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
        return below0x20 || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
    }

    /// A decimal integer, without going through a `String`.
    static func writeInt(_ value: Int, into out: inout [UInt8]) {
        appendDecimal(value, to: &out)
    }
}
