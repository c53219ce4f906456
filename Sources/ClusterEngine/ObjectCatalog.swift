import ClusterModel

/// One object as every reader needs it: its metadata, the JSON the API returns for it, and its
/// table row. `kubectl get`, `-o yaml`, `wait`, `patch` and the HTTP API list through here, so
/// a kind is read the same way everywhere (the ClusterView the real-cluster issue builds on).
public struct CatalogEntry {
    public let metadata: ObjectMeta
    /// The object as the API server returns it.
    public let value: () -> Value
    /// Its table cells: every column with `wide` (what the HTTP API's Table carries), the
    /// priority-0 columns without.
    public let row: (_ wide: Bool) -> [String]
}

/// A table row and what selects it: `kubectl get` without an output format.
public struct CatalogRow {
    public let namespace: String
    public let name: String
    public let labels: [String: String]
    public let cells: [String]
}

/// A reader of one kind's store, handed the store with that kind's row and JSON encoders
/// (Swift closures cannot be generic, so reads that differ are visitors of the one table in
/// `visitStore`).
protocol StoreVisitor {
    associatedtype Result
    func visit<T: KubeResource>(_ store: TypedStore<T>, row: @escaping (T, Bool) -> [String], encode: @escaping (T) -> Value) -> Result
}

extension Cluster {
    /// The one table from a kind to its store, its table row and its JSON.
    func visitStore<V: StoreVisitor>(_ t: ResourceDescription, _ v: V) -> V.Result? {
        let tables = TableConvertor(now: now)
        switch t.kind {
        case Pod.kind: return v.visit(pods, row: { tables.podRow($0, wide: $1) }, encode: ObjectEncoder.pod)
        case Service.kind: return v.visit(services, row: { tables.serviceRow($0, wide: $1) }, encode: ObjectEncoder.service)
        case Endpoints.kind: return v.visit(endpoints, row: { o, _ in tables.endpointsRow(o) }, encode: ObjectEncoder.endpoints)
        case EndpointSlice.kind: return v.visit(endpointSlices, row: { o, _ in tables.sliceRow(o) }, encode: ObjectEncoder.endpointSlice)
        case Deployment.kind: return v.visit(deployments, row: { tables.deploymentRow($0, wide: $1) }, encode: ObjectEncoder.deployment)
        case ReplicaSet.kind: return v.visit(replicaSets, row: { tables.replicaSetRow($0, wide: $1) }, encode: ObjectEncoder.replicaSet)
        case Node.kind: let now = self.now; return v.visit(nodes, row: { tables.nodeRow($0, wide: $1) }, encode: { ObjectEncoder.node($0, now: now) })
        case Namespace.kind: return v.visit(namespaces, row: { o, _ in tables.namespaceRow(o) }, encode: ObjectEncoder.namespace)
        case Event.kind: return v.visit(events, row: { tables.eventRow($0, wide: $1) }, encode: ObjectEncoder.event)
        default:
            // A kind the cluster only stores: its table comes from the registry.
            guard let stored = t.stored, let store = self.stored[t.kind] else { return nil }
            let now = self.now
            return v.visit(store, row: { o, wide in
                let o = stored.project?(o, now) ?? o
                return stored.cells(o, tables.age(o.metadata.creationTimestamp)) + (wide ? stored.wideCells(o) : [])
            },
                           encode: { o in ObjectEncoder.stored(stored.project?(o, now) ?? o) })
        }
    }

    /// The objects of a kind in a namespace (nil: all namespaces; "" for cluster-scoped kinds),
    /// in namespace/name order — or the one named.
    public func catalog(_ t: ResourceDescription, namespace: String?, name: String? = nil) -> [CatalogEntry] {
        struct All: StoreVisitor {
            let t: ResourceDescription, namespace: String?, name: String?
            func visit<T: KubeResource>(_ store: TypedStore<T>, row: @escaping (T, Bool) -> [String], encode: @escaping (T) -> Value) -> [CatalogEntry] {
                let objects: [T]
                if let name { objects = store.get(t.namespaced ? (namespace ?? "") : "", name).map { [$0] } ?? [] }
                else { objects = store.list(namespace: t.namespaced ? namespace : nil) }
                return objects.map { o in CatalogEntry(metadata: o.metadata, value: { encode(o) }, row: { row(o, $0) }) }
            }
        }
        return visitStore(t, All(t: t, namespace: namespace, name: name)) ?? []
    }

    /// A kind's table rows with the metadata `get` needs beside them, built in one pass over
    /// the store: no per-object closures or copies of the objects (what `kubectl get pods -A`
    /// at 150,000 pods spends its time on otherwise).
    public func catalogRows(_ t: ResourceDescription, namespace: String?, wide: Bool) -> [CatalogRow] {
        struct Rows: StoreVisitor {
            let namespace: String?, wide: Bool
            func visit<T: KubeResource>(_ store: TypedStore<T>, row: @escaping (T, Bool) -> [String], encode: @escaping (T) -> Value) -> [CatalogRow] {
                var out: [CatalogRow] = []
                out.reserveCapacity(store.count(namespace: namespace, after: ObjectKey("", "")))
                store.forEach(namespace: namespace, after: nil) { o in
                    out.append(CatalogRow(namespace: o.metadata.namespace, name: o.metadata.name, labels: o.metadata.labels, cells: row(o, wide)))
                    return true
                }
                return out
            }
        }
        return visitStore(t, Rows(namespace: t.namespaced ? namespace : nil, wide: wide)) ?? []
    }

    /// One page of a list: up to `limit` objects after `after` that pass `filter`, the key to
    /// continue from when more may follow, and (without a filter) how many remain — the API
    /// server's limit/continue, without building the entries it does not return.
    public func catalogPage(_ t: ResourceDescription, namespace: String?, after: ObjectKey?, limit: Int,
                            where filter: ((CatalogEntry) -> Bool)? = nil) -> (entries: [CatalogEntry], next: ObjectKey?, remaining: Int?) {
        struct Page: StoreVisitor {
            let namespace: String?, after: ObjectKey?, limit: Int, filter: ((CatalogEntry) -> Bool)?
            func visit<T: KubeResource>(_ store: TypedStore<T>, row: @escaping (T, Bool) -> [String], encode: @escaping (T) -> Value) -> (entries: [CatalogEntry], next: ObjectKey?, remaining: Int?) {
                var entries: [CatalogEntry] = []
                var more = false
                store.forEach(namespace: namespace, after: after) { o in
                    let e = CatalogEntry(metadata: o.metadata, value: { encode(o) }, row: { row(o, $0) })
                    guard filter?(e) ?? true else { return true }
                    if entries.count == limit { more = true; return false }
                    entries.append(e)
                    return true
                }
                guard more, let last = entries.last else { return (entries, nil, nil) }
                let key = ObjectKey(last.metadata.namespace, last.metadata.name)
                return (entries, key, filter == nil ? store.count(namespace: namespace, after: key) : nil)
            }
        }
        return visitStore(t, Page(namespace: t.namespaced ? namespace : nil, after: after, limit: limit, filter: filter)) ?? ([], nil, nil)
    }
}
