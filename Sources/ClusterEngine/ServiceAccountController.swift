import ClusterModel

/// The serviceaccount controller (pkg/controller/serviceaccount): every active namespace has a
/// ServiceAccount named `default`; deleting it brings it back. Like the root-CA publisher it
/// draws UIDs from the control plane's own stream, so it never shifts the names of user pods.
extension Cluster {
    func publishDefaultServiceAccount(namespace: String, name: String = "default") {
        guard let ns = namespaces.get("", namespace), ns.phase == "Active",
              stored[ServiceAccountKind.kind]?.get(namespace, name) == nil else { return }
        var meta = ObjectMeta(name: name, namespace: namespace)
        meta.uid = controlPlaneDraw(for: namespace, name) { $0.uuid() }
        meta.creationTimestamp = (clock.now / 1000) * 1000
        putStored(StoredObject(kind: ServiceAccountKind.kind, metadata: meta, fields: .object([])))
    }
}
