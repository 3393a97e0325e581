/// One FTP command line from the client (RFC 959 §4.1, RFC 2428): a verb and its argument.
///
/// The verb is kept in upper case (commands are case-insensitive, RFC 959 §5.3.1); the
/// argument as sent. ``isPassword`` marks `PASS`, whose argument must never be shown.
public struct FTPCommand: Hashable, Sendable, CustomStringConvertible {
    public let verb: Verb
    public let argument: String?

    public init(verb: Verb, argument: String?) {
        self.verb = verb
        self.argument = argument
    }

    /// Decodes one line, without its CR LF. `offset` is where the line starts in the stream,
    /// for errors.
    public init(line: some Collection<UInt8>, offset: Int = 0) throws(WireFormatError) {
        let verbBytes = line.prefix { $0 != 0x20 }
        guard (3...4).contains(verbBytes.count), verbBytes.allSatisfy(isASCIILetter) else {
            throw .invalid(
                "FTP", "command", at: offset,
                "a command is 3 or 4 letters, found \(line.count) bytes starting \(printable(line.prefix(8)))")
        }
        self.verb = Verb(rawValue: String(decoding: verbBytes, as: UTF8.self))
        let rest = line.dropFirst(verbBytes.count).drop { $0 == 0x20 }
        self.argument = rest.isEmpty ? nil : String(decoding: rest, as: UTF8.self)
    }

    /// True for `PASS`: its argument is a password.
    public var isPassword: Bool { self.verb == .password }

    /// The data connection's end a `PORT` (`h1,h2,h3,h4,p1,p2`) or `EPRT` (`|1|addr|port|`)
    /// command names: the client's address and port.
    public var activeEndpoint: (address: IPv4Address, port: UInt16)? {
        guard let argument = self.argument else { return nil }
        switch self.verb {
        case .port:
            return hostPort(argument)
        case .extendedPort:
            let parts = argument.split(separator: argument.first ?? "|", omittingEmptySubsequences: false)
            guard parts.count >= 4, parts[1] == "1", let address = IPv4Address(parts[2]), let port = UInt16(parts[3])
            else { return nil }
            return (address, port)
        default:
            return nil
        }
    }

    /// The command as it may be shown: the password of `PASS` is masked.
    public var description: String {
        guard let argument = self.argument else { return self.verb.rawValue }
        return "\(self.verb.rawValue) \(self.isPassword ? "***" : argument)"
    }
}

/// `h1,h2,h3,h4,p1,p2` (RFC 959 §4.1.2) as an address and port.
func hostPort(_ text: some StringProtocol) -> (address: IPv4Address, port: UInt16)? {
    let numbers = text.split(separator: ",").map { UInt8($0.trimmingSpaces) }
    guard numbers.count == 6, numbers.allSatisfy({ $0 != nil }) else { return nil }
    let values = numbers.compactMap { $0 }
    guard let address = IPv4Address(octets: values[0..<4]) else { return nil }
    return (address, UInt16(values[4]) << 8 | UInt16(values[5]))
}

func isASCIILetter(_ byte: UInt8) -> Bool {
    (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
}

/// A few bytes for an error message, unprintable ones as `.`.
func printable(_ bytes: some Collection<UInt8>) -> String {
    "\"" + String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : 0x2E }, as: UTF8.self) + "\""
}

extension StringProtocol {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: Substring {
        let text = Substring(self)
        guard let first = text.firstIndex(where: { $0 != " " }), let last = text.lastIndex(where: { $0 != " " }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }
}
