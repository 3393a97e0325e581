public import WireFormats

/// The boot server a phone was given, and where it came from.
///
/// Polycom phones default to "Custom + option 66" with 160 as the custom option: 160 when
/// present, else 66 (polycom-boot.md §2.2). Option 150 (a list of addresses) is used by other
/// phones when neither is there.
public struct BootServer: Hashable, Sendable {
    /// The option the value came from: 160, 66 or 150.
    public let option: DHCPOptionCode
    /// The string as sent (for 150, the first address).
    public let string: BootServerString
    /// The DHCP server that sent it.
    public let dhcpServer: IPv4Address?
    /// The frame of the ACK that carried it.
    public let frame: Int
    /// Why a phone could not use the value, or `nil` when it can.
    public let problem: String?

    public init(
        option: DHCPOptionCode, string: BootServerString, dhcpServer: IPv4Address?, frame: Int, problem: String?
    ) {
        self.option = option
        self.string = string
        self.dhcpServer = dhcpServer
        self.frame = frame
        self.problem = problem
    }

    /// The server's address, when the string names one as a literal.
    public var address: IPv4Address? { IPv4Address(self.string.host) }
}

extension BootServerString {
    /// The schemes a Polycom phone accepts (polycom-boot.md §3).
    public static let schemes: Set<String> = ["ftp", "ftps", "tftp", "http", "https"]

    /// Why a phone could not use this string, or `nil` when it can.
    ///
    /// Polycom: "A URL should contain forward slashes… should not contain spaces. Escape
    /// characters are not supported."
    public var problem: String? {
        if self.raw.isEmpty { return "the value is empty" }
        if self.hasQuoteCharacters {
            return "it carries quote characters, which the phone reads as part of the value"
        }
        if self.raw.contains(where: { $0 == " " || $0 == "\t" }) { return "it contains spaces" }
        if self.raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E }) {
            return "it contains non-printable or non-ASCII bytes (sent as an address instead of a string?)"
        }
        if self.raw.contains("\\") { return "it contains backslashes; a URL needs forward slashes" }
        if self.raw.contains("%") { return "it contains %-escapes, which the phones do not support" }
        if let scheme = self.scheme, !Self.schemes.contains(scheme) {
            return "the scheme \"\(scheme)\" is not one a phone supports (ftp, tftp, http, https)"
        }
        if self.host.isEmpty { return "it names no host" }
        let allowed = self.host.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
        }
        if !allowed { return "the host \"\(self.host)\" is not an address or a host name" }
        if self.host.allSatisfy({ $0.isNumber || $0 == "." }), IPv4Address(self.host) == nil {
            return "the host \"\(self.host)\" is not a valid IPv4 address"
        }
        if let port = self.port, !(1...65535).contains(port) { return "port \(port) is out of range" }
        return nil
    }
}
