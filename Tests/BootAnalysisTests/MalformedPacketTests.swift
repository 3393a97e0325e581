import BootAnalysis
import Testing
import WireFormats

@Suite("Malformed packets in the report")
struct MalformedPacketTests {
    private let phoneMAC = MACAddress(rawValue: 0x0004_F200_0001)
    private let serverMAC = MACAddress(rawValue: 0x5254_00C0_0201)
    private let phone = IPv4Address(192, 0, 2, 101)
    private let server = IPv4Address(192, 0, 2, 1)

    private func packet(
        frame: Int, fromPhone: Bool, ports: (UInt16, UInt16), _ content: DecodedPacket.Content,
        snapped: SnappedFrame? = nil
    ) -> DecodedPacket {
        let phonePort = fromPhone ? ports.0 : ports.1
        let conversation: TFTPConversation? =
            if case .tftp = content {
                TFTPConversation(
                    key: .init(client: self.phone, clientPort: phonePort, server: self.server), fromServer: !fromPhone)
            } else {
                nil
            }
        return DecodedPacket(
            frameNumber: frame, timestamp: Int64(frame) * 1_000_000,
            sourceMAC: fromPhone ? self.phoneMAC : self.serverMAC,
            destinationMAC: fromPhone ? self.serverMAC : self.phoneMAC, vlans: VLANTags(),
            source: fromPhone ? self.phone : self.server, destination: fromPhone ? self.server : self.phone,
            sourcePort: ports.0, destinationPort: ports.1, content: content, snapped: snapped,
            tftpConversation: conversation
        )
    }

    @Test("a phone whose every DHCP packet was cut by the snap length still gets its malformed-packet finding")
    func snappedBeforeTheRecord() throws {
        var analyzer = BootAnalyzer()
        let error = WireFormatError(
            code: .invalidLength, layer: "DHCP", field: "option 60 length", offset: 297,
            detail: "option 60 in options claims 109 bytes, only 42 left"
        )
        _ = analyzer.consume(
            self.packet(
                frame: 1, fromPhone: true, ports: (68, 67), .malformed(.dhcp, error),
                snapped: SnappedFrame(captured: 340, original: 408)))
        _ = analyzer.consume(
            self.packet(
                frame: 2, fromPhone: false, ports: (67, 68), .malformed(.dhcp, error),
                snapped: SnappedFrame(captured: 340, original: 357)))
        _ = analyzer.consume(
            self.packet(
                frame: 3, fromPhone: true, ports: (40001, 69),
                .tftp(.readRequest(TFTPRequest(filename: "0004f2000001.cfg")))))
        let report = analyzer.finish().report
        #expect(report.malformed.count == 2)
        #expect(report.malformed.first?.snapped == SnappedFrame(captured: 340, original: 408))
        let record = try #require(report.phones.first)
        #expect(record.malformed.map(\.frame) == [1, 2])
        let finding = try #require(record.findings.first { $0.code == .malformedPacket })
        #expect(finding.frames == [1, 2])
        #expect(finding.message.contains("captured 340 of 408 bytes (cut by the capture's snap length)"))
        #expect(finding.hint.contains("tcpdump -s 0"))
    }

    @Test("past the bound, malformed packets are counted, not listed; every one is still an event")
    func bounded() {
        var analyzer = BootAnalyzer()
        let error = WireFormatError(code: .truncated, layer: "DHCP", field: "op", offset: 42, detail: "0 bytes")
        let extra = 25
        var events = 0
        for frame in 1...(BootAnalyzer.malformedLimit + extra) {
            events += analyzer.consume(
                self.packet(frame: frame, fromPhone: true, ports: (68, 67), .malformed(.dhcp, error))
            )
            .count { if case .malformed = $0 { true } else { false } }
        }
        let report = analyzer.finish().report
        #expect(events == BootAnalyzer.malformedLimit + extra)
        #expect(report.malformed.count == BootAnalyzer.malformedLimit)
        #expect(report.malformed.last?.frame == BootAnalyzer.malformedLimit)
        #expect(report.malformedNotListed == extra)
    }

    @Test("a frame the wire itself carried broken is not blamed on the capture")
    func wholeFrame() {
        let error = WireFormatError(
            code: .invalidLength, layer: "DHCP", field: "option 43 length", offset: 357, detail: "x")
        let entry = MalformedPacket(
            frame: 2, protocolName: .dhcp, error: error, source: self.server, destination: self.phone)
        #expect(entry.reason == error.description)
    }
}
