import ClusterModel
@testable import ClusterEngine

/// A bootstrapped cluster (CoreDNS settled) with `workers` worker nodes.
func makeCluster(workers: Int = 3, seed: UInt64 = 1) -> Cluster {
    Cluster.bootstrapped(config: Cluster.Config(seed: seed, workerNodes: workers), settleSeconds: 60)
}

/// Creates every object of a manifest, failing the test on any error.
@discardableResult
func create(_ cluster: Cluster, _ yaml: String) throws -> [KubeObject] {
    try Manifest.load(yaml, source: "test.yaml").map { result in
        let object = try result.get()
        return try cluster.create(object)
    }
}

func deployment(_ name: String, replicas: Int, labels: String = "", ports: String = "[{name: http, containerPort: 8080}]", probe: String = "") -> String {
    let extra = labels.isEmpty ? "" : ", " + labels
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: \(name)}
    spec:
      replicas: \(replicas)
      selector: {matchLabels: {app: \(name)}}
      template:
        metadata: {labels: {app: \(name)\(extra)}}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            ports: \(ports)
    \(probe)
    """
}

func service(_ name: String, selector: String, ports: String = "[{name: http, port: 80, targetPort: 8080}]") -> String {
    """
    apiVersion: v1
    kind: Service
    metadata: {name: \(name)}
    spec:
      selector: \(selector)
      ports: \(ports)
    """
}

extension Cluster {
    func readyIPs(_ name: String, namespace: String = "default") -> [String] {
        (endpoints.get(namespace, name)?.subsets ?? []).flatMap { $0.addresses.map(\.ip) }
    }
    func podNames(_ namespace: String = "default") -> [String] { pods.list(namespace: namespace).map(\.metadata.name) }
}
