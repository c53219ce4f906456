import Synchronization
import ArgumentParser
import ClusterEngine
import ClusterModel
import Foundation
import Kubectl
import Scenario
import TUI
import APIServer
import RemoteCluster

/// Options every svclab command takes (DESIGN.md §1).
struct ClusterOptions: ParsableArguments {
    @Option(help: "Seed for every random choice (names, IPs, timings). Same seed and input give the same output.")
    var seed: UInt64 = 1
    @Flag(help: "Start from a bare cluster (namespaces, nodes, the kubernetes and kube-dns Services) instead of the demo.")
    var empty = false
    @Option(help: "Number of worker nodes.")
    var nodes: Int = 3
    @Option(name: .customLong("lb-pool"), help: ArgumentHelp("Addresses for LoadBalancer Services (FIRST-LAST), or off to leave them <pending> as on a bare cluster.", valueName: "RANGE"))
    var lbPool: String = "172.18.255.200-172.18.255.250"
    @Option(name: .customLong("proxy-mode"), help: ArgumentHelp("kube-proxy's mode on every node: iptables (kind's default) or nftables.", valueName: "MODE"))
    var proxyMode: String = "iptables"

    func validate() throws {
        guard ProxyMode(rawValue: proxyMode) != nil else { throw ValidationError("--proxy-mode takes iptables or nftables, not \(proxyMode)") }
        guard (0...5000).contains(nodes) else { throw ValidationError("--nodes must be between 0 and 5000") }
        guard LoadBalancerPool.parse(lbPool) != nil else { throw ValidationError("--lb-pool takes FIRST-LAST (e.g. 172.18.255.200-172.18.255.250) or off") }
    }

    /// `now`: make the cluster's clock read this (the wall time, for `serve`: a real kubectl
    /// computes some ages itself, from its own clock); nil keeps the fixed origin.
    func makeSession(now: Millis? = nil) -> Session {
        let pool = LoadBalancerPool.parse(lbPool) ?? nil
        // Bootstrap takes 10 simulated minutes, the demo 5 more.
        let start = now.map { $0 / 1000 * 1000 - (empty ? 600_000 : 900_000) } ?? VirtualClock.defaultStart
        let mode = ProxyMode(rawValue: proxyMode) ?? .iptables
        return empty ? Session.empty(seed: seed, nodes: nodes, loadBalancerPool: pool, start: start, proxyMode: mode)
            : Session.demo(seed: seed, nodes: nodes, loadBalancerPool: pool, start: start, proxyMode: mode)
    }
}

/// `--kubeconfig FILE [--context NAME] [-n NS]`: a real cluster instead of the simulation —
/// only with the explicit flag (a KUBECONFIG in the environment never turns the demo into a
/// real cluster; `--kubeconfig "$KUBECONFIG"` does).
struct RealClusterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read a real cluster through this kubeconfig instead of simulating one (with the lab and shell; with --serve: where to write serve's kubeconfig).", valueName: "FILE"))
    var kubeconfig: String?
    @Option(help: ArgumentHelp("With --kubeconfig: the context to use (default: its current-context).", valueName: "NAME"))
    var context: String?
    @Option(name: [.customShort("n"), .customLong("namespace")], help: ArgumentHelp("With --kubeconfig: the namespace (default: the context's, else default).", valueName: "NS"))
    var namespace: String?
    @Flag(help: "With --kubeconfig: write (scale, label, annotate, delete) without asking first.")
    var yes = false
    @Flag(name: .customLong("read-only"), help: "With --kubeconfig: refuse every write to the cluster.")
    var readOnly = false

    /// Connects, lists every kind once and returns a session over the mirror; kubectl's words
    /// and exit status 1 when it cannot.
    func openSession() throws -> (Session, RealCluster) {
        let wall = { Millis(Date().timeIntervalSince1970 * 1000) }
        let real: RealCluster
        do { real = try RealCluster(kubeconfig: kubeconfig ?? "", context: context, now: wall()) } catch {
            FileHandle.standardError.write((error.message + "\n").data(using: .utf8)!)
            throw ExitCode(1)
        }
        real.start()
        if let problem = real.waitForFirstSync(seconds: 30) {
            FileHandle.standardError.write((problem + "\n").data(using: .utf8)!)
            throw ExitCode(1)
        }
        real.refresh(now: wall())
        if let note = real.proxyModeNote { FileHandle.standardError.write("warning: \(note)\n".data(using: .utf8)!) }
        let session = Session(cluster: real.mirror)
        session.namespace = namespace ?? real.connection.namespace
        session.realClusterTarget = "the cluster of context \"\(real.connection.contextName)\" (\(real.connection.server))"
        if !readOnly {
            session.realClusterWriter = real
            session.writesWithoutAsking = yes
        }
        return (session, real)
    }
}

extension RealCluster: RealClusterWriter {}

@main
struct Svclab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svclab",
        abstract: "A terminal lab for Kubernetes Services, on a simulated cluster.",
        discussion: "Without a subcommand, opens the lab on the demo cluster (the shell when not at a terminal).",
        subcommands: [Lab.self, Shell.self, Serve.self, Replay.self, Play.self, Scenarios.self, Challenge.self],
        defaultSubcommand: Lab.self
    )
}

/// `svclab shell`: kubectl-style command lines from stdin.
struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Run kubectl-style command lines against the simulated cluster.",
        discussion: """
        Reads command lines from stdin: kubectl (get, apply, scale, version), sleep DURATION, \
        comments, and pipes into grep/head/tail/wc/sort. `kubectl apply -f -` takes a heredoc \
        (<<EOF … EOF). From a pipe the virtual clock moves only with `sleep`; at a terminal it \
        follows wall time.
        """
    )

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var real: RealClusterOptions
    @Flag(name: .customLong("no-echo"), help: "When reading from a pipe, do not echo each command as `$ command`.")
    var noEcho = false
    @Option(name: .customLong("record"), help: ArgumentHelp("Write the commands (and the simulated time between them) to FILE as a scenario that replays to the same state.", valueName: "FILE"))
    var record: String?

    func run() throws {
        var mirror: RealCluster?
        let session: Session
        if real.kubeconfig != nil {
            let opened = try real.openSession()
            session = opened.0
            mirror = opened.1
        } else {
            session = cluster.makeSession()
        }
        if let record {
            let recorder = SessionRecorder(path: record, options: .init(seed: cluster.seed, nodes: cluster.nodes, empty: cluster.empty,
                                                                                     loadBalancerPool: cluster.lbPool == "172.18.255.200-172.18.255.250" ? nil : cluster.lbPool,
                                                                      proxyMode: cluster.proxyMode == "iptables" ? nil : cluster.proxyMode), startTime: session.cluster.now)
            do { try recorder.flush() } catch {
                throw ValidationError("--record: cannot write \(record): \(error.localizedDescription)")
            }
            session.recorder = recorder
        }
        let interactive = isatty(STDIN_FILENO) != 0
        var source = StdinLines(prompt: interactive ? { "svclab:\(session.namespace)$ " } : nil)
        if interactive {
            // One line that says where you are and how to learn more.
            // (Under 80 columns, so it never wraps.)
            if let mirror {
                print("svclab shell · REAL cluster \(mirror.title) · \(session.realClusterWriter == nil ? "read-only" : real.yes ? "writes without asking" : "asks before it writes") · exit to leave")
            } else {
                print("svclab shell · \(self.cluster.empty ? "bare" : "demo") cluster · type help for what it takes, exit to leave")
            }
        }
        if interactive, let editor = LineEditor.load() {
            LineEditor.completer = { line, word in session.completions(forLine: line, word: word) }
            source.editor = editor
        }
        let echo: ((String, Bool) -> Void)? = (interactive || noEcho) ? nil : { line, isCommand in
            // The echo shows what was typed, but never a raw control character (an escape
            // sequence in a piped script must not drive the terminal).
            let safe = CommandOutput.escapingControls(line)
            let shown = !isCommand || line.isEmpty || line.hasPrefix("#") ? safe : "$ \(safe)"
            FileHandle.standardOutput.write((shown + "\n").data(using: .utf8)!)
        }
        // At a terminal the simulated clock follows the wall clock (the only place that reads it),
        // and Ctrl-C ends a running watch instead of the shell.
        let wallStart = Date()
        let virtualStart = session.cluster.now
        if interactive {
            signal(SIGINT) { _ in interruptSignal.store(1, ordering: .relaxed) }
            // A parent may have left SIGINT blocked (the mask survives exec); unblock it.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            sigprocmask(SIG_UNBLOCK, &set, nil)
            session.live = LiveClock(
                now: { virtualStart + Int64(Date().timeIntervalSince(wallStart) * 1000) },
                interrupted: { interruptRequested },
                pause: { usleep(100_000) },
                emit: { stream, text in
                    (stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError).write(text.data(using: .utf8)!)
                })
        }
        var anyFailed = false
        // The simulated clock reaches wall time when a line is entered (time spent typing counts).
        let catchUp = {
            let elapsed = Int64(Date().timeIntervalSince(wallStart) * 1000)
            session.cluster.advance(to: max(session.cluster.now, virtualStart + elapsed))
        }
        if interactive { source.afterRead = catchUp }
        if let mirror {
            // Over a real cluster the clock is the wall clock and each line first applies
            // what the watches saw.
            let refresh = {
                _ = mirror.refresh(now: Millis(Date().timeIntervalSince1970 * 1000))
                if let problem = mirror.connectionProblem {
                    FileHandle.standardError.write("warning: reconnecting to \(mirror.connection.server) (\(problem)); what follows may be out of date\n".data(using: .utf8)!)
                }
            }
            session.live = nil
            source.afterRead = refresh
            if interactive {
                // At a terminal a write asks first (the answer is the next line typed).
                session.confirmWrite = { question in
                    FileHandle.standardOutput.write(question.data(using: .utf8)!)
                    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                    return answer == "y" || answer == "yes"
                }
            }
        }
        while true {
            if interactive && mirror == nil { catchUp() }
            clearInterrupt()
            guard let out = session.runNext(from: &source, echo: echo) else { break }
            for (stream, text) in out.chunks {
                let handle = stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError
                handle.write(text.data(using: .utf8)!)
            }
            if out.exitCode != 0 { anyFailed = true }
        }
        if interactive { FileHandle.standardOutput.write("\n".data(using: .utf8)!) }
        // Like a script run with `set -e` off: every line runs; the status says whether any failed.
        // From a pipe, leave without tearing the cluster down: freeing 150,000 pods object by
        // object took seconds, and every line's output is already written.
        if !interactive { Foundation.exit(anyFailed ? 1 : 0) }
    }
}

/// `svclab lab` (the default): the full-screen lab. Not at a terminal it runs the shell instead,
/// so `svclab < script` still works.
struct Lab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Open the lab: Services, pods and live endpoints side by side, on a simulated cluster."
    )

    @OptionGroup var cluster: ClusterOptions
    @Flag(help: "Also serve the cluster as a Kubernetes API (as `svclab serve` does): what the real kubectl does elsewhere shows here live.")
    var serve = false
    @Option(help: "With --serve: the port (0 picks a free one).")
    var port = 6443
    @OptionGroup var real: RealClusterOptions
    /// With --serve, --kubeconfig names the file serve writes.
    var kubeconfig: String { real.kubeconfig ?? "svclab.kubeconfig" }

    func validate() throws {
        if serve {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard APIServer.mayWriteKubeconfig(at: kubeconfig) else {
                throw ValidationError("\(kubeconfig) holds another cluster's kubeconfig; choose another file with --kubeconfig")
            }
        }
    }

    func run() throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            var shell = Shell()
            shell.cluster = cluster
            if !serve { shell.real = real }
            try shell.run()
            return
        }
        if !serve, real.kubeconfig != nil { return try runOnRealCluster() }
        // With --serve the clock reads the wall time (the client computes some ages itself).
        let session = cluster.makeSession(now: serve ? Millis(Date().timeIntervalSince1970 * 1000) : nil)
        let unicode = NcursesTerminal.localeIsUTF8()
        // The one place that reads the wall clock: it drives the simulated one.
        let app = LabApp(session: session, seed: cluster.seed, unicode: unicode, wallClock: { Date().timeIntervalSince1970 })
        app.recordOptions = SessionRecorder.Options(seed: cluster.seed, nodes: cluster.nodes, empty: cluster.empty,
                                                    loadBalancerPool: cluster.lbPool == "172.18.255.200-172.18.255.250" ? nil : cluster.lbPool,
                                                                      proxyMode: cluster.proxyMode == "iptables" ? nil : cluster.proxyMode)
        var server: Task<Void, Never>?
        if serve {
            // One serial executor: the lab's loop runs the API's requests between frames.
            let inbox = EngineInbox()
            app.externalWork = { inbox.drain(session) > 0 }
            let path = kubeconfig, port = port
            let listening = ListeningPort()
            server = Task.detached {
                do {
                    try await APIServer.serve(engine: inbox, options: .init(address: "127.0.0.1", port: port, speed: 1), handleSignals: false) { port in
                        try? APIServer.kubeconfig(server: "http://127.0.0.1:\(port)").write(toFile: path, atomically: true, encoding: .utf8)
                        listening.set(port)
                    }
                } catch {
                    listening.fail("\(error)")
                }
            }
            // Say where it listens (or why it cannot) before the screen takes over. Until the
            // lab's loop runs, this loop runs the server's jobs (it records the cluster's changes
            // before it listens).
            var outcome: ListeningPort.Outcome?
            let deadline = Date().addingTimeInterval(10)
            while outcome == nil && Date() < deadline {
                _ = inbox.drain(session)
                outcome = listening.wait(seconds: 0.01)
            }
            switch outcome {
            case let .port(p)?:
                app.serving = ":\(p)"
                let full = (path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path
                app.flash = "API at http://127.0.0.1:\(p) — in another terminal: export KUBECONFIG=\(full)"
            case let .failed(message)?: server?.cancel(); throw ValidationError("cannot serve on port \(port): \(message)")
            case nil: server?.cancel(); throw ValidationError("the API server did not start within 10 s")
            }
        }
        guard let terminal = NcursesTerminal() else {
            throw ValidationError("cannot open the terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))")
        }
        app.run(on: terminal)
        terminal.restore()
        server?.cancel()
    }

    /// The lab over a real cluster: the mirror is refreshed between frames (the reflectors'
    /// changes applied on the lab's thread), the header says which cluster and whether it is
    /// reconnecting.
    func runOnRealCluster() throws {
        let (session, mirror) = try real.openSession()
        let app = LabApp(session: session, seed: 0, unicode: NcursesTerminal.localeIsUTF8(), wallClock: { Date().timeIntervalSince1970 })
        app.realCluster = mirror.title
        app.externalWork = {
            let changed = mirror.refresh(now: Millis(Date().timeIntervalSince1970 * 1000))
            let problem = mirror.connectionProblem
            defer { app.realClusterProblem = problem }
            return changed || problem != app.realClusterProblem
        }
        guard let terminal = NcursesTerminal() else {
            throw ValidationError("cannot open the terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))")
        }
        app.run(on: terminal)
        terminal.restore()
        mirror.stop()
    }
}

/// `svclab replay FILE…`: runs scenarios headless and prints their transcripts.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run scenario files headless: a transcript with ✓/✗ for every check; exit 1 if any fails."
    )
    @Argument(help: "Scenario files (YAML).") var files: [String]
    @Option(name: .customLong("cast"), help: ArgumentHelp("Also write an asciinema v2 recording of the replay.", valueName: "FILE"))
    var cast: String?
    @Flag(name: .customLong("no-solutions"), help: "Run without the challenges' solutions: every challenge must then fail (exit 1).")
    var noSolutions = false

    func run() throws {
        var failed = false
        var casts: [String] = []
        for (i, file) in files.enumerated() {
            do throws(ScenarioError) {
                let scenario = try ScenarioParser.load(path: file)
                let runner = try ScenarioRunner(scenario)
                let replay = runner.replay(solutions: !noSolutions)
                if i > 0 { print("") }
                FileHandle.standardOutput.write(replay.transcript.data(using: .utf8)!)
                if replay.failures > 0 { failed = true }
                casts.append(ScenarioRunner.cast(replay, title: scenario.title))
            } catch {
                FileHandle.standardError.write("svclab replay: \(error.message)\n".data(using: .utf8)!)
                failed = true
            }
        }
        if let cast, let first = casts.first {
            // One recording: the first file's (several casts are several files).
            // Said plainly, with the system's reason ("No such file or directory", "Permission denied").
            if FileManager.default.createFile(atPath: cast, contents: Data(first.utf8)) == false {
                let reason = String(cString: strerror(errno))
                FileHandle.standardError.write("svclab replay: cannot write the cast to \(cast): \(reason)\n".data(using: .utf8)!)
                throw ExitCode(1)
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `svclab scenarios`: the shipped scenarios and their titles, or `--check FILE…`.
struct Scenarios: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "List the shipped scenarios, or check lesson files without running them.",
        discussion: "--check FILE… validates each file: its YAML and keys (with file:line:column), every command line, and every file a command names, which must lie inside the lesson's folder."
    )
    @Option(help: "Folder to list.") var dir: String = "scenarios"
    @Flag(help: "Check the given lesson files instead of listing a folder; exit 1 if any has a problem.") var check = false
    @Argument(help: "Lesson files to check (with --check).") var files: [String] = []

    func validate() throws {
        if check && files.isEmpty { throw ValidationError("--check needs one or more lesson files") }
        if !check && !files.isEmpty { throw ValidationError("lesson files are checked with --check FILE…; without it, scenarios lists --dir") }
    }

    func run() throws {
        if check {
            var failed = false
            for file in files {
                let problems = ScenarioCheck.problems(path: file)
                if problems.isEmpty { print("\(file): ok") } else {
                    failed = true
                    for p in problems { FileHandle.standardError.write((p + "\n").data(using: .utf8)!) }
                }
            }
            if failed { throw ExitCode(1) }
            return
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        guard !files.isEmpty else { throw ValidationError("no scenarios in \(dir)/ (run from the svclab folder, or pass --dir)") }
        for f in files {
            let path = (dir as NSString).appendingPathComponent(f)
            // Only the title is read: a listing never runs or expands a lesson's steps.
            let title = ScenarioParser.title(path: path) ?? "(does not parse: svclab scenarios --check \(path) tells why)"
            print("\(path.padding(toLength: max(path.count, 44), withPad: " ", startingAt: 0))  \(title)")
        }
    }
}

/// `svclab play FILE`: the lab on screen, driven by a scenario; `svclab play DIR`: a course.
struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play", abstract: "Walk through a scenario on screen: narration, steps, challenges with hints.",
        discussion: "Given a folder, plays its lessons in file-name order from a menu (✓ done) and keeps progress in $XDG_STATE_HOME/svclab/progress.json (~/.local/state/svclab/), so the next run resumes at the first unfinished lesson."
    )
    @Argument(help: "A scenario file, or a folder of them (a course).") var file: String

    func run() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
            try playCourse()
            return
        }
        let runner: ScenarioRunner
        do throws(ScenarioError) { runner = try ScenarioRunner(try ScenarioParser.load(path: file)) } catch { throw ValidationError(error.message) }
        let scenario = runner.scenario
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw ValidationError("play needs a terminal; use svclab replay \(file) for a headless run")
        }
        let app = LabApp(session: runner.session, seed: scenario.cluster.seed, unicode: NcursesTerminal.localeIsUTF8(),
                         wallClock: { Date().timeIntervalSince1970 }, player: ScenarioPlayer(runner))
        guard let terminal = NcursesTerminal() else { throw ValidationError("cannot open the terminal") }
        app.run(on: terminal)
        terminal.restore()
    }
}

extension Play {
    /// The course loop: menu → lesson → menu, progress saved after each finished lesson.
    func playCourse() throws {
        guard let course = Course(folder: file) else { throw ValidationError("no lessons (*.yaml) in \(file)") }
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw ValidationError("play needs a terminal; use svclab replay \(file)/*.yaml for a headless run")
        }
        let progress = CourseProgress()
        let unicode = NcursesTerminal.localeIsUTF8()
        guard let terminal = NcursesTerminal() else { throw ValidationError("cannot open the terminal") }
        defer { terminal.restore() }
        var menu = CourseMenu(course: course, progress: progress)
        menuLoop: while !terminal.stopRequested {
            terminal.draw(menu.render(width: terminal.size.width, height: terminal.size.height, unicode: unicode))
            guard let input = terminal.nextInput(timeoutMillis: 200) else { continue }
            switch menu.handle(input) {
            case .quit: break menuLoop
            case .none: continue
            case let .play(i):
                let lesson = course.lessons[i]
                let runner: ScenarioRunner
                do throws(ScenarioError) {
                    // Inside a course a lesson may read any file of the course's folder.
                    runner = try ScenarioRunner(try ScenarioParser.load(path: course.path(lesson)), course: course.folder)
                } catch {
                    menu.message = error.message
                    continue
                }
                let player = ScenarioPlayer(runner)
                player.inCourse = true
                let app = LabApp(session: runner.session, seed: runner.scenario.cluster.seed, unicode: unicode,
                                 wallClock: { Date().timeIntervalSince1970 }, player: player)
                app.run(on: terminal)
                menu.message = player.predictions.asked > 0 ? "\(lesson): predictions \(player.predictions.right) of \(player.predictions.asked) right" : nil
                if player.finished {
                    if let failure = progress.markDone(lesson, in: course.folder) { menu.message = failure }
                    menu.done.insert(lesson)
                    menu.index = course.lessons.firstIndex { !menu.done.contains($0) } ?? i
                }
            }
        }
    }
}

/// `svclab challenge [--seed N] [--write FILE]`: a fresh cluster with one classic fault.
struct Challenge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "challenge",
        abstract: "Play a generated challenge: a fresh cluster with one classic Service fault injected.",
        discussion: "The same seed gives the same fault (seed N: class (N-1) mod 8 — selector typo, missing label, label on one of two Deployments, wrong targetPort, misnamed targetPort, failing readiness probe, wrong namespace in a DNS name, port and targetPort swapped). --write saves it as a lesson that replays green, and fails with replay --no-solutions."
    )
    @Option(help: "Which challenge (the same seed, the same fault).") var seed: UInt64 = 1
    @Option(name: .customLong("write"), help: ArgumentHelp("Write the challenge as a scenario file instead of playing it.", valueName: "FILE"))
    var write: String?

    func run() throws {
        let text = ChallengeGenerator.scenario(seed: seed)
        if let write {
            guard FileManager.default.createFile(atPath: write, contents: Data(text.utf8)) else {
                throw ValidationError("cannot write \(write): \(String(cString: strerror(errno)))")
            }
            print("wrote \(write): \(ChallengeGenerator.fault(seed: seed).rawValue) (svclab play \(write), or svclab replay \(write))")
            return
        }
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw ValidationError("challenge needs a terminal; svclab challenge --seed \(seed) --write FILE saves it for replay")
        }
        let runner: ScenarioRunner
        do throws(ScenarioError) {
            runner = try ScenarioRunner(try ScenarioParser.parse(text, path: "challenge-\(seed).yaml"))
        } catch { throw ValidationError(error.message) }
        let app = LabApp(session: runner.session, seed: seed, unicode: NcursesTerminal.localeIsUTF8(),
                         wallClock: { Date().timeIntervalSince1970 }, player: ScenarioPlayer(runner))
        guard let terminal = NcursesTerminal() else { throw ValidationError("cannot open the terminal") }
        app.run(on: terminal)
        terminal.restore()
    }
}

/// Set by the SIGINT handler (which may run on any thread); read by the live watch loop and
/// the line editor. An atomic, so the handler's write and the loop's read are not a data race.
let interruptSignal = Atomic<Int32>(0)
var interruptRequested: Bool {
    get { interruptSignal.load(ordering: .relaxed) != 0 }
}
func clearInterrupt() { interruptSignal.store(0, ordering: .relaxed) }

/// Lines from standard input, with an optional prompt at a terminal.
struct StdinLines: LineSource {
    var prompt: (() -> String)?
    init(prompt: (() -> String)?) { self.prompt = prompt }
    /// Bytes read but not yet returned (a pipe delivers many lines per read); lines start at
    /// `start`, and bytes before `scanned` are known to hold no newline — so a line of any
    /// length costs time linear in its length, and many short lines cost no copying.
    private var pending: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEnd = false
    /// At a terminal, when libedit is there: editing, history, Tab completion.
    var editor: LineEditor?
    /// Called when a line has been typed, before it runs (the live clock catches up to Enter).
    var afterRead: (() -> Void)?

    mutating func nextLine() -> String? {
        let line = readOneLine()
        if line != nil { afterRead?() }
        return line
    }

    private mutating func readOneLine() -> String? {
        if let editor, let prompt {
            return editor.readLine(prompt: prompt())
        }
        if let prompt {
            FileHandle.standardOutput.write(prompt().data(using: .utf8)!)
        }
        // read(2) directly: stdio's stdin keeps EOF/error state across the SIGINT of a live watch.
        while true {
            if let nl = pending[max(scanned, start)...].firstIndex(of: 10) {
                let line = String(decoding: pending[start..<nl], as: UTF8.self)
                start = nl + 1
                scanned = start
                return line
            }
            scanned = pending.count
            if atEnd {
                guard start < pending.count else { return nil }
                defer { pending.removeAll(); start = 0; scanned = 0 }
                return String(decoding: pending[start...], as: UTF8.self)
            }
            // Drop what was returned before the buffer grows again (amortised: at most once a read).
            if start > 0 && start >= pending.count / 2 {
                pending.removeSubrange(..<start)
                scanned -= start
                start = 0
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = read(STDIN_FILENO, &buffer, buffer.count)
            if n > 0 { pending.append(contentsOf: buffer[..<n]) }
            else if n < 0 && errno == EINTR { continue }
            else { atEnd = true }
        }
    }
}

/// `svclab serve`: the simulated cluster behind a Kubernetes API, for the real kubectl and
/// client libraries. Writes a kubeconfig (cluster, context and user `kind-svclab`).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the simulated cluster as a Kubernetes API (for the real kubectl, client libraries and k9s).",
        discussion: """
        Binds 127.0.0.1 unless --address says otherwise (there is no authentication). Writes a \
        kubeconfig (default ./svclab.kubeconfig; never over another cluster's) and prints the \
        export line. The simulated clock runs at wall time × --speed (0 stops it). Serves until \
        Ctrl-C or SIGTERM.
        """
    )

    @OptionGroup var cluster: ClusterOptions
    @Option(help: "Address to bind (loopback by default; another address serves without authentication).")
    var address = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 6443
    @Option(help: ArgumentHelp("Where to write the kubeconfig.", valueName: "FILE"))
    var kubeconfig = "svclab.kubeconfig"
    @Option(help: "Simulated seconds per wall second (0 stops the clock).")
    var speed: Double = 1
    @Flag(help: "Serve HTTPS with a fresh self-signed CA (written into the kubeconfig).")
    var tls = false
    @Option(help: ArgumentHelp("Require this bearer token (written into the kubeconfig); other requests get 401 Unauthorized.", valueName: "TOKEN"))
    var token: String?
    @Flag(name: .customLong("fixed-clock"), help: "Start the clock at svclab's fixed origin (2025-06-01 12:00 UTC), as `svclab shell` does, instead of now: with --speed 0 both print the same.")
    var fixedClock = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard speed >= 0, speed <= 1000 else { throw ValidationError("--speed must be between 0 and 1000") }
        guard APIServer.mayWriteKubeconfig(at: kubeconfig) else {
            throw ValidationError("\(kubeconfig) holds another cluster's kubeconfig; choose another file with --kubeconfig")
        }
    }

    func run() async throws {
        if !["127.0.0.1", "::1", "localhost"].contains(address) && token == nil {
            FileHandle.standardError.write("warning: serving on \(address) without authentication: anyone who can reach it can change the cluster\n".data(using: .utf8)!)
        }
        let certificates = tls ? try ServingCertificates.make(addresses: ["127.0.0.1", "::1", address]) : nil
        let token = token
        // The cluster's clock reads the wall time (unless --fixed-clock): describe's event ages
        // and `kubectl wait --timeout` are computed by the client from its own clock.
        let session = cluster.makeSession(now: fixedClock ? nil : Millis(Date().timeIntervalSince1970 * 1000))
        let path = kubeconfig, address = address
        let started = Date().timeIntervalSince1970
        try await APIServer.run(session: session, options: .init(address: address, port: port, speed: speed, tls: certificates, token: token),
                                wallClock: { Date().timeIntervalSince1970 - started }) { port in
            let host = address.contains(":") ? "[\(address)]" : address
            let server = "\(certificates == nil ? "http" : "https")://\(host):\(port)"
            try? APIServer.kubeconfig(server: server, caPEM: certificates?.caPEM, token: token).write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o600)   // it may hold a token: readable by its owner only, as kind writes it
            let full = (path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path
            // Written at once and unbuffered: a script reading our stdout sees it while we serve.
            FileHandle.standardOutput.write("svclab serves the simulated cluster at \(server)\nexport KUBECONFIG=\(full)\n(Ctrl-C stops it)\n".data(using: .utf8)!)
        }
    }
}

/// The port a background server reports it listens on (or why it could not start).
final class ListeningPort: @unchecked Sendable {
    enum Outcome { case port(Int), failed(String) }
    private let condition = NSCondition()
    private var outcome: Outcome?
    func set(_ port: Int) { condition.lock(); outcome = .port(port); condition.signal(); condition.unlock() }
    func fail(_ message: String) { condition.lock(); if outcome == nil { outcome = .failed(message) }; condition.signal(); condition.unlock() }
    func wait(seconds: Double) -> Outcome? {
        condition.lock(); defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while outcome == nil && condition.wait(until: deadline) {}
        return outcome
    }
}
