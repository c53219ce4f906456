/// Objects as a real API server serves them (list items and watch events), read into the model
/// with what a manifest never carries: the server's metadata (uid, resourceVersion, owners,
/// timestamps) and status. The inverse of `ObjectEncoder` for the kinds a mirror watches.
/// Fields svclab does not model are skipped (`lenient`): a real server sends every field of
/// its version.
public enum ServedObjects {
    public static func pod(_ v: Value) throws(DecodeError) -> Pod {
        var pod = try ManifestDecoder.pod(v, lenient: true)
        pod.metadata = metadata(v, over: pod.metadata)
        let s = v["status"]
        var status = PodStatus()
        status.phase = s?["phase"]?.stringValue.map { PodPhase(rawValue: $0) ?? .unknown } ?? .pending
        status.conditions = ManifestDecoder.podConditions(s?["conditions"])
        status.podIP = s?["podIP"]?.stringValue ?? ""
        status.hostIP = s?["hostIP"]?.stringValue ?? ""
        status.startTime = time(s?["startTime"])
        status.reason = s?["reason"]?.stringValue ?? ""
        status.message = s?["message"]?.stringValue ?? ""
        status.nominatedNodeName = s?["nominatedNodeName"]?.stringValue ?? ""
        status.qosClass = s?["qosClass"]?.stringValue ?? "BestEffort"
        status.containerStatuses = (s?["containerStatuses"]?.arrayValue ?? []).map(containerStatus)
        pod.status = status
        return pod
    }

    static func containerStatus(_ c: Value) -> ContainerStatus {
        ContainerStatus(name: c["name"]?.stringValue ?? "", image: c["image"]?.stringValue ?? "",
                        ready: c["ready"]?.boolValue ?? false, started: c["started"]?.boolValue ?? false,
                        restartCount: Int(c["restartCount"]?.intValue ?? 0),
                        state: containerState(c["state"]) ?? .waiting(reason: "ContainerCreating"),
                        lastState: containerState(c["lastState"]))
    }

    static func containerState(_ v: Value?) -> ContainerStatus.State? {
        if let r = v?["running"] { return .running(startedAt: time(r["startedAt"]) ?? 0) }
        if let t = v?["terminated"] {
            return .terminated(reason: t["reason"]?.stringValue ?? "", exitCode: Int(t["exitCode"]?.intValue ?? 0),
                               startedAt: time(t["startedAt"]), finishedAt: time(t["finishedAt"]) ?? 0)
        }
        if let w = v?["waiting"] { return .waiting(reason: w["reason"]?.stringValue ?? "") }
        return nil
    }

    public static func service(_ v: Value) throws(DecodeError) -> Service {
        var svc = try ManifestDecoder.service(v, lenient: true)
        svc.metadata = metadata(v, over: svc.metadata)
        svc.loadBalancerIngress = (v["status"]?["loadBalancer"]?["ingress"]?.arrayValue ?? []).map {
            LoadBalancerIngress(ip: $0["ip"]?.stringValue, hostname: $0["hostname"]?.stringValue, ipMode: $0["ipMode"]?.stringValue)
        }
        return svc
    }

    public static func deployment(_ v: Value) throws(DecodeError) -> Deployment {
        var d = try ManifestDecoder.deployment(v, lenient: true)
        d.metadata = metadata(v, over: d.metadata)
        let s = v["status"]
        var status = DeploymentStatus()
        status.observedGeneration = s?["observedGeneration"]?.intValue ?? 0
        status.replicas = int(s?["replicas"]); status.updatedReplicas = int(s?["updatedReplicas"])
        status.readyReplicas = int(s?["readyReplicas"]); status.availableReplicas = int(s?["availableReplicas"])
        status.unavailableReplicas = int(s?["unavailableReplicas"])
        status.collisionCount = s?["collisionCount"]?.intValue.map(Int.init)
        status.conditions = (s?["conditions"]?.arrayValue ?? []).map { c in
            var condition = DeploymentCondition(type: c["type"]?.stringValue ?? "", status: ConditionStatus(c["status"]?.stringValue ?? ""),
                                                reason: c["reason"]?.stringValue ?? "", message: c["message"]?.stringValue ?? "",
                                                at: time(c["lastUpdateTime"]) ?? 0)
            condition.lastTransitionTime = time(c["lastTransitionTime"]) ?? condition.lastUpdateTime
            return condition
        }
        d.status = status
        return d
    }

    public static func replicaSet(_ v: Value) throws(DecodeError) -> ReplicaSet {
        var rs = try ManifestDecoder.replicaSet(v, lenient: true)
        rs.metadata = metadata(v, over: rs.metadata)
        let s = v["status"]
        var status = ReplicaSetStatus()
        status.replicas = int(s?["replicas"]); status.fullyLabeledReplicas = int(s?["fullyLabeledReplicas"])
        status.readyReplicas = int(s?["readyReplicas"]); status.availableReplicas = int(s?["availableReplicas"])
        status.observedGeneration = s?["observedGeneration"]?.intValue ?? 0
        rs.status = status
        return rs
    }

    public static func namespace(_ v: Value) throws(DecodeError) -> Namespace {
        var ns = try ManifestDecoder.namespace(v, lenient: true)
        ns.metadata = metadata(v, over: ns.metadata)
        ns.phase = v["status"]?["phase"]?.stringValue ?? "Active"
        return ns
    }

    public static func endpoints(_ v: Value) throws(DecodeError) -> Endpoints {
        var ep = try ManifestDecoder.endpoints(v, lenient: true)
        ep.metadata = metadata(v, over: ep.metadata)
        return ep
    }

    public static func endpointSlice(_ v: Value) throws(DecodeError) -> EndpointSlice {
        var slice = try ManifestDecoder.endpointSlice(v, lenient: true)
        slice.metadata = metadata(v, over: slice.metadata)
        return slice
    }

    /// A Node: what the lab, describe and the rules read (addresses, readiness, capacity, the
    /// node's software), the rest skipped.
    public static func node(_ v: Value) -> Node {
        var node = Node()
        node.metadata = metadata(v, over: baseMetadata(v))
        let spec = v["spec"], status = v["status"]
        node.podCIDR = spec?["podCIDR"]?.stringValue ?? ""
        node.unschedulable = spec?["unschedulable"]?.boolValue ?? false
        node.taints = (spec?["taints"]?.arrayValue ?? []).map {
            Taint(key: $0["key"]?.stringValue ?? "", value: $0["value"]?.stringValue, effect: $0["effect"]?.stringValue ?? "")
        }
        let ready = (status?["conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Ready" }
        node.ready = ConditionStatus(ready?["status"]?.stringValue ?? "") == .true
        node.internalIP = (status?["addresses"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "InternalIP" }?["address"]?.stringValue ?? ""
        let info = status?["nodeInfo"]
        node.kubeletVersion = info?["kubeletVersion"]?.stringValue ?? ""
        node.osImage = info?["osImage"]?.stringValue ?? ""
        node.kernelVersion = info?["kernelVersion"]?.stringValue ?? ""
        node.containerRuntime = info?["containerRuntimeVersion"]?.stringValue ?? ""
        if let pods = status?["capacity"]?["pods"], let n = pods.intValue ?? pods.stringValue.flatMap({ Int64($0) }) { node.podCapacity = Int(n) }
        return node
    }

    /// A core/v1 Event (what `kubectl get events` and describe read).
    public static func event(_ v: Value) -> Event {
        let o = v["involvedObject"]
        let ref = ObjectReference(kind: o?["kind"]?.stringValue ?? "", namespace: o?["namespace"]?.stringValue ?? "",
                                  name: o?["name"]?.stringValue ?? "", uid: o?["uid"]?.stringValue ?? "",
                                  apiVersion: o?["apiVersion"]?.stringValue ?? "", fieldPath: o?["fieldPath"]?.stringValue ?? "")
        let meta = metadata(v, over: baseMetadata(v))
        // Events written by the events.k8s.io API leave the core timestamps empty: eventTime stands in.
        let last = time(v["lastTimestamp"]) ?? time(v["eventTime"]) ?? meta.creationTimestamp ?? 0
        var event = Event(involvedObject: ref, reason: v["reason"]?.stringValue ?? "", message: v["message"]?.stringValue ?? "",
                          type: v["type"]?.stringValue ?? "Normal",
                          source: EventSource(component: v["source"]?["component"]?.stringValue ?? v["reportingComponent"]?.stringValue ?? "",
                                              host: v["source"]?["host"]?.stringValue ?? ""),
                          at: last)
        event.metadata = meta
        event.firstTimestamp = time(v["firstTimestamp"]) ?? last
        event.lastTimestamp = last
        event.count = Int(v["count"]?.intValue ?? 1)
        return event
    }

    /// The metadata a manifest may carry (name, namespace, labels, annotations, finalizers).
    static func baseMetadata(_ v: Value) -> ObjectMeta {
        let m = v["metadata"]
        var meta = ObjectMeta(name: m?["name"]?.stringValue ?? "", namespace: m?["namespace"]?.stringValue ?? "")
        meta.generateName = m?["generateName"]?.stringValue ?? ""
        meta.labels = stringMap(m?["labels"])
        meta.annotations = stringMap(m?["annotations"])
        meta.finalizers = (m?["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
        return meta
    }

    /// The server-owned metadata fields, over what the manifest decoder read.
    public static func metadata(_ v: Value, over decoded: ObjectMeta) -> ObjectMeta {
        var meta = decoded
        let m = v["metadata"]
        meta.uid = m?["uid"]?.stringValue ?? ""
        meta.resourceVersion = m?["resourceVersion"]?.stringValue ?? ""
        meta.generation = m?["generation"]?.intValue ?? 0
        meta.creationTimestamp = time(m?["creationTimestamp"])
        meta.deletionTimestamp = time(m?["deletionTimestamp"])
        meta.deletionGracePeriodSeconds = m?["deletionGracePeriodSeconds"]?.intValue
        meta.ownerReferences = (m?["ownerReferences"]?.arrayValue ?? []).map { o in
            OwnerReference(apiVersion: o["apiVersion"]?.stringValue ?? "", kind: o["kind"]?.stringValue ?? "",
                           name: o["name"]?.stringValue ?? "", uid: o["uid"]?.stringValue ?? "",
                           controller: o["controller"]?.boolValue, blockOwnerDeletion: o["blockOwnerDeletion"]?.boolValue)
        }
        return meta
    }

    static func time(_ v: Value?) -> Millis? { v?.stringValue.flatMap(Timestamps.parse) }
    static func int(_ v: Value?) -> Int { Int(v?.intValue ?? 0) }
    static func stringMap(_ v: Value?) -> [String: String] {
        var out: [String: String] = [:]
        for (k, value) in v?.objectValue ?? [] { if let s = value.stringValue { out[k] = s } }
        return out
    }
}
