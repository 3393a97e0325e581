import PacketCapture
import WireFormats

/// `probe --fetch` with its evidence: the fetch (``ProbeFetcher``) run while a capture on the
/// same interface keeps the frames between this host's address and the boot server, so that
/// the analyzer reads the fetch from the wire as it reads a phone's, frame numbers included.
struct ProbeFetchSession {
    /// The frames kept, in the order they came.
    private(set) var frames: [(timestamp: Timestamp, bytes: [UInt8])] = []
    /// Frames beyond ``maximumFrames``, counted and not kept.
    private(set) var framesNotKept = 0
    private(set) var outcome: ProbeFetcher.Outcome

    /// The most frames kept: a master file of 256 KiB over TFTP and the size checks fit many
    /// times over.
    static let maximumFrames = 8192

    init(target: ProbeFetcher.Outcome) {
        self.outcome = target
    }

    /// The capture filter for the fetch's frames: between `local` and `server`, DHCP left out
    /// (a DHCP client on this host renewing its own lease with the same server).
    static func filter(local: IPv4Address, server: IPv4Address) -> String {
        "ip host \(local) and ip host \(server) and not (udp port 67 or udp port 68)"
    }

    /// Opens the capture, fetches, and keeps the frames that came; the capture's error when it
    /// could not be opened (then nothing was fetched).
    mutating func run(with fetcher: ProbeFetcher) throws(CaptureError) {
        guard self.outcome.notDone == nil, let local = self.outcome.localAddress, let server = self.outcome.server
        else { return }
        var capture = try LiveCapture(
            interface: fetcher.interface, filter: Self.filter(local: local, server: server), bufferSize: 16 << 20)
        self.outcome = fetcher.run(self.outcome)
        // The kernel held the frames while the fetch ran: read them until it has been quiet.
        let clock = ContinuousClock()
        var quietSince = clock.now
        let quiet = { clock.now - quietSince > .milliseconds(300) }
        _ = capture.run(until: quiet) { header, bytes in
            quietSince = clock.now
            guard self.frames.count < Self.maximumFrames else {
                self.framesNotKept += 1
                return
            }
            let copy = [UInt8](copying: bytes)
            self.frames.append((header.timestamp, copy))
        }
    }
}
