/// A 48-bit IEEE 802 MAC address, packed into the low 48 bits of a `UInt64`.
public struct MACAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address in its low 48 bits, first octet most significant.
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue & 0xFFFF_FFFF_FFFF
    }

    /// Builds an address from six octets; returns `nil` for any other count.
    public init?(octets: some Collection<UInt8>) {
        guard octets.count == 6 else { return nil }
        self.init(rawValue: octets.reduce(0) { $0 << 8 | UInt64($1) })
    }

    /// Parses `00:04:f2:12:34:56`, `00-04-F2-12-34-56` or `0004f2123456`.
    public init?(_ text: String) {
        let digits = text.utf8.filter { $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "-") }
        guard digits.count == 12 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            guard let nibble = hexValue(digit) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        self.init(rawValue: value)
    }

    /// The six octets, first on the wire first.
    public var octets: [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: self.rawValue >> (40 - 8 * UInt64($0))) }
    }

    /// The organisationally unique identifier: the first three octets.
    public var oui: UInt32 { UInt32(truncatingIfNeeded: self.rawValue >> 24) }

    /// Polycom and Poly OUIs (IEEE registry; polycom-boot.md §5.2) with the vendor each is
    /// registered to: 00:04:F2 and 64:16:7F (Polycom), 48:25:67 (Poly). The one place they are
    /// listed: ``polycomOUIs`` and the analyzer's vendor names come from here.
    public static let polycomOUIVendors: [UInt32: String] = [
        0x0004F2: "Polycom", 0x64167F: "Polycom", 0x482567: "Poly",
    ]

    /// The OUIs of ``polycomOUIVendors``.
    public static let polycomOUIs = Set(polycomOUIVendors.keys)

    /// `00:04:f2:12:34:56`, lowercase, as tshark and tcpdump print it.
    public var description: String {
        var text: [UInt8] = []
        text.reserveCapacity(17)
        self.appendDescription(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// `0004f2123456`: the form Polycom phones use in file names (`<mac>.cfg`).
    public var compactHex: String { hexString(self.octetSequence) }

    /// Appends ``description``'s UTF-8 bytes to `text`, without building a string (the proxy
    /// logs one per datagram).
    public func appendDescription(to text: inout [UInt8]) {
        text.append(addingCapacity: Self.descriptionWidth) { self.appendDescription(to: &$0) }
    }

    /// The bytes ``description`` takes: 17.
    public static let descriptionWidth = 17

    /// Appends ``description``'s bytes where room for them (``descriptionWidth``) was made.
    @_lifetime(text: copy text)
    public func appendDescription(to text: inout OutputSpan<UInt8>) {
        for index in 0..<6 {
            let octet = UInt8(truncatingIfNeeded: self.rawValue >> (40 - 8 * UInt64(index)))
            if index > 0 { text.append(UInt8(ascii: ":")) }
            text.append(hexDigit(octet >> 4))
            text.append(hexDigit(octet & 0x0F))
        }
    }

    private var octetSequence: LazyMapSequence<Range<UInt64>, UInt8> {
        (0..<6).lazy.map { UInt8(truncatingIfNeeded: self.rawValue >> (40 - 8 * $0)) }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

@usableFromInline
func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
}

/// The lowercase hex digit for a value below 16.
@inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
}

/// Two lowercase hex digits.
public func hexByte(_ byte: UInt8) -> String {
    hexString(CollectionOfOne(byte))
}

/// Lowercase hex of every byte, no separators (or `separator` between bytes), written
/// straight into one string.
public func hexString(_ bytes: some Sequence<UInt8>, separator: UInt8? = nil) -> String {
    var text: [UInt8] = []
    appendHex(bytes, separator: separator, to: &text)
    return String(decoding: text, as: UTF8.self)
}

/// Appends `value` in decimal to `text` (UTF-8), without going through a `String`.
public func appendDecimal(_ value: Int, to text: inout [UInt8]) {
    text.append(addingCapacity: decimalWidth) { appendDecimal(value, to: &$0) }
}

/// The most bytes ``appendDecimal(_:to:)`` writes: a sign and 19 digits.
public let decimalWidth = 20

/// Appends `value` in decimal where room for it (``decimalWidth``) was made. The digits are
/// written least significant first, then put in order where they lie.
@_lifetime(text: copy text)
public func appendDecimal(_ value: Int, to text: inout OutputSpan<UInt8>) {
    if value < 0 { text.append(UInt8(ascii: "-")) }
    var low = text.count
    var magnitude = value.magnitude
    repeat {
        text.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        magnitude /= 10
    } while magnitude > 0
    var high = text.count - 1
    while low < high {
        text.swapAt(low, high)
        low += 1
        high -= 1
    }
}

/// Appends the lowercase hex of every byte to `text` (UTF-8), `separator` between bytes.
public func appendHex(_ bytes: some Sequence<UInt8>, separator: UInt8? = nil, to text: inout [UInt8]) {
    text.reserveCapacity(text.count + bytes.underestimatedCount * 3)
    for (index, byte) in bytes.enumerated() {
        if index > 0, let separator { text.append(separator) }
        text.append(hexDigit(byte >> 4))
        text.append(hexDigit(byte & 0x0F))
    }
}

/// Eight lowercase hex digits, most significant first (a DHCP xid: `0000abcd`).
public func hexString(_ value: UInt32) -> String {
    var text: [UInt8] = []
    appendHex(value, to: &text)
    return String(decoding: text, as: UTF8.self)
}

/// Appends the eight lowercase hex digits of `value`, most significant first, to `text` (UTF-8).
public func appendHex(_ value: UInt32, to text: inout [UInt8]) {
    text.append(addingCapacity: 8) { appendHex(value, to: &$0) }
}

/// Appends the eight lowercase hex digits of `value` where room for them was made.
@_lifetime(text: copy text)
public func appendHex(_ value: UInt32, to text: inout OutputSpan<UInt8>) {
    for index in 0..<8 { text.append(hexDigit(UInt8(truncatingIfNeeded: value >> UInt32(28 - 4 * index)) & 0x0F)) }
}
