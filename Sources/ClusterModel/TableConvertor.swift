/// Tables as data: each kind's columns (name, type, priority) and cells, as upstream's
/// pkg/printers/internalversion/printers.go generates them on the server. kubectl formats a
/// table as text (priority-1 columns only with `-o wide`); the HTTP API will return the same
/// rows as a metav1.Table. One function per kind; `wide` rows carry every column.
public struct TableConvertor {
    public let now: Millis
    public init(now: Millis) { self.now = now }

    public func age(_ t: Millis?) -> String {
        guard let t else { return "<unknown>" }
        return humanDuration(millis: now - t)
    }

    // MARK: Pods

    public func podRow(_ pod: Pod, wide: Bool) -> [String] {
        var table = CellTable(columns: Self.podHeader.count + (wide ? Self.podWide.count : 0), reservingRows: 1)
        podCells(pod, wide: wide, into: &table)
        return table.row(0)
    }

    /// The pod's cells written straight into a table: the kind a cluster holds 150,000 of
    /// makes no array per row.
    public func podCells(_ pod: Pod, wide: Bool, into table: inout CellTable) {
        table.append(pod.metadata.name)
        table.append(PodColumns.ready(pod))
        table.append(PodColumns.status(pod))
        table.append(PodColumns.restartsText(pod, now: now))
        table.append(age(pod.metadata.creationTimestamp))
        if wide {
            table.append(pod.status.podIP.isEmpty ? "<none>" : pod.status.podIP)
            table.append(pod.spec.nodeName.isEmpty ? "<none>" : pod.spec.nodeName)
            table.append(pod.status.nominatedNodeName.isEmpty ? "<none>" : pod.status.nominatedNodeName)
            table.append(PodColumns.readinessGates(pod))
        }
    }
    public static let podHeader = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    public static let podWide = ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]

    // MARK: Services

    public static func servicePorts(_ svc: Service) -> String {
        if svc.spec.ports.isEmpty { return "<none>" }
        return svc.spec.ports.map { p in
            p.nodePort > 0 ? "\(p.port):\(p.nodePort)/\(p.proto)" : "\(p.port)/\(p.proto)"
        }.joined(separator: ",")
    }

    public static func externalIP(_ svc: Service, wide: Bool) -> String {
        switch svc.spec.type {
        case .clusterIP, .nodePort:
            return svc.spec.externalIPs.isEmpty ? "<none>" : svc.spec.externalIPs.joined(separator: ",")
        case .loadBalancer:
            // getServiceExternalIP + loadBalancerStatusStringer (printers.go, v1.33): only the
            // ingress part is cut to 16 characters; externalIPs are appended after it, whole.
            var ingress = Set(svc.loadBalancerIngress.compactMap { i in i.ip.flatMap { $0.isEmpty ? nil : $0 } ?? i.hostname.flatMap { $0.isEmpty ? nil : $0 } })
                .sorted().joined(separator: ",")
            if !wide && ingress.count > 16 { ingress = String(ingress.prefix(13)) + "..." }
            if !svc.spec.externalIPs.isEmpty {
                return ((ingress.isEmpty ? [] : ingress.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) + svc.spec.externalIPs).joined(separator: ",")
            }
            return ingress.isEmpty ? "<pending>" : ingress
        case .externalName:
            return svc.spec.externalName
        default:
            return "<unknown>"
        }
    }

    public func serviceRow(_ svc: Service, wide: Bool) -> [String] {
        let clusterIP = svc.spec.clusterIPs.first ?? (svc.spec.clusterIP.isEmpty ? "<none>" : svc.spec.clusterIP)
        var row = [svc.metadata.name, svc.spec.type.rawValue, clusterIP.isEmpty ? "<none>" : clusterIP,
                   Self.externalIP(svc, wide: wide), Self.servicePorts(svc), age(svc.metadata.creationTimestamp)]
        if wide { row.append(svc.spec.selector.map { formatLabels($0) } ?? "<none>") }
        return row
    }
    public static let serviceHeader = ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]

    // MARK: Endpoints and slices

    public static func formatEndpoints(_ ep: Endpoints) -> String {
        if ep.subsets.isEmpty { return "<none>" }
        var entries: [String] = []
        var count = 0
        for s in ep.subsets {
            if s.ports.isEmpty {
                for a in s.addresses { count += 1; if entries.count < 3 { entries.append(a.ip) } }
            } else {
                for p in s.ports {
                    for a in s.addresses { count += 1; if entries.count < 3 { entries.append("\(a.ip):\(p.port)") } }
                }
            }
        }
        var out = entries.joined(separator: ",")
        if count > 3 { out += " + \(count - 3) more..." }
        return out
    }

    public func endpointsRow(_ ep: Endpoints) -> [String] {
        [ep.metadata.name, Self.formatEndpoints(ep), age(ep.metadata.creationTimestamp)]
    }

    public static func slicePorts(_ s: EndpointSlice) -> String {
        if s.ports.isEmpty { return "<unset>" }
        let parts = s.ports.map { p -> String in
            if let n = p.port { return String(n) }
            if let name = p.name { return name }
            return "*"
        }
        return parts.prefix(3).joined(separator: ",") + (parts.count > 3 ? " + \(parts.count - 3) more..." : "")
    }

    public static func sliceEndpoints(_ s: EndpointSlice) -> String {
        let all = s.endpoints.flatMap(\.addresses)
        if all.isEmpty { return "<unset>" }
        return all.prefix(3).joined(separator: ",") + (all.count > 3 ? " + \(all.count - 3) more..." : "")
    }

    public func sliceRow(_ s: EndpointSlice) -> [String] {
        [s.metadata.name, s.addressType, Self.slicePorts(s), Self.sliceEndpoints(s), age(s.metadata.creationTimestamp)]
    }

    // MARK: Workloads

    public static func containersAndImages(_ spec: PodSpec) -> (String, String) {
        (spec.containers.map(\.name).joined(separator: ","), spec.containers.map(\.image).joined(separator: ","))
    }

    public func deploymentRow(_ d: Deployment, wide: Bool) -> [String] {
        var row = [d.metadata.name, "\(d.status.readyReplicas)/\(d.desiredReplicas)", String(d.status.updatedReplicas),
                   String(d.status.availableReplicas), age(d.metadata.creationTimestamp)]
        if wide {
            let (c, i) = Self.containersAndImages(d.spec.template.spec)
            let sel = (try? (d.spec.selector ?? LabelSelector()).expression().description) ?? "<invalid>"
            row += [c, i, sel]
        }
        return row
    }

    public func replicaSetRow(_ rs: ReplicaSet, wide: Bool) -> [String] {
        var row = [rs.metadata.name, String(rs.desiredReplicas), String(rs.status.replicas), String(rs.status.readyReplicas), age(rs.metadata.creationTimestamp)]
        if wide {
            let (c, i) = Self.containersAndImages(rs.spec.template.spec)
            row += [c, i, (rs.spec.selector ?? LabelSelector()).formatted]
        }
        return row
    }

    // MARK: Cluster-scoped

    public func nodeRow(_ n: Node, wide: Bool) -> [String] {
        var status = n.ready ? "Ready" : "NotReady"
        if n.unschedulable { status += ",SchedulingDisabled" }
        var roles = n.metadata.labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst("node-role.kubernetes.io/".count)) }
        if let r = n.metadata.labels["kubernetes.io/role"], !r.isEmpty { roles.append(r) }
        var row = [n.metadata.name, status, roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ","), age(n.metadata.creationTimestamp), n.kubeletVersion]
        if wide { row += [n.internalIP.isEmpty ? "<none>" : n.internalIP, "<none>", n.osImage, n.kernelVersion, n.containerRuntime] }
        return row
    }

    public func namespaceRow(_ ns: Namespace) -> [String] {
        [ns.metadata.name, ns.phase, age(ns.metadata.creationTimestamp)]
    }

    public func eventRow(_ e: Event, wide: Bool) -> [String] {
        var table = CellTable(columns: Self.eventHeader(wide: wide).count, reservingRows: 1)
        eventCells(e, wide: wide, into: &table)
        return table.row(0)
    }

    public static func eventHeader(wide: Bool) -> [String] {
        wide ? ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]
             : ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    }

    /// An event's cells written straight into a table (an envelope holds 650,000 events).
    public func eventCells(_ e: Event, wide: Bool, into table: inout CellTable) {
        let object = e.involvedObject
        table.append(age(e.lastTimestamp))
        table.append(e.type)
        table.append(e.reason)
        table.appendPiece(Self.lowercasedKind(object.kind)); table.appendPiece("/"); table.appendPiece(object.name); table.endCell()
        let message = Self.trimmed(e.message)
        if wide {
            table.append(object.fieldPath)
            if e.source.host.isEmpty { table.append(e.source.component) }
            else { table.appendPiece(e.source.component); table.appendPiece(", "); table.appendPiece(e.source.host); table.endCell() }
            table.append(message)
            table.append(age(e.firstTimestamp))
            table.append(String(max(1, e.count)))
            table.append(e.metadata.name)
        } else {
            table.append(message)
        }
    }

    /// The OBJECT column's kind ("pod"): the common kinds without lower-casing each time.
    private static func lowercasedKind(_ kind: String) -> String {
        switch kind {
        case "Pod": return "pod"
        case "ReplicaSet": return "replicaset"
        case "Deployment": return "deployment"
        case "Node": return "node"
        case "Service": return "service"
        default: return kind.lowercased()
        }
    }

    /// strings.TrimSpace, without Foundation for the usual message that has nothing to trim.
    private static func trimmed(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return s }
        if first.properties.isWhitespace || last.properties.isWhitespace {
            return s.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return s
    }

    public static func header(for type: ResourceDescription, wide: Bool) -> [String] {
        switch type.kind {
        case "Pod": return podHeader + (wide ? podWide : [])
        case "Service": return serviceHeader + (wide ? ["SELECTOR"] : [])
        case "Endpoints": return ["NAME", "ENDPOINTS", "AGE"]
        case "EndpointSlice": return ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
        case "Deployment": return ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"] + (wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])
        case "ReplicaSet": return ["NAME", "DESIRED", "CURRENT", "READY", "AGE"] + (wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])
        case "Node": return ["NAME", "STATUS", "ROLES", "AGE", "VERSION"] + (wide ? ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"] : [])
        case "Namespace": return ["NAME", "STATUS", "AGE"]
        case "Event": return eventHeader(wide: wide)
        default: return type.stored.map { $0.columns + (wide ? $0.wideColumns : []) } ?? ["NAME", "AGE"]
        }
    }
}


/// `duration.HumanDuration`, as `kubectl get` prints AGE.
public func humanDuration(millis: Int64) -> String {
    let totalSeconds = millis >= 0 ? millis / 1000 : -((-millis) / 1000)
    if totalSeconds < -1 { return "<invalid>" }
    if totalSeconds < 0 { return "0s" }
    if totalSeconds < 120 { return "\(totalSeconds)s" }
    let minutes = totalSeconds / 60
    if minutes < 10 {
        let s = totalSeconds % 60
        return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
    }
    if minutes < 180 { return "\(minutes)m" }
    let hours = minutes / 60
    if hours < 8 {
        let m = minutes % 60
        return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
    }
    if hours < 48 { return "\(hours)h" }
    if hours < 24 * 8 {
        let h = hours % 24
        return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
    }
    if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365
        return dy == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(dy)d"
    }
    return "\(hours / 24 / 365)y"
}

/// One column of a table, as metav1.TableColumnDefinition describes it.
public struct TableColumn: Equatable, Sendable {
    public var name: String
    /// "string", "integer" or "date" (upstream's OpenAPI types for cells).
    public var type: String
    /// "name" for the NAME column.
    public var format: String
    /// 0: always shown; 1: only with `-o wide`.
    public var priority: Int
}

extension TableConvertor {
    /// Every column of a kind's table, the wide ones at priority 1.
    public static func columns(for type: ResourceDescription) -> [TableColumn] {
        // Priority 1: the columns only the wide table has (Events put them between others).
        let narrow = Set(header(for: type, wide: false))
        return header(for: type, wide: true).map { name in
            TableColumn(name: name, type: ["RESTARTS", "DATA", "DESIRED", "CURRENT", "UP-TO-DATE", "AVAILABLE", "COUNT"].contains(name) ? "integer" : "string",
                        format: name == "NAME" ? "name" : "", priority: narrow.contains(name) ? 0 : 1)
        }
    }
}
