import BootAnalysis
import Testing

@Suite("Boot-server strings (polycom-boot.md §3)")
struct BootServerStringTests {
    @Test("URLs split into scheme, user, host, port and path; passwords are masked")
    func parts() {
        let url = BootServerString("ftp://PlcmSpIp:PlcmSpIp@192.0.2.10:2121/phones/")
        #expect(url.scheme == "ftp")
        #expect(url.user == "PlcmSpIp")
        #expect(url.hasPassword)
        #expect(url.host == "192.0.2.10")
        #expect(url.port == 2121)
        #expect(url.path == "/phones/")
        #expect(url.masked == "ftp://PlcmSpIp:***@192.0.2.10:2121/phones/")
        #expect(!url.masked.contains("PlcmSpIp@"))
        #expect(url.problem == nil)
    }

    @Test(
        "plain addresses and host names are usable",
        arguments: ["192.0.2.1", "prov.example.com", "tftp://192.0.2.1", "https://prov.example.com/polycom/"])
    func usable(value: String) {
        #expect(BootServerString(value).problem == nil)
    }

    @Test(
        "strings a phone cannot use are named",
        arguments: [
            "", "192.0.2.1 ", "sftp://192.0.2.1", "http://", "192.0.2.300", "http://prov.example.com/a%20b",
            "\\\\server\\share",
        ])
    func unusable(value: String) {
        #expect(BootServerString(value).problem != nil)
    }
}
