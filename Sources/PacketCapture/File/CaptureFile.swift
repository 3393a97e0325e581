internal import CLibpcap
internal import Glibc

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
///
/// A damaged record in the middle of a file does not end reading: frames before it are
/// delivered, then reading resumes at the next plausible record (see ``damage``). Standard input
/// and other files that cannot be mapped are not resynchronised: reading stops at the damage.
public struct CaptureFile: ~Copyable {
    private var handle: OpaquePointer
    /// The stdio buffer of the file's stream (``readBufferSize`` bytes; `nil` for standard
    /// input): stdio uses the buffer it is given and ignores the size asked for without one.
    private let readBuffer: UnsafeMutableRawPointer?
    private var filter: bpf_program?
    /// The file mapped once a damaged record is met; resumed streams read from it.
    private var mapping: CaptureFileMapping?
    private var resync: CaptureResync?
    /// The file as the user named it (`-` for standard input).
    public let path: String
    /// The link-layer type, as `pcap_datalink` returns it (a `DLT_*` value).
    public let linkType: Int32
    /// The snapshot length recorded in the file.
    public let snapshotLength: Int
    /// The file's size in bytes; `nil` for standard input and anything else that is not a
    /// regular file.
    public let fileSize: Int?
    /// The damaged spans skipped so far, in file order. A span with no ``CaptureDamage/resumedAt``
    /// ended reading.
    public private(set) var damage: [CaptureDamage] = []
    /// Records read so far, whether or not the filter passed them.
    public private(set) var framesRead = 0
    /// Records read since the current libpcap stream began (resynchronising starts a new one).
    private var streamFrames = 0
    /// The last plausible record timestamp, seconds: where resynchronising looks near.
    private var lastSeconds: Int64?
    /// How the file ended, once it has.
    private var ended: CaptureEnd?

    /// The stdio buffer files are read through: libpcap reads a record at a time, and stdio's
    /// default (one 4 KiB block) would cost a system call every few frames.
    public static let readBufferSize = 1 << 20

    /// Opens `path` (`-` reads standard input), with an optional BPF filter.
    ///
    /// The filter is applied per frame (`pcap_offline_filter`), so frame numbers stay those of
    /// the whole file. Timestamps are read at nanosecond precision. A file is read through a
    /// ``readBufferSize`` buffer.
    public init(path: String, filter: String? = nil) throws(CaptureError) {
        let (handle, readBuffer) = try Self.open(path)
        var program: bpf_program?
        if let filter, !filter.isEmpty {
            do {
                program = try Libpcap.compile(filter, on: handle, path: path)
            } catch {
                pcap_close(handle)
                free(readBuffer)
                throw error
            }
        }
        self.handle = handle
        self.readBuffer = readBuffer
        self.path = path
        self.linkType = pcap_datalink(handle)
        self.snapshotLength = Int(pcap_snapshot(handle))
        self.filter = program
        var status = stat()
        if path != "-", let stream = pcap_file(handle), fstat(fileno(stream), &status) == 0,
            status.st_mode & S_IFMT == S_IFREG
        {
            self.fileSize = Int(status.st_size)
        } else {
            self.fileSize = nil
        }
    }

    /// How far into the file libpcap has read, in bytes (`nil` when it cannot be told).
    public var position: Int? {
        guard let stream = pcap_file(self.handle) else { return nil }
        let offset = ftello(stream)
        return offset >= 0 ? Int(offset) : nil
    }

    deinit {
        if var program = self.filter {
            pcap_freecode(&program)
        }
        pcap_close(self.handle)
        // After the stream it buffered is closed (a resumed stream reads a mapping, not it).
        free(self.readBuffer)
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
        let end = try self.readRecords { header, bytes, passesFilter throws(Failure) in
            if passesFilter { try body(header, bytes.span) }
        }
        // Without a limit, reading stops only at the end.
        return end ?? .complete
    }

    /// Reads the next record, whether or not the filter passes it (a merge numbers and orders
    /// every record), or how the file ended; once ended, it says so again on every call.
    ///
    /// The bytes are libpcap's buffer for this handle: valid until the next call on this file,
    /// which may also resynchronise past a damaged record.
    mutating func nextRecord() -> CaptureRecord {
        var record: CaptureRecord?
        let end = self.readRecords(limit: 1) { header, bytes, passesFilter in
            record = .frame(header, bytes, passesFilter: passesFilter)
        }
        return record ?? .end(end ?? .complete)
    }

    /// Calls `body` with each of the next `limit` records, whether or not the filter passes it,
    /// in file order: the loop of ``nextRecord()`` without a record made and taken apart for
    /// each frame. Returns how the file ended, or `nil` when `limit` records were read first;
    /// once ended, it says so again on every call.
    ///
    /// `body`'s bytes are libpcap's buffer for this handle: valid until it returns.
    @inline(__always)
    mutating func readRecords<Failure: Error>(
        limit: Int = .max,
        _ body: (FrameHeader, UnsafeBufferPointer<UInt8>, _ passesFilter: Bool) throws(Failure) -> Void
    ) throws(Failure) -> CaptureEnd? {
        if let ended = self.ended { return ended }
        var read = 0
        while read < limit {
            var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
            var dataPointer: UnsafePointer<UInt8>?
            let status = pcap_next_ex(self.handle, &headerPointer, &dataPointer)
            guard status == 1 else {
                if let end = self.failedRead(status: status) { return end }
                continue
            }
            guard let headerPointer, let dataPointer else { continue }
            read += 1
            self.framesRead += 1
            self.streamFrames += 1
            let record = headerPointer.pointee
            // The reference for resynchronising: the last timestamp near its predecessor, so
            // that a garbage record libpcap accepted does not become it.
            let seconds = Int64(record.ts.tv_sec)
            if let last = self.lastSeconds {
                if CaptureResync.isNear(seconds, last) { self.lastSeconds = seconds }
            } else {
                self.lastSeconds = seconds
            }
            var passes = true
            if var program = self.filter, pcap_offline_filter(&program, headerPointer, dataPointer) == 0 {
                passes = false
            }
            try body(
                FrameHeader(number: self.framesRead, record: record, nanosecondFraction: true),
                UnsafeBufferPointer(start: dataPointer, count: Int(record.caplen)), passes)
        }
        return nil
    }

    /// What a `pcap_next_ex` status other than a record means: the end of the file (kept, and
    /// returned), or `nil` when reading goes on (a live capture's timeout, a damaged span
    /// skipped).
    private mutating func failedRead(status: Int32) -> CaptureEnd? {
        switch status {
        case 1, 0:
            return nil  // 0: live captures only, a timeout with no packet
        case PCAP_ERROR_BREAK:
            return self.end(.complete)
        default:
            let number = self.framesRead
            let message = Libpcap.lastError(self.handle)
            let skip = self.skipDamage(
                afterFrames: self.streamFrames, lastSeconds: self.lastSeconds, nextFrame: number + 1,
                reason: message)
            if skip.resumed {
                self.streamFrames = 0
                return nil
            }
            let place = skip.offset.map { " at byte \($0)" } ?? ""
            if let offset = skip.offset, !(message.contains("truncated") && skip.recordRunsPastEnd) {
                self.damage.append(
                    CaptureDamage(
                        offset: offset, skippedBytes: skip.fileSize - offset, resumedAt: nil, resumedAtFrame: nil,
                        reason: skip.reason ?? message)
                )
            }
            if message.contains("truncated") && skip.recordRunsPastEnd {
                return self.end(
                    .truncated(
                        warning:
                            "file ends inside record \(number + 1) (\(message)); read \(number) whole frame\(number == 1 ? "" : "s")"
                    ))
            }
            return self.end(
                .failed(
                    CaptureError(
                        kind: .readFailed, path: self.path, reason: "record \(number + 1)\(place): \(message)",
                        hint: "\(number) frame\(number == 1 ? "" : "s") before it were read; "
                            + (skip.offset != nil
                                ? "no plausible record follows it"
                                : "reading cannot resume here: save the capture to a file and read that to skip the damage")
                    )
                ))
        }
    }

    /// Remembers how the file ended, so that a later read says it again without touching libpcap.
    private mutating func end(_ end: CaptureEnd) -> CaptureEnd {
        self.ended = end
        return end
    }

    /// What ``skipDamage(afterFrames:lastSeconds:nextFrame:reason:)`` found.
    private struct Skip {
        /// Where the damaged record begins, when the file could be mapped.
        var offset: Int?
        /// Whether reading goes on from a later record.
        var resumed = false
        /// Whether the damaged record claims more bytes than the file has left (a truncation).
        var recordRunsPastEnd = true
        /// The file's size, when it was mapped.
        var fileSize = 0
        /// Why resuming failed, when libpcap refused the resumed stream.
        var reason: String?
    }

    /// After libpcap failed on a record: finds where it begins, the next plausible record after
    /// it, and hands libpcap a new stream from there. Records the span in ``damage``.
    private mutating func skipDamage(afterFrames frames: Int, lastSeconds: Int64?, nextFrame: Int, reason: String)
        -> Skip
    {
        if self.mapping == nil && self.path != "-" {
            self.mapping = CaptureFileMapping(path: self.path)
        }
        guard let bytes = self.mapping?.bytes else { return Skip() }
        if self.resync == nil { self.resync = CaptureResync(bytes: bytes) }
        guard var resync = self.resync else { return Skip() }
        defer { self.resync = resync }
        let offset = resync.damageOffset(in: bytes, afterFrames: frames)
        var skip = Skip(offset: offset, recordRunsPastEnd: resync.runsPastEnd(bytes, at: offset), fileSize: bytes.count)
        guard let resume = resync.resumeOffset(in: bytes, after: offset, lastSeconds: lastSeconds) else { return skip }
        let prefix = resync.prefix(resumingAt: resume, in: bytes)
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let stream = self.mapping?.stream(prefix: prefix, from: resume) else { return skip }
        guard
            let handle = pcap_fopen_offline_with_tstamp_precision(
                stream, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
        else {
            fclose(stream)
            skip.reason = "\(reason); resuming at byte \(resume) failed: \(cString(errorBuffer))"
            skip.recordRunsPastEnd = false
            return skip
        }
        pcap_close(self.handle)
        self.handle = handle
        self.damage.append(
            CaptureDamage(
                offset: offset, skippedBytes: resume - offset, resumedAt: resume, resumedAtFrame: nextFrame,
                reason: reason))
        skip.resumed = true
        return skip
    }

    /// Opens `path` for libpcap: standard input as libpcap does, a file through a large stdio
    /// buffer, returned to be freed once the stream is closed.
    private static func open(_ path: String) throws(CaptureError) -> (OpaquePointer, UnsafeMutableRawPointer?) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let precision = UInt32(PCAP_TSTAMP_PRECISION_NANO)
        guard path != "-" else {
            guard let handle = pcap_open_offline_with_tstamp_precision(path, precision, &errorBuffer) else {
                throw Self.openError(path: path, libpcapMessage: cString(errorBuffer))
            }
            return (handle, nil)
        }
        guard let stream = fopen(path, "rb") else {
            throw Self.openError(path: path, libpcapMessage: "\(path): \(String(cString: strerror(errno)))")
        }
        // glibc's setvbuf ignores the size unless it is given the buffer: without one, the
        // stream keeps its 4 KiB block (a read system call every dozen frames).
        let buffer = malloc(Self.readBufferSize)
        if let buffer {
            setvbuf(stream, buffer.assumingMemoryBound(to: CChar.self), _IOFBF, Self.readBufferSize)
        }
        #if os(Linux)
            // One thread reads the stream (libpcap calls fread twice a frame): without the lock
            // stdio takes on every call once a process has several threads.
            __fsetlocking(stream, Int32(FSETLOCKING_BYCALLER))
        #endif
        guard let handle = pcap_fopen_offline_with_tstamp_precision(stream, precision, &errorBuffer) else {
            fclose(stream)
            free(buffer)
            throw Self.openError(path: path, libpcapMessage: cString(errorBuffer))
        }
        return (handle, buffer)
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
            return CaptureError(
                kind: .cannotOpen, path: path, reason: "permission denied", hint: "check the file's permissions")
        }
        return CaptureError(kind: .cannotOpen, path: path, reason: libpcapMessage)
    }
}

@available(*, unavailable)
extension CaptureFile: Sendable {}
