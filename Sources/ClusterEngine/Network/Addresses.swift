import ClusterModel

/// Who answers at an IP address: the index kube-proxy and the pod network consult per packet,
/// kept by the write path so a lookup costs the same at 3 pods and at 150,000.
public enum AddressOwner: Equatable, Sendable {
    case service(ObjectKey)   // a ClusterIP, external IP or LoadBalancer ingress IP
    case pod(ObjectKey)
    case node(String)
}

/// The addresses and NodePorts in use, by owner.
struct AddressBook {
    private(set) var owners: [String: AddressOwner] = [:]
    /// "30080/TCP" → Service.
    private(set) var nodePorts: [String: ObjectKey] = [:]

    mutating func set(_ ip: String, _ owner: AddressOwner) { if !ip.isEmpty && ip != "None" { owners[ip] = owner } }
    mutating func clear(_ ip: String, _ owner: AddressOwner) { if owners[ip] == owner { owners[ip] = nil } }
    mutating func setNodePort(_ port: Int, _ proto: PortProtocol, _ key: ObjectKey) { if port != 0 { nodePorts["\(port)/\(proto)"] = key } }
    mutating func clearNodePort(_ port: Int, _ proto: PortProtocol, _ key: ObjectKey) {
        if nodePorts["\(port)/\(proto)"] == key { nodePorts["\(port)/\(proto)"] = nil }
    }

    static func serviceIPs(_ svc: Service) -> [String] {
        [svc.spec.clusterIP] + svc.spec.externalIPs + svc.loadBalancerIngress.compactMap(\.ip)
    }

    mutating func index(_ svc: Service, _ key: ObjectKey) {
        for ip in Self.serviceIPs(svc) { set(ip, .service(key)) }
        for p in svc.spec.ports { setNodePort(p.nodePort, p.proto, key) }
    }

    mutating func unindex(_ svc: Service, _ key: ObjectKey) {
        for ip in Self.serviceIPs(svc) { clear(ip, .service(key)) }
        for p in svc.spec.ports { clearNodePort(p.nodePort, p.proto, key) }
    }
}

extension Cluster {
    /// What owns an IP (a Service's virtual IP, a pod, a node), if anything.
    public func owner(of ip: String) -> AddressOwner? { addressBook.owners[ip] }

    /// The Service that holds a NodePort.
    public func service(nodePort: Int, proto: PortProtocol) -> Service? {
        addressBook.nodePorts["\(nodePort)/\(proto)"].flatMap { services.get($0) }
    }
}

/// A LoadBalancer implementation for a bare cluster, like MetalLB in layer-2 mode on kind:
/// each `type: LoadBalancer` Service gets the next free address of a pool, written to its
/// status; traffic to that address enters through the Service's NodePort on some node.
public struct LoadBalancerPool: Sendable {
    /// MetalLB's usual kind pool, inside the kind Docker network 172.18.0.0/16.
    public static let defaultRange: ClosedRange<UInt32> = IPv4.parse("172.18.255.200")!...IPv4.parse("172.18.255.250")!
    var range: ClosedRange<UInt32>?
    private(set) var used: Set<UInt32> = []

    /// `off`, or `FIRST-LAST` (IPv4 addresses), as `--lb-pool` and scenario files write it.
    public static func parse(_ text: String) -> ClosedRange<UInt32>?? {
        if text == "off" || text == "none" { return .some(nil) }
        let parts = text.split(separator: "-").map(String.init)
        guard parts.count == 2, let a = IPv4.parse(parts[0]), let b = IPv4.parse(parts[1]), a <= b else { return nil }
        return .some(a...b)
    }

    mutating func take() -> String? {
        guard let range else { return nil }
        for ip in range where !used.contains(ip) { used.insert(ip); return IPv4.format(ip) }
        return nil
    }
    mutating func release(_ ip: String) { if let v = IPv4.parse(ip) { used.remove(v) } }
    mutating func claim(_ ip: String) -> Bool {
        guard let range, let v = IPv4.parse(ip), range.contains(v), !used.contains(v) else { return false }
        used.insert(v)
        return true
    }
}
