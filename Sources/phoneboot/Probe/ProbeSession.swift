import BootAnalysis
import PacketCapture
import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// One probe on a live interface: a virtual Polycom phone's DHCP exchange, sent with
/// `pcap_inject` and received through a BPF filter (no UDP socket, so a DHCP client on this
/// host keeps port 68 and its lease).
///
/// The sequence, with a bounded number of frames: a DISCOVER, a second one when nothing
/// answered in the first half of the wait; every OFFER for the whole wait; with `lease`, a
/// REQUEST for the best offer (sent twice at most), the ACK or NAK, and a RELEASE.
struct ProbeSession {
    /// A frame the probe sent or kept, with when.
    struct Frame {
        var timestamp: Timestamp
        var bytes: [UInt8]
        var sent: Bool
        /// The DHCP message, for the frames kept (replies) and sent.
        var message: DHCPMessage
        var source: MACAddress?
        var destination: MACAddress?
        var sourceAddress: IPv4Address
    }

    /// The most replies kept: a flood (a looping relay, a misbehaving server) stops counting there.
    static let maximumReplies = 64

    let request: PolycomDHCPRequest
    let vlan: UInt16?
    let wait: Duration
    let lease: Bool
    private(set) var frames: [Frame] = []
    /// Replies beyond ``maximumReplies``, counted and not kept.
    private(set) var repliesNotKept = 0

    init(request: PolycomDHCPRequest, vlan: UInt16?, wait: Duration, lease: Bool) {
        self.request = request
        self.vlan = vlan
        self.wait = wait
        self.lease = lease
    }

    /// The BPF filter for the replies to the probe's MAC (unicast or broadcast), tagged or not.
    static func filter(mac: MACAddress) -> String {
        let replies = "udp src port 67 and udp dst port 68"
        return "(ether dst \(mac) or ether broadcast) and ((\(replies)) or (vlan and \(replies)))"
    }

    /// Runs the exchange on `capture`; the error of a send that failed.
    mutating func run(on capture: inout LiveCapture) throws(CaptureError) {
        let clock = ContinuousClock()
        let start = clock.now
        let half = start + self.wait / 2
        let end = start + self.wait
        try self.send(self.request.discover(), on: capture)
        self.receive(on: &capture, until: half) { _ in false }
        if self.offers.isEmpty {
            let elapsed = UInt16(clamping: (clock.now - start).components.seconds)
            try self.send(self.request.discover(seconds: elapsed), on: capture)
        }
        self.receive(on: &capture, until: end) { _ in false }
        guard self.lease, let best = self.bestOffer else { return }
        let offered = best.message.yourAddress
        let server = best.message.options.serverIdentifier ?? best.sourceAddress
        let elapsed = UInt16(clamping: (clock.now - start).components.seconds)
        for _ in 0..<2 {
            try self.send(self.request.request(offered: offered, server: server, seconds: elapsed), on: capture)
            self.receive(on: &capture, until: clock.now + .seconds(2)) { $0.isAnswerToRequest }
            if self.answer != nil { break }
        }
        guard let answer = self.answer, answer.message.messageType == .ack else { return }
        let release = self.request.release(address: answer.message.yourAddress, server: server)
        try self.send(
            release, on: capture, to: answer.source ?? UDPFrame.broadcastMAC, from: answer.message.yourAddress,
            toAddress: server, port: DHCPMessage.serverPort)
        // The RELEASE has no answer (RFC 2131 §4.4.6): nothing to wait for.
    }

    /// The OFFERs kept, in the order they came.
    var offers: [Frame] { self.frames.filter { !$0.sent && $0.message.messageType == .offer } }

    /// The ACK or NAK to the probe's REQUEST, if one came.
    var answer: Frame? { self.frames.first { !$0.sent && $0.isAnswerToRequest } }

    /// The offer a phone would do best to take: one with option 160, else 66, else the first.
    var bestOffer: Frame? {
        let offers = self.offers
        return offers.first { $0.message.options.polycomBootServer != nil }
            ?? offers.first { $0.message.options.tftpServerName != nil } ?? offers.first
    }

    /// The boot server a phone would fetch from after this exchange: from the ACK when the
    /// probe took a lease, else from the best offer; option 160 over 66.
    var bootServer: (value: BootServerString, option: UInt8)? {
        let acknowledged = self.answer.flatMap { $0.message.messageType == .ack ? $0 : nil }
        guard let options = (acknowledged ?? self.bestOffer)?.message.options else { return nil }
        if let value = options.polycomBootServer { return (BootServerString(value), 160) }
        if let value = options.tftpServerName { return (BootServerString(value), 66) }
        return nil
    }

    private mutating func send(_ message: DHCPMessage, on capture: borrowing LiveCapture) throws(CaptureError) {
        try self.send(
            message, on: capture, to: UDPFrame.broadcastMAC, from: .any, toAddress: .broadcast,
            port: DHCPMessage.serverPort)
    }

    private mutating func send(
        _ message: DHCPMessage, on capture: borrowing LiveCapture, to destination: MACAddress,
        from sourceAddress: IPv4Address, toAddress: IPv4Address, port: UInt16
    ) throws(CaptureError) {
        let frame = UDPFrame(
            source: self.request.mac, destination: destination, vlan: self.vlan, sourceAddress: sourceAddress,
            destinationAddress: toAddress, identification: UInt16(truncatingIfNeeded: self.frames.count),
            sourcePort: DHCPMessage.clientPort, destinationPort: port, payload: message.encoded())
        let bytes = frame.encoded()
        // Stamped before it leaves: a reply is stamped by the kernel after that, so the
        // report's frame order follows cause and effect even when this thread is descheduled
        // between the send and the clock read.
        let timestamp = Self.now()
        try capture.send(bytes)
        self.frames.append(
            Frame(
                timestamp: timestamp, bytes: bytes, sent: true, message: message, source: self.request.mac,
                destination: destination, sourceAddress: sourceAddress))
    }

    /// Keeps the replies to this probe (its xid and chaddr) until `deadline` or until one
    /// satisfies `done`.
    private mutating func receive(
        on capture: inout LiveCapture, until deadline: ContinuousClock.Instant, done: (Frame) -> Bool
    ) {
        var finished = false
        let clock = ContinuousClock()
        let stop = { finished || clock.now >= deadline }
        _ = capture.run(until: stop) { header, bytes in
            guard let frame = self.reply(header, bytes: bytes) else { return }
            guard self.frames.count(where: { !$0.sent }) < Self.maximumReplies else {
                self.repliesNotKept += 1
                return
            }
            self.frames.append(frame)
            if done(frame) { finished = true }
        }
    }

    /// The frame as a reply to this probe, or `nil` when it is something else.
    private func reply(_ header: FrameHeader, bytes: Span<UInt8>) -> Frame? {
        guard let dissection = try? FrameDissection.dissect(bytes, linkType: .ethernet),
            case .udp(let udp) = dissection.transport, udp.destinationPort == DHCPMessage.clientPort,
            let ip = dissection.ipv4,
            let message = try? DHCPMessage(decoding: bytes.extracting(dissection.payload)),
            !message.isRequest, message.transactionID == self.request.transactionID,
            message.clientMAC == self.request.mac
        else { return nil }
        let copy = [UInt8](copying: bytes)
        return Frame(
            timestamp: header.timestamp, bytes: copy, sent: false, message: message, source: dissection.link.source,
            destination: dissection.link.destination, sourceAddress: ip.source)
    }

    /// The wall-clock time now, as libpcap stamps live frames.
    static func now() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(seconds: Int64(time.tv_sec), nanoseconds: UInt32(clamping: time.tv_nsec))
    }
}

extension ProbeSession.Frame {
    /// An ACK or NAK: the answer to a REQUEST.
    var isAnswerToRequest: Bool {
        !self.sent && (self.message.messageType == .ack || self.message.messageType == .nak)
    }
}
