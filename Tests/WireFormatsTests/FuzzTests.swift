import Testing
import WireFormats

/// Random and mutated bytes through every decoder: errors are fine, traps and hangs are not.
@Suite("Decoders never trap on bad bytes")
struct FuzzTests {
    /// A small deterministic generator, so that a failure can be replayed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("random bytes")
    func randomBytes() {
        var generator = SplitMix64(state: 0x5EED)
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<700, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            exercise(bytes)
        }
    }

    @Test("mutations of real messages")
    func mutations() {
        var generator = SplitMix64(state: 0xD1CE)
        let seeds = [Fixtures.arubaOffer, Fixtures.overloadBoth, Fixtures.polycomDiscover().encoded()]
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
            _ = try? FrameDissection.dissect(bytes.span, linkType: linkType)
        }
    }
}
