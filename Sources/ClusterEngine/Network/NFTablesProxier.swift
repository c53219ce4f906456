import ClusterModel
import Crypto
import Foundation

/// kube-proxy's nftables mode: the `ip kube-proxy` table it keeps on a node, a port of
/// `setupNFTables`, `syncProxyRules` and `writeServiceToEndpointRules` of
/// k8s.io/kubernetes pkg/proxy/nftables/proxier.go at b0f823e6ccd8 (the 1.33 line: filter base
/// chains at dstnat-10 with filter-output-post-dnat at dstnat+10, the ClusterIP masquerade rule
/// still matching `tcp dport` — both changed after 1.33 by PRs 132456 and 131492).
/// Pure, like IPTablesProxier: the same inputs give the same table. The result keeps the
/// objects in the order kube-proxy creates them (nft lists them in that order) and prints
/// itself two ways: as the transaction kube-proxy hands nft (knftables' dump format, what
/// upstream's tests compare) and as `nft list table ip kube-proxy` shows it.
public enum NFTablesProxier {
    public typealias ServicePortInfo = KubeProxyInputs.ServicePortInfo
    public typealias Endpoint = KubeProxyInputs.Endpoint

    public struct NodeConfig: Sendable {
        public var nodeName: String
        public var nodeIP: String
        /// --cluster-cidr (DetectLocalByCIDR).
        public var clusterCIDR = "10.244.0.0/16"
        /// The ServiceCIDRs of this family (kind's default service subnet).
        public var serviceCIDRs = "10.96.0.0/16"
        /// NewProxier's `%#08x` (upstream's fake proxier uses "0x4000").
        public var masqueradeMark = "0x00004000"
        /// --nodeport-addresses resolved to IPs; nftables mode defaults to the node's primary
        /// IP. nil is "match all" (the set is deleted and `fib daddr type local` is used).
        public var nodePortIPs: [String]?
        /// `ip` or `ip6`: kube-proxy runs one proxier per family the host supports, so a
        /// single-stack IPv4 node still has an (empty) `ip6 kube-proxy` table.
        public var family = "ip"
        /// The node's topology.kubernetes.io/zone (for PreferClose zone hints).
        public var zone: String?
        public init(nodeName: String, nodeIP: String) {
            self.nodeName = nodeName; self.nodeIP = nodeIP; nodePortIPs = [nodeIP]
        }
    }

    public struct Rule: Sendable, Equatable {
        /// The rule as kube-proxy writes it (knftables.Concat of its words).
        public var text: String
        public var comment: String?
    }

    public struct Element: Sendable, Equatable {
        public var key: [String]
        public var value: String?
        public var comment: String?
    }

    public struct Object: Sendable {
        public enum Kind: Sendable { case set, map, chain }
        public var kind: Kind
        public var name: String
        /// Sets and maps: the element type (`ipv4_addr . inet_proto . inet_service : verdict`).
        public var type: String?
        public var flags: [String] = []
        public var timeoutSeconds: Int?
        public var comment: String?
        /// Base chains: (type, hook, priority).
        public var base: (type: String, hook: String, priority: Int)?
        public var rules: [Rule] = []
        public var elements: [Element] = []
    }

    /// One nftables table, its objects in creation order.
    public struct Table: Sendable {
        public var family = "ip"
        public var name = "kube-proxy"
        public var comment = "rules for kube-proxy"
        public private(set) var objects: [Object] = []
        private var index: [String: Int] = [:]

        public func object(_ name: String) -> Object? { index[name].map { objects[$0] } }

        mutating func add(_ o: Object) {
            guard index[o.name] == nil else { return }
            index[o.name] = objects.count; objects.append(o)
        }
        mutating func chain(_ name: String, comment: String? = nil) { add(Object(kind: .chain, name: name, comment: comment)) }
        mutating func rule(_ chain: String, _ text: String, comment: String? = nil) {
            if index[chain] == nil { self.chain(chain) }
            objects[index[chain]!].rules.append(Rule(text: text, comment: comment))
        }
        /// nftElementStorage.ensureElem: one element per key (a later value replaces it).
        mutating func element(_ container: String, _ key: [String], _ value: String? = nil, comment: String? = nil) {
            let i = index[container]!
            let e = Element(key: key, value: value, comment: comment)
            if let at = objects[i].elements.firstIndex(where: { $0.key == key }) { objects[i].elements[at] = e } else { objects[i].elements.append(e) }
        }
    }

    // MARK: Names (hashAndTruncate)

    /// base32(SHA-256(name))[:8] + "-" + name, cut at 240 characters with "...".
    static func hashAndTruncate(_ name: String) -> String {
        let full = String(IPTablesProxier.base32(SHA256.hash(data: Data(name.utf8))).prefix(8)) + "-" + name
        return full.count > 240 ? String(full.prefix(237)) + "..." : full
    }
    /// servicePortChainNameBase: `HASH-namespace/name/protocol/portName`.
    public static func serviceBase(_ s: ServicePortInfo) -> String {
        hashAndTruncate("\(s.namespace)/\(s.name)/\(s.proto.lowercased())/\(s.portName)")
    }
    /// servicePortEndpointChainNameBase: `HASH-namespace/name/protocol/portName__ip/port`.
    public static func endpointBase(_ s: ServicePortInfo, _ e: Endpoint) -> String {
        hashAndTruncate("\(s.namespace)/\(s.name)/\(s.proto.lowercased())/\(s.portName)__\(e.ip.replacingOccurrences(of: ":", with: "."))/\(e.port)")
    }
    public static func serviceChain(_ s: ServicePortInfo) -> String { "service-" + serviceBase(s) }
    public static func localChain(_ s: ServicePortInfo) -> String { "local-" + serviceBase(s) }
    public static func externalChain(_ s: ServicePortInfo) -> String { "external-" + serviceBase(s) }
    public static func firewallChain(_ s: ServicePortInfo) -> String { "firewall-" + serviceBase(s) }
    public static func endpointChain(_ s: ServicePortInfo, _ e: Endpoint) -> String { "endpoint-" + endpointBase(s, e) }
    public static func affinitySet(_ s: ServicePortInfo, _ e: Endpoint) -> String { "affinity-" + endpointBase(s, e) }

    // MARK: The table

    static let baseChains: [(name: String, type: String, hook: String, priority: Int)] = [
        ("filter-prerouting", "filter", "prerouting", -110),
        ("filter-input", "filter", "input", -110),
        ("filter-forward", "filter", "forward", -110),
        ("filter-output", "filter", "output", -110),
        ("filter-output-post-dnat", "filter", "output", -90),
        ("nat-prerouting", "nat", "prerouting", -100),
        ("nat-output", "nat", "output", -100),
        ("nat-postrouting", "nat", "postrouting", 100),
    ]
    /// nftablesJumpChains: (destination, source, extra match).
    static let jumpChains: [(String, String, String)] = [
        ("nodeport-endpoints-check", "filter-input", "ct state new"),
        ("service-endpoints-check", "filter-input", "ct state new"),
        ("service-endpoints-check", "filter-forward", "ct state new"),
        ("service-endpoints-check", "filter-output", "ct state new"),
        ("firewall-check", "filter-prerouting", "ct state new"),
        ("firewall-check", "filter-output", "ct state new"),
        ("services", "nat-output", ""),
        ("services", "nat-prerouting", ""),
        ("masquerading", "nat-postrouting", ""),
        ("cluster-ips-check", "filter-forward", "ct state new"),
        ("cluster-ips-check", "filter-output-post-dnat", "ct state new"),
    ]

    /// The `ip kube-proxy` table after a full sync on this node.
    public static func table(node: NodeConfig, services: [(ServicePortInfo, [Endpoint])]) -> Table {
        var t = Table()
        t.family = node.family
        let ipX = node.family
        let addr = node.family == "ip6" ? "ipv6_addr" : "ipv4_addr"
        let noLocalhost = node.family == "ip6" ? "ip6 daddr != ::1" : "ip daddr != 127.0.0.0/8"
        // setupNFTables
        for bc in baseChains { t.add(Object(kind: .chain, name: bc.name, base: (bc.type, bc.hook, bc.priority))) }
        for (dst, src, extra) in jumpChains {
            t.chain(dst)
            t.rule(src, (extra.isEmpty ? "" : extra + " ") + "jump \(dst)")
        }
        for c in ["services", "cluster-ips-check", "masquerading", "mark-for-masquerade"] { t.chain(c) }
        let mark = node.masqueradeMark
        t.rule("mark-for-masquerade", "mark set mark or \(mark)")
        t.rule("masquerading", "mark and \(mark) == 0 return")
        t.rule("masquerading", "mark set mark xor \(mark)")
        t.rule("masquerading", "masquerade fully-random")
        t.add(Object(kind: .set, name: "cluster-ips", type: addr, comment: "Active ClusterIPs"))
        t.rule("cluster-ips-check", "\(ipX) daddr @cluster-ips reject", comment: "Reject traffic to invalid ports of ClusterIPs")
        if !node.serviceCIDRs.isEmpty {
            t.rule("cluster-ips-check", "\(ipX) daddr { \(node.serviceCIDRs) } drop", comment: "Drop traffic to unallocated ClusterIPs")
        }
        if let ips = node.nodePortIPs {
            t.add(Object(kind: .set, name: "nodeport-ips", type: addr, comment: "IPs that accept NodePort traffic"))
            for ip in ips { t.element("nodeport-ips", [ip]) }
        }
        t.add(Object(kind: .map, name: "no-endpoint-services", type: "\(addr) . inet_proto . inet_service : verdict", comment: "vmap to drop or reject packets to services with no endpoints"))
        t.add(Object(kind: .map, name: "no-endpoint-nodeports", type: "inet_proto . inet_service : verdict", comment: "vmap to drop or reject packets to service nodeports with no endpoints"))
        t.chain("reject-chain", comment: "helper for @no-endpoint-services / @no-endpoint-nodeports")
        t.rule("reject-chain", "reject")
        t.rule("service-endpoints-check", "\(ipX) daddr . meta l4proto . th dport vmap @no-endpoint-services")
        t.rule("nodeport-endpoints-check", node.nodePortIPs == nil ? "\(noLocalhost) meta l4proto . th dport vmap @no-endpoint-nodeports"
                                                                    : "\(ipX) daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports")
        t.add(Object(kind: .map, name: "firewall-ips", type: "\(addr) . inet_proto . inet_service : verdict", comment: "destinations that are subject to LoadBalancerSourceRanges"))
        t.rule("firewall-check", "\(ipX) daddr . meta l4proto . th dport vmap @firewall-ips")
        t.add(Object(kind: .map, name: "service-ips", type: "\(addr) . inet_proto . inet_service : verdict", comment: "ClusterIP, ExternalIP and LoadBalancer IP traffic"))
        t.add(Object(kind: .map, name: "service-nodeports", type: "inet_proto . inet_service : verdict", comment: "NodePort traffic"))
        t.rule("services", "\(ipX) daddr . meta l4proto . th dport vmap @service-ips")
        t.rule("services", node.nodePortIPs == nil ? "fib daddr type local \(noLocalhost) meta l4proto . th dport vmap @service-nodeports"
                                                    : "\(ipX) daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports")

        // syncProxyRules, one service port at a time.
        for (s, endpoints) in services.sorted(by: { ($0.0.nameString, $0.0.proto) < ($1.0.nameString, $1.0.proto) }) {
            let proto = s.proto.lowercased()
            let name = s.nameString
            let (clusterEndpoints, localEndpoints, reachable, hasEndpoints) = KubeProxyInputs.categorize(endpoints, s, nodeZone: node.zone)
            for e in reachable { t.chain(endpointChain(s, e)) }
            let clusterPolicyChain = serviceChain(s), localPolicyChain = localChain(s)
            let usesClusterPolicyChain = !clusterEndpoints.isEmpty
            let usesLocalPolicyChain = !localEndpoints.isEmpty
            if usesClusterPolicyChain { t.chain(clusterPolicyChain) }
            if usesLocalPolicyChain { t.chain(localPolicyChain) }
            var internalChain = clusterPolicyChain, hasInternal = hasEndpoints
            if s.internalPolicyLocal { internalChain = localPolicyChain; if localEndpoints.isEmpty { hasInternal = false } }
            var externalPolicyChain = clusterPolicyChain, hasExternal = hasEndpoints
            if s.externalPolicyLocal { externalPolicyChain = localPolicyChain; if localEndpoints.isEmpty { hasExternal = false } }
            let extChain = externalChain(s)
            let usesExtChain = hasEndpoints && s.externallyAccessible
            if usesExtChain { t.chain(extChain) }
            var internalVerdict = "", externalVerdict = ""
            if !hasEndpoints { internalVerdict = "goto reject-chain"; externalVerdict = "goto reject-chain" } else {
                if !hasInternal { internalVerdict = "drop" }
                if !hasExternal { externalVerdict = "drop" }
            }
            let port = String(s.port)
            // Capture the clusterIP.
            t.element("cluster-ips", [s.clusterIP])
            if hasInternal { t.element("service-ips", [s.clusterIP, proto, port], "goto \(internalChain)") } else {
                t.element("no-endpoint-services", [s.clusterIP, proto, port], internalVerdict, comment: name)
            }
            // Capture externalIPs.
            for ip in s.externalIPs {
                if hasEndpoints { t.element("service-ips", [ip, proto, port], "goto \(extChain)") }
                if !hasExternal { t.element("no-endpoint-services", [ip, proto, port], externalVerdict, comment: name) }
            }
            let usesFW = !s.loadBalancerIPs.isEmpty && !s.loadBalancerSourceRanges.isEmpty
            let fwChain = firewallChain(s)
            if usesFW { t.chain(fwChain) }
            // Capture load-balancer ingress.
            for ip in s.loadBalancerIPs {
                if hasEndpoints { t.element("service-ips", [ip, proto, port], "goto \(extChain)") }
                if usesFW { t.element("firewall-ips", [ip, proto, port], "goto \(fwChain)") }
            }
            if !hasExternal { for ip in s.loadBalancerIPs { t.element("no-endpoint-services", [ip, proto, port], externalVerdict, comment: name) } }
            // Capture nodeports.
            if s.nodePort != 0 {
                if hasEndpoints { t.element("service-nodeports", [proto, String(s.nodePort)], "goto \(extChain)") }
                if !hasExternal { t.element("no-endpoint-nodeports", [proto, String(s.nodePort)], externalVerdict, comment: name) }
            }
            // Internal traffic: masquerade what comes from outside the pod network.
            if hasInternal {
                t.rule(internalChain, "\(ipX) daddr \(s.clusterIP) \(proto) dport \(s.port) ip saddr != \(node.clusterCIDR) jump mark-for-masquerade")
            }
            // External traffic.
            if usesExtChain {
                if !s.externalPolicyLocal {
                    t.rule(extChain, "jump mark-for-masquerade")
                } else {
                    t.rule(extChain, "\(ipX) saddr \(node.clusterCIDR) goto \(clusterPolicyChain)", comment: "short-circuit pod traffic")
                    t.rule(extChain, "fib saddr type local jump mark-for-masquerade", comment: "masquerade local traffic")
                    t.rule(extChain, "fib saddr type local goto \(clusterPolicyChain)", comment: "short-circuit local traffic")
                }
                if hasExternal { t.rule(extChain, "goto \(externalPolicyChain)") }
            }
            if usesFW {
                var sources = s.loadBalancerSourceRanges.map { $0.trimmingCharacters(in: .whitespaces) }
                if sources.contains(where: { IPv4.cidrContains($0, node.nodeIP) }) { sources += s.loadBalancerIPs }
                t.rule(fwChain, "\(ipX) saddr != { \(sources.joined(separator: " , ")) } drop")
            }
            if let seconds = s.stickyMaxAgeSeconds {
                for e in reachable {
                    t.add(Object(kind: .set, name: affinitySet(s, e), type: addr, flags: ["dynamic", "timeout"], timeoutSeconds: seconds))
                }
            }
            if usesClusterPolicyChain { endpointRules(&t, s, clusterPolicyChain, clusterEndpoints, ipX: ipX) }
            if usesLocalPolicyChain { endpointRules(&t, s, localPolicyChain, localEndpoints, ipX: ipX) }
            for e in reachable {
                let chain = endpointChain(s, e)
                t.rule(chain, "\(ipX) saddr \(e.ip) jump mark-for-masquerade")
                if s.stickyMaxAgeSeconds != nil { t.rule(chain, "update @\(affinitySet(s, e)) { \(ipX) saddr }") }
                t.rule(chain, "meta l4proto \(proto) dnat to \(e.string)")
            }
        }
        return t
    }

    /// writeServiceToEndpointRules: affinity first, then one `numgen random mod N` verdict map.
    static func endpointRules(_ t: inout Table, _ s: ServicePortInfo, _ chain: String, _ endpoints: [Endpoint], ipX: String) {
        if s.stickyMaxAgeSeconds != nil {
            for e in endpoints { t.rule(chain, "\(ipX) saddr @\(affinitySet(s, e)) goto \(endpointChain(s, e))") }
        }
        let elements = endpoints.enumerated().map { "\($0.offset) : goto \(endpointChain(s, $0.element))" }.joined(separator: " , ")
        t.rule(chain, "numgen random mod \(endpoints.count) vmap { \(elements) }")
    }
}

// MARK: Printing

extension NFTablesProxier.Table {
    /// The transaction as knftables' Fake.Dump() writes it (what upstream's tests compare):
    /// the table, sets and maps, chains, rules, then elements.
    public var transactionText: String {
        let prefix = "\(family) \(name)"
        var lines = ["add table \(prefix) { comment \(quote(comment)) ; }"]
        for o in objects where o.kind != .chain {
            var props = ["type \(o.type ?? "")"]
            if !o.flags.isEmpty { props.append("flags \(o.flags.joined(separator: ","))") }
            if let t = o.timeoutSeconds { props.append("timeout \(t)s") }
            if let c = o.comment { props.append("comment \(quote(c))") }
            lines.append("add \(o.kind == .set ? "set" : "map") \(prefix) \(o.name) { \(props.joined(separator: " ; ")) ; }")
        }
        for o in objects where o.kind == .chain {
            var props: [String] = []
            if let b = o.base { props.append("type \(b.type) hook \(b.hook) priority \(b.priority)") }
            if let c = o.comment { props.append("comment \(quote(c))") }
            lines.append("add chain \(prefix) \(o.name)" + (props.isEmpty ? "" : " { \(props.joined(separator: " ; ")) ; }"))
        }
        for o in objects where o.kind == .chain {
            for r in o.rules { lines.append("add rule \(prefix) \(o.name) \(r.text)" + (r.comment.map { " comment \(quote($0))" } ?? "")) }
        }
        for o in objects where o.kind != .chain {
            for e in o.elements {
                let key = e.key.joined(separator: " . ") + (e.comment.map { " comment \(quote($0))" } ?? "")
                lines.append("add element \(prefix) \(o.name) { \(key)" + (e.value.map { " : \($0)" } ?? "") + " }")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func quote(_ s: String) -> String { "\"\(s)\"" }

    /// `nft list table ip kube-proxy` (nftables 1.0.9, Debian bookworm's): sets and maps, then
    /// chains, each in creation order, a blank line between them.
    public var listText: String {
        "table \(family) \(name) {\n\tcomment \(quote(comment))\n" + objects.filter { $0.kind != .chain }.map(objectText).joined(separator: "\n")
            + (objects.contains { $0.kind != .chain } ? "\n" : "") + objects.filter { $0.kind == .chain }.map(objectText).joined(separator: "\n") + "}\n"
    }

    /// One set, map or chain as nft lists it (indented one tab, ending with a newline).
    public func objectText(_ o: NFTablesProxier.Object) -> String {
        var s = "\t\(o.kind == .chain ? "chain" : o.kind == .set ? "set" : "map") \(o.name) {\n"
        switch o.kind {
        case .chain:
            if let c = o.comment { s += "\t\tcomment \(quote(c))\n" }
            if let b = o.base { s += "\t\ttype \(b.type) hook \(b.hook) priority \(Self.priorityText(b.priority, hook: b.hook)); policy accept;\n" }
            for r in o.rules { s += "\t\t" + Self.listRule(r.text) + (r.comment.map { " comment \(quote($0))" } ?? "") + "\n" }
        case .set, .map:
            s += "\t\ttype \(o.type ?? "")\n"
            if o.flags.contains("dynamic") { s += "\t\tsize 65535\n" }
            if !o.flags.isEmpty { s += "\t\tflags \(o.flags.joined(separator: ","))\n" }
            if let t = o.timeoutSeconds { s += "\t\ttimeout \(Self.timeText(t))\n" }
            if let c = o.comment { s += "\t\tcomment \(quote(c))\n" }
            if !o.elements.isEmpty {
                let sorted = o.elements.sorted { Self.sortKey($0.key).lexicographicallyPrecedes(Self.sortKey($1.key)) }
                // calculate_delim: IP addresses two to a line, concatenations one.
                let perLine = o.type == "ipv4_addr" || o.type == "ipv6_addr" ? 2 : 1
                var text = "\t\telements = { "
                for (i, e) in sorted.enumerated() {
                    if i > 0 { text += i % perLine == 0 ? ",\n\t\t\t     " : ", " }
                    text += e.key.joined(separator: " . ") + (e.comment.map { " comment \(quote($0))" } ?? "") + (e.value.map { " : " + Self.listRule($0) } ?? "")
                }
                s += text + " }\n"
            }
        }
        return s + "\t}\n"
    }

    /// nft's standard priority names (prio2str): a name within 10 of a standard priority the
    /// hook accepts (dstnat on prerouting/output, srcnat on input/postrouting, filter
    /// anywhere), else the number.
    static func priorityText(_ p: Int, hook: String) -> String {
        var standard: [(String, Int)] = [("raw", -300), ("mangle", -150)]
        if hook == "prerouting" || hook == "output" { standard.append(("dstnat", -100)) }
        standard.append(("filter", 0)); standard.append(("security", 50))
        if hook == "input" || hook == "postrouting" { standard.append(("srcnat", 100)) }
        for (name, value) in standard where abs(p - value) <= 10 {
            let d = p - value
            return d == 0 ? name : d > 0 ? "\(name) + \(d)" : "\(name) - \(-d)"
        }
        return String(p)
    }

    /// nft's time format: 10800 → 3h, 90 → 1m30s.
    static func timeText(_ seconds: Int) -> String {
        var s = "", rest = seconds
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            s += "\(rest / size)\(unit)"; rest %= size
        }
        return s.isEmpty ? "0s" : s
    }

    /// A rule as nft lists it back: `mark` is `meta mark` with 32-bit hex values, `or`/`xor`
    /// become `|`/`^`, a one-element anonymous set is a plain value, list commas lose the
    /// space before them.
    static func listRule(_ text: String) -> String {
        func hex8(_ s: String) -> String {
            let v = s.hasPrefix("0x") ? UInt32(s.dropFirst(2), radix: 16) ?? 0 : UInt32(s) ?? 0
            return "0x" + String(repeating: "0", count: max(0, 8 - String(v, radix: 16).count)) + String(v, radix: 16)
        }
        var w = text.split(separator: " ").map(String.init)
        if w.starts(with: ["mark", "set", "mark"]), w.count == 5 {
            return "meta mark set meta mark \(w[3] == "or" ? "|" : "^") \(hex8(w[4]))"
        }
        if w.starts(with: ["mark", "and"]), w.count >= 5 {
            return "meta mark & \(hex8(w[2])) \(w[3]) \(hex8(w[4]))" + (w.count > 5 ? " " + w[5...].joined(separator: " ") : "")
        }
        // `{ x }` with a single element is the value itself.
        var i = 0
        while i + 2 < w.count {
            if w[i] == "{", w[i + 2] == "}" { w.replaceSubrange(i...(i + 2), with: [w[i + 1]]) }
            i += 1
        }
        return w.joined(separator: " ").replacingOccurrences(of: " , ", with: ", ")
    }

    /// The order nft lists elements in: by the key's bytes read as a little-endian number
    /// (mpz of the host-order register data), each field padded to 4 bytes in a concatenation.
    static func sortKey(_ key: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for field in key {
            if let ip = IPv4.parse(field) {
                bytes += [UInt8(ip >> 24), UInt8((ip >> 16) & 255), UInt8((ip >> 8) & 255), UInt8(ip & 255)]
            } else if let n = Int(field) {
                bytes += key.count > 1 ? [UInt8(n >> 8), UInt8(n & 255), 0, 0] : [UInt8(n >> 8), UInt8(n & 255)]
            } else {
                let p: UInt8 = ["tcp": 6, "udp": 17, "sctp": 132][field] ?? 0
                bytes += key.count > 1 ? [p, 0, 0, 0] : [p]
            }
        }
        return bytes.reversed()
    }
}
