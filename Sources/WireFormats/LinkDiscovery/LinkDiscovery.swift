/// An LLDP or CDP announcement found in a frame: what a switch tells a port (its voice VLAN)
/// or what a device says about itself (polycom-boot.md §0 step 1, §6).
public enum LinkDiscovery: Hashable, Sendable {
    case lldp(LLDPDU)
    case cdp(CDPPacket)

    /// `"LLDP"` or `"CDP"`.
    public var protocolName: String {
        switch self {
        case .lldp: "LLDP"
        case .cdp: "CDP"
        }
    }

    /// Whether an EtherType (or, for CDP, the SNAP protocol ID ``LinkLayerHeader`` reports as
    /// one) is LLDP's or CDP's.
    @inlinable
    public static func carries(etherType: UInt16) -> Bool {
        etherType == LLDPDU.etherType || etherType == CDPPacket.protocolID
    }

    /// Decodes the payload of a frame whose EtherType is LLDP's or CDP's; `nil` for any other.
    public static func decode(etherType: UInt16, payload: Span<UInt8>, base: Int) throws(WireFormatError)
        -> LinkDiscovery?
    {
        switch etherType {
        case LLDPDU.etherType: .lldp(try LLDPDU(decoding: payload, base: base))
        case CDPPacket.protocolID: .cdp(try CDPPacket(decoding: payload, base: base))
        default: nil
        }
    }
}
