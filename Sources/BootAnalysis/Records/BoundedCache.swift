/// What was worked out for values that repeat from packet to packet (the option 60 every phone
/// of a model sends, the boot-server string a DHCP server gives every phone, the
/// `000000000000.cfg` every phone fetches), so that each is worked out once.
///
/// At most `capacity` entries. When it is full, the entries never used again are dropped (at
/// most once every `capacity` new values), and while the ones left still fill it, a new value
/// is worked out but not kept: a capture of ever-new values (each phone's own `<mac>.cfg`)
/// costs only the work, never unbounded memory, and never pushes out the values that repeat.
struct BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var entries: [Key: (value: Value, used: Bool)] = [:]
    /// Values not kept since the last time unused entries were dropped: dropping them again
    /// waits for as many as the cache holds, so that a full cache costs nothing per value.
    private var notKept = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The value kept for `key`, if any.
    mutating func value(for key: Key) -> Value? {
        guard let index = self.entries.index(forKey: key) else { return nil }
        self.entries.values[index].used = true
        return self.entries.values[index].value
    }

    /// Keeps `value` for `key`, when there is room.
    mutating func keep(_ value: Value, for key: Key) {
        if self.entries.count >= self.capacity {
            guard self.notKept >= self.capacity else {
                self.notKept += 1
                return
            }
            self.notKept = 0
            self.entries = self.entries.filter(\.value.used)
            guard self.entries.count < self.capacity else { return }
        }
        self.entries[key] = (value, false)
    }

    /// The value for `key`: the one kept, or `make`'s, then kept.
    mutating func value(for key: Key, _ make: () -> Value) -> Value {
        if let value = self.value(for: key) { return value }
        let value = make()
        self.keep(value, for: key)
        return value
    }
}

/// Bytes as a dictionary key, hashed as blocks: an array of bytes feeds its hasher one byte
/// at a time, ten times slower for the few hundred bytes of an option 60 or a file.
///
/// Only the length and the first and last ``hashedEnds`` bytes are hashed: a master file of a
/// kilobyte costs a few hundred instructions, not thousands, each time it is looked up. Keys
/// that differ only in their middle share a hash, and equality tells them apart; a
/// ``BoundedCache`` holds few keys, so that even a capture made of such keys costs only a few
/// comparisons per lookup.
struct ByteKey: Hashable, Sendable {
    let bytes: [UInt8]
    /// The bytes hashed at either end.
    static let hashedEnds = 64

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.bytes.count)
        self.bytes.withUnsafeBytes { bytes in
            guard bytes.count > 2 * Self.hashedEnds else {
                hasher.combine(bytes: bytes)
                return
            }
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes.prefix(Self.hashedEnds)))
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes.suffix(Self.hashedEnds)))
        }
    }
}
