import ArgumentParser
import BootAnalysis

/// The options of every command that reports on phones (`analyze`, `watch`): which devices are
/// listed, how many other clients are kept, colours, and when to exit 1.
struct ReportOptions: ParsableArguments {
    /// `--fail-on`: the severity that makes the command exit 1.
    enum FailOn: String, ExpressibleByArgument, CaseIterable {
        case error, warning, info, never

        var threshold: Finding.Severity? {
            switch self {
            case .error: .error
            case .warning: .warning
            case .info: .info
            case .never: nil
            }
        }
    }

    @Option(
        name: .customLong("fail-on"),
        help: "Exit 1 when a finding reaches this severity: error, warning, info or never."
    )
    var failOn: FailOn = .error

    @Flag(
        name: .customLong("all-devices"),
        help: ArgumentHelp(
            "List every DHCP client, not only those that look like phones, within --other-device-limit.",
            discussion: """
                Clients that do not look like phones are kept up to --other-device-limit at once \
                (default 10000); beyond it the least recently seen is forgotten: counted in the \
                report (summary and heading), never listed.
                """
        )
    )
    var allDevices = false

    @Option(
        name: .customLong("other-device-limit"),
        help: ArgumentHelp(
            "At most this many DHCP clients that do not look like phones are kept at once (each costs about 1 KB); "
                + "beyond it the least recently seen are counted, not listed.",
            valueName: "n"
        )
    )
    var otherDeviceLimit = BootAnalyzer.Options.defaultOtherDeviceLimit

    @Flag(
        name: .customLong("filters"),
        help: ArgumentHelp(
            "Table: show under each phone, DHCP exchange, fetch and finding the Wireshark display filter (tshark -Y) "
                + "of its frames; not --filter, the BPF capture filter.",
            discussion: """
                Each filter shows exactly the frames its line names, in the capture file read \
                (Wireshark 4.0 syntax), e.g. tshark -r captures/polycom-tftp-boot.pcap -Y \
                'frame.number in {1190..1191}'. A phone's shows its DHCP exchanges and fetches, \
                a DHCP exchange's its messages, a fetch's its conversations from its first to \
                its last frame, a finding's its frames. The JSON report always has them \
                (displayFilter), and so have NDJSON findings. Not for several files read as one \
                capture (their frame numbers are the merged capture's): use --separate.
                """
        )
    )
    var filters = false

    @Flag(name: .customLong("no-color"), help: "No colours in the table, even on a terminal.")
    var noColor = false

    func validate() throws {
        guard self.otherDeviceLimit >= 1 else {
            throw ValidationError("--other-device-limit must be at least 1, got \(self.otherDeviceLimit).")
        }
    }

    /// `--vlan-option`: where the phones read their VLAN-A= string.
    @OptionGroup var vlan: VLANOptionOptions

    /// The analyzer's options these name.
    var analyzerOptions: BootAnalyzer.Options {
        var options = BootAnalyzer.Options(allDevices: self.allDevices, otherDeviceLimit: self.otherDeviceLimit)
        options.vlanOptions = self.vlan.optionsRead
        return options
    }

    /// The table's colours: on a terminal unless `--no-color`.
    var palette: ReportTable.Palette {
        ReportTable.Palette(enabled: !self.noColor && standardOutputIsTerminal())
    }

    /// Exit 1 when `worst` reaches `--fail-on`.
    func checkFailOn(_ worst: Finding.Severity?) throws {
        if let threshold = self.failOn.threshold, let worst, worst >= threshold { throw ExitCode(1) }
    }
}
