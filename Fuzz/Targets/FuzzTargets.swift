import ClusterEngine
import ClusterModel
import Kubectl
import Scenario

/// What the fuzzers check, shared by the libFuzzer harness (`svclab-fuzz`, Fuzz/run) and the
/// regression test that replays Fuzz/corpus in `swift test`: a parser may reject its input, but
/// only with a message, and a rejected manifest must leave the cluster untouched.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case manifest, selector, shell, scenario

    /// A broken promise, with the input that broke it.
    public struct Finding: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs one input. `cluster` keeps its state between inputs, as a session does.
    public func run(_ input: String, cluster: Cluster) throws(Finding) {
        switch self {
        case .manifest:
            for result in Manifest.load(input, source: "fuzz.yaml") {
                switch result {
                case let .failure(error):
                    if error.kubectlMessage.isEmpty { throw Finding(description: "manifest rejected without a message") }
                case let .success(object):
                    let before = cluster.resourceVersion
                    do {
                        _ = try cluster.create(object)
                        let ns = object.metadata.namespace.isEmpty ? "default" : object.metadata.namespace
                        try? cluster.delete(kind: object.kind, namespace: ns, name: object.metadata.name)
                    } catch {
                        if error.kubectlMessage().isEmpty { throw Finding(description: "create rejected without a message") }
                        if cluster.resourceVersion != before { throw Finding(description: "a rejected create changed the cluster") }
                    }
                }
            }
        case .selector:
            do { _ = try LabelSelectorExpression.parse(input) } catch {
                if error.message.isEmpty { throw Finding(description: "selector rejected without a message") }
            }
        case .shell:
            do { _ = try ShellLine.parse(input) } catch {
                if error.message.isEmpty { throw Finding(description: "shell line rejected without a message") }
            }
        case .scenario:
            do { _ = try ScenarioParser.parse(input, path: "fuzz.yaml") } catch {
                if !error.message.hasPrefix("fuzz.yaml") { throw Finding(description: "scenario error does not name its file: \(error.message)") }
            }
        }
    }

    /// The cluster inputs run against: a bootstrapped one-worker cluster.
    public static func makeCluster() -> Cluster {
        Cluster.bootstrapped(config: Cluster.Config(seed: 1, workerNodes: 1), settleSeconds: 1)
    }
}
