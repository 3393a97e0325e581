/// Finds where a damaged capture can be read again, the way pcapfix does: from the byte where
/// libpcap gave up, the next offset holding a plausible record header (sane lengths, a
/// timestamp near the last good one, the record after it plausible too), and the stream prefix
/// libpcap needs to read on from there.
///
/// It walks record and block headers only, never frame contents: libpcap reads the frames.
struct CaptureResync {
    /// The two file formats libpcap reads.
    enum Format: Equatable {
        /// Classic pcap: 24-byte file header, 16-byte record headers.
        case pcap(nanosecond: Bool, snapshotLength: Int)
        /// pcapng: blocks with a leading and trailing total length.
        case pcapng
    }

    /// The largest captured length a record may claim (libpcap's own maximum for most link types).
    static let maximumCapturedLength = 262_144
    /// The largest pcapng block accepted (libpcap's limit).
    static let maximumBlockLength = 16 * 1024 * 1024
    /// How far a resynchronised record's timestamp may lie after the last good one, in seconds.
    static let maximumForwardJump: Int64 = 3_600
    /// How far it may lie before it, in seconds.
    static let maximumBackwardJump: Int64 = 60

    private static let sectionHeader: UInt32 = 0x0A0D_0D0A
    private static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    private static let interfaceDescription: UInt32 = 1
    private static let packetBlocks: Set<UInt32> = [2, 3, 6]
    private static let otherBlocks: Set<UInt32> = [4, 5, 9, 0x0A, 0xBAD, 0x4000_0BAD]

    let format: Format
    /// Whether the file's numbers are big-endian.
    let bigEndian: Bool
    /// pcap: the 24-byte file header. pcapng: the current section header block.
    private(set) var header: [UInt8]
    /// pcapng: the interface description blocks of the current section, in order.
    private(set) var interfaces: [[UInt8]] = []
    /// Where the stream libpcap reads now began in the file.
    private(set) var segmentStart: Int

    /// Reads the format from the file's first bytes, or `nil` when libpcap could not have read it.
    init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 24 else { return nil }
        let magic = bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        switch magic {
        case 0xA1B2_C3D4, 0xA1B2_3C4D, 0xD4C3_B2A1, 0x4D3C_B2A1:
            let nanosecond = magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1
            self.bigEndian = (magic == 0xD4C3_B2A1 || magic == 0x4D3C_B2A1) == (1.littleEndian == 1)
            let snapshot = Self.load(bytes, 16, bigEndian: self.bigEndian)
            self.format = .pcap(nanosecond: nanosecond, snapshotLength: Int(snapshot))
            self.header = Array(bytes[0..<24])
            self.segmentStart = 24
        case Self.sectionHeader:
            let order = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
            if order == Self.byteOrderMagic.littleEndian {
                self.bigEndian = false
            } else if order == Self.byteOrderMagic.bigEndian {
                self.bigEndian = true
            } else {
                return nil
            }
            self.format = .pcapng
            self.header = []
            self.segmentStart = 0
        default:
            return nil
        }
    }

    // MARK: - Where the damage is

    /// The offset of the first record (or block) libpcap did not deliver, given that it
    /// delivered `frames` frames from the current stream. For pcapng this also collects the
    /// section header and interface descriptions read on the way, for the next stream's prefix.
    mutating func damageOffset(in bytes: UnsafeRawBufferPointer, afterFrames frames: Int) -> Int {
        switch self.format {
        case .pcap:
            var offset = self.segmentStart
            for _ in 0..<frames {
                guard offset + 16 <= bytes.count else { break }
                offset += 16 + Int(self.load(bytes, offset + 8))
            }
            return min(offset, bytes.count)
        case .pcapng:
            var offset = self.segmentStart
            var packets = 0
            while let length = self.blockLength(bytes, at: offset) {
                let type = self.load(bytes, offset)
                if Self.packetBlocks.contains(type) {
                    if packets == frames { break }
                    packets += 1
                } else if type == Self.sectionHeader {
                    self.header = Array(bytes[offset..<offset + length])
                    self.interfaces = []
                } else if type == Self.interfaceDescription {
                    self.interfaces.append(Array(bytes[offset..<offset + length]))
                }
                offset += length
            }
            return min(offset, bytes.count)
        }
    }

    /// Whether the record (or block) at `offset` claims more bytes than the file has left, as
    /// the last record of a file cut short does.
    func runsPastEnd(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        switch self.format {
        case .pcap:
            return offset + 16 > bytes.count || offset + 16 + Int(self.load(bytes, offset + 8)) > bytes.count
        case .pcapng:
            return offset + 8 > bytes.count || offset + Int(self.load(bytes, offset + 4)) > bytes.count
        }
    }

    // MARK: - Where to resume

    /// The first offset after `damage` holding a plausible record (or block), or `nil`.
    ///
    /// With the timestamp of the last frame read (`lastSeconds`), a pcap record must lie near it
    /// and the record after it must be plausible too. Without one, or when nothing near it turns
    /// up within ``fallbackWindow`` bytes of the first self-consistent run, that run is taken:
    /// a record followed by two more that agree (a capture may jump in time).
    func resumeOffset(in bytes: UnsafeRawBufferPointer, after damage: Int, lastSeconds: Int64?) -> Int? {
        var fallback: Int?
        var offset = damage + 1
        let quick = self.quickCheck
        while offset + self.minimumHeader <= bytes.count {
            // Most offsets fail on one field: test it before the whole header.
            let field = self.load(bytes, offset + quick.fieldOffset)
            guard quick.accepts(field) else {
                if let fallback, offset - fallback > Self.fallbackWindow { return fallback }
                offset += 1
                continue
            }
            if let lastSeconds, self.plausible(bytes, at: offset, after: lastSeconds, following: 1) {
                return offset
            }
            if fallback == nil, self.plausible(bytes, at: offset, after: nil, following: 2) {
                fallback = offset
                if lastSeconds == nil { return offset }
            }
            if let fallback, offset - fallback > Self.fallbackWindow { return fallback }
            offset += 1
        }
        return fallback
    }

    /// How far past a self-consistent run of records the search for one near the last good
    /// timestamp goes before taking the run.
    static let fallbackWindow = 1 << 20

    /// One field that rules out almost every offset at once: a pcap record's captured length,
    /// a pcapng block's type.
    private struct QuickCheck {
        var fieldOffset: Int
        var accepts: (UInt32) -> Bool
    }

    private var quickCheck: QuickCheck {
        switch self.format {
        case .pcap(_, let snapshotLength):
            let limit = UInt32(
                min(snapshotLength > 0 ? snapshotLength : Self.maximumCapturedLength, Self.maximumCapturedLength))
            return QuickCheck(fieldOffset: 8) { $0 >= 1 && $0 <= limit }
        case .pcapng:
            return QuickCheck(fieldOffset: 0) { type in
                switch type {
                case Self.sectionHeader, 1, 2, 3, 4, 5, 6, 9, 0x0A, 0xBAD, 0x4000_0BAD: true
                default: false
                }
            }
        }
    }

    private var minimumHeader: Int {
        switch self.format {
        case .pcap: 16
        case .pcapng: 12
        }
    }

    private func plausible(_ bytes: UnsafeRawBufferPointer, at offset: Int, after reference: Int64?, following: Int)
        -> Bool
    {
        switch self.format {
        case .pcap(let nanosecond, let snapshotLength):
            let limits = RecordLimits(
                capturedLength: min(
                    snapshotLength > 0 ? snapshotLength : Self.maximumCapturedLength, Self.maximumCapturedLength),
                fraction: nanosecond ? 1_000_000_000 : 1_000_000
            )
            return self.plausibleRecord(bytes, at: offset, limits: limits, after: reference, following: following)
        case .pcapng:
            return self.plausibleBlock(bytes, at: offset, interfaces: self.interfaces.count, following: following)
        }
    }

    /// What libpcap must read before the bytes at `offset`: the pcap file header, or the
    /// pcapng section header and its interfaces (nothing when `offset` starts a new section).
    /// Makes `offset` the start of the next stream.
    mutating func prefix(resumingAt offset: Int, in bytes: UnsafeRawBufferPointer) -> [UInt8] {
        self.segmentStart = offset
        switch self.format {
        case .pcap:
            return self.header
        case .pcapng:
            if self.load(bytes, offset) == Self.sectionHeader {
                self.header = []
                self.interfaces = []
                return []
            }
            return self.header + self.interfaces.joined()
        }
    }

    // MARK: - Plausibility

    /// Whether `seconds` lies within the window a resynchronised record must fall in after `reference`.
    static func isNear(_ seconds: Int64, _ reference: Int64) -> Bool {
        seconds >= reference - Self.maximumBackwardJump && seconds <= reference + Self.maximumForwardJump
    }

    private struct RecordLimits {
        var capturedLength: Int
        var fraction: UInt32
    }

    private func plausibleRecord(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, limits: RecordLimits, after reference: Int64?, following: Int
    ) -> Bool {
        guard offset + 16 <= bytes.count else { return false }
        let seconds = Int64(self.load(bytes, offset))
        let fraction = self.load(bytes, offset + 4)
        let captured = Int(self.load(bytes, offset + 8))
        let original = Int(self.load(bytes, offset + 12))
        guard captured >= 1, captured <= limits.capturedLength, original >= captured,
            original <= Self.maximumCapturedLength,
            fraction < limits.fraction
        else { return false }
        if let reference {
            guard Self.isNear(seconds, reference) else { return false }
        }
        let end = offset + 16 + captured
        guard end <= bytes.count else { return false }
        if following == 0 || end + 16 > bytes.count { return true }
        return self.plausibleRecord(bytes, at: end, limits: limits, after: seconds, following: following - 1)
    }

    private func plausibleBlock(_ bytes: UnsafeRawBufferPointer, at offset: Int, interfaces: Int, following: Int)
        -> Bool
    {
        guard let length = self.blockLength(bytes, at: offset) else { return false }
        let type = self.load(bytes, offset)
        var interfaces = interfaces
        switch type {
        case Self.sectionHeader:
            guard length >= 28, self.load(bytes, offset + 8) == Self.byteOrderMagic else { return false }
            interfaces = 0
        case Self.interfaceDescription:
            guard length >= 20 else { return false }
            interfaces += 1
        case 6:  // enhanced packet block
            guard length >= 32, Int(self.load(bytes, offset + 8)) < interfaces,
                Int(self.load(bytes, offset + 20)) <= length - 32
            else { return false }
        case 3:  // simple packet block
            guard length >= 16, interfaces > 0 else { return false }
        case 2:  // obsolete packet block
            guard length >= 32, Int(self.load(bytes, offset + 8) & 0xFFFF) < interfaces else { return false }
        default:
            guard Self.otherBlocks.contains(type) else { return false }
        }
        let end = offset + length
        if following == 0 || end + 12 > bytes.count { return true }
        return self.plausibleBlock(bytes, at: end, interfaces: interfaces, following: following - 1)
    }

    /// The total length of a structurally sound pcapng block at `offset` (length at least 12, a
    /// multiple of 4, within the file, equal to the trailing copy), or `nil`.
    private func blockLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard offset + 12 <= bytes.count else { return nil }
        let length = Int(self.load(bytes, offset + 4))
        guard length >= 12, length % 4 == 0, length <= Self.maximumBlockLength, offset + length <= bytes.count,
            Int(self.load(bytes, offset + length - 4)) == length
        else { return nil }
        return length
    }

    private func load(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        Self.load(bytes, offset, bigEndian: self.bigEndian)
    }

    private static func load(_ bytes: UnsafeRawBufferPointer, _ offset: Int, bigEndian: Bool) -> UInt32 {
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
    }
}
