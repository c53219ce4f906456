import Foundation

/// One iptables rule as the kernel keeps it: addresses and protocol, the matches in the order
/// they were given, the target. kube-proxy writes rules as iptables-restore input
/// (`-m comment --comment … -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-…`); the kernel
/// stores them parsed, so `iptables-save` prints them back in its own spelling
/// (`-d 10.96.0.1/32 -p tcp -m comment --comment "…" -m tcp --dport 443 -j …`) and `iptables -L`
/// in another. This type is that parsed form, with both printers (iptables 1.8.9, the version
/// in kind's Debian bookworm node image; each extension's save/print as libxt_*.c writes it).
public struct NetfilterRule: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var name: String          // without the leading "--"
        public var values: [String]
        public var inverted = false
    }
    public struct Match: Sendable, Equatable {
        public var name: String
        public var options: [Option] = []
    }
    public var chain: String
    public var source: String?
    public var sourceInverted = false
    public var destination: String?
    public var destinationInverted = false
    public var proto: String?
    public var matches: [Match] = []
    public var target: String?
    public var targetOptions: [Option] = []

    public init(chain: String) { self.chain = chain }

    // MARK: Parsing iptables-restore input

    /// Parses one `-A CHAIN …` line of iptables-restore input (the words kube-proxy, kubelet,
    /// Docker and kindnet hand to iptables). Options after `-j` belong to the target; other
    /// `--options` to the match loaded last, as iptables assigns them to the match that knows them.
    public static func parse(_ line: String) -> NetfilterRule? {
        let words = shellWords(line)
        guard words.count >= 2, words[0] == "-A" else { return nil }
        var rule = NetfilterRule(chain: words[1])
        var i = 2
        var invert = false
        func takeValues() -> [String] {
            var values: [String] = []
            while i < words.count, !words[i].hasPrefix("-") || Double(words[i]) != nil, words[i] != "!" { values.append(words[i]); i += 1 }
            return values
        }
        while i < words.count {
            let w = words[i]; i += 1
            switch w {
            case "!": invert = true; continue
            case "-s", "--source", "--src":
                rule.source = cidr(words[i]); rule.sourceInverted = invert; i += 1
            case "-d", "--destination", "--dst":
                rule.destination = cidr(words[i]); rule.destinationInverted = invert; i += 1
            case "-p", "--protocol":
                rule.proto = words[i].lowercased(); i += 1
            case "-m", "--match":
                rule.matches.append(Match(name: words[i])); i += 1
            case "-j", "--jump":
                rule.target = words[i]; i += 1
            default:
                guard w.hasPrefix("--") else { break }
                let option = Option(name: String(w.dropFirst(2)), values: takeValues(), inverted: invert)
                if rule.target != nil { rule.targetOptions.append(option) } else if !rule.matches.isEmpty { rule.matches[rule.matches.count - 1].options.append(option) }
            }
            invert = false
        }
        return rule
    }

    /// Words as iptables-restore splits a line: spaces separate, double quotes group (with
    /// backslash escapes inside them).
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, inWord = false, escape = false
        for ch in line {
            if escape { current.append(ch); escape = false; continue }
            if quoted {
                if ch == "\\" { escape = true } else if ch == "\"" { quoted = false } else { current.append(ch) }
                continue
            }
            if ch == "\"" { quoted = true; inWord = true } else if ch == " " {
                if inWord { words.append(current); current = ""; inWord = false }
            } else { current.append(ch); inWord = true }
        }
        if inWord { words.append(current) }
        return words
    }

    /// An address as the kernel keeps it: a bare IPv4 address is a /32.
    static func cidr(_ text: String) -> String { text.contains("/") ? text : text + "/32" }

    // MARK: iptables-save

    /// The rule as `iptables-save` and `iptables -S` print it (iptables/iptables-xml save_rule:
    /// addresses, protocol, then each match's save(), then the target's).
    public var saveText: String {
        var s = "-A \(chain)"
        if let source { s += (sourceInverted ? " !" : "") + " -s \(source)" }
        if let destination { s += (destinationInverted ? " !" : "") + " -d \(destination)" }
        if let proto { s += " -p \(proto)" }
        for m in matches { s += " -m \(m.name)" + Self.saveMatch(m) }
        if let target { s += " -j \(target)" + Self.saveTarget(target, targetOptions) }
        return s
    }

    static func saveMatch(_ m: Match) -> String {
        func opt(_ n: String) -> Option? { m.options.first { $0.name == n } }
        func bang(_ o: Option) -> String { o.inverted ? " !" : "" }
        switch m.name {
        case "comment":
            return opt("comment").map { " --comment " + saveString($0.values.first ?? "") } ?? ""
        case "tcp", "udp", "sctp":
            // tcp_save: the source port first, then the destination port.
            return ["sport", "dport"].compactMap { n in opt(n).map { bang($0) + " --\(n) \($0.values.first ?? "")" } }.joined()
        case "statistic":
            guard let p = opt("probability").flatMap({ Double($0.values.first ?? "") }) else { return echo(m.options) }
            return " --mode random --probability " + probabilityText(p)
        case "recent":
            // recent_save: the command, --seconds, --reap, --name, --mask, the side.
            var s = ""
            for (flag, text) in [("set", " --set"), ("rcheck", " --rcheck"), ("update", " --update"), ("remove", " --remove")] where opt(flag) != nil { s += text }
            if let seconds = opt("seconds") { s += " --seconds \(seconds.values.first ?? "")" }
            if opt("reap") != nil { s += " --reap" }
            s += " --name \(opt("name")?.values.first ?? "DEFAULT") --mask \(opt("mask")?.values.first ?? "255.255.255.255")"
            s += opt("rdest") != nil ? " --rdest" : " --rsource"
            return s
        case "mark":
            return opt("mark").map { bang($0) + " --mark " + markText($0.values.first ?? "") } ?? ""
        case "conntrack":
            return opt("ctstate").map { bang($0) + " --ctstate " + ctstates($0.values.first ?? "") } ?? ""
        case "addrtype":
            return ["src-type", "dst-type"].compactMap { n in opt(n).map { bang($0) + " --\(n) \($0.values.first ?? "")" } }.joined()
        case "nfacct":
            // nfacct_print_name prints "--nfacct-name " and xtables_save_string adds its own space.
            return opt("nfacct-name").map { " --nfacct-name  \($0.values.first ?? "")" } ?? ""
        default:
            return echo(m.options)
        }
    }

    static func saveTarget(_ target: String, _ options: [Option]) -> String {
        func opt(_ n: String) -> Option? { options.first { $0.name == n } }
        switch target {
        case "MARK":
            // libxt_MARK revision 2 keeps (mark, mask) and saves both as --set-xmark.
            let (mark, mask) = markTarget(options)
            return " --set-xmark 0x\(String(mark, radix: 16))/0x\(String(mask, radix: 16))"
        case "REJECT":
            return " --reject-with " + (opt("reject-with")?.values.first ?? "icmp-port-unreachable")
        default:
            return echo(options)
        }
    }

    static func echo(_ options: [Option]) -> String {
        options.map { ($0.inverted ? " !" : "") + " --\($0.name)" + $0.values.map { " " + $0 }.joined() }.joined()
    }

    /// xtables_save_string: bare when the value is only letters, digits, `_` and `-`; else quoted.
    static func saveString(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" || $0 == "-" }
        if plain { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "'", with: "\\'") + "\""
    }

    /// libxt_statistic keeps `lround(p × 2³¹)` and prints it back as `%.11f` of that over 2³¹,
    /// so kube-proxy's 0.3333333333 reads 0.33333333349.
    public static func probabilityText(_ p: Double) -> String {
        let stored = (p * 2_147_483_648).rounded()
        return String(format: "%.11f", stored / 2_147_483_648)
    }

    /// `0x00004000/0x00004000` → `0x4000/0x4000` (the kernel keeps numbers; print_mark writes %x).
    static func markText(_ text: String) -> String {
        let parts = text.split(separator: "/").map { parseNumber(String($0)) }
        guard let mark = parts.first else { return text }
        let mask = parts.count > 1 ? parts[1] : 0xFFFF_FFFF
        return mask == 0xFFFF_FFFF ? "0x\(String(mark, radix: 16))" : "0x\(String(mark, radix: 16))/0x\(String(mask, radix: 16))"
    }

    static func parseNumber(_ s: String) -> UInt32 {
        s.hasPrefix("0x") || s.hasPrefix("0X") ? UInt32(s.dropFirst(2), radix: 16) ?? 0 : UInt32(s) ?? 0
    }

    /// The MARK target's (mark, mask): --or-mark M is (M, M), --xor-mark M is (M, 0),
    /// --set-mark M is (M, 0xffffffff), --set-xmark M/K is (M, K).
    static func markTarget(_ options: [Option]) -> (UInt32, UInt32) {
        for o in options {
            let v = o.values.first ?? ""
            switch o.name {
            case "or-mark": let m = parseNumber(v); return (m, m)
            case "xor-mark": return (parseNumber(v), 0)
            case "and-mark": return (0, ~parseNumber(v))
            case "set-mark", "set-xmark":
                let parts = v.split(separator: "/").map { parseNumber(String($0)) }
                return (parts.first ?? 0, parts.count > 1 ? parts[1] : 0xFFFF_FFFF)
            default: continue
            }
        }
        return (0, 0)
    }

    /// conntrack_dump_states: the states in the kernel's bit order, whatever order was typed.
    static func ctstates(_ text: String) -> String {
        let given = Set(text.split(separator: ",").map { $0.uppercased() })
        return ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"].filter(given.contains).joined(separator: ",")
    }

    // MARK: iptables -L

    /// The match and target part of an `iptables -L` line (each extension's print()).
    var listDetails: String {
        var s = ""
        for m in matches {
            func opt(_ n: String) -> Option? { m.options.first { $0.name == n } }
            func bang(_ o: Option) -> String { o.inverted ? " !" : "" }
            switch m.name {
            case "comment": s += " /* \(opt("comment")?.values.first ?? "") */"
            case "tcp", "udp", "sctp":
                s += " \(m.name)"
                if let o = opt("sport") { s += " spt:" + (o.inverted ? "!" : "") + (o.values.first ?? "") }
                if let o = opt("dport") { s += " dpt:" + (o.inverted ? "!" : "") + (o.values.first ?? "") }
            case "statistic":
                if let p = opt("probability").flatMap({ Double($0.values.first ?? "") }) { s += " statistic mode random probability " + Self.probabilityText(p) }
            case "recent":
                s += " recent:"
                for (flag, text) in [("set", " SET"), ("rcheck", " CHECK"), ("update", " UPDATE"), ("remove", " REMOVE")] where opt(flag) != nil { s += text }
                if let seconds = opt("seconds") { s += " seconds: \(seconds.values.first ?? "")" }
                if opt("reap") != nil { s += " reap" }
                s += " name: \(opt("name")?.values.first ?? "DEFAULT")"
                s += opt("rdest") != nil ? " side: dest" : " side: source"
                s += " mask: \(opt("mask")?.values.first ?? "255.255.255.255")"
            case "mark":
                if let o = opt("mark") { s += " mark match" + bang(o) + " " + Self.markText(o.values.first ?? "") }
            case "conntrack":
                if let o = opt("ctstate") { s += bang(o) + " ctstate " + Self.ctstates(o.values.first ?? "") }
            case "addrtype":
                s += " ADDRTYPE match"
                for n in ["src-type", "dst-type"] { if let o = opt(n) { s += " \(n) " + (o.inverted ? "!" : "") + (o.values.first ?? "") } }
            case "nfacct":
                if let o = opt("nfacct-name") { s += " nfacct-name  \(o.values.first ?? "")" }
            default:
                s += " \(m.name)"
            }
        }
        guard let target else { return s }
        func opt(_ n: String) -> Option? { targetOptions.first { $0.name == n } }
        switch target {
        case "MARK":
            let (mark, mask) = Self.markTarget(targetOptions)
            let m = String(mark, radix: 16)
            if mark == 0 { s += " MARK and 0x\(String(~mask, radix: 16))" } else if mark == mask { s += " MARK or 0x\(m)" } else if mask == 0 { s += " MARK xor 0x\(m)" } else if mask == 0xFFFF_FFFF { s += " MARK set 0x\(m)" } else { s += " MARK xset 0x\(m)/0x\(String(mask, radix: 16))" }
        case "DNAT": s += " to:" + (opt("to-destination")?.values.first ?? "")
        case "SNAT": s += " to:" + (opt("to-source")?.values.first ?? "")
        case "MASQUERADE": if opt("random-fully") != nil { s += " random-fully" }
        case "REJECT": s += " reject-with " + (opt("reject-with")?.values.first ?? "icmp-port-unreachable")
        default: break
        }
        return s
    }

    /// The address as `-L -n` shows it: a /32 without its mask, nothing as 0.0.0.0/0.
    static func listAddress(_ cidr: String?) -> String {
        guard let cidr else { return "0.0.0.0/0" }
        return cidr.hasSuffix("/32") ? String(cidr.dropLast(3)) : cidr
    }

    /// The protocol column: with -n iptables 1.8.9 prints the number (0 for any).
    static func listProtocol(_ proto: String?, numeric: Bool) -> String {
        guard let proto else { return numeric ? "0" : "all" }
        guard numeric else { return proto }
        return ["tcp": "6", "udp": "17", "sctp": "132", "icmp": "1"][proto] ?? proto
    }
}

/// One netfilter table on a node: its built-in chains (with their ACCEPT policies) and the
/// chains others created, each with its rules in order.
public struct NetfilterTable: Sendable {
    public let name: String
    public let builtins: [String]
    public private(set) var userChains: [String] = []
    public private(set) var rules: [String: [NetfilterRule]] = [:]

    public init(name: String, builtins: [String]) {
        self.name = name; self.builtins = builtins
        for b in builtins { rules[b] = [] }
    }

    /// iptables -N (or EnsureChain): creates the chain when it is missing.
    public mutating func ensureChain(_ chain: String) {
        guard rules[chain] == nil else { return }
        rules[chain] = []; userChains.append(chain)
    }
    public mutating func append(_ rule: NetfilterRule) { ensureChain(rule.chain); rules[rule.chain]!.append(rule) }
    /// EnsureRule(Prepend, …): inserts at the top unless an identical rule is already there.
    public mutating func ensureFirst(_ rule: NetfilterRule) {
        ensureChain(rule.chain)
        if !rules[rule.chain]!.contains(rule) { rules[rule.chain]!.insert(rule, at: 0) }
    }
    public mutating func ensureLast(_ rule: NetfilterRule) {
        ensureChain(rule.chain)
        if !rules[rule.chain]!.contains(rule) { rules[rule.chain]!.append(rule) }
    }
    /// What iptables-restore --noflush does with a `:CHAIN - [0:0]` line: create or flush.
    public mutating func flush(_ chain: String) { ensureChain(chain); rules[chain] = [] }

    /// Built-in chains in the kernel's order, then the others by name (iptables sorts them).
    public var chainOrder: [String] { builtins + userChains.sorted() }

    /// How many rules jump to `chain` (the "(N references)" of `iptables -L`).
    public func references(_ chain: String) -> Int {
        rules.values.reduce(0) { $0 + $1.filter { $0.target == chain }.count }
    }

    /// This table as iptables-save prints it, between its "# Generated" and "# Completed" lines.
    public var saveText: String {
        var s = "*\(name)\n"
        for chain in chainOrder { s += builtins.contains(chain) ? ":\(chain) ACCEPT [0:0]\n" : ":\(chain) - [0:0]\n" }
        for chain in chainOrder { for rule in rules[chain] ?? [] { s += rule.saveText + "\n" } }
        return s + "COMMIT\n"
    }

    /// One chain as `iptables -L` prints it (xshared.c print_header and print_rule_details).
    public func listText(_ chain: String, numeric: Bool, verbose: Bool, lineNumbers: Bool) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var out = "Chain \(chain)"
        out += builtins.contains(chain) ? " (policy ACCEPT\(verbose ? " 0 packets, 0 bytes" : ""))\n" : " (\(references(chain)) references)\n"
        var header = lineNumbers ? pad("num", 4) + " " : ""
        if verbose { header += lpad("pkts", 5) + " " + lpad("bytes", 5) + " " }
        header += pad("target", 9) + " " + " prot " + "opt"
        if verbose { header += " " + pad("in", 6) + " " + pad("out", 6) + " " }
        header += " " + pad("source", 19) + " " + " " + pad("destination", 19) + " "
        out += header + "\n"
        for (n, rule) in (rules[chain] ?? []).enumerated() {
            var line = lineNumbers ? pad(String(n + 1), 4) + " " : ""
            if verbose { line += lpad("0", 5) + " " + lpad("0", 5) + " " }
            line += pad(rule.target ?? "", 9) + " " + " " + pad(NetfilterRule.listProtocol(rule.proto, numeric: numeric), 4) + " " + "-- "
            if verbose { line += " " + pad("*", 6) + " " + pad("*", 6) + " " }
            func address(_ a: String?) -> String {
                let text = NetfilterRule.listAddress(a)
                return !numeric && text == "0.0.0.0/0" ? "anywhere" : text
            }
            line += (rule.sourceInverted ? "!" : " ") + pad(address(rule.source), 19) + " "
            line += (rule.destinationInverted ? "!" : " ") + pad(address(rule.destination), 19) + " "
            line += rule.listDetails
            out += line + "\n"
        }
        return out
    }
}
