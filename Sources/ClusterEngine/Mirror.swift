import ClusterModel

/// An object as a real cluster's API server has it (its UID, resourceVersion and status),
/// for a cluster that mirrors a real one (`Config.mirrorsRealCluster`).
public enum MirroredObject: Sendable {
    case namespace(Namespace)
    case node(Node)
    case pod(Pod)
    case service(Service)
    case deployment(Deployment)
    case replicaSet(ReplicaSet)
    case endpoints(Endpoints)
    case endpointSlice(EndpointSlice)
    case event(Event)

    public var kind: String {
        switch self {
        case .namespace: return Namespace.kind
        case .node: return Node.kind
        case .pod: return Pod.kind
        case .service: return Service.kind
        case .deployment: return Deployment.kind
        case .replicaSet: return ReplicaSet.kind
        case .endpoints: return Endpoints.kind
        case .endpointSlice: return EndpointSlice.kind
        case .event: return Event.kind
        }
    }

    public var key: ObjectKey { ObjectKey(metadata.namespace, metadata.name) }
}

/// The mirror's write path: what a reflector saw on the real cluster goes into the same stores
/// and indexes the simulation uses, so every reader — kubectl's tables and describe, `why`,
/// `trace`, the lab — works on it unchanged. Controllers stay off (`settle` drops their work):
/// the real cluster's controllers already wrote the Endpoints, slices and statuses mirrored here.
extension Cluster {
    /// An empty cluster that mirrors a real one; its clock starts at `now` (the wall clock,
    /// read by the caller: the engine never reads it).
    public static func mirror(clusterName: String, now: Millis, proxyMode: ProxyMode = .iptables) -> Cluster {
        var config = Config(seed: 1, workerNodes: 0)
        config.proxyMode = proxyMode
        config.clusterName = clusterName
        config.start = now
        config.loadBalancerPool = nil
        config.mirrorsRealCluster = true
        return Cluster(config: config)
    }

    /// Moves the mirror's clock to the wall clock (AGE columns), never backwards.
    public func mirrorClock(to now: Millis) { clock.set(max(clock.now, now)) }

    /// Stores an object as the real cluster has it (added or modified).
    public func mirrorPut(_ object: MirroredObject) {
        precondition(config.mirrorsRealCluster, "only a mirror takes objects as they are")
        switch object {
        case let .namespace(ns): write(ns, into: \.namespaces)
        case let .node(node): putNode(node)
        case let .pod(pod): putPod(pod)
        case let .service(svc): putService(svc)
        case let .deployment(d): putDeployment(d)
        case let .replicaSet(rs): putReplicaSet(rs)
        case let .endpoints(ep): putEndpoints(ep)
        case let .endpointSlice(slice): putWrittenSlice(slice)
        case let .event(event): putMirroredEvent(event)
        }
        dropControllerWork()
    }

    /// Removes an object the real cluster deleted (nothing if the mirror lacks it).
    public func mirrorRemove(kind: String, _ key: ObjectKey) {
        precondition(config.mirrorsRealCluster, "only a mirror takes objects as they are")
        switch kind {
        case Namespace.kind: erase(key, from: \.namespaces)
        case Node.kind:
            erase(key, from: \.nodes) { old in
                nodeOrder.removeAll { $0 == key.name }
                addressBook.clear(old.internalIP, .node(key.name))
            }
        case Pod.kind: if pods.get(key) != nil { removePod(key) }
        // The engine's own removal; releasing addresses a mirror never allocated changes nothing.
        case Service.kind: if services.get(key) != nil { removeService(key) }
        case Deployment.kind: removeDeployment(key)
        case ReplicaSet.kind: if replicaSets.get(key) != nil { removeReplicaSet(key) }
        case Endpoints.kind: removeEndpoints(key)
        case EndpointSlice.kind:
            if let slice = endpointSlices.get(key) {
                if slice.serviceName.isEmpty { erase(key, from: \.endpointSlices) } else { removeSlice(key, service: slice.serviceName) }
            }
        case Event.kind:
            erase(key, from: \.events) { old in
                eventsByObject.remove(EventObject(old.involvedObject.kind, key.namespace, old.involvedObject.name), key.name)
            }
        default: break
        }
        dropControllerWork()
    }

    /// A relist: the kind's objects become exactly `objects` (what was deleted while the watch
    /// was away goes; what is unchanged is not written again).
    public func mirrorReplace(kind: String, with objects: [MirroredObject]) {
        let versions = mirroredVersions(kind: kind)
        let present = Set(objects.map(\.key))
        for key in versions.keys.sorted() where !present.contains(key) { mirrorRemove(kind: kind, key) }
        for object in objects where versions[object.key] != object.resourceVersion { mirrorPut(object) }
    }

    /// The resourceVersions of a kind's objects in the mirror (`only`: of that one object),
    /// through the one kind→store table (`visitStore`).
    public func mirroredVersions(kind: String, only key: ObjectKey? = nil) -> [ObjectKey: String] {
        struct Versions: StoreVisitor {
            let key: ObjectKey?
            func visit<T: KubeResource>(_ store: TypedStore<T>, cells: @escaping Cells<T>, encode: @escaping (T) -> Value) -> [ObjectKey: String] {
                if let key { return store.get(key).map { [key: $0.metadata.resourceVersion] } ?? [:] }
                return Dictionary(store.list().map { (ObjectKey($0.storeNamespace, $0.storeName), $0.metadata.resourceVersion) },
                                  uniquingKeysWith: { a, _ in a })
            }
        }
        guard let t = ResourceRegistry.kind(kind) else { return [:] }
        return visitStore(t, Versions(key: key)) ?? [:]
    }

    private func putMirroredEvent(_ event: Event) {
        write(event, into: \.events) { old, key in
            if let old { eventsByObject.remove(EventObject(old.involvedObject.kind, key.namespace, old.involvedObject.name), key.name) }
            eventsByObject.insert(EventObject(event.involvedObject.kind, key.namespace, event.involvedObject.name), key.name)
        }
        noteMirroredEvent(ObjectKey(event.storeNamespace, event.storeName), at: event.lastTimestamp)
    }

    /// Runs `body` (a kubectl command) on the mirror only to learn what it would change: every
    /// write is journaled with the object before and after, then undone, so the mirror keeps
    /// showing the real cluster until the real API server has the change and its watch says so.
    public func journalMirror<R>(_ body: () -> R) -> (R, [MirrorJournalEntry]) {
        precondition(config.mirrorsRealCluster, "only a mirror journals its writes")
        mirrorJournal = []
        let result = body()
        let journal = mirrorJournal ?? []
        mirrorJournal = nil
        for entry in journal.reversed() {
            if let before = entry.before { mirrorPut(before) } else { mirrorRemove(kind: entry.kind, entry.key) }
        }
        return (result, journal)
    }

    func journalMirrorWrite<T: KubeResource>(_ kind: String, _ key: ObjectKey, before: T?, after: T?) {
        // Events the command's code records are the simulation's, not the real cluster's.
        guard kind != Event.kind else { return }
        mirrorJournal?.append(MirrorJournalEntry(kind: kind, key: key, before: before.flatMap(MirroredObject.wrapping),
                                                 after: after.flatMap(MirroredObject.wrapping)))
    }

    /// What the write path queued for controllers, dropped: a mirror runs none.
    func dropControllerWork() {
        for controller in controllers { controller.dropQueuedWork() }
    }
}

/// One write a command made on the mirror: the object before (nil: created) and after (nil: deleted).
public struct MirrorJournalEntry: Sendable {
    public let kind: String
    public let key: ObjectKey
    public let before: MirroredObject?
    public let after: MirroredObject?
}

extension MirroredObject {
    static func wrapping<T: KubeResource>(_ object: T) -> MirroredObject? {
        switch object {
        case let o as Namespace: return .namespace(o)
        case let o as Node: return .node(o)
        case let o as Pod: return .pod(o)
        case let o as Service: return .service(o)
        case let o as Deployment: return .deployment(o)
        case let o as ReplicaSet: return .replicaSet(o)
        case let o as Endpoints: return .endpoints(o)
        case let o as EndpointSlice: return .endpointSlice(o)
        case let o as Event: return .event(o)
        default: return nil
        }
    }

    public var metadata: ObjectMeta {
        switch self {
        case let .namespace(o): return o.metadata
        case let .node(o): return o.metadata
        case let .pod(o): return o.metadata
        case let .service(o): return o.metadata
        case let .deployment(o): return o.metadata
        case let .replicaSet(o): return o.metadata
        case let .endpoints(o): return o.metadata
        case let .endpointSlice(o): return o.metadata
        case let .event(o): return o.metadata
        }
    }

    public var resourceVersion: String { metadata.resourceVersion }
}
