import Foundation

/// Milliseconds since the Unix epoch, on the engine's virtual clock.
public typealias Millis = Int64

extension Int64 {
    /// Sum that stops at the largest value instead of trapping (a grace period of 2^63 seconds
    /// is accepted by the API, as Go's wrapping arithmetic accepts it; time just never reaches it).
    public func addingClamped(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// Seconds as milliseconds, saturating.
    public var secondsAsMillisClamped: Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: 1000)
        return overflow ? (self > 0 ? .max / 2 : .min / 2) : product
    }
}

public enum Timestamps {
    /// RFC 3339 with second precision, UTC (`2025-06-01T12:00:00Z`), as metav1.Time serialises.
    public static func rfc3339(_ ms: Millis) -> String {
        let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = secs - days * 86400
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
    }

    /// RFC 3339 with nanoseconds trimmed like Go's RFC3339Nano.
    public static func rfc3339Nano(_ ms: Millis) -> String {
        let base = rfc3339(ms)
        let frac = ((ms % 1000) + 1000) % 1000
        if frac == 0 { return base }
        var f = String(format: "%03d", frac)
        while f.hasSuffix("0") { f.removeLast() }
        return String(base.dropLast()) + "." + f + "Z"
    }

    public static func parse(_ s: String) -> Millis? {
        // yyyy-mm-ddThh:mm:ss[.fff]Z
        let u = Array(s.utf8)
        guard u.count >= 20, u[4] == 45, u[7] == 45, u[10] == 84 || u[10] == 116, u[13] == 58, u[16] == 58 else { return nil }
        func num(_ a: Int, _ b: Int) -> Int64? { Int64(String(decoding: u[a..<b], as: UTF8.self)) }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16), let se = num(17, 19) else { return nil }
        var ms: Int64 = 0
        var i = 19
        if u[i] == 46 {
            i += 1
            var digits = 0
            while i < u.count, u[i] >= 48, u[i] <= 57 { if digits < 3 { ms = ms * 10 + Int64(u[i] - 48) }; digits += 1; i += 1 }
            while digits < 3 { ms *= 10; digits += 1 }
        }
        guard i == u.count - 1, u[i] == 90 || u[i] == 122 else { return nil }
        let days = daysFromCivil(y, mo, d)
        return (days * 86400 + h * 3600 + mi * 60 + se) * 1000 + ms
    }

    // Howard Hinnant's civil-from-days algorithms (proleptic Gregorian, UTC).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}

/// `intstr.IntOrString` (Service targetPort, probe ports).
public enum IntOrString: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case string(String)
    public var description: String {
        switch self { case let .int(i): return String(i); case let .string(s): return s }
    }
    public var value: Value {
        switch self { case let .int(i): return .int(Int64(i)); case let .string(s): return .string(s) }
    }
}

public struct OwnerReference: Equatable, Hashable, Sendable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?
    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = true, blockOwnerDeletion: Bool? = true) {
        self.apiVersion = apiVersion; self.kind = kind; self.name = name; self.uid = uid
        self.controller = controller; self.blockOwnerDeletion = blockOwnerDeletion
    }
}

public struct ObjectMeta: Equatable, Sendable {
    public var name: String = ""
    public var generateName: String = ""
    public var namespace: String = ""
    public var uid: String = ""
    public var resourceVersion: String = ""
    public var generation: Int64 = 0
    public var creationTimestamp: Millis? = nil
    public var deletionTimestamp: Millis? = nil
    public var deletionGracePeriodSeconds: Int64? = nil
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var ownerReferences: [OwnerReference] = []
    public var finalizers: [String] = []
    /// Which client set which fields (server-side apply's bookkeeping), for writes through the
    /// HTTP API; the engine's own controllers record none.
    public var managedFields: [ManagedFieldsEntry] = []
    public init() {}
    public init(name: String, namespace: String = "", labels: [String: String] = [:]) {
        self.name = name; self.namespace = namespace; self.labels = labels
    }

    public var controllerRef: OwnerReference? { ownerReferences.first { $0.controller == true } }
}

/// One field manager's fields (metav1.ManagedFieldsEntry, FieldsV1 format).
public struct ManagedFieldsEntry: Equatable, Sendable {
    public var manager: String
    /// "Apply" (server-side apply) or "Update" (every other write).
    public var operation: String
    public var apiVersion: String
    public var time: Millis
    /// `{"f:spec": {"f:replicas": {}}, …}`
    public var fieldsV1: Value
    public var subresource: String?
    public init(manager: String, operation: String, apiVersion: String, time: Millis, fieldsV1: Value, subresource: String? = nil) {
        self.manager = manager; self.operation = operation; self.apiVersion = apiVersion; self.time = time; self.fieldsV1 = fieldsV1; self.subresource = subresource
    }
}

/// What every stored kind has in common.
public protocol KubeResource: Equatable, Sendable {
    static var kind: String { get }
    static var apiVersion: String { get }
    /// Lower-case plural, as in `services "x" not found`.
    static var resource: String { get }
    /// API group suffix for names (`deployments.apps`), empty for core.
    static var group: String { get }
    static var namespaced: Bool { get }
    var metadata: ObjectMeta { get set }
    /// The name and namespace the store files the object under, and the write path's stamp:
    /// the same as through `metadata`, but a kind that assembles its metadata when read
    /// (`Event`) answers without assembling it.
    var storeName: String { get }
    var storeNamespace: String { get }
    mutating func stampResourceVersion(_ resourceVersion: String)
}

extension KubeResource {
    public var storeName: String { metadata.name }
    public var storeNamespace: String { metadata.namespace }
    public mutating func stampResourceVersion(_ resourceVersion: String) { metadata.resourceVersion = resourceVersion }
    public static var group: String { "" }
    public static var namespaced: Bool { true }
    /// `services` / `deployments.apps`: the qualified resource in NotFound/AlreadyExists messages.
    public static var qualifiedResource: String { group.isEmpty ? resource : "\(resource).\(group)" }
    /// `service` / `deployment.apps`: the name printer's prefix.
    public static var typePrefix: String {
        let k = kind.lowercased()
        return group.isEmpty ? k : "\(k).\(group)"
    }
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
}
