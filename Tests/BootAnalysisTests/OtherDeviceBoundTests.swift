import BootAnalysis
import Testing
import WireFormats

/// The analyzer keeps every client that looks like a phone, and at most
/// `otherDeviceLimit` others, forgetting the least recently seen and counting it.
@Suite("BootAnalyzer: the bound on clients that do not look like phones")
struct OtherDeviceBoundTests {
    private struct Run {
        var analyzer: BootAnalyzer
        var frame = 0

        init(allDevices: Bool, limit: Int) {
            self.analyzer = BootAnalyzer(options: BootAnalyzer.Options(allDevices: allDevices, otherDeviceLimit: limit))
        }

        /// A DISCOVER from `mac`, asking for `requested` (1, 3, 6 by default).
        mutating func discover(_ mac: UInt64, requested: [UInt8] = [1, 3, 6], xid: UInt32 = 1) {
            self.frame += 1
            var area = DHCPOptionArea()
            area.append(DHCPOption(code: .messageType, data: [1]))
            area.append(DHCPOption(code: .parameterRequestList, data: requested))
            area.elements.append(.end)
            let address = MACAddress(rawValue: mac)
            let message = DHCPMessage(op: 1, transactionID: xid, clientHardwareAddress: address, options: area)
            let packet = DecodedPacket(
                frameNumber: self.frame, timestamp: Int64(self.frame) * 1_000_000, sourceMAC: address,
                destinationMAC: MACAddress(rawValue: 0xFFFF_FFFF_FFFF), vlans: VLANTags(), source: .any,
                destination: IPv4Address(255, 255, 255, 255), sourcePort: 68, destinationPort: 67,
                content: .dhcp(message)
            )
            _ = self.analyzer.consume(packet)
        }

        mutating func report() -> BootReport { self.analyzer.finish().report }
    }

    private static let other: UInt64 = 0x0200_0000_0000
    private static let polycom: UInt64 = 0x0004_F200_0000

    @Test("beyond the bound the least recently seen client is forgotten, counted and not listed")
    func leastRecentForgotten() {
        var run = Run(allDevices: true, limit: 3)
        for index: UInt64 in 1...3 { run.discover(Self.other + index) }
        run.discover(Self.other + 1, xid: 2)  // seen again: now 2 is the least recent
        run.discover(Self.other + 4)
        run.discover(Self.other + 5)
        let report = run.report()
        #expect(report.phones.map(\.mac.rawValue) == [1, 4, 5].map { Self.other + $0 })
        #expect(report.phones.first?.transactions.count == 2)
        #expect(report.otherDevicesNotKept == 2)
        #expect(report.otherDevicesSeen == 5)
        #expect(report.otherDevices == 2)
        #expect(report.otherDeviceLimit == 3)
        #expect(report.reachedOtherDeviceLimit)
    }

    @Test("phones are never forgotten, however many other clients come")
    func phonesKept() {
        var run = Run(allDevices: false, limit: 1)
        run.discover(Self.polycom + 1)
        run.discover(Self.other + 1)
        run.discover(Self.other + 2, requested: [1, 3, 66, 160])  // may be a phone
        for index: UInt64 in 3...10 { run.discover(Self.other + index) }
        run.discover(Self.polycom + 2)
        let report = run.report()
        #expect(report.phones.map(\.mac.rawValue) == [Self.polycom + 1, Self.other + 2, Self.polycom + 2])
        #expect(report.otherDevicesSeen == 9)
        #expect(report.otherDevicesNotKept == 8)
        #expect(report.otherDevices == 9)
    }

    @Test("a client that later asks for a boot option becomes a phone with its earlier exchange")
    func promoted() {
        var run = Run(allDevices: false, limit: 2)
        run.discover(Self.other + 1, xid: 1)
        run.discover(Self.other + 2)
        run.discover(Self.other + 1, requested: [1, 160], xid: 2)
        for index: UInt64 in 3...6 { run.discover(Self.other + index) }
        let report = run.report()
        #expect(report.phones.map(\.mac.rawValue) == [Self.other + 1])
        #expect(report.phones.first?.transactions.map(\.transactionID) == [1, 2])
        #expect(report.otherDevicesNotKept == 3)
    }

    @Test("under the bound the report is as before: nothing counted as not kept")
    func underTheBound() {
        var run = Run(allDevices: true, limit: 10)
        for index: UInt64 in 1...10 { run.discover(Self.other + index) }
        let report = run.report()
        #expect(report.phones.count == 10)
        #expect(report.otherDevices == 0)
        #expect(!report.reachedOtherDeviceLimit)
    }
}
