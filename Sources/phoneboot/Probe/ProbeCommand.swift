import ArgumentParser
import BootAnalysis
import PacketCapture
import WireFormats

/// `phoneboot probe`: a virtual Polycom phone that asks the network for DHCP as a phone does.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Ask the VLAN for DHCP as a Polycom phone would, and report what each DHCP server offers.",
        discussion: """
            Sends a DHCPDISCOVER from a Polycom MAC (00:04:F2 and three random bytes unless \
            --mac; the Ethernet source is the same MAC, so DHCP snooping lets it through) with \
            Polycom's option 60 (binary, enterprise 13885 with model, part number and firmware; \
            or ASCII, Polycom-VVX410), option 55 as a phone sends it (66 and 160 included) and \
            the broadcast flag, optionally tagged with --vlan; then collects every OFFER from \
            every server for --wait seconds. By default no lease is taken; --lease REQUESTs \
            the best offer (160 over 66), reads the ACK and RELEASEs it.

            Per server: its identifier and MAC, the address offered, options 160/66/150 as the \
            phone reads them, the VLAN-discovery options (128, 144, 157, 191), the lease time, \
            the option order and the server implementation it points to (dnsmasq, ISC dhcpd, \
            Kea, Windows, BusyBox, or unknown), with what would go wrong if a phone took that \
            offer and the exact configuration change for that server (--server-kind to choose \
            the server's kind yourself). Then the findings of the same analyzer as `analyze`, \
            on the frames the probe sent and received; --write saves them as a pcap that \
            `analyze` reads back to the same findings.

            Safety: frames are sent with libpcap on the named interface only, and received \
            through a capture filter: no UDP socket is bound, so a DHCP client on this host \
            (dhclient, systemd-networkd) keeps port 68 and its lease. At most 2 DISCOVERs, 2 \
            REQUESTs and 1 RELEASE are sent, and at most 64 replies are kept. Needs root or \
            CAP_NET_RAW.

            --fetch then acts as the phone: from the ACK (--lease) or the best offer, the boot \
            server (160 over 66; no scheme is FTP, as PlcmSpIp/PlcmSpIp unless the string names \
            a user); <mac>.cfg, else 000000000000.cfg, read whole and parsed; then the image \
            APP_FILE_PATH names for the model and each CONFIG_FILES entry checked without \
            downloading it (TFTP tsize, FTP SIZE, HTTP/HTTPS HEAD; at most 64). The requests \
            leave from this host's own address on the interface (give it one first) and are \
            captured, numbered after the DHCP frames and analysed as a phone's fetches. HTTPS \
            certificates are checked against the system store or --ca-file.

            Examples:
              sudo phoneboot probe --interface eth1
              sudo phoneboot probe -i eth1.120 --model "VVX 450" --wait 6
              sudo phoneboot probe -i eth1 --vlan 120 --vendor-class ascii
              sudo phoneboot probe -i eth1 --lease --write probe.pcap && phoneboot analyze probe.pcap
              sudo phoneboot probe -i eth1 --format json | jq '.servers[] | {identifier, implementation}'
              sudo phoneboot probe -i eth1 --server-kind kea   # recipes for Kea, whatever answered
              sudo phoneboot probe -i eth1 --fetch             # then fetch the master config as the phone
              sudo phoneboot probe -i eth1 --lease --fetch --ca-file /etc/ssl/phones-ca.pem

            Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it (an offer \
            without a boot server is an error); 2 the interface could not be used (no such \
            interface, no permission: the message says what to do).
            """
    )

    /// `--format`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, ndjson
    }

    @Option(
        name: [.short, .long], help: ArgumentHelp("The interface to probe on (see 'ip link').", valueName: "name"))
    var interface: String

    @Option(help: ArgumentHelp("The phone's MAC (default: 00:04:f2 and three random bytes).", valueName: "mac"))
    var mac: String?

    @Option(help: ArgumentHelp("The phone model to describe in option 60.", valueName: "model"))
    var model = "VVX 410"

    @Option(name: .customLong("vendor-class"), help: "Option 60: binary (Polycom's default) or ascii.")
    var vendorClass: VendorClassChoice = .binary

    @Option(help: ArgumentHelp("Send the frames with this 802.1Q VLAN tag (1-4094).", valueName: "id"))
    var vlan: UInt16?

    @Option(help: ArgumentHelp("How long to collect offers.", valueName: "seconds"))
    var wait: Double = 4

    @Flag(help: "REQUEST the best offer, read the ACK, then RELEASE it.")
    var lease = false

    @Flag(
        help: """
            Then fetch as the phone would: the master config (<mac>.cfg, else 000000000000.cfg) \
            over TFTP, FTP or HTTP, and a size check of the image and each CONFIG_FILES entry.
            """)
    var fetch = false

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp(
            "With --fetch over HTTPS: trust the certificates in this PEM file, as a phone given that CA would.",
            valueName: "file"))
    var caFile: String?

    @Option(help: "table, json (one document) or ndjson (one line per server and per finding).")
    var format: Format = .table

    @Option(help: ArgumentHelp("Save the frames sent and received to this pcap file.", valueName: "file"))
    var write: String?

    @Option(
        name: .customLong("server-kind"),
        help: "Write the recipes for this server: dnsmasq, isc-dhcpd, kea, windows or busybox (default: the guess).")
    var serverKind: ServerKindChoice?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if self.interface.isEmpty { throw ValidationError("--interface needs a name (see 'ip link').") }
        if let vlan, !(1...4094).contains(vlan) { throw ValidationError("--vlan is 1 to 4094, got \(vlan).") }
        if let vlan, self.fetch {
            throw ValidationError(
                "--fetch leaves from this host's own address on the interface, untagged: probe on the VLAN's interface instead (-i \(self.interface).\(vlan), without --vlan)."
            )
        }
        guard self.wait >= 0.5, self.wait <= 120 else {
            throw ValidationError("--wait is 0.5 to 120 seconds, got \(self.wait).")
        }
        if let mac, MACAddress(mac) == nil {
            throw ValidationError("--mac: \"\(mac)\" is not a MAC address (00:04:f2:12:34:56).")
        }
        if Self.part(forModel: self.model) == nil {
            throw ValidationError(
                "--model: \"\(self.model)\" is not a Polycom model PhoneBoot knows (e.g. \"VVX 410\", \"SoundPoint IP 650\")."
            )
        }
    }

    func run() throws {
        var generator = SystemRandomNumberGenerator()
        let mac =
            self.mac.flatMap(MACAddress.init)
            ?? MACAddress(rawValue: 0x0004F2 << 24 | UInt64.random(in: 0...0xFF_FFFF, using: &generator))
        let request = PolycomDHCPRequest(
            mac: mac, transactionID: UInt32.random(in: 1...UInt32.max, using: &generator),
            vendorClass: Self.vendorClass(model: self.model), vendorClassForm: self.vendorClass.form)
        var capture: LiveCapture
        do {
            capture = try LiveCapture(
                interface: self.interface, filter: ProbeSession.filter(mac: mac), bufferSize: 1 << 20)
        } catch {
            printError("phoneboot: \(error)")
            throw ExitCode(2)
        }
        guard LinkType(rawValue: capture.linkType) == .ethernet else {
            printError(
                "phoneboot: \(self.interface): \(capture.linkTypeName) is not Ethernet: a probe sends Ethernet frames")
            throw ExitCode(2)
        }
        var session = ProbeSession(
            request: request, vlan: self.vlan, wait: .milliseconds(Int64(self.wait * 1000)), lease: self.lease)
        do {
            try session.run(on: &capture)
        } catch {
            printError("phoneboot: \(error)")
            throw ExitCode(2)
        }
        var fetchSession: ProbeFetchSession?
        if self.fetch {
            let found = ProbeCommand.part(forModel: self.model)
            let fetcher = ProbeFetcher(
                interface: self.interface, mac: mac, modelTag: found?.model.modelString, partNumber: found?.part,
                userAgent: Self.userAgent(request.vendorClass, mac: mac), caFile: self.caFile, timeout: .seconds(3))
            var fetching = ProbeFetchSession(
                target: fetcher.target(bootServer: session.bootServer?.value, option: session.bootServer?.option))
            do {
                try fetching.run(with: fetcher)
            } catch {
                printError("phoneboot: \(error)")
                throw ExitCode(2)
            }
            fetchSession = fetching
        }
        let outcome = ProbeOutcome(
            session: session, fetch: fetchSession, options: self.report.analyzerOptions,
            serverKind: self.serverKind?.kind)
        if let path = self.write {
            do {
                let writer = try CaptureWriter(path: path)
                for frame in outcome.allFrames { writer.write(frame.bytes, at: frame.timestamp) }
            } catch {
                printError("phoneboot: \(error)")
                throw ExitCode(2)
            }
        }
        var output = OutputBuffer.standardOutput()
        let heading = ProbeHeading(
            interface: self.interface, request: request, model: self.model, vlan: self.vlan, wait: self.wait,
            lease: self.lease, repliesNotKept: session.repliesNotKept)
        switch self.format {
        case .table:
            ProbeRenderer.table(
                outcome, heading: heading, palette: self.report.palette, filters: self.report.filters, to: &output)
        case .json:
            output.write(ProbeRenderer.json(outcome, heading: heading))
            output.write("\n")
        case .ndjson:
            ProbeRenderer.ndjson(outcome, heading: heading, to: &output)
        }
        output.flush()
        try self.report.checkFailOn(outcome.worstSeverity)
    }

    /// The User-Agent a phone of this vendor class sends (polycom-boot.md §3):
    /// `FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614 (SN:0004f2aabb01) Type/Application`.
    static func userAgent(_ vendorClass: PolycomVendorClass, mac: MACAddress) -> String {
        let version = vendorClass.applicationVersion?.split(separator: "/").dropFirst().first ?? "5.9.5.0614"
        return "FileTransport Polycom\(vendorClass.model ?? "VVX-VVX_410")-UA/\(version) "
            + "(SN:\(mac.compactHex.lowercased())) Type/Application"
    }

    /// The part number of a model named as engineers say it (`VVX 410`, `vvx410`).
    static func part(forModel model: String) -> (part: String, model: PolycomCatalogue.Model)? {
        let wanted = model.lowercased().filter { $0.isLetter || $0.isNumber }
        return PolycomCatalogue.partNumbers.sorted { $0.key < $1.key }.first { _, known in
            known.productName.lowercased().filter { $0.isLetter || $0.isNumber } == wanted
                || known.modelString.lowercased() == wanted
        }.map { ($0.key, $0.value) }
    }

    /// Option 60's content for `model`: sub-option 2 as Polycom writes it (`VVX-VVX_410`), the
    /// part number, and a current UC Software release as the application and updater.
    static func vendorClass(model: String) -> PolycomVendorClass {
        let found = Self.part(forModel: model)
        let part = found?.part ?? "3111-46162-001"
        let modelString = found?.model.modelString ?? "VVX410"
        let digits = modelString.drop { $0.isLetter }
        let family = modelString.prefix { $0.isLetter }
        let familyName =
            switch family {
            case "SPIP": "SoundPointIP"
            case "SSIP": "SoundStationIP"
            default: String(family)
            }
        return PolycomVendorClass(
            company: "Polycom", model: "\(familyName)-\(family)_\(digits)", partNumber: part, hardwareRevision: nil,
            applicationVersion: "SIP/5.9.5.0614/11-Feb-20 10:34", bootROMVersion: "UP/5.9.5.0614/11-Feb-20 10:20")
    }
}

extension ProbeCommand {
    /// `--vendor-class`.
    enum VendorClassChoice: String, ExpressibleByArgument, CaseIterable {
        case binary, ascii

        var form: PolycomDHCPRequest.VendorClassForm { self == .binary ? .binary : .ascii }
    }

    /// `--server-kind`.
    enum ServerKindChoice: String, ExpressibleByArgument, CaseIterable {
        case dnsmasq
        case iscDHCPD = "isc-dhcpd"
        case kea, windows, busybox

        var kind: DHCPServerKind { DHCPServerKind(rawValue: self.rawValue) ?? .unknown }
    }
}
