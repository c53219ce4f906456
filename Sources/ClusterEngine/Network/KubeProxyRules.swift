import ClusterModel

/// Where a connection enters kube-proxy's rules.
enum KubeProxyEntry { case clusterIP, externalIP, loadBalancer, nodePort }

/// What kube-proxy on one node reads from the API (Services and their EndpointSlices, in the
/// order it programs them) and the iptables rules it writes for them (`IPTablesProxier`).
extension Cluster {
    /// The Service ports kube-proxy programs, with their endpoints as seen from `node`.
    /// Headless and ExternalName Services get no rules (no cluster IP to capture).
    func kubeProxyInputs(node: String) -> [(IPTablesProxier.ServicePortInfo, [IPTablesProxier.Endpoint])] {
        var out: [(IPTablesProxier.ServicePortInfo, [IPTablesProxier.Endpoint])] = []
        for svc in services.list(namespace: nil) where svc.spec.type != "ExternalName" && !svc.spec.clusterIP.isEmpty && !svc.spec.isHeadless {
            let external = svc.spec.type == "NodePort" || svc.spec.type == "LoadBalancer"
            for port in svc.spec.ports {
                var info = IPTablesProxier.ServicePortInfo(namespace: svc.metadata.namespace, name: svc.metadata.name, portName: port.name,
                                                          proto: port.proto, clusterIP: svc.spec.clusterIP, port: port.port)
                if external { info.nodePort = port.nodePort }
                info.externalIPs = svc.spec.externalIPs
                if svc.spec.type == "LoadBalancer" {
                    info.loadBalancerIPs = svc.loadBalancerIngress.compactMap(\.ip)
                    info.loadBalancerSourceRanges = svc.spec.loadBalancerSourceRanges
                }
                if svc.spec.sessionAffinity == "ClientIP" { info.stickyMaxAgeSeconds = svc.spec.sessionAffinityTimeout ?? 10800 }
                info.internalPolicyLocal = svc.spec.internalTrafficPolicy == "Local"
                info.externalPolicyLocal = info.externallyAccessible && svc.spec.externalTrafficPolicy == "Local"
                if info.externalPolicyLocal && svc.spec.type == "LoadBalancer" { info.healthCheckNodePort = svc.spec.healthCheckNodePort }
                let endpoints = proxyEndpoints(svc, port).map { e -> IPTablesProxier.Endpoint in
                    var ep = IPTablesProxier.Endpoint(ip: e.ip, port: e.port, isLocal: e.node == node)
                    ep.ready = e.ready; ep.serving = e.serving; ep.terminating = e.terminating
                    return ep
                }
                out.append((info, endpoints))
            }
        }
        return out
    }

    /// The chains a new connection goes through, as `rules NODE` shows them: how it entered
    /// (KUBE-SERVICES for a cluster IP, KUBE-NODEPORTS for a NodePort; the EXT chain for what
    /// comes from outside), the policy chain, the rule that matched, the endpoint's chain.
    func rulePath(_ svc: Service, _ port: ServicePort, _ e: ServiceEndpoint, _ choice: EndpointChoice, entry: KubeProxyEntry, fromPod: Bool) -> String {
        let info = IPTablesProxier.ServicePortInfo(namespace: svc.metadata.namespace, name: svc.metadata.name, portName: port.name,
                                                  proto: port.proto, clusterIP: svc.spec.clusterIP, port: port.port)
        let sep = IPTablesProxier.endpointChain(info, IPTablesProxier.Endpoint(ip: e.ip, port: e.port, isLocal: false))
        // A NodePort matches no service IP, so KUBE-SERVICES' last rule hands it to KUBE-NODEPORTS.
        var chains = entry == .nodePort ? ["KUBE-SERVICES", "KUBE-NODEPORTS"] : ["KUBE-SERVICES"]
        let external = entry != .clusterIP
        if external { chains.append(IPTablesProxier.externalChain(info)) }
        // Local policy chains: internalTrafficPolicy for the cluster IP; externalTrafficPolicy
        // for outside traffic (a pod's own traffic short-circuits to the cluster-wide chain).
        let local = external ? (svc.spec.externalTrafficPolicy == "Local" && !fromPod) : svc.spec.internalTrafficPolicy == "Local"
        let policy = local ? IPTablesProxier.localChain(info) : IPTablesProxier.serviceChain(info)
        switch choice {
        case let .random(index, count), let .terminatingFallback(index, count):
            chains.append(count > 1 && index < count - 1 ? "\(policy) (rule \(index + 1) of \(count), probability \(IPTablesProxier.probability(count - index)))"
                                                         : count > 1 ? "\(policy) (rule \(count) of \(count), the rest)" : policy)
        case .affinity:
            chains.append("\(policy) (recent --name \(sep) --rcheck)")
        }
        chains.append("\(sep) DNAT \(e.address)")
        return chains.joined(separator: " → ")
    }

    /// The Service whose healthCheckNodePort this is (a LoadBalancer with externalTrafficPolicy Local).
    func healthCheckService(port: Int) -> Service? {
        services.list(namespace: nil).first { $0.spec.healthCheckNodePort == port && $0.spec.type == "LoadBalancer" && $0.spec.externalTrafficPolicy == "Local" }
    }

    /// EndpointsMap.LocalReadyEndpoints: the Service's ready endpoints on `node` (all its ports
    /// have the same endpoints, so the first port's count).
    func localReadyEndpoints(_ svc: Service, node: String) -> Int {
        guard let port = svc.spec.ports.first else { return 0 }
        return proxyEndpoints(svc, port).filter { $0.ready && $0.node == node }.count
    }

    /// healthcheck/service_health.go's answer: 200 with local endpoints (503 without), the
    /// count as X-Load-Balancing-Endpoint-Weight, and the JSON dedented with tabs.
    static func healthCheckReply(_ svc: Service, localEndpoints: Int, date: String) -> HTTPReply {
        let body = "{\n\t\"service\": {\n\t\t\"namespace\": \"\(svc.metadata.namespace)\",\n\t\t\"name\": \"\(svc.metadata.name)\"\n\t},\n\t\"localEndpoints\": \(localEndpoints),\n\t\"serviceProxyHealthy\": true\n}"
        let ok = localEndpoints > 0
        return HTTPReply(status: ok ? 200 : 503, reason: ok ? "OK" : "Service Unavailable",
                         headers: [("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff"),
                                   ("X-Load-Balancing-Endpoint-Weight", String(localEndpoints)), ("Date", date), ("Content-Length", String(body.utf8.count))],
                         body: body)
    }

    /// kube-proxy's restore input on `node` (nil when there is no such node).
    public func kubeProxyRules(node name: String) -> String? {
        guard let node = nodes.get("", name) else { return nil }
        return IPTablesProxier.rules(node: IPTablesProxier.NodeConfig(nodeName: name, nodeIP: node.internalIP), services: kubeProxyInputs(node: name))
    }
}
