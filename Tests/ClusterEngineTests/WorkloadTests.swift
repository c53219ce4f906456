import Testing
import ClusterModel
@testable import ClusterEngine

struct WorkloadTests {
    @Test func deploymentCreatesReplicaSetAndPods() throws {
        let c = makeCluster()
        try create(c, deployment("my-app", replicas: 3))
        let rs = c.replicaSets.list(namespace: "default")
        #expect(rs.count == 1)
        let hash = rs[0].metadata.labels["pod-template-hash"]!
        #expect(hash.allSatisfy { "456789bcdf".contains($0) })
        #expect(rs[0].metadata.name == "my-app-\(hash)")
        #expect(rs[0].metadata.annotations["deployment.kubernetes.io/revision"] == "1")
        let pods = c.pods.list(namespace: "default")
        #expect(pods.count == 3)
        for p in pods {
            #expect(p.metadata.name.hasPrefix("my-app-\(hash)-"))
            let suffix = p.metadata.name.dropFirst("my-app-\(hash)-".count)
            #expect(suffix.count == 5 && suffix.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
            #expect(p.metadata.labels == ["app": "my-app", "pod-template-hash": hash])
            #expect(p.metadata.ownerReferences.first?.name == rs[0].metadata.name)
        }
        // Spread: one pod per worker.
        #expect(Set(pods.map(\.spec.nodeName)).count == 3)
        let events = c.events(for: c.reference("Deployment", c.deployments.get("default", "my-app")!.metadata, apiVersion: "apps/v1"))
        #expect(events.map(\.message) == ["Scaled up replica set my-app-\(hash) from 0 to 3"])
    }

    @Test func podLifecycleAndStatus() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 1))
        var pod = c.pods.list(namespace: "default")[0]
        #expect(pod.status.phase == .pending)
        #expect(!pod.spec.nodeName.isEmpty)
        c.advance(bySeconds: 0.5)
        pod = c.pods.list(namespace: "default")[0]
        #expect(pod.status.containerStatuses.first?.state == .waiting(reason: "ContainerCreating"))
        #expect(pod.status.podIP.isEmpty)
        c.advance(bySeconds: 5)
        pod = c.pods.list(namespace: "default")[0]
        #expect(pod.status.phase == .running)
        #expect(pod.status.isReady)
        #expect(!pod.status.podIP.isEmpty)
        let reasons = c.events(for: c.reference("Pod", pod.metadata)).map(\.reason)
        #expect(reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started"])
        #expect(c.deployments.get("default", "web")?.status.readyReplicas == 1)
        #expect(c.deployments.get("default", "web")?.status.availableReplicas == 1)
    }

    @Test func scaleEventsSayFromAndTo() throws {
        let c = makeCluster()
        try create(c, deployment("my-app", replicas: 3))
        c.advance(bySeconds: 10)
        try c.scale(kind: "Deployment", namespace: "default", name: "my-app", replicas: 5)
        try c.scale(kind: "Deployment", namespace: "default", name: "my-app", replicas: 2)
        let rs = c.replicaSets.list(namespace: "default")[0].metadata.name
        let messages = c.events(for: c.reference("Deployment", c.deployments.get("default", "my-app")!.metadata, apiVersion: "apps/v1")).map(\.message)
        #expect(messages == ["Scaled up replica set \(rs) from 0 to 3", "Scaled up replica set \(rs) from 3 to 5", "Scaled down replica set \(rs) from 5 to 2"])
    }

    /// client-go's EventCorrelator: nine different "Created pod" messages stand alone, the tenth
    /// and every later one within ten minutes go into one combined event whose count grows and
    /// whose message is the newest; a repeated identical event is counted on its own entry.
    @Test func similarEventsAreCombinedAfterNine() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 15))
        c.advance(bySeconds: 30)
        let rs = c.replicaSets.list(namespace: "default")[0]
        let created = c.events(for: c.reference("ReplicaSet", rs.metadata, apiVersion: "apps/v1")).filter { $0.reason == "SuccessfulCreate" }
        #expect(created.count == 10)
        #expect(created.prefix(9).allSatisfy { $0.count == 1 && $0.message.hasPrefix("Created pod: web-") })
        let combined = try #require(created.last)
        #expect(combined.count == 6)
        #expect(combined.message.hasPrefix("(combined from similar events): Created pod: web-"))
        let pods = Set(c.pods.list(namespace: "default").map(\.metadata.name))
        #expect(pods.contains(String(combined.message.dropFirst("(combined from similar events): Created pod: ".count))))
        // Ten minutes later the aggregate is forgotten: the next pods' events stand alone again.
        c.advance(bySeconds: 700)
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 17)
        let after = c.events(for: c.reference("ReplicaSet", rs.metadata, apiVersion: "apps/v1")).filter { $0.reason == "SuccessfulCreate" }
        #expect(after.count == 12)
        #expect(after.suffix(2).allSatisfy { $0.count == 1 && $0.message.hasPrefix("Created pod: ") })
    }

    /// kube-apiserver's --event-ttl (one hour after an event's last write): an event counted
    /// again lives on from that write, the others go, and their index with them.
    @Test func eventsExpireAnHourAfterTheirLastWrite() throws {
        let c = makeCluster()
        let node = c.nodes.list()[0]
        let ref = c.reference("Node", node.metadata)
        c.recordEvent(ref, reason: "Once", message: "said once", component: "test")
        c.recordEvent(ref, reason: "Again", message: "said twice", component: "test")
        c.advance(bySeconds: 1800)
        c.recordEvent(ref, reason: "Again", message: "said twice", component: "test")
        c.advance(bySeconds: 1799)
        #expect(Set(c.events(for: ref).map(\.reason)).isSuperset(of: ["Once", "Again"]))
        c.advance(bySeconds: 2)
        #expect(!c.events(for: ref).map(\.reason).contains("Once"))
        #expect(c.events(for: ref).first { $0.reason == "Again" }?.count == 2)
        c.advance(bySeconds: 1800)
        #expect(c.events(for: ref).filter { $0.reason == "Once" || $0.reason == "Again" }.isEmpty)
        #expect(c.events.list().allSatisfy { c.now - $0.lastTimestamp < 3_600_000 })
    }

    /// The scheduler's message is kept as the node's name and reads back whole — through the
    /// API's JSON too, and after another field of the event changes.
    @Test func aScheduledMessageIsKeptAsItsNodeAndReadsWhole() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 1))
        c.advance(bySeconds: 5)
        let pod = c.pods.list(namespace: "default")[0]
        var scheduled = try #require(c.events(for: c.reference("Pod", pod.metadata)).first { $0.reason == "Scheduled" })
        let whole = "Successfully assigned default/\(pod.metadata.name) to \(pod.spec.nodeName)"
        #expect(scheduled.origin.template == .assignedToNode)
        #expect(scheduled.message == whole)
        #expect(ObjectEncoder.event(scheduled)["message"] == .string(whole))
        // The message expands from the event's object: changing the object keeps the words.
        var moved = scheduled
        moved.involvedObject = ObjectReference(kind: "Pod", namespace: "default", name: "another", uid: "", apiVersion: "v1", fieldPath: "")
        #expect(moved.message == whole && moved.origin.template == nil)
        scheduled.type = "Warning"
        #expect(scheduled.message == whole && scheduled.origin.template == nil)
        scheduled.message = "moved"
        #expect(scheduled.message == "moved")
    }

    /// Scale-down takes pending pods before running ones.
    @Test func scaleDownDeletesPendingPodsFirst() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 3))
        c.advance(bySeconds: 30)
        let original = Set(c.podNames())
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 5)
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 3)
        let survivors = Set(c.pods.list(namespace: "default").filter { !$0.isTerminating }.map(\.metadata.name))
        #expect(survivors == original)
    }

    /// Among running ready pods, the one on the most crowded node goes first.
    @Test func scaleDownPrefersCrowdedNodes() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 3))
        c.advance(bySeconds: 600)
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 4)
        c.advance(bySeconds: 30)
        let pods = c.pods.list(namespace: "default")
        let crowded = Dictionary(grouping: pods, by: \.spec.nodeName).first { $0.value.count == 2 }!
        let young = crowded.value.max { $0.metadata.creationTimestamp! < $1.metadata.creationTimestamp! }!
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 3)
        let terminating = c.pods.list(namespace: "default").filter(\.isTerminating).map(\.metadata.name)
        #expect(terminating == [young.metadata.name])
    }

    @Test func rankingOrder() {
        let c = makeCluster()
        func pod(_ name: String, node: String = "n1", phase: PodPhase = .running, ready: Bool = true, created: Millis = 0, readyAt: Millis = 0, restarts: Int = 0, cost: Int? = nil) -> Pod {
            var p = Pod()
            p.metadata.name = name
            p.metadata.uid = name
            p.metadata.creationTimestamp = c.now - created
            if let cost { p.metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] = String(cost) }
            p.spec.nodeName = node
            p.status.phase = phase
            p.status.conditions = [PodCondition(type: "Ready", status: ConditionStatus(ready), lastTransitionTime: c.now - readyAt)]
            p.status.containerStatuses = [ContainerStatus(name: "c", image: "i", ready: ready, restartCount: restarts, state: .running(startedAt: 0))]
            return p
        }
        let rs = ReplicaSet()
        let hour: Millis = 3_600_000
        let ranked = c.replicaSetController.rankForDeletion([
            pod("old-ready", created: 10 * hour, readyAt: 10 * hour),
            pod("unassigned", node: "", phase: .pending, ready: false),
            pod("pending", phase: .pending, ready: false),
            pod("not-ready", ready: false),
            pod("young-ready", created: 60_000, readyAt: 60_000),
            pod("cheap", created: 10 * hour, readyAt: 10 * hour, cost: -5),
        ], owner: rs).map(\.metadata.name)
        #expect(ranked == ["unassigned", "pending", "not-ready", "cheap", "young-ready", "old-ready"])
    }

    @Test func noFeasibleNodeLeavesPodsPending() throws {
        let c = makeCluster(workers: 0)
        try create(c, deployment("web", replicas: 1))
        let pod = c.pods.list(namespace: "default")[0]
        #expect(pod.spec.nodeName.isEmpty)
        #expect(pod.status.condition("PodScheduled")?.reason == "Unschedulable")
        let event = c.events(for: c.reference("Pod", pod.metadata)).last!
        #expect(event.type == "Warning" && event.reason == "FailedScheduling")
        #expect(event.message == "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")
    }

    @Test func sameSeedSameCluster() throws {
        func snapshot(_ seed: UInt64) throws -> [String] {
            let c = makeCluster(seed: seed)
            try create(c, deployment("web", replicas: 4))
            try create(c, service("web", selector: "{app: web}"))
            c.advance(bySeconds: 20)
            return c.pods.list().map { "\($0.metadata.name) \($0.spec.nodeName) \($0.status.podIP) \($0.metadata.uid)" }
                + c.services.list().map { "\($0.metadata.name) \($0.spec.clusterIP)" }
                + c.endpointSlices.list().map(\.metadata.name)
        }
        #expect(try snapshot(7) == snapshot(7))
        #expect(try snapshot(7) != snapshot(8))
    }

    @Test func watchersSeeChanges() throws {
        let c = makeCluster()
        var seen: [String] = []
        c.watch { change in if change.kind == "Endpoints" { seen.append("\(change.type.rawValue) \(change.key)") } }
        try create(c, service("web", selector: "{app: web}"))
        try create(c, deployment("web", replicas: 1))
        c.advance(bySeconds: 10)
        try c.delete(kind: "Service", namespace: "default", name: "web")
        #expect(seen.first == "ADDED default/web")
        #expect(seen.contains("MODIFIED default/web"))
        #expect(seen.last == "DELETED default/web")
    }
}
