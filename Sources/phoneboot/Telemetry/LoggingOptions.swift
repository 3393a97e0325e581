import ArgumentParser
import Logging

/// `--log-format` and `--log-level`, shared by `proxy` and `watch`: where their log goes and
/// how much of it (standard error, through swift-log).
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .customLong("log-format"),
        help: "text (journald-friendly lines) or json (one object per line), on standard error.")
    var format: LogFormat = .text

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "The least severe level logged: trace, debug, info, notice, warning, error or critical.",
            valueName: "level"))
    var level: LogLevel = .info

    /// swift-log's levels, as the command line spells them.
    enum LogLevel: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        var level: Logger.Level { Logger.Level(rawValue: self.rawValue) ?? .info }
    }

    /// Makes swift-log write through ``StructuredLogHandler`` with these settings; once per process.
    func bootstrap() {
        let format = self.format
        let level = self.level.level
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: format, level: level) }
    }
}
