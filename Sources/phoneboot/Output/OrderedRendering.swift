import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Renders many independent items (a report's phones) to bytes on every core, and hands the
/// bytes over in the items' order: the output is the same as rendering them one by one.
///
/// Items are rendered in rounds of a few chunks, one chunk per task, so that only a round's
/// bytes are held at a time, not the whole output.
struct OrderedRendering {
    /// Items per chunk: enough to make a task worth starting.
    var chunkSize = 32
    /// Chunks rendered at once: two per core.
    var chunksPerRound = 2 * OrderedRendering.cores

    /// The cores this process may run on (at least 1).
    static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Calls `render` for each index of `0..<count` (on any thread, several at once) with a
    /// buffer to append the item's bytes to, and `write` with each chunk's bytes and its number
    /// of items, in order, on the calling thread.
    func run(
        count: Int, render: @Sendable (Int, inout [UInt8]) -> Void, write: ([UInt8], Int) -> Void
    ) {
        let chunkSize = max(1, self.chunkSize)
        let perRound = max(1, self.chunksPerRound)
        var roundStart = 0
        // The largest chunk so far: a chunk's buffer starts that large instead of growing to it.
        var largestChunk = 0
        while roundStart < count {
            let chunks = min(perRound, (count - roundStart + chunkSize - 1) / chunkSize)
            let rendered = Mutex<[[UInt8]]>(Array(repeating: [], count: chunks))
            let base = roundStart
            let expected = largestChunk
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = base + chunk * chunkSize
                var bytes: [UInt8] = []
                bytes.reserveCapacity(expected)
                for index in start..<min(count, start + chunkSize) { render(index, &bytes) }
                rendered.withLock { $0[chunk] = bytes }
            }
            let round = rendered.withLock { $0 }
            for (chunk, bytes) in round.enumerated() {
                largestChunk = max(largestChunk, bytes.count)
                let start = base + chunk * chunkSize
                write(bytes, min(count, start + chunkSize) - start)
            }
            roundStart += chunks * chunkSize
        }
    }
}
