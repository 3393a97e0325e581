import PacketCapture

/// The line a long read keeps up to date on standard error: how much of the capture's files
/// has been read, how fast, and how many phones so far.
///
/// It shows only after the first second (short reads print nothing), at most five times a
/// second, and is cleared when reading ends, so that what follows starts on a clean line.
/// Commands create it only when standard error is a terminal and `--quiet` is not given.
struct ProgressLine {
    /// Frames between looks at the clock and the files' positions.
    static let frameInterval = 16_384

    private let label: String
    private let start = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?

    init(label: String) {
        self.label = label
    }

    /// Redraws the line, when a second has passed since reading began and 200 ms since it
    /// was last drawn.
    mutating func update(_ progress: ReadProgress, phones: Int) {
        let now = ContinuousClock.now
        let elapsed = now - self.start
        guard elapsed >= .seconds(1) else { return }
        if let lastDrawn = self.lastDrawn, now - lastDrawn < .milliseconds(200) { return }
        self.lastDrawn = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var text = "\r\u{1B}[K\(self.label): "
        if let fraction = progress.fraction, let total = progress.totalBytes {
            text += "\(Int(fraction * 100))% of \(Self.megabytes(total)), "
        } else {
            text += "\(Self.megabytes(progress.bytesRead)) read, "
        }
        let rate = seconds > 0 ? Int(Double(progress.frames) / seconds) : 0
        text += "\(progress.frames) frames (\(rate)/s), \(phones) phone\(phones == 1 ? "" : "s")"
        writeStandardError(text)
    }

    /// Erases the line, if it was drawn.
    mutating func clear() {
        guard self.lastDrawn != nil else { return }
        writeStandardError("\r\u{1B}[K")
        self.lastDrawn = nil
    }

    private static func megabytes(_ bytes: Int) -> String {
        bytes >= 10_000_000 ? "\(bytes / 1_000_000) MB" : "\(bytes / 1000) kB"
    }
}
