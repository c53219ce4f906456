import ArgumentParser
import ClusterEngine
import ClusterModel
import Foundation

/// describe.go's PrefixWriter over a Go tabwriter (minwidth 0, padding 2). `flush()` ends the
/// current alignment blocks, as DescribeEvents does before a non-empty events table.
struct DescribeWriter {
    private var pending = ""
    private(set) var text = ""
    /// Raw: tabs stay tabs (`rollout history --revision` prints its template without a tabwriter).
    var raw = false

    mutating func write(_ level: Int, _ s: String) { pending += String(repeating: "  ", count: level) + s }
    mutating func line(_ level: Int, _ s: String) { write(level, s + "\n") }
    mutating func flush() {
        if raw { text += pending; pending = ""; return }
        var tw = TabWriter(minWidth: 0, padding: 2)
        text += tw.format(pending)
        pending = ""
    }
    mutating func finish() -> String { flush(); return text }
}

/// `kubectl describe`: the layouts of kubectl 1.33's describe.go (reference §6.8, kubectl-output §3).
struct DescribeCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Show details of a specific resource or group of resources.")
    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false
    @Option(name: .customLong("show-events")) var showEvents: Bool = true
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        guard !args.isEmpty else {
            out.fail("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.")
            return out
        }
        // `describe TYPE` alone means every object of that type (kubectl's builder with --all).
        let targets: TargetSet
        switch TargetSet.resolve(args, selector: selector, all: true, ctx: ctx, allNamespaces: allNamespaces) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(t): targets = t
        }
        for w in targets.warnings { out.err(w) }
        let d = Describer(cluster: ctx.cluster)
        // `describe TYPE PREFIX`: a name that is not found describes every object whose name
        // starts with it, each followed by a blank line (describe.go DescribeMatchingResources);
        // none found leaves the NotFound error.
        if args.count == 2, !args[1].contains("/"), targets.items.count == 1, let (t, ns, prefix) = targets.items.first,
           d.describe(t, namespace: ns, name: prefix) == nil {
            let matching = d.names(t, namespace: ns, selector: .everything).filter { $0.1.hasPrefix(prefix) }
            if !matching.isEmpty {
                for (namespace, name) in matching {
                    guard let text = d.describe(t, namespace: namespace, name: name) else { continue }
                    out.outRaw(text + "\n")
                }
                return out
            }
        }
        var blocks: [String] = []
        var errors: [String] = []
        for (t, ns, name) in targets.items {
            if let text = d.describe(t, namespace: ns, name: name) { blocks.append(text) }
            else { errors.append(t.notFound(name)) }
        }
        if targets.items.isEmpty {
            let scoped = !allNamespaces && ResourceType.resolve(args[0].split(separator: "/").first.map(String.init) ?? "")?.namespaced == true
            errors.append(scoped ? "No resources found in \(ctx.namespace) namespace." : "No resources found")
        }
        // kubectl separates several descriptions with a blank line.
        out.outRaw(blocks.joined(separator: "\n\n"))
        if !blocks.isEmpty && !(blocks.last!.hasSuffix("\n")) { out.outRaw("\n") }
        for e in errors { out.err(e) }
        if errors.contains(where: { $0.hasPrefix("Error") }) { out.exitCode = 1 }
        return out
    }
}

struct Describer {
    let cluster: Cluster

    func names(_ t: ResourceType, namespace: String?, selector: LabelSelectorExpression) -> [(String, String)] {
        func pick<T: KubeResource>(_ s: TypedStore<T>) -> [(String, String)] {
            s.list(namespace: namespace).filter { selector.matches($0.metadata.labels) }.map { ($0.metadata.namespace, $0.metadata.name) }
        }
        switch t.kind {
        case "Service": return pick(cluster.services)
        case "Pod":
            // The label index, not a copy of every pod (the path `kubectl label pods -l` takes).
            if let keys = cluster.podKeys(matching: selector, namespace: namespace) { return keys.map { ($0.namespace, $0.name) } }
            return pick(cluster.pods)
        case "Deployment": return pick(cluster.deployments)
        case "ReplicaSet": return pick(cluster.replicaSets)
        case "Endpoints": return pick(cluster.endpoints)
        case "EndpointSlice": return pick(cluster.endpointSlices)
        case "Node": return pick(cluster.nodes)
        case "Namespace": return pick(cluster.namespaces)
        default:
            return cluster.storedObjects(kind: t.kind, namespace: namespace).filter { selector.matches($0.metadata.labels) }
                .map { ($0.metadata.namespace, $0.metadata.name) }
        }
    }

    func describe(_ t: ResourceType, namespace: String, name: String) -> String? {
        switch t.kind {
        case "Service": return cluster.services.get(namespace, name).map(service)
        case "Endpoints": return cluster.endpoints.get(namespace, name).map(endpoints)
        case "EndpointSlice": return cluster.endpointSlices.get(namespace, name).map(endpointSlice)
        case "Pod": return cluster.pods.get(namespace, name).map(pod)
        case "Deployment": return cluster.deployments.get(namespace, name).map(deployment)
        case "ReplicaSet": return cluster.replicaSets.get(namespace, name).map(replicaSet)
        case "Node": return cluster.nodes.get("", name).map(node)
        case "Namespace": return cluster.namespaces.get("", name).map(namespaceText)
        case DaemonSetKind.kind: return cluster.stored[t.kind]?.get(namespace, name).map(daemonSet)
        default: return cluster.stored[t.kind]?.get(namespace, name).map(storedText)
        }
    }

    /// describe.go describeDaemonSet (v1.33).
    func daemonSet(_ ds: StoredObject) -> String {
        var w = DescribeWriter()
        let template = DaemonSetKind.template(ds)
        let status = ds["status"]
        func count(_ key: String) -> Int64 { status?[key]?.intValue ?? 0 }
        w.line(0, "Name:\t\(ds.metadata.name)")
        w.line(0, "Namespace:\t\(ds.metadata.namespace)")
        w.line(0, "Selector:\t\((DaemonSetKind.selector(ds) ?? LabelSelector()).formatted)")
        w.line(0, "Node-Selector:\t\(formatLabels(template.spec.nodeSelector))")
        labels(&w, "Labels", ds.metadata.labels)
        annotations(&w, ds.metadata.annotations)
        w.line(0, "Desired Number of Nodes Scheduled: \(count("desiredNumberScheduled"))")
        w.line(0, "Current Number of Nodes Scheduled: \(count("currentNumberScheduled"))")
        w.line(0, "Number of Nodes Scheduled with Up-to-date Pods: \(count("updatedNumberScheduled"))")
        w.line(0, "Number of Nodes Scheduled with Available Pods: \(count("numberAvailable"))")
        w.line(0, "Number of Nodes Misscheduled: \(count("numberMisscheduled"))")
        podsStatus(&w, cluster.pods(ownedBy: ds.metadata.uid))
        podTemplate(&w, template)
        events(&w, for: cluster.reference(DaemonSetKind.kind, ds.metadata, apiVersion: "apps/v1"))
        return w.finish()
    }

    /// getPodStatusForController's line: Pending counts as Waiting.
    func podsStatus(_ w: inout DescribeWriter, _ pods: [Pod]) {
        let counts = [PodPhase.running, .pending, .succeeded, .failed].map { phase in pods.filter { $0.status.phase == phase }.count }
        w.line(0, "Pods Status:\t\(counts[0]) Running / \(counts[1]) Waiting / \(counts[2]) Succeeded / \(counts[3]) Failed")
    }

    /// A stored kind (ConfigMap): the common head, the kind's own lines, its events.
    func storedText(_ o: StoredObject) -> String {
        var w = DescribeWriter()
        w.line(0, "Name:\t\(o.metadata.name)")
        if o.description.namespaced { w.line(0, "Namespace:\t\(o.metadata.namespace)") }
        labels(&w, "Labels", o.metadata.labels)
        annotations(&w, o.metadata.annotations)
        for line in o.description.stored?.describe(o) ?? [] { w.line(0, line) }
        if o.description.stored?.hasEvents == false { return w.finish() }
        events(&w, for: ObjectReference(kind: o.objectKind, namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid))
        return w.finish()
    }

    // MARK: Shared pieces

    static func rfc1123(_ ms: Millis) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: Date(timeIntervalSince1970: Double(ms / 1000)))
    }

    func labels(_ w: inout DescribeWriter, _ title: String, _ labels: [String: String], indent: String = "") {
        w.write(0, "\(indent)\(title):\t")
        if labels.isEmpty { w.write(0, "<none>\n"); return }
        for (i, k) in labels.keys.sorted().enumerated() {
            if i > 0 { w.write(0, "\(indent)\t") }
            w.write(0, "\(k)=\(labels[k]!)\n")
        }
    }

    func annotations(_ w: inout DescribeWriter, _ annotations: [String: String], indent: String = "") {
        let shown = annotations.filter { $0.key != "kubectl.kubernetes.io/last-applied-configuration" }
        w.write(0, "\(indent)Annotations:\t")
        if shown.isEmpty { w.write(0, "<none>\n"); return }
        for (i, k) in shown.keys.sorted().enumerated() {
            if i > 0 { w.write(0, "\(indent)\t") }
            let v = shown[k]!
            if k.count + v.count + 2 > 140 || v.contains("\n") {
                w.write(0, "\(k):\n")
                for l in v.split(separator: "\n", omittingEmptySubsequences: false) {
                    w.write(0, "\(indent)\t  " + (l.count > 140 ? String(l.prefix(138)) + "..." : String(l)) + "\n")
                }
            } else {
                w.write(0, "\(k): \(v)\n")
            }
        }
    }

    /// DescribeEvents: `Events:  <none>` joins the current block; a table is aligned on its own.
    func events(_ w: inout DescribeWriter, for ref: ObjectReference) {
        let list = cluster.events(for: ref)
        if list.isEmpty { w.line(0, "Events:\t<none>"); return }
        w.flush()
        w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
        w.line(1, "----\t------\t----\t----\t-------")
        for e in list {
            let first = humanDuration(millis: cluster.now - e.firstTimestamp)
            let interval = e.count > 1 ? "\(humanDuration(millis: cluster.now - e.lastTimestamp)) (x\(e.count) over \(first))" : first
            w.line(1, "\(e.type)\t\(e.reason)\t\(interval)\t\(e.source.component)\t\(e.message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    // MARK: Service

    /// formatEndpointSlices: ready endpoints (ready nil counts) of slice ports named `portName`.
    static func formatEndpointSlices(_ slices: [EndpointSlice], portName: String) -> String {
        if slices.isEmpty { return "<none>" }
        var list: [String] = []
        var count = 0
        for s in slices {
            if s.ports.isEmpty {
                for e in s.endpoints where e.conditions.countsAsReady {
                    if list.count < 3 { list.append(e.addresses[0]) }
                    count += 1
                }
            } else {
                for p in s.ports where (p.name ?? "") == portName {
                    for e in s.endpoints where e.conditions.countsAsReady {
                        if list.count < 3 { list.append("\(e.addresses[0]):\(p.port ?? 0)") }
                        count += 1
                    }
                }
            }
        }
        let joined = list.joined(separator: ",")
        return count > 3 ? "\(joined) + \(count - 3) more..." : joined
    }

    func service(_ svc: Service) -> String {
        var w = DescribeWriter()
        let s = svc.spec
        w.line(0, "Name:\t\(svc.metadata.name)")
        w.line(0, "Namespace:\t\(svc.metadata.namespace)")
        labels(&w, "Labels", svc.metadata.labels)
        annotations(&w, svc.metadata.annotations)
        w.line(0, "Selector:\t\(formatLabels(s.selector))")
        w.line(0, "Type:\t\(s.type)")
        if let p = s.ipFamilyPolicy { w.line(0, "IP Family Policy:\t\(p)") }
        w.line(0, "IP Families:\t\(s.ipFamilies.isEmpty ? "<none>" : s.ipFamilies.joined(separator: ","))")
        w.line(0, "IP:\t\(s.clusterIP)")
        w.line(0, "IPs:\t\(s.clusterIPs.isEmpty ? "<none>" : s.clusterIPs.joined(separator: ","))")
        if !s.externalIPs.isEmpty { w.line(0, "External IPs:\t\(s.externalIPs.joined(separator: ","))") }
        if !s.loadBalancerIP.isEmpty { w.line(0, "Desired LoadBalancer IP:\t\(s.loadBalancerIP)") }
        if !s.externalName.isEmpty { w.line(0, "External Name:\t\(s.externalName)") }
        if !svc.loadBalancerIngress.isEmpty {
            w.line(0, "LoadBalancer Ingress:\t\(svc.loadBalancerIngress.map { ($0.ip ?? $0.hostname ?? "") + ($0.ipMode.map { " (\($0))" } ?? "") }.joined(separator: ", "))")
        }
        let slices = cluster.slices(ofService: ObjectKey(svc.metadata.namespace, svc.metadata.name))
        for p in s.ports {
            let name = p.name.isEmpty ? "<unset>" : p.name
            w.line(0, "Port:\t\(name)\t\(p.port)/\(p.proto)")
            w.line(0, "TargetPort:\t\(p.targetPort)/\(p.proto)")
            if let ap = p.appProtocol { w.line(0, "AppProtocol:\t\(ap)") }
            if p.nodePort != 0 { w.line(0, "NodePort:\t\(name)\t\(p.nodePort)/\(p.proto)") }
            w.line(0, "Endpoints:\t\(Self.formatEndpointSlices(slices, portName: p.name))")
        }
        w.line(0, "Session Affinity:\t\(s.sessionAffinity)")
        if let e = s.externalTrafficPolicy { w.line(0, "External Traffic Policy:\t\(e)") }
        if let i = s.internalTrafficPolicy { w.line(0, "Internal Traffic Policy:\t\(i)") }
        if s.healthCheckNodePort != 0 { w.line(0, "HealthCheck NodePort:\t\(s.healthCheckNodePort)") }
        if !s.loadBalancerSourceRanges.isEmpty { w.line(0, "LoadBalancer Source Ranges:\t\(s.loadBalancerSourceRanges.joined(separator: ","))") }
        if let td = s.trafficDistribution { w.line(0, "Traffic Distribution:\t\(td)") }
        events(&w, for: cluster.reference("Service", svc.metadata))
        return w.finish()
    }

    // MARK: Endpoints and slices

    func endpoints(_ ep: Endpoints) -> String {
        var w = DescribeWriter()
        w.line(0, "Name:\t\(ep.metadata.name)")
        w.line(0, "Namespace:\t\(ep.metadata.namespace)")
        labels(&w, "Labels", ep.metadata.labels)
        annotations(&w, ep.metadata.annotations)
        w.line(0, "Subsets:")
        for s in ep.subsets {
            let ready = s.addresses.map(\.ip).joined(separator: ",")
            let notReady = s.notReadyAddresses.map(\.ip).joined(separator: ",")
            w.line(1, "Addresses:\t\(ready.isEmpty ? "<none>" : ready)")
            w.line(1, "NotReadyAddresses:\t\(notReady.isEmpty ? "<none>" : notReady)")
            if !s.ports.isEmpty {
                w.line(1, "Ports:")
                w.line(2, "Name\tPort\tProtocol")
                w.line(2, "----\t----\t--------")
                for p in s.ports { w.line(2, "\(p.name.isEmpty ? "<unset>" : p.name)\t\(p.port)\t\(p.proto)") }
            }
            w.line(0, "")
        }
        events(&w, for: cluster.reference("Endpoints", ep.metadata))
        return w.finish()
    }

    func endpointSlice(_ s: EndpointSlice) -> String {
        var w = DescribeWriter()
        w.line(0, "Name:\t\(s.metadata.name)")
        w.line(0, "Namespace:\t\(s.metadata.namespace)")
        labels(&w, "Labels", s.metadata.labels)
        annotations(&w, s.metadata.annotations)
        w.line(0, "AddressType:\t\(s.addressType)")
        if s.ports.isEmpty {
            w.line(0, "Ports: <unset>")
        } else {
            w.line(0, "Ports:")
            w.line(1, "Name\tPort\tProtocol")
            w.line(1, "----\t----\t--------")
            for p in s.ports {
                let name = (p.name ?? "").isEmpty ? "<unset>" : p.name!
                w.line(1, "\(name)\t\(p.port.map(String.init) ?? "<unset>")\t\(p.proto ?? .tcp)")
            }
        }
        if s.endpoints.isEmpty {
            w.line(0, "Endpoints: <none>")
        } else {
            w.line(0, "Endpoints:")
            for e in s.endpoints {
                w.line(1, "- Addresses:\t\(e.addresses.isEmpty ? "<none>" : e.addresses.joined(separator: ","))")
                w.line(2, "Conditions:")
                w.line(3, "Ready:\t\(e.conditions.ready.map { $0 ? "true" : "false" } ?? "<unset>")")
                w.line(2, "Hostname:\t\(e.hostname ?? "<unset>")")
                if let t = e.targetRef { w.line(2, "TargetRef:\t\(t.kind)/\(t.name)") }
                w.line(2, "NodeName:\t\(e.nodeName ?? "<unset>")")
                w.line(2, "Zone:\t\(e.zone ?? "<unset>")")
            }
        }
        events(&w, for: cluster.reference("EndpointSlice", s.metadata))
        return w.finish()
    }

    // MARK: Pods

    static func probeText(_ p: Probe) -> String {
        let handler: String
        switch p.handler {
        case let .httpGet(path, port, scheme, host): handler = "http-get \(scheme.lowercased())://\(host):\(port)\(path)"
        case let .tcpSocket(port): handler = "tcp-socket :\(port)"
        case let .exec(command): handler = "exec [\(command.joined(separator: " "))]"
        case let .grpc(port): handler = "grpc <pod>:\(port) "
        case .none: handler = "unknown"
        }
        return "\(handler) delay=\(p.initialDelaySeconds)s timeout=\(p.timeoutSeconds)s period=\(p.periodSeconds)s #success=\(p.successThreshold) #failure=\(p.failureThreshold)"
    }

    /// describeContainers: name at level 1 (plus one space in a pod template), fields at level 2;
    /// `template` drops the runtime lines (Container ID, State, Ready, …).
    /// describeContainerEnvVars: a value (one line per line), or where it comes from.
    func envLine(_ w: inout DescribeWriter, _ e: EnvVar, pod: Pod?) {
        guard let from = e.valueFrom else {
            for (i, line) in (e.value ?? "").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                w.write(3, i == 0 ? "\(e.name):\t\(line)\n" : "\t\(line)\n")
            }
            return
        }
        func optional(_ ref: Value) -> String { ref["optional"] == .bool(true) ? "true" : "false" }
        if let f = from["fieldRef"] {
            let path = f["fieldPath"]?.stringValue ?? ""
            // EnvValueRetriever converts the path with kubectl's own scheme, which knows only the
            // default field labels: other paths show no value.
            let shown = ["metadata.name", "metadata.namespace"].contains(path) ? pod?.downwardValue(path) ?? "" : ""
            w.write(3, "\(e.name):\t\(shown) (\(f["apiVersion"]?.stringValue ?? "v1"):\(path))\n")
        } else if let r = from["resourceFieldRef"] {
            w.write(3, "\(e.name):\t (\(r["resource"]?.stringValue ?? ""))\n")
        } else if let s = from["secretKeyRef"] {
            w.write(3, "\(e.name):\t<set to the key '\(s["key"]?.stringValue ?? "")' in secret '\(s["name"]?.stringValue ?? "")'>\tOptional: \(optional(s))\n")
        } else if let m = from["configMapKeyRef"] {
            w.write(3, "\(e.name):\t<set to the key '\(m["key"]?.stringValue ?? "")' of config map '\(m["name"]?.stringValue ?? "")'>\tOptional: \(optional(m))\n")
        }
    }

    func containers(_ w: inout DescribeWriter, _ list: [Container], statuses: [ContainerStatus], template: Bool, space: String, podUID: String = "", pod: Pod? = nil) {
        for c in list {
            w.write(1, "\(space)\(c.name):\n")
            let status = statuses.first { $0.name == c.name }
            // The IDs the status reports (ContainerIdentity): empty while the container is created.
            let ids = status.map { ContainerIdentity.ids($0, podUID: podUID) }
            if !template, let ids { w.write(2, "Container ID:\t\(ids.containerID ?? "")\n") }
            w.write(2, "Image:\t\(c.image)\n")
            if !template, let ids { w.write(2, "Image ID:\t\(ids.imageID)\n") }
            if c.ports.isEmpty {
                w.write(2, "Port:\t<none>\n")
                w.write(2, "Host Port:\t<none>\n")
            } else if c.ports.count == 1 {
                w.write(2, "Port:\t\(c.ports[0].containerPort)/\(c.ports[0].proto)\n")
                w.write(2, "Host Port:\t\(c.ports[0].hostPort ?? 0)/\(c.ports[0].proto)\n")
            } else {
                w.write(2, "Ports:\t\(c.ports.map { "\($0.containerPort)/\($0.proto)" }.joined(separator: ", "))\n")
                w.write(2, "Host Ports:\t\(c.ports.map { "\($0.hostPort ?? 0)/\($0.proto)" }.joined(separator: ", "))\n")
            }
            if let cmd = c.command, !cmd.isEmpty {
                w.write(2, "Command:\n")
                for part in cmd { w.write(3, "\(part)\n") }
            }
            if let args = c.args, !args.isEmpty {
                w.write(2, "Args:\n")
                for part in args { w.write(3, "\(part)\n") }
            }
            if !template, let st = status {
                // describePodContainerState: "State:" then, after a restart, "Last State:".
                func state(_ title: String, _ s: ContainerStatus.State) {
                    switch s {
                    case let .running(started):
                        w.write(2, "\(title):\tRunning\n")
                        w.write(3, "Started:\t\(Self.rfc1123(started))\n")
                    case let .waiting(reason):
                        w.write(2, "\(title):\tWaiting\n")
                        w.write(3, "Reason:\t\(reason)\n")
                    case let .terminated(reason, code, started, finished):
                        w.write(2, "\(title):\tTerminated\n")
                        w.write(3, "Reason:\t\(reason)\n")
                        w.write(3, "Exit Code:\t\(code)\n")
                        if let started { w.write(3, "Started:\t\(Self.rfc1123(started))\n") }
                        w.write(3, "Finished:\t\(Self.rfc1123(finished))\n")
                    }
                }
                state("State", st.state)
                if let last = st.lastState { state("Last State", last) }
                w.write(2, "Ready:\t\(st.ready ? "True" : "False")\n")
                w.write(2, "Restart Count:\t\(st.restartCount)\n")
            }
            // describeContainerResources: limits, then requests, by resource name.
            for (title, key) in [("Limits", "limits"), ("Requests", "requests")] {
                guard let list = c.extra["resources"]?[key]?.objectValue, !list.isEmpty else { continue }
                w.write(2, "\(title):\n")
                for (name, quantity) in list.sorted(by: { $0.0 < $1.0 }) { w.write(3, "\(name):\t\(quantity.stringValue ?? quantity.jsonString())\n") }
            }
            if let p = c.livenessProbe { w.write(2, "Liveness:\t\(Self.probeText(p))\n") }
            if let p = c.readinessProbe { w.write(2, "Readiness:\t\(Self.probeText(p))\n") }
            if let p = c.startupProbe { w.write(2, "Startup:\t\(Self.probeText(p))\n") }
            if c.env.isEmpty {
                w.write(2, "Environment:\t<none>\n")
            } else {
                w.write(2, "Environment:\n")
                for e in c.env { envLine(&w, e, pod: pod) }
            }
            // describe's printVolumeMounts: "PATH from VOLUME (ro|rw[,path=SUBPATH])", sorted by path.
            let mounts = (c.extra["volumeMounts"]?.arrayValue ?? []).sorted { ($0["mountPath"]?.stringValue ?? "") < ($1["mountPath"]?.stringValue ?? "") }
            if mounts.isEmpty {
                w.write(2, "Mounts:\t<none>\n")
            } else {
                w.write(2, "Mounts:\n")
                for m in mounts {
                    var flags = m["readOnly"] == .bool(true) ? "ro" : "rw"
                    if let sub = m["subPath"]?.stringValue, !sub.isEmpty { flags += ",path=\(goQuote(sub))" }
                    w.write(3, "\(m["mountPath"]?.stringValue ?? "") from \(m["name"]?.stringValue ?? "") (\(flags))\n")
                }
            }
        }
    }


    /// describeVolumes: each volume by its source type, as kubectl 1.33 prints the common ones.
    /// `space`: the pod template's indent ("  " in describe deployment/replicaset), which also
    /// shifts each volume's name by one column, as describeVolumes' nameIndent does.
    func volumes(_ w: inout DescribeWriter, _ list: [Value], space: String = "") {
        if list.isEmpty { w.line(0, "\(space)Volumes:\t<none>"); return }
        w.line(0, "\(space)Volumes:")
        for v in list {
            w.line(1, "\(space.isEmpty ? "" : " ")\(v["name"]?.stringValue ?? ""):")
            if let projected = v["projected"] {
                w.line(2, "Type:\tProjected (a volume that contains injected data from multiple sources)")
                for source in projected["sources"]?.arrayValue ?? [] {
                    if let t = source["serviceAccountToken"] { w.line(2, "TokenExpirationSeconds:\t\(t["expirationSeconds"]?.number.map { Int($0) } ?? 3607)") }
                    else if let c = source["configMap"] {
                        w.line(2, "ConfigMapName:\t\(c["name"]?.stringValue ?? "")")
                        w.line(2, "Optional:\t\(c["optional"]?.boolValue ?? false)")
                    } else if let s = source["secret"] {
                        w.line(2, "SecretName:\t\(s["name"]?.stringValue ?? "")")
                        w.line(2, "Optional:\t\(s["optional"]?.boolValue ?? false)")
                    } else if source["downwardAPI"] != nil { w.line(2, "DownwardAPI:\ttrue") }
                }
            } else if let c = v["configMap"] {
                w.line(2, "Type:\tConfigMap (a volume populated by a ConfigMap)")
                w.line(2, "Name:\t\(c["name"]?.stringValue ?? "")")
                w.line(2, "Optional:\t\(c["optional"]?.boolValue ?? false)")
            } else if let s = v["secret"] {
                w.line(2, "Type:\tSecret (a volume populated by a Secret)")
                w.line(2, "SecretName:\t\(s["secretName"]?.stringValue ?? "")")
                w.line(2, "Optional:\t\(s["optional"]?.boolValue ?? false)")
            } else if let e = v["emptyDir"] {
                w.line(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)")
                w.line(2, "Medium:\t\(e["medium"]?.stringValue ?? "")")
                w.line(2, "SizeLimit:\t\(e["sizeLimit"]?.stringValue ?? "<unset>")")
            } else if let h = v["hostPath"] {
                w.line(2, "Type:\tHostPath (bare host directory volume)")
                w.line(2, "Path:\t\(h["path"]?.stringValue ?? "")")
                w.line(2, "HostPathType:\t\(h["type"]?.stringValue ?? "")")
            } else {
                w.line(2, "<unknown>")
            }
        }
    }

    func pod(_ p: Pod) -> String {
        var w = DescribeWriter()
        w.line(0, "Name:\t\(p.metadata.name)")
        w.line(0, "Namespace:\t\(p.metadata.namespace)")
        w.line(0, "Priority:\t\(ObjectEncoder.priority(p.spec))")
        if let name = p.spec.extra["priorityClassName"]?.stringValue, !name.isEmpty { w.line(0, "Priority Class Name:\t\(name)") }
        w.line(0, "Service Account:\t\(p.spec.serviceAccountName)")
        w.line(0, "Node:\t\(p.spec.nodeName.isEmpty ? "<none>" : "\(p.spec.nodeName)/\(p.status.hostIP)")")
        if let t = p.status.startTime { w.line(0, "Start Time:\t\(Self.rfc1123(t))") }
        labels(&w, "Labels", p.metadata.labels)
        annotations(&w, p.metadata.annotations)
        if let del = p.metadata.deletionTimestamp {
            w.line(0, "Status:\tTerminating (lasts \(humanDuration(millis: cluster.now - (del - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000))))")
            w.line(0, "Termination Grace Period:\t\(p.metadata.deletionGracePeriodSeconds ?? 0)s")
        } else {
            w.line(0, "Status:\t\(p.status.phase)")
        }
        if let seccomp = p.spec.extra["securityContext"]?["seccompProfile"] {
            w.line(0, "SeccompProfile:\t\(seccomp["type"]?.stringValue ?? "")")
            if let profile = seccomp["localhostProfile"]?.stringValue { w.line(0, "LocalhostProfile:\t\(profile)") }
        }
        w.line(0, "IP:\t\(p.status.podIP)")
        if p.status.podIP.isEmpty { w.line(0, "IPs:\t<none>") } else {
            w.line(0, "IPs:")
            w.line(1, "IP:\t\(p.status.podIP)")
        }
        if let owner = p.metadata.controllerRef { w.line(0, "Controlled By:\t\(owner.kind)/\(owner.name)") }
        w.line(0, "Containers:")
        let spec = p.spec.admitted   // with the ServiceAccount token volume and its mounts
        containers(&w, spec.containers, statuses: p.status.containerStatuses, template: false, space: "", podUID: p.metadata.uid, pod: p)
        let gates = p.spec.readinessGateTypes
        if !gates.isEmpty {
            w.line(0, "Readiness Gates:")
            w.line(1, "Type\tStatus")
            for g in gates { w.line(1, "\(g) \t\(p.status.condition(g)?.status.rawValue ?? "<none>") ") }
        }
        if !p.status.conditions.isEmpty {
            w.line(0, "Conditions:")
            w.line(1, "Type\tStatus")
            for c in p.status.conditions { w.line(1, "\(c.type) \t\(c.status) ") }
        }
        volumes(&w, spec.extra["volumes"]?.arrayValue ?? [])
        w.line(0, "QoS Class:\t\(p.status.qosClass)")
        labels(&w, "Node-Selectors", p.spec.nodeSelector)
        tolerations(&w, "Tolerations", ObjectEncoder.admittedTolerations(p.spec))
        events(&w, for: cluster.reference("Pod", p.metadata))
        return w.finish()
    }

    // MARK: Workloads

    func podTemplate(_ w: inout DescribeWriter, _ t: PodTemplateSpec) {
        w.write(0, "Pod Template:\n")
        labels(&w, "Labels", t.metadata.labels, indent: "  ")
        if !t.metadata.annotations.isEmpty { annotations(&w, t.metadata.annotations, indent: "  ") }
        // Shown when the template names one (a template without one reads as `default` here).
        if t.spec.serviceAccountName != "default" { w.write(0, "  Service Account:\t\(t.spec.serviceAccountName)\n") }
        w.write(0, "  Containers:\n")
        containers(&w, t.spec.containers, statuses: [], template: true, space: " ")
        volumes(&w, t.spec.extra["volumes"]?.arrayValue ?? [], space: "  ")
        if let name = t.spec.extra["priorityClassName"]?.stringValue, !name.isEmpty { w.write(0, "  Priority Class Name:\t\(name)\n") }
        labels(&w, "Node-Selectors", t.spec.nodeSelector, indent: "  ")
        tolerations(&w, "Tolerations", t.spec.tolerations, indent: "  ")
    }

    /// printTolerationsMultilineWithIndent: `key=value:effect`, `op=Exists` (alone for the
    /// toleration of everything), `for Ns`.
    func tolerations(_ w: inout DescribeWriter, _ title: String, _ list: [Toleration], indent: String = "") {
        w.write(0, "\(indent)\(title):\t")
        if list.isEmpty { w.write(0, "<none>\n"); return }
        // Sorted by key, as printTolerationsMultilineWithIndent sorts them.
        for (i, t) in list.enumerated().sorted(by: { ($0.element.key ?? "", $0.offset) < ($1.element.key ?? "", $1.offset) }).map(\.element).enumerated() {
            if i > 0 { w.write(0, "\(indent)\t") }
            var s = t.key ?? ""
            if let v = t.value, !v.isEmpty { s += "=\(v)" }
            if let e = t.effect, !e.isEmpty { s += ":\(e)" }
            if t.op == "Exists" && (t.value ?? "").isEmpty { s += s.isEmpty ? "op=Exists" : " op=Exists" }
            if let secs = t.tolerationSeconds { s += " for \(secs)s" }
            w.write(0, s + "\n")
        }
    }

    func deployment(_ d: Deployment) -> String {
        var w = DescribeWriter()
        w.line(0, "Name:\t\(d.metadata.name)")
        w.line(0, "Namespace:\t\(d.metadata.namespace)")
        w.line(0, "CreationTimestamp:\t\(Self.rfc1123(d.metadata.creationTimestamp ?? 0))")
        labels(&w, "Labels", d.metadata.labels)
        annotations(&w, d.metadata.annotations)
        w.line(0, "Selector:\t\((try? (d.spec.selector ?? LabelSelector()).expression().description) ?? "<invalid>")")
        let st = d.status
        w.line(0, "Replicas:\t\(d.desiredReplicas) desired | \(st.updatedReplicas) updated | \(st.replicas) total | \(st.availableReplicas) available | \(st.unavailableReplicas) unavailable")
        w.line(0, "StrategyType:\t\(d.spec.strategy.type)")
        w.line(0, "MinReadySeconds:\t\(d.spec.minReadySeconds)")
        if d.spec.strategy.type == "RollingUpdate" {
            w.line(0, "RollingUpdateStrategy:\t\(d.spec.strategy.maxUnavailable?.description ?? "25%") max unavailable, \(d.spec.strategy.maxSurge?.description ?? "25%") max surge")
        }
        podTemplate(&w, d.spec.template)
        if !st.conditions.isEmpty {
            w.line(0, "Conditions:")
            w.line(1, "Type\tStatus\tReason")
            w.line(1, "----\t------\t------")
            for c in st.conditions { w.line(1, "\(c.type) \t\(c.status)\t\(c.reason)") }
        }
        let owned = cluster.replicaSets.list(namespace: d.metadata.namespace).filter { $0.metadata.controllerRef?.uid == d.metadata.uid }
        let hash = owned.first { rs in rs.spec.template.metadata.labels.filter { $0.key != "pod-template-hash" } == d.spec.template.metadata.labels && rs.spec.template.spec == d.spec.template.spec }
        func created(_ rs: ReplicaSet) -> String { "\(rs.metadata.name) (\(rs.status.replicas)/\(rs.desiredReplicas) replicas created)" }
        let old = owned.filter { $0.metadata.name != hash?.metadata.name && $0.status.replicas > 0 }
        w.line(0, "OldReplicaSets:\t\(old.isEmpty ? "<none>" : old.map(created).joined(separator: ", "))")
        w.line(0, "NewReplicaSet:\t\(hash.map(created) ?? "<none>")")
        events(&w, for: cluster.reference("Deployment", d.metadata, apiVersion: "apps/v1"))
        return w.finish()
    }

    func replicaSet(_ rs: ReplicaSet) -> String {
        var w = DescribeWriter()
        w.line(0, "Name:\t\(rs.metadata.name)")
        w.line(0, "Namespace:\t\(rs.metadata.namespace)")
        w.line(0, "Selector:\t\((rs.spec.selector ?? LabelSelector()).formatted)")
        labels(&w, "Labels", rs.metadata.labels)
        annotations(&w, rs.metadata.annotations)
        if let owner = rs.metadata.controllerRef { w.line(0, "Controlled By:\t\(owner.kind)/\(owner.name)") }
        w.line(0, "Replicas:\t\(rs.status.replicas) current / \(rs.desiredReplicas) desired")
        podsStatus(&w, cluster.pods(ownedBy: rs.metadata.uid))
        podTemplate(&w, rs.spec.template)
        events(&w, for: cluster.reference("ReplicaSet", rs.metadata, apiVersion: "apps/v1"))
        return w.finish()
    }

    // MARK: Cluster-scoped

    func node(_ n: Node) -> String {
        var w = DescribeWriter()
        let roles = n.metadata.labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
        w.line(0, "Name:\t\(n.metadata.name)")
        w.line(0, "Roles:\t\(roles.isEmpty ? "<none>" : roles.joined(separator: ","))")
        labels(&w, "Labels", n.metadata.labels)
        annotations(&w, n.metadata.annotations)
        let created = n.metadata.creationTimestamp ?? 0
        w.line(0, "CreationTimestamp:\t\(Self.rfc1123(created))")
        let taints = n.taints.sorted { ($0.effect, $0.key) < ($1.effect, $1.key) }.map { "\($0.key)\($0.value.map { "=\($0)" } ?? ""):\($0.effect)" }
        w.line(0, "Taints:\t\(taints.isEmpty ? "<none>" : taints.joined(separator: "\n\t"))")
        w.line(0, "Unschedulable:\t\(n.unschedulable)")
        // The node's Lease, as kubectl describe reads it from kube-node-lease.
        let lease = cluster.catalog(LeaseKind.description, namespace: "kube-node-lease", name: n.metadata.name).first?.value()
        w.line(0, "Lease:")
        w.line(1, "HolderIdentity:\t\(lease?["spec"]?["holderIdentity"]?.stringValue ?? "<unset>")")
        w.line(1, "AcquireTime:\t<unset>")
        let renew = lease?["spec"]?["renewTime"]?.stringValue.flatMap(Timestamps.parse)
        w.line(1, "RenewTime:\t\(renew.map { Self.rfc1123($0) } ?? "<unset>")")
        w.line(0, "Conditions:")
        w.line(1, "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage")
        w.line(1, "----\t------\t-----------------\t------------------\t------\t-------")
        for c in NodeStatus.conditions(n, now: cluster.now) {
            w.line(1, "\(c.type) \t\(c.status) \t\(Self.rfc1123(c.heartbeat)) \t\(Self.rfc1123(c.transition)) \t\(c.reason) \t\(c.message)")
        }
        w.line(0, "Addresses:")
        w.line(1, "InternalIP:\t\(n.internalIP)")
        w.line(1, "Hostname:\t\(n.metadata.name)")
        for title in ["Capacity", "Allocatable"] {
            w.line(0, "\(title):")
            for (k, v) in NodeStatus.capacity(n) {
                w.line(1, "\(k):\t\(v)")
            }
        }
        w.line(0, "System Info:")
        w.line(1, "Machine ID:\t\(NodeStatus.machineID(n))")
        w.line(1, "System UUID:\t\(NodeStatus.systemUUID(n))")
        w.line(1, "Boot ID:\t\(NodeStatus.bootID(n))")
        w.line(1, "Kernel Version:\t\(n.kernelVersion)")
        w.line(1, "OS Image:\t\(n.osImage)")
        w.line(1, "Operating System:\tlinux")
        w.line(1, "Architecture:\tamd64")
        w.line(1, "Container Runtime Version:\t\(n.containerRuntime)")
        w.line(1, "Kubelet Version:\t\(n.kubeletVersion)")
        w.line(1, "Kube-Proxy Version:\t")
        w.line(0, "PodCIDR:\t\(n.podCIDR)")
        w.line(0, "PodCIDRs:\t\(n.podCIDR)")
        w.line(0, "ProviderID:\tkind://docker/\(cluster.config.clusterName)/\(n.metadata.name)")
        // describeNodeResource: each pod's requests and limits against the node's allocatable.
        let pods = cluster.pods(onNode: n.metadata.name).filter { !$0.isTerminal }
        let allocatableMilliCPU = Quantity.milli(NodeStatus.capacity(n).first { $0.0 == "cpu" }?.1 ?? "0")
        let allocatableMemory = Quantity.units(NodeStatus.capacity(n).first { $0.0 == "memory" }?.1 ?? "0")
        func cpu(_ milli: Int64) -> String {
            "\(Quantity.formatCPU(milli: milli)) (\(allocatableMilliCPU == 0 ? 0 : Int64(Double(milli) / Double(allocatableMilliCPU) * 100))%)"
        }
        func memory(_ bytes: Int64) -> String {
            "\(Quantity.formatBytes(bytes)) (\(allocatableMemory == 0 ? 0 : Int64(Double(bytes) / Double(allocatableMemory) * 100))%)"
        }
        w.line(0, "Non-terminated Pods:\t(\(pods.count) in total)")
        w.line(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge")
        w.line(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---")
        var total = PodResourceTotals()
        for p in pods {
            let r = PodResourceTotals(p.spec)
            total += r
            w.line(1, "\(p.metadata.namespace)\t\(p.metadata.name)\t\t\(cpu(r.cpuRequest))\t\(cpu(r.cpuLimit))\t\(memory(r.memoryRequest))\t\(memory(r.memoryLimit))\t\(humanDuration(millis: cluster.now - (p.metadata.creationTimestamp ?? 0)))")
        }
        w.line(0, "Allocated resources:")
        w.line(1, "(Total limits may be over 100 percent, i.e., overcommitted.)")
        w.line(1, "Resource\tRequests\tLimits")
        w.line(1, "--------\t--------\t------")
        w.line(1, "cpu\t\(cpu(total.cpuRequest))\t\(cpu(total.cpuLimit))")
        w.line(1, "memory\t\(memory(total.memoryRequest))\t\(memory(total.memoryLimit))")
        w.line(1, "ephemeral-storage\t0 (0%)\t0 (0%)")
        w.line(1, "hugepages-1Gi\t0 (0%)\t0 (0%)")
        w.line(1, "hugepages-2Mi\t0 (0%)\t0 (0%)")
        events(&w, for: ObjectReference(kind: "Node", namespace: "", name: n.metadata.name, uid: ""))
        return w.finish()
    }

    func namespaceText(_ ns: Namespace) -> String {
        var w = DescribeWriter()
        w.line(0, "Name:\t\(ns.metadata.name)")
        labels(&w, "Labels", ns.metadata.labels)
        annotations(&w, ns.metadata.annotations)
        w.line(0, "Status:\t\(ns.phase)")
        w.line(0, "")
        w.line(0, "No resource quota.")
        w.line(0, "")
        w.line(0, "No LimitRange resource.")
        return w.finish()
    }
}

