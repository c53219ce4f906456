import ClusterModel

/// One HTTP request from a pod, through DNS, kube-proxy's rules and the pod network, with
/// every hop recorded (DESIGN.md §5). The engine returns data; `Kubectl` prints curl's,
/// wget's and the trace's text from it.
public struct RequestTarget: Equatable, Sendable {
    public var scheme: String
    public var host: String
    public var port: Int
    public var path: String
    /// Whether the port was written in the URL (curl's Host header then carries it).
    public var explicitPort: Bool

    /// `http://host[:port][/path]`, `host:port`, `host` (curl's defaults: http, port 80).
    public static func parse(_ url: String) -> RequestTarget? {
        var rest = Substring(url)
        var scheme = "http"
        if let r = rest.range(of: "://") {
            scheme = rest[..<r.lowerBound].lowercased()
            rest = rest[r.upperBound...]
        }
        guard scheme == "http" || scheme == "https" else { return nil }
        let hostPort = rest.prefix { $0 != "/" && $0 != "?" }
        var path = String(rest.dropFirst(hostPort.count))
        if path.isEmpty { path = "/" }
        var host = String(hostPort)
        var port = scheme == "https" ? 443 : 80
        var explicit = false
        if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            port = p; explicit = true
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { return nil }
        return RequestTarget(scheme: scheme, host: host, port: port, path: path, explicitPort: explicit)
    }
}

/// Where a hop was observed (Hubble's observation points, plus DNS).
public enum HopPoint: String, Sendable {
    case dnsQuery = "dns-query"
    case svcLookup = "svc-lookup"
    case postXlate = "post-xlate"
    case toEndpoint = "to-endpoint"
    case toNetwork = "to-network"
    case reply = "reply"
}

public enum HopVerdict: String, Sendable {
    case traced = "TRACED", translated = "TRANSLATED", forwarded = "FORWARDED", dropped = "DROPPED", rejected = "REJECTED"
}

/// Why a hop went the way it did.
public enum HopReason: Equatable, Sendable {
    case dns(DNSQuery)
    case service(name: String, node: String, ready: Int, terminatingOnly: Bool)
    /// trafficDistribution PreferClose: kube-proxy on `node` keeps the endpoints hinted for its zone.
    case topology(zone: String, node: String, kept: Int, ready: Int)
    /// kube-proxy's choice, and the chains the packet went through (`rulePath`).
    case choice(EndpointChoice, rules: String)
    case nodePort(node: String, port: Int, policy: String, fromPod: Bool)
    case loadBalancer(ip: String, node: String, announced: Bool)
    case direct
    case onNode(String)
    case httpReply(status: Int, reason: String, bytes: Int)
    case closedWithoutReply
    case noEndpoints(String)          // REJECT rule comment
    case noLocalEndpoints(String)     // DROP rule comment
    /// loadBalancerSourceRanges: the client's address is in none of them (KUBE-FW / firewall-).
    case sourceRangeDrop(service: String, ranges: [String], rule: String)
    case portNotInService(service: String, port: Int, ports: [Int])
    case notListening(pod: String, port: Int, listening: [Int])
    case podNotRunning(pod: String, phase: String)
    case noRoute(ip: String)
    case nothingOnNodePort(node: String, port: Int)
    /// kube-proxy's service health server on a healthCheckNodePort (externalTrafficPolicy
    /// Local): it counts the Service's ready endpoints on this node.
    case healthCheck(service: String, node: String, localEndpoints: Int)
}

public struct TraceHop: Equatable, Sendable {
    public var time: Millis
    public var point: HopPoint
    public var verdict: HopVerdict
    /// `namespace/name` of the client pod, or an address.
    public var source: String
    /// `namespace/name:port` of what the packet is addressed to at this hop.
    public var destination: String
    public var destinationIP: String
    public var reason: HopReason
}

public enum RequestOutcome: Equatable, Sendable {
    case reply(HTTPReply, servedBy: ObjectKey?)
    /// Could not resolve the host (curl 6).
    case unresolved
    /// Connection refused (curl 7): a REJECT rule or nothing listening at the pod.
    case refused
    /// No answer at all (curl 28): DROP, or no rule for that port.
    case timedOut
    /// Connected, but the peer closed without an HTTP reply (curl 52).
    case emptyReply
}

public struct RequestResult: Equatable, Sendable {
    public var target: RequestTarget
    public var outcome: RequestOutcome
    public var hops: [TraceHop]
    /// The address curl connected (or tried to connect) to.
    public var connectIP: String?
    public var clientIP: String
    public var clientPort: Int
    /// The conntrack entry the connection left, and on which node (`trace -v`).
    public var conntrack: TrackedConnection?
    /// Simulated time the request took, in milliseconds.
    public var elapsed: Millis
    public var resolution: DNSResolution?
}

/// Who sends a request: a pod, or the machine the cluster runs on (kind's Docker host), which
/// reaches node IPs and LoadBalancer addresses but not ClusterIPs or pod IPs.
public enum RequestClient: Sendable {
    case pod(Pod)
    case host

    /// The Docker bridge gateway of kind's network.
    public static let hostIP = "172.18.0.1"
}

extension Cluster {
    public func request(from pod: Pod, url target: RequestTarget, connectTimeout: Millis? = nil) -> RequestResult {
        request(from: .pod(pod), url: target, connectTimeout: connectTimeout)
    }

    /// What the client's kernel gives up after with no answer to its SYNs (tcp_syn_retries=6).
    public static let synTimeout: Millis = 134_000

    /// Sends one HTTP GET from `client` and advances the virtual clock by the time it takes.
    /// `connectTimeout` stops a connection attempt (curl `--connect-timeout`, `-m`).
    public func request(from client: RequestClient, url target: RequestTarget, connectTimeout: Millis? = nil) -> RequestResult {
        let start = clock.now
        var t = start
        let clientPod: Pod? = if case let .pod(p) = client { p } else { nil }
        let clientName = clientPod.map { "\($0.metadata.namespace)/\($0.metadata.name)" } ?? "host"
        let clientIP = clientPod?.status.podIP ?? RequestClient.hostIP
        let clientPort = 32768 + Int(networkRNG.next() % 28000)
        var hops: [TraceHop] = []
        func hop(_ point: HopPoint, _ verdict: HopVerdict, _ dest: String, _ ip: String, _ reason: HopReason) {
            hops.append(TraceHop(time: t, point: point, verdict: verdict, source: clientName, destination: dest, destinationIP: ip, reason: reason))
        }
        func step(_ range: ClosedRange<Int64>) { t += networkRNG.int64(in: range) }
        var result = RequestResult(target: target, outcome: .timedOut, hops: [], connectIP: nil, clientIP: clientIP, clientPort: clientPort, elapsed: 0, resolution: nil)
        // The connection's conntrack entry, completed when the request ends (its state depends
        // on how it ended): on the node whose rules translated it.
        var tracked: (node: String, entry: ConntrackEntry)?
        /// The source the endpoint sees: the client's, or the node's after MASQUERADE.
        var seenSource: (ip: String, port: Int) { tracked.map { ($0.entry.reply.dst, $0.entry.reply.dport) } ?? (clientIP, clientPort) }
        func finish(_ outcome: RequestOutcome) -> RequestResult {
            if let node = tracked?.node, var entry = tracked?.entry {
                switch outcome {
                case .reply, .emptyReply: entry.state = "TIME_WAIT"; entry.assured = true; entry.expires = t + Self.conntrackTimeWait
                case .refused: entry.state = "CLOSE"; entry.expires = t + Self.conntrackClose
                case .timedOut, .unresolved: entry.state = "SYN_SENT"; entry.unreplied = true; entry.expires = start + Self.conntrackSynSent
                }
                recordConntrack(node: node, entry)
                result.conntrack = TrackedConnection(node: node, entry: entry)
            }
            result.outcome = outcome
            result.hops = hops
            result.elapsed = t - start
            advance(to: t)
            return result
        }

        // 1. The name: an address as is, anything else through the pod's resolver.
        var ip = target.host
        if IPv4.parse(target.host) == nil {
            // The host's resolver knows nothing of cluster.local: only the upstream answers.
            let resolution = clientPod.map { resolve(target.host, namespace: $0.metadata.namespace) }
                ?? DNSResolution(queries: [DNSQuery(name: target.host, type: .a, answer: dnsQuery(target.host.hasSuffix(Self.clusterDomain) || target.host.hasSuffix(Self.clusterDomain + ".") ? "invalid." : target.host, .a))],
                                 answered: nil, addresses: [], cnames: [])
            var resolved = resolution
            if clientPod == nil, let q = resolution.queries.first, q.answer.code == .noError, !q.answer.addresses.isEmpty {
                resolved.answered = q; resolved.addresses = q.answer.addresses
            }
            result.resolution = resolved
            for (i, q) in resolved.queries.enumerated() {
                step(0...1)
                if let pod = clientPod { trackDNSQuery(from: pod, sport: 32768 + (clientPort + 1 + i) % 28232, at: t) }
                // Pods ask CoreDNS; the host asks its own resolver (systemd-resolved), which forwards upstream.
                hop(.dnsQuery, q.answer.code == .noError && !q.answer.records.isEmpty ? .forwarded : .dropped,
                    clientPod != nil ? "kube-system/kube-dns:53" : "resolver:53", clientPod != nil ? Self.dnsServiceIP : "127.0.0.53", .dns(q))
            }
            guard let first = resolved.addresses.first else { return finish(.unresolved) }
            ip = first
        }
        result.connectIP = ip
        step(0...1)

        // 2. The destination address: a Service's virtual IP, a node, a pod, or nothing.
        let timeout = connectTimeout ?? Self.synTimeout
        func timedOut() -> RequestResult { t = max(t, start + timeout); return finish(.timedOut) }
        let clientNode = clientPod?.spec.nodeName ?? ""
        var endpoint: (ip: String, port: Int, pod: ObjectKey?)
        switch owner(of: ip) {
        case let .service(key)?:
            guard let svc = services.get(key) else { return timedOut() }
            let svcName = "\(key.namespace)/\(key.name)"
            let isLB = svc.loadBalancerIngress.contains { $0.ip == ip } || svc.spec.externalIPs.contains(ip)
            guard let port = svc.spec.ports.first(where: { $0.port == target.port && $0.proto == .tcp }) else {
                hop(.svcLookup, .dropped, "\(svcName):\(target.port)", ip, .portNotInService(service: svcName, port: target.port, ports: svc.spec.ports.map(\.port)))
                return timedOut()
            }
            guard isLB || clientPod != nil else {
                // A ClusterIP exists only in the nodes' iptables rules: from outside there is no route.
                hop(.toNetwork, .dropped, "\(svcName):\(target.port)", ip, .noRoute(ip: ip))
                return timedOut()
            }
            var node = clientNode
            if isLB {
                // MetalLB layer 2: one node answers ARP for the address and its rules take the
                // traffic; a pod's own node catches the address before it leaves.
                if clientPod == nil { node = announcingNode(for: svc) }
                hop(.svcLookup, .traced, "\(svcName):\(target.port)", ip, .loadBalancer(ip: ip, node: node, announced: clientPod == nil))
            }
            // loadBalancerSourceRanges: a LoadBalancer address only takes clients from those
            // ranges (KUBE-FW falls through and KUBE-PROXY-FIREWALL drops; nftables' firewall-
            // chain drops) — only while there are endpoints, else the REJECT comes first.
            let ranges = svc.spec.loadBalancerSourceRanges.map { $0.trimmingCharacters(in: .whitespaces) }
            if svc.loadBalancerIngress.contains(where: { $0.ip == ip }), !ranges.isEmpty,
               proxyEndpoints(svc, port).contains(where: { $0.ready || ($0.serving && $0.terminating) }),
               !ranges.contains(where: { IPv4.cidrContains($0, clientIP) }) {
                let info = KubeProxyInputs.ServicePortInfo(namespace: svc.metadata.namespace, name: svc.metadata.name, portName: port.name,
                                                           proto: port.proto.rawValue, clusterIP: svc.spec.clusterIP, port: port.port)
                let rule = proxyMode == .nftables ? "\(NFTablesProxier.firewallChain(info)): ip saddr != { \(ranges.joined(separator: ", ")) } drop"
                    : "KUBE-PROXY-FIREWALL: \"\(info.nameString) traffic not accepted by \(IPTablesProxier.firewallChain(info))\" -j DROP"
                hop(.svcLookup, .dropped, "\(svcName):\(target.port)", ip, .sourceRangeDrop(service: svcName, ranges: ranges, rule: rule))
                return timedOut()
            }
            // A pod's traffic to an external address is short-circuited to the cluster-wide rules.
            let route = self.route(to: svc, port: port, clientIP: clientIP, node: node, external: isLB, fromPod: clientPod != nil)
            let ready = proxyEndpoints(svc, port).filter { $0.ready }.count
            switch route {
            case let .rejected(comment):
                hop(.svcLookup, .rejected, "\(svcName):\(target.port)", ip, .noEndpoints(comment))
                step(0...2)
                return finish(.refused)
            case let .dropped(comment):
                hop(.svcLookup, .dropped, "\(svcName):\(target.port)", ip, .noLocalEndpoints(comment))
                return timedOut()
            case let .forwarded(e, choice):
                if case .terminatingFallback = choice {
                    hop(.svcLookup, .traced, "\(svcName):\(target.port)", ip, .service(name: Self.servicePortName(svc, port), node: node, ready: 0, terminatingOnly: true))
                } else {
                    hop(.svcLookup, .traced, "\(svcName):\(target.port)", ip, .service(name: Self.servicePortName(svc, port), node: node, ready: ready, terminatingOnly: false))
                    let local = isLB ? (svc.spec.externalTrafficPolicy == "Local" && clientPod == nil) : svc.spec.internalTrafficPolicy == "Local"
                    if !local, let narrowed = topologyNarrowing(svc, port, node: node) {
                        hop(.svcLookup, .traced, "\(svcName):\(target.port)", ip, .topology(zone: narrowed.zone, node: node, kept: narrowed.kept, ready: narrowed.ready))
                    }
                }
                step(0...1)
                let entry: KubeProxyEntry = isLB ? (svc.spec.externalIPs.contains(ip) ? .externalIP : .loadBalancer) : .clusterIP
                hop(.postXlate, .translated, podLabel(e.pod, e.port), e.ip, .choice(choice, rules: rulePath(svc, port, e, choice, entry: entry, fromPod: clientPod != nil)))
                endpoint = (e.ip, e.port, e.pod)
                // KUBE-MARK-MASQ: from outside the pod network, external traffic under Cluster
                // policy, or a pod reaching itself through its Service (hairpin).
                let masquerade = e.ip == clientIP || (isLB ? svc.spec.externalTrafficPolicy != "Local" : !IPv4.cidrContains(Self.podNetworkCIDR, clientIP))
                tracked = (node, natEntry(clientIP: clientIP, clientPort: clientPort, dst: ip, dport: target.port, endpoint: e, masqueradeAs: masquerade ? nodes.get("", node)?.internalIP : nil))
            }
        case let .node(nodeName)?:
            if service(nodePort: target.port, proto: .tcp) == nil, let svc = healthCheckService(port: target.port) {
                let name = "\(svc.metadata.namespace)/\(svc.metadata.name)"
                let local = localReadyEndpoints(svc, node: nodeName)
                hop(.toNetwork, .traced, "\(nodeName):\(target.port)", ip, .healthCheck(service: name, node: nodeName, localEndpoints: local))
                step(0...1)
                let reply = Self.healthCheckReply(svc, localEndpoints: local, date: Self.httpDate(t))
                hop(.reply, .forwarded, "\(nodeName):\(target.port)", ip, .httpReply(status: reply.status, reason: reply.reason, bytes: reply.body.utf8.count))
                return finish(.reply(reply, servedBy: nil))
            }
            guard let svc = service(nodePort: target.port, proto: .tcp), let port = svc.spec.ports.first(where: { $0.nodePort == target.port && $0.proto == .tcp }) else {
                hop(.toNetwork, .rejected, "\(nodeName):\(target.port)", ip, .nothingOnNodePort(node: nodeName, port: target.port))
                step(0...2)
                return finish(.refused)
            }
            let svcName = "\(svc.metadata.namespace)/\(svc.metadata.name)"
            hop(.svcLookup, .traced, "\(svcName):\(port.port)", ip, .nodePort(node: nodeName, port: target.port, policy: svc.spec.externalTrafficPolicy ?? "Cluster", fromPod: clientPod != nil))
            switch self.route(to: svc, port: port, clientIP: clientIP, node: nodeName, external: true, fromPod: clientPod != nil) {
            case let .rejected(comment):
                hop(.svcLookup, .rejected, "\(svcName):\(port.port)", ip, .noEndpoints(comment))
                step(0...2)
                return finish(.refused)
            case let .dropped(comment):
                hop(.svcLookup, .dropped, "\(svcName):\(port.port)", ip, .noLocalEndpoints(comment))
                return timedOut()
            case let .forwarded(e, choice):
                step(0...1)
                let local = svc.spec.externalTrafficPolicy == "Local" && clientPod == nil
                if !local, case .random = choice, let narrowed = topologyNarrowing(svc, port, node: nodeName) {
                    hop(.svcLookup, .traced, "\(svcName):\(port.port)", ip, .topology(zone: narrowed.zone, node: nodeName, kept: narrowed.kept, ready: narrowed.ready))
                }
                hop(.postXlate, .translated, podLabel(e.pod, e.port), e.ip, .choice(choice, rules: rulePath(svc, port, e, choice, entry: .nodePort, fromPod: clientPod != nil)))
                endpoint = (e.ip, e.port, e.pod)
                // Cluster policy masquerades all NodePort traffic; Local keeps the client's address.
                let masquerade = svc.spec.externalTrafficPolicy != "Local" || e.ip == clientIP
                tracked = (clientPod?.spec.nodeName ?? nodeName, natEntry(clientIP: clientIP, clientPort: clientPort, dst: ip, dport: target.port, endpoint: e,
                                                                           masqueradeAs: masquerade ? nodes.get("", nodeName)?.internalIP : nil))
            }
        case let .pod(key)?:
            guard clientPod != nil else {
                hop(.toNetwork, .dropped, podLabel(key, target.port), ip, .noRoute(ip: ip))
                return timedOut()
            }
            hop(.toEndpoint, .traced, podLabel(key, target.port), ip, .direct)
            endpoint = (ip, target.port, key)
            // No NAT: both directions carry the pods' own addresses.
            tracked = (clientNode, ConntrackEntry(proto: "tcp", original: .init(src: clientIP, dst: ip, sport: clientPort, dport: target.port),
                                                  reply: .init(src: ip, dst: clientIP, sport: target.port, dport: clientPort), expires: t))
        case nil:
            hop(.toNetwork, .dropped, ip, ip, .noRoute(ip: ip))
            return timedOut()
        }

        // 3. The pod network to the endpoint, and the app behind it.
        step(0...2)
        guard let podKey = endpoint.pod, let pod = pods.get(podKey) else {
            hop(.toEndpoint, .dropped, "\(endpoint.ip):\(endpoint.port)", endpoint.ip, .noRoute(ip: endpoint.ip))
            return timedOut()
        }
        let running = pod.status.containerStatuses.contains { if case .running = $0.state { return true }; return false }
        guard running else {
            hop(.toEndpoint, .rejected, podLabel(podKey, endpoint.port), endpoint.ip, .podNotRunning(pod: pod.metadata.name, phase: pod.status.phase.rawValue))
            return finish(.refused)
        }
        let profiles = pod.spec.containers.map(AppProfile.init(container:))
        guard let app = profiles.first(where: { $0.listens(on: endpoint.port) }) else {
            hop(.toEndpoint, .rejected, podLabel(podKey, endpoint.port), endpoint.ip,
                .notListening(pod: pod.metadata.name, port: endpoint.port, listening: profiles.flatMap(\.ports).sorted()))
            return finish(.refused)
        }
        hop(.toEndpoint, .forwarded, podLabel(podKey, endpoint.port), endpoint.ip, .onNode(pod.spec.nodeName))
        step(1...4)
        let healthy = kubelet.runtime[podKey]?.probeHealthy ?? true
        let hostHeader = target.explicitPort ? "\(target.host):\(target.port)" : target.host
        let source = seenSource
        switch app.answer(path: target.path, host: hostHeader, pod: pod, clientIP: source.ip, clientPort: source.port, date: Self.httpDate(t), healthy: healthy) {
        case .closes:
            hop(.reply, .forwarded, podLabel(podKey, endpoint.port), endpoint.ip, .closedWithoutReply)
            return finish(.emptyReply)
        case let .http(reply):
            // The app's access log (what `kubectl logs` shows: which pod answered).
            if let i = profiles.firstIndex(where: { $0.listens(on: endpoint.port) }),
               let line = AppLogs.accessLine(kind: app.kind, clientIP: source.ip, path: target.path, status: reply.status, bytes: reply.body.utf8.count, at: t) {
                appendLog(podKey, container: pod.spec.containers[i].name, line)
            }
            hop(.reply, .forwarded, podLabel(podKey, endpoint.port), endpoint.ip, .httpReply(status: reply.status, reason: reply.reason, bytes: reply.body.utf8.count))
            return finish(.reply(reply, servedBy: podKey))
        }
    }

    /// The entry a DNAT'ed connection leaves: the reply comes from the endpoint, to the client
    /// — or to the node's address when the packet was masqueraded (with another port).
    private func natEntry(clientIP: String, clientPort: Int, dst: String, dport: Int, endpoint e: ServiceEndpoint, masqueradeAs nodeIP: String?) -> ConntrackEntry {
        ConntrackEntry(proto: "tcp", original: .init(src: clientIP, dst: dst, sport: clientPort, dport: dport),
                       reply: .init(src: e.ip, dst: nodeIP ?? clientIP, sport: e.port, dport: nodeIP == nil ? clientPort : Self.masqueradePort(clientPort)),
                       expires: clock.now)
    }

    /// A pod's DNS query to the cluster DNS Service: a UDP entry on its node, answered by one of
    /// CoreDNS's endpoints (which one follows from the query's port; no random draw, so traces
    /// stay as they were).
    private func trackDNSQuery(from pod: Pod, sport: Int, at t: Millis) {
        guard let dns = services.get("kube-system", "kube-dns"), let port = dns.spec.ports.first(where: { $0.proto == .udp }) else { return }
        let ready = proxyEndpoints(dns, port).filter(\.ready)
        guard !ready.isEmpty else { return }
        let e = ready[sport % ready.count]
        recordConntrack(node: pod.spec.nodeName, ConntrackEntry(proto: "udp", original: .init(src: pod.status.podIP, dst: Self.dnsServiceIP, sport: sport, dport: 53),
                                                                reply: .init(src: e.ip, dst: pod.status.podIP, sport: e.port, dport: sport), expires: t + Self.conntrackUDP))
    }

    private func podLabel(_ key: ObjectKey?, _ port: Int) -> String {
        guard let key else { return "?:\(port)" }
        return "\(key.namespace)/\(key.name):\(port)"
    }

    /// The node that answers for a LoadBalancer address (layer 2: one per Service, stable).
    func announcingNode(for svc: Service) -> String {
        let candidates = nodeOrder.filter { name in nodes.get("", name).map { !$0.unschedulable && $0.ready && $0.taints.isEmpty } ?? false }
        guard !candidates.isEmpty else { return nodeOrder.first ?? "" }
        var h: UInt32 = 2_166_136_261
        for b in "\(svc.metadata.namespace)/\(svc.metadata.name)".utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return candidates[Int(h % UInt32(candidates.count))]
    }

    /// RFC 7231 IMF-fixdate (`Sun, 01 Jun 2025 12:05:00 GMT`).
    public static func httpDate(_ ms: Millis) -> String {
        let t = CivilTime(ms)
        return "\(t.weekday), \(two(t.day)) \(t.month) \(t.year) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) GMT"
    }

    /// C's ctime() in UTC (`Tue Dec  1 03:25:48 2026`), as iptables-save dates its dumps.
    public static func ctimeDate(_ ms: Millis) -> String {
        let t = CivilTime(ms)
        let day = t.day < 10 ? " \(t.day)" : "\(t.day)"
        return "\(t.weekday) \(t.month) \(day) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) \(t.year)"
    }

    private static func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// A virtual-clock instant as a UTC calendar date (civil-from-days, Howard Hinnant).
struct CivilTime {
    let year, day, hour, minute, second: Int64
    let weekday, month: String
    init(_ ms: Millis) {
        let secs = ms / 1000
        let days = secs / 86400
        let rem = secs % 86400
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        day = d; hour = rem / 3600; minute = rem % 3600 / 60; second = rem % 60
        weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(days % 7)]
        month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Int(m - 1)]
    }
}
