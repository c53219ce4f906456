import ClusterEngine
import ClusterModel
import Foundation

/// curl 8.13.0 (curlimages/curl, kubectl-output §9) over the simulated network.
struct CurlTool {
    let cluster: Cluster
    let pod: Pod
    let tty: Bool

    struct Options {
        var silent = false, showError = false, verbose = false, include = false, head = false, fail = false
        var maxTime: Double?
        var connectTimeout: Double?
        var output: String?
        var writeOut: String?
        var url: String?
    }

    static func parse(_ args: [String]) -> Result<Options, KubectlFailure> {
        var o = Options()
        var i = 0
        let valued: Set<Character> = ["m", "o", "w", "H", "X", "d", "A", "e", "u", "x", "r"]
        func value(_ name: String) -> String? {
            i += 1
            return i < args.count ? args[i] : nil
        }
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                let (flag, inline) = a.contains("=") ? (String(a[..<a.firstIndex(of: "=")!]), String(a[a.index(after: a.firstIndex(of: "=")!)...])) : (a, nil)
                switch flag {
                case "--silent": o.silent = true
                case "--show-error": o.showError = true
                case "--verbose": o.verbose = true
                case "--include": o.include = true
                case "--head": o.head = true
                case "--fail": o.fail = true
                case "--location", "--insecure", "--no-progress-meter", "--compressed", "--http1.1": break  // accepted; nothing to simulate
                case "--max-time": guard let v = inline ?? value(flag), let d = CurlNumber.seconds(v) else { return .failure(KubectlFailure("curl: option \(flag): expected a proper numerical parameter")) }; o.maxTime = d
                case "--connect-timeout": guard let v = inline ?? value(flag), let d = CurlNumber.seconds(v) else { return .failure(KubectlFailure("curl: option \(flag): expected a proper numerical parameter")) }; o.connectTimeout = d
                case "--output": o.output = inline ?? value(flag)
                case "--write-out": o.writeOut = inline ?? value(flag)
                case "--header", "--request", "--data", "--user-agent", "--retry", "--user", "--resolve": _ = inline ?? value(flag)
                case "--url": o.url = inline ?? value(flag)
                default: return .failure(KubectlFailure("curl: option \(flag): is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"))
                }
            } else if a.hasPrefix("-") && a.count > 1 {
                var chars = Array(a.dropFirst())
                while !chars.isEmpty {
                    let c = chars.removeFirst()
                    if valued.contains(c) {
                        let v = chars.isEmpty ? value("-\(c)") : String(chars)
                        chars = []
                        switch c {
                        case "m": guard let v, let d = CurlNumber.seconds(v) else { return .failure(KubectlFailure("curl: option -m: expected a proper numerical parameter")) }; o.maxTime = d
                        case "o": o.output = v
                        case "w": o.writeOut = v
                        default: break
                        }
                        continue
                    }
                    switch c {
                    case "s": o.silent = true
                    case "S": o.showError = true
                    case "v": o.verbose = true
                    case "i": o.include = true
                    case "I": o.head = true
                    case "f": o.fail = true
                    case "L", "k", "4": break
                    default: return .failure(KubectlFailure("curl: option -\(c): is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"))
                    }
                }
            } else if o.url == nil {
                o.url = a
            }
            i += 1
        }
        return .success(o)
    }

    func run(_ args: [String]) -> ProcessResult {
        var out = ProcessResult()
        let o: Options
        switch Self.parse(args) {
        case let .failure(f): return ProcessResult(stderr: f.message + "\n", exitCode: 2)
        case let .success(parsed): o = parsed
        }
        guard let url = o.url else {
            return ProcessResult(stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2)
        }
        guard let target = RequestTarget.parse(url) else {
            return ProcessResult(stderr: o.silent && !o.showError ? "" : "curl: (3) URL rejected: Bad hostname\n", exitCode: 3)
        }
        let limit = [o.connectTimeout, o.maxTime].compactMap { $0 }.min().map { Millis(clamping: Int64(min($0, 9e15) * 1000)) }
        let result = cluster.request(from: pod, url: target, connectTimeout: limit.map { $0 + 1 })
        let showErrors = !o.silent || o.showError
        let meter = !o.silent && !tty && !o.verbose
        var bodyBytes = 0

        if o.verbose { out.stderr += verboseConnect(result, target) }
        func fail(_ code: Int32, _ message: String) -> ProcessResult {
            if meter { out.stderr += Self.meterHeader + Self.meterLine(total: 0, received: 0, elapsed: result.elapsed, done: false) + "\n" }
            if o.verbose { out.stderr += "* closing connection #0\n" }
            if showErrors { out.stderr += "curl: (\(code)) \(message)\n" }
            if let w = o.writeOut { out.stdout += writeOut(w, result: result, status: 0) }
            out.exitCode = code
            return out
        }
        let ms = result.elapsed
        switch result.outcome {
        case .unresolved:
            return fail(6, "Could not resolve host: \(target.host)")
        case .refused:
            return fail(7, "Failed to connect to \(target.host) port \(target.port) after \(max(ms, 1)) ms: Could not connect to server")
        case .timedOut:
            if o.maxTime != nil && (o.connectTimeout == nil || o.maxTime! <= o.connectTimeout!) {
                return fail(28, "Connection timed out after \(ms) milliseconds")
            }
            return fail(28, "Failed to connect to \(target.host) port \(target.port) after \(ms) ms: Timeout was reached")
        case .emptyReply:
            return fail(52, "Empty reply from server")
        case let .reply(reply, _):
            if o.fail && reply.status >= 400 {
                return fail(22, "The requested URL returned error: \(reply.status)")
            }
            var shown = ""
            let statusLine = "HTTP/1.1 \(reply.status) \(reply.reason)\r\n"
            let headerBlock = statusLine + reply.headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n"
            if o.verbose {
                out.stderr += "< " + statusLine + reply.headers.map { "< \($0.0): \($0.1)\r\n" }.joined() + "< \r\n"
            }
            if o.head { shown = headerBlock } else {
                if o.include { shown += headerBlock }
                shown += reply.body
                bodyBytes = reply.body.utf8.count
            }
            // The meter is on stderr; in kubectl's output it usually lands before the body.
            if meter {
                out.stderr += Self.meterHeader + Self.meterLine(total: bodyBytes, received: bodyBytes, elapsed: max(ms, 1), done: true) + "\n"
            }
            if let file = o.output, file != "-" {
                _ = file // written to a file the lab does not keep (often /dev/null)
            } else {
                out.stdout += shown
            }
            if o.verbose { out.stderr += "* Connection #0 to host \(target.host) left intact\n" }
            if let w = o.writeOut { out.stdout += writeOut(w, result: result, status: reply.status) }
            return out
        }
    }

    private func verboseConnect(_ r: RequestResult, _ target: RequestTarget) -> String {
        var s = ""
        if IPv4.parse(target.host) == nil {
            guard let ip = r.connectIP else { return "* Could not resolve host: \(target.host)\n" }
            s += "* Host \(target.host):\(target.port) was resolved.\n* IPv6: (none)\n* IPv4: \(r.resolution?.addresses.joined(separator: ", ") ?? ip)\n"
        }
        let ip = r.connectIP ?? target.host
        s += "*   Trying \(ip):\(target.port)...\n"
        switch r.outcome {
        case .refused:
            s += "* connect to \(ip) port \(target.port) from \(r.clientIP) port \(r.clientPort) failed: Connection refused\n"
            s += "* Failed to connect to \(target.host) port \(target.port) after \(max(r.elapsed, 1)) ms: Could not connect to server\n"
        case .timedOut:
            s += "* ipv4 connect timeout after \(max(r.elapsed - 1, 0))ms, move on!\n"
            s += "* Failed to connect to \(target.host) port \(target.port) after \(r.elapsed) ms: Timeout was reached\n"
        case .unresolved:
            break
        case .reply, .emptyReply:
            s += "* Connected to \(target.host) (\(ip)) port \(target.port)\n* using HTTP/1.x\n"
            let host = target.explicitPort ? "\(target.host):\(target.port)" : target.host
            s += "> GET \(target.path) HTTP/1.1\r\n> Host: \(host)\r\n> User-Agent: curl/8.13.0\r\n> Accept: */*\r\n> \r\n* Request completely sent off\n"
        }
        return s
    }

    private func writeOut(_ format: String, result: RequestResult, status: Int) -> String {
        var s = format
        let replacements: [(String, String)] = [
            ("%{http_code}", String(format: "%03d", status)), ("%{response_code}", String(format: "%03d", status)),
            ("%{remote_ip}", result.connectIP ?? ""), ("%{remote_port}", result.connectIP == nil ? "0" : "\(result.target.port)"),
            ("%{time_total}", String(format: "%.6f", Double(result.elapsed) / 1000)),
            ("%{size_download}", { if case let .reply(r, _) = result.outcome { return "\(r.body.utf8.count)" }; return "0" }()),
            ("%{url_effective}", "\(result.target.scheme)://\(result.target.host)\(result.target.explicitPort ? ":\(result.target.port)" : "")\(result.target.path)"),
            ("\\n", "\n"), ("\\t", "\t"),
        ]
        for (k, v) in replacements { s = s.replacingOccurrences(of: k, with: v) }
        return s
    }

    static let meterHeader = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n"

    /// The meter's last line (curl ≤ 8.16 layout).
    static func meterLine(total: Int, received: Int, elapsed: Millis, done: Bool) -> String {
        func size(_ n: Int) -> String {
            if n < 100_000 { return String(format: "%5d", n) }
            if n < 10_000 * 1024 { return String(format: "%4dk", n / 1024) }
            return String(format: "%4dM", n / (1024 * 1024))
        }
        let pct = done && total > 0 ? 100 : 0
        let speed = done && elapsed > 0 ? Int(Double(received) * 1000 / Double(elapsed)) : 0
        return String(format: "%3d", pct) + " " + size(total) + "  " + String(format: "%3d", pct) + " " + size(received)
            + "    0     0  " + size(speed) + "      0 --:--:-- --:--:-- --:--:-- " + size(speed)
    }
}

/// busybox 1.36 wget (kubectl-output §10.2).
struct WgetTool {
    let cluster: Cluster
    let pod: Pod

    func run(_ args: [String]) -> ProcessResult {
        var quiet = false, toStdout = false, timeout: Double?
        var url: String?
        var i = 0
        while i < args.count {
            let a = args[i]
            var timeoutText: String?
            if a == "-O" || a == "-T" { i += 1; if a == "-O" { toStdout = args.indices.contains(i) && args[i] == "-" } else { timeoutText = args.indices.contains(i) ? args[i] : "" } }
            else if a.hasPrefix("-") {
                for c in a.dropFirst() { if c == "q" { quiet = true } }
                if a.hasSuffix("O-") { toStdout = true }
                if a.hasPrefix("-T"), a.count > 2 { timeoutText = String(a.dropFirst(2)) }
            } else { url = a }
            if let timeoutText {
                // BusyBox's xatou_range: a whole number of seconds.
                guard let t = UInt32(timeoutText) else { return ProcessResult(stderr: "wget: invalid number '\(timeoutText)'\n", exitCode: 1) }
                timeout = Double(t)
            }
            i += 1
        }
        guard let url, let target = RequestTarget.parse(url) else {
            return ProcessResult(stderr: "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n", exitCode: 1)
        }
        let result = cluster.request(from: pod, url: target, connectTimeout: timeout.map { Millis(clamping: Int64($0 * 1000)) })
        var out = ProcessResult()
        let ip = result.connectIP ?? target.host
        if !quiet, result.connectIP != nil { out.stderr += "Connecting to \(target.host) (\(ip):\(target.port))\n" }
        switch result.outcome {
        case .unresolved:
            out.stderr += "wget: bad address '\(target.host)'\n"; out.exitCode = 1
        case .refused:
            out.stderr += "wget: can't connect to remote host (\(ip)): Connection refused\n"; out.exitCode = 1
        case .timedOut:
            out.stderr += timeout != nil ? "wget: download timed out\n" : "wget: can't connect to remote host (\(ip)): Connection timed out\n"; out.exitCode = 1
        case .emptyReply:
            out.stderr += "wget: error getting response: Connection reset by peer\n"; out.exitCode = 1
        case let .reply(reply, _):
            guard reply.status < 400 else {
                out.stderr += "wget: server returned error: HTTP/1.1 \(reply.status) \(reply.reason)\n"; out.exitCode = 1
                return out
            }
            if toStdout {
                if !quiet { out.stderr += "writing to stdout\n" }
                out.stdout += reply.body
                if !quiet {
                    out.stderr += "-                    100% |********************************| \(String(format: "%5d", reply.body.utf8.count))  0:00:00 ETA\nwritten to stdout\n"
                }
            } else if !quiet {
                out.stderr += "saving to 'index.html'\nindex.html           100% |********************************| \(String(format: "%5d", reply.body.utf8.count))  0:00:00 ETA\n'index.html' saved\n"
            }
        }
        return out
    }
}

/// nslookup as bind9 (dnsutils images) or busybox 1.36 prints it (kubectl-output §10.1, §10.3).
struct NslookupTool {
    let cluster: Cluster
    let pod: Pod
    let flavour: Toolbox.Resolver

    func run(_ args: [String]) -> ProcessResult {
        guard let name = args.first(where: { !$0.hasPrefix("-") }) else {
            return ProcessResult(stderr: "nslookup: interactive mode is not modelled; give a name\n", exitCode: 1)
        }
        let server = Cluster.dnsServiceIP
        var out = ProcessResult()
        switch flavour {
        case .bind:
            out.stdout = "Server:\t\t\(server)\nAddress:\t\(server)#53\n\n"
            let resolution = cluster.resolve(name, namespace: pod.metadata.namespace)
            guard let answered = resolution.answered else {
                let shown = name.hasSuffix(".") ? String(name.dropLast()) : name
                out.stdout += "** server can't find \(shown): NXDOMAIN\n\n"
                out.exitCode = 1
                return out
            }
            if !answered.answer.authoritative { out.stdout += "Non-authoritative answer:\n" }
            for (owner, target) in resolution.cnames { out.stdout += "\(owner)\tcanonical name = \(target).\n" }
            let owner = resolution.cnames.last?.1 ?? answered.name
            for ip in resolution.addresses { out.stdout += "Name:\t\(owner)\nAddress: \(ip)\n" }
            out.stdout += "\n"
        case .busybox:
            out.stdout = "Server:\t\t\(server)\nAddress:\t\(server):53\n\n"
            // A name without a dot goes through every search domain (never bare); one with a dot as is.
            let names = name.contains(".") ? [name.hasSuffix(".") ? String(name.dropLast()) : name]
                : cluster.searchDomains(namespace: pod.metadata.namespace).map { "\(name).\($0)" }
            for n in names {
                for type in [DNSQueryType.a, .aaaa] {
                    let answer = cluster.dnsQuery(n, type)
                    if answer.code != .noError {
                        out.stdout += "** server can't find \(n): \(answer.code.rawValue)\n\n"
                        out.exitCode = 1
                        continue
                    }
                    if answer.records.isEmpty { out.stdout += "\n"; continue }
                    if !answer.authoritative { out.stdout += "Non-authoritative answer:\n" }
                    for r in answer.records {
                        switch r {
                        case let .a(owner, ip): out.stdout += "Name:\t\(owner)\nAddress: \(ip)\n"
                        case let .cname(owner, target): out.stdout += "\(owner)\tcanonical name = \(target)\n"
                        case .srv: break
                        }
                    }
                    out.stdout += "\n"
                }
            }
        }
        return out
    }
}

/// `dig +short [+search] NAME [A|SRV]` (kubectl-output §10.4).
struct DigTool {
    let cluster: Cluster
    let pod: Pod

    func run(_ args: [String]) -> ProcessResult {
        let search = args.contains("+search")
        let short = args.contains("+short")
        var words = args.filter { !$0.hasPrefix("+") && !$0.hasPrefix("@") && !$0.hasPrefix("-") }
        // The type may come before or after the name (`dig SRV name`, `dig name SRV`).
        var type = DNSQueryType.a
        if let i = words.firstIndex(where: { DNSQueryType(rawValue: $0.uppercased()) != nil }) {
            type = DNSQueryType(rawValue: words[i].uppercased())!
            words.remove(at: i)
        }
        guard let name = words.first else { return ProcessResult(stdout: "", exitCode: 0) }
        var answer: DNSAnswer
        var owner = name
        if search && !name.hasSuffix(".") && type == .a {
            let r = cluster.resolve(name, namespace: pod.metadata.namespace)
            answer = r.answered?.answer ?? DNSAnswer(code: .nxDomain, records: [], authoritative: true)
            owner = r.answered?.name ?? name
            if !r.cnames.isEmpty { answer.records += r.addresses.map { .a(name: r.cnames.last!.1, ip: $0) } }
        } else {
            answer = cluster.dnsQuery(name, type)
            if case let .cname(_, target)? = answer.records.first { answer.records += cluster.dnsQuery(target, .a).records }
        }
        func text(_ r: DNSRecord) -> String {
            switch r {
            case let .a(_, ip): return ip
            case let .cname(_, target): return target + "."
            case let .srv(_, p, w, port, target): return "\(p) \(w) \(port) \(target)."
            }
        }
        if short { return ProcessResult(stdout: answer.records.map { text($0) + "\n" }.joined()) }
        // The full dig layout is long; the answer section is what matters here.
        var s = "\n; <<>> DiG 9.18.33 <<>> \(args.joined(separator: " "))\n;; global options: +cmd\n;; Got answer:\n"
        s += ";; ->>HEADER<<- opcode: QUERY, status: \(answer.code.rawValue), id: 1\n\n;; QUESTION SECTION:\n;\(owner).\t\t\tIN\t\(type.rawValue)\n"
        if !answer.records.isEmpty {
            s += "\n;; ANSWER SECTION:\n"
            for r in answer.records {
                switch r {
                case let .a(n, ip): s += "\(n).\t30\tIN\tA\t\(ip)\n"
                case let .cname(n, t): s += "\(n).\t30\tIN\tCNAME\t\(t).\n"
                case let .srv(n, p, w, port, t): s += "\(n).\t30\tIN\tSRV\t\(p) \(w) \(port) \(t).\n"
                }
            }
        }
        s += "\n;; SERVER: \(Cluster.dnsServiceIP)#53(\(Cluster.dnsServiceIP)) (UDP)\n\n"
        return ProcessResult(stdout: s)
    }
}

/// curl's `secs2ms`: a timeout is digits with an optional fraction ("2", "0.5"); no sign, no
/// exponent, no inf/nan, at most LONG_MAX/1000 - 1 seconds — anything else is "expected a
/// proper numerical parameter".
enum CurlNumber {
    static func seconds(_ text: String) -> Double? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
              parts.count == 1 || parts[1].allSatisfy(\.isASCIIDigit),
              let secs = Int64(whole), secs <= Int64.max / 1000 - 1 else { return nil }
        let fraction = parts.count == 2 ? Double("0." + parts[1].prefix(9)) ?? 0 : 0
        return Double(secs) + fraction
    }
}
