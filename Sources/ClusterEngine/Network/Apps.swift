import ClusterModel

/// What the simulated containers do on the network: an image catalogue where well-known
/// images behave like the real ones, and every other image serves a small page on its
/// declared ports (named after the pod's app label, like the seed's "Hello from my-app!").
public struct HTTPReply: Equatable, Sendable {
    public var status: Int
    public var reason: String
    /// In the order the server sends them (Content-Length last but one, like nginx).
    public var headers: [(String, String)]
    public var body: String

    public static func == (a: HTTPReply, b: HTTPReply) -> Bool {
        a.status == b.status && a.reason == b.reason && a.body == b.body && a.headers.map { "\($0.0):\($0.1)" } == b.headers.map { "\($0.0):\($0.1)" }
    }
}

/// How a container answers a connection on a port.
public enum AppAnswer: Equatable, Sendable {
    case http(HTTPReply)
    /// Accepts, reads the request, closes without a reply (redis, postgres speaking their own protocol).
    case closes
}

/// One container's network behaviour, derived from its image, command and args.
public struct AppProfile: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case nginx(version: String), httpd, httpEcho(text: String), whoami, agnhostNetexec, coredns, nonHTTP, client, generic
        /// etcd, the API server, controller-manager, scheduler, kube-proxy: health endpoints only.
        case controlPlane
    }
    public var kind: Kind
    public var ports: [Int]

    /// `registry/name:tag` → (`name` with its namespace path, `tag`).
    public static func split(_ image: String) -> (repo: String, tag: String) {
        var name = image
        var tag = "latest"
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") { tag = String(name[name.index(after: colon)...]); name = String(name[..<colon]) }
        var parts = name.split(separator: "/").map(String.init)
        // A first component with a dot or colon is a registry host.
        if parts.count > 1, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" { parts.removeFirst() }
        if parts.first == "library" { parts.removeFirst() }
        return (parts.joined(separator: "/"), tag)
    }

    static func flagValue(_ args: [String], _ names: [String]) -> String? {
        for (i, a) in args.enumerated() {
            for n in names {
                if a.hasPrefix(n + "=") { return String(a.dropFirst(n.count + 1)) }
                if a == n, i + 1 < args.count { return args[i + 1] }
            }
        }
        return nil
    }

    public init(container c: Container) {
        let (repo, tag) = Self.split(c.image)
        let base = repo.split(separator: "/").last.map(String.init) ?? repo
        let args = (c.command ?? []) + (c.args ?? [])
        let declared = c.ports.filter { $0.proto == .tcp }.map(\.containerPort)
        switch base {
        case "nginx", "nginx-unprivileged":
            let version = tag.first?.isNumber == true ? (tag.split(separator: ".").count >= 3 ? tag : "\(tag).\(tag == "1.27" ? "5" : "0")") : "1.29.1"
            kind = .nginx(version: version.split(separator: "-").first.map(String.init) ?? version)
            ports = base == "nginx" ? [80] : [8080]
        case "httpd":
            kind = .httpd; ports = [80]
        case "http-echo":
            kind = .httpEcho(text: Self.flagValue(args, ["-text", "--text"]) ?? "hello-world")
            let listen = Self.flagValue(args, ["-listen", "--listen"]).flatMap { Int($0.split(separator: ":").last ?? "") }
            ports = [listen ?? 5678]
        case "whoami":
            kind = .whoami; ports = [Self.flagValue(args, ["--port", "-port"]).flatMap(Int.init) ?? 80]
        case "agnhost" where args.contains("netexec"):
            kind = .agnhostNetexec; ports = [Self.flagValue(args, ["--http-port"]).flatMap(Int.init) ?? 8080]
        case "coredns":
            // DNS on 53; health on 8080, readiness on 8181, metrics on 9153.
            kind = .coredns; ports = [53, 8080, 8181, 9153]
        case "etcd":
            kind = .controlPlane; ports = [2379, 2380, 2381]
        case "kube-apiserver":
            kind = .controlPlane; ports = [6443]
        case "kube-controller-manager":
            kind = .controlPlane; ports = [10257]
        case "kube-scheduler":
            kind = .controlPlane; ports = [10259]
        case "kube-proxy":
            // Metrics on 10249 and the health check kube-proxy serves on 10256.
            kind = .controlPlane; ports = [10249, 10256]
        case "kindnetd", "local-path-provisioner":
            kind = .client; ports = []
        case "redis", "valkey":
            kind = .nonHTTP; ports = [6379]
        case "postgres":
            kind = .nonHTTP; ports = [5432]
        case "mysql", "mariadb":
            kind = .nonHTTP; ports = [3306]
        case "curl", "busybox", "alpine", "ubuntu", "debian", "jessie-dnsutils", "dnsutils", "netshoot", "pause":
            kind = .client; ports = []
        default:
            // Unknown images listen where they say they do.
            kind = .generic; ports = declared
        }
    }

    public func listens(on port: Int) -> Bool { ports.contains(port) }

    /// The answer to `GET path` on `port` from `clientIP`, served by `pod`.
    public func answer(path: String, host: String, pod: Pod, clientIP: String, clientPort: Int, date: String, healthy: Bool) -> AppAnswer {
        switch kind {
        case .nonHTTP, .client: return .closes
        case .controlPlane:
            let ok = ["/livez", "/readyz", "/healthz", "/health"].contains(path.split(separator: "?").first.map(String.init) ?? path)
            let body = ok ? "ok" : "404 page not found\n"
            return .http(HTTPReply(status: ok ? 200 : 404, reason: ok ? "OK" : "Not Found", headers: [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff"), ("Date", date), ("Content-Length", "\(body.utf8.count)")], body: body))
        case .coredns:
            let ok = path == "/ready" || path == "/health" || path == "/metrics"
            let body = ok ? "OK" : "404 page not found\n"
            return .http(HTTPReply(status: ok ? 200 : 404, reason: ok ? "OK" : "Not Found", headers: [("Date", date), ("Content-Length", "\(body.utf8.count)"), ("Content-Type", "text/plain; charset=utf-8")], body: body))
        case let .nginx(version):
            guard path == "/" || path == "/index.html" else {
                let body = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/\(version)</center>\r\n</body>\r\n</html>\r\n"
                return .http(HTTPReply(status: 404, reason: "Not Found", headers: [("Server", "nginx/\(version)"), ("Date", date), ("Content-Type", "text/html"), ("Content-Length", "\(body.utf8.count)"), ("Connection", "keep-alive")], body: body))
            }
            return .http(HTTPReply(status: 200, reason: "OK", headers: [
                ("Server", "nginx/\(version)"), ("Date", date), ("Content-Type", "text/html"), ("Content-Length", "\(Self.nginxPage.utf8.count)"),
                ("Last-Modified", "Wed, 16 Apr 2025 12:01:11 GMT"), ("Connection", "keep-alive"), ("ETag", "\"67ff9c07-267\""), ("Accept-Ranges", "bytes"),
            ], body: Self.nginxPage))
        case .httpd:
            let body = "<html><body><h1>It works!</h1></body></html>\n"
            return .http(HTTPReply(status: 200, reason: "OK", headers: [("Date", date), ("Server", "Apache/2.4.63 (Unix)"), ("Last-Modified", "Mon, 11 Jun 2007 18:53:14 GMT"), ("ETag", "\"2d-432a5e4a73a80\""), ("Accept-Ranges", "bytes"), ("Content-Length", "\(body.utf8.count)"), ("Content-Type", "text/html")], body: body))
        case let .httpEcho(text):
            let body = text + "\n"
            return .http(HTTPReply(status: 200, reason: "OK", headers: [("X-App-Name", "http-echo"), ("X-App-Version", "1.0.0"), ("Date", date), ("Content-Length", "\(body.utf8.count)"), ("Content-Type", "text/plain; charset=utf-8")], body: body))
        case .whoami:
            let body = "Hostname: \(pod.metadata.name)\nIP: 127.0.0.1\nIP: \(pod.status.podIP)\nRemoteAddr: \(clientIP):\(clientPort)\nGET \(path) HTTP/1.1\nHost: \(host)\nUser-Agent: curl/8.13.0\nAccept: */*\n\n"
            return .http(HTTPReply(status: 200, reason: "OK", headers: [("Date", date), ("Content-Length", "\(body.utf8.count)"), ("Content-Type", "text/plain; charset=utf-8")], body: body))
        case .agnhostNetexec:
            let body: String
            switch path {
            case "/hostname": body = pod.metadata.name
            case "/clientip": body = "\(clientIP):\(clientPort)"
            default: body = "NOW: \(date)"
            }
            return .http(HTTPReply(status: 200, reason: "OK", headers: [("Date", date), ("Content-Length", "\(body.utf8.count)"), ("Content-Type", "text/plain; charset=utf-8")], body: body))
        case .generic:
            if path == "/healthz" || path == "/readyz" {
                let body = healthy ? "ok\n" : "not ready\n"
                return .http(HTTPReply(status: healthy ? 200 : 503, reason: healthy ? "OK" : "Service Unavailable", headers: [("Content-Type", "text/plain"), ("Date", date), ("Content-Length", "\(body.utf8.count)")], body: body))
            }
            let app = pod.metadata.labels["app.kubernetes.io/name"] ?? pod.metadata.labels["app"] ?? pod.metadata.name
            let body = "<!DOCTYPE html>\n<html>\n<body>Hello from \(app)!</body>\n</html>\n"
            return .http(HTTPReply(status: 200, reason: "OK", headers: [
                ("Content-Type", "text/html"), ("Date", date), ("Content-Length", "\(body.utf8.count)"), ("X-Served-By", pod.metadata.name),
            ], body: body))
        }
    }

    /// nginx's default index.html (615 bytes).
    static let nginxPage = """
    <!DOCTYPE html>
    <html>
    <head>
    <title>Welcome to nginx!</title>
    <style>
    html { color-scheme: light dark; }
    body { width: 35em; margin: 0 auto;
    font-family: Tahoma, Verdana, Arial, sans-serif; }
    </style>
    </head>
    <body>
    <h1>Welcome to nginx!</h1>
    <p>If you see this page, the nginx web server is successfully installed and
    working. Further configuration is required.</p>

    <p>For online documentation and support please refer to
    <a href="http://nginx.org/">nginx.org</a>.<br/>
    Commercial support is available at
    <a href="http://nginx.com/">nginx.com</a>.</p>

    <p><em>Thank you for using nginx.</em></p>
    </body>
    </html>

    """
}
