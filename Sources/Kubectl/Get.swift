import ArgumentParser
import ClusterModel
import ClusterEngine

/// `kubectl get`: tables with kubectl 1.33's columns, `-o wide|name`, `-l`, `-n`, `-A`, `--show-labels`.
struct GetCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Display one or many resources.")
    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false
    @Flag(name: .customLong("show-labels")) var showLabels = false
    @Option(name: [.customShort("L", allowingJoined: true), .customLong("label-columns")]) var labelColumns: [String] = []
    @Flag(name: [.customShort("w"), .customLong("watch")]) var watch = false
    @Flag(name: .customLong("watch-only")) var watchOnly = false
    @Flag(name: .customLong("output-watch-events")) var outputWatchEvents = false
    @Flag(name: .customLong("no-headers")) var noHeaders = false
    @Option(name: .customLong("sort-by")) var sortBy: String?
    @Option(name: .customLong("field-selector")) var fieldSelector: String?
    @Flag(name: .customLong("show-managed-fields")) var showManagedFields = false


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
        var jsonPath: JSONPath?
        var columns: [(header: String, path: JSONPath)]?
        let format = output.map { o in o.firstIndex(of: "=").map { String(o[..<$0]) } ?? o }
        let template = output.flatMap { o in o.firstIndex(of: "=").map { String(o[o.index(after: $0)...]) } }
        switch format {
        case nil, "": wide = false; namesOnly = false
        case "wide": wide = true; namesOnly = false
        case "name": wide = false; namesOnly = true
        case "yaml", "json": wide = false; namesOnly = false; structured = format
        case "jsonpath", "jsonpath-as-json":
            wide = false; namesOnly = false
            guard let template, !template.isEmpty else { out.fail("error: template format specified but no template given"); return out }
            do { jsonPath = try JSONPath(template) } catch {
                out.fail("error: error parsing jsonpath \(template), \(error.message)"); return out
            }
            structured = format
        case "custom-columns":
            wide = false; namesOnly = false
            guard let template, !template.isEmpty else { out.fail("error: custom-columns format specified but no custom columns given"); return out }
            columns = []
            for spec in template.split(separator: ",", omittingEmptySubsequences: false) {
                let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    out.fail("error: unexpected custom-columns spec: \(spec), expected <header>:<json-path-expr>"); return out
                }
                do { columns!.append((parts[0], try JSONPath.relaxed(parts[1]))) } catch {
                    out.fail("error: \(error.message)"); return out
                }
            }
        case let o?:
            if o.hasPrefix("go-template") || o.hasPrefix("template") || o.hasSuffix("-file") {
                out.fail("error: svclab does not model \"-o \(o)\" yet (supported: wide, name, yaml, json, jsonpath, custom-columns)")
            } else {
                out.fail("error: unable to match a printer suitable for the output format \"\(output!)\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")
            }
            return out
        }
        var sortKey: JSONPath?
        if let sortBy {
            do { sortKey = try JSONPath.relaxed(sortBy) } catch {
                out.fail("error: \(error.message)"); return out
            }
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
        // The API server's field selector rules (the same code `svclab serve` answers with).
        for r in requests {
            do { _ = try FieldSelector(fieldSelector, for: r.type) } catch {
                // kubectl wraps the server's reason in what it was looking for.
                out.fail(error.message.hasPrefix("invalid selector") ? "error: " + error.message
                         : "Error from server (BadRequest): Unable to find \(goQuote(r.type.gvr)) that match label selector \(goQuote(selector ?? "")), field selector \(goQuote(fieldSelector ?? "")): \(error.message)")
                return out
            }
        }
        for w in Set(requests.compactMap(\.type.warning)).sorted() { out.err("Warning: " + w) }
        if watch || watchOnly {
            guard requests.count == 1 else {
                out.fail("error: you may only specify a single resource type"); return out
            }
            return runWatch(requests[0], selector: parsedSelector, ctx: ctx, wide: wide, namesOnly: namesOnly, output: out)
        }

        let multi = requests.count > 1
        let printer = TableConvertor(now: ctx.cluster.now)
        if let structured, !(watch || watchOnly) {
            return printStructured(structured, jsonPath: jsonPath, sortKey: sortKey, requests: requests, selector: parsedSelector, ctx: ctx, printer: printer, output: out)
        }
        var printedTables = 0
        var errors: [String] = []
        let extraKeys = labelColumns.flatMap { $0.split(separator: ",").map(String.init) }
        func tableHeader(_ t: ResourceType, withNamespace: Bool) -> [String] {
            var header = TableConvertor.header(for: t, wide: wide)
            if withNamespace { header.insert("NAMESPACE", at: 0) }
            // -L KEY adds a column named after the key's last path segment, upper-cased.
            header += extraKeys.map { ($0.split(separator: "/").last.map(String.init) ?? $0).uppercased() }
            if showLabels { header.append("LABELS") }
            return header
        }
        for req in requests {
            let t = req.type
            let ns: String? = (allNamespaces || !t.namespaced) && req.names.isEmpty ? nil : (t.namespaced ? ctx.namespace : "")
            let withNamespace = allNamespaces && t.namespaced && req.names.isEmpty
            // A kind's table (`get pods`, `-A`, `-l`, `-o wide`, `-L`, `--show-labels`, several
            // kinds): written by the store straight into one buffer, nothing per object kept.
            // Names, custom columns, --sort-by and field selectors list objects first (below).
            if req.names.isEmpty && columns == nil && sortKey == nil && !namesOnly
                && ((try? FieldSelector(fieldSelector, for: t))?.isEmpty ?? false) {
                let header = tableHeader(t, withNamespace: withNamespace)
                let table = ctx.cluster.catalogTable(t, namespace: ns, wide: wide, header: noHeaders ? nil : header,
                                                     namespaceColumn: withNamespace, selector: parsedSelector,
                                                     namePrefix: multi && t.kind != "Event" ? t.prefix + "/" : nil,
                                                     labelColumns: extraKeys, showLabels: showLabels)
                guard table.rowCount > (noHeaders ? 0 : 1) else { continue }
                if printedTables > 0 { out.outRaw("\n") }
                out.outRaw(TabWriter().format(table: table))
                printedTables += 1
                continue
            }
            var items: [ListedObject]
            if req.names.isEmpty {
                items = list(t, namespace: ns, ctx: ctx, printer: printer, wide: wide)
                if !parsedSelector.isEmpty { items = items.filter { parsedSelector.matches($0.labels) } }
                if let sortKey {
                    if let sorted = Self.sortedIfAnyHas(items, by: sortKey) { items = sorted }
                    else if requests.count == 1 {
                        // kubectl 1.33: the sorter fails; the server-side table path swallows the
                        // error and prints nothing ("No resources found"), the other printers say it.
                        if namesOnly || columns != nil { out.fail(Self.missingSortField(sortKey)); return out }
                        items = []
                    }
                }
            } else {
                items = []
                for name in req.names {
                    if let o = list(t, namespace: ns, ctx: ctx, printer: printer, wide: wide, name: name).first { items.append(o) }
                    else { errors.append(t.notFound(name)) }
                }
            }
            if items.isEmpty {
                // kubectl 1.33 says "No resources found" only for its table printer: the name
                // printer prints nothing, custom-columns its header alone.
                if req.names.isEmpty && namesOnly { printedTables += 1 }
                if req.names.isEmpty, let columns {
                    if !noHeaders { out.out(columns.map(\.header).joined(separator: "   ")) }
                    printedTables += 1
                }
                continue
            }
            if namesOnly {
                for o in items { out.out("\(t.prefix)/\(o.name)") }
                printedTables += 1
                continue
            }
            if let columns {
                // Custom columns: one jsonpath per column, several results comma-joined, none `<none>`.
                var lines: [String] = noHeaders ? [] : [columns.map(\.header).joined(separator: "\t")]
                for o in items {
                    let v = o.value()
                    lines.append(columns.map { c in
                        let results = (try? c.path.values(v)) ?? []
                        return results.isEmpty ? "<none>" : results.map(Self.columnText).joined(separator: ",")
                    }.joined(separator: "\t"))
                }
                if printedTables > 0 { out.outRaw("\n") }
                var tw = TabWriter()
                out.outRaw(tw.format(lines.joined(separator: "\n") + "\n"))
                printedTables += 1
                continue
            }
            let header = tableHeader(t, withNamespace: withNamespace)
            var table = CellTable(columns: header.count, reservingRows: items.count + 1)
            if !noHeaders { table.append(row: header) }
            for o in items {
                if withNamespace { table.append(o.namespace) }
                if multi && t.kind != "Event" { table.append("\(t.prefix)/\(o.row[0])"); table.append(row: Array(o.row.dropFirst())) }
                else { table.append(row: o.row) }
                for key in extraKeys { table.append(o.labels[key] ?? "") }
                if showLabels { table.append(formatLabels(o.labels)) }
            }
            if printedTables > 0 { out.outRaw("\n") }
            out.outRaw(TabWriter().format(table: table))
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

    /// The object (or a List's items) without metadata.managedFields.
    static func withoutManagedFields(_ v: Value) -> Value {
        guard case var .object(pairs) = v else { return v }
        for i in pairs.indices {
            if pairs[i].0 == "metadata", case var .object(meta) = pairs[i].1 {
                meta.removeAll { $0.0 == "managedFields" }
                pairs[i].1 = .object(meta)
            } else if pairs[i].0 == "items", case let .array(items) = pairs[i].1 {
                pairs[i].1 = .array(items.map(withoutManagedFields))
            }
        }
        return .object(pairs)
    }

    /// `-o yaml|json`: one object as itself; several (or a list request) as a `List`.
    func printStructured(_ format: String, jsonPath: JSONPath? = nil, sortKey: JSONPath? = nil, requests: [Request], selector: LabelSelectorExpression, ctx: KubectlContext, printer: TableConvertor, output: CommandOutput) -> CommandOutput {
        var out = output
        var values: [Value] = []
        var errors: [String] = []
        var singleName = requests.count == 1 && requests[0].names.count == 1
        for req in requests {
            let t = req.type
            let ns: String? = (allNamespaces || !t.namespaced) && req.names.isEmpty ? nil : (t.namespaced ? ctx.namespace : "")
            if req.names.isEmpty {
                var items = list(t, namespace: ns, ctx: ctx, printer: printer, wide: false).filter { selector.matches($0.labels) }
                if let sortKey {
                    if let sorted = Self.sortedIfAnyHas(items, by: sortKey) { items = sorted }
                    else if requests.count == 1 { out.fail(Self.missingSortField(sortKey)); return out }
                }
                values += items.map { $0.value() }
            } else {
                for name in req.names {
                    if let o = list(t, namespace: ns, ctx: ctx, printer: printer, wide: false, name: name).first { values.append(o.value()) }
                    else { errors.append(t.notFound(name)); singleName = false }
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
        if let jsonPath {
            do {
                if format == "jsonpath-as-json" {
                    out.outRaw(StructuredPrinter.json(.array(try jsonPath.values(doc))))
                } else {
                    out.outRaw(try jsonPath.execute(doc))
                }
            } catch {
                out.fail("""
                error: error executing jsonpath \(goQuote(jsonPath.template)): Error executing template: \(error.message). Printing more information for debugging the template:
                \ttemplate was:
                \t\t\(jsonPath.template)
                \tobject given to jsonpath engine was:
                \t\t\(doc.jsonString(sortedKeys: true))

                """)
            }
        } else {
            // kubectl leaves managedFields out of yaml and json unless --show-managed-fields.
            let shown = showManagedFields ? doc : Self.withoutManagedFields(doc)
            out.outRaw(format == "json" ? StructuredPrinter.json(shown) : StructuredPrinter.yaml(shown))
        }
        for e in errors { out.err(e) }
        if !errors.isEmpty { out.exitCode = 1 }
        return out
    }

    static func missingSortField(_ key: JSONPath) -> String {
        "error: couldn't find any field with path \"\(key.template)\" in the list of objects"
    }

    /// `--sort-by`: kubectl's RuntimeSort — numbers by value, strings in natural order, objects
    /// without the field first; equal keys keep their listed order. nil when more than one object
    /// is listed and none has the field (kubectl's sorter then fails; each object's key is read
    /// once, as reading it builds the object's JSON).
    static func sortedIfAnyHas(_ items: [ListedObject], by key: JSONPath) -> [ListedObject]? {
        var keyed = items.map { o in (o, (try? key.values(o.value()))?.first) }
        if items.count > 1 && keyed.allSatisfy({ $0.1 == nil }) { return nil }
        // kubectl's TableSorter/RuntimeSort Less (sorter.go): an object without the field is
        // "less" than anything, numbers compare as numbers, strings naturally; sorted by Go's
        // (unstable) sort.Sort, so ties and missing fields come out in kubectl's order.
        GoSort.sort(&keyed) { a, b in
            guard let x = a.1 else { return true }
            guard let y = b.1 else { return false }
            if let p = x.number, let q = y.number { return p < q }
            return naturalLess(JSONPath.text(x), JSONPath.text(y))
        }
        return keyed.map(\.0)
    }

    /// A custom-columns cell: Go's `%v` of the value (maps as `map[k:v]`).
    static func columnText(_ v: Value) -> String {
        switch v {
        case let .object(pairs): return "map[" + pairs.sorted { $0.0 < $1.0 }.map { "\($0.0):\(columnText($0.1))" }.joined(separator: " ") + "]"
        case let .array(items): return "[" + items.map(columnText).joined(separator: " ") + "]"
        case .null: return "<nil>"
        default: return JSONPath.text(v)
        }
    }

    func list(_ t: ResourceType, namespace: String?, ctx: KubectlContext, printer _: TableConvertor, wide: Bool, name: String? = nil) -> [ListedObject] {
        let fields = (try? FieldSelector(fieldSelector, for: t)) ?? FieldSelector()
        // The cluster's catalog: the rows and JSON the HTTP API serves too (AGE as of now).
        return ctx.cluster.catalog(t, namespace: namespace, name: name).filter { fields.isEmpty || fields.matches($0) }.map { e in
            ListedObject(namespace: e.metadata.namespace, name: e.metadata.name, labels: e.metadata.labels, row: e.row(wide), value: e.value)
        }
    }
}

/// github.com/fvbommel/sortorder NaturalLess: digit runs compare as numbers.
func naturalLess(_ a: String, _ b: String) -> Bool {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    var i = 0, j = 0
    func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
    while i < x.count && j < y.count {
        if isDigit(x[i]) && isDigit(y[j]) {
            var si = i, sj = j
            while si < x.count && x[si] == "0" { si += 1 }
            while sj < y.count && y[sj] == "0" { sj += 1 }
            var ei = si, ej = sj
            while ei < x.count && isDigit(x[ei]) { ei += 1 }
            while ej < y.count && isDigit(y[ej]) { ej += 1 }
            if ei - si != ej - sj { return ei - si < ej - sj }
            for k in 0..<(ei - si) where x[si + k] != y[sj + k] { return x[si + k].value < y[sj + k].value }
            if ei - i != ej - j { return ei - i < ej - j }
            i = ei; j = ej
            continue
        }
        if x[i] != y[j] { return x[i].value < y[j].value }
        i += 1; j += 1
    }
    return x.count - i < y.count - j
}
