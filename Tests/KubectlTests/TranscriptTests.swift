import Foundation
import Testing
import ClusterEngine
@testable import Kubectl

/// Transcript tests (like cram or Go's testscript): each file under `Transcripts/` holds
/// `$ command` lines followed by the exact output (stdout and stderr as a terminal shows
/// them), `> ` lines for a heredoc's body, `[exit N]` after a failing command, and ` (no-eol)`
/// after output that does not end in a newline. A first
/// line `# svclab shell OPTIONS` picks the cluster (`--empty`, `--seed N`, `--nodes N`).
/// Run with `SVCLAB_UPDATE_TRANSCRIPTS=1 swift test --filter TranscriptTests` to rewrite the
/// files after an intended output change, then review the diff.
struct TranscriptTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
    }

    struct Step { var command: String; var body: [String] }

    /// Lines split on the byte \n: curl -i output holds "\r\n", which Swift treats as one
    /// Character, so a Character-based split would glue the next command to it.
    static func lines(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    static func parse(_ text: String) -> (options: [String], steps: [Step]) {
        var options: [String] = []
        var steps: [Step] = []
        // `> ` lines are a heredoc's body only right after a `$` line with `<<`; elsewhere
        // they are output (curl -v prints `> GET / HTTP/1.1`).
        var inBody = false
        for line in lines(text) {
            if steps.isEmpty && line.hasPrefix("# svclab shell") {
                options = line.dropFirst("# svclab shell".count).split(separator: " ").map(String.init)
            } else if line.hasPrefix("$ ") {
                steps.append(Step(command: String(line.dropFirst(2)), body: []))
                inBody = line.contains("<<")
            } else if inBody, line.hasPrefix("> ") {
                steps[steps.count - 1].body.append(String(line.dropFirst(2)))
            } else if inBody, line == ">" {
                steps[steps.count - 1].body.append("")
            } else {
                inBody = false
            }
        }
        return (options, steps)
    }

    static func render(_ text: String) -> String {
        let (options, steps) = parse(text)
        func value(_ flag: String) -> String? { options.firstIndex(of: flag).flatMap { options.indices.contains($0 + 1) ? options[$0 + 1] : nil } }
        let seed = UInt64(value("--seed") ?? "1") ?? 1
        let nodes = Int(value("--nodes") ?? "3") ?? 3
        let mode = ProxyMode(rawValue: value("--proxy-mode") ?? "iptables") ?? .iptables
        let s = options.contains("--empty") ? Session.empty(seed: seed, nodes: nodes, proxyMode: mode) : Session.demo(seed: seed, nodes: nodes, proxyMode: mode)
        s.workingDirectory = directory.path
        var out = options.isEmpty ? "" : "# svclab shell " + options.joined(separator: " ") + "\n"
        for step in steps {
            out += "$ \(step.command)\n"
            for b in step.body { out += b.isEmpty ? ">\n" : "> \(b)\n" }
            var script = step.command + "\n"
            if !step.body.isEmpty { script += step.body.joined(separator: "\n") + "\n" }
            var lines = ScriptLines(script)
            guard let result = s.runNext(from: &lines) else { continue }
            out += result.combined
            // Output without a final newline (`-o jsonpath`) is marked as cram marks it.
            if let last = result.combined.utf8.last, last != UInt8(ascii: "\n") { out += " (no-eol)\n" }
            if result.exitCode != 0 { out += "[exit \(result.exitCode)]\n" }
        }
        return out
    }

    @Test(arguments: TranscriptTests.files)
    func transcript(_ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        let expected = try String(contentsOf: url, encoding: .utf8)
        let actual = Self.render(expected)
        if ProcessInfo.processInfo.environment["SVCLAB_UPDATE_TRANSCRIPTS"] == "1" {
            if actual != expected { try actual.write(to: url, atomically: true, encoding: .utf8) }
            return
        }
        if actual != expected {
            if let dir = ProcessInfo.processInfo.environment["SVCLAB_TRANSCRIPT_ACTUAL"] {
                try? actual.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
            }
            let e = Self.lines(expected)
            let a = Self.lines(actual)
            let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            Issue.record("""
            \(name) differs from line \(first + 1):
              expected: \(first < e.count ? String(e[first]) : "<end>")
              actual:   \(first < a.count ? String(a[first]) : "<end>")
            (SVCLAB_UPDATE_TRANSCRIPTS=1 rewrites the file)
            """)
        }
    }

    @Test func everyTranscriptHasCommands() {
        #expect(!Self.files.isEmpty)
        for f in Self.files {
            let text = (try? String(contentsOf: Self.directory.appendingPathComponent(f), encoding: .utf8)) ?? ""
            #expect(!Self.parse(text).steps.isEmpty, "\(f) has no $ lines")
        }
    }
}
