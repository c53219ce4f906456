import Foundation
import ArgumentParser
import ClusterEngine
import ClusterModel

/// `kubectl create -f`, `create deployment|service|namespace` and `kubectl expose`
/// (kubectl-output §7 generators).
struct CreateCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a resource from a file or from stdin.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("f", allowingJoined: true), .customLong("filename")]) var filenames: [String] = []
    @Option(name: .customLong("image")) var images: [String] = []
    // Int32 as kubectl declares it (Int32Var), so a count beyond int32 is pflag's range error.
    @Option(name: [.customShort("r", allowingJoined: true), .customLong("replicas")]) var replicas: Int32 = 1
    @Option(name: .customLong("port")) var port: Int = -1
    @Option(name: .customLong("tcp")) var tcp: [String] = []
    @Option(name: .customLong("node-port")) var nodePort: Int = 0
    @Option(name: .customLong("clusterip")) var clusterIP: String?
    @Option(name: .customLong("external-name")) var externalName: String?
    @Option(name: .customLong("from-literal")) var fromLiteral: [String] = []
    @Option(name: .customLong("from-file")) var fromFile: [String] = []
    @Option(name: .customLong("from-env-file")) var fromEnvFile: [String] = []
    @Option(name: .customLong("type")) var secretType: String?
    @Option(name: .customLong("dry-run")) var dryRunText: String?
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        let dryRun: DryRun
        switch DryRun.parse(dryRunText) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(d): dryRun = d
        }
        if !filenames.isEmpty {
            let inputs: [(text: String, source: String)]
            switch ManifestInputs.read(filenames, ctx: ctx) {
            case let .failure(f): out.fail(f.message); return out
            case let .success(i): inputs = i
            }
            for (text, source) in inputs {
                for r in Manifest.load(text, source: source) {
                    switch r {
                    case let .failure(e): out.fail(e.kubectlMessage)
                    case var .success(o):
                        if o.namespaced && o.metadata.namespace.isEmpty { var m = o.metadata; m.namespace = ctx.namespace; o.metadata = m }
                        if dryRun == .client { out.out("\(o.typePrefix)/\(o.metadata.name) created (dry run)"); continue }
                        do { try submit(o, ctx: ctx, dryRun: dryRun); out.out("\(o.typePrefix)/\(o.metadata.name) created\(dryRun.suffix)") }
                        catch { out.fail(error.kubectlMessage(verb: "creating", source: source)) }
                    }
                }
            }
            return out
        }
        guard let what = args.first else {
            out.fail("error: must specify one of -f and -k"); return out
        }
        let rest = Array(args.dropFirst())
        switch what {
        case "deployment", "deploy":
            guard rest.count == 1 else {
                out.fail("error: exactly one NAME is required, got \(rest.count)\nSee 'kubectl create deployment -h' for help and examples"); return out
            }
            guard !images.isEmpty else { out.fail("error: required flag(s) \"image\" not set"); return out }
            // `-- COMMAND [args…]`: the first (only) container's command (create_deployment.go).
            let command = ctx.command ?? []
            if images.count > 1 && !command.isEmpty { out.fail("error: cannot specify multiple --image options and command"); return out }
            let name = rest[0]
            var d = Deployment()
            d.metadata = ObjectMeta(name: name, namespace: ctx.namespace, labels: ["app": name])
            d.spec.replicas = Int(replicas)
            d.spec.selector = LabelSelector(matchLabels: ["app": name])
            d.spec.template.metadata.labels = ["app": name]
            d.spec.template.spec.containers = images.map { image in
                var c = Container(name: Self.containerName(image), image: image)
                if port > 0 && image == images[0] { c.ports = [ContainerPort(containerPort: port)] }
                if image == images[0] && !command.isEmpty { c.command = command }
                return c
            }
            if dryRun == .client {
                GeneratedObject.print(GeneratedObject.deployment(name, namespace: ctx.explicitNamespace, images: images, port: port, replicas: Int(replicas), command: command),
                                      prefix: "deployment.apps", name: name, output: output, dryRun: dryRun, into: &out)
                return out
            }
            do { printCreated(try submit(.deployment(d), ctx: ctx, dryRun: dryRun), prefix: "deployment.apps", dryRun: dryRun, into: &out) }
            catch {
                if case .alreadyExists = error { out.fail("error: failed to create deployment: \(error.message)") }
                else { out.fail("error: failed to create deployment: \(error.message)") }
            }
        case "namespace", "ns":
            guard rest.count == 1 else {
                out.fail("error: exactly one NAME is required, got \(rest.count)\nSee 'kubectl create namespace -h' for help and examples"); return out
            }
            if dryRun == .client {
                GeneratedObject.print(GeneratedObject.namespace(rest[0]), prefix: "namespace", name: rest[0], output: output, dryRun: dryRun, into: &out)
                return out
            }
            do { printCreated(try submit(.namespace(Namespace(name: rest[0])), ctx: ctx, dryRun: dryRun), prefix: "namespace", dryRun: dryRun, into: &out) }
            catch { out.fail(error.kubectlMessage()) }
        case "service", "svc":
            guard let kind = rest.first, ["clusterip", "nodeport", "loadbalancer", "externalname"].contains(kind) else {
                out.fail("error: Unexpected args: \(rest)\nSee 'kubectl create service -h' for help and examples"); return out
            }
            guard rest.count == 2 else {
                out.fail("error: exactly one NAME is required, got \(rest.count - 1)\nSee 'kubectl create service \(kind) -h' for help and examples"); return out
            }
            let name = rest[1]
            var svc = Service()
            svc.metadata = ObjectMeta(name: name, namespace: ctx.namespace, labels: ["app": name])
            svc.spec.selector = ["app": name]
            let type: ServiceType = ["clusterip": .clusterIP, "nodeport": .nodePort, "loadbalancer": .loadBalancer, "externalname": .externalName][kind]!
            svc.spec.type = type
            if kind == "externalname" {
                guard let ext = externalName else { out.fail("error: required flag(s) \"external-name\" not set"); return out }
                svc.spec.externalName = ext
            } else if clusterIP == "None" {
                svc.spec.clusterIP = "None"
            } else {
                guard !tcp.isEmpty else { out.fail("error: at least one tcp port specifier must be provided"); return out }
                if let ip = clusterIP { svc.spec.clusterIP = ip }
            }
            // `--tcp=80,443` is two port specs, as kubectl's string-slice flag reads it.
            for spec in tcp.flatMap({ $0.split(separator: ",").map(String.init) }) {
                let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
                guard let p = Int(parts[0]) else { out.fail("error: invalid port: \(spec)"); return out }
                var sp = ServicePort(name: spec.replacingOccurrences(of: ":", with: "-"), port: p)
                if parts.count == 2 { sp.targetPort = Int(parts[1]).map(IntOrString.int) ?? .string(parts[1]) }
                if nodePort > 0 { sp.nodePort = nodePort }
                svc.spec.ports.append(sp)
            }
            if dryRun == .client {
                GeneratedObject.print(GeneratedObject.service(svc, namespace: ctx.explicitNamespace), prefix: "service", name: name, output: output, dryRun: dryRun, into: &out)
                return out
            }
            do { printCreated(try submit(.service(svc), ctx: ctx, dryRun: dryRun), prefix: "service", dryRun: dryRun, into: &out) }
            catch { out.fail("error: failed to create \(type) service: \(error.message)") }
        case "configmap", "cm":
            return createConfigMap(rest, ctx: ctx, dryRun: dryRun)
        case "secret":
            guard rest.first == "generic" else {
                out.fail("error: svclab does not model \"kubectl create secret \(rest.first ?? "")\" yet (supported: generic)"); return out
            }
            return createSecret(Array(rest.dropFirst()), ctx: ctx, dryRun: dryRun)
        case "serviceaccount", "sa":
            guard rest.count == 1 else {
                out.fail("error: exactly one NAME is required, got \(rest.count)\nSee 'kubectl create serviceaccount -h' for help and examples"); return out
            }
            if dryRun == .client {
                GeneratedObject.print(.object([("kind", .string("ServiceAccount")), ("apiVersion", .string("v1")), ("metadata", GeneratedObject.meta(rest[0], namespace: ctx.explicitNamespace))]),
                                      prefix: "serviceaccount", name: rest[0], output: output, dryRun: dryRun, into: &out)
                return out
            }
            let sa = StoredObject(kind: ServiceAccountKind.kind, metadata: ObjectMeta(name: rest[0], namespace: ctx.namespace), fields: .object([]))
            do { printCreated(try submit(.stored(sa), ctx: ctx, dryRun: dryRun), prefix: "serviceaccount", dryRun: dryRun, into: &out) }
            catch { out.fail("error: failed to create serviceaccount: \(error.message)") }
        default:
            // kubectl create's own subcommands svclab lacks say so; any other word is cobra's
            // "Unexpected args" (create takes no positional arguments).
            let kubectlCreates = ["clusterrole", "clusterrolebinding", "cronjob", "ingress", "job", "poddisruptionbudget", "pdb",
                                  "priorityclass", "pc", "quota", "resourcequota", "role", "rolebinding", "token"]
            if kubectlCreates.contains(what) {
                out.fail("error: svclab does not model \"kubectl create \(what)\" yet (supported: configmap, secret generic, serviceaccount, deployment, service, namespace, -f)")
            } else {
                out.fail("error: Unexpected args: [\(args.joined(separator: " "))]\nSee 'kubectl create -h' for help and examples")
            }
        }
        return out
    }

    /// `kubectl create configmap NAME --from-literal=KEY=VALUE…` (kubectl's configmap generator).
    func createConfigMap(_ rest: [String], ctx: KubectlContext, dryRun: DryRun = .none) -> CommandOutput {
        var out = CommandOutput()
        guard let name = literalGeneratorName(rest, command: "configmap", into: &out) else { return out }
        guard let data = literalData(kind: "ConfigMap", name: name, into: &out) else { return out }
        let fields: Value = data.isEmpty ? .object([]) : .object([("data", .object(data))])
        if dryRun == .client {
            GeneratedObject.print(GeneratedObject.configMap(name, namespace: ctx.explicitNamespace, data: data), prefix: "configmap", name: name, output: output, dryRun: dryRun, into: &out)
            return out
        }
        let cm = StoredObject(kind: ConfigMapKind.kind, metadata: ObjectMeta(name: name, namespace: ctx.namespace), fields: fields)
        do { printCreated(try submit(.stored(cm), ctx: ctx, dryRun: dryRun), prefix: "configmap", dryRun: dryRun, into: &out) }
        catch { out.fail("error: failed to create configmap: \(error.message)") }
        return out
    }

    /// POST, or with `--dry-run=server` everything the server does but the write (defaults,
    /// validation, the namespace, AlreadyExists).
    /// Creates (or, for a server dry run, checks) the object; returns what the server answered.
    @discardableResult
    func submit(_ object: KubeObject, ctx: KubectlContext, dryRun: DryRun) throws(APIError) -> KubeObject {
        if dryRun == .server { return try ctx.cluster.checkedCreateForDryRun(object) }
        return try ctx.cluster.create(object)
    }

    /// The generators' output: the object the server returned with `-o yaml|json|name`,
    /// else `TYPE/NAME created`.
    func printCreated(_ object: KubeObject, prefix: String, dryRun: DryRun, into out: inout CommandOutput) {
        GeneratedObject.print(ObjectEncoder.value(object), prefix: prefix, name: object.metadata.name, output: output, dryRun: dryRun, into: &out)
    }

    /// The one NAME the configmap and secret generators take (nil after kubectl's error, or
    /// svclab's for the file sources it does not read yet).
    func literalGeneratorName(_ rest: [String], command: String, into out: inout CommandOutput) -> String? {
        guard rest.count == 1 else {
            out.fail("error: exactly one NAME is required, got \(rest.count)\nSee 'kubectl create \(command) -h' for help and examples"); return nil
        }
        if !fromFile.isEmpty || !fromEnvFile.isEmpty {
            out.fail("error: svclab does not model \"kubectl create \(command) --from-file/--from-env-file\" yet (use --from-literal, or apply a manifest)"); return nil
        }
        return rest[0]
    }

    /// `--from-literal=KEY=VALUE…` as kubectl's configmap and secret generators read them
    /// (sorted by key); nil after printing kubectl's error.
    func literalData(kind: String, name: String, into out: inout CommandOutput) -> [(String, Value)]? {
        var data: [(String, Value)] = []
        for literal in fromLiteral {
            guard let eq = literal.firstIndex(of: "="), eq != literal.startIndex else {
                out.fail("error: invalid literal source \(literal), expected key=value"); return nil
            }
            let key = String(literal[..<eq]), value = String(literal[literal.index(after: eq)...])
            if let problem = ConfigMapKind.keyProblem(key) {
                out.fail("error: \(goQuote(key)) is not a valid key name for a \(kind): \(problem)"); return nil
            }
            if data.contains(where: { $0.0 == key }) {
                // create_configmap.go and create_secret.go word this differently.
                out.fail(kind == "Secret" ? "error: cannot add key \(key), another key by that name already exists"
                         : "error: cannot add key \(goQuote(key)), another key by that name already exists in Data for \(kind) \(goQuote(name))"); return nil
            }
            data.append((key, .string(value)))
        }
        return data.sorted { $0.0 < $1.0 }
    }

    /// `kubectl create secret generic NAME --from-literal=KEY=VALUE… [--type=T]`: values base64.
    func createSecret(_ rest: [String], ctx: KubectlContext, dryRun: DryRun = .none) -> CommandOutput {
        var out = CommandOutput()
        guard let name = literalGeneratorName(rest, command: "secret generic", into: &out) else { return out }
        guard let literals = literalData(kind: "Secret", name: name, into: &out) else { return out }
        let data = literals.map { ($0.0, Value.string(Data(($0.1.stringValue ?? "").utf8).base64EncodedString())) }
        var generated: [(String, Value)] = [("kind", .string("Secret")), ("apiVersion", .string("v1")), ("metadata", GeneratedObject.meta(name, namespace: ctx.explicitNamespace))]
        if !data.isEmpty { generated.append(("data", .object(data))) }
        if let secretType, !secretType.isEmpty { generated.append(("type", .string(secretType))) }
        if dryRun == .client {
            GeneratedObject.print(.object(generated), prefix: "secret", name: name, output: output, dryRun: dryRun, into: &out)
            return out
        }
        switch try? SecretKind.description.decode!(.object(generated)) {
        case let .stored(secret)?:
            var secret = secret
            secret.metadata.namespace = ctx.namespace
            do { printCreated(try submit(.stored(secret), ctx: ctx, dryRun: dryRun), prefix: "secret", dryRun: dryRun, into: &out) }
            catch { out.fail("error: failed to create secret \(error.message)") }
        default: out.fail("error: failed to create secret")
        }
        return out
    }

    /// kubectl create deployment: the container is named after the image, without registry, path, tag or digest.
    static func containerName(_ image: String) -> String {
        var base = image.split(separator: "/").last.map(String.init) ?? image
        if let at = base.firstIndex(of: "@") { base = String(base[..<at]) }
        if let colon = base.firstIndex(of: ":") { base = String(base[..<colon]) }
        return base
    }
}

struct ExposeCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "expose", abstract: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("port")) var port: Int = -1
    @Option(name: .customLong("target-port")) var targetPort: String?
    @Option(name: .customLong("name")) var name: String?
    @Option(name: .customLong("type")) var type: String?
    @Option(name: .customLong("protocol")) var proto: String = "TCP"
    @Option(name: .customLong("selector")) var selector: String?
    @Option(name: .customLong("cluster-ip")) var clusterIP: String?
    @Option(name: .customLong("session-affinity")) var sessionAffinity: String?
    @Option(name: .customLong("load-balancer-ip")) var loadBalancerIP: String?
    @Option(name: .customLong("external-ip")) var externalIP: String?
    @Option(name: [.customShort("l"), .customLong("labels")]) var serviceLabels: String?
    @Option(name: .customLong("dry-run")) var dryRunText: String?
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    /// `key=value,…` as kubectl's ParseLabels reads --labels and --selector.
    static func keyValues(_ text: String) -> [String: String] {
        Dictionary(text.split(separator: ",").compactMap { kv in
            let p = kv.split(separator: "=", maxSplits: 1).map(String.init); return p.count == 2 ? (p[0], p[1]) : nil
        }, uniquingKeysWith: { _, last in last })
    }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        let dryRun: DryRun
        switch DryRun.parse(dryRunText) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(d): dryRun = d
        }
        if let sessionAffinity, !sessionAffinity.isEmpty, !SessionAffinity(sessionAffinity).isKnown {
            out.fail("error: unknown session affinity: \(sessionAffinity)")
            return out
        }
        let targets: TargetSet
        switch TargetSet.resolve(args, selector: nil, all: false, ctx: ctx) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(t): targets = t
        }
        for (t, ns, objName) in targets.items {
            var sel: [String: String] = [:]
            var labels: [String: String] = [:]
            var ports: [ContainerPort] = []
            let c = ctx.cluster
            switch t.kind {
            case "Deployment":
                guard let d = c.deployments.get(ns, objName) else { out.fail(ResourceType.deployment.notFound(objName)); continue }
                if let exprs = d.spec.selector?.matchExpressions, !exprs.isEmpty {
                    out.fail("error: couldn't convert expressions - \"\((try? d.spec.selector!.expression().description) ?? "")\" to map-based selector format"); continue
                }
                sel = d.spec.selector?.matchLabels ?? [:]; labels = d.metadata.labels
                ports = d.spec.template.spec.containers.flatMap(\.ports)
            case "ReplicaSet":
                guard let rs = c.replicaSets.get(ns, objName) else { out.fail(ResourceType.replicaSet.notFound(objName)); continue }
                sel = rs.spec.selector?.matchLabels ?? [:]; labels = rs.metadata.labels
                ports = rs.spec.template.spec.containers.flatMap(\.ports)
            case "Pod":
                guard let p = c.pods.get(ns, objName) else { out.fail(ResourceType.pod.notFound(objName)); continue }
                sel = p.metadata.labels; labels = p.metadata.labels
                ports = p.spec.containers.flatMap(\.ports)
            case "Service":
                guard let s = c.services.get(ns, objName) else { out.fail(ResourceType.service.notFound(objName)); continue }
                sel = s.spec.selector ?? [:]; labels = s.metadata.labels
                ports = s.spec.ports.map { ContainerPort(name: $0.name.isEmpty ? nil : $0.name, containerPort: $0.port) }
            default:
                out.fail("error: cannot expose a \(t.kind)"); continue
            }
            if let selector { sel = Self.keyValues(selector) }
            if sel.isEmpty {
                // expose.go: nothing to select the pods by (a selectorless Service, say).
                let why = t.kind == "Service" ? "the service has no pod selector set" : "the \(t.kind.lowercased()) has no labels"
                out.fail("error: couldn't retrieve selectors via --selector flag or introspection: \(why)"); continue
            }
            if let serviceLabels { labels = Self.keyValues(serviceLabels) }
            var svc = Service()
            svc.metadata = ObjectMeta(name: name ?? objName, namespace: ns, labels: labels)
            svc.spec.selector = sel
            if let type { svc.spec.type = ServiceType(type) }
            // The generator's fields (kubectl's expose: ServiceGeneratorV2).
            if let clusterIP, !clusterIP.isEmpty { svc.spec.clusterIP = clusterIP }
            if let sessionAffinity, !sessionAffinity.isEmpty { svc.spec.sessionAffinity = SessionAffinity(sessionAffinity) }
            if let loadBalancerIP, !loadBalancerIP.isEmpty { svc.spec.loadBalancerIP = loadBalancerIP }
            if let externalIP, !externalIP.isEmpty { svc.spec.externalIPs = [externalIP] }
            if port > 0 {
                var sp = ServicePort(proto: PortProtocol(proto), port: port)
                if let tp = targetPort { sp.targetPort = Int(tp).map(IntOrString.int) ?? .string(tp) }
                svc.spec.ports = [sp]
            } else if !ports.isEmpty {
                svc.spec.ports = ports.enumerated().map { i, p in
                    var sp = ServicePort(name: ports.count > 1 ? "port-\(i + 1)" : "", proto: p.proto, port: p.containerPort)
                    if let tp = targetPort { sp.targetPort = Int(tp).map(IntOrString.int) ?? .string(tp) }
                    return sp
                }
            } else {
                out.fail("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples"); continue
            }
            switch dryRun {
            case .client:
                // The generator's object, unsent (no namespace unless -n was given, as kubectl).
                var generated = svc
                generated.metadata.namespace = ctx.explicitNamespace ?? ""
                generated.spec.type = ServiceType(type ?? "")
                GeneratedObject.print(GeneratedObject.service(generated, namespace: ctx.explicitNamespace), prefix: "service", name: svc.metadata.name,
                                      output: output, dryRun: dryRun, into: &out, verb: "exposed")
            case .server:
                do {
                    guard case let .service(checked) = try c.checkedCreateForDryRun(.service(svc)) else { continue }
                    GeneratedObject.print(ObjectEncoder.service(checked), prefix: "service", name: svc.metadata.name,
                                          output: output, dryRun: dryRun, into: &out, verb: "exposed")
                } catch { out.fail(error.kubectlMessage()) }
            case .none:
                do { try c.create(.service(svc)); out.out("service/\(svc.metadata.name) exposed") }
                catch { out.fail(error.kubectlMessage()) }
            }
        }
        return out
    }
}
