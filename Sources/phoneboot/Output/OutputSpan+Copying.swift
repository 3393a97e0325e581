extension OutputSpan where Element == UInt8 {
    /// Appends `bytes` with one copy. The span must have room for them (a programming error
    /// otherwise, never a property of the input: callers make room for what they append).
    @inline(__always)
    mutating func append(copying bytes: UnsafeBufferPointer<UInt8>) {
        precondition(bytes.count <= self.freeCapacity, "OutputSpan has no room for \(bytes.count) bytes")
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        self.withUnsafeMutableBufferPointer { buffer, initialized in
            guard let target = buffer.baseAddress else { return }
            (target + initialized).initialize(from: source, count: bytes.count)
            initialized += bytes.count
        }
    }
}
