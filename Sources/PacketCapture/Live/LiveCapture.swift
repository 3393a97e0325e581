internal import CLibpcap
internal import Glibc

/// A live capture on a network interface through libpcap, optionally saving every frame to a
/// pcap file as it goes.
///
/// Immediate mode is on, so frames arrive as they are seen, not when a buffer fills. The
/// handle has one owner and is closed (and the saved file flushed) when the value goes away.
///
/// ```swift
/// var capture = try LiveCapture(interface: "eth1", filter: "udp port 67", writeTo: "boot.pcap")
/// let end = capture.run(until: { stopRequested }) { header, bytes in ... }
/// ```
public struct LiveCapture: ~Copyable {
    private let handle: OpaquePointer
    private let dumper: OpaquePointer?
    private let nanosecondTimestamps: Bool
    /// The interface as the user named it.
    public let interface: String
    /// The link-layer type, as `pcap_datalink` returns it (a `DLT_*` value).
    public let linkType: Int32

    /// The kernel buffer ``init(interface:filter:snapshotLength:bufferSize:writeTo:)`` asks for
    /// by default, bytes: about half a second of a saturated gigabit link, so that a burst (a
    /// site's phones booting at once) waits there instead of being dropped.
    public static let defaultBufferSize = 32 << 20

    /// Opens `interface` for capture with `filter` (tcpdump syntax), with a kernel buffer of
    /// `bufferSize` bytes; `writeTo` also saves every frame that passes the filter to a pcap file.
    public init(
        interface: String, filter: String, snapshotLength: Int = 262_144, bufferSize: Int = Self.defaultBufferSize,
        writeTo path: String? = nil
    ) throws(CaptureError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw CaptureError(kind: .cannotCapture, path: interface, reason: cString(errorBuffer))
        }
        // Closed on every way out but success.
        var ready = false
        defer { if !ready { pcap_close(handle) } }
        pcap_set_snaplen(handle, Int32(clamping: snapshotLength))
        pcap_set_promisc(handle, 1)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_timeout(handle, 100)
        pcap_set_buffer_size(handle, Int32(clamping: bufferSize))
        // Left at microseconds when the interface cannot give nanoseconds; read back below.
        pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let status = pcap_activate(handle)
        if status < 0 {
            throw Self.activationError(interface: interface, status: status, message: Libpcap.lastError(handle))
        }
        var program = try Libpcap.compile(filter, on: handle, path: interface)
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else {
            throw CaptureError(
                kind: .invalidFilter, path: interface, reason: "\"\(filter)\": \(Libpcap.lastError(handle))")
        }
        guard pcap_setnonblock(handle, 1, &errorBuffer) == 0 else {
            throw CaptureError(kind: .cannotCapture, path: interface, reason: cString(errorBuffer))
        }
        var dumper: OpaquePointer?
        if let path {
            guard let opened = pcap_dump_open(handle, path) else {
                throw CaptureError(
                    kind: .cannotWrite, path: path, reason: Libpcap.lastError(handle),
                    hint: "check the directory exists and is writable")
            }
            dumper = opened
        }
        ready = true
        self.handle = handle
        self.dumper = dumper
        self.nanosecondTimestamps = pcap_get_tstamp_precision(handle) == Int32(PCAP_TSTAMP_PRECISION_NANO)
        self.interface = interface
        self.linkType = pcap_datalink(handle)
    }

    deinit {
        if let dumper = self.dumper {
            pcap_dump_flush(dumper)
            pcap_dump_close(dumper)
        }
        pcap_close(self.handle)
    }

    /// libpcap's name for the link type (`EN10MB`, `LINUX_SLL2`).
    public var linkTypeName: String { Libpcap.linkTypeName(self.linkType) }

    /// Calls `body` with every frame as it arrives, numbered from 1, until `shouldStop` returns
    /// true (checked at least every 200 ms, and every 1024 frames under load) or the interface
    /// goes away.
    ///
    /// - Parameter tick: called, when `shouldStop` is checked and `tickInterval` has passed
    ///   since the last call, with the frames handed to `body` so far and libpcap's counters
    ///   (for metrics while the capture runs).
    public mutating func run(
        until shouldStop: () -> Bool, tickInterval: Duration = .seconds(1),
        tick: (_ frames: Int, CaptureStatistics?) -> Void = { _, _ in },
        _ body: (FrameHeader, Span<UInt8>) -> Void
    ) -> CaptureEnd {
        let descriptor = pcap_get_selectable_fd(self.handle)
        var number = 0
        let clock = ContinuousClock()
        var nextTick = clock.now + tickInterval
        func stop() -> Bool {
            if clock.now >= nextTick {
                nextTick = clock.now + tickInterval
                tick(number, self.statistics())
            }
            return shouldStop()
        }
        while number % 1024 != 0 || !stop() {
            var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
            var dataPointer: UnsafePointer<UInt8>?
            let status = pcap_next_ex(self.handle, &headerPointer, &dataPointer)
            switch status {
            case 1:
                guard let headerPointer, let dataPointer else { continue }
                number += 1
                let record = headerPointer.pointee
                if let dumper = self.dumper {
                    pcap_dump(
                        UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), headerPointer, dataPointer)
                }
                let header = FrameHeader(number: number, record: record, nanosecondFraction: self.nanosecondTimestamps)
                body(header, UnsafeBufferPointer(start: dataPointer, count: Int(record.caplen)).span)
            case 0:
                // Nothing waiting: sleep until the interface has something, or 200 ms.
                if stop() { return .complete }
                if let dumper = self.dumper { pcap_dump_flush(dumper) }
                if descriptor >= 0 {
                    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    _ = poll(&poller, 1, 200)
                } else {
                    usleep(20_000)
                }
            default:
                let message = Libpcap.lastError(self.handle)
                return .failed(
                    CaptureError(
                        kind: .readFailed, path: self.interface, reason: message,
                        hint: "\(number) frames were read before it"))
            }
        }
        return .complete
    }

    /// Sends one whole frame (link-layer header included) on the interface, as it is, through
    /// `pcap_inject`: no socket is bound, so no port is taken from a program on this host.
    public func send(_ frame: [UInt8]) throws(CaptureError) {
        let sent = frame.withUnsafeBytes { pcap_inject(self.handle, $0.baseAddress, $0.count) }
        guard sent == frame.count else {
            throw CaptureError(
                kind: .cannotSend, path: self.interface,
                reason: sent < 0 ? Libpcap.lastError(self.handle) : "only \(sent) of \(frame.count) bytes went out",
                hint: "sending needs root or the CAP_NET_RAW capability, and the interface up")
        }
    }

    /// What libpcap counted so far.
    public func statistics() -> CaptureStatistics? {
        var stats = pcap_stat()
        guard pcap_stats(self.handle, &stats) == 0 else { return nil }
        return CaptureStatistics(
            received: Int(stats.ps_recv), droppedByKernel: Int(stats.ps_drop), droppedByInterface: Int(stats.ps_ifdrop))
    }

    /// The names of the interfaces libpcap can capture on.
    public static func interfaceNames() -> [String] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        var list: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&list, &errorBuffer) == 0 else { return [] }
        defer { pcap_freealldevs(list) }
        var names: [String] = []
        var current = list
        while let device = current {
            names.append(String(cString: device.pointee.name))
            current = device.pointee.next
        }
        return names
    }

    /// Turns `pcap_activate`'s failure into one that names the fix.
    private static func activationError(interface: String, status: Int32, message: String) -> CaptureError {
        switch status {
        case PCAP_ERROR_NO_SUCH_DEVICE:
            let names = Self.interfaceNames()
            return CaptureError(
                kind: .cannotCapture, path: interface, reason: "no such interface",
                hint: names.isEmpty
                    ? "list the interfaces with: ip link" : "interfaces here: \(names.joined(separator: ", "))"
            )
        case PCAP_ERROR_PERM_DENIED:
            return CaptureError(
                kind: .cannotCapture, path: interface,
                reason: "permission denied: capturing needs root or the CAP_NET_RAW capability",
                hint: "run with sudo, or once: sudo setcap cap_net_raw,cap_net_admin=eip \"$(command -v phoneboot)\""
            )
        case PCAP_ERROR_IFACE_NOT_UP:
            return CaptureError(
                kind: .cannotCapture, path: interface, reason: "the interface is down",
                hint: "bring it up: ip link set \(interface) up")
        default:
            return CaptureError(
                kind: .cannotCapture, path: interface,
                reason: message.isEmpty ? String(cString: pcap_statustostr(status)) : message)
        }
    }
}

@available(*, unavailable)
extension LiveCapture: Sendable {}
