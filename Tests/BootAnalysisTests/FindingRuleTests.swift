import Foundation
import Testing
import WireFormats

@testable import BootAnalysis

private typealias Fixture = PhoneRecordFixture

/// Runs `rule` alone on `record`, and checks that it raised only its own code at a severity it
/// declares.
private func run(_ rule: FindingRule, on record: PhoneRecord) -> [Finding] {
    let findings = rule.evaluate(record)
    for finding in findings {
        #expect(rule.mayRaise(finding), "rule \(rule.code) raised \(finding.code) at \(finding.severity)")
    }
    return findings
}

/// The one finding `rule` raises on `record`.
private func single(_ rule: FindingRule, on record: PhoneRecord) throws -> Finding {
    let findings = run(rule, on: record)
    #expect(findings.count == 1, "rule \(rule.code) raised \(findings.count) findings")
    return try #require(findings.first)
}

@Suite("Finding rules: the registry")
struct FindingRegistryTests {
    @Test("every code has exactly one rule in the registry")
    func oneRulePerCode() {
        let byCode = Dictionary(grouping: FindingRules.all, by: \.code.rawValue)
        for (code, rules) in byCode {
            #expect(rules.count == 1, "\(rules.count) rules raise \(code)")
        }
    }

    /// Reads the codes declared in `Finding.swift`, so that a code added there without a rule
    /// fails here.
    @Test("every code declared in Finding.swift has a rule")
    func everyDeclaredCodeHasARule() throws {
        let source = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/BootAnalysis/Findings/Finding.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        let declared = Set(
            text.matches(of: /static let \w+ = Code\(rawValue: "([a-z0-9-]+)"\)/).map { String($0.output.1) }
        )
        #expect(declared.count >= 20, "read \(declared.count) codes from \(source.path)")
        #expect(Set(FindingRules.all.map(\.code.rawValue)) == declared)
    }

    @Test("every rule has a summary and at least one severity")
    func rulesDescribeThemselves() {
        for rule in FindingRules.all {
            #expect(!rule.summary.isEmpty, "\(rule.code)")
            #expect(!rule.severities.isEmpty, "\(rule.code)")
        }
    }

    @Test("a phone that booted cleanly has no findings")
    func healthyPhoneIsSilent() {
        #expect(FindingRules.findings(for: Fixture.healthy()).isEmpty)
    }

    @Test("findings(for:) runs every rule and orders by first frame, then code")
    func findingsAreSorted() {
        let record = Fixture.record(
            [Fixture.lease(option160: "tftp://192.0.2.10")], bootServer: Fixture.bootServer("tftp://192.0.2.10"),
            fetches: [
                Fixture.fetch("site.cfg", result: .notFound, requestFrames: [30]),
                Fixture.fetch(Fixture.macConfig, result: .notFound, requestFrames: [10]),
                Fixture.fetch("000000000000.cfg", result: .notFound, requestFrames: [20]),
            ],
            malformed: [Fixture.malformed(frame: 5)]
        )
        let findings = FindingRules.findings(for: record)
        #expect(findings.map(\.code) == [.malformedPacket, .macConfigMissing, .noMasterConfig, .fileNotFound])
    }
}

@Suite("Finding rules: DHCP")
struct DHCPRuleTests {
    @Test("no-dhcp-answer: an exchange of DISCOVERs nobody answered")
    func noDHCPAnswerFires() throws {
        let unanswered = Fixture.transaction(
            xid: 0xabcd_0001,
            [
                Fixture.message(.discover, frame: 1), Fixture.message(.request, frame: 3),
                Fixture.message(.discover, frame: 5),
            ]
        )
        let finding = try single(.noDHCPAnswer, on: Fixture.record([unanswered]))
        #expect(finding.code == .noDHCPAnswer)
        #expect(finding.severity == .error)
        #expect(finding.frames == [1, 3, 5])
        #expect(finding.message == "3 DISCOVER/REQUEST (xid 0xabcd0001) got no OFFER or ACK")
        #expect(finding.hint.hasPrefix("No DHCP server answered on this VLAN"))
    }

    @Test("no-dhcp-answer: silent once a server answered")
    func noDHCPAnswerSilent() {
        #expect(run(.noDHCPAnswer, on: Fixture.record([Fixture.lease()])).isEmpty)
    }

    @Test("dhcp-nak: the server refused the request")
    func dhcpNAKFires() throws {
        let refused = Fixture.transaction([Fixture.message(.request, frame: 7), Fixture.message(.nak, frame: 8)])
        let finding = try single(.dhcpNAK, on: Fixture.record([refused, Fixture.lease()]))
        #expect(finding.severity == .warning)
        #expect(finding.frames == [8])
        #expect(finding.message == "the DHCP server refused the phone's request (NAK) 1 time")
    }

    @Test("dhcp-nak: silent without a NAK")
    func dhcpNAKSilent() {
        #expect(run(.dhcpNAK, on: Fixture.record([Fixture.lease()])).isEmpty)
    }

    @Test("several-dhcp-servers: offers from two servers, passwords masked")
    func severalDHCPServersFires() throws {
        let exchange = Fixture.transaction([
            Fixture.message(.discover, frame: 1),
            Fixture.message(.offer, frame: 2, option160: "tftp://192.0.2.10"),
            Fixture.message(.offer, frame: 3, server: Fixture.otherDHCPServer, option66: "ftp://u:secret@198.51.100.7"),
            Fixture.message(.request, frame: 4),
            Fixture.message(.ack, frame: 5, option160: "tftp://192.0.2.10"),
        ])
        let finding = try single(.severalDHCPServers, on: Fixture.record([exchange]))
        #expect(finding.severity == .warning)
        #expect(finding.frames == [2, 3])
        #expect(
            finding.message == "offers came from 2 DHCP servers: 192.0.2.1 (160 tftp://192.0.2.10), "
                + "192.0.2.2 (66 ftp://u:***@198.51.100.7); the phone took the lease from 192.0.2.1"
        )
    }

    @Test("several-dhcp-servers: silent when every offer comes from one server")
    func severalDHCPServersSilent() {
        let exchange = Fixture.transaction([
            Fixture.message(.discover, frame: 1), Fixture.message(.offer, frame: 2),
            Fixture.message(.discover, frame: 3), Fixture.message(.offer, frame: 4),
        ])
        #expect(run(.severalDHCPServers, on: Fixture.record([exchange])).isEmpty)
    }
}

@Suite("Finding rules: the boot server in the ACK")
struct BootServerRuleTests {
    @Test("no-boot-server: a lease without 160, 66 or 150")
    func noBootServerFires() throws {
        let finding = try single(.noBootServer, on: Fixture.record([Fixture.lease()]))
        #expect(finding.severity == .error)
        #expect(finding.frames == [4])
        #expect(finding.message == "the DHCP ACK carries no boot server (none of options 160, 66, 150)")
        #expect(finding.hint.contains("160 = \"ftp://PlcmSpIp:PlcmSpIp@<server>\""))
    }

    @Test("no-boot-server: silent with a boot server, and without any ACK")
    func noBootServerSilent() {
        #expect(run(.noBootServer, on: Fixture.healthy()).isEmpty)
        let unanswered = Fixture.transaction([Fixture.message(.discover, frame: 1)])
        #expect(run(.noBootServer, on: Fixture.record([unanswered])).isEmpty)
    }

    @Test("boot-server-malformed: an empty 160 with an empty 66 behind it")
    func bootServerMalformedFires() throws {
        let record = Fixture.record([Fixture.lease(option160: "", option66: "")], bootServer: Fixture.bootServer(""))
        let finding = try single(.bootServerMalformed, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [4])
        #expect(finding.message == "option 160 \"\" is not usable: the value is empty; option 66 is empty too")
    }

    @Test("boot-server-malformed: a masked URL with a backslash")
    func bootServerMalformedMasks() throws {
        let value = "ftp://PlcmSpIp:PlcmSpIp@192.0.2.10\\phones"
        let record = Fixture.record([Fixture.lease(option160: value)], bootServer: Fixture.bootServer(value))
        let finding = try single(.bootServerMalformed, on: record)
        #expect(finding.message.hasPrefix("option 160 \"ftp://PlcmSpIp:***@192.0.2.10"))
        #expect(finding.message.hasSuffix("it contains backslashes; a URL needs forward slashes"))
    }

    @Test("boot-server-malformed: a value carrying quote characters is shown escaped, and the hint names the mistake")
    func bootServerMalformedQuotes() throws {
        let value = "\"192.0.2.1\""
        let record = Fixture.record(
            [Fixture.lease(option66: value)], bootServer: Fixture.bootServer(value, option: .tftpServerName))
        let finding = try single(.bootServerMalformed, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [4])
        #expect(
            finding.message
                == #"option 66 "\"192.0.2.1\"" is not usable: it carries quote characters, which the phone reads as "#
                + "part of the value (a known DHCP-server quoting mistake: the configuration's quotes were sent as "
                + "data)")
        #expect(finding.hint.hasPrefix("Send 192.0.2.1 without the quote characters."))
        #expect(finding.hint.contains(#"dhcp-option=66,"192.0.2.1" in dnsmasq.conf"#))
        #expect(finding.hint.contains("Windows DHCP"))

        // A URL in single quotes, with a password: masked inside the escaped form and the hint.
        let url = "'ftp://PlcmSpIp:PlcmSpIp@192.0.2.10'"
        let quoted = Fixture.record([Fixture.lease(option160: url)], bootServer: Fixture.bootServer(url))
        let second = try single(.bootServerMalformed, on: quoted)
        #expect(second.message.hasPrefix(#"option 160 "'ftp://PlcmSpIp:***@192.0.2.10'" is not usable: it carries"#))
        #expect(second.hint.hasPrefix("Send ftp://PlcmSpIp:***@192.0.2.10 without the quote characters."))
        #expect(!second.message.contains("PlcmSpIp@") && !second.hint.contains("PlcmSpIp@"))
    }

    @Test("boot-server-malformed: silent for a usable boot server")
    func bootServerMalformedSilent() {
        #expect(run(.bootServerMalformed, on: Fixture.healthy()).isEmpty)
    }

    @Test("option-66-only: 66 without 160")
    func option66OnlyFires() throws {
        let record = Fixture.record(
            [Fixture.lease(option66: "tftp://192.0.2.10")],
            bootServer: Fixture.bootServer("tftp://192.0.2.10", option: .tftpServerName)
        )
        let finding = try single(.option66Only, on: record)
        #expect(finding.severity == .info)
        #expect(finding.frames == [4])
        #expect(
            finding.message
                == "only option 66 (\"tftp://192.0.2.10\") is given; Polycom phones read it because 160 is absent"
        )
    }

    @Test("option-66-only: a value with quote characters is shown escaped")
    func option66OnlyQuoted() throws {
        let value = "\"192.0.2.1\""
        let record = Fixture.record(
            [Fixture.lease(option66: value)], bootServer: Fixture.bootServer(value, option: .tftpServerName))
        let finding = try single(.option66Only, on: record)
        #expect(finding.message.hasPrefix(#"only option 66 ("\"192.0.2.1\"") is given"#))
    }

    @Test("option-66-only: silent when 160 is there too")
    func option66OnlySilent() {
        let record = Fixture.record(
            [Fixture.lease(option160: "tftp://192.0.2.10", option66: "tftp://192.0.2.10")],
            bootServer: Fixture.bootServer("tftp://192.0.2.10")
        )
        #expect(run(.option66Only, on: record).isEmpty)
    }

    @Test("boot-server-conflict: 160 and 66 name different hosts")
    func bootServerConflictFires() throws {
        let record = Fixture.record(
            [Fixture.lease(option160: "ftp://192.0.2.10", option66: "198.51.100.7")],
            bootServer: Fixture.bootServer("ftp://192.0.2.10")
        )
        let finding = try single(.bootServerConflict, on: record)
        #expect(finding.severity == .warning)
        #expect(finding.frames == [4])
        #expect(
            finding.message == "option 160 names 192.0.2.10 but option 66 names 198.51.100.7; the phone follows 160"
        )
    }

    @Test("boot-server-conflict: silent when both name one host (in any case, by any scheme)")
    func bootServerConflictSilent() {
        let record = Fixture.record(
            [Fixture.lease(option160: "ftp://PROV.example.com", option66: "tftp://prov.example.com")],
            bootServer: Fixture.bootServer("ftp://PROV.example.com")
        )
        #expect(run(.bootServerConflict, on: record).isEmpty)
    }

    @Test("boot-server-not-requested: 160 and 150 sent, not asked for")
    func bootServerNotRequestedFires() throws {
        let lease = Fixture.lease(
            option160: "tftp://192.0.2.10", option66: "192.0.2.10", option150: [Fixture.bootHost],
            requesting: [.subnetMask, .router, .tftpServerName]
        )
        let record = Fixture.record([lease], bootServer: Fixture.bootServer("tftp://192.0.2.10"))
        let finding = try single(.bootServerNotRequested, on: record)
        #expect(finding.severity == .info)
        #expect(finding.frames == [4])
        #expect(finding.message == "option 160 and 150 was sent though the phone did not ask for it")
    }

    @Test("boot-server-not-requested: silent when asked for, or when no request list was seen")
    func bootServerNotRequestedSilent() {
        #expect(run(.bootServerNotRequested, on: Fixture.healthy()).isEmpty)
        let record = Fixture.record(
            [Fixture.lease(option160: "tftp://192.0.2.10", requesting: nil)],
            bootServer: Fixture.bootServer("tftp://192.0.2.10")
        )
        #expect(run(.bootServerNotRequested, on: record).isEmpty)
    }
}

@Suite("Finding rules: where the phone fetched from")
struct ServerChoiceRuleTests {
    private let leased = [Fixture.lease(option160: "tftp://192.0.2.10")]

    @Test("boot-server-unused: nothing fetched at all")
    func bootServerUnusedFires() throws {
        let record = Fixture.record(self.leased, bootServer: Fixture.bootServer("tftp://192.0.2.10"))
        let finding = try single(.bootServerUnused, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [4])
        #expect(
            finding.message
                == "the phone was given boot server tftp://192.0.2.10 (option 160) but never contacted 192.0.2.10"
        )
        #expect(finding.hint.contains("cached in flash or a static one"))
    }

    /// The fixture's ACK (frame 4) is at 4 s of capture time.
    private func endingAt(_ seconds: Double, fetches: [Fetch] = []) -> PhoneRecord {
        var record = Fixture.record(self.leased, bootServer: Fixture.bootServer("tftp://192.0.2.10"), fetches: fetches)
        record.captureEnd = 4_000_000_000 + Int64(seconds * 1_000_000_000)
        return record
    }

    @Test("boot-server-unused: the capture ended too soon after the ACK to tell (info)")
    func bootServerUnusedTooSoon() throws {
        let finding = try single(.bootServerUnused, on: self.endingAt(2.18))
        #expect(finding.severity == .info)
        #expect(finding.frames == [4])
        #expect(
            finding.message
                == "the phone was given boot server tftp://192.0.2.10 (option 160) and the capture ended 2.2 s after "
                + "that ACK with no fetch yet: too soon to tell whether it uses 192.0.2.10 (a phone may take up to "
                + "30 s to send its first request)")
        #expect(finding.hint.contains("capture for at least 30 s after the phone's DHCP ACK"))
        #expect(try single(.bootServerUnused, on: self.endingAt(29.9)).severity == .info)
        // A fetch from elsewhere before this ACK (an earlier boot) says nothing about this one.
        let earlier = Fixture.fetch(Fixture.macConfig, from: Fixture.otherHost, requestFrames: [3])
        #expect(try single(.bootServerUnused, on: self.endingAt(1, fetches: [earlier])).severity == .info)
    }

    @Test("boot-server-unused: an error once the phone had time to fetch, or fetched elsewhere after the ACK")
    func bootServerUnusedHadTime() throws {
        #expect(try single(.bootServerUnused, on: self.endingAt(30)).severity == .error)
        #expect(try single(.bootServerUnused, on: self.endingAt(600)).severity == .error)
        let elsewhere = Fixture.fetch(Fixture.macConfig, from: Fixture.otherHost, requestFrames: [10])
        let finding = try single(.bootServerUnused, on: self.endingAt(2, fetches: [elsewhere]))
        #expect(finding.severity == .error)
        #expect(finding.hint.hasPrefix("The phone fetched from elsewhere"))
        #expect(BootAnalyzer.firstFetchWindow == 30_000_000_000)
    }

    @Test("boot-server-unused: fetched from elsewhere only")
    func bootServerUnusedElsewhere() throws {
        let record = Fixture.record(
            self.leased, bootServer: Fixture.bootServer("tftp://192.0.2.10"),
            fetches: [Fixture.fetch(Fixture.macConfig, from: Fixture.otherHost)]
        )
        let finding = try single(.bootServerUnused, on: record)
        #expect(finding.hint.hasPrefix("The phone fetched from elsewhere"))
    }

    @Test("boot-server-unused: silent when the phone used it, by address or by host name")
    func bootServerUnusedSilent() {
        #expect(run(.bootServerUnused, on: Fixture.healthy()).isEmpty)
        let byName = Fixture.record(
            [Fixture.lease(option160: "http://prov.example.com/phones")],
            bootServer: Fixture.bootServer("http://prov.example.com/phones"),
            fetches: [
                Fixture.fetch(
                    Fixture.macConfig, serverPort: 8080,
                    detail: .http(status: 200, user: nil, host: "PROV.example.com:8080", userAgent: nil)
                )
            ]
        )
        #expect(run(.bootServerUnused, on: byName).isEmpty)
    }

    @Test("fetched-from-other-server: files from a server DHCP did not name")
    func fetchedFromOtherServerFires() throws {
        let record = Fixture.record(
            self.leased, bootServer: Fixture.bootServer("tftp://192.0.2.10"),
            fetches: [
                Fixture.fetch(Fixture.macConfig, from: Fixture.otherHost, requestFrames: [10, 11]),
                Fixture.fetch("3111-46162-001.sip.ld", requestFrames: [15]),
                Fixture.fetch("site.cfg", from: Fixture.otherHost, requestFrames: [20]),
            ]
        )
        let finding = try single(.fetchedFromOtherServer, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [10, 20])
        #expect(finding.message == "the phone fetched 2 files from 198.51.100.7; DHCP named tftp://192.0.2.10")
    }

    @Test("fetched-from-other-server: every fetch is from elsewhere when the ACK named no boot server")
    func fetchedFromOtherServerWithoutBootServer() throws {
        let record = Fixture.record([Fixture.lease()], fetches: [Fixture.fetch(Fixture.macConfig)])
        let finding = try single(.fetchedFromOtherServer, on: record)
        #expect(finding.message == "the phone fetched 1 file from 192.0.2.10; DHCP named no boot server")
    }

    @Test("fetched-from-other-server: silent for the boot server, and for a boot server named by host name")
    func fetchedFromOtherServerSilent() {
        #expect(run(.fetchedFromOtherServer, on: Fixture.healthy()).isEmpty)
        let byName = Fixture.record(
            [Fixture.lease(option160: "tftp://prov.example.com")],
            bootServer: Fixture.bootServer("tftp://prov.example.com"),
            fetches: [Fixture.fetch(Fixture.macConfig, from: Fixture.otherHost)]
        )
        #expect(run(.fetchedFromOtherServer, on: byName).isEmpty)
    }
}

@Suite("Finding rules: configuration and firmware files")
struct ConfigFileRuleTests {
    private let notFound = Fetch.Failure(code: 1, message: "File not found", frame: 12)

    @Test("mac-config-missing: no <mac>.cfg")
    func macConfigMissingFires() throws {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch(Fixture.macConfig, result: .notFound, requestFrames: [10, 11], failure: self.notFound)
        ])
        let finding = try single(.macConfigMissing, on: record)
        #expect(finding.severity == .warning)
        #expect(finding.frames == [10, 12])
        #expect(
            finding.message == "0004f2aabb01.cfg was not found on 192.0.2.10; the phone falls back to 000000000000.cfg"
        )
        #expect(finding.hint.hasPrefix("Create 0004f2aabb01.cfg (lowercase, no separators)"))
    }

    @Test("mac-config-missing: silent when found, or for another phone's file")
    func macConfigMissingSilent() {
        #expect(run(.macConfigMissing, on: Fixture.healthy()).isEmpty)
        let other = Fixture.healthy(fetches: [Fixture.fetch("0004f2ffffff.cfg", result: .notFound)])
        #expect(run(.macConfigMissing, on: other).isEmpty)
    }

    @Test("no-master-config: neither master configuration, <mac>.cfg listed first")
    func noMasterConfigFires() throws {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch("000000000000.cfg", result: .accessDenied, requestFrames: [5]),
            Fixture.fetch(Fixture.macConfig, result: .notFound, requestFrames: [10, 11], failure: self.notFound),
        ])
        let finding = try single(.noMasterConfig, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [5, 10, 12])
        #expect(
            finding.message
                == "no master configuration could be fetched "
                + "(0004f2aabb01.cfg: not-found, 000000000000.cfg: access-denied)"
        )
    }

    @Test("no-master-config: silent when one was fetched, or when the login failed instead")
    func noMasterConfigSilent() {
        let oneFound = Fixture.healthy(fetches: [
            Fixture.fetch(Fixture.macConfig, result: .notFound), Fixture.fetch("000000000000.cfg"),
        ])
        #expect(run(.noMasterConfig, on: oneFound).isEmpty)
        let refused = Fixture.healthy(fetches: [Fixture.fetch(Fixture.macConfig, result: .loginFailed)])
        #expect(run(.noMasterConfig, on: refused).isEmpty)
    }

    @Test("application-missing: the firmware image was not found")
    func applicationMissingFires() throws {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch("3111-46162-001.sip.ld", result: .notFound, requestFrames: [30])
        ])
        let finding = try single(.applicationMissing, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [30])
        #expect(finding.message == "the application image 3111-46162-001.sip.ld was not found on 192.0.2.10")
        #expect(finding.hint.hasPrefix("Copy the firmware (3111-46162-001.sip.ld) to the boot server"))
    }

    @Test("application-missing: silent when fetched, and for other missing files")
    func applicationMissingSilent() {
        #expect(run(.applicationMissing, on: Fixture.healthy()).isEmpty)
        let bootROM = Fixture.healthy(fetches: [Fixture.fetch("bootrom.ld", result: .notFound)])
        #expect(run(.applicationMissing, on: bootROM).isEmpty)
    }

    @Test("file-not-found: info for an optional per-phone file, warning for any other")
    func fileNotFoundFires() {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch("site.cfg", result: .notFound, requestFrames: [40]),
            Fixture.fetch("0004f2aabb01-directory.xml", result: .notFound, requestFrames: [30]),
        ])
        let findings = run(.fileNotFound, on: record)
        #expect(findings.map(\.severity) == [.warning, .info])
        #expect(findings.map(\.frames) == [[40], [30]])
        #expect(
            findings.map(\.message) == [
                "site.cfg was not found on 192.0.2.10",
                "0004f2aabb01-directory.xml was not found on 192.0.2.10; "
                    + "the phone asks for it on every boot and carries on without it",
            ])
        #expect(
            findings.last?.hint == "Nothing to do unless this phone should have its own 0004f2aabb01-directory.xml."
        )
    }

    @Test("file-not-found: silent for master configurations and the application, which have rules of their own")
    func fileNotFoundSilent() {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch(Fixture.macConfig, result: .notFound),
            Fixture.fetch("000000000000.cfg", result: .notFound),
            Fixture.fetch("3111-46162-001.sip.ld", result: .notFound),
            Fixture.fetch("site.cfg"),
        ])
        #expect(run(.fileNotFound, on: record).isEmpty)
    }
}

@Suite("Finding rules: transfers")
struct TransferRuleTests {
    private let ftp = Fetch.Detail.ftp(user: "PlcmSpIp", replyCode: nil)

    @Test("transfer-error: a TFTP access violation")
    func transferErrorFires() throws {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch(
                "site.cfg", result: .accessDenied, requestFrames: [10],
                failure: Fetch.Failure(code: 2, message: "Access violation", frame: 11)
            )
        ])
        let finding = try single(.transferError, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [10, 11])
        #expect(finding.message == "site.cfg from 192.0.2.10 failed: TFTP error 2 \"Access violation\"")
        #expect(finding.hint == "Make the file readable by the TFTP server (permissions, --tftp-secure ownership).")
    }

    @Test("transfer-error: an FTP connection refused before any file")
    func transferErrorConnection() throws {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch(
                "", result: .error, requestFrames: [10],
                failure: Fetch.Failure(code: 421, message: nil, frame: 12), detail: self.ftp
            )
        ])
        let finding = try single(.transferError, on: record)
        #expect(finding.message == "the connection to 192.0.2.10 failed: FTP 421")
        #expect(finding.hint.hasPrefix("Check that the FTP server runs on 192.0.2.10"))
    }

    @Test("transfer-error: silent for fetched and missing files")
    func transferErrorSilent() {
        let record = Fixture.healthy(fetches: [Fixture.fetch("site.cfg"), Fixture.fetch("a.cfg", result: .notFound)])
        #expect(run(.transferError, on: record).isEmpty)
    }

    @Test("login-failed: an FTP login and an HTTP request refused")
    func loginFailedFires() {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch(
                "", result: .loginFailed, requestFrames: [10],
                failure: Fetch.Failure(code: 530, message: "Login incorrect.", frame: 11), detail: self.ftp
            ),
            Fixture.fetch(
                "site.cfg", result: .loginFailed, requestFrames: [20],
                failure: Fetch.Failure(code: 401, message: "Unauthorized", frame: 21),
                detail: .http(status: 401, user: nil, host: nil, userAgent: nil)
            ),
        ])
        let findings = run(.loginFailed, on: record)
        #expect(findings.map(\.frames) == [[10, 11], [20, 21]])
        #expect(findings.allSatisfy { $0.severity == .error })
        #expect(
            findings.map(\.message) == [
                "the FTP login as PlcmSpIp on 192.0.2.10 was refused (530 Login incorrect.)",
                "site.cfg on 192.0.2.10 was refused for lack of credentials (Unauthorized)",
            ])
    }

    @Test("login-failed: silent when the login worked")
    func loginFailedSilent() {
        let record = Fixture.healthy(fetches: [Fixture.fetch(Fixture.macConfig, detail: self.ftp)])
        #expect(run(.loginFailed, on: record).isEmpty)
    }

    @Test("tls-failed: the phone did not trust the certificate")
    func tlsFailedFires() throws {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch(
                "", result: .tlsFailed, requestFrames: [10],
                failure: Fetch.Failure(code: nil, message: "unknown_ca", frame: 14),
                serverPort: 443, detail: .https(serverName: "prov.example.com")
            )
        ])
        let finding = try single(.tlsFailed, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [10, 14])
        #expect(finding.message == "the TLS handshake with prov.example.com failed: unknown_ca")
        #expect(finding.hint.contains("add the issuing CA to the phone as a custom certificate"))
    }

    @Test("tls-failed: silent for a handshake that worked")
    func tlsFailedSilent() {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch(Fixture.macConfig, serverPort: 443, detail: .https(serverName: "prov.example.com"))
        ])
        #expect(run(.tlsFailed, on: record).isEmpty)
    }

    @Test("transfer-incomplete: a TFTP read without its last block")
    func transferIncompleteFires() throws {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch("sip.ld", result: .incomplete, requestFrames: [10], bytes: 1024, lastFrame: 15)
        ])
        let finding = try single(.transferIncomplete, on: record)
        #expect(finding.severity == .error)
        #expect(finding.frames == [10, 15])
        #expect(finding.message == "sip.ld from 192.0.2.10 stopped after 1024 bytes (no last block)")
        #expect(finding.hint.contains("timing out the UDP flow"))
    }

    @Test("transfer-incomplete: an HTTP connection cut, in the fetch's own words")
    func transferIncompleteOverTCP() throws {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch(
                "", result: .incomplete, requestFrames: [10],
                failure: Fetch.Failure(code: nil, message: "reset", frame: nil),
                bytes: 0, lastFrame: 12, detail: .http(status: nil, user: nil, host: nil, userAgent: nil)
            )
        ])
        let finding = try single(.transferIncomplete, on: record)
        #expect(finding.message == "the connection to 192.0.2.10 from 192.0.2.10 stopped after 0 bytes (reset)")
        #expect(finding.hint.contains("cutting the TCP connection"))
    }

    @Test("transfer-incomplete: silent for complete transfers")
    func transferIncompleteSilent() {
        #expect(run(.transferIncomplete, on: Fixture.healthy()).isEmpty)
    }

    @Test("no-server-answer: one finding per silent server, all its requests")
    func noServerAnswerFires() {
        let record = Fixture.healthy(fetches: [
            Fixture.fetch("a.cfg", from: Fixture.otherHost, result: .noAnswer, requestFrames: [10, 11]),
            Fixture.fetch("b.cfg", from: Fixture.bootHost, result: .noAnswer, requestFrames: [30]),
            Fixture.fetch(
                "", from: Fixture.otherHost, result: .noAnswer, requestFrames: [20], serverPort: 8080,
                detail: .http(status: nil, user: nil, host: nil, userAgent: nil)
            ),
        ])
        let findings = run(.noServerAnswer, on: record)
        #expect(findings.map(\.frames) == [[30], [10, 11, 20]])
        #expect(findings.allSatisfy { $0.severity == .error })
        #expect(findings.last?.message == "2 requests to 198.51.100.7 (a.cfg, http connection) got no answer at all")
        #expect(
            findings.last?.hint == "Check that a web server listens on 198.51.100.7 (port 8080) and is; "
                + "that a TFTP server runs on 198.51.100.7 and that UDP 69 and the return ports are "
                + "not filtered between the phone and it."
        )
        #expect(findings.first?.message == "1 request to 192.0.2.10 (b.cfg) got no answer at all")
    }

    @Test("no-server-answer: silent when every server answered")
    func noServerAnswerSilent() {
        #expect(run(.noServerAnswer, on: Fixture.healthy()).isEmpty)
    }
}

@Suite("Finding rules: the capture")
struct CaptureRuleTests {
    @Test("malformed-packet: packets cut by the snap length")
    func malformedPacketFires() throws {
        let record = Fixture.healthy(fetches: [])
        var snapped = record
        snapped.malformed = [Fixture.malformed(frame: 7, snapped: true), Fixture.malformed(frame: 5, snapped: true)]
        let finding = try single(.malformedPacket, on: snapped)
        #expect(finding.severity == .warning)
        #expect(finding.frames == [5, 7])
        #expect(finding.message.hasPrefix("2 DHCP/TFTP packets to or from this phone could not be decoded (frame 7: "))
        #expect(finding.message.contains("; frame 5: captured 242 of 400 bytes"))
        #expect(finding.hint.contains("tcpdump -s 0"))
        var damaged = record
        damaged.malformed = [Fixture.malformed(frame: 5), Fixture.malformed(frame: 9, snapped: true)]
        let other = try single(.malformedPacket, on: damaged)
        #expect(other.hint.hasPrefix("Check for a faulty NIC"))
    }

    @Test("malformed-packet: silent when every packet decoded")
    func malformedPacketSilent() {
        #expect(run(.malformedPacket, on: Fixture.healthy()).isEmpty)
    }

    /// Capture time of a packet `seconds` after the start, nanoseconds.
    private static func at(_ seconds: Int64) -> Int64 { seconds * 1_000_000_000 }

    @Test("transfer-cut-by-capture-end: an image still arriving when the capture ended is info, not incomplete")
    func cutByCaptureEndFires() throws {
        let incomplete = Fixture.fetch("sip.ld", result: .incomplete, requestFrames: [10], bytes: 1024, lastFrame: 15)
        let cut = incomplete.endedWithCapture(lastTime: Self.at(100), captureEnd: Self.at(101))
        #expect(cut.isCutByCaptureEnd)
        let record = Fixture.healthy(fetches: [cut])
        let finding = try single(.transferCutByCaptureEnd, on: record)
        #expect(finding.severity == .info)
        #expect(finding.frames == [10, 15])
        #expect(finding.message.hasPrefix("sip.ld from 192.0.2.10 was still under way when the capture ended"))
        #expect(finding.message.contains("1024 bytes so far"))
        #expect(finding.message.hasSuffix("cut by the end of the capture"))
        #expect(run(.transferIncomplete, on: record).isEmpty)
        let codes = FindingRules.findings(for: record).map(\.code)
        #expect(codes.contains(.transferCutByCaptureEnd) && !codes.contains(.transferIncomplete))
    }

    @Test("transfer-cut-by-capture-end: a single request not yet answered when the capture ended")
    func cutByCaptureEndUnanswered() throws {
        let asked = Fixture.fetch("b.cfg", result: .noAnswer, requestFrames: [30])
        let record = Fixture.healthy(fetches: [asked.endedWithCapture(lastTime: Self.at(5), captureEnd: Self.at(6))])
        let finding = try single(.transferCutByCaptureEnd, on: record)
        #expect(finding.message.contains("its request had no answer yet"))
        #expect(run(.noServerAnswer, on: record).isEmpty)
    }

    @Test(
        "transfer-cut-by-capture-end: silent for a transfer that stalled long before the end, a request sent again, a finished fetch"
    )
    func cutByCaptureEndSilent() throws {
        let window = BootAnalyzer.captureEndWindow
        let incomplete = Fixture.fetch("sip.ld", result: .incomplete, requestFrames: [10], bytes: 1024, lastFrame: 15)
        let stalled = incomplete.endedWithCapture(lastTime: Self.at(100), captureEnd: Self.at(100) + window + 1)
        let retried = Fixture.fetch("b.cfg", result: .noAnswer, requestFrames: [30, 31, 32])
            .endedWithCapture(lastTime: Self.at(100), captureEnd: Self.at(100))
        let finished = Fixture.fetch("a.cfg").endedWithCapture(lastTime: Self.at(100), captureEnd: Self.at(100))
        let unknownEnd = incomplete.endedWithCapture(lastTime: Self.at(100), captureEnd: nil)
        for fetch in [stalled, retried, finished, unknownEnd] { #expect(!fetch.isCutByCaptureEnd) }
        let record = Fixture.healthy(fetches: [stalled, retried])
        #expect(run(.transferCutByCaptureEnd, on: record).isEmpty)
        #expect(try single(.transferIncomplete, on: record).severity == .error)
        #expect(try single(.noServerAnswer, on: record).severity == .error)
    }

    @Test("capture loss: findings that missing frames could explain say so, with the evidence")
    func captureLossIsSaid() throws {
        var loss = CaptureLoss(droppedByKernel: 12)
        loss.noteTFTPGaps(1, firstFrame: 601)
        var record = Fixture.healthy(fetches: [
            Fixture.fetch("sip.ld", result: .incomplete, requestFrames: [10], bytes: 1024, lastFrame: 15),
            Fixture.fetch("b.cfg", from: Fixture.otherHost, result: .noAnswer, requestFrames: [30, 31]),
        ])
        record.transactions.append(Fixture.transaction(xid: 0xabcd_0002, [Fixture.message(.discover, frame: 40)]))
        let clause =
            "; the capture itself lost frames (12 dropped by the kernel; a TFTP block never seen, the gap at frame 601)"
            + ": this may be the capture, not the network"
        let before = [
            try single(.transferIncomplete, on: record), try single(.noServerAnswer, on: record),
            try single(.noDHCPAnswer, on: record),
        ]
        #expect(before.allSatisfy { !$0.message.contains("the capture itself") })
        record.captureLoss = loss
        let after = [
            try single(.transferIncomplete, on: record), try single(.noServerAnswer, on: record),
            try single(.noDHCPAnswer, on: record),
        ]
        #expect(after.map(\.message) == before.map { $0.message + clause })
        #expect(after.map(\.severity) == before.map(\.severity))
    }
}

@Suite("Finding rules: the master configuration against what the phone fetched")
struct MasterConfigFindingTests {
    /// `<mac>.cfg` naming the VVX 410's image and three CONFIG_FILES.
    static let master = """
        <APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="site.cfg, lines.cfg, features.cfg">
          <APPLICATION_VVX410 APP_FILE_PATH_VVX410="3111-46162-001.sip.ld"/>
        </APPLICATION>
        """

    /// A VVX 410 that read ``master`` in frames 10-14 (the master fetch first among
    /// `fetches`), then fetched `fetches`; stages and plan as the analyzer sets them.
    static func record(
        _ fetches: [Fetch], text: String = master, masterAgain: [Int] = [], captureEnd: Int64? = nil,
        transactions: [DHCPTransaction]? = nil
    ) -> PhoneRecord {
        var record = Fixture.record(transactions ?? [Fixture.lease(option160: "tftp://192.0.2.10")])
        record.partNumber = "3111-46162-001"
        record.model = "VVX 410"
        record.captureEnd = captureEnd
        var all = [Fixture.fetch(Fixture.macConfig, requestFrames: [10], bytes: text.utf8.count, lastFrame: 14)]
        record.masterConfigs = [BootPlanTests.copy(Fixture.macConfig, text, first: 10)]
        for frame in masterAgain {
            all.append(Fixture.fetch(Fixture.macConfig, requestFrames: [frame], lastFrame: frame + 4))
            record.masterConfigs.append(BootPlanTests.copy(Fixture.macConfig, text, first: frame))
        }
        record.fetches = (all + fetches).sorted { $0.firstFrame < $1.firstFrame }
        let stages = FetchStage.stages(of: record.fetches, mac: record.mac, boots: record.bootFrames)
        for (index, stage) in zip(record.fetches.indices, stages) { record.fetches[index].stage = stage }
        record.plan = BootPlan(record: record)
        return record
    }

    static let image = Fixture.fetch("3111-46162-001.sip.ld", requestFrames: [20], bytes: 40_000, lastFrame: 60)

    static func missing(_ file: String, frame: Int) -> Fetch {
        Fixture.fetch(
            file, result: .notFound, requestFrames: [frame],
            failure: Fetch.Failure(code: 1, message: "File not found", frame: frame + 1))
    }

    @Test("master-config-invalid: the parser's message and line")
    func invalidFires() throws {
        let record = Self.record([], text: "<APPLICATION\n CONFIG_FILES=\"R&D.cfg\"/>")
        let finding = try single(.masterConfigInvalid, on: record)
        #expect(finding.severity == .error)
        #expect(finding.message.contains("line 2"))
        #expect(finding.message.contains(Fixture.macConfig))
        #expect(finding.frames == [10, 14])
        #expect(record.plan == nil)
    }

    @Test("master-config-invalid: silent for a well-formed master file")
    func invalidSilent() {
        #expect(run(.masterConfigInvalid, on: Self.record([Self.image])).isEmpty)
    }

    @Test("config-file-missing: a CONFIG_FILES entry requested and not found, instead of file-not-found")
    func missingFires() throws {
        let record = Self.record([
            Self.image, Fixture.fetch("site.cfg", requestFrames: [70]), Self.missing("lines.cfg", frame: 80),
            Fixture.fetch("features.cfg", requestFrames: [90]),
        ])
        let finding = try single(.configFileMissing, on: record)
        #expect(finding.severity == .error)
        #expect(finding.message.hasPrefix("lines.cfg, named in CONFIG_FILES of \(Fixture.macConfig)"))
        #expect(finding.frames == [80, 81])
        #expect(run(.fileNotFound, on: record).isEmpty)
    }

    @Test("config-file-missing: silent when a later request found it, or for a file the master does not name")
    func missingSilent() {
        let found = Self.record([
            Self.missing("lines.cfg", frame: 80), Fixture.fetch("lines.cfg", requestFrames: [90]),
        ])
        #expect(run(.configFileMissing, on: found).isEmpty)
        let other = Self.record([Self.missing("other.cfg", frame: 80)])
        #expect(run(.configFileMissing, on: other).isEmpty)
        #expect(run(.fileNotFound, on: other).count == 1)
    }

    @Test("config-file-skipped: never requested although the phone went on to the next file")
    func skippedFires() throws {
        let record = Self.record(
            [
                Self.image, Fixture.fetch("site.cfg", requestFrames: [70]),
                Fixture.fetch("features.cfg", requestFrames: [90]),
            ],
            masterAgain: [62])
        let finding = try single(.configFileSkipped, on: record)
        #expect(finding.severity == .warning)
        #expect(finding.message.hasPrefix("lines.cfg, named in CONFIG_FILES"))
        #expect(finding.message.contains("site.cfg at #70"))
        #expect(finding.frames == [62, 66, 70])
    }

    @Test("config-file-skipped: after the application's master file, a capture that runs on long enough")
    func skippedByTime() throws {
        let late = Self.record([Self.image], masterAgain: [62], captureEnd: 66_000_000_000 + 61_000_000_000)
        #expect(run(.configFileSkipped, on: late).count == 3)
        let soon = Self.record([Self.image], masterAgain: [62], captureEnd: 66_000_000_000 + 5_000_000_000)
        #expect(run(.configFileSkipped, on: soon).isEmpty)
    }

    @Test("config-file-skipped: silent when the capture simply ends after the updater's master and image")
    func skippedSilent() {
        let record = Self.record([Self.image], captureEnd: 600_000_000_000)
        #expect(run(.configFileSkipped, on: record).isEmpty)
    }

    @Test("application-mismatch: another image than APP_FILE_PATH_<MODEL>")
    func mismatchFires() throws {
        let record = Self.record([Fixture.fetch("sip.ld", requestFrames: [20], lastFrame: 60)])
        let finding = try single(.applicationMismatch, on: record)
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("fetched sip.ld"))
        #expect(finding.message.contains("APP_FILE_PATH_VVX410"))
        #expect(finding.message.contains("3111-46162-001.sip.ld for a VVX410"))
        #expect(finding.frames == [10, 20])
    }

    @Test("application-mismatch: silent for the planned image, and for a split image when the plan says sip.ld")
    func mismatchSilent() {
        #expect(run(.applicationMismatch, on: Self.record([Self.image])).isEmpty)
        let generic = Self.record(
            [Self.image], text: "<APPLICATION APP_FILE_PATH=\"sip.ld\" CONFIG_FILES=\"\"/>")
        #expect(run(.applicationMismatch, on: generic).isEmpty)
        let bootROM = Self.record([Self.image, Fixture.fetch("2345-12450-001.bootrom.ld", requestFrames: [70])])
        #expect(run(.applicationMismatch, on: bootROM).isEmpty)
    }

    /// Boots starting at `discovers`, each fetching the master file and the image.
    static func loop(_ discovers: [Int]) -> PhoneRecord {
        let transactions = discovers.enumerated().map { index, frame in
            Fixture.transaction(
                xid: UInt32(index + 1),
                [
                    Fixture.message(.discover, frame: frame), Fixture.message(.offer, frame: frame + 1),
                    Fixture.message(.request, frame: frame + 2), Fixture.message(.ack, frame: frame + 3),
                ])
        }
        var fetches: [Fetch] = []
        for frame in discovers.dropFirst() {
            fetches.append(Fixture.fetch(Fixture.macConfig, requestFrames: [frame + 5], lastFrame: frame + 9))
        }
        for frame in discovers {
            fetches.append(Fixture.fetch("3111-46162-001.sip.ld", requestFrames: [frame + 10], lastFrame: frame + 50))
        }
        return Self.record(fetches, transactions: transactions)
    }

    @Test("boot-loop: DHCP and the same fetches three times, and after which file it restarted")
    func bootLoopFires() throws {
        let finding = try single(.bootLoop, on: Self.loop([5, 100, 200]))
        #expect(finding.severity == .error)
        #expect(finding.message.contains("booted 3 times (DHCP DISCOVER #5, #100, #200)"))
        #expect(finding.message.contains("each of its 2 restarts came after 3111-46162-001.sip.ld (ok)"))
        #expect(finding.frames == [5, 55, 100, 150, 200])
    }

    @Test("boot-loop: silent for two boots")
    func bootLoopSilent() {
        #expect(run(.bootLoop, on: Self.loop([5, 100])).isEmpty)
        #expect(run(.bootLoop, on: Self.record([Self.image])).isEmpty)
    }
}
