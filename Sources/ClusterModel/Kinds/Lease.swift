/// Lease (coordination.k8s.io/v1): each node's heartbeat in kube-node-lease, which `kubectl
/// describe node` prints. Kubelets renew every 10 s; a read sees the latest renewal (see
/// StoredKind.project) instead of the store taking a write per node every 10 s.
public enum LeaseKind {
    public static let kind = "Lease"
    public static let renewInterval: Millis = 10_000

    public static let description = ResourceDescription(
        kind: kind, group: "coordination.k8s.io", plural: "leases",
        stored: StoredKind(
            decodeFields: { r in .object([("spec", r.raw("spec"))].compactMap { k, v in v.map { (k, $0) } }) },
            columns: ["NAME", "HOLDER", "AGE"],
            cells: { l, age in [l.metadata.name, l["spec"]?["holderIdentity"]?.stringValue ?? "", age] },
            project: { lease, now in
                // A node lease renewed every 10 s since it was created: the last renewal before now.
                guard lease.metadata.namespace == "kube-node-lease", let created = lease.metadata.creationTimestamp,
                      case var .object(fields) = lease.fields, let i = fields.firstIndex(where: { $0.0 == "spec" }),
                      case var .object(spec) = fields[i].1 else { return lease }
                let renewed = created + max(0, (now - created) / renewInterval) * renewInterval
                spec.removeAll { $0.0 == "renewTime" }
                spec.append(("renewTime", .string(microTime(renewed))))
                fields[i].1 = .object(spec)
                var projected = lease
                projected.fields = .object(fields)
                return projected
            }))

    /// metav1.MicroTime as the API writes it: RFC 3339 with six fractional digits.
    public static func microTime(_ t: Millis) -> String {
        let base = Timestamps.rfc3339(t / 1000 * 1000)
        let millis = String(t % 1000)
        return String(base.dropLast()) + "." + String(repeating: "0", count: 3 - millis.count) + millis + "000Z"
    }
}
