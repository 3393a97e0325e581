import ArgumentParser
import WireFormats

/// `--vlan-option N`: the DHCP option a phone in the "Custom" DHCP VLAN discovery mode reads
/// its `VLAN-A=` string from (polycom-boot.md §6). Without it, the "Fixed" mode's options
/// 128, 144, 157 and 191 are read, in that order.
struct VLANOptionOptions: ParsableArguments {
    @Option(
        name: .customLong("vlan-option"),
        help: ArgumentHelp(
            "The DHCP option holding the VLAN-A= string, as the phones' custom VLAN discovery option is set.",
            discussion: "Default: options 128, 144, 157 and 191, in that order (the phones' fixed mode).",
            valueName: "code"))
    var vlanOption: UInt8?

    /// The options read, in order.
    var optionsRead: [DHCPOptionCode] {
        self.vlanOption.map { [DHCPOptionCode($0)] } ?? VLANDiscoveryString.fixedOptions
    }

    func validate() throws {
        if let code = self.vlanOption, code == 0 || code == 255 || code == 53 {
            throw ValidationError(
                "--vlan-option \(code) cannot hold a VLAN-A= string (0 is pad, 53 the message type, 255 end).")
        }
    }
}
