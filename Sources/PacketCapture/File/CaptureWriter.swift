internal import CLibpcap
internal import Glibc

/// Writes frames to a new pcap file (Ethernet, nanosecond timestamps) through libpcap's
/// savefile writer: for frames a program made or chose itself, which no live handle saw
/// (a probe's own requests beside the replies it captured).
///
/// The file is flushed and closed when the value goes away.
public struct CaptureWriter: ~Copyable {
    private let handle: OpaquePointer
    private let dumper: OpaquePointer
    /// The file as the user named it.
    public let path: String

    /// Creates (or truncates) `path` for Ethernet frames of up to `snapshotLength` bytes.
    public init(path: String, snapshotLength: Int = 262_144) throws(CaptureError) {
        guard
            let handle = pcap_open_dead_with_tstamp_precision(
                DLT_EN10MB, Int32(clamping: snapshotLength), UInt32(PCAP_TSTAMP_PRECISION_NANO))
        else {
            throw CaptureError(kind: .cannotWrite, path: path, reason: "libpcap could not make a savefile handle")
        }
        guard let dumper = pcap_dump_open(handle, path) else {
            let reason = Libpcap.lastError(handle)
            pcap_close(handle)
            throw CaptureError(
                kind: .cannotWrite, path: path, reason: reason, hint: "check the directory exists and is writable")
        }
        self.handle = handle
        self.dumper = dumper
        self.path = path
    }

    deinit {
        pcap_dump_flush(self.dumper)
        pcap_dump_close(self.dumper)
        pcap_close(self.handle)
    }

    /// Appends one frame captured (or sent) at `timestamp`.
    public func write(_ frame: [UInt8], at timestamp: Timestamp) {
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(timestamp.seconds)
        // A nanosecond savefile keeps nanoseconds in the field named for microseconds.
        header.ts.tv_usec = Int(timestamp.nanoseconds)
        header.caplen = UInt32(frame.count)
        header.len = UInt32(frame.count)
        frame.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            pcap_dump(UnsafeMutableRawPointer(self.dumper).assumingMemoryBound(to: UInt8.self), &header, base)
        }
    }
}

@available(*, unavailable)
extension CaptureWriter: Sendable {}
