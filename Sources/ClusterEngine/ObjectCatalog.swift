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

extension Cluster {
    /// The objects of a kind in a namespace (nil: all namespaces; "" for cluster-scoped kinds),
    /// in namespace/name order — or the one named.
    public func catalog(_ t: ResourceDescription, namespace: String?, name: String? = nil) -> [CatalogEntry] {
        let tables = TableConvertor(now: now)
        func pick<T: KubeResource>(_ store: TypedStore<T>, _ row: @escaping (T, Bool) -> [String], _ encode: @escaping (T) -> Value) -> [CatalogEntry] {
            let objects: [T]
            if let name { objects = store.get(t.namespaced ? (namespace ?? "") : "", name).map { [$0] } ?? [] }
            else { objects = store.list(namespace: t.namespaced ? namespace : nil) }
            return objects.map { o in CatalogEntry(metadata: o.metadata, value: { encode(o) }, row: { row(o, $0) }) }
        }
        switch t.kind {
        case Pod.kind: return pick(pods, { tables.podRow($0, wide: $1) }, ObjectEncoder.pod)
        case Service.kind: return pick(services, { tables.serviceRow($0, wide: $1) }, ObjectEncoder.service)
        case Endpoints.kind: return pick(endpoints, { o, _ in tables.endpointsRow(o) }, ObjectEncoder.endpoints)
        case EndpointSlice.kind: return pick(endpointSlices, { o, _ in tables.sliceRow(o) }, ObjectEncoder.endpointSlice)
        case Deployment.kind: return pick(deployments, { tables.deploymentRow($0, wide: $1) }, ObjectEncoder.deployment)
        case ReplicaSet.kind: return pick(replicaSets, { tables.replicaSetRow($0, wide: $1) }, ObjectEncoder.replicaSet)
        case Node.kind: let now = self.now; return pick(nodes, { tables.nodeRow($0, wide: $1) }, { ObjectEncoder.node($0, now: now) })
        case Namespace.kind: return pick(namespaces, { o, _ in tables.namespaceRow(o) }, ObjectEncoder.namespace)
        case Event.kind: return pick(events, { tables.eventRow($0, wide: $1) }, ObjectEncoder.event)
        default:
            // A kind the cluster only stores: its table comes from the registry.
            guard let stored = t.stored, let store = self.stored[t.kind] else { return [] }
            let now = self.now
            return pick(store, { o, _ in stored.cells(stored.project?(o, now) ?? o, tables.age(o.metadata.creationTimestamp)) },
                        { o in ObjectEncoder.stored(stored.project?(o, now) ?? o) })
        }
    }
}
