import PacketCapture

extension ReportTable {
    /// The heading's name for a capture read from several files: `3 files as one capture`.
    static func captureName(_ map: CaptureFrameMap) -> String {
        "\(map.paths.count) files as one capture"
    }

    /// Under the heading of a capture read from several files, a line a file: which of the
    /// capture's frames are its frames (`frames #401-800 are ring_2.pcap #1-400`), or, when its
    /// frames interleave with another file's, how many runs and between which frames; how it
    /// ended when that was not cleanly; damage skipped in it.
    static func fileLines(_ map: CaptureFrameMap, inputs: [MergedCapture.Input]) -> [String] {
        var lines: [String] = []
        for (index, path) in map.paths.enumerated() {
            let input = inputs.indices.contains(index) ? inputs[index] : nil
            if let error = input?.error {
                lines.append(
                    "  \(path): not read (\(error.kind): \(error.reason)" + (error.hint.map { "; \($0)" } ?? "") + ")")
                continue
            }
            let runs = map.runs(ofFile: index)
            var line: String
            if let first = runs.first, let last = runs.last {
                let frames = runs.reduce(0) { $0 + $1.count }
                let own = "\(path) #\(first.firstFileFrame)-\(last.lastFileFrame)"
                line =
                    runs.count == 1
                    ? "  frames #\(first.firstFrame)-\(first.lastFrame) are \(own)"
                    : "  frames #\(first.firstFrame)-\(last.lastFrame) include \(own) (\(frames) frames in \(runs.count) runs, "
                        + "interleaved in time with other files)"
            } else {
                line = "  \(path): no frames"
            }
            switch input?.end {
            case .truncated(let warning)?: line += "; \(warning)"
            case .failed(let error)?: line += "; \(error.reason)"
            case .complete?, nil: break
            }
            for damage in input?.damage ?? [] { line += "; " + Self.damageText(damage) }
            lines.append(line)
        }
        return lines
    }

    /// A frame as the table cites it: `#1190`, and with several files, which file's frame it
    /// is: `#1190 (ring_3.pcap #390)`.
    static func frameText(_ frame: Int, _ map: CaptureFrameMap?) -> String {
        guard let map, let origin = map.origin(of: frame) else { return "#\(frame)" }
        return "#\(frame) (\(map.paths[origin.file]) #\(origin.frame))"
    }

    /// A span of frames as the table cites it: `#15-1189`, and with several files, where it
    /// begins and ends: `#15-1189 (ring_1.pcap #15 to ring_3.pcap #389)`.
    static func framesText(_ first: Int, _ last: Int, _ map: CaptureFrameMap?) -> String {
        guard first != last else { return Self.frameText(first, map) }
        let span = "#\(first)-\(last)"
        guard let map, let start = map.origin(of: first), let end = map.origin(of: last) else { return span }
        guard start.file != end.file else { return "\(span) (\(map.paths[start.file]) #\(start.frame)-\(end.frame))" }
        return "\(span) (\(map.paths[start.file]) #\(start.frame) to \(map.paths[end.file]) #\(end.frame))"
    }
}
