import ClusterModel
import Foundation

/// The ReplicaSet controller (pkg/controller/replicaset): each ReplicaSet's pods created or
/// deleted to its size, its status counted, orphans adopted and strays released.
///
/// Work per sync is constant while the ReplicaSet has its size: its status comes from counts
/// the pod write path keeps (`podCountsByOwner`); only creating or choosing victims, and
/// availability with minReadySeconds, look at the pods themselves.
final class ReplicaSetController: Controller {
    /// kube-controller-manager's ReplicaSet controller: pods created or deleted in one sync.
    static let burstReplicas = 500

    private var queue = WorkQueue()
    /// Pods whose owner may change (released or adopted), decided one pod at a time.
    private var claimQueue = WorkQueue()
    /// Queued ReplicaSets that lack their size (the rest only have status to recount), kept as
    /// they are queued and their pods come and go, so `runQueued` need not look at every one.
    private var unsized = Set<ObjectKey>()
    /// ReplicaSets that created a full burst (burstReplicas) and wait for their next sync, when
    /// it is allowed again: a scale to millions answers at once and grows over time.
    private var burstUntil: [ObjectKey: Millis] = [:]
    /// Failed pod creations in a row per ReplicaSet (the workqueue's backoff grows with them).
    private var createFailures: [ObjectKey: Int] = [:]
    /// When the current status batch ends (see `Cluster.mayRunBatch`).
    private var batchDue: Millis = 0

    override func podChanged(old: Pod?, new: Pod?, _ key: ObjectKey) {
        // The owner's counts may change.
        for p in [old, new].compactMap({ $0 }) {
            if let ref = p.metadata.controllerRef, ref.kind == ReplicaSet.kind { enqueue(ObjectKey(p.metadata.namespace, ref.name)) }
        }
        // Ownership may change when labels do (release or adoption), decided for this pod only.
        if let new, old?.metadata.labels != new.metadata.labels || (old?.metadata.controllerRef != nil && new.metadata.controllerRef == nil) {
            claimQueue.append(key)
        }
    }

    override func replicaSetChanged(old: ReplicaSet?, new: ReplicaSet?, _ key: ObjectKey) {
        if new != nil { enqueue(key) } else { noteSize(key) }
    }

    /// The burst's pause is over (`TimerAction.replicaSetBurst`).
    func burstEnded(_ key: ObjectKey) {
        burstUntil[key] = nil
        if cluster.replicaSets.get(key) != nil { enqueue(key) }
    }

    override func runQueued(batching: Bool) -> Bool {
        // ReplicaSets act on a new size before the Deployment looks again, so a rollout's
        // next step sees the pods the last step removed (no transient pods over maxSurge).
        if let key = claimQueue.popFirst() { syncClaim(key); return true }
        // A ReplicaSet whose size is right has only status to recount: it gathers like the Endpoints.
        guard !queue.isEmpty, cluster.mayRunBatch(until: batchDue, batching: batching && unsized.isEmpty) else { return false }
        while let key = queue.popFirst() { unsized.remove(key); sync(key) }
        if batching { batchDue = cluster.now + Cluster.endpointBatchMillis }
        return true
    }

    override func dropQueuedWork() { queue.removeAll(); claimQueue.removeAll(); unsized.removeAll() }
    override var footprint: [String: Int] { ["replicaSetBursts": burstUntil.count] }

    /// Everything that can change whether a ReplicaSet has its size (its pods, its spec, its
    /// deletion) comes through here or `noteSize`.
    private func enqueue(_ key: ObjectKey) {
        queue.append(key)
        noteSize(key)
    }

    private func noteSize(_ key: ObjectKey) {
        if queue.contains(key) && !hasItsSize(key) { unsized.insert(key) } else { unsized.remove(key) }
    }

    private func hasItsSize(_ key: ObjectKey) -> Bool {
        cluster.replicaSets.get(key).map { cluster.podsByOwner.count($0.metadata.uid) == $0.desiredReplicas } ?? false
    }

    private func sync(_ key: ObjectKey) {
        guard var rs = cluster.replicaSets.get(key) else { return }
        let diff = (cluster.podCountsByOwner[rs.metadata.uid]?.active ?? 0) - rs.desiredReplicas
        let ref = cluster.reference(ReplicaSet.kind, rs.metadata, apiVersion: ReplicaSet.apiVersion)
        if diff < 0 {
            // Upstream's burstReplicas: at most 500 pods per sync; the next sync comes when the
            // creations have been observed (here: one simulated second later), so a scale to
            // 100,000,000 answers at once and the pods appear 500 a second, never all at once.
            if burstUntil[key] == nil && cluster.pods.count >= cluster.config.maxPods {
                cluster.recordEvent(ref, type: "Warning", reason: "FailedCreate",
                            message: "Error creating: svclab simulates at most \(cluster.config.maxPods) pods; delete some or scale down",
                            component: "replicaset-controller")
            } else if burstUntil[key] == nil, let problem = cluster.serviceAccountProblem(rs.spec.template.spec, namespace: key.namespace) {
                // Admission refuses the first pod of the batch (slow start: one try per sync);
                // the controller retries with the workqueue's backoff (5 ms doubling, ≤ 1000 s).
                cluster.recordEvent(ref, type: "Warning", reason: "FailedCreate",
                            message: "Error creating: pods \(goQuote(rs.metadata.name + "-")) is forbidden: \(problem)", component: "replicaset-controller")
                let failures = (createFailures[key] ?? 0) + 1
                createFailures[key] = failures
                let delay = min(Millis(5) << Millis(min(failures - 1, 30)), 1_000_000)
                burstUntil[key] = cluster.now + delay
                cluster.schedule(after: delay, .replicaSetBurst(key))
            } else if burstUntil[key] == nil {
                createFailures[key] = nil
                let wanted = min(-diff, Self.burstReplicas, cluster.config.maxPods - cluster.pods.count)
                // One owner list for the whole burst: every pod's ownerReferences shares its storage.
                let owners = [OwnerReference(apiVersion: ReplicaSet.apiVersion, kind: ReplicaSet.kind, name: rs.metadata.name, uid: rs.metadata.uid)]
                let generateName = "\(rs.metadata.name)-"
                for _ in 0..<wanted { createPod(from: rs, generateName: generateName, owners: owners, ref: ref) }
                if wanted == Self.burstReplicas && -diff > wanted {
                    burstUntil[key] = cluster.now + 1000
                    cluster.schedule(after: 1000, .replicaSetBurst(key))
                }
            }
        } else if diff > 0 {
            // Choosing victims needs an order (sorted keys keep runs identical).
            let active = cluster.podsByOwner.get(rs.metadata.uid).compactMap { cluster.pods.get($0) }.filter { !$0.isTerminal && !$0.isTerminating }
                .sorted { ($0.metadata.namespace, $0.metadata.name) < ($1.metadata.namespace, $1.metadata.name) }
            for victim in rankForDeletion(active, owner: rs).prefix(diff) {
                cluster.deletePod(victim, gracePeriodSeconds: nil)
                cluster.recordEvent(ref, reason: "SuccessfulDelete", message: "Deleted pod: \(victim.metadata.name)", component: "replicaset-controller")
            }
        }
        let counts = cluster.podCountsByOwner[rs.metadata.uid] ?? OwnerPodCounts()
        var st = ReplicaSetStatus()
        st.replicas = counts.active
        st.fullyLabeledReplicas = counts.fullyLabeled
        st.readyReplicas = counts.ready
        if rs.spec.minReadySeconds == 0 {
            st.availableReplicas = counts.ready
        } else {
            st.availableReplicas = cluster.podsByOwner.get(rs.metadata.uid).compactMap { cluster.pods.get($0) }
                .filter { !$0.isTerminal && !$0.isTerminating && isAvailable($0, minReadySeconds: rs.spec.minReadySeconds) }.count
        }
        st.observedGeneration = rs.metadata.generation
        if st != rs.status {
            rs.status = st
            cluster.putReplicaSet(rs)
        }
    }

    /// ControllerRefManager's claim, decided per changed pod (upstream re-claims every pod on each
    /// sync; deciding for the one pod that changed keeps the cost per event constant): an owned pod
    /// whose labels left the selector is released (and replaced); a matching orphan is adopted.
    private func syncClaim(_ key: ObjectKey) {
        guard var pod = cluster.pods.get(key), !pod.isTerminating, !pod.isTerminal else { return }
        if let ref = pod.metadata.controllerRef, ref.kind == ReplicaSet.kind {
            guard let rs = cluster.replicaSets.get(key.namespace, ref.name), rs.metadata.uid == ref.uid,
                  let selector = try? (rs.spec.selector ?? LabelSelector()).expression(), !selector.isEmpty,
                  !selector.matches(pod.metadata.labels) else { return }
            pod.metadata.ownerReferences.removeAll { $0.uid == ref.uid }
            cluster.putPod(pod)
        } else if pod.metadata.controllerRef == nil, let rsKey = cluster.replicaSetsSelecting(pod).first, let rs = cluster.replicaSets.get(rsKey) {
            pod.metadata.ownerReferences.append(OwnerReference(apiVersion: ReplicaSet.apiVersion, kind: ReplicaSet.kind, name: rs.metadata.name, uid: rs.metadata.uid))
            cluster.putPod(pod)
        }
    }

    private func isAvailable(_ pod: Pod, minReadySeconds: Int) -> Bool {
        guard let ready = pod.status.condition("Ready"), ready.status == .true else { return false }
        if minReadySeconds == 0 { return true }
        guard let t = ready.lastTransitionTime else { return false }
        return cluster.now - t >= Millis(minReadySeconds) * 1000
    }

    private func createPod(from rs: ReplicaSet, generateName: String, owners: [OwnerReference], ref: ObjectReference) {
        var pod = Pod()
        let base = String(generateName.prefix(58))
        let namespace = rs.metadata.namespace
        var name = base + cluster.draw(for: namespace, base) { $0.nameSuffix() }
        while cluster.pods.get(namespace, name) != nil { name = base + cluster.draw(for: namespace, base) { $0.nameSuffix() } }
        pod.metadata.name = name
        pod.metadata.generateName = generateName
        pod.metadata.namespace = rs.metadata.namespace
        pod.metadata.labels = rs.spec.template.metadata.labels
        pod.metadata.annotations = rs.spec.template.metadata.annotations
        pod.metadata.ownerReferences = owners
        pod.spec = rs.spec.template.spec
        cluster.admitServiceAccount(&pod)
        cluster.stampNew(&pod.metadata)
        pod.status.qosClass = cluster.qosClass(pod.spec)
        cluster.putPod(pod)
        cluster.recordEvent(ref, reason: "SuccessfulCreate", message: "Created pod: \(name)", component: "replicaset-controller")
    }

    /// `ActivePodsWithRanks.Less` (reference §8.3): the first pods of the result are deleted first.
    func rankForDeletion(_ candidates: [Pod], owner rs: ReplicaSet) -> [Pod] {
        // Rank = active pods of the same owner family (all ReplicaSets of the Deployment) on the node.
        var family: [ObjectKey] = []
        if let dref = rs.metadata.controllerRef, let d = cluster.deployments.get(rs.metadata.namespace, dref.name) {
            for rsKey in cluster.replicaSetsByOwner.get(d.metadata.uid) {
                if let sibling = cluster.replicaSets.get(rsKey) { family.append(contentsOf: cluster.podsByOwner.get(sibling.metadata.uid)) }
            }
        } else {
            family = Array(cluster.podsByOwner.get(rs.metadata.uid))
        }
        var perNode: [String: Int] = [:]
        for k in family {
            if let p = cluster.pods.get(k), !p.isTerminal, !p.isTerminating, !p.spec.nodeName.isEmpty { perNode[p.spec.nodeName, default: 0] += 1 }
        }
        let now = cluster.now
        func phaseRank(_ p: Pod) -> Int { [PodPhase.pending: 0, .unknown: 1, .running: 2][p.status.phase] ?? 0 }
        func cost(_ p: Pod) -> Int { Int(p.metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] ?? "") ?? 0 }
        func readyTime(_ p: Pod) -> Millis? { p.status.condition("Ready").flatMap { $0.status == .true ? $0.lastTransitionTime : nil } }
        func restarts(_ p: Pod) -> Int { p.status.containerStatuses.map(\.restartCount).max() ?? 0 }
        func logRank(_ t: Millis) -> Int64 {
            let d = (now - t) * 1_000_000
            return d > 0 ? Int64(log2(Double(d))) : -1
        }
        return candidates.sorted { a, b in
            let aUnassigned = a.spec.nodeName.isEmpty, bUnassigned = b.spec.nodeName.isEmpty
            if aUnassigned != bUnassigned { return aUnassigned }
            if phaseRank(a) != phaseRank(b) { return phaseRank(a) < phaseRank(b) }
            if a.status.isReady != b.status.isReady { return !a.status.isReady }
            if cost(a) != cost(b) { return cost(a) < cost(b) }
            let ra = perNode[a.spec.nodeName] ?? 0, rb = perNode[b.spec.nodeName] ?? 0
            if ra != rb { return ra > rb }
            if a.status.isReady && b.status.isReady, let ta = readyTime(a), let tb = readyTime(b), ta != tb {
                let diff = logRank(ta) - logRank(tb)
                if diff == 0 { return a.metadata.uid < b.metadata.uid }
                return diff < 0
            }
            if restarts(a) != restarts(b) { return restarts(a) > restarts(b) }
            if let ca = a.metadata.creationTimestamp, let cb = b.metadata.creationTimestamp, ca != cb {
                let diff = logRank(ca) - logRank(cb)
                if diff == 0 { return a.metadata.uid < b.metadata.uid }
                return diff < 0
            }
            return a.metadata.uid < b.metadata.uid
        }
    }
}
