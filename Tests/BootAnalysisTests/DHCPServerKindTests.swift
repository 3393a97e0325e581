import BootAnalysis
import Testing
import WireFormats

@Suite("Telling DHCP servers apart by option order, and their fix recipes")
struct DHCPServerKindTests {
    static let requested = PolycomDHCPRequest.parameterRequestList

    @Test(
        "the option orders each server sent the lab's probe point to it",
        arguments: [
            ([53, 54, 51, 58, 59, 1, 28, 3, 160], DHCPServerKind.dnsmasq),  // dnsmasq 2.90
            ([53, 54, 51, 58, 59, 1, 28, 3, 6, 66], .dnsmasq),
            ([53, 54, 51, 66, 160, 1, 3], .iscDHCPD),  // ISC dhcpd 4.4.3
            ([53, 54, 51, 66, 160, 7, 42, 15, 6, 1, 3], .iscDHCPD),
            ([53, 1, 3, 6, 51, 54, 66, 160], .kea),  // Kea 2.2.0
            ([53, 54, 51, 1, 3, 6, 66, 160], .busybox),  // BusyBox udhcpd 1.35.0
            ([53, 1, 58, 59, 51, 54, 3, 6, 15, 66], .windows),  // dhcp-server-recipes.md §C.1
            ([53, 51, 54, 1, 3], .unknown),
            ([53, 54, 51, 160, 66, 3, 1], .unknown),
        ] as [([UInt8], DHCPServerKind)])
    func orders(order: [UInt8], kind: DHCPServerKind) {
        let guess = DHCPServerKind.guess(order: order, requested: Self.requested)
        #expect(guess.kind == kind, "\(guess.reason)")
        #expect(guess.reason.contains(order.map(String.init).joined(separator: ",")))
    }

    @Test("a recipe exists for every server-configuration finding and every known server, with the value in it")
    func recipes() throws {
        let value = "ftp://PlcmSpIp:PlcmSpIp@192.0.2.10"
        for code in FixRecipe.codes {
            for kind in DHCPServerKind.allCases where kind != .unknown {
                let recipe = try #require(FixRecipe.recipe(for: code, server: kind, bootServer: value))
                #expect(recipe.server == kind)
                #expect(!recipe.lines.isEmpty)
                if code != .severalDHCPServers {
                    #expect(recipe.lines.contains { $0.contains(value) }, "\(code) \(kind)")
                }
            }
            #expect(FixRecipe.recipe(for: code, server: .unknown) == nil)
        }
        #expect(FixRecipe.recipe(for: .fileNotFound, server: .dnsmasq) == nil)
    }

    @Test("dnsmasq's recipe forces 160 for the Polycom OUIs, in a configuration file")
    func dnsmasqRecipe() throws {
        let recipe = try #require(
            FixRecipe.recipe(for: .option66Only, server: .dnsmasq, bootServer: "tftp://192.0.2.1"))
        let lines = recipe.lines.filter { !$0.hasPrefix("#") }
        #expect(lines.contains("dhcp-option-force=tag:polycom,160,\"tftp://192.0.2.1\""))
        for oui in ["00:04:f2", "64:16:7f", "48:25:67"] {
            #expect(lines.contains("dhcp-mac=set:polycom,\(oui):*:*:*"))
        }
    }

    @Test("an offer is read as the phone reads it: 160 over 66, and what would go wrong")
    func probedServer() throws {
        func offer(_ options: [DHCPOption]) throws -> ProbedServer {
            var area = DHCPOptionArea()
            area.append(DHCPOption(code: .messageType, data: [2]))
            area.append(DHCPOption(code: .serverIdentifier, data: [192, 0, 2, 2]))
            area.append(DHCPOption(code: .leaseTime, data: [0, 0, 0x0E, 0x10]))
            for option in options { area.append(option) }
            area.elements.append(.end)
            let message = DHCPMessage(
                op: 2, transactionID: 1, yourAddress: IPv4Address(192, 0, 2, 200),
                clientHardwareAddress: try #require(MACAddress("00:04:f2:00:00:01")), options: area)
            return ProbedServer(
                offer: message, mac: MACAddress("02:00:00:00:00:02"), destination: MACAddress("ff:ff:ff:ff:ff:ff"),
                source: IPv4Address(192, 0, 2, 2), frame: 2, requested: Self.requested)
        }
        let only66 = try offer([DHCPOption(code: .tftpServerName, string: "192.0.2.2")])
        #expect(only66.problems == [.option66Only])
        #expect(only66.bootServer?.option == 66)
        #expect(only66.leaseTime == 3600)
        #expect(only66.identifier == IPv4Address(192, 0, 2, 2))
        let none = try offer([])
        #expect(none.problems == [.noBootServer])
        let quoted = try offer([DHCPOption(code: .polycomBootServer, string: "\"tftp://192.0.2.2\"")])
        #expect(quoted.problems == [.bootServerMalformed])
        let good = try offer([
            DHCPOption(code: .tftpServerName, string: "192.0.2.2"),
            DHCPOption(code: .polycomBootServer, string: "tftp://192.0.2.2"),
            DHCPOption(code: DHCPOptionCode(144), string: "VLAN-A=120;"),
        ])
        #expect(good.problems.isEmpty)
        #expect(good.bootServer?.option == 160)
        #expect(good.vlanDiscovery.map(\.code.rawValue) == [144])
        // Read with the VLAN-A= parser: option 144 moves the phone to VLAN 120.
        #expect(good.vlanLookup.chosen?.value.vlanID == 120)
        #expect(good.vlanLookup.chosen?.option.rawValue == 144)
        #expect(!good.unicastDespiteBroadcastFlag)
    }
}
