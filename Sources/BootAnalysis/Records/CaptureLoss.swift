/// What shows that the capture itself missed frames, as Zeek's capture-loss notice reports it:
/// frames libpcap counted as dropped (live), and, in any capture, gaps the protocols prove
/// were there on the wire: a TFTP block that never appeared between two that did (in lockstep,
/// RFC 1350 §2, the server sends a block only once the one before it was acknowledged), and
/// TCP bytes never seen (a gap in sequence numbers no later segment filled, given up on).
///
/// Findings that missing frames could explain (`transfer-incomplete`, `no-server-answer`,
/// `no-dhcp-answer`) say so when any loss was seen, so that the network is not blamed for the
/// capture's own limits.
public struct CaptureLoss: Hashable, Sendable, CustomStringConvertible {
    /// Live captures: packets the kernel dropped because libpcap's buffer was full.
    public var droppedByKernel = 0
    /// Live captures: packets the interface or its driver dropped.
    public var droppedByInterface = 0
    /// TFTP blocks never seen between two that were, over every transfer.
    public var missingTFTPBlocks = 0
    /// The frame of the block that came after the first TFTP gap.
    public var firstTFTPGapFrame: Int?
    /// TCP bytes skipped over as never captured, over every followed connection.
    public var skippedTCPBytes = 0
    /// The frame at which the first TCP gap was given up on.
    public var firstTCPGapFrame: Int?

    public init(droppedByKernel: Int = 0, droppedByInterface: Int = 0) {
        self.droppedByKernel = droppedByKernel
        self.droppedByInterface = droppedByInterface
    }

    /// True when no loss was seen.
    public var isEmpty: Bool {
        self.droppedByKernel == 0 && self.droppedByInterface == 0 && self.missingTFTPBlocks == 0
            && self.skippedTCPBytes == 0
    }

    /// Counts the gaps a TFTP transfer was left with.
    mutating func noteTFTPGaps(_ missingBlocks: Int, firstFrame: Int?) {
        guard missingBlocks > 0 else { return }
        self.missingTFTPBlocks += missingBlocks
        if let firstFrame { self.firstTFTPGapFrame = min(self.firstTFTPGapFrame ?? firstFrame, firstFrame) }
    }

    /// Counts TCP bytes skipped at `frame`.
    mutating func noteTCPGap(_ bytes: Int, frame: Int) {
        guard bytes > 0 else { return }
        self.skippedTCPBytes += bytes
        self.firstTCPGapFrame = min(self.firstTCPGapFrame ?? frame, frame)
    }

    /// The evidence, one part per kind: `3 dropped by the kernel; 2 TFTP blocks never seen, the
    /// first gap at frame 600; 1448 TCP bytes never seen, the first gap at frame 75`; empty
    /// when nothing was lost.
    public var description: String {
        var parts: [String] = []
        if self.droppedByKernel > 0 { parts.append("\(self.droppedByKernel) dropped by the kernel") }
        if self.droppedByInterface > 0 { parts.append("\(self.droppedByInterface) dropped by the interface") }
        if self.missingTFTPBlocks > 0 {
            let blocks = self.missingTFTPBlocks == 1 ? "a TFTP block" : "\(self.missingTFTPBlocks) TFTP blocks"
            let first = self.missingTFTPBlocks == 1 ? "the gap" : "the first gap"
            parts.append("\(blocks) never seen" + (self.firstTFTPGapFrame.map { ", \(first) at frame \($0)" } ?? ""))
        }
        if self.skippedTCPBytes > 0 {
            parts.append(
                "\(self.skippedTCPBytes) TCP byte\(self.skippedTCPBytes == 1 ? "" : "s") never seen"
                    + (self.firstTCPGapFrame.map { ", the first gap at frame \($0)" } ?? ""))
        }
        return parts.joined(separator: "; ")
    }
}
