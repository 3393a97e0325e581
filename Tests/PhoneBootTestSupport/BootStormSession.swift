/// One conversation of a ``BootStormCapture``: a phone's boot (DHCP, then TFTP) or a piece of
/// the VLAN's other traffic, as frames with their times from the session's start.
struct BootStormSession {
    typealias Frames = BootStormFrames

    /// Nanoseconds from the session's start, and the whole Ethernet frame.
    var frames: [(offset: Int64, bytes: [UInt8])] = []
    /// The next frame to write.
    var next = 0

    /// What the phones are told and fetch from.
    static let server = Frames.Host(mac: [0x02, 0x00, 0x00, 0x00, 0x00, 0x01], address: [10, 0, 0, 1])
    static let router: [UInt8] = [10, 0, 0, 254]

    /// The Polycom models the phones are, by part number (all in the analyzer's catalogue).
    static let models: [(part: String, model: String)] = [
        ("3111-46135-002", "VVX-VVX_300"), ("3111-46157-002", "VVX-VVX_400"), ("3111-46161-001", "VVX-VVX_310"),
        ("3111-40450-001", "VVX-VVX_201"),
    ]

    private var time: Int64 = 0

    private mutating func add(after nanoseconds: Int64, _ bytes: [UInt8]) {
        self.time += nanoseconds
        self.frames.append((self.time, bytes))
    }

    // MARK: - A phone's boot

    /// Phone `index` boots: DISCOVER, OFFER, REQUEST, ACK, then TFTP of its master config, the
    /// shared config, its image and its directory file (not found), as a VVX does.
    static func phoneBoot(index: Int, random: inout SplitMix64) -> BootStormSession {
        var session = BootStormSession()
        let oui: [UInt8] = index % 2 == 0 ? [0x00, 0x04, 0xF2] : [0x64, 0x16, 0x7F]
        let low = [UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(index & 0xFF)]
        let phone = Frames.Host(
            mac: oui + low, address: [10, UInt8(truncatingIfNeeded: 1 + index >> 16)] + low.suffix(2))
        let vlan: UInt16? = index % 3 == 0 ? 20 : nil
        let model = Self.models[Int(random.next() % UInt64(Self.models.count))]
        let xid = UInt32(truncatingIfNeeded: random.next())
        let roll = random.next() % 100
        // 97 in 100 are given option 160, 2 only option 66, 1 no boot server at all.
        let bootOptions: [(UInt8, String)] =
            roll < 97 ? [(160, "tftp://10.0.0.1")] : roll < 99 ? [(66, "10.0.0.1")] : []
        let imageMissing = random.next() % 100 == 0

        func dhcp(_ type: UInt8, fromPhone: Bool) -> [UInt8] {
            let payload = Self.dhcpPayload(
                type: type, xid: xid, phone: phone, model: model, bootOptions: bootOptions)
            let udp = Frames.udp(
                sourcePort: fromPhone ? 68 : 67, destinationPort: fromPhone ? 67 : 68, payload: payload)
            let ip = Frames.ipv4(
                from: fromPhone ? [0, 0, 0, 0] : Self.server.address,
                to: fromPhone ? [255, 255, 255, 255] : phone.address, protocol: 17, payload: udp)
            return Frames.ethernet(
                from: fromPhone ? phone.mac : Self.server.mac, to: fromPhone ? Frames.broadcastMAC : phone.mac,
                vlan: vlan, payload: ip)
        }
        session.add(after: 0, dhcp(1, fromPhone: true))
        session.add(after: 3_000_000, dhcp(2, fromPhone: false))
        session.add(after: 3_000_000, dhcp(3, fromPhone: true))
        session.add(after: 3_000_000, dhcp(5, fromPhone: false))
        guard !bootOptions.isEmpty else { return session }

        // The phone starts fetching a second or two after its ACK.
        session.time += 1_500_000_000 + Int64(random.next() % 500_000_000)
        let macName = phone.mac.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
        let files: [(name: String, size: Int?)] = [
            ("\(macName).cfg", 300 + Int(random.next() % 200)),
            ("000000000000.cfg", 700 + Int(random.next() % 300)),
            ("\(model.part).sip.ld", imageMissing ? nil : 5_000 + Int(random.next() % 10_000)),
            ("\(macName)-directory.xml", nil),
        ]
        for file in files {
            let clientPort = UInt16(1024 + random.next() % 60_000)
            let serverPort = UInt16(1024 + random.next() % 60_000)
            func tftp(_ payload: [UInt8], fromPhone: Bool, toPort69: Bool = false) -> [UInt8] {
                let udp = Frames.udp(
                    sourcePort: fromPhone ? clientPort : serverPort,
                    destinationPort: fromPhone ? (toPort69 ? 69 : serverPort) : clientPort, payload: payload)
                let ip = Frames.ipv4(
                    from: fromPhone ? phone.address : Self.server.address,
                    to: fromPhone ? Self.server.address : phone.address, protocol: 17, payload: udp)
                return Frames.ethernet(
                    from: fromPhone ? phone.mac : Self.server.mac, to: fromPhone ? Self.server.mac : phone.mac,
                    vlan: vlan, payload: ip)
            }
            session.add(
                after: 50_000_000,
                tftp([0, 1] + Array(file.name.utf8) + [0] + Array("octet".utf8) + [0], fromPhone: true, toPort69: true))
            guard let size = file.size else {
                session.add(after: 400_000, tftp([0, 5, 0, 1] + Array("File not found".utf8) + [0], fromPhone: false))
                continue
            }
            var sent = 0
            var block: UInt16 = 1
            while true {
                let count = min(512, size - sent)
                var data: [UInt8] = [0, 3]
                Frames.append16(block, to: &data)
                data +=
                    file.name.hasSuffix(".cfg")
                    ? Self.masterConfig(size: size)[sent..<(sent + count)] : Self.filler.prefix(count)
                session.add(after: 400_000, tftp(data, fromPhone: false))
                var ack: [UInt8] = [0, 4]
                Frames.append16(block, to: &ack)
                session.add(after: 300_000, tftp(ack, fromPhone: true))
                sent += count
                block &+= 1
                if count < 512 { break }
            }
        }
        return session
    }

    /// A BOOTP message (RFC 2131 §2) with the options a VVX sends or a server gives it.
    private static func dhcpPayload(
        type: UInt8, xid: UInt32, phone: Frames.Host, model: (part: String, model: String),
        bootOptions: [(UInt8, String)]
    ) -> [UInt8] {
        let fromPhone = type == 1 || type == 3
        var bytes: [UInt8] = [fromPhone ? 1 : 2, 1, 6, 0]
        Frames.append32(xid, to: &bytes)
        bytes += [0, 0, fromPhone ? 0x80 : 0, 0]  // secs, flags (broadcast)
        bytes += [0, 0, 0, 0]  // ciaddr
        bytes += fromPhone ? [0, 0, 0, 0] : phone.address  // yiaddr
        bytes += fromPhone ? [0, 0, 0, 0] : Self.server.address  // siaddr
        bytes += [0, 0, 0, 0]  // giaddr
        bytes += phone.mac + [UInt8](repeating: 0, count: 10)
        bytes += [UInt8](repeating: 0, count: 64 + 128)  // sname, file
        bytes += [99, 130, 83, 99, 53, 1, type]
        if fromPhone {
            bytes += [61, 7, 1] + phone.mac
            if type == 3 { bytes += [50, 4] + phone.address + [54, 4] + Self.server.address }
            bytes += [55, 12, 1, 3, 6, 15, 42, 43, 66, 150, 151, 160, 2, 7]
            var vendor: [UInt8] = []
            for (code, value) in [
                (1, "Polycom"), (2, model.model), (3, "\(model.part),1"), (4, "SIP/5.9.5.0614/11-Feb-20 10:34"),
                (5, "UP/5.9.5.0614/11-Feb-20 10:20"),
            ] {
                vendor += [UInt8(code), UInt8(value.utf8.count)] + Array(value.utf8)
            }
            vendor.append(0xFF)
            let block: [UInt8] = [0x00, 0x00, 0x36, 0x3D, UInt8(vendor.count)] + vendor
            bytes += [60, UInt8(block.count)] + block
        } else {
            bytes += [54, 4] + Self.server.address
            bytes += [51, 4, 0, 1, 0x51, 0x80]  // 86400 s
            bytes += [1, 4, 255, 0, 0, 0, 3, 4] + Self.router + [6, 4] + Self.server.address
            for (code, value) in bootOptions { bytes += [code, UInt8(value.utf8.count)] + Array(value.utf8) }
        }
        bytes.append(255)
        return bytes
    }

    /// A master configuration file of `size` bytes (at least 200): the application image by
    /// part number, no other file, and an XML comment as padding (polycom-boot.md §4.3).
    static func masterConfig(size: Int) -> [UInt8] {
        let head = Array(
            """
            <?xml version="1.0" standalone="yes"?>
            <APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="" MISC_FILES=""/>
            <!--
            """.utf8)
        let tail = Array("-->\n".utf8)
        return head + [UInt8](repeating: UInt8(ascii: "x"), count: max(0, size - head.count - tail.count)) + tail
    }

    /// File and body bytes (their content is never looked at).
    static let filler: [UInt8] = Array(
        String(repeating: "<polycomConfig><reg reg.1.address=\"1001\"/></polycomConfig>\n", count: 30).utf8)

    // MARK: - Other traffic on the VLAN

    /// One piece of the VLAN's other traffic: web (HTTP and TLS), a voice call's RTP, SIP over
    /// TCP, DNS. `index` picks the hosts.
    static func background(index: Int, random: inout SplitMix64) -> BootStormSession {
        let low = [UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(index & 0xFF)]
        let client = Frames.Host(mac: [0x02, 0x10] + [UInt8(index % 251)] + low, address: [10, 2, low[1], low[2]])
        let peer = Frames.Host(
            mac: [0x02, 0x20, 0, 0, 0, UInt8(random.next() % 50)], address: [10, 9, 0, UInt8(1 + random.next() % 50)])
        let vlan: UInt16? = index % 3 == 1 ? 20 : nil
        let roll = random.next() % 100
        switch roll {
        case 0..<30:
            let request = Array(
                "GET /news/\(index).html HTTP/1.1\r\nHost: intranet.example\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: */*\r\n\r\n"
                    .utf8)
            let segments = 2 + Int(random.next() % 7)
            let response = Array(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(segments * 1448)\r\n\r\n".utf8)
            return Self.tcpExchange(
                client: client, server: peer, serverPort: 80, vlan: vlan, random: &random,
                messages: [(true, [request]), (false, [response] + Array(repeating: Self.segment, count: segments))])
        case 30..<50:
            let hello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00] + Array(Self.filler.prefix(512))
            let records = 4 + Int(random.next() % 6)
            let application: [UInt8] = [0x17, 0x03, 0x03, 0x05, 0x90] + Array(Self.segment.prefix(1200))
            return Self.tcpExchange(
                client: client, server: peer, serverPort: 443, vlan: vlan, random: &random,
                messages: [
                    (true, [hello]), (false, [Self.segment, Self.segment, Array(Self.segment.prefix(600))]),
                    (true, [Array(application.prefix(300))]),
                    (false, Array(repeating: application, count: records)),
                ])
        case 50..<75:
            var session = BootStormSession()
            let ports = (UInt16(16384 + 2 * (random.next() % 8000)), UInt16(16384 + 2 * (random.next() % 8000)))
            for packet in 0..<30 {
                let fromClient = packet % 2 == 0
                let payload = [0x80, 0x00] + [UInt8](repeating: UInt8(packet), count: 170)
                session.add(
                    after: 10_000_000,
                    Self.udpFrame(
                        fromClient, client: client, clientPort: ports.0, peer: peer, peerPort: ports.1, vlan: vlan,
                        payload: payload))
            }
            return session
        case 75..<85:
            let register = Array(
                "REGISTER sip:pbx.example SIP/2.0\r\nVia: SIP/2.0/TCP 10.2.0.1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n"
                    .utf8)
            let ok = Array("SIP/2.0 200 OK\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n".utf8)
            return Self.tcpExchange(
                client: client, server: peer, serverPort: 5060, vlan: vlan, random: &random,
                messages: [(true, [register]), (false, [ok])])
        default:
            var session = BootStormSession()
            let port = UInt16(1024 + random.next() % 60_000)
            let query: [UInt8] =
                [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + [3] + Array("pbx".utf8) + [7]
                + Array("example".utf8) + [0, 0, 1, 0, 1]
            for (fromClient, payload) in [
                (true, query), (false, query + [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 5]),
            ] {
                session.add(
                    after: 1_000_000,
                    Self.udpFrame(
                        fromClient, client: client, clientPort: port, peer: peer, peerPort: 53, vlan: vlan,
                        payload: payload))
            }
            return session
        }
    }

    /// One UDP datagram between `client` and `peer`, either way, as a whole Ethernet frame.
    private static func udpFrame(
        _ fromClient: Bool, client: Frames.Host, clientPort: UInt16, peer: Frames.Host, peerPort: UInt16,
        vlan: UInt16?, payload: [UInt8]
    ) -> [UInt8] {
        let (source, destination) = fromClient ? (client, peer) : (peer, client)
        let udp = Frames.udp(
            sourcePort: fromClient ? clientPort : peerPort, destinationPort: fromClient ? peerPort : clientPort,
            payload: payload)
        let ip = Frames.ipv4(from: source.address, to: destination.address, protocol: 17, payload: udp)
        return Frames.ethernet(from: source.mac, to: destination.mac, vlan: vlan, payload: ip)
    }

    /// A full-size TCP segment's payload.
    static let segment: [UInt8] = Array((Self.filler + Self.filler).prefix(1448))

    /// A TCP connection: handshake, the messages (each a run of segments one way, the other
    /// side acknowledging every second segment and the last), FIN both ways.
    private static func tcpExchange(
        client: Frames.Host, server: Frames.Host, serverPort: UInt16, vlan: UInt16?, random: inout SplitMix64,
        messages: [(fromClient: Bool, segments: [[UInt8]])]
    ) -> BootStormSession {
        var session = BootStormSession()
        let clientPort = UInt16(32768 + random.next() % 28_000)
        var clientSequence = UInt32(truncatingIfNeeded: random.next())
        var serverSequence = UInt32(truncatingIfNeeded: random.next())
        func segment(_ fromClient: Bool, _ flags: Frames.TCPFlags, _ payload: [UInt8] = []) -> [UInt8] {
            let tcp = Frames.tcp(
                sourcePort: fromClient ? clientPort : serverPort, destinationPort: fromClient ? serverPort : clientPort,
                sequence: fromClient ? clientSequence : serverSequence,
                acknowledgment: fromClient ? serverSequence : clientSequence, flags: flags, payload: payload)
            let ip = Frames.ipv4(
                from: fromClient ? client.address : server.address, to: fromClient ? server.address : client.address,
                protocol: 6, payload: tcp)
            return Frames.ethernet(
                from: fromClient ? client.mac : server.mac, to: fromClient ? server.mac : client.mac, vlan: vlan,
                payload: ip)
        }
        session.add(after: 0, segment(true, .syn))
        clientSequence &+= 1
        session.add(after: 200_000, segment(false, [.syn, .ack]))
        serverSequence &+= 1
        session.add(after: 200_000, segment(true, .ack))
        for message in messages {
            for (number, payload) in message.segments.enumerated() {
                session.add(after: 150_000, segment(message.fromClient, [.ack, .psh], payload))
                if message.fromClient {
                    clientSequence &+= UInt32(payload.count)
                } else {
                    serverSequence &+= UInt32(payload.count)
                }
                if number % 2 == 1 || number == message.segments.count - 1 {
                    session.add(after: 100_000, segment(!message.fromClient, .ack))
                }
            }
        }
        // A third of the connections stay open past the capture's end (keep-alive, long
        // downloads, one direction lost on the SPAN port): no FIN is seen.
        guard random.next() % 3 != 0 else { return session }
        session.add(after: 300_000, segment(true, [.fin, .ack]))
        clientSequence &+= 1
        session.add(after: 200_000, segment(false, [.fin, .ack]))
        serverSequence &+= 1
        session.add(after: 200_000, segment(true, .ack))
        return session
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
