import ClusterModel
import Crypto
import Foundation

/// kube-proxy's iptables mode, the rules it writes: a port of `syncProxyRules` and
/// `writeServiceToEndpointRules` (k8s.io/kubernetes pkg/proxy/iptables/proxier.go, v1.33), as
/// the restore input it hands iptables-restore, grouped by chain as upstream's own tests print
/// it (TestOverallIPTablesRules). Pure: the inputs say everything about the node and the
/// Services, so the same inputs give the same text, and a test can feed it upstream's inputs.
public enum IPTablesProxier {
    /// What kube-proxy knows about the node and its own flags (a kind node's defaults).
    public struct NodeConfig: Sendable {
        public var nodeName: String
        public var nodeIP: String
        /// --cluster-cidr: traffic from outside it to a ClusterIP is masqueraded.
        public var clusterCIDR: String = "10.244.0.0/16"
        /// NewProxier's `fmt.Sprintf("%#08x", 1<<masqueradeBit)` for bit 14: Go pads the digits
        /// to 8 before adding 0x ("Using iptables mark for masquerade" mark="0x00004000" in its
        /// log); iptables-save later prints it as 0x4000.
        public var masqueradeMark = "0x00004000"
        public var localhostNodePorts = true
        /// The kernel has nfacct: the INVALID-drop and localhost-NodePort rules count packets.
        public var nfacct = true
        /// iptables supports `--random-fully` on MASQUERADE.
        public var randomFully = true
        /// nf_conntrack_tcp_be_liberal is not set, so INVALID packets are dropped.
        public var conntrackTCPLiberal = false
        /// The node's topology.kubernetes.io/zone (for PreferClose zone hints).
        public var zone: String?
        public init(nodeName: String, nodeIP: String) { self.nodeName = nodeName; self.nodeIP = nodeIP }
    }

    /// The inputs both backends read (ProxyInputs.swift).
    public typealias ServicePortInfo = KubeProxyInputs.ServicePortInfo
    public typealias Endpoint = KubeProxyInputs.Endpoint

    // MARK: Chain names (proxier.go portProtoHash and friends)

    static func portProtoHash(_ servicePortName: String, _ proto: String) -> String {
        String(base32(SHA256.hash(data: Data((servicePortName + proto).utf8))).prefix(16))
    }
    public static func serviceChain(_ s: ServicePortInfo) -> String { "KUBE-SVC-" + portProtoHash(s.nameString, s.proto.lowercased()) }
    public static func localChain(_ s: ServicePortInfo) -> String { "KUBE-SVL-" + portProtoHash(s.nameString, s.proto.lowercased()) }
    public static func externalChain(_ s: ServicePortInfo) -> String { "KUBE-EXT-" + portProtoHash(s.nameString, s.proto.lowercased()) }
    public static func firewallChain(_ s: ServicePortInfo) -> String { "KUBE-FW-" + portProtoHash(s.nameString, s.proto.lowercased()) }
    /// servicePortEndpointChainName: the hash covers the endpoint's `ip:port` too.
    public static func endpointChain(_ s: ServicePortInfo, _ e: Endpoint) -> String {
        "KUBE-SEP-" + String(base32(SHA256.hash(data: Data((s.nameString + s.proto.lowercased() + e.string).utf8))).prefix(16))
    }

    /// encoding/base32 StdEncoding (RFC 4648, with padding; only the first 16 characters count).
    static func base32<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out = "", buffer: UInt64 = 0, bits = 0
        for b in bytes {
            buffer = (buffer << 8) | UInt64(b); bits += 8
            while bits >= 5 { bits -= 5; out.append(alphabet[Int((buffer >> UInt64(bits)) & 31)]) }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt64(5 - bits)) & 31)]) }
        while out.count % 8 != 0 { out.append("=") }
        return out
    }

    /// proxier.probability: `%0.10f` of 1/n.
    static func probability(_ n: Int) -> String { String(format: "%0.10f", 1.0 / Double(n)) }

    // MARK: The rules

    static func categorize(_ endpoints: [Endpoint], _ s: ServicePortInfo, zone: String? = nil) -> (cluster: [Endpoint], local: [Endpoint], reachable: [Endpoint], hasAny: Bool) {
        KubeProxyInputs.categorize(endpoints, s, nodeZone: zone)
    }

    /// The restore input for one node: `*filter … COMMIT` then `*nat … COMMIT`.
    public static func rules(node: NodeConfig, services: [(ServicePortInfo, [Endpoint])]) -> String {
        var filter = Table(first: ["KUBE-NODEPORTS", "KUBE-SERVICES"])
        var nat = Table(first: ["KUBE-NODEPORTS", "KUBE-SERVICES"])
        for chain in ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"] { filter.declare(chain) }
        for chain in ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"] { nat.declare(chain) }
        let mark = node.masqueradeMark
        nat.add("KUBE-POSTROUTING", "-m mark ! --mark \(mark)/\(mark) -j RETURN")
        nat.add("KUBE-POSTROUTING", "-j MARK --xor-mark \(mark)")
        nat.add("KUBE-POSTROUTING", "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE" + (node.randomFully ? " --random-fully" : ""))
        nat.add("KUBE-MARK-MASQ", "-j MARK --or-mark \(mark)")
        if node.localhostNodePorts {
            filter.declare("KUBE-FIREWALL")
            filter.add("KUBE-FIREWALL", "-m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP")
        }

        // largeClusterMode: past 1,000 endpoints kube-proxy drops the per-endpoint comments
        // (appendServiceCommentLocked) to keep iptables-restore fast.
        let largeCluster = services.reduce(0) { $0 + $1.1.count } > 1000
        for (s, endpoints) in services.sorted(by: { ($0.0.nameString, $0.0.proto) < ($1.0.nameString, $1.0.proto) }) {
            let p = s.proto.lowercased()
            let name = s.nameString
            let (clusterEndpoints, localEndpoints, reachable, hasEndpoints) = categorize(endpoints, s, zone: node.zone)
            let clusterPolicyChain = serviceChain(s), localPolicyChain = localChain(s)
            let usesClusterPolicyChain = !clusterEndpoints.isEmpty
            let usesLocalPolicyChain = !localEndpoints.isEmpty
            var internalChain = clusterPolicyChain
            var hasInternal = hasEndpoints
            if s.internalPolicyLocal { internalChain = localPolicyChain; if localEndpoints.isEmpty { hasInternal = false } }
            var externalPolicyChain = clusterPolicyChain
            var hasExternal = hasEndpoints
            if s.externalPolicyLocal { externalPolicyChain = localPolicyChain; if localEndpoints.isEmpty { hasExternal = false } }
            let extChain = externalChain(s)
            let usesExtChain = hasEndpoints && s.externallyAccessible
            let fwChain = firewallChain(s)
            let usesFW = hasEndpoints && !s.loadBalancerIPs.isEmpty && !s.loadBalancerSourceRanges.isEmpty
            let lbChain = usesFW ? fwChain : extChain
            var internalTarget = "", internalComment = "", externalTarget = "", externalComment = ""
            if !hasEndpoints {
                internalTarget = "REJECT"; internalComment = "\"\(name) has no endpoints\""
                externalTarget = "REJECT"; externalComment = internalComment
            } else {
                if !hasInternal { internalTarget = "DROP"; internalComment = "\"\(name) has no local endpoints\"" }
                if !hasExternal { externalTarget = "DROP"; externalComment = "\"\(name) has no local endpoints\"" }
            }
            let match = "-m \(p) -p \(p)"

            // Capture the clusterIP.
            if hasInternal {
                nat.add("KUBE-SERVICES", "-m comment --comment \"\(name) cluster IP\" \(match) -d \(s.clusterIP) --dport \(s.port) -j \(internalChain)")
            } else {
                filter.add("KUBE-SERVICES", "-m comment --comment \(internalComment) \(match) -d \(s.clusterIP) --dport \(s.port) -j \(internalTarget)")
            }
            // Capture externalIPs.
            for ip in s.externalIPs {
                if hasEndpoints { nat.add("KUBE-SERVICES", "-m comment --comment \"\(name) external IP\" \(match) -d \(ip) --dport \(s.port) -j \(extChain)") }
                if !hasExternal { filter.add("KUBE-EXTERNAL-SERVICES", "-m comment --comment \(externalComment) \(match) -d \(ip) --dport \(s.port) -j \(externalTarget)") }
            }
            // Capture load-balancer ingress.
            for ip in s.loadBalancerIPs {
                if hasEndpoints { nat.add("KUBE-SERVICES", "-m comment --comment \"\(name) loadbalancer IP\" \(match) -d \(ip) --dport \(s.port) -j \(lbChain)") }
                if usesFW {
                    filter.add("KUBE-PROXY-FIREWALL", "-m comment --comment \"\(name) traffic not accepted by \(fwChain)\" \(match) -d \(ip) --dport \(s.port) -j DROP")
                }
            }
            if !hasExternal {
                for ip in s.loadBalancerIPs {
                    filter.add("KUBE-EXTERNAL-SERVICES", "-m comment --comment \(externalComment) \(match) -d \(ip) --dport \(s.port) -j \(externalTarget)")
                }
            }
            // Capture nodeports.
            if s.nodePort != 0 {
                if hasEndpoints {
                    if node.localhostNodePorts && node.nfacct {
                        nat.add("KUBE-NODEPORTS", "-m comment --comment \(name) \(match) -d 127.0.0.0/8 --dport \(s.nodePort) -m nfacct --nfacct-name localhost_nps_accepted_pkts -j \(extChain)")
                    }
                    nat.add("KUBE-NODEPORTS", "-m comment --comment \(name) \(match) --dport \(s.nodePort) -j \(extChain)")
                }
                if !hasExternal {
                    filter.add("KUBE-EXTERNAL-SERVICES", "-m comment --comment \(externalComment) -m addrtype --dst-type LOCAL \(match) --dport \(s.nodePort) -j \(externalTarget)")
                }
            }
            // Capture healthCheckNodePorts.
            if s.healthCheckNodePort != 0 {
                filter.add("KUBE-NODEPORTS", "-m comment --comment \"\(name) health check node port\" -m tcp -p tcp --dport \(s.healthCheckNodePort) -j ACCEPT")
            }
            // Internal traffic: masquerade what comes from outside the cluster CIDR.
            if hasInternal {
                nat.add(internalChain, "-m comment --comment \"\(name) cluster IP\" \(match) -d \(s.clusterIP) --dport \(s.port) ! -s \(node.clusterCIDR) -j KUBE-MARK-MASQ")
            }
            // External traffic.
            if usesExtChain {
                nat.declare(extChain)
                if !s.externalPolicyLocal {
                    nat.add(extChain, "-m comment --comment \"masquerade traffic for \(name) external destinations\" -j KUBE-MARK-MASQ")
                } else {
                    nat.add(extChain, "-m comment --comment \"pod traffic for \(name) external destinations\" -s \(node.clusterCIDR) -j \(clusterPolicyChain)")
                    nat.add(extChain, "-m comment --comment \"masquerade LOCAL traffic for \(name) external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ")
                    nat.add(extChain, "-m comment --comment \"route LOCAL traffic for \(name) external destinations\" -m addrtype --src-type LOCAL -j \(clusterPolicyChain)")
                }
                if hasExternal { nat.add(extChain, "-j \(externalPolicyChain)") }
            }
            // The firewall chain (loadBalancerSourceRanges).
            if usesFW {
                nat.declare(fwChain)
                var allowFromNode = false
                for cidr in s.loadBalancerSourceRanges {
                    let range = cidr.trimmingCharacters(in: .whitespaces)
                    nat.add(fwChain, "-m comment --comment \"\(name) loadbalancer IP\" -s \(range) -j \(extChain)")
                    if IPv4.cidrContains(range, node.nodeIP) { allowFromNode = true }
                }
                if allowFromNode {
                    for ip in s.loadBalancerIPs { nat.add(fwChain, "-m comment --comment \"\(name) loadbalancer IP\" -s \(ip) -j \(extChain)") }
                }
                nat.add(fwChain, "-m comment --comment \"other traffic to \(name) will be dropped by KUBE-PROXY-FIREWALL\"")
            }
            if usesClusterPolicyChain { nat.declare(clusterPolicyChain); endpointRules(&nat, s, clusterPolicyChain, clusterEndpoints, comments: !largeCluster) }
            if usesLocalPolicyChain { nat.declare(localPolicyChain); endpointRules(&nat, s, localPolicyChain, localEndpoints, comments: !largeCluster) }
            // The per-endpoint chains.
            for e in reachable {
                let chain = endpointChain(s, e)
                nat.declare(chain)
                let comment = largeCluster ? "" : "-m comment --comment \(name) "
                nat.add(chain, "\(comment)-s \(e.ip) -j KUBE-MARK-MASQ")
                let recent = s.stickyMaxAgeSeconds != nil ? "-m recent --name \(chain) --set " : ""
                nat.add(chain, "\(comment)\(recent)\(match) -j DNAT --to-destination \(e.string)")
            }
        }
        nat.add("KUBE-SERVICES", "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS")
        if !node.conntrackTCPLiberal {
            filter.add("KUBE-FORWARD", "-m conntrack --ctstate INVALID" + (node.nfacct ? " -m nfacct --nfacct-name ct_state_invalid_dropped_pkts" : "") + " -j DROP")
        }
        filter.add("KUBE-FORWARD", "-m comment --comment \"kubernetes forwarding rules\" -m mark --mark \(mark)/\(mark) -j ACCEPT")
        filter.add("KUBE-FORWARD", "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")
        return "*filter\n" + filter.text + "COMMIT\n*nat\n" + nat.text + "COMMIT\n"
    }

    /// writeServiceToEndpointRules: affinity checks first, then one rule per endpoint, each
    /// taking 1/(endpoints left) of what reaches it; the last one takes the rest.
    static func endpointRules(_ nat: inout Table, _ s: ServicePortInfo, _ chain: String, _ endpoints: [Endpoint], comments: Bool) {
        let name = s.nameString
        func comment(_ e: Endpoint) -> String { comments ? "-m comment --comment \"\(name) -> \(e.string)\" " : "" }
        if let seconds = s.stickyMaxAgeSeconds {
            for e in endpoints {
                let sep = endpointChain(s, e)
                nat.add(chain, "\(comment(e))-m recent --name \(sep) --rcheck --seconds \(seconds) --reap -j \(sep)")
            }
        }
        for (i, e) in endpoints.enumerated() {
            let statistic = i < endpoints.count - 1 ? "-m statistic --mode random --probability \(probability(endpoints.count - i)) " : ""
            nat.add(chain, "\(comment(e))\(statistic)-j \(endpointChain(s, e))")
        }
    }

    /// One table's chains and rules, printed grouped by chain: the well-known chains first,
    /// then the rest by name; rules in the order they were written.
    struct Table {
        let first: [String]
        var chains: [String] = []
        var rules: [String: [String]] = [:]
        mutating func declare(_ chain: String) { if rules[chain] == nil { chains.append(chain); rules[chain] = [] } }
        mutating func add(_ chain: String, _ rule: String) { declare(chain); rules[chain]!.append("-A \(chain) \(rule)") }
        var text: String {
            let ordered = first.filter { rules[$0] != nil } + chains.filter { !first.contains($0) }.sorted()
            return ordered.map { ":\($0) - [0:0]\n" }.joined() + ordered.flatMap { rules[$0]! }.map { $0 + "\n" }.joined()
        }
    }
}

extension IPv4 {
    /// Whether `cidr` (a.b.c.d/n) contains `ip`.
    static func cidrContains(_ cidr: String, _ ip: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let base = parse(String(parts[0])), let bits = UInt32(parts[1]), bits <= 32, let addr = parse(ip) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return base & mask == addr & mask
    }
}
