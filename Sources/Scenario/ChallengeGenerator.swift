import ClusterEngine
import Foundation

/// `svclab challenge [--seed N]`: a fresh demo cluster with one classic Service fault injected,
/// as a lesson with a strict challenge. The same seed gives the same fault, names and ports
/// (instructors grade by seed); seed N gets fault class (N-1) mod 8, so any eight consecutive
/// seeds cover every class.
public enum ChallengeGenerator {
    public enum Fault: String, CaseIterable, Sendable {
        case selectorTypo = "selector typo"
        case missingLabel = "a label the pods lack"
        case labelOnOneOfTwo = "a label only one of two Deployments carries"
        case wrongTargetPort = "a numeric targetPort nothing listens on"
        case misnamedTargetPort = "a named targetPort no container declares"
        case failingReadinessProbe = "a readiness probe that always fails"
        case wrongNamespaceInDNS = "a DNS name with the wrong namespace"
        case swappedPorts = "port and targetPort swapped"
    }

    public static func fault(seed: UInt64) -> Fault {
        Fault.allCases[Int((seed &- 1) % UInt64(Fault.allCases.count))]
    }

    /// The lesson as YAML (what `--write` saves; it replays green with its solution).
    public static func scenario(seed: UInt64) -> String {
        // The engine's seeded generator, so the names and ports follow the seed and nothing else.
        var rng = SeededRandom(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        let app = pick(["web", "shop", "api", "cart", "auth", "search", "billing", "orders"])
        let port = pick([8080, 3000, 5000, 9376])
        let replicas = pick([2, 3])
        let fault = fault(seed: seed)
        var manifests: [String] = []
        var goal = "", hints: [String] = [], done: [String] = [], solution: [String] = [], symptom: [String] = []
        var explain = ""
        func deployment(_ name: String, labels: [String: String], namespace: String? = nil, portName: String? = nil, probePort: Int? = nil, env: (String, String)? = nil, image: String? = nil) -> String {
            let labelText = labels.keys.sorted().map { "\($0): \(labels[$0]!)" }.joined(separator: ", ")
            let selector = ["app": labels["app"]!, "version": labels["version"]].compactMapValues { $0 }
            let selectorText = selector.keys.sorted().map { "\($0): \(selector[$0]!)" }.joined(separator: ", ")
            var text = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: \(name)\(namespace.map { ", namespace: \($0)" } ?? "")}
            spec:
              replicas: \(replicas)
              selector: {matchLabels: {\(selectorText)}}
              template:
                metadata: {labels: {\(labelText)}}
                spec:
                  containers:
                  - name: \(app)
                    image: \(image ?? "ghcr.io/svclab/\(app):1.0")
                    ports: [{\(portName.map { "name: \($0), " } ?? "")containerPort: \(port)}]
            """
            if let probePort {
                text += "\n        readinessProbe:\n          httpGet: {path: /healthz, port: \(probePort)}\n          periodSeconds: 5"
            }
            if let env { text += "\n        env: [{name: \(env.0), value: \"\(env.1)\"}]" }
            return text
        }
        func service(_ name: String, selector: [String: String], port: Int = 80, targetPort: String, namespace: String? = nil) -> String {
            let selectorText = selector.keys.sorted().map { "\($0): \(selector[$0]!)" }.joined(separator: ", ")
            return """
            apiVersion: v1
            kind: Service
            metadata: {name: \(name)\(namespace.map { ", namespace: \($0)" } ?? "")}
            spec:
              selector: {\(selectorText)}
              ports: [{port: \(port), targetPort: \(targetPort)}]
            """
        }
        let reaches = "{request: \"http://\(app)\", from: my-pod, reaches: app=\(app)}"
        let members = "{endpoints: \(app), ready: \(replicas), includes: [\"app=\(app)\"], exactly: app=\(app)}"
        switch fault {
        case .selectorTypo:
            let typo = app.count > 3 ? String(app.dropLast()) : app + "s"
            manifests = [deployment(app, labels: ["app": app]), service(app, selector: ["app": typo], targetPort: "\(port)")]
            symptom = ["kubectl get endpoints \(app)"]
            goal = "Make http://\(app) reach the \(app) pods."
            hints = ["Compare the Service's selector with kubectl get pods --show-labels.", "One character differs."]
            done = [reaches, members, "{endpoints: \(app), selector: {app: \(app)}}"]
            solution = ["kubectl patch svc \(app) -p '{\"spec\":{\"selector\":{\"app\":\"\(app)\"}}}'"]
            explain = "A selector matches labels exactly: one character off and it selects nothing."
        case .missingLabel:
            manifests = [deployment(app, labels: ["app": app]), service(app, selector: ["app": app, "tier": "backend"], targetPort: "\(port)")]
            symptom = ["kubectl get endpoints \(app)", "kubectl get pods -l app=\(app) --show-labels"]
            goal = "Give the \(app) pods what the Service \(app) asks for, without changing the Service."
            hints = ["Every label of the selector must be on the pod.", "Change the Deployment's pod template, so new pods carry it too."]
            done = [reaches, "{endpoints: \(app), ready: \(replicas), includes: [\"app=\(app),tier=backend\"], selector: {app: \(app), tier: backend}}"]
            solution = ["kubectl patch deployment \(app) -p '{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"tier\":\"backend\"}}}}}'"]
            explain = "The selector is an AND: with tier=backend in the template, every new pod carries both labels."
        case .labelOnOneOfTwo:
            manifests = [deployment("\(app)-v1", labels: ["app": app, "version": "v1", "track": "stable"]),
                         deployment("\(app)-v2", labels: ["app": app, "version": "v2"]),
                         service(app, selector: ["app": app, "track": "stable"], targetPort: "\(port)")]
            symptom = ["kubectl get pods -l app=\(app) --show-labels", "traffic -n 20 http://\(app)"]
            goal = "Make \(app) spread its traffic over the pods of both \(app)-v1 and \(app)-v2."
            hints = ["Which label do the v2 pods lack?", "Drop it from the Service's selector, or add it to v2's template."]
            done = ["{endpoints: \(app), ready: \(2 * replicas), includes: [\"app=\(app),version=v1\", \"app=\(app),version=v2\"], exactly: app=\(app)}"]
            solution = ["kubectl patch svc \(app) --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/selector/track\"}]'"]
            explain = "Only labels both Deployments' pods carry can select both."
        case .wrongTargetPort:
            manifests = [deployment(app, labels: ["app": app]), service(app, selector: ["app": app], targetPort: "\(port + 1)")]
            symptom = ["trace http://\(app)"]
            goal = "Make http://\(app) answer."
            hints = ["The endpoints are there; what port does the request reach?", "targetPort must be the port the container listens on."]
            done = [reaches, members]
            solution = ["kubectl patch svc \(app) --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":\(port)}]'"]
            explain = "kube-proxy sends the connection to targetPort on the pod; now something listens there."
        case .misnamedTargetPort:
            manifests = [deployment(app, labels: ["app": app], portName: "http"), service(app, selector: ["app": app], targetPort: "web")]
            symptom = ["kubectl get endpoints \(app)", "kubectl describe svc \(app)"]
            goal = "Make http://\(app) answer."
            hints = ["A named targetPort is looked up among the container's ports.", "kubectl get pod -o yaml shows the port names."]
            done = [reaches, members]
            solution = ["kubectl patch svc \(app) --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":\"http\"}]'"]
            explain = "A named targetPort resolves per pod; a pod without that name is left out of the endpoints."
        case .failingReadinessProbe:
            manifests = [deployment(app, labels: ["app": app], probePort: port + 1000), service(app, selector: ["app": app], targetPort: "\(port)")]
            symptom = ["kubectl get pods -l app=\(app)", "kubectl get endpoints \(app)"]
            goal = "Make the \(app) pods ready (their probe asks a port nothing listens on)."
            hints = ["kubectl describe pod shows the readiness probe and its failures.", "Point the probe at the port the container serves."]
            done = ["{endpoints: \(app), ready: \(replicas), includes: [\"\(app)-*\"]}", reaches]
            solution = ["kubectl patch deployment \(app) --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/readinessProbe/httpGet/port\",\"value\":\(port)}]'"]
            explain = "Only ready pods are ready endpoints; a probe on the served port passes."
        case .wrongNamespaceInDNS:
            manifests = ["apiVersion: v1\nkind: Namespace\nmetadata: {name: backend}",
                         deployment(app, labels: ["app": app], namespace: "backend"),
                         service(app, selector: ["app": app], targetPort: "\(port)", namespace: "backend"),
                         deployment("frontend", labels: ["app": "frontend"], env: ("API_URL", "http://\(app).frontend.svc.cluster.local"))]
            symptom = ["kubectl exec my-pod -- nslookup \(app).frontend.svc.cluster.local", "kubectl get svc -A"]
            goal = "Fix API_URL in the frontend Deployment so it names the \(app) Service where it lives."
            hints = ["A Service's DNS name is NAME.NAMESPACE.svc.cluster.local.", "kubectl get svc -A shows which namespace \(app) is in."]
            done = ["{run: \"kubectl get deployment frontend -o jsonpath={.spec.template.spec.containers[0].env[0].value}\", matches: \"^http://\(app)\\\\.backend(\\\\.svc(\\\\.cluster\\\\.local)?)?/?$\"}",
                    "{request: \"http://\(app).backend\", from: my-pod, reaches: app=\(app)}"]
            solution = ["kubectl patch deployment frontend --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/env/0/value\",\"value\":\"http://\(app).backend.svc.cluster.local\"}]'"]
            explain = "DNS names a Service by name and namespace; the search path only fills in the pod's own namespace."
        case .swappedPorts:
            manifests = [deployment(app, labels: ["app": app]), service(app, selector: ["app": app], port: port, targetPort: "80")]
            symptom = ["kubectl get svc \(app)", "trace http://\(app):\(port)"]
            goal = "Make http://\(app) (port 80) answer from the container's port \(port)."
            hints = ["port is what clients call; targetPort is where the container listens.", "They are swapped."]
            done = [reaches, members]
            solution = ["kubectl patch svc \(app) --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/0\",\"value\":{\"port\":80,\"targetPort\":\(port),\"protocol\":\"TCP\"}}]'"]
            explain = "Clients call port 80 on the ClusterIP; kube-proxy forwards to targetPort \(port), where the container listens."
        }
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var yaml = """
        title: "Generated challenge, seed \(seed): \(fault.rawValue)"
        about: A fresh demo cluster with one classic fault injected. Find it and fix it.
        cluster: {seed: \(seed)}
        setup:
          - manifest: |

        """
        yaml += manifests.joined(separator: "\n---\n").split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n") + "\n"
        yaml += "steps:\n  - say: Something is wrong with \(app). Look before you change anything.\n"
        for s in symptom { yaml += "  - run: \(quoted(s))\n" }
        yaml += "  - challenge:\n      goal: \(quoted(goal))\n      hints:\n"
        for h in hints { yaml += "        - \(quoted(h))\n" }
        yaml += "      diagnostics: off\n      explain: \(quoted(explain))\n      done:\n"
        for d in done { yaml += "        - \(d)\n" }
        yaml += "      solution:\n"
        for s in solution { yaml += "        - \(quoted(s))\n" }
        return yaml
    }
}
