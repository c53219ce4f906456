import DequeModule
import ClusterModel

public struct ObjectKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var namespace: String
    public var name: String
    public init(_ namespace: String, _ name: String) { self.namespace = namespace; self.name = name }
    public static func < (a: ObjectKey, b: ObjectKey) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
    public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// Objects of one kind, by namespace then name. Lists come back in API order (namespace, name),
/// which is what etcd's key order gives a real API server.
public struct TypedStore<T: KubeResource>: Sendable {
    private var byNamespace: [String: [String: T]] = [:]
    public private(set) var count = 0
    /// Each namespace's names in order, kept until a name comes or goes, so listing 150,000 pods
    /// does not sort them every time. A reference (so the non-mutating `list` can fill it);
    /// entries carry the generation of the names they were sorted from, and generations come from
    /// the box, so a copy of the store can never serve or spoil another copy's entry.
    private var nameGeneration: [String: Int] = [:]
    private let sortedNames = SortedNames()

    public func get(_ key: ObjectKey) -> T? { byNamespace[key.namespace]?[key.name] }
    public func get(_ namespace: String, _ name: String) -> T? { byNamespace[namespace]?[name] }

    mutating func put(_ object: T) -> T? {
        let ns = object.storeNamespace
        let old = byNamespace[ns, default: [:]].updateValue(object, forKey: object.storeName)
        if old == nil { count += 1; nameGeneration[ns] = sortedNames.nextGeneration() }
        return old
    }

    /// Changes a stored object in place (its arrays are not copied). Only the write path may
    /// call it, and must then store the object through `write` if it changed.
    mutating func modify<R>(_ key: ObjectKey, _ body: (inout T) -> R) -> R? {
        guard byNamespace[key.namespace]?[key.name] != nil else { return nil }
        return body(&byNamespace[key.namespace]![key.name]!)
    }

    mutating func remove(_ key: ObjectKey) -> T? {
        guard let old = byNamespace[key.namespace]?.removeValue(forKey: key.name) else { return nil }
        count -= 1
        nameGeneration[key.namespace] = sortedNames.nextGeneration()
        if byNamespace[key.namespace]?.isEmpty == true { byNamespace[key.namespace] = nil }
        return old
    }

    /// The names of one namespace in order (from the cache while no name came or went).
    private func names(in namespace: String) -> [String] {
        guard let m = byNamespace[namespace] else { return [] }
        let generation = nameGeneration[namespace] ?? 0
        if let cached = sortedNames.entries[namespace], cached.generation == generation { return cached.names }
        let names = m.keys.sorted()
        sortedNames.entries[namespace] = (generation, names)
        return names
    }

    /// One namespace (or all when nil), sorted by namespace then name.
    public func list(namespace: String? = nil) -> [T] {
        if let namespace {
            guard let m = byNamespace[namespace] else { return [] }
            return names(in: namespace).map { m[$0]! }
        }
        return byNamespace.keys.sorted().flatMap { ns in
            let m = byNamespace[ns]!
            return names(in: ns).map { m[$0]! }
        }
    }

    /// The first `limit` objects of a namespace in name order, without copying the rest.
    public func list(namespace: String, limit: Int) -> [T] {
        guard let m = byNamespace[namespace] else { return [] }
        return names(in: namespace).prefix(limit).map { m[$0]! }
    }

    public func count(in namespace: String) -> Int { byNamespace[namespace]?.count ?? 0 }

    /// Walks objects in (namespace, name) order — one namespace, or all when nil — starting
    /// after `key` (nil: from the first), until `body` says stop. A page of a big list costs
    /// its own size (plus a binary search), not the whole store's.
    public func forEach(namespace: String?, after key: ObjectKey?, _ body: (T) -> Bool) {
        let spaces = namespace.map { [$0] } ?? byNamespace.keys.sorted()
        for ns in spaces {
            if let key, ns < key.namespace { continue }
            guard let m = byNamespace[ns] else { continue }
            let names = names(in: ns)
            var i = 0
            if let key, ns == key.namespace { i = Self.firstIndex(after: key.name, in: names) }
            while i < names.count {
                if !body(m[names[i]]!) { return }
                i += 1
            }
        }
    }

    /// How many objects come after `key` in that order (a list's remainingItemCount).
    public func count(namespace: String?, after key: ObjectKey) -> Int {
        let spaces = namespace.map { [$0] } ?? Array(byNamespace.keys)
        return spaces.reduce(0) { total, ns in
            guard let m = byNamespace[ns], ns >= key.namespace else { return total }
            return total + (ns == key.namespace ? m.count - Self.firstIndex(after: key.name, in: names(in: ns)) : m.count)
        }
    }

    private static func firstIndex(after name: String, in names: [String]) -> Int {
        var low = 0, high = names.count
        while low < high {
            let mid = (low + high) / 2
            if names[mid] <= name { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// What a watcher sees: a change of one object (kubectl `get -w`, the TUI, scenario checks).
public struct ClusterChange: Sendable, Equatable {
    public enum ChangeType: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public var type: ChangeType
    public var kind: String
    public var key: ObjectKey
    public var resourceVersion: Int64
}

/// An index from a term to the set of object keys that carry it
/// (`pods by app=my-app`, `pods by node`, `services by selector term`).
struct SetIndex<Term: Hashable & Sendable>: Sendable {
    private var map: [Term: Set<ObjectKey>] = [:]
    mutating func insert(_ term: Term, _ key: ObjectKey) { map[term, default: []].insert(key) }
    mutating func remove(_ term: Term, _ key: ObjectKey) {
        // In place: copying the set out would copy all of it (a `tier=web` may hold 150,000 pods).
        guard map[term]?.remove(key) != nil else { return }
        if map[term]?.isEmpty == true { map[term] = nil }
    }
    func get(_ term: Term) -> Set<ObjectKey> { map[term] ?? [] }
    func count(_ term: Term) -> Int { map[term]?.count ?? 0 }
}

/// A label `key=value` in a namespace, the term of the label and selector indexes. Its parts
/// are the label's own strings: looking a pod's labels up builds no new string (a joined
/// "ns\0key=value" was a heap string per label per pod change).
struct LabelTerm: Hashable, Sendable {
    var namespace: String
    var key: String
    var value: String
}

func labelTerm(_ namespace: String, _ key: String, _ value: String) -> LabelTerm { LabelTerm(namespace: namespace, key: key, value: value) }

/// A controller's work queue: FIFO without duplicates, like client-go's workqueue. (An
/// `OrderedSet` has these semantics too, but its `removeFirst` is O(n): draining a queue of
/// 150,000 pods that way is quadratic.)
struct WorkQueue: Sequence {
    private var order = Deque<ObjectKey>()
    private var members = Set<ObjectKey>()

    var isEmpty: Bool { members.isEmpty }
    var count: Int { members.count }
    func contains(_ key: ObjectKey) -> Bool { members.contains(key) }

    mutating func append(_ key: ObjectKey) {
        if members.insert(key).inserted { order.append(key) }
    }

    mutating func popFirst() -> ObjectKey? {
        guard let key = order.popFirst() else { return nil }
        members.remove(key)
        // Emptied: give back what a burst grew (the scheduler's queue held every pod of the
        // envelope once; a Deque and a Set never shrink by themselves).
        if order.isEmpty && members.capacity > 1024 { removeAll() }
        return key
    }

    /// Forgets a key (O(n) in the queue's length; used only for the rare unschedulable list).
    mutating func remove(_ key: ObjectKey) {
        guard members.remove(key) != nil, let i = order.firstIndex(of: key) else { return }
        order.remove(at: i)
    }

    mutating func removeAll() { order.removeAll(); members.removeAll() }

    func makeIterator() -> Deque<ObjectKey>.Iterator { order.makeIterator() }
}

/// A ReplicaSet's pods as its status counts them (active = neither terminal nor terminating).
struct OwnerPodCounts: Equatable {
    var active = 0
    var ready = 0
    var fullyLabeled = 0

    mutating func add(_ pod: Pod, template: [String: String], _ sign: Int) {
        active += sign
        if pod.status.isReady { ready += sign }
        if template.allSatisfy({ pod.metadata.labels[$0.key] == $0.value }) { fullyLabeled += sign }
    }
}

/// The cache box of `TypedStore`'s sorted names (single-threaded like the whole engine).
final class SortedNames: @unchecked Sendable {
    var entries: [String: (generation: Int, names: [String])] = [:]
    private var last = 0
    func nextGeneration() -> Int { last += 1; return last }
}
