import Foundation
import PacketCapture
import Testing

@testable import WireFormats

/// The fixed-offset dissection of plain frames (Ethernet, at most one 802.1Q tag, IPv4 without
/// options, UDP or TCP) is only a shortcut: for every frame it takes, it must give exactly what
/// the general dissection gives, and it must leave every other frame to the general one.
@Suite("Plain frames: the fixed-offset dissection agrees with the general one")
struct PlainDissectionTests {
    /// The plain dissection of `frame`, and whether it agrees with the general one (a frame it
    /// leaves alone agrees by definition).
    private static func check(_ frame: [UInt8]) -> (plain: FrameDissection?, agrees: Bool) {
        guard let plain = FrameDissection.dissectPlain(frame.span) else { return (nil, true) }
        let general = try? FrameDissection.dissectGenerally(frame.span, linkType: .ethernet)
        return (plain, general == plain)
    }

    @Test("every Ethernet frame of captures/ and of the reference captures, tunnels included")
    func captures() throws {
        let files =
            TestCaptures.projectFiles + TestCaptures.malformedFiles + TestCaptures.referenceFiles
            + TestCaptures.tunnelFiles
        var plain = 0
        var other = 0
        for url in files {
            guard var capture = try? CaptureFile(path: url.path), capture.linkType == 1 else { continue }
            _ = capture.forEachFrame { header, bytes in
                let frame = (0..<bytes.count).map { bytes[$0] }
                let (dissection, agrees) = Self.check(frame)
                if dissection == nil { other += 1 } else { plain += 1 }
                #expect(agrees, "\(url.lastPathComponent) frame \(header.number)")
            }
        }
        // The project's captures alone hold thousands of plain frames, and tunnels, LLDP and
        // fragments that are not.
        #expect(plain > 1_000)
        #expect(other > 10)
    }

    /// A UDP datagram (DHCP ports) and a TCP segment with options, as plain frames.
    static let samples: [[UInt8]] = {
        let ethernet: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x04, 0xF2, 0xA1, 0xB2, 0xC3]
        let udp: [UInt8] =
            ethernet + [0x81, 0x00, 0x20, 0x78, 0x08, 0x00]  // 802.1Q, priority 1, VLAN 120
            + [0x45, 0x00, 0x00, 0x24, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00]
            + [192, 0, 2, 10, 198, 51, 100, 1]
            + [0x00, 0x44, 0x00, 0x43, 0x00, 0x10, 0x00, 0x00] + Array("DHCPDHCP".utf8)
        let tcp: [UInt8] =
            ethernet + [0x08, 0x00]
            + [0x45, 0x00, 0x00, 0x34, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00]
            + [192, 0, 2, 10, 198, 51, 100, 1]
            + [0xC3, 0x50, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x60, 0x18, 0x10, 0x00]
            + [0x00, 0x00, 0x00, 0x00, 0x02, 0x04, 0x05, 0xB4] + Array("GET /".utf8) + [0, 0, 0]
        return [udp, tcp]
    }()

    @Test("the samples are plain frames, read as the general dissection reads them")
    func samplesArePlain() {
        for sample in Self.samples {
            let (dissection, agrees) = Self.check(sample)
            #expect(dissection != nil)
            #expect(agrees)
        }
        let tagged = Self.samples[0]
        let vlan = FrameDissection.dissectPlain(tagged.span)
        #expect(vlan?.link.vlans.ids == [120])
    }

    @Test("every header byte changed, and every length cut short: left alone or read alike")
    func mutations() {
        var taken = 0
        var left = 0
        for sample in Self.samples {
            var cases: [[UInt8]] = (0...sample.count).map { Array(sample.prefix($0)) }
            for index in 0..<min(sample.count, 60) {
                for value: UInt8 in [0x00, 0x01, 0x06, 0x11, 0x12, 0x40, 0x45, 0x46, 0x81, 0x88, 0xA8, 0xFF] {
                    var changed = sample
                    changed[index] = value
                    cases.append(changed)
                }
                var flipped = sample
                flipped[index] ^= 0x20
                cases.append(flipped)
            }
            for frame in cases {
                let (dissection, agrees) = Self.check(frame)
                if dissection == nil { left += 1 } else { taken += 1 }
                #expect(agrees, "\(frame.map { String($0, radix: 16) })")
            }
        }
        // Both kinds were tried: changes the shortcut reads (addresses, ports, lengths within
        // bounds) and ones it must leave to the general path (options, fragments, tunnels...).
        #expect(taken > 200 && left > 200)
    }

    /// Changes to the UDP sample, each of which makes a frame the shortcut must not read.
    static let notPlain: [(what: String, changes: [(index: Int, value: UInt8)])] = [
        ("IPv4 options (IHL 6)", [(18, 0x46)]),
        ("more fragments", [(24, 0x20)]),
        ("a fragment offset", [(25, 0x08)]),
        ("a QinQ service tag", [(12, 0x88), (13, 0xA8)]),
        ("two 802.1Q tags", [(16, 0x81), (17, 0x00)]),
        ("not IPv4", [(17, 0xDD)]),
        ("IPv4 total length 0", [(20, 0), (21, 0)]),
        ("UDP to the VXLAN port", [(40, 0x12), (41, 0xB5)]),
        ("UDP from the CAPWAP data port", [(38, 0x14), (39, 0x7F)]),
        ("UDP length beyond the IP payload", [(42, 0xFF)]),
        ("UDP length below its header", [(43, 0x07)]),
        ("GRE", [(27, 47)]),
    ]

    @Test("frames it must leave to the general path", arguments: PlainDissectionTests.notPlain.indices)
    func leftAlone(case index: Int) {
        let (what, changes) = Self.notPlain[index]
        var frame = Self.samples[0]
        for change in changes { frame[change.index] = change.value }
        let dissection = FrameDissection.dissectPlain(frame.span)
        #expect(dissection == nil, "\(what)")
    }
}
