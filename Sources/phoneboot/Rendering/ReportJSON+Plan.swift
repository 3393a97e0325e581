import BootAnalysis
import MasterConfigXML
import WireFormats

extension ReportJSON {
    /// The master configuration files a phone fetched, each with what could be read of it:
    /// `status` `parsed`, `invalid` (with the parser's `error`), `too-large` or `not-held`
    /// (with its `reason`).
    static func masterConfigs(_ copies: [MasterConfigCopy]) -> JSONValue {
        guard !copies.isEmpty else { return .null }
        return .array(
            copies.map { copy in
                var members: [(String, JSONValue)] = [
                    ("file", .string(copy.file)),
                    ("server", .string(copy.server.description)),
                    ("protocol", .string(copy.fetchProtocol.rawValue)),
                    ("firstFrame", .int(copy.firstFrame)),
                    ("lastFrame", .int(copy.lastFrame)),
                    ("bytes", .int(copy.bytes)),
                ]
                switch copy.content {
                case .parsed:
                    members.append(("status", .string("parsed")))
                case .invalid(let error):
                    members.append(("status", .string("invalid")))
                    members.append(("error", self.xmlError(error)))
                case .tooLarge(let bytes):
                    members.append(("status", .string("too-large")))
                    members.append(("reason", .string("\(bytes) bytes, over the \(Self.bodyLimitText) kept")))
                case .notHeld(let reason):
                    members.append(("status", .string("not-held")))
                    members.append(("reason", .string(reason)))
                }
                return .object(members)
            })
    }

    /// `256 KiB`: how much of a master file is kept.
    static let bodyLimitText = "256 KiB"

    static func xmlError(_ error: MasterConfigError) -> JSONValue {
        .object([
            ("message", .string(error.message)),
            ("line", .int(error.line)),
            ("column", .int(error.column)),
            ("xmlErrorCode", error.code.map { .int($0) } ?? .null),
        ])
    }

    /// The plan: the master file it comes from, the model it was read for, and each file it
    /// names, in order, with what happened to it (`result`: the last request's result, or
    /// `not-requested`).
    static func plan(_ plan: BootPlan?) -> JSONValue {
        guard let plan else { return .null }
        return .object([
            (
                "master",
                .object([
                    ("file", .string(plan.master.file)),
                    ("firstFrame", .int(plan.master.firstFrame)),
                    ("lastFrame", .int(plan.master.lastFrame)),
                    ("copies", .int(plan.copies)),
                ])
            ),
            ("modelTag", .optional(plan.modelTag)),
            ("modelOverride", plan.modelTag == nil ? .null : .bool(plan.modelChildFound)),
            ("files", .array(plan.entries.map(self.planEntry))),
            (
                "directories",
                plan.directories.isEmpty ? .null : .object(plan.directories.map { ($0.name, .string($0.value)) })
            ),
        ])
    }

    static func planEntry(_ entry: BootPlan.Entry) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("role", .string(entry.role.rawValue)),
            ("file", .string(entry.file)),
            ("written", .optional(entry.written)),
            ("attribute", .string(entry.attribute)),
            ("unexpanded", entry.unexpanded.isEmpty ? .null : .array(entry.unexpanded.map { .string($0) })),
            ("result", .string(entry.lastAttempt?.result.rawValue ?? "not-requested")),
        ]
        if let last = entry.lastAttempt {
            members += [
                ("requests", .int(entry.attempts.count)),
                ("protocol", .string(last.fetchProtocol.rawValue)),
                ("firstFrame", .int(last.firstFrame)),
                ("lastFrame", .int(last.lastFrame)),
                ("bytes", .int(last.bytes)),
                ("stage", .optional(last.stage?.rawValue)),
                ("errorCode", last.errorCode.map { .int(Int($0)) } ?? .null),
                ("errorMessage", .optional(last.errorMessage)),
                ("errorFrame", last.errorFrame.map { .int($0) } ?? .null),
            ]
        }
        return .object(members)
    }
}
