import ClusterEngine
import ClusterModel
import Foundation
import Yams

/// `svclab shell --record FILE`: every command line (with its heredoc) and the simulated time
/// that passed before it, written as a scenario file (DESIGN.md §7) that replays to the same
/// state. The file is rewritten after each command, so it is complete whenever the shell stops.
public final class SessionRecorder {
    public struct Options: Sendable {
        public var seed: UInt64
        public var nodes: Int
        public var empty: Bool
        /// `--lb-pool` when it is not the default (`off` or `FIRST-LAST`).
        public var loadBalancerPool: String?
        /// `--proxy-mode` when it is not iptables.
        public var proxyMode: String?
        public init(seed: UInt64, nodes: Int, empty: Bool, loadBalancerPool: String? = nil, proxyMode: String? = nil) {
            self.seed = seed; self.nodes = nodes; self.empty = empty; self.loadBalancerPool = loadBalancerPool; self.proxyMode = proxyMode
        }
    }

    enum Step { case run(String), sleep(Millis) }

    let path: String
    let options: Options
    private var steps: [Step] = []
    private var lastTime: Millis

    public init(path: String, options: Options, startTime: Millis) {
        self.path = path
        self.options = options
        self.lastTime = startTime
    }

    /// Notes one command, run at simulated time `time`.
    func record(line: String, heredocBody: [String]?, terminator: String?, at time: Millis) {
        // Time spent at the prompt (a terminal's clock moves) becomes a `sleep` step, so a
        // replay sees the same ages, probe results and rollouts.
        if time > lastTime { steps.append(.sleep(time - lastTime)) }
        var text = line
        if let heredocBody, let terminator { text += "\n" + (heredocBody + [terminator]).joined(separator: "\n") }
        steps.append(.run(text))
        lastTime = time
    }

    /// Notes simulated time that passed inside a command (`sleep`, `rollout status`, a watch).
    func advanced(to time: Millis) { lastTime = max(lastTime, time) }

    public var document: String {
        var clusterPairs: [(Yams.Node, Yams.Node)] = [
            (Yams.Node("nodes"), Yams.Node(String(options.nodes), Tag(.int))),
            (Yams.Node("seed"), Yams.Node(String(options.seed), Tag(.int))),
        ]
        if options.empty { clusterPairs.append((Yams.Node("empty"), Yams.Node("true", Tag(.bool)))) }
        if let pool = options.loadBalancerPool { clusterPairs.append((Yams.Node("loadBalancerPool"), Yams.Node(pool))) }
        if let mode = options.proxyMode { clusterPairs.append((Yams.Node("proxyMode"), Yams.Node(mode))) }
        var stepNodes: [Yams.Node] = []
        for step in steps {
            switch step {
            case let .run(text):
                let value = text.contains("\n") ? Yams.Node(text + "\n", Tag(.str), .literal) : Yams.Node(text, Tag(.str), StructuredPrinter.needsQuotes(text) ? .doubleQuoted : .any)
                stepNodes.append(Yams.Node([(Yams.Node("run"), value)]))
            case let .sleep(ms):
                stepNodes.append(Yams.Node([(Yams.Node("sleep"), Yams.Node(Self.duration(ms)))]))
            }
        }
        let root = Yams.Node([
            (Yams.Node("title"), Yams.Node("Recorded session")),
            (Yams.Node("about"), Yams.Node("Recorded with svclab shell --record; replays to the state the session ended in.")),
            (Yams.Node("cluster"), Yams.Node(clusterPairs, Tag(.map), .flow)),
            (Yams.Node("steps"), Yams.Node(stepNodes)),
        ])
        return (try? Yams.serialize(node: root, width: -1)) ?? ""
    }

    /// `12s`, `1m30s`, `250ms`: Go-style durations, which `sleep` and scenario files accept.
    static func duration(_ ms: Millis) -> String {
        if ms % 1000 != 0 { return "\(ms)ms" }
        var s = ms / 1000
        var out = ""
        if s >= 3600 { out += "\(s / 3600)h"; s %= 3600 }
        if s >= 60 { out += "\(s / 60)m"; s %= 60 }
        if s > 0 || out.isEmpty { out += "\(s)s" }
        return out
    }

    public func flush() throws {
        try document.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
