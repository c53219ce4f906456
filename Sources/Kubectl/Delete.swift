import ArgumentParser
import ClusterEngine
import ClusterModel
import Foundation

/// `kubectl delete` by name, `TYPE/NAME`, `-l`, `--all`, `-f`; pods go through Terminating and,
/// as kubectl waits by default, the virtual clock runs until they are gone.
struct DeleteCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete resources by file names, stdin, resources and names, or by resources and label selector.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("f", allowingJoined: true), .customLong("filename")]) var filenames: [String] = []
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Flag(name: .customLong("all")) var all = false
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false
    @Option(name: .customLong("grace-period")) var gracePeriod: Int = -1
    @Flag(name: .customLong("force")) var force = false
    @Flag(name: .customLong("now")) var now = false
    @Option(name: .customLong("wait")) var wait: Bool = true
    @Flag(name: .customLong("ignore-not-found")) var ignoreNotFound = false
    @Option(name: .customLong("dry-run")) var dryRunText: String?
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
        var grace: Int64? = gracePeriod >= 0 ? Int64(gracePeriod) : nil
        if now { grace = 1 }
        if force && grace == nil { grace = 0 }
        if force && grace == 0 {
            out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.")
        }
        var items: [(ResourceType, String, String)] = []
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
                    case let .success(o):
                        guard let t = ResourceType.resolve(o.kind) else { continue }
                        let ns = o.namespaced ? (o.metadata.namespace.isEmpty ? ctx.namespace : o.metadata.namespace) : ""
                        items.append((t, ns, o.metadata.name))
                    }
                }
            }
        } else {
            switch TargetSet.resolve(args, selector: selector, all: all, ctx: ctx, allNamespaces: allNamespaces) {
            case let .failure(f): out.fail(f.message); return out
            case let .success(set):
                items = set.items.map { ($0.type, $0.namespace, $0.name) }
                for w in set.warnings { out.err(w) }
            }
            if items.isEmpty {
                out.err(allNamespaces ? "No resources found" : "No resources found")
                return out
            }
        }
        let cluster = ctx.cluster
        var waitFor: [(ResourceType, String, String)] = []
        for (t, ns, name) in items {
            let kindName = t.kind == "Event" || t.kind == "Node" ? nil : t.kind
            guard let kind = kindName else {
                out.fail("error: svclab does not model deleting \(t.plural) yet"); continue
            }
            do throws(APIError) {
                let what = "\(t.prefix) \(goQuote(name))"
                // delete.go: a client dry run asks nothing of the server (not even whether the
                // object exists); a server dry run does everything but the delete.
                if dryRun == .server, cluster.get(kind: kind, namespace: ns, name: name) == nil, cluster.metadata(kind: kind, namespace: ns, name: name) == nil {
                    throw APIError.notFound(resource: KubeObjectKinds.qualifiedResource(kind), name: name)
                }
                if dryRun != .none { out.out("\(what) deleted\(dryRun.suffix)"); continue }
                try cluster.delete(kind: kind, namespace: ns, name: name, gracePeriodSeconds: grace)
                out.out(force && grace == 0 ? "\(what) force deleted" : "\(what) deleted")
                waitFor.append((t, ns, name))
            } catch {
                if ignoreNotFound, case .notFound = error { continue }
                out.fail(error.kubectlMessage())
            }
        }
        // --wait (the default): block until the objects are gone, on the virtual clock.
        if wait {
            let deadline = cluster.now + 3_600_000
            while waitFor.contains(where: { cluster.get(kind: $0.0.kind, namespace: $0.1, name: $0.2) != nil }),
                  let next = cluster.nextTimerDue, next <= deadline {
                cluster.advance(to: next)
            }
        }
        return out
    }
}
