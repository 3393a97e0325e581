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
        var file: CaptureFile
        do {
            file = try CaptureFile(path: path, filter: self.input.filter)
        } catch {
            printError("phoneboot: \(error)")
            if json { output.write(Self.fileJSON(path: path, error: error.description).text) }
            return false
        }
        let linkType = LinkType(rawValue: file.linkType)
        guard linkType.isSupported else {
            let error = CaptureError(
                kind: .unsupportedLinkType, path: path, reason: "\(file.linkTypeName) (DLT \(file.linkType))",
                hint: "PhoneBoot reads Ethernet, Linux SLL/SLL2, raw IP and loopback captures"
            )
            printError("phoneboot: \(error)")
            if json { output.write(Self.fileJSON(path: path, error: error.description).text) }
            return false
        }
        if json {
            var head = "{"
            JSONValue.writeString("path", into: &head)
            head += ":"
            JSONValue.writeString(path, into: &head)
            head += ",\"linkType\":"
            JSONValue.writeString(file.linkTypeName, into: &head)
            head += ",\"packets\":["
            output.write(head)
        }
        var classifier = PacketClassifier(linkType: linkType)
        var firstTime: Int64?
        var count = 0
        let end = file.forEachFrame { header, bytes in
            let time = header.timestamp.totalNanoseconds
            let start = firstTime ?? time
            firstTime = start
            guard let packet = classifier.classify(frameNumber: header.number, timestamp: time, bytes: bytes) else {
                return
            }
            let description = PacketDescription(packet: packet, relativeTime: time - start)
            if json {
                if count > 0 { output.write(",") }
                output.write(description.json(seconds: header.timestamp.seconds, nanoseconds: header.timestamp.nanoseconds).text)
            } else {
                output.writeLine(description.line)
            }
            count += 1
        }
        let counters = classifier.counters
        var summary = "\(path == "-" ? "standard input" : path): \(counters.frames) frames, \(counters.dhcp) DHCP, "
            + "\(counters.tftp) TFTP, \(counters.malformed) malformed"
        if counters.undecodable > 0, let first = classifier.firstUndecodable {
            summary += ", \(counters.undecodable) with undecodable headers (first: frame \(first.frame): \(first.error))"
        }
        if counters.fragments > 0 { summary += ", \(counters.fragments) IP fragments not decoded" }
        var ok = true
        var problem: String?
        switch end {
        case .complete:
            break
        case .truncated(let warning):
            problem = "warning: \(warning)"
            printError("phoneboot: warning: \(path): \(warning)")
        case .failed(let error):
            problem = "error: \(error)"
            printError("phoneboot: \(error)")
            ok = false
        }
        printError(summary)
        if json {
            var tail = "],\"counters\":"
            tail += JSONValue.object([
                ("frames", .int(counters.frames)), ("dhcp", .int(counters.dhcp)), ("tftp", .int(counters.tftp)),
                ("malformed", .int(counters.malformed)), ("undecodable", .int(counters.undecodable)),
                ("fragments", .int(counters.fragments)),
            ]).text
            if let problem {
                tail += ",\"problem\":"
                JSONValue.writeString(problem, into: &tail)
            }
            tail += "}"
            output.write(tail)
        }
        return ok
    }

    private static func fileJSON(path: String, error: String) -> JSONValue {
        .object([("path", .string(path)), ("error", .string(error)), ("packets", .array([]))])
    }
}
