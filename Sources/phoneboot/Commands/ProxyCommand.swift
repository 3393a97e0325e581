import ArgumentParser
import BootAnalysis
import BootProxy
import Logging
import Telemetry
import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// `phoneboot proxy`: gives Polycom phones a boot server on a lab VLAN whose DHCP server
/// cannot be changed.
struct ProxyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Give Polycom phones option 160 on a lab VLAN, by answering DHCPINFORM or as a relay agent.",
        discussion: """
            inform (default): answers DHCPINFORM from a Polycom MAC (OUI 00:04:F2, 64:16:7F, \
            48:25:67, or --oui) with a DHCPACK carrying option 160 (and 66 when the phone asks \
            or with --also-66), unicast to the phone's address. A phone that got no boot option \
            from DHCP sends DHCPINFORM by itself. It never answers DISCOVER or REQUEST and never \
            anyone else, so it is safe beside any DHCP server.

            relay: a DHCP relay agent (RFC 1542, RFC 3046) between --interface and the \
            --upstream servers: sets giaddr, counts hops (drops at 16), keeps option 82 and every \
            other option, and adds option 160 to OFFERs and ACKs for Polycom MACs, replacing a \
            value the server gave only with --override. Point the phones' VLAN at this host \
            instead of the usual ip helper-address, and give the server a route back to the \
            VLAN through this host.

            The log, on standard error: one line per decision (client MAC, message, what was \
            added or why not) at level info (sent), notice (not for the proxy), warning \
            (refused: malformed, off-subnet, rate-limited...) or error (the kernel refused the \
            send); --log-format json for a log pipeline; under systemd, lines carry their \
            journal priority. A flood cannot fill a disk: each second at most 200 lines for \
            datagrams sent and 10 for datagrams dropped; the rest are counted by reason in one \
            summary line a second.

            --metrics-address HOST:PORT serves Prometheus metrics at /metrics: \
            phoneboot_proxy_datagrams_total{message,verdict=injected|passed|dropped}, \
            phoneboot_proxy_dropped_total{reason}, phoneboot_proxy_options_injected_total{option}, \
            and in relay mode the histogram phoneboot_proxy_upstream_latency_seconds.

            Hostile input: an INFORM is answered only for a ciaddr on the interface's subnet, \
            at most 3 times at once and once every 2 s per client MAC, and at most 50 times a \
            second in all to clients the kernel has no ARP entry for; a reply the kernel cannot send at once (full send buffer, no route) \
            is dropped and logged, never queued, and never stops the proxy. Should a socket \
            close all the same, the proxy logs it (critical, ALERT) and opens it again.

            Needs root (UDP port 67, SO_BINDTODEVICE).

            Examples:
              sudo phoneboot proxy -i eth1.20 --boot-server 'ftp://PlcmSpIp:PlcmSpIp@192.0.2.10'
              sudo phoneboot proxy -i eth1.20 --mode relay --upstream 198.51.100.2 \\
                  --boot-server 'http://192.0.2.10/phones/' --also-66
              sudo phoneboot proxy -i eth1.20 --boot-server tftp://192.0.2.10 --dry-run
              sudo phoneboot proxy -i eth1.20 --boot-server-file /etc/phoneboot/proxy-eth1.20.boot-server
              sudo phoneboot proxy -i eth1.20 --boot-server tftp://192.0.2.10 --metrics-address 127.0.0.1:9464

            As a service: dist/systemd/phoneboot-proxy@.service (scripts/install.sh installs it).

            Exit codes: 0 stopped by Ctrl-C or SIGTERM; 2 the command line or the interface \
            was unusable.
            """
    )

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case inform, relay

        var serverMode: ProxyServer.Mode { self == .inform ? .inform : .relay }
    }

    @Option(
        name: [.short, .long],
        help: ArgumentHelp("The lab interface the phones are on (it needs an IPv4 address).", valueName: "name"))
    var interface: String

    @Option(
        name: .customLong("boot-server"),
        help: ArgumentHelp(
            "The boot server to give, as the phone reads it: tftp://, ftp://, http://, https:// URL or an address.",
            valueName: "string"))
    var bootServer: String?

    @Option(
        name: .customLong("boot-server-file"),
        help: ArgumentHelp(
            "Read the boot server from the first line of this file instead, so that a password is not on the command line (systemd: LoadCredential).",
            valueName: "path"))
    var bootServerFile: String?

    @Option(help: "inform (answer DHCPINFORM) or relay (relay agent to --upstream servers).")
    var mode: Mode = .inform

    @Option(
        name: .customLong("upstream"),
        help: ArgumentHelp("A DHCP server to relay to (relay mode; repeat for several).", valueName: "address"))
    var upstreams: [String] = []

    @Option(
        name: .customLong("oui"),
        help: ArgumentHelp(
            "A MAC prefix to serve instead of Polycom's (repeat): 0004f2, 00:04:F2 or 00-04-f2.", valueName: "hex"))
    var ouis: [String] = []

    @Flag(name: .customLong("also-66"), help: "Also give option 66, even when the phone does not ask for it.")
    var alsoOption66 = false

    @Flag(help: "Replace a boot server (160, 66) the DHCP server already gives.")
    var override = false

    @Flag(name: .customLong("dry-run"), help: "Log what would be sent, send nothing.")
    var dryRun = false

    @OptionGroup var logging: LoggingOptions

    @OptionGroup var metrics: MetricsOptions

    func validate() throws {
        let string = BootServerString(try self.bootServerValue())
        if let problem = string.problem {
            throw ValidationError("--boot-server \(string.quoted) is not usable by a phone: \(problem).")
        }
        _ = try self.parsedOUIs()
        if self.mode == .relay && self.upstreams.isEmpty {
            throw ValidationError("relay mode needs at least one --upstream DHCP server address.")
        }
        if self.mode == .inform && !self.upstreams.isEmpty {
            throw ValidationError("--upstream is for --mode relay; inform mode answers by itself.")
        }
        for upstream in self.upstreams where IPv4Address(upstream) == nil {
            throw ValidationError("--upstream \"\(upstream)\" is not an IPv4 address.")
        }
    }

    /// The boot-server string, from `--boot-server` or the first line of `--boot-server-file`.
    func bootServerValue() throws -> String {
        switch (self.bootServer, self.bootServerFile) {
        case (let value?, nil):
            return value
        case (nil, let path?):
            let line: String
            do {
                line = try FirstLine.read(path: path)
            } catch {
                throw ValidationError("--boot-server-file: \(error)")
            }
            guard !line.isEmpty else {
                throw ValidationError("--boot-server-file \(path) is empty: write the boot server on its first line.")
            }
            return line
        case (.some, .some):
            throw ValidationError("give the boot server once: --boot-server or --boot-server-file, not both.")
        case (nil, nil):
            throw ValidationError("missing --boot-server (or --boot-server-file): the boot server to give the phones.")
        }
    }

    func parsedOUIs() throws -> Set<UInt32> {
        guard !self.ouis.isEmpty else { return MACAddress.polycomOUIs }
        var result: Set<UInt32> = []
        for text in self.ouis {
            let digits = text.filter { $0 != ":" && $0 != "-" && $0 != "." }
            guard digits.count == 6, let value = UInt32(digits, radix: 16) else {
                throw ValidationError("--oui \"\(text)\" is not three bytes of hex (like 00:04:F2).")
            }
            result.insert(value)
        }
        return result
    }

    func run() throws {
        let policy = ProxyPolicy(
            bootServer: try self.bootServerValue(), ouis: try self.parsedOUIs(), alsoOption66: self.alsoOption66,
            override: self.override)
        let configuration = ProxyServer.Configuration(
            interface: self.interface, mode: self.mode.serverMode, policy: policy,
            upstreams: self.upstreams.compactMap { IPv4Address($0) },
            dryRun: self.dryRun
        )
        self.logging.bootstrap()
        let logger = Logger(label: "phoneboot.proxy")
        let endpoint: MetricsEndpoint?
        do {
            endpoint = try self.metrics.start(durationBuckets: [ProxyMetrics.latencyName: ProxyMetrics.latencyBuckets])
        } catch {
            logger.critical("\(error)")
            throw ExitCode(2)
        }
        defer { endpoint?.stop() }
        let counters = endpoint.map { _ in ProxyMetrics() }
        let log = ProxyLog(logger: logger, dryRun: self.dryRun)
        defer { log.stop() }
        let server: ProxyServer
        do {
            server = try ProxyServer(configuration: configuration) { decision in
                counters?.record(decision)
                log.record(decision)
            } notice: { message in
                logger.critical("ALERT: \(message)")
            }
        } catch {
            logger.critical("\(error)")
            throw ExitCode(2)
        }
        let signals = TerminationSignals { server.stop() }
        defer { signals.restore() }
        let ouis = policy.ouis.sorted().map { hexOUI($0) }.joined(separator: ", ")
        let upstreams = self.mode == .relay ? ", upstream \(self.upstreams.joined(separator: ", "))" : ""
        let metricsURL = endpoint.map { ", metrics at http://\($0.boundAddress)/metrics" } ?? ""
        logger.notice(
            """
            \(self.mode.rawValue) mode on \(self.interface) (\(server.address)), boot server \
            \(BootServerString(policy.bootServer).masked)\(upstreams), OUIs \(ouis)\(self.dryRun ? ", dry run" : "")\
            \(metricsURL); Ctrl-C to stop
            """)
        do {
            try server.run()
        } catch {
            logger.critical("\(error)")
            throw ExitCode(2)
        }
    }
}

private func hexOUI(_ value: UInt32) -> String {
    hexString([16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }, separator: UInt8(ascii: ":"))
}
