import Benchmark
import ClusterEngine
import ClusterModel
import Kubectl
import TUI

/// The engine's scale property: one pod change costs the same whether the cluster holds a
/// handful of pods or a hundred thousand. Each benchmark flips one pod back and forth; the
/// small and large variants must stay within a small factor of each other.

/// A cluster with `deployments` Deployments of `replicas` pods, each behind `servicesPer`
/// Services selecting it (app + tier), all pods running and ready.
func makeCluster(nodes: Int, deployments: Int, replicas: Int, servicesPer: Int, smallFirst: Bool = false) -> Cluster {
    let cluster = Cluster.bootstrapped(config: Cluster.Config(seed: 1, workerNodes: nodes), settleSeconds: 1)
    for d in 0..<deployments {
        var dep = Deployment()
        dep.metadata = ObjectMeta(name: "app-\(d)", namespace: "default")
        // With smallFirst, app-0 (the one the benchmarks touch) has 3 pods in a large cluster.
        dep.spec.replicas = smallFirst && d == 0 ? 3 : replicas
        dep.spec.selector = LabelSelector(matchLabels: ["app": "app-\(d)"])
        dep.spec.template.metadata.labels = ["app": "app-\(d)", "tier": "web"]
        // An image that listens where it says (nginx would listen on 80 and fail the probe).
        var container = Container(name: "web", image: "ghcr.io/svclab/app:1.0", ports: [ContainerPort(name: "http", containerPort: 8080)])
        var probe = Probe()
        probe.handler = .httpGet(path: "/healthz", port: .string("http"), scheme: "HTTP")
        probe.periodSeconds = 1
        probe.failureThreshold = 1
        container.readinessProbe = probe
        dep.spec.template.spec.containers = [container]
        _ = try? cluster.create(.deployment(dep))
        for s in 0..<servicesPer {
            var svc = Service()
            svc.metadata = ObjectMeta(name: "svc-\(d)-\(s)", namespace: "default")
            svc.spec.selector = ["app": "app-\(d)", "tier": "web"]
            svc.spec.ports = [ServicePort(name: "http", port: 80, targetPort: .string("http"))]
            _ = try? cluster.create(.service(svc))
        }
    }
    cluster.advance(bySeconds: 30)
    return cluster
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(3), maxIterations: 2_000)

    for (label, nodes, deployments, smallFirst) in [("3 pods", 3, 1, false), ("30000 pods", 300, 200, false),
                                                    ("30000 pods, touched Service of 3", 300, 201, true)] {
        let replicas = label == "3 pods" ? 3 : 150
        // Built once per benchmark (setup is not measured).
        nonisolated(unsafe) var cluster: Cluster!
        nonisolated(unsafe) var pod = ""
        nonisolated(unsafe) var flip = false

        Benchmark("Relabel one pod out of and back into its Services (\(label))",
                  configuration: .init(setup: {
                      cluster = makeCluster(nodes: nodes, deployments: deployments, replicas: replicas, servicesPer: 3, smallFirst: smallFirst)
                      pod = cluster.pods.list(namespace: "default").first { $0.metadata.name.hasPrefix("app-0-") }!.metadata.name
                  }, teardown: { cluster = nil })) { benchmark in
            for _ in benchmark.scaledIterations {
                flip.toggle()
                // `tier` is in the Services' selector but not the ReplicaSet's: the pod leaves and
                // re-enters its Services without ReplicaSet churn.
                let labels = flip ? ["app": "app-0", "tier": "canary"] : ["app": "app-0", "tier": "web"]
                try? cluster.setLabels(kind: "Pod", namespace: "default", name: pod, labels: labels)
            }
        }

        Benchmark("Readiness flip of one pod through Endpoints and slices (\(label))",
                  configuration: .init(setup: {
                      cluster = makeCluster(nodes: nodes, deployments: deployments, replicas: replicas, servicesPer: 3, smallFirst: smallFirst)
                      pod = cluster.pods.list(namespace: "default").first { $0.metadata.name.hasPrefix("app-0-") }!.metadata.name
                  }, teardown: { cluster = nil })) { benchmark in
            for _ in benchmark.scaledIterations {
                flip.toggle()
                cluster.setReadinessProbeHealthy(namespace: "default", name: pod, healthy: !flip)
                cluster.advance(bySeconds: 2)
            }
        }
    }

    // The data path and the screen, at a teaching size and at 3,000 pods.
    for (label, nodes, deployments) in [("3 pods", 3, 1), ("3000 pods", 60, 20)] {
        let replicas = label == "3 pods" ? 3 : 150
        nonisolated(unsafe) var session: Session!
        let setup: @Sendable () -> Void = {
            let cluster = makeCluster(nodes: nodes, deployments: deployments, replicas: replicas, servicesPer: 1)
            session = Session(cluster: cluster)
            _ = session.runScript("kubectl run client --image=curlimages/curl --command -- sleep infinity\nsleep 10")
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
        Benchmark("kubectl get pods -A (\(label))",
                  configuration: .init(maxIterations: 200, setup: setup, teardown: { session = nil })) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(session.runScript("kubectl get pods -A")) }
        }
        Benchmark("One lab frame at 200×60, model and render (\(label))",
                  configuration: .init(maxIterations: 200, setup: setup, teardown: { session = nil })) { benchmark in
            let state = LabState()
            for _ in benchmark.scaledIterations {
                let view = LabView.build(cluster: session.cluster, namespace: "default", serviceName: "svc-0-0", filter: "")
                blackHole(LabRender.render(state, view, width: 200, height: 60))
            }
        }
    }
}
