import BootAnalysis
import MasterConfigXML
import PacketCapture

extension ReportTable {
    /// The master configuration files a phone fetched that could not be read (not XML, too
    /// large, not all in the capture), then the plan: the master file it comes from and each
    /// file it names, in order, with what happened to it.
    ///
    /// ```
    ///   master  0004f2a1b2c3.cfg #5-9 (VVX410: APPLICATION_VVX410 applies)
    ///   plan  1 application  3111-46162-001.sip.ld  APP_FILE_PATH_VVX410  ok  #15-1189  updater
    ///   plan  2 config       site.cfg               CONFIG_FILES          not-found  error 1 "..."  #1190-1191
    ///   plan  3 config       phone1.cfg             CONFIG_FILES          never requested
    /// ```
    func planLines(_ phone: PhoneRecord, frameMap: CaptureFrameMap?) -> [String] {
        var lines: [String] = []
        for copy in phone.masterConfigs {
            let frames = Self.framesText(copy.firstFrame, copy.lastFrame, frameMap)
            switch copy.content {
            case .parsed:
                continue
            case .invalid(let error):
                lines.append(
                    "  master  \(copy.file) \(frames)  " + self.palette.severity(.error, "not XML") + ": \(error)")
            case .tooLarge(let bytes):
                lines.append(
                    "  master  \(copy.file) \(frames)  not read: \(bytes) bytes, over the \(ReportJSON.bodyLimitText) kept"
                )
            case .notHeld(let reason):
                lines.append("  master  \(copy.file) \(frames)  not read: \(reason)")
            }
        }
        guard let plan = phone.plan else { return lines }
        var master =
            "  master  \(plan.master.file) " + Self.framesText(plan.master.firstFrame, plan.master.lastFrame, frameMap)
        if plan.copies > 1 { master += " (the last of \(plan.copies) copies)" }
        if let tag = plan.modelTag {
            master += plan.modelChildFound ? "  \(tag): APPLICATION_\(tag) applies" : "  \(tag): no APPLICATION_\(tag)"
        } else {
            master += "  model not known: no APPLICATION_<MODEL> applied"
        }
        lines.append(master)
        if !plan.directories.isEmpty {
            lines.append("  dirs  " + plan.directories.map { "\($0.name)=\($0.value)" }.joined(separator: " "))
        }
        if plan.entries.isEmpty { lines.append("  plan  names no file") }
        let fileWidth = plan.entries.map(\.file.count).max() ?? 0
        let roleWidth = plan.entries.map(\.role.rawValue.count).max() ?? 0
        let attributeWidth = plan.entries.map(\.attribute.count).max() ?? 0
        for (index, entry) in plan.entries.enumerated() {
            var line =
                "  plan  \(index + 1) " + entry.role.rawValue.padding(roleWidth) + "  " + entry.file.padding(fileWidth)
                + "  " + entry.attribute.padding(attributeWidth) + "  "
            if let last = entry.lastAttempt {
                line +=
                    last.result == .ok
                    ? self.palette.severity(nil, last.result.rawValue)
                    : self.palette.severity(.error, last.result.rawValue)
                if let code = last.errorCode {
                    line += "  \(last.fetchProtocol.errorCodePrefix)\(code) \"\(last.errorMessage ?? "")\""
                } else if last.result != .ok, let message = last.errorMessage {
                    line += "  \(message)"
                }
                line += "  " + Self.framesText(last.firstFrame, last.lastFrame, frameMap)
                if entry.attempts.count > 1 { line += " (last of \(entry.attempts.count) requests)" }
                if let stage = last.stage { line += "  \(stage.rawValue)" }
            } else {
                line += self.palette.severity(.warning, "never requested")
            }
            if !entry.unexpanded.isEmpty {
                line += "  (\(entry.unexpanded.joined(separator: ", ")) not known for this phone)"
            }
            lines.append(line)
        }
        return lines
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    fileprivate func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - self.count))
    }
}
