/// What libpcap counted during a live capture (`pcap_stats`): a capture that lost packets
/// must say so.
public struct CaptureStatistics: Hashable, Sendable {
    /// Packets that passed the filter and reached libpcap's buffer.
    public let received: Int
    /// Packets the kernel dropped because the buffer was full.
    public let droppedByKernel: Int
    /// Packets the interface or its driver dropped (not every platform counts them).
    public let droppedByInterface: Int

    public init(received: Int, droppedByKernel: Int, droppedByInterface: Int) {
        self.received = received
        self.droppedByKernel = droppedByKernel
        self.droppedByInterface = droppedByInterface
    }

    /// True when any packet was lost before PhoneBoot saw it.
    public var lostPackets: Bool { self.droppedByKernel > 0 || self.droppedByInterface > 0 }
}
