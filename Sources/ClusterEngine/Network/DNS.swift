import ClusterModel

/// Cluster DNS with CoreDNS's `kubernetes` plugin semantics (reference §5.1–5.3): zone
/// `cluster.local`, Service A/SRV records, headless Services → ready endpoint IPs,
/// ExternalName → CNAME, `pods insecure` pod records; anything else goes "upstream" to a tiny
/// built-in internet (svclab is offline).
public enum DNSRecord: Equatable, Sendable {
    case a(name: String, ip: String)
    case cname(name: String, target: String)
    case srv(name: String, priority: Int, weight: Int, port: Int, target: String)
}

public struct DNSAnswer: Equatable, Sendable {
    public enum Code: String, Sendable { case noError = "NOERROR", nxDomain = "NXDOMAIN", servFail = "SERVFAIL" }
    public var code: Code
    public var records: [DNSRecord]
    /// CoreDNS is authoritative for cluster.local; upstream answers are not.
    public var authoritative: Bool
    public init(code: Code, records: [DNSRecord], authoritative: Bool) {
        self.code = code; self.records = records; self.authoritative = authoritative
    }
    public var addresses: [String] { records.compactMap { if case let .a(_, ip) = $0 { return ip }; return nil } }
    static func nx(_ authoritative: Bool = true) -> DNSAnswer { DNSAnswer(code: .nxDomain, records: [], authoritative: authoritative) }
    static let noData = DNSAnswer(code: .noError, records: [], authoritative: true)
}

public enum DNSQueryType: String, Sendable { case a = "A", aaaa = "AAAA", srv = "SRV" }

/// One query a resolver sent and what came back.
public struct DNSQuery: Equatable, Sendable {
    public var name: String
    public var type: DNSQueryType
    public var answer: DNSAnswer
}

/// The outcome of resolving a name the way a pod's resolver does.
public struct DNSResolution: Equatable, Sendable {
    /// Every query in order (search-path expansions included).
    public var queries: [DNSQuery]
    /// The query that answered (nil: the name did not resolve).
    public var answered: DNSQuery?
    /// The addresses in the end (after following a CNAME).
    public var addresses: [String]
    /// The CNAME chain followed, if any: (owner, target).
    public var cnames: [(String, String)]

    public static func == (a: DNSResolution, b: DNSResolution) -> Bool {
        a.queries == b.queries && a.answered == b.answered && a.addresses == b.addresses
            && a.cnames.map { "\($0.0)>\($0.1)" } == b.cnames.map { "\($0.0)>\($0.1)" }
    }
}

extension Cluster {
    public static let clusterDomain = "cluster.local"
    public static let dnsServiceIP = "10.96.0.10"

    /// A small upstream for an offline lab: names a lesson may point an ExternalName at.
    static let upstream: [String: [String]] = [
        "example.com": ["172.66.147.243", "104.20.23.154"],
        "kubernetes.io": ["147.75.40.148"],
        "api.github.com": ["140.82.121.6"],
    ]

    /// `search` of a pod's /etc/resolv.conf under dnsPolicy ClusterFirst.
    public func searchDomains(namespace: String) -> [String] {
        ["\(namespace).svc.\(Self.clusterDomain)", "svc.\(Self.clusterDomain)", Self.clusterDomain]
    }

    /// One query to CoreDNS (the name is taken as fully qualified).
    public func dnsQuery(_ rawName: String, _ type: DNSQueryType) -> DNSAnswer {
        var name = rawName.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let zone = "." + Self.clusterDomain
        guard name.hasSuffix(zone) || name == Self.clusterDomain else {
            guard let ips = Self.upstream[name] else { return .nx(false) }
            return DNSAnswer(code: .noError, records: type == .a ? ips.map { .a(name: name, ip: $0) } : [], authoritative: false)
        }
        let labels = name == Self.clusterDomain ? [] : Array(name.dropLast(zone.count).split(separator: ".", omittingEmptySubsequences: false).map(String.init))
        guard let kind = labels.last else { return .noData }
        let rest = Array(labels.dropLast())
        switch kind {
        case "svc": return serviceRecords(rest, fqdn: name, type)
        case "pod":
            // `pods insecure`: any dashed IPv4 in a namespace that exists answers with that IP.
            guard rest.count == 2, namespaces.get("", rest[1]) != nil else { return rest.count == 1 && namespaces.get("", rest[0]) != nil ? .noData : .nx() }
            let ip = rest[0].replacingOccurrences(of: "-", with: ".")
            guard IPv4.parse(ip) != nil else { return .nx() }
            return DNSAnswer(code: .noError, records: type == .a ? [.a(name: name, ip: ip)] : [], authoritative: true)
        default:
            return .nx()
        }
    }

    private func serviceRecords(_ labels: [String], fqdn: String, _ type: DNSQueryType) -> DNSAnswer {
        switch labels.count {
        case 0: return .noData                                   // svc.cluster.local
        case 1: return namespaces.get("", labels[0]) != nil ? .noData : .nx()   // <ns>.svc.cluster.local
        default: break
        }
        let ns = labels[labels.count - 1], svcName = labels[labels.count - 2]
        guard let svc = services.get(ns, svcName) else { return .nx() }
        let prefix = Array(labels.dropLast(2))
        let svcFQDN = "\(svcName).\(ns).svc.\(Self.clusterDomain)"
        if svc.spec.type == .externalName {
            guard prefix.isEmpty else { return .nx() }
            return DNSAnswer(code: .noError, records: [.cname(name: fqdn, target: svc.spec.externalName)], authoritative: true)
        }
        // Only headless answers and SRV records read the endpoints; a ClusterIP's A record does not.
        lazy var ready = readyDNSEndpoints(svc)
        switch prefix.count {
        case 0:
            if type == .srv {
                let records = svc.spec.ports.filter { !$0.name.isEmpty }.flatMap { p -> [DNSRecord] in
                    srvRecords(svc, port: p, ready: ready, svcFQDN: svcFQDN, owner: "_\(p.name)._\(p.proto.rawValue.lowercased()).\(svcFQDN)")
                }
                return records.isEmpty ? .noData : DNSAnswer(code: .noError, records: records, authoritative: true)
            }
            if svc.spec.isHeadless {
                guard !ready.isEmpty else { return .nx() }
                return DNSAnswer(code: .noError, records: type == .a ? ready.map { .a(name: fqdn, ip: $0.ip) } : [], authoritative: true)
            }
            return DNSAnswer(code: .noError, records: type == .a ? [.a(name: fqdn, ip: svc.spec.clusterIP)] : [], authoritative: true)
        case 1:
            // <hostname>.<svc>… for an endpoint of a headless Service.
            guard svc.spec.isHeadless, let e = ready.first(where: { $0.hostname == prefix[0] }) else { return .nx() }
            return DNSAnswer(code: .noError, records: type == .a ? [.a(name: fqdn, ip: e.ip)] : [], authoritative: true)
        case 2:
            // _<port>._<proto>.<svc>…
            guard prefix[0].hasPrefix("_"), prefix[1].hasPrefix("_"),
                  let p = svc.spec.ports.first(where: { "_\($0.name)" == prefix[0] && "_\($0.proto.rawValue.lowercased())" == prefix[1] && !$0.name.isEmpty }) else { return .nx() }
            if type != .srv { return .noData }
            return DNSAnswer(code: .noError, records: srvRecords(svc, port: p, ready: ready, svcFQDN: svcFQDN, owner: fqdn), authoritative: true)
        default:
            return .nx()
        }
    }

    private func srvRecords(_ svc: Service, port: ServicePort, ready: [(ip: String, hostname: String)], svcFQDN: String, owner: String) -> [DNSRecord] {
        if svc.spec.isHeadless {
            let weight = ready.isEmpty ? 100 : 100 / ready.count
            return ready.map { .srv(name: owner, priority: 0, weight: weight, port: port.port, target: "\($0.hostname).\(svcFQDN)") }
        }
        return [.srv(name: owner, priority: 0, weight: 100, port: port.port, target: svcFQDN)]
    }

    /// Endpoints DNS publishes for a headless Service: ready (or ready unset) ones, with the
    /// endpoint hostname or the dashed IP.
    private func readyDNSEndpoints(_ svc: Service) -> [(ip: String, hostname: String)] {
        var seen = Set<String>()
        var out: [(ip: String, hostname: String)] = []
        for slice in slices(ofService: ObjectKey(svc.metadata.namespace, svc.metadata.name)) {
            for e in slice.endpoints where (e.conditions.ready ?? true) || svc.spec.publishNotReadyAddresses {
                guard let ip = e.addresses.first, seen.insert(ip).inserted else { continue }
                out.append((ip, e.hostname ?? ip.replacingOccurrences(of: ".", with: "-")))
            }
        }
        return out.sorted { (IPv4.parse($0.ip) ?? 0) < (IPv4.parse($1.ip) ?? 0) }
    }

    /// glibc/musl `getaddrinfo` with the pod's resolv.conf: a name with fewer than `ndots` dots
    /// tries the search domains first, then itself; a trailing dot means "exactly this name".
    /// A CNAME answer is followed.
    public func resolve(_ host: String, namespace: String, ndots: Int = 5) -> DNSResolution {
        var result = DNSResolution(queries: [], answered: nil, addresses: [], cnames: [])
        let absolute = host.hasSuffix(".")
        let bare = absolute ? String(host.dropLast()) : host
        let dots = bare.filter { $0 == "." }.count
        let expanded = searchDomains(namespace: namespace).map { "\(bare).\($0)" }
        let candidates = absolute ? [bare] : (dots >= ndots ? [bare] + expanded : expanded + [bare])
        for name in candidates {
            let answer = dnsQuery(name, .a)
            let query = DNSQuery(name: name, type: .a, answer: answer)
            result.queries.append(query)
            guard answer.code == .noError, !answer.records.isEmpty else { continue }
            result.answered = query
            var addresses = answer.addresses
            for case let .cname(owner, target) in answer.records {
                result.cnames.append((owner, target))
                let followed = dnsQuery(target, .a)
                result.queries.append(DNSQuery(name: target, type: .a, answer: followed))
                addresses += followed.addresses
            }
            result.addresses = addresses
            if addresses.isEmpty { result.answered = nil; continue }
            return result
        }
        return result
    }
}
