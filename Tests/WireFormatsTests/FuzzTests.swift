import PhoneBootTestSupport
import Testing
import WireFormats

/// Random and mutated bytes through every decoder: errors are fine, traps and hangs are not.
@Suite("Decoders never trap on bad bytes")
struct FuzzTests {
    @Test("random bytes")
    func randomBytes() {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<700, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            exercise(bytes)
        }
    }

    @Test("mutations of real messages")
    func mutations() {
        var generator = SplitMix64(seed: 0xD1CE)
        let seeds = [
            Fixtures.arubaOffer, Fixtures.overloadBoth, Fixtures.polycomDiscover().encoded(),
            DiscoveryFixtures.lldpMEDPolicy, DiscoveryFixtures.lldpSG200, DiscoveryFixtures.cdpPhone,
            DiscoveryFixtures.cdpInGRE, DiscoveryFixtures.cdpInERSPAN, DiscoveryFixtures.dhcpInCAPWAP,
        ]
        for _ in 0..<20_000 {
            var bytes = seeds[Int.random(in: 0..<seeds.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) {
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            if let message = try? DHCPMessage(decoding: bytes) {
                #expect(message.encoded() == bytes)
                _ = message.options.validationErrors
                _ = message.options.vendorClass
                _ = message.options.relayAgentInformation
            }
            exercise(bytes)
        }
    }

    private func exercise(_ bytes: [UInt8]) {
        _ = try? DHCPMessage(decoding: bytes)
        _ = try? TFTPPacket(decoding: bytes)
        _ = PolycomVendorClass(bytes: bytes)
        _ = try? RelayAgentInformation(decoding: bytes)
        for linkType in LinkType.supported {
            if let dissection = try? FrameDissection.dissect(bytes.span, linkType: linkType) {
                #expect(dissection.payload.lowerBound >= 0 && dissection.payload.upperBound <= bytes.count)
                _ = try? LinkDiscovery.decode(
                    etherType: dissection.link.etherType, payload: bytes.span.extracting(dissection.payload),
                    base: dissection.payload.lowerBound)
            }
        }
        _ = try? LLDPDU(decoding: bytes)
        _ = try? CDPPacket(decoding: bytes)
        _ = try? VLANDiscoveryString(parsing: bytes, option: .vlanDiscovery128)
    }
}
