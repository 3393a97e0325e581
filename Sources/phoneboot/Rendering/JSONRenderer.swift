import BootAnalysis

/// `--format json`: one document, `{"schemaVersion":…,"captures":[…]}`, each capture written
/// as it ends, its phones one at a time (see ``ReportJSON``).
struct JSONRenderer: ReportRenderer {
    private var captures = 0

    var showsCaptureCounts: Bool { false }

    var usesEvents: Bool { false }

    func begin(_ output: inout OutputBuffer) {
        output.write("{\"schemaVersion\":\(ReportJSON.schemaVersion),\"captures\":[")
    }

    func event(_ event: BootEvent, source: String, time: Int64, to output: inout OutputBuffer) {}

    mutating func capture(
        source: String, report: BootReport, finalEvents: [BootEvent], summary: CaptureSummary,
        to output: inout OutputBuffer
    ) {
        if self.captures > 0 { output.write(",") }
        self.captures += 1
        ReportJSON.writeCapture(path: source, report: report, summary: summary, to: &output)
    }

    func end(_ output: inout OutputBuffer) {
        output.writeLine("]}")
    }
}
