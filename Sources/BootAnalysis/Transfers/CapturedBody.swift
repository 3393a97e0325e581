/// The bytes of one master configuration transfer (polycom-boot.md §4.2, `<mac>.cfg` and
/// `000000000000.cfg`), kept while it runs so that the file can be read once it is complete.
///
/// Only master configuration transfers keep their bytes; every other transfer is counted,
/// never stored. At most ``limit`` bytes are kept: a bigger file is counted on
/// (``isTooLarge``) and its bytes dropped, so that the report says so instead of reading a
/// part of it. A gap (a block or segment the capture did not hold) makes the copy unusable
/// (``isComplete`` false): a file is read only when the capture holds all of it.
struct CapturedBody: Hashable, Sendable {
    /// The most bytes kept of one file: 256 KiB, far above any master file (a few KB).
    static let limit = 256 * 1024

    /// The bytes so far, in order; empty once the file is too large or broken.
    private(set) var bytes: [UInt8] = []
    /// Every byte of the file seen so far, kept or not.
    private(set) var total = 0
    /// Set when the capture missed part of the file.
    private(set) var hasGap = false

    /// More than ``limit`` bytes: not kept.
    var isTooLarge: Bool { self.total > Self.limit }

    /// True when ``bytes`` hold the whole file as transferred.
    var isComplete: Bool { !self.hasGap && !self.isTooLarge }

    /// Appends the next bytes of the file.
    mutating func append(_ more: some Collection<UInt8>) {
        self.total += more.count
        guard !self.hasGap else { return }
        if self.total > Self.limit {
            self.bytes = []
        } else {
            self.bytes.append(contentsOf: more)
        }
    }

    /// Part of the file was not in the capture: what is kept cannot be read.
    mutating func markGap() {
        self.hasGap = true
        self.bytes = []
    }
}
