import WireFormats

// Transfers that failed on the way: an error reply, a refused login, a failed TLS handshake,
// a transfer cut short, a server that never answered.

extension FindingRule {
    /// `transfer-error`: the server answered with an error (permission or other).
    static let transferError = FindingRule(
        code: .transferError, severity: .error,
        summary: "A server answered a fetch with an error (access denied or another protocol error)."
    ) { record in
        record.fetches.withResult { $0 == .accessDenied || $0 == .error }.map { fetch in
            let protocolName = fetch.fetchProtocol.displayName
            let what = fetch.file.isEmpty ? "the connection to \(fetch.server)" : "\(fetch.file) from \(fetch.server)"
            let reason =
                fetch.errorCode.map { "\(protocolName) \(fetch.fetchProtocol.errorCodePrefix)\($0)" }
                ?? protocolName
            let quoted = fetch.errorMessage.map { " \"\($0)\"" } ?? ""
            return Finding(
                code: .transferError, severity: .error,
                message: "\(what) failed: \(reason)\(quoted)",
                hint: transferErrorHint(for: fetch),
                frames: fetch.evidenceFrames
            )
        }
    }

    /// What to change for a `transfer-error`, by protocol and result.
    private static func transferErrorHint(for fetch: Fetch) -> String {
        let protocolName = fetch.fetchProtocol.displayName
        return switch (fetch.fetchProtocol, fetch.result) {
        case (.tftp, .accessDenied): "Make the file readable by the TFTP server (permissions, --tftp-secure ownership)."
        case (_, .accessDenied): "Give the phone's account read (and, for uploads, write) permission on the file."
        case (_, _) where fetch.file.isEmpty:
            "Check that the \(protocolName) server runs on \(fetch.server) and accepts connections from the phones."
        default: "Check the \(protocolName) server's log for the reason."
        }
    }

    /// `login-failed`: the server refused the phone's credentials.
    static let loginFailed = FindingRule(
        code: .loginFailed, severity: .error,
        summary: "An FTP login or HTTP request was refused for the phone's credentials."
    ) { record in
        record.fetches.withResult { $0 == .loginFailed }.map { fetch in
            let user = fetch.user.map { " as \($0)" } ?? ""
            let code = fetch.errorCode.map(String.init) ?? "?"
            return Finding(
                code: .loginFailed, severity: .error,
                message: fetch.file.isEmpty
                    ? """
                    the \(fetch.fetchProtocol.displayName) login\(user) on \(fetch.server) was refused \
                    (\(code) \(fetch.errorMessage ?? ""))
                    """
                    : """
                    \(fetch.file) on \(fetch.server) was refused for lack of credentials\(user) \
                    (\(fetch.errorMessage ?? "?"))
                    """,
                hint: """
                    Make the user and password in the boot-server URL (option 160/66) match an account on the \
                    server; Polycom's factory default is PlcmSpIp/PlcmSpIp.
                    """,
                frames: fetch.evidenceFrames
            )
        }
    }

    /// `tls-failed`: the HTTPS handshake ended in an alert or was cut off.
    static let tlsFailed = FindingRule(
        code: .tlsFailed, severity: .error,
        summary: "The TLS handshake of an HTTPS fetch failed."
    ) { record in
        record.fetches.withResult { $0 == .tlsFailed }.map { fetch in
            Finding(
                code: .tlsFailed, severity: .error,
                message: """
                    the TLS handshake with \(fetch.serverName ?? fetch.server.description) failed: \
                    \(fetch.errorMessage ?? "no reason seen")
                    """,
                hint: """
                    An unknown_ca or bad_certificate alert from the phone means it does not trust the server's \
                    certificate: add the issuing CA to the phone as a custom certificate, or use a certificate \
                    from a widely recognised CA; handshake_failure points at a cipher or protocol version mismatch.
                    """,
                frames: fetch.evidenceFrames
            )
        }
    }

    /// `transfer-incomplete`: a transfer that stopped before its end, long enough before the end
    /// of the capture (see `transfer-cut-by-capture-end` for those the capture's end cut).
    static let transferIncomplete = FindingRule(
        code: .transferIncomplete, severity: .error,
        summary: "A transfer stopped before its end (no last block, no acknowledgement, connection cut)."
    ) { record in
        record.fetches.withResult { $0 == .incomplete }.filter { !$0.isCutByCaptureEnd }.map { fetch in
            let how =
                switch (fetch.fetchProtocol, fetch.direction) {
                case (.tftp, .read): "no last block"
                case (.tftp, .upload): "upload not acknowledged"
                default: fetch.errorMessage ?? "the connection ended early"
                }
            let what = fetch.file.isEmpty ? "the connection to \(fetch.server)" : fetch.file
            return Finding(
                code: .transferIncomplete, severity: .error,
                message: """
                    \(what) from \(fetch.server) stopped after \(fetch.bytes) bytes (\(how))\(record.captureLossClause)
                    """,
                hint: fetch.fetchProtocol == .tftp
                    ? """
                    Look for loss or a firewall timing out the UDP flow between phone and server; a smaller \
                    blksize can help across a lossy path.
                    """
                    : """
                    Look for loss, a reset or a proxy/firewall cutting the TCP connection between phone and \
                    server (or a capture that stopped too soon).
                    """,
                frames: [fetch.firstFrame, fetch.lastFrame]
            )
        }
    }

    /// `no-server-answer`: requests to a server that never answered, one finding per server
    /// (a request sent just before the capture ended is `transfer-cut-by-capture-end`).
    static let noServerAnswer = FindingRule(
        code: .noServerAnswer, severity: .error,
        summary: "Requests to a server got no answer at all (one finding per server)."
    ) { record in
        let unanswered = record.fetches.withResult { $0 == .noAnswer }.filter { !$0.isCutByCaptureEnd }
        return Set(unanswered.map(\.server)).sorted().map { server in
            let requests = unanswered.filter { $0.server == server }
            let protocols = Set(requests.map(\.fetchProtocol)).sorted { $0.rawValue < $1.rawValue }
            let files = requests.map { $0.file.isEmpty ? "\($0.fetchProtocol) connection" : $0.file }
            let ports = protocols.map { whatMustBeOpen(for: $0, on: server, requests: requests) }
            return Finding(
                code: .noServerAnswer, severity: .error,
                message: """
                    \(requests.count) request\(plural(requests.count)) to \(server) \
                    (\(files.joined(separator: ", "))) got no answer at all\(record.captureLossClause)
                    """,
                hint: "Check that \(ports.joined(separator: "; that ")) not filtered between the phone and it.",
                frames: requests.flatMap(\.requestFrames)
            )
        }
    }

    /// For `no-server-answer`: the server and ports that must be reachable for `fetchProtocol`,
    /// written to follow "Check that" and precede "not filtered".
    private static func whatMustBeOpen(
        for fetchProtocol: FetchProtocol, on server: IPv4Address, requests: [Fetch]
    ) -> String {
        switch fetchProtocol {
        case .tftp: "a TFTP server runs on \(server) and that UDP 69 and the return ports are"
        case .ftp: "an FTP server listens on \(server) port 21 and that it and the passive data ports are"
        case .http, .https:
            "a web server listens on \(server) (port \(self.port(of: fetchProtocol, in: requests))) and is"
        }
    }

    /// The server port of the first request over `fetchProtocol`, or `"80"` when it is not known.
    private static func port(of fetchProtocol: FetchProtocol, in requests: [Fetch]) -> String {
        requests.first { $0.fetchProtocol == fetchProtocol }?.serverPort.map(String.init) ?? "80"
    }
}
