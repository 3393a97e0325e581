public import WireFormats

/// One TFTP transfer followed from its request to its end (RFC 1350 §4, RFC 2347–2349).
///
/// A small state machine fed every packet of the transfer in capture order. A read ends with
/// the first DATA shorter than the negotiated block size (so a 512-byte block ends a
/// `blksize 1428` transfer but not a default one, and a file that is an exact multiple ends
/// with an empty block), or an ERROR. Retransmitted and duplicate blocks are counted once;
/// block numbers may wrap past 65535.
///
/// Blocks are counted by number, not by arrival: a lockstep client (RFC 1350 §2) only ever
/// holds blocks 1…n, so a block the capture shows after a later one (an old copy delayed in
/// the network, or frames a merging tap wrote out of order) fills its gap when it was never
/// seen, and is a duplicate when it was. ``missingBlocks`` are the gaps no copy ever filled.
public struct TFTPTransfer: Hashable, Sendable {
    public let client: IPv4Address
    public let clientPort: UInt16
    public let server: IPv4Address
    /// The server's transfer ID (its port after the hand-off), once it has answered.
    public private(set) var serverPort: UInt16?
    public let file: String
    public let direction: Fetch.Direction
    public let mode: String
    /// Block size asked for in the request (RFC 2348), if any.
    public let requestedBlockSize: Int?
    /// The block size in force: the OACK's, else 512.
    public private(set) var blockSize = 512
    /// Frames of the request and its retransmissions.
    public private(set) var requestFrames: [Int]
    public private(set) var firstFrame: Int
    public private(set) var lastFrame: Int
    /// Data bytes carried, each block counted once.
    public private(set) var bytes = 0
    /// The highest block received, counting wraps (block 65535 is followed by 65536).
    public private(set) var blocks = 0
    /// Blocks that never appeared between two that did.
    public var missingBlocks: Int { self.gaps.reduce(self.forgottenMissingBlocks) { $0 + $1.blocks.count } }
    /// The frame of the block that showed the first gap still unfilled (the block after it),
    /// or `nil` when no gap is left: the capture missed that gap's frames, for in lockstep
    /// (RFC 1350 §2) the server sends a block only once the one before it was acknowledged.
    public var firstGapFrame: Int? { self.forgottenGapFrame ?? self.gaps.first?.frame }
    /// Duplicate or retransmitted DATA blocks seen and not counted again.
    public private(set) var duplicateBlocks = 0
    public private(set) var errorCode: UInt16?
    public private(set) var errorMessage: String?
    public private(set) var errorFrame: Int?
    /// True when the client, not the server, sent the ERROR.
    public private(set) var errorFromClient = false
    /// The file's size the server gave in its OACK (`tsize`, RFC 2349 §2), if it gave one.
    public private(set) var offeredSize: Int?

    /// True when the client asked for the size only: the server's OACK gave `tsize` and the
    /// client ended the transfer with an ERROR before any data came (RFC 2349 §2: a client
    /// may learn a file's size this way and then stop). The file is there; nothing was sent.
    public var isSizeCheck: Bool {
        self.direction == .read && self.errorFromClient && self.blocks == 0 && self.offeredSize != nil
    }
    /// True once the last block, or an error, has been seen.
    public private(set) var isFinished = false
    /// True while a finished read waits for the client's ACK of its last block.
    public private(set) var awaitingFinalAcknowledgment = false

    /// True when nothing more belongs to the transfer: finished, and the last block acknowledged.
    public var isClosed: Bool { self.isFinished && !self.awaitingFinalAcknowledgment }
    private var serverAnswered = false
    /// A run of full block numbers skipped and not yet seen, and the frame of the block that
    /// came after it.
    private struct Gap: Hashable, Sendable {
        var blocks: Range<Int>
        var frame: Int
    }

    /// Runs of full block numbers skipped so far and not yet seen, oldest first; bounded, so
    /// that a transfer with endless losses keeps a fixed size (the oldest runs are dropped).
    private var gaps: [Gap] = []
    private static let maximumGaps = 64
    /// Missing blocks of the runs dropped from ``gaps``.
    private var forgottenMissingBlocks = 0
    /// The frame of the first run dropped from ``gaps``.
    private var forgottenGapFrame: Int?
    /// On an upload, the number of the short block that ends the transfer once acknowledged.
    private var pendingFinalBlock: Int?

    public init(
        request: TFTPRequest, direction: Fetch.Direction, client: IPv4Address, clientPort: UInt16, server: IPv4Address,
        frame: Int
    ) {
        self.client = client
        self.clientPort = clientPort
        self.server = server
        self.file = request.filename
        self.direction = direction
        self.mode = request.mode
        self.requestedBlockSize = request.requestedBlockSize
        self.requestFrames = [frame]
        self.firstFrame = frame
        self.lastFrame = frame
    }

    /// The result so far; at the end of the capture, the final one. An ERROR from the server
    /// is "file not found" (code 1), "access violation" (code 2) or another error.
    public var result: Fetch.Result {
        if self.isSizeCheck { return .ok }
        if let errorCode, !self.errorFromClient {
            switch errorCode {
            case 1: return .notFound
            case 2: return .accessDenied
            default: return .error
            }
        }
        if self.isFinished && self.errorCode == nil { return .ok }
        return self.serverAnswered ? .incomplete : .noAnswer
    }

    /// The same request sent again (the client's retransmission).
    public mutating func retransmittedRequest(frame: Int) {
        self.requestFrames.append(frame)
        self.lastFrame = frame
    }

    /// Feeds a packet of this transfer. `fromServer` tells its direction.
    public mutating func receive(_ packet: TFTPPacket, fromServer: Bool, sourcePort: UInt16, frame: Int) {
        self.lastFrame = max(self.lastFrame, frame)
        if fromServer {
            self.serverAnswered = true
            if self.serverPort == nil { self.serverPort = sourcePort }
        }
        switch packet {
        case .optionAcknowledgment(let options):
            if fromServer, let size = options.blockSize { self.blockSize = size }
            if fromServer, let size = options.value(of: "tsize").flatMap({ Int($0) }), size >= 0 {
                self.offeredSize = size
            }
        case .data(let block, let count):
            // Data flows from the server on a read and from the client on an upload.
            guard fromServer == (self.direction == .read) else { return }
            if self.isFinished {
                // The last block sent again (its ACK was lost), or a late copy of a gap.
                if !self.fillGap(self.fullBlockNumber(block), count: count) { self.duplicateBlocks += 1 }
                return
            }
            self.acceptBlock(block, count: count, frame: frame)
        case .error(let code, let message):
            guard self.errorCode == nil else { return }
            self.errorCode = code
            self.errorMessage = message
            self.errorFrame = frame
            self.errorFromClient = !fromServer
            self.isFinished = true
        case .acknowledgment(let block):
            // On an upload the server's ACK of the last block ends it; on a read the client's
            // ACK of the last block is the transfer's final packet.
            if fromServer, self.direction == .upload, self.isFinished == false, self.pendingFinalBlock == Int(block) {
                self.isFinished = true
            } else if !fromServer, self.direction == .read, self.awaitingFinalAcknowledgment,
                UInt16(truncatingIfNeeded: self.blocks) == block
            {
                self.awaitingFinalAcknowledgment = false
            }
        case .readRequest, .writeRequest:
            break
        }
    }

    /// The full block number nearest to the one expected next, so that 65535 → 0 (or 1)
    /// continues the count instead of starting again.
    private func fullBlockNumber(_ block: UInt16) -> Int {
        let expected = self.blocks + 1
        let base = (expected >> 16) << 16
        var candidate = base + Int(block)
        if candidate - expected > 32768 { candidate -= 65536 }
        if expected - candidate > 32768 { candidate += 65536 }
        return candidate
    }

    private mutating func acceptBlock(_ block: UInt16, count: Int, frame: Int) {
        let expected = self.blocks + 1
        let candidate = self.fullBlockNumber(block)
        guard candidate >= expected else {
            if !self.fillGap(candidate, count: count) { self.duplicateBlocks += 1 }
            return
        }
        if candidate > expected {
            self.gaps.append(Gap(blocks: expected..<candidate, frame: frame))
            if self.gaps.count > Self.maximumGaps {
                let forgotten = self.gaps.removeFirst()
                self.forgottenMissingBlocks += forgotten.blocks.count
                self.forgottenGapFrame = self.forgottenGapFrame ?? forgotten.frame
            }
        }
        self.blocks = candidate
        self.bytes += count
        if count < self.blockSize {
            if self.direction == .read {
                self.isFinished = true
                self.awaitingFinalAcknowledgment = true
            } else {
                self.pendingFinalBlock = Int(block)
            }
        }
    }

    /// Counts a block that arrives after a later one when it was skipped and never seen;
    /// false when it is not in a gap (a duplicate).
    private mutating func fillGap(_ number: Int, count: Int) -> Bool {
        guard let index = self.gaps.firstIndex(where: { $0.blocks.contains(number) }) else { return false }
        let gap = self.gaps[index]
        var pieces: [Gap] = []
        if gap.blocks.lowerBound < number {
            pieces.append(Gap(blocks: gap.blocks.lowerBound..<number, frame: gap.frame))
        }
        if number + 1 < gap.blocks.upperBound {
            pieces.append(Gap(blocks: (number + 1)..<gap.blocks.upperBound, frame: gap.frame))
        }
        self.gaps.replaceSubrange(index...index, with: pieces)
        self.bytes += count
        return true
    }
}
