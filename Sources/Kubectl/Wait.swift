import ArgumentParser
import ClusterEngine
import ClusterModel

/// `kubectl wait --for=condition=Ready|delete|create|jsonpath=… TYPE NAME|-l SEL|--all` (kubectl-output §5.3):
/// each object in turn, the virtual clock advancing until its condition holds or `--timeout` (30s) passes.
struct WaitCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Experimental: Wait for a specific condition on one or many resources.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("for")) var condition: String?
    @Option(name: .customLong("timeout")) var timeout: String?
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Flag(name: .customLong("all")) var all = false
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    enum Condition {
        case delete, create
        case condition(name: String, value: String)
        case jsonPath(JSONPath, value: String?)
    }

    static func parseCondition(_ text: String) -> Result<Condition, KubectlFailure> {
        let lower = text.lowercased()
        if lower == "delete" { return .success(.delete) }
        if lower == "create" { return .success(.create) }
        if lower.hasPrefix("condition=") {
            let rest = text.dropFirst("condition=".count)
            let parts = rest.split(separator: "=", maxSplits: 1).map(String.init)
            guard let name = parts.first, !name.isEmpty else { return .failure(KubectlFailure("error: unrecognized condition: \(goQuote(text))")) }
            return .success(.condition(name: name, value: parts.count > 1 ? parts[1] : "true"))
        }
        if lower.hasPrefix("jsonpath=") {
            let rest = String(text.dropFirst("jsonpath=".count))
            var expression = rest, value: String?
            if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
                expression = String(rest[...close])
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix("=") { value = String(after.dropFirst()) }
                else if !after.isEmpty { return .failure(KubectlFailure("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'")) }
            } else if let eq = rest.firstIndex(of: "=") {
                expression = String(rest[..<eq]); value = String(rest[rest.index(after: eq)...])
            }
            do { return .success(.jsonPath(try JSONPath.relaxed(expression), value: value)) } catch {
                return .failure(KubectlFailure("error: \(error.message)"))
            }
        }
        return .failure(KubectlFailure("error: unrecognized condition: \(goQuote(text))"))
    }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        guard let condition else {
            // kubectl.1.33 without --for: the empty condition is what it refuses.
            out.fail("error: unrecognized condition: \"\"")
            return out
        }
        let wanted: Condition
        switch Self.parseCondition(condition) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(c): wanted = c
        }
        let limit: Millis
        switch TimeoutFlag.millis(timeout, default: 30_000) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(ms): limit = ms
        }
        let targets: TargetSet
        switch TargetSet.resolve(args, selector: selector, all: all, ctx: ctx, allNamespaces: allNamespaces) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(t): targets = t
        }
        if targets.items.isEmpty {
            out.fail("error: no matching resources found"); return out
        }
        var driver = ClockDriver(ctx: ctx)
        var errors: [String] = []
        for item in targets.items {
            let printed = "\(item.type.prefix)/\(item.name)"
            let initial = ObjectLookup.value(item.type, namespace: item.namespace, name: item.name, cluster: ctx.cluster)
            let uid = initial.flatMap { $0["metadata"]?["uid"]?.stringValue }
            if initial == nil {
                switch wanted {
                case .delete: continue
                case .create: break
                default:
                    errors.append(item.type.notFound(item.name))
                    continue
                }
            }
            let holds: () -> Bool = {
                let now = ObjectLookup.value(item.type, namespace: item.namespace, name: item.name, cluster: ctx.cluster)
                switch wanted {
                case .delete: return now == nil || now?["metadata"]?["uid"]?.stringValue != uid
                case .create: return now != nil
                case let .condition(name, value): return now.map { Self.conditionHolds($0, name: name, value: value) } ?? false
                case let .jsonPath(path, value):
                    guard let now, let results = try? path.values(now), !results.isEmpty else { return false }
                    guard let value else { return true }
                    return results.count == 1 && JSONPath.text(results[0]) == value
                }
            }
            switch driver.run(limit: limit, done: holds) {
            case .done: driver.emit(.stdout, "\(printed) condition met\n")
            case .interrupted: return driver.output
            case .timedOut:
                let plural = item.type.plural
                errors.append("timed out waiting for the condition on \(plural)/\(item.name)")
            }
        }
        out = driver.output
        if errors.count == 1 {
            out.fail(errors[0].hasPrefix("Error from server") ? errors[0] : "error: " + errors[0])
        } else if errors.count > 1 {
            for e in errors { out.err(e) }
            out.exitCode = 1
        }
        return out
    }

    /// ConditionalWait: `status.conditions[type=NAME].status == VALUE` (both case-insensitive),
    /// once the controller has observed the current generation.
    static func conditionHolds(_ object: Value, name: String, value: String) -> Bool {
        if let generation = object["metadata"]?["generation"]?.intValue,
           let observed = object["status"]?["observedGeneration"]?.intValue, observed < generation { return false }
        for c in object["status"]?["conditions"]?.arrayValue ?? [] {
            guard c["type"]?.stringValue?.lowercased() == name.lowercased() else { continue }
            return c["status"]?.stringValue?.lowercased() == value.lowercased()
        }
        return false
    }
}

/// One object as the API would return it (the JSON `-o json` prints), by resource type.
enum ObjectLookup {
    static func value(_ t: ResourceType, namespace: String, name: String, cluster: Cluster) -> Value? {
        cluster.catalog(t, namespace: namespace, name: name).first?.value()
    }
}
