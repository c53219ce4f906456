import ClusterEngine
import ClusterModel

/// Why a Service selects what it does (DESIGN.md §6): every pod of the cluster classified
/// against the Service, the findings that explain missing or useless endpoints, the objects
/// each is about and its fix as a value (`Fix`; kubectl prints it as a command). `why`, the
/// lab's endpoints pane and request explanations all read this model.
public struct ServiceDiagnosis: Sendable {
    public enum FindingClass: String, Sendable, CaseIterable {
        case noMatch = "selector matches no pods"
        case nearMiss = "near miss"
        case otherNamespace = "pods in another namespace"
        case noSelector = "no selector"
        case namedTargetPortMissing = "named targetPort not declared"
        case targetPortNotListening = "nothing listens on targetPort"
        case protocolMismatch = "protocol mismatch"
        case numericStringTargetPort = "string targetPort that looks like a number"
        case notReady = "selected pods not ready"
        case partialMatch = "only some pods match"
        case singleEndpoint = "single endpoint"
        case localTrafficPolicy = "Local traffic policy"
    }

    public struct Finding: Sendable, Equatable {
        public var kind: FindingClass
        public var message: String
        /// The objects it is about, the Service first.
        public var subjects: [Subject]
        public var fix: Fix?
        init(kind: FindingClass, message: String, subjects: [Subject], fix: Fix?) {
            self.kind = kind; self.message = message; self.subjects = subjects; self.fix = fix
        }
    }

    public enum PodState: Sendable, Equatable {
        case ready
        case notReady(String)
        case noPort(String)
        case notSelected([String])      // the failing terms, in words
        case otherNamespace
    }

    public struct PodRow: Sendable, Equatable {
        public var namespace: String
        public var name: String
        public var ready: Bool
        public var state: PodState
    }

    public var service: Service
    public var pods: [PodRow]
    public var findings: [Finding]
    /// Worth knowing, nothing wrong (a single ready endpoint): `why` prints it as a tip and the
    /// lab as a warning line, but a Service with only advice is healthy.
    public var advice: [Finding] = []
    /// The first line: what is wrong (or that all is well), in one sentence.
    public var verdict: String
    public var healthy: Bool { findings.isEmpty }

    init(service: Service, pods: [PodRow], findings: [Finding], verdict: String, advice: [Finding] = []) {
        self.service = service; self.pods = pods; self.findings = findings; self.verdict = verdict; self.advice = advice
    }
}

public enum Diagnose {
    /// Levenshtein distance (small strings: label keys and values).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count { cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)) }
            prev = cur
        }
        return prev[b.count]
    }

    /// Optimal-string-alignment distance: Levenshtein plus a swap of two neighbours as one edit
    /// (wbe / web), the commonest typo. (kubectl's own suggestions use plain `distance`, as cobra.)
    static func typoDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    /// The well-known spellings of the same idea.
    static let aliases: [Set<String>] = [["app", "app.kubernetes.io/name", "k8s-app", "name"], ["component", "app.kubernetes.io/component", "tier"]]

    /// A label on `labels` that is probably what the selector term meant.
    static func nearMiss(key: String, value: String, labels: [String: String]) -> (key: String, value: String)? {
        if let v = labels[key], v != value, looksLikeTypo(v, value) { return (key, v) }
        for (k, v) in labels where k != key {
            let similarKey = k.lowercased() == key.lowercased() || looksLikeTypo(k, key) || aliases.contains { $0.contains(k) && $0.contains(key) }
            if similarKey && (v == value || looksLikeTypo(v, value)) { return (k, v) }
        }
        return nil
    }

    /// Two spellings of one word (my-app / myapp, Web / web), not two deliberate values: at most
    /// two edits and at most a third of the longer word — `instance=b` is not a typo of `a`,
    /// nor `v2` of `v1`.
    static func looksLikeTypo(_ a: String, _ b: String) -> Bool {
        if a.lowercased() == b.lowercased() { return true }
        let d = typoDistance(a, b)
        return d <= 2 && d * 3 <= max(a.count, b.count)
    }

    /// `examiningAtMost`: in a namespace with more pods than that, every selected pod is examined
    /// but only the first that many others (by name) — the lab diagnoses on every frame, and a
    /// 150,000-pod namespace must not be scanned for near misses each time. `why` examines all.
    public static func service(_ svc: Service, cluster: Cluster, examiningAtMost limit: Int? = nil) -> ServiceDiagnosis {
        let ns = svc.metadata.namespace
        let name = "\(ns)/\(svc.metadata.name)"
        var findings: [ServiceDiagnosis.Finding] = []
        var rows: [ServiceDiagnosis.PodRow] = []
        let service = Subject(Service.kind, ns, svc.metadata.name)
        func pods(_ names: [String], in namespace: String = ns) -> [Subject] { [service] + names.map { Subject(Pod.kind, namespace, $0) } }

        if svc.spec.type == .externalName {
            return ServiceDiagnosis(service: svc, pods: [], findings: [], verdict: "Service \(name) is an ExternalName for \(svc.spec.externalName) (DNS answers a CNAME; no endpoints by design): nothing wrong")
        }
        guard let selector = svc.spec.selector, !selector.isEmpty else {
            let manual = cluster.endpoints.get(ns, svc.metadata.name).map { $0.subsets.flatMap(\.addresses).count } ?? 0
            // Slices someone wrote (not the mirroring controller's copies of the Endpoints).
            let writtenSlices = cluster.slices(ofService: ObjectKey(ns, svc.metadata.name))
                .filter { $0.metadata.labels["endpointslice.kubernetes.io/managed-by"] != "endpointslicemirroring-controller.k8s.io" }
            let sliceReady = writtenSlices.reduce(0) { $0 + $1.endpoints.filter { $0.conditions.ready ?? true }.count }
            // A selectorless Service with hand-written ready addresses is a normal setup (an
            // external database): healthy, nothing to fix.
            if manual > 0 {
                return ServiceDiagnosis(service: svc, pods: [], findings: [],
                                        verdict: "Service \(name) has no selector; \(manual) ready address\(manual == 1 ? "" : "es") from its hand-written Endpoints: nothing wrong")
            }
            if sliceReady > 0 {
                return ServiceDiagnosis(service: svc, pods: [], findings: [],
                                        verdict: "Service \(name) has no selector; \(sliceReady) ready endpoint\(sliceReady == 1 ? "" : "s") from its hand-written EndpointSlice\(writtenSlices.count == 1 ? "" : "s"): nothing wrong")
            }
            findings.append(.init(kind: .noSelector, message: "Service \(name) has no selector: Kubernetes does not manage its endpoints; " + (manual > 0 ? "\(manual) address(es) come from a hand-written Endpoints object." : "no Endpoints object or EndpointSlice lists a ready address, so it has no endpoints."),
                                  subjects: [service], fix: .addSelector(service: svc.metadata.name, key: "app", value: nil)))
            return ServiceDiagnosis(service: svc, pods: [], findings: findings, verdict: findings[0].message)
        }
        let terms = selector.sorted { $0.key < $1.key }
        let selectorText = terms.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let podsInNamespace: [Pod]
        if let limit, cluster.pods.count(in: ns) > limit {
            let selectedPods = cluster.pods(matching: selector, in: ns)
            let selectedNames = Set(selectedPods.map(\.metadata.name))
            podsInNamespace = (selectedPods + cluster.pods.list(namespace: ns, limit: limit).filter { !selectedNames.contains($0.metadata.name) })
                .filter { !$0.isTerminal }
        } else {
            podsInNamespace = cluster.pods.list(namespace: ns).filter { !$0.isTerminal }
        }
        var selected: [Pod] = []
        var nearMisses: [(pod: String, key: String, value: String, wantedKey: String, wantedValue: String)] = []
        for p in podsInNamespace {
            let failing = terms.filter { p.metadata.labels[$0.key] != $0.value }
            if failing.isEmpty { selected.append(p); continue }
            var words: [String] = []
            for t in failing {
                if let miss = nearMiss(key: t.key, value: t.value, labels: p.metadata.labels) {
                    nearMisses.append((p.metadata.name, miss.key, miss.value, t.key, t.value))
                    words.append("has \(miss.key)=\(miss.value), not \(t.key)=\(t.value)")
                } else if let v = p.metadata.labels[t.key] {
                    words.append("has \(t.key)=\(v), not \(t.value)")
                } else {
                    words.append("lacks \(t.key)=\(t.value)")
                }
            }
            rows.append(.init(namespace: ns, name: p.metadata.name, ready: p.status.isReady, state: .notSelected(words)))
        }

        // Ports: what each selected pod offers for each Service port.
        var readyCount = 0
        for p in selected {
            var state: ServiceDiagnosis.PodState = .ready
            for port in svc.spec.ports {
                if let problem = portProblem(port, pod: p) { state = .noPort(problem); break }
            }
            if state == .ready && !p.status.isReady { state = .notReady(notReadyReason(p, cluster: cluster)) }
            if p.isTerminating { state = .notReady("terminating") }
            if state == .ready { readyCount += 1 }
            rows.append(.init(namespace: ns, name: p.metadata.name, ready: p.status.isReady, state: state))
        }
        rows.sort { ($0.state == .ready ? 0 : 1, $0.name) < ($1.state == .ready ? 0 : 1, $1.name) }

        // Matching pods elsewhere: the cross-namespace mistake.
        var elsewhere: [Pod] = []
        for other in cluster.namespaces.list(namespace: nil).map(\.metadata.name) where other != ns {
            for p in cluster.pods(matching: selector, in: other) where !p.isTerminal {
                elsewhere.append(p)
                rows.append(.init(namespace: other, name: p.metadata.name, ready: p.status.isReady, state: .otherNamespace))
            }
        }

        // Findings, most fundamental first.
        if selected.isEmpty {
            // "Did you mean": a pod whose Deployment is named like the Service first.
            let preferred = nearMisses.first { m in
                cluster.pods.get(ns, m.pod).flatMap(cluster.owningDeployment(of:)) == svc.metadata.name
            }
            if let miss = preferred ?? nearMisses.first {
                let others = Set(nearMisses.map { "\($0.key)=\($0.value)" })
                let suggestion = miss.key == miss.wantedKey ? miss.value : "\(miss.key)=\(miss.value)"
                findings.append(.init(kind: .nearMiss,
                                      message: "selector \(selectorText); pods have \(others.sorted().joined(separator: ", ")) — did you mean \(suggestion)?",
                                      subjects: pods(Array(Set(nearMisses.map(\.pod))).sorted()),
                                      fix: .replaceSelectorTerm(service: svc.metadata.name, key: miss.wantedKey, newKey: miss.key, value: miss.value)))
            } else if !elsewhere.isEmpty {
                let namespaces = Set(elsewhere.map(\.metadata.namespace)).sorted()
                findings.append(.init(kind: .otherNamespace,
                                      message: "no pods found matching service labels in namespace \(ns); \(elsewhere.count) matching pod\(elsewhere.count == 1 ? "" : "s") run in namespace \(namespaces.joined(separator: ", ")) — a Service only selects pods in its own namespace",
                                      subjects: [service] + elsewhere.map { Subject(Pod.kind, $0.metadata.namespace, $0.metadata.name) },
                                      fix: .moveService(service: svc.metadata.name, from: ns, to: namespaces[0])))
            } else {
                findings.append(.init(kind: .noMatch,
                                      message: "no pods found matching service labels: selector \(selectorText) matches none of the \(podsInNamespace.count) pods in namespace \(ns)",
                                      subjects: [service], fix: .inspectPodLabels(namespace: ns)))
            }
        } else {
            // Label drift: pods that share all but one term with the selected ones.
            // A pod that carries the key with another value (instance=b beside instance=a) is a
            // different thing on purpose, not drift — unless the value is a misspelling.
            let drifting = podsInNamespace.filter { p in
                let failing = terms.filter { p.metadata.labels[$0.key] != $0.value }
                guard failing.count == 1 && terms.count > 1, let term = failing.first else { return false }
                guard let other = p.metadata.labels[term.key] else { return true }
                return looksLikeTypo(other, term.value)
            }
            if !drifting.isEmpty {
                let missing = Set(drifting.compactMap { p in terms.first { p.metadata.labels[$0.key] != $0.value }.map { "\($0.key)=\($0.value)" } }).sorted()
                // The durable fix is in the owner's template; a label on the pod is lost with the pod.
                let owner = drifting.first.flatMap(cluster.owningDeployment(of:))
                let parts = missing[0].split(separator: "=", maxSplits: 1).map(String.init)
                let fix = owner.map { Fix.addTemplateLabel(deployment: $0, key: parts[0], value: parts.count > 1 ? parts[1] : "") }
                    ?? drifting.first.map { Fix.labelPod(pod: $0.metadata.name, label: missing[0]) }
                findings.append(.init(kind: .partialMatch,
                                      message: "only \(selected.count) of \(selected.count + drifting.count) pods that look alike match: \(drifting.count) lack \(missing.joined(separator: ", ")) (all selector labels must match)",
                                      subjects: pods(drifting.map(\.metadata.name)) + (owner.map { [Subject(Deployment.kind, ns, $0)] } ?? []), fix: fix))
            }
        }

        // Ports, per class.
        for (portIndex, port) in svc.spec.ports.enumerated() {
            let portName = port.name.isEmpty ? "\(port.port)" : port.name
            // A fix that moves this port's targetPort, never onto a number another port of the
            // Service already targets.
            let otherTargets = Set(svc.spec.ports.enumerated().filter { $0.offset != portIndex }.compactMap { e -> Int? in
                if case let .int(n) = e.element.targetPort { return n }
                return nil
            })
            func retarget(_ target: IntOrString) -> Fix { .setTargetPort(service: svc.metadata.name, index: portIndex, to: target) }
            switch port.targetPort {
            case let .string(target) where Int(target) != nil:
                let offering = selected.filter { p in p.spec.containers.contains { $0.ports.contains { $0.name == target } } }
                if offering.isEmpty && !selected.isEmpty {
                    findings.append(.init(kind: .numericStringTargetPort,
                                          message: "port \(portName): targetPort \(goQuote(target)) is a string, so it names a container port — and no container port is named \(goQuote(target)); write it as a number",
                                          subjects: pods(selected.map(\.metadata.name)), fix: retarget(.int(Int(target) ?? 0))))
                }
            case let .string(target):
                let lacking = selected.filter { p in !p.spec.containers.contains { $0.ports.contains { $0.name == target && $0.proto == port.proto } } }
                if !lacking.isEmpty {
                    let declared = lacking.flatMap { $0.spec.containers.flatMap(\.ports) }
                    let offered = Set(declared.map { ($0.name ?? "<unnamed>") + "/\($0.containerPort)/\($0.proto)" }).sorted()
                    let tcpNamed = lacking.contains { p in p.spec.containers.contains { $0.ports.contains { $0.name == target } } }
                    // Prefer the container port whose name is a misspelling of the target; else
                    // a declared number no other Service port uses.
                    let misspelled = declared.first { ($0.name).map { looksLikeTypo($0, target) } ?? false }
                    let free = declared.first { $0.proto == port.proto && !otherTargets.contains($0.containerPort) }
                    let fix = misspelled.flatMap { $0.name }.map { retarget(.string($0)) } ?? free.map { retarget(.int($0.containerPort)) }
                    findings.append(.init(kind: tcpNamed ? .protocolMismatch : .namedTargetPortMissing,
                                          message: tcpNamed ? "port \(portName) is \(port.proto) but the pods' port \(goQuote(target)) is \(port.proto == .tcp ? "UDP" : "TCP")"
                                              : "port \(portName): targetPort \(goQuote(target)) is not declared by \(lacking.count) selected pod\(lacking.count == 1 ? "" : "s") (they declare \(offered.isEmpty ? "no ports" : offered.joined(separator: ", ")))",
                                          subjects: pods(lacking.map(\.metadata.name)), fix: fix))
                } else {
                    // Declared everywhere: what it names must be listened on, as for a number.
                    checkListening(port, portName: portName, fix: retarget, otherTargets: otherTargets) { p in
                        p.spec.containers.flatMap(\.ports).first { $0.name == target && $0.proto == port.proto }?.containerPort
                    }
                }
            case let .int(target):
                guard !selected.isEmpty else { break }
                let protoMismatch = selected.filter { p in p.spec.containers.contains { c in c.ports.contains { $0.containerPort == target && $0.proto != port.proto } } && !p.spec.containers.contains { c in c.ports.contains { $0.containerPort == target && $0.proto == port.proto } } }
                if !protoMismatch.isEmpty {
                    findings.append(.init(kind: .protocolMismatch,
                                          message: "port \(portName) is \(port.proto), but the pods declare \(target) as \(port.proto == .tcp ? "UDP" : "TCP")",
                                          subjects: pods(protoMismatch.map(\.metadata.name)),
                                          fix: .setPortProtocol(service: svc.metadata.name, index: portIndex, to: port.proto == .tcp ? .udp : .tcp)))
                    continue
                }
                checkListening(port, portName: portName, fix: retarget, otherTargets: otherTargets) { _ in target }
            }
        }

        /// Selected pods whose app does not listen on the port the Service sends to (`target`
        /// gives each pod's number: a named targetPort resolves per pod).
        func checkListening(_ port: ServicePort, portName: String, fix retarget: (IntOrString) -> Fix, otherTargets: Set<Int>, target: (Pod) -> Int?) {
            let deaf = selected.filter { p in
                guard let n = target(p) else { return false }
                return !p.spec.containers.contains { AppProfile(container: $0).listens(on: n) }
            }
            for p in deaf {
                let listening = p.spec.containers.flatMap { AppProfile(container: $0).ports }.sorted()
                if let i = rows.firstIndex(where: { $0.name == p.metadata.name && $0.namespace == ns }), rows[i].state == .ready {
                    rows[i].state = .noPort("nothing listens on \(target(p) ?? 0)" + (listening.isEmpty ? "" : " (listens on \(listening.map(String.init).joined(separator: ", ")))"))
                }
            }
            guard let first = deaf.first, let number = target(first) else { return }
            let listening = Set(deaf.flatMap { p in p.spec.containers.flatMap { AppProfile(container: $0).ports } }).sorted()
            let declared = deaf.contains { p in p.spec.containers.contains { $0.ports.contains { $0.containerPort == number } } }
            var named = "targetPort \(number)"
            if case let .string(name) = port.targetPort { named = "targetPort \(goQuote(name)) (\(number))" }
            let what: String
            if listening.isEmpty {
                let image = first.spec.containers.first?.image ?? ""
                what = " (\(image) runs no server: it listens on no port)"
            } else if declared {
                what = " (the port is declared, but the app listens on \(listening.map(String.init).joined(separator: ", ")))"
            } else {
                what = " (they listen on \(listening.map(String.init).joined(separator: ", ")))"
            }
            let free = listening.first { !otherTargets.contains($0) }
            findings.append(.init(kind: .targetPortNotListening,
                                  message: "port \(portName): nothing listens on \(named) in \(deaf.count) selected pod\(deaf.count == 1 ? "" : "s")" + what + ": connections are refused",
                                  subjects: pods(deaf.map(\.metadata.name)),
                                  fix: free.map { retarget(.int($0)) } ?? (listening.isEmpty ? .replaceImage(pod: first.metadata.name, container: first.spec.containers.first?.name ?? "", servingOn: number) : nil)))
        }

        let notReady = rows.filter { if case .notReady = $0.state { return $0.namespace == ns }; return false }
        if !notReady.isEmpty {
            let reasons = Set(notReady.compactMap { row -> String? in if case let .notReady(r) = row.state { return r }; return nil }).sorted()
            findings.append(.init(kind: .notReady,
                                  message: "\(notReady.count) selected pod\(notReady.count == 1 ? " is" : "s are") not ready (\(reasons.joined(separator: "; "))): not-ready pods get no traffic",
                                  subjects: pods(notReady.map(\.name)),
                                  fix: notReady.first.map { row in
                                      // A readiness gate is set by whoever owns it (a load balancer controller), through the status subresource.
                                      if case let .notReady(reason) = row.state, reason.hasPrefix("readiness gate: "),
                                         let pod = cluster.pods.get(ns, row.name), let gate = pod.spec.readinessGateTypes.first(where: { pod.status.condition($0)?.status != .true }) {
                                          return .satisfyReadinessGate(pod: row.name, gate: gate)
                                      }
                                      return .describePod(pod: row.name)
                                  }))
        }
        // One replica is a normal setup (a database, a dev cluster), not a fault: advice only.
        var advice: [ServiceDiagnosis.Finding] = []
        if readyCount == 1 && findings.isEmpty {
            advice.append(.init(kind: .singleEndpoint, message: "only one ready endpoint: no redundancy; a restart of that pod interrupts the Service",
                                subjects: pods(selected.map(\.metadata.name)),
                                fix: selected.first.flatMap(cluster.owningDeployment(of:)).map { .scale(deployment: $0, replicas: 2) }))
        }
        // A Local traffic policy is a choice, not a fault: say which nodes' rules drop traffic.
        if readyCount > 0 && findings.isEmpty {
            let nodes = cluster.nodes.list().map(\.metadata.name)
            let without = nodes.filter { cluster.localReadyEndpointCount(svc, node: $0) == 0 }
            let with = nodes.filter { !without.contains($0) }
            if !without.isEmpty {
                let externallyReachable = svc.spec.type.hasNodePorts
                if externallyReachable && svc.spec.externalTrafficPolicy == "Local" {
                    advice.append(.init(kind: .localTrafficPolicy,
                                        message: "externalTrafficPolicy: Local keeps the client's source IP but only \(with.joined(separator: ", ")) answer\(with.count == 1 ? "s" : "") from outside; kube-proxy on \(without.joined(separator: ", ")) drops external traffic (no local endpoint)",
                                        subjects: [service] + without.map { Subject(Node.kind, "", $0) }, fix: nil))
                }
                if svc.spec.internalTrafficPolicy == "Local" {
                    advice.append(.init(kind: .localTrafficPolicy,
                                        message: "internalTrafficPolicy: Local: pods on \(without.joined(separator: ", ")) get no answer from the cluster IP (their node runs no ready endpoint)",
                                        subjects: [service] + without.map { Subject(Node.kind, "", $0) }, fix: nil))
                }
            }
        }

        let candidates = podsInNamespace.count
        var verdict = "Service \(name) selects \(selected.count) of \(candidates) candidate pod\(candidates == 1 ? "" : "s")"
        if let first = findings.first {
            verdict += ": " + first.message
        } else {
            verdict += " (selector \(selectorText)); \(readyCount) ready endpoint\(readyCount == 1 ? "" : "s")"
                + (advice.contains { $0.kind == .singleEndpoint } ? " (no redundancy: a restart of that pod interrupts the Service)" : "") + ": nothing wrong"
        }
        return ServiceDiagnosis(service: svc, pods: rows, findings: findings, verdict: verdict, advice: advice)
    }

    /// A Service port's targetPort against one pod: nil when the pod offers it.
    static func portProblem(_ port: ServicePort, pod: Pod) -> String? {
        guard case let .string(name) = port.targetPort else { return nil }
        if pod.spec.containers.contains(where: { $0.ports.contains { $0.name == name && $0.proto == port.proto } }) { return nil }
        return "no container port named \(goQuote(name))"
    }

    static func notReadyReason(_ pod: Pod, cluster: Cluster) -> String {
        if pod.isTerminating { return "terminating" }
        if pod.spec.nodeName.isEmpty { return "not scheduled yet" }
        if let node = cluster.nodes.get("", pod.spec.nodeName), !node.ready { return "node \(node.metadata.name) is not ready" }
        if !pod.status.containerStatuses.contains(where: { if case .running = $0.state { return true }; return false }) { return "still starting" }
        // Containers ready, a readiness gate not: the kubelet's own message says which.
        if let ready = pod.status.condition("Ready"), ready.reason == "ReadinessGatesNotReady", let message = ready.message {
            return "readiness gate: " + message
        }
        let ref = cluster.reference(Pod.kind, pod.metadata)
        if let unhealthy = cluster.events(for: ref).last(where: { $0.reason == "Unhealthy" }) {
            return unhealthy.message
        }
        return "readiness probe has not passed yet"
    }
}
