import ClusterEngine
import ClusterModel
import Kubectl
import Scenario

/// What the fuzzers check, shared by the libFuzzer harness (`svclab-fuzz`, Fuzz/run) and the
/// regression test that replays Fuzz/corpus in `swift test`: a parser may reject its input, but
/// only with a message, and a rejected manifest must leave the cluster untouched.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case manifest, selector, shell, scenario, numbers

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
        case .numbers:
            try Self.numbers(input)
        }
    }

    /// Every place a number is typed: the input's first line (up to 40 bytes) becomes the
    /// number in each command. None may trap; a failure must say why; one command moves the
    /// simulated clock at most a week; the pod ceiling holds.
    static let numberCommands = [
        "sleep X", "kubectl exec my-pod -- sleep X", "kubectl scale deployment my-app --replicas=X",
        "kubectl scale deployment my-app --replicas=X --current-replicas=3", "kubectl create deployment fz --image=nginx --replicas=X",
        "kubectl wait --for=condition=Ready pod/my-pod --timeout=X", "kubectl rollout status deployment/my-app --timeout=X",
        "kubectl get pods -w --request-timeout=X", "kubectl exec my-pod -- curl -s -m X http://my-app",
        "kubectl exec my-pod -- curl -s --connect-timeout X http://my-app", "kubectl exec my-pod -- wget -qO- -T X http://my-app",
        "kubectl delete pod fz-nope --grace-period=X", "kubectl get pods | head -n X", "kubectl get pods | tail -n X",
        "kubectl get pods | head -X", "kubectl port-forward svc/my-app X:80", "kubectl port-forward svc/my-app 8080:X",
        "traffic -n X http://my-app", "kubectl expose deployment my-app --name=fz --port=X", "kubectl run fz --image=nginx --port=X",
        "kubectl rollout undo deployment/my-app --to-revision=X", "kubectl get pods -v=X",
        "kubectl create service clusterip fz --tcp=X:80", "kubectl patch deployment my-app -p {\"spec\":{\"replicas\":X}}",
    ]

    nonisolated(unsafe) static var numberSession: Session?

    static func numbers(_ input: String) throws(Finding) {
        let value = String(input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").prefix(40)
        if numberSession == nil || numberSession!.cluster.pods.count > 5_000 {
            var config = Cluster.Config(seed: 1, workerNodes: 1)
            config.maxPods = 3_000
            let session = Session(cluster: Cluster.bootstrapped(config: config, settleSeconds: 600))
            _ = session.apply([(DemoCluster.manifests, "demo.yaml")], explicitNamespace: nil, defaultNamespace: "default")
            numberSession = session
        }
        let session = numberSession!
        for template in numberCommands {
            let line = template.replacingOccurrences(of: "X", with: String(value))
            let before = session.cluster.now
            let out = session.runScript(line)
            if out.exitCode != 0 && out.stderr.isEmpty && out.stdout.isEmpty {
                throw Finding(description: "\(goQuote(line)) failed (exit \(out.exitCode)) without a message")
            }
            if session.cluster.now - before > Millis(Durations.maxJumpSeconds * 1000) + 60_000 {
                throw Finding(description: "\(goQuote(line)) moved the clock \(session.cluster.now - before) ms")
            }
            if session.cluster.pods.count > session.cluster.config.maxPods + 10 {
                throw Finding(description: "\(goQuote(line)) left \(session.cluster.pods.count) pods, over the ceiling")
            }
        }
        // Back to the demo's size, so the next input starts from a small cluster.
        _ = session.runScript("kubectl delete deployment fz --ignore-not-found\nkubectl scale deployment my-app --replicas=3\nsleep 60")
    }

    /// The cluster inputs run against: a bootstrapped one-worker cluster.
    public static func makeCluster() -> Cluster {
        Cluster.bootstrapped(config: Cluster.Config(seed: 1, workerNodes: 1), settleSeconds: 1)
    }
}
