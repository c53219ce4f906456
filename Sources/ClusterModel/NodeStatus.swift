/// What a kind node's kubelet reports in its status — capacity, allocatable, the pressure and
/// Ready conditions (heartbeat every 30 s), machine IDs — written once for the API's JSON and
/// `kubectl describe node` (which reads the same fields as the real kubectl does).
public enum NodeStatus {
    public static func capacity(_ n: Node) -> [(String, String)] {
        [("cpu", "8"), ("ephemeral-storage", "102626232Ki"), ("hugepages-1Gi", "0"), ("hugepages-2Mi", "0"), ("memory", "16314508Ki"), ("pods", String(n.podCapacity))]
    }

    public struct Condition { public var type: String; public var status: ConditionStatus; public var reason, message: String; public var heartbeat, transition: Millis }

    /// The last heartbeat before `now` (the kubelet posts status every 30 s... as seen on read).
    public static func conditions(_ n: Node, now: Millis) -> [Condition] {
        let since = n.metadata.creationTimestamp ?? 0
        let beat = max(since, now - 30_000)
        return [
            Condition(type: "MemoryPressure", status: .false, reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available", heartbeat: beat, transition: since),
            Condition(type: "DiskPressure", status: .false, reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure", heartbeat: beat, transition: since),
            Condition(type: "PIDPressure", status: .false, reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available", heartbeat: beat, transition: since),
            Condition(type: "Ready", status: ConditionStatus(n.ready), reason: n.ready ? "KubeletReady" : "KubeletNotReady",
                      message: n.ready ? "kubelet is posting ready status" : "container runtime network not ready", heartbeat: beat, transition: since),
        ]
    }

    static func hex16(_ s: String) -> String { StableHash.hex16(s) }

    public static func machineID(_ n: Node) -> String { hex16(n.metadata.name + "m") + hex16(n.metadata.name + "n") }
    public static func systemUUID(_ n: Node) -> String {
        let h = hex16(n.metadata.name + "u") + hex16(n.metadata.name + "v")
        let c = Array(h)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }
    public static func bootID(_ n: Node) -> String {
        let h = Array(hex16(n.metadata.name + "b") + hex16(n.metadata.name + "c"))
        return "\(String(h[0..<8]))-\(String(h[8..<12]))-\(String(h[12..<16]))-\(String(h[16..<20]))-\(String(h[20..<32]))"
    }
}
