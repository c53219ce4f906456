import ArgumentParser
import ClusterEngine
import ClusterModel

/// `kubectl label` and `kubectl annotate` (reference §7.7): `key=value`, `key-`, `--overwrite`,
/// `-l`, `--all`, and the exact client- and server-side messages.
struct MetadataEdit {
    enum Field { case labels, annotations }
    let field: Field
    let overwrite: Bool
    var dryRun: DryRun = .none

    /// Splits the words into resource arguments and `key=value` / `key-` specs.
    static func split(_ words: [String]) -> (resources: [String], specs: [String]) {
        var resources: [String] = []
        var specs: [String] = []
        for w in words {
            if !specs.isEmpty || w.contains("=") || (w.hasSuffix("-") && !resources.isEmpty) { specs.append(w) } else { resources.append(w) }
        }
        return (resources, specs)
    }

    /// Parses specs into additions and removals (kubectl's parseLabels / parseAnnotations).
    func parse(_ specs: [String]) -> Result<([(String, String)], [String]), KubectlFailure> {
        var add: [(String, String)] = []
        var remove: [String] = []
        for spec in specs {
            if spec.contains("=") {
                let parts = spec.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
                if parts.count != 2 || (field == .labels && parts[0].isEmpty) {
                    return .failure(KubectlFailure("error: invalid \(field == .labels ? "label" : "annotation") spec: \(spec)"))
                }
                if field == .labels {
                    let msgs = NameRules.labelValue(parts[1])
                    if !msgs.isEmpty { return .failure(KubectlFailure("error: invalid label value: \(goQuote(spec)): \(msgs.joined(separator: "; "))")) }
                }
                add.append((parts[0], parts[1]))
            } else if spec.hasSuffix("-") {
                remove.append(String(spec.dropLast()))
            } else {
                return .failure(KubectlFailure("error: unknown \(field == .labels ? "label" : "annotation") spec: \(spec)"))
            }
        }
        for (k, _) in add where remove.contains(k) {
            return .failure(KubectlFailure("error: can not both modify and remove \(field == .labels ? "a label" : "an annotation") in the same command"))
        }
        return .success((add, remove))
    }

    func run(_ words: [String], selector: String?, all: Bool, allNamespaces: Bool, ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        let (resources, specs) = Self.split(words)
        // kubectl.1.33 (label.go Validate): no resource at all is refused first.
        if resources.isEmpty && selector == nil && !all {
            out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>")
            return out
        }
        if specs.isEmpty {
            out.fail("error: at least one \(field == .labels ? "label" : "annotation") update is required")
            return out
        }
        let parsed: ([(String, String)], [String])
        switch parse(specs) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(p): parsed = p
        }
        let targets: TargetSet
        switch TargetSet.resolve(resources, selector: selector, all: all, ctx: ctx, allNamespaces: allNamespaces) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(t): targets = t
        }
        for w in targets.warnings { out.err(w) }
        if targets.items.isEmpty && (selector != nil || all) {
            out.err("No resources found in \(ctx.namespace) namespace.")
            return out
        }
        let cluster = ctx.cluster
        for (t, ns, name) in targets.items {
            guard let meta = cluster.metadata(kind: t.kind, namespace: ns, name: name) else {
                out.fail(t.notFound(name))
                continue
            }
            let old = field == .labels ? meta.labels : meta.annotations
            var new = old
            if !overwrite {
                for (k, v) in parsed.0 where old[k] != nil && old[k] != v {
                    if field == .labels {
                        out.fail("error: '\(k)' already has a value (\(old[k]!)), and --overwrite is false")
                    } else {
                        out.fail("error: --overwrite is false but found the following declared annotation(s): '\(k)' already has a value (\(old[k]!))")
                    }
                    return out
                }
            }
            for k in parsed.1 {
                if new.removeValue(forKey: k) == nil && field == .labels { out.out("label \(goQuote(k)) not found.") }
            }
            for (k, v) in parsed.0 { new[k] = v }
            do throws(APIError) {
                if dryRun != .none {
                    // Nothing is written; the server's dry run still validates the result.
                    let causes = field == .labels ? Validation.labels(new, at: FieldPath("metadata.labels")) : Validation.annotations(new, at: FieldPath("metadata.annotations"))
                    if dryRun == .server && !causes.isEmpty { throw APIError.invalid(InvalidObjectError(kind: t.kind, name: name, causes: causes)) }
                } else if t.kind == "Node" {
                    try cluster.setNodeMetadata(name: name, labels: field == .labels ? new : nil, annotations: field == .annotations ? new : nil)
                } else {
                    try cluster.setMetadata(kind: t.kind, namespace: ns, name: name, labels: field == .labels ? new : nil, annotations: field == .annotations ? new : nil)
                }
            } catch {
                out.fail(error.kubectlMessage())
                continue
            }
            let verb: String
            if field == .annotations {
                verb = "annotated"
            } else if old == new {
                verb = "not labeled"
            } else {
                // kubectl says "unlabeled" only when --overwrite is off and the object got smaller.
                let size = { (m: [String: String]) in m.reduce(0) { $0 + $1.key.count + $1.value.count + 6 } }
                verb = !overwrite && size(new) < size(old) ? "unlabeled" : "labeled"
            }
            out.out("\(t.prefix)/\(name) \(verb)\(dryRun.suffix)")
        }
        return out
    }
}

/// Flags and words that `label` and `annotate` share.
struct MetadataOptions: ParsableArguments {
    @Flag(name: .customLong("overwrite")) var overwrite = false
    @Flag(name: .customLong("all")) var all = false
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Option(name: .customLong("dry-run")) var dryRunText: String?
    @Argument(parsing: .allUnrecognized) var args: [String] = []

    /// `key-` specs end in a dash; only words that look like flags are unknown flags.
    var positionals: [String] { args.filter { !$0.hasSuffix("-") || $0.hasPrefix("--") } }

    func run(_ field: MetadataEdit.Field, _ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        switch DryRun.parse(dryRunText) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(dryRun):
            return MetadataEdit(field: field, overwrite: overwrite, dryRun: dryRun).run(args, selector: selector, all: all, allNamespaces: allNamespaces, ctx: ctx)
        }
    }
}

struct LabelCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "label", abstract: "Update the labels on a resource.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MetadataOptions
    var positionals: [String] { options.positionals }
    var rawArguments: [String] { get { options.args } set { options.args = newValue } }
    func execute(_ ctx: KubectlContext) -> CommandOutput { options.run(.labels, ctx) }
}

struct AnnotateCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "annotate", abstract: "Update the annotations on a resource.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MetadataOptions
    var positionals: [String] { options.positionals }
    var rawArguments: [String] { get { options.args } set { options.args = newValue } }
    func execute(_ ctx: KubectlContext) -> CommandOutput { options.run(.annotations, ctx) }
}
