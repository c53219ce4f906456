import ClusterModel

/// kube-proxy in iptables mode (reference §4): which endpoint a new connection to a Service
/// reaches, decided per connection from the EndpointSlices, with ClientIP affinity per node.
public struct ServiceEndpoint: Equatable, Sendable {
    public var ip: String
    public var port: Int
    public var pod: ObjectKey?
    public var node: String?
    public var ready: Bool
    public var serving: Bool
    public var terminating: Bool
    /// `hints.forZones` (trafficDistribution: PreferClose).
    public var zoneHints: [String] = []
    public var address: String { "\(ip):\(port)" }
}

/// Why kube-proxy picked what it picked (shown in traces).
extension ServiceEndpoint {
    func proxyInput(node: String) -> KubeProxyInputs.Endpoint {
        var e = KubeProxyInputs.Endpoint(ip: ip, port: port, isLocal: self.node == node)
        e.ready = ready; e.serving = serving; e.terminating = terminating; e.zoneHints = zoneHints
        return e
    }
}

public enum EndpointChoice: Equatable, Sendable {
    /// The iptables statistic rules: endpoint `index` (0-based) of `count`, each with 1/count.
    case random(index: Int, count: Int)
    /// A `recent` match: the client's pinned endpoint, expiring after `expiresIn` ms without use.
    case affinity(expiresIn: Millis)
    /// No ready endpoint: a serving, terminating one (ProxyTerminatingEndpoints).
    case terminatingFallback(index: Int, count: Int)
}

public enum ServiceRoute: Equatable, Sendable {
    case forwarded(ServiceEndpoint, EndpointChoice)
    /// The filter table's REJECT: `"ns/svc:port has no endpoints"` — connection refused.
    case rejected(String)
    /// DROP (`has no local endpoints`) or no rule for that port at all — the client times out.
    case dropped(String)
}

struct AffinityKey: Hashable {
    var node: String
    var servicePort: String
    var clientIP: String
}

struct AffinityEntry {
    var endpoint: String
    var lastUsed: Millis
}

extension Cluster {
    /// `"ns/svc:port"` (or `"ns/svc"` for an unnamed port): kube-proxy's servicePortName.
    public static func servicePortName(_ svc: Service, _ port: ServicePort) -> String {
        let base = "\(svc.metadata.namespace)/\(svc.metadata.name)"
        return port.name.isEmpty ? base : "\(base):\(port.name)"
    }

    /// The endpoints kube-proxy programs for one Service port (see `KubeProxy.endpoints`).
    public func proxyEndpoints(_ svc: Service, _ port: ServicePort) -> [ServiceEndpoint] { kubeProxy.endpoints(svc, port) }

    /// One new connection (see `KubeProxy.route`).
    public func route(to svc: Service, port: ServicePort, clientIP: String, node: String, external: Bool, fromPod: Bool = true) -> ServiceRoute {
        kubeProxy.route(to: svc, port: port, clientIP: clientIP, node: node, external: external, fromPod: fromPod)
    }

    /// When trafficDistribution PreferClose narrows a connection from `node` to its zone (see `KubeProxy`).
    public func topologyNarrowing(_ svc: Service, _ port: ServicePort, node: String) -> (zone: String, kept: Int, ready: Int)? {
        kubeProxy.topologyNarrowing(svc, port, node: node)
    }

    /// How long the client's pin to its endpoint still holds, if it does.
    public func affinityRemaining(svc: Service, port: ServicePort, clientIP: String, node: String) -> Millis? {
        kubeProxy.affinityRemaining(svc: svc, port: port, clientIP: clientIP, node: node)
    }
    /// The node's topology.kubernetes.io/zone label.
    func nodeZone(_ node: String) -> String? { nodes.get("", node)?.metadata.labels["topology.kubernetes.io/zone"] }
}

/// kube-proxy on every node, as one controller: what it programs for each Service port,
/// recomputed when the Service or its slices change (as kube-proxy's rules are, not per
/// connection), and its ClientIP affinity table. The rules it writes as text are
/// `KubeProxyRules` (pure functions of the same inputs).
final class KubeProxy: Controller {
    /// "ns/svc" → "port\0proto" → endpoints in rule order.
    private var programmed: [String: [String: [ServiceEndpoint]]] = [:]
    /// ClientIP affinity per node: (node, service port, client IP) → endpoint and last use.
    private var affinity: [AffinityKey: AffinityEntry] = [:]

    override func serviceChanged(old: Service?, new: Service?, _ key: ObjectKey) { programmed[key.description] = nil }
    override func endpointSlicesChanged(service: ObjectKey) { programmed[service.description] = nil }
    override var footprint: [String: Int] { ["affinity": affinity.count, "proxyRules": programmed.count] }

    /// Forgets what it programmed (MemoryBudgetTests measures the stores without it).
    func dropCaches() { programmed = [:] }

    /// The endpoints kube-proxy programs for one Service port, in its order (by "ip:port").
    /// Like kube-proxy's rules they are computed when the Service's slices change (the cache is
    /// dropped by every slice or Service write), not per connection.
    func endpoints(_ svc: Service, _ port: ServicePort) -> [ServiceEndpoint] {
        let service = "\(svc.metadata.namespace)/\(svc.metadata.name)"
        let cacheKey = "\(port.name)\u{0}\(port.proto)"
        if let cached = programmed[service]?[cacheKey] { return cached }
        let rules = programProxyEndpoints(svc, port)
        programmed[service, default: [:]][cacheKey] = rules
        return rules
    }

    private func programProxyEndpoints(_ svc: Service, _ port: ServicePort) -> [ServiceEndpoint] {
        var out: [ServiceEndpoint] = []
        for slice in cluster.slicesByService.get("\(svc.metadata.namespace)/\(svc.metadata.name)").compactMap({ cluster.endpointSlices.get($0) }) {
            guard let sp = slice.ports.first(where: { ($0.name ?? "") == port.name && ($0.proto ?? .tcp) == port.proto }),
                  let number = sp.port else { continue }
            for e in slice.endpoints {
                guard let ip = e.addresses.first else { continue }
                let podKey = e.targetRef.flatMap { $0.kind == Pod.kind ? ObjectKey($0.namespace, $0.name) : nil }
                let ready = e.conditions.ready ?? true
                out.append(ServiceEndpoint(ip: ip, port: number, pod: podKey, node: e.nodeName, ready: ready,
                                           serving: e.conditions.serving ?? ready, terminating: e.conditions.terminating ?? false,
                                           zoneHints: e.hintZones ?? []))
            }
        }
        return out.map { ($0.address, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// One new connection from `clientIP` (on `node`) to a Service port. `external` is traffic
    /// that entered through a NodePort or LoadBalancer address (externalTrafficPolicy applies).
    /// `fromPod`: the source is a pod IP, which KUBE-EXT short-circuits to the cluster-wide chain
    /// ("pod traffic for … external destinations"), so externalTrafficPolicy Local does not apply.
    func route(to svc: Service, port: ServicePort, clientIP: String, node: String, external: Bool, fromPod: Bool) -> ServiceRoute {
        let name = Cluster.servicePortName(svc, port)
        let all = endpoints(svc, port)
        let local = external ? (svc.spec.externalTrafficPolicy == "Local" && !fromPod) : (svc.spec.internalTrafficPolicy == "Local")
        // kube-proxy's CategorizeEndpoints decides, as for the rules it writes.
        let (clusterWide, localEndpoints, _, hasAny) = KubeProxyInputs.categorize(all.map { $0.proxyInput(node: node) }, proxyPort(svc, port, local: local),
                                                                               nodeZone: cluster.nodeZone(node))
        let chosenList = local ? localEndpoints : clusterWide
        let candidates = chosenList.compactMap { e in all.first { $0.address == e.string } }
        let fallback = !candidates.isEmpty && candidates.allSatisfy { !$0.ready }
        guard !candidates.isEmpty else {
            if local && hasAny { return .dropped("\(name) has no local endpoints") }
            return .rejected("\(name) has no endpoints")
        }
        // ClientIP affinity: the `recent` rules come before the random ones.
        let affinityKey = AffinityKey(node: node, servicePort: name, clientIP: clientIP)
        let timeout = Millis(svc.spec.sessionAffinityTimeout ?? 10800) * 1000
        if svc.spec.sessionAffinity == .clientIP, let entry = affinity[affinityKey], cluster.clock.now - entry.lastUsed < timeout,
           let pinned = candidates.first(where: { $0.address == entry.endpoint }) {
            affinity[affinityKey] = AffinityEntry(endpoint: pinned.address, lastUsed: cluster.clock.now)
            return .forwarded(pinned, .affinity(expiresIn: timeout))
        }
        // The statistic rules: rule i matches with probability 1/(n-i); the last always matches.
        let n = candidates.count
        var chosen = n - 1
        for i in 0..<(n - 1) where cluster.networkRNG.unitInterval() < 1.0 / Double(n - i) {
            chosen = i
            break
        }
        let endpoint = candidates[chosen]
        if svc.spec.sessionAffinity == .clientIP {
            affinity[affinityKey] = AffinityEntry(endpoint: endpoint.address, lastUsed: cluster.clock.now)
        }
        return .forwarded(endpoint, fallback ? .terminatingFallback(index: chosen, count: n) : .random(index: chosen, count: n))
    }

    /// The ServicePort kube-proxy sees, reduced to what categorizing needs: which policy the
    /// connection is under.
    private func proxyPort(_ svc: Service, _ port: ServicePort, local: Bool) -> KubeProxyInputs.ServicePortInfo {
        var info = KubeProxyInputs.ServicePortInfo(namespace: svc.metadata.namespace, name: svc.metadata.name, portName: port.name,
                                                   proto: port.proto.rawValue, clusterIP: svc.spec.clusterIP, port: port.port)
        info.internalPolicyLocal = local
        return info
    }

    /// When trafficDistribution PreferClose narrows a connection from `node` to its zone: the
    /// zone, and how many of the ready endpoints are hinted for it.
    func topologyNarrowing(_ svc: Service, _ port: ServicePort, node: String) -> (zone: String, kept: Int, ready: Int)? {
        let all = endpoints(svc, port).map { $0.proxyInput(node: node) }
        guard let zone = KubeProxyInputs.topologyZone(all, nodeZone: cluster.nodeZone(node)) else { return nil }
        let ready = all.filter(\.ready)
        return (zone, ready.filter { $0.zoneHints.contains(zone) }.count, ready.count)
    }

    /// How long the client's pin to `endpoint` still holds, if it does.
    func affinityRemaining(svc: Service, port: ServicePort, clientIP: String, node: String) -> Millis? {
        let key = AffinityKey(node: node, servicePort: Cluster.servicePortName(svc, port), clientIP: clientIP)
        guard svc.spec.sessionAffinity == .clientIP, let e = affinity[key] else { return nil }
        let left = Millis(svc.spec.sessionAffinityTimeout ?? 10800) * 1000 - (cluster.clock.now - e.lastUsed)
        return left > 0 ? left : nil
    }
}

extension SeededRandom {
    /// A uniform double in [0, 1), from the top 53 bits.
    mutating func unitInterval() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
