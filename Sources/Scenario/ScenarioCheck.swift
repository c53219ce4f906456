import ClusterModel
import Foundation
import Kubectl

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
        return problems
    }
}
