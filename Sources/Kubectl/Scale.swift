import ArgumentParser
import ClusterModel
import ClusterEngine

/// `kubectl scale deployment my-app --replicas=5` (also `deployment/my-app`, several names,
/// `--current-replicas` precondition).
struct ScaleCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "scale", abstract: "Set a new size for a deployment, replica set, or replication controller.")
    static let requiredFlags = ["replicas"]
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("replicas")) var replicas: Int = -1
    @Option(name: .customLong("dry-run")) var dryRunText: String?
    @Option(name: .customLong("current-replicas")) var currentReplicas: Int = -1
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?
    @Flag(name: .customLong("all")) var all = false
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
        if replicas < 0 {
            out.fail("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
            return out
        }
        var targets: [(ResourceType, String)] = []
        if args.isEmpty {
            out.fail("""
            error: You must provide one or more resources by argument or filename.
            Example resource specifications include:
               '-f rsrc.yaml'
               '--filename=rsrc.json'
               '<resource> <name>'
               '<resource>'
            """)
            return out
        }
        if args[0].contains("/") {
            for a in args {
                let parts = a.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let t = ResourceType.resolve(parts[0]) else {
                    out.fail("error: the server doesn't have a resource type \"\(parts.first ?? a)\""); return out
                }
                targets.append((t, parts[1]))
            }
        } else {
            guard let t = ResourceType.resolve(args[0]) else {
                out.fail("error: the server doesn't have a resource type \"\(args[0])\""); return out
            }
            if args.count == 1 {
                // `-l` or `--all` pick the objects of the type (kubectl's resource builder).
                guard selector != nil || all else { out.fail("error: resource(s) were provided, but no name was specified"); return out }
                let expression: LabelSelectorExpression
                do { expression = try LabelSelectorExpression.parse(selector ?? "") } catch {
                    out.fail("Error from server (BadRequest): Unable to find \(goQuote(t.gvr)) that match label selector \(goQuote(selector ?? "")), field selector \"\": \(error.message)")
                    return out
                }
                let names = t.kind == "Deployment" ? ctx.cluster.deployments.list(namespace: ctx.namespace).filter { expression.matches($0.metadata.labels) }.map(\.metadata.name)
                    : t.kind == "ReplicaSet" ? ctx.cluster.replicaSets.list(namespace: ctx.namespace).filter { expression.matches($0.metadata.labels) }.map(\.metadata.name)
                    : []
                guard !names.isEmpty || !(t.kind == "Deployment" || t.kind == "ReplicaSet") else { out.fail("error: no objects passed to scale"); return out }
                targets = names.isEmpty ? [(t, "")] : names.map { (t, $0) }
            } else {
                if selector != nil { out.fail("error: name cannot be provided when a selector is specified"); return out }
                targets = args.dropFirst().map { (t, $0) }
            }
        }
        // scale.go: the builder fetches every named object first; with none found the command
        // fails as "no objects passed to scale" + the lookup errors, otherwise the found ones are
        // scaled and each missing one is reported after them.
        var missing: [String] = []
        targets = targets.filter { t, name in
            guard t.kind == "Deployment" || t.kind == "ReplicaSet", !name.isEmpty else { return true }
            let found = t.kind == "Deployment" ? ctx.cluster.deployments.get(ctx.namespace, name) != nil : ctx.cluster.replicaSets.get(ctx.namespace, name) != nil
            if !found { missing.append("\(t.qualifiedResource) \(goQuote(name)) not found") }
            return found
        }
        if targets.isEmpty && !missing.isEmpty {
            out.fail("error: no objects passed to scale " + (missing.count == 1 ? missing[0] : "[" + missing.joined(separator: ", ") + "]"))
            return out
        }
        for (t, name) in targets {
            guard t.kind == "Deployment" || t.kind == "ReplicaSet" else {
                out.fail("error: no scaler has been implemented for {\"\(t.group)\" \"\(t.kind)\"}")
                continue
            }
            let existing: Int? = t.kind == "Deployment" ? ctx.cluster.deployments.get(ctx.namespace, name)?.desiredReplicas
                                                         : ctx.cluster.replicaSets.get(ctx.namespace, name)?.desiredReplicas
            if currentReplicas >= 0, let existing, existing != currentReplicas {
                out.fail("error: Expected replicas to be \(currentReplicas), was \(existing)")
                continue
            }
            var size = replicas
            if replicas > Int(Int32.max) {
                // Beyond int32 the count reaches the server: with a precondition kubectl sends a
                // Scale whose int32 wrapped (validation rejects a negative one); without, a merge
                // patch {"spec":{"replicas":N}} that cannot decode into the int32 field
                // (k8s.io/kubectl/pkg/scale ScaleSimple; apiserver handlers/patch.go).
                if currentReplicas >= 0 {
                    let wrapped = Int(Int32(truncatingIfNeeded: replicas))
                    if wrapped < 0 {
                        out.fail("The Scale \(goQuote(name)) is invalid: spec.replicas: Invalid value: \(wrapped): must be greater than or equal to 0")
                        continue
                    }
                    size = wrapped
                } else {
                    guard let scaleJSON = Self.scaleJSON(t.kind, namespace: ctx.namespace, name: name, replicas: replicas, cluster: ctx.cluster) else {
                        out.fail(t.notFound(name)); continue
                    }
                    out.fail("The request is invalid: patch: Invalid value: \(goQuote(scaleJSON)): json: cannot unmarshal number \(replicas) into Go struct field ScaleSpec.spec.replicas of type int32")
                    continue
                }
            }
            do {
                if dryRun == .none { try ctx.cluster.scale(kind: t.kind, namespace: ctx.namespace, name: name, replicas: size) }
                out.out("\(t.prefix)/\(name) scaled\(dryRun.suffix)")
            } catch {
                out.fail(error.kubectlMessage())
            }
        }
        for m in missing { out.fail("Error from server (NotFound): " + m) }
        return out
    }

    /// The Scale object after json-patch's merge: top-level keys sorted (it re-marshals a map),
    /// untouched members as the server wrote them.
    static func scaleJSON(_ kind: String, namespace: String, name: String, replicas: Int, cluster: Cluster) -> String? {
        let meta: ObjectMeta, current: Int, selector: LabelSelector?
        if kind == "Deployment", let d = cluster.deployments.get(namespace, name) {
            meta = d.metadata; current = d.status.replicas; selector = d.spec.selector
        } else if let rs = cluster.replicaSets.get(namespace, name) {
            meta = rs.metadata; current = rs.status.replicas; selector = rs.spec.selector
        } else { return nil }
        let sel = (try? (selector ?? LabelSelector()).expression())?.description ?? ""
        let metadata = "{\"name\":\(Value.jsonQuote(name)),\"namespace\":\(Value.jsonQuote(namespace)),\"uid\":\(Value.jsonQuote(meta.uid)),\"resourceVersion\":\(Value.jsonQuote(meta.resourceVersion)),\"creationTimestamp\":\(Value.jsonQuote(Timestamps.rfc3339(meta.creationTimestamp ?? 0)))}"
        return "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":\(metadata),\"spec\":{\"replicas\":\(replicas)},\"status\":{\"replicas\":\(current),\"selector\":\(Value.jsonQuote(sel))}}"
    }
}
