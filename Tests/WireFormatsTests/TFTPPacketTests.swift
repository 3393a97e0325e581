import Testing
import WireFormats

@Suite("TFTP packets (RFC 1350, 2347, 2348, 2349, 7440)")
struct TFTPPacketTests {
    @Test(
        "every opcode round-trips",
        arguments: [
            TFTPPacket.readRequest(
                TFTPRequest(
                    filename: "0004f2a1b2c3.cfg", mode: "octet",
                    options: [
                        TFTPOption(name: "blksize", value: "1428"), TFTPOption(name: "tsize", value: "0"),
                        TFTPOption(name: "timeout", value: "5"), TFTPOption(name: "windowsize", value: "4"),
                    ])),
            .writeRequest(TFTPRequest(filename: "0004f2a1b2c3-boot.log", mode: "netascii")),
            .data(block: 65535, byteCount: 512),
            .data(block: 1, byteCount: 0),
            .acknowledgment(block: 0),
            .error(code: 1, message: "File not found"),
            .optionAcknowledgment([
                TFTPOption(name: "blksize", value: "1428"), TFTPOption(name: "tsize", value: "300000"),
            ]),
        ])
    func roundTrip(packet: TFTPPacket) throws {
        #expect(try TFTPPacket(decoding: packet.encoded()) == packet)
    }

    @Test("error codes carry the names RFC 1350 and RFC 2347 give them; others their number")
    func errorCodeNames() {
        #expect(TFTPPacket.ErrorCode.fileNotFound.name == "file not found")
        #expect(TFTPPacket.ErrorCode(rawValue: 5).name == "unknown transfer ID")
        #expect(TFTPPacket.ErrorCode(rawValue: 8) == .optionRefused)
        #expect(TFTPPacket.ErrorCode(rawValue: 42).name == "code 42")
    }

    @Test("request options are read without regard to case (RFC 2347)")
    func optionCase() throws {
        let packet = try TFTPPacket(decoding: [0, 1] + Array("sip.ld\u{0}octet\u{0}BLKSIZE\u{0}1024\u{0}".utf8))
        guard case .readRequest(let request) = packet else {
            Issue.record("not an RRQ")
            return
        }
        #expect(request.requestedBlockSize == 1024)
        #expect(request.options.value(of: "blksize") == "1024")
    }

    @Test("text that is not UTF-8 is read with its bad bytes replaced, in names, modes, options and errors")
    func textNotUTF8() throws {
        let bad: [UInt8] = [0x61, 0xFF, 0xC3, 0x62]  // a, a byte no UTF-8 has, a cut two-byte sequence, b
        let text = String(decoding: bad, as: UTF8.self)
        #expect(text == "a\u{FFFD}\u{FFFD}b")
        let request = try TFTPPacket(decoding: [0, 1] + bad + [0] + bad + [0] + bad + [0] + bad + [0])
        #expect(
            request
                == .readRequest(TFTPRequest(filename: text, mode: text, options: [TFTPOption(name: text, value: text)]))
        )
        #expect(try TFTPPacket(decoding: [0, 5, 0, 2] + bad + [0]) == .error(code: 2, message: text))
        // Empty text, and text that runs to the end without its NUL.
        #expect(try TFTPPacket(decoding: [0, 1, 0, 0]) == .readRequest(TFTPRequest(filename: "", mode: "")))
        #expect(throws: WireFormatError.self) { try TFTPPacket(decoding: [0, 1] + bad) }
    }

    @Test("a block size outside 8–65464 is not taken as one", arguments: ["7", "65465", "abc", ""])
    func invalidBlockSize(value: String) {
        #expect([TFTPOption(name: "blksize", value: value)].blockSize == nil)
    }

    /// Malformed TFTP payloads and the error each must give.
    static let malformedCases: [(bytes: [UInt8], code: WireFormatError.Code)] = {
        let truncated = WireFormatError.Code.truncated
        let request: [UInt8] = [0, 1]
        return [
            ([], truncated),
            ([0], truncated),
            ([0, 9], .invalidValue),
            (request + Array("no-terminator".utf8), truncated),
            (request + Array("file\u{0}octet".utf8), truncated),
            (request + Array("file\u{0}octet\u{0}blksize".utf8), truncated),
            ([0, 3, 0], truncated),
            ([0, 4], truncated),
            ([0, 5, 0, 1] + Array("not found".utf8), truncated),
        ]
    }()

    @Test("malformed packets give typed errors", arguments: Self.malformedCases)
    func malformed(bytes: [UInt8], code: WireFormatError.Code) {
        do {
            let packet = try TFTPPacket(decoding: bytes)
            Issue.record("decoded \(packet)")
        } catch {
            #expect(error.code == code)
            #expect(error.layer == "TFTP")
        }
    }
}
