/// A Polycom master configuration file as its XML says, before it is applied to one phone
/// (polycom-boot.md §4.3): the `APPLICATION` element's attributes and its per-model
/// `APPLICATION_<MODEL>` children.
///
/// ```xml
/// <APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="phone1.cfg, sip.cfg" MISC_FILES="">
///   <APPLICATION_VVX410 APP_FILE_PATH_VVX410="3111-46162-001.sip.ld"/>
/// </APPLICATION>
/// ```
///
/// A child's `<NAME>_<MODEL>` attribute overrides the parent's `<NAME>` for a phone of that
/// model (``attribute(_:model:)``). Attribute names are matched as written (the XML is
/// case-sensitive); values are kept as written, variables such as `[PHONE_MAC_ADDRESS]`
/// unexpanded.
public struct MasterConfig: Hashable, Sendable {
    /// The root element's name: `APPLICATION` in every master file PhoneBoot knows.
    public let rootName: String
    /// The root element's attributes.
    public let attributes: [String: String]
    /// The per-model children, by model tag (`VVX410` for `APPLICATION_VVX410`), each with its
    /// attributes as written (`APP_FILE_PATH_VVX410`).
    public let models: [String: [String: String]]

    /// The attributes of a master file (polycom-boot.md §4.3) that name directories.
    public static let directoryAttributes = [
        "LOG_FILE_DIRECTORY", "OVERRIDES_DIRECTORY", "CONTACTS_DIRECTORY", "LICENSE_DIRECTORY",
        "USER_PROFILES_DIRECTORY", "CALL_LISTS_DIRECTORY", "COREFILE_DIRECTORY",
    ]

    public init(rootName: String, attributes: [String: String], models: [String: [String: String]]) {
        self.rootName = rootName
        self.attributes = attributes
        self.models = models
    }

    /// `name` for a phone of `model` (its tag, `VVX410`): the child's `<name>_<model>` when the
    /// master file has an `APPLICATION_<model>` child that sets it, else the root's `name`;
    /// `nil` when neither sets it. The model tag is compared without regard to case.
    public func attribute(_ name: String, model: String?) -> (value: String, fromModel: Bool)? {
        if let model, let child = self.child(model: model) {
            let suffixed = "\(name)_\(child.tag)"
            if let value = child.attributes[suffixed] { return (value, true) }
        }
        return self.attributes[name].map { ($0, false) }
    }

    /// The `APPLICATION_<model>` child for `model`, whatever the case of its tag.
    public func child(model: String) -> (tag: String, attributes: [String: String])? {
        // Most master files have no per-model children: nothing to look up or lowercase.
        guard !self.models.isEmpty else { return nil }
        if let attributes = self.models[model] { return (model, attributes) }
        let lower = model.lowercased()
        return self.models.first { $0.key.lowercased() == lower }.map { ($0.key, $0.value) }
    }

    /// A comma-separated list attribute (`CONFIG_FILES`, `MISC_FILES`): its entries in order,
    /// trimmed of spaces, empty entries left out (polycom-boot.md §4.2).
    public static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = self.firstIndex(where: { !isSpace($0) }),
            let last = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
