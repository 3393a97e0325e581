import WireFormats

// The capture itself: packets to or from the phone that could not be decoded.

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
}
