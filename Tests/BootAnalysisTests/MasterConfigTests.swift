import Testing
import WireFormats

@testable import BootAnalysis
@testable import MasterConfigXML

private typealias Fixture = PhoneRecordFixture

/// The composite master file of polycom-boot.md §4.3, with per-model children.
private let template = """
    <?xml version="1.0" standalone="yes"?>
    <APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES=" site.cfg ,[PHONE_MAC_ADDRESS]-lines.cfg,, features.cfg"
      MISC_FILES="" LOG_FILE_DIRECTORY="logs" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="">
      <APPLICATION_SPIP300 APP_FILE_PATH_SPIP300="sip_213.ld" CONFIG_FILES_SPIP300="phone1_213.cfg, sip_213.cfg"/>
      <APPLICATION_VVX410 APP_FILE_PATH_VVX410="[PHONE_PART_NUMBER].sip.ld"/>
      <APPLICATION_VVX1500 BOOTBLOCK_FILE_PATH_VVX1500="bootblock.ld"/>
    </APPLICATION>
    """

private func parse(_ text: String) throws(MasterConfigError) -> MasterConfig {
    try MasterConfigParser.parse(Array(text.utf8))
}

@Suite("Master configuration files: XML (polycom-boot.md §4.3)")
struct MasterConfigParserTests {
    @Test("the APPLICATION element, its lists in order and its per-model children")
    func readsTheTemplate() throws {
        let config = try parse(template)
        #expect(config.rootName == "APPLICATION")
        #expect(config.attributes["APP_FILE_PATH"] == "sip.ld")
        #expect(config.attributes["LOG_FILE_DIRECTORY"] == "logs")
        #expect(Set(config.models.keys) == ["SPIP300", "VVX410", "VVX1500"])
        let list = MasterConfig.list(try #require(config.attributes["CONFIG_FILES"]))
        #expect(list == ["site.cfg", "[PHONE_MAC_ADDRESS]-lines.cfg", "features.cfg"])
    }

    @Test("a child's _<MODEL> attribute overrides the parent for that model only, whatever the tag's case")
    func perModelOverride() throws {
        let config = try parse(template)
        #expect(config.attribute("APP_FILE_PATH", model: "SPIP300")?.value == "sip_213.ld")
        #expect(config.attribute("APP_FILE_PATH", model: "SPIP300")?.fromModel == true)
        #expect(config.attribute("CONFIG_FILES", model: "spip300")?.value == "phone1_213.cfg, sip_213.cfg")
        #expect(config.attribute("APP_FILE_PATH", model: "VVX1500")?.value == "sip.ld")
        #expect(config.attribute("APP_FILE_PATH", model: "VVX1500")?.fromModel == false)
        #expect(config.attribute("APP_FILE_PATH", model: nil)?.value == "sip.ld")
        #expect(config.attribute("MISSING", model: "VVX410") == nil)
    }

    @Test(
        "a file that is not well-formed is refused with libxml2's error and the line it stopped at",
        arguments: [
            ("<APPLICATION\n CONFIG_FILES=\"R&D.cfg\"/>", 23, 2),
            ("<APPLICATION>\n<A>\n</APPLICATION>", 76, 3),
            ("<APPLICATION/>\n<APPLICATION/>", 5, 2),
            ("<APPLICATION A=\"1\" A=\"2\"/>", 42, 1),
        ]
    )
    func refusesBrokenXML(text: String, code: Int, line: Int) throws {
        let error = try #require(throws: MasterConfigError.self) { try parse(text) }
        #expect(error.code == code)
        #expect(error.line == line)
        #expect(!error.message.isEmpty)
        #expect(error.description.hasPrefix("line \(line), column "))
    }

    @Test("bytes that are not UTF-8 are refused by libxml2 with their line and column; a declared encoding is read")
    func refusesNonUTF8() throws {
        // A comment with 0xFF bytes made FoundationXML trap (found by the analyzer fuzz target).
        let bytes = Array("<APPLICATION APP_FILE_PATH=\"sip.ld\"/>\n<!-- ".utf8) + [0xFF, 0xFF] + Array(" -->\n".utf8)
        let error = try #require(throws: MasterConfigError.self) { try MasterConfigParser.parse(bytes) }
        #expect(error.code == 9)
        #expect(error.line == 2)
        #expect(error.column == 6)
        #expect(error.message.contains("0xFF"))
        #expect(!error.message.contains("\n"))
        // Overlong, surrogate, past U+10FFFF, cut short.
        for invalid: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let text = Array("<APPLICATION APP_FILE_PATH=\"".utf8) + invalid + Array("\"/>".utf8)
            let error = try #require(throws: MasterConfigError.self, "\(invalid)") {
                try MasterConfigParser.parse(text)
            }
            #expect(error.code == 9, "\(invalid)")
        }
        let latin1 =
            Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<APPLICATION APP_FILE_PATH=\"".utf8) + [0xE9]
            + Array(".ld\"/>".utf8)
        #expect(try MasterConfigParser.parse(latin1).attributes["APP_FILE_PATH"] == "é.ld")
        #expect(try parse("<APPLICATION APP_FILE_PATH=\"é€😀\"/>").attributes["APP_FILE_PATH"] == "é€😀")
    }

    @Test("libxml2's message is its own, on one line, and the first error is the one kept")
    func firstErrorInLibxml2Words() throws {
        // libxml2 reports a second error here (77, the root not closed) after the first (76).
        let error = try #require(throws: MasterConfigError.self) { try parse("<APPLICATION>\n<A>\n</APPLICATION>") }
        #expect(error.code == 76)
        #expect(error.message == "Opening and ending tag mismatch: A line 2 and APPLICATION")
        #expect(error.description == "line 3, column 15: \(error.message) (XML error 76)")
    }

    @Test("files read one after another, well-formed or not, each as if alone (parser contexts are reused)")
    func filesReadAlike() async throws {
        let bad = "<APPLICATION>\n<A>\n</APPLICATION>"
        let encoding =
            Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<APPLICATION APP_FILE_PATH=\"".utf8) + [0xE9]
            + Array(".ld\"/>".utf8)
        let badError = try #require(throws: MasterConfigError.self) { try parse(bad) }
        let good = try parse(template)
        // More files than a context reads before it is replaced, two at a time.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    for round in 0..<300 {
                        switch round % 3 {
                        case 0:
                            let error = #expect(throws: MasterConfigError.self) { try parse(bad) }
                            #expect(error == badError)
                        case 1:
                            #expect((try? parse(template)) == good)
                        default:
                            #expect((try? MasterConfigParser.parse(encoding))?.attributes == ["APP_FILE_PATH": "é.ld"])
                        }
                    }
                }
            }
        }
    }

    @Test("references are replaced in values; prefixes stay in names; a namespace error does not refuse the file")
    func referencesAndPrefixes() throws {
        let config = try parse(
            """
            <APPLICATION xmlns:p="urn:example" p:NOTE="1" APP_FILE_PATH="a&amp;b&#x41;.ld">
              <APPLICATION_VVX410 APP_FILE_PATH_VVX410="&lt;x&gt;"/>
              <APPLICATION_VVX500 q:UNDECLARED="2"/>
            </APPLICATION>
            """)
        #expect(config.attributes == ["xmlns:p": "urn:example", "p:NOTE": "1", "APP_FILE_PATH": "a&bA.ld"])
        #expect(config.models["VVX410"] == ["APP_FILE_PATH_VVX410": "<x>"])
        #expect(config.models["VVX500"]?.count == 1)
    }

    @Test("an entity expanding without bound is refused, not expanded")
    func entityExpansionBounded() throws {
        var declarations = "<!ENTITY e0 \"\(String(repeating: "a", count: 40))\">"
        for level in 1...9 {
            declarations += "<!ENTITY e\(level) \"" + String(repeating: "&e\(level - 1);", count: 10) + "\">"
        }
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE APPLICATION [\(declarations)]>\n<APPLICATION A=\"&e9;\"/>"
        let error = try #require(throws: MasterConfigError.self) { try parse(text) }
        #expect(error.code == 89)
    }

    @Test("an empty file, or one without an element, is refused")
    func refusesEmpty() throws {
        #expect(throws: MasterConfigError.self) { try parse("") }
        #expect(throws: MasterConfigError.self) { try parse("<?xml version=\"1.0\"?>\n") }
    }

    @Test("an external entity or DTD is not read")
    func noExternalEntities() throws {
        // In an attribute value an external entity is a well-formedness error (29).
        let inAttribute = """
            <?xml version="1.0"?>
            <!DOCTYPE APPLICATION [<!ENTITY x SYSTEM "file:///etc/hostname">]>
            <APPLICATION APP_FILE_PATH="a&x;b"/>
            """
        let error = try #require(throws: MasterConfigError.self) { try parse(inAttribute) }
        #expect(error.code == 29)
        // In content it stays a reference; a DTD on the network is not fetched.
        let inContent = """
            <?xml version="1.0"?>
            <!DOCTYPE APPLICATION SYSTEM "http://192.0.2.1/master.dtd" [<!ENTITY x SYSTEM "/etc/hostname">]>
            <APPLICATION APP_FILE_PATH="sip.ld">&x;</APPLICATION>
            """
        #expect(try parse(inContent).attributes == ["APP_FILE_PATH": "sip.ld"])
    }
}

@Suite("Master configuration files: the plan and the stages")
struct BootPlanTests {
    /// A copy of `text` fetched as `file` in frames `first`...`first + 4`.
    static func copy(_ file: String, _ text: String, first: Int) -> MasterConfigCopy {
        let content: MasterConfigCopy.Content
        do {
            content = .parsed(try parse(text))
        } catch {
            content = .invalid(error)
        }
        return MasterConfigCopy(
            file: file, server: Fixture.bootHost, fetchProtocol: .tftp, firstFrame: first, lastFrame: first + 4,
            bytes: text.utf8.count, content: content, timestamp: Int64(first + 4) * 1_000_000_000)
    }

    /// A VVX 410 (part number known) that fetched `fetches` after the master file in frames 10-14.
    static func record(fetches: [Fetch], text: String = template, partNumber: String? = "3111-46162-001,1")
        -> PhoneRecord
    {
        var record = Fixture.record([Fixture.lease(option160: "tftp://192.0.2.10")], fetches: fetches)
        record.partNumber = partNumber
        record.model = "VVX 410"
        record.masterConfigs = [Self.copy(Fixture.macConfig, text, first: 10)]
        record.fetches.insert(Fixture.fetch(Fixture.macConfig, requestFrames: [10], lastFrame: 14), at: 0)
        record.plan = BootPlan(record: record)
        return record
    }

    @Test("the image for the phone's model, then CONFIG_FILES in order, variables expanded, with each result")
    func planForAVVX410() throws {
        let record = Self.record(fetches: [
            Fixture.fetch("3111-46162-001.sip.ld", requestFrames: [20], lastFrame: 60),
            Fixture.fetch("site.cfg", requestFrames: [70], lastFrame: 72),
            Fixture.fetch(
                "0004f2aabb01-lines.cfg", result: .notFound, requestFrames: [80],
                failure: Fetch.Failure(code: 1, message: "not found", frame: 81)),
        ])
        let plan = try #require(record.plan)
        #expect(plan.modelTag == "VVX410")
        #expect(plan.modelChildFound)
        #expect(plan.master.file == Fixture.macConfig)
        #expect(
            plan.entries.map(\.file) == [
                "3111-46162-001.sip.ld", "site.cfg", "0004f2aabb01-lines.cfg", "features.cfg",
            ])
        #expect(plan.entries.map(\.role) == [.application, .config, .config, .config])
        #expect(plan.entries[0].attribute == "APP_FILE_PATH_VVX410")
        #expect(plan.entries[0].written == "[PHONE_PART_NUMBER].sip.ld")
        #expect(plan.entries.map { $0.lastAttempt?.result } == [.ok, .ok, .notFound, nil])
        #expect(plan.directories == [BootPlan.Directory(name: "LOG_FILE_DIRECTORY", value: "logs")])
    }

    @Test("a variable not known for the phone stays, and says so; without a model the parent applies")
    func unknownPartNumber() throws {
        var record = Self.record(fetches: [], partNumber: nil)
        record.model = nil
        record.plan = BootPlan(record: record)
        let plan = try #require(record.plan)
        #expect(plan.modelTag == nil)
        #expect(plan.entries[0].file == "sip.ld")
        #expect(plan.entries[2].file == "0004f2aabb01-lines.cfg")
        var vvx = Self.record(fetches: [], partNumber: nil)
        vvx.plan = BootPlan(record: vvx)
        let unexpanded = try #require(vvx.plan?.entries.first)
        #expect(unexpanded.file == "[PHONE_PART_NUMBER].sip.ld")
        #expect(unexpanded.unexpanded == ["[PHONE_PART_NUMBER]"])
    }

    @Test("the last complete copy is used, <mac>.cfg before 000000000000.cfg; an invalid one gives no plan")
    func chosenMaster() {
        let mac = Self.copy(Fixture.macConfig, template, first: 10)
        let fallback = Self.copy("000000000000.cfg", template, first: 20)
        let again = Self.copy(Fixture.macConfig, template, first: 30)
        #expect(BootPlan.chosenMaster([mac, fallback, again], mac: Fixture.mac) == again)
        #expect(BootPlan.chosenMaster([fallback], mac: Fixture.mac) == fallback)
        let big = MasterConfigCopy(
            file: Fixture.macConfig, server: Fixture.bootHost, fetchProtocol: .tftp, firstFrame: 40, lastFrame: 600,
            bytes: 300_000, content: .tooLarge(bytes: 300_000), timestamp: 0)
        #expect(BootPlan.chosenMaster([mac, big], mac: Fixture.mac) == mac)
        var record = Fixture.record()
        record.masterConfigs = [Self.copy(Fixture.macConfig, "<APPLICATION>", first: 10)]
        #expect(BootPlan(record: record) == nil)
    }

    @Test("stages: the updater's master and image, then the application's master and files; a DISCOVER restarts")
    func stages() {
        let fetches = [
            Fixture.fetch(Fixture.macConfig, requestFrames: [10]),
            Fixture.fetch("3111-46162-001.sip.ld", requestFrames: [20]),
            Fixture.fetch(Fixture.macConfig, requestFrames: [30]),
            Fixture.fetch("site.cfg", requestFrames: [40]),
            Fixture.fetch(Fixture.macConfig, requestFrames: [60]),
            Fixture.fetch(
                "0004f2aabb01-boot.log", requestFrames: [70], direction: .upload,
                detail: .http(
                    status: 200, user: nil, host: nil,
                    userAgent: "FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614 Type/Application")),
        ]
        let stages = FetchStage.stages(of: fetches, mac: Fixture.mac, boots: [1, 50])
        #expect(stages == [.updater, .updater, .application, .application, .updater, .application])
    }

    @Test("a kept body is bounded at 256 KiB and broken by a gap")
    func capturedBody() {
        var body = CapturedBody()
        body.append([UInt8](repeating: 0x41, count: 1000))
        #expect(body.isComplete && body.bytes.count == 1000)
        body.append([UInt8](repeating: 0x41, count: CapturedBody.limit))
        #expect(body.isTooLarge && body.bytes.isEmpty && body.total == CapturedBody.limit + 1000)
        var broken = CapturedBody()
        broken.append([1, 2, 3])
        broken.markGap()
        broken.append([4])
        #expect(!broken.isComplete && broken.bytes.isEmpty)
    }
}

@Suite("Master configuration files: kept from TFTP blocks")
struct MasterConfigTFTPTests {
    private let phone = IPv4Address(192, 0, 2, 100)
    private let server = IPv4Address(192, 0, 2, 1)

    /// A read of `text` as `<mac>.cfg` in blocks of 16 bytes (RFC 2348 blksize 16), leaving out
    /// the blocks in `skip`; returns what the analyzer kept of it.
    private func run(_ text: String, skip: Set<Int> = []) -> [MasterConfigCopy] {
        var analyzer = BootAnalyzer()
        let key = TFTPConversation.Key(client: self.phone, clientPort: 40000, server: self.server)
        var frame = 0
        func packet(_ content: TFTPPacket, fromServer: Bool, data: [UInt8]? = nil) -> DecodedPacket {
            frame += 1
            var packet = DecodedPacket(
                frameNumber: frame, timestamp: Int64(frame) * 1_000_000, sourceMAC: fromServer ? nil : Fixture.mac,
                destinationMAC: fromServer ? Fixture.mac : nil, vlans: VLANTags(),
                source: fromServer ? self.server : self.phone, destination: fromServer ? self.phone : self.server,
                sourcePort: fromServer ? 50000 : 40000, destinationPort: fromServer ? 40000 : 69,
                content: .tftp(content),
                tftpConversation: TFTPConversation(key: key, fromServer: fromServer, keepsData: true))
            packet.tftpData = data
            return packet
        }
        let request = TFTPRequest(filename: Fixture.macConfig, options: [TFTPOption(name: "blksize", value: "16")])
        _ = analyzer.consume(packet(.readRequest(request), fromServer: false))
        _ = analyzer.consume(
            packet(.optionAcknowledgment([TFTPOption(name: "blksize", value: "16")]), fromServer: true))
        let bytes = Array(text.utf8)
        var blocks = stride(from: 0, to: bytes.count, by: 16).map { Array(bytes[$0..<min($0 + 16, bytes.count)]) }
        if bytes.count % 16 == 0 { blocks.append([]) }
        for (index, block) in blocks.enumerated() {
            let number = UInt16(index + 1)
            if !skip.contains(index) {
                _ = analyzer.consume(
                    packet(.data(block: number, byteCount: block.count), fromServer: true, data: block))
            }
            _ = analyzer.consume(packet(.acknowledgment(block: number), fromServer: false))
        }
        return analyzer.finish().report.phones.first?.masterConfigs ?? []
    }

    @Test("the blocks of a master file are put together and read")
    func keptAndRead() throws {
        let copies = self.run(template)
        let copy = try #require(copies.first)
        #expect(copies.count == 1)
        #expect(copy.bytes == template.utf8.count)
        #expect(copy.masterConfig?.attributes["APP_FILE_PATH"] == "sip.ld")
    }

    @Test("a block the capture missed leaves the file unread, and says so")
    func gapLeavesItUnread() throws {
        let copy = try #require(self.run(template, skip: [2]).first)
        guard case .notHeld = copy.content else {
            Issue.record("expected not-held, got \(copy.content)")
            return
        }
    }
}
