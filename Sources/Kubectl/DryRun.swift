import ClusterModel

/// `--dry-run=none|client|server` as kubectl 1.33 reads it (GetDryRunStrategy): bare
/// `--dry-run` is "unchanged" (client, deprecated), booleans are accepted too.
enum DryRun: Equatable {
    case none, client, server

    static func parse(_ text: String?) -> Result<DryRun, KubectlFailure> {
        switch text {
        case nil, "none", "false": return .success(.none)
        case "client", "unchanged", "true": return .success(.client)
        case "server": return .success(.server)
        case let other?: return .failure(KubectlFailure("error: Invalid dry-run value (\(other)). Must be \"none\", \"server\", or \"client\"."))
        }
    }

    /// What kubectl's name printer adds: ` (dry run)` / ` (server dry run)`.
    var suffix: String {
        switch self { case .none: ""; case .client: " (dry run)"; case .server: " (server dry run)" }
    }
}

/// The objects kubectl's `create` generators build before sending them, as `--dry-run=client
/// -o yaml|json` prints them: no server defaults, `creationTimestamp: null`, empty `status`,
/// fields in the Go types' order (what `-o json` shows; `-o yaml` sorts them).
enum GeneratedObject {
    static func meta(_ name: String, namespace: String?, labels: [String: String]? = nil) -> Value {
        var pairs: [(String, Value)] = [("name", .string(name))]
        if let namespace { pairs.append(("namespace", .string(namespace))) }
        pairs.append(("creationTimestamp", .null))
        if let labels { pairs.append(("labels", .object(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))) }
        return .object(pairs)
    }

    static func deployment(_ name: String, namespace: String?, images: [String], port: Int, replicas: Int, command: [String] = []) -> Value {
        let labels = ["app": name]
        let containers: [Value] = images.enumerated().map { i, image in
            var c: [(String, Value)] = [("name", .string(CreateCommand.containerName(image))), ("image", .string(image))]
            if i == 0 && !command.isEmpty { c.append(("command", .array(command.map { .string($0) }))) }
            if port > 0 && i == 0 { c.append(("ports", .array([.object([("containerPort", .int(Int64(port)))])]))) }
            c.append(("resources", .object([])))
            return .object(c)
        }
        return .object([
            ("kind", .string("Deployment")), ("apiVersion", .string("apps/v1")), ("metadata", meta(name, namespace: namespace, labels: labels)),
            ("spec", .object([
                ("replicas", .int(Int64(replicas))),
                ("selector", .object([("matchLabels", .object([("app", .string(name))]))])),
                ("template", .object([("metadata", .object([("creationTimestamp", .null), ("labels", .object([("app", .string(name))]))])),
                                      ("spec", .object([("containers", .array(containers))]))])),
                ("strategy", .object([])),
            ])),
            ("status", .object([])),
        ])
    }

    static func service(_ svc: Service, namespace: String?) -> Value {
        var spec: [(String, Value)] = []
        if !svc.spec.ports.isEmpty { spec.append(("ports", .array(svc.spec.ports.map(port)))) }
        if let selector = svc.spec.selector { spec.append(("selector", .object(selector.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))) }
        if !svc.spec.clusterIP.isEmpty { spec.append(("clusterIP", .string(svc.spec.clusterIP))) }
        // kubectl's generators leave type out unless it was asked for (expose without --type).
        if !svc.spec.type.isEmpty { spec.append(("type", .string(svc.spec.type.rawValue))) }
        if !svc.spec.externalName.isEmpty { spec.append(("externalName", .string(svc.spec.externalName))) }
        return .object([("kind", .string("Service")), ("apiVersion", .string("v1")),
                        ("metadata", meta(svc.metadata.name, namespace: namespace, labels: svc.metadata.labels)),
                        ("spec", .object(spec)), ("status", .object([("loadBalancer", .object([]))]))])
    }

    static func port(_ p: ServicePort) -> Value {
        // ServicePort.Name is omitempty: a single unnamed port (expose --port) has none.
        var pairs: [(String, Value)] = p.name.isEmpty ? [] : [("name", .string(p.name))]
        pairs += [("protocol", .string(p.proto.rawValue)), ("port", .int(Int64(p.port)))]
        let target: Value
        switch p.targetPort {
        case let .int(i): target = .int(Int64(i == 0 ? p.port : i))
        case let .string(s): target = .string(s)
        }
        pairs.append(("targetPort", target))
        if p.nodePort != 0 { pairs.append(("nodePort", .int(Int64(p.nodePort)))) }
        return .object(pairs)
    }

    /// `kubectl run`'s pod: one container (command or args, ports, env), restartPolicy, dnsPolicy.
    static func pod(_ name: String, namespace: String?, labels: [String: String], container c: Container, restart: String) -> Value {
        var container: [(String, Value)] = [("name", .string(c.name)), ("image", .string(c.image))]
        if let command = c.command, !command.isEmpty { container.append(("command", .array(command.map(Value.string)))) }
        if let args = c.args, !args.isEmpty { container.append(("args", .array(args.map(Value.string)))) }
        if !c.ports.isEmpty { container.append(("ports", .array(c.ports.map { .object([("containerPort", .int(Int64($0.containerPort)))]) }))) }
        if !c.env.isEmpty { container.append(("env", .array(c.env.map { .object([("name", .string($0.name)), ("value", .string($0.value ?? ""))]) }))) }
        container.append(("resources", .object([])))
        return .object([("kind", .string("Pod")), ("apiVersion", .string("v1")), ("metadata", meta(name, namespace: namespace, labels: labels)),
                        ("spec", .object([("containers", .array([.object(container)])), ("restartPolicy", .string(restart)), ("dnsPolicy", .string("ClusterFirst"))])),
                        ("status", .object([]))])
    }

    static func namespace(_ name: String) -> Value {
        .object([("kind", .string("Namespace")), ("apiVersion", .string("v1")), ("metadata", meta(name, namespace: nil)),
                 ("spec", .object([])), ("status", .object([]))])
    }

    static func configMap(_ name: String, namespace: String?, data: [(String, Value)]) -> Value {
        var pairs: [(String, Value)] = [("kind", .string("ConfigMap")), ("apiVersion", .string("v1")), ("metadata", meta(name, namespace: namespace))]
        if !data.isEmpty { pairs.append(("data", .object(data))) }
        return .object(pairs)
    }

    /// A generated object as `-o yaml|json|name` (or the name printer's line) shows it.
    static func print(_ object: Value, prefix: String, name: String, output: String?, dryRun: DryRun, into out: inout CommandOutput, verb: String = "created") {
        switch output {
        case "yaml"?: out.outRaw(StructuredPrinter.yaml(object))
        case "json"?: out.outRaw(StructuredPrinter.json(object, sortKeys: false))
        case "name"?: out.out("\(prefix)/\(name)")
        case nil, ""?: out.out("\(prefix)/\(name) \(verb)\(dryRun.suffix)")
        case let other?:
            out.fail("error: unable to match a printer suitable for the output format \"\(other)\", allowed formats are: json,name,yaml")
        }
    }
}
