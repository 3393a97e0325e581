import WireFormats

@testable import BootAnalysis

/// Phone records built by hand for the finding-rule tests: one phone, one DHCP server and a
/// boot server, with only the fields a rule reads filled in; no capture involved.
enum PhoneRecordFixture {
    static let mac = MACAddress(rawValue: 0x0004_F2AA_BB01)
    /// `<mac>.cfg` of ``mac``.
    static let macConfig = "0004f2aabb01.cfg"
    static let dhcpServer = IPv4Address(192, 0, 2, 1)
    static let otherDHCPServer = IPv4Address(192, 0, 2, 2)
    static let bootHost = IPv4Address(192, 0, 2, 10)
    static let otherHost = IPv4Address(198, 51, 100, 7)

    /// A DHCP message; DISCOVER, REQUEST and INFORM come from the phone, the rest from `server`.
    static func message(
        _ type: DHCPMessageType, frame: Int, server: IPv4Address = dhcpServer, option160: String? = nil,
        option66: String? = nil, option150: [IPv4Address]? = nil
    ) -> DHCPTransaction.Message {
        let fromClient = [.discover, .request, .inform].contains(type)
        return DHCPTransaction.Message(
            frame: frame, timestamp: Int64(frame) * 1_000_000_000, type: type, fromClient: fromClient,
            server: fromClient ? nil : server, yourAddress: IPv4Address(192, 0, 2, 101), option160: option160,
            option66: option66, option150: option150, option67: nil, bootOptionNotText: false
        )
    }

    /// One exchange of `messages`; `requesting` is the phone's parameter request list.
    static func transaction(
        xid: UInt32 = 0x1234_abcd, _ messages: [DHCPTransaction.Message], requesting: [DHCPOptionCode]? = nil
    ) -> DHCPTransaction {
        var transaction = DHCPTransaction(transactionID: xid)
        for message in messages {
            transaction.add(message, parameterRequestList: message.fromClient ? requesting : nil)
        }
        return transaction
    }

    /// DISCOVER (1), OFFER (2), REQUEST (3), ACK (4) from ``dhcpServer``, the ACK with these
    /// boot options; the phone asks for `requesting` (by default 66, 150 and 160).
    static func lease(
        option160: String? = nil, option66: String? = nil, option150: [IPv4Address]? = nil,
        requesting: [DHCPOptionCode]? = [.subnetMask, .router, .tftpServerName, .tftpServerAddress, .polycomBootServer]
    ) -> DHCPTransaction {
        self.transaction(
            [
                self.message(.discover, frame: 1),
                self.message(.offer, frame: 2, option160: option160, option66: option66, option150: option150),
                self.message(.request, frame: 3),
                self.message(.ack, frame: 4, option160: option160, option66: option66, option150: option150),
            ],
            requesting: requesting
        )
    }

    /// The boot server the analyzer would take from the ACK in frame `frame`.
    static func bootServer(
        _ string: String, option: DHCPOptionCode = .polycomBootServer, frame: Int = 4
    ) -> BootServer {
        let parsed = BootServerString(string)
        return BootServer(option: option, string: parsed, dhcpServer: dhcpServer, frame: frame, problem: parsed.problem)
    }

    /// A TFTP read (or `detail`'s protocol) of `file` from `server`, requested in `requestFrames`.
    static func fetch(
        _ file: String, from server: IPv4Address = bootHost, result: Fetch.Result = .ok, requestFrames: [Int] = [10],
        failure: Fetch.Failure? = nil, bytes: Int = 0, lastFrame: Int? = nil, serverPort: UInt16? = nil,
        direction: Fetch.Direction = .read,
        detail: Fetch.Detail = .tftp(blockSize: nil, duplicateBlocks: 0, missingBlocks: 0)
    ) -> Fetch {
        let frames = requestFrames + [failure?.frame].compactMap { $0 }
        return Fetch(
            server: server, serverPort: serverPort, file: file, direction: direction, result: result, bytes: bytes,
            firstFrame: frames.min() ?? 0, lastFrame: lastFrame ?? frames.max() ?? 0, requestFrames: requestFrames,
            failure: failure, detail: detail
        )
    }

    /// A DHCP packet in `frame` that could not be decoded, cut by the snap length if `snapped`.
    static func malformed(frame: Int, snapped: Bool = false) -> MalformedPacket {
        MalformedPacket(
            frame: frame, protocolName: .dhcp,
            error: WireFormatError(
                code: .truncated, layer: "DHCP", field: "options", offset: 240, detail: "needs 4 bytes, only 1 left"
            ),
            source: IPv4Address(192, 0, 2, 101), destination: dhcpServer,
            snapped: snapped ? SnappedFrame(captured: 242, original: 400) : nil
        )
    }

    /// The record of ``mac`` with these parts.
    static func record(
        _ transactions: [DHCPTransaction] = [], bootServer: BootServer? = nil, fetches: [Fetch] = [],
        malformed: [MalformedPacket] = []
    ) -> PhoneRecord {
        var record = PhoneRecord(mac: self.mac, frame: 1)
        record.transactions = transactions
        record.bootServer = bootServer
        record.fetches = fetches
        record.malformed = malformed
        return record
    }

    /// A phone that booted cleanly: a lease with option 160 `tftp://192.0.2.10`, and its
    /// `<mac>.cfg` and application fetched from there.
    static func healthy(fetches: [Fetch]? = nil) -> PhoneRecord {
        self.record(
            [self.lease(option160: "tftp://192.0.2.10")], bootServer: self.bootServer("tftp://192.0.2.10"),
            fetches: fetches ?? [
                self.fetch(self.macConfig, requestFrames: [10], bytes: 900, lastFrame: 12),
                self.fetch("3111-46162-001.sip.ld", requestFrames: [20], bytes: 40_000_000, lastFrame: 90_000),
            ]
        )
    }
}
