import BootAnalysis
import Foundation
import PacketCapture
import Testing
import WireFormats

/// Field-by-field agreement with tshark on every LLDP and CDP frame of every capture we have
/// (the project's, the shared reference set and its tunnels/ folder).
///
/// A frame tshark decodes without marking it malformed must be decoded by us with the same
/// values; a frame we decode must be one tshark shows as LLDP or CDP. Frames tshark marks
/// malformed are counted: both sides malformed, or only tshark (it checks TLVs we do not
/// decode, such as LLDP-MED location).
@Suite("tshark oracle: LLDP and CDP")
struct LinkDiscoveryOracleTests {
    @Test("every LLDP/CDP frame of captures/ and the reference captures agrees with tshark")
    func agreesWithTshark() throws {
        let tshark = try #require(Tshark.locate(), "tshark is needed as the decoding oracle: apt-get install tshark")
        let files = TestCaptures.projectFiles + TestCaptures.referenceFiles + TestCaptures.tunnelFiles
        var total = DiscoveryTally()
        for file in files {
            total.add(try DiscoveryComparison(tshark: tshark, file: file).run())
        }
        print(
            "tshark oracle (LLDP/CDP): \(total.lldp) LLDP and \(total.cdp) CDP frames agree field by field "
                + "(\(total.fieldValues) field values), \(total.bothMalformed) malformed on both sides, "
                + "\(total.onlyTsharkMalformed) marked malformed by tshark only, \(total.tunnelled) inside tunnels, "
                + "\(total.strictWhereTsharkIsNot) refused for a missing mandatory TLV that tshark shows anyway"
        )
        #expect(total.lldp >= 100, "the oracle must compare at least 100 LLDP frames, compared \(total.lldp)")
        #expect(total.cdp >= 40, "the oracle must compare at least 40 CDP frames, compared \(total.cdp)")
        #expect(total.bothMalformed > 0)
    }
}

struct DiscoveryTally {
    var lldp = 0
    var cdp = 0
    var fieldValues = 0
    var bothMalformed = 0
    var onlyTsharkMalformed = 0
    var tunnelled = 0
    var strictWhereTsharkIsNot = 0

    mutating func add(_ other: DiscoveryTally) {
        self.lldp += other.lldp
        self.cdp += other.cdp
        self.fieldValues += other.fieldValues
        self.bothMalformed += other.bothMalformed
        self.onlyTsharkMalformed += other.onlyTsharkMalformed
        self.tunnelled += other.tunnelled
        self.strictWhereTsharkIsNot += other.strictWhereTsharkIsNot
    }
}

/// One tshark field and our value for it: `nil` when not comparable (text tshark escapes).
private struct DiscoveryField<Value>: Sendable {
    let name: String
    /// Compared only when tshark shows at most one occurrence (we keep one value).
    var single = true
    let extract: @Sendable (Value) -> [String]?
}

private let lldpFields: [DiscoveryField<LLDPDU>] = [
    .init(name: "lldp.chassis.subtype") { [String($0.chassisID.subtype)] },
    .init(name: "lldp.chassis.id.mac") { pdu in pdu.chassisID.macAddress.map { [$0.description] } ?? [] },
    .init(name: "lldp.chassis.id.ip4") { pdu in pdu.chassisID.ipv4Address.map { [$0.description] } ?? [] },
    .init(name: "lldp.port.subtype") { [String($0.portID.subtype)] },
    .init(name: "lldp.port.id.mac") { pdu in pdu.portID.macAddress.map { [$0.description] } ?? [] },
    .init(name: "lldp.port.id") { pdu in
        guard let text = pdu.portID.text else { return [] }
        return printable(text).map { [$0] }
    },
    .init(name: "lldp.time_to_live") { [String($0.timeToLive)] },
    .init(name: "lldp.port.desc") { pdu in optionalText(pdu.portDescription) },
    .init(name: "lldp.tlv.system.name") { pdu in optionalText(pdu.systemName) },
    .init(name: "lldp.tlv.system.desc") { pdu in optionalText(pdu.systemDescription) },
    .init(name: "lldp.tlv.system_cap") { pdu in pdu.systemCapabilities.map { ["0x" + hex4($0)] } ?? [] },
    .init(name: "lldp.tlv.enable_system_cap") { pdu in pdu.enabledCapabilities.map { ["0x" + hex4($0)] } ?? [] },
    .init(name: "lldp.ieee.802_1.port_vlan.id") { pdu in pdu.portVLAN.map { [String($0)] } ?? [] },
    .init(name: "lldp.media.subtype.caps") { pdu in pdu.med?.capabilities.map { ["0x" + hex4($0)] } ?? [] },
    .init(name: "lldp.media.subtype.class") { pdu in pdu.med?.deviceClass.map { [String($0)] } ?? [] },
    .init(name: "lldp.media.app_type", single: false) { pdu in
        pdu.med?.networkPolicies.map { String($0.application.rawValue) } ?? []
    },
    .init(name: "lldp.media.policy_flag", single: false) { pdu in
        pdu.med?.networkPolicies.map { $0.isUnknown ? "1" : "0" } ?? []
    },
    .init(name: "lldp.media.tag_flag", single: false) { pdu in
        pdu.med?.networkPolicies.map { $0.isTagged ? "1" : "0" } ?? []
    },
    .init(name: "lldp.media.vlan_id", single: false) { pdu in
        pdu.med?.networkPolicies.map { String($0.vlanID) } ?? []
    },
    .init(name: "lldp.media.l2_prio", single: false) { pdu in
        pdu.med?.networkPolicies.map { String($0.priority) } ?? []
    },
    .init(name: "lldp.media.dscp", single: false) { pdu in pdu.med?.networkPolicies.map { String($0.dscp) } ?? [] },
    .init(name: "lldp.media.hardware") { pdu in optionalText(pdu.med?.hardwareRevision) },
    .init(name: "lldp.media.firmware") { pdu in optionalText(pdu.med?.firmwareRevision) },
    .init(name: "lldp.media.software") { pdu in optionalText(pdu.med?.softwareRevision) },
    .init(name: "lldp.media.sn") { pdu in optionalText(pdu.med?.serialNumber) },
    .init(name: "lldp.media.manufacturer") { pdu in optionalText(pdu.med?.manufacturer) },
    .init(name: "lldp.media.model") { pdu in optionalText(pdu.med?.model) },
    .init(name: "lldp.media.asset") { pdu in optionalText(pdu.med?.assetID) },
]

private let cdpFields: [DiscoveryField<CDPPacket>] = [
    .init(name: "cdp.version") { [String($0.version)] },
    .init(name: "cdp.ttl") { [String($0.timeToLive)] },
    .init(name: "cdp.deviceid") { cdp in optionalText(cdp.deviceID) },
    .init(name: "cdp.portid") { cdp in optionalText(cdp.portID) },
    .init(name: "cdp.platform") { cdp in optionalText(cdp.platform) },
    // tshark shows each line of the software version as one occurrence.
    .init(name: "cdp.software_version", single: false) { cdp in
        guard let text = cdp.softwareVersion else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        let shown = lines.compactMap(printable)
        return shown.count == lines.count ? shown : nil
    },
    .init(name: "cdp.native_vlan") { cdp in cdp.nativeVLAN.map { [String($0)] } ?? [] },
    // The reply and the query TLVs both show as cdp.voice_vlan, in TLV order: compared sorted.
    .init(name: "cdp.voice_vlan", single: false) { cdp in
        [cdp.voiceVLANReply, cdp.voiceVLANQuery].compactMap { $0.map { String($0.vlanID) } }.sorted()
    },
]

private func hex4(_ value: UInt16) -> String {
    hexByte(UInt8(value >> 8)) + hexByte(UInt8(truncatingIfNeeded: value))
}

/// Text tshark prints as is: printable ASCII only (it escapes the rest).
private func printable(_ text: String) -> String? {
    text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } ? text : nil
}

private func optionalText(_ text: String?) -> [String]? {
    guard let text, !text.isEmpty else { return [] }  // tshark shows no value for an empty string
    return printable(text).map { [$0] }
}

/// One file compared with tshark.
struct DiscoveryComparison {
    let tshark: Tshark
    let file: URL

    var name: String { self.file.lastPathComponent }

    func run() throws -> DiscoveryTally {
        var tally = DiscoveryTally()
        let lldpRows = try self.tshark.fields(lldpFields.map(\.name), file: self.file, displayFilter: "lldp")
        let cdpRows = try self.tshark.fields(cdpFields.map(\.name), file: self.file, displayFilter: "cdp")
        guard !lldpRows.isEmpty || !cdpRows.isEmpty || self.name.contains("lldp") || self.name.contains("cdp") else {
            return tally
        }
        let malformed = try self.tshark.frames(file: self.file, displayFilter: "(lldp or cdp) and _ws.malformed")
        guard let ours = try? Self.decode(self.file) else { return tally }
        let theirs = Set(lldpRows.keys).union(cdpRows.keys)
        for number in Set(ours.keys).subtracting(theirs).sorted() {
            Issue.record("\(self.name) frame \(number): we decoded it as LLDP/CDP, tshark did not")
        }
        for number in theirs.sorted() {
            guard let packet = ours[number] else {
                Issue.record("\(self.name) frame \(number): tshark shows LLDP/CDP, we found nothing")
                continue
            }
            if packet.tunnel != nil { tally.tunnelled += 1 }
            let isMalformed = malformed.contains(number)
            switch packet.content {
            case .malformed(_, let error):
                if isMalformed {
                    tally.bothMalformed += 1
                } else if error.layer == "LLDP", let row = lldpRows[number], row.count > 6, row[6].isEmpty {
                    // 802.1AB §9.2.7.7.1: an LLDPDU without its mandatory TLVs (here the TTL) is
                    // discarded; tshark shows what there is without marking it malformed.
                    tally.strictWhereTsharkIsNot += 1
                } else {
                    Issue.record("\(self.name) frame \(number): tshark decodes it, we failed: \(error)")
                }
            case .discovery(.lldp(let pdu)):
                guard let row = lldpRows[number] else {
                    Issue.record("\(self.name) frame \(number): we see LLDP, tshark does not")
                    continue
                }
                if isMalformed {
                    tally.onlyTsharkMalformed += 1
                    continue
                }
                tally.fieldValues += self.compare(row, lldpFields, pdu, frame: number)
                tally.lldp += 1
            case .discovery(.cdp(let cdp)):
                guard let row = cdpRows[number] else {
                    Issue.record("\(self.name) frame \(number): we see CDP, tshark does not")
                    continue
                }
                if isMalformed {
                    tally.onlyTsharkMalformed += 1
                    continue
                }
                tally.fieldValues += self.compare(row, cdpFields, cdp, frame: number)
                tally.cdp += 1
            default:
                Issue.record("\(self.name) frame \(number): tshark shows LLDP/CDP, we found another packet")
            }
        }
        return tally
    }

    private func compare<Value>(_ row: [[String]], _ fields: [DiscoveryField<Value>], _ value: Value, frame: Int)
        -> Int
    {
        var compared = 0
        for (index, field) in fields.enumerated() {
            guard let mine = field.extract(value) else { continue }
            var theirs = index < row.count ? row[index] : []
            if field.single && theirs.count > 1 { continue }  // a repeated TLV: we keep one
            if field.name == "cdp.voice_vlan" { theirs.sort() }
            if mine != theirs {
                Issue.record("\(self.name) frame \(frame) \(field.name): tshark \(theirs), ours \(mine)")
            }
            compared += max(mine.count, 1)
        }
        return compared
    }

    /// Our LLDP and CDP packets (decoded or malformed), by frame number.
    static func decode(_ file: URL) throws(CaptureError) -> [Int: DecodedPacket] {
        try ClassifiedFrames.packets(in: file) { packet in
            switch packet.content {
            case .discovery: true
            case .malformed(let proto, _): proto.isLinkDiscovery
            default: false
            }
        }
    }
}
