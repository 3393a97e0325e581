/// Bytes written through a pointer into memory the sink owns, grown by doubling: the text of
/// a report (its JSON, its display filters), which is written in many small pieces (a phone's
/// JSON is some three hundred keys, strings and numbers). An array checks its storage is
/// unique and makes and finalises an `OutputSpan` for every piece; the sink checks its room
/// once per piece and writes.
///
/// Every write says first how much room it needs (``reserve(_:)``) and how much it wrote
/// (``advance(by:)``), which is checked: the memory is never written past what was made room
/// for, whatever the text.
public struct ByteSink: ~Copyable {
    @usableFromInline var start: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written = 0

    /// The bytes written so far.
    public var count: Int { self.written }

    public init(capacity: Int) {
        self.capacity = max(64, capacity)
        self.start = .allocate(capacity: self.capacity)
    }

    deinit {
        self.start.deallocate()
    }

    /// Room for `room` more bytes: where to write them. ``advance(by:)`` then says how many
    /// were written.
    @inlinable
    public mutating func reserve(_ room: Int) -> UnsafeMutablePointer<UInt8> {
        if room > self.capacity - self.written { self.grow(toHold: room) }
        return self.start + self.written
    }

    /// Counts `written` bytes written where ``reserve(_:)`` made room for them.
    @inlinable
    public mutating func advance(by count: Int) {
        precondition(count >= 0 && count <= self.capacity - self.written, "ByteSink: more written than reserved")
        self.written += count
    }

    @inlinable
    public mutating func append(_ byte: UInt8) {
        self.reserve(1).initialize(to: byte)
        self.written += 1
    }

    @inlinable
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        self.reserve(bytes.count).initialize(from: source, count: bytes.count)
        self.written += bytes.count
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { self.append($0) }
    }

    /// What `body` writes into room for at most `room` bytes (numbers and addresses written by
    /// the decoders' `OutputSpan` writers), counted once it is done.
    @inlinable
    public mutating func write(room: Int, _ body: (inout OutputSpan<UInt8>) -> Void) {
        let buffer = UnsafeMutableBufferPointer(start: self.reserve(room), count: room)
        var span = OutputSpan(buffer: buffer, initializedCount: 0)
        body(&span)
        self.advance(by: span.finalize(for: buffer))
    }

    /// The bytes written.
    public var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: self.start, count: self.written))
    }

    /// Calls `body` with the bytes written, where they lie.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        body(UnsafeBufferPointer(start: self.start, count: self.written))
    }

    /// Appends the bytes of `text` (a literal).
    @inlinable
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { self.append($0) }
    }

    /// Appends the bytes written to `array`.
    public func append(to array: inout [UInt8]) {
        array.append(contentsOf: UnsafeBufferPointer(start: self.start, count: self.written))
    }

    @usableFromInline
    mutating func grow(toHold room: Int) {
        var capacity = self.capacity * 2
        while room > capacity - self.written { capacity *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.moveInitialize(from: self.start, count: self.written)
        self.start.deallocate()
        self.start = larger
        self.capacity = capacity
    }
}
