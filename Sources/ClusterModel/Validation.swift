/// The API server's validation (pkg/apis/core/validation, pkg/apis/apps/validation), in the
/// order the server runs its checks, so several causes print in the same order.
public enum Validation {
    public static func labelKey(_ key: String, at path: FieldPath) -> [FieldError] {
        NameRules.qualifiedName(key).map { .invalid(path, key, $0) }
    }

    /// ValidateLabels: keys, then values; path has no key index (as upstream).
    public static func labels(_ labels: [String: String], at path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for k in labels.keys.sorted() {
            errs.append(contentsOf: labelKey(k, at: path))
            errs.append(contentsOf: NameRules.labelValue(labels[k]!).map { .invalid(path, labels[k]!, $0) })
        }
        return errs
    }

    public static func annotations(_ annotations: [String: String], at path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for k in annotations.keys.sorted() {
            errs.append(contentsOf: NameRules.qualifiedName(k.lowercased()).map { .invalid(path, k, $0) })
        }
        let total = annotations.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        if total > 256 * 1024 {
            errs.append(FieldError(.tooLong, path, nil, "may not be more than 262144 bytes"))
        }
        return errs
    }

    public static func objectMeta(_ meta: ObjectMeta, kind: String, namespaced: Bool, at path: FieldPath = FieldPath("metadata")) -> [FieldError] {
        var errs: [FieldError] = []
        if meta.name.isEmpty && meta.generateName.isEmpty {
            errs.append(.required(path.child("name"), "name or generateName is required"))
        } else if !meta.name.isEmpty {
            errs.append(contentsOf: NameRules.objectName(meta.name, kind: kind).map { .invalid(path.child("name"), meta.name, $0) })
        }
        if namespaced {
            if !meta.namespace.isEmpty {
                errs.append(contentsOf: NameRules.dns1123Label(meta.namespace).map { .invalid(path.child("namespace"), meta.namespace, $0) })
            }
        }
        errs.append(contentsOf: labels(meta.labels, at: path.child("labels")))
        errs.append(contentsOf: annotations(meta.annotations, at: path.child("annotations")))
        return errs
    }

    // MARK: Service

    static let supportedProtocols = PortProtocol.supported

    public static func service(_ svc: Service) -> [FieldError] {
        var errs = objectMeta(svc.metadata, kind: "Service", namespaced: true)
        let spec = svc.spec
        let specPath = FieldPath("spec")
        let headless = spec.isHeadless
        if spec.ports.isEmpty && !headless && spec.type != .externalName {
            errs.append(.required(specPath.child("ports")))
        }
        switch spec.type {
        case .loadBalancer:
            if headless { errs.append(.invalid(specPath.child("clusterIPs").index(0), "None", "may not be set to 'None' for LoadBalancer services")) }
            for (i, p) in spec.ports.enumerated() where p.port == 10250 {
                errs.append(.invalid(specPath.child("ports").index(i), p.port, "may not expose port 10250 externally since it is used by kubelet"))
            }
        case .nodePort:
            if headless { errs.append(.invalid(specPath.child("clusterIPs").index(0), "None", "may not be set to 'None' for NodePort services")) }
        case .externalName:
            if !spec.clusterIPs.isEmpty { errs.append(.forbidden(specPath.child("clusterIPs"), "may not be set for ExternalName services")) }
            if !spec.ipFamilies.isEmpty { errs.append(.forbidden(specPath.child("ipFamilies"), "may not be set for ExternalName services")) }
            if spec.ipFamilyPolicy != nil { errs.append(.forbidden(specPath.child("ipFamilyPolicy"), "may not be set for ExternalName services")) }
            let cname = spec.externalName.hasSuffix(".") ? String(spec.externalName.dropLast()) : spec.externalName
            if cname.isEmpty { errs.append(.required(specPath.child("externalName"))) }
            else { errs.append(contentsOf: NameRules.dns1123Subdomain(cname).map { .invalid(specPath.child("externalName"), cname, $0) }) }
        default: break
        }

        var names = Set<String>()
        for (i, p) in spec.ports.enumerated() {
            let pp = specPath.child("ports").index(i)
            if spec.ports.count > 1 && p.name.isEmpty {
                errs.append(.required(pp.child("name")))
            } else if !p.name.isEmpty {
                errs.append(contentsOf: NameRules.dns1123Label(p.name).map { .invalid(pp.child("name"), p.name, $0) })
                if names.contains(p.name) { errs.append(.duplicate(pp.child("name"), .string(p.name))) } else { names.insert(p.name) }
            }
            errs.append(contentsOf: NameRules.portNumber(p.port).map { .invalid(pp.child("port"), p.port, $0) })
            if p.proto.isEmpty { errs.append(.required(pp.child("protocol"))) }
            else if !p.proto.isKnown { errs.append(.notSupported(pp.child("protocol"), p.proto.rawValue, supportedProtocols)) }
            errs.append(contentsOf: portNumOrName(p.targetPort, at: pp.child("targetPort")))
            if let ap = p.appProtocol { errs.append(contentsOf: NameRules.qualifiedName(ap).map { .invalid(pp.child("appProtocol"), ap, $0) }) }
        }

        if let sel = spec.selector { errs.append(contentsOf: labels(sel, at: specPath.child("selector"))) }

        if spec.sessionAffinity.isEmpty { errs.append(.required(specPath.child("sessionAffinity"))) }
        else if !spec.sessionAffinity.isKnown {
            errs.append(.notSupported(specPath.child("sessionAffinity"), spec.sessionAffinity.rawValue, SessionAffinity.supported))
        }
        let cfg = specPath.child("sessionAffinityConfig")
        if spec.sessionAffinity == .clientIP {
            if !spec.sessionAffinityConfigSet {
                errs.append(.required(cfg, "when session affinity type is ClientIP"))
            } else if let t = spec.sessionAffinityTimeout {
                if t == -1 {
                    errs.append(.required(cfg.child("clientIP", "timeoutSeconds"), "when session affinity type is ClientIP"))
                } else if t <= 0 || t > 86400 {
                    errs.append(.invalid(cfg.child("clientIP", "timeoutSeconds"), t, "must be greater than 0 and less than 86400"))
                }
            } else {
                errs.append(.required(cfg.child("clientIP"), "when session affinity type is ClientIP"))
            }
        } else if spec.sessionAffinity == .none, spec.sessionAffinityConfigSet {
            errs.append(.forbidden(cfg, "must not be set when session affinity is None"))
        }

        errs.append(contentsOf: clusterIPFields(spec, at: specPath))

        for (i, ip) in spec.externalIPs.enumerated() {
            errs.append(contentsOf: NameRules.ipAddress(ip).map { .invalid(specPath.child("externalIPs").index(i), ip, $0) })
        }

        if spec.type.isEmpty { errs.append(.required(specPath.child("type"))) }
        else if !spec.type.isKnown {
            errs.append(.notSupported(specPath.child("type"), spec.type.rawValue, ServiceType.supported))
        }
        if spec.type == .clusterIP {
            for (i, p) in spec.ports.enumerated() where p.nodePort != 0 {
                errs.append(.forbidden(specPath.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
            }
        }
        var nodePorts = Set<String>()
        for (i, p) in spec.ports.enumerated() where p.nodePort != 0 {
            let key = "\(p.proto)/\(p.nodePort)"
            if nodePorts.contains(key) { errs.append(.duplicate(specPath.child("ports").index(i).child("nodePort"), .number(Int64(p.nodePort)))) }
            nodePorts.insert(key)
        }
        var seen = Set<String>()
        for (i, p) in spec.ports.enumerated() {
            let key = "\(p.proto)/\(p.port)"
            if seen.contains(key) {
                let rendered = "core.ServicePort{Name:\"\", Protocol:\(goQuote(p.proto.rawValue)), AppProtocol:(*string)(nil), Port:\(p.port), TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
                errs.append(.duplicate(specPath.child("ports").index(i), .goSyntax(rendered)))
            }
            seen.insert(key)
        }
        if let etp = spec.externalTrafficPolicy {
            if !spec.type.hasNodePorts && spec.externalIPs.isEmpty {
                errs.append(.invalid(specPath.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services"))
            } else if !["Cluster", "Local"].contains(etp) {
                errs.append(.notSupported(specPath.child("externalTrafficPolicy"), etp, ["Cluster", "Local"]))
            }
        }
        if let itp = spec.internalTrafficPolicy, !["Cluster", "Local"].contains(itp) {
            errs.append(.notSupported(specPath.child("internalTrafficPolicy"), itp, ["Cluster", "Local"]))
        }
        // validateTrafficDistribution (1.33: PreferSameZone/PreferSameNode sit behind an alpha gate).
        if let td = spec.trafficDistribution, td != "PreferClose" {
            errs.append(.notSupported(specPath.child("trafficDistribution"), td, ["PreferClose"]))
        }
        return errs
    }

    static func clusterIPFields(_ spec: ServiceSpec, at specPath: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if spec.type == .externalName { return errs }
        if !spec.clusterIPs.isEmpty, spec.clusterIP != spec.clusterIPs[0] {
            errs.append(.invalid(specPath.child("clusterIPs"), .goSyntax(goStringSlice(spec.clusterIPs)), "element [0] must match clusterIP"))
        }
        for (i, ip) in spec.clusterIPs.enumerated() where ip != "None" {
            errs.append(contentsOf: NameRules.ipAddress(ip).map { .invalid(specPath.child("clusterIPs").index(i), ip, $0) })
        }
        if spec.clusterIPs.count > 1 || spec.ipFamilies.count > 1 {
            errs.append(.invalid(specPath.child("ipFamilyPolicy"), spec.ipFamilyPolicy ?? "SingleStack", "must be RequireDualStack or PreferDualStack when multiple IPs or IP families are specified"))
        }
        for (i, f) in spec.ipFamilies.enumerated() where f != "IPv4" {
            if f == "IPv6" {
                errs.append(.invalid(specPath.child("ipFamilies").index(i), f, "not configured on this cluster"))
            } else {
                errs.append(.notSupported(specPath.child("ipFamilies").index(i), f, ["IPv4", "IPv6"]))
            }
        }
        if let p = spec.ipFamilyPolicy, !["SingleStack", "PreferDualStack", "RequireDualStack"].contains(p) {
            errs.append(.notSupported(specPath.child("ipFamilyPolicy"), p, ["PreferDualStack", "RequireDualStack", "SingleStack"]))
        }
        return errs
    }

    public static func portNumOrName(_ port: IntOrString, at path: FieldPath) -> [FieldError] {
        switch port {
        case let .int(i): return NameRules.portNumber(i).map { .invalid(path, i, $0) }
        case let .string(s): return NameRules.portName(s).map { .invalid(path, s, $0) }
        }
    }

    // MARK: Pod

    static func probe(_ p: Probe?, at path: FieldPath) -> [FieldError] {
        guard let p else { return [] }
        var errs: [FieldError] = []
        for (name, v) in [("initialDelaySeconds", p.initialDelaySeconds), ("timeoutSeconds", p.timeoutSeconds),
                          ("periodSeconds", p.periodSeconds), ("successThreshold", p.successThreshold),
                          ("failureThreshold", p.failureThreshold)] where v < 0 {
            errs.append(.invalid(path.child(name), v, "must be greater than or equal to 0"))
        }
        switch p.handler {
        case .none: errs.append(.required(path, "must specify a handler type"))
        case let .httpGet(_, port, _, _): errs.append(contentsOf: portNumOrName(port, at: path.child("httpGet", "port")))
        case let .tcpSocket(port): errs.append(contentsOf: portNumOrName(port, at: path.child("tcpSocket", "port")))
        case .exec, .grpc: break
        }
        return errs
    }

    static func containers(_ list: [Container], at path: FieldPath, portNames: inout Set<String>, allNames: inout Set<String>) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, c) in list.enumerated() {
            let cp = path.index(i)
            if c.name.isEmpty { errs.append(.required(cp.child("name"))) }
            else {
                errs.append(contentsOf: NameRules.dns1123Label(c.name).map { .invalid(cp.child("name"), c.name, $0) })
                if allNames.contains(c.name) { errs.append(.duplicate(cp.child("name"), .string(c.name))) }
                allNames.insert(c.name)
            }
            if c.image.trimmingCharacters(in: .whitespaces).isEmpty { errs.append(.required(cp.child("image"))) }
            for (j, port) in c.ports.enumerated() {
                let pp = cp.child("ports").index(j)
                if let n = port.name, !n.isEmpty {
                    errs.append(contentsOf: NameRules.portName(n).map { .invalid(pp.child("name"), n, $0) })
                    if portNames.contains(n) { errs.append(.duplicate(pp.child("name"), .string(n))) }
                    portNames.insert(n)
                }
                if port.containerPort == 0 { errs.append(.required(pp.child("containerPort"))) }
                else { errs.append(contentsOf: NameRules.portNumber(port.containerPort).map { .invalid(pp.child("containerPort"), port.containerPort, $0) }) }
                if let hp = port.hostPort, hp != 0 { errs.append(contentsOf: NameRules.portNumber(hp).map { .invalid(pp.child("hostPort"), hp, $0) }) }
                if port.proto.isEmpty { errs.append(.required(pp.child("protocol"))) }
                else if !port.proto.isKnown { errs.append(.notSupported(pp.child("protocol"), port.proto.rawValue, supportedProtocols)) }
            }
            for (j, e) in c.env.enumerated() where e.name.isEmpty {
                errs.append(.required(cp.child("env").index(j).child("name")))
            }
            errs.append(contentsOf: probe(c.livenessProbe, at: cp.child("livenessProbe")))
            errs.append(contentsOf: probe(c.readinessProbe, at: cp.child("readinessProbe")))
            errs.append(contentsOf: probe(c.startupProbe, at: cp.child("startupProbe")))
            if !["Always", "IfNotPresent", "Never"].contains(c.imagePullPolicy) {
                errs.append(.notSupported(cp.child("imagePullPolicy"), c.imagePullPolicy, ["Always", "IfNotPresent", "Never"]))
            }
        }
        return errs
    }

    public static func podSpec(_ spec: PodSpec, at path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var portNames = Set<String>()
        var names = Set<String>()
        errs.append(contentsOf: containers(spec.initContainers, at: path.child("initContainers"), portNames: &portNames, allNames: &names))
        if spec.containers.isEmpty { errs.append(.required(path.child("containers"))) }
        errs.append(contentsOf: containers(spec.containers, at: path.child("containers"), portNames: &portNames, allNames: &names))
        if !["Always", "OnFailure", "Never"].contains(spec.restartPolicy) {
            errs.append(.notSupported(path.child("restartPolicy"), spec.restartPolicy, ["Always", "Never", "OnFailure"]))
        }
        if !["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"].contains(spec.dnsPolicy) {
            errs.append(.notSupported(path.child("dnsPolicy"), spec.dnsPolicy, ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]))
        }
        errs.append(contentsOf: labels(spec.nodeSelector, at: path.child("nodeSelector")))
        if spec.terminationGracePeriodSeconds < 0 {
            errs.append(.invalid(path.child("terminationGracePeriodSeconds"), .number(spec.terminationGracePeriodSeconds), "must be greater than or equal to 0"))
        }
        if !spec.hostname.isEmpty {
            errs.append(contentsOf: NameRules.dns1123Label(spec.hostname).map { .invalid(path.child("hostname"), spec.hostname, $0) })
        }
        if !spec.subdomain.isEmpty {
            errs.append(contentsOf: NameRules.dns1123Label(spec.subdomain).map { .invalid(path.child("subdomain"), spec.subdomain, $0) })
        }
        for (i, t) in spec.tolerations.enumerated() {
            let tp = path.child("tolerations").index(i)
            if let op = t.op, !["Equal", "Exists"].contains(op) {
                errs.append(.notSupported(tp.child("operator"), op, ["Equal", "Exists"]))
            }
            if t.op == "Exists", let v = t.value, !v.isEmpty {
                errs.append(.invalid(tp.child("operator"), v, "value must be empty when `operator` is 'Exists'"))
            }
            if let e = t.effect, !e.isEmpty, !["NoExecute", "NoSchedule", "PreferNoSchedule"].contains(e) {
                errs.append(.notSupported(tp.child("effect"), e, ["NoExecute", "NoSchedule", "PreferNoSchedule"]))
            }
        }
        return errs
    }

    public static func pod(_ pod: Pod) -> [FieldError] {
        objectMeta(pod.metadata, kind: "Pod", namespaced: true) + podSpec(pod.spec, at: FieldPath("spec"))
    }

    // MARK: Deployment / ReplicaSet

    static func nonNegative(_ v: Int, at path: FieldPath) -> [FieldError] {
        v < 0 ? [.invalid(path, v, "must be greater than or equal to 0")] : []
    }

    static func selectorAndTemplate(selector: LabelSelector?, template: PodTemplateSpec, at spec: FieldPath, emptyMessage: String) -> [FieldError] {
        var errs: [FieldError] = []
        if let sel = selector {
            errs.append(contentsOf: sel.validate(at: spec.child("selector")))
            if sel.isEmpty {
                errs.append(.invalid(spec.child("selector"), .goSyntax(goLabelSelector(sel)), emptyMessage))
            }
        } else {
            errs.append(.required(spec.child("selector")))
        }
        let tpath = spec.child("template")
        if let expr = try? (selector ?? LabelSelector()).expression() {
            if !expr.isEmpty, !expr.matches(template.metadata.labels) {
                errs.append(.invalid(tpath.child("metadata", "labels"), .goSyntax(goMapSyntax(template.metadata.labels)), "`selector` does not match template `labels`"))
            }
        } else {
            errs.append(.invalid(spec.child("selector"), .goSyntax(goLabelSelector(selector ?? LabelSelector())), "invalid label selector"))
        }
        errs.append(contentsOf: labels(template.metadata.labels, at: tpath.child("metadata", "labels")))
        errs.append(contentsOf: podSpec(template.spec, at: tpath.child("spec")))
        if template.spec.restartPolicy != "Always" {
            errs.append(.notSupported(tpath.child("spec", "restartPolicy"), template.spec.restartPolicy, ["Always"]))
        }
        if template.spec.activeDeadlineSeconds != nil {
            errs.append(.forbidden(tpath.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicaSet is not Supported"))
        }
        return errs
    }

    static func goLabelSelector(_ s: LabelSelector) -> String {
        let ml = s.matchLabels.map { goMapSyntax($0) } ?? "map[string]string(nil)"
        let me: String
        if let exprs = s.matchExpressions {
            me = "[]v1.LabelSelectorRequirement{" + exprs.map {
                "v1.LabelSelectorRequirement{Key:\(goQuote($0.key)), Operator:\(goQuote($0.op)), Values:\($0.values.map(goStringSlice) ?? "[]string(nil)")}"
            }.joined(separator: ", ") + "}"
        } else { me = "[]v1.LabelSelectorRequirement(nil)" }
        return "v1.LabelSelector{MatchLabels:\(ml), MatchExpressions:\(me)}"
    }

    public static func deployment(_ d: Deployment) -> [FieldError] {
        var errs = objectMeta(d.metadata, kind: "Deployment", namespaced: true)
        let spec = FieldPath("spec")
        errs.append(contentsOf: nonNegative(d.desiredReplicas, at: spec.child("replicas")))
        errs.append(contentsOf: selectorAndTemplate(selector: d.spec.selector, template: d.spec.template, at: spec, emptyMessage: "empty selector is invalid for deployment"))
        if !["RollingUpdate", "Recreate"].contains(d.spec.strategy.type) {
            errs.append(.notSupported(spec.child("strategy", "type"), d.spec.strategy.type, ["Recreate", "RollingUpdate"]))
        }
        errs.append(contentsOf: nonNegative(d.spec.minReadySeconds, at: spec.child("minReadySeconds")))
        errs.append(contentsOf: nonNegative(d.spec.revisionHistoryLimit, at: spec.child("revisionHistoryLimit")))
        if d.spec.progressDeadlineSeconds <= d.spec.minReadySeconds {
            errs.append(.invalid(spec.child("progressDeadlineSeconds"), d.spec.progressDeadlineSeconds, "must be greater than minReadySeconds"))
        }
        return errs
    }

    public static func replicaSet(_ rs: ReplicaSet) -> [FieldError] {
        var errs = objectMeta(rs.metadata, kind: "ReplicaSet", namespaced: true)
        let spec = FieldPath("spec")
        errs.append(contentsOf: nonNegative(rs.desiredReplicas, at: spec.child("replicas")))
        errs.append(contentsOf: nonNegative(rs.spec.minReadySeconds, at: spec.child("minReadySeconds")))
        errs.append(contentsOf: selectorAndTemplate(selector: rs.spec.selector, template: rs.spec.template, at: spec, emptyMessage: "empty selector is invalid for deployment"))
        return errs
    }

    public static func namespace(_ ns: Namespace) -> [FieldError] {
        objectMeta(ns.metadata, kind: "Namespace", namespaced: false)
    }

    public static func endpoints(_ ep: Endpoints) -> [FieldError] {
        var errs = objectMeta(ep.metadata, kind: "Endpoints", namespaced: true)
        for (i, s) in ep.subsets.enumerated() {
            let sp = FieldPath("subsets").index(i)
            for (j, a) in s.addresses.enumerated() {
                let problems = IPv4.parse(a.ip) == nil ? NameRules.ipAddress(a.ip) : NameRules.specialIPProblems(a.ip)
                errs.append(contentsOf: problems.map { .invalid(sp.child("addresses").index(j).child("ip"), a.ip, $0) })
            }
            for (j, a) in s.notReadyAddresses.enumerated() {
                let problems = IPv4.parse(a.ip) == nil ? NameRules.ipAddress(a.ip) : NameRules.specialIPProblems(a.ip)
                errs.append(contentsOf: problems.map { .invalid(sp.child("notReadyAddresses").index(j).child("ip"), a.ip, $0) })
            }
            for (j, p) in s.ports.enumerated() {
                let pp = sp.child("ports").index(j)
                if s.ports.count > 1, p.name.isEmpty { errs.append(.required(pp.child("name"))) }
                errs.append(contentsOf: NameRules.portNumber(p.port).map { .invalid(pp.child("port"), p.port, $0) })
            }
        }
        return errs
    }

    /// ValidateEndpointSlice (pkg/apis/discovery/validation/validation.go, v1.33): address type,
    /// at most 1000 endpoints of 1–100 addresses each (IPv4 addresses valid and not special),
    /// hostnames and port names DNS-1123 labels, port names unique, protocols TCP/UDP/SCTP.
    public static func endpointSlice(_ slice: EndpointSlice, old: EndpointSlice? = nil) -> [FieldError] {
        var errs = objectMeta(slice.metadata, kind: "EndpointSlice", namespaced: true)
        let supportedTypes = old == nil ? ["FQDN", "IPv4", "IPv6"] : ["FQDN", "IP", "IPv4", "IPv6"]
        if slice.addressType.isEmpty { errs.append(.required(FieldPath("addressType"))) }
        else if !supportedTypes.contains(slice.addressType) { errs.append(.notSupported(FieldPath("addressType"), slice.addressType, supportedTypes)) }
        let endpointsPath = FieldPath("endpoints")
        if slice.endpoints.count > 1000 {
            errs.append(.init(.tooMany, endpointsPath, nil, "must have at most 1000 items"))
        } else {
            for (i, e) in slice.endpoints.enumerated() {
                let addresses = endpointsPath.index(i).child("addresses")
                if e.addresses.isEmpty { errs.append(.required(addresses, "must contain at least 1 address")) }
                else if e.addresses.count > 100 { errs.append(.init(.tooMany, addresses, nil, "must have at most 100 items")) }
                for (j, address) in e.addresses.enumerated() where slice.addressType == "IPv4" {
                    if IPv4.parse(address) == nil { errs.append(.invalid(addresses.index(j), address, "must be a valid IPv4 address")) }
                    else { errs.append(contentsOf: NameRules.specialIPProblems(address).map { .invalid(addresses.index(j), address, $0) }) }
                }
                if let hostname = e.hostname {
                    errs.append(contentsOf: NameRules.dns1123Label(hostname).map { .invalid(endpointsPath.index(i).child("hostname"), hostname, $0) })
                }
            }
        }
        let portsPath = FieldPath("ports")
        if slice.ports.count > 100 {
            errs.append(.init(.tooMany, portsPath, nil, "must have at most 100 items"))
            return errs
        }
        var names = Set<String>()
        for (i, p) in slice.ports.enumerated() {
            let path = portsPath.index(i)
            let name = p.name ?? ""
            if !name.isEmpty { errs.append(contentsOf: NameRules.dns1123Label(name).map { .invalid(path.child("name"), name, $0) }) }
            if !names.insert(name).inserted { errs.append(.duplicate(path.child("name"), .string(name))) }
            if let proto = p.proto {
                if !proto.isKnown { errs.append(.notSupported(path.child("protocol"), proto.rawValue, supportedProtocols)) }
            } else { errs.append(.required(path.child("protocol"))) }
            if let app = p.appProtocol {
                errs.append(contentsOf: NameRules.qualifiedName(app).map { .invalid(path.child("appProtocol"), app, $0) })
            }
        }
        if let old, old.addressType != slice.addressType {
            errs.append(.invalid(FieldPath("addressType"), slice.addressType, "field is immutable"))
        }
        return errs
    }

    /// ValidateUpdate for any object: the kind's create rules plus what may not change (an
    /// EndpointSlice's addressType); kinds without update rules validate as on create.
    public static func validate(_ object: KubeObject, old: KubeObject) -> [FieldError] {
        if case let .endpointSlice(new) = object, case let .endpointSlice(previous) = old { return endpointSlice(new, old: previous) }
        return validate(object)
    }

    /// Validation for any decoded (and defaulted) object.
    public static func validate(_ object: KubeObject) -> [FieldError] {
        switch object {
        case let .service(s): return service(s)
        case let .pod(p): return pod(p)
        case let .deployment(d): return deployment(d)
        case let .replicaSet(r): return replicaSet(r)
        case let .namespace(n): return namespace(n)
        case let .endpoints(e): return endpoints(e)
        case let .endpointSlice(e): return endpointSlice(e)
        case let .stored(o):
            return objectMeta(o.metadata, kind: o.objectKind, namespaced: o.description.namespaced) + (o.description.stored?.validate(o) ?? [])
        }
    }
}

import Foundation
