/// The head of an HTTP/1.x request (RFC 9112 §3): method, target, version and header fields.
public struct HTTPRequestHead: Hashable, Sendable {
    public let method: Method
    public let target: String
    /// `HTTP/1.1`, `HTTP/1.0`.
    public let version: String
    public let headers: HTTPHeaderFields

    /// Decodes a head: the bytes up to, not including, the empty line that ends it.
    /// `offset` is where it starts in its stream, for errors.
    public init(decoding head: [UInt8], offset: Int = 0) throws(WireFormatError) {
        let lines = headLines(head)
        guard let first = lines.first else { throw .truncated("HTTP", "request line", at: offset, need: 1, have: 0) }
        let parts = spaceSeparatedWords(first, limit: 3)
        guard parts.count == 3, parts[0].allSatisfy(isTokenByte), parts[2].starts(with: "HTTP/".utf8) else {
            throw .invalid(
                "HTTP", "request line", at: offset,
                "expected \"METHOD target HTTP/1.x\", found \(printable(first.prefix(40)))")
        }
        self.method = Method(rawValue: String(decoding: parts[0], as: UTF8.self))
        self.target = String(decoding: parts[1], as: UTF8.self)
        self.version = String(decoding: parts[2], as: UTF8.self)
        self.headers = try HTTPHeaderFields.decode(lines: lines.dropFirst(), offset: offset + first.count + 2)
    }

    /// The path of the target, without query; for an absolute-form target, its path.
    public var path: String {
        if let path = Self.asciiPath(self.target.utf8.span) { return path }
        var target = Substring(self.target)
        if !target.hasPrefix("/"), let colon = target.firstIndex(of: ":"), target[colon...].hasPrefix("://") {
            target = target[target.index(colon, offsetBy: 3)...].drop { $0 != "/" }
        }
        return String(target.prefix { $0 != "?" })
    }

    /// ``path`` of an ASCII target, read as bytes (every request a capture holds asks for it);
    /// `nil` for any other target, which is read by characters.
    private static func asciiPath(_ target: Span<UInt8>) -> String? {
        var start = 0
        var colon: Int?
        for index in target.indices {
            let byte = target[index]
            guard byte < 0x80 else { return nil }
            if colon == nil, byte == UInt8(ascii: ":") { colon = index }
        }
        let slash = UInt8(ascii: "/")
        if target.count > 0, target[0] != slash, let colon, colon + 2 < target.count, target[colon + 1] == slash,
            target[colon + 2] == slash
        {
            start = colon + 3
            while start < target.count, target[start] != slash { start += 1 }
        }
        var end = start
        while end < target.count, target[end] != UInt8(ascii: "?") { end += 1 }
        var path = [UInt8]()
        path.reserveCapacity(end - start)
        for index in start..<end { path.append(target[index]) }
        return String(decoding: path, as: UTF8.self)
    }

    /// The user of `Authorization: Basic` (RFC 7617), never the password.
    public var basicAuthUser: String? {
        guard let value = self.headers["Authorization"], value.lowercased().hasPrefix("basic ") else { return nil }
        guard let decoded = base64Decode(value.dropFirst(6).trimmingSpaces) else { return nil }
        return String(decoding: decoded.prefix { $0 != 0x3A }, as: UTF8.self)
    }
}

/// RFC 9110 §5.6.2 token characters.
func isTokenByte(_ byte: UInt8) -> Bool {
    isASCIILetter(byte) || (0x30...0x39).contains(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
}

/// Standard base64 (RFC 4648 §4), padding optional; `nil` on any other character.
func base64Decode(_ text: some StringProtocol) -> [UInt8]? {
    var output: [UInt8] = []
    var accumulator: UInt32 = 0
    var bits = 0
    for byte in text.utf8 {
        let value: UInt8
        switch byte {
        case 0x41...0x5A: value = byte - 0x41
        case 0x61...0x7A: value = byte - 0x61 + 26
        case 0x30...0x39: value = byte - 0x30 + 52
        case 0x2B: value = 62
        case 0x2F: value = 63
        case 0x3D: continue
        default: return nil
        }
        accumulator = accumulator << 6 | UInt32(value)
        bits += 6
        if bits >= 8 {
            bits -= 8
            output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
        }
    }
    return output
}
