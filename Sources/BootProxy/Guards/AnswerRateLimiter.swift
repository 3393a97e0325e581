import DequeModule
public import WireFormats

/// How often the INFORM responder answers: per client MAC, and for all clients together.
///
/// Each limit is a token bucket kept as a theoretical arrival time (the generic cell rate
/// algorithm): an answer is allowed when the client's schedule is at most `burst` answers
/// ahead of now. A phone sends a handful of INFORMs per boot; a flood of forged ones, from one
/// MAC or from many, is cut to the overall rate, which also bounds how many answers can be
/// waiting on ARP in the kernel at once. Clients are remembered in a table of fixed size,
/// oldest forgotten first, so memory does not grow with the number of MACs seen.
public struct AnswerRateLimiter: Sendable {
    /// The limits. Intervals are in nanoseconds of a monotonic clock.
    public struct Limits: Hashable, Sendable {
        /// Answers a client may get at once.
        public var clientBurst: UInt64
        /// One more answer per client per this interval.
        public var clientInterval: UInt64
        /// Answers all clients together may get at once.
        public var totalBurst: UInt64
        /// One more answer overall per this interval.
        public var totalInterval: UInt64
        /// Clients whose schedule is remembered.
        public var trackedClients: Int

        public init(
            clientBurst: UInt64, clientInterval: UInt64, totalBurst: UInt64, totalInterval: UInt64, trackedClients: Int
        ) {
            self.clientBurst = max(clientBurst, 1)
            self.clientInterval = clientInterval
            self.totalBurst = max(totalBurst, 1)
            self.totalInterval = totalInterval
            self.trackedClients = max(trackedClients, 1)
        }

        /// 3 answers at once and one every 2 s per client; 100 at once and 50 a second overall;
        /// 4096 clients remembered.
        public static let standard = Limits(
            clientBurst: 3, clientInterval: 2_000_000_000, totalBurst: 100, totalInterval: 20_000_000,
            trackedClients: 4096
        )
    }

    /// Whether an answer may go out now.
    public enum Verdict: Hashable, Sendable {
        case allowed
        /// This client asked too often.
        case clientLimited
        /// All clients together asked too often.
        case totalLimited
    }

    public let limits: Limits
    /// Theoretical arrival time of the next answer, per client.
    private var clients: [MACAddress: UInt64] = [:]
    private var clientOrder = Deque<MACAddress>()
    private var total: UInt64 = 0

    public init(limits: Limits = .standard) {
        self.limits = limits
    }

    /// Clients currently remembered (never more than `limits.trackedClients`).
    public var trackedClientCount: Int { self.clients.count }

    /// Decides whether `client` may get an answer at `now` (nanoseconds, monotonic), and counts
    /// it when it may.
    ///
    /// - Parameter exemptFromTotal: only the client's own limit applies (for a client the
    ///   kernel can already reach, whose answer does not wait on ARP); the answer is not
    ///   counted against the overall limit either.
    public mutating func admit(_ client: MACAddress, now: UInt64, exemptFromTotal: Bool = false) -> Verdict {
        let clientSchedule = self.clients[client] ?? 0
        guard
            Self.conforms(
                clientSchedule, now: now, burst: self.limits.clientBurst, interval: self.limits.clientInterval)
        else {
            return .clientLimited
        }
        if !exemptFromTotal {
            guard
                Self.conforms(self.total, now: now, burst: self.limits.totalBurst, interval: self.limits.totalInterval)
            else {
                return .totalLimited
            }
            self.total = max(self.total, now) &+ self.limits.totalInterval
        }
        if self.clients.updateValue(max(clientSchedule, now) &+ self.limits.clientInterval, forKey: client) == nil {
            self.clientOrder.append(client)
            if self.clientOrder.count > self.limits.trackedClients, let oldest = self.clientOrder.popFirst() {
                self.clients.removeValue(forKey: oldest)
            }
        }
        return .allowed
    }

    /// True when a schedule at `schedule` is no more than `burst` intervals ahead of `now`.
    private static func conforms(_ schedule: UInt64, now: UInt64, burst: UInt64, interval: UInt64) -> Bool {
        let (allowance, overflow) = (burst - 1).multipliedReportingOverflow(by: interval)
        return overflow || schedule <= now || schedule - now <= allowance
    }
}
