import ArgumentParser
import Foundation
import PhoneBootTestSupport

/// `random-discovers`: writes a pcap of N DHCP DISCOVERs from random, non-Polycom MACs, to
/// measure what `phoneboot analyze` keeps for clients that are not phones.
@main
struct RandomClients: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "random-discovers",
        abstract: "Write a pcap of DHCP DISCOVERs from random non-Polycom MACs (308 bytes a frame in the file).",
        discussion: """
            Example:
              swift build -c release
              .build/release/random-discovers 1000000 /tmp/random.pcap
              /usr/bin/time -v .build/release/phoneboot analyze --format json /tmp/random.pcap > /dev/null
            """
    )

    @Argument(help: "How many DISCOVERs (one client each).")
    var count: Int

    @Argument(help: "The pcap file to write.")
    var output: String

    @Option(help: "Seed of the MAC and xid generator (the same seed gives the same file).")
    var seed: UInt64 = 0x5048_4F4E_4542_4F4F

    func validate() throws {
        guard self.count >= 0 else { throw ValidationError("count must not be negative") }
    }

    func run() throws {
        let capture = RandomDiscoverCapture(count: self.count, seed: self.seed)
        try capture.write(to: URL(fileURLWithPath: self.output))
        print("\(self.output): \(self.count) DISCOVERs, \(capture.fileSize) bytes")
    }
}
