/// A DHCP option code (RFC 2132 and later), open to every value 0–255.
///
/// Codes this package types are named; any other code is kept raw and still round-trips.
public struct DHCPOptionCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// 0, RFC 2132 §3.1.
    public static let pad = Self(0)
    /// 1, RFC 2132 §3.3.
    public static let subnetMask = Self(1)
    /// 3, RFC 2132 §3.5.
    public static let router = Self(3)
    /// 6, RFC 2132 §3.8.
    public static let domainNameServer = Self(6)
    /// 12, RFC 2132 §3.14.
    public static let hostName = Self(12)
    /// 15, RFC 2132 §3.17.
    public static let domainName = Self(15)
    /// 43, RFC 2132 §8.4.
    public static let vendorSpecific = Self(43)
    /// 50, RFC 2132 §9.1.
    public static let requestedIPAddress = Self(50)
    /// 51, RFC 2132 §9.2.
    public static let leaseTime = Self(51)
    /// 52, RFC 2132 §9.3: options continue in `file` (1), `sname` (2) or both (3).
    public static let overload = Self(52)
    /// 53, RFC 2132 §9.6.
    public static let messageType = Self(53)
    /// 54, RFC 2132 §9.7.
    public static let serverIdentifier = Self(54)
    /// 55, RFC 2132 §9.8.
    public static let parameterRequestList = Self(55)
    /// 57, RFC 2132 §9.10.
    public static let maximumMessageSize = Self(57)
    /// 60, RFC 2132 §9.13. Polycom phones send a binary block here (see ``PolycomVendorClass``).
    public static let vendorClassIdentifier = Self(60)
    /// 61, RFC 2132 §9.14.
    public static let clientIdentifier = Self(61)
    /// 66, RFC 2132 §9.4: the TFTP server name, which phones read as their boot server.
    public static let tftpServerName = Self(66)
    /// 67, RFC 2132 §9.5.
    public static let bootfileName = Self(67)
    /// 82, RFC 3046: relay agent information.
    public static let relayAgentInformation = Self(82)
    /// 128, site-specific; Polycom reads a `VLAN-A=` string here (DHCP VLAN discovery).
    public static let vlanDiscovery128 = Self(128)
    /// 144, site-specific; Polycom VLAN discovery.
    public static let vlanDiscovery144 = Self(144)
    /// 150, RFC 5859: a list of TFTP server addresses (Cisco).
    public static let tftpServerAddress = Self(150)
    /// 157, site-specific; Polycom VLAN discovery.
    public static let vlanDiscovery157 = Self(157)
    /// 160: on a phone network, the Polycom boot server (the phones' default custom option).
    /// IANA also lists 160 for captive portals (RFC 7710); a phone does not read it that way.
    public static let polycomBootServer = Self(160)
    /// 191, site-specific; Polycom VLAN discovery.
    public static let vlanDiscovery191 = Self(191)
    /// 255, RFC 2132 §3.2.
    public static let end = Self(255)

    /// A short name for display: `"boot server (Polycom)"` for 160, `"option 200"` when unknown.
    public var name: String {
        switch self.rawValue {
        case 0: "pad"
        case 1: "subnet mask"
        case 2: "time offset"
        case 3: "router"
        case 4: "time server"
        case 6: "domain name server"
        case 7: "log server"
        case 12: "host name"
        case 15: "domain name"
        case 28: "broadcast address"
        case 42: "NTP servers"
        case 43: "vendor specific"
        case 50: "requested IP address"
        case 51: "lease time"
        case 52: "option overload"
        case 53: "DHCP message type"
        case 54: "server identifier"
        case 55: "parameter request list"
        case 56: "message"
        case 57: "maximum message size"
        case 58: "renewal time"
        case 59: "rebinding time"
        case 60: "vendor class identifier"
        case 61: "client identifier"
        case 66: "TFTP server name"
        case 67: "bootfile name"
        case 81: "client FQDN"
        case 82: "relay agent information"
        case 119: "domain search"
        case 121: "classless static route"
        case 128, 144, 157, 191: "VLAN discovery (Polycom)"
        case 150: "TFTP server address"
        case 160: "boot server (Polycom)"
        case 255: "end"
        default: "option \(self.rawValue)"
        }
    }

    public var description: String { String(self.rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
