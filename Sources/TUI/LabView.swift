import ClusterEngine
import ClusterModel
import Diagnosis

/// What the screen shows, read from the cluster once per frame: plain rows, no formatting.
/// The endpoints pane explains every pod of the namespace against the selected Service.
public struct LabView: Equatable, Sendable {
    public struct ServiceRow: Equatable, Sendable {
        public var name: String
        public var type: ServiceType
        public var clusterIP: String
        public var ports: String
        public var selector: String
        public var readyEndpoints: Int
    }

    public struct PodRow: Equatable, Sendable {
        public var name: String
        public var ready: String
        public var status: String
        public var ip: String
        public var node: String
        public var labels: String
        /// Selected by the current Service's selector.
        public var selected: Bool
        /// Each selector term and whether this pod's labels satisfy it.
        public var terms: [(term: String, ok: Bool)]
        /// The Deployment that owns it (through its ReplicaSet), if any.
        public var deployment: String?

        /// Equal but for what depends on the selected Service.
        func sameExceptSelection(_ b: PodRow) -> Bool {
            name == b.name && ready == b.ready && status == b.status && ip == b.ip && node == b.node && labels == b.labels && deployment == b.deployment
        }

        public static func == (a: PodRow, b: PodRow) -> Bool {
            a.sameExceptSelection(b) && a.selected == b.selected
                && a.terms.count == b.terms.count && zip(a.terms, b.terms).allSatisfy { $0.term == $1.term && $0.ok == $1.ok }
        }
    }

    public enum EndpointState: String, Sendable { case ready, notReady, terminating }

    public struct EndpointRow: Equatable, Sendable {
        public var address: String   // ip:port
        public var port: String      // the Service port's name or number
        public var pod: String
        public var node: String
        public var state: EndpointState
        public var id: String { "\(port)/\(address)" }
    }

    /// A pod the Service leaves out, and why.
    public struct LeftOut: Equatable, Sendable {
        public var pod: String
        public var reason: String
    }

    public var clusterName: String
    public var namespace: String
    public var now: Millis
    public var services: [ServiceRow]
    public var pods: [PodRow]
    /// How many Services and pods (matching the filter) the namespace holds: the panes list at
    /// most `rowLimit` of each, in name order, so a 150,000-pod namespace stays a usable screen.
    /// The Service whose endpoints `endpoints` lists (the selection when the view was built).
    public var endpointsOf: String?
    public var serviceCount = 0
    public var podCount = 0
    public static let rowLimit = 2_000
    public var endpoints: [EndpointRow]
    public var leftOut: [LeftOut]
    /// What `why svc/NAME` would say is wrong (empty when nothing is), and its advice.
    public var findings: [Finding]
    public struct Finding: Equatable, Sendable {
        public var text: String
        /// Worth knowing, nothing wrong (a single endpoint): shown as a warning, not an error.
        public var advice: Bool
    }
    public var events: [String]

    public static func build(cluster: Cluster, namespace: String, serviceName: String?, filter: String) -> LabView {
        let services = cluster.services.list(namespace: namespace, limit: rowLimit)
        let rows = services.map { svc in
            ServiceRow(name: svc.metadata.name, type: svc.spec.type,
                       clusterIP: svc.spec.type == .externalName ? svc.spec.externalName : svc.spec.clusterIP,
                       ports: svc.spec.ports.map { p in "\(p.port)" + (p.nodePort != 0 ? ":\(p.nodePort)" : "") + "/\(p.proto)" }.joined(separator: ","),
                       selector: (svc.spec.selector ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                       readyEndpoints: cluster.readyEndpointCount(service: ObjectKey(namespace, svc.metadata.name)))
        }
        let svc = serviceName.flatMap { cluster.services.get(namespace, $0) }
        let selector = svc?.spec.selector ?? [:]
        let matching = filter.isEmpty ? cluster.pods.list(namespace: namespace, limit: rowLimit)
            : cluster.pods.list(namespace: namespace).filter { $0.metadata.name.contains(filter) || formatLabels($0.metadata.labels).contains(filter) }
        let podCount = filter.isEmpty ? cluster.pods.count(in: namespace) : matching.count
        let pods = matching.prefix(rowLimit)
        let selectorTerms = selector.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value, term: "\($0.key)=\($0.value)") }
        // Pods of one ReplicaSet share its Deployment: looked up once per ReplicaSet, not per pod.
        var deploymentOf: [String: String?] = [:]
        func deployment(_ pod: Pod) -> String? {
            guard let rs = pod.metadata.controllerRef?.name else { return nil }
            if let known = deploymentOf[rs] { return known }
            let d = cluster.owningDeployment(of: pod)
            deploymentOf[rs] = d
            return d
        }
        let podRows = pods.map { p in
            let terms = selectorTerms.map { (term: $0.term, ok: p.metadata.labels[$0.key] == $0.value) }
            return PodRow(name: p.metadata.name, ready: PodColumns.ready(p), status: PodColumns.status(p), ip: p.status.podIP.isEmpty ? "-" : p.status.podIP,
                          node: p.spec.nodeName.isEmpty ? "-" : p.spec.nodeName, labels: formatLabels(p.metadata.labels),
                          selected: !selector.isEmpty && terms.allSatisfy(\.ok), terms: terms,
                          deployment: deployment(p))
        }

        var endpoints: [EndpointRow] = []
        var leftOut: [LeftOut] = []
        var findings: [Finding] = []
        if let svc {
            var inSlices = Set<String>()
            for slice in cluster.slices(ofService: ObjectKey(namespace, svc.metadata.name)) {
                for e in slice.endpoints {
                    guard let ip = e.addresses.first else { continue }
                    let state: EndpointState = (e.conditions.terminating ?? false) ? .terminating : (e.conditions.countsAsReady ? .ready : .notReady)
                    for p in slice.ports {
                        endpoints.append(EndpointRow(address: "\(ip):\(p.port ?? 0)", port: p.name ?? "", pod: e.targetRef?.name ?? "-", node: e.nodeName ?? "-", state: state))
                    }
                    if let name = e.targetRef?.name { inSlices.insert(name) }
                }
            }
            endpoints.sort { ($0.port, $0.address) < ($1.port, $1.address) }
            // The same model as `why svc/NAME`: every pod left out, with its reason, and the findings.
            let diagnosis = Diagnose.service(svc, cluster: cluster, examiningAtMost: rowLimit)
            for p in diagnosis.pods {
                let name = p.namespace == namespace ? p.name : "\(p.namespace)/\(p.name)"
                switch p.state {
                case .ready: continue
                case let .notReady(r): leftOut.append(LeftOut(pod: name, reason: "selected but not ready: \(r)"))
                case let .noPort(r): leftOut.append(LeftOut(pod: name, reason: "selected, but \(r)"))
                case let .notSelected(terms): leftOut.append(LeftOut(pod: name, reason: terms.joined(separator: "; ")))
                case .otherNamespace: leftOut.append(LeftOut(pod: name, reason: "labels match, but it is in namespace \(p.namespace)"))
                }
            }
            findings = diagnosis.findings.map { Finding(text: "\($0.kind.rawValue): \($0.message)", advice: false) }
                + diagnosis.advice.map { Finding(text: "\($0.kind.rawValue): \($0.message)", advice: true) }
            if diagnosis.pods.isEmpty, let f = diagnosis.findings.first { findings = [Finding(text: f.message, advice: false)] }
            if svc.spec.type == .externalName { findings = [Finding(text: diagnosis.verdict, advice: false)] }
        }
        let now = cluster.now
        let events = cluster.recentEvents(namespace: namespace, limit: 20).map { e in
            "\(e.reason) \(e.involvedObject.kind.lowercased())/\(e.involvedObject.name): \(e.message)"
        }
        var view = LabView(clusterName: cluster.config.clusterName, namespace: namespace, now: now, services: rows, pods: podRows,
                           endpoints: endpoints, leftOut: leftOut, findings: findings, events: Array(events))
        view.endpointsOf = svc?.metadata.name
        view.serviceCount = cluster.services.count(in: namespace)
        view.podCount = podCount
        return view
    }
}
