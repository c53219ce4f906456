import Foundation

/// resource.Quantity, as far as the simulation reads it: parse `100m`, `0.5`, `70Mi`, `1G`,
/// `129e6`, and print a sum the way Quantity.String() canonicalises it (`950m`, `1`, `290Mi`).
public enum Quantity {
    static let suffixes: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776), ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976),
        ("m", 0.001), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
    ]

    /// The quantity as a number of base units (cores, bytes); nil when malformed.
    public static func parse(_ text: String) -> Double? {
        var s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        var scale = 1.0
        if let (suffix, factor) = suffixes.first(where: { s.hasSuffix($0.0) }) {
            s = String(s.dropLast(suffix.count)); scale = factor
        } else if let e = s.lastIndex(where: { $0 == "e" || $0 == "E" }), let exp = Int(s[s.index(after: e)...]) {
            s = String(s[..<e]); scale = pow(10, Double(exp))
        }
        guard let number = Double(s), number.isFinite else { return nil }
        return number * scale
    }

    /// MilliValue(), rounded up as upstream rounds.
    public static func milli(_ text: String) -> Int64 { parse(text).map { Int64(($0 * 1000).rounded(.up)) } ?? 0 }
    /// Value() in base units, rounded up.
    public static func units(_ text: String) -> Int64 { parse(text).map { Int64($0.rounded(.up)) } ?? 0 }

    /// A CPU amount in millicores as Quantity prints it: whole cores bare, else `m`.
    public static func formatCPU(milli: Int64) -> String { milli % 1000 == 0 ? String(milli / 1000) : "\(milli)m" }

    /// A byte amount in BinarySI as Quantity prints it: the largest binary suffix that divides it.
    public static func formatBytes(_ bytes: Int64) -> String {
        guard bytes != 0 else { return "0" }
        for (suffix, factor) in suffixes.prefix(6).reversed() where bytes % Int64(factor) == 0 { return "\(bytes / Int64(factor))\(suffix)" }
        return String(bytes)
    }
}

/// resourcehelper.PodRequestsAndLimits for cpu and memory: the containers' sum, or an init
/// container's when larger (init containers run one at a time).
public struct PodResourceTotals: Equatable, Sendable {
    public var cpuRequest: Int64 = 0, cpuLimit: Int64 = 0      // millicores
    public var memoryRequest: Int64 = 0, memoryLimit: Int64 = 0 // bytes

    public init() {}

    public init(_ spec: PodSpec) {
        func of(_ c: Container) -> PodResourceTotals {
            var t = PodResourceTotals()
            let r = c.extra["resources"]
            t.cpuRequest = Quantity.milli(r?["requests"]?["cpu"]?.stringValue ?? r?["limits"]?["cpu"]?.stringValue ?? "0")
            t.memoryRequest = Quantity.units(r?["requests"]?["memory"]?.stringValue ?? r?["limits"]?["memory"]?.stringValue ?? "0")
            t.cpuLimit = Quantity.milli(r?["limits"]?["cpu"]?.stringValue ?? "0")
            t.memoryLimit = Quantity.units(r?["limits"]?["memory"]?.stringValue ?? "0")
            return t
        }
        for c in spec.containers { self += of(c) }
        for c in spec.initContainers {
            let t = of(c)
            cpuRequest = max(cpuRequest, t.cpuRequest); cpuLimit = max(cpuLimit, t.cpuLimit)
            memoryRequest = max(memoryRequest, t.memoryRequest); memoryLimit = max(memoryLimit, t.memoryLimit)
        }
    }

    public static func += (a: inout PodResourceTotals, b: PodResourceTotals) {
        a.cpuRequest += b.cpuRequest; a.cpuLimit += b.cpuLimit; a.memoryRequest += b.memoryRequest; a.memoryLimit += b.memoryLimit
    }
}
