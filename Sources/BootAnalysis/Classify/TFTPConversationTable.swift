public import WireFormats

/// The TFTP transfers in progress, so that packets after the server's port hand-off are known.
///
/// RFC 1350 §4: a request goes to port 69; the server answers from a new port of its own
/// choosing (its transfer ID) to the client's port. A transfer is therefore keyed by the
/// client's address and port and the server's address, whatever port the server picks.
/// The table is bounded: when full, the oldest transfer is forgotten.
/// The classifier owns the one table of a capture; each TFTP packet it passes on carries its
/// ``TFTPConversation``, which the analyzer keys its transfer state by.
public struct TFTPConversationTable: Sendable {
    typealias Key = TFTPConversation.Key

    /// The most transfers remembered at once.
    public let capacity: Int
    /// Each transfer remembered, and whether it reads a master configuration file (whose
    /// DATA bytes are kept).
    private var keepsData: [Key: Bool] = [:]
    private var order: [Key] = []
    private var orderStart = 0
    /// Transfers remembered per client port: a datagram with neither port here belongs to
    /// none, and is passed over without hashing its endpoints (most UDP is RTP or DNS).
    private var clientPorts = [UInt16](repeating: 0, count: 1 << 16)
    /// Transfers found lately, one per slot by the low bits of the client port, and whether
    /// each keeps its data: a transfer's DATA and ACKs follow each other in lock step
    /// (RFC 1350 §2), so the next packet of each of the few transfers running at a time is
    /// known without hashing. A slot is emptied when its transfer changes or is forgotten.
    private var recent = [(key: Key, keepsData: Bool)?](repeating: nil, count: Self.recentSlots)
    private static let recentSlots = 256

    public init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    /// The number of transfers remembered.
    public var count: Int { self.keepsData.count }

    /// Remembers a transfer that a request from `client:clientPort` to `server` starts.
    /// `keepsData`: it reads a master configuration file, whose DATA bytes are kept.
    public mutating func register(
        client: IPv4Address, clientPort: UInt16, server: IPv4Address, keepsData: Bool = false
    ) {
        let key = Key(client: client, clientPort: clientPort, server: server)
        self.recent[Self.slot(of: key)] = nil
        // The port pair reused for another file takes the new file's `keepsData`.
        guard self.keepsData.updateValue(keepsData, forKey: key) == nil else { return }
        self.order.append(key)
        self.clientPorts[Int(clientPort)] += 1
        if self.keepsData.count > self.capacity {
            let oldest = self.order[self.orderStart]
            self.keepsData.removeValue(forKey: oldest)
            self.recent[Self.slot(of: oldest)] = nil
            self.clientPorts[Int(oldest.clientPort)] -= 1
            self.orderStart += 1
        }
        // Compact the eviction queue once its dead prefix dominates.
        if self.orderStart > self.capacity {
            self.order.removeFirst(self.orderStart)
            self.orderStart = 0
        }
    }

    /// The known transfer a UDP packet between these endpoints belongs to, and its direction;
    /// `nil` when it belongs to none.
    public mutating func conversation(
        source: IPv4Address, sourcePort: UInt16, destination: IPv4Address, destinationPort: UInt16
    ) -> TFTPConversation? {
        // Only a direction whose client port some transfer uses is looked up.
        let toClientPort = self.clientPorts[Int(destinationPort)] > 0
        let fromClientPort = self.clientPorts[Int(sourcePort)] > 0
        guard toClientPort || fromClientPort else { return nil }
        let fromServer = Key(client: destination, clientPort: destinationPort, server: source)
        if toClientPort, let found = self.find(fromServer) {
            return TFTPConversation(key: fromServer, fromServer: true, keepsData: found)
        }
        let fromClient = Key(client: source, clientPort: sourcePort, server: destination)
        if fromClientPort, let found = self.find(fromClient) {
            return TFTPConversation(key: fromClient, fromServer: false, keepsData: found)
        }
        return nil
    }

    /// The slot of ``recent`` that `key` goes in.
    private static func slot(of key: Key) -> Int { Int(key.clientPort) % Self.recentSlots }

    /// Whether the transfer `key` keeps its data, or `nil` when it is not in the table.
    private mutating func find(_ key: Key) -> Bool? {
        let slot = Self.slot(of: key)
        if let recent = self.recent[slot], recent.key == key { return recent.keepsData }
        guard let keepsData = self.keepsData[key] else { return nil }
        self.recent[slot] = (key, keepsData)
        return keepsData
    }
}
