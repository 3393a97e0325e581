import BootAnalysis
import Metrics
import PacketCapture

/// What `watch --metrics-address` counts, through swift-metrics (README "Metrics"):
///
/// - `phoneboot_watch_frames_total`: frames captured and analysed.
/// - `phoneboot_watch_frames_dropped_total{by}`: frames lost before PhoneBoot saw them,
///   `by="kernel"` (the capture buffer was full: raise `--buffer-size`) or `by="interface"`.
/// - `phoneboot_watch_phones`: phones seen so far.
/// - `phoneboot_watch_events_total{event}`: DHCP messages, boot servers given, fetches started
///   and finished, master-file plans, malformed packets, as the NDJSON events name them.
/// - `phoneboot_watch_fetches_total{protocol, result}`: fetches finished, by how they ended.
/// - `phoneboot_watch_findings{code, severity}`: the findings of the phones seen, a gauge:
///   while watch runs, those the phones would have if the capture ended now (recomputed
///   every ``findingsInterval`` ticks; a transfer still open counts once it ends), and at the
///   end those of the report.
///
/// Counters move once a second from the capture loop (``update(frames:statistics:)``), so a
/// frame costs nothing here; events are counted as they come.
struct WatchMetrics {
    private let frames = Counter(label: "phoneboot_watch_frames_total")
    private let droppedByKernel = Counter(label: "phoneboot_watch_frames_dropped_total", dimensions: [("by", "kernel")])
    private let droppedByInterface = Counter(
        label: "phoneboot_watch_frames_dropped_total", dimensions: [("by", "interface")])
    private let phones = Gauge(label: "phoneboot_watch_phones")
    private var events: [String: Counter] = [:]
    private var fetches: [String: Counter] = [:]
    private var findings: [String: Gauge] = [:]
    private var counted = (frames: 0, kernel: 0, interface: 0, phones: 0)
    /// Ticks (seconds) between two recomputations of the provisional findings.
    static let findingsInterval = 10

    init() {
        // Present from the first scrape, at zero.
        self.frames.increment(by: 0)
        self.droppedByKernel.increment(by: 0)
        self.droppedByInterface.increment(by: 0)
        self.phones.record(0)
    }

    /// The frames analysed so far and libpcap's counters, as totals: the counters move by the
    /// difference.
    mutating func update(frames: Int, statistics: CaptureStatistics?) {
        self.frames.increment(by: max(0, frames - self.counted.frames))
        self.counted.frames = max(frames, self.counted.frames)
        if let statistics {
            self.droppedByKernel.increment(by: max(0, statistics.droppedByKernel - self.counted.kernel))
            self.droppedByInterface.increment(by: max(0, statistics.droppedByInterface - self.counted.interface))
            self.counted.kernel = max(statistics.droppedByKernel, self.counted.kernel)
            self.counted.interface = max(statistics.droppedByInterface, self.counted.interface)
        }
    }

    mutating func record(_ event: BootEvent) {
        let name: String
        switch event {
        case .phoneSeen:
            self.counted.phones += 1
            self.phones.record(self.counted.phones)
            name = "phone-seen"
        case .dhcp: name = "dhcp"
        case .bootServer: name = "boot-server"
        case .fetchStarted: name = "fetch-started"
        case .fetchFinished(_, let fetch):
            name = "fetch-finished"
            let key = "\(fetch.fetchProtocol.rawValue)|\(fetch.result.rawValue)"
            let counter =
                self.fetches[key]
                ?? Counter(
                    label: "phoneboot_watch_fetches_total",
                    dimensions: [("protocol", fetch.fetchProtocol.rawValue), ("result", fetch.result.rawValue)])
            self.fetches[key] = counter
            counter.increment()
        case .finding:
            // Counted as a whole by ``setFindings(_:)``.
            return
        case .plan: name = "plan"
        case .malformed: name = "malformed"
        }
        let counter = self.events[name] ?? Counter(label: "phoneboot_watch_events_total", dimensions: [("event", name)])
        self.events[name] = counter
        counter.increment()
    }

    /// Sets the findings gauges to `findings`; a code and severity seen before and absent now
    /// goes back to 0.
    mutating func setFindings(_ findings: some Sequence<Finding>) {
        var counts: [String: (code: String, severity: String, count: Int)] = [:]
        for finding in findings {
            let key = "\(finding.code.rawValue)|\(finding.severity)"
            counts[key, default: (finding.code.rawValue, finding.severity.description, 0)].count += 1
        }
        for (key, gauge) in self.findings where counts[key] == nil { gauge.record(0) }
        for (key, entry) in counts {
            let gauge =
                self.findings[key]
                ?? Gauge(
                    label: "phoneboot_watch_findings", dimensions: [("code", entry.code), ("severity", entry.severity)])
            self.findings[key] = gauge
            gauge.record(entry.count)
        }
    }
}
