/// ServiceAccount (core/v1): the identity a pod runs as. The serviceaccount controller puts a
/// `default` one in every namespace; pods name theirs in spec.serviceAccountName (admission
/// refuses a pod whose account does not exist). The cluster only stores it.
public enum ServiceAccountKind {
    public static let kind = "ServiceAccount"

    public static let description = ResourceDescription(
        kind: kind, plural: "serviceaccounts", shortNames: ["sa"],
        stored: StoredKind(
            decodeFields: { r in
                var fields: [(String, Value)] = []
                if let v = r.bool("automountServiceAccountToken") { fields.append(("automountServiceAccountToken", .bool(v))) }
                for key in ["imagePullSecrets", "secrets"] {
                    if let list = r.objects(key, key == "secrets" ? "ObjectReference" : "LocalObjectReference") {
                        fields.append((key, .array(list.map { item in
                            var item = item
                            defer { item.finish() }
                            var pairs: [(String, Value)] = []
                            for field in key == "secrets" ? ["apiVersion", "fieldPath", "kind", "name", "namespace", "resourceVersion", "uid"] : ["name"] {
                                if let s = item.string(field) { pairs.append((field, .string(s))) }
                            }
                            return .object(pairs)
                        })))
                    }
                }
                return .object(fields)
            },
            columns: ["NAME", "SECRETS", "AGE"],
            cells: { sa, age in [sa.metadata.name, String(sa["secrets"]?.arrayValue?.count ?? 0), age] },
            describe: { sa in
                // describeServiceAccount: pull secrets, mountable secrets, tokens.
                func names(_ key: String) -> String {
                    let list = (sa[key]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                    return list.isEmpty ? "<none>" : list.joined(separator: "\n\t")
                }
                return ["Image pull secrets:\t\(names("imagePullSecrets"))", "Mountable secrets:\t\(names("secrets"))", "Tokens:\t<none>"]
            }))
}
