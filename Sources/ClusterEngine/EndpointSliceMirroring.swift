import ClusterModel
import OrderedCollections

/// The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): a Service
/// without a selector gets no slices from the EndpointSlice controller, so the Endpoints a user
/// writes for it (an external database, a node-local agent) are mirrored into slices — owned by
/// the Endpoints, labelled with the Service's name and `managed-by:
/// endpointslicemirroring-controller.k8s.io`, one group per address type and port list. kube-proxy
/// and DNS read those slices as they read any other, so traffic to such a Service reaches the
/// hand-written addresses. Endpoints labelled `endpointslice.kubernetes.io/skip-mirror: "true"`
/// are not mirrored. It runs from the EndpointController's queue as part of the slice
/// reconciler: a Service's sync mirrors when the Service has no selector.
extension EndpointSliceReconciler {
    static let mirroringManagedBy = "endpointslicemirroring-controller.k8s.io"
    /// The mirroring controller's maxEndpointsPerSubset default.
    static let maxMirroredEndpointsPerSubset = 1000

    func mirrorEndpoints(_ svc: Service, _ key: ObjectKey) {
        let existing = cluster.slices(ofService: key).filter { $0.metadata.labels["endpointslice.kubernetes.io/managed-by"] == Self.mirroringManagedBy }
        guard let ep = cluster.endpoints.get(key), ep.metadata.labels["endpointslice.kubernetes.io/skip-mirror"] != "true" else {
            for s in existing { cluster.removeSlice(ObjectKey(key.namespace, s.metadata.name), service: key.name) }
            return
        }
        // Endpoints of every subset grouped by address type and port list (addrTypePortMapKey).
        var groups: OrderedDictionary<[SlicePort], OrderedDictionary<String, [SliceEndpoint]>> = [:]
        for subset in ep.subsets {
            let ports = subset.ports.map { SlicePort(name: $0.name, port: $0.port, proto: $0.proto, appProtocol: $0.appProtocol) }
            let addresses = subset.addresses.map { ($0, true) } + subset.notReadyAddresses.map { ($0, false) }
            for (address, ready) in addresses.prefix(Self.maxMirroredEndpointsPerSubset) {
                // addressToEndpoint: ready as listed; serving and terminating are left unset.
                let type = address.ip.contains(":") ? "IPv6" : "IPv4"
                let endpoint = SliceEndpoint(addresses: [address.ip], conditions: EndpointConditions(ready: ready, serving: nil, terminating: nil),
                                             hostname: address.hostname.isEmpty ? nil : address.hostname,
                                             targetRef: address.targetRef, nodeName: address.nodeName)
                groups[ports, default: [:]][type, default: []].append(endpoint)
            }
        }
        var labels = ep.metadata.labels
        labels[EndpointSlice.serviceNameLabel] = ep.metadata.name
        labels["endpointslice.kubernetes.io/managed-by"] = Self.mirroringManagedBy
        var annotations = ep.metadata.annotations
        annotations["endpoints.kubernetes.io/last-change-trigger-time"] = nil
        annotations["kubectl.kubernetes.io/last-applied-configuration"] = nil
        let owner = OwnerReference(apiVersion: "v1", kind: "Endpoints", name: ep.metadata.name, uid: ep.metadata.uid)

        var reusable = existing[...]
        for (ports, byType) in groups {
            for (type, endpoints) in byType {
                var slice = reusable.popFirst() ?? EndpointSlice()
                let isNew = slice.metadata.name.isEmpty
                let before = slice
                slice.metadata.namespace = key.namespace
                slice.metadata.labels = labels
                slice.metadata.annotations = annotations
                slice.metadata.ownerReferences = [owner]
                slice.addressType = type
                slice.ports = ports
                slice.endpoints = endpoints
                if isNew {
                    createSlice(slice, generateName: "\(ep.metadata.name)-", service: key)
                } else if slice != before {
                    slice.metadata.generation += 1
                    cluster.putSlice(slice, service: key.name)
                }
            }
        }
        for s in reusable { cluster.removeSlice(ObjectKey(key.namespace, s.metadata.name), service: key.name) }
    }
}
