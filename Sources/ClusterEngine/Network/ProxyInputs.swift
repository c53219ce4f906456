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
        /// `hints.forZones` of its EndpointSlice entry (trafficDistribution: PreferClose).
        public var zoneHints: [String] = []
        public init(ip: String, port: Int, isLocal: Bool) { self.ip = ip; self.port = port; self.isLocal = isLocal }
        public var string: String { "\(ip):\(port)" }
    }

    /// proxy.CategorizeEndpoints (pkg/proxy/topology.go, 1.33): the endpoints each traffic
    /// policy uses (ready ones; when none is ready, the serving-and-terminating ones), and
    /// whether any is usable anywhere. `nodeZone` is the node's topology.kubernetes.io/zone:
    /// when every ready endpoint carries a zone hint and one is for this zone, the cluster
    /// policy keeps only those (canUseTopology / availableForTopology).
    public static func categorize(_ endpoints: [Endpoint], _ s: ServicePortInfo, nodeZone: String? = nil) -> (cluster: [Endpoint], local: [Endpoint], reachable: [Endpoint], hasAny: Bool) {
        func usable(_ list: [Endpoint], zone: String? = nil) -> [Endpoint] {
            let ready = list.filter { $0.ready && (zone.map($0.zoneHints.contains) ?? true) }
            return ready.isEmpty ? list.filter { $0.serving && $0.terminating } : ready
        }
        let cluster = usable(endpoints, zone: topologyZone(endpoints, nodeZone: nodeZone))
        let local = usable(endpoints.filter(\.isLocal))
        let usesCluster = !s.internalPolicyLocal || (s.externallyAccessible && !s.externalPolicyLocal)
        let usesLocal = s.internalPolicyLocal || (s.externallyAccessible && s.externalPolicyLocal)
        var reachable: [Endpoint] = usesCluster ? cluster : []
        if usesLocal { for e in local where !reachable.contains(where: { $0.string == e.string }) { reachable.append(e) } }
        reachable.sort { $0.string < $1.string }
        return (usesCluster ? cluster : [], usesLocal ? local : [], reachable, !cluster.isEmpty)
    }

    /// canUseTopology: the zone to filter by, or nil (no zone on the node, an endpoint without
    /// a hint, or no endpoint hinted for this zone).
    public static func topologyZone(_ endpoints: [Endpoint], nodeZone: String?) -> String? {
        guard let zone = nodeZone, !zone.isEmpty else { return nil }
        let ready = endpoints.filter(\.ready)
        guard !ready.isEmpty, ready.allSatisfy({ !$0.zoneHints.isEmpty }), ready.contains(where: { $0.zoneHints.contains(zone) }) else { return nil }
        return zone
    }
}
