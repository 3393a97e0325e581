import BootAnalysis
import WireFormats

/// libFuzzer target `analyzer`: a capture as a frame stream, through ``PacketClassifier`` and
/// ``BootAnalyzer``, then through the renderers `phoneboot analyze` uses (compiled into this
/// binary from Sources/phoneboot by scripts/fuzz.sh).
///
/// Input: one byte, whose low 7 bits pick the link type in ``LinkType/supported`` and whose
/// top bit is `--all-devices`; then frames, each a time step (one byte: tens of milliseconds,
/// 255 meaning an hour), a 16-bit big-endian length and that many bytes.
/// `Fuzz/make-corpus.py` writes captures in this form.
///
/// Checks: the classifier counts every frame; every malformed DHCP/TFTP packet is reported;
/// frame numbers in records, fetches and findings are frames that were fed; every NDJSON
/// event and the JSON report are well-formed JSON; the table renders.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let first = input.byte()
    let linkType = LinkType.supported[Int(first & 0x7F) % LinkType.supported.count]
    var classifier = PacketClassifier(linkType: linkType)
    var analyzer = BootAnalyzer(options: BootAnalyzer.Options(allDevices: first & 0x80 != 0))
    let start: Int64 = 1_764_000_000_000_000_000
    var time = start
    var frames = 0
    while !input.isAtEnd {
        let step = input.byte()
        time += step == 255 ? 3_600_000_000_000 : Int64(step) * 10_000_000
        let frame = input.record()
        frames += 1
        guard let packet = classifier.classify(frameNumber: frames, timestamp: time, bytes: frame.span) else {
            continue
        }
        for event in analyzer.consume(packet) { checkJSON(ReportJSON.event(event, file: "fuzz").text, "event") }
    }
    let (report, events) = analyzer.finish()
    for event in events { checkJSON(ReportJSON.event(event, file: "fuzz").text, "final event") }

    let counters = classifier.counters
    invariant(counters.frames == frames, "the classifier counted \(counters.frames) of \(frames) frames")
    invariant(
        report.malformed.count + report.malformedNotListed == counters.malformed,
        "\(counters.malformed) malformed packets, \(report.malformed.count + report.malformedNotListed) reported")
    checkFrames(report, frames: frames)

    var summary = CaptureSummary()
    summary.linkTypeName = linkType.description
    summary.counters = counters
    summary.firstTimestamp = frames > 0 ? start : nil
    checkJSON(ReportJSON.capture(path: "fuzz.pcap", report: report, summary: summary).text, "report")
    checkJSON(ReportJSON.summaryEvent(file: "fuzz.pcap", report: report, summary: summary).text, "summary")
    _ = ReportTable(palette: ReportTable.Palette(enabled: true)).render(
        path: "fuzz.pcap", report: report, summary: summary)
    // What the JUnit renderer writes of each phone is XML 1.0 text whatever the wire held.
    let plain = ReportTable(palette: ReportTable.Palette(enabled: false))
    for phone in report.phones {
        for text in phone.findings.flatMap({ [$0.message, $0.hint] })
            + plain.details(phone, start: start, frameMap: nil)
        {
            checkXML(text)
        }
    }
    return 0
}

/// `text` escaped as an XML attribute holds no quote, markup or control character; escaped as
/// element content, no markup and no control character but line breaks and tabs.
private func checkXML(_ text: String) {
    let attribute = JUnitRenderer.attribute(text)
    invariant(
        !attribute.contains("\"") && !attribute.contains("<")
            && attribute.unicodeScalars.allSatisfy { $0.value >= 0x20 },
        "attribute not escaped: \(attribute.debugDescription)")
    let content = JUnitRenderer.text(text)
    invariant(
        !content.contains("<") && content.unicodeScalars.allSatisfy { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" },
        "content not escaped: \(content.debugDescription)")
}

/// Every frame number the report shows is one of the frames fed, numbered from 1.
private func checkFrames(_ report: BootReport, frames: Int) {
    let fed = 1...max(frames, 1)
    for phone in report.phones {
        invariant(
            fed.contains(phone.firstFrame) && phone.firstFrame <= phone.lastFrame && fed.contains(phone.lastFrame),
            "\(phone.mac): frames #\(phone.firstFrame)-\(phone.lastFrame) of \(frames)")
        for fetch in phone.fetches {
            invariant(
                fed.contains(fetch.firstFrame) && fetch.firstFrame <= fetch.lastFrame && fed.contains(fetch.lastFrame),
                "\(phone.mac) fetch \(fetch.file): frames #\(fetch.firstFrame)-\(fetch.lastFrame) of \(frames)")
        }
        for finding in phone.findings {
            invariant(
                finding.frames.allSatisfy(fed.contains), "\(finding.code) names frames \(finding.frames) of \(frames)")
        }
    }
}

private func checkJSON(_ text: String, _ what: String) {
    var parser = JSONChecker(Array(text.utf8))
    invariant(parser.document(), "\(what) is not JSON (byte \(parser.position)): \(text)")
}

/// A strict RFC 8259 syntax check, just enough to say whether the renderers wrote JSON.
private struct JSONChecker {
    let bytes: [UInt8]
    var position = 0
    private var depth = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// One value and nothing after it.
    mutating func document() -> Bool {
        self.value()
            && {
                self.skipSpace()
                return self.position == self.bytes.count
            }()
    }

    private var next: UInt8? { self.position < self.bytes.count ? self.bytes[self.position] : nil }

    private mutating func skipSpace() {
        while let byte = self.next, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { self.position += 1 }
    }

    private mutating func literal(_ text: String) -> Bool {
        let expected = Array(text.utf8)
        guard self.bytes.count - self.position >= expected.count,
            Array(self.bytes[self.position..<(self.position + expected.count)]) == expected
        else { return false }
        self.position += expected.count
        return true
    }

    private mutating func value() -> Bool {
        self.skipSpace()
        guard let byte = self.next, self.depth < 512 else { return false }
        switch byte {
        case UInt8(ascii: "{"): return self.container(close: UInt8(ascii: "}"), member: true)
        case UInt8(ascii: "["): return self.container(close: UInt8(ascii: "]"), member: false)
        case UInt8(ascii: "\""): return self.string()
        case UInt8(ascii: "t"): return self.literal("true")
        case UInt8(ascii: "f"): return self.literal("false")
        case UInt8(ascii: "n"): return self.literal("null")
        default: return self.number()
        }
    }

    private mutating func container(close: UInt8, member: Bool) -> Bool {
        self.position += 1
        self.depth += 1
        defer { self.depth -= 1 }
        self.skipSpace()
        if self.next == close {
            self.position += 1
            return true
        }
        while true {
            if member {
                self.skipSpace()
                guard self.string() else { return false }
                self.skipSpace()
                guard self.next == UInt8(ascii: ":") else { return false }
                self.position += 1
            }
            guard self.value() else { return false }
            self.skipSpace()
            switch self.next {
            case UInt8(ascii: ",")?: self.position += 1
            case close?:
                self.position += 1
                return true
            default: return false
            }
        }
    }

    private mutating func string() -> Bool {
        guard self.next == UInt8(ascii: "\"") else { return false }
        self.position += 1
        while let byte = self.next {
            self.position += 1
            switch byte {
            case UInt8(ascii: "\""): return true
            case UInt8(ascii: "\\"):
                guard let escaped = self.next else { return false }
                self.position += 1
                if escaped == UInt8(ascii: "u") {
                    for _ in 0..<4 {
                        guard let hex = self.next, isHexDigit(hex) else { return false }
                        self.position += 1
                    }
                } else if !Array("\"\\/bfnrt".utf8).contains(escaped) {
                    return false
                }
            case 0..<0x20: return false
            default: continue
            }
        }
        return false
    }

    private mutating func number() -> Bool {
        if self.next == UInt8(ascii: "-") { self.position += 1 }
        let integerStart = self.position
        guard self.digits() else { return false }
        // No leading zero: `0` alone, or a digit 1-9 first.
        if self.bytes[integerStart] == UInt8(ascii: "0"), self.position - integerStart > 1 { return false }
        if self.next == UInt8(ascii: ".") {
            self.position += 1
            guard self.digits() else { return false }
        }
        if self.next == UInt8(ascii: "e") || self.next == UInt8(ascii: "E") {
            self.position += 1
            if self.next == UInt8(ascii: "+") || self.next == UInt8(ascii: "-") { self.position += 1 }
            guard self.digits() else { return false }
        }
        return true
    }

    private mutating func digits() -> Bool {
        let start = self.position
        while let byte = self.next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { self.position += 1 }
        return self.position > start
    }
}

private func isHexDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
}
