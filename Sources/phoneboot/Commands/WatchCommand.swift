import ArgumentParser
import BootAnalysis
import Logging
import PacketCapture
import Synchronization
import Telemetry
import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// `phoneboot watch`: the boot report, live, while the phones come up.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Capture live on an interface and show each phone booting as it happens.",
        discussion: """
            Prints a line per event as it happens (phone seen, DHCP answer with the boot \
            server, fetch started and finished with its result), then, when stopped by Ctrl-C, \
            SIGTERM or --duration, the findings and the full report, with the packets the \
            kernel dropped. A transfer still running when it is stopped (its last packet \
            within 10 s) is transfer-cut-by-capture-end, an info; when the kernel dropped \
            packets, transfer-incomplete, no-server-answer and no-dhcp-answer say the capture \
            itself lost frames. Needs root or CAP_NET_RAW.

            The capture filter keeps DHCP (67/68), TFTP (port 69 and every datagram that \
            looks like TFTP, whatever its ports), FTP, HTTP and HTTPS (21, 80, 443, plus the \
            opening and closing segments of every other TCP connection, which is what FTP \
            data connections need), LLDP and CDP, and the tunnels a remote capture arrives in \
            (GRE and ERSPAN, VXLAN on UDP 4789, CAPWAP data on UDP 5247), tagged or not. \
            --filter adds to it: \
            'tcp port 8080' follows a boot server on another port.

            Examples:
              sudo phoneboot watch --interface eth1
              sudo phoneboot watch -i eth1 --duration 300 --write boot.pcap
              sudo phoneboot watch -i span0 --buffer-size 256 --format ndjson   # a busy SPAN port
              sudo phoneboot watch -i eth1 --format ndjson | jq -c 'select(.event == "fetch-finished")'
              phoneboot analyze boot.pcap        # the saved session gives the same report

            Exit codes: 0 stopped and nothing at or above --fail-on; 1 findings at or above \
            it; 2 the interface could not be captured on (the message names the missing \
            capability or the interfaces that exist).
            """
    )

    /// The part of the capture filter every watch uses (see the discussion above).
    static let baseFilter: String = {
        let udpPorts = [DHCPMessage.serverPort, DHCPMessage.clientPort, FetchProtocol.tftp.defaultPort]
        let udp =
            udpPorts.map { "udp port \($0)" }.joined(separator: " or ")
            + " or (udp[8] == 0 and udp[9] >= 1 and udp[9] <= 6)"
        let tcp =
            FetchProtocol.streamPorts.map { "tcp port \($0)" }.joined(separator: " or ")
            + " or tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0"
        // LLDP by EtherType, CDP by its multicast address (802.3 frames have no EtherType);
        // GRE/ERSPAN, VXLAN and CAPWAP data whole, as they are opened (FrameDissection).
        let discovery = "ether proto 0x88cc or ether dst 01:00:0c:cc:cc:cc"
        let tunnels = "ip proto 47 or udp port 4789 or udp port 5247"
        let ip = "\(udp) or \(tcp) or \(tunnels)"
        // "vlan" moves every later offset by the tag, so all untagged tests come before it.
        return "(\(ip)) or \(discovery) or (vlan and (\(ip) or \(discovery)))"
    }()

    @Option(
        name: [.short, .long], help: ArgumentHelp("The interface to capture on (see 'ip link').", valueName: "name"))
    var interface: String

    @Option(
        help: ArgumentHelp(
            "More to capture, in tcpdump syntax, added to the built-in filter with 'or'.", valueName: "expression"))
    var filter: String?

    @Option(
        help:
            "table (a line per event, then the report), ndjson (events as JSON lines, then a summary), json or junit (the report when stopped)."
    )
    var format: OutputFormat = .table

    @Option(
        help: ArgumentHelp("Stop after this many seconds (default: run until Ctrl-C or SIGTERM).", valueName: "seconds")
    )
    var duration: Double?

    @Option(
        help: ArgumentHelp(
            "Also save every captured frame to this pcap file, to replay with 'analyze'.", valueName: "file"))
    var write: String?

    @Option(
        help: ArgumentHelp(
            "The kernel's capture buffer, in MiB (1-4096). Raise it when the summary shows frames dropped by the kernel.",
            valueName: "MiB"
        )
    )
    var bufferSize = LiveCapture.defaultBufferSize >> 20

    @OptionGroup var report: ReportOptions

    @OptionGroup var logging: LoggingOptions

    @OptionGroup var metrics: MetricsOptions

    func validate() throws {
        guard (1...4096).contains(self.bufferSize) else {
            throw ValidationError("--buffer-size is in MiB, from 1 to 4096; got \(self.bufferSize).")
        }
        if let duration, !(duration > 0) {
            throw ValidationError("--duration must be a positive number of seconds, got \(duration).")
        }
        if self.interface.isEmpty { throw ValidationError("--interface needs a name (see 'ip link').") }
    }

    func run() throws {
        self.logging.bootstrap()
        let logger = Logger(label: "phoneboot.watch")
        let filter = self.filter.map { "(\(Self.baseFilter)) or (\($0))" } ?? Self.baseFilter
        var capture: LiveCapture
        do {
            capture = try LiveCapture(
                interface: self.interface, filter: filter, bufferSize: self.bufferSize << 20, writeTo: self.write)
        } catch {
            logger.critical("\(error)")
            throw ExitCode(2)
        }
        let linkType = LinkType(rawValue: capture.linkType)
        guard linkType.isSupported else {
            logger.critical(
                "\(self.interface): \(capture.linkTypeName) (DLT \(capture.linkType)) is not a link type PhoneBoot reads"
            )
            throw ExitCode(2)
        }
        let endpoint: MetricsEndpoint?
        do {
            endpoint = try self.metrics.start()
        } catch {
            logger.critical("\(error)")
            throw ExitCode(2)
        }
        defer { endpoint?.stop() }
        var metrics = endpoint.map { _ in WatchMetrics() }

        let stop = StopRequest()
        let signals = TerminationSignals { stop.request() }
        defer { signals.restore() }
        let deadline = self.duration.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }

        var output = OutputBuffer.standardOutput()
        var renderer = self.format.renderer(
            palette: self.report.palette, live: true, failOn: self.report.failOn.threshold,
            filters: self.report.filters)
        let source = self.interface
        // On standard error, so that NDJSON and JSON on standard output stay clean.
        let saving = self.write.map { ", saving to \($0)" } ?? ""
        let metricsURL = endpoint.map { ", metrics at http://\($0.boundAddress)/metrics" } ?? ""
        logger.notice("watching \(source) (\(capture.linkTypeName))\(saving)\(metricsURL); Ctrl-C to stop")
        var pipeline = CapturePipeline(linkType: linkType, options: self.report.analyzerOptions)
        renderer.begin(&output)
        let shouldStop = { stop.isRequested || deadline.map { ContinuousClock.now >= $0 } ?? false }
        var ticks = 0
        let end = capture.run(until: shouldStop) { frames, statistics in
            guard metrics != nil else { return }
            metrics?.update(frames: frames, statistics: statistics)
            ticks += 1
            if ticks % WatchMetrics.findingsInterval == 0 {
                metrics?.setFindings(pipeline.provisionalFindings().lazy.map(\.finding))
            }
        } _: { header, bytes in
            let (_, events) = pipeline.consume(header, bytes: bytes)
            guard !events.isEmpty else { return }
            let time = header.timestamp.totalNanoseconds
            for event in events {
                metrics?.record(event)
                renderer.event(event, source: source, time: time, to: &output)
            }
            output.flush()
        }

        var summary = CaptureSummary()
        summary.linkTypeName = capture.linkTypeName
        summary.statistics = capture.statistics()
        if case .failed(let error) = end {
            summary.problem = .error("\(error)")
            logger.critical("\(error)")
        }
        // The capture ends when it was stopped, not at its last frame: a transfer silent since
        // long before Ctrl-C stalled, it was not cut.
        let (report, events) = pipeline.finish(summary: &summary, stoppedAt: Self.now())
        // The final figures, for a scrape between here and the endpoint's stop.
        if var final = metrics {
            final.update(frames: summary.counters.frames, statistics: summary.statistics)
            for event in events { final.record(event) }
            final.setFindings(report.phones.lazy.flatMap(\.findings))
        }
        if let statistics = summary.statistics, statistics.lostPackets {
            logger.warning(
                "the capture lost frames: \(statistics.droppedByKernel) dropped by the kernel, \(statistics.droppedByInterface) by the interface",
                metadata: ["hint": "raise --buffer-size (now \(self.bufferSize) MiB)"])
        }
        logger.notice("stopped watching \(source)", metadata: ["phones": "\(report.phones.count)"])
        renderer.capture(source: source, report: report, finalEvents: events, summary: summary, to: &output)
        renderer.end(&output)
        output.flush()
        if case .failed = end { throw ExitCode(2) }
        try self.report.checkFailOn(report.worstSeverity)
    }
}

extension WatchCommand {
    /// The wall-clock time now, nanoseconds since the epoch, as libpcap stamps live frames.
    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

/// Set from a signal handler's queue, read by the capture loop.
private final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)

    func request() { self.flag.store(true, ordering: .relaxed) }
    var isRequested: Bool { self.flag.load(ordering: .relaxed) }
}
