import Foundation
import Testing
import TestSupport

/// `svclab shell --kubeconfig` over `svclab serve --tls --token` (issue 19): the kubeconfig as
/// kubectl reads it, the mirror printing what the real kubectl prints, following kubectl's
/// changes and surviving the server's restart.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct RealClusterTests {
    static var binary: String { ServeTests.binary }
    static var kubectl: String? { ServeTests.kubectl }

    /// A served cluster (TLS, token s3cret) in a fresh folder.
    final class Served {
        let dir: URL
        let kubeconfig: String
        var server: Subprocess.Background?
        var port = 0
        init(name: String) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-real-\(name)-\(getpid())")
            try? FileManager.default.removeItem(at: dir)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            kubeconfig = dir.appendingPathComponent("served.kubeconfig").path
        }
        /// Starts serve (on `port` when a restart must reuse it) and waits for its kubeconfig.
        func start(port: Int = 0) throws {
            try? FileManager.default.removeItem(atPath: kubeconfig)
            server = try #require(Subprocess.start(RealClusterTests.binary, ["serve", "--port", "\(port)", "--speed", "0", "--tls", "--token", "s3cret", "--kubeconfig", kubeconfig]))
            #expect(server!.waitForOutput("export KUBECONFIG="), "\(server!.stderr)")
            let first = server!.stdout.split(separator: "\n").first.map(String.init) ?? ""
            self.port = Int(first.split(separator: ":").last ?? "") ?? 0
        }
        func stop() { server?.stop(); server = nil }
        deinit { stop(); try? FileManager.default.removeItem(at: dir) }

        var config: String { (try? String(contentsOfFile: kubeconfig, encoding: .utf8)) ?? "" }
        /// A variant of serve's kubeconfig, written beside it.
        func variant(_ name: String, _ change: (String) -> String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try change(config).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        /// svclab's shell over the cluster a kubeconfig names.
        func shell(_ kubeconfig: String, _ script: String, _ flags: [String] = []) -> Subprocess.Result {
            Subprocess.run(RealClusterTests.binary, ["shell", "--kubeconfig", kubeconfig, "--no-echo"] + flags, stdin: script, timeout: 60)
        }
        func kubectl(_ args: [String]) -> (String, Int32) {
            var env = ProcessInfo.processInfo.environment
            env["KUBECONFIG"] = kubeconfig
            env["HOME"] = dir.path
            let r = Subprocess.run(RealClusterTests.kubectl!, args + ["--cache-dir", dir.appendingPathComponent("cache").path], environment: env, timeout: 60)
            return (r.stderr + r.stdout, r.status)
        }
    }

    static func withoutCA(_ config: String) -> String {
        config.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("certificate-authority-data") }.joined(separator: "\n")
    }

    @Test func everyCredentialKindAsKubectlReadsIt() throws {
        let served = try Served(name: "creds")
        try served.start()
        let script = "kubectl get svc my-app --no-headers\nwhy svc/my-app\n"
        func expectReads(_ kubeconfig: String, _ what: String) {
            let r = served.shell(kubeconfig, script)
            #expect(r.status == 0 && r.stderr.isEmpty, "\(what): \(r.stderr)")
            #expect(r.stdout.hasPrefix("my-app   ClusterIP   10.96.0.100   <none>   80/TCP   5m"), "\(what): \(r.stdout)")
            #expect(r.stdout.contains("Service default/my-app selects 3 of 4 candidate pods (selector app.kubernetes.io/name=my-app); 3 ready endpoints: nothing wrong"), "\(what): \(r.stdout)")
        }
        // The token serve wrote.
        expectReads(served.kubeconfig, "token")
        // A token file, relative to the kubeconfig (clientcmd resolves it there).
        try "s3cret\n".write(to: served.dir.appendingPathComponent("token.txt"), atomically: true, encoding: .utf8)
        expectReads(try served.variant("file.kubeconfig") { $0.replacingOccurrences(of: "token: s3cret", with: "tokenFile: token.txt") }, "tokenFile")
        // An exec plugin (client.authentication.k8s.io/v1 ExecCredential), told about the request.
        let plugin = served.dir.appendingPathComponent("plugin.sh").path
        let info = served.dir.appendingPathComponent("exec-info.json").path
        try """
        #!/bin/sh
        printf '%s' "$KUBERNETES_EXEC_INFO" > \(info)
        echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'"$PLUGIN_TOKEN"'"}}'

        """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        let exec = """
        exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./plugin.sh
              env:
              - name: PLUGIN_TOKEN
                value: s3cret
        """
        expectReads(try served.variant("exec.kubeconfig") { $0.replacingOccurrences(of: "token: s3cret", with: exec) }, "exec")
        #expect((try? String(contentsOfFile: info, encoding: .utf8)) == #"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#)
        // No CA, but insecure-skip-tls-verify.
        expectReads(try served.variant("insecure.kubeconfig") {
            Self.withoutCA($0).replacingOccurrences(of: "    server: https", with: "    insecure-skip-tls-verify: true\n    server: https")
        }, "insecure")

        // trace over a real cluster is a prediction from the API's objects, and says so.
        let traced = served.shell(served.kubeconfig, "trace http://my-app\n")
        #expect(traced.stdout.hasPrefix("(predicted from the API's view of the cluster of context \"kind-svclab\" (https://127.0.0.1:\(served.port)); no request was sent)\n"), "\(traced.stdout)")
        #expect(traced.stdout.hasSuffix("=> HTTP 200 OK from default/my-app-d9dfc86bc-b57ng in 4 ms\n"), "\(traced.stdout)")

        // What kubectl says when it cannot, with its exit status.
        let wrong = served.shell(try served.variant("wrong.kubeconfig") { $0.replacingOccurrences(of: "token: s3cret", with: "token: wrong") }, script)
        #expect(wrong.status == 1 && wrong.stdout.isEmpty && wrong.stderr == "error: You must be logged in to the server (Unauthorized)\n", "\(wrong.stderr)")
        let untrusted = served.shell(try served.variant("untrusted.kubeconfig", Self.withoutCA), script)
        #expect(untrusted.status == 1 && untrusted.stderr == "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority\n", "\(untrusted.stderr)")
        let noContext = Subprocess.run(Self.binary, ["shell", "--kubeconfig", served.kubeconfig, "--context", "nope"], stdin: "", timeout: 30)
        #expect(noContext.status == 1 && noContext.stderr == "error: context was not found for specified context: nope\n", "\(noContext.stderr)")
        let missing = Subprocess.run(Self.binary, ["shell", "--kubeconfig", "/nonexistent/kubeconfig"], stdin: "", timeout: 30)
        #expect(missing.status == 1 && missing.stderr == "error: stat /nonexistent/kubeconfig: no such file or directory\n", "\(missing.stderr)")
        // A failing plugin: client-go's words.
        let failing = served.dir.appendingPathComponent("failing.sh").path
        try "#!/bin/sh\nexit 3\n".write(toFile: failing, atomically: true, encoding: .utf8)
        chmod(failing, 0o755)
        let failed = served.shell(try served.variant("failing.kubeconfig") {
            $0.replacingOccurrences(of: "token: s3cret", with: "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./failing.sh")
        }, script)
        #expect(failed.status == 1 && failed.stderr == "Unable to connect to the server: getting credentials: exec: executable ./failing.sh failed with exit code 3\n", "\(failed.stderr)")
    }

    /// Ages differ by the second between two runs; everything else must be the same bytes.
    static func withoutAges(_ text: String) -> String {
        text.replacingOccurrences(of: #"\b\d+[dhms](\d+[hms])?\b"#, with: "AGE", options: .regularExpression)
            .replacingOccurrences(of: #" +"#, with: " ", options: .regularExpression)
    }

    @Test(.enabled(if: RealClusterTests.kubectl != nil))
    func theMirrorPrintsWhatKubectlPrints() throws {
        let served = try Served(name: "same")
        try served.start()
        let reads = ["get pods -o wide", "get svc -o wide", "get deploy -o wide", "get rs", "get endpointslices", "get ns",
                     "get nodes -o wide", "get pods -A", "get events", "describe svc my-app", "describe pod my-pod",
                     "describe deploy my-app", "get pods -l app.kubernetes.io/name=my-app --show-labels", "get svc nope"]
        let mirror = served.shell(served.kubeconfig, reads.map { "kubectl \($0)\n" }.joined())
        // Split the shell's transcript per command: run each alone (the shell's errors go to stderr).
        for command in reads {
            let ours = served.shell(served.kubeconfig, "kubectl \(command)\n")
            let (theirs, _) = served.kubectl(command.split(separator: " ").map(String.init))
            #expect(Self.withoutAges(ours.stderr + ours.stdout) == Self.withoutAges(theirs), "kubectl \(command)\n--- svclab:\n\(ours.stderr + ours.stdout)\n--- kubectl:\n\(theirs)")
        }
        #expect(mirror.status == 1)   // `get svc nope` fails, as kubectl's does
    }

    @Test(.enabled(if: RealClusterTests.kubectl != nil))
    func writesGoThroughTheAPIOnlyWhenAllowed() throws {
        let served = try Served(name: "writes")
        try served.start()
        let target = "the cluster of context \"kind-svclab\" (https://127.0.0.1:\(served.port))"
        func replicas() -> String { served.kubectl(["get", "deploy", "my-app", "-o", "jsonpath={.spec.replicas}"]).0 }
        // From a pipe nobody can answer: nothing is written without --yes.
        let unasked = served.shell(served.kubeconfig, "kubectl scale deploy my-app --replicas=5\n")
        #expect(unasked.status == 1 && unasked.stderr == "error: not written: svclab asks before it changes \(target); answer at a terminal, or start svclab with --yes\n", "\(unasked.stderr)")
        let readOnly = served.shell(served.kubeconfig, "kubectl label pod my-pod tier=client\n", ["--yes", "--read-only"])
        #expect(readOnly.stderr.hasPrefix("error: svclab only reads \(target): \"kubectl label\" would change it"), "\(readOnly.stderr)")
        #expect(replicas() == "3")
        // With --yes: kubectl's words, the real cluster changed, and the mirror's next command sees it.
        let script = """
        kubectl scale deploy my-app --replicas=5
        kubectl get deploy my-app -o jsonpath={.spec.replicas}
        kubectl label pod my-pod tier=client
        kubectl label pod my-pod tier=server
        kubectl annotate svc my-app note=hi
        kubectl delete pod my-pod --wait=false
        kubectl get pod my-pod --no-headers
        kubectl label pod my-pod run-
        kubectl apply -f nothing.yaml

        """
        let written = served.shell(served.kubeconfig, script, ["--yes"])
        #expect(written.stdout == "deployment.apps/my-app scaled\n5pod/my-pod labeled\nservice/my-app annotated\npod \"my-pod\" deleted\nmy-pod   1/1   Terminating   0     5m\npod/my-pod unlabeled\n"
                || written.stdout.hasPrefix("deployment.apps/my-app scaled\n5pod/my-pod labeled\nservice/my-app annotated\npod \"my-pod\" deleted\nmy-pod   1/1   Terminating   0     5m"), "\(written.stdout)")
        #expect(written.stderr == """
        error: 'tier' already has a value (client), and --overwrite is false
        error: svclab writes only scale, label, annotate and delete to \(target); run "kubectl apply" with kubectl itself

        """, "\(written.stderr)")
        #expect(replicas() == "5")
        #expect(served.kubectl(["get", "pod", "my-pod", "-o", "jsonpath={.metadata.labels}"]).0 == #"{"tier":"client"}"#)
        #expect(served.kubectl(["get", "svc", "my-app", "-o", "jsonpath={.metadata.annotations.note}"]).0 == "hi")
        #expect(!served.kubectl(["get", "pod", "my-pod", "-o", "jsonpath={.metadata.deletionTimestamp}"]).0.isEmpty)
    }

    @Test(.enabled(if: RealClusterTests.kubectl != nil))
    func followsKubectlWithinASecondAndSurvivesARestart() throws {
        let served = try Served(name: "follow")
        try served.start()
        // The mirror trusts any certificate: the restarted server makes a new CA.
        let mirrorConfig = try served.variant("mirror.kubeconfig") {
            Self.withoutCA($0).replacingOccurrences(of: "    server: https", with: "    insecure-skip-tls-verify: true\n    server: https")
        }
        let fifo = served.dir.appendingPathComponent("stdin").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Held open for reading and writing, so neither side's open blocks on the other.
        let input = open(fifo, O_RDWR)
        #expect(input >= 0)
        defer { close(input) }
        let shell = try #require(Subprocess.start(Self.binary, ["shell", "--kubeconfig", mirrorConfig, "--no-echo"], stdin: fifo))
        defer { shell.stop() }
        var asked = 0
        /// Asks the shell `line` every 100 ms until its newest answer contains `text`.
        func seen(_ line: String, _ text: String, within seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            repeat {
                asked += 1
                let marker = "--- \(asked)"
                _ = "\(line)\necho '\(marker)'\n".withCString { write(input, $0, strlen($0)) }
                guard shell.waitForOutput(marker, timeout: 10) else { return false }
                // Columns without headers are as wide as their values: compare words.
                let answer = (shell.stdout.components(separatedBy: "--- \(asked - 1)\n").last ?? "").components(separatedBy: marker).first ?? ""
                if answer.replacingOccurrences(of: #" +"#, with: " ", options: .regularExpression).contains(text) { return true }
                usleep(100_000)
            } while Date() < deadline
            return false
        }
        #expect(seen("kubectl get deploy my-app --no-headers", "my-app 3/3 3 3 ", within: 30), "\(shell.stdout)\n\(shell.stderr)")
        // The real kubectl changes the cluster; the mirror shows it within a second.
        #expect(served.kubectl(["scale", "deploy", "my-app", "--replicas=5"]).0 == "deployment.apps/my-app scaled\n")
        #expect(seen("kubectl get deploy my-app --no-headers", "my-app 3/5 5 3 ", within: 1), "\(shell.stdout)")
        #expect(served.kubectl(["label", "pod", "my-pod", "tier=client"]).0 == "pod/my-pod labeled\n")
        #expect(seen("kubectl get pod my-pod --show-labels --no-headers", "run=my-pod,tier=client", within: 1), "\(shell.stdout)")
        // The server goes away and comes back (same port, a fresh cluster from the same seed):
        // the mirror relists — the scale and the label are gone, no stale row stays.
        let port = served.port
        served.stop()
        try served.start(port: port)
        #expect(seen("kubectl get deploy my-app --no-headers", "my-app 3/3 3 3 ", within: 15), "\(shell.stdout)\n\(shell.stderr)")
        #expect(seen("kubectl get pods --no-headers | wc -l", "4", within: 5), "\(shell.stdout)")
        #expect(seen("kubectl get pod my-pod --show-labels --no-headers", "run=my-pod\n", within: 5), "\(shell.stdout)")
        // And it follows the new server too.
        #expect(served.kubectl(["label", "pod", "my-pod", "after=restart"]).0 == "pod/my-pod labeled\n")
        #expect(seen("kubectl get pod my-pod --show-labels --no-headers", "after=restart,run=my-pod", within: 1), "\(shell.stdout)\n\(shell.stderr)")
    }
}
