import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// The state of one load run: transactions in flight, answers and their latencies.
/// Pure bookkeeping; the socket is the caller's.
struct LoadRun {
    enum Kind: Int, CaseIterable {
        case discover, request, inform

        var name: String {
            switch self {
            case .discover: "DISCOVER"
            case .request: "REQUEST"
            case .inform: "INFORM"
            }
        }
    }

    struct Pending {
        let kind: Kind
        let sentAt: Int64
        let mac: MACAddress
    }

    static let polycomOUIs: [UInt64] = [0x0004F2, 0x64167F]
    static let otherOUIs: [UInt64] = [0x02005E, 0x000C29]

    private(set) var started = 0
    private(set) var pending: [UInt32: Pending] = [:]
    private var sent = [0, 0, 0]
    private var answered = [0, 0, 0]
    /// Nanoseconds from request to reply, per kind.
    private var latencies: [[Int64]] = [[], [], []]
    private var lost = 0
    private let leasing: [MACAddress]
    private let leasingSet: Set<MACAddress>
    /// Where INFORMs go, and their ciaddr.
    private let inform: (to: IPv4Address, from: IPv4Address)?
    private var random = SystemRandomNumberGenerator()

    init(leases: Int, inform: (to: IPv4Address, from: IPv4Address)?) {
        // The same phones in every run, so that runs against one server share its leases.
        self.leasing = (0..<leases).map { MACAddress(rawValue: 0x0004F2 << 24 | 0xB0_0000 | UInt64($0 & 0xFFFF)) }
        self.leasingSet = Set(self.leasing)
        self.inform = inform
    }

    /// Monotonic nanoseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// The next transaction's bytes and where they go.
    mutating func startTransaction(at now: Int64) -> ([UInt8], IPv4Address) {
        defer { self.started += 1 }
        let xid = UInt32.random(in: 0...UInt32.max, using: &self.random)
        if let inform = self.inform, self.started % 4 == 3 {
            let mac = Self.randomMAC(Self.polycomOUIs, using: &self.random)
            self.track(xid, Pending(kind: .inform, sentAt: now, mac: mac))
            return (Self.message(.inform, xid: xid, mac: mac, clientAddress: inform.from), inform.to)
        }
        let mac =
            self.started % 10 == 0
            ? self.leasing[self.started / 10 % self.leasing.count]
            : Self.randomMAC(Self.polycomOUIs + Self.otherOUIs, using: &self.random)
        self.track(xid, Pending(kind: .discover, sentAt: now, mac: mac))
        return (Self.message(.discover, xid: xid, mac: mac), .broadcast)
    }

    /// Takes a reply; returns a REQUEST to broadcast when a leasing phone got an OFFER.
    mutating func reply(_ bytes: [UInt8], at now: Int64) -> [UInt8]? {
        guard let summary = try? DHCPMessageSummary(decoding: bytes), !summary.isRequest,
            let transaction = self.pending.removeValue(forKey: summary.transactionID)
        else { return nil }
        self.latencies[transaction.kind.rawValue].append(now - transaction.sentAt)
        self.answered[transaction.kind.rawValue] += 1
        guard transaction.kind == .discover, summary.messageType == .offer, self.leasingSet.contains(transaction.mac),
            let offer = try? DHCPMessage(decoding: bytes), let server = offer.options.serverIdentifier
        else { return nil }
        let xid = UInt32.random(in: 0...UInt32.max, using: &self.random)
        self.track(xid, Pending(kind: .request, sentAt: now, mac: transaction.mac))
        return Self.message(.request, xid: xid, mac: transaction.mac, requested: offer.yourAddress, server: server)
    }

    /// Counts transactions unanswered since `deadline` as lost.
    mutating func expire(olderThan deadline: Int64) {
        let expired = self.pending.filter { $0.value.sentAt < deadline }
        for xid in expired.keys { self.pending.removeValue(forKey: xid) }
        self.lost += expired.count
    }

    /// One JSON object: what the benchmark script reads.
    func report(seconds: Double, cpuSeconds: Double) -> String {
        let all = self.latencies.flatMap { $0 }
        let total = self.answered.reduce(0, +)
        func perKind(_ value: (Kind) -> String) -> String {
            "{" + Kind.allCases.map { "\"\($0.name)\":\(value($0))" }.joined(separator: ",") + "}"
        }
        let sorted = self.latencies.map { $0.sorted() }
        let sortedAll = all.sorted()
        /// `quantile` of already sorted latencies, in milliseconds.
        func milliseconds(_ sorted: [Int64], _ quantile: Double) -> String {
            guard !sorted.isEmpty else { return "null" }
            let nanoseconds = sorted[min(sorted.count - 1, Int(quantile * Double(sorted.count)))]
            return fixed(Double(nanoseconds) / 1e6, digits: 3)
        }
        return "{"
            + [
                "\"transactions\":\(total)",
                "\"lost\":\(self.lost)",
                "\"seconds\":\(fixed(seconds, digits: 3))",
                "\"rate\":\(fixed(seconds > 0 ? Double(total) / seconds : 0, digits: 1))",
                "\"cpuSeconds\":\(fixed(cpuSeconds, digits: 2))",
                "\"sent\":" + perKind { String(self.sent[$0.rawValue]) },
                "\"answered\":" + perKind { String(self.answered[$0.rawValue]) },
                "\"medianMs\":" + perKind { milliseconds(sorted[$0.rawValue], 0.5) },
                "\"p99Ms\":" + perKind { milliseconds(sorted[$0.rawValue], 0.99) },
                "\"allMedianMs\":\(milliseconds(sortedAll, 0.5))",
                "\"allP99Ms\":\(milliseconds(sortedAll, 0.99))",
            ].joined(separator: ",") + "}"
    }

    private mutating func track(_ xid: UInt32, _ transaction: Pending) {
        self.pending[xid] = transaction
        self.sent[transaction.kind.rawValue] += 1
    }

    private static func randomMAC(_ ouis: [UInt64], using random: inout SystemRandomNumberGenerator) -> MACAddress {
        let oui = ouis[Int.random(in: 0..<ouis.count, using: &random)]
        return MACAddress(rawValue: oui << 24 | UInt64.random(in: 0...0xFF_FFFF, using: &random))
    }

    /// A client message as a phone sends it: options 53, 55 (asking for 66 and 160), 60, and
    /// 50/54 in a REQUEST.
    private static func message(
        _ type: DHCPMessageType, xid: UInt32, mac: MACAddress, clientAddress: IPv4Address = .any,
        requested: IPv4Address? = nil, server: IPv4Address? = nil
    ) -> [UInt8] {
        var options = DHCPOptionArea()
        options.append(DHCPOption(code: .messageType, data: [type.rawValue]))
        options.append(DHCPOption(code: .parameterRequestList, data: [1, 3, 6, 66, 160]))
        options.append(DHCPOption(code: .vendorClassIdentifier, data: Array("Polycom-VVX410".utf8)))
        if let requested { options.append(DHCPOption(code: .requestedIPAddress, data: requested.octets)) }
        if let server { options.append(DHCPOption(code: .serverIdentifier, data: server.octets)) }
        options.elements.append(.end)
        return DHCPMessage(
            op: 1, transactionID: xid, flags: 0x8000, clientAddress: clientAddress, clientHardwareAddress: mac,
            options: options
        ).encoded()
    }
}

/// `value` with `digits` decimals, for JSON (no Foundation).
private func fixed(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    let whole = String(scaled / Int64(scale))
    var fraction = String(abs(scaled % Int64(scale)))
    while fraction.count < digits { fraction = "0" + fraction }
    return (scaled < 0 && scaled / Int64(scale) == 0 ? "-" : "") + whole + (digits > 0 ? "." + fraction : "")
}
