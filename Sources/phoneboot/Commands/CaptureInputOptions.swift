import ArgumentParser

/// The capture files a command reads and the filter it applies.
struct CaptureInputOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "pcap or pcapng files to read; '-' reads standard input.",
            valueName: "file"
        ),
        completion: .file(extensions: ["pcap", "pcapng", "cap"])
    )
    var files: [String]

    @Option(
        help: ArgumentHelp(
            "A BPF capture filter (tcpdump syntax) applied to every frame. Frame numbers stay those of the whole file.",
            discussion: "Remember 'vlan' for tagged frames: 'udp port 67 or (vlan and udp port 67)'.",
            valueName: "expression"
        )
    )
    var filter: String?

    @Flag(
        help: ArgumentHelp(
            "No progress line and no summary line on standard error; warnings and errors are still printed.",
            discussion: "The progress line shows only on a terminal, for captures that take more than a second."
        )
    )
    var quiet = false

    /// Whether a read shows a progress line: on a terminal, unless `--quiet`.
    var showsProgress: Bool { !self.quiet && standardErrorIsTerminal() }

    func validate() throws {
        guard !self.files.isEmpty else {
            throw ValidationError("Name at least one capture file (or '-' for standard input).")
        }
        if self.files.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("Standard input ('-') can be read only once.")
        }
    }
}
