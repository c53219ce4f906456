import Benchmark
import ClusterEngine
import ClusterModel
import Kubectl
import TUI

/// The engine's scale property: one pod change costs the same whether the cluster holds a
/// handful of pods or a hundred thousand. Each benchmark flips one pod back and forth; the
/// small and large variants must stay within a small factor of each other.

func makeCluster(nodes: Int, deployments: Int, replicas: Int, servicesPer: Int) -> Cluster {
    GeneratedCluster.make(nodes: nodes, deployments: deployments, replicas: replicas, servicesPer: servicesPer)
}

/// Issue 9's envelope: 5,000 nodes, 1,000 Deployments × 150 pods, 10 Services each (10,000).
let envelope = (nodes: 5_000, deployments: 1_000, replicas: 150, servicesPer: 10)

/// Clusters are expensive to build at the envelope (about a minute), so each size is built once
/// and shared by the benchmarks that use it; every benchmark leaves it as it found it.
nonisolated(unsafe) var sharedClusters: [String: Cluster] = [:]
func sharedCluster(_ label: String, nodes: Int, deployments: Int, replicas: Int, servicesPer: Int) -> Cluster {
    if let c = sharedClusters[label] { return c }
    let c = makeCluster(nodes: nodes, deployments: deployments, replicas: replicas, servicesPer: servicesPer)
    sharedClusters[label] = c
    return c
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(3), maxIterations: 2_000)

    // Building the cluster itself: objects created per second and peak memory. The objects counted
    // are nodes, Deployments, ReplicaSets, pods, Services, Endpoints and EndpointSlices (Events,
    // about six per pod, come on top and are not counted).
    for (label, nodes, deployments) in [("15000 pods", 500, 100), ("150000 pods", envelope.nodes, envelope.deployments)] {
        Benchmark("Build to all endpoints ready (\(label), \(deployments * envelope.servicesPer) Services)",
                  configuration: .init(metrics: [.wallClock, .peakMemoryResident, .custom("objects/s", polarity: .prefersLarger, useScalingFactor: false)],
                                       timeUnits: .seconds, maxDuration: .seconds(1), maxIterations: 1)) { benchmark in
            let start = ContinuousClock.now
            let c = makeCluster(nodes: nodes, deployments: deployments, replicas: envelope.replicas, servicesPer: envelope.servicesPer)
            let elapsed = ContinuousClock.now - start
            let objects = c.nodes.count + c.deployments.count + c.replicaSets.count + c.pods.count + c.services.count + c.endpoints.count + c.endpointSlices.count
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            benchmark.measurement(.custom("objects/s", polarity: .prefersLarger, useScalingFactor: false), Int(Double(objects) / seconds))
            blackHole(c)
        }
    }

    // One pod change at 3 pods and at the envelope, same shape (each pod behind 10 Services).
    for (label, nodes, deployments) in [("3 pods", 3, 1), ("150000 pods", envelope.nodes, envelope.deployments)] {
        let replicas = label == "3 pods" ? 3 : envelope.replicas
        nonisolated(unsafe) var cluster: Cluster!
        nonisolated(unsafe) var pod = ""
        nonisolated(unsafe) var flip = false
        let setup: @Sendable () -> Void = {
            cluster = sharedCluster(label, nodes: nodes, deployments: deployments, replicas: replicas, servicesPer: envelope.servicesPer)
            pod = cluster.pods.list(namespace: "default").first { $0.metadata.name.hasPrefix("app-0-") }!.metadata.name
        }

        Benchmark("Relabel one pod out of and back into its 10 Services (\(label))",
                  configuration: .init(setup: setup, teardown: { cluster = nil })) { benchmark in
            for _ in benchmark.scaledIterations {
                flip.toggle()
                // `tier` is in the Services' selector but not the ReplicaSet's: the pod leaves and
                // re-enters its Services without ReplicaSet churn.
                let labels = flip ? ["app": "app-0", "tier": "canary"] : ["app": "app-0", "tier": "web"]
                try? cluster.setLabels(kind: "Pod", namespace: "default", name: pod, labels: labels)
            }
        }

        Benchmark("Readiness flip of one pod through Endpoints and slices, 2 s of clock (\(label))",
                  configuration: .init(setup: setup, teardown: { cluster = nil })) { benchmark in
            for _ in benchmark.scaledIterations {
                flip.toggle()
                cluster.setReadinessProbeHealthy(namespace: "default", name: pod, healthy: !flip)
                cluster.advance(bySeconds: 2)
            }
        }
    }

    // The data path and the screen, at a teaching size, at 1,000 pods and at the envelope.
    for (label, nodes, deployments, servicesPer) in [("3 pods", 3, 1, 1), ("1050 pods", 20, 7, 1),
                                                     ("150000 pods", envelope.nodes, envelope.deployments, envelope.servicesPer)] {
        let replicas = label == "3 pods" ? 3 : 150
        nonisolated(unsafe) var session: Session!
        let setup: @Sendable () -> Void = {
            let cluster = sharedCluster(label, nodes: nodes, deployments: deployments, replicas: replicas, servicesPer: servicesPer)
            session = Session(cluster: cluster)
            if cluster.pods.get("default", "client") == nil {
                _ = session.runScript("kubectl run client --image=curlimages/curl --command -- sleep infinity\nsleep 10")
            }
        }
        Benchmark("DNS lookup of a Service name through the search path (\(label))",
                  configuration: .init(setup: setup, teardown: { session = nil })) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(session.cluster.resolve("svc-0-0", namespace: "default")) }
        }
        Benchmark("One routed request, DNS → kube-proxy → pod → reply (\(label))",
                  configuration: .init(setup: setup, teardown: { session = nil })) { benchmark in
            let client = session.cluster.pods.get("default", "client")!
            let target = RequestTarget.parse("http://svc-0-0")!
            for _ in benchmark.scaledIterations { blackHole(session.cluster.request(from: client, url: target)) }
        }
        // The path a user types (issue 15): one pod selected by -l, through the shell's parser,
        // the selector lookup and the write. It cost 600× more at 150,000 pods than at 3 while
        // every pod was copied to evaluate the selector; the label index makes it flat.
        Benchmark("kubectl label pods -l of one pod through the shell (\(label))",
                  configuration: .init(maxDuration: .seconds(5), maxIterations: 500, setup: {
                      setup()
                      let pod = session.cluster.pods.list(namespace: "default").first { $0.metadata.name != "client" }!.metadata.name
                      _ = session.runScript("kubectl label pod \(pod) only=one --overwrite")
                  }, teardown: { session = nil })) { benchmark in
            var flip = false
            for _ in benchmark.scaledIterations {
                flip.toggle()
                blackHole(session.runScript("kubectl label pods -l only=one flip=v\(flip ? 1 : 2) --overwrite"))
            }
        }
        Benchmark("kubectl get pods -A (\(label))",
                  configuration: .init(maxDuration: .seconds(10), maxIterations: 200, setup: setup, teardown: { session = nil })) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(session.runScript("kubectl get pods -A")) }
        }
        Benchmark("One lab frame at 200×60, model and render (\(label))",
                  configuration: .init(maxDuration: .seconds(10), maxIterations: 200, setup: setup, teardown: { session = nil })) { benchmark in
            let state = LabState()
            for _ in benchmark.scaledIterations {
                let view = LabView.build(cluster: session.cluster, namespace: "default", serviceName: "svc-0-0", filter: "")
                blackHole(LabRender.render(state, view, width: 200, height: 60))
            }
        }
    }
}
