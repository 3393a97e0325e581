import BootAnalysis
import Dispatch
import PacketCapture
import Synchronization

/// Decoded packets handed from the thread that reads and classifies a capture to the thread
/// that analyses it: in order, in batches, with at most a few batches waiting, so that a reader
/// faster than the analyzer waits instead of filling memory.
///
/// One thread sends, one receives. The queue is behind a mutex; two semaphores count the
/// batches waiting and the room left. The receiver gives each batch's array back once read
/// (``recycle(_:)``), so that the sender refills it (``emptyBatch()``) instead of allocating on
/// one thread what the other frees.
final class PacketHandoff: Sendable {
    /// Classified packets in capture order, and their frames' headers when the receiver asked
    /// for them (``init(keepsHeaders:depth:)``): the analyzer needs the packets only, each then
    /// put in the batch as the classifier gives it, not copied into a pair with its header
    /// first.
    struct Batch: Sendable {
        var packets: [DecodedPacket] = []
        /// `headers[i]` is `packets[i]`'s frame's; empty when headers are not kept.
        var headers: [FrameHeader] = []

        var count: Int { self.packets.count }
        var isEmpty: Bool { self.packets.isEmpty }
    }

    /// What the reading thread sends.
    enum Message: Sendable {
        /// Packets in capture order, with the time of the capture's first frame.
        case frames(Batch, firstTimestamp: Int64)
        /// Reading is over: what was read, and the latest frame time (`nil` without frames).
        case end(CaptureSummary, lastTimestamp: Int64?)
        /// Nothing could be read: no file opened, or a link type PhoneBoot does not read.
        case unreadable(CaptureSummary)
    }

    /// Packets per batch (about 210 bytes each, 250 with the frame header): enough to make the
    /// handing over cheap, few enough to keep what waits small (a batch's arrays are about
    /// 128 KB, and at most ten are alive).
    static let batchSize = 512

    private let waiting = Mutex<[Message]>([])
    private let recycled = Mutex<[Batch]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let room: DispatchSemaphore
    /// The analyzer's count of phones, for the reading thread's progress line.
    let phonesSeen = Atomic<Int>(0)

    /// Whether batches carry their frames' headers.
    let keepsHeaders: Bool

    init(keepsHeaders: Bool, depth: Int = 8) {
        self.keepsHeaders = keepsHeaders
        self.room = DispatchSemaphore(value: max(1, depth))
    }

    /// Sends `message`, waiting while `depth` messages are waiting already.
    func send(_ message: Message) {
        self.room.wait()
        self.waiting.withLock { $0.append(message) }
        self.filled.signal()
    }

    /// Sends the packets of `batch` and leaves an empty batch in its place: the sender keeps no
    /// reference to what it sent. The receiver changes the frames of a batch where they lie,
    /// and would copy the whole batch first if the sender still held it when it did.
    func send(_ batch: inout Batch, firstTimestamp: Int64) {
        var full = self.emptyBatch()
        swap(&full, &batch)
        self.send(.frames(consume full, firstTimestamp: firstTimestamp))
    }

    /// An empty array with room for a batch: one given back, emptied here, or a new one.
    ///
    /// The frames of a batch given back are destroyed on the sending thread, which allocated
    /// their payloads: memory allocated on one thread and freed on another makes the two wait
    /// on each other's allocator lock (glibc's arenas), which cost a fifth of the reading
    /// thread's time on TCP-heavy captures.
    func emptyBatch() -> Batch {
        if var batch = self.recycled.withLock({ $0.popLast() }) {
            batch.packets.removeAll(keepingCapacity: true)
            batch.headers.removeAll(keepingCapacity: true)
            return batch
        }
        var batch = Batch()
        batch.packets.reserveCapacity(Self.batchSize)
        if self.keepsHeaders { batch.headers.reserveCapacity(Self.batchSize) }
        return batch
    }

    /// Lets go of the arrays given back, once the last batch is read: the end of a capture
    /// (the report) then does not share memory with them.
    func releaseBatches() {
        self.recycled.withLock { $0 = [] }
    }

    /// Gives a batch's array back for reuse, once its frames are read: the sender empties it
    /// (``emptyBatch()``).
    func recycle(_ batch: Batch) {
        self.recycled.withLock { $0.append(batch) }
    }

    /// The next message, waiting until there is one.
    func receive() -> Message {
        while true {
            self.filled.wait()
            let message = self.waiting.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            self.room.signal()
            if let message { return message }
        }
    }
}
