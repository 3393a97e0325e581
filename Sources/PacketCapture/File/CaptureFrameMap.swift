/// Where the frames of a capture read from several files came from.
///
/// A merged capture numbers its frames 1…N in merged order. The map keeps runs, "merged frames
/// a…b are file F's frames c…d", rather than one entry a frame, so that it grows with the
/// number of times reading switched files, not with the number of frames: a ring buffer (files
/// that follow each other) is one run a file. Files whose times overlap interleave, and each
/// switch starts a run.
public struct CaptureFrameMap: Hashable, Sendable {
    /// Consecutive merged frames that are consecutive frames of one file.
    public struct Run: Hashable, Sendable {
        /// The first merged frame number of the run.
        public var firstFrame: Int
        /// The file, as an index into ``CaptureFrameMap/paths``.
        public var file: Int
        /// The file's own number for the run's first frame (as Wireshark numbers it in that file).
        public var firstFileFrame: Int
        /// Frames in the run.
        public var count: Int

        /// The last merged frame number of the run.
        public var lastFrame: Int { self.firstFrame + self.count - 1 }
        /// The file's own number for the run's last frame.
        public var lastFileFrame: Int { self.firstFileFrame + self.count - 1 }
    }

    /// The files, in the order they were given.
    public let paths: [String]
    /// The runs, in merged order.
    public private(set) var runs: [Run] = []

    public init(paths: [String]) {
        self.paths = paths
    }

    /// Frames numbered so far.
    public var frames: Int { self.runs.last?.lastFrame ?? 0 }

    /// Numbers the next `count` merged frames: file `file`'s frames from `firstFileFrame` on.
    mutating func append(file: Int, firstFileFrame: Int, count: Int) {
        guard count > 0 else { return }
        if let last = self.runs.indices.last, self.runs[last].file == file,
            self.runs[last].lastFileFrame + 1 == firstFileFrame
        {
            self.runs[last].count += count
        } else {
            self.runs.append(Run(firstFrame: self.frames + 1, file: file, firstFileFrame: firstFileFrame, count: count))
        }
    }

    /// Numbers the next merged frame: frame `fileFrame` of file `file`. Returns its merged number.
    mutating func append(file: Int, fileFrame: Int) -> Int {
        let number = self.frames + 1
        if let last = self.runs.indices.last, self.runs[last].file == file,
            self.runs[last].lastFileFrame + 1 == fileFrame
        {
            self.runs[last].count += 1
        } else {
            self.runs.append(Run(firstFrame: number, file: file, firstFileFrame: fileFrame, count: 1))
        }
        return number
    }

    /// The file and that file's own frame number of merged frame `frame`, or `nil` when there
    /// is no such frame.
    public func origin(of frame: Int) -> (file: Int, frame: Int)? {
        // The last run that starts at or before `frame` (runs are sorted by firstFrame).
        var low = 0
        var high = self.runs.count
        while low < high {
            let middle = (low + high) / 2
            if self.runs[middle].firstFrame <= frame { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let run = self.runs[low - 1]
        guard frame <= run.lastFrame else { return nil }
        return (run.file, run.firstFileFrame + frame - run.firstFrame)
    }

    /// The runs of file `file`, in merged order.
    public func runs(ofFile file: Int) -> [Run] {
        self.runs.filter { $0.file == file }
    }
}
