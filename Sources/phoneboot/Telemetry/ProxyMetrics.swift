import BootProxy
import Metrics
import Synchronization
import WireFormats

/// What `proxy --metrics-address` counts, through swift-metrics (README "Metrics"):
///
/// - `phoneboot_proxy_datagrams_total{message, verdict}`: every datagram by DHCP message type
///   (`INFORM`, `DISCOVER`, ..., `unreadable`) and what became of it: `injected` (sent with option 160 or 66 added), `passed` (sent as
///   it came: relayed, forwarded) or `dropped`. A dry run counts what it would have sent.
/// - `phoneboot_proxy_dropped_total{reason}`: the dropped ones by reason (`malformed`,
///   `not-served-oui`, `rate-limited`, ... as in the log).
/// - `phoneboot_proxy_options_injected_total{option}`: options added, by number.
/// - `phoneboot_proxy_upstream_latency_seconds`: relay mode, a histogram of the time from
///   forwarding a request to the server's reply of the same transaction.
final class ProxyMetrics: Sendable {
    static let datagramsName = "phoneboot_proxy_datagrams_total"
    static let droppedName = "phoneboot_proxy_dropped_total"
    static let injectedName = "phoneboot_proxy_options_injected_total"
    static let latencyName = "phoneboot_proxy_upstream_latency_seconds"
    /// The latency histogram's buckets: a server on the same LAN answers in a millisecond or
    /// two, one over a WAN link or busy with a pool in tens to hundreds.
    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5),
    ]

    /// Counters by name and labels, made once: a datagram costs a dictionary lookup and an
    /// atomic add.
    private let counters = Mutex<[String: Counter]>([:])
    private let latency = Metrics.Timer(label: ProxyMetrics.latencyName)

    func record(_ decision: ProxyDecision) {
        let verdict = decision.dropReason != nil ? "dropped" : decision.injected.isEmpty ? "passed" : "injected"
        let message = decision.messageType == .unreadable ? "unreadable" : decision.messageType.description
        self.counter(Self.datagramsName, [("message", message), ("verdict", verdict)])
            .increment()
        if let reason = decision.dropReason {
            self.counter(Self.droppedName, [("reason", reason.rawValue)]).increment()
        }
        for option in decision.injected {
            self.counter(Self.injectedName, [("option", String(option.rawValue))]).increment()
        }
        if let latency = decision.upstreamLatency {
            let (seconds, attoseconds) = latency.components
            self.latency.recordNanoseconds(seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
        }
    }

    private func counter(_ name: String, _ labels: [(String, String)]) -> Counter {
        let key = labels.reduce(name) { $0 + "|" + $1.0 + "=" + $1.1 }
        return self.counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: name, dimensions: labels)
            counters[key] = counter
            return counter
        }
    }
}
