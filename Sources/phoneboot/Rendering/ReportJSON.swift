import BootAnalysis
import PacketCapture
import WireFormats

/// The JSON form of the report (`--format json`), and of its events (`--format ndjson`).
///
/// Field names are lowerCamelCase and stable; ``schemaVersion`` changes when they do. Passwords
/// in boot-server strings are always `***`.
enum ReportJSON {
    static let schemaVersion = 1

    /// One capture's report.
    ///
    /// `damage` (the spans of a damaged file that were skipped) is present only when there were some,
    /// `captureLoss` (see ``captureLoss(_:)``) only when the capture itself missed frames.
    /// A capture read from several files has `files` (see ``files(_:inputs:)``) after `file` (the
    /// first of them); its frame numbers are the merged capture's, and each finding's frames
    /// and each fetch's first and last frame also say which file's frame they are.
    static func capture(path: String, report: BootReport, summary: CaptureSummary) -> JSONValue {
        var members: [(String, JSONValue)] = [("file", .string(path))]
        if let map = summary.frameMap { members.append(("files", self.files(map, inputs: summary.inputs))) }
        members += [
            ("linkType", .optional(summary.linkTypeName)),
            ("frames", .int(summary.counters.frames)),
            ("dhcpPackets", .int(summary.counters.dhcp)),
            ("tftpPackets", .int(summary.counters.tftp)),
            ("problem", .optional(summary.problem?.description)),
        ]
        if !summary.damage.isEmpty { members.append(("damage", self.damage(summary.damage))) }
        if !report.captureLoss.isEmpty { members.append(("captureLoss", self.captureLoss(report.captureLoss))) }
        members += [
            ("capture", summary.statistics == nil ? .null : self.statistics(summary.statistics)),
            ("summary", self.summary(report)),
            (
                "phones",
                .array(
                    report.phones.map {
                        self.phone($0, start: summary.firstTimestamp ?? 0, frameMap: summary.frameMap)
                    })
            ),
            ("malformedPackets", .array(report.malformed.map(self.malformed))),
        ]
        if !report.announcements.isEmpty { members.append(("linkAnnouncements", self.announcements(report))) }
        return .object(members)
    }

    /// Every distinct LLDP/CDP announcement of the capture (present only when there is one).
    static func announcements(_ report: BootReport) -> JSONValue {
        var list = report.announcements.map(self.announcement)
        if report.announcementsNotListed > 0 {
            list.append(.object([("notListed", .int(report.announcementsNotListed))]))
        }
        return .array(list)
    }

    static func announcement(_ announcement: LinkAnnouncement) -> JSONValue {
        func number<T: BinaryInteger>(_ value: T?) -> JSONValue { value.map { .int(Int($0)) } ?? .null }
        return .object([
            ("protocol", .string(announcement.protocolName)), ("side", .string(announcement.side.rawValue)),
            ("sourceMAC", .optional(announcement.sourceMAC?.description)),
            ("vlans", announcement.vlans.isEmpty ? .null : .array(announcement.vlans.ids.map { .int(Int($0)) })),
            ("name", .optional(announcement.name)), ("port", .optional(announcement.port)),
            ("systemDescription", .optional(announcement.systemDescription)),
            ("firmware", .optional(announcement.firmware)), ("manufacturer", .optional(announcement.manufacturer)),
            ("model", .optional(announcement.model)), ("serialNumber", .optional(announcement.serialNumber)),
            ("voiceVLAN", number(announcement.voiceVLAN)),
            ("voiceTagged", announcement.voiceTagged.map(JSONValue.bool) ?? .null),
            ("voicePriority", number(announcement.voicePriority)), ("voiceDSCP", number(announcement.voiceDSCP)),
            ("signalingVLAN", number(announcement.signalingVLAN)), ("nativeVLAN", number(announcement.nativeVLAN)),
            ("tunnel", .optional(announcement.tunnel?.description)),
            ("firstFrame", .int(announcement.firstFrame)), ("lastFrame", .int(announcement.lastFrame)),
            ("frames", .int(announcement.count)),
        ])
    }

    /// The damaged spans skipped: `offset` (where the damaged record began), `skippedBytes`,
    /// `resumedAt` and `resumedAtFrame` (absent when nothing readable followed), and libpcap's `reason`.
    static func damage(_ spans: [CaptureDamage]) -> JSONValue {
        .array(
            spans.map { span in
                .object([
                    ("offset", .int(span.offset)),
                    ("skippedBytes", .int(span.skippedBytes)),
                    ("resumedAt", span.resumedAt.map { .int($0) } ?? .null),
                    ("resumedAtFrame", span.resumedAtFrame.map { .int($0) } ?? .null),
                    ("reason", .string(span.reason)),
                ])
            }
        )
    }

    /// Writes ``capture(path:report:summary:)``'s text to `output`, the phones one at a time, so
    /// that a long list (`--all-devices`) is never held whole as values or as text.
    static func writeCapture(path: String, report: BootReport, summary: CaptureSummary, to output: inout OutputBuffer) {
        guard
            case .object(let members) = self.capture(
                path: path,
                report: BootReport(phones: [], otherDevices: 0, malformed: [], captureLoss: report.captureLoss),
                summary: summary)
        else { return }
        let start = summary.firstTimestamp ?? 0
        var object = JSONObjectWriter(&output)
        for (key, value) in members {
            if case .null = value { continue }
            switch key {
            case "summary":
                object.member(key, self.summary(report), to: &output)
            case "phones":
                object.beginArray(key, to: &output)
                // Each phone's JSON on any core, written in the report's order.
                let phones = report.phones
                let frameMap = summary.frameMap
                OrderedRendering().run(
                    count: phones.count,
                    render: { index, bytes in
                        if index > 0 { bytes.append(UInt8(ascii: ",")) }
                        self.phone(phones[index], start: start, frameMap: frameMap).write(into: &bytes)
                    },
                    write: { bytes, count in object.elements(joined: bytes, count: count, to: &output) }
                )
                object.endArray(to: &output)
            case "malformedPackets":
                object.member(key, .array(report.malformed.map(self.malformed)), to: &output)
            default:
                object.member(key, value, to: &output)
            }
        }
        if !report.announcements.isEmpty { object.member("linkAnnouncements", self.announcements(report), to: &output) }
        object.close(to: &output)
    }

    /// The last NDJSON line for one capture: the summary, the libpcap counters of a live
    /// capture, and what went wrong reading it.
    static func summaryEvent(file: String, report: BootReport, summary: CaptureSummary) -> JSONValue {
        var members: [(String, JSONValue)] = [("file", .string(file)), ("event", .string("summary"))]
        if case .object(let fields) = self.summary(report) { members += fields }
        members.append(("capture", self.statistics(summary.statistics)))
        if !report.captureLoss.isEmpty { members.append(("captureLoss", self.captureLoss(report.captureLoss))) }
        members.append(("problem", .optional(summary.problem?.description)))
        if !summary.damage.isEmpty { members.append(("damage", self.damage(summary.damage))) }
        if let map = summary.frameMap { members.append(("files", self.files(map, inputs: summary.inputs))) }
        return .object(members)
    }

    /// What shows that the capture itself missed frames: libpcap's drops (live), TFTP blocks
    /// never seen and the frame of the block after the first gap, TCP bytes never seen and the
    /// frame where the first gap was given up on; each only when there is some. `text` says it
    /// in one line, as the findings quote it.
    static func captureLoss(_ loss: CaptureLoss) -> JSONValue {
        func count(_ value: Int) -> JSONValue { value > 0 ? .int(value) : .null }
        return .object([
            ("droppedByKernel", count(loss.droppedByKernel)),
            ("droppedByInterface", count(loss.droppedByInterface)),
            ("missingTFTPBlocks", count(loss.missingTFTPBlocks)),
            ("firstTFTPGapFrame", loss.firstTFTPGapFrame.map { .int($0) } ?? .null),
            ("skippedTCPBytes", count(loss.skippedTCPBytes)),
            ("firstTCPGapFrame", loss.firstTCPGapFrame.map { .int($0) } ?? .null),
            ("text", .string(loss.description)),
        ])
    }

    /// A live capture's libpcap counters.
    static func statistics(_ statistics: CaptureStatistics?) -> JSONValue {
        guard let statistics else { return .null }
        return .object([
            ("received", .int(statistics.received)),
            ("droppedByKernel", .int(statistics.droppedByKernel)),
            ("droppedByInterface", .int(statistics.droppedByInterface)),
        ])
    }

    /// The counts. `otherDevicesSeen`, `otherDevicesNotKept` and `otherDeviceLimit` are there
    /// only when the bound on clients that do not look like phones was reached.
    static func summary(_ report: BootReport) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("phones", .int(report.phones.count)),
            ("errors", .int(report.count(.error))),
            ("warnings", .int(report.count(.warning))),
            ("infos", .int(report.count(.info))),
            ("otherDevices", .int(report.otherDevices)),
        ]
        if report.reachedOtherDeviceLimit {
            members += [
                ("otherDevicesSeen", .int(report.otherDevicesSeen)),
                ("otherDevicesNotKept", .int(report.otherDevicesNotKept)),
                ("otherDeviceLimit", .int(report.otherDeviceLimit)),
            ]
        }
        members.append(("malformedPackets", .int(report.malformed.count + report.malformedNotListed)))
        // Only when the bound was reached: the `malformedPackets` list holds the first ones.
        if report.malformedNotListed > 0 {
            members.append(("malformedPacketsNotListed", .int(report.malformedNotListed)))
        }
        members.append(("verdict", .string(report.worstSeverity?.description ?? "ok")))
        return .object(members)
    }

    /// One phone's record. `frameMap`: the capture was read from several files.
    ///
    /// The phone, each DHCP transaction, each fetch and each finding has a `displayFilter`
    /// (``DisplayFilter``) showing exactly its frames in Wireshark, except in a capture read
    /// from several files, whose frame numbers are the merged capture's and no file's.
    static func phone(_ phone: PhoneRecord, start: Int64, frameMap: CaptureFrameMap? = nil) -> JSONValue {
        let filters = frameMap == nil ? DisplayFilter.filters(of: phone) : nil
        var members: [(String, JSONValue)] = [
            ("mac", .string(phone.mac.description)),
            ("vendor", .optional(phone.vendor)),
            ("model", .optional(phone.model)),
            ("modelSource", .optional(phone.modelSource?.rawValue)),
            ("partNumber", .optional(phone.partNumber)),
            ("applicationVersion", .optional(phone.applicationVersion)),
            ("bootROMVersion", .optional(phone.bootROMVersion)),
            ("vendorClass", .optional(phone.vendorClass)),
            ("addresses", .array(phone.addresses.map { .string($0.description) })),
            ("vlans", .array(phone.vlans.map { .int(Int($0)) })),
            ("verdict", .string(phone.verdict?.description ?? "ok")),
            ("firstFrame", .int(phone.firstFrame)),
            ("lastFrame", .int(phone.lastFrame)),
            ("displayFilter", .optional(filters?.phone?.text)),
            (
                "dhcp",
                .array(
                    phone.transactions.indices.map {
                        self.transaction(
                            phone.transactions[$0], start: start, displayFilter: filters?.transactions[$0])
                    })
            ),
            ("bootServer", phone.bootServer.map(self.bootServer) ?? .null),
            (
                "fetches",
                .array(
                    phone.fetches.indices.map {
                        self.fetch(phone.fetches[$0], frameMap: frameMap, displayFilter: filters?.fetches[$0])
                    })
            ),
            ("masterConfigs", self.masterConfigs(phone.masterConfigs)),
            ("plan", self.plan(phone.plan)),
            (
                "findings",
                .array(
                    phone.findings.map {
                        self.finding($0, frameMap: frameMap, recipe: FixRecipe.recipe(for: $0, in: phone))
                    })
            ),
        ]
        // LLDP/CDP, present only when the capture has some (reports without stay as they were).
        if !phone.advertised.isEmpty {
            members.append(("advertised", .array(phone.advertised.map(self.announcement))))
        }
        if !phone.switchAnnouncements.isEmpty {
            members.append(("networkAnnouncements", .array(phone.switchAnnouncements.map(self.announcement))))
        }
        return .object(members)
    }

    /// One DHCP exchange, with its `displayFilter` when given.
    static func transaction(_ transaction: DHCPTransaction, start: Int64, displayFilter: DisplayFilter? = nil)
        -> JSONValue
    {
        .object([
            ("xid", .string(hex32(transaction.transactionID))),
            ("displayFilter", .optional(displayFilter?.text)),
            (
                "requestedOptions",
                transaction.parameterRequestList.map { .array($0.map { .int(Int($0.rawValue)) }) } ?? .null
            ),
            ("requestedBootOptions", .array(transaction.requestedBootOptions.map { .int(Int($0.rawValue)) })),
            ("messages", .array(transaction.messages.map { self.message($0, start: start) })),
        ])
    }

    static func message(_ message: DHCPTransaction.Message, start: Int64) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("frame", .int(message.frame)),
            ("relativeTime", .string(TimeFormat.relative(nanoseconds: message.timestamp - start))),
            ("type", .string(message.type?.description ?? "BOOTP")),
            ("server", .optional(message.server?.description)),
            (
                "yiaddr",
                message.fromClient || message.yourAddress == .any ? .null : .string(message.yourAddress.description)
            ),
            ("option160", .optional(message.option160.map { BootServerString.masking($0) })),
            ("option66", .optional(message.option66.map { BootServerString.masking($0) })),
            ("option150", message.option150.map { .array($0.map { .string($0.description) }) } ?? .null),
            ("option67", .optional(message.option67)),
        ]
        if !message.vlans.isEmpty { members.append(("vlans", .array(message.vlans.ids.map { .int(Int($0)) }))) }
        if !message.vlanDiscovery.isEmpty {
            members.append(("vlanDiscovery", self.vlanDiscovery(message.vlanDiscovery)))
        }
        return .object(members)
    }

    /// `VLAN-A=` options as read (`vlanDiscovery`): each option with its VLAN IDs, or what is
    /// wrong with it and where.
    static func vlanDiscovery(_ entries: [VLANDiscoveryLookup.Entry]) -> JSONValue {
        .array(
            entries.map { entry in
                switch entry.result {
                case .success(let value):
                    .object([
                        ("option", .int(Int(entry.option.rawValue))),
                        ("vlanIDs", .array(value.vlanIDs.map { .int(Int($0)) })),
                    ])
                case .failure(let error):
                    .object([
                        ("option", .int(Int(entry.option.rawValue))), ("error", .string(error.detail)),
                        ("offset", .int(error.offset)),
                    ])
                }
            })
    }

    static func bootServer(_ server: BootServer) -> JSONValue {
        .object([
            ("value", .string(server.string.masked)),
            ("option", .int(Int(server.option.rawValue))),
            ("optionName", .string(server.option.name)),
            ("frame", .int(server.frame)),
            ("dhcpServer", .optional(server.dhcpServer?.description)),
            ("url", self.url(server.string)),
            ("problem", .optional(server.problem)),
        ])
    }

    static func url(_ string: BootServerString) -> JSONValue {
        .object([
            ("scheme", .optional(string.scheme)),
            ("user", .optional(string.user)),
            ("password", string.hasPassword ? .string("***") : .null),
            ("host", .string(string.host)),
            ("port", string.port.map { .int($0) } ?? .null),
            ("path", .string(string.path)),
        ])
    }

    /// One fetch. `frameMap`: the capture was read from several files, and `firstFileFrame`
    /// and `lastFileFrame` say which file's frames its first and last are. `conversations`
    /// (transport, client, clientPort, server, serverPorts; a port not known is absent) carry
    /// its frames from `firstFrame` to `lastFrame`, which `displayFilter` shows (the fetch's
    /// ``DisplayFilter/fetch(_:)``, when given; never with a `frameMap`).
    static func fetch(_ fetch: Fetch, frameMap: CaptureFrameMap? = nil, displayFilter: DisplayFilter?) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("protocol", .string(fetch.fetchProtocol.rawValue)),
            ("server", .string(fetch.server.description)),
            (
                "serverPort",
                fetch.fetchProtocol.transport == .udp ? .null : fetch.serverPort.map { .int(Int($0)) } ?? .null
            ),
            ("serverName", .optional(fetch.serverName)),
            ("user", .optional(fetch.user)),
            ("file", .string(fetch.file)),
            ("direction", .string(fetch.direction.rawValue)),
            ("result", .string(fetch.result.rawValue)),
            ("stage", .optional(fetch.stage?.rawValue)),
            ("cutByCaptureEnd", fetch.isCutByCaptureEnd ? .bool(true) : .null),
            ("bytes", .int(fetch.bytes)),
            ("sizeCheck", fetch.sizeCheck.map { .object([("size", $0.size.map { .int($0) } ?? .null)]) } ?? .null),
            ("blockSize", fetch.blockSize.map { .int($0) } ?? .null),
            ("firstFrame", .int(fetch.firstFrame)),
            ("lastFrame", .int(fetch.lastFrame)),
            ("requestFrames", .array(fetch.requestFrames.map { .int($0) })),
            ("conversations", .array(fetch.conversations.map(self.conversation))),
            ("displayFilter", frameMap == nil ? .optional(displayFilter?.text) : .null),
            ("statusCode", fetch.statusCode.map { .int($0) } ?? .null),
            ("errorCode", fetch.errorCode.map { .int(Int($0)) } ?? .null),
            ("errorMessage", .optional(fetch.errorMessage)),
            ("duplicateBlocks", fetch.duplicateBlocks > 0 ? .int(fetch.duplicateBlocks) : .null),
            ("missingBlocks", fetch.missingBlocks > 0 ? .int(fetch.missingBlocks) : .null),
            ("userAgent", .optional(fetch.userAgent)),
        ]
        if let frameMap {
            members += [
                ("firstFileFrame", self.origin(fetch.firstFrame, frameMap)),
                ("lastFileFrame", self.origin(fetch.lastFrame, frameMap)),
            ]
        }
        return .object(members)
    }

    /// One conversation of a fetch (see ``FetchConversation``).
    static func conversation(_ conversation: FetchConversation) -> JSONValue {
        .object([
            ("transport", .string(conversation.transport == .udp ? "udp" : "tcp")),
            ("client", .string(conversation.client.description)),
            ("clientPort", conversation.clientPort.map { .int(Int($0)) } ?? .null),
            ("server", .string(conversation.server.description)),
            ("serverPorts", .array(conversation.serverPorts.map { .int(Int($0)) })),
        ])
    }

    /// One finding. `frameMap`: the capture was read from several files, and `fileFrames`
    /// says which file's frame each of `frames` is; `displayFilter` (`frame.number in {…}`)
    /// is there only without it.
    /// One finding; `recipe`: the configuration change for the server it is about, when the
    /// report can tell which implementation that is (``FixRecipe/recipe(for:in:)``).
    static func finding(
        _ finding: Finding, frameMap: CaptureFrameMap? = nil, displayFilter: Bool = true, recipe: FixRecipe? = nil
    ) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("code", .string(finding.code.rawValue)),
            ("severity", .string(finding.severity.description)),
            ("message", .string(finding.message)),
            ("hint", .string(finding.hint)),
            ("frames", .array(finding.frames.map { .int($0) })),
        ]
        if let recipe { members.append(("recipe", self.recipe(recipe))) }
        if displayFilter, frameMap == nil, let filter = DisplayFilter.finding(finding) {
            members.append(("displayFilter", .string(filter.text)))
        }
        if let frameMap {
            members.append(("fileFrames", .array(finding.frames.map { self.origin($0, frameMap) })))
        }
        return .object(members)
    }

    /// A fix recipe: the server it is written for, what it does, and the lines to apply.
    static func recipe(_ recipe: FixRecipe) -> JSONValue {
        .object([
            ("server", .string(recipe.server.rawValue)),
            ("summary", .string(recipe.summary)),
            ("lines", .array(recipe.lines.map { .string($0) })),
        ])
    }

    static func malformed(_ packet: MalformedPacket) -> JSONValue {
        .object([
            ("frame", .int(packet.frame)),
            ("protocol", .string(packet.protocolName.rawValue)),
            ("source", .string(packet.source.description)),
            ("destination", .string(packet.destination.description)),
            ("error", .string(packet.error.description)),
            ("capturedLength", packet.snapped.map { .int($0.captured) } ?? .null),
            ("originalLength", packet.snapped.map { .int($0.original) } ?? .null),
        ])
    }

    /// One event as an NDJSON line's value. `displayFilters`: a finding carries its
    /// `displayFilter` (not in a capture read from several files: see ``phone(_:start:frameMap:)``).
    static func event(_ event: BootEvent, file: String, displayFilters: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = [("file", .string(file)), ("frame", .int(event.frame))]
        switch event {
        case .phoneSeen(let mac, _):
            members += [("event", .string("phone-seen")), ("mac", .string(mac.description))]
        case .dhcp(let mac, let xid, let message):
            members += [("event", .string("dhcp")), ("mac", .string(mac.description)), ("xid", .string(hex32(xid)))]
            if case .object(let fields) = self.message(message, start: 0) {
                members += fields.filter { $0.0 != "frame" && $0.0 != "relativeTime" }
            }
        case .bootServer(let mac, let server):
            members += [
                ("event", .string("boot-server")), ("mac", .string(mac.description)),
                ("bootServer", self.bootServer(server)),
            ]
        case .fetchStarted(let mac, let fetchProtocol, let server, let file, _):
            members += [
                ("event", .string("fetch-started")), ("mac", .string(mac.description)),
                ("protocol", .string(fetchProtocol.rawValue)),
                ("server", .string(server.description)), ("fileName", .string(file)),
            ]
        case .fetchFinished(let mac, let fetch):
            members += [
                ("event", .string("fetch-finished")), ("mac", .string(mac.description)),
                ("fetch", self.fetch(fetch, displayFilter: displayFilters ? DisplayFilter.fetch(fetch) : nil)),
            ]
        case .plan(let mac, let plan):
            members += [("event", .string("plan")), ("mac", .string(mac.description)), ("plan", self.plan(plan))]
        case .finding(let mac, let finding):
            members += [
                ("event", .string("finding")), ("mac", .string(mac.description)),
                ("finding", self.finding(finding, frameMap: nil, displayFilter: displayFilters)),
            ]
        case .malformed(let packet):
            members += [("event", .string("malformed-packet")), ("packet", self.malformed(packet))]
        }
        return .object(members)
    }
}

/// `0x0000abcd`.
func hex32(_ value: UInt32) -> String {
    "0x" + hexString(value)
}
