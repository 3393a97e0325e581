/// What was worked out for values that repeat from packet to packet (the option 60 every phone
/// of a model sends, the boot-server string a DHCP server gives every phone, the master file
/// every phone of a site fetches alike), so that each is worked out once.
///
/// At most `capacity` entries, and at most `costLimit` in all of what the entries were said to
/// cost when kept (a file's bytes, say). When it is full, the entries never used again are
/// dropped (at most once for as many new values as it holds), and while the ones left still
/// fill it, a new value is worked out but not kept: a capture of ever-new values (phones' own
/// `<mac>.cfg` files that all differ) costs only the work, never unbounded memory, and never
/// pushes out the values that repeat.
struct BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var value: Value
        var used: Bool
        let cost: Int
    }

    private var entries: [Key: Entry] = [:]
    /// Values not kept since the last time unused entries were dropped: dropping them again
    /// waits for as many as the cache holds, so that a full cache costs nothing per value.
    private var notKept = 0
    /// What the entries kept cost in all.
    private var totalCost = 0
    let capacity: Int
    let costLimit: Int

    init(capacity: Int, costLimit: Int = .max) {
        self.capacity = max(1, capacity)
        self.costLimit = max(0, costLimit)
    }

    /// The value kept for `key`, if any.
    mutating func value(for key: Key) -> Value? {
        guard let index = self.entries.index(forKey: key) else { return nil }
        self.entries.values[index].used = true
        return self.entries.values[index].value
    }

    /// Keeps `value` for `key`, costing `cost` of ``costLimit``, when there is room.
    mutating func keep(_ value: Value, for key: Key, cost: Int = 0) {
        guard cost <= self.costLimit else { return }
        if let index = self.entries.index(forKey: key) {
            // A new value for a key kept: in its place when it fits, else the old one goes too.
            let old = self.entries.values[index].cost
            guard cost <= self.costLimit - (self.totalCost - old) else {
                self.entries.remove(at: index)
                self.totalCost -= old
                return
            }
            self.entries.values[index] = Entry(value: value, used: false, cost: cost)
            self.totalCost += cost - old
            return
        }
        if !self.hasRoom(for: cost) {
            guard self.notKept >= self.entries.count else {
                self.notKept += 1
                return
            }
            self.notKept = 0
            self.entries = self.entries.filter(\.value.used)
            self.totalCost = self.entries.values.reduce(0) { $0 + $1.cost }
            guard self.hasRoom(for: cost) else { return }
        }
        self.entries[key] = Entry(value: value, used: false, cost: cost)
        self.totalCost += cost
    }

    /// The value for `key`: the one kept, or `make`'s, then kept.
    mutating func value(for key: Key, _ make: () -> Value) -> Value {
        if let value = self.value(for: key) { return value }
        let value = make()
        self.keep(value, for: key)
        return value
    }

    private func hasRoom(for cost: Int) -> Bool {
        self.entries.count < self.capacity && cost <= self.costLimit - self.totalCost
    }
}

/// Bytes as a dictionary key, hashed as blocks: an array of bytes feeds its hasher one byte
/// at a time, ten times slower for the few hundred bytes of an option 60 or a file.
///
/// Every byte counts: a cache of many files that differ only in their middle (one template,
/// a line per phone) must not make them one hash, each lookup then a comparison with all. The
/// bytes are folded once, when the key is made, into a 64-bit digest (eight bytes at a time,
/// a multiply and a shift each: about a fifth of an instruction a byte), which the hasher then
/// takes with the length; a lookup and the keeping that follows a miss hash sixteen bytes, not
/// the file twice. Keys whose digests collide still compare unequal, byte by byte, and the
/// caches that use them are bounded.
struct ByteKey: Hashable, Sendable {
    let bytes: [UInt8]
    private let digest: UInt64

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.digest = Self.digest(of: bytes)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.bytes.count)
        hasher.combine(self.digest)
    }

    private static func digest(of bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { bytes in
            let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
            var digest = UInt64(bytes.count) &* multiplier
            func mix(_ word: UInt64) {
                digest = (digest ^ word) &* multiplier
                digest ^= digest >> 29
            }
            var offset = 0
            while offset + 8 <= bytes.count {
                mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            var tail: UInt64 = 0
            while offset < bytes.count {
                tail = tail << 8 | UInt64(bytes[offset])
                offset += 1
            }
            mix(tail)
            return digest
        }
    }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
        guard lhs.digest == rhs.digest, lhs.bytes.count == rhs.bytes.count else { return false }
        return lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                var offset = 0
                while offset + 8 <= left.count {
                    guard
                        left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                            == right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    else { return false }
                    offset += 8
                }
                while offset < left.count {
                    guard left[offset] == right[offset] else { return false }
                    offset += 1
                }
                return true
            }
        }
    }
}
