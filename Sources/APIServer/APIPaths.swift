import ClusterModel

/// A request path of the Kubernetes API, parsed: `/api/v1/namespaces/default/services/my-app`,
/// `/apis/apps/v1/deployments`, `/apis/apps/v1/namespaces/default/deployments/web/scale`.
struct ResourcePath: Equatable {
    var group: String
    var version: String
    var namespace: String?
    var resource: ResourceDescription
    var name: String?
    var subresource: String?

    enum Parsed: Equatable {
        case resource(ResourcePath)
        /// `/api/v1` or `/apis/G/V`: the group version's resource list.
        case groupVersion(group: String, version: String)
        /// A path under /api or /apis that names nothing svclab serves.
        case notFound
    }

    static func parse(_ path: String) -> Parsed {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let group: String, version: String
        if parts.first == "api", parts.count >= 2 {
            group = ""; version = parts[1]; parts.removeFirst(2)
        } else if parts.first == "apis", parts.count >= 3 {
            group = parts[1]; version = parts[2]; parts.removeFirst(3)
        } else {
            return .notFound
        }
        guard ResourceRegistry.groupVersions.contains(group.isEmpty ? version : "\(group)/\(version)") else { return .notFound }
        if parts.isEmpty { return .groupVersion(group: group, version: version) }
        var namespace: String?
        if parts.first == "namespaces", parts.count >= 3 {
            namespace = parts[1]; parts.removeFirst(2)
        }
        guard let plural = parts.first,
              let resource = ResourceRegistry.all.first(where: { $0.group == group && $0.version == version && $0.plural == plural }) else {
            // `/api/v1/namespaces/NAME` is the namespace itself.
            if namespace == nil, parts.first == "namespaces", parts.count == 2, let ns = ResourceRegistry.kind(Namespace.kind) {
                return .resource(ResourcePath(group: group, version: version, namespace: nil, resource: ns, name: parts[1], subresource: nil))
            }
            return .notFound
        }
        if namespace != nil && !resource.namespaced { return .notFound }
        return .resource(ResourcePath(group: group, version: version, namespace: namespace, resource: resource,
                                      name: parts.count > 1 ? parts[1] : nil, subresource: parts.count > 2 ? parts[2] : nil))
    }
}
