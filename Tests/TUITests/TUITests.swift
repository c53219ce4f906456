import ClusterEngine
import Foundation
import Testing
@testable import Kubectl
@testable import TUI
import TextLayout
import Scenario

/// Golden frames (text layer and role layer) at 80×24 and 120×40, for the main states.
/// `SVCLAB_UPDATE_SNAPSHOTS=1 swift test --filter TUITests` rewrites them after an intended change.
struct SnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// A lab on the demo cluster whose wall clock never moves (frames depend only on keys).
    static func lab() -> LabApp {
        LabApp(session: Session.demo(), seed: 1, unicode: true, wallClock: { 0 })
    }

    static func check(_ name: String, _ grid: Grid) throws {
        let text = grid.text + "\n\n" + grid.roles + "\n"
        let url = directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["SVCLAB_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != text {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false), a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let i = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            Issue.record("\(name) differs at line \(i + 1):\n  expected: \(i < e.count ? e[i] : "<end>")\n  actual:   \(i < a.count ? a[i] : "<end>")\n(SVCLAB_UPDATE_SNAPSHOTS=1 rewrites it)")
        }
    }

    /// A text-only golden file (the lessons' step-by-step frames: the role layer would double them).
    static func checkText(_ name: String, _ text: String) throws {
        let url = directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["SVCLAB_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("\(name): no golden file (SVCLAB_UPDATE_SNAPSHOTS=1 writes it)"); return
        }
        if expected != text {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false), a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let i = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            Issue.record("\(name) differs at line \(i + 1):\n  expected: \(i < e.count ? e[i] : "<end>")\n  actual:   \(i < a.count ? a[i] : "<end>")\n(SVCLAB_UPDATE_SNAPSHOTS=1 rewrites it)")
        }
    }

    static func frame(_ app: LabApp, _ w: Int, _ h: Int) -> Grid {
        LabRender.render(app.state, LabView.build(cluster: app.session.cluster, namespace: app.session.namespace, serviceName: app.state.selectedService, filter: app.state.filter), width: w, height: h)
    }

    func keys(_ app: LabApp, _ keys: [Key]) { for k in keys { app.handle(.key(k)) } }
    func type(_ app: LabApp, _ text: String) { for c in text { app.handle(.key(.char(c))) } }

    @Test func startScreen() throws {
        let app = Self.lab()
        try Self.check("start-80x24", Self.frame(app, 80, 24))
        try Self.check("start-120x40", Self.frame(app, 120, 40))
    }

    @Test func scalingAddsEndpointRows() throws {
        let app = Self.lab()
        keys(app, [.char("+"), .char("+")])
        app.session.cluster.advance(bySeconds: 2)
        app.handle(.tick)
        try Self.check("scaled-80x24", Self.frame(app, 80, 24))
        app.session.cluster.advance(bySeconds: 10)
        app.handle(.tick)
        #expect(Self.frame(app, 80, 24).text.contains("Endpoints of my-app (5 ready)"))
    }

    @Test func relabelMovesAPodOutWithItsReason() throws {
        let app = Self.lab()
        keys(app, [.tab, .char("L")])
        type(app, "app.kubernetes.io/name=other --overwrite")
        keys(app, [.enter])
        try Self.check("relabeled-80x24", Self.frame(app, 80, 24))
        let text = Self.frame(app, 80, 24).text
        #expect(text.contains("has"))
        #expect(text.contains("app.kubernetes.io/name=other"))
    }

    @Test func requestTraceAndHelp() throws {
        let app = Self.lab()
        keys(app, [.char("f")])
        try Self.check("trace-80x24", Self.frame(app, 80, 24))
        keys(app, [.char("?")])
        try Self.check("help-80x24", Self.frame(app, 80, 24))
    }

    /// The Rules view (issue 17): the selected Service's kube-proxy rules on the client's node,
    /// the rules of the endpoint chain the last request took highlighted.
    @Test func rulesViewMarksTheLastRequestsRule() throws {
        let app = Self.lab()
        keys(app, [.char("f"), .char("i")])
        let panel = try #require(app.state.panel)
        #expect(panel.title == "Rules: default/my-app on svclab-worker2")
        let sep = try #require(app.state.lastEndpointChain)
        #expect(panel.highlight == Set(panel.lines.indices.filter { panel.lines[$0].contains(sep) }))
        #expect(panel.highlight.count == 3)   // the SVC rule that jumps to it and its own two rules
        try Self.check("rules-80x24", Self.frame(app, 80, 24))
        try Self.check("rules-120x40", Self.frame(app, 120, 40))
    }

    /// In nftables mode the view shows the Service's verdict-map entries and chains as nft
    /// lists them; the endpoint chain the request took is highlighted as a block.
    @Test func rulesViewInNFTablesMode() throws {
        let app = LabApp(session: Session.demo(proxyMode: .nftables), seed: 1, unicode: true, wallClock: { 0 })
        keys(app, [.char("f"), .char("i")])
        let panel = try #require(app.state.panel)
        let chain = try #require(app.state.lastEndpointChain)
        #expect(chain.hasPrefix("endpoint-"))
        #expect(panel.lines.contains("map service-ips: 10.96.0.100 . tcp . 80 : goto service-52AWDLSY-default/my-app/tcp/http"))
        let start = try #require(panel.lines.firstIndex { $0.hasPrefix("chain \(chain) ") })
        // The vmap line that names it, and the chain's four lines (header, two rules, brace).
        #expect(panel.highlight.isSuperset(of: [start, start + 1, start + 2, start + 3]))
        #expect(panel.highlight.count == 5)
        try Self.check("rules-nftables-120x40", Self.frame(app, 120, 40))
    }

    @Test func commandPromptOpensAPanel() throws {
        let app = Self.lab()
        keys(app, [.char(":")])
        type(app, "kubectl get svc")
        try Self.check("prompt-80x24", Self.frame(app, 80, 24))
        keys(app, [.enter])
        try Self.check("panel-80x24", Self.frame(app, 80, 24))
        keys(app, [.escape])
        #expect(app.state.panel == nil)
    }

    /// The trace pane takes each line's kind from the trace itself (Session.lastTrace), never
    /// from its words; the traffic pane from the report's rows, not from re-cut table columns.
    @Test func thePaneReadsTracesAndTrafficAsValues() throws {
        let app = Self.lab()
        keys(app, [.char(":")])
        type(app, "trace http://nope")
        keys(app, [.enter])
        #expect(app.state.traceTitle == "Trace")
        #expect(app.state.trace.last?.kind == .failure)
        #expect(app.state.trace.last?.text.contains("could not resolve host nope") == true)
        keys(app, [.char(":")])
        type(app, "trace http://my-app")
        keys(app, [.enter])
        #expect(app.state.trace.last?.kind == .success)
        #expect(app.state.trace.dropLast().allSatisfy { $0.kind == .plain })
        #expect(!app.state.trace.contains { $0.text.contains("default/") }, "the lab's namespace goes without saying")
        keys(app, [.char("b")])
        let report = try #require(app.session.lastTraffic)
        #expect(app.state.traceTitle.hasPrefix("Traffic"))
        #expect(app.state.trace.count == report.rows.count + 2)
        #expect(report.rows.map(\.hits).reduce(0, +) == 100)
        for (line, row) in zip(app.state.trace.dropFirst(), report.rows) {
            #expect(line.text.hasPrefix(row.pod) && line.text.hasSuffix(" \(row.share)%"))
        }
        #expect(app.state.trace.last == TraceLine(report.summary, .success))
        // At 80 columns the header and every row fit the pane on one line each.
        let frame = Self.frame(app, 80, 24).text
        #expect(frame.contains("POD                     HITS  SHARE"), "\(frame)")
        for row in report.rows { #expect(frame.contains("\(row.pod)  \(row.hits)"), "\(frame)") }
    }

    @Test func tooSmall() throws {
        let app = Self.lab()
        try Self.check("small-60x20", Self.frame(app, 60, 20))
        let ascii = LabApp(session: Session.demo(), seed: 1, unicode: false, wallClock: { 0 })
        try Self.check("ascii-80x24", Self.frame(ascii, 80, 24))
    }
}

/// Every key of the table, through `update`: what it changes and which effect it asks for.
struct KeyTableTests {
    func fresh() -> (LabState, LabView) {
        let session = Session.demo()
        var s = LabState()
        let v0 = LabView.build(cluster: session.cluster, namespace: "default", serviceName: nil, filter: "")
        s.serviceIndex = v0.services.firstIndex { $0.name == "my-app" } ?? 0
        s.clamp(v0)
        return (s, LabView.build(cluster: session.cluster, namespace: "default", serviceName: s.selectedService, filter: ""))
    }

    @Test func everyBindingHasHelpAndADistinctKey() {
        var seen = Set<Key>()
        for b in KeyTable.bindings {
            #expect(!b.help.isEmpty)
            for k in b.keys { #expect(seen.insert(k).inserted, "\(k) bound twice") }
        }
        #expect(KeyTable.helpLines.count > KeyTable.bindings.count)
    }

    @Test func navigationAndPanes() {
        var (s, v) = fresh()
        #expect(s.selectedService == "my-app")
        _ = LabUpdate.update(&s, .key(.up), view: v)
        #expect(s.selectedService == "kubernetes")
        _ = LabUpdate.update(&s, .key(.char("j")), view: v)
        #expect(s.selectedService == "my-app")
        _ = LabUpdate.update(&s, .key(.tab), view: v)
        #expect(s.focus == .pods)
        _ = LabUpdate.update(&s, .key(.down), view: v)
        #expect(s.podIndex == 1)
        _ = LabUpdate.update(&s, .key(.backTab), view: v)
        #expect(s.focus == .services)
        (s, v) = fresh()
        _ = LabUpdate.update(&s, .key(.tab), view: v); _ = LabUpdate.update(&s, .key(.tab), view: v); _ = LabUpdate.update(&s, .key(.tab), view: v)
        #expect(s.focus == .services)
    }

    @Test func actionsAskForEffects() {
        var (s, v) = fresh()
        #expect(LabUpdate.update(&s, .key(.char("+")), view: v) == [.scaleBy(deployment: "my-app", delta: 1)])
        #expect(LabUpdate.update(&s, .key(.char("-")), view: v) == [.scaleBy(deployment: "my-app", delta: -1)])
        #expect(LabUpdate.update(&s, .key(.char("f")), view: v) == [.fire(service: "my-app")])
        #expect(LabUpdate.update(&s, .key(.char("b")), view: v) == [.burst(service: "my-app")])
        #expect(LabUpdate.update(&s, .key(.char(".")), view: v) == [.step(1000)])
        _ = LabUpdate.update(&s, .key(.char("=")), view: v)
        #expect(s.prompt?.kind == .scale)
        for c in "5" { _ = LabUpdate.update(&s, .key(.char(c)), view: v) }
        #expect(LabUpdate.update(&s, .key(.enter), view: v) == [.scale(deployment: "my-app", replicas: 5)])
        _ = LabUpdate.update(&s, .key(.char("=")), view: v)
        for c in "-1" { _ = LabUpdate.update(&s, .key(.char(c)), view: v) }
        #expect(LabUpdate.update(&s, .key(.enter), view: v) == [])
        #expect(s.flash == "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
        // Pod actions need the Pods pane.
        #expect(LabUpdate.update(&s, .key(.char("x")), view: v) == [])
        #expect(s.flash == "select a pod first (Tab to the Pods pane)")
        _ = LabUpdate.update(&s, .key(.tab), view: v)
        let pod = v.pods[0].name
        #expect(LabUpdate.update(&s, .key(.char("x")), view: v) == [.deletePod(pod)])
        #expect(LabUpdate.update(&s, .key(.char("r")), view: v) == [.toggleReadiness(pod: pod)])
        _ = LabUpdate.update(&s, .key(.char("L")), view: v)
        for c in "tier=web" { _ = LabUpdate.update(&s, .key(.char(c)), view: v) }
        #expect(LabUpdate.update(&s, .key(.enter), view: v) == [.label(pod: pod, spec: "tier=web")])
    }

    @Test func promptsFilterClockHelpQuit() {
        var (s, v) = fresh()
        _ = LabUpdate.update(&s, .key(.char("/")), view: v)
        for c in "my-pod" { _ = LabUpdate.update(&s, .key(.char(c)), view: v) }
        _ = LabUpdate.update(&s, .key(.backspace), view: v)
        _ = LabUpdate.update(&s, .key(.enter), view: v)
        #expect(s.filter == "my-po")
        _ = LabUpdate.update(&s, .key(.char(":")), view: v)
        for c in "kubectl get pods" { _ = LabUpdate.update(&s, .key(.char(c)), view: v) }
        #expect(LabUpdate.update(&s, .key(.enter), view: v) == [.run("kubectl get pods")])
        _ = LabUpdate.update(&s, .key(.char(":")), view: v)
        _ = LabUpdate.update(&s, .key(.up), view: v)
        #expect(s.prompt?.text == "kubectl get pods", "history recall")
        _ = LabUpdate.update(&s, .key(.escape), view: v)
        #expect(s.prompt == nil)
        _ = LabUpdate.update(&s, .key(.char(" ")), view: v)
        #expect(s.speed == .paused)
        _ = LabUpdate.update(&s, .key(.char(" ")), view: v)
        #expect(s.speed == .normal)
        _ = LabUpdate.update(&s, .key(.char(">")), view: v)
        #expect(s.speed == .fast)
        _ = LabUpdate.update(&s, .key(.char("<")), view: v)
        #expect(s.speed == .normal)
        _ = LabUpdate.update(&s, .key(.char("?")), view: v)
        #expect(s.panel?.title == "Help")
        _ = LabUpdate.update(&s, .key(.char("q")), view: v)
        #expect(s.panel == nil && !s.quit, "q closes a panel first")
        _ = LabUpdate.update(&s, .key(.char("z")), view: v)
        #expect(s.flash == "z: no such key — ? lists them")
        _ = LabUpdate.update(&s, .key(.char("q")), view: v)
        #expect(s.quit)
        var t = fresh().0
        _ = LabUpdate.update(&t, .key(.ctrl("c")), view: v)
        #expect(t.quit)
    }

    @Test func effectsChangeTheCluster() {
        let app = LabApp(session: Session.demo(), seed: 1, unicode: true, wallClock: { 0 })
        app.handle(.key(.char("+")))
        #expect(app.session.cluster.deployments.get("default", "my-app")?.desiredReplicas == 4)
        #expect(app.state.flash == "deployment.apps/my-app scaled")
        app.handle(.key(.tab))
        app.handle(.key(.char("r")))
        #expect(app.state.flash?.contains("readiness probe now fails") == true)
        app.handle(.key(.char(".")))
        let t = app.session.cluster.now
        app.handle(.key(.char(".")))
        #expect(app.session.cluster.now == t + 1000)
    }

    /// Selecting another Service is not a change in the cluster: nothing pulses.
    @Test func switchingServicesPulsesNothing() {
        let app = LabApp(session: Session.demo(), seed: 1, unicode: true, wallClock: { 0 })
        #expect(app.state.selectedService == "my-app")
        app.handle(.key(.up))
        #expect(app.state.selectedService == "kubernetes")
        app.handle(.key(.down))
        #expect(app.state.selectedService == "my-app")
        #expect(app.state.pulses.isEmpty, "\(app.state.pulses.keys.sorted())")
        // A real change still pulses.
        app.handle(.key(.char("+")))
        #expect(app.state.pulses.keys.contains { $0.hasPrefix("pod:") })
    }

    @Test func requestsByNameClusterIPOrNodePort() {
        let app = LabApp(session: Session.demo(), seed: 1, unicode: true, wallClock: { 0 })
        app.handle(.key(.char("f")))
        #expect(app.state.traceTitle == "Trace: my-pod → my-app:80")
        app.handle(.key(.char("v")))
        #expect(app.state.flash == "requests now go to the Service's ClusterIP")
        app.handle(.key(.char("f")))
        #expect(app.state.traceTitle == "Trace: my-pod → 10.96.0.100:80")
        app.handle(.key(.char("v")))
        app.handle(.key(.char("f")))
        #expect(app.state.flash == "my-app has no NodePort (type ClusterIP); v switches back")
        _ = app.session.runScript("kubectl patch svc my-app -p '{\"spec\":{\"type\":\"NodePort\"}}'")
        app.handle(.key(.char("f")))
        #expect(app.state.traceTitle.hasPrefix("Trace: host → 172.18.0.3:3"))
        #expect(app.state.trace.last?.text.hasPrefix("=    200 OK") == true)
        #expect(app.state.trace.last?.kind == .success)
    }

    @Test func recordToggleWritesAScenario() throws {
        let app = LabApp(session: Session.demo(), seed: 1, unicode: true, wallClock: { 0 })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-tui-rec-\(getpid()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        app.recordPath = path
        app.handle(.key(.char("R")))
        #expect(app.state.recording == path)
        app.handle(.key(.char("+")))
        app.handle(.key(.char("R")))
        #expect(app.state.recording == nil)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("- run: kubectl scale deployment my-app --replicas=4"))
        // A second R never writes over the first recording: the next free name, said in the footer.
        let second = String(path.dropLast(5)) + "-2.yaml"
        defer { try? FileManager.default.removeItem(atPath: second) }
        app.handle(.key(.char("R")))
        #expect(app.state.recording == second)
        #expect(app.state.flash?.hasPrefix("recording to \(second):") == true)
        app.handle(.key(.char("R")))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    /// Issue 15: the lab's pods pane and `kubectl get pods` read one rule (PodColumns), so they
    /// agree on every pod — pending (unschedulable and just scheduled), not ready (a probe that
    /// fails), terminating, and new — at every moment of a busy minute.
    @Test func thePodsPaneAndKubectlAgreeOnEveryPod() {
        let session = Session.demo()
        _ = session.runScript("""
        kubectl apply -f - <<EOF
        apiVersion: v1
        kind: Pod
        metadata: {name: nowhere}
        spec:
          nodeSelector: {disk: ssd}
          containers: [{name: c, image: busybox:1.36}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: slow}
        spec:
          replicas: 2
          selector: {matchLabels: {app: slow}}
          template:
            metadata: {labels: {app: slow}}
            spec:
              terminationGracePeriodSeconds: 20
              containers:
              - name: web
                image: ghcr.io/svclab/slow:1.0
                readinessProbe: {httpGet: {path: /healthz, port: 9999}, periodSeconds: 5}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: gated}
        spec:
          readinessGates: [{conditionType: example.com/feature}]
          containers: [{name: c, image: nginx:1.27}]
        EOF
        kubectl scale deployment my-app --replicas=5
        kubectl delete pod my-app-d9dfc86bc-b57ng --wait=false
        """)
        var statuses = Set<String>()
        var gatedReady = Set<String>()
        for step in 0..<40 {
            if step == 20 {
                // The readiness gate's condition comes true half-way (what an ingress controller writes).
                let patched = session.runScript("kubectl patch pod gated --subresource=status --type=merge -p '{\"status\":{\"conditions\":[{\"type\":\"example.com/feature\",\"status\":\"True\"}]}}'")
                #expect(patched.exitCode == 0, "\(patched.combined)")
            }
            let view = LabView.build(cluster: session.cluster, namespace: "default", serviceName: "my-app", filter: "")
            let table = session.runScript("kubectl get pods --no-headers").stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(table.count == view.pods.count)
            for row in table {
                guard let pane = view.pods.first(where: { $0.name == row[0] }) else { Issue.record("\(row[0]) is not in the pane"); continue }
                #expect(pane.ready == row[1] && pane.status == row[2], "\(row[0]): pane \(pane.ready) \(pane.status), kubectl \(row[1]) \(row[2])")
                statuses.insert(row[2])
                if row[0] == "gated" { gatedReady.insert(session.cluster.pods.get("default", "gated")?.status.isReady == true ? "ready" : "gated") }
            }
            session.cluster.advance(byMillis: 1500)
        }
        // The minute went through the states the test is about.
        #expect(statuses.isSuperset(of: ["Pending", "ContainerCreating", "Running", "Terminating"]), "\(statuses.sorted())")
        #expect(gatedReady == ["gated", "ready"], "the gated pod was held back by its gate, then ready")
    }

    /// The output view wraps prose and cuts table rows: a trace's reason ("random: endpoint 1
    /// of 3") is read without scrolling sideways, while a table keeps its columns.
    @Test func theOutputViewWrapsProseAndKeepsTablesAligned() {
        let lines = [
            "NAME                     READY   STATUS    RESTARTS   AGE    IP           NODE             NOMINATED NODE   READINESS GATES",
            "my-app-d9dfc86bc-b57ng   1/1     Running   0          5m5s   10.244.1.3   svclab-worker    <none>           <none>",
            "",
            "POD                      NODE            ENDPOINT          HITS   SHARE",
            "my-app-d9dfc86bc-b57ng   svclab-worker   10.244.1.3:8080   30     100%",
            "30 requests from default/client-b to http://sticky/ in 0.153s: 30 answered (HTTP 200: 30)",
            "12:17:12.857 default/client-a -> default/my-app-d9dfc86bc-b57ng:8080 (10.244.1.3) post-xlate TRANSLATED (random: endpoint 1 of 3, each with probability 1/3)",
        ]
        #expect(TextLayout.tableRows(lines) == [true, true, false, true, true, false, false])
        var state = LabState(unicode: true, seed: 1)
        state.panel = LabState.Panel(title: "$ out", lines: lines)
        let frame = LabRender.render(state, LabView.build(cluster: Session.demo().cluster, namespace: "default", serviceName: nil, filter: ""), width: 80, height: 24)
        let text = frame.text
        #expect(text.contains("│my-app-d9dfc86bc-b57ng   1/1     Running   0          5m5s   10.244.1.3   svc…│"), "\(text)")
        #expect(text.contains("│    (HTTP 200: 30)"), "\(text)")
        #expect(text.contains("random: endpoint 1 of 3"), "\(text)")
        #expect(frame.dropped == 0)
        // w: nothing wraps; the prose is cut with … like the tables.
        state.panel?.wrap = false
        let cut = LabRender.render(state, LabView.build(cluster: Session.demo().cluster, namespace: "default", serviceName: nil, filter: ""), width: 80, height: 24).text
        #expect(!cut.contains("random: endpoint 1 of 3"))
    }

    /// Issue 14 (12): the trace never drops a line silently — what does not fit is counted on
    /// screen, the verdict stays, and `o` shows every line.
    @Test func aTraceTooLongForItsPaneSaysWhatItHides() {
        let app = LabApp(session: Session.demo(), seed: 1, unicode: true, wallClock: { 0 })
        app.handle(.key(.char("f")))
        let fired = app.state.trace
        #expect(fired.count >= 5)
        app.handle(.key(.char("o")))
        #expect(app.state.panel?.lines == fired.map(\.text), "o shows the whole trace")
        app.handle(.key(.escape))
        // A trace longer than the pane: 30 hops and a verdict.
        var state = app.state
        state.trace = (1...30).map { TraceLine("POD  hop \($0) on svclab-worker", .routine(tier: 0)) } + [TraceLine("=>   200 OK from my-app-x in 4 ms", .success)]
        let frame = LabRender.render(state, app.view, width: 80, height: 24)
        let rows = frame.text.split(separator: "\n").map(String.init)
        let shown = rows.filter { $0.contains("POD  hop ") }.count
        #expect(rows.contains { $0.contains("=>   200 OK from my-app-x") }, "the verdict stays")
        #expect(rows.contains { $0.contains("… \(30 - shown) lines hidden: o shows all") }, "\(frame.text)")
        #expect(frame.dropped == 0)
    }

    /// Issue 14 (12): no column runs into the next — a 13-character ClusterIP once read
    /// `10.101.72.20480/TCP` at 80 columns.
    @Test func aLongClusterIPKeepsItsGap() {
        let session = Session.demo()
        _ = session.runScript("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata: {name: wide}\nspec: {clusterIP: 10.101.72.204, ports: [{port: 80}]}\nEOF\n")
        let app = LabApp(session: session, seed: 1, unicode: true, wallClock: { 0 })
        for _ in 0..<3 { app.handle(.key(.down)) }
        for width in [80, 120] {
            let screen = LabRender.render(app.state, app.view, width: width, height: 24).text
            let rows = screen.split(separator: "\n").map(String.init)
            let at = rows.firstIndex { $0.hasPrefix("│wide ") } ?? 0
            #expect(rows[at].contains("10.101.72.204 "), "\(width) columns: \(rows[at])")
            // At 80 columns the ports and selector of the selected Service take a second line.
            let ports = width == 80 ? rows[at + 1] : rows[at]
            #expect(ports.contains("80/TCP"), "\(width) columns: \(ports)")
            // The selector is whole, on the second line (the pane is not wide at 80 or 120).
            #expect(rows[at + 1].contains("selector <none>"), "\(width) columns: \(rows[at + 1])")
        }
    }

    @Test func aPasteIsTakenWholeBeforeTheNextFrame() {
        // ":" then 300 characters arrive at once, then Enter: one frame for the prompt, not 300.
        let typed = "kubectl get svc " + String(repeating: "x", count: 284)
        let keys: [TerminalInput?] = [.key(.char(":"))] + typed.map { .key(.char($0)) } + [.key(.enter), nil]
        let terminal = MemoryTerminal(width: 80, height: 24, inputs: keys)
        let app = LabApp(session: Session.demo(), seed: 1, unicode: true, wallClock: { 0 })
        app.run(on: terminal)
        #expect(terminal.frames.count < 10)
        #expect(app.state.flash?.contains("not found") == true || app.state.panel != nil)
    }

    @Test func wallClockDrivesTheSimulatedOneAtTheChosenSpeed() {
        var wall = 100.0
        let app = LabApp(session: Session.demo(), seed: 1, unicode: true, wallClock: { wall })
        let t0 = app.session.cluster.now
        wall += 2; app.advanceClock()
        #expect(app.session.cluster.now == t0 + 2000)
        app.handle(.key(.char(">")))
        wall += 1; app.advanceClock()
        #expect(app.session.cluster.now == t0 + 12_000)
        app.handle(.key(.char(" ")))
        wall += 5; app.advanceClock()
        #expect(app.session.cluster.now == t0 + 12_000, "paused")
    }
}

/// `svclab play`: the lesson box, steps on `n`, hints, the solution, and a challenge that is
/// noticed as solved while the clock runs.
struct PlayTests {
    /// Issue 14 (2): every step of every shipped lesson selects what it is about — its
    /// `focus:` or the Service its command, expectation or challenge names — and that Service's
    /// row is on the 80×24 screen.
    @Test func everyStepFocusesWhatItIsAbout() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized.path
        var focused = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".yaml") }).sorted() {
            let runner = try ScenarioRunner(try ScenarioParser.load(path: folder + "/" + file))
            let app = LabApp(session: runner.session, seed: 1, unicode: true, wallClock: { 0 }, player: ScenarioPlayer(runner))
            // Every step's 80×24 frame, in one golden file per lesson (Snapshots/lessons/).
            var frames: [String] = []
            defer { #expect(throws: Never.self) { try SnapshotTests.checkText("lessons/" + file.replacingOccurrences(of: ".yaml", with: ""), frames.joined(separator: "\n")) } }
            // The intro: every line of `about:` is on the screen (a YAML block's line breaks once
            // hid a line), wrapped, not cut.
            let intro = LabRender.render(app.state, app.view, width: 80, height: 24)
            frames.append("── intro " + String(repeating: "─", count: 60) + "\n" + intro.text + "\n")
            #expect(intro.dropped == 0, "\(file) intro cut \(intro.dropped) characters\n\(intro.text)")
            // 24 rows, each a box row: no cell holds a control character (ncurses would act on it).
            #expect(intro.text.split(separator: "\n", omittingEmptySubsequences: false).count == 24 && !intro.text.unicodeScalars.contains { $0.value < 32 && $0 != "\n" },
                    "\(file) intro holds a control character\n\(intro.text)")
            let introWords = intro.text.split(whereSeparator: { " │\n".contains($0) }).joined(separator: " ")
            for line in runner.scenario.about.split(separator: "\n") {
                let words = line.split(separator: " ").joined(separator: " ")
                #expect(introWords.contains(words), "\(file) intro lacks \"\(line)\"\n\(intro.text)")
            }
            for step in runner.scenario.steps.indices {
                if case .challenge(let c) = runner.scenario.steps[step] { for line in c.solution { _ = runner.session.runScript(line) } }
                app.handle(.key(.char("n")))
                if app.state.prompt != nil { app.handle(.key(.escape)) }
                if case .challenge = runner.scenario.steps[step] { app.handle(.key(.char("N"))) }
                // Nothing is cut silently: text is wrapped or elided with "…" on purpose — with
                // the output view open (when the step opened it) and with the panes beneath.
                let frame = LabRender.render(app.state, app.view, width: 80, height: 24)
                frames.append("── step \(step + 1) of \(runner.scenario.steps.count) " + String(repeating: "─", count: 60) + "\n" + frame.text + "\n")
                #expect(frame.dropped == 0, "\(file) step \(step + 1) cut \(frame.dropped) characters\n\(frame.text)")
                if app.state.panel != nil {
                    var panes = app.state
                    panes.panel = nil
                    let beneath = LabRender.render(panes, app.view, width: 80, height: 24)
                    #expect(beneath.dropped == 0, "\(file) step \(step + 1) cut \(beneath.dropped) characters\n\(beneath.text)")
                }
                guard let focus = runner.scenario.focus[step], focus.kind == .service,
                      runner.session.cluster.services.get(runner.session.namespace, focus.name) != nil else { continue }
                focused += 1
                // The output view may be open over the panes; what it covers is checked below it.
                if app.state.panel != nil { app.handle(.key(.escape)) }
                #expect(app.state.selectedService == focus.name, "\(file) step \(step + 1)")
                let screen = LabRender.render(app.state, app.view, width: 80, height: 24).text
                #expect(screen.split(separator: "\n").contains { $0.hasPrefix("│" + String(focus.name.prefix(10))) }, "\(file) step \(step + 1): \(focus.name) not on screen\n\(screen)")
            }
        }
        #expect(focused > 30)
    }

    /// The course menu of the shipped lessons at 80×24: every title readable, nothing cut silently.
    @Test func theCourseMenuFitsAt80Columns() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized.path
        let course = try #require(Course(folder: folder))
        let menu = CourseMenu(course: course, progress: CourseProgress(file: "/nonexistent/progress.json"))
        let frame = menu.render(width: 80, height: 24, unicode: true)
        #expect(frame.dropped == 0, "\(frame.text)")
        #expect(frame.text.contains("15-pod-env-dns-names  pod-env.yaml: a pod finds its Services by DNS name "), "\(frame.text)")
    }

    @Test func focusIsParsedAndInferred() throws {
        let s = try ScenarioParser.parse("""
        title: t
        steps:
          - say: hi
            focus: svc/web
          - focus: {pod: my-pod, namespace: default}
            run: kubectl get pods
          - run: kubectl describe svc my-app
          - run: trace http://redis.cache:6379
          - expect: {endpoints: web, ready: 1}
          - run: |
              kubectl apply -f - <<EOF
              apiVersion: v1
              kind: Service
              metadata:
                name: made
              EOF
        """, path: "t.yaml")
        #expect(s.focus == [.init(kind: .service, name: "web"), .init(kind: .pod, name: "my-pod", namespace: "default"),
                            .init(kind: .service, name: "my-app"), .init(kind: .service, name: "redis", namespace: "cache"),
                            .init(kind: .service, name: "web"), .init(kind: .service, name: "made")])
        #expect(throws: ScenarioError.self) { _ = try ScenarioParser.parse("title: t\nsteps:\n  - say: hi\n    focus: deploy/x\n", path: "t.yaml") }
    }

    /// Issue 14 (7): n on an unsolved challenge nudges, then says why from the diagnosis;
    /// `diagnostics: off` keeps the panes from giving the answer away; solved says why it works.
    @Test func feedbackExplainsAndDiagnosticsCanBeHidden() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized.path
        let runner = try ScenarioRunner(try ScenarioParser.load(path: folder + "/08-debugging-no-endpoints.yaml"))
        let app = LabApp(session: runner.session, seed: 1, unicode: true, wallClock: { 0 }, player: ScenarioPlayer(runner))
        func screen() -> String { LabRender.render(app.state, app.view, width: 80, height: 24).text }
        // Up to the challenge: the finding is on screen before it.
        while app.state.lesson?.lines.first?.hasPrefix("Challenge:") != true { app.handle(.key(.char("n"))) }
        #expect(app.state.selectedService == "web")
        #expect(app.state.lesson?.hideDiagnostics == true)
        #expect(!screen().contains("did you mean"), "\(screen())")
        #expect(!screen().contains("near miss"))
        #expect(!screen().contains("lacks app.kubernetes.io/name"))
        app.handle(.key(.char("n")))
        #expect(app.state.lesson?.lines.contains("Not yet. Look at the Endpoints pane of web: which pods are in, which are left out?") == true)
        app.handle(.key(.char("n")))
        let lines = app.state.lesson?.lines ?? []
        #expect(lines.contains { $0.hasPrefix("Not yet: request http://web from my-pod:") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("Why: Service default/web selects 0 of 4 candidate pods") }, "\(lines)")
        _ = runner.session.runScript("kubectl patch svc web -p '{\"spec\":{\"selector\":{\"app.kubernetes.io/name\":\"my-app\"}}}'\nsleep 5")
        app.handle(.key(.char("n")))
        let solved = app.state.lesson?.lines ?? []
        #expect(solved.contains { $0.hasPrefix("✓ Solved: request http://web from my-pod: HTTP 200") }, "\(solved)")
        #expect(solved.contains { $0.hasPrefix("The selector now names the label the pods carry") })
        #expect(app.state.lesson?.hideDiagnostics == false)
        app.handle(.key(.char("n")))
        #expect(app.state.lesson?.lines.first?.hasPrefix("Challenge:") == false)
    }

    /// Issue 14 (3, 4): a step's manifest and output open in a full-screen view, keys coloured,
    /// highlight: lines marked; o reopens it; it scrolls both ways.
    @Test func theManifestAndOutputOpenFullScreen() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized.path
        let runner = try ScenarioRunner(try ScenarioParser.load(path: folder + "/03-multiport-named-targetport.yaml"))
        let app = LabApp(session: runner.session, seed: 1, unicode: true, wallClock: { 0 }, player: ScenarioPlayer(runner))
        for _ in 0..<3 { app.handle(.key(.char("n"))) }
        let panel = try #require(app.state.panel)
        #expect(panel.title == "$ kubectl apply -f - <<EOF")
        #expect(panel.lines[1] == "apiVersion: v1")
        #expect(panel.lines.contains("service/my-app-multi created"))
        #expect(panel.highlight.map { panel.lines[$0].trimmingCharacters(in: .whitespaces) }.sorted() == ["targetPort: 9090", "targetPort: http"])
        let grid = LabRender.render(app.state, app.view, width: 80, height: 24)
        #expect(grid.text.contains("│metadata:"))
        #expect(grid[1, 3].text == "a" && grid[1, 3].role == .accent, "manifest keys are coloured")
        #expect(grid.text.split(separator: "\n").contains { $0.contains("targetPort: http") })
        app.handle(.key(.escape))
        #expect(app.state.panel == nil)
        app.handle(.key(.char("o")))
        #expect(app.state.panel == panel)
        app.handle(.key(.right))
        #expect(app.state.panel?.column == 8)
        // `:` closes the view and opens the prompt: a command typed next is not eaten as keys.
        app.handle(.key(.char(":")))
        #expect(app.state.panel == nil)
        #expect(app.state.prompt?.kind == .command)
    }

    /// Issue 14 (5): narration is never clipped — a say longer than the lesson box opens whole.
    @Test func longNarrationIsShownWhole() throws {
        let lines = (1...12).map { "Line \($0) of a long explanation." }
        let scenario = try ScenarioParser.parse("title: t\nsteps:\n  - say: |\n" + lines.map { "      " + $0 }.joined(separator: "\n") + "\n  - say: short\n", path: "t.yaml")
        let runner = try ScenarioRunner(scenario)
        let app = LabApp(session: runner.session, seed: 1, unicode: true, wallClock: { 0 }, player: ScenarioPlayer(runner))
        app.handle(.key(.char("n")))
        let panel = try #require(app.state.panel)
        #expect(Array(panel.lines.prefix(12)) == lines)
        let screen = LabRender.render(app.state, app.view, width: 80, height: 24).text
        #expect(screen.contains("Line 1 of a long explanation."))
        #expect(screen.contains("Line 12 of a long explanation."))
        app.handle(.key(.char("n")))
        #expect(app.state.panel == nil)
        #expect(app.state.lesson?.lines == ["short"])
    }

    /// Issue 14 (10): predict, then observe — asked before the step, judged after it, counted.
    @Test func predictThenObserve() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized.path
        let runner = try ScenarioRunner(try ScenarioParser.load(path: folder + "/02-endpoints-follow-scaling.yaml"))
        let player = ScenarioPlayer(runner)
        let app = LabApp(session: runner.session, seed: 1, unicode: true, wallClock: { 0 }, player: player)
        while app.state.lesson?.lines.first?.hasPrefix("Predict:") != true { app.handle(.key(.char("n"))) }
        #expect(app.state.prompt?.kind == .predict)
        #expect(app.state.lesson?.lines.contains("  2. 5") == true)
        app.handle(.key(.char("2")))
        app.handle(.key(.enter))
        #expect(app.state.lesson?.lines.last == "You said: 5. Press n to see what happens.")
        app.handle(.key(.char("n")))
        #expect(app.state.lesson?.lines.last == "✗ You predicted 5 — it was 3.")
        #expect(player.predictions == (right: 0, asked: 1))
        if app.state.panel != nil { app.handle(.key(.escape)) }
        for _ in 0..<20 { app.handle(.key(.char("n"))) }
        #expect(app.state.lesson?.lines.first == "Predictions: 0 of 1 right.")
        // Replay prints the question and its answer.
        let replay = try ScenarioRunner(try ScenarioParser.load(path: folder + "/02-endpoints-follow-scaling.yaml")).replay()
        #expect(replay.transcript.contains("# Predict: Right after the scale"))
        #expect(replay.transcript.contains("#   (answer: 3)"))
    }

    /// Issue 14 (1): play and replay run steps through one interpreter and give one verdict.
    /// A `run:` step whose output creates something passed in replay and failed in play,
    /// because play ran the command a second time to judge it.
    @Test func playAndReplayGiveTheSameVerdicts() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized.path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 12)
        for file in files {
            let path = folder + "/" + file
            let replay = try ScenarioRunner(try ScenarioParser.load(path: path)).replay()
            let replayed = replay.pieces.compactMap { piece -> String? in
                guard case let .verdict(ok, text) = piece, !text.hasPrefix("solution: ") else { return nil }
                return (ok ? "✓ " : "✗ ") + text
            }
            let runner = try ScenarioRunner(try ScenarioParser.load(path: path))
            let player = ScenarioPlayer(runner)
            var played: [String] = []
            for _ in 0..<(runner.scenario.steps.count * 3 + 5) {
                if player.waiting, case let .challenge(c)? = player.current {
                    for line in c.solution { _ = runner.session.runScript(line) }
                    _ = runner.settle(c.done)
                }
                let (lesson, _) = player.next()
                played += lesson.lines.filter { $0.hasPrefix("✓ ") || $0.hasPrefix("✗ ") }.filter { !$0.hasPrefix("✓ Already solved") && !$0.hasPrefix("✓ Solved") && !$0.hasPrefix("✗ You predicted") && !$0.hasPrefix("✓ You predicted") }
                if lesson.progress == "done" { break }
            }
            #expect(played == replayed, "\(file)")
        }
    }

    @Test func walksAScenarioWithAChallenge() throws {
        let scenario = try ScenarioParser.parse("""
        title: Fix the selector
        about: A Service that selects nothing.
        setup:
          - manifest: |
              apiVersion: v1
              kind: Service
              metadata: {name: web}
              spec:
                selector: {app.kubernetes.io/name: myapp}
                ports: [{port: 80, targetPort: 8080}]
        steps:
          - say: web has no endpoints.
          - run: kubectl get endpoints web
          - challenge:
              goal: Give web endpoints.
              hints: [Look at the pods' labels.]
              done: {endpoints: web, readyAtLeast: 1}
              solution: ["kubectl patch svc web -p '{\\"spec\\":{\\"selector\\":{\\"app.kubernetes.io/name\\":\\"my-app\\"}}}'"]
        """, path: "play.yaml")
        let app = LabApp(session: try ScenarioRunner(scenario).session, seed: 1, unicode: true, wallClock: { 0 },
                         player: ScenarioPlayer(try ScenarioRunner(scenario)))
        #expect(app.state.lesson?.progress == "intro")
        _ = app
        // The player must drive the same session the screen shows.
        let runner = try ScenarioRunner(scenario)
        let lab = LabApp(session: runner.session, seed: 1, unicode: true, wallClock: { 0 }, player: ScenarioPlayer(runner))
        lab.handle(.key(.char("n")))
        #expect(lab.state.lesson?.lines == ["web has no endpoints."])
        #expect(lab.state.lesson?.progress == "step 1 of 3")
        lab.handle(.key(.char("n")))
        #expect(lab.state.trace.contains { $0.text.hasPrefix("web") })
        // Looking back shows step 1 again; n comes forward without running anything twice.
        lab.handle(.key(.char("p")))
        #expect(lab.state.lesson?.lines == ["web has no endpoints."])
        #expect(lab.state.lesson?.progress == "step 1 of 3 (looking back; n returns)")
        lab.handle(.key(.char("n")))
        #expect(lab.state.lesson?.progress == "step 2 of 3")
        lab.handle(.key(.char("n")))
        #expect(lab.state.lesson?.lines.first == "Challenge: Give web endpoints.")
        lab.handle(.key(.char("h")))
        #expect(lab.state.lesson?.lines.contains("hint: Look at the pods' labels.") == true)
        lab.handle(.key(.char("n")))
        #expect(lab.state.lesson?.lines.contains("Not yet. Look at the Endpoints pane of web: which pods are in, which are left out?") == true)
        lab.handle(.key(.char("n")))
        #expect(lab.state.lesson?.lines.contains { $0.hasPrefix("Not yet: endpoints of web: expected at least 1 ready") } == true)
        lab.handle(.key(.char("S")))
        #expect(lab.state.lesson?.lines.contains { $0.contains("kubectl patch svc web") } == true)
        let frame = LabRender.render(lab.state, LabView.build(cluster: runner.session.cluster, namespace: "default", serviceName: lab.state.selectedService, filter: ""), width: 80, height: 24)
        try SnapshotTests.check("play-80x24", frame)
        // Solving it at the prompt: the next tick notices.
        lab.handle(.key(.char(":")))
        for c in "kubectl patch svc web -p '{\"spec\":{\"selector\":{\"app.kubernetes.io/name\":\"my-app\"}}}'" { lab.handle(.key(.char(c))) }
        lab.handle(.key(.enter))
        #expect(lab.state.flash == "service/web patched")
        lab.tickPlayer()
        #expect(lab.state.lesson?.lines.contains { $0.hasPrefix("✓ Solved: endpoints of web: 3 ready") } == true)
        #expect(lab.state.lesson?.lines.last == "Press n to go on.")
        lab.handle(.key(.char("n")))
        #expect(lab.state.lesson?.progress == "done")
    }
}

/// A namespace bigger than the panes' row limit: the lab lists the first rows, says so, and
/// still shows the selected Service's real endpoints.
struct BigNamespaceTests {
    @Test func panesListTheFirstRowsAndSaySo() {
        // 15 Deployments × 140 pods = 2,100 pods, each behind one Service.
        let cluster = GeneratedCluster.make(nodes: 30, deployments: 15, replicas: 140, servicesPer: 1)
        let view = LabView.build(cluster: cluster, namespace: "default", serviceName: "svc-9-0", filter: "")
        #expect(view.pods.count == LabView.rowLimit)
        #expect(view.podCount == 2_100)
        #expect(view.pods.map(\.name) == cluster.pods.list(namespace: "default").prefix(LabView.rowLimit).map(\.metadata.name))
        // app-9's pods sort after the first 2,000 names; its endpoints come from its slices anyway.
        #expect(view.endpoints.count == 140)
        #expect(view.endpoints.allSatisfy { $0.state == .ready })
        let screen = LabRender.render(LabState(), view, width: 120, height: 30).text
        #expect(screen.contains("Pods (first 2000 of 2100)"))
        // A filter searches every pod, not only the listed ones.
        let filtered = LabView.build(cluster: cluster, namespace: "default", serviceName: "svc-9-0", filter: "app-9-")
        #expect(filtered.podCount == 140 && filtered.pods.count == 140)
    }
}
