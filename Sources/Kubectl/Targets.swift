import ClusterEngine
import ClusterModel

/// Resolving `TYPE NAME…`, `TYPE/NAME…`, `TYPE -l SELECTOR` and `TYPE --all` into objects, the way
/// kubectl's resource builder does for label, annotate and delete.
struct TargetSet {
    var items: [(type: ResourceType, namespace: String, name: String)] = []
    var errors: [String] = []
    /// The kinds asked for (whether or not any object matched).
    var types: [ResourceType] = []

    /// What the API server warns about these kinds, once each, as kubectl prints it.
    var warnings: [String] {
        var seen = Set<String>()
        return types.compactMap(\.warning).filter { seen.insert($0).inserted }.map { "Warning: " + $0 }
    }

    /// `args` are the positional words that name resources (flags and label specs removed).
    static func resolve(_ args: [String], selector: String?, all: Bool, ctx: KubectlContext, allNamespaces: Bool = false) -> Result<TargetSet, KubectlFailure> {
        var set = TargetSet()
        guard let first = args.first else {
            return .failure(KubectlFailure("""
            error: You must provide one or more resources by argument or filename.
            Example resource specifications include:
               '-f rsrc.yaml'
               '--filename=rsrc.json'
               '<resource> <name>'
               '<resource>'
            """))
        }
        func ns(_ t: ResourceType) -> String { t.namespaced ? ctx.namespace : "" }
        if first.contains("/") {
            for a in args {
                let parts = a.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let t = ResourceType.resolve(parts[0]) else {
                    return .failure(KubectlFailure("error: the server doesn't have a resource type \"\(a.split(separator: "/").first ?? "")\""))
                }
                set.items.append((t, ns(t), parts[1]))
                if !set.types.contains(t) { set.types.append(t) }
            }
            return .success(set)
        }
        var types: [ResourceType] = []
        for name in first.split(separator: ",").map(String.init) {
            guard let t = ResourceType.resolve(name) else { return .failure(KubectlFailure("error: the server doesn't have a resource type \"\(name)\"")) }
            types.append(t)
        }
        set.types = types
        let names = Array(args.dropFirst())
        if names.isEmpty {
            guard selector != nil || all else {
                return .failure(KubectlFailure("error: resource(s) were provided, but no name was specified"))
            }
            var sel = LabelSelectorExpression.everything
            if let selector {
                do { sel = try LabelSelectorExpression.parse(selector) } catch {
                    return .failure(KubectlFailure("Error from server (BadRequest): Unable to find \(goQuote(types[0].gvr)) that match label selector \(goQuote(selector)), field selector \"\": \(error.message)"))
                }
            }
            let d = Describer(cluster: ctx.cluster)
            for t in types {
                for (n, name) in d.names(t, namespace: allNamespaces || !t.namespaced ? nil : ns(t), selector: sel) {
                    set.items.append((t, n, name))
                }
            }
            return .success(set)
        }
        if selector != nil { return .failure(KubectlFailure("error: name cannot be provided when a selector is specified")) }
        for t in types { for n in names { set.items.append((t, ns(t), n)) } }
        return .success(set)
    }
}

struct KubectlFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// `-f FILE|DIR|-` as kubectl's builder reads it: stdin (heredoc), a directory's .yaml/.yml/.json
/// files in name order, or one file; paths are relative to the session's folder.
enum ManifestInputs {
    static func read(_ filenames: [String], ctx: KubectlContext) -> Result<[(text: String, source: String)], KubectlFailure> {
        read(filenames, session: ctx.session, stdin: ctx.stdin)
    }

    /// Also what a recording inlines (`Session.inlineFiles`): the same files, in the same order.
    static func read(_ filenames: [String], session: Session, stdin: String?) -> Result<[(text: String, source: String)], KubectlFailure> {
        var inputs: [(text: String, source: String)] = []
        for f in filenames {
            if f == "-" { inputs.append((stdin ?? "", "STDIN")); continue }
            if f.hasPrefix("http://") || f.hasPrefix("https://") {
                return .failure(KubectlFailure("error: unable to read URL \"\(f)\", server reported: svclab has no network access to fetch manifests"))
            }
            switch session.listUserDirectory(f) {
            case let .failure(.outside(message))?: return .failure(KubectlFailure(message))
            case let .success(entries)?:
                for e in entries where e.hasSuffix(".yaml") || e.hasSuffix(".yml") || e.hasSuffix(".json") {
                    let name = (f as NSString).appendingPathComponent(e)
                    switch session.readUserFile(name) {
                    case let .success(text): inputs.append((text, name))
                    case let .failure(.outside(message)): return .failure(KubectlFailure(message))
                    case .failure(.notUTF8): return .failure(KubectlFailure(notUTF8(name)))
                    case .failure: continue
                    }
                }
                continue
            default: break
            }
            let text: String
            switch session.readUserFile(f) {
            case let .success(t): text = t
            case let .failure(.outside(message)): return .failure(KubectlFailure(message))
            case .failure(.notUTF8): return .failure(KubectlFailure(notUTF8(f)))
            case .failure(.notFound): return .failure(KubectlFailure("error: the path \"\(f)\" does not exist"))
            }
            inputs.append((text, f))
        }
        return .success(inputs)
    }

    /// A binary or UTF-16 file: say what is wrong with it rather than that it is missing.
    static func notUTF8(_ name: String) -> String {
        "error: error parsing \(name): the file is not valid UTF-8 YAML or JSON"
    }
}

import Foundation
