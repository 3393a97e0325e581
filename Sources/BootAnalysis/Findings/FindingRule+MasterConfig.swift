import MasterConfigXML
import WireFormats

// The master configuration file held against what the phone did (polycom-boot.md §4, §7):
// a file that is not XML, files it names that were missing or never asked for, another
// image than the one it names, and a phone that boots over and over.

extension FindingRule {
    /// How long after its master file a phone in the application stage has had time to ask
    /// for CONFIG_FILES (capture time, nanoseconds): the application asks for them at once,
    /// in seconds; a minute leaves room for slow servers and retries.
    static let configFileWindow: Int64 = 60 * 1_000_000_000

    /// `master-config-invalid`: a master file that is not well-formed XML.
    ///
    /// An error: the phone cannot read APP_FILE_PATH or CONFIG_FILES from it, so it gets
    /// neither the image nor the settings the file names and boots on what its flash holds,
    /// and every phone given the same file is in the same state.
    static let masterConfigInvalid = FindingRule(
        code: .masterConfigInvalid, severity: .error,
        summary: "A master configuration file the phone fetched is not well-formed XML."
    ) { record in
        var seen: [String: [MasterConfigCopy]] = [:]
        var order: [String] = []
        for copy in record.masterConfigs {
            guard case .invalid(let error) = copy.content else { continue }
            let key = "\(copy.file)\u{0}\(error)"
            if seen[key] == nil { order.append(key) }
            seen[key, default: []].append(copy)
        }
        return order.compactMap { key -> Finding? in
            guard let copies = seen[key], let first = copies.first, case .invalid(let error) = first.content else {
                return nil
            }
            let times = copies.count == 1 ? "" : " (fetched \(copies.count) times)"
            return Finding(
                code: .masterConfigInvalid, severity: .error,
                message: """
                    \(first.file) from \(first.server) is not well-formed XML\(times): \(error); the phone cannot \
                    read APP_FILE_PATH or CONFIG_FILES from it
                    """,
                hint: """
                    Fix the file on the boot server (xmllint --noout \(first.file) shows the same error); a quote \
                    or '&' inside an attribute value is the usual cause.
                    """,
                frames: copies.flatMap { [$0.firstFrame, $0.lastFrame] }
            )
        }
    }

    /// `config-file-missing`: a file CONFIG_FILES names, requested, not found.
    ///
    /// An error: the master file says the phone needs it, and the phone runs without the
    /// settings it holds.
    static let configFileMissing = FindingRule(
        code: .configFileMissing, severity: .error,
        summary: "A file the master configuration's CONFIG_FILES names was requested and not found."
    ) { record in
        guard let plan = record.plan else { return [] }
        return plan.entries.filter { $0.role == .config }.compactMap { entry in
            let missing = entry.attempts.filter { $0.result == .notFound }
            guard let last = entry.lastAttempt, last.result == .notFound, let first = missing.first else { return nil }
            let times = missing.count == 1 ? "" : " (asked \(missing.count) times)"
            return Finding(
                code: .configFileMissing, severity: .error,
                message: """
                    \(entry.file), named in \(entry.attribute) of \(plan.master.file), was not found on \
                    \(first.server)\(times); the phone runs without the settings it holds
                    """,
                hint: """
                    Put \(entry.file) in the boot server's directory (mind the case of the name), or remove it from \
                    CONFIG_FILES if it is no longer used.
                    """,
                frames: missing.flatMap(\.evidenceFrames)
            )
        }
    }

    /// `config-file-skipped`: a file CONFIG_FILES names that the phone never asked for,
    /// although it went on after reading the master file: it fetched a file the application
    /// fetches (another configuration file, a directory, an override, its log), or, with the
    /// master file fetched by the application, the capture ran ``configFileWindow`` past it.
    /// When the capture simply ends first it is too soon to tell, and nothing is said.
    ///
    /// A warning: the phone runs without the file's settings, but nothing failed on the wire.
    static let configFileSkipped = FindingRule(
        code: .configFileSkipped, severity: .warning,
        summary: "A file the master configuration's CONFIG_FILES names was never requested, though the phone went on."
    ) { record in
        guard let plan = record.plan else { return [] }
        let skipped = plan.entries.filter { $0.role == .config && $0.attempts.isEmpty }
        guard !skipped.isEmpty, let evidence = record.wentOn(after: plan) else { return [] }
        return skipped.map { entry in
            Finding(
                code: .configFileSkipped, severity: .warning,
                message: """
                    \(entry.file), named in \(entry.attribute) of \(plan.master.file), was never requested, \
                    though the phone went on (\(evidence.text))
                    """,
                hint: """
                    Check CONFIG_FILES for a typo or a stray character before this entry, and that the phone uses \
                    this master file (a specified master file set on the phone takes precedence); a phone with \
                    cached settings may need a reboot to read the list again.
                    """,
                frames: [plan.master.firstFrame, plan.master.lastFrame] + evidence.frames
            )
        }
    }

    /// `application-mismatch`: the phone fetched an image other than APP_FILE_PATH for its
    /// model. A split image (`<part>.sip.ld`) for APP_FILE_PATH `sip.ld` is the same image
    /// (polycom-boot.md §4.2).
    ///
    /// A warning: the image is firmware the phone can run, only not the one planned.
    static let applicationMismatch = FindingRule(
        code: .applicationMismatch, severity: .warning,
        summary: "The phone fetched an application image other than the master configuration's APP_FILE_PATH."
    ) { record in
        guard let plan = record.plan, let application = plan.application else { return [] }
        let planned = BootPlan.lastComponent(application.file)
        let images = record.fetches.filter { fetch in
            fetch.direction == .read && fetch.firstFrame > plan.since && fetch.file.utf8.last == UInt8(ascii: "d")
                && isImage(fetch.file) && !sameImage(BootPlan.lastComponent(fetch.file), planned: planned)
        }
        guard !images.isEmpty else { return [] }
        let names = Array(Set(images.map(\.file))).sorted().joined(separator: ", ")
        let model = plan.modelTag.map { " for a \($0)" } ?? ""
        return [
            Finding(
                code: .applicationMismatch, severity: .warning,
                message: """
                    the phone fetched \(names), but \(application.attribute) in \(plan.master.file) names \
                    \(application.file)\(model)
                    """,
                hint: """
                    Make the image and APP_FILE_PATH agree: fix the per-model APPLICATION_<MODEL> override or the \
                    image name, and check that the phone reads this master file (not a specified or cached one).
                    """,
                frames: [plan.master.firstFrame] + images.map(\.firstFrame)
            )
        ]
    }

    /// `boot-loop`: the phone ran DHCP and then the same fetches three times or more: it is
    /// rebooting. Says after which file each boot ended (the last one fetched before the next
    /// DISCOVER).
    ///
    /// An error: a phone that keeps restarting never gets into service.
    static let bootLoop = FindingRule(
        code: .bootLoop, severity: .error,
        summary: "The phone ran DHCP and the same fetches three or more times: it keeps rebooting."
    ) { record in
        let boots = record.bootFrames
        guard boots.count >= 3 else { return [] }
        // Each boot's read fetches, up to the next DISCOVER.
        let segments: [[Fetch]] = boots.indices.map { index in
            let end = index + 1 < boots.count ? boots[index + 1] : Int.max
            return record.fetches.filter {
                $0.direction == .read && $0.firstFrame > boots[index] && $0.firstFrame < end
            }
        }
        var counts: [[String]: Int] = [:]
        for segment in segments where !segment.isEmpty { counts[segment.map(\.file), default: 0] += 1 }
        guard let (files, count) = counts.max(by: { $0.value < $1.value }), count >= 3 else { return [] }
        let looping = boots.indices.filter { segments[$0].map(\.file) == files }
        // The boots that ended in another DISCOVER, and their last fetch.
        let restarts = looping.filter { $0 + 1 < boots.count }.compactMap { segments[$0].last }
        let after = Set(restarts.map(\.file))
        let afterText: String
        if let only = restarts.first, after.count == 1 {
            afterText =
                restarts.count == 1
                ? "it restarted after \(only.file) (\(only.result.rawValue))"
                : "each of its \(restarts.count) restarts came after \(only.file) (\(only.result.rawValue))"
        } else {
            afterText =
                "it restarted after " + restarts.map { "\($0.file) (#\($0.lastFrame))" }.joined(separator: ", ")
        }
        let discoverText = looping.map { "#\(boots[$0])" }.joined(separator: ", ")
        return [
            Finding(
                code: .bootLoop, severity: .error,
                message: """
                    the phone booted \(count) times (DHCP DISCOVER \(discoverText)) and fetched the same \
                    \(files.count) file\(plural(files.count)) each time (\(files.joined(separator: ", "))); \
                    \(afterText)
                    """,
                hint: """
                    A phone that restarts after the same file fails on it: for the application image, check that \
                    it suits the model and its updater/BootROM; for a configuration file, look for a setting that \
                    makes the phone restart (a VLAN or a device.* change that needs a reboot); the phone's \
                    <mac>-boot.log or -app.log tells more.
                    """,
                frames: looping.map { boots[$0] } + restarts.map(\.lastFrame)
            )
        ]
    }

    /// True for an application image name (§4.2): `*.ld` that is not a BootROM or boot block.
    private static func isImage(_ file: String) -> Bool {
        let base = PolycomCatalogue.baseName(file)
        return base.hasSuffix(".ld") && !base.hasSuffix("bootrom.ld") && !base.hasSuffix("bootblock.ld")
    }

    /// True when `fetched` is the `planned` image: the same name, or a split image
    /// `<part>.sip.ld` for `sip.ld`.
    private static func sameImage(_ fetched: String, planned: String) -> Bool {
        if fetched == planned { return true }
        return planned == "sip.ld" && PolycomCatalogue.partNumber(inFileName: fetched) != nil
            && fetched.hasSuffix(".sip.ld")
    }
}

extension PhoneRecord {
    /// The fetches of files the plan's CONFIG_FILES name: `config-file-missing`'s, not
    /// `file-not-found`'s.
    var plannedConfigFetches: [Fetch] {
        self.plan?.entries.filter { $0.role == .config }.flatMap(\.attempts) ?? []
    }

    /// What shows that the phone went on after the plan's master file, for
    /// `config-file-skipped`: a later fetch of a file the application fetches, or, for a master
    /// file fetched by the application, a capture that ran ``FindingRule/configFileWindow``
    /// past it; `nil` when it is too soon to tell.
    func wentOn(after plan: BootPlan) -> (text: String, frames: [Int])? {
        let master = plan.master
        let later = self.fetches.filter { $0.firstFrame > master.lastFrame }
        let plannedFiles = Set(plan.entries.filter { $0.role != .application }.map(\.file))
        if let next = later.first(where: { fetch in
            switch self.fileKind(of: fetch) {
            case .other, .optional: true
            case .log: PolycomCatalogue.baseName(fetch.file).hasSuffix("-app.log")
            case .macConfig, .defaultConfig, .application, .bootROM: plannedFiles.contains(fetch.file)
            }
        }) {
            return ("it fetched \(next.file) at #\(next.firstFrame)", [next.firstFrame])
        }
        let masterStage = self.fetches.first { $0.firstFrame == master.firstFrame }?.stage
        if masterStage == .application, let end = self.captureEnd,
            end &- master.timestamp >= FindingRule.configFileWindow
        {
            let seconds = (end &- master.timestamp) / 1_000_000_000
            return ("the capture ran \(seconds) s past the master file with no request for it", [])
        }
        return nil
    }
}

extension [Fetch] {
    /// True when `fetch` is one of these (same first frame and file).
    func contains(fetch: Fetch) -> Bool {
        self.contains { $0.firstFrame == fetch.firstFrame && $0.file == fetch.file }
    }
}
