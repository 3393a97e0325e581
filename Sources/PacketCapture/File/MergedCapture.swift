/// Several capture files read as one capture, their frames merged in timestamp order: the
/// files of a ring buffer (`tcpdump -C/-G -w`, `dumpcap -b`), or captures of one event taken
/// in several places.
///
/// ```swift
/// var capture = MergedCapture(paths: ["ring_00001.pcap", "ring_00002.pcap"])
/// capture.forEachFrame { header, bytes, origin in
///     print(header.number, capture.frameMap.paths[origin.file], origin.frame)
/// }
/// ```
///
/// The merge is stable: the next frame is the earliest pending one, and of frames with the
/// same time the one from the file given first; each file's own order is kept. Files that
/// follow each other (a ring buffer) are therefore read one after the other. Frames are
/// numbered 1…N in merged order, and ``frameMap`` says which file and which of its frames each
/// number is. One file reads exactly as ``CaptureFile`` reads it, with the same numbers.
///
/// A file is opened when the merge reaches the time of its first record (each file's first
/// record is read once when the merge is made, for that time), and closed when it ends: a ring
/// buffer of many files holds one or two open at a time. Standard input (`-`) and the first
/// file stay open from the start. Nothing is copied: a pending frame is libpcap's buffer of its
/// own handle, which is read again only after that frame was delivered.
///
/// All files must share the first readable file's link type; one that does not is not read
/// (its ``Input/error`` says why), like one that cannot be opened.
public struct MergedCapture: ~Copyable {
    /// One of the files and how reading it went.
    public struct Input: Sendable {
        /// The file as the user named it (`-` for standard input).
        public let path: String
        /// Its link type, once it was opened.
        public internal(set) var linkTypeName: String?
        /// Why it was not read: it could not be opened, or its link type is not the capture's.
        public internal(set) var error: CaptureError?
        /// How it ended, once it has.
        public internal(set) var end: CaptureEnd?
        /// The damaged spans skipped in it, in file order; its own frame numbers.
        public internal(set) var damage: [CaptureDamage] = []
        /// Its records read so far, whether or not the filter passed them.
        public internal(set) var framesRead = 0
        /// The file's size, once it was opened (`nil` for standard input).
        public internal(set) var size: Int?
    }

    /// The files, in the order given.
    public private(set) var inputs: [Input]
    /// Which file, and which of its frames, each merged frame number is.
    public private(set) var frameMap: CaptureFrameMap
    /// The capture's link type (a `DLT_*` value): the first readable file's.
    public let linkType: Int32?
    /// libpcap's name for ``linkType``.
    public let linkTypeName: String?

    private let filter: String?
    private var readers: [Reader]
    /// Readers that are open and have a pending frame.
    private var active: [Int] = []
    /// Readers not yet open, by the time of their first record (then by file order).
    private var waiting: [Int] = []
    /// The next of ``waiting`` to open.
    private var nextWaiting = 0

    /// Opens every file and reads its first record; keeps open only standard input and the
    /// first readable file. A file that cannot be opened is recorded in ``inputs``, not thrown.
    public init(paths: [String], filter: String? = nil) {
        var inputs = paths.map { Input(path: $0) }
        var readers: [Reader] = []
        var linkType: Int32?
        var linkTypeName: String?
        var firstPath = ""
        var active: [Int] = []
        var waiting: [Int] = []
        for (index, path) in paths.enumerated() {
            let reader = Reader()
            readers.append(reader)
            let file: CaptureFile
            do {
                file = try CaptureFile(path: path, filter: filter)
            } catch {
                inputs[index].error = error
                continue
            }
            inputs[index].linkTypeName = file.linkTypeName
            inputs[index].size = file.fileSize
            if let linkType, let linkTypeName, file.linkType != linkType {
                inputs[index].error = CaptureError(
                    kind: .unsupportedLinkType, path: path,
                    reason: "\(file.linkTypeName) (DLT \(file.linkType)), while \(firstPath) is \(linkTypeName)",
                    hint: "the files of one capture share a link type: read this one on its own"
                )
                continue
            }
            let keepOpen = linkType == nil || path == "-"
            if linkType == nil {
                linkType = file.linkType
                linkTypeName = file.linkTypeName
                firstPath = path
            }
            reader.file = consume file
            reader.advance(&inputs[index])
            guard let first = reader.pending?.header.timestamp else { continue }  // it ended already
            if keepOpen {
                active.append(index)
            } else {
                // Reopened when the merge reaches its first record's time.
                reader.firstTimestamp = first
                reader.pending = nil
                reader.file = nil
                inputs[index].framesRead = 0
                inputs[index].damage = []
                waiting.append(index)
            }
        }
        waiting.sort { lhs, rhs in
            (readers[lhs].firstTimestamp ?? Timestamp(seconds: 0, nanoseconds: 0), lhs)
                < (readers[rhs].firstTimestamp ?? Timestamp(seconds: 0, nanoseconds: 0), rhs)
        }
        self.inputs = inputs
        self.readers = readers
        self.active = active
        self.waiting = waiting
        self.linkType = linkType
        self.linkTypeName = linkTypeName
        self.filter = filter
        self.frameMap = CaptureFrameMap(paths: paths)
    }

    /// Calls `body` with every frame that passes the filter, in merged order: its header (with
    /// its merged number), its bytes (valid only during the call), and where it came from (the
    /// file's index in ``inputs`` and that file's own frame number).
    ///
    /// Every file is read to its end; how each ended is in ``inputs``.
    /// - Throws: only what `body` throws; reading stops at once.
    /// `progress` is called every `progressInterval` frames (never when it is 0) with how much
    /// has been read.
    public mutating func forEachFrame<Failure: Error>(
        progressInterval: Int = 0, progress: (ReadProgress) -> Void = { _ in },
        _ body: (FrameHeader, Span<UInt8>, _ origin: (file: Int, frame: Int)) throws(Failure) -> Void
    ) throws(Failure) {
        var untilProgress = progressInterval
        /// True every `progressInterval` frames (never when it is 0).
        func progressIsDue() -> Bool {
            guard progressInterval > 0 else { return false }
            untilProgress -= 1
            guard untilProgress <= 0 else { return false }
            untilProgress = progressInterval
            return true
        }
        while let index = self.nextReader() {
            let reader = self.readers[index]
            // The only file open with none left to open (one file, or a ring buffer's last):
            // its frames are delivered one after the other without looking at the others,
            // read straight from the file, without the shared reader in between (whose every
            // access is checked at run time).
            if self.active.count == 1 && self.nextWaiting == self.waiting.count, var file = reader.file.take() {
                if let pending = reader.pending.take() {
                    if progressIsDue() { progress(self.readProgress(reading: index, at: file.position)) }
                    try self.deliver(pending, from: index, body)
                }
                // The rest in runs between progress reports, each record handed on as libpcap
                // gives it: no pending record kept, nor the file's count or the frame map
                // stored, per frame (the map takes each run whole, also when `body` throws).
                let run = progressInterval > 0 ? progressInterval : Int.max
                while true {
                    let firstFileFrame = file.framesRead + 1
                    var number = self.frameMap.frames
                    let read = Result { () throws(Failure) in
                        try file.readRecords(limit: run) { header, bytes, passesFilter throws(Failure) in
                            number += 1
                            guard passesFilter else { return }
                            var header = header
                            let fileFrame = header.number
                            header.number = number
                            try body(header, bytes.span, (index, fileFrame))
                        }
                    }
                    self.frameMap.append(
                        file: index, firstFileFrame: firstFileFrame, count: number - self.frameMap.frames)
                    self.inputs[index].framesRead = file.framesRead
                    let end = try read.get()
                    if let end {
                        self.inputs[index].end = end
                        self.inputs[index].damage = file.damage
                        break
                    }
                    progress(self.readProgress(reading: index, at: file.position))
                }
                // The file ended, and is closed as it goes out of scope.
                self.active.removeAll { $0 == index }
                continue
            }
            // One frame, then the merge looks again.
            if let pending = reader.pending {
                if progressIsDue() { progress(self.readProgress) }
                try self.deliver(pending, from: index, body)
                reader.pending = nil
                reader.advance(&self.inputs[index])
            }
            if reader.pending == nil { self.active.removeAll { $0 == index } }
        }
    }

    /// Numbers a frame of file `index` in the merge and calls `body` with it when it passes
    /// the filter.
    @inline(__always)
    private mutating func deliver<Failure: Error>(
        _ pending: Reader.Pending, from index: Int,
        _ body: (FrameHeader, Span<UInt8>, _ origin: (file: Int, frame: Int)) throws(Failure) -> Void
    ) throws(Failure) {
        var header = pending.header
        let fileFrame = header.number
        header.number = self.frameMap.append(file: index, fileFrame: fileFrame)
        if pending.passesFilter { try body(header, pending.bytes.span, (index, fileFrame)) }
    }

    /// How much of the files has been read: ended files whole, open ones up to libpcap's
    /// position, files not yet reached not at all.
    public var readProgress: ReadProgress {
        self.readProgress(reading: nil, at: nil)
    }

    /// ``readProgress``, the file at index `reading` being read outside its reader, at `position`.
    private func readProgress(reading: Int?, at position: Int?) -> ReadProgress {
        var read = 0
        var total: Int? = 0
        var frames = 0
        for (index, input) in self.inputs.enumerated() {
            frames += input.framesRead
            if let size = input.size {
                total = total.map { $0 + size }
            } else if input.error == nil {
                total = nil
            }
            if input.end != nil {
                read += input.size ?? 0
            } else if let position = index == reading ? position : self.readers[index].file?.position {
                read += position
            }
        }
        return ReadProgress(bytesRead: read, totalBytes: total, frames: frames)
    }

    /// The reader whose pending frame comes next, opening files the merge has reached; `nil`
    /// when every file has ended.
    private mutating func nextReader() -> Int? {
        while true {
            var best: (time: Timestamp, index: Int)?
            for index in self.active {
                guard let time = self.readers[index].pending?.header.timestamp else { continue }
                if best.map({ (time, index) < ($0.time, $0.index) }) ?? true { best = (time, index) }
            }
            guard self.nextWaiting < self.waiting.count else { return best?.index }
            let candidate = self.waiting[self.nextWaiting]
            let reader = self.readers[candidate]
            if let best, let first = reader.firstTimestamp, (best.time, best.index) < (first, candidate) {
                return best.index
            }
            // The merge has reached this file: open it again, and its first record is pending.
            self.nextWaiting += 1
            do {
                reader.file = try CaptureFile(path: self.inputs[candidate].path, filter: self.filter)
            } catch {
                self.inputs[candidate].error = error
                continue
            }
            reader.advance(&self.inputs[candidate])
            if reader.pending != nil { self.active.append(candidate) }
        }
    }
}

@available(*, unavailable)
extension MergedCapture: Sendable {}

/// One file of a merge: the open ``CaptureFile`` (a class holds it, as arrays cannot hold a
/// non-copyable value) and its pending record.
private final class Reader {
    /// A record read and not yet delivered; its bytes are valid until its file is read again.
    typealias Pending = (header: FrameHeader, bytes: UnsafeBufferPointer<UInt8>, passesFilter: Bool)

    var file: CaptureFile?
    var pending: Pending?
    /// While the file waits to be opened: its first record's time.
    var firstTimestamp: Timestamp?

    /// Reads the next record into ``pending``; at the end, records how the file ended in
    /// `input` and closes it.
    func advance(_ input: inout MergedCapture.Input) {
        guard var file = self.file.take() else { return }
        self.pending = Self.next(from: &file, into: &input)
        if self.pending != nil { self.file = consume file }
    }

    /// The next record of `file`, its count of frames read kept in `input`; `nil` at the end,
    /// how the file ended then recorded in `input`.
    @inline(__always)
    static func next(from file: inout CaptureFile, into input: inout MergedCapture.Input) -> Pending? {
        let record = file.nextRecord()
        input.framesRead = file.framesRead
        switch record {
        case .frame(let header, let bytes, let passesFilter):
            return (header, bytes, passesFilter)
        case .end(let end):
            input.end = end
            input.damage = file.damage
            return nil
        }
    }
}
