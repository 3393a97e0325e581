/// A bounds-checked reader over a borrowed byte view.
///
/// Every read checks the remaining count first and returns `nil` when the bytes run out, so a
/// decoder turns a shortage into a typed ``WireFormatError`` that names the field and offset.
/// The reader never copies unless asked to (``readArray(_:)``, ``readNULTerminatedString()``),
/// and never traps on input. Its uses of `unsafe` are the copies of a checked range into an
/// array (``copy(_:_:)``) and into a string (``string(_:_:)``).
@usableFromInline
struct ByteReader: ~Escapable {
    @usableFromInline let bytes: Span<UInt8>
    /// Offset of the next byte to read, from the start of `bytes`.
    @usableFromInline private(set) var offset: Int
    /// Added to `offset` in error reports, so that offsets count from the start of the frame.
    @usableFromInline let base: Int

    @inlinable
    @_lifetime(copy bytes)
    init(_ bytes: Span<UInt8>, base: Int = 0) {
        self.bytes = bytes
        self.offset = 0
        self.base = base
    }

    /// The number of bytes left to read.
    @inlinable var remaining: Int { self.bytes.count - self.offset }

    /// Offset of the next byte counted from the start of the frame (for error reports).
    @inlinable var absoluteOffset: Int { self.base + self.offset }

    @usableFromInline static let zeros64 = [UInt8](repeating: 0, count: 64)
    @usableFromInline static let zeros128 = [UInt8](repeating: 0, count: 128)

    @inlinable @inline(__always)
    mutating func readUInt8() -> UInt8? {
        guard self.offset < self.bytes.count else { return nil }
        let value = self.bytes[self.offset]
        self.offset += 1
        return value
    }

    @inlinable @inline(__always)
    mutating func readUInt16() -> UInt16? {
        guard self.remaining >= 2 else { return nil }
        let value = UInt16(self.bytes[self.offset]) << 8 | UInt16(self.bytes[self.offset + 1])
        self.offset += 2
        return value
    }

    @inlinable @inline(__always)
    mutating func readUInt32() -> UInt32? {
        guard self.remaining >= 4 else { return nil }
        let at = self.offset
        let value =
            UInt32(self.bytes[at]) << 24 | UInt32(self.bytes[at + 1]) << 16 | UInt32(self.bytes[at + 2]) << 8
            | UInt32(self.bytes[at + 3])
        self.offset += 4
        return value
    }

    /// Returns a view of the next `count` bytes and moves past them.
    @inlinable
    @_lifetime(copy self)
    mutating func readSpan(_ count: Int) -> Span<UInt8>? {
        guard count >= 0, self.remaining >= count else { return nil }
        let view = self.bytes.extracting(self.offset..<(self.offset + count))
        self.offset += count
        return view
    }

    /// Returns a view of every byte left and moves to the end.
    @inlinable
    @_lifetime(copy self)
    mutating func readRest() -> Span<UInt8> {
        let view = self.bytes.extracting(self.offset..<self.bytes.count)
        self.offset = self.bytes.count
        return view
    }

    /// Reads a 6-byte MAC address (IEEE 802 §8.2) and moves past it, without allocating.
    @inlinable @inline(__always)
    mutating func readMACAddress() -> MACAddress? {
        guard self.remaining >= 6, let high = self.readUInt16(), let low = self.readUInt32() else { return nil }
        return MACAddress(rawValue: UInt64(high) << 32 | UInt64(low))
    }

    /// Copies the next `count` bytes into an array and moves past them.
    @inlinable
    mutating func readArray(_ count: Int) -> [UInt8]? {
        guard count >= 0, self.remaining >= count else { return nil }
        let array = Self.copy(self.bytes, self.offset..<(self.offset + count))
        self.offset += count
        return array
    }

    /// Reads up to (not including) the next NUL byte as text (UTF-8, invalid bytes repaired as
    /// `String(decoding:as:)` repairs them) and moves past the NUL. Returns `nil`, without
    /// moving, when no NUL is left. The text is made from the bytes where they lie.
    mutating func readNULTerminatedString() -> String? {
        var index = self.offset
        while index < self.bytes.count {
            if self.bytes[index] == 0 {
                let text = Self.string(self.bytes, self.offset..<index)
                self.offset = index + 1
                return text
            }
            index += 1
        }
        return nil
    }

    @inlinable @inline(__always)
    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, self.remaining >= count else { return false }
        self.offset += count
        return true
    }

    /// The bytes of `range` as an array. The unused `sname` and `file` fields of nearly every
    /// DHCP message (RFC 2131 §2: 64 and 128 zero bytes) share one array each, without
    /// allocating.
    @inlinable
    static func copy(_ bytes: Span<UInt8>, _ range: Range<Int>) -> [UInt8] {
        // `extracting` checks the range against the bytes (a trap there would be a decoder's
        // bug, never the input's: callers pass ranges their reads have checked).
        let part = bytes.extracting(range)
        if range.count == 64 || range.count == 128 {
            var any: UInt8 = 0
            for index in part.indices { any |= part[index] }
            if any == 0 { return range.count == 64 ? Self.zeros64 : Self.zeros128 }
        }
        // Copied in one piece: byte by byte, the copies of a DHCP message's options were a
        // third of decoding it.
        return unsafe part.withUnsafeBufferPointer { unsafe Array($0) }
    }

    /// The bytes of `range` as text, UTF-8 repaired as `String(decoding:as:)` repairs it: read
    /// in one piece where they lie, without an array first.
    @inlinable
    static func string(_ bytes: Span<UInt8>, _ range: Range<Int>) -> String {
        let part = bytes.extracting(range)
        return unsafe part.withUnsafeBufferPointer { unsafe String(decoding: $0, as: UTF8.self) }
    }
}
