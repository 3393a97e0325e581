import ArgumentParser
import BootAnalysis
import PacketCapture
import WireFormats

/// `phoneboot packets`: every DHCP and TFTP packet of a capture, one per line or as JSON.
struct PacketsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packets",
        abstract: "List the DHCP and TFTP packets of captures, one per line.",
        discussion: """
            Each line: frame number (as Wireshark numbers it), seconds since the first frame, \
            source MAC and addresses, then the DHCP message type, xid, the options a phone asks \
            for (boot options 66/150/160 called out), 60 vendor class (Polycom binary or text), \
            160 boot server (Polycom), 66 TFTP server name, 67 bootfile, 150 TFTP server \
            addresses; or the TFTP opcode, file, block and error. Passwords in boot-server URLs \
            are shown as ***.

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

    func run() throws {
        var output = OutputBuffer.standardOutput()
        var failed = false
        if self.format == .json {
            output.write("{\"schemaVersion\":1,\"files\":[")
        }
        for (index, path) in self.input.files.enumerated() {
            if self.format == .text && self.input.files.count > 1 {
                output.writeLine("\(index == 0 ? "" : "\n")==> \(path) <==")
            }
            if self.format == .json && index > 0 { output.write(",") }
            if !self.list(path: path, into: &output) { failed = true }
        }
        if self.format == .json { output.writeLine("]}") }
        output.flush()
        if failed { throw ExitCode(2) }
    }

    /// Lists one file; returns false when it could not be read to the end.
    private func list(path: String, into output: inout OutputBuffer) -> Bool {
        let json = self.format == .json
        var count = 0
        var headWritten = false
        let outcome = CaptureReading(path: path, filter: self.input.filter).run { packet, header, firstTime in
            // This command lists DHCP and TFTP; TCP segments are for `analyze`.
            if case .tcp = packet.content { return }
            if json && !headWritten {
                output.write(Self.fileHead(path: path))
                headWritten = true
            }
            let description = PacketDescription(packet: packet, relativeTime: packet.timestamp - firstTime)
            if json {
                if count > 0 { output.write(",") }
                output.write(description.json(seconds: header.timestamp.seconds, nanoseconds: header.timestamp.nanoseconds).text)
            } else {
                output.writeLine(description.line)
            }
            count += 1
        }
        if outcome.linkTypeName != nil || outcome.readable { printError(outcome.summary(path: path)) }
        if json {
            if !headWritten { output.write(Self.fileHead(path: path)) }
            var tail = "],\"linkType\":" + JSONValue.optional(outcome.linkTypeName).text + ",\"counters\":"
            tail += JSONValue.object([
                ("frames", .int(outcome.counters.frames)), ("dhcp", .int(outcome.counters.dhcp)),
                ("tftp", .int(outcome.counters.tftp)), ("malformed", .int(outcome.counters.malformed)),
                ("undecodable", .int(outcome.counters.undecodable)), ("fragments", .int(outcome.counters.fragments)),
            ]).text
            if let problem = outcome.problem {
                tail += ",\"problem\":" + JSONValue.string(problem).text
            }
            if !outcome.damage.isEmpty {
                tail += ",\"damage\":" + ReportJSON.damage(outcome.damage).text
            }
            output.write(tail + "}")
        }
        return outcome.readable
    }

    private static func fileHead(path: String) -> String {
        "{\"path\":" + JSONValue.string(path).text + ",\"packets\":["
    }
}
