/// An LLDP data unit (IEEE 802.1AB-2016 §8): the chassis and port that sent it, how long to
/// keep it, the system's name and description, and the LLDP-MED TLVs (``LLDPMED``).
///
/// §8.2: a sequence of TLVs, each a 7-bit type and a 9-bit length followed by the value; the
/// Chassis ID, Port ID and Time To Live TLVs come first, in that order, and an End TLV (type
/// 0) closes the PDU (what follows it, Ethernet padding, is ignored; a PDU that simply ends
/// is accepted). LLDP travels in Ethernet frames of EtherType 0x88CC, normally to
/// 01:80:c2:00:00:0e. Decoding never traps: a TLV that runs past the frame, a mandatory TLV
/// missing or out of place, and a fixed-length TLV of the wrong length are typed errors
/// naming the TLV and its offset.
public struct LLDPDU: Hashable, Sendable {
    /// EtherType 0x88CC.
    public static let etherType: UInt16 = 0x88CC

    public var chassisID: LLDPIdentifier
    public var portID: LLDPIdentifier
    /// Seconds the receiver may keep this information (0: forget it now, §8.5.4).
    public var timeToLive: UInt16
    /// TLV 4.
    public var portDescription: String?
    /// TLV 5.
    public var systemName: String?
    /// TLV 6: a Polycom phone puts model, part number and firmware here (polycom-boot.md §6).
    public var systemDescription: String?
    /// TLV 7: the system capabilities bit map (bit 5 is telephone, bit 2 bridge) and the
    /// enabled ones.
    public var systemCapabilities: UInt16?
    public var enabledCapabilities: UInt16?
    /// The IEEE 802.1 Port VLAN ID TLV (OUI 00-80-C2 subtype 1, 802.1Q-2018 Annex D.2.1):
    /// the port's untagged VLAN.
    public var portVLAN: UInt16?
    /// The LLDP-MED TLVs (OUI 00-12-BB), or `nil` when there are none.
    public var med: LLDPMED?

    public init(
        chassisID: LLDPIdentifier, portID: LLDPIdentifier, timeToLive: UInt16, portDescription: String? = nil,
        systemName: String? = nil, systemDescription: String? = nil, systemCapabilities: UInt16? = nil,
        enabledCapabilities: UInt16? = nil, portVLAN: UInt16? = nil, med: LLDPMED? = nil
    ) {
        self.chassisID = chassisID
        self.portID = portID
        self.timeToLive = timeToLive
        self.portDescription = portDescription
        self.systemName = systemName
        self.systemDescription = systemDescription
        self.systemCapabilities = systemCapabilities
        self.enabledCapabilities = enabledCapabilities
        self.portVLAN = portVLAN
        self.med = med
    }

    /// Telephone capability (bit 5 of TLV 7) enabled.
    public var isTelephone: Bool { (self.enabledCapabilities ?? 0) & 0x20 != 0 }

    /// Decodes the LLDPDU at the start of `bytes` (the Ethernet payload); `base` is its offset
    /// in the frame, for error offsets.
    public init(decoding bytes: [UInt8]) throws(WireFormatError) {
        try self.init(decoding: bytes.span, base: 0)
    }

    /// Decodes the LLDPDU at the start of `bytes` (the Ethernet payload); `base` is its offset
    /// in the frame, for error offsets.
    public init(decoding bytes: Span<UInt8>, base: Int) throws(WireFormatError) {
        var reader = ByteReader(bytes, base: base)
        let chassis = try Self.mandatory(&reader, type: 1, name: "chassis ID")
        let port = try Self.mandatory(&reader, type: 2, name: "port ID")
        let ttl = try Self.mandatory(&reader, type: 3, name: "time to live")
        guard ttl.value.count >= 2 else {
            throw .badLength(
                "LLDP", "time to live TLV", at: ttl.at, "length \(ttl.value.count), must be 2")
        }
        self.init(
            chassisID: try Self.identifier(chassis, role: .chassis), portID: try Self.identifier(port, role: .port),
            timeToLive: UInt16(ttl.value[0]) << 8 | UInt16(ttl.value[1]))
        var med = LLDPMED()
        var hasMED = false
        while reader.remaining > 0 {
            guard let tlv = try Self.nextTLV(&reader) else { break }
            switch tlv.type {
            case 0:
                self = self.finish(med: med, hasMED: hasMED)
                return
            case 4: self.portDescription = Self.text(tlv.value)
            case 5: self.systemName = Self.text(tlv.value)
            case 6: self.systemDescription = Self.text(tlv.value)
            case 7:
                guard tlv.value.count == 4 else {
                    throw .badLength(
                        "LLDP", "system capabilities TLV", at: tlv.at, "length \(tlv.value.count), must be 4")
                }
                self.systemCapabilities = UInt16(tlv.value[0]) << 8 | UInt16(tlv.value[1])
                self.enabledCapabilities = UInt16(tlv.value[2]) << 8 | UInt16(tlv.value[3])
            case 127:
                if try self.decodeOrganizational(tlv, med: &med) { hasMED = true }
            default:
                break  // management address, a repeated mandatory TLV, a reserved type: not needed
            }
        }
        self = self.finish(med: med, hasMED: hasMED)
    }

    private func finish(med: LLDPMED, hasMED: Bool) -> LLDPDU {
        var pdu = self
        if hasMED { pdu.med = med }
        return pdu
    }

    /// One TLV: its type, value and the offset of its header in the frame.
    private struct TLV {
        var type: UInt8
        var value: [UInt8]
        var at: Int
    }

    /// The next TLV, or `nil` when fewer than the 2 header bytes are left (trailing padding
    /// shorter than a TLV header is not a TLV).
    private static func nextTLV(_ reader: inout ByteReader) throws(WireFormatError) -> TLV? {
        let at = reader.absoluteOffset
        guard let header = reader.readUInt16() else { return nil }
        let type = UInt8(truncatingIfNeeded: header >> 9)
        let length = Int(header & 0x01FF)
        guard let value = reader.readArray(length) else {
            throw .truncated("LLDP", "TLV \(type) value", at: at + 2, need: length, have: reader.remaining)
        }
        return TLV(type: type, value: value, at: at)
    }

    private static func mandatory(_ reader: inout ByteReader, type: UInt8, name: String) throws(WireFormatError)
        -> TLV
    {
        let at = reader.absoluteOffset
        guard let tlv = try Self.nextTLV(&reader) else {
            throw .truncated("LLDP", "\(name) TLV", at: at, need: 2, have: reader.remaining)
        }
        guard tlv.type == type else {
            throw .invalid(
                "LLDP", "\(name) TLV", at: at, "TLV \(tlv.type) where the \(name) TLV (type \(type)) must be")
        }
        return tlv
    }

    /// A chassis or port ID: a subtype byte and 1 to 255 bytes of identifier (§8.5.2.1).
    private static func identifier(_ tlv: TLV, role: LLDPIdentifier.Role) throws(WireFormatError) -> LLDPIdentifier {
        let name = role == .chassis ? "chassis ID TLV" : "port ID TLV"
        guard tlv.value.count >= 2 else {
            throw .badLength("LLDP", name, at: tlv.at, "length \(tlv.value.count), must be 2 to 256")
        }
        return LLDPIdentifier(role: role, subtype: tlv.value[0], bytes: Array(tlv.value.dropFirst()))
    }

    /// An organizationally specific TLV (§8.6): IEEE 802.1 Port VLAN ID, or LLDP-MED. Returns
    /// true when it was an LLDP-MED TLV.
    private mutating func decodeOrganizational(_ tlv: TLV, med: inout LLDPMED) throws(WireFormatError) -> Bool {
        let value = tlv.value
        guard value.count >= 4 else {
            throw .badLength(
                "LLDP", "organizationally specific TLV", at: tlv.at,
                "length \(value.count), must be at least 4 (OUI and subtype)")
        }
        let oui = UInt32(value[0]) << 16 | UInt32(value[1]) << 8 | UInt32(value[2])
        let subtype = value[3]
        let body = Array(value[4...])
        switch oui {
        case 0x0080C2 where subtype == 1:
            guard body.count == 2 else {
                throw .badLength("LLDP", "802.1 port VLAN ID TLV", at: tlv.at, "length \(value.count), must be 6")
            }
            self.portVLAN = UInt16(body[0]) << 8 | UInt16(body[1])
            return false
        case 0x0012BB:
            try Self.decodeMED(subtype: subtype, body: body, at: tlv.at, into: &med)
            return true
        default:
            return false
        }
    }

    /// An LLDP-MED TLV (ANSI/TIA-1057 §10.2).
    private static func decodeMED(subtype: UInt8, body: [UInt8], at: Int, into med: inout LLDPMED)
        throws(WireFormatError)
    {
        switch subtype {
        case 1:
            guard body.count == 3 else {
                throw .badLength("LLDP-MED", "capabilities TLV", at: at, "length \(body.count + 4), must be 7")
            }
            med.capabilities = UInt16(body[0]) << 8 | UInt16(body[1])
            med.deviceClass = body[2]
        case 2:
            guard body.count == 4 else {
                throw .badLength("LLDP-MED", "network policy TLV", at: at, "length \(body.count + 4), must be 8")
            }
            let fields = UInt32(body[1]) << 16 | UInt32(body[2]) << 8 | UInt32(body[3])
            med.networkPolicies.append(LLDPNetworkPolicy(application: body[0], flagsAndFields: fields))
        case 5...11:
            guard body.count <= 32 else {
                throw .badLength(
                    "LLDP-MED", "inventory TLV \(subtype)", at: at, "length \(body.count + 4), must be at most 36")
            }
            let text = Self.text(body)
            switch subtype {
            case 5: med.hardwareRevision = text
            case 6: med.firmwareRevision = text
            case 7: med.softwareRevision = text
            case 8: med.serialNumber = text
            case 9: med.manufacturer = text
            case 10: med.model = text
            default: med.assetID = text
            }
        default:
            break  // location, extended power: not needed here
        }
    }

    /// A TLV's text: UTF-8, up to a NUL (some senders pad with NULs).
    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
