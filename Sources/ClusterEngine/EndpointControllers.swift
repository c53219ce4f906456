import ClusterModel
import OrderedCollections

/// The Endpoints controller (pkg/controller/endpoint) and the EndpointSlice controller
/// (pkg/controller/endpointslice + kubernetes/endpointslice reconciler), run together per
/// Service. Work per sync is proportional to the Service's pods and slices.
extension Cluster {
    static let maxEndpointsPerSlice = 100
    static let managedBy = "endpointslice-controller.k8s.io"

    func syncServiceEndpoints(_ key: ObjectKey) {
        guard let svc = services.get(key) else {
            // The Service is gone: its Endpoints are deleted and its slices garbage-collected.
            removeEndpoints(key)
            for slice in slices(ofService: key) { removeSlice(ObjectKey(key.namespace, slice.metadata.name), service: key.name) }
            return
        }
        // ExternalName and selector-less Services get nothing from these controllers.
        guard svc.spec.type != "ExternalName", let selector = svc.spec.selector, !selector.isEmpty else { return }
        let podKeys = podsMatching(selector, in: key.namespace)
        let selected = podKeys.compactMap { pods.get($0) }
        syncEndpointsObject(svc, key, selected)
        syncSlices(svc, key, selected)
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

    private func syncEndpointsObject(_ svc: Service, _ key: ObjectKey, _ selected: [Pod]) {
        let publishNotReady = svc.spec.publishNotReadyAddresses
        // For each endpoint port, the addresses serving it and whether each is ready.
        var byPort: OrderedDictionary<EndpointPort, [EndpointAddress: Bool]> = [:]
        var headlessNoPorts: [EndpointAddress: Bool] = [:]
        for pod in selected {
            if pod.isTerminal || pod.status.podIP.isEmpty { continue }
            if pod.isTerminating && !publishNotReady { continue }
            let ready = publishNotReady || pod.status.isReady
            let address = EndpointAddress(ip: pod.status.podIP, hostname: endpointHostname(pod, svc),
                                          nodeName: pod.spec.nodeName.isEmpty ? nil : pod.spec.nodeName,
                                          targetRef: ObjectReference(kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid))
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

        var labels = svc.metadata.labels
        if svc.spec.isHeadless { labels["service.kubernetes.io/headless"] = "" } else { labels["service.kubernetes.io/headless"] = nil }
        if var existing = endpoints.get(key) {
            if existing.subsets == subsets && existing.metadata.labels == labels { return }
            existing.subsets = subsets
            existing.metadata.labels = labels
            existing.metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"] = Timestamps.rfc3339(clock.now)
            putEndpoints(existing)
        } else {
            var ep = Endpoints()
            ep.metadata.name = key.name
            ep.metadata.namespace = key.namespace
            ep.metadata.labels = labels
            ep.metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"] = Timestamps.rfc3339(clock.now)
            stampNew(&ep.metadata)
            ep.metadata.generation = 0
            ep.subsets = subsets
            putEndpoints(ep)
        }
    }

    private func portOrder(_ a: EndpointPort, _ b: EndpointPort) -> Bool { (a.name, a.port, a.proto) < (b.name, b.port, b.proto) }

    private func makeSubset(_ addresses: [EndpointAddress: Bool], ports: [EndpointPort]) -> EndpointSubset {
        // Addresses sort by IP string compared byte-wise, then by targetRef UID.
        func order(_ a: EndpointAddress, _ b: EndpointAddress) -> Bool {
            a.ip != b.ip ? Array(a.ip.utf8).lexicographicallyPrecedes(Array(b.ip.utf8)) : (a.targetRef?.uid ?? "") < (b.targetRef?.uid ?? "")
        }
        return EndpointSubset(addresses: addresses.filter { $0.value }.map(\.key).sorted(by: order),
                              notReadyAddresses: addresses.filter { !$0.value }.map(\.key).sorted(by: order),
                              ports: ports)
    }

    // MARK: EndpointSlices

    private func sliceLabels(_ svc: Service) -> [String: String] {
        var labels = svc.metadata.labels.filter { !$0.key.hasPrefix("endpointslice.kubernetes.io/") && $0.key != "kubernetes.io/service-name" }
        labels["kubernetes.io/service-name"] = svc.metadata.name
        labels["endpointslice.kubernetes.io/managed-by"] = Self.managedBy
        if svc.spec.isHeadless { labels["service.kubernetes.io/headless"] = "" } else { labels["service.kubernetes.io/headless"] = nil }
        return labels
    }

    private func desiredSliceEndpoint(_ pod: Pod, _ svc: Service) -> SliceEndpoint? {
        if pod.isTerminal || pod.status.podIP.isEmpty { return nil }
        guard let node = nodes.get("", pod.spec.nodeName) else { return svc.spec.publishNotReadyAddresses ? endpointFor(pod, svc, zone: nil) : nil }
        return endpointFor(pod, svc, zone: node.metadata.labels["topology.kubernetes.io/zone"])
    }

    private func endpointFor(_ pod: Pod, _ svc: Service, zone: String?) -> SliceEndpoint {
        let serving = pod.status.isReady
        let terminating = pod.isTerminating
        let ready = svc.spec.publishNotReadyAddresses || (serving && !terminating)
        let hostname = endpointHostname(pod, svc)
        return SliceEndpoint(addresses: [pod.status.podIP],
                             conditions: EndpointConditions(ready: ready, serving: serving, terminating: terminating),
                             hostname: hostname.isEmpty ? nil : hostname,
                             targetRef: ObjectReference(kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid),
                             nodeName: pod.spec.nodeName.isEmpty ? nil : pod.spec.nodeName, zone: zone)
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
        let labels = sliceLabels(svc)
        var desiredByPorts: OrderedDictionary<[SlicePort], OrderedDictionary<String, SliceEndpoint>> = [:]
        for pod in selected {
            guard let ep = desiredSliceEndpoint(pod, svc) else { continue }
            desiredByPorts[slicePorts(pod, svc), default: [:]][pod.metadata.uid] = ep
        }
        let existing = slices(ofService: key).filter { $0.metadata.labels["endpointslice.kubernetes.io/managed-by"] == Self.managedBy }
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
                var kept: [SliceEndpoint] = []
                var changed = slice.metadata.labels != labels
                for ep in slice.endpoints {
                    if let uid = ep.targetRef?.uid, let want = desired.removeValue(forKey: uid) {
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
        for var slice in toCreate {
            let base = String("\(svc.metadata.name)-".prefix(58))
            var name = base + rng.nameSuffix()
            while endpointSlices.get(key.namespace, name) != nil { name = base + rng.nameSuffix() }
            slice.metadata.name = name
            slice.metadata.generateName = "\(svc.metadata.name)-"
            stampNew(&slice.metadata)
            putSlice(slice, service: key.name)
        }
        for var slice in toUpdate {
            guard let current = endpointSlices.get(key.namespace, slice.metadata.name), current != slice else { continue }
            slice.metadata.generation = current.metadata.generation + 1
            putSlice(slice, service: key.name)
        }
        for slice in toDelete { removeSlice(ObjectKey(key.namespace, slice.metadata.name), service: key.name) }
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
