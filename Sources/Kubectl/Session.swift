import ClusterModel
import ClusterEngine
import Foundation

/// Where a shell session reads its command lines from.
public protocol LineSource {
    mutating func nextLine() -> String?
}

/// Lines of a script held in memory (scenario `run:` steps, tests, piped stdin read whole).
public struct ScriptLines: LineSource {
    private var lines: [String]
    private var index = 0
    public init(_ text: String) {
        // Split on the newline byte and drop a CR before it: a CRLF is one Swift Character.
        var l = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes -> String in
            let line = String(decoding: bytes, as: UTF8.self)
            return line.utf8.last == UInt8(ascii: "\r") ? String(decoding: bytes.dropLast(), as: UTF8.self) : line
        }
        if l.last == "" { l.removeLast() }
        lines = l
    }
    public mutating func nextLine() -> String? {
        guard index < lines.count else { return nil }
        defer { index += 1 }
        return String(lines[index])
    }
}

/// One `svclab shell` session: a cluster, the current namespace and the files it may read.
/// Runs the shell language (kubectl, sleep, comments, pipes into a few filters).
public final class Session {
    public let cluster: Cluster
    public var namespace = "default"
    /// The namespace `kubectl config set-context --current --namespace=NS` wrote into the
    /// session's kubeconfig context (nil until then; see `SessionKubeconfig`).
    public var contextNamespace: String?
    public var workingDirectory: String
    /// Reads a file for `apply -f`; injectable so tests and scenarios control what is readable.
    public var readFile: (String) throws -> String = { path in try String(contentsOfFile: path, encoding: .utf8) }
    public var listDirectory: (String) -> [String]? = { path in
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return nil }
        return (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted()
    }
    public var fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    /// Inside a lesson: the one folder its commands may read from (nil at the user's own shell).
    public var confinement: FileConfinement?
    /// Set at an interactive terminal: watches follow the wall clock until Ctrl-C.
    public var live: LiveClock?
    /// `svclab shell --record FILE`: notes every command as a scenario step.
    public var recorder: SessionRecorder?
    /// Set when the cluster mirrors a real one (`svclab --kubeconfig`): names it (context and
    /// server). Only reading commands run as usual; the four writing ones go through
    /// `realClusterWriter` (nil: read-only), the rest refuse.
    public var realClusterTarget: String?
    /// Over a real cluster with writes allowed: sends what a command changed on the mirror to
    /// the real API server (nil: read-only).
    public var realClusterWriter: RealClusterWriter?
    /// Asks the person before a write reaches a real cluster (the shell at a terminal, the
    /// lab's prompt); nil when no one can answer.
    public var confirmWrite: ((String) -> Bool)?
    /// `--yes`: write to the real cluster without asking.
    public var writesWithoutAsking = false
    /// The lines of the last `trace` or `traffic`, with what each says (nil after other commands
    /// that the caller cleared it for: the lab clears it before running a line).
    public var lastTrace: [TraceLine]?
    /// What the last `traffic` measured.
    public var lastTraffic: TrafficReport?
    /// `why -n NS`: the namespace for one explanation.
    var namespaceOverride: String?
    /// Set by `exit`: the next `runNext` ends the session.
    public private(set) var exitRequested = false

    public init(cluster: Cluster, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.cluster = cluster
        self.workingDirectory = workingDirectory
        cluster.processRunner = { cluster, pod, container in ContainerRuntime.run(cluster: cluster, pod: pod, container: container) }
        cluster.execRunner = { cluster, pod, container, argv in
            let result = ContainerShell(cluster: cluster, pod: pod, container: container, tty: false).run(argv)
            return ProcessRun(output: result.chunks.map { ($0.0 == .stderr, $0.1) }, exitCode: result.exitCode)
        }
    }

    /// A session on the demo cluster (`svclab`, `svclab shell`): the demo manifests are applied
    /// with `kubectl apply` 10 minutes into the cluster's life and run for 5 minutes.
    /// `start`: when the cluster was created (its clock then reads start + 15 minutes).
    public static func demo(seed: UInt64 = 1, nodes: Int = 3, loadBalancerPool: ClosedRange<UInt32>? = LoadBalancerPool.defaultRange,
                            start: Millis = VirtualClock.defaultStart, proxyMode: ProxyMode = .iptables) -> Session {
        var config = Cluster.Config(seed: seed, workerNodes: nodes)
        config.loadBalancerPool = loadBalancerPool
        config.proxyMode = proxyMode
        config.start = start
        let session = Session(cluster: Cluster.bootstrapped(config: config, settleSeconds: 600))
        let out = session.apply([(DemoCluster.manifests, "demo.yaml")], explicitNamespace: nil, defaultNamespace: session.namespace)
        precondition(out.exitCode == 0, "demo manifests failed: \(out.stderr)")
        session.cluster.advance(bySeconds: 300)
        return session
    }

    /// A bare cluster (`--empty`): namespaces, nodes, `kubernetes` and `kube-dns`.
    public static func empty(seed: UInt64 = 1, nodes: Int = 3, loadBalancerPool: ClosedRange<UInt32>? = LoadBalancerPool.defaultRange,
                             start: Millis = VirtualClock.defaultStart, proxyMode: ProxyMode = .iptables) -> Session {
        var config = Cluster.Config(seed: seed, workerNodes: nodes)
        config.loadBalancerPool = loadBalancerPool
        config.proxyMode = proxyMode
        config.start = start
        return Session(cluster: Cluster.bootstrapped(config: config, settleSeconds: 600))
    }

    func resolvePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
    }

    // MARK: Running lines

    /// Reads one command (with its heredoc body, if any) from `source` and runs it.
    /// Returns nil at end of input. `echo` receives the text as typed (for transcripts), with
    /// `true` for a command line and `false` for heredoc or stdin body lines.
    public func runNext<S: LineSource>(from source: inout S, echo: ((String, Bool) -> Void)? = nil) -> CommandOutput? {
        guard !exitRequested, let line = source.nextLine() else { return nil }
        echo?(line, true)
        let parsed: ShellLine
        do { parsed = try ShellLine.parse(line) } catch {
            var out = CommandOutput()
            out.fail("svclab: \(error.message)", code: 2)
            return out
        }
        var stdin: String?
        var recordedBody: ([String], String)?
        if let terminator = parsed.heredoc {
            var body: [String] = []
            while let l = source.nextLine() {
                echo?(l, false)
                if l == terminator || l.trimmingCharacters(in: .whitespaces) == terminator { break }
                body.append(l)
            }
            stdin = body.joined(separator: "\n") + "\n"
            recordedBody = (body, terminator)
        } else if let words = parsed.stages.first, FileArguments.readsStdin(words) {
            var rest: [String] = []
            while let l = source.nextLine() { echo?(l, false); rest.append(l) }
            stdin = rest.joined(separator: "\n") + "\n"
            // Recorded as a heredoc, so the scenario holds the input in place.
            recordedBody = (rest, "EOF")
        }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let recording = recorder != nil && !trimmed.isEmpty && !trimmed.hasPrefix("#") && !["exit", "clear"].contains(trimmed)
        if recording, let recorder {
            var typed = recordedBody != nil && parsed.heredoc == nil ? line + " <<EOF" : line
            // A recording stays self-contained: the files a command applied go in as a heredoc.
            if recordedBody == nil, parsed.stages.count == 1, let inlined = inlineFiles(parsed.stages[0]) {
                typed = inlined.line
                recordedBody = (inlined.body, "EOF")
            }
            recorder.record(line: typed, heredocBody: recordedBody?.0, terminator: recordedBody?.1, at: cluster.now)
        }
        let result = run(parsed, stdin: stdin)
        if recording, let recorder {
            // Time the command itself moved (sleep, wait, rollout status) replays by itself.
            recorder.advanced(to: cluster.now)
            try? recorder.flush()
        }
        return result
    }

    /// `kubectl apply -f a.yaml -f dir/` as `kubectl apply -f -` with the files' documents as its
    /// input, for a recording; nil when the line names no file or one cannot be read (then the
    /// line is recorded as typed and fails the same way on replay).
    func inlineFiles(_ words: [String]) -> (line: String, body: [String])? {
        let names = FileArguments.named(in: words)
        guard !names.isEmpty, ["kubectl", "k"].contains(words[0]), !words.contains(where: { $0.hasPrefix("--patch-file") }) else { return nil }
        // The files exactly as `apply -f` reads them (a folder's manifests in name order).
        guard case let .success(inputs) = ManifestInputs.read(names, session: self, stdin: nil) else { return nil }
        let documents = inputs.map { $0.text.hasSuffix("\n") ? String($0.text.dropLast()) : $0.text }
        // The heredoc must not end early: a body line equal to EOF would.
        let body = documents.joined(separator: "\n---\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !body.contains("EOF") else { return nil }
        var rewritten: [String] = []
        var i = 0
        var placed = false
        while i < words.count {
            let w = words[i]
            if ["-f", "--filename"].contains(w), i + 1 < words.count {
                i += 2
            } else if w.hasPrefix("--filename=") || w.hasPrefix("-f=") || (w.hasPrefix("-f") && !w.hasPrefix("--") && w.count > 2) {
                i += 1
            } else {
                rewritten.append(w); i += 1; continue
            }
            if !placed { rewritten += ["-f", "-"]; placed = true }
        }
        return (rewritten.map(Self.shellQuote).joined(separator: " ") + " <<EOF", body)
    }

    /// A word as a shell line writes it: bare when it is plain, else in single quotes.
    static func shellQuote(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_./:=,@%+-".unicodeScalars.contains($0) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs a whole script and returns every command's output concatenated.
    public func runScript(_ text: String) -> CommandOutput {
        var source = ScriptLines(text)
        var all = CommandOutput()
        cluster.interrupted = false
        while let out = runNext(from: &source) {
            all.chunks.append(contentsOf: out.chunks)
            all.exitCode = out.exitCode
            // Ctrl-C in the lab stopped the clock: the rest of the script does not run.
            if cluster.interrupted { all.err("^C"); all.exitCode = 130; break }
        }
        return all
    }

    /// Runs one already-split line.
    public func run(_ line: ShellLine, stdin: String? = nil) -> CommandOutput {
        guard let first = line.stages.first, !first.isEmpty else { return CommandOutput() }
        var out = runCommand(first, stdin: stdin)
        for stage in line.stages.dropFirst() {
            out = Filters.run(stage, input: out)
        }
        return out
    }

    func runCommand(_ words: [String], stdin: String?) -> CommandOutput {
        var out = CommandOutput()
        switch words[0] {
        case "kubectl", "k":
            return Kubectl.run(Array(words.dropFirst()), session: self, stdin: stdin)
        case "sleep":
            return runSleep(Array(words.dropFirst()))
        case "trace", "traffic":
            var out = runTrace(Array(words.dropFirst()), traffic: words[0] == "traffic")
            // Over a real cluster nothing is sent: the route is what the API's objects imply.
            if realClusterTarget != nil, out.chunks.contains(where: { $0.0 == .stdout }) {
                out.chunks.insert((.stdout, "(predicted from the API's view of \(realClusterTarget!); no request was sent)\n"), at: 0)
            }
            return out
        case "why":
            return runWhy(Array(words.dropFirst()))
        case "rules":
            return runRules(Array(words.dropFirst()))
        case "docker":
            return runDocker(Array(words.dropFirst()))
        case "help":
            out.outRaw(Self.help)
        case "echo":
            out.out(words.dropFirst().joined(separator: " "))
        case "clear":
            // What clear(1) writes for xterm: home, then erase the screen.
            out.outRaw("\u{1B}[H\u{1B}[2J")
        case "exit":
            exitRequested = true
        case "true", ":":
            break
        case "false":
            out.exitCode = 1
        default:
            out.fail("svclab: \(words[0]): command not found (the shell runs kubectl …, sleep DURATION, trace, traffic, why, rules, docker exec NODE …, echo, clear, exit, # comments, and pipes into grep, head, tail, wc, sort; help lists them)", code: 127)
        }
        return out
    }

    /// `help`: what the shell takes, one line each (kubectl's own help: `kubectl --help`).
    public static let help = """
    svclab's shell: one command per line, on a simulated Kubernetes 1.33 cluster.
      kubectl COMMAND …        get, describe, apply, create, expose, scale, set image, rollout, wait,
                               patch, label, annotate, delete, exec, run, port-forward, version
                               (kubectl --help and kubectl COMMAND --help for the details)
      trace [-v] [--from POD|host] URL
                               one request hop by hop: DNS, kube-proxy's choice and rule path, the
                               endpoint, the reply (-v: the conntrack entry and affinity memory it left)
      traffic [-n N] URL       N requests and how they spread over the endpoints
      why svc/NAME | URL | -f FILE
                               why a Service selects what it does, why a request fails, why a manifest is refused
      rules NODE               the iptables rules kube-proxy writes on a node, chain by chain
      docker exec NODE CMD     a command on a kind node: iptables-save [-t nat], iptables -t nat -L CHAIN -n,
                               nft list table ip kube-proxy (--proxy-mode nftables), conntrack -L
      sleep DURATION           move the simulated clock (5s, 1m30s, 2m; at most 168h)
      … | grep, head, tail, wc, sort
                               filters on the output
      kubectl apply -f - <<EOF a manifest typed in place, up to a line EOF
      echo, clear, help, exit, # comment
    Not here: ; && || & and redirections (inside a pod: kubectl exec POD -- sh -c '…').

    """

    func runSleep(_ args: [String]) -> CommandOutput {
        var out = CommandOutput()
        guard !args.isEmpty else {
            out.fail("sleep: missing operand\nTry 'sleep --help' for more information.")
            return out
        }
        var total: Double = 0
        for a in args {
            if a.hasPrefix("-"), a.count > 1 {
                out.fail("sleep: invalid option -- '\(a.dropFirst().prefix(1))'\nTry 'sleep --help' for more information.")
                return out
            }
            guard let s = Durations.parseSleep(a, allowInfinity: true) else {
                out.fail("sleep: invalid time interval \(Durations.shellQuoted(a))\nTry 'sleep --help' for more information.")
                return out
            }
            total += s
        }
        if let refusal = Durations.refuseLongJump(total, asked: args.joined(separator: " "), tool: "sleep") { out.fail(refusal); return out }
        cluster.advance(bySeconds: total)
        return out
    }
}

public enum Durations {
    /// The longest jump one command may make on the simulated clock: a week, the wait kubectl
    /// makes for a negative `--timeout`. Longer waits end there; a longer `sleep` is refused.
    public static let maxJumpSeconds: Double = 7 * 86_400

    /// GNU `sleep` operands (`5`, `0.5`, `2m`, `1h`, `1d`, `inf`) and Go durations (`1m30s`,
    /// `500ms`). Never NaN; infinity only when asked for (GNU sleep takes `inf`).
    public static func parseSleep(_ text: String, allowInfinity: Bool = false) -> Double? {
        // Swift's Double() takes "nan", "0x1p3" and "1e5"; GNU's strtod-based parser takes the
        // same forms, but NaN is never a time interval.
        func number(_ t: Substring) -> Double? {
            guard let v = Double(t), !v.isNaN, v >= 0, allowInfinity || v.isFinite else { return nil }
            return v
        }
        if let v = number(Substring(text)) { return v }
        if let last = text.last, "smhd".contains(last), !text.hasSuffix("ms"), let v = number(text.dropLast()) {
            return v * ["s": 1, "m": 60, "h": 3600, "d": 86400][String(last)]!
        }
        return parseGo(text)
    }

    /// A message when `seconds` is more than the simulated clock moves in one command.
    public static func refuseLongJump(_ seconds: Double, asked: String, tool: String) -> String? {
        guard !(seconds <= maxJumpSeconds) else { return nil }
        return "\(tool): \(shellQuoted(asked)) is longer than svclab's simulated clock moves in one step (at most 168h, a week); the clock is virtual, so sleep in smaller steps"
    }

    /// GNU's quoting of an operand in messages: 'text', control characters escaped.
    static func shellQuoted(_ s: String) -> String {
        if s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) && !s.contains("'") { return "'\(s)'" }
        return "$" + goQuote(s).dropFirst().dropLast().replacingOccurrences(of: "'", with: "\\'").wrapped("'")
    }

    /// Go's time.ParseDuration for the units kubectl flags use.
    static func parseGo(_ text: String) -> Double? {
        var s = Substring(text)
        guard !s.isEmpty else { return nil }
        if s == "0" { return 0 }
        var total: Double = 0
        while !s.isEmpty {
            let num = s.prefix { $0.isNumber || $0 == "." }
            guard !num.isEmpty, let v = Double(num) else { return nil }
            s = s.dropFirst(num.count)
            let unit = s.prefix { $0.isLetter || $0 == "µ" }
            s = s.dropFirst(unit.count)
            let factor: Double
            switch unit {
            case "ns": factor = 1e-9
            case "us", "µs": factor = 1e-6
            case "ms": factor = 1e-3
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3600
            default: return nil
            }
            total += v * factor
            // Go's ParseDuration: more than 2^63-1 nanoseconds is "invalid duration".
            if !(total <= 9_223_372_036.854775807) { return nil }
        }
        return total
    }
}

extension String {
    func wrapped(_ quote: String) -> String { quote + self + quote }
}

/// The text filters people pipe kubectl into.
enum Filters {
    static func run(_ words: [String], input: CommandOutput) -> CommandOutput {
        var out = CommandOutput()
        // stderr of the producer still reaches the terminal.
        for chunk in input.chunks where chunk.0 == .stderr { out.chunks.append(chunk) }
        let text = input.stdout
        // `wc -l` counts newline bytes, as GNU wc does (an unterminated last line is not one):
        // no need to split 160,000 rows into lines first.
        if words == ["wc", "-l"] {
            var newlines = 0
            for b in text.utf8 where b == UInt8(ascii: "\n") { newlines += 1 }
            out.out(String(newlines))
            return out
        }
        // Split on the newline byte: a CRLF (curl -i) is one Swift Character and would not split.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        let args = Array(words.dropFirst())
        switch words[0] {
        case "grep":
            var invert = false, ignoreCase = false, count = false, wordMatch = false, numbered = false
            var after = 0, before = 0
            var contextAsked = false   // -A 0 still separates groups with "--", as GNU grep does
            var extraPatterns: [String] = []
            var syntax: PosixRegex.Syntax? = .basic  // nil: -F, a fixed string
            var pattern: String?
            // GNU grep's context options: -A N, -B N, -C N (also -A2, --after-context=2).
            func contextCount(_ text: String, _ option: String) -> Int? {
                guard let n = Int(text), n >= 0 else {
                    out.fail("grep: \(text): invalid context length argument", code: 2); return nil
                }
                return n
            }
            var i = 0
            var optionsEnded = false
            while i < args.count {
                let a = args[i]
                i += 1
                // GNU getopt permutes: options count anywhere until "--".
                if a == "--" && !optionsEnded { optionsEnded = true; continue }
                if !optionsEnded, let eq = a.firstIndex(of: "="), ["--after-context", "--before-context", "--context"].contains(String(a[..<eq])) {
                    guard let n = contextCount(String(a[a.index(after: eq)...]), String(a[..<eq])) else { return out }
                    contextAsked = true
                    if a.hasPrefix("--after") || a.hasPrefix("--context") { after = n }
                    if a.hasPrefix("--before") || a.hasPrefix("--context") { before = n }
                    continue
                }
                guard a.hasPrefix("-") && !optionsEnded && a.count > 1 else {
                    if pattern == nil { pattern = a }
                    continue
                }
                var flags = Substring(a.dropFirst())
                while let f = flags.first {
                    flags = flags.dropFirst()
                    switch f {
                    case "v": invert = true
                    case "i": ignoreCase = true
                    case "c": count = true
                    case "w": wordMatch = true
                    case "n": numbered = true
                    case "E": syntax = .extended
                    case "F": syntax = nil
                    case "G": syntax = .basic
                    case "e", "A", "B", "C":
                        // The option's value: the rest of this word (-A2) or the next word (-A 2).
                        var value = String(flags)
                        flags = ""
                        if value.isEmpty {
                            guard i < args.count else {
                                out.fail("grep: option requires an argument -- '\(f)'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", code: 2); return out
                            }
                            value = args[i]; i += 1
                        }
                        // Several -e: a line matching any of them (one regex alternation).
                        if f == "e" { extraPatterns.append(value); continue }
                        guard let n = contextCount(value, String(f)) else { return out }
                        contextAsked = true
                        if f != "B" { after = n }
                        if f != "A" { before = n }
                    default:
                        out.fail("grep: invalid option -- '\(f)'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", code: 2); return out
                    }
                }
            }
            if !extraPatterns.isEmpty {
                // With -e, every positional word is a file; a pattern given before is one of them.
                if pattern != nil { out.fail("grep: \(pattern!): No such file or directory", code: 2); return out }
                pattern = extraPatterns.count == 1 ? extraPatterns[0]
                    : extraPatterns.map { syntax == .extended ? "(\($0))" : "\\(\($0)\\)" }.joined(separator: syntax == .extended ? "|" : "\\|")
                if syntax == nil && extraPatterns.count > 1 { syntax = .extended; pattern = extraPatterns.map { "(" + PosixRegex.escaped($0) + ")" }.joined(separator: "|") }
            }
            guard let pattern else { out.fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", code: 2); return out }
            let matcher: (String) -> Bool
            if let syntax {
                var text = pattern
                if wordMatch { text = syntax == .extended ? "\\b(" + pattern + ")\\b" : "\\b\\(" + pattern + "\\)\\b" }
                do {
                    let regex = try PosixRegex(text, syntax: syntax, ignoreCase: ignoreCase)
                    matcher = regex.matches
                } catch {
                    out.fail("grep: \(error.message)", code: 2); return out
                }
            } else {
                let needle = ignoreCase ? pattern.lowercased() : pattern
                matcher = { (ignoreCase ? $0.lowercased() : $0).contains(needle) }
            }
            let matched = lines.indices.filter { matcher(lines[$0]) != invert }
            if count { out.out(String(matched.count)) }
            else if !contextAsked {
                for i in matched { out.out(numbered ? "\(i + 1):\(lines[i])" : lines[i]) }
            } else {
                // Context lines, and "--" between groups that do not touch, as GNU grep prints.
                let isMatch = Set(matched)
                var last: Int?
                for m in matched {
                    let from = max(m - before, (last ?? -1) + 1), to = min(m + after, lines.count - 1)
                    guard from <= to else { continue }
                    if let last, from > last + 1 { out.out("--") }
                    for i in from...to { out.out(numbered ? "\(i + 1)\(isMatch.contains(i) ? ":" : "-")\(lines[i])" : lines[i]) }
                    last = to
                }
            }
            out.exitCode = matched.isEmpty ? 1 : 0
        case "head", "tail":
            // GNU: `-n N`, `-nN`, `-N`; head `-n -N` is all but the last N, tail `-n +N` starts
            // at line N. Counts beyond Int saturate (GNU treats them as "everything").
            var count = 10, fromEnd = false, fromStart = false
            var i = 0
            while i < args.count {
                let a = args[i]
                var text: String
                if a == "-n" || a == "--lines" {
                    guard i + 1 < args.count else { out.fail("\(words[0]): option requires an argument -- 'n'\nTry '\(words[0]) --help' for more information."); return out }
                    text = args[i + 1]; i += 1
                } else if a.hasPrefix("--lines=") { text = String(a.dropFirst(8)) }
                else if a.hasPrefix("-n") { text = String(a.dropFirst(2)) }
                else if a.hasPrefix("-"), a.count > 1, a.dropFirst().allSatisfy(\.isASCIIDigit) { text = String(a.dropFirst()) }
                else { out.fail("\(words[0]): cannot open \(Durations.shellQuoted(a)) for reading: No such file or directory"); return out }
                var sign: Character?
                if let f = text.first, f == "-" || f == "+" { sign = f; text.removeFirst() }
                guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit) else {
                    out.fail("\(words[0]): invalid number of lines: \(Durations.shellQuoted((sign.map(String.init) ?? "") + text))"); return out
                }
                count = Int(text) ?? Int.max
                fromEnd = words[0] == "head" && sign == "-"
                fromStart = words[0] == "tail" && sign == "+"
                i += 1
            }
            let kept: ArraySlice<String>
            if words[0] == "head" {
                kept = fromEnd ? lines.dropLast(min(count, lines.count)) : lines.prefix(count)
            } else {
                kept = fromStart ? lines.dropFirst(min(max(count, 1) - 1, lines.count)) : lines.suffix(count)
            }
            kept.forEach { out.out($0) }
        case "wc":
            if args == ["-l"] { out.out(String(lines.count)) }
            else { out.out("\(lines.count) \(input.stdout.split(whereSeparator: \.isWhitespace).count) \(input.stdout.utf8.count)") }
        case "sort":
            var sorted = lines.sorted()
            if args.contains("-r") { sorted.reverse() }
            sorted.forEach { out.out($0) }
        case "cat":
            out.outRaw(input.stdout)
        default:
            out.fail("svclab: \(words[0]): command not found (pipes accept grep, head, tail, wc, sort)", code: 127)
        }
        return out
    }
}
