import ClusterModel
import OrderedCollections

/// The Endpoints controller (pkg/controller/endpoint) and the EndpointSlice controller
/// (pkg/controller/endpointslice + kubernetes/endpointslice reconciler), run together per
/// Service. Work per sync is proportional to the Service's pods and slices.
/// What the Endpoints and EndpointSlice controllers must look at for one queued Service.
/// `.pods` is the incremental path: only the named pods' entries can differ from what a full
/// sync would produce, because every write that changes something the controllers read about a
/// pod queues that pod by name (`podChanged`), and every change to the Service or to what all its
/// endpoints read (the Service's spec and labels, a node's zone) queues it `.full`.
enum EndpointWork {
    case full
    case pods(Set<String>)
}

/// The names of a sync's changed pods, asked about every endpoint of the Service: usually one
/// name, compared directly (hashing each endpoint's pod name would cost more than the change).
struct ChangedPods {
    private let single: String?
    private let set: Set<String>
    init(_ names: [String]) {
        single = names.count == 1 ? names[0] : nil
        set = names.count == 1 ? [] : Set(names)
    }
    func contains(_ name: String) -> Bool { single.map { $0 == name } ?? set.contains(name) }
}

final class EndpointController: Controller {
    static let maxEndpointsPerSlice = 100
    static let managedBy = "endpointslice-controller.k8s.io"

    /// Services to sync, and what each one's sync must revisit.
    private var queue = WorkQueue()
    private var work: [ObjectKey: EndpointWork] = [:]
    /// pod IP → the shared `[ip]` of its slice endpoints.
    var sliceAddressLists: [String: [String]] = [:]
    /// pod UID → the values its endpoints share.
    private var shares: [String: EndpointShares] = [:]
    /// How many syncs took the incremental path and how many the full one.
    private(set) var syncCounts = (incremental: 0, full: 0)
    /// When the current batch ends (see `Cluster.mayRunBatch`).
    private var batchDue: Millis = 0

    override func podChanged(old: Pod?, new: Pod?, _ key: ObjectKey) {
        if new == nil, let old { shares[old.metadata.uid] = nil }
        // Only when something the controllers read changed.
        if let old, let new, !Self.endpointRelevantChange(old, new) { return }
        // The same labels select the same Services: most pod changes are status, so look once.
        let selecting = old?.metadata.labels == new?.metadata.labels ? cluster.servicesSelecting(new ?? old)
            : cluster.servicesSelecting(old).union(cluster.servicesSelecting(new))
        for svc in selecting.sorted() { enqueueService(svc, pod: key.name) }
    }

    private static func endpointRelevantChange(_ a: Pod, _ b: Pod) -> Bool {
        a.metadata.labels != b.metadata.labels || a.status.podIP != b.status.podIP
            || a.status.isReady != b.status.isReady || a.metadata.deletionTimestamp != b.metadata.deletionTimestamp
            || a.status.phase != b.status.phase || a.spec.nodeName != b.spec.nodeName
            || a.spec.hostname != b.spec.hostname || a.spec.subdomain != b.spec.subdomain
    }

    override func serviceChanged(old: Service?, new: Service?, _ key: ObjectKey) { enqueueService(key) }

    /// The mirroring controller watches Endpoints: a hand-written one of a Service without a
    /// selector queues that Service (the Endpoints controller's own writes never do).
    override func endpointsChanged(_ key: ObjectKey) {
        if let svc = cluster.services.get(key), !svc.spec.hasSelector { enqueueService(key) }
    }

    /// Slice endpoints carry their node's zone (and need the node to exist).
    override func nodeChanged(old: Node?, new node: Node) {
        let zone = "topology.kubernetes.io/zone"
        guard old == nil || old?.metadata.labels[zone] != node.metadata.labels[zone] else { return }
        for podKey in cluster.podsByNode.get(node.metadata.name).sorted() {
            for svc in cluster.servicesSelecting(cluster.pods.get(podKey)).sorted() { enqueueService(svc, pod: podKey.name) }
        }
    }

    /// The first change after a quiet spell goes through at once; later ones within the batch
    /// period wait for its end.
    override func runQueued(batching: Bool) -> Bool {
        guard !queue.isEmpty, cluster.mayRunBatch(until: batchDue, batching: batching) else { return false }
        while let key = queue.popFirst() { sync(key) }
        if batching { batchDue = cluster.now + Cluster.endpointBatchMillis }
        return true
    }

    override func dropQueuedWork() { queue.removeAll(); work.removeAll() }

    override var footprint: [String: Int] {
        ["sliceAddressLists": sliceAddressLists.count, "endpointShares": shares.count, "endpointWork": work.count]
    }

    /// Forgets the caches (MemoryBudgetTests measures the stores without them).
    func dropCaches() { sliceAddressLists = [:]; work = [:] }

    /// Queues a Service for the two controllers: for the named pod only (the usual case, a pod
    /// event), or in full (nil: the Service itself, or something every endpoint reads, changed).
    func enqueueService(_ key: ObjectKey, pod: String? = nil) {
        queue.append(key)
        guard let pod else { work[key] = .full; return }
        switch work.removeValue(forKey: key) {
        case .full?: work[key] = .full
        case .pods(var names)?:
            // Taken out of the dictionary first, so the set is grown in place rather than copied.
            names.insert(pod)
            work[key] = .pods(names)
        case nil: work[key] = .pods([pod])
        }
    }

    private func sync(_ key: ObjectKey) {
        var work = self.work.removeValue(forKey: key) ?? .full
        if !cluster.config.incrementalEndpoints { work = .full }
        guard let svc = cluster.services.get(key) else {
            // The Service is gone: its Endpoints are deleted and its slices garbage-collected.
            cluster.removeEndpoints(key)
            for slice in cluster.slices(ofService: key) { cluster.removeSlice(ObjectKey(key.namespace, slice.metadata.name), service: key.name) }
            return
        }
        // Selector-less Services get nothing from these controllers; the mirroring controller
        // turns their hand-written Endpoints into slices. ExternalName Services get neither.
        guard let selector = svc.spec.selector, !selector.isEmpty else { mirrorEndpoints(svc, key); return }
        guard svc.spec.type != .externalName else { return }
        // After a pod event only that pod's entries are revisited (what the upstream controllers
        // compute in full comes out the same, see `EndpointWork`); anything unusual goes the full way.
        var changed: [(name: String, pod: Pod?)] = []
        if case let .pods(names) = work {
            changed = names.sorted().map { name in
                let pod = cluster.pods.get(key.namespace, name)
                return (name, pod.flatMap { p in selector.allSatisfy { p.metadata.labels[$0.key] == $0.value } ? p : nil })
            }
        }
        lazy var selected = cluster.podsMatching(selector, in: key.namespace).compactMap { cluster.pods.get($0) }
        // While a Service has no endpoint yet (its pods are starting), only the changed pods can
        // contribute one: the full sync over them alone gives what the full sync over all would
        // (the first pods of a 150-replica Deployment would otherwise each read all 150).
        let changedPods = changed.compactMap(\.pod)
        var incremental = false
        if case .pods = work {
            incremental = updateEndpointsObject(svc, key, changed)
            if !incremental, cluster.endpoints.get(key)?.subsets.isEmpty == true {
                syncEndpointsObject(svc, key, changedPods)
                incremental = true
            }
        }
        if !incremental { syncEndpointsObject(svc, key, selected) }
        if case .pods = work {
            incremental = updateSlices(svc, key, changed)
            if !incremental, hasNoSliceEndpoint(key) {
                syncSlices(svc, key, changedPods)
                incremental = true
            }
        } else { incremental = false }
        if !incremental { syncSlices(svc, key, selected) }
        if incremental { syncCounts.incremental += 1 } else { syncCounts.full += 1 }
    }

    /// FindPort: a number is used as is; a name is looked up among the pod's container ports
    /// (same protocol), first match in container order.
    func resolvePort(_ port: ServicePort, in pod: Pod) -> Int? {
        switch port.targetPort {
        case let .int(n): return n
        case let .string(name):
            for c in pod.spec.containers {
                for p in c.ports where p.name == name && p.proto == port.proto { return p.containerPort }
            }
            return nil
        }
    }

    private func endpointHostname(_ pod: Pod, _ svc: Service) -> String {
        (!pod.spec.hostname.isEmpty && pod.spec.subdomain == svc.metadata.name) ? pod.spec.hostname : ""
    }

    // MARK: v1 Endpoints

    /// The pod's address in the Service's Endpoints and whether it is ready; nil if it has none.
    private func endpointAddress(_ pod: Pod, _ svc: Service) -> (address: EndpointAddress, ready: Bool)? {
        let publishNotReady = svc.spec.publishNotReadyAddresses
        if pod.isTerminal || pod.status.podIP.isEmpty { return nil }
        if pod.isTerminating && !publishNotReady { return nil }
        let address = EndpointAddress(ip: pod.status.podIP, hostname: endpointHostname(pod, svc),
                                      nodeName: pod.spec.nodeName.isEmpty ? nil : pod.spec.nodeName,
                                      targetRef: endpointTargetRef(pod))
        return (shared(address, of: pod), publishNotReady || pod.status.isReady)
    }

    /// The Service's labels, plus (since 1.33) the controller's own mark, which tells the
    /// endpointslice-mirroring controller and the API server's warnings that it wrote them.
    private func endpointLabels(_ svc: Service) -> [String: String] {
        var labels = svc.metadata.labels
        if svc.spec.isHeadless { labels["service.kubernetes.io/headless"] = "" } else { labels["service.kubernetes.io/headless"] = nil }
        labels["endpoints.kubernetes.io/managed-by"] = "endpoint-controller"
        return labels
    }

    /// The Endpoints after a few pods changed, when the Service has the usual shape: one subset
    /// whose ports every changed pod serves. Addresses of the changed pods are taken out and put
    /// back in order; false leaves the work to the full sync.
    private func updateEndpointsObject(_ svc: Service, _ key: ObjectKey, _ changed: [(name: String, pod: Pod?)]) -> Bool {
        // Every check comes first, holding no copy of the object: it is then changed in place, so
        // its address lists (hundreds of entries) are not copied for a one-pod change.
        // (Near capacity the full sync decides, since it may have to truncate.)
        guard let ports = singleSubsetPorts(key, svc, adding: changed.count) else { return false }
        var ready: [EndpointAddress] = [], notReady: [EndpointAddress] = []
        for case let (_, pod?) in changed {
            guard let (address, isReady) = endpointAddress(pod, svc) else { continue }
            let podPorts = svc.spec.ports.compactMap { sp in
                resolvePort(sp, in: pod).map { EndpointPort(name: sp.name, port: $0, proto: sp.proto, appProtocol: sp.appProtocol) }
            }.sorted(by: portOrder)
            guard podPorts == ports else { return false }
            if isReady { ready.append(address) } else { notReady.append(address) }
        }
        ready.sort(by: addressOrder)
        notReady.sort(by: addressOrder)
        let names = ChangedPods(changed.map(\.name))
        func isChanged(_ a: EndpointAddress) -> Bool { a.targetRef.map { $0.namespace == key.namespace && names.contains($0.name) } ?? false }
        /// Takes the changed pods' addresses out of a sorted list and puts the new ones in; says
        /// whether the list is different afterwards.
        func replace(in list: inout [EndpointAddress], with added: [EndpointAddress]) -> Bool {
            var removed: [EndpointAddress] = []
            list.removeAll { a in
                guard isChanged(a) else { return false }
                removed.append(a)
                return true
            }
            for a in added { list.insert(a, at: insertionIndex(of: a, in: list)) }
            return removed != added
        }
        let differs = cluster.endpoints.modify(key) { ep -> Bool in
            var subset = ep.subsets.removeFirst()
            let a = replace(in: &subset.addresses, with: ready)
            let b = replace(in: &subset.notReadyAddresses, with: notReady)
            if !subset.addresses.isEmpty || !subset.notReadyAddresses.isEmpty { ep.subsets = [subset] }
            guard a || b else { return false }
            ep.metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"] = Timestamps.rfc3339(cluster.clock.now)
            return true
        } ?? false
        if differs, let ep = cluster.endpoints.get(key) { cluster.putEndpoints(ep) }
        return true
    }

    /// The ports of the Service's Endpoints when it has the shape the incremental path handles
    /// (one subset, labels current, room for `adding` more addresses); nil otherwise.
    private func singleSubsetPorts(_ key: ObjectKey, _ svc: Service, adding: Int) -> [EndpointPort]? {
        guard let ep = cluster.endpoints.get(key), ep.subsets.count == 1, !svc.spec.ports.isEmpty,
              ep.metadata.labels == endpointLabels(svc), ep.metadata.annotations[Self.overCapacityAnnotation] == nil,
              ep.subsets[0].addresses.count + ep.subsets[0].notReadyAddresses.count + adding <= Self.maxEndpointsCapacity else { return nil }
        return ep.subsets[0].ports
    }

    /// The Endpoints subsets of `svc` computed from all its selected pods (the full sync).
    func endpointSubsets(_ svc: Service, _ selected: [Pod]) -> [EndpointSubset] {
        // For each endpoint port, the addresses serving it and whether each is ready.
        var byPort: OrderedDictionary<EndpointPort, [EndpointAddress: Bool]> = [:]
        var headlessNoPorts: [EndpointAddress: Bool] = [:]
        for pod in selected {
            guard let (address, ready) = endpointAddress(pod, svc) else { continue }
            if svc.spec.ports.isEmpty && svc.spec.isHeadless {
                headlessNoPorts[address] = ready
                continue
            }
            for sp in svc.spec.ports {
                guard let port = resolvePort(sp, in: pod) else { continue }
                let ep = EndpointPort(name: sp.name, port: port, proto: sp.proto, appProtocol: sp.appProtocol)
                byPort[ep, default: [:]][address] = (byPort[ep]?[address] ?? true) && ready
            }
        }
        var subsets: [EndpointSubset] = []
        if !headlessNoPorts.isEmpty { subsets.append(makeSubset(headlessNoPorts, ports: [])) }
        // RepackSubsets: ports whose address sets (with readiness) are identical share one subset.
        var groups: OrderedDictionary<[String], (addresses: [EndpointAddress: Bool], ports: [EndpointPort])> = [:]
        for (port, addresses) in byPort {
            let signature = addresses.map { "\($0.key.ip)|\($0.key.targetRef?.uid ?? "")|\($0.value)" }.sorted()
            groups[signature, default: (addresses, [])].ports.append(port)
        }
        for (_, group) in groups { subsets.append(makeSubset(group.addresses, ports: group.ports.sorted(by: portOrder))) }
        subsets.sort { a, b in (a.ports.first.map { "\($0.name)/\($0.port)" } ?? "") < (b.ports.first.map { "\($0.name)/\($0.port)" } ?? "") }
        return subsets
    }

    private func syncEndpointsObject(_ svc: Service, _ key: ObjectKey, _ selected: [Pod]) {
        let subsets = endpointSubsets(svc, selected)
        let labels = endpointLabels(svc)
        if var existing = cluster.endpoints.get(key) {
            // As upstream: the stored (possibly truncated) subsets are compared with the full ones,
            // so a Service over capacity is rewritten on every sync.
            if existing.subsets == subsets && existing.metadata.labels == labels && capacityAnnotationSetCorrectly(existing) { return }
            existing.subsets = subsets
            existing.metadata.labels = labels
            existing.metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"] = Timestamps.rfc3339(cluster.clock.now)
            truncateToCapacity(&existing)
            cluster.putEndpoints(existing)
        } else {
            var ep = Endpoints()
            ep.metadata.name = key.name
            ep.metadata.namespace = key.namespace
            ep.metadata.labels = labels
            ep.metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"] = Timestamps.rfc3339(cluster.clock.now)
            cluster.stampNew(&ep.metadata)
            ep.metadata.generation = 0
            ep.subsets = subsets
            truncateToCapacity(&ep)
            cluster.putEndpoints(ep)
        }
    }

    /// The Endpoints controller's maxCapacity: more addresses than this are truncated.
    static let maxEndpointsCapacity = 1000
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"

    private func capacityAnnotationSetCorrectly(_ ep: Endpoints) -> Bool {
        let total = ep.subsets.reduce(0) { $0 + $1.addresses.count + $1.notReadyAddresses.count }
        return total <= Self.maxEndpointsCapacity && ep.metadata.annotations[Self.overCapacityAnnotation] == nil
    }

    /// truncateEndpoints: keeps at most 1,000 addresses, ready ones first, spread over the subsets
    /// in proportion (rounded up, so the last subset may get fewer), and marks the object.
    func truncateToCapacity(_ ep: inout Endpoints) {
        let totalReady = ep.subsets.reduce(0) { $0 + $1.addresses.count }
        let totalNotReady = ep.subsets.reduce(0) { $0 + $1.notReadyAddresses.count }
        guard totalReady + totalNotReady > Self.maxEndpointsCapacity else {
            ep.metadata.annotations[Self.overCapacityAnnotation] = nil
            return
        }
        let truncateReady = totalReady > Self.maxEndpointsCapacity
        let limit = truncateReady ? Self.maxEndpointsCapacity : Self.maxEndpointsCapacity - totalReady
        let total = truncateReady ? totalReady : totalNotReady
        var canBeAdded = limit
        for i in ep.subsets.indices {
            let inSubset = truncateReady ? ep.subsets[i].addresses.count : ep.subsets[i].notReadyAddresses.count
            let share = min(Int((Double(inSubset) / Double(total) * Double(limit)).rounded(.up)), canBeAdded)
            if truncateReady {
                ep.subsets[i].addresses = Array(ep.subsets[i].addresses.prefix(share))
                ep.subsets[i].notReadyAddresses = []
                canBeAdded -= ep.subsets[i].addresses.count
            } else {
                ep.subsets[i].notReadyAddresses = Array(ep.subsets[i].notReadyAddresses.prefix(share))
                canBeAdded -= ep.subsets[i].notReadyAddresses.count
            }
        }
        ep.metadata.annotations[Self.overCapacityAnnotation] = "truncated"
    }

    private func portOrder(_ a: EndpointPort, _ b: EndpointPort) -> Bool { (a.name, a.port, a.proto) < (b.name, b.port, b.proto) }

    /// Addresses sort by IP string compared byte-wise, then by targetRef UID.
    private func addressOrder(_ a: EndpointAddress, _ b: EndpointAddress) -> Bool {
        a.ip != b.ip ? a.ip.utf8.lexicographicallyPrecedes(b.ip.utf8) : (a.targetRef?.uid ?? "") < (b.targetRef?.uid ?? "")
    }

    /// Where `address` goes in a list sorted by `addressOrder` (binary search).
    private func insertionIndex(of address: EndpointAddress, in list: [EndpointAddress]) -> Int {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if addressOrder(list[mid], address) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func makeSubset(_ addresses: [EndpointAddress: Bool], ports: [EndpointPort]) -> EndpointSubset {
        EndpointSubset(addresses: addresses.filter { $0.value }.map(\.key).sorted(by: addressOrder),
                       notReadyAddresses: addresses.filter { !$0.value }.map(\.key).sorted(by: addressOrder),
                       ports: ports)
    }

    // MARK: EndpointSlices

    private func sliceLabels(_ svc: Service) -> [String: String] {
        var labels = svc.metadata.labels.filter { !$0.key.hasPrefix("endpointslice.kubernetes.io/") && $0.key != "kubernetes.io/service-name" }
        labels[EndpointSlice.serviceNameLabel] = svc.metadata.name
        labels["endpointslice.kubernetes.io/managed-by"] = Self.managedBy
        if svc.spec.isHeadless { labels["service.kubernetes.io/headless"] = "" } else { labels["service.kubernetes.io/headless"] = nil }
        return labels
    }

    func desiredSliceEndpoint(_ pod: Pod, _ svc: Service) -> SliceEndpoint? {
        if pod.isTerminal || pod.status.podIP.isEmpty { return nil }
        guard let node = cluster.nodes.get("", pod.spec.nodeName) else { return svc.spec.publishNotReadyAddresses ? endpointFor(pod, svc, zone: nil) : nil }
        return endpointFor(pod, svc, zone: node.metadata.labels["topology.kubernetes.io/zone"])
    }

    private func endpointFor(_ pod: Pod, _ svc: Service, zone: String?) -> SliceEndpoint {
        let serving = pod.status.isReady
        let terminating = pod.isTerminating
        let ready = svc.spec.publishNotReadyAddresses || (serving && !terminating)
        let hostname = endpointHostname(pod, svc)
        // trafficDistribution PreferClose (endpointslice/trafficdist, preferCloseHeuristic):
        // a ready endpoint with a zone is hinted for its own zone.
        let hint = svc.spec.trafficDistribution == "PreferClose" && ready ? zone.map { [$0] } : nil
        let endpoint = SliceEndpoint(addresses: addressList(pod.status.podIP),
                                     conditions: EndpointConditions(ready: ready, serving: serving, terminating: terminating),
                                     hostname: hostname.isEmpty ? nil : hostname,
                                     targetRef: endpointTargetRef(pod),
                                     nodeName: pod.spec.nodeName.isEmpty ? nil : pod.spec.nodeName, zone: zone, hintZones: hint)
        return shared(endpoint, of: pod)
    }

    /// The one targetRef that a pod's addresses in every Endpoints and slice share (a reference
    /// is one shared box, see ObjectReference): kept per pod UID until the pod is removed.
    func endpointTargetRef(_ pod: Pod) -> ObjectReference {
        if let ref = shares[pod.metadata.uid]?.targetRef { return ref }
        let ref = ObjectReference(kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid)
        shares[pod.metadata.uid] = EndpointShares(targetRef: ref)
        return ref
    }

    /// The pod's last Endpoints address if it equals `address` (one box in all its Services'
    /// Endpoints), else `address`, remembered for the next Service.
    private func shared(_ address: EndpointAddress, of pod: Pod) -> EndpointAddress {
        let uid = pod.metadata.uid
        if let last = shares[uid]?.address, last == address { return last }
        shares[uid]?.address = address
        return address
    }

    /// The same for a slice endpoint.
    private func shared(_ endpoint: SliceEndpoint, of pod: Pod) -> SliceEndpoint {
        let uid = pod.metadata.uid
        if let last = shares[uid]?.sliceEndpoint, last == endpoint { return last }
        shares[uid]?.sliceEndpoint = endpoint
        return endpoint
    }

    /// `[ip]`, one shared array per address: a pod behind ten Services appears in ten slices, and
    /// ten copies of the same one-element array cost more than the endpoint's other fields.
    private func addressList(_ ip: String) -> [String] {
        if let list = sliceAddressLists[ip] { return list }
        let list = [ip]
        sliceAddressLists[ip] = list
        return list
    }

    private func slicePorts(_ pod: Pod, _ svc: Service) -> [SlicePort] {
        svc.spec.ports.compactMap { sp in
            resolvePort(sp, in: pod).map { SlicePort(name: sp.name, port: $0, proto: sp.proto, appProtocol: sp.appProtocol) }
        }
    }

    private func isPlaceholder(_ s: EndpointSlice) -> Bool { s.ports.isEmpty && s.endpoints.isEmpty }

    /// reconciler.reconcileByAddressType for IPv4: keep slices stable, update in place, fill
    /// the fullest changed slices first, create new ones only when needed, keep one placeholder
    /// for a Service with no endpoints, and reuse names of slices that would be deleted.
    private func syncSlices(_ svc: Service, _ key: ObjectKey, _ selected: [Pod]) {
        var desiredByPorts: OrderedDictionary<[SlicePort], OrderedDictionary<String, SliceEndpoint>> = [:]
        for pod in selected {
            guard let ep = desiredSliceEndpoint(pod, svc) else { continue }
            desiredByPorts[slicePorts(pod, svc), default: [:]][pod.metadata.uid] = ep
        }
        reconcileSlices(svc, key, sliceLabels(svc), desiredByPorts, managedSlices(of: key), inScope: { _ in true })
    }

    /// The slices after a few pods changed, when the Service has the usual shape: its slices all
    /// carry one port list, which every changed pod serves. The reconciler then runs as in the
    /// full sync, but only the changed pods' endpoints are in its scope: every other endpoint is
    /// what the full sync would want again (nothing it reads changed), so it is kept as is and its
    /// slice is not even copied. False leaves the work to the full sync.
    private func updateSlices(_ svc: Service, _ key: ObjectKey, _ changed: [(name: String, pod: Pod?)]) -> Bool {
        let labels = sliceLabels(svc)
        let existing = managedSlices(of: key)
        guard let ports = existing.first?.ports, !ports.isEmpty,
              existing.allSatisfy({ $0.ports == ports && $0.metadata.labels == labels }) else { return false }
        var desired: OrderedDictionary<String, SliceEndpoint> = [:]
        for case let (_, pod?) in changed {
            guard let ep = desiredSliceEndpoint(pod, svc) else { continue }
            guard slicePorts(pod, svc) == ports else { return false }
            desired[pod.metadata.uid] = ep
        }
        let names = ChangedPods(changed.map(\.name))
        let inScope = { (ep: SliceEndpoint) in ep.targetRef.map { $0.namespace == key.namespace && names.contains($0.name) } ?? true }
        // With no endpoint left at all the full sync decides (placeholder slice).
        guard !desired.isEmpty || existing.contains(where: { $0.endpoints.contains { !inScope($0) } }) else { return false }
        reconcileSlices(svc, key, labels, [ports: desired], existing, inScope: inScope)
        return true
    }

    /// Whether the Service's managed slices exist and hold no endpoint (the placeholder): then the
    /// changed pods are the only ones a full sync would place.
    private func hasNoSliceEndpoint(_ key: ObjectKey) -> Bool {
        let existing = managedSlices(of: key)
        return !existing.isEmpty && existing.allSatisfy { $0.endpoints.isEmpty }
    }

    /// The Service's slices that this controller manages (others are a user's), in name order.
    private func managedSlices(of key: ObjectKey) -> [EndpointSlice] {
        cluster.slices(ofService: key).filter { $0.metadata.labels["endpointslice.kubernetes.io/managed-by"] == Self.managedBy }
    }

    /// reconciler.reconcileByAddressType over `existing`, the Service's managed slices in name
    /// order. `desiredByPorts` holds the wanted endpoints that are in scope; endpoints out of scope
    /// are wanted exactly as they are.
    private func reconcileSlices(_ svc: Service, _ key: ObjectKey, _ labels: [String: String],
                                 _ desiredByPorts: OrderedDictionary<[SlicePort], OrderedDictionary<String, SliceEndpoint>>,
                                 _ existing: [EndpointSlice], inScope: (SliceEndpoint) -> Bool) {
        var existingByPorts: OrderedDictionary<[SlicePort], [EndpointSlice]> = [:]
        for s in existing { existingByPorts[s.ports, default: []].append(s) }

        var toCreate: [EndpointSlice] = []
        var toUpdate: [EndpointSlice] = []
        var toDelete: [EndpointSlice] = []

        for (ports, wanted) in desiredByPorts {
            var desired = wanted
            var updates: [EndpointSlice] = []
            var unchanged: [EndpointSlice] = []
            for var slice in existingByPorts.removeValue(forKey: ports) ?? [] {
                if slice.metadata.labels == labels && !slice.endpoints.contains(where: inScope) {
                    unchanged.append(slice)
                    continue
                }
                var kept: [SliceEndpoint] = []
                kept.reserveCapacity(slice.endpoints.count)
                var changed = slice.metadata.labels != labels
                for ep in slice.endpoints {
                    if !inScope(ep) {
                        kept.append(ep)
                    } else if let uid = ep.targetRef?.uid, let want = desired.removeValue(forKey: uid) {
                        if want != ep { changed = true }
                        kept.append(want)
                    } else {
                        changed = true
                    }
                }
                slice.metadata.labels = labels
                slice.endpoints = kept
                if changed && kept.isEmpty { toDelete.append(slice) }
                else if changed { updates.append(slice) }
                else { unchanged.append(slice) }
            }
            // Fill slices that are being updated anyway, fullest first.
            if !desired.isEmpty && !updates.isEmpty {
                updates.sort { $0.endpoints.count > $1.endpoints.count }
                for i in updates.indices {
                    while !desired.isEmpty && updates[i].endpoints.count < Self.maxEndpointsPerSlice {
                        updates[i].endpoints.append(desired.removeFirst().value)
                    }
                }
            }
            while !desired.isEmpty {
                var slice: EndpointSlice
                if desired.count < Self.maxEndpointsPerSlice, let i = closestFit(unchanged, adding: desired.count) {
                    slice = unchanged.remove(at: i)
                } else {
                    slice = newSlice(svc, key, ports: ports, labels: labels)
                }
                while !desired.isEmpty && slice.endpoints.count < Self.maxEndpointsPerSlice {
                    slice.endpoints.append(desired.removeFirst().value)
                }
                if slice.metadata.name.isEmpty { toCreate.append(slice) } else { updates.append(slice) }
            }
            toUpdate.append(contentsOf: updates)
        }
        // Port lists no longer wanted: all their slices go.
        for (_, slices) in existingByPorts { toDelete.append(contentsOf: slices) }
        // A Service with a selector always has at least one slice: the placeholder.
        if existing.count == toDelete.count && toCreate.isEmpty {
            if toDelete.count == 1, isPlaceholder(toDelete[0]) {
                toDelete.removeAll()
            } else {
                toCreate.append(newSlice(svc, key, ports: [], labels: labels))
            }
        }
        // Turn creates into updates of slices that would otherwise be deleted.
        while !toCreate.isEmpty, !toDelete.isEmpty {
            var slice = toCreate.removeLast()
            let victim = toDelete.removeFirst()
            slice.metadata = victim.metadata
            slice.metadata.labels = labels
            toUpdate.append(slice)
        }
        for slice in toCreate { createSlice(slice, generateName: "\(svc.metadata.name)-", service: key) }
        for var slice in toUpdate {
            guard let current = cluster.endpointSlices.get(key.namespace, slice.metadata.name), current != slice else { continue }
            slice.metadata.generation = current.metadata.generation + 1
            cluster.putSlice(slice, service: key.name)
        }
        for slice in toDelete { cluster.removeSlice(ObjectKey(key.namespace, slice.metadata.name), service: key.name) }
    }

    /// Creates a slice as the API server does for a generateName: the prefix (at most 58
    /// characters) and five random characters, drawn again while the name is taken.
    func createSlice(_ slice: EndpointSlice, generateName: String, service key: ObjectKey) {
        var slice = slice
        let base = String(generateName.prefix(58))
        var name = base + cluster.draw(for: key.namespace, base) { $0.nameSuffix() }
        while cluster.endpointSlices.get(key.namespace, name) != nil { name = base + cluster.draw(for: key.namespace, base) { $0.nameSuffix() } }
        slice.metadata.name = name
        slice.metadata.generateName = generateName
        cluster.stampNew(&slice.metadata)
        cluster.putSlice(slice, service: key.name)
    }

    private func closestFit(_ slices: [EndpointSlice], adding n: Int) -> Int? {
        var best: Int?
        var closest = Self.maxEndpointsPerSlice
        for (i, s) in slices.enumerated() {
            let diff = Self.maxEndpointsPerSlice - (n + s.endpoints.count)
            if diff >= 0 && diff < closest { closest = diff; best = i; if diff == 0 { break } }
        }
        return best
    }

    private func newSlice(_ svc: Service, _ key: ObjectKey, ports: [SlicePort], labels: [String: String]) -> EndpointSlice {
        var s = EndpointSlice()
        s.metadata.namespace = key.namespace
        s.metadata.labels = labels
        s.metadata.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Service", name: svc.metadata.name, uid: svc.metadata.uid)]
        s.addressType = "IPv4"
        s.ports = ports
        return s
    }
}

extension Cluster {
    /// Where the incrementally kept state differs from what a full recompute gives: each
    /// Service's Endpoints subsets and the set of its slice endpoints, and each ReplicaSet's
    /// counted status. Empty when the controllers are consistent (tests check it after settling).
    public func controllerDrift() -> [String] {
        var drift: [String] = []
        for svc in services.list() {
            guard svc.spec.type != .externalName, let selector = svc.spec.selector, !selector.isEmpty else { continue }
            let key = ObjectKey(svc.metadata.namespace, svc.metadata.name)
            let selected = podsMatching(selector, in: key.namespace).compactMap { pods.get($0) }
            var wantedEndpoints = Endpoints()
            wantedEndpoints.subsets = endpointController.endpointSubsets(svc, selected)
            endpointController.truncateToCapacity(&wantedEndpoints)
            if endpoints.get(key)?.subsets != wantedEndpoints.subsets { drift.append("Endpoints \(key)") }
            let wanted = selected.compactMap { endpointController.desiredSliceEndpoint($0, svc) }.map { "\($0)" }.sorted()
            let stored = slices(ofService: key).flatMap(\.endpoints).map { "\($0)" }.sorted()
            if wanted != stored { drift.append("EndpointSlices \(key)") }
        }
        for rs in replicaSets.list() {
            let live = podsByOwner.get(rs.metadata.uid).compactMap { pods.get($0) }.filter { !$0.isTerminal && !$0.isTerminating }
            var scanned = OwnerPodCounts()
            for pod in live { scanned.add(pod, template: rs.spec.template.metadata.labels, 1) }
            if scanned != (podCountsByOwner[rs.metadata.uid] ?? OwnerPodCounts()) { drift.append("ReplicaSet \(rs.metadata.namespace)/\(rs.metadata.name) counts") }
        }
        return drift
    }
}

/// What a pod's entries in its Services' Endpoints and slices share: one targetRef, and the
/// last address and slice endpoint made for it (equal for every Service with the usual shape,
/// so ten Services hold one box each instead of ten copies).
struct EndpointShares {
    var targetRef: ObjectReference
    var address: EndpointAddress?
    var sliceEndpoint: SliceEndpoint?
}
