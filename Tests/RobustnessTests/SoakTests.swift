import ClusterEngine
import Foundation
import ClusterModel
import Testing
@testable import Kubectl

/// A soak: thousands of seeded events (scale, relabel, readiness, deletes, requests, time),
/// with the cluster's invariants checked as it goes.
struct SoakTests {
    static func checkInvariants(_ c: Cluster, _ label: String) {
        // The incremental controllers agree with a full recompute.
        #expect(c.controllerDrift() == [], "\(label): drift")
        // The lab's newest-events shortcut agrees with sorting them all.
        for ns in ["default", "shop"] {
            let all = c.events.list(namespace: ns).sorted { ($0.lastTimestamp, $0.metadata.name) < ($1.lastTimestamp, $1.metadata.name) }
            #expect(c.recentEvents(namespace: ns, limit: 20) == Array(all.suffix(20)), "\(label): recent events of \(ns)")
        }
        // No two live pods share an IP; Service IPs and NodePorts are unique.
        var ips = Set<String>()
        for ns in c.namespaces.list(namespace: nil).map(\.metadata.name) {
            for p in c.pods.list(namespace: ns) where !p.status.podIP.isEmpty && !p.isTerminal && !p.spec.hostNetwork {
                #expect(ips.insert(p.status.podIP).inserted, "\(label): duplicate pod IP \(p.status.podIP)")
            }
        }
        var clusterIPs = Set<String>(), nodePorts = Set<String>()
        for ns in c.namespaces.list(namespace: nil).map(\.metadata.name) {
            for svc in c.services.list(namespace: ns) {
                if !svc.spec.clusterIP.isEmpty && svc.spec.clusterIP != "None" {
                    #expect(clusterIPs.insert(svc.spec.clusterIP).inserted, "\(label): duplicate ClusterIP \(svc.spec.clusterIP)")
                }
                for p in svc.spec.ports where p.nodePort != 0 {
                    #expect(nodePorts.insert("\(p.nodePort)/\(p.proto)").inserted, "\(label): duplicate NodePort \(p.nodePort)")
                }
                // Endpoints: the ready slice addresses are exactly the selector's ready, live pods.
                guard let sel = svc.spec.selector, !sel.isEmpty else { continue }
                let wanted = Set(c.pods.list(namespace: ns).filter { p in
                    sel.allSatisfy { p.metadata.labels[$0.key] == $0.value } && p.status.isReady && !p.isTerminating && !p.status.podIP.isEmpty
                }.map(\.status.podIP))
                let ready = Set(c.slices(ofService: ObjectKey(ns, svc.metadata.name)).flatMap { $0.endpoints.filter { $0.conditions.ready ?? true }.compactMap(\.addresses.first) })
                #expect(ready == wanted, "\(label): \(ns)/\(svc.metadata.name) slices \(ready.sorted()) vs pods \(wanted.sorted())")
                let legacy = Set((c.endpoints.get(ns, svc.metadata.name)?.subsets ?? []).flatMap { $0.addresses.map(\.ip) })
                #expect(legacy == wanted, "\(label): \(ns)/\(svc.metadata.name) Endpoints \(legacy.sorted()) vs pods \(wanted.sorted())")
            }
        }
    }

    /// Resident memory in bytes (Linux) after handing free heap pages back (`malloc_trim`):
    /// without it, glibc's adaptive mmap threshold keeps the pages of the invariant checks' big
    /// temporary arrays, and resident memory climbs for a while with no object kept.
    static func residentBytes() -> Int {
        typealias Trim = @convention(c) (Int) -> CInt
        if let sym = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") { _ = unsafeBitCast(sym, to: Trim.self)(0) }
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * 4096 : 0
    }

    /// 20,000 events in `swift test`; `SVCLAB_SOAK_EVENTS=1000000 swift test --filter SoakTests`
    /// runs the long soak and prints resident memory after warm-up and at the end.
    @Test(.timeLimit(.minutes(60)))
    func eventsKeepTheInvariants() throws {
        let total = Int(ProcessInfo.processInfo.environment["SVCLAB_SOAK_EVENTS"] ?? "") ?? 20_000
        var warmRSS = 0
        var warmFootprint: [String: Int] = [:]
        var rssSeries: [Int] = []   // MiB at every tenth of the run
        let s = Session.demo(seed: 11)
        _ = s.runScript("""
        kubectl create deployment shop --image=ghcr.io/svclab/shop:1.0 --port=8080 --replicas=4
        kubectl expose deployment shop --port=80 --target-port=8080
        kubectl create service nodeport shop-np --tcp=80:8080
        sleep 30
        """)
        let c = s.cluster
        var rng = SeededRandom(seed: 99)
        let deployments = ["my-app", "shop"]
        var events = 0
        while events < total {
            let roll = rng.int(in: 0...99)
            let d = deployments[rng.int(in: 0...1)]
            let label = d == "my-app" ? "app.kubernetes.io/name" : "app"
            let pods = c.pods.list(namespace: "default").filter { $0.metadata.labels[label] == d || $0.metadata.labels["was"] == d }
            switch roll {
            case 0..<10:
                try? c.scale(kind: "Deployment", namespace: "default", name: d, replicas: rng.int(in: 1...8))
            case 10..<30 where !pods.isEmpty:
                // Relabel out of, or back into, the Services (and the ReplicaSet).
                let p = pods[rng.int(in: 0...(pods.count - 1))]
                if p.metadata.labels[label] == d {
                    _ = try? c.setLabels(kind: "Pod", namespace: "default", name: p.metadata.name, labels: p.metadata.labels.merging(["tier": "x\(rng.int(in: 0...3))"]) { _, b in b })
                } else {
                    _ = try? c.setLabels(kind: "Pod", namespace: "default", name: p.metadata.name, labels: [label: d])
                }
            case 30..<45 where !pods.isEmpty:
                let p = pods[rng.int(in: 0...(pods.count - 1))]
                c.setReadinessProbeHealthy(namespace: "default", name: p.metadata.name, healthy: rng.int(in: 0...2) != 0)
            case 45..<50 where !pods.isEmpty:
                let p = pods[rng.int(in: 0...(pods.count - 1))]
                try? c.delete(kind: "Pod", namespace: "default", name: p.metadata.name)
            case 50..<80:
                if let client = c.pods.get("default", "my-pod") {
                    _ = c.request(from: client, url: RequestTarget.parse(d == "my-app" ? "http://my-app" : "http://shop")!, connectTimeout: 1000)
                }
            default:
                c.advance(byMillis: Millis(rng.int(in: 0...3000)))
            }
            events += 1
            if events % max(2000, total / 50) == 0 { Self.checkInvariants(c, "after \(events) events") }
            if events % (total / 10) == 0 { rssSeries.append(Self.residentBytes() / 1_048_576) }
            // Warm-up: the first fifth (containers and the allocator reach their working size).
            if events == total / 5 { warmRSS = Self.residentBytes(); warmFootprint = c.footprint() }
        }
        c.advance(bySeconds: 120)
        Self.checkInvariants(c, "at the end")
        let endRSS = Self.residentBytes()
        // Nothing the engine keeps grows after warm-up (events and timers move with the workload).
        // Only the long soak has one: the first fifth of 20,000 events is less than the events'
        // one-hour TTL of simulated time, so the short run is still filling up.
        let endFootprint = c.footprint()
        for (part, warm) in warmFootprint.sorted(by: { $0.key < $1.key }) where total >= 200_000 {
            #expect(endFootprint[part, default: 0] <= warm + warm / 10 + 50, "\(part): \(warm) after warm-up, \(endFootprint[part, default: 0]) at the end")
        }
        print("soak: resident MiB at each tenth: \(rssSeries)")
        print("soak: \(total) events, resident memory \(warmRSS / 1_048_576) MiB after warm-up, \(endRSS / 1_048_576) MiB at the end, \(c.events.list(namespace: nil).count) events stored, simulated \((c.now - VirtualClock.defaultStart) / 1000) s")
    }
}
