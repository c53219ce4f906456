/// The API server's defaulting (SetDefaults_* in pkg/apis/*/v1/defaults.go), applied after
/// decoding and before validation, exactly where the server applies it.
public enum Defaults {
    /// Undoes what `ObjectEncoder` adds on the way out (defaulted container fields, the
    /// DefaultTolerationSeconds tolerations, the pod-only priority fields), so an object read
    /// back from its own JSON (kubectl patch) equals the stored one when nothing was changed.
    public static func dropEncodedDefaults(_ spec: inout PodSpec) {
        let containerDefaults: [String: Value] = ["resources": .object([]), "terminationMessagePath": .string("/dev/termination-log"),
                                                  "terminationMessagePolicy": .string("File")]
        for i in spec.containers.indices {
            for (k, v) in containerDefaults where spec.containers[i].extra[k] == v { spec.containers[i].extra[k] = nil }
        }
        for i in spec.initContainers.indices {
            for (k, v) in containerDefaults where spec.initContainers[i].extra[k] == v { spec.initContainers[i].extra[k] = nil }
        }
        let specDefaults: [String: Value] = ["securityContext": .object([]), "preemptionPolicy": .string("PreemptLowerPriority"),
                                             "priority": .int(ObjectEncoder.priority(ofClass: spec.extra["priorityClassName"]?.stringValue))]
        for (k, v) in specDefaults where spec.extra[k] == v { spec.extra[k] = nil }
        spec.tolerations.removeAll { t in
            ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"].contains(t.key ?? "") && t.effect == "NoExecute"
                && t.op == "Exists" && t.tolerationSeconds == 300 && t.value == nil
        }
    }

    public static func dropEncodedDefaults(_ object: inout KubeObject) {
        switch object {
        case var .pod(p): dropEncodedDefaults(&p.spec); object = .pod(p)
        case var .deployment(d): dropEncodedDefaults(&d.spec.template.spec); object = .deployment(d)
        case var .replicaSet(r): dropEncodedDefaults(&r.spec.template.spec); object = .replicaSet(r)
        default: break
        }
    }

    public static func apply(_ svc: inout Service) {
        var s = svc.spec
        if s.type.isEmpty { s.type = .clusterIP }
        if s.sessionAffinity.isEmpty { s.sessionAffinity = .none }
        if s.sessionAffinity == .clientIP {
            if !s.sessionAffinityConfigSet || s.sessionAffinityTimeout == nil {
                if !s.sessionAffinityConfigSet {
                    s.sessionAffinityConfigSet = true
                    s.sessionAffinityTimeout = 10800
                }
            }
        }
        for i in s.ports.indices {
            if s.ports[i].proto.isEmpty { s.ports[i].proto = .tcp }
            if s.ports[i].targetPort == .int(0) || s.ports[i].targetPort == .string("") {
                s.ports[i].targetPort = .int(s.ports[i].port)
            }
        }
        if s.type != .externalName {
            if s.internalTrafficPolicy == nil { s.internalTrafficPolicy = "Cluster" }
        }
        if s.type.hasNodePorts || !s.externalIPs.isEmpty {
            if s.externalTrafficPolicy == nil { s.externalTrafficPolicy = "Cluster" }
        }
        if s.type == .loadBalancer, s.allocateLoadBalancerNodePorts == nil { s.allocateLoadBalancerNodePorts = true }
        if !s.clusterIP.isEmpty && s.clusterIPs.isEmpty { s.clusterIPs = [s.clusterIP] }
        if s.clusterIP.isEmpty && !s.clusterIPs.isEmpty { s.clusterIP = s.clusterIPs[0] }
        svc.spec = s
    }

    public static func apply(_ spec: inout PodSpec) {
        for i in spec.containers.indices { apply(&spec.containers[i]) }
        for i in spec.initContainers.indices { apply(&spec.initContainers[i]) }
    }

    static func apply(_ c: inout Container) {
        for j in c.ports.indices where c.ports[j].proto.isEmpty { c.ports[j].proto = .tcp }
        if c.imagePullPolicy.isEmpty {
            let tag = imageTag(c.image)
            c.imagePullPolicy = (tag == nil || tag == "latest") ? "Always" : "IfNotPresent"
        }
    }

    /// The tag of an image reference (`nginx:1.27` → `1.27`), nil when untagged or pinned by digest.
    public static func imageTag(_ image: String) -> String? {
        if image.contains("@") { return "digest" }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return nil }
        return String(lastComponent[lastComponent.index(after: colon)...])
    }

    public static func apply(_ pod: inout Pod) { apply(&pod.spec) }

    public static func apply(_ d: inout Deployment) {
        if d.spec.replicas == nil { d.spec.replicas = 1 }
        apply(&d.spec.template.spec)
        // apps/v1 defaulting copies nothing from the template: labels and selector are the user's.
    }

    public static func apply(_ rs: inout ReplicaSet) {
        if rs.spec.replicas == nil { rs.spec.replicas = 1 }
        apply(&rs.spec.template.spec)
    }

    public static func apply(_ object: inout KubeObject) {
        switch object {
        case var .service(s): apply(&s); object = .service(s)
        case var .pod(p): apply(&p); object = .pod(p)
        case var .deployment(d): apply(&d); object = .deployment(d)
        case var .replicaSet(r): apply(&r); object = .replicaSet(r)
        case var .endpointSlice(e):
            // SetDefaults_EndpointPort (pkg/apis/discovery/v1/defaults.go): name "", protocol TCP.
            for i in e.ports.indices {
                if e.ports[i].name == nil { e.ports[i].name = "" }
                if e.ports[i].proto == nil { e.ports[i].proto = .tcp }
            }
            object = .endpointSlice(e)
        case .namespace, .endpoints, .stored: break
        }
    }
}
