import BootAnalysis
import Foundation
import PacketCapture
import Testing
import WireFormats

/// Field-by-field agreement with tshark on every DHCP/TFTP packet of every capture we have.
///
/// For each frame tshark shows as DHCP or TFTP, our decoder must find the same packet and the
/// same values; for each frame tshark marks malformed, our decoder must give a typed error;
/// and we must not claim any frame that tshark does not.
@Suite("tshark oracle")
struct TsharkOracleTests {
    @Test("every DHCP/TFTP packet of captures/ and the reference captures agrees with tshark")
    func agreesWithTshark() throws {
        let tshark = try #require(Tshark.locate(), "tshark is needed as the decoding oracle: apt-get install tshark")
        let reference = TestCaptures.referenceFiles
        #expect(!reference.isEmpty, "reference captures not found; set PHONEBOOT_REFERENCE_CAPTURES")
        let projectFiles = TestCaptures.projectFiles
        #expect(!projectFiles.isEmpty, "no captures under captures/")

        var total = OracleTally()
        let tunnels = TestCaptures.tunnelFiles
        #expect(!tunnels.isEmpty, "the reference captures' tunnels/ folder was not found")
        for file in projectFiles + reference + tunnels {
            let tally = try OracleComparison(tshark: tshark, file: file).run()
            total.add(tally)
        }
        print(
            "tshark oracle: \(total.files) files, \(total.compared) packets compared field by field "
                + "(\(total.dhcp) DHCP, \(total.tftp) TFTP, \(total.fieldValues) field values), "
                + "\(total.malformedAgreed) malformed packets given typed errors, "
                + "\(total.fragmentsNotGuessed) first IP fragments named but not decoded, "
                + "\(total.unreadableByLibpcap.count) files libpcap cannot read: \(total.unreadableByLibpcap.joined(separator: ", "))"
        )
        #expect(
            total.compared >= 500, "the oracle must compare at least 500 DHCP/TFTP packets, compared \(total.compared)")
        #expect(total.malformedAgreed > 0)
    }
}

/// Counts from comparing files with tshark.
struct OracleTally {
    var files = 0
    var compared = 0
    var dhcp = 0
    var tftp = 0
    var fieldValues = 0
    var malformedAgreed = 0
    var fragmentsNotGuessed = 0
    var unreadableByLibpcap: [String] = []

    mutating func add(_ other: OracleTally) {
        self.files += other.files
        self.compared += other.compared
        self.dhcp += other.dhcp
        self.tftp += other.tftp
        self.fieldValues += other.fieldValues
        self.malformedAgreed += other.malformedAgreed
        self.fragmentsNotGuessed += other.fragmentsNotGuessed
        self.unreadableByLibpcap += other.unreadableByLibpcap
    }
}

/// One file compared with tshark.
struct OracleComparison {
    let tshark: Tshark
    let file: URL

    var name: String { self.file.lastPathComponent }

    func run() throws -> OracleTally {
        var tally = OracleTally()
        tally.files = 1
        let dhcpRows = try self.tshark.fields(DHCPOracleFields.all.map(\.name), file: self.file, displayFilter: "dhcp")
        let tftpRows = try self.tshark.fields(TFTPOracleFields.all.map(\.name), file: self.file, displayFilter: "tftp")
        // tshark's CAPWAP dissector files its own header-length warning (Cisco's layout) in
        // the malformed group; only an error there (a broken packet inside) counts.
        let malformed = try self.tshark.frames(
            file: self.file,
            displayFilter: "(dhcp or tftp) and _ws.malformed and (!capwap.data or _ws.expert.severity == error)")

        let ours: [Int: DecodedPacket]
        do {
            ours = try Self.decode(self.file)
        } catch {
            // Only formats libpcap does not read (Solaris snoop, bad versions) may fail to open,
            // and then with a typed error naming the file.
            #expect(error.path == self.file.path, "\(self.name): \(error)")
            #expect(error.kind == .cannotOpen, "\(self.name): \(error)")
            tally.unreadableByLibpcap.append(self.name)
            return tally
        }

        let theirs = Set(dhcpRows.keys).union(tftpRows.keys)
        for number in Set(ours.keys).subtracting(theirs).sorted() {
            Issue.record("\(self.name) frame \(number): we decoded it as DHCP/TFTP, tshark did not")
        }
        for number in theirs.sorted() {
            guard let packet = ours[number] else {
                Issue.record("\(self.name) frame \(number): tshark shows DHCP/TFTP, we found nothing")
                continue
            }
            if malformed.contains(number) {
                if case .malformed = packet.content {
                    tally.malformedAgreed += 1
                } else {
                    Issue.record("\(self.name) frame \(number): tshark marks it malformed, we decoded it without error")
                }
                continue
            }
            switch packet.content {
            case .fragment:
                // tshark decodes what a first IP fragment holds; we name it and do not guess.
                tally.fragmentsNotGuessed += 1
            case .malformed(_, let error):
                Issue.record("\(self.name) frame \(number): tshark decodes it, we failed: \(error)")
            case .dhcp(let message):
                guard let row = dhcpRows[number] else {
                    Issue.record("\(self.name) frame \(number): we see DHCP, tshark does not")
                    continue
                }
                tally.fieldValues += self.compare(row, DHCPOracleFields.all, frame: number) { $0.extract(message) }
                tally.compared += 1
                tally.dhcp += 1
            case .tftp(let tftp):
                guard let row = tftpRows[number] else {
                    Issue.record("\(self.name) frame \(number): we see TFTP, tshark does not")
                    continue
                }
                tally.fieldValues += self.compare(row, TFTPOracleFields.all, frame: number) { $0.extract(tftp) }
                tally.compared += 1
                tally.tftp += 1
            case .tcp, .discovery, .dhcpUndecoded:
                continue  // not collected by decode(_:), whose classifier decodes DHCP at once
            }
        }
        return tally
    }

    /// Compares one row; returns the number of field values that were compared.
    private func compare<Field: OracleField>(
        _ row: [[String]], _ fields: [Field], frame: Int, ours: (Field) -> [String]?
    ) -> Int {
        var compared = 0
        for (index, field) in fields.enumerated() {
            guard let mine = ours(field) else { continue }  // not comparable (non-printable text)
            var theirs = index < row.count ? row[index] : []
            if field.firstOnly { theirs = Array(theirs.prefix(1)) }
            if mine != theirs {
                Issue.record("\(self.name) frame \(frame) \(field.name): tshark \(theirs), ours \(mine)")
            }
            compared += max(mine.count, 1)
        }
        return compared
    }

    /// Our packets, by frame number: DHCP and TFTP only (TCP segments are compared by the
    /// report tests, LLDP and CDP by LinkDiscoveryOracleTests).
    static func decode(_ file: URL) throws(CaptureError) -> [Int: DecodedPacket] {
        try ClassifiedFrames.packets(in: file) { packet in
            switch packet.content {
            case .tcp, .discovery: false
            case .malformed(let proto, _) where proto.isLinkDiscovery: false
            default: true
            }
        }
    }
}
