import ClusterModel
import Testing
@testable import ClusterEngine

/// DNS, kube-proxy and the simulated apps (reference §4–5).
struct NetworkTests {
    func lab() throws -> Cluster {
        let c = makeCluster()
        // An image the catalogue does not know: it serves on the ports it declares.
        try create(c, deployment("web", replicas: 3).replacingOccurrences(of: "nginx:1.27", with: "ghcr.io/svclab/web:1.0"))
        try create(c, service("web", selector: "{app: web}"))
        try create(c, """
        apiVersion: v1
        kind: Service
        metadata: {name: web-headless}
        spec:
          clusterIP: None
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: ext}
        spec: {type: ExternalName, externalName: example.com}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty-headless}
        spec:
          clusterIP: None
          selector: {app: nothing}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, labels: {run: client}}
        spec: {containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]}
        """)
        c.advance(bySeconds: 60)
        return c
    }

    @Test func dnsNameTable() throws {
        let c = try lab()
        let ip = c.services.get("default", "web")!.spec.clusterIP
        let podIPs = c.pods.list(namespace: "default").filter { $0.metadata.labels["app"] == "web" }.map(\.status.podIP)
            .sorted { IPv4.parse($0)! < IPv4.parse($1)! }
        let table: [(String, DNSQueryType, DNSAnswer.Code, [String])] = [
            ("web.default.svc.cluster.local", .a, .noError, [ip]),
            ("WEB.default.svc.cluster.local.", .a, .noError, [ip]),
            ("web.default.svc.cluster.local", .aaaa, .noError, []),
            ("web.other.svc.cluster.local", .a, .nxDomain, []),
            ("nope.default.svc.cluster.local", .a, .nxDomain, []),
            ("web-headless.default.svc.cluster.local", .a, .noError, podIPs),
            ("empty-headless.default.svc.cluster.local", .a, .nxDomain, []),
            ("\(podIPs[0].replacingOccurrences(of: ".", with: "-")).web-headless.default.svc.cluster.local", .a, .noError, [podIPs[0]]),
            ("10-9-9-9.web-headless.default.svc.cluster.local", .a, .nxDomain, []),
            ("10-244-1-77.default.pod.cluster.local", .a, .noError, ["10.244.1.77"]),
            ("default.svc.cluster.local", .a, .noError, []),
            ("nons.svc.cluster.local", .a, .nxDomain, []),
            ("example.com", .a, .noError, ["172.66.147.243", "104.20.23.154"]),
            ("unknown.example", .a, .nxDomain, []),
        ]
        for (name, type, code, addresses) in table {
            let answer = c.dnsQuery(name, type)
            #expect(answer.code == code, "\(name) \(type)")
            #expect(answer.addresses == addresses, "\(name) \(type)")
        }
        #expect(c.dnsQuery("_http._tcp.web.default.svc.cluster.local", .srv).records == [
            .srv(name: "_http._tcp.web.default.svc.cluster.local", priority: 0, weight: 100, port: 80, target: "web.default.svc.cluster.local"),
        ])
        #expect(c.dnsQuery("_nope._tcp.web.default.svc.cluster.local", .srv).code == .nxDomain)
        #expect(c.dnsQuery("ext.default.svc.cluster.local", .a).records == [.cname(name: "ext.default.svc.cluster.local", target: "example.com")])
    }

    @Test func searchPathOrderAndNdots() throws {
        let c = try lab()
        let short = c.resolve("web", namespace: "default")
        #expect(short.queries.map(\.name) == ["web.default.svc.cluster.local"])
        let crossNamespace = c.resolve("web.default", namespace: "kube-system")
        #expect(crossNamespace.queries.map(\.name) == ["web.default.kube-system.svc.cluster.local", "web.default.svc.cluster.local"])
        let missing = c.resolve("nope", namespace: "default")
        #expect(missing.queries.map(\.name) == ["nope.default.svc.cluster.local", "nope.svc.cluster.local", "nope.cluster.local", "nope"])
        #expect(missing.answered == nil)
        let absolute = c.resolve("web.default.svc.cluster.local.", namespace: "default")
        #expect(absolute.queries.map(\.name) == ["web.default.svc.cluster.local"])
        let external = c.resolve("ext", namespace: "default")
        #expect(external.addresses == ["172.66.147.243", "104.20.23.154"])
        #expect(external.cnames.map(\.1) == ["example.com"])
    }

    /// The statistic rules give every endpoint 1/n of new connections.
    @Test(arguments: [1, 2, 3, 5])
    func iptablesProbabilitiesSpreadEvenly(replicas: Int) throws {
        let c = makeCluster(seed: UInt64(replicas))
        try create(c, deployment("web", replicas: replicas))
        try create(c, service("web", selector: "{app: web}"))
        c.advance(bySeconds: 60)
        let svc = c.services.get("default", "web")!
        let n = 6000
        var hits: [String: Int] = [:]
        for _ in 0..<n {
            guard case let .forwarded(e, _) = c.route(to: svc, port: svc.spec.ports[0], clientIP: "10.244.9.9", node: "svclab-worker", external: false) else {
                Issue.record("no endpoint"); return
            }
            hits[e.address, default: 0] += 1
        }
        #expect(hits.count == replicas)
        let expected = Double(n) / Double(replicas)
        for (_, h) in hits { #expect(abs(Double(h) - expected) < expected * 0.1, "each endpoint gets about 1/\(replicas)") }
    }

    @Test func clientIPAffinityPinsUntilTheTimeoutPasses() throws {
        let c = try lab()
        var svc = c.services.get("default", "web")!
        svc.spec.sessionAffinity = .clientIP
        svc.spec.sessionAffinityConfigSet = true
        svc.spec.sessionAffinityTimeout = 60
        try c.update(.service(svc))
        svc = c.services.get("default", "web")!
        func pick(_ client: String = "10.244.9.9") -> (String, EndpointChoice)? {
            guard case let .forwarded(e, choice) = c.route(to: svc, port: svc.spec.ports[0], clientIP: client, node: "svclab-worker", external: false) else { return nil }
            return (e.address, choice)
        }
        let first = try #require(pick())
        for _ in 0..<20 {
            c.advance(bySeconds: 30)   // each request refreshes the pin
            let next = try #require(pick())
            #expect(next.0 == first.0)
            #expect(next.1 == .affinity(expiresIn: 60_000))
        }
        c.advance(bySeconds: 61)
        let afterQuiet = try #require(pick())
        guard case .random = afterQuiet.1 else { Issue.record("expected a fresh random choice after the timeout"); return }
        // Another client is balanced on its own.
        #expect(pick("10.244.8.8") != nil)
    }

    @Test func failuresHaveTheirOwnShape() throws {
        let c = try lab()
        let client = c.pods.get("default", "client")!
        func outcome(_ url: String) -> RequestOutcome { c.request(from: client, url: RequestTarget.parse(url)!, connectTimeout: 5000).outcome }
        guard case let .reply(reply, servedBy) = outcome("http://web") else { Issue.record("no reply"); return }
        #expect(reply.status == 200)
        #expect(reply.body == "<!DOCTYPE html>\n<html>\n<body>Hello from web!</body>\n</html>\n")
        #expect(servedBy?.name.hasPrefix("web-") == true)
        #expect(outcome("http://nope") == .unresolved)
        #expect(outcome("http://web:81") == .timedOut)                      // no rule for that port
        #expect(outcome("http://empty-headless") == .unresolved)            // headless, no ready endpoints
        try c.scale(kind: "Deployment", namespace: "default", name: "web", replicas: 0)
        c.advance(bySeconds: 60)
        #expect(outcome("http://web") == .refused)                          // REJECT
        #expect(c.dnsQuery("web.default.svc.cluster.local", .a).code == .noError)   // still resolves
    }

    @Test func serviceLinksAreFixedWhenTheContainerStarts() throws {
        let c = try lab()
        let client = c.pods.get("default", "client")!
        try create(c, service("later", selector: "{app: web}"))
        c.advance(bySeconds: 5)
        let env = c.containerEnvironment(pod: client, container: client.spec.containers[0]).map(\.0)
        #expect(env.contains("WEB_SERVICE_HOST"))
        #expect(env.contains("KUBERNETES_SERVICE_HOST"))
        #expect(!env.contains("LATER_SERVICE_HOST"), "a Service created after the pod started is not in its environment")
        #expect(!env.contains("WEB_HEADLESS_SERVICE_HOST"), "headless Services get no variables")
    }

    @Test func loadBalancerPoolAssignsAndReleases() throws {
        let c = makeCluster()
        try create(c, "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer, ports: [{port: 80}]}")
        try create(c, "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {type: LoadBalancer, ports: [{port: 80}]}")
        #expect(c.services.get("default", "a")!.loadBalancerIngress.map(\.ip) == ["172.18.255.200"])
        #expect(c.services.get("default", "b")!.loadBalancerIngress.map(\.ip) == ["172.18.255.201"])
        try c.delete(kind: "Service", namespace: "default", name: "a")
        try create(c, "apiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec: {type: LoadBalancer, ports: [{port: 80}]}")
        #expect(c.services.get("default", "d")!.loadBalancerIngress.map(\.ip) == ["172.18.255.200"])

        var config = Cluster.Config()
        config.loadBalancerPool = nil
        let bare = Cluster.bootstrapped(config: config, settleSeconds: 60)
        try create(bare, "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer, ports: [{port: 80}]}")
        #expect(bare.services.get("default", "a")!.loadBalancerIngress.isEmpty, "no pool: EXTERNAL-IP stays <pending>")
    }

    @Test func nginxPageIsTheReal615Bytes() {
        #expect(AppProfile.nginxPage.utf8.count == 615)
    }

    /// nginx listens on 80 whatever containerPort says: a Service aimed at 8080 is refused at the pod.
    @Test func declaredPortsDoNotMakeNginxListen() throws {
        let c = try lab()
        try create(c, deployment("ngx", replicas: 1))   // nginx:1.27 declaring containerPort 8080
        try create(c, service("ngx", selector: "{app: ngx}"))
        try create(c, service("ngx80", selector: "{app: ngx}", ports: "[{port: 80, targetPort: 80}]"))
        c.advance(bySeconds: 60)
        let client = c.pods.get("default", "client")!
        let refused = c.request(from: client, url: RequestTarget.parse("http://ngx")!)
        #expect(refused.outcome == .refused)
        guard case let .notListening(_, port, listening)? = refused.hops.last?.reason else { Issue.record("expected notListening"); return }
        #expect(port == 8080 && listening == [80])
        guard case let .reply(reply, _) = c.request(from: client, url: RequestTarget.parse("http://ngx80")!).outcome else { Issue.record("no reply"); return }
        #expect(reply.headers.first?.1 == "nginx/1.27.5")
    }
}
