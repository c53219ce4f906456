import ArgumentParser
import ClusterModel
import ClusterEngine

/// `kubectl get`: tables with kubectl 1.33's columns, `-o wide|name`, `-l`, `-n`, `-A`, `--show-labels`.
struct GetCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Display one or many resources.")
    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false
    @Flag(name: .customLong("show-labels")) var showLabels = false
    @Option(name: [.customShort("L", allowingJoined: true), .customLong("label-columns")]) var labelColumns: [String] = []
    @Flag(name: [.customShort("w"), .customLong("watch")]) var watch = false
    @Flag(name: .customLong("watch-only")) var watchOnly = false
    @Flag(name: .customLong("output-watch-events")) var outputWatchEvents = false
    @Flag(name: .customLong("no-headers")) var noHeaders = false

    static let endpointsWarning = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"

    /// One requested resource: a type and, optionally, names.
    struct Request { var type: ResourceType; var names: [String] }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        if args.isEmpty {
            out.fail("""
            You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

            error: Required resource not specified.
            Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
            See 'kubectl get -h' for help and examples
            """)
            return out
        }
        let wide: Bool
        let namesOnly: Bool
        var structured: String?
        switch output {
        case nil, "": wide = false; namesOnly = false
        case "wide": wide = true; namesOnly = false
        case "name": wide = false; namesOnly = true
        case "yaml", "json": wide = false; namesOnly = false; structured = output
        case let o?:
            if o.hasPrefix("jsonpath") || o.hasPrefix("custom-columns") || o.hasPrefix("go-template") {
                out.fail("error: svclab does not model \"-o \(o.split(separator: "=").first!)\" yet (supported: wide, name, yaml, json)")
            } else {
                out.fail("error: unable to match a printer suitable for the output format \"\(o)\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")
            }
            return out
        }

        // Resolve the requested types and names.
        var requests: [Request] = []
        if args.contains(where: { $0.contains("/") }) {
            for a in args {
                guard let slash = a.firstIndex(of: "/") else {
                    out.fail("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
                    return out
                }
                let typeName = String(a[..<slash]), name = String(a[a.index(after: slash)...])
                guard let t = ResourceType.resolve(typeName) else {
                    out.fail("error: the server doesn't have a resource type \"\(typeName)\""); return out
                }
                if let i = requests.firstIndex(where: { $0.type == t }) { requests[i].names.append(name) }
                else { requests.append(Request(type: t, names: [name])) }
            }
        } else {
            var types: [ResourceType] = []
            for typeName in args[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                if typeName == "all" { types.append(contentsOf: ResourceType.allCategory); continue }
                guard let t = ResourceType.resolve(typeName) else {
                    out.fail("error: the server doesn't have a resource type \"\(typeName)\""); return out
                }
                if !types.contains(t) { types.append(t) }
            }
            let names = Array(args.dropFirst())
            if !names.isEmpty && types.count > 1 && args[0].contains(",") == false {
                out.fail("error: you may only specify a single resource type"); return out
            }
            requests = types.map { Request(type: $0, names: names) }
        }
        if selector != nil && requests.contains(where: { !$0.names.isEmpty }) {
            out.fail("error: name cannot be provided when a selector is specified"); return out
        }
        var parsedSelector = LabelSelectorExpression.everything
        if let selector {
            do { parsedSelector = try LabelSelectorExpression.parse(selector) } catch {
                out.fail("Error from server (BadRequest): Unable to find \(goQuote(requests[0].type.gvr)) that match label selector \(goQuote(selector)), field selector \"\": \(error.message)")
                return out
            }
        }
        if requests.contains(where: { $0.type.kind == "Endpoints" }) { out.err(Self.endpointsWarning) }
        if watch || watchOnly {
            guard requests.count == 1 else {
                out.fail("error: you may only specify a single resource type"); return out
            }
            return runWatch(requests[0], selector: parsedSelector, ctx: ctx, wide: wide, namesOnly: namesOnly, output: out)
        }

        let multi = requests.count > 1
        let printer = TablePrinter(cluster: ctx.cluster)
        if let structured, !(watch || watchOnly) {
            return printStructured(structured, requests: requests, selector: parsedSelector, ctx: ctx, printer: printer, output: out)
        }
        var printedTables = 0
        var errors: [String] = []
        for req in requests {
            let t = req.type
            let ns: String? = (allNamespaces || !t.namespaced) && req.names.isEmpty ? nil : (t.namespaced ? ctx.namespace : "")
            var items: [ListedObject]
            if req.names.isEmpty {
                items = list(t, namespace: ns, ctx: ctx, printer: printer, wide: wide).filter { parsedSelector.matches($0.labels) }
            } else {
                items = []
                for name in req.names {
                    if let o = list(t, namespace: ns, ctx: ctx, printer: printer, wide: wide, name: name).first { items.append(o) }
                    else { errors.append("Error from server (NotFound): \(t.group.isEmpty ? t.plural : "\(t.plural).\(t.group)") \(goQuote(name)) not found") }
                }
            }
            if items.isEmpty { continue }
            if namesOnly {
                for o in items { out.out("\(t.prefix)/\(o.name)") }
                printedTables += 1
                continue
            }
            let withNamespace = allNamespaces && t.namespaced && req.names.isEmpty
            var header = TablePrinter.header(for: t, wide: wide)
            if withNamespace { header.insert("NAMESPACE", at: 0) }
            let extraKeys = labelColumns.flatMap { $0.split(separator: ",").map(String.init) }
            // -L KEY adds a column named after the key's last path segment, upper-cased.
            header += extraKeys.map { ($0.split(separator: "/").last.map(String.init) ?? $0).uppercased() }
            if showLabels { header.append("LABELS") }
            var lines: [String] = noHeaders ? [] : [header.joined(separator: "\t")]
            for o in items {
                var row = o.row
                if multi && t.kind != "Event" { row[0] = "\(t.prefix)/\(row[0])" }
                if withNamespace { row.insert(o.namespace, at: 0) }
                row += extraKeys.map { o.labels[$0] ?? "" }
                if showLabels { row.append(formatLabels(o.labels)) }
                lines.append(row.joined(separator: "\t"))
            }
            if printedTables > 0 { out.outRaw("\n") }
            var tw = TabWriter()
            out.outRaw(tw.format(lines.joined(separator: "\n") + "\n"))
            printedTables += 1
        }
        for e in errors { out.err(e) }
        if !errors.isEmpty { out.exitCode = 1 }
        if printedTables == 0 && errors.isEmpty {
            let scoped = requests.allSatisfy { $0.type.namespaced } && !allNamespaces
            out.err(scoped ? "No resources found in \(ctx.namespace) namespace." : "No resources found")
        }
        return out
    }

    struct ListedObject {
        var namespace: String
        var name: String
        var labels: [String: String]
        var row: [String]
        var value: () -> Value = { .null }
    }

    /// `-o yaml|json`: one object as itself; several (or a list request) as a `List`.
    func printStructured(_ format: String, requests: [Request], selector: LabelSelectorExpression, ctx: KubectlContext, printer: TablePrinter, output: CommandOutput) -> CommandOutput {
        var out = output
        var values: [Value] = []
        var errors: [String] = []
        var singleName = requests.count == 1 && requests[0].names.count == 1
        for req in requests {
            let t = req.type
            let ns: String? = (allNamespaces || !t.namespaced) && req.names.isEmpty ? nil : (t.namespaced ? ctx.namespace : "")
            if req.names.isEmpty {
                values += list(t, namespace: ns, ctx: ctx, printer: printer, wide: false).filter { selector.matches($0.labels) }.map { $0.value() }
            } else {
                for name in req.names {
                    if let o = list(t, namespace: ns, ctx: ctx, printer: printer, wide: false, name: name).first { values.append(o.value()) }
                    else { errors.append("Error from server (NotFound): \(t.group.isEmpty ? t.plural : "\(t.plural).\(t.group)") \(goQuote(name)) not found"); singleName = false }
                }
            }
        }
        if !(singleName && values.count == 1) && values.isEmpty && !errors.isEmpty {
            for e in errors { out.err(e) }
            out.exitCode = 1
            return out
        }
        let doc: Value = singleName && values.count == 1 ? values[0]
            : .object([("apiVersion", .string("v1")), ("items", .array(values)), ("kind", .string("List")),
                       ("metadata", .object([("resourceVersion", .string(""))]))])
        out.outRaw(format == "json" ? StructuredPrinter.json(doc) : StructuredPrinter.yaml(doc))
        for e in errors { out.err(e) }
        if !errors.isEmpty { out.exitCode = 1 }
        return out
    }

    func list(_ t: ResourceType, namespace: String?, ctx: KubectlContext, printer: TablePrinter, wide: Bool, name: String? = nil) -> [ListedObject] {
        let c = ctx.cluster
        func pick<T: KubeResource>(_ store: TypedStore<T>, _ row: (T) -> [String], _ encode: @escaping (T) -> Value) -> [ListedObject] {
            let objects: [T]
            if let name { objects = store.get(namespace ?? "", name).map { [$0] } ?? [] }
            else { objects = store.list(namespace: namespace) }
            return objects.map { o in ListedObject(namespace: o.metadata.namespace, name: o.metadata.name, labels: o.metadata.labels, row: row(o), value: { encode(o) }) }
        }
        switch t.kind {
        case "Pod": return pick(c.pods, { printer.podRow($0, wide: wide) }, ObjectEncoder.pod)
        case "Service": return pick(c.services, { printer.serviceRow($0, wide: wide) }, ObjectEncoder.service)
        case "Endpoints": return pick(c.endpoints, { printer.endpointsRow($0) }, ObjectEncoder.endpoints)
        case "EndpointSlice": return pick(c.endpointSlices, { printer.sliceRow($0) }, ObjectEncoder.endpointSlice)
        case "Deployment": return pick(c.deployments, { printer.deploymentRow($0, wide: wide) }, ObjectEncoder.deployment)
        case "ReplicaSet": return pick(c.replicaSets, { printer.replicaSetRow($0, wide: wide) }, ObjectEncoder.replicaSet)
        case "Node": return pick(c.nodes, { printer.nodeRow($0, wide: wide) }, ObjectEncoder.node)
        case "Namespace": return pick(c.namespaces, { printer.namespaceRow($0) }, ObjectEncoder.namespace)
        case "Event": return pick(c.events, { printer.eventRow($0, wide: wide) }, ObjectEncoder.event)
        default: return []
        }
    }
}
