import BootAnalysis

/// One output format of the boot report. A command makes the renderer its `--format` names and
/// feeds it: ``begin(_:)`` once, ``event(_:source:time:to:)`` as the analyzer emits events,
/// ``capture(source:report:finalEvents:summary:to:)`` as each capture ends, ``end(_:)`` once.
/// A renderer sees the report model (``BootReport``, ``BootEvent``, ``CaptureSummary``), never
/// the read loop.
///
/// To add a format: a type here conforming to this protocol, and a case in ``OutputFormat``.
protocol ReportRenderer {
    /// True when the output itself says what was read (frames, DHCP, TFTP), so the command
    /// need not also say it on standard error.
    var showsCaptureCounts: Bool { get }

    /// True when the renderer renders events: those of ``event(_:source:time:to:)`` and the
    /// `finalEvents` of ``capture(source:report:finalEvents:summary:to:)`` (NDJSON, the live
    /// table); when false the analyzer builds none (``BootAnalyzer/Options/collectsEvents``).
    var usesEvents: Bool { get }

    /// Before the first capture.
    mutating func begin(_ output: inout OutputBuffer)

    /// An event as the analyzer emits it, while a file is read or live; `time` is its capture
    /// time in nanoseconds since the epoch.
    mutating func event(_ event: BootEvent, source: String, time: Int64, to output: inout OutputBuffer)

    /// A capture ended: its report, the events only its end could tell, and what was read.
    mutating func capture(
        source: String, report: BootReport, finalEvents: [BootEvent], summary: CaptureSummary,
        to output: inout OutputBuffer
    )

    /// After the last capture.
    mutating func end(_ output: inout OutputBuffer)
}

extension ReportRenderer {
    var usesEvents: Bool { true }
    func begin(_ output: inout OutputBuffer) {}
    func end(_ output: inout OutputBuffer) {}
}
