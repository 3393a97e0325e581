import DequeModule
import WireFormats

/// The analyzer's records, one per client MAC: every client that is or may become a phone in
/// full, the others in a bounded table.
///
/// A client looks like a phone (DESIGN §4) from its OUI, its vendor class, a request for option
/// 66, 150 or 160, or a provisioning fetch; once it does, its record is kept to the end. A client
/// that does not (yet) is kept among at most ``otherLimit`` others: when one more arrives, the
/// one seen least recently is forgotten and counted in ``othersNotKept``. A client forgotten and
/// seen again starts a new record (and is counted again), so a phone whose earlier DHCP exchange
/// was forgotten still shows from the packet that made it look like one.
struct ClientTable: Sendable {
    private struct Entry: Sendable {
        var record: PhoneRecord
        /// Order of first appearance.
        let sequence: Int
        /// True once the `phoneSeen` event was raised.
        var announced = false
        /// The ``ClientTable/clock`` of its last store (other clients only).
        var lastUse = 0
    }

    /// The most clients that do not look like phones kept at once.
    let otherLimit: Int
    private var phones: [MACAddress: Entry] = [:]
    private var others: [MACAddress: Entry] = [:]
    /// Stores of other clients, oldest first; an element is current while it matches its
    /// entry's `lastUse` (stale ones are skipped, and dropped when they pile up).
    private var recency: Deque<(mac: MACAddress, use: Int)> = []
    private var clock = 0
    private var nextSequence = 0
    /// Other clients forgotten because ``otherLimit`` was reached.
    private(set) var othersNotKept = 0

    init(otherLimit: Int) {
        self.otherLimit = max(1, otherLimit)
    }

    /// The number of clients kept that do not look like phones.
    var othersKept: Int { self.others.count }

    subscript(mac: MACAddress) -> PhoneRecord? {
        self.phones[mac]?.record ?? self.others[mac]?.record
    }

    /// The record of `mac`, or a new one first seen in `frame`; ``store(_:)`` keeps it.
    func record(for mac: MACAddress, frame: Int) -> PhoneRecord {
        self[mac] ?? PhoneRecord(mac: mac, frame: frame)
    }

    /// Keeps `record` (new or changed), among the phones once it looks like one. Returns the
    /// record of the client forgotten to make room, if any.
    @discardableResult
    mutating func store(_ record: PhoneRecord) -> PhoneRecord? {
        let mac = record.mac
        if self.phones[mac] != nil {
            self.phones[mac]?.record = record
            return nil
        }
        var entry = self.others.removeValue(forKey: mac) ?? Entry(record: record, sequence: self.takeSequence())
        entry.record = record
        if record.looksLikePhone {
            self.phones[mac] = entry
            return nil
        }
        self.clock += 1
        entry.lastUse = self.clock
        self.others[mac] = entry
        self.recency.append((mac, self.clock))
        var forgotten: PhoneRecord?
        if self.others.count > self.otherLimit { forgotten = self.forgetLeastRecent() }
        if self.recency.count > 2 * self.others.count + 64 { self.dropStaleRecency() }
        return forgotten
    }

    /// Changes the record of `mac` in place, if it is kept; returns the record forgotten to make
    /// room, as ``store(_:)`` does.
    @discardableResult
    mutating func update(_ mac: MACAddress, _ body: (inout PhoneRecord) -> Void) -> PhoneRecord? {
        guard var record = self[mac] else { return nil }
        body(&record)
        return self.store(record)
    }

    /// Marks `mac` announced; true the first time.
    mutating func announce(_ mac: MACAddress) -> Bool {
        if let entry = self.phones[mac] {
            guard !entry.announced else { return false }
            self.phones[mac]?.announced = true
            return true
        }
        guard let entry = self.others[mac], !entry.announced else { return false }
        self.others[mac]?.announced = true
        return true
    }

    /// Every record kept, in order of first appearance; empties the table.
    mutating func removeAll() -> [PhoneRecord] {
        var entries = Array(self.phones.values)
        entries.append(contentsOf: self.others.values)
        self.phones = [:]
        self.others = [:]
        self.recency = []
        entries.sort { $0.sequence < $1.sequence }
        return entries.map(\.record)
    }

    private mutating func takeSequence() -> Int {
        defer { self.nextSequence += 1 }
        return self.nextSequence
    }

    private mutating func forgetLeastRecent() -> PhoneRecord? {
        while let (mac, use) = self.recency.popFirst() {
            guard let entry = self.others[mac], entry.lastUse == use else { continue }
            self.others.removeValue(forKey: mac)
            self.othersNotKept += 1
            return entry.record
        }
        return nil
    }

    private mutating func dropStaleRecency() {
        let others = self.others
        self.recency = Deque(self.recency.filter { others[$0.mac]?.lastUse == $0.use })
    }
}
