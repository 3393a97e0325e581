/// A Cisco Discovery Protocol packet: who sent it and, from a switch, the native and voice
/// VLANs of the port.
///
/// CDP has no RFC; this follows Cisco's published TLV list as Wireshark's dissector decodes
/// it. A 4-byte header (version, TTL in seconds, checksum) and TLVs, each a 16-bit type, a
/// 16-bit length that includes the 4-byte TLV header, and the value. CDP travels in IEEE
/// 802.3 frames with an LLC/SNAP header `aa aa 03 00 00 0c 20 00` (Cisco OUI, protocol ID
/// 0x2000), normally to 01:00:0c:cc:cc:cc. The checksum is not verified (captures of
/// working phones carry wrong ones). Decoding never traps: a TLV shorter than its header or
/// running past the packet is a typed error naming the TLV and its offset.
public struct CDPPacket: Hashable, Sendable {
    /// The SNAP protocol ID of CDP (with OUI 00-00-0C), also its EtherType in GRE.
    public static let protocolID: UInt16 = 0x2000

    /// The VoIP VLAN TLVs (types 0x000e, reply, and 0x000f, query): an appliance ID (1 is a
    /// phone) and a VLAN ID. A switch's reply tells a phone its voice VLAN; a phone's query
    /// asks for it.
    public struct VoiceVLAN: Hashable, Sendable {
        public var applianceID: UInt8
        public var vlanID: UInt16

        public init(applianceID: UInt8, vlanID: UInt16) {
            self.applianceID = applianceID
            self.vlanID = vlanID
        }
    }

    public var version: UInt8
    /// Seconds the receiver may keep this information.
    public var timeToLive: UInt8
    /// TLV 0x0001: a phone sends `SEP<MAC>`, a switch its host name.
    public var deviceID: String?
    /// TLV 0x0003: the sender's interface.
    public var portID: String?
    /// TLV 0x0004: capability bits (0x80 is a VoIP phone, 0x08 a switch).
    public var capabilities: UInt32?
    /// TLV 0x0005 (several lines).
    public var softwareVersion: String?
    /// TLV 0x0006: `Polycom VVX 311`, `cisco WS-C2960-24PC-L`.
    public var platform: String?
    /// TLV 0x000a: the port's native (untagged) VLAN.
    public var nativeVLAN: UInt16?
    /// TLV 0x000e: the voice VLAN a switch tells the phone to use.
    public var voiceVLANReply: VoiceVLAN?
    /// TLV 0x000f: a phone asking for its voice VLAN.
    public var voiceVLANQuery: VoiceVLAN?

    public init(version: UInt8, timeToLive: UInt8) {
        self.version = version
        self.timeToLive = timeToLive
    }

    /// Capability bit 0x80: the sender is a VoIP phone.
    public var isPhone: Bool { (self.capabilities ?? 0) & 0x80 != 0 }

    public init(decoding bytes: [UInt8]) throws(WireFormatError) {
        try self.init(decoding: bytes.span, base: 0)
    }

    /// Decodes the CDP packet in `bytes` (after the LLC/SNAP header); `base` is its offset in
    /// the frame, for error offsets.
    public init(decoding bytes: Span<UInt8>, base: Int) throws(WireFormatError) {
        var reader = ByteReader(bytes, base: base)
        guard let version = reader.readUInt8(), let ttl = reader.readUInt8(), reader.skip(2) else {
            throw .truncated("CDP", "header", at: base, need: 4, have: bytes.count)
        }
        self.init(version: version, timeToLive: ttl)
        while reader.remaining > 0 {
            let at = reader.absoluteOffset
            let available = reader.remaining
            guard let type = reader.readUInt16(), let length = reader.readUInt16() else {
                throw .truncated("CDP", "TLV header", at: at, need: 4, have: available)
            }
            guard length >= 4 else {
                throw .badLength(
                    "CDP", "TLV \(Self.name(type)) length", at: at + 2,
                    "length \(length) is below the 4-byte TLV header")
            }
            guard let value = reader.readArray(Int(length) - 4) else {
                throw .truncated(
                    "CDP", "TLV \(Self.name(type)) value", at: at + 4, need: Int(length) - 4, have: reader.remaining)
            }
            try self.apply(type: type, value: value, at: at)
        }
    }

    private mutating func apply(type: UInt16, value: [UInt8], at: Int) throws(WireFormatError) {
        switch type {
        case 0x0001: self.deviceID = Self.text(value)
        case 0x0003: self.portID = Self.text(value)
        case 0x0004:
            guard value.count == 4 else {
                throw .badLength("CDP", "capabilities TLV", at: at, "length \(value.count + 4), must be 8")
            }
            self.capabilities = value.reduce(0) { $0 << 8 | UInt32($1) }
        case 0x0005: self.softwareVersion = Self.text(value)
        case 0x0006: self.platform = Self.text(value)
        case 0x000A:
            guard value.count == 2 else {
                throw .badLength("CDP", "native VLAN TLV", at: at, "length \(value.count + 4), must be 6")
            }
            self.nativeVLAN = UInt16(value[0]) << 8 | UInt16(value[1])
        case 0x000E, 0x000F:
            guard value.count >= 3 else {
                throw .badLength(
                    "CDP", "\(Self.name(type)) TLV", at: at, "length \(value.count + 4), must be at least 7")
            }
            let voice = VoiceVLAN(applianceID: value[0], vlanID: UInt16(value[1]) << 8 | UInt16(value[2]))
            if type == 0x000E { self.voiceVLANReply = voice } else { self.voiceVLANQuery = voice }
        default:
            break
        }
    }

    private static func name(_ type: UInt16) -> String {
        switch type {
        case 0x000E: "VoIP VLAN reply"
        case 0x000F: "VoIP VLAN query"
        default: "0x" + hexByte(UInt8(type >> 8)) + hexByte(UInt8(truncatingIfNeeded: type))
        }
    }

    /// A TLV's text, up to a NUL.
    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
