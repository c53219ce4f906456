import AsyncHTTPClient
import ClusterModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// What went wrong talking to the API server, in kubectl's words.
public struct APIError: Error, Sendable, Equatable {
    public var message: String
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// The Status object's reason (`Unauthorized`, `Expired`, `NotFound`…), when it sent one.
    public var reason: String?
    public init(message: String, status: Int? = nil, reason: String? = nil) {
        self.message = message; self.status = status; self.reason = reason
    }
    /// 410 Gone (or a watch's ERROR with Expired): the resourceVersion is too old, list again.
    public var isGone: Bool { status == 410 || reason == "Expired" || reason == "Gone" }
}

/// A Kubernetes API client over AsyncHTTPClient: TLS from the kubeconfig (a CA, a client
/// certificate, or no verification), a bearer token from `TokenSource`, JSON in and out.
public final class APIClient: Sendable {
    public let connection: Connection
    private let http: HTTPClient
    private let tokens: TokenSource
    /// The URL prefix requests go to (scheme, host, port): the server, or the TLS server name
    /// with the server's host behind it (tls-server-name).
    private let base: String

    /// `tokens`: share one exec plugin's cached token between clients.
    init(_ connection: Connection, tokens shared: TokenSource?) throws(Kubeconfig.Problem) {
        self.connection = connection
        guard let url = URL(string: connection.server), let scheme = url.scheme, let host = url.host else {
            throw Kubeconfig.Problem("error: invalid server URL \"\(connection.server)\"")
        }
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.timeout = .init(connect: .seconds(5))
        // Every mirrored kind holds a watch open (one HTTP/1.1 connection each) while lists,
        // relists and writes need more: the default 8 per host starved them.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        if scheme == "https" {
            var tls = TLSConfiguration.makeClientConfiguration()
            do {
                if let ca = connection.caPEM { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8))) }
                if let cert = connection.clientCertificatePEM, let key = connection.clientKeyPEM {
                    tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(cert.utf8)).map { .certificate($0) }
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
                }
            } catch {
                throw Kubeconfig.Problem("error: unable to load the kubeconfig's certificates: \(error)")
            }
            if connection.insecureSkipTLSVerify { tls.certificateVerification = .none }
            configuration.tlsConfiguration = tls
        }
        if let proxy = connection.proxyURL, let p = URL(string: proxy), let ph = p.host {
            configuration.proxy = .server(host: ph, port: p.port ?? 3128)
        }
        var prefix = "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
        if let name = connection.tlsServerName, name != host {
            // Validate the certificate as `name` while connecting to the server's host.
            configuration.dnsOverride[name] = host
            prefix = "\(scheme)://\(name)\(url.port.map { ":\($0)" } ?? "")"
        }
        base = prefix + url.path.trimmingSuffix("/")
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        tokens = shared ?? TokenSource(connection.credentials, server: connection.server)
    }

    public convenience init(_ connection: Connection) throws(Kubeconfig.Problem) { try self.init(connection, tokens: nil) }

    /// A client with the same connection and token cache but a fresh connection pool (after a
    /// failure, the old pool's back-off for new connections delayed a restarted server's
    /// first watch by seconds).
    func fresh() -> APIClient { (try? APIClient(connection, tokens: tokens)) ?? self }

    public func shutdown() { try? http.syncShutdown() }

    /// GET a path and decode its JSON body.
    public func get(_ path: String) async throws(APIError) -> Value {
        let (status, body) = try await send("GET", path)
        guard status < 300 else { throw Self.failure(status: status, body: body) }
        return try Self.decode(body)
    }

    /// One request; the response body whole. A 401 from an exec plugin's cached token runs the
    /// plugin again once, as client-go does.
    public func send(_ method: String, _ path: String, body: String? = nil, contentType: String = "application/json") async throws(APIError) -> (Int, String) {
        for attempt in 0..<2 {
            let response = try await start(method, path, body: body, contentType: contentType, refreshToken: attempt > 0)
            do {
                let buffer = try await response.body.collect(upTo: 256 << 20)
                let text = String(buffer: buffer)
                if response.status.code == 401, attempt == 0, case .exec = connection.credentials { continue }
                return (Int(response.status.code), text)
            } catch {
                throw connectionFailure(error)
            }
        }
        throw APIError(message: "error: You must be logged in to the server (Unauthorized)", status: 401, reason: "Unauthorized")
    }

    /// One request from a thread that is not the concurrency pool's (the shell's, the lab's),
    /// waiting for the answer: the status and the body.
    public func sendBlocking(_ method: String, _ path: String, body: String? = nil,
                             contentType: String = "application/merge-patch+json") throws(APIError) -> (Int, String) {
        var headers = try headers(refreshToken: false)
        if body != nil { headers.add(name: "Content-Type", value: contentType) }
        do {
            let request = try HTTPClient.Request(url: base + path, method: HTTPMethod(rawValue: method), headers: headers, body: body.map { .string($0) })
            let response = try http.execute(request: request, deadline: .now() + .seconds(30)).wait()
            return (Int(response.status.code), response.body.map { String(buffer: $0) } ?? "")
        } catch {
            throw connectionFailure(error)
        }
    }

    /// A watch: each WatchEvent line as (type, object) until the server ends the stream.
    public func watch(_ path: String, _ onEvent: (String, Value) throws(APIError) -> Void) async throws(APIError) {
        let response = try await start("GET", path, body: nil, contentType: "application/json", refreshToken: false)
        guard response.status.code < 300 else {
            let text = (try? await response.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
            throw Self.failure(status: Int(response.status.code), body: text)
        }
        var pending: [UInt8] = []
        do {
            for try await chunk in response.body {
                pending.append(contentsOf: chunk.readableBytesView)
                // Every complete line of the chunk, then what is left kept once (not re-copied
                // per line: a replay of thousands of events can arrive in one chunk).
                var start = 0
                while let newline = pending[start...].firstIndex(of: 0x0A) {
                    let line = pending[start..<newline]
                    start = newline + 1
                    guard !line.isEmpty else { continue }
                    let event = try Self.decode(String(decoding: line, as: UTF8.self))
                    try onEvent(event["type"]?.stringValue ?? "", event["object"] ?? .null)
                }
                pending.removeFirst(start)
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw connectionFailure(error)
        }
    }

    private func start(_ method: String, _ path: String, body: String?, contentType: String, refreshToken: Bool) async throws(APIError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: base + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers = try headers(refreshToken: refreshToken)
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        do {
            return try await http.execute(request, timeout: .hours(24))
        } catch {
            throw connectionFailure(error)
        }
    }

    /// What every request says: JSON, who asks, and the credentials.
    private func headers(refreshToken: Bool) throws(APIError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "svclab/1.0 (\(Self.platform)) kubernetes/v1.33")
        if let auth = try tokens.authorization(refresh: refreshToken) { headers.add(name: "Authorization", value: auth) }
        return headers
    }

    static let platform = "linux/amd64"

    /// A transport failure as kubectl reports it.
    func connectionFailure(_ error: any Error) -> APIError {
        let hostPort = URL(string: connection.server).map { "\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")" } ?? connection.server
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("connect(descriptor") {
            return APIError(message: "The connection to the server \(hostPort) was refused - did you specify the right host or port?")
        }
        if text.contains("handshakeFailed") || text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            return APIError(message: "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority")
        }
        if text.contains("remoteConnectionClosed") || text.contains("ioOnClosedChannel") || text.contains("uncleanShutdown") {
            return APIError(message: "Unable to connect to the server: the connection to \(hostPort) was closed")
        }
        return APIError(message: "Unable to connect to the server: \(text)")
    }

    static func decode(_ text: String) throws(APIError) -> Value {
        do {
            guard let v = try ValueLoader.documents(from: text).first else { throw APIError(message: "error: empty response from the server") }
            return v
        } catch let e as APIError {
            throw e
        } catch {
            throw APIError(message: "error: the server's response is not JSON")
        }
    }

    /// A non-2xx answer: the Status object's message, as kubectl prints it.
    static func failure(status: Int, body: String) -> APIError {
        let s = try? decode(body)
        let reason = s?["reason"]?.stringValue
        let message = s?["message"]?.stringValue ?? body.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == 401 { return APIError(message: "error: You must be logged in to the server (Unauthorized)", status: 401, reason: "Unauthorized") }
        if status == 403 { return APIError(message: "Error from server (Forbidden): \(message)", status: 403, reason: reason ?? "Forbidden") }
        return APIError(message: "Error from server (\(reason ?? "InternalError")): \(message)", status: status, reason: reason)
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
