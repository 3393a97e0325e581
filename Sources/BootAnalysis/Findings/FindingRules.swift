/// The rules that turn a phone's record into findings (DESIGN §4, polycom-boot.md §7).
enum FindingRules {
    /// Every finding rule, one per ``Finding/Code``, in the order they run.
    ///
    /// To add a finding:
    /// 1. add its code in `Finding.swift` (``Finding/Code``);
    /// 2. write its rule, a `static let` on ``FindingRule`` with its message and hint, in the
    ///    `Findings/FindingRule+<family>.swift` file of its family (DHCP, BootServer,
    ///    ServerChoice, ConfigFiles, MasterConfig, Transfers, Capture), using the helpers in
    ///    `Findings/FindingRule+Support.swift`;
    /// 3. add the rule to this list;
    /// 4. test it in `Tests/BootAnalysisTests/FindingRuleTests.swift`: a record on which it fires and
    ///    one on which it stays silent (the registry test there fails until steps 1–3 agree).
    ///
    /// The order only breaks ties in ``findings(for:)``'s sort, between findings of one code
    /// on one first frame; it is kept as the findings were first written.
    static let all: [FindingRule] = [
        // DHCP
        .noDHCPAnswer,
        .dhcpNAK,
        .severalDHCPServers,
        // The voice VLAN (LLDP-MED, CDP, DHCP VLAN-A=)
        .vlanLoop,
        .voiceVLANSilent,
        .vlanConflict,
        .vlanOptionMalformed,
        // The boot server in the ACK
        .noBootServer,
        .bootServerMalformed,
        .option66Only,
        .bootServerConflict,
        .bootServerNotRequested,
        // Where the phone fetched from
        .bootServerUnused,
        .fetchedFromOtherServer,
        // Configuration and firmware files
        .macConfigMissing,
        .noMasterConfig,
        .applicationMissing,
        .fileNotFound,
        // The master configuration against what the phone fetched
        .masterConfigInvalid,
        .configFileMissing,
        .configFileSkipped,
        .applicationMismatch,
        .bootLoop,
        // Transfers
        .transferError,
        .loginFailed,
        .tlsFailed,
        .transferIncomplete,
        .noServerAnswer,
        // The capture
        .malformedPacket,
        .transferCutByCaptureEnd,
    ]

    /// The findings of every rule for `record`, ordered by first frame, then code.
    static func findings(for record: PhoneRecord) -> [Finding] {
        var findings: [Finding] = []
        // Each rule run where it lies in the list, not copied out of it (its code, severities,
        // summary and function each retained and released, for every phone).
        for index in self.all.indices {
            let raised = self.all[index].evaluate(record)
            guard !raised.isEmpty else { continue }
            assert(
                raised.allSatisfy(self.all[index].mayRaise), "rule \(self.all[index].code) raised an undeclared finding"
            )
            findings += raised
        }
        return findings.sorted { ($0.frames.first ?? 0, $0.code.rawValue) < ($1.frames.first ?? 0, $1.code.rawValue) }
    }
}
