import ArgumentParser
import BootAnalysis
import PacketCapture
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
            the report then says how many were seen and how many were not kept. HTTP and HTTPS \
            connections from clients that do not look like phones are dropped at their first \
            request unless it asks for a provisioning file or carries a Polycom User-Agent \
            (--all-devices follows them all); a connection or TFTP transfer silent for 90 s of \
            capture time is ended as it stands. On a terminal, a progress line on stderr shows \
            how far reading is (--quiet leaves it out).

            Examples:
              phoneboot analyze captures/polycom-tftp-boot.pcap
              phoneboot analyze --format json site-a.pcapng > report.json
              phoneboot analyze --format ndjson cap.pcap | jq 'select(.event == "finding")'
              phoneboot analyze --format junit --fail-on warning --separate replay/*.pcap > junit.xml
              phoneboot analyze ring-*.pcap                   # a ring buffer: one capture
              phoneboot analyze --separate captures/*.pcap    # one report per file
              phoneboot analyze --fail-on warning ring-*.pcap # CI: exit 1 on warnings

            A damaged record in the middle of a file does not end the report: reading resumes \
            at the next plausible record, and stderr, the table heading and the JSON "damage" \
            list say at which byte, how many bytes were skipped and at which frame reading \
            resumed (frames after a skip are numbered by the records read). Standard input is \
            not resynchronised: reading stops at the damage.

            Several files are read as one capture: the files of a ring buffer (tcpdump -C/-G \
            -w, dumpcap -b) continue each other, so a fetch that crosses from one file to the \
            next is followed to its end. Frames are merged in timestamp order (files that \
            overlap interleave; equal times keep the order the files were given) and numbered \
            1..N across the files; the report lists which frames came from which file, and \
            each finding and fetch names the file and that file's own frame number. \
            --separate reads each file as a capture of its own, one report per file.

            A transfer still under way when the capture ends (its last packet within 10 s of \
            the last frame) is transfer-cut-by-capture-end, an info, not an error. When the \
            capture itself lost frames (a TFTP block gap, a TCP sequence gap), the heading says \
            so and transfer-incomplete, no-server-answer and no-dhcp-answer say it may be the \
            capture, not the network.

            Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 a \
            capture or the command line was unusable (nothing could be read from it).
            """
    )

    @OptionGroup var input: CaptureInputOptions

    @Option(
        help:
            "table (for a terminal), json (one document), ndjson (one event per line, in capture order) or junit (JUnit XML for CI: a test case per phone, failing at --fail-on)."
    )
    var format: OutputFormat = .table

    @OptionGroup var report: ReportOptions

    @Flag(help: "Several files: one report per file, as separate captures, instead of one capture merged in time.")
    var separate = false

    func run() throws {
        var output = OutputBuffer.standardOutput()
        var renderer = self.format.renderer(
            palette: self.report.palette, live: false, failOn: self.report.failOn.threshold,
            filters: self.report.filters)
        var unreadable = false
        var worst: Finding.Severity?
        renderer.begin(&output)
        let captures = self.separate ? self.input.files.map { [$0] } : [self.input.files]
        for (number, paths) in captures.enumerated() {
            // A capture of several files is named by its first; the report lists them all.
            let source = paths[0]
            var reading = CaptureReading(paths: paths, filter: self.input.filter)
            reading.showsProgress = self.input.showsProgress
            var options = self.report.analyzerOptions
            options.collectsEvents = renderer.usesEvents
            let result = reading.run(analyzer: options) { events, time in
                for event in events { renderer.event(event, source: source, time: time, to: &output) }
            }
            if !result.summary.readable || result.summary.inputs.contains(where: { $0.error != nil }) {
                unreadable = true
            }
            // A format whose output does not carry the counts says them on standard error.
            if result.summary.linkTypeName != nil && !renderer.showsCaptureCounts && !self.input.quiet {
                printError(result.summary.line(source: source))
            }
            if let severity = result.report.worstSeverity { worst = max(worst ?? severity, severity) }
            renderer.capture(
                source: source, report: result.report, finalEvents: result.finalEvents, summary: result.summary,
                to: &output
            )
            // The last report is not freed: the exit reclaims it at once.
            if number == captures.count - 1 { KeptUntilExit.keep(result.report) }
        }
        renderer.end(&output)
        output.flush()
        if unreadable { throw ExitCode(2) }
        try self.report.checkFailOn(worst)
    }
}
