import Foundation
import Testing
import TestSupport

/// The real binary at a real (tmux) terminal: start, keys, resize, quit, and the terminal
/// given back after `q` and after SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TmuxTests {
    static var binary: String {
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 where !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("svclab").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("svclab").path
    }
    static var hasTmux: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// A private tmux server running `svclab` at 80×24; `body` drives it.
    func withLab(seed: Int, lang: String = "C.UTF-8", arguments: String = "", _ body: (_ tmux: (String...) -> String, _ screen: () -> String, _ waitFor: (String) -> Bool) throws -> Void) throws {
        let name = "svclab-tui-\(getpid())-\(seed)"
        func tmux(_ args: String...) -> String { Subprocess.run("/usr/bin/tmux", ["-L", name] + args, timeout: 10).stdout }
        _ = tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24",
                 "env LANG=\(lang) TERM=xterm-256color \(Self.binary) --seed \(seed)\(arguments.isEmpty ? "" : " " + arguments); echo EXITED=$?; sleep 90")
        defer { _ = tmux("kill-server") }
        func screen() -> String { tmux("capture-pane", "-p", "-t", name) }
        // Up to 30 s: on a busy 2-core machine (a build beside the tests) a frame of a lab with
        // thousands of pods can take seconds; waiting longer costs only when a test fails.
        func waitFor(_ text: String) -> Bool {
            for _ in 0..<300 { if screen().contains(text) { return true }; usleep(100_000) }
            return false
        }
        try body(tmux, screen, waitFor)
    }

    @Test(.enabled(if: TmuxTests.hasTmux))
    func startScaleRelabelRequestResizeQuit() throws {
        try withLab(seed: 1) { tmux, screen, waitFor in
            #expect(waitFor("Endpoints of my-app (3 ready)"), "screen:\n\(screen())")
            #expect(screen().contains("svclab · cluster svclab · ns default"))
            // Scale from the : prompt, as kubectl.
            _ = tmux("send-keys", "-t", "0", ":", "kubectl scale deployment my-app --replicas=5", "Enter")
            #expect(waitFor("deployment.apps/my-app scaled"), "screen:\n\(screen())")
            #expect(waitFor("Endpoints of my-app (5 ready)"), "screen:\n\(screen())")
            // Relabel the first pod: it leaves the endpoints, with the reason.
            _ = tmux("send-keys", "-t", "0", "Tab", "L")
            _ = tmux("send-keys", "-t", "0", "-l", "app.kubernetes.io/name=other --overwrite")
            _ = tmux("send-keys", "-t", "0", "Enter")
            #expect(waitFor("labeled"), "screen:\n\(screen())")
            #expect(waitFor("app.kubernetes.io/name=other"), "screen:\n\(screen())")
            // One request, traced.
            _ = tmux("send-keys", "-t", "0", "f")
            #expect(waitFor("Trace: my-pod"), "screen:\n\(screen())")
            #expect(waitFor("10.96.0.100"), "screen:\n\(screen())")
            #expect(waitFor("NAT  → 10.244."), "kube-proxy's choice is shown:\n\(screen())")
            #expect(screen().contains("200 OK"))
            // Too small, then back.
            _ = tmux("resize-window", "-t", "0", "-x", "60", "-y", "20")
            #expect(waitFor("svclab needs a terminal of at least 80×24"), "screen:\n\(screen())")
            _ = tmux("resize-window", "-t", "0", "-x", "100", "-y", "30")
            #expect(waitFor("Endpoints of my-app"), "screen:\n\(screen())")
            // Help, then quit: the shell gets its screen back.
            _ = tmux("send-keys", "-t", "0", "?")
            #expect(waitFor("Keys (the footer shows the common ones)"))
            _ = tmux("send-keys", "-t", "0", "Escape")
            _ = tmux("send-keys", "-t", "0", "q")
            #expect(waitFor("EXITED=0"), "screen:\n\(screen())")
            #expect(!screen().contains("Endpoints of my-app"), "the lab's screen is gone after q")
        }
    }

    /// The Rules view of the real binary (issue 17): after a request, `i` shows kube-proxy's
    /// rules for my-app on the client's node, at 80×24 and at 120×40, in both proxy modes.
    @Test(.enabled(if: TmuxTests.hasTmux))
    func rulesViewAtTheRealTerminal() throws {
        try withLab(seed: 1) { tmux, screen, waitFor in
            #expect(waitFor("Endpoints of my-app (3 ready)"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "f")
            #expect(waitFor("Trace: my-pod"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "i")
            #expect(waitFor("Rules: default/my-app on svclab-worker2"), "screen:\n\(screen())")
            #expect(waitFor("-A KUBE-SERVICES -m comment --comment \"default/my-app:http cluster"), "screen:\n\(screen())")
            _ = tmux("resize-window", "-t", "0", "-x", "120", "-y", "40")
            #expect(waitFor("KUBE-SEP-PXV5LUQZEMGMD7ZK -m comment"), "at 120×40 the endpoint chains show:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "Escape")
            _ = tmux("send-keys", "-t", "0", "q")
            #expect(waitFor("EXITED=0"), "screen:\n\(screen())")
        }
        try withLab(seed: 2, arguments: "--proxy-mode nftables") { tmux, screen, waitFor in
            #expect(waitFor("Endpoints of my-app (3 ready)"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "f")
            #expect(waitFor("Trace: my-pod"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "i")
            #expect(waitFor("kube-proxy (nftables) on"), "screen:\n\(screen())")
            #expect(waitFor("map service-ips: 10.96.0.100 . tcp . 80 : goto") && screen().contains("service-52AWDLSY-default/my-app/tcp/http"), "screen:\n\(screen())")
            _ = tmux("resize-window", "-t", "0", "-x", "120", "-y", "40")
            #expect(waitFor("meta l4proto tcp dnat to 10.244."), "at 120×40 the endpoint chains show:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "Escape")
            _ = tmux("send-keys", "-t", "0", "q")
            #expect(waitFor("EXITED=0"), "screen:\n\(screen())")
        }
    }

    @Test(.enabled(if: TmuxTests.hasTmux))
    func sigtermRestoresTheTerminal() throws {
        try withLab(seed: 4242) { _, screen, waitFor in
            #expect(waitFor("Endpoints of my-app"), "screen:\n\(screen())")
            // Anchored: the tmux server's and the shell's command lines contain the same words.
            _ = Subprocess.run("/usr/bin/pkill", ["-TERM", "-f", "^\(Self.binary) --seed 4242"])
            #expect(waitFor("EXITED=0"), "screen:\n\(screen())")
            #expect(!screen().contains("Endpoints of my-app"))
        }
    }

    /// Issue 13: a long action never freezes the lab — it says it runs, Ctrl-C stops it, q quits.
    @Test(.enabled(if: TmuxTests.hasTmux))
    func aLongActionIsInterruptedByCtrlCAndQ() throws {
        try withLab(seed: 4343) { tmux, screen, waitFor in
            #expect(waitFor("Endpoints of my-app"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", ":", "kubectl scale deployment my-app --replicas=100000000", "Enter")
            #expect(waitFor("deployment.apps/my-app scaled"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", ":", "sleep 168h", "Enter")
            #expect(waitFor("running: sleep 168h   (Ctrl-C interrupts, q quits)"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "C-c")
            #expect(waitFor("^C"), "Ctrl-C ends the action:\n\(screen())")
            #expect(!screen().contains("EXITED"), "and the lab goes on")
            _ = tmux("send-keys", "-t", "0", ":", "sleep 168h", "Enter")
            #expect(waitFor("running: sleep 168h"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "q")
            #expect(waitFor("EXITED=0"), "q quits during an action:\n\(screen())")
        }
    }

    /// `svclab --serve`: the lab on screen and the API at once — what the real kubectl does in
    /// another terminal shows in the panes, and q ends both.
    @Test(.enabled(if: TmuxTests.hasTmux && Subprocess.which("kubectl") != nil))
    func theLabShowsWhatTheRealKubectlDoes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-lab-serve-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kubeconfig = dir.appendingPathComponent("lab.kubeconfig").path
        try withLab(seed: 4545, arguments: "--serve --port 0 --kubeconfig \(kubeconfig)") { tmux, screen, waitFor in
            #expect(waitFor("Endpoints of my-app"), "screen:\n\(screen())")
            #expect(screen().contains("· API :"), "the header says the API is on:\n\(screen())")
            #expect(screen().contains("export KUBECONFIG=\(kubeconfig)") || screen().contains("export KUBECONFIG="), "\(screen())")
            var env = ProcessInfo.processInfo.environment
            env["KUBECONFIG"] = kubeconfig
            env["HOME"] = dir.path
            let r = Subprocess.run(Subprocess.which("kubectl")!, ["scale", "deployment", "my-app", "--replicas=5", "--cache-dir", dir.appendingPathComponent("cache").path],
                                   environment: env, timeout: 60)
            #expect(r.stdout == "deployment.apps/my-app scaled\n", "\(r.stderr)")
            #expect(waitFor("Pods (6)"), "the new pods appear in the lab:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "q")
            #expect(waitFor("EXITED=0"), "q ends the lab and the API:\n\(screen())")
        }
    }

    /// `svclab --kubeconfig` over `svclab serve --tls --token` (issue 19): the lab shows the
    /// served cluster under a header that says so, follows the real kubectl, and a write asks
    /// first on the footer (n: nothing sent; y: the real cluster changes).
    @Test(.enabled(if: TmuxTests.hasTmux && Subprocess.which("kubectl") != nil))
    func theLabOverARealClusterAsksBeforeItWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-lab-real-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kubeconfig = dir.appendingPathComponent("served.kubeconfig").path
        let server = try #require(Subprocess.start(Self.binary, ["serve", "--port", "0", "--speed", "0", "--tls", "--token", "s3cret", "--kubeconfig", kubeconfig]))
        defer { server.stop() }
        #expect(server.waitForOutput("export KUBECONFIG="), "\(server.stderr)")
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = kubeconfig
        env["HOME"] = dir.path
        func kubectl(_ args: String...) -> String {
            Subprocess.run(Subprocess.which("kubectl")!, args + ["--cache-dir", dir.appendingPathComponent("cache").path], environment: env, timeout: 60).stdout
        }
        try withLab(seed: 4646, arguments: "--kubeconfig \(kubeconfig)") { tmux, screen, waitFor in
            #expect(waitFor("Endpoints of my-app (3 ready)"), "screen:\n\(screen())")
            #expect(screen().hasPrefix(" svclab · REAL cluster kind-svclab @ https://127.0.0.1:"), "\(screen())")
            #expect(kubectl("scale", "deployment", "my-app", "--replicas=5") == "deployment.apps/my-app scaled\n")
            #expect(waitFor("Pods (6)"), "the real kubectl's change shows:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "+")
            #expect(waitFor("Write deployment/my-app (kubectl scale) to the REAL cluster? [y/N]"), "a write asks first:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "n")
            #expect(waitFor("not written"), "\(screen())")
            #expect(kubectl("get", "deploy", "my-app", "-o", "jsonpath={.spec.replicas}") == "5")
            _ = tmux("send-keys", "-t", "0", "+")
            #expect(waitFor("Write deployment/my-app (kubectl scale) to the REAL cluster? [y/N]"), "\(screen())")
            _ = tmux("send-keys", "-t", "0", "y")
            #expect(waitFor("Pods (7)"), "the lab shows what it wrote:\n\(screen())")
            #expect(kubectl("get", "deploy", "my-app", "-o", "jsonpath={.spec.replicas}") == "6")
            _ = tmux("send-keys", "-t", "0", "q")
            #expect(waitFor("EXITED=0"), "\(screen())")
        }
    }

    @Test(.enabled(if: TmuxTests.hasTmux))
    func sigquitRestoresTheTerminalWithoutACrashReporter() throws {
        try withLab(seed: 4444) { _, screen, waitFor in
            #expect(waitFor("Endpoints of my-app"), "screen:\n\(screen())")
            _ = Subprocess.run("/usr/bin/pkill", ["-QUIT", "-f", "^\(Self.binary) --seed 4444"])
            #expect(waitFor("EXITED=131"), "screen:\n\(screen())")
            #expect(!screen().contains("Endpoints of my-app"))
            #expect(!screen().contains("Backtrac"), "no crash reporter over the screen")
        }
    }

    @Test(.enabled(if: TmuxTests.hasTmux))
    func underLangCNoMultibyteCharacterReachesTheScreen() throws {
        try withLab(seed: 4545, lang: "C") { tmux, screen, waitFor in
            #expect(waitFor("Endpoints of my-app"), "screen:\n\(screen())")
            _ = tmux("send-keys", "-t", "0", "f")
            #expect(waitFor("Trace: my-pod"), "screen:\n\(screen())")
            let text = tmux("capture-pane", "-p", "-t", "0")
            #expect(text.utf8.allSatisfy { $0 < 0x80 }, "screen:\n\(text)")
            _ = tmux("send-keys", "-t", "0", "q")
            #expect(waitFor("EXITED=0"))
        }
    }

    /// Issue 14 (8): a course plays from a menu, keeps progress, and resumes at the next lesson.
    @Test(.enabled(if: TmuxTests.hasTmux))
    func aCourseResumesAtTheNextLesson() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-course-\(getpid())").path
        let course = root + "/course", state = root + "/state"
        try FileManager.default.createDirectory(atPath: course, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "title: First lesson\nsteps:\n  - say: one\n".write(toFile: course + "/01-first.yaml", atomically: true, encoding: .utf8)
        try "title: Second lesson\nsteps:\n  - say: two\n".write(toFile: course + "/02-second.yaml", atomically: true, encoding: .utf8)
        let name = "svclab-course-\(getpid())"
        func tmux(_ args: String...) -> String { Subprocess.run("/usr/bin/tmux", ["-L", name] + args, timeout: 10).stdout }
        defer { _ = tmux("kill-server") }
        func screen() -> String { tmux("capture-pane", "-p", "-t", name) }
        // Up to 30 s: on a busy 2-core machine (a build beside the tests) a frame of a lab with
        // thousands of pods can take seconds; waiting longer costs only when a test fails.
        func waitFor(_ text: String) -> Bool {
            for _ in 0..<300 { if screen().contains(text) { return true }; usleep(100_000) }
            return false
        }
        let command = "env XDG_STATE_HOME=\(state) LANG=C.UTF-8 TERM=xterm-256color \(Self.binary) play \(course); echo EXITED=$?; sleep 30"
        _ = tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
        #expect(waitFor("course course · 0 of 2 done"), "screen:\n\(screen())")
        #expect(screen().contains("→  01-first  First lesson"))
        _ = tmux("send-keys", "-t", name, "Enter")
        #expect(waitFor("First lesson · intro"), "screen:\n\(screen())")
        _ = tmux("send-keys", "-t", name, "n")
        #expect(waitFor("one"))
        _ = tmux("send-keys", "-t", name, "n")
        #expect(waitFor("Lesson done. Keep exploring, or press q for the course menu."), "screen:\n\(screen())")
        _ = tmux("send-keys", "-t", name, "q")
        #expect(waitFor("1 of 2 done"), "screen:\n\(screen())")
        #expect(screen().contains(" ✓ 01-first  First lesson"))
        #expect(screen().contains("→  02-second  Second lesson"))
        _ = tmux("send-keys", "-t", name, "q")
        #expect(waitFor("EXITED=0"))
        // A new run resumes at the first unfinished lesson.
        _ = tmux("kill-server")
        // The old server can still be going away: start again until the new session exists
        // (once, under load, the second session never came up and the screen stayed empty).
        for _ in 0..<50 {
            _ = tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
            if Subprocess.run("/usr/bin/tmux", ["-L", name, "has-session", "-t", name], timeout: 10).status == 0 { break }
            usleep(100_000)
        }
        #expect(waitFor("1 of 2 done"), "screen:\n\(screen())")
        #expect(screen().contains("→  02-second  Second lesson"), "screen:\n\(screen())")
        _ = tmux("send-keys", "-t", name, "q")
        #expect(waitFor("EXITED=0"))
    }
}
