import Testing
import WireFormats

@Suite("DHCP messages (RFC 2131, 2132, 3396)")
struct DHCPMessageTests {
    @Test("a real OFFER decodes field by field")
    func realOffer() throws {
        let message = try DHCPMessage(decoding: Fixtures.arubaOffer)
        #expect(message.op == 2)
        #expect(message.transactionID == 0x0000_07C0)
        #expect(message.yourAddress == IPv4Address("128.2.6.97"))
        #expect(message.serverAddress == IPv4Address("172.19.230.7"))
        #expect(message.clientMAC == MACAddress("90:b1:1c:99:49:29"))
        #expect(message.messageType == .offer)
        let options = message.options
        #expect(options.serverIdentifier == IPv4Address("128.2.6.152"))
        #expect(options.leaseTime == 900)
        #expect(options.subnetMask == IPv4Address("255.255.255.0"))
        #expect(options.routers == [IPv4Address("128.2.6.1")!])
        #expect(options.domainNameServers == [IPv4Address("128.2.1.11")!, IPv4Address("128.2.1.10")!])
        #expect(options.bootfileName == "network-confg")
        #expect(options.vendorClass == .text("ArubaAP"))
        #expect(options.vendorClass?.isPolycom == false)
        #expect(options.domainName == "cmu.edu")
        #expect(options.codes.map(\.rawValue) == [53, 54, 51, 1, 3, 6, 4, 67, 28, 42, 43, 60, 44, 46, 15])
    }

    @Test("decode then encode gives back the same bytes", arguments: [Fixtures.arubaOffer, Fixtures.overloadBoth])
    func roundTrip(bytes: [UInt8]) throws {
        let message = try DHCPMessage(decoding: bytes)
        #expect(message.encoded() == bytes)
        #expect(message.encodedCount == bytes.count)
    }

    @Test("option 52 = 3 reads options from sname and file, and RFC 3396 joins the pieces in order")
    func overloadBoth() throws {
        let message = try DHCPMessage(decoding: Fixtures.overloadBoth)
        #expect(message.options.overload == 3)
        #expect(message.fileOptions?.options.map(\.code) == [DHCPOptionCode(56)])
        #expect(message.serverNameOptions?.options.map(\.code) == [DHCPOptionCode(56)])
        #expect(message.serverName == nil)
        #expect(message.bootFileName == nil)
        let text = String(decoding: message.options[DHCPOptionCode(56)] ?? [], as: UTF8.self)
        // options field first, then file, then sname (RFC 3396 §7).
        #expect(text == "Paddingfile name field overloadsname field overload")
        #expect(message.options.maximumMessageSize == 590)
        #expect(message.options.parameterRequestList?.map(\.rawValue) == [1, 28, 3, 43])
    }

    @Test("every truncation of a real message throws a typed error or decodes to exactly that prefix")
    func everyTruncation() {
        for bytes in [Fixtures.arubaOffer, Fixtures.overloadBoth] {
            for length in 0..<bytes.count {
                let prefix = Array(bytes.prefix(length))
                do {
                    let message = try DHCPMessage(decoding: prefix)
                    #expect(message.encoded() == prefix, "prefix \(length) decoded but does not re-encode")
                } catch {
                    #expect(error.layer == "DHCP" || error.layer == "BOOTP")
                    #expect(error.offset <= length, "error offset \(error.offset) beyond the \(length) bytes given")
                    if length < DHCPMessage.fixedHeaderLength {
                        #expect(error.code == .truncated)
                    }
                }
            }
        }
    }

    @Test("a header cut short names the BOOTP field it stopped in")
    func truncatedHeaderNamesField() {
        #expect(throws: WireFormatError.self) { try DHCPMessage(decoding: Array(Fixtures.arubaOffer.prefix(30))) }
        do {
            _ = try DHCPMessage(decoding: Array(Fixtures.arubaOffer.prefix(30)))
        } catch {
            #expect(error.field == "chaddr")
            #expect(error.code == .truncated)
        }
    }

    @Test("an option length that runs past the end is an invalid-length error at the length byte")
    func optionPastEnd() throws {
        var bytes = Array(Fixtures.arubaOffer.prefix(240))
        bytes += [53, 1, 2, 66, 40] + Array("192.0.2.1".utf8)  // option 66 claims 40 bytes, has 9
        do {
            _ = try DHCPMessage(decoding: bytes)
            Issue.record("decoded a message whose option 66 runs past the end")
        } catch {
            #expect(error.code == .invalidLength)
            #expect(error.offset == 244)
            #expect(error.field == "option 66 length")
        }
    }

    @Test("an option code with no length byte at the very end is truncated")
    func optionWithoutLength() {
        let bytes = Array(Fixtures.arubaOffer.prefix(240)) + [53]
        #expect(throws: WireFormatError.self) { try DHCPMessage(decoding: bytes) }
    }

    @Test("option 52 inside an overloaded field (pointing at itself) is refused")
    func overloadPointingAtItself() {
        var bytes = Fixtures.overloadBoth
        // The sname field starts at 44: put option 52 = 2 there, so sname claims to overload sname.
        bytes.replaceSubrange(44..<48, with: [52, 1, 2, 255])
        do {
            _ = try DHCPMessage(decoding: bytes)
            Issue.record("accepted an overload loop")
        } catch {
            #expect(error.code == .overloadLoop)
            #expect(error.offset == 44)
        }
    }

    @Test("option 52 with a value other than 1, 2 or 3 is refused", arguments: [UInt8(0), 4, 255])
    func overloadBadValue(value: UInt8) {
        var bytes = Fixtures.overloadBoth
        let index = 240 + 3 + 4 + 6 + 6 + 2  // 53, 57, 55, 51 come first; then 52 and its length
        #expect(bytes[index - 2] == 52)
        bytes[index] = value
        #expect(throws: WireFormatError.self) { try DHCPMessage(decoding: bytes) }
    }

    @Test("BOOTP without the magic cookie needs the 64-byte vend field (RFC 951)")
    func bootpVend() throws {
        var bytes = Array(Fixtures.arubaOffer.prefix(236))
        #expect(throws: WireFormatError.self) { try DHCPMessage(decoding: bytes + [0, 0, 0, 0]) }
        bytes += [UInt8](repeating: 0, count: 64)
        let message = try DHCPMessage(decoding: bytes)
        #expect(message.hasMagicCookie == false)
        #expect(message.messageType == nil)
        #expect(message.encoded() == bytes)
    }

    @Test("a long option is split into 255-byte pieces and joined again (RFC 3396)")
    func longOption() throws {
        let url = "https://provisioning.example/" + String(repeating: "p", count: 300)
        let message = Fixtures.polycomDiscover(options: [DHCPOption(code: .polycomBootServer, string: url)])
        let bytes = message.encoded()
        let decoded = try DHCPMessage(decoding: bytes)
        guard case .options(let area) = decoded.vendorArea else {
            Issue.record("no options")
            return
        }
        #expect(area.options.filter { $0.code == .polycomBootServer }.map(\.data.count) == [255, url.utf8.count - 255])
        #expect(decoded.options.polycomBootServer == url)
        #expect(decoded == message)
    }

    @Test("option 150 is a list of addresses; option 82 splits into sub-options")
    func typedLists() throws {
        let message = Fixtures.polycomDiscover(options: [
            DHCPOption(code: .tftpServerAddress, data: [192, 0, 2, 10, 198, 51, 100, 7]),
            DHCPOption(code: .relayAgentInformation, data: [1, 4, 0x65, 0x74, 0x68, 0x31, 2, 2, 0xAB, 0xCD]),
        ])
        let options = try DHCPMessage(decoding: message.encoded()).options
        #expect(options.tftpServerAddresses == [IPv4Address("192.0.2.10")!, IPv4Address("198.51.100.7")!])
        #expect(options.relayAgentInformation?.circuitID == Array("eth1".utf8))
        #expect(options.relayAgentInformation?.remoteID == [0xAB, 0xCD])
        #expect(options.validationErrors.isEmpty)
        #expect(options.requests(.polycomBootServer))
        #expect(options.requests(.tftpServerName))
        #expect(!options.requests(.tftpServerAddress))
    }

    @Test("options with impossible sizes are reported, not trusted")
    func validation() {
        let message = Fixtures.polycomDiscover(options: [
            DHCPOption(code: .serverIdentifier, data: [192, 0, 2]),
            DHCPOption(code: .tftpServerAddress, data: [192, 0, 2, 10, 1]),
            DHCPOption(code: .relayAgentInformation, data: [1, 9, 0x65]),
        ])
        let options = message.options
        #expect(options.serverIdentifier == nil)
        #expect(options.tftpServerAddresses == nil)
        #expect(options.relayAgentInformation == nil)
        #expect(options.validationErrors.count == 3)
    }

    @Test("option 160 is named for what it is on a phone network")
    func option160Name() {
        #expect(DHCPOptionCode.polycomBootServer.name == "boot server (Polycom)")
        #expect(DHCPOptionCode(200).name == "option 200")
    }

    @Test("a byte-swapped secs field is flagged")
    func littleEndianSecs() {
        var message = Fixtures.polycomDiscover()
        message.seconds = 0x1A00
        #expect(message.secondsAppearLittleEndian)
        #expect(message.secondsByteSwapped == 26)
        message.seconds = 26
        #expect(!message.secondsAppearLittleEndian)
    }
}
