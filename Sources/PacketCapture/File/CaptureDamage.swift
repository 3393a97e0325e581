/// A damaged span of a capture file that reading skipped: where the damaged record began, how
/// many bytes were passed over, and where (and at which frame) reading went on.
///
/// Frames after a skip are numbered by the records read, as Wireshark numbers the frames it
/// can read: the records lost in the damaged span get no numbers.
public struct CaptureDamage: Hashable, Sendable, CustomStringConvertible {
    /// Byte offset in the file where the damaged record (or pcapng block) begins.
    public var offset: Int
    /// Bytes skipped from ``offset``: to ``resumedAt``, or to the end of the file when nothing
    /// readable followed.
    public var skippedBytes: Int
    /// Byte offset of the record reading resumed at, or `nil` when no plausible record followed.
    public var resumedAt: Int?
    /// The number the first frame read after the skip gets, or `nil` when none was read.
    public var resumedAtFrame: Int?
    /// What libpcap said about the damaged record.
    public var reason: String

    public init(offset: Int, skippedBytes: Int, resumedAt: Int?, resumedAtFrame: Int?, reason: String) {
        self.offset = offset
        self.skippedBytes = skippedBytes
        self.resumedAt = resumedAt
        self.resumedAtFrame = resumedAtFrame
        self.reason = reason
    }

    /// One line: `damaged record at byte X; skipped N bytes, resumed at byte Y (frame K)`.
    public var description: String {
        let plural = self.skippedBytes == 1 ? "" : "s"
        guard let resumedAt = self.resumedAt else {
            return
                "damaged record at byte \(self.offset); skipped \(self.skippedBytes) byte\(plural) to the end of the file, "
                + "no readable record after it (\(self.reason))"
        }
        let frame = self.resumedAtFrame.map { " (frame \($0))" } ?? ""
        return
            "damaged record at byte \(self.offset); skipped \(self.skippedBytes) byte\(plural), resumed at byte \(resumedAt)\(frame) (\(self.reason))"
    }
}
