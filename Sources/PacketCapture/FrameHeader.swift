/// What libpcap records about a frame besides its bytes.
public struct FrameHeader: Hashable, Sendable {
    /// The frame's position in its file, from 1, as Wireshark numbers it. Frames a filter
    /// rejects still count, so numbers match Wireshark's with or without `--filter`.
    public var number: Int
    /// When the frame was captured.
    public var timestamp: Timestamp
    /// Bytes present in the capture (`caplen`).
    public var capturedLength: Int
    /// Bytes the frame had on the wire (`len`); larger than ``capturedLength`` when the
    /// capture was cut by its snapshot length.
    public var originalLength: Int

    public init(number: Int, timestamp: Timestamp, capturedLength: Int, originalLength: Int) {
        self.number = number
        self.timestamp = timestamp
        self.capturedLength = capturedLength
        self.originalLength = originalLength
    }
}

/// A capture timestamp: seconds since the Unix epoch and nanoseconds.
public struct Timestamp: Hashable, Sendable, Comparable {
    public var seconds: Int64
    /// Nanoseconds within the second. Files can hold values of 10⁹ or more ("invalid ns");
    /// they are kept as recorded.
    public var nanoseconds: UInt32

    public init(seconds: Int64, nanoseconds: UInt32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Nanoseconds since the epoch.
    public var totalNanoseconds: Int64 {
        self.seconds &* 1_000_000_000 &+ Int64(self.nanoseconds)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}
