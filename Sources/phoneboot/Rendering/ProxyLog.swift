import BootProxy
import Dispatch
import Logging
import Synchronization
import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// The proxy's log: one event per decision (who, which message, what was done and why),
/// through swift-log (``StructuredLogHandler``: standard error, text or JSON).
///
/// A flood cannot fill a disk: each second, at most ``sentLinesPerSecond`` events for
/// datagrams sent and ``droppedLinesPerSecond`` for datagrams dropped are logged one by one;
/// the rest are counted by reason and said in one summary event when the second is over. The
/// budgets are checked before anything is formatted, so a flood costs a counter per datagram.
///
/// Levels: `info` for a datagram sent, `notice` for one ignored as not the proxy's business
/// (not an INFORM, not a served OUI), `warning` for one refused as hostile or broken
/// (malformed, oversized, off-subnet, over a rate limit, hop limit, wrong direction) and for a
/// summary of drops, `error` for a send the kernel refused.
final class ProxyLog: Sendable {
    /// Events a second for datagrams sent (answers, relayed messages).
    static let sentLinesPerSecond = 200
    /// Events a second for datagrams dropped (malformed, ignored, limited, refused by the kernel).
    static let droppedLinesPerSecond = 10

    private struct State {
        /// The second the budgets count in.
        var window: Int = -1
        var sentLines = 0
        var droppedLines = 0
        /// Decisions of this window not logged one by one: sends, and drops by reason.
        var unloggedSent = 0
        var unloggedDropped = [Int](repeating: 0, count: DropReason.allCases.count)
    }

    /// A second's decisions that were only counted.
    private struct Summary {
        let sent: Int
        let dropped: [(reason: DropReason, count: Int)]
    }

    private let logger: Logger
    private let dryRun: Bool
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)

    init(logger: Logger, dryRun: Bool) {
        self.logger = logger
        self.dryRun = dryRun
        self.scheduleWindowCheck()
    }

    /// Logs the last second's summary, however short the second was, and stops the timer.
    func stop() {
        self.stopped.store(true, ordering: .relaxed)
        let summary = self.state.withLock { state in
            state.window = -1
            return Self.closeWindow(at: Self.currentSecond(), &state)
        }
        summary.map(self.log)
    }

    /// A summary is due when a second ends, whether or not another datagram comes.
    private func scheduleWindowCheck() {
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { [weak self] in
            guard let self, !self.stopped.load(ordering: .relaxed) else { return }
            let summary = self.state.withLock { Self.closeWindow(at: Self.currentSecond(), &$0) }
            summary.map(self.log)
            self.scheduleWindowCheck()
        }
    }

    /// Logs one decision, or counts it when this second's events for its kind are used up.
    func record(_ decision: ProxyDecision) {
        let (logged, summary) = self.state.withLock { state -> (Bool, Summary?) in
            let summary = Self.closeWindow(at: Self.currentSecond(), &state)
            if let reason = decision.dropReason {
                guard state.droppedLines < Self.droppedLinesPerSecond else {
                    state.unloggedDropped[DropReason.allCases.firstIndex(of: reason) ?? 0] += 1
                    return (false, summary)
                }
                state.droppedLines += 1
            } else {
                guard state.sentLines < Self.sentLinesPerSecond else {
                    state.unloggedSent += 1
                    return (false, summary)
                }
                state.sentLines += 1
            }
            return (true, summary)
        }
        summary.map(self.log)
        guard logged else { return }
        var metadata: Logger.Metadata = [
            "dhcp": .string(decision.messageType.description),
            "action": .string(decision.dropReason == nil ? (self.dryRun ? "would-send" : "sent") : "dropped"),
        ]
        if let client = decision.client { metadata["client"] = .string(client.description) }
        if let reason = decision.dropReason { metadata["reason"] = .string(reason.rawValue) }
        if !decision.injected.isEmpty {
            metadata["injected"] = .array(decision.injected.map { .stringConvertible(Int($0.rawValue)) })
        }
        if let latency = decision.upstreamLatency {
            metadata["upstream-latency-ms"] = .stringConvertible(Self.milliseconds(latency))
        }
        let verdict = decision.verdict.description
        self.logger.log(
            level: Self.level(of: decision),
            "\(self.dryRun && decision.dropReason == nil ? "[dry run] " : "")\(verdict)",
            metadata: metadata)
    }

    private func log(_ summary: Summary) {
        let dropped = summary.dropped.reduce(0) { $0 + $1.count }
        let counts = summary.dropped.map { "\($0.count) \($0.reason.rawValue)" }.joined(separator: ", ")
        let message =
            "not logged one by one in the last second: \(summary.sent) \(self.dryRun ? "would-send" : "sent"), \(dropped) dropped"
            + (counts.isEmpty ? "" : " (\(counts))")
        self.logger.log(
            level: dropped > 0 ? .warning : .info, "\(message)",
            metadata: [
                "action": "summary",
                "sent": .stringConvertible(summary.sent),
                "dropped": .dictionary(
                    Dictionary(
                        uniqueKeysWithValues: summary.dropped.map { ($0.reason.rawValue, .stringConvertible($0.count)) }
                    )
                ),
            ])
    }

    /// The level of a decision's event (see the type's documentation).
    static func level(of decision: ProxyDecision) -> Logger.Level {
        switch decision.dropReason {
        case nil: .info
        case .notInform, .notServedOUI, .noClientAddress, .notAnswerable: .notice
        case .malformed, .oversized, .offSubnet, .rateLimited, .hopLimit, .wrongDirection: .warning
        case .sendBufferFull, .sendFailed: .error
        }
    }

    /// When `second` is past the budgets' second: what that second did not log one by one (if
    /// anything), and fresh budgets.
    private static func closeWindow(at second: Int, _ state: inout State) -> Summary? {
        guard second != state.window else { return nil }
        state.window = second
        state.sentLines = 0
        state.droppedLines = 0
        let dropped = state.unloggedDropped.reduce(0, +)
        guard dropped + state.unloggedSent > 0 else { return nil }
        var counts: [(DropReason, Int)] = []
        for (index, reason) in DropReason.allCases.enumerated() where state.unloggedDropped[index] > 0 {
            counts.append((reason, state.unloggedDropped[index]))
        }
        let summary = Summary(sent: state.unloggedSent, dropped: counts)
        state.unloggedDropped = [Int](repeating: 0, count: DropReason.allCases.count)
        state.unloggedSent = 0
        return summary
    }

    private static func currentSecond() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int(now.tv_sec)
    }

    /// A duration in milliseconds, three decimals, as text.
    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return (Double(seconds) * 1000 + Double(attoseconds / 1_000_000_000_000) / 1000).rounded(toPlaces: 3)
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
