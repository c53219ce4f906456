import Testing
import ClusterModel
@testable import ClusterEngine

/// Each controller driven alone, as upstream tests its controllers: objects go in through the
/// write path (which only calls handlers that queue keys), then one controller's `runQueued`
/// runs and the test looks at what it wrote — and at what it did not touch.
struct ControllerTests {
    /// Writes an object as the API server stores it, without letting any controller run.
    private func write(_ c: Cluster, _ yaml: String) throws {
        var object = try Manifest.load(yaml, source: "test.yaml")[0].get()
        Defaults.apply(&object)
        var meta = object.metadata
        if meta.namespace.isEmpty { meta.namespace = "default" }
        c.stampNew(&meta)
        object.metadata = meta
        switch object {
        case let .replicaSet(rs): c.putReplicaSet(rs)
        case let .service(svc): c.putService(svc)
        default: Issue.record("unexpected kind \(object.kind)")
        }
    }

    private let replicaSet = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 8080}]}]
        """

    @Test func theReplicaSetControllerAloneCreatesPodsThatNobodyPlaces() throws {
        let c = makeCluster()
        try write(c, replicaSet)
        #expect(c.pods.list(namespace: "default").isEmpty, "the write path only queues")
        #expect(c.replicaSetController.runQueued(batching: false))
        let pods = c.pods.list(namespace: "default")
        #expect(pods.count == 2)
        #expect(pods.allSatisfy { $0.spec.nodeName.isEmpty && $0.metadata.controllerRef?.name == "web" })
        #expect(c.replicaSets.get("default", "web")?.status.replicas == 2)
    }

    @Test func theSchedulerAloneBindsOnePodPerSyncAndThenHasNothingToDo() throws {
        let c = makeCluster()
        try write(c, replicaSet)
        _ = c.replicaSetController.runQueued(batching: false)
        #expect(c.scheduler.runQueued(batching: false))
        #expect(c.pods.list(namespace: "default").filter { !$0.spec.nodeName.isEmpty }.count == 1)
        #expect(c.scheduler.runQueued(batching: false))
        #expect(!c.scheduler.runQueued(batching: false))
        let pods = c.pods.list(namespace: "default")
        #expect(Set(pods.map(\.spec.nodeName)).count == 2, "spread over the workers")
        #expect(pods.allSatisfy { $0.status.condition("PodScheduled")?.status == .true })
        // Nothing but the scheduler ran: the kubelet's first step is only a timer.
        #expect(pods.allSatisfy { $0.status.containerStatuses.isEmpty })
    }

    @Test func theEndpointControllerAloneWritesEndpointsAndSlicesFromWhatIsStored() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 2))
        c.advance(bySeconds: 30)
        try write(c, service("web", selector: "{app: web}"))
        #expect(c.endpoints.get("default", "web") == nil, "the write path only queues")
        #expect(c.endpointController.runQueued(batching: false))
        let ready = c.pods.list(namespace: "default").map(\.status.podIP).sorted()
        #expect(c.readyIPs("web").sorted() == ready)
        #expect(c.slices(ofService: ObjectKey("default", "web")).flatMap(\.endpoints).compactMap(\.addresses.first).sorted() == ready)
        #expect(!c.endpointController.runQueued(batching: false))
        #expect(c.controllerDrift().isEmpty)
        #expect(c.readyEndpointCount(service: ObjectKey("default", "web")) == c.readyEndpointAddresses(service: ObjectKey("default", "web")).count)
        #expect(c.readyEndpointCount(service: ObjectKey("default", "web")) == 2)
    }

    /// The controller's two reconcilers each write only their own object, and they share one
    /// targetRef per pod between them.
    @Test func theEndpointsAndSliceReconcilersEachWriteTheirOwnObject() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 2))
        c.advance(bySeconds: 30)
        try write(c, service("web", selector: "{app: web}"))
        let key = ObjectKey("default", "web")
        let svc = try #require(c.services.get(key))
        let selected = c.pods.list(namespace: "default").filter { $0.metadata.labels["app"] == "web" }
        c.endpointController.endpointsReconciler.syncEndpointsObject(svc, key, selected)
        #expect(c.readyIPs("web").count == 2)
        #expect(c.slices(ofService: key).isEmpty, "the Endpoints reconciler writes no slice")
        c.endpointController.sliceReconciler.syncSlices(svc, key, selected)
        let sliceRefs = c.slices(ofService: key).flatMap(\.endpoints).compactMap(\.targetRef)
        #expect(sliceRefs.count == 2)
        let addressRefs = try #require(c.endpoints.get(key)).subsets.flatMap(\.addresses).compactMap(\.targetRef)
        #expect(Set(sliceRefs.map(\.name)) == Set(addressRefs.map(\.name)))
        #expect(c.endpointController.sharing.count >= 2, "one shared entry per pod")
    }

    @Test func everyControllerIsToldOfAChangeAndRunsInTheListedOrder() {
        let c = makeCluster()
        #expect(c.controllers.map { String(describing: type(of: $0)) } == [
            "ReplicaSetController", "DeploymentController", "DaemonSetController", "Scheduler",
            "EndpointController", "LoadBalancerController", "Kubelet", "KubeProxy",
        ])
        #expect(c.controllers.allSatisfy { !$0.runQueued(batching: false) }, "a settled cluster has no queued work")
    }
}
