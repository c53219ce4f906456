import ClusterEngine
import ClusterModel
import Kubectl

/// A watch (`?watch=true`): WatchEvents, one JSON line each, as the API server streams them.
/// A watch without a resourceVersion (or with 0) starts with a synthetic ADDED per current
/// object, as the API server's watch cache does (kubectl waits for it on a named object); with
/// the resourceVersion of a list, only what changed after it. Objects are Tables (one row) when
/// the client asked for Tables, as kubectl get -w does.
final class WatchStream {
    let request: APIRequest
    let path: ResourcePath
    let send: @Sendable (String) -> Void
    var watcherID = 0
    /// The last value sent per object, so a DELETED event carries it.
    var lastSent: [ObjectKey: CatalogEntry] = [:]
    var sentColumns = false

    init(request: APIRequest, path: ResourcePath, send: @escaping @Sendable (String) -> Void) {
        self.request = request; self.path = path; self.send = send
    }

    var namespace: String? { path.resource.namespaced ? path.namespace : "" }

    func matches(_ e: CatalogEntry) -> Bool {
        if let ns = namespace, path.resource.namespaced, e.metadata.namespace != ns { return false }
        if let name = path.name, e.metadata.name != name { return false }
        if let selector = request.query["labelSelector"], !selector.isEmpty {
            guard let parsed = try? LabelSelectorExpression.parse(selector), parsed.matches(e.metadata.labels) else { return false }
        }
        if let fields = request.query["fieldSelector"], !fields.isEmpty {
            for term in fields.split(separator: ",") {
                let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                let value = parts[1].hasPrefix("=") ? String(parts[1].dropFirst()) : parts[1]
                switch parts[0] {
                case "metadata.name": if e.metadata.name != value { return false }
                case "metadata.namespace": if e.metadata.namespace != value { return false }
                default: break
                }
            }
        }
        return true
    }

    func event(_ type: String, _ e: CatalogEntry, cluster: Cluster) -> String {
        let object: Value
        if APIHandler.wantsTable(request) {
            var table = APIHandler.table(path.resource, [e], cluster: cluster)
            // Column definitions only in the first event, as the API server sends them.
            if sentColumns, case var .object(pairs) = table, let i = pairs.firstIndex(where: { $0.0 == "columnDefinitions" }) {
                pairs[i].1 = .array([]); table = .object(pairs)
            }
            sentColumns = true
            object = table
        } else {
            object = e.value()
        }
        return Value.object([("type", .string(type)), ("object", object)]).jsonString(sortedKeys: true)
    }

    func start(cluster: Cluster) {
        let t = path.resource
        let rv = request.query["resourceVersion"] ?? ""
        let current = cluster.catalog(t, namespace: namespace, name: nil).filter(matches)
        for e in current { lastSent[ObjectKey(e.metadata.namespace, e.metadata.name)] = e }
        if rv.isEmpty || rv == "0" {
            for e in current { send(event("ADDED", e, cluster: cluster)) }
        }
        // The closure holds the stream; `unwatch` lets both go.
        watcherID = cluster.watch { [self] change in
            guard change.kind == t.kind else { return }
            if change.type == .deleted {
                guard let last = lastSent.removeValue(forKey: change.key) else { return }
                send(event("DELETED", last, cluster: cluster))
                return
            }
            guard let now = cluster.catalog(t, namespace: change.key.namespace, name: change.key.name).first else { return }
            let wasSent = lastSent[change.key] != nil
            if !matches(now) {
                // Leaving a label selector reads as a deletion to the watcher.
                if wasSent { lastSent[change.key] = nil; send(event("DELETED", now, cluster: cluster)) }
                return
            }
            lastSent[change.key] = now
            send(event(wasSent ? "MODIFIED" : "ADDED", now, cluster: cluster))
        }
    }
}


