/// The exact change to a DHCP server's configuration that removes a finding about it, per
/// server implementation: the recipes of ../shared/reference/dhcp-server-recipes.md §B, as
/// data keyed by finding code and ``DHCPServerKind``.
///
/// Polycom phones are targeted by their OUIs (00:04:F2, 64:16:7F, 48:25:67; §B.0) and option
/// 160 is always sent, asked for or not (dnsmasq `dhcp-option-force`, Kea `always-send`, an ISC
/// parameter-request-list override), since a phone whose option 55 lacks 160 never gets it
/// otherwise (§B.14).
public struct FixRecipe: Hashable, Sendable {
    /// The finding the recipe removes.
    public let code: Finding.Code
    /// The server it is written for.
    public let server: DHCPServerKind
    /// One line: what to change, and where.
    public let summary: String
    /// The configuration text to add or change, line by line.
    public let lines: [String]

    /// The codes a recipe exists for: findings about the DHCP server's configuration.
    public static let codes: Set<Finding.Code> = [
        .noBootServer, .option66Only, .bootServerNotRequested, .bootServerMalformed, .severalDHCPServers,
    ]

    /// The recipe that removes `code` on a `server`, or `nil` when the finding is not about a
    /// DHCP server's configuration or the server is ``DHCPServerKind/unknown``.
    ///
    /// - Parameters:
    ///   - bootServer: the boot-server value the phones should get (option 160); when `nil`,
    ///     the recipe shows `ftp://PlcmSpIp:PlcmSpIp@<boot-server>` to fill in.
    ///   - serverAddress: the address of the server the recipe is for (a rogue server's, for
    ///     `several-dhcp-servers`).
    public static func recipe(
        for code: Finding.Code, server: DHCPServerKind, bootServer: String? = nil, serverAddress: String? = nil
    ) -> FixRecipe? {
        guard Self.codes.contains(code), server != .unknown else { return nil }
        let value = bootServer ?? "ftp://PlcmSpIp:PlcmSpIp@<boot-server>"
        let at = serverAddress.map { " on \($0)" } ?? ""
        if code == .severalDHCPServers {
            return FixRecipe(
                code: code, server: server,
                summary:
                    "Stop the second server\(at) (\(server)) answering on the phone VLAN, or give it the same boot server:",
                lines: Self.silence(server))
        }
        let summary: String
        switch code {
        case .bootServerMalformed:
            summary = "Send option 160 as plain text (no quote characters, spaces or escapes)\(at) (\(server)):"
        case .bootServerNotRequested:
            summary = "Send option 160 to Polycom phones\(at) (\(server)) whether they ask for it or not:"
        default:
            summary = "Give Polycom phones option 160\(at) (\(server)), sent whether they ask for it or not:"
        }
        return FixRecipe(code: code, server: server, summary: summary, lines: Self.option160(server, value: value))
    }

    /// Option 160 = `value` for Polycom OUIs, forced (§B.1-§B.4).
    static func option160(_ server: DHCPServerKind, value: String) -> [String] {
        switch server {
        case .dnsmasq:
            return [
                "# in a dnsmasq configuration file (quotes are read there, not on the command line),",
                "# e.g. /etc/dnsmasq.d/polycom.conf, then restart dnsmasq:",
                "dhcp-mac=set:polycom,00:04:f2:*:*:*",
                "dhcp-mac=set:polycom,64:16:7f:*:*:*",
                "dhcp-mac=set:polycom,48:25:67:*:*:*",
                "dhcp-option-force=tag:polycom,160,\"\(value)\"",
            ]
        case .iscDHCPD:
            return [
                "# dhcpd.conf, at the top level, then restart dhcpd:",
                "option polycom-boot code 160 = text;",
                "class \"polycom\" {",
                "    match if substring(hardware, 1, 3) = 00:04:f2",
                "          or substring(hardware, 1, 3) = 64:16:7f",
                "          or substring(hardware, 1, 3) = 48:25:67;",
                "    option polycom-boot \"\(value)\";",
                "    option dhcp-parameter-request-list = concat(option dhcp-parameter-request-list, a0);",
                "}",
            ]
        case .kea:
            return [
                "# kea-dhcp4.conf, inside \"Dhcp4\", then reload Kea:",
                "\"option-def\": [ { \"name\": \"polycom-boot\", \"code\": 160, \"type\": \"string\", \"space\": \"dhcp4\" } ],",
                "\"client-classes\": [ { \"name\": \"polycom\",",
                "  \"test\": \"substring(pkt4.mac,0,3) == 0x0004f2 or substring(pkt4.mac,0,3) == 0x64167f or substring(pkt4.mac,0,3) == 0x482567\",",
                "  \"option-data\": [ { \"name\": \"polycom-boot\", \"data\": \"\(value)\", \"always-send\": true } ] } ]",
            ]
        case .windows:
            return [
                "# PowerShell on the DHCP server (Windows Server 2012 or later); <scope> is the phone scope:",
                "Add-DhcpServerv4OptionDefinition -Name \"Polycom Boot Server\" -OptionId 160 -Type String",
                "Add-DhcpServerv4Policy -Name \"Polycom\" -ScopeId <scope> -Condition OR -MacAddress EQ,0004F2*,64167F*,482567*",
                "Set-DhcpServerv4OptionValue -ScopeId <scope> -PolicyName \"Polycom\" -OptionId 160 -Value \"\(value)\"",
            ]
        case .busybox:
            return [
                "# udhcpd.conf (udhcpd sends every configured option, asked for or not), then restart udhcpd:",
                "opt 160 \"\(value)\"",
            ]
        case .unknown:
            return []
        }
    }

    /// Stops a server answering on the phone VLAN (§B.14, rogue servers).
    static func silence(_ server: DHCPServerKind) -> [String] {
        switch server {
        case .dnsmasq:
            return [
                "# dnsmasq: no DHCP on the interface that faces the phone VLAN (or remove its dhcp-range for this subnet):",
                "no-dhcp-interface=<interface>",
            ]
        case .iscDHCPD:
            return [
                "# dhcpd.conf: leave the phone subnet without a pool (or stop dhcpd listening there):",
                "subnet <network> netmask <mask> { }",
            ]
        case .kea:
            return [
                "# kea-dhcp4.conf: remove the phone subnet from \"subnet4\", or the VLAN's interface from \"interfaces-config\""
            ]
        case .windows:
            return [
                "# PowerShell: deactivate the scope on the rogue server (or unauthorize the server in AD):",
                "Set-DhcpServerv4Scope -ScopeId <scope> -State InActive",
            ]
        case .busybox:
            return [
                "# stop udhcpd on the interface that faces the phone VLAN (remove it from udhcpd.conf's \"interface\")"
            ]
        case .unknown:
            return []
        }
    }
}
