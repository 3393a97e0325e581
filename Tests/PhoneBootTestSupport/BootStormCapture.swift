public import Foundation

/// Writes a synthetic capture of a busy voice VLAN for the benchmarks: phones booting (DHCP
/// with Polycom's option 60, then TFTP of four files each: the master config, the shared
/// config, the image, a directory file that is not found) among the VLAN's other traffic (web
/// over HTTP and TLS, RTP, SIP over TCP, DNS), a third of it 802.1Q-tagged.
///
/// The same configuration gives the same file, byte for byte. Phones boot spread evenly over
/// the capture, which lasts `frames / framesPerSecond` seconds; the other traffic fills the
/// rest, so a longer capture of the same site (more frames, the same phones) holds more other
/// traffic, not more phones. Frame counts are close to, not exactly, the one asked for.
public struct BootStormCapture {
    public struct Configuration: Sendable {
        /// About how many frames to write.
        public var frames: Int
        /// How many phones boot (each once).
        public var phones: Int
        public var seed: UInt64
        /// The capture's average rate, which sets its length.
        public var framesPerSecond: Int
        /// The share of the capture, from its start, within which the phones boot: 1 spreads
        /// them over all of it; 0.2 is a power-up storm in its first fifth, other traffic after.
        public var bootWindow: Double

        public init(
            frames: Int, phones: Int, seed: UInt64 = 0x424F_4F54_5354_524D, framesPerSecond: Int = 20_000,
            bootWindow: Double = 1
        ) {
            self.frames = max(0, frames)
            self.phones = max(0, phones)
            self.seed = seed
            self.framesPerSecond = max(1, framesPerSecond)
            self.bootWindow = min(1, max(0, bootWindow))
        }
    }

    /// What was written.
    public struct Written: Sendable {
        public var frames = 0
        public var bytes = 0
        public var phones = 0
        /// Conversations of other traffic (web, RTP, SIP, DNS).
        public var backgroundSessions = 0
        /// The capture's length, first frame to last.
        public var seconds = 0.0
    }

    /// Frames a phone's boot takes, on average; the other traffic's sessions fill the rest.
    static let framesPerPhone = 58
    static let framesPerBackgroundSession = 18

    public let configuration: Configuration

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Writes the capture to `url` (a classic microsecond pcap, Ethernet), replacing any file there.
    public func write(to url: URL) throws -> Written {
        let configuration = self.configuration
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var output = PcapFileBuilder().bytes
        output.reserveCapacity(8 << 20)

        let duration = Int64(configuration.frames) * 1_000_000_000 / Int64(configuration.framesPerSecond)
        let backgroundFrames = max(0, configuration.frames - configuration.phones * Self.framesPerPhone)
        let backgroundCount = backgroundFrames / Self.framesPerBackgroundSession
        var random = SplitMix64(seed: configuration.seed)
        // Session starts, in time order: phones and other traffic each evenly spread, with jitter
        // below their spacing so that each list stays in order.
        func starts(_ count: Int, within span: Int64) -> (Int) -> Int64 {
            let spacing = count > 0 ? span / Int64(count) : 0
            return { index in Int64(index) * spacing }
        }
        let phoneStart = starts(
            configuration.phones, within: Int64(Double(duration) * configuration.bootWindow))
        let backgroundStart = starts(backgroundCount, within: duration)
        var nextPhone = 0
        var nextBackground = 0
        var sessions: [Int: BootStormSession] = [:]
        var queue = MinimumQueue()
        var sessionNumber = 0
        var written = Written(phones: configuration.phones, backgroundSessions: backgroundCount)
        let base: Int64 = 1_700_000_000 * 1_000_000_000

        while true {
            let phoneTime = nextPhone < configuration.phones ? phoneStart(nextPhone) : Int64.max
            let backgroundTime = nextBackground < backgroundCount ? backgroundStart(nextBackground) : Int64.max
            let startTime = min(phoneTime, backgroundTime)
            if startTime != .max, startTime <= (queue.minimum?.time ?? .max) {
                let session: BootStormSession
                if phoneTime <= backgroundTime {
                    session = .phoneBoot(index: nextPhone, random: &random)
                    nextPhone += 1
                } else {
                    session = .background(index: nextBackground, random: &random)
                    nextBackground += 1
                }
                guard let first = session.frames.first else { continue }
                sessions[sessionNumber] = session
                queue.insert(time: startTime + first.offset, session: sessionNumber, start: startTime)
                sessionNumber += 1
                continue
            }
            guard let entry = queue.removeMinimum(), var session = sessions[entry.session] else { break }
            let frame = session.frames[session.next].bytes
            Self.appendRecord(time: base + entry.time, frame: frame, to: &output)
            written.frames += 1
            session.next += 1
            if session.next < session.frames.count {
                queue.insert(
                    time: entry.start + session.frames[session.next].offset, session: entry.session,
                    start: entry.start)
                sessions[entry.session] = session
            } else {
                sessions[entry.session] = nil
            }
            if output.count >= 4 << 20 {
                try handle.write(contentsOf: Data(output))
                written.bytes += output.count
                output.removeAll(keepingCapacity: true)
            }
            written.seconds = Double(entry.time) / 1e9
        }
        try handle.write(contentsOf: Data(output))
        written.bytes += output.count
        return written
    }

    private static func appendRecord(time: Int64, frame: [UInt8], to output: inout [UInt8]) {
        func le32(_ value: UInt32) {
            output.append(UInt8(value & 0xFF))
            output.append(UInt8(value >> 8 & 0xFF))
            output.append(UInt8(value >> 16 & 0xFF))
            output.append(UInt8(value >> 24))
        }
        le32(UInt32(truncatingIfNeeded: time / 1_000_000_000))
        le32(UInt32(truncatingIfNeeded: time % 1_000_000_000 / 1000))
        le32(UInt32(frame.count))
        le32(UInt32(frame.count))
        output += frame
    }
}

/// A binary min-heap of the sessions' next frame times (ties broken by session number, so the
/// order is deterministic).
private struct MinimumQueue {
    struct Entry {
        var time: Int64
        var session: Int
        var start: Int64
    }

    private var heap: [Entry] = []

    var minimum: Entry? { self.heap.first }

    private static func less(_ a: Entry, _ b: Entry) -> Bool {
        (a.time, a.session) < (b.time, b.session)
    }

    mutating func insert(time: Int64, session: Int, start: Int64) {
        self.heap.append(Entry(time: time, session: session, start: start))
        var child = self.heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(self.heap[child], self.heap[parent]) else { break }
            self.heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeMinimum() -> Entry? {
        guard let first = self.heap.first else { return nil }
        let last = self.heap.removeLast()
        if !self.heap.isEmpty {
            self.heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < self.heap.count, Self.less(self.heap[left], self.heap[smallest]) { smallest = left }
                if right < self.heap.count, Self.less(self.heap[right], self.heap[smallest]) { smallest = right }
                if smallest == parent { break }
                self.heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
