/// What a TLS ClientHello says about where the client wants to go (RFC 8446 §4.1.2): the
/// server name of the `server_name` extension (RFC 6066 §3) and the versions offered.
public struct TLSClientHello: Hashable, Sendable {
    /// The `host_name` of the server_name extension, when present.
    public let serverName: String?
    /// The legacy version field (`0x0303` for TLS 1.2 and 1.3).
    public let legacyVersion: UInt16

    /// Decodes a handshake message (type, 3-byte length, body) that is a ClientHello.
    /// `offset` is where it starts in its stream, for errors.
    public init(decoding message: [UInt8], offset: Int = 0) throws(WireFormatError) {
        var cursor = Cursor(bytes: message, base: offset)
        guard try cursor.byte("handshake type") == 1 else {
            throw .invalid("TLS", "handshake type", at: offset, "\(message.first ?? 0) is not a ClientHello (1)")
        }
        let length = try cursor.integer(3, "handshake length")
        guard length <= message.count - 4 else {
            throw .truncated("TLS", "ClientHello", at: offset + 4, need: length, have: message.count - 4)
        }
        self.legacyVersion = UInt16(try cursor.integer(2, "client_version"))
        try cursor.skip(32, "random")
        try cursor.skip(try cursor.integer(1, "legacy_session_id length"), "legacy_session_id")
        try cursor.skip(try cursor.integer(2, "cipher_suites length"), "cipher_suites")
        try cursor.skip(try cursor.integer(1, "compression_methods length"), "compression_methods")
        var serverName: String?
        if cursor.remaining > 0 {
            let extensionsEnd = cursor.position + (try cursor.integer(2, "extensions length"))
            while cursor.position + 4 <= extensionsEnd {
                let type = try cursor.integer(2, "extension type")
                let extensionLength = try cursor.integer(2, "extension length")
                if type == 0, extensionLength >= 5 {
                    _ = try cursor.integer(2, "server_name_list length")
                    let nameType = try cursor.byte("name_type")
                    let nameLength = try cursor.integer(2, "host_name length")
                    let name = try cursor.bytes(nameLength, "host_name")
                    if nameType == 0 { serverName = String(decoding: name, as: UTF8.self) }
                    try cursor.skip(extensionLength - 5 - nameLength, "server_name extension")
                } else {
                    try cursor.skip(extensionLength, "extension \(type)")
                }
            }
        }
        self.serverName = serverName
    }
}

/// A bounds-checked reader over a handshake message.
private struct Cursor {
    let bytes: [UInt8]
    let base: Int
    var position = 0

    var remaining: Int { self.bytes.count - self.position }

    mutating func byte(_ field: String) throws(WireFormatError) -> UInt8 {
        guard self.remaining >= 1 else {
            throw .truncated("TLS", field, at: self.base + self.position, need: 1, have: 0)
        }
        defer { self.position += 1 }
        return self.bytes[self.position]
    }

    mutating func integer(_ width: Int, _ field: String) throws(WireFormatError) -> Int {
        guard self.remaining >= width else {
            throw .truncated("TLS", field, at: self.base + self.position, need: width, have: self.remaining)
        }
        defer { self.position += width }
        return self.bytes[self.position..<(self.position + width)].reduce(0) { $0 << 8 | Int($1) }
    }

    mutating func bytes(_ count: Int, _ field: String) throws(WireFormatError) -> ArraySlice<UInt8> {
        guard count >= 0, self.remaining >= count else {
            throw .truncated("TLS", field, at: self.base + self.position, need: count, have: self.remaining)
        }
        defer { self.position += count }
        return self.bytes[self.position..<(self.position + count)]
    }

    mutating func skip(_ count: Int, _ field: String) throws(WireFormatError) {
        _ = try self.bytes(count, field)
    }
}
