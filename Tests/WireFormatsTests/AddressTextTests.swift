import Testing
import WireFormats

@Suite("Addresses written as text")
struct AddressTextTests {
    @Test(
        "dotted quads are read as four octets",
        arguments: [
            ("192.0.2.10", UInt32(0xC000_020A)), ("0.0.0.0", 0), ("255.255.255.255", 0xFFFF_FFFF),
            ("198.51.100.007", 0xC633_6407),
        ])
    func valid(text: String, value: UInt32) {
        #expect(IPv4Address(text)?.rawValue == value)
        #expect(IPv4Address(Substring(text))?.rawValue == value)
    }

    @Test(
        "anything else is not an address",
        arguments: [
            "", "192.0.2", "192.0.2.1.5", "192.0.2.256", "192.0.2.1000", "192..2.1", ".192.0.2", "192.0.2.",
            "+1.2.3.4", "1.2.3.-4", "192.0.2.1 ", " 192.0.2.1", "192.0.2.x", "１.2.3.4", "tftp://192.0.2.1",
        ])
    func invalid(text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test(
        "an address is written as a dotted quad, and reads back the same",
        arguments: [
            (UInt32(0), "0.0.0.0"), (0xFFFF_FFFF, "255.255.255.255"), (0xC000_020A, "192.0.2.10"),
            (0x0A01_6409, "10.1.100.9"), (0xC633_6400, "198.51.100.0"),
        ])
    func written(value: UInt32, text: String) {
        let address = IPv4Address(rawValue: value)
        #expect(address.description == text)
        #expect(IPv4Address(address.description) == address)
    }

    @Test(
        "numbers are written in decimal as Swift writes them, after what is there already",
        arguments: [
            0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65_535, 1_000_000, 4_294_967_295, -1, -10, -12_345,
            999_999_999_999_999_999, 1_000_000_000_000_000_000, Int.max, Int.min, Int.min + 1,
        ])
    func decimal(value: Int) {
        var text = Array("x=".utf8)
        appendDecimal(value, to: &text)
        #expect(String(decoding: text, as: UTF8.self) == "x=\(value)")
    }

    @Test("a 32-bit value is written as eight lowercase hex digits, leading zeros kept")
    func hex32() {
        #expect(hexString(UInt32(0)) == "00000000")
        #expect(hexString(UInt32(0xDEAD_BEEF)) == "deadbeef")
        #expect(hexString(UInt32(0x0000_ABCD)) == "0000abcd")
        var text = Array("xid 0x".utf8)
        appendHex(UInt32(0x570E_E77C), to: &text)
        #expect(String(decoding: text, as: UTF8.self) == "xid 0x570ee77c")
    }
}
