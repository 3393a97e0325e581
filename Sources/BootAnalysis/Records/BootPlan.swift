public import MasterConfigXML
public import WireFormats

/// What the master configuration told one phone to fetch, in order, side by side with what
/// it did (polycom-boot.md §4.2, §4.3): the application image (`APP_FILE_PATH`), then each of
/// `CONFIG_FILES` left to right, then `MISC_FILES`, for the phone's own model (a
/// `APPLICATION_<MODEL>` child's `_<MODEL>` attributes override the parent's), with the
/// variables `[PHONE_MAC_ADDRESS]`, `[PHONE_MODEL]` and `[PHONE_PART_NUMBER]` expanded for
/// this phone when they are known.
public struct BootPlan: Hashable, Sendable {
    /// Why a file is in the plan.
    public enum Role: String, Hashable, Sendable {
        /// `APP_FILE_PATH`.
        case application
        /// An entry of `CONFIG_FILES`.
        case config
        /// An entry of `MISC_FILES`.
        case misc
    }

    /// One file of the plan and what happened to it.
    public struct Entry: Hashable, Sendable {
        public let role: Role
        /// The name to fetch, variables expanded.
        public let file: String
        /// The name as the master file writes it, when it differs (variables).
        public let written: String?
        /// The attribute that names it: `APP_FILE_PATH` or `APP_FILE_PATH_VVX410`.
        public let attribute: String
        /// Variables that could not be expanded (`[PHONE_PART_NUMBER]` for a phone whose part
        /// number is not known).
        public let unexpanded: [String]
        /// Every request for it after the master file was first fetched, in order (for
        /// APP_FILE_PATH `sip.ld`, of the split image `<part>.sip.ld` too).
        public let attempts: [Fetch]

        /// The last request, whose result the plan shows; `nil`: never requested.
        public var lastAttempt: Fetch? { self.attempts.last }
    }

    /// The copy of the master file the plan is read from: the last one fetched completely,
    /// the phone's own `<mac>.cfg` before `000000000000.cfg` (§4.2: the phone uses the first
    /// of these that exists).
    public let master: MasterConfigCopy
    /// Complete copies of that master file fetched (several in a boot loop, or updater then
    /// application).
    public let copies: Int
    /// The first frame of the first copy: requests from there on count.
    public let since: Int
    /// The phone's model tag (`VVX410`), when known: the `APPLICATION_<MODEL>` child used.
    public let modelTag: String?
    /// True when the phone's model had an `APPLICATION_<MODEL>` child in the master file.
    public let modelChildFound: Bool
    public let entries: [Entry]
    /// The `*_DIRECTORY` attributes that are set, for this phone's model.
    public let directories: [Directory]

    /// A `*_DIRECTORY` attribute (`LOG_FILE_DIRECTORY`...) and its value, variables expanded.
    public struct Directory: Hashable, Sendable {
        public let name: String
        public let value: String
    }

    /// The entry for the application image, when the master file names one.
    public var application: Entry? { self.entries.first { $0.role == .application } }

    /// The master file the phone used, of those it fetched completely: the last complete copy of
    /// `<mac>.cfg`, else of `000000000000.cfg`; `nil` when there is none.
    static func chosenMaster(_ copies: [MasterConfigCopy], mac: MACAddress) -> MasterConfigCopy? {
        // Each copy tested where it lies, and only the one chosen copied out: a copy handed to
        // a closure (`filter`, `last(where:)`) is copied whole first.
        func isHeld(_ index: Int) -> Bool {
            switch copies[index].content {
            case .parsed, .invalid: true
            case .tooLarge, .notHeld: false
            }
        }
        func last(_ kind: PolycomCatalogue.FileKind) -> Int? {
            copies.indices.last { isHeld($0) && PolycomCatalogue.fileKind(copies[$0].file, mac: mac) == kind }
        }
        return (last(.macConfig) ?? last(.defaultConfig)).map { copies[$0] }
    }

    /// The plan of `record`, from the master file it used; `nil` when no master file was read.
    /// Borrowed: an initialiser takes its arguments owned, and the record was copied whole to
    /// be passed.
    init?(record: borrowing PhoneRecord) {
        guard let master = Self.chosenMaster(record.masterConfigs, mac: record.mac),
            let config = master.masterConfig
        else { return nil }
        let sameFile = record.masterConfigs.filter { $0.file == master.file && $0.content == master.content }
        self.master = master
        self.copies = sameFile.count
        let since = record.masterConfigs.first { $0.file == master.file }?.firstFrame ?? master.firstFrame
        self.since = since
        let tag = record.modelTag
        self.modelTag = tag
        self.modelChildFound = tag.flatMap { config.child(model: $0) } != nil
        let variables = Self.variables(of: record, tag: tag)
        // The fetches read after the master file, each tested where it lies (see chosenMaster).
        var later: [(fetch: Fetch, name: String)] = []
        for index in record.fetches.indices
        where record.fetches[index].direction == .read && record.fetches[index].firstFrame > since {
            later.append((record.fetches[index], Self.lastComponent(record.fetches[index].file)))
        }
        self.entries = Self.plannedFiles(config, modelTag: tag, variables: variables).map { planned in
            let base = Self.lastComponent(planned.file)
            // APP_FILE_PATH "sip.ld" is also fetched as a split image, <part>.sip.ld (§4.2).
            let splitImage = planned.role == .application && base == "sip.ld"
            return Entry(
                role: planned.role, file: planned.file, written: planned.written, attribute: planned.attribute,
                unexpanded: planned.unexpanded,
                attempts: later.indices.filter {
                    later[$0].name == base
                        || (splitImage && later[$0].name.hasSuffix(".sip.ld")
                            && PolycomCatalogue.partNumber(inFileName: later[$0].name) != nil)
                }.map { later[$0].fetch })
        }
        self.directories = MasterConfig.directoryAttributes.compactMap { name in
            guard let (value, _) = config.attribute(name, model: tag), !value.isEmpty else { return nil }
            return Directory(name: name, value: Self.expand(value, variables).text)
        }
    }

    /// A file the master configuration tells a phone to fetch, before any attempt.
    public struct PlannedFile: Hashable, Sendable {
        public let role: Role
        /// The name with the variables known replaced.
        public let file: String
        /// The name as the master file writes it, when it differs from ``file``.
        public let written: String?
        /// The attribute that names it (`APP_FILE_PATH_VVX410`, `CONFIG_FILES`).
        public let attribute: String
        /// Variables that could not be replaced.
        public let unexpanded: [String]
    }

    /// The files `config` tells a phone with `mac` of model `modelTag` (`VVX410`) and part
    /// number `partNumber` to fetch, in order: the application image, then `CONFIG_FILES` and
    /// `MISC_FILES` (polycom-boot.md §4.2–§4.3).
    public static func plannedFiles(
        _ config: MasterConfig, mac: MACAddress, modelTag: String?, partNumber: String?
    ) -> [PlannedFile] {
        Self.plannedFiles(
            config, modelTag: modelTag,
            variables: Self.variables(mac: mac, partNumber: partNumber, tag: modelTag))
    }

    private static func plannedFiles(
        _ config: MasterConfig, modelTag tag: String?, variables: [(String, String?)]
    ) -> [PlannedFile] {
        var planned: [PlannedFile] = []
        func add(_ role: Role, _ written: String, attribute: String) {
            let (file, unexpanded) = Self.expand(written, variables)
            planned.append(
                PlannedFile(
                    role: role, file: file, written: file == written ? nil : written, attribute: attribute,
                    unexpanded: unexpanded))
        }
        func attributeName(_ name: String, fromModel: Bool) -> String {
            guard fromModel, let tag, let child = config.child(model: tag) else { return name }
            return "\(name)_\(child.tag)"
        }
        if let (path, fromModel) = config.attribute("APP_FILE_PATH", model: tag), !path.isEmpty {
            add(.application, path, attribute: attributeName("APP_FILE_PATH", fromModel: fromModel))
        }
        for name in ["CONFIG_FILES", "MISC_FILES"] {
            guard let (value, fromModel) = config.attribute(name, model: tag) else { continue }
            for file in MasterConfig.list(value) {
                add(
                    name == "CONFIG_FILES" ? .config : .misc, file, attribute: attributeName(name, fromModel: fromModel)
                )
            }
        }
        return planned
    }

    /// The values of the variables for `record` (§4.3); `nil` for one that is not known.
    /// `[PHONE_MODEL]` is taken as the model tag (`VVX410`): its exact expansion on the phone
    /// (`VVX410` or `VVX_410`) is not confirmed (polycom-boot.md §8, item 6).
    private static func variables(of record: PhoneRecord, tag: String?) -> [(String, String?)] {
        Self.variables(mac: record.mac, partNumber: record.partNumber, tag: tag)
    }

    private static func variables(mac: MACAddress, partNumber: String?, tag: String?) -> [(String, String?)] {
        let part = partNumber.map(PolycomCatalogue.barePartNumber)
        return [
            ("[PHONE_MAC_ADDRESS]", mac.compactHex.lowercased()),
            ("[PHONE_MODEL]", tag),
            ("[PHONE_PART_NUMBER]", part),
        ]
    }

    /// `text` with the known variables replaced, and the names of those left in it.
    private static func expand(_ text: String, _ variables: [(String, String?)]) -> (text: String, unexpanded: [String])
    {
        guard text.utf8Contains(UInt8(ascii: "[")) else { return (text, []) }
        var result = text
        var unexpanded: [String] = []
        for (name, value) in variables where result.contains(name) {
            if let value {
                result = result.replacing(name, with: value)
            } else {
                unexpanded.append(name)
            }
        }
        return (result, unexpanded)
    }

    /// The last `/`-separated part of a file name or URL, as written (case kept: the phone
    /// asks for what the master file names).
    static func lastComponent(_ name: String) -> String {
        let slash = UInt8(ascii: "/")
        guard name.utf8Contains(slash) else { return name }
        let utf8 = name.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == slash { end = utf8.index(before: end) }
        var start = end
        while start > utf8.startIndex, utf8[utf8.index(before: start)] != slash { start = utf8.index(before: start) }
        return String(name[start..<end])
    }
}
