/// One description per kind — what the API server's discovery says of it (group, version,
/// plural, short names, scope, categories, verbs) and how a manifest of it decodes. Decoding,
/// the engine API, kubectl (get, describe, api-resources) and the lab all read it here; the
/// HTTP API's discovery will too. A new kind is a description and one line in `all`.
public struct ResourceDescription: Sendable, CustomStringConvertible {
    public let kind: String
    /// The API group ("" for the core group).
    public let group: String
    public let version: String
    /// Lower-case plural: the resource's name in URLs and messages (`services "x" not found`).
    public let plural: String
    public let shortNames: [String]
    public let namespaced: Bool
    /// `kubectl get all` lists the kinds in the `all` category.
    public let categories: [String]
    public let verbs: [String]
    /// How a manifest of this kind becomes an object; nil for kinds only the cluster writes
    /// (a manifest of them is refused as the server refuses kinds it does not serve).
    public let decode: (@Sendable (Value) throws(DecodeError) -> KubeObject)?
    /// For a kind the cluster only stores (no controller): its fields, validation, table and
    /// describe text. Nil for the kinds the simulator models as types.
    public let stored: StoredKind?

    public init(kind: String, group: String = "", version: String = "v1", plural: String, shortNames: [String] = [],
                namespaced: Bool = true, categories: [String] = [], verbs: [String] = ResourceDescription.standardVerbs,
                decode: (@Sendable (Value) throws(DecodeError) -> KubeObject)? = nil) {
        self.kind = kind; self.group = group; self.version = version; self.plural = plural; self.shortNames = shortNames
        self.namespaced = namespaced; self.categories = categories; self.verbs = verbs; self.decode = decode; self.stored = nil
    }

    /// A stored kind: decoding, validation and printing come from `stored`.
    init(kind: String, group: String = "", version: String = "v1", plural: String, shortNames: [String] = [],
         namespaced: Bool = true, categories: [String] = [], verbs: [String] = ResourceDescription.standardVerbs, stored: StoredKind) {
        self.kind = kind; self.group = group; self.version = version; self.plural = plural; self.shortNames = shortNames
        self.namespaced = namespaced; self.categories = categories; self.verbs = verbs
        self.decode = StoredKind.decoder(kind: kind, stored); self.stored = stored
    }

    public static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public var singular: String { kind.lowercased() }
    /// `v1` / `apps/v1`: the manifest's apiVersion.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `services` / `deployments.apps`: the qualified resource in NotFound/AlreadyExists messages.
    public var qualifiedResource: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// `service` / `deployment.apps`: the name printer's prefix (`-o name`).
    public var typePrefix: String { group.isEmpty ? singular : "\(singular).\(group)" }
    public var description: String { qualifiedResource }

    /// The API server's deprecation warning for requests to this resource (a `Warning:` header
    /// kubectl prints on stderr), nil when it has none.
    public var warning: String? {
        kind == Endpoints.kind && group.isEmpty ? "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice" : nil
    }
}

extension ResourceDescription: Equatable, Hashable {
    public static func == (a: ResourceDescription, b: ResourceDescription) -> Bool { a.group == b.group && a.kind == b.kind }
    public func hash(into h: inout Hasher) { h.combine(group); h.combine(kind) }
}

public enum ResourceRegistry {
    /// Every kind svclab serves, in the order `kubectl api-resources` lists them (the core group
    /// first, then by group; by name within a group).
    public static let all: [ResourceDescription] = [
        ConfigMapKind.description,
        Endpoints.resourceDescription,
        Event.resourceDescription,
        LimitRangeKind.description,
        Namespace.resourceDescription,
        Node.resourceDescription,
        Pod.resourceDescription,
        ResourceQuotaKind.description,
        SecretKind.description,
        ServiceAccountKind.description,
        Service.resourceDescription,
        DaemonSetKind.description,
        Deployment.resourceDescription,
        ReplicaSet.resourceDescription,
        LeaseKind.description,
        EndpointSlice.resourceDescription,
    ]

    private static let byKind: [String: ResourceDescription] = Dictionary(all.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })

    /// The description of a kind (`Service`), if svclab serves it.
    public static func kind(_ kind: String) -> ResourceDescription? { byKind[kind] }

    /// A resource as kubectl lets people name it: plural, singular or short name, optionally
    /// qualified by group (`deployments.apps`) or version (`pods.v1`). Case does not matter.
    public static func resolve(_ name: String) -> ResourceDescription? {
        let n = name.lowercased()
        // kubectl's mapper also takes "endpoint" (Endpoints is a plural-looking kind).
        if n == "endpoint" { return kind(Endpoints.kind) }
        for t in all {
            if n == t.plural || n == t.singular || t.shortNames.contains(n) { return t }
            // `deploy.apps` too: kubectl's mapper expands a short name within the group given.
            if !t.group.isEmpty && (n == "\(t.plural).\(t.group)" || n == "\(t.singular).\(t.group)"
                                    || n == "\(t.plural).\(t.version).\(t.group)"
                                    || t.shortNames.contains { n == "\($0).\(t.group)" }) { return t }
            if t.group.isEmpty && (n == "\(t.plural).\(t.version)" || n == "\(t.singular).\(t.version)") { return t }
        }
        return nil
    }

    /// The kinds of a category (`all`), in registry order.
    public static func category(_ name: String) -> [ResourceDescription] { all.filter { $0.categories.contains(name) } }

    /// The group/versions served, as `kubectl api-versions` prints them (sorted).
    public static var groupVersions: [String] { Set(all.map(\.apiVersion)).sorted() }
}

/// The descriptions of the kinds the simulator models (each beside its type's statics).
extension Namespace {
    public static let resourceDescription = ResourceDescription(kind: kind, plural: resource, shortNames: ["ns"], namespaced: false,
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], decode: { v throws(DecodeError) in .namespace(try ManifestDecoder.namespace(v)) })
}
extension Node {
    public static let resourceDescription = ResourceDescription(kind: kind, plural: resource, shortNames: ["no"], namespaced: false,
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"])
}
extension Pod {
    public static let resourceDescription = ResourceDescription(kind: kind, plural: resource, shortNames: ["po"], categories: ["all"],
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"], decode: { v throws(DecodeError) in .pod(try ManifestDecoder.pod(v)) })
}
extension Service {
    public static let resourceDescription = ResourceDescription(kind: kind, plural: resource, shortNames: ["svc"], categories: ["all"],
        verbs: ["create", "delete", "get", "list", "patch", "proxy", "update", "watch"],
        decode: { v throws(DecodeError) in .service(try ManifestDecoder.service(v)) })
}
extension Endpoints {
    public static let resourceDescription = ResourceDescription(kind: kind, plural: resource, shortNames: ["ep"],
        decode: { v throws(DecodeError) in .endpoints(try ManifestDecoder.endpoints(v)) })
}
extension Event {
    public static let resourceDescription = ResourceDescription(kind: kind, plural: resource, shortNames: ["ev"])
}
extension Deployment {
    public static let resourceDescription = ResourceDescription(kind: kind, group: group, plural: resource, shortNames: ["deploy"], categories: ["all"],
        decode: { v throws(DecodeError) in .deployment(try ManifestDecoder.deployment(v)) })
}
extension ReplicaSet {
    public static let resourceDescription = ResourceDescription(kind: kind, group: group, plural: resource, shortNames: ["rs"], categories: ["all"],
        decode: { v throws(DecodeError) in .replicaSet(try ManifestDecoder.replicaSet(v)) })
}
extension EndpointSlice {
    public static let resourceDescription = ResourceDescription(kind: kind, group: group, plural: resource,
        decode: { v throws(DecodeError) in .endpointSlice(try ManifestDecoder.endpointSlice(v)) })
}
