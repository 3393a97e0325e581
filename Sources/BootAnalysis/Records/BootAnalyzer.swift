public import WireFormats

/// Joins each phone's DHCP exchange to the files it then fetched, one decoded packet at a time.
///
/// Feed it every ``DecodedPacket`` of a capture in order with ``consume(_:)``, then call
/// ``finish()`` for the report. State is kept per phone and per open transfer, so memory
/// follows the number of phones, not the length of the capture; clients that do not look like
/// phones are kept in a bounded table (``Options/otherDeviceLimit``), and those it forgets are
/// counted in the report.
public struct BootAnalyzer: Sendable {
    public struct Options: Hashable, Sendable {
        /// The default ``otherDeviceLimit``.
        public static let defaultOtherDeviceLimit = 10_000

        /// Report every DHCP client, not only those that look like phones.
        public var allDevices: Bool
        /// The most clients that do not look like phones kept at once (at least 1). Beyond it
        /// the least recently seen is forgotten: counted in the report, never listed, even with
        /// ``allDevices``.
        public var otherDeviceLimit: Int

        /// The DHCP options read for a `VLAN-A=` string, in order: 128, 144, 157 and 191 (a
        /// phone's "Fixed" mode), or the one option of its "Custom" mode (`--vlan-option`).
        public var vlanOptions: [DHCPOptionCode] = VLANDiscoveryString.fixedOptions

        /// Whether the analyzer says what happens as events: ``consume(_:)`` the phones, DHCP
        /// messages and fetches as they come, ``finish(captureEnd:drops:)`` the `plan` and
        /// `finding` events of every phone. A consumer that renders only the report
        /// (`--format json`, `junit`, the table of `analyze`) turns it off, so that no event is
        /// built to be thrown away (a copy of every fetch, DHCP message, plan and finding).
        public var collectsEvents = true

        public init(allDevices: Bool = false, otherDeviceLimit: Int = Self.defaultOtherDeviceLimit) {
            self.allDevices = allDevices
            self.otherDeviceLimit = max(1, otherDeviceLimit)
        }
    }

    /// How long a TFTP transfer or TCP connection may stay silent, in capture time
    /// (nanoseconds), before it is ended as it stands, as the end of the capture would end it:
    /// well past TFTP retransmission (RFC 1350: seconds) and HTTP keep-alive timeouts (nginx's
    /// 75 s is the longest common default). FTP control connections are kept alive by their
    /// data connections.
    public static let idleTimeout: Int64 = 90 * 1_000_000_000
    /// The most malformed packets listed in the report (and given to their phones); the rest
    /// are counted (``BootReport/malformedNotListed``), so that a capture full of broken
    /// packets cannot fill memory.
    public static let malformedLimit = 1_000
    /// How often, in capture time, idle state is looked for.
    static let expiryInterval: Int64 = 1_000_000_000
    /// How close to the capture's end (nanoseconds) the last packet of a transfer still open
    /// then must be for the transfer to count as cut by the end of the capture rather than
    /// stalled: a transfer this recently active may only be waiting for a retransmission. TFTP
    /// servers resend an unacknowledged block after a timeout of seconds (RFC 1350 §2;
    /// tftpd-hpa's first timeout is 1 s, RFC 2349 allows 1–255 s and phones ask for a few), and
    /// TCP's retransmission timeout starts at 1 s and doubles (RFC 6298 §2), so three attempts
    /// fit in 10 s. A transfer silent for longer than this before the end stalled on the wire.
    public static let captureEndWindow: Int64 = 10 * 1_000_000_000
    /// How long after the ACK that gave it a boot server (nanoseconds) a phone may take before
    /// its first request: a capture that ends sooner with no fetch after that ACK cannot show
    /// whether the phone uses the boot server (`boot-server-unused` is then info, too soon to
    /// tell, not an error). polycom-boot.md gives no timer for this step (§8 item 7 lists the
    /// phones' timers as unconfirmed); what it describes between the ACK and the first request
    /// (§0 steps 3-4, §2.3) is the phone choosing its boot server and, for a host name, looking
    /// it up. Before using its address a DHCP client may check it with ARP (RFC 2131 §4.4.1;
    /// RFC 5227 §2.1.1: up to 1 s, three probes 1-2 s apart, then 2 s, so up to 7 s), and a
    /// name lookup whose first server does not answer waits out a resolver timeout (5 s by
    /// default, resolv.conf(5)) before the next try. 30 s covers both with room to spare; a
    /// phone silent for longer after its ACK is not coming.
    public static let firstFetchWindow: Int64 = 30 * 1_000_000_000

    private struct OpenTransfer: Sendable {
        var transfer: TFTPTransfer
        var mac: MACAddress?
        /// Capture time of its last packet, nanoseconds.
        var lastTime: Int64
        /// The last frame the phone sent in it, and the VLAN tags those frames carried: given
        /// to its record when the transfer ends, not packet by packet.
        var phoneLastFrame: Int?
        var phoneVLANs: [VLANTags] = []
        /// A master configuration file's bytes (``CapturedBody``), block by block; `nil` for
        /// any other file.
        var body: CapturedBody?

        /// Takes one packet of the transfer; returns whether the transfer is over.
        mutating func receive(_ tftp: TFTPPacket, fromServer: Bool, packet: DecodedPacket) -> Bool {
            let blocksBefore = self.transfer.blocks
            self.transfer.receive(
                tftp, fromServer: fromServer, sourcePort: packet.sourcePort, frame: packet.frameNumber)
            if self.body != nil, case .data(_, let count) = tftp, self.transfer.blocks != blocksBefore {
                // The next block in order, whole: kept; a block after a gap, or one the
                // classifier did not copy or the snap length cut: the copy is broken.
                if self.transfer.blocks == blocksBefore + 1, let data = packet.tftpData, data.count == count {
                    self.body?.append(data)
                } else {
                    self.body?.markGap()
                }
            }
            self.lastTime = packet.timestamp
            if let mac = self.mac, packet.sourceMAC == mac {
                self.phoneLastFrame = packet.frameNumber
                if self.phoneVLANs.last != packet.vlans { self.phoneVLANs.append(packet.vlans) }
            }
            return self.transfer.isClosed
        }
    }

    public let options: Options
    private var records: ClientTable
    private var macByAddress: [IPv4Address: MACAddress] = [:]
    private var openTransfers = ConversationSlots<OpenTransfer>()
    private var malformed: [MalformedPacket] = []
    /// Malformed packets past ``malformedLimit``: counted, not listed.
    private var malformedNotListed = 0
    /// The MACs of each malformed packet's frame, to give it to its phone at the end (the
    /// phone's record may only start later, e.g. when every DHCP packet was cut).
    private var malformedMACs: [[MACAddress]] = []
    private var tcp: TCPFetchTracker
    /// Capture time from which idle state is next looked for.
    private var nextExpiry = Int64.min
    /// The TFTP block gaps of the transfers closed so far: frames the capture missed.
    private var tftpLoss = CaptureLoss()
    /// Capture time of the packet being consumed (nanoseconds).
    private var lastTimestamp: Int64 = 0

    /// Every distinct LLDP/CDP announcement, in order of first appearance, up to
    /// ``announcementLimit``; past it they are counted in ``announcementsNotListed``.
    private var announcements: [LinkAnnouncement] = []
    private var announcementsNotListed = 0
    /// The most distinct announcements listed (a switch repeats the same few every 30 s).
    public static let announcementLimit = 1_000
    /// The strings records keep that repeat from phone to phone (option 60's parts, boot
    /// options, TFTP file names), one copy each.
    private var strings = StringPool()
    /// Option 60's bytes, read and pooled (``pooled(_:)``).
    private var vendorClasses = BoundedCache<ByteKey, (vendor: VendorClassIdentifier, description: String)>(
        capacity: 1_024)
    /// Master files read, by their bytes: a site's phones fetch the same `000000000000.cfg`,
    /// and their own `<mac>.cfg` files are most often copies of a few templates (the file names
    /// the phone's own files through `[PHONE_MAC_ADDRESS]`), each read once and held once. Files
    /// up to ``cachedMasterConfigLimit`` bytes, at most 1 MiB of them in all.
    private var masterConfigContents = BoundedCache<ByteKey, MasterConfigCopy.Content>(
        capacity: 4_096, costLimit: 1 << 20)
    private static let cachedMasterConfigLimit = 64 * 1024
    /// Boot-server strings, parsed, with what a phone would make of them.
    private var bootServerStrings = BoundedCache<String, (string: BootServerString, problem: String?)>(capacity: 256)

    public init(options: Options = Options()) {
        self.options = options
        self.records = ClientTable(otherLimit: options.otherDeviceLimit)
        self.tcp = TCPFetchTracker(followsEveryClient: options.allDevices)
    }

    /// Clients that look like phones so far.
    public var phonesSeen: Int { self.records.phoneCount }

    /// TCP connections not followed past their first request, as it showed no provisioning
    /// (a client that does not look like a phone, a file that is not a provisioning file, no
    /// Polycom User-Agent). Always 0 with ``Options/allDevices``.
    public var connectionsDropped: Int { self.tcp.droppedConnections }

    /// TCP connections and TFTP transfers followed now.
    public var openFlows: Int { self.tcp.openConnections + self.openTransfers.count }

    /// The findings the phones seen so far would have if the capture ended now, without
    /// closing the transfers still open (they count once they end): what `watch` exports
    /// while it runs. Not the final word: ``finish(captureEnd:drops:)`` draws the findings of
    /// the report, with open transfers, malformed packets and capture loss.
    public func provisionalFindings() -> [(mac: MACAddress, finding: Finding)] {
        var found: [(mac: MACAddress, finding: Finding)] = []
        self.records.forEachPhone { record in
            var record = record
            record.fetches.sort { $0.firstFrame < $1.firstFrame }
            for finding in FindingRules.findings(for: record) { found.append((record.mac, finding)) }
        }
        return found
    }

    /// ``consume(_:)`` for a packet read where it lies, in a batch handed between threads:
    /// the same analysis, without the copy that passing another module's borrowed array
    /// element costs (the packet is left as it was).
    public mutating func consume(inPlace packet: inout DecodedPacket) -> [BootEvent] {
        self.consume(packet)
    }

    /// Takes one packet; returns what it made happen, for live and NDJSON output.
    public mutating func consume(_ packet: DecodedPacket) -> [BootEvent] {
        var events: [BootEvent] = []
        self.lastTimestamp = packet.timestamp
        if packet.timestamp >= self.nextExpiry { self.expireIdle(now: packet.timestamp, events: &events) }
        switch packet.content {
        case .dhcp(let message):
            self.consumeDHCP(message, packet: packet, events: &events)
        case .dhcpUndecoded:
            // Decoded here, and the message's arrays freed here, not on the reading thread.
            switch packet.content.decodedDHCP() {
            case .success(let message)?: self.consumeDHCP(message, packet: packet, events: &events)
            case .failure(let error)?: self.noteMalformed(.dhcp, error, packet: packet, events: &events)
            case nil: break
            }
        case .tftp(let tftp):
            self.consumeTFTP(tftp, packet: packet, events: &events)
        case .malformed(let proto, _) where proto.isLinkDiscovery:
            break  // a broken LLDP/CDP frame says nothing about a boot; `packets` lists it
        case .malformed(let proto, let error):
            self.noteMalformed(proto, error, packet: packet, events: &events)
        case .fragment:
            break
        case .discovery(let discovery):
            self.note(LinkAnnouncement(discovery, packet: packet))
        case .tcp(let segment):
            let outputs: [TCPFetchTracker.Output]
            do {
                // The tracker asks only when it judges a connection, while it is being changed:
                // it asks copies of the tables (references, let go before the records change
                // below, or changing them would copy them whole).
                let (phones, macByAddress) = (self.records.phoneMACs, self.macByAddress)
                let (client, clientMAC) =
                    segment.fromServer
                    ? (packet.destination, packet.destinationMAC) : (packet.source, packet.sourceMAC)
                let asks = segment.isStream && segment.payloadLength > 0
                outputs = self.tcp.consume(segment, packet: packet) {
                    guard asks, let mac = macByAddress[client] ?? clientMAC else { return !asks }
                    return PolycomCatalogue.isPolycom(mac) || phones.contains(mac)
                }
            }
            for output in outputs {
                self.apply(output, vlans: packet.vlans, events: &events)
            }
        }
        return events
    }

    /// Counts a repeat of an announcement already listed, or lists a new one.
    private mutating func note(_ announcement: LinkAnnouncement) {
        for index in self.announcements.indices.reversed() where self.announcements[index].isRepeat(of: announcement) {
            self.announcements[index].count += 1
            self.announcements[index].lastFrame = announcement.lastFrame
            return
        }
        if self.announcements.count < Self.announcementLimit {
            self.announcements.append(announcement)
        } else {
            self.announcementsNotListed += 1
        }
    }

    /// Gives each phone what it announced itself and, when one network device alone
    /// announced on this capture (one switch port: the usual SPAN or phone-port capture),
    /// what that device told it; with several, which port a phone is on cannot be told from
    /// the frames, and the announcements are listed for the capture only.
    private static func attach(
        _ announcements: [LinkAnnouncement], switchAnnouncements: [LinkAnnouncement]?, to record: inout PhoneRecord
    ) {
        record.advertised = announcements.filter { $0.sourceMAC == record.mac }
        if let switchAnnouncements { record.switchAnnouncements = switchAnnouncements }
        guard record.model == nil else { return }
        for announcement in record.advertised {
            if let part = announcement.polycomPartNumber, let model = PolycomCatalogue.model(partNumber: part) {
                record.model = model.productName
                record.partNumber = record.partNumber ?? part
                record.modelSource = .linkDiscovery
                return
            }
        }
    }

    /// Ends, as they stand, the transfers and connections silent for ``idleTimeout``.
    private mutating func expireIdle(now: Int64, events: inout [BootEvent]) {
        self.nextExpiry = now &+ Self.expiryInterval
        let cutoff = now &- Self.idleTimeout
        for output in self.tcp.expire(before: cutoff) { self.apply(output, vlans: VLANTags(), events: &events) }
        let idle = self.openTransfers.entries.filter { $0.value.lastTime < cutoff }
        guard !idle.isEmpty else { return }
        for (key, open) in idle.sorted(by: { $0.value.transfer.firstFrame < $1.value.transfer.firstFrame }) {
            self.openTransfers.removeValue(forKey: key)
            self.close(open, events: &events)
        }
    }

    /// Ends the capture: open transfers end as they stand, findings are drawn.
    ///
    /// - Parameters:
    ///   - captureEnd: The timestamp of the capture's last frame, classified or not
    ///     (nanoseconds, as ``DecodedPacket/timestamp``), or the moment a live capture stopped.
    ///     A transfer still open whose last packet is within ``captureEndWindow`` of it was cut
    ///     by the end of the capture (`transfer-cut-by-capture-end`, info), not by the network.
    ///     `nil`: not known, every open transfer is `incomplete` or `no-answer`.
    ///   - drops: What libpcap counted as dropped (live captures); the analyzer adds the gaps it
    ///     saw itself (TFTP blocks, TCP sequence numbers) and the report's
    ///     ``BootReport/captureLoss`` holds the whole.
    public mutating func finish(
        captureEnd: Int64? = nil, drops: CaptureLoss = CaptureLoss()
    ) -> (report: BootReport, events: [BootEvent]) {
        var events: [BootEvent] = []
        for output in self.tcp.finish(captureEnd: captureEnd) {
            self.apply(output, vlans: VLANTags(), events: &events)
        }
        let open = self.openTransfers.removeAll().sorted { $0.transfer.firstFrame < $1.transfer.firstFrame }
        for transfer in open { self.close(transfer, captureEnd: captureEnd, events: &events) }
        var loss = drops
        loss.noteTFTPGaps(self.tftpLoss.missingTFTPBlocks, firstFrame: self.tftpLoss.firstTFTPGapFrame)
        if let frame = self.tcp.firstSkipFrame { loss.noteTCPGap(self.tcp.skippedBytes, frame: frame) }
        let notKept = self.records.othersNotKept
        let seen = self.records.othersKept + notKept
        var malformedByMAC: [MACAddress: [MalformedPacket]] = [:]
        for (entry, macs) in zip(self.malformed, self.malformedMACs) {
            for mac in Set(macs) { malformedByMAC[mac, default: []].append(entry) }
        }
        self.macByAddress = [:]
        let allDevices = self.options.allDevices
        let collectsEvents = self.options.collectsEvents
        var (phones, notShown) = self.records.removeAll { allDevices || $0.looksLikePhone }
        let others = notKept + notShown
        // A sender that made one network announcement is the network in all of them (a switch's
        // CDP may claim only "host", its shutdown LLDPDU no capabilities at all).
        let networkMACs = Set(self.announcements.filter { $0.side == .network }.map(\.sourceMAC))
        for index in self.announcements.indices where networkMACs.contains(self.announcements[index].sourceMAC) {
            self.announcements[index].side = .network
        }
        // Each record is finished on its own (on every core), then its events are said in order.
        let announcements = self.announcements
        let network = announcements.filter { $0.side == .network }
        let switchAnnouncements = Set(network.map(\.sourceMAC)).count == 1 ? network : nil
        phones.concurrentlyUpdateEach { [malformedByMAC, loss] record in
            Self.attach(announcements, switchAnnouncements: switchAnnouncements, to: &record)
            record.malformed = malformedByMAC[record.mac] ?? []
            record.captureLoss = loss
            record.captureEnd = captureEnd
            record.fetches.sort { $0.firstFrame < $1.firstFrame }
            let stages = FetchStage.stages(of: record.fetches, mac: record.mac, boots: record.bootFrames)
            for (fetchIndex, stage) in zip(record.fetches.indices, stages) {
                record.fetches[fetchIndex].stage = stage
            }
            record.plan = BootPlan(record: record)
            record.findings = FindingRules.findings(for: record)
        }
        if collectsEvents {
            for record in phones {
                if let plan = record.plan { events.append(.plan(mac: record.mac, plan)) }
                for finding in record.findings { events.append(.finding(mac: record.mac, finding)) }
            }
        }
        var report = BootReport(
            phones: phones, otherDevices: others, malformed: self.malformed,
            malformedNotListed: self.malformedNotListed,
            otherDevicesSeen: seen, otherDevicesNotKept: notKept, otherDeviceLimit: self.options.otherDeviceLimit,
            captureLoss: loss
        )
        report.announcements = self.announcements
        report.announcementsNotListed = self.announcementsNotListed
        return (report, events)
    }

    // MARK: - DHCP

    private mutating func consumeDHCP(_ message: DHCPMessage, packet: DecodedPacket, events: inout [BootEvent]) {
        guard let mac = message.clientMAC ?? (message.isRequest ? packet.sourceMAC : packet.destinationMAC) else {
            return
        }
        let frame = packet.frameNumber
        let options = message.options
        let type = options.messageType
        let server = message.isRequest ? nil : (options.serverIdentifier ?? packet.source)
        let boot160 = options[.polycomBootServer]
        let boot66 = options[.tftpServerName]
        var entry = DHCPTransaction.Message(
            frame: frame, timestamp: packet.timestamp, type: type, fromClient: message.isRequest, server: server,
            yourAddress: message.yourAddress, option160: self.strings.pooled(options.polycomBootServer),
            option66: self.strings.pooled(options.tftpServerName), option150: options.tftpServerAddresses,
            option67: self.strings.pooled(options.bootfileName),
            bootOptionNotText: [boot160, boot66].contains { $0.map(isNotText) ?? false },
            clientHardwareAddressIsMAC: message.clientMAC != nil,
            optionOrder: message.isRequest ? [] : DHCPServerKind.optionOrder(message)
        )
        entry.vlans = packet.vlans
        if entry.vlans.isEmpty, let original = packet.tunnel?.originalVLAN { entry.vlans = VLANTags([original]) }
        if !message.isRequest {
            entry.vlanDiscovery = VLANDiscoveryLookup(options, options: self.options.vlanOptions).entries
        }
        let address: IPv4Address? =
            if message.isRequest {
                message.clientAddress
            } else if type == .ack {
                message.yourAddress != .any ? message.yourAddress : message.clientAddress
            } else {
                nil
            }
        let noted = address == .any ? nil : address
        let bootServer = type == .ack ? self.bootServer(in: entry) : nil
        let vlans = packet.sourceMAC == mac ? packet.vlans : VLANTags()
        let identity = message.isRequest ? options[.vendorClassIdentifier].map { self.identity(vendorClass: $0) } : nil
        let (newBootServer, forgotten) = self.records.modify(mac, frame: frame) { record -> BootServer? in
            record.lastFrame = frame
            Self.noteVLANs(vlans, in: &record)
            if let identity { Self.noteIdentity(identity.vendor, description: identity.description, in: &record) }
            if let noted { Self.note(address: noted, in: &record) }
            let index =
                record.transactions.firstIndex { $0.transactionID == message.transactionID }
                ?? {
                    record.transactions.append(DHCPTransaction(transactionID: message.transactionID))
                    return record.transactions.count - 1
                }()
            record.transactions[index].add(
                entry, parameterRequestList: message.isRequest ? options.parameterRequestList : nil)
            guard type == .ack, let bootServer else { return nil }
            let changed = record.bootServer?.string.raw != bootServer.string.raw || record.bootServer == nil
            record.bootServer = bootServer
            return changed ? bootServer : nil
        }
        if let noted { self.macByAddress[noted] = mac }
        self.forgetAddresses(of: forgotten)
        if self.announce(mac, frame: frame, events: &events) {
            events.append(.dhcp(mac: mac, transactionID: message.transactionID, message: entry))
            if let newBootServer { events.append(.bootServer(mac: mac, newBootServer)) }
        }
    }

    /// The boot server an ACK gives: 160 over 66, as a Polycom phone chooses; else 150.
    private mutating func bootServer(in ack: DHCPTransaction.Message) -> BootServer? {
        let candidates: [(DHCPOptionCode, String?)] = [
            (.polycomBootServer, ack.option160), (.tftpServerName, ack.option66),
            (.tftpServerAddress, ack.option150?.first?.description),
        ]
        for (code, value) in candidates {
            guard let value else { continue }
            let (string, parsedProblem) = self.bootServerStrings.value(for: value) {
                let string = BootServerString(value)
                return (string, string.problem)
            }
            var problem = parsedProblem
            if ack.bootOptionNotText, code != .tftpServerAddress {
                problem =
                    "option \(code) holds binary bytes, not a string: it was sent as an address, and the phone reads it as text"
            }
            return BootServer(option: code, string: string, dhcpServer: ack.server, frame: ack.frame, problem: problem)
        }
        return nil
    }

    /// Option 60 read from `bytes`, its strings and display form from ``strings``: once for
    /// each value (``vendorClasses``).
    private mutating func identity(vendorClass bytes: [UInt8]) -> (vendor: VendorClassIdentifier, description: String) {
        let key = ByteKey(bytes)
        if let identity = self.vendorClasses.value(for: key) { return identity }
        let identity = self.pooled(VendorClassIdentifier(bytes: bytes))
        self.vendorClasses.keep(identity, for: key)
        return identity
    }

    /// Option 60 with its strings, and its display form, from ``strings``.
    private mutating func pooled(_ vendor: VendorClassIdentifier) -> (
        vendor: VendorClassIdentifier, description: String
    ) {
        var vendor = vendor
        if case .polycom(var block) = vendor {
            block.model = self.strings.pooled(block.model)
            block.applicationVersion = self.strings.pooled(block.applicationVersion)
            block.bootROMVersion = self.strings.pooled(block.bootROMVersion)
            vendor = .polycom(block)
        }
        return (vendor, self.strings.pooled(vendor.description))
    }

    /// What option 60 (`vendor`, `description` its display form) says of the phone.
    private static func noteIdentity(_ vendor: VendorClassIdentifier, description: String, in record: inout PhoneRecord)
    {
        record.vendorClass = description
        record.vendorClassIsPolycom = record.vendorClassIsPolycom || vendor.isPolycom
        switch vendor {
        case .polycom(let block):
            if let part = block.partNumber {
                record.partNumber = part
                if let model = PolycomCatalogue.model(partNumber: part) {
                    record.model = model.productName
                    record.modelSource = .option60
                }
            }
            if record.model == nil, let model = block.model.flatMap(PolycomCatalogue.productName(modelString:)) {
                record.model = model
                record.modelSource = .option60
            }
            record.applicationVersion = block.applicationVersion ?? record.applicationVersion
            record.bootROMVersion = block.bootROMVersion ?? record.bootROMVersion
        case .text:
            if let model = vendor.polycomModel.flatMap(PolycomCatalogue.productName(modelString:)) {
                record.model = model
                record.modelSource = .option60
            }
        case .binary:
            break
        }
    }

    // MARK: - TFTP

    private mutating func consumeTFTP(_ tftp: TFTPPacket, packet: DecodedPacket, events: inout [BootEvent]) {
        let frame = packet.frameNumber
        switch tftp {
        case .readRequest(let request), .writeRequest(let request):
            guard packet.destinationPort == TFTPPacket.serverPort, let conversation = packet.tftpConversation,
                !conversation.fromServer
            else { return }
            let key = conversation.key
            if var open = self.openTransfers[key] {
                if !open.transfer.isFinished, open.transfer.file == request.filename {
                    open.transfer.retransmittedRequest(frame: frame)
                    open.lastTime = packet.timestamp
                    self.openTransfers.keep(open, for: key)
                    return
                }
                self.openTransfers.removeValue(forKey: key)
                self.close(open, events: &events)
            }
            let direction: Fetch.Direction = if case .writeRequest = tftp { .upload } else { .read }
            // The file name as the record keeps it: one copy for every phone that asks for it.
            var pooledRequest = request
            pooledRequest.filename = self.strings.pooled(request.filename)
            let transfer = TFTPTransfer(
                request: pooledRequest, direction: direction, client: packet.source, clientPort: packet.sourcePort,
                server: packet.destination, frame: frame
            )
            let mac = self.macByAddress[packet.source] ?? packet.sourceMAC
            self.openTransfers.keep(
                OpenTransfer(
                    transfer: transfer, mac: mac, lastTime: packet.timestamp,
                    body: direction == .read && PolycomCatalogue.isMasterConfigName(request.filename)
                        ? CapturedBody() : nil
                ),
                for: key
            )
            if let mac {
                self.fetchStarted(
                    mac: mac, client: packet.source, .tftp, server: packet.destination, file: request.filename,
                    frame: frame, vlans: packet.sourceMAC == mac ? packet.vlans : VLANTags(), events: &events
                )
            }
        default:
            // The classifier's table names the transfer; this keeps only its state.
            // Changed where it is kept, so that the transfer's state is never copied.
            guard let conversation = packet.tftpConversation, let slot = self.openTransfers.slot(of: conversation.key)
            else { return }
            let isClosed = self.openTransfers.update(slot: slot) { open in
                open?.receive(tftp, fromServer: conversation.fromServer, packet: packet) ?? false
            }
            if isClosed {
                // Done; a late duplicate of the last block is ignored.
                if let open = self.openTransfers.removeValue(forKey: conversation.key) {
                    self.close(open, events: &events)
                }
            }
        }
    }

    /// Files a finished transfer with its phone; one with no phone to attach to (no MAC known
    /// for the client address) is not reported. Its block gaps count as capture loss either way.
    /// `captureEnd`: the capture ended it (see ``finish(captureEnd:drops:)``).
    private mutating func close(_ open: OpenTransfer, captureEnd: Int64? = nil, events: inout [BootEvent]) {
        self.tftpLoss.noteTFTPGaps(open.transfer.missingBlocks, firstFrame: open.transfer.firstGapFrame)
        guard let mac = open.mac, self.records.isKept(mac) else { return }
        var fetch = Fetch(open.transfer).endedWithCapture(lastTime: open.lastTime, captureEnd: captureEnd)
        fetch.capturedBody = open.body
        if self.options.collectsEvents, self.isReportable(mac) {
            events.append(.fetchFinished(mac: mac, fetch.withoutBody))
        }
        let copy = self.masterConfigCopy(of: fetch, time: open.lastTime)
        let forgotten = self.records.update(mac) { record in
            for vlans in open.phoneVLANs { Self.noteVLANs(vlans, in: &record) }
            if let last = open.phoneLastFrame { record.lastFrame = max(record.lastFrame, last) }
            Self.file(fetch, masterConfig: copy, in: &record)
        }
        self.forgetAddresses(of: forgotten)
    }

    // MARK: - FTP, HTTP, HTTPS

    private mutating func apply(_ output: TCPFetchTracker.Output, vlans: VLANTags, events: inout [BootEvent]) {
        switch output {
        case .started(let client, let clientMAC, let fetchProtocol, let server, let file, let frame):
            guard let mac = self.macByAddress[client] ?? clientMAC else { return }
            self.fetchStarted(
                mac: mac, client: client, fetchProtocol, server: server, file: file, frame: frame, vlans: vlans,
                events: &events
            )
        case .finished(let client, let clientMAC, let fetch):
            guard let mac = self.macByAddress[client] ?? clientMAC else { return }
            let copy = self.masterConfigCopy(of: fetch, time: self.lastTimestamp)
            let forgotten = self.records.modify(mac, frame: fetch.firstFrame) { record in
                record.lastFrame = max(record.lastFrame, fetch.lastFrame)
                Self.note(address: client, in: &record)
                Self.file(fetch, masterConfig: copy, in: &record)
            }.forgotten
            self.macByAddress[client] = mac
            self.forgetAddresses(of: forgotten)
            if self.announce(mac, frame: fetch.firstFrame, events: &events) {
                events.append(.fetchFinished(mac: mac, fetch.withoutBody))
            }
        case .userAgent(let client, let clientMAC, let agent):
            guard let mac = self.macByAddress[client] ?? clientMAC, let polycom = PolycomUserAgent(agent) else {
                return
            }
            let forgotten = self.records.update(mac) { record in
                record.vendorClassIsPolycom = true
                if record.model == nil, let model = PolycomCatalogue.productName(modelString: polycom.modelString) {
                    record.model = model
                    record.modelSource = .userAgent
                }
                if polycom.isUpdater {
                    record.bootROMVersion = record.bootROMVersion ?? polycom.version
                } else {
                    record.applicationVersion = record.applicationVersion ?? polycom.version
                }
            }
            self.forgetAddresses(of: forgotten)
        }
    }

    // MARK: - Helpers

    /// A DHCP or TFTP packet that could not be decoded, listed (up to ``malformedLimit``).
    private mutating func noteMalformed(
        _ proto: PacketProtocol, _ error: WireFormatError, packet: DecodedPacket, events: inout [BootEvent]
    ) {
        let entry = MalformedPacket(
            frame: packet.frameNumber, protocolName: proto, error: error, source: packet.source,
            destination: packet.destination,
            snapped: packet.snapped
        )
        if self.malformed.count < Self.malformedLimit {
            self.malformed.append(entry)
            self.malformedMACs.append([packet.sourceMAC, packet.destinationMAC].compactMap { $0 })
        } else {
            self.malformedNotListed += 1
        }
        if self.options.collectsEvents { events.append(.malformed(entry)) }
    }

    /// The master configuration file `fetch` read whole, read (once for each content:
    /// ``masterConfigContents``), captured at `time`; `nil` when `fetch` is not one.
    private mutating func masterConfigCopy(of fetch: Fetch, time: Int64) -> MasterConfigCopy? {
        guard fetch.direction == .read, fetch.result == .ok, PolycomCatalogue.isMasterConfigName(fetch.file) else {
            return nil
        }
        guard let body = fetch.capturedBody, body.isComplete, body.total == fetch.bytes,
            body.total <= Self.cachedMasterConfigLimit
        else {
            return MasterConfigCopy(fetch: fetch, body: fetch.capturedBody, timestamp: time)
        }
        let key = ByteKey(body.bytes)
        if let content = self.masterConfigContents.value(for: key) {
            return MasterConfigCopy(fetch: fetch, content: content, timestamp: time)
        }
        let copy = MasterConfigCopy(fetch: fetch, body: body, timestamp: time)
        self.masterConfigContents.keep(copy.content, for: key, cost: body.bytes.count)
        return copy
    }

    /// Files a finished fetch, and the master configuration file it read, with its phone.
    private static func file(_ fetch: Fetch, masterConfig: MasterConfigCopy?, in record: inout PhoneRecord) {
        if var copy = masterConfig {
            // The same file read again (a boot loop, the application after the updater):
            // one parsed copy in memory for both.
            if let earlier = record.masterConfigs.last(where: { $0.content == copy.content }) {
                copy = copy.sharing(earlier.content)
            }
            record.masterConfigs.append(copy)
        }
        record.fetches.append(fetch.withoutBody)
    }

    /// A forgotten client's addresses no longer lead to it.
    private mutating func forgetAddresses(of client: ClientTable.Forgotten?) {
        guard let client else { return }
        for address in client.addresses where self.macByAddress[address] == client.mac {
            self.macByAddress.removeValue(forKey: address)
        }
    }

    /// A request for `file` by `mac` over any protocol: the phone's address and VLANs, its
    /// model from a firmware file name, and the `fetchStarted` event when it is reportable.
    private mutating func fetchStarted(
        mac: MACAddress, client: IPv4Address, _ fetchProtocol: FetchProtocol, server: IPv4Address, file: String,
        frame: Int,
        vlans: VLANTags, events: inout [BootEvent]
    ) {
        let forgotten = self.records.modify(mac, frame: frame) { record in
            record.lastFrame = max(record.lastFrame, frame)
            Self.noteVLANs(vlans, in: &record)
            Self.note(address: client, in: &record)
            if record.model == nil, let part = PolycomCatalogue.partNumber(inFileName: file) {
                record.partNumber = part
                record.model = PolycomCatalogue.model(partNumber: part)?.productName
                record.modelSource = record.model == nil ? nil : .fileName
            }
        }.forgotten
        self.macByAddress[client] = mac
        self.forgetAddresses(of: forgotten)
        if self.options.collectsEvents, self.isReportable(mac) || PolycomCatalogue.isProvisioningFile(file) {
            _ = self.announce(mac, frame: frame, events: &events)
            events.append(.fetchStarted(mac: mac, fetchProtocol, server: server, file: file, frame: frame))
        }
    }

    /// Files the frames from and to `address` with the client `mac` from here on, as a DHCP
    /// ACK giving it that address would. For `phoneboot probe --fetch`, whose files are fetched
    /// from this host's own address on behalf of the virtual phone.
    public mutating func attribute(_ address: IPv4Address, to mac: MACAddress, frame: Int) {
        let forgotten = self.records.modify(mac, frame: frame) { Self.note(address: address, in: &$0) }.forgotten
        self.macByAddress[address] = mac
        self.forgetAddresses(of: forgotten)
    }

    /// Whether the record of `mac` is kept and shown: it looks like a phone, or every device
    /// is shown.
    private func isReportable(_ mac: MACAddress) -> Bool {
        self.records.looksLikePhone(mac) || (self.options.allDevices && self.records.isKept(mac))
    }

    /// Emits `phoneSeen` the first time a reportable record shows up; returns whether the
    /// record is reportable and events are collected (``Options/collectsEvents``): whether to
    /// say what it did.
    private mutating func announce(_ mac: MACAddress, frame: Int, events: inout [BootEvent]) -> Bool {
        guard self.options.collectsEvents, self.isReportable(mac) else { return false }
        if self.records.announce(mac) { events.append(.phoneSeen(mac: mac, frame: frame)) }
        return true
    }

    /// Adds `address` to the record's addresses (``macByAddress`` is the caller's to update).
    private static func note(address: IPv4Address, in record: inout PhoneRecord) {
        if !record.addresses.contains(address) { record.addresses.append(address) }
    }

    private static func noteVLANs(_ vlans: VLANTags, in record: inout PhoneRecord) {
        for id in vlans.ids where !record.vlans.contains(id) { record.vlans.append(id) }
    }
}

/// True when an option meant as text holds control or non-ASCII bytes.
private func isNotText(_ bytes: [UInt8]) -> Bool {
    bytes.prefix { $0 != 0 }.contains { $0 < 0x20 || $0 > 0x7E } || bytes.first == 0
}
