import Synchronization

/// Values a command keeps alive until the process exits, and never frees.
///
/// The report of a large capture is a few hundred thousand allocations (every phone's record,
/// fetch and finding); freeing them one by one after the report is written only delays the
/// exit, by tens of milliseconds on a million-frame capture. The exit reclaims them at once.
/// Only the last value of a command belongs here: one kept per file would grow with the files.
enum KeptUntilExit {
    private static let values = Mutex<[any Sendable]>([])

    /// Keeps `value` until the process exits.
    static func keep(_ value: consuming some Sendable) {
        let value: any Sendable = value
        self.values.withLock { $0.append(value) }
    }
}
