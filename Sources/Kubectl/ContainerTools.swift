import ClusterEngine
import ClusterModel
import Foundation

/// What a process run inside a container wrote, in the order it wrote it, and how it ended.
struct ProcessResult {
    var chunks: [(CommandOutput.Stream, String)] = []
    var exitCode: Int32 = 0

    init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        if !stdout.isEmpty { chunks.append((.stdout, stdout)) }
        if !stderr.isEmpty { chunks.append((.stderr, stderr)) }
        self.exitCode = exitCode
    }

    /// Appending (`+=`) adds a chunk in order; assigning anything else replaces that stream.
    var stdout: String {
        get { text(.stdout) }
        set { write(.stdout, newValue) }
    }
    var stderr: String {
        get { text(.stderr) }
        set { write(.stderr, newValue) }
    }

    private func text(_ stream: CommandOutput.Stream) -> String { chunks.filter { $0.0 == stream }.map(\.1).joined() }

    private mutating func write(_ stream: CommandOutput.Stream, _ value: String) {
        let old = text(stream)
        if value.hasPrefix(old) {
            let added = String(value.dropFirst(old.count))
            if !added.isEmpty { chunks.append((stream, added)) }
        } else {
            chunks.removeAll { $0.0 == stream }
            if !value.isEmpty { chunks.append((stream, value)) }
        }
    }
}

/// The programs a container image carries, and which flavour of nslookup.
struct Toolbox {
    enum Resolver { case bind, busybox }
    var programs: Set<String>
    var nslookup: Resolver

    static let common: Set<String> = ["sh", "env", "printenv", "cat", "hostname", "echo", "true", "false", "sleep", "ls"]

    init(image: String) {
        let (repo, _) = AppProfile.split(image)
        let base = repo.split(separator: "/").last.map(String.init) ?? repo
        switch base {
        case "jessie-dnsutils", "dnsutils":
            programs = Self.common.union(["nslookup", "dig", "host", "curl", "wget", "bash"]); nslookup = .bind
        case "netshoot":
            programs = Self.common.union(["nslookup", "dig", "host", "curl", "wget", "bash", "chroot", "iptables", "iptables-save"]); nslookup = .bind
        case "curl":
            programs = Self.common.union(["curl", "wget", "nslookup"]); nslookup = .busybox
        case "busybox", "alpine":
            programs = Self.common.union(["wget", "nslookup", "chroot"]); nslookup = .busybox
        case "nginx", "httpd", "ubuntu", "debian", "postgres", "redis":
            programs = Self.common.union(["curl", "bash"]); nslookup = .bind
        default:
            programs = Self.common.union(["curl", "wget", "nslookup"]); nslookup = .busybox
        }
    }
}

/// Runs one command line inside a container: the network tools people reach for when a
/// Service misbehaves (curl, wget, nslookup, dig), and the few files and variables that
/// explain DNS and service discovery (env, /etc/resolv.conf, hostname).
struct ContainerShell {
    let cluster: Cluster
    let pod: Pod
    let container: Container
    /// `kubectl exec -t`: curl then shows no progress meter.
    let tty: Bool
    /// `$?` before the script's first command: an interactive shell runs each line as a script
    /// and carries the last line's status into the next.
    var lastStatus: Int32 = 0

    func run(_ argv: [String]) -> ProcessResult {
        guard let program = argv.first else { return ProcessResult() }
        let tools = Toolbox(image: container.image)
        let name = program.split(separator: "/").last.map(String.init) ?? program
        guard tools.programs.contains(name) || name == "sh" else {
            return ProcessResult(stdout: "OCI runtime exec failed: exec failed: unable to start container process: exec: \(goQuote(program)): executable file not found in $PATH: unknown\n", exitCode: 126)
        }
        let args = Array(argv.dropFirst())
        switch name {
        case "sh", "bash", "ash":
            guard args.first == "-c", args.count >= 2 else {
                return ProcessResult(stderr: "svclab: interactive shells are not modelled; run one command: kubectl exec \(pod.metadata.name) -- CMD\n", exitCode: 1)
            }
            return runScript(args[1])
        case "curl": return CurlTool(cluster: cluster, pod: pod, tty: tty).run(args)
        case "wget": return WgetTool(cluster: cluster, pod: pod).run(args)
        case "nslookup": return NslookupTool(cluster: cluster, pod: pod, flavour: tools.nslookup).run(args)
        case "dig": return DigTool(cluster: cluster, pod: pod).run(args)
        case "env", "printenv":
            let env = cluster.containerEnvironment(pod: pod, container: container)
            if name == "printenv", let wanted = args.first {
                guard let v = env.first(where: { $0.0 == wanted })?.1 else { return ProcessResult(exitCode: 1) }
                return ProcessResult(stdout: v + "\n")
            }
            return ProcessResult(stdout: env.map { "\($0.0)=\($0.1)\n" }.joined())
        case "hostname": return ProcessResult(stdout: (pod.spec.hostNetwork ? pod.spec.nodeName : pod.metadata.name) + "\n")
        case "chroot":
            // `chroot /host CMD` in a pod that mounts the node's / there (kubectl debug node/…)
            // runs CMD on the node itself.
            guard let root = args.first else { return ProcessResult(stderr: "chroot: missing operand\nTry 'chroot --help' for more information.\n", exitCode: 1) }
            guard hostRootMount == Self.cleanPath(root) else {
                return ProcessResult(stderr: "chroot: can't change root directory to '\(root)': No such file or directory\n", exitCode: 1)
            }
            let command = args.count > 1 ? Array(args.dropFirst()) : ["/bin/sh", "-i"]
            return NodeShell(cluster: cluster, node: pod.spec.nodeName).run(command)
        case "iptables", "iptables-save":
            // netshoot carries iptables: in a host-network pod it sees the node's rules.
            guard pod.spec.hostNetwork else {
                return ProcessResult(stderr: "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n", exitCode: 4)
            }
            return NodeShell(cluster: cluster, node: pod.spec.nodeName).run(argv)
        case "echo": return ProcessResult(stdout: args.joined(separator: " ") + "\n")
        case "true": return ProcessResult()
        case "false": return ProcessResult(exitCode: 1)
        case "sleep":
            guard let first = args.first else { return ProcessResult(stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n", exitCode: 1) }
            guard let seconds = Durations.parseSleep(first, allowInfinity: true) else {
                return ProcessResult(stderr: "sleep: invalid time interval \(Durations.shellQuoted(first))\nTry 'sleep --help' for more information.\n", exitCode: 1)
            }
            if let refusal = Durations.refuseLongJump(seconds, asked: first, tool: "sleep") { return ProcessResult(stderr: refusal + "\n", exitCode: 1) }
            cluster.advance(bySeconds: seconds)
            return ProcessResult()
        case "cat":
            var out = ProcessResult()
            for path in args {
                if let text = file(path) { out.stdout += text } else {
                    // busybox's cat (alpine, busybox) words it differently from GNU's (Debian images).
                    out.stderr += Toolbox(image: container.image).nslookup == .busybox
                        ? "cat: can't open '\(path)': No such file or directory\n" : "cat: \(path): No such file or directory\n"
                    out.exitCode = 1
                }
            }
            return out
        case "ls":
            return ProcessResult(stdout: "bin\ndev\netc\nhome\nproc\nroot\nsys\ntmp\nusr\nvar\n")
        default:
            return ProcessResult(stdout: "OCI runtime exec failed: exec failed: unable to start container process: exec: \(goQuote(program)): executable file not found in $PATH: unknown\n", exitCode: 126)
        }
    }

    /// A directory path without its trailing slashes (`/host/` is `/host`).
    static func cleanPath(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    /// Where this container mounts the node's root filesystem (a hostPath volume of "/"), if it does.
    var hostRootMount: String? {
        let hostRootVolumes = Set((pod.spec.extra["volumes"]?.arrayValue ?? []).compactMap { v -> String? in
            v["hostPath"]?["path"]?.stringValue == "/" ? v["name"]?.stringValue : nil
        })
        return (container.extra["volumeMounts"]?.arrayValue ?? []).first { m in
            hostRootVolumes.contains(m["name"]?.stringValue ?? "")
        }?["mountPath"]?.stringValue.map(Self.cleanPath)
    }

    /// `sh -c 'a; b && c || d | grep x'`: commands in sequence as a POSIX shell runs them
    /// (see `PodShellScript`: operators, exit statuses, `$VAR` from the container's
    /// environment), pipes through the shell's filters, `exit N`.
    func runScript(_ script: String) -> ProcessResult {
        let busybox = Toolbox(image: container.image).nslookup == .busybox
        func syntaxError(_ what: (busybox: String, dash: String)) -> ProcessResult {
            // busybox ash (alpine, busybox, the demo app) and dash (Debian images) say it differently.
            ProcessResult(stderr: busybox ? "sh: syntax error: \(what.busybox)\n" : "sh: 1: Syntax error: \(what.dash)\n", exitCode: 2)
        }
        let commands: [PodShellScript.Command]
        do {
            commands = try PodShellScript.split(script)
        } catch {
            switch error {
            case .unterminatedQuote:
                return syntaxError(("unterminated quoted string", "Unterminated quoted string"))
            case let .unexpected(token):
                let shown = token == "end of file" ? token : "\"\(token)\""
                return syntaxError(("unexpected \(shown)", "\(shown) unexpected"))
            }
        }
        let environment = Dictionary(cluster.containerEnvironment(pod: pod, container: container), uniquingKeysWith: { _, last in last })
        var total = ProcessResult()
        var status = lastStatus
        for command in commands {
            switch command.connector {
            case .ifSucceeded where status != 0, .ifFailed where status == 0: continue
            default: break
            }
            let text = PodShellScript.expand(command.text, environment: environment, status: status)
            let line: ShellLine
            do { line = try ShellLine.parse(text) } catch {
                total.stderr += "sh: svclab does not model this in a pod's shell yet: \(command.text)\n"
                status = 2
                continue
            }
            guard let first = line.stages.first, !first.isEmpty else { continue }
            if first[0] == "exit" {
                total.exitCode = first.count > 1 ? Int32(first[1]).map { $0 & 0xFF } ?? 2 : status
                return total
            }
            var step = run(first)
            for stage in line.stages.dropFirst() {
                var piped = CommandOutput()
                piped.outRaw(step.stdout)
                let filtered = Filters.run(stage, input: piped)
                step.stdout = filtered.stdout
                step.stderr += filtered.stderr
                step.exitCode = filtered.exitCode
            }
            total.stdout += step.stdout
            total.stderr += step.stderr
            status = step.exitCode
        }
        total.exitCode = status
        return total
    }

    func file(_ path: String) -> String? {
        switch path {
        case "/etc/resolv.conf":
            return "search \(cluster.searchDomains(namespace: pod.metadata.namespace).joined(separator: " "))\nnameserver \(Cluster.dnsServiceIP)\noptions ndots:5\n"
        case "/etc/hostname":
            return pod.metadata.name + "\n"
        case "/etc/hosts":
            return """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            \(pod.status.podIP)\t\(pod.metadata.name)

            """
        default:
            return nil
        }
    }
}

/// The kubelet's container runtime for commands that end by themselves (`curl …`, `echo hi`,
/// `sh -c 'nslookup a; wget -qO- b'`): the engine calls it when such a container starts, keeps
/// what it printed as the container's log, and ends the process (see ClusterEngine's
/// ContainerProcesses). Servers, `sleep`, loops and shells without a script run until stopped.
enum ContainerRuntime {
    static let programsThatEnd: Set<String> = ["curl", "wget", "nslookup", "dig", "host", "echo", "true", "false", "env", "printenv", "hostname", "cat", "ls", "iptables", "iptables-save"]

    static func run(cluster: Cluster, pod: Pod, container c: Container) -> ProcessRun? {
        let argv = (c.command ?? []) + (c.args ?? [])
        guard endsByItself(argv, image: c.image) else { return nil }
        let tty = c.extra["tty"] == .bool(true)
        let result = ContainerShell(cluster: cluster, pod: pod, container: c, tty: tty).run(argv)
        return ProcessRun(output: result.chunks.map { ($0.0 == .stderr, $0.1) }, exitCode: result.exitCode)
    }

    static func endsByItself(_ argv: [String], image: String) -> Bool {
        guard let first = argv.first else { return false }
        let name = first.split(separator: "/").last.map(String.init) ?? first
        let tools = Toolbox(image: image)
        if ["sh", "bash", "ash"].contains(name) {
            guard argv.count >= 3, argv[1] == "-c" else { return false }
            guard let commands = try? PodShellScript.split(argv[2]), !commands.isEmpty else { return false }
            return commands.allSatisfy { command in
                let word = String(command.text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
                return word == "exit" || (programsThatEnd.contains(word) && tools.programs.contains(word))
            }
        }
        // `chroot /host CMD` ends when CMD does; a bare chroot starts an interactive shell.
        if name == "chroot" {
            guard argv.count >= 3 else { return false }
            let inner = argv[2].split(separator: "/").last.map(String.init) ?? argv[2]
            return tools.programs.contains("chroot") && (NodeShell.programs.contains(inner) || programsThatEnd.contains(inner))
        }
        return programsThatEnd.contains(name) && tools.programs.contains(name)
    }
}
