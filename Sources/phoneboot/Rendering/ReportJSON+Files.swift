import PacketCapture

extension ReportJSON {
    /// A capture read from several files: one object a file, in the order given, with `file`,
    /// `linkType`, `frames` (its records read), `firstFrame` and `lastFrame` (the capture's
    /// frame numbers its frames span; absent when it had none), `runs` (each `frames: [a, b]`
    /// of the capture that are `fileFrames: [c, d]` of this file: one run for a file of a ring
    /// buffer, more when files overlap in time), and `problem` and `damage` when it had some.
    static func files(_ map: CaptureFrameMap, inputs: [MergedCapture.Input]) -> JSONValue {
        .array(
            map.paths.enumerated().map { index, path in
                let input = inputs.indices.contains(index) ? inputs[index] : nil
                let runs = map.runs(ofFile: index)
                var members: [(String, JSONValue)] = [
                    ("file", .string(path)),
                    ("linkType", .optional(input?.linkTypeName)),
                    ("frames", .int(input?.framesRead ?? 0)),
                ]
                if let first = runs.first, let last = runs.last {
                    members += [("firstFrame", .int(first.firstFrame)), ("lastFrame", .int(last.lastFrame))]
                }
                members.append(
                    (
                        "runs",
                        .array(
                            runs.map { run in
                                .object([
                                    ("frames", .array([.int(run.firstFrame), .int(run.lastFrame)])),
                                    ("fileFrames", .array([.int(run.firstFileFrame), .int(run.lastFileFrame)])),
                                ])
                            })
                    ))
                if let problem = Self.problem(of: input) { members.append(("problem", .string(problem))) }
                if let damage = input?.damage, !damage.isEmpty { members.append(("damage", Self.damage(damage))) }
                return .object(members)
            })
    }

    /// A frame of a capture read from several files as `{"file": …, "frame": …}`: the file it
    /// came from and its number there.
    static func origin(_ frame: Int, _ map: CaptureFrameMap) -> JSONValue {
        guard let origin = map.origin(of: frame) else { return .null }
        return .object([("file", .string(map.paths[origin.file])), ("frame", .int(origin.frame))])
    }

    /// What went wrong with one file of several: it was not read, or how it ended.
    private static func problem(of input: MergedCapture.Input?) -> String? {
        if let error = input?.error { return "error: \(error)" }
        switch input?.end {
        case .truncated(let warning)?: return "warning: \(warning)"
        case .failed(let error)?: return "\((input?.framesRead ?? 0) > 0 ? "warning" : "error"): \(error)"
        case .complete?, nil: return nil
        }
    }
}
