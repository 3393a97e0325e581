/// What went wrong reading a capture: an error (nothing, or not everything, could be read and
/// reading stopped) or a warning (something was skipped or cut, the rest was read).
///
/// Its description is the report's `problem` text: `error: …` or `warning: …`.
struct CaptureProblem: Hashable, Sendable, CustomStringConvertible {
    enum Severity: String, Hashable, Sendable {
        case error, warning
    }

    var severity: Severity
    /// What happened, without the severity.
    var text: String

    static func error(_ text: String) -> CaptureProblem { CaptureProblem(severity: .error, text: text) }
    static func warning(_ text: String) -> CaptureProblem { CaptureProblem(severity: .warning, text: text) }

    /// The same problem with more said after it (`first; second`).
    func adding(_ more: String) -> CaptureProblem {
        CaptureProblem(severity: self.severity, text: "\(self.text); \(more)")
    }

    var description: String { "\(self.severity.rawValue): \(self.text)" }
}
