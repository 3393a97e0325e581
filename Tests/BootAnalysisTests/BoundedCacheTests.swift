import Testing

@testable import BootAnalysis

@Suite("BoundedCache: values that repeat worked out once, in bounded memory")
struct BoundedCacheTests {
    @Test("a value is worked out once, then found")
    func workedOutOnce() {
        var cache = BoundedCache<String, Int>(capacity: 4)
        var calls = 0
        for _ in 0..<3 {
            #expect(
                cache.value(for: "a") {
                    calls += 1
                    return 1
                } == 1)
        }
        #expect(calls == 1)
    }

    @Test("full of values used again, it keeps them and works out new ones without keeping them")
    func keepsWhatRepeats() {
        var cache = BoundedCache<Int, Int>(capacity: 2)
        cache.keep(10, for: 1)
        cache.keep(20, for: 2)
        #expect(cache.value(for: 1) == 10)
        #expect(cache.value(for: 2) == 20)
        // Many new values, none seen again: the two that repeat stay.
        for key in 3..<100 { _ = cache.value(for: key) { key * 10 } }
        #expect(cache.value(for: 1) == 10)
        #expect(cache.value(for: 2) == 20)
        #expect(cache.value(for: 50) == nil)
    }

    @Test("full, it keeps no new value until as many as it holds have gone by, then drops the unused ones")
    func dropsWhatDoesNotRepeat() {
        var cache = BoundedCache<Int, Int>(capacity: 2)
        cache.keep(0, for: 0)
        cache.keep(1, for: 1)
        #expect(cache.value(for: 0) == 0)
        cache.keep(2, for: 2)
        #expect(cache.value(for: 2) == nil)
        cache.keep(3, for: 3)
        cache.keep(4, for: 4)
        #expect(cache.value(for: 1) == nil)
        #expect(cache.value(for: 4) == 4)
        #expect(cache.value(for: 0) == 0)
    }

    @Test("it keeps values only while what they cost stays within its limit, and makes room by dropping unused ones")
    func costLimit() {
        var cache = BoundedCache<Int, Int>(capacity: 100, costLimit: 10)
        cache.keep(1, for: 1, cost: 6)
        cache.keep(2, for: 2, cost: 6)  // 12 > 10: not kept
        #expect(cache.value(for: 1) == 1)
        #expect(cache.value(for: 2) == nil)
        cache.keep(3, for: 3, cost: 4)  // 10: kept
        #expect(cache.value(for: 3) == 3)
        cache.keep(11, for: 11, cost: 11)  // more than the whole limit: never kept
        #expect(cache.value(for: 11) == nil)
        // Replacing a value counts its cost once.
        cache.keep(30, for: 3, cost: 4)
        #expect(cache.value(for: 3) == 30)
    }

    @Test("full by cost, it drops the entries never used again once as many new values as it holds went by")
    func costLimitDropsUnused() {
        var cache = BoundedCache<Int, Int>(capacity: 100, costLimit: 10)
        cache.keep(1, for: 1, cost: 5)
        cache.keep(2, for: 2, cost: 5)
        #expect(cache.value(for: 1) == 1)
        cache.keep(3, for: 3, cost: 5)  // full: waits
        cache.keep(4, for: 4, cost: 5)  // still waits (1 of 2)
        cache.keep(5, for: 5, cost: 5)  // drops 2 (never used), keeps 5
        #expect(cache.value(for: 2) == nil)
        #expect(cache.value(for: 3) == nil)
        #expect(cache.value(for: 5) == 5)
        #expect(cache.value(for: 1) == 1)
    }

    @Test("ByteKey: equal bytes are one key, different bytes or lengths are not")
    func byteKeys() {
        let keys: Set<ByteKey> = [
            ByteKey([1, 2, 3]), ByteKey([1, 2, 3]), ByteKey([1, 2]), ByteKey([1, 2, 3, 0]), ByteKey([]),
        ]
        #expect(keys.count == 4)
        #expect(keys.contains(ByteKey(Array([0, 1, 2, 3].dropFirst()))))
    }

    @Test("ByteKey: long keys that differ only in the middle, or only in their last bytes, are different keys")
    func longKeysDifferingInTheMiddle() {
        let file = Array(repeating: UInt8(ascii: "x"), count: 1_000)
        var cache = BoundedCache<ByteKey, Int>(capacity: 16)
        for index in 0..<10 {
            var bytes = file
            bytes[500] = UInt8(index)
            cache.keep(index, for: ByteKey(bytes))
        }
        for index in 0..<10 {
            var bytes = file
            bytes[500] = UInt8(index)
            #expect(cache.value(for: ByteKey(bytes)) == index)
        }
        #expect(cache.value(for: ByteKey(file)) == nil)
        #expect(cache.value(for: ByteKey(file + [0])) == nil)
        // Hashed apart, not only told apart when compared: a byte in the middle changes the hash.
        let hashes = Set(
            (0..<10).map { index in
                var bytes = file
                bytes[500] = UInt8(index)
                return ByteKey(bytes).hashValue
            })
        #expect(hashes.count == 10)
        // Lengths that are no multiple of eight: the last bytes are compared and hashed too.
        let odd = file + [1, 2, 3]
        cache.keep(100, for: ByteKey(odd))
        #expect(cache.value(for: ByteKey(file + [1, 2, 3])) == 100)
        #expect(cache.value(for: ByteKey(file + [1, 2, 4])) == nil)
        #expect(ByteKey(odd) != ByteKey(file + [1, 2, 4]))
    }
}
