import ArgumentParser

/// How `proxy` and `watch` write their log on standard error (``StructuredLogHandler``).
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `TIME LEVEL logger: message key=value`; syslog priority prefixes under systemd.
    case text
    /// One JSON object per line.
    case json
}
