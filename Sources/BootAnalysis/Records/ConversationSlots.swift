/// Values kept per TFTP transfer (``TFTPConversation/Key``), each in a slot of its own that
/// stays its own while it is kept, so that the packets of a transfer reach its value without
/// hashing their key.
///
/// A transfer's DATA and ACKs follow each other in lock step (RFC 1350 §2): the slot of the
/// transfer found last for each low byte of the client port is remembered, and the next packet
/// of each of the few transfers running at a time finds its slot there. Any other key is looked
/// up in a dictionary of slots. A slot freed is used again for the next value kept.
struct ConversationSlots<Value: Sendable>: Sendable {
    typealias Key = TFTPConversation.Key

    private var values: [Value?] = []
    /// `keys[slot]`: whose value `values[slot]` is; `nil` for a free slot.
    private var keys: [Key?] = []
    private var slotByKey: [Key: Int] = [:]
    private var freeSlots: [Int] = []
    /// The slot last found for a client port's low byte, plus one; 0 when there is none.
    private var recent = [Int](repeating: 0, count: 256)

    /// The number of values kept.
    var count: Int { self.slotByKey.count }

    /// The slot of `key`'s value, or `nil` when none is kept.
    mutating func slot(of key: Key) -> Int? {
        let recent = Int(key.clientPort & 0xFF)
        let remembered = self.recent[recent] - 1
        if remembered >= 0, self.keys[remembered] == key { return remembered }
        guard let slot = self.slotByKey[key] else { return nil }
        self.recent[recent] = slot + 1
        return slot
    }

    /// Calls `body` with the value in `slot` (from ``slot(of:)``), where it lies.
    mutating func update<Result>(slot: Int, _ body: (inout Value?) -> Result) -> Result {
        body(&self.values[slot])
    }

    /// The value kept for `key`.
    subscript(key: Key) -> Value? {
        guard let slot = self.slotByKey[key] else { return nil }
        return self.values[slot]
    }

    /// Keeps `value` for `key`, in place of the one kept, if any.
    mutating func keep(_ value: Value, for key: Key) {
        if let slot = self.slotByKey[key] {
            self.values[slot] = value
            return
        }
        let slot: Int
        if let free = self.freeSlots.popLast() {
            slot = free
            self.values[slot] = value
            self.keys[slot] = key
        } else {
            slot = self.values.count
            self.values.append(value)
            self.keys.append(key)
        }
        self.slotByKey[key] = slot
    }

    /// Takes the value kept for `key` out, freeing its slot.
    @discardableResult
    mutating func removeValue(forKey key: Key) -> Value? {
        guard let slot = self.slotByKey.removeValue(forKey: key) else { return nil }
        let value = self.values[slot].take()
        self.keys[slot] = nil
        self.freeSlots.append(slot)
        return value
    }

    /// The keys and values kept, in no particular order.
    var entries: [(key: Key, value: Value)] {
        self.slotByKey.compactMap { key, slot in self.values[slot].map { (key, $0) } }
    }

    /// Takes every value out.
    mutating func removeAll() -> [Value] {
        let values = self.values.compactMap { $0 }
        self = ConversationSlots()
        return values
    }
}
