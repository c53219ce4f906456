/// The three patch kinds `kubectl patch --type` sends, applied to an object's JSON as the API
/// server applies them: RFC 7386 merge, strategic merge (lists merged by their patchMergeKey),
/// and RFC 6902 JSON patch.
public enum Patch {
    /// What a client may write: the server's own metadata and the status are dropped before the
    /// strict decode (the update keeps the server's values for them anyway).
    public static func userFields(_ v: Value) -> Value {
        guard var pairs = v.objectValue else { return v }
        pairs.removeAll { $0.0 == "status" }
        if let i = pairs.firstIndex(where: { $0.0 == "metadata" }), let meta = pairs[i].1.objectValue {
            let kept: Set<String> = ["name", "namespace", "labels", "annotations", "generateName"]
            pairs[i].1 = .object(meta.filter { kept.contains($0.0) })
        }
        return .object(pairs)
    }

    public struct Failure: Error, Equatable, Sendable {
        public var message: String
        public init(message: String) { self.message = message }
    }

    /// RFC 7386: objects merge recursively, `null` deletes a key, anything else replaces.
    public static func merge(_ target: Value, _ patch: Value) -> Value {
        guard case let .object(patchPairs) = patch else { return patch }
        var pairs = target.objectValue ?? []
        for (key, value) in patchPairs {
            let index = pairs.firstIndex { $0.0 == key }
            if value.isNull {
                if let index { pairs.remove(at: index) }
            } else if let index {
                pairs[index].1 = merge(pairs[index].1, value)
            } else {
                pairs.append((key, merge(.null, value)))
            }
        }
        return .object(pairs)
    }

    /// The patchMergeKey of each list the engine models (from the Go types' struct tags);
    /// lists not named here are replaced whole, as in strategic merge.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "env": "name", "volumes": "name",
        "volumeMounts": "mountPath", "imagePullSecrets": "name", "conditions": "type",
        "ownerReferences": "uid", "addresses": "type", "hostAliases": "ip",
    ]

    /// Strategic merge patch: as `merge`, but lists with a merge key merge element by element
    /// (`$patch: delete` in an element removes it; `$patch: replace` replaces the list), and a
    /// container's or Service's `ports` merge by port number.
    public static func strategic(_ target: Value, _ patch: Value, key: String = "") -> Value {
        switch patch {
        case let .object(patchPairs):
            if patchPairs.contains(where: { $0.0 == "$patch" && $0.1.stringValue == "replace" }) {
                return .object(patchPairs.filter { $0.0 != "$patch" })
            }
            var pairs = target.objectValue ?? []
            for (k, value) in patchPairs where !k.hasPrefix("$") {
                let index = pairs.firstIndex { $0.0 == k }
                if value.isNull {
                    if let index { pairs.remove(at: index) }
                } else if let index {
                    pairs[index].1 = strategic(pairs[index].1, value, key: k)
                } else {
                    pairs.append((k, strategic(.null, value, key: k)))
                }
            }
            return .object(pairs)
        case let .array(patchItems):
            let mergeKey = mergeKeys[key] ?? (key == "ports" ? portKey(patchItems) : nil)
            guard let mergeKey, var items = target.arrayValue else {
                return .array(patchItems.map { strategic(.null, $0) })
            }
            if patchItems.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
                return .array(patchItems.filter { $0["$patch"] == nil })
            }
            for item in patchItems {
                let id = item[mergeKey]
                let index = items.firstIndex { $0[mergeKey] != nil && $0[mergeKey] == id }
                if item["$patch"]?.stringValue == "delete" {
                    if let index { items.remove(at: index) }
                } else if let index {
                    items[index] = strategic(items[index], item)
                } else {
                    items.append(strategic(.null, item))
                }
            }
            return .array(items)
        default:
            return patch
        }
    }

    /// Container ports merge by `containerPort`, Service ports by `port`.
    private static func portKey(_ items: [Value]) -> String? {
        if items.contains(where: { $0["containerPort"] != nil }) { return "containerPort" }
        if items.contains(where: { $0["port"] != nil }) { return "port" }
        return nil
    }

    /// RFC 6902 JSON patch with the API server's error texts.
    public static func json(_ target: Value, _ operations: Value) throws(Failure) -> Value {
        guard let ops = operations.arrayValue else {
            throw Failure(message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        }
        var doc = target
        for op in ops {
            guard let name = op["op"]?.stringValue else { throw Failure(message: "Unexpected kind: ") }
            guard let path = op["path"]?.stringValue else { throw Failure(message: "missing path") }
            let pointer = try Self.pointer(path)
            switch name {
            case "add":
                guard let value = op["value"] else { throw Failure(message: "missing value") }
                doc = try set(doc, pointer[...], value, insert: true)
            case "replace":
                guard let value = op["value"] else { throw Failure(message: "missing value") }
                guard get(doc, pointer[...]) != nil else { throw Failure(message: "replace operation does not apply: doc is missing key: \(path)") }
                doc = try set(doc, pointer[...], value, insert: false)
            case "remove":
                guard get(doc, pointer[...]) != nil else { throw Failure(message: "remove operation does not apply: doc is missing path: \"\(path)\"") }
                doc = try remove(doc, pointer[...])
            case "test":
                guard get(doc, pointer[...]) == op["value"] else { throw Failure(message: "testing value \(path) failed: test failed") }
            case "move", "copy":
                guard let from = op["from"]?.stringValue else { throw Failure(message: "missing from") }
                let source = try Self.pointer(from)
                guard let value = get(doc, source[...]) else { throw Failure(message: "\(name) operation does not apply: doc is missing from path: \(from)") }
                if name == "move" { doc = try remove(doc, source[...]) }
                doc = try set(doc, pointer[...], value, insert: true)
            default:
                throw Failure(message: "Unexpected kind: \(name)")
            }
        }
        return doc
    }

    static func pointer(_ path: String) throws(Failure) -> [String] {
        guard path.hasPrefix("/") else { throw Failure(message: "JSON pointer must be empty or start with a \"/\"") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    static func get(_ doc: Value, _ path: ArraySlice<String>) -> Value? {
        guard let head = path.first else { return doc }
        if let items = doc.arrayValue {
            guard let i = Int(head), items.indices.contains(i) else { return nil }
            return get(items[i], path.dropFirst())
        }
        return doc[head].flatMap { get($0, path.dropFirst()) }
    }

    static func set(_ doc: Value, _ path: ArraySlice<String>, _ value: Value, insert: Bool) throws(Failure) -> Value {
        guard let head = path.first else { return value }
        let rest = path.dropFirst()
        if var items = doc.arrayValue {
            if rest.isEmpty && insert {
                if head == "-" { items.append(value); return .array(items) }
                guard let i = Int(head), i >= 0, i <= items.count else { throw Failure(message: "add operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\"") }
                items.insert(value, at: i)
                return .array(items)
            }
            guard let i = Int(head), items.indices.contains(i) else { throw Failure(message: "doc is missing path: \"/\(path.joined(separator: "/"))\"") }
            items[i] = try set(items[i], rest, value, insert: insert)
            return .array(items)
        }
        guard var pairs = doc.objectValue else { throw Failure(message: "doc is missing path: \"/\(path.joined(separator: "/"))\"") }
        if let i = pairs.firstIndex(where: { $0.0 == head }) {
            pairs[i].1 = try set(pairs[i].1, rest, value, insert: insert)
        } else {
            guard rest.isEmpty else { throw Failure(message: "add operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value") }
            pairs.append((head, value))
        }
        return .object(pairs)
    }

    static func remove(_ doc: Value, _ path: ArraySlice<String>) throws(Failure) -> Value {
        guard let head = path.first else { return .null }
        let rest = path.dropFirst()
        if var items = doc.arrayValue, let i = Int(head), items.indices.contains(i) {
            if rest.isEmpty { items.remove(at: i) } else { items[i] = try remove(items[i], rest) }
            return .array(items)
        }
        guard var pairs = doc.objectValue, let i = pairs.firstIndex(where: { $0.0 == head }) else { return doc }
        if rest.isEmpty { pairs.remove(at: i) } else { pairs[i].1 = try remove(pairs[i].1, rest) }
        return .object(pairs)
    }
}

import Foundation
