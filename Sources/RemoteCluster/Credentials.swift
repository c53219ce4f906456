import ClusterModel
import Foundation

/// The bearer token for each request, as client-go finds it: a token from the kubeconfig, a
/// token file read again every time (a rotated token takes effect), or an exec credential
/// plugin (client.authentication.k8s.io ExecCredential) run when no unexpired token is cached
/// and again after a 401.
final class TokenSource: @unchecked Sendable {
    private let credentials: Connection.Credentials
    private let server: String
    private let lock = NSLock()
    private var cached: (token: String, expires: Date?)?

    init(_ credentials: Connection.Credentials, server: String) {
        self.credentials = credentials
        self.server = server
    }

    /// The Authorization header's value, or nil for none. `refresh` drops a cached exec token.
    func authorization(refresh: Bool = false) throws(APIError) -> String? {
        switch credentials {
        case .none: return nil
        case let .token(t): return "Bearer " + t
        case let .tokenFile(path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw APIError(message: "Unable to connect to the server: open \(path): no such file or directory")
            }
            return "Bearer " + String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        case let .basic(user, password):
            return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case let .exec(config):
            lock.lock(); defer { lock.unlock() }
            if !refresh, let c = cached, c.expires.map({ $0 > Date() }) ?? true { return "Bearer " + c.token }
            let (token, expires) = try Self.run(config)
            cached = (token, expires)
            return "Bearer " + token
        }
    }

    /// Runs the plugin as client-go's exec authenticator does: its env added to ours,
    /// KUBERNETES_EXEC_INFO describing the request, the ExecCredential read from stdout.
    static func run(_ config: Kubeconfig.ExecConfig) throws(APIError) -> (String, Date?) {
        let prefix = "Unable to connect to the server: getting credentials: "
        let apiVersion = config.apiVersion.isEmpty ? "client.authentication.k8s.io/v1" : config.apiVersion
        guard ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"].contains(apiVersion) else {
            throw APIError(message: prefix + "exec plugin: invalid apiVersion \"\(apiVersion)\"")
        }
        guard let path = executable(config.command, relativeTo: config.directory) else {
            throw APIError(message: prefix + "exec: executable \(config.command) not found")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = config.args
        var env = ProcessInfo.processInfo.environment
        for e in config.env { env[e.name] = e.value }
        env["KUBERNETES_EXEC_INFO"] = #"{"kind":"ExecCredential","apiVersion":"\#(apiVersion)","spec":{"interactive":false}}"#
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw APIError(message: prefix + "exec: fork/exec \(path): \(error.localizedDescription)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw APIError(message: prefix + "exec: executable \(config.command) failed with exit code \(process.terminationStatus)")
        }
        guard let credential = try? ValueLoader.documents(from: String(decoding: data, as: UTF8.self)).first,
              credential["kind"]?.stringValue == "ExecCredential" else {
            throw APIError(message: prefix + "decoding stdout: couldn't get version/kind; json parse error")
        }
        guard let token = credential["status"]?["token"]?.stringValue, !token.isEmpty else {
            throw APIError(message: prefix + "exec plugin didn't return a token or cert/key pair")
        }
        let expires = credential["status"]?["expirationTimestamp"]?.stringValue.flatMap(Timestamps.parse)
            .map { Date(timeIntervalSince1970: Double($0) / 1000) }
        return (token, expires)
    }

    /// The command itself when it names a path (relative to the kubeconfig's folder, as
    /// clientcmd resolves it), else the first match on PATH (exec.LookPath).
    static func executable(_ command: String, relativeTo directory: String) -> String? {
        let fm = FileManager.default
        if command.contains("/") {
            let path = command.hasPrefix("/") || directory.isEmpty ? command : directory + "/" + command
            return fm.isExecutableFile(atPath: path) ? path : nil
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(command)"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
