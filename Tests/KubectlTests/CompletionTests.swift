import Testing
@testable import Kubectl

struct CompletionTests {
    @Test func wordsCommandsTypesNamesAndFlags() {
        let s = Session.demo()
        #expect(s.completions(forLine: "ku", word: "ku") == ["kubectl"])
        #expect(s.completions(forLine: "kubectl ro", word: "ro") == ["rollout"])
        #expect(s.completions(forLine: "kubectl rollout st", word: "st") == ["status"])
        #expect(s.completions(forLine: "kubectl get deploy", word: "deploy") == ["deploy", "deployments"])
        #expect(s.completions(forLine: "kubectl get svc ", word: "") == ["kubernetes", "my-app"])
        #expect(s.completions(forLine: "kubectl describe deployment/m", word: "deployment/m") == ["deployment/my-app"])
        #expect(s.completions(forLine: "kubectl get pods --sh", word: "--sh") == ["--show-labels"])
        #expect(s.completions(forLine: "kubectl get pods -n ", word: "") == ["cache", "database", "default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"])
        #expect(s.completions(forLine: "kubectl get nope ", word: "").isEmpty)
        #expect(s.completions(forLine: "helm ", word: "").isEmpty)
    }
}
