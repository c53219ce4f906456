import ClusterModel
import Foundation

/// A kubeconfig as kubectl reads it (clientcmd's v1 Config): clusters, users and contexts by
/// name, the current context. Relative file paths in it are relative to the file itself, as
/// clientcmd resolves them.
public struct Kubeconfig: Sendable {
    public struct ClusterEntry: Sendable {
        public var server = ""
        public var certificateAuthority: String?
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify = false
        public var tlsServerName: String?
        public var proxyURL: String?
    }
    public struct ExecConfig: Sendable, Equatable {
        public var command = ""
        public var args: [String] = []
        public var env: [(name: String, value: String)] = []
        public var apiVersion = ""
        public var provideClusterInfo = false
        /// The kubeconfig's folder: a command with a path separator is relative to it.
        public var directory = ""
        public static func == (a: ExecConfig, b: ExecConfig) -> Bool {
            a.command == b.command && a.args == b.args && a.apiVersion == b.apiVersion
                && a.env.map(\.name) == b.env.map(\.name) && a.env.map(\.value) == b.env.map(\.value)
        }
    }
    public struct UserEntry: Sendable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?
    }
    public struct ContextEntry: Sendable {
        public var cluster = ""
        public var user = ""
        public var namespace: String?
    }

    public var clusters: [String: ClusterEntry] = [:]
    public var users: [String: UserEntry] = [:]
    public var contexts: [String: ContextEntry] = [:]
    public var currentContext = ""
    /// The folder relative paths are resolved against.
    public var directory = ""

    /// What kubectl says when a kubeconfig cannot be used (its own words).
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    public static func load(path: String) throws(Problem) -> Kubeconfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem("error: stat \(path): no such file or directory")
        }
        var config = try parse(String(decoding: data, as: UTF8.self), path: path)
        config.directory = ((path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path)
            .components(separatedBy: "/").dropLast().joined(separator: "/")
        return config
    }

    public static func parse(_ text: String, path: String) throws(Problem) -> Kubeconfig {
        let root: Value
        do { root = try ValueLoader.documents(from: text).first ?? .object([]) } catch {
            throw Problem("error: error loading config file \"\(path)\": \(error.message)")
        }
        var config = Kubeconfig()
        config.currentContext = root["current-context"]?.stringValue ?? ""
        for entry in root["clusters"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue, let c = entry["cluster"] else { continue }
            var cluster = ClusterEntry()
            cluster.server = c["server"]?.stringValue ?? ""
            cluster.certificateAuthority = c["certificate-authority"]?.stringValue
            cluster.certificateAuthorityData = c["certificate-authority-data"]?.stringValue
            cluster.insecureSkipTLSVerify = c["insecure-skip-tls-verify"]?.boolValue ?? false
            cluster.tlsServerName = c["tls-server-name"]?.stringValue
            cluster.proxyURL = c["proxy-url"]?.stringValue
            config.clusters[name] = cluster
        }
        for entry in root["users"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue else { continue }
            let u = entry["user"]
            var user = UserEntry()
            user.token = u?["token"]?.stringValue
            user.tokenFile = u?["tokenFile"]?.stringValue
            user.clientCertificate = u?["client-certificate"]?.stringValue
            user.clientCertificateData = u?["client-certificate-data"]?.stringValue
            user.clientKey = u?["client-key"]?.stringValue
            user.clientKeyData = u?["client-key-data"]?.stringValue
            user.username = u?["username"]?.stringValue
            user.password = u?["password"]?.stringValue
            if let e = u?["exec"] {
                var exec = ExecConfig()
                exec.command = e["command"]?.stringValue ?? ""
                exec.args = (e["args"]?.arrayValue ?? []).compactMap(\.stringValue)
                exec.env = (e["env"]?.arrayValue ?? []).compactMap { v in
                    guard let n = v["name"]?.stringValue else { return nil }
                    return (n, v["value"]?.stringValue ?? "")
                }
                exec.apiVersion = e["apiVersion"]?.stringValue ?? ""
                exec.provideClusterInfo = e["provideClusterInfo"]?.boolValue ?? false
                user.exec = exec
            }
            config.users[name] = user
        }
        for entry in root["contexts"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue, let c = entry["context"] else { continue }
            config.contexts[name] = ContextEntry(cluster: c["cluster"]?.stringValue ?? "", user: c["user"]?.stringValue ?? "",
                                                 namespace: c["namespace"]?.stringValue)
        }
        return config
    }

    /// A path from the kubeconfig, made absolute against the file's folder.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory + "/" + path
    }

    /// The connection a context describes (`context` nil: the current context), as kubectl
    /// resolves it; kubectl's messages when it cannot.
    public func connection(context: String?) throws(Problem) -> Connection {
        let name = context ?? currentContext
        guard !name.isEmpty else {
            throw Problem("error: current-context is not set")
        }
        guard let ctx = contexts[name] else {
            throw Problem("error: context was not found for specified context: \(name)")
        }
        guard let cluster = clusters[ctx.cluster] else {
            throw Problem("error: cluster \"\(ctx.cluster)\" not found for context \"\(name)\"")
        }
        guard !cluster.server.isEmpty else {
            throw Problem("error: no server found for cluster \"\(ctx.cluster)\"")
        }
        let user = users[ctx.user] ?? UserEntry()
        var c = Connection(contextName: name, clusterName: ctx.cluster, server: cluster.server,
                           namespace: ctx.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
        c.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        c.tlsServerName = cluster.tlsServerName
        c.proxyURL = cluster.proxyURL
        do {
            if let data = cluster.certificateAuthorityData { c.caPEM = try Self.base64(data, field: "certificate-authority-data") }
            else if let file = cluster.certificateAuthority { c.caPEM = try Self.read(resolve(file)) }
            if let data = user.clientCertificateData { c.clientCertificatePEM = try Self.base64(data, field: "client-certificate-data") }
            else if let file = user.clientCertificate { c.clientCertificatePEM = try Self.read(resolve(file)) }
            if let data = user.clientKeyData { c.clientKeyPEM = try Self.base64(data, field: "client-key-data") }
            else if let file = user.clientKey { c.clientKeyPEM = try Self.read(resolve(file)) }
        }
        // clientcmd identifies the user only over TLS: kubectl sends no token, client
        // certificate or plugin credential to an http:// server (kubernetes/kubectl#744).
        guard cluster.server.lowercased().hasPrefix("https://") else {
            c.clientCertificatePEM = nil; c.clientKeyPEM = nil
            return c
        }
        if let token = user.token, !token.isEmpty { c.credentials = .token(token) }
        else if let file = user.tokenFile { c.credentials = .tokenFile(resolve(file)) }
        else if var exec = user.exec {
            exec.directory = directory
            c.credentials = .exec(exec)
        } else if let u = user.username, let p = user.password { c.credentials = .basic(u, p) }
        return c
    }

    static func base64(_ text: String, field: String) throws(Problem) -> String {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Problem("error: illegal base64 data in \(field)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func read(_ path: String) throws(Problem) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem("error: open \(path): no such file or directory")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Where to reach a cluster and who to say we are.
public struct Connection: Sendable {
    public enum Credentials: Sendable, Equatable {
        case none
        case token(String)
        /// Read again for every request, as client-go does (a rotated token takes effect).
        case tokenFile(String)
        case exec(Kubeconfig.ExecConfig)
        case basic(String, String)
    }
    public var contextName: String
    public var clusterName: String
    public var server: String
    public var namespace: String
    public var caPEM: String?
    public var clientCertificatePEM: String?
    public var clientKeyPEM: String?
    public var insecureSkipTLSVerify = false
    public var tlsServerName: String?
    public var proxyURL: String?
    public var credentials: Credentials = .none

    public init(contextName: String, clusterName: String, server: String, namespace: String) {
        self.contextName = contextName; self.clusterName = clusterName; self.server = server; self.namespace = namespace
    }
}
