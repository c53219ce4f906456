import ClusterModel

/// A kubeadm/kind-like cluster: system namespaces, a control-plane node and workers, the
/// `kubernetes` Service (10.96.0.1) with its API-server-managed endpoints, and CoreDNS behind
/// `kube-dns` (10.96.0.10).
extension Cluster {
    public var controlPlaneName: String { "\(config.clusterName)-control-plane" }

    /// Worker names follow kind: `svclab-worker`, `svclab-worker2`, …
    public func workerName(_ i: Int) -> String { i == 1 ? "\(config.clusterName)-worker" : "\(config.clusterName)-worker\(i)" }

    public func bootstrap() {
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            var n = Namespace(name: ns)
            stampNew(&n.metadata)
            n.metadata.generation = 0
            n.metadata.labels = ["kubernetes.io/metadata.name": ns]
            putNamespace(n)
        }
        addNode(name: controlPlaneName, index: 0, controlPlane: true)
        for i in 0..<config.workerNodes { addNode(name: workerName(i + 1), index: i + 1, controlPlane: false) }

        // The API server's own Service and endpoints.
        var k = Service()
        k.metadata = ObjectMeta(name: "kubernetes", namespace: "default", labels: ["component": "apiserver", "provider": "kubernetes"])
        k.spec.clusterIP = "10.96.0.1"
        k.spec.ports = [ServicePort(name: "https", port: 443, targetPort: .int(6443))]
        _ = try? create(.service(k))
        var ep = Endpoints()
        ep.metadata = ObjectMeta(name: "kubernetes", namespace: "default", labels: ["endpointslice.kubernetes.io/skip-mirror": "true"])
        ep.subsets = [EndpointSubset(addresses: [EndpointAddress(ip: controlPlaneIP)], ports: [EndpointPort(name: "https", port: 6443, proto: .tcp)])]
        _ = try? create(.endpoints(ep))
        var slice = EndpointSlice()
        slice.metadata = ObjectMeta(name: "kubernetes", namespace: "default", labels: ["kubernetes.io/service-name": "kubernetes"])
        stampNew(&slice.metadata)
        slice.endpoints = [SliceEndpoint(addresses: [controlPlaneIP], conditions: EndpointConditions(ready: true, serving: true, terminating: false))]
        slice.ports = [SlicePort(name: "https", port: 6443, proto: .tcp)]
        putSlice(slice, service: "kubernetes")

        // CoreDNS, as kubeadm installs it.
        var dns = Service()
        dns.metadata = ObjectMeta(name: "kube-dns", namespace: "kube-system",
                                  labels: ["k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"])
        dns.metadata.annotations = ["prometheus.io/port": "9153", "prometheus.io/scrape": "true"]
        dns.spec.clusterIP = "10.96.0.10"
        dns.spec.selector = ["k8s-app": "kube-dns"]
        dns.spec.ports = [ServicePort(name: "dns", proto: .udp, port: 53), ServicePort(name: "dns-tcp", port: 53), ServicePort(name: "metrics", port: 9153)]
        _ = try? create(.service(dns))

        var coredns = Deployment()
        coredns.metadata = ObjectMeta(name: "coredns", namespace: "kube-system", labels: ["k8s-app": "kube-dns"])
        coredns.spec.replicas = 2
        coredns.spec.selector = LabelSelector(matchLabels: ["k8s-app": "kube-dns"])
        coredns.spec.strategy.maxUnavailable = .int(1)
        coredns.spec.template.metadata.labels = ["k8s-app": "kube-dns"]
        var c = Container(name: "coredns", image: "registry.k8s.io/coredns/coredns:v1.12.0",
                          ports: [ContainerPort(name: "dns", containerPort: 53, proto: .udp),
                                  ContainerPort(name: "dns-tcp", containerPort: 53),
                                  ContainerPort(name: "metrics", containerPort: 9153)])
        c.args = ["-conf", "/etc/coredns/Corefile"]
        var probe = Probe()
        probe.handler = .httpGet(path: "/ready", port: .int(8181), scheme: "HTTP")
        probe.periodSeconds = 10
        c.readinessProbe = probe
        c.extra["resources"] = .object([("limits", .object([("memory", .string("170Mi"))])),
                                        ("requests", .object([("cpu", .string("100m")), ("memory", .string("70Mi"))]))])
        coredns.spec.template.spec.containers = [c]
        coredns.spec.template.spec.dnsPolicy = "Default"
        coredns.spec.template.spec.nodeSelector = ["kubernetes.io/os": "linux"]
        coredns.spec.template.spec.tolerations = [Toleration(key: "CriticalAddonsOnly", op: "Exists"),
                                                  Toleration(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")]
        coredns.spec.template.spec.serviceAccountName = "coredns"
        publishDefaultServiceAccount(namespace: "kube-system", name: "coredns")
        _ = try? create(.deployment(coredns))
        installKindComponents()
    }

    public var controlPlaneIP: String { "172.18.0.2" }

    func addNode(name: String, index: Int, controlPlane: Bool) {
        var node = Node()
        node.metadata.name = name
        node.metadata.labels = [
            "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
        ]
        // What kubeadm and the kubelet annotate a kind node with.
        node.metadata.annotations = ["kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                                     "node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach": "true"]
        if controlPlane {
            node.metadata.labels["node-role.kubernetes.io/control-plane"] = ""
            node.metadata.labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
            node.taints = [Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")]
        }
        stampNew(&node.metadata)
        node.metadata.generation = 0
        let network = NodePodNetwork(index: index)
        node.podCIDR = network.cidr
        podNetworks[name] = network
        node.internalIP = IPv4.format(IPv4.parse("172.18.0.2")! + UInt32(index))
        putNode(node)
        // The kubelet's heartbeat Lease (renewals are seen on read: LeaseKind.project).
        var lease = ObjectMeta(name: name, namespace: "kube-node-lease")
        lease.uid = systemRNG.uuid()
        lease.creationTimestamp = node.metadata.creationTimestamp
        lease.ownerReferences = [OwnerReference(apiVersion: "v1", kind: Node.kind, name: name, uid: node.metadata.uid)]
        putStored(StoredObject(kind: LeaseKind.kind, metadata: lease, fields: .object([("spec", .object([
            ("holderIdentity", .string(name)), ("leaseDurationSeconds", .int(40)),
            ("renewTime", .string(LeaseKind.microTime(clock.now)))]))])))
    }

    /// A cluster with the system objects settled: CoreDNS running and ready, as a fresh kind
    /// cluster looks a few minutes after `kind create cluster`.
    public static func bootstrapped(config: Config = Config(), settleSeconds: Double = 600) -> Cluster {
        let cluster = Cluster(config: config)
        cluster.bootstrap()
        cluster.advance(bySeconds: settleSeconds)
        return cluster
    }
}
