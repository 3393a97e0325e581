import BootAnalysis
import PacketCapture
import WireFormats

/// The report for a terminal: one row per phone, then each phone's story and findings.
struct ReportTable {
    /// ANSI colours, or none.
    struct Palette {
        let enabled: Bool
        func paint(_ text: String, _ code: String) -> String { self.enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func bold(_ text: String) -> String { self.paint(text, "1") }
        func severity(_ severity: Finding.Severity?, _ text: String) -> String {
            switch severity {
            case .error?: self.paint(text, "1;31")
            case .warning?: self.paint(text, "33")
            case .info?: self.paint(text, "36")
            case nil: self.paint(text, "32")
            }
        }
    }

    let palette: Palette
    /// `--filters`: each phone, DHCP exchange, fetch and finding with its display filter.
    var filters = false

    func render(path: String, report: BootReport, summary: CaptureSummary) -> String {
        var lines: [String] = []
        let phones = report.phones.count
        let counters = summary.counters
        let name = summary.frameMap.map(Self.captureName) ?? path
        var head =
            "\(name): \(counters.frames) frames (\(counters.dhcp) DHCP, \(counters.tftp) TFTP), \(phones) phone\(phones == 1 ? "" : "s"), \(report.count(.error)) error\(report.count(.error) == 1 ? "" : "s"), "
            + "\(report.count(.warning)) warning\(report.count(.warning) == 1 ? "" : "s"), \(report.count(.info)) info"
        if report.otherDevices > 0 {
            // Those not kept are not listed even with --all-devices.
            let listable = report.otherDevices > report.otherDevicesNotKept
            head +=
                " (\(report.otherDevices) other DHCP client\(report.otherDevices == 1 ? "" : "s") not shown\(listable ? "; --all-devices" : ""))"
        }
        for damage in summary.damage {
            head += "; " + Self.damageText(damage)
        }
        lines.append(self.palette.bold(head))
        if let map = summary.frameMap { lines += Self.fileLines(map, inputs: summary.inputs) }
        if self.filters, summary.frameMap != nil {
            lines.append(
                "  no display filters: frame numbers are the merged capture's, no file's (--separate gives each file's)"
            )
        }
        if report.reachedOtherDeviceLimit {
            lines.append(
                self.palette.severity(
                    .warning,
                    "  \(Self.grouped(report.otherDevicesSeen)) non-phone DHCP clients seen; \(Self.grouped(report.otherDevicesNotKept)) not kept "
                        + "(bound \(Self.grouped(report.otherDeviceLimit))): counted, not listed, even with --all-devices"
                ))
        }
        if !summary.damage.isEmpty {
            lines.append(
                self.palette.severity(
                    .warning,
                    "  damaged capture: what lies in a skipped span is missing from this report; frames after a skip are numbered by the records read"
                ))
        }
        if let statistics = summary.statistics {
            let text =
                "capture: \(statistics.received) packets received by the filter, \(statistics.droppedByKernel) dropped by the kernel, "
                + "\(statistics.droppedByInterface) dropped by the interface"
            lines.append(
                statistics.lostPackets
                    ? self.palette.severity(
                        .warning,
                        text
                            + " (packets were lost: the report may miss fetches; narrow --filter or capture to a file with tcpdump)"
                    )
                    : text)
        }
        if !report.captureLoss.isEmpty {
            lines.append(
                self.palette.severity(
                    .warning,
                    "  capture loss: the capture itself missed frames (\(report.captureLoss)); "
                        + "findings that missing frames could explain say so"
                ))
        }
        if phones == 0 {
            lines.append(
                "  no phone seen: no DHCP client with a Polycom MAC or vendor class, no request for 66/150/160, no provisioning fetch"
            )
        } else {
            lines.append("")
            lines += self.overview(report.phones)
            for phone in report.phones {
                lines.append("")
                lines += self.details(phone, start: summary.firstTimestamp ?? 0, frameMap: summary.frameMap)
            }
        }
        if !report.announcements.isEmpty {
            lines.append("")
            lines.append("LLDP/CDP announcements:")
            for announcement in report.announcements {
                let sender = announcement.sourceMAC.map { "\($0) " } ?? ""
                lines.append(
                    "  \(announcement.protocolName) \(announcement.side.rawValue) \(sender)"
                        + Self.announcementText(announcement, summary.frameMap))
            }
            if report.announcementsNotListed > 0 {
                lines.append("  and \(report.announcementsNotListed) more, counted and not listed")
            }
        }
        if !report.malformed.isEmpty {
            lines.append("")
            lines.append("malformed DHCP/TFTP packets:")
            for packet in report.malformed {
                lines.append(
                    "  \(Self.frameText(packet.frame, summary.frameMap)) \(packet.protocolName.rawValue) \(packet.source) > \(packet.destination): \(packet.reason)"
                )
            }
            if report.malformedNotListed > 0 {
                lines.append(
                    "  and \(report.malformedNotListed) more, counted and not listed (only the first \(report.malformed.count) are)"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `damaged record at byte X: skipped N bytes, resumed at byte Y (frame K)`.
    static func damageText(_ damage: CaptureDamage) -> String {
        let bytes = "\(damage.skippedBytes) byte\(damage.skippedBytes == 1 ? "" : "s")"
        guard let resumedAt = damage.resumedAt else {
            return "damaged record at byte \(damage.offset): the last \(bytes) unreadable"
        }
        return "damaged record at byte \(damage.offset): skipped \(bytes), resumed at byte \(resumedAt)"
            + (damage.resumedAtFrame.map { " (frame \($0))" } ?? "")
    }

    // MARK: - Overview

    private func overview(_ phones: [PhoneRecord]) -> [String] {
        let header = ["PHONE", "MODEL", "ADDRESS", "VLAN", "BOOT SERVER", "FETCHES", "VERDICT"]
        var rows: [[String]] = []
        var verdicts: [Finding.Severity?] = []
        for phone in phones {
            let boot = phone.bootServer.map { "\($0.string.shown) (\($0.option))" } ?? "-"
            let ok = phone.fetches.filter { $0.result == .ok }.count
            let failed = phone.fetches.count - ok
            let fetches = phone.fetches.isEmpty ? "none" : "\(ok) ok" + (failed > 0 ? ", \(failed) failed" : "")
            rows.append([
                phone.mac.description, phone.model ?? "?", phone.addresses.last?.description ?? "-",
                phone.vlans.isEmpty ? "-" : phone.vlans.map(String.init).joined(separator: ","), boot, fetches,
                phone.verdict?.description ?? "ok",
            ])
            verdicts.append(phone.verdict)
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String], verdict: Finding.Severity??) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let padded =
                    index == cells.count - 1
                    ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
                if index == cells.count - 1, let verdict {
                    text += self.palette.severity(verdict, padded)
                } else {
                    text += padded
                }
            }
            return text
        }
        return [self.palette.bold(line(header, verdict: nil))]
            + zip(rows, verdicts).map { line($0, verdict: .some($1)) }
    }

    // MARK: - Details

    /// A phone's story. `frameMap`: the capture was read from several files, and a fetch's or a
    /// finding's frames also name the file and that file's own frame.
    func details(_ phone: PhoneRecord, start: Int64, frameMap: CaptureFrameMap?) -> [String] {
        var lines: [String] = []
        var identity = [phone.vendor, phone.model, phone.partNumber].compactMap { $0 }.joined(separator: " ")
        if let source = phone.modelSource { identity += " (from \(source))" }
        lines.append(self.palette.bold(phone.mac.description) + (identity.isEmpty ? "" : "  \(identity)"))
        if let filter = self.filter(DisplayFilter.phone(phone), frameMap, indent: "  ") { lines.append(filter) }
        if let version = phone.applicationVersion {
            lines.append("  firmware  \(version)" + (phone.bootROMVersion.map { ", \($0)" } ?? ""))
        }
        if let vendorClass = phone.vendorClass, phone.partNumber == nil || phone.modelSource != .option60 {
            lines.append("  option 60 \"\(vendorClass)\"")
        }
        for transaction in phone.transactions {
            let steps = transaction.messages.map { message -> String in
                var step = "\(message.type?.description ?? "BOOTP") #\(message.frame)"
                if let server = message.server { step += " (\(server))" }
                return step
            }
            var line = "  dhcp  xid \(hex32(transaction.transactionID))  " + steps.joined(separator: " > ")
            if !transaction.requestedBootOptions.isEmpty {
                line += "  asked for " + transaction.requestedBootOptions.map(\.description).joined(separator: ",")
            } else if transaction.parameterRequestList != nil {
                line += "  asked for no boot option"
            }
            line += Self.vlanText(transaction)
            lines.append(line)
            if let filter = self.filter(DisplayFilter.transaction(transaction, mac: phone.mac), frameMap) {
                lines.append(filter)
            }
        }
        for announcement in phone.switchAnnouncements {
            lines.append(
                "  \(announcement.protocolName.lowercased())  from the network  "
                    + Self.announcementText(announcement, frameMap))
        }
        for announcement in phone.advertised {
            lines.append(
                "  \(announcement.protocolName.lowercased())  advertised  "
                    + Self.announcementText(announcement, frameMap))
        }
        if let boot = phone.bootServer {
            lines.append(
                "  boot  \(boot.string.shown)  from option \(boot.option) (\(boot.option.name)) in ACK #\(boot.frame)"
                    + (boot.dhcpServer.map { " from \($0)" } ?? ""))
        }
        let fileWidth = phone.fetches.map { Self.what($0).count }.max() ?? 0
        let protocolWidth = phone.fetches.map(\.fetchProtocol.rawValue.count).max() ?? 0
        for fetch in phone.fetches {
            let result =
                if fetch.result == .ok {
                    self.palette.severity(nil, fetch.result.rawValue)
                } else if fetch.isCutByCaptureEnd {
                    self.palette.severity(.info, "\(fetch.result.rawValue) (cut by the end of the capture)")
                } else {
                    self.palette.severity(.error, fetch.result.rawValue)
                }
            let what = Self.what(fetch)
            let name = fetch.fetchProtocol.rawValue
            var line =
                "  \(name)" + String(repeating: " ", count: protocolWidth - name.count) + "  \(what)"
                + String(repeating: " ", count: fileWidth - what.count) + "  from \(Self.server(fetch))  \(result)"
            if let check = fetch.sizeCheck {
                line += "  size only" + (check.size.map { ": \($0) bytes" } ?? "")
            } else if fetch.bytes > 0 || (fetch.result == .ok && fetch.fetchProtocol != .https) {
                line += "  \(fetch.bytes) bytes"
            }
            if let size = fetch.blockSize, fetch.bytes > 0 { line += "  blksize \(size)" }
            if let user = fetch.user { line += "  user \(user)" }
            if let code = fetch.errorCode {
                line += "  \(fetch.fetchProtocol.errorCodePrefix)\(code) \"\(fetch.errorMessage ?? "")\""
            } else if let message = fetch.errorMessage {
                line += "  \(message)"
            }
            line += "  " + Self.framesText(fetch.firstFrame, fetch.lastFrame, frameMap)
            if let stage = fetch.stage { line += "  \(stage.rawValue)" }
            lines.append(line)
            if let filter = self.filter(DisplayFilter.fetch(fetch), frameMap) { lines.append(filter) }
        }
        lines += self.planLines(phone, frameMap: frameMap)
        for finding in phone.findings {
            let label = self.palette.severity(finding.severity, finding.severity.description.uppercased())
            lines.append(
                "  \(label) \(finding.code): \(finding.message)  [frames \(finding.frames.map { Self.frameText($0, frameMap) }.joined(separator: ", "))]"
            )
            lines.append("      fix: \(finding.hint)")
            if let recipe = FixRecipe.recipe(for: finding, in: phone) {
                lines.append("      recipe for \(recipe.server) (told by its option order): \(recipe.summary)")
                lines += recipe.lines.map { "        \($0)" }
            }
            if let filter = self.filter(DisplayFilter.finding(finding), frameMap) { lines.append(filter) }
        }
        if phone.findings.isEmpty { lines.append("  " + self.palette.severity(nil, "OK") + " nothing wrong seen") }
        return lines
    }

    /// `      filter: TEXT` with `--filters`, when there is a filter and the capture is one file.
    private func filter(_ filter: DisplayFilter?, _ frameMap: CaptureFrameMap?, indent: String = "      ") -> String? {
        guard self.filters, frameMap == nil, let filter else { return nil }
        return "\(indent)filter: \(filter.text)"
    }

    /// The VLANs an exchange was seen on and the `VLAN-A=` strings its replies carried:
    /// `  on vlan 10  VLAN-A=120 (option 128 in OFFER #2)`; empty when there is neither.
    static func vlanText(_ transaction: DHCPTransaction) -> String {
        var text = ""
        var seen: [UInt16] = []
        for message in transaction.messages { if let vlan = message.vlan, !seen.contains(vlan) { seen.append(vlan) } }
        if !seen.isEmpty { text += "  on vlan " + seen.map(String.init).joined(separator: ",") }
        for message in transaction.messages where !message.vlanDiscovery.isEmpty {
            for entry in message.vlanDiscovery {
                let place = "option \(entry.option) in \(message.type?.description ?? "BOOTP") #\(message.frame)"
                switch entry.result {
                case .success(let value):
                    text += "  VLAN-A=\(value.vlanIDs.map(String.init).joined(separator: "+")) (\(place))"
                case .failure:
                    text += "  VLAN-A malformed (\(place))"
                }
            }
        }
        return text
    }

    /// One LLDP/CDP announcement on a line: who, what it says, where.
    static func announcementText(_ announcement: LinkAnnouncement, _ frameMap: CaptureFrameMap?) -> String {
        var parts: [String] = []
        if let name = announcement.name { parts.append("\"\(name)\"") }
        if let port = announcement.port { parts.append("port \(port)") }
        if let model = announcement.model { parts.append("model \(model)") }
        if let description = announcement.systemDescription { parts.append("\"\(description)\"") }
        if let firmware = announcement.firmware {
            parts.append("firmware \(firmware.split(whereSeparator: \.isNewline).first.map(String.init) ?? firmware)")
        }
        if let serial = announcement.serialNumber { parts.append("serial \(serial)") }
        if let vlan = announcement.voiceVLAN {
            var voice = "voice vlan \(vlan)"
            if let tagged = announcement.voiceTagged { voice += tagged ? " tagged" : " untagged" }
            if let priority = announcement.voicePriority { voice += " priority \(priority)" }
            if let dscp = announcement.voiceDSCP { voice += " dscp \(dscp)" }
            parts.append(voice)
        }
        if let vlan = announcement.signalingVLAN { parts.append("signaling vlan \(vlan)") }
        if let vlan = announcement.nativeVLAN { parts.append("native vlan \(vlan)") }
        if !announcement.vlans.isEmpty { parts.append("seen on vlan \(announcement.vlans)") }
        if let tunnel = announcement.tunnel { parts.append("in \(tunnel)") }
        var frames = Self.framesText(announcement.firstFrame, announcement.lastFrame, frameMap)
        if announcement.count > 1 { frames += " (\(announcement.count) frames)" }
        parts.append(frames)
        return parts.joined(separator: "  ")
    }

    /// What a fetch asked for: `get FILE`, `put FILE`, `login` (FTP with no file), `connect`
    /// (a connection never answered), `tls NAME` (HTTPS).
    static func what(_ fetch: Fetch) -> String {
        if fetch.fetchProtocol == .https { return "tls \(fetch.serverName ?? "(no SNI)")" }
        if fetch.file.isEmpty { return fetch.result == .loginFailed ? "login" : "connect" }
        return "\(fetch.direction == .upload ? "put" : "get") \(fetch.file)"
    }

    /// `1,000,000`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }

    /// The server, with its port when it is not the protocol's usual one (a TFTP server's
    /// port is the transfer's own, never shown).
    static func server(_ fetch: Fetch) -> String {
        guard fetch.fetchProtocol.transport == .tcp, let port = fetch.serverPort,
            port != fetch.fetchProtocol.defaultPort
        else { return fetch.server.description }
        return "\(fetch.server):\(port)"
    }
}
