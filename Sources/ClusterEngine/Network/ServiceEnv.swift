import ClusterModel

/// The kubelet's docker-links variables (reference §5.5): built once, when the containers
/// start, from the Services that exist at that moment — which is why DNS beats them.
extension Cluster {
    /// Cached per namespace and dropped when a Service there changes, so a container start
    /// costs the same with 3 Services or 10,000 (the array is shared, not copied).
    func serviceEnvironment(for pod: Pod) -> [(String, String)] {
        guard pod.spec.enableServiceLinks else { return kubernetesServiceEnv() }
        let ns = pod.metadata.namespace
        if let cached = serviceEnvCache[ns] { return cached }
        var services = self.services.list(namespace: ns).filter { Self.linkable($0) }
        if ns != "default", let k = self.services.get("default", "kubernetes") { services.append(k) }
        var env: [(String, String)] = []
        for svc in services.sorted(by: { $0.metadata.name < $1.metadata.name }) { env += Self.links(svc) }
        serviceEnvCache[ns] = env
        return env
    }

    /// A Service changed in `namespace`: its cached variables are stale (the `kubernetes`
    /// Service appears in every namespace's).
    func invalidateServiceEnv(_ namespace: String, name: String) {
        if namespace == "default" && name == "kubernetes" { serviceEnvCache.removeAll() } else { serviceEnvCache[namespace] = nil }
    }

    private func kubernetesServiceEnv() -> [(String, String)] {
        services.get("default", "kubernetes").map(Self.links) ?? []
    }

    static func linkable(_ svc: Service) -> Bool {
        !svc.spec.isHeadless && !svc.spec.clusterIP.isEmpty && svc.spec.type != .externalName
    }

    static func links(_ svc: Service) -> [(String, String)] {
        var prefix = svc.metadata.name.uppercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
        if prefix.first?.isNumber == true { prefix = "_" + prefix }
        let ip = svc.spec.clusterIP
        guard let first = svc.spec.ports.first else { return [] }
        var env: [(String, String)] = [("\(prefix)_SERVICE_HOST", ip), ("\(prefix)_SERVICE_PORT", "\(first.port)")]
        for p in svc.spec.ports where !p.name.isEmpty {
            env.append(("\(prefix)_SERVICE_PORT_\(p.name.uppercased().replacingOccurrences(of: "-", with: "_"))", "\(p.port)"))
        }
        env.append(("\(prefix)_PORT", "\(first.proto.rawValue.lowercased())://\(ip):\(first.port)"))
        for p in svc.spec.ports {
            let base = "\(prefix)_PORT_\(p.port)_\(p.proto)"
            env += [(base, "\(p.proto.rawValue.lowercased())://\(ip):\(p.port)"), ("\(base)_PROTO", p.proto.rawValue.lowercased()),
                    ("\(base)_PORT", "\(p.port)"), ("\(base)_ADDR", ip)]
        }
        return env
    }

    /// The environment a container sees: its own `env` first (it wins), then the Service links
    /// captured when the pod started.
    public func containerEnvironment(pod: Pod, container: Container) -> [(String, String)] {
        let key = ObjectKey(pod.metadata.namespace, pod.metadata.name)
        var env: [(String, String)] = [("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("HOSTNAME", pod.metadata.name)]
        let own = container.env.compactMap { e in e.value.map { (e.name, $0) } }
        env += own
        let ownNames = Set(own.map(\.0))
        env += (kubelet.runtime[key]?.serviceEnv ?? []).filter { !ownNames.contains($0.0) }
        env.append(("HOME", "/root"))
        return env
    }
}
