/// The header fields of an HTTP/1.x message head (RFC 9112 §5), in order, as sent.
public struct HTTPHeaderFields: Hashable, Sendable {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// The first value of `name`, compared without regard to case (RFC 9110 §5.1).
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return self.fields.first { $0.name.lowercased() == wanted }?.value
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
            let value = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
            fields.append(
                (
                    String(decoding: name, as: UTF8.self),
                    String(decoding: value, as: UTF8.self).trimmingSpaces.description
                ))
            position += line.count + 2
        }
        return HTTPHeaderFields(fields)
    }
}

/// Splits a message head into lines at CR LF (or a bare LF, RFC 9112 §2.2).
func headLines(_ head: [UInt8]) -> [ArraySlice<UInt8>] {
    head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
        line.last == 0x0D ? line.dropLast() : line
    }
}
