import ClusterEngine
import ClusterModel
import Foundation

/// One line of a trace or traffic report and what it says, so a screen can colour and shorten
/// it without reading its words.
public struct TraceLine: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case plain
        /// A hop that only confirms the usual (a pod reached, a Service with ready endpoints, a
        /// NXDOMAIN on the way to the right name): hidden first when room is short — lower
        /// `tier` first.
        case routine(tier: Int)
        /// Something refused, dropped or unanswered.
        case failure
        /// The request was answered.
        case success
    }
    public var text: String
    public var kind: Kind
    public init(_ text: String, _ kind: Kind = .plain) { self.text = text; self.kind = kind }
}

/// What `traffic` measured, as values: its rows and its summary.
public struct TrafficReport: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public var pod: String
        public var node: String
        public var endpoint: String
        public var hits: Int
        /// Percent of all requests, rounded.
        public var share: Int
    }
    /// Busiest first.
    public var rows: [Row]
    public var summary: String
    public var answered: Int
}

/// `trace [--from POD] URL` and `traffic [--from POD] [-n N] URL`: svclab's own words for
/// seeing a request's route hop by hop (DESIGN.md §5) and how kube-proxy spreads many of them.
/// Each run also leaves its lines as values (`Session.lastTrace`, `Session.lastTraffic`) for the lab.
extension Session {
    func runTrace(_ args: [String], traffic: Bool) -> CommandOutput {
        var out = CommandOutput()
        let word = traffic ? "traffic" : "trace"
        var from: String?
        var verbose = false
        var count = 100
        var url: String?
        var i = 0
        while i < args.count {
            let a = args[i]
            switch a {
            case "--from", "-f": i += 1; from = args.indices.contains(i) ? args[i] : nil
            case "-v", "--verbose" where !traffic: verbose = true
            case "-n", "--requests":
                i += 1
                guard traffic, args.indices.contains(i), let n = Int(args[i]), (1...10_000).contains(n) else {
                    out.fail("\(word): -n takes a number of requests from 1 to 10000"); return out
                }
                count = n
            default:
                if a.hasPrefix("--from=") { from = String(a.dropFirst(7)) }
                else if a.hasPrefix("-") { out.fail("\(word): unknown flag \(a)\nusage: \(word) [--from POD|host]\(traffic ? " [-n N]" : "") URL"); return out }
                else { url = a }
            }
            i += 1
        }
        guard let url, let target = RequestTarget.parse(url) else {
            out.fail("usage: \(word) [--from POD|host]\(traffic ? " [-n N]" : "") URL   (e.g. \(word) --from my-pod http://my-app)")
            return out
        }
        let client: RequestClient
        if from == "host" {
            client = .host
        } else {
            switch clientPod(from) {
            case let .failure(f): out.fail("\(word): " + f.message); return out
            case let .success(p): client = .pod(p)
            }
        }
        if traffic { return runTraffic(client: client, target: target, count: count) }
        let result = cluster.request(from: client, url: target)
        var lines = result.hops.map { hop in TraceLine(Self.format(hop), [HopVerdict.rejected, .dropped].contains(hop.verdict) ? .failure : .plain) }
        if case .reply = result.outcome { lines.append(TraceLine(Self.verdict(result), .success)) }
        else { lines.append(TraceLine(Self.verdict(result), .failure)); out.exitCode = 1 }
        if verbose { lines += verboseLines(result).map { TraceLine($0) } }
        for line in lines { out.out(line.text) }
        lastTrace = lines
        return out
    }

    /// `trace -v`: what the kernel keeps after the rules ran — the connection's conntrack entry
    /// (later packets are rewritten from it, without the rules), and for ClientIP affinity the
    /// list or set that remembers the client.
    func verboseLines(_ r: RequestResult) -> [String] {
        var lines: [String] = []
        if let c = r.conntrack {
            lines.append("conntrack on \(c.node): \(c.entry.line(now: cluster.now))")
            lines.append("  (the NAT was decided on the first packet; every later packet of this connection is rewritten from this entry, not by the rules)")
            let seen = "\(c.entry.reply.dst):\(c.entry.reply.dport)"
            if c.entry.reply.dst != c.entry.original.src {
                lines.append("source: the endpoint sees \(seen), \(c.node)'s address — kube-proxy marked the packet for masquerade (KUBE-MARK-MASQ / mark-for-masquerade) and POSTROUTING's MASQUERADE replaced \(c.entry.original.src):\(c.entry.original.sport)")
            } else if c.entry.reply.src != c.entry.original.dst {
                lines.append("source: the endpoint sees the client's own address \(seen) (no masquerade)")
            }
        }
        for hop in r.hops {
            guard case let .choice(choice, rules) = hop.reason else { continue }
            let words = rules.split(separator: " ").map(String.init)
            guard let endpointChain = words.first(where: { $0.hasPrefix("KUBE-SEP-") || $0.hasPrefix("endpoint-") }) else { continue }
            let service = r.connectIP.flatMap { cluster.owner(of: $0) }.flatMap { owner -> Service? in
                switch owner {
                case let .service(k): return cluster.services.get(k)
                case .node: return cluster.service(nodePort: r.target.port, proto: .tcp)
                case .pod: return nil
                }
            }
            guard let svc = service, svc.spec.sessionAffinity == .clientIP else { continue }
            let seconds = svc.spec.sessionAffinityTimeout ?? 10800
            let verb: String
            if case .affinity = choice { verb = "matched and refreshed" } else { verb = "added" }
            if endpointChain.hasPrefix("KUBE-SEP-") {
                lines.append("recent list \(endpointChain): \(r.clientIP) \(verb) (rcheck --seconds \(seconds) --reap: the same client goes to this endpoint while it keeps coming back)")
            } else {
                lines.append("affinity set \(endpointChain.replacingOccurrences(of: "endpoint-", with: "affinity-")): \(r.clientIP) \(verb) (timeout \(seconds)s: the same client goes to this endpoint while it keeps coming back)")
            }
        }
        return lines
    }

    /// `--from POD` (or `--from host`: outside the cluster), else `my-pod`, else the first running pod of the namespace.
    private func clientPod(_ name: String?) -> Result<Pod, KubectlFailure> {
        let running: (Pod) -> Bool = { $0.status.phase == .running && !$0.status.podIP.isEmpty }
        if let name {
            guard let p = cluster.pods.get(namespace, name) else { return .failure(KubectlFailure("pod \(goQuote(name)) not found in namespace \(goQuote(namespace))")) }
            guard running(p) else { return .failure(KubectlFailure("pod \(goQuote(name)) is not running (\(p.status.phase))")) }
            return .success(p)
        }
        if let p = cluster.defaultClientPod(namespace: namespace) { return .success(p) }
        return .failure(KubectlFailure("no running pod to send from in namespace \(goQuote(namespace)); use --from POD"))
    }

    private func runTraffic(client: RequestClient, target: RequestTarget, count: Int) -> CommandOutput {
        var out = CommandOutput()
        var rows: [String: TrafficReport.Row] = [:]
        var failures: [String: Int] = [:]
        var statuses: [Int: Int] = [:]
        let start = cluster.now
        for _ in 0..<count {
            let r = cluster.request(from: client, url: target)
            switch r.outcome {
            case let .reply(reply, servedBy):
                statuses[reply.status, default: 0] += 1
                let podName = servedBy?.name ?? "?"
                let node = servedBy.flatMap { cluster.pods.get($0)?.spec.nodeName } ?? ""
                let endpoint = r.hops.last.map { "\($0.destinationIP):\($0.destination.split(separator: ":").last ?? "")" } ?? ""
                rows[podName, default: TrafficReport.Row(pod: podName, node: node, endpoint: endpoint, hits: 0, share: 0)].hits += 1
            case .refused: failures["connection refused (curl exit 7)", default: 0] += 1
            case .timedOut: failures["timed out (curl exit 28)", default: 0] += 1
            case .unresolved: failures["could not resolve host (curl exit 6)", default: 0] += 1
            case .emptyReply: failures["empty reply (curl exit 52)", default: 0] += 1
            }
        }
        let sorted = rows.values.sorted(by: { ($0.hits, $1.pod) > ($1.hits, $0.pod) }).map { row in
            var row = row
            row.share = Int((Double(row.hits) * 100 / Double(count)).rounded())
            return row
        }
        var reportLines: [TraceLine] = []
        if !sorted.isEmpty {
            var lines = ["POD\tNODE\tENDPOINT\tHITS\tSHARE"]
            for row in sorted { lines.append("\(row.pod)\t\(row.node)\t\(row.endpoint)\t\(row.hits)\t\(row.share)%") }
            var tw = TabWriter()
            let table = tw.format(lines.joined(separator: "\n") + "\n")
            out.outRaw(table)
            reportLines = table.split(separator: "\n").map { TraceLine(String($0)) }
        }
        let answered = statuses.values.reduce(0, +)
        let clientName: String
        switch client {
        case let .pod(p): clientName = "\(p.metadata.namespace)/\(p.metadata.name)"
        case .host: clientName = "the host (\(RequestClient.hostIP))"
        }
        var summary = "\(count) request\(count == 1 ? "" : "s") from \(clientName) to \(target.scheme)://\(target.host)\(target.explicitPort ? ":\(target.port)" : "")\(target.path) in \(Self.seconds(cluster.now - start)): "
        var parts: [String] = []
        if answered > 0 { parts.append("\(answered) answered (" + statuses.keys.sorted().map { "HTTP \($0): \(statuses[$0]!)" }.joined(separator: ", ") + ")") }
        for (k, v) in failures.sorted(by: { $0.key < $1.key }) { parts.append("\(v) \(k)") }
        summary += parts.joined(separator: ", ")
        out.out(summary)
        reportLines.append(TraceLine(summary, answered > 0 ? .success : .failure))
        if case let .pod(pod) = client, let svc = serviceBehind(target, client: pod), svc.spec.sessionAffinity == .clientIP {
            let port = svc.spec.ports.first { $0.port == target.port } ?? svc.spec.ports.first
            if let port, let left = cluster.affinityRemaining(svc: svc, port: port, clientIP: pod.status.podIP, node: pod.spec.nodeName) {
                let note = "sessionAffinity ClientIP: \(pod.status.podIP) is pinned for another \(left / 1000)s of quiet (timeoutSeconds \(svc.spec.sessionAffinityTimeout ?? 10800))"
                out.out(note)
                reportLines.append(TraceLine(note))
            }
        }
        if answered == 0 { out.exitCode = 1 }
        lastTrace = reportLines
        lastTraffic = TrafficReport(rows: sorted, summary: summary, answered: answered)
        return out
    }

    private func serviceBehind(_ target: RequestTarget, client: Pod) -> Service? {
        let ip = IPv4.parse(target.host) != nil ? target.host : cluster.resolve(target.host, namespace: client.metadata.namespace).addresses.first
        guard let ip, case let .service(key)? = cluster.owner(of: ip) else { return nil }
        return cluster.services.get(key)
    }

    static func seconds(_ ms: Millis) -> String { String(format: "%.3fs", Double(ms) / 1000) }

    /// `12:05:00.123`, the virtual clock in UTC.
    public static func clockText(_ ms: Millis) -> String {
        let day = ms % 86_400_000
        return String(format: "%02d:%02d:%02d.%03d", day / 3_600_000, day / 60_000 % 60, day / 1000 % 60, day % 1000)
    }

    /// One hop in Hubble's layout: time, source -> destination (IP), observation point, verdict (why).
    static func format(_ hop: TraceHop) -> String {
        let arrow = hop.point == .reply ? "<-" : "->"
        var verdict = hop.verdict.rawValue
        if case let .dns(q) = hop.reason { verdict = q.answer.code.rawValue }
        return "\(clockText(hop.time)) \(hop.source) \(arrow) \(hop.destination) (\(hop.destinationIP)) \(hop.point.rawValue) \(verdict) (\(reason(hop.reason)))"
    }

    public static func reason(_ r: HopReason) -> String {
        switch r {
        case let .dns(q):
            let answer = q.answer.records.map { record -> String in
                switch record {
                case let .a(_, ip): return ip
                case let .cname(_, target): return "CNAME \(target)"
                case let .srv(_, _, _, port, target): return "SRV \(target):\(port)"
                }
            }
            return "\(q.name) \(q.type.rawValue)" + (answer.isEmpty ? (q.answer.code == .noError ? ": no records" : "") : " → " + answer.joined(separator: ", "))
        case let .service(name, node, ready, terminatingOnly):
            return terminatingOnly ? "kube-proxy on \(node): \(name) has no ready endpoints; using terminating ones"
                : "kube-proxy on \(node): \(name) has \(ready) ready endpoint\(ready == 1 ? "" : "s")"
        case let .topology(zone, node, kept, ready):
            return "trafficDistribution PreferClose: \(kept) of \(ready) ready endpoints are hinted for zone \(zone), \(node)'s zone; kube-proxy there uses only those"
        case let .choice(choice, rules):
            let why: String
            switch choice {
            case let .random(index, count):
                why = count == 1 ? "the only ready endpoint" : "random: endpoint \(index + 1) of \(count), each with probability 1/\(count)"
            case let .affinity(expiresIn):
                why = "sessionAffinity ClientIP: pinned endpoint, expires after \(expiresIn / 1000)s without requests"
            case let .terminatingFallback(index, count):
                why = "terminating endpoint \(index + 1) of \(count) (no ready endpoint left)"
            }
            return "\(why); \(rules)"
        case let .nodePort(node, port, policy, fromPod):
            return "NodePort \(port) on node \(node), externalTrafficPolicy \(policy)" + (fromPod && policy == "Local" ? " (a pod's traffic short-circuits to the cluster-wide rules)" : "")
        case let .loadBalancer(ip, node, announced):
            return announced ? "LoadBalancer address \(ip), announced by node \(node)"
                : "LoadBalancer address \(ip), caught by the rules on the pod's node \(node)"
        case .direct: return "pod IP, no Service"
        case let .onNode(node): return "on node \(node)"
        case let .httpReply(status, reason, bytes): return "HTTP/1.1 \(status) \(reason), \(bytes) bytes"
        case .closedWithoutReply: return "connection closed without an HTTP reply (not an HTTP server)"
        case let .noEndpoints(comment): return "REJECT \"\(comment)\": connection refused"
        case let .noLocalEndpoints(comment): return "DROP \"\(comment)\": no answer"
        case let .sourceRangeDrop(service, ranges, rule):
            return "\(service) takes this LoadBalancer address only from loadBalancerSourceRanges \(ranges.joined(separator: ", ")); the client's address is in none: \(rule): no answer"
        case let .portNotInService(service, port, ports):
            return "\(service) has no port \(port) (ports: \(ports.map(String.init).joined(separator: ", "))): no kube-proxy rule, no answer"
        case let .notListening(pod, port, listening):
            return "nothing listens on \(pod):\(port)" + (listening.isEmpty ? "" : " (it listens on \(listening.map(String.init).joined(separator: ", ")))") + ": connection refused"
        case let .podNotRunning(pod, phase): return "\(pod) is \(phase): connection refused"
        case let .noRoute(ip): return "no route to \(ip): no answer"
        case let .nothingOnNodePort(node, port): return "no Service uses NodePort \(port) on \(node): connection refused"
        case let .healthCheck(service, node, local):
            return "kube-proxy's health check for \(service) on \(node): \(local) local endpoint\(local == 1 ? "" : "s")" + (local == 0 ? ", so a load balancer takes this node out" : "")
        }
    }

    /// Who answered: the pod, or (no pod) kube-proxy's health server on the node.
    static func answeredBy(_ r: RequestResult, _ servedBy: ObjectKey?) -> String {
        if let servedBy { return "\(servedBy.namespace)/\(servedBy.name)" }
        for hop in r.hops { if case let .healthCheck(_, node, _) = hop.reason { return "kube-proxy on \(node)" } }
        return "?"
    }

    public static func verdict(_ r: RequestResult) -> String {
        switch r.outcome {
        case let .reply(reply, servedBy):
            return "=> HTTP \(reply.status) \(reply.reason) from \(Self.answeredBy(r, servedBy)) in \(r.elapsed) ms"
        case .unresolved: return "=> could not resolve host \(r.target.host) (curl exit 6)"
        case .refused: return "=> connection refused after \(r.elapsed) ms (curl exit 7)"
        case .timedOut: return "=> no answer; curl gives up after \(r.elapsed) ms (curl exit 28)"
        case .emptyReply: return "=> empty reply (curl exit 52)"
        }
    }
}
