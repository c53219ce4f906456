import Testing
@testable import ClusterEngine

/// kube-proxy's nftables table, checked against upstream's TestOverallNFTablesRules fed the
/// same six Services (ProxyRules/upstream-nftables-overall.txt says how that expectation reads
/// for the 1.33 generator), and its `nft list` form against public dumps of real nodes.
struct NFTablesProxierTests {
    typealias N = NFTablesProxier

    static var upstreamNode: N.NodeConfig {
        var node = N.NodeConfig(nodeName: "test-node", nodeIP: "192.168.0.2")
        node.clusterCIDR = "10.0.0.0/8"
        node.serviceCIDRs = "172.30.0.0/16"
        node.masqueradeMark = "0x4000"   // NewFakeProxier's
        return node
    }

    /// assertNFTablesTransactionEqual's comparison: sorted lines, no blanks, no comments.
    static func normalized(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }.sorted()
    }

    @Test func upstreamOverallRules() throws {
        let table = N.table(node: Self.upstreamNode, services: UpstreamProxyFixture.services)
        let ours = Self.normalized(table.transactionText)
        let upstream = Self.normalized(try IPTablesProxierTests.golden("upstream-nftables-overall.txt"))
        #expect(ours == upstream)
        for line in ours where !upstream.contains(line) { print("only ours:     \(line)") }
        for line in upstream where !ours.contains(line) { print("only upstream: \(line)") }
    }

    /// The names every 1.33 nftables cluster shows (public `nft list` dumps of real nodes).
    @Test func chainNamesAsRealNodesShowThem() {
        func svc(_ ns: String, _ name: String, _ port: String, _ proto: String) -> N.ServicePortInfo {
            N.ServicePortInfo(namespace: ns, name: name, portName: port, proto: proto, clusterIP: "", port: 0)
        }
        #expect(N.serviceChain(svc("default", "kubernetes", "https", "TCP")) == "service-2QRHZV4L-default/kubernetes/tcp/https")
        #expect(N.serviceChain(svc("kube-system", "kube-dns", "dns", "UDP")) == "service-FY5PMXPG-kube-system/kube-dns/udp/dns")
        #expect(N.serviceChain(svc("kube-system", "kube-dns", "dns-tcp", "TCP")) == "service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp")
        #expect(N.serviceChain(svc("kube-system", "kube-dns", "metrics", "TCP")) == "service-AS2KJYAD-kube-system/kube-dns/tcp/metrics")
        #expect(N.endpointChain(svc("default", "kubernetes", "https", "TCP"), N.Endpoint(ip: "10.128.0.16", port: 6443, isLocal: false))
                == "endpoint-573J25N3-default/kubernetes/tcp/https__10.128.0.16/6443")
    }

    /// `nft list` spelling: priorities by name, meta mark in 32-bit hex, sets sorted as nft
    /// sorts them (little-endian key bytes: last octet first), two addresses to a line.
    @Test func listingAsNftPrintsIt() {
        typealias T = N.Table
        #expect(T.priorityText(-110, hook: "prerouting") == "dstnat - 10")
        #expect(T.priorityText(-110, hook: "input") == "-110")
        #expect(T.priorityText(-90, hook: "output") == "dstnat + 10")
        #expect(T.priorityText(100, hook: "postrouting") == "srcnat")
        #expect(T.priorityText(-100, hook: "prerouting") == "dstnat")
        #expect(T.listRule("mark set mark or 0x00004000") == "meta mark set meta mark | 0x00004000")
        #expect(T.listRule("mark and 0x4000 == 0 return") == "meta mark & 0x00004000 == 0x00000000 return")
        #expect(T.listRule("ip daddr { 10.96.0.0/16 } drop") == "ip daddr 10.96.0.0/16 drop")
        #expect(T.listRule("numgen random mod 2 vmap { 0 : goto a , 1 : goto b }") == "numgen random mod 2 vmap { 0 : goto a, 1 : goto b }")
        #expect(T.timeText(10800) == "3h")
        // The order of a real node's service-ips map (a public `nft -a list table` dump).
        let keys = [["10.255.0.1", "tcp", "443"], ["10.255.0.10", "tcp", "53"], ["10.255.0.10", "udp", "53"], ["10.255.36.158", "tcp", "8000"],
                    ["10.128.0.16", "tcp", "80"], ["10.255.10.67", "tcp", "80"], ["10.255.8.50", "tcp", "80"], ["10.255.0.10", "tcp", "9153"]]
        let sorted = keys.sorted { T.sortKey($0).lexicographicallyPrecedes(T.sortKey($1)) }.map { $0.joined(separator: " . ") }
        #expect(sorted == ["10.255.0.10 . tcp . 53", "10.255.0.10 . udp . 53", "10.255.36.158 . tcp . 8000", "10.128.0.16 . tcp . 80",
                           "10.255.8.50 . tcp . 80", "10.255.10.67 . tcp . 80", "10.255.0.1 . tcp . 443", "10.255.0.10 . tcp . 9153"])
        let table = N.table(node: Self.upstreamNode, services: UpstreamProxyFixture.services)
        let list = table.listText
        #expect(list.hasPrefix("table ip kube-proxy {\n\tcomment \"rules for kube-proxy\"\n\tset cluster-ips {\n\t\ttype ipv4_addr\n\t\tcomment \"Active ClusterIPs\"\n\t\telements = { 172.30.0.41, 172.30.0.42,\n\t\t\t     172.30.0.43, 172.30.0.44,\n\t\t\t     172.30.0.45, 172.30.0.46 }\n\t}\n\n\tset nodeport-ips {"))
        #expect(list.contains("\tchain filter-prerouting {\n\t\ttype filter hook prerouting priority dstnat - 10; policy accept;\n\t\tct state new jump firewall-check\n\t}\n"))
        #expect(list.contains("\tset affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 3h\n\t}\n"))
        #expect(list.contains("\t\tip saddr != 203.0.113.0/25 drop\n"))
        #expect(list.hasSuffix("\t}\n}\n"))
    }
}
