/// Go's `sort.Sort` (pattern-defeating quicksort, src/sort/zsortinterface.go and sort.go, Go
/// 1.19+), step for step: kubectl's `--sort-by` uses it, and it is not stable — equal keys and
/// (with kubectl's Less, which calls an object missing the field "less" than anything) the
/// objects without the field end up in the order this algorithm leaves them. Porting it is the
/// only way to print kubectl's order for ties.
struct GoSort {
    let less: (Int, Int) -> Bool
    let swap: (Int, Int) -> Void

    /// sort.Sort(data): pdqsort over data[0:n] with limit bits.Len(n).
    static func sort(count n: Int, less: @escaping (Int, Int) -> Bool, swap: @escaping (Int, Int) -> Void) {
        guard n > 1 else { return }
        GoSort(less: less, swap: swap).pdqsort(0, n, limit: bitsLen(n))
    }

    /// Sorts `items` in place the way sort.Sort would with `less` on the elements.
    static func sort<T>(_ items: inout [T], by less: (T, T) -> Bool) {
        withoutActuallyEscaping(less) { less in
            var box = items
            sort(count: box.count, less: { less(box[$0], box[$1]) }, swap: { box.swapAt($0, $1) })
            items = box
        }
    }

    static func bitsLen(_ x: Int) -> Int { x == 0 ? 0 : Int.bitWidth - x.leadingZeroBitCount }

    enum Hint { case unknown, increasing, decreasing }

    func insertionSort(_ a: Int, _ b: Int) {
        var i = a + 1
        while i < b {
            var j = i
            while j > a && less(j, j - 1) { swap(j, j - 1); j -= 1 }
            i += 1
        }
    }

    func siftDown(_ lo: Int, _ hi: Int, _ first: Int) {
        var root = lo
        while true {
            var child = 2 * root + 1
            if child >= hi { break }
            if child + 1 < hi && less(first + child, first + child + 1) { child += 1 }
            if !less(first + root, first + child) { return }
            swap(first + root, first + child)
            root = child
        }
    }

    func heapSort(_ a: Int, _ b: Int) {
        let first = a, lo = 0, hi = b - a
        var i = (hi - 1) / 2
        while i >= 0 { siftDown(i, hi, first); i -= 1 }
        i = hi - 1
        while i >= 0 { swap(first, first + i); siftDown(lo, i, first); i -= 1 }
    }

    func pdqsort(_ a0: Int, _ b0: Int, limit limit0: Int) {
        let maxInsertion = 12
        var a = a0, b = b0, limit = limit0
        var wasBalanced = true, wasPartitioned = true
        while true {
            let length = b - a
            if length <= maxInsertion { insertionSort(a, b); return }
            if limit == 0 { heapSort(a, b); return }
            if !wasBalanced { breakPatterns(a, b); limit -= 1 }
            var (pivot, hint) = choosePivot(a, b)
            if hint == .decreasing {
                reverseRange(a, b)
                pivot = (b - 1) - (pivot - a)
                hint = .increasing
            }
            if wasBalanced && wasPartitioned && hint == .increasing {
                if partialInsertionSort(a, b) { return }
            }
            if a > 0 && !less(a - 1, pivot) {
                a = partitionEqual(a, b, pivot)
                continue
            }
            let (mid, alreadyPartitioned) = partition(a, b, pivot)
            wasPartitioned = alreadyPartitioned
            let leftLen = mid - a, rightLen = b - mid
            let balanceThreshold = length / 8
            if leftLen < rightLen {
                wasBalanced = leftLen >= balanceThreshold
                pdqsort(a, mid, limit: limit)
                a = mid + 1
            } else {
                wasBalanced = rightLen >= balanceThreshold
                pdqsort(mid + 1, b, limit: limit)
                b = mid
            }
        }
    }

    func partition(_ a: Int, _ b: Int, _ pivot: Int) -> (Int, Bool) {
        swap(a, pivot)
        var i = a + 1, j = b - 1
        while i <= j && less(i, a) { i += 1 }
        while i <= j && !less(j, a) { j -= 1 }
        if i > j { swap(j, a); return (j, true) }
        swap(i, j); i += 1; j -= 1
        while true {
            while i <= j && less(i, a) { i += 1 }
            while i <= j && !less(j, a) { j -= 1 }
            if i > j { break }
            swap(i, j); i += 1; j -= 1
        }
        swap(j, a)
        return (j, false)
    }

    func partitionEqual(_ a: Int, _ b: Int, _ pivot: Int) -> Int {
        swap(a, pivot)
        var i = a + 1, j = b - 1
        while true {
            while i <= j && !less(a, i) { i += 1 }
            while i <= j && less(a, j) { j -= 1 }
            if i > j { break }
            swap(i, j); i += 1; j -= 1
        }
        return i
    }

    func partialInsertionSort(_ a: Int, _ b: Int) -> Bool {
        let maxSteps = 5, shortestShifting = 50
        var i = a + 1
        for _ in 0..<maxSteps {
            while i < b && !less(i, i - 1) { i += 1 }
            if i == b { return true }
            if b - a < shortestShifting { return false }
            swap(i, i - 1)
            if i - a >= 2 {
                var j = i - 1
                while j >= 1 { if !less(j, j - 1) { break }; swap(j, j - 1); j -= 1 }
            }
            if b - i >= 2 {
                var j = i + 1
                while j < b { if !less(j, j - 1) { break }; swap(j, j - 1); j += 1 }
            }
        }
        return false
    }

    func breakPatterns(_ a: Int, _ b: Int) {
        let length = b - a
        guard length >= 8 else { return }
        var random = UInt64(length)   // xorshift, seeded with the length
        let modulus = UInt(1) << UInt(Self.bitsLen(length))
        var idx = a + (length / 4) * 2 - 1
        while idx <= a + (length / 4) * 2 + 1 {
            random ^= random << 13; random ^= random >> 7; random ^= random << 17
            var other = Int(UInt(truncatingIfNeeded: random) & (modulus - 1))
            if other >= length { other -= length }
            swap(idx, a + other)
            idx += 1
        }
    }

    func choosePivot(_ a: Int, _ b: Int) -> (Int, Hint) {
        let shortestNinther = 50, maxSwaps = 4 * 3
        let l = b - a
        var swaps = 0
        var i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3
        if l >= 8 {
            if l >= shortestNinther {
                i = medianAdjacent(i, &swaps); j = medianAdjacent(j, &swaps); k = medianAdjacent(k, &swaps)
            }
            j = median(i, j, k, &swaps)
        }
        switch swaps {
        case 0: return (j, .increasing)
        case maxSwaps: return (j, .decreasing)
        default: return (j, .unknown)
        }
    }

    func order2(_ a: Int, _ b: Int, _ swaps: inout Int) -> (Int, Int) {
        if less(b, a) { swaps += 1; return (b, a) }
        return (a, b)
    }

    func median(_ a0: Int, _ b0: Int, _ c0: Int, _ swaps: inout Int) -> Int {
        var (a, b) = order2(a0, b0, &swaps)
        var c: Int
        (b, c) = order2(b, c0, &swaps)
        _ = c
        (a, b) = order2(a, b, &swaps)
        return b
    }

    func medianAdjacent(_ a: Int, _ swaps: inout Int) -> Int { median(a - 1, a, a + 1, &swaps) }

    func reverseRange(_ a: Int, _ b: Int) {
        var i = a, j = b - 1
        while i < j { swap(i, j); i += 1; j -= 1 }
    }
}
