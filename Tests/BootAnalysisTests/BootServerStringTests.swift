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
        // Read from the string for a login only; a user without one has none.
        #expect(url.password == "PlcmSpIp")
        #expect(BootServerString("http://phone:p@ss:w0rd@192.0.2.1/").password == "p@ss:w0rd")
        #expect(BootServerString("ftp://PlcmSpIp@192.0.2.10").password == nil)
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

    @Test(
        "quote characters sent as data are named, and the value without them is usable",
        arguments: [
            ("\"192.0.2.1\"", "192.0.2.1"), ("\"tftp://192.0.2.1\"", "tftp://192.0.2.1"),
            ("'http://prov.example.com/phones'", "http://prov.example.com/phones"), ("''192.0.2.1''", "192.0.2.1"),
            ("ftp://\"PlcmSpIp\":PlcmSpIp@192.0.2.1", "ftp://PlcmSpIp:PlcmSpIp@192.0.2.1"),
        ])
    func quoteCharacters(value: String, meant: String) {
        let string = BootServerString(value)
        #expect(string.hasQuoteCharacters)
        #expect(string.problem == "it carries quote characters, which the phone reads as part of the value")
        #expect(string.withoutQuoteCharacters.raw == meant)
        #expect(string.withoutQuoteCharacters.problem == nil)
        #expect(!string.withoutQuoteCharacters.hasQuoteCharacters)
    }

    @Test("an apostrophe inside a path is not quoting")
    func apostrophe() {
        let string = BootServerString("http://prov.example.com/o'brien/")
        #expect(!string.hasQuoteCharacters)
        #expect(string.problem == nil)
        #expect(string.withoutQuoteCharacters == string)
    }

    @Test("quoted: between quotes, with quotes, backslashes and control characters escaped, the password masked")
    func quoted() {
        #expect(BootServerString("\"192.0.2.1\"").quoted == #""\"192.0.2.1\"""#)
        #expect(BootServerString("tftp://192.0.2.1").quoted == #""tftp://192.0.2.1""#)
        #expect(BootServerString(#"\\server\share"#).quoted == #""\\\\server\\share""#)
        #expect(BootServerString("192.0.2.1\u{1}\n").quoted == #""192.0.2.1\x01\x0a""#)
        #expect(BootServerString("\"ftp://u:secret@192.0.2.1\"").quoted == #""\"ftp://u:***@192.0.2.1\"""#)
        #expect(BootServerString("").quoted == #""""#)
    }

    @Test(
        "quoted reads back as the masked value, and nothing is left quoted: every string of up to 4 tricky characters, a combining mark among them"
    )
    func quotedRoundTrip() {
        let alphabet: [String] = ["\"", "'", "\\", "a", "\u{1}", " ", "\u{7F}", "é", "\u{301}"]
        var strings = [""]
        var frontier = [""]
        for _ in 1...4 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + $0 } }
            strings += frontier
        }
        for raw in strings {
            let string = BootServerString(raw)
            #expect(Self.unquote(string.quoted) == string.masked, "\(raw.debugDescription) -> \(string.quoted)")
            #expect(string.shown == string.masked || string.shown == string.quoted)
            #expect(!string.withoutQuoteCharacters.hasQuoteCharacters, "\(raw.debugDescription)")
        }
    }

    /// The text inside `quoted`'s quotes with its escapes undone; `nil` if it is not one
    /// well-formed quoted string.
    private static func unquote(_ quoted: String) -> String? {
        var scalars = Array(quoted.unicodeScalars)
        guard scalars.count >= 2, scalars.removeFirst() == "\"", scalars.removeLast() == "\"" else { return nil }
        var text = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar != "\"", scalar.value >= 0x20, scalar.value != 0x7F else { return nil }
            guard scalar == "\\" else {
                text.append(scalar)
                index += 1
                continue
            }
            guard index + 1 < scalars.count else { return nil }
            switch scalars[index + 1] {
            case "\"", "\\":
                text.append(scalars[index + 1])
                index += 2
            case "x":
                guard index + 3 < scalars.count,
                    let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 2)...(index + 3)])), radix: 16),
                    let decoded = Unicode.Scalar(value)
                else { return nil }
                text.append(decoded)
                index += 4
            default:
                return nil
            }
        }
        return String(text)
    }

    @Test("shown: plain when unambiguous, else quoted")
    func shown() {
        #expect(BootServerString("ftp://PlcmSpIp:PlcmSpIp@192.0.2.1").shown == "ftp://PlcmSpIp:***@192.0.2.1")
        #expect(BootServerString("\"192.0.2.1\"").shown == #""\"192.0.2.1\"""#)
        #expect(BootServerString("192.0.2.1 ").shown == #""192.0.2.1 ""#)
        #expect(BootServerString("").shown == #""""#)
        #expect(BootServerString("tftp://prov.example.com/o'brien").shown == "tftp://prov.example.com/o'brien")
    }
}
