import ArgumentParser
import ClusterEngine
import Foundation
import Kubectl

/// Options every svclab command takes (DESIGN.md §1).
struct ClusterOptions: ParsableArguments {
    @Option(help: "Seed for every random choice (names, IPs, timings). Same seed and input give the same output.")
    var seed: UInt64 = 1
    @Flag(help: "Start from a bare cluster (namespaces, nodes, the kubernetes and kube-dns Services) instead of the demo.")
    var empty = false
    @Option(help: "Number of worker nodes.")
    var nodes: Int = 3

    func validate() throws {
        guard (0...5000).contains(nodes) else { throw ValidationError("--nodes must be between 0 and 5000") }
    }

    func makeSession() -> Session {
        empty ? Session.empty(seed: seed, nodes: nodes) : Session.demo(seed: seed, nodes: nodes)
    }
}

@main
struct Svclab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svclab",
        abstract: "A terminal lab for Kubernetes Services, on a simulated cluster.",
        discussion: "Without a subcommand, starts the lab on the demo cluster (for now: the shell).",
        subcommands: [Shell.self],
        defaultSubcommand: Shell.self
    )
}

/// `svclab shell`: kubectl-style command lines from stdin.
struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Run kubectl-style command lines against the simulated cluster.",
        discussion: """
        Reads command lines from stdin: kubectl (get, apply, scale, version), sleep DURATION, \
        comments, and pipes into grep/head/tail/wc/sort. `kubectl apply -f -` takes a heredoc \
        (<<EOF … EOF). From a pipe the virtual clock moves only with `sleep`; at a terminal it \
        follows wall time.
        """
    )

    @OptionGroup var cluster: ClusterOptions
    @Flag(name: .customLong("no-echo"), help: "When reading from a pipe, do not echo each command as `$ command`.")
    var noEcho = false

    func run() throws {
        let session = cluster.makeSession()
        let interactive = isatty(STDIN_FILENO) != 0
        var source = StdinLines(prompt: interactive ? { "svclab:\(session.namespace)$ " } : nil)
        let echo: ((String, Bool) -> Void)? = (interactive || noEcho) ? nil : { line, isCommand in
            let shown = !isCommand || line.isEmpty || line.hasPrefix("#") ? line : "$ \(line)"
            FileHandle.standardOutput.write((shown + "\n").data(using: .utf8)!)
        }
        // At a terminal the simulated clock follows the wall clock (the only place that reads it).
        let wallStart = Date()
        let virtualStart = session.cluster.now
        var lastExit: Int32 = 0
        while true {
            if interactive {
                let elapsed = Int64(Date().timeIntervalSince(wallStart) * 1000)
                session.cluster.advance(to: max(session.cluster.now, virtualStart + elapsed))
            }
            guard let out = session.runNext(from: &source, echo: echo) else { break }
            for (stream, text) in out.chunks {
                let handle = stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError
                handle.write(text.data(using: .utf8)!)
            }
            lastExit = out.exitCode
        }
        if interactive { FileHandle.standardOutput.write("\n".data(using: .utf8)!) }
        if lastExit != 0 && !interactive { throw ExitCode(lastExit) }
    }
}

/// Lines from standard input, with an optional prompt at a terminal.
struct StdinLines: LineSource {
    var prompt: (() -> String)?
    mutating func nextLine() -> String? {
        if let prompt {
            FileHandle.standardOutput.write(prompt().data(using: .utf8)!)
        }
        return readLine(strippingNewline: true)
    }
}
