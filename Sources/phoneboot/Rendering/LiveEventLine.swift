import BootAnalysis
import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// One line of `phoneboot watch` on a terminal: the local time, the frame, the phone and what
/// happened.
struct LiveEventLine {
    let palette: ReportTable.Palette

    /// `at`: the capture time of the packet that caused the event (nanoseconds since the
    /// epoch), or `nil` for what is only known when the capture ends.
    func render(_ event: BootEvent, at time: Int64?) -> String {
        let clock = time.map(Self.localTime) ?? "--:--:--.---"
        let prefix = "\(clock)  #\(event.frame)"
        switch event {
        case .phoneSeen(let mac, _):
            return "\(prefix)  \(mac)  \(self.palette.bold("phone seen"))"
        case .dhcp(let mac, let xid, let message):
            var text = "\(prefix)  \(mac)  DHCP \(message.type?.description ?? "BOOTP") xid \(hex32(xid))"
            if let server = message.server { text += " \(message.fromClient ? "to" : "from") \(server)" }
            if message.yourAddress != .any { text += " address \(message.yourAddress)" }
            return text
        case .bootServer(let mac, let server):
            return "\(prefix)  \(mac)  boot server \(self.palette.bold(server.string.shown)) (option \(server.option))"
        case .fetchStarted(let mac, let fetchProtocol, let server, let file, _):
            return "\(prefix)  \(mac)  \(fetchProtocol) \(file.isEmpty ? "connection" : "request \(file)") to \(server)"
        case .fetchFinished(let mac, let fetch):
            let result = self.palette.severity(fetch.result == .ok ? nil : .error, fetch.result.rawValue)
            var text =
                "\(prefix)  \(mac)  \(fetch.fetchProtocol) \(ReportTable.what(fetch)) from \(ReportTable.server(fetch)): \(result)"
            if fetch.bytes > 0 { text += ", \(fetch.bytes) bytes" }
            if let message = fetch.errorMessage {
                let code = fetch.errorCode.map { fetch.fetchProtocol == .tftp ? "error \($0): " : "\($0) " } ?? ""
                text += " (\(code)\(message))"
            }
            return text
        case .plan(let mac, let plan):
            let done = plan.entries.filter { $0.lastAttempt?.result == .ok }.count
            let never = plan.entries.filter { $0.lastAttempt == nil }.count
            let failed = plan.entries.count - done - never
            return
                "\(prefix)  \(mac)  plan from \(plan.master.file): \(plan.entries.count) file\(plan.entries.count == 1 ? "" : "s"), "
                + "\(done) ok, \(failed) failed, \(never) never requested"
        case .finding(let mac, let finding):
            let label = self.palette.severity(finding.severity, finding.severity.description.uppercased())
            return "\(prefix)  \(mac)  \(label) \(finding.code.rawValue): \(finding.message)"
        case .malformed(let packet):
            return
                "\(prefix)  \(packet.source) > \(packet.destination)  \(packet.protocolName.rawValue) malformed: \(packet.reason)"
        }
    }

    /// `14:03:27.125` in the machine's time zone.
    private static func localTime(_ nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "??:??:??" }
        let millis = Int(nanoseconds / 1_000_000 % 1000)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(millis)
        return
            "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
