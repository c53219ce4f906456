import PropertyBased
import Testing
import ClusterModel
@testable import ClusterEngine

/// The Endpoints and EndpointSlice controllers revisit only the pods that changed; these tests
/// hold them to the full recompute: the same operations on a cluster that always syncs in full
/// must leave byte-identical Endpoints and EndpointSlices (names, packing, order, timestamps).
struct IncrementalEndpointTests {
    /// Two Deployments with different named ports (so the `api` Service has two port groups),
    /// Services of every shape the controllers treat differently, readiness probes to flip.
    static func makeLab(incremental: Bool) throws -> Cluster {
        var config = Cluster.Config(seed: 7, workerNodes: 3)
        config.incrementalEndpoints = incremental
        let c = Cluster.bootstrapped(config: config, settleSeconds: 60)
        let probe = """
                readinessProbe:
                  tcpSocket: {port: 8080}
                  periodSeconds: 1
                  failureThreshold: 1
        """
        try create(c, deployment("a", replicas: 4, labels: "tier: api", ports: "[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]", probe: probe))
        try create(c, deployment("b", replicas: 2, labels: "tier: api", ports: "[{name: web, containerPort: 8080}]", probe: probe))
        try create(c, service("api", selector: "{tier: api}", ports: "[{name: http, port: 80, targetPort: http}, {name: metrics, port: 9090, targetPort: 9090}]"))
        try create(c, service("a", selector: "{app: a}"))
        try create(c, service("all", selector: "{tier: api}", ports: "[{name: http, port: 80, targetPort: 8080}]"))
        try create(c, """
            apiVersion: v1
            kind: Service
            metadata: {name: pub}
            spec:
              selector: {app: a}
              publishNotReadyAddresses: true
              ports: [{name: http, port: 80, targetPort: 8080}]
            """)
        try create(c, """
            apiVersion: v1
            kind: Service
            metadata: {name: hl}
            spec:
              clusterIP: None
              selector: {app: b}
            """)
        c.advance(bySeconds: 30)
        return c
    }

    /// One seeded operation, applied the same way to both clusters.
    static func apply(_ op: Int, _ pick: Int, to c: Cluster) {
        let pods = c.pods.list(namespace: "default")
        let pod = pods.isEmpty ? nil : pods[pick % pods.count]
        switch op {
        case 0: try? c.scale(kind: "Deployment", namespace: "default", name: pick % 2 == 0 ? "a" : "b", replicas: pick % 7)
        case 1:
            guard let pod else { return }
            var labels = pod.metadata.labels
            labels["tier"] = labels["tier"] == "api" ? "off" : "api"
            try? c.setLabels(kind: "Pod", namespace: "default", name: pod.metadata.name, labels: labels)
        case 2:
            guard let pod else { return }
            c.setReadinessProbeHealthy(namespace: "default", name: pod.metadata.name, healthy: pick % 3 != 0)
        case 3:
            guard let pod else { return }
            try? c.delete(kind: "Pod", namespace: "default", name: pod.metadata.name)
        case 4:
            // A bare pod that may reuse a name the controllers have seen before.
            _ = try? create(c, """
                apiVersion: v1
                kind: Pod
                metadata: {name: bare-\(pick % 3), labels: {tier: api, app: \(pick % 2 == 0 ? "a" : "b")}}
                spec:
                  containers: [{name: web, image: nginx:1.27, ports: [{name: http, containerPort: 8080}]}]
                """)
        case 5:
            let node = c.workerName(pick % 3 + 1)
            var labels = c.nodes.get("", node)?.metadata.labels ?? [:]
            labels["topology.kubernetes.io/zone"] = "zone-\(pick % 4)"
            try? c.setNodeMetadata(name: node, labels: labels, annotations: nil)
        default:
            c.advance(bySeconds: Double(pick % 4))
        }
    }

    /// Names of the Endpoints and EndpointSlices that differ between the two clusters.
    static func differences(_ a: Cluster, _ b: Cluster) -> [String] {
        var out: [String] = []
        for ep in a.endpoints.list() where b.endpoints.get(ep.metadata.namespace, ep.metadata.name) != ep { out.append("Endpoints \(ep.metadata.name)") }
        for s in a.endpointSlices.list() where b.endpointSlices.get(s.metadata.namespace, s.metadata.name) != s { out.append("EndpointSlice \(s.metadata.name)") }
        if a.endpoints.count != b.endpoints.count || a.endpointSlices.count != b.endpointSlices.count { out.append("object counts") }
        return out
    }

    @Test func incrementalEqualsFullRecompute() async throws {
        await propertyCheck(count: 30, input: Gen.int(in: 0...6).array(of: 10...60), Gen.int(in: 0...1000).array(of: 60)) { ops, picks in
            guard let incremental = try? Self.makeLab(incremental: true), let full = try? Self.makeLab(incremental: false) else {
                Issue.record("lab did not build"); return
            }
            for (i, op) in ops.enumerated() {
                Self.apply(op, picks[i], to: incremental)
                Self.apply(op, picks[i], to: full)
                // Mid-batch states are compared too: the clock has not always run out the batch.
                let diff = Self.differences(incremental, full)
                #expect(diff == [], "after op \(i) (\(op))")
                if !diff.isEmpty { return }
            }
            incremental.advance(bySeconds: 5)
            full.advance(bySeconds: 5)
            #expect(Self.differences(incremental, full) == [])
            #expect(incremental.controllerDrift() == [])
            // Both paths were exercised (the lab's own start-up already needs the full one).
            if ops.count >= 30 { #expect(incremental.endpointController.syncCounts.incremental > 0) }
            #expect(full.endpointController.syncCounts.incremental == 0)
        }
    }
}

extension IncrementalEndpointTests {
    @Test func labBuilds() throws { _ = try Self.makeLab(incremental: true) }
}

/// The lab's events pane reads `recentEvents`, which must agree with sorting every event, also
/// when one second holds far more writes than its window (a big scale-up).
struct RecentEventsTests {
    @Test func newestEventsMatchAFullSort() throws {
        let c = makeCluster(workers: 3)
        try create(c, deployment("big", replicas: 300))
        func check(_ when: String) {
            let all = c.events.list(namespace: "default").sorted { ($0.lastTimestamp, $0.metadata.name) < ($1.lastTimestamp, $1.metadata.name) }
            for limit in [1, 20, 100] {
                #expect(c.recentEvents(namespace: "default", limit: limit) == Array(all.suffix(limit)), "\(when), limit \(limit)")
                // Asked again with nothing written since: the remembered answer, still right.
                #expect(c.recentEvents(namespace: "default", limit: limit) == Array(all.suffix(limit)), "\(when), limit \(limit), again")
            }
        }
        check("after create")
        for step in 0..<12 {
            c.advance(bySeconds: 0.5)
            check("after \(step + 1) half-seconds")
        }
        try c.scale(kind: "Deployment", namespace: "default", name: "big", replicas: 2)
        check("after scale down")
        c.advance(bySeconds: 40)
        check("after 40 s")
        // Events expire after an hour without a write to the namespace: a remembered answer
        // naming expired events is not reused.
        _ = c.recentEvents(namespace: "default", limit: 20)
        c.advance(bySeconds: 3 * 3600)
        check("after the events' TTL")
        try c.scale(kind: "Deployment", namespace: "default", name: "big", replicas: 3)
        check("after a scale up, once events expired")
    }
}
