/// The head of an HTTP/1.x response (RFC 9112 §4): version, status code, reason and header
/// fields.
public struct HTTPResponseHead: Hashable, Sendable {
    public let version: String
    public let status: Int
    public let reason: String
    public let headers: HTTPHeaderFields

    /// Decodes a head: the bytes up to, not including, the empty line that ends it.
    /// `offset` is where it starts in its stream, for errors.
    public init(decoding head: [UInt8], offset: Int = 0) throws(WireFormatError) {
        let lines = headLines(head)
        guard let first = lines.first else { throw .truncated("HTTP", "status line", at: offset, need: 1, have: 0) }
        let version = first.prefix { $0 != 0x20 }
        let afterVersion = first.dropFirst(version.count + 1)
        guard version.starts(with: "HTTP/".utf8), let status = threeDigitCode(afterVersion.prefix(3)),
            afterVersion.count == 3 || afterVersion.dropFirst(3).first == 0x20
        else {
            throw .invalid(
                "HTTP", "status line", at: offset,
                "expected \"HTTP/1.x code reason\", found \(printable(first.prefix(40)))")
        }
        self.version = String(decoding: version, as: UTF8.self)
        self.status = status
        self.reason = String(decoding: afterVersion.dropFirst(4), as: UTF8.self)
        self.headers = try HTTPHeaderFields.decode(lines: lines.dropFirst(), offset: offset + first.count + 2)
    }
}
