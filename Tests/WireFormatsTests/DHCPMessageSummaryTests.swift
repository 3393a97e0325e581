import PhoneBootTestSupport
import Testing
import WireFormats

/// The relay's reading of a message must be the full decoder's reading, byte for byte: the
/// same messages accepted, the same errors (kind, layer, offset), the same values.
@Suite("DHCP message summary agrees with the full decoder")
struct DHCPMessageSummaryTests {
    /// Options 53, 55 and 57 in RFC 3396 pieces, and 53 again in an overloaded `file` field.
    static let piecesAndOverload: [UInt8] = {
        var area = DHCPOptionArea()
        area.elements = [
            .option(DHCPOption(code: .messageType, data: [])), .pad(count: 2),
            .option(DHCPOption(code: .parameterRequestList, data: [1, 3])),
            .option(DHCPOption(code: .maximumMessageSize, data: [0x05])),
            .option(DHCPOption(code: .parameterRequestList, data: [160, 66])),
            .option(DHCPOption(code: .maximumMessageSize, data: [0xDC])),
            .option(DHCPOption(code: .overload, data: [1])), .end,
        ]
        var message = DHCPMessage(
            op: 1, transactionID: 7, clientHardwareAddress: MACAddress("64:16:7f:01:02:03")!, options: area)
        message.bootFileField = [53, 1, 3, 255] + [UInt8](repeating: 0, count: 124)
        return message.encoded()
    }()

    static let seeds = [
        Fixtures.arubaOffer, Fixtures.overloadBoth, Fixtures.polycomDiscover().encoded(), piecesAndOverload,
    ]

    @Test("the seeds read the same both ways", arguments: seeds)
    func seedsAgree(bytes: [UInt8]) throws {
        let summary = try DHCPMessageSummary(decoding: bytes)
        let message = try DHCPMessage(decoding: bytes)
        expectSame(summary, message)
        expectRelayedBytes(bytes, message)
    }

    @Test("pieces are joined: 53 from the file field, 55 and 57 from two pieces each")
    func pieces() throws {
        let summary = try DHCPMessageSummary(decoding: Self.piecesAndOverload)
        #expect(summary.messageType == .request)
        #expect(summary.maximumMessageSize == 1500)
        #expect(summary.parameterRequestList == DHCPOptionCodeSet([1, 3, 160, 66].map { DHCPOptionCode($0) }))
        #expect(summary.clientMAC == MACAddress("64:16:7f:01:02:03"))
    }

    @Test("every truncation and 40 000 mutations: accepted and refused alike, with equal errors")
    func mutations() {
        var generator = SplitMix64(seed: 0x5A11)
        var cases: [[UInt8]] = []
        for seed in Self.seeds {
            for length in 0...seed.count { cases.append(Array(seed.prefix(length))) }
        }
        for _ in 0..<40_000 {
            var bytes = Self.seeds[Int.random(in: 0..<Self.seeds.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                // Small values hit pad, overload (52), type (53) and lengths more often.
                bytes[index] =
                    Bool.random(using: &generator)
                    ? UInt8.random(in: 0...60, using: &generator) : UInt8.random(in: 0...255, using: &generator)
            }
            if Int.random(in: 0..<4, using: &generator) == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            cases.append(bytes)
        }
        var accepted = 0
        for bytes in cases {
            switch (
                Result { () throws(WireFormatError) in try DHCPMessageSummary(decoding: bytes) },
                Result { () throws(WireFormatError) in try DHCPMessage(decoding: bytes) }
            ) {
            case (.success(let summary), .success(let message)):
                accepted += 1
                expectSame(summary, message)
                expectRelayedBytes(bytes, message)
            case (.failure(let summaryError), .failure(let messageError)):
                #expect(summaryError == messageError, "\(summaryError) vs \(messageError)")
            case (let summary, let message):
                Issue.record("summary \(summary) but full decoder \(message) for \(bytes)")
            }
        }
        // Both outcomes must be exercised, or the comparison says little.
        #expect(accepted > 1000 && accepted < cases.count - 1000, "\(accepted) of \(cases.count) accepted")
    }

    private func expectSame(
        _ summary: DHCPMessageSummary, _ message: DHCPMessage, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let options = message.options
        #expect(summary.op == message.op, sourceLocation: sourceLocation)
        #expect(summary.hops == message.hops, sourceLocation: sourceLocation)
        #expect(summary.transactionID == message.transactionID, sourceLocation: sourceLocation)
        #expect(summary.flags == message.flags, sourceLocation: sourceLocation)
        #expect(summary.clientAddress == message.clientAddress, sourceLocation: sourceLocation)
        #expect(summary.relayAddress == message.relayAddress, sourceLocation: sourceLocation)
        #expect(summary.clientMAC == message.clientMAC, sourceLocation: sourceLocation)
        #expect(
            summary.clientHardwareAddressField == message.clientHardwareAddressField, sourceLocation: sourceLocation)
        #expect(summary.messageType == options.messageType, sourceLocation: sourceLocation)
        #expect(summary.maximumMessageSize == options.maximumMessageSize, sourceLocation: sourceLocation)
        #expect(
            summary.parameterRequestList == options.parameterRequestList.map(DHCPOptionCodeSet.init),
            sourceLocation: sourceLocation)
    }

    /// What the relay forwards without decoding is what the encoder gives for the decoded
    /// message with hops and giaddr changed; the op is told from the first byte alone.
    private func expectRelayedBytes(
        _ bytes: [UInt8], _ message: DHCPMessage, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var relayed = message
        relayed.hops = message.hops &+ 1
        relayed.relayAddress = IPv4Address(192, 0, 2, 254)
        #expect(
            DHCPMessage.reencoded(bytes, hops: relayed.hops, relayAddress: relayed.relayAddress) == relayed.encoded(),
            sourceLocation: sourceLocation)
        #expect(DHCPMessage.startsAsReply(bytes) == (message.op == 2), sourceLocation: sourceLocation)
    }
}
