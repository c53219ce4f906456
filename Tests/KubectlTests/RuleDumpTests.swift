import ClusterEngine
import Foundation
import Testing
@testable import Kubectl

/// Golden rule dumps (issue 17): for each small cluster, what kube-proxy 1.33 writes on
/// svclab-worker in iptables mode (`rules NODE`: the restore input, pkg/proxy/iptables
/// syncProxyRules) and in nftables mode (`nft list table ip kube-proxy`, pkg/proxy/nftables).
/// The generators are ports of upstream's code, checked line by line against upstream's own
/// expectations (IPTablesProxierTests, NFTablesProxierTests); these dumps pin what they make of
/// whole clusters. `SVCLAB_UPDATE_RULES=1 swift test --filter RuleDumpTests` rewrites them.
struct RuleDumpTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("RuleDumps")

    static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 3
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            ports: [{name: http, containerPort: 80}, {name: metrics, containerPort: 9113}]
    """

    static func service(_ name: String, _ spec: String) -> String {
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: \(name)}\nspec:\n" + spec.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    /// The clusters: each a set of manifests over the Deployment above (or none).
    static let clusters: [(name: String, manifests: String)] = [
        ("clusterip", deployment + "\n" + service("web", "selector: {app: web}\nports: [{port: 80, targetPort: http}]")),
        ("multiport", deployment + "\n" + service("web", "selector: {app: web}\nports: [{name: http, port: 80, targetPort: http}, {name: metrics, port: 9113, targetPort: metrics}, {name: dns, port: 53, protocol: UDP, targetPort: 5353}]")),
        ("nodeport", deployment + "\n" + service("web", "type: NodePort\nselector: {app: web}\nports: [{port: 80, targetPort: http, nodePort: 30080}]")),
        ("loadbalancer", deployment + "\n" + service("web", "type: LoadBalancer\nselector: {app: web}\nloadBalancerSourceRanges: [203.0.113.0/24]\nports: [{port: 80, targetPort: http, nodePort: 30081}]")),
        ("externalname", service("db", "type: ExternalName\nexternalName: db.example.com")),
        ("affinity", deployment + "\n" + service("web", "selector: {app: web}\nsessionAffinity: ClientIP\nsessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}\nports: [{port: 80, targetPort: http}]")),
        ("local-policies", deployment + "\n" + service("web-ext", "type: NodePort\nexternalTrafficPolicy: Local\nselector: {app: web}\nports: [{port: 80, targetPort: http, nodePort: 30082}]")
            + service("web-int", "internalTrafficPolicy: Local\nselector: {app: web}\nports: [{port: 80, targetPort: http}]")),
        ("no-endpoints", service("nobody", "type: NodePort\nselector: {app: nobody}\nports: [{port: 80, nodePort: 30083}]")),
        ("dual-services", deployment + "\n" + service("web", "selector: {app: web}\nports: [{port: 80, targetPort: http}]")
            + service("web-metrics", "selector: {app: web}\nports: [{port: 9113, targetPort: metrics}]")),
        ("endpointslices-by-hand", service("external-db", "ports: [{name: pg, port: 5432}]") + """
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: external-db-1
              labels: {kubernetes.io/service-name: external-db}
            addressType: IPv4
            ports: [{name: pg, port: 5432, protocol: TCP}]
            endpoints:
            - addresses: [192.0.2.10]
              conditions: {ready: true}
            - addresses: [192.0.2.11]
              conditions: {ready: false}

            """),
    ]

    static func dump(_ manifests: String, mode: ProxyMode) -> String {
        let session = Session.empty(seed: 1, nodes: 3, proxyMode: mode)
        let out = session.apply([(manifests, "cluster.yaml")], explicitNamespace: nil, defaultNamespace: "default")
        precondition(out.exitCode == 0, out.stderr)
        session.cluster.advance(bySeconds: 60)
        switch mode {
        case .iptables: return session.cluster.kubeProxyRules(node: "svclab-worker") ?? ""
        case .nftables: return session.cluster.kubeProxyNFTable(node: "svclab-worker")?.listText ?? ""
        }
    }

    @Test(arguments: clusters.map(\.name))
    func dumpsMatch(_ name: String) throws {
        let manifests = try #require(Self.clusters.first { $0.name == name }).manifests
        for mode in ProxyMode.allCases {
            let text = Self.dump(manifests, mode: mode)
            let url = Self.directory.appendingPathComponent("\(name).\(mode.rawValue).txt")
            if ProcessInfo.processInfo.environment["SVCLAB_UPDATE_RULES"] == "1" {
                try text.write(to: url, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: url, encoding: .utf8)
            #expect(text == expected, "\(name) (\(mode.rawValue)) differs from RuleDumps/\(url.lastPathComponent)")
        }
    }

    /// What the dumps must show, said outright (so a golden rewritten by mistake still fails).
    @Test func theDumpsSayWhatEachClusterIsAbout() throws {
        func golden(_ file: String) throws -> String { try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8) }
        #expect(try golden("externalname.iptables.txt").contains("default/db") == false)
        #expect(try golden("externalname.nftables.txt").contains("default/db") == false)
        #expect(try golden("no-endpoints.iptables.txt").contains("\"default/nobody has no endpoints\" -m tcp -p tcp -d"))
        #expect(try golden("no-endpoints.nftables.txt").contains("comment \"default/nobody\" : goto reject-chain"))
        #expect(try golden("affinity.iptables.txt").contains("--rcheck --seconds 600 --reap"))
        #expect(try golden("affinity.nftables.txt").contains("timeout 10m"))
        #expect(try golden("loadbalancer.iptables.txt").contains("-s 203.0.113.0/24 -j KUBE-EXT-"))
        #expect(try golden("loadbalancer.nftables.txt").contains("ip saddr != 203.0.113.0/24 drop"))
        #expect(try golden("local-policies.iptables.txt").contains("KUBE-SVL-"))
        #expect(try golden("local-policies.nftables.txt").contains("chain local-"))
        #expect(try golden("endpointslices-by-hand.iptables.txt").contains("DNAT --to-destination 192.0.2.10:5432"))
        #expect(try golden("endpointslices-by-hand.iptables.txt").contains("192.0.2.11") == false)
        #expect(try golden("multiport.nftables.txt").contains(". udp . 53 : goto service-"))
    }
}
