import ClusterModel

/// Service ClusterIPs from 10.96.0.0/12 with the static/dynamic bands of KEP-3070: dynamic
/// allocation takes a random start in the upper band and scans forward (wrapping), and only
/// falls back to the lower (static) band when the upper one is full.
struct ClusterIPAllocator: Sendable {
    static let base: UInt32 = IPv4.parse("10.96.0.0")!
    static let size: UInt32 = 1 << 20                 // /12
    static let first: UInt32 = base + 1               // network address is never handed out
    static let last: UInt32 = base + size - 2         // nor the broadcast address
    static let offset: UInt32 = min(max(16, size / 16), 256)
    static let cidr = "10.96.0.0/12"
    private(set) var allocated = Set<UInt32>()

    enum Failure: Error, Equatable { case alreadyAllocated, notInRange, full }

    func contains(_ ip: UInt32) -> Bool { ip >= Self.first && ip <= Self.last }

    mutating func allocate(_ ip: UInt32) throws(Failure) {
        guard contains(ip) else { throw .notInRange }
        guard allocated.insert(ip).inserted else { throw .alreadyAllocated }
    }

    mutating func allocateNext(using rng: inout SeededRandom) throws(Failure) -> UInt32 {
        let lowerEnd = Self.first + Self.offset - 1
        if let ip = scan(from: lowerEnd + 1, to: Self.last, rng: &rng) { return ip }
        if let ip = scan(from: Self.first, to: lowerEnd, rng: &rng) { return ip }
        throw .full
    }

    private mutating func scan(from lo: UInt32, to hi: UInt32, rng: inout SeededRandom) -> UInt32? {
        let count = Int(hi - lo + 1)
        let start = rng.int(in: 0...(count - 1))
        for i in 0..<count {
            let ip = lo + UInt32((start + i) % count)
            if allocated.insert(ip).inserted { return ip }
        }
        return nil
    }

    mutating func release(_ ip: UInt32) { allocated.remove(ip) }
}

/// NodePorts 30000–32767 with the static band 30000–30085 (KEP-3668), per protocol.
struct NodePortAllocator: Sendable {
    static let range = 30000...32767
    static let offset = min(max(16, range.count / 32), 128)
    private(set) var allocated = Set<String>()   // "TCP/30080"

    enum Failure: Error, Equatable { case alreadyAllocated, notInRange, full }

    mutating func allocate(_ port: Int, proto: PortProtocol) throws(Failure) {
        guard Self.range.contains(port) else { throw .notInRange }
        guard allocated.insert("\(proto)/\(port)").inserted else { throw .alreadyAllocated }
    }

    func isFree(_ port: Int, proto: PortProtocol) -> Bool { !allocated.contains("\(proto)/\(port)") }

    mutating func allocateNext(proto: PortProtocol, using rng: inout SeededRandom) throws(Failure) -> Int {
        let lower = Self.range.lowerBound...(Self.range.lowerBound + Self.offset - 1)
        let upper = (Self.range.lowerBound + Self.offset)...Self.range.upperBound
        for band in [upper, lower] {
            let start = rng.int(in: 0...(band.count - 1))
            for i in 0..<band.count {
                let port = band.lowerBound + (start + i) % band.count
                if allocated.insert("\(proto)/\(port)").inserted { return port }
            }
        }
        throw .full
    }

    mutating func release(_ port: Int, proto: PortProtocol) { allocated.remove("\(proto)/\(port)") }
}

/// A node's pod CIDR (`10.244.N.0/24`), handed out like CNI host-local: the next free address
/// after the last one given, wrapping, skipping the network, gateway (.1) and broadcast.
struct NodePodNetwork: Sendable {
    let base: UInt32
    private var used = Set<UInt32>()
    private var last: UInt32 = 1

    init(index: Int) { base = IPv4.parse("10.244.0.0")! + UInt32(index) << 8 }
    var cidr: String { IPv4.format(base) + "/24" }

    mutating func allocate() -> String? {
        for step in 1...253 {
            let host = UInt32(((Int(last) - 2 + step) % 253 + 253) % 253 + 2)   // cycles 2…254
            if used.insert(host).inserted { last = host; return IPv4.format(base + host) }
        }
        return nil
    }

    mutating func release(_ ip: String) {
        guard let v = IPv4.parse(ip), v & 0xffff_ff00 == base else { return }
        used.remove(v - base)
    }
}

extension Cluster {
    /// Admission for Services: ClusterIPs, NodePorts, IP families. Throws the API server's
    /// Invalid errors; allocates nothing if any allocation fails.
    func allocate(for svc: inout Service, previous: Service?) throws(APIError) {
        var spec = svc.spec
        let name = svc.metadata.name
        func invalid(_ e: FieldError) -> APIError { .invalid(InvalidObjectError(kind: "Service", name: name, causes: [e])) }

        if spec.type != .externalName {
            spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? "SingleStack"
            if spec.ipFamilies.isEmpty { spec.ipFamilies = ["IPv4"] }
        }

        var newIP: UInt32?
        if spec.type == .externalName {
            spec.clusterIP = ""; spec.clusterIPs = []
        } else if let previous, !previous.spec.clusterIP.isEmpty {
            if spec.clusterIP.isEmpty { spec.clusterIP = previous.spec.clusterIP; spec.clusterIPs = previous.spec.clusterIPs }
            else if spec.clusterIP != previous.spec.clusterIP {
                throw invalid(.invalid(FieldPath("spec.clusterIPs").index(0), spec.clusterIP, "may not change once set"))
            }
        } else if spec.clusterIP == "None" {
            spec.clusterIPs = ["None"]
        } else if !spec.clusterIP.isEmpty {
            guard let ip = IPv4.parse(spec.clusterIP) else { throw invalid(.invalid(FieldPath("spec.clusterIPs").index(0), spec.clusterIP, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")) }
            do { try clusterIPAllocator.allocate(ip) } catch {
                let detail: String
                switch error {
                case .alreadyAllocated: detail = "failed to allocate IP \(spec.clusterIP): provided IP is already allocated"
                case .notInRange: detail = "failed to allocate IP \(spec.clusterIP): the provided network does not match the current range"
                case .full: detail = "range is full"
                }
                throw invalid(.invalid(FieldPath("spec.clusterIPs"), .goSyntax(goStringSlice([spec.clusterIP])), detail))
            }
            newIP = ip
            spec.clusterIPs = [spec.clusterIP]
        } else {
            do { newIP = try clusterIPAllocator.allocateNext(using: &rng) } catch {
                throw .internalError("failed to allocate a serviceIP: range is full")
            }
            spec.clusterIP = IPv4.format(newIP!)
            spec.clusterIPs = [spec.clusterIP]
        }

        // NodePorts: keep the ones a previous version had, honour explicit ones, allocate the rest.
        var taken: [(Int, PortProtocol)] = []
        func rollback() {
            for (p, proto) in taken { nodePortAllocator.release(p, proto: proto) }
            if let ip = newIP { clusterIPAllocator.release(ip) }
        }
        let wantsNodePorts = spec.type == .nodePort || (spec.type == .loadBalancer && spec.allocateLoadBalancerNodePorts != false)
        let previousPorts = Dictionary((previous?.spec.ports ?? []).filter { $0.nodePort != 0 }.map { ("\($0.proto)/\($0.port)", $0.nodePort) }, uniquingKeysWith: { a, _ in a })
        let previouslyHeld = Set((previous?.spec.ports ?? []).filter { $0.nodePort != 0 }.map { "\($0.proto)/\($0.nodePort)" })
        for i in spec.ports.indices {
            let proto = spec.ports[i].proto
            if !wantsNodePorts { spec.ports[i].nodePort = 0; continue }
            if spec.ports[i].nodePort == 0, let kept = previousPorts["\(proto)/\(spec.ports[i].port)"] {
                spec.ports[i].nodePort = kept
            }
            let requested = spec.ports[i].nodePort
            if requested != 0 {
                if previouslyHeld.contains("\(proto)/\(requested)") { continue }
                do { try nodePortAllocator.allocate(requested, proto: proto); taken.append((requested, proto)) } catch {
                    rollback()
                    let detail = error == .notInRange
                        ? "provided port is not in the valid range. The range of valid ports is 30000-32767"
                        : "provided port is already allocated"
                    throw invalid(.invalid(FieldPath("spec.ports").index(i).child("nodePort"), requested, detail))
                }
            } else {
                do {
                    let p = try nodePortAllocator.allocateNext(proto: proto, using: &rng)
                    taken.append((p, proto))
                    spec.ports[i].nodePort = p
                } catch {
                    rollback()
                    throw .internalError("failed to allocate a nodePort: range is full")
                }
            }
        }
        // Release node ports the previous version held and this one dropped.
        if let previous {
            let kept = Set(spec.ports.filter { $0.nodePort != 0 }.map { "\($0.proto)/\($0.nodePort)" })
            for p in previous.spec.ports where p.nodePort != 0 && !kept.contains("\(p.proto)/\(p.nodePort)") {
                nodePortAllocator.release(p.nodePort, proto: p.proto)
            }
            if spec.type == .externalName, let ip = IPv4.parse(previous.spec.clusterIP) { clusterIPAllocator.release(ip) }
        }
        if spec.type == .loadBalancer, spec.externalTrafficPolicy == "Local", spec.healthCheckNodePort == 0 {
            spec.healthCheckNodePort = previous?.spec.healthCheckNodePort ?? 0
            if spec.healthCheckNodePort == 0, let p = try? nodePortAllocator.allocateNext(proto: .tcp, using: &rng) {
                spec.healthCheckNodePort = p
            }
        }
        svc.spec = spec
    }

    func releaseAllocations(of svc: Service) {
        if let ip = IPv4.parse(svc.spec.clusterIP) { clusterIPAllocator.release(ip) }
        for p in svc.spec.ports where p.nodePort != 0 { nodePortAllocator.release(p.nodePort, proto: p.proto) }
        if svc.spec.healthCheckNodePort != 0 { nodePortAllocator.release(svc.spec.healthCheckNodePort, proto: .tcp) }
    }
}
