/// The link-layer header type of a capture, by its libpcap `DLT_*` value.
///
/// See https://www.tcpdump.org/linktypes.html. libpcap maps the file's `LINKTYPE_*` to the
/// `DLT_*` value returned by `pcap_datalink`, which is what ``rawValue`` holds.
public struct LinkType: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// BSD loopback: a 4-byte address family in the capturing host's byte order (`DLT_NULL`).
    public static let null = LinkType(rawValue: 0)
    /// Ethernet II / IEEE 802.3 (`DLT_EN10MB`).
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IP, no link header (`DLT_RAW` on Linux; `LINKTYPE_RAW` 101 in files).
    public static let raw = LinkType(rawValue: 12)
    /// Raw IP as OpenBSD numbers it (`DLT_RAW` = 14 there).
    public static let rawOpenBSD = LinkType(rawValue: 14)
    /// OpenBSD loopback: a 4-byte address family in network byte order (`DLT_LOOP`).
    public static let loop = LinkType(rawValue: 108)
    /// IEEE 802.11 wireless LAN (`DLT_IEEE802_11`).
    public static let ieee80211 = LinkType(rawValue: 105)
    /// IEEE 802.11 behind a radiotap header (`DLT_IEEE802_11_RADIO`).
    public static let ieee80211Radiotap = LinkType(rawValue: 127)
    /// Linux "cooked" capture v1 (`DLT_LINUX_SLL`).
    public static let linuxSLL = LinkType(rawValue: 113)
    /// Raw IPv4, no link header (`DLT_IPV4`).
    public static let ipv4 = LinkType(rawValue: 228)
    /// Linux "cooked" capture v2 (`DLT_LINUX_SLL2`).
    public static let linuxSLL2 = LinkType(rawValue: 276)
    /// Cisco HDLC (`DLT_C_HDLC`), a serial link: address, control, then an EtherType.
    public static let ciscoHDLC = LinkType(rawValue: 104)

    /// The link types this package decodes.
    public static let supported: [LinkType] = [
        .ethernet, .linuxSLL, .linuxSLL2, .raw, .rawOpenBSD, .ipv4, .null, .loop, .ieee80211, .ieee80211Radiotap,
        .ciscoHDLC,
    ]

    public var isSupported: Bool { Self.supported.contains(self) }

    public var description: String {
        switch self {
        case .null: "BSD loopback"
        case .ethernet: "Ethernet"
        case .raw, .rawOpenBSD, .ipv4: "raw IP"
        case .loop: "OpenBSD loopback"
        case .ieee80211: "IEEE 802.11"
        case .ieee80211Radiotap: "IEEE 802.11 (radiotap)"
        case .linuxSLL: "Linux cooked (SLL)"
        case .linuxSLL2: "Linux cooked v2 (SLL2)"
        case .ciscoHDLC: "Cisco HDLC"
        default: "link type \(self.rawValue)"
        }
    }
}
