/// A string field whose values the API enumerates (a Service's type, a port's protocol, a
/// condition's status). The value is kept as written — a manifest may say anything — so
/// validation can answer `Unsupported value: "Foo": supported values: …` from it, while code
/// compares against the named constants (`.loadBalancer`, `.tcp`, `.true`), never a literal.
/// One shape for every such field: `APIValue<Tag>` with a tag type naming the known values.
public struct APIValue<Tag: APIValueTag>: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// As the API writes it ("LoadBalancer"; "" when unset).
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// One of the values the API defines.
    public var isKnown: Bool { Tag.known.contains(rawValue) }
    public var isEmpty: Bool { rawValue.isEmpty }
    /// The values the API defines, in the order its "supported values" lists them.
    public static var supported: [String] { Tag.known }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public protocol APIValueTag: Sendable {
    /// The values the API defines, sorted as its validation messages list them.
    static var known: [String] { get }
}

public enum ServiceTypeTag: APIValueTag { public static let known = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"] }
/// A Service's `spec.type` (core/v1 ServiceType).
public typealias ServiceType = APIValue<ServiceTypeTag>
extension APIValue where Tag == ServiceTypeTag {
    public static let clusterIP = ServiceType("ClusterIP"), nodePort = ServiceType("NodePort")
    public static let loadBalancer = ServiceType("LoadBalancer"), externalName = ServiceType("ExternalName")
    /// NodePort and LoadBalancer Services get node ports.
    public var hasNodePorts: Bool { self == .nodePort || self == .loadBalancer }
}

public enum PortProtocolTag: APIValueTag { public static let known = ["SCTP", "TCP", "UDP"] }
/// A port's protocol (core/v1 Protocol).
public typealias PortProtocol = APIValue<PortProtocolTag>
extension APIValue where Tag == PortProtocolTag {
    public static let tcp = PortProtocol("TCP"), udp = PortProtocol("UDP"), sctp = PortProtocol("SCTP")
}

public enum SessionAffinityTag: APIValueTag { public static let known = ["ClientIP", "None"] }
/// A Service's `spec.sessionAffinity` (core/v1 ServiceAffinity).
public typealias SessionAffinity = APIValue<SessionAffinityTag>
extension APIValue where Tag == SessionAffinityTag {
    public static let clientIP = SessionAffinity("ClientIP"), none = SessionAffinity("None")
}

public enum ConditionStatusTag: APIValueTag { public static let known = ["False", "True", "Unknown"] }
/// A condition's status (ConditionStatus).
public typealias ConditionStatus = APIValue<ConditionStatusTag>
extension APIValue where Tag == ConditionStatusTag {
    public static let `true` = ConditionStatus("True"), `false` = ConditionStatus("False"), unknown = ConditionStatus("Unknown")
    public init(_ value: Bool) { self = value ? .true : .false }
}
