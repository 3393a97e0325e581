/// A Polycom DHCP VLAN discovery string, `VLAN-A=10;`, read as the phone reads it
/// (polycom-boot.md §6, from Polycom's administrator guides): `VLAN-A=` (case-sensitive),
/// then one or more VLAN IDs joined by `+`, then `;`; anything after the `;` is ignored.
///
/// An ID is decimal, hexadecimal with `0x` (or `0X`), or octal with a leading `0`:
/// `VLAN-A=10;`, `VLAN-A=0x0a;` and `VLAN-A=012;` all mean VLAN 10. IDs are 0–4095. No
/// whitespace is allowed before the `;`. Anything else is a typed error naming the option,
/// what is wrong and at which byte of the value.
public struct VLANDiscoveryString: Hashable, Sendable {
    /// The options a phone in the "Fixed" mode examines, in this order, for a valid string;
    /// the "Custom" mode reads one configured option instead.
    public static let fixedOptions: [DHCPOptionCode] = [
        .vlanDiscovery128, .vlanDiscovery144, .vlanDiscovery157, .vlanDiscovery191,
    ]

    static let prefix = Array("VLAN-A=".utf8)

    /// The VLAN IDs, in the order given.
    public var vlanIDs: [UInt16]

    public init(vlanIDs: [UInt16]) {
        self.vlanIDs = vlanIDs
    }

    /// The VLAN the phone moves to: the first ID.
    public var vlanID: UInt16 { self.vlanIDs.first ?? 0 }

    /// Parses the value of option `option`.
    public init(parsing value: [UInt8], option: DHCPOptionCode) throws(WireFormatError) {
        let layer = "DHCP"
        let field = "option \(option) VLAN discovery string"
        guard value.starts(with: Self.prefix) else {
            throw .invalid(
                layer, field, at: 0,
                "\"\(Self.shown(value.prefix(12)))\" does not start with \"VLAN-A=\" (case-sensitive)")
        }
        var ids: [UInt16] = []
        var index = Self.prefix.count
        while true {
            let idStart = index
            while index < value.count, value[index] != UInt8(ascii: "+"), value[index] != UInt8(ascii: ";") {
                index += 1
            }
            guard index < value.count else {
                throw .invalid(layer, field, at: value.count, "no \";\" ends the VLAN IDs")
            }
            ids.append(try Self.vlanID(value[idStart..<index], at: idStart, field: field))
            if value[index] == UInt8(ascii: ";") { break }
            index += 1  // past "+"
        }
        self.vlanIDs = ids
    }

    /// One ID: decimal, `0x` hex or leading-`0` octal, at most 4095.
    private static func vlanID(_ digits: ArraySlice<UInt8>, at offset: Int, field: String) throws(WireFormatError)
        -> UInt16
    {
        guard !digits.isEmpty else {
            throw .invalid("DHCP", field, at: offset, "a VLAN ID is empty")
        }
        var radix: UInt32 = 10
        var body = digits
        var bodyOffset = offset
        if digits.count > 1, digits.first == UInt8(ascii: "0") {
            let second = digits[digits.startIndex + 1]
            if second == UInt8(ascii: "x") || second == UInt8(ascii: "X") {
                radix = 16
                body = digits.dropFirst(2)
                bodyOffset += 2
                guard !body.isEmpty else {
                    throw .invalid("DHCP", field, at: offset, "\"\(Self.shown(digits))\" has no hex digits after 0x")
                }
            } else {
                radix = 8
                body = digits.dropFirst()
                bodyOffset += 1
            }
        }
        var value: UInt32 = 0
        for (position, digit) in body.enumerated() {
            let at = bodyOffset + position
            let number: UInt32? =
                switch digit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(digit - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(digit - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(digit - UInt8(ascii: "A") + 10)
                default: nil
                }
            guard let number, number < radix else {
                let kind = radix == 16 ? "a hex digit" : radix == 8 ? "an octal digit" : "a decimal digit"
                let what = digit == UInt8(ascii: " ") || digit == 0x09 ? "whitespace" : "\"\(Self.shown([digit]))\""
                throw .invalid("DHCP", field, at: at, "\(what) in VLAN ID \"\(Self.shown(digits))\" is not \(kind)")
            }
            value = value * radix + number
            guard value <= 4095 else {
                throw .invalid("DHCP", field, at: offset, "VLAN ID \"\(Self.shown(digits))\" is over 4095")
            }
        }
        return UInt16(value)
    }

    /// Bytes as printable text, others as `\xNN`.
    private static func shown(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + hexByte(byte)
            }
        }
        return text
    }
}
