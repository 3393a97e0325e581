import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// The `phoneboot` command: why an IP phone did or did not get its configuration.
@main
struct PhoneBoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phoneboot",
        abstract: "See, from the wire, how IP phones (Polycom first) find their boot server and fetch their files.",
        discussion: """
            Reads pcap and pcapng captures, or a live interface, through libpcap; decodes DHCP \
            (options 60, 66, 67, 150, 160 and the rest), TFTP, FTP, HTTP and the TLS handshake; \
            and joins each phone's DHCP exchange to the files it then fetched.

            Examples:
              phoneboot analyze captures/polycom-tftp-boot.pcap
              sudo phoneboot watch --interface eth1 --write boot.pcap
              sudo phoneboot probe --interface eth1       # ask the VLAN as a Polycom phone would
              sudo phoneboot proxy --interface eth1.20 --boot-server 'ftp://PlcmSpIp:PlcmSpIp@192.0.2.10'
              phoneboot packets captures/polycom-tftp-boot.pcap
              phoneboot packets --format json --filter 'vlan or not vlan' site-a.pcapng
              tcpdump -i eth1 -w - | phoneboot packets -

            Exit codes: 0 done; 2 the input or the command line was unusable (the message on \
            standard error names the file, byte or flag, and what to do).
            """,
        version: "0.1.0",
        subcommands: [
            AnalyzeCommand.self, WatchCommand.self, ProbeCommand.self, PacketsCommand.self, ProxyCommand.self,
        ]
    )

    /// Runs the command; usage errors exit with 2, as every PhoneBoot command does.
    static func main() {
        do {
            var command = try Self.parseAsRoot()
            try command.run()
        } catch {
            let code = Self.exitCode(for: error)
            if code == .validationFailure {
                printError(Self.fullMessage(for: error))
                Glibc.exit(2)
            }
            Self.exit(withError: error)
        }
    }
}
