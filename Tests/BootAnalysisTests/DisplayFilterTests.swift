import Testing
import WireFormats

@testable import BootAnalysis

/// The text of each display filter, built from records made by hand; that tshark shows
/// exactly the frames named is `PhoneBootTests/DisplayFilterTests`' to check.
@Suite("DisplayFilter text")
struct DisplayFilterTests {
    typealias Fixture = PhoneRecordFixture

    static let phone = IPv4Address(192, 0, 2, 101)

    @Test("frames: runs of consecutive frames are ranges, duplicates and order do not matter, none is no filter")
    func frameSets() {
        #expect(DisplayFilter.frames([9, 1, 2, 3, 4, 2])?.text == "frame.number in {1..4, 9}")
        #expect(DisplayFilter.frames([7])?.text == "frame.number in {7}")
        #expect(DisplayFilter.frames([5, 7, 6, 10, 12, 11])?.text == "frame.number in {5..7, 10..12}")
        #expect(DisplayFilter.frames([]) == nil)
        let finding = Finding(code: .fileNotFound, severity: .info, message: "", hint: "", frames: [1191, 1190])
        #expect(DisplayFilter.finding(finding)?.text == "frame.number in {1190..1191}")
    }

    @Test("a DHCP exchange: chaddr and xid with its frames; a message joined by Ethernet address by frame alone")
    func transaction() throws {
        let lease = Fixture.lease()
        #expect(
            DisplayFilter.transaction(lease, mac: Fixture.mac)?.text
                == "dhcp.hw.mac_addr == 00:04:f2:aa:bb:01 && dhcp.id == 0x1234abcd && frame.number in {1..4}")
        var odd = DHCPTransaction(transactionID: 0xAB)
        odd.add(Fixture.message(.discover, frame: 3), parameterRequestList: nil)
        var noChaddr = Fixture.message(.offer, frame: 8)
        noChaddr.clientHardwareAddressIsMAC = false
        odd.add(noChaddr, parameterRequestList: nil)
        #expect(
            DisplayFilter.transaction(odd, mac: Fixture.mac)?.text
                == "(dhcp.hw.mac_addr == 00:04:f2:aa:bb:01 && dhcp.id == 0x000000ab && frame.number in {3}) || (frame.number in {8})"
        )
    }

    @Test("a TFTP fetch: its one conversation, port 69 and the transfer ID, from its first to its last frame")
    func tftpFetch() throws {
        let fetch = Fetch(
            server: Fixture.bootHost, serverPort: 50_000, file: "a.cfg", direction: .read, result: .ok, bytes: 10,
            firstFrame: 5, lastFrame: 9, requestFrames: [5], failure: nil,
            detail: .tftp(blockSize: nil, duplicateBlocks: 0, missingBlocks: 0),
            conversations: [
                FetchConversation(
                    transport: .udp, client: Self.phone, clientPort: 1024, server: Fixture.bootHost,
                    serverPorts: [69, 50_000, 69])
            ]
        )
        #expect(
            DisplayFilter.fetch(fetch)?.text
                == "!icmp && ip.addr == 192.0.2.101 && ip.addr == 192.0.2.10 && udp.port == 1024 && udp.port in {69, 50000} && frame.number in {5..9}"
        )
        // Built by hand without conversations: nothing to name.
        #expect(DisplayFilter.fetch(Fixture.fetch("a.cfg")) == nil)
    }

    @Test("the longest pieces: each part is written into room made for it, so the widest values must fit")
    func widestValues() throws {
        let widest = IPv4Address(255, 255, 255, 255)
        let fetch = Fetch(
            server: widest, serverPort: 65_535, file: "a.cfg", direction: .read, result: .ok, bytes: 10,
            firstFrame: Int.max - 1, lastFrame: Int.max, requestFrames: [Int.max - 1], failure: nil,
            detail: .tftp(blockSize: nil, duplicateBlocks: 0, missingBlocks: 0),
            conversations: [
                FetchConversation(
                    transport: .udp, client: IPv4Address(255, 255, 255, 254), clientPort: 65_534, server: widest,
                    serverPorts: [69, 65_535, 65_533, 65_532, 65_531])
            ]
        )
        let max = Int.max
        #expect(
            DisplayFilter.fetch(fetch)?.text
                == "!icmp && ip.addr == 255.255.255.254 && ip.addr == 255.255.255.255 && udp.port == 65534 && udp.port in {69, 65535, 65533, 65532, 65531} && frame.number in {\(max - 1)..\(max)}"
        )
        // The fixture's timestamps are frame × 1 s: frames up to Int64.max / 10⁹.
        var transaction = DHCPTransaction(transactionID: 0xFFFF_FFFF)
        transaction.add(Fixture.message(.discover, frame: 9_223_372_034), parameterRequestList: nil)
        transaction.add(Fixture.message(.request, frame: 9_223_372_036), parameterRequestList: nil)
        #expect(
            DisplayFilter.transaction(transaction, mac: MACAddress(rawValue: 0xFFFF_FFFF_FFFF))?.text
                == "dhcp.hw.mac_addr == ff:ff:ff:ff:ff:ff && dhcp.id == 0xffffffff && frame.number in {9223372034, 9223372036}"
        )
        #expect(
            DisplayFilter.frames([Int.min, Int.min + 1, max])?.text
                == "frame.number in {\(Int.min)..\(Int.min + 1), \(max)}")
    }

    @Test("an FTP fetch: the control connection and the data connection's named port, on one address pair")
    func ftpFetch() throws {
        let fetch = Fetch(
            ends: TCPConnectionEnds(client: Self.phone, clientPort: 40_000, server: Fixture.bootHost, serverPort: 21),
            file: "a.cfg", direction: .read, result: .ok, bytes: 10, firstFrame: 20, lastFrame: 20,
            requestFrames: [20], code: 226, message: nil, errorFrame: nil, detail: .ftp(user: nil, replyCode: 226),
            data: FetchConversation(
                transport: .tcp, client: Self.phone, clientPort: nil, server: Fixture.bootHost, serverPorts: [30_000])
        )
        #expect(
            DisplayFilter.fetch(fetch)?.text
                == "!icmp && ip.addr == 192.0.2.101 && ip.addr == 192.0.2.10 && ((tcp.port == 40000 && tcp.port == 21) || tcp.port == 30000) && frame.number in {20}"
        )
        let other = Fetch(
            ends: TCPConnectionEnds(client: Self.phone, clientPort: 40_000, server: Fixture.bootHost, serverPort: 21),
            file: "a.cfg", direction: .read, result: .ok, bytes: 10, firstFrame: 20, lastFrame: 30,
            requestFrames: [20], code: 226, message: nil, errorFrame: nil, detail: .ftp(user: nil, replyCode: 226),
            data: FetchConversation(
                transport: .tcp, client: Self.phone, clientPort: 2000, server: Fixture.otherHost, serverPorts: [])
        )
        #expect(
            DisplayFilter.fetch(other)?.text
                == "!icmp && ((ip.addr == 192.0.2.101 && ip.addr == 192.0.2.10 && tcp.port == 40000 && tcp.port == 21) || (ip.addr == 192.0.2.101 && ip.addr == 198.51.100.7 && tcp.port == 2000)) && frame.number in {20..30}"
        )
    }

    /// An HTTP fetch from `server` on client port `port`, frames `first...last`.
    static func http(_ server: IPv4Address, port: UInt16, _ first: Int, _ last: Int) -> Fetch {
        Fetch(
            ends: TCPConnectionEnds(client: Self.phone, clientPort: port, server: server, serverPort: 80),
            file: "a.cfg", direction: .read, result: .ok, bytes: 10, firstFrame: first, lastFrame: last,
            requestFrames: [first], code: 200, message: nil, errorFrame: nil,
            detail: .http(status: 200, user: nil, host: nil, userAgent: nil)
        )
    }

    @Test("a phone: its DHCP exchanges and fetches joined by ||, one address test for the fetches between two hosts")
    func phoneFilter() throws {
        let lease = "dhcp.hw.mac_addr == 00:04:f2:aa:bb:01 && dhcp.id == 0x1234abcd && frame.number in {1..4}"
        let one = Fixture.record([Fixture.lease()], fetches: [Self.http(Fixture.bootHost, port: 40_000, 6, 12)])
        #expect(
            DisplayFilter.phone(one)?.text
                == "(\(lease)) || (!icmp && ip.addr == 192.0.2.101 && ip.addr == 192.0.2.10 && tcp.port == 40000 && tcp.port == 80 && frame.number in {6..12})"
        )
        let three = Fixture.record(
            [Fixture.lease()],
            fetches: [
                Self.http(Fixture.bootHost, port: 40_000, 6, 12), Self.http(Fixture.otherHost, port: 40_001, 13, 20),
                Self.http(Fixture.bootHost, port: 40_002, 21, 30),
            ]
        )
        #expect(
            DisplayFilter.phone(three)?.text
                == "(\(lease)) || (!icmp && ip.addr == 192.0.2.101 && ip.addr == 192.0.2.10 && ((tcp.port == 40000 && tcp.port == 80 && frame.number in {6..12}) || (tcp.port == 40002 && tcp.port == 80 && frame.number in {21..30}))) || (!icmp && ip.addr == 192.0.2.101 && ip.addr == 198.51.100.7 && tcp.port == 40001 && tcp.port == 80 && frame.number in {13..20})"
        )
        #expect(DisplayFilter.phone(Fixture.record()) == nil)
    }

    @Test("a phone's filters, worked out together, are each part's own")
    func phoneFilters() throws {
        var odd = DHCPTransaction(transactionID: 0xAB)
        var noChaddr = Fixture.message(.offer, frame: 8)
        noChaddr.clientHardwareAddressIsMAC = false
        odd.add(noChaddr, parameterRequestList: nil)
        let record = Fixture.record(
            [Fixture.lease(), odd],
            fetches: [
                Self.http(Fixture.bootHost, port: 40_000, 6, 12), Fixture.fetch("a.cfg"),
                Self.http(Fixture.otherHost, port: 40_001, 13, 20),
            ]
        )
        let filters = DisplayFilter.filters(of: record)
        #expect(filters.phone == DisplayFilter.phone(record))
        #expect(filters.phone != nil)
        #expect(filters.transactions == record.transactions.map { DisplayFilter.transaction($0, mac: record.mac) })
        #expect(filters.fetches == record.fetches.map(DisplayFilter.fetch))
        #expect(filters.fetches[1] == nil)
    }
}
