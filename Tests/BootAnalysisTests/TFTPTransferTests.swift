import BootAnalysis
import Testing
import WireFormats

@Suite("TFTP transfers (RFC 1350 §6, RFC 2348)")
struct TFTPTransferTests {
    private let phone = IPv4Address(192, 0, 2, 100)
    private let server = IPv4Address(192, 0, 2, 1)

    /// Plays a read of `sizes` (one DATA per entry) after an optional OACK; returns the transfer.
    private func read(
        blockSize: Int?, sizes: [Int], firstBlock: UInt16 = 1, duplicates: Set<Int> = [], acknowledgeLast: Bool = true
    ) -> TFTPTransfer {
        let options = blockSize.map { [TFTPOption(name: "blksize", value: String($0))] } ?? []
        var transfer = TFTPTransfer(
            request: TFTPRequest(filename: "3111-46162-001.sip.ld", options: options), direction: .read,
            client: self.phone, clientPort: 40000, server: self.server, frame: 1
        )
        var frame = 2
        if let blockSize {
            transfer.receive(
                .optionAcknowledgment([TFTPOption(name: "blksize", value: String(blockSize))]), fromServer: true,
                sourcePort: 50000, frame: frame)
            frame += 1
        }
        var block = firstBlock
        for (index, size) in sizes.enumerated() {
            transfer.receive(.data(block: block, byteCount: size), fromServer: true, sourcePort: 50000, frame: frame)
            frame += 1
            if duplicates.contains(index) {
                transfer.receive(
                    .data(block: block, byteCount: size), fromServer: true, sourcePort: 50000, frame: frame)
                frame += 1
            }
            if index < sizes.count - 1 || acknowledgeLast {
                transfer.receive(.acknowledgment(block: block), fromServer: false, sourcePort: 40000, frame: frame)
                frame += 1
            }
            block &+= 1
        }
        return transfer
    }

    @Test("tsize in the OACK, then an ERROR from the client before any data: an ok size check, not incomplete")
    func sizeCheck() {
        // A read of sip.ld asking tsize, answered by an OACK with its size.
        func acknowledged() -> TFTPTransfer {
            var transfer = TFTPTransfer(
                request: TFTPRequest(filename: "sip.ld", options: [TFTPOption(name: "tsize", value: "0")]),
                direction: .read, client: self.phone, clientPort: 40000, server: self.server, frame: 1)
            transfer.receive(
                .optionAcknowledgment([TFTPOption(name: "tsize", value: "48213760")]), fromServer: true,
                sourcePort: 50000, frame: 2)
            return transfer
        }
        var transfer = acknowledged()
        transfer.receive(.error(code: 0, message: "size only"), fromServer: false, sourcePort: 40000, frame: 3)
        #expect(transfer.isSizeCheck)
        #expect(transfer.result == .ok)
        #expect(transfer.offeredSize == 48_213_760)
        #expect(transfer.isClosed)

        // The same ERROR after a block is a transfer the client cut short.
        var cut = acknowledged()
        cut.receive(.data(block: 1, byteCount: 512), fromServer: true, sourcePort: 50000, frame: 3)
        cut.receive(.error(code: 0, message: "stop"), fromServer: false, sourcePort: 40000, frame: 4)
        #expect(!cut.isSizeCheck)
        #expect(cut.result == .incomplete)
    }

    @Test("a 512-byte block ends a blksize-1428 transfer but not a default one")
    func blockSizeDecidesTheEnd() {
        let negotiated = self.read(blockSize: 1428, sizes: [1428, 512])
        #expect(negotiated.result == .ok)
        #expect(negotiated.bytes == 1940)
        #expect(negotiated.blockSize == 1428)
        let plain = self.read(blockSize: nil, sizes: [512, 512])
        #expect(plain.result == .incomplete)
        #expect(plain.isFinished == false)
    }

    @Test("a file that is an exact multiple of the block size ends with an empty block")
    func exactMultiple() {
        let open = self.read(blockSize: nil, sizes: [512, 512])
        #expect(!open.isFinished)
        let done = self.read(blockSize: nil, sizes: [512, 512, 0])
        #expect(done.result == .ok)
        #expect(done.bytes == 1024)
        #expect(done.isClosed)
    }

    @Test("retransmitted blocks are counted once")
    func duplicates() {
        let transfer = self.read(blockSize: nil, sizes: [512, 512, 100], duplicates: [0, 1])
        #expect(transfer.bytes == 1124)
        #expect(transfer.duplicateBlocks == 2)
        #expect(transfer.result == .ok)
    }

    @Test("block numbers wrap past 65535 and keep counting")
    func wrap() {
        let sizes = Array(repeating: 8, count: 65_540) + [3]
        let transfer = self.read(blockSize: 8, sizes: sizes)
        #expect(transfer.blocks == 65_541)
        #expect(transfer.bytes == 65_540 * 8 + 3)
        #expect(transfer.result == .ok)
        #expect(transfer.missingBlocks == 0)
    }

    /// Plays DATA blocks in the given order (block numbers as on the wire) after the request,
    /// without ACKs: 512 bytes each, but `shortBlock` bytes for the entry at `shortIndex`.
    private func readInOrder(_ blocks: [UInt16], shortIndex: Int, shortBlock: Int) -> TFTPTransfer {
        var transfer = TFTPTransfer(
            request: TFTPRequest(filename: "3111-46162-001.sip.ld"), direction: .read,
            client: self.phone, clientPort: 40000, server: self.server, frame: 1
        )
        for (index, block) in blocks.enumerated() {
            let count = index == shortIndex ? shortBlock : 512
            transfer.receive(
                .data(block: block, byteCount: count), fromServer: true, sourcePort: 50000, frame: index + 2)
        }
        return transfer
    }

    @Test("a block seen after a later one fills its gap, once")
    func reordered() {
        // 5 before 4 (written out of order), then a late copy of 4 again.
        let transfer = self.readInOrder([1, 2, 3, 5, 4, 4, 6], shortIndex: 6, shortBlock: 100)
        #expect(transfer.bytes == 5 * 512 + 100)
        #expect(transfer.missingBlocks == 0)
        #expect(transfer.duplicateBlocks == 1)
        #expect(transfer.blocks == 6)
        #expect(transfer.result == .ok)
    }

    @Test("a gap filled after the last block still counts; one never filled stays missing")
    func gapAfterTheEnd() {
        let filled = self.readInOrder([1, 3, 4, 2], shortIndex: 2, shortBlock: 10)
        #expect(filled.isFinished)
        #expect(filled.bytes == 3 * 512 + 10)
        #expect(filled.missingBlocks == 0)
        #expect(filled.duplicateBlocks == 0)
        let open = self.readInOrder([1, 4, 2, 6, 6], shortIndex: 3, shortBlock: 10)
        #expect(open.missingBlocks == 2)  // 3 and 5
        #expect(open.bytes == 3 * 512 + 10)
        #expect(open.duplicateBlocks == 1)
    }

    @Test("the first gap still unfilled names the frame of the block after it")
    func gapFrame() {
        // Frames are index + 2: block 4 is frame 3, block 6 frame 5.
        let open = self.readInOrder([1, 4, 2, 6, 6], shortIndex: 3, shortBlock: 10)
        #expect(open.firstGapFrame == 3)
        let filled = self.readInOrder([1, 3, 4, 2], shortIndex: 2, shortBlock: 10)
        #expect(filled.firstGapFrame == nil)
        // 2 is filled, 3 stays missing: its gap is the one block 4 opened, in frame 3.
        let partly = self.readInOrder([1, 4, 2, 5], shortIndex: 3, shortBlock: 10)
        #expect(partly.missingBlocks == 1)
        #expect(partly.firstGapFrame == 3)
    }

    @Test("a late copy across the wrap fills its gap")
    func reorderedAcrossTheWrap() {
        var blocks = (1...65_535).map { UInt16($0) }
        blocks += [1, 0, 2]  // 65537 before 65536 (wire block 0)
        let transfer = self.readInOrder(blocks, shortIndex: blocks.count - 1, shortBlock: 3)
        #expect(transfer.blocks == 65_538)
        #expect(transfer.missingBlocks == 0)
        #expect(transfer.bytes == 65_537 * 512 + 3)
    }

    @Test(
        "an ERROR from the server names the result",
        arguments: [
            (UInt16(1), Fetch.Result.notFound), (2, .accessDenied), (0, .error), (8, .error),
        ])
    func errors(code: UInt16, result: Fetch.Result) {
        var transfer = TFTPTransfer(
            request: TFTPRequest(filename: "0004f2a1b2c3.cfg"), direction: .read, client: self.phone, clientPort: 40000,
            server: self.server, frame: 1
        )
        transfer.receive(.error(code: code, message: "x"), fromServer: true, sourcePort: 50000, frame: 2)
        #expect(transfer.result == result)
        #expect(transfer.errorFrame == 2)
        #expect(transfer.isClosed)
    }

    @Test("a request nobody answers is no-answer; one cut short is incomplete")
    func silence() {
        var transfer = TFTPTransfer(
            request: TFTPRequest(filename: "0004f2a1b2c3.cfg"), direction: .read, client: self.phone, clientPort: 40000,
            server: self.server, frame: 1
        )
        transfer.retransmittedRequest(frame: 5)
        #expect(transfer.result == .noAnswer)
        #expect(transfer.requestFrames == [1, 5])
        transfer.receive(.data(block: 1, byteCount: 512), fromServer: true, sourcePort: 50000, frame: 6)
        #expect(transfer.result == .incomplete)
    }

    @Test("an upload ends when the server acknowledges its short last block")
    func upload() {
        var transfer = TFTPTransfer(
            request: TFTPRequest(filename: "0004f2a1b2c3-boot.log"), direction: .upload, client: self.phone,
            clientPort: 40000, server: self.server, frame: 1
        )
        transfer.receive(.acknowledgment(block: 0), fromServer: true, sourcePort: 50000, frame: 2)
        transfer.receive(.data(block: 1, byteCount: 200), fromServer: false, sourcePort: 40000, frame: 3)
        #expect(transfer.result == .incomplete)
        transfer.receive(.acknowledgment(block: 1), fromServer: true, sourcePort: 50000, frame: 4)
        #expect(transfer.result == .ok)
        #expect(transfer.bytes == 200)
    }
}
