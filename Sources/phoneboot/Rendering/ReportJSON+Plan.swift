import BootAnalysis
import MasterConfigXML
import WireFormats

extension ReportJSON {
    /// The master configuration files a phone fetched, each with what could be read of it:
    /// `status` `parsed`, `invalid` (with the parser's `error`), `too-large` or `not-held`
    /// (with its `reason`).
    static func masterConfigs(_ copies: [MasterConfigCopy]) -> JSONValue {
        guard !copies.isEmpty else { return .null }
        return JSONWriter.value { self.write(copies, to: &$0) }
    }

    static func write(_ copies: [MasterConfigCopy], to json: inout JSONWriter) {
        json.openArray()
        for copy in copies {
            json.openObject()
            json.member("file", copy.file)
            json.member("server", copy.server)
            json.member("protocol", plain: copy.fetchProtocol.rawValue)
            json.member("firstFrame", copy.firstFrame)
            json.member("lastFrame", copy.lastFrame)
            json.member("bytes", copy.bytes)
            switch copy.content {
            case .parsed:
                json.member("status", "parsed")
            case .invalid(let error):
                json.member("status", "invalid")
                json.object("error") { json in
                    json.member("message", error.message)
                    json.member("line", error.line)
                    json.member("column", error.column)
                    json.member("xmlErrorCode", error.code)
                }
            case .tooLarge(let bytes):
                json.member("status", "too-large")
                json.member("reason", "\(bytes) bytes, over the \(Self.bodyLimitText) kept")
            case .notHeld(let reason):
                json.member("status", "not-held")
                json.member("reason", reason)
            }
            json.closeObject()
        }
        json.closeArray()
    }

    /// `256 KiB`: how much of a master file is kept.
    static let bodyLimitText = "256 KiB"

    /// The plan: the master file it comes from, the model it was read for, and each file it
    /// names, in order, with what happened to it (`result`: the last request's result, or
    /// `not-requested`).
    static func plan(_ plan: BootPlan?) -> JSONValue {
        guard let plan else { return .null }
        return JSONWriter.value { self.write(plan, to: &$0) }
    }

    static func write(_ plan: BootPlan, to json: inout JSONWriter) {
        json.openObject()
        json.object("master") { json in
            json.member("file", plan.master.file)
            json.member("firstFrame", plan.master.firstFrame)
            json.member("lastFrame", plan.master.lastFrame)
            json.member("copies", plan.copies)
        }
        json.member("modelTag", plan.modelTag)
        if plan.modelTag != nil { json.member("modelOverride", plan.modelChildFound) }
        json.array("files", plan.entries) { json, entry in self.write(entry, to: &json) }
        if !plan.directories.isEmpty {
            json.key("directories")
            json.openObject()
            for directory in plan.directories {
                json.key(directory.name)
                json.value(directory.value)
            }
            json.closeObject()
        }
        json.closeObject()
    }

    private static func write(_ entry: BootPlan.Entry, to json: inout JSONWriter) {
        json.openObject()
        json.member("role", plain: entry.role.rawValue)
        json.member("file", entry.file)
        json.member("written", entry.written)
        json.member("attribute", entry.attribute)
        if !entry.unexpanded.isEmpty { json.array("unexpanded", entry.unexpanded) { json, name in json.value(name) } }
        json.member("result", plain: entry.lastAttempt?.result.rawValue ?? "not-requested")
        if let last = entry.lastAttempt {
            json.member("requests", entry.attempts.count)
            json.member("protocol", plain: last.fetchProtocol.rawValue)
            json.member("firstFrame", last.firstFrame)
            json.member("lastFrame", last.lastFrame)
            json.member("bytes", last.bytes)
            json.member("stage", plain: last.stage?.rawValue)
            json.member("errorCode", last.errorCode.map { Int($0) })
            json.member("errorMessage", last.errorMessage)
            json.member("errorFrame", last.errorFrame)
        }
        json.closeObject()
    }
}
