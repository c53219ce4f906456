import ClusterModel

/// `controller.ComputeHash`: FNV-32a over the pod template, written as decimal and mapped digit by
/// digit onto `456789bcdf` (SafeEncodeString). Upstream hashes Go's spew dump of the struct; we hash
/// a canonical text of the same fields, so the hash changes exactly when the template does.
enum TemplateHash {
    static func compute(_ template: PodTemplateSpec, collisionCount: Int? = nil) -> String {
        var h: UInt32 = 2_166_136_261
        func feed(_ s: String) { for b in s.utf8 { h ^= UInt32(b); h = h &* 16_777_619 } }
        feed(canonical(template))
        if let c = collisionCount { feed(String(c)) }
        let digits = Array("456789bcdf")
        return String(String(h).map { digits[Int(String($0))!] })
    }

    static func canonical(_ t: PodTemplateSpec) -> String {
        var out = "labels:" + sortedPairs(t.metadata.labels) + ";annotations:" + sortedPairs(t.metadata.annotations)
        for c in t.spec.initContainers + t.spec.containers { out += ";" + container(c) }
        let s = t.spec
        out += ";node=\(s.nodeName);sel=\(sortedPairs(s.nodeSelector));host=\(s.hostname);sub=\(s.subdomain)"
        out += ";restart=\(s.restartPolicy);grace=\(s.terminationGracePeriodSeconds);dns=\(s.dnsPolicy)"
        out += ";links=\(s.enableServiceLinks);hostnet=\(s.hostNetwork);sa=\(s.serviceAccountName)"
        out += ";tol=" + s.tolerations.map { "\($0.key ?? "")|\($0.op ?? "")|\($0.value ?? "")|\($0.effect ?? "")" }.joined(separator: ",")
        out += ";extra=" + s.extra.keys.sorted().map { "\($0)=\(s.extra[$0]!.jsonString(sortedKeys: true))" }.joined(separator: ",")
        return out
    }

    static func container(_ c: Container) -> String {
        var out = "c:\(c.name)|\(c.image)|\(c.command?.joined(separator: " ") ?? "-")|\(c.args?.joined(separator: " ") ?? "-")|\(c.imagePullPolicy)"
        out += "|ports=" + c.ports.map { "\($0.name ?? "")/\($0.containerPort)/\($0.proto)/\($0.hostPort ?? 0)" }.joined(separator: ",")
        out += "|env=" + c.env.map { "\($0.name)=\($0.value ?? "")\($0.valueFrom?.jsonString(sortedKeys: true) ?? "")" }.joined(separator: ",")
        for (name, p) in [("r", c.readinessProbe), ("l", c.livenessProbe), ("s", c.startupProbe)] {
            if let p { out += "|\(name)=\(handlerText(p.handler))/\(p.initialDelaySeconds)/\(p.periodSeconds)/\(p.timeoutSeconds)/\(p.successThreshold)/\(p.failureThreshold)" }
        }
        out += "|extra=" + c.extra.keys.sorted().map { "\($0)=\(c.extra[$0]!.jsonString(sortedKeys: true))" }.joined(separator: ",")
        return out
    }

    /// The handler as text; an httpGet without a host keeps the text it had before `host` was
    /// modelled, so existing pod-template-hash values (and every name derived from them) stay.
    static func handlerText(_ h: Probe.Handler) -> String {
        if case let .httpGet(path, port, scheme, host) = h {
            return "\(LegacyHandler.httpGet(path: path, port: port, scheme: scheme))" + (host.isEmpty ? "" : "@" + host)
        }
        return "\(h)"
    }

    /// The httpGet case's shape before `host`: printed the same way as then.
    private enum LegacyHandler { case httpGet(path: String, port: IntOrString, scheme: String) }

    static func sortedPairs(_ m: [String: String]) -> String {
        m.keys.sorted().map { "\($0)=\(m[$0]!)" }.joined(separator: ",")
    }
}
