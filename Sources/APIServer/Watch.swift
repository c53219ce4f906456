import ClusterEngine
import ClusterModel
import Kubectl

/// The changes since the server started (the newest `capacity`), so a watch from a list's
/// resourceVersion replays what happened after it, as the API server's watch cache does; a
/// resourceVersion older than what is kept gets 410 Gone. Touched only inside the engine's jobs.
final class ChangeHistory {
    let capacity: Int
    private(set) var changes: [ClusterChange] = []
    private var start = 0
    /// The resourceVersion before the oldest kept change (watches from before it are too old).
    private(set) var horizon: Int64

    init(capacity: Int = 100_000, horizon: Int64) { self.capacity = capacity; self.horizon = horizon }

    func append(_ c: ClusterChange) {
        changes.append(c)
        if changes.count - start > capacity {
            horizon = changes[start].resourceVersion
            start += 1
            if start > capacity { changes.removeFirst(start); start = 0 }
        }
    }

    /// The kept changes after `rv`, oldest first.
    func since(_ rv: Int64) -> ArraySlice<ClusterChange> {
        let kept = changes[start...]
        guard let i = kept.firstIndex(where: { $0.resourceVersion > rv }) else { return [] }
        return kept[i...]
    }
}

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

    /// The selectors, parsed once (not per event); nil when one does not parse (nothing matches).
    let labels: LabelSelectorExpression?
    let fields: FieldSelector?

    /// The server's shared cache of encoded objects (nil: encode for this watcher alone).
    let encodings: EncodedObjects?

    init(request: APIRequest, path: ResourcePath, encodings: EncodedObjects? = nil, send: @escaping @Sendable (String) -> Void) {
        self.request = request; self.path = path; self.send = send; self.encodings = encodings
        let labelText = request.query["labelSelector"] ?? ""
        labels = labelText.isEmpty ? .everything : try? LabelSelectorExpression.parse(labelText)
        fields = try? FieldSelector(request.query["fieldSelector"], for: path.resource)
    }

    var namespace: String? { path.resource.namespaced ? path.namespace : "" }

    func matches(_ e: CatalogEntry) -> Bool {
        if let ns = namespace, path.resource.namespaced, e.metadata.namespace != ns { return false }
        if let name = path.name, e.metadata.name != name { return false }
        guard let labels, let fields else { return false }
        return labels.matches(e.metadata.labels) && fields.matches(e)
    }

    func event(_ type: String, _ e: CatalogEntry, cluster: Cluster) -> String {
        let object: Value
        if !APIHandler.wantsTable(request), let encodings {
            // Many watchers of one change share its line (100 informers × a scale-up): one
            // encoding, and one string in every watcher's buffer, not a hundred.
            return encodings.event(type, path.resource.kind, e)
        }
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

    /// Starts; false when the resourceVersion asked for is older than the history (the caller
    /// then ends the stream after the ERROR event, as the API server does).
    @discardableResult
    func start(cluster: Cluster, history: ChangeHistory?) -> Bool {
        let t = path.resource
        let rv = request.query["resourceVersion"] ?? ""
        let current = cluster.catalog(t, namespace: namespace, name: nil).filter(matches)
        // sendInitialEvents (a watch-list, client-go's streaming list): the objects as ADDED,
        // then a bookmark that says the initial state is complete.
        let initialEvents = request.query["sendInitialEvents"] == "true"
        if rv.isEmpty || rv == "0" || initialEvents {
            for e in current { lastSent[ObjectKey(e.metadata.namespace, e.metadata.name)] = e }
            for e in current { send(event("ADDED", e, cluster: cluster)) }
            if initialEvents, request.query["allowWatchBookmarks"] == "true" {
                send(Self.bookmark(t, resourceVersion: cluster.resourceVersion, initialEventsEnd: true))
            }
        } else if let from = Int64(rv), let history {
            guard from >= history.horizon else {
                let status = Value.object([("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", .object([])), ("status", .string("Failure")),
                                           ("message", .string("too old resource version: \(from) (\(history.horizon))")), ("reason", .string("Expired")), ("code", .int(410))])
                send(Value.object([("type", .string("ERROR")), ("object", status)]).jsonString(sortedKeys: true))
                return false
            }
            // What the client saw at `rv` is what it listed: replay what changed since, one event
            // per object (its values are the current ones: the store keeps no old versions).
            var first: [ObjectKey: ClusterChange.ChangeType] = [:], last: [ObjectKey: ClusterChange.ChangeType] = [:], order: [ObjectKey] = []
            for c in history.since(from) where c.kind == t.kind {
                if first[c.key] == nil { first[c.key] = c.type; order.append(c.key) }
                last[c.key] = c.type
            }
            for e in current where first[ObjectKey(e.metadata.namespace, e.metadata.name)] == nil {
                lastSent[ObjectKey(e.metadata.namespace, e.metadata.name)] = e
            }
            for key in order {
                let createdSince = first[key] == .added
                if last[key] == .deleted {
                    if !createdSince { send(deletedEvent(key)) }
                } else if let now = cluster.catalog(t, namespace: key.namespace, name: key.name).first, matches(now) {
                    lastSent[key] = now
                    send(event(createdSince ? "ADDED" : "MODIFIED", now, cluster: cluster))
                }
            }
        } else {
            for e in current { lastSent[ObjectKey(e.metadata.namespace, e.metadata.name)] = e }
        }
        // The closure holds the stream; `unwatch` lets both go.
        watcherID = cluster.watch { [self] change in
            guard change.kind == t.kind else { return }
            replay(change, cluster: cluster)
        }
        return true
    }

    /// One change as this watcher sees it (a DELETED for an object it never saw is dropped; one
    /// whose value is gone carries the name it had).
    func replay(_ change: ClusterChange, cluster: Cluster) {
        let t = path.resource
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

    /// A BOOKMARK: only the kind and the resourceVersion the watch has reached (clients resume
    /// from it instead of relisting), as the API server sends about once a minute.
    static func bookmark(_ t: ResourceDescription, resourceVersion: Int64, initialEventsEnd: Bool = false) -> String {
        var meta: [(String, Value)] = [("resourceVersion", .string(String(resourceVersion)))]
        if initialEventsEnd { meta.append(("annotations", .object([("k8s.io/initial-events-end", .string("true"))]))) }
        let object: Value = .object([("kind", .string(t.kind)), ("apiVersion", .string(t.apiVersion)), ("metadata", .object(meta))])
        return Value.object([("type", .string("BOOKMARK")), ("object", object)]).jsonString(sortedKeys: true)
    }

    /// A DELETED event for an object whose value is gone: its kind and name.
    func deletedEvent(_ key: ObjectKey) -> String {
        let t = path.resource
        var meta: [(String, Value)] = [("name", .string(key.name))]
        if t.namespaced { meta.append(("namespace", .string(key.namespace))) }
        let object: Value = .object([("apiVersion", .string(t.apiVersion)), ("kind", .string(t.kind)), ("metadata", .object(meta))])
        return Value.object([("type", .string("DELETED")), ("object", object)]).jsonString(sortedKeys: true)
    }
}



/// The WatchEvent lines of the object the latest change touched, keyed by event type, kind, name
/// and resourceVersion: every watcher of that change sends (and buffers) the same string. Only
/// the newest resourceVersion is kept.
final class EncodedObjects {
    private var resourceVersion = ""
    private var byKey: [String: String] = [:]

    /// The WatchEvent line `{"object":…,"type":…}` for this object at its resourceVersion.
    func event(_ type: String, _ kind: String, _ e: CatalogEntry) -> String {
        if e.metadata.resourceVersion != resourceVersion { resourceVersion = e.metadata.resourceVersion; byKey.removeAll(keepingCapacity: true) }
        let key = "\(type)/\(kind)/\(e.metadata.namespace)/\(e.metadata.name)"
        if let cached = byKey[key] { return cached }
        let line = #"{"object":"# + e.value().jsonString(sortedKeys: true) + #","type":""# + type + #""}"#
        byKey[key] = line
        return line
    }
}
