/// An LLDP chassis ID or port ID: a subtype and the identifier bytes (IEEE 802.1AB-2016
/// §8.5.2, §8.5.3).
///
/// The subtype says how to read the bytes: a MAC address (chassis subtype 4, port subtype 3),
/// a network address (chassis 5, port 4: an IANA address family, then the address), or text
/// (chassis 1, 2, 3, 6, 7; port 1, 2, 5, 6, 7).
public struct LLDPIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// Which of the two identifiers this is: the subtypes mean different things in each.
    public enum Role: Hashable, Sendable {
        case chassis, port
    }

    public var role: Role
    public var subtype: UInt8
    /// The identifier, without its subtype byte.
    public var bytes: [UInt8]

    public init(role: Role, subtype: UInt8, bytes: [UInt8]) {
        self.role = role
        self.subtype = subtype
        self.bytes = bytes
    }

    /// The MAC address, when the subtype says it is one and the bytes are six.
    public var macAddress: MACAddress? {
        let macSubtype: UInt8 = self.role == .chassis ? 4 : 3
        guard self.subtype == macSubtype else { return nil }
        return MACAddress(octets: self.bytes)
    }

    /// The IPv4 address, when the subtype is a network address of family 1 (IPv4).
    public var ipv4Address: IPv4Address? {
        let addressSubtype: UInt8 = self.role == .chassis ? 5 : 4
        guard self.subtype == addressSubtype, self.bytes.count == 5, self.bytes.first == 1 else { return nil }
        return IPv4Address(octets: self.bytes.dropFirst())
    }

    /// The identifier as text, when its subtype is a textual one (an interface name, a
    /// locally assigned name): `nil` for addresses.
    public var text: String? {
        guard self.macAddress == nil, self.ipv4Address == nil else { return nil }
        let addressSubtypes: Set<UInt8> = self.role == .chassis ? [4, 5] : [3, 4]
        guard !addressSubtypes.contains(self.subtype) else { return nil }
        return String(decoding: self.bytes, as: UTF8.self)
    }

    /// The subtype's name in 802.1AB's words.
    public var subtypeName: String {
        switch (self.role, self.subtype) {
        case (.chassis, 1): "chassis component"
        case (.chassis, 2): "interface alias"
        case (.chassis, 3): "port component"
        case (.chassis, 4): "MAC address"
        case (.chassis, 5): "network address"
        case (.chassis, 6): "interface name"
        case (.chassis, 7): "locally assigned"
        case (.port, 1): "interface alias"
        case (.port, 2): "port component"
        case (.port, 3): "MAC address"
        case (.port, 4): "network address"
        case (.port, 5): "interface name"
        case (.port, 6): "agent circuit ID"
        case (.port, 7): "locally assigned"
        default: "subtype \(self.subtype)"
        }
    }

    /// The MAC or IPv4 address, the text when it is printable UTF-8, or else the bytes in hex.
    public var description: String {
        if let mac = self.macAddress { return mac.description }
        if let address = self.ipv4Address { return address.description }
        if let text = self.text,
            text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && $0.value != 0xFFFD })
        {
            return text
        }
        return hexString(self.bytes)
    }
}
