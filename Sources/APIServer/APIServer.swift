import ClusterEngine
import ClusterModel
import Foundation
import Hummingbird
import Logging
import HTTPTypes
import Kubectl
import NIOCore
import ServiceLifecycle
import NIOSSL
import HummingbirdTLS
import HummingbirdCore
import HummingbirdWebSocket

/// `svclab serve`: Hummingbird 2 over `ClusterHost`. Every request becomes an `APIRequest`,
/// is answered by `APIHandler` inside the host actor (so the engine sees one request at a
/// time), and goes back as JSON. The clock runs at wall time × speed, driven by a loop here
/// from the injected wall clock.
public enum APIServer {
    public struct Options: Sendable {
        public var address: String
        public var port: Int
        public var speed: Double
        /// Serve HTTPS with these (nil: plain HTTP).
        public var tls: ServingCertificates?
        /// Require `Authorization: Bearer TOKEN` (nil: no authentication).
        public var token: String?
        /// How often a watch that allows bookmarks gets one (the API server: about a minute).
        public var bookmarkSeconds: Double = 60
        public init(address: String, port: Int, speed: Double, tls: ServingCertificates? = nil, token: String? = nil) {
            self.address = address; self.port = port; self.speed = speed; self.tls = tls; self.token = token
        }
    }

    /// Serves until SIGINT or SIGTERM. `onListening` gets the port (useful with port 0).
    public static func run(session: sending Session, options: Options, wallClock: @escaping @Sendable () -> Double,
                           onListening: @escaping @Sendable (Int) -> Void) async throws {
        let host = ClusterHost(session: session, speed: options.speed)
        let clock = Task {
            while !Task.isCancelled {
                await host.tick(wallSeconds: wallClock())
                try? await Task.sleep(nanoseconds: 100_000_000)
            }
        }
        defer { clock.cancel() }
        try await serve(engine: host, options: options, onListening: onListening)
    }

    /// The HTTP side alone: every request becomes one job on `engine` (the host actor, or the
    /// lab's loop with `svclab --serve`), which owns the clock.
    /// `handleSignals`: stop on SIGINT/SIGTERM (the lab handles its own signals and cancels).
    public static func serve(engine: some EngineAccess, options: Options, handleSignals: Bool = true,
                             onListening: @escaping @Sendable (Int) -> Void) async throws {
        let address = "\(options.address):\(options.port)"
        let token = options.token
        // Every change from now on, for watches that start from a list's resourceVersion.
        let history = await engine.run { session in
            let h = ChangeHistory(horizon: session.cluster.resourceVersion)
            _ = session.cluster.watch { h.append($0) }
            return SendableBox(h)
        }
        let encodings = SendableBox(EncodedObjects())
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            // As the API server answers a request without valid credentials (health checks too:
            // kind's API server does not allow anonymous requests either).
            if let token, request.headers[.authorization] != "Bearer \(token)" {
                let status = APIHandler.status(401, "Unauthorized", "Unauthorized")
                return Response(status: .unauthorized, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: status.body)))
            }
            // kube-apiserver's limit on a request body (3 MiB): 413 beyond it, nothing applied.
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: APIHandler.maxBodyBytes) } catch {
                let status = APIHandler.status(413, "RequestEntityTooLarge", "Request entity too large: limit is \(APIHandler.maxBodyBytes)")
                return Response(status: .contentTooLarge, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: status.body)))
            }
            var query: [String: String] = [:]
            for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
            var incoming = APIRequest(method: request.method.rawValue, path: request.uri.path, query: query,
                                      accept: request.headers[.accept] ?? "application/json",
                                      contentType: request.headers[.contentType] ?? "", body: String(buffer: body))
            incoming.upgrade = request.headers[.upgrade]
            // kubectl's typed generators send protobuf: read it into the JSON the API handles.
            if incoming.contentType.hasPrefix(KubeProtobuf.contentType) {
                do {
                    incoming.body = try KubeProtobuf.decode(Array(buffer: body)).jsonString(sortedKeys: false)
                    incoming.contentType = "application/json"
                } catch let error as KubeProtobuf.DecodeError {
                    let status = APIHandler.status(400, "BadRequest", error.message)
                    return Response(status: .badRequest, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: status.body)))
                } catch {}
            }
            let r = incoming
            if r.method == "GET", ["true", "1"].contains(r.query["watch"] ?? ""), case let .resource(path) = ResourcePath.parse(r.path), path.subresource == nil {
                return await watchResponse(r, path, engine: engine, history: history, encodings: encodings, bookmarkSeconds: options.bookmarkSeconds)
            }
            if r.method == "GET", r.query["follow"] == "true", case let .resource(path) = ResourcePath.parse(r.path), path.subresource == "log" {
                return await PodLogs.followResponse(r, path, engine: engine)
            }
            let answer = await engine.run { APIHandler.handle(r, session: $0, serverAddress: address) }
            var headers: HTTPFields = [.contentType: answer.contentType]
            if let warning = answer.warning, let name = HTTPField.Name("Warning") { headers[name] = "299 - \"\(warning)\"" }
            return Response(status: .init(code: answer.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        // HTTP/1.1, upgrading kubectl exec's WebSocket requests (ExecStream).
        var server: HTTPServerBuilder = .http1WebSocketUpgrade(shouldUpgrade: ExecStream.shouldUpgrade(engine: engine, token: token))
        if let tls = options.tls {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(tls.certificatePEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)
            server = try .tls(.http1WebSocketUpgrade(shouldUpgrade: ExecStream.shouldUpgrade(engine: engine, token: token)),
                              tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        }
        let app = Application(responder: responder, server: server,
                              configuration: .init(address: .hostname(options.address, port: options.port), serverName: nil),
                              onServerRunning: { channel in onListening(channel.localAddress?.port ?? options.port) },
                              logger: quietLogger())
        if handleSignals { try await app.runService() } else { try await app.run() }
    }

    /// A chunked stream of watch events until the client goes away (or the server stops).
    static func watchResponse(_ r: APIRequest, _ path: ResourcePath, engine: some EngineAccess, history: SendableBox<ChangeHistory>,
                              encodings: SendableBox<EncodedObjects>, bookmarkSeconds: Double) async -> Response {
        // Selectors the API server cannot use are a 400 before anything streams.
        var problem: APIResponse?
        if let labels = r.query["labelSelector"], !labels.isEmpty {
            do { _ = try LabelSelectorExpression.parse(labels) } catch {
                problem = APIHandler.status(400, "BadRequest", error.description)
            }
        }
        if problem == nil {
            do { _ = try FieldSelector(r.query["fieldSelector"], for: path.resource) } catch {
                problem = APIHandler.status(400, "BadRequest", error.message)
            }
        }
        if let problem {
            return Response(status: .init(code: problem.status), headers: [.contentType: problem.contentType], body: .init(byteBuffer: ByteBuffer(string: problem.body)))
        }
        // A watcher that falls this far behind is ended, as the API server ends a slow watch:
        // its client re-watches from the last resourceVersion it saw and loses nothing.
        let (events, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(maxBufferedEvents))
        let id = await engine.run { session in
            let w = WatchStream(request: r, path: path, encodings: encodings.value, send: { line in
                if case .dropped = continuation.yield(line) { continuation.finish() }
            })
            // Too old a resourceVersion: the ERROR event, then the end of the stream.
            if !w.start(cluster: session.cluster, history: history.value) { session.cluster.unwatch(w.watcherID); continuation.finish() }
            return w.watcherID
        }
        continuation.onTermination = { _ in Task { await engine.run { $0.cluster.unwatch(id) } } }
        // allowWatchBookmarks: a BOOKMARK every `bookmarkSeconds` with the resourceVersion reached.
        if r.query["allowWatchBookmarks"] == "true" {
            let resource = path.resource
            let bookmarks = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(bookmarkSeconds * 1e9))
                    if Task.isCancelled { break }
                    let line = await engine.run { session in WatchStream.bookmark(resource, resourceVersion: session.cluster.resourceVersion) }
                    continuation.yield(line)
                }
            }
            continuation.onTermination = { _ in bookmarks.cancel(); Task { await engine.run { $0.cluster.unwatch(id) } } }
        }
        // timeoutSeconds: the server ends the watch then (clients re-list or re-watch).
        if let seconds = r.query["timeoutSeconds"].flatMap({ Double($0) }), seconds > 0 {
            Task { try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9)); continuation.finish() }
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
            defer { continuation.finish() }
            // A watch ends with the server: graceful shutdown does not wait for quiet watchers.
            try await withGracefulShutdownHandler {
                for await line in events {
                    try await writer.write(ByteBuffer(string: line + "\n"))
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            try await writer.finish(nil)
        })
    }

    /// Events one watch may have waiting for its client before the server ends it.
    static let maxBufferedEvents = 50_000

    static func quietLogger() -> Logger {
        var logger = Logger(label: "svclab-serve")
        logger.logLevel = .warning
        return logger
    }

    /// The kubeconfig `serve` writes: cluster, context and user `kind-svclab`, as kind names them;
    /// with TLS the CA as `certificate-authority-data`, with a token the user's `token`.
    public static func kubeconfig(server: String, caPEM: String? = nil, token: String? = nil) -> String {
        let ca = caPEM.map { "\n    certificate-authority-data: " + Data($0.utf8).base64EncodedString() } ?? ""
        let user = token.map { "\n    token: \($0)" } ?? " {}"
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:\(ca)
            server: \(server)
          name: kind-svclab
        contexts:
        - context:
            cluster: kind-svclab
            user: kind-svclab
          name: kind-svclab
        current-context: kind-svclab
        preferences: {}
        users:
        - name: kind-svclab
          user:\(user)

        """
    }

    /// Whether `path` may be written: absent, or a kubeconfig svclab wrote (never another
    /// cluster's config).
    public static func mayWriteKubeconfig(at path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return !FileManager.default.fileExists(atPath: path) }
        return text.contains("name: kind-svclab") && text.components(separatedBy: "- cluster:").count == 2 && !text.contains("client-certificate")
    }
}

/// A value handed between the engine's jobs and the HTTP side; only ever used inside jobs.
final class SendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
