internal import CLibpcap

/// A pcap or pcapng file (or standard input) read through libpcap.
///
/// The handle has one owner and is closed when the value goes away. Frames are handed to a
/// closure as borrowed bytes that live only during the call: copy what you keep.
///
/// ```swift
/// var file = try CaptureFile(path: "boot.pcapng", filter: "udp port 67")
/// let end = file.forEachFrame { header, bytes in
///     print(header.number, bytes.count)
/// }
/// ```
public struct CaptureFile: ~Copyable {
    private let handle: OpaquePointer
    private var filter: bpf_program?
    /// The file as the user named it (`-` for standard input).
    public let path: String
    /// The link-layer type, as `pcap_datalink` returns it (a `DLT_*` value).
    public let linkType: Int32
    /// The snapshot length recorded in the file.
    public let snapshotLength: Int

    /// Opens `path` (`-` reads standard input), with an optional BPF filter.
    ///
    /// The filter is applied per frame (`pcap_offline_filter`), so frame numbers stay those of
    /// the whole file. Timestamps are read at nanosecond precision.
    public init(path: String, filter: String? = nil) throws(CaptureError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let opened = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
        guard let handle = opened else {
            throw Self.openError(path: path, libpcapMessage: cString(errorBuffer))
        }
        var program: bpf_program?
        if let filter, !filter.isEmpty {
            do {
                program = try Libpcap.compile(filter, on: handle, path: path)
            } catch {
                pcap_close(handle)
                throw error
            }
        }
        self.handle = handle
        self.path = path
        self.linkType = pcap_datalink(handle)
        self.snapshotLength = Int(pcap_snapshot(handle))
        self.filter = program
    }

    deinit {
        if var program = self.filter {
            pcap_freecode(&program)
        }
        pcap_close(self.handle)
    }

    /// libpcap's name for the link type (`EN10MB`, `LINUX_SLL2`).
    public var linkTypeName: String { Libpcap.linkTypeName(self.linkType) }

    /// Calls `body` with every frame that passes the filter, in file order.
    ///
    /// - Returns: how the file ended. Frames before a truncation or read error have all been
    ///   delivered; the caller decides whether that is a warning or a failure.
    /// - Throws: only what `body` throws; reading stops at once.
    public mutating func forEachFrame<Failure: Error>(
        _ body: (FrameHeader, Span<UInt8>) throws(Failure) -> Void
    ) throws(Failure) -> CaptureEnd {
        var number = 0
        while true {
            var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
            var dataPointer: UnsafePointer<UInt8>?
            let status = pcap_next_ex(self.handle, &headerPointer, &dataPointer)
            switch status {
            case 1:
                guard let headerPointer, let dataPointer else { continue }
                number += 1
                let record = headerPointer.pointee
                if var program = self.filter, pcap_offline_filter(&program, headerPointer, dataPointer) == 0 {
                    continue
                }
                let header = FrameHeader(number: number, record: record, nanosecondFraction: true)
                let bytes = UnsafeBufferPointer(start: dataPointer, count: Int(record.caplen))
                try body(header, bytes.span)
            case PCAP_ERROR_BREAK:
                return .complete
            case 0:
                continue  // live captures only: a timeout with no packet
            default:
                let message = Libpcap.lastError(self.handle)
                if message.contains("truncated") {
                    return .truncated(warning: "file ends inside record \(number + 1) (\(message)); read \(number) whole frame\(number == 1 ? "" : "s")")
                }
                return .failed(
                    CaptureError(
                        kind: .readFailed, path: self.path, reason: "record \(number + 1): \(message)",
                        hint: "\(number) frame\(number == 1 ? "" : "s") before it were read"
                    )
                )
            }
        }
    }

    /// Turns libpcap's open error into one that says what to do.
    private static func openError(path: String, libpcapMessage: String) -> CaptureError {
        if libpcapMessage.contains("only got 0") && libpcapMessage.contains("file header") {
            return CaptureError(
                kind: .cannotOpen, path: path, reason: "the file is empty (0 bytes)",
                hint: "record one with tcpdump -w FILE or tshark -w FILE"
            )
        }
        if libpcapMessage.contains("unknown file format") {
            return CaptureError(
                kind: .cannotOpen, path: path, reason: "not a pcap or pcapng capture (\(libpcapMessage))",
                hint: "convert it with: editcap -F pcap INPUT OUTPUT.pcap"
            )
        }
        if libpcapMessage.contains("No such file") {
            return CaptureError(kind: .cannotOpen, path: path, reason: "no such file")
        }
        if libpcapMessage.contains("Permission denied") {
            return CaptureError(kind: .cannotOpen, path: path, reason: "permission denied", hint: "check the file's permissions")
        }
        return CaptureError(kind: .cannotOpen, path: path, reason: libpcapMessage)
    }
}

@available(*, unavailable)
extension CaptureFile: Sendable {}
