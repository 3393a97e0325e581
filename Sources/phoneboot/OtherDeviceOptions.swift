import ArgumentParser
import BootAnalysis

/// `--other-device-limit`, shared by `analyze` and `watch`: how many DHCP clients that do not
/// look like phones the analyzer keeps at once.
struct OtherDeviceOptions: ParsableArguments {
    @Option(
        name: .customLong("other-device-limit"),
        help: ArgumentHelp(
            "At most this many DHCP clients that do not look like phones are kept at once (each costs about 1 KB); beyond it the least recently seen are counted, not listed.",
            valueName: "n"
        )
    )
    var otherDeviceLimit = BootAnalyzer.Options.defaultOtherDeviceLimit

    func validate() throws {
        guard self.otherDeviceLimit >= 1 else { throw ValidationError("--other-device-limit must be at least 1, got \(self.otherDeviceLimit).") }
    }

    /// The analyzer's options, listing every client within the limit when `allDevices`.
    func analyzerOptions(allDevices: Bool) -> BootAnalyzer.Options {
        BootAnalyzer.Options(allDevices: allDevices, otherDeviceLimit: self.otherDeviceLimit)
    }
}
