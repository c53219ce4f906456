import Foundation
import Testing
@testable import Kubectl
@testable import Scenario

/// The shipped scenarios replay green, the same way twice; broken files fail with the place.
struct ScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var shipped: [String] {
        let dir = root.appendingPathComponent("scenarios").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func atLeastTenShippedScenarios() {
        #expect(Self.shipped.count >= 10)
    }

    @Test(arguments: ScenarioTests.shipped)
    func shippedScenarioReplaysGreen(_ name: String) throws {
        let path = Self.root.appendingPathComponent("scenarios").appendingPathComponent(name).path
        let scenario = try ScenarioParser.load(path: path)
        let replay = try ScenarioRunner(scenario).replay()
        #expect(replay.failures == 0, "\(name):\n\(replay.transcript)")
        #expect(replay.transcript.hasSuffix("# all checks passed\n"))
    }

    @Test func replayIsByteIdentical() throws {
        let path = Self.root.appendingPathComponent("scenarios/06-session-affinity.yaml").path
        let a = try ScenarioRunner(try ScenarioParser.load(path: path)).replay()
        let b = try ScenarioRunner(try ScenarioParser.load(path: path)).replay()
        #expect(a.transcript == b.transcript)
        #expect(ScenarioRunner.cast(a, title: "x") == ScenarioRunner.cast(b, title: "x"))
    }

    func error(_ yaml: String) -> String {
        do { _ = try ScenarioParser.parse(yaml, path: "t.yaml"); return "parsed" } catch { return error.message }
    }

    @Test func strictErrorsNameThePlace() {
        #expect(error("title: x\nstep: []\n") == "t.yaml:2:1: unknown key \"step\" in the scenario (expected one of: title, about, cluster, setup, steps)")
        #expect(error("about: x\n") == "t.yaml:1:1: a scenario needs a title")
        #expect(error("title: x\ncluster: {nodes: many}\n") == "t.yaml:2:18: cluster.nodes must be a whole number from 0 to 5000")
        #expect(error("title: x\nsteps:\n  - sya: hi\n") == "t.yaml:3:5: unknown step \"sya\" (expected one of: say, run, sleep, expect, challenge, pause, predict)")
        #expect(error("title: x\nsteps:\n  - run: kubectl get pods\n    contain: x\n") == "t.yaml:4:5: unknown key \"contain\" in a run step (expected one of: run, contains, matches, equals, exitCode, focus, highlight)")
        #expect(error("title: x\nsteps:\n  - expect: {endpoints: my-app}\n") == "t.yaml:3:13: an endpoints predicate needs ready, notReady, readyAtLeast, includes, excludes, exactly or selector")
        #expect(error("title: x\nsteps:\n  - expect: {pods: 'app in (a'}\n") .hasPrefix("t.yaml:3:20: pods: \"app in (a\" is not a label selector:"))
        #expect(error("title: x\nsteps:\n  - expect: {request: http://x, from: p, fails: boom}\n") == "t.yaml:3:49: fails must be one of: nxdomain, refused, timeout, empty-reply, any")
        #expect(error("title: x\nsteps:\n  - challenge: {goal: g}\n") == "t.yaml:3:16: a challenge needs done: a predicate that holds once it is solved")
        #expect(error("title: x\nsetup:\n  - file: nope.yaml\n") == "t.yaml:3:11: setup file \"nope.yaml\" not found (paths are relative to the scenario)")
        #expect(error("title: [x\n").hasPrefix("t.yaml:2:1: "))
    }

    @Test func failingChecksAreCountedAndExplained() throws {
        let scenario = try ScenarioParser.parse("""
        title: broken on purpose
        steps:
          - expect: {endpoints: my-app, ready: 5}
          - run: kubectl get svc nope
            exitCode: 0
          - challenge:
              goal: already done
              done: {endpoints: my-app, ready: 3}
        """, path: "t.yaml")
        let replay = try ScenarioRunner(scenario).replay()
        #expect(replay.failures == 3)
        #expect(replay.transcript.contains("✗ endpoints of my-app: expected 5 ready, saw 3 ready, 0 not ready\n"))
        #expect(replay.transcript.contains("✗ kubectl get svc nope: exit code 1, expected 0\n"))
        #expect(replay.transcript.contains("✗ challenge is already solved before anything was done"))
        #expect(replay.transcript.hasSuffix("# 3 checks failed\n"))
    }

    @Test func castIsAsciinemaV2() throws {
        let scenario = try ScenarioParser.parse("title: t\nsteps:\n  - say: hello\n  - run: kubectl get ns default\n", path: "t.yaml")
        let cast = ScenarioRunner.cast(try ScenarioRunner(scenario).replay(), title: "t")
        let lines = cast.split(separator: "\n")
        let header = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(header?["version"] as? Int == 2)
        for line in lines.dropFirst() {
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any]
            #expect(event?.count == 3 && event?[1] as? String == "o")
        }
        #expect(cast.contains("[\"o\"") == false)
    }
}
