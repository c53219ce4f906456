/// A pod's READY and STATUS columns as kubectl 1.33 prints them (pkg/printers/internalversion
/// printPod). Written once: `kubectl get pods`, `describe`, the lab's pods pane and lessons all
/// read these, so the lab can never disagree with kubectl about a pod.
public enum PodColumns {
    /// READINESS GATES (printers.go): "<none>", or how many gates' conditions are True of all.
    public static func readinessGates(_ pod: Pod) -> String {
        let gates = pod.spec.readinessGateTypes
        if gates.isEmpty { return "<none>" }
        let satisfied = gates.filter { pod.status.condition($0)?.status == .true }.count
        return "\(satisfied)/\(gates.count)"
    }

    /// STATUS: the phase, or the reason a container is waiting or terminated, "Terminating"
    /// while deleted, "NotReady" when a completed init-like state hides a running container.
    public static func status(_ pod: Pod) -> String {
        var reason = pod.status.phase.rawValue
        if !pod.status.reason.isEmpty { reason = pod.status.reason }
        if let c = pod.status.condition("PodScheduled"), c.reason == "SchedulingGated" { reason = "SchedulingGated" }
        var hasRunning = false
        for cs in pod.status.containerStatuses.reversed() {
            switch cs.state {
            case let .waiting(r) where !r.isEmpty: reason = r
            case let .terminated(r, code, _, _):
                reason = r.isEmpty ? "ExitCode:\(code)" : r
            case .running:
                hasRunning = true
            default: break
            }
        }
        if reason == "Completed" && hasRunning { reason = pod.status.isReady ? "Running" : "NotReady" }
        if pod.metadata.deletionTimestamp != nil {
            if pod.status.reason == "NodeLost" { reason = "Unknown" }
            else if !pod.isTerminal { reason = "Terminating" }
        }
        return reason
    }

    /// READY: running containers that are ready, of all containers.
    public static func ready(_ pod: Pod) -> String {
        var ready = 0
        for cs in pod.status.containerStatuses {
            if case .running = cs.state, cs.ready { ready += 1 }
        }
        let total = pod.spec.containers.count
        // A get of 150,000 pods asks this 150,000 times: the common small counts are made once.
        if ready < 10 && total < 10 { return smallCounts[ready * 10 + total] }
        return "\(ready)/\(total)"
    }
    private static let smallCounts = (0..<100).map { "\($0 / 10)/\($0 % 10)" }

    /// RESTARTS: the containers' restart counts summed.
    public static func restarts(_ pod: Pod) -> Int {
        pod.status.containerStatuses.reduce(0) { $0 + $1.restartCount }
    }

    /// RESTARTS as printed: `N`, or `N (AGE ago)` from the latest `lastState.terminated.finishedAt`.
    public static func restartsText(_ pod: Pod, now: Millis) -> String {
        let n = restarts(pod)
        let last = pod.status.containerStatuses.compactMap { cs -> Millis? in
            if case let .terminated(_, _, _, finished)? = cs.lastState { return finished }
            return nil
        }.max()
        guard n > 0, let last else { return String(n) }
        return "\(n) (\(humanDuration(millis: now - last)) ago)"
    }
}

extension EndpointConditions {
    /// The API's rule: an endpoint whose `ready` condition is unset counts as ready.
    public var countsAsReady: Bool { ready ?? true }
}

extension Pod {
    /// fieldpath.ExtractFieldPathAsString: what a downward-API `fieldRef` reads from the pod
    /// (env `valueFrom.fieldRef`, describe's resolved value); nil for a path it does not support.
    public func downwardValue(_ fieldPath: String) -> String? {
        func subscripted(_ prefix: String, _ map: [String: String]) -> String? {
            guard fieldPath.hasPrefix(prefix + "['"), fieldPath.hasSuffix("']") else { return nil }
            return map[String(fieldPath.dropFirst(prefix.count + 2).dropLast(2))] ?? ""
        }
        switch fieldPath {
        case "metadata.name": return metadata.name
        case "metadata.namespace": return metadata.namespace
        case "metadata.uid": return metadata.uid
        case "spec.nodeName": return spec.nodeName
        case "spec.serviceAccountName": return spec.serviceAccountName
        case "status.hostIP", "status.hostIPs": return status.hostIP
        case "status.podIP", "status.podIPs": return status.podIP
        default: return subscripted("metadata.labels", metadata.labels) ?? subscripted("metadata.annotations", metadata.annotations)
        }
    }
}
