import BootAnalysis
import Testing
import WireFormats

/// Plays one TCP connection between a phone and a server into a ``BootAnalyzer``, keeping
/// sequence numbers and frame numbers as a real capture would.
private struct Conversation {
    static let phoneMAC = MACAddress(rawValue: 0x0004_F201_0203)
    static let serverMAC = MACAddress(rawValue: 0x0250_4200_0001)
    static let phone = IPv4Address(192, 0, 2, 100)
    static let server = IPv4Address(192, 0, 2, 1)

    var analyzer = BootAnalyzer()
    var clientMAC = Self.phoneMAC
    var frame = 0
    /// Capture time of the last segment, nanoseconds; each segment is 1 ms after the one before.
    var time: Int64 = 0
    var clientPort: UInt16
    var serverPort: UInt16
    var clientSequence: UInt32
    var serverSequence: UInt32
    var isStream = true

    init(
        clientPort: UInt16 = 40000, serverPort: UInt16, clientSequence: UInt32 = 1000, serverSequence: UInt32 = 5000,
        analyzer: BootAnalyzer = BootAnalyzer()
    ) {
        self.analyzer = analyzer
        self.clientPort = clientPort
        self.serverPort = serverPort
        self.clientSequence = clientSequence
        self.serverSequence = serverSequence
    }

    /// Sends one segment; `sequence` overrides the running one (for retransmissions and
    /// reordering) and does not advance it.
    @discardableResult
    mutating func send(
        fromClient: Bool, _ payload: [UInt8] = [], flags: TCPHeader.Flags = [.ack, .psh], sequence: UInt32? = nil
    ) -> [BootEvent] {
        self.frame += 1
        let running = fromClient ? self.clientSequence : self.serverSequence
        let segment = TCPSegment(
            flags: flags, sequenceNumber: sequence ?? running, acknowledgmentNumber: 0, payloadLength: payload.count,
            payload: self.isStream ? payload : [], isStream: self.isStream, fromServer: !fromClient
        )
        if sequence == nil {
            let advance = UInt32(segment.sequenceLength)
            if fromClient { self.clientSequence &+= advance } else { self.serverSequence &+= advance }
        }
        self.time += 1_000_000
        let packet = DecodedPacket(
            frameNumber: self.frame, timestamp: self.time,
            sourceMAC: fromClient ? self.clientMAC : Self.serverMAC,
            destinationMAC: fromClient ? Self.serverMAC : self.clientMAC,
            vlans: VLANTags(), source: fromClient ? Self.phone : Self.server,
            destination: fromClient ? Self.server : Self.phone,
            sourcePort: fromClient ? self.clientPort : self.serverPort,
            destinationPort: fromClient ? self.serverPort : self.clientPort,
            content: .tcp(segment)
        )
        return self.analyzer.consume(packet)
    }

    mutating func client(_ text: String) { self.send(fromClient: true, Array(text.utf8)) }
    mutating func server(_ text: String) { self.send(fromClient: false, Array(text.utf8)) }

    mutating func handshake() {
        self.send(fromClient: true, flags: [.syn])
        self.send(fromClient: false, flags: [.syn, .ack])
    }

    mutating func close() {
        self.send(fromClient: true, flags: [.fin, .ack])
        self.send(fromClient: false, flags: [.fin, .ack])
    }

    mutating func fetches() -> [Fetch] {
        self.analyzer.finish().report.phones.first?.fetches ?? []
    }
}

@Suite("TCP streams put back in order (RFC 9293 §3.4)")
struct TCPReassemblyTests {
    @Test("retransmitted, overlapping and early segments are read once and in order")
    func reorder() {
        var conversation = Conversation(serverPort: 80)
        conversation.handshake()
        let request = Array("GET /0004f2010203.cfg HTTP/1.1\r\nHost: 192.0.2.1\r\n\r\n".utf8)
        let start = conversation.clientSequence
        // The second half first, then the first half twice, then an overlap.
        conversation.send(fromClient: true, Array(request[20...]), sequence: start &+ 20)
        conversation.send(fromClient: true, Array(request[..<20]), sequence: start)
        conversation.send(fromClient: true, Array(request[..<20]), sequence: start)
        conversation.send(fromClient: true, Array(request[10..<30]), sequence: start &+ 10)
        conversation.clientSequence = start &+ UInt32(request.count)
        conversation.server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        let fetches = conversation.fetches()
        #expect(fetches.count == 1)
        #expect(fetches.first?.file == "/0004f2010203.cfg")
        #expect(fetches.first?.result == .ok)
        #expect(fetches.first?.bytes == 5)
    }

    @Test("sequence numbers may wrap past 2^32")
    func wrap() {
        var conversation = Conversation(serverPort: 80, clientSequence: UInt32.max - 10, serverSequence: UInt32.max - 3)
        conversation.handshake()
        conversation.client("GET /000000000000.cfg HTTP/1.1\r\n\r\n")
        conversation.server("HTTP/1.1 200 OK\r\n")
        conversation.server("Content-Length: 3\r\n\r\nabc")
        let fetches = conversation.fetches()
        #expect(fetches.map(\.result) == [.ok])
        #expect(fetches.first?.bytes == 3)
    }
}

@Suite("HTTP fetches (RFC 9112)")
struct HTTPFetchTests {
    @Test("status codes name the result; pipelined responses pair with their requests")
    func statuses() {
        var conversation = Conversation(serverPort: 80)
        conversation.handshake()
        conversation.client(
            "GET /0004f2010203.cfg HTTP/1.1\r\nHost: 192.0.2.1\r\n\r\nGET /000000000000.cfg HTTP/1.1\r\nHost: 192.0.2.1\r\n\r\n"
        )
        conversation.client("GET /secure/x.cfg HTTP/1.1\r\nAuthorization: Basic UGxjbVNwSXA6d3Jvbmc=\r\n\r\n")
        conversation.server("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found")
        conversation.server(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\n\r\n")
        conversation.server("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
        let fetches = conversation.fetches()
        #expect(fetches.map(\.result) == [.notFound, .ok, .loginFailed])
        #expect(fetches.map(\.statusCode) == [404, 200, 401])
        #expect(fetches[1].bytes == 7)
        #expect(fetches[2].user == "PlcmSpIp")
    }

    @Test(
        "heads split anywhere, by bare LF, or after empty lines (RFC 9112 §2.2) read alike",
        arguments: [1, 2, 3, 5, 7, 13, 64, 10_000])
    func headsSplitAnywhere(segmentLength: Int) {
        let requests =
            "\r\n\r\n\r\nGET /0004f2010203.cfg HTTP/1.1\r\nHost: 192.0.2.1\r\n\r\n"
            + "GET /000000000000.cfg HTTP/1.1\nHost: 192.0.2.1\n\n\r\nGET /a.cfg HTTP/1.1\r\n\r\n"
        let responses =
            "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"
            + "HTTP/1.1 200 OK\nContent-Length: 3\n\nabcHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nxy"
        func segments(_ text: String) -> [[UInt8]] {
            let bytes = Array(text.utf8)
            return stride(from: 0, to: bytes.count, by: segmentLength).map {
                Array(bytes[$0..<min(bytes.count, $0 + segmentLength)])
            }
        }
        var conversation = Conversation(serverPort: 80)
        conversation.handshake()
        for segment in segments(requests) { conversation.send(fromClient: true, segment) }
        for segment in segments(responses) { conversation.send(fromClient: false, segment) }
        let fetches = conversation.fetches()
        #expect(fetches.map(\.file) == ["/0004f2010203.cfg", "/000000000000.cfg", "/a.cfg"])
        #expect(fetches.map(\.statusCode) == [404, 200, 200])
        #expect(fetches.map(\.bytes) == [9, 3, 2])
    }

    @Test("a request head is read up to 64 KiB with its end; one longer is not a request")
    func headLimit() {
        // The head's bytes before its empty line: 65,533 fit (the head and its CR LF CR LF
        // reach one byte past the limit only with the last LF), 65,534 do not.
        for (length, fetched) in [(65_533, true), (65_534, false)] {
            let start = "GET /0004f2010203.cfg HTTP/1.1\r\nX-Pad: "
            let head = start + String(repeating: "a", count: length - start.utf8.count)
            let bytes = Array((head + "\r\n\r\n").utf8)
            var conversation = Conversation(serverPort: 80)
            conversation.handshake()
            for offset in stride(from: 0, to: bytes.count, by: 1448) {
                conversation.send(fromClient: true, Array(bytes[offset..<min(bytes.count, offset + 1448)]))
            }
            conversation.server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            #expect(conversation.fetches().map(\.file) == (fetched ? ["/0004f2010203.cfg"] : []), "\(length)")
        }
    }

    @Test("a body cut short is incomplete; a request with no response got no answer")
    func incomplete() {
        var conversation = Conversation(serverPort: 80)
        conversation.handshake()
        conversation.client("GET /3111-46162-001.sip.ld HTTP/1.1\r\n\r\n")
        conversation.server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        conversation.send(fromClient: false, [UInt8](repeating: 1, count: 400))
        var unanswered = Conversation(serverPort: 80)
        unanswered.handshake()
        unanswered.client("GET /000000000000.cfg HTTP/1.1\r\n\r\n")
        #expect(conversation.fetches().map(\.result) == [.incomplete])
        #expect(unanswered.fetches().map(\.result) == [.noAnswer])
    }

    @Test("the Polycom User-Agent names the model")
    func userAgent() {
        var conversation = Conversation(serverPort: 80)
        conversation.handshake()
        conversation.client(
            "GET /000000000000.cfg HTTP/1.1\r\nUser-Agent: FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614 Type/Application\r\n\r\n"
        )
        conversation.server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        let phone = conversation.analyzer.finish().report.phones.first
        #expect(phone?.model == "VVX 410")
        #expect(phone?.modelSource == .userAgent)
        #expect(phone?.applicationVersion == "5.9.5.0614")
    }

    @Test("a refused or unanswered connection is a fetch that failed")
    func connections() {
        var refused = Conversation(serverPort: 80)
        refused.send(fromClient: true, flags: [.syn])
        refused.send(fromClient: false, flags: [.rst, .ack])
        #expect(refused.fetches().map(\.result) == [.error])
        var silent = Conversation(serverPort: 80)
        silent.send(fromClient: true, flags: [.syn])
        silent.send(fromClient: true, flags: [.syn], sequence: 1000)
        let fetches = silent.fetches()
        #expect(fetches.map(\.result) == [.noAnswer])
        #expect(fetches.first?.requestFrames == [1, 2])
    }
}

@Suite("FTP fetches (RFC 959)")
struct FTPFetchTests {
    @Test("a passive RETR counts the data connection's bytes once, retransmissions included")
    func passiveRetrieve() {
        var control = Conversation(serverPort: 21)
        control.handshake()
        control.server("220 ready\r\n")
        control.client("USER PlcmSpIp\r\n")
        control.server("331 Password please.\r\n")
        control.client("PASS PlcmSpIp\r\n")
        control.server("230 Login successful.\r\n")
        control.client("EPSV\r\n")
        control.server("229 Entering Extended Passive Mode (|||30004|)\r\n")
        control.client("RETR 0004f2010203.cfg\r\n")
        control.server("150 Opening BINARY mode data connection.\r\n")
        // The data connection, through the same analyzer.
        var data = Conversation(clientPort: 40001, serverPort: 30004)
        data.analyzer = control.analyzer
        data.frame = control.frame
        data.isStream = false
        data.handshake()
        data.send(fromClient: false, [UInt8](repeating: 0x41, count: 300))
        data.send(fromClient: false, [UInt8](repeating: 0x41, count: 300), sequence: data.serverSequence &- 300)
        data.send(fromClient: false, [UInt8](repeating: 0x42, count: 47))
        data.close()
        control.analyzer = data.analyzer
        control.frame = data.frame
        control.server("226 Transfer complete.\r\n")
        let fetches = control.fetches()
        #expect(fetches.count == 1)
        #expect(fetches.first?.result == .ok)
        #expect(fetches.first?.bytes == 347)
        #expect(fetches.first?.user == "PlcmSpIp")
        #expect(fetches.first?.fetchProtocol == .ftp)
    }

    @Test("with only the SYN and FIN of the data connection (watch's filter), the size still comes out")
    func synAndFinOnly() {
        var control = Conversation(serverPort: 21)
        control.handshake()
        control.client("PASV\r\n")
        control.server("227 Entering Passive Mode (192,0,2,1,117,52).\r\n")
        control.client("RETR 3111-46162-001.sip.ld\r\n")
        var data = Conversation(clientPort: 40001, serverPort: 30004)
        data.analyzer = control.analyzer
        data.frame = control.frame
        data.isStream = false
        data.handshake()
        data.serverSequence &+= 300_000  // the data segments themselves were filtered out
        data.close()
        control.analyzer = data.analyzer
        control.frame = data.frame
        control.server("226 Transfer complete.\r\n")
        #expect(control.fetches().first?.bytes == 300_000)
    }

    @Test("530 to PASS is a failed login; 550 to RETR is a missing file; multi-line replies are read whole")
    func failures() {
        var login = Conversation(serverPort: 21)
        login.handshake()
        login.server("220-Welcome\r\n220-to the lab\r\n220 ready\r\n")
        login.client("USER PlcmSpIp\r\n")
        login.server("331 Password please.\r\n")
        login.client("PASS wrong\r\n")
        login.server("530 Login incorrect.\r\n")
        let failed = login.fetches()
        #expect(failed.map(\.result) == [.loginFailed])
        #expect(failed.first?.statusCode == 530)
        #expect(failed.first?.user == "PlcmSpIp")

        var missing = Conversation(serverPort: 21)
        missing.handshake()
        missing.server("220 ready\r\n")
        missing.client("USER PlcmSpIp\r\nPASS PlcmSpIp\r\n")
        missing.server("331 Password please.\r\n230 Login successful.\r\n")
        missing.client("RETR 0004f2010203.cfg\r\n")
        missing.server("550 Failed to open file.\r\n")
        missing.client("RETR 000000000000.cfg\r\n")
        missing.server("550 Permission denied.\r\n")
        #expect(missing.fetches().map(\.result) == [.notFound, .accessDenied])
    }

    /// A logged-in control connection, as curl opens it: banner, login, EPSV, TYPE I.
    private static func loggedIn() -> Conversation {
        var control = Conversation(serverPort: 21)
        control.handshake()
        control.server("220 ready\r\n")
        control.client("USER PlcmSpIp\r\n")
        control.server("331 Please specify the password.\r\n")
        control.client("PASS PlcmSpIp\r\n")
        control.server("230 Login successful.\r\n")
        control.client("EPSV\r\n")
        control.server("229 Entering Extended Passive Mode (|||30008|)\r\n")
        control.client("TYPE I\r\n")
        control.server("200 Switching to Binary mode.\r\n")
        return control
    }

    @Test(
        "SIZE or MDTM answered 550 and never retrieved is a read fetch not found, with the 550's code, text and frame",
        arguments: ["SIZE", "MDTM"])
    func probeNotFound(verb: String) throws {
        var control = Self.loggedIn()
        control.client("\(verb) 0004f2010203.cfg\r\n")
        let probeFrame = control.frame
        control.server("550 Could not get file size.\r\n")
        let replyFrame = control.frame
        control.client("QUIT\r\n")
        control.server("221 Goodbye.\r\n")
        control.close()
        let fetches = control.fetches()
        #expect(fetches.count == 1)
        let fetch = try #require(fetches.first)
        #expect(fetch.file == "0004f2010203.cfg")
        #expect(fetch.direction == .read)
        #expect(fetch.result == .notFound)
        #expect(fetch.statusCode == 550)
        #expect(fetch.errorCode == 550)
        #expect(fetch.errorMessage == "Could not get file size.")
        #expect(fetch.errorFrame == replyFrame)
        #expect(fetch.requestFrames == [probeFrame])
        #expect(fetch.firstFrame == probeFrame && fetch.lastFrame == replyFrame)
        #expect(fetch.bytes == 0)
        #expect(fetch.user == "PlcmSpIp")
    }

    @Test("a probed file missing at the end of the capture is reported; a 550 for lack of permission is access-denied")
    func probeAtCaptureEnd() {
        var control = Self.loggedIn()
        control.client("SIZE secure/0004f2010203.cfg\r\n")
        control.server("550 Permission denied.\r\n")
        control.client("MDTM 0004f2010203-phone.cfg\r\n")
        control.server("550 Could not get file modification time.\r\n")
        // No QUIT, no FIN: the capture ends with the connection open.
        let fetches = control.fetches()
        #expect(fetches.map(\.file) == ["secure/0004f2010203.cfg", "0004f2010203-phone.cfg"])
        #expect(fetches.map(\.result) == [.accessDenied, .notFound])
    }

    @Test("SIZE 550 then RETR of the same file is one fetch, the RETR's; so is SIZE 213 or 500 then RETR")
    func probeThenRetrieve() throws {
        var control = Self.loggedIn()
        control.client("SIZE 0004f2010203.cfg\r\n")
        control.server("550 Could not get file size.\r\n")
        control.client("RETR 0004f2010203.cfg\r\n")
        let retrieveFrame = control.frame
        control.server("550 Failed to open file.\r\n")
        let retrieveReply = control.frame
        // A file that is there, and a server that does not know MDTM: the RETR alone is a fetch.
        control.client("SIZE 000000000000.cfg\r\n")
        control.server("213 338\r\n")
        control.client("MDTM 000000000000.cfg\r\n")
        control.server("500 Unknown command.\r\n")
        control.client("RETR 000000000000.cfg\r\n")
        control.server("150 Opening BINARY mode data connection.\r\n")
        control.server("226 Transfer complete.\r\n")
        control.client("QUIT\r\n")
        control.close()
        let fetches = control.fetches()
        #expect(fetches.map(\.file) == ["0004f2010203.cfg", "000000000000.cfg"])
        #expect(fetches.map(\.result) == [.notFound, .ok])
        let missing = try #require(fetches.first)
        #expect(missing.requestFrames == [retrieveFrame])
        #expect(missing.errorFrame == retrieveReply)
        #expect(missing.errorMessage == "Failed to open file.")
    }

    @Test(
        "SIZE answered 213 and never transferred is an ok size check with the size, no bytes; MDTM 213, or SIZE 213 of a file already retrieved, is none"
    )
    func probeFound() throws {
        var control = Self.loggedIn()
        control.client("SIZE sip.ld\r\n")
        let sizeFrame = control.frame
        control.server("213 48213760\r\n")
        let replyFrame = control.frame
        control.client("MDTM phone1.cfg\r\n")
        control.server("213 20261129120000\r\n")
        control.client("RETR 000000000000.cfg\r\n")
        control.server("150 Opening BINARY mode data connection.\r\n226 Transfer complete.\r\n")
        control.client("SIZE 000000000000.cfg\r\n")
        control.server("213 338\r\n")
        control.client("QUIT\r\n")
        control.close()
        let fetches = control.fetches()
        #expect(fetches.map(\.file) == ["sip.ld", "000000000000.cfg"])
        #expect(fetches.map(\.result) == [.ok, .ok])
        #expect(fetches.map(\.sizeCheck) == [Fetch.SizeCheck(size: 48_213_760), nil])
        let size = try #require(fetches.first)
        #expect(size.bytes == 0)
        #expect(size.failure == nil)
        #expect(size.requestFrames == [sizeFrame] && size.lastFrame == replyFrame)
    }

    @Test("SIZE 550 then STOR of the same file (an upload that checks what is there) is one fetch, the upload")
    func probeThenStore() {
        var control = Self.loggedIn()
        control.client("SIZE 0004f2010203-boot.log\r\n")
        control.server("550 Could not get file size.\r\n")
        control.client("APPE 0004f2010203-boot.log\r\n")
        control.server("150 Ok to send data.\r\n226 Transfer complete.\r\n")
        control.close()
        let fetches = control.fetches()
        #expect(fetches.map(\.file) == ["0004f2010203-boot.log"])
        #expect(fetches.map(\.direction) == [.upload])
        #expect(fetches.map(\.result) == [.ok])
    }

    @Test("a file probed missing, then another file retrieved: two fetches in frame order")
    func probeThenOtherFile() {
        var control = Self.loggedIn()
        control.client("SIZE 0004f2010203.cfg\r\n")
        control.server("550 Could not get file size.\r\n")
        control.client("RETR 000000000000.cfg\r\n")
        control.server("150 Opening BINARY mode data connection.\r\n226 Transfer complete.\r\n")
        control.close()
        let fetches = control.fetches()
        #expect(fetches.map(\.file) == ["0004f2010203.cfg", "000000000000.cfg"])
        #expect(fetches.map(\.result) == [.notFound, .ok])
    }

    @Test("probes past the bound are reported as they go, each file once")
    func manyProbes() {
        var control = Self.loggedIn()
        let count = 100
        for index in 0..<count {
            control.client("SIZE missing-\(index).cfg\r\n")
            control.server("550 Could not get file size.\r\n")
        }
        control.close()
        let fetches = control.fetches()
        #expect(fetches.count == count)
        #expect(Set(fetches.map(\.file)).count == count)
        #expect(fetches.allSatisfy { $0.result == .notFound })
    }
}

@Suite("Followed TCP streams never trap on bad bytes")
struct TCPStreamFuzzTests {
    @Test(
        "random payloads, sequence numbers and flags on FTP, HTTP and HTTPS ports",
        arguments: [21, 80, 443] as [UInt16])
    func random(port: UInt16) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var conversation = Conversation(
                serverPort: port, clientSequence: .random(in: 0...UInt32.max, using: &generator))
            conversation.handshake()
            for _ in 0..<40 {
                let count = Int.random(in: 0...300, using: &generator)
                var payload = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                // Some text that looks like the protocol, to get past the first checks.
                if Bool.random(using: &generator) {
                    payload =
                        Array(
                            [
                                "220 x\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",
                                "\u{16}\u{3}\u{1}\u{0}\u{5}",
                            ].randomElement(using: &generator)?.utf8 ?? "".utf8) + payload
                }
                let flags: TCPHeader.Flags =
                    [[.ack], [.ack, .psh], [.fin, .ack], [.rst], [.syn]].randomElement(using: &generator) ?? [.ack]
                let shift = UInt32.random(in: 0...2_000, using: &generator)
                let fromClient = Bool.random(using: &generator)
                let base = fromClient ? conversation.clientSequence : conversation.serverSequence
                conversation.send(
                    fromClient: fromClient, payload, flags: flags,
                    sequence: Bool.random(using: &generator) ? base &- shift : nil)
            }
            let report = conversation.analyzer.finish().report
            #expect(report.phones.count <= 1)
        }
    }
}

@Suite("Flow state: provisioning traffic followed, the rest dropped, idle flows ended (issue 12)")
struct FlowStateTests {
    static let laptopMAC = MACAddress(rawValue: 0x3C52_8200_0001)

    @Test("a laptop's web request is dropped at its first request: no fetch, no record, no state once it ends")
    func laptopDropped() {
        var conversation = Conversation(serverPort: 80)
        conversation.clientMAC = Self.laptopMAC
        conversation.handshake()
        conversation.client("GET /index.html HTTP/1.1\r\nHost: example\r\nUser-Agent: Mozilla/5.0\r\n\r\n")
        #expect(conversation.analyzer.connectionsDropped == 1)
        #expect(conversation.analyzer.openFlows == 1)
        conversation.server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        conversation.close()
        #expect(conversation.analyzer.openFlows == 0)
        let report = conversation.analyzer.finish().report
        #expect(report.phones.isEmpty)
        #expect(report.otherDevices == 0)
    }

    @Test("a dropped connection that never closes is forgotten after the idle timeout")
    func droppedStubExpires() {
        var conversation = Conversation(serverPort: 443)
        conversation.clientMAC = Self.laptopMAC
        conversation.handshake()
        // A TLS ClientHello record header and a little of its body: HTTPS, no provisioning.
        conversation.send(fromClient: true, [0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00])
        #expect(conversation.analyzer.connectionsDropped == 1)
        #expect(conversation.analyzer.openFlows == 1)
        conversation.time += BootAnalyzer.idleTimeout + 2_000_000_000
        conversation.clientPort = 40001
        conversation.send(fromClient: true, flags: [.syn])
        #expect(conversation.analyzer.openFlows == 1)
    }

    @Test("--all-devices follows the same laptop request to its end")
    func laptopFollowedWithAllDevices() throws {
        var conversation = Conversation(serverPort: 80, analyzer: BootAnalyzer(options: .init(allDevices: true)))
        conversation.clientMAC = Self.laptopMAC
        conversation.handshake()
        conversation.client("GET /index.html HTTP/1.1\r\nHost: example\r\n\r\n")
        conversation.server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        conversation.close()
        #expect(conversation.analyzer.connectionsDropped == 0)
        let fetch = try #require(conversation.fetches().first)
        #expect(fetch.file == "/index.html")
        #expect(fetch.result == .ok)
        #expect(fetch.bytes == 5)
    }

    @Test(
        "a request for a provisioning file or with a Polycom User-Agent is followed, whoever the client",
        arguments: [
            "GET /0004f2abcdef.cfg HTTP/1.1\r\nHost: boot\r\n\r\n",
            "GET /site.cfg HTTP/1.1\r\nUser-Agent: FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614\r\n\r\n",
        ])
    func provisioningFollowed(request: String) throws {
        var conversation = Conversation(serverPort: 80)
        conversation.clientMAC = Self.laptopMAC
        conversation.handshake()
        conversation.client(request)
        conversation.server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        conversation.close()
        #expect(conversation.analyzer.connectionsDropped == 0)
        let fetch = try #require(conversation.fetches().first)
        #expect(fetch.result == .notFound)
    }

    @Test("a phone's connection that falls silent is ended after the idle timeout, as the end of the capture would")
    func idleConnectionEnded() throws {
        var conversation = Conversation(serverPort: 80)
        conversation.handshake()
        conversation.client("GET /0004f2010203.cfg HTTP/1.1\r\nHost: boot\r\n\r\n")
        #expect(conversation.analyzer.openFlows == 1)
        // Another connection, long after: the first is ended as it stands before this one starts.
        conversation.time += BootAnalyzer.idleTimeout + 2_000_000_000
        conversation.clientPort = 40001
        let events = conversation.send(fromClient: true, flags: [.syn])
        #expect(conversation.analyzer.openFlows == 1)
        let finished = events.compactMap { event -> Fetch? in
            if case .fetchFinished(_, let fetch) = event { fetch } else { nil }
        }
        let fetch = try #require(finished.first)
        #expect(fetch.file == "/0004f2010203.cfg")
        #expect(fetch.result != .ok)
    }

    @Test("a connection silent for less than the idle timeout is kept")
    func shortSilenceKept() {
        var conversation = Conversation(serverPort: 80)
        conversation.handshake()
        conversation.client("GET /0004f2010203.cfg HTTP/1.1\r\nHost: boot\r\n\r\n")
        conversation.time += BootAnalyzer.idleTimeout - 2_000_000_000
        conversation.server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        conversation.close()
        #expect(conversation.fetches().first?.result == .ok)
    }
}
