import Foundation
import Testing

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
    func withLab(seed: Int, _ body: (_ tmux: (String...) -> String, _ screen: () -> String, _ waitFor: (String) -> Bool) throws -> Void) throws {
        let name = "svclab-tui-\(getpid())-\(seed)"
        func tmux(_ args: String...) -> String { TUISubprocess.run("/usr/bin/tmux", ["-L", name] + args) }
        _ = tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24",
                 "env LANG=C.UTF-8 TERM=xterm-256color \(Self.binary) --seed \(seed); echo EXITED=$?; sleep 30")
        defer { _ = tmux("kill-server") }
        func screen() -> String { tmux("capture-pane", "-p", "-t", name) }
        func waitFor(_ text: String) -> Bool {
            for _ in 0..<100 { if screen().contains(text) { return true }; usleep(100_000) }
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

    @Test(.enabled(if: TmuxTests.hasTmux))
    func sigtermRestoresTheTerminal() throws {
        try withLab(seed: 4242) { _, screen, waitFor in
            #expect(waitFor("Endpoints of my-app"), "screen:\n\(screen())")
            // Anchored: the tmux server's and the shell's command lines contain the same words.
            _ = TUISubprocess.run("/usr/bin/pkill", ["-TERM", "-f", "^\(Self.binary) --seed 4242"])
            #expect(waitFor("EXITED=0"), "screen:\n\(screen())")
            #expect(!screen().contains("Endpoints of my-app"))
        }
    }
}

/// posix_spawn with files and a deadline (Foundation's Process can hang a test worker).
enum TUISubprocess {
    static func run(_ executable: String, _ arguments: [String], timeout: Double = 10) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-tui-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outPath = dir.appendingPathComponent("out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(); sigemptyset(&empty)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        env["TMUX"] = nil
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, &attributes, argv, envp) == 0 else { return "" }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline { kill(pid, SIGKILL); _ = waitpid(pid, &status, 0); break }
            usleep(5_000)
        }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }
}
