import Foundation
import Scenario
import Testing

/// Issue 14 (6): every shipped challenge rejects wrong answers — at least scaling up,
/// relabelling every pod, emptying the selector, and the lesson's own likely mistake — and
/// fails when replayed without its solution.
struct WrongAnswerTests {
    static func removeSelector(_ svc: String) -> String { "kubectl patch svc \(svc) --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/selector\"}]'" }

    /// scenario file → (what the answer is, the lines a learner types)
    static let wrongAnswers: [String: [(String, [String])]] = [
        "04-all-selector-labels-must-match.yaml": [
            ("scale up", ["kubectl scale deployment my-app --replicas=4"]),
            ("relabel every pod", ["kubectl label pods --all app.kubernetes.io/name=my-app app.kubernetes.io/component=api --overwrite"]),
            ("empty the selector", [removeSelector("my-app-api")]),
            ("drop component from the selector", ["kubectl patch svc my-app-api --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/selector/app.kubernetes.io~1component\"}]'"]),
        ],
        "08-debugging-no-endpoints.yaml": [
            ("scale up", ["kubectl scale deployment my-app --replicas=5"]),
            ("relabel every pod", ["kubectl label pods --all app.kubernetes.io/name=myapp --overwrite"]),
            ("empty the selector", [removeSelector("web")]),
            ("add a second key instead of fixing the first", ["kubectl patch svc web -p '{\"spec\":{\"selector\":{\"app\":\"my-app\"}}}'"]),
        ],
        "10-readiness.yaml": [
            ("scale up", ["kubectl scale deployment slow --replicas=4"]),
            ("relabel every pod", ["kubectl label pods --all app=slow --overwrite"]),
            ("empty the selector", [removeSelector("slow")]),
            ("delete the pods", ["kubectl delete pods -l app=slow"]),
        ],
        "11-label-only-some-pods-carry.yaml": [
            ("scale up", ["kubectl scale deployment shop-v1 --replicas=4"]),
            ("relabel every pod", ["kubectl label pods --all app=shop tier=frontend --overwrite"]),
            ("empty the selector", [removeSelector("shop")]),
            ("drop app instead of tier", ["kubectl patch svc shop --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/selector/app\"}]'"]),
        ],
        "17-kube-proxy-rules.yaml": [
            ("too few replicas", ["kubectl scale deployment my-app --replicas=1", "sleep 10s"]),
            ("a new Service instead", ["kubectl expose deployment my-app --name=my-app-2 --port=80 --target-port=8080"]),
            ("delete the Service", ["kubectl delete svc my-app"]),
        ],
        "12-targetport-nobody-listens-on.yaml": [
            ("scale up", ["kubectl scale deployment web --replicas=4"]),
            ("relabel every pod", ["kubectl label pods --all app=web --overwrite"]),
            ("empty the selector", [removeSelector("web")]),
            ("change containerPort instead", ["kubectl patch deployment web --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/ports/0/containerPort\",\"value\":80}]'"]),
        ],
    ]

    static var folder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized.path
    }

    /// Runs the lesson up to its first challenge, types `answer`, lets time pass; the verdict.
    static func verdict(_ file: String, answer: [String]) throws -> ScenarioRunner.Verdict {
        let runner = try ScenarioRunner(try ScenarioParser.load(path: folder + "/" + file))
        for step in runner.scenario.steps {
            switch step {
            case let .run(line, check): _ = runner.runStep(line, check: check)
            case let .sleep(d): _ = runner.session.runScript("sleep \(d)")
            case let .challenge(c):
                for line in answer { _ = runner.session.runScript(line) }
                return runner.settle(c.done)
            default: break
            }
        }
        Issue.record("\(file) has no challenge")
        return runner.check(.all([]))
    }

    @Test func everyShippedChallengeIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0.hasSuffix(".yaml") }
        let withChallenges = try files.filter { f in
            try ScenarioParser.load(path: Self.folder + "/" + f).steps.contains { if case .challenge = $0 { return true }; return false }
        }
        #expect(Set(withChallenges) == Set(Self.wrongAnswers.keys))
    }

    @Test(arguments: Array(wrongAnswers.keys).sorted())
    func wrongAnswersAreRejected(_ file: String) throws {
        for (what, lines) in Self.wrongAnswers[file] ?? [] {
            let v = try Self.verdict(file, answer: lines)
            #expect(!v.ok, "\(file): \(what) was accepted: \(v.text)")
        }
        // The lesson's own solution is accepted.
        let scenario = try ScenarioParser.load(path: Self.folder + "/" + file)
        guard case let .challenge(c)? = scenario.steps.first(where: { if case .challenge = $0 { return true }; return false }) else { return }
        #expect(try Self.verdict(file, answer: c.solution).ok, "\(file): its solution")
    }

    @Test(arguments: Array(wrongAnswers.keys).sorted())
    func withoutSolutionsAChallengeFails(_ file: String) throws {
        let runner = try ScenarioRunner(try ScenarioParser.load(path: Self.folder + "/" + file))
        #expect(runner.replay(solutions: false).failures > 0)
    }
}
