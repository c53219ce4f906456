import ClusterEngine
import ClusterModel

/// The resource types `kubectl get` knows here, with every spelling kubectl accepts.
public struct ResourceType: Equatable, Sendable {
    public var kind: String
    public var plural: String
    public var group: String
    public var namespaced: Bool
    public var shortNames: [String]

    var singular: String { kind.lowercased() }
    /// `pod` / `deployment.apps`: prefix used when several types are listed.
    public var prefix: String { group.isEmpty ? singular : "\(singular).\(group)" }
    /// `pods` / `deployments.apps`: how the API server names the resource in its errors.
    public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// The API server's answer for a missing object, as kubectl prints it.
    public func notFound(_ name: String) -> String {
        APIError.notFound(resource: qualifiedPlural, name: name).kubectlMessage()
    }
    /// `"/v1, Resource=pods"`, as in the server's selector error.
    var gvr: String {
        let gv = group.isEmpty ? "/v1" : "\(group)/v1"
        return "\(gv), Resource=\(plural)"
    }

    public static let pod = ResourceType(kind: "Pod", plural: "pods", group: "", namespaced: true, shortNames: ["po"])
    public static let service = ResourceType(kind: "Service", plural: "services", group: "", namespaced: true, shortNames: ["svc"])
    public static let deployment = ResourceType(kind: "Deployment", plural: "deployments", group: "apps", namespaced: true, shortNames: ["deploy"])
    public static let replicaSet = ResourceType(kind: "ReplicaSet", plural: "replicasets", group: "apps", namespaced: true, shortNames: ["rs"])

    public static let all: [ResourceType] = [
        pod,
        service,
        ResourceType(kind: "Endpoints", plural: "endpoints", group: "", namespaced: true, shortNames: ["ep"]),
        ResourceType(kind: "EndpointSlice", plural: "endpointslices", group: "discovery.k8s.io", namespaced: true, shortNames: ["eps"]),
        deployment,
        replicaSet,
        ResourceType(kind: "Node", plural: "nodes", group: "", namespaced: false, shortNames: ["no"]),
        ResourceType(kind: "Namespace", plural: "namespaces", group: "", namespaced: false, shortNames: ["ns"]),
        ResourceType(kind: "Event", plural: "events", group: "", namespaced: true, shortNames: ["ev"]),
    ]

    public static func resolve(_ name: String) -> ResourceType? {
        let n = name.lowercased()
        for t in all {
            if n == t.plural || n == t.singular || t.shortNames.contains(n) { return t }
            if !t.group.isEmpty && (n == "\(t.plural).\(t.group)" || n == "\(t.singular).\(t.group)") { return t }
            if t.group.isEmpty && (n == "\(t.plural).v1" || n == "\(t.singular).v1") { return t }
        }
        if n == "endpoints.v1" || n == "endpoint" { return all[2] }
        return nil
    }

    /// `kubectl get all`: the types the `all` category holds that svclab models.
    public static var allCategory: [ResourceType] { [pod, service, deployment, replicaSet] }
}
