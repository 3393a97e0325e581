/// The header fields of an HTTP/1.x message head (RFC 9112 §5), in order, as sent.
public struct HTTPHeaderFields: Hashable, Sendable {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// The first value of `name`, compared without regard to case (RFC 9110 §5.1).
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        for field in self.fields where Self.sameIgnoringCase(field.name, wanted) { return field.value }
        return nil
    }

    /// True when `name` lowercased is `lowercased`. An ASCII name (every name a real message
    /// has) is compared byte by byte, without making its lowercase copy; any other is
    /// lowercased as Unicode says (a Kelvin sign is a `k`).
    private static func sameIgnoringCase(_ name: String, _ lowercased: String) -> Bool {
        let bytes = name.utf8.span
        let wanted = lowercased.utf8.span
        var ascii = true
        var same = bytes.count == wanted.count
        for index in bytes.indices {
            let byte = bytes[index]
            if byte >= 0x80 {
                ascii = false
                break
            }
            if same, index < wanted.count {
                same = ((0x41...0x5A).contains(byte) ? byte | 0x20 : byte) == wanted[index]
            }
        }
        return ascii ? same : name.lowercased() == lowercased
    }

    /// `Content-Length` as a number, or `nil` when absent or not a number.
    public var contentLength: Int? { self["Content-Length"].flatMap { Int($0.trimmingSpaces) } }

    /// True when the body is sent in chunks (`Transfer-Encoding: chunked`, RFC 9112 §7.1).
    public var isChunked: Bool { self["Transfer-Encoding"]?.lowercased().contains("chunked") ?? false }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in self.fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }

    /// Decodes the lines after the start line. `offset` is where they start, for errors.
    static func decode(lines: ArraySlice<ArraySlice<UInt8>>, offset: Int) throws(WireFormatError) -> HTTPHeaderFields {
        var fields: [(name: String, value: String)] = []
        var position = offset
        for line in lines {
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex else {
                throw .invalid("HTTP", "header field", at: position, "no \"name:\" in \(printable(line.prefix(24)))")
            }
            let name = line[line.startIndex..<colon]
            guard !name.contains(where: { $0 == 0x20 || $0 == 0x09 }) else {
                throw .invalid("HTTP", "header field name", at: position, "whitespace in \(printable(name.prefix(24)))")
            }
            // Without the spaces and tabs around it (RFC 9110 §5.5: OWS is SP and HTAB bytes).
            var value = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
            while value.last == 0x20 || value.last == 0x09 { value.removeLast() }
            fields.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            position += line.count + 2
        }
        return HTTPHeaderFields(fields)
    }
}

/// Splits a message head into lines at CR LF (or a bare LF, RFC 9112 §2.2).
func headLines(_ head: [UInt8]) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    lines.reserveCapacity(8)
    var start = head.startIndex
    for index in head.indices where head[index] == 0x0A {
        lines.append(head[start..<(index > start && head[index - 1] == 0x0D ? index - 1 : index)])
        start = index + 1
    }
    let last = head[start...]
    lines.append(last.last == 0x0D ? last.dropLast() : last)
    return lines
}

/// The words of `line` between runs of spaces (what `split(separator: 0x20)` gives), at most
/// `limit` of them, and then a last one when there are more.
func spaceSeparatedWords(_ line: ArraySlice<UInt8>, limit: Int) -> [ArraySlice<UInt8>] {
    var words: [ArraySlice<UInt8>] = []
    words.reserveCapacity(limit + 1)
    var index = line.startIndex
    while index < line.endIndex, words.count <= limit {
        while index < line.endIndex, line[index] == 0x20 { index += 1 }
        guard index < line.endIndex else { break }
        let start = index
        while index < line.endIndex, line[index] != 0x20 { index += 1 }
        words.append(line[start..<index])
    }
    return words
}
