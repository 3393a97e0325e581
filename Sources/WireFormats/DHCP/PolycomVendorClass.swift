/// The binary vendor class Polycom phones put in DHCP option 60.
///
/// Polycom SIP 3.1 Administrator's Guide C-24 "Parsing Vendor ID Information" (RFC 3925
/// style): the enterprise number 13885 (`00 00 36 3d`), a one-byte length, then sub-options
/// `code len data` until `ff`:
///
/// ```
/// 00 00 36 3d  6f  01 07 "Polycom"  02 15 "SoundPointIP-SPIP_601"
///                  03 10 "2345-11605-001,2"  04 1c "SIP/Tip.XXXX/08-Jun-07 10:44"
///                  05 1d "BR/3.1.0.XXXX/28-Apr-05 13:30"  ff
/// ```
///
/// The published lengths do not always add up, so the walk stops at `ff` or at the end of
/// the option, whichever comes first, and a sub-option that runs past the end is cut there.
public struct PolycomVendorClass: Hashable, Sendable, CustomStringConvertible {
    /// Polycom's IANA private enterprise number.
    public static let enterpriseNumber: UInt32 = 13885

    /// Sub-option 1.
    public var company: String?
    /// Sub-option 2: family and model, `SoundPointIP-SPIP_601`, `VVX-VVX_410`.
    public var model: String?
    /// Sub-option 3 before the comma: `2345-11605-001`.
    public var partNumber: String?
    /// Sub-option 3 after the comma: the hardware revision.
    public var hardwareRevision: String?
    /// Sub-option 4: `SIP/<build>/<date>`.
    public var applicationVersion: String?
    /// Sub-option 5: `BR/<build>/<date>` (the BootROM or Updater).
    public var bootROMVersion: String?
    /// Every sub-option as it came, including unknown codes.
    public var subOptions: [DHCPOption]

    public init(
        company: String? = nil, model: String? = nil, partNumber: String? = nil, hardwareRevision: String? = nil,
        applicationVersion: String? = nil, bootROMVersion: String? = nil
    ) {
        self.company = company
        self.model = model
        self.partNumber = partNumber
        self.hardwareRevision = hardwareRevision
        self.applicationVersion = applicationVersion
        self.bootROMVersion = bootROMVersion
        self.subOptions = []
    }

    /// Decodes `bytes` (option 60's data); `nil` when it does not start with Polycom's number.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 5, bytes[0] == 0x00, bytes[1] == 0x00, bytes[2] == 0x36, bytes[3] == 0x3D else {
            return nil
        }
        self.init()
        var index = 5
        while index < bytes.count {
            let code = bytes[index]
            if code == 0xFF { break }
            guard index + 1 < bytes.count else { break }
            let length = Int(bytes[index + 1])
            let start = index + 2
            let end = min(start + length, bytes.count)
            let data = Array(bytes[start..<end])
            self.subOptions.append(DHCPOption(code: DHCPOptionCode(code), data: data))
            let text = String(decoding: data, as: UTF8.self)
            switch code {
            case 1: self.company = text
            case 2: self.model = text
            case 3:
                let parts = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
                self.partNumber = parts.first.map(String.init)
                self.hardwareRevision = parts.count > 1 ? String(parts[1]) : nil
            case 4: self.applicationVersion = text
            case 5: self.bootROMVersion = text
            default: break
            }
            index = end
        }
    }

    /// Encodes the block as option 60 data, sub-options 1–5 in order.
    public func encoded() -> [UInt8] {
        var body: [UInt8] = []
        let part = self.partNumber.map { part in self.hardwareRevision.map { "\(part),\($0)" } ?? part }
        for (code, value) in [
            (1, self.company), (2, self.model), (3, part), (4, self.applicationVersion), (5, self.bootROMVersion),
        ] {
            guard let value else { continue }
            let utf8 = Array(value.utf8.prefix(255))
            body.append(UInt8(code))
            body.append(UInt8(utf8.count))
            body.append(contentsOf: utf8)
        }
        body.append(0xFF)
        return [0x00, 0x00, 0x36, 0x3D, UInt8(truncatingIfNeeded: min(body.count, 255))] + body
    }

    public var description: String {
        var parts = ["Polycom"]
        if let model { parts.append(model) }
        if let partNumber { parts.append(partNumber) }
        if let applicationVersion { parts.append(applicationVersion) }
        if let bootROMVersion, bootROMVersion != applicationVersion { parts.append(bootROMVersion) }
        return parts.joined(separator: " ")
    }
}
