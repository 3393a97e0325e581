/// The tunnel a frame was found in: its kind and the outer addresses, which are where the
/// traffic was captured (a remote switch port mirrored by ERSPAN, a wireless controller's
/// uplink carrying CAPWAP), while the decoded packet itself is the inner one.
///
/// Decapsulated: GRE (RFC 2784 with the key and sequence number of RFC 2890; inner IPv4,
/// transparent Ethernet bridging 0x6558, LLDP and CDP), ERSPAN type I/II (GRE 0x88BE) and
/// type III (GRE 0x22EB) as draft-foschiano-erspan-03 §4 lays them out, VXLAN (RFC 7348 §5,
/// UDP 4789) and CAPWAP data (RFC 5415 §4.3, UDP 5247) carrying 802.3 or 802.11 frames
/// (RFC 5416 §4.2). When tunnels nest, this is the outermost one.
public struct Tunnel: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case gre = "GRE"
        case erspanI = "ERSPAN I"
        case erspanII = "ERSPAN II"
        case erspanIII = "ERSPAN III"
        case vxlan = "VXLAN"
        case capwap = "CAPWAP"
    }

    public var kind: Kind
    /// The outer IPv4 source: the tunnel's sending end (the switch, the access point).
    public var outerSource: IPv4Address
    /// The outer IPv4 destination: the tunnel's receiving end (the analyser, the controller).
    public var outerDestination: IPv4Address
    /// The outer frame's 802.1Q VLAN IDs.
    public var outerVLANs: VLANTags
    /// The GRE key, the ERSPAN session ID or the VXLAN network identifier, when there is one.
    public var identifier: UInt32?
    /// ERSPAN: the VLAN the mirrored frame was on, when the header gives it and the frame no
    /// longer carries its tag.
    public var originalVLAN: UInt16?

    public init(
        kind: Kind, outerSource: IPv4Address, outerDestination: IPv4Address, outerVLANs: VLANTags = VLANTags(),
        identifier: UInt32? = nil, originalVLAN: UInt16? = nil
    ) {
        self.kind = kind
        self.outerSource = outerSource
        self.outerDestination = outerDestination
        self.outerVLANs = outerVLANs
        self.identifier = identifier
        self.originalVLAN = originalVLAN
    }

    /// What ``identifier`` is called for this kind: `key`, `session`, `vni`.
    public var identifierName: String {
        switch self.kind {
        case .gre: "key"
        case .erspanI, .erspanII, .erspanIII: "session"
        case .vxlan: "vni"
        case .capwap: "radio"
        }
    }

    /// `VXLAN 192.0.2.1 > 192.0.2.2 vni 100`.
    public var description: String {
        var text = "\(self.kind.rawValue) \(self.outerSource) > \(self.outerDestination)"
        if !self.outerVLANs.isEmpty { text += " vlan \(self.outerVLANs)" }
        if let identifier = self.identifier { text += " \(self.identifierName) \(identifier)" }
        if let vlan = self.originalVLAN { text += " original-vlan \(vlan)" }
        return text
    }
}
