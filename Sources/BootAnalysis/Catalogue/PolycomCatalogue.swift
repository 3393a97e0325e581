public import WireFormats

/// What PhoneBoot knows about Polycom/Poly phones: MAC prefixes, part numbers and model names,
/// and the file names they fetch while provisioning.
///
/// Sources: ../shared/reference/polycom-boot.md §5 (IEEE OUI list, Polycom admin guides,
/// PolyPyTools' model table) and §4 (file names).
public enum PolycomCatalogue {
    /// Polycom and Poly OUIs (§5.2): 00:04:F2 and 64:16:7F (Polycom), 48:25:67 (Poly).
    public static let ouis = MACAddress.polycomOUIs

    /// True when `mac` carries a Polycom/Poly OUI.
    public static func isPolycom(_ mac: MACAddress) -> Bool {
        self.ouis.contains(mac.oui)
    }

    /// The vendor name of a MAC's OUI, when it is one PhoneBoot knows.
    public static func vendor(of mac: MACAddress) -> String? {
        MACAddress.polycomOUIVendors[mac.oui]
    }

    /// A model: the string Polycom's files use (`VVX410`) and the product name (`VVX 410`).
    public struct Model: Hashable, Sendable {
        public let modelString: String
        public let productName: String
    }

    /// Part number (without hardware revision) → model (§5.1).
    public static let partNumbers: [String: Model] = {
        var table: [String: Model] = [:]
        func add(_ part: String, _ model: String, _ product: String) {
            table[part] = Model(modelString: model, productName: product)
        }
        add("2201-06642-001", "SSIP4000", "SoundStation IP 4000")
        add("2345-11300-010", "SPIP301", "SoundPoint IP 301")
        add("2345-11500-030", "SPIP501", "SoundPoint IP 501")
        add("2345-11500-040", "SPIP501", "SoundPoint IP 501")
        add("2345-11600-001", "SPIP600", "SoundPoint IP 600")
        add("2345-11402-001", "SPIP430", "SoundPoint IP 430")
        add("2345-11605-001", "SPIP601", "SoundPoint IP 601")
        add("2345-12200-001", "SPIP330", "SoundPoint IP 330")
        add("2345-12200-002", "SPIP320", "SoundPoint IP 320")
        add("2345-12360-001", "SPIP321", "SoundPoint IP 321")
        add("2345-12365-001", "SPIP331", "SoundPoint IP 331")
        add("2345-12375-001", "SPIP335", "SoundPoint IP 335")
        add("2345-12450-001", "SPIP450", "SoundPoint IP 450")
        add("2345-12500-001", "SPIP550", "SoundPoint IP 550")
        add("2345-12560-001", "SPIP560", "SoundPoint IP 560")
        add("2345-12600-001", "SPIP650", "SoundPoint IP 650")
        add("2345-12670-001", "SPIP670", "SoundPoint IP 670")
        add("3111-15600-001", "SSIP6000", "SoundStation IP 6000")
        add("3111-30900-001", "SSIP5000", "SoundStation IP 5000")
        add("3111-40000-001", "SSIP7000", "SoundStation IP 7000")
        add("2345-17960-001", "VVX1500", "VVX 1500")
        add("3111-40250-001", "VVX101", "VVX 101")
        add("3111-40450-001", "VVX201", "VVX 201")
        add("3111-46135-002", "VVX300", "VVX 300")
        add("3111-46161-001", "VVX310", "VVX 310")
        add("3111-46157-002", "VVX400", "VVX 400")
        add("3111-46162-001", "VVX410", "VVX 410")
        add("3111-44500-001", "VVX500", "VVX 500")
        add("3111-44600-001", "VVX600", "VVX 600")
        add("3111-48300-001", "VVX301", "VVX 301")
        add("3111-48350-001", "VVX311", "VVX 311")
        add("3111-48400-001", "VVX401", "VVX 401")
        add("3111-48450-001", "VVX411", "VVX 411")
        add("3111-48500-001", "VVX501", "VVX 501")
        add("3111-48600-001", "VVX601", "VVX 601")
        add("3111-48810-001", "VVX150", "VVX 150")
        add("3111-48820-001", "VVX250", "VVX 250")
        add("3111-48830-001", "VVX350", "VVX 350")
        add("3111-48840-001", "VVX450", "VVX 450")
        add("3111-17823-001", "VVXD60", "VVX D60")
        add("3111-65290-001", "Trio8800", "Trio 8800")
        return table
    }()

    /// The model for a part number, ignoring a `,revision` suffix.
    public static func model(partNumber: String) -> Model? {
        self.partNumbers[Self.barePartNumber(partNumber)]
    }

    /// A part number without its `,revision` suffix: the first part between commas (all of
    /// `partNumber` when there is none).
    static func barePartNumber(_ partNumber: String) -> String {
        let bare: String? = partNumber.withUTF8InPlace { bytes in
            // Not ASCII: read by characters below.
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            // ASCII, as every part number is: the first run of bytes that are not commas,
            // found in place (asked for every DHCP request).
            let comma = UInt8(ascii: ",")
            let start = bytes.firstIndex { $0 != comma } ?? bytes.count
            let end = bytes[start...].firstIndex(of: comma) ?? bytes.count
            // Only commas, or no comma at all: the part number as it is.
            guard start < end, end - start < bytes.count else { return partNumber }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        return bare ?? partNumber.split(separator: ",").first.map(String.init) ?? partNumber
    }

    /// The product name for a model string from option 60 or a User-Agent: `VVX-VVX_410`,
    /// `SoundPointIP-SPIP_601`, `VVX410`, `TrioC60`.
    public static func productName(modelString raw: String) -> String? {
        // `Family-MODEL_WITH_UNDERSCORE`: keep the part after the dash, drop underscores.
        let afterDash = raw.split(separator: "-").last.map(String.init) ?? raw
        let model = afterDash.replacingUnderscores()
        if let known = self.partNumbers.values.first(where: { $0.modelString.lowercased() == model.lowercased() }) {
            return known.productName
        }
        for (prefix, family) in [
            ("SPIP", "SoundPoint IP "), ("SSIP", "SoundStation IP "), ("VVX", "VVX "), ("Trio", "Trio "),
        ] {
            if model.hasPrefix(prefix), model.count > prefix.count {
                return family + model.dropFirst(prefix.count)
            }
        }
        return model.isEmpty ? nil : model
    }

    /// The model tag Polycom's files use (`VVX410`) for a product name (`VVX 410`), or for a
    /// tag already; `nil` for a product PhoneBoot does not know.
    public static func modelString(productName: String) -> String? {
        let lower = productName.lowercased()
        if let known = self.partNumbers.values.first(where: {
            $0.productName.lowercased() == lower || $0.modelString.lowercased() == lower
        }) {
            return known.modelString
        }
        return nil
    }

    /// The master configuration file every phone without its own reads (§4.3).
    public static let sharedMasterConfig = "000000000000.cfg"

    /// True for a master configuration file name (§4.2): `<12 lowercase hex digits>.cfg`, which
    /// is `<mac>.cfg` or `000000000000.cfg`, as the last part of the requested path.
    public static func isMasterConfigName(_ name: String) -> Bool {
        // Asked of every file requested (both threads of a capture's reading): read in place.
        return name.withUTF8InPlace { bytes in
            let count = bytes.count
            guard count >= 16, count == 16 || bytes[count - 17] == UInt8(ascii: "/") else { return false }
            let start = count - 16
            return Self.hasSuffix(bytes, ".cfg") && Self.isLowercaseHex(bytes[start..<(start + 12)])
        }
    }

    /// True when every byte of `bytes` is a digit or `a`–`f`.
    private static func isLowercaseHex(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// True when `bytes` end with the ASCII `suffix`.
    private static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return suffix.withUTF8Buffer { bytes[(bytes.count - count)...].elementsEqual($0) }
    }

    /// The part number a firmware file names: `3111-46162-001.sip.ld`, `2345-12450-001.bootrom.ld`.
    public static func partNumber(inFileName name: String) -> String? {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return Self.asciiPartNumber(inFileName: name) }
        let base = name.split(separator: "/").last.map(String.init) ?? name
        for suffix in [".sip.ld", ".bootrom.ld"] where base.hasSuffix(suffix) {
            let part = String(base.dropLast(suffix.count))
            let groups = part.split(separator: "-", omittingEmptySubsequences: false)
            if groups.count == 3, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
                return part
            }
        }
        return nil
    }

    /// ``partNumber(inFileName:)`` for an ASCII name, byte by byte (the analysis asks it of
    /// every file every phone fetches).
    private static func asciiPartNumber(inFileName name: String) -> String? {
        return name.withUTF8InPlace { bytes in
            let slash = UInt8(ascii: "/")
            var end = bytes.count
            while end > 0, bytes[end - 1] == slash { end -= 1 }
            var start = end
            while start > 0, bytes[start - 1] != slash { start -= 1 }
            // The base name without `suffix`, when it has it and the rest is NNNN-NNNNN-NNN.
            func part(before suffix: StaticString) -> String? {
                let count = suffix.utf8CodeUnitCount
                guard end - start > count,
                    suffix.withUTF8Buffer({ bytes[(end - count)..<end].elementsEqual($0) })
                else { return nil }
                let partEnd = end - count
                var groups = 1
                var groupLength = 0
                for index in start..<partEnd {
                    switch bytes[index] {
                    case UInt8(ascii: "-"):
                        guard groupLength > 0 else { return nil }
                        groups += 1
                        groupLength = 0
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        groupLength += 1
                    default:
                        return nil
                    }
                }
                guard groups == 3, groupLength > 0 else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<partEnd]), as: UTF8.self)
            }
            return part(before: ".sip.ld") ?? part(before: ".bootrom.ld")
        }
    }

    /// True when `text` ends with the ASCII `suffix`, byte for byte.
    private static func hasSuffix(_ text: String, _ suffix: StaticString) -> Bool {
        text.withUTF8InPlace { Self.hasSuffix($0, suffix) }
    }

    /// What a requested file is, in the boot sequence of §4.
    public enum FileKind: String, Sendable {
        /// `<mac>.cfg`: the phone's own master configuration.
        case macConfig
        /// `000000000000.cfg`: the default master configuration.
        case defaultConfig
        /// `*.sip.ld`, `sip.ld`: the application image.
        case application
        /// `*.bootrom.ld`, `bootrom.ld`: the BootROM image.
        case bootROM
        /// `<mac>-boot.log`, `<mac>-app.log` and other uploads.
        case log
        /// Per-phone or site files the phone asks for whether or not they were provisioned
        /// (`<mac>-directory.xml`, `<mac>-phone.cfg`, `000000000000-license.cfg`...,
        /// polycom-boot.md §4.2): their absence is normal.
        case optional
        /// Any other file (CONFIG_FILES, directories, overrides...).
        case other
    }

    private static let optionalSuffixes: [StaticString] = [
        "-directory.xml", "-phone.cfg", "-web.cfg", "-license.cfg", "-system.cfg",
    ]

    /// `<12 hex digits><suffix>` for one of the optional suffixes.
    private static func isOptionalPerPhoneFile(_ base: String) -> Bool {
        base.withUTF8InPlace { bytes in
            guard let suffix = Self.optionalSuffixes.first(where: { Self.hasSuffix(bytes, $0) }) else { return false }
            return bytes.count == 12 + suffix.utf8CodeUnitCount && Self.isLowercaseHex(bytes[0..<12])
        }
    }

    /// Classifies `name` as fetched by the phone with `mac`.
    public static func fileKind(_ name: String, mac: MACAddress?) -> FileKind {
        let base = Self.baseName(name)
        if base == Self.sharedMasterConfig { return .defaultConfig }
        if let mac, Self.macConfigAddress(base) == mac { return .macConfig }
        if Self.hasSuffix(base, ".sip.ld") || base == "sip.ld" { return .application }
        if Self.hasSuffix(base, ".bootrom.ld") || base == "bootrom.ld" { return .bootROM }
        if Self.hasSuffix(base, ".log") { return .log }
        if isOptionalPerPhoneFile(base) { return .optional }
        return .other
    }

    /// True for the names a Polycom phone fetches while provisioning (any MAC).
    public static func isProvisioningFile(_ name: String) -> Bool {
        let base = Self.baseName(name)
        if base.hasSuffix(".sip.ld") || base.hasSuffix(".bootrom.ld") || base == "sip.ld" || base == "bootrom.ld" {
            return true
        }
        guard base.hasSuffix(".cfg") || base.hasSuffix(".log") || base.hasSuffix(".xml") else { return false }
        let prefix = base.prefix(12)
        return prefix.count == 12 && prefix.allSatisfy(\.isHexDigit)
    }

    /// The MAC address a `<12 hex digits>.cfg` name (in lower case) is the master file of.
    static func macConfigAddress(_ base: String) -> MACAddress? {
        base.withUTF8InPlace { bytes in
            guard bytes.count == 16, Self.hasSuffix(bytes, ".cfg") else { return nil }
            var value: UInt64 = 0
            for byte in bytes[0..<12] {
                switch byte {
                case 0x30...0x39: value = value << 4 | UInt64(byte - 0x30)
                case 0x61...0x66: value = value << 4 | UInt64(byte - 0x61 + 10)
                default: return nil
                }
            }
            return MACAddress(rawValue: value)
        }
    }

    /// The last non-empty `/`-separated part of `name` (all of it when there is none), in
    /// lower case.
    static func baseName(_ name: String) -> String {
        // Nearly every name is already its own base name: lowercase ASCII without a slash.
        let isBase = name.withUTF8InPlace { bytes in
            !bytes.isEmpty && !bytes.contains { $0 == UInt8(ascii: "/") || (0x41...0x5A).contains($0) || $0 >= 0x80 }
        }
        if isBase { return name }
        let utf8 = name.utf8
        let slash = UInt8(ascii: "/")
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == slash { end = utf8.index(before: end) }
        var start = end
        while start > utf8.startIndex, utf8[utf8.index(before: start)] != slash { start = utf8.index(before: start) }
        guard start < end else { return name.lowercased() }
        // Most names are already lowercase ASCII: no new string to make then.
        if !utf8[start..<end].contains(where: { (0x41...0x5A).contains($0) || $0 >= 0x80 }) {
            return start == utf8.startIndex && end == utf8.endIndex ? name : String(name[start..<end])
        }
        return name[start..<end].lowercased()
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(self.filter { $0 != "_" })
    }
}
