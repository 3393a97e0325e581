import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The swift-log backend of `proxy` and `watch`: one line per event on standard error, as
/// text or JSON (`--log-format`), with its level and metadata.
///
/// Text is what journald and a terminal read well: `TIME LEVEL logger: message key=value ...`;
/// when standard error is the systemd journal (`JOURNAL_STREAM` names it), each line starts
/// with its syslog priority instead (`<6>`, sd-daemon(3)) and leaves the time to the journal.
/// JSON is one object per line for a log pipeline: `time`, `level`, `logger`, `message`, then
/// the metadata keys, numbers as numbers. Each line leaves in one `write(2)`.
struct StructuredLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    /// Standard error is the journal: priority prefixes, no time stamp.
    let toJournal: Bool
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level

    init(label: String, format: LogFormat, level: Logger.Level, toJournal: Bool = Self.standardErrorIsJournal()) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.toJournal = toJournal
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var metadata = self.metadata
        if let provided = self.metadataProvider?.get() { metadata.merge(provided) { $1 } }
        if let given = event.metadata { metadata.merge(given) { $1 } }
        let line = self.line(
            level: event.level, message: event.message.description, metadata: metadata, now: Self.now())
        writeAll(line, to: STDERR_FILENO)
    }

    /// The bytes of one line, newline included.
    func line(level: Logger.Level, message: String, metadata: Logger.Metadata, now: timespec) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(160)
        let time = TimeFormat.iso8601(seconds: Int64(now.tv_sec), nanoseconds: UInt32(now.tv_nsec))
        switch self.format {
        case .text:
            if self.toJournal {
                line.append(contentsOf: "<\(Self.syslogPriority(level))>".utf8)
            } else {
                line.append(contentsOf: time.utf8)
                line.append(UInt8(ascii: " "))
                line.append(contentsOf: level.rawValue.utf8)
                line.append(UInt8(ascii: " "))
            }
            line.append(contentsOf: self.label.utf8)
            line.append(contentsOf: ": ".utf8)
            line.append(contentsOf: message.utf8)
            for key in metadata.keys.sorted() {
                guard let value = metadata[key] else { continue }
                line.append(UInt8(ascii: " "))
                line.append(contentsOf: key.utf8)
                line.append(UInt8(ascii: "="))
                Self.appendText(value, to: &line)
            }
        case .json:
            line.append(contentsOf: "{\"time\":".utf8)
            JSONValue.writeString(time, into: &line)
            line.append(contentsOf: ",\"level\":".utf8)
            JSONValue.writeString(level.rawValue, into: &line)
            line.append(contentsOf: ",\"logger\":".utf8)
            JSONValue.writeString(self.label, into: &line)
            line.append(contentsOf: ",\"message\":".utf8)
            JSONValue.writeString(message, into: &line)
            for key in metadata.keys.sorted() {
                guard let value = metadata[key] else { continue }
                line.append(UInt8(ascii: ","))
                JSONValue.writeString(key, into: &line)
                line.append(UInt8(ascii: ":"))
                Self.appendJSON(value, to: &line)
            }
            line.append(UInt8(ascii: "}"))
        }
        line.append(0x0A)
        return line
    }

    /// A text value as it is when it has no blank, quote or control character; quoted and
    /// escaped as a JSON string otherwise, so that a line always splits back into its fields.
    private static func appendText(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        let text: String =
            switch value {
            case .string(let string): string
            case .stringConvertible(let convertible): convertible.description
            case .array, .dictionary:
                // Lists and maps as JSON: one field, readable.
                {
                    var bytes: [UInt8] = []
                    Self.appendJSON(value, to: &bytes)
                    return String(decoding: bytes, as: UTF8.self)
                }()
            }
        let plain = !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 != UInt8(ascii: "\"") && $0 != 0x7F }
        if plain {
            line.append(contentsOf: text.utf8)
        } else {
            JSONValue.writeString(text, into: &line)
        }
    }

    /// A metadata value as JSON: integers as numbers, lists and maps as arrays and objects.
    private static func appendJSON(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        switch value {
        case .string(let string):
            JSONValue.writeString(string, into: &line)
        case .stringConvertible(let convertible):
            if let integer = convertible as? any BinaryInteger, let value = Int(exactly: integer) {
                JSONValue.writeInt(value, into: &line)
            } else if let number = convertible as? Double, number.isFinite {
                line.append(contentsOf: number.description.utf8)
            } else {
                JSONValue.writeString(convertible.description, into: &line)
            }
        case .array(let values):
            line.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                Self.appendJSON(element, to: &line)
            }
            line.append(UInt8(ascii: "]"))
        case .dictionary(let entries):
            line.append(UInt8(ascii: "{"))
            for (index, key) in entries.keys.sorted().enumerated() {
                guard let element = entries[key] else { continue }
                if index > 0 { line.append(UInt8(ascii: ",")) }
                JSONValue.writeString(key, into: &line)
                line.append(UInt8(ascii: ":"))
                Self.appendJSON(element, to: &line)
            }
            line.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 5424 §6.2.1 severities, as sd-daemon(3) prefixes read them.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// True when standard error is the stream `JOURNAL_STREAM` names (`DEVICE:INODE`), that
    /// is, systemd connected it to the journal (systemd.exec(5)).
    static func standardErrorIsJournal() -> Bool {
        guard let value = getenv("JOURNAL_STREAM") else { return false }
        let parts = String(cString: value).split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    private static func now() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now
    }
}
