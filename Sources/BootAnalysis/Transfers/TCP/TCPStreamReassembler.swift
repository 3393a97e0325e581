import WireFormats

/// One direction of a TCP connection put back in order (RFC 9293 §3.4, §3.10.7.4), for the
/// control and request streams the analyzer reads.
///
/// Retransmitted and overlapping bytes are delivered once; segments that arrive early wait
/// until the gap before them is filled. What waits is bounded by ``limit``: past it, the
/// oldest gap is given up as lost (counted in ``skippedBytes``) and reading carries on after
/// it, so a lossy capture costs accuracy, never unbounded memory.
struct TCPStreamReassembler: Sendable {
    /// Bytes of early segments kept per stream.
    static let defaultLimit = 256 * 1024

    let limit: Int
    /// The sequence number of the next byte to deliver, once known.
    private(set) var nextSequence: UInt32?
    /// Segments that arrived before the bytes preceding them, by sequence number.
    private var early: [UInt32: [UInt8]] = [:]
    private var earlyBytes = 0
    /// Bytes given up as lost.
    private(set) var skippedBytes = 0
    /// Bytes delivered in order.
    private(set) var deliveredBytes = 0

    init(limit: Int = Self.defaultLimit) {
        self.limit = limit
    }

    /// Takes one segment of this direction; returns the bytes it puts in order (often its own
    /// payload, sometimes with early segments behind it, often nothing for a retransmission).
    mutating func receive(_ segment: TCPSegment) -> [UInt8] {
        if segment.flags.contains(.syn) {
            // The SYN takes one sequence number; its payload, if any, is not followed.
            self.nextSequence = segment.sequenceNumber &+ 1
            return []
        }
        guard !segment.payload.isEmpty else { return [] }
        let next = self.nextSequence ?? segment.sequenceNumber
        self.nextSequence = next
        var output: [UInt8] = []
        let ahead = Int(Int32(bitPattern: segment.sequenceNumber &- next))
        if ahead <= 0 {
            self.deliver(segment.payload, at: segment.sequenceNumber, into: &output)
        } else if self.early[segment.sequenceNumber].map({ $0.count < segment.payload.count }) ?? true {
            self.earlyBytes += segment.payload.count - (self.early[segment.sequenceNumber]?.count ?? 0)
            self.early[segment.sequenceNumber] = segment.payload
        }
        self.drain(into: &output)
        while self.earlyBytes > self.limit, let gapEnd = self.earliestEarly() {
            // Give up on the gap before the earliest early segment.
            self.skippedBytes += Int(Int32(bitPattern: gapEnd &- (self.nextSequence ?? gapEnd)))
            self.nextSequence = gapEnd
            self.drain(into: &output)
        }
        return output
    }

    /// Appends the part of `bytes` (which start at `sequence`) not yet delivered.
    private mutating func deliver(_ bytes: [UInt8], at sequence: UInt32, into output: inout [UInt8]) {
        guard let next = self.nextSequence else { return }
        let already = Int(Int32(bitPattern: next &- sequence))
        guard already >= 0, already < bytes.count else { return }
        output += bytes[already...]
        self.nextSequence = next &+ UInt32(bytes.count - already)
        self.deliveredBytes += bytes.count - already
    }

    /// Delivers every early segment that now starts at or before the next byte.
    private mutating func drain(into output: inout [UInt8]) {
        while let next = self.nextSequence,
            let sequence = self.early.keys.first(where: { Int32(bitPattern: $0 &- next) <= 0 }),
            let bytes = self.early.removeValue(forKey: sequence)
        {
            self.earlyBytes -= bytes.count
            self.deliver(bytes, at: sequence, into: &output)
        }
    }

    private func earliestEarly() -> UInt32? {
        guard let next = self.nextSequence else { return nil }
        return self.early.keys.min { Int32(bitPattern: $0 &- next) < Int32(bitPattern: $1 &- next) }
    }
}
