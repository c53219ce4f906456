import ClusterEngine
import ClusterModel

/// Discovery documents from the resource registry (legacy shapes: every kubectl since 1.20 and
/// the client libraries read them): /api, /apis, /api/v1, /apis/G/V, and /version.
enum Discovery {
    static let serverVersion: Value = .object([
        ("major", .string("1")), ("minor", .string("33")), ("gitVersion", .string("v1.33.1")),
        ("gitCommit", .string("8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828")), ("gitTreeState", .string("clean")),
        ("buildDate", .string("2025-05-15T08:19:08Z")), ("goVersion", .string("go1.24.2")), ("compiler", .string("gc")),
        ("platform", .string("linux/amd64")),
    ])

    static func apiVersions(serverAddress: String) -> Value {
        .object([("kind", .string("APIVersions")), ("versions", .array([.string("v1")])),
                 ("serverAddressByClientCIDRs", .array([.object([("clientCIDR", .string("0.0.0.0/0")), ("serverAddress", .string(serverAddress))])]))])
    }

    static var apiGroupList: Value {
        let groups = Dictionary(grouping: ResourceRegistry.all.filter { !$0.group.isEmpty }, by: \.group).keys.sorted()
        return .object([("kind", .string("APIGroupList")), ("apiVersion", .string("v1")), ("groups", .array(groups.map { g in
            let version = ResourceRegistry.all.first { $0.group == g }!.version
            let gv: Value = .object([("groupVersion", .string("\(g)/\(version)")), ("version", .string(version))])
            return .object([("name", .string(g)), ("versions", .array([gv])), ("preferredVersion", gv)])
        }))])
    }

    /// The subresources svclab serves, by resource (`kubectl scale` uses `/scale`).
    static let subresources: [String: [(name: String, kind: String, group: String, version: String, verbs: [String])]] = [
        "deployments": [("scale", "Scale", "autoscaling", "v1", ["get", "patch", "update"]), ("status", "Deployment", "", "", ["get", "patch", "update"])],
        "replicasets": [("scale", "Scale", "autoscaling", "v1", ["get", "patch", "update"]), ("status", "ReplicaSet", "", "", ["get", "patch", "update"])],
        "pods": [("status", "Pod", "", "", ["get", "patch", "update"])],
        "services": [("status", "Service", "", "", ["get", "patch", "update"])],
    ]

    static func resourceList(group: String, version: String) -> Value {
        var resources: [Value] = []
        for r in ResourceRegistry.all where r.group == group && r.version == version {
            var pairs: [(String, Value)] = [("name", .string(r.plural)), ("singularName", .string(r.singular)), ("namespaced", .bool(r.namespaced)),
                                            ("kind", .string(r.kind)), ("verbs", .array(r.verbs.map(Value.string)))]
            if !r.shortNames.isEmpty { pairs.append(("shortNames", .array(r.shortNames.map(Value.string)))) }
            if !r.categories.isEmpty { pairs.append(("categories", .array(r.categories.map(Value.string)))) }
            resources.append(.object(pairs))
            for sub in subresources[r.plural] ?? [] {
                var s: [(String, Value)] = [("name", .string("\(r.plural)/\(sub.name)")), ("singularName", .string("")), ("namespaced", .bool(r.namespaced))]
                if !sub.group.isEmpty { s += [("group", .string(sub.group)), ("version", .string(sub.version))] }
                s += [("kind", .string(sub.kind)), ("verbs", .array(sub.verbs.map(Value.string)))]
                resources.append(.object(s))
            }
        }
        return .object([("kind", .string("APIResourceList")), ("apiVersion", .string("v1")),
                        ("groupVersion", .string(group.isEmpty ? version : "\(group)/\(version)")), ("resources", .array(resources))])
    }

    /// `/openapi/v3`: one document per group version. Each holds, per kind, the PATCH operation
    /// with its `fieldValidation` parameter — what kubectl checks before `apply`/`create -f` to
    /// know the server validates fields itself (svclab decodes strictly, as the server does) —
    /// and a schema per kind for `kubectl explain`: the kind's description and the fields the
    /// cluster's objects of that kind have, with their types (inferred from those objects; field
    /// descriptions are not served).
    static var openAPIRoot: Value {
        .object([("paths", .object(ResourceRegistry.groupVersions.map { gv in
            let key = gv.contains("/") ? "apis/\(gv)" : "api/\(gv)"
            return (key, .object([("serverRelativeURL", .string("/openapi/v3/\(key)"))]))
        }))])
    }

    static func openAPIDocument(groupVersion gv: String, cluster: Cluster) -> Value? {
        let kinds = ResourceRegistry.all.filter { $0.apiVersion == gv }
        guard !kinds.isEmpty else { return nil }
        let prefix = gv.contains("/") ? "/apis/\(gv)" : "/api/\(gv)"
        var paths: [(String, Value)] = []
        var schemas: [(String, Value)] = []
        for k in kinds {
            let path = k.namespaced ? "\(prefix)/namespaces/{namespace}/\(k.plural)/{name}" : "\(prefix)/\(k.plural)/{name}"
            let gvk: Value = .object([("group", .string(k.group)), ("version", .string(k.version)), ("kind", .string(k.kind))])
            let op: Value = .object([("x-kubernetes-group-version-kind", gvk), ("x-kubernetes-action", .string("patch")),
                                     ("parameters", .array([.object([("name", .string("fieldValidation")), ("in", .string("query")),
                                                                     ("schema", .object([("type", .string("string")), ("uniqueItems", .bool(true))]))])]))])
            paths.append((path, .object([("patch", op)])))
            // What the cluster's objects of this kind hold, plus what every object has.
            let samples = cluster.catalog(k, namespace: nil).prefix(200).map { $0.value() }
            var inferred = OpenAPISchema.infer(samples)
            OpenAPISchema.addProperties(&inferred, [("apiVersion", OpenAPISchema.string(OpenAPISchema.apiVersionText)),
                                                    ("kind", OpenAPISchema.string(OpenAPISchema.kindText)),
                                                    ("metadata", OpenAPISchema.object(OpenAPISchema.metadataText))])
            var pairs = inferred.objectValue ?? []
            pairs.append(("description", .string(OpenAPISchema.kindDescriptions[k.kind] ?? "")))
            pairs.append(("x-kubernetes-group-version-kind", .array([gvk])))
            let group = k.group.isEmpty ? "core" : k.group.split(separator: ".").first.map(String.init) ?? k.group
            schemas.append(("io.k8s.api.\(group).\(k.version).\(k.kind)", .object(pairs)))
        }
        return .object([("openapi", .string("3.0.0")), ("info", .object([("title", .string("Kubernetes")), ("version", .string("v1.33.1"))])),
                        ("paths", .object(paths)), ("components", .object([("schemas", .object(schemas))]))])
    }

    /// Aggregated discovery (apidiscovery.k8s.io/v2), what kubectl 1.33 asks for first: every
    /// resource of the core group (`/api`) or of the named groups (`/apis`) in one document.
    static func aggregated(core: Bool) -> Value {
        let groups = Dictionary(grouping: ResourceRegistry.all.filter { $0.group.isEmpty == core }, by: \.group)
        let items: [Value] = groups.keys.sorted().map { group in
            let kinds = groups[group]!.sorted { $0.plural < $1.plural }
            let version = kinds[0].version
            let resources: [Value] = kinds.map { r in
                var pairs: [(String, Value)] = [
                    ("resource", .string(r.plural)),
                    ("responseKind", .object([("group", .string(r.group)), ("version", .string(r.version)), ("kind", .string(r.kind))])),
                    ("scope", .string(r.namespaced ? "Namespaced" : "Cluster")),
                    ("singularResource", .string(r.singular)),
                    ("verbs", .array(r.verbs.map(Value.string))),
                ]
                if !r.shortNames.isEmpty { pairs.append(("shortNames", .array(r.shortNames.map(Value.string)))) }
                if !r.categories.isEmpty { pairs.append(("categories", .array(r.categories.map(Value.string)))) }
                let subs = (subresources[r.plural] ?? []).map { sub -> Value in
                    .object([("subresource", .string(sub.name)),
                             ("responseKind", .object([("group", .string(sub.group.isEmpty ? r.group : sub.group)),
                                                       ("version", .string(sub.version.isEmpty ? r.version : sub.version)), ("kind", .string(sub.kind))])),
                             ("verbs", .array(sub.verbs.map(Value.string)))])
                }
                if !subs.isEmpty { pairs.append(("subresources", .array(subs))) }
                return .object(pairs)
            }
            return .object([("metadata", .object([("name", .string(group))])),
                            ("versions", .array([.object([("version", .string(version)), ("resources", .array(resources)), ("freshness", .string("Current"))])]))])
        }
        return .object([("kind", .string("APIGroupDiscoveryList")), ("apiVersion", .string("apidiscovery.k8s.io/v2")),
                        ("metadata", .object([])), ("items", .array(items))])
    }

    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
}

/// OpenAPI v3 schemas inferred from objects (type of each field as the objects show it), for
/// `kubectl explain`. The kinds' descriptions are the API's own first sentences.
enum OpenAPISchema {
    static func string(_ description: String) -> Value { .object([("type", .string("string")), ("description", .string(description))]) }
    static func object(_ description: String) -> Value { .object([("type", .string("object")), ("description", .string(description))]) }

    static let apiVersionText = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
    static let kindText = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
    static let metadataText = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    static let kindDescriptions: [String: String] = [
        "Pod": "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.",
        "Service": "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.",
        "Endpoints": "Endpoints is a collection of endpoints that implement the actual service.",
        "EndpointSlice": "EndpointSlice represents a set of service endpoints. Most EndpointSlices are created by the EndpointSlice controller to represent the Pods selected by Service objects.",
        "Deployment": "Deployment enables declarative updates for Pods and ReplicaSets.",
        "ReplicaSet": "ReplicaSet ensures that a specified number of pod replicas are running at any given time.",
        "Node": "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).",
        "Namespace": "Namespace provides a scope for Names. Use of multiple namespaces is optional.",
        "Event": "Event is a report of an event somewhere in the cluster.",
        "ConfigMap": "ConfigMap holds configuration data for pods to consume.",
        "ResourceQuota": "ResourceQuota sets aggregate quota restrictions enforced per namespace",
        "LimitRange": "LimitRange sets resource usage limits for each kind of resource in a Namespace.",
        "Lease": "Lease defines a lease concept.",
    ]

    /// One schema for all `values` (fields of every object merged).
    static func infer(_ values: [Value]) -> Value {
        var type = "object"
        var properties: [(String, [Value])] = []
        var items: [Value] = []
        for v in values {
            switch v {
            case let .object(pairs):
                for (k, child) in pairs {
                    if let i = properties.firstIndex(where: { $0.0 == k }) { properties[i].1.append(child) } else { properties.append((k, [child])) }
                }
            case let .array(elements): type = "array"; items += elements
            case .string: type = "string"
            case .int: type = "integer"
            case .double: type = "number"
            case .bool: type = "boolean"
            case .null: continue
            }
        }
        switch type {
        case "array": return .object([("type", .string("array")), ("items", infer(items))])
        case "object":
            let props = properties.sorted { $0.0 < $1.0 }.map { ($0.0, infer($0.1)) }
            return .object([("type", .string("object")), ("properties", .object(props))])
        default: return .object([("type", .string(type))])
        }
    }

    /// Adds (or describes) top-level properties.
    static func addProperties(_ schema: inout Value, _ extra: [(String, Value)]) {
        guard case var .object(pairs) = schema else { return }
        var props = pairs.first { $0.0 == "properties" }?.1.objectValue ?? []
        for (k, v) in extra {
            if let i = props.firstIndex(where: { $0.0 == k }), case var .object(existing) = props[i].1 {
                existing.removeAll { $0.0 == "description" }
                existing.append(("description", v["description"] ?? .string("")))
                props[i].1 = .object(existing)
            } else {
                props.append((k, v))
            }
        }
        props.sort { $0.0 < $1.0 }
        pairs.removeAll { $0.0 == "properties" }
        pairs.append(("properties", .object(props)))
        schema = .object(pairs)
    }
}
