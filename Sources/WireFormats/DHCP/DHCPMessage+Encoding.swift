extension DHCPMessage {
    /// The message as wire bytes: the UDP payload.
    ///
    /// A decoded message encodes to exactly the bytes it came from. The `file` and `sname`
    /// fields are written from ``fileOptions``/``serverNameOptions`` when those are set, and
    /// padded with zeros to their fixed size.
    public func encoded() -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(self.encodedCount)
        bytes.append(self.op)
        bytes.append(self.hardwareType)
        bytes.append(self.hardwareLength)
        bytes.append(self.hops)
        appendUInt32(self.transactionID, to: &bytes)
        appendUInt16(self.seconds, to: &bytes)
        appendUInt16(self.flags, to: &bytes)
        appendUInt32(self.clientAddress.rawValue, to: &bytes)
        appendUInt32(self.yourAddress.rawValue, to: &bytes)
        appendUInt32(self.serverAddress.rawValue, to: &bytes)
        appendUInt32(self.relayAddress.rawValue, to: &bytes)
        appendFixed(self.clientHardwareAddressField, count: 16, to: &bytes)
        if let sname = self.serverNameOptions {
            var field = [UInt8]()
            sname.encode(into: &field)
            appendFixed(field, count: 64, to: &bytes)
        } else {
            appendFixed(self.serverNameField, count: 64, to: &bytes)
        }
        if let file = self.fileOptions {
            var field = [UInt8]()
            file.encode(into: &field)
            appendFixed(field, count: 128, to: &bytes)
        } else {
            appendFixed(self.bootFileField, count: 128, to: &bytes)
        }
        switch self.vendorArea {
        case .raw(let vendor):
            bytes.append(contentsOf: vendor)
        case .options(let area):
            appendUInt32(Self.magicCookie, to: &bytes)
            area.encode(into: &bytes)
        }
        return bytes
    }

    /// The wire bytes of a message with `hops` and `giaddr` set, every other byte as it came:
    /// what a relay agent forwards (RFC 1542 §4.1.1, RFC 2131 §4.1).
    ///
    /// `bytes` is a message that decodes (``DHCPMessageSummary`` checked it), so the result is
    /// what ``encoded()`` gives for the decoded message with ``hops`` and ``relayAddress``
    /// changed, without decoding the rest. Bytes shorter than the fixed header come back as
    /// they are.
    public static func reencoded(_ bytes: [UInt8], hops: UInt8, relayAddress: IPv4Address) -> [UInt8] {
        guard bytes.count >= Self.fixedHeaderLength else { return bytes }
        var result = bytes
        result[Self.hopsOffset] = hops
        for (index, octet) in relayAddress.octets.enumerated() { result[Self.relayAddressOffset + index] = octet }
        return result
    }

    /// Where `hops` lies in the fixed header.
    static let hopsOffset = 3
    /// Where `giaddr` lies in the fixed header.
    static let relayAddressOffset = 24

    /// The number of bytes ``encoded()`` returns.
    public var encodedCount: Int {
        switch self.vendorArea {
        case .raw(let vendor): Self.fixedHeaderLength + vendor.count
        case .options(let area): Self.fixedHeaderLength + 4 + area.encodedCount
        }
    }
}

private func appendUInt16(_ value: UInt16, to bytes: inout [UInt8]) {
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    bytes.append(UInt8(truncatingIfNeeded: value))
}

private func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 24, through: 0, by: -8) {
        bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
    }
}

/// Appends exactly `count` bytes: `field` cut or zero-padded to that size.
private func appendFixed(_ field: [UInt8], count: Int, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: field.prefix(count))
    if field.count < count {
        bytes.append(contentsOf: repeatElement(0, count: count - field.count))
    }
}
