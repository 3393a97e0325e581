import Dispatch

extension Array where Element: Sendable {
    /// Calls `body` on every element in place, on every core at once: for work on each element
    /// that reads nothing of the others (the end of a capture's phone records). Each task takes
    /// `chunkSize` neighbouring elements; the result is the same as a plain loop's.
    mutating func concurrentlyUpdateEach(chunkSize: Int = 64, _ body: @Sendable (inout Element) -> Void) {
        let count = self.count
        let size = Swift.max(1, chunkSize)
        guard count > size else {
            for index in self.indices { body(&self[index]) }
            return
        }
        self.withUnsafeMutableBufferPointer { buffer in
            // Each task writes only its own chunk of the buffer, and the buffer outlives them
            // all: `concurrentPerform` returns when every task has.
            nonisolated(unsafe) let elements = buffer
            DispatchQueue.concurrentPerform(iterations: (count + size - 1) / size) { chunk in
                for index in chunk * size..<Swift.min(count, (chunk + 1) * size) { body(&elements[index]) }
            }
        }
    }
}
