import WireFormats

// The capture itself: packets to or from the phone that could not be decoded, and transfers
// the end of the capture cut while they were under way.

extension FindingRule {
    /// `malformed-packet`: DHCP or TFTP packets of this phone that could not be decoded.
    static let malformedPacket = FindingRule(
        code: .malformedPacket, severity: .warning,
        summary: "DHCP or TFTP packets to or from the phone could not be decoded."
    ) { record in
        let malformed = record.malformed
        guard !malformed.isEmpty else { return [] }
        let reasons = malformed.prefix(3).map { "frame \($0.frame): \($0.reason)" }.joined(separator: "; ")
        let snapped = malformed.allSatisfy { $0.snapped != nil }
        return [
            Finding(
                code: .malformedPacket, severity: .warning,
                message: """
                    \(malformed.count) DHCP/TFTP packet\(plural(malformed.count)) to or from this phone could not \
                    be decoded (\(reasons))
                    """,
                hint: snapped
                    ? """
                    The capture kept only the start of these frames: capture again with the whole frame \
                    (tcpdump -s 0, dumpcap without -s).
                    """
                    : """
                    Check for a faulty NIC, switch or relay on the path; open the frames in Wireshark to see the \
                    bytes.
                    """,
                frames: malformed.map(\.frame)
            )
        ]
    }

    /// `transfer-cut-by-capture-end`: a transfer still under way when the capture ended (its
    /// last packet within ``BootAnalyzer/captureEndWindow`` of the end): the capture stopped,
    /// not the transfer, so it is not `transfer-incomplete` or `no-server-answer`.
    static let transferCutByCaptureEnd = FindingRule(
        code: .transferCutByCaptureEnd, severity: .info,
        summary: "A transfer was still under way when the capture ended; the capture cut it, not the network."
    ) { record in
        record.fetches.filter(\.isCutByCaptureEnd).map { fetch in
            let what =
                fetch.file.isEmpty
                ? "the \(fetch.fetchProtocol.displayName) connection to \(fetch.server)"
                : "\(fetch.file) from \(fetch.server)"
            let state =
                fetch.result == .noAnswer
                ? "its request had no answer yet"
                : "\(fetch.bytes) byte\(plural(fetch.bytes)) so far"
            let window = BootAnalyzer.captureEndWindow / 1_000_000_000
            return Finding(
                code: .transferCutByCaptureEnd, severity: .info,
                message: """
                    \(what) was still under way when the capture ended (\(state); last packet within \
                    \(window) s of the end): cut by the end of the capture
                    """,
                hint: """
                    Nothing to fix from this capture: capture until the phone has finished booting (a longer \
                    --duration, or stop watch later) to see how the transfer ends.
                    """,
                frames: [fetch.firstFrame, fetch.lastFrame]
            )
        }
    }
}
