import ClusterModel

/// The store's write path: stamp metadata, maintain indexes, tell controllers and watchers.
/// Controllers never touch the typed stores directly; they call these.
extension Cluster {
    /// The one write path: stamps a new resourceVersion, stores, lets the caller maintain its
    /// indexes and wake controllers (`react`), then tells watchers. Returns what was stored.
    @discardableResult
    func write<T: KubeResource>(_ object: T, into store: ReferenceWritableKeyPath<Cluster, TypedStore<T>>,
                                react: (_ old: T?, _ key: ObjectKey) -> Void = { _, _ in }) -> T {
        var object = object
        // A mirror keeps the real server's resourceVersion; the counter still tells readers
        // (the lab's refresh) that something changed.
        let version = nextResourceVersion()
        if !config.mirrorsRealCluster { object.stampResourceVersion(version) }
        let key = ObjectKey(object.storeNamespace, object.storeName)
        let old = self[keyPath: store].put(object)
        if mirrorJournal != nil { journalMirrorWrite(T.kind, key, before: old, after: object) }
        react(old, key)
        notify(old == nil ? .added : .modified, T.kind, key)
        return object
    }

    /// Deletes from a store (nil if absent), with the same react-then-notify order as `write`.
    @discardableResult
    func erase<T: KubeResource>(_ key: ObjectKey, from store: ReferenceWritableKeyPath<Cluster, TypedStore<T>>,
                                react: (_ old: T) -> Void = { _ in }) -> T? {
        guard let old = self[keyPath: store].remove(key) else { return nil }
        if mirrorJournal != nil { journalMirrorWrite(T.kind, key, before: old, after: nil as T?) }
        resourceVersion += 1
        react(old)
        notify(.deleted, T.kind, key)
        return old
    }

    // MARK: Pods

    @discardableResult
    func putPod(_ pod: Pod) -> Pod {
        write(pod, into: \.pods) { old, key in
            if let old { reindexPod(old: old, new: pod, key) } else { indexPod(pod, key) }
            podChanged(old: old, new: pods.get(key))
        }
    }

    func removePod(_ key: ObjectKey) {
        containerLogs[key] = nil
        erase(key, from: \.pods) { old in
            unindexPod(old, key)
            podChanged(old: old, new: nil)
        }
    }

    private func indexPod(_ pod: Pod, _ key: ObjectKey) {
        for (k, v) in pod.metadata.labels { podsByLabel.insert(labelTerm(key.namespace, k, v), key) }
        if !pod.spec.nodeName.isEmpty { podsByNode.insert(pod.spec.nodeName, key) }
        if let owner = pod.metadata.controllerRef { podsByOwner.insert(owner.uid, key) }
        if !pod.spec.hostNetwork { addressBook.set(pod.status.podIP, .pod(key)) }
        countForOwner(pod, +1)
    }

    /// An update touches only the indexes whose inputs changed: most pod writes are status
    /// changes, and re-filing every label term would touch sets of 150,000 pods (`tier=web`).
    private func reindexPod(old: Pod, new: Pod, _ key: ObjectKey) {
        if old.metadata.labels != new.metadata.labels {
            for (k, v) in old.metadata.labels { podsByLabel.remove(labelTerm(key.namespace, k, v), key) }
            for (k, v) in new.metadata.labels { podsByLabel.insert(labelTerm(key.namespace, k, v), key) }
        }
        if old.spec.nodeName != new.spec.nodeName {
            if !old.spec.nodeName.isEmpty { podsByNode.remove(old.spec.nodeName, key) }
            if !new.spec.nodeName.isEmpty { podsByNode.insert(new.spec.nodeName, key) }
        }
        if old.metadata.controllerRef?.uid != new.metadata.controllerRef?.uid {
            if let owner = old.metadata.controllerRef { podsByOwner.remove(owner.uid, key) }
            if let owner = new.metadata.controllerRef { podsByOwner.insert(owner.uid, key) }
        }
        if old.status.podIP != new.status.podIP || old.spec.hostNetwork != new.spec.hostNetwork {
            addressBook.clear(old.status.podIP, .pod(key))
            if !new.spec.hostNetwork { addressBook.set(new.status.podIP, .pod(key)) }
        }
        let counted = { (p: Pod) in (p.metadata.controllerRef, p.isTerminal, p.isTerminating, p.status.isReady) }
        if counted(old) != counted(new) || old.metadata.labels != new.metadata.labels {
            countForOwner(old, -1)
            countForOwner(new, +1)
        }
    }

    private func unindexPod(_ pod: Pod, _ key: ObjectKey) {
        for (k, v) in pod.metadata.labels { podsByLabel.remove(labelTerm(key.namespace, k, v), key) }
        if !pod.spec.nodeName.isEmpty { podsByNode.remove(pod.spec.nodeName, key) }
        if let owner = pod.metadata.controllerRef { podsByOwner.remove(owner.uid, key) }
        addressBook.clear(pod.status.podIP, .pod(key))
        countForOwner(pod, -1)
    }

    /// Keeps the owning ReplicaSet's status counts (active, ready, fully labeled) as pods come,
    /// change and go, so the ReplicaSet controller never recounts its pods. Counted only while
    /// the ReplicaSet exists; its template's labels decide "fully labeled" (a template change
    /// recounts, see `putReplicaSet`).
    private func countForOwner(_ pod: Pod, _ sign: Int) {
        if let owner = pod.metadata.controllerRef, owner.kind == DaemonSetKind.kind, !pod.isTerminal, !pod.isTerminating,
           let ds = daemonSet(ObjectKey(pod.metadata.namespace, owner.name)), ds.metadata.uid == owner.uid, podCountsByOwner[owner.uid] != nil {
            // A DaemonSet's "fully labeled" pods are its updated ones (this template's hash).
            podCountsByOwner[owner.uid]!.add(pod, template: ["controller-revision-hash": daemonSetController.template(ds).hash], sign)
            return
        }
        guard let owner = pod.metadata.controllerRef, owner.kind == ReplicaSet.kind, !pod.isTerminal, !pod.isTerminating,
              let rs = replicaSets.get(pod.metadata.namespace, owner.name), rs.metadata.uid == owner.uid else { return }
        var counts = podCountsByOwner[owner.uid, default: OwnerPodCounts()]
        counts.add(pod, template: rs.spec.template.metadata.labels, sign)
        podCountsByOwner[owner.uid] = counts
    }

    /// Counts a ReplicaSet's pods from scratch (on create, and when its template's labels change).
    func recountPods(of rs: ReplicaSet) {
        var counts = OwnerPodCounts()
        for key in podsByOwner.get(rs.metadata.uid) {
            if let pod = pods.get(key), !pod.isTerminal, !pod.isTerminating { counts.add(pod, template: rs.spec.template.metadata.labels, 1) }
        }
        podCountsByOwner[rs.metadata.uid] = counts
    }

    /// Pod event handlers of every controller that watches pods.
    private func podChanged(old: Pod?, new: Pod?) {
        let key = ObjectKey((new ?? old)!.metadata.namespace, (new ?? old)!.metadata.name)
        for controller in controllers { controller.podChanged(old: old, new: new, key) }
    }

    /// The one term a Service (or a ReplicaSet's matchLabels) is indexed under: its selector's first key. Indexing every term would
    /// put all 10,000 Services of a cluster under a shared `tier=web` and make each pod change scan
    /// them; under one term, a pod meets only Services whose first term it carries.
    func selectorIndexTerm(_ selector: [String: String]?, _ namespace: String) -> LabelTerm? {
        guard let selector, let first = selector.min(by: { $0.key < $1.key }) else { return nil }
        return labelTerm(namespace, first.key, first.value)
    }

    /// Services in the pod's namespace whose selector matches the pod's labels, found through the
    /// selector-term index: cost depends on the pod's labels and the Services that share them.
    func servicesSelecting(_ pod: Pod?) -> Set<ObjectKey> {
        guard let pod else { return [] }
        let ns = pod.metadata.namespace
        var out = Set<ObjectKey>()
        for (k, v) in pod.metadata.labels {
            for key in servicesBySelector.get(labelTerm(ns, k, v)) where !out.contains(key) {
                if let svc = services.get(key), let sel = svc.spec.selector, !sel.isEmpty,
                   sel.allSatisfy({ pod.metadata.labels[$0.key] == $0.value }) {
                    out.insert(key)
                }
            }
        }
        return out
    }

    /// ReplicaSets whose selector matches a pod (candidates for adopting an orphan), found through
    /// the index of their matchLabels terms.
    func replicaSetsSelecting(_ pod: Pod) -> [ObjectKey] {
        var candidates = Set<ObjectKey>()
        for (k, v) in pod.metadata.labels { candidates.formUnion(replicaSetsBySelector.get(labelTerm(pod.metadata.namespace, k, v))) }
        return candidates.sorted().filter { key in
            guard let rs = replicaSets.get(key), let sel = try? (rs.spec.selector ?? LabelSelector()).expression(), !sel.isEmpty else { return false }
            return sel.matches(pod.metadata.labels)
        }
    }

    /// Pods in `namespace` whose labels include every term of `selector`, in name order, found
    /// through the label index (for readers such as the diagnosis; controllers use `podsMatching`).
    public func pods(matching selector: [String: String], in namespace: String) -> [Pod] {
        podsMatching(selector, in: namespace).compactMap { pods.get($0) }
    }

    /// Pods a `-l` selector matches, in (namespace, name) order — through the label index when the
    /// selector has an equality term (`app=w0`, `app in (w0)`), so `kubectl label pods -l …` at
    /// 150,000 pods touches only the candidates; nil when it has none (the caller scans).
    public func podKeys(matching selector: LabelSelectorExpression, namespace: String?) -> [ObjectKey]? {
        let equalities = selector.requirements.filter { [.equals, .doubleEquals].contains($0.op) || ($0.op == .in && $0.values.count == 1) }
        guard !equalities.isEmpty else { return nil }
        let namespaces = namespace.map { [$0] } ?? self.namespaces.list().map(\.metadata.name)
        var keys: [ObjectKey] = []
        for ns in namespaces {
            let terms = equalities.map { labelTerm(ns, $0.key, $0.values[0]) }
            guard let smallest = terms.min(by: { podsByLabel.count($0) < podsByLabel.count($1) }) else { continue }
            for key in podsByLabel.get(smallest) {
                if let labels = pods.get(key)?.metadata.labels, selector.matches(labels) { keys.append(key) }
            }
        }
        return keys.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// Pods in `namespace` whose labels include every term of `selector`, via the smallest index set.
    func podsMatching(_ selector: [String: String], in namespace: String) -> [ObjectKey] {
        guard !selector.isEmpty else { return [] }
        let terms = selector.map { labelTerm(namespace, $0.key, $0.value) }
        guard let smallest = terms.min(by: { podsByLabel.count($0) < podsByLabel.count($1) }) else { return [] }
        return podsByLabel.get(smallest).filter { key in
            guard let pod = pods.get(key) else { return false }
            return selector.allSatisfy { pod.metadata.labels[$0.key] == $0.value }
        }.sorted()
    }

    // MARK: Services

    @discardableResult
    func putService(_ svc: Service) -> Service {
        write(svc, into: \.services) { old, key in
            if let term = old.flatMap({ selectorIndexTerm($0.spec.selector, key.namespace) }) { servicesBySelector.remove(term, key) }
            if let term = selectorIndexTerm(svc.spec.selector, key.namespace) { servicesBySelector.insert(term, key) }
            if let old { addressBook.unindex(old, key) }
            addressBook.index(svc, key)
            if old?.spec.ports != svc.spec.ports || old?.spec.clusterIP != svc.spec.clusterIP || old?.spec.type != svc.spec.type {
                invalidateServiceEnv(key.namespace, name: key.name)
            }
            for controller in controllers { controller.serviceChanged(old: old, new: svc, key) }
        }
    }

    func removeService(_ key: ObjectKey) {
        erase(key, from: \.services) { old in
            if let term = selectorIndexTerm(old.spec.selector, key.namespace) { servicesBySelector.remove(term, key) }
            releaseAllocations(of: old)
            addressBook.unindex(old, key)
            invalidateServiceEnv(key.namespace, name: key.name)
            for controller in controllers { controller.serviceChanged(old: old, new: nil, key) }
        }
    }

    // MARK: Workloads

    @discardableResult
    func putDeployment(_ d: Deployment) -> Deployment {
        write(d, into: \.deployments) { old, key in
            for controller in controllers { controller.deploymentChanged(old: old, new: d, key) }
        }
    }

    func removeDeployment(_ key: ObjectKey) {
        erase(key, from: \.deployments) { old in
            for controller in controllers { controller.deploymentChanged(old: old, new: nil, key) }
        }
    }

    @discardableResult
    func putReplicaSet(_ rs: ReplicaSet) -> ReplicaSet {
        write(rs, into: \.replicaSets) { old, key in
            if let term = old.flatMap({ selectorIndexTerm($0.spec.selector?.matchLabels, key.namespace) }) { replicaSetsBySelector.remove(term, key) }
            if let term = selectorIndexTerm(rs.spec.selector?.matchLabels, key.namespace) { replicaSetsBySelector.insert(term, key) }
            if let o = old?.metadata.controllerRef { replicaSetsByOwner.remove(o.uid, key) }
            if let o = rs.metadata.controllerRef { replicaSetsByOwner.insert(o.uid, key) }
            if old?.metadata.uid != rs.metadata.uid || old?.spec.template.metadata.labels != rs.spec.template.metadata.labels {
                if let old, old.metadata.uid != rs.metadata.uid { podCountsByOwner[old.metadata.uid] = nil }
                recountPods(of: rs)
            }
            for controller in controllers { controller.replicaSetChanged(old: old, new: rs, key) }
        }
    }

    func removeReplicaSet(_ key: ObjectKey) {
        erase(key, from: \.replicaSets) { old in
            podCountsByOwner[old.metadata.uid] = nil
            if let term = selectorIndexTerm(old.spec.selector?.matchLabels, key.namespace) { replicaSetsBySelector.remove(term, key) }
            if let o = old.metadata.controllerRef { replicaSetsByOwner.remove(o.uid, key) }
            for controller in controllers { controller.replicaSetChanged(old: old, new: nil, key) }
        }
    }

    // MARK: Endpoints and slices

    func putEndpoints(_ ep: Endpoints) {
        write(ep, into: \.endpoints) { _, key in for controller in controllers { controller.endpointsChanged(key) } }
    }

    func removeEndpoints(_ key: ObjectKey) {
        erase(key, from: \.endpoints) { _ in for controller in controllers { controller.endpointsChanged(key) } }
    }

    func putSlice(_ slice: EndpointSlice, service: String) {
        write(slice, into: \.endpointSlices) { _, key in
            slicesByService.insert("\(key.namespace)/\(service)", key)
            for controller in controllers { controller.endpointSlicesChanged(service: ObjectKey(key.namespace, service)) }
        }
    }

    func removeSlice(_ key: ObjectKey, service: String) {
        erase(key, from: \.endpointSlices) { _ in
            slicesByService.remove("\(key.namespace)/\(service)", key)
            for controller in controllers { controller.endpointSlicesChanged(service: ObjectKey(key.namespace, service)) }
        }
    }

    /// A slice written through the API (by hand, or any write to a controller's slice): indexed
    /// under the Service its `kubernetes.io/service-name` label names, which a write may change.
    func putWrittenSlice(_ slice: EndpointSlice) {
        let key = ObjectKey(slice.metadata.namespace, slice.metadata.name)
        let service = slice.serviceName
        if let oldService = endpointSlices.get(key)?.serviceName, !oldService.isEmpty, oldService != service {
            slicesByService.remove("\(key.namespace)/\(oldService)", key)
            for controller in controllers { controller.endpointSlicesChanged(service: ObjectKey(key.namespace, oldService)) }
        }
        if service.isEmpty {
            write(slice, into: \.endpointSlices) { _, _ in }
        } else {
            putSlice(slice, service: service)
        }
    }

    public func slices(ofService key: ObjectKey) -> [EndpointSlice] {
        slicesByService.get("\(key.namespace)/\(key.name)").sorted().compactMap { endpointSlices.get($0) }
    }

    // MARK: Cluster-scoped

    func putNamespace(_ ns: Namespace) {
        let isNew = namespaces.get("", ns.metadata.name) == nil
        write(ns, into: \.namespaces)
        if isNew {
            publishRootCA(namespace: ns.metadata.name)
            publishDefaultServiceAccount(namespace: ns.metadata.name)
        }
    }

    func putNode(_ node: Node) {
        write(node, into: \.nodes) { old, _ in
            if old == nil { nodeOrder.append(node.metadata.name) }
            if let old { addressBook.clear(old.internalIP, .node(old.metadata.name)) }
            addressBook.set(node.internalIP, .node(node.metadata.name))
            for controller in controllers { controller.nodeChanged(old: old, new: node) }
        }
    }

    /// A fresh metadata block as the API server fills it on create.
    func stampNew(_ meta: inout ObjectMeta) {
        meta.uid = newUID(for: meta)
        meta.creationTimestamp = (clock.now / 1000) * 1000
        meta.generation = 1
    }
}
