import BootAnalysis
import Foundation
import PacketCapture
import Testing
import WireFormats

/// `PacketClassifier.defersDHCPDecoding`: `analyze` reads on one thread and analyses on
/// another, and the reading thread only checks a DHCP message, leaving its decoding to the
/// analyzer. The packets, counts, followed ports and reports must be those of decoding at once.
@Suite("DHCP checked while reading, decoded by the analyzer")
struct DeferredDHCPTests {
    /// Every packet of `file` classified with DHCP decoded at once or deferred, the counts, and
    /// the report the analyzer makes of them; `nil` for a file libpcap cannot open (the
    /// reference set has some on purpose).
    private static func classify(_ file: URL, defers: Bool) -> (
        packets: [DecodedPacket], counters: PacketClassifier.Counters, report: BootReport
    )? {
        guard var capture = try? CaptureFile(path: file.path) else { return nil }
        var classifier = PacketClassifier(linkType: LinkType(rawValue: capture.linkType), defersDHCPDecoding: defers)
        var analyzer = BootAnalyzer()
        var packets: [DecodedPacket] = []
        let last = ClassifiedFrames.forEachPacket(of: &capture, classifier: &classifier) { packet in
            _ = analyzer.consume(packet)
            packets.append(packet)
        }
        return (packets, classifier.counters, analyzer.finish(captureEnd: last).report)
    }

    @Test("every project, malformed, reference and tunnelled capture: the same packets, counts and report")
    func sameAsDecodingAtOnce() {
        let files =
            TestCaptures.projectFiles + TestCaptures.malformedFiles + TestCaptures.referenceFiles
            + TestCaptures.tunnelFiles
        #expect(files.count >= 20, "only \(files.count) captures found")
        var deferred = 0
        var malformed = 0
        var followed = 0
        for file in files {
            let name = file.lastPathComponent
            guard let now = Self.classify(file, defers: false), let later = Self.classify(file, defers: true) else {
                continue
            }
            #expect(later.counters == now.counters, "\(name): counts differ")
            #expect(later.report == now.report, "\(name): the report differs")
            #expect(later.packets.count == now.packets.count, "\(name): packet counts differ")
            for (at, (early, late)) in zip(now.packets, later.packets).enumerated() {
                let frame = early.frameNumber
                #expect(late.frameNumber == frame, "\(name) packet \(at): frame \(late.frameNumber), not \(frame)")
                switch (early.content, late.content) {
                case (.dhcp(let message), .dhcpUndecoded):
                    deferred += 1
                    guard case .dhcp(let decoded) = late.content.decodingDHCP() else {
                        Issue.record("\(name) frame \(frame): checked, then not decoded")
                        continue
                    }
                    #expect(decoded == message, "\(name) frame \(frame): another message")
                case (.malformed(let proto, let error), .malformed(let lateProto, let lateError)):
                    if proto == .dhcp { malformed += 1 }
                    #expect(lateProto == proto && lateError == error, "\(name) frame \(frame): \(lateError)")
                case (.tcp(let segment), .tcp(let lateSegment)):
                    if segment.isStream { followed += 1 }
                    // A port learnt from a reply's option 160/66 is followed alike.
                    #expect(lateSegment == segment, "\(name) frame \(frame): the TCP segment differs")
                case (.dhcp, _), (_, .dhcp), (_, .dhcpUndecoded):
                    Issue.record("\(name) frame \(frame): \(early.content) against \(late.content)")
                default:
                    break
                }
            }
        }
        // Not vacuous: the captures hold many messages, broken ones and followed streams.
        #expect(deferred > 100, "only \(deferred) DHCP messages deferred")
        #expect(malformed > 0, "no malformed DHCP message compared")
        #expect(followed > 100, "only \(followed) followed TCP segments")
    }
}
