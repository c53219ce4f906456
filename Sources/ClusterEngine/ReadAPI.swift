import ClusterModel

/// The rules several readers need, written once: kubectl, the lab, lessons and diagnosis ask
/// the cluster here instead of re-deriving them (three copies of "the default client pod" once
/// had three different tests of "running").
extension Cluster {
    /// Whether a pod can send a request: it runs, has an IP and is not being deleted.
    public static func canSendRequests(_ pod: Pod) -> Bool {
        pod.status.phase == .running && !pod.status.podIP.isEmpty && !pod.isTerminating
    }

    /// The pod a request comes from when none is named: `my-pod` (the seed's client) if it can
    /// send, else the first pod of the namespace, by name, that can.
    public func defaultClientPod(namespace: String) -> Pod? {
        if let p = pods.get(namespace, "my-pod"), Self.canSendRequests(p) { return p }
        return pods.list(namespace: namespace).first(where: Self.canSendRequests)
    }

    /// The addresses of a Service's ready endpoints (over all its EndpointSlices, each once).
    public func readyEndpointAddresses(service: ObjectKey) -> Set<String> {
        var ready = Set<String>()
        for slice in slices(ofService: service) {
            for e in slice.endpoints where e.conditions.countsAsReady { if let ip = e.addresses.first { ready.insert(ip) } }
        }
        return ready
    }

    /// How many addresses `readyEndpointAddresses` has, without ordering the slices or growing
    /// a set as it goes (the lab asks it for up to 2,000 Services a frame).
    public func readyEndpointCount(service: ObjectKey) -> Int {
        var counted = 0
        for key in slicesByService.get("\(service.namespace)/\(service.name)") {
            guard let slice = endpointSlices.get(key) else { continue }
            // The EndpointSlice controller files each endpoint in exactly one slice of the
            // Service: its slices' ready endpoints can be counted without comparing addresses.
            // Any other slice may repeat an address: then the addresses are compared.
            guard slice.metadata.labels["endpointslice.kubernetes.io/managed-by"] == EndpointSliceReconciler.managedBy else {
                return readyEndpointAddresses(service: service).count
            }
            for e in slice.endpoints where e.conditions.countsAsReady && !e.addresses.isEmpty { counted += 1 }
        }
        return counted
    }

    public func daemonSetObject(_ namespace: String, _ name: String) -> StoredObject? { daemonSet(ObjectKey(namespace, name)) }

    /// The pods bound to a node, by namespace and name (the node index, not a scan).
    public func pods(onNode name: String) -> [Pod] {
        podsByNode.get(name).sorted().compactMap { pods.get($0) }
    }

    /// The pods a controller (ReplicaSet, DaemonSet, Node) owns, by name: the owner index, not a scan.
    public func pods(ownedBy uid: String) -> [Pod] {
        podsByOwner.get(uid).sorted().compactMap { pods.get($0) }
    }

    /// The Deployment that owns a pod through its ReplicaSet, if any.
    public func owningDeployment(of pod: Pod) -> String? {
        guard let rsRef = pod.metadata.controllerRef, rsRef.kind == ReplicaSet.kind else { return nil }
        return replicaSets.get(pod.metadata.namespace, rsRef.name)?.metadata.controllerRef?.name
    }
}
