/// How much of a capture's files has been read: for a progress line.
public struct ReadProgress: Hashable, Sendable {
    /// Bytes read so far, over every file.
    public var bytesRead: Int
    /// The files' total size; `nil` when one of them has no known size (standard input).
    public var totalBytes: Int?
    /// Frames read so far, over every file.
    public var frames: Int

    public init(bytesRead: Int, totalBytes: Int?, frames: Int) {
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.frames = frames
    }

    /// The share read, from 0 to 1, when the total is known.
    public var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, Double(self.bytesRead) / Double(totalBytes))
    }
}
