import Foundation
import Testing

/// `phoneboot probe` against real peers in namespaces the tests create and remove: dnsmasq as
/// the phone VLAN's DHCP server, a second (rogue) dnsmasq on the same segment, and dhclient
/// holding a lease on the probed interface.
@Suite("phoneboot probe, live, in network namespaces", .serialized)
struct ProbeCommandTests {
    static let probeMAC = "00:04:f2:aa:bb:01"
    /// The password of the HTTP boot server string, which no output may show.
    static let password = "s3cret-boot"
    static let rogueAddress = "192.0.2.2"

    /// Runs `phoneboot probe` in the phone's namespace; its exit status and its JSON document.
    static func probe(_ lab: borrowing NetworkLab, _ arguments: [String]) throws -> (status: Int32, json: [String: Any])
    {
        let result = try runProgram(
            try NetworkLab.tool("ip"),
            ["netns", "exec", lab.phone, PacketsCommandTests.executable, "probe", "--interface", lab.phoneInterface]
                + arguments + ["--format", "json"])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            "probe printed no JSON (status \(result.status)): \(result.output) \(result.error)")
        // A password in a boot server string (the HTTP test's) is never printed.
        #expect(!result.output.contains(Self.password) && !result.error.contains(Self.password))
        // Every document the probe writes holds to schemas/probe.schema.json.
        let document = lab.directory.appendingPathComponent("probe-\(UUID().uuidString).json")
        try Data(result.output.utf8).write(to: document)
        let validation = try SchemaTests.validate(schema: "probe.schema.json", [document.path])
        #expect(validation.status == 0, "\(validation.output)\(validation.error)")
        return (result.status, json)
    }

    static func servers(_ json: [String: Any]) -> [String: [String: Any]] {
        var byID: [String: [String: Any]] = [:]
        for server in json["servers"] as? [[String: Any]] ?? [] {
            if let id = server["identifier"] as? String { byID[id] = server }
        }
        return byID
    }

    static func problems(_ server: [String: Any]?) -> [String] {
        (server?["problems"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    /// A second dnsmasq on the phones' segment: a macvlan on the server's veth end, moved to its
    /// own namespace (the lab's upstream one, removed with the lab), giving 192.0.2.200-250 and
    /// only option 66.
    static func startRogue(_ lab: borrowing NetworkLab) throws -> NetworkLab.Background {
        let interface = "\(lab.server.dropLast(2))-m0"
        try NetworkLab.ip(["netns", "add", lab.upstream])
        try NetworkLab.ip([
            "-n", lab.server, "link", "add", "link", lab.serverInterface, "name", interface, "type", "macvlan", "mode",
            "bridge",
        ])
        try NetworkLab.ip(["-n", lab.server, "link", "set", interface, "netns", lab.upstream])
        try NetworkLab.ip(["-n", lab.upstream, "addr", "add", "\(Self.rogueAddress)/24", "dev", interface])
        try NetworkLab.ip(["-n", lab.upstream, "link", "set", interface, "up"])
        let rogue = try lab.start(
            in: lab.upstream,
            [
                try NetworkLab.tool("bash"), NetworkLab.script, "dnsmasq", "--exec", "yes", "--ns", lab.upstream,
                "--interface", interface, "--range", "192.0.2.200,192.0.2.250,255.255.255.0,1h", "--dir",
                lab.directory.path, "--name", "rogue", "--dhcp-option", "66,tftp://\(Self.rogueAddress)",
            ], name: "rogue-run")
        try NetworkLab.waitFor(
            file: lab.directory.appendingPathComponent("rogue.log"), containing: "DHCP, IP range", seconds: 10)
        return rogue
    }

    static func leases(_ lab: borrowing NetworkLab, _ name: String) -> String {
        (try? String(contentsOf: lab.directory.appendingPathComponent("\(name).leases"), encoding: .utf8)) ?? ""
    }

    @Test(
        "two servers on the VLAN: both offers reported with their kind and recipe, dhclient's lease survives, no lease is left",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func twoServers() throws {
        let lab = try NetworkLab(name: "pbprobe", phoneMAC: "02:00:00:0b:0b:01")
        defer { lab.tearDown() }
        _ = try lab.startDNSMasq(options: ["160,tftp://\(NetworkLab.serverAddress)"], files: [:])
        _ = try Self.startRogue(lab)

        // A DHCP client on the probed interface, holding its lease (and UDP port 68).
        let dhclient = try lab.runDHClient(vendorClass: "Polycom-VVX410")
        try #require(dhclient.status == 0, "dhclient got no lease: \(dhclient.output)")
        let environment = try String(
            contentsOf: lab.directory.appendingPathComponent("dhclient-lease.env"), encoding: .utf8)
        var lease: [String: String] = [:]
        for line in environment.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { lease[parts[0]] = parts[1] }
        }
        let address = try #require(lease["new_ip_address"])
        // dhclient -1 writes its pid file once it has gone to the background: wait for it.
        var pidText = ""
        for _ in 0..<50 {
            pidText =
                (try? String(contentsOf: lab.directory.appendingPathComponent("dhclient.pid"), encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if !pidText.isEmpty { break }
            usleep(100_000)
        }
        let dhclientPID = try #require(Int32(pidText), "dhclient wrote no pid file")

        let saved = lab.directory.appendingPathComponent("probe.pcap")
        let (status, json) = try Self.probe(lab, ["--mac", Self.probeMAC, "--wait", "3", "--write", saved.path])
        #expect(status == 0, "several-dhcp-servers is a warning, option-66-only an info: below --fail-on error")
        let servers = Self.servers(json)
        #expect(Set(servers.keys) == [NetworkLab.serverAddress, Self.rogueAddress])

        let good = servers[NetworkLab.serverAddress]
        #expect(good?["option160"] as? String == "tftp://\(NetworkLab.serverAddress)")
        #expect(good?["implementation"] as? String == "dnsmasq")
        #expect(Self.problems(good).isEmpty)
        let offered = try #require(good?["offeredAddress"] as? String)
        #expect(offered.hasPrefix("192.0.2.1") && offered != address)

        let rogue = servers[Self.rogueAddress]
        #expect(rogue?["option66"] as? String == "tftp://\(Self.rogueAddress)")
        #expect(rogue?["option160"] == nil)
        #expect(rogue?["implementation"] as? String == "dnsmasq")
        #expect((rogue?["offeredAddress"] as? String)?.hasPrefix("192.0.2.2") == true)
        #expect(Self.problems(rogue) == ["option-66-only"])
        let problem = (rogue?["problems"] as? [[String: Any]])?.first
        let recipeLines = (problem?["recipe"] as? [String: Any])?["lines"] as? [String] ?? []
        // The recipe makes the scopes agree: the rogue is given the 160 the other server sends.
        #expect(recipeLines.contains("dhcp-option-force=tag:polycom,160,\"tftp://\(NetworkLab.serverAddress)\""))

        let findings = json["findings"] as? [[String: Any]] ?? []
        let several = findings.first { $0["code"] as? String == "several-dhcp-servers" }
        #expect(several != nil)
        let silence = (several?["recipe"] as? [String: Any])?["lines"] as? [String] ?? []
        #expect(silence.contains { $0.hasPrefix("no-dhcp-interface=") }, "\(silence)")

        // What dhclient was given by the server it chose is what the probe saw from that server.
        let chosen = try #require(lease["new_dhcp_server_identifier"])
        let seen = try #require(servers[chosen], "dhclient's server \(chosen) is not among the probe's")
        #expect(lease["new_polycom_boot_server"] == seen["option160"] as? String)
        #expect(lease["new_tftp_server_name"] == seen["option66"] as? String)
        #expect(lease["new_dhcp_lease_time"] == (seen["leaseTime"] as? Int).map(String.init))

        // dhclient still runs and still holds its address; neither server leased the probe anything.
        #expect(kill(dhclientPID, 0) == 0, "dhclient is gone")
        let addresses = try NetworkLab.ip(["-n", lab.phone, "-4", "-o", "addr", "show", "dev", lab.phoneInterface])
        #expect(addresses.contains("inet \(address)/"), "\(addresses)")
        #expect(
            Self.leases(lab, "dnsmasq").contains("02:00:00:0b:0b:01")
                || Self.leases(lab, "rogue").contains("02:00:00:0b:0b:01"))
        for name in ["dnsmasq", "rogue"] { #expect(!Self.leases(lab, name).contains(Self.probeMAC)) }

        // The saved frames give `analyze` the same findings.
        let replay = try runProgram(
            PacketsCommandTests.executable, ["analyze", "--format", "json", "--fail-on", "never", saved.path])
        let replayed = try #require(try JSONSerialization.jsonObject(with: Data(replay.output.utf8)) as? [String: Any])
        let capture = (replayed["captures"] as? [[String: Any]])?.first
        let phone = (capture?["phones"] as? [[String: Any]])?.first { $0["mac"] as? String == Self.probeMAC }
        func codesAndFrames(_ list: [[String: Any]]) -> [String] {
            list.map { "\($0["code"] ?? "") \($0["frames"] ?? "")" }
        }
        #expect(codesAndFrames(phone?["findings"] as? [[String: Any]] ?? []) == codesAndFrames(findings))
        #expect(!findings.isEmpty)
    }

    @Test(
        "--lease takes the offer with 160, reads the ACK and releases it: the lease file holds nothing for the probe",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func leaseAndRelease() throws {
        let lab = try NetworkLab(name: "pbprobe", phoneMAC: "02:00:00:0b:0b:02")
        defer { lab.tearDown() }
        _ = try lab.startDNSMasq(
            options: ["160,tftp://\(NetworkLab.serverAddress)", "144,VLAN-A=120;"], files: [:])
        let (status, json) = try Self.probe(lab, ["--mac", Self.probeMAC, "--wait", "1", "--lease"])
        #expect(status == 0, "\(json["findings"] ?? "")")
        // The VLAN-discovery option, read as the phone reads it.
        let server = Self.servers(json)[NetworkLab.serverAddress]
        let option144 = (server?["vlanDiscovery"] as? [String: Any])?["144"] as? [String: Any]
        #expect(option144?["value"] as? String == "VLAN-A=120;")
        #expect(option144?["vlan"] as? Int == 120)
        let report = json["report"] as? [String: Any]
        let phone = (report?["phones"] as? [[String: Any]])?.first
        let dhcp = (phone?["dhcp"] as? [[String: Any]])?.first
        let types = (dhcp?["messages"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        #expect(types == ["DISCOVER", "OFFER", "REQUEST", "ACK", "RELEASE"], "\(String(describing: dhcp))")
        try NetworkLab.waitFor(
            file: lab.directory.appendingPathComponent("dnsmasq.log"), containing: "DHCPRELEASE", seconds: 5)
        #expect(!Self.leases(lab, "dnsmasq").contains(Self.probeMAC), Comment(rawValue: Self.leases(lab, "dnsmasq")))
    }

    @Test(
        "the dnsmasq recipe for option-66-only, applied to the lab's dnsmasq, makes the finding go away",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func recipeApplied() throws {
        let lab = try NetworkLab(name: "pbprobe", phoneMAC: "02:00:00:0b:0b:03")
        defer { lab.tearDown() }
        let first = try lab.startDNSMasq(options: ["66,tftp://\(NetworkLab.serverAddress)"], files: [:])
        let before = try Self.probe(lab, ["--wait", "1", "--lease", "--fail-on", "info"])
        #expect(before.status == 1)
        let findings = before.json["findings"] as? [[String: Any]] ?? []
        let only66 = try #require(findings.first { $0["code"] as? String == "option-66-only" }, "\(findings)")
        let recipe = try #require(only66["recipe"] as? [String: Any])
        #expect(recipe["server"] as? String == "dnsmasq")
        let lines = try #require(recipe["lines"] as? [String])

        // Apply it as the recipe says: a configuration file, dnsmasq restarted with it.
        // SIGKILL: a dnsmasq started from the test runner may inherit SIGTERM blocked.
        kill(first.pid, SIGKILL)
        var exitStatus: Int32 = 0
        _ = waitpid(first.pid, &exitStatus, 0)
        let configuration = lab.directory.appendingPathComponent("polycom.conf")
        try (lines.joined(separator: "\n") + "\n").write(to: configuration, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: configuration.path)
        let log = lab.directory.appendingPathComponent("fixed.log")
        let fixed = try lab.start(
            in: lab.server,
            [
                try NetworkLab.tool("dnsmasq"), "--keep-in-foreground", "--conf-file=\(configuration.path)",
                "--no-resolv", "--no-hosts", "--port=0", "--interface=\(lab.serverInterface)", "--bind-interfaces",
                "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h",
                "--dhcp-leasefile=\(lab.directory.appendingPathComponent("fixed.leases").path)",
                "--log-facility=\(log.path)", "--log-dhcp", "--no-ping",
                "--dhcp-option=66,tftp://\(NetworkLab.serverAddress)",
            ], name: "fixed-run")
        defer { _ = fixed.stop() }
        try NetworkLab.waitFor(file: log, containing: "DHCP, IP range", seconds: 10)

        let after = try Self.probe(lab, ["--wait", "1", "--lease", "--fail-on", "info", "--format", "json"])
        let codes = (after.json["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(!codes.contains("option-66-only"), "\(codes)")
        let server = Self.servers(after.json)[NetworkLab.serverAddress]
        #expect(server?["option160"] as? String == "tftp://\(NetworkLab.serverAddress)")
        #expect(Self.problems(server).isEmpty)
    }

    @Test(
        "without CAP_NET_RAW the probe refuses with exit 2 and says what to do",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func refusesWithoutCapability() throws {
        let lab = try NetworkLab(name: "pbprobe", phoneMAC: "02:00:00:0b:0b:04")
        defer { lab.tearDown() }
        let result = try runProgram(
            try NetworkLab.tool("ip"),
            [
                "netns", "exec", lab.phone, try NetworkLab.tool("setpriv"), "--reuid=65534", "--regid=65534",
                "--clear-groups", "--inh-caps=-all", PacketsCommandTests.executable, "probe", "--interface",
                lab.phoneInterface, "--wait", "1",
            ])
        #expect(result.status == 2)
        #expect(result.error.contains("CAP_NET_RAW"), "\(result.error)")
        #expect(result.output.isEmpty)
    }

    // MARK: - --fetch

    /// A master file naming an image and two CONFIG_FILES, one of which the server lacks.
    static let master = """
        <?xml version="1.0" standalone="yes"?>
        <APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="phone1.cfg, missing.cfg" MISC_FILES="">
        </APPLICATION>

        """
    static let image = String(repeating: "polycom-image-", count: 300)
    static let phoneConfig = "<PHONE_CONFIG><ALL reg.1.address=\"1001\"/></PHONE_CONFIG>\n"
    static let probeFile = "0004f2aabb01.cfg"

    /// Runs `probe --fetch` from 192.0.2.60 on the phone side and checks what every boot
    /// server variant must give: the phone's own file not found, the default master read, the
    /// image and phone1.cfg there (their sizes, nothing downloaded), missing.cfg not found and
    /// reported as config-file-missing with its frames; the analyzer's record holds the fetches.
    @discardableResult
    static func checkFetch(
        _ lab: borrowing NetworkLab, protocol fetchProtocol: String, directory: String = ""
    ) throws -> [String: Any] {
        try NetworkLab.ip(["-n", lab.phone, "addr", "add", "192.0.2.60/24", "dev", lab.phoneInterface])
        let (status, json) = try Self.probe(lab, ["--mac", Self.probeMAC, "--wait", "1", "--fetch"])
        #expect(status == 1, "config-file-missing is an error")
        let fetch = try #require(json["fetch"] as? [String: Any], "\(json)")
        #expect(fetch["protocol"] as? String == fetchProtocol)
        #expect(fetch["localAddress"] as? String == "192.0.2.60")
        #expect(fetch["notDone"] == nil, "\(fetch)")
        let steps = fetch["steps"] as? [[String: Any]] ?? []
        let prefix = directory.isEmpty ? (fetchProtocol == "http" ? "/" : "") : directory + "/"
        let seen = steps.map { "\($0["request"] ?? "") \($0["file"] ?? "") \($0["result"] ?? "") \($0["size"] ?? "-")" }
        #expect(
            seen == [
                "file \(prefix)\(Self.probeFile) not-found -",
                "file \(prefix)000000000000.cfg found \(Self.master.utf8.count)",
                "size \(prefix)sip.ld found \(Self.image.utf8.count)",
                "size \(prefix)phone1.cfg found \(Self.phoneConfig.utf8.count)",
                "size \(prefix)missing.cfg not-found -",
            ], "\(steps)")
        #expect((fetch["frames"] as? Int ?? 0) > 0)

        let findings = json["findings"] as? [[String: Any]] ?? []
        let missing = try #require(findings.first { $0["code"] as? String == "config-file-missing" }, "\(findings)")
        #expect((missing["message"] as? String)?.hasPrefix("missing.cfg, named in CONFIG_FILES of") == true)
        #expect(!(missing["frames"] as? [Int] ?? []).isEmpty)
        #expect(!findings.contains { $0["code"] as? String == "transfer-incomplete" }, "\(findings)")

        // The analyzer's record of the probe's MAC holds the fetches, read from the wire.
        let report = json["report"] as? [String: Any]
        let phone = try #require(
            (report?["phones"] as? [[String: Any]])?.first { $0["mac"] as? String == Self.probeMAC })
        let fetches = phone["fetches"] as? [[String: Any]] ?? []
        let image = try #require(fetches.first { ($0["file"] as? String)?.hasSuffix("sip.ld") == true }, "\(fetches)")
        #expect(image["protocol"] as? String == fetchProtocol)
        #expect(image["result"] as? String == "ok")
        #expect(image["bytes"] as? Int == 0, "a size check downloads nothing")
        #expect((image["sizeCheck"] as? [String: Any])?["size"] as? Int == Self.image.utf8.count)
        let plan = try #require(phone["plan"] as? [String: Any], "\(phone)")
        let results = (plan["files"] as? [[String: Any]] ?? []).map { "\($0["file"] ?? "") \($0["result"] ?? "")" }
        #expect(results == ["sip.ld ok", "phone1.cfg ok", "missing.cfg not-found"])
        return phone
    }

    /// `captures/http-server.py` on the server side (`lab.sh http_server`), serving
    /// ``fetchFiles`` under `/phones/`, over TLS with `tls`'s certificate and key.
    static func startHTTPServer(_ lab: borrowing NetworkLab, port: Int, tls: (URL, URL)? = nil) throws {
        let root = lab.directory.appendingPathComponent("www")
        let phones = root.appendingPathComponent("phones")
        try FileManager.default.createDirectory(at: phones, withIntermediateDirectories: true)
        for (name, content) in Self.fetchFiles { try Data(content.utf8).write(to: phones.appendingPathComponent(name)) }
        let certificate = tls.map { ["--tls-cert", $0.0.path, "--tls-key", $0.1.path] } ?? []
        let started = try lab.run(
            in: lab.server,
            [
                try NetworkLab.tool("bash"), NetworkLab.script, "http_server", "--ns", lab.server, "--address",
                NetworkLab.serverAddress, "--port", String(port), "--root", root.path, "--user", "phone", "--password",
                Self.password, "--dir", lab.directory.path,
            ] + certificate, name: "http-start")
        try #require(started.status == 0, "http-server.py: \(started.output)")
    }

    static var fetchFiles: [String: String] {
        ["000000000000.cfg": Self.master, "sip.ld": Self.image, "phone1.cfg": Self.phoneConfig]
    }

    @Test(
        "--fetch over TFTP: the master read, the image and CONFIG_FILES checked with tsize, the absent one a finding",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func fetchOverTFTP() throws {
        let lab = try NetworkLab(name: "pbfetch", phoneMAC: "02:00:00:0b:0b:05")
        defer { lab.tearDown() }
        _ = try lab.startDNSMasq(options: ["160,tftp://\(NetworkLab.serverAddress)"], files: Self.fetchFiles)
        try Self.checkFetch(lab, protocol: "tftp")
        // --format ndjson: the same probe as lines, each valid against probe-event.schema.json.
        let lines = try runProgram(
            try NetworkLab.tool("ip"),
            [
                "netns", "exec", lab.phone, PacketsCommandTests.executable, "probe", "--interface", lab.phoneInterface,
                "--mac", Self.probeMAC, "--wait", "1", "--fetch", "--format", "ndjson",
            ])
        var kinds: [String] = []
        var documents: [String] = []
        for (index, line) in lines.output.split(separator: "\n").enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            kinds.append(object?["event"] as? String ?? "?")
            let document = lab.directory.appendingPathComponent("probe-line-\(index).json")
            try Data(line.utf8).write(to: document)
            documents.append(document.path)
        }
        #expect(kinds.first == "probe" && kinds.last == "summary" && kinds.contains("fetch"), "\(kinds)")
        #expect(kinds.filter { $0 == "dhcp-server" }.count == 1 && kinds.contains("finding"), "\(kinds)")
        let validation = try SchemaTests.validate(schema: "probe-event.schema.json", documents)
        #expect(validation.status == 0, "\(validation.output)\(validation.error)")

        // dnsmasq saw both size checks (sip.ld, phone1.cfg) of both runs ended before any data.
        let log = (try? String(contentsOf: lab.directory.appendingPathComponent("dnsmasq.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("sent \(lab.directory.path)/tftp/000000000000.cfg"), Comment(rawValue: log))
        #expect(
            log.split(separator: "\n").count { $0.contains("error 0 size only received") } == 4, Comment(rawValue: log))
    }

    @Test(
        "--fetch over FTP (vsftpd, PlcmSpIp by default): the master by RETR, the others by SIZE",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func fetchOverFTP() throws {
        let lab = try NetworkLab(name: "pbfetchf", phoneMAC: "02:00:00:0b:0b:06")
        defer { lab.tearDown() }
        let root = lab.directory.appendingPathComponent("ftp")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (name, content) in Self.fetchFiles { try Data(content.utf8).write(to: root.appendingPathComponent(name)) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.path)
        let started = try lab.run(
            in: lab.server,
            [
                try NetworkLab.tool("bash"), NetworkLab.script, "vsftpd", "--ns", lab.server, "--address",
                NetworkLab.serverAddress, "--root", root.path, "--user", "PlcmSpIp", "--password", "PlcmSpIp",
                "--pasv-ports", "30000-30009", "--dir", lab.directory.path,
            ], name: "vsftpd-start")
        try #require(started.status == 0, "vsftpd: \(started.output)")
        _ = try lab.startDNSMasq(options: ["160,ftp://\(NetworkLab.serverAddress)"], files: [:])
        try Self.checkFetch(lab, protocol: "ftp")
        let log = (try? String(contentsOf: lab.directory.appendingPathComponent("vsftpd.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("\"SIZE missing.cfg\""), Comment(rawValue: log))
        #expect(!log.contains("RETR sip.ld"), Comment(rawValue: log))
    }

    @Test(
        "--fetch over HTTP from a directory: GET of the master with a Polycom User-Agent, HEAD for the others",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func fetchOverHTTP() throws {
        let lab = try NetworkLab(name: "pbfetchh", phoneMAC: "02:00:00:0b:0b:07")
        defer { lab.tearDown() }
        try Self.startHTTPServer(lab, port: 8080)
        _ = try lab.startDNSMasq(
            options: ["160,http://phone:\(Self.password)@\(NetworkLab.serverAddress):8080/phones"], files: [:])
        let phone = try Self.checkFetch(lab, protocol: "http", directory: "/phones")
        // The credentials went as Basic authorization: the wire shows the user.
        let users = Set((phone["fetches"] as? [[String: Any]] ?? []).compactMap { $0["user"] as? String })
        #expect(users == ["phone"])
        // The requests carried a phone's User-Agent, as the wire shows it.
        let agents = Set((phone["fetches"] as? [[String: Any]] ?? []).compactMap { $0["userAgent"] as? String })
        #expect(agents == ["FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614 (SN:0004f2aabb01) Type/Application"])
        let log =
            (try? String(contentsOf: lab.directory.appendingPathComponent("http-server.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("HEAD /phones/missing.cfg"), Comment(rawValue: log))
        #expect(!log.contains("GET /phones/sip.ld"), Comment(rawValue: log))
    }

    @Test(
        "--fetch over HTTPS: an untrusted certificate stops it as it stops a phone; with --ca-file, GET and HEAD as over HTTP",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func fetchOverHTTPS() throws {
        let lab = try NetworkLab(name: "pbfetcht", phoneMAC: "02:00:00:0b:0b:09")
        defer { lab.tearDown() }
        // A certificate for the server's address, made for this test only.
        let certificate = lab.directory.appendingPathComponent("cert.pem")
        let key = lab.directory.appendingPathComponent("key.pem")
        let made = try runProgram(
            try NetworkLab.tool("openssl"),
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=\(NetworkLab.serverAddress)", "-addext", "subjectAltName=IP:\(NetworkLab.serverAddress)",
                "-keyout", key.path, "-out", certificate.path,
            ])
        try #require(made.status == 0, "openssl: \(made.error)")
        try Self.startHTTPServer(lab, port: 8443, tls: (certificate, key))
        _ = try lab.startDNSMasq(options: ["160,https://\(NetworkLab.serverAddress):8443/phones"], files: [:])
        try NetworkLab.ip(["-n", lab.phone, "addr", "add", "192.0.2.60/24", "dev", lab.phoneInterface])

        // Not trusted: nothing is fetched, and the record shows the handshake that failed.
        let untrusted = try Self.probe(lab, ["--mac", Self.probeMAC, "--wait", "1", "--fetch"])
        let refused = try #require(untrusted.json["fetch"] as? [String: Any])
        let firstStep = (refused["steps"] as? [[String: Any]])?.first
        #expect(firstStep?["result"] as? String == "failed")
        #expect((firstStep?["reason"] as? String)?.lowercased().contains("certificate") == true, "\(refused)")
        #expect(refused["notDone"] as? String == "no master configuration file was read")
        let report = untrusted.json["report"] as? [String: Any]
        let phone = (report?["phones"] as? [[String: Any]])?.first { $0["mac"] as? String == Self.probeMAC }
        let connections = (phone?["fetches"] as? [[String: Any]] ?? []).filter { $0["protocol"] as? String == "https" }
        #expect(connections.first?["result"] as? String == "tls-failed", "\(connections)")

        // Trusted with --ca-file: the master read, the others checked with HEAD.
        let (status, json) = try Self.probe(
            lab, ["--mac", Self.probeMAC, "--wait", "1", "--fetch", "--ca-file", certificate.path])
        #expect(status == 1, "config-file-missing is an error")
        let fetch = try #require(json["fetch"] as? [String: Any])
        #expect(fetch["protocol"] as? String == "https")
        let steps = (fetch["steps"] as? [[String: Any]] ?? []).map {
            "\($0["request"] ?? "") \($0["file"] ?? "") \($0["result"] ?? "") \($0["size"] ?? "-")"
        }
        #expect(
            steps == [
                "file /phones/\(Self.probeFile) not-found -",
                "file /phones/000000000000.cfg found \(Self.master.utf8.count)",
                "size /phones/sip.ld found \(Self.image.utf8.count)",
                "size /phones/phone1.cfg found \(Self.phoneConfig.utf8.count)",
                "size /phones/missing.cfg not-found -",
            ], "\(fetch)")
        let findings = json["findings"] as? [[String: Any]] ?? []
        let missing = try #require(findings.first { $0["code"] as? String == "config-file-missing" }, "\(findings)")
        #expect(
            (missing["message"] as? String)?.hasPrefix("missing.cfg, named in CONFIG_FILES of 000000000000.cfg") == true
        )
        #expect(!(missing["frames"] as? [Int] ?? []).isEmpty)
        // Each request was a TLS connection of its own in the record, all completed.
        let record = ((json["report"] as? [String: Any])?["phones"] as? [[String: Any]])?.first {
            $0["mac"] as? String == Self.probeMAC
        }
        let tls = (record?["fetches"] as? [[String: Any]] ?? []).filter { $0["protocol"] as? String == "https" }
        #expect(tls.count == 5 && tls.allSatisfy { $0["result"] as? String == "ok" }, "\(tls)")
        let log =
            (try? String(contentsOf: lab.directory.appendingPathComponent("http-server.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("HEAD /phones/missing.cfg"), Comment(rawValue: log))
    }

    @Test(
        "--fetch with no address on the interface says so and fetches nothing",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func fetchWithoutAddress() throws {
        let lab = try NetworkLab(name: "pbfetchn", phoneMAC: "02:00:00:0b:0b:08")
        defer { lab.tearDown() }
        _ = try lab.startDNSMasq(options: ["160,tftp://\(NetworkLab.serverAddress)"], files: Self.fetchFiles)
        let (status, json) = try Self.probe(lab, ["--mac", Self.probeMAC, "--wait", "1", "--fetch"])
        #expect(status == 0)
        let fetch = json["fetch"] as? [String: Any]
        #expect((fetch?["notDone"] as? String)?.contains("has no IPv4 address") == true, "\(String(describing: fetch))")
        #expect((fetch?["steps"] as? [Any])?.isEmpty == true)
    }
}
