import ClusterModel
import Foundation
import Testing
@testable import ClusterEngine

/// The iptables rules kube-proxy writes, checked against upstream's own expectation:
/// ProxyRules/upstream-overall.txt is the `expected` text of TestOverallIPTablesRules
/// (k8s.io/kubernetes pkg/proxy/iptables/proxier_test.go, v1.33), fed the same six Services
/// and EndpointSlices. Upstream's fake iptables has no --random-fully; its test node is
/// 192.168.0.2 ("test-node") with cluster CIDR 10.0.0.0/8.
struct IPTablesProxierTests {
    typealias P = IPTablesProxier

    static func golden(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ProxyRules/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func chainNamesHashAsKubeProxyHashesThem() {
        let svc1 = P.ServicePortInfo(namespace: "ns1", name: "svc1", portName: "p80", proto: "TCP", clusterIP: "172.30.0.41", port: 80)
        #expect(P.serviceChain(svc1) == "KUBE-SVC-XPGD46QRK7WJZT7O")
        #expect(P.endpointChain(svc1, P.Endpoint(ip: "10.180.0.1", port: 80, isLocal: false)) == "KUBE-SEP-SXIVWICOYRO3J4NJ")
        #expect(P.base32(Array("foobar".utf8)) == "MZXW6YTBOI======")   // RFC 4648 test vector
        // The chains every kind cluster has (seen in any `iptables-save -t nat` of one).
        func chain(_ ns: String, _ name: String, _ port: String, _ proto: String) -> String {
            P.serviceChain(P.ServicePortInfo(namespace: ns, name: name, portName: port, proto: proto, clusterIP: "", port: 0))
        }
        #expect(chain("default", "kubernetes", "https", "TCP") == "KUBE-SVC-NPX46M4PTMTKRN6Y")
        #expect(chain("kube-system", "kube-dns", "dns", "UDP") == "KUBE-SVC-TCOU7JCQXEZGVUNU")
        #expect(chain("kube-system", "kube-dns", "dns-tcp", "TCP") == "KUBE-SVC-ERIFXISQEP7F7OF4")
        #expect(chain("kube-system", "kube-dns", "metrics", "TCP") == "KUBE-SVC-JD5MR3NA4I4DYORP")
        #expect(P.probability(3) == "0.3333333333")
    }

    /// Past 1,000 endpoints the per-endpoint comments go (largeClusterMode); the rest stay.
    @Test func largeClustersDropPerEndpointComments() {
        let node = P.NodeConfig(nodeName: "n", nodeIP: "192.168.0.2")
        let svc = P.ServicePortInfo(namespace: "ns", name: "big", portName: "", proto: "TCP", clusterIP: "10.96.0.50", port: 80)
        let endpoints = (0..<1001).map { P.Endpoint(ip: "10.244.\($0 / 250).\($0 % 250 + 2)", port: 8080, isLocal: false) }
        let big = P.rules(node: node, services: [(svc, endpoints)]).split(separator: "\n")
        #expect(big.contains("-A KUBE-SERVICES -m comment --comment \"ns/big cluster IP\" -m tcp -p tcp -d 10.96.0.50 --dport 80 -j \(P.serviceChain(svc))"))
        let first = P.endpointChain(svc, endpoints[0])
        #expect(big.contains("-A \(first) -s 10.244.0.2 -j KUBE-MARK-MASQ"))
        #expect(big.contains("-A \(P.serviceChain(svc)) -m statistic --mode random --probability 0.0009990010 -j \(first)"))
        let small = P.rules(node: node, services: [(svc, Array(endpoints.prefix(2)))])
        #expect(small.contains("-A \(first) -m comment --comment ns/big -s 10.244.0.2 -j KUBE-MARK-MASQ"))
    }

    @Test func upstreamOverallRules() throws {
        var node = P.NodeConfig(nodeName: "test-node", nodeIP: "192.168.0.2")
        node.clusterCIDR = "10.0.0.0/8"
        node.randomFully = false
        node.masqueradeMark = "0x4000"   // NewFakeProxier's, not NewProxier's "%#08x"
        let text = P.rules(node: node, services: UpstreamProxyFixture.services)
        let expected = try Self.golden("upstream-overall.txt")
        #expect(text == expected)
        if text != expected {
            for (a, b) in zip(text.split(separator: "\n"), expected.split(separator: "\n")) where a != b { print("ours:     \(a)\nupstream: \(b)") }
        }
    }
}

/// The six Services and their EndpointSlices of upstream's TestOverall{IPTables,NFTables}Rules
/// (the same in both proxier_test.go files): node "test-node" 192.168.0.2, pods in 10.0.0.0/8.
enum UpstreamProxyFixture {
    typealias S = KubeProxyInputs.ServicePortInfo
    typealias E = KubeProxyInputs.Endpoint
    static var services: [(S, [E])] {
        func port(_ ns: String, _ name: String, _ ip: String) -> S {
            S(namespace: ns, name: name, portName: "p80", proto: "TCP", clusterIP: ip, port: 80)
        }
        func ep(_ ip: String, local: Bool = false) -> E { E(ip: ip, port: 80, isLocal: local) }
        let svc1 = port("ns1", "svc1", "172.30.0.41")
        var svc2 = port("ns2", "svc2", "172.30.0.42")
        svc2.nodePort = 3001; svc2.loadBalancerIPs = ["1.2.3.4"]; svc2.externalIPs = ["192.168.99.22"]
        svc2.externalPolicyLocal = true; svc2.healthCheckNodePort = 30000
        var svc3 = port("ns3", "svc3", "172.30.0.43")
        svc3.nodePort = 3003
        var svc4 = port("ns4", "svc4", "172.30.0.44")
        svc4.externalIPs = ["192.168.99.33"]
        var svc5 = port("ns5", "svc5", "172.30.0.45")
        svc5.nodePort = 3002; svc5.loadBalancerIPs = ["5.6.7.8"]; svc5.loadBalancerSourceRanges = [" 203.0.113.0/25"]
        svc5.stickyMaxAgeSeconds = 10800
        let svc6 = port("ns6", "svc6", "172.30.0.46")
        return [(svc1, [ep("10.180.0.1")]), (svc2, [ep("10.180.0.2")]), (svc3, [ep("10.180.0.3")]),
                (svc4, [ep("10.180.0.4"), ep("10.180.0.5", local: true)]), (svc5, [ep("10.180.0.3")]), (svc6, [])]
    }
}
