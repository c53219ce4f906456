import ClusterEngine
import ClusterModel
import Foundation

/// Writing to a real cluster: what a kubectl command did to the mirror (its journal) becomes
/// the requests kubectl itself would send — a merge patch of labels and annotations, the scale
/// subresource, a DELETE — and the mirror then waits for the watch to bring the result back.
extension RealCluster {
    /// One request per changed object; nil on success, else the first error as kubectl prints it.
    public func write(_ journal: [MirrorJournalEntry]) -> String? {
        let deleted = Set(journal.filter { $0.after == nil }.compactMap { $0.before?.metadata.uid })
        var waitFor: [(kind: String, key: ObjectKey, version: String?)] = []
        for entry in journal {
            guard let kind = MirroredKind.named(entry.kind), let before = entry.before else { continue }
            let path = kind.path(of: entry.key)
            var requests: [(String, String, String?)] = []
            if let after = entry.after {
                if after.metadata.deletionTimestamp != nil && before.metadata.deletionTimestamp == nil {
                    requests.append(("DELETE", path, nil))
                } else {
                    var metadata: [(String, Value)] = []
                    if let labels = Self.mapPatch(before.metadata.labels, after.metadata.labels) { metadata.append(("labels", labels)) }
                    if let notes = Self.mapPatch(before.metadata.annotations, after.metadata.annotations) { metadata.append(("annotations", notes)) }
                    if !metadata.isEmpty { requests.append(("PATCH", path, Value.object([("metadata", .object(metadata))]).jsonString())) }
                    if let replicas = Self.replicas(after), replicas != Self.replicas(before) {
                        requests.append(("PATCH", path + "/scale", #"{"spec":{"replicas":\#(replicas)}}"#))
                    }
                }
            } else {
                // Deleting an owner deletes what it owns on the real cluster (its garbage
                // collector): only the objects the command named are sent.
                if let owner = before.metadata.controllerRef, deleted.contains(owner.uid) { continue }
                requests.append(("DELETE", path, nil))
            }
            for (method, path, body) in requests {
                do {
                    let (status, text) = try client.sendBlocking(method, path, body: body)
                    if status >= 300 { return APIClient.failure(status: status, body: text).message }
                } catch {
                    return error.message
                }
            }
            if !requests.isEmpty { waitFor.append((entry.kind, entry.key, before.resourceVersion)) }
        }
        awaitWatch(for: waitFor)
        return nil
    }

    /// Lets the watches bring the written objects back (up to a second), so the next command
    /// shows the change as kubectl's next command would.
    func awaitWatch(for written: [(kind: String, key: ObjectKey, version: String?)]) {
        let deadline = Date().addingTimeInterval(1)
        while Date() < deadline {
            refresh(now: Millis(Date().timeIntervalSince1970 * 1000))
            let current = Dictionary(uniqueKeysWithValues: written.map { w in
                ("\(w.kind)/\(w.key)", mirror.mirroredVersions(kind: w.kind, only: w.key)[w.key])
            })
            if written.allSatisfy({ current["\($0.kind)/\($0.key)"] != $0.version }) { return }
            usleep(10_000)
        }
    }

    /// A JSON merge patch of a string map: changed keys with their value, removed keys null.
    static func mapPatch(_ before: [String: String], _ after: [String: String]) -> Value? {
        guard before != after else { return nil }
        var pairs: [(String, Value)] = []
        for (k, v) in after.sorted(by: { $0.key < $1.key }) where before[k] != v { pairs.append((k, .string(v))) }
        for k in before.keys.sorted() where after[k] == nil { pairs.append((k, .null)) }
        return .object(pairs)
    }

    static func replicas(_ object: MirroredObject) -> Int? {
        switch object {
        case let .deployment(d): return d.spec.replicas
        case let .replicaSet(rs): return rs.spec.replicas
        default: return nil
        }
    }
}
