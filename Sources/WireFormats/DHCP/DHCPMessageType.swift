/// The DHCP message type carried in option 53 (RFC 2132 §9.6, RFC 4388, RFC 6926).
public struct DHCPMessageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let discover = Self(rawValue: 1)
    public static let offer = Self(rawValue: 2)
    public static let request = Self(rawValue: 3)
    public static let decline = Self(rawValue: 4)
    public static let ack = Self(rawValue: 5)
    public static let nak = Self(rawValue: 6)
    public static let release = Self(rawValue: 7)
    public static let inform = Self(rawValue: 8)

    /// `DISCOVER`, `OFFER`... as engineers say them; `type 42` for a value no RFC names.
    public var description: String {
        switch self.rawValue {
        case 1: "DISCOVER"
        case 2: "OFFER"
        case 3: "REQUEST"
        case 4: "DECLINE"
        case 5: "ACK"
        case 6: "NAK"
        case 7: "RELEASE"
        case 8: "INFORM"
        case 9: "FORCERENEW"
        case 10: "LEASEQUERY"
        case 11: "LEASEUNASSIGNED"
        case 12: "LEASEUNKNOWN"
        case 13: "LEASEACTIVE"
        case 14: "BULKLEASEQUERY"
        case 15: "LEASEQUERYDONE"
        case 16: "ACTIVELEASEQUERY"
        case 17: "LEASEQUERYSTATUS"
        case 18: "TLS"
        default: "type \(self.rawValue)"
        }
    }
}
