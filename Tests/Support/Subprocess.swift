import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process with a hard deadline, without Foundation's `Process`.
///
/// Why not `Process`: its `waitUntilExit()` polls a run loop and can park a Swift Testing
/// worker thread forever (swiftlang/swift-corelibs-foundation, swift#79881), and a pipe whose
/// write end leaks into a daemon (the tmux server forks while another test's pipes are open)
/// never reaches end-of-file. One such hang cost a whole CI run. Here output goes to files,
/// the child gets only fds 0–2 (`closefrom` in the spawn actions), and `waitpid` is polled
/// against a deadline after which the child is killed.
public enum Subprocess {
    public struct Result {
        public var stdout: String
        public var stderr: String
        public var status: Int32
        public var timedOut: Bool
    }

    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                    environment: [String: String]? = nil, timeout: Double = 60) -> Result {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("svclab-sub-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inPath = dir.appendingPathComponent("in").path
        let outPath = dir.appendingPathComponent("out").path
        let errPath = dir.appendingPathComponent("err").path
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))

        var env = environment ?? ProcessInfo.processInfo.environment
        env["TMUX"] = nil   // a tmux client inside tmux would talk to the wrong server
        guard let pid = spawn(executable, arguments, stdin: inPath, stdout: outPath, stderr: errPath, environment: env, ownGroup: true) else {
            return Result(stdout: "", stderr: "spawn \(executable) failed", status: -1, timedOut: false)
        }

        var status: Int32 = 0
        var timedOut = false
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if Date() > deadline {
                timedOut = true
                kill(-pid, SIGKILL); kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(5_000)
        }
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return Result(stdout: read(outPath), stderr: read(errPath), status: exit, timedOut: timedOut)
    }

    /// A child left running (a server): its output goes to files the test reads while it runs.
    public final class Background {
        public let pid: pid_t
        let dir: URL
        init(pid: pid_t, dir: URL) { self.pid = pid; self.dir = dir }
        public var stdout: String { (try? String(contentsOfFile: dir.appendingPathComponent("out").path, encoding: .utf8)) ?? "" }
        public var stderr: String { (try? String(contentsOfFile: dir.appendingPathComponent("err").path, encoding: .utf8)) ?? "" }
        /// Waits up to `timeout` seconds for stdout to contain `text`.
        public func waitForOutput(_ text: String, timeout: Double = 30) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline { if stdout.contains(text) { return true }; usleep(20_000) }
            return false
        }
        /// Sends `signal` and waits (up to 10 s, then SIGKILL) for the exit status.
        @discardableResult
        public func stop(_ signal: Int32 = SIGTERM) -> Int32 {
            kill(pid, signal)
            var status: Int32 = 0
            let deadline = Date().addingTimeInterval(10)
            while waitpid(pid, &status, WNOHANG) != pid {
                if Date() > deadline { kill(pid, SIGKILL); _ = waitpid(pid, &status, 0); break }
                usleep(10_000)
            }
            try? FileManager.default.removeItem(at: dir)
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    /// Starts `executable` without waiting for it (stdin empty, output to files).
    /// `stdin`: a path the child reads (a FIFO the test writes to while it runs).
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: String = "/dev/null") -> Background? {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("svclab-bg-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard let pid = spawn(executable, arguments, stdin: stdin, stdout: dir.appendingPathComponent("out").path,
                              stderr: dir.appendingPathComponent("err").path, environment: environment ?? ProcessInfo.processInfo.environment,
                              ownGroup: false) else { return nil }
        return Background(pid: pid, dir: dir)
    }

    /// posix_spawn with fds 0–2 from files and nothing else inherited, default signal handling
    /// and an empty mask (the test runner may block SIGINT; a shell under test must see Ctrl-C).
    /// `ownGroup`: its own process group, so a deadline can kill it and its children.
    static func spawn(_ executable: String, _ arguments: [String], stdin: String, stdout: String, stderr: String,
                      environment: [String: String], ownGroup: Bool) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        closeInheritedDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(); sigemptyset(&empty)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (ownGroup ? POSIX_SPAWN_SETPGROUP : 0)))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = environment
        env["SVCLAB_UNDER_TEST"] = "1"
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, &attributes, argv, envp) == 0 else { return nil }
        return pid
    }

    /// An executable on PATH, or nil.
    public static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// glibc ≥ 2.34 has `posix_spawn_file_actions_addclosefrom_np`, but its header hides it
    /// behind _GNU_SOURCE, so Swift's Glibc module does not export it: look it up at run time.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
    }
}
