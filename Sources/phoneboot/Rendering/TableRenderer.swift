import BootAnalysis

/// `--format table`: for a terminal. Live (`watch`), a line per event as it happens, then the
/// events of the capture's end and the report; from files (`analyze`), the report of each
/// capture, a blank line between them.
struct TableRenderer: ReportRenderer {
    let palette: ReportTable.Palette
    let live: Bool
    /// `--filters`: each phone, DHCP exchange, fetch and finding with its display filter.
    let filters: Bool
    private var captures = 0

    init(palette: ReportTable.Palette, live: Bool, filters: Bool = false) {
        self.palette = palette
        self.live = live
        self.filters = filters
    }

    var showsCaptureCounts: Bool { true }

    var usesEvents: Bool { self.live }

    func event(_ event: BootEvent, source: String, time: Int64, to output: inout OutputBuffer) {
        guard self.live else { return }
        output.writeLine(LiveEventLine(palette: self.palette).render(event, at: time))
    }

    mutating func capture(
        source: String, report: BootReport, finalEvents: [BootEvent], summary: CaptureSummary,
        to output: inout OutputBuffer
    ) {
        if self.live {
            for event in finalEvents { output.writeLine(LiveEventLine(palette: self.palette).render(event, at: nil)) }
        }
        if self.live || self.captures > 0 { output.writeLine("") }
        self.captures += 1
        if summary.linkTypeName == nil {
            output.writeLine("\(source): not read (\(summary.problem.map(String.init(describing:)) ?? "unreadable"))")
        } else {
            output.writeLine(
                ReportTable(palette: self.palette, filters: self.filters).render(
                    path: source, report: report, summary: summary))
        }
    }
}
