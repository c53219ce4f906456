import ClusterModel

/// What the API server answers instead of an object: a value (reason, code, causes). kubectl's words for it are in Kubectl (ErrorText.swift); serve's Status in APIServer.
public enum APIError: Error, Equatable, Sendable {
    case notFound(resource: String, name: String)
    case alreadyExists(resource: String, name: String)
    case invalid(InvalidObjectError)
    case badRequest(String)
    case forbidden(String)
    case internalError(String)

    public var reason: String {
        switch self {
        case .notFound: return "NotFound"
        case .alreadyExists: return "AlreadyExists"
        case .invalid: return "Invalid"
        case .badRequest: return "BadRequest"
        case .forbidden: return "Forbidden"
        case .internalError: return "InternalError"
        }
    }

    /// The Status message: `services "x" not found`.
    public var message: String {
        switch self {
        case let .notFound(r, n): return "\(r) \(goQuote(n)) not found"
        case let .alreadyExists(r, n): return "\(r) \(goQuote(n)) already exists"
        case let .invalid(e): return e.serverMessage
        case let .badRequest(m), let .forbidden(m): return m
        case let .internalError(m): return "Internal error occurred: \(m)"
        }
    }
}

/// The API surface the shell, the TUI and scenarios use. Objects arrive decoded and defaulted;
/// these run validation and admission (allocation) and then store.
extension Cluster {
    func requireNamespace(_ ns: String) throws(APIError) {
        guard namespaces.get("", ns) != nil else { throw .notFound(resource: "namespaces", name: ns) }
        if namespaces.get("", ns)?.phase == "Terminating" {
            throw .forbidden("unable to create new content in namespace \(ns) because it is being terminated")
        }
    }

    func validated(_ object: KubeObject, old: KubeObject? = nil) throws(APIError) {
        let causes = old.map { Validation.validate(object, old: $0) } ?? Validation.validate(object)
        if !causes.isEmpty {
            throw .invalid(InvalidObjectError(kind: object.kind, name: object.metadata.name, causes: causes))
        }
    }

    /// Looks an object up by kind.
    public func get(kind: String, namespace: String, name: String) -> KubeObject? {
        switch kind {
        case Namespace.kind: return namespaces.get("", name).map(KubeObject.namespace)
        case Pod.kind: return pods.get(namespace, name).map(KubeObject.pod)
        case Service.kind: return services.get(namespace, name).map(KubeObject.service)
        case Deployment.kind: return deployments.get(namespace, name).map(KubeObject.deployment)
        case ReplicaSet.kind: return replicaSets.get(namespace, name).map(KubeObject.replicaSet)
        case Endpoints.kind: return endpoints.get(namespace, name).map(KubeObject.endpoints)
        case EndpointSlice.kind: return endpointSlices.get(namespace, name).map(KubeObject.endpointSlice)
        default: return stored[kind]?.get(namespace, name).map(KubeObject.stored)
        }
    }

    /// `dryRun=All`: what a create or update checks — defaults, the namespace, validation —
    /// with nothing stored. Returns the object as it would be stored (defaulted).
    public func checkedForDryRun(_ object: KubeObject) throws(APIError) -> KubeObject {
        var object = object
        Defaults.apply(&object)
        if object.namespaced { try requireNamespace(object.metadata.namespace.isEmpty ? "default" : object.metadata.namespace) }
        try validated(object)
        return object
    }

    /// `dryRun=All` on a POST: everything `create` checks — defaults, the namespace, validation,
    /// then AlreadyExists — with nothing stored (kubectl create/run/expose --dry-run=server and
    /// serve's POST answer from here).
    public func checkedCreateForDryRun(_ object: KubeObject) throws(APIError) -> KubeObject {
        let checked = try checkedForDryRun(object)
        let ns = checked.namespaced ? (checked.metadata.namespace.isEmpty ? "default" : checked.metadata.namespace) : ""
        if get(kind: checked.kind, namespace: ns, name: checked.metadata.name) != nil {
            throw .alreadyExists(resource: checked.qualifiedResource, name: checked.metadata.name)
        }
        // What the server returns for a dry-run create: stamped (UID, creation time,
        // generation) but never stored. The UID comes from a generator made for this call, so a
        // dry run draws nothing from the streams that name real objects.
        var stamped = checked
        var meta = stamped.metadata
        meta.namespace = ns
        var once = SeededRandom(seed: config.seed ^ UInt64(bitPattern: resourceVersion) ^ 0x6472_7972_756E_0000)
        meta.uid = once.uuid()
        meta.creationTimestamp = (clock.now / 1000) * 1000
        meta.generation = 1
        stamped.metadata = meta
        return stamped
    }

    /// POST: creates the object (namespace already filled in for namespaced kinds).
    @discardableResult
    public func create(_ object: KubeObject) throws(APIError) -> KubeObject {
        var object = object
        Defaults.apply(&object)
        var meta = object.metadata
        if object.namespaced {
            if meta.namespace.isEmpty { meta.namespace = "default" }
            object.metadata = meta
        } else {
            meta.namespace = ""
            object.metadata = meta
        }
        if meta.name.isEmpty && !meta.generateName.isEmpty {
            meta.name = String(meta.generateName.prefix(58)) + draw(for: meta.namespace, meta.generateName) { $0.nameSuffix() }
            object.metadata = meta
        }
        try validated(object)
        if get(kind: object.kind, namespace: meta.namespace, name: meta.name) != nil {
            throw .alreadyExists(resource: object.qualifiedResource, name: meta.name)
        }
        if object.namespaced { try requireNamespace(meta.namespace) }
        stampNew(&meta)
        object.metadata = meta
        defer { settle() }
        switch object {
        case var .namespace(ns):
            ns.phase = "Active"
            putNamespace(ns)
            return .namespace(namespaces.get("", ns.metadata.name)!)
        case var .pod(pod):
            if let problem = serviceAccountProblem(pod.spec, namespace: meta.namespace) {
                throw .forbidden("pods \(goQuote(meta.name)) is forbidden: \(problem)")
            }
            admitServiceAccount(&pod)
            pod.status = PodStatus()
            pod.status.qosClass = qosClass(pod.spec)
            pod.metadata.generation = 1
            let stored = putPod(pod)
            // A pod bound at creation (spec.nodeName, as kubectl debug node/… writes it) never
            // sees the scheduler: the node's kubelet picks it up from its watch and runs it.
            if !stored.spec.nodeName.isEmpty, nodes.get("", stored.spec.nodeName) != nil { kubelet.admit(stored) }
            return .pod(stored)
        case var .service(svc):
            try allocate(for: &svc, previous: nil)
            return .service(putService(svc))
        case var .deployment(d):
            d.status = DeploymentStatus()
            return .deployment(putDeployment(d))
        case var .replicaSet(rs):
            rs.status = ReplicaSetStatus()
            return .replicaSet(putReplicaSet(rs))
        case let .endpoints(ep):
            putEndpoints(ep)
            return .endpoints(endpoints.get(ep.metadata.namespace, ep.metadata.name)!)
        case var .endpointSlice(slice):
            slice.metadata.generation = 1
            putWrittenSlice(slice)
            return .endpointSlice(endpointSlices.get(slice.metadata.namespace, slice.metadata.name)!)
        case var .stored(o):
            o.description.stored?.prepareForCreate(&o)
            return .stored(putStored(o))
        }
    }

    /// PUT: replaces what the user owns (metadata labels/annotations, spec), keeping what the
    /// server owns (uid, creation time, status, allocations). Bumps generation on spec change.
    @discardableResult
    public func update(_ object: KubeObject) throws(APIError) -> KubeObject {
        var object = object
        Defaults.apply(&object)
        let ns = object.namespaced ? (object.metadata.namespace.isEmpty ? "default" : object.metadata.namespace) : ""
        var meta = object.metadata
        meta.namespace = ns
        object.metadata = meta
        guard let current = get(kind: object.kind, namespace: ns, name: meta.name) else {
            throw .notFound(resource: object.qualifiedResource, name: meta.name)
        }
        if case var .service(new) = object, case let .service(old) = current {
            Self.dropTypeDependentFields(&new.spec, old: old.spec)
            object = .service(new)
        }
        try validated(object, old: current)
        var merged = current.metadata
        merged.labels = meta.labels
        merged.annotations = meta.annotations
        // A write through the API brings its field managers; others keep the recorded ones.
        if !meta.managedFields.isEmpty { merged.managedFields = meta.managedFields }
        defer { settle() }
        switch (object, current) {
        case let (.service(new), .service(old)):
            var svc = old
            svc.metadata = merged
            svc.spec = new.spec
            try allocate(for: &svc, previous: old)
            if svc == old { return .service(old) }
            return .service(putService(svc))
        case let (.deployment(new), .deployment(old)):
            var d = old
            d.metadata = merged
            d.spec = new.spec
            if d.spec != old.spec { d.metadata.generation += 1 }
            if d == old { return .deployment(old) }
            return .deployment(putDeployment(d))
        case let (.replicaSet(new), .replicaSet(old)):
            var rs = old
            rs.metadata = merged
            rs.spec = new.spec
            if rs.spec != old.spec { rs.metadata.generation += 1 }
            if rs == old { return .replicaSet(old) }
            return .replicaSet(putReplicaSet(rs))
        case let (.pod(new), .pod(old)):
            var pod = old
            pod.metadata = merged
            // Pod spec is immutable except for a few fields (image, activeDeadlineSeconds, tolerations).
            // Compared as stored (the token volume written out), kept compact when unchanged.
            var allowed = old.spec.admitted
            for i in allowed.containers.indices where i < new.spec.containers.count {
                allowed.containers[i].image = new.spec.containers[i].image
            }
            allowed.tolerations = new.spec.tolerations
            allowed.activeDeadlineSeconds = new.spec.activeDeadlineSeconds
            var normalizedNew = new.spec.admitted
            normalizedNew.nodeName = old.spec.nodeName
            // Both as the encoder would write them: a pod created from protobuf (`kubectl run`
            // through serve) keeps `resources: {}`, which its own JSON read back does not.
            Defaults.dropEncodedDefaults(&normalizedNew)
            var allowedWithoutDefaults = allowed
            Defaults.dropEncodedDefaults(&allowedWithoutDefaults)
            if normalizedNew != allowedWithoutDefaults {
                throw .invalid(InvalidObjectError(kind: "Pod", name: meta.name, causes: [
                    .forbidden(FieldPath("spec"), "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"),
                ]))
            }
            if allowed != old.spec.admitted { pod.spec = allowed }
            if pod == old { return .pod(old) }
            return .pod(putPod(pod))
        case let (.namespace(new), .namespace(old)):
            var n = old
            n.metadata = merged
            _ = new
            if n != old { putNamespace(n) }
            return .namespace(namespaces.get("", n.metadata.name)!)
        case let (.endpoints(new), .endpoints(old)):
            var e = old
            e.metadata = merged
            e.subsets = new.subsets
            if e != old { putEndpoints(e) }
            return .endpoints(endpoints.get(ns, meta.name)!)
        case let (.endpointSlice(new), .endpointSlice(old)):
            var slice = old
            slice.metadata = merged
            slice.endpoints = new.endpoints
            slice.ports = new.ports
            // The EndpointSlice strategy bumps generation on any change but metadata's.
            if slice.endpoints != old.endpoints || slice.ports != old.ports { slice.metadata.generation += 1 }
            if slice != old { putWrittenSlice(slice) }
            return .endpointSlice(endpointSlices.get(ns, meta.name)!)
        case let (.stored(new), .stored(old)):
            var o = old
            o.metadata = merged
            o.fields = new.fields
            o.description.stored?.prepareForUpdate(&o, old)
            if o == old { return .stored(old) }
            // An immutable ConfigMap (or Secret) refuses changes to its data, as the server does.
            if old["immutable"] == .bool(true) && (o.fields["data"] != old.fields["data"] || o.fields["binaryData"] != old.fields["binaryData"] || o.fields["immutable"] != old.fields["immutable"]) {
                throw .invalid(InvalidObjectError(kind: old.objectKind, name: meta.name, causes: [.forbidden(FieldPath("data"), "field is immutable when `immutable` is set")]))
            }
            return .stored(putStored(o))
        default:
            throw .badRequest("kind mismatch")
        }
    }

    /// DELETE with kubectl's default (background) propagation. Pods terminate gracefully unless
    /// `gracePeriodSeconds` is 0.
    public func delete(kind: String, namespace: String, name: String, gracePeriodSeconds: Int64? = nil) throws(APIError) {
        defer { settle() }
        switch kind {
        case Pod.kind:
            guard let pod = pods.get(namespace, name) else { throw .notFound(resource: "pods", name: name) }
            if Self.isMirrorPod(pod) { recreateMirrorPod(pod); return }
            deletePod(pod, gracePeriodSeconds: gracePeriodSeconds)
        case Service.kind:
            guard services.get(namespace, name) != nil else { throw .notFound(resource: "services", name: name) }
            removeService(ObjectKey(namespace, name))
        case Deployment.kind:
            guard let d = deployments.get(namespace, name) else { throw .notFound(resource: "deployments.apps", name: name) }
            removeDeployment(ObjectKey(namespace, name))
            for rsKey in replicaSetsByOwner.get(d.metadata.uid).sorted() {
                try? delete(kind: ReplicaSet.kind, namespace: rsKey.namespace, name: rsKey.name)
            }
        case ReplicaSet.kind:
            guard let rs = replicaSets.get(namespace, name) else { throw .notFound(resource: "replicasets.apps", name: name) }
            removeReplicaSet(ObjectKey(namespace, name))
            for podKey in podsByOwner.get(rs.metadata.uid).sorted() {
                if let pod = pods.get(podKey) { deletePod(pod, gracePeriodSeconds: nil) }
            }
        case Endpoints.kind:
            guard endpoints.get(namespace, name) != nil else { throw .notFound(resource: "endpoints", name: name) }
            removeEndpoints(ObjectKey(namespace, name))
        case EndpointSlice.kind:
            guard let slice = endpointSlices.get(namespace, name) else { throw .notFound(resource: EndpointSlice.resourceDescription.qualifiedResource, name: name) }
            let service = slice.serviceName
            removeSlice(ObjectKey(namespace, name), service: service)
            // The EndpointSlice (and mirroring) controller watches slices: deleting one it
            // manages queues its Service, which writes the slice again.
            if services.get(namespace, service) != nil { endpointController.enqueueService(ObjectKey(namespace, service)) }
        case let k where ResourceRegistry.kind(k)?.stored != nil:
            guard eraseStored(kind: k, ObjectKey(namespace, name)) != nil else {
                throw .notFound(resource: KubeObjectKinds.qualifiedResource(k), name: name)
            }
        case Namespace.kind:
            guard var ns = namespaces.get("", name) else { throw .notFound(resource: "namespaces", name: name) }
            if ["default", "kube-system", "kube-public", "kube-node-lease"].contains(name) {
                throw .forbidden("namespaces \(goQuote(name)) is forbidden: this namespace may not be deleted")
            }
            ns.phase = "Terminating"
            ns.metadata.deletionTimestamp = clock.now
            putNamespace(ns)
            for d in deployments.list(namespace: name) { try? delete(kind: Deployment.kind, namespace: name, name: d.metadata.name) }
            for r in replicaSets.list(namespace: name) { try? delete(kind: ReplicaSet.kind, namespace: name, name: r.metadata.name) }
            for s in services.list(namespace: name) { removeService(ObjectKey(name, s.metadata.name)) }
            for p in pods.list(namespace: name) { deletePod(p, gracePeriodSeconds: nil) }
            for e in endpoints.list(namespace: name) { removeEndpoints(ObjectKey(name, e.metadata.name)) }
            for e in endpointSlices.list(namespace: name) {
                removeSlice(ObjectKey(name, e.metadata.name), service: e.serviceName)
            }
            for (kind, store) in stored.sorted(by: { $0.key < $1.key }) {
                for o in store.list(namespace: name) { eraseStored(kind: kind, ObjectKey(name, o.metadata.name)) }
            }
            finishNamespaceDeletionIfEmpty(name)
        default:
            throw .badRequest("unsupported kind \(kind)")
        }
    }

    func finishNamespaceDeletionIfEmpty(_ name: String) {
        guard let ns = namespaces.get("", name), ns.phase == "Terminating", pods.count(in: name) == 0 else { return }
        for e in events.list(namespace: name) { erase(ObjectKey(name, e.metadata.name), from: \.events) }
        erase(ObjectKey("", name), from: \.namespaces)
    }

    /// Sets `spec.replicas` through the scale subresource.
    public func scale(kind: String, namespace: String, name: String, replicas: Int) throws(APIError) {
        defer { settle() }
        switch kind {
        case Deployment.kind:
            guard var d = deployments.get(namespace, name) else { throw .notFound(resource: "deployments.apps", name: name) }
            if d.spec.replicas != replicas { d.spec.replicas = replicas; d.metadata.generation += 1; putDeployment(d) }
        case ReplicaSet.kind:
            guard var rs = replicaSets.get(namespace, name) else { throw .notFound(resource: "replicasets.apps", name: name) }
            if rs.spec.replicas != replicas { rs.spec.replicas = replicas; rs.metadata.generation += 1; putReplicaSet(rs) }
        default:
            throw .badRequest("scale is not supported for \(kind)")
        }
    }

    /// Replaces an object's labels (kubectl label), keeping everything else.
    public func setLabels(kind: String, namespace: String, name: String, labels: [String: String]) throws(APIError) {
        try setMetadata(kind: kind, namespace: namespace, name: name, labels: labels, annotations: nil)
    }

    /// Replaces labels and/or annotations (kubectl label / annotate), validating them as the API
    /// server does; the object is unchanged if they are invalid.
    public func setMetadata(kind: String, namespace: String, name: String, labels: [String: String]?, annotations: [String: String]?) throws(APIError) {
        guard var object = get(kind: kind, namespace: namespace, name: name) else {
            throw .notFound(resource: KubeObjectKinds.qualifiedResource(kind), name: name)
        }
        var meta = object.metadata
        if let labels { meta.labels = labels }
        if let annotations { meta.annotations = annotations }
        var causes = Validation.labels(meta.labels, at: FieldPath("metadata.labels"))
        causes += Validation.annotations(meta.annotations, at: FieldPath("metadata.annotations"))
        if !causes.isEmpty { throw .invalid(InvalidObjectError(kind: kind, name: name, causes: causes)) }
        if meta == object.metadata { return }
        object.metadata = meta
        defer { settle() }
        switch object {
        case let .pod(p): putPod(p)
        case let .service(s): putService(s)
        case let .deployment(d): putDeployment(d)
        case let .replicaSet(r): putReplicaSet(r)
        case let .namespace(n): putNamespace(n)
        case let .endpoints(e): putEndpoints(e)
        case let .endpointSlice(e): putWrittenSlice(e)
        case let .stored(o): putStored(o)
        }
    }

    /// A write to a pod's status subresource (`kubectl patch pod --subresource=status`): the
    /// conditions the kubelet does not own — a readiness gate's — are taken from `conditions`;
    /// the kubelet's own (Ready, ContainersReady, …) stay its own, and Ready is then worked out
    /// again from the gates, as the kubelet does on its next sync.
    public func setPodGateConditions(namespace: String, name: String, conditions: [PodCondition]) throws(APIError) {
        guard var pod = pods.get(namespace, name) else { throw .notFound(resource: "pods", name: name) }
        let kubeletOwned: Set<String> = ["PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "DisruptionTarget"]
        // validatePodConditions (pkg/apis/core/validation): other types are qualified names.
        var causes: [FieldError] = []
        for (i, c) in conditions.enumerated() where !["PodScheduled", "Ready", "Initialized"].contains(c.type) {
            causes += NameRules.qualifiedName(c.type).map { .invalid(FieldPath("status.conditions").index(i).child("Type"), c.type, $0) }
        }
        if !causes.isEmpty { throw .invalid(InvalidObjectError(kind: Pod.kind, name: name, causes: causes)) }
        let now = (clock.now / 1000) * 1000
        var next = pod.status.conditions.filter { kubeletOwned.contains($0.type) }
        for var c in conditions where !kubeletOwned.contains(c.type) {
            if let old = pod.status.condition(c.type), c.lastTransitionTime == nil {
                c.lastTransitionTime = old.status == c.status ? old.lastTransitionTime : now
            }
            next.append(c)
        }
        if next == pod.status.conditions { return }
        pod.status.conditions = next
        if pod.status.condition("ContainersReady")?.status == .true { kubelet.setReadyFromGates(&pod) }
        defer { settle() }
        putPod(pod)
    }

    /// Labels and annotations of any kind kubectl label/annotate can address (nodes included).
    public func metadata(kind: String, namespace: String, name: String) -> ObjectMeta? {
        if kind == Node.kind { return nodes.get("", name)?.metadata }
        return get(kind: kind, namespace: namespace, name: name)?.metadata
    }

    /// Node labels (kubectl label node …): validated, then the scheduler reconsiders pending pods.
    public func setNodeMetadata(name: String, labels: [String: String]?, annotations: [String: String]?) throws(APIError) {
        guard var node = nodes.get("", name) else { throw .notFound(resource: "nodes", name: name) }
        if let labels { node.metadata.labels = labels }
        if let annotations { node.metadata.annotations = annotations }
        let causes = Validation.labels(node.metadata.labels, at: FieldPath("metadata.labels"))
        if !causes.isEmpty { throw .invalid(InvalidObjectError(kind: "Node", name: name, causes: causes)) }
        defer { settle() }
        putNode(node)
    }

    func qosClass(_ spec: PodSpec) -> String {
        spec.containers.contains { $0.extra["resources"] != nil } ? "Burstable" : "BestEffort"
    }
}

public enum KubeObjectKinds {
    /// `services` / `deployments.apps` for a kind (the registry's; a kind it lacks guesses as Go does).
    public static func qualifiedResource(_ kind: String) -> String {
        ResourceRegistry.kind(kind)?.qualifiedResource ?? kind.lowercased() + "s"
    }
}

extension Cluster {
    /// The Service strategy's dropTypeDependentFields (pkg/registry/core/service/strategy.go): on
    /// an update that changes the type, fields the new type does not use are wiped — but only
    /// those the server may have filled in and the user left as they were (the same nodePorts,
    /// the same clusterIP, …). So `type: NodePort` → `ClusterIP` drops the allocated nodePorts
    /// and externalTrafficPolicy instead of failing validation; a nodePort the user changed
    /// in the same update is kept, and validation then refuses it as the API server does.
    static func dropTypeDependentFields(_ new: inout ServiceSpec, old: ServiceSpec) {
        func needsClusterIP(_ s: ServiceSpec) -> Bool { s.type != .externalName }
        func needsNodePort(_ s: ServiceSpec) -> Bool { s.type.hasNodePorts }
        func needsHealthCheckNodePort(_ s: ServiceSpec) -> Bool { s.type == .loadBalancer && s.externalTrafficPolicy == "Local" }
        if needsClusterIP(old) && !needsClusterIP(new) {
            if new.clusterIP == old.clusterIP && new.clusterIPs == old.clusterIPs { new.clusterIP = ""; new.clusterIPs = [] }
            if new.ipFamilies == old.ipFamilies { new.ipFamilies = [] }
            if new.ipFamilyPolicy == old.ipFamilyPolicy { new.ipFamilyPolicy = nil }
        }
        // sameNodePorts: every port of the new spec that matches an old one by port and protocol
        // carries the old nodePort (or none).
        let sameNodePorts = new.ports.allSatisfy { p in
            guard let o = old.ports.first(where: { $0.port == p.port && $0.proto == p.proto }) else { return p.nodePort == 0 }
            return p.nodePort == 0 || p.nodePort == o.nodePort
        }
        if needsNodePort(old) && !needsNodePort(new) && sameNodePorts {
            for i in new.ports.indices { new.ports[i].nodePort = 0 }
        }
        if needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(new) && new.healthCheckNodePort == old.healthCheckNodePort {
            new.healthCheckNodePort = 0
        }
        if old.type == .loadBalancer && new.type != .loadBalancer {
            if new.allocateLoadBalancerNodePorts != nil, new.allocateLoadBalancerNodePorts == old.allocateLoadBalancerNodePorts { new.allocateLoadBalancerNodePorts = nil }
            if new.loadBalancerClass == old.loadBalancerClass { new.loadBalancerClass = nil }
        }
        if needsNodePort(old) && !needsNodePort(new) && new.externalTrafficPolicy == old.externalTrafficPolicy {
            new.externalTrafficPolicy = nil
        }
    }
}
