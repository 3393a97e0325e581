/// What a relay agent reads from a DHCP message (RFC 1542 §4, RFC 2131 §4.1), decoded without
/// copying or allocating: the fixed header's numbers and options 53, 55 and 57.
///
/// It accepts and refuses exactly the bytes ``DHCPMessage/init(decoding:base:)`` does (the two
/// share the header check, the option walk and the option 52 rules, RFC 2132 §9.3), so a relay
/// that forwards on a summary forwards nothing the full decoder would call malformed. Options
/// are read merged across the `options`, `file` and `sname` fields as RFC 3396 §7 says.
public struct DHCPMessageSummary: Hashable, Sendable {
    /// `op`: 1 BOOTREQUEST, 2 BOOTREPLY.
    public let op: UInt8
    /// `hops`.
    public let hops: UInt8
    /// `xid`.
    public let transactionID: UInt32
    /// `flags`: bit 15 is BROADCAST.
    public let flags: UInt16
    /// `ciaddr`.
    public let clientAddress: IPv4Address
    /// `giaddr`.
    public let relayAddress: IPv4Address
    /// The client MAC address, when `htype` is Ethernet and `hlen` is 6.
    public let clientMAC: MACAddress?
    /// `chaddr`, all 16 bytes: the first 8 and the last 8, first octet most significant.
    private let clientHardwareAddressHigh: UInt64
    private let clientHardwareAddressLow: UInt64
    /// Option 53, when present and one byte long; `nil` for plain BOOTP.
    public private(set) var messageType: DHCPMessageType?
    /// Option 55: the options the client asks for; `nil` when it sent no list.
    public private(set) var parameterRequestList: DHCPOptionCodeSet?
    /// Option 57, when present and two bytes long.
    public private(set) var maximumMessageSize: UInt16?

    /// True for BOOTREQUEST (op 1).
    public var isRequest: Bool { self.op == 1 }

    /// True when the BROADCAST flag is set.
    public var isBroadcast: Bool { self.flags & 0x8000 != 0 }

    /// `chaddr`: all 16 bytes of the client hardware address field, as on the wire (what an
    /// answer copies back, RFC 2131 §4.3.1 table 3).
    public var clientHardwareAddressField: [UInt8] {
        [self.clientHardwareAddressHigh, self.clientHardwareAddressLow].flatMap { half in
            (0..<8).map { UInt8(truncatingIfNeeded: half >> (56 - 8 * UInt64($0))) }
        }
    }

    /// Reads a DHCP/BOOTP message from a UDP payload; throws what ``DHCPMessage`` would throw.
    public init(decoding bytes: Span<UInt8>, base: Int = 0) throws(WireFormatError) {
        try self.init(decoding: bytes, base: base) { _, _ in }
    }

    /// ``init(decoding:base:)``, showing `eachOption` every option's code and value as the walk
    /// meets them, in the order RFC 3396 §7 joins the pieces of one value (`options`, then
    /// `file`, then `sname`): what a reader that wants a few options' values takes, without the
    /// full decoder's arrays. The walk may still throw after showing some options; a caller
    /// keeps what it saw only when the summary is made.
    public init(
        decoding bytes: Span<UInt8>, base: Int = 0, eachOption: (DHCPOptionCode, Span<UInt8>) -> Void
    ) throws(WireFormatError) {
        try DHCPMessage.checkFixedHeader(bytes, base: base)
        var reader = ByteReader(bytes, base: base)
        self.op = reader.readUInt8() ?? 0
        let hardwareType = reader.readUInt8() ?? 0
        let hardwareLength = reader.readUInt8() ?? 0
        self.hops = reader.readUInt8() ?? 0
        self.transactionID = reader.readUInt32() ?? 0
        _ = reader.skip(2)
        self.flags = reader.readUInt16() ?? 0
        self.clientAddress = IPv4Address(rawValue: reader.readUInt32() ?? 0)
        _ = reader.skip(8)
        self.relayAddress = IPv4Address(rawValue: reader.readUInt32() ?? 0)
        let chaddr0 = UInt64(reader.readUInt32() ?? 0)
        let chaddr1 = UInt64(reader.readUInt32() ?? 0)
        let chaddr2 = UInt64(reader.readUInt32() ?? 0)
        let chaddr3 = UInt64(reader.readUInt32() ?? 0)
        self.clientHardwareAddressHigh = chaddr0 << 32 | chaddr1
        self.clientHardwareAddressLow = chaddr2 << 32 | chaddr3
        // The MAC is the field's first 6 bytes.
        self.clientMAC =
            hardwareType == 1 && hardwareLength == 6 ? MACAddress(rawValue: self.clientHardwareAddressHigh >> 16) : nil
        guard DHCPMessage.hasMagicCookie(bytes) else {
            try DHCPMessage.checkBOOTPVendorField(bytes, base: base)
            return
        }

        // Options 53 and 57 are read from their merged bytes (RFC 3396: a value may come in
        // pieces): `first` and `second` hold the first two, `length` counts them all.
        var type = MergedValue()
        var size = MergedValue()
        var requested: DHCPOptionCodeSet?
        var overload: Range<Int>?
        var nestedOverload = false
        func visit(_ bytes: Span<UInt8>, inOverloadedField: Bool, _ token: DHCPOptionArea.Token) {
            guard case .option(let code, let data) = token else { return }
            eachOption(DHCPOptionCode(code), bytes.extracting(data))
            switch DHCPOptionCode(code) {
            case .messageType:
                type.append(bytes, data)
            case .maximumMessageSize:
                size.append(bytes, data)
            case .parameterRequestList:
                var set = requested ?? DHCPOptionCodeSet()
                for index in data { set.insert(DHCPOptionCode(bytes[index])) }
                requested = set
            case .overload:
                if inOverloadedField { nestedOverload = true } else { overload = data }
            default:
                break
            }
        }

        let cookieAt = base + DHCPMessage.fixedHeaderLength
        let options = bytes.extracting(DHCPMessage.fixedHeaderLength + 4..<bytes.count)
        try DHCPOptionArea.walk(options, base: cookieAt + 4, field: "options") { token in
            visit(options, inOverloadedField: false, token)
        }
        if let overload {
            let value = try DHCPMessage.checkedOverload(options.extracting(overload), at: cookieAt)
            for field in DHCPMessage.overloadedFields where value & field.bit != 0 {
                let area = bytes.extracting(field.range)
                let start = base + field.range.lowerBound
                try DHCPOptionArea.walk(area, base: start, field: field.name) {
                    visit(area, inOverloadedField: true, $0)
                }
                if nestedOverload { throw DHCPMessage.nestedOverload(in: field.name, at: start) }
            }
        }
        self.messageType = type.length == 1 ? DHCPMessageType(rawValue: type.first) : nil
        self.maximumMessageSize = size.length == 2 ? UInt16(size.first) << 8 | UInt16(size.second) : nil
        self.parameterRequestList = requested
    }

    /// Reads from an array (the proxy).
    public init(decoding bytes: [UInt8]) throws(WireFormatError) {
        try self.init(decoding: bytes.span)
    }
}

/// The first two bytes and the length of an option's value, pieces joined.
private struct MergedValue {
    var first: UInt8 = 0
    var second: UInt8 = 0
    var length = 0

    mutating func append(_ bytes: Span<UInt8>, _ range: Range<Int>) {
        for index in range {
            if self.length == 0 { self.first = bytes[index] } else if self.length == 1 { self.second = bytes[index] }
            self.length += 1
        }
    }
}
