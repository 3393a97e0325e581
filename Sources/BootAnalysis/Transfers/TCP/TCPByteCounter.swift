import WireFormats

/// Counts the bytes one direction of a TCP connection carried, without keeping them: the span
/// of sequence numbers covered, so that retransmissions and reordering are not counted twice
/// (RFC 9293 §3.4). Used for FTP data connections and HTTP bodies.
struct TCPByteCounter: Hashable, Sendable {
    private var start: UInt32?
    private var end: UInt32?

    /// Takes one segment of this direction.
    mutating func receive(_ segment: TCPSegment) {
        if segment.flags.contains(.syn) {
            self.start = segment.sequenceNumber &+ 1
            if self.end == nil { self.end = self.start }
        }
        if segment.flags.contains(.fin), let start = self.start {
            // A FIN's sequence number is the end of the data: with only the SYN and the FIN of
            // a data connection (as `watch`'s capture filter keeps them), the size is known.
            let end = segment.sequenceNumber &+ UInt32(truncatingIfNeeded: segment.payloadLength)
            if Int32(bitPattern: end &- start) > 0, self.end.map({ Int32(bitPattern: end &- $0) > 0 }) ?? true {
                self.end = end
            }
        }
        guard segment.payloadLength > 0 else { return }
        let first = segment.sequenceNumber
        let last = first &+ UInt32(truncatingIfNeeded: segment.payloadLength)
        let start = self.start ?? first
        if Int32(bitPattern: first &- start) < 0 { self.start = first }
        self.start = self.start ?? first
        if let end = self.end {
            if Int32(bitPattern: last &- end) > 0 { self.end = last }
        } else {
            self.end = last
        }
    }

    /// Bytes between the first and the last sequence number seen.
    var bytes: Int {
        guard let start, let end else { return 0 }
        return max(0, Int(Int32(bitPattern: end &- start)))
    }
}
