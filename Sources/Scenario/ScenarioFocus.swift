import Foundation
import Kubectl

/// Which Service (or pod) a lesson step is about, when the step does not say `focus:`: the one
/// its expectation or challenge checks, or the one its command names. The lab selects it, so
/// the panes show what the narration talks about.
public enum ScenarioFocus {
    public static func inferred(_ step: Scenario.Step) -> Scenario.Focus? {
        switch step {
        case let .expect(p): return predicate(p)
        case let .challenge(c): return predicate(c.done) ?? c.solution.lazy.compactMap(command).first
        case let .run(line, _): return command(line)
        case .say, .sleep, .pause, .predict: return nil
        }
    }

    static func predicate(_ p: Scenario.Predicate) -> Scenario.Focus? {
        switch p {
        case let .endpoints(service, namespace, _, _, _), let .membership(service, namespace, _, _, _, _):
            return Scenario.Focus(kind: .service, name: service, namespace: namespace)
        case let .request(_, url, _, _): return host(url)
        case let .output(run, _): return command(run)
        case let .all(list): return list.lazy.compactMap(predicate).first
        case .pods: return nil
        }
    }

    /// `http://my-app`, `my-app.default.svc.cluster.local:8080/x` → svc my-app (namespace default).
    static func host(_ url: String) -> Scenario.Focus? {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host = rest.prefix { $0 != "/" && $0 != ":" }
        let labels = host.split(separator: ".").map(String.init)
        guard let name = labels.first, !name.isEmpty, !name.allSatisfy({ $0.isNumber }) else { return nil }
        return Scenario.Focus(kind: .service, name: name, namespace: labels.count > 1 && labels[1] != "svc" ? labels[1] : nil)
    }

    /// The Service (or pod) a command line names.
    static func command(_ text: String) -> Scenario.Focus? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, let parsed = try? ShellLine.parse(first), let words = parsed.stages.first, !words.isEmpty else { return nil }
        // A manifest typed in place: the Service it defines.
        if parsed.heredoc != nil, let service = serviceInManifest(lines.dropFirst()) { return service }
        var namespace: String?
        var plain: [String] = []
        var i = 1
        while i < words.count {
            let w = words[i]
            if w == "-n" || w == "--namespace", i + 1 < words.count { namespace = words[i + 1]; i += 2; continue }
            if w.hasPrefix("--namespace=") { namespace = String(w.dropFirst(12)) }
            else if w.hasPrefix("--name=") { return Scenario.Focus(kind: .service, name: String(w.dropFirst(7)), namespace: namespace) }
            else if !w.hasPrefix("-") { plain.append(w) }
            i += 1
        }
        if ["trace", "traffic"].contains(words[0]) { return plain.last.flatMap(host) }
        let serviceTypes: Set<String> = ["svc", "service", "services", "ep", "endpoints", "endpointslices", "eps"]
        for (j, w) in plain.enumerated() {
            let parts = w.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                if serviceTypes.contains(parts[0]) { return Scenario.Focus(kind: .service, name: parts[1], namespace: namespace) }
                if ["pod", "pods", "po"].contains(parts[0]) { return Scenario.Focus(kind: .pod, name: parts[1], namespace: namespace) }
            }
            guard j + 1 < plain.count else { continue }
            if serviceTypes.contains(w) && !plain[j + 1].contains("=") { return Scenario.Focus(kind: .service, name: plain[j + 1], namespace: namespace) }
            // `kubectl create service clusterip NAME`
            if w == "service", j + 2 < plain.count, ["clusterip", "nodeport", "loadbalancer", "externalname"].contains(plain[j + 1]) {
                return Scenario.Focus(kind: .service, name: plain[j + 2], namespace: namespace)
            }
        }
        // `kubectl expose deployment NAME` names a Service NAME unless --name says otherwise.
        if plain.first == "expose", plain.count >= 3 { return Scenario.Focus(kind: .service, name: plain[2], namespace: namespace) }
        for (j, w) in plain.enumerated() where ["pod", "pods", "po"].contains(w) && j + 1 < plain.count && !plain[j + 1].contains("=") {
            return Scenario.Focus(kind: .pod, name: plain[j + 1], namespace: namespace)
        }
        return nil
    }

    /// The first `kind: Service` document's name in a heredoc body.
    static func serviceInManifest<S: Sequence>(_ body: S) -> Scenario.Focus? where S.Element == String {
        var isService = false, name: String?, namespace: String?
        for line in body {
            if line.hasPrefix("---") {
                if isService, let name { return Scenario.Focus(kind: .service, name: name, namespace: namespace) }
                isService = false; name = nil; namespace = nil
            }
            let t = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("kind:") { isService = t == "kind: Service" }
            if line.hasPrefix("  name:") && name == nil { name = String(t.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("  namespace:") { namespace = String(t.dropFirst(10)).trimmingCharacters(in: .whitespaces) }
        }
        return isService ? name.map { Scenario.Focus(kind: .service, name: $0, namespace: namespace) } : nil
    }
}
