import ArgumentParser
import BootAnalysis

/// `--format`: which ``ReportRenderer`` writes standard output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, ndjson, junit

    /// The renderer of this format. `live`: events are shown as they happen (`watch`), not
    /// only in the final report. `failOn`: the severity from which a finding fails its phone
    /// (`junit`). `filters`: the table shows each display filter (`--filters`).
    func renderer(palette: ReportTable.Palette, live: Bool, failOn: Finding.Severity?, filters: Bool = false)
        -> any ReportRenderer
    {
        switch self {
        case .table: TableRenderer(palette: palette, live: live, filters: filters)
        case .json: JSONRenderer()
        case .ndjson: NDJSONRenderer()
        case .junit: JUnitRenderer(failOn: failOn)
        }
    }
}
