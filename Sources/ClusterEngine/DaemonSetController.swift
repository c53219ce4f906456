import ClusterModel

/// The DaemonSet controller (k8s.io/kubernetes pkg/controller/daemon, v1.33): one pod on each
/// node that should run it — the node's taints tolerated, the nodeSelector met — pinned there by
/// a node affinity on `metadata.name` that the scheduler honours; failed pods replaced; a
/// template change rolled out node by node within maxUnavailable (RollingUpdate) or left to the
/// user (OnDelete).
///
/// Cost: a full sync (the DaemonSet, a node, or one of its pods went away) walks the nodes once;
/// a pod's status change only recounts the status from the counts the pod write path keeps
/// (`podCountsByOwner`, as for ReplicaSets), so it costs the same at 3 nodes and at 5,000.
struct DaemonTemplate {
    var templateGeneration: Int
    var template: PodTemplateSpec
    /// The `controller-revision-hash` label of this template's pods.
    var hash: String
}

extension Cluster {
    func daemonSet(_ key: ObjectKey) -> StoredObject? { stored[DaemonSetKind.kind]?.get(key) }
}

final class DaemonSetController: Controller {
    /// DaemonSets to sync in full (nodes walked), and those with only status to recount.
    private var queue = WorkQueue()
    private var statusQueue = WorkQueue()
    private var templates: [String: DaemonTemplate] = [:]   // DaemonSet uid → decoded template
    private var desiredNodes: [String: Int] = [:]           // DaemonSet uid → nodes that should run it
    private var misscheduledNodes: [String: Int] = [:]

    override func runQueued(batching: Bool) -> Bool {
        if let key = queue.popFirst() { statusQueue.remove(key); sync(key); return true }
        if let key = statusQueue.popFirst() { writeStatus(key); return true }
        return false
    }

    override func dropQueuedWork() { queue.removeAll(); statusQueue.removeAll() }

    override var footprint: [String: Int] {
        ["daemonTemplates": templates.count, "daemonSetDesired": desiredNodes.count, "daemonSetMisscheduled": misscheduledNodes.count]
    }

    /// The decoded template, kept per DaemonSet while its templateGeneration stays.
    func template(_ ds: StoredObject) -> DaemonTemplate {
        let generation = DaemonSetKind.templateGeneration(ds)
        if let cached = templates[ds.metadata.uid], cached.templateGeneration == generation { return cached }
        let template = DaemonSetKind.template(ds)
        let entry = DaemonTemplate(templateGeneration: generation, template: template, hash: TemplateHash.compute(template, collisionCount: 0))
        templates[ds.metadata.uid] = entry
        return entry
    }

    /// A write or delete of a DaemonSet: sync it (on delete, its pods go: the garbage collector's
    /// background cascade).
    func daemonSetChanged(_ key: ObjectKey, old: StoredObject?, removed: Bool) {
        if removed {
            guard let old else { return }
            templates[old.metadata.uid] = nil
            desiredNodes[old.metadata.uid] = nil
            misscheduledNodes[old.metadata.uid] = nil
            for podKey in cluster.podsByOwner.get(old.metadata.uid).sorted() {
                if let pod = cluster.pods.get(podKey) { cluster.deletePod(pod, gracePeriodSeconds: nil) }
            }
            cluster.podCountsByOwner[old.metadata.uid] = nil
            return
        }
        if let ds = cluster.daemonSet(key), let old, DaemonSetKind.templateGeneration(ds) != DaemonSetKind.templateGeneration(old) {
            recountPods(ds)
        }
        queue.append(key)
    }

    /// Every DaemonSet looks again when a node comes or changes (labels, taints).
    override func nodeChanged(old: Node?, new node: Node) {
        guard old == nil || old?.metadata.labels != node.metadata.labels || old?.taints != node.taints else { return }
        for key in (cluster.stored[DaemonSetKind.kind]?.list(namespace: nil) ?? []).map({ ObjectKey($0.metadata.namespace, $0.metadata.name) }) {
            queue.append(key)
        }
    }

    /// A pod a DaemonSet owns changed: its status recount, or a full sync when the pod went away
    /// or failed (it is replaced) or while a rollout waits for pods to become available.
    override func podChanged(old: Pod?, new: Pod?, _ podKey: ObjectKey) {
        guard let ref = (new ?? old)?.metadata.controllerRef, ref.kind == DaemonSetKind.kind else { return }
        let key = ObjectKey((new ?? old)!.metadata.namespace, ref.name)
        let gone = new == nil || new!.isTerminal || (new!.isTerminating && old?.isTerminating != true)
        // A rollout (pods of an older template left) takes its next step when a pod's
        // readiness changes; otherwise a pod change only moves the counts. (Queuing a full sync
        // for every pod that becomes ready made a DaemonSet over 5,000 nodes cost 5,000 walks.)
        let counts = cluster.podCountsByOwner[ref.uid] ?? OwnerPodCounts()
        let rolling = counts.fullyLabeled < counts.active
        if gone || (rolling && old?.status.isReady != new?.status.isReady) { queue.append(key) } else { statusQueue.append(key) }
    }

    /// Counts a DaemonSet's pods from scratch (on create, and when the template changes what
    /// "updated" means).
    func recountPods(_ ds: StoredObject) {
        let hash = template(ds).hash
        var counts = OwnerPodCounts()
        for key in cluster.podsByOwner.get(ds.metadata.uid) {
            if let pod = cluster.pods.get(key), !pod.isTerminal, !pod.isTerminating { counts.add(pod, template: ["controller-revision-hash": hash], 1) }
        }
        cluster.podCountsByOwner[ds.metadata.uid] = counts
    }

    /// NodeShouldRunDaemonPod: the nodeSelector matches and every NoSchedule/NoExecute taint is
    /// tolerated (by the template's tolerations and those the controller adds).
    func shouldRun(_ spec: PodSpec, on node: Node) -> Bool {
        guard spec.nodeSelector.allSatisfy({ node.metadata.labels[$0.key] == $0.value }) else { return false }
        let tolerations = spec.tolerations + Self.daemonTolerations(hostNetwork: spec.hostNetwork)
        return node.taints.allSatisfy { taint in
            (taint.effect != "NoSchedule" && taint.effect != "NoExecute") || tolerations.contains { $0.tolerates(taint) }
        }
    }

    /// util.AddOrUpdateDaemonPodTolerations: what every daemon pod tolerates.
    static func daemonTolerations(hostNetwork: Bool) -> [Toleration] {
        var list = [Toleration(key: "node.kubernetes.io/not-ready", op: "Exists", effect: "NoExecute"),
                    Toleration(key: "node.kubernetes.io/unreachable", op: "Exists", effect: "NoExecute"),
                    Toleration(key: "node.kubernetes.io/disk-pressure", op: "Exists", effect: "NoSchedule"),
                    Toleration(key: "node.kubernetes.io/memory-pressure", op: "Exists", effect: "NoSchedule"),
                    Toleration(key: "node.kubernetes.io/pid-pressure", op: "Exists", effect: "NoSchedule"),
                    Toleration(key: "node.kubernetes.io/unschedulable", op: "Exists", effect: "NoSchedule")]
        if hostNetwork { list.append(Toleration(key: "node.kubernetes.io/network-unavailable", op: "Exists", effect: "NoSchedule")) }
        return list
    }

    private func sync(_ key: ObjectKey) {
        guard let ds = cluster.daemonSet(key) else { return }
        let t = template(ds)
        if cluster.podCountsByOwner[ds.metadata.uid] == nil { recountPods(ds) }
        let ref = cluster.reference(DaemonSetKind.kind, ds.metadata, apiVersion: "apps/v1")
        var byNode: [String: [Pod]] = [:]
        for podKey in cluster.podsByOwner.get(ds.metadata.uid) {
            // util.GetTargetNodeName: the node it runs on, or (not yet scheduled) the one it is pinned to.
            if let pod = cluster.pods.get(podKey), !pod.isTerminating {
                byNode[pod.spec.nodeName.isEmpty ? Self.pinnedNode(pod.spec) ?? "" : pod.spec.nodeName, default: []].append(pod)
            }
        }
        var desired = 0, misscheduled = 0
        var create: [String] = [], delete: [Pod] = [], old: [Pod] = []
        var availableNodes = 0
        for name in cluster.nodeOrder {
            guard let node = cluster.nodes.get("", name) else { continue }
            let existing = (byNode.removeValue(forKey: name) ?? []).sorted { ($0.metadata.creationTimestamp ?? 0, $0.metadata.name) < ($1.metadata.creationTimestamp ?? 0, $1.metadata.name) }
            guard shouldRun(t.template.spec, on: node) else {
                if !existing.isEmpty { misscheduled += 1; delete += existing }
                continue
            }
            desired += 1
            // A failed daemon pod is deleted; the next sync creates its replacement.
            delete += existing.filter { $0.status.phase == .failed }
            let running = existing.filter { $0.status.phase != .failed }
            if existing.isEmpty { create.append(name) }
            delete += running.dropFirst()
            if let pod = running.first {
                if pod.status.isReady { availableNodes += 1 }
                if pod.metadata.labels["controller-revision-hash"] != t.hash { old.append(pod) }
            }
        }
        // Pods on nodes that no longer exist (or not bound to one).
        for (_, list) in byNode.sorted(by: { $0.key < $1.key }) { delete += list }
        if DaemonSetKind.updateStrategy(ds) == "RollingUpdate" {
            // rollingUpdate: old pods that are not available go at once; available ones only
            // while the unavailable nodes stay within maxUnavailable (rounded up).
            let budget = DaemonSetKind.maxUnavailable(ds).scaled(of: desired, roundUp: true)
            var unavailable = desired - availableNodes
            for pod in old where !pod.status.isReady { delete.append(pod) }
            for pod in old where pod.status.isReady && unavailable < budget {
                delete.append(pod)
                unavailable += 1
            }
        }
        for pod in delete {
            cluster.deletePod(pod, gracePeriodSeconds: nil)
            cluster.recordEvent(ref, reason: "SuccessfulDelete", message: "Deleted pod: \(pod.metadata.name)", component: "daemonset-controller")
        }
        for node in create { createDaemonPod(ds, t, node: node, ref: ref) }
        desiredNodes[ds.metadata.uid] = desired
        misscheduledNodes[ds.metadata.uid] = misscheduled
        writeStatus(key)
    }

    /// The status from the counts the pod write path keeps: constant work per pod change.
    private func writeStatus(_ key: ObjectKey) {
        guard var ds = cluster.daemonSet(key) else { return }
        let counts = cluster.podCountsByOwner[ds.metadata.uid] ?? OwnerPodCounts()
        let status = DaemonSetKind.status(desired: desiredNodes[ds.metadata.uid] ?? 0, current: counts.active,
                                          misscheduled: misscheduledNodes[ds.metadata.uid] ?? 0, ready: counts.ready,
                                          updated: counts.fullyLabeled, available: counts.ready, observedGeneration: ds.metadata.generation)
        guard ds["status"] != status else { return }
        ds.fields = ds.fields.setting("status", status)
        cluster.putStored(ds)
    }

    private func createDaemonPod(_ ds: StoredObject, _ t: DaemonTemplate, node: String, ref: ObjectReference) {
        let namespace = ds.metadata.namespace
        let base = String("\(ds.metadata.name)-".prefix(58))
        var name = base + cluster.draw(for: namespace, base) { $0.nameSuffix() }
        while cluster.pods.get(namespace, name) != nil { name = base + cluster.draw(for: namespace, base) { $0.nameSuffix() } }
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.generateName = base
        pod.metadata.namespace = namespace
        pod.metadata.labels = t.template.metadata.labels
        pod.metadata.labels["controller-revision-hash"] = t.hash
        pod.metadata.labels["pod-template-generation"] = String(t.templateGeneration)
        pod.metadata.annotations = t.template.metadata.annotations
        pod.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: DaemonSetKind.kind, name: ds.metadata.name, uid: ds.metadata.uid)]
        pod.spec = t.template.spec
        for toleration in Self.daemonTolerations(hostNetwork: pod.spec.hostNetwork) where !pod.spec.tolerations.contains(where: { $0.key == toleration.key && $0.effect == toleration.effect }) {
            pod.spec.tolerations.append(toleration)
        }
        pod.spec.extra["affinity"] = Self.pinnedAffinity(node)
        cluster.admitServiceAccount(&pod)
        cluster.stampNew(&pod.metadata)
        pod.status.qosClass = cluster.qosClass(pod.spec)
        cluster.putPod(pod)
        cluster.recordEvent(ref, reason: "SuccessfulCreate", message: "Created pod: \(name)", component: "daemonset-controller")
    }

    /// util.ReplaceDaemonSetPodNodeNameNodeAffinity: the pod may only go to this node.
    static func pinnedAffinity(_ node: String) -> Value {
        .object([("nodeAffinity", .object([("requiredDuringSchedulingIgnoredDuringExecution", .object([("nodeSelectorTerms", .array([
            .object([("matchFields", .array([.object([("key", .string("metadata.name")), ("operator", .string("In")), ("values", .array([.string(node)]))])]))]),
        ]))]))]))])
    }

    /// The node a pod's required node affinity pins it to (`matchFields metadata.name In [one]`).
    static func pinnedNode(_ spec: PodSpec) -> String? {
        guard let terms = spec.extra["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"]?.arrayValue,
              terms.count == 1, let fields = terms[0]["matchFields"]?.arrayValue, fields.count == 1,
              fields[0]["key"]?.stringValue == "metadata.name", fields[0]["operator"]?.stringValue == "In",
              let values = fields[0]["values"]?.arrayValue, values.count == 1 else { return nil }
        return values[0].stringValue
    }
}

extension IntOrString {
    /// intstr.GetScaledValueFromIntOrPercent.
    func scaled(of total: Int, roundUp: Bool) -> Int {
        switch self {
        case let .int(i): return i
        case let .string(s):
            guard s.hasSuffix("%"), let percent = Int(s.dropLast()) else { return 0 }
            let product = percent * total
            return roundUp ? (product + 99) / 100 : product / 100
        }
    }
}
