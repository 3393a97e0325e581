/// An IPv4 header (RFC 791 §3.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |Version|  IHL  |Type of Service|          Total Length         |
/// |         Identification        |Flags|      Fragment Offset    |
/// |  Time to Live |    Protocol   |         Header Checksum       |
/// |                       Source Address                          |
/// |                    Destination Address                        |
/// ```
public struct IPv4Header: Hashable, Sendable {
    public var headerLength: Int
    public var totalLength: Int
    public var identification: UInt16
    /// "More fragments" flag.
    public var moreFragments: Bool
    /// Fragment offset in bytes.
    public var fragmentOffset: Int
    public var timeToLive: UInt8
    /// Protocol number: 17 UDP, 6 TCP.
    public var protocolNumber: UInt8
    public var source: IPv4Address
    public var destination: IPv4Address

    /// True for any piece of a fragmented datagram. Its payload is not decoded: the other
    /// fragments are needed to know what it holds.
    public var isFragment: Bool { self.moreFragments || self.fragmentOffset > 0 }

    public static let protocolTCP: UInt8 = 6
    public static let protocolUDP: UInt8 = 17
    /// GRE (RFC 2784).
    public static let protocolGRE: UInt8 = 47

    /// Decodes the header at the start of `bytes`; `base` is its offset in the frame.
    ///
    /// - Returns: the header; the payload's length as captured, which is the total length minus
    ///   the header cut to the bytes captured (Ethernet padding beyond total length is dropped);
    ///   and the payload length the header declares.
    static func decode(
        _ bytes: Span<UInt8>, base: Int
    ) throws(WireFormatError) -> (IPv4Header, payloadLength: Int, declaredPayloadLength: Int) {
        var reader = ByteReader(bytes, base: base)
        guard reader.remaining >= 20 else {
            throw .truncated("IPv4", "header", at: base, need: 20, have: reader.remaining)
        }
        let versionAndLength = reader.readUInt8() ?? 0
        guard versionAndLength >> 4 == 4 else {
            throw .invalid("IPv4", "version", at: base, "version \(versionAndLength >> 4), expected 4")
        }
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard headerLength >= 20 else {
            throw .badLength("IPv4", "IHL", at: base, "header length \(headerLength) is below the minimum of 20")
        }
        guard bytes.count >= headerLength else {
            throw .truncated("IPv4", "options", at: base + 20, need: headerLength - 20, have: bytes.count - 20)
        }
        _ = reader.readUInt8()  // type of service
        let totalLength = Int(reader.readUInt16() ?? 0)
        let identification = reader.readUInt16() ?? 0
        let flagsAndOffset = reader.readUInt16() ?? 0
        let ttl = reader.readUInt8() ?? 0
        let proto = reader.readUInt8() ?? 0
        _ = reader.readUInt16()  // checksum
        let source = IPv4Address(rawValue: reader.readUInt32() ?? 0)
        let destination = IPv4Address(rawValue: reader.readUInt32() ?? 0)
        // Some capture paths (TSO on the sending host) record total length 0; trust the capture then.
        let declared = totalLength == 0 ? bytes.count : totalLength
        guard declared >= headerLength else {
            throw .badLength(
                "IPv4", "total length", at: base + 2,
                "total length \(totalLength) is shorter than the header (\(headerLength))"
            )
        }
        let header = IPv4Header(
            headerLength: headerLength, totalLength: totalLength, identification: identification,
            moreFragments: flagsAndOffset & 0x2000 != 0, fragmentOffset: Int(flagsAndOffset & 0x1FFF) * 8,
            timeToLive: ttl, protocolNumber: proto, source: source, destination: destination
        )
        return (header, min(declared, bytes.count) - headerLength, declared - headerLength)
    }
}
