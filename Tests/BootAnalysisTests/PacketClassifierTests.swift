import BootAnalysis
import Testing
import WireFormats

@Suite("Packet classifier: frames the capture cut, and the TCP ports it follows")
struct PacketClassifierTests {
    /// An Ethernet/IPv4/UDP frame from 192.0.2.`from` to 192.0.2.`to` (checksums left zero).
    private func frame(from: UInt8, to: UInt8, ports: (UInt16, UInt16), payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0x52, 0x54, 0x00, 0xC0, 0x02, to, 0x00, 0x04, 0xF2, 0x00, 0x00, from, 0x08, 0x00]
        let total = 20 + 8 + payload.count
        bytes += [
            0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, from, 192, 0, 2, to,
        ]
        let udpLength = 8 + payload.count
        bytes += [UInt8(ports.0 >> 8), UInt8(ports.0 & 0xFF), UInt8(ports.1 >> 8), UInt8(ports.1 & 0xFF)]
        bytes += [UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0]
        return bytes + payload
    }

    private func classify(_ classifier: inout PacketClassifier, _ bytes: [UInt8], frame: Int, keep: Int? = nil)
        -> DecodedPacket?
    {
        let kept = Array(bytes.prefix(keep ?? bytes.count))
        return classifier.classify(frameNumber: frame, timestamp: 0, bytes: kept.span, originalLength: bytes.count)
    }

    @Test("a DATA block cut by the snap length keeps its size from the UDP header")
    func snappedData() throws {
        var classifier = PacketClassifier(linkType: .ethernet)
        let request: [UInt8] = [0, 1] + Array("0004f2000001-phone.cfg".utf8) + [0] + Array("octet".utf8) + [0]
        _ = self.classify(&classifier, self.frame(from: 101, to: 1, ports: (40001, 69), payload: request), frame: 1)
        let data: [UInt8] = [0, 3, 0, 1] + Array(repeating: 0x41, count: 512)
        let packet = try #require(
            self.classify(
                &classifier, self.frame(from: 1, to: 101, ports: (50001, 40001), payload: data), frame: 2, keep: 340))
        guard case .tftp(.data(let block, let count)) = packet.content else {
            Issue.record("not TFTP DATA: \(packet.content)")
            return
        }
        #expect(block == 1)
        #expect(count == 512)
        #expect(packet.snapped == SnappedFrame(captured: 340, original: 558))
    }

    /// An Ethernet/IPv4/TCP segment from 192.0.2.`from`:40000 to 192.0.2.`to`:`port`, ACK and
    /// PSH, carrying `payload`.
    private func segment(from: UInt8, to: UInt8, port: UInt16, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0x52, 0x54, 0x00, 0xC0, 0x02, to, 0x00, 0x04, 0xF2, 0x00, 0x00, from, 0x08, 0x00]
        let total = 20 + 20 + payload.count
        bytes += [
            0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 1, 0, 0, 64, 6, 0, 0, 192, 0, 2, from, 192, 0, 2, to,
        ]
        bytes += [
            0x9C, 0x40, UInt8(port >> 8), UInt8(port & 0xFF), 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0x20, 0, 0, 0, 0, 0,
        ]
        return bytes + payload
    }

    /// A DHCP ACK from 192.0.2.1 carrying `options` (code and string value).
    private func acknowledgment(_ options: [(DHCPOptionCode, String)]) -> [UInt8] {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [5]))
        for (code, value) in options { area.append(DHCPOption(code: code, string: value)) }
        area.elements.append(.end)
        let message = DHCPMessage(
            op: 2, transactionID: 7, yourAddress: IPv4Address(192, 0, 2, 101),
            clientHardwareAddress: MACAddress(rawValue: 0x0004_F200_0065), options: area)
        return self.frame(from: 1, to: 101, ports: (67, 68), payload: message.encoded())
    }

    @Test(
        "a boot server named by URL with a port has TCP on that port followed, each value the server sends",
        arguments: [false, true])
    func learnsStreamPorts(defersDHCPDecoding: Bool) throws {
        var classifier = PacketClassifier(linkType: .ethernet, defersDHCPDecoding: defersDHCPDecoding)
        var frame = 0
        func isFollowed(_ port: UInt16) throws -> Bool {
            frame += 1
            let packet = try #require(
                self.classify(
                    &classifier, self.segment(from: 101, to: 1, port: port, payload: Array("GET / HTTP/1.1\r\n".utf8)),
                    frame: frame))
            guard case .tcp(let segment) = packet.content else {
                Issue.record("not TCP: \(packet.content)")
                return false
            }
            #expect(segment.payload.isEmpty == !segment.isStream, "port \(port): payload kept only when followed")
            return segment.isStream
        }
        func acknowledge(_ options: [(DHCPOptionCode, String)]) {
            frame += 1
            _ = self.classify(&classifier, self.acknowledgment(options), frame: frame)
        }
        #expect(try !isFollowed(8080))
        acknowledge([(.polycomBootServer, "http://192.0.2.1:8080/phones")])
        #expect(try isFollowed(8080))
        // The same reply again, then option 66 alone, then a new value of 160.
        acknowledge([(.polycomBootServer, "http://192.0.2.1:8080/phones")])
        acknowledge([(.tftpServerName, "ftp://192.0.2.1:2121")])
        #expect(try isFollowed(2121))
        acknowledge([(.polycomBootServer, "https://192.0.2.1:8443/"), (.tftpServerName, "ftp://192.0.2.1:2121")])
        #expect(try isFollowed(8443))
        // TFTP names a UDP port: no TCP port is followed for it.
        acknowledge([(.polycomBootServer, "tftp://192.0.2.1:6969")])
        #expect(try !isFollowed(6969))
        #expect(try isFollowed(8080) && isFollowed(2121) && isFollowed(80))
        #expect(try !isFollowed(9090))
        // A value longer than 255 bytes comes in two pieces (RFC 3396): read joined.
        acknowledge([(.polycomBootServer, "http://192.0.2.1:9090/" + String(repeating: "p", count: 300))])
        #expect(try isFollowed(9090))
        // A request's options are not boot servers it was given.
        frame += 1
        var request = DHCPOptionArea()
        request.append(DHCPOption(code: .messageType, data: [3]))
        request.append(DHCPOption(code: .polycomBootServer, string: "http://192.0.2.1:7070/"))
        request.elements.append(.end)
        let message = DHCPMessage(
            op: 1, transactionID: 8, clientHardwareAddress: MACAddress(rawValue: 0x0004_F200_0065), options: request)
        _ = self.classify(
            &classifier, self.frame(from: 101, to: 1, ports: (68, 67), payload: message.encoded()), frame: frame)
        #expect(try !isFollowed(7070))
    }

    @Test("a whole frame is not marked as cut")
    func wholeFrame() throws {
        var classifier = PacketClassifier(linkType: .ethernet)
        let request: [UInt8] = [0, 1] + Array("x.cfg".utf8) + [0] + Array("octet".utf8) + [0]
        let packet = try #require(
            self.classify(&classifier, self.frame(from: 101, to: 1, ports: (40001, 69), payload: request), frame: 1))
        #expect(packet.snapped == nil)
    }
}
