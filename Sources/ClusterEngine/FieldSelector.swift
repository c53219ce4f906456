import ClusterModel

/// `fieldSelector` (`a=b`, `a==b`, `a!=b`, comma-joined) as the API server reads it, for the
/// HTTP API's lists and watches and kubectl's `--field-selector` alike. Every kind selects on
/// metadata.name and metadata.namespace; a few on the fields the API server registers for
/// them (its field label conversions); anything else is its BadRequest.
public struct FieldSelector: Sendable {
    struct Term: Sendable { var key: String; var path: JSONPath?; var value: String; var equal: Bool }
    var terms: [Term] = []
    public var isEmpty: Bool { terms.isEmpty }

    /// The API server's BadRequest message (kubectl prefixes it with `Unable to find "/v1,
    /// Resource=pods" that match label selector "…", field selector "…": `).
    public struct Failure: Error, Equatable { public var message: String }

    /// The extra fields each kind's field label conversion accepts (kubernetes.io's list).
    static let selectable: [String: [String]] = [
        "Pod": ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
                "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"],
        "Event": ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                  "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                  "reason", "reportingComponent", "source", "type"],
        "Namespace": ["status.phase"], "ReplicaSet": ["status.replicas"], "Node": ["spec.unschedulable"],
    ]

    public init() {}

    public init(_ text: String?, for resource: ResourceDescription) throws(Failure) {
        guard let text, !text.isEmpty else { return }
        for term in text.split(separator: ",") {
            let equal = !term.contains("!=")
            let parts = term.components(separatedBy: equal ? (term.contains("==") ? "==" : "=") : "!=")
            guard parts.count == 2, !parts[0].isEmpty else {
                throw Failure(message: "invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let key = parts[0]
            var path: JSONPath?
            if key != "metadata.name" && key != "metadata.namespace" {
                guard let fields = Self.selectable[resource.kind] else {
                    throw Failure(message: "\(goQuote(key)) is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
                }
                guard fields.contains(key), let p = try? JSONPath.relaxed(key == "source" ? "source.component" : key) else {
                    throw Failure(message: "field label not supported: \(key)")
                }
                path = p
            }
            terms.append(Term(key: key, path: path, value: parts[1], equal: equal))
        }
    }

    public func matches(_ e: CatalogEntry) -> Bool {
        terms.allSatisfy { t in
            let actual: String
            switch t.key {
            case "metadata.name": actual = e.metadata.name
            case "metadata.namespace": actual = e.metadata.namespace
            default: actual = t.path.flatMap { (try? $0.values(e.value()))?.first.map(JSONPath.text) } ?? ""
            }
            return (actual == t.value) == t.equal
        }
    }
}
