import Foundation
import PacketCapture
import PhoneBootTestSupport
import Testing

@Suite("Resynchronising after a damaged record")
struct CaptureResyncTests {
    /// Eight UDP frames a quarter-second apart, of different lengths.
    private func sample(nanosecond: Bool = false) -> PcapFileBuilder {
        var builder = PcapFileBuilder()
        builder.nanosecond = nanosecond
        builder.frames = (0..<8).map { index in
            (
                1_700_000_000 + UInt32(index / 4), UInt32(index % 4) * (nanosecond ? 250_000_000 : 250_000),
                PcapFileBuilder.udpFrame(port: 69, payload: Array(repeating: UInt8(index), count: 20 + 13 * index))
            )
        }
        return builder
    }

    /// The byte offset of record `index` (0-based) in a builder's file.
    private func recordOffset(_ builder: PcapFileBuilder, _ index: Int) -> Int {
        24 + builder.frames.prefix(index).reduce(0) { $0 + 16 + $1.bytes.count }
    }

    /// Deterministic garbage (a linear congruential generator).
    private func garbage(_ count: Int, seed: UInt32 = 12345) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
    }

    private func read(_ bytes: [UInt8], ext: String = "pcap", filter: String? = nil) throws -> (
        headers: [FrameHeader], payloads: [UInt8], end: CaptureEnd, damage: [CaptureDamage], framesRead: Int
    ) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-resync-\(UUID().uuidString).\(ext)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var file = try CaptureFile(path: url.path, filter: filter)
        var headers: [FrameHeader] = []
        var payloads: [UInt8] = []
        let end = file.forEachFrame { header, bytes in
            headers.append(header)
            payloads.append(bytes[bytes.count - 1])  // each sample frame's payload byte is its index
        }
        return (headers, payloads, end, file.damage, file.framesRead)
    }

    @Test("a garbage record header mid-file: frames before it, then the rest from the next record")
    func garbageHeader() throws {
        let builder = self.sample()
        var bytes = builder.bytes
        let damaged = self.recordOffset(builder, 3)
        let junk = self.garbage(37)
        bytes.replaceSubrange(damaged..<damaged + 16, with: junk)
        let result = try self.read(bytes)
        #expect(result.end == .complete)
        // Record 4 (index 3) lost its header, so its bytes are skipped; the others are all read.
        #expect(result.payloads == [0, 1, 2, 4, 5, 6, 7])
        #expect(result.headers.map(\.number) == Array(1...7))
        let resumedAt = damaged + junk.count + builder.frames[3].bytes.count
        #expect(
            result.damage == [
                CaptureDamage(
                    offset: damaged, skippedBytes: resumedAt - damaged, resumedAt: resumedAt, resumedAtFrame: 4,
                    reason: result.damage.first?.reason ?? "")
            ])
        #expect(result.damage.first?.reason.contains("bigger than") == true)
        #expect(
            result.damage.first?.description.hasPrefix(
                "damaged record at byte \(damaged); skipped \(resumedAt - damaged) bytes, resumed at byte \(resumedAt) (frame 4)"
            ) == true)
    }

    @Test("a splice that cuts into a record header, in a nanosecond file, with a filter: numbers continue")
    func splice() throws {
        let builder = self.sample(nanosecond: true)
        var bytes = builder.bytes
        // Cut from the middle of record 3's data into record 4's header.
        let cutStart = self.recordOffset(builder, 2) + 16 + 10
        let cutEnd = self.recordOffset(builder, 3) + 6
        bytes.removeSubrange(cutStart..<cutEnd)
        let result = try self.read(bytes, filter: "udp port 69")
        #expect(result.payloads.prefix(2) == [0, 1])
        #expect(result.payloads.suffix(4) == [4, 5, 6, 7])
        #expect(result.damage.count == 1)
        let damage = try #require(result.damage.first)
        // libpcap fails where record 3's (intact) length says record 4 begins.
        #expect(damage.offset == self.recordOffset(builder, 3))
        #expect(damage.resumedAt == self.recordOffset(builder, 4) - (cutEnd - cutStart))
        #expect(damage.skippedBytes == (damage.resumedAt ?? 0) - damage.offset)
        // Record 3 is still read (its header is whole; its data now runs into what followed)
        // and fails the filter, so it keeps number 3 and the numbers after it go on from 4.
        #expect(result.headers.map(\.number) == [1, 2, 4, 5, 6, 7])
        #expect(result.framesRead == 7)
        #expect(result.headers.last?.timestamp == Timestamp(seconds: 1_700_000_001, nanoseconds: 750_000_000))
    }

    @Test("two damaged spans are both skipped and both reported")
    func twoSpans() throws {
        let builder = self.sample()
        var bytes = builder.bytes
        // The later one first, so that the earlier offsets stay put.
        for index in [6, 2] {
            let at = self.recordOffset(builder, index)
            bytes.replaceSubrange(at..<at + 16, with: self.garbage(16, seed: UInt32(index)).map { $0 | 0x80 })
        }
        let result = try self.read(bytes)
        #expect(result.end == .complete)
        #expect(result.payloads == [0, 1, 3, 4, 5, 7])
        #expect(result.damage.map(\.offset) == [self.recordOffset(builder, 2), self.recordOffset(builder, 6)])
        #expect(result.damage.map(\.resumedAtFrame) == [3, 6])
    }

    @Test("garbage after a valid file header: nothing read, the damage runs to the end")
    func garbageOnly() throws {
        var bytes = Array(PcapFileBuilder().bytes.prefix(24))
        bytes += self.garbage(4000)
        let result = try self.read(bytes)
        #expect(result.framesRead == 0)
        #expect(result.headers.isEmpty)
        switch result.end {
        case .failed(let error):
            #expect(error.kind == .readFailed)
            #expect(error.reason.contains("record 1 at byte 24"))
            #expect(
                result.damage == [
                    CaptureDamage(
                        offset: 24, skippedBytes: 4000, resumedAt: nil, resumedAtFrame: nil,
                        reason: result.damage.first?.reason ?? "")
                ])
        case .truncated:
            #expect(result.damage.isEmpty)
        case .complete:
            Issue.record("garbage read as a complete capture")
        }
    }

    @Test("damage with nothing readable after it keeps the frames before it")
    func garbageTail() throws {
        let builder = self.sample()
        let keep = self.recordOffset(builder, 5)
        let bytes = Array(builder.bytes.prefix(keep)) + self.garbage(3000, seed: 7)
        let result = try self.read(bytes)
        #expect(result.payloads == [0, 1, 2, 3, 4])
        guard case .failed(let error) = result.end else {
            Issue.record("expected a read failure, got \(result.end)")
            return
        }
        #expect(error.reason.contains("record 6 at byte \(keep)"))
        #expect(result.damage.first?.resumedAt == nil)
        #expect(result.damage.first?.skippedBytes == 3000)
    }

    @Test("a record header that looks sane but is an hour away is not taken as the resync point")
    func timestampWindow() throws {
        let builder = self.sample()
        var bytes = builder.bytes
        let damaged = self.recordOffset(builder, 3)
        // Garbage that holds a well-formed header two days later, then record 4's data.
        var fake: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        for value in [UInt32(1_700_172_800), 0, 4, 4] { fake += withUnsafeBytes(of: value.littleEndian, Array.init) }
        fake += [1, 2, 3, 4]
        bytes.replaceSubrange(damaged..<damaged + 16, with: fake)
        let result = try self.read(bytes)
        #expect(result.payloads == [0, 1, 2, 4, 5, 6, 7])
        #expect(result.damage.first?.resumedAt == damaged + fake.count + builder.frames[3].bytes.count)
    }

    @Test("when the capture jumps in time across the damage, three records that agree are taken")
    func timeJump() throws {
        var builder = self.sample()
        for index in 3..<8 { builder.frames[index].seconds += 7_200 }
        var bytes = builder.bytes
        let damaged = self.recordOffset(builder, 3)
        bytes.replaceSubrange(damaged..<damaged + 16, with: self.garbage(16, seed: 99).map { $0 | 0x80 })
        let result = try self.read(bytes)
        #expect(result.payloads == [0, 1, 2, 4, 5, 6, 7])
        #expect(result.damage.first?.resumedAt == self.recordOffset(builder, 4))
    }

    @Test("pcapng: a block whose total length disagrees with its trailer is skipped, the interface kept")
    func pcapngBadBlockLength() throws {
        let frames = self.sample().frames
        var bytes: [UInt8] = []
        func le32(_ value: UInt32) { bytes += withUnsafeBytes(of: value.littleEndian, Array.init) }
        le32(0x0A0D_0D0A)
        le32(28)
        le32(0x1A2B_3C4D)
        le32(1)
        le32(0xFFFF_FFFF)
        le32(0xFFFF_FFFF)
        le32(28)
        le32(1)
        le32(20)
        le32(1)
        le32(65535)
        le32(20)
        var starts: [Int] = []
        for frame in frames {
            starts.append(bytes.count)
            let padded = frame.bytes + Array(repeating: 0, count: (4 - frame.bytes.count % 4) % 4)
            let length = UInt32(32 + padded.count)
            let stamp = UInt64(frame.seconds) * 1_000_000 + UInt64(frame.fraction)
            le32(6)
            le32(length)
            le32(0)
            le32(UInt32(stamp >> 32))
            le32(UInt32(stamp & 0xFFFF_FFFF))
            le32(UInt32(frame.bytes.count))
            le32(UInt32(frame.bytes.count))
            bytes += padded
            le32(length)
        }
        // Block 5's leading length grows by 64: its trailer no longer agrees.
        let at = starts[4] + 4
        let length = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8
        bytes[at] = UInt8(truncatingIfNeeded: length + 64)
        bytes[at + 1] = UInt8(truncatingIfNeeded: (length + 64) >> 8)
        let result = try self.read(bytes, ext: "pcapng")
        #expect(result.end == .complete)
        #expect(result.payloads == [0, 1, 2, 3, 5, 6, 7])
        #expect(result.damage.map(\.offset) == [starts[4]])
        #expect(result.damage.map(\.resumedAt) == [starts[5]])
        #expect(result.damage.map(\.resumedAtFrame) == [5])
        #expect(result.damage.first?.reason.contains("trailer") == true)
    }

    @Test("a whole file has no damage; a file cut at its end is a truncation, not damage")
    func noFalseDamage() throws {
        let whole = try self.read(self.sample().bytes)
        #expect(whole.end == .complete)
        #expect(whole.damage.isEmpty)
        #expect(whole.payloads == Array(0...7))
        let cut = try self.read(Array(self.sample().bytes.dropLast(30)))
        guard case .truncated = cut.end else {
            Issue.record("expected a truncation, got \(cut.end)")
            return
        }
        #expect(cut.damage.isEmpty)
        #expect(cut.payloads == Array(0...6))
    }
}
