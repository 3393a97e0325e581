import Testing

@testable import phoneboot

@Suite("OrderedRendering: items rendered on every core, written in order")
struct OrderedRenderingTests {
    @Test(
        "the bytes and counts written are the items' in order, whatever the chunk and round sizes",
        arguments: [(0, 3, 2), (1, 3, 2), (10, 3, 2), (97, 8, 4), (1000, 32, 4), (64, 64, 1)]
    )
    func inOrder(count: Int, chunkSize: Int, chunksPerRound: Int) {
        var written: [UInt8] = []
        var items = 0
        var calls = 0
        OrderedRendering(chunkSize: chunkSize, chunksPerRound: chunksPerRound).run(
            count: count,
            render: { index, bytes in bytes.append(contentsOf: "\(index);".utf8) },
            write: { bytes, count in
                written += bytes
                items += count
                calls += 1
            }
        )
        #expect(String(decoding: written, as: UTF8.self) == (0..<count).map { "\($0);" }.joined())
        #expect(items == count)
        #expect(calls == (count + chunkSize - 1) / chunkSize)
    }
}
