import Testing
import WireFormats

@Suite("FTP control lines (RFC 959, RFC 2428)")
struct FTPControlLineTests {
    @Test("commands keep their argument; verbs are case-insensitive; PASS is masked when shown")
    func commands() throws {
        let user = try FTPCommand(line: Array("user PlcmSpIp".utf8))
        #expect(user.verb == .user)
        #expect(user.verb.rawValue == "USER")
        #expect(user.argument == "PlcmSpIp")
        let pass = try FTPCommand(line: Array("PASS secret".utf8))
        #expect(pass.isPassword)
        #expect(pass.description == "PASS ***")
        #expect(!pass.description.contains("secret"))
        let quit = try FTPCommand(line: Array("QUIT".utf8))
        #expect(quit.argument == nil)
        let retr = try FTPCommand(line: Array("RETR dir/0004f2a1b2c3.cfg".utf8))
        #expect(retr.argument == "dir/0004f2a1b2c3.cfg")
        #expect(try FTPCommand(line: Array("retr x".utf8)).verb == .retrieve)
        let other = try FTPCommand(line: Array("xmkd dir".utf8))
        #expect(other.verb == FTPCommand.Verb(rawValue: "XMKD"))
        #expect(other.description == "XMKD dir")
    }

    @Test(
        "lines that are not commands are refused with the offset",
        arguments: ["", "X", "RETRIEVE file", "12 3", "\u{1}\u{2}\u{3}"])
    func notCommands(text: String) {
        #expect(throws: WireFormatError.self) { try FTPCommand(line: Array(text.utf8), offset: 40) }
    }

    @Test("PORT and EPRT name the client's data end")
    func activeEndpoints() throws {
        let port = try FTPCommand(line: Array("PORT 192,0,2,142,156,145".utf8)).activeEndpoint
        #expect(port?.address == IPv4Address(192, 0, 2, 142))
        #expect(port?.port == 40081)
        let eprt = try FTPCommand(line: Array("EPRT |1|192.0.2.142|40081|".utf8)).activeEndpoint
        #expect(eprt?.address == IPv4Address(192, 0, 2, 142))
        #expect(eprt?.port == 40081)
        #expect(try FTPCommand(line: Array("PORT 192,0,2,300,1,1".utf8)).activeEndpoint == nil)
        #expect(try FTPCommand(line: Array("EPRT |2|2001:db8::1|40081|".utf8)).activeEndpoint == nil)
    }

    @Test("replies: last line, first line of a multi-line reply, continuation")
    func replies() {
        let last = FTPReply(line: Array("530 Login incorrect.".utf8))
        #expect(last.code == 530)
        #expect(last.isLast)
        #expect(last.text == "Login incorrect.")
        let first = FTPReply(line: Array("211-Features:".utf8))
        #expect(first.code == 211)
        #expect(!first.isLast)
        let continuation = FTPReply(line: Array(" EPSV".utf8))
        #expect(continuation.code == nil)
        #expect(FTPReply(line: Array("226".utf8)).isLast)
        #expect(FTPReply(line: Array("2260 nope".utf8)).code == nil)
    }

    @Test("PASV and EPSV replies name the server's data port")
    func passiveEndpoints() {
        let pasv = FTPReply(line: Array("227 Entering Passive Mode (192,0,2,1,117,52).".utf8)).passiveEndpoint
        #expect(pasv?.address == IPv4Address(192, 0, 2, 1))
        #expect(pasv?.port == 30004)
        let bare = FTPReply(line: Array("227 Entering Passive Mode 192,0,2,1,117,52".utf8)).passiveEndpoint
        #expect(bare?.port == 30004)
        let epsv = FTPReply(line: Array("229 Entering Extended Passive Mode (|||30004|)".utf8)).passiveEndpoint
        #expect(epsv?.address == nil)
        #expect(epsv?.port == 30004)
        #expect(FTPReply(line: Array("229 Entering Extended Passive Mode (|||99999|)".utf8)).passiveEndpoint == nil)
        #expect(FTPReply(line: Array("200 OK".utf8)).passiveEndpoint == nil)
    }
}

@Suite("HTTP/1.x message heads (RFC 9112)")
struct HTTPHeadTests {
    @Test(
        "the path of every form of target: origin, absolute (scheme, host, port), no path, query, asterisk, not ASCII",
        arguments: [
            ("/a/b.cfg", "/a/b.cfg"), ("/a/b.cfg?x=1&y=2", "/a/b.cfg"), ("/?x", "/"),
            ("http://192.0.2.1/p/0004f2aabbcc.cfg", "/p/0004f2aabbcc.cfg"),
            ("https://boot.example:8443/x.cfg?y", "/x.cfg"), ("http://192.0.2.1", ""), ("http://192.0.2.1?q", ""),
            ("*", "*"), ("a:b/c", "a:b/c"), ("x:/y", "x:/y"), ("/é/a.cfg?q", "/é/a.cfg"),
            ("http://hôte/é.cfg", "/é.cfg"), ("hôte:80", "hôte:80"),
        ])
    func paths(target: String, path: String) throws {
        let head = try HTTPRequestHead(decoding: Array("GET \(target) HTTP/1.1\r\nHost: h".utf8))
        #expect(head.target == target)
        #expect(head.path == path)
    }

    @Test("a Polycom request: path, Host, User-Agent, Basic user without the password")
    func request() throws {
        let text =
            "GET /secure/0004f2aabbcc.cfg?x=1 HTTP/1.1\r\nHost: 192.0.2.1\r\n"
            + "user-agent: FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614 Type/Application\r\n"
            + "Authorization: Basic UGxjbVNwSXA6d3Jvbmc=\r\nContent-Length: 0"
        let head = try HTTPRequestHead(decoding: Array(text.utf8))
        #expect(head.method == .get)
        #expect(head.path == "/secure/0004f2aabbcc.cfg")
        #expect(head.headers["host"] == "192.0.2.1")
        #expect(head.headers["User-Agent"]?.hasPrefix("FileTransport Polycom") == true)
        #expect(head.basicAuthUser == "PlcmSpIp")
        #expect(head.headers.contentLength == 0)
    }

    @Test("field names are found whatever their case, and only letters are folded")
    func fieldNameCase() {
        let fields = HTTPHeaderFields([
            ("CONTENT-length", "5"), ("A[", "bracket"), ("\u{212A}EEP", "kelvin"), ("Host", "first"),
            ("host", "second"),
        ])
        #expect(fields["Content-Length"] == "5")
        #expect(fields["content-lengt"] == nil)
        #expect(fields["Content_Length"] == nil)
        // 0x5B `[` is no letter: `{` (0x7B) is not its lowercase.
        #expect(fields["a{"] == nil)
        #expect(fields["a["] == "bracket")
        // A name that is not ASCII is compared as Unicode lowercases it (KELVIN SIGN is `k`).
        #expect(fields["keep"] == "kelvin")
        #expect(fields["HOST"] == "first")
    }

    @Test("runs of spaces between request-line words; values lose the spaces and tabs around them (RFC 9110 §5.5)")
    func spacing() throws {
        let head = try HTTPRequestHead(
            decoding: Array("GET   /a.cfg  HTTP/1.1\nHost: \t 192.0.2.1  \r\nX-Tab: v\t\r\nX-Empty:   ".utf8))
        #expect(head.target == "/a.cfg")
        #expect(head.version == "HTTP/1.1")
        #expect(head.headers["host"] == "192.0.2.1")
        #expect(head.headers["x-tab"] == "v")
        #expect(head.headers["x-empty"] == "")
        #expect(head.headers.fields.count == 3)
        // U+0600 joins the space after it into one Character; the space is still OWS.
        let joined = try HTTPRequestHead(decoding: Array("GET / HTTP/1.1\r\nX-Sign: a\u{600} ".utf8))
        #expect(joined.headers["x-sign"] == "a\u{600}")
    }

    @Test("an absolute-form target (through a proxy) keeps only its path")
    func absoluteForm() throws {
        let head = try HTTPRequestHead(
            decoding: Array("GET http://prov.example.test:8080/phones/000000000000.cfg HTTP/1.0".utf8))
        #expect(head.path == "/phones/000000000000.cfg")
        let other = try HTTPRequestHead(decoding: Array("PROPFIND /phones/ HTTP/1.1".utf8))
        #expect(other.method == HTTPRequestHead.Method(rawValue: "PROPFIND"))
        #expect(other.method != .get)
    }

    @Test("responses: status, reason, length, chunked")
    func response() throws {
        let head = try HTTPResponseHead(
            decoding: Array("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nTransfer-Encoding: chunked".utf8))
        #expect(head.status == 404)
        #expect(head.reason == "Not Found")
        #expect(head.headers.contentLength == 9)
        #expect(head.headers.isChunked)
        #expect(try HTTPResponseHead(decoding: Array("HTTP/1.0 200".utf8)).status == 200)
    }

    @Test(
        "heads that are not HTTP give typed errors",
        arguments: [
            "GET /", "get / HTTP/1.1 extra", "GET / FTP/1.0", "GET / HTTP/1.1\r\nno colon here",
            "GET / HTTP/1.1\r\nbad name: x",
        ])
    func badRequests(text: String) {
        #expect(throws: WireFormatError.self) { try HTTPRequestHead(decoding: Array(text.utf8)) }
    }

    @Test(
        "status lines that are not HTTP give typed errors",
        arguments: ["HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "SIP/2.0 200 OK", ""])
    func badResponses(text: String) {
        #expect(throws: WireFormatError.self) { try HTTPResponseHead(decoding: Array(text.utf8)) }
    }
}

@Suite("TLS records, ClientHello and alerts (RFC 8446, RFC 6066)")
struct TLSTests {
    /// A minimal ClientHello handshake message with `extensions`.
    static func clientHello(serverName: String?) -> [UInt8] {
        var extensions: [UInt8] = []
        if let serverName {
            let name = Array(serverName.utf8)
            let list: [UInt8] = [0] + be16(name.count) + name
            extensions += be16(0) + be16(list.count + 2) + be16(list.count) + list
        }
        extensions += be16(0x000D) + be16(4) + [0, 2, 4, 3]  // signature_algorithms
        var body: [UInt8] = [3, 3] + [UInt8](repeating: 7, count: 32)
        body += [0]  // session id
        body += be16(2) + [0x13, 0x01]  // one cipher suite
        body += [1, 0]  // null compression
        body += be16(extensions.count) + extensions
        return [1] + [0] + be16(body.count) + body
    }

    @Test("the server name comes from the server_name extension")
    func serverName() throws {
        #expect(
            try TLSClientHello(decoding: Self.clientHello(serverName: "prov.example.test")).serverName
                == "prov.example.test")
        #expect(try TLSClientHello(decoding: Self.clientHello(serverName: nil)).serverName == nil)
    }

    @Test("every truncation of a ClientHello is a typed error, never a trap")
    func truncations() {
        let hello = Self.clientHello(serverName: "prov.example.test")
        for length in 0..<hello.count {
            do {
                let parsed = try TLSClientHello(decoding: Array(hello.prefix(length)))
                // A cut inside the extensions is caught by the handshake length.
                Issue.record("length \(length) decoded: \(parsed)")
            } catch {}
        }
    }

    @Test("record headers: type, version and length are checked")
    func recordHeaders() throws {
        let header = try TLSRecordHeader(decoding: [22, 3, 1, 0, 228])
        #expect(header.contentType == .handshake)
        #expect(header.bodyLength == 228)
        // "GET /"
        #expect(throws: WireFormatError.self) { try TLSRecordHeader(decoding: [0x47, 0x45, 0x54, 0x20, 0x2F]) }
        #expect(throws: WireFormatError.self) { try TLSRecordHeader(decoding: [23, 3, 3, 0xFF, 0xFF]) }
        #expect(throws: WireFormatError.self) { try TLSRecordHeader(decoding: [23, 3]) }
    }

    @Test("alerts are named as the RFC names them")
    func alerts() throws {
        let alert = try TLSAlert(decoding: [2, 48])
        #expect(alert.isFatal)
        #expect(alert.description == "fatal unknown_ca")
        #expect(try TLSAlert(decoding: [1, 0]).description == "warning close_notify")
        #expect(throws: WireFormatError.self) { try TLSAlert(decoding: [2]) }
    }
}

private func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
