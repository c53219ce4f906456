import ClusterModel
import OrderedCollections

/// What the Endpoints and EndpointSlice controllers must look at for one queued Service.
/// `.pods` is the incremental path: only the named pods' entries can differ from what a full
/// sync would produce, because every write that changes something the controllers read about a
/// pod queues that pod by name (`podChanged`), and every change to the Service or to what all its
/// endpoints read (the Service's spec and labels, a node's zone) queues it `.full`.
enum EndpointWork {
    case full
    case pods(Set<String>)
}

/// The names of a sync's changed pods, asked about every endpoint of the Service: usually one
/// name, compared directly (hashing each endpoint's pod name would cost more than the change).
struct ChangedPods {
    private let single: String?
    private let set: Set<String>
    init(_ names: [String]) {
        single = names.count == 1 ? names[0] : nil
        set = names.count == 1 ? [] : Set(names)
    }
    func contains(_ name: String) -> Bool { single.map { $0 == name } ?? set.contains(name) }
}

/// The Endpoints controller (pkg/controller/endpoint) and the EndpointSlice controller
/// (pkg/controller/endpointslice + kubernetes/endpointslice reconciler), run together per
/// Service: one queue of Services, and for each the Endpoints reconciler then the slice
/// reconciler (EndpointsReconciler.swift, EndpointSliceReconciler.swift), which share what a
/// pod's entries have in common (`EndpointSharing`). One queue keeps their writes interleaved
/// per Service as before (two queues would write every Endpoints object first, and move every
/// name the seeded streams draw after them). Work per sync is proportional to the Service's
/// pods and slices.
final class EndpointController: Controller {
    /// The two reconcilers a Service's sync runs, Endpoints first, and what they share.
    let sharing: EndpointSharing
    let endpointsReconciler: EndpointsReconciler
    let sliceReconciler: EndpointSliceReconciler

    override init(_ cluster: Cluster) {
        sharing = EndpointSharing()
        endpointsReconciler = EndpointsReconciler(cluster, sharing)
        sliceReconciler = EndpointSliceReconciler(cluster, sharing)
        super.init(cluster)
    }

    /// Services to sync, and what each one's sync must revisit.
    private var queue = WorkQueue()
    private var work: [ObjectKey: EndpointWork] = [:]
    /// How many syncs took the incremental path and how many the full one.
    private(set) var syncCounts = (incremental: 0, full: 0)
    /// When the current batch ends (see `Cluster.mayRunBatch`).
    private var batchDue: Millis = 0

    override func podChanged(old: Pod?, new: Pod?, _ key: ObjectKey) {
        if new == nil, let old { sharing.forget(old.metadata.uid) }
        // Only when something the controllers read changed.
        if let old, let new, !Self.endpointRelevantChange(old, new) { return }
        // The same labels select the same Services: most pod changes are status, so look once.
        let selecting = old?.metadata.labels == new?.metadata.labels ? cluster.servicesSelecting(new ?? old)
            : cluster.servicesSelecting(old).union(cluster.servicesSelecting(new))
        for svc in selecting.sorted() { enqueueService(svc, pod: key.name) }
    }

    private static func endpointRelevantChange(_ a: Pod, _ b: Pod) -> Bool {
        a.metadata.labels != b.metadata.labels || a.status.podIP != b.status.podIP
            || a.status.isReady != b.status.isReady || a.metadata.deletionTimestamp != b.metadata.deletionTimestamp
            || a.status.phase != b.status.phase || a.spec.nodeName != b.spec.nodeName
            || a.spec.hostname != b.spec.hostname || a.spec.subdomain != b.spec.subdomain
    }

    override func serviceChanged(old: Service?, new: Service?, _ key: ObjectKey) { enqueueService(key) }

    /// The mirroring controller watches Endpoints: a hand-written one of a Service without a
    /// selector queues that Service (the Endpoints controller's own writes never do).
    override func endpointsChanged(_ key: ObjectKey) {
        if let svc = cluster.services.get(key), !svc.spec.hasSelector { enqueueService(key) }
    }

    /// Slice endpoints carry their node's zone (and need the node to exist).
    override func nodeChanged(old: Node?, new node: Node) {
        let zone = "topology.kubernetes.io/zone"
        guard old == nil || old?.metadata.labels[zone] != node.metadata.labels[zone] else { return }
        for podKey in cluster.podsByNode.get(node.metadata.name).sorted() {
            for svc in cluster.servicesSelecting(cluster.pods.get(podKey)).sorted() { enqueueService(svc, pod: podKey.name) }
        }
    }

    /// The first change after a quiet spell goes through at once; later ones within the batch
    /// period wait for its end.
    override func runQueued(batching: Bool) -> Bool {
        guard !queue.isEmpty, cluster.mayRunBatch(until: batchDue, batching: batching) else { return false }
        while let key = queue.popFirst() { sync(key) }
        if batching { batchDue = cluster.now + Cluster.endpointBatchMillis }
        return true
    }

    override func dropQueuedWork() { queue.removeAll(); work.removeAll() }

    override var footprint: [String: Int] {
        ["sliceAddressLists": sliceReconciler.sliceAddressLists.count, "endpointShares": sharing.count, "endpointWork": work.count]
    }

    /// Forgets the caches (MemoryBudgetTests measures the stores without them).
    func dropCaches() { sliceReconciler.sliceAddressLists = [:]; work = [:] }

    /// Queues a Service for the two controllers: for the named pod only (the usual case, a pod
    /// event), or in full (nil: the Service itself, or something every endpoint reads, changed).
    func enqueueService(_ key: ObjectKey, pod: String? = nil) {
        queue.append(key)
        guard let pod else { work[key] = .full; return }
        switch work.removeValue(forKey: key) {
        case .full?: work[key] = .full
        case .pods(var names)?:
            // Taken out of the dictionary first, so the set is grown in place rather than copied.
            names.insert(pod)
            work[key] = .pods(names)
        case nil: work[key] = .pods([pod])
        }
    }

    private func sync(_ key: ObjectKey) {
        var work = self.work.removeValue(forKey: key) ?? .full
        if !cluster.config.incrementalEndpoints { work = .full }
        guard let svc = cluster.services.get(key) else {
            // The Service is gone: its Endpoints are deleted and its slices garbage-collected.
            cluster.removeEndpoints(key)
            for slice in cluster.slices(ofService: key) { cluster.removeSlice(ObjectKey(key.namespace, slice.metadata.name), service: key.name) }
            return
        }
        // Selector-less Services get nothing from these controllers; the mirroring controller
        // turns their hand-written Endpoints into slices. ExternalName Services get neither.
        guard let selector = svc.spec.selector, !selector.isEmpty else { sliceReconciler.mirrorEndpoints(svc, key); return }
        guard svc.spec.type != .externalName else { return }
        // After a pod event only that pod's entries are revisited (what the upstream controllers
        // compute in full comes out the same, see `EndpointWork`); anything unusual goes the full way.
        var changed: [(name: String, pod: Pod?)] = []
        if case let .pods(names) = work {
            changed = names.sorted().map { name in
                let pod = cluster.pods.get(key.namespace, name)
                return (name, pod.flatMap { p in selector.allSatisfy { p.metadata.labels[$0.key] == $0.value } ? p : nil })
            }
        }
        lazy var selected = cluster.podsMatching(selector, in: key.namespace).compactMap { cluster.pods.get($0) }
        // While a Service has no endpoint yet (its pods are starting), only the changed pods can
        // contribute one: the full sync over them alone gives what the full sync over all would
        // (the first pods of a 150-replica Deployment would otherwise each read all 150).
        let changedPods = changed.compactMap(\.pod)
        var incremental = false
        if case .pods = work {
            incremental = endpointsReconciler.updateEndpointsObject(svc, key, changed)
            if !incremental, cluster.endpoints.get(key)?.subsets.isEmpty == true {
                endpointsReconciler.syncEndpointsObject(svc, key, changedPods)
                incremental = true
            }
        }
        if !incremental { endpointsReconciler.syncEndpointsObject(svc, key, selected) }
        if case .pods = work {
            incremental = sliceReconciler.updateSlices(svc, key, changed)
            if !incremental, sliceReconciler.hasNoSliceEndpoint(key) {
                sliceReconciler.syncSlices(svc, key, changedPods)
                incremental = true
            }
        } else { incremental = false }
        if !incremental { sliceReconciler.syncSlices(svc, key, selected) }
        if incremental { syncCounts.incremental += 1 } else { syncCounts.full += 1 }
    }

}

extension Cluster {
    /// Where the incrementally kept state differs from what a full recompute gives: each
    /// Service's Endpoints subsets and the set of its slice endpoints, and each ReplicaSet's
    /// counted status. Empty when the controllers are consistent (tests check it after settling).
    public func controllerDrift() -> [String] {
        var drift: [String] = []
        for svc in services.list() {
            guard svc.spec.type != .externalName, let selector = svc.spec.selector, !selector.isEmpty else { continue }
            let key = ObjectKey(svc.metadata.namespace, svc.metadata.name)
            let selected = podsMatching(selector, in: key.namespace).compactMap { pods.get($0) }
            var wantedEndpoints = Endpoints()
            wantedEndpoints.subsets = endpointController.endpointsReconciler.endpointSubsets(svc, selected)
            endpointController.endpointsReconciler.truncateToCapacity(&wantedEndpoints)
            if endpoints.get(key)?.subsets != wantedEndpoints.subsets { drift.append("Endpoints \(key)") }
            let wanted = selected.compactMap { endpointController.sliceReconciler.desiredSliceEndpoint($0, svc) }.map { "\($0)" }.sorted()
            let stored = slices(ofService: key).flatMap(\.endpoints).map { "\($0)" }.sorted()
            if wanted != stored { drift.append("EndpointSlices \(key)") }
        }
        for rs in replicaSets.list() {
            let live = podsByOwner.get(rs.metadata.uid).compactMap { pods.get($0) }.filter { !$0.isTerminal && !$0.isTerminating }
            var scanned = OwnerPodCounts()
            for pod in live { scanned.add(pod, template: rs.spec.template.metadata.labels, 1) }
            if scanned != (podCountsByOwner[rs.metadata.uid] ?? OwnerPodCounts()) { drift.append("ReplicaSet \(rs.metadata.namespace)/\(rs.metadata.name) counts") }
        }
        return drift
    }
}

/// What a pod's entries in its Services' Endpoints and slices share: one targetRef, and the
/// last address and slice endpoint made for it (equal for every Service with the usual shape,
/// so ten Services hold one box each instead of ten copies).
struct EndpointShares {
    var targetRef: ObjectReference
    var address: EndpointAddress?
    var sliceEndpoint: SliceEndpoint?
}

/// What a pod's entries in its Services' Endpoints and slices have in common, for both
/// reconcilers: FindPort, the hostname, one targetRef per pod, and the last address and slice
/// endpoint made for it (see `EndpointShares`).
final class EndpointSharing {
    /// pod UID → the values its endpoints share.
    private var shares: [String: EndpointShares] = [:]
    var count: Int { shares.count }

    /// The pod is gone: what its entries shared goes too.
    func forget(_ uid: String) { shares[uid] = nil }

    /// FindPort: a number is used as is; a name is looked up among the pod's container ports
    /// (same protocol), first match in container order.
    func resolvePort(_ port: ServicePort, in pod: Pod) -> Int? {
        switch port.targetPort {
        case let .int(n): return n
        case let .string(name):
            for c in pod.spec.containers {
                for p in c.ports where p.name == name && p.proto == port.proto { return p.containerPort }
            }
            return nil
        }
    }

    func endpointHostname(_ pod: Pod, _ svc: Service) -> String {
        (!pod.spec.hostname.isEmpty && pod.spec.subdomain == svc.metadata.name) ? pod.spec.hostname : ""
    }

    /// The one targetRef that a pod's addresses in every Endpoints and slice share (a reference
    /// is one shared box, see ObjectReference): kept per pod UID until the pod is removed.
    func endpointTargetRef(_ pod: Pod) -> ObjectReference {
        if let ref = shares[pod.metadata.uid]?.targetRef { return ref }
        let ref = ObjectReference(kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid)
        shares[pod.metadata.uid] = EndpointShares(targetRef: ref)
        return ref
    }

    /// The pod's last Endpoints address if it equals `address` (one box in all its Services'
    /// Endpoints), else `address`, remembered for the next Service.
    func shared(_ address: EndpointAddress, of pod: Pod) -> EndpointAddress {
        let uid = pod.metadata.uid
        if let last = shares[uid]?.address, last == address { return last }
        shares[uid]?.address = address
        return address
    }

    /// The same for a slice endpoint.
    func shared(_ endpoint: SliceEndpoint, of pod: Pod) -> SliceEndpoint {
        let uid = pod.metadata.uid
        if let last = shares[uid]?.sliceEndpoint, last == endpoint { return last }
        shares[uid]?.sliceEndpoint = endpoint
        return endpoint
    }

}
