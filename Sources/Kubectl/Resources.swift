import ClusterEngine
import ClusterModel

/// The resource types kubectl knows are the registry's (ClusterModel/ResourceRegistry).
public typealias ResourceType = ResourceDescription

extension ResourceDescription {
    /// `pod` / `deployment.apps`: prefix used when several types are listed.
    public var prefix: String { typePrefix }
    /// `pods` / `deployments.apps`: how the API server names the resource in its errors.
    public var qualifiedPlural: String { qualifiedResource }
    /// The API server's answer for a missing object, as kubectl prints it.
    public func notFound(_ name: String) -> String {
        APIError.notFound(resource: qualifiedPlural, name: name).kubectlMessage()
    }
    /// `"/v1, Resource=pods"`, as in the server's selector error.
    var gvr: String { "\(group)/\(version), Resource=\(plural)" }

    public static let pod = Pod.resourceDescription
    public static let service = Service.resourceDescription
    public static let deployment = Deployment.resourceDescription
    public static let replicaSet = ReplicaSet.resourceDescription

    public static var all: [ResourceDescription] { ResourceRegistry.all }
    public static func resolve(_ name: String) -> ResourceDescription? { ResourceRegistry.resolve(name) }

    /// `kubectl get all`: the types the `all` category holds that svclab models.
    public static var allCategory: [ResourceType] { ResourceRegistry.category("all") }
}
