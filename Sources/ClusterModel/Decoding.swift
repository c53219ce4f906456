/// Turns manifest values into typed objects the way the API server's strict decoder does:
/// a wrong JSON type stops decoding with Go's encoding/json message; unknown fields are
/// collected and reported together (`strict decoding error: unknown field "spec.selectr"`).
/// The same walk that reads a field also records it as known, so the schema lives in one place.

public struct DecodeError: Error, Equatable, Sendable {
    /// Text after `<Kind> in version "v1" cannot be handled as a <Kind>: `.
    public var detail: String
}

final class DecodeState {
    var unknown: [String] = []
    var typeError: String?
}

/// A JSON object at a path, read field by field.
struct ObjectReader {
    let pairs: [(String, Value)]
    let path: String      // with indexes: spec.ports[0]
    let goPath: String    // without: spec.ports
    let goStruct: String  // ServicePort
    let state: DecodeState
    private var known: Set<String> = []

    init(_ value: Value?, path: String, goPath: String, goStruct: String, state: DecodeState) {
        self.path = path; self.goPath = goPath; self.goStruct = goStruct; self.state = state
        if case let .object(p)? = value { pairs = p } else { pairs = [] }
    }

    private func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : a + "." + b }

    private func typeMismatch(_ key: String, _ v: Value, _ goType: String) {
        guard state.typeError == nil else { return }
        var jsonType = v.jsonTypeName
        // encoding/json names a number it cannot fit by its text: "number 3000000000".
        if case let .double(d) = v { jsonType = "number \(d)" }
        // (Only a number that does not fit an integer field: a number in a string field is "number".)
        if case let .int(i) = v, goType.hasPrefix("int") { jsonType = "number \(i)" }
        state.typeError = "json: cannot unmarshal \(jsonType) into Go struct field \(goStruct).\(join(goPath, key)) of type \(goType)"
    }

    mutating func raw(_ key: String) -> Value? {
        known.insert(key)
        guard let v = pairs.first(where: { $0.0 == key })?.1, !v.isNull else { return nil }
        return v
    }

    mutating func string(_ key: String) -> String? {
        guard let v = raw(key) else { return nil }
        if case let .string(s) = v { return s }
        typeMismatch(key, v, "string"); return nil
    }

    mutating func int(_ key: String, goType: String = "int32") -> Int? {
        guard let v = raw(key) else { return nil }
        if let i = v.intValue, (goType != "int32" || (Int64(Int32.min)...Int64(Int32.max)).contains(i)) { return Int(i) }
        typeMismatch(key, v, goType); return nil
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let v = raw(key) else { return nil }
        if case let .bool(b) = v { return b }
        typeMismatch(key, v, "bool"); return nil
    }

    mutating func intOrString(_ key: String) -> IntOrString? {
        guard let v = raw(key) else { return nil }
        switch v {
        case let .string(s): return .string(s)
        case .int, .double:
            if let i = v.intValue, (Int64(Int32.min)...Int64(Int32.max)).contains(i) { return .int(Int(i)) }
            typeMismatch(key, v, "int32"); return nil
        default:
            typeMismatch(key, v, "intstr.IntOrString"); return nil
        }
    }

    mutating func stringMap(_ key: String) -> [String: String]? {
        guard let v = raw(key) else { return nil }
        guard case let .object(p) = v else { typeMismatch(key, v, "map[string]string"); return nil }
        var m: [String: String] = [:]
        for (k, x) in p {
            if case let .string(s) = x { m[k] = s }
            else if x.isNull { m[k] = "" }
            else { typeMismatch(key, x, "string"); return nil }
        }
        return m
    }

    mutating func stringList(_ key: String) -> [String]? {
        guard let v = raw(key) else { return nil }
        guard case let .array(items) = v else { typeMismatch(key, v, "[]string"); return nil }
        var out: [String] = []
        for x in items {
            if case let .string(s) = x { out.append(s) } else { typeMismatch(key, x, "string"); return nil }
        }
        return out
    }

    mutating func object(_ key: String, _ goStruct: String) -> ObjectReader? {
        guard let v = raw(key) else { return nil }
        guard case .object = v else { typeMismatch(key, v, goStructTypeName(goStruct)); return nil }
        return ObjectReader(v, path: join(path, key), goPath: join(goPath, key), goStruct: goStruct, state: state)
    }

    mutating func objects(_ key: String, _ goStruct: String) -> [ObjectReader]? {
        guard let v = raw(key) else { return nil }
        guard case let .array(items) = v else { typeMismatch(key, v, "[]" + goStructTypeName(goStruct)); return nil }
        var out: [ObjectReader] = []
        for (i, item) in items.enumerated() {
            if item.isNull { continue }
            guard case .object = item else { typeMismatch(key, item, goStructTypeName(goStruct)); return nil }
            out.append(ObjectReader(item, path: join(path, key) + "[\(i)]", goPath: join(goPath, key), goStruct: goStruct, state: state))
        }
        return out
    }

    /// Known fields the simulation keeps but does not interpret.
    mutating func opaque(_ keys: [String], into extra: inout [String: Value]) {
        for k in keys { if let v = raw(k) { extra[k] = v } }
    }
    mutating func ignore(_ keys: [String]) { for k in keys { known.insert(k) } }

    /// Records every field not read as unknown.
    func finish() {
        for (k, _) in pairs where !known.contains(k) {
            state.unknown.append(join(path, k))
        }
    }

    private func goStructTypeName(_ s: String) -> String {
        s.contains(".") ? s : "v1." + s
    }
}

public enum ManifestDecoder {
    /// Decodes the object of `kind`; metadata, spec and the kind-specific top-level fields.
    /// `lenient`: fields svclab does not model are skipped instead of refused — for objects a
    /// real API server serves (a mirror), which carry every field of their version.
    static func decode<T>(_ value: Value, lenient: Bool = false, _ body: (inout ObjectReader) -> T) throws(DecodeError) -> T {
        let state = DecodeState()
        var root = ObjectReader(value, path: "", goPath: "", goStruct: "", state: state)
        _ = root.raw("apiVersion"); _ = root.raw("kind")
        let result = body(&root)
        root.finish()
        if let t = state.typeError { throw DecodeError(detail: t) }
        if !state.unknown.isEmpty && !lenient {
            throw DecodeError(detail: "strict decoding error: " + state.unknown.map { "unknown field \(goQuote($0))" }.joined(separator: ", "))
        }
        return result
    }

    static func metadata(_ r: inout ObjectReader, key: String = "metadata") -> ObjectMeta {
        var m = ObjectMeta()
        guard var o = r.object(key, "ObjectMeta") else { return m }
        m.name = o.string("name") ?? ""
        m.generateName = o.string("generateName") ?? ""
        m.namespace = o.string("namespace") ?? ""
        m.labels = o.stringMap("labels") ?? [:]
        m.annotations = o.stringMap("annotations") ?? [:]
        m.finalizers = o.stringList("finalizers") ?? []
        // Server-owned fields are accepted and then ignored on create, as the API server does.
        o.ignore(["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                  "deletionGracePeriodSeconds", "ownerReferences", "managedFields", "selfLink"])
        o.finish()
        return m
    }

    // MARK: Pod spec

    static func probe(_ o: inout ObjectReader) -> Probe {
        var p = Probe()
        if var h = o.object("httpGet", "HTTPGetAction") {
            p.handler = .httpGet(path: h.string("path") ?? "/", port: h.intOrString("port") ?? .int(0), scheme: h.string("scheme") ?? "HTTP",
                                 host: h.string("host") ?? "")
            var extra: [String: Value] = [:]
            h.opaque(["httpHeaders"], into: &extra)
            h.finish()
        } else if var t = o.object("tcpSocket", "TCPSocketAction") {
            p.handler = .tcpSocket(port: t.intOrString("port") ?? .int(0))
            _ = t.string("host")
            t.finish()
        } else if var e = o.object("exec", "ExecAction") {
            p.handler = .exec(command: e.stringList("command") ?? [])
            e.finish()
        } else if var g = o.object("grpc", "GRPCAction") {
            p.handler = .grpc(port: g.int("port") ?? 0)
            _ = g.string("service")
            g.finish()
        }
        p.initialDelaySeconds = o.int("initialDelaySeconds") ?? 0
        p.timeoutSeconds = o.int("timeoutSeconds") ?? 1
        p.periodSeconds = o.int("periodSeconds") ?? 10
        p.successThreshold = o.int("successThreshold") ?? 1
        p.failureThreshold = o.int("failureThreshold") ?? 3
        _ = o.int("terminationGracePeriodSeconds", goType: "int64")
        o.finish()
        return p
    }

    static func container(_ o: inout ObjectReader) -> Container {
        var c = Container()
        c.name = o.string("name") ?? ""
        c.image = o.string("image") ?? ""
        c.command = o.stringList("command")
        c.args = o.stringList("args")
        for var p in o.objects("ports", "ContainerPort") ?? [] {
            var cp = ContainerPort(containerPort: 0)
            cp.name = p.string("name")
            cp.containerPort = p.int("containerPort") ?? 0
            cp.proto = PortProtocol(p.string("protocol") ?? "TCP")
            cp.hostPort = p.int("hostPort")
            _ = p.string("hostIP")
            p.finish()
            c.ports.append(cp)
        }
        for var e in o.objects("env", "EnvVar") ?? [] {
            let name = e.string("name") ?? ""
            let value = e.string("value")
            let from = e.raw("valueFrom")
            e.finish()
            c.env.append(EnvVar(name: name, value: value, valueFrom: from))
        }
        if var p = o.object("readinessProbe", "Probe") { c.readinessProbe = probe(&p) }
        if var p = o.object("livenessProbe", "Probe") { c.livenessProbe = probe(&p) }
        if var p = o.object("startupProbe", "Probe") { c.startupProbe = probe(&p) }
        c.imagePullPolicy = o.string("imagePullPolicy") ?? ""
        o.opaque(["workingDir", "envFrom", "resources", "resizePolicy", "restartPolicy", "volumeMounts",
                  "volumeDevices", "lifecycle", "terminationMessagePath", "terminationMessagePolicy",
                  "securityContext", "stdin", "stdinOnce", "tty"], into: &c.extra)
        o.finish()
        return c
    }

    static func podSpec(_ o: inout ObjectReader) -> PodSpec {
        var s = PodSpec()
        for var c in o.objects("containers", "Container") ?? [] { s.containers.append(container(&c)) }
        for var c in o.objects("initContainers", "Container") ?? [] { s.initContainers.append(container(&c)) }
        s.nodeName = o.string("nodeName") ?? ""
        s.nodeSelector = o.stringMap("nodeSelector") ?? [:]
        for var t in o.objects("tolerations", "Toleration") ?? [] {
            let tol = Toleration(key: t.string("key"), op: t.string("operator"), value: t.string("value"),
                                 effect: t.string("effect"), tolerationSeconds: t.int("tolerationSeconds", goType: "int64").map(Int64.init))
            t.finish()
            s.tolerations.append(tol)
        }
        s.hostname = o.string("hostname") ?? ""
        s.subdomain = o.string("subdomain") ?? ""
        s.restartPolicy = o.string("restartPolicy") ?? "Always"
        s.terminationGracePeriodSeconds = Int64(o.int("terminationGracePeriodSeconds", goType: "int64") ?? 30)
        s.activeDeadlineSeconds = o.int("activeDeadlineSeconds", goType: "int64").map(Int64.init)
        s.dnsPolicy = o.string("dnsPolicy") ?? "ClusterFirst"
        s.enableServiceLinks = o.bool("enableServiceLinks") ?? true
        s.hostNetwork = o.bool("hostNetwork") ?? false
        // Both spellings are read (the deprecated alias is what -o yaml prints next to the name).
        let saName = o.string("serviceAccountName"), saAlias = o.string("serviceAccount")
        let sa = saName ?? saAlias
        s.serviceAccountName = sa ?? "default"
        s.schedulerName = o.string("schedulerName") ?? "default-scheduler"
        o.opaque(["volumes", "ephemeralContainers", "automountServiceAccountToken", "hostPID", "hostIPC",
                  "shareProcessNamespace", "securityContext", "imagePullSecrets", "affinity", "hostAliases",
                  "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName",
                  "preemptionPolicy", "overhead", "topologySpreadConstraints", "setHostnameAsFQDN", "os",
                  "hostUsers", "schedulingGates", "resourceClaims", "resources"], into: &s.extra)
        o.finish()
        return s
    }

    static func podTemplate(_ o: inout ObjectReader) -> PodTemplateSpec {
        var t = PodTemplateSpec()
        t.metadata = metadata(&o)
        if var s = o.object("spec", "PodSpec") { t.spec = podSpec(&s) }
        o.finish()
        return t
    }

    static func labelSelector(_ o: inout ObjectReader) -> LabelSelector {
        var sel = LabelSelector()
        sel.matchLabels = o.stringMap("matchLabels")
        if let exprs = o.objects("matchExpressions", "LabelSelectorRequirement") {
            sel.matchExpressions = exprs.map { e in
                var e = e
                let x = LabelSelector.Expression(key: e.string("key") ?? "", op: e.string("operator") ?? "", values: e.stringList("values"))
                e.finish()
                return x
            }
        }
        o.finish()
        return sel
    }

    // MARK: Kinds

    public static func pod(_ v: Value, lenient: Bool = false) throws(DecodeError) -> Pod {
        try decode(v, lenient: lenient) { r in
            var p = Pod()
            p.metadata = metadata(&r)
            if var s = r.object("spec", "PodSpec") { p.spec = podSpec(&s).compactingTokenVolume() }
            _ = r.raw("status")
            return p
        }
    }

    public static func service(_ v: Value, lenient: Bool = false) throws(DecodeError) -> Service {
        try decode(v, lenient: lenient) { r in
            var svc = Service()
            svc.metadata = metadata(&r)
            if var s = r.object("spec", "ServiceSpec") {
                var spec = ServiceSpec()
                spec.type = ServiceType(s.string("type") ?? "")
                spec.selector = s.stringMap("selector")
                for var p in s.objects("ports", "ServicePort") ?? [] {
                    var sp = ServicePort()
                    sp.name = p.string("name") ?? ""
                    sp.proto = PortProtocol(p.string("protocol") ?? "")
                    sp.appProtocol = p.string("appProtocol")
                    sp.port = p.int("port") ?? 0
                    sp.targetPort = p.intOrString("targetPort") ?? .int(0)
                    sp.nodePort = p.int("nodePort") ?? 0
                    p.finish()
                    spec.ports.append(sp)
                }
                spec.clusterIP = s.string("clusterIP") ?? ""
                spec.clusterIPs = s.stringList("clusterIPs") ?? []
                spec.externalIPs = s.stringList("externalIPs") ?? []
                spec.externalName = s.string("externalName") ?? ""
                spec.sessionAffinity = SessionAffinity(s.string("sessionAffinity") ?? "")
                if var c = s.object("sessionAffinityConfig", "SessionAffinityConfig") {
                    spec.sessionAffinityConfigSet = true
                    if var ip = c.object("clientIP", "ClientIPConfig") {
                        spec.sessionAffinityTimeout = ip.int("timeoutSeconds") ?? -1
                        ip.finish()
                    } else {
                        spec.sessionAffinityTimeout = nil
                    }
                    c.finish()
                }
                spec.ipFamilies = s.stringList("ipFamilies") ?? []
                spec.ipFamilyPolicy = s.string("ipFamilyPolicy")
                spec.internalTrafficPolicy = s.string("internalTrafficPolicy")
                spec.externalTrafficPolicy = s.string("externalTrafficPolicy")
                spec.loadBalancerIP = s.string("loadBalancerIP") ?? ""
                spec.loadBalancerSourceRanges = s.stringList("loadBalancerSourceRanges") ?? []
                spec.loadBalancerClass = s.string("loadBalancerClass")
                spec.allocateLoadBalancerNodePorts = s.bool("allocateLoadBalancerNodePorts")
                spec.healthCheckNodePort = s.int("healthCheckNodePort") ?? 0
                spec.publishNotReadyAddresses = s.bool("publishNotReadyAddresses") ?? false
                spec.trafficDistribution = s.string("trafficDistribution")
                s.finish()
                svc.spec = spec
            }
            _ = r.raw("status")
            return svc
        }
    }

    public static func deployment(_ v: Value, lenient: Bool = false) throws(DecodeError) -> Deployment {
        try decode(v, lenient: lenient) { r in
            var d = Deployment()
            d.metadata = metadata(&r)
            if var s = r.object("spec", "DeploymentSpec") {
                d.spec.replicas = s.int("replicas")
                if var sel = s.object("selector", "LabelSelector") { d.spec.selector = labelSelector(&sel) }
                if var t = s.object("template", "PodTemplateSpec") { d.spec.template = podTemplate(&t) }
                if var st = s.object("strategy", "DeploymentStrategy") {
                    d.spec.strategy.type = st.string("type") ?? "RollingUpdate"
                    if var ru = st.object("rollingUpdate", "RollingUpdateDeployment") {
                        d.spec.strategy.maxSurge = ru.intOrString("maxSurge") ?? .string("25%")
                        d.spec.strategy.maxUnavailable = ru.intOrString("maxUnavailable") ?? .string("25%")
                        ru.finish()
                    }
                    if d.spec.strategy.type == "Recreate" { d.spec.strategy.maxSurge = nil; d.spec.strategy.maxUnavailable = nil }
                    st.finish()
                }
                d.spec.minReadySeconds = s.int("minReadySeconds") ?? 0
                d.spec.revisionHistoryLimit = s.int("revisionHistoryLimit") ?? 10
                d.spec.progressDeadlineSeconds = s.int("progressDeadlineSeconds") ?? 600
                d.spec.paused = s.bool("paused") ?? false
                s.finish()
            }
            _ = r.raw("status")
            return d
        }
    }

    public static func replicaSet(_ v: Value, lenient: Bool = false) throws(DecodeError) -> ReplicaSet {
        try decode(v, lenient: lenient) { r in
            var rs = ReplicaSet()
            rs.metadata = metadata(&r)
            if var s = r.object("spec", "ReplicaSetSpec") {
                rs.spec.replicas = s.int("replicas")
                if var sel = s.object("selector", "LabelSelector") { rs.spec.selector = labelSelector(&sel) }
                if var t = s.object("template", "PodTemplateSpec") { rs.spec.template = podTemplate(&t) }
                rs.spec.minReadySeconds = s.int("minReadySeconds") ?? 0
                s.finish()
            }
            _ = r.raw("status")
            return rs
        }
    }

    public static func namespace(_ v: Value, lenient: Bool = false) throws(DecodeError) -> Namespace {
        try decode(v, lenient: lenient) { r in
            var ns = Namespace()
            ns.metadata = metadata(&r)
            if var s = r.object("spec", "NamespaceSpec") { _ = s.stringList("finalizers"); s.finish() }
            _ = r.raw("status")
            return ns
        }
    }

    static func objectReference(_ o: inout ObjectReader) -> ObjectReference {
        let ref = ObjectReference(kind: o.string("kind") ?? "", namespace: o.string("namespace") ?? "",
                                  name: o.string("name") ?? "", uid: o.string("uid") ?? "",
                                  apiVersion: o.string("apiVersion") ?? "", fieldPath: o.string("fieldPath") ?? "")
        _ = o.string("resourceVersion")
        o.finish()
        return ref
    }

    public static func endpoints(_ v: Value, lenient: Bool = false) throws(DecodeError) -> Endpoints {
        try decode(v, lenient: lenient) { r in
            var ep = Endpoints()
            ep.metadata = metadata(&r)
            func addresses(_ list: [ObjectReader]?) -> [EndpointAddress] {
                (list ?? []).map { a in
                    var a = a
                    var addr = EndpointAddress(ip: a.string("ip") ?? "")
                    addr.hostname = a.string("hostname") ?? ""
                    addr.nodeName = a.string("nodeName")
                    if var t = a.object("targetRef", "ObjectReference") { addr.targetRef = objectReference(&t) }
                    a.finish()
                    return addr
                }
            }
            for var s in r.objects("subsets", "EndpointSubset") ?? [] {
                var subset = EndpointSubset()
                subset.addresses = addresses(s.objects("addresses", "EndpointAddress"))
                subset.notReadyAddresses = addresses(s.objects("notReadyAddresses", "EndpointAddress"))
                for var p in s.objects("ports", "EndpointPort") ?? [] {
                    subset.ports.append(EndpointPort(name: p.string("name") ?? "", port: p.int("port") ?? 0,
                                                     proto: PortProtocol(p.string("protocol") ?? "TCP"), appProtocol: p.string("appProtocol")))
                    p.finish()
                }
                s.finish()
                ep.subsets.append(subset)
            }
            return ep
        }
    }
}

extension ManifestDecoder {
    /// `status.conditions` of a pod as a status write sends them (readiness gates are set so).
    public static func podConditions(_ v: Value?) -> [PodCondition] {
        (v?.arrayValue ?? []).map { c in
            PodCondition(type: c["type"]?.stringValue ?? "", status: ConditionStatus(c["status"]?.stringValue ?? ""),
                         lastTransitionTime: c["lastTransitionTime"]?.stringValue.flatMap(Timestamps.parse),
                         reason: c["reason"]?.stringValue, message: c["message"]?.stringValue)
        }
    }

    /// A hand-written EndpointSlice (discovery.k8s.io/v1): a Service without a selector pointed
    /// at addresses outside the cluster, or endpoints someone manages themselves.
    public static func endpointSlice(_ v: Value, lenient: Bool = false) throws(DecodeError) -> EndpointSlice {
        try decode(v, lenient: lenient) { r in
            var slice = EndpointSlice()
            slice.metadata = metadata(&r)
            slice.addressType = r.string("addressType") ?? ""
            for var e in r.objects("endpoints", "Endpoint") ?? [] {
                var endpoint = SliceEndpoint(addresses: e.stringList("addresses") ?? [], conditions: EndpointConditions(ready: nil, serving: nil, terminating: nil))
                if var c = e.object("conditions", "EndpointConditions") {
                    endpoint.conditions = EndpointConditions(ready: c.bool("ready"), serving: c.bool("serving"), terminating: c.bool("terminating"))
                    c.finish()
                }
                endpoint.hostname = e.string("hostname")
                endpoint.nodeName = e.string("nodeName")
                endpoint.zone = e.string("zone")
                if var t = e.object("targetRef", "ObjectReference") { endpoint.targetRef = objectReference(&t) }
                if var h = e.object("hints", "EndpointHints") {
                    endpoint.hintZones = (h.objects("forZones", "ForZone") ?? []).map { z in
                        var z = z
                        defer { z.finish() }
                        return z.string("name") ?? ""
                    }
                    h.finish()
                }
                e.finish()
                slice.endpoints.append(endpoint)
            }
            for var p in r.objects("ports", "EndpointPort") ?? [] {
                slice.ports.append(SlicePort(name: p.string("name"), port: p.int("port"), proto: p.string("protocol").map(PortProtocol.init), appProtocol: p.string("appProtocol")))
                p.finish()
            }
            return slice
        }
    }
}

/// A manifest document decoded into one of the kinds svclab knows.
public enum KubeObject: Equatable, Sendable {
    case namespace(Namespace)
    case pod(Pod)
    case service(Service)
    case deployment(Deployment)
    case replicaSet(ReplicaSet)
    case endpoints(Endpoints)
    case endpointSlice(EndpointSlice)
    /// A kind the cluster only stores (ConfigMap): see StoredObject.
    case stored(StoredObject)

    public var kind: String {
        switch self {
        case let .stored(o): return o.objectKind
        case .namespace: return Namespace.kind
        case .pod: return Pod.kind
        case .service: return Service.kind
        case .deployment: return Deployment.kind
        case .replicaSet: return ReplicaSet.kind
        case .endpoints: return Endpoints.kind
        case .endpointSlice: return EndpointSlice.kind
        }
    }
    public var metadata: ObjectMeta {
        get {
            switch self {
            case let .namespace(o): return o.metadata
            case let .pod(o): return o.metadata
            case let .service(o): return o.metadata
            case let .deployment(o): return o.metadata
            case let .replicaSet(o): return o.metadata
            case let .endpoints(o): return o.metadata
            case let .endpointSlice(o): return o.metadata
            case let .stored(o): return o.metadata
            }
        }
        set {
            switch self {
            case var .namespace(o): o.metadata = newValue; self = .namespace(o)
            case var .pod(o): o.metadata = newValue; self = .pod(o)
            case var .service(o): o.metadata = newValue; self = .service(o)
            case var .deployment(o): o.metadata = newValue; self = .deployment(o)
            case var .replicaSet(o): o.metadata = newValue; self = .replicaSet(o)
            case var .endpoints(o): o.metadata = newValue; self = .endpoints(o)
            case var .endpointSlice(o): o.metadata = newValue; self = .endpointSlice(o)
            case var .stored(o): o.metadata = newValue; self = .stored(o)
            }
        }
    }
    /// What the registry says of this object's kind.
    public var resourceDescription: ResourceDescription { ResourceRegistry.kind(kind)! }
    public var typePrefix: String { resourceDescription.typePrefix }
    public var qualifiedResource: String { resourceDescription.qualifiedResource }
    public var namespaced: Bool { resourceDescription.namespaced }
}

/// Why a manifest document could not become an object; each case knows kubectl's wording.
public enum ManifestError: Error, Equatable, Sendable {
    /// YAML/JSON syntax: `error: error parsing FILE: <message>`.
    case syntax(source: String, message: String)
    /// `kind` missing: client-side check.
    case kindNotSet(source: String)
    case apiVersionNotSet(source: String)
    /// kind/version unknown to the server.
    case noMatch(name: String, namespace: String, source: String, kind: String, version: String)
    /// Strict decoding or type error from the server (400 BadRequest).
    case badRequest(source: String, kind: String, version: String, detail: String)
}

public enum Manifest {
    /// Reads every document of a file (`source` is the name kubectl would print) into objects,
    /// one result per document, so a bad document does not stop the good ones.
    public static func load(_ text: String, source: String) -> [Result<KubeObject, ManifestError>] {
        documents(text, source: source).map(\.result)
    }

    /// Like `load`, keeping each document's value (kubectl stores it as last-applied-configuration).
    public static func documents(_ text: String, source: String) -> [ManifestDocument] {
        let docs: [Value]
        do { docs = try ValueLoader.documents(from: text) } catch {
            return [ManifestDocument(value: nil, result: .failure(.syntax(source: source, message: error.message)))]
        }
        var out: [ManifestDocument] = []
        for doc in docs {
            if case let .array(items)? = doc["items"], doc["kind"]?.stringValue?.hasSuffix("List") == true {
                for item in items { out.append(ManifestDocument(value: item, result: decodeDocument(item, source: source))) }
            } else {
                out.append(ManifestDocument(value: doc, result: decodeDocument(doc, source: source)))
            }
        }
        return out
    }

    public static func decodeDocument(_ doc: Value, source: String) -> Result<KubeObject, ManifestError> {
        guard case .object = doc else {
            return .failure(.syntax(source: source, message: "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(doc.jsonTypeName) into Go value of type map[string]interface {}"))
        }
        guard let kind = doc["kind"]?.stringValue, !kind.isEmpty else { return .failure(.kindNotSet(source: source)) }
        guard let apiVersion = doc["apiVersion"]?.stringValue, !apiVersion.isEmpty else { return .failure(.apiVersionNotSet(source: source)) }
        let name = doc["metadata"]?["name"]?.stringValue ?? ""
        let namespace = doc["metadata"]?["namespace"]?.stringValue ?? ""
        guard let description = ResourceRegistry.kind(kind), apiVersion == description.apiVersion, let decode = description.decode else {
            return .failure(.noMatch(name: name, namespace: namespace, source: source, kind: kind, version: apiVersion))
        }
        do {
            return .success(try decode(doc))
        } catch {
            return .failure(.badRequest(source: source, kind: kind, version: apiVersion, detail: error.detail))
        }
    }
}

public struct ManifestDocument: Sendable {
    public var value: Value?
    public var result: Result<KubeObject, ManifestError>
}
