import ClusterModel
import OrderedCollections

/// The EndpointSlice controller's reconciler (pkg/controller/endpointslice and
/// staging/…/endpointslice reconciler): a Service's slices from its selected pods, kept stable,
/// updated in place, filled fullest first, at most 100 endpoints each; and the mirroring
/// controller's slices for a Service without a selector (EndpointSliceMirroring.swift).
final class EndpointSliceReconciler {
    static let maxEndpointsPerSlice = 100
    static let managedBy = "endpointslice-controller.k8s.io"
    unowned(unsafe) let cluster: Cluster
    let sharing: EndpointSharing
    /// pod IP → the shared `[ip]` of its slice endpoints.
    var sliceAddressLists: [String: [String]] = [:]
    init(_ cluster: Cluster, _ sharing: EndpointSharing) { self.cluster = cluster; self.sharing = sharing }

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
        let hostname = sharing.endpointHostname(pod, svc)
        // trafficDistribution PreferClose (endpointslice/trafficdist, preferCloseHeuristic):
        // a ready endpoint with a zone is hinted for its own zone.
        let hint = svc.spec.trafficDistribution == "PreferClose" && ready ? zone.map { [$0] } : nil
        let endpoint = SliceEndpoint(addresses: addressList(pod.status.podIP),
                                     conditions: EndpointConditions(ready: ready, serving: serving, terminating: terminating),
                                     hostname: hostname.isEmpty ? nil : hostname,
                                     targetRef: sharing.endpointTargetRef(pod),
                                     nodeName: pod.spec.nodeName.isEmpty ? nil : pod.spec.nodeName, zone: zone, hintZones: hint)
        return sharing.shared(endpoint, of: pod)
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
            sharing.resolvePort(sp, in: pod).map { SlicePort(name: sp.name, port: $0, proto: sp.proto, appProtocol: sp.appProtocol) }
        }
    }

    private func isPlaceholder(_ s: EndpointSlice) -> Bool { s.ports.isEmpty && s.endpoints.isEmpty }

    /// reconciler.reconcileByAddressType for IPv4: keep slices stable, update in place, fill
    /// the fullest changed slices first, create new ones only when needed, keep one placeholder
    /// for a Service with no endpoints, and reuse names of slices that would be deleted.
    func syncSlices(_ svc: Service, _ key: ObjectKey, _ selected: [Pod]) {
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
    func updateSlices(_ svc: Service, _ key: ObjectKey, _ changed: [(name: String, pod: Pod?)]) -> Bool {
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
    func hasNoSliceEndpoint(_ key: ObjectKey) -> Bool {
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
