import BootProxy
import WireFormats

/// One line of the proxy's log: when, who, which message, what was done and why.
struct ProxyLogLine {
    let decision: ProxyDecision
    let dryRun: Bool

    func render(_ format: ProxyCommand.LogFormat) -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let time = TimeFormat.iso8601(seconds: Int64(now.tv_sec), nanoseconds: UInt32(truncatingIfNeeded: now.tv_nsec))
        let sent: Bool = if case .send = self.decision.action { true } else { false }
        switch format {
        case .json:
            return JSONValue.object([
                ("time", .string(time)),
                ("client", .optional(self.decision.client?.description)),
                ("message", .string(self.decision.messageType)),
                ("action", .string(sent ? (self.dryRun ? "would-send" : "sent") : "dropped")),
                ("verdict", .string(self.decision.verdict)),
                ("injected", .array(self.decision.injected.map { .int(Int($0.rawValue)) })),
            ]).text
        case .text:
            let who = self.decision.client?.description ?? "-"
            return "\(time)  \(who)  \(self.decision.messageType)  \(self.dryRun && sent ? "[dry run] " : "")\(self.decision.verdict)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
