/// The User-Agent a Polycom phone sends on HTTP(S) provisioning requests (polycom-boot.md
/// §4.4): `FileTransport Polycom<family>-<MODEL>-UA/<version>[ (SN:<mac>)][ Type/<stage>]`,
/// e.g. `FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614 Type/Application`.
public struct PolycomUserAgent: Hashable, Sendable {
    /// `VVX-VVX_410`, `SoundPointIP-SPIP_335`: the form option 60 uses too.
    public let modelString: String
    /// The BootROM/updater version on early requests, the application's later.
    public let version: String
    /// `(SN:…)` when the phone tags its serial number.
    public let serialNumber: String?
    /// `Application`, `Updater`, when given.
    public let stage: String?

    /// Parses `text`; `nil` when it is not a Polycom provisioning User-Agent.
    public init?(_ text: String) {
        let prefix = "FileTransport Polycom"
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        guard let marker = rest.firstRange(of: "-UA/") else { return nil }
        let model = rest[..<marker.lowerBound]
        let afterVersion = rest[marker.upperBound...]
        let version = afterVersion.prefix { $0 != " " }
        guard !model.isEmpty, !version.isEmpty else { return nil }
        self.modelString = String(model)
        self.version = String(version)
        let tail = afterVersion.dropFirst(version.count)
        if let open = tail.firstRange(of: "(SN:") {
            self.serialNumber = String(tail[open.upperBound...].prefix { $0 != ")" })
        } else {
            self.serialNumber = nil
        }
        if let type = tail.firstRange(of: "Type/") {
            self.stage = String(tail[type.upperBound...].prefix { $0 != " " })
        } else {
            self.stage = nil
        }
    }

    /// True when the request comes from the updater (BootROM) rather than the application.
    public var isUpdater: Bool { self.stage?.lowercased() == "updater" }
}
