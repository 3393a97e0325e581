import Testing

@testable import phoneboot

#if canImport(Glibc)
    import Glibc
#endif

@Suite("OrderedRendering: items rendered on every core, written in order")
struct OrderedRenderingTests {
    @Test(
        "the bytes and counts written are the items' in order, whatever the chunk and window sizes",
        arguments: [(0, 3, 2), (1, 3, 2), (10, 3, 2), (97, 8, 4), (1000, 32, 4), (64, 64, 1)]
    )
    func inOrder(count: Int, chunkSize: Int, window: Int) {
        var written: [UInt8] = []
        var items = 0
        var calls = 0
        OrderedRendering(chunkSize: chunkSize, window: window).run(
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

    @Test("chunks that finish out of order (some slow to render) are still written in order, each once")
    func unevenChunks() {
        var written: [UInt8] = []
        var calls = 0
        OrderedRendering(chunkSize: 2, window: 3).run(
            count: 101,
            render: { index, bytes in
                // Every fifth item takes a while: later chunks finish first.
                if index % 5 == 0 { usleep(300) }
                bytes.append(contentsOf: "\(index);".utf8)
            },
            write: { bytes, _ in
                written += bytes
                calls += 1
            }
        )
        #expect(String(decoding: written, as: UTF8.self) == (0..<101).map { "\($0);" }.joined())
        #expect(calls == 51)
    }
}
