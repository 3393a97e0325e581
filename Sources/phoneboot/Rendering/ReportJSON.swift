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
        JSONWriter.value { json in
            json.openArray()
            for announcement in report.announcements { self.write(announcement, to: &json) }
            if report.announcementsNotListed > 0 {
                json.openObject()
                json.member("notListed", report.announcementsNotListed)
                json.closeObject()
            }
            json.closeArray()
        }
    }

    private static func write(_ announcement: LinkAnnouncement, to json: inout JSONWriter) {
        json.openObject()
        json.member("protocol", announcement.protocolName)
        json.member("side", plain: announcement.side.rawValue)
        json.member("sourceMAC", announcement.sourceMAC)
        if !announcement.vlans.isEmpty { json.numbers("vlans", announcement.vlans.ids) }
        json.member("name", announcement.name)
        json.member("port", announcement.port)
        json.member("systemDescription", announcement.systemDescription)
        json.member("firmware", announcement.firmware)
        json.member("manufacturer", announcement.manufacturer)
        json.member("model", announcement.model)
        json.member("serialNumber", announcement.serialNumber)
        json.member("voiceVLAN", announcement.voiceVLAN.map { Int($0) })
        json.member("voiceTagged", announcement.voiceTagged)
        json.member("voicePriority", announcement.voicePriority.map { Int($0) })
        json.member("voiceDSCP", announcement.voiceDSCP.map { Int($0) })
        json.member("signalingVLAN", announcement.signalingVLAN.map { Int($0) })
        json.member("nativeVLAN", announcement.nativeVLAN.map { Int($0) })
        json.member("tunnel", announcement.tunnel?.description)
        json.member("firstFrame", announcement.firstFrame)
        json.member("lastFrame", announcement.lastFrame)
        json.member("frames", announcement.count)
        json.closeObject()
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
                        JSONWriter.write(into: &bytes) {
                            self.write(phones[index], start: start, frameMap: frameMap, to: &$0)
                        }
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
        JSONWriter.value { self.write(phone, start: start, frameMap: frameMap, to: &$0) }
    }

    /// Writes ``phone(_:start:frameMap:)``'s text.
    static func write(_ phone: PhoneRecord, start: Int64, frameMap: CaptureFrameMap?, to json: inout JSONWriter) {
        // Made once for the filters and the fetches' own members (a fetch makes them when asked).
        let conversations = phone.fetches.map(\.conversations)
        let filters = frameMap == nil ? DisplayFilter.filters(of: phone, conversations: conversations) : nil
        json.openObject()
        json.member("mac", phone.mac)
        json.member("vendor", phone.vendor)
        json.member("model", phone.model)
        json.member("modelSource", plain: phone.modelSource?.rawValue)
        json.member("partNumber", phone.partNumber)
        json.member("applicationVersion", phone.applicationVersion)
        json.member("bootROMVersion", phone.bootROMVersion)
        json.member("vendorClass", phone.vendorClass)
        json.array("addresses", phone.addresses) { json, address in json.value(address) }
        json.numbers("vlans", phone.vlans)
        json.member("verdict", plain: phone.verdict?.description ?? "ok")
        json.member("firstFrame", phone.firstFrame)
        json.member("lastFrame", phone.lastFrame)
        filters?.withPhoneText { json.member("displayFilter", plain: $0) }
        json.array("dhcp", phone.transactions.indices) { json, index in
            self.withTransactionText(of: filters, at: index) {
                self.write(phone.transactions[index], start: start, displayFilter: $0, to: &json)
            }
        }
        if let server = phone.bootServer {
            json.key("bootServer")
            self.write(server, to: &json)
        }
        json.array("fetches", phone.fetches.indices) { json, index in
            self.withFetchText(of: filters, at: index) {
                self.write(
                    phone.fetches[index], conversations: conversations[index], frameMap: frameMap, displayFilter: $0,
                    to: &json)
            }
        }
        if !phone.masterConfigs.isEmpty {
            json.key("masterConfigs")
            self.write(phone.masterConfigs, to: &json)
        }
        if let plan = phone.plan {
            json.key("plan")
            self.write(plan, to: &json)
        }
        json.array("findings", phone.findings) { json, finding in
            json.openObject()
            self.writeMembers(
                of: finding, frameMap: frameMap, displayFilter: true, recipe: FixRecipe.recipe(for: finding, in: phone),
                to: &json)
            json.closeObject()
        }
        // LLDP/CDP, present only when the capture has some (reports without stay as they were).
        if !phone.advertised.isEmpty {
            json.array("advertised", phone.advertised) { json, announcement in self.write(announcement, to: &json) }
        }
        if !phone.switchAnnouncements.isEmpty {
            json.array("networkAnnouncements", phone.switchAnnouncements) { json, announcement in
                self.write(announcement, to: &json)
            }
        }
        json.closeObject()
    }

    /// One DHCP exchange, with its `displayFilter` when given.
    static func transaction(_ transaction: DHCPTransaction, start: Int64, displayFilter: DisplayFilter? = nil)
        -> JSONValue
    {
        JSONWriter.value { json in
            self.withText(of: displayFilter) { self.write(transaction, start: start, displayFilter: $0, to: &json) }
        }
    }

    private static func write(
        _ transaction: DHCPTransaction, start: Int64, displayFilter: UnsafeBufferPointer<UInt8>?,
        to json: inout JSONWriter
    ) {
        json.openObject()
        json.member("xid", room: 10) { out in
            out.append("0x")
            appendHex(transaction.transactionID, to: &out)
        }
        json.member("displayFilter", plain: displayFilter)
        if let requested = transaction.parameterRequestList {
            json.array("requestedOptions", requested) { json, code in json.value(Int(code.rawValue)) }
        }
        json.array("requestedBootOptions", transaction.requestedBootOptions) { json, code in
            json.value(Int(code.rawValue))
        }
        json.array("messages", transaction.messages.indices) { json, index in
            json.openObject()
            self.writeMembers(of: transaction.messages[index], start: start, to: &json)
            json.closeObject()
        }
        json.closeObject()
    }

    static func message(_ message: DHCPTransaction.Message, start: Int64) -> JSONValue {
        JSONWriter.value { json in
            json.openObject()
            self.writeMembers(of: message, start: start, to: &json)
            json.closeObject()
        }
    }

    /// A DHCP message's members; with no `start`, without its `frame` and `relativeTime` (an
    /// event says its frame itself).
    private static func writeMembers(of message: DHCPTransaction.Message, start: Int64?, to json: inout JSONWriter) {
        if let start {
            json.member("frame", message.frame)
            json.member("relativeTime", room: TimeFormat.relativeWidth) {
                TimeFormat.appendRelative(nanoseconds: message.timestamp - start, to: &$0)
            }
        }
        json.member("type", plain: message.type?.description ?? "BOOTP")
        json.member("server", message.server)
        if !message.fromClient, message.yourAddress != .any { json.member("yiaddr", message.yourAddress) }
        json.member("option160", message.option160.map { BootServerString.masking($0) })
        json.member("option66", message.option66.map { BootServerString.masking($0) })
        if let addresses = message.option150 {
            json.array("option150", addresses) { json, address in json.value(address) }
        }
        json.member("option67", message.option67)
        if !message.vlans.isEmpty { json.numbers("vlans", message.vlans.ids) }
        if !message.vlanDiscovery.isEmpty {
            json.key("vlanDiscovery")
            self.write(message.vlanDiscovery, to: &json)
        }
    }

    /// `VLAN-A=` options as read (`vlanDiscovery`): each option with its VLAN IDs, or what is
    /// wrong with it and where.
    static func vlanDiscovery(_ entries: [VLANDiscoveryLookup.Entry]) -> JSONValue {
        JSONWriter.value { self.write(entries, to: &$0) }
    }

    private static func write(_ entries: [VLANDiscoveryLookup.Entry], to json: inout JSONWriter) {
        json.openArray()
        for entry in entries {
            json.openObject()
            json.member("option", Int(entry.option.rawValue))
            switch entry.result {
            case .success(let value):
                json.numbers("vlanIDs", value.vlanIDs)
            case .failure(let error):
                json.member("error", error.detail)
                json.member("offset", error.offset)
            }
            json.closeObject()
        }
        json.closeArray()
    }

    static func bootServer(_ server: BootServer) -> JSONValue {
        JSONWriter.value { self.write(server, to: &$0) }
    }

    private static func write(_ server: BootServer, to json: inout JSONWriter) {
        json.openObject()
        json.member("value", server.string.masked)
        json.member("option", Int(server.option.rawValue))
        json.member("optionName", server.option.name)
        json.member("frame", server.frame)
        json.member("dhcpServer", server.dhcpServer)
        json.object("url") { json in
            let string = server.string
            json.member("scheme", string.scheme)
            json.member("user", string.user)
            if string.hasPassword { json.member("password", "***") }
            json.member("host", string.host)
            json.member("port", string.port)
            json.member("path", string.path)
        }
        json.member("problem", server.problem)
        json.closeObject()
    }

    /// One fetch. `frameMap`: the capture was read from several files, and `firstFileFrame`
    /// and `lastFileFrame` say which file's frames its first and last are. `conversations`
    /// (transport, client, clientPort, server, serverPorts; a port not known is absent) carry
    /// its frames from `firstFrame` to `lastFrame`, which `displayFilter` shows (the fetch's
    /// ``DisplayFilter/fetch(_:)``, when given; never with a `frameMap`).
    static func fetch(_ fetch: Fetch, frameMap: CaptureFrameMap? = nil, displayFilter: DisplayFilter?) -> JSONValue {
        JSONWriter.value { json in
            self.withText(of: displayFilter) {
                self.write(fetch, conversations: fetch.conversations, frameMap: frameMap, displayFilter: $0, to: &json)
            }
        }
    }

    private static func write(
        _ fetch: Fetch, conversations: [FetchConversation], frameMap: CaptureFrameMap?,
        displayFilter: UnsafeBufferPointer<UInt8>?, to json: inout JSONWriter
    ) {
        json.openObject()
        json.member("protocol", plain: fetch.fetchProtocol.rawValue)
        json.member("server", fetch.server)
        if fetch.fetchProtocol.transport != .udp { json.member("serverPort", fetch.serverPort.map { Int($0) }) }
        json.member("serverName", fetch.serverName)
        json.member("user", fetch.user)
        json.member("file", fetch.file)
        json.member("direction", plain: fetch.direction.rawValue)
        json.member("result", plain: fetch.result.rawValue)
        json.member("stage", plain: fetch.stage?.rawValue)
        if fetch.isCutByCaptureEnd { json.member("cutByCaptureEnd", true) }
        json.member("bytes", fetch.bytes)
        if let check = fetch.sizeCheck { json.object("sizeCheck") { json in json.member("size", check.size) } }
        json.member("blockSize", fetch.blockSize)
        json.member("firstFrame", fetch.firstFrame)
        json.member("lastFrame", fetch.lastFrame)
        json.numbers("requestFrames", fetch.requestFrames)
        json.array("conversations", conversations) { json, conversation in
            json.openObject()
            json.member("transport", conversation.transport == .udp ? "udp" : "tcp")
            json.member("client", conversation.client)
            json.member("clientPort", conversation.clientPort.map { Int($0) })
            json.member("server", conversation.server)
            json.numbers("serverPorts", conversation.serverPorts)
            json.closeObject()
        }
        if frameMap == nil { json.member("displayFilter", plain: displayFilter) }
        json.member("statusCode", fetch.statusCode)
        json.member("errorCode", fetch.errorCode.map { Int($0) })
        json.member("errorMessage", fetch.errorMessage)
        if fetch.duplicateBlocks > 0 { json.member("duplicateBlocks", fetch.duplicateBlocks) }
        if fetch.missingBlocks > 0 { json.member("missingBlocks", fetch.missingBlocks) }
        json.member("userAgent", fetch.userAgent)
        if let frameMap {
            json.member("firstFileFrame", self.origin(fetch.firstFrame, frameMap))
            json.member("lastFileFrame", self.origin(fetch.lastFrame, frameMap))
        }
        json.closeObject()
    }

    /// One finding. `frameMap`: the capture was read from several files, and `fileFrames`
    /// says which file's frame each of `frames` is; `displayFilter` (`frame.number in {…}`)
    /// is there only without it. `recipe`: the configuration change for the server it is
    /// about, when the report can tell which implementation that is
    /// (``FixRecipe/recipe(for:in:)``).
    static func finding(
        _ finding: Finding, frameMap: CaptureFrameMap? = nil, displayFilter: Bool = true, recipe: FixRecipe? = nil
    ) -> JSONValue {
        JSONWriter.value { json in
            json.openObject()
            self.writeMembers(of: finding, frameMap: frameMap, displayFilter: displayFilter, recipe: recipe, to: &json)
            json.closeObject()
        }
    }

    /// ``finding(_:frameMap:displayFilter:recipe:)``'s members, into an object already open.
    static func writeMembers(
        of finding: Finding, frameMap: CaptureFrameMap? = nil, displayFilter: Bool = true, recipe: FixRecipe? = nil,
        to json: inout JSONWriter
    ) {
        json.member("code", plain: finding.code.rawValue)
        json.member("severity", plain: finding.severity.description)
        json.member("message", finding.message)
        json.member("hint", finding.hint)
        json.numbers("frames", finding.frames)
        if let recipe {
            json.key("recipe")
            self.write(recipe, to: &json)
        }
        if displayFilter, frameMap == nil, let filter = DisplayFilter.finding(finding) {
            json.member("displayFilter", filter.text)
        }
        if let frameMap {
            json.array("fileFrames", finding.frames) { json, frame in json.value(self.origin(frame, frameMap)) }
        }
    }

    /// A fix recipe: the server it is written for, what it does, and the lines to apply.
    static func recipe(_ recipe: FixRecipe) -> JSONValue {
        JSONWriter.value { self.write(recipe, to: &$0) }
    }

    private static func write(_ recipe: FixRecipe, to json: inout JSONWriter) {
        json.openObject()
        json.member("server", plain: recipe.server.rawValue)
        json.member("summary", recipe.summary)
        json.array("lines", recipe.lines) { json, line in json.value(line) }
        json.closeObject()
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
        JSONWriter.value { json in
            json.openObject()
            json.member("file", file)
            json.member("frame", event.frame)
            switch event {
            case .phoneSeen(let mac, _):
                json.member("event", "phone-seen")
                json.member("mac", mac)
            case .dhcp(let mac, let xid, let message):
                json.member("event", "dhcp")
                json.member("mac", mac)
                json.member("xid", hex32(xid))
                self.writeMembers(of: message, start: nil, to: &json)
            case .bootServer(let mac, let server):
                json.member("event", "boot-server")
                json.member("mac", mac)
                json.key("bootServer")
                self.write(server, to: &json)
            case .fetchStarted(let mac, let fetchProtocol, let server, let file, _):
                json.member("event", "fetch-started")
                json.member("mac", mac)
                json.member("protocol", plain: fetchProtocol.rawValue)
                json.member("server", server)
                json.member("fileName", file)
            case .fetchFinished(let mac, let fetch):
                json.member("event", "fetch-finished")
                json.member("mac", mac)
                json.key("fetch")
                self.withText(of: displayFilters ? DisplayFilter.fetch(fetch) : nil) {
                    self.write(fetch, conversations: fetch.conversations, frameMap: nil, displayFilter: $0, to: &json)
                }
            case .plan(let mac, let plan):
                json.member("event", "plan")
                json.member("mac", mac)
                json.key("plan")
                self.write(plan, to: &json)
            case .finding(let mac, let finding):
                json.member("event", "finding")
                json.member("mac", mac)
                json.object("finding") { json in
                    self.writeMembers(of: finding, frameMap: nil, displayFilter: displayFilters, to: &json)
                }
            case .malformed(let packet):
                json.member("event", "malformed-packet")
                json.member("packet", self.malformed(packet))
            }
            json.closeObject()
        }
    }
}

extension ReportJSON {
    /// Calls `body` with the bytes of the filter of a phone's transaction `index`, `nil` without
    /// filters (a capture read from several files) or without a filter for it.
    fileprivate static func withTransactionText(
        of filters: DisplayFilter.PhoneFilters?, at index: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> Void
    ) {
        guard let filters else { return body(nil) }
        filters.withTransactionText(at: index, body)
    }

    /// Calls `body` with the bytes of the filter of a phone's fetch `index`, `nil` without
    /// filters (a capture read from several files) or without a filter for it.
    fileprivate static func withFetchText(
        of filters: DisplayFilter.PhoneFilters?, at index: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> Void
    ) {
        guard let filters else { return body(nil) }
        filters.withFetchText(at: index, body)
    }

    /// Calls `body` with the bytes of `filter`'s text, `nil` without a filter.
    fileprivate static func withText<Result>(
        of filter: DisplayFilter?, _ body: (UnsafeBufferPointer<UInt8>?) -> Result
    ) -> Result {
        guard let filter else { return body(nil) }
        return filter.text.withUTF8InPlace { body($0) }
    }
}

/// `0x0000abcd`.
func hex32(_ value: UInt32) -> String {
    "0x" + hexString(value)
}
