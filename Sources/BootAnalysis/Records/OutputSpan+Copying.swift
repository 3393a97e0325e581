extension OutputSpan where Element == UInt8 {
    /// Appends `bytes` with one copy: the report's text (JSON, display filters) is written
    /// into room made once per piece (`Array.append(addingCapacity:initializingWith:)`), not
    /// byte by byte. The span must have room for them: a programming error otherwise, never a
    /// property of the input, as callers make room for what they append.
    @inlinable
    public mutating func append(copying bytes: UnsafeBufferPointer<UInt8>) {
        precondition(bytes.count <= self.freeCapacity, "OutputSpan has no room for \(bytes.count) bytes")
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        self.withUnsafeMutableBufferPointer { buffer, initialized in
            guard let target = buffer.baseAddress else { return }
            (target + initialized).initialize(from: source, count: bytes.count)
            initialized += bytes.count
        }
    }

    /// Appends the bytes of `text` (ASCII literals of the report's text: JSON keys, display
    /// filter words) with one copy, as ``append(copying:)``; the span must have room for them.
    @inlinable
    public mutating func append(_ text: StaticString) {
        // A literal's bytes where they lie; the closure of `withUTF8Buffer` (which also serves
        // a single-scalar StaticString, with no bytes stored) was a call of its own for every
        // key of a report.
        guard text.hasPointerRepresentation else {
            text.withUTF8Buffer { self.append(copying: $0) }
            return
        }
        self.append(copying: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
