import ArgumentParser
import ClusterModel

/// `kubectl api-resources` and `kubectl api-versions`: what the server serves, read from the
/// resource registry (the same descriptions decoding and `get` use). Layout and filters follow
/// kubectl 1.33's apiresources.go: sorted by group, then name; `-o wide` adds VERBS and
/// CATEGORIES; `-o name` prints `plural.group`.
struct APIResourcesCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "api-resources", abstract: "Print the supported API resources on the server.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Option(name: .customLong("api-group")) var apiGroup: String?
    @Option(name: .customLong("namespaced")) var namespaced: String?
    @Option(name: .customLong("verbs")) var verbs: [String] = []
    @Option(name: .customLong("categories")) var categories: [String] = []
    @Option(name: .customLong("sort-by")) var sortBy: String?
    @Flag(name: .customLong("no-headers")) var noHeaders = false
    @Flag(name: .customLong("cached")) var cached = false
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    /// Both commands take no arguments: kubectl's UsageErrorf.
    static func refuseArguments(_ args: [String], command: String) -> CommandOutput? {
        guard !args.isEmpty else { return nil }
        var out = CommandOutput()
        out.fail("error: unexpected arguments: [\(args.joined(separator: " "))]\nSee 'kubectl \(command) -h' for help and examples")
        return out
    }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        if let refusal = Self.refuseArguments(args, command: "api-resources") { return refusal }
        if let sortBy, !["", "name", "kind"].contains(sortBy) { out.fail("error: --sort-by accepts only name or kind"); return out }
        let format = output ?? ""
        guard ["", "wide", "name"].contains(format) else {
            out.fail(format == "json" || format == "yaml"
                     ? "error: svclab does not model \"kubectl api-resources -o \(format)\" yet (supported: wide, name)"
                     : "error: --output \(format) is not available")
            return out
        }
        var scope: Bool?
        if let namespaced {
            guard let b = Bool(namespaced.lowercased()) else {
                out.fail("error: invalid argument \"\(namespaced)\" for \"--namespaced\" flag: strconv.ParseBool: parsing \(goQuote(namespaced)): invalid syntax\nSee 'kubectl api-resources --help' for usage.")
                return out
            }
            scope = b
        }
        let wantedVerbs = verbs.flatMap { $0.split(separator: ",").map(String.init) }
        let wantedCategories = categories.flatMap { $0.split(separator: ",").map(String.init) }
        var resources = ResourceRegistry.all.filter { r in
            (apiGroup == nil || r.group == apiGroup) && (scope == nil || r.namespaced == scope)
                && Set(wantedVerbs).isSubset(of: r.verbs) && Set(wantedCategories).isSubset(of: r.categories)
        }
        // sort.Stable by group (or the --sort-by field), ties by name.
        let key: (ResourceDescription) -> String = sortBy == "name" ? { $0.plural } : sortBy == "kind" ? { $0.kind } : { $0.group }
        resources = resources.enumerated().sorted { a, b in
            let (x, y) = (key(a.element), key(b.element))
            if x != y { return x < y }
            if a.element.plural != b.element.plural { return a.element.plural < b.element.plural }
            return a.offset < b.offset
        }.map(\.element)
        if format == "name" {
            for r in resources { out.out(r.qualifiedResource) }
            return out
        }
        var lines: [String] = []
        if !noHeaders {
            lines.append((["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"] + (format == "wide" ? ["VERBS", "CATEGORIES"] : [])).joined(separator: "\t"))
        }
        for r in resources {
            var cells = [r.plural, r.shortNames.joined(separator: ","), r.apiVersion, String(r.namespaced), r.kind]
            if format == "wide" { cells += [r.verbs.joined(separator: ","), r.categories.joined(separator: ",")] }
            lines.append(cells.joined(separator: "\t"))
        }
        var tw = TabWriter()
        out.outRaw(tw.format(lines.joined(separator: "\n") + "\n"))
        return out
    }
}

struct APIVersionsCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "api-versions", abstract: "Print the supported API versions on the server, in the form of \"group/version\".")
    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        if let refusal = APIResourcesCommand.refuseArguments(args, command: "api-versions") { return refusal }
        for gv in ResourceRegistry.groupVersions { out.out(gv) }
        return out
    }
}
