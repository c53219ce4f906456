import ClusterModel

/// kube-scheduler, reduced to what decides placement here: node readiness, cordons, taints and
/// tolerations, nodeSelector, the 110-pod capacity; among feasible nodes replicas of one owner
/// are spread round-robin (what PodTopologySpread's default constraints achieve).
extension Cluster {
    func schedule(_ key: ObjectKey) {
        guard var pod = pods.get(key), pod.spec.nodeName.isEmpty, !pod.isTerminating, !pod.isTerminal else { return }
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
            if podsByNode.count(node.metadata.name) >= node.podCapacity {
                reasons["Too many pods", default: 0] += 1; return false
            }
            return true
        }
        let count = nodeOrder.count
        var chosen: Node?
        if let pinned = Self.pinnedNode(pod.spec) {
            // A required affinity to one node name (a DaemonSet's pod): only that node is
            // looked at, so placing 5,000 daemon pods costs 5,000 checks, not 25 million.
            if let node = nodes.get("", pinned), feasible(node) { chosen = node }
            let others = count - (nodes.get("", pinned) == nil ? 0 : 1)
            if others > 0 { reasons["node(s) didn't match Pod's node affinity/selector", default: 0] += others }
        } else if count > 0 {
            // System components rotate on their own, so adding one never moves a user's pod.
            let system = isSystemComponent(namespace: key.namespace, name: key.name)
            let cursor = system ? systemSchedulerCursor : schedulerCursor
            for i in 0..<count {
                let name = nodeOrder[(cursor + i) % count]
                if let node = nodes.get("", name), feasible(node) {
                    chosen = node
                    if system { systemSchedulerCursor = (cursor + i + 1) % count } else { schedulerCursor = (cursor + i + 1) % count }
                    break
                }
            }
        }
        let ref = reference(Pod.kind, pod.metadata)
        guard let node = chosen else {
            let detail = reasons.keys.sorted().map { "\(reasons[$0]!) \($0)" }.joined(separator: ", ")
            let message = "0/\(count) nodes are available: \(detail). preemption: 0/\(count) nodes are available: \(count) Preemption is not helpful for scheduling."
            let cond = PodCondition(type: "PodScheduled", status: "False", lastTransitionTime: (clock.now / 1000) * 1000, reason: "Unschedulable", message: message)
            if pod.status.condition("PodScheduled")?.message != message {
                pod.status.conditions.removeAll { $0.type == "PodScheduled" }
                pod.status.conditions.append(cond)
                putPod(pod)
                recordEvent(ref, type: "Warning", reason: "FailedScheduling", message: message, component: "default-scheduler")
            }
            unschedulable.append(key)
            return
        }
        pod.spec.nodeName = node.metadata.name
        pod.status.conditions.removeAll { $0.type == "PodScheduled" }
        pod.status.conditions.append(PodCondition(type: "PodScheduled", status: "True", lastTransitionTime: (clock.now / 1000) * 1000))
        putPod(pod)
        recordEvent(ref, reason: "Scheduled", message: "Successfully assigned \(key.namespace)/\(key.name) to \(node.metadata.name)", component: "default-scheduler")
        kubeletAdmit(pod)
    }
}
