import ClusterModel

/// kube-proxy's --proxy-mode: which backend writes the node's Service rules.
public enum ProxyMode: String, Sendable, CaseIterable {
    case iptables, nftables
}

/// What kube-proxy reads from the API for one node, the same for every backend
/// (pkg/proxy/servicechangetracker.go's ServicePort, endpointslicecache.go's Endpoint,
/// topology.go's CategorizeEndpoints): IPTablesProxier and NFTablesProxier both write their
/// rules from these.
public enum KubeProxyInputs {
    /// One Service port as kube-proxy's ServicePort sees it.
    public struct ServicePortInfo: Sendable {
        public var namespace: String
        public var name: String
        public var portName: String
        public var proto: String            // "TCP", "UDP", "SCTP"
        public var clusterIP: String
        public var port: Int
        public var nodePort: Int = 0
        public var externalIPs: [String] = []
        public var loadBalancerIPs: [String] = []
        public var loadBalancerSourceRanges: [String] = []
        /// ClientIP affinity: the timeout in seconds (nil: no affinity).
        public var stickyMaxAgeSeconds: Int?
        public var healthCheckNodePort: Int = 0
        public var externalPolicyLocal = false
        public var internalPolicyLocal = false
        public init(namespace: String, name: String, portName: String, proto: String, clusterIP: String, port: Int) {
            self.namespace = namespace; self.name = name; self.portName = portName; self.proto = proto; self.clusterIP = clusterIP; self.port = port
        }
        /// ServicePortName.String(): `ns/name:port`, or `ns/name` for an unnamed port.
        public var nameString: String { portName.isEmpty ? "\(namespace)/\(name)" : "\(namespace)/\(name):\(portName)" }
        public var externallyAccessible: Bool { nodePort != 0 || !loadBalancerIPs.isEmpty || !externalIPs.isEmpty }
    }

    public struct Endpoint: Sendable {
        public var ip: String
        public var port: Int
        public var isLocal: Bool
        public var ready: Bool = true
        public var serving: Bool = true
        public var terminating: Bool = false
        public init(ip: String, port: Int, isLocal: Bool) { self.ip = ip; self.port = port; self.isLocal = isLocal }
        public var string: String { "\(ip):\(port)" }
    }

    /// proxy.CategorizeEndpoints: the endpoints each traffic policy uses (ready ones; when
    /// none is ready, the serving-and-terminating ones), and whether any is usable anywhere.
    public static func categorize(_ endpoints: [Endpoint], _ s: ServicePortInfo) -> (cluster: [Endpoint], local: [Endpoint], reachable: [Endpoint], hasAny: Bool) {
        func usable(_ list: [Endpoint]) -> [Endpoint] {
            let ready = list.filter(\.ready)
            return ready.isEmpty ? list.filter { $0.serving && $0.terminating } : ready
        }
        let cluster = usable(endpoints)
        let local = usable(endpoints.filter(\.isLocal))
        let usesCluster = !s.internalPolicyLocal || (s.externallyAccessible && !s.externalPolicyLocal)
        let usesLocal = s.internalPolicyLocal || (s.externallyAccessible && s.externalPolicyLocal)
        var reachable: [Endpoint] = usesCluster ? cluster : []
        if usesLocal { for e in local where !reachable.contains(where: { $0.string == e.string }) { reachable.append(e) } }
        reachable.sort { $0.string < $1.string }
        return (usesCluster ? cluster : [], usesLocal ? local : [], reachable, !cluster.isEmpty)
    }
}
