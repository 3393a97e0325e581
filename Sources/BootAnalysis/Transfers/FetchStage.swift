import WireFormats

/// The stage of a Polycom phone's boot a fetch belongs to (polycom-boot.md §0, §4.1): the
/// updater (BootROM) fetches the master configuration and the application image; the
/// application, once started, fetches the master configuration again, then `CONFIG_FILES`,
/// overrides, directories and logs.
public enum FetchStage: String, Hashable, Sendable {
    case updater
    case application

    /// Each fetch's stage, in order: from the HTTP User-Agent's `Type/Updater` or
    /// `Type/Application` when it has one (§4.4), else from the order of the fetches. A new
    /// DHCP DISCOVER (`boots`, frames) starts the updater again; a master configuration
    /// fetched after an image, or any file the updater does not fetch (a configuration file,
    /// a directory, an override, `-app.log`), is the application's.
    static func stages(of fetches: [Fetch], mac: MACAddress, boots: [Int]) -> [FetchStage] {
        var stage = FetchStage.updater
        var sawImage = false
        var nextBoot = boots.startIndex
        var stages: [FetchStage] = []
        stages.reserveCapacity(fetches.count)
        // Each fetch read where it lies: `for fetch in fetches` copies every one whole.
        for index in fetches.indices {
            while nextBoot < boots.endIndex, boots[nextBoot] < fetches[index].firstFrame {
                stage = .updater
                sawImage = false
                nextBoot += 1
            }
            if let agent = fetches[index].userAgent.flatMap(PolycomUserAgent.init), let named = agent.stage {
                stage = named.lowercased() == "updater" ? .updater : .application
                sawImage = sawImage || PolycomCatalogue.fileKind(fetches[index].file, mac: mac) == .application
                stages.append(stage)
                continue
            }
            switch PolycomCatalogue.fileKind(fetches[index].file, mac: mac) {
            case .macConfig, .defaultConfig:
                if sawImage { stage = .application }
            case .application, .bootROM:
                sawImage = true
            case .log:
                if PolycomCatalogue.baseName(fetches[index].file).hasSuffix("-boot.log") {
                    stage = .updater
                } else {
                    stage = .application
                }
            case .optional, .other:
                stage = .application
            }
            stages.append(stage)
        }
        return stages
    }
}
