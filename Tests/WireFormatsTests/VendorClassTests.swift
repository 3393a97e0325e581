import Testing
import WireFormats

@Suite("Option 60 as Polycom phones send it")
struct VendorClassTests {
    @Test("the binary form of the Polycom admin guide decodes sub-option by sub-option")
    func binaryForm() throws {
        let vendor = VendorClassIdentifier(bytes: Fixtures.polycomVendorClassExample)
        guard case .polycom(let block) = vendor else {
            Issue.record("not recognised as Polycom: \(vendor)")
            return
        }
        #expect(block.company == "Polycom")
        #expect(block.model == "SoundPointIP-SPIP_601")
        #expect(block.partNumber == "2345-11605-001")
        #expect(block.hardwareRevision == "2")
        #expect(block.applicationVersion == "SIP/Tip.XXXX/08-Jun-07 10:44")
        #expect(block.bootROMVersion == "BR/3.1.0.XXXX/28-Apr-05 13:30")
        #expect(vendor.isPolycom)
        #expect(vendor.polycomModel == "SoundPointIP-SPIP_601")
    }

    @Test("the binary form stops at the end of the option when a sub-option overruns it")
    func binaryOverrun() {
        let bytes: [UInt8] = [0x00, 0x00, 0x36, 0x3D, 0x20, 2, 40] + Array("VVX-VVX_410".utf8)
        guard case .polycom(let block) = VendorClassIdentifier(bytes: bytes) else {
            Issue.record("not recognised")
            return
        }
        #expect(block.model == "VVX-VVX_410")
        #expect(block.partNumber == nil)
    }

    @Test("encode then decode keeps every field")
    func binaryRoundTrip() {
        let block = PolycomVendorClass(
            company: "Polycom", model: "VVX-VVX_410", partNumber: "3111-46162-001", hardwareRevision: "1",
            applicationVersion: "SIP/5.9.5.0614/11-Feb-20 10:34", bootROMVersion: "UP/5.9.5.0614/11-Feb-20 10:20"
        )
        guard case .polycom(let decoded) = VendorClassIdentifier(bytes: block.encoded()) else {
            Issue.record("not recognised")
            return
        }
        #expect(decoded.model == block.model)
        #expect(decoded.partNumber == block.partNumber)
        #expect(decoded.hardwareRevision == block.hardwareRevision)
        #expect(decoded.applicationVersion == block.applicationVersion)
        #expect(decoded.bootROMVersion == block.bootROMVersion)
    }

    @Test(
        "ASCII forms",
        arguments: [
            ("Polycom-VVX410", true, "VVX410"), ("Poly-TrioC60", true, "TrioC60"), ("MSFT 5.0", false, nil),
        ])
    func asciiForms(text: String, polycom: Bool, model: String?) {
        let vendor = VendorClassIdentifier(bytes: Array(text.utf8))
        #expect(vendor == .text(text))
        #expect(vendor.isPolycom == polycom)
        #expect(vendor.polycomModel == model)
    }

    @Test("other binary data is kept as bytes")
    func otherBinary() {
        #expect(VendorClassIdentifier(bytes: [0x00, 0x01, 0xFE]) == .binary([0x00, 0x01, 0xFE]))
    }
}
