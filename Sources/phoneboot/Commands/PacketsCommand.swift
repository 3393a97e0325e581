import ArgumentParser
import BootAnalysis
import PacketCapture
import WireFormats

/// `phoneboot packets`: every DHCP, TFTP, LLDP and CDP packet of a capture, one per line or
/// as JSON.
struct PacketsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packets",
        abstract: "List the DHCP, TFTP, LLDP and CDP packets of captures, one per line.",
        discussion: """
            Each line: frame number (as Wireshark numbers it), seconds since the first frame, \
            source MAC and addresses, then the DHCP message type, xid, the options a phone asks \
            for (boot options 66/150/160 called out), 60 vendor class (Polycom binary or text), \
            160 boot server (Polycom), 66 TFTP server name, 67 bootfile, 150 TFTP server \
            addresses, the VLAN discovery strings (VLAN-A=, options 128, 144, 157 and 191 or \
            --vlan-option) with the VLANs they name or why a phone rejects them; or the TFTP \
            opcode, file, block and error. Passwords in boot-server URLs are shown as ***.

            LLDP frames: chassis and port ID, TTL, system name and description, the telephone \
            capability, the port VLAN, and the LLDP-MED class, network policies (application, \
            VLAN, tagged, priority, DSCP) and inventory. CDP frames: device ID, port, platform, \
            software version, native VLAN and the voice VLAN (reply from a switch, query from \
            a phone). Packets found inside GRE, ERSPAN, VXLAN or CAPWAP say so, with the \
            tunnel's outer addresses.

            A packet on a DHCP or TFTP port that cannot be decoded is listed as MALFORMED with \
            the field and byte offset. A summary per file goes to standard error.

            Examples:
              phoneboot packets captures/polycom-tftp-boot.pcap
              phoneboot packets --filter 'udp port 67 or udp port 68' site-a.pcapng
              phoneboot packets --format json cap.pcap | jq '.files[0].packets[] | select(.dhcp.polycomBootServer)'
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var input: CaptureInputOptions

    @Option(help: "Output format: text (one line per packet) or json (one document).")
    var format: Format = .text

    @OptionGroup var vlan: VLANOptionOptions

    func run() throws {
        var output = OutputBuffer.standardOutput()
        var failed = false
        var document: JSONObjectWriter?
        if self.format == .json {
            document = JSONObjectWriter(&output)
            document?.member("schemaVersion", .int(1), to: &output)
            document?.beginArray("files", to: &output)
        }
        for (index, path) in self.input.files.enumerated() {
            if self.format == .text && self.input.files.count > 1 {
                output.writeLine("\(index == 0 ? "" : "\n")==> \(path) <==")
            }
            document?.nextElement(to: &output)
            if !self.list(path: path, into: &output) { failed = true }
        }
        if let document {
            document.endArray(to: &output)
            document.close(to: &output)
            output.writeLine("")
        }
        output.flush()
        if failed { throw ExitCode(2) }
    }

    /// Lists one file; returns false when it could not be read to the end.
    private func list(path: String, into output: inout OutputBuffer) -> Bool {
        let json = self.format == .json
        var object: JSONObjectWriter?
        var reading = CaptureReading(path: path, filter: self.input.filter)
        reading.showsProgress = self.input.showsProgress
        let result = reading.run(classifying: {
            packet, header, firstTime in
            // This command lists DHCP and TFTP; TCP segments are for `analyze`.
            if case .tcp = packet.content { return }
            var description = PacketDescription(packet: packet, relativeTime: packet.timestamp - firstTime)
            description.vlanOptions = self.vlan.optionsRead
            guard json else {
                output.writeLine(description.line)
                return
            }
            if object == nil { object = Self.openFile(path: path, into: &output) }
            let seconds = header.timestamp.seconds
            object?.element(description.json(seconds: seconds, nanoseconds: header.timestamp.nanoseconds), to: &output)
        })
        let summary = result.summary
        if !self.input.quiet, summary.linkTypeName != nil || summary.readable { printError(summary.line(source: path)) }
        if json {
            var file = object ?? Self.openFile(path: path, into: &output)
            file.endArray(to: &output)
            file.member("linkType", .optional(summary.linkTypeName), to: &output)
            let counters = summary.counters
            file.member(
                "counters",
                .object([
                    ("frames", .int(counters.frames)), ("dhcp", .int(counters.dhcp)), ("tftp", .int(counters.tftp)),
                    ("malformed", .int(counters.malformed)), ("undecodable", .int(counters.undecodable)),
                    ("fragments", .int(counters.fragments)), ("lldp", .int(counters.lldp)),
                    ("cdp", .int(counters.cdp)), ("malformedLinkDiscovery", .int(counters.malformedDiscovery)),
                    ("tunnelled", .int(counters.tunnelled)),
                ]),
                to: &output
            )
            if let problem = summary.problem { file.member("problem", .string(problem.description), to: &output) }
            if !summary.damage.isEmpty { file.member("damage", ReportJSON.damage(summary.damage), to: &output) }
            file.close(to: &output)
        }
        return summary.readable
    }

    /// Starts a file's object: its path, and the packets array opened.
    private static func openFile(path: String, into output: inout OutputBuffer) -> JSONObjectWriter {
        var object = JSONObjectWriter(&output)
        object.member("path", .string(path), to: &output)
        object.beginArray("packets", to: &output)
        return object
    }
}
