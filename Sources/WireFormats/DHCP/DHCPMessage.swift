/// A BOOTP/DHCP message (RFC 2131 §2, RFC 951), decoded exactly and encodable byte for byte.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
/// |                            xid (4)                            |
/// |           secs (2)            |           flags (2)           |
/// |                          ciaddr  (4)                          |
/// |                          yiaddr  (4)                          |
/// |                          siaddr  (4)                          |
/// |                          giaddr  (4)                          |
/// |                          chaddr  (16)                         |
/// |                          sname   (64)                         |
/// |                          file    (128)                        |
/// |          magic cookie 99.130.83.99, then options (variable)   |
/// ```
///
/// Options are kept per area as they lie on the wire (``DHCPOptionArea``); ``options`` is the
/// merged view that RFC 3396 defines, across the `options` field and, when option 52 says so,
/// the `file` and `sname` fields.
public struct DHCPMessage: Hashable, Sendable {
    /// What follows the fixed header.
    public enum VendorArea: Hashable, Sendable {
        /// The magic cookie, then options (DHCP, RFC 2131 §3).
        case options(DHCPOptionArea)
        /// No magic cookie: plain BOOTP vendor bytes (RFC 951), kept raw. May be empty.
        case raw([UInt8])
    }

    /// `op`: 1 BOOTREQUEST (client to server), 2 BOOTREPLY.
    public var op: UInt8
    /// `htype`: hardware address type, 1 for Ethernet.
    public var hardwareType: UInt8
    /// `hlen`: hardware address length, 6 for Ethernet.
    public var hardwareLength: UInt8
    /// `hops`: incremented by each relay agent (RFC 1542 §4.1.1).
    public var hops: UInt8
    /// `xid`: the transaction ID that ties a client's messages to the server's replies.
    public var transactionID: UInt32
    /// `secs`: seconds since the client began.
    public var seconds: UInt16
    /// `flags`: bit 15 is BROADCAST (RFC 2131 §2, figure 2).
    public var flags: UInt16
    /// `ciaddr`: the client's address, when it has one (RENEW, INFORM).
    public var clientAddress: IPv4Address
    /// `yiaddr`: the address the server gives the client.
    public var yourAddress: IPv4Address
    /// `siaddr`: the next server to use in bootstrap.
    public var serverAddress: IPv4Address
    /// `giaddr`: the relay agent's address.
    public var relayAddress: IPv4Address
    /// `chaddr`: all 16 bytes of the client hardware address field.
    public var clientHardwareAddressField: [UInt8]
    /// `sname`: all 64 bytes, as on the wire (options when overloaded).
    public var serverNameField: [UInt8]
    /// `file`: all 128 bytes, as on the wire (options when overloaded).
    public var bootFileField: [UInt8]
    /// The magic cookie and options, or raw BOOTP vendor bytes.
    public var vendorArea: VendorArea { didSet { self.options = self.mergedOptions() } }
    /// Options read from the `file` field when option 52 overloads it.
    public var fileOptions: DHCPOptionArea? { didSet { self.options = self.mergedOptions() } }
    /// Options read from the `sname` field when option 52 overloads it.
    public var serverNameOptions: DHCPOptionArea? { didSet { self.options = self.mergedOptions() } }
    /// The options of every area, merged as RFC 3396 §7 says: the `options` field, then
    /// `file`, then `sname`, with the pieces of a repeated code joined in that order. Merged
    /// once, when the message is made or an area is set: nearly everything asks for it.
    public private(set) var options: DHCPOptions

    /// The length of the fixed BOOTP header before the magic cookie.
    public static let fixedHeaderLength = 236
    /// The size of the BOOTP `vend` field when there is no magic cookie (RFC 951 §3).
    public static let bootpVendorLength = 64
    /// 99.130.83.99 (RFC 2131 §3).
    public static let magicCookie: UInt32 = 0x6382_5363
    /// The UDP port of DHCP servers and relays.
    public static let serverPort: UInt16 = 67
    /// The UDP port of DHCP clients.
    public static let clientPort: UInt16 = 68

    public init(
        op: UInt8, hardwareType: UInt8 = 1, hardwareLength: UInt8 = 6, hops: UInt8 = 0,
        transactionID: UInt32, seconds: UInt16 = 0, flags: UInt16 = 0,
        clientAddress: IPv4Address = .any, yourAddress: IPv4Address = .any,
        serverAddress: IPv4Address = .any, relayAddress: IPv4Address = .any,
        clientHardwareAddress: MACAddress,
        serverNameField: [UInt8] = [UInt8](repeating: 0, count: 64),
        bootFileField: [UInt8] = [UInt8](repeating: 0, count: 128),
        options: DHCPOptionArea
    ) {
        self.op = op
        self.hardwareType = hardwareType
        self.hardwareLength = hardwareLength
        self.hops = hops
        self.transactionID = transactionID
        self.seconds = seconds
        self.flags = flags
        self.clientAddress = clientAddress
        self.yourAddress = yourAddress
        self.serverAddress = serverAddress
        self.relayAddress = relayAddress
        self.clientHardwareAddressField = clientHardwareAddress.octets + [UInt8](repeating: 0, count: 10)
        self.serverNameField = serverNameField
        self.bootFileField = bootFileField
        self.vendorArea = .options(options)
        self.fileOptions = nil
        self.serverNameOptions = nil
        self.options = DHCPOptions(options.options)
    }

    /// True for BOOTREQUEST (op 1).
    public var isRequest: Bool { self.op == 1 }

    /// True when `bytes` begin with op 2, BOOTREPLY (RFC 951 §3): a server's reply, told apart
    /// before anything is decoded. Says nothing of whether the rest decodes.
    public static func startsAsReply(_ bytes: [UInt8]) -> Bool { bytes.first == 2 }

    /// True when `secs` looks byte-swapped: some clients (Windows among them) write it
    /// little-endian, so 26 seconds arrives as 0x1a00. Wireshark flags the same pattern.
    public var secondsAppearLittleEndian: Bool {
        self.seconds > 0xFF && self.seconds & 0xFF == 0
    }

    /// `secs` read the other way round, for the clients ``secondsAppearLittleEndian`` describes.
    public var secondsByteSwapped: UInt16 { self.seconds.byteSwapped }

    /// True when the BROADCAST flag is set.
    public var isBroadcast: Bool { self.flags & 0x8000 != 0 }

    /// The client MAC address, when `htype` is Ethernet and `hlen` is 6.
    public var clientMAC: MACAddress? {
        guard self.hardwareType == 1, self.hardwareLength == 6 else { return nil }
        return MACAddress(octets: self.clientHardwareAddressField.prefix(6))
    }

    /// The `sname` field as text, when it does not hold overloaded options.
    public var serverName: String? {
        self.serverNameOptions == nil ? nulTerminatedString(self.serverNameField) : nil
    }

    /// The `file` field as text, when it does not hold overloaded options.
    public var bootFileName: String? {
        self.fileOptions == nil ? nulTerminatedString(self.bootFileField) : nil
    }

    /// True when the message carries the DHCP magic cookie.
    public var hasMagicCookie: Bool {
        if case .options = self.vendorArea { true } else { false }
    }

    /// ``options``, worked out from the areas.
    private func mergedOptions() -> DHCPOptions {
        guard case .options(let main) = self.vendorArea else { return DHCPOptions([]) }
        var merged = DHCPOptions(main.options)
        if let file = self.fileOptions { merged.merge(file.options) }
        if let sname = self.serverNameOptions { merged.merge(sname.options) }
        return merged
    }

    /// The DHCP message type (option 53), or `nil` for plain BOOTP.
    public var messageType: DHCPMessageType? { self.options.messageType }

    /// Decodes a DHCP/BOOTP message from a UDP payload. `base` is the payload's offset in its
    /// frame, so that error offsets count from the start of the frame.
    public init(decoding bytes: Span<UInt8>, base: Int = 0) throws(WireFormatError) {
        try Self.checkFixedHeader(bytes, base: base)
        var reader = ByteReader(bytes, base: base)
        self.op = reader.readUInt8() ?? 0
        self.hardwareType = reader.readUInt8() ?? 0
        self.hardwareLength = reader.readUInt8() ?? 0
        self.hops = reader.readUInt8() ?? 0
        self.transactionID = reader.readUInt32() ?? 0
        self.seconds = reader.readUInt16() ?? 0
        self.flags = reader.readUInt16() ?? 0
        self.clientAddress = IPv4Address(rawValue: reader.readUInt32() ?? 0)
        self.yourAddress = IPv4Address(rawValue: reader.readUInt32() ?? 0)
        self.serverAddress = IPv4Address(rawValue: reader.readUInt32() ?? 0)
        self.relayAddress = IPv4Address(rawValue: reader.readUInt32() ?? 0)
        self.clientHardwareAddressField = reader.readArray(16) ?? []
        self.serverNameField = reader.readArray(64) ?? []
        self.bootFileField = reader.readArray(128) ?? []
        self.fileOptions = nil
        self.serverNameOptions = nil
        self.options = DHCPOptions([])

        let cookieAt = reader.absoluteOffset
        guard Self.hasMagicCookie(bytes) else {
            try Self.checkBOOTPVendorField(bytes, base: base)
            self.vendorArea = .raw(reader.readArray(reader.remaining) ?? [])
            return
        }
        _ = reader.skip(4)
        let (main, mainOptions) = try DHCPOptionArea.decodeWithOptions(
            reader.readRest(), base: cookieAt + 4, field: "options")
        self.vendorArea = .options(main)

        // Option 52 (RFC 2132 §9.3): the file and/or sname fields hold more options.
        guard let overload = mainOptions.last(where: { $0.code == .overload }) else {
            self.options = DHCPOptions(mainOptions)
            return
        }
        defer { self.options = self.mergedOptions() }
        let value = try Self.checkedOverload(overload.data.span, at: cookieAt)
        for field in Self.overloadedFields where value & field.bit != 0 {
            let start = base + field.range.lowerBound
            let area = try DHCPOptionArea.decode(bytes.extracting(field.range), base: start, field: field.name)
            if area.lastOption(.overload) != nil {
                throw Self.nestedOverload(in: field.name, at: start)
            }
            if field.bit == 1 { self.fileOptions = area } else { self.serverNameOptions = area }
        }
    }

    /// Decodes from an array (tests, the proxy).
    public init(decoding bytes: [UInt8]) throws(WireFormatError) {
        try self.init(decoding: bytes.span)
    }

    /// Refuses bytes too short for the fixed header, naming the field they end in.
    static func checkFixedHeader(_ bytes: Span<UInt8>, base: Int) throws(WireFormatError) {
        guard bytes.count >= Self.fixedHeaderLength else {
            throw .truncated(
                "DHCP", Self.fieldName(at: bytes.count), at: base + bytes.count, need: Self.fixedHeaderLength,
                have: bytes.count
            )
        }
    }

    /// True when the DHCP magic cookie follows the fixed header (RFC 2131 §3).
    static func hasMagicCookie(_ bytes: Span<UInt8>) -> Bool {
        bytes.count >= Self.fixedHeaderLength + 4 && bytes[236] == 0x63 && bytes[237] == 0x82 && bytes[238] == 0x53
            && bytes[239] == 0x63
    }

    /// RFC 951 §3: without the DHCP cookie, `vend` is a fixed 64-byte field.
    static func checkBOOTPVendorField(_ bytes: Span<UInt8>, base: Int) throws(WireFormatError) {
        let remaining = bytes.count - Self.fixedHeaderLength
        guard remaining >= Self.bootpVendorLength else {
            throw .truncated(
                "BOOTP", "vend", at: base + Self.fixedHeaderLength, need: Self.bootpVendorLength, have: remaining)
        }
    }

    /// The fields option 52 can give to options, with its bit for each, in the order RFC 3396
    /// §7 reads them: `file` (108..<236) before `sname` (44..<108).
    static let overloadedFields: [(name: String, range: Range<Int>, bit: UInt8)] = [
        ("file", 108..<236, 1), ("sname", 44..<108, 2),
    ]

    /// The value of option 52 (RFC 2132 §9.3), checked: 1 (`file` holds options), 2 (`sname`)
    /// or 3 (both), one byte long.
    static func checkedOverload(_ data: Span<UInt8>, at offset: Int) throws(WireFormatError) -> UInt8 {
        guard data.count == 1 else {
            throw .badLength("DHCP", "option 52 length", at: offset, "option overload must be 1 byte, is \(data.count)")
        }
        let value = data[0]
        guard (1...3).contains(value) else {
            throw .invalid(
                "DHCP", "option 52", at: offset, "option overload value \(value) is not 1 (file), 2 (sname) or 3 (both)"
            )
        }
        return value
    }

    /// RFC 2132 §9.3 allows option 52 only in the `options` field: one inside an overloaded
    /// field would point at itself or back, and is refused.
    static func nestedOverload(in field: String, at offset: Int) -> WireFormatError {
        WireFormatError(
            code: .overloadLoop, layer: "DHCP", field: "option 52 in \(field)", offset: offset,
            detail: "option overload found inside the overloaded \(field) field"
        )
    }

    /// The BOOTP field that holds byte `offset` of the fixed header.
    static func fieldName(at offset: Int) -> String {
        switch offset {
        case 0: "op"
        case 1: "htype"
        case 2: "hlen"
        case 3: "hops"
        case 4..<8: "xid"
        case 8..<10: "secs"
        case 10..<12: "flags"
        case 12..<16: "ciaddr"
        case 16..<20: "yiaddr"
        case 20..<24: "siaddr"
        case 24..<28: "giaddr"
        case 28..<44: "chaddr"
        case 44..<108: "sname"
        default: "file"
        }
    }
}

/// The bytes before the first NUL, as text (invalid UTF-8 is replaced, never trapped on).
func nulTerminatedString(_ bytes: [UInt8]) -> String {
    let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
    return String(decoding: bytes[..<end], as: UTF8.self)
}
