import ArgumentParser
import Foundation
import PhoneBootTestSupport

/// `boot-storm`: writes the benchmark's synthetic voice-VLAN capture (see ``BootStormCapture``).
@main
struct BootStorm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot-storm",
        abstract: "Write a synthetic capture of phones booting (DHCP, TFTP) among a VLAN's other traffic.",
        discussion: """
            Phones boot spread evenly over the capture, each with DHCP (Polycom option 60, 55
            asking for 66 and 160) and TFTP of four files (master config, shared config, image, a
            directory file that is not found); web (HTTP, TLS), RTP, SIP over TCP and DNS fill the
            rest. A third of it is 802.1Q-tagged. The same arguments give the same file.

            Examples:
              boot-storm --frames 1000000 /tmp/storm-1m.pcap              (10,000 phones)
              boot-storm --frames 4000000 --phones 10000 /tmp/storm-4m.pcap  (the same site, 4x as long)
            """
    )

    @Option(help: "About how many frames to write.")
    var frames: Int = 1_000_000

    @Option(help: "How many phones boot (default: one per 100 frames).")
    var phones: Int?

    @Option(
        help: ArgumentHelp(
            "The share of the capture, from its start, within which the phones boot (1: spread over all of it; 0.2: a power-up storm in its first fifth).",
            valueName: "fraction"
        )
    )
    var bootWithin: Double = 1

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 0x424F_4F54_5354_524D

    @Argument(help: "The pcap file to write.")
    var output: String

    func validate() throws {
        guard self.frames >= 0 else { throw ValidationError("--frames must not be negative") }
        guard (self.phones ?? 0) >= 0 else { throw ValidationError("--phones must not be negative") }
        guard self.bootWithin > 0, self.bootWithin <= 1 else {
            throw ValidationError("--boot-within is a share of the capture, above 0 and at most 1")
        }
    }

    func run() throws {
        let capture = BootStormCapture(
            .init(
                frames: self.frames, phones: self.phones ?? self.frames / 100, seed: self.seed,
                bootWindow: self.bootWithin))
        let written = try capture.write(to: URL(fileURLWithPath: self.output))
        print(
            "\(self.output): \(written.frames) frames, \(written.bytes) bytes, \(written.phones) phones, "
                + "\(written.backgroundSessions) other conversations, \(Int(written.seconds)) s")
    }
}
