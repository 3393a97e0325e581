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
final class ProxyLog: Sendable {
    private struct State {
        var pending: [UInt8] = []
        /// The RFC 3339 text of the last whole second seen, up to and including the `.`.
        var second: Int = -1
        var secondPrefix: [UInt8] = []
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
        self.flush()
    }

    private func scheduleFlush() {
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { [weak self] in
            guard let self, !self.stopped.load(ordering: .relaxed) else { return }
            self.flush()
            self.scheduleFlush()
        }
    }

    /// Formats one decision into the pending block.
    func record(_ decision: ProxyDecision) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let sent: Bool = if case .send = decision.action { true } else { false }
        let pending = self.state.withLock { state -> Int in
            let second = Int(now.tv_sec)
            if second != state.second {
                let full = TimeFormat.iso8601(seconds: Int64(second), nanoseconds: 0)
                state.second = second
                state.secondPrefix = Array(full.utf8.prefix { $0 != UInt8(ascii: ".") }) + [UInt8(ascii: ".")]
            }
            // Appended in place: the block is moved out of the state and back, not copied.
            var line = state.pending
            state.pending = []
            switch self.format {
            case .text:
                line += state.secondPrefix
                appendDigits(Int(now.tv_nsec), width: 9, to: &line)
                line.append(contentsOf: "Z  ".utf8)
                if let client = decision.client { client.appendDescription(to: &line) } else { line.append(UInt8(ascii: "-")) }
                line.append(contentsOf: "  ".utf8)
                line.append(contentsOf: decision.messageType.utf8)
                line.append(contentsOf: "  ".utf8)
                if self.dryRun && sent { line.append(contentsOf: "[dry run] ".utf8) }
                line.append(contentsOf: decision.verdict.utf8)
            case .json:
                line.append(contentsOf: "{\"time\":\"".utf8)
                line += state.secondPrefix
                appendDigits(Int(now.tv_nsec), width: 9, to: &line)
                line.append(contentsOf: "Z\"".utf8)
                if let client = decision.client {
                    line.append(contentsOf: ",\"client\":\"".utf8)
                    client.appendDescription(to: &line)
                    line.append(UInt8(ascii: "\""))
                }
                line.append(contentsOf: ",\"message\":".utf8)
                appendJSONString(decision.messageType, to: &line)
                line.append(contentsOf: ",\"action\":\"".utf8)
                line.append(contentsOf: (sent ? (self.dryRun ? "would-send" : "sent") : "dropped").utf8)
                line.append(contentsOf: "\",\"verdict\":".utf8)
                appendJSONString(decision.verdict, to: &line)
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

/// A JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped.
private func appendJSONString(_ text: String, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""): bytes += [0x5C, 0x22]
        case UInt8(ascii: "\\"): bytes += [0x5C, 0x5C]
        case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
        case 0..<0x20: bytes += Array("\\u00\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16))".utf8)
        default: bytes.append(byte)
        }
    }
    bytes.append(UInt8(ascii: "\""))
}
