import ArgumentParser
import BootAnalysis
import WireFormats

/// `phoneboot analyze`: the per-phone boot report.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Report, per phone, what it asked DHCP for, what it got, what it fetched and what went wrong.",
        discussion: """
            One record per phone (Polycom OUI 00:04:F2, 64:16:7F or 48:25:67, a Polycom vendor \
            class, a request for option 66/150/160, or a provisioning fetch): its DHCP \
            exchanges, the boot server in effect (160 over 66, as the phone chooses), its TFTP \
            fetches with their results, and findings with the frame numbers that prove them \
            and a hint on the fix. Passwords in boot-server URLs are shown as ***.

            Memory follows the number of phones: other DHCP clients are kept only up to \
            --other-device-limit (10000) at once, the least recently seen forgotten beyond it; \
            the report then says how many were seen and how many were not kept.

            Examples:
              phoneboot analyze captures/polycom-tftp-boot.pcap
              phoneboot analyze --format json site-a.pcapng > report.json
              phoneboot analyze --format ndjson cap.pcap | jq 'select(.event == "finding")'
              phoneboot analyze --fail-on warning captures/*.pcap   # CI: exit 1 on warnings too

            A damaged record in the middle of a file does not end the report: reading resumes \
            at the next plausible record, and stderr, the table heading and the JSON "damage" \
            list say at which byte, how many bytes were skipped and at which frame reading \
            resumed (frames after a skip are numbered by the records read). Standard input is \
            not resynchronised: reading stops at the damage.

            Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 a \
            capture or the command line was unusable (nothing could be read from it).
            """
    )

    @OptionGroup var input: CaptureInputOptions

    @Option(help: "table (for a terminal), json (one document) or ndjson (one event per line, in capture order).")
    var format: OutputFormat = .table

    @OptionGroup var report: ReportOptions

    func run() throws {
        var output = OutputBuffer.standardOutput()
        var renderer = self.format.renderer(palette: self.report.palette, live: false)
        var unreadable = false
        var worst: Finding.Severity?
        renderer.begin(&output)
        for path in self.input.files {
            let reading = CaptureReading(path: path, filter: self.input.filter)
            let result = reading.run(analyzer: self.report.analyzerOptions) { packet, _, events, _ in
                for event in events { renderer.event(event, source: path, time: packet.timestamp, to: &output) }
            }
            if !result.summary.readable { unreadable = true }
            // A format whose output does not carry the counts says them on standard error.
            if result.summary.linkTypeName != nil && !renderer.showsCaptureCounts {
                printError(result.summary.line(source: path))
            }
            if let severity = result.report.worstSeverity { worst = max(worst ?? severity, severity) }
            renderer.capture(
                source: path, report: result.report, finalEvents: result.finalEvents, summary: result.summary,
                to: &output
            )
        }
        renderer.end(&output)
        output.flush()
        if unreadable { throw ExitCode(2) }
        try self.report.checkFailOn(worst)
    }
}
