import ClusterEngine
import Foundation
import Testing
import Yams
@testable import Kubectl

/// `--record` writes a scenario whose steps, replayed on a new session, reach the same state.
struct RecordingTests {
    @Test func recordedSessionReplaysToTheSameState() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-record-\(getpid()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let original = Session.demo(seed: 3)
        original.recorder = SessionRecorder(path: path, options: .init(seed: 3, nodes: 3, empty: false), startTime: original.cluster.now)
        var lines = ScriptLines("""
        kubectl scale deployment my-app --replicas=5
        kubectl apply -f - <<EOF
        apiVersion: v1
        kind: Service
        metadata: {name: extra}
        spec: {selector: {app: x}, ports: [{port: 80}]}
        EOF
        # comments are not steps
        kubectl label pod my-pod tier=debug
        kubectl get svc nope
        kubectl set image deployment/my-app web=ghcr.io/svclab/my-app:2.0
        """)
        // Time at the prompt, as a terminal's wall clock would add it.
        while original.runNext(from: &lines) != nil { original.cluster.advance(bySeconds: 7.5) }
        // What happens after the last command is not part of the recording.
        let end = original.cluster.now - 7_500

        let document = try String(contentsOfFile: path, encoding: .utf8)
        #expect(document.contains("cluster: {nodes: 3, seed: 3}\n"))
        #expect(document.contains("- sleep: 7500ms\n"))
        #expect(document.contains("- sleep: 15s\n- run: kubectl label pod my-pod tier=debug\n"), "the comment's prompt time is kept")
        #expect(document.contains("- run: |\n    kubectl apply -f - <<EOF\n    apiVersion: v1\n"))
        #expect(!document.contains("comments"))

        // Replay: the steps in order on a fresh session with the recorded cluster options.
        let yaml = try #require(try Yams.load(yaml: document) as? [String: Any])
        let steps = try #require(yaml["steps"] as? [[String: String]])
        let replay = Session.demo(seed: 3)
        for step in steps {
            if let run = step["run"] { _ = replay.runScript(run) }
            if let sleep = step["sleep"] { _ = replay.runScript("sleep \(sleep)") }
        }
        let snapshot = "kubectl get pods,svc,deploy,rs,endpoints -A -o yaml"
        #expect(replay.cluster.now == end)
        replay.cluster.advance(to: original.cluster.now)
        #expect(replay.runScript(snapshot).stdout == original.runScript(snapshot).stdout)
    }
}
