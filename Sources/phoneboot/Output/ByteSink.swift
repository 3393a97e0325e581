/// Bytes written through a pointer into memory the sink owns, grown by doubling: the JSON
/// writer's text, which a report writes in many small pieces (a phone's JSON is some three
/// hundred keys, strings and numbers). An array checks its storage is unique and makes and
/// finalises an `OutputSpan` for every piece; the sink checks its room once per piece and
/// writes.
///
/// Every write says first how much room it needs (``reserve(_:)``) and how much it wrote
/// (``advance(by:)``), which is checked: the memory is never written past what was made room
/// for, whatever the text.
struct ByteSink: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The bytes written so far.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        self.start = .allocate(capacity: self.capacity)
    }

    deinit {
        self.start.deallocate()
    }

    /// Room for `room` more bytes: where to write them. ``advance(by:)`` then says how many
    /// were written.
    @inline(__always)
    mutating func reserve(_ room: Int) -> UnsafeMutablePointer<UInt8> {
        if room > self.capacity - self.count { self.grow(toHold: room) }
        return self.start + self.count
    }

    /// Counts `written` bytes written where ``reserve(_:)`` made room for them.
    @inline(__always)
    mutating func advance(by written: Int) {
        precondition(written >= 0 && written <= self.capacity - self.count, "ByteSink: more written than reserved")
        self.count += written
    }

    mutating func append(_ byte: UInt8) {
        self.reserve(1).initialize(to: byte)
        self.count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        self.reserve(bytes.count).initialize(from: source, count: bytes.count)
        self.count += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { self.append($0) }
    }

    /// What `body` writes into room for at most `room` bytes (numbers and addresses written by
    /// the decoders' `OutputSpan` writers), counted once it is done.
    @inline(__always)
    mutating func write(room: Int, _ body: (inout OutputSpan<UInt8>) -> Void) {
        let buffer = UnsafeMutableBufferPointer(start: self.reserve(room), count: room)
        var span = OutputSpan(buffer: buffer, initializedCount: 0)
        body(&span)
        self.advance(by: span.finalize(for: buffer))
    }

    /// The bytes written.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: self.start, count: self.count))
    }

    /// Appends the bytes written to `array`.
    func append(to array: inout [UInt8]) {
        array.append(contentsOf: UnsafeBufferPointer(start: self.start, count: self.count))
    }

    private mutating func grow(toHold room: Int) {
        var capacity = self.capacity * 2
        while room > capacity - self.count { capacity *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.moveInitialize(from: self.start, count: self.count)
        self.start.deallocate()
        self.start = larger
        self.capacity = capacity
    }
}
