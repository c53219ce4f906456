import ClusterModel
import Foundation

/// The Deployment controller (pkg/controller/deployment): each Deployment's ReplicaSets — one
/// per template, found by its pod-template-hash — sized at the pace its strategy allows.
final class DeploymentController: QueueController {

    /// A Deployment written (by anyone, its own status included: upstream's informer sees those too).
    override func deploymentChanged(old: Deployment?, new: Deployment?, _ key: ObjectKey) {
        if new != nil { queue.append(key) }
    }

    /// A ReplicaSet it owns changed or went: its owner looks again (addReplicaSet/updateReplicaSet/deleteReplicaSet).
    override func replicaSetChanged(old: ReplicaSet?, new: ReplicaSet?, _ key: ObjectKey) {
        if let owner = (new ?? old)?.metadata.controllerRef { queue.append(ObjectKey(key.namespace, owner.name)) }
    }

    /// deletePod: a Recreate rollout waits for the last old pod to go.
    override func podChanged(old: Pod?, new: Pod?, _ key: ObjectKey) {
        guard new == nil, let old, let rsRef = old.metadata.controllerRef, rsRef.kind == ReplicaSet.kind,
              let rs = cluster.replicaSets.get(key.namespace, rsRef.name), let dRef = rs.metadata.controllerRef,
              let d = cluster.deployments.get(key.namespace, dRef.name), d.spec.strategy.type == "Recreate" else { return }
        queue.append(ObjectKey(key.namespace, d.metadata.name))
    }

    /// `syncDeployment` of pkg/controller/deployment: find or create the ReplicaSet for the
    /// current template, then move replicas from old ReplicaSets to it at the pace the strategy
    /// allows (rolling.go / recreate.go), re-entered whenever a ReplicaSet's status changes.
    override func sync(_ key: ObjectKey) {
        guard var d = cluster.deployments.get(key) else { return }
        let ref = cluster.reference(Deployment.kind, d.metadata, apiVersion: Deployment.apiVersion)
        // Oldest first, as controller.ReplicaSetsByCreationTimestamp orders them.
        let owned = cluster.replicaSetsByOwner.get(d.metadata.uid).compactMap { cluster.replicaSets.get($0) }.sorted {
            ($0.metadata.creationTimestamp ?? 0, $0.metadata.name) < ($1.metadata.creationTimestamp ?? 0, $1.metadata.name)
        }
        let hash = TemplateHash.compute(d.spec.template, collisionCount: d.status.collisionCount)
        let desired = d.desiredReplicas
        var newRS = owned.first { $0.metadata.labels["pod-template-hash"] == hash }
        var olds = owned.filter { $0.metadata.name != newRS?.metadata.name }
        let maxOldRevision = olds.compactMap { revision(of: $0) }.max() ?? 0

        if var rs = newRS {
            // Rolling back to an older template makes its ReplicaSet the newest revision again.
            if let current = revision(of: rs), current <= maxOldRevision {
                let history = rs.metadata.annotations["deployment.kubernetes.io/revision-history"].map { $0 + "," } ?? ""
                rs.metadata.annotations["deployment.kubernetes.io/revision-history"] = history + String(current)
                rs.metadata.annotations["deployment.kubernetes.io/revision"] = String(maxOldRevision + 1)
                copyDeploymentAnnotations(d, into: &rs)
                newRS = cluster.putReplicaSet(rs)
            } else if copyDeploymentAnnotations(d, into: &rs) {
                newRS = cluster.putReplicaSet(rs)
            }
        } else if !d.spec.paused {
            let initial = d.spec.strategy.type == "Recreate"
                ? (olds.allSatisfy { $0.desiredReplicas == 0 && $0.status.replicas == 0 } ? desired : 0)
                : newReplicaSetReplicas(d, all: olds, newRS: nil)
            guard let created = createReplicaSet(for: &d, hash: hash, replicas: initial, revision: maxOldRevision + 1, ref: ref) else { return }
            newRS = created
        }

        if d.spec.paused || isScalingEvent(d, active: owned) {
            scaleProportionally(d, newRS: &newRS, olds: &olds, ref: ref)
        } else if d.spec.strategy.type == "Recreate" {
            rolloutRecreate(d, newRS: &newRS, olds: &olds, ref: ref)
        } else {
            rolloutRolling(d, newRS: &newRS, olds: &olds, ref: ref)
        }
        if let rs = newRS, let rev = rs.metadata.annotations["deployment.kubernetes.io/revision"],
           d.metadata.annotations["deployment.kubernetes.io/revision"] != rev {
            d.metadata.annotations["deployment.kubernetes.io/revision"] = rev
        }
        cleanupOldReplicaSets(d, olds: olds, newRS: newRS)
        updateDeploymentStatus(&d, newRS: newRS)
        if d != cluster.deployments.get(key) { cluster.putDeployment(d) }
    }

    private func revision(of rs: ReplicaSet) -> Int? { Int(rs.metadata.annotations["deployment.kubernetes.io/revision"] ?? "") }

    /// Deployment annotations travel to its new ReplicaSet (so `rollout history` finds
    /// `kubernetes.io/change-cause` there), minus the ones the controller owns.
    @discardableResult
    private func copyDeploymentAnnotations(_ d: Deployment, into rs: inout ReplicaSet) -> Bool {
        let skipped: Set<String> = ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
                                    "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                                    "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to"]
        var changed = false
        for (k, v) in d.metadata.annotations where !skipped.contains(k) && rs.metadata.annotations[k] != v {
            rs.metadata.annotations[k] = v
            changed = true
        }
        return changed
    }

    private func createReplicaSet(for d: inout Deployment, hash: String, replicas: Int, revision: Int, ref: ObjectReference) -> ReplicaSet? {
        let desired = d.desiredReplicas
        var rs = ReplicaSet()
        rs.metadata.name = "\(d.metadata.name)-\(hash)"
        // Upstream does not shorten the name: a Deployment named close to 253 characters gets
        // a ReplicaSet name the API rejects, and the controller says so in an event.
        if rs.metadata.name.utf8.count > 253 {
            let n = rs.metadata.name
            cluster.recordEvent(ref, type: "Warning", reason: "ReplicaSetCreateError",
                        message: "Failed to create new replica set \(goQuote(n)): ReplicaSet.apps \(goQuote(n)) is invalid: metadata.name: Invalid value: \(goQuote(n)): must be no more than 253 characters",
                        component: "deployment-controller")
            return nil
        }
        rs.metadata.namespace = d.metadata.namespace
        rs.metadata.labels = d.spec.template.metadata.labels.merging(["pod-template-hash": hash]) { _, b in b }
        copyDeploymentAnnotations(d, into: &rs)
        rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"] = String(desired)
        rs.metadata.annotations["deployment.kubernetes.io/max-replicas"] = String(desired + surge(d, desired))
        rs.metadata.annotations["deployment.kubernetes.io/revision"] = String(revision)
        rs.metadata.ownerReferences = [OwnerReference(apiVersion: Deployment.apiVersion, kind: Deployment.kind, name: d.metadata.name, uid: d.metadata.uid)]
        var selector = d.spec.selector ?? LabelSelector()
        selector.matchLabels = (selector.matchLabels ?? [:]).merging(["pod-template-hash": hash]) { _, b in b }
        rs.spec.selector = selector
        rs.spec.template = d.spec.template
        rs.spec.template.metadata.labels["pod-template-hash"] = hash
        rs.spec.replicas = replicas
        rs.spec.minReadySeconds = d.spec.minReadySeconds
        cluster.stampNew(&rs.metadata)
        if cluster.replicaSets.get(d.metadata.namespace, rs.metadata.name) != nil {
            // A name collision with a foreign ReplicaSet: bump collisionCount like upstream.
            d.status.collisionCount = (d.status.collisionCount ?? 0) + 1
            cluster.putDeployment(d)
            return nil
        }
        let created = cluster.putReplicaSet(rs)
        if replicas > 0 {
            cluster.recordEvent(ref, reason: "ScalingReplicaSet", message: "Scaled up replica set \(rs.metadata.name) from 0 to \(replicas)", component: "deployment-controller")
        }
        return created
    }

    /// Sets a ReplicaSet's replicas and the annotations the controller keeps on it; one event per change.
    @discardableResult
    private func scale(_ rs: inout ReplicaSet, to count: Int, _ d: Deployment, ref: ObjectReference) -> Bool {
        let desired = d.desiredReplicas
        let from = rs.desiredReplicas
        let annotations = ["deployment.kubernetes.io/desired-replicas": String(desired),
                           "deployment.kubernetes.io/max-replicas": String(desired + surge(d, desired))]
        let annotationsChanged = annotations.contains { rs.metadata.annotations[$0.key] != $0.value }
        guard from != count || annotationsChanged else { return false }
        rs.spec.replicas = count
        rs.metadata.annotations.merge(annotations) { _, b in b }
        if from != count { rs.metadata.generation += 1 }
        rs = cluster.putReplicaSet(rs)
        if from != count {
            let verb = count > from ? "up" : "down"
            cluster.recordEvent(ref, reason: "ScalingReplicaSet", message: "Scaled \(verb) replica set \(rs.metadata.name) from \(from) to \(count)", component: "deployment-controller")
        }
        return from != count
    }

    /// `NewRSNewReplicas` for RollingUpdate: grow the new ReplicaSet while all pods stay within desired + maxSurge.
    private func newReplicaSetReplicas(_ d: Deployment, all olds: [ReplicaSet], newRS: ReplicaSet?) -> Int {
        let desired = d.desiredReplicas
        let current = (newRS?.desiredReplicas ?? 0)
        let total = olds.reduce(current) { $0 + $1.desiredReplicas }
        let maxTotal = desired + surge(d, desired)
        if total >= maxTotal { return current }
        return current + max(0, min(maxTotal - total, desired - current))
    }

    /// rolling.go `rolloutRolling`: scale up the new ReplicaSet, else scale down old ones, never
    /// below desired − maxUnavailable available pods.
    private func rolloutRolling(_ d: Deployment, newRS: inout ReplicaSet?, olds: inout [ReplicaSet], ref: ObjectReference) {
        guard var rs = newRS else { return }
        let desired = d.desiredReplicas
        // reconcileNewReplicaSet
        if rs.desiredReplicas > desired {
            scale(&rs, to: desired, d, ref: ref); newRS = rs; return
        }
        if rs.desiredReplicas < desired {
            let target = newReplicaSetReplicas(d, all: olds, newRS: rs)
            if target != rs.desiredReplicas { scale(&rs, to: target, d, ref: ref); newRS = rs; return }
        }
        // reconcileOldReplicaSets
        let oldPods = olds.reduce(0) { $0 + $1.desiredReplicas }
        guard oldPods > 0 else { return }
        let allPods = oldPods + rs.desiredReplicas
        let minAvailable = desired - maxUnavailable(d)
        let newUnavailable = rs.desiredReplicas - rs.status.availableReplicas
        var budget = allPods - minAvailable - newUnavailable
        guard budget > 0 else { return }
        // cleanupUnhealthyReplicas: replicas that are not available go first.
        for i in olds.indices where budget > 0 {
            let unhealthy = olds[i].desiredReplicas - olds[i].status.availableReplicas
            guard unhealthy > 0 else { continue }
            let cut = min(budget, unhealthy)
            scale(&olds[i], to: olds[i].desiredReplicas - cut, d, ref: ref)
            budget -= cut
        }
        // scaleDownOldReplicaSetsForRollingUpdate: then available ones, oldest first.
        let available = olds.reduce(rs.status.availableReplicas) { $0 + $1.status.availableReplicas }
        var toScaleDown = available - minAvailable
        for i in olds.indices where toScaleDown > 0 && olds[i].desiredReplicas > 0 {
            let cut = min(olds[i].desiredReplicas, toScaleDown)
            scale(&olds[i], to: olds[i].desiredReplicas - cut, d, ref: ref)
            toScaleDown -= cut
        }
    }

    /// recreate.go: every old pod gone before the new ReplicaSet gets any.
    private func rolloutRecreate(_ d: Deployment, newRS: inout ReplicaSet?, olds: inout [ReplicaSet], ref: ObjectReference) {
        var scaledDown = false
        for i in olds.indices where olds[i].desiredReplicas > 0 {
            scale(&olds[i], to: 0, d, ref: ref); scaledDown = true
        }
        let oldPodsLeft = olds.contains { old in
            cluster.podsByOwner.get(old.metadata.uid).contains { cluster.pods.get($0).map { !$0.isTerminal } ?? false }
        }
        guard !scaledDown, !oldPodsLeft, var rs = newRS else { return }
        scale(&rs, to: d.desiredReplicas, d, ref: ref)
        newRS = rs
    }

    /// A scaling event: some active ReplicaSet was sized for another replica count.
    private func isScalingEvent(_ d: Deployment, active owned: [ReplicaSet]) -> Bool {
        owned.contains { $0.desiredReplicas > 0 && $0.metadata.annotations["deployment.kubernetes.io/desired-replicas"] != String(d.desiredReplicas) }
    }

    /// sync.go `scale`: with one active ReplicaSet it takes the new size; with several (a scale
    /// during a rollout, or a paused Deployment) the difference is spread in proportion to size.
    private func scaleProportionally(_ d: Deployment, newRS: inout ReplicaSet?, olds: inout [ReplicaSet], ref: ObjectReference) {
        var all = (newRS.map { [$0] } ?? []) + olds
        let activeIndices = all.indices.filter { all[$0].desiredReplicas > 0 }
        let desired = d.desiredReplicas
        if activeIndices.count <= 1 {
            let target = activeIndices.first ?? (newRS != nil ? 0 : nil)
            if let i = target { scale(&all[i], to: desired, d, ref: ref) }
            // Inactive ones still get their annotations brought up to date.
            for i in all.indices where i != target && all[i].desiredReplicas == 0 { scale(&all[i], to: 0, d, ref: ref) }
        } else {
            let allowed = desired + surge(d, desired)
            let current = activeIndices.reduce(0) { $0 + all[$1].desiredReplicas }
            var toAdd = allowed - current
            // Larger (then newer) ReplicaSets first when growing; smaller first when shrinking.
            let order = activeIndices.sorted { a, b in
                all[a].desiredReplicas != all[b].desiredReplicas
                    ? (toAdd > 0) == (all[a].desiredReplicas > all[b].desiredReplicas)
                    : (all[a].metadata.creationTimestamp ?? 0) > (all[b].metadata.creationTimestamp ?? 0)
            }
            var targets = Dictionary(uniqueKeysWithValues: order.map { ($0, all[$0].desiredReplicas) })
            if current > 0 {
                let total = toAdd
                for i in order {
                    let share = Int((Double(all[i].desiredReplicas) * Double(total) / Double(current)).rounded(.towardZero))
                    let step = total > 0 ? min(share, toAdd) : max(share, toAdd)
                    targets[i]! += step
                    toAdd -= step
                }
            }
            if toAdd != 0, let first = order.first { targets[first] = max(0, targets[first]! + toAdd) }
            for i in order { scale(&all[i], to: targets[i]!, d, ref: ref) }
        }
        if newRS != nil { newRS = all[0]; olds = Array(all.dropFirst()) } else { olds = all }
    }

    /// revisionHistoryLimit: the oldest ReplicaSets scaled to zero, and without pods, are deleted.
    private func cleanupOldReplicaSets(_ d: Deployment, olds: [ReplicaSet], newRS: ReplicaSet?) {
        let idle = olds.filter { $0.desiredReplicas == 0 && $0.status.replicas == 0 && $0.metadata.deletionTimestamp == nil }
        let excess = idle.count - d.spec.revisionHistoryLimit
        guard excess > 0 else { return }
        for rs in idle.sorted(by: { (revision(of: $0) ?? 0) < (revision(of: $1) ?? 0) }).prefix(excess) {
            cluster.removeReplicaSet(ObjectKey(rs.metadata.namespace, rs.metadata.name))
        }
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
        let owned = cluster.replicaSetsByOwner.get(d.metadata.uid).compactMap { cluster.replicaSets.get($0) }
        var st = d.status
        st.observedGeneration = d.metadata.generation
        st.replicas = owned.reduce(0) { $0 + $1.status.replicas }
        st.readyReplicas = owned.reduce(0) { $0 + $1.status.readyReplicas }
        st.availableReplicas = owned.reduce(0) { $0 + $1.status.availableReplicas }
        st.updatedReplicas = newRS?.status.replicas ?? 0
        st.unavailableReplicas = max(0, d.desiredReplicas - st.availableReplicas)
        let now = (cluster.now / 1000) * 1000
        let available = st.availableReplicas >= d.desiredReplicas - maxUnavailable(d)
        setCondition(&st.conditions, DeploymentCondition(
            type: "Available", status: ConditionStatus(available),
            reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            message: available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", at: now))
        if let rs = newRS {
            let complete = st.updatedReplicas == d.desiredReplicas && st.availableReplicas == d.desiredReplicas && st.replicas == d.desiredReplicas
            setCondition(&st.conditions, DeploymentCondition(
                type: "Progressing", status: .true,
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
}
