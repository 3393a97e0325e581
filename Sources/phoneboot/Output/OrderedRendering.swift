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
/// Items are rendered in chunks, each chunk by whichever thread is free: helper threads (one
/// fewer than the cores) and the calling thread, which also writes each chunk as soon as it and
/// every chunk before it are rendered. No thread waits for the others between chunks; at most
/// ``window`` chunks are rendered ahead of the one written next, so that only their bytes are
/// held at a time, not the whole output.
struct OrderedRendering {
    /// Items per chunk: enough to make taking one worth it, few enough that the last chunks
    /// leave no core idle for long.
    var chunkSize = 8
    /// Chunks rendered or being rendered ahead of the next one written, at most.
    var window = 8 * OrderedRendering.cores

    /// The cores this process may run on (at least 1).
    static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Calls `render` for each index of `0..<count` (on any thread, several at once) with a
    /// buffer to append the item's bytes to, and `write` with each chunk's bytes and its number
    /// of items, in order, on the calling thread.
    func run(
        count: Int, render: @escaping @Sendable (Int, inout [UInt8]) -> Void, write: ([UInt8], Int) -> Void
    ) {
        let chunkSize = max(1, self.chunkSize)
        let chunks = (count + chunkSize - 1) / chunkSize
        guard chunks > 0 else { return }
        let shared = Shared(chunks: chunks, window: max(1, self.window))
        let items: @Sendable (Int) -> Range<Int> = { chunk in
            chunk * chunkSize..<min(count, (chunk + 1) * chunkSize)
        }
        let renderChunk: @Sendable (Int) -> Void = { chunk in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(shared.largestChunk.load(ordering: .relaxed))
            for index in items(chunk) { render(index, &bytes) }
            shared.largestChunk.max(bytes.count, ordering: .relaxed)
            shared.finish(chunk, bytes)
        }
        let helpers = DispatchGroup()
        for _ in 0..<min(Self.cores - 1, chunks - 1) {
            DispatchQueue.global(qos: .userInitiated).async(group: helpers) {
                while let chunk = shared.claim(waiting: true) { renderChunk(chunk) }
            }
        }
        var next = 0
        while next < chunks {
            if let bytes = shared.take(next) {
                write(bytes, items(next).count)
                shared.written()
                next += 1
            } else if let chunk = shared.claim(waiting: false) {
                renderChunk(chunk)
            } else {
                // The next chunk is a helper's, still being rendered.
                shared.waitForAChunk()
            }
        }
        // Every chunk was claimed and written: the helpers have left their loops or are about to.
        helpers.wait()
    }

    /// What the threads of one ``run(count:render:write:)`` share.
    private final class Shared: Sendable {
        let chunks: Int
        /// The next chunk to render.
        private let nextClaim = Atomic<Int>(0)
        /// Chunks that may be claimed before the next one is written.
        private let room: DispatchSemaphore
        /// Signalled each time a chunk is rendered (the calling thread waits on it only for a
        /// helper's).
        private let finished = DispatchSemaphore(value: 0)
        private let rendered = Mutex<[Int: [UInt8]]>([:])
        /// The largest chunk so far: a chunk's buffer starts that large instead of growing to it.
        let largestChunk = Atomic<Int>(0)

        init(chunks: Int, window: Int) {
            self.chunks = chunks
            self.room = DispatchSemaphore(value: window)
        }

        /// The next chunk to render, once there is room for it (`waiting`), or now; `nil` when
        /// every chunk is claimed, or, without waiting, when there is no room.
        func claim(waiting: Bool) -> Int? {
            if waiting {
                self.room.wait()
            } else if self.room.wait(timeout: .now()) == .timedOut {
                return nil
            }
            let chunk = self.nextClaim.wrappingAdd(1, ordering: .relaxed).oldValue
            guard chunk < self.chunks else {
                // Nothing left: the room goes back, for the other threads to find that too.
                self.room.signal()
                return nil
            }
            return chunk
        }

        func finish(_ chunk: Int, _ bytes: [UInt8]) {
            self.rendered.withLock { $0[chunk] = bytes }
            self.finished.signal()
        }

        /// Chunk `chunk`'s bytes, if it is rendered.
        func take(_ chunk: Int) -> [UInt8]? {
            self.rendered.withLock { $0.removeValue(forKey: chunk) }
        }

        /// A chunk was written: room for another.
        func written() {
            self.room.signal()
        }

        func waitForAChunk() {
            self.finished.wait()
        }
    }
}
