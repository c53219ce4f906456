import Testing
@testable import Kubectl

/// GoSort is Go's pdqsort: it must sort (every size class: insertion, partitions, the
/// pattern breaker, the heapsort fallback), and it must leave equal keys where Go leaves them —
/// the second is checked against the real kubectl in ServeTests (`--sort-by` with ties).
struct GoSortTests {
    @Test func sortsEveryShapeOfInput() {
        var seed: UInt64 = 0x9E3779B97F4A7C15
        func next() -> Int { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return Int(seed % 1_000_000) }
        for size in [0, 1, 2, 7, 12, 13, 49, 50, 51, 200, 1000] {
            for shape in 0..<5 {
                var values: [Int] = (0..<size).map { i in
                    switch shape {
                    case 0: return next() % 10          // many duplicates
                    case 1: return i                    // sorted
                    case 2: return size - i             // reversed
                    case 3: return i % 7                // sawtooth
                    default: return next()
                    }
                }
                let expected = values.sorted()
                GoSort.sort(&values) { $0 < $1 }
                #expect(values == expected, "size \(size) shape \(shape)")
            }
        }
    }

    /// Go's insertion sort (up to 12 elements) with kubectl's Less, where an object without the
    /// field is less than anything: those objects come out in reverse order, as kubectl prints them.
    @Test func missingFieldsComeFirstInReverse() {
        var items: [(String, Int?)] = [("a", nil), ("b", 2), ("c", nil), ("d", 1), ("e", nil)]
        GoSort.sort(&items) { x, y in
            guard let p = x.1 else { return true }
            guard let q = y.1 else { return false }
            return p < q
        }
        #expect(items.map(\.0) == ["e", "c", "a", "d", "b"])
    }
}
