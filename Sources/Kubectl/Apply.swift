import ArgumentParser
import ClusterModel
import ClusterEngine

/// `kubectl apply -f FILE|DIR|-`: client-side apply. Creates what is missing; otherwise merges
/// the manifest into the live object using the last-applied-configuration annotation (so fields
/// set by others — scale, labels — survive) and prints `configured` or `unchanged`.
struct ApplyCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "Apply a configuration to a resource by file name or stdin.")
    static let requiredFlags: [String] = []
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("f", allowingJoined: true), .customLong("filename")]) var filenames: [String] = []
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Option(name: .customLong("validate")) var validate: String?
    @Option(name: .customLong("dry-run")) var dryRunText: String?
    @Flag(name: .customLong("server-side")) var serverSide = false
    @Flag(name: [.customShort("R"), .customLong("recursive")]) var recursive = false
    @Argument(parsing: .allUnrecognized) var extra: [String] = []
    var positionals: [String] { extra }
    var rawArguments: [String] { get { extra } set { extra = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        // kubectl.1.33: positional arguments are refused before a missing -f is.
        if !extra.isEmpty {
            out.fail("error: Unexpected args: [\(extra.joined(separator: " "))]\nSee 'kubectl apply -h' for help and examples")
            return out
        }
        if filenames.isEmpty {
            out.fail("error: must specify one of -f and -k")
            return out
        }
        let dryRun: DryRun
        switch DryRun.parse(dryRunText) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(d): dryRun = d
        }
        switch ManifestInputs.read(filenames, ctx: ctx) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(inputs): return ctx.session.apply(inputs, explicitNamespace: ctx.explicitNamespace, defaultNamespace: ctx.namespace, dryRun: dryRun)
        }
    }
}

/// An apply failure in kubectl's words. kubectl renders an Invalid error differently when it is
/// the only error (`The Service "x" is invalid: …`) and inside an aggregate of several
/// (`Error from server (Invalid): error when creating "f.yaml": Service "x" is invalid: […]`).
struct ApplyFailure: Error {
    var alone: String
    var inAggregate: String
    init(_ message: String) { alone = message; inAggregate = message }
    init(_ error: APIError, verb: String, source: String) {
        alone = error.kubectlMessage(verb: verb, source: source)
        inAggregate = "Error from server (\(error.reason)): error when \(verb) \(goQuote(source)): \(error.message)"
    }
}

/// kubectl's CheckErr for apply's collected errors.
func renderApplyErrors(_ errors: [ApplyFailure]) -> [String] {
    errors.count == 1 ? [errors[0].alone] : errors.map(\.inAggregate)
}

extension Session {
    /// Applies manifest texts as `kubectl apply -f` does: every document that decodes is applied,
    /// success lines first, then the collected errors in kubectl's single/aggregate form.
    /// Used by `kubectl apply` and by the demo setup.
    public func apply(_ inputs: [(text: String, source: String)], explicitNamespace: String?, defaultNamespace: String) -> CommandOutput {
        apply(inputs, explicitNamespace: explicitNamespace, defaultNamespace: defaultNamespace, dryRun: .none)
    }

    /// With `dryRun` nothing is stored: the lines say what would happen, `(dry run)` or
    /// `(server dry run)` (which also validates as the server would).
    func apply(_ inputs: [(text: String, source: String)], explicitNamespace: String?, defaultNamespace: String, dryRun: DryRun) -> CommandOutput {
        var out = CommandOutput()
        var errors: [ApplyFailure] = []
        var applied = 0
        for input in inputs {
            for doc in Manifest.documents(input.text, source: input.source) {
                switch doc.result {
                case let .failure(e): errors.append(ApplyFailure(e.kubectlMessage))
                case let .success(object):
                    switch applyOne(object, document: doc.value, source: input.source, explicitNamespace: explicitNamespace, defaultNamespace: defaultNamespace, dryRun: dryRun) {
                    case let .success(line): out.out(line); applied += 1
                    case let .failure(e): errors.append(e)
                    }
                }
            }
        }
        if applied == 0 && errors.isEmpty { errors.append(ApplyFailure("error: no objects passed to apply")) }
        for e in renderApplyErrors(errors) { out.err(e) }
        if !errors.isEmpty { out.exitCode = 1 }
        return out
    }

    static let lastAppliedKey = "kubectl.kubernetes.io/last-applied-configuration"

    /// One object of an apply. Returns the name-printer line or kubectl's error text.
    func applyOne(_ object: KubeObject, document: Value?, source: String, explicitNamespace: String?, defaultNamespace: String, dryRun: DryRun = .none) -> Result<String, ApplyFailure> {
        var object = object
        var meta = object.metadata
        // kubectl's applyOneObject: apply needs a name to find the live object.
        if meta.name.isEmpty && !meta.generateName.isEmpty {
            return .failure(ApplyFailure("error: from \(meta.generateName): cannot use generate name with apply"))
        }
        if object.namespaced {
            if let explicit = explicitNamespace, !meta.namespace.isEmpty, meta.namespace != explicit {
                return .failure(ApplyFailure("error: the namespace from the provided object \(goQuote(meta.namespace)) does not match the namespace \(goQuote(explicit)). You must pass '--namespace=\(meta.namespace)' to perform this operation."))
            }
            if meta.namespace.isEmpty { meta.namespace = defaultNamespace }
        }
        // last-applied-configuration: the manifest as kubectl sent it (namespace filled in), sorted JSON.
        if var doc = document {
            if object.namespaced, case var .object(pairs) = doc {
                if let i = pairs.firstIndex(where: { $0.0 == "metadata" }), case var .object(m) = pairs[i].1 {
                    if !m.contains(where: { $0.0 == "namespace" }) { m.append(("namespace", .string(meta.namespace))) }
                    // kubectl sets the annotation before serialising, so an empty map remains.
                    if !m.contains(where: { $0.0 == "annotations" }) { m.append(("annotations", .object([]))) }
                    pairs[i].1 = .object(m)
                }
                doc = .object(pairs)
            }
            meta.annotations[Self.lastAppliedKey] = doc.jsonString(sortedKeys: true) + "\n"
        }
        object.metadata = meta
        let prefix = "\(object.typePrefix)/\(meta.name)"
        let cluster = self.cluster
        if dryRun != .none {
            let live = cluster.get(kind: object.kind, namespace: meta.namespace, name: meta.name)
            if dryRun == .server {
                // The server validates (defaults first), then stores nothing.
                let checked = live.map { Self.mergeForApply(live: $0, manifest: object) } ?? object
                do { _ = try cluster.checkedForDryRun(checked) } catch {
                    return .failure(ApplyFailure(error, verb: live == nil ? "creating" : "applying patch", source: source))
                }
            }
            guard let live else { return .success("\(prefix) created\(dryRun.suffix)") }
            // kubectl's patch is empty when the manifest is what it applied last and the live
            // labels and annotations already hold it.
            let same = live.metadata.annotations[Self.lastAppliedKey] == meta.annotations[Self.lastAppliedKey]
                && meta.labels.allSatisfy { live.metadata.labels[$0.key] == $0.value }
            return .success("\(prefix) \(same ? "unchanged" : "configured")\(dryRun.suffix)")
        }
        guard let live = cluster.get(kind: object.kind, namespace: meta.namespace, name: meta.name) else {
            do {
                try cluster.create(object)
                return .success("\(prefix) created")
            } catch {
                return .failure(ApplyFailure(error, verb: "creating", source: source))
            }
        }
        let merged = Self.mergeForApply(live: live, manifest: object)
        do {
            let before = cluster.get(kind: object.kind, namespace: meta.namespace, name: meta.name)
            let after = try cluster.update(merged)
            return .success(after == before ? "\(prefix) unchanged" : "\(prefix) configured")
        } catch {
            return .failure(ApplyFailure(error, verb: "applying patch", source: source))
        }
    }

    /// The three-way merge reduced to what svclab models: labels and annotations keep keys others
    /// added (those not in the previous last-applied), the spec comes from the manifest, and a
    /// Deployment keeps its live replica count when neither manifest sets `replicas`.
    static func mergeForApply(live: KubeObject, manifest: KubeObject) -> KubeObject {
        let previous = live.metadata.annotations[lastAppliedKey].flatMap { try? ValueLoader.documents(from: $0).first }
        let previousLabels = Set(previous?["metadata"]?["labels"]?.objectValue?.map(\.0) ?? [])
        let previousAnnotations = Set(previous?["metadata"]?["annotations"]?.objectValue?.map(\.0) ?? [])
        var meta = manifest.metadata
        func merge(_ liveMap: [String: String], _ mine: [String: String], _ previouslyMine: Set<String>) -> [String: String] {
            var out = liveMap.filter { !previouslyMine.contains($0.key) || mine[$0.key] != nil }
            for (k, v) in mine { out[k] = v }
            return out
        }
        meta.labels = merge(live.metadata.labels, manifest.metadata.labels, previousLabels)
        meta.annotations = merge(live.metadata.annotations, manifest.metadata.annotations, previousAnnotations.union([lastAppliedKey]))
        var result = manifest
        result.metadata = meta
        if case var .deployment(d) = result, case let .deployment(l) = live, d.spec.replicas == nil {
            let hadReplicas = previous?["spec"]?["replicas"] != nil
            d.spec.replicas = hadReplicas ? 1 : l.spec.replicas
            result = .deployment(d)
        }
        return result
    }
}

import Foundation
