import ArgumentParser
import ClusterModel
import ClusterEngine
import Diagnosis

/// A kubectl subcommand: parsed by swift-argument-parser, executed against a session.
protocol KubectlCommand: ParsableCommand {
    /// Flags kubectl declares required (checked before the command runs, no "See" line).
    static var requiredFlags: [String] { get }
    /// Words the parser left as positional arguments (flags kubectl does not know end up here).
    var positionals: [String] { get }
    /// The words `.allUnrecognized` collected, in order (positionals and unknown flags).
    var rawArguments: [String] { get set }
    func execute(_ ctx: KubectlContext) -> CommandOutput
}

extension KubectlCommand {
    static var requiredFlags: [String] { [] }
    var positionals: [String] { [] }
    var rawArguments: [String] { get { [] } set {} }
    mutating func run() throws {}
}

/// What every command gets: the session, the effective namespace and stdin (heredoc).
struct KubectlContext {
    let session: Session
    let namespace: String
    let explicitNamespace: String?
    let stdin: String?
    /// The words after `--` (`kubectl exec POD -- CMD…`, `kubectl run … -- CMD…`), nil without `--`.
    var command: [String]? = nil
    var cluster: Cluster { session.cluster }
}

extension KubectlContext {
    /// An update through the API with kubectl's one-line result, or the API's error.
    func update(_ object: KubeObject, saying line: String, into out: inout CommandOutput) {
        do {
            try cluster.update(object)
            out.out(line)
        } catch {
            out.fail(error.kubectlMessage())
        }
    }
}

/// Flags every kubectl command accepts (kubectl's persistent flags).
struct GlobalOptions: ParsableArguments {
    @Option(name: [.customShort("n", allowingJoined: true), .customLong("namespace")], help: "The namespace scope for this CLI request")
    var namespace: String?
    @Option(name: .customLong("request-timeout"), help: "The length of time to wait before giving up on a single server request.")
    var requestTimeout: String?
    @Option(name: .customLong("context")) var kubeContext: String?
    @Option(name: [.customShort("v", allowingJoined: true), .customLong("v")]) var verbosity: Int?
}

public enum Kubectl {
    static var commands: [String: any KubectlCommand.Type] { CommandTable.byName.mapValues(\.type) }
    /// kubectl 1.33's commands in the order of its help groups (cobra suggests in this order).
    /// The commands that write to a real cluster: run on the mirror to learn what they change
    /// (and with kubectl's own checks and messages), then sent to the API server.
    static let writingCommands: Set<String> = ["scale", "label", "annotate", "delete"]

    static func writeToRealCluster(_ type: any KubectlCommand.Type, name: String, args: [String], session: Session, stdin: String?,
                                   target: String, writer: RealClusterWriter) -> CommandOutput {
        let (result, journal) = session.cluster.journalMirror { invoke(type, name: name, args: args, session: session, stdin: stdin) }
        // Refused, a dry run, or nothing to change: kubectl's own answer, nothing sent.
        guard result.exitCode == 0, !journal.isEmpty else { return result }
        var out = CommandOutput()
        if !session.writesWithoutAsking {
            let changed = journal.filter { $0.before != nil }.map { "\($0.kind.lowercased())/\($0.key.name)" }
            // Short enough for the lab's footer; the target is in its header and the shell's banner.
            let question = "Write \(changed.joined(separator: ", ")) (kubectl \(name)) to the REAL cluster? [y/N] "
            guard let confirm = session.confirmWrite else {
                out.fail("error: not written: svclab asks before it changes \(target); answer at a terminal, or start svclab with --yes")
                return out
            }
            guard confirm(question) else {
                out.fail("not written")
                return out
            }
        }
        if let error = writer.write(journal) { out.fail(error); return out }
        return result
    }

    /// The commands that only read: they run on a real cluster's mirror as they are.
    static let readingCommands: Set<String> = ["get", "describe", "explain", "api-resources", "api-versions", "version", "events"]

    static let commandOrder = ["create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale",
                               "autoscale", "certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint",
                               "describe", "logs", "attach", "exec", "port-forward", "proxy", "cp", "auth", "debug", "events",
                               "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate", "completion",
                               "alpha", "api-resources", "api-versions", "config", "plugin", "version", "options"]

    /// Flags whose value is the next word (so `-n kube-system get pods` finds `get`).
    static let globalValueFlags: Set<String> = ["-n", "--namespace", "--request-timeout", "--context", "-v", "--v", "--kubeconfig", "--cluster", "--user"]

    public static func run(_ args: [String], session: Session, stdin: String? = nil) -> CommandOutput {
        var out = CommandOutput()
        // Find the subcommand: the first word that is not a global flag or its value.
        var i = 0
        var rest = args
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("-") {
                if globalValueFlags.contains(a) { i += 2 } else { i += 1 }
                continue
            }
            break
        }
        guard i < args.count, !["--help", "-h", "help"].contains(args[i]) else {
            out.out(topLevelHelp)
            return out
        }
        let name = args[i]
        rest = Array(args[..<i]) + Array(args[(i + 1)...])
        guard let type = commands[name] else {
            if commandOrder.contains(name) {
                out.fail("error: svclab does not model \"kubectl \(name)\" yet (supported: \(commands.keys.sorted().joined(separator: ", ")))")
            } else {
                var msg = "error: unknown command \"\(name)\" for \"kubectl\""
                let suggestions = commandOrder.filter { Diagnose.distance($0, name) <= 2 || $0.hasPrefix(name) }
                if !suggestions.isEmpty { msg += "\n\nDid you mean this?\n" + suggestions.map { "\t\($0)" }.joined(separator: "\n") }
                out.fail(msg)
            }
            return out
        }
        if let target = session.realClusterTarget, !readingCommands.contains(name),
           !(rest.contains("--help") || rest.contains("-h")) {
            guard let writer = session.realClusterWriter, writingCommands.contains(name) else {
                out.fail(session.realClusterWriter == nil
                    ? "error: svclab only reads \(target): \"kubectl \(name)\" would change it; run it with kubectl itself (its change shows here within a second)"
                    : "error: svclab writes only scale, label, annotate and delete to \(target); run \"kubectl \(name)\" with kubectl itself")
                return out
            }
            return writeToRealCluster(type, name: name, args: normalize(rest), session: session, stdin: stdin, target: target, writer: writer)
        }
        // Everything after `--` belongs to the container, not to kubectl's flag parser.
        var command: [String]?
        if let dash = rest.firstIndex(of: "--") {
            command = Array(rest[(dash + 1)...])
            rest = Array(rest[..<dash])
        }
        return invoke(type, name: name, args: normalize(rest), session: session, stdin: stdin, command: command)
    }

    /// pflag accepts `-o=wide` and `-owide`; swift-argument-parser takes `-o wide`. Rewrite the
    /// `=` form of single-letter options so both spellings reach the parser the same way.
    static func normalize(_ args: [String]) -> [String] {
        var out: [String] = []
        var afterTerminator = false
        for a in args {
            if afterTerminator { out.append(a); continue }
            if a == "--" { afterTerminator = true; out.append(a); continue }
            // `--dry-run` alone is pflag's NoOptDefVal ("unchanged", which means client).
            if a == "--dry-run" { out.append("--dry-run=unchanged"); continue }
            if a.count > 2, a.hasPrefix("-"), !a.hasPrefix("--"), a.dropFirst(2).first == "=" {
                out.append(String(a.prefix(2)))
                out.append(String(a.dropFirst(3)))
            } else {
                out.append(a)
            }
        }
        return out
    }

    static func invoke(_ type: any KubectlCommand.Type, name: String, args: [String], session: Session, stdin: String?, command: [String]? = nil) -> CommandOutput {
        var out = CommandOutput()
        if args.contains("-h") || args.contains("--help"), let entry = CommandTable.byName[name] {
            // `kubectl config view --help`: the subcommand's own text (the deepest one named).
            let words = args.filter { !$0.hasPrefix("-") }
            for depth in stride(from: min(2, words.count), through: 1, by: -1) {
                if let text = SubcommandHelp.texts[([name] + words.prefix(depth)).joined(separator: " ")] {
                    out.outRaw(text + "\n")
                    return out
                }
            }
            out.outRaw(CommandTable.help(entry))
            return out
        }
        var parsed: any KubectlCommand
        do {
            // swift-argument-parser removes unrecognized words one at a time (quadratic in their
            // number); words that cannot be an option's value skip it and rejoin in order.
            let split = LongArguments.split(args)
            parsed = try type.parse(split.kept)
            if !split.set.isEmpty { parsed.rawArguments = split.merge(parsed.rawArguments) }
        } catch {
            out.fail(translateParseError(type, name: name, error: error, args: args))
            return out
        }
        // pflag rejects unknown flags before cobra checks required ones.
        if let bad = parsed.positionals.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
            let see = "\nSee 'kubectl \(name) --help' for usage."
            if bad.hasPrefix("--") { out.fail("error: unknown flag: \(bad.split(separator: "=").first!)" + see) }
            else { out.fail("error: unknown shorthand flag: '\(bad.dropFirst().prefix(1))' in \(bad)" + see) }
            return out
        }
        // Required flags are reported before anything else, like cobra.
        for flag in type.requiredFlags where !args.contains(where: { $0 == "--\(flag)" || $0.hasPrefix("--\(flag)=") }) {
            out.fail("error: required flag(s) \"\(flag)\" not set")
            return out
        }
        // A bare GlobalOptions() would trap when read (its properties are parser-owned): parse [] instead.
        let global = (try? GlobalOptions.parse(args.globalFlagsOnly())) ?? (try? GlobalOptions.parse([]))!
        let ns = global.namespace ?? session.namespace
        let ctx = KubectlContext(session: session, namespace: ns, explicitNamespace: global.namespace, stdin: stdin, command: command)
        return parsed.execute(ctx)
    }

    /// Maps swift-argument-parser's messages onto pflag/cobra's wording.
    static func translateParseError(_ type: any KubectlCommand.Type, name: String, error: Error, args: [String]) -> String {
        let message = type.message(for: error)
        let see = "\nSee 'kubectl \(name) --help' for usage."
        func quoted(_ m: String) -> String? {
            guard let a = m.firstIndex(of: "'"), let b = m[m.index(after: a)...].firstIndex(of: "'") else { return nil }
            return String(m[m.index(after: a)..<b])
        }
        if message.hasPrefix("Unknown option"), let flag = quoted(message) {
            if flag.hasPrefix("--") { return "error: unknown flag: \(flag)" + see }
            let letter = flag.dropFirst().first.map(String.init) ?? ""
            return "error: unknown shorthand flag: '\(letter)' in \(args.first { $0.hasPrefix(flag) } ?? flag)" + see
        }
        if message.hasPrefix("Missing value for"), let spec = quoted(message) {
            let flag = String(spec.split(separator: " ").first ?? "")
            if flag.hasPrefix("--") { return "error: flag needs an argument: \(flag)" + see }
            return "error: flag needs an argument: '\(flag.dropFirst())' in \(flag)" + see
        }
        if message.hasPrefix("The value"), let value = quoted(message) {
            let rest = message.dropFirst(message.distance(from: message.startIndex, to: message.range(of: "for ")?.upperBound ?? message.startIndex))
            let flag = quoted(String(rest)).map { String($0.split(separator: " ").first ?? "") } ?? ""
            // strconv.ParseInt: digits that do not fit in 64 bits are out of range, anything else is syntax.
            let digits = value.first.map { "+-".contains($0) } == true ? value.dropFirst() : Substring(value)
            let why = !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit) ? "value out of range" : "invalid syntax"
            // pflag names a flag that has a shorthand as "-r, --replicas", whichever was typed.
            let pairs: [String: String] = name == "create" ? ["-r": "--replicas", "--replicas": "-r", "-v": "--v", "--v": "-v"] : ["-v": "--v", "--v": "-v"]
            let long = flag.hasPrefix("--") ? flag : pairs[flag] ?? flag
            let shown = pairs[long].map { "\($0), \(long)" } ?? flag
            // `create deployment` and its siblings report flag errors through cobra's own
            // handler: "Error:" and the subcommand's help (kubectl.1.33).
            if name == "create", let sub = args.first(where: { !$0.hasPrefix("-") }) {
                return "Error: invalid argument \(goQuote(value)) for \(goQuote(shown)) flag: strconv.ParseInt: parsing \(goQuote(value)): \(why)\nSee 'kubectl create \(sub) --help' for usage."
            }
            return "error: invalid argument \(goQuote(value)) for \(goQuote(shown)) flag: strconv.ParseInt: parsing \(goQuote(value)): \(why)" + see
        }
        if message.hasPrefix("Unexpected argument") {
            return "error: \(message.prefix(1).lowercased() + message.dropFirst())" + see
        }
        return "error: \(message)" + see
    }

    static var topLevelHelp: String { CommandTable.topLevelHelp }
}

extension Array where Element == String {
    /// Only the global flags (and their values), for a second, lenient parse.
    func globalFlagsOnly() -> [String] {
        var out: [String] = []
        var i = 0
        while i < count {
            let a = self[i]
            if a == "--" { break }
            if Kubectl.globalValueFlags.contains(a), i + 1 < count { out += [a, self[i + 1]]; i += 2; continue }
            if let eq = a.firstIndex(of: "="), Kubectl.globalValueFlags.contains(String(a[..<eq])) { out.append(a) }
            else if a.hasPrefix("-n"), a.count > 2, !a.hasPrefix("--") { out.append(a) }
            i += 1
        }
        return out
    }
}

struct VersionCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the client and server version information.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("client")) var client = false
    @Option(name: [.short, .customLong("output")]) var output: String?
    @Argument var extra: [String] = []

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        // kubectl.1.33 (version.go Validate).
        if !extra.isEmpty { out.fail("error: extra arguments: [\(extra.joined(separator: " "))]"); return out }
        out.out("Client Version: v1.33.1")
        out.out("Kustomize Version: v5.6.0")
        if !client { out.out("Server Version: v1.33.1") }
        return out
    }
}

/// Keeps a command line with thousands of words (`kubectl label pods p k0=v … k9999=v`) linear:
/// only flags and the word after each flag (it may be the flag's value) go through the
/// argument parser; every other word is positional by construction and is put back in place.
enum LongArguments {
    /// Below this many words the parser sees the line as typed.
    static let threshold = 64

    struct Split {
        var kept: [String]
        var keptIndices: [Int]
        var set: [(index: Int, word: String)]

        /// The parser's unrecognized words (a subsequence of `kept`) merged with the set-aside
        /// words, in the order they were typed.
        func merge(_ returned: [String]) -> [String] {
            var placed: [(Int, String)] = set
            var k = 0
            for word in returned {
                while k < kept.count && kept[k] != word { k += 1 }
                placed.append((k < kept.count ? keptIndices[k] : Int.max, word))
                k += 1
            }
            placed.sort { $0.0 < $1.0 }
            return placed.map(\.1)
        }
    }

    static func split(_ args: [String]) -> Split {
        guard args.count > threshold else { return Split(kept: args, keptIndices: Array(args.indices), set: []) }
        var kept: [String] = [], indices: [Int] = [], set: [(Int, String)] = []
        for (i, w) in args.enumerated() {
            let isFlag = w.hasPrefix("-") && w != "-"
            let mayBeValue = i > 0 && args[i - 1].hasPrefix("-") && args[i - 1] != "-" && !args[i - 1].contains("=")
            if isFlag || mayBeValue { kept.append(w); indices.append(i) } else { set.append((i, w)) }
        }
        return Split(kept: kept, keptIndices: indices, set: set)
    }
}
