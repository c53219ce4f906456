import ClusterEngine
import ClusterModel
import Foundation
import Scenario
import Testing
import FuzzTargets
@testable import Kubectl

/// A bounded, seeded mutation fuzzer over every parser that reads user input: no crash, no
/// hang, and every rejection carries a message. Inputs that once broke something stay below
/// as regression cases.
struct FuzzTests {
    /// SplitMix64: the same mutations on every run.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    static let specials: [String] = ["", " ", "\t", "\n", ":", "-", "{", "}", "[", "]", "'", "\"", "\\", "#", "&", "*", "!", "|", "<<", "=", "!=", ",", "(", ")",
                                      "in", "notin", "0", "-1", "99999999999999999999", "é", "✓", "\u{0}", "null", "~", "%", "$", "@", ".", "/", "..", "~1"]

    /// Mutates `seed` a few times: delete, insert, duplicate, swap, special tokens.
    static func mutate(_ seed: String, _ rng: inout Rng) -> String {
        var chars = Array(seed)
        for _ in 0..<(1 + rng.int(4)) {
            let at = chars.isEmpty ? 0 : rng.int(chars.count + 1)
            switch rng.int(5) {
            case 0 where !chars.isEmpty: chars.remove(at: min(at, chars.count - 1))
            case 1: chars.insert(contentsOf: Array(specials[rng.int(specials.count)]), at: at)
            case 2 where !chars.isEmpty:
                let from = rng.int(chars.count), len = min(chars.count - from, 1 + rng.int(8))
                chars.insert(contentsOf: chars[from..<(from + len)], at: at)
            case 3 where chars.count > 1:
                let a = rng.int(chars.count), b = rng.int(chars.count); chars.swapAt(a, b)
            default: chars.insert(Character(UnicodeScalar(UInt8(32 + rng.int(95)))), at: at)
            }
        }
        return String(chars)
    }

    static let manifestSeeds = [
        "apiVersion: v1\nkind: Service\nmetadata: {name: my-app}\nspec:\n  selector: {app: my-app}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}\n",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}",
    ]

    @Test func manifestDecoderAndApply() {
        var rng = Rng(state: 1)
        let session = Session.empty(seed: 3)
        for i in 0..<1500 {
            let input = Self.mutate(Self.manifestSeeds[i % Self.manifestSeeds.count], &rng)
            for r in Manifest.load(input, source: "fuzz.yaml") {
                if case let .failure(e) = r { #expect(!e.kubectlMessage.isEmpty) }
            }
            // Through the API too: a rejection is a message, never a crash or a half-applied object.
            let before = session.cluster.resourceVersion
            let out = session.apply([(input, "fuzz.yaml")], explicitNamespace: nil, defaultNamespace: "default")
            if out.exitCode != 0 { #expect(!out.stderr.isEmpty, "input: \(input.debugDescription)") }
            if out.exitCode != 0 && out.stdout.isEmpty { #expect(session.cluster.resourceVersion == before, "a rejected apply changed the cluster: \(input.debugDescription)") }
        }
    }

    @Test func selectorParser() {
        var rng = Rng(state: 2)
        let seeds = ["app=my-app,tier!=db", "env in (prod, qa),!legacy", "x notin (a,b),y", "app.kubernetes.io/name=my-app", "a>1,b<2"]
        for i in 0..<5000 {
            let input = Self.mutate(seeds[i % seeds.count], &rng)
            do { _ = try LabelSelectorExpression.parse(input) } catch { #expect(!error.message.isEmpty, "\(input.debugDescription)") }
        }
    }

    @Test func shellLinesAndCommands() {
        var rng = Rng(state: 3)
        let seeds = ["kubectl get pods -l app=my-app -o wide | grep my", "kubectl scale deployment my-app --replicas=3",
                     "kubectl get svc my-app -o jsonpath='{.spec.ports[*].port}'", "kubectl label pod my-pod a=b --overwrite",
                     "trace --from my-pod http://my-app:80/x", "why svc/my-app", "sleep 1s", "kubectl exec my-pod -- curl -s http://my-app",
                     "kubectl patch svc my-app --type=json -p '[{\"op\":\"add\",\"path\":\"/metadata/labels/x\",\"value\":\"y\"}]'"]
        let session = Session.demo(seed: 5)
        for i in 0..<1200 {
            let input = Self.mutate(seeds[i % seeds.count], &rng)
            guard !input.contains("<<") else { continue }   // a heredoc would read the next lines
            do { _ = try ShellLine.parse(input) } catch { #expect(!error.message.isEmpty) }
            let out = session.runScript(input)
            if out.exitCode != 0 { #expect(!out.stderr.isEmpty || !out.stdout.isEmpty, "\(input.debugDescription) failed silently") }
        }
        // The cluster survived all of it.
        #expect(session.runScript("kubectl get svc kubernetes").exitCode == 0)
    }

    @Test func jsonPathTemplates() {
        var rng = Rng(state: 4)
        let seeds = ["{.items[*].metadata.name}", "{range .items[*]}{.metadata.name}{\"\\n\"}{end}", "{.spec.ports[?(@.port==80)].name}", "{..name}", "{.a['b.c'][0:2]}"]
        let doc = try! ValueLoader.documents(from: "{items: [{metadata: {name: a}, spec: {ports: [{port: 80, name: http}]}}]}")[0]
        for i in 0..<5000 {
            let input = Self.mutate(seeds[i % seeds.count], &rng)
            do {
                let path = try JSONPath(input)
                do { _ = try path.execute(doc) } catch { #expect(!error.message.isEmpty) }
            } catch { #expect(!error.message.isEmpty) }
        }
    }

    @Test func scenarioParser() {
        var rng = Rng(state: 6)
        let seed = "title: t\ncluster: {nodes: 2, seed: 3}\nsteps:\n  - say: hi\n  - run: kubectl get pods\n    contains: x\n  - expect: {endpoints: my-app, ready: 3}\n  - challenge:\n      goal: g\n      done: {pods: app=x, count: 1}\n      solution: [kubectl get pods]\n"
        for _ in 0..<3000 {
            let input = Self.mutate(seed, &rng)
            do { _ = try ScenarioParser.parse(input, path: "fuzz.yaml") } catch {
                #expect(error.message.hasPrefix("fuzz.yaml"), "\(error.message)")
            }
        }
    }

    /// The libFuzzer corpus (seeds, and every finding once fixed) replays clean through the
    /// harness's own checks: Fuzz/run fuzzes from it, this keeps it green in `swift test`.
    @Test(arguments: FuzzTarget.allCases)
    func libFuzzerCorpusReplays(_ target: FuzzTarget) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/corpus/\(target.rawValue)").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files.count >= 4, "seed inputs for \(target)")
        let cluster = FuzzTarget.makeCluster()
        for file in files {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            do { try target.run(String(decoding: bytes, as: UTF8.self), cluster: cluster) } catch { Issue.record("\(file): \(error)") }
        }
    }

    /// Scenario files read only what they name, next to themselves.
    @Test func scenarioSetupCannotLeaveItsFolder() {
        for path in ["/etc/passwd", "../../etc/passwd", "a/../../x.yaml"] {
            do {
                _ = try ScenarioParser.parse("title: t\nsetup:\n  - file: \(path)\n", path: "/tmp/s/t.yaml")
                Issue.record("\(path) was accepted")
            } catch {
                #expect(error.message.contains("must stay inside the scenario's folder"), "\(error.message)")
            }
        }
    }
}
