import Foundation
import Testing
import TestSupport

/// Drives the real `svclab` binary: from a pipe, and at a terminal through tmux.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct BinaryTests {
    static var binary: URL {
        // The test bundle lives in the build folder next to the executable.
        var dir = Bundle.main.bundleURL
        func isProgram(_ url: URL) -> Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: url.path)
        }
        for _ in 0..<3 where !isProgram(dir.appendingPathComponent("svclab")) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("svclab")
    }

    static func run(_ executable: String, _ args: [String], stdin: String? = nil) -> (String, String, Int32) {
        let r = Subprocess.run(executable, args, stdin: stdin, timeout: 60)
        return (r.stdout, r.stderr + (r.timedOut ? "[timed out after 60 s]" : ""), r.status)
    }

    static var hasTmux: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    @Test func pipedShellEchoesAndExitsWithTheLastStatus() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "svclab binary not built at \(Self.binary.path)")
        let (out, err, code) = Self.run(Self.binary.path, ["shell"], stdin: "kubectl get svc my-app\n# done\nkubectl get svc nope\n")
        #expect(out == """
        $ kubectl get svc my-app
        NAME     TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE
        my-app   ClusterIP   10.96.0.100   <none>        80/TCP    5m
        # done
        $ kubectl get svc nope

        """)
        #expect(err == "Error from server (NotFound): services \"nope\" not found\n")
        #expect(code == 1)
        let (quiet, _, ok) = Self.run(Self.binary.path, ["shell", "--empty", "--no-echo", "--seed", "9"], stdin: "kubectl get ns default --no-headers\n")
        #expect(quiet == "default   Active   10m\n")
        #expect(ok == 0)
        let (_, usage, bad) = Self.run(Self.binary.path, ["shell", "--nodes", "-3"])
        #expect(bad != 0)
        #expect(usage.contains("--nodes"))
    }

    @Test(.enabled(if: BinaryTests.hasTmux))
    func interactiveShellInTmux() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path))
        let name = "svclab-test-\(getpid())"
        // A private server (-L) so the test neither sees nor disturbs the user's tmux.
        func tmux(_ args: String...) -> String { Subprocess.run("/usr/bin/tmux", ["-L", name] + args, timeout: 10).stdout }
        _ = tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", "env LANG=C.UTF-8 TERM=xterm-256color \(Self.binary.path) shell; echo EXITED=$?; sleep 5")
        defer { _ = tmux("kill-server") }
        func screen() -> String { tmux("capture-pane", "-p", "-t", name) }
        func waitFor(_ text: String) -> Bool {
            for _ in 0..<100 { if screen().contains(text) { return true }; usleep(100_000) }
            return false
        }
        // capture-pane trims trailing blanks, so the prompt shows without its final space.
        #expect(waitFor("svclab:default$"))
        // One line of greeting names `help`.
        #expect(screen().contains("svclab shell · demo cluster · type help for what it takes, exit to leave"), "screen:\n\(screen())")
        _ = tmux("send-keys", "-t", name, "kubectl get deploy my-app", "Enter")
        #expect(waitFor("my-app   3/3     3            3"))
        #expect(screen().contains("NAME     READY   UP-TO-DATE   AVAILABLE   AGE"))
        _ = tmux("send-keys", "-t", name, "kubectl get nope", "Enter")
        #expect(waitFor("error: the server doesn't have a resource type \"nope\""))
        // A watch follows the live clock until Ctrl-C, which ends the watch, not the shell.
        _ = tmux("send-keys", "-t", name, "kubectl get endpoints my-app -w", "Enter")
        #expect(waitFor("NAME     ENDPOINTS"))
        _ = tmux("send-keys", "-t", name, "C-c")
        // ^C flushes the terminal's input queue: type the next line only once the prompt is back.
        func atPrompt() -> Bool {
            screen().split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == "svclab:default$"
        }
        for _ in 0..<50 where !atPrompt() { usleep(100_000) }
        _ = tmux("send-keys", "-t", name, "kubectl get svc kubernetes --no-headers", "Enter")
        #expect(waitFor("kubernetes   ClusterIP   10.96.0.1"), "screen:\n\(screen())")
        // Tab completes commands, types and names (libedit); Up recalls the last line.
        for _ in 0..<50 where !atPrompt() { usleep(100_000) }
        _ = tmux("send-keys", "-t", name, "kubectl des", "Tab", "svc my-a", "Tab", "--show-events=false", "Enter")
        #expect(waitFor("Selector:                 app.kubernetes.io/name=my-app"), "screen:\n\(screen())")
        #expect(screen().contains("svclab:default$ kubectl describe svc my-app --show-events=false"))
        for _ in 0..<50 where !atPrompt() { usleep(100_000) }
        _ = tmux("send-keys", "-t", name, "clear", "Enter")
        for _ in 0..<50 where !atPrompt() || screen().contains("Selector:") { usleep(100_000) }
        // Ctrl-C at the prompt drops the half-typed line and keeps the shell.
        _ = tmux("send-keys", "-t", name, "kubectl get half", "C-c")
        for _ in 0..<50 where !atPrompt() { usleep(100_000) }
        _ = tmux("send-keys", "-t", name, "Up", "Up", "Enter")
        #expect(waitFor("Name:                     my-app"), "screen:\n\(screen())")
        // End of input (Ctrl-D) leaves the shell with status 0.
        for _ in 0..<50 where !atPrompt() { usleep(100_000) }
        _ = tmux("send-keys", "-t", name, "C-d")
        #expect(waitFor("EXITED=0"), "screen:\n\(screen())")
    }

    /// Issue 13: a 4 MB line is read in time linear in its length (it was quadratic: 20 s for 2 MB).
    @Test func aVeryLongLineIsReadWhole() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path))
        let word = String(repeating: "x", count: 4_000_000)
        let (out, err, code) = Self.run(Self.binary.path, ["shell", "--no-echo"], stdin: "echo \(word)\necho after\n")
        #expect(!err.contains("timed out"))
        #expect(code == 0)
        #expect(out == word + "\nafter\n")
    }

    @Test func scenariosCheckAndAnUnwritableCastSayWhatIsWrong() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-check-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.yaml"
        try "title: t\nsteps:\n  - run: kubectl apply -f /etc/passwd\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let (_, err, code) = Self.run(Self.binary.path, ["scenarios", "--check", bad])
        #expect(code == 1)
        #expect(err == "\(bad):3:10: \"kubectl apply -f /etc/passwd\" reads \"/etc/passwd\", which is outside the scenario's folder; a lesson may read only the files inside it\n")
        let good = dir + "/good.yaml"
        try "title: t\nsteps:\n  - say: hi\n".write(toFile: good, atomically: true, encoding: .utf8)
        let (okOut, _, okCode) = Self.run(Self.binary.path, ["scenarios", "--check", good])
        #expect(okCode == 0)
        #expect(okOut == "\(good): ok\n")
        let (_, castErr, castCode) = Self.run(Self.binary.path, ["replay", good, "--cast", dir + "/no/such/dir/x.cast"])
        #expect(castCode == 1)
        #expect(castErr == "svclab replay: cannot write the cast to \(dir)/no/such/dir/x.cast: No such file or directory\n")
    }
}
