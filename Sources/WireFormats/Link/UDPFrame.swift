/// A whole Ethernet frame carrying one IPv4/UDP datagram, built for sending: Ethernet II
/// (IEEE 802.3 §3.1), an optional 802.1Q tag (IEEE 802.1Q §9.6), an IPv4 header without
/// options (RFC 791 §3.1) and a UDP header (RFC 768), both with their checksums (RFC 1071).
///
/// `phoneboot probe` sends its DHCP messages as such frames, from 0.0.0.0 to the broadcast
/// address, as a phone without an address does (RFC 2131 §4.1).
///
/// ```swift
/// let frame = UDPFrame(source: mac, destination: .broadcastMAC, sourceAddress: .any,
///                      destinationAddress: .broadcast, sourcePort: 68, destinationPort: 67,
///                      payload: discover.encoded())
/// let bytes = frame.encoded()
/// ```
public struct UDPFrame: Hashable, Sendable {
    /// The Ethernet source address.
    public var source: MACAddress
    /// The Ethernet destination address.
    public var destination: MACAddress
    /// The 802.1Q VLAN ID (1-4094) of a tag to insert, or `nil` for an untagged frame.
    public var vlan: UInt16?
    /// The 802.1Q priority code point (0-7) of the tag.
    public var priority: UInt8
    public var sourceAddress: IPv4Address
    public var destinationAddress: IPv4Address
    /// The IPv4 time to live.
    public var timeToLive: UInt8
    /// The IPv4 identification field.
    public var identification: UInt16
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// The UDP payload.
    public var payload: [UInt8]

    /// The Ethernet broadcast address ff:ff:ff:ff:ff:ff.
    public static let broadcastMAC = MACAddress(rawValue: 0xFFFF_FFFF_FFFF)
    /// The shortest Ethernet frame without its FCS (IEEE 802.3 §4.4.2): shorter ones are padded.
    public static let minimumLength = 60
    /// The most UDP payload one unfragmented frame can carry here (a 1500-byte IP MTU).
    public static let maximumPayload = 1500 - 20 - 8

    public init(
        source: MACAddress, destination: MACAddress, vlan: UInt16? = nil, priority: UInt8 = 0,
        sourceAddress: IPv4Address, destinationAddress: IPv4Address, timeToLive: UInt8 = 64,
        identification: UInt16 = 0, sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8]
    ) {
        self.source = source
        self.destination = destination
        self.vlan = vlan
        self.priority = priority
        self.sourceAddress = sourceAddress
        self.destinationAddress = destinationAddress
        self.timeToLive = timeToLive
        self.identification = identification
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.payload = payload
    }

    /// The frame's bytes, padded with zeros to ``minimumLength``; a payload longer than
    /// ``maximumPayload`` is cut there (a DHCP message is far shorter).
    public func encoded() -> [UInt8] {
        let payload = self.payload.prefix(Self.maximumPayload)
        let udpLength = 8 + payload.count
        let totalLength = 20 + udpLength
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(Self.minimumLength, 18 + totalLength))
        bytes += self.destination.octets
        bytes += self.source.octets
        if let vlan = self.vlan {
            bytes += bigEndian(0x8100)
            bytes += bigEndian(UInt16(self.priority & 0x7) << 13 | vlan & 0x0FFF)
        }
        bytes += bigEndian(LinkLayerHeader.etherTypeIPv4)

        var ip: [UInt8] = [0x45, 0]
        ip += bigEndian(UInt16(totalLength))
        ip += bigEndian(self.identification)
        ip += [0, 0, self.timeToLive, IPv4Header.protocolUDP, 0, 0]
        ip += self.sourceAddress.octets
        ip += self.destinationAddress.octets
        let headerChecksum = Self.internetChecksum(ip)
        ip[10] = UInt8(headerChecksum >> 8)
        ip[11] = UInt8(headerChecksum & 0xFF)
        bytes += ip

        var udp = bigEndian(self.sourcePort) + bigEndian(self.destinationPort) + bigEndian(UInt16(udpLength)) + [0, 0]
        udp += payload
        // RFC 768: the sum covers a pseudo-header of the addresses, protocol and UDP length;
        // a result of 0 is sent as all ones (0 means "no checksum").
        let pseudo =
            self.sourceAddress.octets + self.destinationAddress.octets + [0, IPv4Header.protocolUDP]
            + bigEndian(UInt16(udpLength))
        var udpChecksum = Self.internetChecksum(pseudo + udp)
        if udpChecksum == 0 { udpChecksum = 0xFFFF }
        udp[6] = UInt8(udpChecksum >> 8)
        udp[7] = UInt8(udpChecksum & 0xFF)
        bytes += udp
        if bytes.count < Self.minimumLength {
            bytes += [UInt8](repeating: 0, count: Self.minimumLength - bytes.count)
        }
        return bytes
    }

    /// The Internet checksum of `bytes` (RFC 1071 §4.1): the ones' complement of the ones'
    /// complement sum of the 16-bit words, an odd last byte padded with zero.
    public static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum &+= UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }
}

/// Two bytes, most significant first.
private func bigEndian(_ value: UInt16) -> [UInt8] {
    [UInt8(value >> 8), UInt8(value & 0xFF)]
}
