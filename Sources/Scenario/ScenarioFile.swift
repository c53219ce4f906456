import ClusterEngine
import ClusterModel
import Foundation
import Kubectl
import Yams

/// A scenario file (DESIGN.md §7): a cluster, setup manifests, and steps that narrate, run,
/// check and challenge. Parsed strictly: an unknown key or a wrong type is an error with
/// `file:line:column`, never skipped.
public struct Scenario: Sendable {
    public struct ClusterSpec: Sendable {
        public var nodes = 3
        public var seed: UInt64 = 1
        public var empty = false
        /// nil: the default pool; `.some(nil)`: off (LoadBalancers stay `<pending>`).
        public var loadBalancerPool: String?
        /// kube-proxy's mode (`iptables`, the default, or `nftables`).
        public var proxyMode: ProxyMode = .iptables
    }

    public struct Setup: Sendable {
        public var text: String
        public var source: String
    }

    public enum Step: Sendable {
        case say(String)
        case run(String, check: OutputCheck?)
        case sleep(String)
        case expect(Predicate)
        case challenge(Challenge)
        case pause(String?)
        /// Predict, then observe: a question asked before the next step runs; right or wrong
        /// is said after it. `answer` is one of `choices`, or a number when there are none.
        case predict(Prediction)
    }

    /// In `includes:`/`excludes:`, a reference with an operator is a label selector; one ending
    /// in `*` a name prefix; anything else a pod name.
    static func isSelector(_ podRef: String) -> Bool {
        podRef.contains("=") || podRef.contains(" in ") || podRef.contains("!")
    }

    public struct Prediction: Sendable, Equatable {
        public var question: String
        public var choices: [String]
        public var answer: String
    }

    public struct OutputCheck: Sendable {
        public var contains: [String] = []
        public var matches: String?
        public var equals: String?
        public var exitCode: Int32?
    }

    public enum Predicate: Sendable {
        /// Endpoints of a Service: exact ready / not-ready counts, or a minimum.
        case endpoints(service: String, namespace: String?, ready: Int?, notReady: Int?, readyAtLeast: Int?)
        /// Pods matching a selector: how many, in which phase, how many ready.
        case pods(selector: String, namespace: String?, count: Int?, phase: String?, ready: Int?)
        /// A command's output and exit code.
        case output(run: String, check: OutputCheck)
        /// A request from a pod: it reaches a pod matching `reaches`, or fails at `fails`.
        case request(from: String, url: String, reaches: String?, fails: String?)
        /// Which pods a Service's ready endpoints are: `includes`/`excludes` name pods (a name, a
        /// name prefix ending in `*`, or a label selector), `exactly` says the endpoints are
        /// exactly the ready pods a selector matches, `selector` that the Service's selector is
        /// this map. Strict challenges use them, so that "4 ready" cannot be reached by scaling.
        case membership(service: String, namespace: String?, includes: [String], excludes: [String], exactly: String?, selector: [String: String]?)
        /// Every one of several predicates.
        case all([Predicate])
    }

    public struct Challenge: Sendable {
        public var goal: String
        public var hints: [String]
        public var done: Predicate
        public var solution: [String]
        /// `diagnostics: off`: the lab hides its own findings (near misses, why a pod is left
        /// out) while the challenge is open, so the panes do not give the answer away.
        public var diagnostics = true
        /// Said when it is solved: why the fix works.
        public var explain: String?
    }

    public var title: String
    public var about: String
    public var cluster = ClusterSpec()
    public var setup: [Setup] = []
    public var steps: [Step] = []
    /// Where it was read from (messages and relative paths).
    public var path: String
    /// What the lab shows for each step (parallel to `steps`): the step's `focus:`, or the
    /// Service its command, expectation or challenge names (ScenarioFocus), or nil.
    public var focus: [Focus?] = []
    /// Per step (parallel to `steps`): manifest keys to mark when the step's heredoc is shown
    /// (`highlight: [targetPort]`).
    public var highlight: [[String]] = []

    public struct Focus: Equatable, Sendable {
        public enum Kind: String, Sendable { case service = "svc", pod }
        public var kind: Kind
        public var name: String
        public var namespace: String?
        public init(kind: Kind, name: String, namespace: String? = nil) { self.kind = kind; self.name = name; self.namespace = namespace }
    }

    /// Every command line the scenario runs (`run:`, `expect: {run:}`, `solution:`) with its
    /// place in the file, for `svclab scenarios --check`.
    public var commands: [CommandSite] = []
    /// Where each step (and the `about:` text) starts in the file, `path:line:column`.
    public var stepPositions: [String] = []
    public var aboutPosition: String?

    public struct CommandSite: Sendable {
        public var line: String
        /// `file:line:column`
        public var position: String
    }
}

/// The YAML node type (ClusterModel has a Kubernetes `Node` too).
typealias Node = Yams.Node

public struct ScenarioError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Reads scenario YAML with positions, so every error names the place.
public enum ScenarioParser {
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(message: "\(path):1:1: cannot read the file (\(String(cString: strerror(errno))))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(message: "\(path):1:1: not valid UTF-8 YAML")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(ScenarioError) -> Scenario {
        let root: Node
        // Kept alive while the nodes are read: they hold their anchors weakly (AliasBudget).
        var parser: Yams.Parser?
        if let line = AliasBudget.complexKeyLine(in: text) {
            throw ScenarioError(message: "\(path):\(line):1: keys must be strings (an alias or collection used as a key)")
        }
        do {
            parser = try Yams.Parser(yaml: text)
            guard let node = try parser?.singleRoot() else { throw ScenarioError(message: "\(path):1:1: empty scenario") }
            guard AliasBudget.allows(node) else {
                throw ScenarioError(message: "\(path):\(node.mark.map { "\($0.line):\($0.column)" } ?? "1:1"): \(AliasBudget.message)")
            }
            root = node
        } catch let e as ScenarioError {
            throw e
        } catch let e as YamlError {
            throw ScenarioError(message: "\(path):\(yamlMessage(e))")
        } catch {
            throw ScenarioError(message: "\(path):1:1: \(error)")
        }
        var r = Reader(path: path, directory: (path as NSString).deletingLastPathComponent)
        var scenario = try r.scenario(root)
        scenario.commands = r.commands.sites
        withExtendedLifetime(parser) {}
        return scenario
    }

    /// Only a lesson's title, for listings: nothing else in the file is read or expanded.
    public static func title(path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let parser = try? Yams.Parser(yaml: text), let root = try? parser.singleRoot(),
              case let .mapping(m) = root, let title = m["title"], case let .scalar(s) = title else { return nil }
        return s.string
    }

    static func yamlMessage(_ e: YamlError) -> String {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            return "\(mark.line):\(mark.column): \(context.map { $0.text + " " } ?? "")\(problem)"
        case let .composer(context, problem, mark, _):
            return "\(mark.line):\(mark.column): \(context.map { $0.text + " " } ?? "")\(problem)"
        case let .duplicatedKeysInMapping(duplicates, context):
            return "\(context.mark.line):\(context.mark.column): duplicate key \(duplicates.joined(separator: ", "))"
        case let .reader(problem, offset, value, _):
            return "1:1: \(problem) (byte \(offset ?? 0), value \(value))"
        default: return "1:1: \(e)"
        }
    }

    final class CommandLog { var sites: [Scenario.CommandSite] = [] }

    struct Reader {
        let path: String
        let directory: String
        let commands = CommandLog()

        func position(_ node: Node) -> String { "\(path):\(node.mark.map { "\($0.line):\($0.column)" } ?? "?")" }

        /// A command line, noted with its place.
        func command(_ node: Node, _ what: String) throws(ScenarioError) -> String {
            let line = try string(node, what)
            commands.sites.append(.init(line: line, position: position(node)))
            return line
        }

        func fail(_ node: Node, _ message: String) -> ScenarioError {
            ScenarioError(message: "\(position(node)): \(message)")
        }

        func mapping(_ node: Node, _ what: String, allowed: [String]) throws(ScenarioError) -> [(String, Node)] {
            guard case let .mapping(m) = node else { throw fail(node, "\(what) must be a mapping") }
            var out: [(String, Node)] = []
            for (k, v) in m {
                guard let key = k.string else { throw fail(k, "\(what): keys must be strings") }
                guard allowed.contains(key) else {
                    throw fail(k, "unknown key \(goQuote(key)) in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
                }
                out.append((key, v))
            }
            return out
        }

        func string(_ node: Node, _ what: String) throws(ScenarioError) -> String {
            guard case let .scalar(s) = node else { throw fail(node, "\(what) must be a string") }
            return s.string
        }

        /// A count in a scenario: a whole number from 0 to `max` (never negative, never beyond int32).
        func int(_ node: Node, _ what: String, max: Int = Int(Int32.max)) throws(ScenarioError) -> Int {
            guard case let .scalar(s) = node, let i = Int(s.string.trimmingCharacters(in: .whitespaces)), (0...max).contains(i) else {
                throw fail(node, "\(what) must be a whole number from 0 to \(max)")
            }
            return i
        }

        func bool(_ node: Node, _ what: String) throws(ScenarioError) -> Bool {
            guard case let .scalar(s) = node, let b = Bool(s.string.lowercased()) else { throw fail(node, "\(what) must be true or false") }
            return b
        }

        func strings(_ node: Node, _ what: String) throws(ScenarioError) -> [String] {
            if case .scalar = node { return [try string(node, what)] }
            guard case let .sequence(items) = node else { throw fail(node, "\(what) must be a string or a list of strings") }
            var out: [String] = []
            for item in items { out.append(try string(item, what)) }
            return out
        }

        mutating func scenario(_ root: Node) throws(ScenarioError) -> Scenario {
            var s = Scenario(title: "", about: "", path: path)
            var sawTitle = false
            for (key, value) in try mapping(root, "the scenario", allowed: ["title", "about", "cluster", "setup", "steps"]) {
                switch key {
                case "title": s.title = try string(value, "title"); sawTitle = true
                case "about": s.about = try string(value, "about"); s.aboutPosition = position(value)
                case "cluster": s.cluster = try cluster(value)
                case "setup": s.setup = try setup(value)
                default:
                    let parsed = try steps(value)
                    s.steps = parsed.map(\.0)
                    s.focus = parsed.map { $0.1 ?? ScenarioFocus.inferred($0.0) }
                    s.highlight = parsed.map(\.2)
                    if case let .sequence(items) = value { s.stepPositions = items.map(position) }
                }
            }
            guard sawTitle else { throw fail(root, "a scenario needs a title") }
            return s
        }

        func cluster(_ node: Node) throws(ScenarioError) -> Scenario.ClusterSpec {
            var c = Scenario.ClusterSpec()
            for (key, value) in try mapping(node, "cluster", allowed: ["nodes", "seed", "empty", "loadBalancerPool", "proxyMode"]) {
                switch key {
                case "nodes":
                    c.nodes = try int(value, "cluster.nodes", max: 5000)
                case "seed":
                    guard let v = UInt64(try string(value, "cluster.seed")) else { throw fail(value, "cluster.seed must be a whole number ≥ 0") }
                    c.seed = v
                case "empty": c.empty = try bool(value, "cluster.empty")
                case "proxyMode":
                    let text = try string(value, "cluster.proxyMode")
                    guard let mode = ProxyMode(rawValue: text) else { throw fail(value, "cluster.proxyMode must be iptables or nftables, not \(goQuote(text))") }
                    c.proxyMode = mode
                default:
                    let pool = try string(value, "cluster.loadBalancerPool")
                    guard LoadBalancerPool.parse(pool) != nil else {
                        throw fail(value, "cluster.loadBalancerPool must be FIRST-LAST or off, not \(goQuote(pool))")
                    }
                    c.loadBalancerPool = pool
                }
            }
            return c
        }

        func setup(_ node: Node) throws(ScenarioError) -> [Scenario.Setup] {
            guard case let .sequence(items) = node else { throw fail(node, "setup must be a list of {file: …} or {manifest: …}") }
            var out: [Scenario.Setup] = []
            for item in items {
                for (key, value) in try mapping(item, "a setup item", allowed: ["file", "manifest"]) {
                    if key == "file" {
                        let rel = try string(value, "setup file")
                        // A scenario reads only files inside its folder: no absolute paths, no
                        // climbing out, and no symbolic link (to the file or a folder on its way)
                        // that leads out — the real path is what is checked, not the text.
                        let full = (directory.isEmpty ? "." : directory as NSString).appendingPathComponent(rel)
                        guard !rel.hasPrefix("/"), let confinement = FileConfinement(folder: directory.isEmpty ? "." : directory, what: "the scenario's folder"),
                              confinement.contains(full) else {
                            throw fail(value, "setup file \(goQuote(rel)) must stay inside the scenario's folder")
                        }
                        guard let data = FileManager.default.contents(atPath: full) else {
                            throw fail(value, "setup file \(goQuote(rel)) not found (paths are relative to the scenario)")
                        }
                        guard let text = String(data: data, encoding: .utf8) else {
                            throw fail(value, "setup file \(goQuote(rel)) is not valid UTF-8 YAML")
                        }
                        out.append(Scenario.Setup(text: text, source: rel))
                    } else {
                        out.append(Scenario.Setup(text: try string(value, "setup manifest"), source: "\((path as NSString).lastPathComponent):\(value.mark?.line ?? 0)"))
                    }
                }
            }
            return out
        }

        func steps(_ node: Node) throws(ScenarioError) -> [(Scenario.Step, Scenario.Focus?, [String])] {
            guard case let .sequence(items) = node else { throw fail(node, "steps must be a list") }
            var out: [(Scenario.Step, Scenario.Focus?, [String])] = []
            for item in items {
                var focus: Scenario.Focus?
                var highlight: [String] = []
                if case let .mapping(m) = item, let value = m["focus"] { focus = try self.focus(value) }
                if case let .mapping(m) = item, let value = m["highlight"] { highlight = try strings(value, "highlight") }
                out.append((try step(item), focus, highlight))
            }
            return out
        }

        /// `focus: svc/NAME`, `focus: pod/NAME`, or `focus: {svc: NAME, namespace: NS}`.
        func focus(_ node: Node) throws(ScenarioError) -> Scenario.Focus {
            if case let .scalar(s) = node {
                let parts = s.string.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let kind = ["svc": Scenario.Focus.Kind.service, "service": .service, "pod": .pod][parts[0]], !parts[1].isEmpty else {
                    throw fail(node, "focus must be svc/NAME or pod/NAME, not \(goQuote(s.string))")
                }
                return Scenario.Focus(kind: kind, name: parts[1])
            }
            var kind: Scenario.Focus.Kind?, name = "", namespace: String?
            for (key, value) in try mapping(node, "focus", allowed: ["svc", "pod", "namespace"]) {
                switch key {
                case "svc": kind = .service; name = try string(value, "focus.svc")
                case "pod": kind = .pod; name = try string(value, "focus.pod")
                default: namespace = try string(value, "focus.namespace")
                }
            }
            guard let kind, !name.isEmpty else { throw fail(node, "focus needs svc: NAME or pod: NAME") }
            return Scenario.Focus(kind: kind, name: name, namespace: namespace)
        }

        static let stepKinds = ["say", "run", "sleep", "expect", "challenge", "pause", "predict"]

        func step(_ node: Node) throws(ScenarioError) -> Scenario.Step {
            guard case let .mapping(m) = node, let kindPair = m.first(where: { $0.key.string != "focus" }), let first = kindPair.key.string else {
                throw fail(node, "a step must be a mapping starting with one of: \(Self.stepKinds.joined(separator: ", "))")
            }
            // The step's own value (a `focus:` may come before or after it).
            let kindValue = kindPair.value
            switch first {
            case "say":
                _ = try mapping(node, "a say step", allowed: ["say", "focus"])
                return .say(try string(kindValue, "say"))
            case "sleep":
                _ = try mapping(node, "a sleep step", allowed: ["sleep", "focus"])
                let value = kindValue
                let text = try string(value, "sleep")
                guard let seconds = Durations.parseSleep(text, allowInfinity: true) else {
                    throw fail(value, "sleep: \(goQuote(text)) is not a duration (5s, 1m30s, 2m)")
                }
                guard seconds <= Durations.maxJumpSeconds else {
                    throw fail(value, "sleep: \(goQuote(text)) is longer than the simulated clock moves in one step (at most 168h)")
                }
                return .sleep(text)
            case "pause":
                _ = try mapping(node, "a pause step", allowed: ["pause", "focus"])
                if case .scalar(let s) = kindValue, s.string.isEmpty || s.tag == .init(.null) { return .pause(nil) }
                return .pause(try string(kindValue, "pause"))
            case "run":
                let pairs = try mapping(node, "a run step", allowed: ["run", "contains", "matches", "equals", "exitCode", "focus", "highlight"])
                var line = ""
                var check = Scenario.OutputCheck()
                var checked = false
                for (key, value) in pairs {
                    switch key {
                    case "run": line = try command(value, "run")
                    case "focus", "highlight": continue
                    default: checked = true; try outputCheck(key, value, into: &check)
                    }
                }
                return .run(line, check: checked ? check : nil)
            case "expect":
                _ = try mapping(node, "an expect step", allowed: ["expect", "focus"])
                return .expect(try predicate(kindValue, "expect"))
            case "challenge":
                _ = try mapping(node, "a challenge step", allowed: ["challenge", "focus"])
                return .challenge(try challenge(kindValue))
            case "predict":
                _ = try mapping(node, "a predict step", allowed: ["predict", "focus"])
                var question = "", choices: [String] = [], answer: String?
                for (key, value) in try mapping(kindValue, "a prediction", allowed: ["question", "choices", "answer"]) {
                    switch key {
                    case "question": question = try string(value, "question")
                    case "choices": choices = try strings(value, "choices")
                    default: answer = try string(value, "answer")
                    }
                }
                guard !question.isEmpty, let answer else { throw fail(kindValue, "a prediction needs a question and an answer") }
                if choices.isEmpty {
                    guard Double(answer) != nil else { throw fail(kindValue, "without choices, the answer must be a number") }
                } else {
                    guard choices.count <= 9 else { throw fail(kindValue, "a prediction takes at most 9 choices") }
                    guard choices.contains(answer) else { throw fail(kindValue, "the answer \(goQuote(answer)) is not one of the choices") }
                }
                return .predict(Scenario.Prediction(question: question, choices: choices, answer: answer))
            default:
                throw fail(kindPair.key, "unknown step \(goQuote(first)) (expected one of: \(Self.stepKinds.joined(separator: ", ")))")
            }
        }

        func outputCheck(_ key: String, _ value: Node, into check: inout Scenario.OutputCheck) throws(ScenarioError) {
            switch key {
            case "contains": check.contains = try strings(value, "contains")
            case "matches":
                let pattern = try string(value, "matches")
                do { _ = try PosixRegex(pattern, syntax: .extended) } catch {
                    throw fail(value, "matches: \(goQuote(pattern)) is not a valid POSIX extended regular expression: \(error.message)")
                }
                check.matches = pattern
            case "equals": check.equals = try string(value, "equals")
            default: check.exitCode = Int32(try int(value, "exitCode", max: 255))
            }
        }

        func predicate(_ node: Node, _ what: String) throws(ScenarioError) -> Scenario.Predicate {
            if case let .sequence(items) = node {
                var all: [Scenario.Predicate] = []
                for item in items { all.append(try predicate(item, what)) }
                return .all(all)
            }
            guard case let .mapping(m) = node, let first = m.first?.key.string else {
                throw fail(node, "\(what) must be a mapping starting with endpoints, pods, run or request")
            }
            switch first {
            case "endpoints":
                var service = "", namespace: String?, ready: Int?, notReady: Int?, atLeast: Int?
                var includes: [String] = [], excludes: [String] = [], exactly: String?, selector: [String: String]?
                for (key, value) in try mapping(node, "an endpoints predicate", allowed: ["endpoints", "namespace", "ready", "notReady", "readyAtLeast", "includes", "excludes", "exactly", "selector"]) {
                    switch key {
                    case "endpoints": service = try string(value, "endpoints")
                    case "namespace": namespace = try string(value, "namespace")
                    case "ready": ready = try int(value, "ready")
                    case "notReady": notReady = try int(value, "notReady")
                    case "readyAtLeast": atLeast = try int(value, "readyAtLeast")
                    case "includes", "excludes":
                        let refs = try strings(value, key)
                        for (i, ref) in refs.enumerated() where Scenario.isSelector(ref) {
                            do { _ = try LabelSelectorExpression.parse(ref) } catch {
                                let item: Node = { if case let .sequence(items) = value { return items[i] }; return value }()
                                throw fail(item, "\(key): \(goQuote(ref)) is not a label selector: \(error.message)")
                            }
                        }
                        if key == "includes" { includes = refs } else { excludes = refs }
                    case "exactly":
                        let text = try string(value, "exactly")
                        do { _ = try LabelSelectorExpression.parse(text) } catch {
                            throw fail(value, "exactly: \(goQuote(text)) is not a label selector: \(error.message)")
                        }
                        exactly = text
                    default:
                        guard case let .mapping(m) = value else { throw fail(value, "selector must be a mapping of labels") }
                        var map: [String: String] = [:]
                        for (k, v) in m { map[try string(k, "selector key")] = try string(v, "selector value") }
                        selector = map
                    }
                }
                let counted = ready != nil || notReady != nil || atLeast != nil
                let membered = !includes.isEmpty || !excludes.isEmpty || exactly != nil || selector != nil
                guard counted || membered else { throw fail(node, "an endpoints predicate needs ready, notReady, readyAtLeast, includes, excludes, exactly or selector") }
                var parts: [Scenario.Predicate] = []
                if counted { parts.append(.endpoints(service: service, namespace: namespace, ready: ready, notReady: notReady, readyAtLeast: atLeast)) }
                if membered { parts.append(.membership(service: service, namespace: namespace, includes: includes, excludes: excludes, exactly: exactly, selector: selector)) }
                return parts.count == 1 ? parts[0] : .all(parts)
            case "pods":
                var selector = "", namespace: String?, count: Int?, phase: String?, ready: Int?
                for (key, value) in try mapping(node, "a pods predicate", allowed: ["pods", "namespace", "count", "phase", "ready"]) {
                    switch key {
                    case "pods":
                        selector = try string(value, "pods")
                        do { _ = try LabelSelectorExpression.parse(selector) } catch {
                            throw fail(value, "pods: \(goQuote(selector)) is not a label selector: \(error.message)")
                        }
                    case "namespace": namespace = try string(value, "namespace")
                    case "count": count = try int(value, "count")
                    case "phase":
                        phase = try string(value, "phase")
                        guard PodPhase(rawValue: phase!) != nil else {
                            throw fail(value, "phase must be one of Pending, Running, Succeeded, Failed, Unknown")
                        }
                    default: ready = try int(value, "ready")
                    }
                }
                return .pods(selector: selector, namespace: namespace, count: count, phase: phase, ready: ready)
            case "run":
                var line = ""
                var check = Scenario.OutputCheck()
                for (key, value) in try mapping(node, "a run predicate", allowed: ["run", "contains", "matches", "equals", "exitCode"]) {
                    if key == "run" { line = try command(value, "run") } else { try outputCheck(key, value, into: &check) }
                }
                return .output(run: line, check: check)
            case "request":
                var from = "", url = "", reaches: String?, fails: String?
                for (key, value) in try mapping(node, "a request predicate", allowed: ["request", "from", "reaches", "fails"]) {
                    switch key {
                    case "request": url = try string(value, "request")
                    case "from": from = try string(value, "from")
                    case "reaches": reaches = try string(value, "reaches")
                    default:
                        fails = try string(value, "fails")
                        guard Self.failurePoints.contains(fails!) else {
                            throw fail(value, "fails must be one of: \(Self.failurePoints.joined(separator: ", "))")
                        }
                    }
                }
                guard !from.isEmpty else { throw fail(node, "a request predicate needs from: POD") }
                return .request(from: from, url: url, reaches: reaches, fails: fails)
            default:
                throw fail(m.first!.key, "unknown predicate \(goQuote(first)) in \(what) (expected one of: endpoints, pods, run, request)")
            }
        }

        static let failurePoints = ["nxdomain", "refused", "timeout", "empty-reply", "any"]

        func challenge(_ node: Node) throws(ScenarioError) -> Scenario.Challenge {
            var goal = "", hints: [String] = [], done: Scenario.Predicate?, solution: [String] = []
            var diagnostics = true, explain: String?
            for (key, value) in try mapping(node, "a challenge", allowed: ["goal", "hint", "hints", "done", "solution", "diagnostics", "explain"]) {
                switch key {
                case "goal": goal = try string(value, "goal")
                case "hint", "hints": hints += try strings(value, key)
                case "done": done = try predicate(value, "done")
                case "explain": explain = try string(value, "explain")
                case "diagnostics":
                    let text = try string(value, "diagnostics").lowercased()
                    guard ["on", "off", "true", "false"].contains(text) else { throw fail(value, "diagnostics must be on or off") }
                    diagnostics = text == "on" || text == "true"
                default:
                    solution = try strings(value, "solution")
                    if case let .sequence(items) = value { for item in items { _ = try command(item, "solution") } } else { _ = try command(value, "solution") }
                }
            }
            guard let done else { throw fail(node, "a challenge needs done: a predicate that holds once it is solved") }
            guard !goal.isEmpty else { throw fail(node, "a challenge needs a goal") }
            return Scenario.Challenge(goal: goal, hints: hints, done: done, solution: solution, diagnostics: diagnostics, explain: explain)
        }
    }
}
