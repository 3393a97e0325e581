import WireFormats

// Files the server did not have: the master configuration, the application image, the rest
// (polycom-boot.md §4).

extension FindingRule {
    /// `mac-config-missing`: no `<mac>.cfg` for this phone.
    static let macConfigMissing = FindingRule(
        code: .macConfigMissing, severity: .warning,
        summary: "The phone's own <mac>.cfg was not found."
    ) { record in
        record.fetches.withResult { $0 == .notFound }.filter { record.fileKind(of: $0) == .macConfig }.map { fetch in
            Finding(
                code: .macConfigMissing, severity: .warning,
                message: "\(fetch.file) was not found on \(fetch.server); the phone falls back to 000000000000.cfg",
                hint: """
                    Create \(record.mac.compactHex).cfg (lowercase, no separators) on the boot server if this \
                    phone needs its own settings.
                    """,
                frames: fetch.evidenceFrames
            )
        }
    }

    /// `no-master-config`: neither master configuration could be fetched.
    ///
    /// Only when a server answered "no such file" (or "not yours"); a refused login, a failed TLS
    /// handshake or a silent server have findings of their own.
    static let noMasterConfig = FindingRule(
        code: .noMasterConfig, severity: .error,
        summary: "Neither <mac>.cfg nor 000000000000.cfg could be fetched, and a server said it had no such file."
    ) { record in
        // Looked at in place first: nearly every phone fetched one of them.
        var refused = false
        for index in record.fetches.indices {
            switch record.fileKind(of: record.fetches[index]) {
            case .macConfig, .defaultConfig:
                let result = record.fetches[index].result
                if result == .ok { return [] }
                refused = refused || result == .notFound || result == .accessDenied
            default:
                continue
            }
        }
        guard refused else { return [] }
        let attempts = record.masterConfigFetches
        let results = attempts.map { "\($0.file): \($0.result.rawValue)" }.joined(separator: ", ")
        return [
            Finding(
                code: .noMasterConfig, severity: .error,
                message: "no master configuration could be fetched (\(results))",
                hint: "Put 000000000000.cfg (or <mac>.cfg) in the boot server's root, readable by the phone's account.",
                frames: attempts.flatMap(\.evidenceFrames)
            )
        ]
    }

    /// `application-missing`: the firmware image was not found.
    static let applicationMissing = FindingRule(
        code: .applicationMissing, severity: .error,
        summary: "The application image (*.sip.ld) was not found."
    ) { record in
        record.fetches.withResult { $0 == .notFound }.filter { record.fileKind(of: $0) == .application }.map { fetch in
            Finding(
                code: .applicationMissing, severity: .error,
                message: "the application image \(fetch.file) was not found on \(fetch.server)",
                hint: """
                    Copy the firmware (\(fetch.file)) to the boot server, or fix APP_FILE_PATH in the master \
                    configuration.
                    """,
                frames: fetch.evidenceFrames
            )
        }
    }

    /// `file-not-found`: any other file the server did not have. `info` for the per-phone files
    /// a phone asks for on every boot whether or not they were provisioned, `warning` otherwise.
    /// A file the master configuration's CONFIG_FILES names is `config-file-missing` instead.
    static let fileNotFound = FindingRule(
        code: .fileNotFound, severities: [.info, .warning],
        summary: "A file other than the master configuration or application was not found."
    ) { record in
        let planned = record.plannedConfigFetches
        return record.fetches.withResult { $0 == .notFound }.filter { !planned.contains(fetch: $0) }.compactMap {
            fetch in
            switch record.fileKind(of: fetch) {
            case .macConfig, .defaultConfig, .application:
                nil
            case .optional:
                Finding(
                    code: .fileNotFound, severity: .info,
                    message: joined(
                        fetch.file, " was not found on ", fetch.server.description,
                        "; the phone asks for it on every boot and carries on without it"),
                    hint: joined("Nothing to do unless this phone should have its own ", fetch.file, "."),
                    frames: fetch.evidenceFrames
                )
            case .bootROM, .log, .other:
                Finding(
                    code: .fileNotFound, severity: .warning,
                    message: joined(fetch.file, " was not found on ", fetch.server.description),
                    hint: """
                        Create the file, or remove it from CONFIG_FILES / the master configuration if it is not \
                        needed.
                        """,
                    frames: fetch.evidenceFrames
                )
            }
        }
    }
}
