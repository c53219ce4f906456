/// ResourceQuota and LimitRange (core/v1): stored as written (svclab does not enforce them);
/// `kubectl describe namespace` asks for both and says "No resource quota." when there are none.
public enum ResourceQuotaKind {
    public static let description = ResourceDescription(
        kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"],
        stored: StoredKind(
            decodeFields: { r in .object([("spec", r.raw("spec")), ("status", r.raw("status"))].compactMap { k, v in v.map { (k, $0) } }) },
            columns: ["NAME", "AGE", "REQUEST", "LIMIT"],
            cells: { q, age in
                // printResourceQuota: "resource: used/hard" for requests and limits.
                let hard = q["spec"]?["hard"]?.objectValue ?? [], used = q["status"]?["used"]?.objectValue ?? []
                func part(_ limits: Bool) -> String {
                    hard.filter { $0.0.hasPrefix("limits.") == limits }.sorted { $0.0 < $1.0 }
                        .map { k, v in "\(k): \(used.first { $0.0 == k }.map { JSONPath.text($0.1) } ?? "0")/\(JSONPath.text(v))" }.joined(separator: ", ")
                }
                return [q.metadata.name, age, part(false), part(true)]
            }))
}

public enum LimitRangeKind {
    public static let description = ResourceDescription(
        kind: "LimitRange", plural: "limitranges", shortNames: ["limits"],
        stored: StoredKind(
            decodeFields: { r in .object([("spec", r.raw("spec"))].compactMap { k, v in v.map { (k, $0) } }) },
            columns: ["NAME", "CREATED AT"],
            cells: { l, _ in [l.metadata.name, l.metadata.creationTimestamp.map(Timestamps.rfc3339) ?? "<unknown>"] }))
}
