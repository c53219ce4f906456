import Foundation
import ClusterEngine
import ClusterModel
import Kubectl
import Scenario

/// What the lab needs from a terminal; `NcursesTerminal` is the real one, `MemoryTerminal` the tests'.
public protocol LabTerminal: AnyObject {
    var size: (width: Int, height: Int) { get }
    func draw(_ grid: Grid)
    /// The next key or resize, or nil when `timeoutMillis` pass without input.
    func nextInput(timeoutMillis: Int) -> TerminalInput?
    /// True once SIGTERM/SIGHUP asked the lab to end.
    var stopRequested: Bool { get }
}

public enum TerminalInput: Equatable, Sendable {
    case key(Key)
    case resize
}

/// The loop: input and ticks become events, `update` turns them into effects, the effects run
/// against the session, and the frame is redrawn. The wall clock (injected) drives the
/// simulated one at the chosen speed; it is the only clock read here.
public final class LabApp {
    public let session: Session
    public private(set) var state: LabState
    private(set) var view: LabView
    private let wallClock: () -> Double
    private var lastWall: Double
    private var carry: Double = 0

    private let player: ScenarioPlayer?
    /// The cluster options a recording needs to replay (`R`).
    public var recordOptions = SessionRecorder.Options(seed: 1, nodes: 3, empty: false)
    public var recordPath = "svclab-recording.yaml"
    /// Work for the loop to run between frames on the thread that owns the session (the API's
    /// requests with `svclab --serve`); returns whether anything ran. The keyboard is then
    /// polled every 20 ms instead of 100 so requests are answered quickly.
    public var externalWork: (() -> Bool)?
    /// Where the API listens (`svclab --serve`), for the header.
    public var serving: String? { get { state.serving } set { state.serving = newValue } }
    /// The real cluster the lab shows (`svclab --kubeconfig`), and its connection trouble.
    public var realCluster: String? { get { state.realCluster } set { state.realCluster = newValue } }
    public var realClusterProblem: String? { get { state.realClusterProblem } set { state.realClusterProblem = newValue } }
    /// A message for the footer until the next key.
    public var flash: String? { get { state.flash } set { state.flash = newValue } }
    /// Injectable for tests: whether a recording's file name is taken.
    public var fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }

    /// `base` if it is free, else `stem-2.ext`, `stem-3.ext`, …
    static func freeName(_ base: String, exists: (String) -> Bool) -> String {
        guard exists(base) else { return base }
        let ext = (base as NSString).pathExtension
        let stem = ext.isEmpty ? base : String(base.dropLast(ext.count + 1))
        var n = 2
        while true {
            let candidate = ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)"
            if !exists(candidate) { return candidate }
            n += 1
        }
    }

    public init(session: Session, seed: UInt64, unicode: Bool, wallClock: @escaping () -> Double, player: ScenarioPlayer? = nil) {
        self.session = session
        self.player = player
        self.wallClock = wallClock
        lastWall = wallClock()
        state = LabState(unicode: unicode, seed: seed)
        view = LabView.build(cluster: session.cluster, namespace: session.namespace, serviceName: nil, filter: "")
        // Start on the Service the lesson is about, if there is one.
        if let i = view.services.firstIndex(where: { $0.name == "my-app" }) { state.serviceIndex = i }
        state.clamp(view)
        view = LabView.build(cluster: session.cluster, namespace: session.namespace, serviceName: state.selectedService, filter: "")
        if let player { state.lesson = player.intro() }
    }

    /// The terminal while `run` drives it: a long action draws a "running" frame on it and
    /// polls it for Ctrl-C.
    private weak var terminal: LabTerminal?
    /// Keys typed while an action ran (other than Ctrl-C and q), handled after it.
    private var typedDuringAction: [TerminalInput] = []

    /// Asks a yes/no question on the footer and waits for the answer: y writes; any other key
    /// (n, Esc, Enter) does not.
    func confirm(_ question: String) -> Bool {
        guard let terminal else { return false }
        state.flash = question
        defer { state.flash = nil }
        while !terminal.stopRequested {
            let size = terminal.size
            terminal.draw(LabRender.render(state, view, width: size.width, height: size.height))
            guard let input = terminal.nextInput(timeoutMillis: 100) else { continue }
            if input == .key(.char("y")) || input == .key(.char("Y")) { return true }
            if case .key = input { return false }
        }
        return false
    }

    /// Runs until `q`, Ctrl-C, or a stop signal.
    public func run(on terminal: LabTerminal) {
        self.terminal = terminal
        // A long jump of the clock (a big scale, `:sleep 24h`) polls the keyboard: Ctrl-C stops
        // the action, q stops it and quits, a stop signal ends it; other keys wait their turn.
        var lastPoll = wallClock()
        session.cluster.interrupt = { [weak self, unowned terminal] in
            guard let self else { return false }
            if terminal.stopRequested { return true }
            // The keyboard is read at most every 20 ms of wall time: a timer is cheaper than a read.
            let now = self.wallClock()
            guard now - lastPoll >= 0.02 else { return false }
            lastPoll = now
            while let input = terminal.nextInput(timeoutMillis: 0) {
                if input == .key(.ctrl("c")) { return true }
                if input == .key(.char("q")) && self.state.prompt == nil { self.state.quit = true; return true }
                if self.typedDuringAction.count < 4096 { self.typedDuringAction.append(input) }
            }
            return false
        }
        defer { session.cluster.interrupt = nil; self.terminal = nil }
        // A write to a real cluster (`svclab --kubeconfig`) asks first, on the footer.
        session.confirmWrite = { [weak self] question in self?.confirm(question) ?? false }
        var lastFrame: Grid?
        while !state.quit && !terminal.stopRequested {
            let size = terminal.size
            let frame = LabRender.render(state, view, width: size.width, height: size.height)
            if frame != lastFrame { terminal.draw(frame); lastFrame = frame }
            let input = typedDuringAction.isEmpty ? terminal.nextInput(timeoutMillis: externalWork == nil ? 100 : 20) : typedDuringAction.removeFirst()
            advanceClock()
            // What another client did shows in the panes at once (pulses and all).
            if let work = externalWork, work() { refresh() }
            switch input {
            case let .key(key)?:
                handle(.key(key))
                // A paste arrives as many keys at once: take them all before drawing again.
                var burst = 0
                while burst < 4096, !state.quit, let more = terminal.nextInput(timeoutMillis: 0) {
                    burst += 1
                    if case let .key(k) = more { handle(.key(k)) } else { lastFrame = nil }
                }
            case .resize?: lastFrame = nil
            case nil:
                tickPlayer()
                handle(.tick)
            }
        }
    }

    /// Puts what a lesson step is about on screen: its namespace, then the Service (or pod)
    /// selected — the pane scrolls to it.
    func select(_ focus: Scenario.Focus) {
        if let ns = focus.namespace, ns != session.namespace { session.namespace = ns }
        refresh()
        switch focus.kind {
        case .service:
            if let i = view.services.firstIndex(where: { $0.name == focus.name }) { state.serviceIndex = i; state.selectedService = focus.name; state.focus = .services }
        case .pod:
            if let i = view.pods.firstIndex(where: { $0.name == focus.name }) { state.podIndex = i; state.focus = .pods }
        }
        refresh()
    }

    /// Narration is never clipped: text longer than the lesson box opens in the output view
    /// (scrollable; Esc returns to the panes, n goes on).
    func showWholeNarrationIfClipped() {
        guard let lesson = state.lesson else { return }
        let size = terminal?.size ?? (width: 80, height: 24)
        guard !LabRender.lessonFits(lesson, width: size.width, height: size.height) else { return }
        let panel = LabState.Panel(title: "\(lesson.title) · \(lesson.progress)", lines: LabRender.lessonText(lesson, width: size.width))
        state.panel = panel
        state.lastOutput = panel
    }

    /// Lets a waiting challenge notice that it has been solved.
    public func tickPlayer() {
        if let player, let lesson = player.tick() { state.lesson = lesson }
    }

    /// One event through update and the effects (also what tests drive directly).
    public func handle(_ event: LabEvent) {
        let effects = LabUpdate.update(&state, event, view: view)
        for e in effects { apply(e) }
        refresh()
    }

    /// Moves the simulated clock by the wall time since the last call, at the chosen speed.
    func advanceClock() {
        let now = wallClock()
        let elapsed = max(0, now - lastWall)
        lastWall = now
        guard state.speed != .paused else { return }
        carry += elapsed * 1000 * Double(state.speed.rawValue)
        let ms = Millis(carry)
        carry -= Double(ms)
        if ms > 0 { session.cluster.advance(byMillis: ms) }
    }

    /// What the view shows depends on: the store (its resourceVersion moves on every write), the
    /// simulated second, and what is selected. Unchanged, the last view is reused: an idle lab on a
    /// big cluster does not rebuild every pod row ten times a second.
    private struct ViewInputs: Equatable {
        var resourceVersion: Int64
        var second: Millis
        var namespace: String
        var service: String?
        var filter: String
    }
    private var viewInputs: ViewInputs?

    private func buildView(service: String?) -> LabView {
        let inputs = ViewInputs(resourceVersion: session.cluster.resourceVersion, second: session.cluster.now / 1000,
                                namespace: session.namespace, service: service, filter: state.filter)
        if inputs == viewInputs { return view }
        viewInputs = inputs
        return LabView.build(cluster: session.cluster, namespace: session.namespace, serviceName: service, filter: state.filter)
    }

    private func refresh() {
        let old = view
        let wanted = state.selectedService
        view = buildView(service: wanted)
        state.clamp(view)
        // The selection moved (a Service came or went, or the cursor moved): build for it.
        if state.selectedService != wanted { view = buildView(service: state.selectedService) }
        state.observe(old: old, new: view)
    }

    private func run(_ line: String) -> CommandOutput { session.runScript(line) }

    private func apply(_ effect: LabEffect) {
        switch effect {
        case let .run(line):
            if let terminal {
                // Say what runs before it runs: a long action must not look like a frozen screen.
                var busy = state
                busy.flash = "running: \(line)   (Ctrl-C interrupts, q quits)"
                terminal.draw(LabRender.render(busy, view, width: terminal.size.width, height: terminal.size.height))
            }
            // What the learner types at `:` reads what they name, as kubectl does; only the
            // lesson's own steps (ScenarioPlayer) stay inside its folder.
            let confinement = session.confinement
            session.confinement = nil
            session.lastTrace = nil
            session.lastTraffic = nil
            let out = run(line)
            session.confinement = confinement
            if session.cluster.interrupted { lastWall = wallClock() }
            let text = out.combined
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let trimmed = lines.last == "" ? Array(lines.dropLast()) : lines
            if let traced = session.lastTrace {
                state.trace = traced.map { TraceLine(Self.withoutNamespace($0.text, session.namespace), $0.kind) }
                state.traceTitle = session.lastTraffic != nil ? "Traffic" : "Trace"
            } else if trimmed.count <= 1 {
                state.flash = trimmed.first ?? "(no output)"
            } else {
                state.panel = LabState.Panel(title: "$ " + line, lines: trimmed)
            }
            state.lastOutput = LabState.Panel(title: "$ " + line, lines: trimmed)
        case let .scale(deployment, replicas):
            flash(run("kubectl scale deployment \(deployment) --replicas=\(replicas)"))
        case let .scaleBy(deployment, delta):
            let current = session.cluster.deployments.get(session.namespace, deployment)?.desiredReplicas ?? 0
            flash(run("kubectl scale deployment \(deployment) --replicas=\(max(0, current + delta))"))
        case let .label(pod, spec):
            flash(run("kubectl label pod \(pod) \(spec)"))
        case let .toggleReadiness(pod):
            if let real = state.realCluster {
                state.flash = "svclab only reads \(real): a real pod's readiness probe is its own"
                return
            }
            guard let p = session.cluster.pods.get(session.namespace, pod), p.spec.containers.contains(where: { $0.readinessProbe != nil }) else {
                state.flash = "\(pod) has no readiness probe: it counts as ready as soon as it runs"
                return
            }
            let healthy = session.cluster.readinessProbeHealthy(namespace: session.namespace, name: pod) ?? true
            session.cluster.setReadinessProbeHealthy(namespace: session.namespace, name: pod, healthy: !healthy)
            state.flash = healthy ? "\(pod): readiness probe now fails; after failureThreshold probes it leaves the endpoints"
                : "\(pod): readiness probe passes again; it returns to the endpoints"
        case let .deletePod(pod):
            flash(run("kubectl delete pod \(pod) --wait=false"))
        case let .fire(service):
            guard let (client, target, label) = requestTarget(service) else { return }
            let result = session.cluster.request(from: client, url: target, connectTimeout: 10_000)
            state.trace = Self.traceLines(result, namespace: session.namespace)
            state.traceTitle = (state.realCluster == nil ? "Trace: " : "Trace (predicted from the API's view): ") + "\(label) → \(target.host):\(target.port)"
            state.lastEndpointChain = result.hops.lazy.compactMap { hop -> String? in
                guard case let .choice(_, rules) = hop.reason else { return nil }
                return rules.split(separator: " ").first { $0.hasPrefix("KUBE-SEP-") || $0.hasPrefix("endpoint-") }.map(String.init)
            }.first
            // The pane may have to hide routine hops; `o` shows every one.
            state.lastOutput = LabState.Panel(title: state.traceTitle, lines: state.trace.map(\.text))
        case let .burst(service):
            guard let (client, target, _) = requestTarget(service) else { return }
            let from: String
            if case let .pod(p) = client { from = p.metadata.name } else { from = "host" }
            session.lastTraffic = nil
            let result = run("traffic --from \(from) -n 100 http://\(target.host)\(target.port == 80 ? "" : ":\(target.port)")")
            let out = result.combined
            guard let report = session.lastTraffic else { flash(result); return }
            // The report's POD and HITS/SHARE columns fit the pane; the summary follows.
            var pane = report.rows.isEmpty ? [] : [TraceLine("POD".padding(toLength: 24, withPad: " ", startingAt: 0) + "HITS  SHARE")]
            for row in report.rows {
                pane.append(TraceLine(LabRender.fitName(row.pod, 22) + "  " + String(row.hits).padding(toLength: 5, withPad: " ", startingAt: 0) + " \(row.share)%"))
            }
            pane.append(TraceLine(report.summary, report.answered > 0 ? .success : .failure))
            state.trace = pane
            state.traceTitle = "Traffic: 100 × GET http://\(service)"
            state.lastOutput = LabState.Panel(title: state.traceTitle, lines: out.split(separator: "\n").map(String.init))
        case let .step(ms):
            session.cluster.advance(byMillis: ms)
        case let .showRules(service):
            state.panel = rulesPanel(service)
        case .toggleRecording:
            if let path = state.recording {
                try? session.recorder?.flush()
                session.recorder = nil
                state.recording = nil
                state.flash = "recording stopped: \(path) (replay it with svclab replay \(path))"
            } else {
                // Never over an earlier recording: the next free name (svclab-recording-2.yaml, …).
                let path = Self.freeName(recordPath, exists: fileExists)
                let recorder = SessionRecorder(path: path, options: recordOptions, startTime: session.cluster.now)
                do {
                    try recorder.flush()
                    session.recorder = recorder
                    state.recording = path
                    state.flash = "recording to \(path): every action from now on (R stops)"
                } catch {
                    state.flash = "error: cannot write \(path)"
                }
            }
        case let .lesson(action):
            guard let player else { return }
            switch action {
            case .next, .skip:
                session.lastTrace = nil
                let (lesson, output) = player.next(skip: action == .skip)
                state.lesson = lesson
                showWholeNarrationIfClipped()
                // A prediction step asks at once: the prompt is open for the answer.
                if player.awaitingPrediction { state.prompt = LabState.Prompt(kind: .predict) }
                if let focus = lesson.focus { select(focus) }
                if var output {
                    while output.last?.isEmpty == true { output.removeLast() }
                    // A step that traced keeps its lines' kinds (their colours).
                    let traced = session.lastTrace ?? []
                    let kinds = Array(output.suffix(traced.count)) == traced.map(\.text) ? traced : []
                    state.trace = output.prefix(output.count - kinds.count).map { TraceLine($0) } + kinds
                    state.traceTitle = "Output"
                    if let panel = player.outputPanel(output) {
                        state.lastOutput = panel
                        // A manifest, or output wider or longer than the strip: the full view.
                        let strip = (terminal?.size.width ?? 80) - (terminal?.size.width ?? 80) * 21 / 40 - 2
                        if panel.manifest != nil || output.count > 6 || output.contains(where: { $0.count > strip }) { state.panel = panel }
                    }
                }
            case .previous: if let l = player.previous() { state.lesson = l; showWholeNarrationIfClipped() } else { state.flash = "nothing before this step" }
            case .hint: if let l = player.hint() { state.lesson = l } else { state.flash = "no challenge right now" }
            case .solution: if let l = player.solution() { state.lesson = l } else { state.flash = "no challenge right now" }
            case let .predict(text): if let l = player.predict(text) { state.lesson = l }
            }
        }
    }

    /// Who sends the lab's requests and where to, following `state.requestVia`.
    private func requestTarget(_ service: String) -> (RequestClient, RequestTarget, String)? {
        guard let svc = session.cluster.services.get(session.namespace, service), let port = svc.spec.ports.first else {
            state.flash = "\(service) has no ports"; return nil
        }
        switch state.requestVia {
        case .name, .clusterIP:
            guard let pod = clientPod() else { state.flash = "no running pod to send the request from"; return nil }
            let host = state.requestVia == .name ? service : svc.spec.clusterIP
            guard let target = RequestTarget.parse("http://\(host)\(port.port == 80 ? "" : ":\(port.port)")") else { return nil }
            return (.pod(pod), target, pod.metadata.name)
        case .nodePort:
            guard port.nodePort != 0 else { state.flash = "\(service) has no NodePort (type \(svc.spec.type)); v switches back"; return nil }
            let node = session.cluster.nodes.list(namespace: nil).first { $0.taints.isEmpty }?.internalIP ?? ""
            guard let target = RequestTarget.parse("http://\(node):\(port.nodePort)") else { return nil }
            return (.host, target, "host")
        }
    }

    /// The Rules view: kube-proxy's rules for the selected Service on the client pod's node
    /// (`Cluster.serviceRuleLines`, in the node's proxy mode), the endpoint chain the last
    /// request went through highlighted.
    func rulesPanel(_ service: String) -> LabState.Panel {
        let node = clientPod()?.spec.nodeName ?? session.cluster.nodes.list().first { $0.taints.isEmpty }?.metadata.name ?? ""
        let name = "\(session.namespace)/\(service)"
        let shown = session.cluster.serviceRuleLines(namespace: session.namespace, service: service, node: node)
        var lines = ["kube-proxy (\(session.cluster.proxyMode.rawValue)) on \(node) — `rules \(node)` in the shell prints them all", ""] + shown
        if shown.isEmpty { lines.append("no rules: \(name) has no cluster IP (headless or ExternalName)") }
        var panel = LabState.Panel(title: "Rules: \(name) on \(node)", lines: lines)
        if let sep = state.lastEndpointChain {
            // Its rules (iptables: each names the chain) or its block (nftables: `chain X { … }`).
            var marked = Set(lines.indices.filter { lines[$0].contains(sep) })
            if let start = lines.firstIndex(where: { $0.hasPrefix("chain \(sep) ") }) {
                var i = start
                while i < lines.count { marked.insert(i); if lines[i] == "}" { break }; i += 1 }
            }
            panel.highlight = marked
        }
        return panel
    }

    /// The lab's client: the cluster's default client pod (as `trace` and `why` choose it).
    private func clientPod() -> Pod? { session.cluster.defaultClientPod(namespace: session.namespace) }

    /// A trace short enough for the pane: one line per hop, the reason in a few words.
    static func traceLines(_ r: RequestResult, namespace: String = "default") -> [TraceLine] {
        func short(_ name: String) -> String { withoutNamespace(name, namespace) }
        var lines: [TraceLine] = []
        func add(_ text: String, _ kind: TraceLine.Kind = .plain) { lines.append(TraceLine(text, kind)) }
        for hop in r.hops {
            switch hop.reason {
            case let .dns(q):
                let answer = q.answer.addresses.isEmpty ? q.answer.code.rawValue : q.answer.addresses.joined(separator: ",")
                add("DNS  \(q.name) → \(answer)", q.answer.addresses.isEmpty ? .routine(tier: 2) : .plain)
            case let .service(name, node, ready, terminatingOnly):
                add("SVC  \(short(name)): " + (terminatingOnly ? "no ready, using terminating" : "\(ready) ready") + " (node \(node))", terminatingOnly ? .plain : .routine(tier: 1))
            case let .topology(zone, _, kept, ready):
                add("SVC  PreferClose: \(kept) of \(ready) in zone \(zone)")
            case let .choice(choice, _):
                let why: String
                switch choice {
                case let .random(i, n): why = n == 1 ? "the only endpoint" : "random \(i + 1) of \(n)"
                case let .affinity(ms): why = "ClientIP affinity (\(ms / 1000)s)"
                case let .terminatingFallback(i, n): why = "terminating \(i + 1) of \(n)"
                }
                add("NAT  → \(hop.destinationIP):\(hop.destination.split(separator: ":").last ?? "") \(why)")
            case let .nodePort(node, port, policy, _): add("NODE \(node):\(port) (\(policy))")
            case let .loadBalancer(ip, node, _): add("LB   \(ip) via \(node)")
            case .direct: add("POD  direct to \(hop.destinationIP)", .routine(tier: 0))
            case let .onNode(node): add("POD  \(short(hop.destination.split(separator: ":").first.map(String.init) ?? "")) on \(node)", .routine(tier: 0))
            case let .httpReply(status, reason, bytes): add("←    \(status) \(reason), \(bytes) bytes", .routine(tier: 0))
            case .closedWithoutReply: add("←    closed without an HTTP reply", .routine(tier: 0))
            case let .noEndpoints(comment): add("SVC  REJECT: \(short(comment))", .failure)
            case let .noLocalEndpoints(comment): add("SVC  DROP: \(short(comment))", .failure)
            case let .sourceRangeDrop(_, ranges, _): add("SVC  DROP: source not in \(ranges.joined(separator: ","))", .failure)
            case let .portNotInService(service, port, ports): add("SVC  \(short(service)) has no port \(port) (\(ports.map(String.init).joined(separator: ","))): no rule")
            case let .notListening(pod, port, listening): add("POD  \(pod): nothing on :\(port)" + (listening.isEmpty ? "" : " (listens \(listening.map(String.init).joined(separator: ",")))"))
            case let .podNotRunning(pod, phase): add("POD  \(pod) is \(phase)")
            case let .noRoute(ip): add("NET  no route to \(ip)")
            case let .nothingOnNodePort(node, port): add("NODE \(node):\(port): no such NodePort")
            case let .healthCheck(service, node, local): add("HC   \(short(service)) on \(node): \(local) local")
            }
        }
        switch r.outcome {
        case let .reply(reply, servedBy): add("=    \(reply.status) \(reply.reason) from \(servedBy.map { LabRender.fitName($0.name, 22).trimmingCharacters(in: .whitespaces) } ?? "?") in \(r.elapsed) ms", .success)
        default: add(short(Session.verdict(r)), .failure)
        }
        return lines
    }

    private func flash(_ out: CommandOutput) {
        state.flash = out.combined.split(separator: "\n").first.map(String.init) ?? ""
    }

    /// Names in the lab's own namespace without it: the namespace it shows goes without saying.
    static func withoutNamespace(_ text: String, _ namespace: String) -> String {
        text.replacingOccurrences(of: "\(namespace)/", with: "")
    }
}
