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
        for svc in services.list(namespace: nil) where svc.spec.type != .externalName && !svc.spec.clusterIP.isEmpty && !svc.spec.isHeadless {
            let external = svc.spec.type.hasNodePorts
            for port in svc.spec.ports {
                var info = IPTablesProxier.ServicePortInfo(namespace: svc.metadata.namespace, name: svc.metadata.name, portName: port.name,
                                                          proto: port.proto.rawValue, clusterIP: svc.spec.clusterIP, port: port.port)
                if external { info.nodePort = port.nodePort }
                info.externalIPs = svc.spec.externalIPs
                if svc.spec.type == .loadBalancer {
                    info.loadBalancerIPs = svc.loadBalancerIngress.compactMap(\.ip)
                    info.loadBalancerSourceRanges = svc.spec.loadBalancerSourceRanges
                }
                if svc.spec.sessionAffinity == .clientIP { info.stickyMaxAgeSeconds = svc.spec.sessionAffinityTimeout ?? 10800 }
                info.internalPolicyLocal = svc.spec.internalTrafficPolicy == "Local"
                info.externalPolicyLocal = info.externallyAccessible && svc.spec.externalTrafficPolicy == "Local"
                if info.externalPolicyLocal && svc.spec.type == .loadBalancer { info.healthCheckNodePort = svc.spec.healthCheckNodePort }
                let endpoints = proxyEndpoints(svc, port).map { $0.proxyInput(node: node) }
                out.append((info, endpoints))
            }
        }
        return out
    }

    /// The chains a new connection goes through, as `rules NODE` shows them: how it entered
    /// (KUBE-SERVICES for a cluster IP, KUBE-NODEPORTS for a NodePort; the EXT chain for what
    /// comes from outside), the policy chain, the rule that matched, the endpoint's chain. In
    /// nftables mode: the verdict map that matched, then the external/service/local chains and
    /// the endpoint chain.
    func rulePath(_ svc: Service, _ port: ServicePort, _ e: ServiceEndpoint, _ choice: EndpointChoice, entry: KubeProxyEntry, fromPod: Bool) -> String {
        let info = KubeProxyInputs.ServicePortInfo(namespace: svc.metadata.namespace, name: svc.metadata.name, portName: port.name,
                                                   proto: port.proto.rawValue, clusterIP: svc.spec.clusterIP, port: port.port)
        let endpoint = KubeProxyInputs.Endpoint(ip: e.ip, port: e.port, isLocal: false)
        let external = entry != .clusterIP
        // Local policy chains: internalTrafficPolicy for the cluster IP; externalTrafficPolicy
        // for outside traffic (a pod's own traffic short-circuits to the cluster-wide chain).
        let local = external ? (svc.spec.externalTrafficPolicy == "Local" && !fromPod) : svc.spec.internalTrafficPolicy == "Local"
        if proxyMode == .nftables {
            let proto = port.proto.rawValue.lowercased()
            var chains = [entry == .nodePort ? "services: @service-nodeports \(proto) . \(port.nodePort)" : "services: @service-ips"]
            // loadBalancerSourceRanges: filter-prerouting's firewall-check let the client through first.
            if entry == .loadBalancer && !svc.spec.loadBalancerSourceRanges.isEmpty {
                chains.insert("firewall-check: @firewall-ips → \(NFTablesProxier.firewallChain(info)) (source allowed)", at: 0)
            }
            if external { chains.append(NFTablesProxier.externalChain(info)) }
            let policy = local ? NFTablesProxier.localChain(info) : NFTablesProxier.serviceChain(info)
            switch choice {
            case let .random(index, count), let .terminatingFallback(index, count):
                chains.append("\(policy) (numgen random mod \(count): \(index))")
            case .affinity:
                chains.append("\(policy) (ip saddr @\(NFTablesProxier.affinitySet(info, endpoint)))")
            }
            chains.append("\(NFTablesProxier.endpointChain(info, endpoint)) dnat to \(e.address)")
            return chains.joined(separator: " → ")
        }
        let sep = IPTablesProxier.endpointChain(info, endpoint)
        // A NodePort matches no service IP, so KUBE-SERVICES' last rule hands it to KUBE-NODEPORTS.
        var chains = entry == .nodePort ? ["KUBE-SERVICES", "KUBE-NODEPORTS"] : ["KUBE-SERVICES"]
        // loadBalancerSourceRanges: the LoadBalancer address leads to KUBE-FW, which passes the
        // allowed sources on to KUBE-EXT.
        if entry == .loadBalancer && !svc.spec.loadBalancerSourceRanges.isEmpty { chains.append(IPTablesProxier.firewallChain(info) + " (source allowed)") }
        if external { chains.append(IPTablesProxier.externalChain(info)) }
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

    /// One Service's rules on `node`, in the order a packet meets them and in the node's mode:
    /// iptables — the restore lines of its capture rules (KUBE-SERVICES, KUBE-NODEPORTS,
    /// KUBE-EXTERNAL-SERVICES) and of its own chains; nftables — its verdict-map elements, then
    /// its chains as nft lists them. The chains are found by their hashed names, not comments
    /// (a large cluster's rules drop the per-endpoint comments).
    public func serviceRuleLines(namespace: String, service: String, node: String) -> [String] {
        let inputs = kubeProxyInputs(node: node).filter { $0.0.namespace == namespace && $0.0.name == service }
        if proxyMode == .nftables {
            guard let table = kubeProxyNFTable(node: node) else { return [] }
            var own = Set<String>()
            for (s, endpoints) in inputs {
                own.formUnion([NFTablesProxier.serviceChain(s), NFTablesProxier.localChain(s), NFTablesProxier.externalChain(s), NFTablesProxier.firewallChain(s)])
                for e in endpoints { own.insert(NFTablesProxier.endpointChain(s, e)); own.insert(NFTablesProxier.affinitySet(s, e)) }
            }
            let names = Set(inputs.map { $0.0.nameString })
            var lines: [String] = []
            for map in ["service-ips", "service-nodeports", "firewall-ips", "no-endpoint-services", "no-endpoint-nodeports"] {
                for e in table.object(map)?.elements ?? [] where own.contains(String((e.value ?? "").split(separator: " ").last ?? "")) || names.contains(e.comment ?? "") {
                    lines.append("map \(map): " + e.key.joined(separator: " . ") + (e.comment.map { " comment \"\($0)\"" } ?? "") + " : " + (e.value ?? ""))
                }
            }
            // external-, firewall-, service-/local-, then endpoint- chains.
            func rank(_ name: String) -> Int { ["external-", "firewall-", "service-", "local-", "endpoint-"].firstIndex { name.hasPrefix($0) } ?? 5 }
            for o in table.objects.enumerated().filter({ own.contains($0.element.name) && $0.element.kind == .chain })
                .sorted(by: { (rank($0.element.name), $0.offset) < (rank($1.element.name), $1.offset) }).map(\.element) {
                lines += table.objectText(o).split(separator: "\n").map { String($0.dropFirst()).replacingOccurrences(of: "\t", with: "  ") }
            }
            return lines
        }
        var own = Set<String>()
        for (s, endpoints) in inputs {
            own.formUnion([IPTablesProxier.serviceChain(s), IPTablesProxier.localChain(s), IPTablesProxier.externalChain(s), IPTablesProxier.firewallChain(s)])
            for e in endpoints { own.insert(IPTablesProxier.endpointChain(s, e)) }
        }
        let names = inputs.map { $0.0.nameString }
        let rules = (kubeProxyRules(node: node) ?? "").split(separator: "\n").map(String.init).filter { $0.hasPrefix("-A ") }
        func chain(_ line: String) -> String { String(line.split(separator: " ")[1]) }
        func target(_ line: String) -> String? {
            let words = line.split(separator: " ")
            return words.firstIndex(of: "-j").flatMap { $0 + 1 < words.count ? String(words[$0 + 1]) : nil }
        }
        // A capture rule jumps to one of its chains or, rejecting or dropping, names it.
        func captures(_ line: String) -> Bool {
            target(line).map(own.contains) == true || names.contains { line.contains("\"\($0) ") || line.contains("--comment \($0) ") }
        }
        let shown = rules.filter { own.contains(chain($0)) || (["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-EXTERNAL-SERVICES"].contains(chain($0)) && captures($0)) }
        func rank(_ line: String) -> Int {
            let c = chain(line)
            return ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-EXTERNAL", "KUBE-EXT-", "KUBE-FW-", "KUBE-SVC-", "KUBE-SVL-"].firstIndex { c.hasPrefix($0) } ?? 9
        }
        return shown.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// The Service whose healthCheckNodePort this is (a LoadBalancer with externalTrafficPolicy Local).
    func healthCheckService(port: Int) -> Service? {
        services.list(namespace: nil).first { $0.spec.healthCheckNodePort == port && $0.spec.type == .loadBalancer && $0.spec.externalTrafficPolicy == "Local" }
    }

    /// EndpointsMap.LocalReadyEndpoints: the Service's ready endpoints on `node` (all its ports
    /// have the same endpoints, so the first port's count).
    public func localReadyEndpointCount(_ svc: Service, node: String) -> Int { localReadyEndpoints(svc, node: node) }

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
        var config = IPTablesProxier.NodeConfig(nodeName: name, nodeIP: node.internalIP)
        config.zone = nodeZone(name)
        return IPTablesProxier.rules(node: config, services: kubeProxyInputs(node: name))
    }

    /// kube-proxy's `ip kube-proxy` table on `node` in nftables mode (nil when there is no such
    /// node); `family: "ip6"` is the IPv6 proxier's, empty on this IPv4-only cluster (no IPv6
    /// service CIDR, and its primary node IP is ::1, which NodePorts skip).
    public func kubeProxyNFTable(node name: String, family: String = "ip") -> NFTablesProxier.Table? {
        guard let node = nodes.get("", name) else { return nil }
        var config = NFTablesProxier.NodeConfig(nodeName: name, nodeIP: node.internalIP)
        config.zone = nodeZone(name)
        if family == "ip6" {
            config.family = "ip6"; config.serviceCIDRs = ""; config.clusterCIDR = ""; config.nodePortIPs = []
            return NFTablesProxier.table(node: config, services: [])
        }
        return NFTablesProxier.table(node: config, services: kubeProxyInputs(node: name))
    }

    public var proxyMode: ProxyMode { config.proxyMode }
}
