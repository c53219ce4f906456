import ClusterModel

/// metadata.managedFields as the API server records them for client writes: one entry per
/// (manager, operation), holding the fields that write set in FieldsV1 form (`f:` fields,
/// `k:{…}` list items by their merge key, `v:` set members, `.` for a map or item owned as a
/// whole). Simplified: an Update entry holds the fields its request named (not a diff), and
/// nothing detects conflicts between managers.
enum ManagedFields {
    /// The merge keys of the lists that are maps in the API's schema.
    static let mergeKeys: [[String]] = [["name"], ["containerPort", "protocol"], ["port", "protocol"], ["ip"], ["type"], ["key"], ["mountPath"]]
    /// Maps whose keys are data, not fields: owned with `.` too.
    static let dataMaps: Set<String> = ["labels", "annotations", "selector", "matchLabels", "nodeSelector", "data", "hard", "limits", "requests"]

    /// The fields a request body sets (apiVersion, kind, status and server-owned metadata aside).
    static func fieldSet(_ document: Value) -> Value {
        guard case let .object(pairs) = document else { return .object([]) }
        var out: [(String, Value)] = []
        for (key, value) in pairs {
            switch key {
            case "apiVersion", "kind", "status": continue
            case "metadata":
                guard case let .object(meta) = value else { continue }
                let owned = meta.filter { ["labels", "annotations", "finalizers", "ownerReferences"].contains($0.0) }
                if !owned.isEmpty { out.append(("f:metadata", fields(.object(owned), key: "metadata"))) }
            default:
                out.append(("f:" + key, fields(value, key: key)))
            }
        }
        return .object(out)
    }

    static func fields(_ v: Value, key: String) -> Value {
        switch v {
        case let .object(pairs):
            var out: [(String, Value)] = dataMaps.contains(key) ? [(".", .object([]))] : []
            out += pairs.map { ("f:" + $0.0, fields($0.1, key: $0.0)) }
            return .object(out)
        case let .array(items):
            var out: [(String, Value)] = []
            for item in items {
                if case let .object(fieldsOfItem) = item,
                   let keyNames = mergeKeys.first(where: { names in names.allSatisfy { n in n == "protocol" || fieldsOfItem.contains { $0.0 == n } } && fieldsOfItem.contains { $0.0 == names[0] } }) {
                    let keyed = keyNames.compactMap { n -> (String, Value)? in
                        if let found = fieldsOfItem.first(where: { $0.0 == n }) { return found }
                        return n == "protocol" ? ("protocol", .string("TCP")) : nil
                    }
                    let label = "k:" + Value.object(keyed).jsonString(sortedKeys: true)
                    var entry: [(String, Value)] = [(".", .object([]))]
                    entry += fieldsOfItem.map { ("f:" + $0.0, fields($0.1, key: $0.0)) }
                    out.append((label, .object(entry)))
                } else if case .object = item {
                    return .object([])   // an atomic list: owned whole
                } else {
                    out.append(("v:" + item.jsonString(sortedKeys: true), .object([])))
                }
            }
            return .object(out)
        default:
            return .object([])
        }
    }

    /// The entries after `manager` wrote `fields` with `operation` (its earlier entry for that
    /// operation is replaced, as the API server does).
    static func record(_ existing: [ManagedFieldsEntry], manager: String, operation: String, apiVersion: String,
                       time: Millis, fields: Value, subresource: String? = nil) -> [ManagedFieldsEntry] {
        var entries = existing.filter { !($0.manager == manager && $0.operation == operation && $0.subresource == subresource) }
        entries.append(ManagedFieldsEntry(manager: manager, operation: operation, apiVersion: apiVersion,
                                          time: (time / 1000) * 1000, fieldsV1: fields, subresource: subresource))
        return entries
    }

    /// `?fieldManager=`, or what the API server derives when a client sends none.
    static func manager(_ r: APIRequest) -> String { r.query["fieldManager"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown" }
}
