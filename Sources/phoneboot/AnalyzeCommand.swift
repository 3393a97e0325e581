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

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, ndjson
    }

    enum FailOn: String, ExpressibleByArgument, CaseIterable {
        case error, warning, info, never

        var threshold: Finding.Severity? {
            switch self {
            case .error: .error
            case .warning: .warning
            case .info: .info
            case .never: nil
            }
        }
    }

    @OptionGroup var input: CaptureInputOptions

    @Option(help: "table (for a terminal), json (one document) or ndjson (one event per line, in capture order).")
    var format: Format = .table

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding reaches this severity: error, warning, info or never.")
    var failOn: FailOn = .error

    @Flag(name: .customLong("all-devices"), help: ArgumentHelp(
        "List every DHCP client, not only those that look like phones, within --other-device-limit.",
        discussion: """
            Clients that do not look like phones are kept up to --other-device-limit at once \
            (default 10000); beyond it the least recently seen is forgotten: counted in the \
            report (summary and heading), never listed.
            """
    ))
    var allDevices = false

    @OptionGroup var otherDevices: OtherDeviceOptions

    @Flag(name: .customLong("no-color"), help: "No colours in the table, even on a terminal.")
    var noColor = false

    func run() throws {
        var output = OutputBuffer.standardOutput()
        var unreadable = false
        var worst: Finding.Severity?
        let palette = ReportTable.Palette(enabled: !self.noColor && standardOutputIsTerminal())
        if self.format == .json {
            output.write("{\"schemaVersion\":\(ReportJSON.schemaVersion),\"captures\":[")
        }
        for (index, path) in self.input.files.enumerated() {
            var analyzer = BootAnalyzer(options: self.otherDevices.analyzerOptions(allDevices: self.allDevices))
            let ndjson = self.format == .ndjson
            let outcome = CaptureReading(path: path, filter: self.input.filter).run { packet, _, _ in
                let events = analyzer.consume(packet)
                if ndjson {
                    for event in events { output.writeLine(ReportJSON.event(event, file: path).text) }
                }
            }
            if !outcome.readable { unreadable = true }
            // The table's own heading carries the counts; the machine formats keep stdout clean.
            if outcome.linkTypeName != nil && self.format != .table { printError(outcome.summary(path: path)) }
            let (report, events) = analyzer.finish()
            if let severity = report.worstSeverity { worst = max(worst ?? severity, severity) }
            switch self.format {
            case .ndjson:
                for event in events { output.writeLine(ReportJSON.event(event, file: path).text) }
                output.writeLine(ReportJSON.summaryEvent(file: path, report: report, outcome: outcome).text)
            case .json:
                if index > 0 { output.write(",") }
                ReportJSON.writeCapture(path: path, report: report, outcome: outcome, to: &output)
            case .table:
                if index > 0 { output.writeLine("") }
                if outcome.linkTypeName == nil {
                    output.writeLine("\(path): not read (\(outcome.problem ?? "unreadable"))")
                } else {
                    output.writeLine(ReportTable(palette: palette).render(path: path, report: report, outcome: outcome))
                }
            }
        }
        if self.format == .json { output.writeLine("]}") }
        output.flush()
        if unreadable { throw ExitCode(2) }
        if let threshold = self.failOn.threshold, let worst, worst >= threshold { throw ExitCode(1) }
    }
}
