import BootAnalysis
import Testing
import WireFormats

@Suite("Polycom catalogue (polycom-boot.md §5)")
struct PolycomCatalogueTests {
    @Test(
        "OUIs",
        arguments: [
            ("00:04:f2:01:02:03", true), ("64:16:7f:0a:0b:0c", true), ("48:25:67:00:00:01", true),
            ("00:0c:29:1f:74:06", false),
        ])
    func ouis(mac: String, polycom: Bool) throws {
        #expect(PolycomCatalogue.isPolycom(try #require(MACAddress(mac))) == polycom)
    }

    @Test("part numbers, model strings and firmware file names name the product")
    func models() {
        #expect(PolycomCatalogue.model(partNumber: "3111-46162-001,1")?.productName == "VVX 410")
        #expect(PolycomCatalogue.model(partNumber: "2345-12500-001")?.productName == "SoundPoint IP 550")
        // The part before the revision, after any leading commas; nothing for no part at all.
        #expect(PolycomCatalogue.model(partNumber: ",3111-46162-001,,2")?.productName == "VVX 410")
        #expect(PolycomCatalogue.model(partNumber: "") == nil)
        #expect(PolycomCatalogue.model(partNumber: ",,,") == nil)
        #expect(PolycomCatalogue.model(partNumber: "3111-46162-0011") == nil)
        // A comma with a combining mark is no separator: the whole text is no part number.
        #expect(PolycomCatalogue.model(partNumber: "3111-46162-001,\u{301}1") == nil)
        #expect(PolycomCatalogue.model(partNumber: "3111-46162-001,é")?.productName == "VVX 410")
        #expect(PolycomCatalogue.productName(modelString: "VVX-VVX_410") == "VVX 410")
        #expect(PolycomCatalogue.productName(modelString: "SoundPointIP-SPIP_601") == "SoundPoint IP 601")
        #expect(PolycomCatalogue.productName(modelString: "VVX410") == "VVX 410")
        #expect(PolycomCatalogue.partNumber(inFileName: "3111-46162-001.sip.ld") == "3111-46162-001")
        #expect(PolycomCatalogue.partNumber(inFileName: "2345-12450-001.bootrom.ld") == "2345-12450-001")
        #expect(PolycomCatalogue.partNumber(inFileName: "sip.ld") == nil)
        // The base name (after the last non-trailing slash), three non-empty groups of digits.
        #expect(PolycomCatalogue.partNumber(inFileName: "/tftp/3111-46162-001.sip.ld") == "3111-46162-001")
        #expect(PolycomCatalogue.partNumber(inFileName: "a/3111-46162-001.sip.ld//") == "3111-46162-001")
        #expect(PolycomCatalogue.partNumber(inFileName: "1-2-3.sip.ld") == "1-2-3")
        #expect(PolycomCatalogue.partNumber(inFileName: "3111-46162.sip.ld") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: "3111-46162-001-9.sip.ld") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: "3111--001.sip.ld") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: "3111-46162-.sip.ld") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: "-46162-001.sip.ld") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: "3111-4616a-001.sip.ld") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: "3111-46162-001.SIP.LD") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: ".sip.ld") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: "") == nil)
        #expect(PolycomCatalogue.partNumber(inFileName: "3111-46162-001.sip.ld/x") == nil)
        // Not ASCII: read by characters, to the same answers.
        #expect(PolycomCatalogue.partNumber(inFileName: "é/3111-46162-001.sip.ld") == "3111-46162-001")
        #expect(PolycomCatalogue.partNumber(inFileName: "3111-46162-00é.sip.ld") == nil)
    }

    @Test("master configuration names: 12 lowercase hex digits and .cfg, as the last part of the path")
    func masterConfigNames() {
        for name in ["0004f2a1b2c3.cfg", "000000000000.cfg", "/tftp/0004f2a1b2c3.cfg", "é/0004f2a1b2c3.cfg"] {
            #expect(PolycomCatalogue.isMasterConfigName(name), "\(name)")
        }
        for name in [
            "x0004f2a1b2c3.cfg", "0004F2A1B2C3.cfg", "0004f2a1b2c3.CFG", "0004f2a1b2c.cfg", "0004f2a1b2cg.cfg",
            "0004f2a1b2c3.cf", "0004f2a1b2c3-phone.cfg", "", "/", "0004f2a1b2c3.cfg/",
        ] {
            #expect(!PolycomCatalogue.isMasterConfigName(name), "\(name)")
        }
    }

    @Test("file kinds follow the boot sequence")
    func fileKinds() throws {
        let mac = try #require(MACAddress("00:04:f2:a1:b2:c3"))
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3.cfg", mac: mac) == .macConfig)
        #expect(PolycomCatalogue.fileKind("000000000000.cfg", mac: mac) == .defaultConfig)
        #expect(PolycomCatalogue.fileKind("3111-46162-001.sip.ld", mac: mac) == .application)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3-app.log", mac: mac) == .log)
        #expect(PolycomCatalogue.fileKind("phone1.cfg", mac: mac) == .other)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3-directory.xml", mac: mac) == .optional)
        #expect(PolycomCatalogue.fileKind("000000000000-license.cfg", mac: mac) == .optional)
        #expect(PolycomCatalogue.fileKind("0004F2A1B2C3-phone.cfg", mac: mac) == .optional)
        #expect(PolycomCatalogue.fileKind("site-directory.xml", mac: mac) == .other)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2-directory.xml", mac: mac) == .other)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3-web.cfg", mac: mac) == .optional)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3-system.cfg", mac: mac) == .optional)
        #expect(PolycomCatalogue.fileKind("a/0004f2a1b2c3-license.cfg", mac: mac) == .optional)
        #expect(PolycomCatalogue.fileKind("x0004f2a1b2c3-web.cfg", mac: mac) == .other)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3-web.xml", mac: mac) == .other)
        #expect(PolycomCatalogue.fileKind("-directory.xml", mac: mac) == .other)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3-system.cfg", mac: mac) == .optional)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3-phone.xml", mac: mac) == .other)
        // Not ASCII: compared as text, and no stem of twelve hex digits either way.
        #expect(PolycomCatalogue.fileKind("0004f2a1b2cé-phone.cfg", mac: mac) == .other)
        #expect(PolycomCatalogue.fileKind("0004f2a1b2c3-phone.cfg\u{301}", mac: mac) == .other)
        #expect(PolycomCatalogue.isProvisioningFile("0004f2a1b2c3-directory.xml"))
        #expect(!PolycomCatalogue.isProvisioningFile("pxelinux.0"))
    }
}
