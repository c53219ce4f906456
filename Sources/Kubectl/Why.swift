import ClusterEngine
import ClusterModel
import Diagnosis
import Foundation

/// `why svc/NAME`, `why URL [--from POD]`, `why -f FILE`: svclab's explanation of what a
/// Service selects, why a request failed, or why the API rejected a Deployment.
extension Session {
    func runWhy(_ args: [String]) -> CommandOutput {
        var out = CommandOutput()
        let usage = "usage: why svc/NAME | why URL [--from POD] | why -f FILE   (e.g. why svc/my-app)"
        var from: String?, file: String?
        var words: [String] = []
        var i = 0
        while i < args.count {
            switch args[i] {
            case "--from": i += 1; from = args.indices.contains(i) ? args[i] : nil
            case "-f", "--filename": i += 1; file = args.indices.contains(i) ? args[i] : nil
            case let a where a.hasPrefix("-n") && a.count > 2: namespaceOverride = String(a.dropFirst(2))
            case "-n": i += 1; namespaceOverride = args.indices.contains(i) ? args[i] : nil
            default: words.append(args[i])
            }
            i += 1
        }
        defer { namespaceOverride = nil }
        if let file { return whyFile(file) }
        guard let target = words.first else { out.fail(usage); return out }
        if target.contains("://") || (words.count == 1 && target.contains(":") && !target.contains("/")) {
            return whyRequest(target, from: from)
        }
        var name = target
        if let slash = target.firstIndex(of: "/") {
            let kind = String(target[..<slash])
            guard ResourceType.resolve(kind)?.kind == "Service" else { out.fail("why: explains Services (svc/NAME), requests (URL) and manifests (-f FILE), not \(kind)"); return out }
            name = String(target[target.index(after: slash)...])
        } else if ResourceType.resolve(target)?.kind == "Service", words.count > 1 {
            name = words[1]
        }
        let ns = namespaceOverride ?? namespace
        guard let svc = cluster.services.get(ns, name) else {
            var message = ResourceType.service.notFound(name)
            if let elsewhere = cluster.namespaces.list(namespace: nil).first(where: { cluster.services.get($0.metadata.name, name) != nil }) {
                message += "\n(a Service \(name) exists in namespace \(elsewhere.metadata.name): why -n \(elsewhere.metadata.name) svc/\(name))"
            }
            out.fail(message)
            return out
        }
        let diagnosis = Diagnose.service(svc, cluster: cluster)
        out.outRaw(Self.format(diagnosis))
        if !diagnosis.healthy { out.exitCode = 1 }
        return out
    }

    static func format(_ d: ServiceDiagnosis) -> String {
        var text = d.verdict + "\n"
        if !d.pods.isEmpty {
            var lines = ["POD\tREADY\tSELECTED\tWHY"]
            for p in d.pods {
                let name = p.namespace == d.service.metadata.namespace ? p.name : "\(p.namespace)/\(p.name)"
                let (selected, why): (String, String)
                switch p.state {
                case .ready: (selected, why) = ("yes", "endpoint, gets traffic")
                case let .notReady(r): (selected, why) = ("yes", "not ready: \(r)")
                case let .noPort(r): (selected, why) = ("yes", r)
                case let .notSelected(terms): (selected, why) = ("no", terms.joined(separator: "; "))
                case .otherNamespace: (selected, why) = ("no", "labels match, but namespace \(p.namespace)")
                }
                lines.append("\(name)\t\(p.ready ? "yes" : "no")\t\(selected)\t\(why)")
            }
            var tw = TabWriter()
            text += "\n" + tw.format(lines.joined(separator: "\n") + "\n")
        }
        let problems = d.findings.filter { $0.kind.rawValue != d.verdict }
        if problems.count > 1 || (problems.count == 1 && !d.verdict.hasSuffix(problems[0].message)) {
            text += "\nFindings:\n" + problems.map { "  - \($0.kind.rawValue): \($0.message)\n" }.joined()
        }
        let fixes = d.findings.compactMap(\.fix).map(FixCommand.text)
        if !fixes.isEmpty { text += "\nFix:\n" + fixes.map { "  \($0)\n" }.joined() }
        let notes = d.advice.filter { $0.kind == .localTrafficPolicy }
        if !notes.isEmpty { text += "\nNotes:\n" + notes.map { "  - \($0.message)\n" }.joined() }
        let tips = d.advice.compactMap(\.fix).map(FixCommand.text)
        if !tips.isEmpty { text += "\nTip:\n" + tips.map { "  \($0)\n" }.joined() }
        return text
    }

    private func whyRequest(_ url: String, from: String?) -> CommandOutput {
        var out = CommandOutput()
        guard let target = RequestTarget.parse(url) else { out.fail("why: \(goQuote(url)) is not a URL"); return out }
        let ns = namespaceOverride ?? namespace
        // `--from host`: the request comes from outside the cluster (the Docker host), as trace sends it.
        let requester: RequestClient
        let sender: String
        if from == "host" {
            requester = .host; sender = "the host (\(RequestClient.hostIP))"
        } else {
            let clientName = from ?? cluster.defaultClientPod(namespace: ns)?.metadata.name ?? "my-pod"
            guard let client = cluster.pods.get(ns, clientName), !client.status.podIP.isEmpty else {
                out.fail("why: no running pod \(goQuote(clientName)) to send from; use --from POD or --from host"); return out
            }
            requester = .pod(client); sender = "\(ns)/\(client.metadata.name)"
        }
        let r = cluster.request(from: requester, url: target, connectTimeout: 5000)
        switch r.outcome {
        case let .reply(reply, servedBy):
            out.out("GET \(url) from \(sender) works: HTTP \(reply.status) from \(Session.answeredBy(r, servedBy)).")
            return out
        case .unresolved:
            // NXDOMAIN: a wrong name, or the right name in another namespace.
            let host = target.host.split(separator: ".").first.map(String.init) ?? target.host
            let everywhere = cluster.namespaces.list(namespace: nil).flatMap { n in cluster.services.list(namespace: n.metadata.name) }
            let exact = everywhere.filter { $0.metadata.name == host }
            let close = everywhere.filter { Diagnose.distance($0.metadata.name, host) <= 2 && $0.metadata.name != host }
            let clientNamespace: String
            if case let .pod(p) = requester { clientNamespace = p.metadata.namespace } else { clientNamespace = ns }
            var text = "NXDOMAIN: \(target.host) does not resolve from namespace \(clientNamespace) (tried \(r.resolution?.queries.map(\.name).joined(separator: ", ") ?? target.host))."
            if let s = exact.first(where: { $0.metadata.namespace != clientNamespace }) {
                text += " A Service \(host) exists in namespace \(s.metadata.namespace): use \(host).\(s.metadata.namespace) (or \(host).\(s.metadata.namespace).svc.cluster.local)."
            } else if let s = close.first {
                text += " Did you mean \(s.metadata.name)" + (s.metadata.namespace == clientNamespace ? "" : ".\(s.metadata.namespace)") + "?"
            }
            out.out(text)
        case .refused:
            out.out("connection refused: " + refusedReason(r))
            if case let .service(key)? = r.connectIP.flatMap({ cluster.owner(of: $0) }), let svc = cluster.services.get(key) {
                out.outRaw("\n" + Self.format(Diagnose.service(svc, cluster: cluster)))
            }
        case .timedOut:
            if case let .portNotInService(service, port, ports)? = r.hops.last?.reason {
                out.out("time-out: \(service) does not expose port \(port) (it exposes \(ports.map(String.init).joined(separator: ", "))); no rule catches the connection. Did you mean \(target.scheme)://\(target.host)\(ports.first.map { $0 == 80 ? "" : ":\($0)" } ?? "")\(target.path)?")
            } else if case let .sourceRangeDrop(service, ranges, rule)? = r.hops.last?.reason {
                out.out("time-out: \(service)'s loadBalancerSourceRanges (\(ranges.joined(separator: ", "))) do not include \(r.clientIP), so kube-proxy drops it (\(rule)). Add the client's range to spec.loadBalancerSourceRanges, or send from inside one.")
            } else if case let .noLocalEndpoints(comment)? = r.hops.last?.reason {
                var clientNode: String?
                if case let .pod(p) = requester { clientNode = p.spec.nodeName }
                out.out("time-out: kube-proxy DROPs \"\(comment)\". " + localPolicyReason(r, target: target, clientNode: clientNode))
            } else {
                out.out("time-out: nothing answered \(r.connectIP ?? target.host):\(target.port).")
            }
        case .emptyReply:
            out.out("empty reply: the pod accepted the connection but does not speak HTTP on port \(target.port).")
        }
        out.exitCode = 1
        return out
    }

    /// Why a Local traffic policy dropped the request: which policy, which node it reached, and
    /// the nodes whose rules would have taken it (they run a ready endpoint).
    private func localPolicyReason(_ r: RequestResult, target: RequestTarget, clientNode: String?) -> String {
        var service: Service?
        if case let .service(key)? = r.connectIP.flatMap({ cluster.owner(of: $0) }) { service = cluster.services.get(key) }
        if service == nil { service = cluster.service(nodePort: target.port, proto: .tcp) }
        guard let svc = service else { return "The traffic policy is Local and this node runs none of the Service's pods." }
        let key = ObjectKey(svc.metadata.namespace, svc.metadata.name)
        let node = r.hops.lazy.compactMap { hop -> String? in
            switch hop.reason {
            case let .nodePort(node, _, _, _): return node
            case let .loadBalancer(_, node, _): return node
            case let .service(_, node, _, _): return node
            default: return nil
            }
        }.first ?? clientNode ?? "this node"
        let external = r.hops.contains { if case .nodePort = $0.reason { return true }; if case .loadBalancer = $0.reason { return true }; return false }
        let withEndpoints = cluster.nodes.list().map(\.metadata.name).filter { cluster.localReadyEndpointCount(svc, node: $0) > 0 }
        let policy = external ? "externalTrafficPolicy: Local sends traffic from outside the cluster only to ready pods on the node it arrives at"
                              : "internalTrafficPolicy: Local sends a pod's traffic only to ready pods on the pod's own node"
        return "\(policy), and \(node) runs none of \(key.namespace)/\(key.name)'s ready pods" + (withEndpoints.isEmpty ? " (no node does)." : " (\(withEndpoints.joined(separator: ", ")) \(withEndpoints.count == 1 ? "does" : "do")).")
    }

    private func refusedReason(_ r: RequestResult) -> String {
        switch r.hops.last?.reason {
        case let .noEndpoints(comment)?: return "kube-proxy REJECTs: \(comment)."
        case let .notListening(pod, port, listening)?: return "nothing listens on \(pod):\(port)" + (listening.isEmpty ? "." : "; it listens on \(listening.map(String.init).joined(separator: ", ")).")
        case let .podNotRunning(pod, phase)?: return "\(pod) is \(phase)."
        case let .nothingOnNodePort(node, port)?: return "no Service uses NodePort \(port) on \(node)."
        default: return "the connection was rejected."
        }
    }

    /// Class 11: a Deployment whose selector its own template does not satisfy.
    private func whyFile(_ file: String) -> CommandOutput {
        var out = CommandOutput()
        let text: String
        switch readUserFile(file) {
        case let .success(t): text = t
        case let .failure(.outside(message)): out.fail(message); return out
        case .failure(.notUTF8): out.fail(ManifestInputs.notUTF8(file)); return out
        case .failure(.notFound): out.fail("why: the path \(goQuote(file)) does not exist"); return out
        }
        var found = false
        for r in Manifest.load(text, source: file) {
            if case let .success(.service(svc)) = r {
                found = true
                // Class 8: a quoted number names a port; the API requires a letter in port names.
                let numeric = svc.spec.ports.enumerated().filter { if case let .string(s) = $0.element.targetPort { return Int(s) != nil }; return false }
                if numeric.isEmpty {
                    out.out("Service \(svc.metadata.name): its ports are well formed; once applied, why svc/\(svc.metadata.name) explains what it selects.")
                }
                for (i, p) in numeric {
                    guard case let .string(s) = p.targetPort else { continue }
                    out.out("Service \(svc.metadata.name): targetPort \(goQuote(s)) is a string, so it would name a container port, and port names need a letter: the API rejects it (spec.ports[\(i)].targetPort: Invalid value: \(goQuote(s))).")
                    out.out("Fix: write the number without quotes: targetPort: \(s)")
                    out.exitCode = 1
                }
                continue
            }
            guard case let .success(.deployment(d)) = r else { continue }
            found = true
            let selector = d.spec.selector?.matchLabels ?? [:]
            let labels = d.spec.template.metadata.labels
            let failing = selector.sorted { $0.key < $1.key }.filter { labels[$0.key] != $0.value }
            if failing.isEmpty {
                out.out("Deployment \(d.metadata.name): its template's labels satisfy its selector; the API accepts it.")
                continue
            }
            out.out("Deployment \(d.metadata.name) is rejected: spec.selector must match spec.template.metadata.labels (the API says: `selector` does not match template `labels`).")
            for f in failing {
                out.out("  selector wants \(f.key)=\(f.value); the template has " + (labels[f.key].map { "\(f.key)=\($0)" } ?? "no \(f.key)"))
            }
            out.out("Fix: make the template carry every selector label, e.g. under spec.template.metadata.labels add " + failing.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ".")
            out.exitCode = 1
        }
        if !found { out.out("why -f: no Deployment or Service in \(file)") }
        return out
    }
}
