import ClusterModel
import Foundation
import Kubectl
import TextLayout

/// `svclab scenarios --check FILE…`: validates lesson files without running them — the strict
/// parse (unknown keys, wrong types, with positions), every command line's syntax, and every
/// file a command names, which must exist inside the lesson's folder (a lesson is a file people
/// download; it may not read the host's files).
public enum ScenarioCheck {
    /// The problems found, each `file:line:column: message`; empty when the lesson is sound.
    public static func problems(path: String) -> [String] {
        let scenario: Scenario
        do { scenario = try ScenarioParser.load(path: path) } catch { return [error.message] }
        let folder = (scenario.path as NSString).deletingLastPathComponent
        let root = folder.isEmpty ? "." : folder
        guard let confinement = FileConfinement(folder: root, what: "the scenario's folder") else {
            return ["\(path): cannot resolve the folder \(root)"]
        }
        var problems: [String] = []
        for site in scenario.commands {
            var lines = site.line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while !lines.isEmpty {
                let line = lines.removeFirst()
                let parsed: ShellLine
                do { parsed = try ShellLine.parse(line) } catch {
                    problems.append("\(site.position): \(goQuote(line)): \(error.message)")
                    continue
                }
                if let terminator = parsed.heredoc {
                    // The body is input, not commands.
                    while !lines.isEmpty { if lines.removeFirst().trimmingCharacters(in: .whitespaces) == terminator { break } }
                }
                for stage in parsed.stages {
                    for name in FileArguments.named(in: stage) {
                        let full = name.hasPrefix("/") ? name : (root as NSString).appendingPathComponent(name)
                        if !confinement.contains(full) {
                            problems.append("\(site.position): \(goQuote(line)) reads \(goQuote(name)), which is outside the scenario's folder; a lesson may read only the files inside it")
                        } else if !FileManager.default.fileExists(atPath: full) {
                            problems.append("\(site.position): \(goQuote(line)) reads \(goQuote(name)), which does not exist (paths are relative to the scenario)")
                        }
                    }
                }
            }
        }
        return problems + narrationProblems(scenario)
    }

    /// Lesson text that would not fit on one 80×24 screen even in the lab's full-screen view
    /// (the learner would have to scroll through a single step): split it into two steps.
    static func narrationProblems(_ scenario: Scenario) -> [String] {
        var problems: [String] = []
        func measure(_ lines: [String], at position: String?, _ what: String) {
            let needed = TextLayout.lessonLines(lines).count
            if needed > TextLayout.rowsOnOneScreen {
                problems.append("\(position ?? scenario.path): \(what) takes \(needed) lines at \(TextLayout.minimumScreen.width) columns; one screen shows \(TextLayout.rowsOnOneScreen): split it into two steps")
            }
        }
        measure([scenario.about, "Press n for the first step; ? lists every key."], at: scenario.aboutPosition, "the about: text")
        for (i, step) in scenario.steps.enumerated() {
            let at = scenario.stepPositions.indices.contains(i) ? scenario.stepPositions[i] : nil
            switch step {
            case let .say(text):
                measure(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), at: at, "this say: text")
            case let .challenge(c):
                // The most a challenge shows at once: its goal, every hint, and the solution.
                let shown = ["Challenge: \(c.goal)"] + c.hints.map { "hint: \($0)" } + ["S: the solution · n: check", "solution (type it at the : prompt):"] + c.solution.map { "  " + $0 }
                measure(shown, at: at, "this challenge (goal, hints and solution)")
                if let explain = c.explain { measure(["Challenge: \(c.goal)", "✓ Solved: …", explain, "Press n to go on."], at: at, "this challenge's explain: text") }
            case let .predict(p):
                measure(["Predict: \(p.question)"] + p.choices.enumerated().map { "  \($0.offset + 1). \($0.element)" } + ["Type a number and Enter."], at: at, "this prediction")
            default: break
            }
        }
        return problems
    }
}
