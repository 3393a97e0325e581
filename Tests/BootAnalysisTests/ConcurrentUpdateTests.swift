import Testing

@testable import BootAnalysis

@Suite("Array.concurrentlyUpdateEach: every element changed once, in place, as a loop would")
struct ConcurrentUpdateTests {
    @Test(
        "every element, once, whatever the count against the chunk size", arguments: [0, 1, 63, 64, 65, 1000, 10_007])
    func everyElementOnce(count: Int) {
        var values = Array(0..<count)
        values.concurrentlyUpdateEach(chunkSize: 64) { $0 = $0 * 2 + 1 }
        #expect(values == (0..<count).map { $0 * 2 + 1 })
    }

    @Test("records keep their order and each gets its own result")
    func records() {
        var words = (0..<500).map { "word \($0)" }
        words.concurrentlyUpdateEach(chunkSize: 7) { $0 += "!" }
        #expect(words == (0..<500).map { "word \($0)!" })
    }
}
