/// A boot-server string as a phone reads it from option 160 or 66: an address, a host name
/// or a URL, `scheme://user:password@host:port/path` (Polycom SIP 3.1 Admin Guide,
/// "Supported Provisioning Protocols"; RFC 3986 §3 for the parts).
///
/// Parsing never fails: missing parts are `nil`. ``masked`` is the form to show anyone.
public struct BootServerString: Hashable, Sendable {
    /// The string exactly as received.
    public let raw: String
    /// `ftp`, `tftp`, `http`, `https`, lowercased; `nil` when the string has none.
    public let scheme: String?
    public let user: String?
    /// True when the string carries a password (never kept, never shown).
    public let hasPassword: Bool
    public let host: String
    public let port: Int?
    /// The path after the host, with its leading `/`; empty when there is none.
    public let path: String

    public init(_ raw: String) {
        self.raw = raw
        var rest = Substring(raw)
        if let range = rest.firstRange(of: "://") {
            self.scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        } else {
            self.scheme = nil
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        self.path = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                self.user = String(userInfo[..<colon])
                self.hasPassword = true
            } else {
                self.user = String(userInfo)
                self.hasPassword = false
            }
            authority = authority[authority.index(after: at)...]
        } else {
            self.user = nil
            self.hasPassword = false
        }
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            self.host = String(authority[..<colon])
            self.port = port
        } else {
            self.host = String(authority)
            self.port = nil
        }
    }

    /// The password, read from ``raw`` only when a client must log in with it (`probe
    /// --fetch`); never stored apart from ``raw``, never shown (``masked`` hides it).
    public var password: String? {
        guard self.hasPassword else { return nil }
        var rest = Substring(self.raw)
        if let range = rest.firstRange(of: "://") { rest = rest[range.upperBound...] }
        let authority = rest.prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return nil
        }
        return String(authority[authority.index(after: colon)..<at])
    }

    /// ``masked`` for `raw`, without taking it apart when it cannot hold a password (no `@`).
    public static func masking(_ raw: String) -> String {
        raw.utf8Contains(UInt8(ascii: "@")) ? BootServerString(raw).masked : raw
    }

    /// The string with any password replaced by `***`.
    public var masked: String {
        guard self.hasPassword else { return self.raw }
        var text = ""
        if let scheme { text += "\(scheme)://" }
        text += "\(self.user ?? ""):***@\(self.host)"
        if let port { text += ":\(port)" }
        return text + self.path
    }

    /// ``masked`` between double quotes, with `"` and `\` escaped by a backslash and control
    /// characters written `\xNN`, so that quote characters the value itself carries cannot be
    /// taken for the quotes around it: `"\"192.0.2.1\""` is a value of 11 characters, the
    /// first and last of them quotes.
    public var quoted: String {
        var text = "\""
        for scalar in self.masked.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let digits = Array("0123456789abcdef")
                text += "\\x\(digits[Int(scalar.value >> 4)])\(digits[Int(scalar.value & 0xF)])"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    /// ``masked`` where it reads unambiguously on its own (printable ASCII, no space, quote or
    /// backslash), else ``quoted``: the form for a table cell or a sentence that does not put
    /// the value in quotes itself. An empty value is `""`.
    public var shown: String {
        let plain = self.masked.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\"
        }
        return plain && !self.masked.isEmpty ? self.masked : self.quoted
    }

    /// True when the value carries quote characters: a `"` anywhere, or a `'` at both ends.
    /// No boot-server string needs them (polycom-boot.md §3): they are a DHCP server's quoting
    /// sent as data (dhcp-server-recipes.md B.14, "Literal quotes inside the value").
    public var hasQuoteCharacters: Bool {
        self.raw.contains("\"") || (self.raw.count >= 2 && self.raw.hasPrefix("'") && self.raw.hasSuffix("'"))
    }

    /// The value with its quote characters taken out (every `"`, and `'` at both ends, as
    /// often as they wrap it): what the DHCP server was meant to send. The same value when it
    /// has none; never ``hasQuoteCharacters``.
    public var withoutQuoteCharacters: BootServerString {
        var text = Substring(self.raw.filter { $0 != "\"" })
        while text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") { text = text.dropFirst().dropLast() }
        return BootServerString(String(text))
    }
}
