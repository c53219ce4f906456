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
        storedChanged(kind: object.objectKind, key: key, old: old, new: object)
        return object
    }

    @discardableResult
    func eraseStored(kind: String, _ key: ObjectKey) -> StoredObject? {
        guard let old = stored[kind]?.remove(key) else { return nil }
        resourceVersion += 1
        notify(.deleted, kind, key)
        storedChanged(kind: kind, key: key, old: old, new: nil)
        return old
    }

    /// Stored-object event handlers of every controller that watches them (`new` nil: deleted):
    /// the root-CA publisher and the ServiceAccount controller put their objects back; the
    /// DaemonSet controller syncs on a spec change or a delete (status writes are its own).
    private func storedChanged(kind: String, key: ObjectKey, old: StoredObject?, new: StoredObject?) {
        if kind == ConfigMapKind.kind && key.name == Self.rootCAConfigMap { publishRootCA(namespace: key.namespace) }
        if kind == ServiceAccountKind.kind && key.name == "default" && new == nil { publishDefaultServiceAccount(namespace: key.namespace) }
        if kind == DaemonSetKind.kind && (new == nil || old?.fields["spec"] != new?.fields["spec"]) { daemonSetController.daemonSetChanged(key, old: old, removed: new == nil) }
    }
}
