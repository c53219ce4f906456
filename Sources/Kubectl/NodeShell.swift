import ClusterEngine
import ClusterModel

/// Programs run on a node itself — through `docker exec NODE …` as kind users type it, or
/// from a `kubectl debug node/NODE` pod after `chroot /host` — which is where kube-proxy's
/// rules can be read: `iptables-save [-t TABLE]`, `iptables [-t TABLE] -L|-S [CHAIN] [-n] [-v]
/// [--line-numbers]`. The rules are the node's (`Cluster.nodeNetfilter`), printed as iptables
/// 1.8.9 (nf_tables) prints them. Read-only: a rule added by hand would be overwritten at
/// kube-proxy's next sync anyway, and svclab says so instead of pretending.
struct NodeShell {
    let cluster: Cluster
    let node: String

    static let programs: Set<String> = ["iptables-save", "iptables-nft-save", "iptables", "iptables-nft", "nft", "conntrack", "hostname"]

    func run(_ argv: [String]) -> ProcessResult {
        guard let program = argv.first else { return ProcessResult() }
        let name = program.split(separator: "/").last.map(String.init) ?? program
        let args = Array(argv.dropFirst())
        switch name {
        case "iptables-save", "iptables-nft-save": return iptablesSave(args)
        case "iptables", "iptables-nft": return iptables(args)
        case "nft": return nft(args)
        case "conntrack": return conntrack(args)
        case "hostname": return ProcessResult(stdout: node + "\n")
        default:
            return ProcessResult(stderr: "OCI runtime exec failed: exec failed: unable to start container process: exec: \(goQuote(program)): executable file not found in $PATH: unknown\n", exitCode: 127)
        }
    }

    var tables: NodeNetfilter? { cluster.nodeNetfilter(node: node) }

    /// iptables-save: every table (or `-t TABLE`), dated by the node's clock.
    func iptablesSave(_ args: [String]) -> ProcessResult {
        var table: String?
        var i = 0
        while i < args.count {
            let a = args[i]; i += 1
            switch a {
            case "-t", "--table":
                guard i < args.count else { return ProcessResult(stderr: "iptables-save: option requires an argument -- 't'\n", exitCode: 1) }
                table = args[i]; i += 1
            case _ where a.hasPrefix("--table="): table = String(a.dropFirst(8))
            case _ where a.hasPrefix("-t") && a.count > 2: table = String(a.dropFirst(2))
            default:
                return ProcessResult(stderr: "Unknown arg \(goQuote(a))\n", exitCode: 1)
            }
        }
        guard let tables else { return ProcessResult() }
        guard let text = tables.saveText(table: table, date: Cluster.ctimeDate(cluster.now)) else {
            return ProcessResult(stderr: "iptables-save v1.8.9 (nf_tables): table '\(table ?? "")' does not exist\n", exitCode: 1)
        }
        return ProcessResult(stdout: text)
    }

    /// `nft list …` (nftables 1.0.9): kube-proxy's `ip`/`ip6 kube-proxy` tables in nftables mode,
    /// whole or one chain, set or map. The iptables-nft tables (nat, filter, mangle) are the
    /// ones iptables-save prints; svclab does not translate them into nft's syntax.
    func nft(_ args: [String]) -> ProcessResult {
        let words = args.filter { !["-a", "--handle", "-n", "--numeric"].contains($0) }
        let command = words.joined(separator: " ")
        let families = ["ip", "ip6", "inet", "arp", "bridge", "netdev"]
        let nftMode = cluster.proxyMode == .nftables
        func tables() -> [NFTablesProxier.Table] {
            guard nftMode else { return [] }
            return ["ip", "ip6"].compactMap { cluster.kubeProxyNFTable(node: node, family: $0) }
        }
        /// nft's "No such file or directory" with carets under the name it could not find.
        func missing(_ name: String) -> ProcessResult {
            let at = command.range(of: name, options: .backwards).map { command.distance(from: command.startIndex, to: $0.lowerBound) } ?? 0
            return ProcessResult(stderr: "Error: No such file or directory\n\(command)\n" + String(repeating: " ", count: at) + String(repeating: "^", count: max(1, name.count)) + "\n", exitCode: 1)
        }
        guard words.first == "list", words.count >= 2 else {
            if words.isEmpty { return ProcessResult(stderr: "Error: no command specified\n", exitCode: 1) }
            if ["add", "delete", "flush", "insert", "replace", "create", "destroy", "-f"].contains(words[0]) {
                return ProcessResult(stderr: "svclab: this node's rules are kube-proxy's; they are shown, not edited (kube-proxy would rewrite a hand-made change at its next sync)\n", exitCode: 1)
            }
            return ProcessResult(stderr: "Error: syntax error, unexpected \(words[0])\n\(command)\n" + String(repeating: "^", count: words[0].count) + "\n", exitCode: 1)
        }
        var rest = Array(words.dropFirst(2))
        switch words[1] {
        case "tables":
            var out = "table ip nat\ntable ip mangle\ntable ip filter\ntable ip6 mangle\ntable ip6 nat\ntable ip6 filter\n"
            if nftMode { out += "table ip kube-proxy\ntable ip6 kube-proxy\n" }
            return ProcessResult(stdout: out)
        case "ruleset":
            let text = tables().map(\.listText).joined()
            return ProcessResult(stdout: text, stderr: "svclab: the iptables-nft tables (ip nat, filter, mangle) are not translated into nft syntax here; iptables-save prints them\n")
        case "table", "chain", "set", "map":
            let family = rest.first.map { families.contains($0) } == true ? rest.removeFirst() : "ip"
            guard let tableName = rest.first else { return ProcessResult(stderr: "Error: syntax error, unexpected end of file\n\(command)\n", exitCode: 1) }
            guard let table = tables().first(where: { $0.family == family && $0.name == tableName }) else {
                if ["nat", "filter", "mangle"].contains(tableName) && ["ip", "ip6"].contains(family) {
                    return ProcessResult(stderr: "svclab: the iptables-nft table \(family) \(tableName) is not translated into nft syntax here; iptables-save -t \(tableName) prints it\n", exitCode: 1)
                }
                return missing(tableName)
            }
            if words[1] == "table" { return ProcessResult(stdout: table.listText) }
            guard rest.count >= 2 else { return ProcessResult(stderr: "Error: syntax error, unexpected end of file\n\(command)\n", exitCode: 1) }
            let kind: NFTablesProxier.Object.Kind = words[1] == "chain" ? .chain : words[1] == "set" ? .set : .map
            guard let object = table.object(rest[1]), object.kind == kind else { return missing(rest[1]) }
            return ProcessResult(stdout: "table \(table.family) \(table.name) {\n" + table.objectText(object) + "}\n")
        default:
            return ProcessResult(stderr: "Error: syntax error, unexpected \(words[1])\n\(command)\n" + String(repeating: " ", count: 5) + String(repeating: "^", count: words[1].count) + "\n", exitCode: 1)
        }
    }

    /// `conntrack -L|-C` (conntrack-tools 1.4.7) with the usual filters: the connections
    /// svclab's requests left on this node (each request's DNS queries and its connection;
    /// TIME_WAIT for 120 s after it finished), not the node's own traffic.
    func conntrack(_ args: [String]) -> ProcessResult {
        var list = false, count = false
        var proto: String?, src: String?, dst: String?, sport: Int?, dport: Int?
        var i = 0
        func value() -> String? { i += 1; return i < args.count ? args[i] : nil }
        while i < args.count {
            switch args[i] {
            case "-L", "--dump": list = true
            case "-C", "--count": count = true
            case "-n", "--src-nat", "--dst-nat": break
            case "-p", "--proto": proto = value()?.lowercased()
            case "-s", "--src", "--orig-src": src = value()
            case "-d", "--dst", "--orig-dst": dst = value()
            case "--sport", "--orig-port-src": sport = value().flatMap { Int($0) }
            case "--dport", "--orig-port-dst": dport = value().flatMap { Int($0) }
            default:
                return ProcessResult(stderr: "conntrack v1.4.7 (conntrack-tools): unknown option `\(args[i])'\nTry `conntrack -h' or 'conntrack --help' for more information.\n", exitCode: 2)
            }
            i += 1
        }
        let entries = cluster.conntrackEntries(node: node).filter { e in
            (proto.map { $0 == e.proto } ?? true) && (src.map { $0 == e.original.src } ?? true) && (dst.map { $0 == e.original.dst } ?? true)
                && (sport.map { $0 == e.original.sport } ?? true) && (dport.map { $0 == e.original.dport } ?? true)
        }
        if count && !list { return ProcessResult(stdout: "\(cluster.conntrackEntries(node: node).count)\n") }
        guard list else {
            return ProcessResult(stderr: "conntrack v1.4.7 (conntrack-tools): no command specified\nTry `conntrack -h' or 'conntrack --help' for more information.\n", exitCode: 2)
        }
        var result = ProcessResult(stdout: entries.map { $0.line(now: cluster.now) + "\n" }.joined())
        result.stderr = "conntrack v1.4.7 (conntrack-tools): \(entries.count) flow entries have been shown.\n"
        return result
    }

    /// `iptables -L` / `-S`, the listing commands; anything that would change a rule is refused.
    func iptables(_ args: [String]) -> ProcessResult {
        let prog = "iptables v1.8.9 (nf_tables)"
        let tryHelp = "Try `iptables -h' or 'iptables --help' for more information.\n"
        var table = "filter"
        var command: Character?
        var chain: String?
        var numeric = false, verbose = false, lineNumbers = false
        var i = 0
        while i < args.count {
            let a = args[i]; i += 1
            if a.hasPrefix("--") {
                switch a {
                case "--table": guard i < args.count else { return ProcessResult(stderr: "\(prog): option \"--table\" requires an argument\n" + tryHelp, exitCode: 2) }; table = args[i]; i += 1
                case "--list": command = "L"
                case "--list-rules": command = "S"
                case "--numeric": numeric = true
                case "--verbose": verbose = true
                case "--line-numbers": lineNumbers = true
                case "--wait": if i < args.count, Int(args[i]) != nil { i += 1 }
                default:
                    if a.hasPrefix("--table=") { table = String(a.dropFirst(8)); continue }
                    return ProcessResult(stderr: "\(prog): unknown option \"\(a)\"\n" + tryHelp, exitCode: 2)
                }
            } else if a.hasPrefix("-"), a.count > 1 {
                var letters = Array(a.dropFirst())
                while !letters.isEmpty {
                    let c = letters.removeFirst()
                    switch c {
                    case "t":
                        if !letters.isEmpty { table = String(letters); letters = [] } else if i < args.count { table = args[i]; i += 1 } else {
                            return ProcessResult(stderr: "\(prog): option \"-t\" requires an argument\n" + tryHelp, exitCode: 2)
                        }
                    case "L", "S": command = c
                    case "n": numeric = true
                    case "v": verbose = true
                    case "w", "x": break
                    case "A", "I", "D", "R", "F", "Z", "N", "X", "P", "E":
                        return ProcessResult(stderr: "svclab: this node's rules are kube-proxy's, kubelet's, kindnet's and Docker's; they are shown, not edited (kube-proxy would rewrite a hand-made change at its next sync)\n", exitCode: 1)
                    default:
                        return ProcessResult(stderr: "\(prog): invalid option -- '\(c)'\n" + tryHelp, exitCode: 2)
                    }
                }
            } else if command != nil && chain == nil {
                chain = a
            } else {
                return ProcessResult(stderr: "Bad argument `\(a)'\n" + tryHelp, exitCode: 2)
            }
        }
        guard let command else { return ProcessResult(stderr: "\(prog): no command specified\n" + tryHelp, exitCode: 2) }
        guard let tables else { return ProcessResult() }
        guard let t = tables.table(table) else {
            return ProcessResult(stderr: "\(prog): table '\(table)' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n", exitCode: 3)
        }
        if let chain, t.rules[chain] == nil { return ProcessResult(stderr: "iptables: No chain/target/match by that name.\n", exitCode: 1) }
        let chains = chain.map { [$0] } ?? t.chainOrder
        if command == "S" {
            var s = ""
            for c in chains { s += t.builtins.contains(c) ? "-P \(c) ACCEPT\n" : "-N \(c)\n" }
            for c in chains { for r in t.rules[c] ?? [] { s += r.saveText + "\n" } }
            return ProcessResult(stdout: s)
        }
        return ProcessResult(stdout: chains.map { t.listText($0, numeric: numeric, verbose: verbose, lineNumbers: lineNumbers) }.joined(separator: "\n"))
    }
}

extension Session {
    /// `docker exec [-i] [-t] NODE COMMAND…`: a command on a kind node container, as kind users
    /// reach the node (`docker exec kind-worker iptables-save`).
    func runDocker(_ args: [String]) -> CommandOutput {
        var out = CommandOutput()
        guard args.first == "exec" else {
            out.fail("svclab: only `docker exec NODE COMMAND` is modelled (the nodes are kind's containers: \(cluster.nodes.list().map(\.metadata.name).joined(separator: ", ")))", code: 127)
            return out
        }
        var rest = Array(args.dropFirst())
        while let first = rest.first, first.hasPrefix("-") {
            guard ["-i", "-t", "-it", "-ti", "--interactive", "--tty"].contains(first) else {
                out.fail("unknown flag: \(first)\nSee 'docker exec --help'.", code: 125)
                return out
            }
            rest.removeFirst()
        }
        guard rest.count >= 2 else {
            out.fail("\"docker exec\" requires at least 2 arguments.\nSee 'docker exec --help'.\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nExecute a command in a running container", code: 1)
            return out
        }
        guard cluster.nodes.get("", rest[0]) != nil else {
            out.fail("Error response from daemon: No such container: \(rest[0])", code: 1)
            return out
        }
        let result = NodeShell(cluster: cluster, node: rest[0]).run(Array(rest.dropFirst()))
        out.chunks += result.chunks
        out.exitCode = result.exitCode
        return out
    }
}
