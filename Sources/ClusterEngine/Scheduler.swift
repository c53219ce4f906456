import ClusterModel

/// kube-scheduler, reduced to what decides placement here: node readiness, cordons, taints and
/// tolerations, nodeSelector, the 110-pod capacity; among feasible nodes replicas of one owner
/// are spread round-robin (what PodTopologySpread's default constraints achieve).
final class Scheduler: QueueController {
    /// Pods it could not place; tried again when a node or the capacity changes.
    private(set) var unschedulable = WorkQueue()
    /// Where the next round-robin search starts: the user's pods, and the system components
    /// (see `Cluster.isSystemComponent`) on a rotation of their own so adding one never moves a
    /// user's pod.
    private var cursor = 0
    private var systemCursor = 0

    override func podChanged(old: Pod?, new: Pod?, _ key: ObjectKey) {
        // New unbound pods.
        if let new, new.spec.nodeName.isEmpty, !new.isTerminating, old == nil || old!.spec.nodeName.isEmpty {
            queue.append(key)
        }
        // A pod that ends frees its node's capacity.
        if new == nil || new!.isTerminal { unschedulable.remove(key); requeueUnschedulable() }
    }

    override func nodeChanged(old: Node?, new: Node) { requeueUnschedulable() }

    private func requeueUnschedulable() {
        guard !unschedulable.isEmpty else { return }
        for key in unschedulable { queue.append(key) }
        unschedulable.removeAll()
    }

    override func dropQueuedWork() { super.dropQueuedWork(); unschedulable.removeAll() }
    override var footprint: [String: Int] { ["unschedulable": unschedulable.count] }

    override func sync(_ key: ObjectKey) {
        guard var pod = cluster.pods.get(key), pod.spec.nodeName.isEmpty, !pod.isTerminating, !pod.isTerminal else { return }
        var reasons: [String: Int] = [:]
        func feasible(_ node: Node) -> Bool {
            if !node.ready && !pod.spec.tolerations.contains(where: { $0.tolerates(Taint(key: "node.kubernetes.io/not-ready", effect: "NoSchedule")) }) {
                reasons["node(s) had untolerated taint {node.kubernetes.io/not-ready: }", default: 0] += 1; return false
            }
            if node.unschedulable {
                reasons["node(s) were unschedulable", default: 0] += 1; return false
            }
            for taint in node.taints where taint.effect == "NoSchedule" || taint.effect == "NoExecute" {
                if !pod.spec.tolerations.contains(where: { $0.tolerates(taint) }) {
                    reasons["node(s) had untolerated taint {\(taint.key): \(taint.value ?? "")}", default: 0] += 1; return false
                }
            }
            if !pod.spec.nodeSelector.allSatisfy({ node.metadata.labels[$0.key] == $0.value }) {
                reasons["node(s) didn't match Pod's node affinity/selector", default: 0] += 1; return false
            }
            if cluster.podsByNode.count(node.metadata.name) >= node.podCapacity {
                reasons["Too many pods", default: 0] += 1; return false
            }
            return true
        }
        let count = cluster.nodeOrder.count
        var chosen: Node?
        if let pinned = DaemonSetController.pinnedNode(pod.spec) {
            // A required affinity to one node name (a DaemonSet's pod): only that node is
            // looked at, so placing 5,000 daemon pods costs 5,000 checks, not 25 million.
            if let node = cluster.nodes.get("", pinned), feasible(node) { chosen = node }
            let others = count - (cluster.nodes.get("", pinned) == nil ? 0 : 1)
            if others > 0 { reasons["node(s) didn't match Pod's node affinity/selector", default: 0] += others }
        } else if count > 0 {
            // System components rotate on their own, so adding one never moves a user's pod.
            let system = cluster.isSystemComponent(namespace: key.namespace, name: key.name)
            let start = system ? systemCursor : cursor
            for i in 0..<count {
                let name = cluster.nodeOrder[(start + i) % count]
                if let node = cluster.nodes.get("", name), feasible(node) {
                    chosen = node
                    if system { systemCursor = (start + i + 1) % count } else { cursor = (start + i + 1) % count }
                    break
                }
            }
        }
        let ref = cluster.reference(Pod.kind, pod.metadata)
        guard let node = chosen else {
            let detail = reasons.keys.sorted().map { "\(reasons[$0]!) \($0)" }.joined(separator: ", ")
            let message = "0/\(count) nodes are available: \(detail). preemption: 0/\(count) nodes are available: \(count) Preemption is not helpful for scheduling."
            let cond = PodCondition(type: "PodScheduled", status: .false, lastTransitionTime: (cluster.clock.now / 1000) * 1000, reason: "Unschedulable", message: message)
            if pod.status.condition("PodScheduled")?.message != message {
                pod.status.conditions.removeAll { $0.type == "PodScheduled" }
                pod.status.conditions.appendKeepingSize(cond)
                cluster.putPod(pod)
                cluster.recordEvent(ref, type: "Warning", reason: "FailedScheduling", message: message, component: "default-scheduler")
            }
            unschedulable.append(key)
            return
        }
        pod.spec.nodeName = node.metadata.name
        pod.status.conditions.removeAll { $0.type == "PodScheduled" }
        pod.status.conditions.appendKeepingSize(PodCondition(type: "PodScheduled", status: .true, lastTransitionTime: (cluster.clock.now / 1000) * 1000))
        cluster.putPod(pod)
        cluster.recordEvent(ref, reason: "Scheduled", message: "Successfully assigned \(key.namespace)/\(key.name) to \(node.metadata.name)", component: "default-scheduler")
        cluster.kubelet.admit(pod)
    }
}
