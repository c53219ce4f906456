import ArgumentParser
import ClusterEngine
import ClusterModel

/// `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`: the patch is applied to
/// the object's JSON, which is then decoded strictly and written like an update (so a patch
/// can change exactly what an update can, with the same validation messages).
struct PatchCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "patch", abstract: "Update fields of a resource.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("p"), .customLong("patch")]) var patch: String?
    @Option(name: .customLong("patch-file")) var patchFile: String?
    @Option(name: .customLong("type")) var type: String = "strategic"
    @Option(name: [.customShort("f"), .customLong("filename")]) var filenames: [String] = []
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Option(name: .customLong("subresource")) var subresource: String?
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        guard ["strategic", "merge", "json"].contains(type) else {
            out.fail("error: --type must be one of [json merge strategic], not \(goQuote(type))")
            return out
        }
        if let subresource, !["status", "scale"].contains(subresource) {
            // kubectl's validation (patch.go): the subresources it supports.
            out.fail("error: invalid subresource value: \(goQuote(subresource)). Must be one of [status scale]")
            return out
        }
        var text = patch
        if text == nil, let patchFile {
            switch ctx.session.readUserFile(patchFile) {
            case let .success(t): text = t
            case let .failure(.outside(message)): out.fail(message); return out
            case .failure(.notUTF8): out.fail(ManifestInputs.notUTF8(patchFile)); return out
            case .failure(.notFound): out.fail("error: unable to read patch file: open \(patchFile): no such file or directory"); return out
            }
        }
        guard let text, !text.isEmpty else {
            out.fail("error: must specify --patch or --patch-file containing the contents of the patch")
            return out
        }
        let patchValue: Value
        do throws(DocumentSyntaxError) {
            guard let v = try ValueLoader.documents(from: text).first else { throw DocumentSyntaxError("empty patch") }
            patchValue = v
        } catch {
            out.fail("error: unable to parse \(goQuote(text)): \(error.message)")
            return out
        }
        let targets: TargetSet
        switch TargetSet.resolve(args, selector: nil, all: false, ctx: ctx) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(t): targets = t
        }
        for w in targets.warnings { out.err(w) }
        for item in targets.items {
            let printed = "\(item.type.prefix)/\(item.name)"
            guard let current = ObjectLookup.value(item.type, namespace: item.namespace, name: item.name, cluster: ctx.cluster) else {
                out.fail(item.type.notFound(item.name))
                continue
            }
            let patched: Value
            switch type {
            case "merge": patched = Patch.merge(current, patchValue)
            case "json":
                do { patched = try Patch.json(current, patchValue) } catch {
                    out.fail("Error from server (UnprocessableEntity): \(error.message)"); continue
                }
            default:
                guard patchValue.objectValue != nil else {
                    out.fail("error: unable to parse \(goQuote(text)): json: cannot unmarshal array into Go value of type map[string]interface {}"); continue
                }
                patched = Patch.strategic(current, patchValue)
            }
            if patched == current {
                out.out("\(printed) patched (no change)")
                continue
            }
            if let subresource {
                patchSubresource(subresource, item: item, patched: patched, printed: printed, ctx: ctx, into: &out)
                continue
            }
            switch Manifest.decodeDocument(Patch.userFields(patched), source: "") {
            case let .failure(e):
                out.fail("Error from server (BadRequest): \(e.detailText)")
            case var .success(object):
                Defaults.dropEncodedDefaults(&object)
                ctx.update(object, saying: "\(printed) patched", into: &out)
            }
        }
        return out
    }

    /// `--subresource=status` on a pod: its conditions (readiness gates are set this way);
    /// `--subresource=scale`: spec.replicas. Other status writes are not modelled.
    func patchSubresource(_ subresource: String, item: (type: ResourceType, namespace: String, name: String), patched: Value, printed: String, ctx: KubectlContext, into out: inout CommandOutput) {
        do throws(APIError) {
            switch (subresource, item.type.kind) {
            case ("status", Pod.kind):
                try ctx.cluster.setPodGateConditions(namespace: item.namespace, name: item.name,
                                                     conditions: ManifestDecoder.podConditions(patched["status"]?["conditions"]))
            case ("scale", Deployment.kind), ("scale", ReplicaSet.kind):
                guard let replicas = patched["spec"]?["replicas"]?.intValue else { out.fail("error: svclab does not model this scale patch yet"); return }
                try ctx.cluster.scale(kind: item.type.kind, namespace: item.namespace, name: item.name, replicas: Int(replicas))
            default:
                out.fail("error: svclab does not model patching the \(subresource) of \(item.type.plural) yet")
                return
            }
            out.out("\(printed) patched")
        } catch {
            out.fail(error.kubectlMessage())
        }
    }
}
