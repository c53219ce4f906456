import Testing
import ClusterModel
@testable import ClusterEngine

struct EndpointTests {
    @Test func addressesSortByteWise() throws {
        let c = makeCluster(workers: 1)
        try create(c, deployment("web", replicas: 11))
        try create(c, service("web", selector: "{app: web}"))
        c.advance(bySeconds: 30)
        // coredns holds 10.244.1.2 on the worker? No: one worker, coredns may share it.
        let ips = c.readyIPs("web")
        #expect(ips.count == 11)
        #expect(ips == ips.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(ips.first!.hasSuffix(".10") || ips.first!.hasSuffix(".11") || ips.first!.hasSuffix(".12"))
        #expect(c.endpoints.get("default", "web")?.subsets.count == 1)
        #expect(c.endpoints.get("default", "web")?.subsets[0].ports == [EndpointPort(name: "http", port: 8080, proto: .tcp)])
    }

    @Test func namedTargetPortResolvedPerPod() throws {
        let c = makeCluster()
        try create(c, deployment("a", replicas: 2, labels: "tier: api", ports: "[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]"))
        try create(c, deployment("b", replicas: 1, labels: "tier: api", ports: "[{name: web, containerPort: 8081}]"))
        try create(c, service("api", selector: "{tier: api}", ports: "[{name: http, port: 80, targetPort: http}, {name: metrics, port: 9090, targetPort: 9090}]"))
        c.advance(bySeconds: 30)
        let subsets = c.endpoints.get("default", "api")!.subsets
        // http resolves only on the `a` pods; metrics (a number) on all three.
        #expect(subsets.count == 2)
        let http = subsets.first { $0.ports.map(\.name) == ["http"] }!
        let metrics = subsets.first { $0.ports.map(\.name) == ["metrics"] }!
        #expect(http.addresses.count == 2)
        #expect(http.ports == [EndpointPort(name: "http", port: 8080, proto: .tcp)])
        #expect(metrics.addresses.count == 3)
        // Slices group pods by their resolved port list.
        let slices = c.slices(ofService: ObjectKey("default", "api"))
        #expect(slices.count == 2)
        #expect(Set(slices.map(\.endpoints.count)) == [2, 1])
        #expect(slices.first { $0.endpoints.count == 1 }!.ports == [SlicePort(name: "metrics", port: 9090, proto: .tcp)])
    }

    @Test func singlePortServiceLeavesOutPodsWithoutTheNamedPort() throws {
        let c = makeCluster()
        try create(c, deployment("a", replicas: 1, labels: "tier: api", ports: "[{name: http, containerPort: 8080}]"))
        try create(c, deployment("b", replicas: 1, labels: "tier: api", ports: "[{name: web, containerPort: 8081}]"))
        try create(c, service("api", selector: "{tier: api}", ports: "[{name: http, port: 80, targetPort: http}]"))
        c.advance(bySeconds: 30)
        #expect(c.readyIPs("api").count == 1)
        let slices = c.slices(ofService: ObjectKey("default", "api"))
        // The pod without the port lands in a slice with no ports.
        #expect(slices.map(\.ports.count).sorted() == [0, 1])
    }

    @Test func placeholderSliceIsReusedWhenPodsArrive() throws {
        let c = makeCluster()
        try create(c, service("web", selector: "{app: web}"))
        let placeholder = c.slices(ofService: ObjectKey("default", "web"))
        #expect(placeholder.count == 1)
        #expect(placeholder[0].ports.isEmpty && placeholder[0].endpoints.isEmpty)
        #expect(placeholder[0].metadata.name.hasPrefix("web-") && placeholder[0].metadata.name.count == 9)
        #expect(placeholder[0].metadata.labels["kubernetes.io/service-name"] == "web")
        #expect(placeholder[0].metadata.labels["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
        #expect(c.endpoints.get("default", "web")?.subsets == [])
        try create(c, deployment("web", replicas: 3))
        c.advance(bySeconds: 30)
        let after = c.slices(ofService: ObjectKey("default", "web"))
        #expect(after.map(\.metadata.name) == placeholder.map(\.metadata.name))
        #expect(after[0].endpoints.count == 3)
        #expect(after[0].ports == [SlicePort(name: "http", port: 8080, proto: .tcp)])
        // Back to zero: the slice becomes the placeholder again, under the same name.
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 0)
        c.advance(bySeconds: 60)
        let empty = c.slices(ofService: ObjectKey("default", "web"))
        #expect(empty.map(\.metadata.name) == placeholder.map(\.metadata.name))
        #expect(empty[0].endpoints.isEmpty && empty[0].ports.isEmpty)
        #expect(c.endpoints.get("default", "web")?.subsets == [])
    }

    @Test func atMostOneHundredEndpointsPerSlice() throws {
        let c = makeCluster(workers: 2)
        try create(c, service("web", selector: "{app: web}"))
        try create(c, deployment("web", replicas: 150))
        c.advance(bySeconds: 60)
        let slices = c.slices(ofService: ObjectKey("default", "web"))
        // Endpoints arrive in batches, so the split depends on their arrival (upstream fills a
        // slice it is updating anyway, else opens a new one): two slices, none over 100.
        #expect(slices.count == 2)
        #expect(slices.allSatisfy { $0.endpoints.count <= 100 })
        #expect(slices.map(\.endpoints.count).reduce(0, +) == 150)
        #expect(c.readyIPs("web").count == 150)
        // Removing some endpoints updates slices in place; no new slices appear.
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 120)
        c.advance(bySeconds: 60)
        let after = c.slices(ofService: ObjectKey("default", "web"))
        #expect(Set(after.map(\.metadata.name)) == Set(slices.map(\.metadata.name)))
        #expect(after.map(\.endpoints.count).reduce(0, +) == 120)
    }

    @Test func notReadyAndTerminatingPods() throws {
        let c = makeCluster()
        let probe = """
                readinessProbe:
                  httpGet: {path: /healthz, port: http}
                  periodSeconds: 5
        """
        // An image that listens where it says (nginx would listen on 80 and fail this probe).
        try create(c, deployment("web", replicas: 2, probe: probe).replacingOccurrences(of: "nginx:1.27", with: "ghcr.io/svclab/web:1.0"))
        try create(c, service("web", selector: "{app: web}"))
        c.advance(bySeconds: 30)
        #expect(c.readyIPs("web").count == 2)
        let victim = c.pods.list(namespace: "default")[0]
        c.setReadinessProbeHealthy(namespace: "default", name: victim.metadata.name, healthy: false)
        c.advance(bySeconds: 30)
        let ep = c.endpoints.get("default", "web")!
        #expect(ep.subsets[0].addresses.count == 1)
        #expect(ep.subsets[0].notReadyAddresses.map(\.ip) == [victim.status.podIP])
        let sliceEndpoint = c.slices(ofService: ObjectKey("default", "web"))[0].endpoints.first { $0.addresses == [victim.status.podIP] }!
        #expect(sliceEndpoint.conditions == EndpointConditions(ready: false, serving: false, terminating: false))
        #expect(c.events(for: c.reference("Pod", victim.metadata)).contains { $0.reason == "Unhealthy" && $0.message == "Readiness probe failed: HTTP probe failed with statuscode: 503" })

        // Deleting a ready pod: it leaves Endpoints at once but stays in the slice as terminating.
        c.setReadinessProbeHealthy(namespace: "default", name: victim.metadata.name, healthy: true)
        c.advance(bySeconds: 30)
        let other = c.pods.list(namespace: "default").first { $0.metadata.name != victim.metadata.name }!
        try c.delete(kind: "Pod", namespace: "default", name: other.metadata.name)
        #expect(!c.readyIPs("web").contains(other.status.podIP))
        let terminating = c.slices(ofService: ObjectKey("default", "web"))[0].endpoints.first { $0.addresses == [other.status.podIP] }
        #expect(terminating?.conditions == EndpointConditions(ready: false, serving: true, terminating: true))
        c.advance(bySeconds: 31)
        #expect(c.pods.get("default", other.metadata.name) == nil)
        #expect(c.slices(ofService: ObjectKey("default", "web"))[0].endpoints.allSatisfy { $0.addresses != [other.status.podIP] })
    }

    @Test func selectorlessAndExternalNameServicesGetNoEndpoints() throws {
        let c = makeCluster()
        try create(c, "apiVersion: v1\nkind: Service\nmetadata: {name: manual}\nspec: {ports: [{port: 80}]}")
        try create(c, "apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: db.example.com}")
        #expect(c.endpoints.get("default", "manual") == nil)
        #expect(c.endpoints.get("default", "ext") == nil)
        #expect(c.slices(ofService: ObjectKey("default", "manual")).isEmpty)
        #expect(c.services.get("default", "ext")?.spec.clusterIP == "")
    }

    @Test func deletingTheServiceDeletesEndpointsAndSlices() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 2))
        try create(c, service("web", selector: "{app: web}"))
        c.advance(bySeconds: 30)
        try c.delete(kind: "Service", namespace: "default", name: "web")
        #expect(c.endpoints.get("default", "web") == nil)
        #expect(c.slices(ofService: ObjectKey("default", "web")).isEmpty)
    }

    @Test func relabelMovesAPodOutOfTheService() throws {
        let c = makeCluster()
        try create(c, deployment("web", replicas: 3))
        try create(c, service("web", selector: "{app: web}"))
        c.advance(bySeconds: 30)
        let pod = c.pods.list(namespace: "default")[0]
        try c.setLabels(kind: "Pod", namespace: "default", name: pod.metadata.name, labels: ["app": "debug"])
        #expect(!c.readyIPs("web").contains(pod.status.podIP))
        #expect(c.readyIPs("web").count == 2)
        // The ReplicaSet releases the relabelled pod and starts a replacement.
        #expect(c.pods.get("default", pod.metadata.name)?.metadata.ownerReferences == [])
        #expect(c.pods.list(namespace: "default").count == 4)
        c.advance(bySeconds: 30)
        #expect(c.readyIPs("web").count == 3)
        // Relabelled back, it is adopted again and one pod too many is scaled away.
        try c.setLabels(kind: "Pod", namespace: "default", name: pod.metadata.name, labels: pod.metadata.labels)
        #expect(c.pods.get("default", pod.metadata.name)?.metadata.controllerRef != nil)
        #expect(c.pods.list(namespace: "default").filter { !$0.isTerminating }.count == 3)
    }
}

/// The Endpoints controller's maxCapacity (1,000): ready addresses are kept first, the object is
/// annotated `endpoints.kubernetes.io/over-capacity: truncated`; the slices hold them all.
struct EndpointCapacityTests {
    @Test func overCapacityIsTruncatedAndAnnotated() throws {
        let c = GeneratedCluster.make(nodes: 12, deployments: 1, replicas: 1_050, servicesPer: 1)
        func addresses() -> (ready: Int, notReady: Int) {
            let subsets = c.endpoints.get("default", "svc-0-0")?.subsets ?? []
            return (subsets.reduce(0) { $0 + $1.addresses.count }, subsets.reduce(0) { $0 + $1.notReadyAddresses.count })
        }
        #expect(addresses().ready == 1_000 && addresses().notReady == 0)
        #expect(c.endpoints.get("default", "svc-0-0")?.metadata.annotations["endpoints.kubernetes.io/over-capacity"] == "truncated")
        #expect(c.slices(ofService: ObjectKey("default", "svc-0-0")).reduce(0) { $0 + $1.endpoints.count } == 1_050)
        #expect(c.controllerDrift() == [])
        try c.scale(kind: "Deployment", namespace: "default", name: "app-0", replicas: 900)
        c.advance(bySeconds: 60)
        #expect(addresses().ready == 900)
        #expect(c.endpoints.get("default", "svc-0-0")?.metadata.annotations["endpoints.kubernetes.io/over-capacity"] == nil)
        #expect(c.controllerDrift() == [])
    }
}
