/// Typed objects back to the JSON data model, with the fields and defaults a 1.33 API server
/// returns (what `kubectl get -o yaml|json` prints). Key order does not matter here: the
/// printers sort keys as kubectl does.
public enum ObjectEncoder {
    static func obj(_ pairs: [(String, Value?)]) -> Value {
        .object(pairs.compactMap { k, v in v.map { (k, $0) } })
    }
    static func str(_ s: String?) -> Value? { s.map(Value.string) }
    static func nonEmpty(_ s: String) -> Value? { s.isEmpty ? nil : .string(s) }
    static func int(_ i: Int?) -> Value? { i.map { .int(Int64($0)) } }
    static func map(_ m: [String: String]) -> Value? { m.isEmpty ? nil : .object(m.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) }
    static func time(_ t: Millis?) -> Value { t.map { .string(Timestamps.rfc3339($0)) } ?? .null }
    static func list(_ items: [Value]) -> Value? { items.isEmpty ? nil : .array(items) }

    /// `generation` only on kinds whose spec the server versions (Deployments, ReplicaSets).
    public static func metadata(_ m: ObjectMeta, namespaced: Bool = true, template: Bool = false, generation: Bool = false) -> Value {
        if template {
            return obj([("creationTimestamp", .null), ("labels", map(m.labels)), ("annotations", map(m.annotations))])
        }
        return obj([
            ("annotations", map(m.annotations)),
            ("creationTimestamp", time(m.creationTimestamp)),
            ("deletionGracePeriodSeconds", m.deletionGracePeriodSeconds.map { .int($0) }),
            ("deletionTimestamp", m.deletionTimestamp.map { .string(Timestamps.rfc3339($0)) }),
            ("generateName", nonEmpty(m.generateName)),
            ("generation", generation && m.generation > 0 ? .int(m.generation) : nil),
            ("labels", map(m.labels)),
            ("managedFields", list(m.managedFields.map { e in
                obj([("apiVersion", .string(e.apiVersion)), ("fieldsType", .string("FieldsV1")), ("fieldsV1", e.fieldsV1),
                     ("manager", .string(e.manager)), ("operation", .string(e.operation)), ("subresource", e.subresource.map(Value.string)),
                     ("time", time(e.time))])
            })),
            ("name", .string(m.name)),
            ("namespace", namespaced ? nonEmpty(m.namespace) : nil),
            ("ownerReferences", list(m.ownerReferences.map { o in
                obj([("apiVersion", .string(o.apiVersion)), ("blockOwnerDeletion", o.blockOwnerDeletion.map(Value.bool)),
                     ("controller", o.controller.map(Value.bool)), ("kind", .string(o.kind)), ("name", .string(o.name)), ("uid", .string(o.uid))])
            })),
            ("resourceVersion", nonEmpty(m.resourceVersion)),
            ("uid", nonEmpty(m.uid)),
        ])
    }

    static func probe(_ p: Probe) -> Value {
        var handler: (String, Value)?
        switch p.handler {
        case let .httpGet(path, port, scheme, host): handler = ("httpGet", obj([("host", host.isEmpty ? nil : .string(host)), ("path", .string(path)), ("port", port.value), ("scheme", .string(scheme))]))
        case let .tcpSocket(port): handler = ("tcpSocket", obj([("port", port.value)]))
        case let .exec(command): handler = ("exec", obj([("command", .array(command.map(Value.string)))]))
        case let .grpc(port): handler = ("grpc", obj([("port", .int(Int64(port))), ("service", .string(""))]))
        case .none: handler = nil
        }
        return obj([handler.map { ($0.0, $0.1) } ?? ("", nil),
                    ("failureThreshold", int(p.failureThreshold)), ("initialDelaySeconds", p.initialDelaySeconds == 0 ? nil : int(p.initialDelaySeconds)),
                    ("periodSeconds", int(p.periodSeconds)), ("successThreshold", int(p.successThreshold)), ("timeoutSeconds", int(p.timeoutSeconds))])
    }

    static func container(_ c: Container) -> Value {
        var pairs: [(String, Value?)] = [
            ("name", .string(c.name)), ("image", .string(c.image)), ("imagePullPolicy", nonEmpty(c.imagePullPolicy)),
            ("command", c.command.map { .array($0.map(Value.string)) }), ("args", c.args.map { .array($0.map(Value.string)) }),
            ("ports", list(c.ports.map { p in obj([("containerPort", int(p.containerPort)), ("hostPort", p.hostPort.map { .int(Int64($0)) }), ("name", str(p.name)), ("protocol", .string(p.proto.rawValue))]) })),
            ("env", list(c.env.map { e in obj([("name", .string(e.name)), ("value", str(e.value)), ("valueFrom", e.valueFrom)]) })),
            ("readinessProbe", c.readinessProbe.map(probe)), ("livenessProbe", c.livenessProbe.map(probe)), ("startupProbe", c.startupProbe.map(probe)),
            ("resources", c.extra["resources"] ?? .object([])),
            ("terminationMessagePath", c.extra["terminationMessagePath"] ?? .string("/dev/termination-log")),
            ("terminationMessagePolicy", c.extra["terminationMessagePolicy"] ?? .string("File")),
        ]
        for (k, v) in c.extra where !["resources", "terminationMessagePath", "terminationMessagePolicy"].contains(k) { pairs.append((k, v)) }
        return obj(pairs)
    }

    /// A pod's tolerations after the DefaultTolerationSeconds admission plugin, which adds
    /// not-ready and unreachable (NoExecute, 300 s) unless the pod tolerates them already.
    public static func admittedTolerations(_ s: PodSpec) -> [Toleration] {
        var list = s.tolerations
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
        where !s.tolerations.contains(where: { t in (t.key == key || (t.key ?? "").isEmpty) && ((t.effect ?? "").isEmpty || t.effect == "NoExecute") }) {
            list.append(Toleration(key: key, op: "Exists", effect: "NoExecute", tolerationSeconds: 300))
        }
        return list
    }

    /// The pod's spec.priority as the Priority admission plugin sets it.
    public static func priority(_ s: PodSpec) -> Int64 {
        s.extra["priority"]?.intValue ?? priority(ofClass: s.extra["priorityClassName"]?.stringValue)
    }

    /// Any object as the API server returns it.
    public static func value(_ o: KubeObject) -> Value {
        switch o {
        case let .namespace(n): return namespace(n)
        case let .pod(p): return pod(p)
        case let .service(s): return service(s)
        case let .deployment(d): return deployment(d)
        case let .replicaSet(r): return replicaSet(r)
        case let .endpoints(e): return endpoints(e)
        case let .endpointSlice(s): return endpointSlice(s)
        case let .stored(s): return stored(s)
        }
    }

    public static func priority(ofClass name: String?) -> Int64 {
        switch name {
        case "system-node-critical": return 2_000_001_000
        case "system-cluster-critical": return 2_000_000_000
        default: return 0
        }
    }

    static func podSpec(_ s: PodSpec, pod: Bool) -> Value {
        let s = s.admitted
        var pairs: [(String, Value?)] = [
            ("containers", .array(s.containers.map(container))),
            ("initContainers", list(s.initContainers.map(container))),
            ("dnsPolicy", .string(s.dnsPolicy)),
            ("enableServiceLinks", pod ? .bool(s.enableServiceLinks) : nil),
            ("hostname", nonEmpty(s.hostname)), ("subdomain", nonEmpty(s.subdomain)),
            ("hostNetwork", s.hostNetwork ? .bool(true) : nil),
            ("nodeName", nonEmpty(s.nodeName)),
            ("nodeSelector", map(s.nodeSelector)),
            ("preemptionPolicy", pod ? .string("PreemptLowerPriority") : nil),
            // The Priority admission plugin: the class's value (the two system classes), else 0.
            ("priority", pod ? s.extra["priority"] ?? .int(Self.priority(ofClass: s.extra["priorityClassName"]?.stringValue)) : nil),
            ("restartPolicy", .string(s.restartPolicy)),
            ("schedulerName", .string(s.schedulerName)),
            ("securityContext", s.extra["securityContext"] ?? .object([])),
            ("serviceAccount", pod || s.serviceAccountName != "default" ? .string(s.serviceAccountName) : nil),
            ("serviceAccountName", pod || s.serviceAccountName != "default" ? .string(s.serviceAccountName) : nil),
            ("terminationGracePeriodSeconds", .int(s.terminationGracePeriodSeconds)),
        ]
        let tolerations = (pod ? admittedTolerations(s) : s.tolerations).map { t in
            obj([("effect", str(t.effect)), ("key", str(t.key)), ("operator", str(t.op)), ("tolerationSeconds", t.tolerationSeconds.map { .int($0) }), ("value", str(t.value))])
        }
        pairs.append(("tolerations", list(tolerations)))
        for (k, v) in s.extra where k != "securityContext" && k != "priority" { pairs.append((k, v)) }
        return obj(pairs)
    }

    public static func pod(_ p: Pod) -> Value {
        let st = p.status
        return obj([
            ("apiVersion", .string("v1")), ("kind", .string("Pod")),
            ("metadata", metadata(p.metadata)),
            ("spec", podSpec(p.spec, pod: true)),
            ("status", obj([
                ("conditions", list(st.conditions.map { c in
                    obj([("lastProbeTime", .null), ("lastTransitionTime", time(c.lastTransitionTime)), ("message", str(c.message)),
                         ("reason", str(c.reason)), ("status", .string(c.status.rawValue)), ("type", .string(c.type))])
                })),
                ("containerStatuses", list(st.containerStatuses.map { cs in
                    func state(_ s: ContainerStatus.State) -> Value {
                        switch s {
                        case let .running(t): return obj([("running", obj([("startedAt", time(t))]))])
                        case let .waiting(r): return obj([("waiting", obj([("reason", .string(r))]))])
                        case let .terminated(r, code, started, t):
                            return obj([("terminated", obj([("containerID", str(ContainerIdentity.ids(cs, podUID: p.metadata.uid).containerID)),
                                                            ("exitCode", .int(Int64(code))), ("finishedAt", time(t)), ("reason", .string(r)),
                                                            ("startedAt", started.map(time) ?? nil)]))])
                        }
                    }
                    let ids = ContainerIdentity.ids(cs, podUID: p.metadata.uid)
                    return obj([("containerID", str(ids.containerID)), ("image", .string(cs.image)), ("imageID", .string(ids.imageID)),
                                ("lastState", cs.lastState.map(state) ?? obj([])), ("name", .string(cs.name)), ("ready", .bool(cs.ready)),
                                ("restartCount", .int(Int64(cs.restartCount))), ("started", .bool(cs.started)), ("state", state(cs.state))])
                })),
                ("hostIP", nonEmpty(st.hostIP)), ("hostIPs", st.hostIP.isEmpty ? nil : .array([obj([("ip", .string(st.hostIP))])])),
                ("phase", .string(st.phase.rawValue)),
                ("podIP", nonEmpty(st.podIP)), ("podIPs", st.podIP.isEmpty ? nil : .array([obj([("ip", .string(st.podIP))])])),
                ("qosClass", .string(st.qosClass)),
                ("startTime", st.startTime.map { .string(Timestamps.rfc3339($0)) }),
            ])),
        ])
    }

    public static func service(_ s: Service) -> Value {
        let sp = s.spec
        return obj([
            ("apiVersion", .string("v1")), ("kind", .string("Service")),
            ("metadata", metadata(s.metadata)),
            ("spec", obj([
                ("allocateLoadBalancerNodePorts", sp.allocateLoadBalancerNodePorts.map(Value.bool)),
                ("clusterIP", nonEmpty(sp.clusterIP)), ("clusterIPs", list(sp.clusterIPs.map(Value.string))),
                ("externalIPs", list(sp.externalIPs.map(Value.string))),
                ("externalName", nonEmpty(sp.externalName)),
                ("externalTrafficPolicy", str(sp.externalTrafficPolicy)),
                ("healthCheckNodePort", sp.healthCheckNodePort == 0 ? nil : int(sp.healthCheckNodePort)),
                ("internalTrafficPolicy", str(sp.internalTrafficPolicy)),
                ("ipFamilies", list(sp.ipFamilies.map(Value.string))), ("ipFamilyPolicy", str(sp.ipFamilyPolicy)),
                ("loadBalancerIP", nonEmpty(sp.loadBalancerIP)),
                ("ports", list(sp.ports.map { p in
                    obj([("appProtocol", str(p.appProtocol)), ("name", nonEmpty(p.name)), ("nodePort", p.nodePort == 0 ? nil : int(p.nodePort)),
                         ("port", int(p.port)), ("protocol", .string(p.proto.rawValue)), ("targetPort", p.targetPort.value)])
                })),
                ("publishNotReadyAddresses", sp.publishNotReadyAddresses ? .bool(true) : nil),
                ("selector", sp.selector.flatMap(map)),
                ("sessionAffinity", .string(sp.sessionAffinity.rawValue)),
                ("sessionAffinityConfig", sp.sessionAffinityConfigSet ? obj([("clientIP", obj([("timeoutSeconds", int(sp.sessionAffinityTimeout))]))]) : nil),
                ("type", .string(sp.type.rawValue)),
            ])),
            ("status", obj([("loadBalancer", s.loadBalancerIngress.isEmpty ? .object([]) : obj([("ingress", .array(s.loadBalancerIngress.map { obj([("hostname", str($0.hostname)), ("ip", str($0.ip)), ("ipMode", str($0.ipMode))]) }))]))])),
        ])
    }

    static func selector(_ s: LabelSelector?) -> Value? {
        guard let s else { return nil }
        return obj([("matchLabels", s.matchLabels.flatMap(map)),
                    ("matchExpressions", s.matchExpressions.map { .array($0.map { e in obj([("key", .string(e.key)), ("operator", .string(e.op)), ("values", e.values.map { .array($0.map(Value.string)) })]) }) })])
    }

    public static func template(_ t: PodTemplateSpec) -> Value {
        obj([("metadata", metadata(t.metadata, template: true)), ("spec", podSpec(t.spec, pod: false))])
    }

    public static func deployment(_ d: Deployment) -> Value {
        let st = d.status
        return obj([
            ("apiVersion", .string("apps/v1")), ("kind", .string("Deployment")),
            ("metadata", metadata(d.metadata, generation: true)),
            ("spec", obj([
                ("progressDeadlineSeconds", int(d.spec.progressDeadlineSeconds)), ("replicas", int(d.desiredReplicas)),
                ("revisionHistoryLimit", int(d.spec.revisionHistoryLimit)), ("selector", selector(d.spec.selector)),
                ("minReadySeconds", d.spec.minReadySeconds == 0 ? nil : int(d.spec.minReadySeconds)),
                ("paused", d.spec.paused ? .bool(true) : nil),
                ("strategy", d.spec.strategy.type == "RollingUpdate"
                    ? obj([("rollingUpdate", obj([("maxSurge", d.spec.strategy.maxSurge?.value), ("maxUnavailable", d.spec.strategy.maxUnavailable?.value)])), ("type", .string("RollingUpdate"))])
                    : obj([("type", .string(d.spec.strategy.type))])),
                ("template", template(d.spec.template)),
            ])),
            ("status", obj([
                ("availableReplicas", st.availableReplicas == 0 ? nil : int(st.availableReplicas)),
                ("conditions", list(st.conditions.map { c in
                    obj([("lastTransitionTime", time(c.lastTransitionTime)), ("lastUpdateTime", time(c.lastUpdateTime)), ("message", .string(c.message)),
                         ("reason", .string(c.reason)), ("status", .string(c.status.rawValue)), ("type", .string(c.type))])
                })),
                ("observedGeneration", st.observedGeneration == 0 ? nil : .int(st.observedGeneration)),
                ("readyReplicas", st.readyReplicas == 0 ? nil : int(st.readyReplicas)),
                ("replicas", st.replicas == 0 ? nil : int(st.replicas)),
                ("unavailableReplicas", st.unavailableReplicas == 0 ? nil : int(st.unavailableReplicas)),
                ("updatedReplicas", st.updatedReplicas == 0 ? nil : int(st.updatedReplicas)),
            ])),
        ])
    }

    public static func replicaSet(_ r: ReplicaSet) -> Value {
        let st = r.status
        return obj([
            ("apiVersion", .string("apps/v1")), ("kind", .string("ReplicaSet")),
            ("metadata", metadata(r.metadata, generation: true)),
            ("spec", obj([("replicas", int(r.desiredReplicas)), ("selector", selector(r.spec.selector)), ("template", template(r.spec.template))])),
            ("status", obj([("availableReplicas", st.availableReplicas == 0 ? nil : int(st.availableReplicas)),
                            ("fullyLabeledReplicas", st.fullyLabeledReplicas == 0 ? nil : int(st.fullyLabeledReplicas)),
                            ("observedGeneration", st.observedGeneration == 0 ? nil : .int(st.observedGeneration)),
                            ("readyReplicas", st.readyReplicas == 0 ? nil : int(st.readyReplicas)), ("replicas", int(st.replicas))])),
        ])
    }

    static func reference(_ r: ObjectReference?) -> Value? {
        guard let r else { return nil }
        return obj([("kind", .string(r.kind)), ("name", .string(r.name)), ("namespace", nonEmpty(r.namespace)), ("uid", nonEmpty(r.uid))])
    }

    public static func endpoints(_ e: Endpoints) -> Value {
        func addr(_ a: EndpointAddress) -> Value {
            obj([("hostname", nonEmpty(a.hostname)), ("ip", .string(a.ip)), ("nodeName", str(a.nodeName)), ("targetRef", reference(a.targetRef))])
        }
        return obj([
            ("apiVersion", .string("v1")), ("kind", .string("Endpoints")),
            ("metadata", metadata(e.metadata)),
            ("subsets", list(e.subsets.map { s in
                obj([("addresses", list(s.addresses.map(addr))), ("notReadyAddresses", list(s.notReadyAddresses.map(addr))),
                     ("ports", list(s.ports.map { p in obj([("name", nonEmpty(p.name)), ("port", int(p.port)), ("protocol", .string(p.proto.rawValue))]) }))])
            })),
        ])
    }

    public static func endpointSlice(_ s: EndpointSlice) -> Value {
        obj([
            ("addressType", .string(s.addressType)), ("apiVersion", .string("discovery.k8s.io/v1")), ("kind", .string("EndpointSlice")),
            ("endpoints", .array(s.endpoints.map { e in
                obj([("addresses", .array(e.addresses.map(Value.string))),
                     ("conditions", obj([("ready", e.conditions.ready.map(Value.bool)), ("serving", e.conditions.serving.map(Value.bool)), ("terminating", e.conditions.terminating.map(Value.bool))])),
                     ("hints", e.hintZones.map { zones in obj([("forZones", .array(zones.map { obj([("name", .string($0))]) }))]) }),
                     ("hostname", str(e.hostname)), ("nodeName", str(e.nodeName)), ("targetRef", reference(e.targetRef)), ("zone", str(e.zone))])
            })),
            ("metadata", metadata(s.metadata)),
            ("ports", .array(s.ports.map { p in obj([("appProtocol", str(p.appProtocol)), ("name", str(p.name)), ("port", int(p.port)), ("protocol", str(p.proto?.rawValue))]) })),
        ])
    }

    public static func namespace(_ n: Namespace) -> Value {
        obj([("apiVersion", .string("v1")), ("kind", .string("Namespace")), ("metadata", metadata(n.metadata, namespaced: false)),
             ("spec", obj([("finalizers", .array([.string("kubernetes")]))])), ("status", obj([("phase", .string(n.phase))]))])
    }

    public static func node(_ n: Node) -> Value { node(n, now: n.metadata.creationTimestamp ?? 0) }

    /// `now`: the conditions' last heartbeat is the latest before it (NodeStatus).
    public static func node(_ n: Node, now: Millis) -> Value {
        obj([
            ("apiVersion", .string("v1")), ("kind", .string("Node")), ("metadata", metadata(n.metadata, namespaced: false)),
            ("spec", obj([("podCIDR", .string(n.podCIDR)), ("podCIDRs", .array([.string(n.podCIDR)])),
                          ("providerID", .string("kind://docker/svclab/\(n.metadata.name)")),
                          ("taints", list(n.taints.map { t in obj([("effect", .string(t.effect)), ("key", .string(t.key)), ("value", str(t.value))]) })),
                          ("unschedulable", n.unschedulable ? .bool(true) : nil)])),
            ("status", obj([
                ("addresses", .array([obj([("address", .string(n.internalIP)), ("type", .string("InternalIP"))]), obj([("address", .string(n.metadata.name)), ("type", .string("Hostname"))])])),
                ("allocatable", .object(NodeStatus.capacity(n).map { ($0.0, .string($0.1)) })),
                ("capacity", .object(NodeStatus.capacity(n).map { ($0.0, .string($0.1)) })),
                ("conditions", .array(NodeStatus.conditions(n, now: now).map { c in
                    obj([("lastHeartbeatTime", time(c.heartbeat)), ("lastTransitionTime", time(c.transition)), ("message", .string(c.message)),
                         ("reason", .string(c.reason)), ("status", .string(c.status.rawValue)), ("type", .string(c.type))])
                })),
                ("daemonEndpoints", obj([("kubeletEndpoint", obj([("Port", .int(10250))]))])),
                ("nodeInfo", obj([("architecture", .string("amd64")), ("bootID", .string(NodeStatus.bootID(n))), ("containerRuntimeVersion", .string(n.containerRuntime)),
                                  ("kernelVersion", .string(n.kernelVersion)), ("kubeProxyVersion", .string("")), ("kubeletVersion", .string(n.kubeletVersion)),
                                  ("machineID", .string(NodeStatus.machineID(n))), ("operatingSystem", .string("linux")), ("osImage", .string(n.osImage)),
                                  ("systemUUID", .string(NodeStatus.systemUUID(n)))])),
            ])),
        ])
    }

    public static func event(_ e: Event) -> Value {
        obj([
            ("apiVersion", .string("v1")), ("kind", .string("Event")), ("count", int(e.count)), ("firstTimestamp", time(e.firstTimestamp)),
            ("involvedObject", obj([("apiVersion", nonEmpty(e.involvedObject.apiVersion)), ("fieldPath", nonEmpty(e.involvedObject.fieldPath)),
                                    ("kind", .string(e.involvedObject.kind)), ("name", .string(e.involvedObject.name)),
                                    ("namespace", nonEmpty(e.involvedObject.namespace)), ("uid", nonEmpty(e.involvedObject.uid))])),
            ("lastTimestamp", time(e.lastTimestamp)), ("message", .string(e.message)), ("metadata", metadata(e.metadata)),
            ("reason", .string(e.reason)), ("reportingComponent", .string(e.source.component)), ("reportingInstance", .string(e.source.host)),
            ("source", obj([("component", .string(e.source.component)), ("host", nonEmpty(e.source.host))])), ("type", .string(e.type)),
        ])
    }
}
