import BootProxy
import Dispatch
import Synchronization
import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// The proxy's log: one line per decision (when, who, which message, what was done and why),
/// as text or JSON, written to standard output in blocks every 100 ms.
///
/// Lines are formatted straight into bytes and written off the event loop, so that logging
/// every datagram costs the relay a few microseconds, not a system call each.
///
/// A flood cannot fill a disk: each second, at most ``sentLinesPerSecond`` lines for datagrams
/// sent and ``droppedLinesPerSecond`` for datagrams dropped are written one by one; the rest
/// are counted by reason and said in one summary line when the second is over.
final class ProxyLog: Sendable {
    /// Lines a second for datagrams sent (answers, relayed messages).
    static let sentLinesPerSecond = 200
    /// Lines a second for datagrams dropped (malformed, ignored, limited, refused by the kernel).
    static let droppedLinesPerSecond = 10

    private struct State {
        var pending: [UInt8] = []
        /// The RFC 3339 text of the last whole second seen, up to and including the `.`.
        var second: Int = -1
        var secondPrefix: [UInt8] = []
        /// The second the line budgets count in.
        var window: Int = -1
        var sentLines = 0
        var droppedLines = 0
        /// Decisions of this window not written one by one: sends, and drops by reason.
        var unloggedSent = 0
        var unloggedDropped = [Int](repeating: 0, count: DropReason.allCases.count)
    }

    private let format: ProxyCommand.LogFormat
    private let dryRun: Bool
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)

    init(format: ProxyCommand.LogFormat, dryRun: Bool) {
        self.format = format
        self.dryRun = dryRun
        self.scheduleFlush()
    }

    /// Flushes what is pending and stops the periodic flush.
    func stop() {
        self.stopped.store(true, ordering: .relaxed)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        self.state.withLock { state in
            state.window = -1  // the last second's summary, however short it was
            self.closeWindow(at: now, &state)
        }
        self.flush()
    }

    private func scheduleFlush() {
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { [weak self] in
            guard let self, !self.stopped.load(ordering: .relaxed) else { return }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            self.state.withLock { self.closeWindow(at: now, &$0) }
            self.flush()
            self.scheduleFlush()
        }
    }

    /// Formats one decision into the pending block, or counts it when this second's lines for
    /// its kind are used up.
    func record(_ decision: ProxyDecision) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let sent: Bool = if case .send = decision.action { true } else { false }
        let pending = self.state.withLock { state -> Int in
            self.closeWindow(at: now, &state)
            if let reason = decision.dropReason {
                guard state.droppedLines < Self.droppedLinesPerSecond else {
                    state.unloggedDropped[DropReason.allCases.firstIndex(of: reason) ?? 0] += 1
                    return 0
                }
                state.droppedLines += 1
            } else {
                guard state.sentLines < Self.sentLinesPerSecond else {
                    state.unloggedSent += 1
                    return 0
                }
                state.sentLines += 1
            }
            // Appended in place: the block is moved out of the state and back, not copied.
            var line = state.pending
            state.pending = []
            self.appendTimestamp(now, &state, to: &line)
            switch self.format {
            case .text:
                line.append(contentsOf: "  ".utf8)
                if let client = decision.client {
                    client.appendDescription(to: &line)
                } else {
                    line.append(UInt8(ascii: "-"))
                }
                line.append(contentsOf: "  ".utf8)
                line.append(contentsOf: decision.messageType.description.utf8)
                line.append(contentsOf: "  ".utf8)
                if self.dryRun && sent { line.append(contentsOf: "[dry run] ".utf8) }
                line.append(contentsOf: decision.verdict.description.utf8)
            case .json:
                line.append(contentsOf: "\"".utf8)
                if let client = decision.client {
                    line.append(contentsOf: ",\"client\":\"".utf8)
                    client.appendDescription(to: &line)
                    line.append(UInt8(ascii: "\""))
                }
                line.append(contentsOf: ",\"message\":".utf8)
                JSONValue.writeString(decision.messageType.description, into: &line)
                line.append(contentsOf: ",\"action\":\"".utf8)
                line.append(contentsOf: (sent ? (self.dryRun ? "would-send" : "sent") : "dropped").utf8)
                if let reason = decision.dropReason {
                    line.append(contentsOf: "\",\"reason\":\"".utf8)
                    line.append(contentsOf: reason.rawValue.utf8)
                }
                line.append(contentsOf: "\",\"verdict\":".utf8)
                JSONValue.writeString(decision.verdict.description, into: &line)
                line.append(contentsOf: ",\"injected\":[".utf8)
                for (index, code) in decision.injected.enumerated() {
                    if index > 0 { line.append(UInt8(ascii: ",")) }
                    appendDecimal(Int(code.rawValue), to: &line)
                }
                line.append(contentsOf: "]}".utf8)
            }
            line.append(0x0A)
            state.pending = line
            return line.count
        }
        if pending > 1 << 18 { self.flush() }
    }

    /// `2026-11-28T13:36:43.123456789Z` as text, or `{"time":"...Z` as the start of a JSON line.
    private func appendTimestamp(_ now: timespec, _ state: inout State, to line: inout [UInt8]) {
        let second = Int(now.tv_sec)
        if second != state.second {
            let full = TimeFormat.iso8601(seconds: Int64(second), nanoseconds: 0)
            state.second = second
            state.secondPrefix = Array(full.utf8.prefix { $0 != UInt8(ascii: ".") }) + [UInt8(ascii: ".")]
        }
        if self.format == .json { line.append(contentsOf: "{\"time\":\"".utf8) }
        line += state.secondPrefix
        appendDigits(Int(now.tv_nsec), width: 9, to: &line)
        line.append(UInt8(ascii: "Z"))
    }

    /// When `now` is past the budgets' second: the summary line of what that second did not
    /// log one by one (if anything), and fresh budgets.
    private func closeWindow(at now: timespec, _ state: inout State) {
        let second = Int(now.tv_sec)
        guard second != state.window else { return }
        state.window = second
        state.sentLines = 0
        state.droppedLines = 0
        let dropped = state.unloggedDropped.reduce(0, +)
        guard dropped + state.unloggedSent > 0 else { return }
        var counts: [(String, Int)] = []
        for (index, reason) in DropReason.allCases.enumerated() where state.unloggedDropped[index] > 0 {
            counts.append((reason.rawValue, state.unloggedDropped[index]))
        }
        let sent = state.unloggedSent
        state.unloggedDropped = [Int](repeating: 0, count: DropReason.allCases.count)
        state.unloggedSent = 0
        let verdict =
            "not logged one by one in the last second: \(sent) \(self.dryRun ? "would-send" : "sent"), \(dropped) dropped"
            + (counts.isEmpty ? "" : " (" + counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ") + ")")
        var line = state.pending
        state.pending = []
        self.appendTimestamp(now, &state, to: &line)
        switch self.format {
        case .text:
            line.append(contentsOf: "  -  summary  ".utf8)
            line.append(contentsOf: verdict.utf8)
        case .json:
            line.append(contentsOf: "\",\"message\":\"summary\",\"action\":\"summary\",\"verdict\":".utf8)
            JSONValue.writeString(verdict, into: &line)
            line.append(contentsOf: ",\"sent\":".utf8)
            appendDecimal(sent, to: &line)
            line.append(contentsOf: ",\"dropped\":{".utf8)
            for (index, count) in counts.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                JSONValue.writeString(count.0, into: &line)
                line.append(UInt8(ascii: ":"))
                appendDecimal(count.1, to: &line)
            }
            line.append(contentsOf: "}}".utf8)
        }
        line.append(0x0A)
        state.pending = line
    }

    /// Writes what is pending.
    func flush() {
        let block = self.state.withLock { state -> [UInt8] in
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        guard !block.isEmpty else { return }
        var output = OutputBuffer.standardOutput()
        output.write(bytes: block)
        output.flush()
    }
}

/// The last `width` decimal digits of `value` (not negative), zero-padded.
private func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
    var divisor = 1
    for _ in 1..<width { divisor *= 10 }
    while divisor > 0 {
        bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
        divisor /= 10
    }
}

/// `value` (not negative) in decimal, no padding.
private func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
    var width = 1
    var rest = value
    while rest >= 10 {
        width += 1
        rest /= 10
    }
    appendDigits(value, width: width, to: &bytes)
}
