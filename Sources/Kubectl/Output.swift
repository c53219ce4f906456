import ClusterModel
/// What one command printed, in order, and how it ended.
public struct CommandOutput: Equatable, Sendable {
    public enum Stream: Sendable, Equatable { case stdout, stderr }
    public var chunks: [(Stream, String)] = []
    public var exitCode: Int32 = 0

    public init() {}

    public static func == (a: CommandOutput, b: CommandOutput) -> Bool {
        a.exitCode == b.exitCode && a.chunks.map { "\($0.0)\u{0}\($0.1)" } == b.chunks.map { "\($0.0)\u{0}\($0.1)" }
    }

    public var stdout: String { chunks.filter { $0.0 == .stdout }.map(\.1).joined() }
    public var stderr: String { chunks.filter { $0.0 == .stderr }.map(\.1).joined() }
    /// Both streams interleaved as a terminal shows them.
    public var combined: String { chunks.map(\.1).joined() }

    /// Appends a line (newline added).
    public mutating func out(_ line: String) { chunks.append((.stdout, line + "\n")) }
    /// Messages quote what the user typed; a control character in it (an escape sequence that
    /// would clear or retitle the terminal) is written as Go's %q writes it, never raw.
    public mutating func err(_ line: String) { chunks.append((.stderr, Self.escapingControls(line) + "\n")) }

    public static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7f || (0x80...0x9f).contains($0.value) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || scalar.value == 0x7f || (0x80...0x9f).contains(scalar.value) {
                out += String(goQuote(String(scalar)).dropFirst().dropLast())
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
    public mutating func outRaw(_ text: String) { if !text.isEmpty { chunks.append((.stdout, text)) } }
    public mutating func fail(_ line: String, code: Int32 = 1) { err(line); exitCode = code }
}
