import ClusterEngine
import ClusterModel
import Foundation
import Kubectl

/// Runs a scenario on a fresh session: headless (`replay`), or step by step for the screen.
public final class ScenarioRunner {
    public let scenario: Scenario
    public let session: Session

    /// `course`: the folder of the course the lesson is played in, if any; its commands may then
    /// read anything inside that folder, otherwise only inside the scenario's own.
    public init(_ scenario: Scenario, course: String? = nil) throws(ScenarioError) {
        self.scenario = scenario
        let pool: ClosedRange<UInt32>?
        if let text = scenario.cluster.loadBalancerPool {
            guard let parsed = LoadBalancerPool.parse(text) else {
                throw ScenarioError(message: "\(scenario.path): cluster.loadBalancerPool must be FIRST-LAST or off, not \(goQuote(text))")
            }
            pool = parsed
        } else {
            pool = LoadBalancerPool.defaultRange
        }
        let c = scenario.cluster
        session = c.empty ? Session.empty(seed: c.seed, nodes: c.nodes, loadBalancerPool: pool, proxyMode: c.proxyMode)
                          : Session.demo(seed: c.seed, nodes: c.nodes, loadBalancerPool: pool, proxyMode: c.proxyMode)
        let folder = (scenario.path as NSString).deletingLastPathComponent
        session.workingDirectory = folder.isEmpty ? "." : folder
        // A lesson is a downloaded file: every file its commands name stays inside its folder.
        let root = course ?? session.workingDirectory
        guard let confinement = FileConfinement(folder: root, what: course == nil ? "the scenario's folder" : "the course folder") else {
            throw ScenarioError(message: "\(scenario.path): cannot resolve the folder \(root)")
        }
        session.confinement = confinement
        if !scenario.setup.isEmpty {
            let out = session.apply(scenario.setup.map { ($0.text, $0.source) }, explicitNamespace: nil, defaultNamespace: session.namespace)
            if out.exitCode != 0 { throw ScenarioError(message: "\(scenario.path): setup failed:\n\(out.stderr)") }
            session.cluster.advance(bySeconds: 30)
        }
    }

    // MARK: Predicates

    public struct Verdict: Sendable {
        public var ok: Bool
        /// What was expected and what was seen, in words.
        public var text: String
    }

    public func check(_ p: Scenario.Predicate) -> Verdict {
        let cluster = session.cluster
        switch p {
        case let .all(list):
            let verdicts = list.map(check)
            return Verdict(ok: verdicts.allSatisfy(\.ok), text: verdicts.map(\.text).joined(separator: "; "))
        case let .endpoints(service, namespace, ready, notReady, atLeast):
            let ns = namespace ?? session.namespace
            var readySet = Set<String>(), notReadySet = Set<String>()
            for slice in cluster.slices(ofService: ObjectKey(ns, service)) {
                for e in slice.endpoints {
                    guard let ip = e.addresses.first else { continue }
                    if e.conditions.countsAsReady { readySet.insert(ip) } else { notReadySet.insert(ip) }
                }
            }
            var wanted: [String] = []
            var ok = true
            if let ready { wanted.append("\(ready) ready"); ok = ok && readySet.count == ready }
            if let atLeast { wanted.append("at least \(atLeast) ready"); ok = ok && readySet.count >= atLeast }
            if let notReady { wanted.append("\(notReady) not ready"); ok = ok && notReadySet.count == notReady }
            let seen = cluster.services.get(ns, service) == nil ? "no Service \(ns)/\(service)" : "\(readySet.count) ready, \(notReadySet.count) not ready"
            return Verdict(ok: ok, text: "endpoints of \(service): " + (ok ? seen : "expected \(wanted.joined(separator: ", ")), saw \(seen)"))
        case let .membership(service, namespace, includes, excludes, exactly, selector):
            return membership(service, namespace ?? session.namespace, includes, excludes, exactly, selector)
        case let .pods(selector, namespace, count, phase, ready):
            let ns = namespace ?? session.namespace
            let sel = (try? LabelSelectorExpression.parse(selector)) ?? .everything
            var pods = cluster.pods.list(namespace: ns).filter { sel.matches($0.metadata.labels) && !$0.isTerminating }
            if let phase { pods = pods.filter { $0.status.phase.rawValue == phase } }
            let readyCount = pods.filter { $0.status.isReady }.count
            var ok = true
            var wanted: [String] = []
            if let count { wanted.append("\(count) pods"); ok = ok && pods.count == count }
            if let ready { wanted.append("\(ready) ready"); ok = ok && readyCount == ready }
            let what = "pods \(selector)" + (phase.map { " in phase \($0)" } ?? "")
            let seen = "\(pods.count) pods, \(readyCount) ready"
            return Verdict(ok: ok, text: "\(what): " + (ok ? seen : "expected \(wanted.joined(separator: ", ")), saw \(seen)"))
        case let .output(run, check):
            let out = session.runScript(run)
            return outputVerdict(run, out, check)
        case let .request(from, url, reaches, fails):
            guard let pod = cluster.pods.get(session.namespace, from) else {
                return Verdict(ok: false, text: "request from \(from): no such pod")
            }
            guard let target = RequestTarget.parse(url) else { return Verdict(ok: false, text: "request: \(goQuote(url)) is not a URL") }
            let r = cluster.request(from: pod, url: target, connectTimeout: 5000)
            let seen: String
            var reachedPod: Pod?
            switch r.outcome {
            case let .reply(reply, servedBy):
                reachedPod = servedBy.flatMap { cluster.pods.get($0) }
                seen = "HTTP \(reply.status) from \(servedBy?.name ?? "?")"
            case .unresolved: seen = "nxdomain"
            case .refused: seen = "refused"
            case .timedOut: seen = "timeout"
            case .emptyReply: seen = "empty-reply"
            }
            if let reaches {
                let sel = (try? LabelSelectorExpression.parse(reaches)) ?? .everything
                let ok = reachedPod.map { sel.matches($0.metadata.labels) } ?? false
                return Verdict(ok: ok, text: "request \(url) from \(from): " + (ok ? seen : "expected a pod matching \(reaches), saw \(seen)"))
            }
            if let fails {
                let ok = fails == "any" ? reachedPod == nil : seen == fails
                return Verdict(ok: ok, text: "request \(url) from \(from): " + (ok ? "fails (\(seen))" : "expected it to fail with \(fails), saw \(seen)"))
            }
            let ok = reachedPod != nil
            return Verdict(ok: ok, text: "request \(url) from \(from): \(seen)")
        }
    }

    /// A `run:` step: the command runs once and, if the step has checks, that very output is
    /// judged. Replay and play both go through here, so they cannot disagree.
    public func runStep(_ line: String, check: Scenario.OutputCheck?) -> (output: CommandOutput, verdict: Verdict?) {
        let out = session.runScript(line)
        guard let check else { return (out, nil) }
        return (out, outputVerdict(line.split(separator: "\n").first.map(String.init) ?? line, out, check))
    }

    /// The pods behind a Service's ready endpoints, compared with what the step asks.
    func membership(_ service: String, _ ns: String, _ includes: [String], _ excludes: [String], _ exactly: String?, _ selector: [String: String]?) -> Verdict {
        let cluster = session.cluster
        guard let svc = cluster.services.get(ns, service) else { return Verdict(ok: false, text: "endpoints of \(service): no Service \(ns)/\(service)") }
        var ready = Set<String>()
        for slice in cluster.slices(ofService: ObjectKey(ns, service)) {
            for e in slice.endpoints where e.conditions.countsAsReady {
                if let pod = e.targetRef?.name { ready.insert(pod) }
            }
        }
        let pods = cluster.pods.list(namespace: ns).filter { !$0.isTerminating }
        /// The pods a reference names: a label selector, a name prefix (`shop-v2-*`), or a name.
        func denoted(_ ref: String) -> [Pod] {
            if Scenario.isSelector(ref) {
                let sel = (try? LabelSelectorExpression.parse(ref)) ?? .everything
                return pods.filter { sel.matches($0.metadata.labels) }
            }
            if ref.hasSuffix("*") { return pods.filter { $0.metadata.name.hasPrefix(ref.dropLast()) } }
            return pods.filter { $0.metadata.name == ref }
        }
        var problems: [String] = []
        for ref in includes {
            let named = denoted(ref)
            if named.isEmpty { problems.append("no pod is \(ref)") }
            let missing = named.filter { !ready.contains($0.metadata.name) }.map(\.metadata.name).sorted()
            if !missing.isEmpty { problems.append("\(missing.joined(separator: ", ")) should be a ready endpoint (\(ref)) but is not") }
        }
        for ref in excludes {
            let present = denoted(ref).filter { ready.contains($0.metadata.name) }.map(\.metadata.name).sorted()
            if !present.isEmpty { problems.append("\(present.joined(separator: ", ")) should not be an endpoint (\(ref))") }
        }
        if let exactly {
            let sel = (try? LabelSelectorExpression.parse(exactly)) ?? .everything
            let wanted = Set(pods.filter { sel.matches($0.metadata.labels) && $0.status.isReady }.map(\.metadata.name))
            if wanted.isEmpty { problems.append("no ready pod matches \(exactly)") }
            let extra = ready.subtracting(wanted).sorted(), lacking = wanted.subtracting(ready).sorted()
            if !extra.isEmpty { problems.append("\(extra.joined(separator: ", ")) \(extra.count == 1 ? "is an endpoint but does" : "are endpoints but do") not match \(exactly)") }
            if !lacking.isEmpty { problems.append("\(lacking.joined(separator: ", ")) \(lacking.count == 1 ? "matches" : "match") \(exactly) but \(lacking.count == 1 ? "is not an endpoint" : "are not endpoints")") }
        }
        if let selector, (svc.spec.selector ?? [:]) != selector {
            let show = { (m: [String: String]) in m.isEmpty ? "(none)" : m.keys.sorted().map { "\($0)=\(m[$0]!)" }.joined(separator: ",") }
            problems.append("the selector is \(show(svc.spec.selector ?? [:])), expected \(show(selector))")
        }
        return Verdict(ok: problems.isEmpty, text: "endpoints of \(service): " + (problems.isEmpty ? "the expected pods (\(ready.count) ready)" : problems.joined(separator: "; ")))
    }

    func outputVerdict(_ run: String, _ out: CommandOutput, _ check: Scenario.OutputCheck) -> Verdict {
        var problems: [String] = []
        let text = out.combined
        for c in check.contains where !text.contains(c) { problems.append("output lacks \(goQuote(c))") }
        // POSIX ERE, ^ and $ at every line (no backtracking, so a lesson cannot hang the runner).
        if let pattern = check.matches, let re = try? PosixRegex(pattern, syntax: .extended), !re.matches(text) {
            problems.append("output does not match /\(pattern)/")
        }
        if let equals = check.equals, text != equals && text != equals + "\n" { problems.append("output differs from the expected text") }
        if let code = check.exitCode, out.exitCode != code { problems.append("exit code \(out.exitCode), expected \(code)") }
        if check.exitCode == nil && check.contains.isEmpty && check.matches == nil && check.equals == nil && out.exitCode != 0 {
            problems.append("exit code \(out.exitCode)")
        }
        return Verdict(ok: problems.isEmpty, text: "\(run): " + (problems.isEmpty ? "as expected" : problems.joined(separator: "; ")))
    }

    // MARK: Replay

    /// One piece of the transcript, kept apart so a cast can type commands at a human pace.
    public enum Piece: Sendable {
        case comment(String)
        case command(String)
        case output(String)
        case verdict(Bool, String)
    }

    public struct Replay: Sendable {
        public var pieces: [Piece] = []
        public var failures = 0
        public var transcript: String {
            pieces.map { p -> String in
                switch p {
                case let .comment(t): return t.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }.joined(separator: "\n") + "\n"
                case let .command(c): return "$ \(c)\n"
                case let .output(o): return o
                case let .verdict(ok, t): return (ok ? "✓ " : "✗ ") + t + "\n"
                }
            }.joined()
        }
    }

    /// Runs every step; challenges are solved by their `solution`, which must satisfy `done`.
    /// Without solutions (`replay --no-solutions`) every challenge must then fail: a lesson
    /// whose challenge passes untouched checks nothing.
    public func replay(solutions: Bool = true) -> Replay {
        var r = Replay()
        r.pieces.append(.comment(scenario.title))
        if !scenario.about.isEmpty { r.pieces.append(.comment(scenario.about)) }
        for step in scenario.steps {
            switch step {
            case let .say(text):
                r.pieces.append(.comment(text))
            case let .run(line, check):
                r.pieces.append(.command(line.split(separator: "\n").first.map(String.init) ?? line))
                let (out, verdict) = runStep(line, check: check)
                if line.contains("\n") {
                    for body in line.split(separator: "\n").dropFirst() { r.pieces.append(.output("> \(body)\n")) }
                }
                r.pieces.append(.output(out.combined))
                if let v = verdict {
                    r.pieces.append(.verdict(v.ok, v.text))
                    if !v.ok { r.failures += 1 }
                }
            case let .sleep(d):
                r.pieces.append(.command("sleep \(d)"))
                let out = session.runScript("sleep \(d)")
                r.pieces.append(.output(out.combined))
                if out.exitCode != 0 { r.failures += 1 }
            case let .expect(p):
                let v = check(p)
                r.pieces.append(.verdict(v.ok, v.text))
                if !v.ok { r.failures += 1 }
            case let .challenge(c):
                r.pieces.append(.comment("Challenge: \(c.goal)"))
                for (i, h) in c.hints.enumerated() { r.pieces.append(.comment("  hint \(i + 1): \(h)")) }
                let before = check(c.done)
                if before.ok {
                    r.pieces.append(.verdict(false, "challenge is already solved before anything was done (\(before.text))"))
                    r.failures += 1
                }
                for line in c.solution where solutions {
                    r.pieces.append(.command(line))
                    r.pieces.append(.output(session.runScript(line).combined))
                }
                // Give the controllers time to act on the solution.
                let v = settle(c.done)
                r.pieces.append(.verdict(v.ok, "solution: \(v.text)"))
                if !v.ok { r.failures += 1 }
            case let .pause(text):
                if let text { r.pieces.append(.comment(text)) }
            case let .predict(p):
                r.pieces.append(.comment("Predict: \(p.question)"))
                for (i, c) in p.choices.enumerated() { r.pieces.append(.comment("  \(i + 1). \(c)")) }
                r.pieces.append(.comment("  (answer: \(p.answer))"))
            }
        }
        r.pieces.append(.comment(r.failures == 0 ? "all checks passed" : "\(r.failures) check\(r.failures == 1 ? "" : "s") failed"))
        return r
    }

    /// Checks `p` now and, if it does not hold yet, again as simulated time passes (up to 2 minutes).
    public func settle(_ p: Scenario.Predicate) -> Verdict {
        var v = check(p)
        var waited = 0
        while !v.ok && waited < 120 {
            session.cluster.advance(bySeconds: 5)
            waited += 5
            v = check(p)
        }
        return v
    }

    // MARK: asciinema

    /// An asciinema v2 recording of a replay: commands typed at a human pace, output at once.
    public static func cast(_ replay: Replay, title: String, width: Int = 100, height: Int = 30) -> String {
        var t = 0.0
        var lines = ["{\"version\": 2, \"width\": \(width), \"height\": \(height), \"title\": \(jsonString(title)), \"env\": {\"SHELL\": \"/bin/sh\", \"TERM\": \"xterm-256color\"}}"]
        func emit(_ text: String) {
            lines.append("[\(String(format: "%.3f", t)), \"o\", \(jsonString(text))]")
        }
        for p in replay.pieces {
            switch p {
            case let .comment(c):
                emit("\u{1B}[2m# " + c.replacingOccurrences(of: "\n", with: "\r\n# ") + "\u{1B}[0m\r\n")
                t += 0.6 + Double(c.count) * 0.02
            case let .command(c):
                emit("$ ")
                for ch in c { t += 0.05; emit(String(ch)) }
                t += 0.3
                emit("\r\n")
            case let .output(o):
                t += 0.2
                if !o.isEmpty { emit(o.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")) }
                t += 0.8
            case let .verdict(ok, text):
                emit((ok ? "\u{1B}[32m✓ " : "\u{1B}[31m✗ ") + text + "\u{1B}[0m\r\n")
                t += 0.5
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func jsonString(_ s: String) -> String { Value.jsonQuote(s) }
}
