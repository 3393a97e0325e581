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
    /// What is left of a client forgotten to make room: what the analyzer's address table
    /// needs to let go of it. (A whole record handed back was copied and destroyed, by the
    /// runtime's generic code, for every packet that changed a record.)
    struct Forgotten: Sendable {
        let mac: MACAddress
        let addresses: [IPv4Address]
    }

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
    /// The phones' entries in the order they became phones, ``chunkSize`` to a chunk, found by
    /// ``phoneIndex``: the table grows a chunk at a time, so it never copies the records it
    /// holds nor keeps room for as many again (a dictionary of records would, up to twice
    /// their size), and it is emptied a chunk at a time (``removeAll(shown:)``).
    private var phoneChunks: [[Entry]] = []
    /// Each phone's place in ``phoneChunks``.
    private var phoneIndex: [MACAddress: Int] = [:]
    /// Entries per chunk of ``phoneChunks``.
    private static let chunkSize = 256
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

    /// The number of clients that look like phones.
    var phoneCount: Int { self.phoneIndex.count }

    /// The number of clients kept that do not look like phones.
    var othersKept: Int { self.others.count }

    /// Calls `body` with the record of every client that looks like a phone, in no order.
    func forEachPhone(_ body: (PhoneRecord) -> Void) {
        for chunk in self.phoneChunks {
            for entry in chunk { body(entry.record) }
        }
    }

    /// Changes the record of `mac` where it is kept (a new one first seen in `frame` when there
    /// is none), without copying it: `body` must not reach the table. Returns what `body`
    /// returned and the client forgotten to make room, if any.
    mutating func modify<Result>(
        _ mac: MACAddress, frame: Int, _ body: (inout PhoneRecord) -> Result
    ) -> (result: Result, forgotten: Forgotten?) {
        if let index = self.phoneIndex[mac] {
            return (body(&self.phoneChunks[index / Self.chunkSize][index % Self.chunkSize].record), nil)
        }
        if let index = self.others.index(forKey: mac) {
            let result = body(&self.others.values[index].record)
            guard !self.others.values[index].record.looksLikePhone else {
                return (result, self.keep(self.others.remove(at: index).value))
            }
            self.touch(mac)
            return (result, nil)
        }
        var entry = Entry(record: PhoneRecord(mac: mac, frame: frame), sequence: self.takeSequence())
        let result = body(&entry.record)
        return (result, self.keep(entry))
    }

    /// Whether `mac` has a record.
    func isKept(_ mac: MACAddress) -> Bool {
        self.phoneIndex[mac] != nil || self.others[mac] != nil
    }

    /// The MAC addresses of the clients that look like phones: what ``looksLikePhone(_:)``
    /// asks, for questions asked while the table is out of reach.
    var phoneMACs: Dictionary<MACAddress, Int>.Keys { self.phoneIndex.keys }

    /// Whether the record of `mac` is kept and looks like a phone.
    func looksLikePhone(_ mac: MACAddress) -> Bool {
        self.phoneIndex[mac] != nil
    }

    /// Files an entry taken out of ``others`` (or new): among the phones once it looks like
    /// one, else as the most recently used other client.
    private mutating func keep(_ entry: Entry) -> Forgotten? {
        let mac = entry.record.mac
        if entry.record.looksLikePhone {
            let index = self.phoneIndex.count
            if index % Self.chunkSize == 0 {
                var chunk: [Entry] = []
                chunk.reserveCapacity(Self.chunkSize)
                self.phoneChunks.append(chunk)
            }
            self.phoneChunks[index / Self.chunkSize].append(entry)
            self.phoneIndex[mac] = index
            return nil
        }
        self.others[mac] = entry
        self.touch(mac)
        return self.others.count > self.otherLimit ? self.forgetLeastRecent() : nil
    }

    /// Makes the other client `mac` (kept in ``others``) the most recently used.
    private mutating func touch(_ mac: MACAddress) {
        self.clock += 1
        self.others[mac]?.lastUse = self.clock
        self.recency.append((mac, self.clock))
        if self.recency.count > 2 * self.others.count + 64 { self.dropStaleRecency() }
    }

    /// Changes the record of `mac` in place, if it is kept; returns the client forgotten to make
    /// room, as ``modify(_:frame:_:)`` does.
    @discardableResult
    mutating func update(_ mac: MACAddress, _ body: (inout PhoneRecord) -> Void) -> Forgotten? {
        if let index = self.phoneIndex[mac] {
            body(&self.phoneChunks[index / Self.chunkSize][index % Self.chunkSize].record)
            return nil
        }
        guard self.others[mac] != nil else { return nil }
        return self.modify(mac, frame: 0, body).forgotten
    }

    /// Marks `mac` announced; true the first time.
    mutating func announce(_ mac: MACAddress) -> Bool {
        if let index = self.phoneIndex[mac] {
            let (chunk, slot) = (index / Self.chunkSize, index % Self.chunkSize)
            guard !self.phoneChunks[chunk][slot].announced else { return false }
            self.phoneChunks[chunk][slot].announced = true
            return true
        }
        guard let entry = self.others[mac], !entry.announced else { return false }
        self.others[mac]?.announced = true
        return true
    }

    /// Empties the table: the records `isShown` accepts, in order of first appearance, and
    /// the number of the others.
    mutating func removeAll(shown isShown: (PhoneRecord) -> Bool) -> (shown: [PhoneRecord], notShown: Int) {
        // The records are moved into one array a chunk at a time, each chunk let go once read,
        // and put in order where they are: no record is held twice but for one chunk's worth.
        var records: [PhoneRecord] = []
        var sequences: [Int] = []
        records.reserveCapacity(self.phoneIndex.count + self.others.count)
        sequences.reserveCapacity(self.phoneIndex.count + self.others.count)
        var notShown = 0
        func take(_ entry: inout Entry) {
            guard isShown(entry.record) else {
                notShown += 1
                return
            }
            sequences.append(entry.sequence)
            // Moved out, an empty record left in its place: a copy retained every array and
            // string of the record, cold in memory by now, for the chunk's release to let them
            // go again (4 ms on one core, the other idle, for 10,000 phones).
            var record = PhoneRecord(mac: entry.record.mac, frame: entry.record.firstFrame)
            swap(&record, &entry.record)
            records.append(record)
        }
        self.phoneIndex = [:]
        for index in self.phoneChunks.indices {
            var chunk = self.phoneChunks[index]
            self.phoneChunks[index] = []
            for position in chunk.indices { take(&chunk[position]) }
        }
        self.phoneChunks = []
        self.recency = []
        var others = self.others
        self.others = [:]
        for index in others.indices { take(&others.values[index]) }
        Self.order(&records, by: sequences)
        return (records, notShown)
    }

    /// Puts `records` in the order of `sequences` (one each, all different), in place: a
    /// permutation followed cycle by cycle, so that no second array of records is built.
    private static func order(_ records: inout [PhoneRecord], by sequences: [Int]) {
        guard zip(sequences, sequences.dropFirst()).contains(where: { $0 > $1 }) else { return }
        // The place each record comes from: records[k] takes the record now at source[k].
        var source = sequences.indices.sorted { sequences[$0] < sequences[$1] }
        for start in source.indices where source[start] != start {
            var place = start
            while source[place] != start {
                let next = source[place]
                records.swapAt(place, next)
                source[place] = place
                place = next
            }
            source[place] = place
        }
    }

    private mutating func takeSequence() -> Int {
        defer { self.nextSequence += 1 }
        return self.nextSequence
    }

    private mutating func forgetLeastRecent() -> Forgotten? {
        while let (mac, use) = self.recency.popFirst() {
            guard let index = self.others.index(forKey: mac), self.others.values[index].lastUse == use else { continue }
            let entry = self.others.remove(at: index).value
            self.othersNotKept += 1
            return Forgotten(mac: mac, addresses: entry.record.addresses)
        }
        return nil
    }

    private mutating func dropStaleRecency() {
        let others = self.others
        self.recency = Deque(self.recency.filter { others[$0.mac]?.lastUse == $0.use })
    }
}
