import ClusterModel
import Testing
@testable import ClusterEngine

/// Rolling updates paced like the deployment controller's rolling.go.
struct RolloutTests {
    /// Changes the template's image through the API, as `kubectl set image` does.
    func setImage(_ c: Cluster, _ image: String, on name: String = "web") throws {
        var d = c.deployments.get("default", name)!
        d.spec.template.spec.containers[0].image = image
        try c.update(.deployment(d))
    }

    @Test(arguments: [(3, "25%", "25%"), (4, "25%", "25%"), (10, "1", "0"), (5, "0", "2"), (6, "50%", "50%")])
    func availabilityAndSurgeStayWithinBounds(replicas: Int, maxSurge: String, maxUnavailable: String) throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: replicas))
        var d = c.deployments.get("default", "web")!
        func intOrString(_ s: String) -> IntOrString { Int(s).map(IntOrString.int) ?? .string(s) }
        d.spec.strategy.maxSurge = intOrString(maxSurge)
        d.spec.strategy.maxUnavailable = intOrString(maxUnavailable)
        try c.update(.deployment(d))
        c.advance(bySeconds: 60)
        #expect(c.deployments.get("default", "web")!.status.availableReplicas == replicas)

        // Resolve the bounds as the controller does: surge rounds up, unavailability down.
        func resolve(_ s: String, up: Bool) -> Int {
            if let i = Int(s) { return i }
            let x = Double(replicas) * (Double(s.dropLast())! / 100)
            return Int(up ? x.rounded(.up) : x.rounded(.down))
        }
        let surge = resolve(maxSurge, up: true)
        let unavailable = max(resolve(maxUnavailable, up: false), surge == 0 ? 1 : 0)
        var worstAvailable = Int.max, mostPods = 0
        let id = c.watch { _ in
            let pods = c.pods.list(namespace: "default").filter { !$0.isTerminating && !$0.isTerminal }
            mostPods = max(mostPods, pods.count)
            worstAvailable = min(worstAvailable, pods.filter { $0.status.isReady }.count)
        }
        try setImage(c, "nginx:1.28")
        c.advance(bySeconds: 300)
        c.unwatch(id)

        let after = c.deployments.get("default", "web")!
        #expect(after.status.updatedReplicas == replicas)
        #expect(after.status.availableReplicas == replicas)
        #expect(c.pods.list(namespace: "default").allSatisfy { $0.spec.containers[0].image == "nginx:1.28" })
        #expect(mostPods <= replicas + surge, "at most desired + maxSurge pods")
        #expect(worstAvailable >= replicas - unavailable, "at least desired - maxUnavailable ready pods")
        let sets = c.replicaSets.list(namespace: "default").sorted { $0.metadata.name < $1.metadata.name }
        #expect(sets.count == 2)
        #expect(sets.map(\.desiredReplicas).sorted() == [0, replicas])
    }

    @Test func rollbackReusesTheOldReplicaSetUnderANewRevision() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 2))
        c.advance(bySeconds: 60)
        let first = c.replicaSets.list(namespace: "default")[0].metadata.name
        try setImage(c, "nginx:1.28")
        c.advance(bySeconds: 120)
        try setImage(c, "nginx:1.27")
        c.advance(bySeconds: 120)
        let active = c.replicaSets.list(namespace: "default").filter { $0.desiredReplicas > 0 }
        #expect(active.map(\.metadata.name) == [first])
        #expect(active[0].metadata.annotations["deployment.kubernetes.io/revision"] == "3")
        #expect(active[0].metadata.annotations["deployment.kubernetes.io/revision-history"] == "1")
        #expect(c.deployments.get("default", "web")!.metadata.annotations["deployment.kubernetes.io/revision"] == "3")
    }

    @Test func recreateStopsEveryOldPodFirst() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 3))
        var d = c.deployments.get("default", "web")!
        d.spec.strategy = DeploymentStrategy()
        d.spec.strategy.type = "Recreate"; d.spec.strategy.maxSurge = nil; d.spec.strategy.maxUnavailable = nil
        try c.update(.deployment(d))
        c.advance(bySeconds: 60)
        var overlap = false
        let id = c.watch { _ in
            let images = Set(c.pods.list(namespace: "default").map { $0.spec.containers[0].image })
            if images.count > 1 { overlap = true }
        }
        try setImage(c, "nginx:1.28")
        c.advance(bySeconds: 300)
        c.unwatch(id)
        #expect(!overlap, "no new pod while an old one exists")
        #expect(c.deployments.get("default", "web")!.status.availableReplicas == 3)
    }

    @Test func pausedDeploymentScalesButDoesNotRoll() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 2))
        c.advance(bySeconds: 60)
        var d = c.deployments.get("default", "web")!
        d.spec.paused = true
        try c.update(.deployment(d))
        try setImage(c, "nginx:1.28")
        c.advance(bySeconds: 60)
        #expect(c.replicaSets.list(namespace: "default").count == 1)
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 4)
        c.advance(bySeconds: 60)
        #expect(c.pods.list(namespace: "default").filter { !$0.isTerminating }.count == 4)
        #expect(c.pods.list(namespace: "default").allSatisfy { $0.spec.containers[0].image == "nginx:1.27" })
    }
}
