import ArgumentParser

/// `--format`: which ``ReportRenderer`` writes standard output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, ndjson

    /// The renderer of this format. `live`: events are shown as they happen (`watch`), not
    /// only in the final report.
    func renderer(palette: ReportTable.Palette, live: Bool) -> any ReportRenderer {
        switch self {
        case .table: TableRenderer(palette: palette, live: live)
        case .json: JSONRenderer()
        case .ndjson: NDJSONRenderer()
        }
    }
}
