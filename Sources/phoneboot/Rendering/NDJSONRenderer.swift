import BootAnalysis

/// `--format ndjson`: one JSON object a line, each event as it happens, then a `summary` line
/// per capture (see ``ReportJSON``).
struct NDJSONRenderer: ReportRenderer {
    var showsCaptureCounts: Bool { false }

    func event(_ event: BootEvent, source: String, time: Int64, to output: inout OutputBuffer) {
        output.write(ReportJSON.event(event, file: source))
        output.write("\n")
    }

    func capture(
        source: String, report: BootReport, finalEvents: [BootEvent], summary: CaptureSummary,
        to output: inout OutputBuffer
    ) {
        // Findings come at the end; their filters name this file's frames (not a merged capture's).
        for event in finalEvents {
            output.write(ReportJSON.event(event, file: source, displayFilters: summary.frameMap == nil))
            output.write("\n")
        }
        output.writeLine(ReportJSON.summaryEvent(file: source, report: report, summary: summary).text)
    }
}
