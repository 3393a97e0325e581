/// What was worked out for values that repeat from packet to packet (the option 60 every phone
/// of a model sends, the boot-server string a DHCP server gives every phone), so that each is
/// worked out once. At most `capacity` entries: once full, it starts again empty, so that a
/// capture of ever-new values costs only the work, never unbounded memory.
struct BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var entries: [Key: Value] = [:]
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The value kept for `key`, if any.
    subscript(key: Key) -> Value? { self.entries[key] }

    /// Keeps `value` for `key`.
    mutating func keep(_ value: Value, for key: Key) {
        if self.entries.count >= self.capacity { self.entries.removeAll(keepingCapacity: true) }
        self.entries[key] = value
    }

    /// The value for `key`: the one kept, or `make`'s, then kept.
    mutating func value(for key: Key, _ make: () -> Value) -> Value {
        if let value = self.entries[key] { return value }
        let value = make()
        self.keep(value, for: key)
        return value
    }
}
