/// One line of an FTP server reply (RFC 959 §4.2): a three-digit code, then a space on the
/// last line of a reply or a hyphen on the first line of a multi-line one.
///
/// Lines inside a multi-line reply need not start with a code; ``init(line:offset:)`` returns
/// them with ``code`` `nil`, and the session decides when the reply ends (a line that starts
/// with the same code and a space).
public struct FTPReply: Hashable, Sendable {
    /// The reply code, or `nil` for a continuation line without one.
    public let code: Int?
    /// True on the line that ends a reply (`ddd text`).
    public let isLast: Bool
    public let text: String

    public init(code: Int?, isLast: Bool, text: String) {
        self.code = code
        self.isLast = isLast
        self.text = text
    }

    /// Decodes one line, without its CR LF.
    public init(line: some Collection<UInt8>) {
        let bytes = Array(line)
        if let code = threeDigitCode(bytes.prefix(3)), bytes.count == 3 || bytes[3] == 0x20 || bytes[3] == 0x2D {
            self.code = code
            self.isLast = bytes.count == 3 || bytes[3] == 0x20
            self.text = String(decoding: bytes.dropFirst(4), as: UTF8.self)
        } else {
            self.code = nil
            self.isLast = false
            self.text = String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The server's end of the data connection from a `227 Entering Passive Mode
    /// (h1,h2,h3,h4,p1,p2)` reply (RFC 959), or the port of a `229 Entering Extended Passive
    /// Mode (|||port|)` reply (RFC 2428 §3; the address is the control connection's).
    public var passiveEndpoint: (address: IPv4Address?, port: UInt16)? {
        switch self.code {
        case 227:
            // The numbers may come with or without parentheses.
            let start = self.text.firstIndex(where: \.isNumber) ?? self.text.endIndex
            let numbers = self.text[start...].prefix { $0.isNumber || $0 == "," }
            return hostPort(numbers).map { ($0.address, $0.port) }
        case 229:
            guard let open = self.text.firstIndex(of: "(") else { return nil }
            let inside = self.text[self.text.index(after: open)...].prefix { $0 != ")" }
            guard let delimiter = inside.first else { return nil }
            let parts = inside.split(separator: delimiter, omittingEmptySubsequences: false)
            guard parts.count >= 4, let port = UInt16(parts[3]) else { return nil }
            return (nil, port)
        default:
            return nil
        }
    }
}

/// The value of exactly three ASCII digits (an FTP reply code, RFC 959 §4.2; an HTTP status
/// code, RFC 9110 §15); `nil` for anything else.
func threeDigitCode(_ bytes: some Collection<UInt8>) -> Int? {
    guard bytes.count == 3, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
    return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
}
