import ClusterEngine
import Diagnosis
import Kubectl
import Scenario

/// `svclab play`: walks a scenario's steps on the lab's own session, one `n` at a time;
/// a challenge waits until its `done` predicate holds (checked as the clock runs).
public final class ScenarioPlayer {
    let runner: ScenarioRunner
    private(set) var index = -1
    private var hintsShown = 0
    /// The open prediction and what the learner said (judged after the next step runs).
    private(set) var pendingPrediction: (Scenario.Prediction, given: String?)?
    /// Predictions judged in this lesson: right, and asked.
    public private(set) var predictions = (right: 0, asked: 0)
    /// Whether the lab should ask for a prediction now.
    var awaitingPrediction: Bool { if let p = pendingPrediction { return p.given == nil } else { return false } }

    /// How often `n` found the open challenge unsolved: the first time a nudge, then the reason.
    private var checksFailed = 0
    private(set) var waiting = false
    /// What each step showed, so `p` can page back (steps are not undone: the cluster moved on).
    private var shown: [LabState.Lesson] = []
    /// While paging back: which of `shown` is on screen (nil: the current step).
    private var reviewing: Int?

    /// Played as part of a course: the last step says q returns to the menu.
    public var inCourse = false
    /// Past the last step: the lesson counts as done.
    public var finished: Bool { index >= steps.count }

    public init(_ runner: ScenarioRunner) { self.runner = runner }

    /// `p`: the previous step's narration, read-only.
    func previous() -> LabState.Lesson? {
        guard !shown.isEmpty else { return nil }
        let i = max(0, (reviewing ?? shown.count - 1) - 1)
        reviewing = i
        var lesson = shown[i]
        lesson.progress += " (looking back; n returns)"
        return lesson
    }

    var steps: [Scenario.Step] { runner.scenario.steps }

    func lesson(_ lines: [String]) -> LabState.Lesson {
        let position = index < 0 ? "intro" : index >= steps.count ? "done" : "step \(index + 1) of \(steps.count)"
        var l = LabState.Lesson(title: runner.scenario.title, progress: position, lines: lines)
        // While a challenge with `diagnostics: off` is open, the panes keep their findings.
        if waiting, case let .challenge(c)? = current { l.hideDiagnostics = !c.diagnostics }
        return l
    }

    func intro() -> LabState.Lesson {
        lesson((runner.scenario.about.isEmpty ? [] : [runner.scenario.about]) + ["Press n for the first step; ? lists every key."])
    }

    /// The next step (a challenge holds until solved, unless `skip`). Returns the lesson and,
    /// for `run` steps, the command's output.
    func next(skip: Bool = false) -> (LabState.Lesson, output: [String]?) {
        if let i = reviewing {
            // Page forward through what was shown before running anything new.
            if i + 1 < shown.count { reviewing = i + 1; return (shown[i + 1], nil) }
            reviewing = nil
        }
        // A prediction made (or skipped) before this step is judged once the step has run.
        let prediction = pendingPrediction
        if pendingPrediction != nil { pendingPrediction = nil }
        var (lesson, output) = step(skip: skip)
        if let (p, given) = prediction {
            predictions.asked += 1
            if let given, Self.matches(given, p) {
                predictions.right += 1
                lesson.lines.append("✓ You predicted \(Self.shown(given, p)) — right.")
            } else {
                lesson.lines.append("✗ You predicted \(given.map { Self.shown($0, p) } ?? "nothing") — it was \(p.answer).")
            }
        }
        if runner.scenario.focus.indices.contains(index) { lesson.focus = runner.scenario.focus[index] }
        shown.append(lesson)
        return (lesson, output)
    }

    private func step(skip: Bool) -> (LabState.Lesson, output: [String]?) {
        if waiting, case let .challenge(c)? = current, !skip {
            let v = runner.check(c.done)
            if !v.ok {
                checksFailed += 1
                return (lesson(lines(for: c) + feedback(c, v)), nil)
            }
            waiting = false
            if let solved = solvedLesson(c, v) { return (solved, nil) }
        }
        waiting = false
        hintsShown = 0
        checksFailed = 0
        index += 1
        guard let step = current else {
            index = steps.count
            let score = predictions.asked > 0 ? ["Predictions: \(predictions.right) of \(predictions.asked) right."] : []
            return (lesson(score + [inCourse ? "Lesson done. Keep exploring, or press q for the course menu."
                                             : "That was the last step. Keep exploring, or press q to quit."]), nil)
        }
        switch step {
        case let .say(text):
            return (lesson(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)), nil)
        case let .run(line, check):
            // Judged on the output it printed, by the code replay uses: never run twice.
            let (out, verdict) = runner.runStep(line, check: check)
            var text = ["$ " + (line.split(separator: "\n").first.map(String.init) ?? line)]
            if let v = verdict { text.append((v.ok ? "✓ " : "✗ ") + v.text) }
            let output = out.combined.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return (lesson(text + ["(output in the strip on the right; n continues)"]), output)
        case let .sleep(d):
            _ = runner.session.runScript("sleep \(d)")
            return (lesson(["\(d) of simulated time passed."]), nil)
        case let .expect(p):
            let v = runner.check(p)
            return (lesson([(v.ok ? "✓ " : "✗ ") + v.text]), nil)
        case let .challenge(c):
            waiting = true
            let v = runner.check(c.done)
            if v.ok { waiting = false; return (lesson(lines(for: c) + ["✓ Already solved. Press n."]), nil) }
            return (lesson(lines(for: c)), nil)
        case let .pause(text):
            return (lesson([text ?? "Look around, try things; press n to go on."]), nil)
        case let .predict(p):
            pendingPrediction = (p, nil)
            var lines = ["Predict: \(p.question)"]
            for (i, c) in p.choices.enumerated() { lines.append("  \(i + 1). \(c)") }
            lines.append(p.choices.isEmpty ? "Type a number and Enter; then n shows what happens." : "Type 1–\(p.choices.count) and Enter; then n shows what happens.")
            return (lesson(lines), nil)
        }
    }

    var current: Scenario.Step? { steps.indices.contains(index) ? steps[index] : nil }

    /// The learner's prediction: a choice's number, the choice's text, or a number.
    func predict(_ text: String) -> LabState.Lesson? {
        guard let (p, _) = pendingPrediction else { return nil }
        pendingPrediction = (p, text)
        return lesson(["Predict: \(p.question)", "You said: \(Self.shown(text, p)). Press n to see what happens."])
    }

    static func shown(_ given: String, _ p: Scenario.Prediction) -> String {
        if let i = Int(given), p.choices.indices.contains(i - 1) { return p.choices[i - 1] }
        return given
    }

    static func matches(_ given: String, _ p: Scenario.Prediction) -> Bool {
        let text = shown(given.trimmingCharacters(in: .whitespaces), p)
        if p.choices.isEmpty, let a = Double(p.answer), let g = Double(text) { return a == g }
        return text == p.answer
    }

    /// The current `run:` step's output as the output view shows it: the command, the manifest
    /// it applies (heredoc body; `highlight:` keys marked), then what it printed.
    func outputPanel(_ output: [String]) -> LabState.Panel? {
        guard case let .run(line, _)? = current else { return nil }
        let parts = line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var body = Array(parts.dropFirst())
        // The heredoc's terminator and a trailing empty line are not part of the manifest.
        if let first = parts.first, let parsed = try? ShellLine.parse(first), let terminator = parsed.heredoc,
           let end = body.lastIndex(where: { $0.trimmingCharacters(in: .whitespaces) == terminator }) {
            body = Array(body[..<end])
        }
        while body.last == "" { body.removeLast() }
        let keys = runner.scenario.highlight.indices.contains(index) ? runner.scenario.highlight[index] : []
        var lines = ["$ " + (parts.first ?? line)]
        let manifest = lines.count..<(lines.count + body.count)
        lines += body
        if !body.isEmpty { lines.append("") }
        lines += output.last == "" ? Array(output.dropLast()) : output
        let marked = Set(manifest.filter { i in keys.contains { lines[i].trimmingCharacters(in: .whitespaces).hasPrefix($0 + ":") || lines[i].contains("- " + $0 + ":") } })
        return LabState.Panel(title: "$ " + (parts.first ?? line), lines: lines, manifest: body.isEmpty ? nil : manifest, highlight: marked)
    }

    /// Why the challenge is not solved yet, graded: the first `n` nudges toward where to look;
    /// from the second on, what the check saw and the lab's diagnosis of the Service.
    func feedback(_ c: Scenario.Challenge, _ v: ScenarioRunner.Verdict) -> [String] {
        let focus = runner.scenario.focus.indices.contains(index) ? runner.scenario.focus[index] : nil
        if checksFailed == 1 {
            let service = focus.map { " of \($0.name)" } ?? ""
            return ["Not yet. Look at the Endpoints pane\(service): which pods are in, which are left out?",
                    "(f sends a request and traces it; n again tells what is missing.)"]
        }
        var out = ["Not yet: \(v.text)."]
        if let focus, focus.kind == .service,
           let svc = runner.session.cluster.services.get(focus.namespace ?? runner.session.namespace, focus.name) {
            out.append("Why: " + Diagnose.service(svc, cluster: runner.session.cluster).verdict)
        }
        return out
    }

    /// "✓ Solved": what now holds, and the lesson's explanation of why the fix works.
    func solvedLesson(_ c: Scenario.Challenge, _ v: ScenarioRunner.Verdict) -> LabState.Lesson? {
        hintsShown = 0
        checksFailed = 0
        var l = ["Challenge: \(c.goal)", "✓ Solved: \(v.text)."]
        if let explain = c.explain { l.append(explain) }
        l.append("Press n to go on.")
        return lesson(l)
    }

    private func lines(for c: Scenario.Challenge) -> [String] {
        var out = ["Challenge: \(c.goal)"]
        for h in c.hints.prefix(hintsShown) { out.append("hint: \(h)") }
        out.append(hintsShown < c.hints.count ? "h: a hint · S: the solution · n: check" : "S: the solution · n: check")
        return out
    }

    func hint() -> LabState.Lesson? {
        guard waiting, case let .challenge(c)? = current else { return nil }
        hintsShown = min(c.hints.count, hintsShown + 1)
        return lesson(lines(for: c))
    }

    func solution() -> LabState.Lesson? {
        guard waiting, case let .challenge(c)? = current else { return nil }
        return lesson(lines(for: c) + ["solution (type it at the : prompt):"] + c.solution.map { "  " + $0 })
    }

    /// Called as time passes: a waiting challenge whose `done` now holds is solved.
    func tick() -> LabState.Lesson? {
        guard waiting, case let .challenge(c)? = current else { return nil }
        let v = runner.check(c.done)
        guard v.ok else { return nil }
        waiting = false
        return solvedLesson(c, v)
    }
}
