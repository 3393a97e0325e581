import BootAnalysis
import Foundation
import PacketCapture
import Testing
import WireFormats

/// `BootAnalyzer.Options.collectsEvents`: a renderer that shows only the report (JSON, JUnit,
/// the table) has the analyzer build no event, and gets the same report.
@Suite("Events only for a renderer that renders them")
struct AnalyzerEventsTests {
    /// The report of `file` and every event the analyzer returned, with events on or off.
    private static func analyse(_ file: URL, collectsEvents: Bool) throws -> (report: BootReport, events: [BootEvent]) {
        var capture = try CaptureFile(path: file.path)
        var classifier = PacketClassifier(linkType: LinkType(rawValue: capture.linkType))
        var options = BootAnalyzer.Options()
        options.collectsEvents = collectsEvents
        var analyzer = BootAnalyzer(options: options)
        var events: [BootEvent] = []
        let last = ClassifiedFrames.forEachPacket(of: &capture, classifier: &classifier) { packet in
            events += analyzer.consume(packet)
        }
        let (report, finalEvents) = analyzer.finish(captureEnd: last)
        return (report, events + finalEvents)
    }

    @Test("every project capture: the same report with events off, and no event built")
    func sameReportWithoutEvents() throws {
        let files = TestCaptures.projectFiles + TestCaptures.malformedFiles
        #expect(files.count >= 10, "captures/ has \(files.count) captures")
        var eventsWhenOn = 0
        for file in files {
            let on = try Self.analyse(file, collectsEvents: true)
            let off = try Self.analyse(file, collectsEvents: false)
            #expect(off.report == on.report, "\(file.lastPathComponent): the report changed with events off")
            #expect(off.events.isEmpty, "\(file.lastPathComponent): \(off.events.count) events built with events off")
            eventsWhenOn += on.events.count
        }
        // Not a vacuous comparison: with events on, the captures say plenty.
        #expect(eventsWhenOn > 100, "only \(eventsWhenOn) events with events on")
    }
}
