import ClusterModel
import OrderedCollections

/// The Endpoints controller's reconciler (pkg/controller/endpoint): a Service's v1 Endpoints
/// from its selected pods — in full, or for the few pods a change named — one subset per port
/// list, ready and not-ready addresses in order, capped at 1,000 with the over-capacity mark.
final class EndpointsReconciler {
    unowned(unsafe) let cluster: Cluster
    let sharing: EndpointSharing
    init(_ cluster: Cluster, _ sharing: EndpointSharing) { self.cluster = cluster; self.sharing = sharing }

    /// The pod's address in the Service's Endpoints and whether it is ready; nil if it has none.
    private func endpointAddress(_ pod: Pod, _ svc: Service) -> (address: EndpointAddress, ready: Bool)? {
        let publishNotReady = svc.spec.publishNotReadyAddresses
        if pod.isTerminal || pod.status.podIP.isEmpty { return nil }
        if pod.isTerminating && !publishNotReady { return nil }
        let address = EndpointAddress(ip: pod.status.podIP, hostname: sharing.endpointHostname(pod, svc),
                                      nodeName: pod.spec.nodeName.isEmpty ? nil : pod.spec.nodeName,
                                      targetRef: sharing.endpointTargetRef(pod))
        return (sharing.shared(address, of: pod), publishNotReady || pod.status.isReady)
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
    func updateEndpointsObject(_ svc: Service, _ key: ObjectKey, _ changed: [(name: String, pod: Pod?)]) -> Bool {
        // Every check comes first, holding no copy of the object: it is then changed in place, so
        // its address lists (hundreds of entries) are not copied for a one-pod change.
        // (Near capacity the full sync decides, since it may have to truncate.)
        guard let ports = singleSubsetPorts(key, svc, adding: changed.count) else { return false }
        var ready: [EndpointAddress] = [], notReady: [EndpointAddress] = []
        for case let (_, pod?) in changed {
            guard let (address, isReady) = endpointAddress(pod, svc) else { continue }
            let podPorts = svc.spec.ports.compactMap { sp in
                sharing.resolvePort(sp, in: pod).map { EndpointPort(name: sp.name, port: $0, proto: sp.proto, appProtocol: sp.appProtocol) }
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
                guard let port = sharing.resolvePort(sp, in: pod) else { continue }
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

    func syncEndpointsObject(_ svc: Service, _ key: ObjectKey, _ selected: [Pod]) {
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

}
