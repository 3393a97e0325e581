// Compiled into every fuzz target by scripts/fuzz.sh; not part of the package.

/// Stops the fuzzer with a message naming the broken invariant; libFuzzer keeps the input.
///
/// `fatalError` rather than `precondition`: it traps in every build configuration, so an
/// invariant is checked whatever `-O` the script uses.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant broken: \(message())") }
}

/// Reads the fuzzer's bytes as little structured fields; every read past the end gives a
/// default, so any input is a valid program.
struct FuzzInput {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        self.bytes = Array(UnsafeBufferPointer(start: data, count: size))
    }

    var isAtEnd: Bool { self.position >= self.bytes.count }

    /// The next byte, or 0 at the end.
    mutating func byte() -> UInt8 {
        guard self.position < self.bytes.count else { return 0 }
        defer { self.position += 1 }
        return self.bytes[self.position]
    }

    /// A big-endian 16-bit number.
    mutating func uint16() -> UInt16 {
        UInt16(self.byte()) << 8 | UInt16(self.byte())
    }

    /// Up to `count` bytes; fewer when the input ends first.
    mutating func take(_ count: Int) -> [UInt8] {
        let end = min(self.bytes.count, self.position + max(count, 0))
        defer { self.position = end }
        return Array(self.bytes[self.position..<end])
    }

    /// A record: a 16-bit big-endian length, then that many bytes (fewer at the end).
    mutating func record() -> [UInt8] {
        self.take(Int(self.uint16()))
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        self.take(self.bytes.count - self.position)
    }
}
