import ClusterModel

/// The simulated clock. Only the live TUI/shell driver moves it from wall time; everything else
/// advances it explicitly (`sleep`, waits, scenario steps), so runs are reproducible.
public struct VirtualClock: Sendable {
    /// 2025-06-01T12:00:00Z: a fixed origin so that timestamps in output never depend on the host.
    public static let defaultStart: Millis = 1_748_779_200_000
    public private(set) var now: Millis
    public init(start: Millis = VirtualClock.defaultStart) { now = start }
    mutating func set(_ t: Millis) { precondition(t >= now, "the virtual clock never goes back"); now = t }
}

/// SplitMix64: small, fast, and identical on every platform for a given seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly random integer in `range` (bias-free via Swift's algorithm on this generator).
    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    public mutating func int64(in range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &self) }

    /// apiserver `names.SimpleNameGenerator`: 5 characters from `bcdfghjklmnpqrstvwxz2456789`.
    public mutating func nameSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet[int(in: 0...(alphabet.count - 1))] })
    }

    /// A version-4 UUID string.
    public mutating func uuid() -> String {
        let a = next(), b = next()
        func hex(_ v: UInt64, _ digits: Int) -> String { String(v, radix: 16).leftPad(digits) }
        let timeLow = a >> 32
        let timeMid = (a >> 16) & 0xffff
        let timeHi = (a & 0x0fff) | 0x4000
        let clock = ((b >> 48) & 0x3fff) | 0x8000
        let node = b & 0xffff_ffff_ffff
        return "\(hex(timeLow, 8))-\(hex(timeMid, 4))-\(hex(timeHi, 4))-\(hex(clock, 4))-\(hex(node, 12))".compacted
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
