import ClusterModel

/// The write path for the kinds the cluster only stores (StoredObject): the same stamping and
/// watch events as the typed stores, one store per kind.
extension Cluster {
    public func storedObjects(kind: String, namespace: String? = nil) -> [StoredObject] {
        stored[kind]?.list(namespace: namespace) ?? []
    }

    @discardableResult
    func putStored(_ object: StoredObject) -> StoredObject {
        var object = object
        object.metadata.resourceVersion = nextResourceVersion()
        let key = ObjectKey(object.metadata.namespace, object.metadata.name)
        let old = stored[object.objectKind, default: TypedStore()].put(object)
        notify(old == nil ? .added : .modified, object.objectKind, key)
        storedChanged(kind: object.objectKind, key: key, removed: false)
        if object.objectKind == DaemonSetKind.kind, old?.fields["spec"] != object.fields["spec"] || old == nil {
            daemonSetChanged(key, old: old, removed: false)
        }
        return object
    }

    @discardableResult
    func eraseStored(kind: String, _ key: ObjectKey) -> StoredObject? {
        guard let old = stored[kind]?.remove(key) else { return nil }
        resourceVersion += 1
        notify(.deleted, kind, key)
        storedChanged(kind: kind, key: key, removed: true)
        if kind == DaemonSetKind.kind { daemonSetChanged(key, old: old, removed: true) }
        return old
    }
}
