import ClusterEngine
import ClusterModel

/// Tab completion for the shell prompt: the shell's words, kubectl's commands (from the
/// command table), resource types, object names in the current namespace, and flags.
extension Session {
    public func completions(forLine line: String, word: String) -> [String] {
        let before = line.dropLast(word.count)
        let words = before.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func matching(_ candidates: [String]) -> [String] {
            var seen = Set<String>()
            return candidates.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
        }
        guard let first = words.first else { return matching(["kubectl", "sleep", "trace", "traffic", "why", "rules", "echo", "clear", "exit"]) }
        guard first == "kubectl" else { return [] }
        let positional = words.dropFirst().filter { !$0.hasPrefix("-") }
        guard let command = positional.first else { return matching(CommandTable.entries.map(\.name)) }
        // Every flag the command's parser declares (kubectl completes its global flags too).
        if word.hasPrefix("-") { return matching(CommandDeclarations.longNames(command)) }
        // `-n NAMESPACE` completes namespace names.
        if let last = words.last, last == "-n" || last == "--namespace" {
            return matching(cluster.namespaces.list(namespace: nil).map(\.metadata.name))
        }
        let typeNames = ResourceType.all.flatMap { [$0.plural] + $0.shortNames }
        var rest = Array(positional.dropFirst())
        if command == "rollout" || command == "set" {
            if rest.isEmpty { return matching(command == "rollout" ? RolloutCommand.subcommands : ["image"]) }
            rest.removeFirst()
        }
        if command == "create" && rest.isEmpty { return matching(["deployment", "service", "namespace"]) }
        // `TYPE/NAME`: names of that type.
        if let slash = word.firstIndex(of: "/"), let type = ResourceType.resolve(String(word[..<slash])) {
            let prefix = String(word[...slash])
            return matching(objectNames(type).map { prefix + $0 })
        }
        guard let typeWord = rest.first else { return matching(typeNames) }
        guard let type = ResourceType.resolve(typeWord.split(separator: ",").first.map(String.init) ?? typeWord) else { return [] }
        return matching(objectNames(type))
    }

    private func objectNames(_ type: ResourceType) -> [String] {
        let ns = type.namespaced ? namespace : nil
        switch type.kind {
        case "Pod": return cluster.pods.list(namespace: ns).map(\.metadata.name)
        case "Service": return cluster.services.list(namespace: ns).map(\.metadata.name)
        case "Endpoints": return cluster.endpoints.list(namespace: ns).map(\.metadata.name)
        case "EndpointSlice": return cluster.endpointSlices.list(namespace: ns).map(\.metadata.name)
        case "Deployment": return cluster.deployments.list(namespace: ns).map(\.metadata.name)
        case "ReplicaSet": return cluster.replicaSets.list(namespace: ns).map(\.metadata.name)
        case "Node": return cluster.nodes.list(namespace: nil).map(\.metadata.name)
        case "Namespace": return cluster.namespaces.list(namespace: nil).map(\.metadata.name)
        default: return cluster.storedObjects(kind: type.kind, namespace: ns).map(\.metadata.name)
        }
    }
}
