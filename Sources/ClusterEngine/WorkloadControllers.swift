import ClusterModel
import Foundation

/// Deployment and ReplicaSet controllers (pkg/controller/deployment, pkg/controller/replicaset).
extension Cluster {
    // MARK: Deployment → ReplicaSet

    func syncDeployment(_ key: ObjectKey) {
        guard var d = deployments.get(key) else { return }
        let ref = reference(Deployment.kind, d.metadata, apiVersion: Deployment.apiVersion)
        let owned = replicaSetsByOwner.get(d.metadata.uid).sorted().compactMap { replicaSets.get($0) }
        let hash = TemplateHash.compute(d.spec.template, collisionCount: d.status.collisionCount)
        let desired = d.desiredReplicas
        let maxRevision = owned.compactMap { Int($0.metadata.annotations["deployment.kubernetes.io/revision"] ?? "") }.max() ?? 0

        var newRS = owned.first { $0.metadata.labels["pod-template-hash"] == hash }
        if newRS == nil {
            var rs = ReplicaSet()
            rs.metadata.name = "\(d.metadata.name)-\(hash)"
            rs.metadata.namespace = key.namespace
            rs.metadata.labels = d.spec.template.metadata.labels.merging(["pod-template-hash": hash]) { _, b in b }
            rs.metadata.annotations = [
                "deployment.kubernetes.io/desired-replicas": String(desired),
                "deployment.kubernetes.io/max-replicas": String(desired + surge(d, desired)),
                "deployment.kubernetes.io/revision": String(maxRevision + 1),
            ]
            rs.metadata.ownerReferences = [OwnerReference(apiVersion: Deployment.apiVersion, kind: Deployment.kind, name: d.metadata.name, uid: d.metadata.uid)]
            var selector = d.spec.selector ?? LabelSelector()
            selector.matchLabels = (selector.matchLabels ?? [:]).merging(["pod-template-hash": hash]) { _, b in b }
            rs.spec.selector = selector
            rs.spec.template = d.spec.template
            rs.spec.template.metadata.labels["pod-template-hash"] = hash
            rs.spec.replicas = desired
            rs.spec.minReadySeconds = d.spec.minReadySeconds
            stampNew(&rs.metadata)
            if replicaSets.get(key.namespace, rs.metadata.name) != nil {
                // A name collision with a foreign ReplicaSet: bump collisionCount like upstream.
                d.status.collisionCount = (d.status.collisionCount ?? 0) + 1
                putDeployment(d)
                return
            }
            newRS = putReplicaSet(rs)
            if desired > 0 || owned.isEmpty {
                recordEvent(ref, reason: "ScalingReplicaSet", message: "Scaled up replica set \(rs.metadata.name) from 0 to \(desired)", component: "deployment-controller")
            }
        } else if var rs = newRS, rs.desiredReplicas != desired || rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"] != String(desired) {
            let from = rs.desiredReplicas
            rs.spec.replicas = desired
            rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"] = String(desired)
            rs.metadata.annotations["deployment.kubernetes.io/max-replicas"] = String(desired + surge(d, desired))
            if from != desired { rs.metadata.generation += 1 }
            newRS = putReplicaSet(rs)
            if from != desired {
                let verb = desired > from ? "up" : "down"
                recordEvent(ref, reason: "ScalingReplicaSet", message: "Scaled \(verb) replica set \(rs.metadata.name) from \(from) to \(desired)", component: "deployment-controller")
            }
        }
        // Older ReplicaSets go to zero (the rollout pacing of maxSurge/maxUnavailable is not modelled).
        for var old in owned where old.metadata.name != newRS?.metadata.name && old.desiredReplicas != 0 {
            let from = old.desiredReplicas
            old.spec.replicas = 0
            old.metadata.generation += 1
            putReplicaSet(old)
            recordEvent(ref, reason: "ScalingReplicaSet", message: "Scaled down replica set \(old.metadata.name) from \(from) to 0", component: "deployment-controller")
        }
        if let rs = newRS, d.metadata.annotations["deployment.kubernetes.io/revision"] != rs.metadata.annotations["deployment.kubernetes.io/revision"] {
            d.metadata.annotations["deployment.kubernetes.io/revision"] = rs.metadata.annotations["deployment.kubernetes.io/revision"]
        }
        updateDeploymentStatus(&d, newRS: newRS)
        if d != deployments.get(key) { putDeployment(d) }
    }

    private func surge(_ d: Deployment, _ desired: Int) -> Int {
        guard d.spec.strategy.type == "RollingUpdate", let s = d.spec.strategy.maxSurge else { return 0 }
        switch s {
        case let .int(i): return i
        case let .string(p):
            let pct = Int(p.dropLast()) ?? 25
            return Int((Double(desired) * Double(pct) / 100).rounded(.up))
        }
    }

    private func updateDeploymentStatus(_ d: inout Deployment, newRS: ReplicaSet?) {
        let owned = replicaSetsByOwner.get(d.metadata.uid).compactMap { replicaSets.get($0) }
        var st = d.status
        st.observedGeneration = d.metadata.generation
        st.replicas = owned.reduce(0) { $0 + $1.status.replicas }
        st.readyReplicas = owned.reduce(0) { $0 + $1.status.readyReplicas }
        st.availableReplicas = owned.reduce(0) { $0 + $1.status.availableReplicas }
        st.updatedReplicas = newRS?.status.replicas ?? 0
        st.unavailableReplicas = max(0, d.desiredReplicas - st.availableReplicas)
        let now = (clock.now / 1000) * 1000
        let available = st.availableReplicas >= d.desiredReplicas - maxUnavailable(d)
        setCondition(&st.conditions, DeploymentCondition(
            type: "Available", status: available ? "True" : "False",
            reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            message: available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", at: now))
        if let rs = newRS {
            let complete = st.updatedReplicas == d.desiredReplicas && st.availableReplicas == d.desiredReplicas && st.replicas == d.desiredReplicas
            setCondition(&st.conditions, DeploymentCondition(
                type: "Progressing", status: "True",
                reason: complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                message: complete ? "ReplicaSet \"\(rs.metadata.name)\" has successfully progressed." : "ReplicaSet \"\(rs.metadata.name)\" is progressing.", at: now))
        }
        d.status = st
    }

    private func maxUnavailable(_ d: Deployment) -> Int {
        guard d.spec.strategy.type == "RollingUpdate", let u = d.spec.strategy.maxUnavailable else { return 0 }
        switch u {
        case let .int(i): return i
        case let .string(p): return Int((Double(d.desiredReplicas) * (Double(p.dropLast()) ?? 25) / 100).rounded(.down))
        }
    }

    private func setCondition(_ list: inout [DeploymentCondition], _ c: DeploymentCondition) {
        if let i = list.firstIndex(where: { $0.type == c.type }) {
            var updated = c
            if list[i].status == c.status { updated.lastTransitionTime = list[i].lastTransitionTime }
            if list[i].status == c.status && list[i].reason == c.reason && list[i].message == c.message { updated.lastUpdateTime = list[i].lastUpdateTime }
            list[i] = updated
        } else {
            list.append(c)
        }
    }

    // MARK: ReplicaSet → Pods

    func syncReplicaSet(_ key: ObjectKey) {
        guard var rs = replicaSets.get(key) else { return }
        let owned = podsByOwner.get(rs.metadata.uid).sorted().compactMap { pods.get($0) }
        let active = owned.filter { !$0.isTerminal && !$0.isTerminating }
        let diff = active.count - rs.desiredReplicas
        let ref = reference(ReplicaSet.kind, rs.metadata, apiVersion: ReplicaSet.apiVersion)
        if diff < 0 {
            for _ in 0..<min(-diff, 500) { createPod(from: rs, ref: ref) }
        } else if diff > 0 {
            for victim in rankForDeletion(active, owner: rs).prefix(diff) {
                deletePod(victim, gracePeriodSeconds: nil)
                recordEvent(ref, reason: "SuccessfulDelete", message: "Deleted pod: \(victim.metadata.name)", component: "replicaset-controller")
            }
        }
        let now = podsByOwner.get(rs.metadata.uid).compactMap { pods.get($0) }.filter { !$0.isTerminal && !$0.isTerminating }
        var st = ReplicaSetStatus()
        st.replicas = now.count
        let templateSelector = LabelSelectorExpression(equalities: rs.spec.template.metadata.labels)
        st.fullyLabeledReplicas = now.filter { templateSelector.matches($0.metadata.labels) }.count
        st.readyReplicas = now.filter { $0.status.isReady }.count
        st.availableReplicas = now.filter { isAvailable($0, minReadySeconds: rs.spec.minReadySeconds) }.count
        st.observedGeneration = rs.metadata.generation
        if st != rs.status {
            rs.status = st
            putReplicaSet(rs)
        }
    }

    /// ControllerRefManager's claim, decided per changed pod (upstream re-claims every pod on each
    /// sync; deciding for the one pod that changed keeps the cost per event constant): an owned pod
    /// whose labels left the selector is released (and replaced); a matching orphan is adopted.
    func syncClaim(_ key: ObjectKey) {
        guard var pod = pods.get(key), !pod.isTerminating, !pod.isTerminal else { return }
        if let ref = pod.metadata.controllerRef, ref.kind == ReplicaSet.kind {
            guard let rs = replicaSets.get(key.namespace, ref.name), rs.metadata.uid == ref.uid,
                  let selector = try? (rs.spec.selector ?? LabelSelector()).expression(), !selector.isEmpty,
                  !selector.matches(pod.metadata.labels) else { return }
            pod.metadata.ownerReferences.removeAll { $0.uid == ref.uid }
            putPod(pod)
        } else if pod.metadata.controllerRef == nil, let rsKey = replicaSetsSelecting(pod).first, let rs = replicaSets.get(rsKey) {
            pod.metadata.ownerReferences.append(OwnerReference(apiVersion: ReplicaSet.apiVersion, kind: ReplicaSet.kind, name: rs.metadata.name, uid: rs.metadata.uid))
            putPod(pod)
        }
    }

    private func isAvailable(_ pod: Pod, minReadySeconds: Int) -> Bool {
        guard let ready = pod.status.condition("Ready"), ready.status == "True" else { return false }
        if minReadySeconds == 0 { return true }
        guard let t = ready.lastTransitionTime else { return false }
        return clock.now - t >= Millis(minReadySeconds) * 1000
    }

    private func createPod(from rs: ReplicaSet, ref: ObjectReference) {
        var pod = Pod()
        let base = String("\(rs.metadata.name)-".prefix(58))
        var name = base + rng.nameSuffix()
        while pods.get(rs.metadata.namespace, name) != nil { name = base + rng.nameSuffix() }
        pod.metadata.name = name
        pod.metadata.generateName = "\(rs.metadata.name)-"
        pod.metadata.namespace = rs.metadata.namespace
        pod.metadata.labels = rs.spec.template.metadata.labels
        pod.metadata.annotations = rs.spec.template.metadata.annotations
        pod.metadata.ownerReferences = [OwnerReference(apiVersion: ReplicaSet.apiVersion, kind: ReplicaSet.kind, name: rs.metadata.name, uid: rs.metadata.uid)]
        pod.spec = rs.spec.template.spec
        stampNew(&pod.metadata)
        pod.status.qosClass = qosClass(pod.spec)
        putPod(pod)
        recordEvent(ref, reason: "SuccessfulCreate", message: "Created pod: \(name)", component: "replicaset-controller")
    }

    /// `ActivePodsWithRanks.Less` (reference §8.3): the first pods of the result are deleted first.
    func rankForDeletion(_ candidates: [Pod], owner rs: ReplicaSet) -> [Pod] {
        // Rank = active pods of the same owner family (all ReplicaSets of the Deployment) on the node.
        var family: [ObjectKey] = []
        if let dref = rs.metadata.controllerRef, let d = deployments.get(rs.metadata.namespace, dref.name) {
            for rsKey in replicaSetsByOwner.get(d.metadata.uid) {
                if let sibling = replicaSets.get(rsKey) { family.append(contentsOf: podsByOwner.get(sibling.metadata.uid)) }
            }
        } else {
            family = Array(podsByOwner.get(rs.metadata.uid))
        }
        var perNode: [String: Int] = [:]
        for k in family {
            if let p = pods.get(k), !p.isTerminal, !p.isTerminating, !p.spec.nodeName.isEmpty { perNode[p.spec.nodeName, default: 0] += 1 }
        }
        let now = clock.now
        func phaseRank(_ p: Pod) -> Int { ["Pending": 0, "Unknown": 1, "Running": 2][p.status.phase] ?? 0 }
        func cost(_ p: Pod) -> Int { Int(p.metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] ?? "") ?? 0 }
        func readyTime(_ p: Pod) -> Millis? { p.status.condition("Ready").flatMap { $0.status == "True" ? $0.lastTransitionTime : nil } }
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
